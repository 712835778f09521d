/*
 * ca_scaledown.c - the cluster autoscaler's scale-down (spec 5).
 *
 * Planning, every loop (even in cooldown):
 *   candidates: registered nodes of autoscaled groups, not being deleted,
 *     not NotStarted; utilization (requests / allocatable; the GPU alone on
 *     GPU nodes; DaemonSet pods counted unless ignored) against the
 *     group's threshold (cs_ca_eligibility);
 *   removal simulation, previously unneeded nodes first: every pod must be
 *     drainable (rules of spec 5.4, PDB budgets tracked over the pass) and
 *     fit on another node that is not being removed; placements of
 *     removable nodes stay in the simulation for the next candidates.
 *     Nodes that fail are not re-checked for unremovable-node-recheck-
 *     timeout;
 *   unneeded timers: kept while a node stays removable, dropped otherwise.
 * Deletion, outside cooldown (delay after add / delete / failure, global
 * or per group): nodes unneeded longer than the unneeded (or unready)
 * time, above the group's min size, empty ones first up to
 * max-scale-down-parallelism, then drained ones up to max-drain-
 * parallelism. Actuation: taint and cordon, wait
 * node-delete-delay-after-taint, evict (retried every 10 s for at most
 * max-pod-eviction-time), wait for the pods to go (polled every 5 s, at
 * most max-graceful-termination-sec + 30 s), delete the instance. A drain
 * that fails untaints the node.
 */
#include "controllers/ca_int.h"

#include "controllers/admission.h"
#include "controllers/nodes.h"
#include "io/quantity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVICT_RETRY_MS ((cs_time_ms)10000)
#define POLL_MS ((cs_time_ms)5000)
#define POD_GONE_HEADROOM_MS ((cs_time_ms)30000)

/* Per candidate verdict of this loop. */
enum { V_SKIP = 0, V_REMOVABLE_EMPTY, V_REMOVABLE_DRAIN, V_UNREMOVABLE };

static int in_cooldown(const struct cs_sim *sim, const struct cs_ca *ca, int p)
{
    const struct cs_ca_config *c = ca->cfg;
    cs_time_ms up = ca->last_scale_up, del = ca->last_sd_delete,
               fail = ca->last_sd_fail;

    if (ca->sd_disabled)
        return 1;
    if (c->delay_type_local && p >= 0) {
        up = ca->g[p].last_up;
        del = ca->g[p].last_delete;
        fail = ca->g[p].last_fail;
    }
    return sim->now < up + c->delay_after_add ||
           sim->now < fail + c->delay_after_failure ||
           sim->now < del + c->delay_after_delete;
}

static int is_gpu_node(const struct cs_sim *sim, uint32_t n)
{
    return sim->pools[sim->nodes[n].pool].gpu_res >= 0;
}

/* Utilization of node n (spec 5.2). -1 when it cannot be computed. */
static int node_util(const struct cs_sim *sim, uint32_t n, struct cs_ca_util *u)
{
    const struct cs_node *nd = &sim->nodes[n];
    const struct cs_pool *pool = &sim->pools[nd->pool];
    const struct cs_pool_state *ps = &sim->pool_st[nd->pool];
    struct cs_ca_util_pod up[2];
    size_t k = 0;
    int skip_ds = pool->ng.ignore_ds_utilization >= 0
                      ? pool->ng.ignore_ds_utilization
                      : sim->ca->cfg->ignore_daemonsets_utilization;

    /* the bound pods summed, and the DaemonSet pods as one */
    memset(up, 0, sizeof(up));
    up[k].req = nd->requested;
    cs_resvec_sub(&up[k].req, &ps->ds_req, sim->nres);
    k++;
    if (ps->ds_pods > 0) {
        up[k].req = ps->ds_req;
        up[k].daemonset = 1;
        k++;
    }
    return cs_ca_utilization(&pool->allocatable, pool->gpu_res,
                             pool->gpu_res >= 0, up, k, skip_ds,
                             sim->ca->cfg->ignore_mirror_pods_utilization, u);
}

/* Spec 5.4 for pod p: 0 drainable, 1 skip (not moved), or a blocking
 * reason (CS_CA_BLOCKED_POD, CS_CA_NOT_ENOUGH_PDB); *wait for
 * on-completion pods. pdb_left is the remaining budget per PDB. */
