/*
 * tzfile.c - time zones: TZif files and POSIX TZ strings (see clock.h).
 *
 * Design
 * ------
 * A zone is read once into a compact table and never changes:
 *
 *   off0        offset before the first transition (RFC 8536: type 0)
 *   at[i],off[i] transitions where the offset CHANGES, ascending; a file's
 *               transitions that only rename the zone or flip isdst are
 *               merged away, so every at[i] is a real change
 *   footer      the POSIX TZ string, used for every instant on or after
 *               footer_from (the file's last transition, merged or not)
 *
 * Only offsets are kept: capsim never prints abbreviations, and isdst
 * does not decide anything (a "DST" period is just another offset).
 *
 * The footer is evaluated without a table. For an instant in UTC year Y the
 * rule's events of years Y-2..Y+2 are listed (start of DST read in standard
 * time, end of DST read in daylight time, both as RFC 8536 allows: day
 * Jn, n or Mm.w.d, time -167..167 h), ordered by instant, and the last
 * event at or before the instant decides. Events from neighbouring years
 * make rules that cross a year boundary (southern hemisphere, negative or
 * >24 h times, "permanent DST" written as 0/0,J365/25) come out right; on
 * equal instants a later year's event wins, so permanent DST never blinks.
 *
 * Invariants
 *  1. at[] is strictly ascending and off[i] != off[i-1] (off[-1] = off0).
 *  2. cs_tz_lookup() returns an interval [from, to) holding the instant
 *     over which the offset is constant.
 *  3. Instants beyond +-CS_CLOCK_LIMIT_S take the footer's answer at the
 *     limit, so no date arithmetic overflows.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TZIF_MAX_BYTES ((size_t)1 << 20)
#define TZ_NAME_MAX 255
#define TZ_FOOTER_MAX 255
#define UTOFF_MIN (-89999) /* RFC 8536 3.2: -25:59:59 .. +25:59:59 */
#define UTOFF_MAX 93599
#define RULE_HOURS_MAX 167
#define NEXT_CHANGE_STEPS 16 /* footer events tried before "never" */

enum rule_kind { RULE_JULIAN1, RULE_DAY0, RULE_MONTH };

struct tz_rule {
    int kind;            /* enum rule_kind */
    int day;             /* Jn: 1-365 (no 29 Feb); n: 0-365 */
    int mon, week, wday; /* Mm.w.d: 1-12, 1-5 (5 = last), 0-6 */
    int32_t time_s;      /* local time of day, s, -167 h .. 167 h */
};

struct tz_footer {
    int present;     /* a non-empty TZ string was given */
    int has_dst;     /* start/end apply */
    int32_t std_off; /* s east of UTC */
    int32_t dst_off; /* s east of UTC */
    struct tz_rule start, end;
};

struct cs_tz {
    char *name;          /* as given to cs_tz_load */
    size_t n;            /* merged transitions */
    int64_t *at;         /* UTC s, ascending */
    int32_t *off;        /* s east of UTC from at[i] on */
    int32_t off0;        /* s east of UTC before at[0] */
    int64_t footer_from; /* UTC s; footer rules from here on */
    struct tz_footer ft;
};

struct tz_event {
    int64_t at;  /* UTC s */
    int32_t off; /* s east of UTC from at on */
};

/* ---- POSIX TZ strings -------------------------------------------------- */

