/*
 * test_sweep.c - sweep files (io/sweep.h) as a user writes them: the run
 * order of a grid with replications, ranges (non-integer steps, integer
 * formatting), seeded random points (repeatable, within bounds, integer and
 * log axes), variants with several overrides, explicit seeds and seed
 * offsets, the fingerprint, YAML values turned into `--set` text that
 * cs_override_parse() reads back as the same value, the scenario path, and
 * every error message with its exact location.
 */
#include "test_util.h"

#include "io/override.h"
#include "io/quantity.h"
#include "io/sweep.h"
#include "io/sweep_int.h"
#include "io/yfield.h"
#include "io/ytree.h"

#include <sys/stat.h>

/* The error e as the CLI prints it. */
static const char *fmt_err(const struct cs_err *e)
{
    static char buf[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

    cs_err_format(e, buf, sizeof(buf));
    return buf;
}

static struct cs_sweep *load_named(const char *name, const char *yaml)
{
    struct cs_sweep *sw = NULL;
    struct cs_err err;

    if (cs_sweep_load_buffer(name, yaml, strlen(yaml), &sw, &err) < 0)
        fail_msg("%s", fmt_err(&err));
    assert_non_null(sw);
    return sw;
}

static struct cs_sweep *load_ok(const char *yaml)
{
    return load_named("s.yaml", yaml);
}

static void expect_error(const char *yaml, const char *msg)
{
    struct cs_sweep *sw = (struct cs_sweep *)&sw;
    struct cs_err err;
    int rc = cs_sweep_load_buffer("s.yaml", yaml, strlen(yaml), &sw, &err);

    if (rc == 0) {
        cs_sweep_destroy(sw);
        fail_msg("loaded, expected: %s\n%s", msg, yaml);
    }
    assert_null(sw);
    assert_string_equal(fmt_err(&err), msg);
}

/* Run `index` of sw into *run (initialised by the caller). */
static void get(const struct cs_sweep *sw, size_t index,
                struct cs_sweep_run *run)
{
    assert_true(index < cs_sweep_nruns(sw));
    cs_sweep_run_get(sw, index, run);
    assert_int_equal(run->index, index);
}

/* Every label of axis `axis`, in run order, joined by ' '. */
static const char *axis_labels(const struct cs_sweep *sw, size_t axis)
{
    static char buf[65536];
    struct cs_sweep_run run;
    size_t n = 0;

    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    buf[0] = '\0';
    for (size_t i = 0; i < cs_sweep_nruns(sw); i++) {
        get(sw, i, &run);
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "",
                              run.labels[axis]);
        assert_true(n < sizeof(buf));
    }
    cs_sweep_run_fini(&run);
    return buf;
}

#define HEAD "sweep: s\nscenario: base.yaml\n"

/* ------------------------------------------------------------------------ */
/* Runs                                                                     */
/* ------------------------------------------------------------------------ */

static void test_grid_order(void **state)
{
    (void)state;
    struct cs_sweep *sw =
        load_ok(HEAD "replications: 2\n"
                     "set:\n"
                     "  duration: 30m\n"
                     "axes:\n"
                     "  - name: target\n"
                     "    set: hpa/web.spec.metrics[0].resource.target."
                     "averageUtilization\n"
                     "    values: [50, 60, \"70\"]\n"
                     "  - set: hpa/web.spec.maxReplicas\n"
                     "    range: {from: 5, to: 10, step: 5}\n");
    struct cs_sweep_run run;
    /* index = (target * 2 + max) * 2 + rep */
    static const struct {
        size_t index;
        const char *target, *max;
        size_t rep;
    } want[] = {
        {0, "50", "5", 1},  {1, "50", "5", 2},   {2, "50", "10", 1},
        {3, "50", "10", 2}, {4, "60", "5", 1},   {7, "60", "10", 2},
        {8, "70", "5", 1},  {11, "70", "10", 2},
    };

    assert_string_equal(cs_sweep_name(sw), "s");
    assert_int_equal(cs_sweep_nruns(sw), 12);
    assert_int_equal(cs_sweep_naxes(sw), 2);
    assert_string_equal(cs_sweep_axis_name(sw, 0), "target");
    assert_string_equal(cs_sweep_axis_name(sw, 1), "hpa/web.spec.maxReplicas");
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char set[128];

        get(sw, want[i].index, &run);
        assert_string_equal(run.labels[0], want[i].target);
        assert_string_equal(run.labels[1], want[i].max);
        assert_int_equal(run.replication, want[i].rep);
        assert_int_equal(run.seed_given, 0);
        assert_int_equal(run.seed_offset, want[i].rep - 1);
        assert_int_equal(run.nsets, 3);
        assert_string_equal(run.sets[0], "duration=30m");
        snprintf(set, sizeof(set),
                 "hpa/web.spec.metrics[0].resource.target."
                 "averageUtilization=%s",
                 want[i].target);
        assert_string_equal(run.sets[1], set);
        snprintf(set, sizeof(set), "hpa/web.spec.maxReplicas=%s", want[i].max);
        assert_string_equal(run.sets[2], set);
    }
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
}

