/*
 * test_metrics_leak.c - a leaking container's memory (memoryGrowth): the
 * leak in milli-bytes, and no overflow whatever the scenario asks.
 */
#include "test_util.h"

#include "controllers/metrics.h"

static void test_leak(void **state)
{
    (void)state;
    /* 60Mi per hour for an hour: 60Mi more */
    assert_int_equal(cs_metrics_leak(1000, 60.0 * 1048576 / 3600, 3600000),
                     1000 + 60LL * 1048576 * 1000);
    assert_int_equal(cs_metrics_leak(5, 0.0, 3600000), 5);
    assert_int_equal(cs_metrics_leak(5, 1.0, -10), 5); /* not running yet */
    /* 8Ei per hour for a year, on top of a huge base: saturates */
    assert_int_equal(cs_metrics_leak(INT64_MAX - 10, 2.56e15, 31536000000LL),
                     INT64_MAX);
    assert_int_equal(cs_metrics_leak(0, 1e300, 1), INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leak),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
