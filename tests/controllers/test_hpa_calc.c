/*
 * test_hpa_calc.c - pod classification and the replica calculators
 * (src/controllers/hpa_calc.c, HPA_SPEC.md §3), one rule per test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "controllers/hpa.h"
#include "core/err.h"

#define S(x) ((cs_time_ms)(x)*CS_MS_PER_S)
#define NOW S(1000000)

/* A Running, Ready, long-started pod with a request and a sample. */
static struct cs_hpa_pod pod(int64_t request, int64_t sample)
{
    struct cs_hpa_pod p;

    memset(&p, 0, sizeof(p));
    p.phase = CS_HPA_POD_RUNNING;
    p.ready = CS_HPA_READY_TRUE;
    p.has_start = true;
    p.start = NOW - S(3600);
    p.ready_transition = NOW - S(3595); /* so Ready=False = never ready */
    p.has_request = true;
    p.request = request;
    p.has_sample = sample >= 0;
    p.sample = sample >= 0 ? sample : 0;
    p.sample_time = NOW;
    p.sample_window = S(60);
    return p;
}

static struct cs_hpa_metric_input input(const struct cs_hpa_pod *pods, size_t n)
{
    struct cs_hpa_metric_input in;

    memset(&in, 0, sizeof(in));
    in.pods = pods;
    in.n_pods = n;
    return in;
}

static struct cs_hpa_metric_spec cpu_util(int64_t pct)
{
    struct cs_hpa_metric_spec m = {.source = CS_HPA_SOURCE_RESOURCE,
                                   .resource = "cpu",
                                   .target_type = CS_HPA_TARGET_UTILIZATION,
                                   .target = pct};
    return m;
}

struct fix {
    struct cs_hpa_config cfg;
    struct cs_hpa_calc_ctx ctx;
};

static void fix_init(struct fix *f)
{
    cs_hpa_config_init_test(&f->cfg);
    f->ctx.cfg = &f->cfg;
    f->ctx.now = NOW;
    f->ctx.tol.down = f->ctx.tol.up = 0.1;
}

/* ---------------------------------------------------------------------- */
/* groupPods                                                              */
/* ---------------------------------------------------------------------- */

static void test_classify_order(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_pod p = pod(1000, -1);

    (void)state;
    cs_hpa_config_init_test(&cfg);
    /* Pending beats "missing": a Pending pod without sample is unready. */
    p.phase = CS_HPA_POD_PENDING;
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_UNREADY);
    /* Deleted beats Pending. */
    p.deleted = true;
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_IGNORED);
    p = pod(1000, -1);
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_MISSING);
    p.phase = CS_HPA_POD_FAILED;
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, false),
                     CS_HPA_CLASS_IGNORED);
    /* Succeeded is not excluded by any rule. */
    p = pod(1000, 5);
    p.phase = CS_HPA_POD_SUCCEEDED;
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_READY);
}

static void test_classify_non_cpu_ignores_readiness(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_pod p = pod(1000, 5);

    (void)state;
    cs_hpa_config_init_test(&cfg);
    p.ready = CS_HPA_READY_FALSE;
    p.start = NOW; /* hot */
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, false),
                     CS_HPA_CLASS_READY);
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_UNREADY);
    p = pod(1000, 5);
    p.ready = CS_HPA_READY_NONE;
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, false),
                     CS_HPA_CLASS_READY);
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_UNREADY);
}

static void test_classify_cpu_initialization(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_pod p = pod(1000, 5);

    (void)state;
    cs_hpa_config_init_test(&cfg);
    p.start = NOW - S(60); /* inside the 120 s initialization */
    p.ready_transition = NOW - S(30);
    p.sample_time = NOW;
    p.sample_window = S(30); /* sample covers exactly transition + window */
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_READY);
    p.sample_window = S(31);
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_UNREADY);
    /* The initialization period ends strictly: start + 120 s == now is
     * over, so sample freshness no longer matters. */
    p.start = NOW - S(120);
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_READY);
}

static void test_classify_never_ready_boundary(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_pod p = pod(1000, 5);

    (void)state;
    cs_hpa_config_init_test(&cfg);
    p.ready = CS_HPA_READY_FALSE;
    p.start = NOW - S(600);
    p.ready_transition = p.start + S(9); /* within the 10 s delay */
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_UNREADY);
    p.ready_transition = p.start + S(10); /* strict: not before the delay */
    assert_int_equal(cs_hpa_pod_classify(&cfg, NOW, &p, true),
                     CS_HPA_CLASS_READY);
}

