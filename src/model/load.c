/*
 * load.c - load trees: evaluation, knots and per-run state (see load.h).
 *
 * Each node of a spec tree has one struct cs_load_rt, found by the node's
 * id. Only three kinds keep state between calls: BURSTS (the current or
 * next burst), SOURCE (the source's cursor) and any node with noise (the
 * bucket it last drew for). All of that state only moves forward in time,
 * which is why calls must come with t non-decreasing. A tree without any
 * of them has no run state at all (l->rt is NULL and never indexed).
 *
 * Left limits. A node whose value jumps at t reports the value before the
 * jump when asked with left = 1. Curves (DIURNAL, GROWTH, SPIKE after its
 * start) are continuous except where the local clock jumps (midnight into a
 * weekend, a DST change); their left limit is their value 1 ms earlier,
 * which is exact for the jump and off by a millisecond's slope elsewhere.
 */
#include "model/load.h"
#include "core/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#define DAY_S 86400
#define WEEK_MS ((double)7 * DAY_S * 1000)

struct cs_load_rt {
    gsl_rng *rng;        /* BURSTS and noise; owned */
    void *cursor;        /* SOURCE; owned through ops->close */
    cs_time_ms b_start;  /* BURSTS: the current or next burst */
    cs_time_ms b_end;    /*   [b_start, b_end) */
    int64_t bucket;      /* noise: the bucket drawn last, -1: none */
    double bucket_value; /*   its value */
    double prev_value;   /*   the bucket before it */
};

static double node_value(struct cs_load *l, const struct cs_load_spec *s,
                         cs_time_ms t, int left);

double cs_load_points_rate(const struct cs_load_point *pts, size_t n,
                           cs_time_ms t, int left)
{
    size_t lo = 0, hi = n;
    const struct cs_load_point *a, *b;

    if (n == 0)
        return 0.0;
    /* first point with at > t, or (left) at >= t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (pts[mid].at < t || (!left && pts[mid].at == t))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return pts[0].rps;
    a = &pts[lo - 1];
    if (lo == n || !pts[lo].ramp)
        return a->rps;
    b = &pts[lo];
    return a->rps +
           (b->rps - a->rps) * ((double)(t - a->at) / (double)(b->at - a->at));
}

static cs_time_ms points_next(const struct cs_load_spec *s, cs_time_ms t)
{
    size_t lo = 0, hi = s->npts;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (s->pts[mid].at <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->npts ? s->pts[lo].at : CS_TIME_NEVER;
}

void cs_load_local(struct cs_load *l, cs_time_ms t, int32_t *tod, int *wday)
{
    int64_t ms = l->clock.start_utc_ms + t;
    int64_t utc = cs_floor_div(ms, 1000);
    int64_t local, days;

    if (l->clock.tz != NULL)
        utc += cs_tz_offset_cached(l->clock.tz, &l->tzc, utc);
    local = utc;
    days = cs_floor_div(local, DAY_S);
    *tod = (int32_t)(local - days * DAY_S);
    *wday = cs_days_wday(days);
}

static double diurnal(struct cs_load *l, const struct cs_load_spec *s,
                      cs_time_ms t)
{
    int32_t tod;
    int wday;
    double phase, v;

    int64_t ms = l->clock.start_utc_ms + t;

    cs_load_local(l, t, &tod, &wday);
    /* to the millisecond, so the curve is smooth within a second */
    phase = 2.0 * 3.14159265358979323846 *
            ((double)(tod - s->peak_tod) +
             (double)(((ms % 1000) + 1000) % 1000) / 1000.0) /
            (double)DAY_S;
    v = s->min + (s->max - s->min) * 0.5 * (1.0 + cos(phase));
    if (wday == 0 || wday == 6)
        v *= s->weekend;
    return v;
}

static double spike(const struct cs_load_spec *s, cs_time_ms t, int left)
{
    double shape;

    if (t < s->at || (left && t == s->at))
        shape = 0;
    else if (t < s->at + s->rise)
        shape = (double)(t - s->at) / (double)s->rise;
    else if (s->decay > 0)
        shape = exp(-(double)(t - s->at - s->rise) / (double)s->decay);
    else
        shape = 1;
    return s->base * (1.0 + (s->multiple - 1.0) * shape);
}

static double exp_ms(gsl_rng *r, cs_time_ms mean)
{
    cs_time_ms d =
        cs_time_ms_from_s(gsl_ran_exponential(r, cs_time_ms_to_s(mean)));

    return d < 1 ? 1 : d;
}

/* Move the burst window forward until it is the one covering t or the
 * next one after t (left: covering the instant just before t). */
