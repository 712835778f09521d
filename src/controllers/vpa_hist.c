/*
 * vpa_hist.c - the VPA recommender's histograms (vpa_algo.h): bucket
 * layouts (util/histogram_options.go), plain and decaying histograms
 * (util/histogram.go, decaying_histogram.go) and their checkpoints.
 * Behaviour: VPA_SPEC.md §1.2-§1.3; vectors B1-B3 of
 * CA_VPA_TEST_VECTORS.md (tests/conformance/vpa_histogram.csv).
 *
 * Design. A histogram is an array of bucket weights with a running total
 * and the range [min_b, max_b] of buckets that may hold at least epsilon.
 * A decaying histogram never decays what it holds: a new sample is
 * weighted 2^((t - ref) / half_life) instead, and ref jumps forward (all
 * weights scaled down by the same power of two) when that exponent would
 * pass CS_VPA_MAX_DECAY_EXPONENT. Only relative weights matter to a
 * percentile, so the jump changes nothing but the absolute scale (and
 * drops buckets that fall below epsilon).
 *
 * Invariants (upstream's, kept exactly, including its quirks):
 *   1. Every bucket outside [min_b, max_b] holds less than epsilon (it may
 *      hold a tiny positive weight that still counts in total: scaling
 *      and merging only touch [min_b, max_b]).
 *   2. An empty histogram has min_b = nbuckets - 1 and max_b = 0 until a
 *      sample arrives; "empty" is w[min_b] < epsilon.
 *   3. ref is 0 or a multiple of half_life.
 */
#include "controllers/vpa_algo.h"

#include "core/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- options ----------------------------------------------------------- */

int cs_vpa_hist_opts_linear(struct cs_vpa_hist_opts *o, double max, double size,
                            double epsilon)
{
    double n;

    if (!(max > 0.0) || !(size > 0.0) || !(epsilon > 0.0))
        return CS_EINVAL;
    n = ceil(max / size) + 1.0;
    if (!(n <= CS_VPA_MAX_BUCKETS))
        return CS_EINVAL;
    *o = (struct cs_vpa_hist_opts){.exponential = 0,
                                   .first = size,
                                   .ratio = 1.0,
                                   .max = max,
                                   .nbuckets = (int)n,
                                   .epsilon = epsilon};
    return 0;
}

/* log of x in base b, as upstream writes it (two natural logarithms). */
static double log_base(double b, double x)
{
    return log(x) / log(b);
}

int cs_vpa_hist_opts_exponential(struct cs_vpa_hist_opts *o, double max,
                                 double first, double ratio, double epsilon)
{
    double n;

    if (!(max > 0.0) || !(first > 0.0) || !(ratio > 1.0) || !(epsilon > 0.0))
        return CS_EINVAL;
    n = ceil(log_base(ratio, max * (ratio - 1.0) / first + 1.0)) + 1.0;
    if (!(n <= CS_VPA_MAX_BUCKETS))
        return CS_EINVAL;
    *o = (struct cs_vpa_hist_opts){.exponential = 1,
                                   .first = first,
                                   .ratio = ratio,
                                   .max = max,
                                   .nbuckets = (int)n,
                                   .epsilon = epsilon};
    return 0;
}

void cs_vpa_hist_opts_cpu(struct cs_vpa_hist_opts *o)
{
    (void)cs_vpa_hist_opts_exponential(o, 1000.0, 0.01, 1.05, CS_VPA_EPSILON);
}

void cs_vpa_hist_opts_memory(struct cs_vpa_hist_opts *o)
{
    (void)cs_vpa_hist_opts_exponential(o, 1e12, 1e7, 1.05, CS_VPA_EPSILON);
}

double cs_vpa_hist_bucket_start(const struct cs_vpa_hist_opts *o, int b)
{
    if (b <= 0)
        return 0.0;
    if (!o->exponential)
        return (double)b * o->first;
    if (b == 1)
        return o->first; /* the formula's value, without its rounding */
    return o->first * (pow(o->ratio, (double)b) - 1.0) / (o->ratio - 1.0);
}

/* Relative slack of a bucket start: far above rounding error (1e-16),
 * far below any difference that matters. */
#define BOUNDARY_REL 1e-12

static double below(double start)
{
    return start - start * BOUNDARY_REL;
}

