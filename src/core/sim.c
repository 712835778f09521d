/*
 * sim.c - the event loop and the pod lifecycle (see sim.h, workload.h).
 *
 * Pod transitions and what each one keeps exact:
 *   create       slot from the free list, workload list, counters, pending
 *                queue, a scheduler pass at this instant;
 *   STARTING     (bound by the scheduler) start-up delays drawn from the
 *                STARTUP stream, POD_STARTED pushed;
 *   RUNNING      POD_READY pushed at the first readiness probe at or after
 *                the app's warm-up (at once without a probe);
 *   READY        service integrated first: the ready count changes;
 *   TERMINATING  pending event cancelled, POD_GONE pushed at
 *                min(grace, shutdown draw);
 *   FREE         node released, scheduler re-run if pods wait.
 */
#include "core/sim.h"

#include "controllers/admission.h"
#include "controllers/autoscale.h"
#include "controllers/ca.h"
#include "controllers/nodes.h"
#include "controllers/job.h"
#include "controllers/metrics.h"
#include "controllers/replicaset.h"
#include "controllers/rollout.h"
#include "controllers/schedule.h"
#include "controllers/scheduler.h"
#include "controllers/vpa.h"
#include "io/report.h"
#include "io/scenario.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_POD UINT32_MAX

static void *grow(void *p, uint32_t *cap, size_t elem, uint32_t min)
{
    uint32_t n = *cap ? *cap * 2 : min;
    void *q = realloc(p, (size_t)n * elem);

    if (q != NULL)
        *cap = n;
    return q;
}

void cs_sim_node_name(const struct cs_sim *sim, uint32_t node, char *buf,
                      size_t n)
{
    const struct cs_node *nd = &sim->nodes[node];

    snprintf(buf, n, "%s-%u", sim->pools[nd->pool].name, nd->index_in_pool);
}

void cs_sim_pod_name(const struct cs_sim *sim, uint32_t p, char *buf, size_t n)
{
    const struct cs_pod *pod = &sim->pods[p];

    snprintf(buf, n, "%s-%llu", sim->wl[pod->workload].name,
             (unsigned long long)pod->uid);
}

void cs_sim_log(struct cs_sim *sim, const char *kind, const char *object,
                const char *reason, const char *message)
{
    if (sim->report != NULL)
        cs_report_event(sim->report, sim->now, kind, object, reason, message);
}

void cs_sim_service_advance(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];

    cs_service_advance(&wl->svcs, &wl->svc, &wl->svcd, &wl->load,
                       wl->count[CS_POD_READY], sim->now);
}

static void account_replicas(struct cs_sim *sim, struct cs_workload *wl)
{
    wl->replica_ms += (double)cs_workload_replicas(wl) *
                      (double)(sim->now - wl->replica_last);
    wl->replica_last = sim->now;
}

static void push_pod_event(struct cs_sim *sim, uint32_t p, cs_time_ms at,
                           uint32_t kind)
{
    if (at < sim->now)
        at = sim->now;
    if (cs_evq_push(&sim->q, at, kind, p, 0, &sim->pods[p].ev) < 0 &&
        sim->err == 0)
        sim->err = cs_err_set(&sim->errinfo, CS_ENOMEM, NULL, 0, 0,
                              "out of memory in the event queue");
}

void cs_sim_pod_bind(struct cs_sim *sim, uint32_t p, uint32_t n)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_node *node = &sim->nodes[n];
    const struct cs_podspec *sp =
        cs_workload_pod_spec(&sim->wl[pod->workload], pod);

    if (node->nplist == node->plist_cap) {
        uint32_t *np =
            grow(node->plist, &node->plist_cap, sizeof(*node->plist), 8);

        if (np == NULL) {
            if (sim->err == 0)
                sim->err = CS_ENOMEM;
            return;
        }
        node->plist = np;
    }
    pod->node = (int32_t)n;
    pod->node_slot = node->nplist;
    pod->bound = sim->now;
    pod->unschedulable = 0;
    node->plist[node->nplist++] = p;
    node->npods++;
    cs_resvec_add(&node->requested, &sp->requests, sim->nres);
    node->nz_cpu += sp->nz_cpu;
    node->nz_mem += sp->nz_mem;
    cs_sim_pod_set_state(sim, p, CS_POD_STARTING);
}

