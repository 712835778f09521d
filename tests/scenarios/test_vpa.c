/*
 * test_vpa.c - the Vertical Pod Autoscaler in whole runs:
 *
 *   - a week in recommendation mode: the published target, lower and upper
 *     bounds equal an independent computation, in this file, from the very
 *     samples the recommender took (its own bucket arithmetic, decay and
 *     percentile walk);
 *   - the updater never breaks a PodDisruptionBudget, minReplicas or the
 *     eviction tolerance, checked around every updater loop of a run, and
 *     follows evictionRequirements;
 *   - OOM kills restart with the kubelet's CrashLoopBackOff (10 s doubling
 *     to 5 min), unready meanwhile;
 *   - admission gives new pods the target (Initial), with limits scaled in
 *     proportion; InPlaceOrRecreate resizes without evicting.
 */
#include "test_util.h"

#include "controllers/metrics.h"
#include "controllers/vpa.h"

#include <math.h>

#define MIB (1024LL * 1024)
#define DAY_MS (24LL * 3600 * 1000)

/* A Deployment of `replicas` pods requesting 1 CPU / 1Gi (limits 2 / 2Gi)
 * and a VPA in mode MODE, with extra YAML (workload model) appended. */
#define SCENARIO(dur, replicas, mode, vpa_extra, model)                        \
    "name: vpa-test\n"                                                         \
    "duration: " dur "\n"                                                      \
    "sampleStep: 10m\n"                                                        \
    "cluster:\n"                                                               \
    "  nodePools:\n"                                                           \
    "    - name: general\n"                                                    \
    "      nodes: 3\n"                                                         \
    "      capacity: {cpu: 16, memory: 64Gi, pods: 110}\n"                     \
    "manifests:\n"                                                             \
    "  - apiVersion: apps/v1\n"                                                \
    "    kind: Deployment\n"                                                   \
    "    metadata: {name: api}\n"                                              \
    "    spec:\n"                                                              \
    "      replicas: " replicas "\n"                                           \
    "      selector: {matchLabels: {app: api}}\n"                              \
    "      template:\n"                                                        \
    "        metadata: {labels: {app: api}}\n"                                 \
    "        spec:\n"                                                          \
    "          containers:\n"                                                  \
    "            - name: app\n"                                                \
    "              resources:\n"                                               \
    "                requests: {cpu: \"1\", memory: 1Gi}\n"                    \
    "                limits: {cpu: \"2\", memory: 2Gi}\n"                      \
    "  - apiVersion: autoscaling.k8s.io/v1\n"                                  \
    "    kind: VerticalPodAutoscaler\n"                                        \
    "    metadata: {name: api}\n"                                              \
    "    spec:\n"                                                              \
    "      targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n"    \
    "      updatePolicy:\n"                                                    \
    "        updateMode: " mode "\n" vpa_extra "workloads:\n"                  \
    "  api:\n"                                                                 \
    "    cpuPerRequest: 5ms\n"                                                 \
    "    idleCpu: 20m\n"                                                       \
    "    startup: {imagePull: 3s, containerStart: 1s}\n" model

/* ---- an independent recommender --------------------------------------- */

/* Exponential buckets: first 0.01 core / 1e7 bytes, ratio 1.05, 176. */
#define NB 176
struct ihist {
    double first, w[NB], total;
};

static int ibucket(const struct ihist *h, double v)
{
    int b;

    if (v < h->first)
        return 0;
    b = (int)floor(log(v * 0.05 / h->first + 1.0) / log(1.05) + 1e-10);
    return b >= NB ? NB - 1 : b;
}

static double istart(const struct ihist *h, int b)
{
    return b == 0 ? 0.0 : h->first * (pow(1.05, b) - 1.0) / 0.05;
}

static void iadd(struct ihist *h, double v, double w)
{
    h->w[ibucket(h, v)] += w;
    h->total += w;
}

