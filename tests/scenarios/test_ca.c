/*
 * test_ca.c - the cluster autoscaler, spot capacity, PDBs and quotas in
 * whole runs, read from events.csv, nodes.csv and timeline.csv as a user
 * reads them: when a group grows and by how much, when an unneeded node
 * goes, backoff after a provisioning timeout or a stockout and the
 * fallback to another group, GPU taints and the 30 s rule for GPU pods,
 * drains refused by a PodDisruptionBudget, spot notice timing, a quota
 * holding replicas below desired, and determinism with interruptions.
 */
#include "test_util.h"

/* Deployment `api`: n pods of 1 CPU (a 2-CPU node holds 2). */
#define API(n)                                                                 \
    "  - apiVersion: apps/v1\n"                                                \
    "    kind: Deployment\n"                                                   \
    "    metadata: {name: api}\n"                                              \
    "    spec:\n"                                                              \
    "      replicas: " #n "\n"                                                 \
    "      selector: {matchLabels: {app: api}}\n"                              \
    "      template:\n"                                                        \
    "        metadata: {labels: {app: api}}\n"                                 \
    "        spec:\n"                                                          \
    "          terminationGracePeriodSeconds: 5\n"                             \
    "          containers:\n"                                                  \
    "            - {name: c, resources: {requests: {cpu: \"1\", "              \
    "memory: 1Gi}}}\n"

#define POOL(name, nodes, min, max, extra)                                     \
    "    - {name: " name ", nodes: " #nodes ", minSize: " #min                 \
    ", maxSize: " #max ", capacity: {cpu: 2, memory: 8Gi}, "                   \
    "provisioning: 60s, boot: 10s, pricePerHour: 0.1" extra "}\n"

static const char instant[] =
    "workloads:\n  api: {startup: {schedule: 0s, imagePull: 0s, "
    "containerStart: 0s, warmup: 0s, shutdown: 1s}}\n";

/* events.csv rows whose reason is one of `reasons` (comma separated),
 * as "time,object,reason,message" lines. */
static char *events(const struct tu_run *r, const char *reasons)
{
    size_t ct = tu_col(&r->ev, "time_s"), co = tu_col(&r->ev, "object"),
           cr = tu_col(&r->ev, "reason"), cm = tu_col(&r->ev, "message");
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);

    s[0] = '\0';
    for (size_t i = 1; i < r->ev.nrows; i++) {
        char *const *row = r->ev.rows[i];
        char key[128];
        int len;

        snprintf(key, sizeof(key), ",%s,", row[cr]);
        {
            char all[256];

            snprintf(all, sizeof(all), ",%s,", reasons);
            if (strstr(all, key) == NULL)
                continue;
        }
        len = snprintf(NULL, 0, "%s,%s,%s,%s\n", row[ct], row[co], row[cr],
                       row[cm]);
        while (n + (size_t)len + 1 >= cap)
            s = realloc(s, cap *= 2);
        snprintf(s + n, cap - n, "%s,%s,%s,%s\n", row[ct], row[co], row[cr],
                 row[cm]);
        n += (size_t)len;
    }
    return s;
}

static void assert_events(const struct tu_run *r, const char *reasons,
                          const char *want)
{
    char *got = events(r, reasons);

    assert_string_equal(got, want);
    free(got);
}

/* A nodes.csv cell of pool at time_s, as a number. */
static long node_num(const struct tu_run *r, const char *time_s,
                     const char *pool, const char *col)
{
    struct tu_table t;
    char p[600];
    const char *v;
    long x;

    size_t ct, cp, cc;

    snprintf(p, sizeof(p), "%s/nodes.csv", r->dir);
    tu_read_csv(p, &t);
    ct = tu_col(&t, "time_s");
    cp = tu_col(&t, "pool");
    cc = tu_col(&t, col);
    v = NULL;
    for (size_t i = 1; i < t.nrows && v == NULL; i++)
        if (strcmp(t.rows[i][ct], time_s) == 0 &&
            strcmp(t.rows[i][cp], pool) == 0)
            v = t.rows[i][cc];
    if (v == NULL)
        fail_msg("no nodes.csv row at %s for %s", time_s, pool);
    x = strtol(v, NULL, 10);
    tu_free_csv(&t);
    return x;
}

/* 4 pods pending at 60 s: the loop at 60 s finds them 0 s old (young), the
 * one at 70 s adds 2 nodes (2 pods each); they register at 130 s, are Ready
 * at 140 s and take the pods. */
