/*
 * ca_algo.h - the cluster autoscaler's decision rules as pure functions:
 * expanders, node-group backoff, balancing of similar groups, node
 * utilization and scale-down eligibility, and the binpacking estimator.
 *
 * They follow /work/shared/specs/CLUSTER_AUTOSCALER_SPEC.md (upstream
 * kubernetes/autoscaler cluster-autoscaler at f7bb0c36), and the
 * conformance vectors of CA_VPA_TEST_VECTORS.md part A run through them
 * (tests/conformance/ca_*.csv, `capsim conformance`). Nothing here reads
 * the simulation: ca.c, ca_scaleup.c and ca_scaledown.c gather the inputs
 * from the cluster and act on the results. No allocation unless stated.
 *
 * Units: resources are the model's milli-units (struct cs_resvec: CPU in
 * millicores, memory in milli-bytes); ratios do not depend on the unit.
 */
#ifndef CS_CONTROLLERS_CA_ALGO_H
#define CS_CONTROLLERS_CA_ALGO_H

#include "core/time.h"
#include "model/res.h"

#include <stddef.h>
#include <stdint.h>

/* ---- expanders (spec 2.5) ---------------------------------------------- */

enum cs_ca_expander {
    CS_EXP_RANDOM = 1,
    CS_EXP_MOST_PODS,
    CS_EXP_LEAST_NODES,
    CS_EXP_LEAST_WASTE,
    CS_EXP_PRICE,
    CS_EXP_PRIORITY
};

#define CS_CA_EXPANDERS_MAX 6

/* One scale-up option: `nodes` new nodes of group `group` would take
 * `pods` pending pods. */
struct cs_ca_option {
    int group;         /* caller's index (pool) */
    const char *id;    /* node-group id, matched by priority regexes */
    int32_t nodes;     /* node count N */
    int32_t pods;      /* pods placed */
    int64_t pod_cpu;   /* sum of the placed pods' CPU requests */
    int64_t pod_mem;   /* sum of the placed pods' memory requests */
    int64_t cap_cpu;   /* template node CPU capacity */
    int64_t cap_mem;   /* template node memory capacity */
    double node_price; /* price of one node over the window */
    double pods_price; /* price of the placed pods over the window */
    int gpu;           /* the template has GPUs */
    int exists;        /* the group exists (not auto-provisioned) */
};

/* Expander name ("least-waste", ...) to enum, 0 if unknown. */
int cs_ca_expander_parse(const char *name);
const char *cs_ca_expander_name(int e);

/* least-waste score of an option: wastedCPU + wastedMem over capacity x N
 * (2.0 when no pods request anything). */
double cs_ca_waste_score(const struct cs_ca_option *o);

/* The price expander's preferred node CPU (millicores) for a cluster of
 * `nodes` nodes (1, 2, 4, 8, 16, 32 cores). */
int64_t cs_ca_preferred_cpu(int64_t nodes);

/* price score of an option given the preferred node CPU and the
 * stabilization pod's price (lower is better). */
double cs_ca_price_score(const struct cs_ca_option *o, int64_t preferred_cpu,
                         double stab_price);

/* A priority expander configuration: priority -> regexes (ERE, anchored
 * the way Go's regexp.MatchString is not: a match anywhere counts). */
struct cs_ca_priority {
    int32_t priority;
    const char **regex;
    int nregex;
};

/* Filter options in place with expander e, keeping the equally best
 * (spec 2.5): returns the new count (0 allowed for least-nodes). For
 * CS_EXP_PRICE pass preferred_cpu and stab_price; for CS_EXP_PRIORITY the
 * priority table (NULL or invalid regexes: options unchanged). RANDOM
 * keeps one option chosen with u in [0, 1). Survivors keep their order.
 * PRIORITY compiles its regexes for the call (allocates; on ENOMEM the
 * options are left unchanged); the others do not allocate. An unknown e
 * leaves the options unchanged. */
size_t cs_ca_expander_filter(int e, struct cs_ca_option *opt, size_t n,
                             int64_t preferred_cpu, double stab_price,
                             const struct cs_ca_priority *prio, int nprio,
                             double u);

