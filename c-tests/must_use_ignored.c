/*
 * must_use_ignored.c - not a test program: ctest compiles it (as C and as
 * C++) and passes when the compiler warns that the status of bytes_slice
 * is ignored (BYTES_MUST_USE, warn_unused_result / [[nodiscard]]).
 */
#include "bytes.h"

int main(void)
{
    bytes_t b = BYTES_LIT("GET / HTTP/1.1");
    bytes_t out;
    bytes_slice(&b, 0, 3, &out); /* the status is ignored: must warn */
    bytes_drop(&out);
    return 0;
}