static void test_group_pods_counts(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_pod p[4] = {pod(1, 1), pod(1, -1), pod(1, 1), pod(1, 1)};
    enum cs_hpa_pod_class cls[4];
    struct cs_hpa_groups g;

    (void)state;
    cs_hpa_config_init_test(&cfg);
    p[2].phase = CS_HPA_POD_PENDING;
    p[3].deleted = true;
    cs_hpa_group_pods(&cfg, NOW, p, 4, true, &g, cls);
    assert_int_equal(g.ready, 1);
    assert_int_equal(g.missing, 1);
    assert_int_equal(g.unready, 1);
    assert_int_equal(g.ignored, 1);
    assert_int_equal(cls[1], CS_HPA_CLASS_MISSING);
    assert_int_equal(cls[3], CS_HPA_CLASS_IGNORED);
}

/* ---------------------------------------------------------------------- */
/* Tolerance                                                              */
/* ---------------------------------------------------------------------- */

static void test_tolerance_inclusive_bounds(void **state)
{
    struct cs_hpa_tolerances t = {0.1, 0.1};

    (void)state;
    /* |1 - 1.1| > 0.1 in float64: the old test would have scaled. */
    assert_true(cs_hpa_tolerances_within(&t, 1.1));
    assert_true(cs_hpa_tolerances_within(&t, 0.9));
    assert_true(cs_hpa_tolerances_within(&t, 110.0 / 100.0));
    assert_false(cs_hpa_tolerances_within(&t, 1.1000000000000003));
    assert_false(cs_hpa_tolerances_within(&t, 0.8999999999999999));
    t.up = 0.01;
    assert_false(cs_hpa_tolerances_within(&t, 1.02));
    assert_true(cs_hpa_tolerances_within(&t, 0.95));
}

static void test_ratio_exactly_110_does_not_scale(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[2] = {pod(1000, 1100), pod(1000, 1100)};
    struct cs_hpa_metric_input in = input(p, 2);
    struct cs_hpa_metric_spec m = cpu_util(100);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out), 0);
    assert_int_equal(out.utilization, 110);
    assert_int_equal(out.replicas, 2);
    p[0].sample = p[1].sample = 1110; /* 111% scales: ceil(1.11 * 2) */
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out), 0);
    assert_int_equal(out.replicas, 3);
}

static void test_tolerances_from_behavior(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_spec spec;
    struct cs_hpa_tolerances t;

    (void)state;
    cs_hpa_config_init_defaults(&cfg);
    memset(&spec, 0, sizeof(spec));
    spec.up.has_tolerance = true;
    spec.up.tolerance = 0.5;
    cs_hpa_tolerances_get(&cfg, &spec, &t);
    assert_true(t.up == 0.1 && t.down == 0.1); /* no behavior: flag value */
    spec.has_behavior = true;
    cs_hpa_tolerances_get(&cfg, &spec, &t);
    assert_true(t.up == 0.5 && t.down == 0.1);
}

/* ---------------------------------------------------------------------- */
/* Utilization                                                            */
/* ---------------------------------------------------------------------- */

static void test_utilization_truncates_percent(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[4] = {pod(2000, 8000), pod(2000, 19000),
                              pod(2000, 6000), pod(2000, 14000)};
    int64_t extra[2] = {6400, 4000};
    struct cs_hpa_metric_input in = input(p, 4);
    struct cs_hpa_metric_spec m = cpu_util(100);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    in.extra_samples = extra;
    in.n_extra = 2;
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 4, &out), 0);
    assert_int_equal(out.utilization, 587); /* 587.5% truncated */
    assert_int_equal(out.raw, 11750);
    assert_int_equal(out.replicas, 24); /* ceil(5.87 * 4) = 24, not 25 */
}

static void test_missing_scale_down_uses_max_100_target(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[4] = {pod(2000, 400), pod(2000, 200), pod(4000, 200),
                              pod(4000, -1)};
    struct cs_hpa_metric_input in = input(p, 4);
    struct cs_hpa_metric_spec m = cpu_util(300);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    p[0].ready = CS_HPA_READY_FALSE; /* never ready: unready */
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 4, &out), 0);
    assert_int_equal(out.utilization, 6);
    /* missing pod at 300% of 4000m: 12400/10000 = 124% -> ceil(0.413*3) */
    assert_int_equal(out.replicas, 2);
    /* With a target below 100% the fill is 100% of the request. */
    m.target = 50;
    p[3] = pod(2000, -1);
    p[2] = pod(2000, 200);
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 4, &out), 0);
    assert_int_equal(out.utilization, 10); /* 400 / 4000 */
    assert_int_equal(out.replicas, 3);     /* 2400/6000=40% -> ceil(2.4) */
}

