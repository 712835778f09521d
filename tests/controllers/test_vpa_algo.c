/*
 * test_vpa_algo.c - the VPA arithmetic of src/controllers/vpa_algo.c, one
 * rule per test: flag defaults and policies, the estimators (B4, B5), the
 * worked example of VPA_SPEC §6 and the confidence table (B11), memory
 * windows and OOM bumps (B6), capping, the updater's priority (B7),
 * acceptance and order (B8), eviction limits (B9) and proportional limits
 * (B10) of CA_VPA_TEST_VECTORS.md. Histograms: test_vpa_hist.c.
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

#define MIN(x) ((cs_time_ms)(x)*60 * 1000)
#define H(x) ((cs_time_ms)(x)*3600 * 1000)
#define T0 ((cs_time_ms)1492536905 * 1000) /* container_test's timestamp */
#define MB (1024.0 * 1024.0)
#define CPU_BIT (1u << CS_RES_CPU)
#define MEM_BIT (1u << CS_RES_MEMORY)

static void near(double got, double want, double tol)
{
    if (fabs(got - want) > tol)
        fail_msg("got %.12g, want %.12g (tolerance %g)", got, want, tol);
}

/* A fresh aggregate with the default layouts and flags. */
struct fixture {
    struct cs_vpa_config cfg;
    struct cs_vpa_hist_opts co, mo;
    struct cs_vpa_agg a;
    struct cs_vpa_cstate s;
};

static void fx_init(struct fixture *f)
{
    cs_vpa_config_defaults(&f->cfg);
    cs_vpa_hist_opts_cpu(&f->co);
    cs_vpa_hist_opts_memory(&f->mo);
    assert_int_equal(cs_vpa_agg_init(&f->a, &f->co, &f->mo, &f->cfg), 0);
    cs_vpa_cstate_init(&f->s);
}

static void test_config_defaults(void **state)
{
    struct cs_vpa_config c;

    (void)state;
    cs_vpa_config_defaults(&c);
    assert_int_equal(c.recommender_interval, MIN(1));
    near(c.margin_fraction, 0.15, 0);
    near(c.target_cpu_pct, 0.9, 0);
    near(c.target_mem_pct, 0.9, 0);
    near(c.lower_cpu_pct, 0.5, 0);
    near(c.lower_mem_pct, 0.5, 0);
    near(c.upper_cpu_pct, 0.95, 0);
    near(c.upper_mem_pct, 0.95, 0);
    assert_int_equal(c.conf_interval_cpu, H(24));
    assert_int_equal(c.conf_interval_mem, H(24));
    assert_int_equal(c.pod_min_cpu_m, 25);
    assert_int_equal(c.pod_min_mem_bytes, 262144000);
    assert_int_equal(c.cpu_half_life, H(24));
    assert_int_equal(c.mem_half_life, H(24));
    assert_int_equal(c.mem_agg_interval, H(24));
    assert_int_equal(c.mem_agg_count, 8);
    near(c.oom_bump_ratio, 1.2, 0);
    assert_int_equal(c.oom_min_bump_bytes, 104857600);
    assert_int_equal(c.max_allowed_cpu_m, 0);
    assert_int_equal(c.max_allowed_mem_bytes, 0);
    assert_int_equal(c.updater_interval, MIN(1));
    assert_int_equal(c.min_replicas, 2);
    near(c.eviction_tolerance, 0.5, 0);
    near(c.pod_update_threshold, 0.1, 0);
    assert_int_equal(c.lifetime_threshold, H(12));
    assert_int_equal(c.evict_after_oom, MIN(10));
}

