/*
 * scenario_vpa.c - the VerticalPodAutoscalers of a scenario, and the flags
 * of the VPA's recommender and updater (sc->vpa_cfg).
 *
 * ld_vpas() runs once the workloads and HPAs are loaded:
 *
 *   l->vpas (gathered by manifest.c, in manifest order)
 *     VerticalPodAutoscaler  --ld_vpa-->  sc->vpas[], then: a second VPA
 *                            on one Deployment is refused; an HPA of the
 *                            same Deployment on a resource the VPA sets
 *                            gives a warning (sc->warnings)
 *     vpa-recommender / vpa-updater Deployment  --container args-->
 *                                                sc->vpa_cfg
 *   verticalPodAutoscaler: {recommender: [...], updater: [...]}
 *                                 --flags-->  sc->vpa_cfg (overrides)
 *
 * Flags are written as in the components' command lines ("--flag=value" or
 * "--flag value"; other items, such as the binary's path, are skipped, as
 * ld_ca_args does). Flags capsim models set a field; flags that only
 * configure the process (klog, API access, storage, leader election) are
 * accepted and ignored; any other flag is an error, since ignoring it
 * would silently change the result. Upstream's defaults come from
 * cs_vpa_config_defaults(), called before the load reads anything.
 */
#include "io/scenario_int.h"

#include "io/quantity.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MIB (1024.0 * 1024.0)

/* ---- the flags -------------------------------------------------------- */

enum ftype {
    F_DUR_POS = 1, /* duration > 0 */
    F_DUR,         /* duration >= 0 */
    F_PCT,         /* number in (0, 1] */
    F_FRAC,        /* number in [0, 1] */
    F_NONNEG,      /* number >= 0 */
    F_RATIO,       /* number >= 1 */
    F_COUNT,       /* integer >= 1 (int32_t) */
    F_MCPU,        /* millicores >= 0 (int64_t) */
    F_MIB,         /* MiB >= 0, kept in bytes (int64_t) */
    F_BYTES,       /* a quantity of bytes (int64_t) */
    F_CPU_Q,       /* a quantity of cpu, kept in millicores (int64_t) */
    F_RATE,        /* --eviction-rate-limit: only off (<= 0) */
    F_NAME,        /* --recommender-name: only "default" */
    F_IGNORED,     /* takes a value; no effect on the simulation */
    F_BOOL,        /* a bool; no effect on the simulation */
};

#define REC LD_VPA_RECOMMENDER /* a flag of the recommender */
#define UPD LD_VPA_UPDATER     /* of the updater */
#define ANY (REC | UPD)
#define CF(f) offsetof(struct cs_vpa_config, f)

