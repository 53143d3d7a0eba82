# SevemuGuest.cmake - sevemu_add_guest(), for guests in this tree and
# out of it (the installed CMake package includes this file too).
#
# sevemu_add_guest(TARGET SOURCES src... [VC] [OWN_ENTRY]
#                  [OUTPUT_NAME name] [OUTPUT_DIRECTORY dir]
#                  [LINKER_SCRIPT ld])
#
# Builds TARGET as a guest image, <OUTPUT_NAME or TARGET>.elf: a static
# ELF64 linked at 1 MiB with the SDK's guest.ld, from SOURCES (.S or .c)
# (or LINKER_SCRIPT) and the SDK's objects:
#   lib      the MSR protocol and GHCB calls (always)
#   start    _start: a stack, then guest_main (unless OWN_ENTRY)
#   vc       the #VC handler, idt_install() and ghcb_page (VC)
#   libc     COM1, the verdict, mem* (with any .c source)
# Guests get only the options below, and CMAKE_C_FLAGS: call it from
# a directory without host-only options (add_compile_options with
# sanitizers, say), or give the guests a subdirectory of their own, as
# guests/ does.  Set before including this file:
#   SEVEMU_GUEST_LD           the linker script
#   SEVEMU_GUEST_INCLUDE_DIR  sevemu.inc and sevemu_guest.h
#   SEVEMU_GUEST_OBJECTS      prefix of the object-library targets
#                             (sevemu_guest_ in the tree, sevemu::guest_
#                             from the package)

set(SEVEMU_GUEST_C_OPTIONS
	-m64 -ffreestanding -fno-pic -fno-pie -fno-stack-protector
	-fno-asynchronous-unwind-tables -fcf-protection=none
	# The #VC handler runs on the guest's stack: no red zone, and no
	# SSE, which the guest CPU has not enabled (CR4.OSFXSR is 0).
	-mno-red-zone -mgeneral-regs-only
	-O2)

function(sevemu_add_guest target)
	cmake_parse_arguments(PARSE_ARGV 1 arg "VC;OWN_ENTRY"
		"OUTPUT_NAME;OUTPUT_DIRECTORY;LINKER_SCRIPT" "SOURCES")
	if(NOT arg_SOURCES)
		message(FATAL_ERROR "sevemu_add_guest(${target}): no SOURCES")
	endif()
	if(arg_UNPARSED_ARGUMENTS)
		message(FATAL_ERROR "sevemu_add_guest(${target}): unknown "
			"arguments: ${arg_UNPARSED_ARGUMENTS}")
	endif()
	if(NOT arg_OUTPUT_NAME)
		set(arg_OUTPUT_NAME ${target})
	endif()
	if(NOT arg_LINKER_SCRIPT)
		set(arg_LINKER_SCRIPT ${SEVEMU_GUEST_LD})
	endif()
	if(NOT arg_OUTPUT_DIRECTORY)
		set(arg_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
	endif()
	set(_p ${SEVEMU_GUEST_OBJECTS})
	set(_objs $<TARGET_OBJECTS:${_p}lib>)
	if(NOT arg_OWN_ENTRY)
		list(APPEND _objs $<TARGET_OBJECTS:${_p}start>)
	endif()
	if(arg_VC)
		list(APPEND _objs $<TARGET_OBJECTS:${_p}vc>)
	endif()
	set(_lang ASM)
	foreach(_src IN LISTS arg_SOURCES)
		if(_src MATCHES "\\.c$")
			set(_lang C)
		endif()
	endforeach()
	if(_lang STREQUAL "C")
		list(APPEND _objs $<TARGET_OBJECTS:${_p}libc>)
	endif()

	add_executable(${target} ${arg_SOURCES} ${_objs})
	target_include_directories(${target} PRIVATE ${SEVEMU_GUEST_INCLUDE_DIR})
	target_compile_options(${target} PRIVATE
		$<$<COMPILE_LANGUAGE:ASM>:-m64>
		$<$<COMPILE_LANGUAGE:C>:${SEVEMU_GUEST_C_OPTIONS}>)
	target_link_options(${target} PRIVATE
		-m64 -nostdlib -static -no-pie
		-Wl,-T,${arg_LINKER_SCRIPT}
		-Wl,--build-id=none
		# Drop local symbols: mostly the .equ constants of
		# sevemu.inc, which would otherwise show up as absolute
		# symbols in traces.  Everything worth naming is global.
		-Wl,--discard-all)
	if(_lang STREQUAL "C")
		# What gcc may call for arithmetic it does not inline.
		target_link_libraries(${target} PRIVATE gcc)
	endif()
	set_target_properties(${target} PROPERTIES
		OUTPUT_NAME ${arg_OUTPUT_NAME}
		SUFFIX .elf
		RUNTIME_OUTPUT_DIRECTORY ${arg_OUTPUT_DIRECTORY}
		LINKER_LANGUAGE ${_lang}
		POSITION_INDEPENDENT_CODE OFF
		LINK_DEPENDS ${arg_LINKER_SCRIPT})
endfunction()
