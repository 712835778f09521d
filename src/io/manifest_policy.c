/*
 * manifest_policy.c - Kubernetes objects that constrain pods or configure
 * the cluster autoscaler: policy/v1 PodDisruptionBudget, v1 ResourceQuota,
 * apps/v1 DaemonSet, scheduling.k8s.io/v1 PriorityClass, the v1 ConfigMap
 * cluster-autoscaler-priority-expander, and an apps/v1 Deployment that
 * runs the cluster autoscaler (an image containing "cluster-autoscaler":
 * its container's command and args set sc->ca, and it is no workload).
 *
 * Lifecycle inside ld_manifests() (manifest.c):
 *
 *   object()  --ld_policy_object-->  l->policies / l->ca_deploy (gathered)
 *   before the Deployments  --ld_priority_classes-->  l->pclasses
 *   after every workload    --ld_policies-->  sc->pdbs, quotas, daemonsets,
 *                                            ca.priorities, ca flags
 *
 * PriorityClasses come first so that a pod template's priorityClassName
 * resolves; PDBs come last so that their selectors see every workload. A
 * PDB selecting nothing is kept (upstream allows it). The scenario's
 * clusterAutoscaler block is read after all this and overrides it.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/regex_check.h"
#include "io/scenario_int.h"

#include "io/quantity.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRIO_CONFIGMAP "cluster-autoscaler-priority-expander"

static const char *const obj_keys[] = {"apiVersion", "kind",   "metadata",
                                       "spec",       "status", NULL};

/* ---- gathering -------------------------------------------------------- */

static const char *meta_name(const struct cs_ynode *obj)
{
    const struct cs_ynode *nm =
        cs_ymap_get(cs_ymap_get(obj, "metadata"), "name");

    return nm && nm->kind == CS_Y_SCALAR ? nm->str : NULL;
}

static int str_contains(const struct cs_ynode *n, const char *needle)
{
    return n != NULL && n->kind == CS_Y_SCALAR && strstr(n->str, needle);
}

/* The containers of a Deployment's pod template, or NULL. */
static const struct cs_ynode *containers_of(const struct cs_ynode *obj)
{
    const struct cs_ynode *c = cs_ymap_get(
        cs_ymap_get(cs_ymap_get(cs_ymap_get(obj, "spec"), "template"), "spec"),
        "containers");

    return c != NULL && c->kind == CS_Y_SEQ ? c : NULL;
}

/* 1 if a container of the Deployment runs the cluster autoscaler. */
static int is_ca_deployment(const struct cs_ynode *obj)
{
    const struct cs_ynode *c = containers_of(obj);

    for (size_t i = 0; c != NULL && i < c->n; i++)
        if (str_contains(cs_ymap_get(c->items[i], "image"),
                         "cluster-autoscaler"))
            return 1;
    return 0;
}

static int push_policy(struct ld *l, const struct cs_ynode *obj)
{
    if (l->npolicies + 1 > CS_MAX_OBJECTS)
        return ld_fail(l, obj, "too many objects in manifests (limit %d)",
                       CS_MAX_OBJECTS);
    if (l->npolicies == l->policies_cap) {
        size_t c = l->policies_cap ? l->policies_cap * 2 : 16;
        const struct cs_ynode **p = realloc(l->policies, c * sizeof(*p));

        if (p == NULL)
            return cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        l->policies = p;
        l->policies_cap = c;
    }
    l->policies[l->npolicies++] = obj;
    return 0;
}

