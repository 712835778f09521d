/*
 * test_sim.c - the pod lifecycle as a user reads it in timeline.csv
 * (src/core/sim.c): when a pod created by a scale-up becomes ready, when a
 * terminating pod stops counting and frees its node, the warm start, and
 * that two simulations in one process do not share state.
 *
 * Every start-up delay is constant and the timeline is sampled every
 * second, so the expected seconds are computed exactly:
 *
 *   created T -> bound T (scheduler pass at once)
 *   startTime T+1 (schedule) -> containers up T+1+2+1 = T+4 (pull, start)
 *   app ready T+4+warmup; probes at T+4+2, then every 5 s;
 *   Ready at the first probe at or after app ready.
 */
#include "test_util.h"

/* web: HPA-scaled, probed; batch: no HPA, no probe. In order: the sample
 * step, web's grace, batch's replicas, web's warm-up and shutdown (s), and
 * web's load. */
static const char scenario_fmt[] =
    "duration: 2m\n"
    "sampleStep: %s\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: n, nodes: 1, capacity: {cpu: 2, memory: 16Gi}}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      replicas: 3\n"
    "      selector: {matchLabels: {app: web}}\n"
    "      template:\n"
    "        metadata: {labels: {app: web}}\n"
    "        spec:\n"
    "          terminationGracePeriodSeconds: %d\n"
    "          containers:\n"
    "            - name: web\n"
    "              resources:\n"
    "                requests: {cpu: 500m, memory: 256Mi}\n"
    "                limits: {cpu: 500m, memory: 512Mi}\n"
    "              readinessProbe:\n"
    "                httpGet: {path: /healthz, port: 8080}\n"
    "                initialDelaySeconds: 2\n"
    "                periodSeconds: 5\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: batch}\n"
    "    spec:\n"
    "      replicas: %d\n"
    "      selector: {matchLabels: {app: batch}}\n"
    "      template:\n"
    "        metadata: {labels: {app: batch}}\n"
    "        spec:\n"
    "          containers:\n"
    "            - name: batch\n"
    "              resources: {requests: {cpu: 500m, memory: 64Mi}}\n"
    "  - apiVersion: autoscaling/v2\n"
    "    kind: HorizontalPodAutoscaler\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, "
    "name: web}\n"
    "      minReplicas: 1\n"
    "      maxReplicas: 6\n"
    "      metrics:\n"
    "        - type: Resource\n"
    "          resource:\n"
    "            name: cpu\n"
    "            target: {type: Utilization, averageUtilization: 70}\n"
    "      behavior:\n"
    "        scaleUp:\n"
    "          policies: [{type: Pods, value: 1, periodSeconds: 600}]\n"
    "        scaleDown:\n"
    "          stabilizationWindowSeconds: 0\n"
    "          policies: [{type: Pods, value: 1, periodSeconds: 600}]\n"
    "workloads:\n"
    "  web:\n"
    "    idleCpu: 60m\n"
    "    cpuPerRequest: 2ms\n"
    "    startup:\n"
    "      schedule: 1s\n"
    "      imagePull: 2s\n"
    "      containerStart: 1s\n"
    "      warmup: %ds\n"
    "      shutdown: %ds\n"
    "    load: %s\n"
    "  batch:\n"
    "    startup: {schedule: 1s, imagePull: 2s, containerStart: 1s}\n";

/* At target (70% of the 500m request: 60m idle + 145/s x 2 ms) until 20 s,
 * then 92%: the HPA scales 3 -> 4 once (one pod per 10 min allowed). */
static const char busy[] = "[{at: 0s, rps: 435}, {at: 20s, rps: 600}]";
/* At target, then idle from 20 s (12% of request): the HPA scales 3 -> 2
 * once its metrics cover the idle time. */
static const char idle[] = "[{at: 0s, rps: 435}, {at: 20s, rps: 0}]";

struct run {
    char *dir;
    struct tu_table tl;
};

static void run_step(struct run *r, const char *step, int warmup_s, int grace_s,
                     int shutdown_s, int batch, const char *load)
{
    char yaml[sizeof(scenario_fmt) + 256], path[512];
    struct cs_err err;
    struct cs_scenario *sc;

    snprintf(yaml, sizeof(yaml), scenario_fmt, step, grace_s, batch, warmup_s,
             shutdown_s, load);
    sc = tu_load_string(yaml, &err);
    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    r->dir = tu_tmpdir();
    assert_int_equal(tu_run_loaded(sc, 1, r->dir), 0);
    cs_scenario_destroy(sc);
    snprintf(path, sizeof(path), "%s/timeline.csv", r->dir);
    tu_read_csv(path, &r->tl);
}

static void run_scenario(struct run *r, int warmup_s, int grace_s,
                         int shutdown_s, int batch, const char *load)
{
    run_step(r, "1s", warmup_s, grace_s, shutdown_s, batch, load);
}

/* Each test runs one scenario into *state; teardown removes its files
 * even when the test failed half-way. */