static void test_scale_up_timing(void **state)
{
    char yaml[4096];
    struct tu_run r;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 4m\nsampleStep: 5s\n"
             "cluster:\n  nodePools:\n" POOL(
                 "small", 1, 1, 5,
                 "") "clusterAutoscaler: {}\n"
                     "manifests:\n" API(2) "%s"
                                           "schedule:\n"
                                           "  - {name: up, at: 1m, scale: "
                                           "{deployment: api, replicas: 6}}\n",
             instant);
    tu_run_yaml(&r, yaml);
    assert_events(&r, "ScaledUpGroup",
                  "70,small,ScaledUpGroup,scale-up: group small +2 "
                  "(least-waste), 4 pods pending\n");
    assert_int_equal(node_num(&r, "125", "small", "nodes_provisioning"), 2);
    assert_int_equal(node_num(&r, "130", "small", "nodes_not_ready"), 2);
    assert_int_equal(node_num(&r, "135", "small", "nodes_ready"), 1);
    assert_int_equal(node_num(&r, "140", "small", "nodes_ready"), 3);
    assert_int_equal(tu_tl_num(&r, "135", "api", "pending_pods"), 4);
    assert_int_equal(tu_tl_num(&r, "140", "api", "pending_pods"), 0);
    tu_run_free(&r);
}

/* Two empty nodes are unneeded from the first loop (0 s); the first loop
 * after 0 + 10 m deletes both (parallelism 10): taint at 610 s, deleted
 * 5 s later (node-delete-delay-after-taint). The third stays (min 1 and
 * it runs the pod). */
static void test_scale_down_empty(void **state)
{
    char yaml[4096];
    struct tu_run r;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 15m\nsampleStep: 5s\n"
             "cluster:\n  nodePools:\n" POOL("small", 3, 1, 5,
                                             "") "clusterAutoscaler: {}\n"
                                                 "manifests:\n" API(1) "%s",
             instant);
    tu_run_yaml(&r, yaml);
    {
        char *got = events(&r, "ScaleDownEmpty,NodeDeleted");
        int n = 0;

        for (char *p = got; (p = strstr(p, "610,small-")) != NULL; p++)
            n++;
        assert_int_equal(n, 2);
        assert_non_null(strstr(got, "removing (empty)"));
        assert_non_null(strstr(got, "unneeded for 10m10s"));
        n = 0;
        for (char *p = got; (p = strstr(p, "615,small-")) != NULL; p++)
            n++;
        assert_int_equal(n, 2);
        free(got);
    }
    assert_int_equal(node_num(&r, "610", "small", "nodes"), 3);
    assert_int_equal(node_num(&r, "610", "small", "nodes_draining"), 2);
    assert_int_equal(node_num(&r, "615", "small", "nodes"), 1);
    tu_run_free(&r);
}

/* A scale-up at 70 s holds deletions until 70 s + 10 m (delay after add).
 * Scaling back to 2 at 3 m leaves one pod per node (the ReplicaSet deletes
 * the newest pod first, then one from the node with more of them), so
 * both nodes are half used: unneeded from the loop at 190 s, the first
 * one is drained at the first loop after 190 s + 10 m, its pod moved to
 * the other node: tainted at 800 s, evicted 5 s later, gone at the next
 * 5 s poll. */
static void test_scale_down_after_add(void **state)
{
    char yaml[4096];
    struct tu_run r;
    char *got;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 20m\nsampleStep: 5s\n"
             "cluster:\n  nodePools:\n" POOL(
                 "small", 1, 1, 5,
                 "") "clusterAutoscaler: {}\n"
                     "manifests:\n" API(2) "%s"
                                           "schedule:\n"
                                           "  - {name: up, at: 1m, scale: "
                                           "{deployment: api, replicas: 4}}\n"
                                           "  - {name: down, at: 3m, scale: "
                                           "{deployment: api, replicas: "
                                           "2}}\n",
             instant);
    tu_run_yaml(&r, yaml);
    got = events(&r, "ScaledUpGroup,ScaleDown,NodeDeleted");
    assert_string_equal(
        got, "70,small,ScaledUpGroup,scale-up: group small +1 (least-waste), "
             "2 pods pending\n"
             "800,small-0,ScaleDown,node small-0 unneeded for 10m10s, "
             "removing (drain: 1 pod(s) to move)\n"
             "810,small-0,NodeDeleted,scale-down: drained node removed\n");
    free(got);
    assert_int_equal(tu_tl_num(&r, "1200", "api", "ready_replicas"), 2);
    assert_int_equal(node_num(&r, "1200", "small", "nodes"), 1);
    tu_run_free(&r);
}