static void
test_missing_scale_up_is_zero_and_ratio_one_fills_nothing(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[2] = {pod(2000, 3800), pod(2000, -1)};
    struct cs_hpa_metric_input in = input(p, 2);
    struct cs_hpa_metric_spec m = cpu_util(100);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    /* 190% -> missing at 0 -> 95%: direction flips, keep current */
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out), 0);
    assert_int_equal(out.replicas, 2);
    /* ratio exactly 1 with tolerance 0: still nothing filled, keep */
    f.ctx.tol.down = f.ctx.tol.up = 0;
    p[0].sample = 2000;
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out), 0);
    assert_int_equal(out.replicas, 2);
}

static void test_unready_filled_only_on_scale_up(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[3] = {pod(1000, 1000), pod(3000, 0), pod(1000, -1)};
    struct cs_hpa_metric_input in = input(p, 2);
    struct cs_hpa_metric_spec m = cpu_util(50);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    /* Scale-up: the unready pod (big request) counts at 0: 1000/4000 = 25%
     * flips the direction -> keep 1. Left out it would give ceil(2*1) = 2. */
    p[1].start = NOW; /* hot CPU pod, sample not a full window after */
    p[1].ready_transition = NOW;
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 1, &out), 0);
    assert_int_equal(out.utilization, 100); /* reported before the fill */
    assert_int_equal(out.replicas, 1);
    /* Scale-down with a missing pod: the unready pod stays out. 500/1000
     * -> fill 1000 -> 75% -> ceil(1.5) = 2; filled with 0 it would be
     * 1500/6000 = 25% -> ceil(0.75) = 1. */
    p[0].sample = 500;
    m.target = 100;
    in = input(p, 3);
    p[1] = pod(4000, 0);
    p[1].ready = CS_HPA_READY_FALSE;
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 3, &out), 0);
    assert_int_equal(out.utilization, 50);
    assert_int_equal(out.replicas, 2);
}

static void test_direction_flip_keeps_current(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[3] = {pod(2000, 800), pod(2000, 1000), pod(2000, 1400)};
    struct cs_hpa_metric_input in = input(p, 3);
    struct cs_hpa_metric_spec m = cpu_util(30);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    p[1].ready = p[2].ready = CS_HPA_READY_FALSE;
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 3, &out), 0);
    assert_int_equal(out.utilization, 40);
    assert_int_equal(out.replicas, 3); /* 13% after fill: flip */
}

static void test_surge_guard_keeps_current(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[3] = {pod(2000, 200), pod(2000, 200), pod(2000, -1)};
    struct cs_hpa_metric_input in = input(p, 3);
    struct cs_hpa_metric_spec m = cpu_util(50);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    /* ceil(0.8 * 3) = 3 > current 2 while scaling down: keep 2 */
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out), 0);
    assert_int_equal(out.replicas, 2);
}

static void test_utilization_errors(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[2] = {pod(2000, -1), pod(2000, -1)};
    struct cs_hpa_metric_input in = input(p, 2);
    struct cs_hpa_metric_spec m = cpu_util(50);
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out),
                     CS_EMETRIC);
    assert_string_equal(out.error, "unable to get metrics for resource cpu: "
                                   "no metrics returned from resource "
                                   "metrics API");
    p[0] = pod(2000, 100);
    p[0].ready = CS_HPA_READY_NONE;
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out),
                     CS_EMETRIC);
    assert_string_equal(out.error, "did not receive metrics for targeted pods "
                                   "(pods might be unready)");
    p[0] = pod(2000, 100);
    p[1].has_request = false;
    p[1].name = "web-1";
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out),
                     CS_EMETRIC);
    assert_string_equal(out.error, "missing request for cpu in pod web-1");
    in.fetch_failed = true;
    in.fetch_error = "boom";
    assert_int_equal(cs_hpa_calc_utilization(&f.ctx, &m, &in, 2, &out),
                     CS_EMETRIC);
    assert_string_equal(out.error,
                        "unable to get metrics for resource cpu: boom");
}

/* ---------------------------------------------------------------------- */
/* Plain, Value and per-pod                                               */
/* ---------------------------------------------------------------------- */

