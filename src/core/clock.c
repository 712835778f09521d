/*
 * clock.c - civil dates, local times and ISO-8601 text (see clock.h).
 *
 * Design
 * ------
 * Dates are day numbers since 1970-01-01 converted with Howard Hinnant's
 * days_from_civil / civil_from_days, which are exact for the proleptic
 * Gregorian calendar with 64-bit integers and need no tables or loops. A
 * wall time is "local seconds": the seconds since the epoch a clock showing
 * that time in UTC would have; local = utc + offset.
 *
 * Local to UTC (cs_tz_from_local) walks the zone's constant-offset
 * intervals over [L - 200000 s, L + 200000 s] (offsets are within +-26 h,
 * RFC 8536) and keeps each candidate utc = L - offset that falls inside the
 * interval with that offset: one candidate is the normal case, two a
 * repeated hour, none a skipped one, resolved with the offset in force
 * before the gap (clock.h says why).
 *
 * Parsers never write their output on failure, and point at the column
 * where the input goes wrong.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"

#include <stdio.h>
#include <string.h>

#define LOCAL_SPAN 200000 /* s; > the largest UTC offset (93599 s) * 2 */
#define LOCAL_STEPS 64    /* intervals walked at most in that span */

static int64_t clamp_s(int64_t s)
{
    if (s > CS_CLOCK_LIMIT_S)
        return CS_CLOCK_LIMIT_S;
    if (s < -CS_CLOCK_LIMIT_S)
        return -CS_CLOCK_LIMIT_S;
    return s;
}

int64_t cs_civil_days(int32_t year, int mon, int mday)
{
    int64_t m0 = (int64_t)mon - 1;
    int64_t y = (int64_t)year + cs_floor_div(m0, 12);
    int64_t m = m0 - cs_floor_div(m0, 12) * 12 + 1; /* 1..12 */
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = cs_floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + ((int64_t)mday - 1);
}

void cs_civil_from_seconds(int64_t s, struct cs_civil *c)
{
    int64_t t = clamp_s(s);
    int64_t days = cs_floor_div(t, 86400), secs = t - days * 86400;
    int64_t z = days + 719468, era = cs_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);

    c->year = (int32_t)y;
    c->mon = (int)m;
    c->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->hour = (int)(secs / 3600);
    c->min = (int)(secs / 60 % 60);
    c->sec = (int)(secs % 60);
    c->wday = cs_days_wday(days);
    c->yday = (int)(days - cs_civil_days(c->year, 1, 1));
}

void cs_tz_local(const struct cs_tz *tz, int64_t utc_s, struct cs_civil *out,
                 int32_t *offset_out)
{
    int64_t t = clamp_s(utc_s);
    int32_t off = cs_tz_offset(tz, t);

    cs_civil_from_seconds(t + off, out);
    if (offset_out != NULL)
        *offset_out = off;
}

/* What a wall time resolves to; gap_* describe a skipped wall time. */
struct resolved {
    int rc;           /* 0 once, 1 twice, 2 skipped (cs_tz_from_local) */
    int64_t utc;      /* UTC s */
    int64_t gap_at;   /* UTC s of the jump over the wall time */
    int32_t gap_from; /* offset before the jump */
    int32_t gap_to;   /* offset after it */
};

static void resolve(const struct cs_tz *tz, int64_t wall, struct resolved *r)
{
    int64_t a, b, end = wall + LOCAL_SPAN;
    int32_t o = cs_tz_lookup(tz, wall - LOCAL_SPAN, &a, &b);
    int found = 0;

    memset(r, 0, sizeof(*r));
    for (int k = 0; k < LOCAL_STEPS; k++) {
        int64_t c = wall - o;

        if (c >= a && c < b && found++ == 0)
            r->utc = c;
        if (found == 0 && c >= a) {
            /* the interval ends before this wall time is reached: the
             * next one, if it starts past the wall time, skipped it */
            r->gap_at = b;
            r->gap_from = o;
        }
        if (b == INT64_MAX || b > end)
            break;
        o = cs_tz_lookup(tz, b, &a, &b);
        if (found == 0 && r->gap_at == a)
            r->gap_to = o;
    }
    if (found == 0) {
        r->rc = 2;
        r->utc = wall - r->gap_from;
    } else {
        r->rc = found > 1;
    }
}

