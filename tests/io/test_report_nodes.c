/*
 * test_report_nodes.c - nodes.csv, per-second billing, the cluster's cost
 * in the timeline, the node figures of the summary and every pod's time
 * to capacity.
 *
 * A run of fixed pools checks the files whole; then the report's hooks are
 * driven by hand, as the node lifecycle drives them (the hook, then the
 * new counts), on a simulation that is not run, so that node-seconds and
 * time-to-capacity stages have values worked out in the comments.
 */
#include "test_util.h"

#include "io/expect.h"
#include "io/report_int.h"

#define S(x) ((cs_time_ms)(x)*1000)

/* 3 on-demand nodes at $0.5/h and 1 spot GPU node at $0.2/h, for 1 h. */
static const char two_pools[] =
    "duration: 1h\n"
    "sampleStep: 30m\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: od, nodes: 3, capacity: {cpu: 4, memory: 16Gi},\n"
    "       pricePerHour: 0.5}\n"
    "    - {name: gpu, nodes: 1, capacityType: spot, pricePerHour: 0.2,\n"
    "       capacity: {cpu: 8, memory: 32Gi, nvidia.com/gpu: 2},\n"
    "       taints: [{key: gpu, effect: NoSchedule}]}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      replicas: 2\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: c, resources: {requests: {cpu: 500m, memory: "
    "2Gi}}}\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: train}\n"
    "    spec:\n"
    "      template:\n"
    "        spec:\n"
    "          tolerations: [{key: gpu, operator: Exists}]\n"
    "          containers:\n"
    "            - name: c\n"
    "              resources:\n"
    "                requests: {cpu: 1, memory: 4Gi, nvidia.com/gpu: 1}\n"
    "                limits: {nvidia.com/gpu: 1}\n";

/* A simulation of `yaml` with a report into a fresh directory, not run. */
struct fx {
    struct cs_scenario *sc;
    struct cs_sim *sim;
    struct cs_report *rep;
    char *dir;
};

static void fx_open(struct fx *f, const char *yaml)
{
    struct cs_err err;

    f->sc = tu_load_string(yaml, &err);
    if (f->sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    f->sim = cs_sim_create(f->sc, 1, &err);
    if (f->sim == NULL)
        fail_msg("sim: %s", err.msg);
    f->dir = tu_tmpdir();
    f->rep = cs_report_create(f->dir, f->sim, &err);
    assert_non_null(f->rep);
    f->sim->report = f->rep;
}

static void fx_commit(struct fx *f)
{
    struct cs_err err;

    cs_err_clear(&err);
    assert_int_equal(cs_report_commit(f->rep, f->sim, &err), 0);
}

static void fx_close(struct fx *f)
{
    cs_report_destroy(f->rep);
    cs_sim_destroy(f->sim);
    cs_scenario_destroy(f->sc);
    tu_rmdir(f->dir);
    free(f->dir);
}

/* The printed summary's last line. */
static void nodes_line(const struct fx *f, char *out, size_t n)
{
    char *buf = NULL, *line;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);

    assert_non_null(m);
    cs_report_print_summary(f->rep, f->sim, m);
    fclose(m);
    line = strstr(buf, "\nnodes: ");
    assert_non_null(line);
    snprintf(out, n, "%s", line + 1);
    free(buf);
}

static char *slurp_out(const struct fx *f, const char *name)
{
    char p[600];

    snprintf(p, sizeof(p), "%s/%s", f->dir, name);
    return tu_slurp(p, NULL);
}

static void read_out(const struct fx *f, const char *name, struct tu_table *t)
{
    char p[600];

    snprintf(p, sizeof(p), "%s/%s", f->dir, name);
    tu_read_csv(p, t);
}

/* `expect:` assertions name the new figures and columns like any other;
 * each text here must hold for the run of two_pools. */
