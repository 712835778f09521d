/*
 * test_sweep.c - sweep files (io/sweep.h) as a user writes them: the run
 * order of a grid with replications, ranges (non-integer steps, integer
 * formatting), seeded random points (repeatable, within bounds, integer and
 * log axes), variants with several overrides, explicit seeds and seed
 * offsets, the fingerprint, YAML values turned into `--set` text that
 * cs_override_parse() reads back as the same value, the scenario path, and
 * every error message with its exact location.
 */
#include "sweep_fixture.h"

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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
