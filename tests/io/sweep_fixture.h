/*
 * sweep_fixture.h - what the sweep-file tests share: loading a sweep from
 * text (failing the test with the located message), pinning an error
 * message, and reading a run or an axis's labels back.
 */
#ifndef CS_TEST_SWEEP_FIXTURE_H
#define CS_TEST_SWEEP_FIXTURE_H

#include "test_util.h"

#include "io/override.h"
#include "io/quantity.h"
#include "io/sweep.h"
#include "io/sweep_int.h"
#include "io/yfield.h"
#include "io/ytree.h"

#include <sys/stat.h>

/* The error e as the CLI prints it. */
static inline const char *fmt_err(const struct cs_err *e)
{
    static char buf[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

    cs_err_format(e, buf, sizeof(buf));
    return buf;
}

static inline struct cs_sweep *load_named(const char *name, const char *yaml)
{
    struct cs_sweep *sw = NULL;
    struct cs_err err;

    if (cs_sweep_load_buffer(name, yaml, strlen(yaml), &sw, &err) < 0)
        fail_msg("%s", fmt_err(&err));
    assert_non_null(sw);
    return sw;
}

static inline struct cs_sweep *load_ok(const char *yaml)
{
    return load_named("s.yaml", yaml);
}

static inline void expect_error(const char *yaml, const char *msg)
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
static inline void get(const struct cs_sweep *sw, size_t index,
                       struct cs_sweep_run *run)
{
    assert_true(index < cs_sweep_nruns(sw));
    cs_sweep_run_get(sw, index, run);
    assert_int_equal(run->index, index);
}

/* Every label of axis `axis`, in run order, joined by ' '. */
static inline const char *axis_labels(const struct cs_sweep *sw, size_t axis)
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

#define HEAD "sweep: s\nscenario: base.yaml\n"

#endif
