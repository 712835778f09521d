/*
 * test_quantity.c - Kubernetes quantities, Go durations, checked numbers.
 *
 * Data-driven: each table row is an input and the exact result or error
 * code a user would get; a failing row is printed before the assertion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "io/quantity.h"

struct qcase {
    const char *in;
    int rc;
    int64_t milli;
};

static void test_quantity_milli(void **state)
{
    static const struct qcase cases[] = {
        {"250m", 0, 250},
        {"1.5", 0, 1500},
        {"2", 0, 2000},
        {"512Mi", 0, 536870912000},
        {"2G", 0, 2000000000000},
        {"1e3", 0, 1000000},
        {"1E3", 0, 1000000},
        {"1e+3", 0, 1000000},
        {"1e-3", 0, 1},
        {"1.5e-3", 0, 2},
        {"100k", 0, 100000000},
        {"1Ki", 0, 1024000},
        {"0.5Gi", 0, 536870912000},
        {"1.1Mi", 0, 1153433600},
        {"0.001Ki", 0, 1024},
        {"0.0001Ki", 0, 103},
        {"1Pi", 0, 1125899906842624000},
        {"3T", 0, INT64_C(3000000000000000)},
        {"1P", 0, INT64_C(1000000000000000000)},
        {"0.1m", 0, 1},
        {"0.3m", 0, 1},
        {"1n", 0, 1},
        {"1u", 0, 1},
        {"1500u", 0, 2},
        {"2000000n", 0, 2},
        {"-1.5", 0, -1500},
        {"-0.1m", 0, -1},
        {"+2", 0, 2000},
        {".5", 0, 500},
        {"5.", 0, 5000},
        {"0", 0, 0},
        {"-0", 0, 0},
        {"0.000", 0, 0},
        {"000001", 0, 1000},
        {"0e999999999999999999999", 0, 0},
        {"1e-99999999999999", 0, 1},
        {"0.0000000000000000000000000000001", 0, 1},
        {"1.000000000000000000000000000001", 0, 1001},
        {"123456789012345678901234567890e-30", 0, 124},
        {"9223372036854775807m", 0, INT64_MAX},
        {"9223372036854775.807", 0, INT64_MAX},
        {"-9223372036854775808m", 0, INT64_MIN},
        {"9223372036854775808m", CS_ERANGE, 0},
        {"-9223372036854775809m", CS_ERANGE, 0},
        {"9223372036854775.8071", CS_ERANGE, 0},
        {"1E", CS_ERANGE, 0},
        {"1Ei", CS_ERANGE, 0},
        {"8Ei", CS_ERANGE, 0},
        {"1e99999", CS_ERANGE, 0},
        {"99999999999999999999999999", CS_ERANGE, 0},
        {"", CS_EPARSE, 0},
        {"1.2.3", CS_EPARSE, 0},
        {"Mi", CS_EPARSE, 0},
        {"1mi", CS_EPARSE, 0},
        {"1 Mi", CS_EPARSE, 0},
        {"--1", CS_EPARSE, 0},
        {"+-1", CS_EPARSE, 0},
        {" 1", CS_EPARSE, 0},
        {"1 ", CS_EPARSE, 0},
        {".", CS_EPARSE, 0},
        {"+", CS_EPARSE, 0},
        {"-", CS_EPARSE, 0},
        {"1e", CS_EPARSE, 0},
        {"1e+", CS_EPARSE, 0},
        {"1e3.5", CS_EPARSE, 0},
        {"1e3k", CS_EPARSE, 0},
        {"1Ki2", CS_EPARSE, 0},
        {"0x10", CS_EPARSE, 0},
        {"1KB", CS_EPARSE, 0},
        {"1K", CS_EPARSE, 0},
        {"e3", CS_EPARSE, 0},
        {"1.5.Mi", CS_EPARSE, 0},
        {"inf", CS_EPARSE, 0},
        {"nan", CS_EPARSE, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = -42;
        int rc = cs_quantity_parse_milli(cases[i].in, &v);
        if (rc != cases[i].rc || (rc == 0 && v != cases[i].milli) ||
            (rc != 0 && v != -42))
            print_error("quantity \"%s\": rc %d value %lld\n", cases[i].in, rc,
                        (long long)v);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(v, rc == 0 ? cases[i].milli : -42);
    }
    assert_int_equal(cs_quantity_parse_milli(NULL, &(int64_t){0}), CS_EPARSE);
}

static void test_quantity_long_digits(void **state)
{
    char buf[4096];
    int64_t v;

    (void)state;
    /* 0.000...0001 with 4000 zeros still rounds up to one milli-unit. */
    memset(buf, '0', sizeof(buf));
    buf[1] = '.';
    buf[sizeof(buf) - 2] = '1';
    buf[sizeof(buf) - 1] = '\0';
    assert_int_equal(cs_quantity_parse_milli(buf, &v), 0);
    assert_int_equal(v, 1);
    /* 1000...000e-4000 (4000 zeros) is exactly 1. */
    memset(buf, '0', sizeof(buf));
    buf[0] = '1';
    snprintf(buf + 4001, sizeof(buf) - 4001, "e-4000");
    assert_int_equal(cs_quantity_parse_milli(buf, &v), 0);
    assert_int_equal(v, 1000);
    assert_int_equal(cs_quantity_parse_double(buf, &(double){0}), 0);
}

