/*
 * scenario.c - loading a scenario file (top level, controller flags). The
 * clusterAutoscaler block is in scenario_flags.c, node pools in
 * scenario_cluster.c, workload models in scenario_workload.c, Kubernetes
 * objects in manifest*.c.
 * docs/scenario-format.md and docs/cluster-autoscaler.md are the
 * reference.
 *
 * Every error is located at the offending node (FILE:LINE:COL) and leaves
 * nothing allocated: all memory hangs off the scenario being built, which is
 * destroyed on failure.
 */
#define _POSIX_C_SOURCE 200809L
#include "core/clock.h"
#include "io/scenario_int.h"

#include "io/expect.h"
#include "io/quantity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_PODS 1000000

void *ld_alloc(struct ld *l, size_t n)
{
    struct cs_scenario *sc = l->sc;
    void *p;

    if (sc->nallocs == sc->allocs_cap) {
        size_t cap = sc->allocs_cap ? sc->allocs_cap * 2 : 32;
        void **a = realloc(sc->allocs, cap * sizeof(*a));

        if (a == NULL)
            goto fail;
        sc->allocs = a;
        sc->allocs_cap = cap;
    }
    p = calloc(1, n ? n : 1);
    if (p == NULL)
        goto fail;
    sc->allocs[sc->nallocs++] = p;
    return p;
fail:
    cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    return NULL;
}

int ld_fail(struct ld *l, const struct cs_ynode *n, const char *fmt, ...)
{
    va_list ap;
    char msg[CS_ERR_MSG_MAX];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n != NULL)
        cs_err_set(l->err, CS_EINVAL, n->file, n->line, n->col, "%s", msg);
    else
        cs_err_set(l->err, CS_EINVAL, l->sc->path, 0, 0, "%s", msg);
    return CS_EINVAL;
}

int ld_fail_in(struct ld *l, const struct cs_ynode *v, const struct cs_err *e,
               const char *what)
{
    int col = v->col + (v->quoted ? 1 : 0) + (e->col > 0 ? e->col - 1 : 0);

    cs_err_set(l->err, CS_EINVAL, v->file, v->line, col, "%s: %s", what,
               e->msg);
    return CS_EINVAL;
}

int ld_kv_map(struct ld *l, const struct cs_ynode *n, const char *what,
              struct cs_kv **out, int *nout)
{
    char path[256];

    *out = NULL;
    *nout = 0;
    if (n == NULL || cs_ynode_is_null(n))
        return 0;
    if (cs_ynode_expect(n, CS_Y_MAP, what, l->err) < 0)
        return CS_EINVAL;
    *out = ld_alloc(l, n->n * sizeof(**out));
    if (*out == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];

        if (cs_yget_string(k, what, &(*out)[i].key, l->err) < 0)
            return CS_EINVAL;
        cs_ypath(path, sizeof(path), what, (*out)[i].key);
        if (cs_ynode_is_null(v))
            (*out)[i].value = "";
        else if (cs_yget_string(v, path, &(*out)[i].value, l->err) < 0)
            return CS_EINVAL;
    }
    *nout = (int)n->n;
    return 0;
}

int ld_resource_entry(struct ld *l, const struct cs_ynode *k,
                      const struct cs_ynode *val, const char *what,
                      struct cs_resvec *v, uint32_t *set)
{
    char path[256];
    const char *name;
    int idx;
    int64_t milli;

    if (cs_yget_string(k, what, &name, l->err) < 0)
        return CS_EINVAL;
    idx = cs_resnames_intern(&l->sc->res, name);
    if (idx < 0)
        return ld_fail(l, k,
                       "%s: too many resource names (at most %d: cpu, "
                       "memory and %d more)",
                       what, CS_RES_MAX, CS_RES_MAX - 2);
    cs_ypath(path, sizeof(path), what, name);
    if (cs_yget_quantity_milli(val, path, &milli, l->err) < 0)
        return CS_EINVAL;
    v->v[idx] = milli;
    if (set != NULL)
        *set |= 1u << idx;
    return 0;
}

