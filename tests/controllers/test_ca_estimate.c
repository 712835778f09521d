/*
 * test_ca_estimate.c - the binpacking estimator (src/controllers/
 * ca_estimate.c, CLUSTER_AUTOSCALER_SPEC.md §2.4): the A9 vectors of
 * CA_VPA_TEST_VECTORS.md with and without the fast path, the limiter,
 * the order of pod groups, host ports, topology spread and a large group.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "controllers/ca_algo.h"

#define MI ((int64_t)1048576 * 1000) /* 1 MiB in milli-bytes */
#define MARS 2
#define JUPITER 1

/* A9's template: cpu (m) x mem (MiB), 10 pod slots, zone-mars; and the
 * snapshot's other node, oldnode: 100m, 100 MiB, 10 slots, zone-jupiter. */
struct setup {
    struct cs_ca_est_input in;
    struct cs_ca_est_domain old;
    struct cs_ca_pod_group g[4];
    int32_t placed[4];
    struct cs_ca_est_result res;
};

static void setup(struct setup *s, int64_t cpu, int64_t mem_mib,
                  int32_t max_nodes)
{
    memset(s, 0, sizeof(*s));
    s->in.alloc.v[0] = cpu;
    s->in.alloc.v[1] = mem_mib * MI;
    s->in.max_pods = 10;
    s->in.template_zone = MARS;
    s->in.nres = 2;
    s->in.max_nodes = max_nodes;
    s->old.zone = JUPITER;
    s->old.free.v[0] = 100;
    s->old.free.v[1] = 100 * MI;
    s->old.free_pods = 10;
    s->in.existing = &s->old;
    s->in.nexisting = 1;
    s->res.placed = s->placed;
}

/* count pods of cpu (m) / mem (bytes) */
static struct cs_ca_pod_group *group(struct setup *s, int i, int32_t count,
                                     int64_t cpu, int64_t mem)
{
    struct cs_ca_pod_group *g = &s->g[i];

    memset(g, 0, sizeof(*g));
    g->count = count;
    g->req.v[0] = cpu;
    g->req.v[1] = mem * 1000;
    g->fits_template = 1;
    return g;
}

static void spread(struct cs_ca_pod_group *g, int kind, int32_t skew,
                   int32_t min_domains)
{
    g->spread = kind;
    g->max_skew = skew;
    g->min_domains = min_domains;
}

/* Estimate with the fast path off and on: both must give nodes / pods. */
static void expect(struct setup *s, int ng, int32_t nodes, int32_t pods)
{
    for (int fast = 0; fast < 2; fast++) {
        s->in.fastpath = fast;
        assert_int_equal(cs_ca_estimate(&s->in, s->g, ng, &s->res), 0);
        assert_int_equal(s->res.nodes, nodes);
        assert_int_equal(s->res.pods, pods);
    }
}

/* ---------------------------------------------------------------------- */
/* A9                                                                     */
/* ---------------------------------------------------------------------- */

static void test_a9_resources_slots_ports(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 350 * 3 - 50, 2000, 0);
    group(&s, 0, 10, 350, 1000);
    expect(&s, 1, 5, 10);
    setup(&s, 10000, 20000, 0);
    group(&s, 0, 20, 10, 100);
    expect(&s, 1, 2, 20);
    setup(&s, 1000, 5000, 0);
    group(&s, 0, 8, 200, 1000)->host_port = 5555;
    expect(&s, 1, 8, 8);
    assert_int_equal(s.res.existing, 0);
}

static void test_a9_limiter_and_order(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 1000, 5000, 5);
    group(&s, 0, 20, 500, 1000);
    expect(&s, 1, 5, 10);
    setup(&s, 1000, 5000, 5);
    group(&s, 0, 10, 50, 1000);
    group(&s, 1, 10, 500, 1000);
    expect(&s, 2, 5, 10);
    assert_int_equal(s.placed[0], 0); /* all placed pods are the 500m ones */
    assert_int_equal(s.placed[1], 10);
}

static void test_a9_topology_spread(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 1000, 5000, 0);
    spread(group(&s, 0, 8, 200, 200), CS_SPREAD_HOSTNAME, 2, 1);
    expect(&s, 1, 4, 8);
    assert_int_equal(s.res.existing, 0);
    setup(&s, 1000, 5000, 0);
    spread(group(&s, 0, 8, 20, 100), CS_SPREAD_ZONE, 2, 1);
    expect(&s, 1, 1, 2);
    /* The hostname exception fills oldnode too; upstream counts it. */
    setup(&s, 1000, 5000, 0);
    spread(group(&s, 0, 12, 20, 100), CS_SPREAD_HOSTNAME, 1, 3);
    expect(&s, 1, 3, 12);
    assert_int_equal(s.res.existing, 1);
    assert_int_equal(s.placed[0], 12);
    /* Without room on oldnode every new node holds one pod. */
    s.old.free_pods = 0;
    expect(&s, 1, 12, 12);
    assert_int_equal(s.res.existing, 0);
}

/* ---------------------------------------------------------------------- */
/* Limiter, groups, ports                                                 */
/* ---------------------------------------------------------------------- */

static void test_limiter_zero_and_negative(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 1000, 5000, 0); /* 0: no limit */
    group(&s, 0, 40, 500, 1000);
    expect(&s, 1, 20, 40);
    setup(&s, 1000, 5000, -1); /* negative: no node at all */
    group(&s, 0, 40, 500, 1000);
    expect(&s, 1, 0, 0);
    assert_int_equal(s.placed[0], 0);
    setup(&s, 1000, 5000, 1);
    group(&s, 0, 40, 500, 1000);
    expect(&s, 1, 1, 2);
}

