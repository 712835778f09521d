/*
 * diff_int.h - internals shared by diff.c (matching and comparing) and
 * diff_side.c (reading one side in blocks).
 *
 * A side keeps, in one byte arena, the rows of the current instant (its
 * "block", rows [0, nblock)) plus one look-ahead row, the first of the next
 * instant. cs_diff_side_fill reads a block after the look-ahead;
 * cs_diff_side_drop forgets it and moves the look-ahead to row 0.
 * Ownership: a side owns its reader, header names and arena.
 */
#ifndef CS_IO_DIFF_INT_H
#define CS_IO_DIFF_INT_H

#include "core/err.h"

#include <stddef.h>

struct cs_csv_reader;

#define NOROW ((size_t)-1)

struct rowinfo {
    int line;   /* in the file */
    double t;   /* s; 0 without time_s */
    size_t kid; /* key id; NOROW until first set */
};

struct cs_diff_side {
    const char *path;
    struct cs_csv_reader *r;
    char **name; /* owned; header */
    size_t ncols;
    int tcol, kcol; /* time_s / key column, -1 if none */
    /* arena: block rows [0, nblock), then the look-ahead if has_next */
    char *bytes;
    size_t nbytes, bytes_cap;
    size_t *off;         /* ncols offsets into bytes per row */
    struct rowinfo *row; /* per row; kid outlives the block as a cache */
    size_t nrows, rows_cap, nblock;
    int has_next;
};

/* Open path and read its header; 0 or CS_E* with err filled. */
int cs_diff_side_open(struct cs_diff_side *s, const char *path,
                      struct cs_err *err);
void cs_diff_side_fini(struct cs_diff_side *s);

/* Read the next row into the arena (priming the look-ahead): 1, 0 at the
 * end of the file, or CS_E*. */
int cs_diff_side_read(struct cs_diff_side *s, struct cs_err *err);

/* Read rows until the look-ahead row (row 0) has company of a later time
 * or the file ends: rows [0, nblock) are one instant. 0 or CS_E*. */
int cs_diff_side_fill(struct cs_diff_side *s, struct cs_err *err);

/* Forget the block; the look-ahead (if any) becomes row 0. */
void cs_diff_side_drop(struct cs_diff_side *s);

/* Text of a cell of a row in the arena. */
static inline const char *cs_diff_cell(const struct cs_diff_side *s, size_t row,
                                       size_t col)
{
    return s->bytes + s->off[row * s->ncols + col];
}

/* Grow *p (elements of size bytes) to hold need; 0 or -1 (unchanged). */
int cs_diff_grow(void **p, size_t *cap, size_t need, size_t size);

#endif
