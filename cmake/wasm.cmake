# Builds admin-wasm/ (and the wasm copy of the shared unit tests) with Debian's Emscripten as an
# ExternalProject re-entering this source tree, then copies the admin assets next to the binary
# (build/bin/admin/) where the service finds them.
include(ExternalProject)
find_program(CCC_EMCMAKE emcmake REQUIRED)
find_program(CCC_NODE node REQUIRED)
execute_process(COMMAND ${CMAKE_SOURCE_DIR}/scripts/fetch-imgui.sh
	OUTPUT_VARIABLE CCC_IMGUI_DIR OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _imgui_rc)
if(NOT _imgui_rc EQUAL 0)
	message(FATAL_ERROR "Could not fetch Dear ImGui sources from Debian's source package")
endif()
set(CCC_WASM_BINARY_DIR ${CMAKE_BINARY_DIR}/wasm)
# Debian's emscripten needs NODE_PATH for its own JS tools (acorn); EM_CACHE must stay unset.
set(_ccc_em_env ${CMAKE_COMMAND} -E env --unset=EM_CACHE NODE_PATH=/usr/share/nodejs)
# The inner ninja does not see the outer -j; on a shared machine cap it with -DCCC_WASM_JOBS=N.
set(CCC_WASM_JOBS "" CACHE STRING "Parallel jobs of the Emscripten sub-build (empty: ninja's default)")
set(_ccc_wasm_jobs)
if(CCC_WASM_JOBS)
	set(_ccc_wasm_jobs --parallel ${CCC_WASM_JOBS})
endif()
ExternalProject_Add(ccc_wasm
	SOURCE_DIR ${CMAKE_SOURCE_DIR}
	BINARY_DIR ${CCC_WASM_BINARY_DIR}
	CONFIGURE_COMMAND ${_ccc_em_env} ${CCC_EMCMAKE} ${CMAKE_COMMAND} -S ${CMAKE_SOURCE_DIR} -B ${CCC_WASM_BINARY_DIR}
		-G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DCCC_IMGUI_DIR=${CCC_IMGUI_DIR}
		-DCCC_BUILD_TESTS=${CCC_BUILD_TESTS}
		# node 20's own fetch shadows emscripten's node fallback; `|` is the list separator below.
		-DCMAKE_CROSSCOMPILING_EMULATOR=${CCC_NODE}|--no-experimental-fetch
	LIST_SEPARATOR |
	BUILD_COMMAND ${_ccc_em_env} ${CMAKE_COMMAND} --build ${CCC_WASM_BINARY_DIR} ${_ccc_wasm_jobs}
	INSTALL_COMMAND ${CMAKE_COMMAND} -E copy_directory ${CCC_WASM_BINARY_DIR}/admin ${CMAKE_BINARY_DIR}/bin/admin
	BUILD_ALWAYS ON
	USES_TERMINAL_BUILD ON)
