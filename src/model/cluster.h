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

struct cs_pool {
    const char *name;
    int32_t nodes;                /* fixed node count (no autoscaling yet) */
    struct cs_resvec capacity;    /* milli-units */
    struct cs_resvec allocatable; /* capacity minus reservations */
    int32_t max_pods;
    double price_per_hour; /* USD per node-hour */
    struct cs_kv *labels;
    int nlabels;
    struct cs_taint *taints;
    int ntaints;
};

struct cs_node {
    uint32_t pool;
    uint32_t index_in_pool; /* name is "<pool>-<index>" */
    uint8_t ready;
    uint8_t schedulable;
    int32_t npods;
    struct cs_resvec requested; /* sum of bound pods' requests */
    int64_t nz_cpu, nz_mem;     /* the same with scoring defaults (milli) */
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
