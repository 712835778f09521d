/*
 * test_plot.c - plot.gp from a hand-made run directory, and running
 * gnuplot: which workloads get figures, the HPA target and SLO lines
 * exactly when summary.csv knows them, the node panel exactly when
 * nodes.csv exists, the VPA panel exactly when a VPA target has values
 * (with the lines of the resources it controls and the OOM kills), names that
 * are odd for gnuplot or for file names, missing columns, and the errors a user
 * meets (no run directory, no timeline.csv, an unknown workload, a malformed
 * file). gnuplot itself is replaced by small scripts through CAPSIM_GNUPLOT.
 *
 * Every directory has a space in its name, as a user's might.
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

#include <cmocka.h>

#include "core/err.h"
#include "io/plot.h"

static const char timeline[] =
    "time_s,workload,rps,replicas,ready_replicas,desired_replicas,"
    "pending_pods,cpu_utilization_pct,memory_utilization_pct,"
    "latency_p95_ms,dropped_rps,demand_replicas\n"
    "0,api,10,2,2,2,0,40,30,50,0,1\n"
    "0,web's @x `id`,5,1,1,1,0,20,30,,0,1\n"
    "60,api,90,2,2,4,2,95,30,80,1.5,4\n"
    "60,web's @x `id`,5,1,1,1,0,20,30,45,0,1\n"
    "120,api,90,4,4,4,0,60,30,60,0,4\n"
    "120,web's @x `id`,5,1,1,1,0,20,30,45,0,1\n";

static const char summary[] = "workload,slo_ms,cpu_target_pct,peak_replicas\n"
                              "api,,70,4\n"
                              "web's @x `id`,200,,1\n"
                              "(all),,,5\n";

static const char nodes[] =
    "time_s,pool,nodes,nodes_ready,nodes_not_ready,nodes_provisioning,"
    "nodes_draining,cpu_requested_pct,memory_requested_pct,"
    "cost_usd_per_hour,cost_usd_total\n"
    "0,general,3,3,0,0,0,10,10,0.6,0\n"
    "0,spot,0,0,0,0,0,,,0,0\n"
    "60,general,3,3,0,0,0,20,10,0.6,0.01\n"
    "60,spot,1,0,0,1,0,,,0.3,0\n"
    "120,general,3,3,0,0,0,20,10,0.6,0.02\n"
    "120,spot,1,1,0,0,0,5,5,0.3,0.005\n";

/* Three workloads and the VPA's columns: api has a VPA on CPU and memory
 * and two OOM kills, web one on memory only (its kills, 3, all before the
 * run), batch none (its target columns are empty; its kill draws nothing
 * without a VPA panel). */
static const char timeline_vpa[] =
    "time_s,workload,rps,ready_replicas,desired_replicas,pending_pods,"
    "cpu_utilization_pct,latency_p95_ms,demand_replicas,pod_cpu_request_m,"
    "pod_memory_request_bytes,vpa_cpu_target_m,vpa_memory_target_bytes,"
    "oom_kills,vpa_evictions\n"
    "0,api,10,2,2,0,40,50,1,500,536870912,,,0,0\n"
    "0,web,5,1,1,0,20,45,1,250,268435456,,,3,0\n"
    "0,batch,1,1,1,0,10,30,1,100,134217728,,,0,0\n"
    "60,api,10,2,2,0,40,50,1,500,536870912,250,314572800,1,0\n"
    "60,web,5,1,1,0,20,45,1,250,268435456,,209715200,3,0\n"
    "60,batch,1,1,1,0,10,30,1,100,134217728,,,1,0\n"
    "120,api,10,2,2,0,80,50,1,250,314572800,250,314572800,2,2\n"
    "120,web,5,1,1,0,20,45,1,250,209715200,,209715200,3,1\n"
    "120,batch,1,1,1,0,10,30,1,100,134217728,,,1,0\n";

