/*
 * manifest_vpa.c - autoscaling.k8s.io/v1 VerticalPodAutoscaler objects into
 * struct cs_vpa_spec (model/vpa.h), and the recognition of the VPA's own
 * Deployments (recommender, updater, admission controller) in manifests.
 *
 * Read: metadata.name / namespace, spec.targetRef (a Deployment of the
 * scenario), spec.updatePolicy.updateMode / minReplicas /
 * evictionRequirements, spec.resourcePolicy.containerPolicies[] and
 * spec.recommenders[0].name. As for HPAs (manifest_hpa.c), every key of a
 * part capsim reads is checked: a key the VPA API does not have is an
 * error (silently ignoring it would change the result). Whole-object checks
 * (two VPAs on one Deployment, an HPA on the same resource) are in
 * scenario_vpa.c, once every VPA is read.
 */
#include "io/scenario_int.h"

#include <stdio.h>
#include <string.h>

static const char *const vpa_keys[] = {"apiVersion", "kind",   "metadata",
                                       "spec",       "status", NULL};
static const char *const spec_keys[] = {"targetRef", "updatePolicy",
                                        "resourcePolicy", "recommenders", NULL};
static const char *const ref_keys[] = {"apiVersion", "kind", "name", NULL};
static const char *const update_keys[] = {"updateMode", "minReplicas",
                                          "evictionRequirements", NULL};
static const char *const policy_keys[] = {"containerName",
                                          "mode",
                                          "minAllowed",
                                          "maxAllowed",
                                          "controlledResources",
                                          "controlledValues",
                                          NULL};

/* ---- the VPA's own Deployments ---------------------------------------- */

/* By enum ld_vpa_comp - 1. */
static const char *const images[] = {"vpa-recommender", "vpa-updater",
                                     "vpa-admission-controller"};

/* The containers of a Deployment's pod template, or NULL. */
static const struct cs_ynode *containers_of(const struct cs_ynode *obj)
{
    const struct cs_ynode *c = cs_ymap_get(
        cs_ymap_get(cs_ymap_get(cs_ymap_get(obj, "spec"), "template"), "spec"),
        "containers");

    return c != NULL && c->kind == CS_Y_SEQ ? c : NULL;
}

/* The component container c runs (by its image), or 0. */
static int image_comp(const struct cs_ynode *c)
{
    const struct cs_ynode *im = cs_ymap_get(c, "image");

    for (int k = 0; im != NULL && im->kind == CS_Y_SCALAR && k < 3; k++)
        if (strstr(im->str, images[k]) != NULL)
            return k + 1;
    return 0;
}

int ld_vpa_component(const struct cs_ynode *obj)
{
    const struct cs_ynode *c = containers_of(obj);
    int comp = 0;

    for (size_t i = 0; c != NULL && i < c->n && comp == 0; i++)
        comp = image_comp(c->items[i]);
    return comp;
}

const char *ld_vpa_image(int comp)
{
    return comp >= 1 && comp <= 3 ? images[comp - 1] : "?";
}

int ld_vpa_deployment(struct ld *l, const struct cs_ynode *obj, int comp)
{
    const struct cs_ynode *c = containers_of(obj), *nm;
    char what[300], fp[340];

    nm = cs_ymap_get(cs_ymap_get(obj, "metadata"), "name");
    if (comp == LD_VPA_ADMISSION)
        return 0; /* its flags are about the webhook, not the algorithm */
    for (size_t i = 0; c != NULL && i < c->n; i++) {
        const struct cs_ynode *ctr = c->items[i], *v;

        if (image_comp(ctr) != comp)
            continue;
        snprintf(what, sizeof(what),
                 "Deployment %s.spec.template.spec.containers[%zu]",
                 nm != NULL && nm->kind == CS_Y_SCALAR ? nm->str : "?", i);
        if ((v = cs_ymap_get(ctr, "command")) != NULL &&
            ld_vpa_args(l, comp, v, cs_ypath(fp, sizeof(fp), what, "command")) <
                0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(ctr, "args")) != NULL &&
            ld_vpa_args(l, comp, v, cs_ypath(fp, sizeof(fp), what, "args")) < 0)
            return CS_EINVAL;
    }
    return 0;
}

/* ---- fields ----------------------------------------------------------- */