static int drainable(const struct cs_sim *sim, const struct cs_ca *ca,
                     uint32_t p, const int32_t *pdb_left, int *wait)
{
    const struct cs_pod *pod = &sim->pods[p];
    const struct cs_workload *wl = &sim->wl[pod->workload];
    const struct cs_podspec *sp = &wl->spec;
    const struct cs_ca_config *c = ca->cfg;
    const int *pdbs = cs_admission_workload_pdbs(sim, pod->workload);

    if (pod->state == CS_POD_TERMINATING)
        return 1;
    if (sp->priority < c->expendable_pods_priority_cutoff)
        return 1; /* expendable: simply killed */
    if (c->skip_nodes_with_custom_controller_pods && !wl->is_job &&
        wl->spec_replicas < c->min_replica_count)
        return CS_CA_BLOCKED_POD;
    if (sp->safe_to_evict == CS_STE_TRUE)
        return 0;
    if (sp->safe_to_evict == CS_STE_ON_COMPLETION)
        *wait = 1;
    if (c->skip_nodes_with_system_pods && wl->ns != NULL &&
        strcmp(wl->ns, "kube-system") == 0 &&
        sim->now - pod->created < c->blocking_system_pod_timeout && pdbs[0] < 0)
        return CS_CA_BLOCKED_POD;
    if (sp->safe_to_evict == CS_STE_FALSE)
        return CS_CA_BLOCKED_POD;
    if (c->skip_nodes_with_local_storage && sp->local_storage)
        return CS_CA_BLOCKED_POD;
    for (; *pdbs >= 0; pdbs++)
        if (pdb_left[*pdbs] < 1)
            return CS_CA_NOT_ENOUGH_PDB;
    return 0;
}

struct pass {
    int32_t *pdb_left; /* per PDB */
    uint32_t *undo_n;  /* placements of the node being simulated */
    uint32_t *undo_w;
    int32_t *undo_k;
    size_t nundo, undo_cap;
    uint32_t *hint; /* per workload: first destination worth trying */
};

/* Can node n's movable pods go elsewhere? Places them (undo-logged). */
static int replace_pods(struct cs_sim *sim, struct cs_ca *ca, uint32_t n,
                        struct pass *ps)
{
    const struct cs_node *nd = &sim->nodes[n];

    ps->nundo = 0;
    for (uint32_t i = 0; i < nd->nplist; i++) {
        uint32_t p = nd->plist[i], w = sim->pods[p].workload;
        const struct cs_podspec *sp = &sim->wl[w].spec;
        int placed = 0;

        if (sim->pods[p].state == CS_POD_TERMINATING ||
            sp->priority < ca->cfg->expendable_pods_priority_cutoff)
            continue;
        for (uint32_t k = 0; k < sim->nnodes && !placed; k++) {
            uint32_t d = (ps->hint[w] + k) % sim->nnodes;
            const struct cs_node *dn = &sim->nodes[d];

            if (d == n || dn->state != CS_NODE_READY || !dn->schedulable ||
                dn->to_be_deleted || sim->node_scratch[d] != 0 ||
                !cs_ca_room(sim, ca, d, w))
                continue;
            cs_ca_take(sim, ca, d, w, 1);
            if (ps->nundo == ps->undo_cap) {
                size_t cap = ps->undo_cap ? ps->undo_cap * 2 : 64;
                uint32_t *a = realloc(ps->undo_n, cap * sizeof(*a));
                uint32_t *b = a ? realloc(ps->undo_w, cap * sizeof(*b)) : NULL;

                if (a != NULL)
                    ps->undo_n = a;
                if (b == NULL) {
                    sim->err = CS_ENOMEM;
                    return 0;
                }
                ps->undo_w = b;
                ps->undo_cap = cap;
            }
            ps->undo_n[ps->nundo] = d;
            ps->undo_w[ps->nundo++] = w;
            ps->hint[w] = d;
            placed = 1;
        }
        if (!placed) {
            for (size_t u = 0; u < ps->nundo; u++)
                cs_ca_take(sim, ca, ps->undo_n[u], ps->undo_w[u], -1);
            return 0;
        }
    }
    return 1;
}

/* Simulate removing node n (spec 5.3). Returns a verdict; *reason set for
 * V_UNREMOVABLE, *wait for on-completion pods. */
static int simulate(struct cs_sim *sim, struct cs_ca *ca, uint32_t n,
                    struct pass *ps, int *reason, int *wait)
{
    const struct cs_node *nd = &sim->nodes[n];
    int movable = 0;

