/*
 * cmd_sweep.c - `capsim sweep`: every combination of a sweep file's axes
 * over its base scenario, on all cores, into one results.csv
 * (docs/sweeps.md; the file format is io/sweep.h, the table io/results.h).
 *
 * Design. The runs of this shard (run index i with i % N == K - 1) go to
 * -j worker threads that take the next one from an atomic counter. Each
 * run is independent: its own scenario, simulator and report, with no
 * shared mutable state (STYLE.md point 5), and its result lands in its own
 * slot. The main thread only shows progress. Once the workers have
 * joined, it builds the table from the slots in run order, so results.csv
 * holds the same bytes whatever -j is and however the threads interleaved.
 *
 * Two passes over the runs:
 *
 *     check: load every run's scenario with its overrides (in parallel).
 *            An invalid combination stops the sweep before anything runs:
 *            the lowest such run's error, exit status 2, nothing written.
 *     run:   simulate. A run that fails (a limit, say) gets its message in
 *            the `error` column and makes the exit status 1, but
 *            results.csv is still written.
 *
 * SIGINT or SIGTERM stops every running simulation at its next event; the
 * sweep then writes nothing and exits 128 + the signal (130 for SIGINT).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "cli/sweep_exec.h"

#include "io/outbuf.h"
#include "io/override.h"
#include "io/quantity.h"
#include "io/report.h"
#include "io/results.h"
#include "io/scenario.h"
#include "io/sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char sweep_usage[] =
    "usage: capsim sweep SWEEP [-o DIR] [-j N] [--shard K/N] [--keep-runs]\n"
    "                    [--set PATH=VALUE]... [--list] [--quiet]\n"
    "                    [--where EXPR] [--minimize FIG | --maximize FIG]\n"
    "                    [--top N] [--show A,B,...] [--format md|csv]\n"
    "                    [--plot] [--pareto X,Y]\n"
    "\n"
    "Run every combination of SWEEP's axes over its base scenario and write\n"
    "DIR/results.csv (one row per run: axis values, seed, every summary\n"
    "figure) and DIR/sweep-info.csv (docs/sweeps.md).\n"
    "\n"
    "  -o, --output DIR   output directory (default: out/<sweep name>)\n"
    "  -j, --jobs N       runs at a time (default: all cores); the results\n"
    "                     are the same whatever N is\n"
    "  --shard K/N        run only the K-th of N slices of the runs (runs\n"
    "                     with (run - 1) %% N == K - 1); join the shards'\n"
    "                     directories with `capsim merge`\n"
    "  --keep-runs        also write each run's outputs into DIR/runs/NNNN\n"
    "  --set PATH=VALUE   change a value of every run (after the sweep's)\n"
    "  --list             print the runs (run, seed, axis values) and stop\n"
    "  -q, --quiet        print nothing but errors\n"
    "\n"
    "choosing (also on `capsim merge`):\n"
    "  --where EXPR       keep runs meeting EXPR, made of figures of\n"
    "                     results.csv: 'latency_p95_ms < 2000 and\n"
    "                     time_over_slo_s == 0' (docs/expectations.md)\n"
    "  --minimize FIG     rank by a figure, smallest first (--maximize:\n"
    "                     largest); print the best --top N (10) rows with\n"
    "                     the axes and --show's figures, as --format md|csv\n"
    "  --plot             draw DIR/pareto.png and .svg: cost_usd against\n"
    "                     latency_p95_ms with the Pareto front (gnuplot);\n"
    "                     --pareto X,Y picks other figures\n";

struct sweep_opts {
    const char *file;
    const char *out;
    size_t jobs;
    size_t shard_k, shard_n;
    int keep_runs, list, quiet;
    struct cs_cli_sets sets;
    struct cs_cli_choose choose;
};

static int parse_shard(const char *s, struct sweep_opts *o)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    char k[32];
    int64_t kv, nv;

    if (slash == NULL || (size_t)(slash - s) >= sizeof(k))
        goto bad;
    snprintf(k, sizeof(k), "%.*s", (int)(slash - s), s);
    if (cs_parse_int64(k, &kv) < 0 || cs_parse_int64(slash + 1, &nv) < 0 ||
        nv < 1 || nv > 1000000 || kv < 1 || kv > nv)
        goto bad;
    o->shard_k = (size_t)kv;
    o->shard_n = (size_t)nv;
    return 0;
bad:
    fprintf(stderr,
            "capsim: --shard needs K/N with 1 <= K <= N (e.g. 2/8), got "
            "'%s'\n",
            s ? s : "");
    return -1;
}

/* One argument of sweep; returns 0, 1 (--help shown) or -1 (said). */
static int parse_one(int argc, char **argv, int *i, struct sweep_opts *o)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    int64_t n;
    int rc;

    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        fputs(sweep_usage, stdout);
        return 1;
    }
    if ((rc = cs_cli_choose_opt(&o->choose, argc, argv, i)) != 0)
        return rc < 0 ? -1 : 0;
    if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
        if (v == NULL) {
            fprintf(stderr, "capsim: %s needs a directory\n", a);
            return -1;
        }
        o->out = argv[++*i];
    } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
        if (cs_cli_parse_count(a, v, 4096, &n) < 0)
            return -1;
        ++*i;
        o->jobs = (size_t)n;
    } else if (strcmp(a, "--shard") == 0) {
        if (parse_shard(v, o) < 0)
            return -1;
        ++*i;
    } else if (strcmp(a, "--set") == 0) {
        if (cs_cli_sets_add(&o->sets, v) < 0)
            return -1;
        ++*i;
    } else if (strcmp(a, "--keep-runs") == 0) {
        o->keep_runs = 1;
    } else if (strcmp(a, "--list") == 0) {
        o->list = 1;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        o->quiet = 1;
    } else if (a[0] == '-' && a[1] != '\0') {
        fprintf(stderr, "capsim: sweep: unknown option '%s'\n", a);
        return -1;
    } else if (o->file == NULL) {
        o->file = a;
    } else {
        fputs("capsim: sweep: one sweep file at a time\n", stderr);
        return -1;
    }
    return 0;
}

