/*
 * test_trace.c - recorded load traces (io/trace.h): each interpolation at
 * and between rows with its left limits and knots, the window, offset,
 * time_scale, scale and loop, arrivals buckets, gaps, CRLF, every error
 * message, a file changed under a run, a 200k-row file streamed to its end,
 * and the shipped traces against the numbers in traces/README.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_interp.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/trace.h"

#define NEVER CS_TIME_NEVER

/* ---- helpers ----------------------------------------------------------- */

/* A spec reading text (named t.csv in messages). */
static void spec_str(struct cs_trace_spec *s, const char *text)
{
    cs_trace_spec_init(s);
    s->path = "t.csv";
    s->buf = text;
    s->buflen = strlen(text);
}

static void check_ok(struct cs_trace_spec *s)
{
    struct cs_err err;
    char msg[1024];
    int rc = cs_trace_check(s, &err);

    if (rc != 0) {
        cs_err_format(&err, msg, sizeof(msg));
        fail_msg("unexpected error: %s", msg);
    }
}

static void *open_ok(const struct cs_trace_spec *s)
{
    struct cs_err err;
    void *c = NULL;

    assert_int_equal(cs_trace_source.open(s, &c, &err), 0);
    assert_non_null(c);
    return c;
}

static double V(void *c, cs_time_ms t)
{
    return cs_trace_source.value(c, t, 0);
}

static double L(void *c, cs_time_ms t)
{
    return cs_trace_source.value(c, t, 1);
}

static cs_time_ms N(void *c, cs_time_ms t)
{
    return cs_trace_source.next(c, t);
}

#define assert_near(a, b)                                                      \
    assert_true(fabs((double)(a) - (double)(b)) <=                             \
                1e-9 * fmax(1.0, fabs((double)(b))))

/* Walk the knots from t, as the simulator does, and compare them. */
static void expect_knots(void *c, cs_time_ms t, const cs_time_ms *k, int n)
{
    for (int i = 0; i < n; i++) {
        t = N(c, t);
        assert_int_equal(t, k[i]);
    }
}

/* The error cs_trace_check gives, formatted. */
static int check_err(struct cs_trace_spec *s, char *msg, size_t n)
{
    struct cs_err err;
    int rc = cs_trace_check(s, &err);

    assert_true(rc < 0);
    assert_int_equal(s->rows, -1);
    cs_err_format(&err, msg, n);
    return rc;
}

