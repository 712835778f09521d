/*
 * hpa_normalize.c - what the HPA does with a metric proposal: stabilization
 * over past recommendations, scale-rate limits and the min/max clamp, on the
 * legacy path (no spec.behavior, HPA_SPEC.md §5) and the behavior path (§6),
 * plus the per-HPA histories those steps read and write.
 *
 * Design. Both histories are arrays that only grow until the first record
 * falls out of its window; from then on a stale slot is overwritten in
 * place ("the last old slot is reused"), exactly as upstream does, so the
 * order of records is the upstream order and a long run stops allocating.
 * Every step is a plain function of (state, rules, now, counts) so that the
 * conformance runner can drive one step at a time.
 *
 * Invariants:
 *   1. recs[0..n_recs) hold the unstabilized proposals; a stored record is
 *      never changed except by being overwritten whole.
 *   2. scale events hold positive deltas; the up list only grows on a
 *      scale-up, the down list only on a scale-down.
 *   3. A failed allocation changes no history (the caller gets CS_ENOMEM
 *      and a complete answer).
 *
 * Life of a record:   append --(older than window)--> reusable
 *                        ^                               |
 *                        +-----(overwritten by store)----+
 */
#include "controllers/hpa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

#define MS(s) ((cs_time_ms)(s)*CS_MS_PER_S)

static const char MSG_WITHIN[] = "the desired count is within the acceptable "
                                 "range";
static const char MSG_TOO_FEW[] = "the desired replica count is less than the "
                                  "minimum replica count";
static const char MSG_TOO_MANY[] = "the desired replica count is more than "
                                   "the maximum replica count";
static const char MSG_UP_LIMIT[] = "the desired replica count is increasing "
                                   "faster than the maximum scale rate";
static const char MSG_DOWN_LIMIT[] = "the desired replica count is "
                                     "decreasing faster than the maximum "
                                     "scale rate";
static const char MSG_READY[] = "recommended size matches current size";
static const char MSG_DOWN_STAB[] = "recent recommendations were higher than "
                                    "current one, applying the highest "
                                    "recent recommendation";
static const char MSG_UP_STAB[] = "recent recommendations were lower than "
                                  "current one, applying the lowest recent "
                                  "recommendation";

static int32_t clamp_i32(int64_t v)
{
    if (v > INT32_MAX)
        return INT32_MAX;
    if (v < INT32_MIN)
        return INT32_MIN;
    return (int32_t)v;
}

/* float64 -> int32 truncating toward zero (Go's int32(x)), saturating. */
static int32_t trunc_i32(double x)
{
    if (isnan(x))
        return 0;
    if (x >= (double)INT32_MAX)
        return INT32_MAX;
    if (x <= (double)INT32_MIN)
        return INT32_MIN;
    return (int32_t)x;
}

/* ---------------------------------------------------------------------- */
/* Configuration and defaults                                             */
/* ---------------------------------------------------------------------- */

void cs_hpa_config_init_defaults(struct cs_hpa_config *cfg)
{
    cfg->sync_period = MS(15);
    cfg->tolerance = 0.1;
    cfg->downscale_window = MS(300);
    cfg->cpu_init_period = MS(300);
    cfg->readiness_delay = MS(30);
    cfg->scale_up_limit_factor = 2.0;
    cfg->scale_up_limit_minimum = 4.0;
}

void cs_hpa_config_init_test(struct cs_hpa_config *cfg)
{
    cs_hpa_config_init_defaults(cfg);
    cfg->cpu_init_period = MS(120);
    cfg->readiness_delay = MS(10);
    cfg->scale_up_limit_factor = 8.0;
}

void cs_hpa_rules_default_up(struct cs_hpa_rules *r)
{
    if (!r->has_window) {
        r->has_window = true;
        r->window_s = 0;
    }
    if (r->select == CS_HPA_SELECT_UNSET)
        r->select = CS_HPA_SELECT_MAX;
    if (r->n_policies == 0) {
        r->n_policies = 2;
        r->policies[0] = (struct cs_hpa_policy){CS_HPA_POLICY_PODS, 4, 15};
        r->policies[1] = (struct cs_hpa_policy){CS_HPA_POLICY_PERCENT, 100, 15};
    }
}

void cs_hpa_rules_default_down(struct cs_hpa_rules *r)
{
    if (r->select == CS_HPA_SELECT_UNSET)
        r->select = CS_HPA_SELECT_MAX;
    if (r->n_policies == 0) {
        r->n_policies = 1;
        r->policies[0] = (struct cs_hpa_policy){CS_HPA_POLICY_PERCENT, 100, 15};
    }
}

