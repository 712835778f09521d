/*
 * test_manifest_vpa.c - VerticalPodAutoscalers in a scenario
 * (io/manifest_vpa.c, io/scenario_vpa.c; docs/scenario-format.md): every
 * field of the object and its defaults, the recommender's and updater's
 * flags (defaults, the verticalPodAutoscaler block, a vpa-recommender
 * Deployment's args, unit conversions), workloads.<name>.memoryGrowth, the
 * HPA+VPA warning, --set on a VPA, and the errors with their locations.
 */
#include "cluster_fixture.h"

#include "io/override.h"

#define MIB (1024LL * 1024)
#define CPU (1u << CS_RES_CPU)
#define MEM (1u << CS_RES_MEMORY)

/* A Deployment `api` with containers app and sidecar. */
static const char api[] =
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: api}\n"
    "    spec:\n"
    "      template:\n"
    "        metadata: {labels: {app: api}}\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: app, resources: {requests: {cpu: 200m, memory: "
    "256Mi}}}\n"
    "            - {name: sidecar, resources: {requests: {cpu: 50m}}}\n";

/* An HPA on web with the given metrics list (flow style; "" for none). */
static char *hpa(const char *metrics)
{
    char *s = malloc(1024);

    assert_non_null(s);
    snprintf(s, 1024,
             "  - apiVersion: autoscaling/v2\n"
             "    kind: HorizontalPodAutoscaler\n"
             "    metadata: {name: web-hpa}\n"
             "    spec:\n"
             "      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, "
             "name: web}\n"
             "      maxReplicas: 5\n"
             "%s%s%s",
             metrics[0] ? "      metrics: " : "", metrics,
             metrics[0] ? "\n" : "");
    return s;
}

/* A VPA `name` on Deployment `target`; spec_extra: lines under spec. */
static char *vpa(const char *name, const char *target, const char *spec_extra)
{
    char *s = malloc(2048);

    assert_non_null(s);
    snprintf(s, 2048,
             "  - apiVersion: autoscaling.k8s.io/v1\n"
             "    kind: VerticalPodAutoscaler\n"
             "    metadata: {name: %s}\n"
             "    spec:\n"
             "      targetRef: {apiVersion: apps/v1, kind: Deployment, name: "
             "%s}\n"
             "%s",
             name, target, spec_extra);
    return s;
}

static char *cat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);

    assert_non_null(s);
    snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* ---- the object ------------------------------------------------------- */

static void test_fields(void **state)
{
    char *v1 = vpa("web-vpa", "web", "      recommenders: [{name: default}]\n");
    char *v2 = vpa("api-vpa", "api",
                   "      updatePolicy: {updateMode: Auto, minReplicas: 3}\n"
                   "      resourcePolicy:\n"
                   "        containerPolicies:\n"
                   "          - containerName: app\n"
                   "            minAllowed: {cpu: 100m, memory: 128Mi}\n"
                   "            maxAllowed: {cpu: 2, memory: 4Gi}\n"
                   "            controlledResources: [cpu]\n"
                   "            controlledValues: RequestsOnly\n"
                   "          - {containerName: \"*\", mode: Off}\n"
                   "          - {containerName: sidecar, "
                   "controlledResources: []}\n"
                   "      recommenders: [{name: custom}, {name: other}]\n");
    char *m = cat3(api, v1, v2);
    struct cs_scenario *sc = load(group, m, "");
    const struct cs_vpa_spec *v;
    const struct cs_vpa_policy *p;

    (void)state;
    assert_int_equal(sc->nworkloads, 2);
    assert_int_equal(sc->nvpas, 2);
    assert_int_equal(sc->nwarnings, 0);
    v = &sc->vpas[0];
    assert_string_equal(v->name, "web-vpa");
    assert_string_equal(v->ns, "default");
    assert_int_equal(v->workload, 0);
    assert_int_equal(v->mode, CS_VPA_RECREATE); /* unset */
    assert_int_equal(v->min_replicas, 0);
    assert_int_equal(v->npolicies, 0);
    assert_null(v->recommender); /* "default" is the default one */
    assert_int_equal(v->line, 26);
    assert_int_equal(v->col, 5);
    v = &sc->vpas[1];
    assert_string_equal(v->name, "api-vpa");
    assert_int_equal(v->workload, 1);
    assert_int_equal(v->mode, CS_VPA_AUTO);
    assert_int_equal(v->min_replicas, 3);
    assert_string_equal(v->recommender, "custom");
    assert_int_equal(v->npolicies, 3);
    p = &v->policies[0];
    assert_string_equal(p->container, "app");
    assert_int_equal(p->off, 0);
    assert_int_equal(p->controlled, CPU);
    assert_int_equal(p->values, CS_VPA_REQUESTS_ONLY);
    assert_int_equal(p->min_set, CPU | MEM);
    assert_int_equal(p->max_set, CPU | MEM);
    assert_int_equal(p->min_allowed.v[CS_RES_CPU], 100);
    assert_int_equal(p->min_allowed.v[CS_RES_MEMORY], 128 * MIB * 1000);
    assert_int_equal(p->max_allowed.v[CS_RES_CPU], 2000);
    assert_int_equal(p->max_allowed.v[CS_RES_MEMORY], 4096 * MIB * 1000);
    p = &v->policies[1];
    assert_string_equal(p->container, "*");
    assert_int_equal(p->off, 1);
    assert_int_equal(p->controlled, CPU | MEM); /* default both */
    assert_int_equal(p->values, CS_VPA_REQUESTS_AND_LIMITS);
    assert_int_equal(p->min_set | p->max_set, 0);
    assert_int_equal(v->policies[2].controlled, 0); /* [] is none */
    cs_scenario_destroy(sc);
    free(m);
    free(v1);
    free(v2);
}

