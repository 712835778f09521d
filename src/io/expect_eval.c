/*
 * expect_eval.c - evaluate assertions against a run directory (expect.h).
 *
 * Every leaf of every assertion becomes a probe: a data reference bound to
 * one file and column, with the accumulator its function needs (running
 * count/sum/min/max/first/last, the matching values for a quantile, the
 * latest sample at or before a time for '@'). Evaluation runs in four
 * steps:
 *
 *   open     read the header of timeline.csv, nodes.csv (if present),
 *            summary.csv, and events.csv if an assertion counts events;
 *   resolve  (expect_resolve.c) bind each probe to the first of timeline,
 *            nodes, summary that has its column (a bare name: summary.csv),
 *            its filters to columns of that file; a failure is that
 *            assertion's ERROR;
 *   stream   read each file that has probes once, row by row, feeding
 *            every probe of that file; a cell is parsed as a number at most
 *            once per row, however many probes read it;
 *   decide   turn each probe into a struct ex_value and let ex_verdict()
 *            (expect_verdict.c) compute each assertion's outcome.
 *
 * Memory is one row per file plus the quantile arrays: a timeline of ten
 * million rows is never held in memory.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/expect_int.h"

#include "io/csvread.h"

#include <errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int oom(struct cs_err *err)
{
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ---- open --------------------------------------------------------------- */

static int open_table(struct ex_eval *ev, int i, int optional)
{
    struct ex_table *t = &ev->t[i];
    struct cs_csv_row row;
    char path[CS_ERR_PATH_MAX];
    int rc;

    snprintf(path, sizeof(path), "%s/%s", ev->dir, ex_tb_name[i]);
    if (optional && access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    t->r = cs_csv_open(path, ev->err);
    if (t->r == NULL)
        return CS_EIO;
    rc = cs_csv_next(t->r, &row, ev->err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return cs_err_set(ev->err, CS_EPARSE, path, 0, 0,
                          "empty file: the header row is missing");
    t->col = calloc(row.nfields, sizeof(*t->col));
    t->cache = calloc(row.nfields, sizeof(*t->cache));
    t->cached = calloc(row.nfields, sizeof(*t->cached));
    if (t->col == NULL || t->cache == NULL || t->cached == NULL)
        return oom(ev->err);
    for (t->ncol = 0; t->ncol < row.nfields; t->ncol++)
        if ((t->col[t->ncol] = strdup(row.field[t->ncol])) == NULL)
            return oom(ev->err);
    t->present = 1;
    t->time_col = ex_find_col(t, "time_s");
    t->key_col = ex_tb_key[i] ? ex_find_col(t, ex_tb_key[i]) : -1;
    return 0;
}

static void close_tables(struct ex_eval *ev)
{
    for (int i = 0; i < TB_COUNT; i++) {
        struct ex_table *t = &ev->t[i];

        cs_csv_close(t->r);
        for (size_t c = 0; t->col && c < t->ncol; c++)
            free(t->col[c]);
        free(t->col);
        free(t->cache);
        free(t->cached);
        free(t->probe);
    }
}

/* ---- stream ------------------------------------------------------------- */

/* Parse cell c of row once per row: 1 with *v, 0 if empty, or CS_EPARSE. */
static int cell(struct ex_eval *ev, struct ex_table *t,
                const struct cs_csv_row *row, int c, double *v)
{
    const char *s = row->field[c];
    int col = 1;

    if (t->cached[c] < 0) {
        if (s[0] == '\0') {
            t->cached[c] = 0;
        } else if (cs_csv_number(s, &t->cache[c]) == 0) {
            t->cached[c] = 1;
        } else {
            for (int i = 0; i < c; i++) /* exact unless a field was quoted */
                col += (int)row->len[i] + 1;
            return cs_err_set(ev->err, CS_EPARSE, cs_csv_name(t->r), row->line,
                              col, "bad number \"%.32s\" in column '%s'", s,
                              t->col[c]);
        }
    }
    *v = t->cache[c];
    return t->cached[c];
}

static int push_value(struct ex_probe *p, double v)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        double *q = realloc(p->q, cap * sizeof(*q));

        if (q == NULL)
            return CS_ENOMEM;
        p->q = q;
        p->cap = cap;
    }
    p->q[p->n] = v;
    return 0;
}

