# check.cmake - what CI does with this example (ctest's sdk.out_of_tree,
# cmake -P): install sevemu's build into a fresh prefix, then configure,
# build and test the example against that prefix alone.
#   -D SEVEMU_BUILD=<sevemu's build dir> -D WORK=<scratch dir>
#   -D EXAMPLE=<this dir>
file(REMOVE_RECURSE ${WORK})
function(step)
	execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rv
		OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
	if(NOT _rv EQUAL 0)
		string(REPLACE ";" " " _cmd "${ARGN}")
		message(FATAL_ERROR "failed (${_rv}): ${_cmd}\n${_out}")
	endif()
endfunction()
step(${CMAKE_COMMAND} --install ${SEVEMU_BUILD} --prefix ${WORK}/prefix)
step(${CMAKE_COMMAND} -S ${EXAMPLE} -B ${WORK}/build
	-DCMAKE_PREFIX_PATH=${WORK}/prefix)
step(${CMAKE_COMMAND} --build ${WORK}/build)
step(${CMAKE_CTEST_COMMAND} --test-dir ${WORK}/build --output-on-failure)
message(STATUS "out-of-tree example: installed, built and passed in ${WORK}")
