/*
 * sim.h - one simulation: every piece of state hangs off struct cs_sim.
 *
 * There is no global mutable state, so two simulations can run in one
 * process (tests and sweeps do). A run is:
 *
 *   cs_sim_create(scenario) -> cs_sim_run(until end) -> cs_sim_destroy
 *
 * The loop pops events in (time, seq) order and dispatches on their kind.
 * Periodic controllers (metrics scrape, HPA sync, output sampling) are ONE
 * event per period that walks their objects; pods have at most one pending
 * lifecycle event each (handle in pod->ev, cancelled when the pod is
 * deleted). Per-workload counters are kept incrementally on every state
 * change (cs_sim_pod_set_state), never recomputed by scanning.
 */
#ifndef CS_CORE_SIM_H
#define CS_CORE_SIM_H

#include "core/err.h"
#include "core/evq.h"
#include "core/rng.h"
#include "core/time.h"
#include "model/cluster.h"
#include "model/res.h"
#include "model/workload.h"

#include <signal.h>
#include <stdint.h>

struct cs_scenario;
struct cs_report;
struct cs_autoscale;
struct cs_ca;
struct cs_policy;
struct cs_vpa_rt;
struct cs_hpa_result;

enum cs_event_kind {
    CS_EV_END = 1,
    CS_EV_SCRAPE,      /* metrics-server scrape of every pod */
    CS_EV_HPA_SYNC,    /* every HPA reconciles */
    CS_EV_SAMPLE,      /* output sampling step */
    CS_EV_SCHEDULE,    /* scheduler pass over pending pods */
    CS_EV_LOAD_POINT,  /* a = workload: a load breakpoint */
    CS_EV_POD_STARTED, /* a = pod: containers running */
    CS_EV_POD_READY,   /* a = pod: readiness probe passed */
    CS_EV_POD_GONE,    /* a = pod: terminated, slot freed */
    CS_EV_CRON,        /* a = scenario schedule entry: it fires */
    CS_EV_POD_DONE,    /* a = pod: a batch pod's work ends */
    CS_EV_JOB,         /* a = workload, b = job.c's run key: retry or
                          deadline of a batch run */
    CS_EV_NODE,        /* a = node, b = enum cs_node_step: lifecycle */
    CS_EV_CA,          /* cluster autoscaler loop */
    CS_EV_SPOT,        /* a = pool: next random interruption; or
                          b = 1 + reclaim index: a scenario reclaim */
    CS_EV_RS_RETRY,    /* a = workload: ReplicaSet retries a create the
                          quota refused */
    CS_EV_VPA,         /* a = 0: VPA recommender loop, 1: updater loop */
    CS_EV_POD_RESTART  /* a = pod: a crashed container restarts after its
                          CrashLoopBackOff delay */
};

/* Per pool: node counts by state, kept exact on every transition. */
struct cs_pool_state {
    int32_t count[CS_NODE_NSTATES];
    int32_t draining;        /* READY nodes being drained or deleted */
    int32_t target;          /* node group target size (CA's view) */
    uint32_t next_index;     /* next node name index */
    struct cs_resvec ds_req; /* DaemonSet pods' requests on each node */
    int32_t ds_pods;         /* DaemonSet pods on each node */
};

#define CS_SIM_PROGRESS_EVENTS 65536

struct cs_sim_limits {
    uint32_t max_pods;       /* live pods at once */
    uint64_t instant_events; /* events at one simulated instant */
};

struct cs_sim {
    const struct cs_scenario *sc; /* borrowed; outlives the sim */
    cs_time_ms now;
    cs_time_ms end;
    struct cs_evq q;
    struct cs_rng rng;
    struct cs_sim_limits limits;
    int nres; /* registered resources */

    /* cluster */
    struct cs_pool *pools; /* borrowed from the scenario */
    int npools;
    struct cs_node *nodes;
    uint32_t nnodes; /* slots used (FREE ones included) */
    uint32_t nodes_cap;
    uint32_t node_free_head; /* UINT32_MAX when empty */
    uint32_t live_nodes;     /* nodes not FREE */
    struct cs_pool_state *pool_st;
    uint32_t sched_next_start; /* kube-scheduler's rotating start index */
    int32_t *node_scratch;     /* nnodes zeros, borrowed by controllers */

    /* workloads and pods */
    struct cs_workload *wl; /* owned copies of the scenario's templates */
    int nwl;
    struct cs_pod *pods;
    uint32_t npods_cap;  /* slots allocated */
    uint32_t npods_used; /* slots ever used (high-water mark) */
    uint32_t free_head;  /* free-list head, UINT32_MAX when empty */
    uint32_t live_pods;
    uint64_t next_uid;
    uint32_t *pending; /* unbound pods awaiting the scheduler, FIFO */
    uint32_t npending, pending_cap;
    int sched_queued;    /* a CS_EV_SCHEDULE is pending */
    uint32_t sched_pass; /* scheduler passes run (workload fail stamps) */
    int warming;         /* binding the initial pods at t = 0 */

