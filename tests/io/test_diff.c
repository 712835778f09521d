/*
 * test_diff.c - comparing runs: tolerances, undefined cells, rows and
 * columns found in only one run, range coalescing, --column filtering,
 * whole run directories, and malformed input with FILE:LINE:COL. Every
 * message is pinned exactly, as a user reads it.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/diff.h"

/* ---- fixtures: two run directories A and B under a temporary dir ---- */

static char root[64];
static char paths[32][128];
static int npaths;

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "/tmp/capsim-diff-XXXXXX");
    if (mkdtemp(root) == NULL)
        return -1;
    npaths = 0;
    for (int i = 0; i < 2; i++) {
        snprintf(paths[npaths], sizeof(paths[0]), "%s/%c", root, "AB"[i]);
        if (mkdir(paths[npaths++], 0700) != 0)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = npaths - 1; i >= 2; i--)
        unlink(paths[i]);
    rmdir(paths[1]);
    rmdir(paths[0]);
    rmdir(root);
    return 0;
}

/* Write text to root/rel (rel like "A/timeline.csv"). */
static void put(const char *rel, const char *text)
{
    char *p = paths[npaths];
    FILE *f;

    snprintf(p, sizeof(paths[0]), "%s/%s", root, rel);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    for (int i = 2; i < npaths; i++)
        if (strcmp(paths[i], p) == 0)
            return;
    npaths++;
}

static const char *path_of(const char *rel)
{
    static char p[2][128];
    static int k;

    k = !k;
    snprintf(p[k], sizeof(p[k]), "%s/%s", root, rel);
    return p[k];
}

struct lines {
    char text[8192];
    size_t len;
};

static void collect(const struct cs_diff *d, void *ctx)
{
    struct lines *l = ctx;
    int n = cs_diff_format(d, l->text + l->len, sizeof(l->text) - l->len);

    assert_true((size_t)n + 1 < sizeof(l->text) - l->len);
    l->len += (size_t)n;
    l->text[l->len++] = '\n';
    l->text[l->len] = '\0';
}

/* Diff root/a with root/b; checks the return code and returns the lines
 * followed by the closing line. */
static const char *run(const char *a, const char *b,
                       const struct cs_diff_opts *o, int want_rc)
{
    static struct lines l;
    struct cs_diff_totals tot;
    struct cs_err err;
    char pa[128];
    int rc;

    snprintf(pa, sizeof(pa), "%s", path_of(a));
    memset(&l, 0, sizeof(l));
    cs_err_clear(&err);
    rc = cs_diff_paths(pa, path_of(b), o, collect, &l, &tot, &err);
    assert_int_equal(rc, want_rc);
    if (rc < 0) {
        cs_err_format(&err, l.text, sizeof(l.text));
        return l.text;
    }
    cs_diff_format_totals(&tot, o, l.text + l.len, sizeof(l.text) - l.len);
    return l.text;
}

static const struct cs_diff_opts exact = {0};

#define HDR "time_s,workload,rps,replicas,latency_p95_ms\n"

static void both(const char *a, const char *b)
{
    put("A/timeline.csv", a);
    put("B/timeline.csv", b);
}

static const char *tl(const struct cs_diff_opts *o)
{
    return run("A/timeline.csv", "B/timeline.csv", o, 0);
}

/* ---- tests ---------------------------------------------------------- */

static void test_identical(void **state)
{
    (void)state;
    both(HDR "0,web,10,2,50\n0,api,1,1,\n15,web,12,2,51.5\n15,api,1,1,\n",
         HDR "0,web,10,2,50\n0,api,1.0,1,\n15,web,12,2,51.50\n15,api,1,1,\n");
    /* "1.0" and "1" are the same number */
    assert_string_equal(tl(&exact), "no differences (tolerance: exact)");
}

static void test_one_cell_beyond_tolerance(void **state)
{
    struct cs_diff_opts o = {0};

    (void)state;
    both(HDR "0,web,10,2,50\n15,web,12,2,51\n30,web,12,3,52\n",
         HDR "0,web,10,2,50\n15,web,12,2,51\n30,web,12,2,52\n");
    assert_string_equal(tl(&exact),
                        "timeline.csv: replicas, workload web: differs at "
                        "30s (A 3, B 2)\n"
                        "1 difference in 1 column (tolerance: exact)");
    o.rtol = 0.2; /* |3-2| = 1 > 0.2 * 3 */
    assert_string_equal(tl(&o),
                        "timeline.csv: replicas, workload web: differs at "
                        "30s (A 3, B 2)\n"
                        "1 difference in 1 column (tolerance: rtol 0.2)");
}

