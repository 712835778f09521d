/*
 * cron.c - CronJob schedules as robfig/cron v3 reads them (see cron.h).
 *
 * Design
 * ------
 * Parsing follows robfig's ParseStandard step by step (split on white
 * space, then each field on ',' dropping empty items, then each item on '/'
 * and '-'), checking in the same order, so the same texts are accepted and
 * the same item is blamed first; only the messages are capsim's own, with
 * the column of the item. Kubernetes' validation adds one rule on top: a
 * schedule containing "TZ" is refused.
 *
 * Next reproduces SpecSchedule.Next, including the parts that decide what
 * happens on DST change days:
 *
 *   t = after + 1 s; limit = local year of t + 5
 *   WRAP: past the limit -> never
 *   month not in set: once, reset to the 1st 00:00 (Go's time.Date);
 *                     AddDate(0,1,0); back in January -> WRAP
 *   day not matching: once, reset to 00:00 (time.Date); AddDate(0,0,1);
 *                     if the hour is not 0 (midnight skipped), move to
 *                     the nearest midnight; on the 1st -> WRAP
 *   hour not in set:  once, reset to HH:00 (time.Date); add 1 h of
 *                     ABSOLUTE time; at hour 0 -> WRAP
 *   minute, second:   the same with Truncate and +1 min / +1 s
 *
 * Wall-clock resets and AddDate go through go_date(), which is Go's
 * time.Date: look the zone up at the wall time read as UTC, and again at
 * the resulting instant if that falls outside the interval found (so a
 * skipped wall time lands before the gap west of Greenwich and after it
 * east of it; a repeated one takes the offset found first). Hours and
 * minutes advance in absolute time, so on a spring-forward day the
 * skipped hour is never seen (a 02:30 job does not fire that day) and on
 * a fall-back day the repeated hour is seen twice (a 01:30 job fires
 * twice, an hourly job fires at both 01:00s).
 *
 * Speed: every offset lookup goes through a cs_tz_cache (one for t, one
 * for go_date's wall-time lookups). The hour, minute and second loops add
 * one unit at a time in robfig; here, while the zone's offset cannot
 * change on the way (the cached interval holds the target), the steps up
 * to the next value in the set (or the wrap to 0) are taken as one jump,
 * which visits the same instants as far as the checks can tell. Months
 * and days are stepped one by one, as robfig does.
 *
 * One deliberate difference: where a whole date is skipped (Samoa's
 * 2011-12-30), AddDate(0,0,1) lands back where it started and robfig
 * loops forever; here the day loop then moves on by 24 h. A step budget
 * bounds every call whatever the zone data.
 */
#include "model/cron.h"

#include <string.h>

#define YEARS_AHEAD 5
#define NEXT_MAX_S (CS_CLOCK_LIMIT_S - (int64_t)8 * 366 * 86400)
#define NS_PER_S ((uint64_t)1000000000)
#define TWO63 ((uint64_t)1 << 63)

struct bounds {
    const char *field;        /* "minute", ... for messages */
    int min, max;             /* values allowed */
    const char *const *names; /* lower-case names of min..max, or NULL */
    const char *names_hint;   /* "a month name (JAN-DEC)" */
};

static const char *const month_names[] = {"jan", "feb", "mar", "apr",
                                          "may", "jun", "jul", "aug",
                                          "sep", "oct", "nov", "dec"};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed",
                                        "thu", "fri", "sat"};

static const struct bounds fields[5] = {
    {"minute", 0, 59, NULL, NULL},
    {"hour", 0, 23, NULL, NULL},
    {"day-of-month", 1, 31, NULL, NULL},
    {"month", 1, 12, month_names, "a month name (JAN-DEC)"},
    {"day-of-week", 0, 6, dow_names, "a day name (SUN-SAT)"},
};

