/*
 * plot.h - figures of a run: a gnuplot script written into the run
 * directory, and gnuplot run on it.
 *
 * cs_plot_write() reads a run directory's CSV files (timeline.csv, and
 * summary.csv and nodes.csv when present) with the streaming reader, and
 * writes DIR/plot.gp: a gnuplot script that reads those CSV files itself and
 * draws, for each workload, plot-<workload>.png and plot-<workload>.svg
 * (stacked panels over one time axis: load and replicas, CPU utilization
 * against the HPA target, requests per pod against the VPA's targets with
 * OOM kills when the workload has a VPA, pending pods, latency p95 against
 * the SLO with dropped requests, and node pools with their cost when
 * nodes.csv exists; docs/plots.md). The script is built from the templates in
 * plots/, compiled into the library (plots/README.md), so nothing is read from
 * capsim's source tree at run time. cs_plot_render() runs gnuplot on it.
 *
 * `capsim plot` and `capsim run --plot` both call cs_plot_make(), which
 * does both steps and prints what a user needs to read:
 *
 *     struct cs_plot_opts po;
 *     cs_plot_opts_init(&po);
 *     po.title = scenario_name;
 *     rc = cs_plot_make(dir, &po, quiet ? NULL : stdout, &err);
 *     // rc == 0: done (a missing gnuplot is only a printed warning);
 *     // CS_EINVAL: bad input (exit 2); other CS_E*: failure (exit 1)
 *
 * Ownership: the caller owns every argument; nothing is kept after a call.
 * No global state.
 */
#ifndef CS_IO_PLOT_H
#define CS_IO_PLOT_H

#include "core/err.h"

#include <stddef.h>
#include <stdio.h>

#define CS_PLOT_SCRIPT "plot.gp"     /* the script's name in the run dir */
#define CS_PLOT_MAX_WORKLOADS 12     /* figures drawn by default */
#define CS_PLOT_ENV "CAPSIM_GNUPLOT" /* environment: the gnuplot to run */

/* cs_plot_render(): gnuplot was not found; plot.gp is there, not drawn. */
#define CS_PLOT_NO_GNUPLOT 1

struct cs_plot_opts {
    /* what to draw */
    const char *title;            /* figure titles' first part, e.g. the
                                     scenario name; NULL: the run
                                     directory's name */
    const char *const *workloads; /* draw these, in this order; NULL: every
                                     workload, in timeline.csv's order */
    size_t nworkloads;            /* entries in workloads */
    size_t max_workloads;         /* with workloads NULL, draw at most this
                                     many (0: CS_PLOT_MAX_WORKLOADS) */
    /* how */
    int width_px, height_px; /* figure size (PNG and SVG); 0: 1200 x
                                1400 */
    int no_render;           /* cs_plot_make: write plot.gp only */
    const char *script;      /* cs_plot_render: the script to run in the
                                directory; NULL: CS_PLOT_SCRIPT */
};

/* Defaults: every workload up to CS_PLOT_MAX_WORKLOADS, 1200 x 1400. */
void cs_plot_opts_init(struct cs_plot_opts *o);

/* Write run_dir/plot.gp (atomically: a failed call leaves any older plot.gp
 * untouched) for the workloads chosen by o (NULL: defaults). Reads the CSV
 * files once each, in memory bounded by a row plus the workloads' names.
 * Returns 0; CS_EINVAL with err filled when the input is bad (no such
 * directory, no or malformed timeline.csv / summary.csv / nodes.csv, an
 * unknown workload or one whose name gnuplot cannot match: a comma, a
 * double quote or a control character); CS_EIO / CS_ENOMEM when plot.gp
 * could not be written. */
int cs_plot_write(const char *run_dir, const struct cs_plot_opts *o,
                  struct cs_err *err);

/* Run gnuplot on run_dir/plot.gp, in run_dir, as a child process (no
 * shell), and wait for it. The program is $CAPSIM_GNUPLOT if set and not
 * empty (a path, or a name searched in PATH), else "gnuplot". gnuplot's
 * stdout and stderr are the caller's. Returns 0 when gnuplot exited with
 * status 0; CS_PLOT_NO_GNUPLOT when the program does not exist (err holds
 * the warning to show, saying how to install gnuplot); CS_EIO with err
 * filled when it could not be started, exited non-zero or was killed.
 * o may be NULL; o->script names another script of run_dir (the Pareto
 * plot of a sweep, io/results.h). */
int cs_plot_render(const char *run_dir, const struct cs_plot_opts *o,
                   struct cs_err *err);

/* cs_plot_write() then, unless o->no_render, cs_plot_render(). Prints to
 * stderr "capsim: note: ..." when workloads were left out (max_workloads,
 * or names gnuplot cannot match) and "capsim: warning: ..." when gnuplot is
 * missing, which is still a success; then to out (NULL: nowhere)
 *     plots: DIR/plot-W.png DIR/plot-W.svg ...      after a render
 *     plot script: DIR/plot.gp [(draw it with: cd 'DIR' && gnuplot plot.gp)]
 * Returns 0, or cs_plot_write()'s or cs_plot_render()'s error with err
 * filled: CS_EINVAL means bad input (exit status 2), anything else a
 * failure (exit status 1). plot.gp stays when gnuplot fails, to be fixed
 * and drawn by hand. */
int cs_plot_make(const char *run_dir, const struct cs_plot_opts *o, FILE *out,
                 struct cs_err *err);

/* Write into buf (size n, NUL-terminated, truncated to fit) the file name
 * stem capsim uses for workload `name`: "plot-" then name with every byte
 * outside [A-Za-z0-9._-] replaced by '_' and at most 100 bytes of it kept.
 * (Two workloads whose stems collide get "-2", "-3"... in plot.gp.) Returns
 * the length it would have had. */
size_t cs_plot_file_stem(const char *name, char *buf, size_t n);

#endif