/* Every updateMode, and namespace and minAllowed above maxAllowed (kept:
 * maxAllowed wins upstream). */
static void test_modes(void **state)
{
    static const struct {
        const char *name;
        int mode;
    } t[] = {{"Off", CS_VPA_OFF},
             {"Initial", CS_VPA_INITIAL},
             {"Recreate", CS_VPA_RECREATE},
             {"Auto", CS_VPA_AUTO},
             {"InPlaceOrRecreate", CS_VPA_IN_PLACE_OR_RECREATE},
             {"InPlace", CS_VPA_IN_PLACE}};

    (void)state;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        char extra[512], *v;
        struct cs_scenario *sc;

        snprintf(extra, sizeof(extra),
                 "      updatePolicy: {updateMode: %s}\n"
                 "      resourcePolicy:\n"
                 "        containerPolicies: [{containerName: c, "
                 "minAllowed: {cpu: 2}, maxAllowed: {cpu: 1}}]\n",
                 t[i].name);
        v = vpa("v", "web", extra);
        sc = load(group, v, "");
        assert_int_equal(sc->vpas[0].mode, t[i].mode);
        assert_int_equal(sc->vpas[0].policies[0].min_allowed.v[CS_RES_CPU],
                         2000);
        cs_scenario_destroy(sc);
        free(v);
    }
}

/* ---- flags ------------------------------------------------------------ */

static void test_flag_defaults(void **state)
{
    struct cs_scenario *sc = load(group, "", "");
    const struct cs_vpa_config *c = &sc->vpa_cfg;

    (void)state;
    assert_int_equal(sc->nvpas, 0);
    assert_int_equal(c->recommender_interval, MIN);
    assert_true(c->margin_fraction == 0.15);
    assert_true(c->target_cpu_pct == 0.9 && c->target_mem_pct == 0.9);
    assert_true(c->lower_cpu_pct == 0.5 && c->upper_mem_pct == 0.95);
    assert_int_equal(c->conf_interval_cpu, 24 * HOUR);
    assert_int_equal(c->pod_min_cpu_m, 25);
    assert_int_equal(c->pod_min_mem_bytes, 250 * MIB);
    assert_int_equal(c->mem_agg_count, 8);
    assert_int_equal(c->oom_min_bump_bytes, 100 * MIB);
    assert_int_equal(c->updater_interval, MIN);
    assert_int_equal(c->min_replicas, 2);
    assert_true(c->eviction_tolerance == 0.5);
    assert_int_equal(c->lifetime_threshold, 12 * HOUR);
    assert_int_equal(c->evict_after_oom, 10 * MIN);
    cs_scenario_destroy(sc);
}

