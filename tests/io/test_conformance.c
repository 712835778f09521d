/*
 * test_conformance.c - the conformance runner (src/io/conformance*.c): a
 * wrong expectation is reported as FAIL, malformed input is an error that
 * points at the file and line, and the exact line format.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "io/conformance.h"

#define CALC_HEADER                                                            \
    "case_name,metric_type,current_replicas,pod_requests,pod_usage,"           \
    "pod_ready,pod_phase,pod_start_age_s,target_value,tolerance,"              \
    "expected_replicas,expected_utilization,expected_raw_value,notes\n"

struct run {
    char path[64];
    char out[4096];
    struct cs_conformance_totals tot;
    struct cs_err err;
    int rc;
};

/* Write text to a temporary CSV, run it, capture the report. */
static void run_text(const char *text, struct run *r)
{
    FILE *out = tmpfile();
    int fd;
    size_t n;

    memset(r, 0, sizeof(*r));
    snprintf(r->path, sizeof(r->path), "/tmp/capsim_conf_XXXXXX");
    fd = mkstemp(r->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_non_null(out);
    cs_err_clear(&r->err);
    r->rc = cs_conformance_run_file(r->path, out, &r->tot, &r->err);
    rewind(out);
    n = fread(r->out, 1, sizeof(r->out) - 1, out);
    r->out[n] = '\0';
    fclose(out);
    unlink(r->path);
}

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
    assert_string_equal(r.err.msg,
                        "unrecognised header: not one of the HPA vector "
                        "shapes (group_pods, replica_calc, behavior, "
                        "controller)");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass_and_fail_lines),
        cmocka_unit_test(test_expected_error_row),
        cmocka_unit_test(test_malformed_number_points_at_line),
        cmocka_unit_test(test_bad_header_and_field_count),
        cmocka_unit_test(test_controller_alternatives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
