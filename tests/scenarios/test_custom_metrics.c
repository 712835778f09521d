/*
 * test_custom_metrics.c - HPAs on Pods and External metrics fed by the
 * simulated load, and the adapter delay of an External metric.
 */
#include "test_util.h"

static const char pods_scenario[] =
    "duration: 2m\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: general, nodes: 4, capacity: {cpu: 8, memory: 32Gi}}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      replicas: 2\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - name: web\n"
    "              resources: {requests: {cpu: 500m, memory: 256Mi},\n"
    "                          limits: {cpu: 2}}\n"
    "  - apiVersion: autoscaling/v2\n"
    "    kind: HorizontalPodAutoscaler\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: "
    "web}\n"
    "      minReplicas: 2\n"
    "      maxReplicas: 20\n"
    "      metrics:\n"
    "        - type: %s\n"
    "%s"
    "workloads:\n"
    "  web:\n"
    "    cpuPerRequest: 1ms\n"
    "    load: [{at: 0s, rps: 100}, {at: 30s, rps: 600}]\n"
    "externalMetrics:\n"
    "  ingress_rps: {workload: web, value: rps, delay: %s}\n";

static const char pods_metric[] =
    "          pods:\n"
    "            metric: {name: http_requests_per_second}\n"
    "            target: {type: AverageValue, averageValue: 50}\n";

static const char external_metric[] =
    "          external:\n"
    "            metric: {name: ingress_rps}\n"
    "            target: {type: AverageValue, averageValue: 100}\n";

/* Desired replicas per sample time for the given metric. */
static void run(const char *type, const char *metric, const char *delay,
                struct tu_table *tl, char **dir)
{
    char yaml[4096], path[600];
    struct cs_err err;
    struct cs_scenario *sc;

    snprintf(yaml, sizeof(yaml), pods_scenario, type, metric, delay);
    sc = tu_load_string(yaml, &err);
    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    *dir = tu_tmpdir();
    assert_int_equal(tu_run_loaded(sc, 1, *dir), 0);
    cs_scenario_destroy(sc);
    snprintf(path, sizeof(path), "%s/timeline.csv", *dir);
    tu_read_csv(path, tl);
}

static void done(struct tu_table *tl, char *dir)
{
    tu_free_csv(tl);
    tu_rmdir(dir);
    free(dir);
}

/* 100 rps over 2 pods is 50 per pod: on target. At 600 rps the first scrape
 * window that covers the new load (30-45 s) gives 300 per pod, so the HPA
 * at 45 s wants 2 * 300 / 50 = 12, and without `behavior` the legacy
 * scale-up limit max(2 * current, 4) = 4 caps it. */
static void test_pods_metric(void **state)
{
    struct tu_table tl;
    char *dir;

    (void)state;
    run("Pods", pods_metric, "0s", &tl, &dir);
    assert_string_equal(tu_at(&tl, "30", NULL, "desired_replicas"), "2");
    assert_string_equal(tu_at(&tl, "45", NULL, "desired_replicas"), "4");
    done(&tl, dir);
}

/* External AverageValue: ceil(total / 100) = 6, capped at 4 by the legacy
 * limit. Without delay the HPA at 30 s already sees 600 rps; with a 30 s
 * adapter delay only at 60 s. */
static void test_external_delay(void **state)
{
    struct tu_table tl;
    char *dir;

    (void)state;
    run("External", external_metric, "0s", &tl, &dir);
    assert_string_equal(tu_at(&tl, "15", NULL, "desired_replicas"), "2");
    assert_string_equal(tu_at(&tl, "30", NULL, "desired_replicas"), "4");
    done(&tl, dir);
    run("External", external_metric, "30s", &tl, &dir);
    assert_string_equal(tu_at(&tl, "45", NULL, "desired_replicas"), "2");
    assert_string_equal(tu_at(&tl, "60", NULL, "desired_replicas"), "4");
    done(&tl, dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pods_metric),
        cmocka_unit_test(test_external_delay),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
