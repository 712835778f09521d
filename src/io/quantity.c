/*
 * quantity.c - Kubernetes quantities, Go durations and checked numbers.
 *
 * Design
 * ------
 * A quantity is scanned once into a struct qparts (sign, the digit run with
 * its optional decimal point, a decimal exponent and a binary shift), then
 * evaluated. The milli-unit evaluation is exact for any number of digits and
 * uses O(1) memory: the value is D * 10^E * 2^B where D is the integer made
 * of all significant digits and E already includes the +3 for milli. When
 * E < 0 the digits split into an integer part, accumulated with overflow
 * checks, and a fraction F whose product with 2^B is evaluated by Horner's
 * rule from the last digit to the first:
 *
 *     x_{k+1} = 0,   x_i = (d_i * 2^B + x_i+1) / 10,   F * 2^B = x_1
 *
 * keeping only floor(x_i) and a "sticky" flag for a nonzero remainder. Since
 * x_i < 2^B <= 2^60, d_i * 2^B + floor(x_i+1) < 10 * 2^60 fits in uint64.
 * The result is then rounded away from zero, as Quantity.MilliValue() does.
 *
 * Durations use the same idea: each component's fraction times its unit in
 * nanoseconds is evaluated by Horner's rule, so "2h45m30.5s" is exact. The
 * running total is kept as whole milliseconds plus a nanosecond remainder
 * (< 1e6), so the range is the full int64 of milliseconds, and it is rounded
 * to milliseconds once at the end.
 *
 * Invariants
 *  1. No function writes its output argument unless it returns 0.
 *  2. Every multiplication and addition on accumulated values is checked
 *     before it is done.
 */
#include "io/quantity.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* Exponents are saturated here: past it the answer no longer depends on the
 * exact exponent (any nonzero value overflows or rounds to one milli-unit),
 * yet it is far larger than any digit count that fits in memory. */
#define EXP_SATURATE ((int64_t)1000000000000000)

/* ------------------------------------------------------------------------ */
/* Quantity scanning                                                        */
/* ------------------------------------------------------------------------ */

struct qparts {
    int neg;            /* a leading '-' was present */
    const char *num;    /* first byte of the digit run (after the sign) */
    size_t nint;        /* digits before the decimal point */
    size_t nfrac;       /* digits after the decimal point */
    const char *suffix; /* first byte after the digit run */
    int64_t dec_exp;    /* power of ten from the suffix or e-notation */
    int bin_shift;      /* power of two from a binary suffix: 0..60 */
    int exp_notation;   /* suffix was e<int> / E<int> */
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Signed integer exponent after 'e'/'E' (Go strconv.ParseInt syntax);
 * saturated at +-EXP_SATURATE. Returns 0 or CS_EPARSE. */
static int scan_exponent(const char *p, int64_t *out)
{
    int neg = 0;
    int64_t v = 0;

    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!is_digit(*p))
        return CS_EPARSE;
    for (; is_digit(*p); p++) {
        if (v < EXP_SATURATE)
            v = v * 10 + (*p - '0');
    }
    if (*p != '\0')
        return CS_EPARSE;
    *out = neg ? -v : v;
    return 0;
}

static int scan_suffix(struct qparts *q)
{
    static const struct {
        const char *name;
        int dec;
        int bin;
    } table[] = {
        {"", 0, 0},    {"n", -9, 0},  {"u", -6, 0},  {"m", -3, 0},
        {"k", 3, 0},   {"M", 6, 0},   {"G", 9, 0},   {"T", 12, 0},
        {"P", 15, 0},  {"E", 18, 0},  {"Ki", 0, 10}, {"Mi", 0, 20},
        {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60},
    };
    const char *s = q->suffix;
    size_t i;

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(s, table[i].name) == 0) {
            q->dec_exp = table[i].dec;
            q->bin_shift = table[i].bin;
            return 0;
        }
    }
    if ((s[0] == 'e' || s[0] == 'E') && s[1] != '\0') {
        q->exp_notation = 1;
        return scan_exponent(s + 1, &q->dec_exp);
    }
    return CS_EPARSE;
}

