/*
 * test_hpa_reconcile.c - whole reconcile passes (src/controllers/
 * hpa_reconcile.c, HPA_SPEC.md §2, §4, §7): branches, metric combination,
 * exact condition and event texts, and the state a pass leaves behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "controllers/hpa.h"
#include "core/err.h"

#define S(x) ((cs_time_ms)(x)*CS_MS_PER_S)
#define NOW S(1000000)

struct fix {
    struct cs_hpa_config cfg;
    struct cs_hpa_state st;
    struct cs_hpa_spec spec;
    struct cs_hpa_metric_spec m[4];
    struct cs_hpa_pod pods[8];
    struct cs_hpa_metric_input in[4];
    struct cs_hpa_result *res;
};

static int setup(void **state)
{
    struct fix *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    f->res = calloc(1, sizeof(*f->res));
    if (f->res == NULL) {
        free(f);
        return -1;
    }
    cs_hpa_config_init_defaults(&f->cfg);
    cs_hpa_state_init(&f->st);
    f->spec.name = "web";
    f->spec.has_min = true;
    f->spec.min_replicas = 1;
    f->spec.max_replicas = 10;
    f->spec.metrics = f->m;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fix *f = *state;

    cs_hpa_state_fini(&f->st);
    free(f->res);
    free(f);
    return 0;
}

/* n Running, Ready, long-started pods of 1000m request at usage[i]. */
static void pods(struct fix *f, size_t n, const int64_t *usage)
{
    for (size_t i = 0; i < n; i++) {
        struct cs_hpa_pod *p = &f->pods[i];

        memset(p, 0, sizeof(*p));
        p->ready = CS_HPA_READY_TRUE;
        p->has_start = true;
        p->start = NOW - S(3600);
        p->ready_transition = NOW - S(3595);
        p->has_request = true;
        p->request = 1000;
        p->has_sample = true;
        p->sample = usage[i];
        p->sample_time = NOW;
        p->sample_window = S(60);
    }
    for (size_t k = 0; k < 4; k++) {
        memset(&f->in[k], 0, sizeof(f->in[k]));
        f->in[k].pods = f->pods;
        f->in[k].n_pods = n;
    }
}

static void cpu_metric(struct fix *f, size_t i, int64_t pct)
{
    f->m[i] =
        (struct cs_hpa_metric_spec){.source = CS_HPA_SOURCE_RESOURCE,
                                    .resource = "cpu",
                                    .target_type = CS_HPA_TARGET_UTILIZATION,
                                    .target = pct};
    if (f->spec.n_metrics <= i)
        f->spec.n_metrics = i + 1;
}

static const struct cs_hpa_condition *cond(const struct fix *f,
                                           enum cs_hpa_cond_type t)
{
    return &f->res->conditions[t];
}

static void assert_cond(const struct fix *f, enum cs_hpa_cond_type t,
                        enum cs_hpa_cond_status s, const char *reason,
                        const char *message)
{
    const struct cs_hpa_condition *c = cond(f, t);

    assert_int_equal(c->status, s);
    assert_non_null(c->reason);
    assert_string_equal(c->reason, reason);
    if (message != NULL)
        assert_string_equal(c->message, message);
}

static int pass(struct fix *f, int32_t replicas)
{
    return cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW, replicas, replicas,
                            f->in, f->res);
}

/* ---------------------------------------------------------------------- */

static void test_scale_up_texts(void **state)
{
    struct fix *f = *state;
    const int64_t usage[1] = {200};

    cpu_metric(f, 0, 50);
    pods(f, 1, usage);
    f->pods[0].request = 200;
    assert_int_equal(pass(f, 1), 0);
    assert_true(f->res->rescale);
    assert_int_equal(f->res->desired_replicas, 2);
    assert_int_equal(f->res->prenormalized, 2);
    assert_string_equal(f->res->reason, "cpu resource utilization "
                                        "(percentage of request) above "
                                        "target");
    assert_int_equal(f->res->n_events, 1);
    assert_int_equal(f->res->events[0].type, CS_HPA_EVENT_NORMAL);
    assert_string_equal(f->res->events[0].reason, "SuccessfulRescale");
    assert_string_equal(f->res->events[0].message,
                        "New size: 2; reason: cpu resource utilization "
                        "(percentage of request) above target");
    assert_cond(f, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_TRUE,
                "SucceededRescale",
                "the HPA controller was able to update the target scale to "
                "2");
    assert_cond(f, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_TRUE,
                "ValidMetricFound",
                "the HPA was able to successfully calculate a replica count "
                "from cpu resource utilization (percentage of request)");
    assert_cond(f, CS_HPA_COND_SCALING_LIMITED, CS_HPA_COND_FALSE,
                "DesiredWithinRange",
                "the desired count is within the acceptable range");
    assert_int_equal(f->res->metrics[0].calc.utilization, 100);
    assert_true(f->st.has_last_scale && f->st.last_scale_time == NOW);
    /* Legacy path: no scale events are kept. */
    assert_int_equal(f->st.up.n, 0);
}

