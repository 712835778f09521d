/*
 * ca_scaleup.c - the cluster autoscaler's scale-up (spec 2, 3, 6.2).
 *
 *   1. the unschedulable pods: marked by the scheduler, not expendable,
 *      older than their scale-up delay; grouped by workload (a workload's
 *      pods are identical, so one equivalence group each);
 *   2. filtered: pods that fit on existing nodes or on the upcoming nodes of
 *      groups with an open request are dropped (placed arithmetically,
 *      node by node, so the cost is O(nodes x groups));
 *   3. "all pods new" (the oldest younger than 2 s, or 30 s for GPU pods)
 *      skips the scale-up and disables scale-down deletions this loop;
 *      max-nodes-total reached stops it;
 *   4. per valid node group, the binpacking estimate on its template, an
 *      option; the expander chain picks one;
 *   5. capped by max-nodes-total and cores/memory-total, balanced over
 *      similar groups, and executed: the nodes are requested and the
 *      request expects them within max-node-provision-time.
 */
#include "controllers/ca_int.h"

#include "controllers/nodes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YOUNG_MS ((cs_time_ms)2000)
#define YOUNG_GPU_MS ((cs_time_ms)30000)
/* GCE's default on-demand prices, the price expander's pod price model */
#define PRICE_CPU_HOUR 0.033174
#define PRICE_GIB_HOUR 0.004446
#define GIB_MILLI (1024.0 * 1024.0 * 1024.0 * 1000.0)

static int wants_gpu(const struct cs_sim *sim, uint32_t w)
{
    for (int r = 2; r < sim->nres; r++) {
        size_t n = strlen(sim->sc->res.name[r]);

        if (n >= 3 && strcmp(sim->sc->res.name[r] + n - 3, "gpu") == 0 &&
            sim->wl[w].spec.requests.v[r] > 0)
            return 1;
    }
    return 0;
}

/* Step 1: group the unschedulable pods by workload. */
static void collect(struct cs_sim *sim, struct cs_ca *ca)
{
    const struct cs_ca_config *cfg = ca->cfg;

    for (int i = 0; i < ca->npg; i++)
        ca->wl_slot[ca->pg[i].w] = -1;
    ca->npg = 0;
    for (uint32_t i = 0; i < sim->npending; i++) {
        const struct cs_pod *pod = &sim->pods[sim->pending[i]];
        const struct cs_podspec *sp;
        cs_time_ms delay;
        struct cs_ca_pgroup *g;

        if (pod->state != CS_POD_PENDING || !pod->unschedulable)
            continue;
        sp = &sim->wl[pod->workload].spec;
        if (sp->priority < cfg->expendable_pods_priority_cutoff)
            continue;
        delay = cfg->new_pod_scale_up_delay;
        if (sp->scale_up_delay > delay)
            delay = sp->scale_up_delay;
        if (sim->now - pod->created <= delay)
            continue;
        if (ca->wl_slot[pod->workload] < 0) {
            ca->wl_slot[pod->workload] = ca->npg;
            ca->pg[ca->npg++] =
                (struct cs_ca_pgroup){pod->workload, 0, pod->created};
        }
        g = &ca->pg[ca->wl_slot[pod->workload]];
        g->count++;
        if (pod->created < g->oldest)
            g->oldest = pod->created;
    }
}

/* Free room of node n in this loop's simulation (lazily initialised). */
void cs_ca_touch(struct cs_sim *sim, struct cs_ca *ca, uint32_t n)
{
    const struct cs_node *nd = &sim->nodes[n];
    const struct cs_pool *pool = &sim->pools[nd->pool];

    if (ca->free_stamp[n] == ca->stamp)
        return;
    ca->free_stamp[n] = ca->stamp;
    ca->free[n] = pool->allocatable;
    if (nd->state == CS_NODE_PROVISIONING) {
        cs_resvec_sub(&ca->free[n], &sim->pool_st[nd->pool].ds_req, sim->nres);
        ca->free_pods[n] = pool->max_pods - sim->pool_st[nd->pool].ds_pods;
    } else {
        cs_resvec_sub(&ca->free[n], &nd->requested, sim->nres);
        ca->free_pods[n] = pool->max_pods - nd->npods;
    }
}

/* How many pods of workload w node n can still take (0 if a filter
 * fails). */
