/*
 * trace.h - a recorded load trace (request rate over time, in a CSV file)
 * replayed as a load source, streamed: a file of ten million rows plays in
 * the memory of a few rows.
 *
 * Two modes. In value mode each row is (time, requests per second), the
 * rows being the knots of a curve (step, linear or monotone cubic). In
 * arrivals mode each row is one request arriving at its time, and the rate
 * is the count in buckets of `bucket_s` trace seconds, aligned at the start
 * of the window.
 *
 * A window [window_start, window_end) of trace time is replayed from the
 * simulated instant `offset`, `time_scale` trace seconds per simulated
 * second, the value multiplied by `scale`; with `loop` the window repeats,
 * otherwise its last value holds. docs/traces.md has the whole picture.
 *
 * Lifecycle: the scenario loader fills a struct cs_trace_spec (after
 * cs_trace_spec_init), calls cs_trace_check once, which reads the file in
 * bounded memory and validates it, then every run opens its own cursor
 * through cs_trace_source (model/load_source.h). The spec, and the path or
 * buffer it names, are borrowed by the cursors and must outlive them. The
 * module has no global state.
 */
#ifndef CS_IO_TRACE_H
#define CS_IO_TRACE_H

#include <stddef.h>

#include "core/err.h"
#include "core/time.h"
#include "model/load_source.h"

enum cs_trace_interp { CS_TRACE_LINEAR = 0, CS_TRACE_STEP, CS_TRACE_SPLINE };

struct cs_trace_spec {
    /* set by the scenario loader */
    const char *path;         /* file to read (already resolved); with buf,
                                 only the name used in messages (NULL:
                                 "trace") */
    const char *buf;          /* non-NULL: read buf[0..buflen) instead of
                                 the file (fuzzing, tests); not copied */
    size_t buflen;            /* bytes in buf */
    const char *time_column;  /* header name; NULL: the first column */
    const char *value_column; /* header name; NULL: the first column other
                                 than the time column (value mode); must be
                                 NULL in arrivals mode */
    int arrivals;    /* 1: each row is one request arriving at its time; the
                        value is requests per second over `bucket_s` */
    double bucket_s; /* arrivals mode: bucket width in trace s (default 1) */
    double window_start_s; /* trace time where replay starts; NAN: the first
                              row */
    double window_end_s;   /* trace time where it ends; NAN: the end of the
                              data (value mode: the last row plus the last
                              interval again; arrivals: the end of the last
                              bucket) */
    double time_scale;     /* trace seconds per simulated second: 24 replays a
                              day in an hour (default 1) */
    cs_time_ms offset;     /* simulated ms at which window_start plays (default
                              0); before it the value is the window's first */
    double scale;          /* amplitude multiplier (default 1) */
    enum cs_trace_interp interp; /* default LINEAR; arrivals: STEP only */
    int loop; /* after window_end, start the window again (else hold the
                 value at the end) */

    /* filled by cs_trace_check */
    long long rows;         /* data rows in the file; -1 until checked */
    double first_s, last_s; /* first and last row times (trace s) */
    double data_end_s;      /* end of the data (the default window end) */
    double win_start_s, win_end_s; /* the window replayed, defaults
                                      resolved (trace s) */
    double min_value, max_value;   /* over the window, before scale: the
                                      rows in force during it (arrivals:
                                      the buckets, empty ones count as 0) */
    double mean_value; /* over the window, before scale: time-weighted,
                          each row holding until the next (arrivals:
                          requests in the window / its length) */
};

/* Defaults as documented above: no path, columns by position, value mode,
 * bucket 1 s, NAN window, time_scale 1, offset 0, scale 1, LINEAR, no loop,
 * rows -1. */
void cs_trace_spec_init(struct cs_trace_spec *s);

/* Read the whole file once, in bounded memory, and validate it: header
 * present, named columns exist, every row as wide as the header, every time
 * and value a finite number, values >= 0, times strictly increasing
 * (arrivals: non-decreasing), at least two rows (value mode: the last
 * interval gives the data's end), the window inside the data and lasting at
 * least 1 ms of simulated time, time_scale > 0, scale >= 0, bucket_s > 0,
 * offset >= 0; then fill the statistics. 0, or CS_EIO / CS_EPARSE /
 * CS_EINVAL / CS_ELIMIT / CS_ENOMEM with err = FILE:LINE:COL message (the
 * line and column of the bad cell; FILE: message for a whole-file problem).
 * On failure rows is -1 and the cursor cannot be opened. O(rows) time,
 * O(1) memory (one CSV row). */
int cs_trace_check(struct cs_trace_spec *spec, struct cs_err *err);

/* The load-source operations for a spec that passed cs_trace_check. open
 * fails (CS_EINVAL) on an unchecked spec, or as cs_trace_check would on a
 * header that no longer matches; a cursor holds one CSV reader, four rows
 * and (SPLINE) two small GSL interpolators, allocated at open. Calls on a
 * cursor must come with t non-decreasing (model/load_source.h); on a loop
 * the cursor reopens the file. */
extern const struct cs_load_source_ops cs_trace_source;

#endif