static void test_modes_and_policies(void **state)
{
    struct cs_vpa_policy p[3];
    struct cs_vpa_spec v;

    (void)state;
    assert_string_equal(cs_vpa_mode_name(CS_VPA_OFF), "Off");
    assert_string_equal(cs_vpa_mode_name(CS_VPA_INITIAL), "Initial");
    assert_string_equal(cs_vpa_mode_name(CS_VPA_RECREATE), "Recreate");
    assert_string_equal(cs_vpa_mode_name(CS_VPA_AUTO), "Auto");
    assert_string_equal(cs_vpa_mode_name(CS_VPA_IN_PLACE_OR_RECREATE),
                        "InPlaceOrRecreate");
    assert_string_equal(cs_vpa_mode_name(CS_VPA_IN_PLACE), "InPlace");
    assert_string_equal(cs_vpa_mode_name(42), "Unknown");
    memset(p, 0, sizeof(p));
    memset(&v, 0, sizeof(v));
    p[0].container = "*";
    p[1].container = "app";
    p[2].container = "sidecar";
    p[2].off = 1;
    p[1].controlled = MEM_BIT;
    v.policies = p;
    v.npolicies = 3;
    assert_ptr_equal(cs_vpa_policy_for(&v, "app"), &p[1]);
    assert_ptr_equal(cs_vpa_policy_for(&v, "other"), &p[0]);
    v.npolicies = 0;
    assert_null(cs_vpa_policy_for(&v, "app"));
    /* B5 TestControlledResourcesFiltered */
    assert_int_equal(cs_vpa_policy_controlled(&p[1]), MEM_BIT);
    assert_int_equal(cs_vpa_policy_controlled(NULL), CPU_BIT | MEM_BIT);
    assert_int_equal(cs_vpa_policy_controlled(&p[2]), 0);
}

/* B4 TestPercentileEstimator, with plain histograms. */
static void test_percentile_estimator(void **state)
{
    struct fixture f;

    (void)state;
    cs_vpa_config_defaults(&f.cfg);
    f.cfg.cpu_half_life = f.cfg.mem_half_life = 0;
    cs_vpa_hist_opts_cpu(&f.co);
    cs_vpa_hist_opts_memory(&f.mo);
    assert_int_equal(cs_vpa_agg_init(&f.a, &f.co, &f.mo, &f.cfg), 0);
    for (int i = 1; i <= 3; i++) {
        cs_vpa_hist_add(&f.a.cpu, i, 1.0, 0);
        cs_vpa_hist_add(&f.a.mem, i * 1e9, 1.0, 0);
    }
    assert_int_equal((int64_t)(cs_vpa_hist_percentile(&f.a.cpu, 0.2) * 1000),
                     1016);
    assert_int_equal((int64_t)cs_vpa_hist_percentile(&f.a.mem, 0.5),
                     2093479957);
    cs_vpa_agg_fini(&f.a);
}

/* B4 TestConfidenceMultiplier and friends. */
static void test_confidence_multiplier(void **state)
{
    struct fixture f;

    (void)state;
    fx_init(&f);
    near(cs_vpa_confidence(&f.a, H(24)), 0.0, 0);
    assert_int_equal(cs_vpa_confidence_scale(3140, 1.0, 1.0, 0.0),
                     100000000000000LL);
    assert_int_equal(cs_vpa_confidence_scale(3140, 1.0, -1.0, 0.0), 0);
    assert_int_equal(cs_vpa_confidence_scale(3140, 0.1, 2.0, 0.0),
                     CS_VPA_MAX_AMOUNT);
    assert_int_equal(cs_vpa_confidence_scale(0, 1.0, 1.0, 0.0), 0);
    for (int i = 0; i < 9; i++)
        assert_int_equal(cs_vpa_agg_add_cpu(&f.a, 1.0, 1, MIN(2 * i)), 1);
    assert_int_equal(f.a.total_samples, 9);
    assert_int_equal(f.a.first_sample, 0);
    assert_int_equal(f.a.last_sample, MIN(16));
    near(cs_vpa_confidence(&f.a, H(24)), 0.00625, 0);
    assert_int_equal(cs_vpa_confidence_scale(3140, 0.1, 2.0, 0.00625), 907460);
    assert_int_equal(cs_vpa_confidence_scale(3140000000LL, 0.1, 2.0, 0.00625),
                     907460000000LL);
    near(cs_vpa_confidence(&f.a, MIN(18)), 0.5, 0);
    assert_int_equal(cs_vpa_confidence_scale(3140, 0.1, 2.0, 0.5), 4521);
    assert_int_equal(cs_vpa_confidence_scale(3140000000LL, 0.1, 2.0, 0.5),
                     4521600000LL);
    /* B4 TestMarginEstimator, TestMinResourcesEstimator */
    assert_int_equal(cs_vpa_margin(3140, 0.1), 3454);
    assert_int_equal(cs_vpa_margin(3140000000LL, 0.1), 3454000000LL);
    /* dropped samples */
    assert_int_equal(cs_vpa_agg_add_cpu(&f.a, -1.0, 1, MIN(20)), 0);
    assert_int_equal(cs_vpa_agg_add_cpu(&f.a, 1.0, 0, MIN(20)), 0);
    assert_int_equal(f.a.total_samples, 9);
    cs_vpa_agg_fini(&f.a);
}

