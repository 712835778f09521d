/*
 * sweep_exec.c - the worker threads of `capsim sweep` (sweep_exec.h).
 *
 * Invariants:
 *   1. Slot k is written only by the worker that took k from `next`, and
 *      read by the main thread only after every worker has joined (the
 *      join orders the writes before the reads).
 *   2. A worker shares nothing mutable with another: each has its own
 *      struct cs_sweep_run, scenario, simulator and report; the sweep, the
 *      command line's overrides and the exec's configuration are read-only
 *      while a pass runs.
 *   3. The table is built from the slots in slot order, which is run
 *      order, so its bytes do not depend on the number of threads.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/sweep_exec.h"

#include "cli/cli.h"
#include "core/sim.h"
#include "io/override.h"
#include "io/report.h"
#include "io/results.h"
#include "io/scenario.h"
#include "io/sweep.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PASS_CHECK, PASS_RUN };

static size_t run_index(const struct cs_sweep_exec *ex, size_t k)
{
    return ex->shard_k - 1 + k * ex->shard_n;
}

static char *dup_err(const struct cs_err *e)
{
    char buf[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

    cs_err_format(e, buf, sizeof(buf));
    return strdup(buf);
}

/* run's scenario: the sweep's overrides, then the command line's. */
static struct cs_scenario *load_run(const struct cs_sweep_exec *ex,
                                    const struct cs_sweep_run *run,
                                    struct cs_err *err)
{
    size_t n = run->nsets + ex->ncli, parsed = 0;
    struct cs_override *ov = calloc(n ? n : 1, sizeof(*ov));
    struct cs_scenario *sc = NULL;

    if (ov == NULL) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    while (parsed < run->nsets &&
           cs_override_parse(run->sets[parsed], &ov[parsed], err) == 0)
        parsed++;
    if (parsed == run->nsets) {
        for (size_t i = 0; i < ex->ncli; i++)
            ov[parsed + i] = ex->cli[i]; /* shallow: only read */
        sc = cs_scenario_load_with(cs_sweep_scenario(ex->sw), ov, n, err);
    }
    for (size_t i = 0; i < parsed; i++)
        cs_override_fini(&ov[i]);
    free(ov);
    return sc;
}

/* Simulate sc into slot (and DIR/runs/NNNN when runs are kept). 0, or
 * CS_EINTR when interrupted (the slot then holds nothing). */
static int simulate(const struct cs_sweep_exec *ex, size_t index,
                    struct cs_scenario *sc, struct cs_sweep_slot *slot)
{
    char dir[1100];
    struct cs_err err;
    struct cs_sim *sim;
    struct cs_report *rep = NULL;
    const char *text;
    size_t len;
    int rc;

    cs_err_clear(&err);
    if (ex->keep_dir != NULL)
        snprintf(dir, sizeof(dir), "%s/runs/%0*zu", ex->keep_dir, ex->width,
                 index + 1);
    sim = cs_sim_create(sc, slot->seed, &err);
    if (sim != NULL)
        rep = cs_report_create(ex->keep_dir ? dir : NULL, sim, &err);
    if (rep == NULL) {
        slot->error = dup_err(&err);
        cs_sim_destroy(sim);
        return 0;
    }
    sim->report = rep;
    sim->interrupt = cs_cli_interrupt();
    rc = cs_sim_run(sim);
    if (rc == 0 && *cs_cli_interrupt())
        rc = CS_EINTR;
    if (rc == CS_EINTR) {
        /* nothing */
    } else if (rc < 0) {
        slot->error = dup_err(&sim->errinfo);
    } else if (cs_report_commit(rep, sim, &err) < 0) {
        slot->error = dup_err(&err);
    } else if ((text = cs_report_summary_text(rep, &len)) != NULL) {
        slot->summary = strndup(text, len);
    }
    cs_report_destroy(rep);
    cs_sim_destroy(sim);
    return rc == CS_EINTR ? CS_EINTR : 0;
}

