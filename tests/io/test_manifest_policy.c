/*
 * test_manifest_policy.c - the Kubernetes objects the cluster autoscaler
 * reads (io/manifest_policy.c, io/manifest_deploy.c, model/policy.c;
 * docs/scenario-format.md): PodDisruptionBudgets resolved to workloads,
 * ResourceQuotas, DaemonSets, PriorityClasses and a pod's priority, the
 * drain annotations and local volumes of a pod template, the sum of its
 * limits, the priority expander ConfigMap, a cluster-autoscaler Deployment
 * (and the clusterAutoscaler block overriding both), and the
 * PodDisruptionBudget arithmetic. Every error is pinned with its location.
 */
#include "cluster_fixture.h"

#include "model/policy.h"

/* ---- manifests -------------------------------------------------------- */

static const char policies[] =
    "  - apiVersion: policy/v1\n"
    "    kind: PodDisruptionBudget\n"
    "    metadata: {name: web-pdb}\n"
    "    spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n"
    "  - apiVersion: policy/v1\n"
    "    kind: PodDisruptionBudget\n"
    "    metadata: {name: all, namespace: default}\n"
    "    spec: {maxUnavailable: \"25%\", selector: {}}\n"
    "  - apiVersion: policy/v1\n"
    "    kind: PodDisruptionBudget\n"
    "    metadata: {name: other-ns, namespace: prod}\n"
    "    spec: {maxUnavailable: 0, selector: {matchLabels: {app: web}}}\n"
    "  - apiVersion: v1\n"
    "    kind: ResourceQuota\n"
    "    metadata: {name: q, namespace: default}\n"
    "    spec:\n"
    "      hard:\n"
    "        pods: \"20\"\n"
    "        requests.cpu: \"8\"\n"
    "        cpu: \"6\"\n"
    "        requests.memory: 16Gi\n"
    "        limits.cpu: \"16\"\n"
    "        limits.memory: 32Gi\n"
    "        requests.nvidia.com/gpu: \"2\"\n"
    "        count/services: \"5\"\n"
    "        requests.storage: 100Gi\n"
    "  - apiVersion: apps/v1\n"
    "    kind: DaemonSet\n"
    "    metadata: {name: node-exporter, namespace: monitoring}\n"
    "    spec:\n"
    "      selector: {matchLabels: {app: ne}}\n"
    "      template:\n"
    "        metadata: {labels: {app: ne}}\n"
    "        spec:\n"
    "          nodeSelector: {kubernetes.io/os: linux}\n"
    "          tolerations: [{operator: Exists}]\n"
    "          containers:\n"
    "            - {name: a, resources: {requests: {cpu: 100m, memory: "
    "64Mi}}}\n"
    "            - {name: b, resources: {requests: {cpu: 50m}}}\n";