int cs_vpa_hist_bucket(const struct cs_vpa_hist_opts *o, double v)
{
    int last = o->nbuckets - 1, b;
    double q;

    if (!(v >= (o->exponential ? o->first : 0.0)))
        return 0; /* below the first bucket, negative, or NaN */
    q = o->exponential
            ? log_base(o->ratio, v * (o->ratio - 1.0) / o->first + 1.0)
            : v / o->first;
    if (!(q < (double)last))
        return last;
    b = (int)q;
    /* Rounding of the logarithm (or the division) can land a value that
     * sits on a bucket start one bucket low (log_1.05 of 0.0205 core is
     * 1.9999999999999989); the computed starts are themselves a few ulps
     * off the true ones. A value within BOUNDARY_REL of a start belongs
     * to the bucket it starts. */
    if (b < last && v >= below(cs_vpa_hist_bucket_start(o, b + 1)))
        b++;
    else if (b > 0 && v < below(cs_vpa_hist_bucket_start(o, b)))
        b--;
    return b;
}

/* ---- plain histogram --------------------------------------------------- */

int cs_vpa_hist_init(struct cs_vpa_hist *h, const struct cs_vpa_hist_opts *o,
                     cs_time_ms half_life)
{
    memset(h, 0, sizeof(*h));
    h->w = calloc((size_t)o->nbuckets, sizeof(*h->w));
    if (h->w == NULL)
        return CS_ENOMEM;
    h->o = o;
    h->min_b = o->nbuckets - 1;
    h->max_b = 0;
    h->half_life = half_life > 0 ? half_life : 0;
    return 0;
}

void cs_vpa_hist_fini(struct cs_vpa_hist *h)
{
    free(h->w);
    h->w = NULL;
}

/* updateMinAndMaxBucket: after weights went down. */
static void update_range(struct cs_vpa_hist *h)
{
    double eps = h->o->epsilon;
    int last = h->o->nbuckets - 1;

    while (h->w[h->min_b] < eps && h->min_b < last)
        h->min_b++;
    while (h->w[h->max_b] < eps && h->max_b > 0)
        h->max_b--;
}

static void plain_add(struct cs_vpa_hist *h, double v, double weight)
{
    int b = cs_vpa_hist_bucket(h->o, v);

    h->w[b] += weight;
    h->total += weight;
    if (b < h->min_b && h->w[b] >= h->o->epsilon)
        h->min_b = b;
    if (b > h->max_b && h->w[b] >= h->o->epsilon)
        h->max_b = b;
}

static void plain_subtract(struct cs_vpa_hist *h, double v, double weight)
{
    int b = cs_vpa_hist_bucket(h->o, v);

    if (weight > h->w[b] - h->o->epsilon)
        weight = h->w[b];
    h->total -= weight;
    h->w[b] -= weight;
    update_range(h);
}

/* Multiply [min_b, max_b] and the total by factor >= 0. */
static void scale(struct cs_vpa_hist *h, double factor)
{
    for (int b = h->min_b; b <= h->max_b; b++)
        h->w[b] *= factor;
    h->total *= factor;
    update_range(h);
}

/* ---- decay ------------------------------------------------------------- */

/* Go's time.Round(d): to the nearest multiple of d, halves up. */
static cs_time_ms round_to(cs_time_ms t, cs_time_ms d)
{
    cs_time_ms r = t - cs_floor_div(t, d) * d;

    return r + r < d ? t - r : t + (d - r);
}

/* Move ref to `to` rounded to the half-life, rescaling the weights. */
static void shift_ref(struct cs_vpa_hist *h, cs_time_ms to)
{
    cs_time_ms nref = round_to(to, h->half_life);
    double e = floor((double)(h->ref - nref) / (double)h->half_life + 0.5);

    scale(h, ldexp(1.0, (int)fmax(e, -2000.0)));
    h->ref = nref;
}

static double decay_factor(struct cs_vpa_hist *h, cs_time_ms t)
{
    cs_time_ms max;

    if (__builtin_mul_overflow(h->half_life,
                               (cs_time_ms)CS_VPA_MAX_DECAY_EXPONENT, &max))
        max = INT64_MAX;
    if (t - h->ref > max)
        shift_ref(h, t);
    return exp2((double)(t - h->ref) / (double)h->half_life);
}

