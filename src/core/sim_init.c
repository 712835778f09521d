/* sim_init.c - building and freeing a simulation (see sim.h). */
#include "core/sim.h"

#include "controllers/admission.h"
#include "controllers/autoscale.h"
#include "controllers/ca.h"
#include "controllers/nodes.h"
#include "controllers/replicaset.h"
#include "controllers/schedule.h"
#include "controllers/scheduler.h"
#include "controllers/vpa.h"
#include "io/scenario.h"

#include <stdlib.h>
#include <string.h>

/* Initial pods start warm: bound, running and ready for an hour already,
 * so a run begins in the steady state a planner describes. */
#define WARM_AGE ((cs_time_ms)3600 * 1000)

static int init_workloads(struct cs_sim *sim, struct cs_err *err)
{
    const struct cs_scenario *sc = sim->sc;

    sim->nwl = sc->nworkloads;
    sim->wl =
        calloc(sc->nworkloads ? (size_t)sc->nworkloads : 1, sizeof(*sim->wl));
    if (sim->wl == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    for (int i = 0; i < sim->nwl; i++) {
        struct cs_workload *w = &sim->wl[i];
        struct cs_load_clock clock = {sc->start_utc_ms, sc->tz};
        int rc;

        *w = sc->workloads[i];
        memset(&w->load, 0, sizeof(w->load));
        rc = cs_load_init(&w->load, w->load_spec, &clock, sim->rng.seed,
                          CS_LOAD_STREAM_BASE + 256 * (uint64_t)i, err);
        if (rc < 0)
            return rc;
        w->pods = NULL;
        w->npods = w->cap = w->nsteady = 0;
        w->revision = 0;
        w->old_specs = NULL;
        w->rolling = 0;
        memset(w->count, 0, sizeof(w->count));
        cs_service_derive(&w->svc, &w->svcd);
        cs_service_init(&w->svcs, &w->load, 0);
        w->last_scrape = -1;
        w->hpa = -1;
        w->vpa = -1;
        w->vspecs = NULL;
        w->nvspecs = w->vspecs_cap = 0;
        w->oom_kills = w->vpa_evictions = w->vpa_resizes = 0;
        w->min_mem_limit_m =
            cs_podspec_mem_limit(&w->spec, w->serving_container);
    }
    for (int h = 0; h < sc->nhpas; h++)
        sim->wl[sc->hpas[h].workload].hpa = h;
    for (int v = 0; v < sc->nvpas; v++)
        sim->wl[sc->vpas[v].workload].vpa = v;
    return 0;
}

/* Create every workload's initial pods and bind them warm at t = 0. */
static int warm_start(struct cs_sim *sim, struct cs_err *err)
{
    for (int w = 0; w < sim->nwl; w++)
        for (int32_t i = 0; i < sim->wl[w].spec_replicas; i++) {
            int rc = cs_replicaset_create(sim, (uint32_t)w);

            if (rc == 0) /* a quota: the ReplicaSet retries */
                break;
            if (rc < 0) {
                *err = sim->errinfo;
                return rc;
            }
        }
    sim->warming = 1;
    cs_scheduler_pass(sim);
    sim->warming = 0;
    return sim->err;
}

/* Called by the STARTING transition while warming: skip the start-up. */
void cs_sim_warm_pod(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];

    pod->start_time = -WARM_AGE;
    pod->container_start = -WARM_AGE;
    pod->app_ready = -WARM_AGE;
    pod->ready_transition = -WARM_AGE;
    pod->was_ready = 1;
    cs_sim_pod_set_state(sim, p, CS_POD_RUNNING);
    cs_sim_pod_set_state(sim, p, CS_POD_READY);
}

static int push_initial(struct cs_sim *sim)
{
    int rc = 0;

    for (int w = 0; w < sim->nwl; w++) {
        struct cs_workload *wl = &sim->wl[w];

        cs_time_ms next = cs_load_next(&wl->load, 0);

        if (next != CS_TIME_NEVER && next <= sim->end)
            rc |= cs_evq_push(&sim->q, next, CS_EV_LOAD_POINT, (uint32_t)w, 0,
                              NULL);
    }
    /* At equal times scrape runs before the HPA, which runs before the
     * output sample: push order is run order. */
    rc |= cs_evq_push(&sim->q, 0, CS_EV_SCRAPE, 0, 0, NULL);
    if (sim->as != NULL)
        rc |= cs_evq_push(&sim->q, 0, CS_EV_HPA_SYNC, 0, 0, NULL);
    rc |= cs_evq_push(&sim->q, 0, CS_EV_SAMPLE, 0, 0, NULL);
    if (sim->vpa != NULL)
        rc |= cs_vpa_start(sim);
    for (int r = 0; r < sim->sc->nreclaims; r++)
        if (sim->sc->reclaims[r].at <= sim->end)
            rc |= cs_evq_push(&sim->q, sim->sc->reclaims[r].at, CS_EV_SPOT,
                              (uint32_t)r, 0, NULL);
    /* No end event: periodic events stop at the duration (a sample at
     * t = duration included) and the loop stops at the first later event. */
    return rc < 0 ? CS_ENOMEM : 0;
}

/* Bytes one timeline/nodes row takes, about (for the output estimate). */
#define ROW_BYTES 64

/* What the scenario asks for against its limits, before anything is
 * allocated: a pathological but valid scenario stops here with an error
 * that says which limit and how to raise it. */
