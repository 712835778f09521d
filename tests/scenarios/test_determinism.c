/*
 * test_determinism.c - same scenario and seed give byte-identical outputs;
 * another seed changes the random start-up delays and so the outputs.
 */
#include "test_util.h"

static const char *const files[] = {"timeline.csv", "events.csv",
                                    "summary.csv"};

/* 1 if every output file of a and b is byte-identical. */
static int same_outputs(const char *a, const char *b)
{
    int same = 1;

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char pa[512], pb[512];
        size_t la, lb;
        char *ta, *tb;

        snprintf(pa, sizeof(pa), "%s/%s", a, files[i]);
        snprintf(pb, sizeof(pb), "%s/%s", b, files[i]);
        ta = tu_slurp(pa, &la);
        tb = tu_slurp(pb, &lb);
        same &= la == lb && memcmp(ta, tb, la) == 0;
        free(ta);
        free(tb);
    }
    return same;
}

/* A scenario where start-up randomness shows in the timeline: a 1 s
 * sample step during a scale-up with lognormal image pulls. */
static const char scenario[] =
    "duration: 3m\n"
    "sampleStep: 1s\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: general, nodes: 4, capacity: {cpu: 4, memory: 16Gi}}\n"
    "manifests:\n"
    "  - feastflow/backend.yaml\n"
    "workloads:\n"
    "  feastflow-backend:\n"
    "    idleCpu: 60m\n"
    "    cpuPerRequest: 2ms\n"
    "    startup: {imagePull: {lognormal: {median: 5s, p95: 30s}}}\n"
    "    load: [{at: 0s, rps: 2}, {at: 10s, rps: 400}]\n";

static void run_seed(uint64_t seed, const char *dir)
{
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(scenario, &err);

    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    assert_int_equal(tu_run_loaded(sc, seed, dir), 0);
    cs_scenario_destroy(sc);
}

static void test_same_seed_same_bytes(void **state)
{
    char *a = tu_tmpdir(), *b = tu_tmpdir(), *c = tu_tmpdir();

    (void)state;
    run_seed(7, a);
    run_seed(7, b);
    run_seed(8, c);
    assert_true(same_outputs(a, b));
    assert_false(same_outputs(a, c));
    tu_rmdir(a);
    tu_rmdir(b);
    tu_rmdir(c);
    free(a);
    free(b);
    free(c);
}

/* The FeastFlow scenario file, twice in one process (no global state). */
static void test_file_twice(void **state)
{
    char *a = tu_tmpdir(), *b = tu_tmpdir();

    (void)state;
    tu_run_file("scenarios/feastflow-load-test.yaml", 1, a);
    tu_run_file("scenarios/feastflow-load-test.yaml", 1, b);
    assert_true(same_outputs(a, b));
    tu_rmdir(a);
    tu_rmdir(b);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_file_twice),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
