/*
 * test_scheduler.c - kube-scheduler's filters and scores as capsim models
 * them (src/controllers/scheduler.c): where a new pod lands, and that a pod
 * no node can take stays Pending where a user sees it (pending_pods).
 *
 * Each test loads a small scenario with a Deployment of 0 replicas, creates
 * pods with cs_sim_pod_create and runs one scheduler pass directly; the
 * event loop only runs for the timeline test.
 */
#include "test_util.h"

#include "controllers/scheduler.h"

/* A scenario with the given node pools (YAML list items, 4 spaces in), a
 * Deployment "app" of `replicas` pods requesting `req` (a YAML flow map),
 * with `extra` appended to its pod spec (10 spaces in). */
static const char scenario_fmt[] = "duration: %s\n"
                                   "sampleStep: 1s\n"
                                   "cluster:\n"
                                   "  nodePools:\n"
                                   "%s"
                                   "manifests:\n"
                                   "  - apiVersion: apps/v1\n"
                                   "    kind: Deployment\n"
                                   "    metadata: {name: app}\n"
                                   "    spec:\n"
                                   "      replicas: %d\n"
                                   "      selector: {matchLabels: {app: app}}\n"
                                   "      template:\n"
                                   "        metadata: {labels: {app: app}}\n"
                                   "        spec:\n"
                                   "%s"
                                   "          containers:\n"
                                   "            - name: app\n"
                                   "              resources: {requests: %s}\n";

struct fx {
    struct cs_scenario *sc;
    struct cs_sim *sim;
};

static char *format(const char *pools, const char *req, const char *extra,
                    int replicas, const char *duration)
{
    size_t n = sizeof(scenario_fmt) + strlen(pools) + strlen(req) +
               strlen(extra) + strlen(duration) + 32;
    char *y = malloc(n);

    assert_non_null(y);
    snprintf(y, n, scenario_fmt, duration, pools, replicas, extra, req);
    return y;
}