/* ---------------------------------------------------------------------- */
/* State and histories                                                    */
/* ---------------------------------------------------------------------- */

void cs_hpa_state_init(struct cs_hpa_state *st)
{
    memset(st, 0, sizeof(*st));
}

void cs_hpa_state_fini(struct cs_hpa_state *st)
{
    free(st->recs);
    free(st->up.v);
    free(st->down.v);
    memset(st, 0, sizeof(*st));
}

static bool events_check(const struct cs_hpa_scale_events *l)
{
    if (l->n > l->cap || (l->cap > 0 && l->v == NULL))
        return false;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].delta <= 0)
            return false;
    return true;
}

bool cs_hpa_state_check(const struct cs_hpa_state *st)
{
    if (st->n_recs > st->cap_recs || (st->cap_recs > 0 && st->recs == NULL))
        return false;
    if (st->n_recs > 0 && !st->seeded)
        return false;
    for (int t = 0; t < CS_HPA_COND_COUNT; t++)
        if ((st->cond[t].status != CS_HPA_COND_UNSET) !=
            (st->cond[t].reason != NULL))
            return false;
    return events_check(&st->up) && events_check(&st->down);
}

/* Make room for one more element; 0 or CS_ENOMEM (array untouched). */
static int reserve(void **v, size_t *cap, size_t n, size_t elem)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return 0;
    ncap = *cap ? *cap * 2 : 8;
    p = realloc(*v, ncap * elem);
    if (p == NULL)
        return CS_ENOMEM;
    *v = p;
    *cap = ncap;
    return 0;
}

int cs_hpa_state_add_recommendation(struct cs_hpa_state *st, cs_time_ms t,
                                    int32_t replicas)
{
    int rc = reserve((void **)&st->recs, &st->cap_recs, st->n_recs,
                     sizeof(*st->recs));

    if (rc < 0)
        return rc;
    st->recs[st->n_recs++] = (struct cs_hpa_recommendation){t, replicas};
    st->seeded = true;
    return 0;
}

static int events_append(struct cs_hpa_scale_events *l, cs_time_ms t,
                         int32_t delta)
{
    int rc = reserve((void **)&l->v, &l->cap, l->n, sizeof(*l->v));

    if (rc < 0)
        return rc;
    l->v[l->n++] = (struct cs_hpa_scale_event){t, delta, false};
    return 0;
}

int cs_hpa_state_add_scale_event(struct cs_hpa_state *st, bool up, cs_time_ms t,
                                 int32_t delta)
{
    return events_append(up ? &st->up : &st->down, t, delta);
}

/* Store a recommendation: overwrite slot `old` if it is a valid index,
 * else append. */
static int store_rec(struct cs_hpa_state *st, size_t old, cs_time_ms now,
                     int32_t replicas)
{
    if (old < st->n_recs) {
        st->recs[old] = (struct cs_hpa_recommendation){now, replicas};
        return 0;
    }
    return cs_hpa_state_add_recommendation(st, now, replicas);
}

int32_t cs_hpa_scale_events_change(const struct cs_hpa_scale_events *l,
                                   cs_time_ms now, int32_t period_s)
{
    cs_time_ms cutoff = now - MS(period_s);
    int64_t sum = 0;

    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].time > cutoff)
            sum += l->v[i].delta;
    return clamp_i32(sum);
}

static int32_t longest_period(const struct cs_hpa_rules *r)
{
    int32_t longest = 0;

    for (size_t i = 0; i < r->n_policies; i++)
        if (r->policies[i].period_s > longest)
            longest = r->policies[i].period_s;
    return longest;
}

int cs_hpa_state_store_scale(struct cs_hpa_state *st,
                             const struct cs_hpa_rules *up,
                             const struct cs_hpa_rules *down, cs_time_ms now,
                             int32_t prev, int32_t next)
{
    bool is_up = next > prev;
    const struct cs_hpa_rules *r = is_up ? up : down;
    struct cs_hpa_scale_events *l = is_up ? &st->up : &st->down;
    int32_t delta =
        clamp_i32(is_up ? (int64_t)next - prev : (int64_t)prev - next);
    cs_time_ms cutoff;
    size_t old = SIZE_MAX;

    if (r == NULL || next == prev)
        return 0;
    cutoff = now - MS(longest_period(r));
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].time < cutoff)
            l->v[i].outdated = true;
        if (l->v[i].outdated)
            old = i;
    }
    if (old != SIZE_MAX) {
        l->v[old] = (struct cs_hpa_scale_event){now, delta, false};
        return 0;
    }
    return events_append(l, now, delta);
}

