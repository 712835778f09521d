/*
 * manifest_cronjob.c - batch/v1 CronJob manifests.
 *
 * A CronJob whose container runs kubectl (`kubectl scale`, `kubectl patch
 * hpa`, directly or in `sh -c`) is a scheduled scaling action: it becomes a
 * struct cs_sched whose actions are what the command would do
 * (io/kubectl.h). spec.schedule, spec.timeZone and spec.suspend are read as
 * the CronJob controller reads them; concurrencyPolicy cannot matter to an
 * action that takes no time.
 */
#include "core/clock.h"
#include "io/kubectl.h"
#include "io/scenario_int.h"

#include <stdlib.h>
#include <string.h>

#define ACTIONS_MAX 16

static const char *const cj_keys[] = {"apiVersion", "kind",   "metadata",
                                      "spec",       "status", NULL};
static const char *const cj_spec_keys[] = {"schedule",
                                           "timeZone",
                                           "startingDeadlineSeconds",
                                           "concurrencyPolicy",
                                           "suspend",
                                           "jobTemplate",
                                           "successfulJobsHistoryLimit",
                                           "failedJobsHistoryLimit",
                                           NULL};

/* The words a container runs: its command items, then its args items. */
static int words_of(struct ld *l, const struct cs_ynode *ctr, const char *what,
                    const struct cs_ynode **words, size_t max, size_t *n)
{
    static const char *const keys[] = {"command", "args"};
    char fp[256];

    *n = 0;
    for (int k = 0; k < 2; k++) {
        const struct cs_ynode *v = cs_ymap_get(ctr, keys[k]);

        if (v == NULL)
            continue;
        if (cs_ynode_expect(v, CS_Y_SEQ,
                            cs_ypath(fp, sizeof(fp), what, keys[k]),
                            l->err) < 0)
            return CS_EINVAL;
        for (size_t i = 0; i < v->n; i++) {
            if (*n == max)
                return ld_fail(l, v, "%s: more than %zu words", what, max);
            if (cs_ynode_expect(v->items[i], CS_Y_SCALAR, fp, l->err) < 0)
                return CS_EINVAL;
            words[(*n)++] = v->items[i];
        }
    }
    return 0;
}

static int mentions_kubectl(const struct cs_ynode *const *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(w[i]->str, "kubectl") != NULL)
            return 1;
    return 0;
}

/* A CronJob none of whose containers' command or args names kubectl runs
 * a batch Job. Malformed ones count as kubectl ones: their errors are
 * reported by ld_cronjobs. */
static int is_batch(const struct cs_ynode *obj)
{
    const struct cs_ynode *v = cs_ymap_get(obj, "spec");
    static const char *const path[] = {"jobTemplate", "spec", "template",
                                       "spec", "containers"};

    for (int i = 0; i < 5; i++)
        v = cs_ymap_get(v, path[i]);
    if (v == NULL || v->kind != CS_Y_SEQ || v->n == 0)
        return 0;
    for (size_t c = 0; c < v->n; c++)
        for (int k = 0; k < 2; k++) {
            const struct cs_ynode *ws =
                cs_ymap_get(v->items[c], k ? "args" : "command");

            for (size_t i = 0; ws && ws->kind == CS_Y_SEQ && i < ws->n; i++)
                if (ws->items[i]->kind != CS_Y_SCALAR ||
                    strstr(ws->items[i]->str, "kubectl") != NULL)
                    return 0;
        }
    return 1;
}

size_t ld_count_batch(struct ld *l)
{
    size_t n = 0;

    for (size_t i = 0; i < l->ncronjobs; i++)
        n += (size_t)is_batch(l->cronjobs[i]);
    return n;
}

static const char *const job_keys[] = {"template",
                                       "parallelism",
                                       "completions",
                                       "backoffLimit",
                                       "activeDeadlineSeconds",
                                       "ttlSecondsAfterFinished",
                                       "completionMode",
                                       "suspend",
                                       "podFailurePolicy",
                                       "backoffLimitPerIndex",
                                       "maxFailedIndexes",
                                       "manualSelector",
                                       "selector",
                                       "successPolicy",
                                       "podReplacementPolicy",
                                       "managedBy",
                                       NULL};

static int job_int(struct ld *l, const struct cs_ynode *n, const char *what,
                   const char *key, int64_t min, int32_t *out)
{
    const struct cs_ynode *v = cs_ymap_get(n, key);
    char fp[256];
    int64_t x;

    if (v == NULL)
        return 0;
    if (cs_yget_int(v, cs_ypath(fp, sizeof(fp), what, key), min, 100000, &x,
                    l->err) < 0)
        return CS_EINVAL;
    *out = (int32_t)x;
    return 0;
}

