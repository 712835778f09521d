/*
 * manifest_hpa.c - autoscaling/v2 HorizontalPodAutoscaler into a struct
 * cs_hpa_spec, validated as the API server validates it, and the choice of
 * what simulated quantity feeds each of its metrics.
 */
#include "io/scenario_int.h"

#include <string.h>

static const char *const hpa_keys[] = {"apiVersion", "kind",   "metadata",
                                       "spec",       "status", NULL};
const char *const ld_meta_keys[] = {"name",          "namespace",
                                    "labels",        "annotations",
                                    "uid",           "resourceVersion",
                                    "generation",    "creationTimestamp",
                                    "managedFields", NULL};
static const char *const spec_keys[] = {"scaleTargetRef", "minReplicas",
                                        "maxReplicas",    "metrics",
                                        "behavior",       NULL};
static const char *const ref_keys[] = {"apiVersion", "kind", "name", NULL};
static const char *const metric_keys[] = {
    "type",     "resource", "containerResource", "pods", "object",
    "external", NULL};
static const char *const target_keys[] = {"type", "averageUtilization",
                                          "averageValue", "value", NULL};
static const char *const rules_keys[] = {"stabilizationWindowSeconds",
                                         "selectPolicy", "policies",
                                         "tolerance", NULL};
static const char *const policy_keys[] = {"type", "value", "periodSeconds",
                                          NULL};

/* target: {type: Utilization|AverageValue|Value, ...} */
static int target(struct ld *l, const struct cs_ynode *n, const char *what,
                  int allow_util, int allow_avg, int allow_value,
                  struct cs_hpa_metric_spec *m)
{
    char fp[256];
    const char *type;
    const struct cs_ynode *v;
    int64_t x;

    if (cs_ymap_check_keys(n, target_keys, what, l->err) < 0 ||
        ld_str_field(l, n, "type", what, &type) < 0)
        return CS_EINVAL;
    if (strcmp(type, "Utilization") == 0 && allow_util) {
        m->target_type = CS_HPA_TARGET_UTILIZATION;
        v = cs_ymap_require(n, "averageUtilization", what, l->err);
        if (v == NULL ||
            cs_yget_int(v, cs_ypath(fp, sizeof(fp), what, "averageUtilization"),
                        1, 1000000, &x, l->err) < 0)
            return CS_EINVAL;
        m->target = x;
        return 0;
    }
    if (strcmp(type, "AverageValue") == 0 && allow_avg) {
        m->target_type = CS_HPA_TARGET_AVERAGE_VALUE;
        v = cs_ymap_require(n, "averageValue", what, l->err);
        cs_ypath(fp, sizeof(fp), what, "averageValue");
    } else if (strcmp(type, "Value") == 0 && allow_value) {
        m->target_type = CS_HPA_TARGET_VALUE;
        v = cs_ymap_require(n, "value", what, l->err);
        cs_ypath(fp, sizeof(fp), what, "value");
    } else {
        return ld_fail(l, cs_ymap_get(n, "type"),
                       "%s.type must be %s%s%s, got \"%s\"", what,
                       allow_util ? "Utilization or " : "",
                       allow_avg ? "AverageValue" : "",
                       allow_value ? " or Value" : "", type);
    }
    if (v == NULL || cs_yget_quantity_milli(v, fp, &m->target, l->err) < 0)
        return CS_EINVAL;
    if (m->target <= 0)
        return ld_fail(l, v, "%s must be positive", fp);
    return 0;
}

/* metric: {name, selector} */
static int metric_id(struct ld *l, const struct cs_ynode *n, const char *what,
                     struct cs_hpa_metric_spec *m)
{
    static const char *const keys[] = {"name", "selector", NULL};

    if (cs_ymap_check_keys(n, keys, what, l->err) < 0 ||
        ld_str_field(l, n, "name", what, &m->name) < 0)
        return CS_EINVAL;
    return 0;
}

static int source_resource(struct ld *l, const struct cs_ynode *n,
                           const char *what, int container,
                           struct cs_hpa_metric_spec *m)
{
    static const char *const rkeys[] = {"name", "target", NULL};
    static const char *const ckeys[] = {"name", "container", "target", NULL};
    char fp[256];