/* Release pod p's node (resources, count, list slot). */
static void unbind(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_node *node = &sim->nodes[pod->node];
    const struct cs_podspec *sp =
        cs_workload_pod_spec(&sim->wl[pod->workload], pod);
    uint32_t last = node->plist[--node->nplist];

    node->plist[pod->node_slot] = last;
    sim->pods[last].node_slot = pod->node_slot;
    node->npods--;
    cs_resvec_sub(&node->requested, &sp->requests, sim->nres);
    node->nz_cpu -= sp->nz_cpu;
    node->nz_mem -= sp->nz_mem;
    pod->node = -1;
}

static cs_time_ms draw(struct cs_sim *sim, const struct cs_dist *d)
{
    return cs_time_ms_from_s(
        cs_dist_sample(d, cs_rng_get(&sim->rng, CS_RNG_STARTUP)));
}

/* Time of the first readiness probe success at or after app_ready. */
static cs_time_ms probe_ready_time(const struct cs_podspec *sp,
                                   cs_time_ms started, cs_time_ms app_ready)
{
    cs_time_ms first = started + sp->probe_delay, k;

    if (!sp->has_probe)
        return started;
    if (app_ready <= first)
        k = 0;
    else
        k = (app_ready - first + sp->probe_period - 1) / sp->probe_period;
    return first + (k + sp->probe_success - 1) * sp->probe_period;
}

static void enter_starting(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    const struct cs_workload *wl = &sim->wl[pod->workload];

    pod->start_time = sim->now + draw(sim, &wl->startup.schedule);
    pod->container_start = CS_TIME_NEVER;
    pod->ready_transition = pod->start_time;
    push_pod_event(sim, p,
                   pod->start_time + draw(sim, &wl->startup.pull) +
                       draw(sim, &wl->startup.start),
                   CS_EV_POD_STARTED);
}

static void swap_slots(struct cs_sim *sim, struct cs_workload *wl, uint32_t a,
                       uint32_t b)
{
    uint32_t pa = wl->pods[a], pb = wl->pods[b];

    wl->pods[a] = pb;
    wl->pods[b] = pa;
    sim->pods[pb].slot = a;
    sim->pods[pa].slot = b;
}

void cs_sim_pod_set_steady(struct cs_sim *sim, uint32_t p, int steady)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_workload *wl = &sim->wl[pod->workload];

    if (pod->steady == (steady != 0))
        return;
    if (steady) {
        /* the last non-steady slot becomes the first steady one */
        swap_slots(sim, wl, pod->slot, wl->npods - wl->nsteady - 1);
        wl->nsteady++;
    } else {
        swap_slots(sim, wl, pod->slot, wl->npods - wl->nsteady);
        wl->nsteady--;
    }
    pod->steady = steady != 0;
}

void cs_sim_pod_set_state(struct cs_sim *sim, uint32_t p, int s)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_workload *wl = &sim->wl[pod->workload];

    if (pod->steady && s != CS_POD_READY)
        cs_sim_pod_set_steady(sim, p, 0);

    if (pod->state == CS_POD_READY || s == CS_POD_READY)
        cs_sim_service_advance(sim, pod->workload);
    if ((pod->state == CS_POD_TERMINATING) != (s == CS_POD_TERMINATING) ||
        pod->state == CS_POD_FREE || s == CS_POD_FREE)
        account_replicas(sim, wl);
    if (pod->state != CS_POD_FREE) /* FREE slots are not counted */
        wl->count[pod->state]--;
    if (s != CS_POD_FREE)
        wl->count[s]++;
    if (sim->report != NULL && !sim->warming) {
        if (pod->state == CS_POD_PENDING && s == CS_POD_STARTING)
            cs_report_pod_bound(sim->report, (int)pod->workload,
                                (double)(sim->now - pod->created) / 1000.0);
        /* the counters above already hold the new ready count */
        if ((pod->state == CS_POD_READY) != (s == CS_POD_READY))
            cs_report_capacity(sim->report, sim, (int)pod->workload, 0);
    }
    pod->state = (uint8_t)s;
    if (s == CS_POD_STARTING) {
        if (sim->warming)
            cs_sim_warm_pod(sim, p);
        else
            enter_starting(sim, p);
    }
}

