/*
 * test_cli.c - the capsim executable as a user and a CI pipeline meet it:
 * help and version, exit statuses, where the outputs go, --seed.
 */
#include "test_util.h"

static void test_help_and_version(void **state)
{
    char out[8192];

    (void)state;
    assert_int_equal(tu_capsim("--help", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "usage: capsim"));
    assert_int_equal(tu_capsim("run --help", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "--seed N"));
    assert_int_equal(tu_capsim("--version", out, sizeof(out)), 0);
    assert_memory_equal(out, "capsim ", 7);
}

static void test_usage_errors(void **state)
{
    char out[8192];

    (void)state;
    assert_int_equal(tu_capsim("", out, sizeof(out)), 2);
    assert_int_equal(tu_capsim("frobnicate", out, sizeof(out)), 2);
    assert_non_null(strstr(out, "unknown command 'frobnicate'"));
    assert_int_equal(tu_capsim("run", out, sizeof(out)), 2);
    assert_int_equal(tu_capsim("run x.yaml --sed 3", out, sizeof(out)), 2);
    assert_non_null(strstr(out, "unknown option '--sed'"));
    assert_int_equal(tu_capsim("run x.yaml --seed -4", out, sizeof(out)), 2);
    assert_int_equal(tu_capsim("run no-such.yaml", out, sizeof(out)), 2);
    assert_non_null(strstr(out, "no-such.yaml"));
}

static void test_run_says_where_outputs_went(void **state)
{
    char out[16384], args[1024], path[600];
    char *dir = tu_tmpdir();
    struct tu_table t;

    (void)state;
    snprintf(args, sizeof(args),
             "run scenarios/feastflow-load-test.yaml -o %s --seed 3", dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 0);
    snprintf(path, sizeof(path), "%s/timeline.csv", dir);
    assert_non_null(strstr(out, path));
    assert_non_null(strstr(out, "feastflow-backend"));
    tu_read_csv(path, &t);
    /* 15 minutes at 15 s: samples 0..900 s, one workload */
    assert_int_equal(t.nrows, 1 + 61);
    assert_string_equal(t.rows[0][0], "time_s");
    tu_free_csv(&t);
    tu_rmdir(dir);
    free(dir);
}

static void test_validate(void **state)
{
    char out[8192];

    (void)state;
    assert_int_equal(tu_capsim("validate scenarios/feastflow-load-test.yaml",
                               out, sizeof(out)),
                     0);
    assert_non_null(strstr(out, "ok (1 workloads, 1 HPAs, 1 node pools)"));
    assert_int_equal(tu_capsim("validate scenarios/feastflow-load-test.yaml "
                               "tests/scenarios/errors/bad-duration.yaml",
                               out, sizeof(out)),
                     2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_run_says_where_outputs_went),
        cmocka_unit_test(test_validate),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
