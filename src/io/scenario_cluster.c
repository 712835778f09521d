/*
 * scenario_cluster.c - the `cluster:` section: node pools (fixed or
 * autoscaled node groups, capacity and reservations, labels, taints, zone,
 * on-demand or spot capacity, node provisioning and boot delays, per node
 * group cluster-autoscaler overrides, spot interruptions and stockouts)
 * and explicit spot reclaims. docs/scenario-format.md is the reference.
 *
 * A pool with minSize and maxSize is a node group the cluster autoscaler
 * may resize (autoscaled = 1); `nodes` is then its initial size, by
 * default minSize. Without them the pool is fixed: min = max = nodes.
 * Every field of struct cs_pool has a value after ld_cluster(), whether
 * the scenario gives it or not, so the simulator reads no "unset" marks
 * except the -1 of struct cs_ng_opts (use the global flag).
 */
#include "io/scenario_int.h"
#include "io/scenario_load.h"

#include <math.h>
#include <string.h>

#define ZONE_LABEL "topology.kubernetes.io/zone"
#define MAX_POOL_NODES 100000

static const char *const pool_keys[] = {
    "name",         "nodes",         "minSize",
    "maxSize",      "capacity",      "reserved",
    "allocatable",  "labels",        "taints",
    "pricePerHour", "zone",          "capacityType",
    "provisioning", "boot",          "autoscaler",
    "spot",         "outOfCapacity", NULL};

/* The key node of `key` in map n (to point at `spot:` rather than at the
 * first key inside it), or NULL. */
static const struct cs_ynode *map_key(const struct cs_ynode *n, const char *key)
{
    if (n == NULL || n->kind != CS_Y_MAP)
        return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (n->items[2 * i]->kind == CS_Y_SCALAR &&
            strcmp(n->items[2 * i]->str, key) == 0)
            return n->items[2 * i];
    return NULL;
}

static int ld_taints(struct ld *l, const struct cs_ynode *n, const char *what,
                     struct cs_pool *p)
{
    static const char *const keys[] = {"key", "value", "effect", NULL};
    char path[256], fp[256];

    if (n == NULL || cs_ynode_is_null(n))
        return 0;
    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    p->taints = ld_alloc(l, n->n * sizeof(*p->taints));
    if (p->taints == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *t = n->items[i], *v;
        struct cs_taint *tt = &p->taints[i];
        const char *eff;

        cs_ypath_index(path, sizeof(path), what, i);
        if (cs_ymap_check_keys(t, keys, path, l->err) < 0)
            return CS_EINVAL;
        v = cs_ymap_require(t, "key", path, l->err);
        if (v == NULL ||
            cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "key"), &tt->key,
                           l->err) < 0)
            return CS_EINVAL;
        tt->value = "";
        v = cs_ymap_get(t, "value");
        if (v != NULL && !cs_ynode_is_null(v) &&
            cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "value"),
                           &tt->value, l->err) < 0)
            return CS_EINVAL;
        v = cs_ymap_require(t, "effect", path, l->err);
        if (v == NULL ||
            cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "effect"), &eff,
                           l->err) < 0)
            return CS_EINVAL;
        tt->effect = cs_taint_effect_parse(eff);
        if (tt->effect == 0)
            return ld_fail(l, v,
                           "%s.effect must be NoSchedule, PreferNoSchedule or "
                           "NoExecute, got \"%s\"",
                           path, eff);
    }
    p->ntaints = (int)n->n;
    return 0;
}

/* allocatable = capacity, or capacity - reserved, or as given; every entry
 * within [0, capacity]. */
static int pool_allocatable(struct ld *l, const struct cs_ynode *n,
                            const struct cs_ynode *cap, const char *what,
                            struct cs_pool *p)
{
    char fp[256];
    const struct cs_ynode *res, *alloc;
    struct cs_resvec reserved = {{0}};

