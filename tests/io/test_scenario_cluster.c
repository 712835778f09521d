/*
 * test_scenario_cluster.c - what the scenario loader reads for the cluster
 * autoscaler from the scenario itself (io/scenario_cluster.c, io/scenario.c;
 * docs/cluster-autoscaler.md, docs/scenario-format.md): node pools as fixed
 * pools or node groups, zone, capacity type, GPU, provisioning and boot
 * delays, per node group overrides, spot interruption rates from the Spot
 * Advisor bands, stockouts and reclaims; the clusterAutoscaler block
 * (flags, args, priorities) and its defaults. The Kubernetes objects are in
 * test_manifest_policy.c. Every error is pinned with its location.
 */
#include "cluster_fixture.h"

/* ---- node pools ------------------------------------------------------- */

static void test_fixed_pool_defaults(void **state)
{
    struct cs_scenario *sc =
        load("    - {name: a, nodes: 3, capacity: {cpu: 4, memory: 16Gi}}\n",
             "", "");
    const struct cs_pool *p = &sc->pools[0];

    (void)state;
    assert_int_equal(p->autoscaled, 0);
    assert_int_equal(p->nodes, 3);
    assert_int_equal(p->min_size, 3);
    assert_int_equal(p->max_size, 3);
    assert_string_equal(p->zone, "");
    assert_int_equal(p->nlabels, 0);
    assert_int_equal(p->capacity_type, CS_CAP_ON_DEMAND);
    assert_int_equal(p->gpu_res, -1);
    assert_int_equal(p->provision.kind, CS_DIST_LOGNORMAL);
    assert_true(p->provision.a == 40 && p->provision.b == 80);
    assert_int_equal(p->boot.kind, CS_DIST_CONST);
    assert_true(p->boot.a == 20);
    assert_int_equal(p->ng.unneeded_time, -1);
    assert_int_equal(p->ng.unready_time, -1);
    assert_int_equal(p->ng.provision_time, -1);
    assert_int_equal(p->ng.startup_time, -1);
    assert_true(p->ng.util_threshold == -1);
    assert_true(p->ng.gpu_util_threshold == -1);
    assert_int_equal(p->ng.ignore_ds_utilization, -1);
    assert_true(p->interruptions_per_hour == 0);
    assert_int_equal(p->notice, 120 * SEC);
    assert_int_equal(p->nstockouts, 0);
    assert_int_equal(sc->nreclaims, 0);
    /* no block: disabled, with every default filled */
    assert_int_equal(sc->ca.enabled, 0);
    assert_int_equal(sc->ca.scan_interval, 10 * SEC);
    assert_int_equal(sc->ca.nexpander, 1);
    assert_int_equal(sc->ca.expander[0], CS_EXP_LEAST_WASTE);
    assert_int_equal(sc->ca.unneeded_time, 10 * MIN);
    assert_int_equal(sc->ca.max_node_provision_time, 15 * MIN);
    assert_true(sc->ca.utilization_threshold == 0.5);
    assert_int_equal(sc->npdbs + sc->nquotas + sc->ndaemonsets, 0);
    cs_scenario_destroy(sc);
}

static void test_node_groups(void **state)
{
    struct cs_scenario *sc =
        load("    - {name: a, minSize: 2, maxSize: 10, capacity: {cpu: 4, "
             "memory: 16Gi}}\n"
             "    - {name: b, minSize: 0, maxSize: 5, nodes: 3, capacity: "
             "{cpu: 4, memory: 16Gi}}\n",
             "", "");

    (void)state;
    assert_int_equal(sc->pools[0].autoscaled, 1);
    assert_int_equal(sc->pools[0].nodes, 2);
    assert_int_equal(sc->pools[0].min_size, 2);
    assert_int_equal(sc->pools[0].max_size, 10);
    assert_int_equal(sc->pools[1].autoscaled, 1);
    assert_int_equal(sc->pools[1].nodes, 3);
    assert_int_equal(sc->pools[1].min_size, 0);
    assert_int_equal(sc->pools[1].max_size, 5);
    cs_scenario_destroy(sc);
    fails("    - {name: a, minSize: 4, maxSize: 2, capacity: {cpu: 4, memory: "
          "16Gi}}\n",
          "", "",
          "inline.yaml:4:38: cluster.nodePools[0].maxSize must be >= minSize "
          "(got 2 < 4)");
    fails("    - {name: a, minSize: 1, maxSize: 2, nodes: 3, capacity: {cpu: "
          "4, memory: 16Gi}}\n",
          "", "",
          "inline.yaml:4:48: cluster.nodePools[0].nodes must lie between "
          "minSize and maxSize (got 3, not in [1, 2])");
    fails("    - {name: a, maxSize: 2, capacity: {cpu: 4, memory: 16Gi}}\n", "",
          "",
          "inline.yaml:4:26: cluster.nodePools[0].maxSize: an autoscaled node "
          "group needs both minSize and maxSize");
}