    *wait = 0;
    for (uint32_t i = 0; i < nd->nplist; i++) {
        int r = drainable(sim, ca, nd->plist[i], ps->pdb_left, wait);

        if (r > 1) {
            *reason = r;
            return V_UNREMOVABLE;
        }
        movable += r == 0;
    }
    if (movable == 0)
        return V_REMOVABLE_EMPTY;
    if (!replace_pods(sim, ca, n, ps)) {
        *reason = CS_CA_NO_PLACE_TO_MOVE;
        return V_UNREMOVABLE;
    }
    /* the moved pods use the PDB budgets of the pass */
    for (uint32_t i = 0; i < nd->nplist; i++) {
        const int *pdbs =
            cs_admission_workload_pdbs(sim, sim->pods[nd->plist[i]].workload);

        if (sim->pods[nd->plist[i]].state == CS_POD_TERMINATING)
            continue;
        for (; *pdbs >= 0; pdbs++)
            ps->pdb_left[*pdbs]--;
    }
    return V_REMOVABLE_DRAIN;
}

static int candidate(const struct cs_sim *sim, const struct cs_ca *ca,
                     uint32_t n)
{
    const struct cs_node *nd = &sim->nodes[n];

    if (!sim->pools[nd->pool].autoscaled || nd->to_be_deleted ||
        nd->interrupted || nd->draining)
        return 0;
    if (nd->state == CS_NODE_READY)
        return 1;
    /* unready, but not NotStarted (an upcoming node) */
    return nd->state == CS_NODE_NOT_READY &&
           sim->now - nd->created >=
               cs_ca_ng_time(sim->pools[nd->pool].ng.startup_time,
                             ca->cfg->max_node_startup_time);
}

/* Eligibility of candidate n (spec 5.2). */
static int eligible(const struct cs_sim *sim, const struct cs_ca *ca,
                    uint32_t n)
{
    const struct cs_pool *pool = &sim->pools[sim->nodes[n].pool];
    struct cs_ca_eligibility_in in;
    struct cs_ca_util u;

    memset(&in, 0, sizeof(in));
    in.ready = sim->nodes[n].state == CS_NODE_READY;
    in.util_error = node_util(sim, n, &u) < 0;
    in.util = u.value;
    in.threshold = is_gpu_node(sim, n)
                       ? cs_ca_ng_ratio(pool->ng.gpu_util_threshold,
                                        ca->cfg->gpu_utilization_threshold)
                       : cs_ca_ng_ratio(pool->ng.util_threshold,
                                        ca->cfg->utilization_threshold);
    in.unready_enabled = ca->cfg->unready_enabled;
    return cs_ca_eligibility(&in);
}

struct removable {
    uint32_t n;
    uint8_t kind; /* V_REMOVABLE_EMPTY / V_REMOVABLE_DRAIN */
    uint8_t wait; /* an on-completion pod runs there */
};

/* Planning (spec 5.2, 5.3): fills rm[] with the removable nodes, previously
 * unneeded first; returns how many. */
static size_t plan(struct cs_sim *sim, struct cs_ca *ca, struct pass *ps,
                   struct removable *rm)
{
    const struct cs_ca_config *c = ca->cfg;
    int64_t N = c->max_scale_down_parallelism, prev = 0, limit;
    int32_t fresh_nonempty = 0;
    size_t nrm = 0;

    for (uint32_t n = 0; n < sim->nnodes; n++)
        prev += sim->nodes[n].unneeded_since != CS_TIME_NEVER;
    limit = prev + 2 * N;
    if (c->scan_interval > 0 &&
        N * (c->unneeded_time / c->scan_interval) + N < limit)
        limit = N * (c->unneeded_time / c->scan_interval) + N;
    ca->stamp++;
    for (int round = 0; round < 2; round++)
        for (uint32_t n = 0; n < sim->nnodes; n++) {
            struct cs_node *nd = &sim->nodes[n];
            int was = nd->unneeded_since != CS_TIME_NEVER, reason = 0, wait, v;

            if (was != (round == 0))
                continue;
            if (!candidate(sim, ca, n) || nd->unremovable_until > sim->now ||
                eligible(sim, ca, n) != CS_CA_REMOVABLE ||
                (int64_t)nrm >= limit) {
                nd->unneeded_since = CS_TIME_NEVER;
                continue;
            }
            if (!was && nd->npods > sim->pool_st[nd->pool].ds_pods &&
                c->non_empty_candidates_count > 0 &&
                fresh_nonempty++ >= c->non_empty_candidates_count) {
                continue; /* not considered this loop */
            }
            v = simulate(sim, ca, n, ps, &reason, &wait);
            if (sim->err != 0)
                return nrm;
            if (v == V_UNREMOVABLE) {
                nd->unneeded_since = CS_TIME_NEVER;
                nd->unremovable_until = sim->now + c->unremovable_recheck;
                continue;
            }
            if (!was)
                nd->unneeded_since = sim->now;
            sim->node_scratch[n] = 1; /* no destination from now on */
            rm[nrm++] = (struct removable){n, (uint8_t)v, (uint8_t)wait};
        }
    for (size_t i = 0; i < nrm; i++)
        sim->node_scratch[rm[i].n] = 0;
    return nrm;
}

