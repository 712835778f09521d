/*
 * fuzz_cron.c - libFuzzer target for CronJob schedules (model/cron.h) and
 * the wall-clock parsers (core/clock.h).
 *
 * The input, if it has no NUL byte, is parsed as a schedule; a schedule is
 * evaluated with cs_cron_next() from fixed instants in UTC and in
 * America/New_York (loaded once per process), each answer chained once
 * more. The same text goes to cs_clock_parse_iso() and cs_clock_parse_tod().
 *
 * Invariants: a failed parse fills a message and a column inside the text
 * and leaves the output untouched; a parsed schedule has bits only inside
 * the fields' ranges; Next is INT64_MAX or strictly later, and in zones
 * whose offsets move by whole hours (UTC, New York) its answer matches
 * every field (robfig re-checks all fields after any wrap, and an hour
 * shift always wraps the minute); a parsed ISO time formats and parses
 * back to the same millisecond.
 */
#define _POSIX_C_SOURCE 200809L

#include "fuzz_util.h"

#include "core/clock.h"
#include "core/err.h"
#include "model/cron.h"

#define FCR_MAX_INPUT 4096

/* The zone of the whole process, loaded on first use (NULL: not
 * installed, then only UTC is exercised). */
static const struct cs_tz *fcr_zone(void)
{
    static struct cs_tz *tz;
    static int tried;
    struct cs_err err;

    if (!tried) {
        tried = 1;
        if (cs_tz_load(&tz, "America/New_York", &err) != 0)
            tz = NULL;
    }
    return tz;
}

static void fcr_check_error(const struct cs_err *err, size_t len)
{
    FUZZ_CHECK(err->msg[0] != '\0');
    FUZZ_CHECK(err->col >= 1 && (size_t)err->col <= len + 1);
    FUZZ_CHECK(err->line == 0 && err->path[0] == '\0');
}

/* The firing r of c in tz matches every field of c. */
static void fcr_check_match(const struct cs_cron *c, const struct cs_tz *tz,
                            int64_t r)
{
    struct cs_civil l;
    int dom, dow;

    cs_tz_local(tz, r, &l, NULL);
    dom = (int)(c->dom >> l.mday & 1);
    dow = c->dow >> l.wday & 1;
    FUZZ_CHECK(l.sec == 0);
    FUZZ_CHECK(c->minute >> l.min & 1);
    FUZZ_CHECK(c->hour >> l.hour & 1);
    FUZZ_CHECK(c->month >> l.mon & 1);
    FUZZ_CHECK((c->star_dom || c->star_dow) ? (dom && dow) : (dom || dow));
}

static void fcr_next(const struct cs_cron *c, const struct cs_tz *tz)
{
    static const int64_t from[] = {
        0,          /* 1970-01-01 */
        1767225600, /* 2026-01-01 */
        1772952600, /* 2026-03-08 06:50Z, ten minutes before EDT */
        1793511030, /* 2026-11-01 01:30:30 EDT, before the repeated hour */
        -2208988800 /* 1900-01-01 */
    };

    for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
        int64_t r = cs_cron_next(c, tz, from[i]), r2;

        if (r == INT64_MAX)
            continue;
        FUZZ_CHECK(r > from[i]);
        if (c->every_s > 0) {
            FUZZ_CHECK(r - from[i] == c->every_s);
            continue;
        }
        FUZZ_CHECK(r - from[i] <= (int64_t)6 * 366 * 86400);
        fcr_check_match(c, tz, r);
        r2 = cs_cron_next(c, tz, r);
        FUZZ_CHECK(r2 == INT64_MAX || r2 > r);
        if (r2 != INT64_MAX)
            fcr_check_match(c, tz, r2);
    }
}

static void fcr_cron(const char *text, size_t len)
{
    struct cs_cron c, before;
    struct cs_err err;

    memset(&c, 0x5A, sizeof(c));
    before = c;
    cs_err_clear(&err);
    if (cs_cron_parse(&c, text, &err) != 0) {
        fcr_check_error(&err, len);
        FUZZ_CHECK(memcmp(&c, &before, sizeof(c)) == 0);
        return;
    }
    if (c.every_s > 0) {
        FUZZ_CHECK(c.minute == 0 && c.hour == 0 && c.dom == 0);
    } else {
        FUZZ_CHECK(c.every_s == 0);
        FUZZ_CHECK(c.minute >> 60 == 0 && c.hour >> 24 == 0);
        FUZZ_CHECK((c.dom & 1) == 0 && (c.month & ~0x1FFEu) == 0);
        FUZZ_CHECK(c.dow >> 7 == 0 && c.star_dom <= 1 && c.star_dow <= 1);
    }
    fcr_next(&c, NULL);
    if (fcr_zone() != NULL)
        fcr_next(&c, fcr_zone());
}

static void fcr_clock(const char *text, size_t len)
{
    const struct cs_tz *zones[2] = {NULL, fcr_zone()};
    struct cs_err err;
    int32_t sec = -1;

    for (int z = 0; z < 2; z++) {
        int64_t ms = 42, back = 0;
        char buf[64];

        cs_err_clear(&err);
        if (cs_clock_parse_iso(text, zones[z], &ms, &err) != 0) {
            fcr_check_error(&err, len);
            FUZZ_CHECK(ms == 42);
            continue;
        }
        FUZZ_CHECK(cs_clock_format_iso(buf, sizeof(buf), ms,
                                       cs_tz_offset(zones[z], ms / 1000)) <
                   (int)sizeof(buf));
        FUZZ_CHECK(cs_clock_parse_iso(buf, NULL, &back, &err) == 0);
        FUZZ_CHECK(back == ms);
    }
    cs_err_clear(&err);
    if (cs_clock_parse_tod(text, &sec, &err) == 0)
        FUZZ_CHECK(sec >= 0 && sec < 86400);
    else
        fcr_check_error(&err, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (size > FCR_MAX_INPUT || memchr(data, 0, size) != NULL)
        return 0;
    text = fuzz_strndup(data, size);
    if (text == NULL)
        return 0;
    fcr_cron(text, size);
    fcr_clock(text, size);
    free(text);
    return 0;
}
