/*
 * service.h - what a workload's pods do with the requests they receive.
 *
 * Model (docs/service-model.md says why):
 *   - a Service spreads the workload's request rate evenly over its ready
 *     pods;
 *   - each pod is an M/M/c queue: its c servers are the CPU it may use for
 *     requests (c = floor(available cores), at least 1; a fractional CPU
 *     slows the one server down), and each request needs `cpu_s` seconds of
 *     CPU; `base_latency_s` (time spent on databases and the network) is
 *     added to every response;
 *   - when arrivals exceed capacity the excess queues as a fluid backlog;
 *     a request that would wait longer than the timeout is dropped, so the
 *     backlog never exceeds timeout x capacity;
 *   - with no ready pod every request is dropped.
 * CPU use of a pod is idle CPU plus served requests x cpu_s, never above the
 * pod's CPU capacity; memory is a base plus a share per request in flight.
 *
 * cs_service_advance() integrates from the last evaluation time to `now`
 * with the state that held over that interval; callers advance BEFORE they
 * change the ready-pod count or cross a load breakpoint, so every interval
 * has constant capacity and a linear rate (integrated exactly).
 */
#ifndef CS_MODEL_SERVICE_H
#define CS_MODEL_SERVICE_H

#include "core/time.h"
#include "model/load.h"

#include <stdint.h>

struct cs_svc_model {
    double cpu_s;            /* CPU seconds per request */
    double idle_cpu;         /* cores used by an idle pod */
    double cpu_capacity;     /* cores a pod may use (its limit) */
    double mem_base;         /* bytes used by an idle pod */
    double mem_per_inflight; /* bytes per request in flight */
    double mem_growth;       /* bytes per second of container uptime (a
                                leak; memoryGrowth, given per hour) */
    double base_latency_s;   /* non-CPU part of each response */
    double timeout_s;        /* a request waiting longer is dropped */
};

struct cs_svc_state {
    cs_time_ms last;      /* time the state was integrated to */
    double backlog;       /* queued requests over all ready pods */
    double cum_arrived;   /* requests since the start */
    double cum_served;    /* requests served since the start */
    double cum_dropped;   /* requests dropped since the start */
    double cum_served_pp; /* integral of served rate per ready pod */
    double rate;          /* arrival rate at `last` (rps) */
    /* cache for cs_service_p95 */
    double p95_lambda, p95_value;
    int32_t p95_ready;
};

/* Derived per-pod constants. */
struct cs_svc_derived {
    int c;     /* servers */
    double mu; /* per-server service rate (1/s) */
};

void cs_service_derive(const struct cs_svc_model *m, struct cs_svc_derived *d);

void cs_service_init(struct cs_svc_state *s, struct cs_load *l, cs_time_ms now);

/* Integrate the state from s->last to now with `ready` pods, then evaluate
 * the rate at now. O(1). */
void cs_service_advance(struct cs_svc_state *s, const struct cs_svc_model *m,
                        const struct cs_svc_derived *d, struct cs_load *l,
                        int32_t ready, cs_time_ms now);

/* p95 response time (seconds) at the current state with `ready` pods;
 * +inf with no ready pod. Cached while rate and ready are unchanged. */
double cs_service_p95(struct cs_svc_state *s, const struct cs_svc_model *m,
                      const struct cs_svc_derived *d, int32_t ready);

/* Requests each ready pod serves per second now: its share of the rate,
 * at most its capacity, and the capacity while a backlog drains. */
double cs_service_served_per_pod(const struct cs_svc_state *s,
                                 const struct cs_svc_derived *d, int32_t ready);

/* Requests in flight per ready pod (Little's law plus backlog share). */
double cs_service_inflight_per_pod(const struct cs_svc_state *s,
                                   const struct cs_svc_model *m,
                                   const struct cs_svc_derived *d,
                                   int32_t ready);

#define CS_SVC_DEMAND_MAX 10000000

/* The fewest ready pods that serve `rate` requests/s below saturation and,
 * when slo_s > 0, with a steady-state p95 response time <= slo_s: the
 * capacity the load needs. 0 when rate is 0. An objective below what any
 * number of pods achieves (base latency plus the p95 of one service) is
 * ignored. At most CS_SVC_DEMAND_MAX. O(c) per pod count tried. */
int32_t cs_service_demand(const struct cs_svc_model *m,
                          const struct cs_svc_derived *d, double rate,
                          double slo_s);

/* Probability that an M/M/c arrival waits (Erlang C) for offered load
 * a = lambda/mu (a < c). Exposed for tests. */
double cs_erlang_c(int c, double a);

/* p95 of the M/M/c sojourn time (seconds); lambda < c*mu. Exposed for
 * tests. */
double cs_mmc_sojourn_quantile(int c, double mu, double lambda, double q);

#endif
