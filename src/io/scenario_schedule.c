/*
 * scenario_schedule.c - scheduled scaling: the scenario's `schedule:` list
 * and batch/v1 CronJob manifests whose container runs kubectl, into
 * struct cs_sched entries (scenario.h; docs/schedules.md).
 *
 *   schedule:
 *     - name: lunch-prescale
 *       cron: "15 11 * * 1-5"        # or at: "11:15" / 2h / 2026-11-27T11:15
 *       timeZone: Europe/Paris       # default: the scenario's
 *       scale: {deployment: shop, replicas: 6}
 *     - at: 20:00
 *       patchHpa: {hpa: shop, minReplicas: 4, maxReplicas: 20,
 *                  cpuUtilization: 60}
 *     - at: 168h
 *       patchVpa: {vpa: shop, updateMode: Auto}
 *     - cron: "0 22 * * *"
 *       kubectl: kubectl scale deployment/shop --replicas=2
 *
 * Every name an action gives is resolved here, so a typo fails at load time
 * with the position of the word that holds it.
 */
#include "core/clock.h"
#include "io/kubectl.h"
#include "io/scenario_int.h"
#include "io/scenario_load.h"

#include <stdlib.h>
#include <string.h>

#define ACTIONS_MAX 16 /* actions of one entry */

static int find_hpa(const struct ld *l, const char *name)
{
    for (int i = 0; i < l->sc->nhpas; i++)
        if (strcmp(l->sc->hpas[i].spec.name, name) == 0)
            return i;
    return -1;
}

static int find_vpa(const struct ld *l, const char *name)
{
    for (int i = 0; i < l->sc->nvpas; i++)
        if (strcmp(l->sc->vpas[i].name, name) == 0)
            return i;
    return -1;
}

/* A `kubectl set resources` must apply to the manifest's template: its
 * resource names are registered and the edit is tried on a copy. */
static int check_resources(struct ld *l, const struct cs_sched *s,
                           const struct cs_action *a, int w,
                           const struct cs_ynode *at)
{
    struct cs_podspec copy = l->sc->workloads[w].spec;
    char why[192];

    for (int k = 0; k < a->nreq + a->nlim; k++) {
        const char *name =
            k < a->nreq ? a->req[k].name : a->lim[k - a->nreq].name;

        if (cs_resnames_intern(&l->sc->res, name) < 0)
            return ld_fail(l, at, "%s: too many resource names (at most %d)",
                           s->name, CS_RES_MAX);
    }
    if (cs_podspec_set_resources(&copy, a, &l->sc->res, why, sizeof(why)) < 0)
        return ld_fail(l, at, "%s: kubectl set resources deployment/%s: %s",
                       s->name, a->target, why);
    return 0;
}

/* The index of action a's target (an HPA, a VPA or a Deployment), or
 * CS_EINVAL with the error at `at`. */
static int resolve(struct ld *l, const struct cs_sched *s,
                   const struct cs_action *a, const struct cs_ynode *at)
{
    int t;

    if (a->kind == CS_ACTION_PATCH_VPA) {
        if ((t = find_vpa(l, a->target)) < 0)
            return ld_fail(l, at,
                           "%s: no VerticalPodAutoscaler named \"%s\" in "
                           "manifests",
                           s->name, a->target);
        return t;
    }
    if (a->kind == CS_ACTION_PATCH_HPA) {
        if ((t = find_hpa(l, a->target)) < 0)
            return ld_fail(l, at,
                           "%s: no HorizontalPodAutoscaler named \"%s\" in "
                           "manifests",
                           s->name, a->target);
        if (a->utilization >= 0 && a->metric_index >= 0 &&
            (size_t)a->metric_index >=
                cs_hpa_spec_metric_count(&l->sc->hpas[t].spec))
            return ld_fail(l, at,
                           "%s: HorizontalPodAutoscaler %s has no "
                           "metric %d",
                           s->name, a->target, a->metric_index);
        return t;
    }
    t = ld_find_workload(l, a->target);
    if (t >= 0 && l->sc->workloads[t].is_job)
        t = -1;
    if (t < 0)
        return ld_fail(l, at, "%s: no Deployment named \"%s\" in manifests",
                       s->name, a->target);
    if (a->kind == CS_ACTION_RESOURCES && check_resources(l, s, a, t, at) < 0)
        return CS_EINVAL;
    return t;
}