static void test_policies(void **state)
{
    struct cs_scenario *sc = load(group, policies, "");
    const struct cs_quota *q;
    const struct cs_daemonset *ds;
    int gpu;

    (void)state;
    assert_int_equal(sc->nworkloads, 1);
    assert_int_equal(sc->npdbs, 3);
    assert_string_equal(sc->pdbs[0].name, "web-pdb");
    assert_string_equal(sc->pdbs[0].ns, "default");
    assert_int_equal(sc->pdbs[0].kind, CS_PDB_MIN_AVAILABLE);
    assert_int_equal(sc->pdbs[0].value, 1);
    assert_int_equal(sc->pdbs[0].percent, 0);
    assert_int_equal(sc->pdbs[0].nworkloads, 1);
    assert_int_equal(sc->pdbs[0].workloads[0], 0);
    assert_int_equal(sc->pdbs[0].line, 16);
    assert_int_equal(sc->pdbs[1].kind, CS_PDB_MAX_UNAVAILABLE);
    assert_int_equal(sc->pdbs[1].value, 25);
    assert_int_equal(sc->pdbs[1].percent, 1);
    assert_int_equal(sc->pdbs[1].nworkloads, 1); /* {} selects every pod */
    assert_string_equal(sc->pdbs[2].ns, "prod");
    assert_int_equal(sc->pdbs[2].nworkloads, 0); /* kept, selects nothing */
    assert_int_equal(sc->nquotas, 1);
    q = &sc->quotas[0];
    gpu = cs_resnames_find(&sc->res, "nvidia.com/gpu");
    assert_true(gpu >= 2);
    assert_int_equal(q->pods, 20);
    assert_int_equal(q->requests.v[CS_RES_CPU], 6000); /* the smaller */
    assert_int_equal(q->requests.v[CS_RES_MEMORY], (16LL << 30) * 1000);
    assert_int_equal(q->limits.v[CS_RES_CPU], 16000);
    assert_int_equal(q->limits.v[CS_RES_MEMORY], (32LL << 30) * 1000);
    assert_int_equal(q->requests.v[gpu], 2000);
    assert_int_equal(q->req_set,
                     (1u << CS_RES_CPU) | (1u << CS_RES_MEMORY) | (1u << gpu));
    assert_int_equal(q->lim_set, (1u << CS_RES_CPU) | (1u << CS_RES_MEMORY));
    assert_int_equal(cs_resnames_find(&sc->res, "storage"), -1);
    assert_int_equal(sc->ndaemonsets, 1);
    ds = &sc->daemonsets[0];
    assert_string_equal(ds->name, "node-exporter");
    assert_string_equal(ds->ns, "monitoring");
    assert_int_equal(ds->requests.v[CS_RES_CPU], 150);
    assert_int_equal(ds->requests.v[CS_RES_MEMORY], (64LL << 20) * 1000);
    assert_int_equal(ds->nnode_selector, 1);
    assert_string_equal(ds->node_selector[0].key, "kubernetes.io/os");
    assert_int_equal(ds->ntolerations, 1);
    assert_int_equal(ds->tolerations[0].op, CS_TOL_EXISTS);
    cs_scenario_destroy(sc);
}

static void test_policy_errors(void **state)
{
    (void)state;
    fails(group,
          "  - apiVersion: policy/v1\n"
          "    kind: PodDisruptionBudget\n"
          "    metadata: {name: p}\n"
          "    spec: {minAvailable: 1, maxUnavailable: 1}\n",
          "",
          "inline.yaml:19:45: PodDisruptionBudget p.spec: give either "
          "minAvailable or maxUnavailable, not both");
    fails(group,
          "  - apiVersion: policy/v1\n"
          "    kind: PodDisruptionBudget\n"
          "    metadata: {name: p}\n"
          "    spec: {selector: {matchLabels: {app: web}}}\n",
          "",
          "inline.yaml:19:11: PodDisruptionBudget p.spec: give minAvailable "
          "or maxUnavailable");
    fails(group,
          "  - apiVersion: policy/v1\n"
          "    kind: PodDisruptionBudget\n"
          "    metadata: {name: p}\n"
          "    spec: {minAvailable: \"150%\"}\n",
          "",
          "inline.yaml:19:26: PodDisruptionBudget p.spec.minAvailable must be "
          "a count (0 or more) or a percentage from 0% to 100%, got "
          "\"150%\"");
    fails(group,
          "  - apiVersion: policy/v1\n"
          "    kind: PodDisruptionBudget\n"
          "    metadata: {name: p}\n"
          "    spec:\n"
          "      minAvailable: 1\n"
          "      selector:\n"
          "        matchExpressions: [{key: app, operator: In, values: "
          "[web]}]\n",
          "",
          "inline.yaml:22:27: PodDisruptionBudget p.spec.selector."
          "matchExpressions is not supported yet (use matchLabels)");
    fails(group,
          "  - apiVersion: policy/v1beta1\n"
          "    kind: PodDisruptionBudget\n"
          "    metadata: {name: p}\n"
          "    spec: {minAvailable: 1}\n",
          "",
          "inline.yaml:16:17: manifests[1]: PodDisruptionBudget must be "
          "apiVersion policy/v1, got \"policy/v1beta1\"");
    fails(group,
          "  - apiVersion: v1\n"
          "    kind: ResourceQuota\n"
          "    metadata: {name: q}\n"
          "    spec: {hard: {pods: \"10\"}, scopes: [BestEffort]}\n",
          "",
          "inline.yaml:19:40: ResourceQuota q.spec.scopes is not supported "
          "yet (a quota here limits every pod of its namespace)");
}