/* B5: the per-pod minimums split over the containers. */
static void test_pod_minimum(void **state)
{
    struct cs_vpa_config c;
    int64_t cpu, mem;

    (void)state;
    cs_vpa_config_defaults(&c);
    cs_vpa_pod_min(&c, 1, &cpu, &mem);
    assert_int_equal(cpu, 25);
    assert_int_equal(mem, 262144000);
    cs_vpa_pod_min(&c, 2, &cpu, &mem);
    assert_int_equal(cpu, 12);
    assert_int_equal(mem, 131072000);
    cs_vpa_pod_min(&c, 3, &cpu, &mem);
    assert_int_equal(cpu, 8);
    assert_int_equal(mem, 87381333);
    cs_vpa_pod_min(&c, 0, &cpu, &mem);
    assert_int_equal(cpu, 25);
}

/* B11 / VPA_SPEC §6: 0.5 core and 300 MiB every minute for 24 h. */
static void test_worked_example(void **state)
{
    struct cs_vpa_bounds cpu, mem;
    struct fixture f;

    (void)state;
    fx_init(&f);
    for (int i = 0; i < 1440; i++) {
        cs_vpa_agg_add_cpu(&f.a, 0.5, 1, T0 + MIN(i));
        assert_int_equal(cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 300 * MB,
                                                  T0 + MIN(i), &f.cfg),
                         1);
    }
    near(cs_vpa_confidence(&f.a, H(24)), 0.9993056, 5e-8);
    near(cs_vpa_confidence_factor(0.001, -2, 1439.0 / 1440), 0.998002, 5e-7);
    near(cs_vpa_confidence_factor(1.0, 1, 1439.0 / 1440), 2.000695, 5e-7);
    assert_int_equal((int64_t)(cs_vpa_hist_percentile(&f.a.cpu, 0.9) * 1000),
                     511);
    assert_int_equal((int64_t)cs_vpa_hist_percentile(&f.a.mem, 0.9), 330659541);
    cs_vpa_estimate(&f.a, &f.cfg, 1, &cpu, &mem);
    assert_int_equal(cpu.target, 587);
    assert_int_equal(cpu.lower, 585);
    assert_int_equal(cpu.upper, 1174);
    assert_int_equal(cpu.uncapped_target, 587);
    assert_int_equal(mem.target, 380258472);
    assert_int_equal(mem.lower, 379498567);
    assert_int_equal(mem.upper, 760781195);
    assert_int_equal(mem.uncapped_target, 380258472);
    cs_vpa_agg_fini(&f.a);
}

/* No history: bounds fall to the per-container minimum (B4/B5). */
static void test_estimate_no_history(void **state)
{
    struct cs_vpa_bounds cpu, mem;
    struct fixture f;

    (void)state;
    fx_init(&f);
    cs_vpa_estimate(&f.a, &f.cfg, 2, &cpu, &mem);
    assert_int_equal(cpu.lower, 12);
    assert_int_equal(cpu.target, 12);
    assert_int_equal(cpu.upper, 12);
    assert_int_equal(mem.lower, 131072000);
    assert_int_equal(mem.upper, 131072000);
    cs_vpa_agg_fini(&f.a);
}

/* B11 confidence-multiplier table: one sample a minute over h minutes. */
static void test_confidence_table(void **state)
{
    static const struct {
        int minutes;
        double c, up, lo;
    } rows[] = {{5, 0.003472, 289, 0.602793},   {30, 0.020833, 49, 0.910495},
                {60, 0.041667, 25, 0.953674},   {720, 0.5, 3, 0.996012},
                {1440, 1, 2, 0.998003},         {2880, 2, 1.5, 0.999001},
                {10080, 7, 1.142857, 0.999714}, {11520, 8, 1.125, 0.999750}};

    (void)state;
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        struct fixture f;
        double c;

        fx_init(&f);
        for (int i = 0; i <= rows[r].minutes; i++)
            cs_vpa_agg_add_cpu(&f.a, 0.1, 1, MIN(i));
        c = cs_vpa_confidence(&f.a, H(24));
        near(c, rows[r].c, 5e-7);
        near(cs_vpa_confidence_factor(1.0, 1.0, c), rows[r].up, 5e-7);
        near(cs_vpa_confidence_factor(0.001, -2.0, c), rows[r].lo, 5e-7);
        cs_vpa_agg_fini(&f.a);
    }
    near(cs_vpa_confidence_factor(1.0, 1.0, 0.0), INFINITY, 0);
    near(cs_vpa_confidence_factor(0.001, -2.0, 0.0), 0.0, 0);
}