/* Local seconds of a wall time; cannot overflow: |days| < 8e11 for an
 * int32 year, so |days * 86400| < 7e16, and the int fields add < 1e13. */
static int64_t wall_seconds(const struct cs_civil *l)
{
    int64_t d = cs_civil_days(l->year, l->mon, l->mday);

    return clamp_s(d * 86400 + (int64_t)l->hour * 3600 + (int64_t)l->min * 60 +
                   l->sec);
}

int cs_tz_from_local(const struct cs_tz *tz, const struct cs_civil *local,
                     int64_t *utc_s)
{
    struct resolved r;

    resolve(tz, wall_seconds(local), &r);
    *utc_s = r.utc;
    return r.rc;
}

/* ---- ISO-8601 ---------------------------------------------------------- */

struct scan {
    const char *s;
    size_t i; /* next byte */
    struct cs_err *err;
};

static const char *const month_name[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 'x' for a printable byte, "end of text" or "byte 0xNN" otherwise. */
static const char *describe(char c, char *buf, size_t n)
{
    unsigned char u = (unsigned char)c;

    if (u == 0)
        snprintf(buf, n, "the end of the text");
    else if (u >= 0x20 && u < 0x7f)
        snprintf(buf, n, "'%c'", c);
    else
        snprintf(buf, n, "byte 0x%02X", u);
    return buf;
}

static int scan_fail(struct scan *sc, size_t col0, const char *what)
{
    return cs_err_set(sc->err, CS_EPARSE, NULL, 0, (int)col0 + 1, "%s", what);
}

/* Exactly n digits as a number, else CS_EPARSE "expected <what>". */
static int scan_num(struct scan *sc, int n, const char *what, int *v)
{
    char d[32];
    int x = 0;

    for (int k = 0; k < n; k++) {
        char c = sc->s[sc->i + (size_t)k];

        if (!is_digit(c))
            return cs_err_set(
                sc->err, CS_EPARSE, NULL, 0, (int)(sc->i + (size_t)k) + 1,
                "expected %s, found %s", what, describe(c, d, sizeof(d)));
        x = x * 10 + (c - '0');
    }
    sc->i += (size_t)n;
    *v = x;
    return 0;
}

static int scan_char(struct scan *sc, char want, const char *what)
{
    char d[32];

    if (sc->s[sc->i] != want)
        return cs_err_set(sc->err, CS_EPARSE, NULL, 0, (int)sc->i + 1,
                          "expected %s, found %s", what,
                          describe(sc->s[sc->i], d, sizeof(d)));
    sc->i++;
    return 0;
}

/* A 2-digit field in [lo, hi]: "<name> 61 is out of range 00-59". */
static int scan_field(struct scan *sc, const char *name, int lo, int hi, int *v)
{
    size_t at = sc->i;
    char what[48];

    snprintf(what, sizeof(what), "a 2-digit %s", name);
    if (scan_num(sc, 2, what, v) != 0)
        return CS_EPARSE;
    if (*v < lo || *v > hi)
        return cs_err_set(sc->err, CS_EPARSE, NULL, 0, (int)at + 1,
                          "%s %02d is out of range %02d-%02d", name, *v, lo,
                          hi);
    return 0;
}

static int scan_date(struct scan *sc, struct cs_civil *c)
{
    int y = 0, mdays;
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (scan_num(sc, 4, "a 4-digit year (a date like 2026-11-27)", &y) != 0 ||
        scan_char(sc, '-', "'-' after the year") != 0 ||
        scan_field(sc, "month", 1, 12, &c->mon) != 0 ||
        scan_char(sc, '-', "'-' after the month") != 0)
        return CS_EPARSE;
    c->year = y;
    mdays = len[c->mon - 1] +
            (c->mon == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
    if (scan_num(sc, 2, "a 2-digit day", &c->mday) != 0)
        return CS_EPARSE;
    if (c->mday < 1 || c->mday > mdays)
        return cs_err_set(sc->err, CS_EPARSE, NULL, 0, (int)sc->i - 1,
                          "day %02d is out of range for %s %04d (01-%02d)",
                          c->mday, month_name[c->mon - 1], y, mdays);
    return 0;
}

/* HH:MM[:SS[.fff]] into c and *ms. */
static int scan_time(struct scan *sc, struct cs_civil *c, int *ms)
{
    if (scan_field(sc, "hour", 0, 23, &c->hour) != 0 ||
        scan_char(sc, ':', "':' after the hour") != 0 ||
        scan_field(sc, "minute", 0, 59, &c->min) != 0)
        return CS_EPARSE;
    if (sc->s[sc->i] != ':')
        return 0;
    sc->i++;
    if (scan_field(sc, "second", 0, 59, &c->sec) != 0)
        return CS_EPARSE;
    if (sc->s[sc->i] != '.')
        return 0;
    sc->i++;
    if (!is_digit(sc->s[sc->i]))
        return scan_num(sc, 1, "a digit after '.'", ms);
    *ms = 0;
    for (int k = 0; is_digit(sc->s[sc->i]); k++, sc->i++) {
        if (k == 9)
            return scan_fail(sc, sc->i, "more than 9 digits of fraction");
        if (k < 3)
            *ms += (sc->s[sc->i] - '0') * (k == 0 ? 100 : k == 1 ? 10 : 1);
    }
    return 0;
}

/* Nothing, "Z", or +HH:MM[:SS] / +HHMM / +HH into *off; *has says which. */
static int scan_zone(struct scan *sc, int32_t *off, int *has)
{
    char sign = sc->s[sc->i];
    int h, m = 0, x = 0;

    *has = 0;
    if (sign == 'Z') {
        sc->i++;
        *has = 1;
        *off = 0;
        return 0;
    }
    if (sign != '+' && sign != '-')
        return 0;
    sc->i++;
    if (scan_field(sc, "offset hour", 0, 23, &h) != 0)
        return CS_EPARSE;
    if (sc->s[sc->i] == ':')
        sc->i++;
    if (sc->s[sc->i - 1] == ':' || is_digit(sc->s[sc->i])) {
        if (scan_field(sc, "offset minute", 0, 59, &m) != 0)
            return CS_EPARSE;
        /* +HH:MM:SS, as cs_clock_format_iso writes local mean time */
        if (sc->s[sc->i - 3] == ':' && sc->s[sc->i] == ':') {
            sc->i++;
            if (scan_field(sc, "offset second", 0, 59, &x) != 0)
                return CS_EPARSE;
        }
    }
    *has = 1;
    *off = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60 + x);
    return 0;
}

/* "02:00" or "02:00:30" for the wall clock at local seconds w. */
static void hhmm(int64_t w, char *buf, size_t n)
{
    struct cs_civil c;

    cs_civil_from_seconds(w, &c);
    if (c.sec != 0)
        snprintf(buf, n, "%02d:%02d:%02d", c.hour, c.min, c.sec);
    else
        snprintf(buf, n, "%02d:%02d", c.hour, c.min);
}

/* The wall time c to UTC in tz (NULL = UTC); CS_EPARSE if it is skipped. */
static int local_to_utc(const struct cs_tz *tz, const struct cs_civil *c,
                        int col, int64_t *utc, struct cs_err *err)
{
    struct resolved r;
    char from[16], to[16];

    if (tz == NULL) {
        *utc = wall_seconds(c);
        return 0;
    }
    resolve(tz, wall_seconds(c), &r);
    if (r.rc != 2) {
        *utc = r.utc;
        return 0;
    }
    hhmm(r.gap_at + r.gap_from, from, sizeof(from));
    hhmm(r.gap_at + r.gap_to, to, sizeof(to));
    return cs_err_set(err, CS_EPARSE, NULL, 0, col,
                      "local time %04d-%02d-%02dT%02d:%02d:%02d does not "
                      "exist in %s: clocks jump from %s to %s that day",
                      (int)c->year, c->mon, c->mday, c->hour, c->min, c->sec,
                      cs_tz_name(tz), from, to);
}

int cs_clock_parse_iso(const char *s, const struct cs_tz *tz, int64_t *utc_ms,
                       struct cs_err *err)
{
    struct scan sc = {s, 0, err};
    struct cs_civil c = {0};
    int ms = 0, has_off = 0, time_col = 1;
    int32_t off = 0;
    int64_t utc = 0;
    char d[32];

    if (scan_date(&sc, &c) != 0)
        return CS_EPARSE;
    if (s[sc.i] != '\0') {
        if (s[sc.i] != 'T' && s[sc.i] != ' ')
            return cs_err_set(err, CS_EPARSE, NULL, 0, (int)sc.i + 1,
                              "expected 'T' or ' ' between the date and the "
                              "time, found %s",
                              describe(s[sc.i], d, sizeof(d)));
        time_col = (int)++sc.i + 1;
        if (scan_time(&sc, &c, &ms) != 0 || scan_zone(&sc, &off, &has_off) != 0)
            return CS_EPARSE;
    }
    if (s[sc.i] != '\0')
        return cs_err_set(err, CS_EPARSE, NULL, 0, (int)sc.i + 1,
                          "unexpected %s after the %s%s",
                          describe(s[sc.i], d, sizeof(d)),
                          has_off ? "offset" : "time",
                          has_off ? ""
                                  : " (expected the end, 'Z' or an "
                                    "offset like +01:00)");
    if (has_off)
        utc = wall_seconds(&c) - off;
    else if (local_to_utc(tz, &c, time_col, &utc, err) != 0)
        return CS_EPARSE;
    /* keep a day's margin inside years 0000-9999, so the instant written
     * in any zone (offsets < 26 h) is a date this function reads back */
    if (utc < cs_civil_days(1, 1, 1) * 86400 ||
        utc >= cs_civil_days(9999, 12, 31) * 86400)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 1,
                          "the instant must be from 0001-01-01T00:00:00Z "
                          "to 9999-12-30T23:59:59Z");
    *utc_ms = utc * 1000 + ms;
    return 0;
}

