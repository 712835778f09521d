/*
 * outbuf.c - output buffer and exact number formatting (see outbuf.h).
 *
 * Design. Appends check for room inline (outbuf.h) and call
 * cs_outbuf_reserve() only to grow, doubling the capacity.
 *
 * cs_outbuf_fixed() is exact: a finite double is m * 2^e with m < 2^53, so
 * for |v| < 1e15 (< 2^50) its integer part fits in 64 bits and its fraction
 * is f / 2^k with f < 2^53. The rounded fraction is
 *
 *     floor(f * 10^d / 2^k + 1/2) = ((f * 10^d) >> (k - 1) + 1) >> 1
 *
 * where f * 10^d < 2^83 is held in two 64-bit words. That is round half
 * up on the magnitude, i.e. half away from zero, decided on the exact
 * binary value: no floating-point multiply, so no double rounding and no
 * dependence on the FPU mode or the C library.
 *
 * Invariants:
 *   1. len <= cap; data is NULL iff cap == 0.
 *   2. err != 0 implies cap == 0, so every append reaches reserve() and
 *      fails there (the error is sticky).
 */
#include "io/outbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <csv.h>

#include "core/err.h"

#define FIXED_MAX_DECIMALS 9
#define FIXED_LIMIT 1e15

static const char digit_pairs[201] = "00010203040506070809"
                                     "10111213141516171819"
                                     "20212223242526272829"
                                     "30313233343536373839"
                                     "40414243444546474849"
                                     "50515253545556575859"
                                     "60616263646566676869"
                                     "70717273747576777879"
                                     "80818283848586878889"
                                     "90919293949596979899";

static const uint64_t pow10_u64[FIXED_MAX_DECIMALS + 1] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

static void fail(struct cs_outbuf *b, int code)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    if (b->err == 0)
        b->err = code;
}

int cs_outbuf_init(struct cs_outbuf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->err = 0;
    if (cap == 0)
        return 0;
    b->data = malloc(cap);
    if (b->data == NULL) {
        b->err = CS_ENOMEM;
        return CS_ENOMEM;
    }
    b->cap = cap;
    return 0;
}