int32_t cs_ca_room(struct cs_sim *sim, struct cs_ca *ca, uint32_t n, uint32_t w)
{
    const struct cs_podspec *sp = &sim->wl[w].spec;
    const struct cs_pool *pool = &sim->pools[sim->nodes[n].pool];
    int64_t k;

    cs_ca_touch(sim, ca, n);
    k = ca->free_pods[n];
    for (int r = 0; r < sim->nres && k > 0; r++) {
        int64_t req = sp->requests.v[r];

        if (req > 0 && ca->free[n].v[r] / req < k)
            k = ca->free[n].v[r] < 0 ? 0 : ca->free[n].v[r] / req;
    }
    if (k <= 0 || !cs_tolerates(sp->tolerations, sp->ntolerations, pool->taints,
                                pool->ntaints))
        return 0;
    if (sp->nnode_selector > 0) {
        char host[128];

        cs_sim_node_name(sim, n, host, sizeof(host));
        if (!cs_labels_match(sp->node_selector, sp->nnode_selector, pool, host))
            return 0;
    }
    return k > INT32_MAX ? INT32_MAX : (int32_t)k;
}

void cs_ca_take(struct cs_sim *sim, struct cs_ca *ca, uint32_t n, uint32_t w,
                int32_t k)
{
    for (int r = 0; r < sim->nres; r++)
        ca->free[n].v[r] -= sim->wl[w].spec.requests.v[r] * k;
    ca->free_pods[n] -= k;
}

/* Step 2: drop the pods that fit on existing or upcoming capacity. */
static void filter_fits(struct cs_sim *sim, struct cs_ca *ca)
{
    int32_t *upcoming = ca->pool_tmp;

    ca->stamp++;
    for (int p = 0; p < sim->npools; p++)
        upcoming[p] = cs_ca_upcoming(sim, ca, p);
    for (uint32_t n = 0; n < sim->nnodes; n++) {
        const struct cs_node *nd = &sim->nodes[n];
        int usable;

        if (nd->state == CS_NODE_PROVISIONING) {
            usable = upcoming[nd->pool] > 0;
            if (usable)
                upcoming[nd->pool]--;
        } else {
            usable = (nd->state == CS_NODE_READY ||
                      nd->state == CS_NODE_NOT_READY) &&
                     nd->schedulable && !nd->to_be_deleted;
        }
        if (!usable)
            continue;
        for (int i = 0; i < ca->npg; i++) {
            struct cs_ca_pgroup *g = &ca->pg[i];
            int32_t k;

            if (g->count == 0)
                continue;
            k = cs_ca_room(sim, ca, n, g->w);
            if (k > g->count)
                k = g->count;
            if (k > 0) {
                cs_ca_take(sim, ca, n, g->w, k);
                g->count -= k;
            }
        }
    }
}

/* Template node of pool p for the similarity test; label arrays point
 * into keys/vals (room for the pool's labels). */
static void template_of(const struct cs_sim *sim, int p,
                        struct cs_ca_template *t, const char **keys,
                        const char **vals)
{
    const struct cs_pool *pool = &sim->pools[p];

    memset(t, 0, sizeof(*t));
    t->capacity = pool->capacity;
    t->allocatable = pool->allocatable;
    t->free = pool->allocatable;
    cs_resvec_sub(&t->free, &sim->pool_st[p].ds_req, sim->nres);
    for (int r = 0; r < sim->nres; r++)
        if (pool->capacity.v[r] > 0)
            t->present |= 1u << r;
    t->max_pods = pool->max_pods;
    for (int i = 0; i < pool->nlabels; i++) {
        keys[i] = pool->labels[i].key;
        vals[i] = pool->labels[i].value;
    }
    t->label_keys = keys;
    t->label_values = vals;
    t->nlabels = pool->nlabels;
}

/* Spec 2.3: may group p grow now? */
static int valid_group(const struct cs_sim *sim, const struct cs_ca *ca, int p)
{
    const struct cs_pool *pool = &sim->pools[p];

    return pool->autoscaled &&
           !cs_ca_backoff_active(&ca->g[p].backoff, sim->now) &&
           !ca->g[p].unhealthy && sim->pool_st[p].target < pool->max_size;
}

/* Cluster totals of CPU cores and memory GiB (capacity of every node). */
static void totals(const struct cs_sim *sim, double *cores, double *gib)
{
    *cores = *gib = 0;
    for (int p = 0; p < sim->npools; p++) {
        double n = sim->pool_st[p].target;

        *cores += n * (double)(sim->pools[p].capacity.v[CS_RES_CPU] / 1000);
        *gib += n * (double)sim->pools[p].capacity.v[CS_RES_MEMORY] / GIB_MILLI;
    }
}