static double ipct(const struct ihist *h, double p)
{
    double acc = 0;
    int last = NB - 1;

    while (last > 0 && h->w[last] < 1e-4)
        last--;
    for (int b = 0; b < NB; b++) {
        acc += h->w[b];
        if (acc >= p * h->total || b == last)
            return b + 1 < NB ? istart(h, b + 1) : istart(h, b);
    }
    return 0;
}

struct week {
    struct ihist cpu, mem;
    cs_time_ms last_t, first, last;
    int64_t count;
    double mem_bytes; /* the constant working set of every pod */
};

/* Before every recommender loop: take the samples it is about to take. */
static void week_hook(void *ctx, const struct cs_sim *sim, int which, int after)
{
    struct week *k = ctx;
    const struct cs_workload *w = &sim->wl[0];
    double decay;

    if (which != 0 || after || w->last_scrape <= k->last_t)
        return;
    k->last_t = w->last_scrape;
    decay = pow(2.0, (double)w->last_scrape / (double)DAY_MS);
    for (uint32_t i = 0; i < w->npods; i++) {
        const struct cs_pod *p = &sim->pods[w->pods[i]];
        int64_t cpu, mem;
        int ready;

        if (p->state == CS_POD_TERMINATING ||
            !cs_metrics_pod_sample(sim, p, &cpu, &mem, &ready))
            continue;
        iadd(&k->cpu, (double)cpu / 1000.0, 0.1 * decay);
        k->mem_bytes = (double)mem / 1000.0;
        if (k->count == 0)
            k->first = w->last_scrape;
        k->last = w->last_scrape;
        k->count++;
    }
}

static int64_t conf_scale(int64_t x, double c, double m, double e)
{
    return (int64_t)((double)x * pow(1.0 + m / c, e));
}

static void test_week_recommendation_independent(void **state)
{
    static const char yaml[] =
        SCENARIO("168h", "3", "\"Off\"", "",
                 "    memoryBase: 300Mi\n"
                 "    load: {diurnal: {min: 20, max: 200, peak: \"14:00\"}}\n");
    struct week k;
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);
    struct cs_sim *sim;
    const struct cs_vpa_rec *recs;
    int n;
    int64_t t90, t50, t95, m90, target, lower, upper;
    double c;

    (void)state;
    if (sc == NULL)
        fail_msg("%d:%d: %s", err.line, err.col, err.msg);
    memset(&k, 0, sizeof(k));
    k.cpu.first = 0.01;
    k.mem.first = 1e7;
    k.last_t = -1;
    sim = cs_sim_create(sc, 1, &err);
    assert_non_null(sim);
    sim->on_vpa_loop = week_hook;
    sim->hook_ctx = &k;
    assert_int_equal(cs_sim_run(sim), 0);
    assert_true(cs_vpa_status(sim, 0, &recs, &n));
    assert_int_equal(n, 1);
    /* the samples span the week, one per pod per minute */
    assert_true(k.count > 3 * 10000 && k.count < 3 * 10081);

    t90 = (int64_t)(ipct(&k.cpu, 0.9) * 1000.0);
    t50 = (int64_t)(ipct(&k.cpu, 0.5) * 1000.0);
    t95 = (int64_t)(ipct(&k.cpu, 0.95) * 1000.0);
    c = fmin((double)(k.last - k.first) / (double)DAY_MS,
             (double)k.count / 1440.0);
    target = t90 + (int64_t)((double)t90 * 0.15);
    lower = conf_scale(t50 + (int64_t)((double)t50 * 0.15), c, 0.001, -2);
    upper = conf_scale(t95 + (int64_t)((double)t95 * 0.15), c, 1.0, 1);
    assert_int_equal(recs[0].cpu.target, target);
    assert_int_equal(recs[0].cpu.lower, lower);
    assert_int_equal(recs[0].cpu.upper, upper);
    assert_int_equal(recs[0].cpu.uncapped_target, target);
    /* the diurnal swing puts p50 below p90 below p95 */
    assert_true(t50 < t90 && t90 <= t95);

    /* memory: every pod's peak is the constant working set */
    iadd(&k.mem, k.mem_bytes, 1.0);
    m90 = (int64_t)ipct(&k.mem, 0.9);
    assert_int_equal(recs[0].mem.target, m90 + (int64_t)((double)m90 * 0.15));
    assert_true(k.mem_bytes == 300.0 * MIB);

    /* Off: nothing changed in the pods */
    assert_int_equal(sim->wl[0].vpa_evictions, 0);
    assert_int_equal(sim->wl[0].nvspecs, 0);
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
}

