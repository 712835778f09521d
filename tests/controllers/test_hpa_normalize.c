/*
 * test_hpa_normalize.c - defaults, stabilization, rate limits and history
 * bookkeeping (src/controllers/hpa_normalize.c, HPA_SPEC.md §5, §6).
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

static struct cs_hpa_rules rules(enum cs_hpa_select sel, size_t n,
                                 const struct cs_hpa_policy *pol)
{
    struct cs_hpa_rules r;

    memset(&r, 0, sizeof(r));
    r.select = sel;
    r.n_policies = n;
    memcpy(r.policies, pol, n * sizeof(*pol));
    return r;
}

static void add_rec(struct cs_hpa_state *st, int age_s, int32_t replicas)
{
    assert_int_equal(
        cs_hpa_state_add_recommendation(st, NOW - S(age_s), replicas), 0);
}

static void add_ev(struct cs_hpa_state *st, bool up, int age_s, int32_t d)
{
    assert_int_equal(cs_hpa_state_add_scale_event(st, up, NOW - S(age_s), d),
                     0);
}

/* ---------------------------------------------------------------------- */
/* Defaults                                                               */
/* ---------------------------------------------------------------------- */

static void test_defaults_fill_fields_one_by_one(void **state)
{
    struct cs_hpa_policy one = {CS_HPA_POLICY_PODS, 1, 2};
    struct cs_hpa_rules up = rules(CS_HPA_SELECT_MIN, 1, &one);
    struct cs_hpa_rules down;

    (void)state;
    cs_hpa_rules_default_up(&up);
    assert_true(up.has_window && up.window_s == 0);
    assert_int_equal(up.select, CS_HPA_SELECT_MIN); /* kept */
    assert_int_equal(up.n_policies, 1);             /* list kept whole */
    assert_int_equal(up.policies[0].value, 1);
    memset(&up, 0, sizeof(up));
    cs_hpa_rules_default_up(&up);
    assert_int_equal(up.select, CS_HPA_SELECT_MAX);
    assert_int_equal(up.n_policies, 2);
    assert_int_equal(up.policies[0].type, CS_HPA_POLICY_PODS);
    assert_int_equal(up.policies[0].value, 4);
    assert_int_equal(up.policies[1].type, CS_HPA_POLICY_PERCENT);
    assert_int_equal(up.policies[1].value, 100);
    assert_int_equal(up.policies[1].period_s, 15);
    memset(&down, 0, sizeof(down));
    cs_hpa_rules_default_down(&down);
    assert_false(down.has_window); /* the controller fills 300 s */
    assert_int_equal(down.n_policies, 1);
    assert_int_equal(down.policies[0].type, CS_HPA_POLICY_PERCENT);
    assert_int_equal(down.select, CS_HPA_SELECT_MAX);
}

/* ---------------------------------------------------------------------- */
/* Legacy path                                                            */
/* ---------------------------------------------------------------------- */

static void test_legacy_stabilization_overwrites_last_old_slot(void **state)
{
    struct cs_hpa_state st;
    int32_t out;

    (void)state;
    cs_hpa_state_init(&st);
    add_rec(&st, 600, 10);
    add_rec(&st, 60, 4);
    add_rec(&st, 300, 7); /* exactly at the cutoff: still counts */
    add_rec(&st, 540, 9);
    assert_int_equal(cs_hpa_stabilize_legacy(&st, NOW, S(300), 3, &out), 0);
    assert_int_equal(out, 7);
    assert_int_equal(st.n_recs, 4); /* slot 3 (the last old one) reused */
    assert_int_equal(st.recs[3].replicas, 3);
    assert_true(st.recs[3].time == NOW);
    assert_int_equal(st.recs[0].replicas, 10);
    /* nothing old any more (slot 0 is, now) -> append */
    cs_hpa_state_fini(&st);
    cs_hpa_state_init(&st);
    add_rec(&st, 10, 2);
    assert_int_equal(cs_hpa_stabilize_legacy(&st, NOW, S(300), 5, &out), 0);
    assert_int_equal(out, 5);
    assert_int_equal(st.n_recs, 2);
    cs_hpa_state_fini(&st);
}

static void test_legacy_stabilization_raises_scale_up(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_state st;
    struct cs_hpa_normalized nz;

    (void)state;
    cs_hpa_config_init_defaults(&cfg);
    cs_hpa_state_init(&st);
    add_rec(&st, 100, 9);
    assert_int_equal(cs_hpa_normalize_legacy(&cfg, &st, NOW, 4, 6, 1, 20, &nz),
                     0);
    assert_int_equal(nz.stabilized, 9); /* above the proposal 6 */
    assert_int_equal(nz.desired, 8);    /* capped at max(2*4, 4) */
    assert_string_equal(nz.able_reason, "ScaleDownStabilized");
    assert_string_equal(nz.limit.reason, "ScaleUpLimit");
    assert_true(nz.limited);
    cs_hpa_state_fini(&st);
}

