/*
 * test_shipped_loads.c - what a user of each shipped load and schedule
 * scenario checks (the header comment and `expect:` list of each
 * scenarios/NAME.yaml), read from the outputs the way the user reads them:
 * by the wall-clock `clock` column.
 *
 *   lunch-rush            the HPA floor of 6 from 11:15 to 13:00 (Paris),
 *                         the 11:00 kubectl scale undone before 11:15
 *   flash-sale            maxReplicas 10, raised to 20 for the sale, then
 *                         restored; the sale's rise at 10:00 London
 *   nightly-cronjob       12 shards done at night; orders-api 2 at night,
 *                         8 from 11:00; nothing pending
 *   worldcup98-match-day  the trace replayed (within Poisson noise), the
 *                         peak at the evening match
 *   azure-functions-day   the 18:28 burst
 *   llm-chat-week         7 days on the GPU pool, quieter weekends
 *
 * Each scenario runs once, with its own seed.
 */
#include "test_util.h"

struct out {
    char *dir;
    struct tu_table tl, ev, nodes;
    size_t c_clock, c_wl; /* timeline columns */
};

/* Run scenarios/NAME.yaml with its own seed and read its outputs. */
static void run_shipped(struct out *o, const char *name)
{
    tu_run_shipped(name, &o->dir, &o->tl, &o->ev, &o->nodes);
    o->c_clock = tu_col(&o->tl, "clock");
    o->c_wl = tu_col(&o->tl, "workload");
}

static void out_free(struct out *o)
{
    tu_free_csv(&o->tl);
    tu_free_csv(&o->ev);
    tu_free_csv(&o->nodes);
    tu_rmdir(o->dir);
    free(o->dir);
}

/* Largest and smallest `col` of workload wl (NULL: any) over timeline rows
 * whose clock is in [from, to) (ISO text of one offset compares as time;
 * NULL: unbounded), and the clock of the largest. */
struct span {
    double max, min;
    const char *max_clock;
    int rows;
};

static struct span over(const struct out *o, const char *wl, const char *col,
                        const char *from, const char *to)
{
    size_t c = tu_col(&o->tl, col);
    struct span s = {-INFINITY, INFINITY, NULL, 0};

    for (size_t r = 1; r < o->tl.nrows; r++) {
        const char *clock = o->tl.rows[r][o->c_clock];
        double v;

        if ((wl && strcmp(o->tl.rows[r][o->c_wl], wl) != 0) ||
            (from && strcmp(clock, from) < 0) || (to && strcmp(clock, to) >= 0))
            continue;
        v = strtod(o->tl.rows[r][c], NULL);
        if (v > s.max) {
            s.max = v;
            s.max_clock = clock;
        }
        if (v < s.min)
            s.min = v;
        s.rows++;
    }
    assert_true(s.rows > 0);
    return s;
}

/* `col` of the timeline row of wl at exactly this clock. */
static double at_clock(const struct out *o, const char *wl, const char *clock,
                       const char *col)
{
    size_t c = tu_col(&o->tl, col);

    for (size_t r = 1; r < o->tl.nrows; r++)
        if (strcmp(o->tl.rows[r][o->c_clock], clock) == 0 &&
            strcmp(o->tl.rows[r][o->c_wl], wl) == 0)
            return strtod(o->tl.rows[r][c], NULL);
    fail_msg("no timeline row for %s at %s", wl, clock);
    return NAN;
}

/* The events row (clock,kind,object,reason,message) whose clock is in
 * [from, to) and whose other fields are as given (NULL: any, or
 * unbounded), or NULL. */
static const char *const *event(const struct out *o, const char *from,
                                const char *to, const char *kind,
                                const char *object, const char *reason)
{
    size_t cc = tu_col(&o->ev, "clock"), ck = tu_col(&o->ev, "kind");
    size_t co = tu_col(&o->ev, "object"), cr = tu_col(&o->ev, "reason");

    for (size_t r = 1; r < o->ev.nrows; r++) {
        char *const *row = o->ev.rows[r];

        if ((!from || strcmp(row[cc], from) >= 0) &&
            (!to || strcmp(row[cc], to) < 0) &&
            (!kind || strcmp(row[ck], kind) == 0) &&
            (!object || strcmp(row[co], object) == 0) &&
            (!reason || strcmp(row[cr], reason) == 0))
            return (const char *const *)row;
    }
    return NULL;
}

