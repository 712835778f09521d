/*
 * time.h - simulated time.
 *
 * Simulated time is an integer count of milliseconds since the start of the
 * run (STYLE.md point 3). It is never the wall clock and never accumulated in
 * floating point: a duration drawn as a double is rounded once, by
 * cs_time_ms_from_s().
 */
#ifndef CS_CORE_TIME_H
#define CS_CORE_TIME_H

#include <stdint.h>

typedef int64_t cs_time_ms;

#define CS_MS_PER_S ((cs_time_ms)1000)
#define CS_TIME_NEVER INT64_MAX

/* Seconds (double) to milliseconds, rounded half away from zero and clamped
 * to [0, CS_TIME_NEVER); NaN and negative values give 0. */
cs_time_ms cs_time_ms_from_s(double seconds);

/* a / b rounded towards minus infinity (b > 0): the second, day or bucket
 * holding an instant, before the epoch too. */
static inline int64_t cs_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static inline double cs_time_ms_to_s(cs_time_ms t)
{
    return (double)t / 1000.0;
}

#endif
