/*
 * results_rank.c - choosing among a sweep's runs (results.h): filter with
 * an assertion, rank by one figure, the Pareto front of two, and the
 * printed and plotted forms of the choice.
 *
 * Ranking. A row qualifies when its `error` cell (if the table has that
 * column) is empty, `where` is true on it (cs_expect_eval_row: an undefined
 * cell makes a comparison unknown, which never qualifies) and its objective
 * cell is a number. The qualifying rows are sorted by (value, run, row):
 * the order is total, so the same table always ranks the same way. `where`
 * is first checked once against an empty row, so a wrong name is refused
 * even by a table with no rows.
 *
 * Pareto front. Sorted by (x, y), a point is on the front iff its y is the
 * smallest of its x (ties included) and strictly below every y seen at a
 * smaller x: one pass after the sort, O(n log n). Identical points do not
 * dominate each other, so both are on the front.
 *
 * Plot. pareto.dat lists the front first, in x order, then the other
 * runs: the script draws the front as a line over the first F rows
 * (`every ::0::F-1`), so it needs no filtering inside gnuplot.
 */
#include "io/results.h"

#include "io/csvread.h"
#include "io/expect.h"
#include "io/ofile.h"
#include "io/outbuf.h"
#include "io/results_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARETO_DAT "pareto.dat"
#define PARETO_GP "pareto.gp"