static const struct vflag {
    const char *name;
    int comp; /* REC, UPD or ANY */
    int type; /* enum ftype */
    size_t off;
} flags[] = {
    {"recommender-interval", REC, F_DUR_POS, CF(recommender_interval)},
    {"recommendation-margin-fraction", REC, F_NONNEG, CF(margin_fraction)},
    {"target-cpu-percentile", REC, F_PCT, CF(target_cpu_pct)},
    {"target-memory-percentile", REC, F_PCT, CF(target_mem_pct)},
    {"recommendation-lower-bound-cpu-percentile", REC, F_PCT,
     CF(lower_cpu_pct)},
    {"recommendation-lower-bound-memory-percentile", REC, F_PCT,
     CF(lower_mem_pct)},
    {"recommendation-upper-bound-cpu-percentile", REC, F_PCT,
     CF(upper_cpu_pct)},
    {"recommendation-upper-bound-memory-percentile", REC, F_PCT,
     CF(upper_mem_pct)},
    {"confidence-interval-cpu", REC, F_DUR_POS, CF(conf_interval_cpu)},
    {"confidence-interval-memory", REC, F_DUR_POS, CF(conf_interval_mem)},
    {"pod-recommendation-min-cpu-millicores", REC, F_MCPU, CF(pod_min_cpu_m)},
    {"pod-recommendation-min-memory-mb", REC, F_MIB, CF(pod_min_mem_bytes)},
    {"cpu-histogram-decay-half-life", REC, F_DUR_POS, CF(cpu_half_life)},
    {"memory-histogram-decay-half-life", REC, F_DUR_POS, CF(mem_half_life)},
    {"memory-aggregation-interval", REC, F_DUR_POS, CF(mem_agg_interval)},
    {"memory-aggregation-interval-count", REC, F_COUNT, CF(mem_agg_count)},
    {"oom-bump-up-ratio", REC, F_RATIO, CF(oom_bump_ratio)},
    {"oom-min-bump-up-bytes", REC, F_BYTES, CF(oom_min_bump_bytes)},
    {"container-recommendation-max-allowed-cpu", REC, F_CPU_Q,
     CF(max_allowed_cpu_m)},
    {"container-recommendation-max-allowed-memory", REC, F_BYTES,
     CF(max_allowed_mem_bytes)},
    {"recommender-name", REC, F_NAME, 0},
    {"updater-interval", UPD, F_DUR_POS, CF(updater_interval)},
    {"min-replicas", UPD, F_COUNT, CF(min_replicas)},
    {"eviction-tolerance", UPD, F_FRAC, CF(eviction_tolerance)},
    {"pod-update-threshold", UPD, F_NONNEG, CF(pod_update_threshold)},
    {"in-recommendation-bounds-eviction-lifetime-threshold", UPD, F_DUR,
     CF(lifetime_threshold)},
    {"evict-after-oom-threshold", UPD, F_DUR, CF(evict_after_oom)},
    {"eviction-rate-limit", UPD, F_RATE, 0},
    {"eviction-rate-burst", UPD, F_IGNORED, 0},
    /* the process, not the algorithm */
    {"storage", REC, F_IGNORED, 0},
    {"prometheus-address", REC, F_IGNORED, 0},
    {"prometheus-cadvisor-job-name", REC, F_IGNORED, 0},
    {"history-length", REC, F_IGNORED, 0},
    {"history-resolution", REC, F_IGNORED, 0},
    {"checkpoints-timeout", REC, F_IGNORED, 0},
    {"checkpoints-gc-interval", REC, F_IGNORED, 0},
    {"min-checkpoints", REC, F_IGNORED, 0},
    {"memory-saver", REC, F_BOOL, 0},
    {"use-admission-controller-status", UPD, F_BOOL, 0},
    {"address", ANY, F_IGNORED, 0},
    {"kubeconfig", ANY, F_IGNORED, 0},
    {"kube-api-qps", ANY, F_IGNORED, 0},
    {"kube-api-burst", ANY, F_IGNORED, 0},
    {"vpa-object-namespace", ANY, F_IGNORED, 0},
    {"ignored-vpa-object-namespaces", ANY, F_IGNORED, 0},
    {"leader-elect", ANY, F_BOOL, 0},
    {"leader-elect-lease-duration", ANY, F_IGNORED, 0},
    {"leader-elect-renew-deadline", ANY, F_IGNORED, 0},
    {"leader-elect-retry-period", ANY, F_IGNORED, 0},
    {"leader-elect-resource-lock", ANY, F_IGNORED, 0},
    {"leader-elect-resource-name", ANY, F_IGNORED, 0},
    {"leader-elect-resource-namespace", ANY, F_IGNORED, 0},
    {"v", ANY, F_IGNORED, 0},
    {"vmodule", ANY, F_IGNORED, 0},
    {"logtostderr", ANY, F_BOOL, 0},
    {"alsologtostderr", ANY, F_BOOL, 0},
    {"stderrthreshold", ANY, F_IGNORED, 0},
    {"log_dir", ANY, F_IGNORED, 0},
    {"log_file", ANY, F_IGNORED, 0},
};

static const struct vflag *find_flag(int comp, const char *name)
{
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if ((flags[i].comp & comp) && strcmp(flags[i].name, name) == 0)
            return &flags[i];
    return NULL;
}

/* A number in [lo, hi] (lo excluded when open). */
static int number(const char *s, double lo, int open, double hi, double *out)
{
    double x;

    if (cs_parse_double(s, &x) < 0 || x < lo || (open && x == lo) || x > hi)
        return CS_EINVAL;
    *out = x;
    return 0;
}

/* What a value of each type must be, for messages. */
static const char *const wants[] = {
    [F_DUR_POS] = "a positive duration (e.g. 30s, 1m, 1h30m)",
    [F_DUR] = "a duration (e.g. 0s, 10m, 12h)",
    [F_PCT] = "a number in (0, 1]",
    [F_FRAC] = "a number in [0, 1]",
    [F_NONNEG] = "a number >= 0",
    [F_RATIO] = "a number >= 1",
    [F_COUNT] = "an integer >= 1",
    [F_MCPU] = "a number >= 0",
    [F_MIB] = "a number >= 0",
    [F_BYTES] = "a Kubernetes quantity (e.g. 2, 500m, 100Mi)",
    [F_CPU_Q] = "a Kubernetes quantity (e.g. 2, 500m, 100Mi)",
    [F_RATE] = "a number",
};

