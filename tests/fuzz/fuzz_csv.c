/*
 * fuzz_csv.c - libFuzzer target for the pull CSV reader (csvread.h).
 *
 * The input is read row by row to the end (or the first error), every
 * field is given to cs_csv_number() and the header's first field looked up
 * with cs_csv_find(). Invariants: rows have at least one field, each field
 * is NUL-terminated at its length, row lines never go down, an error fills
 * the message and is sticky, the end is sticky too.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>

#include "fuzz_util.h"

#include "core/err.h"
#include "io/csvread.h"

static void fc_row(const struct cs_csv_row *row, int first)
{
    FUZZ_CHECK(row->nfields >= 1 && row->line >= 1);
    for (size_t i = 0; i < row->nfields; i++) {
        double v = 0;

        FUZZ_CHECK(row->field[i] != NULL && row->field[i][row->len[i]] == 0);
        FUZZ_CHECK(strlen(row->field[i]) <= row->len[i]);
        if (cs_csv_number(row->field[i], &v) == 0)
            FUZZ_CHECK(isfinite(v));
    }
    if (first) {
        int k = cs_csv_find(row, row->field[0]);

        /* field[0] may hold a NUL, so an earlier field can also match. */
        FUZZ_CHECK(k == 0 || (k > 0 && (size_t)k < row->nfields));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cs_err err;
    struct cs_csv_reader *r;
    struct cs_csv_row row;
    int rc, last_line = 0, first = 1;

    cs_err_clear(&err);
    r = cs_csv_open_buffer("fuzz.csv", (const char *)data, size, &err);
    if (r == NULL)
        return 0;
    while ((rc = cs_csv_next(r, &row, &err)) == 1) {
        FUZZ_CHECK(row.line >= last_line);
        last_line = row.line;
        fc_row(&row, first);
        first = 0;
    }
    if (rc < 0) {
        FUZZ_CHECK(rc == CS_EPARSE || rc == CS_ELIMIT || rc == CS_ENOMEM);
        FUZZ_CHECK(err.msg[0] != '\0');
    } else {
        FUZZ_CHECK(rc == 0);
    }
    FUZZ_CHECK(cs_csv_next(r, &row, &err) == rc);
    FUZZ_CHECK(strcmp(cs_csv_name(r), "fuzz.csv") == 0);
    cs_csv_close(r);
    return 0;
}