static int run_setup(void **state)
{
    *state = calloc(1, sizeof(struct run));
    return *state == NULL;
}

static int run_teardown(void **state)
{
    struct run *r = *state;

    if (r->dir != NULL) {
        tu_free_csv(&r->tl);
        tu_rmdir(r->dir);
        free(r->dir);
    }
    free(r);
    return 0;
}

/* Integer column `col` of workload wl at second t; fails if absent. */
static long at(const struct run *r, long t, const char *wl, const char *col)
{
    char ts[32];
    const char *v;

    snprintf(ts, sizeof(ts), "%ld", t);
    v = tu_at(&r->tl, ts, wl, col);
    if (v == NULL)
        fail_msg("no %s row at %ld s", wl, t);
    return strtol(v, NULL, 10);
}

/* First second whose desired_replicas of wl differs from the one before,
 * or -1. */
static long first_rescale(const struct run *r, const char *wl)
{
    for (long t = 1; t < 120; t++)
        if (at(r, t, wl, "desired_replicas") !=
            at(r, t - 1, wl, "desired_replicas"))
            return t;
    return -1;
}

/* The initial pods start warm: ready at t = 0. */
static void test_initial_pods_ready_at_zero(void **state)
{
    struct run *r = *state;

    run_scenario(r, 3, 30, 1, 0, busy);
    assert_int_equal(at(r, 0, "web", "replicas"), 3);
    assert_int_equal(at(r, 0, "web", "ready_replicas"), 3);
    assert_int_equal(at(r, 0, "web", "pending_pods"), 0);
}

/* Scale-up at T (3 -> 4): the new pod counts as a replica at T, is bound
 * by T+1, and is Ready at T + delay_s and not a second earlier. */
static void check_ready_at(struct run *r, int warmup_s, long delay_s)
{
    long t;

    run_scenario(r, warmup_s, 30, 1, 0, busy);
    t = first_rescale(r, "web");
    assert_true(t > 0);
    assert_int_equal(at(r, t, "web", "desired_replicas"), 4);
    assert_int_equal(at(r, t - 1, "web", "replicas"), 3);
    assert_int_equal(at(r, t, "web", "replicas"), 4);
    for (long s = t; s < t + delay_s; s++)
        assert_int_equal(at(r, s, "web", "ready_replicas"), 3);
    assert_int_equal(at(r, t + delay_s, "web", "ready_replicas"), 4);
    assert_int_equal(at(r, t + 1, "web", "pending_pods"), 0);
}

/* 3 s warm-up: the app can serve at T+7, after the first probe (T+6), so
 * the pod is Ready at the next probe, T+11. */
static void test_scale_up_ready_at_next_probe(void **state)
{
    check_ready_at(*state, 3, 11);
}

/* With a 2 s warm-up the app is ready exactly at the first probe (T+6),
 * which passes: "at or after". */
static void test_scale_up_ready_at_first_probe(void **state)
{
    check_ready_at(*state, 2, 6);
}

/* App ready exactly at the second probe (T+4+7 = T+11): Ready then. */
static void test_scale_up_ready_at_second_probe(void **state)
{
    check_ready_at(*state, 7, 11);
}

/* A warm-up longer than several periods: app ready at T+4+13 = T+17;
 * probes at T+6, 11, 16, 21: Ready at T+21. */
static void test_scale_up_long_warmup(void **state)
{
    check_ready_at(*state, 13, 21);
}

/* Scale-down at T: the victim stops counting as a replica (and as ready)
 * at T. Its node is released when it exits, at G = T + min(grace,
 * shutdown): the one-node cluster is full, so the batch pod waiting for
 * room stays Pending through G - 1, is bound at G (no longer pending at
 * G + 1) and, having no probe, is Ready when its containers are up at
 * G + 4 (seen from G + 5: the sample at G + 4 runs before the Ready event
 * pushed at that instant). */
static void check_terminating(struct run *r, int grace_s, int shutdown_s)
{
    long gone = grace_s < shutdown_s ? grace_s : shutdown_s;
    long t;

    run_scenario(r, 3, grace_s, shutdown_s, 2, idle);
    /* web's 3 pods and one batch pod fill the 2-CPU node at t = 0 */
    assert_int_equal(at(r, 0, "batch", "ready_replicas"), 1);
    assert_int_equal(at(r, 0, "batch", "pending_pods"), 1);
    t = first_rescale(r, "web");
    assert_true(t > 0);
    assert_int_equal(at(r, t - 1, "web", "replicas"), 3);
    assert_int_equal(at(r, t, "web", "desired_replicas"), 2);
    assert_int_equal(at(r, t, "web", "replicas"), 2);
    assert_int_equal(at(r, t, "web", "ready_replicas"), 2);
    /* still waiting until the victim has exited */
    for (long s = t; s < t + gone; s++)
        assert_int_equal(at(r, s, "batch", "pending_pods"), 1);
    assert_int_equal(at(r, t + gone + 1, "batch", "pending_pods"), 0);
    assert_int_equal(at(r, t + gone + 3, "batch", "ready_replicas"), 1);
    assert_int_equal(at(r, t + gone + 5, "batch", "ready_replicas"), 2);
}