    res = cs_ymap_get(n, "reserved");
    alloc = cs_ymap_get(n, "allocatable");
    if (res != NULL && alloc != NULL)
        return ld_fail(l, alloc,
                       "%s: give either reserved or allocatable, not both",
                       what);
    p->allocatable = p->capacity;
    if (alloc != NULL) {
        if (ld_resources(l, alloc,
                         cs_ypath(fp, sizeof(fp), what, "allocatable"),
                         &p->allocatable, NULL) < 0)
            return CS_EINVAL;
    } else if (res != NULL) {
        if (ld_resources(l, res, cs_ypath(fp, sizeof(fp), what, "reserved"),
                         &reserved, NULL) < 0)
            return CS_EINVAL;
        cs_resvec_sub(&p->allocatable, &reserved, CS_RES_MAX);
    }
    for (int r = 0; r < CS_RES_MAX; r++) {
        const struct cs_ynode *at = alloc ? alloc : res;
        const char *rn = l->sc->res.name[r];

        if (p->allocatable.v[r] >= 0 && p->allocatable.v[r] <= p->capacity.v[r])
            continue;
        /* point at the entry (reserved.memory), not at the whole map */
        if (cs_ymap_get(at, rn) != NULL)
            at = cs_ymap_get(at, rn);
        if (cs_ymap_get(cap, rn) == NULL)
            return ld_fail(l, at, "%s.%s.%s: capacity has no %s", what,
                           alloc ? "allocatable" : "reserved", rn, rn);
        return ld_fail(
            l, at, "%s.%s.%s must not exceed capacity.%s (got %s > %s)", what,
            alloc ? "allocatable" : "reserved", rn, rn,
            at->kind == CS_Y_SCALAR ? at->str : "?", cs_ymap_get(cap, rn)->str);
    }
    return 0;
}