/* Remember up to two distinct values of the key column, for '@'. */
static int track_key(struct ex_probe *p, const char *k)
{
    for (int i = 0; i < 2; i++) {
        if (p->key[i] == NULL) {
            p->key[i] = strdup(k);
            return p->key[i] ? 0 : CS_ENOMEM;
        }
        if (strcmp(p->key[i], k) == 0)
            return 0;
    }
    p->more_keys = 1;
    return 0;
}

static int feed_at(struct ex_eval *ev, struct ex_table *t, struct ex_probe *p,
                   const struct cs_csv_row *row, double tm)
{
    int rc;

    if (p->track_key && track_key(p, row->field[t->key_col]) < 0)
        return oom(ev->err);
    if (tm > p->lf->at_s || (p->found && tm < p->at_t))
        return 0;
    p->found = 1;
    p->at_t = tm;
    rc = cell(ev, t, row, p->col, &p->at_v);
    if (rc >= 0)
        p->at_def = rc;
    return rc < 0 ? rc : 0;
}

static int feed(struct ex_eval *ev, struct ex_table *t, struct ex_probe *p,
                const struct cs_csv_row *row)
{
    const struct ex_leaf *lf = p->lf;
    double tm = 0, v;
    int rc;

    for (size_t k = 0; k < lf->nfilt; k++)
        if (strcmp(row->field[p->fcol[k]], lf->filt[k].value) != 0)
            return 0;
    if (p->all != 0 &&
        (strcmp(row->field[t->key_col], "(all)") == 0) != (p->all > 0))
        return 0;
    if (p->need_time) {
        rc = cell(ev, t, row, t->time_col, &tm);
        if (rc <= 0)
            return rc; /* a row without a time is in no window */
        if ((lf->has_from && tm < lf->from_s) || (lf->has_to && tm > lf->to_s))
            return 0;
    }
    p->matched++;
    if (lf->func == EX_F_AT)
        return feed_at(ev, t, p, row, tm);
    if (p->col < 0) {
        p->n++;
        return 0;
    }
    if (lf->func == EX_F_REF) {
        if (p->found)
            return 0;
        p->found = 1;
        rc = cell(ev, t, row, p->col, &p->at_v);
        p->at_def = rc > 0;
        return rc < 0 ? rc : 0;
    }
    if ((rc = cell(ev, t, row, p->col, &v)) <= 0)
        return rc;
    if (lf->func >= EX_F_P50 && lf->func <= EX_F_P99 && push_value(p, v) < 0)
        return oom(ev->err);
    if (p->n == 0 || v < p->min)
        p->min = v;
    if (p->n == 0 || v > p->max)
        p->max = v;
    if (p->n == 0)
        p->first = v;
    p->last = v;
    p->sum += v;
    p->n++;
    return 0;
}

static int stream(struct ex_eval *ev, int i)
{
    struct ex_table *t = &ev->t[i];
    struct cs_csv_row row;
    int rc;

    while ((rc = cs_csv_next(t->r, &row, ev->err)) == 1) {
        if (row.nfields != t->ncol)
            return cs_err_set(ev->err, CS_EPARSE, cs_csv_name(t->r), row.line,
                              1, "row has %zu fields, the header has %zu",
                              row.nfields, t->ncol);
        memset(t->cached, -1, t->ncol);
        t->nrows++;
        for (size_t k = 0; k < t->nprobe; k++)
            if ((rc = feed(ev, t, t->probe[k], &row)) < 0)
                return rc;
    }
    return rc;
}

/* ---- decide ------------------------------------------------------------- */

/* "no rows match workload=web, from=5m" (or why no row was there). */
static void no_rows(const struct ex_probe *p, char *buf, size_t n)
{
    const struct ex_leaf *lf = p->lf;
    const char *txt = p->e->text;
    size_t len = 0;
    int k = 0;

    if (lf->nfilt == 0 && !lf->has_from && !lf->has_to) {
        snprintf(buf, n, "%s has no %srows", ex_tb_name[p->table],
                 p->all < 0 ? "per-workload " : "");
        return;
    }
    len = (size_t)snprintf(buf, n, "no rows match ");
    for (size_t i = 0; i < lf->nfilt && len < n; i++, k++) {
        const struct ex_filter *f = &lf->filt[i];

        if (f->key == EX_K_ROW)
            len +=
                (size_t)snprintf(buf + len, n - len, "%s%s=%s", k ? ", " : "",
                                 ex_tb_key[p->table], f->value);
        else
            len += (size_t)snprintf(buf + len, n - len, "%s%.*s", k ? ", " : "",
                                    (int)(f->span.end - f->span.off),
                                    txt + f->span.off);
    }
    if (lf->has_from && len < n)
        len += (size_t)snprintf(buf + len, n - len, "%s%.*s", k++ ? ", " : "",
                                (int)(lf->from_span.end - lf->from_span.off),
                                txt + lf->from_span.off);
    if (lf->has_to && len < n)
        snprintf(buf + len, n - len, "%s%.*s", k ? ", " : "",
                 (int)(lf->to_span.end - lf->to_span.off),
                 txt + lf->to_span.off);
}