static const char classes[] = "  - apiVersion: scheduling.k8s.io/v1\n"
                              "    kind: PriorityClass\n"
                              "    metadata: {name: high}\n"
                              "    value: 1000\n"
                              "    description: important\n"
                              "  - apiVersion: scheduling.k8s.io/v1\n"
                              "    kind: PriorityClass\n"
                              "    metadata: {name: low}\n"
                              "    value: -20\n"
                              "    globalDefault: true\n";

/* A Deployment `name` with two containers (requests cpu 100m + 250m,
 * limits cpu 500m + 250m, memory 1Gi); tmpl_meta is appended inside the
 * template's metadata, spec_extra (lines) to its spec. */
static char *deploy_named(const char *name, const char *tmpl_meta,
                          const char *spec_extra)
{
    char *s = malloc(4096);

    assert_non_null(s);
    snprintf(s, 4096,
             "  - apiVersion: apps/v1\n"
             "    kind: Deployment\n"
             "    metadata: {name: %s}\n"
             "    spec:\n"
             "      template:\n"
             "        metadata: {labels: {app: d}%s}\n"
             "        spec:\n"
             "%s"
             "          containers:\n"
             "            - {name: a, resources: {requests: {cpu: 100m}, "
             "limits: {cpu: 500m, memory: 1Gi}}}\n"
             "            - {name: b, resources: {limits: {cpu: 250m}}}\n",
             name, tmpl_meta, spec_extra);
    return s;
}

static char *deploy(const char *tmpl_meta, const char *spec_extra)
{
    return deploy_named("d", tmpl_meta, spec_extra);
}

static void test_priority(void **state)
{
    char *m = malloc(16384), *d1, *d2;
    struct cs_scenario *sc;

    (void)state;
    d1 = deploy("", "          priorityClassName: high\n");
    d2 = deploy_named("e", "", "          priority: 7\n");
    snprintf(m, 16384, "%s%s%s", classes, d1, d2);
    sc = load(group, m, "");
    assert_int_equal(sc->nworkloads, 3);
    assert_int_equal(sc->workloads[0].spec.priority, -20); /* globalDefault */
    assert_int_equal(sc->workloads[1].spec.priority, 1000);
    assert_int_equal(sc->workloads[2].spec.priority, 7);
    cs_scenario_destroy(sc);
    free(d1);
    free(d2);
    d1 = deploy("", "          priorityClassName: system-node-critical\n");
    sc = load(group, d1, "");
    assert_int_equal(sc->workloads[1].spec.priority, 2000001000);
    assert_int_equal(sc->workloads[0].spec.priority, 0);
    cs_scenario_destroy(sc);
    free(d1);
    d1 = deploy("", "          priorityClassName: urgent\n");
    fails(group, d1, "",
          "inline.yaml:23:30: Deployment d.spec.template.spec."
          "priorityClassName: no PriorityClass named \"urgent\" (add a "
          "scheduling.k8s.io/v1 PriorityClass to manifests)");
    free(d1);
    d1 = deploy("", "          priorityClassName: high\n"
                    "          priority: 5\n");
    snprintf(m, 16384, "%s%s", classes, d1);
    fails(group, m, "",
          "inline.yaml:34:21: Deployment d.spec.template.spec.priority is 5 "
          "but PriorityClass high has value 1000 (give priorityClassName "
          "alone)");
    free(d1);
    snprintf(m, 16384, "%s%s", classes, classes);
    fails(group, m, "", "inline.yaml:28:22: duplicate PriorityClass \"high\"");
    free(m);
}

