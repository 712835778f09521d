/*
 * test_ca_algo.c - the cluster autoscaler's pure decision rules
 * (src/controllers/ca_expander.c, ca_group.c, ca_util.c): expanders and
 * their chain, node-group backoff, balancing, similarity, utilization and
 * eligibility; and the errors of the ca_*.csv conformance shapes
 * (src/io/conformance_ca*.c). The estimator is in test_ca_estimate.c.
 * Exact values come from CLUSTER_AUTOSCALER_SPEC.md and part A of
 * CA_VPA_TEST_VECTORS.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "controllers/ca_algo.h"
#include "core/err.h"
#include "io/conformance.h"

#define MIN_MS ((cs_time_ms)60 * 1000)
#define MI ((int64_t)1048576 * 1000) /* 1 MiB in milli-bytes */

static struct cs_ca_option opt(const char *id, int32_t nodes, int32_t pods)
{
    struct cs_ca_option o;

    memset(&o, 0, sizeof(o));
    o.id = id;
    o.nodes = nodes;
    o.pods = pods;
    o.exists = 1;
    return o;
}

/* One pod of 500m / 1000Mi on a template of cpu x mem (A1). */
static struct cs_ca_option waste_opt(const char *id, int64_t cpu, int64_t mem)
{
    struct cs_ca_option o = opt(id, 1, 1);

    o.pod_cpu = 500;
    o.pod_mem = 1000 * MI;
    o.cap_cpu = cpu;
    o.cap_mem = mem;
    return o;
}

/* A3: pods cost 30 in all, the stabilization pod 10. */
static struct cs_ca_option price_opt(const char *id, int32_t nodes, int64_t cpu,
                                     double node_price)
{
    struct cs_ca_option o = opt(id, nodes, 2);

    o.cap_cpu = cpu;
    o.node_price = node_price;
    o.pods_price = 30.0;
    return o;
}

/* ---------------------------------------------------------------------- */
/* Expanders                                                              */
/* ---------------------------------------------------------------------- */

static void test_expander_names(void **state)
{
    static const char *const n[] = {"random",      "most-pods", "least-nodes",
                                    "least-waste", "price",     "priority"};

    (void)state;
    for (int e = CS_EXP_RANDOM; e <= CS_EXP_PRIORITY; e++) {
        assert_string_equal(cs_ca_expander_name(e), n[e - 1]);
        assert_int_equal(cs_ca_expander_parse(n[e - 1]), e);
    }
    assert_int_equal(cs_ca_expander_parse("grpc"), 0);
    assert_int_equal(cs_ca_expander_parse("Least-Waste"), 0);
    assert_int_equal(cs_ca_expander_parse(""), 0);
    assert_int_equal(cs_ca_expander_parse(NULL), 0);
    assert_string_equal(cs_ca_expander_name(0), "unknown");
    assert_string_equal(cs_ca_expander_name(CS_EXP_PRIORITY + 1), "unknown");
}

static void test_waste_score(void **state)
{
    struct cs_ca_option o = waste_opt("lowcpu", 4000, 16000 * MI);
    struct cs_ca_option none = opt("empty", 1, 0);

    (void)state;
    assert_true(cs_ca_waste_score(&o) == 1.8125);
    o.nodes = 2; /* capacity doubles, requests do not */
    assert_true(cs_ca_waste_score(&o) == 0.9375 + 0.96875);
    none.cap_cpu = 8000;
    none.cap_mem = 16000 * MI;
    assert_true(cs_ca_waste_score(&none) == 2.0);
    none.cap_cpu = 0; /* a missing resource counts as fully wasted */
    assert_true(cs_ca_waste_score(&none) == 2.0);
}

static void test_preferred_cpu_table(void **state)
{
    static const int64_t n[] = {0, 2, 3, 6, 7, 20, 21, 60, 61, 200, 201, 5000};
    static const int64_t cpu[] = {1000, 1000, 2000,  2000,  4000,  4000,
                                  8000, 8000, 16000, 16000, 32000, 32000};

    (void)state;
    for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
        assert_int_equal(cs_ca_preferred_cpu(n[i]), cpu[i]);
}

static void test_price_score(void **state)
{
    struct cs_ca_option a = price_opt("ng1", 2, 1000, 20.0);
    struct cs_ca_option b = price_opt("ng2", 1, 4000, 200.0);

    (void)state;
    assert_true(fabs(cs_ca_price_score(&a, 2000, 10.0) - 2.416790) < 5e-7);
    assert_true(cs_ca_price_score(&b, 2000, 10.0) == 10.5);
    assert_true(cs_ca_price_score(&b, 4000, 10.0) == 5.25);
    b.exists = 0; /* a group still to be created costs double */
    assert_true(cs_ca_price_score(&b, 4000, 10.0) == 10.5);
    b.exists = 1;
    b.gpu = 1; /* GPU groups are a last resort: suppressed unfitness 1000 */
    assert_true(cs_ca_price_score(&b, 4000, 10.0) == 5250.0);
    b.gpu = 0;
    b.cap_cpu = 0; /* no CPU: unfitness 1000 rather than a division by 0 */
    assert_true(cs_ca_price_score(&b, 4000, 10.0) == 5250.0);
}