static int ld_pool_capacity(struct ld *l, const struct cs_ynode *n,
                            const char *what, struct cs_pool *p)
{
    char fp[256];
    const struct cs_ynode *cap;
    uint32_t set = 0;

    cap = cs_ymap_require(n, "capacity", what, l->err);
    if (cap == NULL)
        return CS_EINVAL;
    /* `pods` in capacity is the max-pods count, not a resource */
    p->max_pods = 110;
    if (cs_ynode_expect(cap, CS_Y_MAP,
                        cs_ypath(fp, sizeof(fp), what, "capacity"), l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < cap->n; i++) {
        const struct cs_ynode *k = cap->items[2 * i];
        const struct cs_ynode *v = cap->items[2 * i + 1];
        int64_t pods;

        if (k->kind == CS_Y_SCALAR && strcmp(k->str, "pods") == 0) {
            char pp[256];

            if (cs_yget_int(v, cs_ypath(pp, sizeof(pp), fp, "pods"), 1, 100000,
                            &pods, l->err) < 0)
                return CS_EINVAL;
            p->max_pods = (int32_t)pods;
            continue;
        }
        if (ld_resource_entry(l, k, v, fp, &p->capacity, &set) < 0)
            return CS_EINVAL;
    }
    if (!(set & (1u << CS_RES_CPU)) || !(set & (1u << CS_RES_MEMORY)))
        return ld_fail(l, cap, "%s must give both cpu and memory", fp);
    for (int r = CS_RES_CPU; r <= CS_RES_MEMORY; r++)
        if (p->capacity.v[r] <= 0)
            return ld_fail(l, cs_ymap_get(cap, l->sc->res.name[r]),
                           "%s.%s must be positive", fp, l->sc->res.name[r]);
    return pool_allocatable(l, n, cap, what, p);
}

/* nodes, minSize, maxSize. */
static int pool_sizes(struct ld *l, const struct cs_ynode *n, const char *what,
                      struct cs_pool *p)
{
    char fp[256];
    const struct cs_ynode *vn = cs_ymap_get(n, "nodes");
    const struct cs_ynode *vmin = cs_ymap_get(n, "minSize");
    const struct cs_ynode *vmax = cs_ymap_get(n, "maxSize");
    int64_t x, lo, hi;

    if (vmin == NULL && vmax == NULL) {
        vn = cs_ymap_require(n, "nodes", what, l->err);
        if (vn == NULL ||
            cs_yget_int(vn, cs_ypath(fp, sizeof(fp), what, "nodes"), 0,
                        MAX_POOL_NODES, &x, l->err) < 0)
            return CS_EINVAL;
        p->nodes = p->min_size = p->max_size = (int32_t)x;
        return 0;
    }
    if (vmin == NULL || vmax == NULL)
        return ld_fail(l, vmin ? vmin : vmax,
                       "%s.%s: an autoscaled node group needs both minSize "
                       "and maxSize",
                       what, vmin ? "minSize" : "maxSize");
    if (cs_yget_int(vmin, cs_ypath(fp, sizeof(fp), what, "minSize"), 0,
                    MAX_POOL_NODES, &lo, l->err) < 0 ||
        cs_yget_int(vmax, cs_ypath(fp, sizeof(fp), what, "maxSize"), 1,
                    MAX_POOL_NODES, &hi, l->err) < 0)
        return CS_EINVAL;
    if (hi < lo)
        return ld_fail(l, vmax,
                       "%s.maxSize must be >= minSize (got %lld < %lld)", what,
                       (long long)hi, (long long)lo);
    x = lo;
    if (vn != NULL) {
        if (cs_yget_int(vn, cs_ypath(fp, sizeof(fp), what, "nodes"), 0,
                        MAX_POOL_NODES, &x, l->err) < 0)
            return CS_EINVAL;
        if (x < lo || x > hi)
            return ld_fail(l, vn,
                           "%s.nodes must lie between minSize and maxSize "
                           "(got %lld, not in [%lld, %lld])",
                           what, (long long)x, (long long)lo, (long long)hi);
    }
    p->autoscaled = 1;
    p->nodes = (int32_t)x;
    p->min_size = (int32_t)lo;
    p->max_size = (int32_t)hi;
    return 0;
}

/* zone, kept equal to the topology.kubernetes.io/zone label (added when
 * missing, read from it when only the label is given). */
static int pool_zone(struct ld *l, const struct cs_ynode *n, const char *what,
                     struct cs_pool *p)
{
    char fp[256];
    const struct cs_ynode *v = cs_ymap_get(n, "zone");
    const struct cs_kv *label = NULL;
    struct cs_kv *labels;

    for (int i = 0; i < p->nlabels; i++)
        if (strcmp(p->labels[i].key, ZONE_LABEL) == 0)
            label = &p->labels[i];
    p->zone = label ? label->value : "";
    if (v == NULL)
        return 0;
    if (cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "zone"), &p->zone,
                       l->err) < 0)
        return CS_EINVAL;
    if (label != NULL) {
        if (strcmp(label->value, p->zone) != 0)
            return ld_fail(l, v,
                           "%s is \"%s\" but labels give " ZONE_LABEL " \"%s\"",
                           fp, p->zone, label->value);
        return 0;
    }
    labels = ld_alloc(l, ((size_t)p->nlabels + 1) * sizeof(*labels));
    if (labels == NULL)
        return CS_ENOMEM;
    if (p->nlabels > 0)
        memcpy(labels, p->labels, (size_t)p->nlabels * sizeof(*labels));
    labels[p->nlabels].key = ZONE_LABEL;
    labels[p->nlabels].value = p->zone;
    p->labels = labels;
    p->nlabels++;
    return 0;
}

/* capacityType, and the GPU resource (gpu_res). */
static int pool_kind(struct ld *l, const struct cs_ynode *n, const char *what,
                     struct cs_pool *p)
{
    char fp[256];
    const struct cs_ynode *v = cs_ymap_get(n, "capacityType");
    const char *s;

