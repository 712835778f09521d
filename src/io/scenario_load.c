/*
 * scenario_load.c - a `load:` entry of the scenario into a struct
 * cs_load_spec tree (model/load.h; the syntax is docs/load.md).
 *
 * A node is a list of points, or a mapping with exactly one shape key and
 * the optional modifiers `scale` and `noise`:
 *
 *   load:
 *     sum:
 *       - diurnal: {min: 40, max: 180, peak: "14:00", weekend: 0.6}
 *       - lunchRush: {peak: 120}
 *     noise: 10s
 *
 * Piecewise shapes (step, ramp, lunchRush and the runbook test patterns)
 * become POINTS here, with times of day turned into instants through the
 * scenario's start and time zone, so the model never sees a calendar. A
 * `trace` becomes a SOURCE whose file is read through once now, so a bad
 * row is an error before the run (scenario_trace.c, io/trace.h).
 */
#include "io/scenario_load.h"
#include "core/clock.h"
#include "io/quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS ((cs_time_ms)86400 * 1000)

/* A growing list of points (heap; copied into the scenario at the end). */
struct ptbuf {
    struct cs_load_point *p;
    size_t n, cap;
};

static int pt_add(struct ld *l, struct ptbuf *b, cs_time_ms at, double rps,
                  int ramp)
{
    if (b->n > 0 && at <= b->p[b->n - 1].at) {
        /* a shape's points at one instant: the later one wins */
        if (at == b->p[b->n - 1].at) {
            b->p[b->n - 1].rps = rps;
            return 0;
        }
        return cs_err_set(l->err, CS_EINVAL, NULL, 0, 0, "points overlap");
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        struct cs_load_point *p = realloc(b->p, cap * sizeof(*p));

        if (p == NULL)
            return cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        b->p = p;
        b->cap = cap;
    }
    b->p[b->n++] = (struct cs_load_point){at, rps, ramp};
    return 0;
}

struct cs_load_spec *ld_load_node(struct ld *l, enum cs_load_kind kind)
{
    struct cs_load_spec *s = ld_alloc(l, sizeof(*s));

    if (s != NULL) {
        s->kind = kind;
        s->scale = 1;
    }
    return s;
}

/* Move the points of b into the scenario as a POINTS node. */
static int points_node(struct ld *l, struct ptbuf *b, struct cs_load_spec **out)
{
    struct cs_load_spec *s = ld_load_node(l, CS_LOAD_POINTS);
    struct cs_load_point *p = ld_alloc(l, (b->n ? b->n : 1) * sizeof(*p));

    if (s == NULL || p == NULL) {
        free(b->p);
        return CS_ENOMEM;
    }
    if (b->n > 0)
        memcpy(p, b->p, b->n * sizeof(*p));
    free(b->p);
    s->pts = p;
    s->npts = b->n;
    *out = s;
    return 0;
}

/* ---- field readers ---- */

int ld_load_num(struct ld *l, const struct cs_ynode *n, const char *what,
                const char *key, int required, double min, double max,
                double *out)
{
    const struct cs_ynode *v;
    char fp[256];

    v = required ? cs_ymap_require(n, key, what, l->err) : cs_ymap_get(n, key);
    if (v == NULL)
        return required ? CS_EINVAL : 0;
    return cs_yget_double(v, cs_ypath(fp, sizeof(fp), what, key), min, max, out,
                          l->err);
}

int ld_load_dur(struct ld *l, const struct cs_ynode *n, const char *what,
                const char *key, int required, cs_time_ms *out)
{
    const struct cs_ynode *v;
    char fp[256];

    v = required ? cs_ymap_require(n, key, what, l->err) : cs_ymap_get(n, key);
    if (v == NULL)
        return required ? CS_EINVAL : 0;
    return cs_yget_duration(v, cs_ypath(fp, sizeof(fp), what, key), out,
                            l->err);
}

/* A time of day "HH:MM[:SS]" (seconds after local midnight). */
static int tod(struct ld *l, const struct cs_ynode *n, const char *what,
               const char *key, int32_t *out)
{
    const struct cs_ynode *v = cs_ymap_get(n, key);
    struct cs_err e;
    char fp[256];
    const char *s;

    if (v == NULL)
        return 0;
    cs_ypath(fp, sizeof(fp), what, key);
    if (cs_yget_string(v, fp, &s, l->err) < 0)
        return CS_EINVAL;
    cs_err_clear(&e);
    if (cs_clock_parse_tod(s, out, &e) < 0)
        return ld_fail(l, v, "%s: %s", fp, e.msg);
    return 0;
}

