/*
 * test_cluster.c - taints, tolerations and node selectors
 * (src/model/cluster.c): which pools a pod may land on, following
 * Kubernetes' v1 Toleration.ToleratesTaint and the TaintToleration and
 * NodeSelector filter plugins.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/cluster.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct cs_taint gpu_ns = {"nvidia.com/gpu", "present",
                                       CS_TAINT_NO_SCHEDULE};
static const struct cs_taint batch_ne = {"dedicated", "batch",
                                         CS_TAINT_NO_EXECUTE};
static const struct cs_taint spot_pref = {"spot", "",
                                          CS_TAINT_PREFER_NO_SCHEDULE};

static int tol1(struct cs_toleration t, struct cs_taint taint)
{
    return cs_tolerates(&t, 1, &taint, 1);
}

static void test_effect_parse(void **state)
{
    (void)state;
    assert_int_equal(cs_taint_effect_parse("NoSchedule"), CS_TAINT_NO_SCHEDULE);
    assert_int_equal(cs_taint_effect_parse("PreferNoSchedule"),
                     CS_TAINT_PREFER_NO_SCHEDULE);
    assert_int_equal(cs_taint_effect_parse("NoExecute"), CS_TAINT_NO_EXECUTE);
    /* case matters in Kubernetes; unknown or empty is 0 */
    assert_int_equal(cs_taint_effect_parse("noschedule"), 0);
    assert_int_equal(cs_taint_effect_parse("NoScheduleX"), 0);
    assert_int_equal(cs_taint_effect_parse(""), 0);
}

/* A node without taints accepts every pod, even one with no tolerations. */
static void test_no_taints(void **state)
{
    (void)state;
    assert_true(cs_tolerates(NULL, 0, NULL, 0));
}

/* NoSchedule and NoExecute taints filter pods that do not tolerate them. */
static void test_untolerated_taints_filter(void **state)
{
    (void)state;
    assert_false(cs_tolerates(NULL, 0, &gpu_ns, 1));
    assert_false(cs_tolerates(NULL, 0, &batch_ne, 1));
}

/* PreferNoSchedule only lowers a score: it never filters a pod out. */
static void test_prefer_no_schedule_never_filters(void **state)
{
    const struct cs_taint both[] = {spot_pref, gpu_ns};
    const struct cs_toleration gpu = {"nvidia.com/gpu", "", CS_TOL_EXISTS, 0};

    (void)state;
    assert_true(cs_tolerates(NULL, 0, &spot_pref, 1));
    /* ... but does not excuse the other taints either */
    assert_false(cs_tolerates(NULL, 0, both, N(both)));
    assert_true(cs_tolerates(&gpu, 1, both, N(both)));
}

/* Equal needs key and value to match; Exists ignores the value. */
static void test_equal_and_exists(void **state)
{
    struct cs_toleration t = {"dedicated", "batch", CS_TOL_EQUAL, 0};

    (void)state;
    assert_true(tol1(t, batch_ne));
    t.value = "web";
    assert_false(tol1(t, batch_ne));
    t.value = "";
    assert_false(tol1(t, batch_ne));
    t.op = CS_TOL_EXISTS;
    assert_true(tol1(t, batch_ne));
    t.value = "web"; /* Exists does not look at the value */
    assert_true(tol1(t, batch_ne));
    t.key = "dedicated-x";
    assert_false(tol1(t, batch_ne));
    /* a taint without value is tolerated by Equal with an empty value */
    t = (struct cs_toleration){"spot", "", CS_TOL_EQUAL, 0};
    assert_true(tol1(t, (struct cs_taint){"spot", "", CS_TAINT_NO_SCHEDULE}));
}

/* An empty key with Exists tolerates every taint, whatever its effect. */
static void test_empty_key_exists_tolerates_all(void **state)
{
    const struct cs_taint all[] = {gpu_ns, batch_ne, spot_pref};
    const struct cs_toleration any = {"", "", CS_TOL_EXISTS, 0};
    const struct cs_toleration any_ns = {"", "", CS_TOL_EXISTS,
                                         CS_TAINT_NO_SCHEDULE};

    (void)state;
    assert_true(cs_tolerates(&any, 1, all, N(all)));
    /* limited to one effect, it no longer covers the NoExecute taint */
    assert_false(cs_tolerates(&any_ns, 1, all, N(all)));
    assert_true(cs_tolerates(&any_ns, 1, &gpu_ns, 1));
}

/* A toleration's effect must equal the taint's; an empty effect matches
 * every effect. NoExecute needs a toleration of its own. */