void cs_outbuf_fini(struct cs_outbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

int cs_outbuf_reserve(struct cs_outbuf *b, size_t n)
{
    size_t cap;
    char *p;

    if (b->err != 0)
        return b->err;
    if (b->cap - b->len >= n)
        return 0;
    if (n > SIZE_MAX / 2 - b->len) {
        fail(b, CS_ENOMEM);
        return b->err;
    }
    cap = b->cap ? b->cap : 256;
    while (cap - b->len < n)
        cap *= 2;
    p = realloc(b->data, cap);
    if (p == NULL) {
        fail(b, CS_ENOMEM);
        return b->err;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Write the decimal digits of u ending just before `end`; returns the
 * first digit. end must have 20 bytes of room before it. */
static char *utoa_rev(uint64_t u, char *end)
{
    char *p = end;

    while (u >= 100) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        p -= 2;
        p[0] = digit_pairs[2 * r];
        p[1] = digit_pairs[2 * r + 1];
    }
    if (u >= 10) {
        p -= 2;
        p[0] = digit_pairs[2 * u];
        p[1] = digit_pairs[2 * u + 1];
    } else {
        *--p = (char)('0' + u);
    }
    return p;
}

void cs_outbuf_int(struct cs_outbuf *b, int64_t v)
{
    char tmp[24];
    char *end = tmp + sizeof(tmp), *p;
    /* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    p = utoa_rev(u, end);
    if (v < 0)
        *--p = '-';
    cs_outbuf_put(b, p, (size_t)(end - p));
}

/* floor(f * p / 2^k + 1/2) for f < 2^53, p <= 10^9, k >= 1: the fraction
 * f / 2^k scaled by p and rounded half up, exactly. */
static uint64_t round_scaled(uint64_t f, unsigned k, uint64_t p)
{
    uint64_t fh = f >> 32, fl = f & 0xFFFFFFFFu;
    uint64_t t1 = fl * p, t2 = fh * p; /* < 2^62, < 2^51 */
    uint64_t lo = t1 + (t2 << 32);
    uint64_t hi = (t2 >> 32) + (lo < t1);
    unsigned s = k - 1;
    uint64_t q; /* (hi:lo) >> s, which is < 2 * p by construction */

    if (s >= 128)
        return 0;
    if (s >= 64)
        q = hi >> (s - 64);
    else if (s == 0)
        q = lo;
    else
        q = (lo >> s) | (hi << (64 - s));
    return (q + 1) >> 1;
}

/* Split finite |v| < 2^63 into integer part *ip and the fraction's digits
 * scaled by 10^d and rounded half up (possibly 10^d, a carry). */
static void split_fixed(double v, int d, uint64_t *ip, uint64_t *fq)
{
    uint64_t bits, m;
    int exp;
    unsigned k;

    memcpy(&bits, &v, sizeof(bits));
    exp = (int)((bits >> 52) & 0x7FF);
    m = bits & ((UINT64_C(1) << 52) - 1);
    if (exp == 0)
        exp = 1; /* subnormal: no implicit bit */
    else
        m |= UINT64_C(1) << 52;
    exp -= 1075; /* |v| = m * 2^exp */
    if (exp >= 0) {
        *ip = m << exp;
        *fq = 0;
        return;
    }
    k = (unsigned)-exp;
    *ip = k >= 64 ? 0 : m >> k;
    if (k < 64)
        m &= (UINT64_C(1) << k) - 1;
    *fq = m == 0 ? 0 : round_scaled(m, k, pow10_u64[d]);
}

void cs_outbuf_fixed(struct cs_outbuf *b, double v, int decimals)
{
    char tmp[48];
    char *end = tmp + sizeof(tmp), *p = end;
    uint64_t ip, fq;
    int neg = signbit(v) != 0, d = decimals;

    if (isnan(v))
        return;
    if (isinf(v)) {
        cs_outbuf_puts(b, neg ? "-inf" : "inf");
        return;
    }
    if (fabs(v) >= FIXED_LIMIT) {
        int n = snprintf(tmp, sizeof(tmp), "%.17g", v);
        if (n > 0 && (size_t)n < sizeof(tmp))
            cs_outbuf_put(b, tmp, (size_t)n);
        return;
    }
    if (d < 0)
        d = 0;
    if (d > FIXED_MAX_DECIMALS)
        d = FIXED_MAX_DECIMALS;
    split_fixed(v, d, &ip, &fq);
    if (fq == pow10_u64[d]) {
        ip++;
        fq = 0;
    }
    if (fq != 0) {
        /* Strip trailing zeros, then write the rest zero-padded. */
        int nd = d;
        while (fq % 10 == 0) {
            fq /= 10;
            nd--;
        }
        while (nd-- > 0) {
            *--p = (char)('0' + fq % 10);
            fq /= 10;
        }
        *--p = '.';
    }
    neg = neg && (ip != 0 || p != end); /* never "-0" */
    p = utoa_rev(ip, p);
    if (neg)
        *--p = '-';
    cs_outbuf_put(b, p, (size_t)(end - p));
}

void cs_outbuf_csv_field(struct cs_outbuf *b, const char *s)
{
    size_t n = strlen(s), i, need;
    int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
                          s[n - 1] == '\t');

    for (i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        cs_outbuf_put(b, s, n);
        return;
    }
    if (n > (SIZE_MAX - 2) / 2) {
        fail(b, CS_ENOMEM);
        return;
    }
    /* Worst case every byte is a '"' that doubles, plus the two quotes. */
    if (cs_outbuf_reserve(b, 2 * n + 2) != 0)
        return;
    need = csv_write(b->data + b->len, b->cap - b->len, s, n);
    b->len += need;
}

const char *cs_outbuf_str(struct cs_outbuf *b)
{
    if (b->err != 0 || cs_outbuf_reserve(b, 1) != 0)
        return "";
    b->data[b->len] = '\0';
    return b->data;
}

void cs_outbuf_reset(struct cs_outbuf *b)
{
    b->len = 0;
}
