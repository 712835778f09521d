/*
 * expect_row.c - evaluate assertions against one row of a table (expect.h),
 * for `--where` over the rows of a sweep's results.csv.
 *
 * A row of results.csv holds a run's summary figures and nothing over
 * time, so only bare figures can be read from it: NAME is the cell of
 * column NAME and NAME[w] the cell of column "NAME[w]" (the parser keeps w
 * as the leaf's EX_K_ROW filter). Each leaf becomes a struct ex_value, as
 * the run-directory evaluator makes them, and ex_verdict() decides, so the
 * three-valued truth and the "actual" text are those of `capsim check`:
 * an empty or non-numeric cell is undefined and a comparison with it is
 * unknown, never true.
 *
 * Errors are per assertion and located in its text like the evaluator's:
 * the first offending leaf in source order is reported.
 *
 * Cost: O(leaves x ncols) per row (a linear search of the header per
 * leaf); no allocation for assertions of up to LOCAL_LEAVES leaves.
 */
#include "io/expect_int.h"

#include "io/csvread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCAL_LEAVES 16 /* leaves evaluated without malloc */
#define LIST_MAX 12     /* column names listed in "unknown figure" */

/* 1 if lf is a bare figure, NAME or NAME[w]. */
static int is_figure(const struct ex_leaf *lf)
{
    return lf->func == EX_F_REF &&
           (lf->nfilt == 0 || (lf->nfilt == 1 && lf->filt[0].key == EX_K_ROW));
}

/* 1 if col is the column lf names: "NAME", or "NAME[w]" with a filter. */
static int names(const struct ex_leaf *lf, const char *col)
{
    size_t n = strlen(lf->column), m;

    if (lf->nfilt == 0)
        return strcmp(col, lf->column) == 0;
    if (strncmp(col, lf->column, n) != 0 || col[n] != '[')
        return 0;
    col += n + 1;
    m = strlen(lf->filt[0].value);
    return strncmp(col, lf->filt[0].value, m) == 0 && col[m] == ']' &&
           col[m + 1] == '\0';
}

/* "unknown figure 'x' (figures: a, b, ...)", at most LIST_MAX names, cut
 * to the message size. */
static void unknown(const struct cs_expect *e, const struct ex_leaf *lf,
                    const char *const *cols, size_t ncols,
                    struct cs_expect_result *r)
{
    char msg[CS_ERR_MSG_MAX];
    size_t len, k;

    if (lf->nfilt == 0)
        len = (size_t)snprintf(msg, sizeof(msg), "unknown figure '%s'",
                               lf->column);
    else
        len = (size_t)snprintf(msg, sizeof(msg), "unknown figure '%s[%s]'",
                               lf->column, lf->filt[0].value);
    if (len >= sizeof(msg))
        len = sizeof(msg) - 1;
    for (k = 0; k < ncols && k < LIST_MAX; k++) {
        size_t need = strlen(cols[k]) + 2;

        if (len + need + sizeof(" (figures: , ...)") >= sizeof(msg))
            break;
        len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s",
                                k == 0 ? " (figures: " : ", ", cols[k]);
    }
    if (k > 0)
        snprintf(msg + len, sizeof(msg) - len, "%s",
                 k < ncols ? ", ...)" : ")");
    r->outcome = CS_EXPECT_ERROR;
    ex_error(e, &r->err, CS_EINVAL, lf->col_span.off, "%s", msg);
}

/* The value of leaf lf in the row into *v; 0, or -1 after making r an
 * ERROR. */
static int leaf_value(const struct cs_expect *e, const struct ex_leaf *lf,
                      const char *const *cols, const char *const *cells,
                      size_t ncols, struct ex_value *v,
                      struct cs_expect_result *r)
{
    const char *s;
    size_t c;

    memset(v, 0, sizeof(*v));
    if (!is_figure(lf)) {
        r->outcome = CS_EXPECT_ERROR;
        ex_error(e, &r->err, CS_EINVAL, lf->span.off,
                 "--where takes figures of results.csv, such as cost_usd or "
                 "latency_p95_ms[web]");
        return -1;
    }
    for (c = 0; c < ncols && !names(lf, cols[c]); c++)
        ;
    if (c == ncols) {
        unknown(e, lf, cols, ncols, r);
        return -1;
    }
    s = cells[c] != NULL ? cells[c] : "";
    if (s[0] == '\0')
        snprintf(v->why, sizeof(v->why), "empty cell");
    else if (cs_csv_number(s, &v->v) != 0)
        snprintf(v->why, sizeof(v->why), "not a number");
    else
        v->def = 1;
    return 0;
}

/* One assertion against the row; 0 or CS_ENOMEM. */
static int eval_one(const struct cs_expect *e, const char *const *cols,
                    const char *const *cells, size_t ncols,
                    struct cs_expect_result *r)
{
    struct ex_value local[LOCAL_LEAVES], *vals = local;
    size_t i;

    if (e->nleaf > LOCAL_LEAVES &&
        (vals = malloc(e->nleaf * sizeof(*vals))) == NULL)
        return CS_ENOMEM;
    for (i = 0; i < e->nleaf; i++)
        if (leaf_value(e, &e->leaf[i], cols, cells, ncols, &vals[i], r) < 0)
            break;
    if (i == e->nleaf)
        ex_verdict(e, vals, r);
    if (vals != local)
        free(vals);
    return 0;
}

int cs_expect_eval_row(struct cs_expect *const *e, size_t n,
                       const char *const *cols, const char *const *cells,
                       size_t ncols, struct cs_expect_result *results)
{
    for (size_t i = 0; i < n; i++) {
        struct cs_expect_result *r = &results[i];

        r->outcome = CS_EXPECT_PASS;
        r->actual[0] = '\0';
        cs_err_clear(&r->err);
        if (eval_one(e[i], cols, cells, ncols, r) < 0)
            return CS_ENOMEM;
    }
    return 0;
}
