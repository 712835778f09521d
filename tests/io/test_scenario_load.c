/*
 * test_scenario_load.c - `load:` shapes as a scenario writes them
 * (io/scenario_load.c, docs/load.md), evaluated the way a run evaluates
 * them: the list form and `points:`, constant, step, ramp, the runbook's
 * patterns with their defaults, lunchRush on every day, on weekdays and
 * across a DST change, diurnal and flashSale on a local clock, every form
 * of instant, sum / product / scale / noise, a trace file relative to the
 * scenario, and the scenario's own start and timeZone.
 */
#include "test_util.h"

#include "model/load.h"

#define SEC 1000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

/* One Deployment `w` on one node; its load and the clock are the test's. */
static const char cluster[] =
    "cluster:\n"
    "  nodePools:\n"
    "    - {name: a, nodes: 1, capacity: {cpu: 4, memory: 8Gi}}\n"
    "manifests:\n"
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: w}\n"
    "    spec:\n"
    "      template:\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: c, resources: {requests: {cpu: 100m}}}\n";

/* A loaded scenario and the run state of its workload's load. */
struct fx {
    struct cs_scenario *sc;
    struct cs_load l;
};

/* Load a scenario lasting `duration` whose top-level clock lines are
 * `clock` ("" for none) and whose load is the flow mapping `load`, with
 * file paths relative to base_dir; fails the test on any error. */
static struct cs_scenario *load_sc(const char *clock, const char *duration,
                                   const char *load, const char *base_dir)
{
    char yaml[4096];
    struct cs_err err;
    struct cs_scenario *sc;
    int n;

    n = snprintf(yaml, sizeof(yaml),
                 "duration: %s\n%s%sworkloads:\n  w:\n    load: %s\n", duration,
                 clock, cluster, load);
    assert_true(n > 0 && (size_t)n < sizeof(yaml));
    cs_err_clear(&err);
    sc =
        cs_scenario_load_buffer("inline.yaml", yaml, (size_t)n, base_dir, &err);
    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    return sc;
}

/* Load and start a run of the load with `seed` (as cs_sim_create does). */
static void fx_open(struct fx *f, const char *clock, const char *duration,
                    const char *load, uint64_t seed)
{
    struct cs_load_clock c;
    struct cs_err err;

    f->sc = load_sc(clock, duration, load, "scenarios");
    assert_int_equal(f->sc->nworkloads, 1);
    assert_non_null(f->sc->workloads[0].load_spec);
    c = (struct cs_load_clock){f->sc->start_utc_ms, f->sc->tz};
    cs_err_clear(&err);
    assert_int_equal(
        cs_load_init(&f->l, f->sc->workloads[0].load_spec, &c, seed, 0, &err),
        0);
}

static void fx_close(struct fx *f)
{
    cs_load_fini(&f->l);
    cs_scenario_destroy(f->sc);
}

#define RATE(f, t) cs_load_rate(&(f)->l, (t))
#define LEFT(f, t) cs_load_rate_left(&(f)->l, (t))
#define assert_near(a, b) assert_float_equal((a), (b), 1e-9)

/* ---- points, constant, step, ramp ------------------------------------ */

static void check_points(struct fx *f)
{
    assert_near(RATE(f, 0), 10);
    assert_near(RATE(f, MIN - 1), 10);
    assert_near(LEFT(f, MIN), 10);
    assert_near(RATE(f, MIN), 20);
    assert_near(RATE(f, 90 * SEC), 30); /* halfway up the ramp to 40 */
    assert_near(RATE(f, 2 * MIN), 40);
    assert_near(RATE(f, HOUR), 40);
    assert_int_equal(cs_load_next(&f->l, 0), MIN);
    assert_int_equal(cs_load_next(&f->l, MIN), 2 * MIN);
    assert_int_equal(cs_load_next(&f->l, 2 * MIN), CS_TIME_NEVER);
}