    if (cs_ymap_check_keys(n, container ? ckeys : rkeys, what, l->err) < 0 ||
        ld_str_field(l, n, "name", what, &m->resource) < 0)
        return CS_EINVAL;
    if (strcmp(m->resource, "cpu") != 0 && strcmp(m->resource, "memory") != 0)
        return ld_fail(l, cs_ymap_get(n, "name"),
                       "%s.name: capsim models the usage of cpu and memory "
                       "only, got \"%s\"",
                       what, m->resource);
    if (container && ld_str_field(l, n, "container", what, &m->container) < 0)
        return CS_EINVAL;
    n = cs_ymap_require(n, "target", what, l->err);
    return n == NULL ? CS_EINVAL
                     : target(l, n, cs_ypath(fp, sizeof(fp), what, "target"), 1,
                              1, 0, m);
}

static int source_named(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_hpa_metric_spec *m)
{
    static const char *const pkeys[] = {"metric", "target", NULL};
    static const char *const okeys[] = {"describedObject", "metric", "target",
                                        NULL};
    char fp[256];
    const struct cs_ynode *v;
    int obj = m->source == CS_HPA_SOURCE_OBJECT;

    if (cs_ymap_check_keys(n, obj ? okeys : pkeys, what, l->err) < 0)
        return CS_EINVAL;
    if (obj) {
        cs_ypath(fp, sizeof(fp), what, "describedObject");
        v = cs_ymap_require(n, "describedObject", what, l->err);
        if (v == NULL || cs_ymap_check_keys(v, ref_keys, fp, l->err) < 0 ||
            ld_str_field(l, v, "kind", fp, &m->object_kind) < 0 ||
            ld_str_field(l, v, "name", fp, &m->object_name) < 0)
            return CS_EINVAL;
    }
    v = cs_ymap_require(n, "metric", what, l->err);
    if (v == NULL ||
        metric_id(l, v, cs_ypath(fp, sizeof(fp), what, "metric"), m) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(n, "target", what, l->err);
    if (v == NULL)
        return CS_EINVAL;
    cs_ypath(fp, sizeof(fp), what, "target");
    if (m->source == CS_HPA_SOURCE_PODS)
        return target(l, v, fp, 0, 1, 0, m);
    return target(l, v, fp, 0, 1, 1, m);
}

static int metric(struct ld *l, const struct cs_ynode *n, const char *what,
                  struct cs_hpa_metric_spec *m)
{
    static const struct {
        const char *type, *key;
        enum cs_hpa_source src;
    } t[] = {{"Resource", "resource", CS_HPA_SOURCE_RESOURCE},
             {"ContainerResource", "containerResource",
              CS_HPA_SOURCE_CONTAINER_RESOURCE},
             {"Pods", "pods", CS_HPA_SOURCE_PODS},
             {"Object", "object", CS_HPA_SOURCE_OBJECT},
             {"External", "external", CS_HPA_SOURCE_EXTERNAL}};
    char fp[256];
    const char *type;
    const struct cs_ynode *body;

    /* the type first: `type: Custom` with a `custom:` body is a wrong
     * type, not a stray key */
    if (ld_str_field(l, n, "type", what, &type) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (strcmp(type, t[i].type) != 0)
            continue;
        if (cs_ymap_check_keys(n, metric_keys, what, l->err) < 0)
            return CS_EINVAL;
        m->source = t[i].src;
        body = cs_ymap_require(n, t[i].key, what, l->err);
        if (body == NULL)
            return CS_EINVAL;
        cs_ypath(fp, sizeof(fp), what, t[i].key);
        if (i < 2)
            return source_resource(l, body, fp, i == 1, m);
        return source_named(l, body, fp, m);
    }
    return ld_fail(l, cs_ymap_get(n, "type"),
                   "%s.type must be Resource, ContainerResource, Pods, Object "
                   "or External, got \"%s\"",
                   what, type);
}

static int rules(struct ld *l, const struct cs_ynode *n, const char *what,
                 struct cs_hpa_rules *r)
{
    char fp[256], pp[256];
    const struct cs_ynode *v;
    int64_t x;
    const char *s;

    if (cs_ymap_check_keys(n, rules_keys, what, l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "stabilizationWindowSeconds")) != NULL) {
        if (cs_yget_int(
                v, cs_ypath(fp, sizeof(fp), what, "stabilizationWindowSeconds"),
                0, 3600, &x, l->err) < 0)
            return CS_EINVAL;
        r->has_window = true;
        r->window_s = (int32_t)x;
    }
    if ((v = cs_ymap_get(n, "selectPolicy")) != NULL) {
        if (cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "selectPolicy"),
                           &s, l->err) < 0)
            return CS_EINVAL;
        if (strcmp(s, "Max") == 0)
            r->select = CS_HPA_SELECT_MAX;
        else if (strcmp(s, "Min") == 0)
            r->select = CS_HPA_SELECT_MIN;
        else if (strcmp(s, "Disabled") == 0)
            r->select = CS_HPA_SELECT_DISABLED;
        else
            return ld_fail(l, v, "%s must be Max, Min or Disabled, got \"%s\"",
                           fp, s);
    }
    if ((v = cs_ymap_get(n, "tolerance")) != NULL) {
        int64_t milli;

        if (cs_yget_quantity_milli(v,
                                   cs_ypath(fp, sizeof(fp), what, "tolerance"),
                                   &milli, l->err) < 0)
            return CS_EINVAL;
        r->has_tolerance = true;
        r->tolerance = (double)milli / 1000.0;
    }
    if ((v = cs_ymap_get(n, "policies")) == NULL)
        return 0;
    cs_ypath(pp, sizeof(pp), what, "policies");
    if (cs_ynode_expect(v, CS_Y_SEQ, pp, l->err) < 0)
        return CS_EINVAL;
    if (v->n == 0 || v->n > CS_HPA_MAX_POLICIES)
        return ld_fail(l, v, "%s must hold 1 to %d policies", pp,
                       CS_HPA_MAX_POLICIES);
    for (size_t i = 0; i < v->n; i++) {
        const struct cs_ynode *p = v->items[i], *f;
        struct cs_hpa_policy *pol = &r->policies[i];
        char ip[256];

        cs_ypath_index(ip, sizeof(ip), pp, i);
        if (cs_ymap_check_keys(p, policy_keys, ip, l->err) < 0 ||
            ld_str_field(l, p, "type", ip, &s) < 0)
            return CS_EINVAL;
        if (strcmp(s, "Pods") == 0)
            pol->type = CS_HPA_POLICY_PODS;
        else if (strcmp(s, "Percent") == 0)
            pol->type = CS_HPA_POLICY_PERCENT;
        else
            return ld_fail(l, cs_ymap_get(p, "type"),
                           "%s.type must be Pods or Percent, got \"%s\"", ip,
                           s);
        f = cs_ymap_require(p, "value", ip, l->err);
        if (f == NULL || cs_yget_int(f, cs_ypath(fp, sizeof(fp), ip, "value"),
                                     1, INT32_MAX, &x, l->err) < 0)
            return CS_EINVAL;
        pol->value = (int32_t)x;
        f = cs_ymap_require(p, "periodSeconds", ip, l->err);
        if (f == NULL ||
            cs_yget_int(f, cs_ypath(fp, sizeof(fp), ip, "periodSeconds"), 1,
                        1800, &x, l->err) < 0)
            return CS_EINVAL;
        pol->period_s = (int32_t)x;
    }
    r->n_policies = v->n;
    return 0;
}

