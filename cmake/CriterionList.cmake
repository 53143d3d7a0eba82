# CriterionList.cmake - run by cmake -P after a Criterion test binary is
# built (CriterionTests.cmake): writes OUT, a CTest file with one test
# per line of TEST_EXE --list.
#
# --list prints, per suite, "suite: N tests" and then one line per
# test, its name after a tree prefix ("|-- " or "`-- "; with a UTF-8
# locale, box-drawing characters).
set(ENV{LANG} C)
set(ENV{LC_ALL} C)
# An ASan build's leak check would fail --list over Criterion's own
# allocations.
set(ENV{ASAN_OPTIONS} detect_leaks=0)
execute_process(COMMAND ${TEST_EXE} --list
	OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rv)
if(NOT _rv EQUAL 0)
	message(FATAL_ERROR "${TEST_EXE} --list failed (${_rv}):\n"
		"${_out}${_err}")
endif()

string(REPLACE "\n" ";" _lines "${_out}")
set(_script "# Written by CriterionList.cmake from ${TEST_TARGET} --list.\n")
set(_suite "")
set(_count 0)
foreach(_line IN LISTS _lines)
	if(_line MATCHES "^([A-Za-z0-9_]+): [0-9]+ tests?$")
		set(_suite ${CMAKE_MATCH_1})
	elseif(_line MATCHES "^[^A-Za-z0-9_]+ ([A-Za-z0-9_]+)$" AND _suite)
		set(_test ${CMAKE_MATCH_1})
		set(_name "${_suite}.${_test}")
		string(APPEND _script
			"add_test(${_name} \"${TEST_EXE}\" --filter "
			"\"${_suite}/${_test}\" --jobs 1 --verbose)\n"
			"set_tests_properties(${_name} PROPERTIES TIMEOUT "
			"${TIMEOUT} SKIP_REGULAR_EXPRESSION "
			"\"\\\\[SKIP\\\\] ${_suite}::${_test}: \" ${PROPS})\n")
		math(EXPR _count "${_count} + 1")
	elseif(NOT _line STREQUAL "")
		message(FATAL_ERROR "${TEST_EXE} --list: cannot read "
			"\"${_line}\"")
	endif()
endforeach()
if(_count EQUAL 0)
	message(FATAL_ERROR "${TEST_EXE} --list named no tests:\n${_out}")
endif()
file(WRITE ${OUT} "${_script}")
