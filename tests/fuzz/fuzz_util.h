/*
 * fuzz_util.h - helpers shared by the libFuzzer targets in tests/fuzz.
 *
 * Every target is a plain C file defining LLVMFuzzerTestOneInput. The same
 * files are compiled by gcc into tests/io/test_fuzz_regressions.c, which
 * includes several of them into one translation unit after renaming the
 * entry point, so: file-local names carry the target's prefix, and these
 * helpers are static and guarded.
 *
 * An invariant that does not hold aborts with a message, which libFuzzer
 * reports as a crash (and saves the input) and the replay test reports as a
 * failure.
 */
#ifndef CS_FUZZ_UTIL_H
#define CS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* A NUL-terminated heap copy of data[0..size) (embedded NULs kept, so the
 * C string ends at the first one). NULL only when out of memory. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s == NULL)
        return NULL;
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* The capsim source tree: $CAPSIM_SOURCE_DIR (set by CTest and
 * scripts/fuzz.sh), else the directory compiled into the fuzz build, else
 * the working directory. */
static inline const char *fuzz_source_dir(void)
{
    const char *d = getenv("CAPSIM_SOURCE_DIR");

    if (d != NULL && d[0] != '\0')
        return d;
#ifdef CAPSIM_SOURCE_DIR
    return CAPSIM_SOURCE_DIR;
#else
    return ".";
#endif
}

/* <source>/scenarios, where the scenario targets resolve manifest and
 * trace paths (so `feastflow/backend.yaml` in a seed is found). */
static inline const char *fuzz_scenarios_dir(void)
{
    static char dir[1024];

    if (dir[0] == '\0')
        snprintf(dir, sizeof(dir), "%s/scenarios", fuzz_source_dir());
    return dir;
}

#endif
