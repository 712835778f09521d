/*
 * test_junit.c - the JUnit XML writer: exact output for a small report,
 * schema validation with xmllint against tests/io/junit.xsd (passes,
 * failures, errors, names and messages full of characters XML cannot hold
 * raw), counts, atomic replacement.
 *
 * xmllint comes from the Debian package libxml2-utils; without it these
 * tests FAIL (they do not skip): a CI report nobody validated is a report
 * Jenkins may reject.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/expect.h"
#include "io/junit.h"

static int setup(void **state)
{
    char *dir = strdup("/tmp/capsim-junit-XXXXXX");

    if (dir == NULL || mkdtemp(dir) == NULL)
        return -1;
    *state = dir;
    return 0;
}

static int teardown(void **state)
{
    char *dir = *state, path[512];
    DIR *d = opendir(dir);
    struct dirent *ent;

    while (d != NULL && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
    free(dir);
    return 0;
}

/* Run cmd, capturing stdout+stderr into out; returns the exit status. */
static int shell(const char *cmd, char *out, size_t n)
{
    char full[2048];
    FILE *p;
    size_t len;
    int st;

    snprintf(full, sizeof(full), "%s 2>&1", cmd);
    p = popen(full, "r");
    assert_non_null(p);
    len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void need_xmllint(void)
{
    char out[256];

    if (shell("command -v xmllint", out, sizeof(out)) != 0)
        fail_msg("xmllint not found: install the Debian package "
                 "libxml2-utils (apt-get install libxml2-utils; "
                 "scripts/setup.sh should do it)");
}

/* 0 if xmllint validates path against tests/io/junit.xsd; out holds what
 * it said. */
static int validate(const char *path, char *out, size_t n)
{
    const char *src = getenv("CAPSIM_SOURCE_DIR");
    char cmd[1024];

    need_xmllint();
    snprintf(cmd, sizeof(cmd),
             "xmllint --noout --schema %s/tests/io/junit.xsd %s",
             src ? src : ".", path);
    return shell(cmd, out, n);
}

static void assert_valid(const char *path)
{
    char out[4096];

    if (validate(path, out, sizeof(out)) != 0)
        fail_msg("%s does not validate:\n%s", path, out);
}

/* The string value of an XPath expression over path, as xmllint reads it
 * (so escaping is checked by a real XML parser). */
static void xpath(const char *path, const char *expr, char *out, size_t n)
{
    char cmd[1024];
    size_t len;

    need_xmllint();
    snprintf(cmd, sizeof(cmd), "xmllint --xpath '%s' %s", expr, path);
    assert_int_equal(shell(cmd, out, n), 0);
    len = strlen(out);
    if (len > 0 && out[len - 1] == '\n') /* xmllint ends with a newline */
        out[len - 1] = '\0';
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(65536);
    size_t n;

    assert_non_null(f);
    assert_non_null(buf);
    n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_report(const char *path, const struct cs_junit_suite *s,
                         size_t n)
{
    struct cs_err err;
    char buf[1024];

    if (cs_junit_write(path, s, n, &err) != 0) {
        cs_err_format(&err, buf, sizeof(buf));
        fail_msg("cs_junit_write: %s", buf);
    }
}

static void test_exact_output(void **state)
{
    static const struct cs_junit_case cases[] = {
        {"max(replicas) <= 10", NULL, 0, CS_EXPECT_PASS, NULL},
        {"cost_usd < 12.5", "costs", 0.25, CS_EXPECT_FAIL,
         "cost_usd = 13.1\nexpected: cost_usd < 12.5"},
    };
    static const struct cs_junit_suite suite = {"smoke.yaml", 1.5, cases, 2};
    char path[512], *xml;

    snprintf(path, sizeof(path), "%s/report.xml", (char *)*state);
    write_report(path, &suite, 1);
    xml = slurp(path);
    assert_string_equal(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
        "time=\"1.500\">\n"
        "  <testsuite name=\"smoke.yaml\" tests=\"2\" failures=\"1\" "
        "errors=\"0\" skipped=\"0\" time=\"1.500\">\n"
        "    <testcase name=\"max(replicas) &lt;= 10\" "
        "classname=\"smoke.yaml\" time=\"0.000\"/>\n"
        "    <testcase name=\"cost_usd &lt; 12.5\" classname=\"costs\" "
        "time=\"0.250\">\n"
        "      <failure message=\"cost_usd = 13.1\">cost_usd = 13.1\n"
        "expected: cost_usd &lt; 12.5</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
    free(xml);
    assert_valid(path);
}

/* Names and messages with everything XML cannot carry raw. */
static const char nasty[] =
    "a&b<c>\"d'e\tf\ng\x01h\x1b[31m"   /* markup, tab, newline, controls */
    "\xff|\xc3|\xc0\xaf|\xed\xa0\x80|" /* bad byte, truncated, overlong,
                                          surrogate */
    "\xef\xbf\xbe|\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x80"; /* U+FFFE, é€🚀 */
/* ... as an XML parser must read it back */
static const char nasty_read[] =
    "a&b<c>\"d'e\tf\ngh[31m"
    "\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a"
    "\x80";

static void test_mixed_and_nasty(void **state)
{
    static const struct cs_junit_case a[] = {
        {"p95(latency_p95_ms) < 2000", "a.yaml", 0.001, CS_EXPECT_PASS, NULL},
        {nasty, nasty, 0.002, CS_EXPECT_FAIL, nasty},
        {"replicas@8m == 4", "a.yaml", -3, CS_EXPECT_ERROR,
         "a.yaml:4:9: 'replicas@8m' is ambiguous"},
    };
    static const struct cs_junit_case b[] = {
        {"x < 1", NULL, 0, CS_EXPECT_ERROR, NULL},
        {NULL, NULL, 0, CS_EXPECT_PASS, NULL},
    };
    static const struct cs_junit_suite suites[] = {
        {"a.yaml", 2.25, a, 3},
        {"b & <b>.yaml", 0, b, 2},
        {NULL, 0, NULL, 0},
    };
    char path[512], got[4096], *xml;

    snprintf(path, sizeof(path), "%s/nasty.xml", (char *)*state);
    write_report(path, suites, 3);
    assert_valid(path);
    xml = slurp(path);
    assert_non_null(strstr(xml, "<testsuites tests=\"5\" failures=\"1\" "
                                "errors=\"2\" skipped=\"0\" time=\"2.250\">"));
    assert_non_null(strstr(xml, "<testsuite name=\"a.yaml\" tests=\"3\" "
                                "failures=\"1\" errors=\"1\" skipped=\"0\" "
                                "time=\"2.250\">"));
    assert_non_null(strstr(xml, "<testsuite name=\"b &amp; &lt;b&gt;.yaml\" "
                                "tests=\"2\" failures=\"0\" errors=\"1\" "
                                "skipped=\"0\" time=\"0.000\">"));
    assert_non_null(strstr(xml, "<testsuite name=\"\" tests=\"0\" "
                                "failures=\"0\" errors=\"0\" skipped=\"0\" "
                                "time=\"0.000\">"));
    assert_non_null(strstr(xml, "time=\"0.000\">\n      <error message=\""
                                "a.yaml:4:9: &apos;replicas@8m&apos; is "
                                "ambiguous\">"));
    free(xml);

    /* what a CI server reads back */
    xpath(path, "count(//testcase)", got, sizeof(got));
    assert_string_equal(got, "5");
    xpath(path, "count(//failure)", got, sizeof(got));
    assert_string_equal(got, "1");
    xpath(path, "count(//error)", got, sizeof(got));
    assert_string_equal(got, "2");
    xpath(path, "string(//testcase[2]/@name)", got, sizeof(got));
    assert_string_equal(got, nasty_read);
    xpath(path, "string(//testcase[2]/@classname)", got, sizeof(got));
    assert_string_equal(got, nasty_read);
    xpath(path, "string(//failure)", got, sizeof(got));
    assert_string_equal(got, nasty_read);
    /* the message attribute holds the first line only */
    xpath(path, "string(//failure/@message)", got, sizeof(got));
    assert_string_equal(got, "a&b<c>\"d'e\tf");
    /* classname defaults to the suite's name */
    xpath(path, "string(//testsuite[2]/testcase[1]/@classname)", got,
          sizeof(got));
    assert_string_equal(got, "b & <b>.yaml");
}

/* The schema is not vacuous: documents missing what CI servers need fail. */
static void test_schema_rejects(void **state)
{
    static const char *const bad[] = {
        /* testcase without a name */
        "<testsuites tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"0\"><testsuite name=\"s\" tests=\"1\" failures=\"0\" "
        "errors=\"0\" skipped=\"0\" time=\"0\"><testcase classname=\"c\" "
        "time=\"0\"/></testsuite></testsuites>\n",
        /* a count that is not a number */
        "<testsuites tests=\"x\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"0\"/>\n",
        /* failure and error in one testcase */
        "<testsuites tests=\"1\" failures=\"1\" errors=\"1\" skipped=\"0\" "
        "time=\"0\"><testsuite name=\"s\" tests=\"1\" failures=\"1\" "
        "errors=\"1\" skipped=\"0\" time=\"0\"><testcase name=\"n\" "
        "classname=\"c\" time=\"0\"><failure/><error/></testcase>"
        "</testsuite></testsuites>\n",
        /* a negative time */
        "<testsuites tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" "
        "time=\"-1\"/>\n",
    };
    char path[512], out[4096];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        FILE *f;

        snprintf(path, sizeof(path), "%s/bad%zu.xml", (char *)*state, i);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i], f);
        fclose(f);
        /* exit status 3 and this text: the document was checked against
         * a schema that compiled, and rejected (not a broken schema) */
        if (validate(path, out, sizeof(out)) != 3 ||
            strstr(out, "fails to validate") == NULL)
            fail_msg("bad document %zu was not rejected by the schema:\n%s"
                     "\nxmllint said:\n%s",
                     i, bad[i], out);
    }
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *ent;
    size_t n = 0;

    assert_non_null(d);
    while ((ent = readdir(d)) != NULL)
        n += ent->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_atomic_and_errors(void **state)
{
    static const struct cs_junit_case c[] = {
        {"t", "c", 0, CS_EXPECT_PASS, NULL}};
    static const struct cs_junit_suite s = {"s", 0, c, 1};
    char path[512], buf[1024], *xml;
    struct cs_err err;
    FILE *f;

    snprintf(path, sizeof(path), "%s/r.xml", (char *)*state);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("old contents, much longer than nothing at all ...", f);
    fclose(f);
    write_report(path, &s, 1);
    xml = slurp(path);
    assert_non_null(strstr(xml, "<testcase name=\"t\" classname=\"c\""));
    assert_null(strstr(xml, "old contents"));
    free(xml);
    assert_int_equal(count_entries(*state), 1); /* no temporary left */

    snprintf(path, sizeof(path), "%s/no-such-dir/r.xml", (char *)*state);
    assert_int_equal(cs_junit_write(path, &s, 1, &err), CS_EIO);
    assert_int_equal(count_entries(*state), 1);

    snprintf(path, sizeof(path), "%s/", (char *)*state);
    assert_int_equal(cs_junit_write(path, &s, 1, &err), CS_EINVAL);
    cs_err_format(&err, buf, sizeof(buf));
    assert_non_null(strstr(buf, "not a file name (ends with '/')"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exact_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed_and_nasty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atomic_and_errors, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
