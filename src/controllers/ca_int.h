/*
 * ca_int.h - the cluster autoscaler's runtime state, shared by ca.c (loop,
 * cluster state registry, backoff, provisioning timeouts), ca_scaleup.c
 * and ca_scaledown.c. Internal to those files.
 */
#ifndef CS_CONTROLLERS_CA_INT_H
#define CS_CONTROLLERS_CA_INT_H

#include "controllers/ca.h"
#include "core/sim.h"
#include "io/scenario.h"

/* Per node group. */
struct cs_ca_group {
    struct cs_ca_backoff_entry backoff;
    int32_t req_increase;    /* open scale-up request: nodes asked */
    cs_time_ms req_expected; /* ExpectedAddTime */
    cs_time_ms last_up, last_delete, last_fail; /* local delay mode */
    int unhealthy;
    cs_time_ms last_fail_logged;
};

/* A group of identical unschedulable pods (one workload). */
struct cs_ca_pgroup {
    uint32_t w;
    int32_t count;
    cs_time_ms oldest; /* creation time of the oldest */
};

struct cs_ca {
    const struct cs_ca_config *cfg;
    struct cs_ca_group *g; /* per pool */
    cs_evq_handle loop_ev;
    cs_time_ms loop_at;   /* time of the queued loop */
    cs_time_ms last_loop; /* start of the last loop, -1 none */
    cs_time_ms last_scale_up, last_sd_delete, last_sd_fail;
    int productive;  /* this loop scaled up or started a deletion */
    int sd_disabled; /* this loop: "all pods new" */
    uint64_t loops;
    cs_time_ms *wl_notrigger; /* per workload: last NotTriggerScaleUp */

    /* scratch, sized for the nodes and workloads */
    struct cs_ca_pgroup *pg;
    int npg;
    int32_t *wl_slot;       /* workload -> index in pg, -1 */
    int32_t *pool_tmp;      /* per pool scratch */
    struct cs_resvec *free; /* per node slot: free capacity in simulations */
    int32_t *free_pods;
    uint32_t *free_stamp; /* free[] valid when stamp matches */
    uint32_t stamp;
    uint32_t scratch_nodes; /* nodes the arrays hold */
};

/* Registered nodes (NotReady or Ready) of pool p. */
static inline int32_t cs_ca_registered(const struct cs_sim *sim, int p)
{
    return sim->pool_st[p].count[CS_NODE_NOT_READY] +
           sim->pool_st[p].count[CS_NODE_READY];
}

/* Upcoming nodes of pool p counted by the CA (spec 6.2). */
int32_t cs_ca_upcoming(const struct cs_sim *sim, const struct cs_ca *ca, int p);

/* Make the scratch arrays cover every node slot. 0 or CS_ENOMEM. */
int cs_ca_scratch(struct cs_sim *sim, struct cs_ca *ca);

/* 1 if one pod of workload w fits a fresh node of pool p (template:
 * allocatable minus DaemonSet pods, taints, selector). */
int cs_ca_fits_template(const struct cs_sim *sim, uint32_t w, int p);

/* The simulation's free room of node n this loop (ca->stamp): set from the
 * node on first use. cs_ca_room: pods of workload w it can still take (0
 * if a filter fails); cs_ca_take: k of them placed (negative: undone). */
void cs_ca_touch(struct cs_sim *sim, struct cs_ca *ca, uint32_t n);
int32_t cs_ca_room(struct cs_sim *sim, struct cs_ca *ca, uint32_t n,
                   uint32_t w);
void cs_ca_take(struct cs_sim *sim, struct cs_ca *ca, uint32_t n, uint32_t w,
                int32_t k);

/* Per NG value or the global flag. */
cs_time_ms cs_ca_ng_time(cs_time_ms ng, cs_time_ms global);
double cs_ca_ng_ratio(double ng, double global);

/* Events under kind "ClusterAutoscaler". */
void cs_ca_log(struct cs_sim *sim, const char *object, const char *reason,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Scale-up (spec 2): 1 if it increased some group. */
int cs_ca_scale_up(struct cs_sim *sim, struct cs_ca *ca);

/* Scale-down planning and actuation (spec 5). */
void cs_ca_scale_down(struct cs_sim *sim, struct cs_ca *ca);

#endif