static void test_filters_keep_ties_in_order(void **state)
{
    struct cs_ca_option o[4];

    (void)state;
    o[0] = waste_opt("a", 8000, 16000 * MI);
    o[1] = waste_opt("b", 4000, 16000 * MI);
    o[2] = waste_opt("c", 8000, 32000 * MI);
    o[3] = waste_opt("d", 4000, 16000 * MI);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_LEAST_WASTE, o, 4, 0, 0, NULL, 0, 0.0), 2);
    assert_string_equal(o[0].id, "b");
    assert_string_equal(o[1].id, "d");

    /* A price of 0 / 0 ranks last instead of emptying the result. */
    o[0] = price_opt("nan", 1, 1000, 0.0);
    o[0].pods_price = 0.0;
    o[1] = price_opt("ok", 1, 1000, 5.0);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_PRICE, o, 2, 1000, 0.0, NULL, 0, 0.0), 1);
    assert_string_equal(o[0].id, "ok");

    o[0] = opt("x", 3, 5);
    o[1] = opt("y", 1, 7);
    o[2] = opt("z", 2, 7);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_MOST_PODS, o, 3, 0, 0, NULL, 0, 0.0), 2);
    assert_string_equal(o[0].id, "y");
    assert_string_equal(o[1].id, "z");
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_MOST_PODS, o, 0, 0, 0, NULL, 0, 0.0), 0);
}

static void test_least_nodes_ignores_empty_options(void **state)
{
    struct cs_ca_option o[3] = {opt("a", 0, 1), opt("b", 0, 2),
                                opt("c", -1, 3)};

    (void)state;
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_LEAST_NODES, o, 3, 0, 0, NULL, 0, 0.0), 0);
    o[1].nodes = 4;
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_LEAST_NODES, o, 3, 0, 0, NULL, 0, 0.0), 1);
    assert_string_equal(o[0].id, "b");
}

static void test_random_is_a_function_of_u(void **state)
{
    static const double u[] = {0.0, 0.2499, 0.25, 0.5, 0.999, 1.0, -0.5};
    static const char *const want[] = {"a", "a", "b", "c", "d", "d", "a"};

    (void)state;
    for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
        struct cs_ca_option o[4] = {opt("a", 1, 1), opt("b", 1, 1),
                                    opt("c", 1, 1), opt("d", 1, 1)};

        assert_int_equal(
            cs_ca_expander_filter(CS_EXP_RANDOM, o, 4, 0, 0, NULL, 0, u[i]), 1);
        assert_string_equal(o[0].id, want[i]);
    }
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_RANDOM, NULL, 0, 0, 0, NULL, 0, 0.5), 0);
}

static void test_priority(void **state)
{
    const char *low[] = {".*"};
    const char *mid[] = {"spot", "^never$"};
    const char *high[] = {"gpu-[0-9]+"};
    const char *bad[] = {"("};
    struct cs_ca_priority p[3] = {{10, low, 1}, {50, mid, 2}, {100, high, 1}};
    struct cs_ca_priority invalid[2] = {{100, high, 1}, {5, bad, 1}};
    struct cs_ca_option o[4];

    (void)state;
    o[0] = opt("pool-spot-a", 1, 1);
    o[1] = opt("pool-gpu-x", 1, 1); /* no digit after gpu-: not high */
    o[2] = opt("my-spot-b", 1, 1);
    o[3] = opt("ondemand", 1, 1);
    /* Unanchored matching; the highest matching priority wins; ties kept
     * in order. */
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_PRIORITY, o, 4, 0, 0, p, 3, 0.0), 2);
    assert_string_equal(o[0].id, "pool-spot-a");
    assert_string_equal(o[1].id, "my-spot-b");
    o[2] = opt("gpu-12", 1, 1);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_PRIORITY, o, 3, 0, 0, p, 3, 0.0), 1);
    assert_string_equal(o[0].id, "gpu-12");
    /* A group matching nothing is dropped; nothing matching at all, no
     * table or an invalid regex leave the options unchanged. */
    o[0] = opt("ondemand", 1, 1);
    o[1] = opt("gpu-1", 1, 1);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_PRIORITY, o, 2, 0, 0, p + 2, 1, 0.0), 1);
    assert_string_equal(o[0].id, "gpu-1");
    o[0] = opt("ondemand", 1, 1);
    o[1] = opt("other", 1, 1);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_PRIORITY, o, 2, 0, 0, p + 1, 2, 0.0), 2);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_PRIORITY, o, 2, 0, 0, NULL, 0, 0.0), 2);
    o[0] = opt("gpu-1", 1, 1);
    assert_int_equal(
        cs_ca_expander_filter(CS_EXP_PRIORITY, o, 2, 0, 0, invalid, 2, 0.0), 2);
    assert_string_equal(o[0].id, "gpu-1");
    assert_string_equal(o[1].id, "other");
    /* An unknown expander changes nothing. */
    assert_int_equal(cs_ca_expander_filter(99, o, 2, 0, 0, NULL, 0, 0.0), 2);
}