/* Index of s in names[0..n), or -1. */
static int lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* spec.targetRef: a Deployment (apps/v1) of the scenario. */
static int target_ref(struct ld *l, const struct cs_ynode *spec,
                      const char *what, struct cs_vpa_spec *v)
{
    char fp[300];
    const struct cs_ynode *ref, *av;
    const char *kind, *name, *api;

    cs_ypath(fp, sizeof(fp), what, "targetRef");
    ref = cs_ymap_require(spec, "targetRef", what, l->err);
    if (ref == NULL || cs_ymap_check_keys(ref, ref_keys, fp, l->err) < 0 ||
        ld_str_field(l, ref, "kind", fp, &kind) < 0 ||
        ld_str_field(l, ref, "name", fp, &name) < 0)
        return CS_EINVAL;
    if (strcmp(kind, "Deployment") != 0)
        return ld_fail(l, cs_ymap_get(ref, "kind"),
                       "%s.kind: capsim simulates VPAs of Deployments, got "
                       "\"%s\"",
                       fp, kind);
    if ((av = cs_ymap_get(ref, "apiVersion")) != NULL) {
        if (ld_str_field(l, ref, "apiVersion", fp, &api) < 0)
            return CS_EINVAL;
        if (strcmp(api, "apps/v1") != 0)
            return ld_fail(l, av,
                           "%s.apiVersion: a Deployment is apps/v1, got "
                           "\"%s\"",
                           fp, api);
    }
    v->workload = ld_find_workload(l, name);
    if (v->workload >= 0 && l->sc->workloads[v->workload].is_job)
        v->workload = -1; /* a batch CronJob of that name is no Deployment */
    if (v->workload < 0)
        return ld_fail(l, cs_ymap_get(ref, "name"),
                       "%s.name: no Deployment named \"%s\" in manifests", fp,
                       name);
    return 0;
}

/* spec.updatePolicy: updateMode (unset: Recreate) and minReplicas. */
static int controlled(struct ld *l, const struct cs_ynode *n, const char *what,
                      uint32_t *out);

/* evictionRequirements: [{resources: [cpu, memory], changeRequirement:
 * TargetHigherThanRequests | TargetLowerThanRequests}, ...] */
static int ev_requirements(struct ld *l, const struct cs_ynode *n,
                           const char *what, struct cs_vpa_spec *v)
{
    static const char *const keys[] = {"resources", "changeRequirement", NULL};
    char ip[360], fp[400];

    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    v->evreqs = ld_alloc(l, (n->n ? n->n : 1) * sizeof(*v->evreqs));
    if (v->evreqs == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *it = n->items[i], *x;
        struct cs_vpa_evreq *r = &v->evreqs[i];
        const char *s;

        cs_ypath_index(ip, sizeof(ip), what, i);
        if (cs_ynode_expect(it, CS_Y_MAP, ip, l->err) < 0 ||
            cs_ymap_check_keys(it, keys, ip, l->err) < 0)
            return CS_EINVAL;
        x = cs_ymap_require(it, "resources", ip, l->err);
        if (x == NULL ||
            controlled(l, x, cs_ypath(fp, sizeof(fp), ip, "resources"),
                       &r->resources) < 0)
            return CS_EINVAL;
        if (r->resources == 0)
            return ld_fail(l, x, "%s names no resource", fp);
        x = cs_ymap_require(it, "changeRequirement", ip, l->err);
        if (x == NULL ||
            cs_yget_string(x, cs_ypath(fp, sizeof(fp), ip, "changeRequirement"),
                           &s, l->err) < 0)
            return CS_EINVAL;
        if (strcmp(s, "TargetHigherThanRequests") == 0)
            r->higher = 1;
        else if (strcmp(s, "TargetLowerThanRequests") == 0)
            r->higher = 0;
        else
            return ld_fail(l, x,
                           "%s must be TargetHigherThanRequests or "
                           "TargetLowerThanRequests, got \"%s\"",
                           fp, s);
    }
    v->nevreqs = (int)n->n;
    return 0;
}

static int update_policy(struct ld *l, const struct cs_ynode *n,
                         const char *what, struct cs_vpa_spec *v)
{
    char fp[340];
    const struct cs_ynode *x;
    const char *s;
    int64_t i64;

    if (cs_ymap_check_keys(n, update_keys, what, l->err) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(n, "evictionRequirements")) != NULL &&
        ev_requirements(l, x,
                        cs_ypath(fp, sizeof(fp), what, "evictionRequirements"),
                        v) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(n, "updateMode")) != NULL) {
        if (cs_yget_string(x, cs_ypath(fp, sizeof(fp), what, "updateMode"), &s,
                           l->err) < 0)
            return CS_EINVAL;
        v->mode = cs_vpa_mode_parse(s);
        if (v->mode < 0)
            return ld_fail(l, x, "%s must be " CS_VPA_MODES ", got \"%s\"", fp,
                           s);
    }
    if ((x = cs_ymap_get(n, "minReplicas")) != NULL) {
        if (cs_yget_int(x, cs_ypath(fp, sizeof(fp), what, "minReplicas"), 1,
                        INT32_MAX, &i64, l->err) < 0)
            return CS_EINVAL;
        v->min_replicas = (int32_t)i64;
    }
    return 0;
}