static const char *message(const struct out *o, const char *const *row)
{
    assert_non_null(row);
    return row[tu_col(&o->ev, "message")];
}

/* ---- lunch-rush --------------------------------------------------------- */

static void test_lunch_rush(void **state)
{
    struct out o;
    const char *const *e;
    const double pi = 3.14159265358979323846;
    double want;

    (void)state;
    run_shipped(&o, "lunch-rush");
    /* the runbook's floor holds 6 replicas through the rush */
    assert_true(over(&o, "menu-api", "replicas", "2026-11-23T11:15:00+01:00",
                     "2026-11-23T13:00:30+01:00")
                    .min >= 6);
    e = event(&o, "2026-11-23T11:15:00+01:00", "2026-11-23T11:15:01+01:00",
              "CronJob", "lunch-floor-on", "PatchHPA");
    assert_string_equal(message(&o, e), "patched HPA menu-api: minReplicas=6");
    e = event(&o, "2026-11-23T13:30:00+01:00", "2026-11-23T13:30:01+01:00",
              "CronJob", "lunch-floor-off", "PatchHPA");
    assert_string_equal(message(&o, e), "patched HPA menu-api: minReplicas=2");
    /* the manual scale at 11:00 is undone before 11:15 */
    e = event(&o, "2026-11-23T11:00:00+01:00", "2026-11-23T11:00:01+01:00",
              "Schedule", "manual-prescale", "Scale");
    assert_string_equal(message(&o, e),
                        "kubectl scale deployment/menu-api --replicas=6");
    assert_true(at_clock(&o, "menu-api", "2026-11-23T11:00:00+01:00",
                         "desired_replicas") == 6);
    e = event(&o, "2026-11-23T11:00:01+01:00", "2026-11-23T11:15:00+01:00",
              "HorizontalPodAutoscaler", "menu-api", "SuccessfulRescale");
    assert_string_equal(message(&o, e),
                        "New size: 3; reason: All metrics below target");
    assert_true(over(&o, "menu-api", "replicas", "2026-11-23T11:06:00+01:00",
                     "2026-11-23T11:14:30+01:00")
                    .max < 6);
    /* the rush is at 11:30-13:00 Paris time: 420 on the diurnal curve
     * (20 to 90, peak 15:00), with 10 s Poisson noise */
    want = 420 + 20 + 35 * (1 + cos(2 * pi * -3 / 24));
    assert_float_equal(
        at_clock(&o, "menu-api", "2026-11-23T12:00:00+01:00", "rps"), want, 40);
    want = 20 + 35 * (1 + cos(2 * pi * -5 / 24));
    assert_float_equal(
        at_clock(&o, "menu-api", "2026-11-23T10:00:00+01:00", "rps"), want, 15);
    assert_true(over(&o, NULL, "pending_pods", NULL, NULL).max == 0);
    out_free(&o);
}

/* ---- flash-sale --------------------------------------------------------- */

static void test_flash_sale(void **state)
{
    struct out o;
    const char *const *e;

    (void)state;
    run_shipped(&o, "flash-sale");
    assert_true(
        over(&o, "storefront", "replicas", NULL, "2026-11-27T09:45:00+00:00")
            .max <= 10);
    assert_true(over(&o, "storefront", "replicas", NULL, NULL).max == 20);
    assert_true(
        over(&o, "storefront", "replicas", "2026-11-27T11:00:00+00:00", NULL)
            .max <= 10);
    e = event(&o, "2026-11-27T09:45:00+00:00", "2026-11-27T09:45:01+00:00",
              "Schedule", "raise-max-for-sale", "PatchHPA");
    assert_string_equal(message(&o, e),
                        "patched HPA storefront: maxReplicas=20");
    e = event(&o, "2026-11-27T11:00:00+00:00", "2026-11-27T11:00:01+00:00",
              "Schedule", "restore-max", "PatchHPA");
    assert_string_equal(message(&o, e),
                        "patched HPA storefront: maxReplicas=10");
    /* 250 rps until 10:00 London, x6 over 30 s, then decaying over 25m */
    assert_true(
        over(&o, "storefront", "rps", NULL, "2026-11-27T10:00:15+00:00").max ==
        250);
    assert_true(
        at_clock(&o, "storefront", "2026-11-27T10:00:15+00:00", "rps") == 875);
    assert_true(
        at_clock(&o, "storefront", "2026-11-27T10:00:30+00:00", "rps") == 1500);
    assert_float_equal(
        at_clock(&o, "storefront", "2026-11-27T10:25:30+00:00", "rps"),
        250 * (1 + 5 * exp(-1.0)), 0.001);
    assert_true(over(&o, NULL, "pending_pods", NULL, NULL).max == 0);
    out_free(&o);
}

