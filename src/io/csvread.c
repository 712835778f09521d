/*
 * csvread.c - pull CSV reader over libcsv (see csvread.h).
 *
 * Input is fed to libcsv in segments that end at a line break, so at most
 * one row ends per segment and the reader always knows which line it is on.
 * The field callback appends each field (and a NUL) to one byte buffer and
 * records its offset; the row callback marks the row complete, and
 * cs_csv_next() then builds the pointer array for the caller.
 *
 * States of a reader (the function that moves it):
 *
 *   reading --row complete (cs_csv_next)--> reading
 *      |  \--end of input (cs_csv_next: csv_fini)--> done (returns 0)
 *      \--malformed / I/O error / too long---------> failed (returns rc)
 */
#define _POSIX_C_SOURCE 200809L
#include "io/csvread.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)64 * 1024)

struct cs_csv_reader {
    char *name;
    FILE *fp;        /* NULL when reading a buffer */
    const char *src; /* buffer input, or fp's chunk */
    size_t src_len;  /* bytes in src */
    size_t src_pos;  /* bytes of src consumed */
    char *chunk;     /* CHUNK bytes for file input */
    struct csv_parser p;
    int line;          /* line of the next byte to feed (1-based) */
    int col;           /* column of the next byte to feed (1-based) */
    int in_row;        /* bytes of the current row have been fed */
    int row_line;      /* line the current row started on */
    size_t row_bytes;  /* bytes fed for the current row */
    int row_done;      /* the row callback fired */
    int state;         /* 0 reading, 1 done, < 0 the sticky error */
    struct cs_err err; /* the sticky error's message */

    /* the row being built: fields back to back, NUL-terminated */
    char *bytes;
    size_t nbytes, bytes_cap;
    size_t *off, *len;
    const char **field;
    size_t nfields, fields_cap;
    int oom;
};

static void on_field(void *s, size_t n, void *data)
{
    struct cs_csv_reader *r = data;

    if (r->oom)
        return;
    if (r->nfields == r->fields_cap) {
        size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
        size_t *off = realloc(r->off, cap * sizeof(*off));
        size_t *len = off ? realloc(r->len, cap * sizeof(*len)) : NULL;

        if (off != NULL)
            r->off = off;
        if (len == NULL) {
            r->oom = 1;
            return;
        }
        r->len = len;
        r->fields_cap = cap;
    }
    if (r->bytes_cap - r->nbytes < n + 1) {
        size_t cap = r->bytes_cap ? r->bytes_cap : 256;
        char *b;

        while (cap - r->nbytes < n + 1)
            cap *= 2;
        b = realloc(r->bytes, cap);
        if (b == NULL) {
            r->oom = 1;
            return;
        }
        r->bytes = b;
        r->bytes_cap = cap;
    }
    if (n > 0)
        memcpy(r->bytes + r->nbytes, s, n);
    r->bytes[r->nbytes + n] = '\0';
    r->off[r->nfields] = r->nbytes;
    r->len[r->nfields] = n;
    r->nfields++;
    r->nbytes += n + 1;
}

static void on_row(int c, void *data)
{
    struct cs_csv_reader *r = data;

    (void)c;
    r->row_done = 1;
}

static struct cs_csv_reader *reader_new(const char *name, struct cs_err *err)
{
    struct cs_csv_reader *r = calloc(1, sizeof(*r));

    if (r == NULL || (r->name = strdup(name)) == NULL ||
        csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        if (r != NULL)
            free(r->name);
        free(r);
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    r->line = 1;
    r->col = 1;
    return r;
}

struct cs_csv_reader *cs_csv_open(const char *path, struct cs_err *err)
{
    struct cs_csv_reader *r;
    FILE *fp = fopen(path, "rb");