/* ---- B6: memory windows and OOM ---------------------------------------- */

struct oplog {
    int n;
    int sub[16];
    double v[16], w[16];
    cs_time_ms t[16];
};

static void record(void *arg, int subtract, double v, double weight,
                   cs_time_ms t)
{
    struct oplog *l = arg;

    if (l->n < 16) {
        l->sub[l->n] = subtract;
        l->v[l->n] = v;
        l->w[l->n] = weight;
        l->t[l->n++] = t;
    }
}

static void fx_log(struct fixture *f, struct oplog *l)
{
    fx_init(f);
    memset(l, 0, sizeof(*l));
    f->a.mem.log = record;
    f->a.mem.log_arg = l;
}

/* Operation i of the log is (sub, value, weight 1, time). */
static void op(const struct oplog *l, int i, int sub, double v, cs_time_ms t)
{
    assert_true(i < l->n);
    assert_int_equal(l->sub[i], sub);
    near(l->v[i], v, 1e-6);
    near(l->w[i], 1.0, 0);
    assert_int_equal(l->t[i], t);
}

static void test_oom_bump(void **state)
{
    struct fixture f;
    struct oplog l;

    (void)state;
    /* TestRecordOOMIncreasedByBumpUp */
    fx_log(&f, &l);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 1000 * MB, T0, &f.cfg), 0);
    assert_int_equal(l.n, 1);
    op(&l, 0, 0, 1200 * MB, T0 + H(24));
    assert_true(f.s.peak_oom);
    cs_vpa_agg_fini(&f.a);
    /* TestRecordOOMIncreasedByMin */
    fx_log(&f, &l);
    assert_int_equal(cs_vpa_cstate_record_oom(&f.s, &f.a.mem, MB, T0, &f.cfg),
                     0);
    op(&l, 0, 0, 101 * MB, T0 + H(24));
    cs_vpa_agg_fini(&f.a);
}

/* TestRecordOOMDontRunAway */
static void test_oom_dont_run_away(void **state)
{
    struct fixture f;
    struct oplog l;

    (void)state;
    fx_log(&f, &l);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 1000 * MB, T0, &f.cfg), 0);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 999 * MB, T0, &f.cfg), 0);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 999 * MB, T0, &f.cfg), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 2000 * MB, T0, &f.cfg), 0);
    assert_int_equal(l.n, 3);
    op(&l, 1, 1, 1200 * MB, T0 + H(24));
    op(&l, 2, 0, 2400 * MB, T0 + H(24));
    cs_vpa_agg_fini(&f.a);
}

/* TestRecordOOMMaxedWithKnownSample, TestRecordOOMDiscardsOldSample. */
static void test_oom_known_sample_and_stale(void **state)
{
    struct fixture f;
    struct oplog l;

    (void)state;
    fx_log(&f, &l);
    assert_int_equal(
        cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 3000 * MB, T0, &f.cfg), 1);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 1000 * MB, T0, &f.cfg), 0);
    assert_int_equal(l.n, 3);
    op(&l, 0, 0, 3000 * MB, T0 + H(24));
    op(&l, 1, 1, 3000 * MB, T0 + H(24));
    op(&l, 2, 0, 3600 * MB, T0 + H(24));
    cs_vpa_agg_fini(&f.a);
    fx_log(&f, &l);
    cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 1000 * MB, T0, &f.cfg);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 1000 * MB, T0 - H(30), &f.cfg),
        CS_EINVAL);
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 1000 * MB, T0 - 1, &f.cfg),
        CS_EINVAL); /* before WindowEnd - 24 h = T0 */
    assert_int_equal(l.n, 1);
    near(f.s.peak, 1000 * MB, 0);
    cs_vpa_agg_fini(&f.a);
}