/* ---------------------------------------------------------------------- */
/* Stabilization                                                          */
/* ---------------------------------------------------------------------- */

int cs_hpa_stabilize_legacy(struct cs_hpa_state *st, cs_time_ms now,
                            cs_time_ms window, int32_t prenormalized,
                            int32_t *out)
{
    cs_time_ms cutoff = now - window;
    int32_t best = prenormalized;
    size_t old = SIZE_MAX;

    for (size_t i = 0; i < st->n_recs; i++) {
        if (st->recs[i].time < cutoff)
            old = i;
        else if (st->recs[i].replicas > best)
            best = st->recs[i].replicas;
    }
    *out = best;
    return store_rec(st, old, now, prenormalized);
}

int cs_hpa_stabilize_behavior(struct cs_hpa_state *st, cs_time_ms now,
                              cs_time_ms up_window, cs_time_ms down_window,
                              int32_t current, int32_t prenormalized,
                              int32_t *out)
{
    cs_time_ms up_cut = now - up_window, down_cut = now - down_window;
    int32_t up_rec = prenormalized, down_rec = prenormalized, r = current;
    size_t old = SIZE_MAX;

    for (size_t i = 0; i < st->n_recs; i++) {
        const struct cs_hpa_recommendation *rec = &st->recs[i];

        if (rec->time > up_cut && rec->replicas < up_rec)
            up_rec = rec->replicas;
        if (rec->time > down_cut && rec->replicas > down_rec)
            down_rec = rec->replicas;
        if (rec->time < up_cut && rec->time < down_cut)
            old = i;
    }
    /* Move from current towards the proposal, never past it. */
    if (r < up_rec)
        r = up_rec;
    if (r > down_rec)
        r = down_rec;
    *out = r;
    return store_rec(st, old, now, prenormalized);
}

/* ---------------------------------------------------------------------- */
/* Limits                                                                 */
/* ---------------------------------------------------------------------- */

void cs_hpa_limit_legacy(const struct cs_hpa_config *cfg, int32_t current,
                         int32_t desired, int32_t min_replicas,
                         int32_t max_replicas, struct cs_hpa_limit *out)
{
    double cap = fmax(cfg->scale_up_limit_factor * (double)current,
                      cfg->scale_up_limit_minimum);
    int32_t up_limit = trunc_i32(cap), allowed = max_replicas;
    const char *reason = "TooManyReplicas", *msg = MSG_TOO_MANY;

    if (max_replicas > up_limit) {
        allowed = up_limit;
        reason = "ScaleUpLimit";
        msg = MSG_UP_LIMIT;
    }
    if (desired < min_replicas)
        *out =
            (struct cs_hpa_limit){min_replicas, "TooFewReplicas", MSG_TOO_FEW};
    else if (desired > allowed)
        *out = (struct cs_hpa_limit){allowed, reason, msg};
    else
        *out = (struct cs_hpa_limit){desired, "DesiredWithinRange", MSG_WITHIN};
}

/* Replicas at the start of a policy's period: current minus what was added
 * plus what was removed within it. */
static int64_t period_start(const struct cs_hpa_state *st, cs_time_ms now,
                            int32_t current, int32_t period_s)
{
    return (int64_t)current -
           cs_hpa_scale_events_change(&st->up, now, period_s) +
           cs_hpa_scale_events_change(&st->down, now, period_s);
}

int32_t cs_hpa_scale_up_limit(const struct cs_hpa_state *st,
                              const struct cs_hpa_rules *up, cs_time_ms now,
                              int32_t current)
{
    bool pick_min = up->select == CS_HPA_SELECT_MIN;
    int64_t result = pick_min ? INT32_MAX : INT32_MIN, proposed;

    if (up->select == CS_HPA_SELECT_DISABLED)
        return current;
    for (size_t i = 0; i < up->n_policies; i++) {
        const struct cs_hpa_policy *p = &up->policies[i];
        int64_t start = period_start(st, now, current, p->period_s);

        if (p->type == CS_HPA_POLICY_PODS)
            proposed = start + p->value;
        else
            proposed = cs_hpa_ceil_i32((double)start *
                                       (1.0 + (double)p->value / 100.0));
        if (pick_min ? proposed < result : proposed > result)
            result = proposed;
    }
    return clamp_i32(result);
}

