/*
 * test_rng.c - RNG streams (core/rng.h) and delay distributions
 * (core/dist.h).
 *
 * Streams: determinism, independence of streams from each other's use and
 * existence, and pinned first draws so that an accidental change to the
 * seed derivation (which would change every scenario's output) is caught.
 * Distributions: exact inverse-CDF points through a scripted generator,
 * the one-draw-per-sample contract, sample means against cs_dist_mean(),
 * and cs_dist_check() on bad parameters.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "core/dist.h"
#include "core/err.h"
#include "core/rng.h"

#define SEED UINT64_C(42)

/* ---- streams ----------------------------------------------------------- */

static void test_derive_seed_is_splitmix64(void **state)
{
    (void)state;
    /* Published splitmix64 outputs for state 0. */
    assert_true(cs_rng_derive_seed(0, 0) == UINT64_C(0xE220A8397B1DCDAF));
    assert_true(cs_rng_derive_seed(0, 1) == UINT64_C(0x6E789E6AA1B965F4));
    assert_true(cs_rng_derive_seed(0, 2) == UINT64_C(0x06C45D188009454F));
    assert_true(cs_rng_derive_seed(1, 0) != cs_rng_derive_seed(0, 0));
}

static void test_same_seed_same_sequences(void **state)
{
    struct cs_rng r1, r2;
    int s, i;

    (void)state;
    assert_int_equal(cs_rng_init(&r1, SEED), 0);
    assert_int_equal(cs_rng_init(&r2, SEED), 0);
    assert_true(r1.seed == SEED);
    for (s = 0; s < CS_RNG_NSTREAMS; s++)
        for (i = 0; i < 1000; i++)
            assert_int_equal(gsl_rng_get(cs_rng_get(&r1, s)),
                             gsl_rng_get(cs_rng_get(&r2, s)));
    cs_rng_fini(&r1);
    cs_rng_fini(&r2);
    cs_rng_fini(&r2); /* twice is harmless */
}

static void test_streams_and_seeds_differ(void **state)
{
    struct cs_rng r, o;
    unsigned long first[CS_RNG_NSTREAMS][8];
    int s, t, i, same;

    (void)state;
    assert_int_equal(cs_rng_init(&r, SEED), 0);
    assert_int_equal(cs_rng_init(&o, SEED + 1), 0);
    for (s = 0; s < CS_RNG_NSTREAMS; s++)
        for (i = 0; i < 8; i++)
            first[s][i] = gsl_rng_get(cs_rng_get(&r, s));
    for (s = 0; s < CS_RNG_NSTREAMS; s++) {
        for (t = s + 1; t < CS_RNG_NSTREAMS; t++) {
            same = 0;
            for (i = 0; i < 8; i++)
                same += first[s][i] == first[t][i];
            assert_true(same < 8);
        }
        same = 0;
        for (i = 0; i < 8; i++)
            same += first[s][i] == gsl_rng_get(cs_rng_get(&o, s));
        assert_true(same < 8);
    }
    cs_rng_fini(&r);
    cs_rng_fini(&o);
}

/* Drawing from one stream, or adding a stream, never moves another. */
static void test_streams_are_independent(void **state)
{
    struct cs_rng busy, idle;
    gsl_rng *alone, *future;
    int i;

    (void)state;
    assert_int_equal(cs_rng_init(&busy, SEED), 0);
    assert_int_equal(cs_rng_init(&idle, SEED), 0);
    for (i = 0; i < 10000; i++) {
        gsl_rng_get(cs_rng_get(&busy, CS_RNG_STARTUP));
        gsl_rng_get(cs_rng_get(&busy, CS_RNG_MISC));
    }
    /* A stream index beyond today's enum: what a newly added stream gets. */
    future = cs_rng_stream_alloc(SEED, CS_RNG_NSTREAMS);
    assert_non_null(future);
    for (i = 0; i < 1000; i++)
        gsl_rng_get(future);
    /* LOAD depends on (seed, CS_RNG_LOAD) only. */
    alone = cs_rng_stream_alloc(SEED, CS_RNG_LOAD);
    assert_non_null(alone);
    for (i = 0; i < 1000; i++) {
        unsigned long v = gsl_rng_get(alone);
        assert_int_equal(gsl_rng_get(cs_rng_get(&busy, CS_RNG_LOAD)), v);
        assert_int_equal(gsl_rng_get(cs_rng_get(&idle, CS_RNG_LOAD)), v);
    }
    gsl_rng_free(alone);
    gsl_rng_free(future);
    cs_rng_fini(&busy);
    cs_rng_fini(&idle);
}

