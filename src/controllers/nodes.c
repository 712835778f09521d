/* nodes.c - node lifecycle, drains and spot interruptions (see nodes.h). */
#include "controllers/nodes.h"

#include "controllers/ca.h"
#include "controllers/admission.h"
#include "controllers/replicaset.h"
#include "core/sim.h"
#include "io/report.h"
#include "io/scenario.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_NODE UINT32_MAX
#define SPOT_DRAIN_RETRY_MS ((cs_time_ms)5000)

static void push(struct cs_sim *sim, uint32_t n, cs_time_ms at, uint32_t step,
                 cs_evq_handle *h)
{
    if (at < sim->now)
        at = sim->now;
    if (cs_evq_push(&sim->q, at, CS_EV_NODE, n, step, h) < 0 && sim->err == 0)
        sim->err = cs_err_set(&sim->errinfo, CS_ENOMEM, NULL, 0, 0,
                              "out of memory in the event queue");
}

static void cancel(struct cs_sim *sim, cs_evq_handle *h)
{
    if (*h != 0) {
        cs_evq_cancel(&sim->q, *h);
        *h = 0;
    }
}

/* Move node n to state s, keeping the pool's counts (and the report's
 * integrals) exact. */
static void set_state(struct cs_sim *sim, uint32_t n, int s)
{
    struct cs_node *nd = &sim->nodes[n];
    struct cs_pool_state *ps = &sim->pool_st[nd->pool];

    if (sim->report != NULL)
        cs_report_nodes_changing(sim->report, sim, (int)nd->pool);
    if (nd->state != CS_NODE_FREE)
        ps->count[nd->state]--;
    if (s != CS_NODE_FREE)
        ps->count[s]++;
    nd->state = (uint8_t)s;
    nd->ready = s == CS_NODE_READY;
}

static void log_node(struct cs_sim *sim, uint32_t n, const char *reason,
                     const char *msg)
{
    char name[128];

    cs_sim_node_name(sim, n, name, sizeof(name));
    cs_sim_log(sim, "Node", name, reason, msg);
}

int cs_node_stockout(const struct cs_sim *sim, int p)
{
    const struct cs_pool *pool = &sim->pools[p];

    for (int i = 0; i < pool->nstockouts; i++)
        if (sim->now >= pool->stockouts[i].from &&
            sim->now < pool->stockouts[i].to)
            return 1;
    return 0;
}

static uint32_t alloc_node(struct cs_sim *sim)
{
    uint32_t n;

    if (sim->node_free_head != NO_NODE) {
        n = sim->node_free_head;
        sim->node_free_head = sim->nodes[n].next_free;
        return n;
    }
    if (sim->nnodes == sim->nodes_cap) {
        uint32_t cap = sim->nodes_cap ? sim->nodes_cap * 2 : 64;
        struct cs_node *nn = realloc(sim->nodes, cap * sizeof(*nn));
        int32_t *ns;

        if (nn == NULL)
            return NO_NODE;
        sim->nodes = nn;
        ns = realloc(sim->node_scratch, cap * sizeof(*ns));
        if (ns == NULL)
            return NO_NODE;
        memset(ns + sim->nodes_cap, 0, (cap - sim->nodes_cap) * sizeof(*ns));
        sim->node_scratch = ns;
        sim->nodes_cap = cap;
    }
    return sim->nnodes++;
}

static cs_time_ms draw(struct cs_sim *sim, const struct cs_dist *d)
{
    return cs_dist_sample_ms(d, cs_rng_get(&sim->rng, CS_RNG_NODES));
}

