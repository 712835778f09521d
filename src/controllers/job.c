/*
 * job.c - runs of batch CronJobs (see job.h).
 *
 * Run state lives in the workload (cs_workload.runs); a pod knows its run
 * by pod->job_run. Events carry a key (run id, slot, what) so that a retry
 * or deadline of a run that has ended, or whose slot was reused, is
 * ignored.
 */
#include "controllers/job.h"
#include "controllers/replicaset.h"
#include "core/sim.h"
#include "io/quantity.h"

#include <stdio.h>

#define BACKOFF_BASE_MS 10000
#define BACKOFF_MAX_MS 360000

enum { KEY_RETRY = 0, KEY_DEADLINE = 1 };

static uint64_t key(uint32_t id, int slot, int what)
{
    return ((uint64_t)id << 8) | ((uint64_t)slot << 1) | (uint64_t)what;
}

static void run_name(const struct cs_workload *wl, const struct cs_job_run *r,
                     char *buf, size_t n)
{
    snprintf(buf, n, "%s-%u", wl->name, r->id);
}

static int32_t wanted(const struct cs_workload *wl, const struct cs_job_run *r)
{
    int32_t want = wl->job.parallelism;

    if (wl->job.completions >= 0) {
        if (wl->job.completions - r->succeeded < want)
            want = wl->job.completions - r->succeeded;
    } else if (r->succeeded > 0) {
        want = 0; /* no completions: done once one pod succeeds */
    }
    return want > 0 ? want : 0;
}

static void create_pods(struct cs_sim *sim, uint32_t w, int slot)
{
    struct cs_workload *wl = &sim->wl[w];
    struct cs_job_run *r = &wl->runs[slot];

    while (r->pods < wanted(wl, r) && sim->err == 0) {
        int rc = cs_replicaset_create(sim, w); /* a quota: retried later */

        if (rc <= 0) {
            if (rc < 0 && sim->err == 0)
                sim->err = rc;
            return;
        }
        /* a batch workload has no steady region: the new pod is last */
        sim->pods[wl->pods[wl->npods - 1]].job_run = (uint8_t)slot;
        r->pods++;
    }
}

/* End run `slot`: delete its pods still alive and log why. */
static void finish(struct cs_sim *sim, uint32_t w, int slot, const char *reason,
                   const char *msg)
{
    struct cs_workload *wl = &sim->wl[w];
    struct cs_job_run *r = &wl->runs[slot];
    char name[160];

    r->active = 0;
    run_name(wl, r, name, sizeof(name));
    cs_sim_log(sim, "Job", name, reason, msg);
    for (uint32_t i = wl->npods; i-- > 0;) {
        uint32_t p = wl->pods[i];

        if (sim->pods[p].job_run == slot &&
            sim->pods[p].state != CS_POD_TERMINATING)
            cs_sim_pod_delete(sim, p);
    }
    r->pods = 0;
}

static void start(struct cs_sim *sim, uint32_t w, int slot)
{
    struct cs_workload *wl = &sim->wl[w];
    struct cs_job_run *r = &wl->runs[slot];
    char name[160], msg[200];

    *r = (struct cs_job_run){
        .active = 1, .id = ++wl->job_runs, .started = sim->now};
    run_name(wl, r, name, sizeof(name));
    snprintf(msg, sizeof(msg), "Created job %s", name);
    cs_sim_log(sim, "CronJob", wl->name, "SuccessfulCreate", msg);
    if (wl->job.deadline > 0 &&
        cs_evq_push(&sim->q, sim->now + wl->job.deadline, CS_EV_JOB, w,
                    key(r->id, slot, KEY_DEADLINE), NULL) < 0) {
        sim->err = CS_ENOMEM;
        return;
    }
    create_pods(sim, w, slot);
}

void cs_job_fire(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];
    int free_slot = -1, active = 0;

    for (int i = 0; i < CS_JOB_RUNS_MAX; i++) {
        if (wl->runs[i].active)
            active++;
        else if (free_slot < 0)
            free_slot = i;
    }
    if (active > 0 && wl->job.concurrency == CS_CONC_FORBID) {
        cs_sim_log(sim, "CronJob", wl->name, "JobAlreadyActive",
                   "Not starting job because prior execution is running "
                   "and concurrency policy is Forbid");
        return;
    }
    if (active > 0 && wl->job.concurrency == CS_CONC_REPLACE) {
        for (int i = 0; i < CS_JOB_RUNS_MAX; i++)
            if (wl->runs[i].active)
                finish(sim, w, i, "Replaced",
                       "Deleted job: replaced by a newer run (concurrency "
                       "policy Replace)");
        free_slot = 0;
    }
    if (free_slot < 0) {
        cs_sim_log(sim, "CronJob", wl->name, "TooManyActiveJobs",
                   "Not starting job: 8 runs are still active");
        return;
    }
    start(sim, w, free_slot);
}

void cs_job_resync(struct cs_sim *sim, uint32_t w)
{
    for (int slot = 0; slot < CS_JOB_RUNS_MAX; slot++)
        if (sim->wl[w].runs[slot].active)
            create_pods(sim, w, slot);
}

void cs_job_pod_done(struct cs_sim *sim, uint32_t w, int slot, int ok)
{
    struct cs_workload *wl = &sim->wl[w];
    struct cs_job_run *r = &wl->runs[slot];
    char msg[200], took[32];

    if (!r->active)
        return;
    r->pods--;
    if (ok) {
        r->succeeded++;
    } else {
        r->failed++;
        if (r->failed > wl->job.backoff_limit) {
            finish(sim, w, slot, "BackoffLimitExceeded",
                   "Job has reached the specified backoff limit");
            return;
        }
    }
    if (wanted(wl, r) == 0 && r->pods == 0) {
        cs_duration_format(sim->now - r->started, took, sizeof(took));
        snprintf(msg, sizeof(msg),
                 "Job completed in %s (%d succeeded, %d "
                 "failed)",
                 took, r->succeeded, r->failed);
        finish(sim, w, slot, "Completed", msg);
        return;
    }
    if (ok) {
        create_pods(sim, w, slot);
    } else if (!r->retry_pending) {
        cs_time_ms d = BACKOFF_BASE_MS;

        for (int i = 1; i < r->failed && d < BACKOFF_MAX_MS; i++)
            d *= 2;
        if (d > BACKOFF_MAX_MS)
            d = BACKOFF_MAX_MS;
        r->retry_pending = 1;
        if (cs_evq_push(&sim->q, sim->now + d, CS_EV_JOB, w,
                        key(r->id, slot, KEY_RETRY), NULL) < 0)
            sim->err = CS_ENOMEM;
    }
}

void cs_job_event(struct cs_sim *sim, uint32_t w, uint64_t k)
{
    struct cs_workload *wl = &sim->wl[w];
    int slot = (int)((k >> 1) & 0x7f);
    struct cs_job_run *r = &wl->runs[slot];

    if (!r->active || r->id != (uint32_t)(k >> 8))
        return;
    if ((k & 1) == KEY_DEADLINE) {
        finish(sim, w, slot, "DeadlineExceeded",
               "Job was active longer than specified deadline");
        return;
    }
    r->retry_pending = 0;
    create_pods(sim, w, slot);
}
