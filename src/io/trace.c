/*
 * trace.c - reading and checking a recorded load trace (see trace.h).
 *
 * Design
 * ------
 * A trace is never loaded: struct trace_rows wraps the pull CSV reader
 * (csvread.h) and turns one row at a time into a point (t, v), validating
 * it on the way, so memory is one CSV row whatever the file's length.
 * cs_trace_check reads the file once through it and keeps only running
 * aggregates (first and last time, the last interval, min, max, a weighted
 * sum); every cursor (trace_cursor.c) reads it again through the same code,
 * so a file that changed between the two is caught by the same rules.
 *
 * Arrivals mode puts a bucketer between the rows and the curve: arrivals
 * are counted into buckets aligned at the window start, and each bucket
 * becomes one point (bucket start, count / width). A run of empty buckets
 * becomes one point of value 0, so a quiet night costs one point, not one
 * per bucket.
 *
 * Locations: a bad cell is reported at FILE:LINE:COL, COL being the byte
 * column where the cell starts. The CSV reader hands back field texts, not
 * their raw bytes, so the column is rebuilt from the texts of the cells
 * before it: a cell holding a comma, a quote or a line break must have been
 * quoted (two quote bytes, inner quotes doubled); a cell that was quoted
 * without needing it is counted unquoted, which puts the columns after it
 * two bytes early. Numeric traces do not quote.
 *
 * Invariants
 *  1. A point handed out has a finite time and a finite value >= 0; times
 *     are strictly increasing (arrivals: non-decreasing, and bucket starts
 *     strictly increasing).
 *  2. cs_trace_check leaves rows == -1 unless it returns 0, and open refuses
 *     such a spec.
 */
#include "io/trace.h"
#include "core/clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/quantity.h"
#include "io/trace_int.h"

#define NUM_MAX 32  /* a double printed by fmt_num, with its NUL */
#define CELL_MAX 40 /* bytes of a cell quoted in a message */

void cs_trace_spec_init(struct cs_trace_spec *s)
{
    memset(s, 0, sizeof(*s));
    s->bucket_s = 1.0;
    s->window_start_s = NAN;
    s->window_end_s = NAN;
    s->time_scale = 1.0;
    s->scale = 1.0;
    s->interp = CS_TRACE_LINEAR;
    s->rows = -1;
    s->first_s = s->last_s = s->data_end_s = NAN;
    s->win_start_s = s->win_end_s = NAN;
    s->min_value = s->max_value = s->mean_value = NAN;
}

/* The shortest of %.15g / %.17g that reads back as v ("120", "0.25"). */
static const char *fmt_num(char buf[NUM_MAX], double v)
{
    snprintf(buf, NUM_MAX, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, NUM_MAX, "%.17g", v);
    return buf;
}

/* A cell's text for a message: at most CELL_MAX bytes, then "...". */
static const char *fmt_cell(char buf[CELL_MAX + 4], const char *s)
{
    size_t n = strlen(s);

    if (n <= CELL_MAX)
        return s;
    memcpy(buf, s, CELL_MAX);
    memcpy(buf + CELL_MAX, "...", 4);
    return buf;
}

static const char *spec_name(const struct cs_trace_spec *s)
{
    return s->path != NULL ? s->path : "trace";
}

/* Line and byte column where field i of row starts (see the design note). */
static void cell_pos(const struct cs_csv_row *row, size_t i, int *line,
                     int *col)
{
    int l = row->line, c = 1;

    for (size_t j = 0; j < i && j < row->nfields; j++) {
        const char *f = row->field[j];
        int quoted = strpbrk(f, ",\"\r\n") != NULL;

        c += quoted;
        for (size_t k = 0; k < row->len[j]; k++) {
            if (f[k] == '\n') {
                l++;
                c = 1;
            } else {
                c += f[k] == '"' ? 2 : 1;
            }
        }
        c += quoted + 1; /* the closing quote, the comma */
    }
    *line = l;
    *col = c;
}

static int cell_err(struct trace_rows *r, const struct cs_csv_row *row,
                    size_t i, struct cs_err *err, const char *what,
                    const char *text, const char *why)
{
    char cb[CELL_MAX + 4];
    int line, col;

    cell_pos(row, i, &line, &col);
    return cs_err_set(err, CS_EPARSE, cs_csv_name(r->csv), line, col,
                      "%s \"%s\" %s", what, fmt_cell(cb, text), why);
}

/* ---- header ------------------------------------------------------------ */

