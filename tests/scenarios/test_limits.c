/*
 * test_limits.c - a scenario cannot make capsim allocate without bound or
 * loop for ever: the node, output and pod limits stop it with an error
 * that names the limit and how to raise it, and so does a run of events
 * that never lets time pass.
 */
#include "test_util.h"

static const char base[] =
    "duration: %s\n"
    "sampleStep: %s\n"
    "limits: {maxPods: %s}\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: a, nodes: %s, capacity: {cpu: 4, memory: 16Gi}}\n"
    "    - {name: b, nodes: %s, capacity: {cpu: 4, memory: 16Gi}}\n"
    "manifests:\n"
    "  - feastflow/backend.yaml\n"
    "workloads:\n"
    "  feastflow-backend:\n"
    "    load: [{at: 0s, rps: 2}, {at: 1m, rps: 2000}]\n";

/* cs_sim_create's error for the scenario, or "" when it succeeds. */
static void create(const char *duration, const char *step, const char *pods,
                   const char *na, const char *nb, char *msg, size_t n)
{
    char yaml[2048];
    struct cs_err err;
    struct cs_scenario *sc;
    struct cs_sim *sim;

    snprintf(yaml, sizeof(yaml), base, duration, step, pods, na, nb);
    sc = tu_load_string(yaml, &err);
    assert_non_null(sc);
    cs_err_clear(&err);
    sim = cs_sim_create(sc, 1, &err);
    if (sim != NULL) {
        msg[0] = '\0';
        cs_sim_destroy(sim);
    } else {
        cs_err_format(&err, msg, n);
    }
    cs_scenario_destroy(sc);
}

static void test_nodes_and_output(void **state)
{
    char msg[1024];

    (void)state;
    create("10m", "15s", "1000", "60000", "60000", msg, sizeof(msg));
    assert_string_equal(msg, "inline.yaml: the cluster has 120000 nodes; the "
                             "limit is 100000, raise it with limits.maxNodes "
                             "or --max-nodes");
    /* 360 days at 100 ms: 311 million samples of 1 workload and 2 pools */
    create("8640h", "100ms", "1000", "2", "2", msg, sizeof(msg));
    assert_string_equal(
        msg, "inline.yaml: the run would write about 56953 MB of timeline "
             "(311040001 samples of 1 workloads and 2 pools); the limit is "
             "8192 MB: use a longer sampleStep, or raise limits.maxOutputMB "
             "or --max-output-mb");
    create("8640h", "1m", "1000", "2", "2", msg, sizeof(msg));
    assert_string_equal(msg, "");
}

/* The HPA wants 10 pods; the limit is 4. */
static void test_pod_limit_at_run_time(void **state)
{
    char yaml[2048];
    struct cs_err err;
    struct cs_scenario *sc;
    struct cs_sim *sim;
    char msg[1024];

    (void)state;
    snprintf(yaml, sizeof(yaml), base, "10m", "15s", "4", "2", "2");
    sc = tu_load_string(yaml, &err);
    assert_non_null(sc);
    sim = cs_sim_create(sc, 1, &err);
    assert_non_null(sim);
    assert_int_equal(cs_sim_run(sim), CS_ELIMIT);
    cs_err_format(&sim->errinfo, msg, sizeof(msg));
    assert_string_equal(msg, "the run needs more than 4 pods at once; the "
                             "limit is 4, raise it with --max-pods");
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
}

/* A bound on events at one instant (set low here) stops a loop. */
static void test_events_at_one_instant(void **state)
{
    char yaml[2048];
    struct cs_err err;
    struct cs_scenario *sc;
    struct cs_sim *sim;
    char msg[1024];

    (void)state;
    snprintf(yaml, sizeof(yaml), base, "10m", "15s", "1000", "2", "2");
    sc = tu_load_string(yaml, &err);
    assert_non_null(sc);
    sim = cs_sim_create(sc, 1, &err);
    assert_non_null(sim);
    sim->limits.instant_events = 2;
    assert_int_equal(cs_sim_run(sim), CS_ELIMIT);
    cs_err_format(&sim->errinfo, msg, sizeof(msg));
    assert_string_equal(msg, "more than 2 events at simulated time 0.000 s "
                             "without time passing: the scenario loops (a "
                             "zero delay?)");
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nodes_and_output),
        cmocka_unit_test(test_pod_limit_at_run_time),
        cmocka_unit_test(test_events_at_one_instant),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
