/*
 * scheduler.c - filter and score, as kube-scheduler's default profile.
 *
 * Scores (framework.MaxNodeScore = 100):
 *   LeastAllocated  = mean over cpu, memory of (alloc - req) * 100 / alloc
 *   BalancedAlloc   = (1 - |fraction_cpu - fraction_mem| / 2) * 100 with the
 *                     fractions after placing the pod, capped at 1
 * Both use requests with upstream's non-zero defaults: 100m CPU / 200Mi
 * for a container without a request, for the pod being placed and for the
 * pods already on the node (struct cs_podspec.nz_cpu/nz_mem, summed per node
 * in struct cs_node.nz_cpu/nz_mem).
 */
#include "controllers/scheduler.h"

#include "controllers/ca.h"
#include "core/sim.h"
#include "io/scenario.h"

#include <gsl/gsl_rng.h>
#include <math.h>

#define MIN_FEASIBLE_NODES 100
#define MIN_PERCENTAGE 5

uint32_t cs_scheduler_num_to_find(uint32_t nodes, int percentage)
{
    uint32_t n;

    if (nodes < MIN_FEASIBLE_NODES)
        return nodes;
    if (percentage <= 0) {
        /* adaptive: 50% minus 1% per 125 nodes, at least 5% */
        percentage = 50 - (int)(nodes / 125);
        if (percentage < MIN_PERCENTAGE)
            percentage = MIN_PERCENTAGE;
    }
    n = (uint32_t)((uint64_t)nodes * (uint32_t)percentage / 100);
    return n < MIN_FEASIBLE_NODES ? MIN_FEASIBLE_NODES : n;
}

int cs_scheduler_fits(const struct cs_sim *sim, uint32_t p, uint32_t n)
{
    const struct cs_pod *pod = &sim->pods[p];
    const struct cs_workload *w = &sim->wl[pod->workload];
    const struct cs_podspec *sp = cs_workload_pod_spec(w, pod);
    const struct cs_node *node = &sim->nodes[n];
    const struct cs_pool *pool = &sim->pools[node->pool];

    if (!node->ready || !node->schedulable || node->to_be_deleted)
        return 0;
    if (node->npods >= pool->max_pods)
        return 0;
    if (!cs_resvec_fits(&node->requested, &sp->requests, &pool->allocatable,
                        sim->nres))
        return 0;
    if (!cs_tolerates(w->spec.tolerations, w->spec.ntolerations, pool->taints,
                      pool->ntaints))
        return 0;
    if (w->spec.nnode_selector > 0) {
        char host[128];

        cs_sim_node_name(sim, n, host, sizeof(host));
        if (!cs_labels_match(w->spec.node_selector, w->spec.nnode_selector,
                             pool, host))
            return 0;
    }
    return 1;
}

/* (free * 100) / alloc as kube-scheduler computes it in int64, without
 * its overflow: memory is in milli-bytes here, so a node of a few
 * hundred TiB would overflow the product (fuzz_scenario found one). */
static int64_t free_pct(int64_t alloc, int64_t req)
{
    return (int64_t)((cs_i128)(alloc - req) * 100 / alloc);
}

static int64_t score(const struct cs_sim *sim, uint32_t p, uint32_t n)
{
    const struct cs_podspec *sp =
        cs_workload_pod_spec(&sim->wl[sim->pods[p].workload], &sim->pods[p]);
    const struct cs_node *node = &sim->nodes[n];
    const struct cs_resvec *alloc = &sim->pools[node->pool].allocatable;
    int64_t cpu = node->nz_cpu + sp->nz_cpu;
    int64_t mem = node->nz_mem + sp->nz_mem;
    int64_t acpu = alloc->v[CS_RES_CPU], amem = alloc->v[CS_RES_MEMORY];
    int64_t least = 0, balanced;
    double fc, fm;

    if (acpu > 0 && cpu <= acpu)
        least += free_pct(acpu, cpu);
    if (amem > 0 && mem <= amem)
        least += free_pct(amem, mem);
    least /= 2;
    fc = acpu > 0 ? fmin(1.0, (double)cpu / (double)acpu) : 1.0;
    fm = amem > 0 ? fmin(1.0, (double)mem / (double)amem) : 1.0;
    balanced = (int64_t)((1.0 - fabs(fc - fm) / 2.0) * 100.0);
    return least + balanced;
}

/* Find the best node for pod p, or -1. */
static int32_t select_node(struct cs_sim *sim, uint32_t p)
{
    uint32_t want = cs_scheduler_num_to_find(sim->nnodes, 0);
    uint32_t found = 0, ties = 0, visited = 0;
    int32_t best = -1;
    int64_t best_score = -1;
    gsl_rng *r = cs_rng_get(&sim->rng, CS_RNG_SCHEDULER);

    for (uint32_t k = 0; k < sim->nnodes && found < want; k++) {
        uint32_t n = (sim->sched_next_start + k) % sim->nnodes;
        int64_t s;

        visited++;
        if (!cs_scheduler_fits(sim, p, n))
            continue;
        found++;
        s = score(sim, p, n);
        if (s > best_score) {
            best_score = s;
            best = (int32_t)n;
            ties = 1;
        } else if (s == best_score) {
            /* reservoir sampling among equal scores, as selectHost */
            ties++;
            if (gsl_rng_uniform_int(r, ties) == 0)
                best = (int32_t)n;
        }
    }
    if (sim->nnodes > 0)
        sim->sched_next_start = (sim->sched_next_start + visited) % sim->nnodes;
    return best;
}

void cs_scheduler_pass(struct cs_sim *sim)
{
    uint32_t keep = 0, stamp = ++sim->sched_pass;
    int woke_ca = 0;

    for (uint32_t i = 0; i < sim->npending; i++) {
        uint32_t p = sim->pending[i];
        struct cs_pod *pod = &sim->pods[p];
        struct cs_workload *wl;
        int32_t n = -1;

        /* deleted while pending: the slot was freed and may be reused */
        if (pod->state != CS_POD_PENDING || pod->node >= 0)
            continue;
        wl = &sim->wl[pod->workload];
        /* a workload's pods are identical and nodes only fill up during a
         * pass: once one found no node, the rest of them find none */
        if (wl->sched_fail_pass != stamp)
            n = select_node(sim, p);
        if (n < 0) {
            wl->sched_fail_pass = stamp;
            if (!pod->unschedulable) {
                pod->unschedulable = 1;
                woke_ca = 1;
            }
            sim->pending[keep++] = p;
            continue;
        }
        cs_sim_pod_bind(sim, p, (uint32_t)n);
    }
    sim->npending = keep;
    if (woke_ca && sim->ca != NULL && !sim->warming)
        cs_ca_pod_unschedulable(sim);
}
