/*
 * hpa_reconcile.c - one pass of the HPA controller over one HPA
 * (reconcileAutoscaler and computeReplicasForMetrics; HPA_SPEC.md §2, §4,
 * §7).
 *
 * Design. A pass reads plain data (spec, the scale subresource, one fetched
 * input per metric), updates the per-HPA memory (histories, conditions,
 * lastScaleTime) and writes everything the caller needs into a
 * caller-owned result: the count to apply, the three conditions, the
 * events, and each metric's current value. Upstream side effects map to:
 *
 *   scale read fails ....... AbleToScale=False/FailedGetScale, stop
 *   history seed ........... first pass only (st->seeded)
 *   spec == 0, min != 0 .... ScalingActive=False/ScalingDisabled, no scale
 *   spec > max / < min ..... jump to max / min, no metrics
 *   otherwise .............. metrics (§4) -> normalize (§5 or §6)
 *   desired != current ..... write the scale: SucceededRescale + event +
 *                            scale-event history, or FailedUpdateScale
 *
 * Invariants:
 *   1. out->conditions equals st->cond at the end of every pass.
 *   2. A condition's last_transition changes only when its status changes.
 *   3. out->desired_replicas == out->current_replicas unless out->rescale.
 */
#include "controllers/hpa.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

static const struct cs_hpa_metric_spec default_metric = {
    .source = CS_HPA_SOURCE_RESOURCE,
    .resource = "cpu",
    .target_type = CS_HPA_TARGET_UTILIZATION,
    .target = 80,
};

/* Everything one pass carries around. */
struct pass {
    const struct cs_hpa_config *cfg;
    const struct cs_hpa_spec *spec;
    struct cs_hpa_state *st;
    cs_time_ms now;
    const struct cs_hpa_scale *scale;
    struct cs_hpa_result *out;
    struct cs_hpa_rules up, down; /* defaulted behavior */
};

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

size_t cs_hpa_spec_metric_count(const struct cs_hpa_spec *spec)
{
    return spec->n_metrics > 0 ? spec->n_metrics : 1;
}

const struct cs_hpa_metric_spec *
cs_hpa_spec_metric(const struct cs_hpa_spec *spec, size_t i)
{
    return spec->n_metrics > 0 ? &spec->metrics[i] : &default_metric;
}

const char *cs_hpa_cond_type_name(enum cs_hpa_cond_type t)
{
    switch (t) {
    case CS_HPA_COND_ABLE_TO_SCALE:
        return "AbleToScale";
    case CS_HPA_COND_SCALING_ACTIVE:
        return "ScalingActive";
    case CS_HPA_COND_SCALING_LIMITED:
        return "ScalingLimited";
    case CS_HPA_COND_COUNT:
        break;
    }
    return "?";
}

const char *cs_hpa_cond_status_name(enum cs_hpa_cond_status s)
{
    switch (s) {
    case CS_HPA_COND_TRUE:
        return "True";
    case CS_HPA_COND_FALSE:
        return "False";
    case CS_HPA_COND_UNKNOWN:
        return "Unknown";
    case CS_HPA_COND_UNSET:
        break;
    }
    return "";
}

/* vsnprintf for the formats of this file, which use only %s and %d: a pass
 * formats several messages, and vsnprintf would be the largest cost of a
 * pass (STYLE.md point 14). Any other conversion falls back to vsnprintf;
 * the output is identical either way. */
static void put_chunk(char *buf, size_t n, size_t *len, const char *s, size_t k)
{
    if (*len + k >= n)
        k = n - 1 - *len;
    memcpy(buf + *len, s, k);
    *len += k;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 0)))
#endif
static void
vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
    size_t len = 0;
    const char *f, *pct;
    va_list aq;

    va_copy(aq, ap);
    for (f = fmt; (pct = strchr(f, '%')) != NULL; f = pct + 2) {
        char num[16];
        const char *s;

        if (pct[1] != 's' && pct[1] != 'd') {
            /* not ours: start again from the untouched ap */
            va_end(aq);
            vsnprintf(buf, n, fmt, ap);
            return;
        }
        put_chunk(buf, n, &len, f, (size_t)(pct - f));
        if (pct[1] == 's') {
            s = va_arg(aq, const char *);
        } else {
            int v = va_arg(aq, int);
            unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
            size_t k = sizeof(num) - 1;

            num[k] = '\0';
            do {
                num[--k] = (char)('0' + u % 10);
                u /= 10;
            } while (u != 0);
            if (v < 0)
                num[--k] = '-';
            s = num + k;
        }
        put_chunk(buf, n, &len, s, strlen(s));
    }
    put_chunk(buf, n, &len, f, strlen(f));
    va_end(aq);
    buf[len] = '\0';
}

