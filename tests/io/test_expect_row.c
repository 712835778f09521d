/*
 * test_expect_row.c - assertions evaluated against one row of a table
 * (cs_expect_eval_row), as `--where` does on a sweep's results.csv:
 * verdicts with undefined cells, and located errors for what a row cannot
 * answer.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/expect.h"

static const char *const cols[] = {"run",
                                   "replication",
                                   "target",
                                   "error",
                                   "cost_usd",
                                   "latency_p95_ms",
                                   "latency_p95_ms[web]",
                                   "flaps"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* Parse text as typed on the command line (line 1, column 1). */
static struct cs_expect *parse(const char *text)
{
    struct cs_expect *e = NULL;
    struct cs_err err;

    if (cs_expect_parse(text, "<command line>", 1, 1, &e, &err) != 0)
        fail_msg("%s: %d:%d: %s", text, err.line, err.col, err.msg);
    return e;
}

/* Evaluate text against one row; the result into *r. */
static void eval(const char *text, const char *const *cells,
                 const char *const *names, size_t ncols,
                 struct cs_expect_result *r)
{
    struct cs_expect *e = parse(text);

    assert_int_equal(cs_expect_eval_row(&e, 1, names, cells, ncols, r), 0);
    cs_expect_destroy(e);
}

static const char *const row_ok[] = {"3",   "1",   "60",  "",
                                     "4.5", "900", "250", "0"};

static void test_figures_pass_and_fail(void **state)
{
    struct cs_expect_result r;

    (void)state;
    eval("cost_usd < 5", row_ok, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_PASS);
    assert_string_equal(r.actual, "cost_usd = 4.5");

    eval("latency_p95_ms[web] <= 250 and target >= 60", row_ok, cols, NCOLS,
         &r);
    assert_int_equal(r.outcome, CS_EXPECT_PASS);
    assert_string_equal(r.actual, "latency_p95_ms[web] = 250; target = 60");

    /* the bare name is the (all) column, not the workload's */
    eval("latency_p95_ms < 500", row_ok, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_FAIL);
    assert_string_equal(r.actual, "latency_p95_ms = 900");

    eval("cost_usd * 2 > latency_p95_ms[web] or flaps == 0", row_ok, cols,
         NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_PASS);
}

static void test_undefined_cells(void **state)
{
    static const char *const row[] = {"4", "1",   "fast", "",
                                      "",  "900", NULL,   "0"};
    struct cs_expect_result r;

    (void)state;
    eval("cost_usd < 5", row, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_FAIL);
    assert_string_equal(r.actual, "cost_usd = undefined (empty cell)");

    /* unknown stays unknown under not: the row does not qualify */
    eval("not (cost_usd < 5)", row, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_FAIL);

    eval("target > 50", row, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_FAIL);
    assert_string_equal(r.actual, "target = undefined (not a number)");

    /* a NULL cell reads as "" */
    eval("latency_p95_ms[web] > 0", row, cols, NCOLS, &r);
    assert_string_equal(r.actual,
                        "latency_p95_ms[web] = undefined (empty cell)");

    /* true or unknown is true; false and unknown is false */
    eval("cost_usd < 5 or flaps == 0", row, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_PASS);
    eval("cost_usd < 5 and flaps == 1", row, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_FAIL);
}

/* An ERROR result with the message at line 1, column col. */
static void check_error(const char *text, int col, const char *msg)
{
    struct cs_expect_result r;

    eval(text, row_ok, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_ERROR);
    assert_string_equal(r.err.path, "<command line>");
    assert_int_equal(r.err.line, 1);
    assert_int_equal(r.err.col, col);
    assert_string_equal(r.err.msg, msg);
    assert_string_equal(r.actual, "");
}

#define NOT_FIGURE                                                             \
    "--where takes figures of results.csv, such as cost_usd or "               \
    "latency_p95_ms[web]"

static void test_only_figures(void **state)
{
    (void)state;
    check_error("max(cost_usd) < 3", 1, NOT_FIGURE);
    check_error("cost_usd < 3 and p95(latency_p95_ms) < 1", 18, NOT_FIGURE);
    check_error("count(events) > 0", 1, NOT_FIGURE);
    check_error("cost_usd@8m < 3", 1, NOT_FIGURE);
    check_error("flaps == 0 or at(cost_usd, 8m) < 3", 15, NOT_FIGURE);
}

static void test_unknown_figure(void **state)
{
    static const char *const many[] = {"run", "c1",  "c2",  "c3", "c4",
                                       "c5",  "c6",  "c7",  "c8", "c9",
                                       "c10", "c11", "c12", "c13"};
    static const char *const cells[14] = {"1"};
    struct cs_expect_result r;

    (void)state;
    check_error("flaps == 0 and cost_us < 3", 16,
                "unknown figure 'cost_us' (figures: run, replication, "
                "target, error, cost_usd, latency_p95_ms, "
                "latency_p95_ms[web], flaps)");
    check_error("latency_p95_ms[api] < 300", 1,
                "unknown figure 'latency_p95_ms[api]' (figures: run, "
                "replication, target, error, cost_usd, latency_p95_ms, "
                "latency_p95_ms[web], flaps)");
    /* the first offending reference is the one reported */
    check_error("nope > 1 and max(x) > 2", 1,
                "unknown figure 'nope' (figures: run, replication, target, "
                "error, cost_usd, latency_p95_ms, latency_p95_ms[web], "
                "flaps)");

    /* a long header is cut after twelve names */
    eval("x > 1", cells, many, 14, &r);
    assert_int_equal(r.outcome, CS_EXPECT_ERROR);
    assert_string_equal(r.err.msg,
                        "unknown figure 'x' (figures: run, c1, c2, "
                        "c3, c4, c5, c6, c7, c8, c9, c10, c11, ...)");
}

/* Each assertion gets its own result; an error in one leaves the others. */
static void test_several(void **state)
{
    struct cs_expect *e[3] = {parse("cost_usd < 5"), parse("max(flaps) < 1"),
                              parse("flaps > 0")};
    struct cs_expect_result r[3];

    (void)state;
    assert_int_equal(cs_expect_eval_row(e, 3, cols, row_ok, NCOLS, r), 0);
    assert_int_equal(r[0].outcome, CS_EXPECT_PASS);
    assert_int_equal(r[1].outcome, CS_EXPECT_ERROR);
    assert_string_equal(r[1].err.msg, NOT_FIGURE);
    assert_int_equal(r[2].outcome, CS_EXPECT_FAIL);
    assert_string_equal(r[2].actual, "flaps = 0");
    for (int i = 0; i < 3; i++)
        cs_expect_destroy(e[i]);
}

/* More references than the evaluator keeps on its stack. */
static void test_many_references(void **state)
{
    char text[1024];
    size_t len = 0;
    struct cs_expect_result r;

    (void)state;
    for (int i = 0; i < 20; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "%scost_usd > %d", i ? " and " : "", i % 4);
    eval(text, row_ok, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_PASS);
    text[len - 1] = '5'; /* the last: cost_usd > 5 */
    eval(text, row_ok, cols, NCOLS, &r);
    assert_int_equal(r.outcome, CS_EXPECT_FAIL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_pass_and_fail),
        cmocka_unit_test(test_undefined_cells),
        cmocka_unit_test(test_only_figures),
        cmocka_unit_test(test_unknown_figure),
        cmocka_unit_test(test_several),
        cmocka_unit_test(test_many_references),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