static void expect_error(const char *text, int code, const char *want)
{
    struct cs_trace_spec s;
    char msg[1024];

    spec_str(&s, text);
    assert_int_equal(check_err(&s, msg, sizeof(msg)), code);
    assert_string_equal(msg, want);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void temp_path(char *path, size_t n)
{
    int fd;

    snprintf(path, n, "/tmp/capsim-trace-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

static const char *ABC = "time_s,rps\n0,10\n60,20\n120,5\n";

/* ---- interpolations ---------------------------------------------------- */

static void test_defaults(void **state)
{
    struct cs_trace_spec s;

    (void)state;
    cs_trace_spec_init(&s);
    assert_null(s.path);
    assert_null(s.time_column);
    assert_true(isnan(s.window_start_s) && isnan(s.window_end_s));
    assert_true(s.time_scale == 1.0 && s.scale == 1.0 && s.bucket_s == 1.0);
    assert_int_equal(s.offset, 0);
    assert_int_equal(s.interp, CS_TRACE_LINEAR);
    assert_int_equal(s.loop, 0);
    assert_int_equal(s.arrivals, 0);
    assert_int_equal(s.rows, -1);
}

static void test_step(void **state)
{
    static const cs_time_ms k[] = {60000, 120000, 180000, NEVER};
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, ABC);
    s.interp = CS_TRACE_STEP;
    check_ok(&s);
    assert_int_equal(s.rows, 3);
    assert_true(s.first_s == 0 && s.last_s == 120 && s.data_end_s == 180);
    assert_true(s.win_start_s == 0 && s.win_end_s == 180);
    assert_true(s.min_value == 5 && s.max_value == 20);
    assert_near(s.mean_value, (10 + 20 + 5) / 3.0);
    c = open_ok(&s);
    assert_true(L(c, 0) == 10 && V(c, 0) == 10);
    assert_true(V(c, 30000) == 10);
    assert_true(L(c, 60000) == 10 && V(c, 60000) == 20);
    assert_true(V(c, 119999) == 20);
    assert_true(L(c, 120000) == 20 && V(c, 120000) == 5);
    assert_true(L(c, 180000) == 5 && V(c, 180000) == 5);
    assert_true(V(c, 86400000) == 5); /* the last value holds */
    cs_trace_source.close(c);

    /* the left limit asked after the value at the same knot */
    c = open_ok(&s);
    assert_true(V(c, 60000) == 20 && L(c, 60000) == 10);
    assert_true(V(c, 120000) == 5 && L(c, 120000) == 20);
    cs_trace_source.close(c);

    c = open_ok(&s);
    expect_knots(c, 0, k, 4);
    assert_int_equal(N(c, 200000), NEVER); /* past the end: constant */
    cs_trace_source.close(c);
}

static void test_linear(void **state)
{
    static const cs_time_ms k[] = {60000, 120000, 180000, NEVER};
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, ABC);
    check_ok(&s);
    c = open_ok(&s);
    assert_true(V(c, 0) == 10);
    assert_near(V(c, 15000), 12.5);
    assert_near(V(c, 30000), 15);
    assert_true(L(c, 60000) == 20 && V(c, 60000) == 20);
    assert_near(V(c, 90000), 12.5);
    assert_true(L(c, 120000) == 5 && V(c, 120000) == 5);
    assert_true(V(c, 150000) == 5); /* after the last row: holds */
    assert_true(V(c, 999999) == 5);
    cs_trace_source.close(c);
    c = open_ok(&s);
    expect_knots(c, 0, k, 4);
    cs_trace_source.close(c);
}

/* Rows 60 s apart except a gap of 540 s: interpolation spans the gap, and
 * the data ends one last interval (540 s) after the last row. */
static void test_gap(void **state)
{
    static const cs_time_ms k[] = {60000, 600000, 1140000, NEVER};
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, "t,v\n0,0\n60,60\n600,600\n");
    check_ok(&s);
    assert_true(s.data_end_s == 1140);
    assert_near(s.mean_value, (0 * 60 + 60 * 540 + 600 * 540) / 1140.0);
    c = open_ok(&s);
    assert_near(V(c, 30000), 30);
    assert_near(V(c, 330000), 330);
    assert_near(V(c, 599999), 599.999);
    assert_true(V(c, 900000) == 600);
    cs_trace_source.close(c);
    c = open_ok(&s);
    expect_knots(c, 0, k, 4);
    cs_trace_source.close(c);
}

/* The spline over a sliding window of four rows equals GSL's Steffen
 * spline over the whole file, first and last intervals included. */
static void test_spline(void **state)
{
    static const double xs[] = {0, 60, 120, 150, 400, 460, 520, 580};
    static const double ys[] = {10, 40, 35, 80, 0, 0, 20, 5};
    static const cs_time_ms k[] = {15000, 30000,  45000,  60000, 75000,
                                   90000, 105000, 120000, 127500};
    enum { NP = sizeof(xs) / sizeof(xs[0]) };
    char text[512];
    size_t n = 0;
    struct cs_trace_spec s;
    gsl_interp *whole = gsl_interp_alloc(gsl_interp_steffen, NP);
    void *c;
    cs_time_ms t;
    int knots = 0;

    (void)state;
    n += (size_t)snprintf(text, sizeof(text), "time_s,rps\n");
    for (int i = 0; i < NP; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%g,%g\n", xs[i],
                              ys[i]);
    spec_str(&s, text);
    s.interp = CS_TRACE_SPLINE;
    check_ok(&s);
    assert_non_null(whole);
    assert_int_equal(gsl_interp_init(whole, xs, ys, NP), 0);
    c = open_ok(&s);
    for (t = 0; t <= 580000; t += 250) {
        double e = gsl_interp_eval(whole, xs, ys, t / 1000.0, NULL);
        double v = V(c, t);

        assert_near(v, e);
        assert_true(v >= 0); /* no overshoot below the zeros */
    }
    assert_true(V(c, 600000) == 5 && V(c, 640000) == 5);
    cs_trace_source.close(c);

    /* knots: every row plus three subdivisions of each interval */
    c = open_ok(&s);
    for (t = 0; t != NEVER; t = N(c, t)) {
        assert_near(L(c, t), V(c, t)); /* continuous */
        if (knots > 0 && knots <= 9)
            assert_int_equal(t, k[knots - 1]);
        knots++;
    }
    assert_int_equal(knots, 1 + 4 * (NP - 1) + 1); /* 0, ..., 580 s, 640 s */
    cs_trace_source.close(c);
    gsl_interp_free(whole);
}

