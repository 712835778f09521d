/*
 * diff_format.c - the text of `capsim diff`: one line per difference, the
 * closing totals and times (see diff.h, docs/diff.md). Uses only the
 * public structs of diff.h.
 */
#include "io/diff.h"

#include "io/quantity.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct sb {
    char *buf;
    size_t n, len;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
sb_add(struct sb *s, const char *fmt, ...)
{
    va_list ap;
    int k;

    va_start(ap, fmt);
    k = vsnprintf(s->len < s->n ? s->buf + s->len : NULL,
                  s->len < s->n ? s->n - s->len : 0, fmt, ap);
    va_end(ap);
    if (k > 0)
        s->len += (size_t)k;
}

/* Times as capsim writes them everywhere (Go durations, like the table's
 * and kubectl's: "30s", "1m30s", "1h2m0s"). */
static void sb_time(struct sb *s, double sec)
{
    char buf[32];

    if (!isfinite(sec) || fabs(sec) > 1e12) {
        sb_add(s, "%g s", sec);
        return;
    }
    cs_duration_format((cs_time_ms)llround(sec * 1000), buf, sizeof(buf));
    sb_add(s, "%s", buf);
}

int cs_diff_format_time(double s, char *buf, size_t n)
{
    struct sb b = {buf, n, 0};

    if (buf != NULL && n > 0)
        buf[0] = '\0';
    sb_time(&b, s);
    return (int)b.len;
}

/* "workload web", "workload web #2", "row 3" or nothing (returns 0). */
static int sb_key(struct sb *s, const struct cs_diff *d, const char *pre)
{
    if (d->key_name != NULL) {
        sb_add(s, "%s%s %s", pre, d->key_name, d->key);
        if (d->occurrence > 0)
            sb_add(s, " #%d", d->occurrence + 1);
    } else if (d->occurrence > 0 || !d->has_time) {
        sb_add(s, "%srow %d", pre, d->occurrence + 1);
    } else {
        return 0;
    }
    return 1;
}

/* " from T0 to T1" or " at T0" (nothing without time). */
static void sb_range(struct sb *s, const struct cs_diff *d)
{
    if (!d->has_time)
        return;
    sb_add(s, d->nsamples > 1 ? " from " : " at ");
    sb_time(s, d->t_first);
    if (d->nsamples > 1) {
        sb_add(s, " to ");
        sb_time(s, d->t_last);
    }
}

static const char *shown(const char *cell_text)
{
    return cell_text[0] ? cell_text : "undefined";
}

static void sb_values(struct sb *s, const struct cs_diff *d)
{
    sb_add(s, "%s: %s", d->file, d->column);
    sb_key(s, d, ", ");
    sb_add(s, ": differs");
    sb_range(s, d);
    if (d->has_time && d->nsamples > 1) {
        sb_add(s, " (%ld samples), ", d->nsamples);
        if (isfinite(d->worst_abs))
            sb_add(s, "max |diff| %.6g at ", d->worst_abs);
        else
            sb_add(s, "worst at ");
        sb_time(s, d->worst_t);
    }
    sb_add(s, " (A %s, B %s)", shown(d->worst_a), shown(d->worst_b));
}

int cs_diff_format(const struct cs_diff *d, char *buf, size_t n)
{
    struct sb s = {buf, n, 0};
    char w = d->kind == CS_DIFF_ROWS_ONLY_B ||
                     d->kind == CS_DIFF_COLUMN_ONLY_B ||
                     d->kind == CS_DIFF_FILE_ONLY_B
                 ? 'B'
                 : 'A';

    if (buf != NULL && n > 0)
        buf[0] = '\0';
    switch (d->kind) {
    case CS_DIFF_VALUES:
        sb_values(&s, d);
        break;
    case CS_DIFF_ROWS_ONLY_A:
    case CS_DIFF_ROWS_ONLY_B:
        sb_add(&s, "%s: only in %c: %ld row%s", d->file, w, d->nsamples,
               d->nsamples == 1 ? "" : "s");
        sb_key(&s, d, " for ");
        sb_range(&s, d);
        break;
    case CS_DIFF_COLUMN_ONLY_A:
    case CS_DIFF_COLUMN_ONLY_B:
        sb_add(&s, "%s: column %s only in %c", d->file, d->column, w);
        break;
    case CS_DIFF_FILE_ONLY_A:
    case CS_DIFF_FILE_ONLY_B:
        sb_add(&s, "%s: only in %c", d->file, w);
        break;
    }
    return (int)s.len;
}

static const char *plural(long n)
{
    return n == 1 ? "" : "s";
}

int cs_diff_format_totals(const struct cs_diff_totals *t,
                          const struct cs_diff_opts *o, char *buf, size_t n)
{
    struct sb s = {buf, n, 0};

    if (buf != NULL && n > 0)
        buf[0] = '\0';
    if (t->differences == 0)
        sb_add(&s, "no differences");
    else
        sb_add(&s, "%ld difference%s in %ld column%s", t->differences,
               plural(t->differences), t->columns, plural(t->columns));
    if (t->rows_only > 0)
        sb_add(&s, ", %ld row%s in only one run", t->rows_only,
               plural(t->rows_only));
    sb_add(&s, " (tolerance: ");
    if (o->atol == 0 && o->rtol == 0)
        sb_add(&s, "exact");
    if (o->atol != 0)
        sb_add(&s, "atol %g%s", o->atol, o->rtol != 0 ? " " : "");
    if (o->rtol != 0)
        sb_add(&s, "rtol %g", o->rtol);
    for (size_t i = 0; i < o->ntol; i++) {
        sb_add(&s, ", %s", o->tol[i].column);
        if (o->tol[i].has_atol)
            sb_add(&s, " atol %g", o->tol[i].atol);
        if (o->tol[i].has_rtol)
            sb_add(&s, " rtol %g", o->tol[i].rtol);
    }
    sb_add(&s, ")");
    return (int)s.len;
}