/* ---- nightly-cronjob ---------------------------------------------------- */

static void test_nightly_cronjob(void **state)
{
    struct out o;
    const char *const *e;
    const char *msg;

    (void)state;
    run_shipped(&o, "nightly-cronjob");
    e = event(&o, "2026-11-24T02:00:00+01:00", "2026-11-24T02:00:01+01:00",
              "CronJob", "nightly-report", "SuccessfulCreate");
    assert_string_equal(message(&o, e), "Created job nightly-report-1");
    /* 12 shards, 6 at a time, done during the night */
    e = event(&o, "2026-11-24T02:00:00+01:00", "2026-11-24T06:00:00+01:00",
              "Job", "nightly-report-1", "Completed");
    msg = message(&o, e);
    assert_non_null(strstr(msg, "(12 succeeded, 0 failed)"));
    assert_null(event(&o, NULL, NULL, "Job", NULL, "BackoffLimitExceeded"));
    assert_null(event(&o, NULL, NULL, "Job", NULL, "DeadlineExceeded"));
    assert_true(over(&o, "nightly-report", "replicas", NULL, NULL).max == 6);
    assert_true(over(&o, "nightly-report", "replicas", NULL,
                     "2026-11-24T02:00:00+01:00")
                    .max == 0);
    assert_true(over(&o, "nightly-report", "replicas",
                     "2026-11-24T06:00:00+01:00", NULL)
                    .max == 0);
    /* orders-api: 8 by day, 2 from 22:00 to 11:00 */
    assert_true(
        over(&o, "orders-api", "replicas", NULL, "2026-11-23T22:00:00+01:00")
            .min == 8);
    assert_true(over(&o, "orders-api", "replicas", "2026-11-23T22:00:00+01:00",
                     "2026-11-24T11:00:00+01:00")
                    .max == 2);
    assert_true(over(&o, "orders-api", "replicas", "2026-11-23T22:00:00+01:00",
                     "2026-11-24T11:00:00+01:00")
                    .min == 2);
    assert_true(
        over(&o, "orders-api", "replicas", "2026-11-24T11:00:00+01:00", NULL)
            .min == 8);
    assert_true(over(&o, NULL, "pending_pods", NULL, NULL).max == 0);
    out_free(&o);
}

/* ---- recorded traces ---------------------------------------------------- */

/* A per-minute trace (time_s,rps with a row every 60 s from 0). */
struct trace {
    double *rps;
    long n;
};

/* Read with stdio: the WorldCup trace has 127k rows, too many for
 * tu_read_csv's row-at-a-time growth under the sanitizers. */
static void trace_read(struct trace *tr, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    long cap = 1024;

    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f)); /* the header */
    tr->n = 0;
    tr->rps = malloc((size_t)cap * sizeof(double));
    while (fgets(line, sizeof(line), f) != NULL) {
        char *end;

        assert_int_equal(strtol(line, &end, 10), 60 * tr->n);
        assert_true(*end == ',');
        if (tr->n == cap)
            tr->rps = realloc(tr->rps, (size_t)(cap *= 2) * sizeof(double));
        tr->rps[tr->n++] = strtod(end + 1, NULL);
    }
    fclose(f);
    assert_true(tr->n > 0);
}

/* Every sample is the trace's minute at offset + t (step interpolation;
 * the last one held after the end) plus 1 s Poisson noise: within 5
 * standard deviations. */
static void follows(const struct out *o, const char *path, long offset)
{
    struct trace tr;
    size_t crps = tu_col(&o->tl, "rps");

    trace_read(&tr, path);
    for (size_t r = 1; r < o->tl.nrows; r++) {
        long s = strtol(o->tl.rows[r][0], NULL, 10), i = (offset + s) / 60;
        double got = strtod(o->tl.rows[r][crps], NULL), want;

        want = tr.rps[i < tr.n ? i : tr.n - 1]; /* then held */
        if (fabs(got - want) > 5 * sqrt(want) + 1)
            fail_msg("rps at %ld s: %g, trace %g", s, got, want);
    }
    free(tr.rps);
}

