# Cross-compiling libbytes for s390x Linux with Debian's cross compiler
# (packages gcc-s390x-linux-gnu g++-s390x-linux-gnu libc6-dev-s390x-cross), e.g.
#     cmake -S . -B build/s390x-linux-gnu --toolchain cmake/toolchains/s390x-linux-gnu.cmake
# Needs the Rust target: rustup target add s390x-unknown-linux-gnu
# The tests run under qemu-user (package qemu-user) as ctest's emulator;
# pass -DCMAKE_CROSSCOMPILING_EMULATOR=... to use another one.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER s390x-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH /usr/s390x-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The Rust target libbytes is built for (cargo links it with CMAKE_C_COMPILER).
set(BYTES_RUST_TARGET s390x-unknown-linux-gnu CACHE STRING "Rust target triple to build libbytes for; empty for the host")
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-s390x -L /usr/s390x-linux-gnu)
endif()