static int decide_at(struct ex_eval *ev, struct ex_probe *p, struct ex_value *v)
{
    const struct ex_leaf *lf = p->lf;
    const char *txt = p->e->text;
    int ti = p->table;

    if (p->key[1] != NULL) {
        const char *k0 = p->key[0], *more = p->more_keys ? ", ..." : "";
        int cl = (int)(lf->col_span.end - lf->col_span.off);
        int tl = (int)(lf->at_span.end - lf->at_span.off);
        const char *c = txt + lf->col_span.off, *at = txt + lf->at_span.off;

        if (lf->at_form == 1)
            return ex_refuse(ev, p, lf->span.off,
                             "'%.*s@%.*s' is ambiguous: %s has several %s (%s, "
                             "%s%s); name one, e.g. %.*s[%s]@%.*s",
                             cl, c, tl, at, ex_tb_name[ti], ex_tb_keys_word[ti],
                             k0, p->key[1], more, cl, c, k0, tl, at);
        return ex_refuse(
            ev, p, lf->span.off,
            "'at(%.*s, %.*s)' is ambiguous: %s has several %s (%s, "
            "%s%s); name one, e.g. at(%.*s, %.*s, %s=%s)",
            cl, c, tl, at, ex_tb_name[ti], ex_tb_keys_word[ti], k0, p->key[1],
            more, cl, c, tl, at, ex_tb_key[ti], k0);
    }
    if (p->matched == 0)
        no_rows(p, v->why, sizeof(v->why));
    else if (!p->found)
        snprintf(v->why, sizeof(v->why), "no sample at or before %.*s",
                 (int)(lf->at_span.end - lf->at_span.off),
                 txt + lf->at_span.off);
    else if (!p->at_def)
        snprintf(v->why, sizeof(v->why), "empty cell at time_s=%.6g", p->at_t);
    v->def = p->found && p->at_def;
    v->v = p->at_v;
    v->sampled = p->found && p->at_t != lf->at_s;
    v->sample_s = p->at_t;
    return 0;
}

static double quantile(struct ex_probe *p)
{
    static const double q[] = {0.5, 0.9, 0.95, 0.99};

    gsl_sort(p->q, 1, p->n);
    return gsl_stats_quantile_from_sorted_data(p->q, 1, p->n,
                                               q[p->lf->func - EX_F_P50]);
}

static int decide(struct ex_eval *ev, struct ex_probe *p, struct ex_value *v)
{
    const struct ex_leaf *lf = p->lf;

    memset(v, 0, sizeof(*v));
    if (lf->func == EX_F_AT)
        return decide_at(ev, p, v);
    if (lf->func == EX_F_COUNT) {
        v->def = 1;
        v->v = (double)p->n;
        return 0;
    }
    if (lf->func == EX_F_REF) {
        v->def = p->found && p->at_def;
        v->v = p->at_v;
        if (!p->found && p->all > 0)
            snprintf(v->why, sizeof(v->why), "summary.csv has no (all) row");
        else if (!p->found)
            snprintf(v->why, sizeof(v->why), "no summary row for workload=%s",
                     lf->filt[0].value);
        else if (!p->at_def)
            snprintf(v->why, sizeof(v->why), "empty cell in summary.csv");
        return 0;
    }
    if (p->n == 0) {
        if (p->matched == 0)
            no_rows(p, v->why, sizeof(v->why));
        else
            snprintf(v->why, sizeof(v->why),
                     "%s is empty in all %zu matching rows", lf->column,
                     p->matched);
        return 0;
    }
    v->def = 1;
    switch (lf->func) {
    case EX_F_MAX:
        v->v = p->max;
        break;
    case EX_F_MIN:
        v->v = p->min;
        break;
    case EX_F_MEAN:
        v->v = p->sum / (double)p->n;
        break;
    case EX_F_SUM:
        v->v = p->sum;
        break;
    case EX_F_FIRST:
        v->v = p->first;
        break;
    case EX_F_LAST:
        v->v = p->last;
        break;
    default:
        v->v = quantile(p);
        break;
    }
    return 0;
}