/* ---- window, offset, time_scale, scale, loop --------------------------- */

/* Rows every 60 s with value t / 6: 0, 10, 20, ... 100 at 600 s. */
static const char *RAMP = "time_s,rps\n0,0\n60,10\n120,20\n180,30\n240,40\n"
                          "300,50\n360,60\n420,70\n480,80\n540,90\n600,100\n";

static void test_window(void **state)
{
    static const cs_time_ms k[] = {5000, 6000, 7000, 8000, NEVER};
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, RAMP);
    s.window_start_s = 120;
    s.window_end_s = 300;
    s.time_scale = 60; /* a row a second */
    s.offset = 5000;
    s.scale = 2;
    check_ok(&s);
    assert_int_equal(s.rows, 11);
    assert_true(s.win_start_s == 120 && s.win_end_s == 300);
    assert_true(s.min_value == 20 && s.max_value == 40);
    assert_near(s.mean_value, 30);
    c = open_ok(&s);
    assert_true(V(c, 0) == 40 && V(c, 4999) == 40); /* before offset */
    assert_true(L(c, 5000) == 40 && V(c, 5000) == 40);
    assert_near(V(c, 5500), 50);
    assert_true(V(c, 6000) == 60 && V(c, 7000) == 80);
    assert_near(V(c, 7999), 99.98);
    assert_true(L(c, 8000) == 100 && V(c, 8000) == 100); /* f(300) x 2 */
    assert_true(V(c, 50000) == 100);
    cs_trace_source.close(c);
    c = open_ok(&s);
    assert_int_equal(N(c, 0), 5000);
    expect_knots(c, 0, k, 5);
    cs_trace_source.close(c);

    /* a window starting between rows: the first value interpolates */
    spec_str(&s, RAMP);
    s.window_start_s = 90;
    check_ok(&s);
    assert_true(s.win_end_s == 660 && s.min_value == 10);
    c = open_ok(&s);
    assert_near(V(c, 0), 15);
    assert_int_equal(N(c, 0), 30000);
    assert_true(V(c, 30000) == 20);
    cs_trace_source.close(c);

    /* STEP at a window end between rows holds the row in force */
    spec_str(&s, RAMP);
    s.interp = CS_TRACE_STEP;
    s.window_end_s = 150;
    check_ok(&s);
    c = open_ok(&s);
    assert_true(V(c, 149999) == 20 && L(c, 150000) == 20);
    assert_true(V(c, 150000) == 20 && V(c, 10000000) == 20);
    assert_int_equal(N(c, 150000), NEVER);
    cs_trace_source.close(c);
}

/* time_scale 7: rows 1 s apart are 142.857 ms apart, rounded once each. */
static void test_rounding(void **state)
{
    static const cs_time_ms k[] = {143, 286, 429, 571, 714, 857, 1000, NEVER};
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, "t,v\n0,0\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n");
    s.interp = CS_TRACE_STEP;
    s.time_scale = 7;
    check_ok(&s);
    c = open_ok(&s);
    assert_true(V(c, 142) == 0);
    assert_true(L(c, 143) == 0 && V(c, 143) == 1);
    assert_true(L(c, 571) == 3 && V(c, 571) == 4);
    cs_trace_source.close(c);
    c = open_ok(&s);
    expect_knots(c, 0, k, 8);
    cs_trace_source.close(c);

    /* rows closer than a millisecond share a knot; next() still moves */
    spec_str(&s, "t,v\n0,1\n0.0001,2\n0.0002,3\n1,4\n2,5\n");
    s.interp = CS_TRACE_STEP;
    check_ok(&s);
    c = open_ok(&s);
    assert_true(V(c, 0) == 3); /* the last row on millisecond 0 */
    assert_int_equal(N(c, 0), 1000);
    assert_true(L(c, 1000) == 3 && V(c, 1000) == 4);
    assert_int_equal(N(c, 1000), 2000);
    cs_trace_source.close(c);
}

