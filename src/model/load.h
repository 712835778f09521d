/*
 * load.h - the request rate a workload receives, as a function of time.
 *
 * This loads are piecewise: a sorted list of points (at, rps). From a
 * point on, the rate holds (a step), unless the NEXT point says `ramp`, in
 * which case the rate moves linearly from this point's value to the next
 * one's. Before the first point the rate is the first point's value.
 *
 * Because every piece is linear, integrating the rate with the trapezoid rule
 * between two evaluation times that do not straddle a point is exact; the
 * simulator schedules an event at every point so that it never straddles
 * one (see service.c).
 */
#ifndef CS_MODEL_LOAD_H
#define CS_MODEL_LOAD_H

#include "core/time.h"

#include <stddef.h>

struct cs_load_point {
    cs_time_ms at;
    double rps; /* requests per second, >= 0 */
    int ramp;   /* 1: linear from the previous point to this one */
};

struct cs_load {
    struct cs_load_point *pts; /* sorted by at; borrowed from the scenario */
    size_t n;
    double scale; /* multiplier applied to every value (default 1) */
};

/* Rate at time t (requests per second). O(log n). */
double cs_load_rate(const struct cs_load *l, cs_time_ms t);

/* Left limit of the rate at t: the rate just before t (differs from
 * cs_load_rate only at a step point). Integrals over [a, t] use it. */
double cs_load_rate_left(const struct cs_load *l, cs_time_ms t);

/* Index of the first point with at > t, or n; used to schedule the next
 * breakpoint. */
size_t cs_load_next_point(const struct cs_load *l, cs_time_ms t);

#endif
