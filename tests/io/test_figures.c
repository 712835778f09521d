/*
 * test_figures.c - every summary figure on hand-computed timelines.
 *
 * The expected values are worked out in the comments from the definitions
 * in docs/figures.md.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "io/figures.h"

#define S(x) ((cs_time_ms)(x)*1000)

static void sample(struct cs_figures *f, int t_s, int replicas, int ready,
                   int demand, int over_slo, int over_target)
{
    struct cs_fig_sample s = {S(t_s), replicas, ready,
                              demand, over_slo, over_target};

    cs_figures_sample(f, &s);
}

static void assert_near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-9 * (1 + fabs(want))))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* Samples every 10 s; each stands for the 10 s that follow it.
 *
 *   t   replicas ready demand  over_slo over_target
 *   0      2       2     2        0        0
 *   10     4       2     4        1        1
 *   20     4       4     4        0        1
 *   30     4       4     2        0        0
 *   40     4       4     2        0        0     (end = 40 s)
 */
static void test_time_figures(void **state)
{
    struct cs_figures f;
    struct cs_fig_result r;

    (void)state;
    cs_figures_init(&f, S(300));
    sample(&f, 0, 2, 2, 2, 0, 0);
    sample(&f, 10, 4, 2, 4, 1, 1);
    sample(&f, 20, 4, 4, 4, 0, 1);
    sample(&f, 30, 4, 4, 2, 0, 0);
    sample(&f, 40, 4, 4, 2, 0, 0);
    assert_int_equal(cs_figures_finish(&f, S(40), &r), 0);
    assert_near(r.duration_s, 40);
    assert_int_equal(r.peak_replicas, 4);
    /* (2*10 + 4*10 + 4*10 + 4*10) / 40 */
    assert_near(r.mean_replicas, 3.5);
    assert_near(r.replica_hours, 140.0 / 3600);
    assert_near(r.time_over_slo_s, 10);
    assert_near(r.time_over_target_s, 20);
    /* under: (4-2)/4 over [10,20) = 5 s of 40; over: (4-2)/2 over [30,40) */
    assert_near(r.under_accuracy_pct, 12.5);
    assert_near(r.over_accuracy_pct, 25);
    assert_near(r.under_timeshare_pct, 25);
    assert_near(r.over_timeshare_pct, 25);
    /* [0,10): s flat, d up; [10,20): s up, d flat; [20,30): s flat, d down;
     * [30,40): both flat -> 30 s of 40 */
    assert_near(r.instability_pct, 75);
    /* no latency, pending or steps: undefined, not zero */
    assert_true(isnan(r.latency_p95_ms));
    assert_true(isnan(r.pending_p95_s));
    assert_int_equal(r.load_steps, 0);
    assert_true(isnan(r.time_to_capacity_s));
    cs_figures_fini(&f);
}

static void test_quantiles(void **state)
{
    struct cs_figures f;
    struct cs_fig_result r;
    const double lat[] = {300, 100, 500, 200, 400};
    const double pend[] = {4, 1, 3, 2};

    (void)state;
    cs_figures_init(&f, S(300));
    for (size_t i = 0; i < 5; i++)
        cs_figures_latency(&f, lat[i]);
    for (size_t i = 0; i < 4; i++)
        cs_figures_pending(&f, pend[i]);
    assert_int_equal(cs_figures_finish(&f, 0, &r), 0);
    /* sorted 100..500: position 0.95 * 4 = 3.8 -> 400 + 0.8 * 100 */
    assert_near(r.latency_p95_ms, 480);
    assert_near(r.latency_max_ms, 500);
    assert_int_equal(r.pending_pods, 4);
    assert_near(r.pending_p50_s, 2.5);
    /* position 0.95 * 3 = 2.85 -> 3 + 0.85 */
    assert_near(r.pending_p95_s, 3.85);
    assert_near(r.pending_max_s, 4);
    cs_figures_fini(&f);
}

/* Pods' time to capacity: each stage has its own quantiles. Three pods,
 * (total, wait, provision, start-up) = (90, 20, 30, 40), (15, 5, 0, 10),
 * (40, 0, 0, 40); nothing else undefined moves. */