int ld_sched_resolve(struct ld *l, struct cs_sched *s,
                     const struct cs_ynode *at)
{
    s->targets = ld_alloc(l, (size_t)(s->nactions ? s->nactions : 1) *
                                 sizeof(*s->targets));
    if (s->targets == NULL)
        return CS_ENOMEM;
    for (int i = 0; i < s->nactions; i++) {
        int t = resolve(l, s, &s->actions[i], at);

        if (t < 0)
            return t;
        s->targets[i] = t;
    }
    return 0;
}

int ld_zone(struct ld *l, const struct cs_ynode *v, const char *what,
            const struct cs_tz **out)
{
    struct cs_scenario *sc = l->sc;
    struct cs_tz **tzs;
    struct cs_err e;
    const char *s;

    if (cs_yget_string(v, what, &s, l->err) < 0)
        return CS_EINVAL;
    tzs = realloc(sc->tzs, (size_t)(sc->ntzs + 1) * sizeof(*tzs));
    if (tzs == NULL)
        return cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    sc->tzs = tzs;
    cs_err_clear(&e);
    if (cs_tz_load(&tzs[sc->ntzs], s, &e) < 0)
        return ld_fail(l, v, "%s: %s", what, e.msg);
    *out = tzs[sc->ntzs++];
    return 0;
}

int ld_cron(struct ld *l, const struct cs_ynode *v, const char *what,
            struct cs_sched *s)
{
    struct cs_err e;
    const char *text;

    if (cs_yget_string(v, what, &text, l->err) < 0)
        return CS_EINVAL;
    cs_err_clear(&e);
    if (cs_cron_parse(&s->cron, text, &e) < 0)
        return ld_fail_in(l, v, &e, what);
    s->has_cron = 1;
    return 0;
}

/* A kubectl command line (the scenario's `kubectl:` key), read as the
 * script of `sh -c`. */
static int kubectl_line(struct ld *l, const struct cs_ynode *v,
                        const char *what, struct cs_sched *s)
{
    struct cs_ynode sh, dash_c;
    const struct cs_ynode *words[3];
    size_t n = 0;

    if (cs_ynode_expect(v, CS_Y_SCALAR, what, l->err) < 0)
        return CS_EINVAL;
    sh = *v;
    sh.str = "sh";
    sh.len = 2;
    dash_c = *v;
    dash_c.str = "-c";
    dash_c.len = 2;
    words[0] = &sh;
    words[1] = &dash_c;
    words[2] = v;
    if (cs_kubectl_parse(l->arena, words, 3, s->actions, ACTIONS_MAX, &n,
                         l->err) < 0)
        return CS_EINVAL;
    s->nactions = (int)n;
    return 0;
}

static int scale_action(struct ld *l, const struct cs_ynode *v,
                        const char *what, struct cs_action *a)
{
    static const char *const keys[] = {"deployment", "replicas", NULL};
    const struct cs_ynode *x;
    char fp[256];
    int64_t r;

    cs_action_init(a, CS_ACTION_SCALE);
    if (cs_ymap_check_keys(v, keys, what, l->err) < 0)
        return CS_EINVAL;
    x = cs_ymap_require(v, "deployment", what, l->err);
    if (x == NULL ||
        cs_yget_string(x, cs_ypath(fp, sizeof(fp), what, "deployment"),
                       &a->target, l->err) < 0)
        return CS_EINVAL;
    x = cs_ymap_require(v, "replicas", what, l->err);
    if (x == NULL || cs_yget_int(x, cs_ypath(fp, sizeof(fp), what, "replicas"),
                                 0, 1000000, &r, l->err) < 0)
        return CS_EINVAL;
    a->replicas = (int32_t)r;
    return 0;
}