static int scan_quantity(const char *s, struct qparts *q)
{
    const char *p = s;

    memset(q, 0, sizeof(*q));
    if (s == NULL)
        return CS_EPARSE;
    if (*p == '+' || *p == '-')
        q->neg = *p++ == '-';
    q->num = p;
    while (is_digit(*p)) {
        p++;
        q->nint++;
    }
    if (*p == '.') {
        p++;
        while (is_digit(*p)) {
            p++;
            q->nfrac++;
        }
    }
    if (q->nint + q->nfrac == 0)
        return CS_EPARSE;
    q->suffix = p;
    return scan_suffix(q);
}

/* Logical digit j of the run, skipping the decimal point. */
static int qdigit(const struct qparts *q, size_t j)
{
    const char *c = j < q->nint ? q->num + j : q->num + j + 1;
    return *c - '0';
}

/* ------------------------------------------------------------------------ */
/* Quantity evaluation                                                      */
/* ------------------------------------------------------------------------ */

static int mul_add_u64(uint64_t *acc, uint64_t mul, uint64_t add,
                       uint64_t limit)
{
    if (*acc > (limit - add) / mul)
        return CS_ERANGE;
    *acc = *acc * mul + add;
    return 0;
}

/* floor(0.d_first..d_last * 2^shift) followed by `zeros` extra leading
 * zeros, i.e. the fraction is 10^-zeros * 0.d_first..d_last. *sticky is set
 * when the product is not an integer. */
static uint64_t frac_times_pow2(const struct qparts *q, size_t first,
                                size_t last, uint64_t zeros, int shift,
                                int *sticky)
{
    uint64_t mult = (uint64_t)1 << shift;
    uint64_t x = 0;
    size_t j;

    for (j = last; j > first; j--) {
        uint64_t m = (uint64_t)qdigit(q, j - 1) * mult + x;
        *sticky |= m % 10 != 0;
        x = m / 10;
    }
    for (; zeros > 0 && x > 0; zeros--) {
        *sticky |= x % 10 != 0;
        x /= 10;
    }
    return x;
}

static int quantity_milli(const struct qparts *q, int64_t *milli)
{
    uint64_t limit = q->neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    size_t total = q->nint + q->nfrac, z = 0, nsig, nhi, j;
    int64_t e;
    uint64_t acc = 0;
    int sticky = 0;

    while (z < total && qdigit(q, z) == 0)
        z++;
    if (z == total) {
        *milli = 0;
        return 0;
    }
    nsig = total - z;
    e = q->dec_exp + 3 - (int64_t)q->nfrac;
    /* Digits that land left of the decimal point after scaling. */
    if (e >= 0)
        nhi = nsig;
    else
        nhi = (uint64_t)-e < nsig ? nsig - (size_t)-e : 0;
    for (j = z; j < z + nhi; j++) {
        if (mul_add_u64(&acc, 10, (uint64_t)qdigit(q, j), limit) < 0)
            return CS_ERANGE;
    }
    for (; e > 0; e--) {
        if (mul_add_u64(&acc, 10, 0, limit) < 0)
            return CS_ERANGE;
    }
    if (acc > limit >> q->bin_shift)
        return CS_ERANGE;
    acc <<= q->bin_shift;
    if (e < 0) {
        uint64_t zeros = (uint64_t)-e - (nsig - nhi);
        uint64_t f =
            frac_times_pow2(q, z + nhi, total, zeros, q->bin_shift, &sticky);
        if (mul_add_u64(&acc, 1, f + (uint64_t)sticky, limit) < 0)
            return CS_ERANGE;
    }
    if (q->neg)
        *milli = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
    else
        *milli = (int64_t)acc;
    return 0;
}

int cs_quantity_parse_milli(const char *s, int64_t *milli)
{
    struct qparts q;
    int rc = scan_quantity(s, &q);

    if (rc < 0)
        return rc;
    return quantity_milli(&q, milli);
}

