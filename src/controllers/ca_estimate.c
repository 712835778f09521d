/*
 * ca_estimate.c - the cluster autoscaler's binpacking estimator
 * (CLUSTER_AUTOSCALER_SPEC §2.4): how many new nodes of one template the
 * pending pods need, First-Fit Decreasing.
 *
 * Upstream files: estimator/binpacking_estimator.go (Estimate,
 * tryToScheduleOnExistingNodes, tryToScheduleOnNewNodes, tryFastPath),
 * estimator/decreasing_pod_orderer.go, estimator/threshold_based_limiter.go
 * and, for the filters a pod must pass on a node, kube-scheduler's
 * NodePorts, NodeResourcesFit and PodTopologySpread plugins.
 *
 * Design. Pods come in groups of identical pods, so nothing is simulated
 * per pod unless it has to be:
 *   - A group with neither topology spread nor a host port only needs
 *     "how many more fit on node k", a division per resource; a node that
 *     cannot take one more pod of the group never can again within the
 *     group, so step 1 (fill the nodes added so far) walks the nodes once
 *     with a cursor and step 2 (the last node, then a new one) adds one
 *     node per iteration. Cost O(pods placed in bulk + nodes).
 *   - A host-port group is the same with at most one pod per node.
 *   - A topology-spread group is placed pod by pod (placing a pod can raise
 *     the global minimum and reopen a node), O(pods x nodes).
 *
 * Node array: [0, nexisting) are the caller's existing nodes (topology
 * domains, and the only other nodes the hostname-spread exception may use);
 * the new nodes follow in the order they were added; `last` is the most
 * recent one. Every new node but the last holds at least one pod.
 *
 * Invariants:
 *   1. free and slots of a node never go below what the placed pods leave
 *      (a pod is placed only where it fits).
 *   2. cnt[i][s] is the number of pods of spread group s on node i and
 *      zcnt[z][s] their sum over the nodes of zone z.
 *   3. added counts every node the limiter granted, fake fast-path nodes
 *      included; it never exceeds max_nodes when max_nodes > 0.
 */
#include "controllers/ca_algo.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

struct node {
    struct cs_resvec free; /* room left */
    int32_t slots;         /* pod slots left */
    int32_t got;           /* pods placed on it by this estimate */
    int zone;              /* dense zone index */
};

enum fit { FIT = 0, FAIL_RESOURCES, FAIL_SPREAD };

struct est {
    const struct cs_ca_est_input *in;
    const struct cs_ca_pod_group *g;
    int ng;
    int *order; /* groups to pack, in packing order */
    int norder;
    int *sidx, *pidx;      /* per group: spread / port index, -1 if none */
    int ns, np;            /* spread groups, distinct ports */
    int *zone_id;          /* dense zone index -> caller's zone id */
    int nz, tzone;         /* zones; the template's dense zone */
    int32_t *zn;           /* nodes per zone */
    int32_t *zcnt;         /* [z * ns + s] */
    struct node *node;     /* [0, nnodes) */
    int32_t *cnt;          /* [i * ns + s] */
    unsigned char *port;   /* [i * np + p] */
    int nnodes, cap, last; /* last: newest new node, -1 if none */
    int32_t added, fake;   /* limiter grants; nodes counted, not built */
    int new_ok;            /* the limiter has not refused yet */
    int64_t pods;
    int32_t *placed;
};

/* ---------------------------------------------------------------------- */
/* Setup                                                                  */
/* ---------------------------------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

static int zone_index(const struct est *e, int id)
{
    const int *p =
        bsearch(&id, e->zone_id, (size_t)e->nz, sizeof(int), cmp_int);

    return p ? (int)(p - e->zone_id) : 0;
}

struct scored {
    double score;
    int g;
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;

    if (x->score != y->score)
        return x->score < y->score ? 1 : -1; /* decreasing */
    return (x->g > y->g) - (x->g < y->g);    /* stable */
}

/* decreasing_pod_orderer.go: cpu/alloc + mem/alloc of one pod, largest
 * first; a resource the template lacks adds nothing. */
