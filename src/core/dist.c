/*
 * dist.c - delay distributions (see dist.h).
 *
 * Design. Every random kind is sampled by inversion of one uniform
 * u in (0, 1) from gsl_rng_uniform_pos(), so each draw costs exactly one
 * variate (the contract in dist.h), and every inverse is increasing in u,
 * so a given draw is "slow" or "fast" whatever the kind:
 *
 *   UNIFORM      a + (b - a) u
 *   EXPONENTIAL  -a ln(1 - u)
 *   NORMAL       a + b Qinv((1 - u) Q(-a/b)): Q(Z) is uniform on
 *                (0, Q(-a/b)) for Z truncated to Z > -a/b, i.e. to values
 *                >= 0. Working with the upper tail Q keeps precision for
 *                large values; with a >= 0, Q(-a/b) >= 1/2.
 *   LOGNORMAL    a exp(sigma Pinv(u))
 *   EMPIRICAL    binary search for the segment holding u, then linear
 *                interpolation.
 *
 * Invariant: cs_dist_sample() returns a finite value >= 0 for any input,
 * checked or not (NaN and negatives become 0, +inf becomes DBL_MAX).
 */
#include "core/dist.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "core/err.h"

static const char *const kind_names[] = {
    "const", "uniform", "exponential", "normal", "lognormal", "empirical",
};

#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))

static double clamp_delay(double v)
{
    if (!(v > 0.0))
        return 0.0; /* negatives, -0.0 and NaN */
    return v <= DBL_MAX ? v : DBL_MAX;
}

static double lognormal_sigma(const struct cs_dist *d)
{
    return log(d->b / d->a) / CS_DIST_Z95;
}

/* Inverse CDF at u of a normal (mean, sd) truncated to values >= 0. */
static double truncnormal_inv(double mean, double sd, double u)
{
    double tail; /* Q(-mean / sd): probability mass kept */

    if (!(sd > 0.0))
        return mean;
    tail = gsl_cdf_ugaussian_Q(-mean / sd);
    return mean + sd * gsl_cdf_ugaussian_Qinv((1.0 - u) * tail);
}