/* Value s of a flag of type t into *out (of the field's type; a double for
 * F_RATE). 0, or CS_EINVAL with *out untouched. */
static int parse_typed(int t, const char *s, void *out)
{
    double d;
    int64_t i64;
    int32_t i32;
    cs_time_ms ms;

    switch (t) {
    case F_DUR_POS:
    case F_DUR:
        if (cs_duration_parse(s, &ms) < 0 || (t == F_DUR_POS && ms <= 0))
            return CS_EINVAL;
        memcpy(out, &ms, sizeof(ms));
        return 0;
    case F_PCT:
    case F_FRAC:
    case F_NONNEG:
    case F_RATIO:
    case F_RATE:
        if (t == F_RATE
                ? cs_parse_double(s, &d) < 0
                : number(s, t == F_RATIO ? 1 : 0, t == F_PCT,
                         t == F_PCT || t == F_FRAC ? 1 : HUGE_VAL, &d) < 0)
            return CS_EINVAL;
        memcpy(out, &d, sizeof(d));
        return 0;
    case F_COUNT:
        if (cs_parse_int64(s, &i64) < 0 || i64 < 1 || i64 > INT32_MAX)
            return CS_EINVAL;
        i32 = (int32_t)i64;
        memcpy(out, &i32, sizeof(i32));
        return 0;
    case F_MCPU:
    case F_MIB:
        if (number(s, 0, 0, 1e12, &d) < 0)
            return CS_EINVAL;
        i64 = llround(t == F_MIB ? d * MIB : d);
        memcpy(out, &i64, sizeof(i64));
        return 0;
    case F_BYTES:
    case F_CPU_Q:
        if (cs_quantity_parse_milli(s, &i64) < 0 || i64 < 0)
            return CS_EINVAL;
        if (t == F_BYTES) /* whole bytes, rounding up */
            i64 = i64 / 1000 + (i64 % 1000 != 0);
        memcpy(out, &i64, sizeof(i64));
        return 0;
    default:
        return 0;
    }
}

/* Value s of f into cfg. 0, or CS_EINVAL with e's message set (cfg is
 * then unchanged). */
static int set_flag(struct cs_vpa_config *cfg, const struct vflag *f,
                    const char *s, struct cs_err *e)
{
    double rate;

    if (f->type == F_IGNORED || f->type == F_BOOL)
        return 0;
    if (f->type == F_NAME && strcmp(s, "default") != 0)
        return cs_err_set(e, CS_EINVAL, NULL, 0, 0,
                          "--%s: capsim simulates the default recommender "
                          "only, got \"%s\"",
                          f->name, s);
    if (f->type == F_NAME)
        return 0;
    if (parse_typed(f->type, s,
                    f->type == F_RATE ? (void *)&rate : (char *)cfg + f->off) <
        0)
        return cs_err_set(e, CS_EINVAL, NULL, 0, 0,
                          "--%s must be %s, got \"%s\"", f->name,
                          wants[f->type], s);
    if (f->type == F_RATE && rate > 0)
        return cs_err_set(e, CS_EINVAL, NULL, 0, 0,
                          "--%s: a positive eviction rate limit is not "
                          "simulated (leave it at -1)",
                          f->name);
    return 0;
}

/* One flag of a component's list (an ld_flag_fn; ctx points at the
 * component, REC or UPD). Errors point into the item. */
static int vpa_arg(struct ld *l, void *ctx, const struct cs_ynode *it,
                   const char *name, const char *value,
                   const struct cs_ynode *next, const char *what, int *used)
{
    int comp = *(const int *)ctx;
    const struct vflag *f = find_flag(comp, name);
    const struct cs_ynode *at = it;
    struct cs_err e;

    cs_err_clear(&e);
    if (f == NULL) {
        cs_err_set(&e, CS_EINVAL, NULL, 0, 0, "unknown %s flag --%s",
                   comp == REC ? "recommender" : "updater", name);
        return ld_fail_in(l, it, &e, what);
    }
    if (value == NULL) {
        if (f->type == F_BOOL)
            return 0;
        if (next == NULL || next->kind != CS_Y_SCALAR)
            return ld_fail(l, it, "%s: --%s needs a value (--%s=VALUE)", what,
                           name, name);
        *used = 1;
        at = next;
        value = next->str;
    }
    if (set_flag(&l->sc->vpa_cfg, f, value, &e) < 0) {
        e.col = at == it ? (int)(value - it->str) + 1 : 0;
        return ld_fail_in(l, at, &e, what);
    }
    return 0;
}