static void test_loop(void **state)
{
    static const cs_time_ms k[] = {10000, 20000, 30000, 40000, 50000, 60000};
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, "t,v\n0,1\n10,2\n20,3\n");
    s.interp = CS_TRACE_STEP;
    s.loop = 1;
    check_ok(&s);
    assert_true(s.win_end_s == 30);
    c = open_ok(&s);
    assert_true(V(c, 0) == 1 && V(c, 10000) == 2 && V(c, 20000) == 3);
    assert_true(L(c, 30000) == 3 && V(c, 30000) == 1); /* the seam */
    assert_true(V(c, 40000) == 2);
    assert_true(L(c, 60000) == 3 && V(c, 60000) == 1);
    assert_true(V(c, 3 * 30000 + 15000) == 2); /* skipping a cycle */
    assert_true(V(c, 1000 * 30000 + 25000) == 3);
    cs_trace_source.close(c);
    c = open_ok(&s);
    expect_knots(c, 0, k, 6);
    assert_int_equal(N(c, 25000), 30000);
    cs_trace_source.close(c);

    /* LINEAR, an inner window, offset: the seam jumps from f(we) to f(ws) */
    spec_str(&s, RAMP);
    s.loop = 1;
    s.window_start_s = 60;
    s.window_end_s = 150;
    s.offset = 1000;
    check_ok(&s);
    c = open_ok(&s);
    assert_true(V(c, 0) == 10);
    assert_true(V(c, 1000) == 10);
    assert_near(V(c, 61000), 20);
    assert_near(V(c, 90999), 24.99983333);
    assert_near(L(c, 91000), 25);
    assert_true(V(c, 91000) == 10);
    assert_near(V(c, 121000), 15);
    assert_int_equal(N(c, 121000), 151000);
    assert_int_equal(N(c, 151000), 181000); /* seam at 90 s x 2 + 1 s */
    assert_int_equal(N(c, 181000), 241000); /* the row at 120 s again */
    assert_near(L(c, 181000), 25);
    assert_true(V(c, 181000) == 10);
    cs_trace_source.close(c);
}

/* A loop over a real file reopens it at every seam. */
static void test_loop_file(void **state)
{
    char path[64];
    struct cs_trace_spec s;
    struct cs_err err;
    void *c;

    (void)state;
    temp_path(path, sizeof(path));
    write_file(path, "time_s,rps\n0,5\n1,7\n2,9\n3,11\n");
    cs_trace_spec_init(&s);
    s.path = path;
    s.loop = 1;
    s.interp = CS_TRACE_SPLINE;
    s.window_start_s = 1;
    s.window_end_s = 3;
    check_ok(&s);
    c = open_ok(&s);
    for (int cycle = 0; cycle < 50; cycle++) {
        cs_time_ms t0 = cycle * 2000;

        assert_true(V(c, t0) == 7);
        assert_near(V(c, t0 + 500), 8);
        assert_near(V(c, t0 + 1000), 9);
        assert_near(L(c, t0 + 2000), 11);
    }
    assert_int_equal(cs_trace_source.status(c, &err), 0);
    cs_trace_source.close(c);
    unlink(path);
}

static void test_arrivals(void **state)
{
    static const cs_time_ms k[] = {1000, 2000, 4000, 5000, NEVER};
    const char *text = "time_s,tokens\n0.1,5\n0.5,5\n0.7,5\n1.2,5\n"
                       "4.5,5\n4.6,5\n4.6,5\n";
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, text);
    s.arrivals = 1;
    s.interp = CS_TRACE_STEP;
    check_ok(&s);
    /* buckets [0.1, 1.1) 3, [1.1, 2.1) 1, two empty, [4.1, 5.1) 3 */
    assert_int_equal(s.rows, 7);
    assert_near(s.data_end_s, 5.1);
    assert_true(s.min_value == 0 && s.max_value == 3);
    assert_near(s.mean_value, 7 / 5.0);
    c = open_ok(&s);
    assert_true(V(c, 0) == 3 && L(c, 1000) == 3 && V(c, 1000) == 1);
    assert_true(V(c, 2000) == 0 && V(c, 3999) == 0 && V(c, 4000) == 3);
    assert_true(V(c, 9999) == 3);
    cs_trace_source.close(c);
    c = open_ok(&s);
    expect_knots(c, 0, k, 5);
    cs_trace_source.close(c);

    /* wider buckets from an earlier window start; a clipped last bucket */
    spec_str(&s, text);
    s.arrivals = 1;
    s.interp = CS_TRACE_STEP;
    s.bucket_s = 2;
    s.window_start_s = 0.1;
    s.window_end_s = 5.1;
    check_ok(&s);
    assert_near(s.data_end_s, 6.1);
    assert_true(s.max_value == 3 && s.min_value == 0);
    assert_near(s.mean_value, 7 / 5.0);
    c = open_ok(&s);
    assert_true(V(c, 0) == 2);    /* 4 in [0.1, 2.1) */
    assert_true(V(c, 2000) == 0); /* none in [2.1, 4.1) */
    assert_near(V(c, 4000), 3);   /* 3 in [4.1, 5.1), one second wide */
    assert_int_equal(N(c, 4000), 5000);
    assert_int_equal(N(c, 5000), NEVER);
    cs_trace_source.close(c);
}

