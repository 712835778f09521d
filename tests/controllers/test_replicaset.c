/*
 * test_replicaset.c - the ReplicaSet controller (src/controllers/
 * replicaset.c): scaling up creates Pending pods, scaling down picks the
 * victims a Kubernetes user expects (ActivePodsWithRanks, see
 * replicaset.h), and the sim's invariants hold after every step.
 *
 * Pods are put into each state directly with the sim's own transition
 * (cs_sim_pod_set_state) and the clock is moved by hand; the event loop is
 * not run.
 */
#include "test_util.h"

#include "controllers/replicaset.h"
#include "controllers/scheduler.h"

static const char scenario[] =
    "duration: 1h\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: n, nodes: 3, capacity: {cpu: 8, memory: 8Gi}}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: app}\n"
    "    spec:\n"
    "      replicas: 0\n"
    "      selector: {matchLabels: {app: app}}\n"
    "      template:\n"
    "        metadata: {labels: {app: app}}\n"
    "        spec:\n"
    "          containers:\n"
    "            - name: app\n"
    "              resources: {requests: {cpu: 100m, memory: 64Mi}}\n";

struct fx {
    struct cs_scenario *sc;
    struct cs_sim *sim;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct cs_err err;

    assert_non_null(f);
    f->sc = tu_load_string(scenario, &err);
    if (f->sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    f->sim = cs_sim_create(f->sc, 1, &err);
    if (f->sim == NULL)
        fail_msg("sim: %s", err.msg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    cs_sim_destroy(f->sim);
    cs_scenario_destroy(f->sc);
    free(f);
    return 0;
}

/* Only node `n` takes new pods (the others are cordoned), or every node
 * when n < 0. */
static void only_node(struct fx *f, int n)
{
    for (uint32_t i = 0; i < f->sim->nnodes; i++)
        f->sim->nodes[i].schedulable = n < 0 || (int)i == n;
}

/* A new pod of the workload, left Pending (unbound). */
static uint32_t pending_pod(struct fx *f)
{
    const struct cs_workload *w = &f->sim->wl[0];

    assert_int_equal(cs_sim_pod_create(f->sim, 0), 0);
    return w->pods[w->npods - 1];
}

/* A new pod bound to node n: STARTING (image pull, containers starting). */
static uint32_t starting_pod(struct fx *f, int n)
{
    uint32_t p = pending_pod(f);

    only_node(f, n);
    cs_scheduler_pass(f->sim);
    only_node(f, -1);
    assert_int_equal(f->sim->pods[p].node, n);
    assert_int_equal(f->sim->pods[p].state, CS_POD_STARTING);
    return p;
}

/* Containers up now, not ready. */
static uint32_t running_pod(struct fx *f, int n)
{
    uint32_t p = starting_pod(f, n);

    f->sim->pods[p].container_start = f->sim->now;
    cs_sim_pod_set_state(f->sim, p, CS_POD_RUNNING);
    return p;
}

/* Running pod p passes its readiness probe now. */
static void make_ready(struct fx *f, uint32_t p)
{
    assert_int_equal(f->sim->pods[p].state, CS_POD_RUNNING);
    f->sim->pods[p].ready_transition = f->sim->now;
    f->sim->pods[p].was_ready = 1;
    cs_sim_pod_set_state(f->sim, p, CS_POD_READY);
}

/* Ready since now. */
static uint32_t ready_pod(struct fx *f, int n)
{
    uint32_t p = running_pod(f, n);

    make_ready(f, p);
    return p;
}

/* A Pending pod the scheduler passes run by the other helpers do not see
 * (as if it were in kube-scheduler's backoff queue): it is taken out of
 * the pending queue until unhold(). */
static uint32_t held_pod(struct fx *f)
{
    uint32_t p = pending_pod(f);

    assert_int_equal(f->sim->pending[f->sim->npending - 1], p);
    f->sim->npending--;
    return p;
}

static void unhold(struct fx *f, uint32_t p)
{
    f->sim->pending[f->sim->npending++] = p;
}

static void set_now_s(struct fx *f, int64_t s)
{
    assert_true(s * 1000 >= f->sim->now);
    f->sim->now = s * 1000;
}

/* Scale to r and check the invariants and the replica count. */
static void scale_to(struct fx *f, int32_t r)
{
    f->sim->wl[0].spec_replicas = r;
    assert_int_equal(cs_replicaset_sync(f->sim, 0), 0);
    assert_true(cs_sim_check(f->sim));
    assert_int_equal(cs_workload_replicas(&f->sim->wl[0]), r);
}

/* 1 if pod p is no longer a replica: terminating, or (never bound) gone. */
static int deleted(const struct fx *f, uint32_t p)
{
    uint8_t s = f->sim->pods[p].state;

    return s == CS_POD_TERMINATING || s == CS_POD_FREE;
}

/* Scaling down one at a time removes exactly `order` in that order. */
static void assert_victims(struct fx *f, const uint32_t *order, int n)
{
    int32_t r = cs_workload_replicas(&f->sim->wl[0]);

    for (int i = 0; i < n; i++) {
        scale_to(f, r - 1 - i);
        for (int j = 0; j < n; j++)
            if (deleted(f, order[j]) != (j <= i))
                fail_msg("after scaling to %d, victim #%d (pod %u) is %s",
                         r - 1 - i, j, order[j],
                         deleted(f, order[j]) ? "deleted" : "still there");
    }
}

/* --- scale up ------------------------------------------------------------ */

/* Scaling up creates Pending pods queued for the scheduler; syncing again
 * creates nothing more; the scheduler then binds them. */
static void test_scale_up_creates_pending(void **state)
{
    struct fx *f = *state;
    const struct cs_workload *w = &f->sim->wl[0];

    scale_to(f, 3);
    assert_int_equal(w->npods, 3);
    assert_int_equal(w->count[CS_POD_PENDING], 3);
    assert_int_equal(f->sim->npending, 3);
    for (uint32_t i = 0; i < w->npods; i++)
        assert_int_equal(f->sim->pods[w->pods[i]].node, -1);
    scale_to(f, 3);
    assert_int_equal(w->npods, 3);
    assert_int_equal(w->peak_replicas, 3);
    cs_scheduler_pass(f->sim);
    assert_true(cs_sim_check(f->sim));
    assert_int_equal(w->count[CS_POD_STARTING], 3);
    assert_int_equal(f->sim->npending, 0);
}

/* Terminating pods are not replicas: scaling back up right after a
 * scale-down creates new pods instead of reviving the terminating ones. */
static void test_scale_up_ignores_terminating(void **state)
{
    struct fx *f = *state;
    const struct cs_workload *w = &f->sim->wl[0];

    for (int i = 0; i < 3; i++)
        ready_pod(f, i);
    scale_to(f, 1);
    assert_int_equal(w->count[CS_POD_TERMINATING], 2);
    scale_to(f, 3);
    assert_int_equal(w->count[CS_POD_TERMINATING], 2);
    assert_int_equal(w->count[CS_POD_PENDING], 2);
    assert_int_equal(w->npods, 5);
}

/* --- scale-down victims -------------------------------------------------- */

/* The header's order on one node: unscheduled, then starting (phase
 * Pending), then running but not ready, then ready for 2 s, then ready for
 * 1000 s. All were created at t = 0 in the opposite order, so newest-first
 * (the last tie-break) would pick exactly the reverse. */
static void test_victim_order_by_state(void **state)
{
    struct fx *f = *state;
    uint32_t long_ready, recent_ready, not_ready, starting, unscheduled;

    unscheduled = held_pod(f);
    starting = starting_pod(f, 0);
    not_ready = running_pod(f, 0);
    recent_ready = running_pod(f, 0);
    long_ready = ready_pod(f, 0);
    unhold(f, unscheduled);
    set_now_s(f, 998);
    make_ready(f, recent_ready);
    set_now_s(f, 1000);
    {
        const uint32_t order[] = {unscheduled, starting, not_ready,
                                  recent_ready, long_ready};

        assert_victims(f, order, 5);
    }
    /* the unscheduled pod is gone at once; the others terminate */
    assert_int_equal(f->sim->pods[unscheduled].state, CS_POD_FREE);
    assert_int_equal(f->sim->npending, 0);
    assert_int_equal(f->sim->wl[0].count[CS_POD_TERMINATING], 4);
}

/* Among ready pods, one on a node holding more of the workload's pods goes
 * first, even if it has been ready far longer; the rank is kept exact as
 * victims go: 3 vs 1 and 2 vs 1 take crowded pods (newest uid first among
 * equals), then 1 vs 1 takes the pod ready for 1 s over the one ready for
 * 601 s. */
static void test_victim_prefers_crowded_node(void **state)
{
    struct fx *f = *state;
    uint32_t crowded[3], alone;

    for (int i = 0; i < 3; i++)
        crowded[i] = ready_pod(f, 0);
    set_now_s(f, 600);
    alone = ready_pod(f, 1);
    set_now_s(f, 601);
    {
        const uint32_t order[] = {crowded[2], crowded[1], alone};

        assert_victims(f, order, 3);
    }
    assert_false(deleted(f, crowded[0]));
}

/* Readiness beats the rank: a not-ready pod alone on its node goes before
 * ready pods sharing one. */
static void test_victim_not_ready_before_crowded(void **state)
{
    struct fx *f = *state;
    uint32_t a, b, lone;

    a = ready_pod(f, 0);
    b = ready_pod(f, 0);
    lone = running_pod(f, 2);
    scale_to(f, 2);
    assert_true(deleted(f, lone));
    assert_false(deleted(f, a) || deleted(f, b));
}

/* Ready times in the same log2 bucket are equal: then the newer pod
 * (creation bucket, then uid) goes first. 40 s and 50 s ready both fall in
 * [32 s, 64 s). */
static void test_victim_ready_time_buckets(void **state)
{
    struct fx *f = *state;
    uint32_t older, newer;

    older = ready_pod(f, 0);
    set_now_s(f, 10);
    newer = running_pod(f, 1);
    make_ready(f, newer);
    set_now_s(f, 50);
    /* ready 50 s vs 40 s: same bucket; created 50 s vs 40 s ago: same
     * bucket; uid decides: newest first */
    assert_true(cs_replicaset_victim_cmp(f->sim, newer, 1, older, 1) < 0);
    assert_true(cs_replicaset_victim_cmp(f->sim, older, 1, newer, 1) > 0);
    scale_to(f, 1);
    assert_true(deleted(f, newer));
    assert_false(deleted(f, older));
}

/* The comparison is a strict order: antisymmetric, zero only with itself. */
static void test_victim_cmp_antisymmetric(void **state)
{
    struct fx *f = *state;
    uint32_t p[6];

    p[0] = ready_pod(f, 0);
    set_now_s(f, 5);
    p[1] = ready_pod(f, 1);
    p[2] = running_pod(f, 2);
    p[3] = starting_pod(f, 0);
    set_now_s(f, 300);
    p[4] = ready_pod(f, 1);
    p[5] = pending_pod(f);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(cs_replicaset_victim_cmp(f->sim, p[i], 1, p[i], 1), 0);
        for (int j = 0; j < 6; j++) {
            int a, b;

            if (i == j)
                continue;
            a = cs_replicaset_victim_cmp(f->sim, p[i], 1 + i % 2, p[j],
                                         1 + j % 2);
            b = cs_replicaset_victim_cmp(f->sim, p[j], 1 + j % 2, p[i],
                                         1 + i % 2);
            assert_int_not_equal(a, 0);
            assert_true((a < 0) == (b > 0));
        }
    }
}

/* Scaling to zero deletes everything; a later pass binds nothing. */
static void test_scale_to_zero(void **state)
{
    struct fx *f = *state;

    ready_pod(f, 0);
    running_pod(f, 1);
    pending_pod(f);
    pending_pod(f);
    scale_to(f, 0);
    assert_int_equal(f->sim->wl[0].count[CS_POD_TERMINATING], 2);
    assert_int_equal(f->sim->wl[0].npods, 2);
    assert_int_equal(f->sim->npending, 0);
    cs_scheduler_pass(f->sim);
    assert_true(cs_sim_check(f->sim));
    assert_int_equal(f->sim->wl[0].count[CS_POD_STARTING], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scale_up_creates_pending, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scale_up_ignores_terminating,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_victim_order_by_state, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_victim_prefers_crowded_node, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_victim_not_ready_before_crowded,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_victim_ready_time_buckets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_victim_cmp_antisymmetric, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scale_to_zero, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
