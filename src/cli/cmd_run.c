/* cmd_run.c - `capsim run` and `capsim validate`. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "core/sim.h"
#include "io/plot.h"
#include "io/quantity.h"
#include "io/report.h"
#include "io/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char run_usage[] =
    "usage: capsim run SCENARIO [-o DIR] [--seed N] [--max-pods N] [--plot]\n"
    "                  [--stats] [--quiet]\n"
    "\n"
    "Simulate SCENARIO and write timeline.csv, events.csv, nodes.csv and\n"
    "summary.csv into DIR (default: out/<scenario name>). Files are replaced\n"
    "only when the run completes.\n"
    "\n"
    "  -o, --output DIR   output directory\n"
    "  --seed N           override the scenario's seed\n"
    "  --max-pods N       stop with an error past N live pods\n"
    "  --max-nodes N      refuse a cluster of more than N nodes (100000)\n"
    "  --max-output-mb N  refuse a run whose timeline would pass N MB (8192)\n"
    "  --plot             also draw plot-<workload>.png/.svg with gnuplot\n"
    "                     (docs/plots.md; a missing gnuplot is a warning)\n"
    "  --stats            print events, pod-seconds and wall time to stderr\n"
    "  -q, --quiet        print nothing but errors\n";

struct run_opts {
    const char *scenario;
    struct cs_run_opts r;
};

int cs_cli_parse_count(const char *opt, const char *s, int64_t max, int64_t *v)
{
    if (s == NULL || cs_parse_int64(s, v) < 0 || *v < 0 || *v > max) {
        fprintf(stderr, "capsim: %s needs a number from 0 to %lld, got '%s'\n",
                opt, (long long)max, s ? s : "");
        return -1;
    }
    return 0;
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int64_t v;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(run_usage, stdout);
            return 1;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i >= argc) {
                fprintf(stderr, "capsim: %s needs a directory\n", a);
                return -1;
            }
            o->r.out = argv[i];
        } else if (strcmp(a, "--seed") == 0) {
            if (cs_cli_parse_count(a, i + 1 < argc ? argv[++i] : NULL,
                                   INT64_MAX, &v))
                return -1;
            o->r.has_seed = 1;
            o->r.seed = (uint64_t)v;
        } else if (strcmp(a, "--max-nodes") == 0) {
            if (cs_cli_parse_count(a, i + 1 < argc ? argv[++i] : NULL, 10000000,
                                   &v))
                return -1;
            o->r.max_nodes = v;
        } else if (strcmp(a, "--max-output-mb") == 0) {
            if (cs_cli_parse_count(a, i + 1 < argc ? argv[++i] : NULL,
                                   INT64_C(1) << 40, &v))
                return -1;
            o->r.max_output_mb = v;
        } else if (strcmp(a, "--max-pods") == 0) {
            if (cs_cli_parse_count(a, i + 1 < argc ? argv[++i] : NULL,
                                   100000000, &v))
                return -1;
            o->r.max_pods = v;
        } else if (strcmp(a, "--plot") == 0) {
            o->r.plot = 1;
        } else if (strcmp(a, "--stats") == 0) {
            o->r.stats = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->r.quiet = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "capsim: run: unknown option '%s'\n", a);
            return -1;
        } else if (o->scenario == NULL) {
            o->scenario = a;
        } else {
            fprintf(stderr, "capsim: run: one scenario at a time\n");
            return -1;
        }
    }
    if (o->scenario == NULL) {
        fputs(run_usage, stderr);
        return -1;
    }
    return 0;
}

struct progress {
    struct timespec last;
    int shown;
};

/* Progress on stderr for long runs, when stderr is a terminal. */
static void show_progress(void *ctx, const struct cs_sim *sim)
{
    struct progress *pr = ctx;
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - pr->last.tv_sec < 1)
        return;
    pr->last = now;
    pr->shown = 1;
    fprintf(stderr, "\rcapsim: simulated %.0f s of %.0f s (%.0f%%)   ",
            (double)sim->now / 1000.0, (double)sim->end / 1000.0,
            sim->end > 0 ? 100.0 * (double)sim->now / (double)sim->end : 0.0);
}

/* Wall time is measured here, in the CLI, never inside the model. */
static void print_stats(const struct cs_sim *sim, const struct timespec *t0,
                        const struct timespec *t1)
{
    double wall = (double)(t1->tv_sec - t0->tv_sec) +
                  (double)(t1->tv_nsec - t0->tv_nsec) / 1e9;
    double pod_s = 0;

    for (int w = 0; w < sim->nwl; w++)
        pod_s += sim->wl[w].replica_ms / 1000.0;
    fprintf(stderr, "stats: events=%llu pod_seconds=%.0f wall_s=%.6f\n",
            (unsigned long long)sim->events_run, pod_s, wall);
}