    p->gpu_res = -1;
    for (int r = 0; r < l->sc->res.n && p->gpu_res < 0; r++) {
        const char *name = l->sc->res.name[r];
        size_t len = strlen(name);

        if (len >= 3 && strcmp(name + len - 3, "gpu") == 0 &&
            p->allocatable.v[r] > 0)
            p->gpu_res = r;
    }
    p->capacity_type = CS_CAP_ON_DEMAND;
    if (v == NULL)
        return 0;
    if (cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "capacityType"), &s,
                       l->err) < 0)
        return CS_EINVAL;
    if (strcmp(s, "spot") == 0)
        p->capacity_type = CS_CAP_SPOT;
    else if (strcmp(s, "on-demand") != 0)
        return ld_fail(l, v, "%s must be on-demand or spot, got \"%s\"", fp, s);
    return 0;
}

/* provisioning and boot: delay distributions with capsim's defaults. */
static int pool_delays(struct ld *l, const struct cs_ynode *n, const char *what,
                       struct cs_pool *p)
{
    char fp[256];
    const struct cs_ynode *v;

    memset(&p->provision, 0, sizeof(p->provision));
    memset(&p->boot, 0, sizeof(p->boot));
    p->provision.kind = CS_DIST_LOGNORMAL;
    p->provision.a = 40;
    p->provision.b = 80;
    if (p->gpu_res >= 0) {
        /* GPU driver and device plugin before the node is Ready */
        p->boot.kind = CS_DIST_LOGNORMAL;
        p->boot.a = 120;
        p->boot.b = 240;
    } else {
        p->boot.kind = CS_DIST_CONST;
        p->boot.a = 20;
    }
    if ((v = cs_ymap_get(n, "provisioning")) != NULL &&
        ld_dist(l, v, cs_ypath(fp, sizeof(fp), what, "provisioning"),
                &p->provision) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "boot")) != NULL &&
        ld_dist(l, v, cs_ypath(fp, sizeof(fp), what, "boot"), &p->boot) < 0)
        return CS_EINVAL;
    return 0;
}

/* autoscaler: the cluster autoscaler's "(per NG)" flags for this group. */
static int pool_ng_opts(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_ng_opts *o)
{
    static const char *const keys[] = {"scale-down-unneeded-time",
                                       "scale-down-unready-time",
                                       "max-node-provision-time",
                                       "max-node-startup-time",
                                       "scale-down-utilization-threshold",
                                       "scale-down-gpu-utilization-threshold",
                                       "ignore-daemonsets-utilization",
                                       NULL};
    cs_time_ms *dur[] = {&o->unneeded_time, &o->unready_time,
                         &o->provision_time, &o->startup_time};
    double *thr[] = {&o->util_threshold, &o->gpu_util_threshold};
    char ap[256], fp[256];
    const struct cs_ynode *v;

    o->unneeded_time = o->unready_time = -1;
    o->provision_time = o->startup_time = -1;
    o->util_threshold = o->gpu_util_threshold = -1;
    o->ignore_ds_utilization = -1;
    if ((n = cs_ymap_get(n, "autoscaler")) == NULL)
        return 0;
    cs_ypath(ap, sizeof(ap), what, "autoscaler");
    if (cs_ymap_check_keys(n, keys, ap, l->err) < 0)
        return CS_EINVAL;
    for (int i = 0; i < 4; i++)
        if ((v = cs_ymap_get(n, keys[i])) != NULL &&
            cs_yget_duration(v, cs_ypath(fp, sizeof(fp), ap, keys[i]), dur[i],
                             l->err) < 0)
            return CS_EINVAL;
    for (int i = 0; i < 2; i++)
        if ((v = cs_ymap_get(n, keys[4 + i])) != NULL &&
            cs_yget_double(v, cs_ypath(fp, sizeof(fp), ap, keys[4 + i]), 0, 1,
                           thr[i], l->err) < 0)
            return CS_EINVAL;
    if ((v = cs_ymap_get(n, keys[6])) != NULL &&
        cs_yget_bool(v, cs_ypath(fp, sizeof(fp), ap, keys[6]),
                     &o->ignore_ds_utilization, l->err) < 0)
        return CS_EINVAL;
    return 0;
}

