/*
 * sweep_exec.h - running the runs of a sweep (or of one shard of it) on
 * worker threads, for `capsim sweep` (cmd_sweep.c has the design).
 *
 * Lifecycle:
 *
 *     cs_sweep_exec_init --> cs_sweep_exec_run --> cs_sweep_exec_table
 *            \___________________\______________________\__> _fini
 *
 * Ownership: the caller owns the sweep, the overrides and the directory
 * string, which must outlive the exec; the exec owns its slots.
 */
#ifndef CS_CLI_SWEEP_EXEC_H
#define CS_CLI_SWEEP_EXEC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct cs_sweep;
struct cs_override;
struct cs_scenario;
struct cs_results;

/* What one run left behind. */
struct cs_sweep_slot {
    uint64_t seed; /* the seed it ran with (set by the check pass) */
    char *summary; /* its summary.csv text (malloc'd), or NULL */
    char *error;   /* its error message (malloc'd), or NULL */
};

struct cs_sweep_exec {
    /* what to run */
    const struct cs_sweep *sw;
    const struct cs_override *cli; /* the command line's --set */
    size_t ncli;
    const char *keep_dir; /* runs write DIR/runs/NNNN; NULL: no files */
    int width;            /* digits of the largest run number */
    size_t shard_k, shard_n;
    size_t n;       /* runs of this shard: slot k is run index
                       shard_k - 1 + k * shard_n */
    size_t threads; /* workers started */
    struct cs_sweep_slot *slot;
    size_t failed; /* runs with an error, after the run pass */
    /* shared with the workers while a pass runs */
    int pass;           /* 0 check, 1 run */
    atomic_size_t next; /* next slot to take */
    atomic_size_t done; /* slots finished in this pass */
    atomic_int stop;    /* set on an interrupt: take no more runs */
};

/* Prepare the runs of shard k of n with at most `jobs` threads. Returns 0
 * or an exit status (out of memory: said on stderr). */
int cs_sweep_exec_init(struct cs_sweep_exec *ex, const struct cs_sweep *sw,
                       size_t shard_k, size_t shard_n, size_t jobs,
                       const struct cs_override *cli, size_t ncli,
                       const char *keep_dir);

/* Check every run's scenario, then run them all; progress on stderr when
 * asked (a terminal). Returns 0, or an exit status after saying why on
 * stderr: 2 (a run's scenario is invalid: the lowest such run), 128 +
 * signal (interrupted), 1 (threads could not start). */
int cs_sweep_exec_run(struct cs_sweep_exec *ex, int progress);

/* The results table of the runs (uninitialised *res), rows in run order,
 * columns from the base scenario's workloads (io/results.h). 0 or
 * CS_ENOMEM. */
int cs_sweep_exec_table(const struct cs_sweep_exec *ex,
                        const struct cs_scenario *base, struct cs_results *res);

void cs_sweep_exec_fini(struct cs_sweep_exec *ex);

#endif