static void assert_expectations(const char *dir)
{
    static const char *const texts[] = {
        "cost_usd < 10 and cost_usd == 1.7 and spot_cost_usd == 0.2",
        "nodes_peak <= 40 and nodes_peak == 4 and node_hours == 4",
        "ttc_pods == 0 and ttc_pods[web] == 0",
        "last(cost_usd_total, pool=od) == 1.5",
        "max(cluster_cost_usd_total) == 1.7",
        "max(nodes_ready, pool=gpu) == 1 and max(gpu_requested) == 1",
        "max(nodes_provisioning) == 0 and max(nodes_draining) == 0",
        "cost_usd_per_hour[od]@30m == 1.5",
    };
    enum { N = sizeof(texts) / sizeof(texts[0]) };
    struct cs_expect *e[N];
    struct cs_expect_result res[N];
    struct cs_err err;

    for (size_t i = 0; i < N; i++)
        assert_int_equal(cs_expect_parse(texts[i], "t", 1, 1, &e[i], &err), 0);
    assert_int_equal(cs_expect_eval_dir(e, N, dir, res, &err), 0);
    for (size_t i = 0; i < N; i++) {
        if (res[i].outcome != CS_EXPECT_PASS)
            fail_msg("%s: %s%s", texts[i], res[i].actual, res[i].err.msg);
        cs_expect_destroy(e[i]);
    }
}

/* Fixed pools: every column of nodes.csv at every sample; the od pool
 * bills 3 nodes x 1 h x $0.5 = $1.5, the spot pool $0.2. */
static void test_fixed_pools_files(void **state)
{
    static const char want_nodes[] =
        "time_s,pool,nodes,nodes_ready,nodes_not_ready,nodes_provisioning,"
        "nodes_draining,cpu_requested_m,cpu_allocatable_m,cpu_requested_pct,"
        "memory_requested_pct,gpu_requested,gpu_allocatable,"
        "cost_usd_per_hour,cost_usd_total\n"
        "0,od,3,3,0,0,0,1000,12000,8.3,8.3,0,0,1.5,0\n"
        "0,gpu,1,1,0,0,0,1000,8000,12.5,12.5,1,2,0.2,0\n"
        "1800,od,3,3,0,0,0,1000,12000,8.3,8.3,0,0,1.5,0.75\n"
        "1800,gpu,1,1,0,0,0,1000,8000,12.5,12.5,1,2,0.2,0.1\n"
        "3600,od,3,3,0,0,0,1000,12000,8.3,8.3,0,0,1.5,1.5\n"
        "3600,gpu,1,1,0,0,0,1000,8000,12.5,12.5,1,2,0.2,0.2\n";
    struct fx f;
    struct tu_table t;
    char *nodes, line[512];

    (void)state;
    fx_open(&f, two_pools);
    assert_int_equal(cs_sim_run(f.sim), 0);
    fx_commit(&f);
    nodes = slurp_out(&f, "nodes.csv");
    assert_string_equal(nodes, want_nodes);
    free(nodes);

    /* the cluster's cost on every workload's row */
    read_out(&f, "timeline.csv", &t);
    assert_string_equal(t.rows[0][t.ncols - 2], "cluster_cost_usd_per_hour");
    assert_string_equal(t.rows[0][t.ncols - 1], "cluster_cost_usd_total");
    assert_string_equal(tu_at(&t, "0", "web", "cluster_cost_usd_total"), "0");
    assert_string_equal(tu_at(&t, "1800", "web", "cluster_cost_usd_total"),
                        "0.85");
    assert_string_equal(tu_at(&t, "1800", "train", "cluster_cost_usd_total"),
                        "0.85");
    assert_string_equal(tu_at(&t, "3600", "train", "cluster_cost_usd_total"),
                        "1.7");
    assert_string_equal(tu_at(&t, "3600", "web", "cluster_cost_usd_per_hour"),
                        "1.7");
    tu_free_csv(&t);

    /* summary: the node figures on the (all) row only; no pod became
     * Ready during the run, so no time to capacity */
    read_out(&f, "summary.csv", &t);
    assert_int_equal(t.nrows, 1 + 2 + 1);
    assert_string_equal(t.rows[3][0], "(all)");
    assert_string_equal(t.rows[3][tu_col(&t, "nodes_peak")], "4");
    assert_string_equal(t.rows[3][tu_col(&t, "node_hours")], "4");
    assert_string_equal(t.rows[3][tu_col(&t, "cost_usd")], "1.7");
    assert_string_equal(t.rows[3][tu_col(&t, "spot_cost_usd")], "0.2");
    assert_string_equal(t.rows[3][tu_col(&t, "ttc_pods")], "0");
    assert_string_equal(t.rows[3][tu_col(&t, "ttc_p95_s")], "");
    assert_string_equal(t.rows[1][tu_col(&t, "nodes_peak")], "");
    assert_string_equal(t.rows[1][tu_col(&t, "cost_usd")], "");
    assert_string_equal(t.rows[1][tu_col(&t, "spot_cost_usd")], "");
    assert_string_equal(t.rows[1][tu_col(&t, "ttc_pods")], "0");
    tu_free_csv(&t);

    nodes_line(&f, line, sizeof(line));
    assert_string_equal(line,
                        "nodes: peak 4, 4.00 node-hours, cost $1.70 (spot "
                        "$0.20)\n");
    assert_expectations(f.dir);
    fx_close(&f);
}

