/* metrics.c - scraping pod usage (see metrics.h). */
#include "controllers/metrics.h"

#include "controllers/oom.h"
#include "core/sim.h"

#include <math.h>

void cs_metrics_pod_usage(const struct cs_workload *w, int state,
                          double served_pp_rate, int64_t *cpu_m, int64_t *mem_m)
{
    double cpu = w->svc.idle_cpu, mem = w->svc.mem_base;

    if (state == CS_POD_READY) {
        int32_t ready = w->count[CS_POD_READY];

        cpu += served_pp_rate * w->svc.cpu_s;
        mem += w->svc.mem_per_inflight *
               cs_service_inflight_per_pod(&w->svcs, &w->svc, &w->svcd, ready);
    }
    if (cpu > w->svc.cpu_capacity)
        cpu = w->svc.cpu_capacity;
    *cpu_m = (int64_t)llround(cpu * 1000.0);
    *mem_m = (int64_t)llround(mem * 1000.0);
}

static void scrape_workload(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];
    double rate;

    cs_sim_service_advance(sim, w);
    if (wl->last_scrape >= 0 && sim->now > wl->last_scrape)
        rate = (wl->svcs.cum_served_pp - wl->served_pp_at_scrape) * 1000.0 /
               (double)(sim->now - wl->last_scrape);
    else
        rate = cs_service_served_per_pod(&wl->svcs, &wl->svcd,
                                         wl->count[CS_POD_READY]);
    wl->cpu_pp_rate = rate;
    wl->served_pp_at_scrape = wl->svcs.cum_served_pp;
    wl->last_scrape = sim->now;
    cs_metrics_pod_usage(wl, CS_POD_READY, rate, &wl->sample_ready_cpu_m,
                         &wl->sample_ready_mem_m);
    cs_metrics_pod_usage(wl, CS_POD_RUNNING, rate, &wl->sample_idle_cpu_m,
                         &wl->sample_idle_mem_m);
}

int cs_metrics_pod_sample(const struct cs_sim *sim, const struct cs_pod *p,
                          int64_t *cpu_m, int64_t *mem_m, int *was_ready)
{
    const struct cs_workload *wl = &sim->wl[p->workload];
    cs_time_ms s = wl->last_scrape;

    /* running for one whole window before the scrape */
    if (s < 0 || p->state < CS_POD_RUNNING ||
        p->container_start > s - sim->scrape_period)
        return 0;
    *was_ready = p->was_ready && p->ready_transition <= s;
    *cpu_m = *was_ready ? wl->sample_ready_cpu_m : wl->sample_idle_cpu_m;
    *mem_m = *was_ready ? wl->sample_ready_mem_m : wl->sample_idle_mem_m;
    if (wl->svc.mem_growth > 0) /* a leak: memory grows with uptime */
        *mem_m =
            cs_metrics_leak(*mem_m, wl->svc.mem_growth, s - p->container_start);
    return 1;
}

void cs_metrics_scrape(struct cs_sim *sim)
{
    for (int w = 0; w < sim->nwl; w++) {
        scrape_workload(sim, (uint32_t)w);
        cs_oom_check(sim, (uint32_t)w);
    }
}