/* Nodes that never register in 15 m: the request times out at the first
 * loop after 70 s + 15 m (980 s), the group backs off, and in the same loop
 * the priority expander's second choice takes the pods. */
static void test_provision_timeout_backoff(void **state)
{
    char yaml[4096];
    struct tu_run r;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 20m\nsampleStep: 5s\n"
             "cluster:\n  nodePools:\n"
             "    - {name: slow, nodes: 1, minSize: 1, maxSize: 5, capacity: "
             "{cpu: 2, memory: 8Gi}, provisioning: 20m, boot: 10s}\n" POOL(
                 "fast", 0, 0, 5,
                 "") "clusterAutoscaler:\n"
                     "  expander: priority\n"
                     "  priorities: {50: [slow], 10: [fast]}\n"
                     "manifests:\n" API(2) "%s"
                                           "schedule:\n"
                                           "  - {name: up, at: 1m, scale: "
                                           "{deployment: api, replicas: 4}}\n",
             instant);
    tu_run_yaml(&r, yaml);
    assert_events(
        &r, "ScaledUpGroup,ScaleUpTimedOut",
        "70,slow,ScaledUpGroup,scale-up: group slow +1 (priority), 2 pods "
        "pending\n"
        "980,slow,ScaleUpTimedOut,group slow: 1 node(s) not registered "
        "within 900 s; reverting the target and backing off\n"
        "980,fast,ScaledUpGroup,scale-up: group fast +1 (priority), 2 pods "
        "pending\n");
    assert_int_equal(node_num(&r, "1060", "fast", "nodes_ready"), 1);
    assert_int_equal(node_num(&r, "1060", "slow", "nodes"), 1);
    tu_run_free(&r);
}

/* A10: nodes that never register, again and again. Each timeout comes at
 * the first loop more than 15 m after the scale-up; the backoff is 5 m,
 * then (the next failure after it expired) 10 m, 20 m, 30 m, 30 m; the
 * next scale-up is the first loop after the backoff (inclusive end). */
static void test_backoff_doubling(void **state)
{
    char yaml[4096];
    struct tu_run r;
    char *got, *p;
    static const int want[] = {980, 2200, 3720, 5840, 8560};
    int k = 0;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 150m\nsampleStep: 1m\n"
             "cluster:\n  nodePools:\n"
             "    - {name: slow, nodes: 1, minSize: 1, maxSize: 5, capacity: "
             "{cpu: 2, memory: 8Gi}, provisioning: 10h}\n"
             "clusterAutoscaler: {}\n"
             "manifests:\n" API(2) "%s"
                                   "schedule:\n"
                                   "  - {name: up, at: 1m, scale: {deployment: "
                                   "api, replicas: 4}}\n",
             instant);
    tu_run_yaml(&r, yaml);
    got = events(&r, "ScaleUpTimedOut");
    for (p = got; *p != '\0'; p = strchr(p, '\n') + 1) {
        assert_true(k < 5);
        assert_int_equal(strtol(p, NULL, 10), want[k]);
        k++;
    }
    assert_int_equal(k, 5);
    free(got);
    got = events(&r, "ScaledUpGroup");
    assert_non_null(strstr(got, "1290,slow,"));
    assert_non_null(strstr(got, "2810,slow,"));
    assert_non_null(strstr(got, "4930,slow,"));
    assert_non_null(strstr(got, "7650,slow,"));
    free(got);
    tu_run_free(&r);
}

/* A stockout: the cloud reports the failed create 30 s later, the group
 * backs off and the next loop falls back to on-demand. */