int ld_vpa_args(struct ld *l, int comp, const struct cs_ynode *seq,
                const char *what)
{
    return ld_flag_list(l, seq, what, vpa_arg, &comp);
}

/* verticalPodAutoscaler: {recommender: [flags], updater: [flags]} */
static int vpa_block(struct ld *l, const struct cs_ynode *n)
{
    static const char *const keys[] = {"recommender", "updater", NULL};
    const struct cs_ynode *v;

    if (n == NULL || cs_ynode_is_null(n))
        return 0;
    if (cs_ynode_expect(n, CS_Y_MAP, "verticalPodAutoscaler", l->err) < 0 ||
        cs_ymap_check_keys(n, keys, "verticalPodAutoscaler", l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "recommender")) != NULL &&
        ld_vpa_args(l, REC, v, "verticalPodAutoscaler.recommender") < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "updater")) != NULL &&
        ld_vpa_args(l, UPD, v, "verticalPodAutoscaler.updater") < 0)
        return CS_EINVAL;
    return 0;
}

/* ---- warnings --------------------------------------------------------- */

int ld_warn(struct ld *l, const struct cs_ynode *at, const char *fmt, ...)
{
    struct cs_scenario *sc = l->sc;
    char msg[CS_ERR_MSG_MAX], *w;
    va_list ap;
    int n;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if ((size_t)sc->nwarnings == l->warnings_cap) {
        size_t cap = l->warnings_cap ? l->warnings_cap * 2 : 8;
        const char **a = ld_alloc(l, cap * sizeof(*a));

        if (a == NULL)
            return CS_ENOMEM;
        if (sc->nwarnings > 0)
            memcpy(a, sc->warnings, (size_t)sc->nwarnings * sizeof(*a));
        sc->warnings = a;
        l->warnings_cap = cap;
    }
    n = snprintf(NULL, 0, "%s:%d:%d: %s", at->file, at->line, at->col, msg);
    if ((w = ld_alloc(l, (size_t)n + 1)) == NULL)
        return CS_ENOMEM;
    snprintf(w, (size_t)n + 1, "%s:%d:%d: %s", at->file, at->line, at->col,
             msg);
    sc->warnings[sc->nwarnings++] = w;
    return 0;
}

/* 1 if v sets resource r of container `name`. */
static int sets(const struct cs_vpa_spec *v, const char *name, int r)
{
    const struct cs_vpa_policy *p = cs_vpa_policy_for(v, name);

    return p == NULL || (!p->off && (p->controlled & (1u << r)));
}

/* Bit r set for each resource (cpu, memory) on which HPA h and VPA v both
 * act: a Resource metric concerns every container, a ContainerResource
 * metric one; no metrics is the API default, cpu utilization. */
static uint32_t overlap(const struct cs_scenario *sc,
                        const struct cs_scenario_hpa *h,
                        const struct cs_vpa_spec *v)
{
    const struct cs_workload *w = &sc->workloads[v->workload];
    uint32_t both = 0;

    for (size_t i = 0; i < (h->spec.n_metrics ? h->spec.n_metrics : 1); i++) {
        const struct cs_hpa_metric_spec *m =
            h->spec.n_metrics ? &h->spec.metrics[i] : NULL;
        int r = CS_RES_CPU;

        if (m != NULL && m->source != CS_HPA_SOURCE_RESOURCE &&
            m->source != CS_HPA_SOURCE_CONTAINER_RESOURCE)
            continue;
        if (m != NULL && strcmp(m->resource, "memory") == 0)
            r = CS_RES_MEMORY;
        if (m != NULL && m->source == CS_HPA_SOURCE_CONTAINER_RESOURCE) {
            both |= (uint32_t)sets(v, m->container, r) << r;
            continue;
        }
        for (int c = 0; c < w->spec.ncontainers; c++)
            both |= (uint32_t)sets(v, w->spec.c[c].name, r) << r;
    }
    return both;
}