    /* controllers */
    struct cs_autoscale *as;  /* HPA runtime, NULL if no HPA */
    struct cs_ca *ca;         /* cluster autoscaler, NULL if none */
    struct cs_policy *policy; /* PDB and quota runtime, NULL if none */
    struct cs_vpa_rt *vpa;    /* VPA runtime, NULL if no VPA */
    cs_time_ms scrape_period;
    cs_time_ms hpa_period;
    cs_time_ms sample_step;

    /* output */
    struct cs_report *report; /* NULL: no output */
    /* called every CS_SIM_PROGRESS_EVENTS events (the CLI prints progress
     * from it; the model never reads the wall clock) */
    void (*progress)(void *ctx, const struct cs_sim *sim);
    void *progress_ctx;
    /* called after every pass of HPA `hpa` (capsim table reads the
     * decisions from it); NULL: none */
    void (*on_hpa_pass)(void *ctx, const struct cs_sim *sim, int hpa,
                        const struct cs_hpa_result *r);
    /* called before (after = 0) and after (after = 1) every VPA loop,
     * which = 0 recommender, 1 updater (tests check each loop); NULL:
     * none */
    void (*on_vpa_loop)(void *ctx, const struct cs_sim *sim, int which,
                        int after);
    void *hook_ctx;
    /* set (non-zero) by a signal handler to stop the run: cs_sim_run then
     * returns CS_EINTR at the next event; NULL: never */
    const volatile sig_atomic_t *interrupt;
    uint64_t events_run;
    uint64_t instant_events; /* events run at the current instant */
    int err;                 /* first fatal CS_E* in the loop */
    struct cs_err errinfo;
};

/* Build a simulation from a validated scenario with the given seed. Returns
 * NULL and fills err on failure (nothing to free). */
struct cs_sim *cs_sim_create(const struct cs_scenario *sc, uint64_t seed,
                             struct cs_err *err);

/* Free everything the sim owns; NULL is a no-op. */
void cs_sim_destroy(struct cs_sim *sim);

/* Run until the scenario's duration (or an error). Returns 0 or CS_E*; on
 * error sim->errinfo holds the message. */
int cs_sim_run(struct cs_sim *sim);

/* --- used by controllers ------------------------------------------------ */

/* Create one pod of workload w (PENDING, queued for the scheduler). */
int cs_sim_pod_create(struct cs_sim *sim, uint32_t w);

/* Start terminating pod p (deletion timestamp set now). */
void cs_sim_pod_delete(struct cs_sim *sim, uint32_t p);

/* Same with a grace period of at most grace_cap (an eviction). */
void cs_sim_pod_delete_grace(struct cs_sim *sim, uint32_t p,
                             cs_time_ms grace_cap);

/* The node under bound pod p is gone: the pod vanishes at once. */
void cs_sim_pod_kill(struct cs_sim *sim, uint32_t p);

/* Bind pending pod p to node n (the scheduler's decision). */
void cs_sim_pod_bind(struct cs_sim *sim, uint32_t p, uint32_t n);

/* Move pod p to state s, keeping counters and the service model exact. */
void cs_sim_pod_set_state(struct cs_sim *sim, uint32_t p, int s);

/* Pod p's containers are running (first start, or a restart after a
 * crash): it is RUNNING, not ready, until its readiness probe passes. */
void cs_sim_pod_container_started(struct cs_sim *sim, uint32_t p);

/* Resize pod p in place to spec vspec (1 + index in its workload's
 * vspecs): 1 when its node has room for the new requests (node usage and
 * quota usage move), 0 when it has not (nothing changed). */
int cs_sim_pod_resize(struct cs_sim *sim, uint32_t p, uint32_t vspec);

/* Make a just-bound initial pod Ready at once, started an hour ago. */
void cs_sim_warm_pod(struct cs_sim *sim, uint32_t p);

/* Move pod p into / out of its workload's steady region. O(1). */
void cs_sim_pod_set_steady(struct cs_sim *sim, uint32_t p, int steady);

/* Ask for a scheduler pass at the current time (coalesced). */
void cs_sim_schedule_soon(struct cs_sim *sim);

/* Integrate workload w's service model up to now. */
void cs_sim_service_advance(struct cs_sim *sim, uint32_t w);

/* Append an event row (time = now). */
void cs_sim_log(struct cs_sim *sim, const char *kind, const char *object,
                const char *reason, const char *message);

/* 1 if invariants hold (for assert). O(pods + nodes). */
int cs_sim_check(const struct cs_sim *sim);

/* Pod name "<workload>-<uid>" into buf (events name pods so). */
void cs_sim_pod_name(const struct cs_sim *sim, uint32_t p, char *buf, size_t n);

/* Node name "<pool>-<index>" into buf. */
void cs_sim_node_name(const struct cs_sim *sim, uint32_t node, char *buf,
                      size_t n);

#endif