static void test_stockout_fallback(void **state)
{
    char yaml[4096];
    struct tu_run r;

    (void)state;
    snprintf(
        yaml, sizeof(yaml),
        "duration: 10m\nsampleStep: 5s\n"
        "cluster:\n  nodePools:\n" POOL(
            "spot", 1, 1, 5,
            ", capacityType: spot, outOfCapacity: [{from: 0s, to: 1h}]")
            POOL("ondemand", 0, 0, 5,
                 "") "clusterAutoscaler:\n"
                     "  expander: priority\n"
                     "  priorities: {50: [spot], 10: [ondemand]}\n"
                     "manifests:\n" API(2) "%s"
                                           "schedule:\n"
                                           "  - {name: up, at: 1m, scale: "
                                           "{deployment: api, replicas: 4}}\n",
        instant);
    tu_run_yaml(&r, yaml);
    assert_events(&r, "ScaledUpGroup,ScaleUpFailed",
                  "70,spot,ScaledUpGroup,scale-up: group spot +1 "
                  "(priority), 2 pods pending\n"
                  "100,spot,ScaleUpFailed,group spot: instance creation "
                  "failed (out of capacity); backing off\n"
                  "100,ondemand,ScaledUpGroup,scale-up: group ondemand +1 "
                  "(priority), 2 pods pending\n");
    assert_int_equal(node_num(&r, "175", "ondemand", "nodes_ready"), 1);
    assert_int_equal(tu_tl_num(&r, "175", "api", "pending_pods"), 0);
    tu_run_free(&r);
}

/* GPU pods wait 30 s before they count; the GPU group grows, the CPU group
 * (whose nodes lack the GPU) does not. CPU pods never scale the tainted
 * GPU group. */
static void test_gpu_group(void **state)
{
    char yaml[8192];
    struct tu_run r;

    (void)state;
    snprintf(
        yaml, sizeof(yaml),
        "duration: 5m\nsampleStep: 5s\n"
        "cluster:\n  nodePools:\n" POOL(
            "cpu", 1, 1, 5,
            "") "    - {name: gpu, nodes: 0, minSize: 0, maxSize: 4, capacity: "
                "{cpu: "
                "8, memory: 32Gi, nvidia.com/gpu: 1}, provisioning: 60s, boot: "
                "60s, "
                "labels: {accelerator: nvidia-gpu}, taints: [{key: "
                "nvidia.com/gpu, "
                "value: \"true\", effect: NoSchedule}]}\n"
                "clusterAutoscaler: {}\n"
                "manifests:\n" API(2) "  - apiVersion: apps/v1\n"
                                      "    kind: Deployment\n"
                                      "    metadata: {name: infer}\n"
                                      "    spec:\n"
                                      "      replicas: 0\n"
                                      "      template:\n"
                                      "        spec:\n"
                                      "          tolerations: [{key: "
                                      "nvidia.com/gpu, operator: Exists}]\n"
                                      "          containers:\n"
                                      "            - {name: c, resources: "
                                      "{requests: {cpu: \"1\", memory: "
                                      "1Gi, nvidia.com/gpu: 1}}}\n"
                                      "workloads:\n"
                                      "  api: {startup: {schedule: 0s, "
                                      "imagePull: 0s, containerStart: 0s, "
                                      "warmup: 0s}}\n"
                                      "  infer: {startup: {schedule: 0s, "
                                      "imagePull: 0s, containerStart: 0s, "
                                      "warmup: 0s}}\n"
                                      "schedule:\n"
                                      "  - {name: gpu, at: 1m, scale: "
                                      "{deployment: infer, replicas: 2}}\n"
                                      "  - {name: cpu, at: 1m, scale: "
                                      "{deployment: api, replicas: 4}}\n");
    tu_run_yaml(&r, yaml);
    /* the CPU pods are 10 s old at 70 s, the GPU ones only at 90 s
     * past the 30 s rule; until then the whole scale-up waits */
    assert_events(&r, "ScaledUpGroup",
                  "90,cpu,ScaledUpGroup,scale-up: group cpu +1 "
                  "(least-waste), 4 pods pending\n"
                  "90,gpu,ScaledUpGroup,scale-up: group gpu +2 "
                  "(least-waste), 2 pods pending\n");
    tu_run_free(&r);
}

/* balance-similar-node-groups: two groups alike but for their zone split
 * a scale-up of 4 nodes 2 and 2 (water-filling from the smaller). The
 * two options tie under least-waste; with seed 1 the final random pick
 * chooses b, which is logged first. */
static void test_balance_similar(void **state)
{
    char yaml[4096];
    struct tu_run r;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 3m\nsampleStep: 5s\n"
             "cluster:\n  nodePools:\n" POOL("a", 1, 1, 5, ", zone: z1")
                 POOL("b", 1, 1, 5,
                      ", zone: z2") "clusterAutoscaler: "
                                    "{balance-similar-node-groups: true}\n"
                                    "manifests:\n" API(
                                        4) "%s"
                                           "schedule:\n"
                                           "  - {name: up, at: 1m, scale: "
                                           "{deployment: api, replicas: 12}}\n",
             instant);
    tu_run_yaml(&r, yaml);
    assert_events(&r, "ScaledUpGroup",
                  "70,b,ScaledUpGroup,scale-up: group b +2 (least-waste, "
                  "balanced), 8 pods pending\n"
                  "70,a,ScaledUpGroup,scale-up: group a +2 (least-waste, "
                  "balanced), 8 pods pending\n");
    tu_run_free(&r);
}

