/*
 * metrics.h - a metrics-server-like pipeline.
 *
 * Every `resolution` (default 15 s) each running container is scraped: its
 * CPU is the average over the window since the previous scrape, its memory
 * the working set at the scrape. Like metrics-server, which computes CPU as
 * a rate between two cumulative readings, a container needs one full window
 * of running before it has a sample; until then the HPA sees the pod as
 * "missing" a metric.
 *
 * All ready pods of a workload receive the same share of its load, so a
 * scrape stores one sample per workload and pod class (ready at the scrape,
 * or running but not ready) and cs_metrics_pod_sample() derives any pod's
 * sample from its state times: a scrape costs O(workloads), not O(pods).
 */
#ifndef CS_CONTROLLERS_METRICS_H
#define CS_CONTROLLERS_METRICS_H

#include "core/time.h"

#include <stdint.h>

struct cs_sim;
struct cs_workload;
struct cs_pod;

/* Scrape every workload at sim->now. O(workloads). */
void cs_metrics_scrape(struct cs_sim *sim);

/* The last scrape's sample of pod p: 0 if it has none, else 1 with the
 * CPU (millicores) and memory (milli-bytes) it reported and whether it was
 * ready at the scrape. */
int cs_metrics_pod_sample(const struct cs_sim *sim, const struct cs_pod *p,
                          int64_t *cpu_m, int64_t *mem_m, int *was_ready);

/* Current CPU use (millicores) and memory (milli-bytes) of one pod in
 * state `state` of workload w, given the served rate per ready pod. */
void cs_metrics_pod_usage(const struct cs_workload *w, int state,
                          double served_pp_rate, int64_t *cpu_m,
                          int64_t *mem_m);

/* Memory m (milli-bytes) of a container leaking `growth` bytes per second
 * after `up` ms of uptime: m plus the leak, saturating at INT64_MAX
 * whatever the scenario's memoryBase and memoryGrowth. */
static inline int64_t cs_metrics_leak(int64_t m, double growth, cs_time_ms up)
{
    double add = growth * (double)up; /* bytes/s x ms = milli-bytes */

    if (!(add > 0.0))
        return m;
    if (add >= (double)(INT64_MAX - m))
        return INT64_MAX;
    return m + (int64_t)add;
}

#endif