static void do_slot(struct cs_sweep_exec *ex, struct cs_sweep_run *run,
                    size_t k)
{
    struct cs_sweep_slot *slot = &ex->slot[k];
    struct cs_scenario *sc;
    struct cs_err err;

    cs_sweep_run_get(ex->sw, run_index(ex, k), run);
    cs_err_clear(&err);
    sc = load_run(ex, run, &err);
    if (sc == NULL) {
        free(slot->error);
        slot->error = dup_err(&err);
        return;
    }
    if (ex->pass == PASS_CHECK) {
        slot->seed = run->seed_given ? run->seed : sc->seed + run->seed_offset;
    } else if (simulate(ex, run_index(ex, k), sc, slot) == CS_EINTR) {
        atomic_store(&ex->stop, 1);
    }
    cs_scenario_destroy(sc);
}

static void *worker(void *arg)
{
    struct cs_sweep_exec *ex = arg;
    struct cs_sweep_run run;

    if (cs_sweep_run_init(ex->sw, &run) < 0) {
        atomic_store(&ex->stop, 1);
        return NULL;
    }
    for (;;) {
        size_t k;

        if (atomic_load(&ex->stop) || *cs_cli_interrupt())
            break;
        k = atomic_fetch_add(&ex->next, 1);
        if (k >= ex->n)
            break;
        do_slot(ex, &run, k);
        atomic_fetch_add(&ex->done, 1);
    }
    cs_sweep_run_fini(&run);
    return NULL;
}

int cs_sweep_exec_init(struct cs_sweep_exec *ex, const struct cs_sweep *sw,
                       size_t shard_k, size_t shard_n, size_t jobs,
                       const struct cs_override *cli, size_t ncli,
                       const char *keep_dir)
{
    size_t total = cs_sweep_nruns(sw);

    memset(ex, 0, sizeof(*ex));
    ex->sw = sw;
    ex->cli = cli;
    ex->ncli = ncli;
    ex->keep_dir = keep_dir;
    ex->shard_k = shard_k;
    ex->shard_n = shard_n;
    ex->n = total >= shard_k ? (total - shard_k) / shard_n + 1 : 0;
    ex->threads = jobs < ex->n ? jobs : ex->n;
    if (ex->threads == 0)
        ex->threads = 1;
    ex->width = 1;
    for (size_t v = total; v >= 10; v /= 10)
        ex->width++;
    ex->slot = calloc(ex->n ? ex->n : 1, sizeof(*ex->slot));
    if (ex->slot == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return CS_EXIT_FAIL;
    }
    return 0;
}

/* "\rsweep: [######......] 120/1000 runs, 35.2 runs/s, ETA 0:25" */
static void show_progress(const struct cs_sweep_exec *ex, size_t done,
                          double secs)
{
    char bar[21];
    size_t fill = ex->n ? done * 20 / ex->n : 20;
    double rate = secs > 0 ? (double)done / secs : 0;
    double eta = rate > 0 ? (double)(ex->n - done) / rate : 0;

    memset(bar, '#', fill);
    memset(bar + fill, '.', 20 - fill);
    bar[20] = '\0';
    fprintf(stderr, "\rsweep: [%s] %zu/%zu runs, %.1f runs/s, ETA %d:%02d  ",
            bar, done, ex->n, rate, (int)(eta / 60), (int)eta % 60);
}

/* One pass over every slot on ex->threads workers. 0, or -1 when the
 * threads could not start (said). */
