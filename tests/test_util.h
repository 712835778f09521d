/*
 * test_util.h - helpers shared by capsim's cmocka tests: run a scenario
 * (from a file or a string) into a fresh temporary directory and read its
 * CSV outputs back with libcsv.
 */
#ifndef CS_TEST_UTIL_H
#define CS_TEST_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/sim.h"
#include "io/report.h"
#include "io/scenario.h"

#define TU_MAX_COLS 64

struct tu_table {
    size_t nrows, ncols;
    char ***rows; /* rows[r][c]; row 0 is the header */
    /* parser state */
    char **cur;
    size_t ncur;
};

static void tu_field(void *s, size_t len, void *data)
{
    struct tu_table *t = data;
    char *f = malloc(len + 1);

    memcpy(f, s ? s : "", len);
    f[len] = '\0';
    if (t->cur == NULL)
        t->cur = calloc(TU_MAX_COLS, sizeof(char *));
    if (t->ncur < TU_MAX_COLS)
        t->cur[t->ncur++] = f;
    else
        free(f);
}

static void tu_row(int c, void *data)
{
    struct tu_table *t = data;

    (void)c;
    t->rows = realloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
    t->rows[t->nrows++] = t->cur;
    if (t->nrows == 1)
        t->ncols = t->ncur;
    t->cur = NULL;
    t->ncur = 0;
}

/* Read a whole CSV file; fails the test if it cannot be read. */
static inline void tu_read_csv(const char *path, struct tu_table *t)
{
    struct csv_parser p;
    char buf[65536];
    size_t n;
    FILE *f = fopen(path, "rb");

    memset(t, 0, sizeof(*t));
    assert_non_null(f);
    assert_int_equal(csv_init(&p, CSV_APPEND_NULL), 0);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        assert_int_equal(csv_parse(&p, buf, n, tu_field, tu_row, t), n);
    csv_fini(&p, tu_field, tu_row, t);
    csv_free(&p);
    fclose(f);
}

static inline void tu_free_csv(struct tu_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < TU_MAX_COLS && t->rows[r][c]; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    memset(t, 0, sizeof(*t));
}

/* Column index of name in the header; fails the test if absent. */
static inline size_t tu_col(const struct tu_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->rows[0][c], name) == 0)
            return c;
    fail_msg("no column %s", name);
    return 0;
}

/* Value of column `name` in the row whose first column equals time_s and
 * whose `workload` column equals wl (wl NULL: any). NULL if none. */
static inline const char *tu_at(const struct tu_table *t, const char *time_s,
                                const char *wl, const char *name)
{
    size_t c = tu_col(t, name), cw = wl ? tu_col(t, "workload") : 0;

    for (size_t r = 1; r < t->nrows; r++)
        if (strcmp(t->rows[r][0], time_s) == 0 &&
            (wl == NULL || strcmp(t->rows[r][cw], wl) == 0))
            return t->rows[r][c];
    return NULL;
}

/* A fresh empty temporary directory; caller frees the string. */
static inline char *tu_tmpdir(void)
{
    char *d = strdup("/tmp/capsim-test-XXXXXX");

    assert_non_null(mkdtemp(d));
    return d;
}

/* rm -r dir: every file and directory under it, then dir itself. */
static inline void tu_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[1024];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >=
            sizeof(p))
            continue; /* longer than any path the tests make */
        if (unlink(p) != 0)
            tu_rmdir(p);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

/* Run a loaded scenario with `seed` into dir; returns cs_sim_run's code. */
static inline int tu_run_loaded(struct cs_scenario *sc, uint64_t seed,
                                const char *dir)
{
    struct cs_err err;
    struct cs_sim *sim;
    struct cs_report *rep;
    int rc;

    cs_err_clear(&err);
    sim = cs_sim_create(sc, seed, &err);
    if (sim == NULL)
        fail_msg("sim: %s", err.msg);
    rep = cs_report_create(dir, sim, &err);
    assert_non_null(rep);
    sim->report = rep;
    rc = cs_sim_run(sim);
    assert_true(cs_sim_check(sim));
    if (rc == 0)
        assert_int_equal(cs_report_commit(rep, sim, &err), 0);
    cs_report_destroy(rep);
    cs_sim_destroy(sim);
    return rc;
}

/* Load path (relative to the source tree) and run it into dir. */
static inline void tu_run_file(const char *path, uint64_t seed, const char *dir)
{
    struct cs_err err;
    struct cs_scenario *sc;

    cs_err_clear(&err);
    sc = cs_scenario_load(path, &err);
    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    assert_int_equal(tu_run_loaded(sc, seed, dir), 0);
    cs_scenario_destroy(sc);
}