/* ---- the updater's limits --------------------------------------------- */

struct limits {
    int32_t ready, live, evictions, min_available, min_replicas;
    int loops, evicting_loops, total;
};

static void limits_hook(void *ctx, const struct cs_sim *sim, int which,
                        int after)
{
    struct limits *l = ctx;
    const struct cs_workload *w = &sim->wl[0];
    int32_t delta, tolerance = (int32_t)(w->spec_replicas * 0.5);

    if (which != 1)
        return;
    if (!after) {
        l->ready = w->count[CS_POD_READY];
        l->live = cs_workload_replicas(w);
        l->evictions = w->vpa_evictions;
        return;
    }
    delta = w->vpa_evictions - l->evictions;
    l->loops++;
    l->total += delta;
    l->evicting_loops += delta > 0;
    if (l->live < l->min_replicas)
        assert_int_equal(delta, 0);
    assert_true(delta <= (tolerance > 1 ? tolerance : 1));
    /* the PDB: Ready pods left after the loop's evictions */
    assert_true(l->ready - delta >= l->min_available || delta == 0);
    assert_true(w->count[CS_POD_READY] >= l->min_available || delta == 0);
}

static void run_limits(const char *yaml, struct limits *l)
{
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);
    struct cs_sim *sim;

    if (sc == NULL)
        fail_msg("%d:%d: %s", err.line, err.col, err.msg);
    sim = cs_sim_create(sc, 1, &err);
    assert_non_null(sim);
    sim->on_vpa_loop = limits_hook;
    sim->hook_ctx = l;
    assert_int_equal(cs_sim_run(sim), 0);
    assert_true(cs_sim_check(sim));
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
}

static void test_evictions_keep_pdb_and_tolerance(void **state)
{
    static const char yaml[] =
        SCENARIO("24h", "6", "Recreate", "",
                 "    memoryBase: 200Mi\n"
                 "    load: {diurnal: {min: 50, max: 300}}\n");
    static const char pdb[] = "  - apiVersion: policy/v1\n"
                              "    kind: PodDisruptionBudget\n"
                              "    metadata: {name: api}\n"
                              "    spec:\n"
                              "      minAvailable: 5\n"
                              "      selector: {matchLabels: {app: api}}\n";
    char buf[8192];
    struct limits l = {.min_available = 5, .min_replicas = 2};
    const char *at = strstr(yaml, "workloads:");

    (void)state;
    /* the PDB goes into the manifests list, before `workloads:` */
    snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - yaml), yaml, pdb, at);
    run_limits(buf, &l);
    assert_true(l.loops >= 1400);
    /* 1 CPU requested against a ~100m recommendation: all 6 get evicted,
     * one per loop (the PDB allows one disruption at a time) */
    assert_true(l.total >= 6);
    assert_true(l.evicting_loops >= 6);

    /* without the PDB the tolerance allows 3 per loop */
    l = (struct limits){.min_available = 0, .min_replicas = 2};
    run_limits(yaml, &l);
    assert_true(l.total >= 6);
    assert_true(l.evicting_loops <= l.total);
}

static void test_min_replicas_blocks_evictions(void **state)
{
    static const char yaml[] =
        SCENARIO("12h", "4", "Recreate", "        minReplicas: 5\n",
                 "    load: {constant: 100}\n");
    struct limits l = {.min_available = 0, .min_replicas = 5};

    (void)state;
    run_limits(yaml, &l);
    assert_true(l.loops >= 700);
    assert_int_equal(l.total, 0);
}

/* evictionRequirements: over-provisioned pods (1 CPU, 1Gi against a
 * ~100m / 300Mi recommendation) are evicted only when scaling down is
 * allowed. */