    if (fp == NULL) {
        cs_err_set(err, CS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    r = reader_new(path, err);
    if (r != NULL && (r->chunk = malloc(CHUNK)) == NULL) {
        cs_csv_close(r);
        r = NULL;
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (r == NULL) {
        fclose(fp);
        return NULL;
    }
    r->fp = fp;
    r->src = r->chunk;
    return r;
}

struct cs_csv_reader *cs_csv_open_buffer(const char *name, const char *buf,
                                         size_t len, struct cs_err *err)
{
    struct cs_csv_reader *r = reader_new(name, err);

    if (r != NULL) {
        r->src = buf;
        r->src_len = len;
    }
    return r;
}

const char *cs_csv_name(const struct cs_csv_reader *r)
{
    return r->name;
}

static int fail(struct cs_csv_reader *r, int code, int line, int col,
                const char *msg)
{
    r->state = code;
    cs_err_set(&r->err, code, r->name, line, col, "%s", msg);
    return code;
}

/* Make more input available: 1 if there is some, 0 at the end. */
static int refill(struct cs_csv_reader *r)
{
    size_t n;

    if (r->src_pos < r->src_len)
        return 1;
    if (r->fp == NULL)
        return 0;
    n = fread(r->chunk, 1, CHUNK, r->fp);
    if (n == 0 && ferror(r->fp))
        return fail(r, CS_EIO, 0, 0, "read error");
    r->src_len = n;
    r->src_pos = 0;
    return n > 0;
}

/* Feed one segment (up to and including the next line break). */
static int feed_segment(struct cs_csv_reader *r)
{
    const char *s = r->src + r->src_pos;
    size_t avail = r->src_len - r->src_pos;
    const char *nl = memchr(s, '\n', avail);
    size_t n = nl ? (size_t)(nl - s) + 1 : avail;
    size_t done;

    if (!r->in_row) {
        /* skip blank lines between rows */
        if ((n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' && nl)) {
            r->src_pos += n;
            r->line++;
            r->col = 1;
            return 0;
        }
        r->in_row = 1;
        r->row_line = r->line;
        r->row_bytes = 0;
    }
    r->row_bytes += n;
    if (r->row_bytes > CS_CSV_ROW_MAX)
        return fail(r, CS_ELIMIT, r->row_line, 0,
                    "row longer than 1 MiB (a missing closing quote?)");
    done = csv_parse(&r->p, s, n, on_field, on_row, r);
    if (r->oom)
        return fail(r, CS_ENOMEM, 0, 0, "out of memory");
    if (done < n) {
        int e = csv_error(&r->p);

        if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
            return fail(r, CS_ENOMEM, 0, 0, "out of memory");
        return fail(r, CS_EPARSE, r->line, r->col + (int)done,
                    "malformed CSV: a quote inside an unquoted field, or "
                    "text after a closing quote");
    }
    r->src_pos += n;
    if (nl != NULL) {
        r->line++;
        r->col = 1;
    } else {
        r->col += (int)n;
    }
    return 0;
}

static void take_row(struct cs_csv_reader *r, struct cs_csv_row *row)
{
    for (size_t i = 0; i < r->nfields; i++)
        r->field[i] = r->bytes + r->off[i];
    row->line = r->row_line;
    row->nfields = r->nfields;
    row->field = r->field;
    row->len = r->len;
    r->in_row = 0;
    r->row_done = 0;
}

/* Pointer array for a complete row (allocated to the field capacity). */
static int ensure_field_ptrs(struct cs_csv_reader *r)
{
    const char **f;

    f = realloc(r->field, (r->fields_cap ? r->fields_cap : 1) * sizeof(*f));
    if (f == NULL)
        return fail(r, CS_ENOMEM, 0, 0, "out of memory");
    r->field = f;
    return 0;
}

int cs_csv_next(struct cs_csv_reader *r, struct cs_csv_row *row,
                struct cs_err *err)
{
    int rc;

    r->nfields = 0;
    r->nbytes = 0;
    while (r->state == 0 && !r->row_done) {
        rc = refill(r);
        if (rc < 0)
            break;
        if (rc == 0) {
            if (csv_fini(&r->p, on_field, on_row, r) != 0) {
                fail(r, CS_EPARSE, r->row_line, 0,
                     "malformed CSV: a quoted field in this row is never "
                     "closed");
                break;
            }
            if (r->oom) {
                fail(r, CS_ENOMEM, 0, 0, "out of memory");
                break;
            }
            if (!r->row_done)
                r->state = 1;
            break;
        }
        feed_segment(r);
    }
    if (r->state < 0) {
        *err = r->err;
        return r->state;
    }
    if (!r->row_done)
        return 0;
    if (ensure_field_ptrs(r) < 0) {
        *err = r->err;
        return r->state;
    }
    take_row(r, row);
    return 1;
}

void cs_csv_close(struct cs_csv_reader *r)
{
    if (r == NULL)
        return;
    if (r->fp != NULL)
        fclose(r->fp);
    csv_free(&r->p);
    free(r->chunk);
    free(r->bytes);
    free(r->off);
    free(r->len);
    free(r->field);
    free(r->name);
    free(r);
}

int cs_csv_find(const struct cs_csv_row *row, const char *name)
{
    for (size_t i = 0; i < row->nfields; i++)
        if (strcmp(row->field[i], name) == 0)
            return (int)i;
    return -1;
}

int cs_csv_number(const char *s, double *v)
{
    char *end;
    double d;

    if (s[0] == '\0' || s[0] == ' ' || s[0] == '\t')
        return -1;
    errno = 0;
    d = strtod(s, &end);
    if (*end != '\0' || !isfinite(d) || errno == ERANGE)
        return -1;
    *v = d;
    return 0;
}
