/*
 * manifest.c - Kubernetes objects in a scenario: the `manifests` list and
 * apps/v1 Deployments. PodDisruptionBudgets, ResourceQuotas, DaemonSets,
 * PriorityClasses, the priority expander ConfigMap and a cluster-autoscaler
 * Deployment are handed to manifest_policy.c; VerticalPodAutoscalers and
 * the VPA's own Deployments are gathered for scenario_vpa.c.
 *
 * `manifests` entries are either a path (string; multi-document YAML,
 * relative to the scenario's directory) or an inline object. Objects of
 * kinds capsim does not model (Service, ConfigMap, ...) are skipped, so
 * users can point at the files they keep in git. Within a modelled object,
 * fields capsim reads are checked strictly; other valid Kubernetes fields
 * are accepted and ignored, and a key that is no Kubernetes field is an
 * error (a typo would otherwise silently change the result).
 *
 * --set overrides (override.h) reach the objects here: a manifest file's
 * documents are edited right after they are parsed, before any is read.
 */
#include "io/scenario_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int push_obj(struct ld *l, const struct cs_ynode ***arr, size_t *n,
                    size_t *cap, const struct cs_ynode *obj)
{
    if (*n + 1 > CS_MAX_OBJECTS)
        return ld_fail(l, obj, "too many objects in manifests (limit %d)",
                       CS_MAX_OBJECTS);
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        const struct cs_ynode **p = realloc(*arr, c * sizeof(*p));

        if (p == NULL)
            return cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        *arr = p;
        *cap = c;
    }
    (*arr)[(*n)++] = obj;
    return 0;
}

static int object(struct ld *l, const struct cs_ynode *obj, const char *what)
{
    const struct cs_ynode *av, *kind;
    const char *api, *k;
    char fp[256];
    int rc;

    if (cs_ynode_expect(obj, CS_Y_MAP, what, l->err) < 0)
        return CS_EINVAL;
    av = cs_ymap_require(obj, "apiVersion", what, l->err);
    if (av == NULL ||
        cs_yget_string(av, cs_ypath(fp, sizeof(fp), what, "apiVersion"), &api,
                       l->err) < 0)
        return CS_EINVAL;
    kind = cs_ymap_require(obj, "kind", what, l->err);
    if (kind == NULL ||
        cs_yget_string(kind, cs_ypath(fp, sizeof(fp), what, "kind"), &k,
                       l->err) < 0)
        return CS_EINVAL;
    rc = ld_policy_object(l, obj, api, k, av, what);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    if (strcmp(k, "Deployment") == 0) {
        if (strcmp(api, "apps/v1") != 0)
            return ld_fail(l, av,
                           "%s: Deployment must be apiVersion apps/v1, got "
                           "\"%s\"",
                           what, api);
        if (ld_vpa_component(obj) != 0) /* the VPA itself: no workload */
            return push_obj(l, &l->vpas, &l->nvpas, &l->vpas_cap, obj);
        return push_obj(l, &l->deploys, &l->ndeploys, &l->deploys_cap, obj);
    }
    if (strcmp(k, "HorizontalPodAutoscaler") == 0) {
        if (strcmp(api, "autoscaling/v2") != 0)
            return ld_fail(l, av,
                           "%s: HorizontalPodAutoscaler must be apiVersion "
                           "autoscaling/v2, got \"%s\"",
                           what, api);
        return push_obj(l, &l->hpas, &l->nhpas, &l->hpas_cap, obj);
    }
    if (strcmp(k, "VerticalPodAutoscaler") == 0) {
        if (strcmp(api, "autoscaling.k8s.io/v1") != 0)
            return ld_fail(l, av,
                           "%s: VerticalPodAutoscaler must be apiVersion "
                           "autoscaling.k8s.io/v1, got \"%s\"",
                           what, api);
        return push_obj(l, &l->vpas, &l->nvpas, &l->vpas_cap, obj);
    }
    if (strcmp(k, "CronJob") == 0) {
        if (strcmp(api, "batch/v1") != 0)
            return ld_fail(l, av,
                           "%s: CronJob must be apiVersion batch/v1, got "
                           "\"%s\"",
                           what, api);
        return push_obj(l, &l->cronjobs, &l->ncronjobs, &l->cronjobs_cap, obj);
    }
    return 0; /* a kind capsim does not model */
}

/* --set overrides (override.h) get their memory from the scenario. */
static void *ov_alloc(void *ctx, size_t n)
{
    return ld_alloc(ctx, n);
}

/* Where the overrides' nodes live; 0, or CS_ENOMEM for the hit counts. */
static int ov_mem(struct ld *l, struct cs_override_mem *mem)
{
    mem->arena = l->arena;
    mem->alloc = ov_alloc;
    mem->ctx = l;
    if (l->ov_hits == NULL)
        l->ov_hits = ld_alloc(l, l->nov * sizeof(*l->ov_hits));
    return l->ov_hits != NULL ? 0 : CS_ENOMEM;
}