/* The list form and `points:` are one shape. */
static void test_points(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "1h",
            "[{at: 0s, rps: 10}, {at: 1m, rps: 20},\n"
            "           {at: 2m, rps: 40, ramp: true}]",
            1);
    check_points(&f);
    fx_close(&f);
    fx_open(&f, "", "1h",
            "{points: [{at: 0s, rps: 10}, {at: 1m, rps: 20},\n"
            "           {at: 2m, rps: 40, ramp: true}]}",
            1);
    check_points(&f);
    fx_close(&f);
}

static void test_constant(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "1h", "{constant: 50}", 1);
    assert_near(RATE(&f, 0), 50);
    assert_near(RATE(&f, 59 * MIN), 50);
    assert_int_equal(cs_load_next(&f.l, 0), CS_TIME_NEVER);
    fx_close(&f);
    fx_open(&f, "", "1h", "{constant: 50, scale: 2.5}", 1);
    assert_near(RATE(&f, 0), 125);
    fx_close(&f);
}

/* `from` before `at`, `to` from `at` on. */
static void test_step(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "1h", "{step: {at: 5m, from: 10, to: 30}}", 1);
    assert_near(RATE(&f, 0), 10);
    assert_near(RATE(&f, 5 * MIN - 1), 10);
    assert_near(LEFT(&f, 5 * MIN), 10);
    assert_near(RATE(&f, 5 * MIN), 30);
    assert_near(RATE(&f, 365 * DAY), 30);
    assert_int_equal(cs_load_next(&f.l, 0), 5 * MIN);
    fx_close(&f);
}

/* `from` until start, linear to `to` at end, held after. */
static void test_ramp(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "1h", "{ramp: {start: 1m, end: 3m, from: 10, to: 50}}", 1);
    assert_near(RATE(&f, 0), 10);
    assert_near(RATE(&f, MIN), 10);
    assert_near(RATE(&f, 2 * MIN), 30);
    assert_near(RATE(&f, 3 * MIN), 50);
    assert_near(RATE(&f, 365 * DAY), 50);
    assert_int_equal(cs_load_next(&f.l, 0), MIN);
    assert_int_equal(cs_load_next(&f.l, MIN), 3 * MIN);
    fx_close(&f);
}

/* ---- the runbook's test patterns --------------------------------------- */

static void test_gradual_increase(void **state)
{
    struct fx f;

    (void)state;
    /* a straight ramp (steps: 0) */
    fx_open(&f, "", "1h",
            "{gradualIncrease: {from: 10, to: 110, start: 5m, over: 10m}}", 1);
    assert_near(RATE(&f, 0), 10);
    assert_near(RATE(&f, 5 * MIN), 10);
    assert_near(RATE(&f, 10 * MIN), 60);
    assert_near(RATE(&f, 15 * MIN), 110);
    assert_near(RATE(&f, 50 * MIN), 110);
    fx_close(&f);
    /* a staircase of 4 steps of 25 every 5 minutes, from 0 */
    fx_open(&f, "", "1h", "{gradualIncrease: {to: 100, over: 20m, steps: 4}}",
            1);
    assert_near(RATE(&f, 0), 0);
    assert_near(RATE(&f, 5 * MIN - 1), 0);
    assert_near(RATE(&f, 5 * MIN), 25);
    assert_near(RATE(&f, 9 * MIN), 25);
    assert_near(RATE(&f, 10 * MIN), 50);
    assert_near(RATE(&f, 15 * MIN), 75);
    assert_near(LEFT(&f, 20 * MIN), 75);
    assert_near(RATE(&f, 20 * MIN), 100);
    assert_near(RATE(&f, 59 * MIN), 100);
    assert_int_equal(cs_load_next(&f.l, 0), 5 * MIN);
    assert_int_equal(cs_load_next(&f.l, 15 * MIN), 20 * MIN);
    fx_close(&f);
}

