/*
 * nodes.h - the node lifecycle: the cloud provider creating and deleting
 * instances, the kubelet registering and becoming Ready, cordon and drain
 * through the Eviction API, and spot interruptions.
 *
 *   cs_node_create          FREE -> PROVISIONING (billing starts)
 *   NODE_REGISTER           PROVISIONING -> NOT_READY after the pool's
 *                           provisioning delay; DaemonSet pods land
 *   NODE_READY              NOT_READY -> READY after the boot delay;
 *                           pending pods are scheduled
 *   NODE_CREATE_FAILED      a create during a stockout: the cloud reports
 *                           the instance in error and the CA deletes it
 *   cs_node_remove          any -> FREE: pods still bound vanish at once
 *                           (their controllers replace them)
 *
 * A spot interruption (a pool's random rate, or a scenario reclaim) gives
 * the node its notice: it is cordoned and drained as a termination handler
 * would (evictions that respect PDBs, retried every 5 s, grace periods cut
 * to what is left of the notice), then terminated; the node group launches
 * a replacement, which fails during a stockout.
 */
#ifndef CS_CONTROLLERS_NODES_H
#define CS_CONTROLLERS_NODES_H

#include "core/err.h"
#include "core/time.h"

#include <stdint.h>

struct cs_sim;

enum cs_node_step {
    CS_NSTEP_REGISTER = 1,
    CS_NSTEP_READY,
    CS_NSTEP_CREATE_FAILED,
    CS_NSTEP_SPOT_NOTICE, /* random interruption arrives (spot_ev) */
    CS_NSTEP_SPOT_DRAIN,  /* termination handler: retry evictions */
    CS_NSTEP_SPOT_END,    /* the notice is over: the instance goes */
    CS_NSTEP_CA_TAINTED,  /* CA: node-delete-delay-after-taint elapsed */
    CS_NSTEP_CA_EVICT,    /* CA: eviction retry (every 10 s) */
    CS_NSTEP_CA_POLL      /* CA: are the drained pods gone (every 5 s) */
};

/* How long the cloud takes to report a create that fails for lack of
 * capacity (capsim's choice; docs/cluster-autoscaler.md). */
#define CS_NODE_STOCKOUT_REPORT_MS ((cs_time_ms)30000)

/* Create the initial nodes of every pool, Ready, and the per-pool state.
 * 0 or CS_ENOMEM / CS_ELIMIT with err filled. */
int cs_nodes_init(struct cs_sim *sim, struct cs_err *err);

/* Free node lists (the sim frees the arrays). */
void cs_nodes_fini(struct cs_sim *sim);

/* Ask the cloud for a node of `pool`. Returns its index, or UINT32_MAX
 * when the node limit is reached (sim->err set). Raises the pool's target
 * only when raise_target (the CA's IncreaseSize; a replacement keeps it). */
uint32_t cs_node_create(struct cs_sim *sim, int pool, int raise_target);

/* The instance is gone: bound pods vanish, the slot is freed. The pool's
 * target drops by one when lower_target. `why` goes to events.csv. */
void cs_node_remove(struct cs_sim *sim, uint32_t n, int lower_target,
                    const char *why);

/* Dispatch a CS_EV_NODE event. */
void cs_node_event(struct cs_sim *sim, uint32_t n, uint32_t step);

/* 1 if pool p is out of capacity at sim->now. */
int cs_node_stockout(const struct cs_sim *sim, int p);

/* The Eviction API on bound pod p: refused (returns 0) when a PDB of its
 * workload allows no disruption; else the pod starts terminating with a
 * grace period of at most grace_cap, its controller replaces it, and 1 is
 * returned. */
int cs_node_evict(struct cs_sim *sim, uint32_t p, cs_time_ms grace_cap);

/* Evict every live pod of node n (see cs_node_evict). Returns the pods
 * still bound and not terminating (refused evictions). */
uint32_t cs_node_drain(struct cs_sim *sim, uint32_t n, cs_time_ms grace_cap);

/* Cordon node n (spec.unschedulable) or undo it. */
void cs_node_cordon(struct cs_sim *sim, uint32_t n, int on);

/* A spot interruption notice for Ready node n (no-op if it has one). */
void cs_node_interrupt(struct cs_sim *sim, uint32_t n, const char *why);

/* A scenario reclaim (sc->reclaims[r]) fires. */
void cs_node_reclaim(struct cs_sim *sim, int r);

#endif