/* Index of the header cell equal to name, ignoring a UTF-8 byte order mark
 * before the first cell (spreadsheets write one); -1 if none. */
static int find_col(const struct cs_csv_row *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->nfields; i++) {
        const char *f = hdr->field[i];

        if (i == 0 && strncmp(f, "\xEF\xBB\xBF", 3) == 0)
            f += 3;
        if (strcmp(f, name) == 0)
            return (int)i;
    }
    return -1;
}

static int no_column(struct trace_rows *r, const struct cs_csv_row *hdr,
                     const char *name, struct cs_err *err)
{
    char cols[256], cb[CELL_MAX + 4];
    size_t n = 0;

    cols[0] = '\0';
    for (size_t i = 0; i < hdr->nfields && n < sizeof(cols); i++)
        n += (size_t)snprintf(cols + n, sizeof(cols) - n, "%s%s",
                              i > 0 ? ", " : "", fmt_cell(cb, hdr->field[i]));
    return cs_err_set(err, CS_EPARSE, cs_csv_name(r->csv), hdr->line, 1,
                      "no column \"%s\" in the header (columns: %s)", name,
                      cols);
}

/* Find the time and value columns in the header row. */
static int read_header(struct trace_rows *r, const struct cs_csv_row *hdr,
                       struct cs_err *err)
{
    const struct cs_trace_spec *s = r->spec;
    double d;

    r->width = hdr->nfields;
    r->tcol = s->time_column ? find_col(hdr, s->time_column) : 0;
    if (r->tcol < 0)
        return no_column(r, hdr, s->time_column, err);
    if (s->time_column == NULL && cs_parse_double(hdr->field[0], &d) == 0)
        return cell_err(r, hdr, 0, err,
                        "the first row must be a header naming the "
                        "columns, but its cell",
                        hdr->field[0], "is a number");
    r->vcol = -1;
    if (s->arrivals)
        return 0;
    if (s->value_column != NULL) {
        r->vcol = find_col(hdr, s->value_column);
        if (r->vcol < 0)
            return no_column(r, hdr, s->value_column, err);
        return 0;
    }
    if (hdr->nfields < 2)
        return cs_err_set(err, CS_EPARSE, cs_csv_name(r->csv), hdr->line, 1,
                          "the header has 1 column, but a trace needs a "
                          "time and a value column (or arrivals mode)");
    r->vcol = r->tcol == 0 ? 1 : 0;
    return 0;
}

int trace_rows_open(struct trace_rows *r, const struct cs_trace_spec *spec,
                    struct cs_err *err)
{
    struct cs_csv_row hdr;
    int rc;

    memset(r, 0, sizeof(*r));
    r->spec = spec;
    if (spec->buf != NULL)
        r->csv =
            cs_csv_open_buffer(spec_name(spec), spec->buf, spec->buflen, err);
    else
        r->csv = cs_csv_open(spec->path, err);
    if (r->csv == NULL)
        return spec->buf != NULL ? CS_ENOMEM : CS_EIO;
    rc = cs_csv_next(r->csv, &hdr, err);
    if (rc == 0)
        rc = cs_err_set(err, CS_EPARSE, spec_name(spec), 0, 0,
                        "the file is empty (no header)");
    if (rc == 1)
        rc = read_header(r, &hdr, err);
    if (rc < 0)
        trace_rows_close(r);
    return rc;
}

void trace_rows_close(struct trace_rows *r)
{
    cs_csv_close(r->csv);
    r->csv = NULL;
}

/* ---- rows -------------------------------------------------------------- */

/* The one place a time cell becomes trace seconds (ISO-8601 timestamps
 * will be parsed here too). 0, CS_EPARSE or CS_ERANGE. */
/* A time cell: seconds, or an ISO-8601 date and time (UTC unless it has
 * an offset), as seconds since the Unix epoch. */
static int parse_time(const char *cell, double *t)
{
    struct cs_err e;
    int64_t ms;
    int rc = cs_parse_double(cell, t);

    if (rc == 0 || strchr(cell, '-') == NULL || strlen(cell) < 10 ||
        cell[4] != '-')
        return rc;
    if (cs_clock_parse_iso(cell, NULL, &ms, &e) < 0)
        return rc;
    *t = (double)ms / 1000.0;
    return 0;
}