static void fx_open(struct fx *f, const char *pools, const char *req,
                    const char *extra, uint64_t seed)
{
    struct cs_err err;
    char *y = format(pools, req, extra, 0, "1m");

    f->sc = tu_load_string(y, &err);
    free(y);
    if (f->sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    f->sim = cs_sim_create(f->sc, seed, &err);
    if (f->sim == NULL)
        fail_msg("sim: %s", err.msg);
}

static void fx_close(struct fx *f)
{
    cs_sim_destroy(f->sim);
    cs_scenario_destroy(f->sc);
}

/* Create one pod of workload 0; returns its index in sim->pods. */
static uint32_t new_pod(struct fx *f)
{
    const struct cs_workload *w = &f->sim->wl[0];

    assert_int_equal(cs_sim_pod_create(f->sim, 0), 0);
    return w->pods[w->npods - 1];
}

/* Create k pods and run one scheduler pass; pod indices into p. */
static void create_and_schedule(struct fx *f, uint32_t *p, int k)
{
    for (int i = 0; i < k; i++)
        p[i] = new_pod(f);
    cs_scheduler_pass(f->sim);
    assert_true(cs_sim_check(f->sim));
}

static const char *node_of(const struct fx *f, uint32_t p, char *buf, size_t n)
{
    int32_t node = f->sim->pods[p].node;

    if (node < 0)
        snprintf(buf, n, "(pending)");
    else
        cs_sim_node_name(f->sim, (uint32_t)node, buf, n);
    return buf;
}

static void assert_on(const struct fx *f, uint32_t p, const char *node)
{
    char buf[64];

    assert_string_equal(node_of(f, p, buf, sizeof(buf)), node);
}

static void assert_pending(const struct fx *f, uint32_t p)
{
    assert_int_equal(f->sim->pods[p].node, -1);
    assert_int_equal(f->sim->pods[p].state, CS_POD_PENDING);
}

/* --- NodeResourcesFit ---------------------------------------------------- */

/* Two 1-CPU nodes hold one 600m pod each; the third waits. */
static void test_fit_cpu(void **state)
{
    struct fx f;
    uint32_t p[3];

    (void)state;
    fx_open(&f,
            "    - {name: small, nodes: 2, capacity: {cpu: 1, memory: 4Gi}}\n",
            "{cpu: 600m, memory: 100Mi}", "", 1);
    create_and_schedule(&f, p, 3);
    assert_true(f.sim->pods[p[0]].node >= 0 && f.sim->pods[p[1]].node >= 0);
    assert_int_not_equal(f.sim->pods[p[0]].node, f.sim->pods[p[1]].node);
    assert_pending(&f, p[2]);
    assert_int_equal(f.sim->npending, 1);
    assert_int_equal(f.sim->wl[0].count[CS_POD_PENDING], 1);
    assert_int_equal(f.sim->wl[0].count[CS_POD_STARTING], 2);
    assert_false(cs_scheduler_fits(f.sim, p[2], 0));
    assert_false(cs_scheduler_fits(f.sim, p[2], 1));
    fx_close(&f);
}

/* Allocatable, not capacity, is what pods may request: reserved CPU leaves
 * 900m, so a 1-CPU pod fits nowhere but a 900m pod does. */
static void test_fit_uses_allocatable(void **state)
{
    struct fx f;
    uint32_t p[2];

    (void)state;
    fx_open(&f,
            "    - {name: n, nodes: 1, capacity: {cpu: 2, memory: 4Gi},\n"
            "       reserved: {cpu: 1100m}}\n",
            "{cpu: 900m}", "", 1);
    create_and_schedule(&f, p, 2);
    assert_on(&f, p[0], "n-0");
    assert_pending(&f, p[1]);
    assert_int_equal(f.sim->nodes[0].requested.v[CS_RES_CPU], 900);
    fx_close(&f);
}

/* Memory alone can rule a node out: 3Gi pods on a 4Gi node. */
static void test_fit_memory(void **state)
{
    struct fx f;
    uint32_t p[2];

    (void)state;
    fx_open(&f,
            "    - {name: big, nodes: 1, capacity: {cpu: 16, memory: 4Gi}}\n",
            "{cpu: 10m, memory: 3Gi}", "", 1);
    create_and_schedule(&f, p, 2);
    assert_on(&f, p[0], "big-0");
    assert_pending(&f, p[1]);
    fx_close(&f);
}

/* An extended resource is filtered like cpu: GPU pods only go to the GPU
 * pool, two per 2-GPU node, and wait once the GPUs are taken. */
static void test_fit_extended_resource(void **state)
{
    struct fx f;
    uint32_t p[3];

    (void)state;
    fx_open(&f,
            "    - {name: cpu, nodes: 2, capacity: {cpu: 32, memory: 64Gi}}\n"
            "    - {name: gpu, nodes: 1,\n"
            "       capacity: {cpu: 8, memory: 32Gi, nvidia.com/gpu: 2}}\n",
            "{cpu: 1, memory: 1Gi, nvidia.com/gpu: 1}", "", 1);
    create_and_schedule(&f, p, 3);
    assert_on(&f, p[0], "gpu-0");
    assert_on(&f, p[1], "gpu-0");
    assert_pending(&f, p[2]);
    assert_false(cs_scheduler_fits(f.sim, p[2], 0));
    assert_false(cs_scheduler_fits(f.sim, p[2], 1));
    fx_close(&f);
}

/* capacity.pods caps the pods on a node whatever their requests. */
static void test_max_pods(void **state)
{
    struct fx f;
    uint32_t p[3];

    (void)state;
    fx_open(&f,
            "    - {name: n, nodes: 1,\n"
            "       capacity: {cpu: 64, memory: 256Gi, pods: 2}}\n",
            "{cpu: 10m, memory: 10Mi}", "", 1);
    create_and_schedule(&f, p, 3);
    assert_on(&f, p[0], "n-0");
    assert_on(&f, p[1], "n-0");
    assert_pending(&f, p[2]);
    assert_int_equal(f.sim->nodes[0].npods, 2);
    fx_close(&f);
}

/* NodeUnschedulable (cordoned) and not-ready nodes take no pods. */
static void test_unschedulable_node(void **state)
{
    struct fx f;
    uint32_t p[2];

    (void)state;
    fx_open(&f, "    - {name: n, nodes: 2, capacity: {cpu: 4, memory: 4Gi}}\n",
            "{cpu: 100m}", "", 1);
    f.sim->nodes[0].schedulable = 0;
    create_and_schedule(&f, p, 1);
    assert_on(&f, p[0], "n-1");
    f.sim->nodes[1].ready = 0;
    create_and_schedule(&f, &p[1], 1);
    assert_pending(&f, p[1]);
    fx_close(&f);
}

/* --- TaintToleration ----------------------------------------------------- */

static const char taint_pools[] =
    "    - {name: general, nodes: 1, capacity: {cpu: 1, memory: 4Gi}}\n"
    "    - {name: batch, nodes: 1, capacity: {cpu: 8, memory: 16Gi},\n"
    "       taints: [{key: dedicated, value: batch, effect: NoSchedule}]}\n";

/* Without a toleration the big tainted node is never used, even when the
 * untainted one is full. */
static void test_taint_rejects(void **state)
{
    struct fx f;
    uint32_t p[2];

    (void)state;
    fx_open(&f, taint_pools, "{cpu: 600m}", "", 1);
    create_and_schedule(&f, p, 2);
    assert_on(&f, p[0], "general-0");
    assert_pending(&f, p[1]);
    assert_false(cs_scheduler_fits(f.sim, p[1], 1));
    fx_close(&f);
}

/* With a matching toleration the tainted node is feasible (and, emptier,
 * preferred). */
static void test_taint_tolerated(void **state)
{
    struct fx f;
    uint32_t p[2];

    (void)state;
    fx_open(&f, taint_pools, "{cpu: 600m}",
            "          tolerations:\n"
            "            - {key: dedicated, operator: Equal, value: batch,\n"
            "               effect: NoSchedule}\n",
            1);
    create_and_schedule(&f, p, 2);
    assert_on(&f, p[0], "batch-0");
    assert_on(&f, p[1], "batch-0");
    assert_true(cs_scheduler_fits(f.sim, p[0], 0));
    fx_close(&f);
}

/* A toleration for the wrong value does not help. */
static void test_taint_wrong_value(void **state)
{
    struct fx f;
    uint32_t p[2];

    (void)state;
    fx_open(&f, taint_pools, "{cpu: 600m}",
            "          tolerations:\n"
            "            - {key: dedicated, value: web, effect: NoSchedule}\n",
            1);
    create_and_schedule(&f, p, 2);
    assert_on(&f, p[0], "general-0");
    assert_pending(&f, p[1]);
    fx_close(&f);
}

/* --- NodeSelector -------------------------------------------------------- */

/* Pods go only to nodes whose pool labels match, however empty the
 * others are. */
static void test_node_selector(void **state)
{
    struct fx f;
    uint32_t p[4];

    (void)state;
    fx_open(&f,
            "    - {name: a, nodes: 3, capacity: {cpu: 8, memory: 8Gi},\n"
            "       labels: {disk: hdd}}\n"
            "    - {name: b, nodes: 1, capacity: {cpu: 1, memory: 8Gi},\n"
            "       labels: {disk: ssd}}\n",
            "{cpu: 400m}", "          nodeSelector: {disk: ssd}\n", 1);
    create_and_schedule(&f, p, 4);
    assert_on(&f, p[0], "b-0");
    assert_on(&f, p[1], "b-0");
    assert_pending(&f, p[2]);
    assert_pending(&f, p[3]);
    for (uint32_t n = 0; n < 3; n++)
        assert_false(cs_scheduler_fits(f.sim, p[2], n));
    fx_close(&f);
}

/* nodeSelector kubernetes.io/hostname pins pods to one named node. */
static void test_node_selector_hostname(void **state)
{
    struct fx f;
    uint32_t p[3];

    (void)state;
    fx_open(&f, "    - {name: a, nodes: 3, capacity: {cpu: 8, memory: 8Gi}}\n",
            "{cpu: 400m}",
            "          nodeSelector: {kubernetes.io/hostname: a-1}\n", 1);
    create_and_schedule(&f, p, 3);
    for (int i = 0; i < 3; i++)
        assert_on(&f, p[i], "a-1");
    fx_close(&f);
}

/* --- scoring ------------------------------------------------------------- */

/* LeastAllocated spreads: of two empty equal nodes either may get the
 * first pod, but the second goes to the other, emptier one; then they
 * alternate. Whatever the seed (ties are broken at random). */
static void test_least_allocated_spreads(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        struct fx f;
        uint32_t p[6];
        int32_t first;

        fx_open(&f,
                "    - {name: n, nodes: 2, capacity: {cpu: 4, memory: 4Gi}}\n",
                "{cpu: 500m, memory: 512Mi}", "", seed);
        create_and_schedule(&f, p, 1);
        first = f.sim->pods[p[0]].node;
        assert_true(first == 0 || first == 1);
        create_and_schedule(&f, &p[1], 1);
        assert_int_equal(f.sim->pods[p[1]].node, 1 - first);
        create_and_schedule(&f, &p[2], 4);
        assert_int_equal(f.sim->nodes[0].npods, 3);
        assert_int_equal(f.sim->nodes[1].npods, 3);
        fx_close(&f);
    }
}

