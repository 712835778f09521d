/*
 * diff.h - compare two capsim runs (or two CSV files) cell by cell, with
 * tolerances, for golden-file regression tests (`capsim diff`,
 * docs/diff.md).
 *
 * Rows are matched by key: time_s (when the header has it) plus the first
 * column named `workload`, `pool` or `node` (when it has one); a key that
 * appears n times at one instant is matched by occurrence. Both files are
 * read once, in lockstep, one instant at a time, so memory is that of one
 * instant's rows plus a small state per (key, column), never a whole
 * timeline. A file without time_s is one instant (summary.csv: one row per
 * workload) and is read whole.
 *
 * Two cells are equal when their texts are equal, or both are numbers with
 * |a-b| <= atol + rtol * max(|a|,|b|). An empty cell (undefined) equals only
 * an empty cell; other non-numeric text equals only the same text.
 *
 * Differences are reported through a callback as struct cs_diff records,
 * one per coalesced group: the unequal samples of one (file, column, key)
 * run back to back until an equal sample closes the range; rows of a key
 * found in only one file coalesce the same way. A range is reported when it
 * closes (an equal sample, or the end of the files), so records come in the
 * order their ranges end; at the end of a file the open ranges follow in
 * key order (first appearance), rows before columns, columns in A's order.
 *
 * Ownership: the library keeps no pointer the caller passed in beyond the
 * call (struct cs_diff_opts only borrows its arrays and strings); a
 * struct cs_diff and its strings are valid only during the callback.
 */
#ifndef CS_IO_DIFF_H
#define CS_IO_DIFF_H

#include <stddef.h>

#include "core/err.h"

/* Tolerance of one column; a part not set falls back to the default. */
struct cs_diff_coltol {
    const char *column; /* borrowed */
    double atol;        /* absolute, in the column's unit, >= 0 */
    double rtol;        /* relative (1 = 100 %), >= 0 */
    int has_atol;       /* atol set for this column */
    int has_rtol;       /* rtol set for this column */
};

/* All zero ({0}): exact comparison of every column. */
struct cs_diff_opts {
    double atol;                      /* default absolute tolerance, >= 0 */
    double rtol;                      /* default relative tolerance, >= 0 */
    const struct cs_diff_coltol *tol; /* borrowed; per-column overrides */
    size_t ntol;
    const char *const *only; /* borrowed; compare only these; nonly 0: all */
    size_t nonly;
};

enum cs_diff_kind {
    CS_DIFF_VALUES,        /* cells of one column and key differ */
    CS_DIFF_ROWS_ONLY_A,   /* rows of a key only in A */
    CS_DIFF_ROWS_ONLY_B,   /* rows of a key only in B */
    CS_DIFF_COLUMN_ONLY_A, /* a column only A's header has */
    CS_DIFF_COLUMN_ONLY_B, /* a column only B's header has */
    CS_DIFF_FILE_ONLY_A,   /* a run file (nodes.csv) only run A has */
    CS_DIFF_FILE_ONLY_B    /* ... only run B has */
};

struct cs_diff {
    enum cs_diff_kind kind;
    const char *file;     /* label: the file's base name */
    const char *column;   /* VALUES, COLUMN_ONLY_*; else NULL */
    const char *key_name; /* "workload", "pool", "node"; NULL: no key col */
    const char *key;      /* the key's value; NULL when no key column */
    int occurrence;       /* 0: first row with this key at its instant */
    int has_time;         /* the file has time_s; else t* are 0 */
    double t_first;       /* s; first sample (row) of the range */
    double t_last;        /* s; last sample (row) of the range */
    long nsamples;        /* samples (VALUES) or rows (ROWS_ONLY_*) */
    /* VALUES: the worst sample of the range; a cell that is not a number
     * (undefined or text) is worse than any numeric difference */
    double worst_t;      /* s */
    double worst_abs;    /* |a-b|; INFINITY when not both numbers */
    const char *worst_a; /* A's cell text ("" = undefined), cut to 40 bytes */
    const char *worst_b; /* B's cell text */
};

/* Called for each difference; d is valid during the call only. */
typedef void (*cs_diff_fn)(const struct cs_diff *d, void *ctx);

struct cs_diff_totals {
    long differences; /* records reported */
    long columns;     /* distinct (file, column) with VALUES or COLUMN_* */
    long samples;     /* unequal cells */
    long rows_only;   /* rows found in only one file */
    long files;       /* file pairs compared */
};

/* Compare A and B, each a run directory or a CSV file: two directories
 * compare timeline.csv, summary.csv and nodes.csv (when either run has
 * it); a directory and a file compare the file with the directory's file
 * of the same name; two files are compared with each other. Every header
 * is read before the first row, so a column named in `o` that no compared
 * file has is CS_ENOENT before any record is reported. fn may be NULL.
 * *tot is zeroed, then counts what was reported.
 * Returns 0 (whether or not the runs differ), or CS_EIO (unreadable),
 * CS_EPARSE (malformed CSV, bad time_s, rows out of time order,
 * incompatible keys), CS_ELIMIT, CS_ENOENT, CS_ENOMEM with err filled
 * (FILE:LINE:COL where there is one); records reported before an error
 * stay reported. Cost: one pass over each file, O(1) per cell. */
int cs_diff_paths(const char *a, const char *b, const struct cs_diff_opts *o,
                  cs_diff_fn fn, void *ctx, struct cs_diff_totals *tot,
                  struct cs_err *err);

/* One record as a line without "\n", e.g.
 *   timeline.csv: replicas, workload web: differs from 30 s to 45 s
 *   (2 samples), max |diff| 1 at 30 s (A 3, B 2)
 * (one line). Writes at most n bytes with the NUL; returns the full length
 * (snprintf rules). The shapes are listed in docs/diff.md. */
int cs_diff_format(const struct cs_diff *d, char *buf, size_t n);

/* The closing line without "\n": "no differences (tolerance: exact)" or
 * "3 differences in 2 columns, 4 rows in only one run (tolerance: rtol
 * 0.05, replicas atol 1)". snprintf rules. */
int cs_diff_format_totals(const struct cs_diff_totals *t,
                          const struct cs_diff_opts *o, char *buf, size_t n);

/* Seconds as "30 s", "7.5 s" below a minute, else "2m", "2m30s", "1h2m",
 * "1h0m5s" (zero components at the end dropped), to the millisecond.
 * snprintf rules. */
int cs_diff_format_time(double s, char *buf, size_t n);

#endif
