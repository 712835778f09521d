/*
 * test_plot_cli.c - `capsim plot` as a user meets it: FeastFlow's run drawn
 * into a PNG and an SVG, vpa-week drawn with its VPA panel and no gnuplot
 * warning, a missing gnuplot (a warning, the script still
 * written, exit 0), a failing gnuplot (exit 1 with its messages), and bad
 * arguments (exit 2 with a message).
 *
 * The run directory has a space in its name. The test that draws with the
 * real gnuplot is skipped when none is installed.
 */
#include "test_util.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>

struct fixture {
    char dir[64];   /* FeastFlow's run */
    char empty[64]; /* a directory without a run */
};

static int exists(const char *dir, const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static void remove_plots(const char *dir)
{
    static const char *const files[] = {"plot.gp", "plot-feastflow-backend.png",
                                        "plot-feastflow-backend.svg",
                                        "fake-gnuplot"};
    char path[256];

    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    char out[16384], args[256];

    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/capsim plot cli-XXXXXX");
    snprintf(fx->empty, sizeof(fx->empty), "/tmp/capsim-plot-empty-XXXXXX");
    if (mkdtemp(fx->dir) == NULL || mkdtemp(fx->empty) == NULL)
        return -1;
    snprintf(args, sizeof(args),
             "run scenarios/feastflow-load-test.yaml -o '%s' -q", fx->dir);
    if (tu_capsim_env("", args, out, sizeof(out)) != 0) {
        fprintf(stderr, "capsim run failed: %s\n", out);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    DIR *d;
    struct dirent *e;
    char path[512];

    if (fx == NULL)
        return 0;
    d = opendir(fx->dir);
    while (d != NULL && (e = readdir(d)) != NULL) {
        snprintf(path, sizeof(path), "%s/%s", fx->dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(fx->dir);
    rmdir(fx->empty);
    free(fx);
    return 0;
}

/* The first n bytes of DIR/name, 0-padded; fails if it cannot be read. */
static void head(const char *dir, const char *name, char *buf, size_t n)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    memset(buf, 0, n);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_true(fread(buf, 1, n, f) > 0);
    fclose(f);
}

/* Whether PATH has a gnuplot to draw with. */
static int have_gnuplot(void)
{
    const char *d = getenv("PATH");
    char buf[1024];

    while (d != NULL && *d != '\0') {
        const char *end = strchr(d, ':');
        int len = end ? (int)(end - d) : (int)strlen(d);

        snprintf(buf, sizeof(buf), "%.*s/gnuplot", len, d);
        if (len > 0 && access(buf, X_OK) == 0)
            return 1;
        d = end ? end + 1 : NULL;
    }
    return 0;
}

static void test_draws_feastflow(void **state)
{
    struct fixture *fx = *state;
    char out[8192], args[256], want[1024], buf[16];

    if (!have_gnuplot())
        skip();
    remove_plots(fx->dir);
    snprintf(args, sizeof(args), "plot '%s' --workload feastflow-backend",
             fx->dir);
    assert_int_equal(
        tu_capsim_env("env -u CAPSIM_GNUPLOT", args, out, sizeof(out)), 0);
    snprintf(want, sizeof(want),
             "plots: %s/plot-feastflow-backend.png "
             "%s/plot-feastflow-backend.svg\n"
             "plot script: %s/plot.gp\n",
             fx->dir, fx->dir, fx->dir);
    assert_string_equal(out, want); /* gnuplot printed no warning either */
    head(fx->dir, "plot-feastflow-backend.png", buf, 8);
    assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
    head(fx->dir, "plot-feastflow-backend.svg", buf, 5);
    assert_true(memcmp(buf, "<?xml", 5) == 0 || memcmp(buf, "<svg", 4) == 0);
}

/* A scenario with a wall clock has a `clock` column before `workload`:
 * rows are still matched by the workload's name (gnuplot warned "no valid
 * points" and drew empty panels when the script read column 2). */
static void test_draws_with_clock_column(void **state)
{
    char out[8192], args[512];
    char *dir = tu_tmpdir();

    (void)state;
    if (!have_gnuplot())
        skip();
    snprintf(args, sizeof(args),
             "run scenarios/lunch-rush.yaml -q --plot -o '%s'", dir);
    assert_int_equal(
        tu_capsim_env("env -u CAPSIM_GNUPLOT", args, out, sizeof(out)), 0);
    assert_null(strstr(out, "warning"));
    assert_string_equal(out, "");
    tu_rmdir(dir);
    free(dir);
}

/* A week with a VPA on CPU and memory: the requests-and-recommendation
 * panel is drawn, and gnuplot says nothing about it. */
static void test_draws_vpa_week(void **state)
{
    char out[8192], args[512], buf[16], path[512];
    char *dir = tu_tmpdir(), *gp;
    FILE *f;
    long n;

    (void)state;
    if (!have_gnuplot()) {
        tu_rmdir(dir);
        free(dir);
        skip();
    }
    snprintf(args, sizeof(args),
             "run scenarios/vpa-week.yaml -q --plot -o '%s'", dir);
    assert_int_equal(
        tu_capsim_env("env -u CAPSIM_GNUPLOT", args, out, sizeof(out)), 0);
    assert_null(strstr(out, "arning")); /* gnuplot's "warning:" too */
    assert_string_equal(out, "");
    head(dir, "plot-catalog.png", buf, 8);
    assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
    assert_true(exists(dir, "plot-catalog.svg"));

    snprintf(path, sizeof(path), "%s/plot.gp", dir);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    gp = calloc(1, (size_t)n + 1);
    assert_non_null(gp);
    assert_int_equal(fread(gp, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_non_null(strstr(gp, "title 'VPA CPU target'"));
    assert_non_null(strstr(gp, "title 'VPA memory target'"));
    assert_non_null(strstr(gp, "npanels = 6\n"));
    free(gp);
    tu_rmdir(dir);
    free(dir);
}

static void test_without_gnuplot(void **state)
{
    struct fixture *fx = *state;
    char out[8192], args[256], want[1024];

    remove_plots(fx->dir);
    snprintf(args, sizeof(args), "plot '%s'", fx->dir);
    assert_int_equal(
        tu_capsim_env("CAPSIM_GNUPLOT=/nonexistent", args, out, sizeof(out)),
        0);
    snprintf(want, sizeof(want),
             "capsim: warning: gnuplot not found: "
             "CAPSIM_GNUPLOT=/nonexistent is not an executable file; wrote "
             "plot.gp without drawing it. Install gnuplot (apt install "
             "gnuplot-nox) or set CAPSIM_GNUPLOT to its path\n"
             "plot script: %s/plot.gp (draw it with: cd '%s' && gnuplot "
             "plot.gp)\n",
             fx->dir, fx->dir);
    assert_string_equal(out, want);
    assert_true(exists(fx->dir, "plot.gp"));
    assert_false(exists(fx->dir, "plot-feastflow-backend.png"));
    assert_false(exists(fx->dir, "plot-feastflow-backend.svg"));

    /* nor in PATH */
    remove_plots(fx->dir);
    assert_int_equal(tu_capsim_env("env -u CAPSIM_GNUPLOT PATH=/nonexistent",
                                   args, out, sizeof(out)),
                     0);
    assert_non_null(strstr(out, "capsim: warning: gnuplot not found in PATH; "
                                "wrote plot.gp without drawing it. Install "
                                "gnuplot (apt install gnuplot-nox) or set "
                                "CAPSIM_GNUPLOT=/path/to/gnuplot\n"));
    assert_true(exists(fx->dir, "plot.gp"));
}

static void test_no_render(void **state)
{
    struct fixture *fx = *state;
    char out[8192], args[256], want[1024];

    remove_plots(fx->dir);
    snprintf(args, sizeof(args), "plot --no-render '%s'", fx->dir);
    assert_int_equal(tu_capsim_env("", args, out, sizeof(out)), 0);
    snprintf(want, sizeof(want),
             "plot script: %s/plot.gp (draw it with: cd '%s' && gnuplot "
             "plot.gp)\n",
             fx->dir, fx->dir);
    assert_string_equal(out, want);
    assert_true(exists(fx->dir, "plot.gp"));
    assert_false(exists(fx->dir, "plot-feastflow-backend.png"));
}

static void test_gnuplot_fails(void **state)
{
    struct fixture *fx = *state;
    char out[8192], args[256], env[320], path[256];
    FILE *f;

    remove_plots(fx->dir);
    snprintf(path, sizeof(path), "%s/fake-gnuplot", fx->dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\necho '\"plot.gp\" line 9: boom' >&2\nexit 1\n", f);
    fclose(f);
    assert_int_equal(chmod(path, 0755), 0);
    snprintf(env, sizeof(env), "CAPSIM_GNUPLOT='%s'", path);
    snprintf(args, sizeof(args), "plot '%s'", fx->dir);
    assert_int_equal(tu_capsim_env(env, args, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "\"plot.gp\" line 9: boom\n"));
    assert_non_null(strstr(out, "/plot.gp: gnuplot ("));
    assert_non_null(strstr(out, "failed with exit status 1; its messages are "
                                "above\n"));
    assert_true(exists(fx->dir, "plot.gp")); /* kept, to be fixed by hand */
    remove_plots(fx->dir);
}

static void test_bad_arguments(void **state)
{
    struct fixture *fx = *state;
    char out[8192], args[256], want[512];

    assert_int_equal(tu_capsim_env("", "plot", out, sizeof(out)), 2);
    assert_non_null(strstr(out, "usage: capsim plot RUN_DIR"));
    assert_int_equal(tu_capsim_env("", "plot --help", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "--no-render"));
    assert_int_equal(tu_capsim_env("", "plot --frob x", out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: plot: unknown option '--frob'\n");
    assert_int_equal(tu_capsim_env("", "plot a b", out, sizeof(out)), 2);
    assert_string_equal(out, "capsim: plot: one run directory at a time\n");
    assert_int_equal(tu_capsim_env("", "plot x --workload", out, sizeof(out)),
                     2);
    assert_string_equal(out,
                        "capsim: plot: --workload needs a workload name\n");
    assert_int_equal(
        tu_capsim_env("", "plot /nonexistent/run", out, sizeof(out)), 2);
    assert_string_equal(out,
                        "capsim: /nonexistent/run: no such run directory\n");

    snprintf(args, sizeof(args), "plot '%s'", fx->empty);
    assert_int_equal(tu_capsim_env("", args, out, sizeof(out)), 2);
    snprintf(want, sizeof(want),
             "capsim: %s: no timeline.csv here: not a capsim run directory\n",
             fx->empty);
    assert_string_equal(out, want);

    snprintf(args, sizeof(args), "plot '%s' --workload web", fx->dir);
    assert_int_equal(tu_capsim_env("", args, out, sizeof(out)), 2);
    snprintf(want, sizeof(want),
             "capsim: %s: no workload 'web' in timeline.csv (it has: "
             "feastflow-backend)\n",
             fx->dir);
    assert_string_equal(out, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draws_feastflow),
        cmocka_unit_test(test_draws_with_clock_column),
        cmocka_unit_test(test_draws_vpa_week),
        cmocka_unit_test(test_without_gnuplot),
        cmocka_unit_test(test_no_render),
        cmocka_unit_test(test_gnuplot_fails),
        cmocka_unit_test(test_bad_arguments),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
