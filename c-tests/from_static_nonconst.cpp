/*
 * from_static_nonconst.cpp - not a test program: ctest compiles it and
 * passes when the compiler refuses Bytes::from_static on a non-const
 * array (a stack buffer would be borrowed "forever"). The const array and
 * the literal below compile.
 */
#include "bytes.hpp"

static const char table[] = "static";

int main()
{
    bytes::Bytes fine = bytes::Bytes::from_static("literal");
    bytes::Bytes also_fine = bytes::Bytes::from_static(table);
    char stack_buffer[16] = "on the stack";
    bytes::Bytes refused = bytes::Bytes::from_static(stack_buffer); /* must not compile */
    return static_cast<int>(fine.size() + also_fine.size() + refused.size());
}