static uint32_t alloc_slot(struct cs_sim *sim)
{
    uint32_t p;

    if (sim->free_head != NO_POD) {
        p = sim->free_head;
        sim->free_head = sim->pods[p].next_free;
        return p;
    }
    if (sim->npods_used == sim->npods_cap) {
        struct cs_pod *np =
            grow(sim->pods, &sim->npods_cap, sizeof(*sim->pods), 1024);

        if (np == NULL)
            return NO_POD;
        sim->pods = np;
    }
    return sim->npods_used++;
}

int cs_sim_pod_create(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];
    struct cs_pod *pod;
    uint32_t p, vspec = 0;

    if (sim->live_pods >= sim->limits.max_pods)
        return cs_err_set(&sim->errinfo, CS_ELIMIT, NULL, 0, 0,
                          "the run needs more than %u pods at once; the "
                          "limit is %u, raise it with --max-pods",
                          sim->limits.max_pods, sim->limits.max_pods);
    if (wl->npods == wl->cap) {
        uint32_t *np = grow(wl->pods, &wl->cap, sizeof(*wl->pods), 8);

        if (np == NULL)
            return CS_ENOMEM;
        wl->pods = np;
    }
    if (sim->npending == sim->pending_cap) {
        uint32_t *np =
            grow(sim->pending, &sim->pending_cap, sizeof(*sim->pending), 64);

        if (np == NULL)
            return CS_ENOMEM;
        sim->pending = np;
    }
    if (sim->vpa != NULL) { /* the VPA's mutating webhook comes first */
        int rc = cs_vpa_admit(sim, w, &vspec);

        if (rc < 0)
            return rc;
    }
    if (sim->policy != NULL) {
        char msg[512];
        const struct cs_podspec *sp =
            cs_workload_spec_of(wl, wl->revision, vspec);
        int rc = cs_admission_pod_create(sim, w, sp, msg, sizeof(msg));

        if (rc < 0) {
            char obj[160];

            snprintf(obj, sizeof(obj), "%s", wl->name);
            cs_sim_log(sim, wl->is_job ? "Job" : "ReplicaSet", obj,
                       "FailedCreate", msg);
            return rc;
        }
    }
    p = alloc_slot(sim);
    if (p == NO_POD)
        return CS_ENOMEM;
    pod = &sim->pods[p];
    memset(pod, 0, sizeof(*pod));
    pod->workload = w;
    pod->revision = wl->revision;
    pod->vspec = vspec;
    pod->node = -1;
    pod->uid = sim->next_uid++;
    pod->created = sim->now;
    pod->bound = CS_TIME_NEVER;
    pod->start_time = CS_TIME_NEVER;
    pod->container_start = CS_TIME_NEVER;
    pod->ready_transition = CS_TIME_NEVER;
    pod->slot = wl->npods;
    wl->pods[wl->npods++] = p;
    if (wl->nsteady > 0) /* keep the steady region at the end */
        swap_slots(sim, wl, pod->slot, wl->npods - wl->nsteady - 1);
    account_replicas(sim, wl);
    pod->state = CS_POD_PENDING;
    wl->count[CS_POD_PENDING]++;
    if (cs_workload_replicas(wl) > wl->peak_replicas)
        wl->peak_replicas = cs_workload_replicas(wl);
    sim->live_pods++;
    sim->pending[sim->npending++] = p;
    if (sim->vpa != NULL)
        cs_vpa_pod_created(sim, p);
    cs_sim_schedule_soon(sim);
    return 0;
}