static int concurrency(struct ld *l, const struct cs_ynode *spec,
                       const char *what, struct cs_workload *w)
{
    static const char *const names[] = {"Allow", "Forbid", "Replace"};
    const struct cs_ynode *v = cs_ymap_get(spec, "concurrencyPolicy");
    char fp[256];
    const char *s;

    if (v == NULL)
        return 0;
    cs_ypath(fp, sizeof(fp), what, "concurrencyPolicy");
    if (cs_yget_string(v, fp, &s, l->err) < 0)
        return CS_EINVAL;
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            w->job.concurrency = i;
            return 0;
        }
    return ld_fail(l, v, "%s must be Allow, Forbid or Replace; got \"%s\"", fp,
                   s);
}

/* The Job template of batch CronJob obj into workload w. */
static int batch_workload(struct ld *l, const struct cs_ynode *obj,
                          struct cs_workload *w)
{
    const struct cs_ynode *spec = cs_ymap_get(obj, "spec"), *jt, *js, *v;
    char what[256], jp[300];
    int64_t secs;

    v = cs_ymap_get(cs_ymap_get(obj, "metadata"), "name");
    if (v == NULL ||
        cs_yget_string(v, "CronJob metadata.name", &w->name, l->err) < 0)
        return v == NULL ? ld_fail(l, obj,
                                   "CronJob: metadata.name is "
                                   "required")
                         : CS_EINVAL;
    if (ld_find_workload(l, w->name) >= 0)
        return ld_fail(l, v, "CronJob %s: a Deployment has the same name",
                       w->name);
    w->ns = "default";
    w->is_job = 1;
    w->job = (struct cs_job_spec){
        .parallelism = 1, .completions = -1, .backoff_limit = 6};
    w->job.duration.kind = CS_DIST_CONST;
    w->job.duration.a = 60;
    snprintf(what, sizeof(what), "CronJob %s spec", w->name);
    if (cs_ymap_check_keys(spec, cj_spec_keys, what, l->err) < 0 ||
        concurrency(l, spec, what, w) < 0)
        return CS_EINVAL;
    jt = cs_ymap_get(spec, "jobTemplate");
    js = cs_ymap_get(jt, "spec");
    snprintf(jp, sizeof(jp), "%s.jobTemplate.spec", what);
    if (cs_ymap_check_keys(js, job_keys, jp, l->err) < 0 ||
        job_int(l, js, jp, "parallelism", 1, &w->job.parallelism) < 0 ||
        job_int(l, js, jp, "completions", 1, &w->job.completions) < 0 ||
        job_int(l, js, jp, "backoffLimit", 0, &w->job.backoff_limit) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(js, "activeDeadlineSeconds")) != NULL) {
        char fp[320];

        if (cs_yget_int(v,
                        cs_ypath(fp, sizeof(fp), jp, "activeDeadlineSeconds"),
                        1, 366LL * 86400, &secs, l->err) < 0)
            return CS_EINVAL;
        w->job.deadline = secs * 1000;
    }
    if (w->job.completions < 0 && cs_ymap_get(js, "parallelism") == NULL)
        w->job.completions = 1; /* both unset: one pod, once */
    snprintf(jp, sizeof(jp), "%s.jobTemplate.spec.template", what);
    if (ld_pod_template(l, cs_ymap_get(js, "template"), jp, w) < 0)
        return CS_EINVAL;
    w->spec_replicas = 0;
    return 0;
}

int ld_batch_cronjobs(struct ld *l)
{
    struct cs_scenario *sc = l->sc;

    for (size_t i = 0; i < l->ncronjobs; i++) {
        const struct cs_ynode *obj = l->cronjobs[i];
        const struct cs_ynode **d;

        if (!is_batch(obj))
            continue;
        if (batch_workload(l, obj, &sc->workloads[sc->nworkloads]) < 0)
            return CS_EINVAL;
        /* l->deploys[w] locates workload w's errors */
        d = realloc(l->deploys, (l->ndeploys + 1) * sizeof(*d));
        if (d == NULL)
            return cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        l->deploys = d;
        l->deploys[l->ndeploys++] = obj;
        l->deploys_cap = l->ndeploys;
        sc->nworkloads++;
    }
    return 0;
}