/* Run a chain (spec 2.5, chain.go): each filter on the previous output,
 * stop at one option, a final random pick with u. Returns the index into
 * the ORIGINAL opt[] of the chosen option, or -1 if none. opt is not
 * modified; scratch needs room for n options. */
int cs_ca_expander_choose(const int *chain, int nchain,
                          const struct cs_ca_option *opt, size_t n,
                          struct cs_ca_option *scratch, int64_t preferred_cpu,
                          double stab_price, const struct cs_ca_priority *prio,
                          int nprio, double u);

/* ---- exponential backoff per node group (spec 6.4) ------------------- */

struct cs_ca_backoff_entry {
    int active;
    cs_time_ms duration; /* current d */
    cs_time_ms until;    /* backoffUntil */
    cs_time_ms last_failure;
};

struct cs_ca_backoff_cfg {
    cs_time_ms initial, max, reset;
};

/* Record a failure at t. */
void cs_ca_backoff_fail(struct cs_ca_backoff_entry *e,
                        const struct cs_ca_backoff_cfg *c, cs_time_ms t);
/* 1 while backed off (until >= now). */
int cs_ca_backoff_active(const struct cs_ca_backoff_entry *e, cs_time_ms now);
/* Drop the entry when stale (last_failure + reset < now). */
void cs_ca_backoff_gc(struct cs_ca_backoff_entry *e,
                      const struct cs_ca_backoff_cfg *c, cs_time_ms now);
/* Forget the entry (upstream RemoveBackoff): not backed off afterwards. */
void cs_ca_backoff_remove(struct cs_ca_backoff_entry *e);

/* ---- balancing (spec 3) ---------------------------------------------- */

/* Split `add` new nodes over groups with current sizes cur[] and max
 * sizes max[] (water-filling: smallest first, skipping full groups).
 * Writes the new sizes to out[] (out[i] = cur[i] for untouched groups)
 * and returns the nodes actually added. */
int32_t cs_ca_balance(const int32_t *cur, const int32_t *max, int n,
                      int32_t add, int32_t *out);

/* A template node for the similarity test. Resources absent from a node
 * have their bit off in `present`. Labels are key=value strings. */
struct cs_ca_template {
    struct cs_resvec capacity, allocatable, free;
    uint32_t present; /* bit r: resource r is in capacity */
    int32_t max_pods; /* capacity "pods" */
    const char *const *label_keys;
    const char *const *label_values;
    int nlabels;
};

struct cs_ca_similarity_cfg {
    double memory_ratio;      /* memory-difference-ratio 0.015 */
    double allocatable_ratio; /* max-allocatable-difference-ratio 0.05 */
    double free_ratio;        /* max-free-difference-ratio 0.05 */
    const char *const *ignore_labels; /* balancing-ignore-label */
    int nignore;
    const char *const *only_labels; /* balancing-label (if any) */
    int nonly;
};

/* 1 if two node groups' templates are similar (spec 3). */
int cs_ca_similar(const struct cs_ca_template *a,
                  const struct cs_ca_template *b, int nres,
                  const struct cs_ca_similarity_cfg *cfg);

/* ---- utilization and eligibility (spec 5.2) --------------------------- */

/* One pod on a node, for the utilization calculation. */
struct cs_ca_util_pod {
    struct cs_resvec req; /* effective request (containers, init, overhead) */
    int daemonset;
    int mirror;
    int long_terminating;
};

struct cs_ca_util {
    double cpu, mem, gpu; /* per resource utilization */
    double value;         /* what is compared with the threshold */
    int gpu_node;
};

/* Utilization of a node with allocatable `alloc` (gpu_res the GPU
 * resource index or -1; gpu_node 1 if the node is a GPU node even with no
 * GPU allocatable) and pods[]. Returns 0, or -1 when it cannot be computed
 * (CPU or memory allocatable missing or 0). */
int cs_ca_utilization(const struct cs_resvec *alloc, int gpu_res, int gpu_node,
                      const struct cs_ca_util_pod *pods, size_t n, int skip_ds,
                      int skip_mirror, struct cs_ca_util *out);