static int row_time(struct trace_rows *r, const struct cs_csv_row *row,
                    double *t, struct cs_err *err)
{
    const char *cell = row->field[r->tcol];
    char a[NUM_MAX], b[NUM_MAX];
    int rc = parse_time(cell, t), line, col;

    if (rc == CS_ERANGE)
        return cell_err(r, row, (size_t)r->tcol, err, "time", cell,
                        "is out of range");
    if (rc < 0)
        return cell_err(r, row, (size_t)r->tcol, err, "time", cell,
                        "is not a number of seconds or an ISO-8601 time");
    if (r->n == 0 || *t > r->last_t || (r->spec->arrivals && *t == r->last_t))
        return 0;
    cell_pos(row, (size_t)r->tcol, &line, &col);
    return cs_err_set(err, CS_EPARSE, cs_csv_name(r->csv), line, col,
                      "time %s is %s the previous row's %s (rows must be "
                      "sorted by time)",
                      fmt_num(a, *t),
                      r->spec->arrivals ? "before" : "not after",
                      fmt_num(b, r->last_t));
}

static int row_value(struct trace_rows *r, const struct cs_csv_row *row,
                     double *v, struct cs_err *err)
{
    const char *cell = row->field[r->vcol];
    char cb[CELL_MAX + 4];
    int rc = cs_parse_double(cell, v), line, col;

    if (rc == CS_ERANGE)
        return cell_err(r, row, (size_t)r->vcol, err, "value", cell,
                        "is out of range");
    if (rc < 0)
        return cell_err(r, row, (size_t)r->vcol, err, "value", cell,
                        "is not a number");
    if (*v >= 0)
        return 0;
    cell_pos(row, (size_t)r->vcol, &line, &col);
    return cs_err_set(err, CS_EPARSE, cs_csv_name(r->csv), line, col,
                      "value %s is negative", fmt_cell(cb, cell));
}

int trace_rows_next(struct trace_rows *r, struct trace_pt *pt,
                    struct cs_err *err)
{
    struct cs_csv_row row;
    double t, v = 1.0;
    int rc = cs_csv_next(r->csv, &row, err);

    if (rc <= 0)
        return rc;
    if (row.nfields != r->width)
        return cs_err_set(err, CS_EPARSE, cs_csv_name(r->csv), row.line, 1,
                          "row has %zu field%s but the header has %zu",
                          row.nfields, row.nfields == 1 ? "" : "s", r->width);
    rc = row_time(r, &row, &t, err);
    if (rc == 0 && r->vcol >= 0)
        rc = row_value(r, &row, &v, err);
    if (rc < 0)
        return rc;
    r->n++;
    r->last_t = t;
    pt->t = t;
    pt->v = v;
    return 1;
}

/* ---- arrivals buckets -------------------------------------------------- */

double trace_bucket_of(double ws, double b, double t)
{
    double m = floor((t - ws) / b);

    /* floor of a rounded quotient can be one off either way */
    if (ws + m * b > t)
        m -= 1;
    else if (ws + (m + 1) * b <= t)
        m += 1;
    return m;
}

void trace_buckets_init(struct trace_buckets *bk, double ws, double we,
                        double b)
{
    bk->ws = ws;
    bk->we = we;
    bk->b = b;
    bk->k = 0;
    bk->n = 0;
    bk->done = 0;
}

/* The point of the open bucket; its width is clipped to the window. */
static struct trace_pt bucket_pt(const struct trace_buckets *bk)
{
    struct trace_pt p;
    double end = bk->ws + (bk->k + 1) * bk->b;

    p.t = bk->ws + bk->k * bk->b;
    if (end > bk->we)
        end = bk->we;
    p.v = bk->n > 0 ? (double)bk->n / (end - p.t) : 0.0;
    return p;
}

int trace_buckets_push(struct trace_buckets *bk, double t,
                       struct trace_pt out[2])
{
    double m;
    int n = 0;

    if (bk->done)
        return 0;
    if (isnan(bk->ws))
        bk->ws = t;
    if (t < bk->ws)
        return 0;
    if (t >= bk->we)
        return trace_buckets_flush(bk, out);
    m = trace_bucket_of(bk->ws, bk->b, t);
    if (m > bk->k) {
        out[n++] = bucket_pt(bk);
        if (bk->n > 0 && m > bk->k + 1) { /* the empty run before m */
            out[n].t = bk->ws + (bk->k + 1) * bk->b;
            out[n++].v = 0.0;
        }
        bk->k = m;
        bk->n = 0;
    }
    bk->n++;
    return n;
}

int trace_buckets_flush(struct trace_buckets *bk, struct trace_pt out[1])
{
    if (bk->done || isnan(bk->ws))
        return 0;
    bk->done = 1;
    out[0] = bucket_pt(bk);
    return 1;
}