static int check_limits(const struct cs_scenario *sc, struct cs_err *err)
{
    uint64_t nodes = 0, samples, rows, mb;

    for (int p = 0; p < sc->npools; p++)
        nodes += (uint64_t)sc->pools[p].nodes;
    if (nodes > sc->max_nodes)
        return cs_err_set(err, CS_ELIMIT, sc->path, 0, 0,
                          "the cluster has %llu nodes; the limit is %u, "
                          "raise it with limits.maxNodes or --max-nodes",
                          (unsigned long long)nodes, sc->max_nodes);
    samples = (uint64_t)(sc->duration / sc->sample_step) + 1;
    rows = samples * (uint64_t)(sc->nworkloads + sc->npools);
    mb = rows / (1024 * 1024 / ROW_BYTES);
    if (mb > sc->max_output_mb)
        return cs_err_set(err, CS_ELIMIT, sc->path, 0, 0,
                          "the run would write about %llu MB of timeline "
                          "(%llu samples of %d workloads and %d pools); the "
                          "limit is %llu MB: use a longer sampleStep, or "
                          "raise limits.maxOutputMB or --max-output-mb",
                          (unsigned long long)mb, (unsigned long long)samples,
                          sc->nworkloads, sc->npools,
                          (unsigned long long)sc->max_output_mb);
    return 0;
}

struct cs_sim *cs_sim_create(const struct cs_scenario *sc, uint64_t seed,
                             struct cs_err *err)
{
    struct cs_sim *sim = calloc(1, sizeof(*sim));

    if (sim == NULL) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    sim->sc = sc;
    sim->end = sc->duration;
    sim->nres = sc->res.n;
    sim->pools = sc->pools;
    sim->npools = sc->npools;
    sim->free_head = UINT32_MAX;
    sim->limits.max_pods = sc->max_pods;
    /* every pod can have a few lifecycle events and scheduler passes at
     * one instant; far more than that is a loop */
    sim->limits.instant_events = 16 * (uint64_t)sc->max_pods + 1000000;
    sim->scrape_period = sc->scrape_period;
    sim->hpa_period = sc->hpa_cfg.sync_period;
    sim->sample_step = sc->sample_step;
    if (check_limits(sc, err) < 0) {
        cs_sim_destroy(sim);
        return NULL;
    }
    if (cs_evq_init(&sim->q) < 0 || cs_rng_init(&sim->rng, seed) < 0) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        cs_sim_destroy(sim);
        return NULL;
    }
    if (cs_nodes_init(sim, err) < 0 || init_workloads(sim, err) < 0 ||
        cs_admission_init(sim, err) < 0 || cs_ca_init(sim, err) < 0 ||
        (sc->nhpas > 0 && cs_autoscale_create(sim, err) < 0) ||
        (sc->nvpas > 0 && cs_vpa_create(sim, err) < 0) ||
        warm_start(sim, err) < 0 || push_initial(sim) < 0 ||
        cs_schedule_start(sim) < 0 || cs_ca_start(sim) < 0) {
        if (err->msg[0] == '\0')
            cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        cs_sim_destroy(sim);
        return NULL;
    }
    return sim;
}

void cs_sim_destroy(struct cs_sim *sim)
{
    if (sim == NULL)
        return;
    cs_autoscale_destroy(sim->as);
    cs_vpa_destroy(sim->vpa);
    for (int w = 0; w < sim->nwl && sim->wl != NULL; w++) {
        free(sim->wl[w].pods);
        free(sim->wl[w].old_specs);
        free(sim->wl[w].vspecs);
        cs_load_fini(&sim->wl[w].load);
    }
    free(sim->wl);
    free(sim->pods);
    free(sim->pending);
    cs_ca_destroy(sim);
    cs_admission_destroy(sim);
    if (sim->nodes != NULL)
        cs_nodes_fini(sim);
    free(sim->nodes);
    free(sim->node_scratch);
    free(sim->pool_st);
    cs_evq_fini(&sim->q);
    cs_rng_fini(&sim->rng);
    free(sim);
}

int cs_sim_check(const struct cs_sim *sim)
{
    for (int w = 0; w < sim->nwl; w++) {
        const struct cs_workload *wl = &sim->wl[w];
        int32_t cnt[CS_POD_NSTATES] = {0};

        for (uint32_t i = 0; i < wl->npods; i++) {
            const struct cs_pod *p = &sim->pods[wl->pods[i]];

            if (p->slot != i || p->workload != (uint32_t)w)
                return 0;
            if (p->steady != (i >= wl->npods - wl->nsteady) ||
                (p->steady && p->state != CS_POD_READY))
                return 0;
            if ((p->node >= 0) != (p->state >= CS_POD_STARTING))
                return 0;
            cnt[p->state]++;
        }
        for (int s = 1; s < CS_POD_NSTATES; s++)
            if (cnt[s] != wl->count[s])
                return 0;
    }
    for (uint32_t n = 0; n < sim->nnodes; n++) {
        const struct cs_node *nd = &sim->nodes[n];
        const struct cs_pool *pool = &sim->pools[nd->pool];

        if (nd->npods > pool->max_pods)
            return 0;
        for (int r = 0; r < sim->nres; r++)
            if (nd->requested.v[r] > pool->allocatable.v[r])
                return 0;
    }
    return 1;
}
