/*
 * sweep_choose.c - what `capsim sweep` and `capsim merge` do with a
 * finished results table: rank the runs against constraints and an
 * objective, print the best ones, and draw the cost/latency trade-off with
 * its Pareto front (io/results.h has the semantics).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "io/expect.h"
#include "io/plot.h"
#include "io/quantity.h"
#include "io/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TOP 10

/* Figures shown after the axes when --show is not given. */
static const char *const default_show[] = {"latency_p95_ms", "time_over_slo_s",
                                           "peak_replicas", "cost_usd"};

int cs_cli_choose_opt(struct cs_cli_choose *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    int64_t n;

    if (strcmp(a, "--where") == 0 || strcmp(a, "--minimize") == 0 ||
        strcmp(a, "--maximize") == 0 || strcmp(a, "--top") == 0 ||
        strcmp(a, "--show") == 0 || strcmp(a, "--format") == 0 ||
        strcmp(a, "--pareto") == 0) {
        if (v == NULL || v[0] == '\0') {
            fprintf(stderr, "capsim: %s needs a value\n", a);
            return -1;
        }
        ++*i;
    }
    if (strcmp(a, "--where") == 0) {
        c->where = v;
    } else if (strcmp(a, "--minimize") == 0 || strcmp(a, "--maximize") == 0) {
        if (c->objective != NULL) {
            fputs("capsim: one --minimize or --maximize\n", stderr);
            return -1;
        }
        c->objective = v;
        c->maximize = a[3] == 'a';
    } else if (strcmp(a, "--top") == 0) {
        if (cs_cli_parse_count(a, v, 1000000, &n) < 0)
            return -1;
        c->top = (size_t)n;
    } else if (strcmp(a, "--show") == 0) {
        c->show = v;
    } else if (strcmp(a, "--format") == 0) {
        if (strcmp(v, "md") != 0 && strcmp(v, "csv") != 0) {
            fprintf(stderr, "capsim: --format is md or csv, got '%s'\n", v);
            return -1;
        }
        c->csv = v[0] == 'c';
    } else if (strcmp(a, "--plot") == 0) {
        c->plot = 1;
    } else if (strcmp(a, "--pareto") == 0) {
        const char *comma = strchr(v, ',');

        if (comma == NULL || comma == v || comma[1] == '\0' ||
            strchr(comma + 1, ',') != NULL ||
            (size_t)(comma - v) >= sizeof(c->plot_x)) {
            fprintf(stderr,
                    "capsim: --pareto needs X,Y (two figures), got "
                    "'%s'\n",
                    v);
            return -1;
        }
        snprintf(c->plot_x, sizeof(c->plot_x), "%.*s", (int)(comma - v), v);
        snprintf(c->plot_y, sizeof(c->plot_y), "%s", comma + 1);
        c->plot = 1;
    } else {
        return 0;
    }
    return 1;
}

/* Append name to cols[0..*n) unless it is there or cols is full. */
static void add_col(const char **cols, size_t *n, size_t cap, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(cols[i], name) == 0)
            return;
    if (*n < cap)
        cols[(*n)++] = name;
}

/* The columns to print: run, the axes, the objective, then --show's list
 * (or the default figures), each once. *names gets a malloc'd copy of
 * --show. */
static size_t show_columns(const struct cs_cli_choose *c,
                           const struct cs_results *r, const char **cols,
                           size_t cap, char **names)
{
    size_t n = 0;

    *names = NULL;
    for (size_t i = 0; i < r->ncols && n < cap; i++) {
        if (strcmp(r->cols[i], "error") == 0)
            break; /* run, replication, seed, axes come first */
        if (strcmp(r->cols[i], "replication") != 0 &&
            strcmp(r->cols[i], "seed") != 0)
            cols[n++] = r->cols[i];
    }
    if (c->objective != NULL)
        add_col(cols, &n, cap, c->objective);
    if (c->show != NULL && (*names = strdup(c->show)) != NULL) {
        for (char *p = *names; p != NULL;) {
            char *comma = strchr(p, ',');

            if (comma != NULL)
                *comma = '\0';
            if (*p != '\0')
                add_col(cols, &n, cap, p);
            p = comma ? comma + 1 : NULL;
        }
        return n;
    }
    for (size_t i = 0; i < sizeof(default_show) / sizeof(*default_show); i++)
        add_col(cols, &n, cap, default_show[i]);
    return n;
}

