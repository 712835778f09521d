/*
 * test_vpa_hist.c - the VPA recommender's histograms
 * (src/controllers/vpa_hist.c): bucket layouts, plain and decaying
 * histograms, merge, checkpoints and the operation log. Exact values from
 * vectors B1-B3 of CA_VPA_TEST_VECTORS.md (upstream util/histogram_test.go and
 * friends) and the derived default layouts of B1. The estimators and the rest
 * are in test_vpa_algo.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "controllers/vpa_algo.h"
#include "core/err.h"

#define H(x) ((cs_time_ms)(x)*3600 * 1000)
#define T0 ((cs_time_ms)1234567890 * 1000) /* upstream's startTime */
#define EPS 1e-15                          /* upstream's weightEpsilon */

static void near(double got, double want, double tol)
{
    if (fabs(got - want) > tol)
        fail_msg("got %.12g, want %.12g (tolerance %g)", got, want, tol);
}

/* B2/B3: linear options max 10, size 1, epsilon 1e-15 (11 buckets). */
static void test_opts(struct cs_vpa_hist_opts *o)
{
    assert_int_equal(cs_vpa_hist_opts_linear(o, 10.0, 1.0, EPS), 0);
    assert_int_equal(o->nbuckets, 11);
}

static void test_linear_options(void **state)
{
    struct cs_vpa_hist_opts o;

    (void)state;
    assert_int_equal(cs_vpa_hist_opts_linear(&o, 5.0, 0.3, 1e-4), 0);
    assert_int_equal(o.nbuckets, 18);
    near(cs_vpa_hist_bucket_start(&o, 0), 0.0, 0);
    near(cs_vpa_hist_bucket_start(&o, 17), 5.1, 1e-12);
    assert_int_equal(cs_vpa_hist_bucket(&o, -1.0), 0);
    assert_int_equal(cs_vpa_hist_bucket(&o, 0.0), 0);
    assert_int_equal(cs_vpa_hist_bucket(&o, 1.3), 4);
    assert_int_equal(cs_vpa_hist_bucket(&o, 100.0), 17);
    assert_int_equal(cs_vpa_hist_bucket(&o, NAN), 0);
    assert_int_equal(cs_vpa_hist_opts_linear(&o, 0.0, 1.0, 1e-4), CS_EINVAL);
    assert_int_equal(cs_vpa_hist_opts_linear(&o, 5.0, -1.0, 1e-4), CS_EINVAL);
    assert_int_equal(cs_vpa_hist_opts_linear(&o, 5.0, 1.0, 0.0), CS_EINVAL);
    assert_int_equal(cs_vpa_hist_opts_linear(&o, 1e9, 1e-9, 1e-4), CS_EINVAL);
}

static void test_exponential_options(void **state)
{
    static const double starts[6] = {0, 40, 100, 190, 325, 527.5};
    struct cs_vpa_hist_opts o;

    (void)state;
    assert_int_equal(cs_vpa_hist_opts_exponential(&o, 500, 40, 1.5, 1e-4), 0);
    assert_int_equal(o.nbuckets, 6);
    for (int b = 0; b < 6; b++)
        near(cs_vpa_hist_bucket_start(&o, b), starts[b], 1e-12);
    assert_int_equal(cs_vpa_hist_bucket(&o, -1), 0);
    assert_int_equal(cs_vpa_hist_bucket(&o, 39.99), 0);
    assert_int_equal(cs_vpa_hist_bucket(&o, 40), 1);
    assert_int_equal(cs_vpa_hist_bucket(&o, 100), 2);
    assert_int_equal(cs_vpa_hist_bucket(&o, 900), 5);
    assert_int_equal(cs_vpa_hist_opts_exponential(&o, 500, 40, 1.0, 1e-4),
                     CS_EINVAL);
}

