/*
 * fuzz_sweep.c - libFuzzer target for sweep files (io/sweep.h).
 *
 * The input is a sweep file. It is loaded from the buffer with the limits
 * cut to FSW_MAX_RUNS runs and FSW_MAX_TEXT bytes of value text
 * (sw_load_buffer), so that every input stays fast; the limits' own code
 * paths are the same. Invariants:
 *   - a refused file has a message and no sweep; a loaded one has none;
 *   - a loaded sweep has a name, a scenario path, 1..CS_SWEEP_MAX_AXES
 *     axes with distinct, non-empty column names, and 1..FSW_MAX_RUNS runs;
 *   - every run reports its own index, a replication >= 1 (1 for run 0),
 *     a label per axis and "PATH=VALUE" overrides; the first and the last
 *     run's overrides parse with cs_override_parse();
 *   - loading the same bytes again gives the same fingerprint;
 *   - the flow text of every YAML document of the input (sw_flow, as
 *     values are written into overrides) reads back as the same tree.
 * Nothing leaks (ASan).
 */
#include "fuzz_util.h"

#include "core/err.h"
#include "io/outbuf.h"
#include "io/override.h"
#include "io/sweep.h"
#include "io/sweep_int.h"
#include "io/yfield.h"
#include "io/ytree.h"

#define FSW_MAX_RUNS 10000
#define FSW_MAX_TEXT ((size_t)4 << 20)
#define FSW_BUDGET 100000

/* 1 if a and b read the same: kinds, sizes, scalar texts (nulls equal
 * whatever their spelling), within a budget of nodes. */
static int fsw_same(const struct cs_ynode *a, const struct cs_ynode *b,
                    size_t *budget)
{
    if (*budget == 0)
        return 1;
    (*budget)--;
    if (a->kind != b->kind || a->n != b->n)
        return 0;
    if (a->kind == CS_Y_SCALAR) {
        if (cs_ynode_is_null(a) || cs_ynode_is_null(b))
            return cs_ynode_is_null(a) == cs_ynode_is_null(b);
        return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    }
    for (size_t i = 0; i < (a->kind == CS_Y_MAP ? 2 * a->n : a->n); i++)
        if (!fsw_same(a->items[i], b->items[i], budget))
            return 0;
    return 1;
}

/* doc's flow text, parsed again, is the same tree. */
static void fsw_flow_doc(const struct cs_ynode *doc)
{
    struct cs_yarena *a = cs_yarena_create();
    struct cs_ynode **docs = NULL;
    struct cs_outbuf b;
    struct cs_err err;
    size_t ndocs = 0, budget = FSW_BUDGET;
    int rc;

    if (a == NULL || cs_outbuf_init(&b, 0) < 0) {
        cs_yarena_destroy(a);
        return;
    }
    rc = sw_flow(&b, doc, FSW_MAX_TEXT);
    FUZZ_CHECK(rc == 0 || rc == CS_ELIMIT || rc == CS_ENOMEM);
    if (rc == 0) {
        const char *text = cs_outbuf_str(&b);

        FUZZ_CHECK(memchr(text, '\n', b.len) == NULL);
        rc = cs_yaml_load_buffer(a, "flow", text, b.len, &docs, &ndocs, &err);
        if (rc < 0)
            fprintf(stderr, "flow text %s: %s\n", text, err.msg);
        FUZZ_CHECK(rc == 0 || rc == CS_ELIMIT || rc == CS_ENOMEM);
        if (rc == 0 && ndocs == 0)
            FUZZ_CHECK(cs_ynode_is_null(doc));
        if (rc == 0 && ndocs > 0) {
            FUZZ_CHECK(ndocs == 1);
            FUZZ_CHECK(fsw_same(doc, docs[0], &budget));
        }
    }
    cs_outbuf_fini(&b);
    cs_yarena_destroy(a);
}