/* minAllowed / maxAllowed: a resource map of cpu and memory only. */
static int bounds(struct ld *l, const struct cs_ynode *n, const char *what,
                  struct cs_resvec *r, uint32_t *set)
{
    if (cs_ynode_is_null(n))
        return 0;
    if (cs_ynode_expect(n, CS_Y_MAP, what, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *k = n->items[2 * i];

        if (k->kind != CS_Y_SCALAR ||
            (strcmp(k->str, "cpu") != 0 && strcmp(k->str, "memory") != 0))
            return ld_fail(l, k,
                           "%s: capsim's VPA recommends cpu and memory only, "
                           "got \"%s\"",
                           what, k->kind == CS_Y_SCALAR ? k->str : "?");
        if (ld_resource_entry(l, k, n->items[2 * i + 1], what, r, set) < 0)
            return CS_EINVAL;
    }
    return 0;
}

/* controlledResources: a list of cpu / memory (empty: none). */
static int controlled(struct ld *l, const struct cs_ynode *n, const char *what,
                      uint32_t *out)
{
    char ip[360];
    const char *s;

    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    *out = 0;
    for (size_t i = 0; i < n->n; i++) {
        cs_ypath_index(ip, sizeof(ip), what, i);
        if (cs_yget_string(n->items[i], ip, &s, l->err) < 0)
            return CS_EINVAL;
        if (strcmp(s, "cpu") == 0)
            *out |= 1u << CS_RES_CPU;
        else if (strcmp(s, "memory") == 0)
            *out |= 1u << CS_RES_MEMORY;
        else
            return ld_fail(l, n->items[i],
                           "%s must be cpu or memory, got "
                           "\"%s\"",
                           ip, s);
    }
    return 0;
}

/* containerName: "*" or a container of the target's pod template, given
 * once. */
static int container_name(struct ld *l, const struct cs_ynode *n,
                          const char *what, const struct cs_vpa_spec *v, int i)
{
    const struct cs_workload *w = &l->sc->workloads[v->workload];
    const char *name = v->policies[i].container;
    int found = strcmp(name, "*") == 0;

    for (int c = 0; c < w->spec.ncontainers && !found; c++)
        found = strcmp(w->spec.c[c].name, name) == 0;
    if (!found)
        return ld_fail(l, cs_ymap_get(n, "containerName"),
                       "%s.containerName: Deployment %s has no container "
                       "\"%s\" (name one of its containers, or \"*\")",
                       what, w->name, name);
    for (int j = 0; j < i; j++)
        if (strcmp(v->policies[j].container, name) == 0)
            return ld_fail(l, cs_ymap_get(n, "containerName"),
                           "%s.containerName: \"%s\" already has a policy "
                           "(containerPolicies[%d])",
                           what, name, j);
    return 0;
}

static int container_policy(struct ld *l, const struct cs_ynode *n,
                            const char *what, struct cs_vpa_spec *v, int i)
{
    static const char *const values[] = {"RequestsAndLimits", "RequestsOnly"};
    struct cs_vpa_policy *p = &v->policies[i];
    char fp[360];
    const struct cs_ynode *x;
    const char *s;

    p->controlled = (1u << CS_RES_CPU) | (1u << CS_RES_MEMORY);
    p->values = CS_VPA_REQUESTS_AND_LIMITS;
    if (cs_ymap_check_keys(n, policy_keys, what, l->err) < 0 ||
        ld_str_field(l, n, "containerName", what, &p->container) < 0 ||
        container_name(l, n, what, v, i) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(n, "mode")) != NULL) {
        if (cs_yget_string(x, cs_ypath(fp, sizeof(fp), what, "mode"), &s,
                           l->err) < 0)
            return CS_EINVAL;
        if (strcmp(s, "Auto") != 0 && strcmp(s, "Off") != 0)
            return ld_fail(l, x, "%s must be Auto or Off, got \"%s\"", fp, s);
        p->off = strcmp(s, "Off") == 0;
    }
    if ((x = cs_ymap_get(n, "minAllowed")) != NULL &&
        bounds(l, x, cs_ypath(fp, sizeof(fp), what, "minAllowed"),
               &p->min_allowed, &p->min_set) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(n, "maxAllowed")) != NULL &&
        bounds(l, x, cs_ypath(fp, sizeof(fp), what, "maxAllowed"),
               &p->max_allowed, &p->max_set) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(n, "controlledResources")) != NULL &&
        controlled(l, x, cs_ypath(fp, sizeof(fp), what, "controlledResources"),
                   &p->controlled) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(n, "controlledValues")) != NULL) {
        if (cs_yget_string(x,
                           cs_ypath(fp, sizeof(fp), what, "controlledValues"),
                           &s, l->err) < 0)
            return CS_EINVAL;
        p->values = lookup(s, values, 2);
        if (p->values < 0)
            return ld_fail(l, x,
                           "%s must be RequestsAndLimits or RequestsOnly, "
                           "got \"%s\"",
                           fp, s);
    }
    return 0;
}

