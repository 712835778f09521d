/*
 * fuzz_quantity.c - libFuzzer target for the value parsers of quantity.h.
 *
 * The input, up to its first NUL, is given to every parser. Properties
 * checked besides "no crash, no UB":
 *  - no parser writes its output unless it returns 0;
 *  - quantities: the milli and double parsers agree on the syntax, and when
 *    both succeed on the value (milli rounds up, so within 1 milli);
 *  - durations: format(parse(s)) parses back to the same value, and the
 *    formatted length obeys snprintf rules (at most 27, truncation safe);
 *  - any int64 (the first 8 input bytes) formats and, when >= 0, parses
 *    back to itself;
 *  - int64/double: print and re-parse gives the same number.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>

#include "fuzz_util.h"

#include "core/err.h"
#include "io/quantity.h"

static void fq_duration_roundtrip(cs_time_ms d)
{
    char buf[32], small[8];
    cs_time_ms back = -12345;
    int n = cs_duration_format(d, buf, sizeof(buf));

    FUZZ_CHECK(n > 0 && n <= 27 && (size_t)n == strlen(buf));
    FUZZ_CHECK(cs_duration_format(d, NULL, 0) == n);
    FUZZ_CHECK(cs_duration_format(d, small, sizeof(small)) == n);
    FUZZ_CHECK(strncmp(small, buf, sizeof(small) - 1) == 0);
    if (d >= 0) {
        FUZZ_CHECK(cs_duration_parse(buf, &back) == 0);
        FUZZ_CHECK(back == d);
    } else {
        FUZZ_CHECK(cs_duration_parse(buf, &back) == CS_ERANGE);
        FUZZ_CHECK(back == -12345);
    }
}

static void fq_quantity(const char *s)
{
    int64_t m = INT64_MIN + 7;
    double v = -0.125;
    int rm = cs_quantity_parse_milli(s, &m);
    int rd = cs_quantity_parse_double(s, &v);

    FUZZ_CHECK(rm == 0 || rm == CS_EPARSE || rm == CS_ERANGE);
    FUZZ_CHECK(rd == 0 || rd == CS_EPARSE || rd == CS_ERANGE);
    FUZZ_CHECK(rm == 0 || m == INT64_MIN + 7);
    FUZZ_CHECK(rd == 0 || v == -0.125);
    FUZZ_CHECK((rm == CS_EPARSE) == (rd == CS_EPARSE));
    if (rm == 0) {
        FUZZ_CHECK(rd == 0 && isfinite(v));
        FUZZ_CHECK(fabs(v * 1000.0 - (double)m) <= 1.0 + 1e-12 * fabs(v));
    }
}

static void fq_duration(const char *s)
{
    cs_time_ms d = -777;
    int rc = cs_duration_parse(s, &d);

    FUZZ_CHECK(rc == 0 || rc == CS_EPARSE || rc == CS_ERANGE);
    if (rc != 0) {
        FUZZ_CHECK(d == -777);
        return;
    }
    FUZZ_CHECK(d >= 0);
    fq_duration_roundtrip(d);
}

static void fq_numbers(const char *s)
{
    int64_t i = 99, i2 = 0;
    double x = 0.5, x2 = 0;
    char buf[64];
    int ri = cs_parse_int64(s, &i), rx = cs_parse_double(s, &x);

    FUZZ_CHECK(ri == 0 || ri == CS_EPARSE || ri == CS_ERANGE);
    FUZZ_CHECK(rx == 0 || rx == CS_EPARSE || rx == CS_ERANGE);
    FUZZ_CHECK(ri == 0 || i == 99);
    FUZZ_CHECK(rx == 0 || x == 0.5);
    if (ri == 0) {
        snprintf(buf, sizeof(buf), "%" PRId64, i);
        FUZZ_CHECK(cs_parse_int64(buf, &i2) == 0 && i2 == i);
        /* Integer syntax is a subset of the decimal syntax. */
        FUZZ_CHECK(rx == 0);
    }
    if (rx == 0) {
        FUZZ_CHECK(isfinite(x));
        snprintf(buf, sizeof(buf), "%.17g", x);
        FUZZ_CHECK(cs_parse_double(buf, &x2) == 0 && x2 == x);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;
    uint64_t bits = 0;

    if (size > 4096) /* the parsers are linear; long inputs add nothing */
        return 0;
    s = fuzz_strndup(data, size);
    if (s == NULL)
        return 0;
    fq_quantity(s);
    fq_duration(s);
    fq_numbers(s);
    if (size >= 8) {
        memcpy(&bits, data, sizeof(bits));
        fq_duration_roundtrip((cs_time_ms)bits);
    }
    free(s);
    return 0;
}
