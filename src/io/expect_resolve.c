/*
 * expect_resolve.c - bind the names in assertions to the run's files.
 *
 * A probe's column is looked up in timeline.csv, nodes.csv, summary.csv in
 * that order (a bare name: summary.csv only; count(events): events.csv),
 * its filters in the same file. What cannot be bound is that assertion's
 * ERROR, with a message that says what exists: the numeric columns of each
 * file, and the nearest name when one is within two edits.
 */
#include "io/expect_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const ex_tb_name[TB_COUNT] = {"timeline.csv", "nodes.csv",
                                          "summary.csv", "events.csv"};
/* The column a `name[value]` selects on, and the word for its values. */
const char *const ex_tb_key[TB_COUNT] = {"workload", "pool", "workload", NULL};
const char *const ex_tb_keys_word[TB_COUNT] = {"workloads", "pools",
                                               "workloads", NULL};

/* Columns that hold names, never numbers. */
static const char *const string_cols[] = {"workload", "pool",   "kind",
                                          "object",   "reason", "message"};

int ex_is_string_col(const char *name)
{
    for (size_t i = 0; i < sizeof(string_cols) / sizeof(string_cols[0]); i++)
        if (strcmp(name, string_cols[i]) == 0)
            return 1;
    return 0;
}

int ex_find_col(const struct ex_table *t, const char *name)
{
    for (size_t i = 0; t->present && i < t->ncol; i++)
        if (strcmp(t->col[i], name) == 0)
            return (int)i;
    return -1;
}

int ex_refuse(struct ex_eval *ev, struct ex_probe *p, size_t off,
              const char *fmt, ...)
{
    struct cs_expect_result *r = &ev->res[p->ei];
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    if (r->outcome == CS_EXPECT_ERROR)
        return -1; /* the first error of an assertion is the one reported */
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    r->outcome = CS_EXPECT_ERROR;
    ex_error(p->e, &r->err, CS_ENOENT, off, "%s", msg);
    return -1;
}

/* Levenshtein distance of two short names (capped at 9). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[33], prev, tmp;

    if (la > 32 || lb > 32)
        return 9;
    for (size_t j = 0; j <= lb; j++)
        d[j] = j;
    for (size_t i = 1; i <= la; i++) {
        prev = d[0];
        d[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev + (a[i - 1] != b[j - 1]);

            if (d[j] + 1 < best)
                best = d[j] + 1;
            if (d[j - 1] + 1 < best)
                best = d[j - 1] + 1;
            tmp = d[j];
            d[j] = best;
            prev = tmp;
        }
    }
    return d[lb] > 9 ? 9 : d[lb];
}

/* "unknown column 'x'; did you mean 'y'? (timeline.csv: ...; ...)" with
 * the numeric columns of the given files, cut at the message size. */
static int unknown_column(struct ex_eval *ev, struct ex_probe *p,
                          const char *what, int first, int last)
{
    const char *name = p->lf->column, *best = NULL;
    char msg[CS_ERR_MSG_MAX];
    size_t len, bestd = 3;
    int trunc = 0;

    for (int i = first; i <= last; i++)
        for (size_t c = 0; c < ev->t[i].ncol && ev->t[i].present; c++) {
            size_t d = distance(name, ev->t[i].col[c]);

            if (!ex_is_string_col(ev->t[i].col[c]) && d < bestd) {
                bestd = d;
                best = ev->t[i].col[c];
            }
        }
    len = (size_t)snprintf(msg, sizeof(msg), "unknown %s '%s'", what, name);
    if (best != NULL && len < sizeof(msg))
        len += (size_t)snprintf(msg + len, sizeof(msg) - len,
                                "; did you mean '%s'?", best);
    /* A long name truncates: keep len inside msg for the appends below. */
    if (len >= sizeof(msg))
        len = sizeof(msg) - 1;
    for (int i = first; i <= last && !trunc; i++) {
        const struct ex_table *t = &ev->t[i];
        const char *sep = i == first ? " (" : "; ";
        int k = 0;

        if (!t->present)
            continue;
        for (size_t c = 0; c < t->ncol && !trunc; c++) {
            size_t need;

            if (ex_is_string_col(t->col[c]))
                continue;
            need =
                strlen(sep) + strlen(ex_tb_name[i]) + 2 + strlen(t->col[c]) + 2;
            if (len + need + 6 >= sizeof(msg)) {
                trunc = 1;
                break;
            }
            len += (size_t)snprintf(
                msg + len, sizeof(msg) - len, "%s%s%s", k == 0 ? sep : ", ",
                k == 0 ? ex_tb_name[i] : "", k == 0 ? ": " : "");
            len +=
                (size_t)snprintf(msg + len, sizeof(msg) - len, "%s", t->col[c]);
            k++;
        }
    }
    snprintf(msg + len, sizeof(msg) - len, "%s", trunc ? ", ...)" : ")");
    return ex_refuse(ev, p, p->lf->col_span.off, "%s", msg);
}