static void test_terminating_exits_after_shutdown(void **state)
{
    check_terminating(*state, 30, 4);
}

static void test_terminating_killed_after_grace(void **state)
{
    check_terminating(*state, 3, 20);
}

/* The HPA reacts to load only once a metrics window covers it: with the
 * load stepping from 70% to 92% of request exactly at 15 s, the scrape at
 * 15 s holds the window 0-15 s (70%, within tolerance), so the scale-up
 * comes at the 30 s sync. */
static void test_step_load_not_seen_early(void **state)
{
    static const char step15[] = "[{at: 0s, rps: 435}, {at: 15s, rps: 600}]";
    struct run *r = *state;

    run_step(r, "15s", 3, 30, 1, 0, step15);
    assert_int_equal(at(r, 15, "web", "desired_replicas"), 3);
    assert_int_equal(at(r, 30, "web", "desired_replicas"), 4);
}

/* --- two sims in one process ------------------------------------------- */

struct live {
    struct cs_scenario *sc;
    struct cs_sim *sim;
    struct cs_report *rep;
    char *dir;
};

/* A scenario whose outputs depend on the start-up RNG stream. */
static const char random_fmt[] =
    "duration: 3m\n"
    "sampleStep: 1s\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: general, nodes: 4, capacity: {cpu: 4, memory: 16Gi}}\n"
    "manifests:\n"
    "  - feastflow/backend.yaml\n"
    "workloads:\n"
    "  feastflow-backend:\n"
    "    idleCpu: 60m\n"
    "    cpuPerRequest: 2ms\n"
    "    startup: {imagePull: {lognormal: {median: 5s, p95: 30s}}}\n"
    "    load: [{at: 0s, rps: 2}, {at: 10s, rps: %d}]\n";

static void live_open(struct live *l, int rps, uint64_t seed)
{
    char yaml[sizeof(random_fmt) + 32];
    struct cs_err err;

    snprintf(yaml, sizeof(yaml), random_fmt, rps);
    l->sc = tu_load_string(yaml, &err);
    if (l->sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    l->sim = cs_sim_create(l->sc, seed, &err);
    if (l->sim == NULL)
        fail_msg("sim: %s", err.msg);
    l->dir = tu_tmpdir();
    l->rep = cs_report_create(l->dir, l->sim, &err);
    assert_non_null(l->rep);
    l->sim->report = l->rep;
}

static void live_run(struct live *l)
{
    struct cs_err err;

    assert_int_equal(cs_sim_run(l->sim), 0);
    assert_true(cs_sim_check(l->sim));
    assert_int_equal(cs_report_commit(l->rep, l->sim, &err), 0);
}

/* Close the sim, keep the files; returns the timeline's text. */
static char *live_close(struct live *l)
{
    char path[512], *text;

    cs_report_destroy(l->rep);
    cs_sim_destroy(l->sim);
    cs_scenario_destroy(l->sc);
    snprintf(path, sizeof(path), "%s/timeline.csv", l->dir);
    text = tu_slurp(path, NULL);
    tu_rmdir(l->dir);
    free(l->dir);
    return text;
}

/* A run alone and the same run while another sim (another scenario and
 * seed) is created first, run first and destroyed last give the same
 * timeline byte for byte. */
static void test_two_sims_independent(void **state)
{
    struct live alone, a, b;
    char *t_alone, *t_a, *t_b;

    (void)state;
    live_open(&alone, 400, 7);
    live_run(&alone);
    t_alone = live_close(&alone);

    live_open(&b, 250, 8);
    live_open(&a, 400, 7);
    live_run(&b);
    live_run(&a);
    t_a = live_close(&a);
    t_b = live_close(&b);

    assert_string_equal(t_a, t_alone);
    /* and the other run really did something different */
    assert_true(strcmp(t_b, t_alone) != 0);
    free(t_alone);
    free(t_a);
    free(t_b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_initial_pods_ready_at_zero,
                                        run_setup, run_teardown),
        cmocka_unit_test_setup_teardown(test_scale_up_ready_at_next_probe,
                                        run_setup, run_teardown),
        cmocka_unit_test_setup_teardown(test_scale_up_ready_at_first_probe,
                                        run_setup, run_teardown),
        cmocka_unit_test_setup_teardown(test_scale_up_ready_at_second_probe,
                                        run_setup, run_teardown),
        cmocka_unit_test_setup_teardown(test_scale_up_long_warmup, run_setup,
                                        run_teardown),
        cmocka_unit_test_setup_teardown(test_terminating_exits_after_shutdown,
                                        run_setup, run_teardown),
        cmocka_unit_test_setup_teardown(test_terminating_killed_after_grace,
                                        run_setup, run_teardown),
        cmocka_unit_test_setup_teardown(test_step_load_not_seen_early,
                                        run_setup, run_teardown),
        cmocka_unit_test(test_two_sims_independent),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
