/*
 * test_outbuf.c - output buffer and hand-written number formatting.
 *
 * Integers and fixed-point decimals are pinned by tables of exact strings;
 * cs_outbuf_fixed() is also cross-checked against glibc's correctly
 * rounded printf("%.*f") on many pseudo-random values. They agree except on
 * exact ties (0.125 to 2 decimals), which printf rounds to even and we round
 * away from zero (the table pins those), and on "-0", which we never write.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "io/outbuf.h"

static uint64_t sm_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static const char *fmt_int(struct cs_outbuf *b, int64_t v)
{
    cs_outbuf_reset(b);
    cs_outbuf_int(b, v);
    return cs_outbuf_str(b);
}

static const char *fmt_fixed(struct cs_outbuf *b, double v, int d)
{
    cs_outbuf_reset(b);
    cs_outbuf_fixed(b, v, d);
    return cs_outbuf_str(b);
}

static const char *fmt_csv(struct cs_outbuf *b, const char *s)
{
    cs_outbuf_reset(b);
    cs_outbuf_csv_field(b, s);
    return cs_outbuf_str(b);
}

static void test_int_table(void **state)
{
    struct cs_outbuf b;

    (void)state;
    assert_int_equal(cs_outbuf_init(&b, 4), 0);
    assert_string_equal(fmt_int(&b, 0), "0");
    assert_string_equal(fmt_int(&b, 7), "7");
    assert_string_equal(fmt_int(&b, -7), "-7");
    assert_string_equal(fmt_int(&b, 10), "10");
    assert_string_equal(fmt_int(&b, 99), "99");
    assert_string_equal(fmt_int(&b, 100), "100");
    assert_string_equal(fmt_int(&b, -100), "-100");
    assert_string_equal(fmt_int(&b, 1000000007), "1000000007");
    assert_string_equal(fmt_int(&b, INT64_MAX), "9223372036854775807");
    assert_string_equal(fmt_int(&b, INT64_MIN), "-9223372036854775808");
    assert_string_equal(fmt_int(&b, INT64_MIN + 1), "-9223372036854775807");
    cs_outbuf_fini(&b);
}

static void test_int_matches_printf(void **state)
{
    struct cs_outbuf b;
    char want[32];
    uint64_t s = 7;
    int i;

    (void)state;
    assert_int_equal(cs_outbuf_init(&b, 0), 0);
    for (i = 0; i < 100000; i++) {
        uint64_t x = sm_next(&s);
        int64_t v = (int64_t)(x >> (x % 64)); /* all magnitudes */
        if (x & 1)
            v = -v;
        snprintf(want, sizeof(want), "%" PRId64, v);
        assert_string_equal(fmt_int(&b, v), want);
    }
    cs_outbuf_fini(&b);
}

struct fixed_case {
    double v;
    int decimals;
    const char *want;
};

static void test_fixed_table(void **state)
{
    static const struct fixed_case cases[] = {
        {1.50, 2, "1.5"},
        {2.0, 2, "2"},
        {-0.0004, 3, "0"},
        {0.0, 3, "0"},
        {-0.0, 3, "0"},
        {0.5, 0, "1"},
        {1.5, 0, "2"},
        {2.5, 0, "3"},   /* half away from zero, not to even */
        {-2.5, 0, "-3"}, /* likewise */
        {-0.5, 0, "-1"},
        {0.49999999999999994, 0, "0"}, /* floor(v + 0.5) would say 1 */
        {0.125, 2, "0.13"},            /* an exact binary tie */
        {-0.125, 2, "-0.13"},
        {0.375, 2, "0.38"},
        {1.005, 2, "1"}, /* the double is 1.00499999999999989... */
        {2.675, 2, "2.67"},
        {0.1, 1, "0.1"},
        {0.1 + 0.2, 9, "0.3"},
        {0.1 + 0.2, 17, "0.3"}, /* decimals clamped to 9 */
        {1.25, -3, "1"},        /* and to 0 */
        {0.999999, 3, "1"},
        {9.9996, 3, "10"},
        {-9.9996, 3, "-10"},
        {123456.789, 2, "123456.79"},
        {0.123456789, 9, "0.123456789"},
        {0.000000001, 9, "0.000000001"},
        {0.0000000004, 9, "0"},
        {-0.0000000006, 9, "-0.000000001"},
        {1e-300, 9, "0"},
        {DBL_TRUE_MIN, 9, "0"},
        {42.0, 0, "42"},
        {1234567.0, 3, "1234567"},
        {999999999999999.9, 0, "1000000000000000"},
        {999999999999999.9, 1, "999999999999999.9"},
        {1e15, 2, "1000000000000000"}, /* "%.17g" from here on */
        {-2.5e20, 2, "-2.5e+20"},
        {123456789012345678.0, 0, "1.2345678901234568e+17"},
        {INFINITY, 2, "inf"},
        {-INFINITY, 2, "-inf"},
        {NAN, 2, ""},
    };
    struct cs_outbuf b;
    size_t i;

    (void)state;
    assert_int_equal(cs_outbuf_init(&b, 0), 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = fmt_fixed(&b, cases[i].v, cases[i].decimals);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: %.17g with %d decimals: got \"%s\", want "
                     "\"%s\"",
                     i, cases[i].v, cases[i].decimals, got, cases[i].want);
    }
    cs_outbuf_fini(&b);
}

/* printf("%.*f") with trailing zeros, a bare dot and "-0" removed. */
static void reference_fixed(char *out, size_t n, double v, int d)
{
    size_t len;

    snprintf(out, n, "%.*f", d, v);
    len = strlen(out);
    if (strchr(out, '.') != NULL) {
        while (out[len - 1] == '0')
            out[--len] = '\0';
        if (out[len - 1] == '.')
            out[--len] = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, n, "0");
}