struct dcase {
    const char *in;
    int rc;
    double value;
};

static void test_quantity_double(void **state)
{
    double v0;
    static const struct dcase cases[] = {
        {"250m", 0, 0.25},       {"1Ki", 0, 1024.0},
        {"1.5", 0, 1.5},         {"1e3", 0, 1000.0},
        {"1.5e-3", 0, 0.0015},   {"0.5Gi", 0, 536870912.0},
        {"100k", 0, 100000.0},   {"-2.5", 0, -2.5},
        {"1E", 0, 1e18},         {"8Ei", 0, 9223372036854775808.0},
        {"1n", 0, 1e-9},         {"0.1m", 0, 0.0001},
        {"1e-400", 0, 0.0},      {"1e400", CS_ERANGE, 0},
        {"1e309", CS_ERANGE, 0}, {"Mi", CS_EPARSE, 0},
        {"1 Mi", CS_EPARSE, 0},  {"1e", CS_EPARSE, 0},
        {"", CS_EPARSE, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double v = -42.0;
        int rc = cs_quantity_parse_double(cases[i].in, &v);
        if (rc != cases[i].rc)
            print_error("quantity \"%s\": rc %d\n", cases[i].in, rc);
        assert_int_equal(rc, cases[i].rc);
        if (rc == 0)
            assert_true(fabs(v - cases[i].value) <=
                        1e-15 * fabs(cases[i].value));
        else
            assert_true(v == -42.0);
    }
    /* Binary suffixes scale exactly. */
    assert_int_equal(cs_quantity_parse_double("0.5Ei", &v0), 0);
    assert_true(v0 == 576460752303423488.0);
}

static void test_duration_parse(void **state)
{
    static const struct qcase cases[] = {
        {"90s", 0, 90000},
        {"5m", 0, 300000},
        {"1h30m", 0, 5400000},
        {"500ms", 0, 500},
        {"1.5h", 0, 5400000},
        {"2h45m30.5s", 0, 9930500},
        {"1h0m0s", 0, 3600000},
        {"30", 0, 30000},
        {"0.5", 0, 500},
        {"0", 0, 0},
        {"0s", 0, 0},
        {"-0s", 0, 0},
        {"+5s", 0, 5000},
        {".5s", 0, 500},
        {"5.s", 0, 5000},
        {"1.s", 0, 1000},
        {"1us", 0, 0},
        {"499us", 0, 0},
        {"500us", 0, 1},
        {"1500\xc2\xb5s", 0, 2},
        {"1500\xce\xbcs", 0, 2},
        {"1499999ns", 0, 1},
        {"1500000ns", 0, 2},
        {"0.0004999s", 0, 0},
        {"0.0005s", 0, 1},
        {"0.0000005h", 0, 2},
        {"1.0000005s", 0, 1000},
        {"1m1m", 0, 120000},
        {"0.1s0.4ms", 0, 100},
        {"0.1s0.5ms", 0, 101},
        {"100000000h", 0, INT64_C(360000000000000)},
        {"2562047788015h", 0, INT64_C(9223372036854000000)},
        {"9223372036854775807ms", 0, INT64_MAX},
        {"9223372036854775807", CS_ERANGE, 0},
        {"2562047788016h", CS_ERANGE, 0},
        {"9223372036854775808ms", CS_ERANGE, 0},
        {"9223372036854775807.5ms", CS_ERANGE, 0},
        {"99999999999999999999999ns", CS_ERANGE, 0},
        {"-5s", CS_ERANGE, 0},
        {"-5", CS_ERANGE, 0},
        {"-0.1ms", CS_ERANGE, 0},
        {"", CS_EPARSE, 0},
        {"5x", CS_EPARSE, 0},
        {"m5", CS_EPARSE, 0},
        {"1h-5m", CS_EPARSE, 0},
        {"s", CS_EPARSE, 0},
        {".s", CS_EPARSE, 0},
        {".", CS_EPARSE, 0},
        {"5 s", CS_EPARSE, 0},
        {" 5s", CS_EPARSE, 0},
        {"5s ", CS_EPARSE, 0},
        {"1hh", CS_EPARSE, 0},
        {"1.2.3s", CS_EPARSE, 0},
        {"+", CS_EPARSE, 0},
        {"-", CS_EPARSE, 0},
        {"--5s", CS_EPARSE, 0},
        {"5S", CS_EPARSE, 0},
        {"1d", CS_EPARSE, 0},
        {"1e3s", CS_EPARSE, 0},
        {"1h30", CS_EPARSE, 0},
        {"0x10s", CS_EPARSE, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cs_time_ms v = -42;
        int rc = cs_duration_parse(cases[i].in, &v);
        if (rc != cases[i].rc || (rc == 0 && v != cases[i].milli))
            print_error("duration \"%s\": rc %d value %lld\n", cases[i].in, rc,
                        (long long)v);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(v, rc == 0 ? cases[i].milli : -42);
    }
    assert_int_equal(cs_duration_parse(NULL, &(cs_time_ms){0}), CS_EPARSE);
}

struct fcase {
    cs_time_ms in;
    const char *out;
};

static void test_duration_format(void **state)
{
    static const struct fcase cases[] = {
        {0, "0s"},
        {1, "1ms"},
        {250, "250ms"},
        {999, "999ms"},
        {1000, "1s"},
        {1001, "1.001s"},
        {1250, "1.25s"},
        {1500, "1.5s"},
        {59999, "59.999s"},
        {60000, "1m0s"},
        {90000, "1m30s"},
        {600000, "10m0s"},
        {3600000, "1h0m0s"},
        {5400000, "1h30m0s"},
        {9930500, "2h45m30.5s"},
        {360000000000000, "100000000h0m0s"},
        {-1500, "-1.5s"},
        {-250, "-250ms"},
        {INT64_MAX, "2562047788015h12m55.807s"},
        {INT64_MIN, "-2562047788015h12m55.808s"},
    };
    char buf[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int len = cs_duration_format(cases[i].in, buf, sizeof(buf));
        assert_string_equal(buf, cases[i].out);
        assert_int_equal(len, (int)strlen(cases[i].out));
    }
    /* snprintf rules: truncated, NUL-terminated, full length returned. */
    assert_int_equal(cs_duration_format(90000, buf, 4), 5);
    assert_string_equal(buf, "1m3");
    assert_int_equal(cs_duration_format(5400000, NULL, 0), 7);
}

static void test_duration_roundtrip(void **state)
{
    cs_time_ms d, back;
    char buf[64];

    (void)state;
    /* Every non-negative formatted duration parses back to itself. */
    for (d = 0; d < INT64_MAX / 3; d = d * 7 + 13) {
        cs_duration_format(d, buf, sizeof(buf));
        assert_int_equal(cs_duration_parse(buf, &back), 0);
        assert_int_equal(back, d);
    }
}

static void test_parse_int64(void **state)
{
    static const struct qcase cases[] = {
        {"0", 0, 0},
        {"-5", 0, -5},
        {"+7", 0, 7},
        {"007", 0, 7},
        {"9223372036854775807", 0, INT64_MAX},
        {"-9223372036854775808", 0, INT64_MIN},
        {"9223372036854775808", CS_ERANGE, 0},
        {"-9223372036854775809", CS_ERANGE, 0},
        {"", CS_EPARSE, 0},
        {" 1", CS_EPARSE, 0},
        {"1 ", CS_EPARSE, 0},
        {"1.0", CS_EPARSE, 0},
        {"1e3", CS_EPARSE, 0},
        {"0x10", CS_EPARSE, 0},
        {"abc", CS_EPARSE, 0},
        {"-", CS_EPARSE, 0},
        {"+-1", CS_EPARSE, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = -42;
        int rc = cs_parse_int64(cases[i].in, &v);
        if (rc != cases[i].rc)
            print_error("int \"%s\": rc %d\n", cases[i].in, rc);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(v, rc == 0 ? cases[i].milli : -42);
    }
}

static void test_parse_double(void **state)
{
    static const struct dcase cases[] = {
        {"1", 0, 1.0},
        {"-2.5", 0, -2.5},
        {"1e-3", 0, 0.001},
        {"1E3", 0, 1000.0},
        {".5", 0, 0.5},
        {"5.", 0, 5.0},
        {"+0.25", 0, 0.25},
        {"1e-400", 0, 0.0},
        {"1e999", CS_ERANGE, 0},
        {"-1e999", CS_ERANGE, 0},
        {"", CS_EPARSE, 0},
        {" 1", CS_EPARSE, 0},
        {"1 ", CS_EPARSE, 0},
        {"inf", CS_EPARSE, 0},
        {"-infinity", CS_EPARSE, 0},
        {"nan", CS_EPARSE, 0},
        {"0x1p3", CS_EPARSE, 0},
        {"1,5", CS_EPARSE, 0},
        {"-", CS_EPARSE, 0},
        {".", CS_EPARSE, 0},
        {"1e", CS_EPARSE, 0},
        {"1..2", CS_EPARSE, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double v = -42.0;
        int rc = cs_parse_double(cases[i].in, &v);
        if (rc != cases[i].rc)
            print_error("double \"%s\": rc %d\n", cases[i].in, rc);
        assert_int_equal(rc, cases[i].rc);
        if (rc == 0)
            assert_true(v == cases[i].value);
        else
            assert_true(v == -42.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantity_milli),
        cmocka_unit_test(test_quantity_long_digits),
        cmocka_unit_test(test_quantity_double),
        cmocka_unit_test(test_duration_parse),
        cmocka_unit_test(test_duration_format),
        cmocka_unit_test(test_duration_roundtrip),
        cmocka_unit_test(test_parse_int64),
        cmocka_unit_test(test_parse_double),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