/* AWS Spot Advisor's "frequency of interruption" bands (per month): the
 * band's midpoint f as a Poisson rate per node-hour, -ln(1 - f) / 730. */
static int spot_band(const char *s, double *rate)
{
    static const struct {
        const char *band;
        double mid;
    } t[] = {{"<5%", 0.025},
             {"5-10%", 0.075},
             {"10-15%", 0.125},
             {"15-20%", 0.175},
             {">20%", 0.225}};

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strcmp(s, t[i].band) == 0) {
            *rate = -log1p(-t[i].mid) / 730.0;
            return 0;
        }
    return CS_EINVAL;
}

static int pool_spot(struct ld *l, const struct cs_ynode *n, const char *what,
                     struct cs_pool *p)
{
    static const char *const keys[] = {"interruptionRate",
                                       "interruptionFrequency", "notice", NULL};
    char sp[256], fp[256];
    const struct cs_ynode *s = cs_ymap_get(n, "spot"), *rate, *freq, *v;
    const char *band;

    p->interruptions_per_hour = 0;
    p->notice = 120000;
    if (s == NULL)
        return 0;
    cs_ypath(sp, sizeof(sp), what, "spot");
    if (p->capacity_type != CS_CAP_SPOT)
        return ld_fail(l, map_key(n, "spot"),
                       "%s is only allowed with capacityType: spot", sp);
    if (cs_ymap_check_keys(s, keys, sp, l->err) < 0)
        return CS_EINVAL;
    rate = cs_ymap_get(s, "interruptionRate");
    freq = cs_ymap_get(s, "interruptionFrequency");
    if (rate != NULL && freq != NULL)
        return ld_fail(l, map_key(s, "interruptionFrequency"),
                       "%s: give either interruptionRate or "
                       "interruptionFrequency, not both",
                       sp);
    if (rate != NULL &&
        cs_yget_double(rate, cs_ypath(fp, sizeof(fp), sp, "interruptionRate"),
                       0, 3600, &p->interruptions_per_hour, l->err) < 0)
        return CS_EINVAL;
    if (freq != NULL) {
        cs_ypath(fp, sizeof(fp), sp, "interruptionFrequency");
        if (cs_yget_string(freq, fp, &band, l->err) < 0)
            return CS_EINVAL;
        if (spot_band(band, &p->interruptions_per_hour) < 0)
            return ld_fail(l, freq,
                           "%s must be one of \"<5%%\", \"5-10%%\", "
                           "\"10-15%%\", \"15-20%%\", \">20%%\" (AWS Spot "
                           "Advisor), got \"%s\"",
                           fp, band);
    }
    if ((v = cs_ymap_get(s, "notice")) != NULL &&
        cs_yget_duration(v, cs_ypath(fp, sizeof(fp), sp, "notice"), &p->notice,
                         l->err) < 0)
        return CS_EINVAL;
    return 0;
}

/* outOfCapacity: [{from, to}, ...] in increasing order, not overlapping. */
static int pool_stockouts(struct ld *l, const struct cs_ynode *n,
                          const char *what, struct cs_pool *p)
{
    static const char *const keys[] = {"from", "to", NULL};
    char op[256], ip[256];
    const struct cs_ynode *list = cs_ymap_get(n, "outOfCapacity");

    if (list == NULL)
        return 0;
    cs_ypath(op, sizeof(op), what, "outOfCapacity");
    if (cs_ynode_expect(list, CS_Y_SEQ, op, l->err) < 0)
        return CS_EINVAL;
    p->stockouts = ld_alloc(l, list->n * sizeof(*p->stockouts));
    if (p->stockouts == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < list->n; i++) {
        const struct cs_ynode *w = list->items[i];
        struct cs_window *win = &p->stockouts[i];

        cs_ypath_index(ip, sizeof(ip), op, i);
        if (cs_ymap_check_keys(w, keys, ip, l->err) < 0 ||
            ld_load_instant(l, w, ip, "from", 1, &win->from) < 0 ||
            ld_load_instant(l, w, ip, "to", 1, &win->to) < 0)
            return CS_EINVAL;
        if (win->to <= win->from)
            return ld_fail(l, cs_ymap_get(w, "to"), "%s.to must be after from",
                           ip);
        if (i > 0 && win->from < p->stockouts[i - 1].to)
            return ld_fail(l, cs_ymap_get(w, "from"),
                           "%s.from must not be before the previous window's "
                           "end (windows in order, not overlapping)",
                           ip);
    }
    p->nstockouts = (int)list->n;
    return 0;
}