/* 1 if v lies exactly halfway between two multiples of 10^-d (every value
 * generated below has an exact expansion within 120 decimals). */
static int is_tie(double v, int d)
{
    char buf[200];
    const char *p;

    snprintf(buf, sizeof(buf), "%.120f", v);
    p = strchr(buf, '.') + 1 + d;
    if (*p++ != '5')
        return 0;
    while (*p == '0')
        p++;
    return *p == '\0';
}

static void test_fixed_matches_printf(void **state)
{
    struct cs_outbuf b;
    char want[64];
    uint64_t s = 99;
    int i, ties = 0;

    (void)state;
    assert_int_equal(cs_outbuf_init(&b, 0), 0);
    for (i = 0; i < 200000; i++) {
        uint64_t x = sm_next(&s);
        /* Random 53-bit mantissa scaled over 2^-40 .. 2^49. */
        double v = ldexp((double)(x >> 11), (int)(x % 90) - 93);
        int d = (int)((x >> 8) % 10);
        if (x & 0x80)
            v = -v;
        if (is_tie(v, d)) {
            ties++;
            continue;
        }
        reference_fixed(want, sizeof(want), v, d);
        if (strcmp(fmt_fixed(&b, v, d), want) != 0)
            fail_msg("%a with %d decimals: got \"%s\", printf \"%s\"", v, d,
                     fmt_fixed(&b, v, d), want);
    }
    assert_true(ties < 2000); /* the comparison covered nearly everything */
    cs_outbuf_fini(&b);
}

static void test_csv_quoting(void **state)
{
    struct cs_outbuf b;

    (void)state;
    assert_int_equal(cs_outbuf_init(&b, 0), 0);
    assert_string_equal(fmt_csv(&b, "plain"), "plain");
    assert_string_equal(fmt_csv(&b, ""), "");
    assert_string_equal(fmt_csv(&b, "in side"), "in side");
    assert_string_equal(fmt_csv(&b, "tab\tinside"), "tab\tinside");
    assert_string_equal(fmt_csv(&b, "a,b"), "\"a,b\"");
    assert_string_equal(fmt_csv(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_string_equal(fmt_csv(&b, "\""), "\"\"\"\"");
    assert_string_equal(fmt_csv(&b, "line\nbreak"), "\"line\nbreak\"");
    assert_string_equal(fmt_csv(&b, "cr\r"), "\"cr\r\"");
    assert_string_equal(fmt_csv(&b, " lead"), "\" lead\"");
    assert_string_equal(fmt_csv(&b, "trail "), "\"trail \"");
    assert_string_equal(fmt_csv(&b, "\ttab"), "\"\ttab\"");
    /* A row: fields appended one after another. */
    cs_outbuf_reset(&b);
    cs_outbuf_csv_field(&b, "web,api");
    cs_outbuf_putc(&b, ',');
    cs_outbuf_int(&b, -3);
    cs_outbuf_putc(&b, ',');
    cs_outbuf_fixed(&b, 0.25, 1);
    cs_outbuf_putc(&b, '\n');
    assert_string_equal(cs_outbuf_str(&b), "\"web,api\",-3,0.3\n");
    assert_int_equal(b.len, 17);
    cs_outbuf_fini(&b);
}

static void test_growth_and_reset(void **state)
{
    struct cs_outbuf b;
    size_t i, cap;

    (void)state;
    assert_int_equal(cs_outbuf_init(&b, 0), 0);
    assert_string_equal(cs_outbuf_str(&b), "");
    for (i = 0; i < 100000; i++) {
        cs_outbuf_put(&b, "abc", 3);
        cs_outbuf_putc(&b, (char)('0' + i % 10));
        cs_outbuf_puts(&b, "");
    }
    assert_int_equal(b.err, 0);
    assert_int_equal(b.len, 400000);
    for (i = 0; i < 100000; i++) {
        assert_memory_equal(b.data + 4 * i, "abc", 3);
        assert_int_equal(b.data[4 * i + 3], '0' + i % 10);
    }
    cap = b.cap;
    cs_outbuf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap); /* memory kept */
    cs_outbuf_puts(&b, "x");
    assert_string_equal(cs_outbuf_str(&b), "x");
    assert_int_equal(b.len, 1); /* the NUL is not counted */
    cs_outbuf_fini(&b);
    cs_outbuf_fini(&b);
}

static void test_error_is_sticky(void **state)
{
    struct cs_outbuf b;

    (void)state;
    assert_int_equal(cs_outbuf_init(&b, 16), 0);
    cs_outbuf_puts(&b, "before");
    assert_int_equal(cs_outbuf_reserve(&b, SIZE_MAX - 8), CS_ENOMEM);
    assert_int_equal(b.err, CS_ENOMEM);
    cs_outbuf_puts(&b, "after");
    cs_outbuf_putc(&b, 'c');
    cs_outbuf_int(&b, 5);
    cs_outbuf_fixed(&b, 1.5, 1);
    cs_outbuf_csv_field(&b, "a,b");
    assert_int_equal(b.len, 0);
    assert_int_equal(b.err, CS_ENOMEM);
    assert_string_equal(cs_outbuf_str(&b), "");
    cs_outbuf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int_table),
        cmocka_unit_test(test_int_matches_printf),
        cmocka_unit_test(test_fixed_table),
        cmocka_unit_test(test_fixed_matches_printf),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_growth_and_reset),
        cmocka_unit_test(test_error_is_sticky),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
