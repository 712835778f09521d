/*
 * test_diff_cli.c - `capsim diff` as a CI pipeline meets it: two runs of
 * FeastFlow with the same seed are identical (exit 0), different seeds
 * differ (exit 1, lines naming columns), a 100 % tolerance hides what a
 * tolerance can hide, and bad usage or bad input is exit 2.
 */
#include "test_util.h"

static char *dirs[3]; /* seed 1, seed 1 again, seed 2 */

static int setup(void **state)
{
    static const int seeds[3] = {1, 1, 2};
    char args[1024], out[16384];

    (void)state;
    for (int i = 0; i < 3; i++) {
        dirs[i] = tu_tmpdir();
        snprintf(args, sizeof(args),
                 "run scenarios/feastflow-load-test.yaml -o %s --seed %d -q",
                 dirs[i], seeds[i]);
        if (tu_capsim(args, out, sizeof(out)) != 0)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 3 && dirs[i] != NULL; i++) {
        char p[600];

        snprintf(p, sizeof(p), "%s/nodes.csv", dirs[i]);
        unlink(p);
        snprintf(p, sizeof(p), "%s/bad.csv", dirs[i]);
        unlink(p);
        tu_rmdir(dirs[i]);
        free(dirs[i]);
    }
    return 0;
}

/* `capsim diff A B EXTRA` on runs i and j; returns the exit status. */
static int diff(int i, int j, const char *extra, char *out, size_t n)
{
    char args[2048];

    snprintf(args, sizeof(args), "diff %s %s %s", dirs[i], dirs[j], extra);
    return tu_capsim(args, out, n);
}

/* Lines of out that start with prefix. */
static int count_lines(const char *out, const char *prefix)
{
    int n = 0;

    for (const char *l = out; *l;
         l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
        if (strncmp(l, prefix, strlen(prefix)) == 0)
            n++;
    return n;
}

static void test_same_seed_is_identical(void **state)
{
    char out[65536];

    (void)state;
    assert_int_equal(diff(0, 1, "", out, sizeof(out)), 0);
    assert_string_equal(out, "no differences (tolerance: exact)\n");
    assert_int_equal(diff(0, 1, "--quiet", out, sizeof(out)), 0);
    assert_string_equal(out, "");
}

/* The closing line: the last line of out. */
static const char *last_line(const char *out)
{
    static char line[1024];
    size_t n = strlen(out);
    const char *l;

    while (n > 0 && out[n - 1] == '\n')
        n--;
    for (l = out + n; l > out && l[-1] != '\n'; l--)
        ;
    snprintf(line, sizeof(line), "%.*s", (int)(out + n - l), l);
    return line;
}

/* Difference lines: those naming one of the compared files. */
static int count_diffs(const char *out)
{
    return count_lines(out, "timeline.csv: ") +
           count_lines(out, "nodes.csv: ") + count_lines(out, "summary.csv: ");
}

static void test_other_seed_differs(void **state)
{
    char out[65536];

    (void)state;
    assert_int_equal(diff(0, 2, "--max-lines 100000", out, sizeof(out)), 1);
    /* e.g. "timeline.csv: ready_replicas, workload feastflow-backend:
     * differs at 45s (A 2, B 3)": pod start-up delays are drawn from the
     * seed, so when the second pod becomes ready changes */
    assert_true(count_lines(out, "timeline.csv: ready_replicas, workload "
                                 "feastflow-backend: differs ") >= 1);
    assert_true(count_diffs(out) >= 2);
    assert_non_null(strstr(last_line(out), " (tolerance: exact)"));
    {
        int nd = 0, nc = 0;

        assert_int_equal(
            sscanf(last_line(out), "%d differences in %d col", &nd, &nc), 2);
        assert_int_equal(nd, count_diffs(out));
        assert_true(nc >= 1);
    }
    assert_int_equal(count_lines(out, "... and"), 0);
    assert_int_equal(diff(0, 2, "--quiet", out, sizeof(out)), 1);
    assert_string_equal(out, "");
}

static void test_max_lines(void **state)
{
    char out[65536], all[65536], more[64];
    int n;

    (void)state;
    assert_int_equal(diff(0, 2, "--max-lines 100000", all, sizeof(all)), 1);
    n = count_diffs(all);
    assert_true(n > 1);
    assert_int_equal(diff(0, 2, "--max-lines 1", out, sizeof(out)), 1);
    assert_int_equal(count_diffs(out), 1);
    snprintf(more, sizeof(more), "\n... and %d more\n", n - 1);
    assert_non_null(strstr(out, more));
    /* the same first line, the same closing line */
    assert_memory_equal(out, all, strcspn(all, "\n") + 1);
    assert_string_equal(last_line(out), last_line(all));
    assert_int_equal(diff(0, 2, "--max-lines 0", out, sizeof(out)), 1);
    assert_int_equal(count_diffs(out), 0);
}

static void test_full_tolerance(void **state)
{
    char out[65536];
    const char *l;
    int st;

    (void)state;
    /* |a-b| <= 1 * max(|a|,|b|) holds for any two non-negative numbers, and
     * every capsim figure is one: a 100 % tolerance hides every numeric
     * difference; only a cell undefined in one run and not in the other,
     * or a row or column in one run only, can remain (none does for these
     * two seeds, so the exit status is 0) */
    st = diff(0, 2, "--tol 1 --max-lines 100000", out, sizeof(out));
    assert_null(strstr(out, "max |diff|"));
    for (l = out; (l = strstr(l, ": differs ")) != NULL; l++) {
        const char *u = strstr(l, "undefined");

        assert_true(u != NULL && u < l + strcspn(l, "\n"));
    }
    assert_int_equal(st, count_diffs(out) > 0 ? 1 : 0);
    assert_string_equal(out, "no differences (tolerance: rtol 1)\n");
}

static void test_column_and_atol(void **state)
{
    char out[65536], args[1024];

    (void)state;
    /* between these seeds the replica counts differ by one pod at most */
    assert_int_equal(diff(0, 2,
                          "--column replicas --column ready_replicas "
                          "--atol ready_replicas=1 --atol replicas=1",
                          out, sizeof(out)),
                     0);
    assert_string_equal(out, "no differences (tolerance: exact, "
                             "ready_replicas atol 1, replicas atol 1)\n");
    /* a file against a run directory: the directory's file of that name;
     * --column restricts to one column */
    snprintf(args, sizeof(args),
             "diff %s/timeline.csv %s --column ready_replicas", dirs[0],
             dirs[2]);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 1);
    assert_int_equal(count_diffs(out), count_lines(out, "timeline.csv: "
                                                        "ready_replicas, "));
    assert_true(count_diffs(out) >= 1);
}