/* Take a fresh slot for pool p in state PROVISIONING. */
static uint32_t new_node(struct cs_sim *sim, int p)
{
    struct cs_node *nd;
    uint32_t n;

    if (sim->live_nodes >= sim->sc->max_nodes) {
        if (sim->err == 0)
            sim->err = cs_err_set(&sim->errinfo, CS_ELIMIT, NULL, 0, 0,
                                  "the run needs more than %u nodes at once; "
                                  "the limit is %u, raise it with "
                                  "limits.maxNodes or --max-nodes",
                                  sim->sc->max_nodes, sim->sc->max_nodes);
        return NO_NODE;
    }
    n = alloc_node(sim);
    if (n == NO_NODE) {
        if (sim->err == 0)
            sim->err = CS_ENOMEM;
        return NO_NODE;
    }
    nd = &sim->nodes[n];
    memset(nd, 0, sizeof(*nd));
    nd->pool = (uint32_t)p;
    nd->index_in_pool = sim->pool_st[p].next_index++;
    nd->schedulable = 1;
    nd->created = sim->now;
    nd->registered = CS_TIME_NEVER;
    nd->ready_since = CS_TIME_NEVER;
    nd->unneeded_since = CS_TIME_NEVER;
    nd->unremovable_until = 0;
    nd->deletion_started = CS_TIME_NEVER;
    sim->live_nodes++;
    set_state(sim, n, CS_NODE_PROVISIONING);
    return n;
}

/* Registration: the DaemonSet pods land on the node. */
static void do_register(struct cs_sim *sim, uint32_t n)
{
    struct cs_node *nd = &sim->nodes[n];
    const struct cs_pool_state *ps = &sim->pool_st[nd->pool];

    nd->registered = sim->now;
    nd->npods += ps->ds_pods;
    cs_resvec_add(&nd->requested, &ps->ds_req, sim->nres);
    set_state(sim, n, CS_NODE_NOT_READY);
}

static void arm_spot(struct cs_sim *sim, uint32_t n)
{
    const struct cs_pool *pool = &sim->pools[sim->nodes[n].pool];
    double mean_s;

    if (pool->interruptions_per_hour <= 0)
        return;
    mean_s = 3600.0 / pool->interruptions_per_hour;
    push(sim, n,
         sim->now + cs_time_ms_from_s(gsl_ran_exponential(
                        cs_rng_get(&sim->rng, CS_RNG_SPOT), mean_s)),
         CS_NSTEP_SPOT_NOTICE, &sim->nodes[n].spot_ev);
}

static void do_ready(struct cs_sim *sim, uint32_t n)
{
    sim->nodes[n].ready_since = sim->now;
    set_state(sim, n, CS_NODE_READY);
    arm_spot(sim, n);
    cs_sim_schedule_soon(sim);
}