static int behavior(struct ld *l, const struct cs_ynode *n, const char *what,
                    struct cs_hpa_spec *s)
{
    static const char *const keys[] = {"scaleUp", "scaleDown", NULL};
    char fp[256];
    const struct cs_ynode *v;

    s->has_behavior = true;
    if (cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "scaleUp")) != NULL &&
        rules(l, v, cs_ypath(fp, sizeof(fp), what, "scaleUp"), &s->up) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "scaleDown")) != NULL &&
        rules(l, v, cs_ypath(fp, sizeof(fp), what, "scaleDown"), &s->down) < 0)
        return CS_EINVAL;
    cs_hpa_rules_default_up(&s->up);
    cs_hpa_rules_default_down(&s->down);
    return 0;
}

/* Built-in names for custom metrics a workload's `metrics` map does not
 * mention, so common HPA manifests work unchanged. */
static int builtin_source(const char *name)
{
    if (strcmp(name, "http_requests_per_second") == 0 ||
        strcmp(name, "requests_per_second") == 0 ||
        strcmp(name, "http_requests") == 0)
        return CS_MSRC_RPS;
    if (strcmp(name, "queue_length") == 0 || strcmp(name, "queue_depth") == 0)
        return CS_MSRC_QUEUE;
    if (strcmp(name, "inflight_requests") == 0)
        return CS_MSRC_INFLIGHT;
    return 0;
}

static int workload_source(const struct cs_workload *w, const char *name)
{
    for (int i = 0; i < w->nmetric_map; i++)
        if (strcmp(w->metric_map[i].key, name) == 0)
            return cs_msource_parse(w->metric_map[i].value);
    return builtin_source(name);
}