static void test_chain_stops_at_one_option(void **state)
{
    const int chain[2] = {CS_EXP_LEAST_NODES, CS_EXP_MOST_PODS};
    struct cs_ca_option o[3] = {opt("a", 2, 9), opt("b", 1, 1), opt("c", 3, 4)};
    struct cs_ca_option scratch[3];

    (void)state;
    /* least-nodes leaves b alone: most-pods (which would pick a) never
     * runs. The options are not modified; the index is into them. */
    assert_int_equal(
        cs_ca_expander_choose(chain, 2, o, 3, scratch, 0, 0, NULL, 0, 0.9), 1);
    assert_string_equal(o[0].id, "a");
    assert_int_equal(o[0].group, 0);
    /* A tie after least-nodes goes on to most-pods. */
    o[1].nodes = 2;
    o[1].pods = 10;
    assert_int_equal(
        cs_ca_expander_choose(chain, 2, o, 3, scratch, 0, 0, NULL, 0, 0.9), 1);
}

static void test_chain_final_random_pick(void **state)
{
    const int chain[1] = {CS_EXP_LEAST_NODES};
    struct cs_ca_option o[4] = {opt("a", 2, 1), opt("b", 1, 1), opt("c", 1, 1),
                                opt("d", 1, 1)};
    struct cs_ca_option scratch[4];

    (void)state;
    /* Survivors b, c, d; u picks among them, reported in opt[] terms. */
    assert_int_equal(
        cs_ca_expander_choose(chain, 1, o, 4, scratch, 0, 0, NULL, 0, 0.0), 1);
    assert_int_equal(
        cs_ca_expander_choose(chain, 1, o, 4, scratch, 0, 0, NULL, 0, 0.5), 2);
    assert_int_equal(
        cs_ca_expander_choose(chain, 1, o, 4, scratch, 0, 0, NULL, 0, 0.99), 3);
    /* No chain: a random pick among all. */
    assert_int_equal(
        cs_ca_expander_choose(NULL, 0, o, 4, scratch, 0, 0, NULL, 0, 0.0), 0);
    /* No options, or none surviving: -1. */
    assert_int_equal(
        cs_ca_expander_choose(chain, 1, o, 0, scratch, 0, 0, NULL, 0, 0.0), -1);
    o[0].nodes = 0;
    assert_int_equal(
        cs_ca_expander_choose(chain, 1, o, 1, scratch, 0, 0, NULL, 0, 0.0), -1);
}

static void test_chain_priority_then_least_waste(void **state)
{
    const int chain[2] = {CS_EXP_PRIORITY, CS_EXP_LEAST_WASTE};
    const char *re[] = {"^pref-"};
    struct cs_ca_priority p[1] = {{10, re, 1}};
    struct cs_ca_option o[3], scratch[3];

    (void)state;
    o[0] = waste_opt("other-lowcpu", 4000, 16000 * MI);
    o[1] = waste_opt("pref-balanced", 8000, 16000 * MI);
    o[2] = waste_opt("pref-highmem", 8000, 32000 * MI);
    assert_int_equal(
        cs_ca_expander_choose(chain, 2, o, 3, scratch, 0, 0, p, 1, 0.0), 1);
}

/* ---------------------------------------------------------------------- */
/* Backoff                                                                */
/* ---------------------------------------------------------------------- */

static const struct cs_ca_backoff_cfg defaults = {5 * MIN_MS, 30 * MIN_MS,
                                                  180 * MIN_MS};

static void test_backoff_first_failure_and_boundary(void **state)
{
    struct cs_ca_backoff_entry e;

    (void)state;
    memset(&e, 0, sizeof(e));
    assert_false(cs_ca_backoff_active(&e, 0));
    cs_ca_backoff_fail(&e, &defaults, 1000);
    assert_int_equal(e.duration, 5 * MIN_MS);
    assert_int_equal(e.until, 1000 + 5 * MIN_MS);
    assert_int_equal(e.last_failure, 1000);
    assert_true(cs_ca_backoff_active(&e, 1000));
    assert_true(cs_ca_backoff_active(&e, 1000 + 5 * MIN_MS)); /* inclusive */
    assert_false(cs_ca_backoff_active(&e, 1001 + 5 * MIN_MS));
}