/* TestRecordOOMInNewWindow: the bump uses the old window's peak. */
static void test_oom_new_window(void **state)
{
    struct fixture f;
    struct oplog l;

    (void)state;
    fx_log(&f, &l);
    cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 2000 * MB, T0, &f.cfg);
    assert_int_equal(f.s.window_end, T0 + H(24));
    assert_int_equal(
        cs_vpa_cstate_record_oom(&f.s, &f.a.mem, 1000 * MB, T0 + H(48), &f.cfg),
        0);
    assert_int_equal(l.n, 2);
    op(&l, 0, 0, 2000 * MB, T0 + H(24));
    op(&l, 1, 0, 2400 * MB, T0 + H(72));
    assert_int_equal(f.s.window_end, T0 + H(72));
    near(f.s.usage_peak, 0.0, 0);
    cs_vpa_agg_fini(&f.a);
}

/* TestAggregateContainerUsageSamples */
static void test_usage_samples(void **state)
{
    struct fixture f;
    struct oplog l, lc;

    (void)state;
    fx_log(&f, &l);
    memset(&lc, 0, sizeof(lc));
    f.a.cpu.log = record;
    f.a.cpu.log_arg = &lc;
    assert_int_equal(cs_vpa_cstate_add_cpu(&f.s, &f.a, 3.14, T0), 1);
    assert_int_equal(cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 5, T0, &f.cfg),
                     1);
    assert_int_equal(cs_vpa_cstate_add_cpu(&f.s, &f.a, 6.28, T0 + H(12)), 1);
    assert_int_equal(
        cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 10, T0 + H(12), &f.cfg), 1);
    assert_int_equal(cs_vpa_cstate_add_cpu(&f.s, &f.a, 1.57, T0 + H(24)), 1);
    assert_int_equal(
        cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 2, T0 + H(24), &f.cfg), 1);
    assert_int_equal(cs_vpa_cstate_add_cpu(&f.s, &f.a, 1.0, T0 + H(24)), 0);
    assert_int_equal(cs_vpa_cstate_add_cpu(&f.s, &f.a, -1.0, T0 + H(48)), 0);
    assert_int_equal(
        cs_vpa_cstate_add_memory(&f.s, &f.a.mem, -1, T0 + H(48), &f.cfg), 0);
    assert_int_equal(lc.n, 3);
    near(lc.v[0], 3.14, 0);
    near(lc.w[0], 0.1, 0);
    near(lc.v[2], 1.57, 0);
    assert_int_equal(lc.t[1], T0 + H(12));
    assert_int_equal(l.n, 4);
    op(&l, 0, 0, 5, T0 + H(24));
    op(&l, 1, 1, 5, T0 + H(24));
    op(&l, 2, 0, 10, T0 + H(24));
    op(&l, 3, 0, 2, T0 + H(48));
    assert_int_equal(f.a.total_samples, 3);
    cs_vpa_agg_fini(&f.a);
}

/* VPA_SPEC §1.4: the window moves by whole intervals. */
static void test_window_roll(void **state)
{
    struct fixture f;
    struct oplog l;

    (void)state;
    fx_log(&f, &l);
    cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 5, T0, &f.cfg);
    cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 7, T0 + H(100), &f.cfg);
    assert_int_equal(f.s.window_end, T0 + H(120));
    assert_int_equal(
        cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 9, T0 + H(99), &f.cfg), 0);
    cs_vpa_cstate_add_memory(&f.s, &f.a.mem, 9, T0 + H(119), &f.cfg);
    assert_int_equal(f.s.window_end, T0 + H(120));
    near(f.s.peak, 9, 0);
    near(f.s.usage_peak, 9, 0);
    assert_int_equal(l.n, 4);
    op(&l, 3, 0, 9, T0 + H(120));
    cs_vpa_agg_fini(&f.a);
}

