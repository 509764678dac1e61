# CCC_SANITIZE: empty, or a comma list of address, undefined, thread, fuzzer-no-link.
# An unknown value is fatal so a typo never yields an unsanitized "sanitizer" run.
set(CCC_SANITIZE "" CACHE STRING "Sanitizers to enable (address,undefined | thread)")
if(CCC_SANITIZE)
	string(REPLACE "," ";" _ccc_san_list "${CCC_SANITIZE}")
	foreach(s IN LISTS _ccc_san_list)
		if(NOT s MATCHES "^(address|undefined|thread)$")
			message(FATAL_ERROR "CCC_SANITIZE: unknown sanitizer '${s}'")
		endif()
	endforeach()
	add_compile_options(-fsanitize=${CCC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
	add_link_options(-fsanitize=${CCC_SANITIZE})
endif()