static void test_backoff_doubles_to_the_cap(void **state)
{
    static const cs_time_ms want[] = {5, 10, 20, 30, 30};
    struct cs_ca_backoff_entry e;
    cs_time_ms t = 0;

    (void)state;
    memset(&e, 0, sizeof(e));
    for (size_t i = 0; i < 5; i++) {
        cs_ca_backoff_fail(&e, &defaults, t);
        assert_int_equal(e.duration, want[i] * MIN_MS);
        t = e.until + 1; /* the next failure comes just after expiry */
    }
}

static void test_backoff_concurrent_failures_do_not_compound(void **state)
{
    struct cs_ca_backoff_entry e;

    (void)state;
    memset(&e, 0, sizeof(e));
    cs_ca_backoff_fail(&e, &defaults, 0);
    cs_ca_backoff_fail(&e, &defaults, 4 * MIN_MS);
    assert_int_equal(e.duration, 5 * MIN_MS);
    assert_int_equal(e.until, 9 * MIN_MS); /* extended, not doubled */
    /* At exactly backoffUntil the group is still backed off: d kept. */
    cs_ca_backoff_fail(&e, &defaults, 9 * MIN_MS);
    assert_int_equal(e.duration, 5 * MIN_MS);
}

static void test_backoff_gc_and_remove(void **state)
{
    struct cs_ca_backoff_entry e;

    (void)state;
    memset(&e, 0, sizeof(e));
    cs_ca_backoff_fail(&e, &defaults, 0);
    cs_ca_backoff_fail(&e, &defaults, 6 * MIN_MS); /* d = 10m */
    cs_ca_backoff_gc(&e, &defaults, 186 * MIN_MS); /* last + 3h: kept */
    assert_true(e.active);
    cs_ca_backoff_gc(&e, &defaults, 186 * MIN_MS + 1);
    assert_false(e.active);
    cs_ca_backoff_fail(&e, &defaults, 200 * MIN_MS);
    assert_int_equal(e.duration, 5 * MIN_MS); /* starts over */
    cs_ca_backoff_remove(&e);
    assert_false(cs_ca_backoff_active(&e, 200 * MIN_MS));
    cs_ca_backoff_gc(&e, &defaults, 0); /* no entry: nothing happens */
    assert_false(e.active);
}

/* ---------------------------------------------------------------------- */
/* Balancing                                                              */
/* ---------------------------------------------------------------------- */

static void test_balance_all_full(void **state)
{
    const int32_t cur[3] = {3, 5, 7}, max[3] = {3, 5, 2};
    int32_t out[3];

    (void)state;
    assert_int_equal(cs_ca_balance(cur, max, 3, 4, out), 0);
    assert_int_equal(out[0], 3);
    assert_int_equal(out[1], 5);
    assert_int_equal(out[2], 7); /* above max: left alone */
    assert_int_equal(cs_ca_balance(cur, max, 0, 4, out), 0);
}

static void test_balance_water_filling(void **state)
{
    const int32_t cur[4] = {1, 3, 5, 5}, max[4] = {10, 10, 10, 10};
    int32_t out[4];

    (void)state;
    assert_int_equal(cs_ca_balance(cur, max, 4, 0, out), 0);
    assert_int_equal(cs_ca_balance(cur, max, 4, -3, out), 0);
    assert_int_equal(out[0], 1);
    /* Ties go to the group that started smaller: ng1 gets the 5th node. */
    assert_int_equal(cs_ca_balance(cur, max, 4, 5, out), 5);
    assert_int_equal(out[0], 5);
    assert_int_equal(out[1], 4);
    assert_int_equal(out[2], 5);
    assert_int_equal(out[3], 5);
    assert_int_equal(cs_ca_balance(cur, max, 4, 100, out), 26);
    for (int i = 0; i < 4; i++)
        assert_int_equal(out[i], 10);
}

/* ---------------------------------------------------------------------- */
/* Similarity                                                             */
/* ---------------------------------------------------------------------- */

static const struct cs_ca_similarity_cfg sim_defaults = {
    0.015, 0.05, 0.05, NULL, 0, NULL, 0};

static struct cs_ca_template tmpl(int64_t cpu, int64_t mem)
{
    struct cs_ca_template t;

    memset(&t, 0, sizeof(t));
    t.capacity.v[CS_RES_CPU] = cpu;
    t.capacity.v[CS_RES_MEMORY] = mem;
    t.allocatable = t.capacity;
    t.free = t.capacity;
    t.present = 3;
    t.max_pods = 110;
    return t;
}

