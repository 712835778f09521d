/*
 * test_service.c - the service model (src/model/service.c) a user sees as
 * latency_p95_ms, dropped_rps and the CPU the HPA reads: Erlang C and the
 * M/M/c sojourn quantile against values computed independently here, the
 * per-pod constants derived from a pod's CPU, and the fluid integration of
 * arrivals, service, backlog and drops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "model/load.h"
#include "model/service.h"

/* --- independent reference formulas ------------------------------------ */

/* Erlang C by its textbook definition:
 *   Pw = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + same). */
static double ref_erlang_c(int c, double a)
{
    double term = 1.0, sum = 0.0, top;

    for (int k = 0; k < c; k++) {
        sum += term;               /* a^k / k! */
        term = term * a / (k + 1); /* becomes a^(k+1) / (k+1)! */
    }
    top = term * c / (c - a);
    return top / (sum + top);
}

/* P(T > t) for the M/M/c FCFS sojourn time, T = W + X. */
static double ref_tail(int c, double mu, double lambda, double t)
{
    double pw = ref_erlang_c(c, lambda / mu);
    double theta = c * mu - lambda, conv;

    if (fabs(theta - mu) < 1e-12)
        conv = (1.0 + mu * t) * exp(-mu * t);
    else
        conv = (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu);
    return (1.0 - pw) * exp(-mu * t) + pw * conv;
}

/* --- Erlang C ------------------------------------------------------------ */

/* One server: the probability of waiting is the utilisation. */
static void test_erlang_c_one_server(void **state)
{
    (void)state;
    assert_float_equal(cs_erlang_c(1, 0.3), 0.3, 1e-12);
    assert_float_equal(cs_erlang_c(1, 0.7), 0.7, 1e-12);
    assert_float_equal(cs_erlang_c(1, 0.99), 0.99, 1e-12);
}

/* c = 2, a = 1: Pw = 1 / 3 (textbook value). */
static void test_erlang_c_two_servers(void **state)
{
    (void)state;
    assert_float_equal(cs_erlang_c(2, 1.0), 1.0 / 3.0, 1e-12);
}

/* Larger c against the definition; no load never waits, full load always. */
static void test_erlang_c_definition(void **state)
{
    static const struct {
        int c;
        double a;
    } v[] = {{3, 2.5}, {4, 1.0}, {8, 7.2}, {16, 12.0}, {50, 45.0}};

    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        assert_float_equal(cs_erlang_c(v[i].c, v[i].a),
                           ref_erlang_c(v[i].c, v[i].a), 1e-10);
    assert_float_equal(cs_erlang_c(4, 0.0), 0.0, 0.0);
    assert_float_equal(cs_erlang_c(4, 4.0), 1.0, 0.0);
    assert_float_equal(cs_erlang_c(4, 5.0), 1.0, 0.0);
}

/* --- sojourn quantile ---------------------------------------------------- */

/* M/M/1: T ~ Exp(mu - lambda), so p95 = ln(20) / (mu - lambda). */
static void test_mm1_p95_closed_form(void **state)
{
    (void)state;
    assert_float_equal(cs_mmc_sojourn_quantile(1, 220.0, 100.0, 0.95),
                       log(20.0) / 120.0, 1e-12);
    assert_float_equal(cs_mmc_sojourn_quantile(1, 10.0, 9.0, 0.95),
                       log(20.0) / 1.0, 1e-12);
}

/* M/M/c: the solver's answer q must satisfy P(T > q) = 0.05 with the tail
 * evaluated here, including theta == mu, where the convolution formula has
 * its removable singularity. */
