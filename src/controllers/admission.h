/*
 * admission.h - what the API server refuses: pod creation beyond a
 * ResourceQuota, and evictions beyond a PodDisruptionBudget.
 *
 * Quota usage is kept per quota, charged when a pod is created and
 * released when it is gone (a terminating pod still counts, as upstream
 * until its grace period is over). A refused create is
 *   pods "NAME-xxxxx" is forbidden: exceeded quota: QUOTA, requested:
 *   requests.cpu=500m, used: requests.cpu=3500m, limited: requests.cpu=4
 * and the ReplicaSet controller retries it with its rate limiter (5 ms
 * doubling to 1000 s), or at once when a pod of the namespace goes.
 *
 * An eviction is allowed when every PDB of the pod's workload has
 * disruptionsAllowed >= 1, computed from the ready pods and the
 * controllers' scale now (policy.h cs_pdb_allowed); a pod that is not
 * Ready may be evicted while its PDBs are at or above their desired
 * healthy count (unhealthyPodEvictionPolicy IfHealthyBudget).
 */
#ifndef CS_CONTROLLERS_ADMISSION_H
#define CS_CONTROLLERS_ADMISSION_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

struct cs_sim;

/* Build the runtime (sim->policy; NULL when the scenario has neither PDBs
 * nor quotas). 0 or CS_ENOMEM. */
int cs_admission_init(struct cs_sim *sim, struct cs_err *err);
void cs_admission_destroy(struct cs_sim *sim);

/* Admit a new pod of workload w that will run with spec sp (its template,
 * or the requests a VPA set): 0 (usage charged) or CS_EFORBIDDEN with the
 * API server's message in msg. */
struct cs_podspec;
int cs_admission_pod_create(struct cs_sim *sim, uint32_t w,
                            const struct cs_podspec *sp, char *msg, size_t n);

/* Pod p was resized in place from spec `from` to `to`: its quotas'
 * usage moves with it (resizes are not refused: capsim checks only the
 * node's room). */
void cs_admission_pod_resized(struct cs_sim *sim, uint32_t p,
                              const struct cs_podspec *from,
                              const struct cs_podspec *to);

/* Pod p is gone (its slot just freed, fields still valid): release the
 * usage its template revision was charged. */
void cs_admission_pod_gone(struct cs_sim *sim, uint32_t p);

/* 1 if the Eviction API would evict bound pod p now. */
int cs_admission_eviction_allowed(const struct cs_sim *sim, uint32_t p);

/* The PDBs (indices into sc->pdbs) selecting workload w, -1 terminated;
 * an empty list when the scenario has no policy objects. */
const int *cs_admission_workload_pdbs(const struct cs_sim *sim, uint32_t w);

/* disruptionsAllowed of PDB i now. */
int32_t cs_admission_pdb_allowed(const struct cs_sim *sim, int i);

#endif
