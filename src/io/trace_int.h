/*
 * trace_int.h - what trace.c (reading and checking) shares with
 * trace_cursor.c (replay): the validating row reader and the bucketer of
 * arrivals mode. Not part of the public API.
 *
 * Both readers are used twice: by cs_trace_check, which reads the whole
 * file once, and by every cursor, which reads it again (once per loop) and
 * must see exactly the same points, so there is one copy of each rule.
 */
#ifndef CS_IO_TRACE_INT_H
#define CS_IO_TRACE_INT_H

#include "io/csvread.h"
#include "io/trace.h"

/* One point of the curve: a row (value mode) or a bucket (arrivals). */
struct trace_pt {
    double t; /* trace seconds */
    double v; /* requests per second, >= 0, before scale */
};

/* A CSV reader that knows the trace's columns and validates every row. */
struct trace_rows {
    const struct cs_trace_spec *spec;
    struct cs_csv_reader *csv; /* NULL when closed */
    size_t width;              /* fields in the header */
    int tcol, vcol;            /* column indices; vcol -1 in arrivals mode */
    long long n;               /* data rows read so far */
    double last_t;             /* time of the previous row (n > 0) */
};

/* Open spec's file (or buffer) and read its header, finding the columns.
 * 0, or a negative CS_E* with err filled and r closed. */
int trace_rows_open(struct trace_rows *r, const struct cs_trace_spec *spec,
                    struct cs_err *err);

/* The next data row as a point (arrivals: v is 1): 1, 0 at the end, or a
 * negative CS_E* with err = FILE:LINE:COL of the bad cell (a cell that is
 * not a number, a negative value, a row out of order, a short row). */
int trace_rows_next(struct trace_rows *r, struct trace_pt *pt,
                    struct cs_err *err);

/* Close; a closed reader is a no-op. */
void trace_rows_close(struct trace_rows *r);

/* Arrivals mode: counts arrival times (pushed in order) into buckets
 * [ws + k b, ws + (k+1) b) clipped to we, and hands back one point per
 * bucket, except that a run of empty buckets is one point of value 0. */
struct trace_buckets {
    double ws, we, b; /* ws NAN until the first arrival sets it */
    double k;         /* index of the open bucket (an integer) */
    long long n;      /* arrivals counted in it */
    int done;         /* flushed: every further call returns 0 */
};

/* ws NAN: the first arrival pushed; we may be INFINITY. */
void trace_buckets_init(struct trace_buckets *bk, double ws, double we,
                        double b);

/* Count one arrival at t; returns how many buckets it closed (0..2) into
 * out[]. An arrival at or after we flushes. */
int trace_buckets_push(struct trace_buckets *bk, double t,
                       struct trace_pt out[2]);

/* Close the open bucket: 1 with out[0], or 0 (already done, or no
 * window start yet). */
int trace_buckets_flush(struct trace_buckets *bk, struct trace_pt out[1]);

/* Index of the bucket holding t (may be negative): the m with
 * ws + m b <= t < ws + (m+1) b as computed in doubles. */
double trace_bucket_of(double ws, double b, double t);

#endif