static void fsw_flow_all(const uint8_t *data, size_t size)
{
    struct cs_yarena *a = cs_yarena_create();
    struct cs_ynode **docs;
    size_t ndocs;
    struct cs_err err;

    if (a != NULL && cs_yaml_load_buffer(a, "fuzz.yaml", (const char *)data,
                                         size, &docs, &ndocs, &err) == 0)
        for (size_t i = 0; i < ndocs; i++)
            fsw_flow_doc(docs[i]);
    cs_yarena_destroy(a);
}

static void fsw_check_sets(const struct cs_sweep_run *run)
{
    for (size_t k = 0; k < run->nsets; k++) {
        struct cs_override ov;
        struct cs_err err;
        int rc = cs_override_parse(run->sets[k], &ov, &err);

        if (rc < 0)
            fprintf(stderr, "%s: %s\n", run->sets[k], err.msg);
        FUZZ_CHECK(rc == 0 || rc == CS_ENOMEM);
        cs_override_fini(&ov);
    }
}

static void fsw_check_names(const struct cs_sweep *sw)
{
    static const char *const reserved[] = {"run", "replication", "seed",
                                           "error"};
    size_t n = cs_sweep_naxes(sw);

    FUZZ_CHECK(n >= 1 && n <= CS_SWEEP_MAX_AXES);
    FUZZ_CHECK(cs_sweep_name(sw) != NULL && cs_sweep_name(sw)[0] != '\0');
    FUZZ_CHECK(cs_sweep_scenario(sw) != NULL);
    for (size_t i = 0; i < n; i++) {
        const char *name = cs_sweep_axis_name(sw, i);

        FUZZ_CHECK(name != NULL && name[0] != '\0');
        for (size_t r = 0; r < sizeof(reserved) / sizeof(reserved[0]); r++)
            FUZZ_CHECK(strcmp(name, reserved[r]) != 0);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(name, cs_sweep_axis_name(sw, j)) != 0);
    }
}

static void fsw_check_runs(const struct cs_sweep *sw)
{
    size_t n = cs_sweep_nruns(sw), naxes = cs_sweep_naxes(sw);
    struct cs_sweep_run run;
    int given = -1;

    FUZZ_CHECK(n >= 1 && n <= FSW_MAX_RUNS);
    if (cs_sweep_run_init(sw, &run) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        cs_sweep_run_get(sw, i, &run);
        FUZZ_CHECK(run.index == i);
        FUZZ_CHECK(run.replication >= 1 && (i > 0 || run.replication == 1));
        FUZZ_CHECK(given < 0 || run.seed_given == given);
        given = run.seed_given;
        FUZZ_CHECK(run.seed_given || run.seed_offset == run.replication - 1);
        for (size_t a = 0; a < naxes; a++)
            FUZZ_CHECK(run.labels[a] != NULL);
        for (size_t k = 0; k < run.nsets; k++)
            FUZZ_CHECK(run.sets[k] != NULL && strchr(run.sets[k], '=') != NULL);
        if (i == 0 || i == n - 1)
            fsw_check_sets(&run);
    }
    cs_sweep_run_fini(&run);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct sw_limits lim = {FSW_MAX_RUNS, FSW_MAX_TEXT};
    struct cs_sweep *sw = NULL, *again = NULL;
    struct cs_err err;
    int rc;

    fsw_flow_all(data, size);
    rc = sw_load_buffer("fuzz.yaml", (const char *)data, size, &lim, &sw, &err);
    if (rc < 0) {
        FUZZ_CHECK(sw == NULL && err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(sw != NULL && err.msg[0] == '\0');
    fsw_check_names(sw);
    fsw_check_runs(sw);
    if (sw_load_buffer("fuzz.yaml", (const char *)data, size, &lim, &again,
                       &err) == 0)
        FUZZ_CHECK(cs_sweep_fingerprint(again) == cs_sweep_fingerprint(sw) &&
                   cs_sweep_nruns(again) == cs_sweep_nruns(sw));
    cs_sweep_destroy(again);
    cs_sweep_destroy(sw);
    return 0;
}