static const char flags_block[] =
    "verticalPodAutoscaler:\n"
    "  recommender:\n"
    "    - /recommender\n"
    "    - --v=4\n"
    "    - --recommender-interval=30s\n"
    "    - --recommendation-margin-fraction=0.2\n"
    "    - --target-cpu-percentile=0.8\n"
    "    - --target-memory-percentile=0.95\n"
    "    - --recommendation-lower-bound-cpu-percentile=0.4\n"
    "    - --recommendation-lower-bound-memory-percentile=0.3\n"
    "    - --recommendation-upper-bound-cpu-percentile=0.99\n"
    "    - --recommendation-upper-bound-memory-percentile=1\n"
    "    - --confidence-interval-cpu=12h\n"
    "    - --confidence-interval-memory=1h30m\n"
    "    - --pod-recommendation-min-cpu-millicores=50\n"
    "    - --pod-recommendation-min-memory-mb\n"
    "    - \"100\"\n"
    "    - --cpu-histogram-decay-half-life=2h\n"
    "    - --memory-histogram-decay-half-life=48h\n"
    "    - --memory-aggregation-interval=1h\n"
    "    - --memory-aggregation-interval-count=4\n"
    "    - --oom-bump-up-ratio=1.5\n"
    "    - --oom-min-bump-up-bytes=52428800\n"
    "    - --container-recommendation-max-allowed-cpu=4\n"
    "    - --container-recommendation-max-allowed-memory=8Gi\n"
    "    - --memory-saver\n"
    "  updater:\n"
    "    - --updater-interval=2m\n"
    "    - --min-replicas=1\n"
    "    - --eviction-tolerance=0.25\n"
    "    - --pod-update-threshold=0.2\n"
    "    - --in-recommendation-bounds-eviction-lifetime-threshold=6h\n"
    "    - --evict-after-oom-threshold=5m\n"
    "    - --eviction-rate-limit=-1\n"
    "    - --eviction-rate-burst=3\n";

static void test_flags(void **state)
{
    struct cs_scenario *sc = load(group, "", flags_block);
    const struct cs_vpa_config *c = &sc->vpa_cfg;

    (void)state;
    assert_int_equal(c->recommender_interval, 30 * SEC);
    assert_true(c->margin_fraction == 0.2);
    assert_true(c->target_cpu_pct == 0.8 && c->target_mem_pct == 0.95);
    assert_true(c->lower_cpu_pct == 0.4 && c->lower_mem_pct == 0.3);
    assert_true(c->upper_cpu_pct == 0.99 && c->upper_mem_pct == 1.0);
    assert_int_equal(c->conf_interval_cpu, 12 * HOUR);
    assert_int_equal(c->conf_interval_mem, 90 * MIN);
    assert_int_equal(c->pod_min_cpu_m, 50);
    assert_int_equal(c->pod_min_mem_bytes, 100 * MIB); /* MiB -> bytes */
    assert_int_equal(c->cpu_half_life, 2 * HOUR);
    assert_int_equal(c->mem_half_life, 48 * HOUR);
    assert_int_equal(c->mem_agg_interval, HOUR);
    assert_int_equal(c->mem_agg_count, 4);
    assert_true(c->oom_bump_ratio == 1.5);
    assert_int_equal(c->oom_min_bump_bytes, 50 * MIB);
    assert_int_equal(c->max_allowed_cpu_m, 4000);
    assert_int_equal(c->max_allowed_mem_bytes, 8192 * MIB);
    assert_int_equal(c->updater_interval, 2 * MIN);
    assert_int_equal(c->min_replicas, 1);
    assert_true(c->eviction_tolerance == 0.25);
    assert_true(c->pod_update_threshold == 0.2);
    assert_int_equal(c->lifetime_threshold, 6 * HOUR);
    assert_int_equal(c->evict_after_oom, 5 * MIN);
    cs_scenario_destroy(sc);
}

/* A vpa-recommender Deployment is no workload; its args set the flags,
 * and the verticalPodAutoscaler block overrides them. */
