/*
 * test_summary.c - summary figures of whole runs whose right answers follow
 * from the scenario alone: a pod that never fits waits the whole run, node
 * hours and cost come from the pools, the (all) row adds the workloads up,
 * and a load step the pods cannot serve opens a step that the HPA closes.
 */
#include "test_util.h"

/* Two Deployments without HPAs on one 2-CPU node: `big` wants 3 pods of
 * 800m (two fit, the third waits for ever), `small` 1 pod of 100m. */
static const char full_cluster[] =
    "duration: 10m\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: a, nodes: 1, capacity: {cpu: 2, memory: 8Gi},\n"
    "       pricePerHour: 0.6}\n"
    "    - {name: b, nodes: 2, capacity: {cpu: 1, memory: 4Gi},\n"
    "       pricePerHour: 0.3, taints: [{key: x, effect: NoSchedule}]}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: big}\n"
    "    spec:\n"
    "      replicas: 3\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: c, resources: {requests: {cpu: 800m}}}\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: small}\n"
    "    spec:\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: c, resources: {requests: {cpu: 100m}}}\n";

static double num(const struct tu_table *t, size_t row, const char *col)
{
    const char *s = t->rows[row][tu_col(t, col)];

    if (s[0] == '\0')
        return NAN;
    return strtod(s, NULL);
}

static void test_full_cluster(void **state)
{
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(full_cluster, &err);
    char *dir = tu_tmpdir(), path[600];
    struct tu_table t;

    (void)state;
    assert_non_null(sc);
    assert_int_equal(tu_run_loaded(sc, 1, dir), 0);
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    tu_read_csv(path, &t);
    assert_int_equal(t.nrows, 1 + 2 + 1);
    assert_string_equal(t.rows[1][0], "big");
    assert_string_equal(t.rows[3][0], "(all)");
    /* the third pod of big waited from t = 0 to the end */
    assert_true(num(&t, 1, "pod_starts") == 1);
    assert_true(num(&t, 1, "pending_max_s") == 600);
    assert_true(num(&t, 1, "peak_replicas") == 3);
    /* 3 replicas for 10 minutes; small 1 */
    assert_true(fabs(num(&t, 1, "replica_hours") - 0.5) < 1e-9);
    assert_true(fabs(num(&t, 3, "replica_hours") - 4.0 / 6) < 1e-4);
    assert_true(num(&t, 3, "peak_replicas") == 4);
    /* 3 nodes for 1/6 h; 0.6 + 2 x 0.3 per hour */
    assert_true(fabs(num(&t, 3, "node_hours") - 0.5) < 1e-9);
    assert_true(fabs(num(&t, 3, "cost_usd") - 0.2) < 1e-9);
    assert_true(isnan(num(&t, 1, "cost_usd"))); /* per workload: undefined */
    /* no load: no steps, no latency */
    assert_true(num(&t, 3, "load_steps") == 0);
    assert_true(isnan(num(&t, 3, "time_to_capacity_s")));
    tu_free_csv(&t);
    snprintf(path, sizeof(path), "%s/nodes.csv", dir);
    tu_read_csv(path, &t);
    /* 41 samples x 2 pools; at 10 m pool a has cost 0.6 / 6 */
    assert_int_equal(t.nrows, 1 + 41 * 2);
    assert_string_equal(t.rows[81][0], "600");
    assert_string_equal(t.rows[81][1], "a");
    assert_string_equal(t.rows[81][tu_col(&t, "cost_usd_total")], "0.1");
    assert_string_equal(t.rows[81][tu_col(&t, "cpu_requested_pct")], "85");
    tu_free_csv(&t);
    cs_scenario_destroy(sc);
    tu_rmdir(dir);
    free(dir);
}

/* FeastFlow with an SLO its 2 pods cannot meet at the load: the step
 * opens at 15 s and the HPA's third pod closes it. */
static void test_step_and_slo(void **state)
{
    char *dir = tu_tmpdir(), path[600];
    struct cs_err err;
    char *yaml = tu_slurp("scenarios/feastflow-load-test.yaml", NULL);
    char *p = strstr(yaml, "    load:\n");
    struct cs_scenario *sc;
    struct tu_table t;
    char buf[8192];

    (void)state;
    assert_non_null(p);
    /* the p95 of 2 pods at 112 rps is 58 ms, of 3 pods 56 ms */
    snprintf(buf, sizeof(buf), "%.*s    slo: {latencyP95: 57ms}\n%s",
             (int)(p - yaml), yaml, p);
    sc = tu_load_string(buf, &err);
    assert_non_null(sc);
    assert_int_equal(tu_run_loaded(sc, 1, dir), 0);
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    tu_read_csv(path, &t);
    assert_string_equal(t.rows[1][tu_col(&t, "slo_ms")], "57");
    assert_true(num(&t, 1, "load_steps") == 1);
    /* the third pod is ready between 45 s and 60 s (timeline) */
    assert_true(num(&t, 1, "time_to_capacity_s") > 30);
    assert_true(num(&t, 1, "time_to_capacity_s") < 45);
    /* over the SLO from 15 s until the 60 s sample */
    assert_true(num(&t, 1, "time_over_slo_s") == 45);
    assert_true(num(&t, 1, "under_timeshare_pct") > 0);
    tu_free_csv(&t);
    cs_scenario_destroy(sc);
    free(yaml);
    tu_rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_cluster),
        cmocka_unit_test(test_step_and_slo),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