static void test_mmc_quantile_consistent(void **state)
{
    static const struct {
        int c;
        double mu, lambda;
    } v[] = {
        {2, 1.0, 1.0}, /* theta = 2 - 1 = mu */
        {2, 305.0, 100.0}, {2, 305.0, 600.0}, {3, 50.0, 20.0},
        {4, 10.0, 39.0},   {8, 100.0, 700.0}, {16, 1.0, 2.0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        double q = cs_mmc_sojourn_quantile(v[i].c, v[i].mu, v[i].lambda, 0.95);

        assert_true(isfinite(q) && q > 0);
        assert_float_equal(ref_tail(v[i].c, v[i].mu, v[i].lambda, q), 0.05,
                           1e-6);
    }
}

/* Two servers at 100/s each: p95 is longer than a bare service time's and
 * than that of one server twice as fast; at or above capacity there is no
 * finite quantile. */
static void test_mmc_quantile_bounds(void **state)
{
    double q2, q1;

    (void)state;
    q2 = cs_mmc_sojourn_quantile(2, 100.0, 150.0, 0.95);
    q1 = cs_mmc_sojourn_quantile(1, 200.0, 150.0, 0.95);
    assert_true(q2 > log(20.0) / 100.0);
    assert_true(q2 > q1);
    assert_true(isinf(cs_mmc_sojourn_quantile(2, 100.0, 200.0, 0.95)));
    assert_true(isinf(cs_mmc_sojourn_quantile(1, 100.0, 250.0, 0.95)));
}

/* --- derived constants --------------------------------------------------- */

static struct cs_svc_model model(double limit, double idle, double cpu_s)
{
    struct cs_svc_model m = {0};

    m.cpu_s = cpu_s;
    m.idle_cpu = idle;
    m.cpu_capacity = limit;
    m.base_latency_s = 0.040;
    m.timeout_s = 30.0;
    return m;
}

/* 500m limit, 60m idle, 2 ms per request: one server at 0.44 core, 220/s. */
static void test_derive_fractional_core(void **state)
{
    struct cs_svc_model m = model(0.5, 0.06, 0.002);
    struct cs_svc_derived d;

    (void)state;
    cs_service_derive(&m, &d);
    assert_int_equal(d.c, 1);
    assert_float_equal(d.mu, 220.0, 1e-9);
}

/* The pods a load needs: 220/s per pod, base latency 40 ms. */
static void test_demand(void **state)
{
    struct cs_svc_model m = model(0.5, 0.06, 0.002);
    struct cs_svc_derived d;

    (void)state;
    m.base_latency_s = 0.040;
    cs_service_derive(&m, &d);
    assert_int_equal(cs_service_demand(&m, &d, 0, 0), 0);
    /* 300/s: one pod saturates, two keep up */
    assert_int_equal(cs_service_demand(&m, &d, 300, 0), 2);
    assert_int_equal(cs_service_demand(&m, &d, 219, 0), 1);
    assert_int_equal(cs_service_demand(&m, &d, 220, 0), 2);
    /* p95 <= 60 ms: M/M/1 sojourn p95 = ln 20 / (220 - 300/n) <= 20 ms
     * needs 300/n <= 70.2, n >= 4.27 -> 5 */
    assert_int_equal(cs_service_demand(&m, &d, 300, 0.060), 5);
    /* 50 ms is below what any pod count reaches (40 + 13.6 ms): ignored */
    assert_int_equal(cs_service_demand(&m, &d, 300, 0.050), 2);
}

/* 2.5 cores: two servers, together 2.44 / 0.002 = 1220 requests/s. */
static void test_derive_two_servers(void **state)
{
    struct cs_svc_model m = model(2.5, 0.06, 0.002);
    struct cs_svc_derived d;

    (void)state;
    cs_service_derive(&m, &d);
    assert_int_equal(d.c, 2);
    assert_float_equal(d.c * d.mu, 1220.0, 1e-9);
    m.idle_cpu = 0;
    cs_service_derive(&m, &d);
    assert_int_equal(d.c, 2);
    assert_float_equal(d.mu, 625.0, 1e-9);
}

/* A capacity far past int (2P cores, fuzz_run's finding) is 256 servers
 * that together still deliver all of it. */
static void test_derive_huge_capacity(void **state)
{
    struct cs_svc_model m = model(2e15, 0.02, 0.009);
    struct cs_svc_derived d;

    (void)state;
    cs_service_derive(&m, &d);
    assert_int_equal(d.c, 256);
    assert_float_equal(d.c * d.mu, (2e15 - 0.02) / 0.009, 1e6);
}

/* --- integration --------------------------------------------------------- */

struct fixture {
    struct cs_load_point pts[4];
    struct cs_load_spec spec;
    struct cs_load load;
    struct cs_svc_model m;
    struct cs_svc_derived d;
    struct cs_svc_state s;
};

/* A pod of 500m/60m/2ms (220 requests/s) under a load of `n` points. */
static void fx_init(struct fixture *f, const struct cs_load_point *pts,
                    size_t n)
{
    for (size_t i = 0; i < n; i++)
        f->pts[i] = pts[i];
    f->spec = (struct cs_load_spec){.kind = CS_LOAD_POINTS,
                                    .nnodes = 1,
                                    .scale = 1,
                                    .pts = f->pts,
                                    .npts = n};
    /* points keep no run state: nothing to free */
    assert_int_equal(cs_load_init(&f->load, &f->spec, NULL, 1, 0, NULL), 0);
    f->m = model(0.5, 0.06, 0.002);
    cs_service_derive(&f->m, &f->d);
    cs_service_init(&f->s, &f->load, 0);
}

static void advance(struct fixture *f, int32_t ready, cs_time_ms now)
{
    cs_service_advance(&f->s, &f->m, &f->d, &f->load, ready, now);
}

/* Change a one-point load's rate from the current instant on (advancing
 * to the same instant integrates nothing and only re-reads the rate). */
static void set_rate(struct fixture *f, double rps)
{
    f->pts[0].rps = rps;
    advance(f, 0, f->s.last);
}

/* Requests are conserved: arrived = served + dropped + still queued. */
static void assert_conserved(const struct fixture *f)
{
    assert_float_equal(f->s.cum_arrived,
                       f->s.cum_served + f->s.cum_dropped + f->s.backlog,
                       1e-6 * (1.0 + f->s.cum_arrived));
}

/* 10 -> 30 rps linearly over 10 s: 200 requests, however the interval is
 * cut; each partial sum is the exact integral of the ramp. */
static void test_ramp_integrated_exactly(void **state)
{
    static const struct cs_load_point pts[] = {{0, 10, 0}, {10000, 30, 1}};
    static const cs_time_ms cuts[] = {1, 1700, 4000, 4001, 9999, 10000};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 2);
    assert_float_equal(f.s.rate, 10.0, 1e-12);
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        double t = cuts[i] / 1000.0;

        advance(&f, 1, cuts[i]);
        /* integral of 10 + 2t from 0 to t */
        assert_float_equal(f.s.cum_arrived, 10.0 * t + t * t, 1e-9);
        assert_float_equal(f.s.rate, 10.0 + 2.0 * t, 1e-9);
    }
    assert_float_equal(f.s.cum_arrived, 200.0, 1e-9);
    /* 30 rps held after the ramp */
    advance(&f, 1, 15000);
    assert_float_equal(f.s.cum_arrived, 350.0, 1e-9);
}

