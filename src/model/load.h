/*
 * load.h - the request rate a workload receives (or the value an external
 * metric reports), as a function of simulated time.
 *
 * A load is a tree of shapes written in the scenario (docs/load.md):
 *
 *   POINTS    a sorted list of (at, rps): from a point on the rate holds (a
 *             step) unless the NEXT point says `ramp`, in which case it moves
 *             linearly to it. Before the first point, the first value. The
 *             piecewise generators (step, ramp, lunch-rush, the runbook test
 *             patterns) are compiled into points when the scenario is
 *             loaded, with the wall clock already applied.
 *   CONSTANT  one value.
 *   DIURNAL   a daily cosine between min and max peaking at a local time of
 *             day, times `weekend` on Saturdays and Sundays (local).
 *   SPIKE     a flash sale: 0 before `at`, rising linearly to 1 over `rise`,
 *             then decaying as exp(-(t - at - rise) / decay); the spec's
 *             base and multiple make it base * (1 + (multiple - 1) * shape).
 *   GROWTH    base * (1 + per_week) ^ (t / 1 week).
 *   BURSTS    `height` added during random bursts of `duration` whose gaps
 *             are exponential with mean `every` (seeded per node).
 *   SUM, PRODUCT  of the child shapes.
 *   SOURCE    values from outside the model (a recorded trace), through the
 *             operations of load_source.h.
 *
 * Every node may carry a `scale` (multiplier) and Poisson `noise`: the value
 * over each bucket of `noise` ms becomes a Poisson count of mean
 * value * bucket, divided by the bucket (the value taken at the bucket's
 * start), as arrivals counted by a real load balancer would be.
 *
 * Knots: cs_load_next() gives the next instant where some node steps or
 * changes slope; curves (DIURNAL, SPIKE, GROWTH) place knots on a grid of
 * their `step`. The simulator integrates arrivals with the trapezoid rule
 * between events and schedules an event at every knot, so a piecewise
 * linear load is integrated exactly and a curve to second order in `step`.
 *
 * Ownership and lifecycle: a struct cs_load_spec tree is immutable and owned
 * by the scenario. A run calls cs_load_init() to make a struct cs_load (the
 * per-run cursors: RNG streams, trace positions) and cs_load_fini() at the
 * end. Calls on one struct cs_load come with t non-decreasing (the left
 * limit and the value at one instant in either order), which lets traces
 * stream; cost per call is O(nodes) plus O(log points).
 */
#ifndef CS_MODEL_LOAD_H
#define CS_MODEL_LOAD_H

#define CS_LOAD_NODES_MAX 256 /* nodes in one load tree */

#include "core/clock.h"
#include "core/err.h"
#include "core/time.h"
#include "model/load_source.h"

#include <stddef.h>
#include <stdint.h>

enum cs_load_kind {
    CS_LOAD_POINTS,
    CS_LOAD_CONSTANT,
    CS_LOAD_DIURNAL,
    CS_LOAD_SPIKE,
    CS_LOAD_GROWTH,
    CS_LOAD_BURSTS,
    CS_LOAD_SUM,
    CS_LOAD_PRODUCT,
    CS_LOAD_SOURCE
};

struct cs_load_point {
    cs_time_ms at;
    double rps; /* >= 0 */
    int ramp;   /* 1: linear from the previous point to this one */
};

struct cs_load_spec {
    enum cs_load_kind kind;
    int id;           /* prefix-order index in its tree, 0 at the root */
    int nnodes;       /* root only: nodes in the tree */
    double scale;     /* multiplier (1 when not given) */
    cs_time_ms noise; /* Poisson bucket; 0 = no noise */
    cs_time_ms step;  /* knot grid of a curve */

    /* POINTS */
    const struct cs_load_point *pts; /* sorted by at */
    size_t npts;

    /* CONSTANT: value; DIURNAL: min, max, peak_tod (s after local
     * midnight), weekend; SPIKE: base, multiple, at, rise, decay; GROWTH:
     * base, per_week; BURSTS: height, every, duration */
    double value, min, max, weekend, base, multiple, per_week, height;
    int32_t peak_tod;
    cs_time_ms at, rise, decay, every, duration;

    /* SUM, PRODUCT */
    const struct cs_load_spec *const *kids;
    int nkids;

    /* SOURCE */
    const struct cs_load_source_ops *ops;
    const void *source; /* the ops' spec */
};

/* The wall clock a load reads times of day from: local time at simulated
 * t is start_utc_ms + t in zone tz (NULL: UTC). */
struct cs_load_clock {
    int64_t start_utc_ms;
    const struct cs_tz *tz;
};

struct cs_load_rt; /* per-node run state (load.c) */

struct cs_load {
    const struct cs_load_spec *spec; /* NULL: no load (rate 0) */
    struct cs_load_rt *rt;           /* one per node, by id; owned */
    struct cs_load_clock clock;
    struct cs_tz_cache tzc; /* offsets looked up by cs_load_local */
};

/* Make the run state of `spec` (may be NULL) for one run: RNG streams are
 * stream `stream_base + node id` of `seed` (cs_rng_stream_alloc), sources
 * are opened. 0, or a negative CS_E* with err filled and l left safe to
 * pass to cs_load_fini(). */
int cs_load_init(struct cs_load *l, const struct cs_load_spec *spec,
                 const struct cs_load_clock *clock, uint64_t seed,
                 uint64_t stream_base, struct cs_err *err);

/* Close sources, free streams and state; safe on a zeroed or failed l. */
void cs_load_fini(struct cs_load *l);

/* The rate at t, and its limit from the left (they differ only where the
 * load steps). Never negative. */
double cs_load_rate(struct cs_load *l, cs_time_ms t);
double cs_load_rate_left(struct cs_load *l, cs_time_ms t);

/* The first knot strictly after t, or CS_TIME_NEVER. */
cs_time_ms cs_load_next(struct cs_load *l, cs_time_ms t);

/* 0, or the first error a source met while streaming (err filled). */
int cs_load_status(struct cs_load *l, struct cs_err *err);

/* Rate of a POINTS list at t (left: the limit from the left); exposed for
 * the loader's checks and the tests. O(log n). */
double cs_load_points_rate(const struct cs_load_point *pts, size_t n,
                           cs_time_ms t, int left);

/* Local time of simulated t under the load's clock: seconds since the
 * local midnight (0..86399) and the weekday (0 = Sunday). */
void cs_load_local(struct cs_load *l, cs_time_ms t, int32_t *tod, int *wday);

#endif