static void msgf(char msg[CS_HPA_MSG_MAX], const char *fmt, ...)
    PRINTF_LIKE(2, 3);

/* Format into a CS_HPA_MSG_MAX buffer; long texts are cut, on purpose. */
static void msgf(char msg[CS_HPA_MSG_MAX], const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vformat(msg, CS_HPA_MSG_MAX, fmt, ap);
    va_end(ap);
}

static void set_cond(struct pass *p, enum cs_hpa_cond_type t,
                     enum cs_hpa_cond_status s, const char *reason,
                     const char *fmt, ...) PRINTF_LIKE(5, 6);

/* setCondition: reason and message always, transition time on change. */
static void set_cond(struct pass *p, enum cs_hpa_cond_type t,
                     enum cs_hpa_cond_status s, const char *reason,
                     const char *fmt, ...)
{
    struct cs_hpa_condition *c = &p->st->cond[t];
    va_list ap;

    if (c->status != s)
        c->last_transition = p->now;
    c->status = s;
    c->reason = reason;
    va_start(ap, fmt);
    vformat(c->message, sizeof(c->message), fmt, ap);
    va_end(ap);
}

static void add_event(struct pass *p, enum cs_hpa_event_type type,
                      const char *reason, const char *fmt, ...)
    PRINTF_LIKE(4, 5);