int ld_resources(struct ld *l, const struct cs_ynode *n, const char *what,
                 struct cs_resvec *v, uint32_t *set)
{
    if (n == NULL || cs_ynode_is_null(n))
        return 0;
    if (cs_ynode_expect(n, CS_Y_MAP, what, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < n->n; i++)
        if (ld_resource_entry(l, n->items[2 * i], n->items[2 * i + 1], what, v,
                              set) < 0)
            return CS_EINVAL;
    return 0;
}

static int ld_controllers(struct ld *l, const struct cs_ynode *n)
{
    static const char *const keys[] = {"hpa", "metrics", NULL};
    static const char *const hpa_keys[] = {"syncPeriod",
                                           "tolerance",
                                           "downscaleStabilization",
                                           "cpuInitializationPeriod",
                                           "initialReadinessDelay",
                                           NULL};
    static const char *const metrics_keys[] = {"resolution", NULL};
    struct cs_hpa_config *c = &l->sc->hpa_cfg;
    const struct cs_ynode *h, *m, *v;

    if (cs_ymap_check_keys(n, keys, "controllers", l->err) < 0)
        return CS_EINVAL;
    h = cs_ymap_get(n, "hpa");
    if (h != NULL) {
        if (cs_ymap_check_keys(h, hpa_keys, "controllers.hpa", l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(h, "syncPeriod")) != NULL &&
            cs_yget_duration(v, "controllers.hpa.syncPeriod", &c->sync_period,
                             l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(h, "tolerance")) != NULL &&
            cs_yget_double(v, "controllers.hpa.tolerance", 0, 1, &c->tolerance,
                           l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(h, "downscaleStabilization")) != NULL &&
            cs_yget_duration(v, "controllers.hpa.downscaleStabilization",
                             &c->downscale_window, l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(h, "cpuInitializationPeriod")) != NULL &&
            cs_yget_duration(v, "controllers.hpa.cpuInitializationPeriod",
                             &c->cpu_init_period, l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(h, "initialReadinessDelay")) != NULL &&
            cs_yget_duration(v, "controllers.hpa.initialReadinessDelay",
                             &c->readiness_delay, l->err) < 0)
            return CS_EINVAL;
        if (c->sync_period < 1000)
            return ld_fail(l, cs_ymap_get(h, "syncPeriod"),
                           "controllers.hpa.syncPeriod must be at least 1s");
    }
    m = cs_ymap_get(n, "metrics");
    if (m != NULL) {
        if (cs_ymap_check_keys(m, metrics_keys, "controllers.metrics", l->err) <
            0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(m, "resolution")) != NULL) {
            if (cs_yget_duration(v, "controllers.metrics.resolution",
                                 &l->sc->scrape_period, l->err) < 0)
                return CS_EINVAL;
            if (l->sc->scrape_period < 1000)
                return ld_fail(l, v,
                               "controllers.metrics.resolution must "
                               "be at least 1s");
        }
    }
    return 0;
}

static const char *const top_keys[] = {"name",
                                       "duration",
                                       "seed",
                                       "sampleStep",
                                       "limits",
                                       "cluster",
                                       "manifests",
                                       "workloads",
                                       "externalMetrics",
                                       "controllers",
                                       "report",
                                       "expect",
                                       "start",
                                       "timeZone",
                                       "schedule",
                                       "clusterAutoscaler",
                                       "verticalPodAutoscaler",
                                       NULL};

/* A Monday: without `start`, t = 0 is this local midnight, so that times
 * of day and weekdays in loads and schedules still mean something. */
#define DEFAULT_START_DAY 4 /* 1970-01-05 */