static void test_legacy_limit(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_limit l;

    (void)state;
    cs_hpa_config_init_defaults(&cfg);
    cs_hpa_limit_legacy(&cfg, 3, 1000, 1, 2000, &l);
    assert_int_equal(l.replicas, 6);
    assert_string_equal(l.reason, "ScaleUpLimit");
    assert_string_equal(l.message, "the desired replica count is increasing "
                                   "faster than the maximum scale rate");
    cs_hpa_limit_legacy(&cfg, 1, 1000, 1, 4, &l); /* cap == max: TooMany */
    assert_int_equal(l.replicas, 4);
    assert_string_equal(l.reason, "TooManyReplicas");
    cs_hpa_limit_legacy(&cfg, 0, 0, 0, 5, &l); /* min 0 is allowed */
    assert_int_equal(l.replicas, 0);
    assert_string_equal(l.reason, "DesiredWithinRange");
    cs_hpa_limit_legacy(&cfg, 3, 1, 2, 8, &l);
    assert_int_equal(l.replicas, 2);
    assert_string_equal(l.message, "the desired replica count is less than "
                                   "the minimum replica count");
    cfg.scale_up_limit_factor = 8;
    cs_hpa_limit_legacy(&cfg, 3, 1000, 1, 2000, &l);
    assert_int_equal(l.replicas, 24);
}

/* ---------------------------------------------------------------------- */
/* Behavior stabilization                                                 */
/* ---------------------------------------------------------------------- */

static void test_behavior_stabilization_never_overshoots(void **state)
{
    struct cs_hpa_state st;
    int32_t out;

    (void)state;
    cs_hpa_state_init(&st);
    add_rec(&st, 120, 4);
    add_rec(&st, 60, 5);
    /* Up window 300: min over the window is 4 -> 4, between 1 and 7. */
    assert_int_equal(cs_hpa_stabilize_behavior(&st, NOW, S(300), 0, 1, 7, &out),
                     0);
    assert_int_equal(out, 4);
    /* Proposal goes up from current 2 while the down window holds 1: the
     * result stays at current, never below it. */
    cs_hpa_state_fini(&st);
    cs_hpa_state_init(&st);
    add_rec(&st, 6000, 2);
    add_rec(&st, 180, 1);
    assert_int_equal(
        cs_hpa_stabilize_behavior(&st, NOW, S(300), S(300), 2, 3, &out), 0);
    assert_int_equal(out, 2);
    /* A 0 s window contains nothing, not even a record made now. */
    add_rec(&st, 0, 50);
    assert_int_equal(cs_hpa_stabilize_behavior(&st, NOW, 0, 0, 2, 3, &out), 0);
    assert_int_equal(out, 3);
    cs_hpa_state_fini(&st);
}

static void test_behavior_stabilization_reuses_slot_old_in_both(void **state)
{
    struct cs_hpa_state st;
    int32_t out;

    (void)state;
    cs_hpa_state_init(&st);
    add_rec(&st, 600, 10);
    add_rec(&st, 60, 4);
    add_rec(&st, 120, 5);
    add_rec(&st, 540, 9);
    assert_int_equal(
        cs_hpa_stabilize_behavior(&st, NOW, 0, S(180), 100, 3, &out), 0);
    assert_int_equal(out, 5);
    assert_int_equal(st.n_recs, 4);
    assert_int_equal(st.recs[3].replicas, 3);
    assert_int_equal(st.recs[0].replicas, 10);
    cs_hpa_state_fini(&st);
}

/* ---------------------------------------------------------------------- */
/* Rate limits                                                            */
/* ---------------------------------------------------------------------- */

static void test_percent_down_truncates_up_rounds_up(void **state)
{
    struct cs_hpa_policy pct = {CS_HPA_POLICY_PERCENT, 50, 60};
    struct cs_hpa_rules r = rules(CS_HPA_SELECT_MAX, 1, &pct);
    struct cs_hpa_state st;

    (void)state;
    cs_hpa_state_init(&st);
    assert_int_equal(cs_hpa_scale_down_limit(&st, &r, NOW, 5), 2); /* 2.5 */
    assert_int_equal(cs_hpa_scale_up_limit(&st, &r, NOW, 5), 8);   /* 7.5 */
    assert_int_equal(cs_hpa_scale_up_limit(&st, &r, NOW, 1), 2);   /* 1.5 */
    cs_hpa_state_fini(&st);
}

