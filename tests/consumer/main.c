/* A program outside the libbytes tree that uses the installed library: the
 * packaging test (tests/packaging.sh) builds it through find_package,
 * add_subdirectory and pkg-config, linked shared and static. */
#include <bytes.h>
#include <stdio.h>
#include <string.h>

#define STR2(x) #x
#define STR(x) STR2(x)

#ifdef WITH_OTHER_RUST
int other_rust_answer(void);
#endif

int main(void) {
    static const char text[] = "GET /consumer HTTP/1.1";
    bytes_t request, path;
    if (bytes_copy_from((const uint8_t *)text, strlen(text), &request) != BYTES_OK) return 1;
    if (bytes_slice(&request, 4, 13, &path) != BYTES_OK) return 1;
    if (bytes_ptr(&path) != bytes_ptr(&request) + 4 || memcmp(bytes_ptr(&path), "/consumer", 9) != 0) return 1;

    const char *want = STR(BYTES_VERSION_MAJOR) "." STR(BYTES_VERSION_MINOR) "." STR(BYTES_VERSION_PATCH);
    if (strcmp(bytes_version(), want) != 0) {
        fprintf(stderr, "header %s, library %s\n", want, bytes_version());
        return 1;
    }
#ifdef WITH_OTHER_RUST
    if (other_rust_answer() != 42) return 1;
#endif
    printf("consumer: libbytes %s, path %.*s\n", bytes_version(), (int)bytes_len(&path),
           (const char *)bytes_ptr(&path));
    bytes_drop(&path);
    bytes_drop(&request);
    return 0;
}