/* ---- check ------------------------------------------------------------- */

static int bad_param(const struct cs_trace_spec *s, struct cs_err *err,
                     const char *name, double v, const char *must)
{
    char b[NUM_MAX];

    return cs_err_set(err, CS_EINVAL, spec_name(s), 0, 0, "%s %s %s", name,
                      fmt_num(b, v), must);
}

/* The parameters that do not depend on the file. */
static int check_params(const struct cs_trace_spec *s, struct cs_err *err)
{
    const char *nm = spec_name(s);

    if (s->path == NULL && s->buf == NULL)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0, "no trace file given");
    if (!(s->time_scale > 0) || !isfinite(s->time_scale))
        return bad_param(s, err, "time_scale", s->time_scale,
                         "must be a positive number");
    if (!(s->scale >= 0) || !isfinite(s->scale))
        return bad_param(s, err, "scale", s->scale, "must be a number >= 0");
    if (s->offset < 0)
        return cs_err_set(err, CS_EINVAL, nm, 0, 0,
                          "offset %lld ms must be >= 0", (long long)s->offset);
    if (isinf(s->window_start_s) || isinf(s->window_end_s))
        return cs_err_set(err, CS_EINVAL, nm, 0, 0,
                          "the window's start and end must be finite");
    if ((unsigned)s->interp > CS_TRACE_SPLINE)
        return cs_err_set(err, CS_EINVAL, nm, 0, 0, "unknown interpolation %d",
                          (int)s->interp);
    if (!s->arrivals)
        return 0;
    if (!(s->bucket_s > 0) || !isfinite(s->bucket_s))
        return bad_param(s, err, "bucket_s", s->bucket_s,
                         "must be a positive number");
    if (s->interp != CS_TRACE_STEP)
        return cs_err_set(err, CS_EINVAL, nm, 0, 0,
                          "arrivals mode needs step interpolation (the "
                          "rate is a count per bucket)");
    if (s->value_column != NULL)
        return cs_err_set(err, CS_EINVAL, nm, 0, 0,
                          "value column \"%s\" given, but in arrivals mode "
                          "each row is one request (no value is read)",
                          s->value_column);
    return 0;
}

/* Running aggregates of one pass. ws/we are the window as far as it is
 * known during the pass (we INFINITY when it defaults to the data's end). */
struct scan {
    double ws, we;
    struct trace_pt first, prev, last;
    long long n;
    double vmin, vmax, sum; /* sum: value x seconds (arrivals: count) */
    struct trace_buckets bk;
};

static void see(struct scan *sc, double v)
{
    if (!(v >= sc->vmin))
        sc->vmin = v;
    if (!(v <= sc->vmax))
        sc->vmax = v;
}

/* Value mode: row value v holds on [a, b); count what overlaps the window. */
static void hold(struct scan *sc, double a, double b, double v)
{
    double lo = a > sc->ws ? a : sc->ws, hi = b < sc->we ? b : sc->we;

    if (lo < hi) {
        see(sc, v);
        sc->sum += v * (hi - lo);
    }
}

static void scan_point(struct scan *sc, const struct cs_trace_spec *s,
                       const struct trace_pt *p)
{
    struct trace_pt out[2];
    int k;

    if (sc->n == 0) {
        sc->first = *p;
        if (isnan(sc->ws))
            sc->ws = p->t;
        if (s->arrivals)
            trace_buckets_init(&sc->bk, sc->ws, sc->we, s->bucket_s);
    }
    sc->n++;
    if (!s->arrivals) {
        if (sc->n > 1)
            hold(sc, sc->last.t, p->t, sc->last.v);
    } else {
        k = trace_buckets_push(&sc->bk, p->t, out);
        for (int i = 0; i < k; i++)
            see(sc, out[i].v);
        sc->sum += p->t >= sc->ws && p->t < sc->we;
    }
    sc->prev = sc->last;
    sc->last = *p;
}

/* The end of the data, once the whole file is read; NAN if undefined. */
static double data_end(const struct scan *sc, const struct cs_trace_spec *s)
{
    if (s->arrivals)
        return sc->ws + (trace_bucket_of(sc->ws, s->bucket_s, sc->last.t) + 1) *
                            s->bucket_s;
    return sc->last.t + (sc->last.t - sc->prev.t);
}

