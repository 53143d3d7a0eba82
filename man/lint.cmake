# lint.cmake - fails unless mandoc -Tlint has nothing to say about PAGE.
execute_process(COMMAND ${MANDOC} -Tlint ${PAGE}
	OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rv)
if(NOT _rv EQUAL 0 OR NOT "${_out}${_err}" STREQUAL "")
	message(FATAL_ERROR "mandoc -Tlint ${PAGE} (status ${_rv}):\n${_out}${_err}")
endif()
message(STATUS "mandoc -Tlint ${PAGE}: clean")