static void test_zone_and_kind(void **state)
{
    struct cs_scenario *sc =
        load("    - name: a\n"
             "      nodes: 1\n"
             "      zone: eu-west-1a\n"
             "      capacityType: spot\n"
             "      labels: {pool: a}\n"
             "      capacity: {cpu: 4, memory: 16Gi}\n"
             "    - name: b\n"
             "      nodes: 1\n"
             "      labels: {topology.kubernetes.io/zone: eu-west-1b}\n"
             "      capacityType: on-demand\n"
             "      capacity: {cpu: 4, memory: 16Gi}\n",
             "", "");
    const struct cs_pool *a = &sc->pools[0], *b = &sc->pools[1];

    (void)state;
    assert_string_equal(a->zone, "eu-west-1a");
    assert_int_equal(a->nlabels, 2);
    assert_string_equal(a->labels[1].key, "topology.kubernetes.io/zone");
    assert_string_equal(a->labels[1].value, "eu-west-1a");
    assert_int_equal(a->capacity_type, CS_CAP_SPOT);
    assert_string_equal(b->zone, "eu-west-1b");
    assert_int_equal(b->nlabels, 1);
    assert_int_equal(b->capacity_type, CS_CAP_ON_DEMAND);
    cs_scenario_destroy(sc);
    fails("    - {name: a, nodes: 1, zone: x, labels: "
          "{topology.kubernetes.io/zone: y}, capacity: {cpu: 4, memory: "
          "16Gi}}\n",
          "", "",
          "inline.yaml:4:33: cluster.nodePools[0].zone is \"x\" but labels "
          "give topology.kubernetes.io/zone \"y\"");
    fails("    - {name: a, nodes: 1, capacityType: preemptible, capacity: "
          "{cpu: 4, memory: 16Gi}}\n",
          "", "",
          "inline.yaml:4:41: cluster.nodePools[0].capacityType must be "
          "on-demand or spot, got \"preemptible\"");
}

static void test_gpu_and_delays(void **state)
{
    struct cs_scenario *sc =
        load("    - name: gpu\n"
             "      nodes: 0\n"
             "      capacity: {cpu: 8, memory: 64Gi, nvidia.com/gpu: 1}\n"
             "    - name: amd\n"
             "      nodes: 0\n"
             "      capacity: {cpu: 8, memory: 64Gi, amd.com/gpu: 2}\n"
             "      boot: 90s\n"
             "    - name: cpu\n"
             "      nodes: 1\n"
             "      capacity: {cpu: 8, memory: 64Gi, nvidia.com/gpu: 1}\n"
             "      allocatable: {cpu: 8, memory: 64Gi, nvidia.com/gpu: 0}\n"
             "      provisioning: {uniform: [30s, 90s]}\n"
             "      autoscaler:\n"
             "        scale-down-unneeded-time: 2m\n"
             "        scale-down-unready-time: 1h\n"
             "        max-node-provision-time: 5m\n"
             "        max-node-startup-time: 7m\n"
             "        scale-down-utilization-threshold: 0.7\n"
             "        scale-down-gpu-utilization-threshold: 0.2\n"
             "        ignore-daemonsets-utilization: true\n",
             "", "");
    const struct cs_pool *g = &sc->pools[0], *a = &sc->pools[1],
                         *c = &sc->pools[2];

    (void)state;
    assert_int_equal(g->gpu_res, cs_resnames_find(&sc->res, "nvidia.com/gpu"));
    assert_int_equal(g->gpu_res, 2);
    assert_int_equal(g->boot.kind, CS_DIST_LOGNORMAL);
    assert_true(g->boot.a == 120 && g->boot.b == 240);
    assert_int_equal(a->gpu_res, 3);
    assert_int_equal(a->boot.kind, CS_DIST_CONST);
    assert_true(a->boot.a == 90);
    /* a GPU in capacity but none allocatable is no GPU node */
    assert_int_equal(c->gpu_res, -1);
    assert_int_equal(c->provision.kind, CS_DIST_UNIFORM);
    assert_true(c->provision.a == 30 && c->provision.b == 90);
    assert_int_equal(c->ng.unneeded_time, 2 * MIN);
    assert_int_equal(c->ng.unready_time, HOUR);
    assert_int_equal(c->ng.provision_time, 5 * MIN);
    assert_int_equal(c->ng.startup_time, 7 * MIN);
    assert_true(c->ng.util_threshold == 0.7);
    assert_true(c->ng.gpu_util_threshold == 0.2);
    assert_int_equal(c->ng.ignore_ds_utilization, 1);
    cs_scenario_destroy(sc);
    fails("    - name: a\n"
          "      nodes: 1\n"
          "      capacity: {cpu: 4, memory: 16Gi}\n"
          "      autoscaler: {scale-down-unneded-time: 2m}\n",
          "", "",
          "inline.yaml:7:20: unknown key \"scale-down-unneded-time\" in "
          "cluster.nodePools[0].autoscaler");
}

