/*
 * diff_side.c - one side of `capsim diff`: a CSV file read in blocks of
 * rows that share one time_s, plus a look-ahead row (see diff_int.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "io/diff_int.h"

#include "io/csvread.h"

#include <stdlib.h>
#include <string.h>

static const char *const key_names[] = {"workload", "pool", "node"};

static int oom(struct cs_err *err)
{
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

int cs_diff_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    q = realloc(*p, c * size);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* 1-based byte column of field k (exact when earlier fields are bare). */
static int field_col(const struct cs_csv_row *row, size_t k)
{
    size_t c = 1;

    for (size_t i = 0; i < k; i++)
        c += row->len[i] + 1;
    return (int)c;
}

int cs_diff_side_open(struct cs_diff_side *s, const char *path,
                      struct cs_err *err)
{
    struct cs_csv_row row;
    int rc;

    s->path = path;
    s->tcol = s->kcol = -1;
    if ((s->r = cs_csv_open(path, err)) == NULL)
        return CS_EIO; /* err says why */
    if ((rc = cs_csv_next(s->r, &row, err)) <= 0)
        return rc < 0 ? rc
                      : cs_err_set(err, CS_EPARSE, path, 0, 0,
                                   "empty file: no header row");
    if ((s->name = calloc(row.nfields, sizeof(char *))) == NULL)
        return oom(err);
    s->ncols = row.nfields;
    for (size_t i = 0; i < row.nfields; i++) {
        if ((s->name[i] = strdup(row.field[i])) == NULL)
            return oom(err);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->name[j], s->name[i]) == 0)
                return cs_err_set(err, CS_EPARSE, path, row.line,
                                  field_col(&row, i), "duplicate column '%s'",
                                  s->name[i]);
    }
    s->tcol = cs_csv_find(&row, "time_s");
    for (size_t i = 0; i < row.nfields && s->kcol < 0; i++)
        for (size_t k = 0; k < sizeof(key_names) / sizeof(key_names[0]); k++)
            if (strcmp(s->name[i], key_names[k]) == 0)
                s->kcol = (int)i;
    return 0;
}

void cs_diff_side_fini(struct cs_diff_side *s)
{
    cs_csv_close(s->r);
    for (size_t i = 0; s->name && i < s->ncols; i++)
        free(s->name[i]);
    free(s->name);
    free(s->bytes);
    free(s->off);
    free(s->row);
}

/* Room for one more row in the arena's row arrays. */
static int side_room(struct cs_diff_side *s)
{
    size_t cap = s->rows_cap ? s->rows_cap * 2 : 64;
    void *q;

    if (s->nrows < s->rows_cap)
        return 0;
    if ((q = realloc(s->row, cap * sizeof(*s->row))) == NULL)
        return -1;
    s->row = q;
    for (size_t i = s->rows_cap; i < cap; i++)
        s->row[i].kid = NOROW;
    if ((q = realloc(s->off, cap * s->ncols * sizeof(size_t))) == NULL)
        return -1;
    s->off = q;
    s->rows_cap = cap;
    return 0;
}

/* Read the next row into the arena: 1, 0 at the end, or < 0. */
int cs_diff_side_read(struct cs_diff_side *s, struct cs_err *err)
{
    struct cs_csv_row row;
    size_t n = s->nrows, need = 0;
    int rc = cs_csv_next(s->r, &row, err);

    if (rc <= 0)
        return rc;
    if (row.nfields != s->ncols)
        return cs_err_set(err, CS_EPARSE, s->path, row.line, 1,
                          "row has %zu fields, the header has %zu", row.nfields,
                          s->ncols);
    if (side_room(s) < 0)
        return oom(err);
    for (size_t i = 0; i < row.nfields; i++)
        need += row.len[i] + 1;
    if (cs_diff_grow((void **)&s->bytes, &s->bytes_cap, s->nbytes + need, 1))
        return oom(err);
    for (size_t i = 0; i < row.nfields; i++) {
        s->off[n * s->ncols + i] = s->nbytes;
        memcpy(s->bytes + s->nbytes, row.field[i], row.len[i] + 1);
        s->nbytes += row.len[i] + 1;
    }
    s->row[n].line = row.line;
    s->row[n].t = 0;
    if (s->tcol >= 0 && cs_csv_number(row.field[s->tcol], &s->row[n].t) < 0)
        return cs_err_set(err, CS_EPARSE, s->path, row.line,
                          field_col(&row, (size_t)s->tcol),
                          "time_s is not a number: '%s'", row.field[s->tcol]);
    s->nrows++;
    return 1;
}

/* Read rows until the look-ahead row (row 0) has company of a later time
 * or the file ends: rows [0, nblock) are one instant. */
int cs_diff_side_fill(struct cs_diff_side *s, struct cs_err *err)
{
    int rc;

    s->nblock = 1;
    while ((rc = cs_diff_side_read(s, err)) == 1) {
        double t = s->row[s->nrows - 1].t;

        if (t > s->row[0].t)
            return 0;
        if (t < s->row[0].t)
            return cs_err_set(
                err, CS_EPARSE, s->path, s->row[s->nrows - 1].line, 1,
                "time_s %s comes after %s: rows must be sorted by time",
                cs_diff_cell(s, s->nrows - 1, (size_t)s->tcol),
                cs_diff_cell(s, 0, (size_t)s->tcol));
        s->nblock++;
    }
    s->has_next = 0;
    return rc;
}

/* Forget the block; the look-ahead (if any) becomes row 0. */
void cs_diff_side_drop(struct cs_diff_side *s)
{
    size_t base, k = s->nblock;

    if (k == 0)
        return;
    s->nblock = 0;
    if (!s->has_next) {
        s->nrows = s->nbytes = 0;
        return;
    }
    base = s->off[k * s->ncols];
    memmove(s->bytes, s->bytes + base, s->nbytes - base);
    s->nbytes -= base;
    for (size_t i = 0; i < s->ncols; i++)
        s->off[i] = s->off[k * s->ncols + i] - base;
    s->row[0].line = s->row[k].line;
    s->row[0].t = s->row[k].t;
    s->nrows = 1;
}