static void test_range_values(void **state)
{
    (void)state;
    struct cs_sweep *sw = load_ok(HEAD "axes:\n"
                                       "  - set: a\n"
                                       "    range: {from: 0.1, to: 0.3, "
                                       "step: 0.1}\n");

    assert_int_equal(cs_sweep_nruns(sw), 3);
    assert_string_equal(axis_labels(sw, 0), "0.1 0.2 0.3");
    cs_sweep_destroy(sw);

    sw = load_ok(HEAD "axes:\n"
                      "  - {set: a, range: {from: 0, to: 300, step: 60}}\n");
    assert_string_equal(axis_labels(sw, 0), "0 60 120 180 240 300");
    cs_sweep_destroy(sw);

    /* `to` not on the grid; integers written as integers even as 2.0 */
    sw = load_ok(HEAD "axes:\n"
                      "  - {set: a, range: {from: -4, to: 10, step: 3.0}}\n");
    assert_string_equal(axis_labels(sw, 0), "-4 -1 2 5 8");
    cs_sweep_destroy(sw);

    /* zero is 0, not a rounding residue; a fractional start */
    sw = load_ok(HEAD "axes:\n"
                      "  - {set: a, range: {from: -0.2, to: 0.2, step: 0.1}}\n"
                      "  - {set: b, range: {from: 1.5, to: 3, step: 1}}\n");
    assert_int_equal(cs_sweep_nruns(sw), 10);
    assert_string_equal(axis_labels(sw, 0),
                        "-0.2 -0.2 -0.1 -0.1 0 0 0.1 0.1 0.2 0.2");
    assert_string_equal(axis_labels(sw, 1),
                        "1.5 2.5 1.5 2.5 1.5 2.5 1.5 2.5 1.5 2.5");
    cs_sweep_destroy(sw);

    /* one value when from == to */
    sw = load_ok(HEAD "axes:\n"
                      "  - {set: a, range: {from: 7, to: 7, step: 2}}\n");
    assert_string_equal(axis_labels(sw, 0), "7");
    cs_sweep_destroy(sw);
}

static void test_seeds_list(void **state)
{
    (void)state;
    struct cs_sweep *sw = load_ok(HEAD "seeds: [11, 22, 33]\n"
                                       "axes:\n"
                                       "  - {set: a, values: [x, y]}\n");
    struct cs_sweep_run run;
    static const uint64_t seeds[] = {11, 22, 33};

    assert_int_equal(cs_sweep_nruns(sw), 6);
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    for (size_t i = 0; i < 6; i++) {
        get(sw, i, &run);
        assert_int_equal(run.seed_given, 1);
        assert_int_equal(run.seed, seeds[i % 3]);
        assert_int_equal(run.replication, i % 3 + 1);
        assert_string_equal(run.labels[0], i < 3 ? "x" : "y");
    }
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
}

static void test_seed_offsets(void **state)
{
    (void)state;
    struct cs_sweep *sw = load_ok(HEAD "replications: 3\n"
                                       "axes:\n"
                                       "  - {set: a, values: [x, y]}\n");
    struct cs_sweep_run run;

    assert_int_equal(cs_sweep_nruns(sw), 6);
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    for (size_t i = 0; i < 6; i++) {
        get(sw, i, &run);
        assert_int_equal(run.seed_given, 0);
        assert_int_equal(run.seed_offset, i % 3);
        assert_int_equal(run.replication, i % 3 + 1);
    }
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);

    /* no replications: one run per combination, the scenario's seed */
    sw = load_ok(HEAD "axes:\n  - {set: a, values: [x]}\n");
    assert_int_equal(cs_sweep_nruns(sw), 1);
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    get(sw, 0, &run);
    assert_int_equal(run.seed_given, 0);
    assert_int_equal(run.seed_offset, 0);
    assert_int_equal(run.replication, 1);
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
}

static void test_variants(void **state)
{
    (void)state;
    struct cs_sweep *sw = load_ok(
        HEAD "set: {duration: 1h}\n"
             "axes:\n"
             "  - name: policy\n"
             "    values:\n"
             "      - label: default\n"
             "      - label: fast\n"
             "        set:\n"
             "          hpa/web.spec.behavior.scaleUp.policies:\n"
             "            - {type: Percent, value: 100, periodSeconds: 15}\n"
             "          hpa/web.spec.maxReplicas: 40\n"
             "      - label: slow\n"
             "        set: {hpa/web.spec.maxReplicas: 5}\n"
             "  - {set: b, values: [1, 2]}\n");
    struct cs_sweep_run run;

    assert_int_equal(cs_sweep_nruns(sw), 6);
    assert_string_equal(cs_sweep_axis_name(sw, 0), "policy");
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    get(sw, 1, &run);
    assert_string_equal(run.labels[0], "default");
    assert_string_equal(run.labels[1], "2");
    assert_int_equal(run.nsets, 2);
    assert_string_equal(run.sets[0], "duration=1h");
    assert_string_equal(run.sets[1], "b=2");
    get(sw, 2, &run);
    assert_string_equal(run.labels[0], "fast");
    assert_int_equal(run.nsets, 4);
    assert_string_equal(run.sets[0], "duration=1h");
    assert_string_equal(run.sets[1],
                        "hpa/web.spec.behavior.scaleUp.policies=[{type: "
                        "Percent, value: 100, periodSeconds: 15}]");
    assert_string_equal(run.sets[2], "hpa/web.spec.maxReplicas=40");
    assert_string_equal(run.sets[3], "b=1");
    get(sw, 5, &run);
    assert_string_equal(run.labels[0], "slow");
    assert_int_equal(run.nsets, 3);
    assert_string_equal(run.sets[1], "hpa/web.spec.maxReplicas=5");
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
}