int cs_sim_pod_resize(struct cs_sim *sim, uint32_t p, uint32_t vspec)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_workload *wl = &sim->wl[pod->workload];
    const struct cs_podspec *from = cs_workload_pod_spec(wl, pod);
    const struct cs_podspec *to = cs_workload_spec_of(wl, pod->revision, vspec);

    if (pod->node >= 0) {
        struct cs_node *node = &sim->nodes[pod->node];
        const struct cs_pool *pool = &sim->pools[node->pool];
        struct cs_resvec need = node->requested;

        cs_resvec_sub(&need, &from->requests, sim->nres);
        if (!cs_resvec_fits(&need, &to->requests, &pool->allocatable,
                            sim->nres))
            return 0;
        node->requested = need;
        cs_resvec_add(&node->requested, &to->requests, sim->nres);
        node->nz_cpu += to->nz_cpu - from->nz_cpu;
        node->nz_mem += to->nz_mem - from->nz_mem;
    }
    cs_admission_pod_resized(sim, p, from, to);
    pod->vspec = vspec;
    return 1;
}

/* Return slot p to the free list; the pod must be unbound. */
static void free_pod(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_workload *wl = &sim->wl[pod->workload];
    uint32_t last;

    cs_sim_pod_set_state(sim, p, CS_POD_FREE); /* leaves the steady region */
    /* fill the hole from the end of the non-steady region, then close the
     * gap that leaves with the very last pod */
    swap_slots(sim, wl, pod->slot, wl->npods - wl->nsteady - 1);
    last = wl->pods[wl->npods - 1];
    wl->pods[pod->slot] = last;
    sim->pods[last].slot = pod->slot;
    wl->npods--;
    pod->next_free = sim->free_head;
    sim->free_head = p;
    sim->live_pods--;
    cs_admission_pod_gone(sim, p);
}

void cs_sim_pod_delete(struct cs_sim *sim, uint32_t p)
{
    cs_sim_pod_delete_grace(sim, p, CS_TIME_NEVER);
}

void cs_sim_pod_delete_grace(struct cs_sim *sim, uint32_t p,
                             cs_time_ms grace_cap)
{
    struct cs_pod *pod = &sim->pods[p];
    const struct cs_workload *wl = &sim->wl[pod->workload];
    cs_time_ms stop;

    if (pod->ev != 0) {
        cs_evq_cancel(&sim->q, pod->ev);
        pod->ev = 0;
    }
    if (pod->node < 0) {
        /* never bound: the API server removes it at once */
        for (uint32_t i = 0; i < sim->npending; i++)
            if (sim->pending[i] == p) {
                memmove(&sim->pending[i], &sim->pending[i + 1],
                        (sim->npending - i - 1) * sizeof(*sim->pending));
                sim->npending--;
                break;
            }
        free_pod(sim, p);
        return;
    }
    cs_sim_pod_set_state(sim, p, CS_POD_TERMINATING);
    stop = draw(sim, &wl->startup.shutdown);
    if (stop > wl->spec.grace)
        stop = wl->spec.grace;
    if (stop > grace_cap)
        stop = grace_cap;
    push_pod_event(sim, p, sim->now + stop, CS_EV_POD_GONE);
}

void cs_sim_schedule_soon(struct cs_sim *sim)
{
    if (sim->sched_queued || sim->npending == 0)
        return;
    sim->sched_queued = 1;
    if (cs_evq_push(&sim->q, sim->now, CS_EV_SCHEDULE, 0, 0, NULL) < 0 &&
        sim->err == 0)
        sim->err = CS_ENOMEM;
}

void cs_sim_pod_container_started(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    const struct cs_workload *wl = &sim->wl[pod->workload];

    pod->ev = 0;
    pod->container_start = sim->now;
    pod->app_ready = sim->now + draw(sim, &wl->startup.warmup);
    cs_sim_pod_set_state(sim, p, CS_POD_RUNNING);
    push_pod_event(sim, p,
                   probe_ready_time(&wl->spec, sim->now, pod->app_ready),
                   CS_EV_POD_READY);
}

