/*
 * test_load_shapes.c - load shapes other than points (src/model/load.c):
 * the diurnal cosine and its weekend factor on the local clock, a flash
 * sale's rise and decay, growth, random bursts, sums and products, Poisson
 * noise, the knots of each, and a source's plumbing (open, value, next,
 * status, close) through a fake source.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/load.h"

#include <math.h>
#include <stdlib.h>

#define H (3600 * 1000LL)
#define DAY (24 * H)

static struct cs_load_spec mk(enum cs_load_kind k)
{
    return (struct cs_load_spec){.kind = k, .nnodes = 1, .scale = 1};
}

static struct cs_load init(const struct cs_load_spec *s)
{
    struct cs_load l;
    struct cs_err e;

    assert_int_equal(cs_load_init(&l, s, NULL, 42, 1000, &e), 0);
    return l;
}

#define PI 3.14159265358979323846

/* The diurnal of test_diurnal at a time of day (seconds). */
static double curve(double tod)
{
    return 20 + 180 * 0.5 * (1 + cos(2 * PI * (tod - 50400) / 86400));
}

/* min at 02:00, max at the 14:00 peak, the mean at 08:00 and 20:00;
 * Saturday 1970-01-03 (t = 2 days: t = 0 is Thursday 00:00 UTC) is
 * scaled by `weekend`. */
static void test_diurnal(void **state)
{
    struct cs_load_spec s = mk(CS_LOAD_DIURNAL);
    struct cs_load l;

    (void)state;
    s.min = 20;
    s.max = 200;
    s.peak_tod = 14 * 3600;
    s.weekend = 0.5;
    s.step = 60000;
    l = init(&s);
    assert_float_equal(cs_load_rate(&l, 14 * H), 200, 1e-9);
    assert_float_equal(cs_load_rate(&l, 2 * H), 20, 1e-9);
    assert_float_equal(cs_load_rate(&l, 8 * H), 110, 1e-9);
    assert_float_equal(cs_load_rate(&l, 20 * H), 110, 1e-9);
    assert_float_equal(cs_load_rate(&l, DAY + 14 * H), 200, 1e-9);
    assert_float_equal(cs_load_rate(&l, 2 * DAY + 14 * H), 100, 1e-9);
    assert_float_equal(cs_load_rate(&l, 3 * DAY + 14 * H), 100, 1e-9);
    assert_float_equal(cs_load_rate(&l, 4 * DAY + 14 * H), 200, 1e-9);
    /* into Saturday at midnight: a step, seen in the left limit */
    assert_float_equal(cs_load_rate_left(&l, 2 * DAY), curve(86399.999), 1e-6);
    assert_float_equal(cs_load_rate(&l, 2 * DAY), 0.5 * curve(0), 1e-9);
    /* knots on the step grid */
    assert_int_equal(cs_load_next(&l, 0), 60000);
    assert_int_equal(cs_load_next(&l, 59999), 60000);
    assert_int_equal(cs_load_next(&l, 60000), 120000);
    cs_load_fini(&l);
}

/* base until at, linear to base*multiple over rise, then exp decay. */
static void test_flash_sale(void **state)
{
    struct cs_load_spec s = mk(CS_LOAD_SPIKE);
    struct cs_load l;

    (void)state;
    s.base = 50;
    s.multiple = 8;
    s.at = 2 * H;
    s.rise = 60000;
    s.decay = 20 * 60000;
    s.step = 60000;
    l = init(&s);
    assert_float_equal(cs_load_rate(&l, 0), 50, 1e-9);
    assert_float_equal(cs_load_rate(&l, 2 * H), 50, 1e-9);
    assert_float_equal(cs_load_rate(&l, 2 * H + 30000), 50 + 350 * 0.5, 1e-9);
    assert_float_equal(cs_load_rate(&l, 2 * H + 60000), 400, 1e-9);
    assert_float_equal(cs_load_rate(&l, 2 * H + 60000 + 20 * 60000),
                       50 + 350 * exp(-1), 1e-9);
    assert_int_equal(cs_load_next(&l, 0), 2 * H);
    assert_int_equal(cs_load_next(&l, 2 * H), 2 * H + 60000);
    assert_int_equal(cs_load_next(&l, 2 * H + 60000), 2 * H + 120000);
    /* twenty decay constants on, the curve is flat: no more knots */
    assert_true(cs_load_next(&l, 2 * H + 60000 + 401 * 60000) == CS_TIME_NEVER);
    cs_load_fini(&l);

    /* no rise: a step at `at`, visible in the left limit */
    s.rise = 0;
    l = init(&s);
    assert_float_equal(cs_load_rate_left(&l, 2 * H), 50, 1e-9);
    assert_float_equal(cs_load_rate(&l, 2 * H), 400, 1e-9);
    cs_load_fini(&l);
}