static int opt_int(struct ld *l, const struct cs_ynode *v, const char *what,
                   const char *key, int64_t min, int64_t max, int32_t *out)
{
    const struct cs_ynode *x = cs_ymap_get(v, key);
    char fp[256];
    int64_t r;

    if (x == NULL)
        return 0;
    if (cs_yget_int(x, cs_ypath(fp, sizeof(fp), what, key), min, max, &r,
                    l->err) < 0)
        return CS_EINVAL;
    *out = (int32_t)r;
    return 0;
}

static int patch_action(struct ld *l, const struct cs_ynode *v,
                        const char *what, struct cs_action *a)
{
    static const char *const keys[] = {"hpa", "minReplicas", "maxReplicas",
                                       "cpuUtilization", NULL};
    const struct cs_ynode *x;
    char fp[256];

    cs_action_init(a, CS_ACTION_PATCH_HPA);
    if (cs_ymap_check_keys(v, keys, what, l->err) < 0)
        return CS_EINVAL;
    x = cs_ymap_require(v, "hpa", what, l->err);
    if (x == NULL ||
        cs_yget_string(x, cs_ypath(fp, sizeof(fp), what, "hpa"), &a->target,
                       l->err) < 0 ||
        opt_int(l, v, what, "minReplicas", 0, 1000000, &a->min_replicas) < 0 ||
        opt_int(l, v, what, "maxReplicas", 1, 1000000, &a->max_replicas) < 0 ||
        opt_int(l, v, what, "cpuUtilization", 1, 100000, &a->utilization) < 0)
        return CS_EINVAL;
    if (a->min_replicas < 0 && a->max_replicas < 0 && a->utilization < 0)
        return ld_fail(l, v,
                       "%s changes nothing: give minReplicas, maxReplicas "
                       "or cpuUtilization",
                       what);
    return 0;
}

/* patchVpa: {vpa: NAME, updateMode: MODE} */
static int vpa_action(struct ld *l, const struct cs_ynode *v, const char *what,
                      struct cs_action *a)
{
    static const char *const keys[] = {"vpa", "updateMode", NULL};
    const struct cs_ynode *x;
    const char *mode;
    char fp[256];

    cs_action_init(a, CS_ACTION_PATCH_VPA);
    if (cs_ymap_check_keys(v, keys, what, l->err) < 0)
        return CS_EINVAL;
    x = cs_ymap_require(v, "vpa", what, l->err);
    if (x == NULL || cs_yget_string(x, cs_ypath(fp, sizeof(fp), what, "vpa"),
                                    &a->target, l->err) < 0)
        return CS_EINVAL;
    x = cs_ymap_require(v, "updateMode", what, l->err);
    if (x == NULL ||
        cs_yget_string(x, cs_ypath(fp, sizeof(fp), what, "updateMode"), &mode,
                       l->err) < 0)
        return CS_EINVAL;
    a->vpa_mode = cs_vpa_mode_parse(mode);
    if (a->vpa_mode < 0)
        return ld_fail(l, x, "%s must be " CS_VPA_MODES ", got \"%s\"", fp,
                       mode);
    return 0;
}

static int entry(struct ld *l, const struct cs_ynode *n, const char *what,
                 struct cs_sched *s)
{
    static const char *const keys[] = {
        "name",     "cron",     "at",      "timeZone", "scale",
        "patchHpa", "patchVpa", "kubectl", "suspend",  NULL};
    const struct cs_ynode *v, *act = NULL;
    const char *akey = NULL;
    char fp[256];

