/*
 * vpa.c - the VPA recommender and admission controller in a simulation
 * (see vpa.h; the updater is in vpa_update.c).
 *
 * State per VPA: one aggregate (histograms and sample bookkeeping) and
 * one published recommendation per container of the target's template;
 * per pod slot: each container's memory window (struct cs_vpa_cstate), in
 * rt->pods indexed like sim->pods and reset when a slot gets a new pod.
 *
 * Invariants:
 *   1. v->has_rec implies every recommended container's aggregate has at
 *      least one CPU sample;
 *   2. a container's peak stored in its aggregate's memory histogram is
 *      rt->pods[p].c[i].peak at weight 1 and time window_end (vpa_algo.h),
 *      so a later larger sample or OOM bump replaces exactly it;
 *   3. every live pod p < rt->pods_cap: cs_vpa_admit reserves the state
 *      of the slot cs_sim_pod_create is about to take (or fails it), and
 *      cs_vpa_pod_created resets it.
 */
#include "controllers/vpa.h"

#include "controllers/metrics.h"
#include "core/sim.h"
#include "io/report.h"
#include "io/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per VPA. */
struct vpa_one {
    const struct cs_vpa_spec *spec;
    uint32_t w;
    int nctr; /* containers of the target's template */
    int nrec; /* of them, those with a recommendation (policy not Off) */
    struct cs_vpa_rec rec[CS_CONTAINERS_MAX];
    const struct cs_vpa_policy *pol[CS_CONTAINERS_MAX];
    struct cs_vpa_agg agg[CS_CONTAINERS_MAX];
    int mode;               /* enum cs_vpa_mode now (a schedule may patch it) */
    int has_rec;            /* a recommendation is published */
    int active;             /* the default recommender serves it */
    cs_time_ms last_scrape; /* metrics sample the last loop took */
};

/* Per pod slot. */
struct vpa_pod {
    struct cs_vpa_cstate c[CS_CONTAINERS_MAX];
};

struct cs_vpa_rt {
    struct vpa_one *v;
    int n;      /* VPAs built */
    int nalloc; /* entries of v */
    struct cs_vpa_hist_opts cpu_o, mem_o;
    struct vpa_pod *pods; /* [pods_cap], indexed like sim->pods */
    uint32_t pods_cap;
};