/* Simulated ms of the instant local midnight of day `day` (days since
 * 1970-01-01, local) + tod seconds. */
static cs_time_ms local_instant(const struct cs_scenario *sc, int64_t day,
                                int32_t secs)
{
    struct cs_civil c;
    int64_t utc;

    cs_civil_from_seconds(day * 86400 + secs, &c);
    if (sc->tz == NULL)
        utc = day * 86400 + secs;
    else
        (void)cs_tz_from_local(sc->tz, &c, &utc);
    return utc * 1000 - sc->start_utc_ms;
}

/* The local day (days since 1970-01-01) holding simulated time t. */
static int64_t local_day(const struct cs_scenario *sc, cs_time_ms t)
{
    int64_t ms = sc->start_utc_ms + t;
    int64_t s = cs_floor_div(ms, 1000);

    if (sc->tz != NULL)
        s += cs_tz_offset(sc->tz, s);
    return cs_floor_div(s, 86400);
}

int ld_instant(struct ld *l, const struct cs_ynode *v, const char *what,
               cs_time_ms *out)
{
    const struct cs_scenario *sc = l->sc;
    struct cs_err e;
    int32_t secs;
    int64_t utc_ms, day;
    const char *s;

    if (cs_ynode_expect(v, CS_Y_SCALAR, what, l->err) < 0)
        return CS_EINVAL;
    s = v->str;
    if (cs_duration_parse(s, out) == 0)
        return 0;
    cs_err_clear(&e);
    if (strchr(s, '-') == NULL && cs_clock_parse_tod(s, &secs, &e) == 0) {
        /* the first such wall-clock time at or after the start */
        day = local_day(sc, 0);
        *out = local_instant(sc, day, secs);
        if (*out < 0)
            *out = local_instant(sc, day + 1, secs);
        return 0;
    }
    cs_err_clear(&e);
    if (cs_clock_parse_iso(s, sc->tz, &utc_ms, &e) == 0) {
        if (utc_ms < sc->start_utc_ms)
            return ld_fail(l, v, "%s (%s) is before the scenario's start", what,
                           s);
        *out = utc_ms - sc->start_utc_ms;
        return 0;
    }
    return ld_fail(l, v,
                   "%s must be a duration from the start (90s, 2h), a time "
                   "of day (\"11:30\") or a date and time "
                   "(2026-11-27T20:00); got \"%s\"",
                   what, s);
}

int ld_load_instant(struct ld *l, const struct cs_ynode *n, const char *what,
                    const char *key, int required, cs_time_ms *out)
{
    const struct cs_ynode *v;
    char fp[256];

    v = required ? cs_ymap_require(n, key, what, l->err) : cs_ymap_get(n, key);
    if (v == NULL)
        return required ? CS_EINVAL : 0;
    return ld_instant(l, v, cs_ypath(fp, sizeof(fp), what, key), out);
}

/* ---- piecewise shapes, compiled into points ---- */

/* The list form: [{at, rps, ramp}, ...] with strictly increasing `at`. */
static int shape_points(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_load_spec **out)
{
    static const char *const keys[] = {"at", "rps", "ramp", NULL};
    struct ptbuf b = {0};
    char path[256], fp[256];

    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *p = n->items[i], *v;
        cs_time_ms at;
        double rps = 0;
        int ramp = 0;

        cs_ypath_index(path, sizeof(path), what, i);
        if (cs_ymap_check_keys(p, keys, path, l->err) < 0 ||
            ld_load_instant(l, p, path, "at", 1, &at) < 0)
            goto fail;
        if (b.n > 0 && at <= b.p[b.n - 1].at) {
            ld_fail(l, cs_ymap_get(p, "at"),
                    "%s.at must be later than the previous point's", path);
            goto fail;
        }
        if (ld_load_num(l, p, path, "rps", 1, 0, 1e9, &rps) < 0)
            goto fail;
        if ((v = cs_ymap_get(p, "ramp")) != NULL &&
            cs_yget_bool(v, cs_ypath(fp, sizeof(fp), path, "ramp"), &ramp,
                         l->err) < 0)
            goto fail;
        if (ramp && i == 0) {
            ld_fail(l, v, "%s.ramp needs a previous point to ramp from", path);
            goto fail;
        }
        if (pt_add(l, &b, at, rps, ramp) < 0)
            goto fail;
    }
    return points_node(l, &b, out);