int cs_cli_run_into(const struct cs_run_opts *o, struct cs_scenario *sc,
                    const char *dir)
{
    struct cs_err err;
    struct cs_sim *sim;
    struct cs_report *rep;
    int rc;
    struct timespec t0, t1;
    struct progress pr;

    cs_err_clear(&err);
    if (o->max_pods > 0)
        sc->max_pods = (uint32_t)o->max_pods;
    if (o->max_nodes > 0)
        sc->max_nodes = (uint32_t)o->max_nodes;
    if (o->max_output_mb > 0)
        sc->max_output_mb = (uint64_t)o->max_output_mb;
    sim = cs_sim_create(sc, o->has_seed ? o->seed : sc->seed, &err);
    if (sim == NULL) {
        cs_cli_print_err(&err);
        return err.path[0] ? CS_EXIT_USAGE : CS_EXIT_FAIL;
    }
    rep = cs_report_create(dir, sim, &err);
    if (rep == NULL) {
        cs_cli_print_err(&err);
        cs_sim_destroy(sim);
        return CS_EXIT_FAIL;
    }
    sim->report = rep;
    sim->interrupt = cs_cli_interrupt();
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pr.last = t0;
    pr.shown = 0;
    if (!o->quiet && isatty(STDERR_FILENO)) {
        sim->progress = show_progress;
        sim->progress_ctx = &pr;
    }
    rc = cs_sim_run(sim);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (pr.shown)
        fputs("\r\033[K", stderr);
    if (rc == 0 && *cs_cli_interrupt())
        rc = CS_EINTR; /* arrived after the last event: still no commit */
    if (rc == CS_EINTR) {
        cs_report_destroy(rep);
        cs_sim_destroy(sim);
        return cs_cli_interrupted(sc->name);
    }
    if (rc < 0) {
        cs_cli_print_err(&sim->errinfo);
    } else if ((rc = cs_report_commit(rep, sim, &err)) < 0) {
        cs_cli_print_err(&err);
    } else if (!o->quiet) {
        cs_report_print_summary(rep, sim, stdout);
        printf("\n%s: simulated %.0f s, %llu events\n"
               "outputs: %s/timeline.csv %s/events.csv %s/nodes.csv "
               "%s/summary.csv\n",
               sc->name, (double)sim->end / 1000.0,
               (unsigned long long)sim->events_run, dir, dir, dir, dir);
    }
    if (rc == 0 && o->plot) {
        struct cs_plot_opts po;

        cs_plot_opts_init(&po);
        po.title = sc->name;
        cs_err_clear(&err);
        if (cs_plot_make(dir, &po, o->quiet ? NULL : stdout, &err) != 0) {
            cs_cli_print_err(&err);
            rc = CS_EIO;
        }
    }
    if (rc == 0 && o->stats)
        print_stats(sim, &t0, &t1);
    cs_report_destroy(rep);
    cs_sim_destroy(sim);
    return rc < 0 ? (rc == CS_ELIMIT ? CS_EXIT_USAGE : CS_EXIT_FAIL)
                  : CS_EXIT_OK;
}

int cs_cli_run(int argc, char **argv)
{
    struct run_opts o;
    struct cs_err err;
    struct cs_scenario *sc;
    char dir[1024];
    int rc = parse_opts(argc, argv, &o);

    if (rc != 0)
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    cs_cli_signals_install();
    cs_err_clear(&err);
    sc = cs_scenario_load(o.scenario, &err);
    if (sc == NULL) {
        cs_cli_print_err(&err);
        return CS_EXIT_USAGE;
    }
    if (o.r.out != NULL)
        snprintf(dir, sizeof(dir), "%s", o.r.out);
    else
        snprintf(dir, sizeof(dir), "out/%s", sc->name);
    rc = cs_cli_run_into(&o.r, sc, dir);
    cs_scenario_destroy(sc);
    return rc;
}

int cs_cli_validate(int argc, char **argv)
{
    int bad = 0;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs("usage: capsim validate SCENARIO...\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? CS_EXIT_USAGE : CS_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        struct cs_err err;
        struct cs_scenario *sc;

        cs_err_clear(&err);
        sc = cs_scenario_load(argv[i], &err);
        if (sc == NULL) {
            cs_cli_print_err(&err);
            bad = 1;
            continue;
        }
        printf("%s: ok (%d workloads, %d HPAs, %d node pools)\n", argv[i],
               sc->nworkloads, sc->nhpas, sc->npools);
        cs_scenario_destroy(sc);
    }
    return bad ? CS_EXIT_USAGE : CS_EXIT_OK;
}
