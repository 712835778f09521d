/*
 * test_rollout.c - a scheduled `kubectl set resources` rolls a Deployment
 * out (controllers/rollout.c), read from the timeline, nodes and events a
 * user gets: RollingUpdate with surge only and with unavailability only
 * (bounds on live and Ready pods at every second, old pods keeping their
 * requests on their nodes), Recreate, and the loader's strategy errors.
 */
#include "test_util.h"

#define HEAD                                                                   \
    "duration: 2m\n"                                                           \
    "sampleStep: 1s\n"                                                         \
    "cluster:\n"                                                               \
    "  nodePools:\n"                                                           \
    "    - {name: a, nodes: 2, capacity: {cpu: 8, memory: 32Gi}}\n"            \
    "manifests:\n"                                                             \
    "  - apiVersion: apps/v1\n"                                                \
    "    kind: Deployment\n"                                                   \
    "    metadata: {name: api}\n"                                              \
    "    spec:\n"                                                              \
    "      replicas: 4\n"

#define TAIL                                                                   \
    "      template:\n"                                                        \
    "        spec:\n"                                                          \
    "          containers:\n"                                                  \
    "            - name: c\n"                                                  \
    "              resources: {requests: {cpu: 500m, memory: 256Mi}}\n"        \
    "              readinessProbe: {httpGet: {port: 80}, "                     \
    "initialDelaySeconds: 5, periodSeconds: 1}\n"                              \
    "workloads:\n"                                                             \
    "  api: {startup: {schedule: 0s, imagePull: 0s, containerStart: 0s, "      \
    "warmup: 0s, shutdown: 3s}}\n"                                             \
    "schedule:\n"                                                              \
    "  - name: resize\n"                                                       \
    "    at: 30s\n"                                                            \
    "    kubectl: kubectl set resources deployment api -c c "                  \
    "--requests=cpu=1,memory=256Mi\n"

static void assert_events(const struct tu_run *r, const char *want)
{
    char *got = tu_dump(&r->ev, SIZE_MAX);

    assert_string_equal(got, want);
    free(got);
}

/* Every second: live pods <= max_live, Ready >= min_ready. */
static void bounds(const struct tu_run *r, long max_live, long min_ready)
{
    char t[16];

    for (int s = 0; s <= 120; s++) {
        snprintf(t, sizeof(t), "%d", s);
        if (tu_tl_num(r, t, "api", "replicas") > max_live ||
            tu_tl_num(r, t, "api", "ready_replicas") < min_ready)
            fail_msg("at %d s: %ld live, %ld ready", s,
                     tu_tl_num(r, t, "api", "replicas"),
                     tu_tl_num(r, t, "api", "ready_replicas"));
    }
}

/* cluster cpu requested at t (both nodes of pool a). */
static long cpu_requested(const struct tu_run *r, const char *t)
{
    char p[600];
    struct tu_table nodes;
    long v;

    snprintf(p, sizeof(p), "%s/nodes.csv", r->dir);
    tu_read_csv(p, &nodes);
    v = -1;
    for (size_t i = 1; i < nodes.nrows; i++)
        if (strcmp(nodes.rows[i][tu_col(&nodes, "time_s")], t) == 0 &&
            strcmp(nodes.rows[i][tu_col(&nodes, "pool")], "a") == 0)
            v = strtol(nodes.rows[i][tu_col(&nodes, "cpu_requested_m")], NULL,
                       10);
    tu_free_csv(&nodes);
    return v;
}

static void test_surge_one(void **state)
{
    struct tu_run r;

    (void)state;
    tu_run_yaml(&r, HEAD "      strategy: {rollingUpdate: {maxSurge: 1, "
                         "maxUnavailable: 0}}\n" TAIL);
    assert_events(
        &r, "time_s,kind,object,reason,message\n"
            "30,Schedule,resize,SetResources,kubectl set resources "
            "deployment/api -c c --requests=cpu=1,memory=268435456\n"
            "30,Deployment,api,ScalingReplicaSet,Scaled up replica set "
            "api-2 to 1 from 0\n"
            "35,Deployment,api,ScalingReplicaSet,Scaled down replica set "
            "api-1 to 3 from 4\n"
            "35,Deployment,api,ScalingReplicaSet,Scaled up replica set "
            "api-2 to 2 from 1\n"
            "40,Deployment,api,ScalingReplicaSet,Scaled down replica set "
            "api-1 to 2 from 3\n"
            "40,Deployment,api,ScalingReplicaSet,Scaled up replica set "
            "api-2 to 3 from 2\n"
            "45,Deployment,api,ScalingReplicaSet,Scaled down replica set "
            "api-1 to 1 from 2\n"
            "45,Deployment,api,ScalingReplicaSet,Scaled up replica set "
            "api-2 to 4 from 3\n"
            "50,Deployment,api,ScalingReplicaSet,Scaled down replica set "
            "api-1 to 0 from 1\n"
            "50,Deployment,api,NewReplicaSetAvailable,ReplicaSet \"api-2\" "
            "has successfully progressed: rollout complete\n");
    bounds(&r, 5, 4);
    /* old pods keep 500m on their nodes until they are gone */
    assert_int_equal(cpu_requested(&r, "29"), 2000);
    assert_int_equal(cpu_requested(&r, "31"), 3000);
    assert_int_equal(cpu_requested(&r, "120"), 4000);
    tu_run_free(&r);
}