static void test_within_atol(void **state)
{
    struct cs_diff_coltol t = {"replicas", 1, 0, 1, 0};
    struct cs_diff_opts o = {0};

    (void)state;
    o.tol = &t;
    o.ntol = 1;
    both(HDR "0,web,10,2,50\n15,web,10,3,50\n30,web,10,4,50\n",
         HDR "0,web,10,3,50\n15,web,10,3,50\n30,web,10,2,50\n");
    assert_string_equal(tl(&o),
                        "timeline.csv: replicas, workload web: differs at "
                        "30s (A 4, B 2)\n"
                        "1 difference in 1 column (tolerance: exact, "
                        "replicas atol 1)");
    t.atol = 2; /* |4-2| <= 2 */
    assert_string_equal(tl(&o), "no differences (tolerance: exact, replicas "
                                "atol 2)");
    o.atol = 0.5; /* the default does not apply to replicas */
    assert_string_equal(tl(&o), "no differences (tolerance: atol 0.5, "
                                "replicas atol 2)");
}

static void test_within_rtol(void **state)
{
    struct cs_diff_opts o = {0};

    (void)state;
    both(HDR "0,web,100,2,50\n15,web,100,2,50\n",
         HDR "0,web,104,2,50\n15,web,95,2,50\n");
    o.rtol = 0.05; /* 4 <= 0.05 * 104, 5 <= 0.05 * 100 */
    assert_string_equal(tl(&o), "no differences (tolerance: rtol 0.05)");
    o.rtol = 0.045; /* 4 <= 4.68, 5 > 4.5 */
    assert_string_equal(tl(&o),
                        "timeline.csv: rps, workload web: differs at 15s "
                        "(A 100, B 95)\n"
                        "1 difference in 1 column (tolerance: rtol 0.045)");
    o.atol = 1; /* 5 <= 1 + 4.5 */
    assert_string_equal(tl(&o),
                        "no differences (tolerance: atol 1 rtol 0.045)");
}

static void test_undefined(void **state)
{
    struct cs_diff_opts o = {0};

    (void)state;
    o.rtol = 1e9; /* no tolerance makes undefined equal a number */
    both(HDR "0,web,1,1,\n15,web,1,1,\n30,web,1,1,60\n45,web,1,1,x\n",
         HDR "0,web,1,1,\n15,web,1,1,58.3\n30,web,1,1,\n45,web,1,1,x\n");
    assert_string_equal(tl(&o),
                        "timeline.csv: latency_p95_ms, workload web: differs "
                        "from 15s to 30s (2 samples), worst at 15s "
                        "(A undefined, B 58.3)\n"
                        "1 difference in 1 column (tolerance: rtol 1e+09)");
}

static void test_rows_in_one_run(void **state)
{
    (void)state;
    /* B has an extra workload throughout, A misses web at 15s, and A
     * runs one sample longer */
    both(HDR "0,web,1,1,5\n0,api,1,1,5\n15,api,1,1,5\n30,web,1,1,5\n"
             "30,api,1,1,5\n45,web,1,1,5\n",
         HDR "0,web,1,1,5\n0,api,1,1,5\n0,batch,1,1,5\n15,web,1,1,5\n"
             "15,api,1,1,5\n15,batch,1,1,5\n30,web,1,1,5\n30,api,1,1,5\n"
             "30,batch,1,1,5\n");
    assert_string_equal(tl(&exact),
                        "timeline.csv: only in B: 1 row for workload web at "
                        "15s\n"
                        "timeline.csv: only in A: 1 row for workload web at "
                        "45s\n"
                        "timeline.csv: only in B: 3 rows for workload batch "
                        "from 0s to 30s\n"
                        "3 differences in 0 columns, 5 rows in only one run "
                        "(tolerance: exact)");
}

static void test_column_in_one_file(void **state)
{
    (void)state;
    both("time_s,workload,rps,replicas\n0,web,1,2\n",
         "time_s,workload,replicas,demand_replicas,rps\n0,web,2,3,1\n");
    assert_string_equal(tl(&exact),
                        "timeline.csv: column demand_replicas only in B\n"
                        "1 difference in 1 column (tolerance: exact)");
}