/* ------------------------------------------------------------------------ */
/* Random points                                                            */
/* ------------------------------------------------------------------------ */

static struct cs_sweep *sampled(int seed, const char *axis)
{
    char yaml[512];

    snprintf(yaml, sizeof(yaml),
             HEAD "seed: %d\nsamples: 50\nreplications: 2\n"
                  "axes:\n  - {name: x, set: a, %s}\n"
                  "  - {name: u, set: b, sample: {min: -1, max: 1}}\n",
             seed, axis);
    return load_ok(yaml);
}

static void test_sampling_seeded(void **state)
{
    (void)state;
    const char *axis = "sample: {min: 5, max: 8, integer: true}";
    struct cs_sweep *a = sampled(7, axis), *b = sampled(7, axis);
    struct cs_sweep *c = sampled(8, axis);
    struct cs_sweep_run run;
    char *la = strdup(axis_labels(a, 0)), *lu = strdup(axis_labels(a, 1));
    int seen_min = 0, seen_max = 0;

    assert_int_equal(cs_sweep_nruns(a), 100);
    assert_string_equal(axis_labels(b, 0), la);
    assert_string_equal(axis_labels(b, 1), lu);
    assert_string_not_equal(axis_labels(c, 0), la);
    assert_string_not_equal(axis_labels(c, 1), lu);
    assert_int_equal(cs_sweep_run_init(a, &run), 0);
    for (size_t i = 0; i < cs_sweep_nruns(a); i++) {
        int64_t x;
        double u;
        char set[64];

        get(a, i, &run);
        assert_int_equal(cs_parse_int64(run.labels[0], &x), 0);
        assert_true(x >= 5 && x <= 8);
        seen_min |= x == 5;
        seen_max |= x == 8;
        assert_int_equal(cs_parse_double(run.labels[1], &u), 0);
        assert_true(u >= -1 && u <= 1);
        snprintf(set, sizeof(set), "a=%s", run.labels[0]);
        assert_string_equal(run.sets[0], set);
        /* both replications of a point share its values */
        if (i % 2 == 1) {
            struct cs_sweep_run prev;

            assert_int_equal(cs_sweep_run_init(a, &prev), 0);
            get(a, i - 1, &prev);
            assert_string_equal(prev.labels[0], run.labels[0]);
            assert_string_equal(prev.labels[1], run.labels[1]);
            cs_sweep_run_fini(&prev);
        }
    }
    /* floor(min + u (max - min + 1)) reaches both ends */
    assert_true(seen_min && seen_max);
    cs_sweep_run_fini(&run);
    free(la);
    free(lu);
    cs_sweep_destroy(a);
    cs_sweep_destroy(b);
    cs_sweep_destroy(c);
}

/* How many of the 1000 points of a [1, 1000] axis fall below 10. */
static size_t below_10(const char *scale)
{
    char yaml[256];
    struct cs_sweep *sw;
    struct cs_sweep_run run;
    size_t n = 0;

    snprintf(yaml, sizeof(yaml),
             HEAD "samples: 1000\naxes:\n"
                  "  - {set: a, sample: {min: 1, max: 1000, scale: %s}}\n",
             scale);
    sw = load_ok(yaml);
    assert_int_equal(cs_sweep_nruns(sw), 1000);
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    for (size_t i = 0; i < 1000; i++) {
        double v;

        get(sw, i, &run);
        assert_int_equal(cs_parse_double(run.labels[0], &v), 0);
        assert_true(v >= 1 && v <= 1000);
        n += v < 10;
    }
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
    return n;
}

static void test_sampling_log(void **state)
{
    (void)state;
    size_t log_n = below_10("log"), uni_n = below_10("uniform");

    /* log-uniform: P(v < 10) = ln 10 / ln 1000 = 1/3 (sd ~15 in 1000) */
    assert_in_range(log_n, 283, 383);
    /* uniform: 9/999 */
    assert_in_range(uni_n, 1, 30);
}

static void test_sampling_log_integer(void **state)
{
    (void)state;
    struct cs_sweep *sw = load_ok(HEAD "samples: 200\naxes:\n"
                                       "  - set: a\n"
                                       "    sample: {min: 2, max: 9, scale: "
                                       "log, integer: true}\n");
    struct cs_sweep_run run;

    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    for (size_t i = 0; i < 200; i++) {
        int64_t v;

        get(sw, i, &run);
        assert_int_equal(cs_parse_int64(run.labels[0], &v), 0);
        assert_in_range(v, 2, 9);
    }
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
}

/* ------------------------------------------------------------------------ */
/* Fingerprint                                                              */
/* ------------------------------------------------------------------------ */

