/*
 * trace_cursor.c - replaying a checked trace: the cursor behind
 * cs_trace_source (see trace.h and docs/traces.md).
 *
 * Design
 * ------
 * A cursor streams the points of the trace (rows, or arrivals buckets)
 * through a window of four: p[0..3] are points i-1, i, i+1, i+2, where i is
 * the point in force (the current interval is [p[1], p[2])). That is all
 * any interpolation needs: STEP uses p[1], LINEAR p[1] and p[2], and the
 * Steffen spline on [p[1], p[2]] depends only on the slopes at its ends,
 * which Steffen's method computes from their two neighbours, so the four
 * points give exactly the spline through the whole file (the first and
 * last intervals use three, as GSL does at a boundary).
 *
 * Time. Simulated time t maps to trace time
 *     tau = ws + max(0, t - offset) / 1000 * time_scale,
 * wrapped into the window [ws, we) with loop (cycle c covers
 * [c P, (c+1) P) with P = we - ws). Trace times go back to simulated time
 * in one function, sim_ms(), which rounds to the millisecond. Which
 * interval holds t is decided by comparing these rounded knots with t, not
 * trace times, so the value at a knot is exactly the value that next()
 * announced (a step is never lost to rounding) and two rows rounding to one
 * millisecond simply make one knot.
 *
 * States (the function that moves the cursor):
 *
 *   open --reopen()--> in cycle 0 --enter_cycle()--> in cycle c (loop)
 *     |                  \--read error (shift)--> failed: values hold
 *     \--open/header error: open fails
 *
 * Invariants
 *  1. ok[1] while not failed: there is a point in force.
 *  2. p[1].t <= ws or sim_ms(p[1]) <= the last t the cursor was moved to;
 *     p[2], when valid, is after p[1].
 *  3. Moving only reads forward; going to a later cycle first computes the
 *     value at the window's end (the same for every cycle), then reopens.
 */
#include "io/trace.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/trace_int.h"

#define CYCLE_MAX 1e15 /* cycles beyond this are not told apart */

struct cursor {
    const struct cs_trace_spec *spec;
    struct trace_rows rows;  /* the open reader */
    struct trace_buckets bk; /* arrivals mode */
    struct trace_pt q[2];    /* buckets closed but not yet taken */
    int nq, qi;
    int eof; /* the reader is exhausted */

    struct trace_pt p[4]; /* points i-1, i, i+1, i+2 */
    int ok[4];            /* which of them exist */
    long long idx;        /* i, counted since the last reopen */

    double ws, we, P, ts; /* window and time_scale, trace s */
    long long cycle;      /* the window repetition the points belong to */
    double first_value;   /* at ws, before scale */
    double end_value;     /* the left limit at we, before scale */
    int have_end;
    double last; /* the last value handed out (after scale) */

    int failed;        /* a read error: hold `last` */
    int fail_code;     /* its CS_E* */
    struct cs_err err; /* its message */

    gsl_interp *sp[2]; /* Steffen on 3 and on 4 points (SPLINE only) */
    long long sp_idx;  /* idx the initialised one belongs to, or -1 */
    int sp_n;          /* its number of points (2: linear) */
    double sx[4], sy[4];
};

/* ---- reading points ---------------------------------------------------- */

static void fail(struct cursor *c, int code, const struct cs_err *err)
{
    if (c->failed)
        return;
    c->failed = 1;
    c->fail_code = code;
    c->err = *err;
}

