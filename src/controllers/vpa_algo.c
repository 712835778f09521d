/*
 * vpa_algo.c - the VPA arithmetic of vpa_algo.h other than histograms
 * (vpa_hist.c): flag defaults and policies (model/vpa.h), the aggregate
 * container state and one container's memory window and OOM bookkeeping,
 * the recommender's estimators and capping, proportional limits, the
 * updater's priority, acceptance and eviction limits. Behaviour:
 * VPA_SPEC.md; vectors B4-B11 of CA_VPA_TEST_VECTORS.md
 * (tests/conformance/vpa_*.csv).
 *
 * Amounts follow upstream's ResourceAmount: every float-to-integer step
 * truncates toward zero and clamps to [0, CS_VPA_MAX_AMOUNT] (amount()),
 * in the order upstream applies them, so the integers match its own.
 *
 * One container's memory window (struct cs_vpa_cstate):
 *
 *      no window --first sample at t--> [t, t + I) peak stored at t + I
 *          |                                  |
 *          |        sample at t' >= window_end: window_end += I x
 *          |        (floor((t' - window_end) / I) + 1), peaks reset,
 *          |        the sample stored at the new window_end
 *          |                                  |
 *          +--- a larger sample in the window: subtract the old peak,
 *               add the new one, both at window_end (weight 1)
 *
 * Invariant: s->peak is the value stored at weight 1 and time
 * s->window_end in the aggregate's memory histogram for this container
 * (0: nothing stored for the window), and s->usage_peak <= s->peak.
 */
#include "controllers/vpa_algo.h"

#include "core/err.h"

#include <math.h>
#include <string.h>

/* ---- flags and policies (model/vpa.h) ---------------------------------- */

#define HOUR_MS ((cs_time_ms)3600 * 1000)
#define MINUTE_MS ((cs_time_ms)60 * 1000)

void cs_vpa_config_defaults(struct cs_vpa_config *c)
{
    memset(c, 0, sizeof(*c));
    c->recommender_interval = MINUTE_MS;
    c->margin_fraction = 0.15;
    c->target_cpu_pct = c->target_mem_pct = 0.9;
    c->lower_cpu_pct = c->lower_mem_pct = 0.5;
    c->upper_cpu_pct = c->upper_mem_pct = 0.95;
    c->conf_interval_cpu = c->conf_interval_mem = 24 * HOUR_MS;
    c->pod_min_cpu_m = 25;
    c->pod_min_mem_bytes = (int64_t)250 * 1024 * 1024;
    c->cpu_half_life = c->mem_half_life = 24 * HOUR_MS;
    c->mem_agg_interval = 24 * HOUR_MS;
    c->mem_agg_count = 8;
    c->oom_bump_ratio = 1.2;
    c->oom_min_bump_bytes = 104857600;
    c->max_allowed_cpu_m = 0;
    c->max_allowed_mem_bytes = 0;
    c->updater_interval = MINUTE_MS;
    c->min_replicas = 2;
    c->eviction_tolerance = 0.5;
    c->pod_update_threshold = 0.1;
    c->lifetime_threshold = 12 * HOUR_MS;
    c->evict_after_oom = 10 * MINUTE_MS;
}

/* By enum cs_vpa_mode; the order of CS_VPA_MODES. */
static const char *const mode_names[] = {
    [CS_VPA_OFF] = "Off",
    [CS_VPA_INITIAL] = "Initial",
    [CS_VPA_RECREATE] = "Recreate",
    [CS_VPA_AUTO] = "Auto",
    [CS_VPA_IN_PLACE_OR_RECREATE] = "InPlaceOrRecreate",
    [CS_VPA_IN_PLACE] = "InPlace",
};
#define NMODES ((int)(sizeof(mode_names) / sizeof(mode_names[0])))

const char *cs_vpa_mode_name(int mode)
{
    if (mode < 0 || mode >= NMODES)
        return "Unknown";
    return mode_names[mode];
}

int cs_vpa_mode_parse(const char *name)
{
    for (int i = 0; i < NMODES; i++)
        if (strcmp(name, mode_names[i]) == 0)
            return i;
    return -1;
}

const struct cs_vpa_policy *cs_vpa_policy_for(const struct cs_vpa_spec *v,
                                              const char *name)
{
    const struct cs_vpa_policy *star = NULL;

    for (int i = 0; i < v->npolicies; i++) {
        const char *c = v->policies[i].container;

        if (c == NULL)
            continue;
        if (name != NULL && strcmp(c, name) == 0)
            return &v->policies[i];
        if (star == NULL && strcmp(c, "*") == 0)
            star = &v->policies[i];
    }
    return star;
}