static void test_agg_merge(void **state)
{
    struct fixture f, g;

    (void)state;
    fx_init(&f);
    fx_init(&g);
    cs_vpa_agg_add_cpu(&f.a, 1.0, 2, T0 + H(1));
    cs_vpa_agg_add_cpu(&g.a, 2.0, 3, T0);
    cs_vpa_agg_add_cpu(&g.a, 2.0, 1, T0 + H(2));
    cs_vpa_agg_merge(&f.a, &g.a);
    assert_int_equal(f.a.first_sample, T0);
    assert_int_equal(f.a.last_sample, T0 + H(2));
    assert_int_equal(f.a.total_samples, 6);
    near(cs_vpa_hist_percentile(&f.a.cpu, 1.0),
         cs_vpa_hist_bucket_start(&f.co, cs_vpa_hist_bucket(&f.co, 2.0) + 1),
         0);
    cs_vpa_agg_fini(&f.a);
    cs_vpa_agg_fini(&g.a);
}

/* ---- capping ------------------------------------------------------------- */

static void test_cap(void **state)
{
    struct cs_vpa_bounds b = {100, 200, 300, 200};
    struct cs_vpa_policy p;
    struct cs_vpa_config c;

    (void)state;
    cs_vpa_config_defaults(&c);
    memset(&p, 0, sizeof(p));
    p.min_allowed.v[CS_RES_CPU] = 150;
    p.max_allowed.v[CS_RES_CPU] = 250;
    p.min_set = p.max_set = CPU_BIT;
    cs_vpa_cap(&b, CS_RES_CPU, &p, &c);
    assert_int_equal(b.lower, 150);
    assert_int_equal(b.target, 200);
    assert_int_equal(b.upper, 250);
    assert_int_equal(b.uncapped_target, 200);
    p.min_allowed.v[CS_RES_CPU] = 400; /* max wins */
    cs_vpa_cap(&b, CS_RES_CPU, &p, &c);
    assert_int_equal(b.lower, 250);
    assert_int_equal(b.upper, 250);
    /* memory: policy milli-bytes rounded up to bytes; global max fills in */
    b = (struct cs_vpa_bounds){1000, 5000, 90000, 5000};
    p.min_allowed.v[CS_RES_MEMORY] = 2000500; /* 2000.5 B -> 2001 B */
    p.min_set |= MEM_BIT;
    c.max_allowed_mem_bytes = 60000;
    cs_vpa_cap(&b, CS_RES_MEMORY, &p, &c);
    assert_int_equal(b.lower, 2001);
    assert_int_equal(b.target, 5000);
    assert_int_equal(b.upper, 60000);
    p.max_allowed.v[CS_RES_MEMORY] = 0; /* given as 0: no bound at all */
    p.max_set |= MEM_BIT;
    b.upper = 90000;
    cs_vpa_cap(&b, CS_RES_MEMORY, &p, &c);
    assert_int_equal(b.upper, 90000);
    b.upper = 90000;
    cs_vpa_cap(&b, CS_RES_MEMORY, NULL, &c);
    assert_int_equal(b.upper, 60000);
}

/* ---- B7 priority --------------------------------------------------------- */

static struct cs_vpa_pod_container ctr(int64_t cpu_req, int64_t cpu_target,
                                       int64_t lo, int64_t hi)
{
    struct cs_vpa_pod_container c;

    memset(&c, 0, sizeof(c));
    c.req[CS_RES_CPU] = cpu_req;
    c.req_set = cpu_req >= 0 ? CPU_BIT : 0;
    c.target[CS_RES_CPU] = cpu_target;
    c.lower[CS_RES_CPU] = lo;
    c.upper[CS_RES_CPU] = hi >= 0 ? hi : INT64_MAX;
    c.rec_set = CPU_BIT;
    return c;
}

static void prio(const struct cs_vpa_pod_container *c, int n, int outside,
                 int up, double diff)
{
    struct cs_vpa_priority p;

    cs_vpa_priority_of(c, n, &p);
    assert_int_equal(p.outside, outside);
    assert_int_equal(p.scale_up, up);
    near(p.resource_diff, diff, 1e-12);
}

