/*
 * plot_int.h - internals of the plot module, shared by plot.c (reading the
 * run directory), plot_script.c (templates to plot.gp) and plot_render.c
 * (running gnuplot). Not part of the library's interface.
 *
 * A plan is what cs_plot_write() learns from a run directory before it
 * writes anything: the workloads and which of them to draw, each one's
 * HPA CPU target and SLO, the time range, the largest and smallest value
 * of each plotted column (to size the axes; a cumulative count such as
 * oom_kills grew when they differ), and the node pools.
 *
 * Ownership: a plan owns all its strings and arrays; plan_free() releases
 * them. Templates are static data generated at build time.
 */
#ifndef CS_IO_PLOT_INT_H
#define CS_IO_PLOT_INT_H

#include "core/err.h"
#include "io/outbuf.h"
#include "io/plot.h"

#include <stddef.h>

/* One embedded template, plots/<name> (cmake/embed_plots.cmake). */
struct cs_plot_tmpl {
    const char *name; /* "header.gp"; NULL ends the table */
    const char *text; /* len bytes, NUL-terminated */
    size_t len;       /* bytes */
};

/* Every template, in file-name order, ending with a {NULL} entry. */
extern const struct cs_plot_tmpl cs_plot_tmpls[];

/* The timeline.csv columns the figures use. */
enum cs_plot_col {
    CS_PLOT_RPS,
    CS_PLOT_READY,
    CS_PLOT_DESIRED,
    CS_PLOT_DEMAND,
    CS_PLOT_PENDING,
    CS_PLOT_CPU,
    CS_PLOT_LATENCY,
    CS_PLOT_DROPPED,
    CS_PLOT_CPU_REQUEST, /* pod_cpu_request_m: mean over live pods */
    CS_PLOT_MEM_REQUEST, /* pod_memory_request_bytes */
    CS_PLOT_VPA_CPU,     /* vpa_cpu_target_m: empty without a VPA */
    CS_PLOT_VPA_MEM,     /* vpa_memory_target_bytes */
    CS_PLOT_OOM,         /* oom_kills: cumulative */
    CS_PLOT_NCOLS
};

#define CS_PLOT_STEM_MAX 112 /* bytes of a file stem, with its NUL */

struct cs_plot_wl {
    char *name;                        /* owned; as in timeline.csv */
    char stem[CS_PLOT_STEM_MAX];       /* "plot-<name>", unique; drawn ones */
    double target_pct;                 /* HPA CPU target (%); NaN unknown */
    double slo_ms;                     /* p95 latency objective; NaN unknown */
    double max[CS_PLOT_NCOLS];         /* largest value in its rows */
    double min[CS_PLOT_NCOLS];         /* smallest value in its rows */
    unsigned char seen[CS_PLOT_NCOLS]; /* 1: the column has a value */
};

struct cs_plot_plan {
    char *title; /* owned; figure titles' first part */
    int width_px, height_px;

    /* timeline.csv */
    int col[CS_PLOT_NCOLS]; /* column index; -1 absent */
    double tmin, tmax;      /* first and last time_s (s) */
    struct cs_plot_wl *wl;  /* owned; every workload, in order of rows */
    size_t nwl, wl_cap;
    size_t *sel; /* owned; indices into wl of the drawn ones */
    size_t nsel;
    size_t omitted;     /* workloads left out by max_workloads */
    size_t unplottable; /* left out: names gnuplot cannot match */

    /* nodes.csv (has_nodes 0: absent) */
    int has_nodes;
    char **pools; /* owned; pool names, in order of rows */
    size_t npools, pools_cap;
    int nodes_seen, cost_seen;
    double nodes_max, cost_max; /* cost_max: the largest pool total (USD) */
};

/* Read run_dir into p (zeroed first). 0, or CS_EINVAL (bad input) /
 * CS_ENOMEM with err filled and p released. */
int cs_plot_plan_read(struct cs_plot_plan *p, const char *run_dir,
                      const struct cs_plot_opts *o, struct cs_err *err);

/* Release what p owns; p may be read into again. */
void cs_plot_plan_free(struct cs_plot_plan *p);

/* Append the whole plot.gp for p to out. 0, or CS_EINVAL (a template is
 * broken: err names it and the line) / CS_ENOMEM. */
int cs_plot_script(struct cs_outbuf *out, const struct cs_plot_plan *p,
                   struct cs_err *err);

/* Template variables: name -> value, for cs_plot_expand(). */
#define CS_PLOT_VARS_MAX 64

struct cs_plot_vars {
    size_t n;
    const char *name[CS_PLOT_VARS_MAX]; /* static strings */
    char *value[CS_PLOT_VARS_MAX];      /* owned */
    int oom;                            /* a set failed: CS_ENOMEM */
};

/* Set (or replace) name to the printf-formatted value; failures are
 * sticky in v->oom. */
void cs_plot_vars_set(struct cs_plot_vars *v, const char *name, const char *fmt,
                      ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Free the values; v is empty afterwards. */
void cs_plot_vars_fini(struct cs_plot_vars *v);

/* Append template `name` to out with its directives applied and its
 * @VARIABLES@ replaced (the syntax is in plots/README.md). 0, or
 * CS_EINVAL with err naming plots/NAME:LINE (unknown template, variable or
 * directive, unbalanced #@if, a #@endplot with no plot item before it) /
 * CS_ENOMEM. */
int cs_plot_expand(struct cs_outbuf *out, const char *name,
                   const struct cs_plot_vars *v, struct cs_err *err);

#endif