static int is_alpha(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* An abbreviation: 3+ letters, or <3+ of [A-Za-z0-9+-]>. */
static int tzs_name(const char **pp)
{
    const char *p = *pp;
    size_t k = 0;

    if (*p == '<') {
        for (p++;
             is_alpha(p[k]) || is_digit(p[k]) || p[k] == '+' || p[k] == '-';
             k++)
            ;
        if (k < 3 || p[k] != '>')
            return -1;
        *pp = p + k + 1;
        return 0;
    }
    while (is_alpha(p[k]))
        k++;
    if (k < 3)
        return -1;
    *pp = p + k;
    return 0;
}

/* Up to `width` digits (at least one) into *v. */
static int tzs_digits(const char **pp, int width, int *v)
{
    const char *p = *pp;
    int k = 0, x = 0;

    while (k < width && is_digit(p[k]))
        x = x * 10 + (p[k++] - '0');
    if (k == 0)
        return -1;
    *pp = p + k;
    *v = x;
    return 0;
}

/* [+-]hh[:mm[:ss]] with hh <= max_h into *secs (signed). */
static int tzs_hms(const char **pp, int max_h, int32_t *secs)
{
    const char *p = *pp;
    int sign = 1, h, m = 0, s = 0;

    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (tzs_digits(&p, 3, &h) != 0 || h > max_h)
        return -1;
    if (*p == ':') {
        p++;
        if (tzs_digits(&p, 2, &m) != 0 || m > 59)
            return -1;
        if (*p == ':') {
            p++;
            if (tzs_digits(&p, 2, &s) != 0 || s > 59)
                return -1;
        }
    }
    *pp = p;
    *secs = sign * (h * 3600 + m * 60 + s);
    return 0;
}

/* Jn | n | Mm.w.d, then an optional /time (default 02:00:00). */
static int tzs_rule(const char **pp, struct tz_rule *r)
{
    const char *p = *pp;

    memset(r, 0, sizeof(*r));
    if (*p == 'J') {
        p++;
        r->kind = RULE_JULIAN1;
        if (tzs_digits(&p, 3, &r->day) != 0 || r->day < 1 || r->day > 365)
            return -1;
    } else if (*p == 'M') {
        p++;
        r->kind = RULE_MONTH;
        if (tzs_digits(&p, 2, &r->mon) != 0 || r->mon < 1 || r->mon > 12 ||
            *p++ != '.' || tzs_digits(&p, 1, &r->week) != 0 || r->week < 1 ||
            r->week > 5 || *p++ != '.' || tzs_digits(&p, 1, &r->wday) != 0 ||
            r->wday > 6)
            return -1;
    } else {
        r->kind = RULE_DAY0;
        if (tzs_digits(&p, 3, &r->day) != 0 || r->day > 365)
            return -1;
    }
    r->time_s = 2 * 3600;
    if (*p == '/') {
        p++;
        if (tzs_hms(&p, RULE_HOURS_MAX, &r->time_s) != 0)
            return -1;
    }
    *pp = p;
    return 0;
}

/* std offset [dst [offset] [,start[/time],end[/time]]]; POSIX offsets are
 * positive WEST of Greenwich. A dst without rules gets the US rules, as
 * glibc does. 0, or -1 when s is not a valid TZ string. */
static int footer_parse(const char *s, struct tz_footer *f)
{
    const char *p = s;
    int32_t v;

    memset(f, 0, sizeof(*f));
    if (*p == '\0')
        return 0;
    if (tzs_name(&p) != 0 || tzs_hms(&p, 24, &v) != 0)
        return -1;
    f->present = 1;
    f->std_off = -v;
    f->dst_off = -v;
    if (*p == '\0')
        return 0;
    if (tzs_name(&p) != 0)
        return -1;
    f->has_dst = 1;
    f->dst_off = f->std_off + 3600;
    if (*p != ',' && *p != '\0') {
        if (tzs_hms(&p, 24, &v) != 0)
            return -1;
        f->dst_off = -v;
    }
    if (*p == '\0') {
        p = ",M3.2.0,M11.1.0";
    }
    if (*p++ != ',' || tzs_rule(&p, &f->start) != 0 || *p++ != ',' ||
        tzs_rule(&p, &f->end) != 0 || *p != '\0')
        return -1;
    return 0;
}

/* ---- footer evaluation ------------------------------------------------- */

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return len[m - 1] + (m == 2 && is_leap(y));
}

