/*
 * test_fuzz_regressions.c - replay the fuzz corpora and every input that
 * once crashed a fuzz target, in the normal (gcc, ASan) test build.
 *
 * The libFuzzer targets of tests/fuzz are compiled in here, each with its
 * entry point renamed, so the replay checks exactly the invariants the
 * fuzzers check, with no clang needed. Every file of
 * tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/ is fed
 * to its target; a broken invariant aborts, a memory error or leak is
 * reported by the sanitizers. docs/fuzzing.md says how to add an input.
 */
#define _POSIX_C_SOURCE 200809L

#define LLVMFuzzerTestOneInput fuzz_quantity_one
#include "fuzz/fuzz_quantity.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_yaml_one
#include "fuzz/fuzz_yaml.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_scenario_one
#include "fuzz/fuzz_scenario.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_manifest_one
#include "fuzz/fuzz_manifest.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_expect_one
#include "fuzz/fuzz_expect.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_trace_one
#include "fuzz/fuzz_trace.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_kubectl_one
#include "fuzz/fuzz_kubectl.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_cron_one
#include "fuzz/fuzz_cron.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_override_one
#include "fuzz/fuzz_override.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_sweep_one
#include "fuzz/fuzz_sweep.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_run_one
#include "fuzz/fuzz_run.c"
#undef LLVMFuzzerTestOneInput

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

typedef int (*fuzz_one_fn)(const uint8_t *data, size_t size);

/* Reads path whole into a malloc'd buffer; NULL if it cannot. */
static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;

    if (f == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *size = n;
    return buf;
}

/* Feeds every file of dir whose name ends in suffix ("" for any) to fn;
 * returns how many (a missing directory is 0 files). */
static int replay_files(const char *dir, const char *suffix, fuzz_one_fn fn)
{
    char path[2048];
    struct dirent *de;
    size_t sl = strlen(suffix);
    DIR *d;
    int count = 0;

    d = opendir(dir);
    if (d == NULL)
        return 0;
    while ((de = readdir(d)) != NULL) {
        uint8_t *data;
        size_t size = 0, nl = strlen(de->d_name);

        if (de->d_name[0] == '.' || nl < sl ||
            strcmp(de->d_name + nl - sl, suffix) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        data = read_all(path, &size);
        if (data == NULL)
            fail_msg("cannot read %s", path);
        fn(data, size);
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

/* Every file of <source>/tests/fuzz/<kind>/<target>. */
static int replay_dir(const char *kind, const char *target, fuzz_one_fn fn)
{
    char dir[1024];

    snprintf(dir, sizeof(dir), "%s/tests/fuzz/%s/%s", fuzz_source_dir(), kind,
             target);
    return replay_files(dir, "", fn);
}

/* The seed corpus must be there (it is part of the repository). */
static void replay(const char *target, fuzz_one_fn fn)
{
    int seeds = replay_dir("corpus", target, fn);

    if (seeds == 0)
        fail_msg("no seed inputs in tests/fuzz/corpus/%s (wrong "
                 "CAPSIM_SOURCE_DIR?)",
                 target);
    replay_dir("regressions", target, fn);
}

static void test_quantity(void **state)
{
    (void)state;
    replay("quantity", fuzz_quantity_one);
}

static void test_yaml(void **state)
{
    (void)state;
    replay("yaml", fuzz_yaml_one);
}

static void test_scenario(void **state)
{
    (void)state;
    replay("scenario", fuzz_scenario_one);
}

static void test_manifest(void **state)
{
    (void)state;
    replay("manifest", fuzz_manifest_one);
}

static void test_csv(void **state)
{
    (void)state;
    replay("csv", fuzz_csv_one);
}

static void test_trace(void **state)
{
    (void)state;
    replay("trace", fuzz_trace_one);
}

static void test_kubectl(void **state)
{
    (void)state;
    replay("kubectl", fuzz_kubectl_one);
}

static void test_cron(void **state)
{
    (void)state;
    replay("cron", fuzz_cron_one);
}

static void test_override(void **state)
{
    (void)state;
    replay("override", fuzz_override_one);
}

static void test_sweep(void **state)
{
    (void)state;
    replay("sweep", fuzz_sweep_one);
}

/* Its seeds are the shipped scenarios; the scenario target's regressions
 * are scenarios too: run them. */
static void test_run(void **state)
{
    (void)state;
    if (replay_files(fuzz_scenarios_dir(), ".yaml", fuzz_run_one) == 0)
        fail_msg("no scenarios in %s (wrong CAPSIM_SOURCE_DIR?)",
                 fuzz_scenarios_dir());
    replay_dir("regressions", "run", fuzz_run_one);
    replay_dir("regressions", "scenario", fuzz_run_one);
}

static void test_expect(void **state)
{
    (void)state;
    replay("expect", fuzz_expect_one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantity), cmocka_unit_test(test_yaml),
        cmocka_unit_test(test_scenario), cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_csv),      cmocka_unit_test(test_expect),
        cmocka_unit_test(test_trace),    cmocka_unit_test(test_kubectl),
        cmocka_unit_test(test_cron),     cmocka_unit_test(test_override),
        cmocka_unit_test(test_sweep),    cmocka_unit_test(test_run),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