uint32_t cs_vpa_policy_controlled(const struct cs_vpa_policy *p)
{
    if (p == NULL)
        return (1u << CS_RES_CPU) | (1u << CS_RES_MEMORY);
    return p->off ? 0 : p->controlled;
}

/* ---- amounts ------------------------------------------------------------ */

/* resourceAmountFromFloat: truncate, clamp to [0, 1e14]; NaN gives 0. */
static int64_t amount(double v)
{
    if (v > (double)CS_VPA_MAX_AMOUNT)
        return CS_VPA_MAX_AMOUNT;
    if (!(v > 0.0))
        return 0;
    return (int64_t)v;
}

/* ---- aggregate container state ----------------------------------------- */

int cs_vpa_agg_init(struct cs_vpa_agg *a, const struct cs_vpa_hist_opts *cpu,
                    const struct cs_vpa_hist_opts *mem,
                    const struct cs_vpa_config *cfg)
{
    memset(a, 0, sizeof(*a));
    if (cs_vpa_hist_init(&a->cpu, cpu, cfg->cpu_half_life) < 0)
        return CS_ENOMEM;
    if (cs_vpa_hist_init(&a->mem, mem, cfg->mem_half_life) < 0) {
        cs_vpa_hist_fini(&a->cpu);
        return CS_ENOMEM;
    }
    a->first_sample = CS_TIME_NEVER;
    a->last_sample = INT64_MIN;
    return 0;
}

void cs_vpa_agg_fini(struct cs_vpa_agg *a)
{
    cs_vpa_hist_fini(&a->cpu);
    cs_vpa_hist_fini(&a->mem);
}

int cs_vpa_agg_add_cpu(struct cs_vpa_agg *a, double cores, int64_t n,
                       cs_time_ms t)
{
    if (n <= 0 || !(cores >= 0.0))
        return 0;
    cs_vpa_hist_add(&a->cpu, cores, CS_VPA_MIN_SAMPLE_WEIGHT * (double)n, t);
    if (t > a->last_sample)
        a->last_sample = t;
    if (t < a->first_sample)
        a->first_sample = t;
    a->total_samples += n;
    return 1;
}

void cs_vpa_agg_merge(struct cs_vpa_agg *dst, const struct cs_vpa_agg *src)
{
    cs_vpa_hist_merge(&dst->cpu, &src->cpu);
    cs_vpa_hist_merge(&dst->mem, &src->mem);
    if (src->first_sample < dst->first_sample)
        dst->first_sample = src->first_sample;
    if (src->last_sample > dst->last_sample)
        dst->last_sample = src->last_sample;
    dst->total_samples += src->total_samples;
}

/* ---- one container ------------------------------------------------------ */

void cs_vpa_cstate_init(struct cs_vpa_cstate *s)
{
    memset(s, 0, sizeof(*s));
    s->window_end = CS_TIME_NEVER;
    s->last_sample = INT64_MIN;
    s->last_cpu = INT64_MIN;
}

static cs_time_ms interval_of(const struct cs_vpa_config *cfg)
{
    return cfg->mem_agg_interval > 0 ? cfg->mem_agg_interval : 24 * HOUR_MS;
}

/* addMemorySample: a usage sample, or an OOM bump (never dropped for its
 * age). */
static int memory_sample(struct cs_vpa_cstate *s, struct cs_vpa_hist *mem,
                         double bytes, cs_time_ms t, int oom,
                         const struct cs_vpa_config *cfg)
{
    cs_time_ms iv = interval_of(cfg);
    int add = 0;

    if (!(bytes >= 0.0) || (!oom && t < s->last_sample))
        return 0;
    s->last_sample = t;
    if (s->window_end == CS_TIME_NEVER)
        s->window_end = t; /* first sample: rolled just below */
    if (t < s->window_end) {
        if (s->peak != 0.0 && bytes > s->peak) {
            cs_vpa_hist_subtract(mem, s->peak, 1.0, s->window_end);
            add = 1;
        }
    } else {
        s->window_end += (t - s->window_end) / iv * iv + iv;
        s->peak = s->usage_peak = 0.0;
        s->peak_oom = 0;
        add = 1;
    }
    if (add) {
        cs_vpa_hist_add(mem, bytes, 1.0, s->window_end);
        s->peak = bytes;
        s->peak_oom = oom;
        if (!oom)
            s->usage_peak = bytes;
    }
    return 1;
}