/* Advancing to the same instant integrates nothing. */
static void test_advance_same_instant(void **state)
{
    static const struct cs_load_point pts[] = {{0, 50, 0}};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 1);
    advance(&f, 1, 2000);
    advance(&f, 1, 2000);
    assert_float_equal(f.s.cum_arrived, 100.0, 1e-9);
}

/* Below capacity every request is served: no backlog, no drop, up to a
 * ramp that ends just under one pod's 220/s and on over two pods. */
static void test_below_capacity_no_drops(void **state)
{
    static const struct cs_load_point pts[] = {
        {0, 100, 0}, {30000, 219, 1}, {60000, 430, 1}};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 3);
    for (cs_time_ms t = 1000; t <= 60000; t += 1000) {
        advance(&f, t <= 30000 ? 1 : 2, t);
        assert_float_equal(f.s.backlog, 0.0, 0.0);
        assert_float_equal(f.s.cum_dropped, 0.0, 0.0);
    }
    assert_float_equal(f.s.cum_arrived,
                       30.0 * (100 + 219) / 2 + 30.0 * (219 + 430) / 2, 1e-6);
    assert_float_equal(f.s.cum_served, f.s.cum_arrived, 1e-9);
}

/* 500 rps into one 220/s pod with a 30 s timeout: the backlog grows by
 * 280/s until it holds 30 s of work (6600 requests), then what does not fit
 * is dropped; the pod serves at capacity throughout. */