static int oom(struct cs_err *err)
{
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- rank --------------------------------------------------------------- */

struct item {
    double v;        /* sort value (negated to maximise) */
    double y;        /* pareto: the second coordinate */
    size_t run, row; /* run number; index into the caller's array */
};

static int cmp_rank(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;

    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    if (a->run != b->run)
        return a->run < b->run ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* where on row i (NULL: an empty row): 1 true, 0 false or unknown, or
 * CS_EINVAL / CS_ENOMEM with err filled. */
static int where_row(const struct cs_results *r, const struct cs_expect *w,
                     const char *const *cells, struct cs_err *err)
{
    struct cs_expect *e = (struct cs_expect *)w; /* evaluation reads only */
    struct cs_expect_result res;

    if (cs_expect_eval_row(&e, 1, (const char *const *)r->cols, cells, r->ncols,
                           &res) < 0)
        return oom(err);
    if (res.outcome == CS_EXPECT_ERROR) {
        *err = res.err;
        return CS_EINVAL;
    }
    return res.outcome == CS_EXPECT_PASS;
}

/* Refuse a where that names what the table lacks, before any row. */
static int where_check(const struct cs_results *r, const struct cs_expect *w,
                       struct cs_err *err)
{
    const char **empty = malloc((r->ncols ? r->ncols : 1) * sizeof(*empty));
    int rc;

    if (empty == NULL)
        return oom(err);
    for (size_t c = 0; c < r->ncols; c++)
        empty[c] = "";
    rc = where_row(r, w, empty, err);
    free(empty);
    return rc < 0 ? rc : 0;
}

/* Row i qualifies: 1 with it->v set, 0 if not, or a negative CS_E*. */
static int qualify(const struct cs_results *r, const struct cs_rank_opts *o,
                   long ecol, long obj, size_t i, struct item *it,
                   struct cs_err *err)
{
    int rc;

    if (ecol >= 0 && res_cell(r, i, (size_t)ecol)[0] != '\0')
        return 0;
    if (o->where != NULL &&
        (rc = where_row(r, o->where,
                        (const char *const *)r->cells + i * r->ncols, err)) <=
            0)
        return rc;
    it->v = 0;
    if (obj >= 0) {
        if (cs_csv_number(res_cell(r, i, (size_t)obj), &it->v) != 0)
            return 0;
        if (o->maximize)
            it->v = -it->v;
    }
    it->run = r->run[i];
    it->row = i;
    return 1;
}

int cs_results_rank(const struct cs_results *r, const struct cs_rank_opts *o,
                    size_t *order, size_t *n, struct cs_err *err)
{
    long obj = -1, ecol = res_col(r, "error");
    struct item *it;
    size_t k = 0;
    int rc = 0;

    *n = 0;
    if (o->where != NULL && (rc = where_check(r, o->where, err)) < 0)
        return rc;
    if (o->objective != NULL && (obj = res_col(r, o->objective)) < 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "--%s: unknown figure '%s'",
                          o->maximize ? "maximize" : "minimize", o->objective);
    it = malloc((r->nrows ? r->nrows : 1) * sizeof(*it));
    if (it == NULL)
        return oom(err);
    for (size_t i = 0; i < r->nrows && rc >= 0; i++)
        if ((rc = qualify(r, o, ecol, obj, i, &it[k], err)) > 0)
            k++;
    if (rc >= 0) {
        qsort(it, k, sizeof(*it), cmp_rank);
        for (size_t i = 0; i < k; i++)
            order[i] = it[i].row;
        *n = k;
        rc = 0;
    }
    free(it);
    return rc;
}

/* ---- Pareto front ------------------------------------------------------- */

static int cmp_xy(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;

    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

/* Columns x and y, or CS_EINVAL naming the unknown one. */
static int xy_cols(const struct cs_results *r, const char *x, const char *y,
                   long *cx, long *cy, struct cs_err *err)
{
    *cx = res_col(r, x);
    *cy = res_col(r, y);
    if (*cx < 0 || *cy < 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "--pareto: unknown figure '%s'", *cx < 0 ? x : y);
    return 0;
}

/* The defined points of rows[0..n) sorted by (x, y, index), into pt;
 * returns their count. */
static size_t points(const struct cs_results *r, const size_t *rows, size_t n,
                     long cx, long cy, struct item *pt)
{
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        struct item *p = &pt[m];

        if (cs_csv_number(res_cell(r, rows[i], (size_t)cx), &p->v) != 0 ||
            cs_csv_number(res_cell(r, rows[i], (size_t)cy), &p->y) != 0)
            continue;
        p->run = r->run[rows[i]];
        p->row = i;
        m++;
    }
    qsort(pt, m, sizeof(*pt), cmp_xy);
    return m;
}

int cs_results_pareto(const struct cs_results *r, const size_t *rows, size_t n,
                      const char *x, const char *y, int *front,
                      struct cs_err *err)
{
    struct item *pt;
    double best = 0;
    size_t m, g, j;
    long cx, cy;
    int rc;

    if ((rc = xy_cols(r, x, y, &cx, &cy, err)) < 0)
        return rc;
    if ((pt = malloc((n ? n : 1) * sizeof(*pt))) == NULL)
        return oom(err);
    for (size_t i = 0; i < n; i++)
        front[i] = 0;
    m = points(r, rows, n, cx, cy, pt);
    for (g = 0; g < m; g = j) { /* pt[g..j): one x, y ascending */
        double gmin = pt[g].y;

        for (j = g; j < m && pt[j].v == pt[g].v; j++)
            if (pt[j].y == gmin && (g == 0 || gmin < best))
                front[pt[j].row] = 1;
        if (g == 0 || gmin < best)
            best = gmin;
    }
    free(pt);
    return 0;
}

/* ---- print -------------------------------------------------------------- */

/* A Markdown cell: '|' escaped, line breaks as spaces. */
static void md_cell(struct cs_outbuf *b, const char *s)
{
    cs_outbuf_puts(b, "| ");
    for (; *s != '\0'; s++) {
        if (*s == '|')
            cs_outbuf_putc(b, '\\');
        cs_outbuf_putc(b, *s == '\n' || *s == '\r' ? ' ' : *s);
    }
    cs_outbuf_putc(b, ' ');
}

/* One printed line: the column names (row SIZE_MAX) or row's cells;
 * idx[c] is column c's index in r, -1 for an unknown name. */
static void print_line(struct cs_outbuf *b, const struct cs_results *r,
                       size_t row, const char *const *cols, const long *idx,
                       size_t ncols, int md)
{
    for (size_t c = 0; c < ncols; c++) {
        const char *s = row == SIZE_MAX ? cols[c]
                        : idx[c] >= 0   ? res_cell(r, row, (size_t)idx[c])
                                        : "";

        if (md) {
            md_cell(b, s);
        } else {
            if (c > 0)
                cs_outbuf_putc(b, ',');
            cs_outbuf_csv_field(b, s);
        }
    }
    cs_outbuf_puts(b, md ? "|\n" : "\n");
}

void cs_results_print(const struct cs_results *r, const size_t *rows, size_t n,
                      const char *const *cols, size_t ncols, int md, FILE *out)
{
    long *idx = calloc(ncols ? ncols : 1, sizeof(*idx));
    struct cs_outbuf b;

    if (idx == NULL)
        return;
    for (size_t c = 0; c < ncols; c++)
        idx[c] = res_col(r, cols[c]);
    cs_outbuf_init(&b, 4096);
    print_line(&b, r, SIZE_MAX, cols, idx, ncols, md);
    for (size_t c = 0; md && c < ncols; c++)
        cs_outbuf_puts(&b, c + 1 < ncols ? "|---" : "|---|\n");
    for (size_t i = 0; i < n; i++) {
        print_line(&b, r, rows[i], cols, idx, ncols, md);
        if (b.len >= 65536 && b.err == 0) { /* bounded memory */
            fwrite(b.data, 1, b.len, out);
            cs_outbuf_reset(&b);
        }
    }
    if (b.err == 0)
        fwrite(b.data, 1, b.len, out);
    cs_outbuf_fini(&b);
    free(idx);
}

/* ---- pareto.dat and pareto.gp ------------------------------------------- */

/* s as a gnuplot single-quoted literal ('it''s'); control bytes become
 * spaces. */
static void gp_literal(struct cs_outbuf *b, const char *s)
{
    cs_outbuf_putc(b, '\'');
    for (; *s != '\0'; s++) {
        if (*s == '\'')
            cs_outbuf_putc(b, '\'');
        cs_outbuf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
    }
    cs_outbuf_putc(b, '\'');
}

/* pareto.dat: the front in x order, then the other runs; returns the
 * number of front rows. */
static size_t put_dat(struct cs_outbuf *b, const struct cs_results *r,
                      const size_t *rows, const struct item *pt, size_t m,
                      long cx, long cy, const int *front, const char *x,
                      const char *y)
{
    size_t nfront = 0;

    cs_outbuf_puts(b, "# x: ");
    cs_outbuf_puts(b, x);
    cs_outbuf_puts(b, "; y: ");
    cs_outbuf_puts(b, y);
    cs_outbuf_puts(b, "\n# x y on_front run\n");
    for (int pass = 1; pass >= 0; pass--)
        for (size_t k = 0; k < m; k++) {
            size_t i = pt[k].row, row = rows[i];

            if ((front[i] != 0) != pass)
                continue;
            nfront += (size_t)pass;
            cs_outbuf_puts(b, res_cell(r, row, (size_t)cx));
            cs_outbuf_putc(b, ' ');
            cs_outbuf_puts(b, res_cell(r, row, (size_t)cy));
            cs_outbuf_puts(b, pass ? " 1 " : " 0 ");
            cs_outbuf_int(b, (int64_t)pt[k].run);
            cs_outbuf_putc(b, '\n');
        }
    return nfront;
}

static void put_gp_head(struct cs_outbuf *b, const char *x, const char *y,
                        const char *title)
{
    cs_outbuf_puts(b,
                   "# pareto.gp - the Pareto front of a capsim sweep (both "
                   "axes minimised).\n"
                   "#\n"
                   "# Written by capsim; draw again with\n"
                   "#\n"
                   "#     cd THIS_DIRECTORY && gnuplot pareto.gp\n"
                   "#\n"
                   "# It reads pareto.dat (x y on_front run: the front first, "
                   "in x order)\n"
                   "# and draws pareto.png and pareto.svg.\n\n"
                   "set xlabel ");
    gp_literal(b, x);
    cs_outbuf_puts(b, "\nset ylabel ");
    gp_literal(b, y);
    cs_outbuf_puts(b, "\nset title ");
    gp_literal(b, title);
    cs_outbuf_puts(b, " font ',14'\n"
                      "set grid lc rgb '#e0e0e0' lt 1\n"
                      "set border 3 lc rgb '#404040'\n"
                      "set xtics nomirror out\n"
                      "set ytics nomirror out\n"
                      "set key top right\n"
                      "set offsets graph 0.05, graph 0.05, graph 0.05, "
                      "graph 0.05\n");
}

static void put_gp(struct cs_outbuf *b, const char *x, const char *y,
                   const char *title, size_t nfront)
{
    put_gp_head(b, x, y, title);
    cs_outbuf_puts(b, "nfront = ");
    cs_outbuf_int(b, (int64_t)nfront);
    cs_outbuf_puts(
        b,
        "  # the first nfront rows of pareto.dat are the front\n\n"
        "do for [fmt in 'png svg'] {\n"
        "    if (fmt eq 'png') {\n"
        "        set terminal pngcairo size 1000, 700 noenhanced "
        "font 'sans,11'\n"
        "    } else {\n"
        "        set terminal svg size 1000, 700 dynamic noenhanced \\\n"
        "            font 'sans,11' background '#ffffff'\n"
        "    }\n"
        "    set output 'pareto.' . fmt\n"
        "    if (nfront > 0) {\n"
        "        plot 'pareto.dat' using 1:2 with points pt 7 ps 0.8 \\\n"
        "                 lc rgb '#9e9e9e' title 'runs', \\\n"
        "             '' every ::0::(nfront - 1) using 1:2 \\\n"
        "                 with linespoints pt 7 ps 1.2 lw 2 \\\n"
        "                 lc rgb '#d62728' title 'Pareto front', \\\n"
        "             '' every ::0::(nfront - 1) using 1:2:4 with labels \\\n"
        "                 offset char 0.8, char 0.8 left notitle\n"
        "    } else {\n"
        "        set label 1 'no run has both figures' at graph 0.5, "
        "graph 0.5 center\n"
        "        set xrange [0:1]\n"
        "        set yrange [0:1]\n"
        "        plot NaN notitle\n"
        "    }\n"
        "    set output\n"
        "}\n");
}

int cs_results_pareto_write(const struct cs_results *r, const size_t *rows,
                            size_t n, const char *x, const char *y,
                            const int *front, const char *title,
                            const char *dir, struct cs_err *err)
{
    struct cs_ofile f[2];
    struct item *pt;
    size_t m, nfront;
    long cx, cy;
    int rc;

    if ((rc = xy_cols(r, x, y, &cx, &cy, err)) < 0)
        return rc;
    if ((pt = malloc((n ? n : 1) * sizeof(*pt))) == NULL)
        return oom(err);
    m = points(r, rows, n, cx, cy, pt);
    if ((rc = cs_ofile_open(&f[0], dir, PARETO_DAT, err)) < 0) {
        free(pt);
        return rc;
    }
    if ((rc = cs_ofile_open(&f[1], dir, PARETO_GP, err)) < 0) {
        cs_ofile_abort(&f[0]);
        free(pt);
        return rc;
    }
    nfront = put_dat(cs_ofile_buf(&f[0]), r, rows, pt, m, cx, cy, front, x, y);
    free(pt);
    put_gp(cs_ofile_buf(&f[1]), x, y, title != NULL ? title : "Pareto front",
           nfront);
    return cs_ofile_commit_all(f, 2, err);
}