int cs_quantity_parse_double(const char *s, double *out)
{
    struct qparts q;
    char *end;
    double v;
    int rc = scan_quantity(s, &q);

    if (rc < 0)
        return rc;
    /* The scan validated the shape, so strtod sees only [sign]digits[.digits]
     * followed by the suffix; it consumes an e-notation exponent itself. */
    errno = 0;
    v = strtod(s, &end);
    if (errno == ERANGE && isinf(v))
        return CS_ERANGE;
    if (q.exp_notation ? *end != '\0' : end != q.suffix)
        return CS_EPARSE;
    if (!q.exp_notation) {
        if (q.dec_exp < 0)
            v /= pow(10.0, (double)-q.dec_exp);
        else if (q.dec_exp > 0)
            v *= pow(10.0, (double)q.dec_exp);
        v = ldexp(v, q.bin_shift);
    }
    if (!isfinite(v))
        return CS_ERANGE;
    *out = v;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Durations                                                                */
/* ------------------------------------------------------------------------ */

#define NS_PER_MS ((uint64_t)1000000)

struct dacc {
    uint64_t ms; /* whole milliseconds, <= INT64_MAX */
    uint64_t ns; /* remainder in nanoseconds, < NS_PER_MS */
};

static int dacc_add(struct dacc *a, uint64_t ms, uint64_t ns)
{
    ms += ns / NS_PER_MS;
    a->ns += ns % NS_PER_MS;
    if (a->ns >= NS_PER_MS) {
        a->ns -= NS_PER_MS;
        ms++;
    }
    if (ms > (uint64_t)INT64_MAX - a->ms)
        return CS_ERANGE;
    a->ms += ms;
    return 0;
}

/* Unit name -> nanoseconds; 0 if unknown. Go accepts both micro signs. */
static uint64_t duration_unit(const char *u, size_t len)
{
    static const struct {
        const char *name;
        uint64_t ns;
    } table[] = {
        {"ns", 1},           {"us", 1000},
        {"\xc2\xb5s", 1000}, /* U+00B5 MICRO SIGN */
        {"\xce\xbcs", 1000}, /* U+03BC GREEK SMALL LETTER MU */
        {"ms", 1000000},     {"s", 1000000000},
        {"m", 60000000000},  {"h", 3600000000000},
    };
    size_t i;

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strlen(table[i].name) == len && memcmp(table[i].name, u, len) == 0)
            return table[i].ns;
    }
    return 0;
}

/* Adds digits [ip, ip+ni) . [fp, fp+nf) times unit nanoseconds. */
static int duration_add(struct dacc *a, const char *ip, size_t ni,
                        const char *fp, size_t nf, uint64_t unit)
{
    uint64_t v = 0, x = 0;
    size_t j;

    for (j = 0; j < ni; j++) {
        if (mul_add_u64(&v, 10, (uint64_t)(ip[j] - '0'), UINT64_MAX) < 0)
            return CS_ERANGE;
    }
    if (unit < NS_PER_MS) {
        uint64_t per_ms = NS_PER_MS / unit;
        if (dacc_add(a, v / per_ms, (v % per_ms) * unit) < 0)
            return CS_ERANGE;
    } else {
        uint64_t unit_ms = unit / NS_PER_MS;
        if (v > (uint64_t)INT64_MAX / unit_ms)
            return CS_ERANGE;
        if (dacc_add(a, v * unit_ms, 0) < 0)
            return CS_ERANGE;
    }
    /* Fraction: floor(0.f1..fn * unit), exact by Horner's rule; the lost
     * sub-nanosecond part cannot change the rounding to milliseconds. */
    for (j = nf; j > 0; j--)
        x = ((uint64_t)(fp[j - 1] - '0') * unit + x) / 10;
    return dacc_add(a, 0, x);
}

