# Cross-compiling libbytes for armv7 Linux with Debian's cross compiler
# (packages gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf libc6-dev-armhf-cross), e.g.
#     cmake -S . -B build/arm-linux-gnueabihf --toolchain cmake/toolchains/arm-linux-gnueabihf.cmake
# Needs the Rust target: rustup target add armv7-unknown-linux-gnueabihf
# The tests run under qemu-user (package qemu-user) as ctest's emulator;
# pass -DCMAKE_CROSSCOMPILING_EMULATOR=... to use another one.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The Rust target libbytes is built for (cargo links it with CMAKE_C_COMPILER).
set(BYTES_RUST_TARGET armv7-unknown-linux-gnueabihf CACHE STRING "Rust target triple to build libbytes for; empty for the host")
if(NOT DEFINED CMAKE_CROSSCOMPILING_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm -L /usr/arm-linux-gnueabihf)
endif()