static void test_similar_resources(void **state)
{
    struct cs_ca_template a = tmpl(4000, 16000 * MI), b = a;

    (void)state;
    assert_true(cs_ca_similar(&a, &b, 2, &sim_defaults));
    b.capacity.v[CS_RES_MEMORY] = 16000 * MI * 985 / 1000; /* exactly 1.5% */
    assert_true(cs_ca_similar(&a, &b, 2, &sim_defaults));
    b.capacity.v[CS_RES_MEMORY] -= 1;
    assert_false(cs_ca_similar(&a, &b, 2, &sim_defaults));
    b = a;
    b.max_pods = 100; /* pods capacity must be equal */
    assert_false(cs_ca_similar(&a, &b, 2, &sim_defaults));
    b = a;
    b.free.v[CS_RES_CPU] = 3000; /* free differs by 25% */
    assert_false(cs_ca_similar(&a, &b, 2, &sim_defaults));
    b = a;
    b.present = 1; /* memory missing from one */
    assert_false(cs_ca_similar(&a, &b, 2, &sim_defaults));
}

static void test_similar_labels(void **state)
{
    const char *ka[] = {"kubernetes.io/hostname", "topology.kubernetes.io/zone",
                        "failure-domain.beta.kubernetes.io/region", "pool",
                        "example.com/ready"};
    const char *va[] = {"n1", "a", "r1", "web", "true"};
    const char *kb[] = {"pool", "kubernetes.io/hostname",
                        "failure-domain.beta.kubernetes.io/zone",
                        "topology.kubernetes.io/region"};
    const char *vb[] = {"web", "n2", "b", "r2"};
    const char *ignore[] = {"example.com/ready"};
    const char *only[] = {"pool"};
    struct cs_ca_template a = tmpl(4000, 16000 * MI), b = a;
    struct cs_ca_similarity_cfg cfg = sim_defaults;

    (void)state;
    a.label_keys = ka;
    a.label_values = va;
    a.nlabels = 5;
    b.label_keys = kb;
    b.label_values = vb;
    b.nlabels = 4;
    /* example.com/ready is on a only. */
    assert_false(cs_ca_similar(&a, &b, 2, &cfg));
    assert_false(cs_ca_similar(&b, &a, 2, &cfg));
    cfg.ignore_labels = ignore;
    cfg.nignore = 1;
    assert_true(cs_ca_similar(&a, &b, 2, &cfg)); /* hostname, zone, region */
    vb[0] = "api";
    assert_false(cs_ca_similar(&a, &b, 2, &cfg));
    /* --balancing-label: only those labels, resources not compared. */
    cfg.only_labels = only;
    cfg.nonly = 1;
    assert_false(cs_ca_similar(&a, &b, 2, &cfg));
    vb[0] = "web";
    b.capacity.v[CS_RES_CPU] = 64000;
    assert_true(cs_ca_similar(&a, &b, 2, &cfg));
    b.nlabels = 0;
    assert_false(cs_ca_similar(&a, &b, 2, &cfg));
}

/* ---------------------------------------------------------------------- */
/* Utilization and eligibility                                            */
/* ---------------------------------------------------------------------- */

static struct cs_ca_util_pod upod(int64_t cpu, int64_t mem)
{
    struct cs_ca_util_pod p;

    memset(&p, 0, sizeof(p));
    p.req.v[CS_RES_CPU] = cpu;
    p.req.v[CS_RES_MEMORY] = mem;
    return p;
}

static void test_utilization(void **state)
{
    struct cs_resvec alloc = {{2000, 2000000000}};
    struct cs_ca_util_pod p[4] = {upod(100, 200000000), upod(300, 0),
                                  upod(100, 200000000), upod(500, 0)};
    struct cs_ca_util u;

    (void)state;
    p[2].daemonset = 1;
    p[3].long_terminating = 1;
    assert_int_equal(cs_ca_utilization(&alloc, -1, 0, p, 4, 0, 0, &u), 0);
    assert_true(u.cpu == 0.25 && u.mem == 0.2 && u.value == 0.25);
    assert_false(u.gpu_node);
    /* Skipped DaemonSet pods leave the allocatable too. */
    assert_int_equal(cs_ca_utilization(&alloc, -1, 0, p, 4, 1, 0, &u), 0);
    assert_true(u.cpu == 400.0 / 1900.0);
    assert_true(u.mem == 200000000.0 / 1800000000.0);
    /* A node with nothing left after skipped pods: 0 or +inf. */
    alloc.v[CS_RES_CPU] = 100;
    assert_int_equal(cs_ca_utilization(&alloc, -1, 0, p + 2, 1, 1, 0, &u), 0);
    assert_true(u.cpu == 0.0);
    p[2].mirror = 1;
    p[2].daemonset = 0;
    assert_int_equal(cs_ca_utilization(&alloc, -1, 0, p, 3, 0, 1, &u), 0);
    assert_true(isinf(u.cpu) && isinf(u.value));
    alloc.v[CS_RES_MEMORY] = 0;
    assert_int_equal(cs_ca_utilization(&alloc, -1, 0, p, 1, 0, 0, &u), -1);
}