static void order_groups(struct est *e, struct scored *tmp)
{
    const struct cs_resvec *a = &e->in->alloc;

    e->norder = 0;
    for (int i = 0; i < e->ng; i++) {
        double s = 0.0;

        if (!e->g[i].fits_template || e->g[i].count <= 0)
            continue;
        if (a->v[CS_RES_CPU] > 0)
            s += (double)e->g[i].req.v[CS_RES_CPU] / (double)a->v[CS_RES_CPU];
        if (a->v[CS_RES_MEMORY] > 0)
            s += (double)e->g[i].req.v[CS_RES_MEMORY] /
                 (double)a->v[CS_RES_MEMORY];
        tmp[e->norder].score = s;
        tmp[e->norder++].g = i;
    }
    qsort(tmp, (size_t)e->norder, sizeof(*tmp), cmp_scored);
    for (int k = 0; k < e->norder; k++)
        e->order[k] = tmp[k].g;
}

/* Spread and port indices; distinct ports share an index. */
static void index_groups(struct est *e, int32_t *ports)
{
    e->ns = e->np = 0;
    for (int i = 0; i < e->ng; i++) {
        const struct cs_ca_pod_group *g = &e->g[i];

        e->sidx[i] = g->spread != CS_SPREAD_NONE ? e->ns++ : -1;
        e->pidx[i] = -1;
        for (int p = 0; g->host_port != 0 && p < e->np; p++)
            if (ports[p] == g->host_port)
                e->pidx[i] = p;
        if (g->host_port != 0 && e->pidx[i] < 0) {
            ports[e->np] = g->host_port;
            e->pidx[i] = e->np++;
        }
    }
}

/* Room for `want` more nodes; 0 or CS_ENOMEM (arrays unchanged). */
static int grow(struct est *e, int want)
{
    int ncap = e->cap;
    void *p;

    if (e->nnodes + want <= e->cap)
        return 0;
    while (ncap < e->nnodes + want)
        ncap = ncap < 16 ? 16 : ncap * 2;
    p = realloc(e->node, (size_t)ncap * sizeof(*e->node));
    if (p == NULL)
        return CS_ENOMEM;
    e->node = p;
    if (e->ns > 0) {
        p = realloc(e->cnt, (size_t)ncap * (size_t)e->ns * sizeof(*e->cnt));
        if (p == NULL)
            return CS_ENOMEM;
        e->cnt = p;
    }
    if (e->np > 0) {
        p = realloc(e->port, (size_t)ncap * (size_t)e->np);
        if (p == NULL)
            return CS_ENOMEM;
        e->port = p;
    }
    e->cap = ncap;
    return 0;
}

/* Append node i (existing when d != NULL, else a fresh template node). */
static void init_node(struct est *e, const struct cs_ca_est_domain *d)
{
    int i = e->nnodes++;
    struct node *n = &e->node[i];

    memset(n, 0, sizeof(*n));
    n->free = d ? d->free : e->in->alloc;
    n->slots = d ? d->free_pods : e->in->max_pods;
    n->zone = d ? zone_index(e, d->zone) : e->tzone;
    e->zn[n->zone]++;
    for (int s = 0; s < e->ns; s++)
        e->cnt[i * e->ns + s] = 0;
    for (int p = 0; p < e->np; p++)
        e->port[i * e->np + p] = 0;
    for (int gi = 0; d != NULL && gi < e->ng; gi++) {
        int32_t m = d->matching ? d->matching[gi] : 0;

        if (e->sidx[gi] >= 0) {
            e->cnt[i * e->ns + e->sidx[gi]] += m;
            e->zcnt[n->zone * e->ns + e->sidx[gi]] += m;
        }
        if (e->pidx[gi] >= 0 && m > 0)
            e->port[i * e->np + e->pidx[gi]] = 1;
    }
}

/* Dense zone ids: the existing nodes' zones and the template's. */
static void index_zones(struct est *e)
{
    int n = 0;

    for (int i = 0; i < e->in->nexisting; i++)
        e->zone_id[n++] = e->in->existing[i].zone;
    e->zone_id[n++] = e->in->template_zone;
    qsort(e->zone_id, (size_t)n, sizeof(int), cmp_int);
    e->nz = 0;
    for (int i = 0; i < n; i++)
        if (e->nz == 0 || e->zone_id[e->nz - 1] != e->zone_id[i])
            e->zone_id[e->nz++] = e->zone_id[i];
    e->tzone = zone_index(e, e->in->template_zone);
}

