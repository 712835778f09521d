/*
 * rollout.h - the Deployment controller's rollout of a new pod template
 * (a scheduled `kubectl set resources`), after upstream's
 * pkg/controller/deployment/{rolling.go,recreate.go}.
 *
 * Each template change is a revision (cs_workload.revision); upstream's
 * ReplicaSet of revision r is named NAME-<r+1> in events. A pod keeps the
 * template of the revision it was created from, so old pods hold their old
 * requests on their nodes and in quotas until they go.
 *
 * With D = scale.spec.replicas, live = pods not terminating and available
 * = Ready (minReadySeconds is not modelled), a RollingUpdate sync:
 *   1. scales the new revision up to min(D, new + D + maxSurge - live);
 *   2. deletes not-ready old pods, then ready ones (oldest revision first),
 *      while live - (D - maxUnavailable) - new-not-ready allows and at
 *      least D - maxUnavailable pods stay available;
 *   3. scales the new revision up again into the room that made.
 * Recreate deletes every old pod and creates the new ones once no old pod
 * is left, terminating ones included. The rollout is complete when no old
 * pod is live and D new pods are Ready (event NewReplicaSetAvailable).
 *
 * A sync runs when the rollout starts, when a pod of the workload becomes
 * Ready or goes away, and on every replica-count change (HPA, `kubectl
 * scale`: cs_replicaset_sync defers to it), so nothing polls. A change of D
 * during the rollout applies to the new revision alone; old pods drain.
 * (Upstream scales both ReplicaSets proportionally.)
 */
#ifndef CS_CONTROLLERS_ROLLOUT_H
#define CS_CONTROLLERS_ROLLOUT_H

#include <stdint.h>

struct cs_sim;
struct cs_action;

/* Apply action a (CS_ACTION_RESOURCES) to workload w's template and start
 * a rollout when the template changed: the old template is kept for the
 * pods that use it (allocated here, freed with the sim). An invalid edit
 * (a request above its limit against the template as it is now) is logged
 * as a FailedUpdate event and changes nothing. Errors (CS_ENOMEM,
 * CS_ELIMIT) are left in sim->err. */
void cs_rollout_start(struct cs_sim *sim, uint32_t w,
                      const struct cs_action *a);

/* One sync of workload w's rollout (no-op when none is in progress).
 * Errors are left in sim->err. O(pods of w * pods deleted). */
void cs_rollout_sync(struct cs_sim *sim, uint32_t w);

#endif