static int ld_pool(struct ld *l, const struct cs_ynode *n, const char *what,
                   struct cs_pool *p)
{
    char fp[256];
    const struct cs_ynode *v;

    if (cs_ymap_check_keys(n, pool_keys, what, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(n, "name", what, l->err);
    if (v == NULL || cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "name"),
                                    &p->name, l->err) < 0)
        return CS_EINVAL;
    if (pool_sizes(l, n, what, p) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "pricePerHour")) != NULL &&
        cs_yget_double(v, cs_ypath(fp, sizeof(fp), what, "pricePerHour"), 0,
                       1e6, &p->price_per_hour, l->err) < 0)
        return CS_EINVAL;
    if (ld_pool_capacity(l, n, what, p) < 0)
        return CS_EINVAL;
    if (ld_kv_map(l, cs_ymap_get(n, "labels"),
                  cs_ypath(fp, sizeof(fp), what, "labels"), &p->labels,
                  &p->nlabels) < 0)
        return CS_EINVAL;
    if (ld_taints(l, cs_ymap_get(n, "taints"),
                  cs_ypath(fp, sizeof(fp), what, "taints"), p) < 0)
        return CS_EINVAL;
    if (pool_zone(l, n, what, p) < 0 || pool_kind(l, n, what, p) < 0 ||
        pool_delays(l, n, what, p) < 0 ||
        pool_ng_opts(l, n, what, &p->ng) < 0 || pool_spot(l, n, what, p) < 0 ||
        pool_stockouts(l, n, what, p) < 0)
        return CS_EINVAL;
    return 0;
}

static int find_pool(const struct cs_scenario *sc, const char *name)
{
    for (int i = 0; i < sc->npools; i++)
        if (strcmp(sc->pools[i].name, name) == 0)
            return i;
    return -1;
}

/* nodes or fraction of one reclaim, exactly one of them. */
static int reclaim_amount(struct ld *l, const struct cs_ynode *n,
                          const char *what, struct cs_reclaim *r)
{
    char fp[256];
    const struct cs_ynode *vn = cs_ymap_get(n, "nodes");
    const struct cs_ynode *vf = cs_ymap_get(n, "fraction");
    int64_t x;

    if (vn != NULL && vf != NULL)
        return ld_fail(l, map_key(n, "fraction"),
                       "%s: give either nodes or fraction, not both", what);
    if (vn == NULL && vf == NULL)
        return ld_fail(l, n, "%s: give nodes or fraction", what);
    r->nodes = -1;
    if (vn != NULL) {
        if (cs_yget_int(vn, cs_ypath(fp, sizeof(fp), what, "nodes"), 1,
                        MAX_POOL_NODES, &x, l->err) < 0)
            return CS_EINVAL;
        r->nodes = (int32_t)x;
        return 0;
    }
    if (cs_yget_double(vf, cs_ypath(fp, sizeof(fp), what, "fraction"), 0, 1,
                       &r->fraction, l->err) < 0)
        return CS_EINVAL;
    if (r->fraction <= 0)
        return ld_fail(l, vf, "%s must be in (0, 1], got %s", fp, vf->str);
    return 0;
}