void cs_vpa_hist_add(struct cs_vpa_hist *h, double v, double weight,
                     cs_time_ms t)
{
    if (h->log != NULL)
        h->log(h->log_arg, 0, v, weight, t);
    if (!(weight >= 0.0))
        return;
    if (h->half_life > 0)
        weight *= decay_factor(h, t);
    plain_add(h, v, weight);
}

void cs_vpa_hist_subtract(struct cs_vpa_hist *h, double v, double weight,
                          cs_time_ms t)
{
    if (h->log != NULL)
        h->log(h->log_arg, 1, v, weight, t);
    if (!(weight >= 0.0))
        return;
    if (h->half_life > 0)
        weight *= decay_factor(h, t);
    plain_subtract(h, v, weight);
}

void cs_vpa_hist_merge(struct cs_vpa_hist *dst, const struct cs_vpa_hist *src)
{
    double f = 1.0, eps = dst->o->epsilon;
    int lo = src->min_b, hi = src->max_b, last = src->o->nbuckets - 1;

    if (dst->half_life > 0 && dst->ref < src->ref) {
        shift_ref(dst, src->ref);
    } else if (dst->half_life > 0 && src->ref < dst->ref) {
        /* upstream shifts src; here src is const: scale it on the fly,
         * with the range its scale() would leave */
        f = ldexp(1.0, (int)fmax(floor((double)(src->ref - dst->ref) /
                                           (double)dst->half_life +
                                       0.5),
                                 -2000.0));
        while (src->w[lo] * f < eps && lo < last)
            lo++;
        while (src->w[hi] * f < eps && hi > 0)
            hi--;
    }
    for (int b = lo; b <= hi; b++)
        dst->w[b] += src->w[b] * f;
    dst->total += src->total * f;
    if (lo < dst->min_b)
        dst->min_b = lo;
    if (hi > dst->max_b)
        dst->max_b = hi;
}

/* ---- queries ----------------------------------------------------------- */

int cs_vpa_hist_empty(const struct cs_vpa_hist *h)
{
    return h->w[h->min_b] < h->o->epsilon;
}

double cs_vpa_hist_percentile(const struct cs_vpa_hist *h, double p)
{
    double sum = 0.0, threshold = p * h->total;
    int b = h->min_b;

    if (cs_vpa_hist_empty(h))
        return 0.0;
    for (; b < h->max_b; b++) {
        sum += h->w[b];
        if (sum >= threshold)
            break;
    }
    if (b < h->o->nbuckets - 1)
        return cs_vpa_hist_bucket_start(h->o, b + 1);
    return cs_vpa_hist_bucket_start(h->o, b);
}

/* ---- checkpoints ------------------------------------------------------- */

int cs_vpa_hist_save(const struct cs_vpa_hist *h, int *bucket, uint32_t *weight,
                     double *total)
{
    double max = 0.0, ratio;
    int n = 0;

    *total = h->total;
    for (int b = h->min_b; b <= h->max_b; b++)
        if (h->w[b] > max)
            max = h->w[b];
    if (!(max > 0.0))
        return 0;
    ratio = (double)CS_VPA_MAX_CHECKPOINT_WEIGHT / max;
    for (int b = h->min_b; b <= h->max_b; b++) {
        double r = floor(h->w[b] * ratio + 0.5);

        if (r > 0.0) {
            bucket[n] = b;
            weight[n++] = (uint32_t)r;
        }
    }
    return n;
}

void cs_vpa_hist_load(struct cs_vpa_hist *h, const int *bucket,
                      const uint32_t *weight, int n, double total)
{
    int64_t sum = 0;
    double ratio;

    memset(h->w, 0, (size_t)h->o->nbuckets * sizeof(*h->w));
    h->total = 0.0;
    h->min_b = h->o->nbuckets - 1;
    h->max_b = 0;
    for (int i = 0; i < n; i++)
        if (bucket[i] >= 0 && bucket[i] < h->o->nbuckets)
            sum += weight[i];
    if (sum == 0 || !(total >= 0.0))
        return;
    ratio = total / (double)sum;
    for (int i = 0; i < n; i++) {
        int b = bucket[i];

        if (b < 0 || b >= h->o->nbuckets)
            continue;
        if (b < h->min_b)
            h->min_b = b;
        if (b > h->max_b)
            h->max_b = b;
        h->w[b] += (double)weight[i] * ratio;
    }
    h->total = total;
}