enum cs_ca_unremovable {
    CS_CA_REMOVABLE = 0,
    CS_CA_NOT_UNDERUTILIZED,
    CS_CA_UNEXPECTED_ERROR,
    CS_CA_UNREADY_DISABLED,
    CS_CA_BEING_DELETED,
    CS_CA_DISABLED_ANNOTATION,
    CS_CA_RECENTLY_UNREMOVABLE,
    CS_CA_NO_PLACE_TO_MOVE,
    CS_CA_BLOCKED_POD,
    CS_CA_NOT_ENOUGH_PDB,
    CS_CA_MIN_SIZE,
    CS_CA_NREASONS
};

/* Upstream's reason name ("NotUnderutilized", ...). */
const char *cs_ca_unremovable_name(int reason);

struct cs_ca_eligibility_in {
    int ready;
    int being_deleted;       /* ToBeDeleted taint */
    int disabled_annotation; /* scale-down-disabled */
    int util_error;          /* utilization could not be computed */
    double util;             /* cs_ca_util.value */
    double threshold;        /* per NG, GPU threshold for GPU nodes */
    int unready_enabled;     /* scale-down-unready-enabled */
    int recently_unremovable;
};

/* Spec 5.2 in order: CS_CA_REMOVABLE (a candidate, "unneeded" if the
 * removal simulation agrees) or the reason. util <= threshold passes. */
int cs_ca_eligibility(const struct cs_ca_eligibility_in *in);

/* ---- binpacking estimator (spec 2.4) ---------------------------------- */

/* Pods that are alike: `count` pods each requesting `req`. Topology spread
 * and host ports are what the upstream estimator tests exercise (the
 * simulator's pods have neither yet). */
enum cs_ca_spread { CS_SPREAD_NONE = 0, CS_SPREAD_HOSTNAME, CS_SPREAD_ZONE };

struct cs_ca_pod_group {
    struct cs_resvec req;
    int32_t count;
    int32_t host_port; /* 0: none; pods with the same port conflict */
    int spread;        /* enum cs_ca_spread (DoNotSchedule) */
    int32_t max_skew;
    int32_t min_domains; /* 0: unset */
    int fits_template;   /* the first pod passes the template's filters */
};

/* Existing nodes that take part in topology spread (the snapshot's other
 * nodes matching the pods' node affinity): their zones and how many pods
 * of each group they already hold. */
struct cs_ca_est_domain {
    int zone; /* small integer id; the template's zone is template_zone */
    const int32_t *matching; /* per group: pods already there; NULL: 0 */
    struct cs_resvec free;   /* room left on the node (0: takes no pod) */
    int32_t free_pods;       /* pod slots left */
};

struct cs_ca_est_input {
    struct cs_resvec alloc; /* template allocatable, minus DaemonSet pods */
    int32_t max_pods;       /* template pod slots, minus DaemonSet pods */
    int template_zone;
    int nres;
    const struct cs_ca_est_domain *existing;
    int nexisting;
    int32_t max_nodes; /* limiter: 0 no limit, < 0 none allowed */
    int fastpath;      /* fastpath-binpacking-enabled */
};

struct cs_ca_est_result {
    int32_t nodes;    /* nodes that received at least one pod */
    int32_t *placed;  /* per group (caller's array of ngroups; may be NULL) */
    int32_t pods;     /* total placed */
    int32_t existing; /* of `nodes`: existing nodes that received pods (the
                         hostname-spread exception; upstream counts them) */
};

/* First-Fit Decreasing estimate (spec 2.4 steps 1-5) of the new nodes of
 * one template needed by groups[] (only those with fits_template and a
 * positive count). Groups are ordered by decreasing cpu/alloc_cpu +
 * mem/alloc_mem of one pod (ties keep their order). A hostname-spread pod
 * refused by the last node because of the constraint tries the other new
 * nodes, then the existing ones with room (upstream does, and counts such
 * an existing node in `nodes`). With fastpath the last group in that order,
 * unless it spreads, is simulated on one node and counted as
 * ceil(pods / pods-per-node) nodes. Cost O(pods + nodes) for groups
 * without spread (host ports included), O(pods x nodes) for spread ones.
 * Returns 0 or CS_ENOMEM (out unchanged but placed[] zeroed; scratch is
 * allocated and freed inside). */
int cs_ca_estimate(const struct cs_ca_est_input *in,
                   const struct cs_ca_pod_group *groups, int ngroups,
                   struct cs_ca_est_result *out);

#endif