static void test_overload_backlog_capped(void **state)
{
    static const struct cs_load_point pts[] = {{0, 500, 0}};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 1);
    advance(&f, 1, 1000);
    assert_float_equal(f.s.backlog, 280.0, 1e-9);
    assert_float_equal(f.s.cum_served, 220.0, 1e-9);
    assert_float_equal(f.s.cum_dropped, 0.0, 0.0);
    advance(&f, 1, 20000);
    assert_float_equal(f.s.backlog, 5600.0, 1e-6);
    assert_float_equal(f.s.cum_dropped, 0.0, 0.0);
    advance(&f, 1, 100000);
    assert_float_equal(f.s.backlog, 30.0 * 220.0, 1e-6);
    assert_float_equal(f.s.cum_served, 100.0 * 220.0, 1e-6);
    assert_float_equal(f.s.cum_dropped, 50000.0 - 22000.0 - 6600.0, 1e-6);
    assert_conserved(&f);
}

/* The same overload in one step or in many ends in the same state. */
static void test_overload_step_independent(void **state)
{
    static const struct cs_load_point pts[] = {{0, 500, 0}};
    struct fixture a, b;

    (void)state;
    fx_init(&a, pts, 1);
    fx_init(&b, pts, 1);
    advance(&a, 1, 100000);
    for (cs_time_ms t = 250; t <= 100000; t += 250)
        advance(&b, 1, t);
    assert_float_equal(a.s.backlog, b.s.backlog, 1e-6);
    assert_float_equal(a.s.cum_dropped, b.s.cum_dropped, 1e-6);
    assert_float_equal(a.s.cum_served, b.s.cum_served, 1e-6);
}

/* When the load falls below capacity the backlog drains at the spare rate
 * (220 - 100 = 120/s) and nothing more is dropped. */
static void test_backlog_drains(void **state)
{
    static const struct cs_load_point pts[] = {{0, 500, 0}};
    struct fixture f;
    double dropped;

    (void)state;
    fx_init(&f, pts, 1);
    advance(&f, 1, 10000);
    assert_float_equal(f.s.backlog, 2800.0, 1e-6);
    dropped = f.s.cum_dropped;
    set_rate(&f, 100);
    advance(&f, 1, 20000);
    assert_float_equal(f.s.backlog, 2800.0 - 1200.0, 1e-6);
    advance(&f, 1, 40000);
    assert_float_equal(f.s.backlog, 0.0, 0.0);
    assert_float_equal(f.s.cum_dropped, dropped, 0.0);
    assert_conserved(&f);
}

/* No ready pod: every request is dropped, and so is any queued backlog. */
static void test_no_ready_pods_drop_all(void **state)
{
    static const struct cs_load_point pts[] = {{0, 50, 0}};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 1);
    advance(&f, 0, 5000);
    assert_float_equal(f.s.cum_dropped, 250.0, 1e-9);
    assert_float_equal(f.s.cum_served, 0.0, 0.0);
    set_rate(&f, 500);
    advance(&f, 1, 6000);
    assert_float_equal(f.s.backlog, 280.0, 1e-9);
    advance(&f, 0, 7000);
    assert_float_equal(f.s.cum_dropped, 250.0 + 280.0 + 500.0, 1e-9);
    assert_float_equal(f.s.backlog, 0.0, 0.0);
    assert_conserved(&f);
    assert_true(isinf(cs_service_p95(&f.s, &f.m, &f.d, 0)));
}

/* A step: 2 rps until 15 s, then 112 rps (the FeastFlow load test). The
 * simulator advances to the breakpoint exactly (service.h), so 0..15 s must
 * hold 2 x 15 = 30 requests and 15..30 s 112 x 15 = 1680. */