/* timeZone and start: the wall clock of the run. */
static int ld_clock(struct ld *l, const struct cs_ynode *root)
{
    struct cs_scenario *sc = l->sc;
    const struct cs_ynode *v;
    struct cs_err e;
    const char *s;
    int64_t utc;
    struct cs_civil c;

    cs_err_clear(&e);
    if ((v = cs_ymap_get(root, "timeZone")) != NULL) {
        if (cs_yget_string(v, "timeZone", &s, l->err) < 0)
            return CS_EINVAL;
        if (cs_tz_load(&sc->tz, s, &e) < 0)
            return ld_fail(l, v, "timeZone: %s", e.msg);
    }
    if ((v = cs_ymap_get(root, "start")) == NULL) {
        cs_civil_from_seconds((int64_t)DEFAULT_START_DAY * 86400, &c);
        utc = (int64_t)DEFAULT_START_DAY * 86400;
        if (sc->tz != NULL)
            (void)cs_tz_from_local(sc->tz, &c, &utc);
        sc->start_utc_ms = utc * 1000;
        return 0;
    }
    if (cs_yget_string(v, "start", &s, l->err) < 0)
        return CS_EINVAL;
    if (cs_clock_parse_iso(s, sc->tz, &sc->start_utc_ms, &e) < 0)
        return ld_fail_in(l, v, &e, "start");
    sc->has_start = 1;
    return 0;
}