int ld_override_root(struct ld *l, struct cs_ynode **root)
{
    struct cs_override_mem mem;

    if (ov_mem(l, &mem) < 0)
        return CS_ENOMEM;
    return cs_override_apply_scenario(l->ov, l->nov, root, l->ov_hits, &mem,
                                      l->err);
}

static int manifest_file(struct ld *l, const struct cs_ynode *n,
                         const char *what)
{
    struct cs_override_mem mem;
    char path[4096];
    struct cs_ynode **docs;
    size_t ndocs;
    const char *rel;

    if (cs_yget_string(n, what, &rel, l->err) < 0)
        return CS_EINVAL;
    if (rel[0] == '/')
        snprintf(path, sizeof(path), "%s", rel);
    else
        snprintf(path, sizeof(path), "%s/%s", l->base_dir, rel);
    if (cs_yaml_load_file(l->arena, path, &docs, &ndocs, l->err) < 0) {
        /* a missing file is reported where the scenario names it */
        if (l->err->line == 0)
            return ld_fail(l, n, "%s: %s", what, l->err->msg);
        return CS_EINVAL;
    }
    if (l->nov > 0 &&
        (ov_mem(l, &mem) < 0 ||
         cs_override_apply_manifest(l->ov, l->nov, docs, ndocs, l->ov_hits,
                                    &mem, l->err) < 0))
        return CS_EINVAL;
    for (size_t i = 0; i < ndocs; i++) {
        char dp[300];

        snprintf(dp, sizeof(dp), "%s (document %zu)", rel, i + 1);
        if (docs[i]->kind == CS_Y_MAP && cs_ymap_get(docs[i], "items") &&
            cs_ymap_get(docs[i], "kind") &&
            cs_ymap_get(docs[i], "kind")->kind == CS_Y_SCALAR &&
            strcmp(cs_ymap_get(docs[i], "kind")->str, "List") == 0) {
            const struct cs_ynode *items = cs_ymap_get(docs[i], "items");

            if (cs_ynode_expect(items, CS_Y_SEQ, "items", l->err) < 0)
                return CS_EINVAL;
            for (size_t j = 0; j < items->n; j++)
                if (object(l, items->items[j], dp) < 0)
                    return CS_EINVAL;
            continue;
        }
        if (object(l, docs[i], dp) < 0)
            return CS_EINVAL;
    }
    return 0;
}

static const char *obj_name(const struct cs_ynode *obj)
{
    const struct cs_ynode *md = cs_ymap_get(obj, "metadata");
    const struct cs_ynode *nm = cs_ymap_get(md, "name");

    return nm && nm->kind == CS_Y_SCALAR ? nm->str : NULL;
}

int ld_str_field(struct ld *l, const struct cs_ynode *map, const char *key,
                 const char *what, const char **out)
{
    char fp[300];
    const struct cs_ynode *v = cs_ymap_require(map, key, what, l->err);

    if (v == NULL)
        return CS_EINVAL;
    return cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, key), out, l->err);
}

int ld_find_workload(const struct ld *l, const char *name)
{
    for (int i = 0; i < l->sc->nworkloads; i++)
        if (strcmp(l->sc->workloads[i].name, name) == 0)
            return i;
    return -1;
}

int ld_manifests(struct ld *l, const struct cs_ynode *list)
{
    char path[256];
    struct cs_scenario *sc = l->sc;

    if (cs_ynode_expect(list, CS_Y_SEQ, "manifests", l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < list->n; i++) {
        const struct cs_ynode *it = list->items[i];

        cs_ypath_index(path, sizeof(path), "manifests", i);
        if (it->kind == CS_Y_SCALAR ? manifest_file(l, it, path) < 0
                                    : object(l, it, path) < 0)
            return CS_EINVAL;
    }
    if (l->nov > 0 &&
        cs_override_check_found(l->ov, l->nov, l->ov_hits, l->err) < 0)
        return CS_EINVAL;
    if (l->ndeploys == 0 && ld_count_batch(l) == 0)
        return ld_fail(l, list, "manifests hold no apps/v1 Deployment");
    sc->workloads = ld_alloc(l, (l->ndeploys + ld_count_batch(l) + 1) *
                                    sizeof(*sc->workloads));
    sc->hpas = ld_alloc(l, (l->nhpas ? l->nhpas : 1) * sizeof(*sc->hpas));
    if (sc->workloads == NULL || sc->hpas == NULL)
        return CS_ENOMEM;
    if (ld_priority_classes(l) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < l->ndeploys; i++) {
        const char *nm = obj_name(l->deploys[i]);

        if (nm != NULL && ld_find_workload(l, nm) >= 0)
            return ld_fail(
                l, cs_ymap_get(cs_ymap_get(l->deploys[i], "metadata"), "name"),
                "duplicate Deployment \"%s\"", nm);
        if (ld_deployment(l, l->deploys[i], &sc->workloads[i]) < 0)
            return CS_EINVAL;
        sc->nworkloads = (int)i + 1;
    }
    if (ld_batch_cronjobs(l) < 0)
        return CS_EINVAL;
    return ld_policies(l);
}
