/*
 * vpa_update.c - the VPA updater loop (see vpa.h, VPA_SPEC.md §5).
 *
 * Per VPA that updates pods and has a recommendation, every
 * --updater-interval:
 *
 *   1. the group is the target Deployment's live pods (one group even
 *      while a rollout runs two ReplicaSets); fewer live pods than
 *      minReplicas (the VPA's, else --min-replicas) skips it;
 *   2. each live pod's priority against the capped recommendation
 *      (cs_vpa_priority_of) and acceptance (cs_vpa_accept: outside the
 *      bounds, quick OOM, or 12 h old and 10% off);
 *   3. accepted pods that the evictionRequirements admit (scaling
 *      direction), sorted by priority, ties by creation order;
 *   4. in that order, while the eviction tolerance allows: InPlace and
 *      InPlaceOrRecreate resize the pod on its node when it has room
 *      (cs_sim_pod_resize); otherwise (and for Recreate/Auto) the pod is
 *      evicted through the Eviction API, which a PodDisruptionBudget may
 *      refuse (cs_admission_eviction_allowed); InPlace never evicts.
 *
 * The evicted pods' ReplicaSet creates replacements, which admission
 * (cs_vpa_admit) gives the recommended requests.
 */
#include "controllers/vpa.h"

#include "controllers/admission.h"
#include "controllers/replicaset.h"
#include "core/sim.h"
#include "io/scenario.h"

#include <stdio.h>
#include <stdlib.h>

struct cand {
    uint32_t p;
    uint64_t uid;
    struct cs_vpa_priority prio;
};