    if (cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    s->name = what;
    s->kind = "Schedule";
    s->job = -1;
    s->line = n->line;
    s->col = n->col;
    s->tz = l->sc->tz;
    if ((v = cs_ymap_get(n, "name")) != NULL &&
        cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "name"), &s->name,
                       l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "suspend")) != NULL &&
        cs_yget_bool(v, cs_ypath(fp, sizeof(fp), what, "suspend"), &s->suspend,
                     l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "timeZone")) != NULL &&
        ld_zone(l, v, cs_ypath(fp, sizeof(fp), what, "timeZone"), &s->tz) < 0)
        return CS_EINVAL;
    if ((cs_ymap_get(n, "cron") != NULL) == (cs_ymap_get(n, "at") != NULL))
        return ld_fail(l, n, "%s needs exactly one of cron and at", what);
    if ((v = cs_ymap_get(n, "cron")) != NULL &&
        ld_cron(l, v, cs_ypath(fp, sizeof(fp), what, "cron"), s) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "at")) != NULL &&
        ld_instant(l, v, cs_ypath(fp, sizeof(fp), what, "at"), &s->at) < 0)
        return CS_EINVAL;
    for (int i = 4; i <= 7; i++)
        if ((v = cs_ymap_get(n, keys[i])) != NULL) {
            if (act != NULL)
                return ld_fail(l, v,
                               "%s has both %s and %s; give one action "
                               "per entry",
                               what, akey, keys[i]);
            act = v;
            akey = keys[i];
        }
    if (act == NULL)
        return ld_fail(l, n,
                       "%s needs an action: scale, patchHpa, patchVpa or "
                       "kubectl",
                       what);
    s->actions = ld_alloc(l, ACTIONS_MAX * sizeof(*s->actions));
    if (s->actions == NULL)
        return CS_ENOMEM;
    cs_ypath(fp, sizeof(fp), what, akey);
    if (strcmp(akey, "kubectl") == 0) {
        if (kubectl_line(l, act, fp, s) < 0)
            return CS_EINVAL;
    } else {
        s->nactions = 1;
        if ((strcmp(akey, "scale") == 0 ? scale_action(l, act, fp, s->actions)
             : strcmp(akey, "patchVpa") == 0
                 ? vpa_action(l, act, fp, s->actions)
                 : patch_action(l, act, fp, s->actions)) < 0)
            return CS_EINVAL;
    }
    return ld_sched_resolve(l, s, act);
}

int ld_sched_grow(struct ld *l, size_t more)
{
    struct cs_scenario *sc = l->sc;
    struct cs_sched *p;

    p = ld_alloc(l, ((size_t)sc->nscheds + more + 1) * sizeof(*p));
    if (p == NULL)
        return CS_ENOMEM;
    if (sc->nscheds > 0)
        memcpy(p, sc->scheds, (size_t)sc->nscheds * sizeof(*p));
    sc->scheds = p;
    return 0;
}

int ld_schedule(struct ld *l, const struct cs_ynode *list)
{
    struct cs_scenario *sc = l->sc;
    char path[64];

    if (list == NULL)
        return 0;
    if (cs_ynode_expect(list, CS_Y_SEQ, "schedule", l->err) < 0 ||
        ld_sched_grow(l, list->n) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < list->n; i++) {
        struct cs_sched *s = &sc->scheds[sc->nscheds];

        memset(s, 0, sizeof(*s));
        if (entry(l, list->items[i],
                  cs_ypath_index(path, sizeof(path), "schedule", i), s) < 0)
            return CS_EINVAL;
        if (s->name == path) {
            /* the path buffer is reused: keep a copy */
            char *copy = ld_alloc(l, strlen(path) + 1);

            if (copy == NULL)
                return CS_ENOMEM;
            memcpy(copy, path, strlen(path) + 1);
            s->name = copy;
        }
        sc->nscheds++;
    }
    return 0;
}