/* Rank and print the best rows. Returns the qualifying rows in *order
 * (malloc'd, *n of them) or an exit status > 0. */
static int rank(const struct cs_cli_choose *c, const struct cs_results *r,
                size_t **order, size_t *n)
{
    struct cs_expect *where = NULL;
    struct cs_rank_opts ro;
    struct cs_err err;
    int rc;

    cs_err_clear(&err);
    if (c->where != NULL &&
        cs_expect_parse(c->where, "--where", 1, 1, &where, &err) < 0) {
        cs_cli_print_err(&err);
        return CS_EXIT_USAGE;
    }
    *order = malloc((r->nrows ? r->nrows : 1) * sizeof(**order));
    if (*order == NULL) {
        cs_expect_destroy(where);
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_FAIL;
    }
    ro.where = where;
    ro.objective = c->objective;
    ro.maximize = c->maximize;
    rc = cs_results_rank(r, &ro, *order, n, &err);
    cs_expect_destroy(where);
    if (rc < 0) {
        cs_cli_print_err(&err);
        free(*order);
        *order = NULL;
        return CS_EXIT_USAGE;
    }
    return 0;
}

static int plot(const struct cs_cli_choose *c, const struct cs_results *r,
                const size_t *rows, size_t n, const char *dir, int quiet)
{
    const char *x = c->plot_x[0] ? c->plot_x : "latency_p95_ms";
    const char *y = c->plot_y[0] ? c->plot_y : "cost_usd";
    int *front = calloc(n ? n : 1, sizeof(*front));
    struct cs_plot_opts po;
    struct cs_err err;
    int rc;

    if (front == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_FAIL;
    }
    cs_err_clear(&err);
    rc = cs_results_pareto(r, rows, n, x, y, front, &err);
    if (rc == 0)
        rc = cs_results_pareto_write(r, rows, n, x, y, front, r->sweep, dir,
                                     &err);
    free(front);
    if (rc < 0) {
        cs_cli_print_err(&err);
        return rc == CS_EINVAL ? CS_EXIT_USAGE : CS_EXIT_FAIL;
    }
    cs_plot_opts_init(&po);
    po.script = "pareto.gp";
    rc = cs_plot_render(dir, &po, &err);
    if (rc == CS_PLOT_NO_GNUPLOT) {
        char buf[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

        cs_err_format(&err, buf, sizeof(buf));
        fprintf(stderr, "capsim: warning: %s\n", buf);
        return 0;
    }
    if (rc < 0) {
        cs_cli_print_err(&err);
        return CS_EXIT_FAIL;
    }
    if (!quiet)
        printf("pareto plot: %s/pareto.png %s/pareto.svg (%s against %s)\n",
               dir, dir, y, x);
    return 0;
}

int cs_cli_choose(const struct cs_cli_choose *c, const struct cs_results *r,
                  const char *dir, int quiet)
{
    const char *cols[64];
    size_t *order = NULL, n = 0, ncols, top;
    char *names;
    int rc;

    if (c->where == NULL && c->objective == NULL && !c->plot)
        return 0;
    if ((rc = rank(c, r, &order, &n)) != 0)
        return rc;
    if (c->where != NULL || c->objective != NULL) {
        top = c->top ? c->top : DEFAULT_TOP;
        ncols = show_columns(c, r, cols, sizeof(cols) / sizeof(*cols), &names);
        printf("%zu of %zu runs", n, r->nrows);
        if (c->where != NULL)
            printf(" meet %s", c->where);
        printf("; %s %zu", n > top ? "best" : "all", n > top ? top : n);
        if (c->objective != NULL)
            printf(" by %s %s", c->maximize ? "largest" : "smallest",
                   c->objective);
        fputs(":\n\n", stdout);
        if (n > 0)
            cs_results_print(r, order, n > top ? top : n, cols, ncols, !c->csv,
                             stdout);
        free(names);
    }
    if (c->plot)
        rc = plot(c, r, order, n, dir, quiet);
    free(order);
    return rc;
}