/* 5% a week: x1.05 after a week, x1.1025 after two. */
static void test_growth(void **state)
{
    struct cs_load_spec s = mk(CS_LOAD_GROWTH);
    struct cs_load l;

    (void)state;
    s.base = 100;
    s.per_week = 0.05;
    s.step = H;
    l = init(&s);
    assert_float_equal(cs_load_rate(&l, 0), 100, 1e-9);
    assert_float_equal(cs_load_rate(&l, 7 * DAY), 105, 1e-9);
    assert_float_equal(cs_load_rate(&l, 14 * DAY), 110.25, 1e-9);
    assert_int_equal(cs_load_next(&l, 0), H);
    cs_load_fini(&l);
}

/* Bursts: the value is height inside a burst and 0 outside, each burst
 * lasts `duration`, the knots are the burst edges, the mean gap is near
 * `every`, and a seed gives the same bursts. */
static void test_bursts(void **state)
{
    struct cs_load_spec s = mk(CS_LOAD_BURSTS);
    struct cs_load l, again;
    cs_time_ms t = 0, starts[400];
    int n = 0;

    (void)state;
    s.height = 300;
    s.every = 3 * H;
    s.duration = 10 * 60000;
    l = init(&s);
    again = init(&s);
    while (n < 400) {
        cs_time_ms a = cs_load_next(&l, t), b;

        assert_float_equal(cs_load_rate(&l, a), 300, 0);
        assert_float_equal(cs_load_rate_left(&l, a), 0, 0);
        b = cs_load_next(&l, a);
        assert_int_equal(b - a, 10 * 60000);
        assert_float_equal(cs_load_rate(&l, b - 1), 300, 0);
        assert_float_equal(cs_load_rate(&l, b), 0, 0);
        starts[n++] = a;
        t = b;
    }
    /* 400 gaps: mean within 15% of 3 h */
    assert_true(fabs((double)(starts[399] - starts[0]) / 399 -
                     (3 * H + 10 * 60000)) < 0.15 * 3 * H);
    t = 0;
    for (int i = 0; i < 400; i++) {
        cs_time_ms a = cs_load_next(&again, t);

        assert_int_equal(a, starts[i]);
        t = cs_load_next(&again, a);
    }
    cs_load_fini(&l);
    cs_load_fini(&again);
}

/* A sum of a constant and points, times a product factor; knots merge. */
static void test_sum_product(void **state)
{
    static struct cs_load_point pts[] = {{0, 10, 0}, {60000, 30, 1}};
    struct cs_load_spec c = mk(CS_LOAD_CONSTANT), p = mk(CS_LOAD_POINTS);
    struct cs_load_spec sum = mk(CS_LOAD_SUM), prod = mk(CS_LOAD_PRODUCT);
    struct cs_load_spec two = mk(CS_LOAD_CONSTANT);
    const struct cs_load_spec *sk[2] = {&c, &p}, *pk[2] = {&sum, &two};
    struct cs_load l;

    (void)state;
    c.value = 5;
    p.pts = pts;
    p.npts = 2;
    two.value = 2;
    sum.kids = sk;
    sum.nkids = 2;
    prod.kids = pk;
    prod.nkids = 2;
    prod.nnodes = 5;
    sum.id = 1, c.id = 2, p.id = 3, two.id = 4;
    prod.scale = 1.5;
    l = init(&prod);
    assert_float_equal(cs_load_rate(&l, 0), (5 + 10) * 2 * 1.5, 1e-9);
    assert_float_equal(cs_load_rate(&l, 30000), (5 + 20) * 2 * 1.5, 1e-9);
    assert_int_equal(cs_load_next(&l, 0), 60000);
    assert_true(cs_load_next(&l, 60000) == CS_TIME_NEVER);
    cs_load_fini(&l);
}

