/*
 * test_conformance_vpa.c - the VPA shapes of the conformance runner
 * (src/io/conformance_vpa*.c): the exact PASS/FAIL lines, a wrong
 * expectation reported as FAIL, and malformed rows reported as errors that
 * point at the file's line with a message pinned here.
 */
#define CONF_FIXTURE_TMP "/tmp/capsim_vpaconf_XXXXXX"
#include "conformance_fixture.h"

#define HIST_HEADER "case_name,options,half_life,hist_ops,expected,tolerance\n"
#define EST_HEADER "case_name,estimator_ops,expected,tolerance\n"
#define OOM_HEADER "case_name,container_ops,expected,expected_hist_log\n"
#define LIM_HEADER                                                             \
    "case_name,resource,limit,request,recommended,default_limit,"              \
    "expected_limit,expected_annotation\n"

/* A malformed file: CS_EPARSE at `line` with message `msg`. */
static void bad(const char *text, int line, const char *msg)
{
    struct run r;

    run_text(text, &r);
    assert_int_equal(r.rc, CS_EPARSE);
    assert_int_equal(r.err.line, line);
    assert_string_equal(r.err.msg, msg);
}

static void test_histogram_lines(void **state)
{
    struct run r;

    (void)state;
    run_text(HIST_HEADER "ok,linear max=10 size=1,,add 1 1; add 2 2; pct 0.5; "
                         "empty,3; no,\n"
                         "wrong,cpu,,bucket 0.5,24,\n"
                         "tol,cpu,,start 2,0.02,0.001\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.passed, 2);
    assert_int_equal(r.tot.failed, 1);
    assert_string_equal(r.out, "PASS ok: expected pct 0.5 3; empty no, got "
                               "pct 0.5 3; empty no\n"
                               "FAIL wrong: expected bucket 0.5 24, got "
                               "bucket 0.5 25\n"
                               "PASS tol: expected start 2 0.02, got start 2 "
                               "0.0205\n");
}

static void test_estimator_and_oom_lines(void **state)
{
    struct run r;

    (void)state;
    run_text(EST_HEADER "e,cpu 0.5 x3; confidence 24h; estimate 2,0.001389; "
                        "12 12 12 131072000 131072000 131072000,1e-6\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.failed, 1); /* the CPU percentiles are not 12 */
    run_text(OOM_HEADER "o,oom 1000Mi 0; mem -1 1h,ok; dropped,mem add 1200Mi "
                        "1 24h\n"
                        "p,oom 1000Mi 0,ok,mem add 1200Mi 1 48h\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_string_equal(
        r.out, "PASS o: expected returns ok; dropped; log mem add 1200Mi 1 "
               "24h, got returns ok; dropped; log mem add 1258291200 1 "
               "24h0m0s\n"
               "FAIL p: expected returns ok; log mem add 1200Mi 1 48h, got "
               "returns ok; log mem add 1258291200 1 24h0m0s\n");
}

static void test_limits_lines(void **state)
{
    struct run r;

    (void)state;
    run_text(LIM_HEADER "a,memory,200,150,100,,133,no\n"
                        "b,cpu,2,1.5,1,,1.334,no\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "PASS a: expected limit 133; annotation no, "
                               "got limit 133; annotation no\n"
                               "FAIL b: expected limit 1.334; annotation no, "
                               "got limit 1333m; annotation no\n");
}

static void test_step_errors(void **state)
{
    (void)state;
    bad(HIST_HEADER "x,cpu,,frobnicate 1,,\n", 2,
        "hist_ops: unknown step 'frobnicate 1'");
    bad(HIST_HEADER "x,banana,,pct 1,0,\n", 2,
        "options: 'banana' is not cpu, memory, linear or exponential");
    bad(HIST_HEADER "x,linear max=0 size=1,,pct 1,0,\n", 2,
        "options: invalid histogram options");
    bad(HIST_HEADER "x,linear max=1 sise=1,,pct 1,0,\n", 2,
        "options: unknown key 'sise'");
    bad(HIST_HEADER "x,cpu,,pct 0.5; pct 1,0,\n", 2,
        "expected: 1 entries, but step 'pct 1' is check 2");
    bad(HIST_HEADER "x,cpu,,pct 0.5,0; 1,\n", 2,
        "expected: 2 entries for 1 checks");
    bad(HIST_HEADER "x,cpu,,add one 1,,\n", 2,
        "hist_ops: 'one' is not a number");
    bad(HIST_HEADER "x,cpu,,add 1 1 soon,,\n", 2,
        "hist_ops: 'soon' is not a [-]duration");
    bad(HIST_HEADER "x,cpu,1h,pct 1,0,-1\n", 2,
        "tolerance: '-1' is not a number >= 0");
    bad(HIST_HEADER "x,cpu,,,,\n", 2, "hist_ops: no steps");
    bad(HIST_HEADER "x,cpu,,add 1,,\n", 2,
        "hist_ops: step 'add' lacks argument 2");
    bad(EST_HEADER "x,cpu 1; confidence,0,\n", 2,
        "estimator_ops: step 'confidence' lacks argument 1");
    bad(EST_HEADER "x,cpu 1; margin,0,\n", 2,
        "estimator_ops: step 'margin' lacks argument 1");
    bad(EST_HEADER "x,cpu 1; plain,,\n", 2,
        "estimator_ops: 'plain' must come first");
    bad(EST_HEADER "x,cpu 1 y3,,\n", 2,
        "estimator_ops: bad sample option 'y3'");
    bad(EST_HEADER "x,\"controlled cpu,gpu\",,\n", 2,
        "estimator_ops: unknown resource 'gpu'");
}

static void test_row_errors(void **state)
{
    (void)state;
    bad(OOM_HEADER "x,oom 1Mi later,ok,none\n", 2,
        "container_ops: 'later' is not a [-]duration");
    bad(OOM_HEADER "x,swap 1 0,ok,none\n", 2,
        "container_ops: unknown step 'swap'");
    bad(OOM_HEADER "x,oom 1Mi 0,ok,mem add 1Mi 24h\n", 2,
        "expected_hist_log: 'mem add 1Mi 24h' is not HIST add|sub VALUE "
        "WEIGHT TIME");
    bad("case_name,containers,expected_resource_diff\nx,cpu=1 foo=2,1\n", 2,
        "containers: unknown key 'foo'");
    bad("case_name,containers,expected_resource_diff\nx,lower_cpu=1,1\n", 2,
        "containers: a bound without its target in 'lower_cpu=1'");
    bad("case_name,pods,expected_updated\nx,P size=1,none\n", 2,
        "pods: unknown key 'size'");
    bad("case_name,pods,expected_updated,expected_less\nx,P diff=1,,yes\n", 2,
        "expected_less: needs two pods");
    bad("case_name,configured,live,running,min_replicas,eviction_tolerance,"
        "expected_evictions\nx,,5,5,2,0.5,1\n",
        2, "configured: a count from 0 to 100000 is required");
    bad(LIM_HEADER "x,gpu,1,1,1,,1,no\n", 2,
        "resource: 'gpu' is not cpu or memory");
    bad(LIM_HEADER "x,cpu,1,1,1,,1,maybe\n", 2,
        "expected_annotation: 'maybe' is not yes or no");
}

/* The unknown-header message names the VPA key columns too. */
static void test_header_lists_vpa_keys(void **state)
{
    struct run r;

    (void)state;
    run_text("a,b\n1,2\n", &r);
    assert_int_equal(r.rc, CS_EPARSE);
    assert_non_null(strstr(r.err.msg, ", hist_ops, estimator_ops, "
                                      "expected_hist_log, "
                                      "expected_resource_diff, "
                                      "expected_updated, expected_evictions, "
                                      "expected_limit"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_histogram_lines),
        cmocka_unit_test(test_estimator_and_oom_lines),
        cmocka_unit_test(test_limits_lines),
        cmocka_unit_test(test_step_errors),
        cmocka_unit_test(test_row_errors),
        cmocka_unit_test(test_header_lists_vpa_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