/* The rule's local date-time in year y, as seconds of a wall clock. */
static int64_t rule_wall(int32_t y, const struct tz_rule *r)
{
    int64_t d = cs_civil_days(y, 1, 1);

    if (r->kind == RULE_JULIAN1) {
        d += r->day - 1 + (is_leap(y) && r->day >= 60);
    } else if (r->kind == RULE_DAY0) {
        d += r->day;
    } else {
        int64_t first = cs_civil_days(y, r->mon, 1);
        int wd1 = cs_days_wday(first);
        int day = (r->wday - wd1 + 7) % 7 + 7 * (r->week - 1);

        while (day >= month_days(y, r->mon))
            day -= 7;
        d = first + day;
    }
    return d * 86400 + r->time_s;
}

static int32_t utc_year(int64_t t)
{
    struct cs_civil c;

    cs_civil_from_seconds(t, &c);
    return c.year;
}

/* The offset the footer gives at t (|t| <= CS_CLOCK_LIMIT_S) and the
 * events around it: *from <= t < *to. */
static int32_t footer_at(const struct tz_footer *f, int64_t t, int64_t *from,
                         int64_t *to)
{
    struct tz_event ev[10];
    int32_t y = utc_year(t);
    int n = 0, i, last = -1;

    if (!f->has_dst) {
        *from = INT64_MIN;
        *to = INT64_MAX;
        return f->std_off;
    }
    for (int32_t k = y - 2; k <= y + 2; k++) {
        struct tz_event s = {rule_wall(k, &f->start) - f->std_off, f->dst_off};
        struct tz_event e = {rule_wall(k, &f->end) - f->dst_off, f->std_off};

        /* insertion keeps (year, start before end) order on equal times */
        for (int j = 0; j < 2; j++) {
            struct tz_event x = j == 0 ? s : e;

            for (i = n; i > 0 && ev[i - 1].at > x.at; i--)
                ev[i] = ev[i - 1];
            ev[i] = x;
            n++;
        }
    }
    for (i = 0; i < n && ev[i].at <= t; i++)
        last = i;
    /* Events of year y-2 end before year y begins and those of y+2 start
     * after it ends (rule times stay within +-8 days of their date). */
    *from = last >= 0 ? ev[last].at : INT64_MIN;
    *to = last + 1 < n ? ev[last + 1].at : INT64_MAX;
    return last >= 0 ? ev[last].off : f->std_off;
}

/* footer_at() for any t: beyond the limits the answer at the limit holds. */
static int32_t footer_lookup(const struct tz_footer *f, int64_t t,
                             int64_t *from, int64_t *to)
{
    int32_t o;

    if (t > CS_CLOCK_LIMIT_S) {
        o = footer_at(f, CS_CLOCK_LIMIT_S, from, to);
        *from = CS_CLOCK_LIMIT_S + 1;
        *to = INT64_MAX;
        return o;
    }
    if (t < -CS_CLOCK_LIMIT_S) {
        o = footer_at(f, -CS_CLOCK_LIMIT_S, from, to);
        *from = INT64_MIN;
        *to = -CS_CLOCK_LIMIT_S;
        return o;
    }
    o = footer_at(f, t, from, to);
    if (*to > CS_CLOCK_LIMIT_S)
        *to = CS_CLOCK_LIMIT_S + 1;
    if (*from < -CS_CLOCK_LIMIT_S)
        *from = -CS_CLOCK_LIMIT_S;
    return o;
}

/* ---- lookups ----------------------------------------------------------- */

int32_t cs_tz_lookup(const struct cs_tz *tz, int64_t utc_s, int64_t *from,
                     int64_t *to)
{
    int64_t f, e;
    int32_t o;

    if (tz == NULL) {
        o = 0;
        f = INT64_MIN;
        e = INT64_MAX;
    } else if (tz->ft.present && utc_s >= tz->footer_from) {
        o = footer_lookup(&tz->ft, utc_s, &f, &e);
        if (f < tz->footer_from)
            f = tz->footer_from;
    } else if (tz->n == 0 || utc_s < tz->at[0]) {
        o = tz->off0;
        f = INT64_MIN;
        e = tz->n > 0 ? tz->at[0] : INT64_MAX;
    } else {
        size_t lo = 0, hi = tz->n; /* at[lo] <= utc_s < at[hi] */

        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;

            if (tz->at[mid] <= utc_s)
                lo = mid;
            else
                hi = mid;
        }
        o = tz->off[lo];
        f = tz->at[lo];
        e = hi < tz->n ? tz->at[hi] : INT64_MAX;
    }
    if (tz != NULL && tz->ft.present && utc_s < tz->footer_from &&
        e > tz->footer_from)
        e = tz->footer_from;
    if (from != NULL)
        *from = f;
    if (to != NULL)
        *to = e;
    return o;
}