static void test_worldcup98(void **state)
{
    struct out o;
    struct span s;

    (void)state;
    run_shipped(&o, "worldcup98-match-day");
    follows(&o, "traces/worldcup98_per_minute.csv", 5193000);
    assert_float_equal(at_clock(&o, "web", "1998-06-30T22:00:00+02:00", "rps"),
                       2223.17, 5 * sqrt(2223.17));
    /* the most replicas during the evening match (21:00 Paris), not the
     * afternoon one */
    s = over(&o, "web", "replicas", NULL, NULL);
    assert_true(s.max >= 20);
    assert_true(strcmp(s.max_clock, "1998-06-30T21:00:00+02:00") > 0);
    assert_true(
        over(&o, "web", "replicas", NULL, "1998-06-30T21:00:00+02:00").max <
        s.max);
    assert_true(over(&o, "web", "replicas", "1998-06-30T04:00:00+02:00",
                     "1998-06-30T09:00:00+02:00")
                    .max == 3);
    assert_true(over(&o, NULL, "pending_pods", NULL, NULL).max == 0);
    out_free(&o);
}

static void test_azure_functions(void **state)
{
    struct out o;
    struct span s;

    (void)state;
    run_shipped(&o, "azure-functions-day");
    follows(&o, "traces/azure_functions_2019_sample1000_per_minute.csv", 0);
    /* the day's busiest minute is the 18:28 burst (759 rps) */
    s = over(&o, "web", "rps", NULL, NULL);
    assert_string_equal(s.max_clock, "2019-07-15T18:28:00+00:00");
    assert_true(over(&o, "web", "rps", "2019-07-15T18:00:00+00:00",
                     "2019-07-15T18:20:00+00:00")
                    .max < 300);
    /* and it takes the most replicas of the day, within minutes */
    s = over(&o, "web", "replicas", NULL, NULL);
    assert_true(
        over(&o, "web", "replicas", NULL, "2019-07-15T18:28:00+00:00").max <
        s.max);
    assert_true(over(&o, "web", "replicas", "2019-07-15T18:28:00+00:00",
                     "2019-07-15T18:35:00+00:00")
                    .max == s.max);
    assert_true(over(&o, NULL, "pending_pods", NULL, NULL).max == 0);
    out_free(&o);
}

static void test_llm_chat_week(void **state)
{
    struct out o;
    double day[7] = {0};
    int n[7] = {0};
    size_t crps, cpool, creq;

    (void)state;
    run_shipped(&o, "llm-chat-week");
    /* 7 days, from Sunday 2024-05-12 00:00:05 UTC */
    assert_string_equal(o.tl.rows[o.tl.nrows - 1][0], "604800");
    assert_string_equal(o.tl.rows[o.tl.nrows - 1][o.c_clock],
                        "2024-05-19T00:00:05+00:00");
    /* every pod on the tainted GPU pool, none on the CPU pool */
    cpool = tu_col(&o.nodes, "pool");
    creq = tu_col(&o.nodes, "cpu_requested_pct");
    for (size_t r = 1; r < o.nodes.nrows; r++) {
        double v = strtod(o.nodes.rows[r][creq], NULL);

        if (strcmp(o.nodes.rows[r][cpool], "cpu") == 0)
            assert_true(v == 0);
        else
            assert_true(v > 0);
    }
    /* Sunday and Saturday are quieter than every weekday */
    crps = tu_col(&o.tl, "rps");
    for (size_t r = 1; r + 1 < o.tl.nrows; r++) {
        long d = strtol(o.tl.rows[r][0], NULL, 10) / 86400;

        day[d] += strtod(o.tl.rows[r][crps], NULL);
        n[d]++;
    }
    for (int d = 0; d < 7; d++)
        day[d] /= n[d];
    for (int d = 1; d <= 5; d++) {
        assert_true(day[0] < 0.75 * day[d]);
        assert_true(day[6] < 0.75 * day[d]);
    }
    assert_true(over(&o, NULL, "pending_pods", NULL, NULL).max == 0);
    assert_true(over(&o, "chat-inference", "replicas", NULL, NULL).max <= 24);
    out_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lunch_rush),
        cmocka_unit_test(test_flash_sale),
        cmocka_unit_test(test_nightly_cronjob),
        cmocka_unit_test(test_worldcup98),
        cmocka_unit_test(test_azure_functions),
        cmocka_unit_test(test_llm_chat_week),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
