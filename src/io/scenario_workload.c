/*
 * scenario_workload.c - capsim's model of a workload (`workloads.<name>`):
 * how its pods use CPU and memory per request, their start-up and shutdown
 * delays, the load they receive, and which simulated quantity feeds each
 * custom metric. Also `externalMetrics`.
 */
#include "io/scenario_int.h"
#include "io/scenario_load.h"

#include <math.h>
#include <string.h>

int cs_msource_parse(const char *s)
{
    static const struct {
        const char *name;
        int src;
    } t[] = {{"rps", CS_MSRC_RPS},
             {"inflight", CS_MSRC_INFLIGHT},
             {"queue", CS_MSRC_QUEUE},
             {"latency_ms", CS_MSRC_LATENCY_MS},
             {"cpu", CS_MSRC_CPU}};

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strcmp(s, t[i].name) == 0)
            return t[i].src;
    return 0;
}

static int dist_seconds(struct ld *l, const struct cs_ynode *n,
                        const char *what, double *out)
{
    cs_time_ms ms;

    if (cs_yget_duration(n, what, &ms, l->err) < 0)
        return CS_EINVAL;
    *out = (double)ms / 1000.0;
    return 0;
}

static int dist_pair(struct ld *l, const struct cs_ynode *n, const char *what,
                     const char *ka, const char *kb, struct cs_dist *d)
{
    const char *keys[] = {ka, kb, NULL};
    char fp[256];
    const struct cs_ynode *v;

    if (cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(n, ka, what, l->err);
    if (v == NULL ||
        dist_seconds(l, v, cs_ypath(fp, sizeof(fp), what, ka), &d->a) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(n, kb, what, l->err);
    if (v == NULL ||
        dist_seconds(l, v, cs_ypath(fp, sizeof(fp), what, kb), &d->b) < 0)
        return CS_EINVAL;
    return 0;
}

static int dist_empirical(struct ld *l, const struct cs_ynode *n,
                          const char *what, struct cs_dist *d)
{
    char fp[256], ip[256];

    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    if (n->n == 0 || n->n > CS_DIST_EMPIRICAL_MAX)
        return ld_fail(l, n,
                       "%s must hold 1 to %d [value, probability] "
                       "points",
                       what, CS_DIST_EMPIRICAL_MAX);
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *pt = n->items[i];

        cs_ypath_index(fp, sizeof(fp), what, i);
        if (cs_ynode_expect(pt, CS_Y_SEQ, fp, l->err) < 0)
            return CS_EINVAL;
        if (pt->n != 2)
            return ld_fail(l, pt, "%s must be [value, cumulative probability]",
                           fp);
        if (dist_seconds(l, pt->items[0], cs_ypath_index(ip, sizeof(ip), fp, 0),
                         &d->x[i]) < 0 ||
            cs_yget_double(pt->items[1], cs_ypath_index(ip, sizeof(ip), fp, 1),
                           0, 1, &d->p[i], l->err) < 0)
            return CS_EINVAL;
    }
    d->n = n->n;
    return 0;
}

/* A delay: "2s" (constant) or {uniform: [a, b]}, {exponential: mean},
 * {normal: {mean, stddev}}, {lognormal: {median, p95}},
 * {empirical: [[value, cumulative probability], ...]}. */
static int dist(struct ld *l, const struct cs_ynode *n, const char *what,
                struct cs_dist *d)
{
    char fp[256];
    const struct cs_ynode *k, *v;
    int rc;

    memset(d, 0, sizeof(*d));
    if (n->kind == CS_Y_SCALAR) {
        d->kind = CS_DIST_CONST;
        return dist_seconds(l, n, what, &d->a);
    }
    if (n->kind != CS_Y_MAP || n->n != 1)
        return ld_fail(l, n,
                       "%s must be a duration or one of {uniform: [a, b]}, "
                       "{exponential: mean}, {normal: {mean, stddev}}, "
                       "{lognormal: {median, p95}}, {empirical: [...]}",
                       what);
    k = n->items[0];
    v = n->items[1];
    cs_ypath(fp, sizeof(fp), what, k->kind == CS_Y_SCALAR ? k->str : "?");
    if (k->kind == CS_Y_SCALAR && strcmp(k->str, "uniform") == 0) {
        d->kind = CS_DIST_UNIFORM;
        if (cs_ynode_expect(v, CS_Y_SEQ, fp, l->err) < 0)
            return CS_EINVAL;
        if (v->n != 2)
            return ld_fail(l, v, "%s must be [low, high]", fp);
        rc = dist_seconds(l, v->items[0], fp, &d->a) < 0 ||
             dist_seconds(l, v->items[1], fp, &d->b) < 0;
    } else if (k->kind == CS_Y_SCALAR && strcmp(k->str, "exponential") == 0) {
        d->kind = CS_DIST_EXPONENTIAL;
        rc = dist_seconds(l, v, fp, &d->a) < 0;
    } else if (k->kind == CS_Y_SCALAR && strcmp(k->str, "normal") == 0) {
        d->kind = CS_DIST_NORMAL;
        rc = dist_pair(l, v, fp, "mean", "stddev", d) < 0;
    } else if (k->kind == CS_Y_SCALAR && strcmp(k->str, "lognormal") == 0) {
        d->kind = CS_DIST_LOGNORMAL;
        rc = dist_pair(l, v, fp, "median", "p95", d) < 0;
    } else if (k->kind == CS_Y_SCALAR && strcmp(k->str, "empirical") == 0) {
        d->kind = CS_DIST_EMPIRICAL;
        rc = dist_empirical(l, v, fp, d) < 0;
    } else {
        return ld_fail(l, k,
                       "%s: unknown distribution \"%s\" (use uniform, "
                       "exponential, normal, lognormal or empirical)",
                       what, k->kind == CS_Y_SCALAR ? k->str : "?");
    }
    if (rc)
        return CS_EINVAL;
    if (cs_dist_check(d) < 0)
        return ld_fail(l, v, "%s: inconsistent parameters (%s)", fp,
                       cs_dist_explain(d));
    return 0;
}

int ld_dist(struct ld *l, const struct cs_ynode *n, const char *what,
            struct cs_dist *d)
{
    return dist(l, n, what, d);
}

static int startup(struct ld *l, const struct cs_ynode *n, const char *what,
                   struct cs_startup *st)
{
    static const char *const keys[] = {
        "schedule", "imagePull", "containerStart", "warmup", "shutdown", NULL};
    struct cs_dist *slot[] = {&st->schedule, &st->pull, &st->start, &st->warmup,
                              &st->shutdown};
    char fp[256];

    if (cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    for (int i = 0; keys[i] != NULL; i++) {
        const struct cs_ynode *v = cs_ymap_get(n, keys[i]);

        if (v != NULL &&
            dist(l, v, cs_ypath(fp, sizeof(fp), what, keys[i]), slot[i]) < 0)
            return CS_EINVAL;
    }
    return 0;
}

static int metric_map(struct ld *l, const struct cs_ynode *n, const char *what,
                      struct cs_workload *w)
{
    struct cs_kv *kv;

    if (ld_kv_map(l, n, what, &kv, &w->nmetric_map) < 0)
        return CS_EINVAL;
    for (int i = 0; i < w->nmetric_map; i++)
        if (cs_msource_parse(kv[i].value) == 0)
            return ld_fail(l, n->items[2 * i + 1],
                           "%s.%s must be one of rps, inflight, queue, "
                           "latency_ms, cpu; got \"%s\"",
                           what, kv[i].key, kv[i].value);
    w->metric_map = kv;
    return 0;
}

static const char *const model_keys[] = {"container",    "cpuPerRequest",
                                         "idleCpu",      "cpuCapacity",
                                         "memoryBase",   "memoryPerRequest",
                                         "baseLatency",  "timeout",
                                         "startup",      "load",
                                         "metrics",      "slo",
                                         "duration",     "failureProbability",
                                         "memoryGrowth", NULL};

static int quantity_field(struct ld *l, const struct cs_ynode *n,
                          const char *key, const char *what, double *out)
{
    const struct cs_ynode *v = cs_ymap_get(n, key);
    char fp[256];
    int64_t milli;

    if (v == NULL)
        return 0;
    if (cs_yget_quantity_milli(v, cs_ypath(fp, sizeof(fp), what, key), &milli,
                               l->err) < 0)
        return CS_EINVAL;
    *out = (double)milli / 1000.0;
    return 0;
}

static int duration_field(struct ld *l, const struct cs_ynode *n,
                          const char *key, const char *what, double *out)
{
    const struct cs_ynode *v = cs_ymap_get(n, key);
    char fp[256];

    if (v == NULL)
        return 0;
    return dist_seconds(l, v, cs_ypath(fp, sizeof(fp), what, key), out);
}

static int serving_container(struct ld *l, const struct cs_ynode *n,
                             const char *what, struct cs_workload *w)
{
    const struct cs_ynode *v = cs_ymap_get(n, "container");
    const struct cs_container *c;
    const char *name;
    char fp[256];

    if (v != NULL) {
        if (cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "container"),
                           &name, l->err) < 0)
            return CS_EINVAL;
        w->serving_container = -1;
        for (int i = 0; i < w->spec.ncontainers; i++)
            if (strcmp(w->spec.c[i].name, name) == 0)
                w->serving_container = i;
        if (w->serving_container < 0)
            return ld_fail(l, v, "%s: Deployment %s has no container \"%s\"",
                           fp, w->name, name);
    }
    c = &w->spec.c[w->serving_container];
    if (c->lim_set & (1u << CS_RES_CPU))
        w->svc.cpu_capacity = c->lim.v[CS_RES_CPU] / 1000.0;
    return 0;
}

