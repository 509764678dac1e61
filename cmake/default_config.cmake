# Writes the default config.yaml of the packages: the binary's own default with the log store in
# STATE_DIR/logs (`claude-code-companion service default-config`), so it never drifts from it.
#   cmake -DEXE=<binary> -DOUT=<file> -DSTATE_DIR=<dir> -P default_config.cmake
execute_process(COMMAND ${EXE} service default-config --state-dir=${STATE_DIR}
	OUTPUT_VARIABLE _text RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR _text STREQUAL "")
	message(FATAL_ERROR "${EXE} service default-config failed (${_rc})")
endif()
file(WRITE ${OUT} "${_text}")
