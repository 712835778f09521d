/*
 * autoscale.c - feeding the upstream HPA algorithm from the simulation
 * (see autoscale.h).
 *
 * Pod view (what the API would show):
 *   PENDING      phase Pending, no Ready condition, no start time
 *   STARTING     phase Pending, Ready False since status.startTime
 *   RUNNING      phase Running, Ready False
 *   READY        phase Running, Ready True since it passed its probe
 *   TERMINATING  phase Running with a deletion timestamp (ignored)
 * Object and External metrics read a workload-level quantity through an
 * adapter with a delay and an averaging window, kept as a short history of
 * the values seen at each sync.
 */
#include "controllers/autoscale.h"
#include "model/action.h"

#include "controllers/hpa.h"
#include "controllers/metrics.h"
#include "controllers/replicaset.h"
#include "core/sim.h"
#include "io/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HIST_MAX 512 /* samples kept per feed */

struct feed_hist {
    cs_time_ms t[HIST_MAX];
    double v[HIST_MAX];
    size_t head, n;
};

struct hpa_rt {
    const struct cs_scenario_hpa *sh;
    /* the run's copy of the spec, which scheduled actions may patch */
    struct cs_hpa_spec spec;
    struct cs_hpa_metric_spec metrics[CS_HPA_MAX_METRICS];
    struct cs_hpa_state st;
    struct cs_hpa_condition prev[CS_HPA_COND_COUNT];
    struct cs_hpa_metric_input in[CS_HPA_MAX_METRICS];
    int64_t values[CS_HPA_MAX_METRICS];
    struct cs_hpa_pod *pods[CS_HPA_MAX_METRICS];
    size_t pods_cap[CS_HPA_MAX_METRICS];
    struct feed_hist *hist[CS_HPA_MAX_METRICS];
};

struct cs_autoscale {
    int n;
    struct hpa_rt *h;
    struct cs_hpa_result res;
};