int cs_vpa_cstate_add_memory(struct cs_vpa_cstate *s, struct cs_vpa_hist *mem,
                             double bytes, cs_time_ms t,
                             const struct cs_vpa_config *cfg)
{
    return memory_sample(s, mem, bytes, t, 0, cfg);
}

int cs_vpa_cstate_add_cpu(struct cs_vpa_cstate *s, struct cs_vpa_agg *a,
                          double cores, cs_time_ms t)
{
    if (!(cores >= 0.0) || t <= s->last_cpu)
        return 0;
    s->last_cpu = t;
    return cs_vpa_agg_add_cpu(a, cores, 1, t);
}

int cs_vpa_cstate_record_oom(struct cs_vpa_cstate *s, struct cs_vpa_hist *mem,
                             double request, cs_time_ms t,
                             const struct cs_vpa_config *cfg)
{
    double used, bump, scaled;

    if (s->window_end != CS_TIME_NEVER && t < s->window_end - interval_of(cfg))
        return CS_EINVAL; /* stale */
    /* the usage peak only: an OOM bump never feeds the next one */
    used = request > s->usage_peak ? request : s->usage_peak;
    bump = used + (double)amount((double)cfg->oom_min_bump_bytes);
    scaled = (double)amount(used * cfg->oom_bump_ratio);
    if (memory_sample(s, mem, bump > scaled ? bump : scaled, t, 1, cfg) == 0)
        return CS_EINVAL;
    return 0;
}

/* ---- estimation --------------------------------------------------------- */

double cs_vpa_confidence(const struct cs_vpa_agg *a, cs_time_ms interval)
{
    double life, samples;

    if (a->total_samples <= 0 || interval <= 0)
        return 0.0;
    life = (double)(a->last_sample - a->first_sample) / (double)interval;
    samples = (double)a->total_samples / ((double)interval / 60000.0);
    return life < samples ? life : samples;
}

/* Go's math.Pow: an integral exponent by repeated squaring of x (a
 * negative one as the reciprocal of the result), so that the factors and
 * hence the truncated amounts are the same as upstream's bit for bit. */
static double go_pow(double x, double y)
{
    double a = 1.0, b = x;
    uint64_t i;

    if (y == 0.0 || x == 1.0)
        return 1.0;
    if (y == 1.0)
        return x;
    if (isnan(x) || isnan(y))
        return NAN;
    if (isinf(x) && x > 0.0)
        return y < 0.0 ? 0.0 : INFINITY;
    if (y != trunc(y) || fabs(y) >= 0x1p62 || x <= 0.0 || isinf(x))
        return pow(x, y);
    for (i = (uint64_t)fabs(y); i != 0; i >>= 1) {
        if (i & 1)
            a *= b;
        b *= b;
    }
    return y < 0.0 ? 1.0 / a : a;
}

double cs_vpa_confidence_factor(double multiplier, double exponent,
                                double confidence)
{
    return go_pow(1.0 + multiplier / confidence, exponent);
}

int64_t cs_vpa_confidence_scale(int64_t x, double multiplier, double exponent,
                                double confidence)
{
    return amount((double)x *
                  cs_vpa_confidence_factor(multiplier, exponent, confidence));
}

int64_t cs_vpa_margin(int64_t x, double margin)
{
    return x + amount((double)x * margin);
}

void cs_vpa_pod_min(const struct cs_vpa_config *cfg, int ncontainers,
                    int64_t *cpu_m, int64_t *mem_bytes)
{
    double fraction = 1.0 / (double)(ncontainers > 1 ? ncontainers : 1);

    /* upstream's flag is a float of millicores taken as cores x 1000 */
    *cpu_m = amount(
        (double)amount((double)cfg->pod_min_cpu_m * 0.001 * 1000.0) * fraction);
    *mem_bytes =
        amount((double)amount((double)cfg->pod_min_mem_bytes) * fraction);
}

/* Percentile -> margin -> confidence -> per-container minimum, for one
 * resource; base converts the percentile to an amount (x1000 for CPU). */