static void actuate(struct cs_sim *sim, struct cs_ca *ca, uint32_t n, int kind)
{
    struct cs_node *nd = &sim->nodes[n];
    char name[128], dur[32];

    nd->to_be_deleted = 1;
    nd->drain_kind = (uint8_t)kind;
    nd->draining = 1;
    sim->pool_st[nd->pool].draining++;
    if (ca->cfg->cordon_before_terminating)
        nd->schedulable = 0;
    nd->deletion_started = sim->now;
    cs_sim_node_name(sim, n, name, sizeof(name));
    cs_duration_format(sim->now - nd->unneeded_since, dur, sizeof(dur));
    if (kind == V_REMOVABLE_EMPTY)
        cs_ca_log(sim, name, "ScaleDownEmpty",
                  "node %s unneeded for %s, removing (empty)", name, dur);
    else
        cs_ca_log(sim, name, "ScaleDown",
                  "node %s unneeded for %s, removing (drain: %u pod(s) to "
                  "move)",
                  name, dur, nd->nplist);
    ca->last_sd_delete = sim->now;
    ca->g[nd->pool].last_delete = sim->now;
    ca->productive = 1;
    if (cs_evq_push(&sim->q, sim->now + ca->cfg->delete_delay_after_taint,
                    CS_EV_NODE, n, CS_NSTEP_CA_TAINTED, &nd->ev) < 0)
        sim->err = CS_ENOMEM;
}

/* Deletion (spec 5.5) of the removable nodes rm[0..nrm). */
static void delete_some(struct cs_sim *sim, struct cs_ca *ca,
                        const struct removable *rm, size_t nrm)
{
    const struct cs_ca_config *c = ca->cfg;
    int32_t empty_ip = 0, drain_ip = 0, par, drain_budget;
    int32_t *busy = calloc((size_t)sim->npools + 1, sizeof(*busy));

    if (busy == NULL) {
        sim->err = CS_ENOMEM;
        return;
    }
    for (uint32_t n = 0; n < sim->nnodes; n++) {
        const struct cs_node *nd = &sim->nodes[n];

        if (nd->state == CS_NODE_FREE || !nd->to_be_deleted)
            continue;
        busy[nd->pool]++;
        if (nd->drain_kind == V_REMOVABLE_EMPTY)
            empty_ip++;
        else
            drain_ip++;
    }
    par = c->max_scale_down_parallelism - empty_ip - drain_ip;
    drain_budget = c->max_drain_parallelism - drain_ip;
    for (int kind = V_REMOVABLE_EMPTY; kind <= V_REMOVABLE_DRAIN; kind++)
        for (size_t i = 0; i < nrm && par > 0; i++) {
            const struct cs_node *nd = &sim->nodes[rm[i].n];
            const struct cs_pool *pool = &sim->pools[nd->pool];
            cs_time_ms need =
                nd->state == CS_NODE_READY
                    ? cs_ca_ng_time(pool->ng.unneeded_time, c->unneeded_time)
                    : cs_ca_ng_time(pool->ng.unready_time, c->unready_time);

            if (rm[i].kind != kind || rm[i].wait ||
                sim->now <= nd->unneeded_since + need ||
                in_cooldown(sim, ca, (int)nd->pool) ||
                sim->pool_st[nd->pool].target - busy[nd->pool] <=
                    pool->min_size)
                continue;
            if (kind == V_REMOVABLE_DRAIN && drain_budget <= 0)
                break;
            actuate(sim, ca, rm[i].n, kind);
            busy[nd->pool]++;
            par--;
            if (kind == V_REMOVABLE_DRAIN)
                drain_budget--;
        }
    free(busy);
}