/* cluster.reclaims: [{at, pool, nodes | fraction}, ...] of spot pools. */
static int ld_reclaims(struct ld *l, const struct cs_ynode *list)
{
    static const char *const keys[] = {"at", "pool", "nodes", "fraction", NULL};
    struct cs_scenario *sc = l->sc;
    char ip[256], fp[256];

    if (cs_ynode_expect(list, CS_Y_SEQ, "cluster.reclaims", l->err) < 0)
        return CS_EINVAL;
    sc->reclaims = ld_alloc(l, list->n * sizeof(*sc->reclaims));
    if (sc->reclaims == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < list->n; i++) {
        const struct cs_ynode *n = list->items[i], *v;
        struct cs_reclaim *r = &sc->reclaims[i];
        const char *name;

        cs_ypath_index(ip, sizeof(ip), "cluster.reclaims", i);
        if (cs_ymap_check_keys(n, keys, ip, l->err) < 0 ||
            ld_load_instant(l, n, ip, "at", 1, &r->at) < 0)
            return CS_EINVAL;
        cs_ypath(fp, sizeof(fp), ip, "pool");
        v = cs_ymap_require(n, "pool", ip, l->err);
        if (v == NULL || cs_yget_string(v, fp, &name, l->err) < 0)
            return CS_EINVAL;
        r->pool = find_pool(sc, name);
        if (r->pool < 0)
            return ld_fail(l, v, "%s: no node pool named \"%s\"", fp, name);
        if (sc->pools[r->pool].capacity_type != CS_CAP_SPOT)
            return ld_fail(l, v,
                           "%s: node pool \"%s\" is not a spot pool (give it "
                           "capacityType: spot)",
                           fp, name);
        if (reclaim_amount(l, n, ip, r) < 0)
            return CS_EINVAL;
        r->line = n->line;
        r->col = n->col;
    }
    sc->nreclaims = (int)list->n;
    return 0;
}

int ld_cluster(struct ld *l, const struct cs_ynode *n)
{
    static const char *const keys[] = {"nodePools", "reclaims", NULL};
    const struct cs_ynode *pools, *v;
    char path[256];
    struct cs_scenario *sc = l->sc;

    if (cs_ymap_check_keys(n, keys, "cluster", l->err) < 0)
        return CS_EINVAL;
    pools = cs_ymap_require(n, "nodePools", "cluster", l->err);
    if (pools == NULL ||
        cs_ynode_expect(pools, CS_Y_SEQ, "cluster.nodePools", l->err) < 0)
        return CS_EINVAL;
    if (pools->n == 0)
        return ld_fail(l, pools, "cluster.nodePools must not be empty");
    sc->pools = ld_alloc(l, pools->n * sizeof(*sc->pools));
    if (sc->pools == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < pools->n; i++) {
        cs_ypath_index(path, sizeof(path), "cluster.nodePools", i);
        if (ld_pool(l, pools->items[i], path, &sc->pools[i]) < 0)
            return CS_EINVAL;
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->pools[j].name, sc->pools[i].name) == 0)
                return ld_fail(l, cs_ymap_get(pools->items[i], "name"),
                               "%s.name: duplicate node pool \"%s\"", path,
                               sc->pools[i].name);
    }
    sc->npools = (int)pools->n;
    if ((v = cs_ymap_get(n, "reclaims")) != NULL && ld_reclaims(l, v) < 0)
        return CS_EINVAL;
    return 0;
}

/* A cluster autoscaler needs a node group to resize. (Node groups without
 * a cluster autoscaler are fine: they keep their size.) */
int ld_check_ca(struct ld *l)
{
    const struct cs_scenario *sc = l->sc;

    if (!sc->ca.enabled)
        return 0;
    for (int p = 0; p < sc->npools; p++)
        if (sc->pools[p].autoscaled)
            return 0;
    return ld_fail(l, l->ca_at,
                   "the cluster autoscaler is enabled but no node pool is "
                   "autoscaled (give a node pool minSize and maxSize)");
}
