/*
 * test_expect.c - the assertion language of `capsim check`: parsing with
 * located errors, and evaluation against small hand-made run directories
 * whose right answers were computed by hand (see the comments next to each
 * expected value).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/expect.h"

/* ---- the run directory --------------------------------------------------- */

/* Two workloads sampled every minute from 0 to 5 min.
 * web latency: 100, "", 300, 250, 200, 150 (defined: 5 values);
 * backend latency: 500 .. 1000 in steps of 100. */
static const char timeline_csv[] =
    "time_s,workload,rps,replicas,ready_replicas,desired_replicas,"
    "pending_pods,cpu_utilization_pct,memory_utilization_pct,"
    "latency_p95_ms,dropped_rps,demand_replicas\n"
    "0,web,10,1,1,1,0,50,30,100,0,1\n"
    "0,backend,5,2,2,2,0,40,20,500,0,2\n"
    "60,web,20,2,1,2,1,90,30,,5,2\n"
    "60,backend,5,2,2,2,0,42,20,600,0,2\n"
    "120,web,30,2,2,2,0,70,35,300,0,2\n"
    "120,backend,5,2,2,2,0,44,20,700,0,2\n"
    "180,web,40,3,2,3,1,85,40,250,0,3\n"
    "180,backend,5,2,2,2,0,46,20,800,0,2\n"
    "240,web,50,4,3,4,1,75,40,200,0,4\n"
    "240,backend,5,2,2,2,0,48,20,900,0,2\n"
    "300,web,60,4,4,4,0,60,45,150,0,4\n"
    "300,backend,5,2,2,2,0,50,20,1000,0,2\n";

/* Starts at 1 min, so an '@' before that has no sample. */
static const char nodes_csv[] =
    "time_s,pool,nodes,nodes_ready,cpu_requested_pct,memory_requested_pct,"
    "cost_usd_total\n"
    "60,cpu,2,2,50,40,0.1\n"
    "60,gpu,1,1,80,70,0.5\n"
    "120,cpu,3,2,60,50,0.3\n"
    "120,gpu,2,2,85,75,1.5\n"
    "180,cpu,3,3,55,45,0.5\n"
    "180,gpu,4,3,90,80,2.5\n";

/* The (all) row deliberately disagrees with the per-workload rows
 * (peak 7, time_to_capacity 500) so aggregates that wrongly include it
 * give a different answer. */
static const char summary_csv[] =
    "workload,peak_replicas,replica_hours,dropped_requests,latency_p95_ms,"
    "pending_p95_s,time_to_capacity_s,cost_usd,scale_ups,flaps\n"
    "web,4,0.3,300,295,60,120,3.5,3,1\n"
    "backend,2,0.2,0,975,0,,1.5,0,0\n"
    "(all),7,0.5,300,900,60,500,5,3,1\n";

static const char events_csv[] =
    "time_s,kind,object,reason,message\n"
    "60,HorizontalPodAutoscaler,web,SuccessfulRescale,\"New size: 2; "
    "reason: cpu resource utilization (percentage of request) above "
    "target\"\n"
    "120,Deployment,web,ScalingReplicaSet,Scaled up replica set web to 2 "
    "from 1\n"
    "180,HorizontalPodAutoscaler,web,SuccessfulRescale,\"New size: 3, "
    "with a comma\"\n"
    "240,HorizontalPodAutoscaler,web,SuccessfulRescale,New size: 4\n";