int ld_policy_object(struct ld *l, const struct cs_ynode *obj, const char *api,
                     const char *kind, const struct cs_ynode *av,
                     const char *what)
{
    static const struct {
        const char *kind, *api;
    } t[] = {{"PodDisruptionBudget", "policy/v1"},
             {"ResourceQuota", "v1"},
             {"DaemonSet", "apps/v1"},
             {"PriorityClass", "scheduling.k8s.io/v1"},
             {"ConfigMap", "v1"}};
    const char *name = meta_name(obj);

    if (strcmp(kind, "Deployment") == 0 && strcmp(api, "apps/v1") == 0 &&
        is_ca_deployment(obj)) {
        if (l->ca_deploy != NULL)
            return ld_fail(l, obj,
                           "%s: a second cluster-autoscaler Deployment (the "
                           "first is %s)",
                           what, meta_name(l->ca_deploy));
        l->ca_deploy = obj;
        return 1;
    }
    if (strcmp(kind, "ConfigMap") == 0 &&
        (name == NULL || strcmp(name, PRIO_CONFIGMAP) != 0))
        return 0; /* only the priority expander's ConfigMap is read */
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (strcmp(kind, t[i].kind) != 0)
            continue;
        if (strcmp(api, t[i].api) != 0)
            return ld_fail(l, av, "%s: %s must be apiVersion %s, got \"%s\"",
                           what, kind, t[i].api, api);
        return push_policy(l, obj) < 0 ? CS_EINVAL : 1;
    }
    return 0;
}

static int is_kind(const struct cs_ynode *obj, const char *kind)
{
    const struct cs_ynode *k = cs_ymap_get(obj, "kind");

    return k != NULL && k->kind == CS_Y_SCALAR && strcmp(k->str, kind) == 0;
}

static size_t count_kind(const struct ld *l, const char *kind)
{
    size_t n = 0;

    for (size_t i = 0; i < l->npolicies; i++)
        n += (size_t)is_kind(l->policies[i], kind);
    return n;
}

/* metadata.name (required) and namespace (default "default"); *what gets
 * "KIND NAME" for later messages. */