static uint64_t fp(const char *yaml)
{
    struct cs_sweep *sw = load_ok(yaml);
    uint64_t h = cs_sweep_fingerprint(sw);

    cs_sweep_destroy(sw);
    return h;
}

static void test_fingerprint(void **state)
{
    (void)state;
#define FP_AXES                                                                \
    "  - {name: t, set: a, values: [50, 60]}\n"                                \
    "  - {set: b, range: {from: 1, to: 3, step: 1}}\n"                         \
    "  - {set: c, sample: {min: 1, max: 9}}\n"                                 \
    "  - name: p\n"                                                            \
    "    values: [{label: d}, {label: f, set: {x.y: [1, 2]}}]\n"
    static const char *const variants[] = {
        "sweep: t\nscenario: base.yaml\nsamples: 3\nreplications: 2\n"
        "set: {d: 1}\naxes:\n" FP_AXES,
        HEAD "samples: 3\nreplications: 3\nset: {d: 1}\naxes:\n" FP_AXES,
        HEAD "samples: 3\nseeds: [0, 1]\nset: {d: 1}\naxes:\n" FP_AXES,
        HEAD
        "samples: 3\nreplications: 2\nseed: 2\nset: {d: 1}\naxes:\n" FP_AXES,
        HEAD "samples: 4\nreplications: 2\nset: {d: 1}\naxes:\n" FP_AXES,
        HEAD "samples: 3\nreplications: 2\nset: {d: 2}\naxes:\n" FP_AXES,
        HEAD "samples: 3\nreplications: 2\nset: {d: 1}\naxes:\n"
             "  - {name: t, set: a, values: [50, 61]}\n"
             "  - {set: b, range: {from: 1, to: 3, step: 1}}\n"
             "  - {set: c, sample: {min: 1, max: 9}}\n"
             "  - name: p\n"
             "    values: [{label: d}, {label: f, set: {x.y: [1, 2]}}]\n",
        HEAD "samples: 3\nreplications: 2\nset: {d: 1}\naxes:\n"
             "  - {name: t, set: a, values: [50, 60]}\n"
             "  - {set: b, range: {from: 1, to: 3, step: 1}}\n"
             "  - {set: c, sample: {min: 1, max: 9}}\n"
             "  - name: p\n"
             "    values: [{label: d}, {label: f, set: {x.y: [1, 3]}}]\n",
        HEAD "samples: 3\nreplications: 2\nset: {d: 1}\naxes:\n"
             "  - {name: u, set: a, values: [50, 60]}\n"
             "  - {set: b, range: {from: 1, to: 3, step: 1}}\n"
             "  - {set: c, sample: {min: 1, max: 9}}\n"
             "  - name: p\n"
             "    values: [{label: d}, {label: f, set: {x.y: [1, 2]}}]\n",
    };
    const char *base = HEAD "samples: 3\nreplications: 2\nset: {d: 1}\n"
                            "axes:\n" FP_AXES;
    uint64_t h = fp(base);
    uint64_t seen[sizeof(variants) / sizeof(variants[0])];

    /* stable across loads, and the base scenario's name does not enter */
    assert_true(fp(base) == h);
    {
        struct cs_sweep *sw = load_named("other/dir/s.yaml", base);

        assert_true(cs_sweep_fingerprint(sw) == h);
        cs_sweep_destroy(sw);
    }
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        seen[i] = fp(variants[i]);
        if (seen[i] == h)
            fail_msg("variant %zu has the base's fingerprint", i);
        for (size_t j = 0; j < i; j++)
            assert_true(seen[j] != seen[i]);
    }
    /* the same bytes split differently between a key and its value */
    assert_true(fp(HEAD "axes:\n  - {set: ab, values: [c]}\n") !=
                fp(HEAD "axes:\n  - {set: a, values: [bc]}\n"));
#undef FP_AXES
}

/* ------------------------------------------------------------------------ */
/* Values as --set text                                                     */
/* ------------------------------------------------------------------------ */

/* set parses as an override whose VALUE reads back as a YAML tree whose
 * flow text is the same again (and whose scalar, if it is one, is
 * `scalar`). */
static void check_override(const char *set, const char *scalar)
{
    struct cs_override ov;
    struct cs_err err;
    struct cs_yarena *a = cs_yarena_create();
    struct cs_ynode **docs;
    size_t ndocs;
    struct cs_outbuf b;

    if (cs_override_parse(set, &ov, &err) < 0)
        fail_msg("%s: %s", set, fmt_err(&err));
    assert_int_equal(cs_yaml_load_buffer(a, "v", ov.value, strlen(ov.value),
                                         &docs, &ndocs, &err),
                     0);
    assert_int_equal(ndocs, 1);
    assert_int_equal(cs_outbuf_init(&b, 0), 0);
    assert_int_equal(sw_flow(&b, docs[0], SIZE_MAX), 0);
    assert_string_equal(cs_outbuf_str(&b), ov.value);
    if (scalar != NULL) {
        assert_int_equal(docs[0]->kind, CS_Y_SCALAR);
        assert_string_equal(docs[0]->str, scalar);
        assert_false(cs_ynode_is_null(docs[0]));
    }
    cs_outbuf_fini(&b);
    cs_yarena_destroy(a);
    cs_override_fini(&ov);
}

