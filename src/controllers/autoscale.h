/*
 * autoscale.h - the HPA controller inside the simulation.
 *
 * Once per sync period (one event for all HPAs) each HPA's metric inputs are
 * built from the simulated pods and metrics (struct cs_hpa_pod per pod, as
 * the upstream calculator sees the API objects), cs_hpa_reconcile() runs the
 * upstream algorithm, its events and condition changes go to events.csv,
 * and a rescale sets the Deployment's spec.replicas, which the ReplicaSet
 * controller acts on at once.
 */
#ifndef CS_CONTROLLERS_AUTOSCALE_H
#define CS_CONTROLLERS_AUTOSCALE_H

#include "core/err.h"

struct cs_sim;
struct cs_autoscale;

/* Set up sim->as for the scenario's HPAs. 0 or CS_ENOMEM. */
int cs_autoscale_create(struct cs_sim *sim, struct cs_err *err);

/* Free; NULL is a no-op. */
void cs_autoscale_destroy(struct cs_autoscale *as);

/* Reconcile every HPA at sim->now. */
void cs_autoscale_sync(struct cs_sim *sim);

/* Apply a PATCH_HPA action to the run's copy of HPA h's spec: minReplicas,
 * maxReplicas, and an averageUtilization target (of metric_index, or of
 * the cpu Resource metric, or of the default cpu metric). The HPA reads
 * the new spec at its next sync. */
struct cs_action;
void cs_autoscale_patch(struct cs_sim *sim, int h, const struct cs_action *a);

/* The spec HPA h runs with now (the scenario's, as patched). */
struct cs_hpa_spec;
const struct cs_hpa_spec *cs_autoscale_spec(const struct cs_sim *sim, int h);

/* The cpu Utilization target (percent) of workload w's HPA, or -1. */
int cs_autoscale_cpu_target(const struct cs_sim *sim, int w);

#endif