static void test_spot(void **state)
{
    static const struct {
        const char *band;
        double f;
    } t[] = {{"<5%", 0.025},
             {"5-10%", 0.075},
             {"10-15%", 0.125},
             {"15-20%", 0.175},
             {">20%", 0.225}};
    char pools[512];

    (void)state;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct cs_scenario *sc;

        snprintf(pools, sizeof(pools),
                 "    - {name: s, nodes: 1, capacityType: spot, capacity: "
                 "{cpu: 4, memory: 16Gi},\n"
                 "       spot: {interruptionFrequency: \"%s\"}}\n",
                 t[i].band);
        sc = load(pools, "", "");
        assert_float_equal(sc->pools[0].interruptions_per_hour,
                           -log(1 - t[i].f) / 730, 1e-15);
        assert_int_equal(sc->pools[0].notice, 120 * SEC);
        cs_scenario_destroy(sc);
    }
    /* <5%: 2.5 % a month is one interruption per node every ~3.3 years */
    snprintf(pools, sizeof(pools),
             "    - {name: s, nodes: 1, capacityType: spot, capacity: "
             "{cpu: 4, memory: 16Gi},\n"
             "       spot: {interruptionRate: 0.01, notice: 30s}}\n");
    {
        struct cs_scenario *sc = load(pools, "", "");

        assert_true(sc->pools[0].interruptions_per_hour == 0.01);
        assert_int_equal(sc->pools[0].notice, 30 * SEC);
        cs_scenario_destroy(sc);
    }
    fails("    - {name: s, nodes: 1, capacity: {cpu: 4, memory: 16Gi},\n"
          "       spot: {interruptionRate: 0.01}}\n",
          "", "",
          "inline.yaml:5:8: cluster.nodePools[0].spot is only allowed with "
          "capacityType: spot");
    fails("    - {name: s, nodes: 1, capacityType: spot, capacity: {cpu: 4, "
          "memory: 16Gi},\n"
          "       spot: {interruptionFrequency: \"30%\"}}\n",
          "", "",
          "inline.yaml:5:38: cluster.nodePools[0].spot.interruptionFrequency "
          "must be one of \"<5%\", \"5-10%\", \"10-15%\", \"15-20%\", "
          "\">20%\" (AWS Spot Advisor), got \"30%\"");
    fails("    - {name: s, nodes: 1, capacityType: spot, capacity: {cpu: 4, "
          "memory: 16Gi},\n"
          "       spot: {interruptionRate: 0.1, interruptionFrequency: "
          "\"<5%\"}}\n",
          "", "",
          "inline.yaml:5:38: cluster.nodePools[0].spot: give either "
          "interruptionRate or interruptionFrequency, not both");
}