static int parse_opts(int argc, char **argv, struct sweep_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->shard_k = o->shard_n = 1;
    for (int i = 1; i < argc; i++) {
        int rc = parse_one(argc, argv, &i, o);

        if (rc != 0)
            return rc;
    }
    if (o->file == NULL) {
        fputs(sweep_usage, stderr);
        return -1;
    }
    if (o->jobs == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);

        o->jobs = nc > 0 ? (size_t)nc : 1;
    }
    return 0;
}

/* --list: the runs of this shard as CSV, without running them. */
static int list_runs(const struct cs_sweep *sw, const struct sweep_opts *o)
{
    struct cs_sweep_run run;
    struct cs_outbuf b;
    size_t na = cs_sweep_naxes(sw);
    int rc = CS_EXIT_OK;

    if (cs_sweep_run_init(sw, &run) < 0 || cs_outbuf_init(&b, 4096) < 0) {
        cs_sweep_run_fini(&run);
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_FAIL;
    }
    cs_outbuf_puts(&b, "run,replication,seed");
    for (size_t a = 0; a < na; a++) {
        cs_outbuf_putc(&b, ',');
        cs_outbuf_csv_field(&b, cs_sweep_axis_name(sw, a));
    }
    cs_outbuf_putc(&b, '\n');
    for (size_t i = o->shard_k - 1; i < cs_sweep_nruns(sw); i += o->shard_n) {
        cs_sweep_run_get(sw, i, &run);
        cs_outbuf_int(&b, (int64_t)(i + 1));
        cs_outbuf_putc(&b, ',');
        cs_outbuf_int(&b, (int64_t)run.replication);
        cs_outbuf_puts(&b, run.seed_given ? "," : ",+");
        cs_outbuf_int(&b,
                      (int64_t)(run.seed_given ? run.seed : run.seed_offset));
        for (size_t a = 0; a < na; a++) {
            cs_outbuf_putc(&b, ',');
            cs_outbuf_csv_field(&b, run.labels[a]);
        }
        cs_outbuf_putc(&b, '\n');
        if (b.len >= 65536 && b.err == 0) {
            fwrite(b.data, 1, b.len, stdout);
            cs_outbuf_reset(&b);
        }
    }
    if (b.err != 0) {
        fputs("capsim: out of memory\n", stderr);
        rc = CS_EXIT_FAIL;
    } else {
        fwrite(b.data, 1, b.len, stdout);
    }
    cs_outbuf_fini(&b);
    cs_sweep_run_fini(&run);
    return rc;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Load-time warnings (sc->warnings) on stderr; they leave the exit
 * status alone. */
static void print_warnings(const struct cs_scenario *sc)
{
    for (int i = 0; i < sc->nwarnings; i++)
        fprintf(stderr, "capsim: warning: %s\n", sc->warnings[i]);
}

/* Load the sweep and its base scenario (with the command line's --set);
 * the base's workloads name the per-workload columns. */
static int load_inputs(const struct sweep_opts *o, struct cs_sweep **sw,
                       struct cs_scenario **base)
{
    struct cs_err err;

    cs_err_clear(&err);
    *base = NULL;
    if (cs_sweep_load(o->file, sw, &err) < 0) {
        cs_cli_print_err(&err);
        return CS_EXIT_USAGE;
    }
    *base = cs_scenario_load_with(cs_sweep_scenario(*sw), o->sets.ov, o->sets.n,
                                  &err);
    if (*base == NULL) {
        cs_cli_print_err(&err);
        cs_sweep_destroy(*sw);
        *sw = NULL;
        return CS_EXIT_USAGE;
    }
    print_warnings(*base); /* once per sweep: the runs' loads are silent */
    return 0;
}

static void print_done(const struct cs_sweep *sw, const struct sweep_opts *o,
                       const struct cs_sweep_exec *ex, const char *dir,
                       double wall)
{
    printf("sweep %s: %zu runs", cs_sweep_name(sw), ex->n);
    if (o->shard_n > 1)
        printf(" (shard %zu/%zu of %zu runs)", o->shard_k, o->shard_n,
               cs_sweep_nruns(sw));
    printf(" in %.2f s on %zu thread%s (%.1f runs/s)\n", wall, ex->threads,
           ex->threads == 1 ? "" : "s", wall > 0 ? (double)ex->n / wall : 0.0);
    printf("results: %s/%s\n", dir, CS_RESULTS_FILE);
    if (o->keep_runs)
        printf("runs: %s/runs/\n", dir);
}

static int sweep_main(struct sweep_opts *o, struct cs_sweep *sw,
                      struct cs_scenario *base)
{
    struct cs_sweep_exec ex;
    struct cs_results res;
    struct cs_err err;
    struct timespec t0;
    char dir[1024];
    int rc;

    if (o->out != NULL)
        snprintf(dir, sizeof(dir), "%s", o->out);
    else
        snprintf(dir, sizeof(dir), "out/%s", cs_sweep_name(sw));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = cs_sweep_exec_init(&ex, sw, o->shard_k, o->shard_n, o->jobs,
                            o->sets.ov, o->sets.n, o->keep_runs ? dir : NULL);
    if (rc == 0)
        rc = cs_sweep_exec_run(&ex, !o->quiet && isatty(STDERR_FILENO));
    if (rc != 0) {
        cs_sweep_exec_fini(&ex);
        return rc;
    }
    cs_err_clear(&err);
    if (cs_sweep_exec_table(&ex, base, &res) < 0) {
        fputs("capsim: out of memory\n", stderr);
        cs_sweep_exec_fini(&ex);
        return CS_EXIT_FAIL;
    }
    if (cs_results_write(&res, dir, &err) < 0) {
        cs_cli_print_err(&err);
        rc = CS_EXIT_FAIL;
    } else {
        if (!o->quiet)
            print_done(sw, o, &ex, dir, seconds_since(&t0));
        rc = cs_cli_choose(&o->choose, &res, dir, o->quiet);
        if (ex.failed > 0) {
            fflush(stdout);
            fprintf(stderr,
                    "capsim: %zu of %zu runs failed; see the error column "
                    "of %s/%s\n",
                    ex.failed, ex.n, dir, CS_RESULTS_FILE);
            if (rc == 0)
                rc = CS_EXIT_FAIL;
        }
    }
    cs_results_fini(&res);
    cs_sweep_exec_fini(&ex);
    return rc;
}

int cs_cli_sweep(int argc, char **argv)
{
    struct sweep_opts o;
    struct cs_sweep *sw = NULL;
    struct cs_scenario *base = NULL;
    int rc = parse_opts(argc, argv, &o);

    if (rc != 0) {
        cs_cli_sets_fini(&o.sets);
        return rc > 0 ? CS_EXIT_OK : CS_EXIT_USAGE;
    }
    cs_cli_signals_install();
    rc = load_inputs(&o, &sw, &base);
    if (rc == 0 && o.list)
        rc = list_runs(sw, &o);
    else if (rc == 0) {
        if (!o.quiet)
            cs_cli_sets_print(&o.sets);
        rc = sweep_main(&o, sw, base);
    }
    cs_scenario_destroy(base);
    cs_sweep_destroy(sw);
    cs_cli_sets_fini(&o.sets);
    return rc;
}
