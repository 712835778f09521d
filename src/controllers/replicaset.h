/*
 * replicaset.h - the Deployment/ReplicaSet controller: keep a workload's
 * non-terminating pods equal to scale.spec.replicas.
 *
 * Scale-down victims follow upstream's ActivePodsWithRanks ordering
 * (pkg/controller/controller_utils.go, LogarithmicScaleDown on):
 *   1. unassigned before assigned;
 *   2. phase Pending before Running;
 *   3. not ready before ready;
 *   4. more pods of the workload on the same node before fewer (rank);
 *   5. ready for less time before longer, compared in log2 buckets;
 *   6. (restart counts: no restarts in this model);
 *   7. newer before older, creation time in log2 buckets;
 *   8. then by uid, newest first, so the order is total.
 */
#ifndef CS_CONTROLLERS_REPLICASET_H
#define CS_CONTROLLERS_REPLICASET_H

#include <stdint.h>

struct cs_sim;

/* Create or delete pods of workload w until its replicas match
 * spec_replicas (during a rollout, a rollout sync instead: rollout.h).
 * Returns 0 or CS_ELIMIT (pod limit reached; err filled). */
int cs_replicaset_sync(struct cs_sim *sim, uint32_t w);

/* Set workload w's scale.spec.replicas to `replicas` (an HPA rescale, a
 * scheduled `kubectl scale`) and sync: the scale is counted, reported and
 * logged as the Deployment controller's ScalingReplicaSet event. A sync
 * error is left in sim->err. No-op when the count does not change. */
void cs_replicaset_scale(struct cs_sim *sim, uint32_t w, int32_t replicas);

/* Workload w's controller syncs after its pods changed outside it (an
 * eviction, a lost node, a retry after a refused create): a Deployment
 * replaces missing pods, a Job creates the pods its runs lack. An error is
 * left in sim->err. */
void cs_replicaset_resync(struct cs_sim *sim, uint32_t w);

/* Create one pod of workload w as its controller does: 1 when created, 0
 * when a ResourceQuota refused it (a retry is queued with
 * cs_replicaset_retry_later; the caller stops creating), or < 0 on an
 * error (out of memory, the pod limit; sim->errinfo says which). */
int cs_replicaset_create(struct cs_sim *sim, uint32_t w);

/* A create was refused (quota): queue a CS_EV_RS_RETRY for workload w
 * with the controller's exponential backoff (5 ms doubling to 1000 s). */
void cs_replicaset_retry_later(struct cs_sim *sim, uint32_t w);

/* Delete up to k pods of workload w in victim order (above), only pods of
 * template `revision` (-1: any) and, when unready_only, only pods not
 * Ready. Returns the number deleted. O(k * pods + nodes touched). */
int32_t cs_replicaset_delete_pods(struct cs_sim *sim, uint32_t w, int32_t k,
                                  int revision, int unready_only);

/* Compare two pods for deletion: < 0 if a should be deleted before b. The
 * `rank` arguments are the pods' co-located counts (step 4). */
int cs_replicaset_victim_cmp(const struct cs_sim *sim, uint32_t a,
                             int32_t rank_a, uint32_t b, int32_t rank_b);

#endif