static void test_gpu_utilization(void **state)
{
    struct cs_resvec alloc = {{2000, 2000, 2000}};
    struct cs_ca_util_pod p[2] = {upod(1900, 1900), upod(0, 0)};
    struct cs_ca_util u;

    (void)state;
    p[1].req.v[2] = 500;
    assert_int_equal(cs_ca_utilization(&alloc, 2, 1, p, 2, 0, 0, &u), 0);
    assert_true(u.gpu_node && u.gpu == 0.25 && u.value == 0.25);
    assert_true(u.cpu == 0.0); /* CPU and memory are not looked at */
    alloc.v[2] = 0;            /* unready GPU */
    alloc.v[CS_RES_CPU] = 0;   /* even without CPU: no error */
    assert_int_equal(cs_ca_utilization(&alloc, 2, 1, p, 2, 0, 0, &u), 0);
    assert_true(u.value == 0.0 && u.gpu_node);
    assert_int_equal(cs_ca_utilization(&alloc, -1, 1, p, 2, 0, 0, &u), 0);
    assert_true(u.value == 0.0);
}

static void test_eligibility_order(void **state)
{
    struct cs_ca_eligibility_in in;

    (void)state;
    memset(&in, 0, sizeof(in));
    in.ready = 1;
    in.unready_enabled = 1;
    in.threshold = 0.5;
    in.util = 0.5; /* at the threshold: a candidate */
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_REMOVABLE);
    in.util = nextafter(0.5, 1.0);
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_NOT_UNDERUTILIZED);
    in.util = NAN; /* as upstream: NaN > threshold is false */
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_REMOVABLE);
    in.ready = 0;
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_REMOVABLE);
    in.unready_enabled = 0;
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_UNREADY_DISABLED);
    in.util_error = 1;
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_UNEXPECTED_ERROR);
    in.disabled_annotation = 1;
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_DISABLED_ANNOTATION);
    in.being_deleted = 1;
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_BEING_DELETED);
    in.recently_unremovable = 1;
    assert_int_equal(cs_ca_eligibility(&in), CS_CA_RECENTLY_UNREMOVABLE);
}

static void test_unremovable_names(void **state)
{
    static const char *const n[CS_CA_NREASONS] = {"NoReason",
                                                  "NotUnderutilized",
                                                  "UnexpectedError",
                                                  "ScaleDownUnreadyDisabled",
                                                  "CurrentlyBeingDeleted",
                                                  "ScaleDownDisabledAnnotation",
                                                  "RecentlyUnremovable",
                                                  "NoPlaceToMovePods",
                                                  "BlockedByPod",
                                                  "NotEnoughPdb",
                                                  "NodeGroupMinSizeReached"};

    (void)state;
    for (int i = 0; i < CS_CA_NREASONS; i++)
        assert_string_equal(cs_ca_unremovable_name(i), n[i]);
    assert_string_equal(cs_ca_unremovable_name(-1), "unknown");
    assert_string_equal(cs_ca_unremovable_name(CS_CA_NREASONS), "unknown");
}

/* ---------------------------------------------------------------------- */
/* Conformance shapes                                                     */
/* ---------------------------------------------------------------------- */

struct run {
    char out[4096];
    struct cs_conformance_totals tot;
    struct cs_err err;
    int rc;
};

static void run_csv(const char *text, struct run *r)
{
    char path[64] = "/tmp/capsim_ca_XXXXXX";
    FILE *out = tmpfile();
    int fd = mkstemp(path);
    size_t n;

    memset(r, 0, sizeof(*r));
    assert_true(fd >= 0);
    assert_non_null(out);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    cs_err_clear(&r->err);
    r->rc = cs_conformance_run_file(path, out, &r->tot, &r->err);
    rewind(out);
    n = fread(r->out, 1, sizeof(r->out) - 1, out);
    r->out[n] = '\0';
    fclose(out);
    unlink(path);
}