fail:
    free(b.p);
    return CS_EINVAL;
}

/* base until `at`, then up to peak over `up`, held for `hold`, back down
 * over `down` (0: a step), base again after. */
static int trapezoid(struct ld *l, double base, double peak, cs_time_ms at,
                     cs_time_ms up, cs_time_ms hold, cs_time_ms down,
                     struct cs_load_spec **out)
{
    struct ptbuf b = {0};
    cs_time_ms top = at + up, end = top + hold;

    /* without a ramp the base point goes at 0 (or 1 ms before a step at
     * 0), so both points exist and the load reads `base` before `at` */
    if (pt_add(l, &b, up > 0 ? at : (at > 0 ? 0 : at - 1), base, 0) < 0 ||
        pt_add(l, &b, top, peak, up > 0) < 0 ||
        (down > 0 && pt_add(l, &b, end, peak, 1) < 0) ||
        pt_add(l, &b, end + down, base, down > 0) < 0) {
        free(b.p);
        return CS_ENOMEM;
    }
    return points_node(l, &b, out);
}

static int check(struct ld *l, const struct cs_ynode *n, const char *what,
                 const char *const *keys)
{
    return cs_ymap_check_keys(n, keys, what, l->err) < 0 ? CS_EINVAL : 0;
}

static int shape_step(struct ld *l, const struct cs_ynode *n, const char *what,
                      struct cs_load_spec **out)
{
    static const char *const keys[] = {"at", "from", "to", NULL};
    double from = 0, to = 0;
    cs_time_ms at = 0;

    if (check(l, n, what, keys) < 0 ||
        ld_load_instant(l, n, what, "at", 1, &at) < 0 ||
        ld_load_num(l, n, what, "from", 0, 0, 1e9, &from) < 0 ||
        ld_load_num(l, n, what, "to", 1, 0, 1e9, &to) < 0)
        return CS_EINVAL;
    return trapezoid(l, from, to, at, 0, CS_TIME_NEVER / 4, 0, out);
}

static int shape_ramp(struct ld *l, const struct cs_ynode *n, const char *what,
                      struct cs_load_spec **out)
{
    static const char *const keys[] = {"start", "end", "from", "to", NULL};
    double from = 0, to = 0;
    cs_time_ms start = 0, end = 0;

    if (check(l, n, what, keys) < 0 ||
        ld_load_instant(l, n, what, "start", 0, &start) < 0 ||
        ld_load_instant(l, n, what, "end", 1, &end) < 0 ||
        ld_load_num(l, n, what, "from", 0, 0, 1e9, &from) < 0 ||
        ld_load_num(l, n, what, "to", 1, 0, 1e9, &to) < 0)
        return CS_EINVAL;
    if (end <= start)
        return ld_fail(l, cs_ymap_get(n, "end"), "%s.end must be after start",
                       what);
    return trapezoid(l, from, to, start, end - start, CS_TIME_NEVER / 4, 0,
                     out);
}

/* The runbook's test patterns: gradualIncrease, sustainedPeak, rapidSpike
 * and longRun, each a trapezoid (or a staircase) with its own defaults. */
static int shape_pattern(struct ld *l, const struct cs_ynode *n,
                         const char *what, const char *name,
                         struct cs_load_spec **out)
{
    static const char *const keys[] = {"base",     "peak",     "rps",  "at",
                                       "rise",     "hold",     "fall", "rampUp",
                                       "rampDown", "duration", NULL};
    double base = 0, peak = 0;
    cs_time_ms at = 0, up = 5 * 60000, hold = 30 * 60000, down = 5 * 60000;
    int spike = strcmp(name, "rapidSpike") == 0;
    int soak = strcmp(name, "longRun") == 0;

