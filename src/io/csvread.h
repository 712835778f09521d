/*
 * csvread.h - read RFC 4180 CSV one row at a time, in bounded memory.
 *
 * A pull reader over libcsv: cs_csv_next() feeds the parser from a 64 KiB
 * buffer until one row is complete, so a file of ten million rows is read
 * with the memory of one row. Every row knows the line it starts on, and a
 * malformed file (an unterminated quote, a stray quote inside a field, a
 * row longer than CS_CSV_ROW_MAX) is an error naming FILE:LINE:COL.
 *
 * Lines end with "\n" or "\r\n"; empty lines are skipped. The first row is
 * returned like any other (callers treat it as the header).
 *
 * Ownership: the reader owns the row it returns; the row's strings stay
 * valid until the next cs_csv_next() or cs_csv_close().
 */
#ifndef CS_IO_CSVREAD_H
#define CS_IO_CSVREAD_H

#include "core/err.h"

#include <stddef.h>

#define CS_CSV_ROW_MAX ((size_t)1 << 20) /* bytes of one row */

struct cs_csv_reader;

struct cs_csv_row {
    int line;           /* 1-based line the row starts on */
    size_t nfields;     /* at least 1 */
    const char **field; /* NUL-terminated field texts */
    const size_t *len;  /* their lengths in bytes */
};

/* Open path for reading. NULL with err filled (path and reason). */
struct cs_csv_reader *cs_csv_open(const char *path, struct cs_err *err);

/* Read from buf[0..len) (not copied: it must outlive the reader); `name`
 * is the path used in messages. NULL only when out of memory. */
struct cs_csv_reader *cs_csv_open_buffer(const char *name, const char *buf,
                                         size_t len, struct cs_err *err);

/* The next row into *row: 1 on a row, 0 at the end of the input, or a
 * negative CS_E* (CS_EPARSE, CS_EIO, CS_ELIMIT, CS_ENOMEM) with err filled;
 * after an error or the end every further call returns the same. */
int cs_csv_next(struct cs_csv_reader *r, struct cs_csv_row *row,
                struct cs_err *err);

/* The name given at open (for messages). */
const char *cs_csv_name(const struct cs_csv_reader *r);

/* Close and free; NULL is a no-op. */
void cs_csv_close(struct cs_csv_reader *r);

/* Index of the field equal to name in a (header) row, or -1. */
int cs_csv_find(const struct cs_csv_row *row, const char *name);

/* Parse a whole field as a finite number ("12", "-3.5", "1e3"). Returns 0
 * with *v set, or -1 (empty, trailing bytes, not finite). */
int cs_csv_number(const char *s, double *v);

#endif