/* Inverse CDF of an EMPIRICAL distribution at u in (0, 1). */
static double empirical_inv(const struct cs_dist *d, double u)
{
    size_t lo = 0, hi, i;
    double w;

    if (d->n == 0 || d->n > CS_DIST_EMPIRICAL_MAX)
        return 0.0;
    hi = d->n - 1;
    /* Smallest i with p[i] >= u; p[n-1] == 1 > u when d is valid. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->p[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    i = lo;
    if (i == 0 || !(d->p[i] > d->p[i - 1]))
        return d->x[i];
    w = (u - d->p[i - 1]) / (d->p[i] - d->p[i - 1]);
    return d->x[i - 1] + w * (d->x[i] - d->x[i - 1]);
}

double cs_dist_sample(const struct cs_dist *d, gsl_rng *r)
{
    double u;

    if (d->kind == CS_DIST_CONST)
        return clamp_delay(d->a);
    u = gsl_rng_uniform_pos(r);
    switch (d->kind) {
    case CS_DIST_UNIFORM:
        return clamp_delay(d->a + (d->b - d->a) * u);
    case CS_DIST_EXPONENTIAL:
        return clamp_delay(-d->a * log1p(-u));
    case CS_DIST_NORMAL:
        return clamp_delay(truncnormal_inv(d->a, d->b, u));
    case CS_DIST_LOGNORMAL:
        return clamp_delay(d->a *
                           exp(lognormal_sigma(d) * gsl_cdf_ugaussian_Pinv(u)));
    case CS_DIST_EMPIRICAL:
        return clamp_delay(empirical_inv(d, u));
    case CS_DIST_CONST:
        break;
    }
    return 0.0;
}

cs_time_ms cs_dist_sample_ms(const struct cs_dist *d, gsl_rng *r)
{
    return cs_time_ms_from_s(cs_dist_sample(d, r));
}

static double empirical_mean(const struct cs_dist *d)
{
    double m = d->p[0] * d->x[0];
    size_t i;

    for (i = 1; i < d->n; i++)
        m += (d->p[i] - d->p[i - 1]) * 0.5 * (d->x[i - 1] + d->x[i]);
    return m;
}

double cs_dist_mean(const struct cs_dist *d)
{
    double alpha, s;

    if (cs_dist_check(d) != 0)
        return NAN;
    switch (d->kind) {
    case CS_DIST_CONST:
        return d->a;
    case CS_DIST_UNIFORM:
        return 0.5 * (d->a + d->b);
    case CS_DIST_EXPONENTIAL:
        return d->a;
    case CS_DIST_NORMAL:
        if (d->b == 0.0)
            return d->a;
        alpha = -d->a / d->b;
        return d->a +
               d->b * gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_Q(alpha);
    case CS_DIST_LOGNORMAL:
        s = lognormal_sigma(d);
        return d->a * exp(0.5 * s * s);
    case CS_DIST_EMPIRICAL:
        return empirical_mean(d);
    }
    return NAN;
}

static const char *explain_empirical(const struct cs_dist *d)
{
    size_t i;

    if (d->n < 1 || d->n > CS_DIST_EMPIRICAL_MAX)
        return "empirical needs 1 to 64 points";
    for (i = 0; i < d->n; i++) {
        if (!isfinite(d->x[i]) || d->x[i] < 0.0)
            return "empirical values must be finite and >= 0";
        if (!(d->p[i] >= 0.0 && d->p[i] <= 1.0))
            return "empirical probabilities must be in [0, 1]";
        if (i > 0 && d->x[i] < d->x[i - 1])
            return "empirical values must be non-decreasing";
        if (i > 0 && d->p[i] < d->p[i - 1])
            return "empirical probabilities must be non-decreasing";
    }
    if (d->p[d->n - 1] != 1.0)
        return "empirical last probability must be 1";
    return NULL;
}

const char *cs_dist_explain(const struct cs_dist *d)
{
    switch (d->kind) {
    case CS_DIST_CONST:
        if (!isfinite(d->a) || d->a < 0.0)
            return "const value (a) must be finite and >= 0";
        return NULL;
    case CS_DIST_UNIFORM:
        if (!isfinite(d->a) || !isfinite(d->b) || d->a < 0.0)
            return "uniform bounds must be finite and >= 0";
        if (d->b < d->a)
            return "uniform upper bound (b) must be >= lower bound (a)";
        return NULL;
    case CS_DIST_EXPONENTIAL:
        if (!isfinite(d->a) || d->a < 0.0)
            return "exponential mean (a) must be finite and >= 0";
        return NULL;
    case CS_DIST_NORMAL:
        if (!isfinite(d->a) || d->a < 0.0)
            return "normal mean (a) must be finite and >= 0";
        if (!isfinite(d->b) || d->b < 0.0)
            return "normal stddev (b) must be finite and >= 0";
        return NULL;
    case CS_DIST_LOGNORMAL:
        if (!isfinite(d->a) || d->a <= 0.0)
            return "lognormal median (a) must be finite and > 0";
        if (!isfinite(d->b) || d->b < d->a)
            return "lognormal p95 (b) must be finite and >= median (a)";
        if (!isfinite(d->b / d->a))
            return "lognormal p95 / median is too large";
        return NULL;
    case CS_DIST_EMPIRICAL:
        return explain_empirical(d);
    }
    return "unknown distribution kind";
}

int cs_dist_check(const struct cs_dist *d)
{
    return cs_dist_explain(d) == NULL ? 0 : CS_EINVAL;
}

const char *cs_dist_kind_name(enum cs_dist_kind k)
{
    if ((size_t)k >= NKINDS)
        return "?";
    return kind_names[k];
}

int cs_dist_kind_parse(const char *s, enum cs_dist_kind *k)
{
    size_t i;

    for (i = 0; i < NKINDS; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *k = (enum cs_dist_kind)i;
            return 0;
        }
    }
    return CS_EINVAL;
}
