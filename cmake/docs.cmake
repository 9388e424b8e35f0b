# Documentation of libbytes, from include/bytes.h:
#   bytes_man  (part of ALL) one man page per function and type and
#              libbytes(3), written by scripts/gen-man.py into
#              ${CMAKE_BINARY_DIR}/man/man3 and installed under
#              ${CMAKE_INSTALL_MANDIR}/man3
#   docs       the man pages, and an HTML reference of bytes.h and bytes.hpp
#              with docs/guide.md as its front page when Doxygen is found
#              (${CMAKE_BINARY_DIR}/docs/html/index.html)
include(GNUInstallDirs)

set(BYTES_MAN_DIR "${CMAKE_CURRENT_BINARY_DIR}/man/man3")
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  set(_bytes_man_stamp "${CMAKE_CURRENT_BINARY_DIR}/man/man3.stamp")
  add_custom_command(OUTPUT "${_bytes_man_stamp}"
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${BYTES_MAN_DIR}"
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/scripts/gen-man.py"
            "${CMAKE_CURRENT_SOURCE_DIR}/include/bytes.h" "${BYTES_MAN_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/docs/guide.md"
    COMMAND "${CMAKE_COMMAND}" -E touch "${_bytes_man_stamp}"
    DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/scripts/gen-man.py" "${CMAKE_CURRENT_SOURCE_DIR}/include/bytes.h"
            "${CMAKE_CURRENT_SOURCE_DIR}/docs/guide.md"
    COMMENT "man pages from bytes.h"
    VERBATIM)
  add_custom_target(bytes_man ALL DEPENDS "${_bytes_man_stamp}")
  if(NOT DEFINED BYTES_INSTALL OR BYTES_INSTALL)
    install(DIRECTORY "${BYTES_MAN_DIR}/" DESTINATION "${CMAKE_INSTALL_MANDIR}/man3"
      FILES_MATCHING PATTERN "*.3")
  endif()
else()
  message(STATUS "libbytes: no Python 3, so no man pages")
  add_custom_target(bytes_man)
endif()

add_custom_target(docs DEPENDS bytes_man)
find_package(Doxygen)
if(DOXYGEN_FOUND)
  set(DOXYGEN_PROJECT_NAME libbytes)
  set(DOXYGEN_PROJECT_NUMBER "${PROJECT_VERSION}")
  set(DOXYGEN_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/docs")
  set(DOXYGEN_OPTIMIZE_OUTPUT_FOR_C YES)
  set(DOXYGEN_EXTRACT_ALL YES)
  set(DOXYGEN_EXTRACT_STATIC YES)
  set(DOXYGEN_JAVADOC_AUTOBRIEF YES)
  set(DOXYGEN_GENERATE_HTML YES)
  set(DOXYGEN_GENERATE_MAN NO)
  set(DOXYGEN_GENERATE_LATEX NO)
  set(DOXYGEN_FULL_PATH_NAMES NO)
  set(DOXYGEN_MARKDOWN_SUPPORT YES)
  set(DOXYGEN_USE_MDFILE_AS_MAINPAGE "${CMAKE_CURRENT_SOURCE_DIR}/docs/guide.md")
  set(DOXYGEN_QUIET YES)
  doxygen_add_docs(bytes_html
    "${CMAKE_CURRENT_SOURCE_DIR}/include/bytes.h"
    "${CMAKE_CURRENT_SOURCE_DIR}/include/bytes.hpp"
    "${CMAKE_CURRENT_SOURCE_DIR}/docs/guide.md"
    COMMENT "HTML reference of bytes.h and bytes.hpp")
  add_dependencies(docs bytes_html)
else()
  message(STATUS "libbytes: no Doxygen, so the docs target builds the man pages only")
endif()