/* Defaults: rampUp 5m, hold 30m, rampDown 5m. */
static void test_sustained_peak(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "2h", "{sustainedPeak: {peak: 100, base: 10, at: 10m}}", 1);
    assert_near(RATE(&f, 0), 10);
    assert_near(RATE(&f, 10 * MIN), 10);
    assert_near(RATE(&f, 12 * MIN + 30 * SEC), 55);
    assert_near(RATE(&f, 15 * MIN), 100);
    assert_near(RATE(&f, 45 * MIN), 100);
    assert_near(RATE(&f, 47 * MIN + 30 * SEC), 55);
    assert_near(RATE(&f, 50 * MIN), 10);
    assert_near(RATE(&f, 2 * HOUR), 10);
    fx_close(&f);
}

/* Defaults: base 0, rise 30s, hold 5m, fall 2m. */
static void test_rapid_spike(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "1h", "{rapidSpike: {peak: 200, at: 1m}}", 1);
    assert_near(RATE(&f, 0), 0);
    assert_near(RATE(&f, MIN), 0);
    assert_near(RATE(&f, 75 * SEC), 100);
    assert_near(RATE(&f, 90 * SEC), 200);
    assert_near(RATE(&f, 390 * SEC), 200);
    assert_near(RATE(&f, 450 * SEC), 100);
    assert_near(RATE(&f, 510 * SEC), 0);
    assert_near(RATE(&f, 59 * MIN), 0);
    fx_close(&f);
}

/* Defaults: at 0, 8 hours, no ramp; then base. */
static void test_long_run(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "10h", "{longRun: {rps: 80, base: 5}}", 1);
    assert_near(RATE(&f, 0), 80);
    assert_near(RATE(&f, 8 * HOUR - 1), 80);
    assert_near(LEFT(&f, 8 * HOUR), 80);
    assert_near(RATE(&f, 8 * HOUR), 5);
    assert_near(RATE(&f, 10 * HOUR), 5);
    assert_int_equal(cs_load_next(&f.l, 0), 8 * HOUR);
    fx_close(&f);
    /* a soak starting later: base before it */
    fx_open(&f, "", "10h", "{longRun: {rps: 80, base: 5, at: 1h}}", 1);
    assert_near(RATE(&f, 0), 5);
    assert_near(RATE(&f, HOUR), 80);
    assert_near(RATE(&f, 9 * HOUR), 5);
    fx_close(&f);
}

/* ---- daily shapes on the local clock ----------------------------------- */

/* Without `start`, t = 0 is Monday 1970-01-05 00:00 (UTC here). Defaults:
 * 11:30 to 13:00 with 15-minute ramps. */
static void test_lunch_rush_every_day(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "192h", "{lunchRush: {peak: 100, base: 10}}", 1);
    assert_near(RATE(&f, 11 * HOUR + 15 * MIN), 10);
    assert_near(RATE(&f, 11 * HOUR + 22 * MIN + 30 * SEC), 55);
    assert_near(RATE(&f, 11 * HOUR + 30 * MIN), 100);
    assert_near(RATE(&f, 13 * HOUR), 100);
    assert_near(RATE(&f, 13 * HOUR + 7 * MIN + 30 * SEC), 55);
    assert_near(RATE(&f, 13 * HOUR + 15 * MIN), 10);
    /* Saturday and Sunday too */
    assert_near(RATE(&f, 5 * DAY + 12 * HOUR), 100);
    assert_near(RATE(&f, 6 * DAY + 12 * HOUR), 100);
    assert_near(RATE(&f, 6 * DAY + 20 * HOUR), 10);
    fx_close(&f);
}