/* memoryGrowth: bytes per hour of container uptime (a leak), kept per
 * second. */
static int memory_growth(struct ld *l, const struct cs_ynode *n,
                         const char *what, struct cs_workload *w)
{
    double per_hour = 0;

    if (cs_ymap_get(n, "memoryGrowth") == NULL)
        return 0;
    if (quantity_field(l, n, "memoryGrowth", what, &per_hour) < 0)
        return CS_EINVAL;
    w->svc.mem_growth = per_hour / 3600.0;
    return 0;
}

/* slo: {latencyP95: 500ms}: the objective the summary measures against. */
static int slo(struct ld *l, const struct cs_ynode *n, const char *what,
               struct cs_workload *w)
{
    static const char *const keys[] = {"latencyP95", NULL};
    char fp[256];
    const struct cs_ynode *v;
    cs_time_ms ms;

    if (cs_ynode_expect(n, CS_Y_MAP, what, l->err) < 0 ||
        cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(n, "latencyP95", what, l->err);
    if (v == NULL ||
        cs_yget_duration(v, cs_ypath(fp, sizeof(fp), what, "latencyP95"), &ms,
                         l->err) < 0)
        return CS_EINVAL;
    if (ms <= 0)
        return ld_fail(l, v, "%s must be positive", fp);
    w->slo_s = (double)ms / 1000.0;
    return 0;
}

/* duration and failureProbability: the work of a batch CronJob's pods. */
static int job_model(struct ld *l, const struct cs_ynode *n, const char *what,
                     struct cs_workload *w)
{
    const struct cs_ynode *d = cs_ymap_get(n, "duration");
    const struct cs_ynode *f = cs_ymap_get(n, "failureProbability");
    char fp[256];

