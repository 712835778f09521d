/* oom.c - memory limits, OOM kills and CrashLoopBackOff (see oom.h). */
#include "controllers/oom.h"

#include "controllers/metrics.h"
#include "controllers/vpa.h"
#include "core/sim.h"

#include <stdio.h>

/* Memory (milli-bytes) pod p of w uses now, its container running. */
static int64_t pod_memory(const struct cs_sim *sim, const struct cs_workload *w,
                          const struct cs_pod *p)
{
    int64_t m =
        p->state == CS_POD_READY ? w->sample_ready_mem_m : w->sample_idle_mem_m;

    if (w->svc.mem_growth > 0)
        m = cs_metrics_leak(m, w->svc.mem_growth,
                            sim->now - p->container_start);
    return m;
}

/* Milli-bytes as whole mebibytes, rounded ("512Mi"). */
static void fmt_mem(char *buf, size_t n, int64_t milli)
{
    snprintf(buf, n, "%lldMi", (long long)((milli / 1000 + (1 << 19)) >> 20));
}

static void oom_kill(struct cs_sim *sim, uint32_t p, int64_t used, int64_t lim)
{
    struct cs_pod *pod = &sim->pods[p];
    struct cs_workload *w = &sim->wl[pod->workload];
    const char *ctr =
        cs_workload_pod_spec(w, pod)->c[w->serving_container].name;
    char obj[200], msg[400], u[32], l[32];

    pod->oom_ran = sim->now - pod->container_start;
    pod->oom_last = 1;
    pod->restarts++;
    w->oom_kills++;
    if (sim->vpa != NULL)
        cs_vpa_pod_oom(sim, p);
    if (pod->ev != 0) { /* a readiness transition that will not come */
        cs_evq_cancel(&sim->q, pod->ev);
        pod->ev = 0;
    }
    if (pod->state == CS_POD_READY)
        cs_sim_pod_set_state(sim, p, CS_POD_RUNNING);
    pod->container_start = CS_TIME_NEVER;
    if (pod->backoff == 0 || sim->now - pod->backoff_at > 2 * CS_BACKOFF_MAX)
        pod->backoff = CS_BACKOFF_INITIAL;
    else if (2 * pod->backoff <= CS_BACKOFF_MAX)
        pod->backoff *= 2;
    else
        pod->backoff = CS_BACKOFF_MAX;
    pod->backoff_at = sim->now;
    if (cs_evq_push(&sim->q, sim->now + pod->backoff, CS_EV_POD_RESTART, p, 0,
                    &pod->ev) < 0 &&
        sim->err == 0)
        sim->err = CS_ENOMEM;
    cs_sim_pod_name(sim, p, obj, sizeof(obj));
    fmt_mem(u, sizeof(u), used);
    fmt_mem(l, sizeof(l), lim);
    snprintf(msg, sizeof(msg),
             "Container %s was OOMKilled: it used %s, over its memory limit "
             "%s (restart %u)",
             ctr, u, l, (unsigned)pod->restarts);
    cs_sim_log(sim, "Pod", obj, "OOMKilled", msg);
    snprintf(msg, sizeof(msg),
             "Back-off %llds restarting failed container=%s pod=%s",
             (long long)(pod->backoff / 1000), ctr, obj);
    cs_sim_log(sim, "Pod", obj, "BackOff", msg);
}

void cs_oom_check(struct cs_sim *sim, uint32_t wi)
{
    struct cs_workload *w = &sim->wl[wi];
    int64_t worst = w->sample_ready_mem_m > w->sample_idle_mem_m
                        ? w->sample_ready_mem_m
                        : w->sample_idle_mem_m;

    if (w->min_mem_limit_m == INT64_MAX ||
        (w->svc.mem_growth <= 0 && worst <= w->min_mem_limit_m))
        return;
    /* a kill may move the pod out of the steady region: it swaps places
     * with the region's first pod, which this walk has already seen */
    for (uint32_t i = 0; i < w->npods && sim->err == 0; i++) {
        uint32_t p = w->pods[i];
        const struct cs_pod *pod = &sim->pods[p];
        int64_t used, lim;

        if ((pod->state != CS_POD_RUNNING && pod->state != CS_POD_READY) ||
            pod->container_start > sim->now)
            continue;
        lim = cs_podspec_mem_limit(cs_workload_pod_spec(w, pod),
                                   w->serving_container);
        used = pod_memory(sim, w, pod);
        if (used > lim)
            oom_kill(sim, p, used, lim);
    }
}