static void test_lunch_rush_weekdays(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "192h",
            "{lunchRush: {peak: 100, base: 10, weekdays: true}}", 1);
    assert_near(RATE(&f, 12 * HOUR), 100);           /* Monday */
    assert_near(RATE(&f, 4 * DAY + 12 * HOUR), 100); /* Friday */
    assert_near(RATE(&f, 5 * DAY + 12 * HOUR), 10);  /* Saturday */
    assert_near(RATE(&f, 6 * DAY + 12 * HOUR), 10);  /* Sunday */
    assert_near(RATE(&f, 7 * DAY + 12 * HOUR), 100); /* Monday */
    fx_close(&f);
}

/* Paris springs forward on Sunday 2026-03-29: 11:30 local is 10:30 UTC on
 * Saturday and 09:30 UTC on Sunday, and Sunday lasts 23 hours. */
static void test_lunch_rush_dst(void **state)
{
    struct fx f;
    const int64_t sat_1030z = 1774693800000LL; /* 2026-03-28T10:30:00Z */
    const int64_t sun_0930z = 1774776600000LL; /* 2026-03-29T09:30:00Z */
    const int64_t mon_0930z = 1774863000000LL; /* 2026-03-30T09:30:00Z */

    (void)state;
    fx_open(&f,
            "start: 2026-03-28T00:00:00\n"
            "timeZone: Europe/Paris\n",
            "72h",
            "{lunchRush: {peak: 100, base: 10, rampUp: 0s, rampDown: 0s}}", 1);
    assert_true(f.sc->start_utc_ms + 11 * HOUR + 30 * MIN == sat_1030z);
    assert_true(f.sc->start_utc_ms + 34 * HOUR + 30 * MIN == sun_0930z);
    assert_true(f.sc->start_utc_ms + 58 * HOUR + 30 * MIN == mon_0930z);
    /* Saturday 11:30 CET */
    assert_near(LEFT(&f, 11 * HOUR + 30 * MIN), 10);
    assert_near(RATE(&f, 11 * HOUR + 30 * MIN), 100);
    assert_near(RATE(&f, 13 * HOUR), 10);
    /* Sunday 11:30 CEST, 23 hours later */
    assert_near(RATE(&f, 34 * HOUR + 30 * MIN - 1), 10);
    assert_near(RATE(&f, 34 * HOUR + 30 * MIN), 100);
    assert_near(LEFT(&f, 36 * HOUR), 100);
    assert_near(RATE(&f, 36 * HOUR), 10);
    /* Monday, 24 hours after Sunday's */
    assert_near(LEFT(&f, 58 * HOUR + 30 * MIN), 10);
    assert_near(RATE(&f, 58 * HOUR + 30 * MIN), 100);
    fx_close(&f);
}

/* The peak is at 15:00 in New York (20:00 UTC in November) and Saturday
 * is halved. */
static void test_diurnal_zone(void **state)
{
    struct fx f;
    const double pi = 3.14159265358979323846;

    (void)state;
    fx_open(&f,
            "start: 2026-11-23T00:00:00Z\n"
            "timeZone: America/New_York\n",
            "168h",
            "{diurnal: {min: 20, max: 200, peak: \"15:00\", weekend: 0.5}}", 1);
    assert_near(RATE(&f, 20 * HOUR), 200);
    assert_near(RATE(&f, 8 * HOUR), 20);   /* 03:00 local */
    assert_near(RATE(&f, 14 * HOUR), 110); /* 09:00 local */
    assert_near(RATE(&f, 15 * HOUR), 20 + 90 * (1 + cos(2 * pi * -5.0 / 24)));
    /* Saturday 2026-11-28 15:00 local, Sunday, then Monday again */
    assert_near(RATE(&f, 5 * DAY + 20 * HOUR), 100);
    assert_near(RATE(&f, 6 * DAY + 20 * HOUR), 100);
    assert_near(RATE(&f, 7 * DAY + 20 * HOUR), 200);
    assert_int_equal(cs_load_next(&f.l, 0), MIN); /* default step 1m */
    fx_close(&f);
}

