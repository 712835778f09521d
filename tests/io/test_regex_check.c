/*
 * test_regex_check.c - the RE2 limits applied before regcomp: what Go's
 * regexp accepts passes, what it refuses (and would make glibc's regcomp
 * blow up) is refused with Go's words.
 */
#include "test_util.h"

#include "io/regex_check.h"

#include <regex.h>

static void ok(const char *re)
{
    char why[160] = "";
    regex_t r;

    if (cs_regex_check(re, why, sizeof(why)) != 0)
        fail_msg("%s refused: %s", re, why);
    assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
    regfree(&r);
}

static void refused(const char *re, const char *want)
{
    char why[160] = "";

    assert_int_equal(cs_regex_check(re, why, sizeof(why)), CS_EINVAL);
    assert_string_equal(why, want);
}

static void test_accepts_what_re2_accepts(void **state)
{
    (void)state;
    ok("^general$");
    ok(".*");
    ok("spot-.*");
    ok("gpu-(a|b)+");
    ok("a*?");
    ok("x{2,3}y{1000}");
    ok("[+*]+");
    ok("\\++");
    ok("(a|)+");
    ok("a{,3}"); /* a literal brace: not a repetition */
    ok("((a+)+)+");
}

static void test_refuses_nested_repetition(void **state)
{
    (void)state;
    refused("spot-++", "invalid nested repetition operator: ++");
    refused("a**", "invalid nested repetition operator: **");
    refused("a{2}*", "invalid nested repetition operator: {2}*");
    refused("a*{2}", "invalid nested repetition operator: *{2}");
    refused("a+??", "invalid nested repetition operator: +??");
    refused("x{1001}", "invalid repeat count: {1001}");
    refused("x{2,5000}", "invalid repeat count: {2,5000}");
    refused("((a{100}){100}){100}", "expression too large");
}

/* The input the scenario fuzzer found: 33 stacked '+' used > 2 GB. */
static void test_fuzz_finding_is_quick(void **state)
{
    char re[64] = "spot-";
    char why[160];

    (void)state;
    for (int i = 0; i < 33; i++)
        re[5 + i] = '+';
    re[38] = '\0';
    assert_int_equal(cs_regex_check(re, why, sizeof(why)), CS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_what_re2_accepts),
        cmocka_unit_test(test_refuses_nested_repetition),
        cmocka_unit_test(test_fuzz_finding_is_quick),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