static int ld_top_scalars(struct ld *l, const struct cs_ynode *root)
{
    struct cs_scenario *sc = l->sc;
    const struct cs_ynode *v;
    int64_t i64;

    if ((v = cs_ymap_get(root, "name")) != NULL &&
        cs_yget_string(v, "name", &sc->name, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(root, "duration", "scenario", l->err);
    if (v == NULL || cs_yget_duration(v, "duration", &sc->duration, l->err) < 0)
        return CS_EINVAL;
    if (sc->duration <= 0)
        return ld_fail(l, v, "duration must be positive");
    if (sc->duration > (cs_time_ms)366 * 86400 * 1000)
        return ld_fail(l, v, "duration must be at most 366 days");
    if ((v = cs_ymap_get(root, "seed")) != NULL) {
        if (cs_yget_int(v, "seed", 0, INT64_MAX, &i64, l->err) < 0)
            return CS_EINVAL;
        sc->seed = (uint64_t)i64;
    }
    if ((v = cs_ymap_get(root, "sampleStep")) != NULL) {
        if (cs_yget_duration(v, "sampleStep", &sc->sample_step, l->err) < 0)
            return CS_EINVAL;
        if (sc->sample_step < 100)
            return ld_fail(l, v, "sampleStep must be at least 100ms");
    }
    if ((v = cs_ymap_get(root, "limits")) != NULL) {
        static const char *const keys[] = {"maxPods", "maxNodes", "maxOutputMB",
                                           NULL};
        const struct cs_ynode *mp;

        if (cs_ymap_check_keys(v, keys, "limits", l->err) < 0)
            return CS_EINVAL;
        if ((mp = cs_ymap_get(v, "maxPods")) != NULL) {
            if (cs_yget_int(mp, "limits.maxPods", 1, 100000000, &i64, l->err) <
                0)
                return CS_EINVAL;
            sc->max_pods = (uint32_t)i64;
        }
        if ((mp = cs_ymap_get(v, "maxNodes")) != NULL) {
            if (cs_yget_int(mp, "limits.maxNodes", 1, 10000000, &i64, l->err) <
                0)
                return CS_EINVAL;
            sc->max_nodes = (uint32_t)i64;
        }
        if ((mp = cs_ymap_get(v, "maxOutputMB")) != NULL) {
            if (cs_yget_int(mp, "limits.maxOutputMB", 1, INT64_C(1) << 40, &i64,
                            l->err) < 0)
                return CS_EINVAL;
            sc->max_output_mb = (uint64_t)i64;
        }
    }
    return 0;
}

static int ld_report(struct ld *l, const struct cs_ynode *n)
{
    static const char *const keys[] = {"flapWindow", NULL};
    const struct cs_ynode *v;

    if (cs_ynode_expect(n, CS_Y_MAP, "report", l->err) < 0 ||
        cs_ymap_check_keys(n, keys, "report", l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "flapWindow")) != NULL &&
        cs_yget_duration(v, "report.flapWindow", &l->sc->flap_window, l->err) <
            0)
        return CS_EINVAL;
    return 0;
}

/* expect: a list of assertions (docs/expectations.md), checked for syntax
 * now so that a typo fails before a long run. */
static int ld_expect(struct ld *l, const struct cs_ynode *n)
{
    struct cs_scenario *sc = l->sc;
    char path[64];

    if (cs_ynode_expect(n, CS_Y_SEQ, "expect", l->err) < 0)
        return CS_EINVAL;
    sc->expects = ld_alloc(l, n->n * sizeof(*sc->expects));
    if (sc->expects == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *v = n->items[i];
        struct cs_scenario_expect *e = &sc->expects[i];
        struct cs_expect *parsed;

        cs_ypath_index(path, sizeof(path), "expect", i);
        /* `- max(replicas): 3` is a mapping to YAML: say so */
        if (v->kind != CS_Y_SCALAR)
            return ld_fail(l, v,
                           "%s must be an assertion string such as "
                           "\"max(replicas) <= 10\", got a %s (quote an "
                           "entry that contains \": \")",
                           path, v->kind == CS_Y_MAP ? "mapping" : "list");
        if (cs_yget_string(v, path, &e->text, l->err) < 0)
            return CS_EINVAL;
        e->line = v->line;
        e->col = v->col + (v->quoted ? 1 : 0);
        if (cs_expect_parse(e->text, v->file, e->line, e->col, &parsed,
                            l->err) < 0)
            return CS_EINVAL;
        cs_expect_destroy(parsed);
    }
    sc->nexpects = (int)n->n;
    return 0;
}

static void set_defaults(struct cs_scenario *sc)
{
    cs_resnames_init(&sc->res);
    cs_hpa_config_init_defaults(&sc->hpa_cfg);
    cs_ca_config_defaults(&sc->ca);
    cs_vpa_config_defaults(&sc->vpa_cfg);
    sc->seed = 1;
    sc->sample_step = 15000;
    sc->scrape_period = 15000;
    sc->max_pods = DEFAULT_MAX_PODS;
    sc->max_nodes = 100000;
    sc->max_output_mb = 8192;
    sc->flap_window = 5 * 60 * 1000;
}

/* A milli-unit amount as a user would write it: 8, 500m, 16Gi. */
static void fmt_milli(char *buf, size_t n, int64_t milli)
{
    int64_t u = milli / 1000;

    if (milli % 1000 != 0)
        snprintf(buf, n, "%lldm", (long long)milli);
    else if (u != 0 && u % (1LL << 30) == 0)
        snprintf(buf, n, "%lldGi", (long long)(u >> 30));
    else if (u != 0 && u % (1LL << 20) == 0)
        snprintf(buf, n, "%lldMi", (long long)(u >> 20));
    else
        snprintf(buf, n, "%lld", (long long)u);
}

/* The pods of wl request more of some resource than any pool can allocate:
 * name it, so the user knows which request or pool to change. */
static int fail_too_big(struct ld *l, int w)
{
    const struct cs_scenario *sc = l->sc;
    const struct cs_workload *wl = &sc->workloads[w];
    char want[32], most[32];

    for (int r = 0; r < sc->res.n; r++) {
        int64_t max = 0;

        for (int p = 0; p < sc->npools; p++)
            if (sc->pools[p].allocatable.v[r] > max)
                max = sc->pools[p].allocatable.v[r];
        if (wl->spec.requests.v[r] <= max)
            continue;
        fmt_milli(want, sizeof(want), wl->spec.requests.v[r]);
        fmt_milli(most, sizeof(most), max);
        return ld_fail(l, l->deploys[w],
                       "Deployment %s: no node pool can run its pods (they "
                       "request %s %s, %s%s)",
                       wl->name, want, sc->res.name[r],
                       max ? "more than any pool's allocatable " : "which ",
                       max ? most : "no pool offers");
    }
    return 0;
}

/* A workload whose pods no node pool can ever hold is a scenario error,
 * not a run where they stay Pending forever. */
static int check_fits(struct ld *l)
{
    const struct cs_scenario *sc = l->sc;

    for (int w = 0; w < sc->nworkloads; w++) {
        const struct cs_workload *wl = &sc->workloads[w];
        const char *why = "its tolerations or nodeSelector";
        int ok = 0;

        for (int p = 0; p < sc->npools && !ok; p++) {
            const struct cs_pool *pool = &sc->pools[p];
            struct cs_resvec zero = {{0}};

            if (!cs_resvec_fits(&zero, &wl->spec.requests, &pool->allocatable,
                                sc->res.n)) {
                why = "its requests";
                continue;
            }
            ok = cs_tolerates(wl->spec.tolerations, wl->spec.ntolerations,
                              pool->taints, pool->ntaints) &&
                 cs_labels_match(wl->spec.node_selector,
                                 wl->spec.nnode_selector, pool, NULL);
        }
        if (!ok && fail_too_big(l, w) < 0)
            return CS_EINVAL;
        if (!ok)
            return ld_fail(l, l->deploys[w],
                           "Deployment %s: no node pool can run its pods "
                           "(%s rule out every pool)",
                           wl->name, why);
    }
    return 0;
}

static int ld_root(struct ld *l, const struct cs_ynode *root)
{
    const struct cs_ynode *v;

    /* scenarios/ also holds sweep files: say what to do with one */
    if (root->kind == CS_Y_MAP && (v = cs_ymap_get(root, "sweep")) != NULL &&
        cs_ymap_get(root, "axes") != NULL)
        return cs_err_set(l->err, CS_EINVAL, v->file, v->line, 1,
                          "this is a sweep file, not a scenario: run it "
                          "with 'capsim sweep %s'",
                          v->file);
    if (cs_ynode_expect(root, CS_Y_MAP, "scenario", l->err) < 0 ||
        cs_ymap_check_keys(root, top_keys, "scenario", l->err) < 0 ||
        ld_top_scalars(l, root) < 0 || ld_clock(l, root) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(root, "controllers")) != NULL &&
        ld_controllers(l, v) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(root, "report")) != NULL && ld_report(l, v) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(root, "cluster", "scenario", l->err);
    if (v == NULL || ld_cluster(l, v) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(root, "manifests", "scenario", l->err);
    if (v == NULL || ld_manifests(l, v) < 0)
        return CS_EINVAL;
    if (ld_ca_top(l, root) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(root, "workloads")) != NULL) {
        if (cs_ynode_expect(v, CS_Y_MAP, "workloads", l->err) < 0)
            return CS_EINVAL;
        for (size_t i = 0; i < v->n; i++) {
            const struct cs_ynode *k = v->items[2 * i];
            const char *name;
            char path[256];
            int w;

            if (cs_yget_string(k, "workloads", &name, l->err) < 0)
                return CS_EINVAL;
            w = ld_find_workload(l, name);
            if (w < 0)
                return ld_fail(l, k,
                               "workloads: no Deployment named \"%s\" in "
                               "manifests",
                               name);
            cs_ypath(path, sizeof(path), "workloads", name);
            if (ld_workload_model(l, v->items[2 * i + 1], path,
                                  &l->sc->workloads[w]) < 0)
                return CS_EINVAL;
        }
    }
    if ((v = cs_ymap_get(root, "externalMetrics")) != NULL &&
        ld_external_metrics(l, v) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < l->nhpas; i++)
        if (ld_hpa(l, l->hpas[i], &l->sc->hpas[i]) < 0)
            return CS_EINVAL;
    if (ld_vpas(l, root) < 0)
        return CS_EINVAL;
    if (ld_schedule(l, cs_ymap_get(root, "schedule")) < 0 || ld_cronjobs(l) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(root, "expect")) != NULL && ld_expect(l, v) < 0)
        return CS_EINVAL;
    return check_fits(l);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 1;
    char *d = malloc(n + 1);

    if (d == NULL)
        return NULL;
    if (slash == NULL)
        memcpy(d, ".", 1);
    else if (n == 0)
        memcpy(d, "/", (n = 1));
    else
        memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