static void test_effect_matching(void **state)
{
    struct cs_toleration t = {"dedicated", "batch", CS_TOL_EQUAL,
                              CS_TAINT_NO_SCHEDULE};

    (void)state;
    assert_false(tol1(t, batch_ne));
    t.effect = CS_TAINT_NO_EXECUTE;
    assert_true(tol1(t, batch_ne));
    t.effect = 0;
    assert_true(tol1(t, batch_ne));
    t.effect = CS_TAINT_PREFER_NO_SCHEDULE;
    assert_false(tol1(t, batch_ne));
}

/* Every filtering taint needs some toleration; the order does not matter. */
static void test_all_taints_need_tolerations(void **state)
{
    const struct cs_taint two[] = {gpu_ns, batch_ne};
    const struct cs_toleration one[] = {
        {"nvidia.com/gpu", "", CS_TOL_EXISTS, CS_TAINT_NO_SCHEDULE}};
    const struct cs_toleration both[] = {
        {"dedicated", "batch", CS_TOL_EQUAL, CS_TAINT_NO_EXECUTE},
        {"nvidia.com/gpu", "present", CS_TOL_EQUAL, 0}};

    (void)state;
    assert_false(cs_tolerates(one, N(one), two, N(two)));
    assert_true(cs_tolerates(both, N(both), two, N(two)));
}

/* nodeSelector: every pair must equal a pool label. */
static void test_labels_match_pool(void **state)
{
    struct cs_kv labels[] = {{"pool", "gpu"}, {"zone", "eu-west-1a"}};
    struct cs_pool pool = {0};
    const struct cs_kv sel_pool[] = {{"pool", "gpu"}};
    const struct cs_kv sel_both[] = {{"zone", "eu-west-1a"}, {"pool", "gpu"}};
    const struct cs_kv sel_wrong[] = {{"pool", "gpu"}, {"zone", "eu-west-1b"}};
    const struct cs_kv sel_missing[] = {{"disk", "ssd"}};
    const struct cs_kv sel_value_as_key[] = {{"gpu", "pool"}};

    (void)state;
    pool.name = "gpu";
    pool.labels = labels;
    pool.nlabels = N(labels);
    assert_true(cs_labels_match(NULL, 0, &pool, NULL));
    assert_true(cs_labels_match(sel_pool, N(sel_pool), &pool, "gpu-0"));
    assert_true(cs_labels_match(sel_both, N(sel_both), &pool, "gpu-0"));
    assert_false(cs_labels_match(sel_wrong, N(sel_wrong), &pool, "gpu-0"));
    assert_false(cs_labels_match(sel_missing, N(sel_missing), &pool, NULL));
    assert_false(
        cs_labels_match(sel_value_as_key, N(sel_value_as_key), &pool, NULL));
    pool.nlabels = 0;
    assert_false(cs_labels_match(sel_pool, N(sel_pool), &pool, "gpu-0"));
}

/* kubernetes.io/hostname pins one node by name: "<pool>-<index>". Without
 * a node (a pool-level check) it cannot match. */
static void test_labels_match_hostname(void **state)
{
    struct cs_kv labels[] = {{"pool", "general"}};
    struct cs_pool pool = {0};
    const struct cs_kv sel[] = {{"kubernetes.io/hostname", "general-2"}};
    const struct cs_kv sel_and_pool[] = {
        {"pool", "general"}, {"kubernetes.io/hostname", "general-2"}};

    (void)state;
    pool.name = "general";
    pool.labels = labels;
    pool.nlabels = N(labels);
    assert_true(cs_labels_match(sel, N(sel), &pool, "general-2"));
    assert_false(cs_labels_match(sel, N(sel), &pool, "general-1"));
    assert_false(cs_labels_match(sel, N(sel), &pool, "general-20"));
    assert_false(cs_labels_match(sel, N(sel), &pool, NULL));
    assert_true(
        cs_labels_match(sel_and_pool, N(sel_and_pool), &pool, "general-2"));
    assert_false(
        cs_labels_match(sel_and_pool, N(sel_and_pool), &pool, "general-0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_effect_parse),
        cmocka_unit_test(test_no_taints),
        cmocka_unit_test(test_untolerated_taints_filter),
        cmocka_unit_test(test_prefer_no_schedule_never_filters),
        cmocka_unit_test(test_equal_and_exists),
        cmocka_unit_test(test_empty_key_exists_tolerates_all),
        cmocka_unit_test(test_effect_matching),
        cmocka_unit_test(test_all_taints_need_tolerations),
        cmocka_unit_test(test_labels_match_pool),
        cmocka_unit_test(test_labels_match_hostname),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