static void test_unavailable_one(void **state)
{
    struct tu_run r;

    (void)state;
    tu_run_yaml(&r, HEAD "      strategy: {rollingUpdate: {maxSurge: 0, "
                         "maxUnavailable: 1}}\n" TAIL);
    bounds(&r, 4, 3);
    assert_int_equal(tu_tl_num(&r, "31", "api", "ready_replicas"), 3);
    assert_int_equal(cpu_requested(&r, "120"), 4000);
    {
        char *ev = tu_dump(&r.ev, SIZE_MAX);

        assert_non_null(strstr(ev, "NewReplicaSetAvailable"));
        free(ev);
    }
    tu_run_free(&r);
}

static void test_recreate(void **state)
{
    struct tu_run r;

    (void)state;
    tu_run_yaml(&r, HEAD "      strategy: {type: Recreate}\n" TAIL);
    assert_events(
        &r, "time_s,kind,object,reason,message\n"
            "30,Schedule,resize,SetResources,kubectl set resources "
            "deployment/api -c c --requests=cpu=1,memory=268435456\n"
            "30,Deployment,api,ScalingReplicaSet,Scaled down replica set "
            "api-1 to 0 from 4\n"
            "33,Deployment,api,ScalingReplicaSet,Scaled up replica set "
            "api-2 to 4 from 0\n"
            "38,Deployment,api,NewReplicaSetAvailable,ReplicaSet \"api-2\" "
            "has successfully progressed: rollout complete\n");
    assert_int_equal(tu_tl_num(&r, "31", "api", "ready_replicas"), 0);
    assert_int_equal(cpu_requested(&r, "120"), 4000);
    tu_run_free(&r);
}

static void load_fails(const char *strategy, const char *want)
{
    char yaml[4096];
    struct cs_err err;
    struct cs_scenario *sc;

    snprintf(yaml, sizeof(yaml), HEAD "%s" TAIL, strategy);
    sc = tu_load_string(yaml, &err);
    assert_null(sc);
    assert_string_equal(err.msg, want);
}

static void test_strategy_errors(void **state)
{
    (void)state;
    load_fails("      strategy: {type: BlueGreen}\n",
               "Deployment api.spec.strategy.type must be RollingUpdate or "
               "Recreate, got \"BlueGreen\"");
    load_fails("      strategy: {rollingUpdate: {maxSurge: 0, "
               "maxUnavailable: 0%}}\n",
               "Deployment api.spec.strategy.rollingUpdate: maxSurge and "
               "maxUnavailable must not both be 0");
    load_fails("      strategy: {rollingUpdate: {maxUnavailable: 150%}}\n",
               "Deployment api.spec.strategy.rollingUpdate.maxUnavailable "
               "must not be greater than 100%, got \"150%\"");
    load_fails("      strategy: {rollingUpdate: {maxSurge: \"2\"}}\n",
               "Deployment api.spec.strategy.rollingUpdate.maxSurge must be "
               "an integer or a percentage (e.g. 1 or 25%), got \"2\"");
    load_fails("      strategy: {rollingUpdate: {maxSurge: -1}}\n",
               "Deployment api.spec.strategy.rollingUpdate.maxSurge must not "
               "be negative, got \"-1\"");
    load_fails("      strategy: {type: Recreate, rollingUpdate: "
               "{maxSurge: 1}}\n",
               "Deployment api.spec.strategy.rollingUpdate must not be given "
               "when type is Recreate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_surge_one),
        cmocka_unit_test(test_unavailable_one),
        cmocka_unit_test(test_recreate),
        cmocka_unit_test(test_strategy_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