static void test_bad_usage(void **state)
{
    char out[8192], args[2048], path[600];
    FILE *f;

    (void)state;
    assert_int_equal(tu_capsim("diff", out, sizeof(out)), 2);
    assert_non_null(strstr(out, "usage: capsim diff RUN_A RUN_B"));
    assert_int_equal(tu_capsim("diff --help", out, sizeof(out)), 0);
    assert_int_equal(diff(0, 1, "--tolerance 1", out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: diff: unknown option '--tolerance'\n");
    assert_int_equal(diff(0, 1, "--tol -1", out, sizeof(out)), 2);
    assert_string_equal(out,
                        "capsim: diff: --tol needs a number >= 0, got '-1'\n");
    assert_int_equal(diff(0, 1, "--atol =3", out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: diff: --atol needs [COLUMN=]NUMBER "
                             "with NUMBER >= 0, got '=3'\n");
    assert_int_equal(diff(0, 1, "--max-lines", out, sizeof(out)), 2);
    assert_int_equal(diff(0, 1, "--column replica", out, sizeof(out)), 2);
    assert_string_equal(
        out, "capsim: column 'replica' is not in any compared file\n");
    assert_int_equal(diff(0, 1, "/tmp", out, sizeof(out)), 2);
    assert_int_equal(
        tu_capsim("diff /nonexistent/run-a /tmp", out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: /nonexistent/run-a: cannot open: No "
                             "such file or directory\n");
    /* a malformed file names its location */
    snprintf(path, sizeof(path), "%s/bad.csv", dirs[1]);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("time_s,pool,nodes\n0,default,1\n15,default,\"2\"x\n", f);
    fclose(f);
    snprintf(args, sizeof(args), "diff %s %s", path, path);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    snprintf(args, sizeof(args),
             "capsim: %s:3:15: malformed CSV: a quote inside an unquoted "
             "field, or text after a closing quote\n",
             path);
    assert_string_equal(out, args);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_is_identical),
        cmocka_unit_test(test_other_seed_differs),
        cmocka_unit_test(test_max_lines),
        cmocka_unit_test(test_full_tolerance),
        cmocka_unit_test(test_column_and_atol),
        cmocka_unit_test(test_bad_usage),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