static void test_select_min_max(void **state)
{
    struct cs_hpa_policy pol[2] = {{CS_HPA_POLICY_PODS, 2, 60},
                                   {CS_HPA_POLICY_PERCENT, 50, 60}};
    struct cs_hpa_rules r = rules(CS_HPA_SELECT_MIN, 2, pol);
    struct cs_hpa_state st;

    (void)state;
    cs_hpa_state_init(&st);
    assert_int_equal(cs_hpa_scale_up_limit(&st, &r, NOW, 1), 2);
    assert_int_equal(cs_hpa_scale_down_limit(&st, &r, NOW, 5), 3);
    r.select = CS_HPA_SELECT_MAX;
    assert_int_equal(cs_hpa_scale_up_limit(&st, &r, NOW, 1), 3);
    assert_int_equal(cs_hpa_scale_down_limit(&st, &r, NOW, 5), 2);
    cs_hpa_state_fini(&st);
}

static void test_period_start_with_mixed_events(void **state)
{
    struct cs_hpa_policy pct = {CS_HPA_POLICY_PERCENT, 50, 120};
    struct cs_hpa_rules r = rules(CS_HPA_SELECT_MAX, 1, &pct);
    struct cs_hpa_state st;

    (void)state;
    cs_hpa_state_init(&st);
    add_ev(&st, true, 100, 10); /* +10 within the period */
    add_ev(&st, false, 60, 4);  /* -4 within the period */
    add_ev(&st, true, 120, 50); /* exactly at the period start: outside */
    /* periodStart = 100 - 10 + 4 = 94 */
    assert_int_equal(cs_hpa_scale_events_change(&st.up, NOW, 120), 10);
    assert_int_equal(cs_hpa_scale_down_limit(&st, &r, NOW, 100), 47);
    assert_int_equal(cs_hpa_scale_up_limit(&st, &r, NOW, 100), 141);
    cs_hpa_state_fini(&st);
}

static void test_select_disabled_and_frozen_scale_up(void **state)
{
    struct cs_hpa_policy pods = {CS_HPA_POLICY_PODS, 2, 60};
    struct cs_hpa_rules up = rules(CS_HPA_SELECT_DISABLED, 1, &pods);
    struct cs_hpa_rules down = rules(CS_HPA_SELECT_DISABLED, 1, &pods);
    struct cs_hpa_state st;
    struct cs_hpa_limit l;

    (void)state;
    cs_hpa_state_init(&st);
    cs_hpa_limit_behavior(&st, &up, &down, NOW, 10, 50, 1, 100, &l);
    assert_int_equal(l.replicas, 10);
    assert_string_equal(l.reason, "ScaleUpLimit");
    cs_hpa_limit_behavior(&st, &up, &down, NOW, 10, 2, 1, 100, &l);
    assert_int_equal(l.replicas, 10);
    assert_string_equal(l.reason, "ScaleDownLimit");
    /* Earlier scale-ups use up the budget: limit = 10 - 12 + 2 < current,
     * so scale-up is frozen at current. */
    up.select = CS_HPA_SELECT_MAX;
    add_ev(&st, true, 30, 12);
    cs_hpa_limit_behavior(&st, &up, &down, NOW, 10, 50, 1, 100, &l);
    assert_int_equal(l.replicas, 10);
    assert_string_equal(l.message, "the desired replica count is increasing "
                                   "faster than the maximum scale rate");
    cs_hpa_state_fini(&st);
}

static void test_behavior_limit_reasons(void **state)
{
    struct cs_hpa_rules up, down;
    struct cs_hpa_state st;
    struct cs_hpa_limit l;

    (void)state;
    memset(&up, 0, sizeof(up));
    memset(&down, 0, sizeof(down));
    cs_hpa_rules_default_up(&up);
    cs_hpa_rules_default_down(&down);
    cs_hpa_state_init(&st);
    cs_hpa_limit_behavior(&st, &up, &down, NOW, 100, 1000, 100, 150, &l);
    assert_int_equal(l.replicas, 150);
    assert_string_equal(l.reason, "TooManyReplicas");
    cs_hpa_limit_behavior(&st, &up, &down, NOW, 10, 0, 1, 1000, &l);
    assert_int_equal(l.replicas, 1);
    assert_string_equal(l.reason, "TooFewReplicas");
    cs_hpa_limit_behavior(&st, &up, &down, NOW, 5, 7, 3, 8, &l);
    assert_int_equal(l.replicas, 7);
    assert_string_equal(l.reason, "DesiredWithinRange");
    assert_string_equal(l.message, "the desired count is within the "
                                   "acceptable range");
    cs_hpa_state_fini(&st);
}

/* ---------------------------------------------------------------------- */
/* Scale events                                                           */
/* ---------------------------------------------------------------------- */

