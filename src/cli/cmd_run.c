/* cmd_run.c - `capsim run` and `capsim validate`. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"

#include "core/sim.h"
#include "io/plot.h"
#include "io/override.h"
#include "io/quantity.h"
#include "io/report.h"
#include "io/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Load-time warnings (sc->warnings) on stderr; they leave the exit
 * status alone. */
static void print_warnings(const struct cs_scenario *sc)
{
    for (int i = 0; i < sc->nwarnings; i++)
        fprintf(stderr, "capsim: warning: %s\n", sc->warnings[i]);
}

static const char run_usage[] =
    "usage: capsim run SCENARIO [-o DIR] [--set PATH=VALUE]... [--seed N]\n"
    "                  [--max-pods N] [--plot] [--stats] [--quiet]\n"
    "\n"
    "Simulate SCENARIO and write timeline.csv, events.csv, nodes.csv and\n"
    "summary.csv into DIR (default: out/<scenario name>). Files are replaced\n"
    "only when the run completes.\n"
    "\n"
    "  -o, --output DIR   output directory\n"
    "  --set PATH=VALUE   change one value of the scenario before it is\n"
    "                     checked: cluster.nodePools[gpu].maxSize=8, or of\n"
    "                     a manifest object: hpa/web.spec.maxReplicas=20\n"
    "                     (repeatable; docs/scenario-format.md, Overrides)\n"
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
    struct cs_cli_sets sets;
    struct cs_run_opts r;
};

int cs_cli_sets_add(struct cs_cli_sets *s, const char *arg)
{
    struct cs_override *a;
    struct cs_err err;

    if (arg == NULL) {
        fputs("capsim: --set needs PATH=VALUE\n", stderr);
        return -1;
    }
    a = realloc(s->ov, (s->n + 1) * sizeof(*a));
    if (a == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return -1;
    }
    s->ov = a;
    cs_err_clear(&err);
    if (cs_override_parse(arg, &s->ov[s->n], &err) < 0) {
        cs_cli_print_err(&err);
        return -1;
    }
    s->n++;
    return 0;
}

/* arg as a shell would need it: bare when made of harmless characters. */
static void print_shell_word(const char *arg)
{
    if (arg[strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_-+./=:,@%[]")] == '\0') {
        fputs(arg, stderr);
        return;
    }
    fputc('\'', stderr);
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", stderr);
        else
            fputc(*p, stderr);
    }
    fputc('\'', stderr);
}

void cs_cli_sets_print(const struct cs_cli_sets *s)
{
    if (s->n == 0)
        return;
    fflush(stdout);
    fputs("overrides:", stderr);
    for (size_t i = 0; i < s->n; i++) {
        fputc(' ', stderr);
        print_shell_word(s->ov[i].arg);
    }
    fputc('\n', stderr);
}

void cs_cli_sets_fini(struct cs_cli_sets *s)
{
    for (size_t i = 0; i < s->n; i++)
        cs_override_fini(&s->ov[i]);
    free(s->ov);
    s->ov = NULL;
    s->n = 0;
}

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
        } else if (strcmp(a, "--set") == 0) {
            if (cs_cli_sets_add(&o->sets, i + 1 < argc ? argv[++i] : NULL) < 0)
                return -1;
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
        cs_report_print_vpa(rep, sim, stdout);
        printf("\n%s: simulated %.0f s, %llu events\n"
               "outputs: %s/timeline.csv %s/events.csv %s/nodes.csv "
               "%s/summary.csv%s%s%s\n",
               sc->name, (double)sim->end / 1000.0,
               (unsigned long long)sim->events_run, dir, dir, dir, dir,
               sc->nvpas > 0 ? " " : "", sc->nvpas > 0 ? dir : "",
               sc->nvpas > 0 ? "/recommendations.csv (and vpa.csv)" : "");
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

    if (rc != 0) {
        cs_cli_sets_fini(&o.sets);
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    }
    cs_cli_signals_install();
    cs_err_clear(&err);
    sc = cs_scenario_load_with(o.scenario, o.sets.ov, o.sets.n, &err);
    if (sc == NULL) {
        cs_cli_print_err(&err);
        cs_cli_sets_fini(&o.sets);
        return CS_EXIT_USAGE;
    }
    print_warnings(sc);
    if (!o.r.quiet)
        cs_cli_sets_print(&o.sets);
    cs_cli_sets_fini(&o.sets);
    if (o.r.out != NULL)
        snprintf(dir, sizeof(dir), "%s", o.r.out);
    else
        snprintf(dir, sizeof(dir), "out/%s", sc->name);
    rc = cs_cli_run_into(&o.r, sc, dir);
    cs_scenario_destroy(sc);
    return rc;
}

static const char validate_usage[] =
    "usage: capsim validate SCENARIO... [--set PATH=VALUE]...\n"
    "\n"
    "Load and check each SCENARIO (and the manifests it names) without\n"
    "running it; print one line per scenario.\n"
    "\n"
    "  --set PATH=VALUE  change a value before the checks, as `capsim run`\n"
    "                    does (repeatable; applies to every SCENARIO)\n";

/* validate's arguments: the scenarios into paths (argc slots), the
 * overrides into sets. 1: --help shown; -1: bad usage (said). */
static int validate_opts(int argc, char **argv, const char **paths, int *n,
                         struct cs_cli_sets *sets)
{
    *n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(validate_usage, stdout);
            return 1;
        } else if (strcmp(a, "--set") == 0) {
            if (cs_cli_sets_add(sets, i + 1 < argc ? argv[++i] : NULL) < 0)
                return -1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "capsim: validate: unknown option '%s'\n", a);
            return -1;
        } else {
            paths[(*n)++] = a;
        }
    }
    if (*n == 0) {
        fputs(validate_usage, stderr);
        return -1;
    }
    return 0;
}

int cs_cli_validate(int argc, char **argv)
{
    struct cs_cli_sets sets = {NULL, 0};
    const char **paths = calloc((size_t)argc, sizeof(*paths));
    int bad = 0, n = 0, rc;

    if (paths == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_USAGE;
    }
    rc = validate_opts(argc, argv, paths, &n, &sets);
    if (rc == 0)
        cs_cli_sets_print(&sets);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct cs_err err;
        struct cs_scenario *sc;

        cs_err_clear(&err);
        sc = cs_scenario_load_with(paths[i], sets.ov, sets.n, &err);
        if (sc == NULL) {
            cs_cli_print_err(&err);
            bad = 1;
            continue;
        }
        print_warnings(sc);
        printf("%s: ok (%d workloads, %d HPAs, %d node pools)\n", paths[i],
               sc->nworkloads, sc->nhpas, sc->npools);
        cs_scenario_destroy(sc);
    }
    cs_cli_sets_fini(&sets);
    free(paths);
    if (rc != 0)
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    return bad ? CS_EXIT_USAGE : CS_EXIT_OK;
}