/* B1 derived: the default CPU layout (cores) and its upper edges. */
static void test_default_cpu_layout(void **state)
{
    static const struct {
        double v;
        int b;
        double edge;
    } rows[] = {
        {0.005, 0, 0.01},         {0.025, 2, 0.031525},    {0.1, 8, 0.110266},
        {0.25, 16, 0.258404},     {0.5, 25, 0.511135},     {1.0, 36, 1.016281},
        {2.0, 49, 2.093480},      {3.0, 56, 3.027157},     {4.0, 62, 4.124699},
        {1000, 174, 1021.109409}, {5000, 175, 1021.109409}};
    static const struct {
        int b;
        double start;
    } starts[] = {{1, 0.01},        {2, 0.0205},       {10, 0.125779},
                  {36, 0.958363},   {37, 1.016281},    {50, 2.093480},
                  {100, 26.100252}, {175, 1021.109409}};
    struct cs_vpa_hist_opts o;

    (void)state;
    cs_vpa_hist_opts_cpu(&o);
    assert_int_equal(o.nbuckets, 176);
    near(o.epsilon, 1e-4, 0);
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
        near(cs_vpa_hist_bucket_start(&o, starts[i].b), starts[i].start, 5e-7);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int b = cs_vpa_hist_bucket(&o, rows[i].v);

        assert_int_equal(b, rows[i].b);
        near(cs_vpa_hist_bucket_start(&o, b < 175 ? b + 1 : b), rows[i].edge,
             5e-7);
    }
}

static void test_default_memory_layout(void **state)
{
    static const struct {
        double v;
        int b;
        double edge;
    } rows[] = {{1e9, 36, 1016281388.55},
                {2e9, 49, 2093479957.15},
                {3e9, 56, 3027156617.06},
                {256.0 * 1048576, 17, 281323846.74},
                {300.0 * 1048576, 19, 330659541.03}};
    struct cs_vpa_hist_opts o;

    (void)state;
    cs_vpa_hist_opts_memory(&o);
    assert_int_equal(o.nbuckets, 176);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int b = cs_vpa_hist_bucket(&o, rows[i].v);

        assert_int_equal(b, rows[i].b);
        near(cs_vpa_hist_bucket_start(&o, b + 1), rows[i].edge, 0.005);
    }
}

/* B1 float caution: exact bucket starts fall in the bucket they start,
 * both as computed and as true values (integer byte boundaries). */
static void test_bucket_boundaries(void **state)
{
    struct cs_vpa_hist_opts c, m;

    (void)state;
    cs_vpa_hist_opts_cpu(&c);
    cs_vpa_hist_opts_memory(&m);
    for (int b = 1; b < 176; b++) {
        assert_int_equal(
            cs_vpa_hist_bucket(&c, cs_vpa_hist_bucket_start(&c, b)), b);
        assert_int_equal(
            cs_vpa_hist_bucket(&m, cs_vpa_hist_bucket_start(&m, b)), b);
        assert_int_equal(
            cs_vpa_hist_bucket(&m, cs_vpa_hist_bucket_start(&m, b) * 0.999999),
            b - 1);
    }
    assert_int_equal(cs_vpa_hist_bucket(&c, 0.01), 1);
    assert_int_equal(cs_vpa_hist_bucket(&c, 0.0205), 2);
    assert_int_equal(cs_vpa_hist_bucket(&m, 20500000.0), 2);
    assert_int_equal(cs_vpa_hist_bucket(&m, 20499999.0), 1);
    assert_int_equal(cs_vpa_hist_bucket(&m, 31525000.0), 3);
    assert_int_equal(cs_vpa_hist_bucket(&m, 43101250.0), 4);
}

static void test_percentiles(void **state)
{
    static const double want[11] = {2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5};
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h;

    (void)state;
    test_opts(&o);
    assert_int_equal(cs_vpa_hist_init(&h, &o, 0), 0);
    for (double p = -0.5; p <= 1.5; p += 0.5)
        near(cs_vpa_hist_percentile(&h, p), 0.0, 0);
    assert_true(cs_vpa_hist_empty(&h));
    for (int i = 1; i <= 4; i++)
        cs_vpa_hist_add(&h, i, i, 0);
    for (int i = 0; i <= 10; i++)
        near(cs_vpa_hist_percentile(&h, i / 10.0), want[i], 1e-15);
    near(h.total, 10.0, 0);
    cs_vpa_hist_add(&h, 5, -1.0, 0); /* negative weights are ignored */
    near(h.total, 10.0, 0);
    cs_vpa_hist_fini(&h);
}

