/*
 * cmd_plot.c - `capsim plot RUN_DIR`: write RUN_DIR/plot.gp and draw it
 * with gnuplot (src/io/plot.h does the work; docs/plots.md for users).
 *
 * Exit status: 0 the script was written (and drawn, or gnuplot is missing:
 * a warning), 1 writing it failed or gnuplot failed, 2 bad usage or input.
 */
#include "cli/cli.h"

#include "core/err.h"
#include "io/plot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char plot_usage[] =
    "usage: capsim plot RUN_DIR [--workload NAME]... [--title TEXT]\n"
    "                   [--no-render]\n"
    "\n"
    "Write RUN_DIR/plot.gp, a gnuplot script over the run's CSV files, and\n"
    "run gnuplot on it: one figure per workload, plot-WORKLOAD.png and\n"
    "plot-WORKLOAD.svg, with load and replicas, CPU utilization and the HPA\n"
    "target, pending pods, latency p95 and the SLO with dropped requests,\n"
    "and node pools with their cost when the run has nodes.csv.\n"
    "\n"
    "  --workload NAME   draw this workload (repeat for more); default: the\n"
    "                    first 12 workloads\n"
    "  --title TEXT      figure titles start with TEXT (default: the run\n"
    "                    directory's name)\n"
    "  --no-render       write plot.gp only\n"
    "\n"
    "gnuplot is $CAPSIM_GNUPLOT if set, else gnuplot in PATH; without it,\n"
    "plot.gp is written and a warning printed (exit status 0).\n";

struct plot_args {
    const char *dir;
    const char **workloads; /* owned array of argv's strings */
    size_t nworkloads;
    const char *title;
    int no_render;
};

/* An option's value: argv[++*i], or NULL with a message. */
static const char *value(int argc, char **argv, int *i, const char *what)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "capsim: plot: %s needs %s\n", argv[*i], what);
        return NULL;
    }
    return argv[++*i];
}

/* 0 to go on, 1 after --help, -1 on a usage error (message printed). */
static int parse_args(int argc, char **argv, struct plot_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];

        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            fputs(plot_usage, stdout);
            return 1;
        } else if (strcmp(s, "--workload") == 0) {
            if ((s = value(argc, argv, &i, "a workload name")) == NULL)
                return -1;
            a->workloads[a->nworkloads++] = s;
        } else if (strcmp(s, "--title") == 0) {
            if ((a->title = value(argc, argv, &i, "a title")) == NULL)
                return -1;
        } else if (strcmp(s, "--no-render") == 0) {
            a->no_render = 1;
        } else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "capsim: plot: unknown option '%s'\n", s);
            return -1;
        } else if (a->dir == NULL) {
            a->dir = s;
        } else {
            fprintf(stderr, "capsim: plot: one run directory at a time\n");
            return -1;
        }
    }
    if (a->dir == NULL) {
        fputs(plot_usage, stderr);
        return -1;
    }
    return 0;
}

int cs_cli_plot(int argc, char **argv)
{
    struct plot_args a = {0};
    struct cs_plot_opts po;
    struct cs_err err;
    int rc;

    a.workloads = malloc((size_t)(argc > 0 ? argc : 1) * sizeof(char *));
    if (a.workloads == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_FAIL;
    }
    rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        free(a.workloads);
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    }
    cs_plot_opts_init(&po);
    po.title = a.title;
    po.no_render = a.no_render;
    if (a.nworkloads > 0) {
        po.workloads = a.workloads;
        po.nworkloads = a.nworkloads;
    }
    cs_err_clear(&err);
    rc = cs_plot_make(a.dir, &po, stdout, &err);
    free(a.workloads);
    if (rc == 0)
        return CS_EXIT_OK;
    cs_cli_print_err(&err);
    return rc == CS_EINVAL ? CS_EXIT_USAGE : CS_EXIT_FAIL;
}