/* The header of summary.csv, in order. */
static void test_summary_header(void **state)
{
    struct fx f;
    char *s, *nl;

    (void)state;
    fx_open(&f, two_pools);
    assert_int_equal(cs_sim_run(f.sim), 0);
    fx_commit(&f);
    s = slurp_out(&f, "summary.csv");
    nl = strchr(s, '\n');
    assert_non_null(nl);
    *nl = '\0';
    assert_string_equal(
        s, "workload,slo_ms,cpu_target_pct,peak_replicas,mean_replicas,"
           "replica_hours,nodes_peak,node_hours,cost_usd,spot_cost_usd,"
           "requests,dropped_requests,dropped_pct,latency_p95_ms,"
           "latency_max_ms,time_over_slo_s,time_over_target_s,pod_starts,"
           "pending_p50_s,pending_p95_s,pending_max_s,ttc_pods,ttc_p50_s,"
           "ttc_p95_s,ttc_max_s,ttc_wait_ca_p50_s,ttc_wait_ca_p95_s,"
           "ttc_provision_p50_s,ttc_provision_p95_s,ttc_startup_p50_s,"
           "ttc_startup_p95_s,load_steps,time_to_capacity_s,"
           "time_to_capacity_mean_s,scale_ups,scale_downs,flaps,"
           "under_accuracy_pct,over_accuracy_pct,under_timeshare_pct,"
           "over_timeshare_pct,instability_pct,oom_kills,vpa_evictions");
    free(s);
    fx_close(&f);
}

static const char one_pool[] =
    "duration: 1h\n"
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: od, nodes: 3, capacity: {cpu: 4, memory: 16Gi},\n"
    "       pricePerHour: 0.5}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      replicas: 2\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: c, resources: {requests: {cpu: 500m}}}\n";

/* Node n goes to state s at t, as the lifecycle moves it: the hook with
 * the old counts, then the counts. */
static void move(struct cs_sim *sim, uint32_t n, int s, cs_time_ms t)
{
    struct cs_node *nd = &sim->nodes[n];
    struct cs_pool_state *ps = &sim->pool_st[nd->pool];
    int old = nd->ready ? CS_NODE_READY : nd->state; /* fixed nodes */

    sim->now = t;
    cs_report_nodes_changing(sim->report, sim, (int)nd->pool);
    if (old != CS_NODE_FREE)
        ps->count[old]--;
    if (s != CS_NODE_FREE)
        ps->count[s]++;
    nd->state = (uint8_t)s;
    nd->ready = s == CS_NODE_READY;
    if (s == CS_NODE_PROVISIONING)
        nd->created = t;
    if (s == CS_NODE_READY)
        nd->ready_since = t;
}

static void sample_at(struct fx *f, cs_time_ms t)
{
    f->sim->now = t;
    cs_report_sample(f->rep, f->sim);
}

/* Index of a node of pool 0 with no pod bound. */
static uint32_t empty_node(const struct cs_sim *sim)
{
    for (uint32_t n = 0; n < sim->nnodes; n++)
        if (sim->nodes[n].ready && sim->nodes[n].npods == 0)
            return n;
    fail_msg("no empty node");
    return 0;
}

/* A node deleted at 600 s, recreated at 900 s, registered at 1000 s and
 * Ready at 1200 s, then drained: node-seconds
 *
 *   [0, 600) 3 nodes     1800
 *   [600, 900) 2 nodes    600
 *   [900, 3600) 3 nodes  8100   (billed while provisioning and not ready)
 *
 * = 10500 node-s = 2.91667 node-hours, x $0.5 = $1.45833. */
