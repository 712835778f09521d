/*
 * test_vpa_shipped.c - what a user of each shipped VPA scenario reads:
 *
 *   vpa-week             the recommendation converges during the week in
 *                        Off mode (nothing evicted), then Auto replaces
 *                        every pod within the PDB, with the target;
 *   memory-leak-oom      OOM kills thin out as the VPA raises memory;
 *   hpa-cpu-vpa-memory   CPU requests untouched, memory requests follow
 *   / hpa-vpa-same-resource  the VPA; on CPU too, the HPA runs more
 *                        replicas for the same load;
 *   and two runs of one scenario write the same bytes.
 */
#include "test_util.h"

struct shipped {
    char *dir;
    struct tu_table tl, ev, nodes, recs, vpa;
};

static void run(struct shipped *s, const char *name)
{
    char p[600];

    tu_run_shipped(name, &s->dir, &s->tl, &s->ev, &s->nodes);
    snprintf(p, sizeof(p), "%s/recommendations.csv", s->dir);
    tu_read_csv(p, &s->recs);
    snprintf(p, sizeof(p), "%s/vpa.csv", s->dir);
    tu_read_csv(p, &s->vpa);
}

static void done(struct shipped *s)
{
    tu_free_csv(&s->tl);
    tu_free_csv(&s->ev);
    tu_free_csv(&s->nodes);
    tu_free_csv(&s->recs);
    tu_free_csv(&s->vpa);
    tu_rmdir(s->dir);
    free(s->dir);
}

/* Events of `reason` in [from, to) seconds. */
static int events(const struct shipped *s, const char *reason, double from,
                  double to)
{
    size_t cr = tu_col(&s->ev, "reason"), ct = tu_col(&s->ev, "time_s");
    int n = 0;

    for (size_t i = 1; i < s->ev.nrows; i++) {
        double t = strtod(s->ev.rows[i][ct], NULL);

        n += strcmp(s->ev.rows[i][cr], reason) == 0 && t >= from && t < to;
    }
    return n;
}

/* Smallest and largest `col` of recommendations.csv rows of `resource`
 * in [from, to) seconds. */
static void rec_range(const struct shipped *s, const char *resource,
                      const char *col, double from, double to, double *lo,
                      double *hi)
{
    size_t ct = tu_col(&s->recs, "time_s"), cr = tu_col(&s->recs, "resource");
    size_t cv = tu_col(&s->recs, col);

    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 1; i < s->recs.nrows; i++) {
        double t = strtod(s->recs.rows[i][ct], NULL), v;

        if (strcmp(s->recs.rows[i][cr], resource) != 0 || t < from || t >= to)
            continue;
        v = strtod(s->recs.rows[i][cv], NULL);
        *lo = v < *lo ? v : *lo;
        *hi = v > *hi ? v : *hi;
    }
    assert_true(*lo <= *hi);
}

static void test_vpa_week(void **state)
{
    struct shipped s;
    double lo, hi, lo6, hi6;
    const double day = 86400;

    (void)state;
    run(&s, "vpa-week");
    /* a recommendation every minute of the 9 days, CPU and memory */
    assert_true(s.recs.nrows > 2 * 9 * 1440 - 10);
    /* Off for 7 days: nothing evicted */
    assert_int_equal(events(&s, "EvictedByVPA", 0, 7 * day), 0);
    /* converged: over the weekdays Tuesday to Friday the CPU target moves
     * by less than 10% (a bucket or two; the weekend's lighter load then
     * pulls it down, half-life 24 h), where the first day moved it by far
     * more */
    rec_range(&s, "cpu", "target", 1 * day, 5 * day, &lo6, &hi6);
    assert_true(hi6 - lo6 < 0.1 * hi6);
    rec_range(&s, "cpu", "target", 0, day, &lo, &hi);
    assert_true(hi - lo > hi6 - lo6);
    /* the upper bound narrows as the confidence grows */
    rec_range(&s, "cpu", "upper_bound", 0, day, &lo, &hi);
    rec_range(&s, "cpu", "upper_bound", 6 * day, 7 * day, &lo6, &hi6);
    assert_true(hi6 < hi);
    /* Auto: all 6 replaced after the switch, the PDB's one at a time */
    assert_int_equal(events(&s, "ModeChanged", 7 * day, 7 * day + 1), 1);
    assert_true(events(&s, "EvictedByVPA", 7 * day, 9 * day + 1) >= 6);
    /* the pods end with about the target, not the template's 1 CPU */
    assert_true(strtol(tu_at(&s.tl, "777600", "catalog", "pod_cpu_request_m"),
                       NULL, 10) < 500);
    done(&s);
}

static void test_memory_leak_oom(void **state)
{
    struct shipped s;
    const double day = 86400;
    int d0, d2;

    (void)state;
    run(&s, "memory-leak-oom");
    d0 = events(&s, "OOMKilled", 0, day);
    d2 = events(&s, "OOMKilled", 2 * day, 3 * day + 1);
    assert_true(d0 >= 3);
    assert_true(d2 < d0);
    assert_true(events(&s, "BackOff", 0, 3 * day + 1) ==
                events(&s, "OOMKilled", 0, 3 * day + 1));
    assert_true(events(&s, "EvictedByVPA", 0, 3 * day + 1) >= 1);
    done(&s);
}

/* replica_hours of the run's only workload, from summary.csv */
static double replica_hours(const struct shipped *s)
{
    char p[600];
    struct tu_table sum;
    double v;

    snprintf(p, sizeof(p), "%s/summary.csv", s->dir);
    tu_read_csv(p, &sum);
    v = strtod(sum.rows[1][tu_col(&sum, "replica_hours")], NULL);
    tu_free_csv(&sum);
    return v;
}

static void test_hpa_and_vpa(void **state)
{
    struct shipped mem, both;
    size_t cr;
    int cpu_rows = 0;

    (void)state;
    run(&mem, "hpa-cpu-vpa-memory");
    run(&both, "hpa-vpa-same-resource");
    cr = tu_col(&mem.recs, "resource");
    for (size_t i = 1; i < mem.recs.nrows; i++)
        cpu_rows += strcmp(mem.recs.rows[i][cr], "cpu") == 0;
    assert_int_equal(cpu_rows, 0); /* the VPA controls memory only */
    /* the same load costs more replica-hours when both act on CPU */
    assert_true(replica_hours(&both) > 1.2 * replica_hours(&mem));
    done(&mem);
    done(&both);
}

/* Same scenario and seed: the same bytes in every VPA output. */
static void test_deterministic(void **state)
{
    static const char *const files[] = {"timeline.csv", "events.csv",
                                        "recommendations.csv", "vpa.csv",
                                        "summary.csv"};
    struct shipped a, b;

    (void)state;
    run(&a, "memory-leak-oom");
    run(&b, "memory-leak-oom");
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char pa[600], pb[600];
        size_t la, lb;
        char *x, *y;

        snprintf(pa, sizeof(pa), "%s/%s", a.dir, files[i]);
        snprintf(pb, sizeof(pb), "%s/%s", b.dir, files[i]);
        x = tu_slurp(pa, &la);
        y = tu_slurp(pb, &lb);
        assert_true(la > 0);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
    }
    done(&a);
    done(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vpa_week),
        cmocka_unit_test(test_memory_leak_oom),
        cmocka_unit_test(test_hpa_and_vpa),
        cmocka_unit_test(test_deterministic),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