    if (spike) {
        up = 30000;
        hold = 5 * 60000;
        down = 2 * 60000;
    } else if (soak) {
        up = down = 0;
        hold = 8 * 3600000;
    }
    if (check(l, n, what, keys) < 0 ||
        ld_load_num(l, n, what, "base", 0, 0, 1e9, &base) < 0 ||
        ld_load_num(l, n, what, soak ? "rps" : "peak", 1, 0, 1e9, &peak) < 0 ||
        ld_load_instant(l, n, what, "at", spike, &at) < 0 ||
        ld_load_dur(l, n, what, spike ? "rise" : "rampUp", 0, &up) < 0 ||
        ld_load_dur(l, n, what, soak ? "duration" : "hold", 0, &hold) < 0 ||
        ld_load_dur(l, n, what, spike ? "fall" : "rampDown", 0, &down) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < n->n; i++) {
        const char *k = n->items[2 * i]->str;
        int ok = strcmp(k, "base") == 0 || strcmp(k, "at") == 0 ||
                 strcmp(k, soak ? "rps" : "peak") == 0 ||
                 strcmp(k, spike ? "rise" : "rampUp") == 0 ||
                 strcmp(k, soak ? "duration" : "hold") == 0 ||
                 strcmp(k, spike ? "fall" : "rampDown") == 0;

        if (!ok)
            return ld_fail(l, n->items[2 * i], "%s: %s has no \"%s\"", what,
                           name, k);
    }
    return trapezoid(l, base, peak, at, up, hold, down, out);
}

static int shape_gradual(struct ld *l, const struct cs_ynode *n,
                         const char *what, struct cs_load_spec **out)
{
    static const char *const keys[] = {"from", "to",    "start",
                                       "over", "steps", NULL};
    struct ptbuf b = {0};
    double from = 0, to = 0, steps = 0;
    cs_time_ms start = 0, over = 0;

    if (check(l, n, what, keys) < 0 ||
        ld_load_num(l, n, what, "from", 0, 0, 1e9, &from) < 0 ||
        ld_load_num(l, n, what, "to", 1, 0, 1e9, &to) < 0 ||
        ld_load_instant(l, n, what, "start", 0, &start) < 0 ||
        ld_load_dur(l, n, what, "over", 1, &over) < 0 ||
        ld_load_num(l, n, what, "steps", 0, 0, 10000, &steps) < 0)
        return CS_EINVAL;
    if (over <= 0)
        return ld_fail(l, cs_ymap_get(n, "over"), "%s.over must be positive",
                       what);
    if (steps != floor(steps))
        return ld_fail(l, cs_ymap_get(n, "steps"),
                       "%s.steps must be a whole number", what);
    if (steps == 0)
        return trapezoid(l, from, to, start, over, CS_TIME_NEVER / 4, 0, out);
    if (pt_add(l, &b, start, from, 0) < 0)
        return CS_ENOMEM;
    for (int i = 1; i <= (int)steps; i++)
        if (pt_add(l, &b, start + over * i / (int64_t)steps,
                   from + (to - from) * i / steps, 0) < 0) {
            free(b.p);
            return CS_ENOMEM;
        }
    return points_node(l, &b, out);
}

/* A daily peak between two local times of day, on every day of the run
 * (or weekdays only), as points. */
static int shape_lunch(struct ld *l, const struct cs_ynode *n, const char *what,
                       struct cs_load_spec **out)
{
    static const char *const keys[] = {"base",   "peak",     "from",     "to",
                                       "rampUp", "rampDown", "weekdays", NULL};
    const struct cs_scenario *sc = l->sc;
    struct ptbuf b = {0};
    double base = 0, peak = 0;
    int32_t from = 11 * 3600 + 1800, to = 13 * 3600;
    cs_time_ms up = 15 * 60000, down = 15 * 60000;
    int weekdays = 0;
    const struct cs_ynode *v;
    char fp[256];

