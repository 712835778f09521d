/*
 * scenario.h - a validated scenario, ready to simulate.
 *
 * cs_scenario_load() reads one YAML scenario file (and the Kubernetes
 * manifest files it names), applies --set overrides if given
 * (cs_scenario_load_with), validates everything, and returns a struct
 * cs_scenario that owns every string and array in it (through a YAML arena
 * and one allocation list). Nothing in it changes during a run; the
 * simulator copies what it mutates. See docs/scenario-format.md.
 */
#ifndef CS_IO_SCENARIO_H
#define CS_IO_SCENARIO_H

#include "controllers/ca.h"
#include "controllers/hpa.h"
#include "core/err.h"
#include "core/time.h"
#include "model/action.h"
#include "model/cluster.h"
#include "model/cron.h"
#include "model/policy.h"
#include "model/res.h"
#include "model/vpa.h"
#include "model/workload.h"

#include <stdint.h>

/* Which simulated quantity feeds a custom (Pods/Object/External) metric. */
enum cs_msource {
    CS_MSRC_RPS = 1,    /* requests per second */
    CS_MSRC_INFLIGHT,   /* requests in flight */
    CS_MSRC_QUEUE,      /* queued requests (backlog) */
    CS_MSRC_LATENCY_MS, /* p95 latency in milliseconds */
    CS_MSRC_CPU,        /* CPU cores in use */
};

/* How one HPA metric is fed: the workload whose state it reads, what it
 * reads, and the adapter's delay and averaging window. */
struct cs_metric_feed {
    int workload;      /* index; for Pods metrics the HPA's target */
    int source;        /* enum cs_msource; 0 for Resource metrics */
    cs_time_ms delay;  /* adapter delay */
    cs_time_ms window; /* averaging window (0 = last sample) */
};

/* A named External metric (externalMetrics in the scenario). */
struct cs_ext_metric {
    const char *name;
    int workload;
    int source; /* enum cs_msource */
    cs_time_ms delay;
    cs_time_ms window;
};

struct cs_scenario_hpa {
    struct cs_hpa_spec spec;
    int workload;                 /* target index */
    struct cs_metric_feed *feeds; /* one per spec metric */
    int line, col;                /* where it was declared */
};

/* One assertion of the scenario's `expect:` list: its text and where the
 * text starts (for messages). */
struct cs_scenario_expect {
    const char *text;
    int line, col;
};

/* One scheduled entry: a `schedule:` item of the scenario or a CronJob
 * manifest. It fires at `at`, or on its cron schedule in zone tz, and then
 * applies its actions (targets[i] is the workload, or for PATCH_HPA the
 * HPA, that action i names). */
struct cs_sched {
    const char *name; /* the item's `name`, or the CronJob's */
    const char *kind; /* "Schedule" or "CronJob", for events.csv */
    int line, col;
    int has_cron;
    struct cs_cron cron;
    const struct cs_tz *tz; /* borrowed: sc->tz or one of sc->tzs */
    cs_time_ms at;          /* one-off time when !has_cron */
    int suspend;            /* CronJob spec.suspend */
    int job;                /* batch CronJob: its workload; -1: actions */
    struct cs_action *actions;
    int *targets;
    int nactions;
};

/* An explicit spot reclaim (cluster.reclaims): at `at`, the cloud
 * interrupts `nodes` Ready nodes of `pool`, or `fraction` of them (rounded
 * up) when nodes < 0, with the pool's notice. */
struct cs_reclaim {
    int pool;
    cs_time_ms at;
    int32_t nodes;
    double fraction;
    int line, col;
};

struct cs_scenario {
    char *path;
    const char *name;
    /* wall clock: simulated t is the instant start_utc_ms + t; times of day
     * and cron schedules are read in tz (NULL: UTC) */
    int64_t start_utc_ms; /* `start`; 0 (1970-01-01T00:00Z) when not given */
    int has_start;        /* outputs carry a clock column */
    struct cs_tz *tz;     /* `timeZone`; owned */
    cs_time_ms duration;
    cs_time_ms sample_step;
    uint64_t seed;
    struct cs_resnames res;

    struct cs_pool *pools;
    int npools;
    struct cs_ca_config ca; /* clusterAutoscaler (ca.enabled 0: none) */
    struct cs_reclaim *reclaims;
    int nreclaims;
    struct cs_pdb *pdbs;
    int npdbs;
    struct cs_quota *quotas;
    int nquotas;
    struct cs_daemonset *daemonsets;
    int ndaemonsets;
    struct cs_workload *workloads; /* templates (runtime fields zero) */
    int nworkloads;
    struct cs_scenario_hpa *hpas;
    int nhpas;
    struct cs_ext_metric *ext;
    int next;
    struct cs_vpa_spec *vpas; /* VerticalPodAutoscalers */
    int nvpas;
    struct cs_vpa_config vpa_cfg; /* verticalPodAutoscaler: flags */
    /* load-time warnings, "FILE:LINE:COL: message" each (cmd_run and
     * cmd_check print them as "capsim: warning: ..."); owned */
    const char **warnings;
    int nwarnings;

    struct cs_sched *scheds; /* schedule: items, then CronJobs */
    int nscheds;
    struct cs_tz **tzs; /* zones of CronJobs' timeZone; owned */
    int ntzs;
    struct cs_scenario_expect *expects; /* expect: assertions, in order */
    int nexpects;
    cs_time_ms flap_window; /* report.flapWindow */

    struct cs_hpa_config hpa_cfg;
    cs_time_ms scrape_period; /* metrics-server resolution */
    uint32_t max_pods;
    uint32_t max_nodes;     /* limits.maxNodes (also --max-nodes) */
    uint64_t max_output_mb; /* limits.maxOutputMB (also --max-output-mb) */

    void *arena;   /* struct cs_yarena *: owns YAML strings */
    void **allocs; /* every other allocation, freed by destroy */
    size_t nallocs, allocs_cap;
};

/* Source named s ("rps", "inflight", "queue", "latency_ms", "cpu"), or 0. */
int cs_msource_parse(const char *s);

/* Load and validate path. Returns the scenario or NULL with err filled
 * (FILE:LINE:COL and message); nothing is left allocated on failure. */
struct cs_scenario *cs_scenario_load(const char *path, struct cs_err *err);

/* Same, from a buffer named `name` (used by tests and fuzzers); manifest
 * paths are resolved relative to base_dir. */
struct cs_scenario *cs_scenario_load_buffer(const char *name, const char *buf,
                                            size_t len, const char *base_dir,
                                            struct cs_err *err);

/* cs_scenario_load() with the --set overrides ov[0..n) (io/override.h)
 * applied, in order, to the parsed YAML before anything is validated:
 * scenario paths and inline objects first, then the objects of each
 * manifest file as it is loaded. An object override that no object of the
 * manifests matches fails the load ("--set ARG: no KIND named ..."). ov is
 * only read, and need not outlive the call. n == 0 is cs_scenario_load(). */
struct cs_override;
struct cs_scenario *cs_scenario_load_with(const char *path,
                                          const struct cs_override *ov,
                                          size_t n, struct cs_err *err);

/* cs_scenario_load_buffer() with overrides, as cs_scenario_load_with(). */
struct cs_scenario *cs_scenario_load_buffer_with(const char *name,
                                                 const char *buf, size_t len,
                                                 const char *base_dir,
                                                 const struct cs_override *ov,
                                                 size_t n, struct cs_err *err);

void cs_scenario_destroy(struct cs_scenario *sc);

#endif