/* A PDB that allows no disruption keeps both nodes (planning refuses the
 * drain); one that allows one lets the CA drain a node and move its pod. */
static void test_pdb_refuses_drain(void **state)
{
    static const char pdb[] =
        "  - apiVersion: policy/v1\n"
        "    kind: PodDisruptionBudget\n"
        "    metadata: {name: api}\n"
        "    spec: {minAvailable: %d, selector: {matchLabels: {app: api}}}\n";
    char yaml[4096], p[512];
    struct tu_run r;
    char *got;

    (void)state;
    for (int min = 2; min >= 1; min--) {
        snprintf(p, sizeof(p), pdb, min);
        snprintf(yaml, sizeof(yaml),
                 "duration: 15m\nsampleStep: 5s\n"
                 "cluster:\n  nodePools:\n"
                 "    - {name: big, nodes: 2, minSize: 1, maxSize: 5, "
                 "capacity: {cpu: 4, memory: 16Gi}}\n"
                 "clusterAutoscaler: {}\n"
                 "manifests:\n" API(2) "%s%s",
                 p, instant);
        tu_run_yaml(&r, yaml);
        got = events(&r, "ScaleDown,ScaleDownEmpty,NodeDeleted");
        if (min == 2) {
            assert_string_equal(got, "");
            assert_int_equal(node_num(&r, "900", "big", "nodes"), 2);
        } else {
            assert_non_null(strstr(got, "removing (drain: 1 pod(s) to "
                                        "move)"));
            assert_int_equal(node_num(&r, "900", "big", "nodes"), 1);
            assert_int_equal(tu_tl_num(&r, "900", "api", "ready_replicas"), 2);
        }
        free(got);
        tu_run_free(&r);
    }
}

/* Drain rules (spec 5.4): a pod annotated safe-to-evict "false", or with
 * an emptyDir on disk, blocks its node's removal; safe-to-evict "true"
 * overrides the local storage rule. Two half-used nodes: one of them is
 * drained only in the last case. */
static void test_drain_rules(void **state)
{
    static const char *const pod[] = {
        "metadata: {labels: {app: api}, annotations: "
        "{cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"}}",
        "metadata: {labels: {app: api}}\n"
        "        spec: {volumes: [{name: s, emptyDir: {}}], containers: "
        "[{name: c, resources: {requests: {cpu: \"1\", memory: 1Gi}}}]}",
        "metadata: {labels: {app: api}, annotations: "
        "{cluster-autoscaler.kubernetes.io/safe-to-evict: \"true\"}}\n"
        "        spec: {volumes: [{name: s, emptyDir: {}}], containers: "
        "[{name: c, resources: {requests: {cpu: \"1\", memory: 1Gi}}}]}",
    };
    char yaml[4096];
    struct tu_run r;

    (void)state;
    for (int i = 0; i < 3; i++) {
        const char *spec =
            i == 0 ? "\n        spec: {containers: [{name: c, resources: "
                     "{requests: {cpu: \"1\", memory: 1Gi}}}]}"
                   : "";

        snprintf(yaml, sizeof(yaml),
                 "duration: 15m\nsampleStep: 5s\n"
                 "cluster:\n  nodePools:\n"
                 "    - {name: big, nodes: 2, minSize: 1, maxSize: 5, "
                 "capacity: {cpu: 4, memory: 16Gi}}\n"
                 "clusterAutoscaler: {}\n"
                 "manifests:\n"
                 "  - apiVersion: apps/v1\n"
                 "    kind: Deployment\n"
                 "    metadata: {name: api}\n"
                 "    spec:\n"
                 "      replicas: 2\n"
                 "      selector: {matchLabels: {app: api}}\n"
                 "      template:\n"
                 "        %s%s\n%s",
                 pod[i], spec, instant);
        tu_run_yaml(&r, yaml);
        assert_int_equal(node_num(&r, "900", "big", "nodes"), i < 2 ? 2 : 1);
        tu_run_free(&r);
    }
}

/* A reclaim at 5 m: the notice (60 s) cordons and drains the node at once;
 * the instance goes at 6 m and the group launches a replacement. */