static void test_eviction_requirements(void **state)
{
    static const char up[] =
        SCENARIO("14h", "4", "Recreate",
                 "        evictionRequirements:\n"
                 "          - {resources: [cpu, memory], changeRequirement: "
                 "TargetHigherThanRequests}\n",
                 "    memoryBase: 300Mi\n"
                 "    load: {constant: 60}\n");
    static const char down[] =
        SCENARIO("14h", "4", "Recreate",
                 "        evictionRequirements:\n"
                 "          - {resources: [cpu], changeRequirement: "
                 "TargetLowerThanRequests}\n",
                 "    memoryBase: 300Mi\n"
                 "    load: {constant: 60}\n");
    struct limits l = {.min_available = 0, .min_replicas = 2};

    (void)state;
    run_limits(up, &l);
    assert_true(l.loops >= 800);
    assert_int_equal(l.total, 0);
    l = (struct limits){.min_available = 0, .min_replicas = 2};
    run_limits(down, &l);
    assert_true(l.total >= 4);
}

/* ---- OOM kills and CrashLoopBackOff ----------------------------------- */

static void test_crashloop_backoff(void **state)
{
    /* 200Mi base, 300Mi limit, +6000Mi/h: over the limit 1 min after
     * every start; no VPA can help (mode Off) */
    static const char yaml[] = SCENARIO("2h", "1", "\"Off\"", "",
                                        "    memoryBase: 200Mi\n"
                                        "    memoryGrowth: 6000Mi\n"
                                        "    load: {constant: 10}\n");
    char patched[8192];
    struct tu_run r;
    const char *want[] = {"10", "20", "40", "80", "160", "300", "300"};
    size_t c_reason, c_msg, c_time, nb = 0;
    double last_oom = -1;
    const char *lim = strstr(yaml, "memory: 2Gi}");

    (void)state;
    const char *req = strstr(yaml, "memory: 1Gi}");
    char tmp[8192];

    /* request 256Mi, limit 300Mi */
    snprintf(tmp, sizeof(tmp), "%.*smemory: 300Mi}%s", (int)(lim - yaml), yaml,
             lim + strlen("memory: 2Gi}"));
    req = strstr(tmp, "memory: 1Gi}");
    snprintf(patched, sizeof(patched), "%.*smemory: 256Mi}%s", (int)(req - tmp),
             tmp, req + strlen("memory: 1Gi}"));
    tu_run_yaml(&r, patched);
    c_reason = tu_col(&r.ev, "reason");
    c_msg = tu_col(&r.ev, "message");
    c_time = tu_col(&r.ev, "time_s");
    for (size_t i = 1; i < r.ev.nrows; i++) {
        const char *reason = r.ev.rows[i][c_reason];
        double t = strtod(r.ev.rows[i][c_time], NULL);
        char expect[64];

        if (strcmp(reason, "OOMKilled") == 0) {
            /* the next kill comes after the back-off and a minute of
             * running (detected at the 15 s scrape) */
            if (last_oom >= 0 && nb >= 1 && nb <= 7) {
                double b = strtod(want[nb - 1], NULL);

                assert_true(t - last_oom >= b + 60.0);
                assert_true(t - last_oom <= b + 60.0 + 30.0);
            }
            last_oom = t;
        }
        if (strcmp(reason, "BackOff") != 0 || nb >= 7)
            continue;
        snprintf(expect, sizeof(expect), "Back-off %ss restarting", want[nb++]);
        assert_non_null(strstr(r.ev.rows[i][c_msg], expect));
    }
    assert_int_equal(nb, 7);
    /* a crashed pod is not ready: some samples have no ready replica */
    {
        size_t c_ready = tu_col(&r.tl, "ready_replicas");
        size_t c_oom = tu_col(&r.tl, "oom_kills");
        int unready = 0;

        for (size_t i = 1; i < r.tl.nrows; i++)
            unready += strcmp(r.tl.rows[i][c_ready], "0") == 0;
        assert_true(unready > 0);
        assert_true(strtol(r.tl.rows[r.tl.nrows - 1][c_oom], NULL, 10) >= 8);
    }
    tu_run_free(&r);
}

