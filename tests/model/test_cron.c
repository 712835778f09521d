/*
 * test_cron.c - CronJob schedules (model/cron.h): parsing as robfig/cron
 * v3's ParseStandard plus Kubernetes' "no TZ" rule, and Next as
 * SpecSchedule.Next, DST days included.
 *
 * Every expected instant below was checked against robfig/cron v3.0.1
 * itself (Go 1.19, the same /usr/share/zoneinfo); the DST cases marked
 * "upstream" are the vectors of robfig's own spec_test.go (TestNext),
 * rewritten from its 6-field format to the 5-field one.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/cron.h"

#define ALL_MIN ((((uint64_t)1) << 60) - 1)
#define ALL_HOUR 0xFFFFFFu
#define ALL_DOM 0xFFFFFFFEu
#define ALL_MONTH 0x1FFEu
#define ALL_DOW 0x7Fu

static struct cs_cron parse(const char *text)
{
    struct cs_cron c;
    struct cs_err err;

    memset(&c, 0xAB, sizeof(c));
    cs_err_clear(&err);
    if (cs_cron_parse(&c, text, &err) != 0)
        fail_msg("cs_cron_parse(\"%s\"): %s", text, err.msg);
    return c;
}

static void expect_spec(const char *text, uint64_t minute, uint32_t hour,
                        uint32_t dom, uint16_t month, uint8_t dow, int star_dom,
                        int star_dow)
{
    struct cs_cron c = parse(text);

    assert_int_equal(c.minute, minute);
    assert_int_equal(c.hour, hour);
    assert_int_equal(c.dom, dom);
    assert_int_equal(c.month, month);
    assert_int_equal(c.dow, dow);
    assert_int_equal(c.star_dom, star_dom);
    assert_int_equal(c.star_dow, star_dow);
    assert_int_equal(c.every_s, 0);
}

static void test_parse_fields(void **state)
{
    (void)state;
    expect_spec("* * * * *", ALL_MIN, ALL_HOUR, ALL_DOM, ALL_MONTH, ALL_DOW, 1,
                1);
    expect_spec("? ? ? ? ?", ALL_MIN, ALL_HOUR, ALL_DOM, ALL_MONTH, ALL_DOW, 1,
                1);
    expect_spec("0 0 1 1 0", 1, 1, 1u << 1, 1u << 1, 1, 0, 0);
    expect_spec("59 23 31 12 6", (uint64_t)1 << 59, 1u << 23, 1u << 31,
                1u << 12, 1u << 6, 0, 0);
    /* lists, ranges, steps */
    expect_spec("1,15,30 * * * *", 1u << 1 | 1u << 15 | 1u << 30, ALL_HOUR,
                ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    expect_spec("10-13 9-17 * * *", 0xFu << 10, 0x1FFu << 9, ALL_DOM, ALL_MONTH,
                ALL_DOW, 1, 1);
    expect_spec("*/15 */6 */10 */4 */3",
                1 | 1u << 15 | 1u << 30 | (uint64_t)1 << 45,
                1 | 1u << 6 | 1u << 12 | 1u << 18,
                1u << 1 | 1u << 11 | 1u << 21 | 1u << 31,
                1u << 1 | 1u << 5 | 1u << 9, 1 | 1u << 3 | 1u << 6, 0, 0);
    expect_spec("10-30/10 * * * *", 1u << 10 | 1u << 20 | 1u << 30, ALL_HOUR,
                ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    /* "a/n" is a to the maximum, step n */
    expect_spec("5/20 20/2 * * *", 1u << 5 | 1u << 25 | (uint64_t)1 << 45,
                1u << 20 | 1u << 22, ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    /* a step of 1 keeps the '*' (dom/dow rule), a bigger one does not */
    expect_spec("* * */1 * ?/1", ALL_MIN, ALL_HOUR, ALL_DOM, ALL_MONTH, ALL_DOW,
                1, 1);
    expect_spec("* * */2 * ?/2", ALL_MIN, ALL_HOUR, 0xAAAAAAAAu, ALL_MONTH,
                0x55, 0, 0);
    /* "1,*" is a star too */
    expect_spec("0 0 1,* * 1", 1, 1, ALL_DOM, ALL_MONTH, 1u << 1, 1, 0);
    /* names, any case */
    expect_spec("0 0 * JAN,mar-May sun", 1, 1, ALL_DOM,
                1u << 1 | 1u << 3 | 1u << 4 | 1u << 5, 1, 1, 0);
    expect_spec("0 0 * * MON-fri", 1, 1, ALL_DOM, ALL_MONTH, 0x3E, 1, 0);
    expect_spec("0 0 * Dec/1 Sat", 1, 1, ALL_DOM, 1u << 12, 1u << 6, 1, 0);
}

static void test_parse_leniencies(void **state)
{
    (void)state;
    /* all of these are accepted by ParseStandard, so by Kubernetes */
    expect_spec("1,,2, * * * *", 1u << 1 | 1u << 2, ALL_HOUR, ALL_DOM,
                ALL_MONTH, ALL_DOW, 1, 1);
    expect_spec(", * * * *", 0, ALL_HOUR, ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    expect_spec("*-5 * * * *", ALL_MIN, ALL_HOUR, ALL_DOM, ALL_MONTH, ALL_DOW,
                1, 1);
    expect_spec("+5 05 +1 * *", 1u << 5, 1u << 5, 1u << 1, ALL_MONTH, ALL_DOW,
                0, 1);
    expect_spec("  0\t0 *\n* *  ", 1, 1, ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    /* Go splits on Unicode white space: U+00A0 and U+3000 here */
    expect_spec("0\xC2\xA0"
                "0 * *\xE3\x80\x80*",
                1, 1, ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    /* Go's strings.ToLower turns U+0130 into 'i' */
    expect_spec("0 0 * * FR\xC4\xB0", 1, 1, ALL_DOM, ALL_MONTH, 1u << 5, 1, 0);
}

static void test_parse_descriptors(void **state)
{
    struct cs_cron c;

    (void)state;
    expect_spec("@yearly", 1, 1, 1u << 1, 1u << 1, ALL_DOW, 0, 1);
    expect_spec("@annually", 1, 1, 1u << 1, 1u << 1, ALL_DOW, 0, 1);
    expect_spec("@monthly", 1, 1, 1u << 1, ALL_MONTH, ALL_DOW, 0, 1);
    expect_spec("@weekly", 1, 1, ALL_DOM, ALL_MONTH, 1, 1, 0);
    expect_spec("@daily", 1, 1, ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    expect_spec("@midnight", 1, 1, ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    expect_spec("@hourly", 1, ALL_HOUR, ALL_DOM, ALL_MONTH, ALL_DOW, 1, 1);
    /* @every: Go durations, whole seconds, at least one */
    assert_int_equal(parse("@every 1h30m").every_s, 5400);
    assert_int_equal(parse("@every 90s").every_s, 90);
    assert_int_equal(parse("@every 1.5h").every_s, 5400);
    assert_int_equal(parse("@every 1.9999999999s").every_s, 1);
    assert_int_equal(parse("@every 2m500ms").every_s, 120);
    assert_int_equal(parse("@every 500ms").every_s, 1);
    assert_int_equal(parse("@every 1\xC2\xB5s").every_s, 1);
    assert_int_equal(parse("@every -5m").every_s, 1);
    assert_int_equal(parse("@every 0").every_s, 1);
    assert_int_equal(parse("@every 2562047h47m16.854775807s").every_s,
                     9223372036);
    c = parse("@every 15m");
    assert_int_equal(c.minute, 0);
    assert_int_equal(c.month, 0);
}

static void expect_error(const char *text, int col, const char *msg)
{
    struct cs_cron c, before;
    struct cs_err err;

    memset(&c, 0x5A, sizeof(c));
    before = c;
    cs_err_clear(&err);
    assert_int_equal(cs_cron_parse(&c, text, &err), CS_EPARSE);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.col, col);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.path, "");
    assert_memory_equal(&c, &before, sizeof(c)); /* untouched */
}

/* Texts ParseStandard rejects (or Kubernetes' validation does), with the
 * column and message capsim gives. */
static const struct {
    const char *text;
    int col;
    const char *msg;
} parse_errors[] = {
    {"", 1, "empty schedule"},
    /* Kubernetes' validateScheduleFormat: "TZ" anywhere */
    {"TZ=UTC 0 * * * *", 1,
     "cannot use TZ or CRON_TZ in schedule, use timeZone field "
     "instead"},
    {"CRON_TZ=Europe/Paris 0 * * * *", 1,
     "cannot use TZ or CRON_TZ in schedule, use timeZone field "
     "instead"},
    {"0 TZ * * *", 3,
     "cannot use TZ or CRON_TZ in schedule, use timeZone field "
     "instead"},
    {"* * * *", 1,
     "expected 5 fields (minute hour day-of-month month "
     "day-of-week), found 4"},
    {"0 0 * * * *", 11,
     "expected 5 fields (minute hour day-of-month month "
     "day-of-week), found 6"},
    {"   ", 1,
     "expected 5 fields (minute hour day-of-month month "
     "day-of-week), found 0"},
    {" @daily", 1,
     "expected 5 fields (minute hour day-of-month month "
     "day-of-week), found 1"},
    {"61 * * * *", 1, "minute field \"61\" is out of range 0-59"},
    {"5,61 * * * *", 3, "minute field \"61\" is out of range 0-59"},
    {"0 24 * * *", 3, "hour field \"24\" is out of range 0-23"},
    {"0 30/5 * * *", 3, "hour field \"30/5\" is out of range 0-23"},
    {"0 0 0 * *", 5, "day-of-month field \"0\" is out of range 1-31"},
    {"0 0 1-32 * *", 5, "day-of-month field \"1-32\" is out of range 1-31"},
    {"0 0 * 13 *", 7, "month field \"13\" is out of range 1-12"},
    {"0 0 * * 7", 9,
     "day-of-week field \"7\" is out of range 0-6 (Sunday is 0)"},
    {"0 0 * * 1-7", 9,
     "day-of-week field \"1-7\" is out of range 0-6 (Sunday is "
     "0)"},
    {"99999999999999999999 * * * *", 1,
     "minute field \"99999999999999999999\" is out of range "
     "0-59"},
    {"x * * * *", 1, "minute field \"x\": \"x\" is not a number"},
    {"1- * * * *", 1, "minute field \"1-\": \"\" is not a number"},
    {"0 0 * foo *", 7,
     "month field \"foo\": \"foo\" is not a number or a month "
     "name (JAN-DEC)"},
    {"0 0 * * sunday", 9,
     "day-of-week field \"sunday\": \"sunday\" is not a number "
     "or a day name (SUN-SAT)"},
    {"0 0 * * MON-", 9,
     "day-of-week field \"MON-\": \"\" is not a number or a day "
     "name (SUN-SAT)"},
    {"1-2-3 * * * *", 1, "minute field \"1-2-3\": too many '-'"},
    {"*/2/3 * * * *", 1, "minute field \"*/2/3\": too many '/'"},
    {"*/0 * * * *", 1, "minute field \"*/0\": step must be a positive number"},
    {"7/0 * * * *", 1, "minute field \"7/0\": step must be a positive number"},
    {"*/-5 * * * *", 1,
     "minute field \"*/-5\": step must be a positive number"},
    {"*/x * * * *", 1, "minute field \"*/x\": step \"x\" is not a number"},
    {"*/ * * * *", 1, "minute field \"*/\": step \"\" is not a number"},
    {"*/99999999999999999999 * * * *", 1,
     "minute field \"*/99999999999999999999\": step must be at "
     "most 9223372036854775807"},
    {"5-2 * * * *", 1,
     "minute field \"5-2\": range start 5 is after its end 2"},
    /* the first bad item wins, field by field, as in robfig */
    {"61 x * * *", 1, "minute field \"61\" is out of range 0-59"},
    {"0 0 * * 1,2,9", 13,
     "day-of-week field \"9\" is out of range 0-6 (Sunday is 0)"},
    /* descriptors must match the whole text */
    {"@reboot", 1,
     "unknown descriptor \"@reboot\" (use @yearly, @annually, "
     "@monthly, @weekly, @daily, @midnight, @hourly or @every "
     "<duration>)"},
    {"@daily ", 1,
     "unknown descriptor \"@daily \" (use @yearly, @annually, "
     "@monthly, @weekly, @daily, @midnight, @hourly or @every "
     "<duration>)"},
    {"@every", 1,
     "unknown descriptor \"@every\" (use @yearly, @annually, "
     "@monthly, @weekly, @daily, @midnight, @hourly or @every "
     "<duration>)"},
    {"@every 5", 8,
     "@every: \"5\" is not a duration (write e.g. 90s, 15m or "
     "1h30m)"},
    {"@every 1h ", 8,
     "@every: \"1h \" is not a duration (write e.g. 90s, 15m or "
     "1h30m)"},
    {"@every 1d", 8,
     "@every: \"1d\" is not a duration (write e.g. 90s, 15m or "
     "1h30m)"},
    {"@every 2562047h47m16.854775808s", 8,
     "@every: \"2562047h47m16.854775808s\" is not a duration "
     "(write e.g. 90s, 15m or 1h30m)"},
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(parse_errors) / sizeof(parse_errors[0]); i++)
        expect_error(parse_errors[i].text, parse_errors[i].col,
                     parse_errors[i].msg);
}

/* ---- Next ---------------------------------------------------------------
 * Each row: zone (NULL = UTC), after (UTC s), schedule, the next firing
 * (UTC s) and, as a comment, that firing in local time. */

struct next_case {
    const char *zone;
    int64_t after;
    const char *spec;
    int64_t next;
};

static void run_cases(const struct next_case *cs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct cs_tz *tz = NULL;
        struct cs_err err;
        struct cs_cron c = parse(cs[i].spec);
        int64_t got;

        if (cs[i].zone != NULL && cs_tz_load(&tz, cs[i].zone, &err) != 0)
            fail_msg("%s: %s", cs[i].zone, err.msg);
        got = cs_cron_next(&c, tz, cs[i].after);
        if (got != cs[i].next)
            fail_msg("case %zu: \"%s\" in %s after %lld: got %lld, want %lld",
                     i, cs[i].spec, cs[i].zone ? cs[i].zone : "UTC",
                     (long long)cs[i].after, (long long)got,
                     (long long)cs[i].next);
        cs_tz_destroy(tz);
    }
}

static void test_next_basics(void **state)
{
    static const struct next_case cs[] = {
        {NULL, 1767225600, "*/15 * * * *", 1767226500}, /* 01-01 00:15 */
        {NULL, 1767226050, "*/15 * * * *", 1767226500}, /* from 00:07:30 */
        {NULL, 1767226500, "*/15 * * * *", 1767227400}, /* strictly after */
        {NULL, 1767225600, "0 9 * * 1-5", 1767258000},  /* Thu 01-01 09:00 */
        {NULL, 1767344400, "0 9 * * 1-5", 1767603600},  /* Fri -> Mon 01-05 */
        {NULL, 1767225600, "30 8,12 * JAN,mar-May MON", 1767601800},
        {NULL, 1777593600, "@yearly", 1798761600},   /* 2027-01-01 */
        {NULL, 1777593600, "@monthly", 1780272000},  /* 2026-06-01 */
        {NULL, 1777593600, "@weekly", 1777766400},   /* Sun 2026-05-03 */
        {NULL, 1777595400, "@hourly", 1777597200},   /* 05-01 01:00 */
        {NULL, 1777595400, "@daily", 1777680000},    /* 05-02 00:00 */
        {NULL, 1798761599, "* * * * *", 1798761600}, /* into 2027 */
        {NULL, 1798761540, "* * * * *", 1798761600},
        /* month ends and leap years */
        {NULL, 1769817601, "0 0 31 * *", 1774915200}, /* 01-31 -> 03-31 */
        {NULL, 1767225600, "0 0 29 2 *", 1835395200}, /* 2028-02-29 */
        {NULL, 1835481600, "0 0 29 2 *", 1961625600}, /* 2032-02-29 */
        /* never within 5 years: the zero time upstream */
        {NULL, 1767225600, "0 0 30 2 *", INT64_MAX},
        {NULL, 1767225600, "0 0 31 4,6,9,11 *", INT64_MAX},
        {NULL, 1767225600, ", * * * *", INT64_MAX},
        {NULL, INT64_MAX, "* * * * *", INT64_MAX},
    };

    (void)state;
    run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

static void test_next_dom_dow(void **state)
{
    /* 2026-01-01 is a Thursday. robfig's dayMatches: if either field is
     * '*'-like (star bit), both must match; otherwise either. */
    static const struct next_case cs[] = {
        {NULL, 1767225600, "0 0 13 * FRI", 1767312000}, /* OR: Fri 01-02 */
        {NULL, 1767225600, "0 0 13 * *", 1768262400},   /* AND: 01-13 */
        {NULL, 1767225600, "0 0 * * 5", 1767312000},    /* AND: Fri 01-02 */
        {NULL, 1767225600, "0 0 */1 * 5", 1767312000},  /* "*" "/1" is '*' */
        {NULL, 1767225600, "0 0 13 * */1", 1768262400},
        {NULL, 1767225600, "0 0 13 * 5/1", 1767312000},  /* 5-6, no star */
        {NULL, 1767225600, "0 0 1-7 * MON", 1767312000}, /* OR: 01-02 */
        {NULL, 1767225600, "0 0 ? * MON", 1767571200},   /* AND: Mon 01-05 */
    };

    (void)state;
    run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

static void test_next_dst_upstream(void **state)
{
    /* robfig/cron v3 spec_test.go TestNext, America/New_York 2012:
     * 11 March 02:00 EST -> 03:00 EDT, 4 November 02:00 EDT -> 01:00 EST. */
    static const struct next_case cs[] = {
        /* spring forward: 02:30 does not exist that day, so a job at
         * 02:30 on 11 March fires next in 2013 (2013-03-11T02:30-04:00) */
        {"America/New_York", 1331442000, "30 2 11 Mar ?", 1362983400},
        /* hourly: 01:00 EST, then 03:00 EDT, then 04:00 EDT */
        {"America/New_York", 1331442000, "0 * * * ?", 1331445600},
        {"America/New_York", 1331445600, "0 * * * ?", 1331449200},
        {"America/New_York", 1331449200, "0 * * * ?", 1331452800},
        /* daily at 01:00: fine; at 02:00: skipped to 03-12 02:00 EDT */
        {"America/New_York", 1331442000, "0 1 * * ?", 1331445600},
        {"America/New_York", 1331445600, "0 1 * * ?", 1331528400},
        {"America/New_York", 1331442000, "0 2 * * ?", 1331532000},
        /* fall back: 02:30 once (EST); 01:30 twice, the EST one after
         * 01:45 EDT */
        {"America/New_York", 1352001600, "30 2 04 Nov ?", 1352014200},
        {"America/New_York", 1352007900, "30 1 04 Nov ?", 1352010600},
        /* hourly: 01:00 EDT, 01:00 EST, 02:00 EST */
        {"America/New_York", 1352001600, "0 * * * ?", 1352005200},
        {"America/New_York", 1352005200, "0 * * * ?", 1352008800},
        {"America/New_York", 1352008800, "0 * * * ?", 1352012400},
        /* daily at 01:00 fires at both 01:00s, then on 11-05 */
        {"America/New_York", 1352001600, "0 1 * * ?", 1352005200},
        {"America/New_York", 1352005200, "0 1 * * ?", 1352008800},
        {"America/New_York", 1352008800, "0 1 * * ?", 1352095200},
        {"America/New_York", 1352001600, "0 2 * * ?", 1352012400},
        {"America/New_York", 1352012400, "0 2 * * ?", 1352098800},
        /* Sao Paulo 2018: DST began at midnight (00:00 -> 01:00) */
        {"America/Sao_Paulo", 1539766800, "0 9 10 * ?", 1541847600},
        {"America/Sao_Paulo", 1518602400, "0 9 22 * ?", 1519300800},
    };

    (void)state;
    run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

static void test_next_dst_2026(void **state)
{
    static const struct next_case cs[] = {
        /* New York, 2026-03-08: 02:30 skipped, next 03-09 02:30 EDT */
        {"America/New_York", 1772884800, "30 2 * * *", 1773037800},
        /* every 20 min: 01:40 EST is followed by 03:00 EDT */
        {"America/New_York", 1772952600, "*/20 * * * *", 1772953200},
        /* 2026-11-01: 01:30 EDT, 01:30 EST, then 11-02 01:30 EST */
        {"America/New_York", 1793448000, "30 1 * * *", 1793511000},
        {"America/New_York", 1793511000, "30 1 * * *", 1793514600},
        {"America/New_York", 1793514600, "30 1 * * *", 1793601000},
        {"America/New_York", 1793448000, "0 0 * * *", 1793505600},
        /* London, 2026-03-29 01:00 GMT -> 02:00 BST: 01:30 skipped */
        {"Europe/London", 1774699200, "30 1 * * *", 1774830600},
        {"Europe/London", 1774742400, "0 * * * *", 1774746000}, /* 02 BST */
        /* 2026-10-25 02:00 BST -> 01:00 GMT: 01:30 twice, 01:00 twice */
        {"Europe/London", 1792843200, "30 1 * * *", 1792888200},
        {"Europe/London", 1792888200, "30 1 * * *", 1792891800},
        {"Europe/London", 1792891800, "30 1 * * *", 1792978200},
        {"Europe/London", 1792882800, "0 * * * *", 1792886400},
        {"Europe/London", 1792886400, "0 * * * *", 1792890000},
        {"Europe/London", 1792890000, "0 * * * *", 1792893600},
        /* Lord Howe moves 30 minutes: 2026-10-04 02:00 -> 02:30, so 02:00
         * and 02:15 are skipped but 02:45 fires; 2026-04-05 02:00 -> 01:30
         * repeats 01:45 */
        {"Australia/Lord_Howe", 1791028800, "0 2 * * *", 1791126000},
        {"Australia/Lord_Howe", 1791028800, "15 2 * * *", 1791126900},
        {"Australia/Lord_Howe", 1791028800, "45 2 * * *", 1791042300},
        {"Australia/Lord_Howe", 1775304000, "45 1 * * *", 1775313900},
        {"Australia/Lord_Howe", 1775313900, "45 1 * * *", 1775315700},
    };

    (void)state;
    run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

static void test_next_zones(void **state)
{
    /* one schedule read in different zones, asked from the same UTC
     * instant (2026-01-01T00:00:00Z) */
    static const struct next_case cs[] = {
        {NULL, 1767225600, "0 9 * * 1-5", 1767258000},           /* 09Z */
        {"Asia/Kolkata", 1767225600, "0 9 * * 1-5", 1767238200}, /* 03:30Z */
        {"America/New_York", 1767225600, "0 9 * * 1-5", 1767276000},
        {"+05:30", 1767225600, "0 9 * * 1-5", 1767238200},
        {"America/Sao_Paulo", 1767225600, "0 0 * * *", 1767236400},
        /* Samoa skipped 2011-12-30: upstream's day loop never ends there
         * (AddDate lands where it started); capsim moves on a day */
        {"Pacific/Apia", 1325116800, "0 12 * * *", 1325196000},
        {"Pacific/Apia", 1325196000, "0 12 * * *", 1325282400},
        {"Pacific/Apia", 1325116800, "0 12 31 12 *", 1325282400},
        {"Pacific/Apia", 1325116800, "0 12 30 * *", 1327874400},
    };

    (void)state;
    run_cases(cs, sizeof(cs) / sizeof(cs[0]));
}

static void test_next_every(void **state)
{
    struct cs_cron c = parse("@every 1h30m");

    (void)state;
    /* ConstantDelaySchedule.Next: the given instant plus the delay, in
     * any zone; callers chain from the CronJob's creation */
    assert_int_equal(cs_cron_next(&c, NULL, 1767225600), 1767231000);
    assert_int_equal(cs_cron_next(&c, NULL, 1767231000), 1767236400);
    assert_int_equal(cs_cron_next(&c, NULL, INT64_MAX - 10), INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_fields),
        cmocka_unit_test(test_parse_leniencies),
        cmocka_unit_test(test_parse_descriptors),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_next_basics),
        cmocka_unit_test(test_next_dom_dow),
        cmocka_unit_test(test_next_dst_upstream),
        cmocka_unit_test(test_next_dst_2026),
        cmocka_unit_test(test_next_zones),
        cmocka_unit_test(test_next_every),
    };

    unsetenv("TZDIR"); /* the zones are the system's tzdata */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