    if (check(l, n, what, keys) < 0 ||
        ld_load_num(l, n, what, "base", 0, 0, 1e9, &base) < 0 ||
        ld_load_num(l, n, what, "peak", 1, 0, 1e9, &peak) < 0 ||
        tod(l, n, what, "from", &from) < 0 || tod(l, n, what, "to", &to) < 0 ||
        ld_load_dur(l, n, what, "rampUp", 0, &up) < 0 ||
        ld_load_dur(l, n, what, "rampDown", 0, &down) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "weekdays")) != NULL &&
        cs_yget_bool(v, cs_ypath(fp, sizeof(fp), what, "weekdays"), &weekdays,
                     l->err) < 0)
        return CS_EINVAL;
    if (to <= from || (cs_time_ms)(to - from) * 1000 + up + down >= DAY_MS)
        return ld_fail(l, cs_ymap_get(n, "to") ? cs_ymap_get(n, "to") : n,
                       "%s: `to` (%02d:%02d) must be after `from` (%02d:%02d) "
                       "and the peak with its ramps must fit in one day",
                       what, to / 3600, to / 60 % 60, from / 3600,
                       from / 60 % 60);
    if (pt_add(l, &b, local_instant(sc, local_day(sc, 0) - 2, 0), base, 0) < 0)
        return CS_ENOMEM;
    for (int64_t d = local_day(sc, 0) - 1; d <= local_day(sc, sc->duration);
         d++) {
        cs_time_ms a = local_instant(sc, d, from), z = local_instant(sc, d, to);
        int wday = cs_days_wday(d);

        if (weekdays && (wday == 0 || wday == 6))
            continue;
        if ((up > 0 && pt_add(l, &b, a - up, base, 0) < 0) ||
            pt_add(l, &b, a, peak, up > 0) < 0 ||
            (down > 0 && pt_add(l, &b, z, peak, 1) < 0) ||
            pt_add(l, &b, z + down, base, down > 0) < 0) {
            free(b.p);
            return CS_ENOMEM;
        }
    }
    return points_node(l, &b, out);
}

/* ---- curves ---- */

static int shape_diurnal(struct ld *l, const struct cs_ynode *n,
                         const char *what, struct cs_load_spec **out)
{
    static const char *const keys[] = {"min",     "max",  "peak",
                                       "weekend", "step", NULL};
    struct cs_load_spec *s = ld_load_node(l, CS_LOAD_DIURNAL);

    if (s == NULL)
        return CS_ENOMEM;
    s->peak_tod = 14 * 3600;
    s->weekend = 1;
    s->step = 60000;
    if (check(l, n, what, keys) < 0 ||
        ld_load_num(l, n, what, "min", 1, 0, 1e9, &s->min) < 0 ||
        ld_load_num(l, n, what, "max", 1, 0, 1e9, &s->max) < 0 ||
        tod(l, n, what, "peak", &s->peak_tod) < 0 ||
        ld_load_num(l, n, what, "weekend", 0, 0, 1e6, &s->weekend) < 0 ||
        ld_load_dur(l, n, what, "step", 0, &s->step) < 0)
        return CS_EINVAL;
    if (s->max < s->min)
        return ld_fail(l, cs_ymap_get(n, "max"),
                       "%s.max must be at least min (got %g < %g)", what,
                       s->max, s->min);
    if (s->step < 1000)
        return ld_fail(l, cs_ymap_get(n, "step"), "%s.step must be at least 1s",
                       what);
    *out = s;
    return 0;
}

static int shape_flash(struct ld *l, const struct cs_ynode *n, const char *what,
                       struct cs_load_spec **out)
{
    static const char *const keys[] = {"base",  "multiple", "at", "rise",
                                       "decay", "step",     NULL};
    struct cs_load_spec *s = ld_load_node(l, CS_LOAD_SPIKE);

    if (s == NULL)
        return CS_ENOMEM;
    s->decay = 30 * 60000;
    s->step = 60000;
    if (check(l, n, what, keys) < 0 ||
        ld_load_num(l, n, what, "base", 1, 0, 1e9, &s->base) < 0 ||
        ld_load_num(l, n, what, "multiple", 1, 0, 1e6, &s->multiple) < 0 ||
        ld_load_instant(l, n, what, "at", 1, &s->at) < 0 ||
        ld_load_dur(l, n, what, "rise", 0, &s->rise) < 0 ||
        ld_load_dur(l, n, what, "decay", 0, &s->decay) < 0 ||
        ld_load_dur(l, n, what, "step", 0, &s->step) < 0)
        return CS_EINVAL;
    if (s->step < 1000)
        return ld_fail(l, cs_ymap_get(n, "step"), "%s.step must be at least 1s",
                       what);
    *out = s;
    return 0;
}