static void test_percentile_out_of_bounds(void **state)
{
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h;

    (void)state;
    assert_int_equal(cs_vpa_hist_opts_linear(&o, 1.0, 0.1, EPS), 0);
    assert_int_equal(cs_vpa_hist_init(&h, &o, 0), 0);
    cs_vpa_hist_add(&h, 0.1, 0.1, 0);
    cs_vpa_hist_add(&h, 0.2, 0.2, 0);
    near(cs_vpa_hist_percentile(&h, -0.1), 0.2, 1e-15);
    near(cs_vpa_hist_percentile(&h, 1.1), 0.3, 1e-15);
    cs_vpa_hist_add(&h, 0.0, 0.1, 0);
    cs_vpa_hist_add(&h, 1.0, 0.2, 0);
    near(cs_vpa_hist_percentile(&h, -0.1), 0.1, 1e-15);
    near(cs_vpa_hist_percentile(&h, 1.1), 1.0, 1e-15); /* the last start */
    cs_vpa_hist_fini(&h);
}

static void test_empty_histogram(void **state)
{
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h;

    (void)state;
    assert_int_equal(cs_vpa_hist_opts_linear(&o, 1.0, 0.1, EPS), 0);
    assert_int_equal(cs_vpa_hist_init(&h, &o, 0), 0);
    assert_true(cs_vpa_hist_empty(&h));
    cs_vpa_hist_add(&h, 0.1, EPS * 2.5, 0);
    assert_false(cs_vpa_hist_empty(&h));
    cs_vpa_hist_subtract(&h, 0.1, EPS, 0);
    assert_false(cs_vpa_hist_empty(&h));
    cs_vpa_hist_subtract(&h, 0.1, EPS, 0);
    assert_true(cs_vpa_hist_empty(&h));
    near(h.w[1], 0.0, 0); /* the remainder below epsilon is dropped */
    cs_vpa_hist_fini(&h);
    /* TestNonEmptyOnEpsilonAddition */
    assert_int_equal(cs_vpa_hist_init(&h, &o, 0), 0);
    cs_vpa_hist_add(&h, 9.9, EPS * 3, 0);
    assert_false(cs_vpa_hist_empty(&h));
    cs_vpa_hist_add(&h, 0.1, EPS * 0.3, 0);
    assert_false(cs_vpa_hist_empty(&h));
    assert_int_equal(h.min_b, 10);
    cs_vpa_hist_add(&h, 999.9, EPS * 0.3, 0);
    assert_false(cs_vpa_hist_empty(&h));
    cs_vpa_hist_fini(&h);
}

/* Upstream's Equals. */
static void assert_hist_equal(const struct cs_vpa_hist *a,
                              const struct cs_vpa_hist *b)
{
    assert_int_equal(a->ref, b->ref);
    assert_int_equal(a->min_b, b->min_b);
    assert_int_equal(a->max_b, b->max_b);
    for (int i = a->min_b; i <= a->max_b; i++)
        near(a->w[i], b->w[i], 1e-15);
}

static void test_merge(void **state)
{
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h1, h2, want;

    (void)state;
    test_opts(&o);
    assert_int_equal(cs_vpa_hist_init(&h1, &o, 0), 0);
    assert_int_equal(cs_vpa_hist_init(&h2, &o, 0), 0);
    assert_int_equal(cs_vpa_hist_init(&want, &o, 0), 0);
    cs_vpa_hist_add(&h1, 1, 1, 0);
    cs_vpa_hist_add(&h1, 2, 1, 0);
    cs_vpa_hist_add(&h2, 2, 1, 0);
    cs_vpa_hist_add(&h2, 3, 1, 0);
    cs_vpa_hist_add(&want, 1, 1, 0);
    cs_vpa_hist_add(&want, 2, 1, 0);
    cs_vpa_hist_add(&want, 2, 1, 0);
    cs_vpa_hist_add(&want, 3, 1, 0);
    cs_vpa_hist_merge(&h1, &h2);
    assert_hist_equal(&h1, &want);
    near(h1.total, 4.0, 0);
    near(h2.total, 2.0, 0); /* src unchanged */
    cs_vpa_hist_fini(&h1);
    cs_vpa_hist_fini(&h2);
    cs_vpa_hist_fini(&want);
}

