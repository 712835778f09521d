/*
 * results.h - the results of a sweep: results.csv and sweep-info.csv, their
 * merge across shards, and choosing among the runs.
 *
 * A results table has one row per run, in run order, with the columns
 *
 *     run,replication,seed,<axis>...,error,<figure>...,<figure>[<wl>]...
 *
 * run (1-based run number), replication (1-based), seed (the run's seed),
 * one column per sweep axis (the value's label), error (empty when the run
 * succeeded, else the message; the figures are then empty), the figures of
 * summary.csv's `(all)` row under their own names (cost_usd,
 * latency_p95_ms...), then each workload's figures as `figure[workload]`
 * (latency_p95_ms[web]), the very names the assertion language uses for
 * summary figures (docs/expectations.md). Cells are summary.csv's text,
 * unchanged. The file is RFC 4180 CSV: a cell is quoted only when it holds
 * a comma, a double quote, CR or LF, so reading and writing a table again
 * gives the same bytes.
 *
 * sweep-info.csv, beside it, says which runs the table is meant to hold:
 *
 *     key,value
 *     sweep,feastflow-sweep
 *     fingerprint,9f0c1e2d3a4b5c6d     (cs_sweep_fingerprint, 16 hex digits)
 *     runs,96                          (runs of the whole sweep)
 *     shard,2/4                        (this table: runs with (run-1) % 4 == 1)
 *
 * A whole sweep is shard 1/1. Both files are written together, atomically
 * (io/ofile.h): either both appear complete or neither changes.
 *
 * Ownership: struct cs_results is caller-allocated (init/fini) and owns
 * every string in it; functions copy what they are given.
 */
#ifndef CS_IO_RESULTS_H
#define CS_IO_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

#define CS_RESULTS_FILE "results.csv"
#define CS_RESULTS_INFO "sweep-info.csv"

struct cs_results {
    /* what the table is */
    char *sweep;          /* sweep name */
    uint64_t fingerprint; /* of the sweep's runs */
    size_t runs;          /* runs of the whole sweep */
    size_t shard_k;       /* 1-based shard, 1..shard_n */
    size_t shard_n;       /* shards the sweep was cut into (1: whole) */
    /* the table */
    char **cols; /* ncols column names */
    size_t ncols;
    char **cells; /* nrows * ncols, row-major; "" for an empty cell */
    size_t *run;  /* nrows run numbers (the `run` column, parsed) */
    size_t nrows, caprows;
};

/* An empty table with the given identity and columns (copied). cols[0]
 * must be "run". Returns 0 or CS_ENOMEM (r left safe to fini). */
int cs_results_init(struct cs_results *r, const char *sweep,
                    uint64_t fingerprint, size_t runs, size_t shard_k,
                    size_t shard_n, const char *const *cols, size_t ncols);

/* Free everything; r is left zeroed. */
void cs_results_fini(struct cs_results *r);

/* Append a row: run number and ncols cells (copied; NULL reads as "").
 * The `run` cell is written from `run`, whatever cells[0] holds. Rows may
 * come in any order. Returns 0 or CS_ENOMEM. Amortised O(ncols). */
int cs_results_add(struct cs_results *r, size_t run, const char *const *cells);

/* Sort the rows by run number (ties keep their order). O(n log n). */
void cs_results_sort(struct cs_results *r);

/* Write dir/results.csv and dir/sweep-info.csv (dir created if missing),
 * rows in their current order, atomically as a pair. Returns 0 or CS_EIO /
 * CS_ENOMEM with err filled; older files are then untouched. */
int cs_results_write(const struct cs_results *r, const char *dir,
                     struct cs_err *err);

/* Read dir/results.csv and dir/sweep-info.csv into *r (uninitialised).
 * Errors (CS_EPARSE / CS_EIO / CS_ENOMEM, r left empty) name FILE:LINE:COL:
 * a missing file, a header without `run` first, a row whose field count
 * differs from the header's, a run that is not a number from 1 to runs, a
 * missing or malformed key of sweep-info.csv. */
int cs_results_read(struct cs_results *r, const char *dir, struct cs_err *err);

/* Join the shard tables parts[0..n) (read from dirs[0..n), named in
 * messages) into *out (uninitialised), rows sorted by run, as shard 1/1.
 * Refused with CS_EINVAL and err filled:
 *   "DIR: not the same sweep as DIR0 (fingerprint F, expected F0)"
 *     (also a different sweep name or run count)
 *   "DIR/results.csv: its columns differ from DIR0/results.csv's
 *    (column C is "X", expected "Y")"
 *   "run R is in both DIRA and DIRB"      (also twice within one DIR)
 *   "M of N runs are missing: 3, 7, 11 (and K more); merge every shard"
 * so a merge of all shards equals the single-machine table byte for byte.
 * O(total rows + runs). */
int cs_results_merge(const struct cs_results *parts, const char *const *dirs,
                     size_t n, struct cs_results *out, struct cs_err *err);

/* ---- choosing among runs ------------------------------------------------ */

struct cs_expect;

/* What to rank by. where may be NULL (every row); objective is a column
 * name such as "cost_usd" or "latency_p95_ms[web]". */
struct cs_rank_opts {
    const struct cs_expect *where; /* parsed by cs_expect_parse */
    const char *objective;         /* NULL: keep run order */
    int maximize;                  /* 0: smallest first */
};

/* The rows that satisfy where (true, not unknown) and have a defined
 * objective, best first (ties by run number), into order[0..*n) (room for
 * r->nrows). A row with an error never qualifies. Errors (CS_EINVAL, err
 * filled, located in the where text as cs_expect_parse's are): where
 * names a column the table lacks ("unknown figure 'x' (figures: ...)"),
 * or uses something other than figures (an aggregate, a time: "--where
 * takes figures of results.csv, such as cost_usd or
 * latency_p95_ms[web]"); the objective names no column ("--minimize:
 * unknown figure 'x'"). O(nrows log nrows). */
int cs_results_rank(const struct cs_results *r, const struct cs_rank_opts *o,
                    size_t *order, size_t *n, struct cs_err *err);

/* The Pareto front of rows[0..n) on columns x and y, both minimised: front[i]
 * is 1 when no other row of the set is at least as good on both and
 * better on one; rows whose x or y is undefined are never on it. Returns
 * 0 or CS_EINVAL when a column is unknown. O(n log n). */
int cs_results_pareto(const struct cs_results *r, const size_t *rows, size_t n,
                      const char *x, const char *y, int *front,
                      struct cs_err *err);

/* Print rows[0..n) as a Markdown table (md 1) or CSV (md 0) with the
 * columns cols[0..ncols) (unknown names print empty cells). */
void cs_results_print(const struct cs_results *r, const size_t *rows, size_t n,
                      const char *const *cols, size_t ncols, int md, FILE *out);

/* Write dir/pareto.dat (x y on_front run, one row per plotted run) and
 * dir/pareto.gp (a gnuplot script drawing pareto.png and pareto.svg: every
 * run as a point, the front as a line with its points marked and labelled
 * with their run numbers, axis titles x and y), atomically. The caller
 * renders it with cs_plot_render() (script "pareto.gp"). */
int cs_results_pareto_write(const struct cs_results *r, const size_t *rows,
                            size_t n, const char *x, const char *y,
                            const int *front, const char *title,
                            const char *dir, struct cs_err *err);

#endif