/* "5%" or a fraction (0.05). */
static int percent(struct ld *l, const struct cs_ynode *n, const char *what,
                   const char *key, double *out)
{
    const struct cs_ynode *v = cs_ymap_require(n, key, what, l->err);
    char fp[256], buf[64];
    size_t len;

    if (v == NULL)
        return CS_EINVAL;
    cs_ypath(fp, sizeof(fp), what, key);
    if (cs_ynode_expect(v, CS_Y_SCALAR, fp, l->err) < 0)
        return CS_EINVAL;
    len = strlen(v->str);
    if (len > 1 && len < sizeof(buf) && v->str[len - 1] == '%') {
        memcpy(buf, v->str, len - 1);
        buf[len - 1] = '\0';
        if (cs_parse_double(buf, out) == 0 && *out > -100 && *out <= 1e6) {
            *out /= 100;
            return 0;
        }
    } else if (cs_parse_double(v->str, out) == 0 && *out > -1 && *out <= 1e4) {
        return 0;
    }
    return ld_fail(l, v,
                   "%s must be a percentage above -100%% (5%%) or a "
                   "fraction (0.05); got \"%s\"",
                   fp, v->str);
}

static int shape_growth(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_load_spec **out)
{
    static const char *const keys[] = {"base", "perWeek", "step", NULL};
    struct cs_load_spec *s = ld_load_node(l, CS_LOAD_GROWTH);

    if (s == NULL)
        return CS_ENOMEM;
    s->base = 1;
    s->step = 3600000;
    if (check(l, n, what, keys) < 0 ||
        ld_load_num(l, n, what, "base", 0, 0, 1e9, &s->base) < 0 ||
        percent(l, n, what, "perWeek", &s->per_week) < 0 ||
        ld_load_dur(l, n, what, "step", 0, &s->step) < 0)
        return CS_EINVAL;
    if (s->step < 1000)
        return ld_fail(l, cs_ymap_get(n, "step"), "%s.step must be at least 1s",
                       what);
    *out = s;
    return 0;
}

static int shape_bursts(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_load_spec **out)
{
    static const char *const keys[] = {"height", "every", "duration", NULL};
    struct cs_load_spec *s = ld_load_node(l, CS_LOAD_BURSTS);

    if (s == NULL)
        return CS_ENOMEM;
    if (check(l, n, what, keys) < 0 ||
        ld_load_num(l, n, what, "height", 1, 0, 1e9, &s->height) < 0 ||
        ld_load_dur(l, n, what, "every", 1, &s->every) < 0 ||
        ld_load_dur(l, n, what, "duration", 1, &s->duration) < 0)
        return CS_EINVAL;
    if (s->every < 1000 || s->duration < 1000)
        return ld_fail(l, n, "%s: every and duration must be at least 1s",
                       what);
    *out = s;
    return 0;
}

static int shape_constant(struct ld *l, const struct cs_ynode *n,
                          const char *what, struct cs_load_spec **out)
{
    struct cs_load_spec *s = ld_load_node(l, CS_LOAD_CONSTANT);

    if (s == NULL)
        return CS_ENOMEM;
    *out = s;
    return cs_yget_double(n, what, 0, 1e9, &s->value, l->err);
}

/* ---- the node ---- */

static int node(struct ld *l, const struct cs_ynode *n, const char *what,
                int depth, struct cs_load_spec **out);

static int shape_list(struct ld *l, const struct cs_ynode *n, const char *what,
                      enum cs_load_kind kind, int depth,
                      struct cs_load_spec **out)
{
    struct cs_load_spec *s = ld_load_node(l, kind);
    const struct cs_load_spec **kids;
    char path[256];

    if (s == NULL)
        return CS_ENOMEM;
    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    if (n->n == 0)
        return ld_fail(l, n, "%s needs at least one shape", what);
    if ((kids = ld_alloc(l, n->n * sizeof(*kids))) == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        struct cs_load_spec *k;

        if (node(l, n->items[i], cs_ypath_index(path, sizeof(path), what, i),
                 depth + 1, &k) < 0)
            return CS_EINVAL;
        kids[i] = k;
    }
    s->kids = kids;
    s->nkids = (int)n->n;
    *out = s;
    return 0;
}

static const char *const shapes[] = {"points",
                                     "constant",
                                     "step",
                                     "ramp",
                                     "diurnal",
                                     "lunchRush",
                                     "flashSale",
                                     "growth",
                                     "bursts",
                                     "trace",
                                     "gradualIncrease",
                                     "sustainedPeak",
                                     "rapidSpike",
                                     "longRun",
                                     "sum",
                                     "product",
                                     NULL};