static void test_stockouts_and_reclaims(void **state)
{
    struct cs_scenario *sc =
        load("    - name: s\n"
             "      minSize: 0\n"
             "      maxSize: 20\n"
             "      capacityType: spot\n"
             "      capacity: {cpu: 4, memory: 16Gi}\n"
             "      outOfCapacity:\n"
             "        - {from: 30m, to: 45m}\n"
             "        - {from: \"01:00\", to: 1h30m}\n"
             "    - {name: od, nodes: 1, capacity: {cpu: 4, memory: 16Gi}}\n"
             "  reclaims:\n"
             "    - {at: 20m, pool: s, nodes: 2}\n"
             "    - {at: \"01:10\", pool: s, fraction: 0.5}\n",
             "", "clusterAutoscaler: {}\n");
    const struct cs_pool *s = &sc->pools[0];

    (void)state;
    assert_int_equal(s->nstockouts, 2);
    assert_int_equal(s->stockouts[0].from, 30 * MIN);
    assert_int_equal(s->stockouts[0].to, 45 * MIN);
    assert_int_equal(s->stockouts[1].from, HOUR);
    assert_int_equal(s->stockouts[1].to, 90 * MIN);
    assert_int_equal(sc->nreclaims, 2);
    assert_int_equal(sc->reclaims[0].pool, 0);
    assert_int_equal(sc->reclaims[0].at, 20 * MIN);
    assert_int_equal(sc->reclaims[0].nodes, 2);
    assert_int_equal(sc->reclaims[1].at, 70 * MIN);
    assert_int_equal(sc->reclaims[1].nodes, -1);
    assert_true(sc->reclaims[1].fraction == 0.5);
    assert_int_equal(sc->reclaims[1].line, 15);
    assert_int_equal(sc->ca.enabled, 1);
    cs_scenario_destroy(sc);
    fails("    - {name: s, nodes: 1, capacity: {cpu: 4, memory: 16Gi},\n"
          "       outOfCapacity: [{from: 30m, to: 10m}]}\n",
          "", "",
          "inline.yaml:5:40: cluster.nodePools[0].outOfCapacity[0].to must "
          "be after from");
    fails(
        "    - {name: s, nodes: 1, capacity: {cpu: 4, memory: 16Gi},\n"
        "       outOfCapacity: [{from: 30m, to: 40m}, {from: 35m, to: 1h}]}\n",
        "", "",
        "inline.yaml:5:53: cluster.nodePools[0].outOfCapacity[1].from must "
        "not be before the previous window's end (windows in order, not "
        "overlapping)");
    fails("    - {name: s, nodes: 1, capacity: {cpu: 4, memory: 16Gi}}\n"
          "  reclaims: [{at: 1h, pool: s, nodes: 1}]\n",
          "", "",
          "inline.yaml:5:29: cluster.reclaims[0].pool: node pool \"s\" is not "
          "a spot pool (give it capacityType: spot)");
    fails("    - {name: s, nodes: 1, capacityType: spot, capacity: {cpu: 4, "
          "memory: 16Gi}}\n"
          "  reclaims: [{at: 1h, pool: s, fraction: 0}]\n",
          "", "",
          "inline.yaml:5:42: cluster.reclaims[0].fraction must be in (0, 1], "
          "got 0");
    fails("    - {name: s, nodes: 1, capacityType: spot, capacity: {cpu: 4, "
          "memory: 16Gi}}\n"
          "  reclaims: [{at: 1h, pool: s, nodes: 1, fraction: 0.5}]\n",
          "", "",
          "inline.yaml:5:42: cluster.reclaims[0]: give either nodes or "
          "fraction, not both");
    fails("    - {name: s, nodes: 1, capacityType: spot, capacity: {cpu: 4, "
          "memory: 16Gi}}\n"
          "  reclaims: [{at: 1h, pool: s}]\n",
          "", "",
          "inline.yaml:5:14: cluster.reclaims[0]: give nodes or fraction");
}

/* ---- clusterAutoscaler ------------------------------------------------ */

static void test_ca_block(void **state)
{
    struct cs_scenario *sc = load(group, "",
                                  "clusterAutoscaler:\n"
                                  "  scan-interval: 30s\n"
                                  "  expander: priority,least-waste\n"
                                  "  balancing-ignore-label: [a.io/x, b.io/y]\n"
                                  "  cores-total: \"0:100\"\n"
                                  "  scale-down-enabled: false\n"
                                  "  cloud-provider: aws\n"
                                  "  args:\n"
                                  "    - ./cluster-autoscaler\n"
                                  "    - --scale-down-unneeded-time=5m\n"
                                  "    - --balance-similar-node-groups\n"
                                  "    - --balancing-ignore-label=c.io/z\n"
                                  "    - --max-node-provision-time\n"
                                  "    - 7m\n"
                                  "    - -v=4\n"
                                  "    - --\n"
                                  "  priorities:\n"
                                  "    50: [\".*spot.*\", \"^g$\"]\n"
                                  "    10: [\".*\"]\n");
    const struct cs_ca_config *c = &sc->ca;

    (void)state;
    assert_int_equal(c->enabled, 1);
    assert_int_equal(c->scan_interval, 30 * SEC);
    assert_int_equal(c->nexpander, 2);
    assert_int_equal(c->expander[0], CS_EXP_PRIORITY);
    assert_int_equal(c->expander[1], CS_EXP_LEAST_WASTE);
    assert_int_equal(c->nbalancing_ignore_labels, 3);
    assert_string_equal(c->balancing_ignore_labels[0], "a.io/x");
    assert_string_equal(c->balancing_ignore_labels[2], "c.io/z");
    assert_int_equal(c->cores_max, 100);
    assert_int_equal(c->scale_down_enabled, 0);
    assert_int_equal(c->unneeded_time, 5 * MIN);
    assert_int_equal(c->balance_similar, 1);
    assert_int_equal(c->max_node_provision_time, 7 * MIN);
    assert_int_equal(c->npriorities, 2);
    assert_int_equal(c->priorities[0].priority, 50);
    assert_int_equal(c->priorities[0].nregex, 2);
    assert_string_equal(c->priorities[0].regex[1], "^g$");
    assert_int_equal(c->priorities[1].priority, 10);
    /* untouched flags keep the defaults */
    assert_int_equal(c->delay_after_add, 10 * MIN);
    assert_int_equal(c->max_nodes_per_scaleup, 1000);
    cs_scenario_destroy(sc);
}