/* The next point of the stream: 1, 0 at its end, or < 0 (failed). */
static int pull(struct cursor *c, struct trace_pt *pt)
{
    struct trace_pt row;
    struct cs_err err;
    int rc;

    while (c->spec->arrivals && c->qi == c->nq) {
        if (c->eof)
            return 0;
        rc = trace_rows_next(&c->rows, &row, &err);
        if (rc < 0) {
            fail(c, rc, &err);
            return rc;
        }
        c->qi = 0;
        if (rc == 1) {
            c->nq = trace_buckets_push(&c->bk, row.t, c->q);
        } else {
            c->nq = trace_buckets_flush(&c->bk, c->q);
            c->eof = 1;
        }
    }
    if (c->spec->arrivals) {
        *pt = c->q[c->qi++];
        return 1;
    }
    if (c->eof)
        return 0;
    rc = trace_rows_next(&c->rows, pt, &err);
    if (rc < 0)
        fail(c, rc, &err);
    c->eof = rc <= 0;
    return rc;
}

/* Slide the window of four by one point. */
static void shift(struct cursor *c)
{
    memmove(c->p, c->p + 1, 3 * sizeof(c->p[0]));
    memmove(c->ok, c->ok + 1, 3 * sizeof(c->ok[0]));
    c->ok[3] = pull(c, &c->p[3]) == 1;
    c->idx++;
}

/* Open the file afresh and stop at the point in force at ws. */
static int reopen(struct cursor *c, struct cs_err *err)
{
    const struct cs_trace_spec *s = c->spec;
    int rc;

    trace_rows_close(&c->rows);
    rc = trace_rows_open(&c->rows, s, err);
    if (rc < 0)
        return rc;
    trace_buckets_init(&c->bk, c->ws, c->we, s->bucket_s);
    c->nq = c->qi = c->eof = 0;
    memset(c->ok, 0, sizeof(c->ok));
    for (int i = 0; i < 3; i++)
        shift(c);
    while (!c->failed && c->ok[2] && c->p[2].t <= c->ws)
        shift(c);
    c->idx = 0;
    c->sp_idx = -1;
    if (c->failed) {
        *err = c->err;
        return c->fail_code;
    }
    if (!c->ok[1])
        return cs_err_set(err, CS_EIO, s->path ? s->path : "trace", 0, 0,
                          "no data rows (the file changed after it was "
                          "checked)");
    return 0;
}

/* ---- time -------------------------------------------------------------- */

/* Simulated ms of x trace seconds after the start of cycle 0: the one place
 * trace time is rounded. CS_TIME_NEVER when past the representable. */
static cs_time_ms sim_ms(const struct cursor *c, double x)
{
    cs_time_ms ms = cs_time_ms_from_s(x / c->ts);

    if (ms >= CS_TIME_NEVER - 1 - c->spec->offset)
        return CS_TIME_NEVER;
    return c->spec->offset + ms;
}

/* Simulated ms of trace time tau in the cursor's cycle. */
static cs_time_ms pt_ms(const struct cursor *c, double tau)
{
    return sim_ms(c, (double)c->cycle * c->P + (tau - c->ws));
}

/* Trace seconds since the start of cycle 0 at t (t >= offset). */
static double rel_s(const struct cursor *c, cs_time_ms t)
{
    return (double)(t - c->spec->offset) / 1000.0 * c->ts;
}

/* The cycle holding t (loop, t >= offset): sim_ms(cy P) <= t < the next. */
static long long cycle_of(const struct cursor *c, cs_time_ms t)
{
    double k = floor(rel_s(c, t) / c->P);
    long long cy = k < 0           ? 0
                   : k > CYCLE_MAX ? (long long)CYCLE_MAX
                                   : (long long)k;

    for (int i = 0; i < 4 && cy > 0 && sim_ms(c, (double)cy * c->P) > t; i++)
        cy--;
    for (int i = 0; i < 4 && sim_ms(c, (double)(cy + 1) * c->P) <= t; i++)
        cy++;
    return cy;
}

/* Move forward to the interval holding t: the last point whose knot is
 * <= t (< t for a left limit), never past the window's end. */
static void position(struct cursor *c, cs_time_ms t, int left)
{
    while (!c->failed && c->ok[2] && c->p[2].t < c->we) {
        cs_time_ms k = pt_ms(c, c->p[2].t);

        if (left ? k >= t : k > t)
            break;
        shift(c);
    }
}