static struct cs_scenario *load_common(const char *name, const char *buf,
                                       size_t len, const char *base_dir,
                                       const struct cs_override *ov, size_t nov,
                                       struct cs_err *err)
{
    struct cs_scenario *sc = calloc(1, sizeof(*sc));
    struct ld l;
    struct cs_ynode **docs;
    size_t ndocs;
    int rc;

    memset(&l, 0, sizeof(l));
    if (sc == NULL || (sc->path = strdup(name)) == NULL ||
        (sc->arena = cs_yarena_create()) == NULL) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        cs_scenario_destroy(sc);
        return NULL;
    }
    set_defaults(sc);
    l.sc = sc;
    l.arena = sc->arena;
    l.err = err;
    l.base_dir = base_dir;
    l.ov = ov;
    l.nov = nov;
    if (buf != NULL)
        rc = cs_yaml_load_buffer(l.arena, name, buf, len, &docs, &ndocs, err);
    else
        rc = cs_yaml_load_file(l.arena, name, &docs, &ndocs, err);
    if (rc == 0 && ndocs != 1)
        rc = cs_err_set(err, CS_EPARSE, name, ndocs ? docs[1]->line : 0,
                        ndocs ? docs[1]->col : 0,
                        ndocs ? "a scenario file holds one YAML document; "
                                "put Kubernetes objects under manifests"
                              : "the scenario file is empty");
    if (rc == 0 && nov > 0)
        rc = ld_override_root(&l, &docs[0]);
    if (rc == 0)
        rc = ld_root(&l, docs[0]);
    if (rc == 0 && sc->name == NULL)
        sc->name = "scenario";
    free(l.deploys);
    free(l.hpas);
    free(l.cronjobs);
    free(l.policies);
    free(l.vpas);
    if (rc < 0) {
        cs_scenario_destroy(sc);
        return NULL;
    }
    return sc;
}

