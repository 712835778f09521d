/*
 * schedule.h - scheduled scaling inside the simulation: the scenario's
 * `schedule:` entries and kubectl CronJobs (struct cs_sched, io/scenario.h).
 *
 * Each entry that is not suspended has one pending CS_EV_CRON event at its
 * next firing time: a one-off `at`, or the next instant its cron schedule
 * matches in its time zone (cs_cron_next, as the CronJob controller
 * computes it). Firing applies the entry's actions in order, writes each to
 * events.csv, and pushes the entry's next firing.
 *
 * Actions act on the cluster the way the API would:
 *   SCALE      sets the Deployment's spec.replicas; the ReplicaSet
 *              controller acts at once, and an HPA on the Deployment sees
 *              the new count at its next sync (and may undo it).
 *   PATCH_HPA  changes the run's copy of the HPA's spec (cs_autoscale_patch).
 */
#ifndef CS_CONTROLLERS_SCHEDULE_H
#define CS_CONTROLLERS_SCHEDULE_H

#include <stdint.h>

struct cs_sim;

/* Push the first firing of every entry. 0 or CS_ENOMEM. */
int cs_schedule_start(struct cs_sim *sim);

/* Fire entry i at sim->now (the CS_EV_CRON handler). */
void cs_schedule_fire(struct cs_sim *sim, uint32_t i);

#endif
