/*
 * test_sweep_cli.c - `capsim sweep` and `capsim merge` as a user runs them:
 * the axes change what each run computes, -j 1 and -j 2 write the same
 * bytes, shards merged equal the whole sweep, merge refuses overlaps and
 * gaps, a row re-runs exactly with `capsim run`, ranking picks the right
 * rows, an invalid combination stops everything before a run, and an
 * interrupted sweep writes nothing.
 */
#include "test_util.h"

#include "io/results.h"

#include <signal.h>

#define SWEEP "tests/cli/sweep/small.yaml"
#define AXIS_TARGET                                                            \
    "hpa/feastflow-backend.spec.metrics[0].resource.target."                   \
    "averageUtilization"

static char out[65536];

static void read_results(const char *dir, struct cs_results *r)
{
    struct cs_err err;

    cs_err_clear(&err);
    if (cs_results_read(r, dir, &err) < 0)
        fail_msg("%s: %s", dir, err.msg);
}

static const char *cell(const struct cs_results *r, size_t row, const char *col)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (strcmp(r->cols[c], col) == 0)
            return r->cells[row * r->ncols + c];
    fail_msg("no column %s", col);
    return NULL;
}

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = tu_slurp(a, &la), *y = tu_slurp(b, &lb);
    int same = la == lb && memcmp(x, y, la) == 0;

    free(x);
    free(y);
    return same;
}

static int same_results(const char *da, const char *db)
{
    char a[600], b[600];

    snprintf(a, sizeof(a), "%s/results.csv", da);
    snprintf(b, sizeof(b), "%s/results.csv", db);
    if (!same_file(a, b))
        return 0;
    snprintf(a, sizeof(a), "%s/sweep-info.csv", da);
    snprintf(b, sizeof(b), "%s/sweep-info.csv", db);
    return same_file(a, b);
}

static void sweep(const char *dir, const char *extra, int expect_rc)
{
    char args[2048];

    snprintf(args, sizeof(args), "sweep " SWEEP " -q -o %s %s", dir, extra);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), expect_rc);
}

/* The axes reach the runs; seeds follow the replications; -j changes
 * nothing. */
static void test_runs_and_threads(void **state)
{
    char *d1 = tu_tmpdir(), *d2 = tu_tmpdir();
    struct cs_results r;

    (void)state;
    sweep(d1, "-j 1", 0);
    sweep(d2, "-j 2", 0);
    assert_true(same_results(d1, d2));
    read_results(d1, &r);
    assert_int_equal(r.nrows, 8);
    assert_int_equal(r.runs, 8);
    assert_string_equal(r.sweep, "small");
    for (size_t i = 0; i < r.nrows; i++) {
        /* run order: target slowest, then max, then replication */
        assert_string_equal(cell(&r, i, "target"), i < 4 ? "50" : "80");
        assert_string_equal(cell(&r, i, "max"), i % 4 < 2 ? "4" : "10");
        assert_string_equal(cell(&r, i, "replication"), i % 2 ? "2" : "1");
        assert_string_equal(cell(&r, i, "seed"), i % 2 ? "2" : "1");
        assert_string_equal(cell(&r, i, "error"), "");
        /* maxReplicas bounds the peak; with 300 rps, 4 is reached */
        if (i % 4 < 2)
            assert_string_equal(cell(&r, i, "peak_replicas"), "4");
        else
            assert_true(strtol(cell(&r, i, "peak_replicas"), NULL, 10) > 4);
        assert_string_equal(cell(&r, i, "peak_replicas[feastflow-backend]"),
                            cell(&r, i, "peak_replicas"));
    }
    cs_results_fini(&r);
    tu_rmdir(d1);
    tu_rmdir(d2);
    free(d1);
    free(d2);
}

