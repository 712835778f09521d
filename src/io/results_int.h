/*
 * results_int.h - what results.c and results_rank.c share.
 */
#ifndef CS_IO_RESULTS_INT_H
#define CS_IO_RESULTS_INT_H

#include <stddef.h>

#include "io/results.h"

/* Cell c of row i ("" when empty). */
static inline const char *res_cell(const struct cs_results *r, size_t i,
                                   size_t c)
{
    return r->cells[i * r->ncols + c];
}

/* Index of the column called name, or -1. O(ncols). */
long res_col(const struct cs_results *r, const char *name);

#endif
