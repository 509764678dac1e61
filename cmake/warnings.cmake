# Warnings apply to our own targets only (third-party headers come in with -isystem).
# Warnings are errors so that the sanitizer and wasm builds stay as clean as the main one.
function(ccc_warnings target)
	target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
		# GCC's spelling; Emscripten's clang has no -Wshadow=local (and rejects unknown warnings).
		$<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
		-Werror
		# POCO's headers pass through -isystem, but its macros expand in our code.
		-Wno-deprecated-declarations)
endfunction()