static int shape(struct ld *l, const struct cs_ynode *v, const char *key,
                 const char *what, int depth, struct cs_load_spec **out)
{
    if (strcmp(key, "points") == 0)
        return shape_points(l, v, what, out);
    if (strcmp(key, "constant") == 0)
        return shape_constant(l, v, what, out);
    if (strcmp(key, "step") == 0)
        return shape_step(l, v, what, out);
    if (strcmp(key, "ramp") == 0)
        return shape_ramp(l, v, what, out);
    if (strcmp(key, "diurnal") == 0)
        return shape_diurnal(l, v, what, out);
    if (strcmp(key, "lunchRush") == 0)
        return shape_lunch(l, v, what, out);
    if (strcmp(key, "flashSale") == 0)
        return shape_flash(l, v, what, out);
    if (strcmp(key, "growth") == 0)
        return shape_growth(l, v, what, out);
    if (strcmp(key, "bursts") == 0)
        return shape_bursts(l, v, what, out);
    if (strcmp(key, "trace") == 0)
        return ld_load_trace(l, v, what, out);
    if (strcmp(key, "gradualIncrease") == 0)
        return shape_gradual(l, v, what, out);
    if (strcmp(key, "sum") == 0)
        return shape_list(l, v, what, CS_LOAD_SUM, depth, out);
    if (strcmp(key, "product") == 0)
        return shape_list(l, v, what, CS_LOAD_PRODUCT, depth, out);
    return shape_pattern(l, v, what, key, out);
}

static int node(struct ld *l, const struct cs_ynode *n, const char *what,
                int depth, struct cs_load_spec **out)
{
    const char *key = NULL;
    const struct cs_ynode *kn = NULL, *v;
    char fp[256];

    if (depth > 16)
        return ld_fail(l, n, "%s: shapes nest more than 16 deep", what);
    if (n->kind == CS_Y_SEQ)
        return shape_points(l, n, what, out);
    if (cs_ynode_expect(n, CS_Y_MAP, what, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *k = n->items[2 * i];
        int known = 0;

        if (k->kind != CS_Y_SCALAR)
            return ld_fail(l, k, "key in %s must be a scalar", what);
        if (strcmp(k->str, "scale") == 0 || strcmp(k->str, "noise") == 0)
            continue;
        for (int j = 0; shapes[j] != NULL && !known; j++)
            known = strcmp(k->str, shapes[j]) == 0;
        if (!known)
            return ld_fail(l, k,
                           "unknown key \"%s\" in %s (a shape: points, "
                           "constant, step, ramp, diurnal, lunchRush, "
                           "flashSale, growth, bursts, trace, "
                           "gradualIncrease, sustainedPeak, rapidSpike, "
                           "longRun, sum, product; or scale, noise)",
                           k->str, what);
        if (key != NULL)
            return ld_fail(l, k,
                           "%s has two shapes (%s and %s); combine them "
                           "with sum or product",
                           what, key, k->str);
        key = k->str;
        kn = n->items[2 * i + 1];
    }
    if (key == NULL)
        return ld_fail(l, n,
                       "%s has no shape (points, constant, diurnal, "
                       "trace, sum, ...)",
                       what);
    if (shape(l, kn, key, cs_ypath(fp, sizeof(fp), what, key), depth, out) < 0)
        return CS_EINVAL;
    if (ld_load_num(l, n, what, "scale", 0, 0, 1e9, &(*out)->scale) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "noise")) != NULL) {
        if (ld_load_dur(l, n, what, "noise", 1, &(*out)->noise) < 0)
            return CS_EINVAL;
        if ((*out)->noise < 100)
            return ld_fail(l, v, "%s.noise must be at least 100ms", what);
    }
    return 0;
}

static int number(struct cs_load_spec *s, int *next)
{
    s->id = (*next)++;
    for (int i = 0; i < s->nkids; i++)
        number((struct cs_load_spec *)s->kids[i], next);
    return *next;
}

int ld_load(struct ld *l, const struct cs_ynode *n, const char *what,
            const struct cs_load_spec **out)
{
    struct cs_load_spec *s;
    int count = 0;

    if (node(l, n, what, 0, &s) < 0)
        return CS_EINVAL;
    s->nnodes = number(s, &count);
    if (s->nnodes > CS_LOAD_NODES_MAX)
        return ld_fail(l, n, "%s has %d shapes; at most %d are allowed", what,
                       s->nnodes, CS_LOAD_NODES_MAX);
    *out = s;
    return 0;
}