static void test_first_sight_holds_scale_down(void **state)
{
    struct fix *f = *state;
    const int64_t usage[5] = {100, 300, 500, 250, 250};

    cpu_metric(f, 0, 50);
    pods(f, 5, usage);
    assert_int_equal(pass(f, 5), 0);
    assert_false(f->res->rescale);
    assert_int_equal(f->res->prenormalized, 3);
    assert_int_equal(f->res->desired_replicas, 5);
    assert_cond(f, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_TRUE,
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, "
                "applying the highest recent recommendation");
    assert_int_equal(f->res->n_events, 0);
    assert_int_equal(f->st.n_recs, 2); /* seed + this pass */
    /* Once the seed has left the 300 s window the scale-down happens. */
    assert_int_equal(cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW + S(301),
                                      5, 5, f->in, f->res),
                     0);
    assert_true(f->res->rescale);
    assert_int_equal(f->res->desired_replicas, 3);
    assert_string_equal(f->res->reason, "All metrics below target");
}

static void test_failing_metric_blocks_scale_down(void **state)
{
    struct fix *f = *state;
    const int64_t usage[5] = {100, 300, 500, 250, 250};

    cpu_metric(f, 0, 50);
    f->m[1] = (struct cs_hpa_metric_spec){.source = CS_HPA_SOURCE_EXTERNAL,
                                          .name = "qps",
                                          .target_type = CS_HPA_TARGET_VALUE,
                                          .target = 1000};
    f->spec.n_metrics = 2;
    pods(f, 5, usage);
    f->in[1].fetch_failed = true;
    f->in[1].fetch_error = "no adapter";
    f->st.seeded = true; /* no seed record: nothing else holds it */
    assert_int_equal(pass(f, 5), 0);
    assert_false(f->res->rescale);
    assert_int_equal(f->res->desired_replicas, 5);
    assert_cond(f, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                "FailedGetExternalMetric",
                "the HPA was unable to compute the replica count: failed to "
                "get external metric qps: unable to get external metric qps: "
                "no adapter");
    assert_int_equal(f->res->n_events, 2);
    assert_string_equal(f->res->events[0].reason, "FailedGetExternalMetric");
    assert_int_equal(f->res->events[0].type, CS_HPA_EVENT_WARNING);
    assert_string_equal(f->res->events[1].reason,
                        "FailedComputeMetricsReplicas");
    assert_string_equal(f->res->events[1].message,
                        "invalid metrics (1 invalid out of 2), first error "
                        "is: failed to get external metric qps: unable to "
                        "get external metric qps: no adapter");
    assert_int_equal(f->res->metrics[0].rc, 0);
    assert_int_equal(f->res->metrics[0].calc.replicas, 3);
    assert_int_equal(cond(f, CS_HPA_COND_SCALING_LIMITED)->status,
                     CS_HPA_COND_UNSET);
}

static void test_failing_metric_does_not_block_scale_up(void **state)
{
    struct fix *f = *state;
    const int64_t usage[3] = {300, 400, 500};

    f->m[0] = (struct cs_hpa_metric_spec){.source = CS_HPA_SOURCE_INVALID,
                                          .name = "CheddarCheese"};
    cpu_metric(f, 1, 30);
    pods(f, 3, usage);
    assert_int_equal(pass(f, 3), 0);
    assert_true(f->res->rescale);
    assert_int_equal(f->res->desired_replicas, 4);
    assert_cond(f, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_TRUE,
                "ValidMetricFound", NULL);
    assert_int_equal(f->res->metrics[0].rc, CS_EMETRIC);
    assert_string_equal(f->res->metrics[0].fail_reason,
                        "InvalidMetricSourceType");
    assert_string_equal(f->res->events[0].message,
                        "unknown metric source type \"CheddarCheese\"");
    assert_string_equal(f->res->events[1].reason, "SuccessfulRescale");
}