static void test_plain_average_and_missing_at_target(void **state)
{
    struct fix f;
    struct cs_hpa_pod p[3] = {pod(0, 50000), pod(0, 15000), pod(0, 30000)};
    struct cs_hpa_metric_input in = input(p, 3);
    struct cs_hpa_metric_spec m = {.source = CS_HPA_SOURCE_PODS,
                                   .name = "qps",
                                   .target_type = CS_HPA_TARGET_AVERAGE_VALUE,
                                   .target = 15000};
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    p[0].ready = CS_HPA_READY_FALSE; /* not CPU: still counts */
    p[0].start = NOW;
    assert_int_equal(cs_hpa_calc_average(&f.ctx, &m, &in, 3, &out), 0);
    assert_int_equal(out.raw, 31666); /* 95000 / 3, integer */
    assert_int_equal(out.replicas, 7);
    /* scale-down with a missing pod: it counts at the target value */
    p[0] = pod(0, 6000);
    p[1] = pod(0, 6000);
    p[2] = pod(0, -1);
    assert_int_equal(cs_hpa_calc_average(&f.ctx, &m, &in, 3, &out), 0);
    assert_int_equal(out.raw, 6000);
    assert_int_equal(out.replicas, 2); /* avg 9000/15000 = 0.6 -> ceil 1.8 */
}

static void test_value_from_zero_ignores_tolerance(void **state)
{
    struct fix f;
    int64_t v = 1000;
    struct cs_hpa_metric_input in = input(NULL, 0);
    struct cs_hpa_metric_spec m = {.source = CS_HPA_SOURCE_OBJECT,
                                   .name = "qps",
                                   .object_kind = "Deployment",
                                   .target_type = CS_HPA_TARGET_VALUE,
                                   .target = 1000};
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    in.values = &v;
    in.n_values = 1;
    assert_int_equal(cs_hpa_calc_value(&f.ctx, &m, &in, 0, &out), 0);
    assert_int_equal(out.replicas, 1);
    v = 1050; /* within tolerance from 3 replicas: no pods needed */
    assert_int_equal(cs_hpa_calc_value(&f.ctx, &m, &in, 3, &out), 0);
    assert_int_equal(out.replicas, 3);
    v = 5000; /* outside: the ready-pod count is needed and there is none */
    assert_int_equal(cs_hpa_calc_value(&f.ctx, &m, &in, 3, &out), CS_EMETRIC);
}

static void test_value_counts_running_ready_pods(void **state)
{
    struct fix f;
    int64_t v = 50000;
    struct cs_hpa_pod p[3] = {pod(0, -1), pod(0, -1), pod(0, -1)};
    struct cs_hpa_metric_input in = input(p, 3);
    struct cs_hpa_metric_spec m = {.source = CS_HPA_SOURCE_EXTERNAL,
                                   .name = "qps",
                                   .target_type = CS_HPA_TARGET_VALUE,
                                   .target = 10000};
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    in.values = &v;
    in.n_values = 1;
    p[0].ready = CS_HPA_READY_FALSE;
    p[2].phase = CS_HPA_POD_PENDING;
    assert_int_equal(cs_hpa_calc_value(&f.ctx, &m, &in, 3, &out), 0);
    assert_int_equal(out.replicas, 5); /* ratio 5 x 1 ready pod */
}

static void test_external_sum_saturates_and_clamps(void **state)
{
    struct fix f;
    int64_t v[2] = {INT64_C(4611686018427387904), INT64_C(4611686018427387904)};
    struct cs_hpa_metric_input in = input(NULL, 0);
    struct cs_hpa_metric_spec m = {.source = CS_HPA_SOURCE_EXTERNAL,
                                   .name = "qps",
                                   .target_type = CS_HPA_TARGET_AVERAGE_VALUE,
                                   .target = 1};
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    in.values = v;
    in.n_values = 2;
    assert_int_equal(cs_hpa_calc_per_pod(&f.ctx, &m, &in, 1, &out), 0);
    assert_int_equal(out.replicas, INT32_MAX);
    assert_true(out.raw == INT64_MAX);
    m.target_type = CS_HPA_TARGET_VALUE;
    m.target = INT64_MAX;
    assert_int_equal(cs_hpa_calc_value(&f.ctx, &m, &in, 3, &out), 0);
    assert_true(out.raw == INT64_MAX);
    assert_int_equal(out.replicas, 3); /* ratio 1.0 */
}