static void check_flash(struct fx *f, cs_time_ms at)
{
    assert_int_equal(f->sc->workloads[0].load_spec->at, at);
    assert_int_equal(cs_load_next(&f->l, 0), at);
    assert_near(RATE(f, at - 1), 50);
    assert_near(RATE(f, at), 50);
    assert_near(RATE(f, at + 30 * SEC), 225);
    assert_near(RATE(f, at + MIN), 400);
    assert_near(RATE(f, at + 21 * MIN), 50 * (1 + 7 * exp(-1.0)));
}

/* "20:00" is the first 20:00 at or after the start. */
static void test_flash_sale_time_of_day(void **state)
{
    static const char load[] = "{flashSale: {base: 50, multiple: 8, "
                               "at: \"20:00\", rise: 1m, decay: 20m}}";
    struct fx f;

    (void)state;
    fx_open(&f,
            "start: 2026-11-27T09:00:00\n"
            "timeZone: America/New_York\n",
            "48h", load, 1);
    check_flash(&f, 11 * HOUR);
    fx_close(&f);
    fx_open(&f,
            "start: 2026-11-27T21:00:00\n"
            "timeZone: America/New_York\n",
            "48h", load, 1);
    check_flash(&f, 23 * HOUR);
    fx_close(&f);
}

/* ---- instants ---------------------------------------------------------- */

/* Every way of writing an instant, read as a flashSale's `at`, with the
 * start at 2026-11-27T09:00 New York (14:00 UTC). */
static void test_instants(void **state)
{
    static const struct {
        const char *text;
        cs_time_ms at;
    } cases[] = {
        {"90s", 90 * SEC},
        {"2h", 2 * HOUR},
        {"\"11:30\"", 2 * HOUR + 30 * MIN},
        {"\"11:30:15\"", 2 * HOUR + 30 * MIN + 15 * SEC},
        {"\"09:00\"", 0},         /* at the start: that one */
        {"\"08:00\"", 23 * HOUR}, /* passed: the next day's */
        {"2026-11-27T20:00", 11 * HOUR},
        {"\"2026-11-27 11:30\"", 2 * HOUR + 30 * MIN},
        {"2026-11-27T20:00Z", 6 * HOUR},
        {"2026-11-27T20:00:00+01:00", 5 * HOUR},
        {"2026-11-28T09:00:00-05:00", DAY},
        {"2026-11-27T09:00:00.250", 250},
    };
    char load[256];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cs_scenario *sc;

        snprintf(load, sizeof(load),
                 "{flashSale: {base: 1, multiple: 2, at: %s}}", cases[i].text);
        sc = load_sc("start: 2026-11-27T09:00:00\n"
                     "timeZone: America/New_York\n",
                     "48h", load, "scenarios");
        if (sc->workloads[0].load_spec->at != cases[i].at)
            fail_msg("at: %s gives %lld ms, want %lld", cases[i].text,
                     (long long)sc->workloads[0].load_spec->at,
                     (long long)cases[i].at);
        cs_scenario_destroy(sc);
    }
}

/* A time of day on a spring-forward day is read on that day's clock. */
static void test_instant_dst(void **state)
{
    struct cs_scenario *sc;

    (void)state;
    sc = load_sc("start: 2026-03-29T00:00:00\n"
                 "timeZone: Europe/Paris\n",
                 "24h", "{flashSale: {base: 1, multiple: 2, at: \"11:30\"}}",
                 "scenarios");
    /* midnight is 23:00Z, 11:30 CEST is 09:30Z */
    assert_int_equal(sc->workloads[0].load_spec->at, 10 * HOUR + 30 * MIN);
    cs_scenario_destroy(sc);
}

/* ---- combinations and modifiers ---------------------------------------- */