/* Highest priority first; equal priorities in creation order. */
static int cand_cmp(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;

    if (cs_vpa_priority_less(&y->prio, &x->prio))
        return -1;
    if (cs_vpa_priority_less(&x->prio, &y->prio))
        return 1;
    return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* Pod p's containers with a recommendation, against it, in milli-units,
 * into pc[0..*npc); their priority into *out. */
static void pod_priority(const struct cs_sim *sim, int vi,
                         const struct cs_pod *pod,
                         struct cs_vpa_pod_container *pc, int *npc,
                         struct cs_vpa_priority *out)
{
    const struct cs_workload *w = &sim->wl[pod->workload];
    const struct cs_podspec *sp = cs_workload_pod_spec(w, pod);
    const struct cs_vpa_rec *recs;
    int n = 0, nrec;

    cs_vpa_status(sim, vi, &recs, &nrec);
    for (int c = 0; c < sp->ncontainers && c < nrec; c++) {
        const struct cs_vpa_rec *r = &recs[c];
        struct cs_vpa_pod_container *o = &pc[n];

        if (!r->recommended)
            continue;
        o->req[0] = sp->c[c].req.v[CS_RES_CPU];
        o->req[1] = sp->c[c].req.v[CS_RES_MEMORY];
        o->req_set = sp->c[c].req_set & 3u;
        o->lower[0] = r->cpu.lower;
        o->target[0] = r->cpu.target;
        o->upper[0] = r->cpu.upper;
        o->lower[1] = r->mem.lower * 1000;
        o->target[1] = r->mem.target * 1000;
        o->upper[1] = r->mem.upper * 1000;
        o->rec_set = r->controlled & 3u;
        n++;
    }
    cs_vpa_priority_of(pc, n, out);
    *npc = n;
}

/* Resize p in place to the recommendation: 1 done, 0 no room (or no
 * change), < 0 out of memory. */
static int resize(struct cs_sim *sim, int vi, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_workload *w = &sim->wl[pod->workload];
    uint32_t vs;
    int rc = cs_vpa_spec_for(sim, vi, cs_workload_pod_spec(w, pod), &vs);
    char obj[200];

    if (rc < 0)
        return rc;
    if (vs == 0 || !cs_sim_pod_resize(sim, p, vs))
        return 0;
    w->vpa_resizes++;
    cs_sim_pod_name(sim, p, obj, sizeof(obj));
    cs_sim_log(sim, "Pod", obj, "InPlaceResizedByVPA",
               "Pod was resized in place by VPA Updater.");
    return 1;
}

static void evict(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    char obj[200];

    cs_sim_pod_name(sim, p, obj, sizeof(obj));
    sim->wl[pod->workload].vpa_evictions++;
    cs_sim_log(sim, "Pod", obj, "EvictedByVPA",
               "Pod was evicted by VPA Updater to apply resource "
               "recommendation.");
    pod->evicted = 1;
    cs_sim_pod_delete(sim, p);
}

static int update_one(struct cs_sim *sim, int vi, struct cand **buf,
                      size_t *cap)
{
    const struct cs_vpa_config *cfg = &sim->sc->vpa_cfg;
    const struct cs_vpa_spec *spec = &sim->sc->vpas[vi];
    struct cs_workload *w = &sim->wl[spec->workload];
    int32_t live = cs_workload_replicas(w);
    int32_t running = w->count[CS_POD_RUNNING] + w->count[CS_POD_READY];
    struct cs_vpa_evict_group g;
    size_t n = 0;
    int changed = 0, mode = cs_vpa_mode(sim, vi);

    cs_vpa_evict_group_init(&g, w->spec_replicas, live, running,
                            spec->min_replicas > 0 ? spec->min_replicas
                                                   : cfg->min_replicas,
                            cfg->eviction_tolerance);
    if (g.skip)
        return 0;
    if (*cap < w->npods) {
        struct cand *nb = realloc(*buf, w->npods * sizeof(*nb));

        if (nb == NULL)
            return CS_ENOMEM;
        *buf = nb;
        *cap = w->npods;
    }
    for (uint32_t i = 0; i < w->npods; i++) {
        uint32_t p = w->pods[i];
        const struct cs_pod *pod = &sim->pods[p];
        struct cand *c = &(*buf)[n];
        struct cs_vpa_pod_container pc[CS_CONTAINERS_MAX];
        cs_time_ms age =
            pod->start_time == CS_TIME_NEVER ? -1 : sim->now - pod->start_time;
        int quick = pod->oom_last && pod->oom_ran < cfg->evict_after_oom;
        int npc;

        if (pod->state == CS_POD_TERMINATING)
            continue;
        pod_priority(sim, vi, pod, pc, &npc, &c->prio);
        if (!cs_vpa_accept(&c->prio, age, quick, cfg) ||
            !cs_vpa_eviction_admit(pc, npc, spec->evreqs, spec->nevreqs))
            continue;
        c->p = p;
        c->uid = pod->uid;
        n++;
    }
    qsort(*buf, n, sizeof(**buf), cand_cmp);
    for (size_t i = 0; i < n; i++) {
        uint32_t p = (*buf)[i].p;
        const struct cs_pod *pod = &sim->pods[p];
        int pending =
            pod->state == CS_POD_PENDING || pod->state == CS_POD_STARTING;

        if (!cs_vpa_can_evict(&g, pending))
            continue;
        if (mode == CS_VPA_IN_PLACE || mode == CS_VPA_IN_PLACE_OR_RECREATE) {
            int rc = resize(sim, vi, p);

            if (rc < 0)
                return rc;
            if (rc > 0 || mode == CS_VPA_IN_PLACE) {
                if (rc > 0)
                    cs_vpa_evict_done(&g, pending);
                continue; /* InPlace never evicts */
            }
        }
        if (!pending && !cs_admission_eviction_allowed(sim, p))
            continue; /* refused by a PodDisruptionBudget */
        evict(sim, p);
        cs_vpa_evict_done(&g, pending);
        changed = 1;
    }
    if (changed)
        cs_replicaset_resync(sim, (uint32_t)spec->workload);
    return 0;
}

void cs_vpa_update(struct cs_sim *sim)
{
    struct cand *buf = NULL;
    size_t cap = 0;

    for (int vi = 0; vi < sim->sc->nvpas && sim->err == 0; vi++) {
        const struct cs_vpa_rec *recs;
        int n;

        if (!cs_vpa_mode_updates(cs_vpa_mode(sim, vi)) ||
            !cs_vpa_status(sim, vi, &recs, &n))
            continue;
        if (update_one(sim, vi, &buf, &cap) < 0 && sim->err == 0)
            sim->err = cs_err_set(&sim->errinfo, CS_ENOMEM, NULL, 0, 0,
                                  "out of memory");
    }
    free(buf);
}