static void test_per_pod_uses_status_replicas(void **state)
{
    struct fix f;
    int64_t v = 20166;
    struct cs_hpa_metric_input in = input(NULL, 0);
    struct cs_hpa_metric_spec m = {.source = CS_HPA_SOURCE_OBJECT,
                                   .name = "qps",
                                   .target_type = CS_HPA_TARGET_AVERAGE_VALUE,
                                   .target = 5000};
    struct cs_hpa_calc out;

    (void)state;
    fix_init(&f);
    in.values = &v;
    in.n_values = 1;
    assert_int_equal(cs_hpa_calc_per_pod(&f.ctx, &m, &in, 4, &out), 0);
    assert_int_equal(out.replicas, 4); /* 20166 / 20000 within */
    assert_int_equal(out.raw, 5042);   /* ceil(20166 / 4) */
    v = 20000;
    assert_int_equal(cs_hpa_calc_per_pod(&f.ctx, &m, &in, 3, &out), 0);
    assert_int_equal(out.replicas, 4); /* ceil(20000 / 5000) */
    assert_int_equal(out.raw, 6667);
}

static void test_ceil_conversions(void **state)
{
    (void)state;
    assert_int_equal(cs_hpa_ceil_i32(2.0000001), 3);
    assert_int_equal(cs_hpa_ceil_i32(1e12), INT32_MAX);
    assert_int_equal(cs_hpa_ceil_i32(-1e12), INT32_MIN);
    assert_int_equal(cs_hpa_ceil_i32(0.0 / 0.0), 0);
    assert_true(cs_hpa_ceil_i64(9.3e18) == INT64_MAX);
}

static void test_metric_names(void **state)
{
    struct cs_hpa_metric_spec m = cpu_util(50);
    char buf[CS_HPA_NAME_MAX];

    (void)state;
    cs_hpa_metric_write_name(&m, buf, sizeof(buf));
    assert_string_equal(buf, "cpu resource utilization (percentage of "
                             "request)");
    m.source = CS_HPA_SOURCE_CONTAINER_RESOURCE;
    cs_hpa_metric_write_name(&m, buf, sizeof(buf));
    assert_string_equal(buf, "cpu container resource utilization "
                             "(percentage of request)");
    m.target_type = CS_HPA_TARGET_AVERAGE_VALUE;
    m.resource = "memory";
    cs_hpa_metric_write_name(&m, buf, sizeof(buf));
    assert_string_equal(buf, "memory resource");
    m = (struct cs_hpa_metric_spec){.source = CS_HPA_SOURCE_OBJECT,
                                    .name = "qps",
                                    .object_kind = "Deployment",
                                    .target_type = CS_HPA_TARGET_VALUE};
    cs_hpa_metric_write_name(&m, buf, sizeof(buf));
    assert_string_equal(buf, "Deployment metric qps");
    m.target_type = CS_HPA_TARGET_AVERAGE_VALUE; /* upstream says external */
    cs_hpa_metric_write_name(&m, buf, sizeof(buf));
    assert_string_equal(buf, "external metric qps(<nil>)");
    m.source = CS_HPA_SOURCE_PODS;
    cs_hpa_metric_write_name(&m, buf, sizeof(buf));
    assert_string_equal(buf, "pods metric qps");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_order),
        cmocka_unit_test(test_classify_non_cpu_ignores_readiness),
        cmocka_unit_test(test_classify_cpu_initialization),
        cmocka_unit_test(test_classify_never_ready_boundary),
        cmocka_unit_test(test_group_pods_counts),
        cmocka_unit_test(test_tolerance_inclusive_bounds),
        cmocka_unit_test(test_ratio_exactly_110_does_not_scale),
        cmocka_unit_test(test_tolerances_from_behavior),
        cmocka_unit_test(test_utilization_truncates_percent),
        cmocka_unit_test(test_missing_scale_down_uses_max_100_target),
        cmocka_unit_test(
            test_missing_scale_up_is_zero_and_ratio_one_fills_nothing),
        cmocka_unit_test(test_unready_filled_only_on_scale_up),
        cmocka_unit_test(test_direction_flip_keeps_current),
        cmocka_unit_test(test_surge_guard_keeps_current),
        cmocka_unit_test(test_utilization_errors),
        cmocka_unit_test(test_plain_average_and_missing_at_target),
        cmocka_unit_test(test_value_from_zero_ignores_tolerance),
        cmocka_unit_test(test_value_counts_running_ready_pods),
        cmocka_unit_test(test_external_sum_saturates_and_clamps),
        cmocka_unit_test(test_per_pod_uses_status_replicas),
        cmocka_unit_test(test_ceil_conversions),
        cmocka_unit_test(test_metric_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