/* First gsl_rng_get() of each stream for seed 42, checked independently
 * against a reference MT19937 seeded with fold32(splitmix64(42, i)).
 * Changing these values changes every scenario's output: do it on purpose
 * only, with the golden outputs regenerated in the same commit. */
static void test_first_draws_are_pinned(void **state)
{
    static const unsigned long want[CS_RNG_NSTREAMS] = {
        3555910088UL, 3479136356UL, 146752880UL,  570026990UL, 4040254097UL,
        3154341389UL, 3072498949UL, 3369949500UL, 469954482UL,
    };
    struct cs_rng r;
    int s;

    (void)state;
    assert_int_equal(cs_rng_init(&r, SEED), 0);
    for (s = 0; s < CS_RNG_NSTREAMS; s++)
        assert_int_equal(gsl_rng_get(cs_rng_get(&r, s)), want[s]);
    cs_rng_fini(&r);
}

/* ---- distributions ----------------------------------------------------- */

/* A gsl_rng whose every uniform is the value in its state, so that inverse
 * CDFs can be evaluated at chosen points. */
struct scripted {
    double u;
};

static void scripted_set(void *st, unsigned long seed)
{
    (void)st;
    (void)seed;
}

static unsigned long scripted_get(void *st)
{
    return (unsigned long)(((struct scripted *)st)->u * 4294967296.0);
}

static double scripted_get_double(void *st)
{
    return ((struct scripted *)st)->u;
}

static const gsl_rng_type scripted_type = {
    "scripted",   0xFFFFFFFFUL,        0, sizeof(struct scripted), scripted_set,
    scripted_get, scripted_get_double,
};

static double at(const struct cs_dist *d, gsl_rng *g, double u)
{
    ((struct scripted *)g->state)->u = u;
    return cs_dist_sample(d, g);
}

static struct cs_dist mk(enum cs_dist_kind k, double a, double b)
{
    struct cs_dist d;

    memset(&d, 0, sizeof(d));
    d.kind = k;
    d.a = a;
    d.b = b;
    return d;
}

static struct cs_dist mk_empirical(void)
{
    /* 20% at exactly 1 s, then linear to 2 s at p=0.6 and 4 s at p=1. */
    struct cs_dist d = mk(CS_DIST_EMPIRICAL, 0, 0);

    d.n = 3;
    d.x[0] = 1;
    d.p[0] = 0.2;
    d.x[1] = 2;
    d.p[1] = 0.6;
    d.x[2] = 4;
    d.p[2] = 1.0;
    return d;
}

