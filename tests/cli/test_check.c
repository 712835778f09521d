/*
 * test_check.c - `capsim check` as a CI pipeline meets it: every shipped
 * scenario's assertions hold; a failing assertion is exit 1 with the value
 * behind it; a malformed assertion is exit 2 at FILE:LINE:COL; --junit
 * writes a report that validates against the JUnit schema; and `capsim
 * table` rejects bad arguments.
 */
#define _DEFAULT_SOURCE
#include "test_util.h"

#include <dirent.h>

static char out[65536];

/* Every scenario in scenarios/ carries expect: assertions that pass. */
static void test_every_shipped_scenario_passes(void **state)
{
    DIR *d = opendir("scenarios");
    struct dirent *e;
    int n = 0;

    (void)state;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char args[1024];
        char *dir;

        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0 ||
            strstr(e->d_name, "sweep") != NULL)
            continue;
        dir = tu_tmpdir();
        snprintf(args, sizeof(args), "check scenarios/%s -o %s -q", e->d_name,
                 dir);
        if (tu_capsim(args, out, sizeof(out)) != 0)
            fail_msg("capsim %s:\n%s", args, out);
        assert_null(strstr(out, " 0 passed")); /* it has assertions */
        assert_non_null(strstr(out, " passed, 0 failed\n"));
        tu_rmdir(dir);
        free(dir);
        n++;
    }
    closedir(d);
    assert_true(n >= 2);
}

static void test_failure_and_junit(void **state)
{
    char *dir = tu_tmpdir();
    char args[2048], path[600], xsd[1024];
    char *xml;

    (void)state;
    snprintf(path, sizeof(path), "%s/junit.xml", dir);
    snprintf(args, sizeof(args),
             "check scenarios/feastflow-load-test.yaml -o %s --junit %s "
             "--expect 'max(replicas) > 5' --expect 'replicas@1m == 3'",
             dir, path);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "FAIL  max(replicas) > 5\n"
                                "      max(replicas) = 3\n"));
    assert_non_null(strstr(out, "PASS  replicas@1m == 3\n"));
    assert_non_null(strstr(out, "9 passed, 1 failed\n"));
    xml = tu_slurp(path, NULL);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "tests=\"10\""));
    assert_non_null(strstr(xml, "failures=\"1\""));
    assert_non_null(strstr(xml, "max(replicas) &gt; 5"));
    free(xml);
    snprintf(xsd, sizeof(xsd), "%s/tests/io/junit.xsd",
             getenv("CAPSIM_SOURCE_DIR"));
    snprintf(args, sizeof(args), "xmllint --noout --schema %s %s 2>&1", xsd,
             path);
    {
        FILE *p = popen(args, "r");
        size_t len = fread(out, 1, sizeof(out) - 1, p);
        int st = pclose(p);

        out[len] = '\0';
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            fail_msg("xmllint (package libxml2-utils) rejects %s:\n%s", path,
                     out);
    }
    tu_rmdir(dir);
    free(dir);
}

static void test_bad_assertions(void **state)
{
    char *dir = tu_tmpdir();
    char args[2048];

    (void)state;
    snprintf(args, sizeof(args),
             "check scenarios/feastflow-load-test.yaml -o %s "
             "--expect 'max(replicas) >'",
             dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_non_null(strstr(out, "capsim: <command line>:1:"));
    /* a column the run does not have: evaluated, then exit 2 */
    snprintf(args, sizeof(args),
             "check scenarios/feastflow-load-test.yaml -o %s "
             "--expect 'max(replicsa) < 3'",
             dir);
    assert_int_equal(tu_capsim(args, out, sizeof(out)), 2);
    assert_non_null(strstr(out, "ERROR max(replicsa) < 3\n"));
    assert_non_null(strstr(out, "<command line>:1:5: "));
    assert_int_equal(tu_capsim("check", out, sizeof(out)), 2);
    assert_int_equal(tu_capsim("check x.yaml --frob", out, sizeof(out)), 2);
    assert_non_null(strstr(out, "unknown option '--frob'"));
    tu_rmdir(dir);
    free(dir);
}

static void test_table_cli(void **state)
{
    (void)state;
    assert_int_equal(
        tu_capsim("table scenarios/feastflow-load-test.yaml --at 0,1m", out,
                  sizeof(out)),
        0);
    assert_non_null(strstr(out, "| 1m0s | 73% | 3 |"));
    assert_int_equal(tu_capsim("table scenarios/feastflow-load-test.yaml "
                               "--at 0,soon",
                               out, sizeof(out)),
                     2);
    assert_non_null(strstr(out, "'soon' is not a duration"));
    assert_int_equal(tu_capsim("table scenarios/feastflow-load-test.yaml "
                               "--hpa nope",
                               out, sizeof(out)),
                     2);
    assert_non_null(strstr(out, "no HPA or target named 'nope'"));
    assert_int_equal(tu_capsim("table scenarios/feastflow-load-test.yaml "
                               "--format xml",
                               out, sizeof(out)),
                     2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shipped_scenario_passes),
        cmocka_unit_test(test_failure_and_junit),
        cmocka_unit_test(test_bad_assertions),
        cmocka_unit_test(test_table_cli),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