static void test_step_integrated_exactly(void **state)
{
    static const struct cs_load_point pts[] = {{0, 2, 0}, {15000, 112, 0}};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 2);
    advance(&f, 2, 15000);
    assert_float_equal(f.s.cum_arrived, 30.0, 1e-9);
    assert_float_equal(f.s.cum_served_pp, 15.0, 1e-9);
    advance(&f, 2, 30000);
    assert_float_equal(f.s.cum_arrived, 30.0 + 1680.0, 1e-9);
}

/* --- p95 ----------------------------------------------------------------- */

/* p95 = baseLatency + ln 20 / (mu - lambda) for one server, and it grows as
 * the load approaches capacity. */
static void test_p95_grows_toward_capacity(void **state)
{
    static const double load[] = {10, 110, 176, 209, 217.8};
    struct cs_load_point pt = {0, 0, 0};
    struct fixture f;
    double prev = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(load) / sizeof(load[0]); i++) {
        double p;

        pt.rps = load[i];
        fx_init(&f, &pt, 1);
        p = cs_service_p95(&f.s, &f.m, &f.d, 1);
        assert_float_equal(p, 0.040 + log(20.0) / (220.0 - load[i]), 1e-9);
        assert_true(p > prev);
        prev = p;
    }
}

/* The load is spread over the ready pods: 300 rps over 2 pods is 150 each;
 * a cached value is not returned once the rate or ready count changes. */
static void test_p95_follows_rate_and_ready(void **state)
{
    static const struct cs_load_point pts[] = {{0, 300, 0}, {10000, 100, 0}};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 2);
    assert_float_equal(cs_service_p95(&f.s, &f.m, &f.d, 2),
                       0.040 + log(20.0) / 70.0, 1e-9);
    assert_float_equal(cs_service_p95(&f.s, &f.m, &f.d, 3),
                       0.040 + log(20.0) / 120.0, 1e-9);
    advance(&f, 3, 10000);
    assert_float_equal(cs_service_p95(&f.s, &f.m, &f.d, 3),
                       0.040 + log(20.0) / (220.0 - 100.0 / 3.0), 1e-9);
}

/* Overloaded: p95 is the backlog's drain time plus a full-load service,
 * never above the timeout plus the base latency. */
static void test_p95_overloaded(void **state)
{
    static const struct cs_load_point pts[] = {{0, 500, 0}};
    struct fixture f;

    (void)state;
    fx_init(&f, pts, 1);
    advance(&f, 1, 1000);
    assert_float_equal(cs_service_p95(&f.s, &f.m, &f.d, 1),
                       0.040 + 280.0 / 220.0 + log(20.0) / 220.0, 1e-9);
    advance(&f, 1, 200000);
    assert_float_equal(cs_service_p95(&f.s, &f.m, &f.d, 1), 30.040, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang_c_one_server),
        cmocka_unit_test(test_erlang_c_two_servers),
        cmocka_unit_test(test_erlang_c_definition),
        cmocka_unit_test(test_mm1_p95_closed_form),
        cmocka_unit_test(test_mmc_quantile_consistent),
        cmocka_unit_test(test_mmc_quantile_bounds),
        cmocka_unit_test(test_derive_fractional_core),
        cmocka_unit_test(test_derive_two_servers),
        cmocka_unit_test(test_derive_huge_capacity),
        cmocka_unit_test(test_ramp_integrated_exactly),
        cmocka_unit_test(test_advance_same_instant),
        cmocka_unit_test(test_step_integrated_exactly),
        cmocka_unit_test(test_demand),
        cmocka_unit_test(test_below_capacity_no_drops),
        cmocka_unit_test(test_overload_backlog_capped),
        cmocka_unit_test(test_overload_step_independent),
        cmocka_unit_test(test_backlog_drains),
        cmocka_unit_test(test_no_ready_pods_drop_all),
        cmocka_unit_test(test_p95_grows_toward_capacity),
        cmocka_unit_test(test_p95_follows_rate_and_ready),
        cmocka_unit_test(test_p95_overloaded),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