int cs_nodes_init(struct cs_sim *sim, struct cs_err *err)
{
    const struct cs_scenario *sc = sim->sc;

    sim->node_free_head = NO_NODE;
    sim->pool_st =
        calloc(sc->npools ? (size_t)sc->npools : 1, sizeof(*sim->pool_st));
    if (sim->pool_st == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    for (int p = 0; p < sc->npools; p++) {
        struct cs_pool_state *ps = &sim->pool_st[p];
        const struct cs_pool *pool = &sc->pools[p];

        for (int d = 0; d < sc->ndaemonsets; d++) {
            const struct cs_daemonset *ds = &sc->daemonsets[d];

            if (!cs_tolerates(ds->tolerations, ds->ntolerations, pool->taints,
                              pool->ntaints) ||
                !cs_labels_match(ds->node_selector, ds->nnode_selector, pool,
                                 NULL))
                continue;
            cs_resvec_add(&ps->ds_req, &ds->requests, sim->nres);
            ps->ds_pods++;
        }
        ps->target = pool->nodes;
        for (int32_t i = 0; i < pool->nodes; i++) {
            uint32_t n = new_node(sim, p);

            if (n == NO_NODE) {
                *err = sim->errinfo;
                return sim->err ? sim->err : CS_ENOMEM;
            }
            do_register(sim, n);
            do_ready(sim, n);
        }
    }
    return 0;
}

void cs_nodes_fini(struct cs_sim *sim)
{
    for (uint32_t n = 0; n < sim->nnodes; n++)
        free(sim->nodes[n].plist);
}

uint32_t cs_node_create(struct cs_sim *sim, int pool, int raise_target)
{
    const struct cs_pool *pl = &sim->pools[pool];
    uint32_t n = new_node(sim, pool);
    struct cs_node *nd;

    if (n == NO_NODE)
        return n;
    nd = &sim->nodes[n];
    if (raise_target)
        sim->pool_st[pool].target++;
    if (cs_node_stockout(sim, pool)) {
        nd->doomed = 1;
        push(sim, n, sim->now + CS_NODE_STOCKOUT_REPORT_MS,
             CS_NSTEP_CREATE_FAILED, &nd->ev);
    } else {
        push(sim, n, sim->now + draw(sim, &pl->provision), CS_NSTEP_REGISTER,
             &nd->ev);
    }
    return n;
}

void cs_node_remove(struct cs_sim *sim, uint32_t n, int lower_target,
                    const char *why)
{
    struct cs_node *nd = &sim->nodes[n];

    if (nd->state == CS_NODE_FREE)
        return;
    if (why != NULL)
        log_node(sim, n, "NodeDeleted", why);
    cancel(sim, &nd->ev);
    cancel(sim, &nd->spot_ev);
    while (nd->nplist > 0)
        cs_sim_pod_kill(sim, nd->plist[nd->nplist - 1]);
    if (lower_target && sim->pool_st[nd->pool].target > 0)
        sim->pool_st[nd->pool].target--;
    if (nd->draining)
        sim->pool_st[nd->pool].draining--;
    set_state(sim, n, CS_NODE_FREE);
    free(nd->plist);
    nd->plist = NULL;
    nd->nplist = nd->plist_cap = 0;
    nd->next_free = sim->node_free_head;
    sim->node_free_head = n;
    sim->live_nodes--;
}

void cs_node_cordon(struct cs_sim *sim, uint32_t n, int on)
{
    struct cs_node *nd = &sim->nodes[n];

    nd->schedulable = !on;
    if (!on)
        cs_sim_schedule_soon(sim);
}

int cs_node_evict(struct cs_sim *sim, uint32_t p, cs_time_ms grace_cap)
{
    struct cs_pod *pod = &sim->pods[p];
    if (pod->state == CS_POD_TERMINATING)
        return 1;
    if (!cs_admission_eviction_allowed(sim, p))
        return 0;
    pod->evicted = 1;
    cs_sim_pod_delete_grace(sim, p, grace_cap);
    cs_replicaset_resync(sim, pod->workload);
    return 1;
}

uint32_t cs_node_drain(struct cs_sim *sim, uint32_t n, cs_time_ms grace_cap)
{
    struct cs_node *nd = &sim->nodes[n];
    uint32_t refused = 0;

    /* evicting replaces the pod in the list's order only on removal, and a
     * terminating pod stays bound: iterate over a stable index */
    for (uint32_t i = 0; i < nd->nplist; i++) {
        uint32_t p = nd->plist[i];

        if (sim->pods[p].state != CS_POD_TERMINATING &&
            !cs_node_evict(sim, p, grace_cap))
            refused++;
    }
    return refused;
}

void cs_node_interrupt(struct cs_sim *sim, uint32_t n, const char *why)
{
    struct cs_node *nd = &sim->nodes[n];
    const struct cs_pool *pool = &sim->pools[nd->pool];
    char msg[256];

    if (nd->state != CS_NODE_READY || nd->interrupted)
        return;
    cancel(sim, &nd->ev); /* a CA drain in progress is overtaken */
    cancel(sim, &nd->spot_ev);
    nd->interrupted = 1;
    if (!nd->draining) {
        nd->draining = 1;
        sim->pool_st[nd->pool].draining++;
    }
    nd->deletion_started = sim->now;
    snprintf(msg, sizeof(msg),
             "%s: spot interruption notice, terminating in %.0f s; cordoned "
             "and drained",
             why, (double)pool->notice / 1000.0);
    log_node(sim, n, "SpotInterruption", msg);
    cs_node_cordon(sim, n, 1);
    cs_node_event(sim, n, CS_NSTEP_SPOT_DRAIN);
}

static void spot_drain(struct cs_sim *sim, uint32_t n)
{
    struct cs_node *nd = &sim->nodes[n];
    cs_time_ms end = nd->deletion_started + sim->pools[nd->pool].notice;
    int pool = (int)nd->pool;

    if (sim->now >= end) {
        cs_node_remove(sim, n, 0, "spot instance terminated");
        /* the node group replaces the instance at the same target size */
        cs_node_create(sim, pool, 0);
        return;
    }
    /* refused evictions are retried; the last step at the end of the
     * notice terminates the instance whatever is left on it */
    cs_node_drain(sim, n, end - sim->now);
    push(sim, n,
         end - sim->now > SPOT_DRAIN_RETRY_MS ? sim->now + SPOT_DRAIN_RETRY_MS
                                              : end,
         CS_NSTEP_SPOT_DRAIN, &nd->ev);
}

void cs_node_reclaim(struct cs_sim *sim, int r)
{
    const struct cs_reclaim *rc = &sim->sc->reclaims[r];
    uint32_t *cand, nc = 0;
    int32_t want;
    char why[128];

    cand = malloc((sim->nnodes ? sim->nnodes : 1) * sizeof(*cand));
    if (cand == NULL) {
        sim->err = CS_ENOMEM;
        return;
    }
    for (uint32_t n = 0; n < sim->nnodes; n++)
        if (sim->nodes[n].pool == (uint32_t)rc->pool &&
            sim->nodes[n].state == CS_NODE_READY && !sim->nodes[n].interrupted)
            cand[nc++] = n;
    want = rc->nodes >= 0 ? rc->nodes
                          : (int32_t)ceil(rc->fraction * (double)nc - 1e-9);
    if (want > (int32_t)nc)
        want = (int32_t)nc;
    snprintf(why, sizeof(why), "reclaim of %d node(s) of pool %s", want,
             sim->pools[rc->pool].name);
    /* a seeded partial Fisher-Yates shuffle picks the victims */
    for (int32_t k = 0; k < want; k++) {
        uint32_t j = (uint32_t)k +
                     (uint32_t)gsl_rng_uniform_int(
                         cs_rng_get(&sim->rng, CS_RNG_SPOT), nc - (uint32_t)k);
        uint32_t t = cand[k];

        cand[k] = cand[j];
        cand[j] = t;
        cs_node_interrupt(sim, cand[k], why);
    }
    free(cand);
}

void cs_node_event(struct cs_sim *sim, uint32_t n, uint32_t step)
{
    struct cs_node *nd = &sim->nodes[n];

    switch (step) {
    case CS_NSTEP_REGISTER:
        nd->ev = 0;
        do_register(sim, n);
        push(sim, n, sim->now + draw(sim, &sim->pools[nd->pool].boot),
             CS_NSTEP_READY, &nd->ev);
        break;
    case CS_NSTEP_READY:
        nd->ev = 0;
        do_ready(sim, n);
        break;
    case CS_NSTEP_CREATE_FAILED:
        nd->ev = 0;
        cs_ca_create_failed(sim, n);
        break;
    case CS_NSTEP_SPOT_NOTICE:
        nd->spot_ev = 0;
        cs_node_interrupt(sim, n, "random interruption");
        break;
    case CS_NSTEP_SPOT_DRAIN:
        nd->ev = 0;
        spot_drain(sim, n);
        break;
    default:
        nd->ev = 0;
        cs_ca_node_step(sim, n, step);
        break;
    }
}
