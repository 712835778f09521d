/*
 * load_source.h - a load component whose values come from outside the model
 * (a recorded trace file), behind a table of operations so that the model
 * does not depend on the code that reads files.
 *
 * A source is described by an immutable `spec` built when the scenario is
 * loaded; every run opens its own cursor on it, so two simulations of one
 * scenario (a test, a sweep) never share a file position.
 *
 * Calls on one cursor come with t non-decreasing: the model asks for the
 * left limit and the value at the same instant, then for the next knot, and
 * never goes back. That is what lets a source stream a file of ten million
 * rows in the memory of a few.
 */
#ifndef CS_MODEL_LOAD_SOURCE_H
#define CS_MODEL_LOAD_SOURCE_H

#include "core/err.h"
#include "core/time.h"

struct cs_load_source_ops {
    /* Open a cursor for one run on `spec`. 0 with *cursor set, or a
     * negative CS_E* with err filled and nothing left open. */
    int (*open)(const void *spec, void **cursor, struct cs_err *err);

    /* The value at t (ms since the start of the run), or its limit from the
     * left when `left` is 1 (they differ only where the source steps).
     * Never fails: after a read error the source holds its last value and
     * status() reports the error. */
    double (*value)(void *cursor, cs_time_ms t, int left);

    /* The first knot strictly after t: the next instant where the source
     * steps or changes slope (or, for a curve, the next point it is sampled
     * at). CS_TIME_NEVER when the value is constant from t on. */
    cs_time_ms (*next)(void *cursor, cs_time_ms t);

    /* 0, or the negative CS_E* of a read error met after open (the file
     * changed under the run) with err filled as FILE:LINE: message. */
    int (*status)(void *cursor, struct cs_err *err);

    /* Close the cursor; NULL is a no-op. */
    void (*close)(void *cursor);
};

#endif