/* Scans [digits][.digits] with at least one digit; returns the end or NULL. */
static const char *scan_decimal(const char *p, const char **ip, size_t *ni,
                                const char **fp, size_t *nf)
{
    *ip = p;
    while (is_digit(*p))
        p++;
    *ni = (size_t)(p - *ip);
    *fp = p;
    *nf = 0;
    if (*p == '.') {
        *fp = ++p;
        while (is_digit(*p))
            p++;
        *nf = (size_t)(p - *fp);
    }
    return *ni + *nf > 0 ? p : NULL;
}

/* Sums the components of p (after the sign) into a. */
static int duration_sum(const char *p, struct dacc *a)
{
    const char *ip, *fp, *u, *end;
    size_t ni, nf;
    uint64_t unit;
    int rc;

    /* A bare number is seconds. */
    end = scan_decimal(p, &ip, &ni, &fp, &nf);
    if (end != NULL && *end == '\0')
        return duration_add(a, ip, ni, fp, nf, 1000000000);
    /* Go: each component is a decimal followed by a unit, which runs up to
     * the next digit or '.', so "1h-5m" has the unknown unit "h-". */
    do {
        p = scan_decimal(p, &ip, &ni, &fp, &nf);
        if (p == NULL)
            return CS_EPARSE;
        u = p;
        while (*p != '\0' && *p != '.' && !is_digit(*p))
            p++;
        unit = duration_unit(u, (size_t)(p - u));
        if (unit == 0)
            return CS_EPARSE;
        rc = duration_add(a, ip, ni, fp, nf, unit);
        if (rc < 0)
            return rc;
    } while (*p != '\0');
    return 0;
}

int cs_duration_parse(const char *s, cs_time_ms *out)
{
    struct dacc a = {0, 0};
    const char *p = s;
    uint64_t ms;
    int neg = 0, rc;

    if (s == NULL)
        return CS_EPARSE;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (*p == '\0')
        return CS_EPARSE;
    rc = duration_sum(p, &a);
    if (rc < 0)
        return rc;
    ms = a.ms;
    if (a.ns >= NS_PER_MS / 2) {
        if (ms == (uint64_t)INT64_MAX)
            return CS_ERANGE;
        ms++;
    }
    if (neg && (ms > 0 || a.ns > 0))
        return CS_ERANGE;
    *out = (cs_time_ms)ms;
    return 0;
}

int cs_duration_format(cs_time_ms d, char *buf, size_t n)
{
    const char *sign = d < 0 ? "-" : "";
    uint64_t u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
    uint64_t secs = u / 1000, h = secs / 3600;
    unsigned m = (unsigned)(secs / 60 % 60), sec = (unsigned)(secs % 60);
    unsigned frac = (unsigned)(u % 1000);
    char fbuf[8] = "";
    int digits = 3;

    if (u == 0)
        return snprintf(buf, n, "0s");
    if (u < 1000)
        return snprintf(buf, n, "%s%ums", sign, frac);
    if (frac != 0) {
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        snprintf(fbuf, sizeof(fbuf), ".%0*u", digits, frac);
    }
    if (h > 0)
        return snprintf(buf, n, "%s%lluh%um%u%ss", sign, (unsigned long long)h,
                        m, sec, fbuf);
    if (m > 0)
        return snprintf(buf, n, "%s%um%u%ss", sign, m, sec, fbuf);
    return snprintf(buf, n, "%s%u%ss", sign, sec, fbuf);
}

/* ------------------------------------------------------------------------ */
/* Checked numbers                                                          */
/* ------------------------------------------------------------------------ */

int cs_parse_int64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (s == NULL || !(is_digit(s[0]) || s[0] == '+' || s[0] == '-'))
        return CS_EPARSE;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (end == s || *end != '\0')
        return CS_EPARSE;
    if (errno == ERANGE || v < INT64_MIN || v > INT64_MAX)
        return CS_ERANGE;
    *out = (int64_t)v;
    return 0;
}

int cs_parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (s == NULL || s[0] == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
        return CS_EPARSE;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0')
        return CS_EPARSE;
    if (errno == ERANGE && isinf(v))
        return CS_ERANGE;
    if (!isfinite(v))
        return CS_EPARSE;
    *out = v;
    return 0;
}
