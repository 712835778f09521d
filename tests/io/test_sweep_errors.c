/*
 * test_sweep_errors.c - every error of a sweep file (io/sweep.h) with its
 * exact message and FILE:LINE:COL: the file's shape, axes, ranges and
 * samples, names, override paths, and the limits on runs and text.
 */
#include "sweep_fixture.h"

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
        cmocka_unit_test(test_errors_file),
        cmocka_unit_test(test_errors_axes),
        cmocka_unit_test(test_errors_range_sample),
        cmocka_unit_test(test_errors_names),
        cmocka_unit_test(test_errors_overrides),
        cmocka_unit_test(test_errors_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