static void test_dist_inverse_cdf_points(void **state)
{
    gsl_rng *g = gsl_rng_alloc(&scripted_type);
    struct cs_dist d;

    (void)state;
    assert_non_null(g);
    d = mk(CS_DIST_CONST, 7.5, 0);
    assert_true(at(&d, g, 0.3) == 7.5);
    d = mk(CS_DIST_UNIFORM, 2, 4);
    assert_true(at(&d, g, 0.25) == 2.5);
    d = mk(CS_DIST_EXPONENTIAL, 3, 0);
    assert_float_equal(at(&d, g, 1 - exp(-1.0)), 3.0, 1e-12);
    /* Lognormal: u = 0.5 gives the median, u = 0.95 the p95. */
    d = mk(CS_DIST_LOGNORMAL, 10, 30);
    assert_float_equal(at(&d, g, 0.5), 10.0, 1e-12);
    assert_float_equal(at(&d, g, 0.95), 30.0, 1e-9);
    assert_true(at(&d, g, 0.2) < at(&d, g, 0.3));
    d = mk(CS_DIST_LOGNORMAL, 5, 5); /* sigma 0 */
    assert_float_equal(at(&d, g, 0.99), 5.0, 1e-12);
    /* Half-normal: median is Pinv(0.75). */
    d = mk(CS_DIST_NORMAL, 0, 1);
    assert_float_equal(at(&d, g, 0.5), 0.6744897501960817, 1e-9);
    assert_true(at(&d, g, 1e-9) >= 0.0);
    d = mk(CS_DIST_NORMAL, 10, 2); /* truncation negligible */
    assert_float_equal(at(&d, g, 0.5), 10.0, 1e-5);
    assert_float_equal(at(&d, g, 0.975), 10 + 2 * 1.959963984540054, 1e-5);
    assert_true(at(&d, g, 1e-12) >= 0.0);
    d = mk(CS_DIST_NORMAL, 3, 0); /* stddev 0 */
    assert_true(at(&d, g, 0.9) == 3.0);
    /* Empirical: mass at x[0] below p[0], linear in between. */
    d = mk_empirical();
    assert_true(at(&d, g, 0.1) == 1.0);
    assert_true(at(&d, g, 0.2) == 1.0);
    assert_float_equal(at(&d, g, 0.4), 1.5, 1e-12);
    assert_float_equal(at(&d, g, 0.6), 2.0, 1e-12);
    assert_float_equal(at(&d, g, 0.8), 3.0, 1e-12);
    assert_float_equal(at(&d, g, 0.999), 3.995, 1e-12);
    d.n = 1; /* one point: a constant */
    d.p[0] = 1.0;
    assert_true(at(&d, g, 0.7) == 1.0);
    gsl_rng_free(g);
}

/* CONST draws nothing; every other kind draws exactly one uniform. */
static void test_dist_draw_count(void **state)
{
    struct cs_dist ds[7];
    gsl_rng *g = cs_rng_stream_alloc(SEED, 0), *ref;
    size_t i, k;

    (void)state;
    assert_non_null(g);
    ds[0] = mk(CS_DIST_CONST, 1, 0);
    ds[1] = mk(CS_DIST_UNIFORM, 1, 2);
    ds[2] = mk(CS_DIST_EXPONENTIAL, 1, 0);
    ds[3] = mk(CS_DIST_NORMAL, 1, 5);
    ds[4] = mk(CS_DIST_NORMAL, 1, 0);
    ds[5] = mk(CS_DIST_LOGNORMAL, 1, 4);
    ds[6] = mk_empirical();
    for (i = 0; i < 7; i++) {
        for (k = 0; k < 100; k++) {
            ref = gsl_rng_clone(g);
            assert_non_null(ref);
            cs_dist_sample(&ds[i], g);
            if (i > 0)
                gsl_rng_uniform_pos(ref);
            assert_int_equal(gsl_rng_get(g), gsl_rng_get(ref));
            gsl_rng_free(ref);
        }
    }
    gsl_rng_free(g);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;

    return (a > b) - (a < b);
}

#define NDRAWS 200000

/* Sample mean within 5 standard errors of cs_dist_mean(); values >= 0. */
static void check_mean(const struct cs_dist *d, gsl_rng *g, double *draws)
{
    double sum = 0, sum2 = 0, mean, var, want = cs_dist_mean(d);
    size_t i;

    for (i = 0; i < NDRAWS; i++) {
        draws[i] = cs_dist_sample(d, g);
        assert_true(draws[i] >= 0.0 && isfinite(draws[i]));
        sum += draws[i];
        sum2 += draws[i] * draws[i];
    }
    mean = sum / NDRAWS;
    var = sum2 / NDRAWS - mean * mean;
    assert_float_equal(mean, want, 5.0 * sqrt(var / NDRAWS) + 1e-12);
}