static int run_pass(struct cs_sweep_exec *ex, int pass, int progress)
{
    pthread_t *tid = calloc(ex->threads, sizeof(*tid));
    struct timespec t0, now, nap = {0, 100 * 1000 * 1000};
    size_t started = 0;

    if (tid == NULL) {
        fputs("capsim: out of memory\n", stderr);
        return -1;
    }
    ex->pass = pass;
    atomic_store(&ex->next, 0);
    atomic_store(&ex->done, 0);
    while (started < ex->threads &&
           pthread_create(&tid[started], NULL, worker, ex) == 0)
        started++;
    if (started == 0) {
        free(tid);
        fputs("capsim: sweep: cannot start a thread\n", stderr);
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (progress && pass == PASS_RUN && atomic_load(&ex->done) < ex->n &&
           !atomic_load(&ex->stop) && !*cs_cli_interrupt()) {
        nanosleep(&nap, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        show_progress(ex, atomic_load(&ex->done),
                      (double)(now.tv_sec - t0.tv_sec) +
                          (double)(now.tv_nsec - t0.tv_nsec) / 1e9);
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    if (progress && pass == PASS_RUN)
        fputs("\r\033[K", stderr);
    free(tid);
    return 0;
}

/* "capsim: run 7 (target=50, window=0): MESSAGE"; exit status 2. */
static int bad_run(const struct cs_sweep_exec *ex, size_t k)
{
    struct cs_sweep_run run;
    size_t na = cs_sweep_naxes(ex->sw);

    fflush(stdout);
    fprintf(stderr, "capsim: run %zu", run_index(ex, k) + 1);
    if (na > 0 && cs_sweep_run_init(ex->sw, &run) == 0) {
        cs_sweep_run_get(ex->sw, run_index(ex, k), &run);
        for (size_t a = 0; a < na; a++)
            fprintf(stderr, "%s%s=%s", a ? ", " : " (",
                    cs_sweep_axis_name(ex->sw, a), run.labels[a]);
        fputc(')', stderr);
        cs_sweep_run_fini(&run);
    }
    fprintf(stderr, ": %s\n", ex->slot[k].error);
    return CS_EXIT_USAGE;
}

int cs_sweep_exec_run(struct cs_sweep_exec *ex, int progress)
{
    char what[300];

    snprintf(what, sizeof(what), "sweep %s", cs_sweep_name(ex->sw));
    if (run_pass(ex, PASS_CHECK, 0) < 0)
        return CS_EXIT_FAIL;
    if (*cs_cli_interrupt())
        return cs_cli_interrupted(what);
    for (size_t k = 0; k < ex->n; k++)
        if (ex->slot[k].error != NULL)
            return bad_run(ex, k);
    if (run_pass(ex, PASS_RUN, progress) < 0)
        return CS_EXIT_FAIL;
    if (atomic_load(&ex->stop) || *cs_cli_interrupt())
        return cs_cli_interrupted(what);
    for (size_t k = 0; k < ex->n; k++)
        if (ex->slot[k].error != NULL || ex->slot[k].summary == NULL)
            ex->failed++;
    return 0;
}

void cs_sweep_exec_fini(struct cs_sweep_exec *ex)
{
    for (size_t k = 0; ex->slot != NULL && k < ex->n; k++) {
        free(ex->slot[k].summary);
        free(ex->slot[k].error);
    }
    free(ex->slot);
    ex->slot = NULL;
}

/* ---- the table ------------------------------------------------------------
 */

/* Split the next line of *p at commas, in place, into f[0..cap); the
 * number of fields, 0 at the end. Summary cells are numbers, empty or
 * workload names (DNS labels), so none is quoted. */
static size_t split_line(char **p, char **f, size_t cap)
{
    char *s = *p, *end;
    size_t n = 0;

    if (*s == '\0')
        return 0;
    end = s + strcspn(s, "\n");
    *p = *end ? end + 1 : end;
    *end = '\0';
    while (n < cap) {
        f[n++] = s;
        s = strchr(s, ',');
        if (s == NULL)
            break;
        *s++ = '\0';
    }
    return n;
}

/* The columns: run, replication, seed, axes, error, the run's figures,
 * then every workload's as figure[workload]. *nfig gets the figures per
 * row. Returns a malloc'd array of malloc'd names, or NULL. */
static char **table_columns(const struct cs_sweep_exec *ex,
                            const struct cs_scenario *base, size_t *ncols,
                            size_t *nfig)
{
    char *hdr = strdup(cs_report_summary_header()), *p = hdr, *f[128];
    size_t na = cs_sweep_naxes(ex->sw), nf, n = 0, cap;
    char **cols;

    if (hdr == NULL)
        return NULL;
    nf = split_line(&p, f, 128) - 1; /* without "workload" */
    cap = 4 + na + nf * (1 + (size_t)base->nworkloads);
    cols = calloc(cap, sizeof(*cols));
    if (cols != NULL) {
        cols[n++] = strdup("run");
        cols[n++] = strdup("replication");
        cols[n++] = strdup("seed");
        for (size_t a = 0; a < na; a++)
            cols[n++] = strdup(cs_sweep_axis_name(ex->sw, a));
        cols[n++] = strdup("error");
        for (size_t i = 0; i < nf; i++)
            cols[n++] = strdup(f[1 + i]);
        for (int w = 0; w < base->nworkloads; w++) {
            for (size_t i = 0; i < nf; i++) {
                size_t len =
                    strlen(f[1 + i]) + strlen(base->workloads[w].name) + 3;

                if ((cols[n] = malloc(len)) != NULL)
                    snprintf(cols[n], len, "%s[%s]", f[1 + i],
                             base->workloads[w].name);
                n++;
            }
        }
        for (size_t i = 0; i < n; i++) {
            if (cols[i] == NULL) { /* an allocation failed */
                for (size_t j = 0; j < n; j++)
                    free(cols[j]);
                free(cols);
                cols = NULL;
                break;
            }
        }
    }
    free(hdr);
    *ncols = n;
    *nfig = nf;
    return cols;
}

/* Fill the figure cells of one row from a run's summary text (modified in
 * place): `(all)` into cells[first..first+nfig), workload w's into the
 * w-th block after it. Rows of workloads the base lacks are left out. */
static void fill_figures(char *text, const struct cs_scenario *base,
                         const char **cells, size_t first, size_t nfig)
{
    char *p = text, *f[128];
    size_t n;

    split_line(&p, f, 128); /* header */
    while ((n = split_line(&p, f, 128)) > 0) {
        size_t at = first;
        int w = 0;

        if (n != nfig + 1)
            continue;
        if (strcmp(f[0], CS_REPORT_RUN_ROW) != 0) {
            while (w < base->nworkloads &&
                   strcmp(base->workloads[w].name, f[0]) != 0)
                w++;
            if (w == base->nworkloads)
                continue;
            at = first + (size_t)(w + 1) * nfig;
        }
        for (size_t i = 0; i < nfig; i++)
            cells[at + i] = f[1 + i];
    }
}

static int add_row(const struct cs_sweep_exec *ex,
                   const struct cs_scenario *base, struct cs_results *res,
                   struct cs_sweep_run *run, size_t k, const char **cells,
                   size_t nfig)
{
    const struct cs_sweep_slot *slot = &ex->slot[k];
    size_t na = cs_sweep_naxes(ex->sw), idx = run_index(ex, k);
    char num[3][32], *text = NULL;
    int rc;

    cs_sweep_run_get(ex->sw, idx, run);
    memset(cells, 0, res->ncols * sizeof(*cells));
    snprintf(num[0], sizeof(num[0]), "%zu", idx + 1);
    snprintf(num[1], sizeof(num[1]), "%zu", run->replication);
    snprintf(num[2], sizeof(num[2]), "%llu", (unsigned long long)slot->seed);
    for (int i = 0; i < 3; i++)
        cells[i] = num[i];
    for (size_t a = 0; a < na; a++)
        cells[3 + a] = run->labels[a];
    cells[3 + na] = slot->error     ? slot->error
                    : slot->summary ? ""
                                    : "the run left no summary";
    if (slot->summary != NULL && slot->error == NULL) {
        if ((text = strdup(slot->summary)) == NULL)
            return CS_ENOMEM;
        fill_figures(text, base, cells, 4 + na, nfig);
    }
    rc = cs_results_add(res, idx + 1, cells);
    free(text);
    return rc;
}

int cs_sweep_exec_table(const struct cs_sweep_exec *ex,
                        const struct cs_scenario *base, struct cs_results *res)
{
    size_t ncols = 0, nfig = 0;
    char **cols = table_columns(ex, base, &ncols, &nfig);
    const char **cells = NULL;
    struct cs_sweep_run run;
    int rc = CS_ENOMEM;

    memset(res, 0, sizeof(*res));
    if (cols != NULL && ncols > 0 &&
        (cells = calloc(ncols, sizeof(*cells))) != NULL &&
        cs_sweep_run_init(ex->sw, &run) == 0) {
        rc = cs_results_init(res, cs_sweep_name(ex->sw),
                             cs_sweep_fingerprint(ex->sw),
                             cs_sweep_nruns(ex->sw), ex->shard_k, ex->shard_n,
                             (const char *const *)cols, ncols);
        for (size_t k = 0; rc == 0 && k < ex->n; k++)
            rc = add_row(ex, base, res, &run, k, cells, nfig);
        cs_sweep_run_fini(&run);
    }
    for (size_t i = 0; cols != NULL && i < ncols; i++)
        free(cols[i]);
    free(cols);
    free(cells);
    return rc;
}