int32_t cs_tz_offset(const struct cs_tz *tz, int64_t utc_s)
{
    return cs_tz_lookup(tz, utc_s, NULL, NULL);
}

void cs_tz_cache_init(struct cs_tz_cache *c)
{
    c->from = 0;
    c->to = 0;
    c->offset = 0;
}

int32_t cs_tz_offset_cached(const struct cs_tz *tz, struct cs_tz_cache *c,
                            int64_t utc_s)
{
    if (utc_s >= c->from && utc_s < c->to)
        return c->offset;
    c->offset = cs_tz_lookup(tz, utc_s, &c->from, &c->to);
    return c->offset;
}

int64_t cs_tz_next_change(const struct cs_tz *tz, int64_t utc_s)
{
    int64_t f, e;
    int32_t cur = cs_tz_lookup(tz, utc_s, &f, &e);

    /* Interval ends that are not changes come from footer events that
     * repeat the offset (or the footer taking over with the same one);
     * a rule that changes nothing for years never will. */
    for (int k = 0; k < NEXT_CHANGE_STEPS && e != INT64_MAX; k++) {
        int64_t e2;

        if (cs_tz_lookup(tz, e, &f, &e2) != cur)
            return e;
        e = e2;
    }
    return INT64_MAX;
}

const char *cs_tz_name(const struct cs_tz *tz)
{
    return tz != NULL ? tz->name : "UTC";
}

void cs_tz_destroy(struct cs_tz *tz)
{
    if (tz == NULL)
        return;
    free(tz->at);
    free(tz->off);
    free(tz->name);
    free(tz);
}

/* ---- TZif files -------------------------------------------------------- */

struct tzif_hdr {
    int version;                            /* 1-4 */
    uint32_t isut, isstd, leap, time, type; /* counts */
    uint32_t chr;                           /* bytes of abbreviations */
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static const char *hdr_parse(const unsigned char *p, size_t len,
                             struct tzif_hdr *h)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return "no TZif header";
    if (p[4] != 0 && (p[4] < '2' || p[4] > '4'))
        return "unknown version";
    h->version = p[4] == 0 ? 1 : p[4] - '0';
    h->isut = be32(p + 20);
    h->isstd = be32(p + 24);
    h->leap = be32(p + 28);
    h->time = be32(p + 32);
    h->type = be32(p + 36);
    h->chr = be32(p + 40);
    if (h->type == 0 || h->type > 256 || h->chr == 0 ||
        (h->isut != 0 && h->isut != h->type) ||
        (h->isstd != 0 && h->isstd != h->type))
        return "bad counts in the header";
    return NULL;
}