struct fixture {
    char dir[64];
};

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/capsim plot-XXXXXX");
    if (mkdtemp(fx->dir) == NULL) {
        free(fx);
        return -1;
    }
    put_file(fx->dir, "timeline.csv", timeline);
    put_file(fx->dir, "summary.csv", summary);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    char path[512];

    while (d != NULL && (e = readdir(d)) != NULL) {
        snprintf(path, sizeof(path), "%s/%s", fx->dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(fx->dir);
    unsetenv(CS_PLOT_ENV);
    free(fx);
    return 0;
}

/* DIR/name into a malloc'd string, NULL if it does not exist. */
static char *slurp(const char *dir, const char *name)
{
    char path[256];
    FILE *f;
    char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((f = fopen(path, "rb")) == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void remove_file(const char *dir, const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(unlink(path), 0);
}

static int exists(const char *dir, const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;

    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* cs_plot_write with o; returns plot.gp (caller frees), failing the test
 * if the call fails. */
static char *write_script(const char *dir, const struct cs_plot_opts *o)
{
    struct cs_err err;
    int rc;

    cs_err_clear(&err);
    rc = cs_plot_write(dir, o, &err);
    if (rc != 0)
        fail_msg("cs_plot_write: %s: %s", err.path, err.msg);
    return slurp(dir, CS_PLOT_SCRIPT);
}

/* The formatted error of a cs_plot_write expected to fail with code. */
static void expect_error(const char *dir, const struct cs_plot_opts *o,
                         int code, const char *msg)
{
    struct cs_err err;
    char buf[1200];

    cs_err_clear(&err);
    assert_int_equal(cs_plot_write(dir, o, &err), code);
    cs_err_format(&err, buf, sizeof(buf));
    assert_string_equal(buf, msg);
}

static void test_workloads_targets_and_slo(void **state)
{
    struct fixture *fx = *state;
    char *gp = write_script(fx->dir, NULL);

    /* one figure per workload, names as gnuplot literals */
    assert_int_equal(count(gp, "\nwl = "), 2);
    assert_non_null(strstr(gp, "\nwl = 'api'"));
    assert_non_null(strstr(gp, "\nwl = 'web''s @x `id`'"));
    assert_non_null(strstr(gp, "\nout = 'plot-api'"));
    assert_non_null(strstr(gp, "\nout = 'plot-web_s__x__id_'"));
    /* titles: the run directory's name, then the workload */
    assert_non_null(strstr(gp, "set multiplot title 'capsim plot-"));
    assert_non_null(strstr(gp, ": web''s @x `id`' font"));
    /* api has a CPU target and no SLO; web the other way round */
    assert_int_equal(count(gp, "title 'HPA target (70 %)'"), 1);
    assert_int_equal(count(gp, "        70 with lines dt 2"), 1);
    assert_int_equal(count(gp, "title 'SLO (p95 <= 200 ms)'"), 1);
    assert_int_equal(count(gp, "        200 with lines dt 2"), 1);
    assert_true(strstr(gp, "HPA target") < strstr(gp, "wl = 'web"));
    assert_true(strstr(gp, "SLO (p95") > strstr(gp, "wl = 'web"));
    /* every series of the timeline, twice (one per figure) */
    assert_int_equal(count(gp, "(v(\"demand_replicas\"))"), 2);
    assert_int_equal(count(gp, "(v(\"dropped_rps\"))"), 2);
    /* no nodes.csv: four panels, no node panel */
    assert_int_equal(count(gp, "npanels = 4\n"), 2);
    assert_null(strstr(gp, "array pools"));
    assert_null(strstr(gp, "Nodes per pool"));
    /* 2 minutes of run: the axis is in minutes */
    assert_non_null(strstr(gp, "tscale = 60 "));
    assert_non_null(strstr(gp, "tlabel = 'time (min)'"));
    /* axes sized from the data: replicas up to 4 -> 0..5 by 1 */
    assert_non_null(strstr(gp, "set yrange [0 : 5]\n    set ytics 0, 1 "));
    /* every plot command ends its item list */
    assert_null(strstr(gp, ", \\\n\n"));
    assert_null(strstr(gp, "@"
                           "TARGET@"));
    /* no VPA columns: no VPA panel, nor its colours */
    assert_null(strstr(gp, "c_cpu_request"));
    assert_null(strstr(gp, "Requests per pod"));
    free(gp);
}

/* The text of gp from the first `from` to the next `to` (or the end), for
 * one figure's checks; caller frees. */
static char *between(const char *gp, const char *from, const char *to)
{
    const char *a = strstr(gp, from), *b;
    char *s;

    assert_non_null(a);
    b = to ? strstr(a, to) : NULL;
    if (b == NULL)
        b = a + strlen(a);
    s = strndup(a, (size_t)(b - a));
    assert_non_null(s);
    return s;
}

static void test_vpa_panel(void **state)
{
    struct fixture *fx = *state;
    char *gp, *api, *web, *batch;

    put_file(fx->dir, "timeline.csv", timeline_vpa);
    gp = write_script(fx->dir, NULL);
    api = between(gp, "\nwl = 'api'", "\nwl = 'web'");
    web = between(gp, "\nwl = 'web'", "\nwl = 'batch'");
    batch = between(gp, "\nwl = 'batch'", NULL);

    /* the colours once, in the header; the panel in two figures */
    assert_int_equal(count(gp, "\nc_cpu_request = '"), 1);
    assert_int_equal(count(gp, "\nc_memory_request = '"), 1);
    assert_int_equal(count(gp, "\nc_oom = '"), 1);
    assert_true(strstr(gp, "c_oom") < strstr(gp, "\nwl = "));
    assert_int_equal(count(gp, "Requests per pod"), 2);
    assert_int_equal(count(api, "npanels = 5\n"), 1);
    assert_int_equal(count(web, "npanels = 5\n"), 1);
    assert_int_equal(count(batch, "npanels = 4\n"), 1);
    assert_null(strstr(batch, "Requests per pod"));
    assert_null(strstr(batch, "oom_kills"));

    /* api: after the CPU panel, before the pending one; CPU on the left
     * (500 m -> 600), memory on the right (512 MiB -> 600), four lines */
    assert_true(strstr(api, "CPU utilization, with") <
                strstr(api, "Requests per pod"));
    assert_true(strstr(api, "Requests per pod") <
                strstr(api, "Pods waiting for a node"));
    assert_non_null(strstr(api, "set ylabel 'CPU per pod (millicores)'\n"
                                "    set yrange [0 : 600]\n"
                                "    set y2label 'memory per pod (MiB)'\n"
                                "    set y2range [0 : 600]\n"));
    assert_non_null(strstr(api, "(v(\"pod_cpu_request_m\")) \\\n"
                                "            with steps lw 2 lc rgb "
                                "c_cpu_request title 'CPU request (m)', "));
    assert_non_null(strstr(api, "(v(\"vpa_cpu_target_m\")) \\\n"
                                "            with steps lw 2 dt 2 lc rgb "
                                "c_cpu_request title 'VPA CPU target', "));
    assert_non_null(strstr(api, "(v(\"pod_memory_request_bytes\") / "
                                "1048576.0) axes x1y2 "));
    assert_non_null(strstr(api, "(v(\"vpa_memory_target_bytes\") / "
                                "1048576.0) axes x1y2 "));
    assert_int_equal(count(api, "title 'memory request (MiB)'"), 1);
    assert_int_equal(count(api, "title 'VPA memory target'"), 1);
    /* two kills: an impulse up to the left axis' top where the count grew */
    assert_non_null(strstr(api, "    oom_seen = 0  # the count at the first "
                                "sample\n    oom_grew(n) = n > "
                                "oom_seen ? (oom_seen = n, 600) : NaN\n"));
    assert_non_null(strstr(api, "(oom_grew(v(\"oom_kills\"))) \\\n"
                                "            with impulses lw 1.5 lc rgb "
                                "c_oom title 'OOM kills (2)', "));
    assert_non_null(strstr(api, "title 'VPA memory target'\n    unset y2"));

    /* web: memory only, on the left axis (256 MiB -> 300); no CPU lines,
     * no OOM marks (oom_kills never grew) */
    assert_non_null(strstr(web, "set ylabel 'memory per pod (MiB)'\n"
                                "    set yrange [0 : 300]\n"));
    assert_null(strstr(web, "y2label 'memory"));
    assert_null(strstr(web, "pod_cpu_request_m"));
    assert_null(strstr(web, "vpa_cpu_target_m"));
    assert_null(strstr(web, "oom_"));
    assert_int_equal(count(web, "/ 1048576.0) axes x1y1 "), 2);
    assert_null(strstr(gp, ", \\\n\n"));
    free(api);
    free(web);
    free(batch);
    free(gp);
}

/* Kills counted before the first sample are not marked, nor counted. */
static void test_vpa_oom_kills_before_the_run(void **state)
{
    struct fixture *fx = *state;
    char *gp;

    put_file(fx->dir, "timeline.csv",
             "time_s,workload,vpa_memory_target_bytes,oom_kills\n"
             "0,web,,3\n"
             "60,web,209715200,3\n"
             "120,web,209715200,5\n");
    gp = write_script(fx->dir, NULL);
    assert_non_null(strstr(gp, "    oom_seen = 3  # "));
    assert_non_null(strstr(gp, "title 'OOM kills (2)'"));
    /* no request column: the target alone, 200 MiB -> 250 */
    assert_non_null(strstr(gp, "(oom_seen = n, 250)"));
    assert_null(strstr(gp, "pod_memory_request_bytes"));
    assert_int_equal(count(gp, "title 'VPA memory target'"), 1);
    free(gp);
}

/* VPA columns without a target (a run with no VPA) change nothing. */
static void test_vpa_columns_without_target(void **state)
{
    struct fixture *fx = *state;
    char *before, *after;

    put_file(fx->dir, "timeline.csv",
             "time_s,workload,rps,ready_replicas,cpu_utilization_pct\n"
             "0,api,10,2,40\n"
             "60,api,20,2,80\n");
    before = write_script(fx->dir, NULL);
    put_file(fx->dir, "timeline.csv",
             "time_s,workload,rps,ready_replicas,cpu_utilization_pct,"
             "pod_cpu_request_m,pod_memory_request_bytes,vpa_cpu_target_m,"
             "vpa_memory_target_bytes,oom_kills,vpa_evictions\n"
             "0,api,10,2,40,250,268435456,,,0,0\n"
             "60,api,20,2,80,250,268435456,,,4,0\n");
    after = write_script(fx->dir, NULL);
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static void test_node_panel_only_with_nodes_csv(void **state)
{
    struct fixture *fx = *state;
    char *gp;

    put_file(fx->dir, "nodes.csv", nodes);
    gp = write_script(fx->dir, NULL);
    assert_int_equal(count(gp, "npanels = 5\n"), 2);
    assert_int_equal(count(gp, "Nodes per pool"), 2);
    assert_non_null(strstr(gp, "array pools[2] = ['general', 'spot']\n"));
    assert_non_null(strstr(gp, "set y2label 'cumulative cost (USD)'"));
    /* the pools' total reaches 0.025 USD: axis to 0.03 */
    assert_non_null(strstr(gp, "set y2range [0 : 0.03]"));
    free(gp);
}

static void test_optional_columns(void **state)
{
    struct fixture *fx = *state;
    char *gp;

    /* an older run: no demand_replicas, no target or SLO columns */
    put_file(fx->dir, "timeline.csv",
             "time_s,workload,rps,ready_replicas,desired_replicas,"
             "cpu_utilization_pct\n"
             "0,api,1,1,1,10\n"
             "30,api,2,1,2,90\n");
    put_file(fx->dir, "summary.csv", "workload,peak_replicas\napi,2\n");
    gp = write_script(fx->dir, NULL);
    assert_null(strstr(gp, "demand_replicas"));
    assert_null(strstr(gp, "title 'HPA target"));
    assert_null(strstr(gp, "pending_pods"));
    assert_null(strstr(gp, "latency_p95_ms"));
    assert_non_null(strstr(gp, "v(\"desired_replicas\")"));
    assert_non_null(strstr(gp, "npanels = 2\n"));
    free(gp);

    /* no summary.csv at all is fine too */
    remove_file(fx->dir, "summary.csv");
    gp = write_script(fx->dir, NULL);
    assert_non_null(strstr(gp, "\nwl = 'api'"));
    free(gp);
}

static void test_choosing_workloads(void **state)
{
    struct fixture *fx = *state;
    static const char *const only_web[] = {"web's @x `id`", "web's @x `id`"};
    struct cs_plot_opts o;
    char *gp;

    cs_plot_opts_init(&o);
    o.workloads = only_web;
    o.nworkloads = 2; /* named twice, drawn once */
    gp = write_script(fx->dir, &o);
    assert_int_equal(count(gp, "\nwl = "), 1);
    assert_null(strstr(gp, "wl = 'api'"));
    free(gp);

    cs_plot_opts_init(&o);
    o.max_workloads = 1;
    o.title = "load test";
    gp = write_script(fx->dir, &o);
    assert_int_equal(count(gp, "\nwl = "), 1);
    assert_non_null(strstr(gp, "set multiplot title 'load test: api' font"));
    free(gp);
}

static void test_file_names(void **state)
{
    struct fixture *fx = *state;
    char buf[200], *gp;

    assert_int_equal(cs_plot_file_stem("web", buf, sizeof(buf)), 8);
    assert_string_equal(buf, "plot-web");
    cs_plot_file_stem("../a b/ü", buf, sizeof(buf));
    assert_string_equal(buf, "plot-.._a_b___");
    assert_int_equal(cs_plot_file_stem("abcdef", buf, 8), 11);
    assert_string_equal(buf, "plot-ab");

    /* two names with one stem: the second gets "-2" */
    put_file(fx->dir, "timeline.csv",
             "time_s,workload,rps\n0,a/b,1\n0,a_b,2\n0,a b,3\n");
    put_file(fx->dir, "summary.csv", "workload\n");
    gp = write_script(fx->dir, NULL);
    assert_non_null(strstr(gp, "out = 'plot-a_b'"));
    assert_non_null(strstr(gp, "out = 'plot-a_b-2'"));
    assert_non_null(strstr(gp, "out = 'plot-a_b-3'"));
    free(gp);
}

static void test_names_gnuplot_cannot_match(void **state)
{
    struct fixture *fx = *state;
    static const char *const comma[] = {"x,y"};
    struct cs_plot_opts o;
    char msg[512], *gp;

    put_file(fx->dir, "timeline.csv",
             "time_s,workload,rps\n0,\"x,y\",1\n0,ok,2\n");
    gp = write_script(fx->dir, NULL);
    assert_int_equal(count(gp, "\nwl = "), 1);
    assert_non_null(strstr(gp, "\nwl = 'ok'"));
    free(gp);

    cs_plot_opts_init(&o);
    o.workloads = comma;
    o.nworkloads = 1;
    snprintf(msg, sizeof(msg),
             "%s: workload 'x,y' has a comma, quote or control character in "
             "its name, which gnuplot cannot match in timeline.csv",
             fx->dir);
    expect_error(fx->dir, &o, CS_EINVAL, msg);
}

static void test_errors(void **state)
{
    struct fixture *fx = *state;
    static const char *const nope[] = {"api", "nope"};
    struct cs_plot_opts o;
    char msg[512], *gp;

    expect_error("/nonexistent/run", NULL, CS_EINVAL,
                 "/nonexistent/run: no such run directory");

    /* an unknown workload leaves the previous plot.gp as it was */
    put_file(fx->dir, CS_PLOT_SCRIPT, "old\n");
    cs_plot_opts_init(&o);
    o.workloads = nope;
    o.nworkloads = 2;
    snprintf(msg, sizeof(msg),
             "%s: no workload 'nope' in timeline.csv (it has: api, web's @x "
             "`id`)",
             fx->dir);
    expect_error(fx->dir, &o, CS_EINVAL, msg);
    gp = slurp(fx->dir, CS_PLOT_SCRIPT);
    assert_string_equal(gp, "old\n");
    free(gp);

    put_file(fx->dir, "timeline.csv", "time_s,workload,rps\n0,api,fast\n");
    snprintf(msg, sizeof(msg),
             "%s/timeline.csv:2:1: rps is not a number: 'fast'", fx->dir);
    expect_error(fx->dir, NULL, CS_EINVAL, msg);

    put_file(fx->dir, "timeline.csv", "time,workload\n0,api\n");
    snprintf(msg, sizeof(msg),
             "%s/timeline.csv:1:1: no 'time_s' column in the header", fx->dir);
    expect_error(fx->dir, NULL, CS_EINVAL, msg);

    put_file(fx->dir, "timeline.csv", "time_s,workload\n");
    snprintf(msg, sizeof(msg),
             "%s/timeline.csv: no rows: the run has nothing to plot", fx->dir);
    expect_error(fx->dir, NULL, CS_EINVAL, msg);

    put_file(fx->dir, "timeline.csv", timeline);
    put_file(fx->dir, "nodes.csv", "time_s,pool,nodes\n0,a,\"1\n");
    snprintf(msg, sizeof(msg),
             "%s/nodes.csv:2:1: malformed CSV: a quoted field in this row is "
             "never closed",
             fx->dir);
    expect_error(fx->dir, NULL, CS_EINVAL, msg);

    remove_file(fx->dir, "timeline.csv");
    snprintf(msg, sizeof(msg),
             "%s: no timeline.csv here: not a capsim run directory", fx->dir);
    expect_error(fx->dir, NULL, CS_EINVAL, msg);
}

/* A stand-in for gnuplot: a shell script in the run directory. */
static void fake_gnuplot(const char *dir, const char *body)
{
    char path[256];

    put_file(dir, "fake gnuplot", body);
    snprintf(path, sizeof(path), "%s/fake gnuplot", dir);
    assert_int_equal(chmod(path, 0755), 0);
    setenv(CS_PLOT_ENV, path, 1);
}

static void test_render_runs_gnuplot_in_the_run_dir(void **state)
{
    struct fixture *fx = *state;
    struct cs_err err;
    char *args, cwd[256];

    assert_int_equal(cs_plot_write(fx->dir, NULL, &err), 0);
    fake_gnuplot(fx->dir, "#!/bin/sh\n"
                          "pwd > args.txt\n"
                          "printf '%s|' \"$@\" >> args.txt\n"
                          "read line && echo stdin-not-empty >> args.txt\n"
                          "exit 0\n");
    assert_int_equal(cs_plot_render(fx->dir, NULL, &err), 0);
    args = slurp(fx->dir, "args.txt");
    assert_non_null(args);
    snprintf(cwd, sizeof(cwd), "%s\nplot.gp|", fx->dir);
    assert_string_equal(args, cwd);
    free(args);
}

static void test_render_failures(void **state)
{
    struct fixture *fx = *state;
    struct cs_err err;
    char buf[1200], want[1200];

    assert_int_equal(cs_plot_write(fx->dir, NULL, &err), 0);

    setenv(CS_PLOT_ENV, "/nonexistent/gnuplot", 1);
    assert_int_equal(cs_plot_render(fx->dir, NULL, &err), CS_PLOT_NO_GNUPLOT);
    cs_err_format(&err, buf, sizeof(buf));
    assert_string_equal(buf, "gnuplot not found: CAPSIM_GNUPLOT="
                             "/nonexistent/gnuplot is not an executable "
                             "file; wrote plot.gp without drawing it. "
                             "Install gnuplot (apt install gnuplot-nox) or "
                             "set CAPSIM_GNUPLOT to its path");

    fake_gnuplot(fx->dir, "#!/bin/sh\necho 'plot.gp line 3: boom' >&2\n"
                          "exit 3\n");
    assert_int_equal(cs_plot_render(fx->dir, NULL, &err), CS_EIO);
    cs_err_format(&err, buf, sizeof(buf));
    snprintf(want, sizeof(want),
             "%s/plot.gp: gnuplot (%s/fake gnuplot) failed with exit status "
             "3; its messages are above",
             fx->dir, fx->dir);
    assert_string_equal(buf, want);

    fake_gnuplot(fx->dir, "#!/bin/sh\nkill -9 $$\n");
    assert_int_equal(cs_plot_render(fx->dir, NULL, &err), CS_EIO);
    cs_err_format(&err, buf, sizeof(buf));
    assert_non_null(strstr(buf, "was killed by signal 9"));
}

static void test_make_without_gnuplot_writes_the_script(void **state)
{
    struct fixture *fx = *state;
    struct cs_plot_opts o;
    struct cs_err err;
    char want[512], *out;
    FILE *f = tmpfile();

    assert_non_null(f);
    setenv(CS_PLOT_ENV, "/nonexistent/gnuplot", 1);
    cs_plot_opts_init(&o);
    assert_int_equal(cs_plot_make(fx->dir, &o, f, &err), 0);
    assert_true(exists(fx->dir, CS_PLOT_SCRIPT));
    assert_false(exists(fx->dir, "plot-api.png"));
    out = calloc(1, 1024);
    rewind(f);
    assert_true(fread(out, 1, 1023, f) > 0);
    snprintf(want, sizeof(want),
             "plot script: %s/plot.gp (draw it with: cd '%s' && gnuplot "
             "plot.gp)\n",
             fx->dir, fx->dir);
    assert_string_equal(out, want);
    free(out);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_workloads_targets_and_slo, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node_panel_only_with_nodes_csv,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_vpa_panel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vpa_columns_without_target, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_vpa_oom_kills_before_the_run,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_optional_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_choosing_workloads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_file_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_gnuplot_cannot_match, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_runs_gnuplot_in_the_run_dir,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_make_without_gnuplot_writes_the_script, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
