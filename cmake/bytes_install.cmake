# Install rules of libbytes (included when BYTES_INSTALL is on): the
# libraries with their soname and development links, the header, a CMake
# package (bytesConfig.cmake) and bytes.pc, all relocatable; and a Debian
# package from CPack (`cpack -G DEB`) when libbytes is the top project.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

foreach(_abs_dir CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
  if(IS_ABSOLUTE "${${_abs_dir}}")
    message(FATAL_ERROR "libbytes installs relocatably: ${_abs_dir} must be relative to the prefix, not ${${_abs_dir}}")
  endif()
endforeach()

# The links are installed as links (file(INSTALL) keeps them).
install(FILES "${_bytes_lib_dir}/${_bytes_shared_name}"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
install(FILES "${_bytes_lib_dir}/${_bytes_soname}" "${_bytes_lib_dir}/libbytes.so" "${_bytes_lib_dir}/libbytes.a"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(FILES "${BYTES_INCLUDE_DIR}/bytes.h" "${BYTES_INCLUDE_DIR}/bytes.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE-MIT" "${PROJECT_SOURCE_DIR}/LICENSE-APACHE"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/libbytes")
# For programs built with -fsanitize=thread against the uninstrumented
# library (README, "ThreadSanitizer").
install(FILES "${PROJECT_SOURCE_DIR}/share/tsan-libbytes.supp" DESTINATION "${CMAKE_INSTALL_DATADIR}/libbytes")

set(_bytes_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/bytes")
configure_package_config_file(cmake/bytesConfig.cmake.in "${CMAKE_CURRENT_BINARY_DIR}/bytesConfig.cmake"
  INSTALL_DESTINATION "${_bytes_cmake_dir}"
  PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/bytesConfigVersion.cmake"
  COMPATIBILITY ${_bytes_compatibility})
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/bytesConfig.cmake" "${CMAKE_CURRENT_BINARY_DIR}/bytesConfigVersion.cmake"
  DESTINATION "${_bytes_cmake_dir}")

# bytes.pc finds the prefix from its own directory (${pcfiledir}).
file(RELATIVE_PATH BYTES_PC_PREFIX_FROM_PCFILEDIR "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" BYTES_PC_PREFIX_FROM_PCFILEDIR "${BYTES_PC_PREFIX_FROM_PCFILEDIR}")
list(TRANSFORM BYTES_NATIVE_STATIC_LIBS PREPEND "-l" OUTPUT_VARIABLE _bytes_pc_libs)
list(JOIN _bytes_pc_libs " " BYTES_PC_LIBS_PRIVATE)
configure_file(cmake/bytes.pc.in "${CMAKE_CURRENT_BINARY_DIR}/bytes.pc" @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/bytes.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

if(PROJECT_IS_TOP_LEVEL)
  # One Debian package with everything installed above: `cpack -G DEB` in
  # the build tree (after building) writes libbytes_<version>_<arch>.deb.
  set(CPACK_PACKAGE_NAME libbytes)
  set(CPACK_PACKAGE_VENDOR "libbytes")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Cheap, reference-counted, zero-copy byte buffers for C and C++")
  set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
  set(CPACK_PACKAGE_CONTACT "libbytes maintainers <libbytes@localhost>")
  set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE-MIT")
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_GENERATOR DEB)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_SECTION libs)
  # What Rust's std links (BYTES_NATIVE_STATIC_LIBS) comes from these two.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.34), libgcc-s1")
  # The shlibs entry for packages linking libbytes, and the ldconfig
  # trigger (as debhelper writes it) rather than a postinst running
  # ldconfig, so that `dpkg --root` installs need no chroot.
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/deb/shlibs"
    "libbytes ${BYTES_SOVERSION} libbytes (>= ${PROJECT_VERSION})\n")
  file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/deb/triggers" "activate-noawait ldconfig\n")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_BINARY_DIR}/deb/shlibs;${CMAKE_CURRENT_BINARY_DIR}/deb/triggers")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
  include(CPack)
endif()