/* Bytes of the data block after a header (tsize 4 for v1, 8 for v2+). */
static size_t block_len(const struct tzif_hdr *h, size_t tsize)
{
    return (size_t)h->time * (tsize + 1) + (size_t)h->type * 6 + h->chr +
           (size_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

/* Fill tz->off0, at, off, n and footer_from from a data block whose size
 * the caller checked. NULL, or the reason it is invalid ("" = no memory). */
static const char *body_parse(struct cs_tz *tz, const unsigned char *p,
                              const struct tzif_hdr *h, size_t tsize)
{
    const unsigned char *idx = p + (size_t)h->time * tsize;
    const unsigned char *ty = idx + h->time;
    int32_t utoff[256], prev;
    int64_t last = INT64_MIN;

    if (h->leap != 0)
        return "leap-second zones (\"right/...\") are not supported";
    for (uint32_t i = 0; i < h->type; i++) {
        int64_t o = (int32_t)be32(ty + 6 * i);

        if (o < UTOFF_MIN || o > UTOFF_MAX || ty[6 * i + 4] > 1 ||
            ty[6 * i + 5] >= h->chr)
            return "bad local time type";
        utoff[i] = (int32_t)o;
    }
    tz->off0 = prev = utoff[0];
    tz->at = malloc(((size_t)h->time + 1) * sizeof(*tz->at));
    tz->off = malloc(((size_t)h->time + 1) * sizeof(*tz->off));
    if (tz->at == NULL || tz->off == NULL)
        return "";
    for (uint32_t i = 0; i < h->time; i++) {
        int64_t t = tsize == 8 ? be64(p + 8 * (size_t)i)
                               : (int32_t)be32(p + 4 * (size_t)i);

        if ((i > 0 && t <= last) || idx[i] >= h->type)
            return "bad transition";
        last = t;
        if (utoff[idx[i]] != prev) {
            tz->at[tz->n] = t;
            tz->off[tz->n++] = prev = utoff[idx[i]];
        }
    }
    tz->footer_from = h->time > 0 ? last : INT64_MIN;
    return NULL;
}

/* Parse a whole TZif file. NULL, or the reason ("" = no memory). */
static const char *tzif_parse(struct cs_tz *tz, const unsigned char *buf,
                              size_t len)
{
    struct tzif_hdr h;
    const char *why = hdr_parse(buf, len, &h);
    const unsigned char *p = buf, *end = buf + len, *nl;
    char footer[TZ_FOOTER_MAX + 1];
    size_t tsize = 4;

    if (why != NULL)
        return why;
    if (h.version >= 2) {
        if (block_len(&h, 4) > len - 44)
            return "truncated";
        p += 44 + block_len(&h, 4);
        why = hdr_parse(p, (size_t)(end - p), &h);
        if (why != NULL)
            return why;
        tsize = 8;
    }
    if (block_len(&h, tsize) > (size_t)(end - p) - 44)
        return "truncated";
    why = body_parse(tz, p + 44, &h, tsize);
    if (why != NULL || h.version < 2)
        return why;
    p += 44 + block_len(&h, tsize);
    if (p == end || *p != '\n' ||
        (nl = memchr(p + 1, '\n', (size_t)(end - p - 1))) == NULL)
        return "no TZ string footer";
    if ((size_t)(nl - p - 1) > TZ_FOOTER_MAX)
        return "TZ string footer too long";
    memcpy(footer, p + 1, (size_t)(nl - p - 1));
    footer[nl - p - 1] = '\0';
    if (memchr(footer, '\0', (size_t)(nl - p - 1)) != NULL ||
        footer_parse(footer, &tz->ft) != 0)
        return "invalid TZ string footer";
    return NULL;
}

/* ---- names ------------------------------------------------------------- */

/* "+05:30", "-0800", "+05": sign, two-digit hours, optional [:]MM. */
static int fixed_offset(const struct cs_tz *tz, int32_t *off,
                        struct cs_err *err)
{
    const char *s = tz->name;
    int h, m = 0;
    size_t len = strlen(s);

    if ((len != 3 && len != 5 && len != 6) || !is_digit(s[1]) ||
        !is_digit(s[2]) || (len == 6 && s[3] != ':') ||
        (len >= 5 && (!is_digit(s[len - 2]) || !is_digit(s[len - 1]))))
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "invalid UTC offset \"%s\" (write +HH:MM, +HHMM or "
                          "+HH, e.g. +05:30)",
                          s);
    h = (s[1] - '0') * 10 + (s[2] - '0');
    if (len >= 5)
        m = (s[len - 2] - '0') * 10 + (s[len - 1] - '0');
    if (h > 23 || m > 59)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "UTC offset \"%s\" is out of range (hours 00-23, "
                          "minutes 00-59)",
                          s);
    *off = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return 0;
}

