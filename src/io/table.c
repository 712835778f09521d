/*
 * table.c - runbook tables from the HPA's passes (see table.h).
 */
#include "io/table.h"
#include "controllers/autoscale.h"

#include "controllers/hpa.h"
#include "core/err.h"
#include "core/sim.h"
#include "io/outbuf.h"
#include "io/quantity.h"
#include "io/scenario.h"

#include <stdlib.h>
#include <string.h>

void cs_table_init(struct cs_table *t, const struct cs_scenario *sc, int hpa)
{
    memset(t, 0, sizeof(*t));
    t->sc = sc;
    t->hpa = hpa;
    cs_hpa_explain_header(&sc->hpas[hpa].spec, t->header, sizeof(t->header));
}

void cs_table_fini(struct cs_table *t)
{
    free(t->rows);
    t->rows = NULL;
    t->n = t->cap = 0;
}

void cs_table_hook(void *ctx, const struct cs_sim *sim, int hpa,
                   const struct cs_hpa_result *r)
{
    struct cs_table *t = ctx;
    const struct cs_hpa_spec *spec = cs_autoscale_spec(sim, hpa);
    struct cs_table_row *row;

    if (hpa != t->hpa || t->err)
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct cs_table_row *p = realloc(t->rows, cap * sizeof(*p));

        if (p == NULL) {
            t->err = CS_ENOMEM;
            return;
        }
        t->rows = p;
        t->cap = cap;
    }
    row = &t->rows[t->n++];
    row->t = sim->now;
    row->replicas = r->current_replicas;
    row->action = (int)cs_hpa_explain(&t->sc->hpa_cfg, spec, r, row->text,
                                      sizeof(row->text));
    cs_hpa_explain_usage(spec, r, row->usage, sizeof(row->usage));
}

/* Markdown cell text: '|' escaped, line breaks as spaces. */
static void md_cell(struct cs_outbuf *b, const char *s)
{
    cs_outbuf_putc(b, ' ');
    for (; *s; s++) {
        if (*s == '|')
            cs_outbuf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r')
            cs_outbuf_putc(b, ' ');
        else
            cs_outbuf_putc(b, *s);
    }
    cs_outbuf_puts(b, " |");
}

static void put_row(struct cs_outbuf *b, enum cs_table_format f, cs_time_ms at,
                    const struct cs_table_row *row, const char *text)
{
    char tbuf[48], rbuf[24];

    if (f == CS_TABLE_CSV) {
        cs_outbuf_fixed(b, (double)at / 1000.0, 3);
        cs_outbuf_putc(b, ',');
        cs_outbuf_csv_field(b, row ? row->usage : "");
        cs_outbuf_putc(b, ',');
        if (row)
            cs_outbuf_int(b, row->replicas);
        cs_outbuf_putc(b, ',');
        cs_outbuf_csv_field(b, text);
        cs_outbuf_putc(b, '\n');
        return;
    }
    cs_duration_format(at, tbuf, sizeof(tbuf));
    snprintf(rbuf, sizeof(rbuf), "%d", row ? row->replicas : 0);
    cs_outbuf_putc(b, '|');
    md_cell(b, tbuf);
    md_cell(b, row ? row->usage : "");
    md_cell(b, row ? rbuf : "");
    md_cell(b, text);
    cs_outbuf_putc(b, '\n');
}

/* The last recorded pass at or before `at`, or NULL. O(log n). */
static const struct cs_table_row *pass_at(const struct cs_table *t,
                                          cs_time_ms at)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (t->rows[mid].t <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 ? &t->rows[lo - 1] : NULL;
}

/* "CPU Usage" -> cpu_usage, for a CSV header. */
static void snake_case(struct cs_outbuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= 'A' && c <= 'Z')
            cs_outbuf_putc(b, (char)(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            cs_outbuf_putc(b, (char)c);
        else
            cs_outbuf_putc(b, '_');
    }
}

/* A row worth showing after prev: every rescale, and every change of
 * decision; a held-back scale-down whose recommendation drifts (18, 17,
 * 16...) is one decision. */
static int decision_changed(const struct cs_table_row *prev,
                            const struct cs_table_row *row)
{
    if (prev == NULL || row->action == CS_HPA_ACT_UP ||
        row->action == CS_HPA_ACT_DOWN || row->action != prev->action)
        return 1;
    if (row->action == CS_HPA_ACT_HELD)
        return 0;
    return strcmp(prev->text, row->text) != 0;
}

int cs_table_write(const struct cs_table *t, const cs_time_ms *at, size_t nat,
                   enum cs_table_format format, FILE *fp)
{
    struct cs_outbuf b;
    int rc = 0;

    if (t->err)
        return t->err;
    cs_outbuf_init(&b, 4096);
    if (format == CS_TABLE_CSV) {
        cs_outbuf_puts(&b, "time_s,");
        snake_case(&b, t->header);
        cs_outbuf_puts(&b, ",replicas,hpa_action\n");
    } else {
        cs_outbuf_puts(&b, "| Time |");
        md_cell(&b, t->header);
        cs_outbuf_puts(&b, " Replicas | HPA Action |\n");
        cs_outbuf_puts(&b, "|------|");
        for (size_t i = 0; i < strlen(t->header) + 2; i++)
            cs_outbuf_putc(&b, '-');
        cs_outbuf_puts(&b, "|----------|------------|\n");
    }
    if (nat > 0) {
        for (size_t i = 0; i < nat; i++) {
            const struct cs_table_row *row = pass_at(t, at[i]);
            char text[256], tb[32];

            if (row == NULL) {
                put_row(&b, format, at[i], NULL, "(before the first HPA pass)");
                continue;
            }
            if (row->t == at[i]) {
                put_row(&b, format, at[i], row, row->text);
                continue;
            }
            cs_duration_format(row->t, tb, sizeof(tb));
            snprintf(text, sizeof(text), "%s (last pass at %s)", row->text, tb);
            put_row(&b, format, at[i], row, text);
        }
    } else {
        const struct cs_table_row *prev = NULL;

        for (size_t i = 0; i < t->n; i++) {
            const struct cs_table_row *row = &t->rows[i];

            if (!decision_changed(prev, row))
                continue;
            put_row(&b, format, row->t, row, row->text);
            prev = row;
        }
    }
    if (b.err)
        rc = b.err;
    else if (fwrite(b.data, 1, b.len, fp) != b.len)
        rc = CS_EIO;
    cs_outbuf_fini(&b);
    return rc;
}