static void test_conformance_pass_and_fail_lines(void **state)
{
    struct run r;

    (void)state;
    run_csv("case_name,groups,new_nodes,expected_sizes\n"
            "ok,ng1 1 10 1,1,ng1=2\n"
            "wrong,ng1 1 10 1; ng2 1 10 1,2,ng1=3\n"
            "alt,ng1 1 10 1,1,ng1=3|2\n",
            &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.passed, 2);
    assert_int_equal(r.tot.failed, 1);
    assert_string_equal(r.out, "PASS ok: expected ng1=2, got ng1=2\n"
                               "FAIL wrong: expected ng1=3, got ng1=2 "
                               "ng2=2\n"
                               "PASS alt: expected ng1=3|2, got ng1=2\n");
    run_csv("case_name,expander,options,expected_kept,expected_scores\n"
            "w,least-waste,a nodes=1 cap_cpu=1 cap_mem=1,a,a=1.9999994\n"
            "x,least-waste,a nodes=1 cap_cpu=1 cap_mem=1,,\n",
            &r);
    assert_string_equal(r.out, "FAIL w: expected kept a; a 1.9999994, got "
                               "kept a; a 2.000000\n"
                               "FAIL x: expected a check, got nothing to "
                               "check\n");
}

/* Rows whose text is wrong: header, rows (the last is the bad one) and
 * the error message. */
static const char *const error_cases[][3] = {
    {"case_name,expander,options,expected_kept\n", "x,grpc,,none\n",
     "expander: unknown expander 'grpc'"},
    {"case_name,expander,options,expected_kept\n",
     "x,random,,none\n"
     "x,least-waste,a size=1,none\n",
     "options: unknown key 'size'"},
    {"case_name,expander,options,expected_kept\n", "x,price,a nodes,a\n",
     "options: 'nodes' is not key=value"},
    {"case_name,expander,options,expected_kept\n", "x,price,a cap_cpu=lots,a\n",
     "options: 'lots' is not a quantity"},
    {"case_name,expander,options,expected_kept\n",
     "x,price,a node_price=x1,a\n", "options: 'x1' is not a number"},
    {"case_name,expander,options,expected_kept\n", "x,random,a nodes=one,a\n",
     "options: 'one' is not an integer"},
    {"case_name,expander,options,expected_kept\n",
     "x,\"random,random,random,random,random,random,random\",,none\n",
     "expander: more than 6 expanders"},
    {"case_name,expander,options,expected_kept,expected_scores\n",
     "x,most-pods,a pods=1,a,a=1\n",
     "expected_scores: the chain has no least-waste or price expander"},
    {"case_name,expander,options,expected_kept,expected_scores\n",
     "x,price,a pods=1,a,b=1\n",
     "expected_scores: 'b' is not ID=score of an option"},
    {"case_name,initial,max,reset,backoff_steps\n", "x,1m,3m,3h,fail ng1 0\n",
     "backoff_steps: no check step (backed-off, free or entries)"},
    {"case_name,initial,max,reset,backoff_steps\n",
     "x,1m,3m,3h,fail ng1; free ng1 0\n", "backoff_steps: bad step 'fail ng1'"},
    {"case_name,initial,max,reset,backoff_steps\n", "x,1m,3m,3h,wait ng1 0\n",
     "backoff_steps: unknown step 'wait'"},
    {"case_name,initial,max,reset,backoff_steps\n",
     "x,1m,3m,3h,free ng1 soon\n", "backoff_steps: 'soon' is not a duration"},
    {"case_name,initial,max,reset,backoff_steps\n", "x,1m,-3m,3h,free ng1 0\n",
     "max: '-3m' is not a duration"},
    {"case_name,groups,new_nodes,expected_sizes\n", "x,ng1 1 10,1,none\n",
     "groups: 'ng1 1 10' is not NAME MIN MAX CURRENT"},
    {"case_name,groups,new_nodes,expected_sizes\n", "x,ng1 1 10 1,1,ng1\n",
     "expected_sizes: 'ng1' is not NAME=SIZE"},
    {"case_name,groups,new_nodes,expected_sizes\n",
     "x,ng1 1 10 1,1,ng1+ng9=2\n", "expected_sizes: no group 'ng9'"},
    {"case_name,node1,node2,expected_similar\n",
     "x,cpu=1 mem=1,cpu=1 mem=1,maybe\n",
     "expected_similar: 'maybe' is not yes or no"},
    {"case_name,node1,node2,expected_similar\n",
     "x,cpu=1 label:zone,cpu=1,no\n", "node1: bad label 'label:zone'"},
    {"case_name,node1,node2,expected_similar\n", "x,cpu=1,cpu=1 disk=1,no\n",
     "node2: unknown key 'disk'"},
    {"case_name,allocatable,pods,expected_node_utilization\n",
     "x,cpu=1 mem=1,job 1/1,0\n", "pods: 'job 1/1' is not KIND CPU/MEM[/GPU]"},
    {"case_name,allocatable,pods,expected_node_utilization\n",
     "x,cpu=1 mem=1,pod 1,0\n", "pods: '1' is not CPU/MEM[/GPU]"},
    {"case_name,allocatable,pods,skip_ds,expected_node_utilization\n",
     "x,cpu=1 mem=1,,yes,0\n", "skip_ds: 'yes' is not 0 or 1"},
    {"case_name,allocatable,pods,threshold,expected_reason\n",
     "x,cpu=1 mem=1,,half,unneeded\n", "threshold: 'half' is not a number"},
    {"case_name,template,existing,pod_groups,expected_nodes\n",
     "x,cpu=1,,10 350m/1,1\n", "pod_groups: '10' is not COUNTxCPU/MEM"},
    {"case_name,template,existing,pod_groups,expected_nodes\n",
     "x,cpu=1,,1x1/1 spread=rack,1\n", "pod_groups: unknown spread 'rack'"},
    {"case_name,template,existing,pod_groups,fastpath,expected_nodes\n",
     "x,cpu=1,,1x1/1,yes,1\n", "fastpath: 'yes' is not 0, 1 or both"},
    {"case_name,template,existing,pod_groups,expected_nodes\n",
     "x,cpu=1 zone,,1x1/1,1\n", "template: 'zone' is not key=value"},
};