static void test_sum_product_scale(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "", "1h",
            "{sum: [{constant: 10}, {ramp: {end: 1m, to: 60}}], scale: 2}", 1);
    assert_near(RATE(&f, 0), 20);
    assert_near(RATE(&f, 30 * SEC), 80);
    assert_near(RATE(&f, MIN), 140);
    assert_near(RATE(&f, HOUR), 140);
    assert_int_equal(cs_load_next(&f.l, 0), MIN);
    fx_close(&f);
    fx_open(&f, "", "1h", "{sum: [{constant: 10, scale: 3}, {constant: 5}]}",
            1);
    assert_near(RATE(&f, 0), 35);
    fx_close(&f);
    /* growth as a factor: +10% a week, compounded */
    fx_open(&f, "", "360h",
            "{product: [{constant: 100}, {growth: {perWeek: 10%}}]}", 1);
    assert_near(RATE(&f, 0), 100);
    assert_near(RATE(&f, 7 * DAY), 110);
    assert_near(RATE(&f, 14 * DAY), 121);
    assert_int_equal(cs_load_next(&f.l, 0), HOUR); /* growth's step */
    fx_close(&f);
}

/* noise: 10s: each 10 s bucket holds a Poisson count / 10 s, the same for
 * the same seed; the mean stays near the rate. */
static void test_noise(void **state)
{
    struct fx a, b;
    double sum = 0;
    int differ = 0;

    (void)state;
    fx_open(&a, "", "1h", "{constant: 100, noise: 10s}", 7);
    fx_open(&b, "", "1h", "{constant: 100, noise: 10s}", 7);
    assert_int_equal(cs_load_next(&a.l, 0), 10 * SEC);
    assert_int_equal(cs_load_next(&a.l, 10 * SEC), 20 * SEC);
    for (int k = 0; k < 360; k++) {
        cs_time_ms t = k * 10 * SEC;
        double v = RATE(&a, t);

        assert_near(RATE(&a, t + 9999), v);       /* one value per bucket */
        assert_near(v * 10, floor(v * 10 + 0.5)); /* a count / 10 s */
        assert_near(RATE(&b, t), v);              /* same seed */
        differ += v != 100;
        sum += v;
    }
    /* mean of 360 buckets: sd 100 / sqrt(36000) = 0.53 */
    assert_true(fabs(sum / 360 - 100) < 3);
    assert_true(differ > 300);
    fx_close(&a);
    fx_close(&b);
}

/* ---- traces ------------------------------------------------------------ */

/* A trace file next to the scenario (base_dir), read with each option. */
static void test_trace(void **state)
{
    static const struct {
        const char *opts;
        cs_time_ms t[4];
        double v[4];
    } cases[] = {
        {"", {0, 30 * SEC, 60 * SEC, 90 * SEC}, {10, 15, 20, 30}},
        {", interpolation: step",
         {0, 59 * SEC, 60 * SEC, 90 * SEC},
         {10, 10, 20, 20}},
        {", column: alt", {0, 30 * SEC, 90 * SEC, HOUR}, {1, 1.5, 2.5, 3}},
        {", offset: 1m", {0, 60 * SEC, 90 * SEC, 2 * MIN}, {10, 10, 15, 20}},
        {", timeScale: 2", {0, 15 * SEC, 30 * SEC, 60 * SEC}, {10, 15, 20, 40}},
        {", window: {start: 60}",
         {0, 30 * SEC, 60 * SEC, HOUR},
         {20, 30, 40, 40}},
    };
    char *dir = tu_tmpdir(), path[600], load[256];

    (void)state;
    snprintf(path, sizeof(path), "%s/t.csv", dir);
    {
        FILE *fp = fopen(path, "w");

        assert_non_null(fp);
        fputs("time_s,rps,alt\n0,10,1\n60,20,2\n120,40,3\n", fp);
        fclose(fp);
    }
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cs_scenario *sc;
        struct cs_load l;
        struct cs_load_clock c;
        struct cs_err err;

        snprintf(load, sizeof(load), "{trace: {file: t.csv%s}, scale: 2}",
                 cases[i].opts);
        sc = load_sc("", "1h", load, dir);
        c = (struct cs_load_clock){sc->start_utc_ms, sc->tz};
        assert_int_equal(
            cs_load_init(&l, sc->workloads[0].load_spec, &c, 1, 0, &err), 0);
        for (int k = 0; k < 4; k++) {
            double v = cs_load_rate(&l, cases[i].t[k]);

            if (fabs(v - 2 * cases[i].v[k]) > 1e-9)
                fail_msg("trace%s at %lld ms: %g, want %g", cases[i].opts,
                         (long long)cases[i].t[k], v, 2 * cases[i].v[k]);
        }
        cs_load_fini(&l);
        cs_scenario_destroy(sc);
    }
    unlink(path);
    rmdir(dir);
    free(dir);
}

