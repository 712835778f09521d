/*
 * cli.h - subcommands of the capsim executable. Only src/cli may call exit;
 * each subcommand returns the process exit status:
 *   0 success, 1 the run or check failed, 2 bad usage or bad input.
 */
#ifndef CS_CLI_CLI_H
#define CS_CLI_CLI_H

#define CS_EXIT_OK 0
#define CS_EXIT_FAIL 1
#define CS_EXIT_USAGE 2

int cs_cli_run(int argc, char **argv);
int cs_cli_validate(int argc, char **argv);
int cs_cli_conformance(int argc, char **argv);
int cs_cli_plot(int argc, char **argv);
int cs_cli_diff(int argc, char **argv);
int cs_cli_table(int argc, char **argv);
int cs_cli_check(int argc, char **argv);
int cs_cli_sweep(int argc, char **argv);
int cs_cli_merge(int argc, char **argv);

#include <stddef.h>
#include <stdint.h>

struct cs_scenario;

/* How `capsim run` (and check) runs one scenario. */
struct cs_run_opts {
    const char *out; /* -o DIR, or NULL for out/<scenario name> */
    int has_seed;
    uint64_t seed;
    int64_t max_pods;      /* 0: the scenario's */
    int64_t max_nodes;     /* 0: the scenario's */
    int64_t max_output_mb; /* 0: the scenario's */
    int quiet;
    int stats;
    int plot; /* render plots after the run */
};

/* The --set PATH=VALUE overrides of one command line (io/override.h). */
struct cs_override;
struct cs_cli_sets {
    struct cs_override *ov;
    size_t n;
};

/* Parse the argument of a --set (arg NULL: it was missing) and append it
 * to s; on an error print it ("capsim: --set ARG: ...") and return -1. */
int cs_cli_sets_add(struct cs_cli_sets *s, const char *arg);

/* Print "overrides: ARG ARG..." to stderr when s holds any (an ARG with
 * a space or a quote is single-quoted as a shell would need). */
void cs_cli_sets_print(const struct cs_cli_sets *s);

/* Frees s's overrides; s is left empty. */
void cs_cli_sets_fini(struct cs_cli_sets *s);

/* Run sc and commit its outputs into dir; print the summary unless quiet.
 * Returns the exit status. */
int cs_cli_run_into(const struct cs_run_opts *o, struct cs_scenario *sc,
                    const char *dir);

/* Parse an option's count argument s (0..max) into *v; on a bad value
 * print "capsim: OPT needs a number from 0 to MAX" and return -1. */
int cs_cli_parse_count(const char *opt, const char *s, int64_t max, int64_t *v);

/* Choosing among a sweep's runs (sweep_choose.c): --where EXPR,
 * --minimize/--maximize FIGURE, --top N, --show A,B, --format md|csv,
 * --plot, --pareto X,Y. Zero-initialise, then feed each argument. */
struct cs_cli_choose {
    const char *where;     /* assertion text, or NULL */
    const char *objective; /* column, or NULL */
    int maximize;
    size_t top;       /* rows printed; 0: 10 */
    const char *show; /* comma-separated columns, or NULL: defaults */
    int csv;          /* --format csv */
    int plot;         /* draw the Pareto plot */
    char plot_x[128], plot_y[128]; /* "": latency_p95_ms, cost_usd */
};

/* If argv[*i] is a choosing option, take it (and its value, advancing *i)
 * and return 1; 0 if it is not one; -1 on a bad value (said on stderr). */
int cs_cli_choose_opt(struct cs_cli_choose *c, int argc, char **argv, int *i);

/* Rank r's rows, print the best and draw the plot into dir, as c asks (a
 * no-op when it asks nothing). Returns an exit status. */
struct cs_results;
int cs_cli_choose(const struct cs_cli_choose *c, const struct cs_results *r,
                  const char *dir, int quiet);

/* SIGINT / SIGTERM (signals.c): once installed, the handlers store the
 * signal number in the flag cs_cli_interrupt() points at, which a command
 * passes to sim->interrupt. */
#include <signal.h>
void cs_cli_signals_install(void);
const volatile sig_atomic_t *cs_cli_interrupt(void);
/* Say that `what` was interrupted and nothing was written; returns the exit
 * status, 128 + the signal number (130 for SIGINT). */
int cs_cli_interrupted(const char *what);

/* Print "capsim: FILE:LINE:COL: message" to stderr. */
struct cs_err;
void cs_cli_print_err(const struct cs_err *e);

#endif
