/*
 * policy.h - cluster objects that constrain pods: PodDisruptionBudgets,
 * ResourceQuotas and DaemonSets, as read from the manifests.
 *
 * Matching is resolved at load time: a PDB lists the workloads (in its
 * namespace, whose pod template labels its selector matches), a quota
 * names its namespace, a DaemonSet the pools its pods run on. Strings are
 * borrowed from the scenario.
 */
#ifndef CS_MODEL_POLICY_H
#define CS_MODEL_POLICY_H

#include "model/cluster.h"
#include "model/res.h"

#include <stdint.h>

/* policy/v1 PodDisruptionBudget. Exactly one of minAvailable and
 * maxUnavailable is set; either is a count or a percentage of the
 * expected pods (the workload's scale, summed over its workloads). */
enum cs_pdb_kind { CS_PDB_MIN_AVAILABLE = 1, CS_PDB_MAX_UNAVAILABLE = 2 };

struct cs_pdb {
    const char *name;
    const char *ns;
    int kind;      /* enum cs_pdb_kind */
    int32_t value; /* count, or percent when percent != 0 */
    int percent;
    int *workloads; /* indices of the workloads it selects */
    int nworkloads;
    int line, col;
};

/* v1 ResourceQuota: hard limits on the namespace's non-terminal pods.
 * requests.cpu and cpu are the same key, as upstream; a resource whose bit
 * is off in req_set / lim_set is not limited. */
struct cs_quota {
    const char *name;
    const char *ns;
    int64_t pods; /* -1: not limited */
    struct cs_resvec requests, limits;
    uint32_t req_set, lim_set;
    int line, col;
};

/* apps/v1 DaemonSet: one pod on every node whose pool it tolerates and
 * selects; its requests are reserved on the node from registration. */
struct cs_daemonset {
    const char *name;
    const char *ns;
    struct cs_resvec requests;
    struct cs_kv *node_selector;
    int nnode_selector;
    struct cs_toleration *tolerations;
    int ntolerations;
    int line, col;
};

/* Pods the PDB allows to be disrupted now: currentHealthy - desiredHealthy
 * (never below 0), with `healthy` ready pods and `expected` pods wanted by
 * their controllers. Percentages round up for minAvailable and
 * maxUnavailable alike, as upstream's GetScaledValueFromIntOrPercent with
 * roundUp = true. */
int32_t cs_pdb_allowed(const struct cs_pdb *pdb, int32_t healthy,
                       int32_t expected);

#endif