static int window_err(const struct cs_trace_spec *s, struct cs_err *err,
                      const char *what)
{
    char a[NUM_MAX], b[NUM_MAX], c[NUM_MAX], d[NUM_MAX];

    return cs_err_set(err, CS_EINVAL, spec_name(s), 0, 0,
                      "window [%s, %s) s %s [%s, %s) s",
                      fmt_num(a, s->win_start_s), fmt_num(b, s->win_end_s),
                      what, fmt_num(c, s->first_s), fmt_num(d, s->data_end_s));
}

/* Resolve and validate the window against the data's span. */
static int check_window(struct cs_trace_spec *s, struct cs_err *err)
{
    char a[NUM_MAX], b[NUM_MAX], c[NUM_MAX];
    double len;

    s->win_start_s = isnan(s->window_start_s) ? s->first_s : s->window_start_s;
    s->win_end_s = isnan(s->window_end_s) ? s->data_end_s : s->window_end_s;
    len = s->win_end_s - s->win_start_s;
    if (!isfinite(s->data_end_s) || !isfinite(len))
        return window_err(s, err, "is too long for doubles: the data spans");
    if (!(len > 0))
        return window_err(s, err, "is empty; the data spans");
    if (s->win_start_s < s->first_s)
        return window_err(s, err, "starts before the data");
    if (s->win_end_s > s->data_end_s)
        return window_err(s, err, "ends after the data");
    /* bucket starts ws + k b must stay distinct and their widths exact to
     * a few ulps: b at least 1e-9 of the times' magnitude */
    if (s->arrivals &&
        (s->bucket_s < 1e-9 * fmax(fabs(s->win_start_s), fabs(s->win_end_s)) ||
         len / s->bucket_s > 1e15))
        return cs_err_set(err, CS_EINVAL, spec_name(s), 0, 0,
                          "bucket_s %s is too small for the window [%s, %s) "
                          "s (more than 1e15 buckets, or under 1e-9 of its "
                          "times)",
                          fmt_num(c, s->bucket_s), fmt_num(a, s->win_start_s),
                          fmt_num(b, s->win_end_s));
    if (len / s->time_scale < 0.001)
        return cs_err_set(err, CS_EINVAL, spec_name(s), 0, 0,
                          "window [%s, %s) s at time_scale %s lasts less "
                          "than 1 ms of simulated time",
                          fmt_num(a, s->win_start_s), fmt_num(b, s->win_end_s),
                          fmt_num(c, s->time_scale));
    return 0;
}

/* Read every row once, validating it and aggregating into sc. */
static int scan_file(const struct cs_trace_spec *s, struct scan *sc,
                     struct cs_err *err)
{
    struct trace_rows r;
    struct trace_pt p;
    int rc = trace_rows_open(&r, s, err);

    if (rc < 0)
        return rc;
    while ((rc = trace_rows_next(&r, &p, err)) == 1)
        scan_point(sc, s, &p);
    trace_rows_close(&r);
    if (rc < 0)
        return rc;
    if (sc->n == 0)
        return cs_err_set(err, CS_EPARSE, spec_name(s), 0, 0, "no data rows");
    if (sc->n == 1 && !s->arrivals)
        return cs_err_set(err, CS_EPARSE, spec_name(s), 0, 0,
                          "only one data row; a trace needs two (the last "
                          "interval sets where the data ends)");
    return 0;
}

int cs_trace_check(struct cs_trace_spec *s, struct cs_err *err)
{
    struct scan sc;
    struct trace_pt out[1];
    int rc;

    s->rows = -1;
    rc = check_params(s, err);
    if (rc < 0)
        return rc;
    memset(&sc, 0, sizeof(sc));
    sc.ws = s->window_start_s;
    sc.we = isnan(s->window_end_s) ? INFINITY : s->window_end_s;
    sc.vmin = sc.vmax = NAN;
    rc = scan_file(s, &sc, err);
    if (rc < 0)
        return rc;
    s->first_s = sc.first.t;
    s->last_s = sc.last.t;
    s->data_end_s = data_end(&sc, s);
    rc = check_window(s, err);
    if (rc < 0)
        return rc;
    if (s->arrivals) {
        if (trace_buckets_flush(&sc.bk, out) == 1)
            see(&sc, out[0].v);
    } else {
        sc.we = s->win_end_s;
        hold(&sc, sc.last.t, s->data_end_s, sc.last.v);
    }
    s->min_value = sc.vmin;
    s->max_value = sc.vmax;
    s->mean_value = sc.sum / (s->win_end_s - s->win_start_s);
    s->rows = sc.n;
    return 0;
}