static void test_pod_ttc(void **state)
{
    static const struct cs_fig_ttc pods[] = {
        {90, 20, 30, 40}, {15, 5, 0, 10}, {40, 0, 0, 40}};
    struct cs_figures f;
    struct cs_fig_result r;

    (void)state;
    cs_figures_init(&f, S(300));
    assert_int_equal(cs_figures_finish(&f, 0, &r), 0);
    assert_int_equal(r.ttc_pods, 0); /* none: undefined, not zero */
    assert_true(isnan(r.ttc_p50_s) && isnan(r.ttc_max_s));
    assert_true(isnan(r.ttc_wait_ca_p95_s) && isnan(r.ttc_startup_p50_s));
    cs_figures_fini(&f);

    cs_figures_init(&f, S(300));
    for (size_t i = 0; i < 3; i++)
        cs_figures_pod_ready(&f, &pods[i]);
    assert_int_equal(cs_figures_finish(&f, 0, &r), 0);
    assert_int_equal(r.ttc_pods, 3);
    /* sorted 15, 40, 90: position 0.95 * 2 = 1.9 -> 40 + 0.9 * 50 */
    assert_near(r.ttc_p50_s, 40);
    assert_near(r.ttc_p95_s, 85);
    assert_near(r.ttc_max_s, 90);
    /* 0, 5, 20 */
    assert_near(r.ttc_wait_ca_p50_s, 5);
    assert_near(r.ttc_wait_ca_p95_s, 18.5);
    /* 0, 0, 30 */
    assert_near(r.ttc_provision_p50_s, 0);
    assert_near(r.ttc_provision_p95_s, 27);
    /* 10, 40, 40 */
    assert_near(r.ttc_startup_p50_s, 40);
    assert_near(r.ttc_startup_p95_s, 40);
    assert_true(isnan(r.pending_p50_s));
    cs_figures_fini(&f);
}

/* A direction change within the window (5 min) is a flap. */
static void test_flaps(void **state)
{
    struct cs_figures f;
    struct cs_fig_result r;

    (void)state;
    cs_figures_init(&f, S(300));
    cs_figures_rescale(&f, S(0), 1);
    cs_figures_rescale(&f, S(60), 0);  /* down 60 s after up: flap */
    cs_figures_rescale(&f, S(400), 1); /* 340 s later: not a flap */
    cs_figures_rescale(&f, S(410), 1); /* same direction */
    cs_figures_rescale(&f, S(500), 0); /* 90 s after up: flap */
    assert_int_equal(cs_figures_finish(&f, S(600), &r), 0);
    assert_int_equal(r.scale_ups, 3);
    assert_int_equal(r.scale_downs, 2);
    assert_int_equal(r.flaps, 2);
    cs_figures_fini(&f);
}

static void test_time_to_capacity(void **state)
{
    struct cs_figures f;
    struct cs_fig_result r;

    (void)state;
    cs_figures_init(&f, S(300));
    /* step at 15 s needs 4 pods, 2 ready; 3 at 20 s; 4 at 45 s: 30 s */
    cs_figures_capacity(&f, S(15), 2, 4, 1);
    cs_figures_capacity(&f, S(20), 3, 4, 0);
    cs_figures_capacity(&f, S(30), 3, 5, 1); /* further up: same step */
    cs_figures_capacity(&f, S(45), 5, 5, 0);
    /* a step already covered: 0 s */
    cs_figures_capacity(&f, S(60), 6, 6, 1);
    assert_int_equal(cs_figures_finish(&f, S(100), &r), 0);
    assert_int_equal(r.load_steps, 2);
    assert_near(r.time_to_capacity_s, 30);
    assert_near(r.time_to_capacity_mean_s, 15);
    cs_figures_fini(&f);

    /* a step never reached: the max is undefined, the mean is over the
     * reached ones */
    cs_figures_init(&f, S(300));
    cs_figures_capacity(&f, S(10), 1, 2, 1);
    cs_figures_capacity(&f, S(22), 2, 2, 0);
    cs_figures_capacity(&f, S(50), 2, 8, 1);
    cs_figures_capacity(&f, S(90), 7, 8, 0);
    assert_int_equal(cs_figures_finish(&f, S(100), &r), 0);
    assert_int_equal(r.load_steps, 2);
    assert_true(isnan(r.time_to_capacity_s));
    assert_near(r.time_to_capacity_mean_s, 12);
    cs_figures_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_figures),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_pod_ttc),
        cmocka_unit_test(test_flaps),
        cmocka_unit_test(test_time_to_capacity),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
