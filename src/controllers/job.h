/*
 * job.h - batch CronJobs: the Job controller inside the simulation.
 *
 * A batch CronJob is a workload with is_job set (model/workload.h). Each
 * firing of its schedule starts a run (a Job) subject to the CronJob's
 * concurrencyPolicy; a run keeps min(parallelism, completions - succeeded)
 * pods going, as the upstream Job controller does:
 *
 *   fire --(Forbid and a run active: skipped)--> (nothing)
 *        --(Replace: the active runs are stopped)--> start
 *   start --> create pods --> pods run their `duration` --> done
 *   done: succeeded --> more pods if completions remain, else Complete
 *         failed    --> failed > backoffLimit: Failed (BackoffLimitExceeded)
 *                       else a replacement after 10 s * 2^(failed-1),
 *                       at most 6 min (the controller's pod backoff)
 *   activeDeadlineSeconds after start: Failed (DeadlineExceeded), and
 *   the run's pods are deleted (graceful termination).
 *
 * Every step goes to events.csv as the Job and CronJob controllers report
 * it (SuccessfulCreate, SawCompletedJob, JobAlreadyActive, ...).
 */
#ifndef CS_CONTROLLERS_JOB_H
#define CS_CONTROLLERS_JOB_H

#include <stdint.h>

struct cs_sim;

/* The CronJob of job workload w fires now: start a run (or not). */
void cs_job_fire(struct cs_sim *sim, uint32_t w);

/* A pod of run `run` of workload w finished (ok: succeeded); it is gone. */
/* Create the pods the active runs still lack (a quota refused them). */
void cs_job_resync(struct cs_sim *sim, uint32_t w);

void cs_job_pod_done(struct cs_sim *sim, uint32_t w, int run, int ok);

/* The CS_EV_JOB handler (a retry after backoff, or a deadline). */
void cs_job_event(struct cs_sim *sim, uint32_t w, uint64_t key);

#endif