static void test_component_deployment(void **state)
{
    static const char rec[] =
        "  - apiVersion: apps/v1\n"
        "    kind: Deployment\n"
        "    metadata: {name: vpa-recommender, namespace: kube-system}\n"
        "    spec:\n"
        "      template:\n"
        "        metadata: {labels: {app: vpa-recommender}}\n"
        "        spec:\n"
        "          containers:\n"
        "            - name: recommender\n"
        "              image: registry.k8s.io/autoscaling/"
        "vpa-recommender:1.4.1\n"
        "              args: [--v=4, --pod-recommendation-min-cpu-"
        "millicores=15, --recommender-interval=2m]\n"
        "              resources: {requests: {cpu: 50m, memory: 500Mi}}\n"
        "  - apiVersion: apps/v1\n"
        "    kind: Deployment\n"
        "    metadata: {name: vpa-updater, namespace: kube-system}\n"
        "    spec:\n"
        "      template:\n"
        "        spec:\n"
        "          containers:\n"
        "            - name: updater\n"
        "              image: registry.k8s.io/autoscaling/vpa-updater:1.4.1\n"
        "              command: [/updater, --min-replicas, \"3\"]\n"
        "  - apiVersion: apps/v1\n"
        "    kind: Deployment\n"
        "    metadata: {name: vpa-admission-controller}\n"
        "    spec:\n"
        "      template:\n"
        "        spec:\n"
        "          containers:\n"
        "            - name: admission-controller\n"
        "              image: registry.k8s.io/autoscaling/"
        "vpa-admission-controller:1.4.1\n"
        "              args: [--webhook-timeout-seconds=10]\n";
    struct cs_scenario *sc = load(group, rec,
                                  "verticalPodAutoscaler:\n"
                                  "  recommender: [--recommender-interval=3m]"
                                  "\n");

    (void)state;
    assert_int_equal(sc->nworkloads, 1);
    assert_string_equal(sc->workloads[0].name, "web");
    assert_int_equal(sc->vpa_cfg.pod_min_cpu_m, 15);
    assert_int_equal(sc->vpa_cfg.recommender_interval, 3 * MIN);
    assert_int_equal(sc->vpa_cfg.min_replicas, 3);
    cs_scenario_destroy(sc);
}

/* ---- memoryGrowth ----------------------------------------------------- */

static void test_memory_growth(void **state)
{
    struct cs_scenario *sc = load(group, "",
                                  "workloads:\n"
                                  "  web: {cpuPerRequest: 5ms, memoryGrowth: "
                                  "200Mi}\n");

    (void)state;
    assert_true(fabs(sc->workloads[0].svc.mem_growth - 200.0 * MIB / 3600.0) <
                1e-9);
    cs_scenario_destroy(sc);
    sc = load(group, "", "");
    assert_true(sc->workloads[0].svc.mem_growth == 0);
    cs_scenario_destroy(sc);
}

/* ---- the HPA+VPA warning ---------------------------------------------- */

/* Load web's HPA (metrics) and a VPA on web (spec_extra): the warnings
 * must be the one on cpu if `res` has CPU, then the one on memory if it
 * has MEM, and no other. */
static void warns(const char *metrics, const char *spec_extra, uint32_t res)
{
    static const char *const names[] = {"cpu", "memory"};
    char *h = hpa(metrics), *v = vpa("web-vpa", "web", spec_extra);
    char *m = cat3(h, v, ""), want[512];
    struct cs_scenario *sc = load(group, m, "");
    int n = 0;

    for (int r = CS_RES_CPU; r <= CS_RES_MEMORY; r++) {
        if (!(res & (1u << r)))
            continue;
        assert_true(n < sc->nwarnings);
        /* the VPA follows the HPA, one line shorter without metrics */
        snprintf(want, sizeof(want),
                 "inline.yaml:%d:5: VerticalPodAutoscaler web-vpa and "
                 "HorizontalPodAutoscaler web-hpa both act on the %s of "
                 "Deployment web; upstream advises against it (the HPA's "
                 "utilization moves whenever the VPA changes requests)",
                 metrics[0] ? 23 : 22, names[r]);
        assert_string_equal(sc->warnings[n++], want);
    }
    if (sc->nwarnings != n)
        fail_msg("%d warnings, want %d (first: %s)", sc->nwarnings, n,
                 sc->nwarnings ? sc->warnings[0] : "-");
    cs_scenario_destroy(sc);
    free(m);
    free(h);
    free(v);
}

#define CPU_UTIL                                                               \
    "{type: Resource, resource: {name: cpu, target: {type: Utilization, "      \
    "averageUtilization: 70}}}"
#define MEM_UTIL                                                               \
    "{type: Resource, resource: {name: memory, target: {type: Utilization, "   \
    "averageUtilization: 70}}}"
