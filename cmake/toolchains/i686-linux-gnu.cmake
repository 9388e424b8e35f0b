# Cross-compiling libbytes for i686 Linux with Debian's cross compiler
# (packages gcc-i686-linux-gnu g++-i686-linux-gnu libc6-dev-i386-cross), e.g.
#     cmake -S . -B build/i686-linux-gnu --toolchain cmake/toolchains/i686-linux-gnu.cmake
# Needs the Rust target: rustup target add i686-unknown-linux-gnu
# An x86_64 Linux kernel runs its programs natively: ctest starts them
# with the cross libc's loader (no emulation), as no i386 libc is installed
# at /lib (a real i686 machine or multiarch libc6:i386 needs none; pass
# -DCMAKE_CROSSCOMPILING_EMULATOR= to go without).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH /usr/i686-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The Rust target libbytes is built for (cargo links it with CMAKE_C_COMPILER).
set(BYTES_RUST_TARGET i686-unknown-linux-gnu CACHE STRING "Rust target triple to build libbytes for; empty for the host")
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR /usr/i686-linux-gnu/lib/ld-linux.so.2 --library-path /usr/i686-linux-gnu/lib)
endif()
