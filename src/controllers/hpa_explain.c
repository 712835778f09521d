/*
 * hpa_explain.c - one HPA pass in the plain words of a runbook table
 * ("Scale up to 3 replicas", "Scale-down held by the stabilization
 * window"), from the pass's result: the metric proposal against the
 * current count, the final desired count, and the reasons the conditions
 * give for any difference between the two (see hpa.h).
 */
#include "controllers/hpa.h"

#include <stdio.h>
#include <string.h>

static int reason_is(const struct cs_hpa_result *r, enum cs_hpa_cond_type c,
                     const char *reason)
{
    const struct cs_hpa_condition *cd = &r->conditions[c];

    return cd->status != CS_HPA_COND_UNSET && cd->reason != NULL &&
           strcmp(cd->reason, reason) == 0;
}

/* Where the driving metric stands against its target: -1 below the
 * tolerance band, 0 inside, 1 above; 0 when unknown. */
static int band(const struct cs_hpa_config *cfg, const struct cs_hpa_spec *spec,
                const struct cs_hpa_result *r)
{
    struct cs_hpa_tolerances tol;
    double ratio;

    if (r->n_metrics == 0 || r->metrics[0].rc != 0 ||
        !r->metrics[0].calc.has_utilization)
        return 0;
    cs_hpa_tolerances_get(cfg, spec, &tol);
    ratio = (double)r->metrics[0].calc.utilization /
            (double)cs_hpa_spec_metric(spec, 0)->target;
    if (cs_hpa_tolerances_within(&tol, ratio))
        return 0;
    return ratio < 1 ? -1 : 1;
}

enum cs_hpa_action cs_hpa_explain(const struct cs_hpa_config *cfg,
                                  const struct cs_hpa_spec *spec,
                                  const struct cs_hpa_result *r, char *buf,
                                  size_t n)
{
    int32_t cur = r->current_replicas, want = r->prenormalized;
    int32_t got = r->desired_replicas;
    int32_t min = spec->has_min ? spec->min_replicas : 1;
    const struct cs_hpa_condition *active =
        &r->conditions[CS_HPA_COND_SCALING_ACTIVE];

    if (r->rescale && got != cur) {
        const char *why = "";

        if (got != want &&
            reason_is(r, CS_HPA_COND_SCALING_LIMITED,
                      got > cur ? "ScaleUpLimit" : "ScaleDownLimit"))
            why = " (rate-limited by the scaling policy)";
        else if (got != want && got == spec->max_replicas)
            why = " (capped at maxReplicas)";
        else if (got != want && got == min)
            why = " (held at minReplicas)";
        snprintf(buf, n, "Scale %s to %d replicas%s", got > cur ? "up" : "down",
                 got, why);
        return got > cur ? CS_HPA_ACT_UP : CS_HPA_ACT_DOWN;
    }
    if (active->status == CS_HPA_COND_FALSE) {
        snprintf(buf, n, "No action: %s (%s)",
                 reason_is(r, CS_HPA_COND_SCALING_ACTIVE, "ScalingDisabled")
                     ? "scaling is disabled"
                     : "metrics unavailable",
                 active->reason ? active->reason : "unknown");
        return CS_HPA_ACT_FAILED;
    }
    if (want < 0) {
        snprintf(buf, n, "No action: no metric proposal");
        return CS_HPA_ACT_FAILED;
    }
    if (want < cur) {
        if (reason_is(r, CS_HPA_COND_ABLE_TO_SCALE, "ScaleDownStabilized")) {
            snprintf(buf, n,
                     "Scale-down to %d held by the stabilization window",
                     want < min ? min : want);
            return CS_HPA_ACT_HELD;
        }
        if (cur <= min) {
            snprintf(buf, n, "No action (below target, at minReplicas %d)",
                     min);
            return CS_HPA_ACT_NONE;
        }
        snprintf(buf, n, "Scale-down to %d limited by the scaling policy",
                 want);
        return CS_HPA_ACT_LIMITED;
    }
    if (want > cur) {
        if (cur >= spec->max_replicas) {
            snprintf(buf, n, "No action (above target, at maxReplicas %d)",
                     spec->max_replicas);
            return CS_HPA_ACT_LIMITED;
        }
        if (reason_is(r, CS_HPA_COND_ABLE_TO_SCALE, "ScaleUpStabilized")) {
            snprintf(buf, n, "Scale-up to %d held by the stabilization window",
                     want);
            return CS_HPA_ACT_HELD;
        }
        snprintf(buf, n, "Scale-up to %d limited by the scaling policy", want);
        return CS_HPA_ACT_LIMITED;
    }
    switch (band(cfg, spec, r)) {
    case -1:
        snprintf(buf, n, "No action (below target)");
        break;
    case 1:
        if (cur >= spec->max_replicas)
            snprintf(buf, n, "No action (above target, at maxReplicas %d)",
                     spec->max_replicas);
        else
            snprintf(buf, n,
                     "No action (above target, but pods without "
                     "metrics count as idle)");
        break;
    default:
        snprintf(buf, n, "No action (within tolerance of the target)");
        break;
    }
    return CS_HPA_ACT_NONE;
}

int cs_hpa_explain_usage(const struct cs_hpa_spec *spec,
                         const struct cs_hpa_result *r, char *buf, size_t n)
{
    (void)spec;
    if (r->n_metrics == 0 || r->metrics[0].rc != 0)
        return snprintf(buf, n, "unknown");
    if (r->metrics[0].calc.has_utilization)
        return snprintf(buf, n, "%d%%", r->metrics[0].calc.utilization);
    return snprintf(buf, n, "%.6g", (double)r->metrics[0].calc.raw / 1000.0);
}

int cs_hpa_explain_header(const struct cs_hpa_spec *spec, char *buf, size_t n)
{
    const struct cs_hpa_metric_spec *m = cs_hpa_spec_metric(spec, 0);

    if ((m->source == CS_HPA_SOURCE_RESOURCE ||
         m->source == CS_HPA_SOURCE_CONTAINER_RESOURCE) &&
        m->resource != NULL) {
        if (strcmp(m->resource, "cpu") == 0)
            return snprintf(buf, n, "CPU Usage");
        if (strcmp(m->resource, "memory") == 0)
            return snprintf(buf, n, "Memory Usage");
        return snprintf(buf, n, "%s Usage", m->resource);
    }
    return snprintf(buf, n, "%s", m->name ? m->name : "Metric");
}