/* Nodes of pool p the cores/memory-total quotas still allow. */
static int32_t quota_room(const struct cs_sim *sim, const struct cs_ca *ca,
                          int p)
{
    double cores, gib, c, m, k = 1e9;

    totals(sim, &cores, &gib);
    c = (double)(sim->pools[p].capacity.v[CS_RES_CPU] / 1000);
    m = (double)sim->pools[p].capacity.v[CS_RES_MEMORY] / GIB_MILLI;
    if (c > 0)
        k = ((double)ca->cfg->cores_max - cores) / c;
    if (m > 0 && ((double)ca->cfg->memory_max - gib) / m < k)
        k = ((double)ca->cfg->memory_max - gib) / m;
    if (k < 0)
        return 0;
    return k > 1e9 ? 1000000000 : (int32_t)k;
}

struct plan {
    struct cs_ca_option *opt, *scratch;
    struct cs_ca_pod_group *pgs;
    int32_t *placed;
    size_t nopt;
};

/* Step 4 for pool p: its option, if any. */
static int option_for(struct cs_sim *sim, struct cs_ca *ca, int p,
                      struct plan *pl)
{
    const struct cs_pool *pool = &sim->pools[p];
    const struct cs_pool_state *ps = &sim->pool_st[p];
    struct cs_ca_est_input in;
    struct cs_ca_est_result res;
    struct cs_ca_option *o = &pl->opt[pl->nopt];
    int any = 0, rc;
    int32_t lim = ca->cfg->max_nodes_per_scaleup, cap;

    for (int i = 0; i < ca->npg; i++) {
        struct cs_ca_pod_group *g = &pl->pgs[i];

        memset(g, 0, sizeof(*g));
        g->req = sim->wl[ca->pg[i].w].spec.requests;
        g->count = ca->pg[i].count;
        g->fits_template =
            g->count > 0 && cs_ca_fits_template(sim, ca->pg[i].w, p);
        any |= g->fits_template;
    }
    if (!any)
        return 0;
    cap = pool->max_size - ps->target;
    if (ca->cfg->max_nodes_total > 0) {
        int32_t head = ca->cfg->max_nodes_total - (int32_t)sim->live_nodes;

        if (head <= 0)
            return 0;
        if (head < cap)
            cap = head;
    }
    if (lim <= 0 || cap < lim)
        lim = cap;
    memset(&in, 0, sizeof(in));
    in.alloc = pool->allocatable;
    cs_resvec_sub(&in.alloc, &ps->ds_req, sim->nres);
    in.max_pods = pool->max_pods - ps->ds_pods;
    in.nres = sim->nres;
    in.max_nodes = lim;
    in.fastpath = ca->cfg->fastpath_binpacking;
    res.placed = pl->placed;
    rc = cs_ca_estimate(&in, pl->pgs, ca->npg, &res);
    if (rc < 0) {
        sim->err = rc;
        return 0;
    }
    if (res.nodes <= 0 || res.pods <= 0)
        return 0;
    memset(o, 0, sizeof(*o));
    o->group = p;
    o->id = pool->name;
    o->nodes = res.nodes;
    o->pods = res.pods;
    for (int i = 0; i < ca->npg; i++) {
        const struct cs_resvec *rq = &pl->pgs[i].req;

        o->pod_cpu += rq->v[CS_RES_CPU] * pl->placed[i];
        o->pod_mem += rq->v[CS_RES_MEMORY] * pl->placed[i];
        o->pods_price +=
            (double)pl->placed[i] *
            ((double)rq->v[CS_RES_CPU] / 1000.0 * PRICE_CPU_HOUR +
             (double)rq->v[CS_RES_MEMORY] / GIB_MILLI * PRICE_GIB_HOUR);
    }
    o->cap_cpu = pool->capacity.v[CS_RES_CPU];
    o->cap_mem = pool->capacity.v[CS_RES_MEMORY];
    o->node_price = pool->price_per_hour;
    o->gpu = pool->gpu_res >= 0;
    o->exists = 1;
    pl->nopt++;
    return 1;
}

/* 1 if groups p and q can take the same pending pod groups. */
static int same_pods(const struct cs_sim *sim, const struct cs_ca *ca, int p,
                     int q)
{
    for (int i = 0; i < ca->npg; i++)
        if (ca->pg[i].count > 0 && cs_ca_fits_template(sim, ca->pg[i].w, p) !=
                                       cs_ca_fits_template(sim, ca->pg[i].w, q))
            return 0;
    return 1;
}