int cs_clock_format_iso(char *buf, size_t n, int64_t utc_ms, int32_t offset_s)
{
    int64_t sec = clamp_s(cs_floor_div(utc_ms, 1000));
    int ms = (int)(utc_ms - cs_floor_div(utc_ms, 1000) * 1000);
    int32_t a = offset_s < 0 ? -offset_s : offset_s;
    char frac[8] = "", zone[16], year[16];
    struct cs_civil c;

    cs_civil_from_seconds(sec + offset_s, &c);
    if (ms != 0)
        snprintf(frac, sizeof(frac), ".%03d", ms);
    if (a % 60 != 0)
        snprintf(zone, sizeof(zone), "%c%02d:%02d:%02d",
                 offset_s < 0 ? '-' : '+', (int)(a / 3600), (int)(a / 60 % 60),
                 (int)(a % 60));
    else
        snprintf(zone, sizeof(zone), "%c%02d:%02d", offset_s < 0 ? '-' : '+',
                 (int)(a / 3600), (int)(a / 60 % 60));
    if (c.year < 0)
        snprintf(year, sizeof(year), "-%04ld", -(long)c.year);
    else
        snprintf(year, sizeof(year), "%04ld", (long)c.year);
    return snprintf(buf, n, "%s-%02d-%02dT%02d:%02d:%02d%s%s", year, c.mon,
                    c.mday, c.hour, c.min, c.sec, frac, zone);
}

int cs_clock_parse_tod(const char *s, int32_t *sec, struct cs_err *err)
{
    struct scan sc = {s, 0, err};
    int h = 0, m, x = 0, k;
    char d[32];

    for (k = 0; k < 2 && is_digit(s[k]); k++)
        h = h * 10 + (s[k] - '0');
    if (k == 0)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 1,
                          "expected a time of day like 11:30 or 11:30:00, "
                          "found %s",
                          describe(s[0], d, sizeof(d)));
    if (h > 23)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 1,
                          "hour %d is out of range 0-23", h);
    sc.i = (size_t)k;
    if (scan_char(&sc, ':', "':' after the hour") != 0 ||
        scan_field(&sc, "minute", 0, 59, &m) != 0)
        return CS_EPARSE;
    if (s[sc.i] == ':') {
        sc.i++;
        if (scan_field(&sc, "second", 0, 59, &x) != 0)
            return CS_EPARSE;
    }
    if (s[sc.i] != '\0')
        return cs_err_set(err, CS_EPARSE, NULL, 0, (int)sc.i + 1,
                          "unexpected %s after the time",
                          describe(s[sc.i], d, sizeof(d)));
    *sec = h * 3600 + m * 60 + x;
    return 0;
}