/* Both nodes are picked first for some seed: ties are really broken at
 * random, not always toward the first node scanned. */
static void test_ties_broken_at_random(void **state)
{
    int seen[2] = {0, 0};

    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct fx f;
        uint32_t p;

        fx_open(&f,
                "    - {name: n, nodes: 2, capacity: {cpu: 4, memory: 4Gi}}\n",
                "{cpu: 500m, memory: 512Mi}", "", seed);
        create_and_schedule(&f, &p, 1);
        seen[f.sim->pods[p].node]++;
        fx_close(&f);
    }
    assert_true(seen[0] > 0 && seen[1] > 0);
}

/* A node already holding pods of other sizes loses to an emptier one, even
 * when the emptier one comes later in the scan. */
static void test_emptier_node_preferred(void **state)
{
    struct fx f;
    uint32_t p;

    (void)state;
    fx_open(&f, "    - {name: n, nodes: 3, capacity: {cpu: 4, memory: 4Gi}}\n",
            "{cpu: 500m, memory: 512Mi}", "", 1);
    /* pretend other work is on n-0 and n-1 (balanced, so only
     * LeastAllocated differs) */
    f.sim->nodes[0].requested.v[CS_RES_CPU] = 2000;
    f.sim->nodes[0].requested.v[CS_RES_MEMORY] = 2000LL * 1024 * 1024 * 1024;
    f.sim->nodes[1].requested.v[CS_RES_CPU] = 1000;
    f.sim->nodes[1].requested.v[CS_RES_MEMORY] = 1000LL * 1024 * 1024 * 1024;
    for (int n = 0; n < 2; n++) { /* scoring reads the non-zero sums */
        f.sim->nodes[n].nz_cpu = f.sim->nodes[n].requested.v[CS_RES_CPU];
        f.sim->nodes[n].nz_mem = f.sim->nodes[n].requested.v[CS_RES_MEMORY];
    }
    p = new_pod(&f);
    cs_scheduler_pass(f.sim);
    assert_on(&f, p, "n-2");
    fx_close(&f);
}