static int feed(struct ld *l, const struct cs_ynode *at, const char *what,
                const struct cs_scenario_hpa *h,
                const struct cs_hpa_metric_spec *m, struct cs_metric_feed *f)
{
    struct cs_scenario *sc = l->sc;
    int w;

    f->workload = h->workload;
    switch (m->source) {
    case CS_HPA_SOURCE_RESOURCE:
    case CS_HPA_SOURCE_CONTAINER_RESOURCE:
        return 0;
    case CS_HPA_SOURCE_PODS:
        f->source = workload_source(&sc->workloads[h->workload], m->name);
        if (f->source == 0)
            return ld_fail(l, at,
                           "%s: workload %s does not provide pods metric "
                           "\"%s\"; map it under workloads.%s.metrics (rps, "
                           "inflight, queue, latency_ms or cpu)",
                           what, sc->workloads[h->workload].name, m->name,
                           sc->workloads[h->workload].name);
        return 0;
    case CS_HPA_SOURCE_OBJECT:
        w = ld_find_workload(l, m->object_name);
        if (w >= 0) {
            f->workload = w;
            f->source = workload_source(&sc->workloads[w], m->name);
        }
        break;
    default:
        break;
    }
    for (int i = 0; i < sc->next && f->source == 0; i++)
        if (strcmp(sc->ext[i].name, m->name) == 0) {
            f->workload = sc->ext[i].workload;
            f->source = sc->ext[i].source;
            f->delay = sc->ext[i].delay;
            f->window = sc->ext[i].window;
        }
    if (f->source == 0)
        return ld_fail(l, at,
                       "%s: no source for metric \"%s\"; declare it under "
                       "externalMetrics (or, for an Object metric on a "
                       "Deployment, under workloads.<name>.metrics)",
                       what, m->name);
    return 0;
}

static int metrics(struct ld *l, const struct cs_ynode *n, const char *what,
                   struct cs_scenario_hpa *h)
{
    char ip[256];
    struct cs_hpa_metric_spec *ms;

    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    if (n->n > CS_HPA_MAX_METRICS)
        return ld_fail(l, n, "%s: at most %d metrics", what,
                       CS_HPA_MAX_METRICS);
    ms = ld_alloc(l, (n->n ? n->n : 1) * sizeof(*ms));
    h->feeds = ld_alloc(l, (n->n ? n->n : 1) * sizeof(*h->feeds));
    if (ms == NULL || h->feeds == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        cs_ypath_index(ip, sizeof(ip), what, i);
        if (metric(l, n->items[i], ip, &ms[i]) < 0 ||
            feed(l, n->items[i], ip, h, &ms[i], &h->feeds[i]) < 0)
            return CS_EINVAL;
        if (ms[i].source == CS_HPA_SOURCE_CONTAINER_RESOURCE) {
            const struct cs_workload *w = &l->sc->workloads[h->workload];
            int found = 0;

            for (int c = 0; c < w->spec.ncontainers; c++)
                found |= strcmp(w->spec.c[c].name, ms[i].container) == 0;
            if (!found)
                return ld_fail(l, n->items[i],
                               "%s: Deployment %s has no container \"%s\"", ip,
                               w->name, ms[i].container);
        }
    }
    h->spec.metrics = ms;
    h->spec.n_metrics = n->n;
    return 0;
}

static int target_ref(struct ld *l, const struct cs_ynode *spec,
                      const char *what, struct cs_scenario_hpa *h)
{
    char fp[256];
    const struct cs_ynode *ref;

    cs_ypath(fp, sizeof(fp), what, "scaleTargetRef");
    ref = cs_ymap_require(spec, "scaleTargetRef", what, l->err);
    if (ref == NULL || cs_ymap_check_keys(ref, ref_keys, fp, l->err) < 0 ||
        ld_str_field(l, ref, "kind", fp, &h->spec.target_kind) < 0 ||
        ld_str_field(l, ref, "name", fp, &h->spec.target_name) < 0)
        return CS_EINVAL;
    if (strcmp(h->spec.target_kind, "Deployment") != 0)
        return ld_fail(l, cs_ymap_get(ref, "kind"),
                       "%s.kind: capsim scales Deployments, got \"%s\"", fp,
                       h->spec.target_kind);
    h->workload = ld_find_workload(l, h->spec.target_name);
    if (h->workload >= 0 && l->sc->workloads[h->workload].is_job)
        h->workload = -1; /* a batch CronJob of that name is no Deployment */
    if (h->workload < 0)
        return ld_fail(l, cs_ymap_get(ref, "name"),
                       "%s.name: no Deployment named \"%s\" in manifests", fp,
                       h->spec.target_name);
    for (int i = 0; i < l->sc->nhpas; i++)
        if (l->sc->hpas[i].workload == h->workload)
            return ld_fail(l, cs_ymap_get(ref, "name"),
                           "%s.name: Deployment %s is already the target of "
                           "HorizontalPodAutoscaler %s",
                           fp, h->spec.target_name, l->sc->hpas[i].spec.name);
    return 0;
}

