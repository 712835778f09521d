/*
 * test_results.c - the results table of a sweep: results.csv and
 * sweep-info.csv written and read back byte for byte, the merge of shards
 * and its refusals, read errors located in the files, and choosing among
 * runs (where, minimize/maximize, Pareto front, printed tables, pareto.gp).
 *
 * Every test works under one mkdtemp() directory, removed afterwards.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "io/expect.h"
#include "io/results.h"

#define FP 0x9f0c1e2d3a4b5c6dULL

/* ---- fixture: a temporary directory -------------------------------------- */

struct fixture {
    char root[64];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    snprintf(fx->root, sizeof(fx->root), "/tmp/capsim-results-XXXXXX");
    if (mkdtemp(fx->root) == NULL) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    tu_rmdir(fx->root);
    free(fx);
    return 0;
}

/* root/name into buf. */
static const char *sub(void **state, const char *name, char *buf, size_t n)
{
    struct fixture *fx = *state;

    snprintf(buf, n, "%s/%s", fx->root, name);
    return buf;
}

/* The whole of a file, malloc'd and NUL-terminated. */
static char *slurp(const char *dir, const char *name)
{
    char path[512];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;

    mkdir(dir, 0755);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* dir/name holds exactly text. */
static void file_is(const char *dir, const char *name, const char *text)
{
    char *got = slurp(dir, name);

    assert_string_equal(got, text);
    free(got);
}

/* Both files of dir a equal those of dir b, byte for byte. */
static void same_files(const char *a, const char *b)
{
    static const char *const names[] = {CS_RESULTS_FILE, CS_RESULTS_INFO};

    for (int i = 0; i < 2; i++) {
        char *x = slurp(a, names[i]), *y = slurp(b, names[i]);

        assert_string_equal(x, y);
        free(x);
        free(y);
    }
}

/* "path:line:col: msg" of err. */
static const char *formatted(const struct cs_err *err)
{
    static char buf[1200];

    cs_err_format(err, buf, sizeof(buf));
    return buf;
}

/* ---- a sweep of ten runs ------------------------------------------------- */

static const char *const cols[] = {
    "run",   "replication", "seed",           "policy",
    "error", "cost_usd",    "latency_p95_ms", "latency_p95_ms[web]"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* Run r's cells. Run 4 failed; run 7's and 9's labels need quoting. */
static void run_cells(size_t run, const char **cell, char (*buf)[32])
{
    snprintf(buf[0], 32, "%zu", run);
    snprintf(buf[1], 32, "%zu", (run - 1) % 2 + 1);
    snprintf(buf[2], 32, "%zu", 6 + (run - 1) % 2);
    snprintf(buf[3], 32, "%s", run % 3 == 0 ? "fast" : "default");
    snprintf(buf[5], 32, "%zu.25", 20 - run);
    snprintf(buf[6], 32, "%zu", 100 * run);
    snprintf(buf[7], 32, "%zu", 50 * run);
    for (int c = 0; c < 8; c++)
        cell[c] = buf[c];
    cell[4] = "";
    if (run == 4) {
        cell[4] = "scenario.yaml:3:1: bad, \"value\"";
        cell[5] = cell[6] = cell[7] = "";
    }
    if (run == 7)
        cell[3] = "fast, \"hot\"";
    if (run == 9)
        cell[3] = " slow"; /* quoted, or libcsv would drop the space */
}

/* Shard k/n of the ten runs: runs (run-1) % n == k-1, in run order. */
static void make_shard(struct cs_results *r, size_t k, size_t n)
{
    const char *cell[8];
    char buf[8][32];

    assert_int_equal(
        cs_results_init(r, "feastflow-sweep", FP, 10, k, n, cols, NCOLS), 0);
    for (size_t run = k; run <= 10; run += n) {
        run_cells(run, cell, buf);
        assert_int_equal(cs_results_add(r, run, cell), 0);
    }
}

static const char whole_csv[] =
    "run,replication,seed,policy,error,cost_usd,latency_p95_ms,"
    "latency_p95_ms[web]\n"
    "1,1,6,default,,19.25,100,50\n"
    "2,2,7,default,,18.25,200,100\n"
    "3,1,6,fast,,17.25,300,150\n"
    "4,2,7,default,\"scenario.yaml:3:1: bad, \"\"value\"\"\",,,\n"
    "5,1,6,default,,15.25,500,250\n"
    "6,2,7,fast,,14.25,600,300\n"
    "7,1,6,\"fast, \"\"hot\"\"\",,13.25,700,350\n"
    "8,2,7,default,,12.25,800,400\n"
    "9,1,6,\" slow\",,11.25,900,450\n"
    "10,2,7,default,,10.25,1000,500\n";

/* ---- write and read ------------------------------------------------------ */

static void test_write_read_round_trip(void **state)
{
    struct cs_results r, back;
    struct cs_err err;
    char a[256], b[256];

    make_shard(&r, 1, 1);
    assert_int_equal(
        cs_results_write(&r, sub(state, "a/deep", a, sizeof(a)), &err), 0);
    file_is(a, CS_RESULTS_FILE, whole_csv);
    file_is(a, CS_RESULTS_INFO,
            "key,value\nsweep,feastflow-sweep\nfingerprint,9f0c1e2d3a4b5c6d\n"
            "runs,10\nshard,1/1\n");

    assert_int_equal(cs_results_read(&back, a, &err), 0);
    assert_string_equal(back.sweep, "feastflow-sweep");
    assert_true(back.fingerprint == FP);
    assert_true(back.runs == 10 && back.shard_k == 1 && back.shard_n == 1);
    assert_true(back.ncols == NCOLS && back.nrows == 10);
    assert_int_equal(back.run[6], 7);
    assert_string_equal(back.cells[6 * NCOLS + 3], "fast, \"hot\"");
    assert_string_equal(back.cells[8 * NCOLS + 3], " slow");
    assert_string_equal(back.cells[3 * NCOLS + 4],
                        "scenario.yaml:3:1: bad, \"value\"");
    assert_string_equal(back.cells[3 * NCOLS + 5], "");

    /* written again: the same bytes */
    assert_int_equal(
        cs_results_write(&back, sub(state, "b", b, sizeof(b)), &err), 0);
    same_files(a, b);
    cs_results_fini(&back);
    cs_results_fini(&r);
    assert_null(r.cells);
}

/* Rows added in any order are sorted by run, stably. */
static void test_sort(void **state)
{
    static const size_t order[] = {5, 2, 9, 1, 2, 10};
    static const char *const two[] = {"run", "x"};
    struct cs_results r;
    const char *cell[2];
    char x[8];

    (void)state;
    assert_int_equal(cs_results_init(&r, "s", 1, 10, 1, 1, two, 2), 0);
    for (size_t i = 0; i < 6; i++) {
        snprintf(x, sizeof(x), "x%zu", i);
        cell[0] = "ignored";
        cell[1] = x;
        assert_int_equal(cs_results_add(&r, order[i], cell), 0);
    }
    assert_string_equal(r.cells[0], "5"); /* the run cell comes from run */
    cs_results_sort(&r);
    assert_int_equal(r.run[0], 1);
    assert_int_equal(r.run[5], 10);
    assert_string_equal(r.cells[1 * 2 + 1], "x1"); /* first run 2 ... */
    assert_string_equal(r.cells[2 * 2 + 1], "x4"); /* ... then the second */
    assert_string_equal(r.cells[3 * 2], "5");
    cs_results_fini(&r);
}

/* ---- merge --------------------------------------------------------------- */

static void test_merge_equals_whole(void **state)
{
    struct cs_results whole, shard, parts[3], merged;
    const char *dirs[3];
    char d[3][256], w[256], m[256], name[16];
    struct cs_err err;

    make_shard(&whole, 1, 1);
    assert_int_equal(
        cs_results_write(&whole, sub(state, "whole", w, sizeof(w)), &err), 0);
    for (size_t k = 1; k <= 3; k++) { /* written by three machines */
        snprintf(name, sizeof(name), "shard%zu", k);
        make_shard(&shard, k, 3);
        assert_int_equal(
            cs_results_write(&shard, sub(state, name, d[k - 1], 256), &err), 0);
        cs_results_fini(&shard);
    }
    file_is(d[1], CS_RESULTS_INFO,
            "key,value\nsweep,feastflow-sweep\nfingerprint,9f0c1e2d3a4b5c6d\n"
            "runs,10\nshard,2/3\n");
    /* read back, given in any order */
    for (int i = 0; i < 3; i++) {
        dirs[i] = d[(i + 2) % 3];
        if (cs_results_read(&parts[i], dirs[i], &err) != 0)
            fail_msg("%s", formatted(&err));
    }
    assert_int_equal(cs_results_merge(parts, dirs, 3, &merged, &err), 0);
    assert_int_equal(merged.shard_k, 1);
    assert_int_equal(merged.shard_n, 1);
    assert_int_equal(merged.nrows, 10);
    assert_int_equal(
        cs_results_write(&merged, sub(state, "merged", m, sizeof(m)), &err), 0);
    same_files(w, m);
    for (int i = 0; i < 3; i++)
        cs_results_fini(&parts[i]);
    cs_results_fini(&merged);
    cs_results_fini(&whole);
}

/* Merge parts[0..n) named dirs; expect a refusal with message msg. */
static void merge_refused(const struct cs_results *parts,
                          const char *const *dirs, size_t n, const char *msg)
{
    struct cs_results out;
    struct cs_err err;

    cs_err_clear(&err);
    assert_int_equal(cs_results_merge(parts, dirs, n, &out, &err), CS_EINVAL);
    assert_string_equal(formatted(&err), msg);
    assert_null(out.cells);
}

static void test_merge_overlap(void **state)
{
    static const char *const dirs[] = {"out/a", "out/b"};
    struct cs_results p[2];
    const char *cell[8];
    char buf[8][32];

    (void)state;
    make_shard(&p[0], 1, 3); /* runs 1, 4, 7, 10 */
    make_shard(&p[1], 2, 2); /* runs 2, 4, 6, 8, 10 */
    merge_refused(p, dirs, 2, "run 4 is in both out/a and out/b");
    cs_results_fini(&p[1]);
    /* twice within one part */
    make_shard(&p[1], 2, 3);
    run_cells(8, cell, buf);
    assert_int_equal(cs_results_add(&p[1], 8, cell), 0);
    merge_refused(p, dirs, 2, "run 8 is twice in out/b");
    cs_results_fini(&p[0]);
    cs_results_fini(&p[1]);
}

static void test_merge_gaps(void **state)
{
    static const char *const dirs[] = {"s1", "s3"};
    static const char *const two[] = {"run", "x"};
    struct cs_results p[2];
    const char *cell[2] = {"", "1"};

    (void)state;
    make_shard(&p[0], 1, 3);
    make_shard(&p[1], 3, 3);
    merge_refused(p, dirs, 2,
                  "3 of 10 runs are missing: 2, 5, 8; merge every shard");
    cs_results_fini(&p[0]);
    cs_results_fini(&p[1]);

    /* 30 runs in 3 shards, only the first: 20 missing, 10 named */
    assert_int_equal(cs_results_init(&p[0], "s", 7, 30, 1, 3, two, 2), 0);
    for (size_t run = 1; run <= 30; run += 3)
        assert_int_equal(cs_results_add(&p[0], run, cell), 0);
    merge_refused(p, dirs, 1,
                  "20 of 30 runs are missing: 2, 3, 5, 6, 8, 9, 11, 12, 14, "
                  "15 (and 10 more); merge every shard");
    cs_results_fini(&p[0]);
}

static void test_merge_other_sweep(void **state)
{
    static const char *const dirs[] = {"a", "b"};
    const char *other[NCOLS];
    struct cs_results p[2];

    (void)state;
    memcpy(other, cols, sizeof(cols));
    other[5] = "cost";
    make_shard(&p[0], 1, 2);
    assert_int_equal(
        cs_results_init(&p[1], "feastflow-sweep", 0xff, 10, 2, 2, cols, NCOLS),
        0);
    merge_refused(p, dirs, 2,
                  "b: not the same sweep as a (fingerprint 00000000000000ff, "
                  "expected 9f0c1e2d3a4b5c6d)");
    cs_results_fini(&p[1]);
    assert_int_equal(cs_results_init(&p[1], "other", FP, 10, 2, 2, cols, NCOLS),
                     0);
    merge_refused(p, dirs, 2,
                  "b: not the same sweep as a (sweep \"other\", expected "
                  "\"feastflow-sweep\")");
    cs_results_fini(&p[1]);
    assert_int_equal(
        cs_results_init(&p[1], "feastflow-sweep", FP, 12, 2, 2, cols, NCOLS),
        0);
    merge_refused(p, dirs, 2,
                  "b: not the same sweep as a (runs 12, expected 10)");
    cs_results_fini(&p[1]);
    assert_int_equal(
        cs_results_init(&p[1], "feastflow-sweep", FP, 10, 2, 2, other, NCOLS),
        0);
    merge_refused(p, dirs, 2,
                  "b/results.csv: its columns differ from a/results.csv's "
                  "(column 6 is \"cost\", expected \"cost_usd\")");
    cs_results_fini(&p[1]);
    assert_int_equal(cs_results_init(&p[1], "feastflow-sweep", FP, 10, 2, 2,
                                     cols, NCOLS - 1),
                     0);
    merge_refused(p, dirs, 2,
                  "b/results.csv: its columns differ from a/results.csv's "
                  "(column 8 is \"\", expected \"latency_p95_ms[web]\")");
    cs_results_fini(&p[1]);
    cs_results_fini(&p[0]);
}

/* ---- read errors --------------------------------------------------------- */

static const char info_ok[] = "key,value\nsweep,s\nfingerprint,"
                              "00000000000000aa\nruns,3\nshard,1/1\n";

/* dir holding results (NULL: none) and info; reading it fails with msg,
 * where "DIR" stands for the directory. */
static void read_refused(void **state, const char *results, const char *info,
                         const char *msg)
{
    struct cs_results r;
    struct cs_err err;
    char dir[256], want[1024];
    const char *p;

    sub(state, "bad", dir, sizeof(dir));
    tu_rmdir(dir);
    if (results != NULL)
        put_file(dir, CS_RESULTS_FILE, results);
    put_file(dir, CS_RESULTS_INFO, info);
    assert_true(cs_results_read(&r, dir, &err) < 0);
    assert_null(r.cols);
    p = strstr(msg, "DIR");
    assert_non_null(p);
    snprintf(want, sizeof(want), "%.*s%s%s", (int)(p - msg), msg, dir, p + 3);
    assert_string_equal(formatted(&err), want);
}

static void test_read_errors(void **state)
{
    read_refused(state, "run,cost_usd\n1,2\nx,3\n", info_ok,
                 "DIR/results.csv:3:1: bad run number \"x\": expected a "
                 "whole number from 1 to 3");
    read_refused(state, "run,cost_usd\n4,2\n", info_ok,
                 "DIR/results.csv:2:1: bad run number \"4\": expected a "
                 "whole number from 1 to 3");
    read_refused(state, "run,cost_usd\n1,2\n2,3,4\n", info_ok,
                 "DIR/results.csv:3:1: row has 3 fields, the header has 2");
    read_refused(state, "cost_usd,run\n1,2\n", info_ok,
                 "DIR/results.csv:1:1: the first column must be \"run\", got "
                 "\"cost_usd\"");
    read_refused(state, "", info_ok,
                 "DIR/results.csv: empty file: the header row is missing");
    read_refused(state, NULL, info_ok,
                 "DIR/results.csv: cannot open: No such file or directory");
    read_refused(state, "run\n", "key,value\nsweep,s\nrun,3\n",
                 "DIR/sweep-info.csv:3:1: unknown key \"run\" (keys: sweep, "
                 "fingerprint, runs, shard)");
    read_refused(state, "run\n",
                 "key,value\nsweep,s\nfingerprint,00000000000000aa\nruns,3\n",
                 "DIR/sweep-info.csv: missing key \"shard\"");
    read_refused(state, "run\n",
                 "key,value\nsweep,s\nfingerprint,00000000000000aa\nruns,3\n"
                 "shard,3/2\n",
                 "DIR/sweep-info.csv:5:7: shard must be K/N with 1 <= K <= "
                 "N, got \"3/2\"");
    read_refused(state, "run\n",
                 "key,value\nsweep,s\nfingerprint,aa\nruns,3\nshard,1/1\n",
                 "DIR/sweep-info.csv:3:13: fingerprint must be 16 hex "
                 "digits, got \"aa\"");
    read_refused(state, "run\n",
                 "key,value\nsweep,s\nfingerprint,00000000000000aa\nruns,0\n"
                 "shard,1/1\n",
                 "DIR/sweep-info.csv:4:6: runs must be a whole number >= 1, "
                 "got \"0\"");
    read_refused(state, "run\n", "key,value\nsweep,s\nsweep,t\n",
                 "DIR/sweep-info.csv:3:1: key \"sweep\" is given twice "
                 "(first on line 2)");
    read_refused(state, "run\n", "name,value\n",
                 "DIR/sweep-info.csv:1:1: the header must be \"key,value\"");
}

/* ---- ranking ------------------------------------------------------------- */

static const char *const rcols[] = {"run", "target", "error", "cost_usd",
                                    "latency_p95_ms[web]"};

/* run, target, error, cost, latency */
static const char *const rrows[][5] = {
    {"1", "50", "", "3", "200"},  {"2", "60", "", "2", "400"},
    {"3", "70", "", "2", "250"},  {"4", "80", "boom", "1", "100"},
    {"5", "50", "", "", "150"},   {"6", "60", "", "5", ""},
    {"7", "70", "", "2", "300"},  {"8", "80", "", "n/a", "120"},
    {"9", "90", "", "1.5", "90"}, {"10", "90", "", "4", "500"},
};

static void rank_table(struct cs_results *r)
{
    assert_int_equal(cs_results_init(r, "s", 1, 10, 1, 1, rcols, 5), 0);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(cs_results_add(r, i + 1, rrows[i]), 0);
}

/* Rank r by o; the qualifying runs, comma-separated, into buf. */
static const char *ranked(const struct cs_results *r, const char *where,
                          const char *objective, int maximize, char *buf,
                          size_t n)
{
    struct cs_rank_opts o = {NULL, objective, maximize};
    struct cs_expect *e = NULL;
    struct cs_err err;
    size_t order[16], k, len = 0;

    if (where != NULL) {
        assert_int_equal(cs_expect_parse(where, "--where", 1, 1, &e, &err), 0);
        o.where = e;
    }
    if (cs_results_rank(r, &o, order, &k, &err) != 0)
        fail_msg("%s", formatted(&err));
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++)
        len += (size_t)snprintf(buf + len, n - len, "%s%zu", i ? "," : "",
                                r->run[order[i]]);
    cs_expect_destroy(e);
    return buf;
}

static void test_rank_order(void **state)
{
    struct cs_results r;
    char buf[128];

    (void)state;
    rank_table(&r);
    /* no objective: every row without an error, in run order */
    assert_string_equal(ranked(&r, NULL, NULL, 0, buf, sizeof(buf)),
                        "1,2,3,5,6,7,8,9,10");
    /* cost: 1.5 (9), 2 (2, 3, 7 by run), 3, 4, 5; 4 failed, 5 and 8 have
     * no number */
    assert_string_equal(ranked(&r, NULL, "cost_usd", 0, buf, sizeof(buf)),
                        "9,2,3,7,1,10,6");
    assert_string_equal(ranked(&r, NULL, "cost_usd", 1, buf, sizeof(buf)),
                        "6,10,1,2,3,7,9");
    assert_string_equal(
        ranked(&r, NULL, "latency_p95_ms[web]", 0, buf, sizeof(buf)),
        "9,8,5,1,3,7,2,10");
    cs_results_fini(&r);
}

static void test_rank_where(void **state)
{
    struct cs_results r;
    char buf[128];

    (void)state;
    rank_table(&r);
    assert_string_equal(ranked(&r,
                               "cost_usd <= 2 and latency_p95_ms[web] < 350",
                               "latency_p95_ms[web]", 0, buf, sizeof(buf)),
                        "9,3,7");
    /* or: run 5 (no cost) and run 8 (cost n/a) pass on latency alone */
    assert_string_equal(ranked(&r, "cost_usd < 2 or latency_p95_ms[web] < 160",
                               NULL, 0, buf, sizeof(buf)),
                        "5,8,9");
    /* ... but not when ranked by cost, which they lack */
    assert_string_equal(ranked(&r, "cost_usd < 2 or latency_p95_ms[web] < 160",
                               "cost_usd", 0, buf, sizeof(buf)),
                        "9");
    /* an undefined cell never qualifies, even under not */
    assert_string_equal(ranked(&r, "not (latency_p95_ms[web] > 200)", "target",
                               1, buf, sizeof(buf)),
                        "9,8,1,5");
    assert_string_equal(
        ranked(&r, "target == 90", "cost_usd", 1, buf, sizeof(buf)), "10,9");
    cs_results_fini(&r);
}

/* Ranking r fails with msg. */
static void rank_refused(const struct cs_results *r, const char *where,
                         const char *objective, int maximize, const char *msg)
{
    struct cs_rank_opts o = {NULL, objective, maximize};
    struct cs_expect *e = NULL;
    struct cs_err err;
    size_t order[16], k = 99;

    if (where != NULL) {
        assert_int_equal(cs_expect_parse(where, "--where", 1, 1, &e, &err), 0);
        o.where = e;
    }
    cs_err_clear(&err);
    assert_int_equal(cs_results_rank(r, &o, order, &k, &err), CS_EINVAL);
    assert_int_equal(k, 0);
    assert_string_equal(formatted(&err), msg);
    cs_expect_destroy(e);
}

static void test_rank_errors(void **state)
{
    struct cs_results r, empty;

    (void)state;
    rank_table(&r);
    rank_refused(&r, "cost_usd < 3 and max(cost_usd) < 4", NULL, 0,
                 "--where:1:18: --where takes figures of results.csv, such "
                 "as cost_usd or latency_p95_ms[web]");
    rank_refused(&r, "latency_p95_ms[web]@5m < 3", NULL, 0,
                 "--where:1:1: --where takes figures of results.csv, such as "
                 "cost_usd or latency_p95_ms[web]");
    rank_refused(&r, "costs < 3", NULL, 0,
                 "--where:1:1: unknown figure 'costs' (figures: run, target, "
                 "error, cost_usd, latency_p95_ms[web])");
    rank_refused(&r, NULL, "cost", 0, "--minimize: unknown figure 'cost'");
    rank_refused(&r, NULL, "latency_p95_ms", 1,
                 "--maximize: unknown figure 'latency_p95_ms'");
    /* refused even when no row would be evaluated */
    assert_int_equal(cs_results_init(&empty, "s", 1, 10, 1, 1, rcols, 5), 0);
    rank_refused(&empty, "latency_p95_ms[api] < 3", "cost_usd", 0,
                 "--where:1:1: unknown figure 'latency_p95_ms[api]' "
                 "(figures: run, target, error, cost_usd, "
                 "latency_p95_ms[web])");
    cs_results_fini(&empty);
    cs_results_fini(&r);
}

/* ---- Pareto front -------------------------------------------------------- */

static const char *const pcols[] = {"run", "cost_usd", "latency_p95_ms"};

/* run: (x, y) and whether it is on the front (both minimised) */
static const char *const prows[][3] = {
    {"1", "1", "5"},     /* front: cheapest */
    {"2", "2", "3"},     /* front */
    {"3", "2", "4"},     /* dominated by 2 (same x, worse y) */
    {"4", "3", "3"},     /* dominated by 2 (same y, worse x) */
    {"5", "4", "1"},     /* front */
    {"6", "4", "1"},     /* front: identical to 5, neither dominates */
    {"7", "5", "5"},     /* dominated */
    {"8", "", "0.1"},    /* undefined x */
    {"9", "0.5", "abc"}, /* undefined y */
    {"10", "6", "0.5"},  /* front: fastest */
};

static void pareto_table(struct cs_results *r)
{
    assert_int_equal(cs_results_init(r, "s", 1, 10, 1, 1, pcols, 3), 0);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(cs_results_add(r, i + 1, prows[i]), 0);
}

static void test_pareto(void **state)
{
    static const int want[] = {1, 1, 0, 0, 1, 1, 0, 0, 0, 1};
    static const size_t some[] = {6, 3, 2, 0}; /* runs 7, 4, 3, 1 */
    struct cs_results r;
    struct cs_err err;
    size_t rows[10];
    int front[10];

    (void)state;
    pareto_table(&r);
    for (size_t i = 0; i < 10; i++)
        rows[i] = 9 - i; /* any order: front[i] belongs to rows[i] */
    assert_int_equal(cs_results_pareto(&r, rows, 10, "cost_usd",
                                       "latency_p95_ms", front, &err),
                     0);
    for (size_t i = 0; i < 10; i++)
        if (front[i] != want[rows[i]])
            fail_msg("run %zu: front %d, expected %d", rows[i] + 1, front[i],
                     want[rows[i]]);
    /* a subset: without run 2, runs 3 and 4 are on the front */
    assert_int_equal(cs_results_pareto(&r, some, 4, "cost_usd",
                                       "latency_p95_ms", front, &err),
                     0);
    assert_int_equal(front[0], 0); /* 7 (5, 5) by 4 (3, 3) */
    assert_int_equal(front[1], 1); /* 4 (3, 3) */
    assert_int_equal(front[2], 1); /* 3 (2, 4) */
    assert_int_equal(front[3], 1); /* 1 (1, 5) */
    cs_err_clear(&err);
    assert_int_equal(
        cs_results_pareto(&r, rows, 10, "cost_usd", "p95", front, &err),
        CS_EINVAL);
    assert_string_equal(err.msg, "--pareto: unknown figure 'p95'");
    cs_results_fini(&r);
}

/* What pareto.gp must say (it is drawn by hand, not by the tests). */
static const char *const gp_has[] = {
    "set xlabel 'cost_usd'\n",
    "set ylabel 'latency_p95_ms'\n",
    "set title 'feastflow''s sweep'",
    "nfront = 5 ",
    "set terminal pngcairo",
    "set terminal svg",
    "set output 'pareto.' . fmt\n",
    "plot 'pareto.dat' using 1:2 with points",
    "every ::0::(nfront - 1) using 1:2 \\\n                 with linespoints",
    "using 1:2:4 with labels",
};

static void test_pareto_write(void **state)
{
    struct cs_results r;
    struct cs_err err;
    size_t rows[10];
    int front[10];
    char dir[256];
    char *gp;

    pareto_table(&r);
    for (size_t i = 0; i < 10; i++)
        rows[i] = i;
    assert_int_equal(cs_results_pareto(&r, rows, 10, "cost_usd",
                                       "latency_p95_ms", front, &err),
                     0);
    sub(state, "plot", dir, sizeof(dir));
    mkdir(dir, 0755);
    assert_int_equal(cs_results_pareto_write(&r, rows, 10, "cost_usd",
                                             "latency_p95_ms", front,
                                             "feastflow's sweep", dir, &err),
                     0);
    /* the front first, by x, then the rest by x; no undefined runs */
    file_is(dir, "pareto.dat",
            "# x: cost_usd; y: latency_p95_ms\n"
            "# x y on_front run\n"
            "1 5 1 1\n"
            "2 3 1 2\n"
            "4 1 1 5\n"
            "4 1 1 6\n"
            "6 0.5 1 10\n"
            "2 4 0 3\n"
            "3 3 0 4\n"
            "5 5 0 7\n");
    gp = slurp(dir, "pareto.gp");
    for (size_t i = 0; i < sizeof(gp_has) / sizeof(gp_has[0]); i++)
        if (strstr(gp, gp_has[i]) == NULL)
            fail_msg("pareto.gp lacks \"%s\":\n%s", gp_has[i], gp);
    free(gp);
    cs_results_fini(&r);
}

/* ---- print --------------------------------------------------------------- */

static void print_to(const struct cs_results *r, const size_t *rows, size_t n,
                     const char *const *pc, size_t nc, int md, char *buf,
                     size_t len)
{
    FILE *f = fmemopen(buf, len, "w");

    assert_non_null(f);
    cs_results_print(r, rows, n, pc, nc, md, f);
    fclose(f);
}

static void test_print(void **state)
{
    static const char *const pc[] = {"run", "policy", "cost_usd", "nope",
                                     "error"};
    static const size_t rows[] = {6, 3, 0};
    struct cs_results r;
    char buf[1024];

    (void)state;
    make_shard(&r, 1, 1);
    print_to(&r, rows, 3, pc, 5, 1, buf, sizeof(buf));
    assert_string_equal(
        buf, "| run | policy | cost_usd | nope | error |\n"
             "|---|---|---|---|---|\n"
             "| 7 | fast, \"hot\" | 13.25 |  |  |\n"
             "| 4 | default |  |  | scenario.yaml:3:1: bad, \"value\" |\n"
             "| 1 | default | 19.25 |  |  |\n");
    print_to(&r, rows, 3, pc, 5, 0, buf, sizeof(buf));
    assert_string_equal(buf, "run,policy,cost_usd,nope,error\n"
                             "7,\"fast, \"\"hot\"\"\",13.25,,\n"
                             "4,default,,,\"scenario.yaml:3:1: bad, "
                             "\"\"value\"\"\"\n"
                             "1,default,19.25,,\n");
    /* a '|' in a cell does not end it */
    free(r.cells[3]);
    r.cells[3] = strdup("a|b");
    print_to(&r, rows + 2, 1, pc, 2, 1, buf, sizeof(buf));
    assert_string_equal(buf, "| run | policy |\n|---|---|\n| 1 | a\\|b |\n");
    cs_results_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_read_round_trip, setup,
                                        teardown),
        cmocka_unit_test(test_sort),
        cmocka_unit_test_setup_teardown(test_merge_equals_whole, setup,
                                        teardown),
        cmocka_unit_test(test_merge_overlap),
        cmocka_unit_test(test_merge_gaps),
        cmocka_unit_test(test_merge_other_sweep),
        cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
        cmocka_unit_test(test_rank_order),
        cmocka_unit_test(test_rank_where),
        cmocka_unit_test(test_rank_errors),
        cmocka_unit_test(test_pareto),
        cmocka_unit_test_setup_teardown(test_pareto_write, setup, teardown),
        cmocka_unit_test(test_print),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