#define CTR_CPU                                                                \
    "{type: ContainerResource, containerResource: {name: cpu, container: c, "  \
    "target: {type: Utilization, averageUtilization: 70}}}"

static void test_warning(void **state)
{
    (void)state;
    warns("[" CPU_UTIL "]", "", CPU);
    warns("", "", CPU); /* no metrics: cpu utilization */
    warns("[" CTR_CPU "]", "", CPU);
    warns("[" CPU_UTIL ", " MEM_UTIL "]", "", CPU | MEM);
    warns("[" CPU_UTIL "]", "      updatePolicy: {updateMode: Initial}\n", CPU);
    /* the VPA leaves cpu alone, or does nothing */
    warns("[" CPU_UTIL "]",
          "      resourcePolicy: {containerPolicies: [{containerName: c, "
          "controlledResources: [memory]}]}\n",
          0);
    warns("[" CPU_UTIL "]", "      updatePolicy: {updateMode: Off}\n", 0);
    warns("[" CTR_CPU "]",
          "      resourcePolicy: {containerPolicies: [{containerName: \"*\", "
          "mode: Off}]}\n",
          0);
    warns("[" CPU_UTIL ", " MEM_UTIL "]",
          "      resourcePolicy: {containerPolicies: [{containerName: c, "
          "controlledResources: [cpu]}]}\n",
          CPU);
}

/* ---- --set ------------------------------------------------------------ */

static void test_override(void **state)
{
    static const char *const args[] = {
        "VerticalPodAutoscaler/web-vpa.spec.updatePolicy.updateMode=Off",
        "vpa/web-vpa.spec.updatePolicy.updateMode=Off"};
    char *v = vpa("web-vpa", "web", "");
    char *yaml = compose(group, v, "");

    (void)state;
    for (int i = 0; i < 2; i++) {
        struct cs_override ov;
        struct cs_err err;
        struct cs_scenario *sc;

        cs_err_clear(&err);
        assert_int_equal(cs_override_parse(args[i], &ov, &err), 0);
        sc = cs_scenario_load_buffer_with("inline.yaml", yaml, strlen(yaml),
                                          "scenarios", &ov, 1, &err);
        if (sc == NULL)
            fail_msg("%s: %s", args[i], err.msg);
        assert_int_equal(sc->vpas[0].mode, CS_VPA_OFF);
        cs_scenario_destroy(sc);
        cs_override_fini(&ov);
    }
    free(yaml);
    free(v);
}

/* ---- errors ----------------------------------------------------------- */

static void vpa_fails(const char *spec_extra, const char *want)
{
    char *v = vpa("v", "web", spec_extra);

    fails(group, v, "", want);
    free(v);
}