static void test_flow_values(void **state)
{
    (void)state;
    struct cs_sweep *sw =
        load_ok(HEAD "axes:\n"
                     "  - set: p\n"
                     "    values:\n"
                     "      - {type: Percent, value: 100}\n"
                     "      - [1, \"two words\", ~, []]\n"
                     "      - \"a: b\"\n"
                     "      - 'null'\n"
                     "      - \"-\"\n"
                     "      - \"line1\\nline2\"\n"
                     "      - \"q\\\"b\\\\s\\t\\u0085\\u2028\"\n"
                     "      - 1e+06\n"
                     "      - plain text\n"
                     "      - 250m\n"
                     "      - {? [a, b] : c, \"k:\": {}}\n"
                     "      - caf\xc3\xa9\n"
                     "      - {k: , '': x, j: [~, '']}\n");
    static const struct {
        const char *label, *set, *scalar;
    } want[] = {
        {"{type: Percent, value: 100}", "p={type: Percent, value: 100}", NULL},
        {"[1, \"two words\", ~, []]", "p=[1, \"two words\", ~, []]", NULL},
        {"a: b", "p=\"a: b\"", "a: b"},
        {"null", "p=\"null\"", "null"},
        {"-", "p=\"-\"", "-"},
        {"line1\nline2", "p=\"line1\\nline2\"", "line1\nline2"},
        {"q\"b\\s\t\xc2\x85\xe2\x80\xa8", "p=\"q\\\"b\\\\s\\t\\x85\\u2028\"",
         "q\"b\\s\t\xc2\x85\xe2\x80\xa8"},
        {"1e+06", "p=1e+06", "1e+06"},
        {"plain text", "p=\"plain text\"", "plain text"},
        {"250m", "p=250m", "250m"},
        {"{? [a, b]: c, \"k:\": {}}", "p={? [a, b]: c, \"k:\": {}}", NULL},
        {"caf\xc3\xa9", "p=\"caf\xc3\xa9\"", "caf\xc3\xa9"},
        {"{k: , \"\": x, j: [~, \"\"]}", "p={k: , \"\": x, j: [~, \"\"]}",
         NULL},
    };
    struct cs_sweep_run run;

    assert_int_equal(cs_sweep_nruns(sw), sizeof(want) / sizeof(want[0]));
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        get(sw, i, &run);
        assert_string_equal(run.labels[0], want[i].label);
        assert_int_equal(run.nsets, 1);
        assert_string_equal(run.sets[0], want[i].set);
        check_override(run.sets[0], want[i].scalar);
    }
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
}

/* A '=' in a path is a key's character, not the end of PATH. */
static void test_path_equals(void **state)
{
    (void)state;
    struct cs_sweep *sw = load_ok(HEAD "set: {'labels.a=b': x}\n"
                                       "axes:\n"
                                       "  - {set: 'c\\=d.e', values: [1]}\n");
    struct cs_sweep_run run;
    struct cs_override ov;
    struct cs_err err;

    assert_string_equal(cs_sweep_axis_name(sw, 0), "c\\=d.e");
    assert_int_equal(cs_sweep_run_init(sw, &run), 0);
    get(sw, 0, &run);
    assert_string_equal(run.sets[0], "labels.a\\=b=x");
    assert_string_equal(run.sets[1], "c\\=d.e=1");
    assert_int_equal(cs_override_parse(run.sets[0], &ov, &err), 0);
    assert_int_equal(ov.nsegs, 2);
    assert_string_equal(ov.segs[1].text, "a=b");
    assert_string_equal(ov.value, "x");
    cs_override_fini(&ov);
    cs_sweep_run_fini(&run);
    cs_sweep_destroy(sw);
}

/* ------------------------------------------------------------------------ */
/* The scenario path                                                        */
/* ------------------------------------------------------------------------ */