static void test_billing_follows_the_lifecycle(void **state)
{
    static const char want[] =
        "0,od,3,3,0,0,0,1000,12000,8.3,0,0,0,1.5,0\n"
        "700,od,2,2,0,0,0,1000,8000,12.5,0,0,0,1,0.2778\n"
        "950,od,3,2,0,1,0,1000,8000,12.5,0,0,0,1.5,0.3542\n"
        "1100,od,3,2,1,0,0,1000,8000,12.5,0,0,0,1.5,0.4167\n"
        "1500,od,3,3,0,0,1,1000,12000,8.3,0,0,0,1.5,0.5833\n";
    struct fx f;
    struct tu_table t;
    char *nodes, line[512];
    uint32_t n;

    (void)state;
    fx_open(&f, one_pool);
    n = empty_node(f.sim);
    sample_at(&f, 0);
    move(f.sim, n, CS_NODE_FREE, S(600));
    sample_at(&f, S(700));
    move(f.sim, n, CS_NODE_PROVISIONING, S(900));
    sample_at(&f, S(950));
    move(f.sim, n, CS_NODE_NOT_READY, S(1000));
    sample_at(&f, S(1100));
    move(f.sim, n, CS_NODE_READY, S(1200));
    f.sim->nodes[n].draining = 1; /* a drain counts, and is billed */
    f.sim->pool_st[0].draining++;
    sample_at(&f, S(1500));
    f.sim->now = f.sim->end;
    fx_commit(&f);

    nodes = slurp_out(&f, "nodes.csv");
    assert_non_null(strstr(nodes, want));
    free(nodes);
    read_out(&f, "summary.csv", &t);
    assert_string_equal(t.rows[2][0], "(all)");
    assert_string_equal(t.rows[2][tu_col(&t, "nodes_peak")], "3");
    assert_string_equal(t.rows[2][tu_col(&t, "node_hours")], "2.9167");
    assert_string_equal(t.rows[2][tu_col(&t, "cost_usd")], "1.4583");
    assert_string_equal(t.rows[2][tu_col(&t, "spot_cost_usd")], "0");
    tu_free_csv(&t);
    nodes_line(&f, line, sizeof(line));
    assert_string_equal(line, "nodes: peak 3, 2.92 node-hours, cost $1.46\n");
    fx_close(&f);
}

/* The peak is the most billed nodes at any instant, even between two
 * samples: a node is created at 100 s and deleted at 200 s (4 nodes for
 * 100 s), samples at 0 and 300 s see 3. */
static void test_peak_between_samples(void **state)
{
    struct fx f;
    struct tu_table t;
    struct cs_node *nd;
    uint32_t n;

    (void)state;
    fx_open(&f, one_pool);
    /* a fourth slot, FREE, as the lifecycle would take it */
    n = f.sim->nnodes;
    nd = realloc(f.sim->nodes, (n + 1) * sizeof(*nd));
    assert_non_null(nd);
    f.sim->nodes = nd;
    memset(&nd[n], 0, sizeof(nd[n]));
    f.sim->nnodes = n + 1;
    sample_at(&f, 0);
    move(f.sim, n, CS_NODE_PROVISIONING, S(100));
    move(f.sim, n, CS_NODE_FREE, S(200));
    sample_at(&f, S(300));
    f.sim->now = f.sim->end;
    fx_commit(&f);
    read_out(&f, "summary.csv", &t);
    assert_string_equal(t.rows[2][tu_col(&t, "nodes_peak")], "4");
    /* 3 nodes x 1 h + 1 node x 100 s */
    assert_string_equal(t.rows[2][tu_col(&t, "node_hours")], "3.0278");
    tu_free_csv(&t);
    fx_close(&f);
}