static void bursts_advance(struct cs_load_rt *rt, const struct cs_load_spec *s,
                           cs_time_ms t, int left)
{
    while (left ? rt->b_end < t : rt->b_end <= t) {
        rt->b_start = rt->b_end + exp_ms(rt->rng, s->every);
        rt->b_end = rt->b_start + s->duration;
    }
}

static double bursts(struct cs_load_rt *rt, const struct cs_load_spec *s,
                     cs_time_ms t, int left)
{
    int in;

    bursts_advance(rt, s, t, left);
    in = left ? rt->b_start < t && t <= rt->b_end
              : rt->b_start <= t && t < rt->b_end;
    return in ? s->height : 0;
}

static double raw_value(struct cs_load *l, const struct cs_load_spec *s,
                        cs_time_ms t, int left)
{
    double v;

    switch (s->kind) {
    case CS_LOAD_POINTS:
        return cs_load_points_rate(s->pts, s->npts, t, left);
    case CS_LOAD_CONSTANT:
        return s->value;
    case CS_LOAD_DIURNAL:
        return diurnal(l, s, left && t > 0 ? t - 1 : t);
    case CS_LOAD_SPIKE:
        return spike(s, t, left);
    case CS_LOAD_GROWTH:
        return s->base * pow(1.0 + s->per_week, (double)t / WEEK_MS);
    case CS_LOAD_BURSTS:
        return bursts(&l->rt[s->id], s, t, left);
    case CS_LOAD_SUM:
        v = 0;
        for (int i = 0; i < s->nkids; i++)
            v += node_value(l, s->kids[i], t, left);
        return v;
    case CS_LOAD_PRODUCT:
        v = 1;
        for (int i = 0; i < s->nkids; i++)
            v *= node_value(l, s->kids[i], t, left);
        return v;
    case CS_LOAD_SOURCE:
        return s->ops->value(l->rt[s->id].cursor, t, left);
    }
    return 0;
}

/* Poisson noise: the value of the bucket holding t (left: holding the
 * instant just before t), drawn when the bucket is first asked for from
 * the raw value at that moment (a bucket boundary, since every boundary is
 * a knot). */
static double noisy(struct cs_load *l, const struct cs_load_spec *s,
                    cs_time_ms t, int left)
{
    struct cs_load_rt *rt = &l->rt[s->id];
    int64_t k = (left && t > 0 ? t - 1 : t) / s->noise;

    if (k == rt->bucket)
        return rt->bucket_value;
    if (k == rt->bucket - 1)
        return rt->prev_value;
    if (k > rt->bucket) {
        double secs = cs_time_ms_to_s(s->noise);
        double mean = raw_value(l, s, t, 0) * s->scale * secs;

        rt->prev_value = rt->bucket_value;
        rt->bucket = k;
        rt->bucket_value =
            mean > 0 ? (double)gsl_ran_poisson(rt->rng, mean) / secs : 0;
        if (rt->prev_value < 0)
            rt->prev_value = rt->bucket_value;
    }
    return rt->bucket_value;
}

static double node_value(struct cs_load *l, const struct cs_load_spec *s,
                         cs_time_ms t, int left)
{
    if (s->noise > 0)
        return noisy(l, s, t, left);
    return raw_value(l, s, t, left) * s->scale;
}

double cs_load_rate(struct cs_load *l, cs_time_ms t)
{
    double v;

    if (l->spec == NULL)
        return 0;
    v = node_value(l, l->spec, t, 0);
    return v > 0 && isfinite(v) ? v : 0;
}

double cs_load_rate_left(struct cs_load *l, cs_time_ms t)
{
    double v;

    if (l->spec == NULL)
        return 0;
    v = node_value(l, l->spec, t, 1);
    return v > 0 && isfinite(v) ? v : 0;
}

static cs_time_ms grid_next(cs_time_ms step, cs_time_ms t)
{
    return step > 0 ? (t / step + 1) * step : CS_TIME_NEVER;
}

static cs_time_ms min_t(cs_time_ms a, cs_time_ms b)
{
    return a < b ? a : b;
}

