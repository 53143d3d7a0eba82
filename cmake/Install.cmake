# Install.cmake - what cmake --install puts where:
#   bin/sevemu                      the command
#   lib/libsevemu.a                 the library (include/sevemu/sevemu.h)
#   include/sevemu/                 sevemu.h, version.h
#   include/sevemu/guest/           sevemu.inc, sevemu_guest.h (guest SDK)
#   share/sevemu/guest.ld           the guests' link map
#   lib/sevemu/guest/               the SDK's objects (start, lib, vc, libc)
#   lib/cmake/sevemu/               the CMake package, sevemu_add_guest()
#   lib/pkgconfig/sevemu.pc
#   share/man/man1/sevemu.1         (man/CMakeLists.txt)
include(CMakePackageConfigHelpers)

set(_cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/sevemu)
set(SEVEMU_INSTALL_GUEST_LD ${CMAKE_INSTALL_DATADIR}/sevemu/guest.ld)
set(SEVEMU_INSTALL_GUEST_INCLUDE ${CMAKE_INSTALL_INCLUDEDIR}/sevemu/guest)

install(TARGETS sevemu RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS sevemu_lib EXPORT sevemuTargets
	ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/sevemu/sevemu.h
	${PROJECT_BINARY_DIR}/include/sevemu/version.h
	DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sevemu)

install(TARGETS sevemu_guest_start sevemu_guest_lib sevemu_guest_vc
	sevemu_guest_libc EXPORT sevemuTargets
	OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/sevemu/guest)
install(FILES ${PROJECT_SOURCE_DIR}/guests/guest.ld
	DESTINATION ${CMAKE_INSTALL_DATADIR}/sevemu)
install(FILES ${PROJECT_SOURCE_DIR}/guests/include/sevemu.inc
	${PROJECT_SOURCE_DIR}/guests/include/sevemu_guest.h
	DESTINATION ${SEVEMU_INSTALL_GUEST_INCLUDE})

install(EXPORT sevemuTargets NAMESPACE sevemu:: DESTINATION ${_cmakedir})
pkg_get_variable(SEVEMU_UNICORN_PCDIR unicorn pcfiledir)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sevemuConfig.cmake.in
	${PROJECT_BINARY_DIR}/sevemuConfig.cmake
	INSTALL_DESTINATION ${_cmakedir}
	PATH_VARS SEVEMU_INSTALL_GUEST_LD SEVEMU_INSTALL_GUEST_INCLUDE)
# 0.x: a new minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sevemuConfigVersion.cmake
	COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sevemuConfig.cmake
	${PROJECT_BINARY_DIR}/sevemuConfigVersion.cmake
	${PROJECT_SOURCE_DIR}/cmake/SevemuGuest.cmake
	DESTINATION ${_cmakedir})

# sevemu.pc finds its prefix from where it lies, so that
# cmake --install --prefix DIR works for any DIR.
file(RELATIVE_PATH SEVEMU_PC_TO_PREFIX
	/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" SEVEMU_PC_TO_PREFIX "${SEVEMU_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/sevemu.pc.in
	${PROJECT_BINARY_DIR}/sevemu.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sevemu.pc
	DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