int cs_vpa_create(struct cs_sim *sim, struct cs_err *err)
{
    const struct cs_scenario *sc = sim->sc;
    struct cs_vpa_rt *rt = calloc(1, sizeof(*rt));

    if (rt == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    sim->vpa = rt;
    cs_vpa_hist_opts_cpu(&rt->cpu_o);
    cs_vpa_hist_opts_memory(&rt->mem_o);
    rt->v = calloc((size_t)sc->nvpas, sizeof(*rt->v));
    if (rt->v == NULL)
        goto oom;
    rt->nalloc = sc->nvpas;
    for (int i = 0; i < sc->nvpas; i++) {
        struct vpa_one *v = &rt->v[i];
        const struct cs_workload *w = &sim->wl[sc->vpas[i].workload];

        v->spec = &sc->vpas[i];
        v->w = (uint32_t)sc->vpas[i].workload;
        v->mode = v->spec->mode;
        v->active = v->spec->recommender == NULL;
        v->last_scrape = -1;
        v->nctr = w->spec.ncontainers;
        for (int c = 0; c < v->nctr; c++) {
            const struct cs_vpa_policy *p =
                cs_vpa_policy_for(v->spec, w->spec.c[c].name);

            v->pol[c] = p;
            v->rec[c].container = w->spec.c[c].name;
            v->rec[c].recommended = p == NULL || !p->off;
            v->rec[c].controlled = cs_vpa_policy_controlled(p);
            v->nrec += v->rec[c].recommended;
            if (cs_vpa_agg_init(&v->agg[c], &rt->cpu_o, &rt->mem_o,
                                &sc->vpa_cfg) < 0) {
                v->nctr = c; /* only the ones made are freed */
                goto oom;
            }
        }
        rt->n = i + 1;
    }
    return 0;
oom:
    cs_vpa_destroy(rt);
    sim->vpa = NULL;
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

void cs_vpa_destroy(struct cs_vpa_rt *rt)
{
    if (rt == NULL)
        return;
    /* entries never reached have nctr 0; a failed one the aggregates made */
    for (int i = 0; rt->v != NULL && i < rt->nalloc; i++)
        for (int c = 0; c < rt->v[i].nctr; c++)
            cs_vpa_agg_fini(&rt->v[i].agg[c]);
    free(rt->v);
    free(rt->pods);
    free(rt);
}

int cs_vpa_start(struct cs_sim *sim)
{
    const struct cs_vpa_config *cfg = &sim->sc->vpa_cfg;
    int rc = 0;

    if (cfg->recommender_interval <= sim->end)
        rc |= cs_evq_push(&sim->q, cfg->recommender_interval, CS_EV_VPA, 0, 0,
                          NULL);
    if (cfg->updater_interval <= sim->end)
        rc |=
            cs_evq_push(&sim->q, cfg->updater_interval, CS_EV_VPA, 1, 0, NULL);
    return rc < 0 ? CS_ENOMEM : 0;
}

/* Room for the state of one more pod slot (the next cs_sim_pod_create
 * takes a freed slot or slot npods_used). 0 or CS_ENOMEM. */
static int reserve_pod(struct cs_sim *sim)
{
    struct cs_vpa_rt *rt = sim->vpa;
    uint32_t cap = sim->npods_used + 1;
    struct vpa_pod *np;

    if (cap <= rt->pods_cap)
        return 0;
    if (cap < 2 * rt->pods_cap)
        cap = 2 * rt->pods_cap;
    np = realloc(rt->pods, (size_t)cap * sizeof(*np));
    if (np == NULL)
        return CS_ENOMEM;
    rt->pods = np;
    rt->pods_cap = cap;
    return 0;
}

void cs_vpa_pod_created(struct cs_sim *sim, uint32_t p)
{
    for (int c = 0; c < CS_CONTAINERS_MAX; c++)
        cs_vpa_cstate_init(&sim->vpa->pods[p].c[c]);
}

/* ---- recommender ------------------------------------------------------ */

/* Feed the samples of v's pods taken at the workload's last scrape. */
static void take_samples(struct cs_sim *sim, struct vpa_one *v)
{
    const struct cs_vpa_config *cfg = &sim->sc->vpa_cfg;
    const struct cs_workload *w = &sim->wl[v->w];
    cs_time_ms t = w->last_scrape;
    int64_t nready = 0, nidle = 0;
    int serving = w->serving_container;

    if (t < 0 || t <= v->last_scrape)
        return; /* no newer sample than last loop's */
    v->last_scrape = t;
    for (uint32_t i = 0; i < w->npods; i++) {
        uint32_t p = w->pods[i];
        const struct cs_pod *pod = &sim->pods[p];
        struct vpa_pod *ps = &sim->vpa->pods[p]; /* invariant 3 */
        int64_t cpu_m, mem_m;
        int was_ready;

        if (pod->state == CS_POD_TERMINATING ||
            !cs_metrics_pod_sample(sim, pod, &cpu_m, &mem_m, &was_ready))
            continue;
        *(was_ready ? &nready : &nidle) += 1;
        for (int c = 0; c < v->nctr; c++)
            if (v->rec[c].recommended)
                cs_vpa_cstate_add_memory(
                    &ps->c[c], &v->agg[c].mem,
                    c == serving ? (double)mem_m / 1000.0 : 0.0, t, cfg);
    }
    for (int c = 0; c < v->nctr; c++) {
        if (!v->rec[c].recommended)
            continue;
        if (c != serving) {
            cs_vpa_agg_add_cpu(&v->agg[c], 0.0, nready + nidle, t);
            continue;
        }
        if (nready > 0)
            cs_vpa_agg_add_cpu(
                &v->agg[c], (double)w->sample_ready_cpu_m / 1000.0, nready, t);
        if (nidle > 0)
            cs_vpa_agg_add_cpu(&v->agg[c],
                               (double)w->sample_idle_cpu_m / 1000.0, nidle, t);
    }
}

/* Recompute v's recommendation from its aggregates. */
static void recommend(struct cs_sim *sim, struct vpa_one *v)
{
    const struct cs_vpa_config *cfg = &sim->sc->vpa_cfg;

    for (int c = 0; c < v->nctr; c++)
        if (v->rec[c].recommended && v->agg[c].total_samples == 0)
            return; /* invariant 1 */
    if (v->nrec == 0)
        return;
    for (int c = 0; c < v->nctr; c++) {
        struct cs_vpa_rec *r = &v->rec[c];

        if (!r->recommended)
            continue;
        cs_vpa_estimate(&v->agg[c], cfg, v->nrec, &r->cpu, &r->mem);
        cs_vpa_cap(&r->cpu, CS_RES_CPU, v->pol[c], cfg);
        cs_vpa_cap(&r->mem, CS_RES_MEMORY, v->pol[c], cfg);
    }
    v->has_rec = 1;
    if (sim->report != NULL)
        cs_report_vpa_recommendation(sim->report, sim, (int)(v - sim->vpa->v));
}

static void recommender_loop(struct cs_sim *sim)
{
    struct cs_vpa_rt *rt = sim->vpa;

    for (int i = 0; i < rt->n && sim->err == 0; i++) {
        struct vpa_one *v = &rt->v[i];

        if (!v->active)
            continue;
        take_samples(sim, v);
        recommend(sim, v);
    }
}

void cs_vpa_event(struct cs_sim *sim, uint32_t which)
{
    const struct cs_vpa_config *cfg = &sim->sc->vpa_cfg;
    cs_time_ms period =
        which == 0 ? cfg->recommender_interval : cfg->updater_interval;

    if (sim->on_vpa_loop != NULL)
        sim->on_vpa_loop(sim->hook_ctx, sim, (int)which, 0);
    if (which == 0)
        recommender_loop(sim);
    else
        cs_vpa_update(sim);
    if (sim->on_vpa_loop != NULL)
        sim->on_vpa_loop(sim->hook_ctx, sim, (int)which, 1);
    if (sim->now + period <= sim->end &&
        cs_evq_push(&sim->q, sim->now + period, CS_EV_VPA, which, 0, NULL) <
            0 &&
        sim->err == 0)
        sim->err = CS_ENOMEM;
}

void cs_vpa_pod_oom(struct cs_sim *sim, uint32_t p)
{
    const struct cs_pod *pod = &sim->pods[p];
    const struct cs_workload *w = &sim->wl[pod->workload];
    const struct cs_podspec *sp = cs_workload_pod_spec(w, pod);
    int c = w->serving_container;
    const struct cs_container *ct = &sp->c[c];
    struct vpa_one *v;
    struct vpa_pod *ps;
    double request;

    if (w->vpa < 0)
        return;
    v = &sim->vpa->v[w->vpa];
    ps = &sim->vpa->pods[p]; /* invariant 3 */
    if (!v->active || !v->rec[c].recommended)
        return;
    if (ct->req_set & (1u << CS_RES_MEMORY))
        request = (double)ct->req.v[CS_RES_MEMORY] / 1000.0;
    else
        request = (double)ct->lim.v[CS_RES_MEMORY] / 1000.0;
    /* a stale OOM (CS_EINVAL) is dropped, as upstream logs and drops it */
    (void)cs_vpa_cstate_record_oom(&ps->c[c], &v->agg[c].mem, request, sim->now,
                                   &sim->sc->vpa_cfg);
}

/* ---- admission -------------------------------------------------------- */

/* Container `c` of `from` with recommendation r applied into *out. */
static void apply_rec(const struct cs_container *from,
                      const struct cs_vpa_rec *r,
                      const struct cs_vpa_policy *pol, struct cs_container *out)
{
    int only_requests = pol != NULL && pol->values == CS_VPA_REQUESTS_ONLY;

    *out = *from;
    for (int res = CS_RES_CPU; res <= CS_RES_MEMORY; res++) {
        uint32_t bit = 1u << res;
        int64_t req = res == CS_RES_CPU ? r->cpu.target
                                        : r->mem.target * 1000; /* milli */
        int64_t lim;
        int capped;

        if (!(r->controlled & bit))
            continue;
        if (only_requests) {
            if ((from->lim_set & bit) && req > from->lim.v[res])
                req = from->lim.v[res]; /* capped at the limit */
        } else if (cs_vpa_proportional_limit_res(
                       res, (from->lim_set & bit) ? from->lim.v[res] : -1,
                       (from->req_set & bit) ? from->req.v[res] : -1, req, -1,
                       &lim, &capped)) {
            out->lim.v[res] = lim;
            out->lim_set |= bit;
        } else {
            out->lim.v[res] = 0;
            out->lim_set &= ~bit;
        }
        out->req.v[res] = req;
        out->req_set |= bit;
    }
}

int cs_vpa_spec_for(struct cs_sim *sim, int vi, const struct cs_podspec *from,
                    uint32_t *vspec)
{
    struct vpa_one *v = &sim->vpa->v[vi];
    struct cs_workload *w = &sim->wl[v->w];
    struct cs_podspec sp = *from;

    *vspec = 0;
    for (int c = 0; c < sp.ncontainers && c < v->nctr; c++)
        if (v->rec[c].recommended)
            apply_rec(&from->c[c], &v->rec[c], v->pol[c], &sp.c[c]);
    if (memcmp(sp.c, from->c, sizeof(sp.c)) == 0)
        return 0;
    cs_podspec_resum(&sp);
    if (w->nvspecs > 0 &&
        memcmp(w->vspecs[w->nvspecs - 1].c, sp.c, sizeof(sp.c)) == 0) {
        *vspec = w->nvspecs;
        return 0;
    }
    if (w->nvspecs == w->vspecs_cap) {
        uint32_t cap = w->vspecs_cap ? 2 * w->vspecs_cap : 8;
        struct cs_podspec *np = realloc(w->vspecs, cap * sizeof(*np));

        if (np == NULL)
            return CS_ENOMEM;
        w->vspecs = np;
        w->vspecs_cap = cap;
    }
    w->vspecs[w->nvspecs++] = sp;
    *vspec = w->nvspecs;
    {
        int64_t lim = cs_podspec_mem_limit(&sp, w->serving_container);

        if (lim < w->min_mem_limit_m)
            w->min_mem_limit_m = lim;
    }
    return 0;
}

int cs_vpa_admit(struct cs_sim *sim, uint32_t w, uint32_t *vspec)
{
    const struct cs_workload *wl = &sim->wl[w];
    int vi = wl->vpa;

    *vspec = 0;
    if (reserve_pod(sim) < 0)
        return CS_ENOMEM;
    if (vi < 0 || !sim->vpa->v[vi].has_rec ||
        !cs_vpa_mode_admits(sim->vpa->v[vi].mode))
        return 0;
    return cs_vpa_spec_for(sim, vi, &wl->spec, vspec);
}

/* ---- status ----------------------------------------------------------- */

int cs_vpa_mode(const struct cs_sim *sim, int vi)
{
    return sim->vpa->v[vi].mode;
}

void cs_vpa_set_mode(struct cs_sim *sim, int vi, int mode)
{
    struct vpa_one *v = &sim->vpa->v[vi];
    char msg[160];

    if (v->mode == mode)
        return;
    snprintf(msg, sizeof(msg), "updateMode changed from %s to %s",
             cs_vpa_mode_name(v->mode), cs_vpa_mode_name(mode));
    v->mode = mode;
    cs_sim_log(sim, "VerticalPodAutoscaler", v->spec->name, "ModeChanged", msg);
}

int cs_vpa_status(const struct cs_sim *sim, int vi,
                  const struct cs_vpa_rec **recs, int *n)
{
    const struct vpa_one *v = &sim->vpa->v[vi];

    *recs = v->rec;
    *n = v->nctr;
    return v->has_rec;
}

void cs_vpa_pod_target(const struct cs_sim *sim, int vi, int64_t *cpu_m,
                       int64_t *mem_bytes)
{
    const struct vpa_one *v = &sim->vpa->v[vi];

    *cpu_m = *mem_bytes = 0;
    if (!v->has_rec)
        return;
    for (int c = 0; c < v->nctr; c++) {
        if (!v->rec[c].recommended)
            continue;
        if (v->rec[c].controlled & (1u << CS_RES_CPU))
            *cpu_m += v->rec[c].cpu.target;
        if (v->rec[c].controlled & (1u << CS_RES_MEMORY))
            *mem_bytes += v->rec[c].mem.target;
    }
}