static void test_checkpoint(void **state)
{
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h;
    int b[11];
    uint32_t w[11];
    double total;

    (void)state;
    test_opts(&o);
    assert_int_equal(cs_vpa_hist_init(&h, &o, 0), 0);
    assert_int_equal(cs_vpa_hist_save(&h, b, w, &total), 0);
    near(total, 0.0, 0);
    cs_vpa_hist_add(&h, 1, 1, 0);
    assert_int_equal(cs_vpa_hist_save(&h, b, w, &total), 1);
    near(total, 1.0, 0);
    assert_int_equal(b[0], 1);
    assert_int_equal(w[0], CS_VPA_MAX_CHECKPOINT_WEIGHT);
    cs_vpa_hist_add(&h, 2, 100000, 0); /* bucket 1 rounds to 0: dropped */
    assert_int_equal(cs_vpa_hist_save(&h, b, w, &total), 1);
    near(total, 100001.0, 0);
    assert_int_equal(b[0], 2);
    assert_int_equal(w[0], 10000);
    cs_vpa_hist_fini(&h);
    assert_int_equal(cs_vpa_hist_init(&h, &o, 0), 0);
    cs_vpa_hist_add(&h, 1, 1, 0);
    cs_vpa_hist_add(&h, 2, 10000, 0);
    cs_vpa_hist_add(&h, 3, 50, 0);
    assert_int_equal(cs_vpa_hist_save(&h, b, w, &total), 3);
    near(total, 10051.0, 0);
    assert_int_equal(w[0], 1);
    assert_int_equal(w[1], 10000);
    assert_int_equal(w[2], 50);
    /* TestHistogramLoadFromCheckpoint: replaces the contents */
    b[0] = 0, b[1] = 1, w[0] = 1, w[1] = 2;
    cs_vpa_hist_load(&h, b, w, 2, 6.0);
    near(h.total, 6.0, 0);
    near(h.w[0], 2.0, 0);
    near(h.w[1], 4.0, 0);
    near(h.w[2], 0.0, 0);
    assert_false(cs_vpa_hist_empty(&h));
    cs_vpa_hist_fini(&h);
}

static void test_decay(void **state)
{
    static const double p[8] = {0, 0.02, 0.03, 0.10, 0.11, 0.34, 0.35, 1.0};
    static const double want[8] = {2, 2, 3, 3, 4, 4, 5, 5};
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h;

    (void)state;
    test_opts(&o);
    /* TestSimpleDecay */
    assert_int_equal(cs_vpa_hist_init(&h, &o, H(1)), 0);
    cs_vpa_hist_add(&h, 2, 1000, T0);
    cs_vpa_hist_add(&h, 1, 1, T0 + H(20));
    near(cs_vpa_hist_percentile(&h, 0.999), 2, 1e-15);
    near(cs_vpa_hist_percentile(&h, 1.0), 3, 1e-15);
    near(h.w[1] / h.w[2], 1048.576, 1e-9);
    cs_vpa_hist_fini(&h);
    /* TestLongtermDecay: the reference moves to T0 + 101 h, rounded */
    assert_int_equal(cs_vpa_hist_init(&h, &o, H(1)), 0);
    cs_vpa_hist_add(&h, 2, 1, T0);
    assert_int_equal(h.ref % H(1), 0);
    cs_vpa_hist_add(&h, 1, 1, T0 + H(101));
    assert_int_equal(h.ref % H(1), 0);
    assert_true(h.ref >= T0 + H(100));
    near(cs_vpa_hist_percentile(&h, 1.0), 2, 1e-15);
    assert_int_equal(h.min_b, 1);
    assert_int_equal(h.max_b, 1);
    cs_vpa_hist_fini(&h);
    /* TestDecayingHistogramPercentiles */
    assert_int_equal(cs_vpa_hist_init(&h, &o, H(1)), 0);
    for (int i = 1; i <= 4; i++)
        cs_vpa_hist_add(&h, i, i, T0 + H(i - 1));
    for (int i = 0; i < 8; i++)
        near(cs_vpa_hist_percentile(&h, p[i]), want[i], 1e-15);
    near(h.w[1] / h.total, 1.0 / 49.0, 1e-12); /* 0.0204 */
    near((h.w[1] + h.w[2] + h.w[3]) / h.total, 17.0 / 49.0, 1e-12);
    cs_vpa_hist_fini(&h);
    /* TestNoDecay */
    assert_int_equal(cs_vpa_hist_init(&h, &o, H(1)), 0);
    for (int i = 1; i <= 4; i++)
        cs_vpa_hist_add(&h, i, i, T0);
    near(cs_vpa_hist_percentile(&h, 0.2), 3, 1e-15);
    near(cs_vpa_hist_percentile(&h, 0.7), 5, 1e-15);
    cs_vpa_hist_fini(&h);
}