static cs_time_ms node_next(struct cs_load *l, const struct cs_load_spec *s,
                            cs_time_ms t)
{
    struct cs_load_rt *rt;
    cs_time_ms n = CS_TIME_NEVER;

    if (s->noise > 0)
        return grid_next(s->noise, t);
    switch (s->kind) {
    case CS_LOAD_POINTS:
        return points_next(s, t);
    case CS_LOAD_CONSTANT:
        return CS_TIME_NEVER;
    case CS_LOAD_DIURNAL:
    case CS_LOAD_GROWTH:
        return grid_next(s->step, t);
    case CS_LOAD_SPIKE:
        if (t < s->at)
            return s->at;
        if (t < s->at + s->rise)
            return s->at + s->rise;
        if (s->decay <= 0 || t - s->at - s->rise > 20 * s->decay)
            return CS_TIME_NEVER;
        return grid_next(s->step, t);
    case CS_LOAD_BURSTS:
        rt = &l->rt[s->id];
        bursts_advance(rt, s, t, 0);
        return rt->b_start > t ? rt->b_start : rt->b_end;
    case CS_LOAD_SUM:
    case CS_LOAD_PRODUCT:
        for (int i = 0; i < s->nkids; i++)
            n = min_t(n, node_next(l, s->kids[i], t));
        return n;
    case CS_LOAD_SOURCE:
        return s->ops->next(l->rt[s->id].cursor, t);
    }
    return n;
}

cs_time_ms cs_load_next(struct cs_load *l, cs_time_ms t)
{
    cs_time_ms n;

    if (l->spec == NULL)
        return CS_TIME_NEVER;
    n = node_next(l, l->spec, t);
    return n > t ? n : CS_TIME_NEVER;
}

/* 1 if some node of the tree keeps state between calls. */
static int stateful(const struct cs_load_spec *s)
{
    if (s->kind == CS_LOAD_BURSTS || s->kind == CS_LOAD_SOURCE || s->noise > 0)
        return 1;
    for (int i = 0; i < s->nkids; i++)
        if (stateful(s->kids[i]))
            return 1;
    return 0;
}

static int node_init(struct cs_load *l, const struct cs_load_spec *s,
                     uint64_t seed, uint64_t base, struct cs_err *err)
{
    struct cs_load_rt *rt = &l->rt[s->id];
    int rc;

    rt->bucket = -1;
    rt->bucket_value = rt->prev_value = -1;
    if (s->kind == CS_LOAD_BURSTS || s->noise > 0) {
        rt->rng = cs_rng_stream_alloc(seed, base + (uint64_t)s->id);
        if (rt->rng == NULL)
            return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (s->kind == CS_LOAD_BURSTS) {
        rt->b_start = exp_ms(rt->rng, s->every);
        rt->b_end = rt->b_start + s->duration;
    }
    if (s->kind == CS_LOAD_SOURCE &&
        (rc = s->ops->open(s->source, &rt->cursor, err)) < 0)
        return rc;
    for (int i = 0; i < s->nkids; i++)
        if ((rc = node_init(l, s->kids[i], seed, base, err)) < 0)
            return rc;
    return 0;
}

int cs_load_init(struct cs_load *l, const struct cs_load_spec *spec,
                 const struct cs_load_clock *clock, uint64_t seed,
                 uint64_t stream_base, struct cs_err *err)
{
    *l = (struct cs_load){.spec = spec};
    if (clock != NULL)
        l->clock = *clock;
    cs_tz_cache_init(&l->tzc);
    if (spec == NULL || !stateful(spec))
        return 0; /* nothing to remember between calls: no allocation */
    l->rt = calloc((size_t)spec->nnodes, sizeof(*l->rt));
    if (l->rt == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    return node_init(l, spec, seed, stream_base, err);
}

static void node_fini(struct cs_load *l, const struct cs_load_spec *s)
{
    struct cs_load_rt *rt = &l->rt[s->id];

    for (int i = 0; i < s->nkids; i++)
        node_fini(l, s->kids[i]);
    if (rt->rng != NULL)
        gsl_rng_free(rt->rng);
    if (s->kind == CS_LOAD_SOURCE && rt->cursor != NULL)
        s->ops->close(rt->cursor);
    rt->rng = NULL;
    rt->cursor = NULL;
}

void cs_load_fini(struct cs_load *l)
{
    if (l->rt != NULL && l->spec != NULL)
        node_fini(l, l->spec);
    free(l->rt);
    l->rt = NULL;
}

static int node_status(struct cs_load *l, const struct cs_load_spec *s,
                       struct cs_err *err)
{
    int rc;

    if (s->kind == CS_LOAD_SOURCE && l->rt[s->id].cursor != NULL &&
        (rc = s->ops->status(l->rt[s->id].cursor, err)) < 0)
        return rc;
    for (int i = 0; i < s->nkids; i++)
        if ((rc = node_status(l, s->kids[i], err)) < 0)
            return rc;
    return 0;
}

int cs_load_status(struct cs_load *l, struct cs_err *err)
{
    return l->spec != NULL && l->rt != NULL ? node_status(l, l->spec, err) : 0;
}