/* Pods without requests spread too: upstream's LeastAllocated counts 100m
 * CPU / 200Mi for every container without requests, both for the pod being
 * placed and for the pods already on a node (NodeInfo.NonZeroRequested), so
 * two equal nodes fill alternately. */
static void test_spread_without_requests(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        struct fx f;
        uint32_t p;

        fx_open(&f,
                "    - {name: n, nodes: 2, capacity: {cpu: 4, memory: 4Gi}}\n",
                "{}", "", seed);
        for (int i = 1; i <= 6; i++) {
            create_and_schedule(&f, &p, 1);
            if (i % 2 == 0) {
                assert_int_equal(f.sim->nodes[0].npods, i / 2);
                assert_int_equal(f.sim->nodes[1].npods, i / 2);
            }
        }
        fx_close(&f);
    }
}

/* --- pending pods in the timeline ---------------------------------------- */

/* Three replicas, room for two: the third is Pending from t = 0 to the last
 * sample (9 s of a 10 s run) and the timeline says so; the two that fit start
 * warm and ready. */
static void test_pending_in_timeline(void **state)
{
    struct cs_err err;
    struct cs_scenario *sc;
    struct tu_table tl;
    char *dir = tu_tmpdir(), path[512];
    char *y =
        format("    - {name: n, nodes: 2, capacity: {cpu: 1, memory: 4Gi}}\n",
               "{cpu: 600m}", "", 3, "10s");

    (void)state;
    sc = tu_load_string(y, &err);
    free(y);
    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    assert_int_equal(tu_run_loaded(sc, 1, dir), 0);
    snprintf(path, sizeof(path), "%s/timeline.csv", dir);
    tu_read_csv(path, &tl);
    assert_string_equal(tu_at(&tl, "0", "app", "pending_pods"), "1");
    assert_string_equal(tu_at(&tl, "0", "app", "replicas"), "3");
    assert_string_equal(tu_at(&tl, "0", "app", "ready_replicas"), "2");
    assert_non_null(tu_at(&tl, "9", "app", "pending_pods"));
    assert_string_equal(tu_at(&tl, "9", "app", "pending_pods"), "1");
    assert_string_equal(tu_at(&tl, "9", "app", "ready_replicas"), "2");
    tu_free_csv(&tl);
    cs_scenario_destroy(sc);
    tu_rmdir(dir);
    free(dir);
}