static int replicas(struct ld *l, const struct cs_ynode *spec, const char *what,
                    struct cs_scenario_hpa *h)
{
    char fp[256];
    const struct cs_ynode *v, *maxn;
    int64_t x;
    int zero_ok = 0;

    for (size_t i = 0; i < h->spec.n_metrics; i++)
        zero_ok |= h->spec.metrics[i].source == CS_HPA_SOURCE_OBJECT ||
                   h->spec.metrics[i].source == CS_HPA_SOURCE_EXTERNAL;
    if ((v = cs_ymap_get(spec, "minReplicas")) != NULL) {
        if (cs_yget_int(v, cs_ypath(fp, sizeof(fp), what, "minReplicas"),
                        zero_ok ? 0 : 1, INT32_MAX, &x, l->err) < 0)
            return CS_EINVAL;
        h->spec.has_min = true;
        h->spec.min_replicas = (int32_t)x;
    }
    maxn = cs_ymap_require(spec, "maxReplicas", what, l->err);
    if (maxn == NULL ||
        cs_yget_int(maxn, cs_ypath(fp, sizeof(fp), what, "maxReplicas"), 1,
                    INT32_MAX, &x, l->err) < 0)
        return CS_EINVAL;
    h->spec.max_replicas = (int32_t)x;
    if (h->spec.max_replicas < (h->spec.has_min ? h->spec.min_replicas : 1))
        return ld_fail(l, maxn, "%s must be >= minReplicas (got %d < %d)", fp,
                       h->spec.max_replicas, h->spec.min_replicas);
    return 0;
}

int ld_hpa(struct ld *l, const struct cs_ynode *obj, struct cs_scenario_hpa *h)
{
    char what[300], sp[320];
    const struct cs_ynode *md, *spec, *v;

    h->line = obj->line;
    h->col = obj->col;
    if (cs_ymap_check_keys(obj, hpa_keys, "HorizontalPodAutoscaler", l->err) <
        0)
        return CS_EINVAL;
    md = cs_ymap_require(obj, "metadata", "HorizontalPodAutoscaler", l->err);
    if (md == NULL ||
        cs_ymap_check_keys(md, ld_meta_keys, "HorizontalPodAutoscaler.metadata",
                           l->err) < 0 ||
        ld_str_field(l, md, "name", "HorizontalPodAutoscaler.metadata",
                     &h->spec.name) < 0)
        return CS_EINVAL;
    snprintf(what, sizeof(what), "HorizontalPodAutoscaler %s", h->spec.name);
    for (int i = 0; i < l->sc->nhpas; i++)
        if (strcmp(l->sc->hpas[i].spec.name, h->spec.name) == 0)
            return ld_fail(l, cs_ymap_get(md, "name"),
                           "duplicate HorizontalPodAutoscaler \"%s\"",
                           h->spec.name);
    cs_ypath(sp, sizeof(sp), what, "spec");
    spec = cs_ymap_require(obj, "spec", what, l->err);
    if (spec == NULL || cs_ymap_check_keys(spec, spec_keys, sp, l->err) < 0 ||
        target_ref(l, spec, sp, h) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(spec, "metrics")) != NULL) {
        char fp[340];

        if (metrics(l, v, cs_ypath(fp, sizeof(fp), sp, "metrics"), h) < 0)
            return CS_EINVAL;
    } else {
        h->feeds = ld_alloc(l, sizeof(*h->feeds));
        if (h->feeds == NULL)
            return CS_ENOMEM;
        h->feeds[0].workload = h->workload;
    }
    if (replicas(l, spec, sp, h) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(spec, "behavior")) != NULL) {
        char fp[340];

        if (behavior(l, v, cs_ypath(fp, sizeof(fp), sp, "behavior"), &h->spec) <
            0)
            return CS_EINVAL;
    }
    l->sc->nhpas++;
    return 0;
}
