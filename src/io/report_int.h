/*
 * report_int.h - internals of the report, shared by report.c (timeline,
 * events, summary) and report_nodes.c (nodes.csv, billing, time to
 * capacity). Not part of the library's interface.
 *
 * Billing: pool p's billed nodes are its PROVISIONING, NOT_READY and READY
 * nodes (sim->pool_st[p]), billed per second from the create request to
 * the deletion. bill[p].node_ms integrates them over [0, bill[p].since);
 * the simulator calls cs_report_nodes_changing before every change of the
 * counts, so between two calls they held constant and the integral is
 * exact. Samples and the commit advance `since` to their own instant.
 *
 * Invariants:
 *   1. bill[p].since is the last instant the report saw (a change, a
 *      sample, the end) and never decreases;
 *   2. nodes_peak >= the cluster's billed nodes at every instant the report
 *      has seen (each count is seen before it changes, and at the end).
 *
 * Ownership: struct cs_report owns its files, per-workload stats and
 * per-pool arrays; cs_report_destroy frees them.
 */
#ifndef CS_IO_REPORT_INT_H
#define CS_IO_REPORT_INT_H

#include "core/clock.h"
#include "core/time.h"
#include "io/figures.h"
#include "io/ofile.h"
#include "io/report.h"
#include "model/cluster.h"

#include <stdint.h>
#include <stdio.h>

struct cs_node;
struct cs_pod;

/* The first F_COUNT files are every run's; a scenario with a VPA also
 * writes F_RECS and F_VPA (r->nfiles says how many are open). */
enum {
    F_TIMELINE,
    F_EVENTS,
    F_NODES,
    F_SUMMARY,
    F_COUNT,
    F_RECS = F_COUNT,
    F_VPA,
    F_MAX
};

/* Per pool: the billing integral. */
struct cs_report_bill {
    double node_ms;   /* billed node-milliseconds over [0, since) */
    cs_time_ms since; /* the integral's end */
};

/* Per pool, one nodes.csv sample: one pass over the nodes. */
struct cs_report_pool_scan {
    int32_t count[CS_NODE_NSTATES];    /* nodes by state (FREE unused) */
    int32_t draining;                  /* nodes being drained or deleted */
    int64_t req_cpu, req_mem, req_gpu; /* requests on READY nodes, milli */
};

/* The whole run's node figures (summary.csv's (all) row). */
struct cs_report_node_figs {
    int32_t nodes_peak;   /* most billed nodes at once */
    double node_hours;    /* billed node-hours */
    double cost_usd;      /* all pools */
    double spot_cost_usd; /* spot pools only */
};

struct cs_report {
    struct cs_ofile f[F_MAX];
    int open[F_MAX];
    int nfiles;               /* F_COUNT, or F_MAX with a VPA */
    int vpa;                  /* the scenario has VPAs: VPA columns and files */
    int files;                /* 0: no files, figures only (a sweep's run) */
    struct cs_outbuf summary; /* summary.csv's text, set by commit */
    int committed;
    int nwl, npools;
    struct cs_report_stats *st;       /* per workload */
    struct cs_figures run;            /* the whole run */
    struct cs_report_bill *bill;      /* per pool */
    struct cs_report_pool_scan *scan; /* per pool: scratch for nodes.csv */
    int any_autoscaled;               /* some pool is a CA node group */
    int any_spot;                     /* some pool is spot capacity */
    int oom;
    struct cs_fig_result run_res;
    struct cs_report_node_figs nodes; /* set by cs_report_commit */
    /* the clock column (scenarios with a `start`) */
    int clock;
    int64_t start_ms;
    const struct cs_tz *tz;
    struct cs_tz_cache tzc;
    cs_time_ms clock_t; /* instant clock_text is for */
    char clock_text[48];
};

/* report.c: "time_s[,clock]" of instant t (no separator after). */
void cs_report_put_time(struct cs_report *r, struct cs_outbuf *b, cs_time_ms t);

/* report_nodes.c */

/* Allocate and start the per-pool state at sim->now. 0 or CS_ENOMEM
 * (arrays left for cs_report_nodes_fini). */
int cs_report_nodes_init(struct cs_report *r, const struct cs_sim *sim);

/* Free the per-pool arrays (NULL ones included). */
void cs_report_nodes_fini(struct cs_report *r);

/* Integrate every pool's billing up to t (>= the last instant seen) and
 * return the cluster's cost so far (USD); *per_hour gets its current rate
 * (USD per hour). O(pools). */
double cs_report_nodes_cost(struct cs_report *r, const struct cs_sim *sim,
                            cs_time_ms t, double *per_hour);

/* Append one nodes.csv row per pool at sim->now. O(nodes + pools). */
void cs_report_nodes_sample(struct cs_report *r, const struct cs_sim *sim);

/* Close the billing at sim->end and fill r->nodes. */
void cs_report_nodes_finish(struct cs_report *r, const struct cs_sim *sim);

/* Pod `pod`, bound to `node` (NULL if unknown), became Ready at `now`:
 * its time to capacity in stages (see cs_report_pod_ready in report.h and
 * docs/figures.md). The stages add up to now - pod->created exactly. */
void cs_report_ttc_split(const struct cs_pod *pod, const struct cs_node *node,
                         cs_time_ms now, struct cs_fig_ttc *out);

/* The printed summary's "nodes: ..." line. */
void cs_report_nodes_print(const struct cs_report *r, FILE *fp);

/* A workload's pods as one sample sees them (report_vpa.c): the mean
 * requests (milli-units) of its running (RUNNING, READY) pods and of its
 * live (non-terminating) ones, each pod with its own spec, and the memory
 * its running containers have leaked (milli-bytes). */
struct cs_report_pods {
    double run_cpu, run_mem;   /* the template's when no pod runs */
    double live_cpu, live_mem; /* the template's when no pod lives */
    double leaked;             /* memoryGrowth x uptime, summed */
};

/* One pass over workload w's pods: O(pods) when their specs differ or
 * they leak, else O(1). */
void cs_report_pods_scan(const struct cs_sim *sim, int w,
                         struct cs_report_pods *o);

/* The VPA columns of workload w's timeline row, from the scan. */
void cs_report_vpa_columns(struct cs_outbuf *b, const struct cs_sim *sim, int w,
                           const struct cs_report_pods *ps);

/* vpa.csv at the commit. */
void cs_report_vpa_final(struct cs_report *r, const struct cs_sim *sim);

#endif