/* ---- interpolation ----------------------------------------------------- */

static double lerp(const struct trace_pt *a, const struct trace_pt *b,
                   double tau)
{
    return a->v + (b->v - a->v) * ((tau - a->t) / (b->t - a->t));
}

/* Initialise Steffen's spline on the points around the current interval;
 * sp_n is 2 (linear) when there are only two or GSL refuses. */
static void spline_init(struct cursor *c)
{
    int n = 0, lo = c->ok[0] ? 0 : 1, hi = c->ok[3] ? 3 : 2;

    for (int i = lo; i <= hi; i++) {
        c->sx[n] = c->p[i].t;
        c->sy[n++] = c->p[i].v;
    }
    c->sp_idx = c->idx;
    c->sp_n = n;
    if (n >= 3 &&
        gsl_interp_init(c->sp[n - 3], c->sx, c->sy, (size_t)n) != GSL_SUCCESS)
        c->sp_n = 2;
}

static double spline(struct cursor *c, double tau)
{
    double y;

    if (c->sp_idx != c->idx)
        spline_init(c);
    if (c->sp_n < 3 || gsl_interp_eval_e(c->sp[c->sp_n - 3], c->sx, c->sy, tau,
                                         NULL, &y) != GSL_SUCCESS)
        return lerp(&c->p[1], &c->p[2], tau);
    if (!isfinite(y)) /* slopes overflow on rows 1e-300 s apart */
        return lerp(&c->p[1], &c->p[2], tau);
    return y > 0 ? y : 0.0; /* Steffen never overshoots; rounding might */
}

/* The curve at tau in the current interval (tau clamped into it). */
static double eval_at(struct cursor *c, double tau)
{
    const struct trace_pt *a = &c->p[1], *b = &c->p[2];

    if (c->spec->interp == CS_TRACE_STEP || !c->ok[2])
        return a->v;
    if (tau < a->t)
        tau = a->t;
    if (tau > b->t)
        tau = b->t;
    if (c->spec->interp == CS_TRACE_LINEAR)
        return lerp(a, b, tau);
    return spline(c, tau);
}

/* The left limit at we, read ahead to if not known yet (it is the same in
 * every cycle, so it is computed once). */
static double end_value(struct cursor *c)
{
    if (!c->have_end) {
        while (!c->failed && c->ok[2] && c->p[2].t < c->we)
            shift(c);
        c->end_value = eval_at(c, c->we);
        c->have_end = !c->failed;
    }
    return c->end_value;
}

/* Make the cursor's points belong to cycle cy (cy > cycle: reopen). */
static void enter_cycle(struct cursor *c, long long cy)
{
    struct cs_err err;
    int rc;

    if (cy <= c->cycle || c->failed)
        return;
    end_value(c);
    if (c->failed)
        return;
    rc = reopen(c, &err);
    if (rc < 0)
        fail(c, rc, &err);
    c->cycle = cy;
}

/* The value at t >= offset, before scale. */
static double value_at(struct cursor *c, cs_time_ms t, int left)
{
    long long cy = 0;

    if (!c->spec->loop) {
        if (t >= sim_ms(c, c->P))
            return end_value(c);
    } else {
        cy = cycle_of(c, t);
        if (left && cy > 0 && t == sim_ms(c, (double)cy * c->P))
            return end_value(c); /* the loop seam */
    }
    enter_cycle(c, cy);
    position(c, t, left);
    /* a left limit asked after the value at a step knot: the point before */
    if (left && c->spec->interp == CS_TRACE_STEP && c->ok[0] &&
        c->p[1].t > c->ws && pt_ms(c, c->p[1].t) >= t)
        return c->p[0].v;
    return eval_at(c, c->ws + (rel_s(c, t) - (double)c->cycle * c->P));
}