/* A bare name (or name[row]): a figure of summary.csv. */
static int resolve_ref(struct ex_eval *ev, struct ex_probe *p)
{
    const struct ex_leaf *lf = p->lf;
    const char *c = lf->column;

    p->table = TB_SUMMARY;
    p->col = ex_find_col(&ev->t[TB_SUMMARY], c);
    if (p->col < 0) {
        for (int i = TB_TIMELINE; i <= TB_NODES; i++)
            if (ex_find_col(&ev->t[i], c) >= 0 && !ex_is_string_col(c))
                return ex_refuse(ev, p, lf->col_span.off,
                                 "'%s' is a %s column, not a summary figure: "
                                 "use an aggregate such as max(%s) or a time "
                                 "such as %.*s@8m",
                                 c, ex_tb_name[i], c,
                                 (int)(lf->span.end - lf->span.off),
                                 p->e->text + lf->span.off);
        return unknown_column(ev, p, "summary figure", TB_SUMMARY, TB_SUMMARY);
    }
    /* Its cells are names: reading them as numbers would blame the file. */
    if (ex_is_string_col(c))
        return ex_refuse(ev, p, lf->col_span.off,
                         "'%s' holds names, not numbers; filter on it instead, "
                         "e.g. %s=web",
                         c, c);
    if (ev->t[TB_SUMMARY].key_col < 0)
        return ex_refuse(ev, p, lf->span.off,
                         "summary.csv has no workload "
                         "column");
    p->all = lf->nfilt == 0 ? 1 : 0;
    return 0;
}

/* Column and table of an aggregate or '@'. */
static int resolve_column(struct ex_eval *ev, struct ex_probe *p)
{
    const struct ex_leaf *lf = p->lf;

    if (lf->func == EX_F_COUNT && strcmp(lf->column, "events") == 0) {
        p->table = TB_EVENTS;
        p->col = -1;
        return 0;
    }
    for (int i = TB_TIMELINE; i <= TB_SUMMARY && p->table < 0; i++)
        if ((p->col = ex_find_col(&ev->t[i], lf->column)) >= 0)
            p->table = i;
    if (p->table < 0)
        return unknown_column(ev, p, "column", TB_TIMELINE, TB_SUMMARY);
    if (ex_is_string_col(lf->column))
        return ex_refuse(ev, p, lf->col_span.off,
                         "'%s' holds names, not numbers; filter on it instead, "
                         "e.g. %s=web",
                         lf->column, lf->column);
    if (p->table == TB_SUMMARY) {
        if (lf->func == EX_F_AT)
            return ex_refuse(ev, p, lf->col_span.off,
                             "'%s' is a summary.csv figure, not a time series: "
                             "it has no value at a time",
                             lf->column);
        if (lf->has_from || lf->has_to)
            return ex_refuse(ev, p,
                             (lf->has_from ? lf->from_span : lf->to_span).off,
                             "'%s' is a summary.csv figure, not a time series: "
                             "from= and to= do not apply",
                             lf->column);
        if (ev->t[TB_SUMMARY].key_col >= 0)
            p->all = -1; /* aggregate the per-workload rows */
    }
    return 0;
}

int ex_resolve(struct ex_eval *ev, struct ex_probe *p)
{
    const struct ex_leaf *lf = p->lf;
    struct ex_table *t;
    int rc, key_filtered = 0;

    p->table = -1;
    rc = lf->func == EX_F_REF ? resolve_ref(ev, p) : resolve_column(ev, p);
    if (rc < 0)
        return rc;
    t = &ev->t[p->table];
    for (size_t k = 0; k < lf->nfilt; k++) {
        const struct ex_filter *f = &lf->filt[k];
        const char *name =
            f->key == EX_K_ROW ? ex_tb_key[p->table] : ex_key_name(f->key);

        p->fcol[k] = name ? ex_find_col(t, name) : -1;
        if (p->fcol[k] < 0 && f->key == EX_K_ROW)
            return ex_refuse(ev, p, f->span.off,
                             "%s has no %s column to select "
                             "'%s' from",
                             ex_tb_name[p->table], name ? name : "key",
                             f->value);
        if (p->fcol[k] < 0)
            return ex_refuse(ev, p, f->span.off,
                             "%s has no column '%s' to filter on",
                             ex_tb_name[p->table], name);
        key_filtered |= p->fcol[k] == t->key_col;
    }
    p->need_time = lf->func == EX_F_AT || lf->has_from || lf->has_to;
    if (p->need_time && t->time_col < 0)
        return ex_refuse(ev, p, lf->span.off, "%s has no time_s column",
                         ex_tb_name[p->table]);
    p->track_key = lf->func == EX_F_AT && !key_filtered && t->key_col >= 0;
    return 0;
}