/* spec.resourcePolicy: {containerPolicies: [...]} */
static int resource_policy(struct ld *l, const struct cs_ynode *n,
                           const char *what, struct cs_vpa_spec *v)
{
    static const char *const keys[] = {"containerPolicies", NULL};
    char pp[340], ip[360];
    const struct cs_ynode *list;

    if (cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    list = cs_ymap_get(n, "containerPolicies");
    if (list == NULL || cs_ynode_is_null(list))
        return 0;
    cs_ypath(pp, sizeof(pp), what, "containerPolicies");
    if (cs_ynode_expect(list, CS_Y_SEQ, pp, l->err) < 0)
        return CS_EINVAL;
    if (list->n > CS_MAX_OBJECTS)
        return ld_fail(l, list, "%s: too many policies", pp);
    v->policies = ld_alloc(l, (list->n ? list->n : 1) * sizeof(*v->policies));
    if (v->policies == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < list->n; i++) {
        cs_ypath_index(ip, sizeof(ip), pp, i);
        if (container_policy(l, list->items[i], ip, v, (int)i) < 0)
            return CS_EINVAL;
        v->npolicies = (int)i + 1;
    }
    return 0;
}

/* spec.recommenders: [{name}, ...]; the first names the recommender. */
static int recommenders(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_vpa_spec *v)
{
    static const char *const keys[] = {"name", NULL};
    char ip[360];
    const char *name;

    if (cs_ynode_is_null(n))
        return 0;
    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < n->n; i++) {
        cs_ypath_index(ip, sizeof(ip), what, i);
        if (cs_ymap_check_keys(n->items[i], keys, ip, l->err) < 0 ||
            ld_str_field(l, n->items[i], "name", ip, &name) < 0)
            return CS_EINVAL;
        if (i == 0 && strcmp(name, "default") != 0)
            v->recommender = name;
    }
    return 0;
}

static int metadata(struct ld *l, const struct cs_ynode *obj,
                    struct cs_vpa_spec *v)
{
    const char *mp = "VerticalPodAutoscaler.metadata";
    const struct cs_ynode *md, *x;

    md = cs_ymap_require(obj, "metadata", "VerticalPodAutoscaler", l->err);
    if (md == NULL || cs_ymap_check_keys(md, ld_meta_keys, mp, l->err) < 0 ||
        ld_str_field(l, md, "name", mp, &v->name) < 0)
        return CS_EINVAL;
    v->ns = "default";
    if ((x = cs_ymap_get(md, "namespace")) != NULL &&
        cs_yget_string(x, "VerticalPodAutoscaler.metadata.namespace", &v->ns,
                       l->err) < 0)
        return CS_EINVAL;
    for (int i = 0; i < l->sc->nvpas; i++)
        if (strcmp(l->sc->vpas[i].name, v->name) == 0 &&
            strcmp(l->sc->vpas[i].ns, v->ns) == 0)
            return ld_fail(l, cs_ymap_get(md, "name"),
                           "duplicate VerticalPodAutoscaler \"%s\"", v->name);
    return 0;
}

int ld_vpa(struct ld *l, const struct cs_ynode *obj, struct cs_vpa_spec *v)
{
    char what[300], sp[320], fp[340];
    const struct cs_ynode *spec, *x;

    memset(v, 0, sizeof(*v));
    v->line = obj->line;
    v->col = obj->col;
    v->mode = CS_VPA_RECREATE;
    v->workload = -1;
    if (cs_ymap_check_keys(obj, vpa_keys, "VerticalPodAutoscaler", l->err) <
            0 ||
        metadata(l, obj, v) < 0)
        return CS_EINVAL;
    snprintf(what, sizeof(what), "VerticalPodAutoscaler %s", v->name);
    cs_ypath(sp, sizeof(sp), what, "spec");
    spec = cs_ymap_require(obj, "spec", what, l->err);
    if (spec == NULL || cs_ymap_check_keys(spec, spec_keys, sp, l->err) < 0 ||
        target_ref(l, spec, sp, v) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(spec, "updatePolicy")) != NULL &&
        !cs_ynode_is_null(x) &&
        update_policy(l, x, cs_ypath(fp, sizeof(fp), sp, "updatePolicy"), v) <
            0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(spec, "resourcePolicy")) != NULL &&
        !cs_ynode_is_null(x) &&
        resource_policy(l, x, cs_ypath(fp, sizeof(fp), sp, "resourcePolicy"),
                        v) < 0)
        return CS_EINVAL;
    if ((x = cs_ymap_get(spec, "recommenders")) != NULL &&
        recommenders(l, x, cs_ypath(fp, sizeof(fp), sp, "recommenders"), v) < 0)
        return CS_EINVAL;
    return 0;
}