static void test_drain_fields(void **state)
{
    char *d = deploy(
        ", annotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "
        "\"false\", cluster-autoscaler.kubernetes.io/pod-scale-up-delay: 2m, "
        "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes: "
        "\"scratch,cache\"}",
        "          volumes:\n"
        "            - {name: scratch, emptyDir: {}}\n"
        "            - {name: cache, hostPath: {path: /var/cache}}\n"
        "            - {name: shm, emptyDir: {medium: Memory}}\n"
        "            - {name: cfg, configMap: {name: x}}\n");
    struct cs_scenario *sc = load(group, d, "");
    const struct cs_podspec *w = &sc->workloads[0].spec, *p;

    (void)state;
    /* web: no annotations, no volumes */
    assert_int_equal(w->safe_to_evict, CS_STE_UNSET);
    assert_int_equal(w->scale_up_delay, -1);
    assert_int_equal(w->local_storage, 0);
    assert_int_equal(w->priority, 0);
    p = &sc->workloads[1].spec;
    assert_int_equal(p->safe_to_evict, CS_STE_FALSE);
    assert_int_equal(p->scale_up_delay, 2 * MIN);
    assert_int_equal(p->local_storage, 0); /* both local volumes listed */
    assert_int_equal(p->limits.v[CS_RES_CPU], 750);
    assert_int_equal(p->limits.v[CS_RES_MEMORY], (1LL << 30) * 1000);
    assert_int_equal(p->requests.v[CS_RES_CPU], 350);
    cs_scenario_destroy(sc);
    free(d);
    d = deploy(", annotations: {cluster-autoscaler.kubernetes.io/"
               "safe-to-evict-local-volumes: cache, "
               "cluster-autoscaler.kubernetes.io/safe-to-evict: "
               "on-completion}",
               "          volumes: [{name: scratch, emptyDir: {medium: \"\"}},"
               " {name: cache, hostPath: {path: /c}}]\n");
    sc = load(group, d, "");
    assert_int_equal(sc->workloads[1].spec.local_storage, 1);
    assert_int_equal(sc->workloads[1].spec.safe_to_evict, CS_STE_ON_COMPLETION);
    cs_scenario_destroy(sc);
    free(d);
    d = deploy(", annotations: {cluster-autoscaler.kubernetes.io/"
               "safe-to-evict: \"yes\"}",
               "");
    fails(group, d, "",
          "inline.yaml:21:100: Deployment d.spec.template.metadata."
          "annotations.cluster-autoscaler.kubernetes.io/safe-to-evict must be "
          "\"true\", \"false\" or \"on-completion\", got \"yes\"");
    free(d);
    d = deploy(", annotations: {cluster-autoscaler.kubernetes.io/"
               "pod-scale-up-delay: soon}",
               "");
    fails(group, d, "",
          "inline.yaml:21:105: Deployment d.spec.template.metadata."
          "annotations.cluster-autoscaler.kubernetes.io/pod-scale-up-delay "
          "must be a duration (e.g. 90s, 5m, 1h30m), got \"soon\"");
    free(d);
}

static const char prio_cm[] =
    "  - apiVersion: v1\n"
    "    kind: ConfigMap\n"
    "    metadata: {name: cluster-autoscaler-priority-expander, namespace: "
    "kube-system}\n"
    "    data:\n"
    "      priorities: |-\n"
    "        100:\n"
    "          - ^gpu-.*\n"
    "        1:\n"
    "          - .*\n"
    "  - apiVersion: v1\n"
    "    kind: ConfigMap\n"
    "    metadata: {name: unrelated}\n"
    "    data: {x: \"1\"}\n";

static const char ca_deploy[] =
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: cluster-autoscaler, namespace: kube-system}\n"
    "    spec:\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - name: cluster-autoscaler\n"
    "              image: registry.k8s.io/autoscaling/cluster-autoscaler:"
    "v1.32.0\n"
    "              command:\n"
    "                - ./cluster-autoscaler\n"
    "                - --v=4\n"
    "                - --cloud-provider=aws\n"
    "                - --expander=priority\n"
    "                - --scale-down-delay-after-add=2m\n"
    "              args: [--skip-nodes-with-local-storage=false]\n";