/* One item of a field being parsed, for messages. */
struct item {
    const char *text; /* the whole schedule */
    const char *s;    /* the item */
    size_t len;
    const struct bounds *b;
    struct cs_err *err;
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Bytes of the white-space character at p (Go's unicode.IsSpace, in
 * UTF-8), or 0. */
static size_t space_len(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    if (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r'))
        return 1;
    if (u[0] == 0xC2 && (u[1] == 0x85 || u[1] == 0xA0))
        return 2;
    if (u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80)
        return 3; /* U+1680 */
    if (u[0] == 0xE2 && u[1] == 0x80 &&
        (u[2] <= 0x8A || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF) &&
        u[2] >= 0x80)
        return 3; /* U+2000-200A, 2028, 2029, 202F */
    if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
        return 3; /* U+205F */
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3; /* U+3000 */
    return 0;
}

/* `<field> field "<item>": <problem>` at the item's column. */
static int item_err(const struct item *it, const char *problem)
{
    return cs_err_set(it->err, CS_EPARSE, NULL, 0, (int)(it->s - it->text) + 1,
                      "%s field \"%.*s\": %s", it->b->field, (int)it->len,
                      it->s, problem);
}

static int out_of_range(const struct item *it)
{
    return cs_err_set(it->err, CS_EPARSE, NULL, 0, (int)(it->s - it->text) + 1,
                      "%s field \"%.*s\" is out of range %d-%d%s", it->b->field,
                      (int)it->len, it->s, it->b->min, it->b->max,
                      it->b->names == dow_names ? " (Sunday is 0)" : "");
}

/* strconv.Atoi: [+-]digits. 0 with *v, 1 out of int64 range, -1 not a
 * number. */
static int atoi_go(const char *s, size_t n, int64_t *v)
{
    size_t i = 0;
    uint64_t x = 0;
    int neg = 0;

    if (n > 0 && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return -1;
    for (; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        if (x > (TWO63 - (uint64_t)(s[i] - '0')) / 10)
            x = TWO63 + 1; /* sticky overflow, keep checking syntax */
        else
            x = x * 10 + (uint64_t)(s[i] - '0');
    }
    if (x > TWO63 - (neg ? 0 : 1))
        return 1;
    *v = neg ? (x == TWO63 ? INT64_MIN : -(int64_t)x) : (int64_t)x;
    return 0;
}

/* A name of b (Go's strings.ToLower, where U+0130 becomes 'i'), else -1. */
static int name_value(const struct bounds *b, const char *s, size_t n)
{
    char low[4];
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (k == 3)
            return -1;
        if (c == 0xC4 && i + 1 < n && (unsigned char)s[i + 1] == 0xB0) {
            low[k++] = 'i';
            i++;
        } else if (c >= 'A' && c <= 'Z') {
            low[k++] = (char)(c - 'A' + 'a');
        } else {
            low[k++] = (char)c;
        }
    }
    if (k != 3)
        return -1;
    for (int v = 0; v <= b->max - b->min; v++)
        if (memcmp(low, b->names[v], 3) == 0)
            return b->min + v;
    return -1;
}

/* parseIntOrName on s[0..n) of the item. */
static int int_or_name(const struct item *it, const char *s, size_t n,
                       int64_t *v)
{
    int rc;

    if (it->b->names != NULL && (rc = name_value(it->b, s, n)) >= 0) {
        *v = rc;
        return 0;
    }
    rc = atoi_go(s, n, v);
    if (rc > 0 || (rc == 0 && *v < 0))
        return out_of_range(it);
    if (rc == 0)
        return 0;
    if (it->b->names != NULL)
        return cs_err_set(
            it->err, CS_EPARSE, NULL, 0, (int)(it->s - it->text) + 1,
            "%s field \"%.*s\": \"%.*s\" is not a number or %s", it->b->field,
            (int)it->len, it->s, (int)n, s, it->b->names_hint);
    return cs_err_set(it->err, CS_EPARSE, NULL, 0, (int)(it->s - it->text) + 1,
                      "%s field \"%.*s\": \"%.*s\" is not a number",
                      it->b->field, (int)it->len, it->s, (int)n, s);
}

/* A step "/n": 0 with *step, else the error. */
static int step_value(const struct item *it, const char *s, size_t n,
                      int64_t *step)
{
    int rc = atoi_go(s, n, step);

    if (rc < 0)
        return cs_err_set(it->err, CS_EPARSE, NULL, 0,
                          (int)(it->s - it->text) + 1,
                          "%s field \"%.*s\": step \"%.*s\" is not a number",
                          it->b->field, (int)it->len, it->s, (int)n, s);
    if (rc > 0 || *step < 0)
        return item_err(it, rc > 0 ? "step must be at most "
                                     "9223372036854775807"
                                   : "step must be a positive number");
    return 0;
}

/* robfig's getRange: one item ("*", "5", "1-5", "*" "/10", "3/10", "MON")
 * ORed into *bits; *star set when it is '*' or '?' with step 1. */
static int range_parse(const struct item *it, uint64_t *bits, int *star)
{
    const char *s = it->s, *e = s + it->len;
    const char *slash = memchr(s, '/', it->len);
    const char *re = slash != NULL ? slash : e; /* end of the range */
    const char *h1 = memchr(s, '-', (size_t)(re - s));
    const char *p0e = h1 != NULL ? h1 : re; /* end of the first number */
    int64_t start, end, step = 1;
    int extra = 0;

    if (p0e - s == 1 && (s[0] == '*' || s[0] == '?')) {
        start = it->b->min;
        end = it->b->max;
        extra = 1;
    } else {
        if (int_or_name(it, s, (size_t)(p0e - s), &start) != 0)
            return CS_EPARSE;
        end = start;
        if (h1 != NULL && memchr(h1 + 1, '-', (size_t)(re - h1 - 1)) != NULL)
            return item_err(it, "too many '-'");
        if (h1 != NULL &&
            int_or_name(it, h1 + 1, (size_t)(re - h1 - 1), &end) != 0)
            return CS_EPARSE;
    }
    if (slash != NULL) {
        if (memchr(slash + 1, '/', (size_t)(e - slash - 1)) != NULL)
            return item_err(it, "too many '/'");
        if (step_value(it, slash + 1, (size_t)(e - slash - 1), &step) != 0)
            return CS_EPARSE;
        if (h1 == NULL)
            end = it->b->max; /* "a/n" is a to the maximum */
        if (step > 1)
            extra = 0;
    }
    if (start < it->b->min || start > it->b->max || end > it->b->max)
        return out_of_range(it);
    if (start > end)
        return cs_err_set(
            it->err, CS_EPARSE, NULL, 0, (int)(it->s - it->text) + 1,
            "%s field \"%.*s\": range start %d is after its "
            "end %d",
            it->b->field, (int)it->len, it->s, (int)start, (int)end);
    if (step == 0)
        return item_err(it, "step must be a positive number");
    for (uint64_t v = (uint64_t)start; v <= (uint64_t)end; v += (uint64_t)step)
        *bits |= (uint64_t)1 << v;
    *star |= extra;
    return 0;
}

/* A field: items separated by ',', empty items skipped (FieldsFunc). */
static int field_parse(const char *text, const char *s, size_t n,
                       const struct bounds *b, uint64_t *bits, int *star,
                       struct cs_err *err)
{
    size_t i = 0;

    *bits = 0;
    *star = 0;
    while (i < n) {
        size_t j = i;

        while (j < n && s[j] != ',')
            j++;
        if (j > i) {
            struct item it = {text, s + i, j - i, b, err};

            if (range_parse(&it, bits, star) != 0)
                return CS_EPARSE;
        }
        i = j + 1;
    }
    return 0;
}

/* The nanoseconds of a Go duration unit (s[0..n)), or 0. */
static uint64_t go_unit(const char *s, size_t n)
{
    static const struct {
        const char *u;
        uint64_t ns;
    } units[] = {{"ns", 1},
                 {"us", 1000},
                 {"\xC2\xB5s", 1000}, /* U+00B5 micro sign */
                 {"\xCE\xBCs", 1000}, /* U+03BC Greek mu */
                 {"ms", 1000000},
                 {"s", NS_PER_S},
                 {"m", 60 * NS_PER_S},
                 {"h", 3600 * NS_PER_S}};

    for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++)
        if (strlen(units[k].u) == n && memcmp(units[k].u, s, n) == 0)
            return units[k].ns;
    return 0;
}

/* One "<digits>[.<digits>]<unit>" of a Go duration at *sp, in ns (up to
 * 2^63), as time.ParseDuration computes it (its float step included).
 * 0 and *sp moved past it, or -1. */
static int go_component(const char **sp, uint64_t *ns)
{
    const char *s = *sp, *p0 = s, *u;
    uint64_t v = 0, f = 0, unit;
    double scale = 1;
    int pre, post = 0, over = 0;

    if (*s != '.' && !is_digit(*s))
        return -1;
    for (; is_digit(*s); s++)
        if (v > TWO63 / 10 || (v = v * 10 + (uint64_t)(*s - '0')) > TWO63)
            return -1;
    pre = s != p0;
    if (*s == '.') {
        for (p0 = ++s; is_digit(*s); s++) {
            /* digits past uint64 precision are read and ignored */
            if (over || f > (TWO63 - 1) / 10 ||
                f * 10 + (uint64_t)(*s - '0') > TWO63) {
                over = 1;
                continue;
            }
            f = f * 10 + (uint64_t)(*s - '0');
            scale *= 10;
        }
        post = s != p0;
    }
    for (u = s; *s != '\0' && *s != '.' && !is_digit(*s); s++)
        ;
    unit = go_unit(u, (size_t)(s - u));
    if ((!pre && !post) || unit == 0 || v > TWO63 / unit)
        return -1;
    v *= unit;
    if (f > 0 && (v += (uint64_t)((double)f * ((double)unit / scale))) > TWO63)
        return -1;
    *sp = s;
    *ns = v;
    return 0;
}

/* Go's time.ParseDuration: [-+]?(<component>)+ or "0". 0 with *ns, or
 * -1. */
static int go_duration(const char *s, int64_t *ns)
{
    uint64_t d = 0, v;
    int neg = 0;

    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (strcmp(s, "0") == 0) {
        *ns = 0;
        return 0;
    }
    if (*s == '\0')
        return -1;
    while (*s != '\0')
        if (go_component(&s, &v) != 0 || (d += v) > TWO63)
            return -1;
    if (!neg && d > TWO63 - 1)
        return -1;
    *ns = neg ? (d == TWO63 ? INT64_MIN : -(int64_t)d) : (int64_t)d;
    return 0;
}

/* robfig's parseDescriptor; the whole text must match. */
static int descriptor(struct cs_cron *c, const char *text, struct cs_err *err)
{
    static const char *const names[] = {"@yearly", "@annually", "@monthly",
                                        "@weekly", "@daily",    "@midnight",
                                        "@hourly"};
    const uint32_t all_dom = 0xFFFFFFFEu, all_hour = 0xFFFFFFu;
    int64_t ns;
    size_t k;

    for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (strcmp(text, names[k]) == 0)
            break;
    if (k < sizeof(names) / sizeof(names[0])) {
        c->minute = 1;
        c->hour = k == 6 ? all_hour : 1;
        c->dom = k <= 2 ? 1u << 1 : all_dom;
        c->month = k <= 1 ? 1u << 1 : 0x1FFE;
        c->dow = k == 3 ? 1 : 0x7F;
        c->star_dom = k > 2;
        c->star_dow = k != 3;
        return 0;
    }
    if (strncmp(text, "@every ", 7) != 0)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 1,
                          "unknown descriptor \"%s\" (use @yearly, @annually, "
                          "@monthly, @weekly, @daily, @midnight, @hourly or "
                          "@every <duration>)",
                          text);
    if (go_duration(text + 7, &ns) != 0)
        return cs_err_set(err, CS_EPARSE, NULL, 0, 8,
                          "@every: \"%s\" is not a duration (write e.g. 90s, "
                          "15m or 1h30m)",
                          text + 7);
    /* cron.Every: at least 1 s, fractions of a second dropped */
    c->every_s = ns < (int64_t)NS_PER_S ? 1 : ns / (int64_t)NS_PER_S;
    return 0;
}

