# Makes the installed libraries from the static library cargo built, run by
# the build (cmake -P) after every cargo call:
#
#   libbytes.a            one relocatable object (a partial link of the
#                         crate and the parts of Rust's std it uses) whose
#                         only global symbols are bytes_*: everything else
#                         (rust_eh_personality, __rust_alloc, std's
#                         functions) is local, so the archive links beside
#                         another Rust static library in one program
#   libbytes.so.X.Y.Z     linked from that object with the soname
#                         libbytes.so.SOVERSION and the version script
#                         bytes.map: exports bytes_*, each versioned
#   libbytes.so.SOVERSION, libbytes.so   the soname and development links
#
# rustc's own cdylib carries an anonymous version script of its own that
# linkers will not combine with a second one, which is why the shared
# library is linked here rather than by cargo.
#
# Arguments (-D): BYTES_ARCHIVE (cargo's libbytes.a), BYTES_OUT_DIR, and
# BYTES_PARAMS, a file the configure step wrote with the tools, the
# version, the version script and the system libraries.
cmake_minimum_required(VERSION 3.22)
include("${BYTES_PARAMS}")

set(_out "${BYTES_OUT_DIR}")
set(_real "libbytes.so.${BYTES_VERSION}")
set(_soname "libbytes.so.${BYTES_SOVERSION}")

# Nothing to do when the outputs are newer than every input.
set(_fresh TRUE)
foreach(_in "${BYTES_ARCHIVE}" "${BYTES_PARAMS}" "${BYTES_MAP}" "${CMAKE_CURRENT_LIST_FILE}")
  foreach(_o "${_out}/libbytes.a" "${_out}/${_real}")
    if(NOT EXISTS "${_o}" OR "${_in}" IS_NEWER_THAN "${_o}")
      set(_fresh FALSE)
    endif()
  endforeach()
endforeach()
if(_fresh)
  return()
endif()

function(bytes_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc OUTPUT_VARIABLE _o ERROR_VARIABLE _e)
  if(NOT _rc EQUAL 0)
    list(JOIN ARGN " " _cmd)
    message(FATAL_ERROR "libbytes: '${_cmd}' failed (${_rc}):\n${_o}${_e}")
  endif()
endfunction()

file(MAKE_DIRECTORY "${_out}")
set(_tmp "${_out}/tmp")
file(REMOVE_RECURSE "${_tmp}")
file(MAKE_DIRECTORY "${_tmp}")

# The library's own symbols: the global definitions named bytes_* (readelf
# reads the archive whatever compiler wrote it; nm may try an LTO plugin).
execute_process(COMMAND "${BYTES_READELF}" -sW "${BYTES_ARCHIVE}"
  OUTPUT_VARIABLE _symtab RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "libbytes: readelf failed on ${BYTES_ARCHIVE}:\n${_err}")
endif()
string(REGEX MATCHALL "[ \t](GLOBAL|WEAK)[ \t]+[A-Z]+[ \t]+[0-9]+[ \t]+bytes_[A-Za-z0-9_]+" _defs "${_symtab}")
list(TRANSFORM _defs REPLACE ".*[ \t](bytes_[A-Za-z0-9_]+)$" "\\1")
list(REMOVE_DUPLICATES _defs)
list(SORT _defs)
list(LENGTH _defs _count)
if(_count EQUAL 0)
  message(FATAL_ERROR "libbytes: no bytes_* symbols defined in ${BYTES_ARCHIVE}")
endif()
list(JOIN _defs "\n" _keep)
file(WRITE "${_tmp}/keep.txt" "${_keep}\n")

# One object: the archive members those symbols need, linked together.
set(_undefs "")
foreach(_s IN LISTS _defs)
  list(APPEND _undefs -u "${_s}")
endforeach()
bytes_run("${BYTES_LINKER}" -r -o "${_tmp}/merged.o" ${_undefs} "${BYTES_ARCHIVE}")
# COMDAT groups are merged across objects by name: another Rust library's
# std has a group DW.ref.rust_eh_personality too, and the linker would keep
# ours, now local, and drop the other's, leaving its references undefined.
# Ours are renamed so each library keeps its own.
execute_process(COMMAND "${BYTES_READELF}" -gW "${_tmp}/merged.o"
  OUTPUT_VARIABLE _groups RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "libbytes: readelf -g failed:\n${_err}")
endif()
string(REGEX MATCHALL "COMDAT group section \\[ *[0-9]+\\] `[^']*' \\[[^]\n]+\\]" _groups "${_groups}")
list(TRANSFORM _groups REPLACE ".*\\[([^]]+)\\]$" "\\1")
list(REMOVE_DUPLICATES _groups)
set(_renames "")
foreach(_g IN LISTS _groups)
  if(NOT _g MATCHES "^bytes_")
    list(APPEND _renames "--redefine-sym=${_g}=libbytes.${_g}")
  endif()
endforeach()

# Also drops the LLVM bitcode that Rust's std objects embed (.llvmbc): it
# serves only cross-language LTO, and a linker plugin of an older LLVM
# (LLVMgold, which GNU ar and nm load) cannot read it.
bytes_run("${BYTES_OBJCOPY}" "--keep-global-symbols=${_tmp}/keep.txt" ${_renames}
  --remove-section=.llvmbc --remove-section=.llvmcmd "${_tmp}/merged.o" "${_tmp}/bytes.o")

file(REMOVE "${_tmp}/libbytes.a")
bytes_run("${BYTES_AR}" qc "${_tmp}/libbytes.a" "${_tmp}/bytes.o")
bytes_run("${BYTES_RANLIB}" "${_tmp}/libbytes.a")

bytes_run("${BYTES_CC}" -shared -o "${_tmp}/${_real}" "${_tmp}/bytes.o"
  "-Wl,-soname,${_soname}" "-Wl,--version-script=${BYTES_MAP}"
  -Wl,--gc-sections -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack -Wl,--as-needed
  ${BYTES_NATIVE_LINK_FLAGS})

file(RENAME "${_tmp}/libbytes.a" "${_out}/libbytes.a")
file(RENAME "${_tmp}/${_real}" "${_out}/${_real}")
file(CREATE_LINK "${_real}" "${_out}/${_soname}" SYMBOLIC)
file(CREATE_LINK "${_soname}" "${_out}/libbytes.so" SYMBOLIC)
file(REMOVE_RECURSE "${_tmp}")
message(STATUS "libbytes: ${_out}/libbytes.a and ${_real} (soname ${_soname}, ${_count} bytes_* symbols)")