static int check_hpa(struct ld *l, const struct cs_ynode *obj,
                     const struct cs_vpa_spec *v, int hpa)
{
    static const char *const res[] = {"cpu", "memory"};
    const struct cs_scenario *sc = l->sc;
    uint32_t both;

    if (hpa < 0 || v->mode == CS_VPA_OFF)
        return 0;
    both = overlap(sc, &sc->hpas[hpa], v);
    for (int r = CS_RES_CPU; r <= CS_RES_MEMORY; r++)
        if ((both & (1u << r)) &&
            ld_warn(l, obj,
                    "VerticalPodAutoscaler %s and HorizontalPodAutoscaler %s "
                    "both act on the %s of Deployment %s; upstream advises "
                    "against it (the HPA's utilization moves whenever the "
                    "VPA changes requests)",
                    v->name, sc->hpas[hpa].spec.name, res[r],
                    sc->workloads[v->workload].name) < 0)
            return CS_ENOMEM;
    return 0;
}

/* ---- all of them ------------------------------------------------------ */

static const char *meta_name(const struct cs_ynode *obj)
{
    const struct cs_ynode *nm =
        cs_ymap_get(cs_ymap_get(obj, "metadata"), "name");

    return nm != NULL && nm->kind == CS_Y_SCALAR ? nm->str : "?";
}

static int is_vpa(const struct cs_ynode *obj)
{
    const struct cs_ynode *k = cs_ymap_get(obj, "kind");

    return k != NULL && k->kind == CS_Y_SCALAR &&
           strcmp(k->str, "VerticalPodAutoscaler") == 0;
}

/* One VPA object: read, refused if its Deployment has one already
 * (vpa_of[w]), checked against the Deployment's HPA (hpa_of[w]). */
static int one_vpa(struct ld *l, const struct cs_ynode *obj, int *vpa_of,
                   const int *hpa_of)
{
    struct cs_scenario *sc = l->sc;
    struct cs_vpa_spec *v = &sc->vpas[sc->nvpas];
    int first;

    if (ld_vpa(l, obj, v) < 0)
        return CS_EINVAL;
    first = vpa_of[v->workload];
    if (first >= 0)
        return ld_fail(
            l,
            cs_ymap_get(cs_ymap_get(cs_ymap_get(obj, "spec"), "targetRef"),
                        "name"),
            "VerticalPodAutoscaler %s.spec.targetRef.name: Deployment %s is "
            "already the target of VerticalPodAutoscaler %s (upstream would "
            "pick one of them arbitrarily)",
            v->name, sc->workloads[v->workload].name, sc->vpas[first].name);
    vpa_of[v->workload] = sc->nvpas++;
    return check_hpa(l, obj, v, hpa_of[v->workload]);
}

int ld_vpas(struct ld *l, const struct cs_ynode *root)
{
    struct cs_scenario *sc = l->sc;
    const struct cs_ynode *seen[4] = {NULL, NULL, NULL, NULL};
    size_t n = 0;
    int *vpa_of, *hpa_of;

    for (size_t i = 0; i < l->nvpas; i++)
        n += (size_t)is_vpa(l->vpas[i]);
    sc->vpas = ld_alloc(l, (n ? n : 1) * sizeof(*sc->vpas));
    vpa_of = ld_alloc(l, 2 * (size_t)(sc->nworkloads + 1) * sizeof(int));
    if (sc->vpas == NULL || vpa_of == NULL)
        return CS_ENOMEM;
    hpa_of = vpa_of + sc->nworkloads + 1;
    for (int w = 0; w <= sc->nworkloads; w++)
        vpa_of[w] = hpa_of[w] = -1;
    for (int h = 0; h < sc->nhpas; h++)
        hpa_of[sc->hpas[h].workload] = h;
    for (size_t i = 0; i < l->nvpas; i++) {
        const struct cs_ynode *obj = l->vpas[i];
        int comp;

        if (is_vpa(obj)) {
            if (one_vpa(l, obj, vpa_of, hpa_of) < 0)
                return CS_EINVAL;
            continue;
        }
        comp = ld_vpa_component(obj);
        if (seen[comp] != NULL)
            return ld_fail(l, obj,
                           "Deployment %s: a second %s Deployment (the first "
                           "is %s)",
                           meta_name(obj), ld_vpa_image(comp),
                           meta_name(seen[comp]));
        seen[comp] = obj;
        if (ld_vpa_deployment(l, obj, comp) < 0)
            return CS_EINVAL;
    }
    return vpa_block(l, cs_ymap_get(root, "verticalPodAutoscaler"));
}