static void test_dist_means(void **state)
{
    double *draws = malloc(NDRAWS * sizeof(*draws));
    gsl_rng *g = cs_rng_stream_alloc(SEED, 1);
    struct cs_dist d;
    double sigma = log(3.0) / CS_DIST_Z95;

    (void)state;
    assert_non_null(draws);
    assert_non_null(g);
    d = mk(CS_DIST_CONST, 4, 0);
    assert_float_equal(cs_dist_mean(&d), 4.0, 0);
    d = mk(CS_DIST_UNIFORM, 1, 3);
    assert_float_equal(cs_dist_mean(&d), 2.0, 1e-15);
    check_mean(&d, g, draws);
    d = mk(CS_DIST_EXPONENTIAL, 5, 0);
    assert_float_equal(cs_dist_mean(&d), 5.0, 1e-15);
    check_mean(&d, g, draws);
    d = mk(CS_DIST_NORMAL, 10, 2);
    assert_float_equal(cs_dist_mean(&d), 10.0, 1e-5);
    check_mean(&d, g, draws);
    d = mk(CS_DIST_NORMAL, 0, 1); /* half-normal: sqrt(2 / pi) */
    assert_float_equal(cs_dist_mean(&d), 0.7978845608028654, 1e-12);
    check_mean(&d, g, draws);
    d = mk(CS_DIST_NORMAL, 1, 2); /* heavily truncated */
    check_mean(&d, g, draws);
    d = mk_empirical(); /* 0.2*1 + 0.4*1.5 + 0.4*3 */
    assert_float_equal(cs_dist_mean(&d), 2.0, 1e-12);
    check_mean(&d, g, draws);
    d = mk(CS_DIST_LOGNORMAL, 10, 30);
    assert_float_equal(cs_dist_mean(&d), 10.0 * exp(0.5 * sigma * sigma),
                       1e-12);
    check_mean(&d, g, draws);
    /* The draws reproduce the median and p95 they were specified by. */
    qsort(draws, NDRAWS, sizeof(*draws), cmp_double);
    assert_float_equal(draws[NDRAWS / 2], 10.0, 0.1);
    assert_float_equal(draws[NDRAWS * 95 / 100], 30.0, 0.45);
    gsl_rng_free(g);
    free(draws);
}

struct bad_case {
    struct cs_dist d;
    const char *why;
};

static void test_dist_check(void **state)
{
    struct bad_case bad[16];
    size_t n = 0, i;
    struct cs_dist d;

    (void)state;
    bad[n++] = (struct bad_case){mk(CS_DIST_CONST, -1, 0),
                                 "const value (a) must be finite and >= 0"};
    bad[n++] = (struct bad_case){mk(CS_DIST_CONST, NAN, 0),
                                 "const value (a) must be finite and >= 0"};
    bad[n++] =
        (struct bad_case){mk(CS_DIST_UNIFORM, 3, 2),
                          "uniform upper bound (b) must be >= lower bound (a)"};
    bad[n++] = (struct bad_case){mk(CS_DIST_UNIFORM, -1, 2),
                                 "uniform bounds must be finite and >= 0"};
    bad[n++] = (struct bad_case){mk(CS_DIST_UNIFORM, 0, INFINITY),
                                 "uniform bounds must be finite and >= 0"};
    bad[n++] =
        (struct bad_case){mk(CS_DIST_EXPONENTIAL, -2, 0),
                          "exponential mean (a) must be finite and >= 0"};
    bad[n++] = (struct bad_case){mk(CS_DIST_NORMAL, -1, 1),
                                 "normal mean (a) must be finite and >= 0"};
    bad[n++] = (struct bad_case){mk(CS_DIST_NORMAL, 1, -1),
                                 "normal stddev (b) must be finite and >= 0"};
    bad[n++] = (struct bad_case){mk(CS_DIST_LOGNORMAL, 0, 1),
                                 "lognormal median (a) must be finite and > 0"};
    bad[n++] =
        (struct bad_case){mk(CS_DIST_LOGNORMAL, 10, 5),
                          "lognormal p95 (b) must be finite and >= median (a)"};
    bad[n++] = (struct bad_case){mk((enum cs_dist_kind)99, 1, 1),
                                 "unknown distribution kind"};
    d = mk_empirical();
    d.n = 0;
    bad[n++] = (struct bad_case){d, "empirical needs 1 to 64 points"};
    d = mk_empirical();
    d.p[2] = 0.9;
    bad[n++] = (struct bad_case){d, "empirical last probability must be 1"};
    d = mk_empirical();
    d.x[1] = 0.5;
    bad[n++] = (struct bad_case){d, "empirical values must be non-decreasing"};
    d = mk_empirical();
    d.p[1] = 0.1;
    bad[n++] =
        (struct bad_case){d, "empirical probabilities must be non-decreasing"};
    d = mk_empirical();
    d.p[0] = -0.1;
    bad[n++] =
        (struct bad_case){d, "empirical probabilities must be in [0, 1]"};
    for (i = 0; i < n; i++) {
        assert_int_equal(cs_dist_check(&bad[i].d), CS_EINVAL);
        assert_string_equal(cs_dist_explain(&bad[i].d), bad[i].why);
        assert_true(isnan(cs_dist_mean(&bad[i].d)));
    }
    d = mk(CS_DIST_LOGNORMAL, 1, 1);
    assert_int_equal(cs_dist_check(&d), 0);
    assert_null(cs_dist_explain(&d));
    d = mk(CS_DIST_NORMAL, 0, 0);
    assert_int_equal(cs_dist_check(&d), 0);
    d = mk_empirical();
    assert_int_equal(cs_dist_check(&d), 0);
}

