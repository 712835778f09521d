/*
 * test_conformance.c - the conformance runner (src/io/conformance*.c): a
 * wrong expectation is reported as FAIL, malformed input is an error that
 * points at the file and line, and the exact line format; ca_timing rows
 * (whole simulations) report event times and leave no temporary files.
 */
#include "conformance_fixture.h"

#include <dirent.h>

#define CALC_HEADER                                                            \
    "case_name,metric_type,current_replicas,pod_requests,pod_usage,"           \
    "pod_ready,pod_phase,pod_start_age_s,target_value,tolerance,"              \
    "expected_replicas,expected_utilization,expected_raw_value,notes\n"

static void test_pass_and_fail_lines(void **state)
{
    struct run r;

    (void)state;
    run_text(CALC_HEADER
             "up,resource_utilization,3,2000;2000;2000,600;1000;1400,,,,30,"
             "0.1,5,50,1000,n\n"
             "wrong,resource_utilization,3,2000;2000;2000,600;1000;1400,,,,"
             "30,0.1,6,50,,n\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.passed, 1);
    assert_int_equal(r.tot.failed, 1);
    assert_string_equal(r.out,
                        "PASS up: expected replicas 5, utilization 50, raw "
                        "1000, got replicas 5, utilization 50, raw 1000\n"
                        "FAIL wrong: expected replicas 6, utilization 50, got "
                        "replicas 5, utilization 50\n");
}

static void test_expected_error_row(void **state)
{
    struct run r;

    (void)state;
    run_text(CALC_HEADER "empty,resource_utilization,4,2000;2000,,,,,100,0.1,"
                         ",,,n\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.passed, 1);
    assert_string_equal(r.out, "PASS empty: expected an error, got error "
                               "(unable to get metrics for resource cpu: no "
                               "metrics returned from resource metrics "
                               "API)\n");
}

static void test_malformed_number_points_at_line(void **state)
{
    struct run r;
    char msg[256], want[256];

    (void)state;
    run_text(CALC_HEADER
             "ok,resource_utilization,3,2000;2000;2000,600;1000;1400,,,,30,"
             "0.1,5,50,1000,n\n"
             "\"bad\nname\",resource_utilization,3,1;1,x,,,,30,0.1,5,,,n\n",
             &r);
    assert_int_equal(r.rc, CS_EPARSE);
    assert_int_equal(r.tot.passed, 1);
    cs_err_format(&r.err, msg, sizeof(msg));
    snprintf(want, sizeof(want), "%s:3:1: pod_usage: 'x' is not an integer",
             r.path);
    assert_string_equal(msg, want);
}

static void test_bad_header_and_field_count(void **state)
{
    struct run r;

    (void)state;
    run_text("a,b\n1,2\n", &r);
    assert_int_equal(r.rc, CS_EPARSE);
    assert_int_equal(r.err.line, 1);
    assert_string_equal(
        r.err.msg,
        "unrecognised header: a vector file has one of the key columns "
        "expected_class, metric_type, prenormalized_desired, "
        "expected_desired_replicas, expected_kept, backoff_steps, new_nodes, "
        "expected_similar, expected_node_utilization, expected_reason, "
        "expected_nodes, expected_event_times_s, hist_ops, estimator_ops, "
        "expected_hist_log, expected_resource_diff, expected_updated, "
        "expected_evictions, expected_limit");
    run_text(CALC_HEADER "x,resource_utilization,3\n", &r);
    assert_int_equal(r.rc, CS_EPARSE);
    assert_int_equal(r.err.line, 2);
    assert_string_equal(r.err.msg, "expected 14 fields, got 3");
}

static void test_controller_alternatives(void **state)
{
    struct run r;

    (void)state;
    run_text("case_name,metrics,min_replicas,max_replicas,spec_replicas,"
             "status_replicas,pod_requests,pod_usage,pod_ready,pod_phase,"
             "pod_start_age_s,behavior,recommendations_history,"
             "derived_prenormalized,expected_desired_replicas,"
             "expected_conditions,notes\n"
             "F,each of Pods/External failing,1,100,3,3,100;100;100,"
             "100;200;300,,,,,seeded:current,,3,"
             "ScalingActive=False:<FailedGetPodsMetric|FailedGetObjectMetric>;"
             "AbleToScale=True:SucceededGetScale,n\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.passed, 1); /* Pods run */
    assert_int_equal(r.tot.failed, 1); /* External run vs Object reason */
    assert_non_null(strstr(r.out, "PASS F [Pods]: "));
    assert_non_null(strstr(r.out, "FAIL F [External]: "));
}

#define TIMING_HEADER                                                          \
    "case_name,kind,scan_interval_s,unneeded_time_s,provision_time_s,"         \
    "empty_at_s,scale_up_at_s,pending_s,duration_s,expected_event_times_s,"    \
    "note\n"

/* A right and a wrong expectation of one scale-down run, and a reason
 * that must not occur. */
static void test_timing_pass_and_fail(void **state)
{
    struct run r;

    (void)state;
    run_text(TIMING_HEADER
             "ok,scale_down,,,,0,,,900,ScaleDownEmpty 610; ScaledUpGroup,n\n"
             "late,scale_down,,,,0,60,,900,ScaledUpGroup 70; "
             "ScaleDownEmpty 680; ScaleUpTimedOut none,n\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.passed, 1);
    assert_int_equal(r.tot.failed, 1);
    assert_string_equal(r.out,
                        "PASS ok: expected ScaleDownEmpty 610; ScaledUpGroup "
                        "none, got ScaleDownEmpty 610; ScaledUpGroup none\n"
                        "FAIL late: expected ScaledUpGroup 70; ScaleDownEmpty "
                        "680; ScaleUpTimedOut none, got ScaledUpGroup 70; "
                        "ScaleDownEmpty 670; ScaleUpTimedOut none\n");
}

/* The run's directory goes under $TMPDIR and is removed afterwards. */
static void test_timing_cleans_up(void **state)
{
    char tmp[] = "/tmp/capsim_conf_tmp_XXXXXX";
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    struct run r;
    struct dirent *e;
    DIR *d;
    int n = 0;

    (void)state;
    assert_non_null(mkdtemp(tmp));
    setenv("TMPDIR", tmp, 1);
    run_text(TIMING_HEADER "p,provision_failure,,,300,,,60-,400,"
                           "ScaleUpTimedOut 380,n\n",
             &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.tot.passed, 1);
    d = opendir(tmp);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(n, 0);
    rmdir(tmp);
    setenv("TMPDIR", "/nonexistent-capsim-dir", 1);
    run_text(TIMING_HEADER "p,provision_failure,,,300,,,60-,400,"
                           "ScaleUpTimedOut 380,n\n",
             &r);
    assert_int_equal(r.rc, CS_EIO);
    assert_int_equal(r.err.line, 2);
    assert_string_equal(r.err.msg, "cannot create a temporary directory in "
                                   "/nonexistent-capsim-dir: No such file or "
                                   "directory");
    if (saved != NULL)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
}

/* Every malformed ca_timing row is an error naming its column. */
static void test_timing_errors(void **state)
{
    static const char *const rows[][2] = {
        {"x,scale_up,,,,0,,,900,ScaleDownEmpty 610,n\n",
         "kind: 'scale_up' is not scale_down or provision_failure"},
        {"x,scale_down,,,,0,,60-,900,ScaleDownEmpty 610,n\n",
         "pending_s: not used by kind scale_down"},
        {"x,provision_failure,,,,0,,60-,900,ScaleUpTimedOut 980,n\n",
         "empty_at_s: not used by kind provision_failure"},
        {"x,provision_failure,,,,,,,900,ScaleUpTimedOut 980,n\n",
         "pending_s: a provision_failure row needs a window"},
        {"x,provision_failure,,,,,,60,900,ScaleUpTimedOut 980,n\n",
         "pending_s: '60' is not FROM-TO or FROM-"},
        {"x,provision_failure,,,,,,60-; 90-120,900,ScaleUpTimedOut 980,n\n",
         "pending_s: windows must start after 0, end after they start, and "
         "follow each other"},
        {"x,scale_down,0,,,0,,,900,ScaleDownEmpty 610,n\n",
         "scan_interval_s: must be at least 1, got 0"},
        {"x,scale_down,,,,0,,,,ScaleDownEmpty 610,n\n", "duration_s: missing"},
        {"x,scale_down,,,,0,,,900,ScaleDownEmpty 6l0,n\n",
         "expected_event_times_s: '6l0' is not a number"},
        {"x,scale_down,,,,0,,,40000000,ScaleDownEmpty 610,n\n",
         "generated scenario:1:11: duration must be at most 366 days"},
    };
    char text[512];
    struct run r;

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        snprintf(text, sizeof(text), "%s%s", TIMING_HEADER, rows[i][0]);
        run_text(text, &r);
        assert_int_equal(r.rc, CS_EPARSE);
        assert_int_equal(r.err.line, 2);
        assert_string_equal(r.err.msg, rows[i][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass_and_fail_lines),
        cmocka_unit_test(test_expected_error_row),
        cmocka_unit_test(test_malformed_number_points_at_line),
        cmocka_unit_test(test_bad_header_and_field_count),
        cmocka_unit_test(test_controller_alternatives),
        cmocka_unit_test(test_timing_pass_and_fail),
        cmocka_unit_test(test_timing_cleans_up),
        cmocka_unit_test(test_timing_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
