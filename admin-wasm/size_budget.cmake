# Fails when admin.js + admin.wasm exceed BUDGET bytes (run after linking the admin).
file(SIZE ${JS} _js)
file(SIZE ${WASM} _wasm)
math(EXPR _total "${_js} + ${_wasm}")
if(_total GREATER BUDGET)
	message(FATAL_ERROR "admin size budget exceeded: admin.js ${_js} + admin.wasm ${_wasm} = ${_total} > ${BUDGET} bytes")
endif()
message(STATUS "admin size: admin.js ${_js} + admin.wasm ${_wasm} = ${_total} bytes (budget ${BUDGET})")