/* The time column named, the value column then the first other one; a
 * spreadsheet's byte order mark; CRLF line ends; a quoted cell. */
static void test_columns_crlf(void **state)
{
    char path[64];
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, "\xEF\xBB\xBFrps,when\n4,10\n6,20\n");
    s.time_column = "when";
    check_ok(&s);
    assert_true(s.first_s == 10 && s.max_value == 6);
    spec_str(&s, "\xEF\xBB\xBFrps,when\n4,10\n6,20\n");
    s.time_column = "rps";
    s.value_column = "when";
    check_ok(&s);
    assert_true(s.first_s == 4 && s.max_value == 20);

    temp_path(path, sizeof(path));
    write_file(path, "time_s,rps\r\n0,1.5\r\n60,\"2.5\"\r\n\r\n120,3.5\r\n");
    cs_trace_spec_init(&s);
    s.path = path;
    s.interp = CS_TRACE_STEP;
    check_ok(&s);
    assert_int_equal(s.rows, 3);
    assert_true(s.min_value == 1.5 && s.max_value == 3.5);
    c = open_ok(&s);
    assert_true(V(c, 0) == 1.5 && V(c, 60000) == 2.5);
    assert_true(V(c, 120000) == 3.5);
    cs_trace_source.close(c);
    unlink(path);
}

/* ISO-8601 time cells: seconds since the epoch (UTC unless an offset is
 * given); replay starts at the first row as with numbers. */
static void test_iso_times(void **state)
{
    struct cs_trace_spec s;
    void *c;

    (void)state;
    spec_str(&s, "time,rps\n2024-05-12T00:00:00Z,10\n"
                 "2024-05-12T02:00:10+02:00,20\n2024-05-12T00:00:20Z,30\n");
    s.interp = CS_TRACE_STEP;
    check_ok(&s);
    assert_int_equal(s.rows, 3);
    assert_true(s.first_s == 1715472000.0);
    c = open_ok(&s);
    assert_int_equal(N(c, 0), 10000);
    assert_true(V(c, 0) == 10 && V(c, 10000) == 20 && V(c, 20000) == 30);
    cs_trace_source.close(c);
}

/* ---- errors ------------------------------------------------------------ */

static void test_errors_cells(void **state)
{
    (void)state;
    expect_error("t,v\n0,1\n60,1\n12:00,1\n", CS_EPARSE,
                 "t.csv:4:1: time \"12:00\" is not a number of seconds or "
                 "an ISO-8601 time");
    expect_error("t,v\n2024-05-12T00:00:00Z,1\n2024-05-12T00:00:60Z,1\n",
                 CS_EPARSE,
                 "t.csv:3:1: time \"2024-05-12T00:00:60Z\" is not a number "
                 "of seconds or an ISO-8601 time");
    expect_error("t,v\n0,1\n60,1\n120,n/a\n", CS_EPARSE,
                 "t.csv:4:5: value \"n/a\" is not a number");
    expect_error("t,v\n0,1\n120,-3\n", CS_EPARSE,
                 "t.csv:3:5: value -3 is negative");
    expect_error("t,v\n0,1\n60,1e999\n", CS_EPARSE,
                 "t.csv:3:4: value \"1e999\" is out of range");
    expect_error("t,v\n0,1\n1e999,1\n", CS_EPARSE,
                 "t.csv:3:1: time \"1e999\" is out of range");
    expect_error("t,v\n0,1\n60,\n", CS_EPARSE,
                 "t.csv:3:4: value \"\" is not a number");
    expect_error("t,v\n0,1\n180,1\n120,1\n", CS_EPARSE,
                 "t.csv:4:1: time 120 is not after the previous row's 180 "
                 "(rows must be sorted by time)");
    expect_error("t,v\n0,1\n60,1\n60,2\n", CS_EPARSE,
                 "t.csv:4:1: time 60 is not after the previous row's 60 "
                 "(rows must be sorted by time)");
    expect_error("t,v\n0,1\n60,1\n120,1\n180\n", CS_EPARSE,
                 "t.csv:5:1: row has 1 field but the header has 2");
    expect_error("t,v\n0,1,2\n", CS_EPARSE,
                 "t.csv:2:1: row has 3 fields but the header has 2");
    expect_error("t,v\n0,1\n1,0123456789012345678901234567890123456789xyz\n",
                 CS_EPARSE,
                 "t.csv:3:3: value "
                 "\"0123456789012345678901234567890123456789...\" is not a "
                 "number");
    expect_error("t,v\n0,1\n1,\"2\n", CS_EPARSE,
                 "t.csv:3:1: malformed CSV: a quoted field in this row is "
                 "never closed");
}