static void bounds(const struct cs_vpa_hist *h, double base, double lo_pct,
                   double pct, double hi_pct, double margin, double conf,
                   int64_t min, struct cs_vpa_bounds *b)
{
    int64_t t =
        cs_vpa_margin(amount(cs_vpa_hist_percentile(h, pct) * base), margin);
    int64_t lo =
        cs_vpa_margin(amount(cs_vpa_hist_percentile(h, lo_pct) * base), margin);
    int64_t hi =
        cs_vpa_margin(amount(cs_vpa_hist_percentile(h, hi_pct) * base), margin);

    lo = cs_vpa_confidence_scale(lo, 0.001, -2.0, conf);
    hi = cs_vpa_confidence_scale(hi, 1.0, 1.0, conf);
    b->target = t > min ? t : min;
    b->lower = lo > min ? lo : min;
    b->upper = hi > min ? hi : min;
    b->uncapped_target = b->target;
}

void cs_vpa_estimate(const struct cs_vpa_agg *a,
                     const struct cs_vpa_config *cfg, int ncontainers,
                     struct cs_vpa_bounds *cpu_m,
                     struct cs_vpa_bounds *mem_bytes)
{
    int64_t min_cpu, min_mem;

    cs_vpa_pod_min(cfg, ncontainers, &min_cpu, &min_mem);
    bounds(&a->cpu, 1000.0, cfg->lower_cpu_pct, cfg->target_cpu_pct,
           cfg->upper_cpu_pct, cfg->margin_fraction,
           cs_vpa_confidence(a, cfg->conf_interval_cpu), min_cpu, cpu_m);
    bounds(&a->mem, 1.0, cfg->lower_mem_pct, cfg->target_mem_pct,
           cfg->upper_mem_pct, cfg->margin_fraction,
           cs_vpa_confidence(a, cfg->conf_interval_mem), min_mem, mem_bytes);
}

/* A policy amount (milli-units) in the unit of resource r. */
static int64_t policy_unit(int r, int64_t milli)
{
    if (r != CS_RES_MEMORY)
        return milli;
    return milli / 1000 + (milli % 1000 > 0); /* Quantity.Value(): up */
}

static void clamp(int64_t *v, int64_t min, int64_t max)
{
    if (min > 0 && *v < min)
        *v = min;
    if (max > 0 && *v > max)
        *v = max;
}

void cs_vpa_cap(struct cs_vpa_bounds *b, int r, const struct cs_vpa_policy *p,
                const struct cs_vpa_config *cfg)
{
    uint32_t bit = 1u << r;
    int64_t min = 0, max = 0;

    if (p != NULL && (p->min_set & bit))
        min = policy_unit(r, p->min_allowed.v[r]);
    if (p != NULL && (p->max_set & bit))
        max = policy_unit(r, p->max_allowed.v[r]);
    else if (r == CS_RES_CPU)
        max = cfg->max_allowed_cpu_m;
    else if (r == CS_RES_MEMORY)
        max = cfg->max_allowed_mem_bytes;
    clamp(&b->lower, min, max);
    clamp(&b->target, min, max);
    clamp(&b->upper, min, max);
}

/* ---- limits ------------------------------------------------------------- */

/* Whole units of a milli amount, rounded up (Quantity.Value()). */
static int64_t whole_up(int64_t milli)
{
    return milli / 1000 + (milli % 1000 > 0);
}

int cs_vpa_proportional_limit_res(int r, int64_t orig_limit,
                                  int64_t orig_request, int64_t rec_request,
                                  int64_t default_limit, int64_t *limit,
                                  int *capped)
{
    int mem = r == CS_RES_MEMORY;
    cs_i128 v;

    *capped = 0;
    if (orig_limit <= 0)
        orig_limit = default_limit;
    if (orig_limit <= 0 || rec_request <= 0)
        return 0; /* no limit (upstream annotates why) */
    if (orig_request <= 0 || orig_request == orig_limit) {
        *limit = rec_request;
        return 1;
    }
    if (mem)
        v = (cs_i128)whole_up(orig_limit) * whole_up(rec_request) /
            whole_up(orig_request);
    else
        v = (cs_i128)orig_limit * rec_request / orig_request;
    if (mem && v <= INT64_MAX / 1000)
        v *= 1000;
    else if (mem)
        v = (cs_i128)INT64_MAX + 1; /* past INT64_MAX milli-bytes: cap */
    if (v > INT64_MAX) {
        *limit = INT64_MAX;
        *capped = 1;
    } else {
        *limit = (int64_t)v;
    }
    return 1;
}

int cs_vpa_proportional_limit(int64_t orig_limit, int64_t orig_request,
                              int64_t rec_request, int64_t default_limit,
                              int64_t *limit, int *capped)
{
    return cs_vpa_proportional_limit_res(CS_RES_CPU, orig_limit, orig_request,
                                         rec_request, default_limit, limit,
                                         capped);
}