static void on_pod_ready(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    const struct cs_workload *wl = &sim->wl[pod->workload];

    pod->ev = 0;
    pod->ready_transition = sim->now;
    if (!pod->was_ready && sim->report != NULL)
        cs_report_pod_ready(sim->report, sim, p);
    pod->was_ready = 1;
    cs_sim_pod_set_state(sim, p, CS_POD_READY);
    if (wl->rolling) /* a rollout progresses as pods become available */
        cs_rollout_sync(sim, pod->workload);
    if (wl->is_job) {
        /* a batch pod works for its run time from container start */
        cs_time_ms end =
            pod->container_start +
            cs_time_ms_from_s(cs_dist_sample(
                &wl->job.duration, cs_rng_get(&sim->rng, CS_RNG_JOBS)));

        push_pod_event(sim, p, end > sim->now ? end : sim->now, CS_EV_POD_DONE);
    }
}

static void on_pod_gone(struct cs_sim *sim, uint32_t p);

/* A batch pod's containers exit: it succeeds or fails, releases its node
 * at once (a finished pod holds no resources) and the Job controller
 * counts it. */
static void on_pod_done(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    uint32_t w = pod->workload;
    int run = pod->job_run;
    int ok = gsl_rng_uniform(cs_rng_get(&sim->rng, CS_RNG_JOBS)) >=
             sim->wl[w].job.failure_p;

    on_pod_gone(sim, p);
    cs_job_pod_done(sim, w, run, ok);
}

static void on_pod_gone(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    uint32_t w = pod->workload;
    int evicted_job = pod->evicted && sim->wl[w].is_job;
    int run = pod->job_run;

    pod->ev = 0;
    unbind(sim, p);
    free_pod(sim, p);
    cs_sim_schedule_soon(sim);
    /* an evicted batch pod counts as failed (DisruptionTarget, no pod
     * failure policy) */
    if (evicted_job)
        cs_job_pod_done(sim, w, run, 0);
    if (sim->wl[w].rolling) /* an old pod gone makes room for a new one */
        cs_rollout_sync(sim, w);
}

void cs_sim_pod_kill(struct cs_sim *sim, uint32_t p)
{
    struct cs_pod *pod = &sim->pods[p];
    uint32_t w = pod->workload;
    int was_live = pod->state != CS_POD_TERMINATING;

    if (pod->ev != 0) {
        cs_evq_cancel(&sim->q, pod->ev);
        pod->ev = 0;
    }
    if (was_live)
        pod->evicted = 1;
    on_pod_gone(sim, p);
    /* a Job counted the pod as failed in on_pod_gone and retries it after
     * its backoff */
    if (was_live && !sim->wl[w].is_job)
        cs_replicaset_resync(sim, w);
}

static void on_load_point(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];
    cs_time_ms next;

    cs_sim_service_advance(sim, w);
    if (sim->report != NULL)
        cs_report_capacity(sim->report, sim, (int)w, 1);
    next = cs_load_next(&wl->load, sim->now);
    if (next != CS_TIME_NEVER && next <= sim->end)
        cs_evq_push(&sim->q, next, CS_EV_LOAD_POINT, w, 0, NULL);
}

static void periodic(struct cs_sim *sim, uint32_t kind, cs_time_ms period)
{
    if (sim->now + period <= sim->end)
        cs_evq_push(&sim->q, sim->now + period, kind, 0, 0, NULL);
}