/* Kubernetes' validation: no "TZ" anywhere (a TZ= / CRON_TZ= prefix). */
static int tz_check(const char *text, struct cs_err *err)
{
    const char *p = strstr(text, "TZ");
    int col;

    if (p == NULL)
        return 0;
    col = (int)(p - text) + 1;
    if (p - text >= 5 && memcmp(p - 5, "CRON_", 5) == 0)
        col -= 5;
    return cs_err_set(err, CS_EPARSE, NULL, 0, col,
                      "cannot use TZ or CRON_TZ in schedule, use timeZone "
                      "field instead");
}

int cs_cron_parse(struct cs_cron *c, const char *text, struct cs_err *err)
{
    struct cs_cron out = {0};
    const char *fs[6];
    size_t fl[6], n = 0;
    uint64_t bits[5];
    int star[5];

    if (tz_check(text, err) != 0)
        return CS_EPARSE;
    if (text[0] == '\0')
        return cs_err_set(err, CS_EPARSE, NULL, 0, 1, "empty schedule");
    if (text[0] == '@') {
        if (descriptor(&out, text, err) != 0)
            return CS_EPARSE;
        *c = out;
        return 0;
    }
    for (const char *p = text; *p != '\0';) {
        size_t w = space_len(p), len = 0;

        if (w > 0) {
            p += w;
            continue;
        }
        while (p[len] != '\0' && space_len(p + len) == 0)
            len++;
        if (n < 6) {
            fs[n] = p;
            fl[n] = len;
        }
        n++;
        p += len;
    }
    if (n != 5)
        return cs_err_set(err, CS_EPARSE, NULL, 0,
                          n > 5 ? (int)(fs[5] - text) + 1 : 1,
                          "expected 5 fields (minute hour day-of-month month "
                          "day-of-week), found %zu",
                          n);
    for (int i = 0; i < 5; i++)
        if (field_parse(text, fs[i], fl[i], &fields[i], &bits[i], &star[i],
                        err) != 0)
            return CS_EPARSE;
    out.minute = bits[0];
    out.hour = (uint32_t)bits[1];
    out.dom = (uint32_t)bits[2];
    out.month = (uint16_t)bits[3];
    out.dow = (uint8_t)bits[4];
    out.star_dom = (uint8_t)star[2];
    out.star_dow = (uint8_t)star[4];
    *c = out;
    return 0;
}

