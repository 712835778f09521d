/*
 * cluster.h - node pools and nodes.
 *
 * A pool describes identical nodes (instance type, allocatable, labels,
 * taints). Nodes are kept in one compact array indexed by uint32; a node
 * remembers the sum of the requests of the pods bound to it so that the
 * scheduler's fit test is O(resources).
 *
 * Invariants (cs_cluster_check):
 *   1. for every node, requested <= allocatable in every resource;
 *   2. npods <= max_pods;
 *   3. requested and npods equal the sums over the pods bound to the node.
 * Strings are borrowed from the scenario, which outlives the cluster.
 */
#ifndef CS_MODEL_CLUSTER_H
#define CS_MODEL_CLUSTER_H

#include "core/dist.h"
#include "core/evq.h"
#include "core/time.h"
#include "model/res.h"

#include <stdint.h>

enum cs_taint_effect {
    CS_TAINT_NO_SCHEDULE = 1,
    CS_TAINT_PREFER_NO_SCHEDULE = 2,
    CS_TAINT_NO_EXECUTE = 3
};

struct cs_kv {
    const char *key;
    const char *value;
};

struct cs_taint {
    const char *key;
    const char *value; /* "" if none */
    int effect;        /* enum cs_taint_effect */
};

enum cs_toleration_op { CS_TOL_EQUAL = 0, CS_TOL_EXISTS = 1 };

struct cs_toleration {
    const char *key; /* "" with Exists matches every key */
    const char *value;
    int op;     /* enum cs_toleration_op */
    int effect; /* 0 = every effect */
};

enum cs_capacity_type { CS_CAP_ON_DEMAND = 0, CS_CAP_SPOT = 1 };

/* A time window [from, to) of simulated time. */
struct cs_window {
    cs_time_ms from, to;
};

/* Per node group values of the cluster autoscaler's "(per NG)" flags; a
 * negative value means "the global flag". */
struct cs_ng_opts {
    cs_time_ms unneeded_time;  /* scale-down-unneeded-time */
    cs_time_ms unready_time;   /* scale-down-unready-time */
    cs_time_ms provision_time; /* max-node-provision-time */
    cs_time_ms startup_time;   /* max-node-startup-time */
    double util_threshold;     /* scale-down-utilization-threshold */
    double gpu_util_threshold; /* scale-down-gpu-utilization-threshold */
    int ignore_ds_utilization; /* ignore-daemonsets-utilization */
};

struct cs_pool {
    const char *name;
    int32_t nodes;                /* initial node count */
    int autoscaled;               /* a CA node group (min/max given) */
    int32_t min_size, max_size;   /* node group bounds (= nodes if fixed) */
    const char *zone;             /* topology.kubernetes.io/zone; "" none */
    int capacity_type;            /* enum cs_capacity_type */
    struct cs_resvec capacity;    /* milli-units */
    struct cs_resvec allocatable; /* capacity minus reservations */
    int32_t max_pods;
    double price_per_hour; /* USD per node-hour, billed per second */
    struct cs_kv *labels;
    int nlabels;
    struct cs_taint *taints;
    int ntaints;
    int gpu_res; /* resource index of the pool's GPU (allocatable > 0 of a
                    resource whose name ends in "gpu"), -1 for none */
    /* node lifecycle delays, seconds */
    struct cs_dist provision; /* create request -> registered (NotReady) */
    struct cs_dist boot;      /* registered -> Ready (kubelet, CNI, GPU
                                 driver and device plugin) */
    struct cs_ng_opts ng;     /* per node group CA overrides */
    /* spot capacity */
    double interruptions_per_hour; /* per node; 0: never */
    cs_time_ms notice;             /* interruption notice (AWS 120 s) */
    struct cs_window *stockouts;   /* out of capacity: creates fail */
    int nstockouts;
};

/* Node lifecycle (src/controllers/nodes.c):
 *
 *   FREE -> PROVISIONING (the cloud creates the instance) -> NOT_READY
 *   (registered, kubelet starting) -> READY; a READY node may be cordoned
 *   and drained (schedulable 0, draining 1) and then deleted -> FREE.
 *   A PROVISIONING node whose creation fails (stockout) or times out is
 *   deleted without ever registering. */
enum cs_node_state {
    CS_NODE_FREE = 0,
    CS_NODE_PROVISIONING,
    CS_NODE_NOT_READY,
    CS_NODE_READY,
    CS_NODE_NSTATES
};

struct cs_node {
    uint32_t pool;
    uint32_t index_in_pool;     /* name is "<pool>-<index>", never reused */
    uint8_t state;              /* enum cs_node_state */
    uint8_t ready;              /* state == READY (kept for the scheduler) */
    uint8_t schedulable;        /* not cordoned */
    uint8_t to_be_deleted;      /* carries ToBeDeletedByClusterAutoscaler */
    uint8_t draining;           /* pods being evicted */
    uint8_t interrupted;        /* spot notice received */
    uint8_t doomed;             /* provisioning will fail (never registers) */
    uint8_t soft_tainted;       /* DeletionCandidateOfClusterAutoscaler */
    uint8_t drain_kind;         /* CA deletion: 1 empty, 2 drain */
    int32_t npods;              /* bound pods plus DaemonSet pods */
    struct cs_resvec requested; /* sum of bound pods' requests (and the
                                   DaemonSet pods' reservation) */
    uint32_t *plist;            /* bound pods (sim->pods indices) */
    uint32_t nplist, plist_cap;
    int64_t nz_cpu, nz_mem;       /* the same with scoring defaults (milli) */
    cs_time_ms created;           /* create request (billing starts) */
    cs_time_ms registered;        /* CS_TIME_NEVER until registered */
    cs_time_ms ready_since;       /* CS_TIME_NEVER until Ready */
    cs_time_ms unneeded_since;    /* CA: CS_TIME_NEVER when not unneeded */
    cs_time_ms unremovable_until; /* CA: skip re-checks until then (0) */
    cs_time_ms deletion_started;  /* CA/spot: taint time, NEVER if none */
    cs_time_ms drain_deadline;    /* CA: give up evicting / waiting then */
    cs_evq_handle ev;             /* pending lifecycle event, 0 if none */
    cs_evq_handle spot_ev;        /* pending random interruption, 0 none */
    uint32_t next_free;           /* free-list link when FREE */
};

/* 1 if the toleration list tolerates every NoSchedule/NoExecute taint. */
int cs_tolerates(const struct cs_toleration *tol, int ntol,
                 const struct cs_taint *taints, int ntaints);

/* 1 if every selector pair equals a pool label, or for
 * kubernetes.io/hostname the node's name; hostname NULL means "some node of
 * the pool" (matches if the pool has a node of that name). */
int cs_labels_match(const struct cs_kv *selector, int nsel,
                    const struct cs_pool *pool, const char *hostname);

/* Parse "NoSchedule" etc.; returns the effect or 0 if unknown. */
int cs_taint_effect_parse(const char *s);

#endif