static void test_store_scale_event_marks_and_reuses(void **state)
{
    struct cs_hpa_policy pods = {CS_HPA_POLICY_PODS, 10, 60};
    struct cs_hpa_rules r = rules(CS_HPA_SELECT_MAX, 1, &pods);
    struct cs_hpa_state st;

    (void)state;
    cs_hpa_state_init(&st);
    add_ev(&st, true, 61, 7);
    add_ev(&st, true, 59, 6);
    assert_int_equal(cs_hpa_scale_events_change(&st.up, NOW, 60), 6);
    assert_int_equal(cs_hpa_state_store_scale(&st, &r, &r, NOW, 10, 15), 0);
    assert_int_equal(st.up.n, 2);
    assert_int_equal(st.up.v[0].delta, 5); /* outdated slot reused */
    assert_false(st.up.v[0].outdated);
    assert_int_equal(st.up.v[1].delta, 6);
    assert_int_equal(st.down.n, 0);
    assert_int_equal(cs_hpa_state_store_scale(&st, &r, &r, NOW, 10, 4), 0);
    assert_int_equal(st.down.n, 1);
    assert_int_equal(st.down.v[0].delta, 6); /* removed count, positive */
    /* No behavior: nothing is stored. */
    assert_int_equal(cs_hpa_state_store_scale(&st, NULL, NULL, NOW, 4, 9), 0);
    assert_int_equal(st.up.n, 2);
    cs_hpa_state_fini(&st);
}

static void test_store_uses_longest_period(void **state)
{
    struct cs_hpa_policy pol[2] = {{CS_HPA_POLICY_PODS, 10, 120},
                                   {CS_HPA_POLICY_PERCENT, 100, 30}};
    struct cs_hpa_rules r = rules(CS_HPA_SELECT_MAX, 2, pol);
    struct cs_hpa_state st;

    (void)state;
    cs_hpa_state_init(&st);
    add_ev(&st, false, 90, 7); /* older than 30 s but not than 120 s */
    assert_int_equal(cs_hpa_state_store_scale(&st, &r, &r, NOW, 10, 5), 0);
    assert_int_equal(st.down.n, 2);
    assert_int_equal(st.down.v[0].delta, 7);
    assert_int_equal(st.down.v[1].delta, 5);
    cs_hpa_state_fini(&st);
}

static void test_stabilized_reason_texts(void **state)
{
    const char *reason, *msg;

    (void)state;
    cs_hpa_stabilized_reason(true, 1, 7, 4, &reason, &msg);
    assert_string_equal(reason, "ScaleUpStabilized");
    assert_string_equal(msg, "recent recommendations were lower than current "
                             "one, applying the lowest recent "
                             "recommendation");
    cs_hpa_stabilized_reason(true, 5, 3, 5, &reason, &msg);
    assert_string_equal(reason, "ScaleDownStabilized");
    assert_string_equal(msg, "recent recommendations were higher than "
                             "current one, applying the highest recent "
                             "recommendation");
    cs_hpa_stabilized_reason(false, 5, 3, 3, &reason, &msg);
    assert_string_equal(reason, "ReadyForNewScale");
    assert_string_equal(msg, "recommended size matches current size");
}

static void test_behavior_normalize_uses_controller_down_window(void **state)
{
    struct cs_hpa_config cfg;
    struct cs_hpa_rules up, down;
    struct cs_hpa_state st;
    struct cs_hpa_normalized nz;

    (void)state;
    cs_hpa_config_init_defaults(&cfg);
    memset(&up, 0, sizeof(up));
    memset(&down, 0, sizeof(down));
    cs_hpa_rules_default_up(&up);
    cs_hpa_rules_default_down(&down);
    cs_hpa_state_init(&st);
    add_rec(&st, 299, 8); /* inside the default 300 s down window */
    assert_int_equal(
        cs_hpa_normalize_behavior(&cfg, &st, &up, &down, NOW, 8, 3, 1, 10, &nz),
        0);
    assert_int_equal(nz.desired, 8);
    assert_string_equal(nz.able_reason, "ScaleDownStabilized");
    assert_false(nz.limited);
    cs_hpa_state_fini(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_fill_fields_one_by_one),
        cmocka_unit_test(test_legacy_stabilization_overwrites_last_old_slot),
        cmocka_unit_test(test_legacy_stabilization_raises_scale_up),
        cmocka_unit_test(test_legacy_limit),
        cmocka_unit_test(test_behavior_stabilization_never_overshoots),
        cmocka_unit_test(test_behavior_stabilization_reuses_slot_old_in_both),
        cmocka_unit_test(test_percent_down_truncates_up_rounds_up),
        cmocka_unit_test(test_select_min_max),
        cmocka_unit_test(test_period_start_with_mixed_events),
        cmocka_unit_test(test_select_disabled_and_frozen_scale_up),
        cmocka_unit_test(test_behavior_limit_reasons),
        cmocka_unit_test(test_store_scale_event_marks_and_reuses),
        cmocka_unit_test(test_store_uses_longest_period),
        cmocka_unit_test(test_stabilized_reason_texts),
        cmocka_unit_test(test_behavior_normalize_uses_controller_down_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
