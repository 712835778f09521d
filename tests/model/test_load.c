/*
 * test_load.c - the request rate a workload receives (src/model/load.c):
 * points (steps hold from their point on, a `ramp` point is reached
 * linearly from the previous one, the first point's rate holds before it
 * and the last one's after it), `scale`, the curves and random shapes,
 * sums and products, Poisson noise, knots and left limits, and sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/load.h"

/*   5 rps before and at 10 s; a step to 15 at 20 s; a ramp from 15 (20 s)
 *   to 40 (30 s); held at 40 until a step to 0 at 40 s; then 0. */
static struct cs_load_point pts[] = {
    {10000, 5, 0}, {20000, 15, 0}, {30000, 40, 1}, {40000, 0, 0}};

static struct cs_load_spec spec_store[8];

/* A POINTS load over p[0..n) (stateless: nothing to free). */
static struct cs_load points_load(struct cs_load_point *p, size_t n,
                                  double scale, int slot)
{
    struct cs_load_spec *s = &spec_store[slot];
    struct cs_load l;

    *s = (struct cs_load_spec){.kind = CS_LOAD_POINTS,
                               .nnodes = 1,
                               .scale = scale,
                               .pts = p,
                               .npts = n};
    assert_int_equal(cs_load_init(&l, s, NULL, 1, 0, NULL), 0);
    return l;
}

static struct cs_load load(double scale)
{
    return points_load(pts, sizeof(pts) / sizeof(pts[0]), scale, 0);
}

static void test_before_first_point(void **state)
{
    struct cs_load l = load(1);

    (void)state;
    assert_float_equal(cs_load_rate(&l, 0), 5.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 9999), 5.0, 0.0);
}

/* At a point its value holds; just before a step the old value does. */
static void test_step(void **state)
{
    struct cs_load l = load(1);

    (void)state;
    assert_float_equal(cs_load_rate(&l, 10000), 5.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 15000), 5.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 19999), 5.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 20000), 15.0, 0.0);
    /* after the ramp ends, its end value is held until the next step */
    assert_float_equal(cs_load_rate(&l, 35000), 40.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 39999), 40.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 40000), 0.0, 0.0);
}

/* Between 20 s and 30 s the rate moves linearly from 15 to 40. */
static void test_ramp(void **state)
{
    struct cs_load l = load(1);

    (void)state;
    assert_float_equal(cs_load_rate(&l, 20000), 15.0, 1e-12);
    assert_float_equal(cs_load_rate(&l, 21000), 17.5, 1e-12);
    assert_float_equal(cs_load_rate(&l, 25000), 27.5, 1e-12);
    assert_float_equal(cs_load_rate(&l, 29999), 40.0 - 0.0025, 1e-12);
    assert_float_equal(cs_load_rate(&l, 30000), 40.0, 1e-12);
}

static void test_after_last_point(void **state)
{
    struct cs_load_point up[] = {{0, 3, 0}, {60000, 9, 1}};
    struct cs_load l = points_load(up, 2, 1, 1);
    struct cs_load l4 = load(1);

    (void)state;
    assert_float_equal(cs_load_rate(&l4, 40001), 0.0, 0.0);
    assert_float_equal(cs_load_rate(&l4, 86400000), 0.0, 0.0);
    /* a load that ends on a ramp holds the ramp's end value */
    assert_float_equal(cs_load_rate(&l, 30000), 6.0, 1e-12);
    assert_float_equal(cs_load_rate(&l, 60000), 9.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 3600000), 9.0, 0.0);
}

/* No point: no traffic. One point: that rate, always. */
static void test_empty_and_single(void **state)
{
    struct cs_load_point one = {30000, 7, 0};
    struct cs_load none, single = points_load(&one, 1, 1, 1);

    (void)state;
    assert_int_equal(cs_load_init(&none, NULL, NULL, 1, 0, NULL), 0);
    assert_float_equal(cs_load_rate(&none, 0), 0.0, 0.0);
    assert_true(cs_load_next(&none, 0) == CS_TIME_NEVER);
    assert_float_equal(cs_load_rate(&single, 0), 7.0, 0.0);
    assert_float_equal(cs_load_rate(&single, 30000), 7.0, 0.0);
    assert_float_equal(cs_load_rate(&single, 99000), 7.0, 0.0);
}

/* The next breakpoint is the first point strictly after t, so the
 * simulator's event at a point schedules the following one. */
static void test_next_point(void **state)
{
    struct cs_load l = load(1);

    (void)state;
    assert_int_equal(cs_load_next(&l, 0), 10000);
    assert_int_equal(cs_load_next(&l, 9999), 10000);
    assert_int_equal(cs_load_next(&l, 10000), 20000);
    assert_int_equal(cs_load_next(&l, 10001), 20000);
    assert_int_equal(cs_load_next(&l, 25000), 30000);
    assert_int_equal(cs_load_next(&l, 30000), 40000);
    assert_int_equal(cs_load_next(&l, 39999), 40000);
    assert_true(cs_load_next(&l, 40000) == CS_TIME_NEVER);
    assert_true(cs_load_next(&l, 1000000) == CS_TIME_NEVER);
}

/* scale multiplies every value: steps, ramps, before and after. */
static void test_scale(void **state)
{
    struct cs_load l = load(2.5);

    (void)state;
    assert_float_equal(cs_load_rate(&l, 0), 12.5, 1e-12);
    assert_float_equal(cs_load_rate(&l, 20000), 37.5, 1e-12);
    assert_float_equal(cs_load_rate(&l, 25000), 68.75, 1e-12);
    assert_float_equal(cs_load_rate(&l, 35000), 100.0, 1e-12);
    assert_float_equal(cs_load_rate(&l, 50000), 0.0, 0.0);
    l = load(0);
    assert_float_equal(cs_load_rate(&l, 25000), 0.0, 0.0);
}

/* The left limit differs from the value only at a step. */
static void test_left_limit(void **state)
{
    struct cs_load l = load(1);

    (void)state;
    assert_float_equal(cs_load_rate_left(&l, 20000), 5.0, 0.0);
    assert_float_equal(cs_load_rate(&l, 20000), 15.0, 0.0);
    assert_float_equal(cs_load_rate_left(&l, 30000), 40.0, 1e-12);
    assert_float_equal(cs_load_rate_left(&l, 40000), 40.0, 0.0);
    assert_float_equal(cs_load_rate_left(&l, 25000), 27.5, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_first_point),
        cmocka_unit_test(test_step),
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_after_last_point),
        cmocka_unit_test(test_empty_and_single),
        cmocka_unit_test(test_next_point),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_left_limit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
