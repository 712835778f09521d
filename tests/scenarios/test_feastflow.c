/*
 * test_feastflow.c - the runbook's expectations for the FeastFlow HPA load
 * test (scenarios/feastflow-load-test.yaml), read from the timeline and the
 * decision log a user gets.
 */
#include "test_util.h"

struct ff {
    char *dir;
    struct tu_table tl, ev;
};

static int setup(void **state)
{
    struct ff *f = calloc(1, sizeof(*f));
    char p[512];

    f->dir = tu_tmpdir();
    tu_run_file("scenarios/feastflow-load-test.yaml", 1, f->dir);
    snprintf(p, sizeof(p), "%s/timeline.csv", f->dir);
    tu_read_csv(p, &f->tl);
    snprintf(p, sizeof(p), "%s/events.csv", f->dir);
    tu_read_csv(p, &f->ev);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct ff *f = *state;

    tu_free_csv(&f->tl);
    tu_free_csv(&f->ev);
    tu_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static long desired(const struct ff *f, const char *t)
{
    const char *v = tu_at(&f->tl, t, "feastflow-backend", "desired_replicas");

    assert_non_null(v);
    return strtol(v, NULL, 10);
}

/* Idle: 2 replicas near 30% CPU; the load drives it to 85-90%. */
static void test_levels(void **state)
{
    struct ff *f = *state;
    double idle = strtod(tu_at(&f->tl, "0", NULL, "cpu_utilization_pct"), NULL);
    double busy =
        strtod(tu_at(&f->tl, "15", NULL, "cpu_utilization_pct"), NULL);

    assert_true(idle >= 28 && idle <= 33);
    assert_true(busy >= 85 && busy <= 90);
    assert_int_equal(desired(f, "0"), 2);
}

/* The first HPA sync whose metrics cover the load (scrape at 30 s holds the
 * window 15-30 s) scales up, within 30 s of the load's start. */
static void test_scale_up_within_30s(void **state)
{
    struct ff *f = *state;

    assert_int_equal(desired(f, "15"), 2);
    assert_int_equal(desired(f, "30"), 3);
    assert_non_null(tu_at(&f->ev, "30", NULL, "message"));
}

static void test_upstream_message(void **state)
{
    struct ff *f = *state;
    size_t cm = tu_col(&f->ev, "message"), cr = tu_col(&f->ev, "reason");
    int found = 0;

    for (size_t r = 1; r < f->ev.nrows; r++)
        if (strcmp(f->ev.rows[r][0], "30") == 0 &&
            strcmp(f->ev.rows[r][cr], "SuccessfulRescale") == 0) {
            assert_string_equal(f->ev.rows[r][cm],
                                "New size: 3; reason: cpu resource "
                                "utilization (percentage of request) above "
                                "target");
            found = 1;
        }
    assert_true(found);
}

/* Held through the 300 s window after the load stops at 180 s; steps down
 * by at most 2 pods per 60 s; back at 2 replicas by 780 s. */
static void test_scale_down(void **state)
{
    struct ff *f = *state;
    size_t ct = 0, cd = tu_col(&f->tl, "desired_replicas");
    char t[32];

    for (int s = 180; s < 480; s += 15) {
        snprintf(t, sizeof(t), "%d", s);
        assert_true(desired(f, t) >= 3);
    }
    for (size_t a = 1; a < f->tl.nrows; a++)
        for (size_t b = a + 1; b < f->tl.nrows; b++) {
            long ta = strtol(f->tl.rows[a][ct], NULL, 10);
            long tb = strtol(f->tl.rows[b][ct], NULL, 10);

            if (tb - ta > 60)
                break;
            assert_true(strtol(f->tl.rows[a][cd], NULL, 10) -
                            strtol(f->tl.rows[b][cd], NULL, 10) <=
                        2);
        }
    assert_int_equal(desired(f, "780"), 2);
    assert_string_equal(tu_at(&f->tl, "780", NULL, "replicas"), "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_scale_up_within_30s),
        cmocka_unit_test(test_upstream_message),
        cmocka_unit_test(test_scale_down),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