/* Step 5: grow pool p by k nodes. */
static void grow(struct cs_sim *sim, struct cs_ca *ca, int p, int32_t k)
{
    struct cs_ca_group *g = &ca->g[p];

    for (int32_t i = 0; i < k && sim->err == 0; i++)
        cs_node_create(sim, p, 1);
    g->req_increase += k;
    g->req_expected =
        sim->now + cs_ca_ng_time(sim->pools[p].ng.provision_time,
                                 ca->cfg->max_node_provision_time);
    g->last_up = sim->now;
}

/* Spec 3: write pool p, then the valid groups similar to it that can take
 * the same pending pods, to idx[]; returns how many (1 without
 * balance-similar-node-groups). 0 on allocation failure (sim->err). */
static int similar_groups(struct cs_sim *sim, const struct cs_ca *ca, int p,
                          int32_t *idx)
{
    struct cs_ca_similarity_cfg sc = {ca->cfg->memory_difference_ratio,
                                      ca->cfg->max_allocatable_difference_ratio,
                                      ca->cfg->max_free_difference_ratio,
                                      ca->cfg->balancing_ignore_labels,
                                      ca->cfg->nbalancing_ignore_labels,
                                      ca->cfg->balancing_labels,
                                      ca->cfg->nbalancing_labels};
    struct cs_ca_template a, b;
    const char **lab;
    int n = 0, most = 0;

    idx[n++] = p;
    if (!ca->cfg->balance_similar)
        return n;
    for (int q = 0; q < sim->npools; q++)
        if (sim->pools[q].nlabels > most)
            most = sim->pools[q].nlabels;
    /* keys and values of both templates */
    lab = malloc(((size_t)most * 4 + 1) * sizeof(*lab));
    if (lab == NULL) {
        sim->err = CS_ENOMEM;
        return 0;
    }
    template_of(sim, p, &a, lab, lab + most);
    for (int q = 0; q < sim->npools; q++) {
        if (q == p || !valid_group(sim, ca, q))
            continue;
        template_of(sim, q, &b, lab + 2 * most, lab + 3 * most);
        if (cs_ca_similar(&a, &b, sim->nres, &sc) && same_pods(sim, ca, p, q))
            idx[n++] = q;
    }
    free(lab);
    return n;
}

/* Step 5: `k` new nodes for chosen pool p, balanced over its similar
 * groups. */
static void execute(struct cs_sim *sim, struct cs_ca *ca, int p, int32_t k,
                    const char *how, int32_t pods)
{
    size_t np = (size_t)sim->npools;
    int32_t *idx = malloc(np * 4 * sizeof(*idx)), *cur, *max, *out;
    int n;

    if (idx == NULL) {
        sim->err = CS_ENOMEM;
        return;
    }
    cur = idx + np;
    max = cur + np;
    out = max + np;
    n = similar_groups(sim, ca, p, idx);
    for (int i = 0; i < n; i++) {
        cur[i] = sim->pool_st[idx[i]].target;
        max[i] = sim->pools[idx[i]].max_size;
    }
    cs_ca_balance(cur, max, n, k, out);
    for (int i = 0; i < n; i++) {
        int32_t add = out[i] - cur[i];

        if (add <= 0)
            continue;
        cs_ca_log(sim, sim->pools[idx[i]].name, "ScaledUpGroup",
                  "scale-up: group %s +%d (%s%s), %d pod%s pending",
                  sim->pools[idx[i]].name, add, how, n > 1 ? ", balanced" : "",
                  pods, pods == 1 ? "" : "s");
        grow(sim, ca, idx[i], add);
    }
    free(idx);
}

/* Log why pending pods could not trigger a scale-up (at most once per
 * workload per 10 minutes, as events are rate limited upstream). */
static void not_triggered(struct cs_sim *sim, struct cs_ca *ca, const char *why)
{
    for (int i = 0; i < ca->npg; i++) {
        uint32_t w = ca->pg[i].w;

        if (ca->pg[i].count == 0 || (ca->wl_notrigger[w] != CS_TIME_NEVER &&
                                     sim->now - ca->wl_notrigger[w] < 600000))
            continue;
        ca->wl_notrigger[w] = sim->now;
        cs_ca_log(sim, sim->wl[w].name, "NotTriggerScaleUp",
                  "%d pod(s) didn't trigger scale-up: %s", ca->pg[i].count,
                  why);
    }
}