    if (!w->is_job && (d != NULL || f != NULL))
        return ld_fail(l, d != NULL ? d : f,
                       "%s.%s: only a batch CronJob's pods have a run time "
                       "and a failure probability (%s is a Deployment)",
                       what, d != NULL ? "duration" : "failureProbability",
                       w->name);
    if (d != NULL && dist(l, d, cs_ypath(fp, sizeof(fp), what, "duration"),
                          &w->job.duration) < 0)
        return CS_EINVAL;
    if (f != NULL &&
        cs_yget_double(f, cs_ypath(fp, sizeof(fp), what, "failureProbability"),
                       0, 1, &w->job.failure_p, l->err) < 0)
        return CS_EINVAL;
    return 0;
}

int ld_workload_model(struct ld *l, const struct cs_ynode *n, const char *what,
                      struct cs_workload *w)
{
    char fp[256];
    const struct cs_ynode *v;

    if (cs_ymap_check_keys(n, model_keys, what, l->err) < 0 ||
        serving_container(l, n, what, w) < 0 ||
        duration_field(l, n, "cpuPerRequest", what, &w->svc.cpu_s) < 0 ||
        quantity_field(l, n, "idleCpu", what, &w->svc.idle_cpu) < 0 ||
        quantity_field(l, n, "cpuCapacity", what, &w->svc.cpu_capacity) < 0 ||
        quantity_field(l, n, "memoryBase", what, &w->svc.mem_base) < 0 ||
        quantity_field(l, n, "memoryPerRequest", what,
                       &w->svc.mem_per_inflight) < 0 ||
        duration_field(l, n, "baseLatency", what, &w->svc.base_latency_s) < 0 ||
        duration_field(l, n, "timeout", what, &w->svc.timeout_s) < 0 ||
        memory_growth(l, n, what, w) < 0)
        return CS_EINVAL;
    if (w->svc.cpu_s <= 0)
        return ld_fail(l, cs_ymap_get(n, "cpuPerRequest"),
                       "%s.cpuPerRequest must be positive", what);
    if (w->svc.idle_cpu >= w->svc.cpu_capacity) {
        /* at the field the user wrote, not at the whole entry */
        const struct cs_ynode *at = cs_ymap_get(n, "idleCpu");

        if (at == NULL)
            at = cs_ymap_get(n, "cpuCapacity");
        return ld_fail(l, at != NULL ? at : n,
                       "%s: idleCpu (%g) must be below the pod's CPU capacity "
                       "(%g cores: its limit, or cpuCapacity)",
                       what, w->svc.idle_cpu, w->svc.cpu_capacity);
    }
    if (job_model(l, n, what, w) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "startup")) != NULL &&
        startup(l, v, cs_ypath(fp, sizeof(fp), what, "startup"), &w->startup) <
            0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "load")) != NULL &&
        ld_load(l, v, cs_ypath(fp, sizeof(fp), what, "load"), &w->load_spec) <
            0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "metrics")) != NULL &&
        metric_map(l, v, cs_ypath(fp, sizeof(fp), what, "metrics"), w) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "slo")) != NULL &&
        slo(l, v, cs_ypath(fp, sizeof(fp), what, "slo"), w) < 0)
        return CS_EINVAL;
    return 0;
}