static void test_spot_notice(void **state)
{
    char yaml[4096];
    struct tu_run r;
    char *got;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 10m\nsampleStep: 5s\n"
             "cluster:\n  nodePools:\n"
             "    - {name: spot, nodes: 2, capacityType: spot, capacity: "
             "{cpu: 4, memory: 16Gi}, provisioning: 60s, boot: 10s, spot: "
             "{notice: 60s}}\n"
             "  reclaims:\n    - {at: 5m, pool: spot, nodes: 1}\n"
             "manifests:\n" API(2) "%s",
             instant);
    tu_run_yaml(&r, yaml);
    got = events(&r, "SpotInterruption,NodeDeleted");
    assert_non_null(strstr(got, "300,spot-"));
    assert_non_null(strstr(got, "spot interruption notice, terminating in "
                                "60 s; cordoned and drained"));
    assert_non_null(strstr(got, "360,spot-"));
    assert_non_null(strstr(got, "spot instance terminated"));
    free(got);
    assert_int_equal(node_num(&r, "300", "spot", "nodes_draining"), 1);
    assert_int_equal(node_num(&r, "360", "spot", "nodes_provisioning"), 1);
    assert_int_equal(node_num(&r, "430", "spot", "nodes_ready"), 2);
    assert_int_equal(tu_tl_num(&r, "305", "api", "ready_replicas"), 2);
    tu_run_free(&r);
}

/* A quota of 3 pods holds a Deployment of 5 at 3, with the API server's
 * message in events.csv. */
static void test_quota_blocks(void **state)
{
    char yaml[4096];
    struct tu_run r;
    char *got;

    (void)state;
    snprintf(yaml, sizeof(yaml),
             "duration: 1m\nsampleStep: 5s\n"
             "cluster:\n  nodePools:\n"
             "    - {name: big, nodes: 2, capacity: {cpu: 8, memory: 32Gi}}\n"
             "manifests:\n" API(
                 5) "  - apiVersion: v1\n"
                    "    kind: ResourceQuota\n"
                    "    metadata: {name: compute}\n"
                    "    spec: {hard: {pods: \"3\", requests.cpu: \"10\"}}\n%s",
             instant);
    tu_run_yaml(&r, yaml);
    assert_int_equal(tu_tl_num(&r, "60", "api", "replicas"), 3);
    assert_int_equal(tu_tl_num(&r, "60", "api", "desired_replicas"), 5);
    got = events(&r, "FailedCreate");
    /* the first refusal is at warm start, before the outputs open; the
     * retries follow the controller's backoff: 5, 10, 20 ms... */
    assert_non_null(strstr(got, "0.005,api,FailedCreate,pods \"api-3\" is "
                                "forbidden: exceeded quota: compute, "
                                "requested: pods=1, used: pods=3, limited: "
                                "pods=3\n"));
    free(got);
    tu_run_free(&r);
}

/* Same scenario and seed, spot interruptions on: the same bytes. */
static void test_deterministic_spot(void **state)
{
    static const char *files[] = {"timeline.csv", "events.csv", "nodes.csv",
                                  "summary.csv"};
    char *a = tu_tmpdir(), *b = tu_tmpdir();

    (void)state;
    tu_run_file("scenarios/spot-fallback.yaml", 5, a);
    tu_run_file("scenarios/spot-fallback.yaml", 5, b);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char pa[600], pb[600];
        size_t la, lb;
        char *x, *y;

        snprintf(pa, sizeof(pa), "%s/%s", a, files[i]);
        snprintf(pb, sizeof(pb), "%s/%s", b, files[i]);
        x = tu_slurp(pa, &la);
        y = tu_slurp(pb, &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
    }
    tu_rmdir(a);
    tu_rmdir(b);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_up_timing),
        cmocka_unit_test(test_scale_down_empty),
        cmocka_unit_test(test_scale_down_after_add),
        cmocka_unit_test(test_provision_timeout_backoff),
        cmocka_unit_test(test_backoff_doubling),
        cmocka_unit_test(test_stockout_fallback),
        cmocka_unit_test(test_gpu_group),
        cmocka_unit_test(test_balance_similar),
        cmocka_unit_test(test_pdb_refuses_drain),
        cmocka_unit_test(test_drain_rules),
        cmocka_unit_test(test_spot_notice),
        cmocka_unit_test(test_quota_blocks),
        cmocka_unit_test(test_deterministic_spot),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