/* Steps 3 and the young-pod rules: 1 if the scale-up may go on. */
static int may_scale(struct cs_sim *sim, struct cs_ca *ca, int32_t *pods)
{
    cs_time_ms oldest = CS_TIME_NEVER, oldest_gpu = CS_TIME_NEVER;
    int32_t ready = 0;

    *pods = 0;
    for (int i = 0; i < ca->npg; i++) {
        if (ca->pg[i].count == 0)
            continue;
        *pods += ca->pg[i].count;
        if (ca->pg[i].oldest < oldest)
            oldest = ca->pg[i].oldest;
        if (wants_gpu(sim, ca->pg[i].w) && ca->pg[i].oldest < oldest_gpu)
            oldest_gpu = ca->pg[i].oldest;
    }
    if (*pods == 0)
        return 0;
    for (int p = 0; p < sim->npools; p++)
        ready += sim->pool_st[p].count[CS_NODE_READY];
    if (ca->cfg->max_nodes_total > 0 && ready >= ca->cfg->max_nodes_total) {
        cs_ca_log(sim, "cluster", "MaxNodesTotalReached",
                  "max-nodes-total %d reached: %d pods stay pending",
                  ca->cfg->max_nodes_total, *pods);
        return 0;
    }
    if (sim->now - oldest < YOUNG_MS ||
        (oldest_gpu != CS_TIME_NEVER && sim->now - oldest_gpu < YOUNG_GPU_MS)) {
        ca->sd_disabled = 1;
        return 0;
    }
    return 1;
}

int cs_ca_scale_up(struct cs_sim *sim, struct cs_ca *ca)
{
    struct plan pl = {0};
    size_t np = (size_t)sim->npools;
    int32_t pods, k;
    int chosen, done = 0;
    struct cs_ca_option *o;

    collect(sim, ca);
    if (ca->npg == 0)
        return 0;
    filter_fits(sim, ca);
    if (!may_scale(sim, ca, &pods))
        return 0;
    pl.opt = calloc(np * 2 + 1, sizeof(*pl.opt));
    pl.scratch = pl.opt + np;
    pl.pgs = calloc((size_t)ca->npg, sizeof(*pl.pgs));
    pl.placed = calloc((size_t)ca->npg, sizeof(*pl.placed));
    if (pl.opt == NULL || pl.pgs == NULL || pl.placed == NULL) {
        sim->err = CS_ENOMEM;
        goto out;
    }
    for (int p = 0; p < sim->npools && sim->err == 0; p++)
        if (valid_group(sim, ca, p) && quota_room(sim, ca, p) > 0)
            option_for(sim, ca, p, &pl);
    if (pl.nopt == 0) {
        not_triggered(sim, ca,
                      "no node group can take them (at max size, "
                      "backed off, or they do not fit its nodes)");
        goto out;
    }
    chosen = cs_ca_expander_choose(
        ca->cfg->expander, ca->cfg->nexpander, pl.opt, pl.nopt, pl.scratch,
        cs_ca_preferred_cpu((int64_t)sim->live_nodes),
        0.5 * PRICE_CPU_HOUR + 500.0 / 1024.0 * PRICE_GIB_HOUR,
        ca->cfg->priorities, ca->cfg->npriorities,
        gsl_rng_uniform(cs_rng_get(&sim->rng, CS_RNG_CA)));
    if (chosen < 0)
        goto out;
    o = &pl.opt[chosen];
    k = o->nodes;
    if (ca->cfg->max_nodes_total > 0 &&
        ca->cfg->max_nodes_total - (int32_t)sim->live_nodes < k)
        k = ca->cfg->max_nodes_total - (int32_t)sim->live_nodes;
    if (quota_room(sim, ca, o->group) < k)
        k = quota_room(sim, ca, o->group);
    if (k < 1)
        goto out;
    {
        char how[96];
        int off = 0;

        for (int i = 0; i < ca->cfg->nexpander && off < (int)sizeof(how) - 16;
             i++)
            off += snprintf(how + off, sizeof(how) - (size_t)off, "%s%s",
                            i ? "," : "",
                            cs_ca_expander_name(ca->cfg->expander[i]));
        execute(sim, ca, o->group, k, how, pods);
    }
    ca->last_scale_up = sim->now;
    done = 1;
out:
    free(pl.opt);
    free(pl.pgs);
    free(pl.placed);
    return done;
}