/* ---- admission and in-place ------------------------------------------- */

static void test_initial_admission_scales_limits(void **state)
{
    /* Initial: nothing is evicted; the pods created at 6h (scale to 5)
     * get the target, and their limit keeps the 2:1 ratio */
    static const char yaml[] =
        SCENARIO("7h", "2", "Initial", "",
                 "    memoryBase: 300Mi\n"
                 "    load: {constant: 40}\n"
                 "schedule:\n"
                 "  - at: 6h\n"
                 "    kubectl: kubectl scale deployment api --replicas=5\n");
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);
    struct cs_sim *sim;
    const struct cs_vpa_rec *recs;
    const struct cs_workload *w;
    int n, admitted = 0, template = 0;

    (void)state;
    if (sc == NULL)
        fail_msg("%d:%d: %s", err.line, err.col, err.msg);
    sim = cs_sim_create(sc, 1, &err);
    assert_non_null(sim);
    assert_int_equal(cs_sim_run(sim), 0);
    w = &sim->wl[0];
    assert_true(cs_vpa_status(sim, 0, &recs, &n));
    assert_int_equal(w->vpa_evictions, 0);
    for (uint32_t i = 0; i < w->npods; i++) {
        const struct cs_pod *p = &sim->pods[w->pods[i]];
        const struct cs_container *c = &cs_workload_pod_spec(w, p)->c[0];

        if (p->vspec == 0) {
            template ++;
            assert_int_equal(c->req.v[CS_RES_CPU], 1000);
            continue;
        }
        admitted++;
        /* the target at admission: the recommendation may have moved since,
         * but not by much under a constant load */
        assert_true(c->req.v[CS_RES_CPU] < 500);
        assert_int_equal(c->lim.v[CS_RES_CPU], 2 * c->req.v[CS_RES_CPU]);
        assert_int_equal(c->lim.v[CS_RES_MEMORY], 2 * c->req.v[CS_RES_MEMORY]);
        /* 300Mi working set: the target is its bucket edge plus 15% */
        assert_true(c->req.v[CS_RES_MEMORY] / 1000 > 300 * MIB);
        assert_true(c->req.v[CS_RES_MEMORY] / 1000 < 400 * MIB);
    }
    assert_int_equal(template, 2);
    assert_int_equal(admitted, 3);
    cs_sim_destroy(sim);
    cs_scenario_destroy(sc);
}

static void test_in_place_or_recreate_resizes(void **state)
{
    static const char yaml[] = SCENARIO("14h", "4", "InPlaceOrRecreate", "",
                                        "    memoryBase: 300Mi\n"
                                        "    load: {constant: 60}\n");
    struct tu_run r;
    size_t c_reason;
    int resized = 0, evicted = 0;

    (void)state;
    tu_run_yaml(&r, yaml);
    c_reason = tu_col(&r.ev, "reason");
    for (size_t i = 1; i < r.ev.nrows; i++) {
        resized += strcmp(r.ev.rows[i][c_reason], "InPlaceResizedByVPA") == 0;
        evicted += strcmp(r.ev.rows[i][c_reason], "EvictedByVPA") == 0;
    }
    assert_true(resized >= 4);
    assert_int_equal(evicted, 0);
    /* the resized pods request about the target, not the template's 1 CPU */
    assert_true(tu_tl_num(&r, "50400", "api", "pod_cpu_request_m") < 500);
    tu_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_week_recommendation_independent),
        cmocka_unit_test(test_evictions_keep_pdb_and_tolerance),
        cmocka_unit_test(test_min_replicas_blocks_evictions),
        cmocka_unit_test(test_eviction_requirements),
        cmocka_unit_test(test_crashloop_backoff),
        cmocka_unit_test(test_initial_admission_scales_limits),
        cmocka_unit_test(test_in_place_or_recreate_resizes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