/* ---------------------------------------------------------------------- */
/* Filters                                                                */
/* ---------------------------------------------------------------------- */

/* How many more pods of g fit on node i by ports, slots and resources
 * (NodePorts, NodeResourcesFit: a resource the pod does not request is
 * not checked). */
static int32_t room(const struct est *e, int i, int g)
{
    const struct node *n = &e->node[i];
    const struct cs_resvec *req = &e->g[g].req;
    int64_t k = n->slots > 0 ? n->slots : 0;

    if (e->pidx[g] >= 0) {
        if (e->port[i * e->np + e->pidx[g]])
            return 0;
        k = k > 1 ? 1 : k;
    }
    for (int r = 0; r < e->in->nres && k > 0; r++) {
        int64_t fit;

        if (req->v[r] <= 0)
            continue;
        fit = n->free.v[r] > 0 ? n->free.v[r] / req->v[r] : 0;
        if (fit < k)
            k = fit;
    }
    return (int32_t)k;
}

/* Global minimum of spread group g's matching pods over its domains (0
 * when fewer domains than minDomains exist), PodTopologySpread's
 * minMatchNum. Hostname: every node is a domain; zone: every zone with a
 * node. */
static int64_t spread_min(const struct est *e, int g)
{
    int s = e->sidx[g], domains = 0;
    int64_t min = INT64_MAX;

    if (e->g[g].spread == CS_SPREAD_HOSTNAME) {
        for (int i = 0; i < e->nnodes; i++, domains++)
            if (e->cnt[i * e->ns + s] < min)
                min = e->cnt[i * e->ns + s];
    } else {
        for (int z = 0; z < e->nz; z++) {
            if (e->zn[z] == 0)
                continue;
            domains++;
            if (e->zcnt[z * e->ns + s] < min)
                min = e->zcnt[z * e->ns + s];
        }
    }
    if (domains == 0 || domains < e->g[g].min_domains)
        return 0;
    return min;
}

/* Can one pod of g go on node i? min: spread_min(g), for spread groups.
 * The scheduler runs NodePorts and NodeResourcesFit before
 * PodTopologySpread, so a spread failure means the rest passed. */
static enum fit check(const struct est *e, int i, int g, int64_t min)
{
    int64_t match;

    if (room(e, i, g) < 1)
        return FAIL_RESOURCES;
    if (e->sidx[g] < 0)
        return FIT;
    if (e->g[g].spread == CS_SPREAD_HOSTNAME)
        match = e->cnt[i * e->ns + e->sidx[g]];
    else
        match = e->zcnt[e->node[i].zone * e->ns + e->sidx[g]];
    return match + 1 - min > e->g[g].max_skew ? FAIL_SPREAD : FIT;
}

static void place(struct est *e, int i, int g, int32_t k)
{
    struct node *n = &e->node[i];

    if (k <= 0)
        return;
    for (int r = 0; r < e->in->nres; r++)
        n->free.v[r] -= e->g[g].req.v[r] * k;
    n->slots -= k;
    n->got += k;
    if (e->sidx[g] >= 0) {
        e->cnt[i * e->ns + e->sidx[g]] += k;
        e->zcnt[n->zone * e->ns + e->sidx[g]] += k;
    }
    if (e->pidx[g] >= 0)
        e->port[i * e->np + e->pidx[g]] = 1;
    if (e->placed != NULL)
        e->placed[g] += k;
    e->pods += k;
}

/* threshold_based_limiter.go with the static threshold: 0 no limit,
 * negative no node at all. */
static int permit(struct est *e)
{
    int32_t max = e->in->max_nodes;

    if (max < 0 || (max > 0 && e->added >= max))
        return 0;
    e->added++;
    return 1;
}

