/*
 * proc_self.h - what /proc/self says about this process's descriptors and
 * mappings, for the tests that check nothing is left open or mapped.
 */
#ifndef BYTES_TESTS_PROC_SELF_H
#define BYTES_TESTS_PROC_SELF_H

#include "check.h"

#include <dirent.h>

/* Open descriptors of this process (without the one opendir uses). */
static inline int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    CHECK(d != NULL);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* opendir's own */
}

/* Mappings of `path` in /proc/self/maps; unless perms is NULL, *perms gets
 * the first one's permissions ("r--p"). */
static inline int mappings_of(const char *path, char perms[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    CHECK(f != NULL);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strstr(line, path) == NULL)
            continue;
        if (n++ == 0 && perms != NULL) {
            const char *sp = strchr(line, ' ');
            CHECK(sp != NULL);
            memcpy(perms, sp + 1, 4);
            perms[4] = '\0';
        }
    }
    fclose(f);
    return n;
}

#endif /* BYTES_TESTS_PROC_SELF_H */