/* Poisson noise: constant within a bucket, knots at bucket edges, the
 * mean of many buckets near the rate, and the same draws for a seed. */
static void test_noise(void **state)
{
    struct cs_load_spec s = mk(CS_LOAD_CONSTANT);
    struct cs_load l, again;
    double sum = 0, first = -1;

    (void)state;
    s.value = 40;
    s.noise = 10000;
    l = init(&s);
    again = init(&s);
    for (int i = 0; i < 2000; i++) {
        cs_time_ms t = (cs_time_ms)i * 10000;
        double v = cs_load_rate(&l, t);

        if (i > 0)
            assert_float_equal(cs_load_rate_left(&l, t), first, 0);
        assert_float_equal(cs_load_rate(&l, t + 9999), v, 0);
        assert_int_equal(cs_load_next(&l, t), t + 10000);
        /* a count over 10 s: a multiple of 0.1 rps */
        assert_float_equal(v * 10, round(v * 10), 1e-9);
        assert_float_equal(cs_load_rate(&again, t), v, 0);
        first = v;
        sum += v;
    }
    assert_float_equal(sum / 2000, 40, 0.5);
    cs_load_fini(&l);
    cs_load_fini(&again);
}

/* --- a fake source: value = t/1000, knots every 5 s, status error ------- */

static int opened, closed;

static int fake_open(const void *spec, void **cursor, struct cs_err *err)
{
    (void)err;
    opened++;
    *cursor = (void *)spec;
    return 0;
}

static double fake_value(void *cursor, cs_time_ms t, int left)
{
    (void)cursor;
    return (double)t / 1000.0 - (left ? 1 : 0);
}

static cs_time_ms fake_next(void *cursor, cs_time_ms t)
{
    (void)cursor;
    return (t / 5000 + 1) * 5000;
}

static int fake_status(void *cursor, struct cs_err *err)
{
    (void)cursor;
    return cs_err_set(err, CS_EIO, "trace.csv", 7, 0, "changed");
}

static void fake_close(void *cursor)
{
    (void)cursor;
    closed++;
}

static const struct cs_load_source_ops fake = {fake_open, fake_value, fake_next,
                                               fake_status, fake_close};

static void test_source(void **state)
{
    struct cs_load_spec s = mk(CS_LOAD_SOURCE);
    struct cs_load l;
    struct cs_err e;

    (void)state;
    s.ops = &fake;
    s.source = "spec";
    s.scale = 2;
    l = init(&s);
    assert_int_equal(opened, 1);
    assert_float_equal(cs_load_rate(&l, 7000), 14, 0);
    assert_float_equal(cs_load_rate_left(&l, 7000), 12, 0);
    assert_int_equal(cs_load_next(&l, 7000), 10000);
    assert_int_equal(cs_load_status(&l, &e), CS_EIO);
    assert_string_equal(e.msg, "changed");
    cs_load_fini(&l);
    assert_int_equal(closed, 1);
}

/* Rates never go negative, whatever a product of shapes gives. */
static void test_never_negative(void **state)
{
    struct cs_load_spec c = mk(CS_LOAD_CONSTANT);
    struct cs_load l;

    (void)state;
    c.value = 5;
    c.scale = -1;
    l = init(&c);
    assert_float_equal(cs_load_rate(&l, 0), 0, 0);
    cs_load_fini(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diurnal),
        cmocka_unit_test(test_flash_sale),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_bursts),
        cmocka_unit_test(test_sum_product),
        cmocka_unit_test(test_noise),
        cmocka_unit_test(test_source),
        cmocka_unit_test(test_never_negative),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