int ld_external_metrics(struct ld *l, const struct cs_ynode *n)
{
    static const char *const keys[] = {"workload", "value", "delay", "window",
                                       NULL};
    char path[256], fp[256];
    struct cs_scenario *sc = l->sc;

    if (cs_ynode_expect(n, CS_Y_MAP, "externalMetrics", l->err) < 0)
        return CS_EINVAL;
    sc->ext = ld_alloc(l, (n->n ? n->n : 1) * sizeof(*sc->ext));
    if (sc->ext == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *m = n->items[2 * i + 1], *v;
        struct cs_ext_metric *e = &sc->ext[i];
        const char *s;

        if (cs_yget_string(n->items[2 * i], "externalMetrics", &e->name,
                           l->err) < 0)
            return CS_EINVAL;
        cs_ypath(path, sizeof(path), "externalMetrics", e->name);
        if (cs_ymap_check_keys(m, keys, path, l->err) < 0)
            return CS_EINVAL;
        v = cs_ymap_require(m, "workload", path, l->err);
        if (v == NULL ||
            cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "workload"), &s,
                           l->err) < 0)
            return CS_EINVAL;
        e->workload = ld_find_workload(l, s);
        if (e->workload < 0)
            return ld_fail(l, v, "%s: no Deployment named \"%s\"", fp, s);
        v = cs_ymap_require(m, "value", path, l->err);
        if (v == NULL ||
            cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "value"), &s,
                           l->err) < 0)
            return CS_EINVAL;
        e->source = cs_msource_parse(s);
        if (e->source == 0)
            return ld_fail(l, v,
                           "%s must be one of rps, inflight, queue, "
                           "latency_ms, cpu; got \"%s\"",
                           fp, s);
        if ((v = cs_ymap_get(m, "delay")) != NULL &&
            cs_yget_duration(v, cs_ypath(fp, sizeof(fp), path, "delay"),
                             &e->delay, l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(m, "window")) != NULL &&
            cs_yget_duration(v, cs_ypath(fp, sizeof(fp), path, "window"),
                             &e->window, l->err) < 0)
            return CS_EINVAL;
    }
    sc->next = (int)n->n;
    return 0;
}