static void test_ranges_coalesce(void **state)
{
    (void)state;
    both(HDR "0,web,1,2,5\n0,api,1,1,5\n30,web,1,3,5\n30,api,1,1,5\n"
             "45,web,1,3,5\n45,api,1,2,5\n60,web,1,3,5\n60,api,1,1,5\n"
             "3720,web,1,4,5\n3720,api,1,1,5\n",
         HDR "0,web,1,2,5\n0,api,1,1,5\n30,web,1,2,5\n30,api,1,1,5\n"
             "45,web,1,2.5,5\n45,api,1,1,5\n60,web,1,3,5\n60,api,1,1,5\n"
             "3720,web,1,5,5\n3720,api,1,1,5\n");
    assert_string_equal(tl(&exact),
                        "timeline.csv: replicas, workload web: differs from "
                        "30s to 45s (2 samples), max |diff| 1 at 30s "
                        "(A 3, B 2)\n"
                        "timeline.csv: replicas, workload api: differs at "
                        "45s (A 2, B 1)\n"
                        "timeline.csv: replicas, workload web: differs at "
                        "1h2m0s (A 4, B 5)\n"
                        "3 differences in 1 column (tolerance: exact)");
}

static void test_column_filter(void **state)
{
    const char *only[] = {"rps", "latency_p95_ms"};
    const char *typo[] = {"replica"};
    struct cs_diff_opts o = {0};

    (void)state;
    both("time_s,workload,rps,replicas,extra\n0,web,1,2,0\n15,web,2,2,0\n",
         "time_s,workload,rps,replicas,latency_p95_ms\n0,web,1,3,5\n"
         "15,web,3,2,5\n");
    o.only = only;
    o.nonly = 2;
    assert_string_equal(tl(&o),
                        "timeline.csv: column latency_p95_ms only in B\n"
                        "timeline.csv: rps, workload web: differs at 15s "
                        "(A 2, B 3)\n"
                        "2 differences in 2 columns (tolerance: exact)");
    o.only = typo;
    o.nonly = 1;
    assert_string_equal(run("A/timeline.csv", "B/timeline.csv", &o, CS_ENOENT),
                        "column 'replica' is not in any compared file");
}

static void test_run_directories(void **state)
{
    char want[256];

    (void)state;
    both(HDR "0,web,1,2,5\n", HDR "0,web,1,2,5\n");
    put("A/summary.csv", "workload,peak_replicas,mean_replicas\n"
                         "web,3,2.5\n(all),3,2.5\n");
    put("B/summary.csv", "workload,peak_replicas,mean_replicas\n"
                         "web,4,2.5\napi,1,1\n(all),5,3.5\n");
    put("A/nodes.csv", "time_s,pool,nodes\n0,default,1\n");
    assert_string_equal(run("A", "B", &exact, 0),
                        "nodes.csv: only in A\n"
                        "summary.csv: peak_replicas, workload web: differs "
                        "(A 3, B 4)\n"
                        "summary.csv: peak_replicas, workload (all): differs "
                        "(A 3, B 5)\n"
                        "summary.csv: mean_replicas, workload (all): differs "
                        "(A 2.5, B 3.5)\n"
                        "summary.csv: only in B: 1 row for workload api\n"
                        "5 differences in 2 columns, 1 row in only one run "
                        "(tolerance: exact)");
    put("B/nodes.csv", "time_s,pool,nodes\n0,default,2\n");
    /* a directory and a file: the directory's file of that name */
    assert_string_equal(run("A", "B/nodes.csv", &exact, 0),
                        "nodes.csv: nodes, pool default: differs at 0s "
                        "(A 1, B 2)\n"
                        "1 difference in 1 column (tolerance: exact)");
    unlink(path_of("A/summary.csv"));
    snprintf(want, sizeof(want), "%s: cannot open: No such file or directory",
             path_of("A/summary.csv"));
    assert_string_equal(run("A", "B", &exact, CS_EIO), want);
}

static void test_rows_without_key(void **state)
{
    (void)state;
    /* events-like: several rows per instant, matched by occurrence */
    put("A/e.csv", "time_s,kind,reason\n0,HPA,Up\n0,HPA,Down\n15,HPA,Up\n");
    put("B/e.csv", "time_s,kind,reason\n0,HPA,Up\n0,HPA,Up\n");
    assert_string_equal(run("A/e.csv", "B/e.csv", &exact, 0),
                        "e.csv: only in A: 1 row at 15s\n"
                        "e.csv: reason, row 2: differs at 0s (A Down, "
                        "B Up)\n"
                        "2 differences in 1 column, 1 row in only one run "
                        "(tolerance: exact)");
}

