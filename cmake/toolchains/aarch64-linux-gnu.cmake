# Cross-compiling libbytes for aarch64 Linux with Debian's cross compiler
# (packages gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross), e.g.
#     cmake -S . -B build/aarch64-linux-gnu --toolchain cmake/toolchains/aarch64-linux-gnu.cmake
# Needs the Rust target: rustup target add aarch64-unknown-linux-gnu
# The tests run under qemu-user (package qemu-user) as ctest's emulator;
# pass -DCMAKE_CROSSCOMPILING_EMULATOR=... to use another one.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The Rust target libbytes is built for (cargo links it with CMAKE_C_COMPILER).
set(BYTES_RUST_TARGET aarch64-unknown-linux-gnu CACHE STRING "Rust target triple to build libbytes for; empty for the host")
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
endif()