/* ---- Next -------------------------------------------------------------- */

/* The instant being moved and its local fields in the schedule's zone. */
struct walk {
    const struct cs_tz *tz;
    struct cs_tz_cache cache; /* holds the interval of t */
    struct cs_tz_cache wall;  /* go_date's lookups at wall times */
    int64_t t;                /* UTC s */
    struct cs_civil lc;       /* local wall time of t */
    int added;                /* robfig's "a field has been incremented" */
    int budget;               /* steps left (guards odd zone data) */
};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void set_t(struct walk *w, int64_t t)
{
    int32_t off = cs_tz_offset_cached(w->tz, &w->cache, t);

    w->t = t;
    cs_civil_from_seconds(t + off, &w->lc);
    w->budget--;
}

/* Go's time.Date(y, mon, d, h, mi, s, 0, loc): the wall time (normalised)
 * read with the offset at that wall time taken as UTC, unless the result
 * leaves that offset's interval, then with the offset at the result. The
 * lookups go through the walk's caches, which give the same answers. */
static int64_t go_date(struct walk *w, int32_t y, int mon, int d, int h, int mi,
                       int s)
{
    int64_t secs = cs_civil_days(y, mon, d) * 86400 + (int64_t)h * 3600 +
                   (int64_t)mi * 60 + s;
    int32_t off = cs_tz_offset_cached(w->tz, &w->wall, secs);

    if (off != 0) {
        int64_t utc = secs - off;

        if (utc < w->wall.from || utc >= w->wall.to)
            off = cs_tz_offset_cached(w->tz, &w->cache, utc);
        secs -= off;
    }
    return secs;
}