/* --- percentageOfNodesToScore -------------------------------------------- */

/* Upstream numFeasibleNodesToFind: below 100 nodes all of them; else the
 * adaptive 50% - nodes/125 (at least 5%), and never fewer than 100. */
static void test_num_to_find(void **state)
{
    (void)state;
    assert_int_equal(cs_scheduler_num_to_find(0, 0), 0);
    assert_int_equal(cs_scheduler_num_to_find(1, 0), 1);
    assert_int_equal(cs_scheduler_num_to_find(99, 0), 99);
    assert_int_equal(cs_scheduler_num_to_find(100, 0), 100);
    assert_int_equal(cs_scheduler_num_to_find(150, 0), 100);  /* 49% = 73 */
    assert_int_equal(cs_scheduler_num_to_find(1000, 0), 420); /* 42% */
    assert_int_equal(cs_scheduler_num_to_find(5000, 0), 500); /* 10% */
    assert_int_equal(cs_scheduler_num_to_find(6000, 0), 300); /* 2% -> 5% */
    assert_int_equal(cs_scheduler_num_to_find(100000, 0), 5000);
    /* an explicit percentage is used as given, still at least 100 */
    assert_int_equal(cs_scheduler_num_to_find(1000, 30), 300);
    assert_int_equal(cs_scheduler_num_to_find(1000, 5), 100);
    assert_int_equal(cs_scheduler_num_to_find(1000, 100), 1000);
    assert_int_equal(cs_scheduler_num_to_find(50, 10), 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_cpu),
        cmocka_unit_test(test_fit_uses_allocatable),
        cmocka_unit_test(test_fit_memory),
        cmocka_unit_test(test_fit_extended_resource),
        cmocka_unit_test(test_max_pods),
        cmocka_unit_test(test_unschedulable_node),
        cmocka_unit_test(test_taint_rejects),
        cmocka_unit_test(test_taint_tolerated),
        cmocka_unit_test(test_taint_wrong_value),
        cmocka_unit_test(test_node_selector),
        cmocka_unit_test(test_node_selector_hostname),
        cmocka_unit_test(test_least_allocated_spreads),
        cmocka_unit_test(test_ties_broken_at_random),
        cmocka_unit_test(test_emptier_node_preferred),
        cmocka_unit_test(test_spread_without_requests),
        cmocka_unit_test(test_pending_in_timeline),
        cmocka_unit_test(test_num_to_find),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