static void test_scenario_path(void **state)
{
    (void)state;
    static const struct {
        const char *name, *scenario, *want;
    } cases[] = {
        {"dir/sub/s.yaml", "base.yaml", "dir/sub/base.yaml"},
        {"s.yaml", "base.yaml", "base.yaml"},
        {"/s.yaml", "base.yaml", "/base.yaml"},
        {"dir/s.yaml", "../up/base.yaml", "dir/../up/base.yaml"},
        {"dir/s.yaml", "/abs/base.yaml", "/abs/base.yaml"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char yaml[256];
        struct cs_sweep *sw;

        snprintf(yaml, sizeof(yaml),
                 "sweep: s\nscenario: %s\naxes: [{set: a, values: [1]}]\n",
                 cases[i].scenario);
        sw = load_named(cases[i].name, yaml);
        assert_string_equal(cs_sweep_scenario(sw), cases[i].want);
        cs_sweep_destroy(sw);
    }
}

static void test_load_file(void **state)
{
    (void)state;
    char *dir = tu_tmpdir(), path[512], want[1024];
    struct cs_sweep *sw = NULL;
    struct cs_err err;
    FILE *f;

    snprintf(path, sizeof(path), "%s/s.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("sweep: from-file\nscenario: base.yaml\n"
          "axes: [{set: a, values: [1, 2]}]\n",
          f);
    fclose(f);
    assert_int_equal(cs_sweep_load(path, &sw, &err), 0);
    snprintf(want, sizeof(want), "%s/base.yaml", dir);
    assert_string_equal(cs_sweep_scenario(sw), want);
    assert_string_equal(cs_sweep_name(sw), "from-file");
    assert_int_equal(cs_sweep_nruns(sw), 2);
    cs_sweep_destroy(sw);
    unlink(path);
    assert_int_equal(cs_sweep_load(path, &sw, &err), CS_EIO);
    assert_null(sw);
    snprintf(want, sizeof(want), "cannot open %s: No such file or directory",
             path);
    assert_string_equal(err.msg, want);
    rmdir(dir);
    free(dir);
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

static void test_errors_file(void **state)
{
    (void)state;
    expect_error("", "s.yaml: the sweep file is empty");
    expect_error("sweep: a\n---\nsweep: b\n",
                 "s.yaml:3:1: a sweep file holds one YAML document");
    expect_error("- a\n", "s.yaml:1:1: sweep must be a mapping");
    expect_error("scenario: b.yaml\naxes: [{set: a, values: [1]}]\n",
                 "s.yaml:1:1: sweep: missing required key \"sweep\"");
    expect_error("sweep: s\naxes: [{set: a, values: [1]}]\n",
                 "s.yaml:1:1: sweep: missing required key \"scenario\"");
    expect_error(HEAD "replications: 2\n",
                 "s.yaml:1:1: sweep: missing required key \"axes\"");
    expect_error(HEAD "axes: [{set: a, values: [1]}]\nfoo: 1\n",
                 "s.yaml:4:1: unknown key \"foo\" in sweep");
    expect_error("sweep: ''\nscenario: b\n",
                 "s.yaml:1:8: sweep must not be empty");
    expect_error(HEAD "seed: -1\n",
                 "s.yaml:3:7: seed must be between 0 and 9223372036854775807, "
                 "got -1");
    expect_error(HEAD "replications: 2\nseeds: [1]\n",
                 "s.yaml:4:8: seeds and replications cannot both be set");
    expect_error(HEAD "seeds: []\n", "s.yaml:3:8: seeds must not be empty");
    expect_error(HEAD "seeds: [1, x]\n",
                 "s.yaml:3:12: seeds[1] must be an integer, got \"x\"");
    expect_error(HEAD "replications: 0\n",
                 "s.yaml:3:15: replications must be between 1 and "
                 "9223372036854775807, got 0");
    expect_error(HEAD "samples: 0\n",
                 "s.yaml:3:10: samples must be between 1 and "
                 "9223372036854775807, got 0");
    expect_error(HEAD "axes: []\n", "s.yaml:3:7: axes must not be empty");
    expect_error(HEAD "axes: {a: 1}\n", "s.yaml:3:7: axes must be a list");
}

static void test_errors_axes(void **state)
{
    (void)state;
    char yaml[4096];
    size_t n;

    expect_error(HEAD "axes:\n  - set: a\n",
                 "s.yaml:4:5: axes[0] needs exactly one of values, range or "
                 "sample");
    expect_error(HEAD "axes:\n  - {set: a, values: [1], range: {}}\n",
                 "s.yaml:4:5: axes[0] needs exactly one of values, range or "
                 "sample");
    expect_error(HEAD "axes:\n  - {set: a, value: [1]}\n",
                 "s.yaml:4:14: unknown key \"value\" in axes[0]");
    expect_error(HEAD "axes:\n  - [1]\n",
                 "s.yaml:4:5: axes[0] must be a mapping");
    expect_error(HEAD "axes:\n  - {set: a, values: [1]}\n"
                      "  - range: {from: 0, to: 1, step: 1}\n",
                 "s.yaml:5:5: axes[1].set is required with range");
    expect_error(HEAD "samples: 2\naxes:\n  - sample: {min: 0, max: 1}\n",
                 "s.yaml:5:5: axes[0].set is required with sample");
    expect_error(HEAD "axes:\n  - values: [1, 2]\n",
                 "s.yaml:4:5: axes[0].set is required with plain values (not "
                 "label/set variants)");
    expect_error(HEAD "axes:\n  - name: p\n    set: a\n"
                      "    values: [{label: x}]\n",
                 "s.yaml:5:10: axes[0].set cannot be used with variants "
                 "(each sets its own paths)");
    expect_error(HEAD "axes:\n  - {set: a, values: [1]}\n"
                      "  - values: [{label: x}]\n",
                 "s.yaml:5:5: axes[1] with variants needs a name");
    expect_error(HEAD "axes:\n  - set: a\n    values: [1, 2, {label: x}]\n",
                 "s.yaml:5:20: axes[0].values[2] is a variant (label/set): "
                 "every value must be one, or none");
    expect_error(HEAD "axes:\n  - name: p\n    values: [{label: x}, 2]\n",
                 "s.yaml:5:26: axes[0].values[1] is not a variant "
                 "(label/set): every value must be one, or none");
    expect_error(HEAD "axes:\n  - {set: a, values: []}\n",
                 "s.yaml:4:22: axes[0].values must not be empty");
    expect_error(HEAD
                 "axes:\n  - name: p\n    values: [{label: x, sets: {}}]\n",
                 "s.yaml:5:25: unknown key \"sets\" in axes[0].values[0]");
    expect_error(HEAD "axes:\n  - name: p\n    values: [{label: ''}]\n",
                 "s.yaml:5:22: axes[0].values[0].label must not be empty");
    expect_error(HEAD "axes:\n  - {name: '', set: a, values: [1]}\n",
                 "s.yaml:4:12: axes[0].name must not be empty");
    /* at most CS_SWEEP_MAX_AXES */
    n = (size_t)snprintf(yaml, sizeof(yaml), HEAD "axes:\n");
    for (int i = 0; i <= CS_SWEEP_MAX_AXES; i++)
        n += (size_t)snprintf(yaml + n, sizeof(yaml) - n,
                              "  - {set: a%d, values: [1]}\n", i);
    expect_error(yaml, "s.yaml:4:3: axes has 65 items; the limit is 64");
}

static void test_errors_range_sample(void **state)
{
    (void)state;
    expect_error(HEAD "axes:\n  - set: a\n    range: {from: 0, to: 1, "
                      "step: 0}\n",
                 "s.yaml:5:35: axes[0].range.step must be positive, got 0");
    expect_error(HEAD "axes:\n  - set: a\n    range: {from: 0, to: 1, "
                      "step: -0.5}\n",
                 "s.yaml:5:35: axes[0].range.step must be positive, got -0.5");
    expect_error(HEAD "axes:\n  - set: a\n    range: {from: 2, to: 1, "
                      "step: 1}\n",
                 "s.yaml:5:26: axes[0].range.to must not be below from");
    expect_error(HEAD "axes:\n  - set: a\n    range: {from: 2, to: 3}\n",
                 "s.yaml:5:12: axes[0].range: missing required key \"step\"");
    expect_error(HEAD "axes:\n  - set: a\n    range: {from: x, to: 3, "
                      "step: 1}\n",
                 "s.yaml:5:19: axes[0].range.from must be a number, got "
                 "\"x\"");
    expect_error(HEAD "axes:\n  - set: a\n    range: {from: 0, to: 1, by: "
                      "1}\n",
                 "s.yaml:5:29: unknown key \"by\" in axes[0].range");
    expect_error(HEAD "samples: 3\naxes:\n  - set: a\n"
                      "    sample: {min: 0, max: 1, scale: log}\n",
                 "s.yaml:6:19: axes[0].sample.min must be positive on a log "
                 "scale");
    expect_error(HEAD "samples: 3\naxes:\n  - set: a\n"
                      "    sample: {min: 2, max: 1}\n",
                 "s.yaml:6:27: axes[0].sample.max must not be below min");
    expect_error(HEAD "samples: 3\naxes:\n  - set: a\n"
                      "    sample: {min: 1, max: 2, scale: exp}\n",
                 "s.yaml:6:37: axes[0].sample.scale must be uniform or log, "
                 "got \"exp\"");
    expect_error(HEAD "samples: 3\naxes:\n  - set: a\n"
                      "    sample: {min: 1.5, max: 2, integer: true}\n",
                 "s.yaml:6:19: axes[0].sample.min must be an integer, got "
                 "\"1.5\"");
    expect_error(HEAD "samples: 3\naxes:\n  - set: a\n"
                      "    sample: {min: 1, max: 2, integer: yes}\n",
                 "s.yaml:6:39: axes[0].sample.integer must be true or false, "
                 "got \"yes\"");
    expect_error(HEAD "samples: 3\naxes:\n  - set: a\n"
                      "    sample: {max: 2}\n",
                 "s.yaml:6:13: axes[0].sample: missing required key \"min\"");
    expect_error(HEAD "axes:\n  - {set: a, values: [1]}\n"
                      "  - {set: b, sample: {min: 1, max: 2}}\n",
                 "s.yaml:5:5: axes[1]: sample axes need `samples:` (the "
                 "number of random points)");
    expect_error(HEAD "samples: 4\naxes:\n  - {set: a, values: [1]}\n",
                 "s.yaml:3:10: samples is set but no axis samples");
}

static void test_errors_names(void **state)
{
    (void)state;
    expect_error(HEAD "axes:\n  - {name: target, set: a, values: [1]}\n"
                      "  - {name: target, set: b, values: [1]}\n",
                 "s.yaml:5:12: axes[1].name \"target\" is used twice");
    /* an unnamed axis is named by its path */
    expect_error(HEAD "axes:\n  - {set: a, values: [1]}\n"
                      "  - {set: a, values: [2]}\n",
                 "s.yaml:5:11: axes[1].name \"a\" is used twice");
    expect_error(HEAD "axes:\n  - {name: seed, set: a, values: [1]}\n",
                 "s.yaml:4:12: axes[0].name \"seed\" is reserved");
    expect_error(HEAD "axes:\n  - {set: run, values: [1]}\n",
                 "s.yaml:4:11: axes[0].name \"run\" is reserved");
    expect_error(HEAD "axes:\n  - {name: replication, set: a, values: [1]}\n",
                 "s.yaml:4:12: axes[0].name \"replication\" is reserved");
    expect_error(HEAD "axes:\n  - {name: error, set: a, values: [1]}\n",
                 "s.yaml:4:12: axes[0].name \"error\" is reserved");
}

static void test_errors_overrides(void **state)
{
    (void)state;
    /* a bad path is reported where it is written, with --set's message */
    expect_error(HEAD "axes:\n  - {set: a..b, values: [1]}\n",
                 "s.yaml:4:11: empty key in the path");
    expect_error(HEAD "axes:\n  - set: a[0\n"
                      "    range: {from: 0, to: 1, step: 1}\n",
                 "s.yaml:4:10: \"[\" without \"]\" in the path");
    expect_error(HEAD "samples: 2\naxes:\n  - set: '[0]'\n"
                      "    sample: {min: 0, max: 1}\n",
                 "s.yaml:5:10: the path must start with a key");
    expect_error(HEAD "set:\n  hpa/: 3\naxes: [{set: a, values: [1]}]\n",
                 "s.yaml:4:3: no object name after \"hpa/\"");
    expect_error(HEAD "axes:\n  - name: p\n    values:\n      - label: x\n"
                      "        set: {deploy/web: 2}\n",
                 "s.yaml:7:15: the path names an object; add the field to "
                 "set (deploy/web.spec...)");
    expect_error(HEAD "set: [a]\naxes: [{set: a, values: [1]}]\n",
                 "s.yaml:3:6: set must be a mapping");
    expect_error(HEAD "set: {[a]: 1}\naxes: [{set: a, values: [1]}]\n",
                 "s.yaml:3:7: key in set must be a scalar");
}

static void test_errors_limits(void **state)
{
    (void)state;
    struct sw_limits lim = {CS_SWEEP_MAX_RUNS, (size_t)1 << 20};
    struct cs_sweep *sw = NULL;
    struct cs_err err;
    char yaml[8192];
    size_t n;

    expect_error(HEAD "replications: 10000001\naxes:\n"
                      "  - {set: a, values: [1]}\n",
                 "s.yaml:1:1: the sweep has 10000001 runs; the limit is "
                 "10000000");
    expect_error(HEAD "axes:\n"
                      "  - {set: a, range: {from: 0, to: 1e300, step: 1}}\n",
                 "s.yaml:1:1: the sweep has more than 18446744073709551614 "
                 "runs; the limit is 10000000");
    expect_error(HEAD "replications: 9223372036854775807\naxes:\n"
                      "  - {set: a, values: [1, 2, 3]}\n",
                 "s.yaml:1:1: the sweep has more than 18446744073709551614 "
                 "runs; the limit is 10000000");
    /* exactly the limit is allowed */
    sw = load_ok(HEAD "replications: 1000\naxes:\n"
                      "  - {set: a, range: {from: 1, to: 100, step: 1}}\n"
                      "  - {set: b, range: {from: 1, to: 100, step: 1}}\n");
    assert_int_equal(cs_sweep_nruns(sw), CS_SWEEP_MAX_RUNS);
    cs_sweep_destroy(sw);

    /* Aliases cannot multiply a small file into unbounded text: 64 values
     * that are each 64 aliases of a 300-digit string, against a 1 MiB
     * budget ("a=[000..., ...]" and its NUL are 19331 bytes a value: the
     * 55th passes it). */
    n = (size_t)snprintf(yaml, sizeof(yaml),
                         HEAD "axes:\n  - set: a\n    values:\n"
                              "      - &y [&x \"%0300d\"",
                         0);
    for (int i = 1; i < 64; i++)
        n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, ", *x");
    n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "]\n");
    for (int i = 1; i < 64; i++)
        n += (size_t)snprintf(yaml + n, sizeof(yaml) - n, "      - *y\n");
    assert_true(n < sizeof(yaml));
    assert_int_equal(sw_load_buffer("s.yaml", yaml, n, &lim, &sw, &err),
                     CS_EINVAL);
    assert_null(sw);
    assert_string_equal(fmt_err(&err),
                        "s.yaml:6:9: axes[0].values[54]: the sweep's values "
                        "add up to more than 1 MiB of text");
    /* the default budget takes it */
    sw = load_ok(yaml);
    assert_int_equal(cs_sweep_nruns(sw), 64);
    cs_sweep_destroy(sw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_order),
        cmocka_unit_test(test_range_values),
        cmocka_unit_test(test_seeds_list),
        cmocka_unit_test(test_seed_offsets),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_sampling_seeded),
        cmocka_unit_test(test_sampling_log),
        cmocka_unit_test(test_sampling_log_integer),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_flow_values),
        cmocka_unit_test(test_path_equals),
        cmocka_unit_test(test_scenario_path),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_errors_file),
        cmocka_unit_test(test_errors_axes),
        cmocka_unit_test(test_errors_range_sample),
        cmocka_unit_test(test_errors_names),
        cmocka_unit_test(test_errors_overrides),
        cmocka_unit_test(test_errors_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