static void test_decay_merge(void **state)
{
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h1, h2, want;

    (void)state;
    test_opts(&o);
    assert_int_equal(cs_vpa_hist_init(&h1, &o, H(1)), 0);
    assert_int_equal(cs_vpa_hist_init(&h2, &o, H(1)), 0);
    assert_int_equal(cs_vpa_hist_init(&want, &o, H(1)), 0);
    cs_vpa_hist_add(&h1, 1, 1, T0);
    cs_vpa_hist_add(&h1, 2, 1, T0 + H(1));
    cs_vpa_hist_add(&h2, 2, 1, T0 + H(2));
    cs_vpa_hist_add(&h2, 3, 1, T0 + H(1));
    cs_vpa_hist_add(&want, 2, 1, T0 + H(2));
    cs_vpa_hist_add(&want, 2, 1, T0 + H(1));
    cs_vpa_hist_add(&want, 3, 1, T0 + H(1));
    cs_vpa_hist_add(&want, 1, 1, T0);
    assert_true(h1.ref < h2.ref);
    cs_vpa_hist_merge(&h1, &h2); /* h1 moves to h2's reference */
    assert_hist_equal(&h1, &want);
    /* the other way round: src is older and scaled on the fly */
    cs_vpa_hist_fini(&h1);
    assert_int_equal(cs_vpa_hist_init(&h1, &o, H(1)), 0);
    cs_vpa_hist_add(&h1, 1, 1, T0);
    cs_vpa_hist_add(&h1, 2, 1, T0 + H(1));
    cs_vpa_hist_merge(&h2, &h1);
    assert_hist_equal(&h2, &want);
    cs_vpa_hist_fini(&h1);
    cs_vpa_hist_fini(&h2);
    cs_vpa_hist_fini(&want);
}

struct oplog {
    int n;
    int sub[8];
    double v[8], w[8];
    cs_time_ms t[8];
};

static void record(void *arg, int subtract, double v, double weight,
                   cs_time_ms t)
{
    struct oplog *l = arg;

    if (l->n < 8) {
        l->sub[l->n] = subtract;
        l->v[l->n] = v;
        l->w[l->n] = weight;
        l->t[l->n++] = t;
    }
}

static void test_operation_log(void **state)
{
    struct cs_vpa_hist_opts o;
    struct cs_vpa_hist h;
    struct oplog l = {0};

    (void)state;
    test_opts(&o);
    assert_int_equal(cs_vpa_hist_init(&h, &o, H(24)), 0);
    assert_null(h.log);
    h.log = record;
    h.log_arg = &l;
    cs_vpa_hist_add(&h, 5, 1.0, T0 + H(24));
    cs_vpa_hist_subtract(&h, 5, 1.0, T0 + H(24));
    assert_int_equal(l.n, 2);
    assert_int_equal(l.sub[0], 0);
    assert_int_equal(l.sub[1], 1);
    near(l.v[1], 5, 0);
    near(l.w[1], 1.0, 0); /* the weight before decay */
    assert_int_equal(l.t[1], T0 + H(24));
    assert_true(cs_vpa_hist_empty(&h));
    cs_vpa_hist_fini(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_options),
        cmocka_unit_test(test_exponential_options),
        cmocka_unit_test(test_default_cpu_layout),
        cmocka_unit_test(test_default_memory_layout),
        cmocka_unit_test(test_bucket_boundaries),
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_percentile_out_of_bounds),
        cmocka_unit_test(test_empty_histogram),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_checkpoint),
        cmocka_unit_test(test_decay),
        cmocka_unit_test(test_decay_merge),
        cmocka_unit_test(test_operation_log),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
