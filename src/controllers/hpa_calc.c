/*
 * hpa_calc.c - pod classification and the per-metric replica calculators of
 * the HPA (HPA_SPEC.md §3, upstream replica_calculator.go).
 *
 * Design. The upstream calculator builds a map of samples, deletes the
 * samples of ignored and unready pods, computes a ratio, then writes assumed
 * values for missing (and, on a scale-up, unready) pods into the map and
 * computes the ratio again. Here the map is never materialised: a pod's
 * class is a pure function of the pod (cs_hpa_pod_classify), so each phase
 * is one walk over the pod array that adds to running sums (struct acc).
 * Samples with no pod ("superfluous") only count in `len`, as in upstream,
 * where they stay in the map but have no request entry.
 *
 * Invariants:
 *   1. acc.len counts every sample the upstream map would hold: ready pods,
 *      filled-in pods and superfluous samples; acc.count counts those of
 *      them that have a request (the utilization sums).
 *   2. Sums saturate at INT64_MAX instead of wrapping; replica counts go
 *      through cs_hpa_ceil_i32, never through a bare cast.
 *   3. No allocation; every failure leaves a message in out->error.
 */
#include "controllers/hpa.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Running sums over the samples a calculation uses (invariant 1). */
struct acc {
    int64_t usage;   /* milli, samples of pods with a request */
    int64_t request; /* milli */
    int64_t count;   /* samples with a request */
    int64_t sum;     /* milli, every sample (plain metrics) */
    int64_t len;     /* every sample */
};

int32_t cs_hpa_ceil_i32(double x)
{
    double c = ceil(x);

    if (isnan(c))
        return 0;
    if (c >= (double)INT32_MAX)
        return INT32_MAX;
    if (c <= (double)INT32_MIN)
        return INT32_MIN;
    return (int32_t)c;
}