/* A row is what `capsim run` computes with the row's values. */
static void test_row_reruns(void **state)
{
    char *ds = tu_tmpdir(), *dr = tu_tmpdir(), args[2048], p[600];
    struct cs_results r;
    struct tu_table t;
    size_t all;

    (void)state;
    sweep(ds, "--shard 6/8", 0); /* run 6: target 80, max 4, seed 2 */
    read_results(ds, &r);
    assert_int_equal(r.nrows, 1);
    assert_int_equal(r.run[0], 6);
    snprintf(args, sizeof(args),
             "run scenarios/feastflow-load-test.yaml -q -o %s --seed 2 "
             "--set duration=6m "
             "--set 'workloads.feastflow-backend.load[1].rps=300' "
             "--set '" AXIS_TARGET "=80' "
             "--set hpa/feastflow-backend.spec.maxReplicas=4",
             dr);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 0);
    snprintf(p, sizeof(p), "%s/summary.csv", dr);
    tu_read_csv(p, &t);
    all = t.nrows - 1;
    assert_string_equal(t.rows[all][0], "(all)");
    for (const char *const *f =
             (const char *const[]){"peak_replicas", "replica_hours",
                                   "latency_p95_ms", "cost_usd", "scale_ups",
                                   "pending_p95_s", NULL};
         *f; f++)
        assert_string_equal(cell(&r, 0, *f), t.rows[all][tu_col(&t, *f)]);
    tu_free_csv(&t);
    cs_results_fini(&r);
    tu_rmdir(ds);
    tu_rmdir(dr);
    free(ds);
    free(dr);
}

/* Three shards merged are the whole sweep, byte for byte; merge refuses a
 * shard twice and a missing one, and writes nothing then. */
static void test_shards_and_merge(void **state)
{
    char *whole = tu_tmpdir(), *sh = tu_tmpdir(), args[3000], res[1400];
    char s[3][300], m[300];

    (void)state;
    sweep(whole, "", 0);
    for (int k = 0; k < 3; k++) {
        char shard[32];

        snprintf(s[k], sizeof(s[k]), "%s/s%d", sh, k + 1);
        snprintf(shard, sizeof(shard), "--shard %d/3", k + 1);
        sweep(s[k], shard, 0);
    }
    snprintf(m, sizeof(m), "%s/merged", sh);
    /* any order of the directories */
    snprintf(args, sizeof(args), "merge %s %s %s -o %s -q", s[2], s[0], s[1],
             m);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 0);
    assert_true(same_results(whole, m));

    snprintf(m, sizeof(m), "%s/bad", sh);
    snprintf(args, sizeof(args), "merge %s %s %s %s -o %s", s[0], s[1], s[2],
             s[1], m);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    snprintf(res, sizeof(res), "capsim: run 2 is in both %s and %s\n", s[1],
             s[1]);
    assert_string_equal(out, res);
    snprintf(args, sizeof(args), "merge %s %s -o %s", s[0], s[2], m);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: 3 of 8 runs are missing: 2, 5, 8; "
                             "merge every shard\n");
    snprintf(res, sizeof(res), "%s/results.csv", m);
    assert_int_equal(access(res, F_OK), -1);
    tu_rmdir(whole);
    tu_rmdir(sh);
    free(whole);
    free(sh);
}

/* --where keeps the runs that meet it, --minimize orders them. */
static void test_ranking(void **state)
{
    char *d = tu_tmpdir();
    const char *p, *line;
    double prev = -1;
    int rows = 0;

    (void)state;
    sweep(d,
          "--where 'peak_replicas <= 4 and replication == 1' "
          "--minimize latency_p95_ms --show latency_p95_ms --format csv",
          0);
    p = strstr(out, "2 of 8 runs meet peak_replicas <= 4 and replication == "
                    "1; all 2 by smallest latency_p95_ms:\n\n"
                    "run,target,max,latency_p95_ms\n");
    assert_non_null(p);
    line = strstr(p, "\nrun,") + 1;
    while ((line = strchr(line, '\n')) != NULL && line[1] != '\0') {
        double lat;
        char target[8];
        int run, max;

        line++;
        assert_int_equal(
            sscanf(line, "%d,%7[^,],%d,%lf", &run, target, &max, &lat), 4);
        assert_int_equal(max, 4);
        assert_true(run == 1 || run == 5);
        assert_true(lat >= prev);
        prev = lat;
        rows++;
    }
    assert_int_equal(rows, 2);

    sweep(d, "--where 'max(replicas) < 3'", 2);
    assert_non_null(strstr(out, "--where:1:1: --where takes figures of "
                                "results.csv, such as cost_usd or "
                                "latency_p95_ms[web]"));
    tu_rmdir(d);
    free(d);
}