static void test_errors_file(void **state)
{
    struct cs_trace_spec s;
    char msg[1024];

    (void)state;
    expect_error("time_s,rps\n", CS_EPARSE, "t.csv: no data rows");
    expect_error("", CS_EPARSE, "t.csv: the file is empty (no header)");
    expect_error("time_s,rps\n0,4\n", CS_EPARSE,
                 "t.csv: only one data row; a trace needs two (the last "
                 "interval sets where the data ends)");
    expect_error("0,1\n60,2\n", CS_EPARSE,
                 "t.csv:1:1: the first row must be a header naming the "
                 "columns, but its cell \"0\" is a number");
    expect_error("time_s\n0\n60\n", CS_EPARSE,
                 "t.csv:1:1: the header has 1 column, but a trace needs a "
                 "time and a value column (or arrivals mode)");
    spec_str(&s, "time_s,rps2\n0,1\n");
    s.value_column = "rps";
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EPARSE);
    assert_string_equal(msg, "t.csv:1:1: no column \"rps\" in the header "
                             "(columns: time_s, rps2)");
    spec_str(&s, "v,t\n1,0\n2,60\n3,12:00\n");
    s.time_column = "t";
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EPARSE);
    assert_string_equal(msg, "t.csv:4:3: time \"12:00\" is not a number of "
                             "seconds or an ISO-8601 time");
    /* quoted cells before the bad one: columns count their raw bytes */
    spec_str(&s, "name,t,v\n\"a,\"\"b\",0,1\n\"x,y\",60,n/a\n");
    s.time_column = "t";
    s.value_column = "v";
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EPARSE);
    assert_string_equal(msg, "t.csv:3:10: value \"n/a\" is not a number");
    spec_str(&s, "\n\ntime_s,rps2\n0,1\n");
    s.time_column = "time";
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EPARSE);
    assert_string_equal(msg, "t.csv:3:1: no column \"time\" in the header "
                             "(columns: time_s, rps2)");

    cs_trace_spec_init(&s);
    s.path = "/nonexistent/capsim/trace.csv";
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EIO);
    assert_string_equal(msg, "/nonexistent/capsim/trace.csv: cannot open: "
                             "No such file or directory");
    cs_trace_spec_init(&s);
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EINVAL);
    assert_string_equal(msg, "no trace file given");

    /* arrivals: equal times are fine, going back is not */
    spec_str(&s, "t\n1\n1\n0.5\n");
    s.arrivals = 1;
    s.interp = CS_TRACE_STEP;
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EPARSE);
    assert_string_equal(msg, "t.csv:4:1: time 0.5 is before the previous "
                             "row's 1 (rows must be sorted by time)");
}

/* Check the RAMP trace (data [0, 660) s) with one parameter changed. */
static void expect_param_error(void (*set)(struct cs_trace_spec *),
                               const char *want)
{
    struct cs_trace_spec s;
    char msg[1024];

    spec_str(&s, RAMP);
    set(&s);
    assert_int_equal(check_err(&s, msg, sizeof(msg)), CS_EINVAL);
    assert_string_equal(msg, want);
}

static void set_empty(struct cs_trace_spec *s)
{
    s->window_start_s = 300;
    s->window_end_s = 200;
}
static void set_before(struct cs_trace_spec *s)
{
    s->window_start_s = -10;
}
static void set_after(struct cs_trace_spec *s)
{
    s->window_start_s = 60;
    s->window_end_s = 700;
}
static void set_start_past(struct cs_trace_spec *s)
{
    s->window_start_s = 660;
}
static void set_short(struct cs_trace_spec *s)
{
    s->window_start_s = 0;
    s->window_end_s = 1;
    s->time_scale = 2000;
}
static void set_ts(struct cs_trace_spec *s)
{
    s->time_scale = 0;
}
static void set_scale(struct cs_trace_spec *s)
{
    s->scale = -1;
}
static void set_offset(struct cs_trace_spec *s)
{
    s->offset = -5;
}
static void set_inf(struct cs_trace_spec *s)
{
    s->window_end_s = INFINITY;
}
static void set_interp(struct cs_trace_spec *s)
{
    s->interp = (enum cs_trace_interp)7;
}
static void set_bucket(struct cs_trace_spec *s)
{
    s->arrivals = 1;
    s->interp = CS_TRACE_STEP;
    s->bucket_s = 0;
}
static void set_tiny_bucket(struct cs_trace_spec *s)
{
    set_bucket(s);
    s->bucket_s = 1e-13;
    s->window_start_s = 0;
    s->window_end_s = 600;
}
static void set_arr_linear(struct cs_trace_spec *s)
{
    s->arrivals = 1;
}
static void set_arr_value(struct cs_trace_spec *s)
{
    s->arrivals = 1;
    s->interp = CS_TRACE_STEP;
    s->value_column = "rps";
}