/* Load a scenario from a string (manifest paths relative to the source
 * tree's scenarios/). NULL + err on failure. */
static inline struct cs_scenario *tu_load_string(const char *yaml,
                                                 struct cs_err *err)
{
    cs_err_clear(err);
    return cs_scenario_load_buffer("inline.yaml", yaml, strlen(yaml),
                                   "scenarios", err);
}

/* Whole file into a malloc'd NUL-terminated string. */
static inline char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

/* Run `ENV capsim ARGS` (the binary under test, $CAPSIM_BIN; ENV is ""
 * or "NAME=value ...") through the shell, capturing stdout and stderr into
 * out; returns the exit status. */
static inline int tu_capsim_env(const char *env, const char *args, char *out,
                                size_t n)
{
    const char *bin = getenv("CAPSIM_BIN");
    char cmd[4096];
    FILE *p;
    size_t len;
    int st;

    assert_non_null(bin);
    snprintf(cmd, sizeof(cmd), "%s '%s' %s 2>&1", env, bin, args);
    p = popen(cmd, "r");
    assert_non_null(p);
    len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    st = pclose(p);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/* A whole run's outputs, read back. */
struct tu_run {
    char *dir;
    struct tu_table tl, ev; /* timeline.csv, events.csv */
};

/* Load yaml (failing the test on an error, with its location), run it with
 * seed 1 into a fresh directory, and read its timeline and events. */
static inline void tu_run_yaml(struct tu_run *r, const char *yaml)
{
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);
    char p[600];

    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    r->dir = tu_tmpdir();
    assert_int_equal(tu_run_loaded(sc, 1, r->dir), 0);
    cs_scenario_destroy(sc);
    snprintf(p, sizeof(p), "%s/timeline.csv", r->dir);
    tu_read_csv(p, &r->tl);
    snprintf(p, sizeof(p), "%s/events.csv", r->dir);
    tu_read_csv(p, &r->ev);
}

static inline void tu_run_free(struct tu_run *r)
{
    tu_free_csv(&r->tl);
    tu_free_csv(&r->ev);
    tu_rmdir(r->dir);
    free(r->dir);
}

/* The rows of t (header included) as "a,b,c\n" lines, leaving out column
 * `skip` (SIZE_MAX: none); the caller frees. */
static inline char *tu_dump(const struct tu_table *t, size_t skip)
{
    size_t cap = 1024, n = 0;
    char *s = malloc(cap);

    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            const char *f = t->rows[r][c];
            size_t len = strlen(f);

            if (c == skip)
                continue;
            while (n + len + 2 >= cap)
                s = realloc(s, cap *= 2);
            memcpy(s + n, f, len);
            n += len;
            s[n++] = c + 1 == t->ncols ? '\n' : ',';
        }
    s[n] = '\0';
    return s;
}

/* Column `col` of workload wl's timeline row at time_s, as an integer
 * (fails the test when there is no such row). */
static inline long tu_tl_num(const struct tu_run *r, const char *time_s,
                             const char *wl, const char *col)
{
    const char *v = tu_at(&r->tl, time_s, wl, col);

    if (v == NULL)
        fail_msg("no timeline row at %s for %s", time_s, wl);
    return strtol(v, NULL, 10);
}

/* Run scenarios/NAME.yaml with its own seed into a fresh directory (*dir,
 * the caller frees it) and read its timeline, events and nodes. */
static inline void tu_run_shipped(const char *name, char **dir,
                                  struct tu_table *tl, struct tu_table *ev,
                                  struct tu_table *nodes)
{
    struct cs_err err;
    struct cs_scenario *sc;
    char p[600];

    snprintf(p, sizeof(p), "scenarios/%s.yaml", name);
    cs_err_clear(&err);
    sc = cs_scenario_load(p, &err);
    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    *dir = tu_tmpdir();
    assert_int_equal(tu_run_loaded(sc, sc->seed, *dir), 0);
    cs_scenario_destroy(sc);
    snprintf(p, sizeof(p), "%s/timeline.csv", *dir);
    tu_read_csv(p, tl);
    snprintf(p, sizeof(p), "%s/events.csv", *dir);
    tu_read_csv(p, ev);
    snprintf(p, sizeof(p), "%s/nodes.csv", *dir);
    tu_read_csv(p, nodes);
}

static inline int tu_capsim(const char *args, char *out, size_t n)
{
    return tu_capsim_env("", args, out, n);
}

#endif