static void test_refused_limiter_still_fills_added_nodes(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 1000, 5000, 1);
    group(&s, 0, 2, 600, 1);
    group(&s, 1, 3, 100, 1);
    expect(&s, 2, 1, 4);
    assert_int_equal(s.placed[0], 1);
    assert_int_equal(s.placed[1], 3);
}

static void test_empty_last_node_is_used_by_the_next_group(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 1000, 5000, 0);
    group(&s, 0, 3, 2000, 1); /* larger than the template */
    group(&s, 1, 3, 100, 1);
    expect(&s, 2, 1, 3);
    assert_int_equal(s.placed[0], 0);
    assert_int_equal(s.placed[1], 3);
}

static void test_no_groups_and_skipped_groups(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 1000, 5000, 0);
    expect(&s, 0, 0, 0);
    group(&s, 0, 5, 100, 1)->fits_template = 0;
    group(&s, 1, 0, 100, 1);
    s.placed[0] = s.placed[1] = 99;
    expect(&s, 2, 0, 0);
    assert_int_equal(s.placed[0], 0);
    assert_int_equal(s.placed[1], 0);
    s.res.placed = NULL; /* placed is optional */
    group(&s, 1, 4, 500, 1);
    expect(&s, 2, 2, 4);
}

static void test_equal_scores_keep_input_order(void **state)
{
    struct setup s;

    (void)state;
    /* Same size, so upstream's order score ties: the first group packs
     * first and takes the room of the only node allowed. */
    setup(&s, 1000, 5000, 1);
    group(&s, 0, 2, 400, 1);
    group(&s, 1, 2, 400, 1);
    expect(&s, 2, 1, 2);
    assert_int_equal(s.placed[0], 2);
    assert_int_equal(s.placed[1], 0);
}

static void test_host_ports_across_groups(void **state)
{
    struct setup s;

    (void)state;
    setup(&s, 1000, 5000, 0);
    group(&s, 0, 2, 200, 1)->host_port = 80;
    group(&s, 1, 2, 100, 1)->host_port = 80;
    expect(&s, 2, 4, 4);
    group(&s, 1, 2, 100, 1)->host_port = 443;
    expect(&s, 2, 2, 4);
}

static void test_zone_spread_with_pods_elsewhere(void **state)
{
    const int32_t matching[1] = {2};
    struct setup s;

    (void)state;
    /* zone-jupiter already holds 2: zone-mars may catch up to 3. */
    setup(&s, 1000, 5000, 0);
    s.old.matching = matching;
    spread(group(&s, 0, 8, 20, 100), CS_SPREAD_ZONE, 1, 0);
    expect(&s, 1, 1, 3);
    /* Fewer zones than minDomains: the global minimum is 0. */
    spread(&s.g[0], CS_SPREAD_ZONE, 1, 3);
    expect(&s, 1, 1, 1);
}

static void test_hostname_spread_alone(void **state)
{
    struct setup s;

    (void)state;
    /* No other node: the only domains are the new nodes, so the first
     * node takes pods until its resources run out (1000m / 200m). */
    setup(&s, 1000, 5000, 0);
    s.in.nexisting = 0;
    spread(group(&s, 0, 7, 200, 1), CS_SPREAD_HOSTNAME, 1, 0);
    expect(&s, 1, 2, 7);
}

/* ---------------------------------------------------------------------- */
/* Fast path and size                                                     */
/* ---------------------------------------------------------------------- */

static void test_fast_path_after_an_empty_node(void **state)
{
    struct setup s;

    (void)state;
    /* The zonal group leaves an empty node behind (its second pod fits
     * no node of zone-mars); the later groups fill it before the fast path
     * counts 10 pods per node, within the 4 nodes the limiter grants. */
    setup(&s, 1000, 5000, 4);
    spread(group(&s, 0, 2, 600, 1), CS_SPREAD_ZONE, 1, 2);
    group(&s, 1, 1, 300, 1);
    group(&s, 2, 30, 100, 1);
    s.in.fastpath = 1;
    assert_int_equal(cs_ca_estimate(&s.in, s.g, 3, &s.res), 0);
    assert_int_equal(s.res.nodes, 4);
    assert_int_equal(s.res.pods, 32);
    assert_int_equal(s.placed[0], 1);
    assert_int_equal(s.placed[1], 1);
    assert_int_equal(s.placed[2], 30);
}

static void test_large_group(void **state)
{
    struct setup s;

    (void)state;
    /* 30 pods of 100m per 3-core node; called every loop by the
     * simulator, so it must stay O(pods + nodes). */
    setup(&s, 3000, 1000000, 0);
    s.in.max_pods = 110;
    group(&s, 0, 30000, 100, 100);
    expect(&s, 1, 1000, 30000);
    assert_int_equal(s.placed[0], 30000);
    setup(&s, 3000, 1000000, 1000);
    s.in.max_pods = 110;
    group(&s, 0, 30001, 100, 100);
    expect(&s, 1, 1000, 30000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a9_resources_slots_ports),
        cmocka_unit_test(test_a9_limiter_and_order),
        cmocka_unit_test(test_a9_topology_spread),
        cmocka_unit_test(test_limiter_zero_and_negative),
        cmocka_unit_test(test_refused_limiter_still_fills_added_nodes),
        cmocka_unit_test(test_empty_last_node_is_used_by_the_next_group),
        cmocka_unit_test(test_no_groups_and_skipped_groups),
        cmocka_unit_test(test_equal_scores_keep_input_order),
        cmocka_unit_test(test_host_ports_across_groups),
        cmocka_unit_test(test_zone_spread_with_pods_elsewhere),
        cmocka_unit_test(test_hostname_spread_alone),
        cmocka_unit_test(test_fast_path_after_an_empty_node),
        cmocka_unit_test(test_large_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