static void test_errors_params(void **state)
{
    (void)state;
    expect_param_error(set_empty, "t.csv: window [300, 200) s is empty; the "
                                  "data spans [0, 660) s");
    expect_param_error(set_before, "t.csv: window [-10, 660) s starts before "
                                   "the data [0, 660) s");
    expect_param_error(set_after, "t.csv: window [60, 700) s ends after the "
                                  "data [0, 660) s");
    expect_param_error(set_start_past, "t.csv: window [660, 660) s is empty; "
                                       "the data spans [0, 660) s");
    expect_param_error(set_short,
                       "t.csv: window [0, 1) s at time_scale 2000 lasts less "
                       "than 1 ms of simulated time");
    expect_param_error(set_ts, "t.csv: time_scale 0 must be a positive number");
    expect_param_error(set_scale, "t.csv: scale -1 must be a number >= 0");
    expect_param_error(set_offset, "t.csv: offset -5 ms must be >= 0");
    expect_param_error(set_inf,
                       "t.csv: the window's start and end must be finite");
    expect_param_error(set_interp, "t.csv: unknown interpolation 7");
    expect_param_error(set_bucket, "t.csv: bucket_s 0 must be a positive "
                                   "number");
    expect_param_error(set_tiny_bucket,
                       "t.csv: bucket_s 1e-13 is too small for the window "
                       "[0, 600) s (more than 1e15 buckets, or under 1e-9 of "
                       "its times)");
    expect_param_error(set_arr_linear,
                       "t.csv: arrivals mode needs step interpolation (the "
                       "rate is a count per bucket)");
    expect_param_error(set_arr_value,
                       "t.csv: value column \"rps\" given, but in arrivals "
                       "mode each row is one request (no value is read)");
}

/* Opening an unchecked spec; a file that changes under a run. */
static void test_errors_open(void **state)
{
    char path[64], msg[1024];
    struct cs_trace_spec s;
    struct cs_err err;
    void *c = NULL;

    (void)state;
    spec_str(&s, ABC);
    assert_int_equal(cs_trace_source.open(&s, &c, &err), CS_EINVAL);
    cs_err_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "t.csv: the trace was not checked "
                             "(cs_trace_check) before it was opened");
    cs_trace_source.close(NULL);

    temp_path(path, sizeof(path));
    write_file(path, "time_s,rps\n0,1\n1,2\n2,3\n3,4\n4,5\n5,6\n");
    cs_trace_spec_init(&s);
    s.path = path;
    s.interp = CS_TRACE_STEP;
    check_ok(&s);
    write_file(path, "time_s,rps\n0,1\n1,2\n2,3\n3,oops\n4,5\n5,6\n");
    c = open_ok(&s);
    assert_true(V(c, 0) == 1);
    assert_int_equal(cs_trace_source.status(c, &err), 0);
    assert_int_equal(N(c, 0), 1000);
    /* reading two rows ahead meets the bad row: the value holds */
    assert_true(V(c, 1000) == 1);
    assert_int_equal(cs_trace_source.status(c, &err), CS_EPARSE);
    cs_err_format(&err, msg, sizeof(msg));
    assert_int_equal(strncmp(msg, path, strlen(path)), 0);
    assert_string_equal(msg + strlen(path),
                        ":5:3: value \"oops\" is not a number");
    assert_true(V(c, 5000) == 1);
    assert_int_equal(N(c, 5000), NEVER);
    cs_trace_source.close(c);

    write_file(path, "time_s,rps\n");
    c = NULL;
    assert_int_equal(cs_trace_source.open(&s, &c, &err), CS_EIO);
    assert_null(c);
    assert_string_equal(err.msg, "no data rows (the file changed after it "
                                 "was checked)");
    write_file(path, "time_s,rps\n0,1\n1,2\n");
    s.time_column = "time_s";
    s.value_column = "rps";
    check_ok(&s);
    write_file(path, "other,rps\n0,1\n1,1\n");
    assert_int_equal(cs_trace_source.open(&s, &c, &err), CS_EPARSE);
    assert_null(c);
    assert_string_equal(err.msg, "no column \"time_s\" in the header "
                                 "(columns: other, rps)");
    unlink(path);
}