void cs_ca_scale_down(struct cs_sim *sim, struct cs_ca *ca)
{
    struct pass ps;
    struct removable *rm;
    size_t nrm;

    memset(&ps, 0, sizeof(ps));
    ps.pdb_left = calloc((size_t)sim->sc->npdbs + 1, sizeof(*ps.pdb_left));
    ps.hint = calloc((size_t)sim->nwl + 1, sizeof(*ps.hint));
    rm = malloc(((size_t)sim->nnodes + 1) * sizeof(*rm));
    if (ps.pdb_left == NULL || ps.hint == NULL || rm == NULL) {
        sim->err = CS_ENOMEM;
        goto out;
    }
    for (int i = 0; i < sim->sc->npdbs; i++)
        ps.pdb_left[i] = cs_admission_pdb_allowed(sim, i);
    nrm = plan(sim, ca, &ps, rm);
    /* in local delay mode delete_some checks each node's group */
    if (sim->err == 0 &&
        (ca->cfg->delay_type_local || !in_cooldown(sim, ca, -1)))
        delete_some(sim, ca, rm, nrm);
out:
    free(ps.pdb_left);
    free(ps.hint);
    free(ps.undo_n);
    free(ps.undo_w);
    free(rm);
}

/* A drain that did not finish: untaint, and count a failed scale-down for
 * the group (a cooldown only in local delay mode, spec 5.1). */
static void drain_failed(struct cs_sim *sim, uint32_t n, const char *why)
{
    struct cs_node *nd = &sim->nodes[n];
    char name[128];

    cs_sim_node_name(sim, n, name, sizeof(name));
    cs_ca_log(sim, name, "ScaleDownFailed", "node %s: %s; untainted, it stays",
              name, why);
    nd->to_be_deleted = 0;
    nd->drain_kind = 0;
    nd->draining = 0;
    sim->pool_st[nd->pool].draining--;
    nd->deletion_started = CS_TIME_NEVER;
    nd->unneeded_since = CS_TIME_NEVER;
    cs_node_cordon(sim, n, 0);
    if (sim->ca != NULL)
        sim->ca->g[nd->pool].last_fail = sim->now;
}

static void push_step(struct cs_sim *sim, uint32_t n, cs_time_ms at,
                      uint32_t step)
{
    if (cs_evq_push(&sim->q, at, CS_EV_NODE, n, step, &sim->nodes[n].ev) < 0)
        sim->err = CS_ENOMEM;
}

static uint32_t live_pods(const struct cs_sim *sim, uint32_t n)
{
    uint32_t k = 0;

    for (uint32_t i = 0; i < sim->nodes[n].nplist; i++)
        k += sim->pods[sim->nodes[n].plist[i]].state != CS_POD_TERMINATING;
    return k;
}

void cs_ca_node_step(struct cs_sim *sim, uint32_t n, uint32_t step)
{
    struct cs_node *nd = &sim->nodes[n];
    const struct cs_ca_config *c;
    cs_time_ms grace;

    if (sim->ca == NULL || !nd->to_be_deleted || nd->state == CS_NODE_FREE)
        return;
    c = sim->ca->cfg;
    grace = (cs_time_ms)c->max_graceful_termination_s * 1000;
    switch (step) {
    case CS_NSTEP_CA_TAINTED:
        if (nd->drain_kind == V_REMOVABLE_EMPTY) {
            if (live_pods(sim, n) > 0)
                drain_failed(sim, n, "pods arrived on the empty node");
            else
                cs_node_remove(sim, n, 1, "scale-down: empty node removed");
            return;
        }
        nd->drain_deadline = sim->now + c->max_pod_eviction_time;
        /* the first evictions now */
        /* fall through */
    case CS_NSTEP_CA_EVICT:
        if (cs_node_drain(sim, n, grace) == 0) {
            nd->drain_deadline = sim->now + grace + POD_GONE_HEADROOM_MS;
            push_step(sim, n, sim->now + POLL_MS, CS_NSTEP_CA_POLL);
        } else if (sim->now >= nd->drain_deadline) {
            drain_failed(sim, n,
                         "evictions refused (PodDisruptionBudget) for "
                         "max-pod-eviction-time");
        } else {
            push_step(sim, n, sim->now + EVICT_RETRY_MS, CS_NSTEP_CA_EVICT);
        }
        return;
    case CS_NSTEP_CA_POLL:
        if (nd->nplist == 0)
            cs_node_remove(sim, n, 1, "scale-down: drained node removed");
        else if (sim->now >= nd->drain_deadline)
            drain_failed(sim, n,
                         "pods still terminating after the grace "
                         "period");
        else
            push_step(sim, n, sim->now + POLL_MS, CS_NSTEP_CA_POLL);
        return;
    default:
        return;
    }
}
