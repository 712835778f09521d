/*
 * vpa.h - the Vertical Pod Autoscaler in a simulation: recommender,
 * updater and admission controller of every VerticalPodAutoscaler of the
 * scenario (model/vpa.h), driving the arithmetic of vpa_algo.h.
 *
 *   recommender (CS_EV_VPA a=0, every --recommender-interval): takes each
 *     running container's last metrics sample (controllers/metrics.h) into
 *     its VPA's aggregate per container name, then publishes lower bound,
 *     target, upper bound and uncapped target (recommendations.csv);
 *   updater (CS_EV_VPA a=1, every --updater-interval): in Recreate, Auto,
 *     InPlaceOrRecreate and InPlace modes, evicts (or resizes in place)
 *     the pods the priority calculator accepts, highest priority first,
 *     within min-replicas, the eviction tolerance and PodDisruptionBudgets
 *     (vpa_update.c);
 *   admission (cs_vpa_admit, at every pod creation): a pod of a workload
 *     whose VPA is not Off and has a recommendation gets the target as
 *     its requests, limits scaled in proportion (RequestsAndLimits).
 *
 * Pods of one Deployment that are Ready share one usage sample (metrics.h),
 * so the CPU samples of a loop enter the histogram as one weighted sample
 * per class (ready, running but not ready): the same bucket weights as one
 * sample per container. Memory peaks are per container instance (each has
 * its own aggregation window), so the recommender walks the VPA's pods: a
 * loop costs O(pods of workloads with a VPA).
 *
 * Pods whose requests differ from the template are given specs kept in
 * their workload's vspecs (workload.h, cs_workload_pod_spec).
 */
#ifndef CS_CONTROLLERS_VPA_H
#define CS_CONTROLLERS_VPA_H

#include "controllers/vpa_algo.h"
#include "core/err.h"

#include <stdint.h>

struct cs_sim;
struct cs_vpa_rt;
struct cs_podspec;

/* What one container's recommendation is now (the VPA status). */
struct cs_vpa_rec {
    const char *container;
    int recommended;          /* the container gets a recommendation */
    uint32_t controlled;      /* bit CS_RES_CPU / CS_RES_MEMORY */
    struct cs_vpa_bounds cpu; /* millicores */
    struct cs_vpa_bounds mem; /* bytes */
};

/* Build the runtime (sim->vpa) for the scenario's VPAs. 0, or CS_ENOMEM
 * with err set (sim->vpa NULL). */
int cs_vpa_create(struct cs_sim *sim, struct cs_err *err);
void cs_vpa_destroy(struct cs_vpa_rt *rt);

/* Queue the first recommender and updater loops. 0 or CS_ENOMEM. */
int cs_vpa_start(struct cs_sim *sim);

/* A CS_EV_VPA event: loop `which` (0 recommender, 1 updater) runs and
 * queues its next run. */
void cs_vpa_event(struct cs_sim *sim, uint32_t which);

/* Admission of a new pod of workload w, before its slot is taken: *vspec
 * = 0 (the template) or 1 + the index in w's vspecs of a spec with the
 * VPA's target, and room for the pod's recommender state. 0 or CS_ENOMEM
 * (the pod must not be created). */
int cs_vpa_admit(struct cs_sim *sim, uint32_t w, uint32_t *vspec);

/* Pod p was just created (its per-container windows start afresh). */
void cs_vpa_pod_created(struct cs_sim *sim, uint32_t p);

/* Pod p's serving container was OOM-killed now (RecordOOM with its memory
 * request, or its limit when it has none). */
void cs_vpa_pod_oom(struct cs_sim *sim, uint32_t p);

/* VPA v's status: 1 when it has a recommendation, with its containers in
 * recs[0..*n); 0 otherwise. The array is the runtime's. */
int cs_vpa_status(const struct cs_sim *sim, int v,
                  const struct cs_vpa_rec **recs, int *n);

/* VPA v's update mode now (its spec's, unless a schedule patched it). */
int cs_vpa_mode(const struct cs_sim *sim, int v);

/* Patch VPA v's spec.updatePolicy.updateMode (enum cs_vpa_mode); logs a
 * ModeChanged event when it changes. */
void cs_vpa_set_mode(struct cs_sim *sim, int v, int mode);

/* The pod-level sum of VPA v's CPU (millicores) and memory (bytes)
 * targets; 0, 0 without a recommendation. */
void cs_vpa_pod_target(const struct cs_sim *sim, int v, int64_t *cpu_m,
                       int64_t *mem_bytes);

/* ---- internal to vpa.c / vpa_update.c -------------------------------- */

/* The updater loop over every VPA that updates pods. */
void cs_vpa_update(struct cs_sim *sim);

/* A spec for workload w with VPA v's current capped targets applied to
 * pod spec `from` (requests, and limits as controlledValues says): *vspec
 * = 1 + its index in w->vspecs (the last one is reused when equal), or 0
 * when `from` already has those values. 0 or CS_ENOMEM. */
int cs_vpa_spec_for(struct cs_sim *sim, int v, const struct cs_podspec *from,
                    uint32_t *vspec);

#endif