static int meta(struct ld *l, const struct cs_ynode *obj, const char *kind,
                const char **name, const char **ns, char *what, size_t n)
{
    char mp[128], fp[160];
    const struct cs_ynode *md, *v;

    snprintf(mp, sizeof(mp), "%s.metadata", kind);
    md = cs_ymap_require(obj, "metadata", kind, l->err);
    if (md == NULL || cs_ynode_expect(md, CS_Y_MAP, mp, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(md, "name", mp, l->err);
    if (v == NULL || cs_yget_string(v, cs_ypath(fp, sizeof(fp), mp, "name"),
                                    name, l->err) < 0)
        return CS_EINVAL;
    *ns = "default";
    if ((v = cs_ymap_get(md, "namespace")) != NULL &&
        cs_yget_string(v, cs_ypath(fp, sizeof(fp), mp, "namespace"), ns,
                       l->err) < 0)
        return CS_EINVAL;
    snprintf(what, n, "%s %s", kind, *name);
    return 0;
}

/* ---- PriorityClass ---------------------------------------------------- */

static int pclass(struct ld *l, const struct cs_ynode *obj,
                  struct ld_pclass *pc)
{
    static const char *const keys[] = {
        "apiVersion",    "kind",        "metadata",         "value",
        "globalDefault", "description", "preemptionPolicy", NULL};
    char what[300], fp[320];
    const struct cs_ynode *v;
    const char *ns;
    int64_t x;

    if (cs_ymap_check_keys(obj, keys, "PriorityClass", l->err) < 0 ||
        meta(l, obj, "PriorityClass", &pc->name, &ns, what, sizeof(what)) < 0)
        return CS_EINVAL;
    /* HighestUserDefinablePriority: larger values are the system classes' */
    v = cs_ymap_require(obj, "value", what, l->err);
    if (v == NULL || cs_yget_int(v, cs_ypath(fp, sizeof(fp), what, "value"),
                                 INT32_MIN, 1000000000, &x, l->err) < 0)
        return CS_EINVAL;
    pc->value = (int32_t)x;
    if ((v = cs_ymap_get(obj, "globalDefault")) != NULL &&
        cs_yget_bool(v, cs_ypath(fp, sizeof(fp), what, "globalDefault"),
                     &pc->global_default, l->err) < 0)
        return CS_EINVAL;
    return 0;
}

int ld_priority_classes(struct ld *l)
{
    size_t n = count_kind(l, "PriorityClass");

    l->pclasses = ld_alloc(l, (n ? n : 1) * sizeof(*l->pclasses));
    if (l->pclasses == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < l->npolicies; i++) {
        const struct cs_ynode *obj = l->policies[i];
        struct ld_pclass *pc = &l->pclasses[l->npclasses];

        if (!is_kind(obj, "PriorityClass"))
            continue;
        if (pclass(l, obj, pc) < 0)
            return CS_EINVAL;
        for (size_t j = 0; j < l->npclasses; j++) {
            if (strcmp(l->pclasses[j].name, pc->name) == 0)
                return ld_fail(
                    l, cs_ymap_get(cs_ymap_get(obj, "metadata"), "name"),
                    "duplicate PriorityClass \"%s\"", pc->name);
            if (pc->global_default && l->pclasses[j].global_default)
                return ld_fail(l, cs_ymap_get(obj, "globalDefault"),
                               "PriorityClass %s: globalDefault is already "
                               "set by PriorityClass %s",
                               pc->name, l->pclasses[j].name);
        }
        l->npclasses++;
    }
    return 0;
}

int ld_pclass_value(const struct ld *l, const char *name, int32_t *value)
{
    for (size_t i = 0; i < l->npclasses; i++)
        if (strcmp(l->pclasses[i].name, name) == 0) {
            *value = l->pclasses[i].value;
            return 0;
        }
    /* the classes every cluster has (scheduling/types.go) */
    if (strcmp(name, "system-cluster-critical") == 0) {
        *value = 2000000000;
        return 0;
    }
    if (strcmp(name, "system-node-critical") == 0) {
        *value = 2000001000;
        return 0;
    }
    return CS_ENOENT;
}

int32_t ld_default_priority(const struct ld *l)
{
    for (size_t i = 0; i < l->npclasses; i++)
        if (l->pclasses[i].global_default)
            return l->pclasses[i].value;
    return 0;
}

/* ---- PodDisruptionBudget ---------------------------------------------- */

/* An IntOrString: a count >= 0 or a percentage "NN%" of at most 100. */
static int int_or_percent(struct ld *l, const struct cs_ynode *v,
                          const char *what, struct cs_pdb *p)
{
    char num[32];
    const char *s;
    size_t len;
    int64_t x;

    if (cs_yget_string(v, what, &s, l->err) < 0)
        return CS_EINVAL;
    len = strlen(s);
    p->percent = len > 0 && s[len - 1] == '%';
    if (len - (size_t)p->percent < sizeof(num)) {
        memcpy(num, s, len - (size_t)p->percent);
        num[len - (size_t)p->percent] = '\0';
        if (cs_parse_int64(num, &x) == 0 && x >= 0 &&
            x <= (p->percent ? 100 : INT32_MAX)) {
            p->value = (int32_t)x;
            return 0;
        }
    }
    return ld_fail(l, v,
                   "%s must be a count (0 or more) or a percentage from 0%% "
                   "to 100%%, got \"%s\"",
                   what, s);
}

/* 1 if every selector pair is among the labels. */
static int selects(const struct cs_kv *sel, int nsel, const struct cs_kv *lab,
                   int nlab)
{
    for (int i = 0; i < nsel; i++) {
        int found = 0;

        for (int j = 0; j < nlab && !found; j++)
            found = strcmp(sel[i].key, lab[j].key) == 0 &&
                    strcmp(sel[i].value, lab[j].value) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

/* 1 if the PDB p with selector kv covers the pods of wl: same namespace,
 * every selector label on the pod template. */
static int pdb_selects(const struct cs_workload *wl, const struct cs_pdb *p,
                       const struct cs_kv *kv, int nkv)
{
    return strcmp(wl->ns, p->ns) == 0 &&
           selects(kv, nkv, wl->spec.labels, wl->spec.nlabels);
}

/* The workloads of p's namespace whose pods the selector matches; a PDB
 * without a selector matches nothing, an empty one every pod. */
static int pdb_resolve(struct ld *l, const struct cs_ynode *sel,
                       const struct cs_kv *kv, int nkv, struct cs_pdb *p)
{
    const struct cs_scenario *sc = l->sc;
    size_t n = 0;

    if (sel == NULL || cs_ynode_is_null(sel))
        return 0;
    for (int w = 0; w < sc->nworkloads; w++)
        n += (size_t)pdb_selects(&sc->workloads[w], p, kv, nkv);
    if (n == 0)
        return 0;
    p->workloads = ld_alloc(l, n * sizeof(*p->workloads));
    if (p->workloads == NULL)
        return CS_ENOMEM;
    for (int w = 0; w < sc->nworkloads; w++)
        if (pdb_selects(&sc->workloads[w], p, kv, nkv))
            p->workloads[p->nworkloads++] = w;
    return 0;
}

static int pdb(struct ld *l, const struct cs_ynode *obj, struct cs_pdb *p)
{
    static const char *const spec_keys[] = {"selector", "minAvailable",
                                            "maxUnavailable",
                                            "unhealthyPodEvictionPolicy", NULL};
    static const char *const sel_keys[] = {"matchLabels", "matchExpressions",
                                           NULL};
    char what[300], sp[320], fp[340];
    const struct cs_ynode *spec, *sel, *mina, *maxu;
    struct cs_kv *kv = NULL;
    int nkv = 0;

    if (cs_ymap_check_keys(obj, obj_keys, "PodDisruptionBudget", l->err) < 0 ||
        meta(l, obj, "PodDisruptionBudget", &p->name, &p->ns, what,
             sizeof(what)) < 0)
        return CS_EINVAL;
    cs_ypath(sp, sizeof(sp), what, "spec");
    spec = cs_ymap_require(obj, "spec", what, l->err);
    if (spec == NULL || cs_ymap_check_keys(spec, spec_keys, sp, l->err) < 0)
        return CS_EINVAL;
    sel = cs_ymap_get(spec, "selector");
    cs_ypath(fp, sizeof(fp), sp, "selector");
    if (sel != NULL && !cs_ynode_is_null(sel)) {
        if (cs_ymap_check_keys(sel, sel_keys, fp, l->err) < 0)
            return CS_EINVAL;
        if (cs_ymap_get(sel, "matchExpressions") != NULL)
            return ld_fail(l, cs_ymap_get(sel, "matchExpressions"),
                           "%s.matchExpressions is not supported yet (use "
                           "matchLabels)",
                           fp);
        if (ld_kv_map(l, cs_ymap_get(sel, "matchLabels"),
                      cs_ypath(fp, sizeof(fp), sp, "selector.matchLabels"), &kv,
                      &nkv) < 0)
            return CS_EINVAL;
    }
    mina = cs_ymap_get(spec, "minAvailable");
    maxu = cs_ymap_get(spec, "maxUnavailable");
    if (mina != NULL && maxu != NULL)
        return ld_fail(l, maxu,
                       "%s: give either minAvailable or maxUnavailable, not "
                       "both",
                       sp);
    if (mina == NULL && maxu == NULL)
        return ld_fail(l, spec, "%s: give minAvailable or maxUnavailable", sp);
    p->kind = mina ? CS_PDB_MIN_AVAILABLE : CS_PDB_MAX_UNAVAILABLE;
    if (int_or_percent(l, mina ? mina : maxu,
                       cs_ypath(fp, sizeof(fp), sp,
                                mina ? "minAvailable" : "maxUnavailable"),
                       p) < 0)
        return CS_EINVAL;
    p->line = obj->line;
    p->col = obj->col;
    return pdb_resolve(l, sel, kv, nkv, p);
}

/* ---- ResourceQuota ---------------------------------------------------- */

/* The resource index a spec.hard key limits, in *idx, and whether it is a
 * limit; 0 if the key limits pods or something capsim does not model
 * (count/services, requests.storage, ...), which is ignored. */
static int quota_key(struct ld *l, const struct cs_ynode *k, int *idx,
                     int *is_limit)
{
    static const struct {
        const char *key;
        int idx, is_limit;
    } t[] = {
        {"cpu", CS_RES_CPU, 0},        {"requests.cpu", CS_RES_CPU, 0},
        {"memory", CS_RES_MEMORY, 0},  {"requests.memory", CS_RES_MEMORY, 0},
        {"limits.cpu", CS_RES_CPU, 1}, {"limits.memory", CS_RES_MEMORY, 1}};
    const char *s = k->str;

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (strcmp(s, t[i].key) == 0) {
            *idx = t[i].idx;
            *is_limit = t[i].is_limit;
            return 1;
        }
    /* extended resources are quota'd by request only */
    if (strncmp(s, "requests.", 9) != 0 || strchr(s + 9, '/') == NULL)
        return 0;
    *is_limit = 0;
    *idx = cs_resnames_intern(&l->sc->res, s + 9);
    if (*idx < 0)
        return ld_fail(l, k, "%s: too many resource names (at most %d)", s,
                       CS_RES_MAX);
    return 1;
}

static int quota_hard(struct ld *l, const struct cs_ynode *hard,
                      const char *what, struct cs_quota *q)
{
    char fp[400];

    if (cs_ynode_expect(hard, CS_Y_MAP, what, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < hard->n; i++) {
        const struct cs_ynode *k = hard->items[2 * i];
        const struct cs_ynode *v = hard->items[2 * i + 1];
        int64_t milli;
        int idx = 0, lim = 0, rc;

        if (cs_ynode_expect(k, CS_Y_SCALAR, what, l->err) < 0)
            return CS_EINVAL;
        rc = quota_key(l, k, &idx, &lim);
        if (rc < 0)
            return rc;
        if (rc == 0 && strcmp(k->str, "pods") != 0)
            continue;
        if (cs_yget_quantity_milli(v, cs_ypath(fp, sizeof(fp), what, k->str),
                                   &milli, l->err) < 0)
            return CS_EINVAL;
        if (rc == 0) {
            q->pods = milli / 1000;
            continue;
        }
        /* cpu and requests.cpu are one limit: the smaller one binds */
        if (lim && (!(q->lim_set & (1u << idx)) || milli < q->limits.v[idx]))
            q->limits.v[idx] = milli;
        if (!lim && (!(q->req_set & (1u << idx)) || milli < q->requests.v[idx]))
            q->requests.v[idx] = milli;
        *(lim ? &q->lim_set : &q->req_set) |= 1u << idx;
    }
    return 0;
}

static int quota(struct ld *l, const struct cs_ynode *obj, struct cs_quota *q)
{
    static const char *const spec_keys[] = {"hard", "scopes", "scopeSelector",
                                            NULL};
    char what[300], sp[320], fp[340];
    const struct cs_ynode *spec, *v;

    if (cs_ymap_check_keys(obj, obj_keys, "ResourceQuota", l->err) < 0 ||
        meta(l, obj, "ResourceQuota", &q->name, &q->ns, what, sizeof(what)) < 0)
        return CS_EINVAL;
    q->pods = -1;
    q->line = obj->line;
    q->col = obj->col;
    cs_ypath(sp, sizeof(sp), what, "spec");
    spec = cs_ymap_require(obj, "spec", what, l->err);
    if (spec == NULL || cs_ymap_check_keys(spec, spec_keys, sp, l->err) < 0)
        return CS_EINVAL;
    for (int i = 1; i <= 2; i++)
        if ((v = cs_ymap_get(spec, spec_keys[i])) != NULL)
            return ld_fail(l, v,
                           "%s.%s is not supported yet (a quota here limits "
                           "every pod of its namespace)",
                           sp, spec_keys[i]);
    if ((v = cs_ymap_get(spec, "hard")) == NULL)
        return 0;
    return quota_hard(l, v, cs_ypath(fp, sizeof(fp), sp, "hard"), q);
}

/* ---- DaemonSet -------------------------------------------------------- */

static int daemonset(struct ld *l, const struct cs_ynode *obj,
                     struct cs_daemonset *ds)
{
    static const char *const spec_keys[] = {"selector",
                                            "template",
                                            "updateStrategy",
                                            "minReadySeconds",
                                            "revisionHistoryLimit",
                                            NULL};
    char what[300], sp[320], fp[340];
    const struct cs_ynode *spec, *tmpl;
    struct cs_workload *w;

    if (cs_ymap_check_keys(obj, obj_keys, "DaemonSet", l->err) < 0 ||
        meta(l, obj, "DaemonSet", &ds->name, &ds->ns, what, sizeof(what)) < 0)
        return CS_EINVAL;
    cs_ypath(sp, sizeof(sp), what, "spec");
    spec = cs_ymap_require(obj, "spec", what, l->err);
    if (spec == NULL || cs_ymap_check_keys(spec, spec_keys, sp, l->err) < 0)
        return CS_EINVAL;
    tmpl = cs_ymap_require(spec, "template", sp, l->err);
    /* the pod template is read as a Deployment's, into a scratch workload
     * owned by the scenario */
    if (tmpl == NULL)
        return CS_EINVAL;
    if ((w = ld_alloc(l, sizeof(*w))) == NULL)
        return CS_ENOMEM;
    if (ld_pod_template(l, tmpl, cs_ypath(fp, sizeof(fp), sp, "template"), w) <
        0)
        return CS_EINVAL;
    ds->requests = w->spec.requests;
    ds->node_selector = w->spec.node_selector;
    ds->nnode_selector = w->spec.nnode_selector;
    ds->tolerations = w->spec.tolerations;
    ds->ntolerations = w->spec.ntolerations;
    ds->line = obj->line;
    ds->col = obj->col;
    return 0;
}

/* ---- the priority expander ------------------------------------------- */

/* One priority's regexes, each compiled once to be checked. */
static int ca_regexes(struct ld *l, const struct cs_ynode *v, const char *what,
                      struct cs_ca_priority *p)
{
    char ip[256], why[160];

    if (cs_ynode_expect(v, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    p->regex = ld_alloc(l, v->n * sizeof(*p->regex));
    if (p->regex == NULL)
        return CS_ENOMEM;
    for (size_t j = 0; j < v->n; j++) {
        regex_t re;
        int rc;

        cs_ypath_index(ip, sizeof(ip), what, j);
        if (cs_yget_string(v->items[j], ip, &p->regex[j], l->err) < 0)
            return CS_EINVAL;
        if (cs_regex_check(p->regex[j], why, sizeof(why)) < 0)
            return ld_fail(l, v->items[j],
                           "%s: invalid regular expression \"%s\" (%s)", ip,
                           p->regex[j], why);
        rc = regcomp(&re, p->regex[j], REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            regerror(rc, &re, why, sizeof(why));
            return ld_fail(l, v->items[j],
                           "%s: invalid regular expression \"%s\" (%s)", ip,
                           p->regex[j], why);
        }
        regfree(&re);
    }
    p->nregex = (int)v->n;
    return 0;
}

int ld_ca_priorities(struct ld *l, const struct cs_ynode *n, const char *what)
{
    struct cs_ca_config *ca = &l->sc->ca;
    struct cs_ca_priority *pr;
    char kp[256];

    if (cs_ynode_expect(n, CS_Y_MAP, what, l->err) < 0)
        return CS_EINVAL;
    pr = ld_alloc(l, n->n * sizeof(*pr));
    if (pr == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *k = n->items[2 * i];
        int64_t prio;

        if (cs_yget_int(k, what, INT32_MIN, INT32_MAX, &prio, l->err) < 0)
            return CS_EINVAL;
        pr[i].priority = (int32_t)prio;
        if (ca_regexes(l, n->items[2 * i + 1],
                       cs_ypath(kp, sizeof(kp), what, k->str), &pr[i]) < 0)
            return CS_EINVAL;
    }
    ca->priorities = pr;
    ca->npriorities = (int)n->n;
    return 0;
}

/* data.priorities of the ConfigMap: YAML inside a string. An error inside
 * it is reported at the string, with the line within the text. */
static int prio_configmap(struct ld *l, const struct cs_ynode *obj)
{
    static const char *const keys[] = {"apiVersion", "kind",       "metadata",
                                       "data",       "binaryData", "immutable",
                                       NULL};
    const char *what = "ConfigMap " PRIO_CONFIGMAP;
    const struct cs_ynode *data, *v;
    struct cs_ynode **docs;
    struct cs_err inner, *outer = l->err;
    size_t ndocs;
    int rc;

    if (cs_ymap_check_keys(obj, keys, what, l->err) < 0)
        return CS_EINVAL;
    data = cs_ymap_require(obj, "data", what, l->err);
    v = data ? cs_ymap_require(data, "priorities", "data", l->err) : NULL;
    if (v == NULL ||
        cs_ynode_expect(v, CS_Y_SCALAR, "data.priorities", l->err) < 0)
        return CS_EINVAL;
    cs_err_clear(&inner);
    l->err = &inner;
    rc = cs_yaml_load_buffer(l->arena, "data.priorities", v->str, v->len, &docs,
                             &ndocs, &inner);
    if (rc == 0 && ndocs != 1)
        rc = ld_fail(l, NULL, "it must hold one YAML mapping");
    if (rc == 0)
        rc = ld_ca_priorities(l, docs[0], "priorities");
    l->err = outer;
    if (rc == CS_ENOMEM)
        return cs_err_set(l->err, rc, NULL, 0, 0, "out of memory");
    if (rc < 0 && inner.line > 0)
        return ld_fail(l, v, "%s: data.priorities, line %d of the text: %s",
                       what, inner.line, inner.msg);
    if (rc < 0)
        return ld_fail(l, v, "%s: data.priorities: %s", what, inner.msg);
    return 0;
}

/* ---- the cluster-autoscaler Deployment -------------------------------- */

static int ca_deployment(struct ld *l)
{
    const struct cs_ynode *obj = l->ca_deploy, *c = containers_of(obj);
    char what[300], fp[340];
    const char *name = meta_name(obj);

    l->sc->ca.enabled = 1;
    l->ca_at = obj;
    for (size_t i = 0; i < c->n; i++) {
        const struct cs_ynode *ctr = c->items[i], *v;

        if (!str_contains(cs_ymap_get(ctr, "image"), "cluster-autoscaler"))
            continue;
        snprintf(what, sizeof(what),
                 "Deployment %s.spec.template.spec.containers[%zu]",
                 name ? name : "?", i);
        if ((v = cs_ymap_get(ctr, "command")) != NULL &&
            ld_ca_args(l, v, cs_ypath(fp, sizeof(fp), what, "command")) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(ctr, "args")) != NULL &&
            ld_ca_args(l, v, cs_ypath(fp, sizeof(fp), what, "args")) < 0)
            return CS_EINVAL;
    }
    return 0;
}

/* ---- all of them ------------------------------------------------------ */

static int alloc_arrays(struct ld *l)
{
    struct cs_scenario *sc = l->sc;
    size_t np = count_kind(l, "PodDisruptionBudget");
    size_t nq = count_kind(l, "ResourceQuota");
    size_t nd = count_kind(l, "DaemonSet");

    sc->pdbs = ld_alloc(l, (np ? np : 1) * sizeof(*sc->pdbs));
    sc->quotas = ld_alloc(l, (nq ? nq : 1) * sizeof(*sc->quotas));
    sc->daemonsets = ld_alloc(l, (nd ? nd : 1) * sizeof(*sc->daemonsets));
    return sc->pdbs && sc->quotas && sc->daemonsets ? 0 : CS_ENOMEM;
}

int ld_policies(struct ld *l)
{
    struct cs_scenario *sc = l->sc;
    const struct cs_ynode *cm = NULL;

    if (alloc_arrays(l) < 0)
        return CS_ENOMEM;
    for (size_t i = 0; i < l->npolicies; i++) {
        const struct cs_ynode *obj = l->policies[i];
        int rc = 0;

        if (is_kind(obj, "PodDisruptionBudget"))
            rc = pdb(l, obj, &sc->pdbs[sc->npdbs++]);
        else if (is_kind(obj, "ResourceQuota"))
            rc = quota(l, obj, &sc->quotas[sc->nquotas++]);
        else if (is_kind(obj, "DaemonSet"))
            rc = daemonset(l, obj, &sc->daemonsets[sc->ndaemonsets++]);
        else if (is_kind(obj, "ConfigMap") && cm != NULL)
            rc = ld_fail(l, obj, "a second ConfigMap " PRIO_CONFIGMAP);
        else if (is_kind(obj, "ConfigMap"))
            rc = prio_configmap(l, cm = obj);
        if (rc < 0)
            return rc;
    }
    return l->ca_deploy != NULL ? ca_deployment(l) : 0;
}
