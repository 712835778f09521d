/*
 * test_errors.c - the error-message catalogue: every file in
 * tests/scenarios/errors/ is a malformed scenario whose first line reads
 * "# expect: FILE:LINE:COL: message"; loading it must fail with exactly
 * that text, and `capsim validate` must exit with status 2.
 */
#include "test_util.h"

#include <dirent.h>
#include <sys/wait.h>

#define DIR_ERRORS "tests/scenarios/errors"

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_catalogue(void **state)
{
    DIR *d = opendir(DIR_ERRORS);
    struct dirent *e;
    char *names[256];
    size_t n = 0;

    (void)state;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL && n < 256)
        if (strstr(e->d_name, ".yaml") != NULL)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp);
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        char path[512], got[1200], *text, *nl;
        const char *want;
        struct cs_err err;
        struct cs_scenario *sc;

        snprintf(path, sizeof(path), "%s/%s", DIR_ERRORS, names[i]);
        text = tu_slurp(path, NULL);
        assert_memory_equal(text, "# expect: ", 10);
        want = text + 10;
        nl = strchr(text, '\n');
        assert_non_null(nl);
        *nl = '\0';
        cs_err_clear(&err);
        sc = cs_scenario_load(path, &err);
        if (sc != NULL)
            fail_msg("%s: loaded, but should fail with: %s", path, want);
        cs_err_format(&err, got, sizeof(got));
        if (strcmp(got, want) != 0)
            fail_msg("%s:\n want: %s\n  got: %s", path, want, got);
        free(text);
        free(names[i]);
    }
}

/* The CLI turns a scenario error into exit status 2 and writes nothing. */
static void test_cli_exit_status(void **state)
{
    const char *bin = getenv("CAPSIM_BIN");
    char *dir = tu_tmpdir(), cmd[1024], path[600];
    int st;
    FILE *f;

    (void)state;
    assert_non_null(bin);
    snprintf(cmd, sizeof(cmd),
             "%s run %s/unknown-top-key.yaml -o %s -q "
             "2>/dev/null",
             bin, DIR_ERRORS, dir);
    st = system(cmd);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 2);
    snprintf(path, sizeof(path), "%s/timeline.csv", dir);
    f = fopen(path, "r");
    assert_null(f);
    tu_rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_cli_exit_status),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
