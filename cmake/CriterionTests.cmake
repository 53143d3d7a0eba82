# CriterionTests.cmake - one ctest entry per Criterion test, so that a
# failure (and a JUnit report) names the test, not only its suite.
#
# sevemu_criterion_tests(TARGET [TIMEOUT seconds] [PROPERTIES ...])
#
# As gtest_discover_tests does: after each build of TARGET, the test
# binary is asked for its tests (--list) and a CTest file is written
# with one add_test per test, "suite.name", running
# "TARGET --filter suite/name".  ctest reads that file through the
# directory's TEST_INCLUDE_FILES, so a test added to a suite appears
# without configuring again.  A test that calls cr_skip_test() is
# reported by ctest as skipped.

set(_sevemu_criterion_script ${CMAKE_CURRENT_LIST_DIR}/CriterionList.cmake)

function(sevemu_criterion_tests target)
	cmake_parse_arguments(PARSE_ARGV 1 arg "" "TIMEOUT" "PROPERTIES")
	if(NOT arg_TIMEOUT)
		set(arg_TIMEOUT 120)
	endif()
	set(_dir ${CMAKE_CURRENT_BINARY_DIR})
	set(_tests ${_dir}/${target}_tests.cmake)
	set(_include ${_dir}/${target}_include.cmake)
	add_custom_command(TARGET ${target} POST_BUILD
		COMMAND ${CMAKE_COMMAND}
			-D "TEST_EXE=$<TARGET_FILE:${target}>"
			-D "TEST_TARGET=${target}"
			-D "OUT=${_tests}"
			-D "TIMEOUT=${arg_TIMEOUT}"
			-D "PROPS=${arg_PROPERTIES}"
			-P ${_sevemu_criterion_script}
		BYPRODUCTS ${_tests}
		COMMENT "Listing the Criterion tests of ${target}"
		VERBATIM)
	file(WRITE ${_include}
		"if(EXISTS \"${_tests}\")\n"
		"  include(\"${_tests}\")\n"
		"else()\n"
		"  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
		"endif()\n")
	set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${_include})
endfunction()
