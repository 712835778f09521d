/*
 * fuzz_trace.c - libFuzzer target for recorded load traces (io/trace.h).
 *
 * Input: six option bytes, then the CSV text, read from the buffer (the
 * spec's buf). The options pick the mode (linear, step, spline, arrivals),
 * loop, named columns, time_scale, scale, offset and bucket width, and
 * whether to replay a window inside the data (placed by the last two bytes
 * after a first check has measured the data). A spec that checks is opened
 * and walked from t = 0 along next() for at most FT_STEPS knots, asking the
 * left limit and the value at each, as the simulator does (or the value
 * first, by an option bit).
 *
 * Invariants: a failed check returns a known code with a message and
 * leaves rows at -1; a checked spec opens; values and left limits are
 * never NaN or negative; with step interpolation (and arrivals) they lie
 * in [min, max] x scale, the statistics of the window; next() is strictly
 * after t; status() stays 0 (the buffer does not change under the run).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>

#include "fuzz_util.h"

#include "core/err.h"
#include "io/trace.h"

#define FT_OPTS 6
#define FT_STEPS 500

static const double ft_time_scales[8] = {1, 24, 0.5, 60, 1e-3, 1000, 7, 3600};
static const double ft_scales[4] = {1, 0.5, 0, 3};
static const double ft_buckets[4] = {1, 60, 0.25, 10};

static void ft_set(struct cs_trace_spec *s, const uint8_t *o)
{
    int mode = o[0] % 4;

    s->interp = mode == 1   ? CS_TRACE_STEP
                : mode == 2 ? CS_TRACE_SPLINE
                : mode == 3 ? CS_TRACE_STEP
                            : CS_TRACE_LINEAR;
    s->arrivals = mode == 3;
    s->loop = o[1] & 1;
    if (o[1] & 4) {
        s->time_column = "time_s";
        s->value_column = s->arrivals ? NULL : "rps";
    }
    s->time_scale = ft_time_scales[o[2] % 8];
    s->scale = ft_scales[(o[2] >> 3) % 4];
    s->bucket_s = ft_buckets[(o[2] >> 5) % 4];
    s->offset = (cs_time_ms)(o[3] % 16) * 250;
}

static int ft_check(struct cs_trace_spec *s)
{
    struct cs_err err;
    int rc;

    cs_err_clear(&err);
    rc = cs_trace_check(s, &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == CS_EPARSE || rc == CS_EINVAL || rc == CS_ELIMIT ||
                   rc == CS_ENOMEM || rc == CS_EIO);
        FUZZ_CHECK(err.msg[0] != '\0' && s->rows == -1);
        return rc;
    }
    FUZZ_CHECK(rc == 0 && s->rows >= 1);
    FUZZ_CHECK(s->win_start_s < s->win_end_s);
    FUZZ_CHECK(s->min_value >= 0 && s->min_value <= s->max_value);
    return 0;
}

static void ft_value(const struct cs_trace_spec *s, double v)
{
    double lo = s->min_value * s->scale, hi = s->max_value * s->scale;

    FUZZ_CHECK(!isnan(v) && v >= 0);
    /* values near DBL_MAX times a scale overflow to inf, and so do the
     * bounds: only finite bounds bound anything */
    if (s->interp == CS_TRACE_STEP && isfinite(hi))
        FUZZ_CHECK(v >= lo - 1e-9 * lo && v <= hi + 1e-9 * hi);
}

/* Walk the knots; `swap` asks the value before the left limit. */
static void ft_walk(const struct cs_trace_spec *s, int swap)
{
    struct cs_err err;
    void *c = NULL;
    cs_time_ms t = 0;
    int rc = cs_trace_source.open(s, &c, &err);

    if (rc == CS_ENOMEM)
        return;
    FUZZ_CHECK(rc == 0 && c != NULL);
    for (int i = 0; i < FT_STEPS && t != CS_TIME_NEVER; i++) {
        cs_time_ms n;

        ft_value(s, cs_trace_source.value(c, t, !swap));
        ft_value(s, cs_trace_source.value(c, t, swap));
        n = cs_trace_source.next(c, t);
        FUZZ_CHECK(n > t);
        t = n;
    }
    FUZZ_CHECK(cs_trace_source.status(c, &err) == 0);
    cs_trace_source.close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cs_trace_spec s;
    double span;

    if (size < FT_OPTS)
        return 0;
    cs_trace_spec_init(&s);
    s.path = "fuzz.csv";
    s.buf = (const char *)data + FT_OPTS;
    s.buflen = size - FT_OPTS;
    ft_set(&s, data);
    if (ft_check(&s) < 0)
        return 0;
    if (data[1] & 2) { /* a window inside the data, from the last bytes */
        span = s.data_end_s - s.first_s;
        s.window_start_s = s.first_s + span * (data[4] / 256.0);
        s.window_end_s = s.window_start_s + (s.data_end_s - s.window_start_s) *
                                                ((data[5] + 1) / 256.0);
        if (ft_check(&s) < 0)
            return 0;
    }
    ft_walk(&s, (data[1] & 8) != 0);
    return 0;
}