/* ---- updater priority --------------------------------------------------- */

/* *sum += v, saturating (milli-units of absurd requests do not wrap). */
static void add_sat(int64_t *sum, int64_t v)
{
    if (__builtin_add_overflow(*sum, v, sum))
        *sum = v > 0 ? INT64_MAX : INT64_MIN;
}

void cs_vpa_priority_of(const struct cs_vpa_pod_container *c, int n,
                        struct cs_vpa_priority *out)
{
    int64_t req[2] = {0, 0}, rec[2] = {0, 0};
    int has[2] = {0, 0};

    memset(out, 0, sizeof(*out));
    for (int i = 0; i < n; i++)
        for (int r = CS_RES_CPU; r <= CS_RES_MEMORY; r++) {
            uint32_t bit = 1u << r;

            if (!(c[i].rec_set & bit))
                continue;
            has[r] = 1;
            add_sat(&rec[r], c[i].target[r]);
            if (!(c[i].req_set & bit)) {
                out->scale_up = out->outside = 1;
                continue;
            }
            add_sat(&req[r], c[i].req[r]);
            if (c[i].target[r] > c[i].req[r])
                out->scale_up = 1;
            if (c[i].req[r] < c[i].lower[r] || c[i].req[r] > c[i].upper[r])
                out->outside = 1;
        }
    for (int r = CS_RES_CPU; r <= CS_RES_MEMORY; r++) {
        double total = (double)req[r] > 1.0 ? (double)req[r] : 1.0;

        if (has[r])
            out->resource_diff += fabs(total - (double)rec[r]) / total;
    }
}

int cs_vpa_accept(const struct cs_vpa_priority *p, cs_time_ms age,
                  int quick_oom, const struct cs_vpa_config *cfg)
{
    if (!p->outside && !quick_oom &&
        (age < 0 || age < cfg->lifetime_threshold ||
         p->resource_diff < cfg->pod_update_threshold))
        return 0;
    if (quick_oom && p->resource_diff == 0.0)
        return 0; /* the resources would not change */
    return 1;
}

int cs_vpa_priority_less(const struct cs_vpa_priority *a,
                         const struct cs_vpa_priority *b)
{
    if (!a->scale_up != !b->scale_up)
        return b->scale_up != 0;
    return a->resource_diff < b->resource_diff;
}

int cs_vpa_eviction_admit(const struct cs_vpa_pod_container *c, int n,
                          const struct cs_vpa_evreq *r, int nr)
{
    const uint32_t both = (1u << CS_RES_CPU) | (1u << CS_RES_MEMORY);

    if (nr == 0)
        return 1;
    for (int i = 0; i < n; i++) {
        int all = 1;

        if ((c[i].req_set & both) != both)
            return 1; /* a container without a request: always */
        for (int k = 0; k < nr && all; k++) {
            int any = 0;

            for (int res = CS_RES_CPU; res <= CS_RES_MEMORY; res++) {
                int64_t t = (c[i].rec_set & (1u << res)) ? c[i].target[res] : 0;

                if (!(r[k].resources & (1u << res)))
                    continue;
                if (r[k].higher ? t > c[i].req[res] : t < c[i].req[res])
                    any = 1;
            }
            all = any;
        }
        if (all)
            return 1;
    }
    return 0;
}

/* ---- eviction restriction ----------------------------------------------- */

void cs_vpa_evict_group_init(struct cs_vpa_evict_group *g, int32_t configured,
                             int32_t live, int32_t running,
                             int32_t min_replicas, double tolerance)
{
    double tol = (double)configured * tolerance;

    g->skip = live < min_replicas || configured <= 0;
    g->configured = configured;
    g->running = running;
    g->tolerance =
        tol > 0.0 ? (tol < 2147483647.0 ? (int32_t)tol : INT32_MAX) : 0;
    g->evicted = 0;
}

int cs_vpa_can_evict(const struct cs_vpa_evict_group *g, int pending)
{
    if (g->skip)
        return 0;
    if (pending)
        return 1;
    return (int64_t)g->running - g->evicted >
               (int64_t)g->configured - g->tolerance ||
           (g->configured == g->running && g->tolerance == 0 &&
            g->evicted == 0);
}

void cs_vpa_evict_done(struct cs_vpa_evict_group *g, int pending)
{
    if (!pending)
        g->evicted++;
}