int32_t cs_hpa_scale_down_limit(const struct cs_hpa_state *st,
                                const struct cs_hpa_rules *down, cs_time_ms now,
                                int32_t current)
{
    /* Proposals are floors: Max (most change) takes the smallest floor. */
    bool pick_largest = down->select == CS_HPA_SELECT_MIN;
    int64_t result = pick_largest ? INT32_MIN : INT32_MAX, proposed;

    if (down->select == CS_HPA_SELECT_DISABLED)
        return current;
    for (size_t i = 0; i < down->n_policies; i++) {
        const struct cs_hpa_policy *p = &down->policies[i];
        int64_t start = period_start(st, now, current, p->period_s);

        if (p->type == CS_HPA_POLICY_PODS)
            proposed = start - p->value;
        else
            proposed =
                trunc_i32((double)start * (1.0 - (double)p->value / 100.0));
        if (pick_largest ? proposed > result : proposed < result)
            result = proposed;
    }
    return clamp_i32(result);
}

void cs_hpa_limit_behavior(const struct cs_hpa_state *st,
                           const struct cs_hpa_rules *up,
                           const struct cs_hpa_rules *down, cs_time_ms now,
                           int32_t current, int32_t desired,
                           int32_t min_replicas, int32_t max_replicas,
                           struct cs_hpa_limit *out)
{
    *out = (struct cs_hpa_limit){desired, "DesiredWithinRange", MSG_WITHIN};
    if (desired > current) {
        int32_t limit = cs_hpa_scale_up_limit(st, up, now, current);

        if (limit < current) /* frozen until old scale-ups expire */
            limit = current;
        if (max_replicas > limit) {
            if (desired > limit)
                *out =
                    (struct cs_hpa_limit){limit, "ScaleUpLimit", MSG_UP_LIMIT};
        } else if (desired > max_replicas) {
            *out = (struct cs_hpa_limit){max_replicas, "TooManyReplicas",
                                         MSG_TOO_MANY};
        }
    } else if (desired < current) {
        int32_t limit = cs_hpa_scale_down_limit(st, down, now, current);

        if (limit > current)
            limit = current;
        if (min_replicas < limit) {
            if (desired < limit)
                *out = (struct cs_hpa_limit){limit, "ScaleDownLimit",
                                             MSG_DOWN_LIMIT};
        } else if (desired < min_replicas) {
            *out = (struct cs_hpa_limit){min_replicas, "TooFewReplicas",
                                         MSG_TOO_FEW};
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Whole normalizations                                                   */
/* ---------------------------------------------------------------------- */

void cs_hpa_stabilized_reason(bool behavior, int32_t current,
                              int32_t prenormalized, int32_t stabilized,
                              const char **reason, const char **message)
{
    if (stabilized == prenormalized) {
        *reason = "ReadyForNewScale";
        *message = MSG_READY;
    } else if (behavior && prenormalized >= current) {
        *reason = "ScaleUpStabilized";
        *message = MSG_UP_STAB;
    } else {
        *reason = "ScaleDownStabilized";
        *message = MSG_DOWN_STAB;
    }
}

int cs_hpa_normalize_legacy(const struct cs_hpa_config *cfg,
                            struct cs_hpa_state *st, cs_time_ms now,
                            int32_t current, int32_t prenormalized,
                            int32_t min_replicas, int32_t max_replicas,
                            struct cs_hpa_normalized *out)
{
    int rc = cs_hpa_stabilize_legacy(st, now, cfg->downscale_window,
                                     prenormalized, &out->stabilized);

    cs_hpa_stabilized_reason(false, current, prenormalized, out->stabilized,
                             &out->able_reason, &out->able_message);
    cs_hpa_limit_legacy(cfg, current, out->stabilized, min_replicas,
                        max_replicas, &out->limit);
    out->desired = out->limit.replicas;
    out->limited = out->desired != out->stabilized;
    return rc;
}

int cs_hpa_normalize_behavior(const struct cs_hpa_config *cfg,
                              struct cs_hpa_state *st,
                              const struct cs_hpa_rules *up,
                              const struct cs_hpa_rules *down, cs_time_ms now,
                              int32_t current, int32_t prenormalized,
                              int32_t min_replicas, int32_t max_replicas,
                              struct cs_hpa_normalized *out)
{
    cs_time_ms up_w = up->has_window ? MS(up->window_s) : 0;
    cs_time_ms down_w =
        down->has_window ? MS(down->window_s) : cfg->downscale_window;
    int rc = cs_hpa_stabilize_behavior(st, now, up_w, down_w, current,
                                       prenormalized, &out->stabilized);

    cs_hpa_stabilized_reason(true, current, prenormalized, out->stabilized,
                             &out->able_reason, &out->able_message);
    cs_hpa_limit_behavior(st, up, down, now, current, out->stabilized,
                          min_replicas, max_replicas, &out->limit);
    out->desired = out->limit.replicas;
    out->limited = out->desired != out->stabilized;
    return rc;
}
