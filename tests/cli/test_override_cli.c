/*
 * test_override_cli.c - `--set PATH=VALUE` on the command line: it changes
 * what a run computes (the HPA's maxReplicas bounds the peak), is said on
 * stderr, works on run, validate, check and table, and a bad one exits 2
 * with its message and writes nothing.
 */
#include "test_util.h"

#define SCEN "scenarios/feastflow-load-test.yaml"
/* more load than maxReplicas 10 can absorb at 70 % CPU */
#define HEAVY "--set 'workloads.feastflow-backend.load[1].rps=400'"

/* peak_replicas of the (all) row of DIR/summary.csv */
static char *peak_replicas(const char *dir)
{
    char path[600];
    struct tu_table t;
    char *v;

    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    tu_read_csv(path, &t);
    assert_int_equal(t.nrows, 3);
    assert_string_equal(t.rows[2][0], "(all)");
    v = strdup(t.rows[2][tu_col(&t, "peak_replicas")]);
    tu_free_csv(&t);
    return v;
}

static void test_set_changes_the_run(void **state)
{
    char out[16384], args[1024];
    char *dir = tu_tmpdir(), *peak;

    (void)state;
    snprintf(args, sizeof(args),
             "run " SCEN " -o %s " HEAVY
             " --set hpa/feastflow-backend.spec.maxReplicas=4",
             dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 0);
    assert_non_null(
        strstr(out, "overrides: workloads.feastflow-backend.load[1].rps=400 "
                    "hpa/feastflow-backend.spec.maxReplicas=4\n"));
    peak = peak_replicas(dir);
    assert_string_equal(peak, "4");
    free(peak);

    snprintf(args, sizeof(args),
             "run " SCEN " -q -o %s " HEAVY
             " --set hpa/feastflow-backend.spec.maxReplicas=8",
             dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 0);
    assert_string_equal(out, ""); /* -q: not even the overrides */
    peak = peak_replicas(dir);
    assert_string_equal(peak, "8");
    free(peak);
    tu_rmdir(dir);
    free(dir);
}

/* An argument that needs quoting is printed quoted. */
static void test_overrides_line_quotes(void **state)
{
    char out[8192];

    (void)state;
    assert_int_equal(tu_capsim("validate " SCEN " --set 'name=my run' --set "
                               "'expect=[\"flaps == 0\"]'",
                               out, sizeof(out)),
                     0);
    assert_non_null(strstr(out, "overrides: 'name=my run' "
                                "'expect=[\"flaps == 0\"]'\n"));
    assert_non_null(strstr(out, SCEN ": ok (1 workloads, 1 HPAs, 1 node "
                                     "pools)\n"));
}

static void test_bad_set_exits_2(void **state)
{
    char out[8192], args[1024];
    char *dir = tu_tmpdir(), path[600];

    (void)state;
    snprintf(args, sizeof(args), "run " SCEN " -o %s --set x", dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: --set: expected PATH=VALUE, got \"x\"\n");
    snprintf(args, sizeof(args), "run " SCEN " -o %s --set", dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: --set needs PATH=VALUE\n");
    snprintf(args, sizeof(args),
             "run " SCEN " -o %s --set hpa/nope.spec.maxReplicas=3", dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: --set hpa/nope.spec.maxReplicas=3: no "
                             "HorizontalPodAutoscaler named \"nope\" in the "
                             "manifests\n");
    snprintf(args, sizeof(args),
             "run " SCEN " -o %s --set 'cluster.nodePools[gpu].maxSize=8'",
             dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: --set cluster.nodePools[gpu].maxSize=8: "
                             "cluster.nodePools has no item named \"gpu\" "
                             "(names: general)\n");
    snprintf(args, sizeof(args),
             "run " SCEN
             " -o %s --set hpa/feastflow-backend.spec.maxReplicas=0",
             dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_string_equal(out,
                        "capsim: --set hpa/feastflow-backend.spec."
                        "maxReplicas=0:1:40: HorizontalPodAutoscaler "
                        "feastflow-backend.spec.maxReplicas must be between 1 "
                        "and 2147483647, got 0\n");
    /* nothing was written */
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    assert_int_equal(access(path, F_OK), -1);
    tu_rmdir(dir);
    free(dir);
}

static void test_validate_check_table(void **state)
{
    char out[16384], args[1024];
    char *dir = tu_tmpdir();

    (void)state;
    assert_int_equal(
        tu_capsim("validate " SCEN
                  " --set hpa/feastflow-backend.spec.minReplicas=0",
                  out, sizeof(out)),
        2);
    assert_non_null(strstr(out, "capsim: --set hpa/feastflow-backend.spec."
                                "minReplicas=0:1:40: "));
    assert_int_equal(tu_capsim("validate --set", out, sizeof(out)), 2);
    assert_int_equal(tu_capsim("validate " SCEN " --sett x", out, sizeof(out)),
                     2);
    assert_non_null(strstr(out, "capsim: validate: unknown option '--sett'"));

    /* the runbook's scale-up to 3 within 45 s cannot happen at max 2 */
    snprintf(args, sizeof(args),
             "check " SCEN " -o %s --set hpa/feastflow-backend.spec."
             "maxReplicas=2",
             dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "FAIL  max(desired_replicas, to=45s) >= 3"));
    assert_non_null(strstr(out, "6 passed, 2 failed\n"));
    snprintf(args, sizeof(args), "check " SCEN " -q -o %s", dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 0);

    assert_int_equal(tu_capsim("table " SCEN " --format csv --at 0,60s " HEAVY
                               " --set hpa/feastflow-backend.spec."
                               "maxReplicas=4",
                               out, sizeof(out)),
                     0);
    assert_non_null(strstr(out, "overrides: "));
    tu_rmdir(dir);
    free(dir);
}

static void test_help_mentions_set(void **state)
{
    static const char *const cmds[] = {"run --help", "check --help",
                                       "table --help", "validate --help"};
    char out[8192];

    (void)state;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        assert_int_equal(tu_capsim(cmds[i], out, sizeof(out)), 0);
        assert_non_null(strstr(out, "--set PATH=VALUE"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_changes_the_run),
        cmocka_unit_test(test_overrides_line_quotes),
        cmocka_unit_test(test_bad_set_exits_2),
        cmocka_unit_test(test_validate_check_table),
        cmocka_unit_test(test_help_mentions_set),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