/* Steps from cur until a value in mask, or n (the wrap to 0). */
static int steps_to(uint64_t mask, int cur, int n)
{
    int k = 1;

    while (cur + k < n && !(mask >> (cur + k) & 1))
        k++;
    return k;
}

/* Add k units of absolute time at once if the offset cannot change on the
 * way (the same instants would be checked one unit at a time), else one
 * unit. */
static void advance(struct walk *w, int64_t unit, int k)
{
    if (k > 1 && w->t + unit * k < w->cache.to)
        set_t(w, w->t + unit * k);
    else
        set_t(w, w->t + unit);
}

static int day_matches(const struct cs_cron *c, const struct cs_civil *lc)
{
    int dom = (int)(c->dom >> lc->mday & 1), dow = c->dow >> lc->wday & 1;

    if (c->star_dom || c->star_dow)
        return dom && dow;
    return dom || dow;
}

/* The month and day loops of SpecSchedule.Next; 1 means "goto WRAP". */
static int month_and_day(const struct cs_cron *c, struct walk *w)
{
    const struct cs_civil *l = &w->lc;
    int64_t next;

    while (!(c->month >> l->mon & 1)) {
        if (!w->added) {
            w->added = 1;
            set_t(w, go_date(w, l->year, l->mon, 1, 0, 0, 0));
        }
        set_t(w, go_date(w, l->year, l->mon + 1, l->mday, l->hour, l->min,
                         l->sec));
        if (l->mon == 1 || w->budget < 0)
            return 1;
    }
    while (!day_matches(c, l)) {
        if (!w->added) {
            w->added = 1;
            set_t(w, go_date(w, l->year, l->mon, l->mday, 0, 0, 0));
        }
        next =
            go_date(w, l->year, l->mon, l->mday + 1, l->hour, l->min, l->sec);
        /* A skipped date (Samoa's 2011-12-30) makes AddDate land where it
         * started and robfig loop forever; move on a day instead. */
        set_t(w, next > w->t ? next : w->t + 86400);
        /* midnight skipped by DST: to the nearest midnight */
        if (l->hour != 0)
            set_t(w, w->t + (l->hour > 12 ? 24 - l->hour : -l->hour) *
                                (int64_t)3600);
        if (l->mday == 1 || w->budget < 0)
            return 1;
    }
    return 0;
}