struct cs_scenario *cs_scenario_load(const char *path, struct cs_err *err)
{
    return cs_scenario_load_with(path, NULL, 0, err);
}

struct cs_scenario *cs_scenario_load_with(const char *path,
                                          const struct cs_override *ov,
                                          size_t n, struct cs_err *err)
{
    char *dir = dir_of(path);
    struct cs_scenario *sc;

    if (dir == NULL) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    sc = load_common(path, NULL, 0, dir, ov, n, err);
    free(dir);
    return sc;
}

struct cs_scenario *cs_scenario_load_buffer(const char *name, const char *buf,
                                            size_t len, const char *base_dir,
                                            struct cs_err *err)
{
    return cs_scenario_load_buffer_with(name, buf, len, base_dir, NULL, 0, err);
}

struct cs_scenario *cs_scenario_load_buffer_with(const char *name,
                                                 const char *buf, size_t len,
                                                 const char *base_dir,
                                                 const struct cs_override *ov,
                                                 size_t n, struct cs_err *err)
{
    return load_common(name, buf ? buf : "", len, base_dir ? base_dir : ".", ov,
                       n, err);
}

void cs_scenario_destroy(struct cs_scenario *sc)
{
    if (sc == NULL)
        return;
    for (size_t i = 0; i < sc->nallocs; i++)
        free(sc->allocs[i]);
    free(sc->allocs);
    cs_yarena_destroy(sc->arena);
    cs_tz_destroy(sc->tz);
    for (int i = 0; i < sc->ntzs; i++)
        cs_tz_destroy(sc->tzs[i]);
    free(sc->tzs);
    free(sc->path);
    free(sc);
}