static void test_priority(void **state)
{
    struct cs_vpa_pod_container c[2];

    (void)state;
    c[0] = ctr(2000, 10000, 0, -1);
    prio(c, 1, 0, 1, 4.0);
    c[0] = ctr(4000, 2000, 0, -1);
    prio(c, 1, 0, 0, 0.5);
    c[0] = ctr(2000, 2000, 0, -1);
    prio(c, 1, 0, 0, 0.0);
    c[0] = ctr(10, 900, 0, -1);
    prio(c, 1, 0, 1, 89.0);
    c[0] = ctr(4000, 10000, 6000, 14000);
    prio(c, 1, 1, 1, 1.5);
    c[0] = ctr(8000, 2000, 1000, 3000);
    prio(c, 1, 1, 0, 0.75);
    c[0] = ctr(3000, 6000, 0, -1); /* + memory 10M -> 20M */
    c[0].req[CS_RES_MEMORY] = 10000000000LL;
    c[0].target[CS_RES_MEMORY] = 20000000000LL;
    c[0].upper[CS_RES_MEMORY] = INT64_MAX;
    c[0].req_set |= MEM_BIT;
    c[0].rec_set |= MEM_BIT;
    prio(c, 1, 0, 1, 2.0);
    c[0].req[CS_RES_CPU] = 4000;
    c[0].target[CS_RES_CPU] = 2000;
    prio(c, 1, 0, 1, 1.5);
    c[0].req[CS_RES_MEMORY] = 20000000000LL;
    c[0].target[CS_RES_MEMORY] = 10000000000LL;
    prio(c, 1, 0, 0, 1.0);
    c[0].lower[CS_RES_CPU] = 1000;
    c[0].upper[CS_RES_CPU] = 3000;
    c[0].lower[CS_RES_MEMORY] = 5000000000LL;
    c[0].upper[CS_RES_MEMORY] = 30000000000LL;
    prio(c, 1, 1, 0, 1.0);
    c[0] = ctr(1000, 4000, 0, -1);
    c[1] = ctr(2000, 8000, 0, -1);
    prio(c, 2, 0, 1, 3.0);
    c[0] = ctr(-1, 1000, 0, -1); /* no request: outside, up, R >= 1 */
    prio(c, 1, 1, 1, 999.0);
}

/* ---- B8 acceptance and order --------------------------------------------- */

static struct cs_vpa_priority pp(int outside, int up, double diff)
{
    return (struct cs_vpa_priority){outside, up, diff};
}

static void test_accept(void **state)
{
    struct cs_vpa_config c;
    struct cs_vpa_priority p;

    (void)state;
    cs_vpa_config_defaults(&c);
    p = pp(0, 0, 0.0);
    assert_false(cs_vpa_accept(&p, H(24), 0, &c)); /* UpdateNotRequired */
    c.pod_update_threshold = 0.5;
    p = pp(0, 1, 0.25);
    assert_false(cs_vpa_accept(&p, H(13), 0, &c));
    p = pp(0, 1, 4.0);
    assert_true(cs_vpa_accept(&p, H(13), 0, &c));
    assert_false(cs_vpa_accept(&p, H(11), 0, &c)); /* short-lived */
    assert_false(cs_vpa_accept(&p, -1, 0, &c));    /* no start time */
    p = pp(1, 0, 0.25);
    assert_true(cs_vpa_accept(&p, H(13), 0, &c));
    p = pp(1, 0, 0.9);
    assert_true(cs_vpa_accept(&p, H(11), 0, &c));
    p = pp(0, 1, 0.25);
    assert_true(cs_vpa_accept(&p, H(11), 1, &c)); /* quick OOM */
    p = pp(0, 1, 0.0);
    assert_false(cs_vpa_accept(&p, H(11), 1, &c)); /* nothing to change */
    p = pp(1, 1, 0.0);
    assert_false(cs_vpa_accept(&p, H(11), 1, &c));
    c.pod_update_threshold = 0.1;
    p = pp(0, 0, 0.1);
    assert_true(cs_vpa_accept(&p, H(12), 0, &c)); /* both inclusive */
}

static void test_less(void **state)
{
    struct cs_vpa_priority a, b;

    (void)state;
    a = pp(0, 0, 0.1), b = pp(0, 0, 0.0);
    assert_false(cs_vpa_priority_less(&a, &b));
    a = pp(0, 1, 0.1);
    assert_false(cs_vpa_priority_less(&a, &b));
    assert_true(cs_vpa_priority_less(&b, &a));
    b = pp(0, 1, 1.0);
    assert_true(cs_vpa_priority_less(&a, &b));
    a = pp(0, 0, 0.9), b = pp(0, 0, 0.1);
    assert_false(cs_vpa_priority_less(&a, &b));
    /* TestSortPriority: 9.0 > 4.0 > 2.33 > 1.5 */
    a = pp(0, 0, 4.0), b = pp(0, 0, 9.0);
    assert_true(cs_vpa_priority_less(&a, &b));
    a = pp(0, 0, 1.5), b = pp(0, 0, 2.33);
    assert_true(cs_vpa_priority_less(&a, &b));
}