static void test_errors(void **state)
{
    (void)state;
    vpa_fails("      updatePolicy: {updateMode: Sometimes}\n",
              "inline.yaml:21:34: VerticalPodAutoscaler v.spec.updatePolicy."
              "updateMode must be Off, Initial, Recreate, Auto, "
              "InPlaceOrRecreate or InPlace, got \"Sometimes\"");
    vpa_fails("      updatePolicy: {minReplicas: 0}\n",
              "inline.yaml:21:35: VerticalPodAutoscaler v.spec.updatePolicy."
              "minReplicas must be between 1 and 2147483647, got 0");
    vpa_fails("      updatePolicy:\n"
              "        evictionRequirements: [{resources: [cpu], "
              "changeRequirement: Higher}]\n",
              "inline.yaml:22:70: VerticalPodAutoscaler v.spec.updatePolicy."
              "evictionRequirements[0].changeRequirement must be "
              "TargetHigherThanRequests or TargetLowerThanRequests, got "
              "\"Higher\"");
    vpa_fails("      updatePolicy:\n"
              "        evictionRequirements: [{resources: [], "
              "changeRequirement: TargetLowerThanRequests}]\n",
              "inline.yaml:22:44: VerticalPodAutoscaler v.spec.updatePolicy."
              "evictionRequirements[0].resources names no resource");
    vpa_fails("      updatePolicy:\n"
              "        evictionRequirements: [{resources: [gpu], "
              "changeRequirement: TargetLowerThanRequests}]\n",
              "inline.yaml:22:45: VerticalPodAutoscaler v.spec.updatePolicy."
              "evictionRequirements[0].resources[0] must be cpu or memory, "
              "got \"gpu\"");
    vpa_fails("      updatePolicy: {updateMod: Off}\n",
              "inline.yaml:21:22: unknown key \"updateMod\" in "
              "VerticalPodAutoscaler v.spec.updatePolicy");
    vpa_fails("      resourcePolicy:\n"
              "        containerPolicies: [{containerName: d}]\n",
              "inline.yaml:22:45: VerticalPodAutoscaler v.spec.resourcePolicy."
              "containerPolicies[0].containerName: Deployment web has no "
              "container \"d\" (name one of its containers, or \"*\")");
    vpa_fails("      resourcePolicy:\n"
              "        containerPolicies:\n"
              "          - {containerName: c}\n"
              "          - {containerName: c, mode: Off}\n",
              "inline.yaml:24:29: VerticalPodAutoscaler v.spec.resourcePolicy."
              "containerPolicies[1].containerName: \"c\" already has a policy "
              "(containerPolicies[0])");
    vpa_fails("      resourcePolicy:\n"
              "        containerPolicies: [{containerName: c, mode: On}]\n",
              "inline.yaml:22:54: VerticalPodAutoscaler v.spec.resourcePolicy."
              "containerPolicies[0].mode must be Auto or Off, got \"On\"");
    vpa_fails("      resourcePolicy:\n"
              "        containerPolicies: [{containerName: c, "
              "controlledResources: [cpu, gpu]}]\n",
              "inline.yaml:22:75: VerticalPodAutoscaler v.spec.resourcePolicy."
              "containerPolicies[0].controlledResources[1] must be cpu or "
              "memory, got \"gpu\"");
    vpa_fails("      resourcePolicy:\n"
              "        containerPolicies: [{containerName: c, "
              "controlledValues: Limits}]\n",
              "inline.yaml:22:66: VerticalPodAutoscaler v.spec.resourcePolicy."
              "containerPolicies[0].controlledValues must be "
              "RequestsAndLimits or RequestsOnly, got \"Limits\"");
    vpa_fails("      resourcePolicy:\n"
              "        containerPolicies: [{containerName: c, "
              "minAllowed: {cpu: lots}}]\n",
              "inline.yaml:22:66: VerticalPodAutoscaler v.spec.resourcePolicy."
              "containerPolicies[0].minAllowed.cpu must be a Kubernetes "
              "quantity (e.g. 250m, 1.5, 512Mi), got \"lots\"");
    vpa_fails("      resourcePolicy:\n"
              "        containerPolicies: [{containerName: c, "
              "maxAllowed: {ephemeral-storage: 1Gi}}]\n",
              "inline.yaml:22:61: VerticalPodAutoscaler v.spec.resourcePolicy."
              "containerPolicies[0].maxAllowed: capsim's VPA recommends cpu "
              "and memory only, got \"ephemeral-storage\"");
    vpa_fails("      recommenders: [{nam: x}]\n",
              "inline.yaml:21:23: unknown key \"nam\" in VerticalPodAutoscaler "
              "v.spec.recommenders[0]");
    vpa_fails("      selector: {}\n",
              "inline.yaml:21:7: unknown key \"selector\" in "
              "VerticalPodAutoscaler v.spec");
    fails(group,
          "  - apiVersion: autoscaling.k8s.io/v1beta2\n"
          "    kind: VerticalPodAutoscaler\n"
          "    metadata: {name: v}\n"
          "    spec: {targetRef: {kind: Deployment, name: web}}\n",
          "",
          "inline.yaml:16:17: manifests[1]: VerticalPodAutoscaler must be "
          "apiVersion autoscaling.k8s.io/v1, got \"autoscaling.k8s.io/"
          "v1beta2\"");
    fails(group,
          "  - apiVersion: autoscaling.k8s.io/v1\n"
          "    kind: VerticalPodAutoscaler\n"
          "    metadata: {name: v}\n"
          "    spec: {targetRef: {kind: StatefulSet, name: web}}\n",
          "",
          "inline.yaml:19:30: VerticalPodAutoscaler v.spec.targetRef.kind: "
          "capsim simulates VPAs of Deployments, got \"StatefulSet\"");
    fails(group,
          "  - apiVersion: autoscaling.k8s.io/v1\n"
          "    kind: VerticalPodAutoscaler\n"
          "    metadata: {name: v}\n"
          "    spec: {targetRef: {kind: Deployment, name: wbe}}\n",
          "",
          "inline.yaml:19:48: VerticalPodAutoscaler v.spec.targetRef.name: "
          "no Deployment named \"wbe\" in manifests");
    fails(group,
          "  - apiVersion: autoscaling.k8s.io/v1\n"
          "    kind: VerticalPodAutoscaler\n"
          "    metadata: {name: v}\n"
          "    spec: {targetRef: {apiVersion: apps/v1beta1, kind: Deployment, "
          "name: web}}\n",
          "",
          "inline.yaml:19:36: VerticalPodAutoscaler v.spec.targetRef."
          "apiVersion: a Deployment is apps/v1, got \"apps/v1beta1\"");
}