/* The split of one pod's time to capacity in stages. */
static void test_ttc_split(void **state)
{
    struct cs_pod pod;
    struct cs_node node;
    struct cs_fig_ttc x;

    (void)state;
    memset(&pod, 0, sizeof(pod));
    memset(&node, 0, sizeof(node));
    /* created at 10 s, its node requested at 30 s and Ready at 60 s,
     * bound at 75 s, Ready at 100 s */
    pod.created = S(10);
    pod.bound = S(75);
    node.created = S(30);
    node.ready_since = S(60);
    cs_report_ttc_split(&pod, &node, S(100), &x);
    assert_true(x.total_s == 90);
    assert_true(x.wait_ca_s == 20);
    assert_true(x.provision_s == 30);
    assert_true(x.startup_s == 40);
    /* the node existed before the pod: waiting is the scheduler's */
    node.created = S(10);
    cs_report_ttc_split(&pod, &node, S(100), &x);
    assert_true(x.total_s == 90);
    assert_true(x.wait_ca_s == 65);
    assert_true(x.provision_s == 0);
    assert_true(x.startup_s == 25);
    /* no node known, never bound: all start-up after a wait to now */
    pod.bound = CS_TIME_NEVER;
    cs_report_ttc_split(&pod, NULL, S(100), &x);
    assert_true(x.total_s == 90);
    assert_true(x.wait_ca_s == 90);
    assert_true(x.provision_s == 0);
    assert_true(x.startup_s == 0);
    /* milliseconds add up exactly */
    pod.created = 1;
    pod.bound = 2;
    node.created = 3;
    node.ready_since = 7;
    cs_report_ttc_split(&pod, &node, 12, &x);
    assert_true(x.wait_ca_s == 0.002);
    assert_true(x.provision_s == 0.004);
    assert_true(x.startup_s == 0.005);
    assert_true(x.total_s == 0.011);
}

/* Two pods of web become Ready: one waited for a new node (90 s: 20 s
 * waiting, 30 s provisioning, 40 s start-up), one fitted (15 s: 5 s, 0,
 * 10 s). Quantiles over the two, each stage apart: p50 is the mean, p95
 * the smaller + 0.95 x the difference. */
static void test_ttc_figures(void **state)
{
    static const char *const cols[] = {"ttc_pods",
                                       "ttc_p50_s",
                                       "ttc_p95_s",
                                       "ttc_max_s",
                                       "ttc_wait_ca_p50_s",
                                       "ttc_wait_ca_p95_s",
                                       "ttc_provision_p50_s",
                                       "ttc_provision_p95_s",
                                       "ttc_startup_p50_s",
                                       "ttc_startup_p95_s"};
    static const char *const want[] = {"2",     "52.5", "86.25", "90", "12.5",
                                       "19.25", "15",   "28.5",  "25", "38.5"};
    struct fx f;
    struct tu_table t;
    struct cs_workload *wl;
    struct cs_pod *p0, *p1;
    struct cs_node *n0;
    char line[512];

    (void)state;
    fx_open(&f, one_pool);
    wl = &f.sim->wl[0];
    assert_int_equal(wl->npods, 2);
    p0 = &f.sim->pods[wl->pods[0]];
    p1 = &f.sim->pods[wl->pods[1]];
    n0 = &f.sim->nodes[p0->node];
    p0->created = S(10);
    p0->bound = S(75);
    n0->created = S(30);
    n0->ready_since = S(60);
    f.sim->now = S(100);
    cs_report_pod_ready(f.rep, f.sim, wl->pods[0]);
    n0->created = 0;
    n0->ready_since = 0;
    p1->created = S(200);
    p1->bound = S(205);
    f.sim->now = S(215);
    cs_report_pod_ready(f.rep, f.sim, wl->pods[1]);
    f.sim->now = f.sim->end;
    fx_commit(&f);
    read_out(&f, "summary.csv", &t);
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        assert_string_equal(t.rows[1][tu_col(&t, cols[i])], want[i]);
        assert_string_equal(t.rows[2][tu_col(&t, cols[i])], want[i]);
    }
    tu_free_csv(&t);
    /* no autoscaled pool: no stages in the printed line (%.0f of 52.5 and
     * 86.25) */
    nodes_line(&f, line, sizeof(line));
    assert_string_equal(line, "nodes: peak 3, 3.00 node-hours, cost $1.50; "
                              "time to capacity p50 52 s, p95 86 s\n");
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_pools_files),
        cmocka_unit_test(test_summary_header),
        cmocka_unit_test(test_billing_follows_the_lifecycle),
        cmocka_unit_test(test_peak_between_samples),
        cmocka_unit_test(test_ttc_split),
        cmocka_unit_test(test_ttc_figures),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