/* ---- driver ------------------------------------------------------------- */

static int make_probes(struct ex_eval *ev, struct cs_expect *const *e, size_t n,
                       int *need_events)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        ev->npr += e[i]->nleaf;
    ev->pr = calloc(ev->npr ? ev->npr : 1, sizeof(*ev->pr));
    if (ev->pr == NULL)
        return oom(ev->err);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < e[i]->nleaf; j++, k++) {
            ev->pr[k].ei = i;
            ev->pr[k].e = e[i];
            ev->pr[k].lf = &e[i]->leaf[j];
            ev->pr[k].table = -1;
            if (e[i]->leaf[j].func == EX_F_COUNT &&
                strcmp(e[i]->leaf[j].column, "events") == 0)
                *need_events = 1;
        }
    return 0;
}

/* Resolve every probe and hand the live ones to their tables. */
static int bind_probes(struct ex_eval *ev)
{
    for (size_t k = 0; k < ev->npr; k++) /* stops at an assertion's error */
        if (ev->res[ev->pr[k].ei].outcome != CS_EXPECT_ERROR)
            ex_resolve(ev, &ev->pr[k]);
    for (size_t k = 0; k < ev->npr; k++) {
        struct ex_probe *p = &ev->pr[k];
        struct ex_table *t;

        if (ev->res[p->ei].outcome == CS_EXPECT_ERROR)
            continue;
        t = &ev->t[p->table];
        if (t->probe == NULL &&
            (t->probe = calloc(ev->npr, sizeof(*t->probe))) == NULL)
            return oom(ev->err);
        t->probe[t->nprobe++] = p;
    }
    return 0;
}

static int run(struct ex_eval *ev, struct cs_expect *const *e, size_t n)
{
    struct ex_value *vals = NULL;
    int need_events = 0, rc;
    size_t k = 0;

    if ((rc = make_probes(ev, e, n, &need_events)) < 0 ||
        (rc = open_table(ev, TB_TIMELINE, 0)) < 0 ||
        (rc = open_table(ev, TB_NODES, 1)) < 0 ||
        (rc = open_table(ev, TB_SUMMARY, 0)) < 0 ||
        (need_events && (rc = open_table(ev, TB_EVENTS, 0)) < 0) ||
        (rc = bind_probes(ev)) < 0)
        return rc;
    for (int i = 0; i < TB_COUNT; i++)
        if (ev->t[i].nprobe > 0 && (rc = stream(ev, i)) < 0)
            return rc;
    vals = calloc(ev->npr ? ev->npr : 1, sizeof(*vals));
    if (vals == NULL)
        return oom(ev->err);
    for (k = 0; k < ev->npr; k++)
        if (ev->res[ev->pr[k].ei].outcome != CS_EXPECT_ERROR)
            decide(ev, &ev->pr[k], &vals[k]);
    k = 0;
    for (size_t i = 0; i < n; k += e[i]->nleaf, i++)
        if (ev->res[i].outcome != CS_EXPECT_ERROR)
            ex_verdict(e[i], vals + k, &ev->res[i]);
    free(vals);
    return 0;
}

int cs_expect_eval_dir(struct cs_expect *const *e, size_t n, const char *dir,
                       struct cs_expect_result *results, struct cs_err *err)
{
    struct ex_eval ev;
    int rc;

    memset(&ev, 0, sizeof(ev));
    ev.dir = dir;
    ev.res = results;
    ev.err = err;
    for (size_t i = 0; i < n; i++) {
        results[i].outcome = CS_EXPECT_PASS;
        results[i].actual[0] = '\0';
        cs_err_clear(&results[i].err);
    }
    if (n == 0)
        return 0;
    rc = run(&ev, e, n);
    for (size_t k = 0; k < ev.npr; k++) {
        free(ev.pr[k].q);
        free(ev.pr[k].key[0]);
        free(ev.pr[k].key[1]);
    }
    free(ev.pr);
    close_tables(&ev);
    return rc;
}