static void test_duplicates(void **state)
{
    char *a = vpa("a", "web", ""), *b = vpa("b", "web", "");
    char *a2 = vpa("a", "web", "");
    char *m = cat3(a, b, ""), *m2 = cat3(a, a2, "");

    (void)state;
    fails(group, m, "",
          "inline.yaml:25:64: VerticalPodAutoscaler b.spec.targetRef.name: "
          "Deployment web is already the target of VerticalPodAutoscaler a "
          "(upstream would pick one of them arbitrarily)");
    fails(group, m2, "",
          "inline.yaml:23:22: duplicate VerticalPodAutoscaler \"a\"");
    free(a);
    free(b);
    free(a2);
    free(m);
    free(m2);
}

static void test_flag_errors(void **state)
{
    (void)state;
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  recommender: [--recommender-interval=1m, --target-cpu=0.9]\n",
          "inline.yaml:17:44: verticalPodAutoscaler.recommender[1]: unknown "
          "recommender flag --target-cpu");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  updater: [--recommender-interval=1m]\n",
          "inline.yaml:17:13: verticalPodAutoscaler.updater[0]: unknown "
          "updater flag --recommender-interval");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  recommender: [--target-cpu-percentile=1.5]\n",
          "inline.yaml:17:41: verticalPodAutoscaler.recommender[0]: "
          "--target-cpu-percentile must be a number in (0, 1], got \"1.5\"");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  recommender: [--recommender-interval, 0s]\n",
          "inline.yaml:17:41: verticalPodAutoscaler.recommender[0]: "
          "--recommender-interval must be a positive duration (e.g. 30s, 1m, "
          "1h30m), got \"0s\"");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  recommender: [--memory-aggregation-interval-count=0]\n",
          "inline.yaml:17:53: verticalPodAutoscaler.recommender[0]: "
          "--memory-aggregation-interval-count must be an integer >= 1, got "
          "\"0\"");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  recommender: [--oom-min-bump-up-bytes]\n",
          "inline.yaml:17:17: verticalPodAutoscaler.recommender[0]: "
          "--oom-min-bump-up-bytes needs a value (--oom-min-bump-up-bytes="
          "VALUE)");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  updater: [\"--eviction-tolerance=2\"]\n",
          "inline.yaml:17:35: verticalPodAutoscaler.updater[0]: "
          "--eviction-tolerance must be a number in [0, 1], got \"2\"");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  updater: [--eviction-rate-limit=10]\n",
          "inline.yaml:17:35: verticalPodAutoscaler.updater[0]: "
          "--eviction-rate-limit: a positive eviction rate limit is not "
          "simulated (leave it at -1)");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  recommender: [--recommender-name=mine]\n",
          "inline.yaml:17:36: verticalPodAutoscaler.recommender[0]: "
          "--recommender-name: capsim simulates the default recommender "
          "only, got \"mine\"");
    fails(group, "",
          "verticalPodAutoscaler:\n"
          "  admission: []\n",
          "inline.yaml:17:3: unknown key \"admission\" in "
          "verticalPodAutoscaler");
    fails(group, "",
          "workloads:\n"
          "  web: {cpuPerRequest: 5ms, memoryGrowth: -1Mi}\n",
          "inline.yaml:17:43: workloads.web.memoryGrowth must not be "
          "negative, got \"-1Mi\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_flag_defaults),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_component_deployment),
        cmocka_unit_test(test_memory_growth),
        cmocka_unit_test(test_warning),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_flag_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