static void expect_error(const char *a, const char *b, int code,
                         const char *where, const char *msg)
{
    char want[512];

    both(a, b);
    snprintf(want, sizeof(want), "%s%s", path_of(where), msg);
    assert_string_equal(run("A/timeline.csv", "B/timeline.csv", &exact, code),
                        want);
}

static void test_malformed(void **state)
{
    char want[512];

    (void)state;
    expect_error(HDR "0,web,1,1,5\n", HDR "0,web,1,1,5\n15,web,\"1\"x,1,5\n",
                 CS_EPARSE, "B/timeline.csv",
                 ":3:11: malformed CSV: a quote inside an unquoted field, or "
                 "text after a closing quote");
    expect_error(HDR "0,web,1,1,5\n15,web,1,1\n", HDR "0,web,1,1,5\n",
                 CS_EPARSE, "A/timeline.csv",
                 ":3:1: row has 4 fields, the header has 5");
    expect_error(HDR "0,web,1,1,5\n1 5,web,1,1,5\n", HDR "0,web,1,1,5\n",
                 CS_EPARSE, "A/timeline.csv",
                 ":3:1: time_s is not a number: '1 5'");
    expect_error(HDR "30,web,1,1,5\n15,web,1,1,5\n", HDR "30,web,1,1,5\n",
                 CS_EPARSE, "A/timeline.csv",
                 ":3:1: time_s 15 comes after 30: rows must be sorted by "
                 "time");
    both(HDR, "time_s,pool,rps\n");
    snprintf(want, sizeof(want),
             "%s:1:1: rows are keyed by time_s,pool here but by "
             "time_s,workload in %s",
             path_of("B/timeline.csv"), path_of("A/timeline.csv"));
    assert_string_equal(
        run("A/timeline.csv", "B/timeline.csv", &exact, CS_EPARSE), want);
    expect_error("", HDR, CS_EPARSE, "A/timeline.csv",
                 ": empty file: no header row");
}

static void test_format_time(void **state)
{
    static const struct {
        double s;
        const char *text;
    } cases[] = {{0, "0s"},        {30, "30s"},          {7.5, "7.5s"},
                 {0.125, "125ms"}, {59.9994, "59.999s"}, {60, "1m0s"},
                 {90, "1m30s"},    {90.25, "1m30.25s"},  {3600, "1h0m0s"},
                 {3720, "1h2m0s"}, {3605, "1h0m5s"},     {90000, "25h0m0s"},
                 {-15, "-15s"}};
    char buf[32];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(cs_diff_format_time(cases[i].s, buf, sizeof(buf)),
                         (int)strlen(cases[i].text));
        assert_string_equal(buf, cases[i].text);
    }
}

/* Many instants: the arena keeps one instant, ranges span the file. */
static void test_long_file(void **state)
{
    FILE *fa, *fb;

    (void)state;
    put("A/timeline.csv", "");
    put("B/timeline.csv", "");
    fa = fopen(path_of("A/timeline.csv"), "w");
    fb = fopen(path_of("B/timeline.csv"), "w");
    assert_non_null(fa);
    assert_non_null(fb);
    fputs(HDR, fa);
    fputs(HDR, fb);
    for (int t = 0; t < 20000; t++) {
        for (int w = 0; w < 3; w++) {
            fprintf(fa, "%d,w%d,%d,%d,5\n", t * 15, w, t % 7, 2);
            fprintf(fb, "%d,w%d,%d,%d,5\n", t * 15, w, t % 7,
                    w == 1 && t >= 10000 ? 3 : 2);
        }
    }
    fclose(fa);
    fclose(fb);
    assert_string_equal(tl(&exact),
                        "timeline.csv: replicas, workload w1: differs from "
                        "41h40m0s to 83h19m45s (10000 samples), max |diff| 1 "
                        "at 41h40m0s (A 2, B 3)\n"
                        "1 difference in 1 column (tolerance: exact)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_cell_beyond_tolerance, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_within_atol, setup, teardown),
        cmocka_unit_test_setup_teardown(test_within_rtol, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undefined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_in_one_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_in_one_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ranges_coalesce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_column_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_directories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_without_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test(test_format_time),
        cmocka_unit_test_setup_teardown(test_long_file, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