static const char *const run_files[] = {"timeline.csv", "nodes.csv",
                                        "summary.csv", "events.csv"};

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void remove_run(const char *dir)
{
    char path[512];

    for (size_t i = 0; i < sizeof(run_files) / sizeof(run_files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, run_files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static int setup(void **state)
{
    char *dir = strdup("/tmp/capsim-expect-XXXXXX");

    if (dir == NULL || mkdtemp(dir) == NULL)
        return -1;
    write_file(dir, "timeline.csv", timeline_csv);
    write_file(dir, "nodes.csv", nodes_csv);
    write_file(dir, "summary.csv", summary_csv);
    write_file(dir, "events.csv", events_csv);
    *state = dir;
    return 0;
}

static int teardown(void **state)
{
    remove_run(*state);
    free(*state);
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static struct cs_expect *parse_ok(const char *text)
{
    struct cs_expect *e = NULL;
    struct cs_err err;
    char buf[1024];

    cs_err_clear(&err);
    if (cs_expect_parse(text, "expect.yaml", 12, 9, &e, &err) != 0) {
        cs_err_format(&err, buf, sizeof(buf));
        fail_msg("parse of \"%s\" failed: %s", text, buf);
    }
    assert_non_null(e);
    assert_string_equal(cs_expect_text(e), text);
    return e;
}

struct case_ {
    const char *text;
    int outcome;
    const char *actual; /* NULL: not checked */
};

/* Evaluate all cases in ONE call (one pass over the files) and compare. */
static void run_cases(const char *dir, const struct case_ *c, size_t n)
{
    struct cs_expect **e = calloc(n, sizeof(*e));
    struct cs_expect_result *r = calloc(n, sizeof(*r));
    struct cs_err err;
    char buf[1024];
    int rc;

    assert_non_null(e);
    assert_non_null(r);
    for (size_t i = 0; i < n; i++)
        e[i] = parse_ok(c[i].text);
    rc = cs_expect_eval_dir(e, n, dir, r, &err);
    if (rc != 0) {
        cs_err_format(&err, buf, sizeof(buf));
        fail_msg("eval failed: %s", buf);
    }
    for (size_t i = 0; i < n; i++) {
        cs_err_format(&r[i].err, buf, sizeof(buf));
        if (r[i].outcome != c[i].outcome)
            fail_msg("%s: outcome %d, want %d (actual \"%s\", err \"%s\")",
                     c[i].text, r[i].outcome, c[i].outcome, r[i].actual, buf);
        if (c[i].actual != NULL && strcmp(r[i].actual, c[i].actual) != 0)
            fail_msg("%s:\n  actual \"%s\"\n  want   \"%s\"", c[i].text,
                     r[i].actual, c[i].actual);
    }
    for (size_t i = 0; i < n; i++)
        cs_expect_destroy(e[i]);
    free(e);
    free(r);
}

#define RUN(dir, cases) run_cases(dir, cases, sizeof(cases) / sizeof(cases[0]))

enum { P = CS_EXPECT_PASS, F = CS_EXPECT_FAIL, E = CS_EXPECT_ERROR };

/* ---- evaluation ---------------------------------------------------------- */

static void test_aggregates(void **state)
{
    static const struct case_ cases[] = {
        /* backend latency sorted: 500..1000, n = 6; GSL quantile at
         * (n-1)q: p50 2.5 -> 750, p90 4.5 -> 950, p95 4.75 -> 975,
         * p99 4.95 -> 995 */
        {"p95(latency_p95_ms, workload=backend) < 2000", P,
         "p95(latency_p95_ms, workload=backend) = 975"},
        {"p95(latency_p95_ms, workload=backend) == 975", P, NULL},
        {"p50(latency_p95_ms, workload=backend) == 750", P, NULL},
        {"p90(latency_p95_ms, workload=backend) == 950", P, NULL},
        {"p99(latency_p95_ms, workload=backend) == 995", P, NULL},
        /* web latency, the empty cell skipped: 100 300 250 200 150;
         * sorted 100 150 200 250 300: p90 at 3.6 -> 280, p95 3.8 -> 290 */
        {"max(latency_p95_ms, workload=web) == 300", P, NULL},
        {"min(latency_p95_ms, workload=web) == 100", P, NULL},
        {"mean(latency_p95_ms, workload=web) == 200", P, NULL},
        {"sum(latency_p95_ms, workload=web) == 1000", P, NULL},
        {"count(latency_p95_ms, workload=web) == 5", P, NULL},
        {"first(latency_p95_ms, workload=web) == 100", P, NULL},
        {"last(latency_p95_ms, workload=web) == 150", P, NULL},
        {"p50(latency_p95_ms, workload=web) == 200", P, NULL},
        {"p90(latency_p95_ms, workload=web) == 280", P, NULL},
        {"p95(latency_p95_ms, workload=web) == 290", P, NULL},
        {"p99(latency_p95_ms, workload=web) == 298", P, NULL},
        /* over both workloads */
        {"max(pending_pods) == 0", F, "max(pending_pods) = 1"},
        {"max(pending_pods, workload=backend) == 0", P, NULL},
        {"max(replicas) <= 10", P, "max(replicas) = 4"},
        {"sum(replicas) == 16 + 12", P, NULL},
        {"count(replicas) == 12", P, NULL},
        {"min(ready_replicas) == 1", P, NULL},
        /* nodes.csv */
        {"sum(nodes, pool=gpu) / count(nodes, pool=gpu) < 3", P,
         "sum(nodes, pool=gpu) / count(nodes, pool=gpu) = 2.33333"},
        {"max(cost_usd_total) == 2.5", P, NULL},
        /* nodes.csv's cost column has another name: this is summary.csv's
         * per-workload cost_usd */
        {"max(cost_usd) == 3.5", P, NULL},
        /* summary columns that no time series has: per-workload rows */
        {"max(time_to_capacity_s) < 180", P, "max(time_to_capacity_s) = 120"},
        {"count(time_to_capacity_s) == 1", P, NULL},
        {"sum(peak_replicas) == 6", P, NULL},
        {"max(scale_ups, workload=backend) == 0", P, NULL},
        /* events.csv */
        {"count(events, reason=SuccessfulRescale) == 3", P, NULL},
        {"count(events) == 4", P, NULL},
        {"count(events, kind=Deployment, object=web) == 1", P, NULL},
        {"count(events, reason=\"SuccessfulRescale\", from=2m) == 2", P, NULL},
        {"count(events, reason=NoSuchReason) == 0", P,
         "count(events, reason=NoSuchReason) = 0"},
    };

    RUN(*state, cases);
}

static void test_windows_and_at(void **state)
{
    static const struct case_ cases[] = {
        /* web cpu at 60..240 s: 90 70 85 75 -> mean 80 */
        {"mean(cpu_utilization_pct, workload=web, from=1m, to=4m) <= 80", P,
         "mean(cpu_utilization_pct, workload=web, from=1m, to=4m) = 80"},
        {"mean(cpu_utilization_pct, workload=web, from=1m, to=4m) < 80", F,
         NULL},
        {"mean(cpu_utilization_pct, workload=web, from=5m, to=10m) <= 80 and "
         "max(replicas) <= 10",
         P,
         "mean(cpu_utilization_pct, workload=web, from=5m, to=10m) = 60; "
         "max(replicas) = 4"},
        {"max(rps, from=241s) == 60", P, NULL},
        {"min(rps, to=59) == 5", P, NULL},
        {"first(rps, workload=web, from=90s) == 30", P, NULL},
        /* '@': exact sample, between samples, before the first one */
        {"replicas[web]@3m == 3", P, "replicas[web]@3m = 3"},
        {"replicas[web]@150s == 2", P,
         "replicas[web]@150s = 2 (sample at 2m0s)"},
        {"replicas[web]@1h == 4", P, "replicas[web]@1h = 4 (sample at 5m0s)"},
        {"replicas[backend] @ 0 == 2", P, NULL},
        {"at(replicas, 4m, workload=web) == 4", P,
         "at(replicas, 4m, workload=web) = 4"},
        {"nodes[gpu]@2m == 2", P, NULL},
        {"nodes[gpu]@30s == 1", F,
         "nodes[gpu]@30s = undefined (no sample at or before 30s)"},
        {"latency_p95_ms[web]@90s > 0", F,
         "latency_p95_ms[web]@90s = undefined (empty cell at time_s=60)"},
        /* bare names: summary.csv, the (all) row or a workload's row */
        {"cost_usd < 12.5", P, "cost_usd = 5"},
        {"latency_p95_ms < 2000", P, "latency_p95_ms = 900"},
        {"dropped_requests[backend] == 0", P, "dropped_requests[backend] = 0"},
        {"dropped_requests[web] == 300", P, NULL},
        {"time_to_capacity_s[backend] < 1", F,
         "time_to_capacity_s[backend] = undefined (empty cell in "
         "summary.csv)"},
        {"dropped_requests[\"bakend\"] == 0", F,
         "dropped_requests[\"bakend\"] = undefined (no summary row for "
         "workload=bakend)"},
    };

    RUN(*state, cases);
}

/* Arithmetic, logic, undefined, tolerance and literals. */
static void test_operators(void **state)
{
    static const struct case_ cases[] = {
        {"2 + 3 * 4 == 14", P, "2 + 3 * 4 = 14"},
        {"(2 + 3) * 4 == 20", P, NULL},
        {"10 - 4 - 3 == 3", P, NULL},
        {"12 / 3 / 2 == 2", P, NULL},
        {"-2 * -3 == 6", P, NULL},
        {"- max(replicas) == -4", P, NULL},
        {"2 * max(replicas) + 1 == 9", P, NULL},
        /* and/or/not and their precedence */
        {"not (min(ready_replicas) < 2) or "
         "count(events, reason=SuccessfulRescale) >= 1",
         P,
         "min(ready_replicas) = 1; count(events, "
         "reason=SuccessfulRescale) = 3"},
        {"1 < 2 or 1 > 2 and 1 > 2", P, NULL}, /* or binds last */
        {"not 1 > 2 and 1 > 2", F, NULL},      /* (not 1 > 2) and 1 > 2 */
        {"not not 1 < 2", P, NULL},
        {"1 < 2 and 2 < 1", F, NULL},
        {"1 >= 1 and 1 <= 1 and 2 > 1 and 1 != 2", P, NULL},
        /* undefined: a comparison with it is false, and stays so under not */
        {"max(latency_p95_ms, workload=bakend) < 2000", F,
         "max(latency_p95_ms, workload=bakend) = undefined (no rows match "
         "workload=bakend)"},
        {"not (max(latency_p95_ms, workload=bakend) > 2000)", F, NULL},
        {"not not (max(latency_p95_ms, workload=bakend) > 2000)", F, NULL},
        {"not (max(latency_p95_ms, workload=bakend) > 2000 and 1 > 2)", P,
         NULL}, /* unknown and false is false */
        {"not (max(latency_p95_ms, workload=bakend) > 2000 or 1 < 2)", F,
         NULL}, /* unknown or true is true */
        {"max(latency_p95_ms, workload=bakend) > 2000 or 1 < 2", P, NULL},
        {"max(latency_p95_ms, workload=bakend) > 2000 and 1 > 2", F, NULL},
        {"max(rps, workload=web, from=10m) >= 0", F,
         "max(rps, workload=web, from=10m) = undefined (no rows match "
         "workload=web, from=10m)"},
        {"1 / 0 > 0", F, "1 / 0 = undefined (division by zero)"},
        {"max(replicas) < max(rps, workload=nope) + 1", F,
         "max(replicas) = 4; max(rps, workload=nope) + 1 = undefined (no "
         "rows match workload=nope)"},
        /* == within 1e-9 relative */
        {"0.1 + 0.2 == 0.3", P, NULL},
        {"0.1 + 0.2 != 0.3", F, NULL},
        {"0.1 + 0.2 <= 0.3 and 0.3 >= 0.1 + 0.2", P, NULL},
        {"1e9 + 0.5 == 1e9", P, NULL},
        {"1e9 + 2 == 1e9", F, NULL},
        {"1 == 1.000001", F, NULL},
        /* literals */
        {"5m == 300 and 500ms == 0.5 and 1h30m == 5400 and 90s == 1.5 * 60", P,
         NULL},
        {"80% == 80 and 1e3 == 1000 and .5 == 0.5", P, NULL},
        {"max(cpu_utilization_pct) <= 90%", P, "max(cpu_utilization_pct) = 90"},
    };

    RUN(*state, cases);
}

/* A larger timeline: the quantile array grows past its first allocation. */
static void test_many_rows(void **state)
{
    char *dir = strdup("/tmp/capsim-expect-XXXXXX");
    char *csv = malloc(64 * 1024);
    size_t len = 0;
    static const struct case_ cases[] = {
        /* rps = 1..1000: p95 at 999 * 0.95 = 949.05 -> 950.05 */
        {"p95(rps) == 950.05", P, "p95(rps) = 950.05"},
        {"p50(rps) == 500.5", P, NULL},
        {"mean(rps) == 500.5 and sum(rps) == 500500", P, NULL},
        {"rps@999 == 1000 and rps@998.5 == 999", P, NULL},
    };

    (void)state;
    assert_non_null(mkdtemp(dir));
    len += (size_t)snprintf(csv, 64, "time_s,workload,rps\n");
    for (int i = 1; i <= 1000; i++)
        len +=
            (size_t)snprintf(csv + len, 64 * 1024 - len, "%d,w,%d\n", i - 1, i);
    write_file(dir, "timeline.csv", csv);
    write_file(dir, "summary.csv", "workload,cost_usd\n(all),1\n");
    RUN(dir, cases);
    remove_run(dir);
    free(csv);
    free(dir);
}

/* ---- evaluation errors --------------------------------------------------- */

struct bad {
    const char *text;
    const char *msg; /* located message */
};

static void run_errors(const char *dir, const struct bad *c, size_t n)
{
    struct cs_expect **e = calloc(n + 1, sizeof(*e));
    struct cs_expect_result *r = calloc(n + 1, sizeof(*r));
    struct cs_err err;
    char buf[1024];

    assert_non_null(e);
    assert_non_null(r);
    for (size_t i = 0; i < n; i++)
        e[i] = parse_ok(c[i].text);
    e[n] = parse_ok("max(replicas) == 4"); /* others still evaluate */
    assert_int_equal(cs_expect_eval_dir(e, n + 1, dir, r, &err), 0);
    for (size_t i = 0; i < n; i++) {
        if (r[i].outcome != CS_EXPECT_ERROR)
            fail_msg("%s: outcome %d, want ERROR", c[i].text, r[i].outcome);
        cs_err_format(&r[i].err, buf, sizeof(buf));
        if (strcmp(buf, c[i].msg) != 0)
            fail_msg("%s:\n  got  \"%s\"\n  want \"%s\"", c[i].text, buf,
                     c[i].msg);
        assert_string_equal(r[i].actual, "");
    }
    assert_int_equal(r[n].outcome, CS_EXPECT_PASS);
    for (size_t i = 0; i <= n; i++)
        cs_expect_destroy(e[i]);
    free(e);
    free(r);
}

static void test_eval_errors(void **state)
{
    static const struct bad cases[] = {
        {"max(replica) < 3",
         "expect.yaml:12:13: unknown column 'replica'; did you mean "
         "'replicas'? (timeline.csv: time_s, rps, replicas, ready_replicas, "
         "desired_replicas, pending_pods, cpu_utilization_pct, "
         "memory_utilization_pct, latency_p95_ms, dropped_rps, "
         "demand_replicas; nodes.csv: time_s, nodes, nodes_ready, "
         "cpu_requested_pct, memory_requested_pct, cost_usd_total; "
         "summary.csv: "
         "peak_replicas, replica_hours, dropped_requests, latency_p95_ms, "
         "pending_p95_s, time_to_capacity_s, cost_usd, scale_ups, flaps)"},
        {"replicas@8m == 4",
         "expect.yaml:12:9: 'replicas@8m' is ambiguous: timeline.csv has "
         "several workloads (web, backend); name one, e.g. "
         "replicas[web]@8m"},
        {"at(replicas, 8m) == 4",
         "expect.yaml:12:9: 'at(replicas, 8m)' is ambiguous: timeline.csv "
         "has several workloads (web, backend); name one, e.g. "
         "at(replicas, 8m, workload=web)"},
        {"1 < 2 and nodes@2m > 1",
         "expect.yaml:12:19: 'nodes@2m' is ambiguous: nodes.csv has several "
         "pools (cpu, gpu); name one, e.g. nodes[cpu]@2m"},
        {"replicas < 3",
         "expect.yaml:12:9: 'replicas' is a timeline.csv column, not a "
         "summary figure: use an aggregate such as max(replicas) or a time "
         "such as replicas@8m"},
        {"replicas[web] < 3",
         "expect.yaml:12:9: 'replicas' is a timeline.csv column, not a "
         "summary figure: use an aggregate such as max(replicas) or a time "
         "such as replicas[web]@8m"},
        {"cost_uds < 3",
         "expect.yaml:12:9: unknown summary figure 'cost_uds'; did you mean "
         "'cost_usd'? (summary.csv: peak_replicas, replica_hours, "
         "dropped_requests, latency_p95_ms, pending_p95_s, "
         "time_to_capacity_s, cost_usd, scale_ups, flaps)"},
        {"max(workload) > 1",
         "expect.yaml:12:13: 'workload' holds names, not numbers; filter on "
         "it instead, e.g. workload=web"},
        {"max(replicas, pool=gpu) > 1",
         "expect.yaml:12:23: timeline.csv has no column 'pool' to filter on"},
        {"count(events, workload=web) > 1",
         "expect.yaml:12:23: events.csv has no column 'workload' to filter "
         "on"},
        {"scale_ups@2m > 1",
         "expect.yaml:12:9: 'scale_ups' is a summary.csv figure, not a time "
         "series: it has no value at a time"},
        {"max(scale_ups, from=1m) > 1",
         "expect.yaml:12:24: 'scale_ups' is a summary.csv figure, not a time "
         "series: from= and to= do not apply"},
        {"max(replicas) > 1 and min(xyzzy) < 3",
         "expect.yaml:12:35: unknown column 'xyzzy' (timeline.csv: time_s, "
         "rps, replicas, ready_replicas, desired_replicas, pending_pods, "
         "cpu_utilization_pct, memory_utilization_pct, latency_p95_ms, "
         "dropped_rps, demand_replicas; nodes.csv: time_s, nodes, "
         "nodes_ready, cpu_requested_pct, memory_requested_pct, "
         "cost_usd_total; "
         "summary.csv: peak_replicas, replica_hours, dropped_requests, "
         "latency_p95_ms, pending_p95_s, time_to_capacity_s, cost_usd, "
         "scale_ups, flaps)"},
    };

    run_errors(*state, cases, sizeof(cases) / sizeof(cases[0]));
}

/* nodes.csv may be absent; a column only it has is then unknown. */
static void test_no_nodes_file(void **state)
{
    char *dir = strdup("/tmp/capsim-expect-XXXXXX");
    static const struct bad cases[] = {
        {"max(nodes_ready) > 1",
         "expect.yaml:12:13: unknown column 'nodes_ready' (timeline.csv: "
         "time_s, rps, replicas, ready_replicas; summary.csv: cost_usd)"},
    };

    (void)state;
    assert_non_null(mkdtemp(dir));
    write_file(dir, "timeline.csv",
               "time_s,workload,rps,replicas,ready_replicas\n0,w,1,4,1\n");
    write_file(dir, "summary.csv", "workload,cost_usd\n(all),1\n");
    run_errors(dir, cases, 1);
    remove_run(dir);
    free(dir);
}

/* A summary.csv without a workload column: aggregates take every row,
 * bare names cannot find the (all) row. */
static void test_summary_without_workload(void **state)
{
    char *dir = strdup("/tmp/capsim-expect-XXXXXX");
    static const struct case_ cases[] = {
        {"max(cost_usd) == 3 and count(cost_usd) == 2", P, NULL},
    };
    static const struct bad errors[] = {
        {"cost_usd > 1",
         "expect.yaml:12:9: summary.csv has no workload column"},
    };

    (void)state;
    assert_non_null(mkdtemp(dir));
    write_file(dir, "timeline.csv", "time_s,rps,replicas\n0,1,4\n");
    write_file(dir, "summary.csv", "cost_usd\n1\n3\n");
    RUN(dir, cases);
    run_errors(dir, errors, 1);
    remove_run(dir);
    free(dir);
}

/* A file that cannot be read or is malformed fails the whole evaluation
 * with FILE:LINE:COL. */
static void expect_file_error(const char *file, const char *text,
                              const char *assertion, int code, const char *msg)
{
    char *dir = strdup("/tmp/capsim-expect-XXXXXX");
    struct cs_expect *e;
    struct cs_expect_result r;
    struct cs_err err;
    char buf[1024], want[1024];

    assert_non_null(mkdtemp(dir));
    write_file(dir, "timeline.csv", timeline_csv);
    write_file(dir, "summary.csv", summary_csv);
    if (text != NULL)
        write_file(dir, file, text);
    e = parse_ok(assertion);
    assert_int_equal(cs_expect_eval_dir(&e, 1, dir, &r, &err), code);
    cs_err_format(&err, buf, sizeof(buf));
    snprintf(want, sizeof(want), "%s%s", dir, msg);
    assert_string_equal(buf, want);
    cs_expect_destroy(e);
    remove_run(dir);
    free(dir);
}

static void test_malformed_files(void **state)
{
    (void)state;
    expect_file_error("timeline.csv",
                      "time_s,workload,replicas\n0,web,1\n60,web,2\"x\n",
                      "max(replicas) > 0", CS_EPARSE,
                      "/timeline.csv:3:9: malformed CSV: a quote inside an "
                      "unquoted field, or text after a closing quote");
    expect_file_error("timeline.csv",
                      "time_s,workload,replicas\n0,web,1\n60,web,abc\n",
                      "max(replicas) > 0", CS_EPARSE,
                      "/timeline.csv:3:8: bad number \"abc\" in column "
                      "'replicas'");
    expect_file_error("timeline.csv", "time_s,workload,replicas\n0,web\n",
                      "max(replicas) > 0", CS_EPARSE,
                      "/timeline.csv:2:1: row has 2 fields, the header "
                      "has 3");
    expect_file_error("events.csv",
                      "time_s,kind,object,reason,message\n"
                      "1,a,b,c,\"never closed\n",
                      "count(events) > 0", CS_EPARSE,
                      "/events.csv:2:1: malformed CSV: a quoted field in "
                      "this row is never closed");
    expect_file_error("events.csv", NULL, "count(events) > 0", CS_EIO,
                      "/events.csv: cannot open: No such file or "
                      "directory");
    expect_file_error("summary.csv", "", "cost_usd > 0", CS_EPARSE,
                      "/summary.csv: empty file: the header row is "
                      "missing");
}

/* ---- parse errors -------------------------------------------------------- */

static const struct bad parse_errors[] = {
    {"p96(latency_p95_ms) < 3",
     "expect.yaml:12:9: unknown function 'p96' (known: max, min, mean, sum, "
     "count, first, last, p50, p90, p95, p99, at)"},
    {"max(replicas < 3",
     "expect.yaml:12:22: expected ')' after the arguments of 'max'"},
    {"max(replicas)", "expect.yaml:12:9: a comparison is needed here, e.g. "
                      "'max(replicas) <= 10'"},
    {"max(replicas) 10",
     "expect.yaml:12:23: expected a comparison (< <= > >= == !=) after "
     "'max(replicas)', got '10'"},
    {"replicas[web]@5x == 1",
     "expect.yaml:12:23: bad duration '5x' (e.g. 500ms, 90s, 5m, 1h30m)"},
    {"max(replicas, wl=web) < 3",
     "expect.yaml:12:23: unknown filter 'wl' (known: workload, pool, kind, "
     "object, reason, from, to)"},
    {"max(replicas, pending_pods) < 3",
     "expect.yaml:12:23: expected a filter such as workload=web, got "
     "'pending_pods'"},
    {"max() < 3",
     "expect.yaml:12:13: 'max' needs a column, e.g. 'max(replicas)'"},
    {"at(replicas) == 1",
     "expect.yaml:12:20: 'at' needs a column and a time, e.g. "
     "'at(replicas, 8m)'"},
    {"at(replicas, 80%) == 1",
     "expect.yaml:12:22: expected a time as the second argument of 'at', "
     "e.g. 'at(replicas, 8m)'"},
    {"max(events) > 1", "expect.yaml:12:13: only count() takes 'events', e.g. "
                        "'count(events, reason=SuccessfulRescale)'"},
    {"max(replicas, workload=a, workload=b) < 3",
     "expect.yaml:12:35: filter 'workload' is given twice"},
    {"1 < 2 < 3",
     "expect.yaml:12:15: comparisons cannot be chained; join them with "
     "'and', e.g. 'a < b and b < c'"},
    {"max(replicas) = 3",
     "expect.yaml:12:23: '=' is not a comparison; use '=='"},
    {"1 < 2 && 2 < 3", "expect.yaml:12:15: use 'and' instead of '&&'"},
    {"1 < 2 || 2 < 3", "expect.yaml:12:15: use 'or' instead of '||'"},
    {"!(1 < 2)", "expect.yaml:12:9: use 'not' (or '!=') instead of '!'"},
    {"max(replicas) < $", "expect.yaml:12:25: unexpected character '$'"},
    {"max(replicas) < 3 \xc3\xa9", "expect.yaml:12:27: unexpected byte 0xc3"},
    {"count(events, reason=\"abc) > 1",
     "expect.yaml:12:30: unterminated string: a closing '\"' is missing"},
    {"\"web\" == 1",
     "expect.yaml:12:9: a quoted string can only be a filter value, e.g. "
     "workload=\"web\""},
    {"max(replicas) <",
     "expect.yaml:12:24: expected a number, a column or a function, got the "
     "end of the assertion"},
    {"1 < 2 and",
     "expect.yaml:12:18: expected a number, a column or a function, got the "
     "end of the assertion"},
    {"replicas[web]@ == 1",
     "expect.yaml:12:24: expected a time after '@', e.g. 'replicas@8m'"},
    {"mean(cpu_utilization_pct, from=abc) < 3",
     "expect.yaml:12:40: from= needs a time, e.g. from=5m"},
    {"(max(replicas) < 3",
     "expect.yaml:12:27: expected ')' to close the '(' at column 9"},
    {"not max(replicas)",
     "expect.yaml:12:13: a comparison is needed here, e.g. "
     "'max(replicas) <= 10'"},
    {"max(replicas) < 3 and max(replicas)",
     "expect.yaml:12:31: a comparison is needed here, e.g. "
     "'max(replicas) <= 10'"},
    {"(1 < 2) + 1 > 0",
     "expect.yaml:12:9: a number is needed here, not a comparison"},
    {"at(replicas, 8m, from=1m) == 1",
     "expect.yaml:12:26: at() takes no from= or to=; its second argument is "
     "the time"},
    {"replicas[] @ 1m == 1",
     "expect.yaml:12:18: expected a workload or pool name inside '[ ]'"},
    {"replicas[web@1m == 1", "expect.yaml:12:21: expected ']' after 'web'"},
    {"max(replicas, workload=) < 1",
     "expect.yaml:12:32: expected a value after 'workload=', e.g. "
     "workload=web"},
    {"max(replicas, workload==web) < 1",
     "expect.yaml:12:31: a filter takes one '=', e.g. workload=web"},
    {"", "expect.yaml:12:9: empty assertion; write e.g. "
         "'max(replicas) <= 10'"},
    {"   ", "expect.yaml:12:9: empty assertion; write e.g. "
            "'max(replicas) <= 10'"},
    {"1e999 > 1", "expect.yaml:12:9: number out of range '1e999'"},
    {"max < 3", "expect.yaml:12:9: 'max' is a function: write "
                "max(COLUMN, ...)"},
    {"max(1) < 2",
     "expect.yaml:12:13: expected a column name as the first argument of "
     "'max'"},
    {"max(replicas) <= 10 5",
     "expect.yaml:12:29: expected 'and', 'or' or the end of the assertion, "
     "got '5'"},
    /* a multi-line text: the token is on the next line */
    {"max(replicas) < 3\n  and p96(x) > 1",
     "expect.yaml:13:7: unknown function 'p96' (known: max, min, mean, sum, "
     "count, first, last, p50, p90, p95, p99, at)"},
};

static void test_parse_errors(void **state)
{
    size_t n = sizeof(parse_errors) / sizeof(parse_errors[0]);

    (void)state;
    for (size_t i = 0; i < n; i++) {
        struct cs_expect *e = (struct cs_expect *)&e; /* must become NULL */
        struct cs_err err;
        char buf[1024];
        int rc;

        cs_err_clear(&err);
        rc = cs_expect_parse(parse_errors[i].text, "expect.yaml", 12, 9, &e,
                             &err);
        if (rc != CS_EPARSE)
            fail_msg("\"%s\": rc %d, want CS_EPARSE", parse_errors[i].text, rc);
        assert_null(e);
        cs_err_format(&err, buf, sizeof(buf));
        if (strcmp(buf, parse_errors[i].msg) != 0)
            fail_msg("\"%s\":\n  got  \"%s\"\n  want \"%s\"",
                     parse_errors[i].text, buf, parse_errors[i].msg);
    }
}

static void test_command_line_location(void **state)
{
    struct cs_expect *e = NULL;
    struct cs_err err;
    char buf[512];

    (void)state;
    assert_int_equal(cs_expect_parse("max(replicas) <= p96(x)",
                                     "<command line>", 1, 1, &e, &err),
                     CS_EPARSE);
    cs_err_format(&err, buf, sizeof(buf));
    assert_string_equal(buf, "<command line>:1:18: unknown function 'p96' "
                             "(known: max, min, mean, sum, count, first, "
                             "last, p50, p90, p95, p99, at)");
    assert_null(e);
}

static void test_parse_accepts(void **state)
{
    static const char *const ok[] = {
        "p95(latency_p95_ms, workload=backend) < 2000",
        "max(pending_pods) == 0",
        "replicas@8m == 4",
        "replicas[backend]@8m == 4",
        "cost_usd < 12.5",
        "dropped_requests[backend] == 0",
        "max(time_to_capacity_s) < 180",
        "mean(cpu_utilization_pct, workload=web, from=5m, to=10m) <= 80 and "
        "max(replicas) <= 10",
        "not (min(ready_replicas) < 2) or "
        "count(events, reason=SuccessfulRescale) >= 1",
        "sum(nodes, pool=gpu) / count(nodes, pool=gpu) < 3",
        "max(replicas, workload=web-v2.prod/x:y) >= 1",
        "max(replicas, workload=\"name with \\\"quotes\\\"\") >= 1",
        "at(replicas, 1h30m, workload=web) == 1",
        "1µs < 1",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        cs_expect_destroy(parse_ok(ok[i]));
    cs_expect_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_aggregates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_windows_and_at, setup, teardown),
        cmocka_unit_test_setup_teardown(test_operators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_errors, setup, teardown),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_no_nodes_file),
        cmocka_unit_test(test_summary_without_workload),
        cmocka_unit_test(test_malformed_files),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_command_line_location),
        cmocka_unit_test(test_parse_accepts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
