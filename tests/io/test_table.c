/*
 * test_table.c - the runbook table generated from the FeastFlow run: the
 * decisions in plain words, rows at given times, CSV.
 */
#include "test_util.h"

#include "io/table.h"

/* Run FeastFlow in memory with the table recording its HPA and print the
 * table (at[0..nat), or every decision) into buf. */
static void feastflow_table(const cs_time_ms *at, size_t nat,
                            enum cs_table_format f, char *buf, size_t n)
{
    struct cs_err err;
    struct cs_scenario *sc =
        cs_scenario_load("scenarios/feastflow-load-test.yaml", &err);
    struct cs_sim *sim;
    struct cs_table t;
    FILE *fp = fmemopen(buf, n, "w");

    assert_non_null(sc);
    assert_non_null(fp);
    sim = cs_sim_create(sc, sc->seed, &err);
    assert_non_null(sim);
    cs_table_init(&t, sc, 0);
    sim->on_hpa_pass = cs_table_hook;
    sim->hook_ctx = &t;
    assert_int_equal(cs_sim_run(sim), 0);
    /* one row per HPA pass: 0, 15 s, ..., 900 s */
    assert_int_equal(t.n, 61);
    assert_int_equal(cs_table_write(&t, at, nat, f, fp), 0);
    fclose(fp);
    cs_table_fini(&t);
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
}

/* The runbook's story: scale up within 30 s of the load, hold 3 replicas
 * through the 300 s window, come back to 2. */
static void test_feastflow_decisions(void **state)
{
    char buf[8192];

    (void)state;
    feastflow_table(NULL, 0, CS_TABLE_MARKDOWN, buf, sizeof(buf));
    assert_string_equal(
        buf, "| Time | CPU Usage | Replicas | HPA Action |\n"
             "|------|-----------|----------|------------|\n"
             "| 0s | 31% | 2 | No action (below target) |\n"
             "| 30s | 86% | 2 | Scale up to 3 replicas |\n"
             "| 45s | 86% | 3 | No action (above target, but pods without "
             "metrics count as idle) |\n"
             "| 1m0s | 73% | 3 | No action (within tolerance of the target) |\n"
             "| 3m15s | 30% | 3 | Scale-down to 2 held by the stabilization "
             "window |\n"
             "| 8m0s | 30% | 3 | Scale down to 2 replicas |\n"
             "| 8m15s | 31% | 2 | No action (below target) |\n");
}

/* The README shows this very table; a model change must update it. */
static void test_readme_shows_the_table(void **state)
{
    char buf[8192];
    char *readme = tu_slurp("README.md", NULL);

    (void)state;
    feastflow_table(NULL, 0, CS_TABLE_MARKDOWN, buf, sizeof(buf));
    if (strstr(readme, buf) == NULL)
        fail_msg("README.md lacks the current FeastFlow table:\n%s", buf);
    free(readme);
}

static void test_feastflow_at_times_csv(void **state)
{
    char buf[8192];
    const cs_time_ms at[] = {0, 20000, 30000, 600000};

    (void)state;
    feastflow_table(at, 4, CS_TABLE_CSV, buf, sizeof(buf));
    assert_string_equal(buf,
                        "time_s,cpu_usage,replicas,hpa_action\n"
                        "0,31%,2,No action (below target)\n"
                        "20,31%,2,No action (below target) (last pass at 15s)\n"
                        "30,86%,2,Scale up to 3 replicas\n"
                        "600,31%,2,No action (below target)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feastflow_decisions),
        cmocka_unit_test(test_feastflow_at_times_csv),
        cmocka_unit_test(test_readme_shows_the_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