/* ---- B9 eviction ----------------------------------------------------------
 */

static int evictions(int32_t configured, int32_t running, int32_t min,
                     double tol)
{
    struct cs_vpa_evict_group g;
    int n = 0;

    cs_vpa_evict_group_init(&g, configured, running, running, min, tol);
    for (int i = 0; i < running; i++)
        if (cs_vpa_can_evict(&g, 0)) {
            cs_vpa_evict_done(&g, 0);
            n++;
        }
    return n;
}

static void test_eviction(void **state)
{
    struct cs_vpa_evict_group g;

    (void)state;
    cs_vpa_evict_group_init(&g, 5, 5, 5, 10, 0.5);
    assert_false(cs_vpa_can_evict(&g, 0));
    assert_false(cs_vpa_can_evict(&g, 1));
    assert_int_equal(evictions(5, 5, 10, 0.5), 0);
    assert_int_equal(evictions(5, 5, 2, 0.8), 4);
    assert_int_equal(evictions(5, 5, 2, 0.1), 1);
    assert_int_equal(evictions(5, 5, 2, 0.5), 2);
    assert_int_equal(evictions(4, 4, 2, 0.5), 2);
    cs_vpa_evict_group_init(&g, 5, 5, 3, 2, 0.5);
    assert_int_equal(g.tolerance, 2);
    assert_false(cs_vpa_can_evict(&g, 0));
    assert_true(cs_vpa_can_evict(&g, 1)); /* Pending: always */
    cs_vpa_evict_done(&g, 1);
    assert_int_equal(g.evicted, 0);
}

/* ---- B10 proportional limits ----------------------------------------------
 */

static void limit(int r, int64_t lim, int64_t req, int64_t rec, int64_t dflt,
                  int has, int64_t want, int capped)
{
    int64_t got = -7;
    int c = -1;

    assert_int_equal(
        cs_vpa_proportional_limit_res(r, lim, req, rec, dflt, &got, &c), has);
    assert_int_equal(c, capped);
    if (has)
        assert_int_equal(got, want);
}

static void test_limits(void **state)
{
    int64_t got;
    int capped;

    (void)state;
    for (int r = CS_RES_CPU; r <= CS_RES_MEMORY; r++) {
        limit(r, 2000, 1000, 10000, -1, 1, 20000, 0);
        limit(r, -1, 1000, 10000, 2000, 1, 20000, 0);
        limit(r, -1, 1000, 10000, -1, 0, 0, 0);
        limit(r, 2000, -1, 10000, -1, 1, 10000, 0);
        limit(r, -1, 1000, 0, 2000, 0, 0, 0);
        limit(r, 1000, 1000, 10000, -1, 1, 10000, 0);
        limit(r, 10000000000000LL, 1, 10000000000000LL, -1, 1, INT64_MAX, 1);
    }
    limit(CS_RES_CPU, 2000, 1500, 1000, -1, 1, 1333, 0);
    limit(CS_RES_MEMORY, 200000, 150000, 100000, -1, 1, 133000, 0);
    assert_int_equal(
        cs_vpa_proportional_limit(2000, 1500, 1000, -1, &got, &capped), 1);
    assert_int_equal(got, 1333);
    assert_int_equal(capped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test(test_modes_and_policies),
        cmocka_unit_test(test_percentile_estimator),
        cmocka_unit_test(test_confidence_multiplier),
        cmocka_unit_test(test_pod_minimum),
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_estimate_no_history),
        cmocka_unit_test(test_confidence_table),
        cmocka_unit_test(test_oom_bump),
        cmocka_unit_test(test_oom_dont_run_away),
        cmocka_unit_test(test_oom_known_sample_and_stale),
        cmocka_unit_test(test_oom_new_window),
        cmocka_unit_test(test_usage_samples),
        cmocka_unit_test(test_window_roll),
        cmocka_unit_test(test_agg_merge),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_accept),
        cmocka_unit_test(test_less),
        cmocka_unit_test(test_eviction),
        cmocka_unit_test(test_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