static void test_max_over_metrics_names_the_winner(void **state)
{
    struct fix *f = *state;
    const int64_t usage[3] = {20000, 10000, 30000};

    cpu_metric(f, 0, 1000); /* 2000% vs 1000%: ratio 2 -> 6 */
    f->m[1] = (struct cs_hpa_metric_spec){
        .source = CS_HPA_SOURCE_PODS,
        .name = "qps",
        .target_type = CS_HPA_TARGET_AVERAGE_VALUE,
        .target = 5000}; /* 20000 / 5000 = 4 -> 12 */
    f->spec.n_metrics = 2;
    f->spec.max_replicas = 100;
    f->cfg.scale_up_limit_factor = 8; /* cap 24, not 6 */
    pods(f, 3, usage);
    assert_int_equal(pass(f, 3), 0);
    assert_int_equal(f->res->prenormalized, 12);
    assert_int_equal(f->res->desired_replicas, 12);
    assert_string_equal(f->res->reason, "pods metric qps above target");
}

static void test_zero_proposal_is_replaced_by_later_metric(void **state)
{
    struct fix *f = *state;
    const int64_t usage[2] = {0, 0};

    /* Upstream keeps a later proposal whenever the best so far is 0, so
     * with two zero proposals the second metric is the one named. */
    cpu_metric(f, 0, 50);
    f->m[1] =
        (struct cs_hpa_metric_spec){.source = CS_HPA_SOURCE_PODS,
                                    .name = "qps",
                                    .target_type = CS_HPA_TARGET_AVERAGE_VALUE,
                                    .target = 5000};
    f->spec.n_metrics = 2;
    f->spec.min_replicas = 0;
    pods(f, 2, usage);
    assert_int_equal(pass(f, 2), 0);
    assert_int_equal(f->res->prenormalized, 0);
    assert_cond(f, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_TRUE,
                "ValidMetricFound",
                "the HPA was able to successfully calculate a replica count "
                "from pods metric qps");
}

static void test_disabled_and_out_of_range_branches(void **state)
{
    struct fix *f = *state;

    cpu_metric(f, 0, 50);
    /* inputs are not read in these branches */
    assert_int_equal(
        cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW, 0, 0, NULL, f->res),
        0);
    assert_false(f->res->rescale);
    assert_cond(f, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target "
                "is zero");
    assert_int_equal(
        cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW, 12, 12, NULL, f->res),
        0);
    assert_int_equal(f->res->desired_replicas, 10);
    assert_string_equal(f->res->events[0].message,
                        "New size: 10; reason: Current number of replicas "
                        "above Spec.MaxReplicas");
    f->spec.has_min = false; /* nil minReplicas = 1 */
    f->spec.min_replicas = 0;
    assert_int_equal(
        cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW, 0, 0, NULL, f->res),
        0);
    assert_false(f->res->rescale);
    f->spec.has_min = true;
    f->spec.min_replicas = 3;
    assert_int_equal(
        cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW, 2, 2, NULL, f->res),
        0);
    assert_int_equal(f->res->desired_replicas, 3);
    assert_string_equal(f->res->reason,
                        "Current number of replicas below Spec.MinReplicas");
}

static void test_update_failure(void **state)
{
    struct fix *f = *state;
    const int64_t usage[3] = {150, 150, 150};
    struct cs_hpa_scale scale = {
        .spec_replicas = 3, .status_replicas = 3, .update_error = "conflict"};

    cpu_metric(f, 0, 100);
    pods(f, 3, usage);
    f->pods[0].request = f->pods[1].request = f->pods[2].request = 100;
    assert_int_equal(cs_hpa_reconcile_scale(&f->cfg, &f->spec, &f->st, NOW,
                                            &scale, f->in, f->res),
                     0);
    assert_false(f->res->rescale);
    assert_int_equal(f->res->desired_replicas, 3);
    assert_cond(f, CS_HPA_COND_ABLE_TO_SCALE, CS_HPA_COND_FALSE,
                "FailedUpdateScale",
                "the HPA controller was unable to update the target scale: "
                "conflict");
    assert_string_equal(f->res->events[0].reason, "FailedRescale");
    assert_string_equal(f->res->events[0].message,
                        "New size: 5; reason: cpu resource utilization "
                        "(percentage of request) above target; error: "
                        "conflict");
    assert_false(f->st.has_last_scale);
}