/* The hour, minute and second loops; 1 means "goto WRAP". */
static int time_of_day(const struct cs_cron *c, struct walk *w)
{
    const struct cs_civil *l = &w->lc;

    while (!(c->hour >> l->hour & 1)) {
        if (!w->added) {
            w->added = 1;
            set_t(w, go_date(w, l->year, l->mon, l->mday, l->hour, 0, 0));
        }
        advance(w, 3600, steps_to(c->hour, l->hour, 24));
        if (l->hour == 0 || w->budget < 0)
            return 1;
    }
    while (!(c->minute >> l->min & 1)) {
        if (!w->added) {
            w->added = 1;
            set_t(w, floor_div(w->t, 60) * 60); /* Truncate(time.Minute) */
        }
        advance(w, 60, steps_to(c->minute, l->min, 60));
        if (l->min == 0 || w->budget < 0)
            return 1;
    }
    while (l->sec != 0) { /* the standard parser's seconds field is "0" */
        w->added = 1;
        advance(w, 1, 60 - l->sec);
        if (l->sec == 0 || w->budget < 0)
            return 1;
    }
    return 0;
}

/* A schedule no day can satisfy (an empty set, e.g. from the field ","). */
static int never(const struct cs_cron *c)
{
    uint64_t minute = c->minute & (((uint64_t)1 << 60) - 1);
    uint32_t hour = c->hour & 0xFFFFFFu, dom = c->dom & 0xFFFFFFFEu;
    unsigned month = c->month & 0x1FFEu, dow = c->dow & 0x7Fu;

    if (minute == 0 || hour == 0 || month == 0)
        return 1;
    if (c->star_dom || c->star_dow)
        return dom == 0 || dow == 0;
    return dom == 0 && dow == 0;
}

int64_t cs_cron_next(const struct cs_cron *c, const struct cs_tz *tz,
                     int64_t after_utc_s)
{
    struct walk w;
    int32_t limit;

    if (c->every_s > 0)
        return after_utc_s > INT64_MAX - c->every_s ? INT64_MAX
                                                    : after_utc_s + c->every_s;
    if (never(c) || after_utc_s >= NEXT_MAX_S || after_utc_s < -NEXT_MAX_S)
        return INT64_MAX;
    w.tz = tz;
    w.added = 0;
    w.budget = 100000;
    cs_tz_cache_init(&w.cache);
    cs_tz_cache_init(&w.wall);
    set_t(&w, after_utc_s + 1);
    limit = w.lc.year + YEARS_AHEAD;
    for (;;) {
        if (w.lc.year > limit || w.budget < 0)
            return INT64_MAX;
        if (month_and_day(c, &w) || time_of_day(c, &w))
            continue;
        return w.t;
    }
}