int64_t cs_hpa_ceil_i64(double x)
{
    double c = ceil(x);

    if (isnan(c))
        return 0;
    /* 2^63 is exactly representable; anything at or above it saturates. */
    if (c >= 9223372036854775808.0)
        return INT64_MAX;
    if (c <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)c;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

/* a * b / c for non-negative a, b and positive c; INT64_MAX when a * b
 * does not fit (only reachable with absurd quantities). */
static int64_t mul_div(int64_t a, int64_t b, int64_t c)
{
    if (b != 0 && a > INT64_MAX / b)
        return INT64_MAX;
    return a * b / c;
}

static bool is_cpu(const char *resource)
{
    return resource != NULL && strcmp(resource, "cpu") == 0;
}

static const char *str_or(const char *s, const char *dflt)
{
    return s != NULL ? s : dflt;
}

static int fail(struct cs_hpa_calc *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail(struct cs_hpa_calc *out, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out->error, sizeof(out->error), fmt, ap);
    va_end(ap);
    return CS_EMETRIC;
}

static void calc_reset(struct cs_hpa_calc *out)
{
    out->replicas = 0;
    out->has_utilization = false;
    out->utilization = 0;
    out->raw = 0;
    out->error[0] = '\0';
}

/* ---------------------------------------------------------------------- */
/* groupPods                                                              */
/* ---------------------------------------------------------------------- */

enum cs_hpa_pod_class cs_hpa_pod_classify(const struct cs_hpa_config *cfg,
                                          cs_time_ms now,
                                          const struct cs_hpa_pod *p, bool cpu)
{
    if (p->deleted || p->phase == CS_HPA_POD_FAILED)
        return CS_HPA_CLASS_IGNORED;
    if (p->phase == CS_HPA_POD_PENDING)
        return CS_HPA_CLASS_UNREADY;
    if (!p->has_sample)
        return CS_HPA_CLASS_MISSING;
    if (!cpu)
        return CS_HPA_CLASS_READY;
    if (p->ready == CS_HPA_READY_NONE || !p->has_start)
        return CS_HPA_CLASS_UNREADY;
    if (p->start + cfg->cpu_init_period > now) {
        /* Initializing: the sample must cover a full window after the last
         * readiness change. */
        if (p->ready == CS_HPA_READY_FALSE ||
            p->sample_time < p->ready_transition + p->sample_window)
            return CS_HPA_CLASS_UNREADY;
        return CS_HPA_CLASS_READY;
    }
    /* Initialized: only a pod that went unready within the initial delay
     * and never became ready is excluded. */
    if (p->ready == CS_HPA_READY_FALSE &&
        p->start + cfg->readiness_delay > p->ready_transition)
        return CS_HPA_CLASS_UNREADY;
    return CS_HPA_CLASS_READY;
}

/* Pods an entry stands for (struct cs_hpa_pod.count; 0 means 1). */
static size_t weight(const struct cs_hpa_pod *p)
{
    return p->count > 1 ? p->count : 1;
}

static void group_count(struct cs_hpa_groups *g, enum cs_hpa_pod_class k,
                        size_t w)
{
    switch (k) {
    case CS_HPA_CLASS_READY:
        g->ready += w;
        break;
    case CS_HPA_CLASS_UNREADY:
        g->unready += w;
        break;
    case CS_HPA_CLASS_MISSING:
        g->missing += w;
        break;
    case CS_HPA_CLASS_IGNORED:
        g->ignored += w;
        break;
    }
}

void cs_hpa_group_pods(const struct cs_hpa_config *cfg, cs_time_ms now,
                       const struct cs_hpa_pod *pods, size_t n, bool cpu,
                       struct cs_hpa_groups *g, enum cs_hpa_pod_class *cls)
{
    memset(g, 0, sizeof(*g));
    for (size_t i = 0; i < n; i++) {
        enum cs_hpa_pod_class k = cs_hpa_pod_classify(cfg, now, &pods[i], cpu);

        if (cls != NULL)
            cls[i] = k;
        group_count(g, k, weight(&pods[i]));
    }
}

/* ---------------------------------------------------------------------- */
/* Tolerance and names                                                    */
/* ---------------------------------------------------------------------- */

bool cs_hpa_tolerances_within(const struct cs_hpa_tolerances *t, double ratio)
{
    return (1.0 - t->down) <= ratio && ratio <= (1.0 + t->up);
}

void cs_hpa_tolerances_get(const struct cs_hpa_config *cfg,
                           const struct cs_hpa_spec *spec,
                           struct cs_hpa_tolerances *t)
{
    t->down = cfg->tolerance;
    t->up = cfg->tolerance;
    if (!spec->has_behavior)
        return;
    if (spec->down.has_tolerance)
        t->down = spec->down.tolerance;
    if (spec->up.has_tolerance)
        t->up = spec->up.tolerance;
}

/* Append helper for cs_hpa_metric_write_name (snprintf semantics: the
 * returned length is what the whole text needs). */
struct sbuf {
    char *p;
    size_t n, len;
};

static void sb_put(struct sbuf *b, const char *s)
{
    for (; *s != '\0'; s++, b->len++)
        if (b->len + 1 < b->n)
            b->p[b->len] = *s;
}

static void external_name(struct sbuf *b, const char *name, const char *sel)
{
    sb_put(b, "external metric ");
    sb_put(b, name);
    sb_put(b, "(");
    sb_put(b, sel);
    sb_put(b, ")");
}

/* Called on every pass for every metric, so no printf (STYLE.md point 14). */
int cs_hpa_metric_write_name(const struct cs_hpa_metric_spec *m, char *buf,
                             size_t n)
{
    struct sbuf b = {buf, n, 0};
    const char *res = str_or(m->resource, "");
    const char *name = str_or(m->name, "");
    const char *sel = str_or(m->selector, "<nil>");

    switch (m->source) {
    case CS_HPA_SOURCE_RESOURCE:
    case CS_HPA_SOURCE_CONTAINER_RESOURCE:
        sb_put(&b, res);
        if (m->target_type != CS_HPA_TARGET_UTILIZATION) {
            sb_put(&b, " resource");
            break;
        }
        sb_put(&b, m->source == CS_HPA_SOURCE_RESOURCE ? " " : " container ");
        sb_put(&b, "resource utilization (percentage of request)");
        break;
    case CS_HPA_SOURCE_PODS:
        sb_put(&b, "pods metric ");
        sb_put(&b, name);
        break;
    case CS_HPA_SOURCE_OBJECT:
        if (m->target_type != CS_HPA_TARGET_AVERAGE_VALUE) {
            sb_put(&b, str_or(m->object_kind, ""));
            sb_put(&b, " metric ");
            sb_put(&b, name);
            break;
        }
        external_name(&b, name, sel); /* sic, §3.8: "external" */
        break;
    case CS_HPA_SOURCE_EXTERNAL:
        external_name(&b, name, sel);
        break;
    case CS_HPA_SOURCE_INVALID:
        sb_put(&b, name);
        break;
    }
    if (n > 0)
        buf[b.len < n ? b.len : n - 1] = '\0';
    return (int)b.len;
}

/* ---------------------------------------------------------------------- */
/* Shared pieces of the per-pod calculators                               */
/* ---------------------------------------------------------------------- */

/* v * w, saturating at INT64_MAX (v >= 0 in every caller that matters; a
 * negative product saturates at INT64_MIN). */
static int64_t sat_mul(int64_t v, size_t w)
{
    if (w <= 1)
        return w == 1 ? v : 0;
    if (v > INT64_MAX / (int64_t)w)
        return INT64_MAX;
    if (v < INT64_MIN / (int64_t)w)
        return INT64_MIN;
    return v * (int64_t)w;
}

/* Add `w` identical samples. */
static void acc_add(struct acc *a, int64_t sample, bool has_request,
                    int64_t request, size_t w)
{
    a->sum = sat_add(a->sum, sat_mul(sample, w));
    a->len += (int64_t)w;
    if (!has_request)
        return;
    a->usage = sat_add(a->usage, sat_mul(sample, w));
    a->request = sat_add(a->request, sat_mul(request, w));
    a->count += (int64_t)w;
}

/* Integer utilization percent, (usage * 100) / request as upstream, then
 * int32. Usage beyond INT64_MAX / 100 milli falls back to floating point. */
static int32_t util_percent(int64_t usage, int64_t request)
{
    int64_t pct;

    if (usage <= INT64_MAX / 100)
        pct = usage * 100 / request;
    else
        pct = cs_hpa_ceil_i64(floor((double)usage / (double)request * 100.0));
    return pct > INT32_MAX ? INT32_MAX : (int32_t)pct;
}

/* Fetch checks common to the per-pod calculators. */
static int check_pods(const struct cs_hpa_metric_input *in, const char *what,
                      const char *api, struct cs_hpa_calc *out)
{
    if (in->fetch_failed)
        return fail(out, "%s: %s", what,
                    str_or(in->fetch_error, "metrics API error"));
    if (in->n_extra == 0) {
        size_t i = 0;

        while (i < in->n_pods && !in->pods[i].has_sample)
            i++;
        if (i == in->n_pods)
            return fail(out, "%s: no metrics returned from %s", what, api);
    }
    if (in->n_pods == 0)
        return fail(out, "no pods returned by selector while calculating "
                         "replica count");
    return 0;
}

/* Steps 4-5 of §3.5 after the fill-in: keep current unless the filled-in
 * ratio still points the same way and the count moves that way. */
static int32_t settle(const struct cs_hpa_calc_ctx *c, int32_t current,
                      double ratio, double new_ratio, int64_t len)
{
    int32_t n;

    if (cs_hpa_tolerances_within(&c->tol, new_ratio) ||
        (ratio < 1.0 && new_ratio > 1.0) || (ratio > 1.0 && new_ratio < 1.0))
        return current;
    n = cs_hpa_ceil_i32(new_ratio * (double)len);
    if ((new_ratio < 1.0 && n > current) || (new_ratio > 1.0 && n < current))
        return current;
    return n;
}

/* Step 1: sums over the ready pods plus the superfluous samples. Returns
 * the first pod without a request (or NULL) through *norequest. */
static void sum_ready(const struct cs_hpa_calc_ctx *c,
                      const struct cs_hpa_metric_input *in, bool cpu,
                      struct acc *a, struct cs_hpa_groups *g,
                      const struct cs_hpa_pod **norequest)
{
    memset(a, 0, sizeof(*a));
    memset(g, 0, sizeof(*g));
    *norequest = NULL;
    for (size_t i = 0; i < in->n_pods; i++) {
        const struct cs_hpa_pod *p = &in->pods[i];
        enum cs_hpa_pod_class k = cs_hpa_pod_classify(c->cfg, c->now, p, cpu);

        if (!p->has_request && *norequest == NULL)
            *norequest = p;
        group_count(g, k, weight(p));
        if (k == CS_HPA_CLASS_READY)
            acc_add(a, p->sample, p->has_request, p->request, weight(p));
    }
    for (size_t i = 0; i < in->n_extra; i++)
        acc_add(a, in->extra_samples[i], false, 0, 1);
}

/* Step 3: add the assumed samples. On a scale-down (ratio < 1) a missing
 * pod is assumed at request * down_pct / 100 when down_pct > 0 (utilization)
 * or at down_value (plain metrics); on a scale-up at 0; at ratio 1 it stays
 * out. Unready pods are assumed at 0, and only when scale_up_unready. */
static void fill_in(const struct cs_hpa_calc_ctx *c,
                    const struct cs_hpa_metric_input *in, bool cpu,
                    double ratio, bool scale_up_unready, int64_t down_pct,
                    int64_t down_value, struct acc *a)
{
    for (size_t i = 0; i < in->n_pods; i++) {
        const struct cs_hpa_pod *p = &in->pods[i];
        enum cs_hpa_pod_class k = cs_hpa_pod_classify(c->cfg, c->now, p, cpu);
        int64_t v;

        if (k == CS_HPA_CLASS_MISSING && ratio != 1.0) {
            /* utilization: request * max(100, target) / 100; plain: the
             * target value; both 0 on a scale-up */
            v = down_pct > 0
                    ? mul_div(p->has_request ? p->request : 0, down_pct, 100)
                    : down_value;
            acc_add(a, ratio < 1.0 ? v : 0, p->has_request, p->request,
                    weight(p));
        } else if (k == CS_HPA_CLASS_UNREADY && scale_up_unready) {
            acc_add(a, 0, p->has_request, p->request, weight(p));
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Calculators                                                            */
/* ---------------------------------------------------------------------- */

int cs_hpa_calc_utilization(const struct cs_hpa_calc_ctx *c,
                            const struct cs_hpa_metric_spec *m,
                            const struct cs_hpa_metric_input *in,
                            int32_t replicas, struct cs_hpa_calc *out)
{
    const char *res = str_or(m->resource, "");
    bool cpu = is_cpu(m->resource);
    const struct cs_hpa_pod *norequest;
    struct cs_hpa_groups g;
    struct acc a;
    char what[CS_HPA_NAME_MAX];
    double ratio, new_ratio;
    int rc;

    calc_reset(out);
    if (m->target <= 0 || m->target > INT32_MAX)
        return fail(out, "invalid utilization target %lld",
                    (long long)m->target);
    snprintf(what, sizeof(what), "unable to get metrics for resource %s", res);
    rc = check_pods(in, what, "resource metrics API", out);
    if (rc < 0)
        return rc;
    sum_ready(c, in, cpu, &a, &g, &norequest);
    if (a.len == 0)
        return fail(out, "did not receive metrics for targeted pods (pods "
                         "might be unready)");
    if (norequest != NULL)
        return fail(out, "missing request for %s in pod %s", res,
                    str_or(norequest->name, "(unnamed)"));
    if (a.request == 0)
        return fail(out, "no metrics returned matched known pods");

    out->has_utilization = true;
    out->utilization = util_percent(a.usage, a.request);
    out->raw = a.usage / a.count;
    ratio = (double)out->utilization / (double)m->target;
    bool scale_up_unready = g.unready > 0 && ratio > 1.0;
    if (!scale_up_unready && g.missing == 0) {
        out->replicas = cs_hpa_tolerances_within(&c->tol, ratio)
                            ? replicas
                            : cs_hpa_ceil_i32(ratio * (double)g.ready);
        return 0;
    }
    fill_in(c, in, cpu, ratio, scale_up_unready,
            m->target > 100 ? m->target : 100, 0, &a);
    new_ratio = (double)util_percent(a.usage, a.request) / (double)m->target;
    out->replicas = settle(c, replicas, ratio, new_ratio, a.len);
    return 0;
}

int cs_hpa_calc_average(const struct cs_hpa_calc_ctx *c,
                        const struct cs_hpa_metric_spec *m,
                        const struct cs_hpa_metric_input *in, int32_t replicas,
                        struct cs_hpa_calc *out)
{
    bool resource = m->source == CS_HPA_SOURCE_RESOURCE ||
                    m->source == CS_HPA_SOURCE_CONTAINER_RESOURCE;
    bool cpu = resource && is_cpu(m->resource);
    const struct cs_hpa_pod *norequest;
    struct cs_hpa_groups g;
    struct acc a;
    char what[CS_HPA_NAME_MAX];
    double ratio, new_ratio;
    int rc;

    calc_reset(out);
    if (m->target <= 0)
        return fail(out, "invalid average value target %lld",
                    (long long)m->target);
    if (resource)
        snprintf(what, sizeof(what), "unable to get metrics for resource %s",
                 str_or(m->resource, ""));
    else
        snprintf(what, sizeof(what), "unable to get metric %s",
                 str_or(m->name, ""));
    rc = check_pods(in, what,
                    resource ? "resource metrics API" : "custom metrics API",
                    out);
    if (rc < 0)
        return rc;
    sum_ready(c, in, cpu, &a, &g, &norequest);
    if (a.len == 0)
        return fail(out, "did not receive metrics for targeted pods (pods "
                         "might be unready)");

    out->raw = a.sum / a.len;
    ratio = (double)out->raw / (double)m->target;
    bool scale_up_unready = g.unready > 0 && ratio > 1.0;
    if (!scale_up_unready && g.missing == 0) {
        out->replicas = cs_hpa_tolerances_within(&c->tol, ratio)
                            ? replicas
                            : cs_hpa_ceil_i32(ratio * (double)g.ready);
        return 0;
    }
    fill_in(c, in, cpu, ratio, scale_up_unready, 0, m->target, &a);
    new_ratio = (double)(a.sum / a.len) / (double)m->target;
    out->replicas = settle(c, replicas, ratio, new_ratio, a.len);
    return 0;
}

/* Object/External: the value, or the saturating sum of the series. */
static int sum_values(const struct cs_hpa_metric_spec *m,
                      const struct cs_hpa_metric_input *in,
                      struct cs_hpa_calc *out, int64_t *usage)
{
    bool ext = m->source == CS_HPA_SOURCE_EXTERNAL;
    const char *name = str_or(m->name, "");

    if (in->fetch_failed)
        return fail(out, "unable to get %smetric %s: %s",
                    ext ? "external " : "", name,
                    str_or(in->fetch_error, "metrics API error"));
    if (in->n_values == 0)
        return fail(out,
                    "unable to get %smetric %s: no metrics returned "
                    "from %s metrics API",
                    ext ? "external " : "", name, ext ? "external" : "custom");
    *usage = 0;
    for (size_t i = 0; i < in->n_values; i++)
        *usage = sat_add(*usage, in->values[i]);
    return 0;
}

int cs_hpa_calc_value(const struct cs_hpa_calc_ctx *c,
                      const struct cs_hpa_metric_spec *m,
                      const struct cs_hpa_metric_input *in, int32_t replicas,
                      struct cs_hpa_calc *out)
{
    int64_t usage, ready = 0;
    double ratio;
    int rc;

    calc_reset(out);
    if (m->target <= 0)
        return fail(out, "invalid value target %lld", (long long)m->target);
    rc = sum_values(m, in, out, &usage);
    if (rc < 0)
        return rc;
    out->raw = usage;
    ratio = (double)usage / (double)m->target;
    if (replicas == 0) { /* scale from zero: tolerance does not apply */
        out->replicas = cs_hpa_ceil_i32(ratio);
        return 0;
    }
    if (cs_hpa_tolerances_within(&c->tol, ratio)) {
        out->replicas = replicas;
        return 0;
    }
    if (in->n_pods == 0)
        return fail(out, "unable to calculate ready pods: no pods returned "
                         "by selector while calculating replica count");
    for (size_t i = 0; i < in->n_pods; i++)
        if (in->pods[i].phase == CS_HPA_POD_RUNNING &&
            in->pods[i].ready == CS_HPA_READY_TRUE)
            ready += (int64_t)weight(&in->pods[i]);
    out->replicas = cs_hpa_ceil_i32(ratio * (double)ready);
    return 0;
}

int cs_hpa_calc_per_pod(const struct cs_hpa_calc_ctx *c,
                        const struct cs_hpa_metric_spec *m,
                        const struct cs_hpa_metric_input *in,
                        int32_t status_replicas, struct cs_hpa_calc *out)
{
    int64_t usage;
    double ratio;
    int rc;

    calc_reset(out);
    if (m->target <= 0)
        return fail(out, "invalid average value target %lld",
                    (long long)m->target);
    rc = sum_values(m, in, out, &usage);
    if (rc < 0)
        return rc;
    ratio = (double)usage / ((double)m->target * (double)status_replicas);
    out->replicas = status_replicas;
    if (!cs_hpa_tolerances_within(&c->tol, ratio))
        out->replicas = cs_hpa_ceil_i32((double)usage / (double)m->target);
    out->raw = cs_hpa_ceil_i64((double)usage / (double)status_replicas);
    return 0;
}
