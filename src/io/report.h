/*
 * report.h - the run's output files: timeline.csv, events.csv, nodes.csv,
 * summary.csv.
 *
 * Every file is written to a temporary name beside its final one and the
 * whole set is renamed into place only when the run completed
 * (cs_report_commit); cs_report_destroy without a commit removes the
 * temporaries, so a failed or interrupted run leaves the previous complete
 * outputs or none. docs/outputs.md defines every column.
 */
#ifndef CS_IO_REPORT_H
#define CS_IO_REPORT_H

#include "core/err.h"
#include "core/time.h"
#include "io/figures.h"

#include <stdint.h>

struct cs_sim;
struct cs_report;

/* Open the output files in dir (created if missing) for a run of sim's
 * workloads. NULL with err filled on failure (nothing left on disk).
 * dir NULL: no files at all; the run's figures are kept and commit only
 * makes the summary text (cs_report_summary_text), as a sweep needs. */
struct cs_report *cs_report_create(const char *dir, const struct cs_sim *sim,
                                   struct cs_err *err);

/* Append an events.csv row. */
void cs_report_event(struct cs_report *r, cs_time_ms t, const char *kind,
                     const char *object, const char *reason,
                     const char *message);

/* Append one timeline.csv row per workload at sim->now. */
void cs_report_sample(struct cs_report *r, struct cs_sim *sim);

/* Write summary.csv, flush everything and rename the files into place.
 * Returns 0 or CS_E* (err filled; temporaries removed). */
int cs_report_commit(struct cs_report *r, struct cs_sim *sim,
                     struct cs_err *err);

/* summary.csv's header line, "workload,slo_ms,...\n" (static). */
const char *cs_report_summary_header(void);

/* summary.csv's whole text (header and rows) once commit succeeded, else
 * NULL; *len gets its length. Owned by r. */
const char *cs_report_summary_text(const struct cs_report *r, size_t *len);

/* Print the summary table a planner reads first (one line per workload). */
void cs_report_print_summary(const struct cs_report *r,
                             const struct cs_sim *sim, void *file);

/* VPA v published a recommendation at sim->now: its recommendations.csv
 * rows (report_vpa.c). */
void cs_report_vpa_recommendation(struct cs_report *r, const struct cs_sim *sim,
                                  int v);

/* Print each VPA's last recommendation as `kubectl describe vpa` would
 * show it (nothing without VPAs). */
void cs_report_print_vpa(const struct cs_report *r, const struct cs_sim *sim,
                         void *file);

/* Close and free; removes uncommitted temporaries. NULL is a no-op. */
void cs_report_destroy(struct cs_report *r);

/* Hooks the simulator calls as things happen (sim->report non-NULL). */

/* A pod of workload w was bound after waiting wait_s seconds Pending. */
void cs_report_pod_bound(struct cs_report *r, int w, double wait_s);

/* Pool `pool`'s node counts (sim->pool_st) are about to change at
 * sim->now: integrate node-seconds and cost up to now with the old counts.
 * A node is billed from its create request to its deletion. */
void cs_report_nodes_changing(struct cs_report *r, const struct cs_sim *sim,
                              int pool);

/* Pod p became Ready for the first time (time-to-capacity stages). */
void cs_report_pod_ready(struct cs_report *r, const struct cs_sim *sim,
                         uint32_t p);

/* Workload w's HPA rescaled it at t, up (1) or down (0). */
void cs_report_rescale(struct cs_report *r, int w, cs_time_ms t, int up);

/* Workload w's ready pods or load changed at sim->now; load_point is 1 at
 * a load breakpoint (a possible load step, see figures.h). */
void cs_report_capacity(struct cs_report *r, struct cs_sim *sim, int w,
                        int load_point);

/* summary.csv's last row, the whole run (never a Deployment name: those
 * are DNS labels). */
#define CS_REPORT_RUN_ROW "(all)"

/* Per-workload figures accumulated over the run (exposed for tests). */
struct cs_report_stats {
    double prev_dropped; /* cum_dropped at the previous sample */
    struct cs_figures fig;
    struct cs_fig_result res; /* set by cs_report_commit */
    double demand_rate;       /* rate `demand` was computed for */
    int32_t demand;           /* pods that rate needs */
};

#endif
