/*
 * ca.h - the cluster autoscaler: its configuration (every flag of the
 * spec's table 7.1 with the upstream default) and the controller that runs
 * in the simulation.
 *
 * Configuration. A scenario's `clusterAutoscaler:` block takes the
 * upstream flag names as keys (`scale-down-unneeded-time: 5m`) or the
 * container `args:` of a real cluster-autoscaler Deployment
 * (`--expander=priority,least-waste`); cs_ca_flags[] is the table of
 * every flag, its type, default and whether the simulation models it
 * (flags about API clients, leader election, cloud discovery... are
 * accepted and have no effect, docs/cluster-autoscaler.md says which).
 *
 * Controller (ca.c, ca_scaleup.c, ca_scaledown.c): one CS_EV_CA event per
 * loop, every scan-interval, and at once after a loop that scaled up or
 * started a deletion (frequent loops). Decisions go to events.csv.
 */
#ifndef CS_CONTROLLERS_CA_H
#define CS_CONTROLLERS_CA_H

#include "controllers/ca_algo.h"
#include "core/err.h"
#include "core/time.h"

#include <stddef.h>
#include <stdint.h>

struct cs_sim;

struct cs_ca_config {
    int enabled; /* the scenario has a clusterAutoscaler block */

    /* main loop */
    cs_time_ms scan_interval;          /* scan-interval 10s */
    int frequent_loops;                /* frequent-loops-enabled true */
    int32_t max_nodes_total;           /* max-nodes-total 0 (no limit) */
    int64_t cores_min, cores_max;      /* cores-total 0:320000 */
    int64_t memory_min, memory_max;    /* memory-total 0:6400000 (GiB) */
    int expander[CS_CA_EXPANDERS_MAX]; /* expander least-waste */
    int nexpander;
    struct cs_ca_priority *priorities; /* priority expander ConfigMap */
    int npriorities;
    cs_time_ms new_pod_scale_up_delay; /* new-pod-scale-up-delay 0s */
    int32_t max_nodes_per_scaleup;     /* max-nodes-per-scaleup 1000 */
    int fastpath_binpacking;           /* fastpath-binpacking-enabled */
    int balance_similar;               /* balance-similar-node-groups */
    const char **balancing_ignore_labels;
    int nbalancing_ignore_labels;
    const char **balancing_labels;
    int nbalancing_labels;
    double memory_difference_ratio;          /* 0.015 */
    double max_allocatable_difference_ratio; /* 0.05 */
    double max_free_difference_ratio;        /* 0.05 */
    cs_time_ms max_node_provision_time;      /* 15m */
    cs_time_ms max_node_startup_time;        /* 15m */
    struct cs_ca_backoff_cfg backoff;        /* 5m, 30m, 3h */
    int32_t max_total_unready_percentage;    /* 45 */
    int32_t ok_total_unready_count;          /* 3 */
    int scale_up_from_zero;                  /* true */
    int enforce_node_group_min_size;         /* false */
    int32_t expendable_pods_priority_cutoff; /* -10 */

    /* scale-down */
    int scale_down_enabled;                     /* true */
    cs_time_ms delay_after_add;                 /* 10m */
    cs_time_ms delay_after_delete;              /* 0s */
    cs_time_ms delay_after_failure;             /* 3m */
    int delay_type_local;                       /* false */
    cs_time_ms unneeded_time;                   /* 10m */
    cs_time_ms unready_time;                    /* 20m */
    int unready_enabled;                        /* true */
    double utilization_threshold;               /* 0.5 */
    double gpu_utilization_threshold;           /* 0.5 */
    int ignore_daemonsets_utilization;          /* false */
    int ignore_mirror_pods_utilization;         /* false */
    int32_t non_empty_candidates_count;         /* 30 */
    double candidates_pool_ratio;               /* 0.1 */
    int32_t candidates_pool_min_count;          /* 50 */
    cs_time_ms unremovable_recheck;             /* 5m */
    int32_t max_scale_down_parallelism;         /* 10 */
    int32_t max_drain_parallelism;              /* 1 */
    int32_t max_graceful_termination_s;         /* 600 */
    cs_time_ms max_pod_eviction_time;           /* 2m */
    cs_time_ms delete_delay_after_taint;        /* 5s */
    int cordon_before_terminating;              /* true */
    int ds_eviction_empty;                      /* false */
    int ds_eviction_occupied;                   /* true */
    int skip_nodes_with_system_pods;            /* true */
    cs_time_ms blocking_system_pod_timeout;     /* 1h */
    int skip_nodes_with_local_storage;          /* true */
    int skip_nodes_with_custom_controller_pods; /* true */
    int32_t min_replica_count;                  /* 0 */
    int32_t max_bulk_soft_taint_count;          /* 10 */
    int force_delete_unregistered;              /* false */
};

/* One flag of the table. */
enum cs_ca_flag_type {
    CS_CAF_BOOL = 1,
    CS_CAF_INT,
    CS_CAF_FLOAT,
    CS_CAF_DURATION,
    CS_CAF_STRING, /* stored nowhere unless handled specially */
    CS_CAF_RANGE,  /* "min:max" (cores-total, memory-total) */
    CS_CAF_LIST    /* repeated or comma-separated strings */
};

struct cs_ca_flag {
    const char *name; /* upstream flag name without "--" */
    int type;         /* enum cs_ca_flag_type */
    const char *dflt; /* upstream default, as text */
    size_t offset;    /* into struct cs_ca_config; SIZE_MAX: not stored */
    int simulated;    /* 1: the simulation models it */
};

extern const struct cs_ca_flag cs_ca_flags[];
extern const size_t cs_ca_nflags;

/* Fill cfg with every flag's default (enabled = 0). */
void cs_ca_config_defaults(struct cs_ca_config *cfg);

/* Set flag `name` (no leading dashes) from text `value`. Returns 0, or
 * CS_EINVAL with a message in *err (no location: the loader adds it):
 * unknown flag, bad value. Lists and the expander chain are allocated with
 * alloc(ctx, size) (the scenario's arena), never freed separately. */
int cs_ca_config_set(struct cs_ca_config *cfg, const char *name,
                     const char *value, void *(*alloc)(void *ctx, size_t n),
                     void *ctx, struct cs_err *err);

/* ---- the controller ---------------------------------------------------- */

/* Create the runtime state (NULL sim->ca when disabled). 0 or CS_ENOMEM. */
int cs_ca_init(struct cs_sim *sim, struct cs_err *err);
void cs_ca_destroy(struct cs_sim *sim);

/* Start the loop (first iteration at t = 0). 0 or CS_ENOMEM. */
int cs_ca_start(struct cs_sim *sim);

/* A CS_EV_CA event: one loop; schedules the next one. */
void cs_ca_event(struct cs_sim *sim, uint32_t a, uint32_t b);

/* A node's creation failed (stockout): it is deleted, the group's target
 * lowered and, with a CA, the scale-up request reduced and the group
 * backed off. */
void cs_ca_create_failed(struct cs_sim *sim, uint32_t n);

/* A CS_EV_NODE step of the CA's scale-down actuation for node n. */
void cs_ca_node_step(struct cs_sim *sim, uint32_t n, uint32_t step);

/* A pod became unschedulable (frequent loops: wake the loop early). */
void cs_ca_pod_unschedulable(struct cs_sim *sim);

#endif