static void test_selector_problems(void **state)
{
    struct fix *f = *state;
    const int64_t usage[3] = {300, 500, 700};
    struct cs_hpa_scale scale = {.spec_replicas = 3, .status_replicas = 3};

    cpu_metric(f, 0, 30);
    pods(f, 3, usage);
    scale.selector_state = CS_HPA_SELECTOR_MISSING;
    assert_int_equal(cs_hpa_reconcile_scale(&f->cfg, &f->spec, &f->st, NOW,
                                            &scale, f->in, f->res),
                     0);
    assert_false(f->res->rescale);
    assert_cond(f, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                "InvalidSelector",
                "the HPA target's scale is missing a selector");
    assert_string_equal(f->res->events[0].reason, "SelectorRequired");
    assert_string_equal(f->res->events[0].message, "selector is required");
    assert_string_equal(f->res->events[1].reason,
                        "FailedComputeMetricsReplicas");
    scale.selector_state = CS_HPA_SELECTOR_AMBIGUOUS;
    scale.selector = "app=web";
    scale.selector_hpas = "[default/a default/b]";
    assert_int_equal(cs_hpa_reconcile_scale(&f->cfg, &f->spec, &f->st, NOW,
                                            &scale, f->in, f->res),
                     0);
    assert_cond(f, CS_HPA_COND_SCALING_ACTIVE, CS_HPA_COND_FALSE,
                "AmbiguousSelector",
                "pods by selector app=web are controlled by multiple HPAs: "
                "[default/a default/b]");
}

static void test_condition_transition_time(void **state)
{
    struct fix *f = *state;
    const int64_t usage[2] = {500, 500};

    cpu_metric(f, 0, 50);
    pods(f, 2, usage);
    assert_int_equal(pass(f, 2), 0);
    assert_true(cond(f, CS_HPA_COND_SCALING_ACTIVE)->last_transition == NOW);
    /* Same status later: the transition time stays. */
    assert_int_equal(cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW + S(15), 2,
                                      2, f->in, f->res),
                     0);
    assert_true(cond(f, CS_HPA_COND_SCALING_ACTIVE)->last_transition == NOW);
    f->in[0].fetch_failed = true;
    assert_int_equal(cs_hpa_reconcile(&f->cfg, &f->spec, &f->st, NOW + S(30), 2,
                                      2, f->in, f->res),
                     0);
    assert_true(cond(f, CS_HPA_COND_SCALING_ACTIVE)->last_transition ==
                NOW + S(30));
    /* The other conditions keep their last value (status is not reset). */
    assert_cond(f, CS_HPA_COND_SCALING_LIMITED, CS_HPA_COND_FALSE,
                "DesiredWithinRange", NULL);
}

static void test_default_metric_and_behavior_events(void **state)
{
    struct fix *f = *state;
    const int64_t usage[3] = {1000, 1000, 1000};

    f->spec.n_metrics = 0; /* cpu 80% */
    f->spec.has_behavior = true;
    f->spec.max_replicas = 100;
    pods(f, 3, usage);
    assert_int_equal(cs_hpa_spec_metric_count(&f->spec), 1);
    assert_int_equal(pass(f, 3), 0);
    /* 100% / 80% -> ceil(1.25 * 3) = 4; default up: max(3+4, 6) = 7 */
    assert_int_equal(f->res->desired_replicas, 4);
    assert_int_equal(f->st.up.n, 1);
    assert_int_equal(f->st.up.v[0].delta, 1);
    /* Behavior tolerance override: 0.3 up keeps 3 at ratio 1.25. */
    cs_hpa_state_fini(&f->st);
    cs_hpa_state_init(&f->st);
    f->spec.up.has_tolerance = true;
    f->spec.up.tolerance = 0.3;
    assert_int_equal(pass(f, 3), 0);
    assert_false(f->res->rescale);
    assert_int_equal(f->res->desired_replicas, 3);
}

static void test_too_many_metrics(void **state)
{
    struct fix *f = *state;

    f->spec.n_metrics = CS_HPA_MAX_METRICS + 1;
    assert_int_equal(pass(f, 3), CS_EINVAL);
    assert_false(f->st.seeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scale_up_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_sight_holds_scale_down,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_metric_blocks_scale_down,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_failing_metric_does_not_block_scale_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_over_metrics_names_the_winner,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_zero_proposal_is_replaced_by_later_metric, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled_and_out_of_range_branches,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_selector_problems, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_condition_transition_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_default_metric_and_behavior_events,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_metrics, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