int cs_autoscale_create(struct cs_sim *sim, struct cs_err *err)
{
    const struct cs_scenario *sc = sim->sc;
    struct cs_autoscale *as = calloc(1, sizeof(*as));

    if (as == NULL ||
        (as->h = calloc((size_t)sc->nhpas, sizeof(*as->h))) == NULL) {
        free(as);
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    as->n = sc->nhpas;
    sim->as = as;
    for (int i = 0; i < as->n; i++) {
        struct hpa_rt *h = &as->h[i];
        size_t nm = cs_hpa_spec_metric_count(&sc->hpas[i].spec);

        h->sh = &sc->hpas[i];
        h->spec = h->sh->spec;
        for (size_t m = 0; m < h->spec.n_metrics && m < CS_HPA_MAX_METRICS; m++)
            h->metrics[m] = h->sh->spec.metrics[m];
        h->spec.metrics = h->metrics;
        cs_hpa_state_init(&h->st);
        for (size_t m = 0; m < nm; m++) {
            const struct cs_hpa_metric_spec *ms =
                cs_hpa_spec_metric(&h->spec, m);

            if (ms->source != CS_HPA_SOURCE_OBJECT &&
                ms->source != CS_HPA_SOURCE_EXTERNAL)
                continue;
            h->hist[m] = calloc(1, sizeof(*h->hist[m]));
            if (h->hist[m] == NULL)
                return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    return 0;
}

void cs_autoscale_destroy(struct cs_autoscale *as)
{
    if (as == NULL)
        return;
    for (int i = 0; i < as->n; i++) {
        cs_hpa_state_fini(&as->h[i].st);
        for (int m = 0; m < CS_HPA_MAX_METRICS; m++) {
            free(as->h[i].pods[m]);
            free(as->h[i].hist[m]);
        }
    }
    free(as->h);
    free(as);
}

const struct cs_hpa_spec *cs_autoscale_spec(const struct cs_sim *sim, int h)
{
    return sim->as != NULL ? &sim->as->h[h].spec : &sim->sc->hpas[h].spec;
}

/* The metric a utilization patch applies to: metric_index, else the first
 * cpu Resource metric; the default metric is made explicit first. */
static struct cs_hpa_metric_spec *patch_metric(struct hpa_rt *h, int index)
{
    if (h->spec.n_metrics == 0) {
        h->metrics[0] = *cs_hpa_spec_metric(&h->spec, 0);
        h->spec.n_metrics = 1;
    }
    if (index >= 0)
        return (size_t)index < h->spec.n_metrics ? &h->metrics[index] : NULL;
    for (size_t m = 0; m < h->spec.n_metrics; m++)
        if (h->metrics[m].source == CS_HPA_SOURCE_RESOURCE &&
            h->metrics[m].resource != NULL &&
            strcmp(h->metrics[m].resource, "cpu") == 0)
            return &h->metrics[m];
    return NULL;
}

void cs_autoscale_patch(struct cs_sim *sim, int hi, const struct cs_action *a)
{
    struct hpa_rt *h;
    struct cs_hpa_metric_spec *m;

    if (sim->as == NULL || hi < 0 || hi >= sim->as->n)
        return;
    h = &sim->as->h[hi];
    if (a->min_replicas >= 0) {
        h->spec.has_min = true;
        h->spec.min_replicas = a->min_replicas;
    }
    if (a->max_replicas >= 0)
        h->spec.max_replicas = a->max_replicas;
    if (a->utilization >= 0 && (m = patch_metric(h, a->metric_index)) != NULL) {
        m->target_type = CS_HPA_TARGET_UTILIZATION;
        m->target = a->utilization;
    }
}

int cs_autoscale_cpu_target(const struct cs_sim *sim, int w)
{
    const struct cs_hpa_spec *s;
    size_t nm;

    if (sim->wl[w].hpa < 0)
        return -1;
    s = cs_autoscale_spec(sim, sim->wl[w].hpa);
    nm = cs_hpa_spec_metric_count(s);
    for (size_t i = 0; i < nm; i++) {
        const struct cs_hpa_metric_spec *m = cs_hpa_spec_metric(s, i);

        if ((m->source == CS_HPA_SOURCE_RESOURCE ||
             m->source == CS_HPA_SOURCE_CONTAINER_RESOURCE) &&
            m->target_type == CS_HPA_TARGET_UTILIZATION &&
            strcmp(m->resource, "cpu") == 0)
            return (int)m->target;
    }
    return -1;
}

/* Workload-level value of a custom metric source, in base units. */
static double source_value(struct cs_sim *sim, int w, int src, int per_pod)
{
    struct cs_workload *wl = &sim->wl[w];
    int32_t ready = wl->count[CS_POD_READY];
    double v;

    cs_sim_service_advance(sim, (uint32_t)w);
    switch (src) {
    case CS_MSRC_RPS:
        v = per_pod ? wl->cpu_pp_rate : wl->svcs.rate;
        break;
    case CS_MSRC_INFLIGHT:
        v = cs_service_inflight_per_pod(&wl->svcs, &wl->svc, &wl->svcd, ready);
        if (!per_pod)
            v *= ready;
        break;
    case CS_MSRC_QUEUE:
        v = wl->svcs.backlog;
        if (per_pod)
            v = ready > 0 ? v / ready : 0;
        break;
    case CS_MSRC_LATENCY_MS:
        v = cs_service_p95(&wl->svcs, &wl->svc, &wl->svcd, ready) * 1000.0;
        if (!isfinite(v))
            v = wl->svc.timeout_s * 1000.0;
        break;
    default: /* CS_MSRC_CPU */
        v = wl->svc.idle_cpu + wl->cpu_pp_rate * wl->svc.cpu_s;
        if (!per_pod)
            v *= ready;
        break;
    }
    return v;
}

static int64_t to_milli(double v)
{
    if (!(v > 0))
        return 0;
    if (v > 9.0e15)
        return INT64_MAX;
    return (int64_t)llround(v * 1000.0);
}

/* Value an adapter reports now: the mean of the values seen in
 * [now - delay - window, now - delay] (the last one before if none). */
static double adapter_value(struct feed_hist *hh, cs_time_ms now,
                            cs_time_ms delay, cs_time_ms window, double cur)
{
    cs_time_ms hi = now - delay, lo = hi - window;
    double sum = 0, last = NAN;
    size_t cnt = 0;

    hh->t[hh->head] = now;
    hh->v[hh->head] = cur;
    hh->head = (hh->head + 1) % HIST_MAX;
    if (hh->n < HIST_MAX)
        hh->n++;
    for (size_t k = 0; k < hh->n; k++) {
        size_t i = (hh->head + HIST_MAX - 1 - k) % HIST_MAX;

        if (hh->t[i] > hi)
            continue;
        if (isnan(last))
            last = hh->v[i];
        if (hh->t[i] < lo)
            break;
        sum += hh->v[i];
        cnt++;
    }
    if (cnt > 0)
        return sum / (double)cnt;
    return isnan(last) ? 0 : last;
}

static void pod_status(const struct cs_sim *sim, const struct cs_pod *p,
                       struct cs_hpa_pod *o)
{
    o->name = NULL;
    o->deleted = false;
    o->sample = 0;
    o->has_start = p->start_time <= sim->now;
    o->start = p->start_time;
    o->ready_transition = p->ready_transition;
    switch (p->state) {
    case CS_POD_PENDING:
        o->phase = CS_HPA_POD_PENDING;
        o->ready = CS_HPA_READY_NONE;
        o->has_start = false;
        break;
    case CS_POD_STARTING:
        o->phase = CS_HPA_POD_PENDING;
        o->ready = o->has_start ? CS_HPA_READY_FALSE : CS_HPA_READY_NONE;
        break;
    case CS_POD_READY:
        o->phase = CS_HPA_POD_RUNNING;
        o->ready = CS_HPA_READY_TRUE;
        break;
    case CS_POD_TERMINATING:
        o->deleted = true;
        o->phase = CS_HPA_POD_RUNNING;
        o->ready = CS_HPA_READY_FALSE;
        break;
    default:
        o->phase = CS_HPA_POD_RUNNING;
        o->ready = CS_HPA_READY_FALSE;
        break;
    }
}

/* Request of resource `res` for the metric: the named container's, or the
 * sum over containers (missing if any container lacks it). */
static void pod_request(const struct cs_podspec *sp, int res, int container,
                        struct cs_hpa_pod *o)
{
    o->has_request = true;
    o->request = 0;
    for (int c = 0; c < sp->ncontainers; c++) {
        if (container >= 0 && c != container)
            continue;
        if (!(sp->c[c].req_set & (1u << res)))
            o->has_request = false;
        o->request += sp->c[c].req.v[res];
    }
}

static int container_index(const struct cs_workload *w, const char *name)
{
    for (int c = 0; c < w->spec.ncontainers; c++)
        if (strcmp(w->spec.c[c].name, name) == 0)
            return c;
    return -1;
}

static int ensure_pods(struct hpa_rt *h, size_t m, size_t n)
{
    if (n <= h->pods_cap[m])
        return 0;
    n = n < 64 ? 64 : n * 2;
    free(h->pods[m]);
    h->pods[m] = malloc(n * sizeof(*h->pods[m]));
    h->pods_cap[m] = h->pods[m] ? n : 0;
    return h->pods[m] ? 0 : CS_ENOMEM;
}

/* Per-pod inputs for a Resource, ContainerResource or Pods metric (for
 * Object and External ones, the pods only count as ready or not). The
 * request is the same for every pod of a Deployment, so it is computed once
 * per metric. */
static void fill_pod(const struct cs_sim *sim, const struct cs_workload *w,
                     const struct cs_pod *p, int per_pod, int64_t pp, int res,
                     int ctr, const struct cs_hpa_pod *req,
                     struct cs_hpa_pod *o)
{
    int64_t cpu = 0, mem = 0;
    int was_ready = 0;

    o->count = 1;
    pod_status(sim, p, o);
    o->has_request = req->has_request;
    o->request = req->request;
    o->has_sample = cs_metrics_pod_sample(sim, p, &cpu, &mem, &was_ready);
    o->sample_time = w->last_scrape;
    o->sample_window = sim->scrape_period;
    if (per_pod)
        o->sample = was_ready ? pp : 0;
    else if (res >= 0)
        o->sample = res == CS_RES_CPU ? cpu : mem;
    /* usage belongs to the serving container; others use none */
    if (ctr >= 0 && ctr != w->serving_container)
        o->sample = 0;
}

static int build_pods(struct cs_sim *sim, struct hpa_rt *h, size_t m,
                      const struct cs_hpa_metric_spec *ms,
                      const struct cs_metric_feed *f)
{
    struct cs_workload *w = &sim->wl[h->sh->workload];
    int res = -1, ctr = -1, per_pod = 0;
    int64_t pp = 0;
    struct cs_hpa_pod req;
    size_t n;
    cs_time_ms steady_before;
    int mixed = w->nvspecs > 0; /* pods' requests may differ */

    if (ensure_pods(h, m, (size_t)w->npods + 1) < 0)
        return CS_ENOMEM;
    memset(&req, 0, sizeof(req));
    if (ms->source == CS_HPA_SOURCE_PODS) {
        pp = to_milli(source_value(sim, f->workload, f->source, 1));
        per_pod = 1;
    } else if (ms->source == CS_HPA_SOURCE_RESOURCE ||
               ms->source == CS_HPA_SOURCE_CONTAINER_RESOURCE) {
        res = strcmp(ms->resource, "cpu") == 0 ? CS_RES_CPU : CS_RES_MEMORY;
        if (ms->source == CS_HPA_SOURCE_CONTAINER_RESOURCE)
            ctr = container_index(w, ms->container);
        pod_request(&w->spec, res, ctr, &req);
    }
    /* Entry 0 folds the steady pods (workload.h): Ready at the last scrape
     * and past the CPU initialization period, so they count as ready
     * whatever their exact times (§3.1) and all carry the same sample and
     * request. Only the other pods are walked, so a sync costs O(pods that
     * changed lately), not O(pods). */
    n = 1;
    steady_before = sim->now - sim->sc->hpa_cfg.cpu_init_period;
    for (uint32_t i = 0; i < w->npods - w->nsteady;) {
        uint32_t pi = w->pods[i];
        const struct cs_pod *p = &sim->pods[pi];

        if (p->state == CS_POD_READY && p->ready_transition <= w->last_scrape &&
            p->start_time <= steady_before &&
            p->container_start <= w->last_scrape - sim->scrape_period) {
            cs_sim_pod_set_steady(sim, pi, 1); /* slot i gets another pod */
            continue;
        }
        if (mixed && res >= 0)
            pod_request(cs_workload_pod_spec(w, p), res, ctr, &req);
        fill_pod(sim, w, p, per_pod, pp, res, ctr, &req, &h->pods[m][n++]);
        i++;
    }
    h->pods[m][0].count = 0;
    /* pods a VPA gave other requests: each steady pod is its own entry */
    for (uint32_t i = w->npods - w->nsteady; mixed && i < w->npods; i++) {
        const struct cs_pod *p = &sim->pods[w->pods[i]];
        struct cs_hpa_pod *o = &h->pods[m][n++];

        if (res >= 0)
            pod_request(cs_workload_pod_spec(w, p), res, ctr, &req);
        fill_pod(sim, w, p, per_pod, pp, res, ctr, &req, o);
        o->start = steady_before;
        o->ready_transition = steady_before;
    }
    if (w->nsteady > 0 && !mixed) {
        struct cs_hpa_pod *agg = &h->pods[m][0];

        fill_pod(sim, w, &sim->pods[w->pods[w->npods - 1]], per_pod, pp, res,
                 ctr, &req, agg);
        agg->start = steady_before;
        agg->ready_transition = steady_before;
        agg->count = w->nsteady;
    }
    h->in[m].pods = h->pods[m][0].count > 0 ? h->pods[m] : h->pods[m] + 1;
    h->in[m].n_pods = h->pods[m][0].count > 0 ? n : n - 1;
    return 0;
}

static int build_inputs(struct cs_sim *sim, struct hpa_rt *h)
{
    size_t nm = cs_hpa_spec_metric_count(&h->spec);

    for (size_t m = 0; m < nm; m++) {
        const struct cs_hpa_metric_spec *ms = cs_hpa_spec_metric(&h->spec, m);
        const struct cs_metric_feed *f = &h->sh->feeds[m];

        memset(&h->in[m], 0, sizeof(h->in[m]));
        if (ms->source == CS_HPA_SOURCE_OBJECT ||
            ms->source == CS_HPA_SOURCE_EXTERNAL) {
            double cur = source_value(sim, f->workload, f->source, 0);

            h->values[m] = to_milli(
                adapter_value(h->hist[m], sim->now, f->delay, f->window, cur));
            h->in[m].values = &h->values[m];
            h->in[m].n_values = 1;
            /* the pods still count for the ready-pod multiplier */
            if (build_pods(sim, h, m, ms, f) < 0)
                return CS_ENOMEM;
            continue;
        }
        if (build_pods(sim, h, m, ms, f) < 0)
            return CS_ENOMEM;
    }
    return 0;
}

static void log_conditions(struct cs_sim *sim, struct hpa_rt *h)
{
    char msg[CS_HPA_MSG_MAX + 64];

    for (int c = 0; c < CS_HPA_COND_COUNT; c++) {
        const struct cs_hpa_condition *now = &h->st.cond[c];
        struct cs_hpa_condition *was = &h->prev[c];

        if (now->status == CS_HPA_COND_UNSET)
            continue;
        /* reasons are static texts: equal reasons are equal pointers */
        if (now->status == was->status && now->reason == was->reason)
            continue;
        snprintf(msg, sizeof(msg), "%s=%s: %s",
                 cs_hpa_cond_type_name((enum cs_hpa_cond_type)c),
                 cs_hpa_cond_status_name(now->status), now->message);
        cs_sim_log(sim, "HorizontalPodAutoscaler", h->spec.name, now->reason,
                   msg);
        *was = *now;
    }
}

static void sync_one(struct cs_sim *sim, struct cs_autoscale *as,
                     struct hpa_rt *h)
{
    struct cs_workload *w = &sim->wl[h->sh->workload];
    struct cs_hpa_result *r = &as->res;

    if (build_inputs(sim, h) < 0) {
        sim->err =
            cs_err_set(&sim->errinfo, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return;
    }
    if (cs_hpa_reconcile(&sim->sc->hpa_cfg, &h->spec, &h->st, sim->now,
                         w->spec_replicas, cs_workload_replicas(w), h->in,
                         r) == CS_ENOMEM) {
        sim->err =
            cs_err_set(&sim->errinfo, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return;
    }
    for (size_t e = 0; e < r->n_events; e++)
        cs_sim_log(sim, "HorizontalPodAutoscaler", h->spec.name,
                   r->events[e].reason, r->events[e].message);
    log_conditions(sim, h);
    if (sim->on_hpa_pass != NULL)
        sim->on_hpa_pass(sim->hook_ctx, sim, (int)(h - as->h), r);
    if (r->rescale)
        cs_replicaset_scale(sim, (uint32_t)h->sh->workload,
                            r->desired_replicas);
}

void cs_autoscale_sync(struct cs_sim *sim)
{
    struct cs_autoscale *as = sim->as;

    for (int i = 0; i < as->n && sim->err == 0; i++)
        sync_one(sim, as, &as->h[i]);
}
