/*
 * dist.h - delay distributions, in seconds.
 *
 * A struct cs_dist is a plain value (no heap memory, copy it freely) that
 * describes how long something takes: a pod's start-up, a node's
 * provisioning, a request's service time. Values are seconds as doubles; a
 * caller turns a draw into simulated time once, with cs_dist_sample_ms()
 * (or cs_time_ms_from_s()), never by accumulating doubles.
 *
 * Draw count contract: every kind except CS_DIST_CONST consumes exactly one
 * uniform variate per draw (inverse-CDF sampling), whatever its parameters.
 * So changing a distribution's parameters in a scenario keeps the stream
 * aligned: the n-th draw still uses the n-th uniform (common random numbers),
 * and since every inverse CDF is increasing, a large uniform gives a long
 * delay under any kind.
 *
 * Parameters must satisfy cs_dist_check(); sampling an unchecked
 * distribution is safe (no UB, result >= 0) but meaningless.
 */
#ifndef CS_CORE_DIST_H
#define CS_CORE_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "core/time.h"

enum cs_dist_kind {
    CS_DIST_CONST,
    CS_DIST_UNIFORM,
    CS_DIST_EXPONENTIAL,
    CS_DIST_NORMAL,
    CS_DIST_LOGNORMAL,
    CS_DIST_EMPIRICAL
};

#define CS_DIST_EMPIRICAL_MAX 64

/* z such that P(Z <= z) = 0.95 for a standard normal Z. */
#define CS_DIST_Z95 1.6448536269514722

struct cs_dist {
    enum cs_dist_kind kind;
    /* CONST: a = value. UNIFORM: [a, b]. EXPONENTIAL: a = mean.
     * NORMAL: a = mean >= 0, b = stddev of the normal before it is
     * truncated at 0. LOGNORMAL: a = median > 0, b = p95 >= a, so
     * sigma = ln(b / a) / CS_DIST_Z95. All in seconds. */
    double a, b;
    /* EMPIRICAL: n points (x[i] seconds, p[i] cumulative probability),
     * x and p non-decreasing, p[n-1] == 1. The inverse CDF is x[0] below
     * p[0] and piecewise linear between the points. */
    size_t n;
    double x[CS_DIST_EMPIRICAL_MAX], p[CS_DIST_EMPIRICAL_MAX];
};

/* Draw one value (seconds, finite, >= 0) from d using r. CONST draws
 * nothing from r; every other kind draws exactly one uniform. O(1), or
 * O(log n) for EMPIRICAL. */
double cs_dist_sample(const struct cs_dist *d, gsl_rng *r);

/* cs_dist_sample() rounded once to milliseconds by cs_time_ms_from_s(). */
cs_time_ms cs_dist_sample_ms(const struct cs_dist *d, gsl_rng *r);

/* Mean of the distribution as sampled (after truncation at 0), seconds.
 * NaN if d fails cs_dist_check(). */
double cs_dist_mean(const struct cs_dist *d);

/* 0 if d's parameters are consistent, else CS_EINVAL. */
int cs_dist_check(const struct cs_dist *d);

/* NULL if d is consistent, else a static message naming the first problem,
 * e.g. "lognormal p95 (b) must be >= median (a)". For loaders' errors. */
const char *cs_dist_explain(const struct cs_dist *d);

/* Lower-case name of a kind ("const", "uniform", "exponential", "normal",
 * "lognormal", "empirical"); "?" for an out-of-range value. */
const char *cs_dist_kind_name(enum cs_dist_kind k);

/* Kind named s (as cs_dist_kind_name() spells it) into *k. Returns 0, or
 * CS_EINVAL with *k untouched. */
int cs_dist_kind_parse(const char *s, enum cs_dist_kind *k);

#endif