static void test_configmap_and_ca_deployment(void **state)
{
    char m[4096];
    struct cs_scenario *sc;

    (void)state;
    snprintf(m, sizeof(m), "%s%s", prio_cm, ca_deploy);
    sc = load(group, m, "");
    assert_int_equal(sc->nworkloads, 1); /* the CA is no workload */
    assert_int_equal(sc->ca.enabled, 1);
    assert_int_equal(sc->ca.nexpander, 1);
    assert_int_equal(sc->ca.expander[0], CS_EXP_PRIORITY);
    assert_int_equal(sc->ca.delay_after_add, 2 * MIN);
    assert_int_equal(sc->ca.skip_nodes_with_local_storage, 0);
    assert_int_equal(sc->ca.npriorities, 2);
    assert_int_equal(sc->ca.priorities[0].priority, 100);
    assert_string_equal(sc->ca.priorities[0].regex[0], "^gpu-.*");
    assert_int_equal(sc->ca.priorities[1].priority, 1);
    cs_scenario_destroy(sc);
    /* the block overrides the manifests */
    sc = load(group, m,
              "clusterAutoscaler:\n"
              "  scale-down-delay-after-add: 4m\n"
              "  priorities: {5: [g]}\n");
    assert_int_equal(sc->ca.delay_after_add, 4 * MIN);
    assert_int_equal(sc->ca.expander[0], CS_EXP_PRIORITY);
    assert_int_equal(sc->ca.npriorities, 1);
    assert_int_equal(sc->ca.priorities[0].priority, 5);
    cs_scenario_destroy(sc);
    fails("    - {name: a, nodes: 1, capacity: {cpu: 4, memory: 16Gi}}\n",
          ca_deploy, "",
          "inline.yaml:16:5: the cluster autoscaler is enabled but no node "
          "pool is autoscaled (give a node pool minSize and maxSize)");
    snprintf(m, sizeof(m), "%s%s", ca_deploy, ca_deploy);
    fails(group, m, "",
          "inline.yaml:32:5: manifests[2]: a second cluster-autoscaler "
          "Deployment (the first is cluster-autoscaler)");
    fails(group,
          "  - apiVersion: v1\n"
          "    kind: ConfigMap\n"
          "    metadata: {name: cluster-autoscaler-priority-expander}\n"
          "    data:\n"
          "      priorities: |-\n"
          "        10:\n"
          "          - \"[gpu\"\n",
          "",
          "inline.yaml:20:19: ConfigMap cluster-autoscaler-priority-expander: "
          "data.priorities, line 2 of the text: priorities.10[0]: invalid "
          "regular expression \"[gpu\" (Unmatched [, [^, [:, [., or [=)");
}

/* ---- PodDisruptionBudget arithmetic ----------------------------------- */

static void test_pdb_allowed(void **state)
{
    struct cs_pdb p = {.kind = CS_PDB_MIN_AVAILABLE, .value = 2};

    (void)state;
    assert_int_equal(cs_pdb_allowed(&p, 3, 3), 1);
    assert_int_equal(cs_pdb_allowed(&p, 2, 3), 0);
    assert_int_equal(cs_pdb_allowed(&p, 1, 3), 0);
    assert_int_equal(cs_pdb_allowed(&p, 5, 0), 0); /* nothing expected */
    p.percent = 1;
    p.value = 50; /* of 5: ceil(2.5) = 3 */
    assert_int_equal(cs_pdb_allowed(&p, 5, 5), 2);
    assert_int_equal(cs_pdb_allowed(&p, 4, 5), 1);
    p.kind = CS_PDB_MAX_UNAVAILABLE;
    p.value = 25; /* of 10: ceil(2.5) = 3 unavailable, 7 must stay */
    assert_int_equal(cs_pdb_allowed(&p, 10, 10), 3);
    assert_int_equal(cs_pdb_allowed(&p, 8, 10), 1);
    assert_int_equal(cs_pdb_allowed(&p, 6, 10), 0);
    p.percent = 0;
    p.value = 1;
    assert_int_equal(cs_pdb_allowed(&p, 4, 4), 1);
    assert_int_equal(cs_pdb_allowed(&p, 3, 4), 0);
    p.value = 0;
    assert_int_equal(cs_pdb_allowed(&p, 4, 4), 0);
    p.value = 10; /* more than expected: desired 0 */
    assert_int_equal(cs_pdb_allowed(&p, 4, 4), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_policy_errors),
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_drain_fields),
        cmocka_unit_test(test_configmap_and_ca_deployment),
        cmocka_unit_test(test_pdb_allowed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
