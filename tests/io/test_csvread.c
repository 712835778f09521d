/*
 * test_csvread.c - the pull CSV reader: rows, quoting, line numbers,
 * malformed input with FILE:LINE:COL, and chunk boundaries in a file.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/csvread.h"

static struct cs_csv_reader *open_str(const char *s)
{
    struct cs_err err;
    struct cs_csv_reader *r = cs_csv_open_buffer("t.csv", s, strlen(s), &err);

    assert_non_null(r);
    return r;
}

static void test_rows_and_quotes(void **state)
{
    struct cs_csv_reader *r = open_str(
        "a,b,c\n1,\"x,y\",\n\n\"multi\nline\",\"q\"\"q\",3\r\nlast,2,1");
    struct cs_csv_row row;
    struct cs_err err;

    (void)state;
    assert_int_equal(cs_csv_next(r, &row, &err), 1);
    assert_int_equal(row.line, 1);
    assert_int_equal(row.nfields, 3);
    assert_int_equal(cs_csv_find(&row, "c"), 2);
    assert_int_equal(cs_csv_find(&row, "d"), -1);
    assert_int_equal(cs_csv_next(r, &row, &err), 1);
    assert_int_equal(row.line, 2);
    assert_string_equal(row.field[1], "x,y");
    assert_string_equal(row.field[2], "");
    assert_int_equal(cs_csv_next(r, &row, &err), 1);
    assert_int_equal(row.line, 4); /* the blank line 3 is skipped */
    assert_string_equal(row.field[0], "multi\nline");
    assert_string_equal(row.field[1], "q\"q");
    assert_string_equal(row.field[2], "3");
    assert_int_equal(cs_csv_next(r, &row, &err), 1);
    assert_int_equal(row.line, 6);
    assert_string_equal(row.field[0], "last");
    assert_int_equal(cs_csv_next(r, &row, &err), 0);
    assert_int_equal(cs_csv_next(r, &row, &err), 0);
    cs_csv_close(r);
}

static void expect_error(const char *text, int code, const char *msg)
{
    struct cs_csv_reader *r = open_str(text);
    struct cs_csv_row row;
    struct cs_err err;
    char buf[1024];
    int rc;

    while ((rc = cs_csv_next(r, &row, &err)) == 1)
        ;
    assert_int_equal(rc, code);
    cs_err_format(&err, buf, sizeof(buf));
    assert_string_equal(buf, msg);
    assert_int_equal(cs_csv_next(r, &row, &err), code); /* sticky */
    cs_csv_close(r);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("a,b\n1,2\n3,\"x\"y\n", CS_EPARSE,
                 "t.csv:3:6: malformed CSV: a quote inside an unquoted field, "
                 "or text after a closing quote");
    expect_error(
        "a,b\n1,\"open\n2,3\n", CS_EPARSE,
        "t.csv:2:1: malformed CSV: a quoted field in this row is never "
        "closed");
}

static void test_numbers(void **state)
{
    double v = 0;

    (void)state;
    assert_int_equal(cs_csv_number("12.5", &v), 0);
    assert_true(v == 12.5);
    assert_int_equal(cs_csv_number("-1e3", &v), 0);
    assert_true(v == -1000);
    assert_int_equal(cs_csv_number("", &v), -1);
    assert_int_equal(cs_csv_number("1x", &v), -1);
    assert_int_equal(cs_csv_number(" 1", &v), -1);
    assert_int_equal(cs_csv_number("nan", &v), -1);
    assert_int_equal(cs_csv_number("inf", &v), -1);
}

/* A file larger than the reader's 64 KiB chunk: rows cut by a chunk
 * boundary come back whole, with the right line numbers. */
static void test_file_chunks(void **state)
{
    char path[] = "/tmp/capsim-csvread-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp;
    struct cs_err err;
    struct cs_csv_reader *r;
    struct cs_csv_row row;
    int n = 0;

    (void)state;
    assert_true(fd >= 0);
    fp = fdopen(fd, "w");
    fputs("time_s,value\n", fp);
    for (int i = 0; i < 20000; i++)
        fprintf(fp, "%d,\"%d.25\"\n", i, i * 7);
    fclose(fp);
    r = cs_csv_open(path, &err);
    assert_non_null(r);
    assert_int_equal(cs_csv_next(r, &row, &err), 1);
    while (cs_csv_next(r, &row, &err) == 1) {
        double t, v;

        assert_int_equal(row.nfields, 2);
        assert_int_equal(cs_csv_number(row.field[0], &t), 0);
        assert_int_equal(cs_csv_number(row.field[1], &v), 0);
        assert_true(t == n && v == n * 7 + 0.25);
        assert_int_equal(row.line, n + 2);
        n++;
    }
    assert_int_equal(n, 20000);
    cs_csv_close(r);
    unlink(path);
    assert_null(cs_csv_open(path, &err));
    assert_int_equal(strncmp(err.msg, "cannot open", 11), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_and_quotes),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_file_chunks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