/* Add a fresh template node as `last`. */
static int add_node(struct est *e)
{
    int rc = grow(e, 1);

    if (rc < 0)
        return rc;
    init_node(e, NULL);
    e->last = e->nnodes - 1;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Packing                                                                */
/* ---------------------------------------------------------------------- */

/* First new node that takes one pod of g, from `from`; -1 if none. With
 * skip >= 0 that node is passed over and existing nodes are tried after
 * the new ones (the hostname-spread exception). */
static int first_fit(const struct est *e, int g, int from, int skip)
{
    int64_t min = e->sidx[g] >= 0 ? spread_min(e, g) : 0;
    int nx = e->in->nexisting;

    for (int i = from; i < e->nnodes; i++)
        if (i != skip && check(e, i, g, min) == FIT)
            return i;
    for (int i = 0; skip >= 0 && i < nx; i++)
        if (check(e, i, g, min) == FIT)
            return i;
    return -1;
}

/* Step 1 (tryToScheduleOnExistingNodes): place on the nodes added so far
 * until a pod fits none of them. Returns the pods left. */
static int32_t fill_added(struct est *e, int g, int32_t rem)
{
    int nx = e->in->nexisting;

    if (e->sidx[g] < 0) {
        for (int i = nx; rem > 0 && i < e->nnodes; i++) {
            int32_t k = room(e, i, g);

            k = k < rem ? k : rem;
            place(e, i, g, k);
            rem -= k;
        }
        return rem;
    }
    for (; rem > 0; rem--) {
        int i = first_fit(e, g, nx, -1);

        if (i < 0)
            break;
        place(e, i, g, 1);
    }
    return rem;
}

/* The last node could not take the next pod: add a node and put up to
 * `want` pods on it. Returns the pods placed there, 0 to stop the group
 * (last node empty, limiter refused, or the pod fails even on a fresh
 * node), or CS_ENOMEM. */
static int32_t open_node(struct est *e, int g, int32_t want)
{
    int32_t k;
    int rc;

    if (e->last >= 0 && e->node[e->last].got == 0)
        return 0;
    if (!permit(e)) {
        e->new_ok = 0;
        return 0;
    }
    rc = add_node(e);
    if (rc < 0)
        return rc;
    if (e->sidx[g] >= 0)
        k = check(e, e->last, g, spread_min(e, g)) == FIT;
    else
        k = room(e, e->last, g);
    k = k < want ? k : want;
    place(e, e->last, g, k);
    return k;
}

/* Step 2 (tryToScheduleOnNewNodes) for a group without spread: the last
 * node, then new nodes. Returns 0 or CS_ENOMEM. */
static int fill_new_bulk(struct est *e, int g, int32_t rem)
{
    while (rem > 0) {
        int32_t k = 0;

        if (e->last >= 0) {
            k = room(e, e->last, g);
            k = k < rem ? k : rem;
            place(e, e->last, g, k);
            rem -= k;
        }
        if (rem == 0)
            break;
        k = open_node(e, g, rem);
        if (k <= 0)
            return k < 0 ? k : 0;
        rem -= k;
    }
    return 0;
}

/* Step 2 for a spread group, pod by pod. A hostname-spread pod that the
 * last node refuses because of the constraint first tries every other
 * node, existing ones included (upstream's SchedulePodOnAnyNodeMatching
 * with "not the last node"). */
static int fill_new_spread(struct est *e, int g, int32_t rem)
{
    for (; rem > 0; rem--) {
        int32_t k;

        if (e->last >= 0) {
            enum fit f = check(e, e->last, g, spread_min(e, g));
            int i = -1;

            if (f == FIT)
                i = e->last;
            else if (f == FAIL_SPREAD && e->g[g].spread == CS_SPREAD_HOSTNAME)
                i = first_fit(e, g, e->in->nexisting, e->last);
            if (i >= 0) {
                place(e, i, g, 1);
                continue;
            }
        }
        k = open_node(e, g, 1);
        if (k <= 0)
            return k < 0 ? k : 0;
    }
    return 0;
}

/* Fast path (tryFastPath): simulate one node, then count
 * ceil(pods / pods-per-node) nodes without building them. An empty last
 * node is reused rather than a new one asked for. */
static int fast_path(struct est *e, int g, int32_t rem)
{
    int32_t p, k;
    int rc;

    if (rem <= 0)
        return 0;
    if (e->last < 0 || e->node[e->last].got > 0) {
        if (!permit(e)) {
            e->new_ok = 0;
            return 0;
        }
        rc = add_node(e);
        if (rc < 0)
            return rc;
    }
    p = room(e, e->last, g);
    k = p < rem ? p : rem;
    place(e, e->last, g, k);
    rem -= k;
    while (p > 0 && rem > 0) {
        if (!permit(e)) {
            e->new_ok = 0;
            break;
        }
        k = p < rem ? p : rem;
        e->fake++;
        e->pods += k;
        if (e->placed != NULL)
            e->placed[g] += k;
        rem -= k;
    }
    return 0;
}

static int pack(struct est *e, int fast_g)
{
    for (int k = 0; k < e->norder; k++) {
        int g = e->order[k], rc;
        int32_t rem = fill_added(e, g, e->g[g].count);

        if (!e->new_ok || rem == 0)
            continue;
        if (g == fast_g)
            rc = fast_path(e, g, rem);
        else if (e->sidx[g] >= 0)
            rc = fill_new_spread(e, g, rem);
        else
            rc = fill_new_bulk(e, g, rem);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Entry point                                                            */
/* ---------------------------------------------------------------------- */

static void result(const struct est *e, struct cs_ca_est_result *out)
{
    out->nodes = e->fake;
    out->existing = 0;
    for (int i = 0; i < e->nnodes; i++)
        if (e->node[i].got > 0) {
            out->nodes++;
            out->existing += i < e->in->nexisting;
        }
    out->pods = e->pods > INT32_MAX ? INT32_MAX : (int32_t)e->pods;
}

/* One block for the per-group and per-zone arrays. */
static int setup(struct est *e, struct scored **tmp, int32_t **ports)
{
    int ng = e->ng, nzmax = e->in->nexisting + 1;
    size_t sz = (size_t)ng * (3 * sizeof(int) + sizeof(int32_t) +
                              sizeof(struct scored)) +
                (size_t)nzmax * (sizeof(int) + sizeof(int32_t) * (1 + ng));
    char *b = calloc(1, sz + 16);

    if (b == NULL)
        return CS_ENOMEM;
    *tmp = (struct scored *)(void *)b;
    e->zn = (int32_t *)(void *)(b + (size_t)ng * sizeof(struct scored));
    e->zcnt = e->zn + nzmax;
    *ports = e->zcnt + (size_t)nzmax * (size_t)ng;
    e->order = (int *)(void *)(*ports + ng);
    e->sidx = e->order + ng;
    e->pidx = e->sidx + ng;
    e->zone_id = e->pidx + ng;
    return 0;
}

int cs_ca_estimate(const struct cs_ca_est_input *in,
                   const struct cs_ca_pod_group *groups, int ngroups,
                   struct cs_ca_est_result *out)
{
    struct est e;
    struct scored *tmp = NULL;
    int32_t *ports = NULL;
    int rc, fast_g = -1;

    memset(&e, 0, sizeof(e));
    e.in = in;
    e.g = groups;
    e.ng = ngroups > 0 ? ngroups : 0;
    e.last = -1;
    e.new_ok = 1;
    e.placed = out->placed;
    for (int i = 0; e.placed != NULL && i < e.ng; i++)
        e.placed[i] = 0;
    rc = setup(&e, &tmp, &ports);
    if (rc == 0) {
        order_groups(&e, tmp);
        index_groups(&e, ports);
        index_zones(&e);
        rc = grow(&e, in->nexisting);
    }
    for (int i = 0; rc == 0 && i < in->nexisting; i++)
        init_node(&e, &in->existing[i]);
    /* The fast path takes the last group in the order, unless it spreads
     * (the vectors require the fast path to agree with the full one). */
    if (in->fastpath && e.norder > 0 &&
        groups[e.order[e.norder - 1]].spread == CS_SPREAD_NONE)
        fast_g = e.order[e.norder - 1];
    if (rc == 0)
        rc = pack(&e, fast_g);
    if (rc == 0)
        result(&e, out);
    for (int i = 0; rc < 0 && e.placed != NULL && i < e.ng; i++)
        e.placed[i] = 0;
    free(e.node);
    free(e.cnt);
    free(e.port);
    free(tmp);
    return rc;
}