/* The error pins the file's line and the message. */
static void test_conformance_errors(void **state)
{

    (void)state;
    for (size_t i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
        char text[512];
        struct run r;

        snprintf(text, sizeof(text), "%s%s", error_cases[i][0],
                 error_cases[i][1]);
        run_csv(text, &r);
        assert_int_equal(r.rc, CS_EPARSE);
        assert_string_equal(r.err.msg, error_cases[i][2]);
        /* The bad row is the last one: line 2, or 3 after a good row. */
        assert_int_equal(r.err.line, strchr(error_cases[i][1], '\n') ==
                                             strrchr(error_cases[i][1], '\n')
                                         ? 2
                                         : 3);
    }
}

/* More entries than a list column holds. */
static void test_conformance_list_limits(void **state)
{
    static char text[8192];
    const char *heads[4][2] = {
        {"case_name,expander,options,expected_kept\nx,random,", ",none\n"},
        {"case_name,allocatable,pods,expected_node_utilization\nx,cpu=1 "
         "mem=1,",
         ",0\n"},
        {"case_name,groups,new_nodes,expected_sizes\nx,", ",1,none\n"},
        {"case_name,initial,max,reset,backoff_steps\nx,1m,1m,1m,", "\n"}};
    const char *items[4] = {"o nodes=1", "pod 1/1", "g 1 2 1", "free k 0"};
    const char *msgs[4] = {
        "options: more than 64 options", "pods: more than 64 pods",
        "groups: more than 64 groups", "backoff_steps: more than 64 steps"};

    (void)state;
    for (int k = 0; k < 4; k++) {
        size_t len = (size_t)snprintf(text, sizeof(text), "%s", heads[k][0]);
        struct run r;

        for (int i = 0; i < 65; i++)
            len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
                                    i ? "; " : "", items[k]);
        snprintf(text + len, sizeof(text) - len, "%s", heads[k][1]);
        run_csv(text, &r);
        assert_int_equal(r.rc, CS_EPARSE);
        assert_string_equal(r.err.msg, msgs[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expander_names),
        cmocka_unit_test(test_waste_score),
        cmocka_unit_test(test_preferred_cpu_table),
        cmocka_unit_test(test_price_score),
        cmocka_unit_test(test_filters_keep_ties_in_order),
        cmocka_unit_test(test_least_nodes_ignores_empty_options),
        cmocka_unit_test(test_random_is_a_function_of_u),
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_chain_stops_at_one_option),
        cmocka_unit_test(test_chain_final_random_pick),
        cmocka_unit_test(test_chain_priority_then_least_waste),
        cmocka_unit_test(test_backoff_first_failure_and_boundary),
        cmocka_unit_test(test_backoff_doubles_to_the_cap),
        cmocka_unit_test(test_backoff_concurrent_failures_do_not_compound),
        cmocka_unit_test(test_backoff_gc_and_remove),
        cmocka_unit_test(test_balance_all_full),
        cmocka_unit_test(test_balance_water_filling),
        cmocka_unit_test(test_similar_resources),
        cmocka_unit_test(test_similar_labels),
        cmocka_unit_test(test_utilization),
        cmocka_unit_test(test_gpu_utilization),
        cmocka_unit_test(test_eligibility_order),
        cmocka_unit_test(test_unremovable_names),
        cmocka_unit_test(test_conformance_pass_and_fail_lines),
        cmocka_unit_test(test_conformance_errors),
        cmocka_unit_test(test_conformance_list_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