static int name_check(const char *s, struct cs_err *err)
{
    size_t len = strlen(s);

    if (len == 0)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0, "empty time zone name");
    if (len > TZ_NAME_MAX)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "time zone name is longer than %d characters",
                          TZ_NAME_MAX);
    if (s[0] == '/')
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "invalid time zone name \"%s\": absolute paths are "
                          "not allowed",
                          s);
    if (strstr(s, "..") != NULL)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "invalid time zone name \"%s\": \"..\" is not "
                          "allowed",
                          s);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (is_alpha(c) || is_digit(c) || c == '/' || c == '_' || c == '+' ||
            c == '-')
            continue;
        if (c < 0x20 || c >= 0x7f)
            return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                              "invalid time zone name: byte 0x%02X is not "
                              "allowed (use letters, digits, '/', '_', '+' "
                              "and '-')",
                              c);
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "invalid time zone name \"%s\": character '%c' is "
                          "not allowed (use letters, digits, '/', '_', '+' "
                          "and '-')",
                          s, c);
    }
    if (strcmp(s, "Local") == 0 || strcmp(s, "localtime") == 0)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "time zone \"%s\" is the machine's own zone; name "
                          "an IANA zone such as \"Europe/Paris\", or \"UTC\"",
                          s);
    return 0;
}

/* ---- loading ----------------------------------------------------------- */

/* Read the zone file at path into tz. */
static int tzif_load(struct cs_tz *tz, const char *path, struct cs_err *err)
{
    FILE *fp = fopen(path, "rb");
    struct stat st;
    unsigned char *buf = NULL;
    size_t len = 0;
    const char *why;
    int e = errno;

    if (fp == NULL && (e == ENOENT || e == ENOTDIR))
        return cs_err_set(err, CS_ENOENT, NULL, 0, 0,
                          "unknown time zone \"%s\" (no %s; is the tzdata "
                          "package installed?)",
                          tz->name, path);
    if (fp == NULL)
        return cs_err_set(err, CS_EIO, NULL, 0, 0,
                          "cannot read time zone \"%s\": %s: %s", tz->name,
                          path, strerror(e));
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        return cs_err_set(err, CS_ENOENT, NULL, 0, 0,
                          "unknown time zone \"%s\" (%s is a directory of "
                          "zones, not a zone)",
                          tz->name, path);
    }
    buf = malloc(TZIF_MAX_BYTES + 1);
    if (buf != NULL)
        len = fread(buf, 1, TZIF_MAX_BYTES + 1, fp);
    e = ferror(fp) ? errno : 0;
    fclose(fp);
    if (buf == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    if (e != 0) {
        free(buf);
        return cs_err_set(err, CS_EIO, NULL, 0, 0,
                          "cannot read time zone \"%s\": %s: %s", tz->name,
                          path, strerror(e));
    }
    why = len > TZIF_MAX_BYTES ? "larger than 1 MiB" : tzif_parse(tz, buf, len);
    free(buf);
    if (why != NULL && why[0] == '\0')
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    if (why != NULL)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "time zone \"%s\": %s is not a valid TZif file (%s)",
                          tz->name, path, why);
    return 0;
}

static int load_named(struct cs_tz *tz, struct cs_err *err)
{
    const char *name = tz->name, *dir = getenv("TZDIR");
    char path[4096];
    int rc;

    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
        strcmp(name, "Z") == 0)
        return 0;
    if (name[0] == '+' || name[0] == '-')
        return fixed_offset(tz, &tz->off0, err);
    rc = name_check(name, err);
    if (rc != 0)
        return rc;
    if (dir == NULL || dir[0] == '\0')
        dir = "/usr/share/zoneinfo";
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
        sizeof(path))
        return cs_err_set(err, CS_EPARSE, NULL, 0, 0,
                          "time zone path %s/%s is too long", dir, name);
    return tzif_load(tz, path, err);
}

int cs_tz_load(struct cs_tz **out, const char *name, struct cs_err *err)
{
    struct cs_tz *tz = calloc(1, sizeof(*tz));
    int rc;

    *out = NULL;
    if (tz == NULL || (tz->name = strdup(name)) == NULL) {
        free(tz);
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    tz->footer_from = INT64_MAX;
    rc = load_named(tz, err);
    if (rc != 0) {
        cs_tz_destroy(tz);
        return rc;
    }
    *out = tz;
    return 0;
}
