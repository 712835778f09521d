/*
 * figures.h - the summary figures of a run, accumulated as it goes.
 *
 * One struct cs_figures per workload (and one for the whole run) is fed
 * the samples of the timeline, the pending time of every pod, every
 * rescale and every change of capacity, and yields the figures of
 * summary.csv (docs/figures.md defines each one), plus every pod's time
 * to capacity split in stages. Nothing here knows the simulator: tests
 * feed hand-computed timelines.
 *
 * Time weighting: sample i stands for the interval [t_i, t_{i+1}), so a
 * figure "time with X" is the sum of those intervals where X held at their
 * start, and the intervals add up to the run's duration.
 *
 * Ownership: cs_figures_init/fini; the figures own their sample arrays.
 * An allocation failure is sticky (`err`) and reported by
 * cs_figures_finish.
 */
#ifndef CS_IO_FIGURES_H
#define CS_IO_FIGURES_H

#include "core/time.h"

#include <stddef.h>
#include <stdint.h>

struct cs_fig_dvec {
    double *v;
    size_t n, cap;
};

/* What the timeline says at one sample time. */
struct cs_fig_sample {
    cs_time_ms t;
    int32_t replicas; /* non-terminating pods */
    int32_t ready;    /* supply: ready pods */
    int32_t demand;   /* pods the load needed (see cs_service_demand) */
    int over_slo;     /* latency above the objective, or traffic with no
                         ready pod to serve it */
    int over_target;  /* CPU utilization above the HPA's target */
};

/* One pod's time to capacity: from its creation to its first Ready, in
 * three stages that add up to the total exactly (cs_report_pod_ready
 * defines them). Seconds. */
struct cs_fig_ttc {
    double total_s;
    double wait_ca_s;   /* Pending until its node was created (or bound) */
    double provision_s; /* that node's create request -> node Ready */
    double startup_s;   /* the rest: binding, pull, start, readiness */
};

struct cs_figures {
    cs_time_ms flap_window; /* direction changes closer than this flap */
    int err;                /* sticky CS_ENOMEM */

    /* samples */
    int have_prev;
    struct cs_fig_sample prev;
    double covered_ms; /* sum of the sample intervals */
    double replica_ms; /* integral of replicas over the sample intervals */
    int32_t peak_replicas;
    double over_slo_ms, over_target_ms;
    /* elasticity (SPEC RG: Herbst et al., "Ready for Rain?", 2015) */
    double under_acc_ms; /* integral of max(d - s, 0) / d */
    double over_acc_ms;  /* integral of max(s - d, 0) / d */
    double under_ts_ms;  /* time with s < d */
    double over_ts_ms;   /* time with s > d */
    double unstable_ms;  /* time where s and d move differently */

    struct cs_fig_dvec latency_ms; /* sampled latency p95 values */
    struct cs_fig_dvec pending_s;  /* one per pod: time until bound */
    /* one per pod that became Ready: its time to capacity and stages */
    struct cs_fig_dvec ttc_s, ttc_wait_ca_s, ttc_provision_s, ttc_startup_s;

    /* capacity after load steps */
    int episode_open;
    cs_time_ms episode_start;
    int32_t load_steps;
    double ttc_max_s, ttc_sum_s;
    int32_t steps_reached;

    /* rescales */
    int last_dir; /* +1 up, -1 down, 0 none yet */
    cs_time_ms last_scale;
    int32_t ups, downs, flaps;
};

/* The figures, as summary.csv writes them. NAN means undefined. */
struct cs_fig_result {
    double duration_s;
    int32_t peak_replicas;
    double mean_replicas, replica_hours;
    double time_over_slo_s, time_over_target_s;
    double latency_p95_ms, latency_max_ms;
    int64_t pending_pods;
    double pending_p50_s, pending_p95_s, pending_max_s;
    int64_t ttc_pods; /* pods that became Ready; the quantiles below are
                         over them (NAN when none) */
    double ttc_p50_s, ttc_p95_s, ttc_max_s;
    double ttc_wait_ca_p50_s, ttc_wait_ca_p95_s;
    double ttc_provision_p50_s, ttc_provision_p95_s;
    double ttc_startup_p50_s, ttc_startup_p95_s;
    int32_t load_steps;
    double time_to_capacity_s;      /* max over steps; NAN if none or one
                                       never reached */
    double time_to_capacity_mean_s; /* over the steps reached */
    int32_t scale_ups, scale_downs, flaps;
    double under_accuracy_pct, over_accuracy_pct;
    double under_timeshare_pct, over_timeshare_pct;
    double instability_pct;
};

void cs_figures_init(struct cs_figures *f, cs_time_ms flap_window);
void cs_figures_fini(struct cs_figures *f);

/* A timeline sample; samples come in time order. O(1) amortised. */
void cs_figures_sample(struct cs_figures *f, const struct cs_fig_sample *s);

/* A sampled latency p95 (ms); call only when defined. */
void cs_figures_latency(struct cs_figures *f, double ms);

/* A pod was bound after waiting `wait_s` (or was still pending at the
 * end after that long). */
void cs_figures_pending(struct cs_figures *f, double wait_s);

/* A pod became Ready for the first time, x its time to capacity.
 * O(1) amortised. */
void cs_figures_pod_ready(struct cs_figures *f, const struct cs_fig_ttc *x);

/* A rescale at t, up (1) or down (0). */
void cs_figures_rescale(struct cs_figures *f, cs_time_ms t, int up);

/* Capacity check at t with `ready` pods for `demand`. `step` is 1 when the
 * load just jumped up to a rate that needs more pods than before: that
 * starts a step unless one is open. An open step closes as soon as
 * ready >= demand; its time to capacity is t - its start. */
void cs_figures_capacity(struct cs_figures *f, cs_time_ms t, int32_t ready,
                         int32_t demand, int step);

/* Close the figures at `end` (the last sample covers [t_last, end)) and
 * compute the results; sorts the arrays. 0 or CS_ENOMEM (results filled
 * as far as possible). */
int cs_figures_finish(struct cs_figures *f, cs_time_ms end,
                      struct cs_fig_result *out);

/* Append to a vector (sticky error in *err). */
void cs_fig_dvec_push(struct cs_fig_dvec *v, double x, int *err);

#endif