static void add_event(struct pass *p, enum cs_hpa_event_type type,
                      const char *reason, const char *fmt, ...)
{
    struct cs_hpa_result *out = p->out;
    struct cs_hpa_event *e;
    va_list ap;

    if (out->n_events == CS_HPA_MAX_EVENTS) {
        out->n_events_dropped++;
        return;
    }
    e = &out->events[out->n_events++];
    e->type = type;
    e->reason = reason;
    va_start(ap, fmt);
    vformat(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------------- */
/* §4 metrics                                                             */
/* ---------------------------------------------------------------------- */

/* ScalingActive reason (and event reason) of a failure of metric m. */
static const char *fail_reason(const struct cs_hpa_metric_spec *m)
{
    switch (m->source) {
    case CS_HPA_SOURCE_RESOURCE:
        return "FailedGetResourceMetric";
    case CS_HPA_SOURCE_CONTAINER_RESOURCE:
        return "FailedGetContainerResourceMetric";
    case CS_HPA_SOURCE_PODS:
        return "FailedGetPodsMetric";
    case CS_HPA_SOURCE_OBJECT:
        return "FailedGetObjectMetric";
    case CS_HPA_SOURCE_EXTERNAL:
        return "FailedGetExternalMetric";
    case CS_HPA_SOURCE_INVALID:
        break;
    }
    return "InvalidMetricSourceType";
}

/* Run the calculator metric m calls for (computeReplicasForMetric). */
static int dispatch(const struct pass *p, const struct cs_hpa_calc_ctx *c,
                    const struct cs_hpa_metric_spec *m,
                    const struct cs_hpa_metric_input *in,
                    struct cs_hpa_calc *calc)
{
    int32_t spec_r = p->scale->spec_replicas;
    bool value = m->target_type == CS_HPA_TARGET_VALUE;
    bool avg = m->target_type == CS_HPA_TARGET_AVERAGE_VALUE;
    const char *what = "";

    switch (m->source) {
    case CS_HPA_SOURCE_RESOURCE:
    case CS_HPA_SOURCE_CONTAINER_RESOURCE:
        if (m->target_type == CS_HPA_TARGET_UTILIZATION)
            return cs_hpa_calc_utilization(c, m, in, spec_r, calc);
        if (avg)
            return cs_hpa_calc_average(c, m, in, spec_r, calc);
        what = "resource metric source: neither a utilization target nor a "
               "value target was set";
        break;
    case CS_HPA_SOURCE_PODS:
        if (avg)
            return cs_hpa_calc_average(c, m, in, spec_r, calc);
        what = "pods metric source: the target must be an average value";
        break;
    case CS_HPA_SOURCE_OBJECT:
    case CS_HPA_SOURCE_EXTERNAL:
        if (value)
            return cs_hpa_calc_value(c, m, in, spec_r, calc);
        if (avg)
            return cs_hpa_calc_per_pod(c, m, in, p->scale->status_replicas,
                                       calc);
        what = m->source == CS_HPA_SOURCE_OBJECT
                   ? "object metric source: neither a value target nor an "
                     "average value target was set"
                   : "external metric source: neither a value target nor "
                     "an average value target was set";
        break;
    case CS_HPA_SOURCE_INVALID:
        snprintf(calc->error, sizeof(calc->error),
                 "unknown metric source type \"%s\"",
                 m->name != NULL ? m->name : "");
        return CS_EMETRIC;
    }
    snprintf(calc->error, sizeof(calc->error), "invalid %s", what);
    return CS_EMETRIC;
}

/* Evaluate metric i into out->metrics[i]; on failure wrap the error the
 * way upstream reports it and emit the per-metric Warning event. */
static int eval_metric(struct pass *p, const struct cs_hpa_calc_ctx *c,
                       size_t i, const struct cs_hpa_metric_input *in)
{
    const struct cs_hpa_metric_spec *m = cs_hpa_spec_metric(p->spec, i);
    struct cs_hpa_metric_status *ms = &p->out->metrics[i];
    char raw[CS_HPA_MSG_MAX];
    const char *res = m->resource != NULL ? m->resource : "";
    const char *name = m->name != NULL ? m->name : "";

    if (p->st->name_of[i] != m) {
        cs_hpa_metric_write_name(m, p->st->names[i], CS_HPA_NAME_MAX);
        p->st->name_of[i] = m;
    }
    memcpy(ms->name, p->st->names[i], strlen(p->st->names[i]) + 1);
    ms->fail_reason = NULL;
    ms->rc = dispatch(p, c, m, in, &ms->calc);
    if (ms->rc == 0)
        return 0;
    ms->fail_reason = fail_reason(m);
    memcpy(raw, ms->calc.error, sizeof(raw));
    switch (m->source) {
    case CS_HPA_SOURCE_RESOURCE:
    case CS_HPA_SOURCE_CONTAINER_RESOURCE:
        msgf(ms->calc.error, "failed to get %s utilization: %s", res, raw);
        break;
    case CS_HPA_SOURCE_PODS:
        msgf(ms->calc.error, "failed to get pods metric value: %s", raw);
        break;
    case CS_HPA_SOURCE_OBJECT:
        msgf(ms->calc.error, "failed to get object metric value: %s", raw);
        break;
    case CS_HPA_SOURCE_EXTERNAL:
        msgf(ms->calc.error, "failed to get external metric %s: %s", name, raw);
        break;
    case CS_HPA_SOURCE_INVALID:
        break;
    }
    add_event(p, CS_HPA_EVENT_WARNING, ms->fail_reason, "%s", ms->calc.error);
    return ms->rc;
}

/* validateAndParseSelector; false (with event and condition) if invalid. */
static bool selector_ok(struct pass *p, char *err, size_t n)
{
    const struct cs_hpa_scale *s = p->scale;
    const char *sel = s->selector != NULL ? s->selector : "";

    switch (s->selector_state) {
    case CS_HPA_SELECTOR_OK:
        return true;
    case CS_HPA_SELECTOR_MISSING:
        snprintf(err, n, "selector is required");
        add_event(p, CS_HPA_EVENT_WARNING, "SelectorRequired", "%s", err);
        set_cond(p, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                 "InvalidSelector",
                 "the HPA target's scale is missing a selector");
        return false;
    case CS_HPA_SELECTOR_INVALID:
        snprintf(err, n,
                 "couldn't convert selector into a corresponding internal "
                 "selector object: %s",
                 sel);
        add_event(p, CS_HPA_EVENT_WARNING, "InvalidSelector", "%s", err);
        set_cond(p, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                 "InvalidSelector", "%s", err);
        return false;
    case CS_HPA_SELECTOR_AMBIGUOUS:
        snprintf(err, n,
                 "pods by selector %s are controlled by multiple HPAs: %s", sel,
                 s->selector_hpas != NULL ? s->selector_hpas : "[]");
        add_event(p, CS_HPA_EVENT_WARNING, "AmbiguousSelector", "%s", err);
        set_cond(p, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                 "AmbiguousSelector", "%s", err);
        return false;
    }
    return true;
}

/* computeReplicasForMetrics: the max over valid proposals, or -1 (with the
 * error text in err) when the pass must not scale. *best_i is the metric
 * that produced the max. */
static int32_t compute_metrics(struct pass *p,
                               const struct cs_hpa_metric_input *inputs,
                               size_t *best_i, char *err, size_t n)
{
    size_t count = cs_hpa_spec_metric_count(p->spec), invalid = 0, first = 0;
    struct cs_hpa_calc_ctx c = {p->cfg, p->now, {0, 0}};
    int32_t best = 0;

    if (!selector_ok(p, err, n))
        return -1;
    cs_hpa_tolerances_get(p->cfg, p->spec, &c.tol);
    p->out->n_metrics = count;
    for (size_t i = 0; i < count; i++) {
        int32_t r;

        if (eval_metric(p, &c, i, &inputs[i]) < 0) {
            if (invalid++ == 0)
                first = i;
            continue;
        }
        r = p->out->metrics[i].calc.replicas;
        if (best == 0 || r > best) {
            best = r;
            *best_i = i;
        }
    }
    if (invalid >= count || (invalid > 0 && best < p->scale->spec_replicas)) {
        const struct cs_hpa_metric_status *f = &p->out->metrics[first];

        set_cond(p, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                 f->fail_reason,
                 "the HPA was unable to compute the replica count: %s",
                 f->calc.error);
        snprintf(err, n,
                 "invalid metrics (%zu invalid out of %zu), first "
                 "error is: %s",
                 invalid, count, f->calc.error);
        return -1;
    }
    set_cond(p, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_TRUE,
             "ValidMetricFound",
             "the HPA was able to successfully calculate a replica count "
             "from %s",
             p->out->metrics[*best_i].name);
    return best;
}

/* ---------------------------------------------------------------------- */
/* §2 the pass                                                            */
/* ---------------------------------------------------------------------- */

/* The metric branch: proposal, reason and normalization. Returns the
 * desired count (current when the pass must not scale) and a CS_ENOMEM
 * from the history through *rc. */
static int32_t metric_branch(struct pass *p,
                             const struct cs_hpa_metric_input *inputs,
                             int32_t min_r, int *rc)
{
    int32_t current = p->scale->spec_replicas, pre;
    struct cs_hpa_normalized nz;
    char err[CS_HPA_MSG_MAX];
    size_t best_i = 0;

    pre = compute_metrics(p, inputs, &best_i, err, sizeof(err));
    if (pre < 0) {
        add_event(p, CS_HPA_EVENT_WARNING, "FailedComputeMetricsReplicas", "%s",
                  err);
        return current;
    }
    p->out->prenormalized = pre;
    if (pre > current)
        snprintf(p->out->reason, sizeof(p->out->reason), "%s above target",
                 p->out->metrics[best_i].name);
    else if (pre < current)
        snprintf(p->out->reason, sizeof(p->out->reason),
                 "All metrics below target");
    if (p->spec->has_behavior)
        *rc = cs_hpa_normalize_behavior(p->cfg, p->st, &p->up, &p->down, p->now,
                                        current, pre, min_r,
                                        p->spec->max_replicas, &nz);
    else
        *rc = cs_hpa_normalize_legacy(p->cfg, p->st, p->now, current, pre,
                                      min_r, p->spec->max_replicas, &nz);
    set_cond(p, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_TRUE, nz.able_reason,
             "%s", nz.able_message);
    set_cond(p, CS_HPA_COND_SCALING_LIMITED,
             nz.limited ? CS_HPA_COND_TRUE : CS_HPA_COND_FALSE, nz.limit.reason,
             "%s", nz.limit.message);
    return nz.desired;
}

/* Write the scale (step 5). Returns 0 or CS_ENOMEM from the history. */
static int write_scale(struct pass *p, int32_t desired)
{
    struct cs_hpa_result *out = p->out;
    int32_t current = p->scale->spec_replicas;

    if (p->scale->update_error != NULL) {
        add_event(p, CS_HPA_EVENT_WARNING, "FailedRescale",
                  "New size: %d; reason: %s; error: %s", (int)desired,
                  out->reason, p->scale->update_error);
        set_cond(p, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_FALSE,
                 "FailedUpdateScale",
                 "the HPA controller was unable to update the target scale: "
                 "%s",
                 p->scale->update_error);
        return 0;
    }
    set_cond(p, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_TRUE, "SucceededRescale",
             "the HPA controller was able to update the target scale to %d",
             (int)desired);
    add_event(p, CS_HPA_EVENT_NORMAL, "SuccessfulRescale",
              "New size: %d; reason: %s", (int)desired, out->reason);
    out->rescale = true;
    out->desired_replicas = desired;
    p->st->has_last_scale = true;
    p->st->last_scale_time = p->now;
    if (!p->spec->has_behavior)
        return 0;
    return cs_hpa_state_store_scale(p->st, &p->up, &p->down, p->now, current,
                                    desired);
}

static void result_reset(struct cs_hpa_result *out, int32_t current)
{
    out->current_replicas = current;
    out->prenormalized = -1;
    out->desired_replicas = current;
    out->rescale = false;
    out->reason[0] = '\0';
    out->n_metrics = 0;
    out->n_events = 0;
    out->n_events_dropped = 0;
}

static void pass_init(struct pass *p, const struct cs_hpa_config *cfg,
                      const struct cs_hpa_spec *spec, struct cs_hpa_state *st,
                      cs_time_ms now, const struct cs_hpa_scale *scale,
                      struct cs_hpa_result *out)
{
    p->cfg = cfg;
    p->spec = spec;
    p->st = st;
    p->now = now;
    p->scale = scale;
    p->out = out;
    p->up = spec->up;
    p->down = spec->down;
    cs_hpa_rules_default_up(&p->up);
    cs_hpa_rules_default_down(&p->down);
}

int cs_hpa_reconcile_scale(const struct cs_hpa_config *cfg,
                           const struct cs_hpa_spec *spec,
                           struct cs_hpa_state *st, cs_time_ms now,
                           const struct cs_hpa_scale *scale,
                           const struct cs_hpa_metric_input *inputs,
                           struct cs_hpa_result *out)
{
    int32_t current = scale->spec_replicas, desired = current;
    int32_t min_r = spec->has_min ? spec->min_replicas : 1;
    struct pass p;
    int rc = 0, rc2 = 0;

    if (cs_hpa_spec_metric_count(spec) > CS_HPA_MAX_METRICS)
        return CS_EINVAL;
    pass_init(&p, cfg, spec, st, now, scale, out);
    result_reset(out, current);
    if (scale->get_error != NULL) {
        add_event(&p, CS_HPA_EVENT_WARNING, "FailedGetScale", "%s",
                  scale->get_error);
        set_cond(&p, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_FALSE,
                 "FailedGetScale",
                 "the HPA controller was unable to get the target's current "
                 "scale: %s",
                 scale->get_error);
        memcpy(out->conditions, st->cond, sizeof(out->conditions));
        return 0;
    }
    set_cond(&p, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_TRUE,
             "SucceededGetScale",
             "the HPA controller was able to get the target's current scale");
    if (!st->seeded)
        rc = cs_hpa_state_add_recommendation(st, now, current);

    if (current == 0 && min_r != 0) {
        set_cond(&p, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                 "ScalingDisabled",
                 "scaling is disabled since the replica count of the target "
                 "is zero");
    } else if (current > spec->max_replicas) {
        snprintf(out->reason, sizeof(out->reason),
                 "Current number of replicas above Spec.MaxReplicas");
        desired = spec->max_replicas;
    } else if (current < min_r) {
        snprintf(out->reason, sizeof(out->reason),
                 "Current number of replicas below Spec.MinReplicas");
        desired = min_r;
    } else {
        desired = metric_branch(&p, inputs, min_r, &rc2);
    }
    if (desired != current) {
        int rc3 = write_scale(&p, desired);

        rc2 = rc2 < 0 ? rc2 : rc3;
    }
    memcpy(out->conditions, st->cond, sizeof(out->conditions));
    assert(cs_hpa_state_check(st));
    return rc < 0 ? rc : rc2;
}

int cs_hpa_reconcile(const struct cs_hpa_config *cfg,
                     const struct cs_hpa_spec *spec, struct cs_hpa_state *st,
                     cs_time_ms now, int32_t spec_replicas,
                     int32_t status_replicas,
                     const struct cs_hpa_metric_input *inputs,
                     struct cs_hpa_result *out)
{
    struct cs_hpa_scale scale = {.spec_replicas = spec_replicas,
                                 .status_replicas = status_replicas};

    return cs_hpa_reconcile_scale(cfg, spec, st, now, &scale, inputs, out);
}