/* ---- streaming --------------------------------------------------------- */

/* 200,000 rows (a 2.3 MB file) read to the end through the operations:
 * every knot and value comes back, with the memory of a few rows. */
static void test_stream_200k(void **state)
{
    enum { ROWS = 200000 };
    char path[64];
    struct cs_trace_spec s;
    struct cs_err err;
    FILE *f;
    void *c;
    cs_time_ms t = 0;
    long knots = 0;

    (void)state;
    temp_path(path, sizeof(path));
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("time_s,rps\n", f);
    for (long i = 0; i < ROWS; i++)
        fprintf(f, "%ld,%ld\n", i * 10, (i * 7919) % 1000);
    assert_int_equal(fclose(f), 0);
    cs_trace_spec_init(&s);
    s.path = path;
    s.interp = CS_TRACE_STEP;
    check_ok(&s);
    assert_int_equal(s.rows, ROWS);
    assert_true(s.min_value == 0 && s.max_value == 999);
    c = open_ok(&s);
    while (t != NEVER) {
        long i = (long)(t / 10000);

        if (i < ROWS)
            assert_true(V(c, t) == (double)((i * 7919) % 1000));
        t = N(c, t);
        knots++;
    }
    assert_int_equal(knots, ROWS + 1); /* rows 1.., the end, NEVER */
    assert_true(V(c, (cs_time_ms)ROWS * 10000) == (199999L * 7919) % 1000);
    assert_int_equal(cs_trace_source.status(c, &err), 0);
    cs_trace_source.close(c);
    unlink(path);
}

/* ---- the shipped traces ------------------------------------------------ */

struct shipped {
    const char *file;
    int arrivals;
    long long rows;
    double first, last, end, min, max;
};

/* The numbers in traces/README.md. */
static const struct shipped SHIPPED[] = {
    {"worldcup98_per_minute.csv", 0, 125310, 0, 7518540, 7518600, 0,
     3823.766667},
    {"nasa_http_1995-07_per_minute.csv", 0, 39692, 0, 2381460, 2381520, 0,
     6.75},
    {"azure_functions_2019_sample1000_per_minute.csv", 0, 1440, 0, 86340, 86400,
     68.3, 758.566667},
    {"azure_llm_2024_conv_10s.csv", 0, 60479, 0, 604780, 604790, 12.7, 90.7},
    {"azure_llm_2023_conv_requests.csv", 1, 19366, 0, 3501.721937, 3540,
     37.0 / 60, 507.0 / 60},
};

static void test_shipped(void **state)
{
    const char *dir = getenv("CAPSIM_SOURCE_DIR");
    char path[1024];

    (void)state;
    for (size_t i = 0; i < sizeof(SHIPPED) / sizeof(SHIPPED[0]); i++) {
        const struct shipped *e = &SHIPPED[i];
        struct cs_trace_spec s;

        snprintf(path, sizeof(path), "%s/traces/%s", dir ? dir : ".", e->file);
        cs_trace_spec_init(&s);
        s.path = path;
        s.interp = CS_TRACE_STEP;
        s.arrivals = e->arrivals;
        s.bucket_s = 60;
        check_ok(&s);
        assert_int_equal(s.rows, e->rows);
        assert_true(s.first_s == e->first && s.last_s == e->last);
        assert_near(s.data_end_s, e->end);
        assert_near(s.min_value, e->min);
        assert_near(s.max_value, e->max);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_step),
        cmocka_unit_test(test_linear),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_spline),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_loop),
        cmocka_unit_test(test_loop_file),
        cmocka_unit_test(test_arrivals),
        cmocka_unit_test(test_columns_crlf),
        cmocka_unit_test(test_iso_times),
        cmocka_unit_test(test_errors_cells),
        cmocka_unit_test(test_errors_file),
        cmocka_unit_test(test_errors_params),
        cmocka_unit_test(test_errors_open),
        cmocka_unit_test(test_stream_200k),
        cmocka_unit_test(test_shipped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