static void test_ca_errors(void **state)
{
    (void)state;
    fails(group, "", "clusterAutoscaler:\n  scan-intervall: 30s\n",
          "inline.yaml:17:3: clusterAutoscaler: unknown cluster-autoscaler "
          "flag \"--scan-intervall\" (did you mean \"--scan-interval\"?)");
    fails(group, "", "clusterAutoscaler:\n  scale-down-unneeded-time: ten\n",
          "inline.yaml:17:29: clusterAutoscaler: --scale-down-unneeded-time "
          "must be a duration (e.g. 10s, 1m30s), got \"ten\"");
    fails(group, "",
          "clusterAutoscaler:\n  args: [\"--expander=random,price\"]\n",
          "inline.yaml:17:10: clusterAutoscaler.args[0]: --expander: nothing "
          "may follow \"random\" (it always picks one option), got \"price\" "
          "after it");
    fails(group, "", "clusterAutoscaler:\n  args: [--scan-interval]\n",
          "inline.yaml:17:10: clusterAutoscaler.args[0]: --scan-interval "
          "needs a value (--scan-interval=VALUE)");
    fails(group, "", "clusterAutoscaler:\n  priorities: {10: [\"[a-\"]}\n",
          "inline.yaml:17:21: clusterAutoscaler.priorities.10[0]: invalid "
          "regular expression \"[a-\" (Unmatched [, [^, [:, [., or [=)");
    fails(group, "", "clusterAutoscaler:\n  priorities: {high: [\".*\"]}\n",
          "inline.yaml:17:16: clusterAutoscaler.priorities must be an "
          "integer, got \"high\"");
    fails(group, "", "clusterAutoscaler:\n  scan-interval: [10s]\n",
          "inline.yaml:17:18: clusterAutoscaler.scan-interval must be a "
          "scalar");
    fails("    - {name: a, nodes: 1, capacity: {cpu: 4, memory: 16Gi}}\n", "",
          "clusterAutoscaler: {scan-interval: 10s}\n",
          "inline.yaml:16:1: the cluster autoscaler is enabled but no node "
          "pool is autoscaled (give a node pool minSize and maxSize)");
}

/* The shipped scenarios still load (no CA there). */
static void test_shipped(void **state)
{
    static const char *const files[] = {
        "scenarios/feastflow-load-test.yaml", "scenarios/flash-sale.yaml",
        "scenarios/lunch-rush.yaml", "scenarios/nightly-cronjob.yaml"};

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct cs_err err;
        struct cs_scenario *sc;

        cs_err_clear(&err);
        sc = cs_scenario_load(files[i], &err);
        if (sc == NULL)
            fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
        assert_int_equal(sc->ca.enabled, 0);
        for (int p = 0; p < sc->npools; p++)
            assert_int_equal(sc->pools[p].max_size, sc->pools[p].nodes);
        cs_scenario_destroy(sc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_pool_defaults),
        cmocka_unit_test(test_node_groups),
        cmocka_unit_test(test_zone_and_kind),
        cmocka_unit_test(test_gpu_and_delays),
        cmocka_unit_test(test_spot),
        cmocka_unit_test(test_stockouts_and_reclaims),
        cmocka_unit_test(test_ca_block),
        cmocka_unit_test(test_ca_errors),
        cmocka_unit_test(test_shipped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