/* An invalid combination stops the sweep before any run, with the run
 * and its values named; nothing is written. */
static void test_invalid_combination(void **state)
{
    char *d = tu_tmpdir(), p[600];

    (void)state;
    sweep(d, "--set hpa/feastflow-backend.spec.minReplicas=5", 2);
    assert_non_null(strstr(out, "capsim: run 1 (target=50, max=4): "));
    assert_non_null(strstr(out, "maxReplicas"));
    snprintf(p, sizeof(p), "%s/results.csv", d);
    assert_int_equal(access(p, F_OK), -1);
    tu_rmdir(d);
    free(d);
}

/* --keep-runs writes every run's outputs; --list prints the runs. */
static void test_keep_runs_and_list(void **state)
{
    char *d = tu_tmpdir(), p[700];

    (void)state;
    sweep(d, "--keep-runs --shard 2/4", 0);
    snprintf(p, sizeof(p), "%s/runs/2/timeline.csv", d);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof(p), "%s/runs/6/summary.csv", d);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof(p), "%s/runs/1", d);
    assert_int_equal(access(p, F_OK), -1);
    assert_int_equal(
        tu_capsim("sweep " SWEEP " --list --shard 1/3", out, sizeof(out)), 0);
    assert_string_equal(out, "run,replication,seed,target,max\n"
                             "1,1,+0,50,4\n"
                             "4,2,+1,50,10\n"
                             "7,1,+0,80,10\n");
    tu_rmdir(d);
    free(d);
}

static void test_usage_errors(void **state)
{
    (void)state;
    assert_int_equal(tu_capsim("sweep " SWEEP " --shard 4/3", out, sizeof(out)),
                     2);
    assert_string_equal(out, "capsim: --shard needs K/N with 1 <= K <= N "
                             "(e.g. 2/8), got '4/3'\n");
    assert_int_equal(
        tu_capsim("sweep " SWEEP " --format html", out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: --format is md or csv, got 'html'\n");
    assert_int_equal(tu_capsim("merge -o x", out, sizeof(out)), 2);
    assert_int_equal(tu_capsim("sweep nonexistent.yaml", out, sizeof(out)), 2);
    assert_non_null(strstr(out, "nonexistent.yaml"));
}

/* SIGINT during the runs: exit status 130, no results.csv. The signal is
 * sent once run 1 has started (its kept-run directory exists), so a slow
 * start (a loaded machine, a sanitizer build) cannot make it arrive before
 * capsim handles signals. */
static void test_interrupt(void **state)
{
    char *d = tu_tmpdir(), cmd[2048];
    FILE *f;
    size_t n;

    (void)state;
    snprintf(cmd, sizeof(cmd),
             "'%s' sweep " SWEEP " -q -j 1 --keep-runs -o %s "
             "--set duration=2160h 2>&1 & pid=$!; i=0; "
             "while [ ! -d %s/runs/1 ] && [ $i -lt 1200 ]; do "
             "sleep 0.05; i=$((i+1)); done; kill -INT $pid; wait $pid; "
             "echo \"status=$?\"",
             getenv("CAPSIM_BIN"), d, d);
    f = popen(cmd, "r");
    assert_non_null(f);
    n = fread(out, 1, sizeof(out) - 1, f);
    out[n] = '\0';
    pclose(f);
    assert_non_null(strstr(out, "capsim: sweep small: interrupted by SIGINT; "
                                "no outputs written"));
    assert_non_null(strstr(out, "status=130\n"));
    snprintf(cmd, sizeof(cmd), "%s/results.csv", d);
    assert_int_equal(access(cmd, F_OK), -1);
    tu_rmdir(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_and_threads),
        cmocka_unit_test(test_row_reruns),
        cmocka_unit_test(test_shards_and_merge),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_invalid_combination),
        cmocka_unit_test(test_keep_runs_and_list),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_interrupt),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
