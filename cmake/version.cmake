# Computes the version string YYYYMMDD-<short hash>[-dirty] from git, or "dev" outside a checkout.
# Run as a script at build time (cmake -P) so every build carries the current commit.
#   -DSRC=<source dir> -DOUT=<generated header>
execute_process(COMMAND git -C "${SRC}" log -1 --format=%cd --date=format:%Y%m%d
	OUTPUT_VARIABLE _date OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _r1)
execute_process(COMMAND git -C "${SRC}" rev-parse --short=7 HEAD
	OUTPUT_VARIABLE _hash OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _r2)
if(DEFINED ENV{CCC_VERSION})
	set(_ver "$ENV{CCC_VERSION}")
elseif(_r1 EQUAL 0 AND _r2 EQUAL 0 AND _hash)
	execute_process(COMMAND git -C "${SRC}" status --porcelain --untracked-files=no
		OUTPUT_VARIABLE _dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
	set(_ver "${_date}-${_hash}")
	if(_dirty)
		set(_ver "${_ver}-dirty")
	endif()
else()
	set(_ver "dev")
endif()
set(_content "#pragma once\n#define CCC_VERSION \"${_ver}\"\n")
if(EXISTS "${OUT}")
	file(READ "${OUT}" _old)
endif()
if(NOT "${_old}" STREQUAL "${_content}")
	file(WRITE "${OUT}" "${_content}")
endif()