/* Unchecked parameters never give a negative, NaN or infinite delay. */
static void test_dist_sample_is_safe_unchecked(void **state)
{
    gsl_rng *g = gsl_rng_alloc(&scripted_type);
    struct cs_dist d;

    (void)state;
    assert_non_null(g);
    d = mk(CS_DIST_CONST, -3, 0);
    assert_true(at(&d, g, 0.5) == 0.0);
    d = mk(CS_DIST_CONST, NAN, 0);
    assert_true(at(&d, g, 0.5) == 0.0);
    d = mk(CS_DIST_UNIFORM, -5, -1);
    assert_true(at(&d, g, 0.5) == 0.0);
    d = mk(CS_DIST_LOGNORMAL, 0, 1);
    assert_true(at(&d, g, 0.5) == 0.0);
    d = mk(CS_DIST_CONST, INFINITY, 0);
    assert_true(isfinite(at(&d, g, 0.5)));
    d = mk_empirical();
    d.n = 1000;
    assert_true(at(&d, g, 0.5) == 0.0);
    gsl_rng_free(g);
}

static void test_dist_names_and_ms(void **state)
{
    enum cs_dist_kind k = CS_DIST_CONST, j;
    struct cs_dist d = mk(CS_DIST_CONST, 0.25, 0);

    (void)state;
    for (j = CS_DIST_CONST; j <= CS_DIST_EMPIRICAL; j++) {
        assert_int_equal(cs_dist_kind_parse(cs_dist_kind_name(j), &k), 0);
        assert_int_equal(k, j);
    }
    assert_string_equal(cs_dist_kind_name(CS_DIST_LOGNORMAL), "lognormal");
    assert_string_equal(cs_dist_kind_name((enum cs_dist_kind)42), "?");
    assert_int_equal(cs_dist_kind_parse("Gaussian", &k), CS_EINVAL);
    assert_int_equal(k, CS_DIST_EMPIRICAL); /* untouched */
    assert_int_equal(cs_dist_sample_ms(&d, NULL), 250);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_derive_seed_is_splitmix64),
        cmocka_unit_test(test_same_seed_same_sequences),
        cmocka_unit_test(test_streams_and_seeds_differ),
        cmocka_unit_test(test_streams_are_independent),
        cmocka_unit_test(test_first_draws_are_pinned),
        cmocka_unit_test(test_dist_inverse_cdf_points),
        cmocka_unit_test(test_dist_draw_count),
        cmocka_unit_test(test_dist_means),
        cmocka_unit_test(test_dist_check),
        cmocka_unit_test(test_dist_sample_is_safe_unchecked),
        cmocka_unit_test(test_dist_names_and_ms),
    };

    gsl_set_error_handler_off();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