/* ---- the scenario's clock ---------------------------------------------- */

static void test_start_and_zone(void **state)
{
    struct cs_scenario *sc;
    struct fx f;
    int32_t tod;
    int wday;

    (void)state;
    /* 09:00 in Paris in November is 08:00 UTC */
    sc = load_sc("start: 2026-11-23T09:00:00\ntimeZone: Europe/Paris\n", "1h",
                 "{constant: 1}", "scenarios");
    assert_true(sc->start_utc_ms == 1795420800000LL);
    assert_int_equal(sc->has_start, 1);
    assert_non_null(sc->tz);
    assert_string_equal(cs_tz_name(sc->tz), "Europe/Paris");
    cs_scenario_destroy(sc);
    /* an explicit offset wins over the zone */
    sc = load_sc("start: 2026-11-23T09:00:00Z\ntimeZone: Europe/Paris\n", "1h",
                 "{constant: 1}", "scenarios");
    assert_true(sc->start_utc_ms == 1795424400000LL);
    cs_scenario_destroy(sc);
    /* no start, no zone: Monday 1970-01-05 00:00 UTC, no clock column */
    fx_open(&f, "", "1h", "{constant: 1}", 1);
    assert_true(f.sc->start_utc_ms == 4 * DAY);
    assert_int_equal(f.sc->has_start, 0);
    assert_null(f.sc->tz);
    cs_load_local(&f.l, 0, &tod, &wday);
    assert_int_equal(tod, 0);
    assert_int_equal(wday, 1);
    fx_close(&f);
    /* no start in Paris: Monday 00:00 there, 1970-01-04T23:00Z */
    fx_open(&f, "timeZone: Europe/Paris\n", "1h", "{constant: 1}", 1);
    assert_true(f.sc->start_utc_ms == 4 * DAY - HOUR);
    assert_int_equal(f.sc->has_start, 0);
    cs_load_local(&f.l, 0, &tod, &wday);
    assert_int_equal(tod, 0);
    assert_int_equal(wday, 1);
    cs_load_local(&f.l, 5 * DAY + 12 * HOUR, &tod, &wday);
    assert_int_equal(tod, 12 * 3600);
    assert_int_equal(wday, 6);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_constant),
        cmocka_unit_test(test_step),
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_gradual_increase),
        cmocka_unit_test(test_sustained_peak),
        cmocka_unit_test(test_rapid_spike),
        cmocka_unit_test(test_long_run),
        cmocka_unit_test(test_lunch_rush_every_day),
        cmocka_unit_test(test_lunch_rush_weekdays),
        cmocka_unit_test(test_lunch_rush_dst),
        cmocka_unit_test(test_diurnal_zone),
        cmocka_unit_test(test_flash_sale_time_of_day),
        cmocka_unit_test(test_instants),
        cmocka_unit_test(test_instant_dst),
        cmocka_unit_test(test_sum_product_scale),
        cmocka_unit_test(test_noise),
        cmocka_unit_test(test_trace),
        cmocka_unit_test(test_start_and_zone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