static const struct cs_ynode *containers(struct ld *l,
                                         const struct cs_ynode *spec)
{
    const struct cs_ynode *v = cs_ymap_get(spec, "jobTemplate");

    v = cs_ymap_get(v, "spec");
    v = cs_ymap_get(v, "template");
    v = cs_ymap_get(v, "spec");
    v = cs_ymap_get(v, "containers");
    if (v == NULL || v->kind != CS_Y_SEQ || v->n == 0) {
        ld_fail(l, spec,
                "CronJob: spec.jobTemplate.spec.template.spec.containers "
                "must list at least one container");
        return NULL;
    }
    return v;
}

static int kubectl_actions(struct ld *l, const struct cs_ynode *ctrs,
                           const char *what, struct cs_sched *s)
{
    const struct cs_ynode *words[256];
    char cp[256];
    size_t n, got;

    s->actions = ld_alloc(l, ACTIONS_MAX * sizeof(*s->actions));
    if (s->actions == NULL)
        return CS_ENOMEM;
    for (size_t c = 0; c < ctrs->n; c++) {
        cs_ypath_index(cp, sizeof(cp), what, c);
        if (words_of(l, ctrs->items[c], cp, words, 256, &n) < 0)
            return CS_EINVAL;
        if (!mentions_kubectl(words, n))
            continue;
        if (cs_kubectl_parse(l->arena, words, n, s->actions + s->nactions,
                             (size_t)(ACTIONS_MAX - s->nactions), &got,
                             l->err) < 0)
            return CS_EINVAL;
        s->nactions += (int)got;
    }
    return 0;
}

static int schedule_fields(struct ld *l, const struct cs_ynode *spec,
                           const char *what, struct cs_sched *s)
{
    const struct cs_ynode *v;
    char fp[256];

    v = cs_ymap_require(spec, "schedule", what, l->err);
    if (v == NULL ||
        ld_cron(l, v, cs_ypath(fp, sizeof(fp), what, "schedule"), s) < 0)
        return CS_EINVAL;
    s->tz = l->sc->tz;
    if ((v = cs_ymap_get(spec, "timeZone")) != NULL &&
        ld_zone(l, v, cs_ypath(fp, sizeof(fp), what, "timeZone"), &s->tz) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(spec, "suspend")) != NULL &&
        cs_yget_bool(v, cs_ypath(fp, sizeof(fp), what, "suspend"), &s->suspend,
                     l->err) < 0)
        return CS_EINVAL;
    return 0;
}

static int cronjob(struct ld *l, const struct cs_ynode *obj, struct cs_sched *s)
{
    const struct cs_ynode *md = cs_ymap_get(obj, "metadata"), *spec, *ctrs, *v;
    char what[256];

    if (cs_ymap_check_keys(obj, cj_keys, "CronJob", l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_get(md, "name");
    if (v == NULL ||
        cs_yget_string(v, "CronJob metadata.name", &s->name, l->err) < 0)
        return v == NULL ? ld_fail(l, obj,
                                   "CronJob: metadata.name is "
                                   "required")
                         : CS_EINVAL;
    snprintf(what, sizeof(what), "CronJob %s spec", s->name);
    s->kind = "CronJob";
    s->line = obj->line;
    s->col = obj->col;
    spec = cs_ymap_require(obj, "spec", what, l->err);
    if (spec == NULL ||
        cs_ymap_check_keys(spec, cj_spec_keys, what, l->err) < 0 ||
        schedule_fields(l, spec, what, s) < 0)
        return CS_EINVAL;
    if ((ctrs = containers(l, spec)) == NULL)
        return CS_EINVAL;
    s->job = -1;
    if (is_batch(obj)) {
        s->job = ld_find_workload(l, s->name);
        return 0;
    }
    snprintf(what, sizeof(what), "CronJob %s containers", s->name);
    if (kubectl_actions(l, ctrs, what, s) < 0)
        return CS_EINVAL;
    if (s->nactions == 0)
        return ld_fail(l, ctrs,
                       "CronJob %s: no container runs kubectl; a batch "
                       "CronJob needs a `jobs:` entry in the scenario",
                       s->name);
    return 0;
}

int ld_cronjobs(struct ld *l)
{
    struct cs_scenario *sc = l->sc;

    if (l->ncronjobs == 0)
        return 0;
    if (ld_sched_grow(l, l->ncronjobs) < 0)
        return CS_ENOMEM;
    for (size_t i = 0; i < l->ncronjobs; i++) {
        struct cs_sched *s = &sc->scheds[sc->nscheds];

        memset(s, 0, sizeof(*s));
        if (cronjob(l, l->cronjobs[i], s) < 0 ||
            ld_sched_resolve(l, s, l->cronjobs[i]) < 0)
            return CS_EINVAL;
        sc->nscheds++;
    }
    return 0;
}