/* ---- the load-source operations ---------------------------------------- */

static double tr_value(void *cursor, cs_time_ms t, int left)
{
    struct cursor *c = cursor;
    double v;

    if (c->failed)
        return c->last;
    if (t < c->spec->offset || (left && t == c->spec->offset))
        v = c->first_value;
    else
        v = value_at(c, t, left);
    if (c->failed)
        return c->last;
    c->last = v * c->spec->scale;
    return c->last;
}

/* The first knot of the current interval after t: a spline subdivision or
 * the next point, if inside the window; CS_TIME_NEVER if none. */
static cs_time_ms knot_after(struct cursor *c, cs_time_ms t)
{
    const struct trace_pt *a = &c->p[1], *b = &c->p[2];

    if (!c->ok[2])
        return CS_TIME_NEVER;
    if (c->spec->interp == CS_TRACE_SPLINE) {
        for (int j = 1; j <= 3; j++) {
            double x = a->t + (b->t - a->t) * j / 4.0;
            cs_time_ms k = pt_ms(c, x);

            if (x >= c->we)
                break;
            if (k > t)
                return k;
        }
    }
    return b->t < c->we ? pt_ms(c, b->t) : CS_TIME_NEVER;
}

static cs_time_ms tr_next(void *cursor, cs_time_ms t)
{
    struct cursor *c = cursor;
    long long cy = 0;
    cs_time_ms end, k;

    if (c->failed)
        return CS_TIME_NEVER;
    if (t < c->spec->offset)
        return c->spec->offset;
    if (!c->spec->loop) {
        end = sim_ms(c, c->P);
        if (t >= end)
            return CS_TIME_NEVER;
    } else {
        cy = cycle_of(c, t);
        end = sim_ms(c, (double)(cy + 1) * c->P);
    }
    enter_cycle(c, cy);
    position(c, t, 0);
    if (c->failed)
        return CS_TIME_NEVER;
    k = knot_after(c, t);
    return k < end ? k : end;
}

static int tr_status(void *cursor, struct cs_err *err)
{
    struct cursor *c = cursor;

    if (!c->failed)
        return 0;
    *err = c->err;
    return c->fail_code;
}

static void tr_close(void *cursor)
{
    struct cursor *c = cursor;

    if (c == NULL)
        return;
    trace_rows_close(&c->rows);
    gsl_interp_free(c->sp[0]);
    gsl_interp_free(c->sp[1]);
    free(c);
}

static int tr_open(const void *spec, void **out, struct cs_err *err)
{
    const struct cs_trace_spec *s = spec;
    struct cursor *c;
    int rc;

    if (s->rows < 0)
        return cs_err_set(err, CS_EINVAL, s->path ? s->path : "trace", 0, 0,
                          "the trace was not checked (cs_trace_check) "
                          "before it was opened");
    c = calloc(1, sizeof(*c));
    if (c != NULL && s->interp == CS_TRACE_SPLINE) {
        c->sp[0] = gsl_interp_alloc(gsl_interp_steffen, 3);
        c->sp[1] = gsl_interp_alloc(gsl_interp_steffen, 4);
    }
    if (c == NULL ||
        (s->interp == CS_TRACE_SPLINE && (!c->sp[0] || !c->sp[1]))) {
        tr_close(c);
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    c->spec = s;
    c->ws = s->win_start_s;
    c->we = s->win_end_s;
    c->P = c->we - c->ws;
    c->ts = s->time_scale;
    rc = reopen(c, err);
    if (rc < 0) {
        tr_close(c);
        return rc;
    }
    c->first_value = eval_at(c, c->ws);
    c->last = c->first_value * s->scale;
    *out = c;
    return 0;
}

const struct cs_load_source_ops cs_trace_source = {
    .open = tr_open,
    .value = tr_value,
    .next = tr_next,
    .status = tr_status,
    .close = tr_close,
};