static void dispatch(struct cs_sim *sim, const struct cs_event *ev)
{
    switch (ev->kind) {
    case CS_EV_SCRAPE:
        cs_metrics_scrape(sim);
        periodic(sim, CS_EV_SCRAPE, sim->scrape_period);
        break;
    case CS_EV_HPA_SYNC:
        cs_autoscale_sync(sim);
        periodic(sim, CS_EV_HPA_SYNC, sim->hpa_period);
        break;
    case CS_EV_SAMPLE:
        /* a row at T shows everything that happens at T: while other
         * events of this instant are queued (an HPA sync pushed after this
         * sample when the periods differ, a schedule firing), run them
         * first by queueing the sample again behind them */
        if (cs_evq_peek_time(&sim->q) == sim->now) {
            if (cs_evq_push(&sim->q, sim->now, CS_EV_SAMPLE, 0, 0, NULL) < 0)
                sim->err = CS_ENOMEM;
            break;
        }
        /* pods created at this instant (by the HPA pass just before) are
         * placed before the sample, as the scheduler would within
         * milliseconds; the queued pass then finds nothing to do */
        if (sim->sched_queued) {
            sim->sched_queued = 0;
            cs_scheduler_pass(sim);
        }
        if (sim->report != NULL)
            cs_report_sample(sim->report, sim);
        periodic(sim, CS_EV_SAMPLE, sim->sample_step);
        break;
    case CS_EV_SCHEDULE:
        sim->sched_queued = 0;
        cs_scheduler_pass(sim);
        break;
    case CS_EV_LOAD_POINT:
        on_load_point(sim, ev->a);
        break;
    case CS_EV_CRON:
        cs_schedule_fire(sim, ev->a);
        break;
    case CS_EV_POD_DONE:
        on_pod_done(sim, ev->a);
        break;
    case CS_EV_JOB:
        cs_job_event(sim, ev->a, ev->b);
        break;
    case CS_EV_NODE:
        cs_node_event(sim, ev->a, (uint32_t)ev->b);
        break;
    case CS_EV_CA:
        cs_ca_event(sim, ev->a, (uint32_t)ev->b);
        break;
    case CS_EV_SPOT:
        cs_node_reclaim(sim, (int)ev->a);
        break;
    case CS_EV_RS_RETRY:
        sim->wl[ev->a].rs_retry_pending = 0;
        cs_replicaset_resync(sim, ev->a);
        break;
    case CS_EV_POD_STARTED:
    case CS_EV_POD_RESTART:
        cs_sim_pod_container_started(sim, ev->a);
        break;
    case CS_EV_VPA:
        cs_vpa_event(sim, ev->a);
        break;
    case CS_EV_POD_READY:
        on_pod_ready(sim, ev->a);
        break;
    case CS_EV_POD_GONE:
        on_pod_gone(sim, ev->a);
        break;
    default:
        break;
    }
}

int cs_sim_run(struct cs_sim *sim)
{
    struct cs_event ev;

    while (sim->err == 0 && cs_evq_pop(&sim->q, &ev)) {
        if (ev.time > sim->end)
            break;
        if (sim->interrupt != NULL && *sim->interrupt) {
            sim->err = cs_err_set(&sim->errinfo, CS_EINTR, NULL, 0, 0,
                                  "interrupted at simulated %.3f s of %.3f s",
                                  (double)sim->now / 1000.0,
                                  (double)sim->end / 1000.0);
            return sim->err;
        }
        if (ev.time != sim->now) {
            sim->now = ev.time;
            sim->instant_events = 0;
        } else if (++sim->instant_events > sim->limits.instant_events) {
            sim->err = cs_err_set(
                &sim->errinfo, CS_ELIMIT, NULL, 0, 0,
                "more than %llu events at simulated time %.3f s without "
                "time passing: the scenario loops (a zero delay?)",
                (unsigned long long)sim->limits.instant_events,
                (double)sim->now / 1000.0);
            return sim->err;
        }
        if ((++sim->events_run & (CS_SIM_PROGRESS_EVENTS - 1)) == 0 &&
            sim->progress != NULL)
            sim->progress(sim->progress_ctx, sim);
        dispatch(sim, &ev);
    }
    sim->now = sim->end;
    for (int w = 0; w < sim->nwl; w++) {
        cs_sim_service_advance(sim, (uint32_t)w);
        account_replicas(sim, &sim->wl[w]);
        /* a trace that changed under the run is an error, not a result */
        if (sim->err == 0 && cs_load_status(&sim->wl[w].load, &sim->errinfo))
            sim->err = CS_EIO;
    }
    assert(cs_sim_check(sim));
    assert(cs_evq_check(&sim->q));
    return sim->err;
}
