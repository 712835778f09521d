/*
 * workload.h - Deployments, their pod template, and pods.
 *
 * Pod lifecycle (transitions are made by src/core/sim.c, functions named):
 *
 *   PENDING --bind (scheduler)--> STARTING --container up (pod_started)-->
 *   RUNNING (not ready) --readiness probe passes (pod_ready)--> READY
 *   any of them --scale-down victim (rs_delete_pod)--> TERMINATING
 *   TERMINATING --grace period or exit (pod_gone)--> FREE (slot reused)
 *
 * PENDING has no node; STARTING is the kubelet pulling the image and starting
 * containers (phase Pending in the API, with status.startTime set);
 * RUNNING/READY are phase Running with Ready False/True; TERMINATING has a
 * deletion timestamp and no longer receives traffic.
 *
 * Invariants (cs_workload_check):
 *   1. the per-state counters of a workload equal a count over its pods;
 *   2. a pod is in its workload's pod list exactly once, at pod->slot, and
 *      pod->steady iff slot >= npods - nsteady (steady pods are READY);
 *   3. a pod has a node iff its state is STARTING..TERMINATING (bound).
 */
#ifndef CS_MODEL_WORKLOAD_H
#define CS_MODEL_WORKLOAD_H

#include "core/dist.h"
#include "core/evq.h"
#include "core/time.h"
#include "model/cluster.h"
#include "model/action.h"
#include "model/load.h"
#include "model/res.h"
#include "model/service.h"

#include <stdint.h>

#define CS_CONTAINERS_MAX 8

enum cs_pod_state {
    CS_POD_FREE = 0,
    CS_POD_PENDING,
    CS_POD_STARTING,
    CS_POD_RUNNING,
    CS_POD_READY,
    CS_POD_TERMINATING,
    CS_POD_NSTATES
};

struct cs_container {
    const char *name;
    struct cs_resvec req; /* milli-units; valid where req_set bit is on */
    struct cs_resvec lim;
    uint32_t req_set, lim_set; /* bit i: resource i is given */
};

struct cs_podspec {
    int ncontainers;
    struct cs_container c[CS_CONTAINERS_MAX];
    struct cs_resvec
        requests;           /* sum over containers, what the scheduler uses */
    int64_t nz_cpu, nz_mem; /* the same with kube-scheduler's scoring
                               defaults (100m, 200Mi) for a container
                               without a cpu / memory request */
    struct cs_kv *node_selector;
    int nnode_selector;
    struct cs_toleration *tolerations;
    int ntolerations;
    struct cs_kv *labels; /* template labels, matched by selectors */
    int nlabels;
    cs_time_ms grace;        /* terminationGracePeriodSeconds */
    cs_time_ms probe_delay;  /* readinessProbe.initialDelaySeconds */
    cs_time_ms probe_period; /* readinessProbe.periodSeconds */
    int32_t probe_success;   /* readinessProbe.successThreshold */
    int has_probe;
    /* what the cluster autoscaler's drain rules and scale-up read */
    int32_t priority;          /* spec.priority or its PriorityClass */
    int safe_to_evict;         /* enum cs_safe_to_evict (annotation) */
    int local_storage;         /* a hostPath, or an emptyDir not in
                                  memory, that safe-to-evict-local-volumes
                                  does not list */
    cs_time_ms scale_up_delay; /* pod-scale-up-delay annotation; -1 none */
    struct cs_resvec limits;   /* sum of container limits (quota) */
};

/* cluster-autoscaler.kubernetes.io/safe-to-evict */
enum cs_safe_to_evict {
    CS_STE_UNSET = 0,
    CS_STE_TRUE,
    CS_STE_FALSE,
    CS_STE_ON_COMPLETION
};

/* Start-up and shutdown delays drawn per pod (seconds). */
struct cs_startup {
    struct cs_dist schedule; /* bind to kubelet start (status.startTime) */
    struct cs_dist pull;     /* image pull */
    struct cs_dist start;    /* container creation and start */
    struct cs_dist warmup;   /* container start until the app can serve */
    struct cs_dist shutdown; /* SIGTERM until exit (capped by grace) */
};

struct cs_pod {
    uint32_t workload;
    int32_t node;          /* -1 when unbound */
    uint32_t slot;         /* index in the workload's pod list */
    uint8_t state;         /* enum cs_pod_state */
    uint8_t was_ready;     /* has been Ready at least once */
    uint8_t steady;        /* in the workload's steady region (see below) */
    uint8_t job_run;       /* batch pods: the run (cs_workload.runs) it is in */
    uint8_t unschedulable; /* the scheduler found no node (PodScheduled
                              False, reason Unschedulable) */
    uint8_t evicted;       /* deleted by an eviction (drain) */
    uint16_t revision;     /* template revision it was created from
                              (cs_workload.revision then) */
    uint32_t node_slot;    /* index in its node's plist when bound */
    uint32_t vspec;        /* 0: its revision's template; else 1 + index in
                              cs_workload.vspecs (requests a VPA set) */
    uint16_t restarts;     /* container restarts (OOM kills) */
    uint8_t oom_last;      /* its last termination was OOMKilled */
    cs_time_ms oom_ran;    /* how long the container ran before that */
    cs_time_ms backoff;    /* CrashLoopBackOff delay of the next restart
                              (0: none yet) */
    cs_time_ms backoff_at; /* when the last restart was backed off */
    uint64_t uid;          /* creation order, unique in the run */
    cs_time_ms created;
    cs_time_ms bound;            /* bound to its node; NEVER if not yet */
    cs_time_ms start_time;       /* status.startTime; CS_TIME_NEVER unset */
    cs_time_ms container_start;  /* containers running; NEVER if not yet */
    cs_time_ms ready_transition; /* Ready condition lastTransitionTime */
    cs_time_ms app_ready;        /* time the app can pass its probe */
    cs_evq_handle ev;            /* pending lifecycle event, 0 if none */
    uint32_t next_free;          /* free-list link when FREE */
};

/* A batch CronJob's Job template (batch/v1 JobSpec) and capsim's model of
 * its pods' work. */
enum cs_concurrency { CS_CONC_ALLOW, CS_CONC_FORBID, CS_CONC_REPLACE };

struct cs_job_spec {
    int32_t parallelism;     /* default 1 */
    int32_t completions;     /* -1: unset (done when one pod succeeds) */
    int32_t backoff_limit;   /* default 6 */
    cs_time_ms deadline;     /* activeDeadlineSeconds; 0: none */
    int concurrency;         /* enum cs_concurrency */
    struct cs_dist duration; /* a pod's run time, from container start */
    double failure_p;        /* probability that a pod fails */
};

/* One run of a batch Job (a CronJob may overlap runs when Allow). */
#define CS_JOB_RUNS_MAX 8
struct cs_job_run {
    int active;
    uint32_t id; /* runs started so far, for event matching */
    cs_time_ms started;
    int32_t pods; /* pods of the run not finished */
    int32_t succeeded, failed;
    int retry_pending; /* a backoff event is queued */
};

/* A Deployment's spec.strategy (apps/v1 DeploymentStrategy). A bound
 * given as a percentage of the desired replicas has its *_pct flag set;
 * maxSurge rounds up and maxUnavailable down, as upstream's
 * ResolveFenceposts does. */
struct cs_strategy {
    int recreate;            /* type Recreate; 0: RollingUpdate */
    int32_t max_surge;       /* pods or percent; default 25% */
    int32_t max_unavailable; /* pods or percent; default 25% */
    uint8_t surge_pct, unavailable_pct;
};

struct cs_workload {
    const char *name;
    const char *ns;
    const struct cs_kv *selector; /* spec.selector.matchLabels */
    int nselector;
    struct cs_podspec spec;
    struct cs_startup startup;
    struct cs_svc_model svc;
    struct cs_svc_derived svcd;
    double slo_s;          /* p95 latency objective (s); 0 = none */
    int serving_container; /* container that serves requests */
    const struct cs_load_spec *load_spec; /* from the scenario; NULL: none */
    struct cs_load load;                  /* the run's state of it */
    const struct cs_kv *metric_map; /* custom metric name -> source name */
    int nmetric_map;
    int32_t spec_replicas; /* scale.spec.replicas */
    int hpa;               /* index of the HPA targeting it, or -1 */
    int is_job;            /* a batch CronJob's pods, not a Deployment */
    struct cs_job_spec job;
    struct cs_job_run runs[CS_JOB_RUNS_MAX];
    uint32_t job_runs; /* runs started */

    /* pods */
    uint32_t *pods; /* indices into sim->pods, every state but FREE */
    uint32_t npods, cap;
    /* The last nsteady entries of pods[] are steady: Ready at the last
     * scrape with a sample and past the CPU initialization period, so the
     * HPA sees them as interchangeable (autoscale.c folds them into one
     * entry). A pod enters the region when the HPA controller first finds
     * it steady and leaves it when it stops being Ready. */
    uint32_t nsteady;
    int32_t count[CS_POD_NSTATES];

    /* service */
    struct cs_svc_state svcs;
    double served_pp_at_scrape; /* svcs.cum_served_pp at the last scrape */
    cs_time_ms last_scrape;
    double cpu_pp_rate; /* served requests/s per ready pod, last
                           scrape window */
    /* Samples of the last scrape: every pod that was ready then has the
     * `ready` values, every other running pod the `idle` ones (see
     * metrics.h: a pod's sample is derived, never stored per pod). */
    int64_t sample_ready_cpu_m, sample_ready_mem_m;
    int64_t sample_idle_cpu_m, sample_idle_mem_m;

    /* statistics for the summary */
    int32_t peak_replicas;
    double replica_ms; /* integral of non-terminating pods */
    cs_time_ms replica_last;
    int32_t scale_ups, scale_downs;

    /* rollout (controllers/rollout.c): every `kubectl set resources`
     * starts a new template revision; a pod keeps the spec of the revision
     * it was created from, so node and quota accounting release what they
     * took (cs_workload_pod_spec) */
    struct cs_strategy strategy;
    uint16_t revision;            /* current revision: spec is its template */
    struct cs_podspec *old_specs; /* [revision]: older templates, owned by
                                     the sim (NULL before a rollout) */
    int rolling;                  /* a rollout is in progress */

    /* vertical autoscaling (controllers/vpa.c) and OOM kills
     * (controllers/oom.c): a pod's requests are its template's unless a
     * VPA set others at its creation or resized it in place */
    int vpa;                   /* index of the VPA targeting it, or -1 */
    struct cs_podspec *vspecs; /* specs VPA admission or resizes made */
    uint32_t nvspecs, vspecs_cap;
    int64_t min_mem_limit_m; /* smallest serving-container memory limit of
                                any spec used so far (milli-bytes);
                                INT64_MAX: none has one */
    int32_t oom_kills;       /* containers OOM-killed */
    int32_t vpa_evictions;   /* pods the VPA updater evicted */
    int32_t vpa_resizes;     /* pods the VPA updater resized in place */

    /* scheduler / quota */
    uint32_t sched_fail_pass; /* last scheduler pass that found no node */
    int rs_retry_pending;     /* a CS_EV_RS_RETRY is queued */
    cs_time_ms rs_backoff;    /* its current backoff (quota refusals) */
};

/* Pods that count as replicas (status.replicas): not terminating. */
static inline int32_t cs_workload_replicas(const struct cs_workload *w)
{
    return w->count[CS_POD_PENDING] + w->count[CS_POD_STARTING] +
           w->count[CS_POD_RUNNING] + w->count[CS_POD_READY];
}

/* Apply a `kubectl set resources` action (model/action.h) to template sp:
 * the container a->container names (NULL: every container) gets the
 * action's requests and limits, looked up by name in rn, and the template's
 * sums are recomputed. Returns 1 if the template changed, 0 if it already
 * had those values, or a negative code with the reason in why (n bytes):
 * CS_ENOENT for no such container or resource, CS_EINVAL for a request
 * above its limit. On failure sp is left unchanged. O(containers). */
int cs_podspec_set_resources(struct cs_podspec *sp, const struct cs_action *a,
                             const struct cs_resnames *rn, char *why, size_t n);

/* Recompute sp's sums over its containers (requests, limits, and the
 * scheduler's non-zero defaults 100m / 200Mi for a missing request). */
void cs_podspec_resum(struct cs_podspec *sp);

/* Memory limit (milli-bytes) of container c of sp; INT64_MAX if it has
 * none. */
static inline int64_t cs_podspec_mem_limit(const struct cs_podspec *sp, int c)
{
    return (sp->c[c].lim_set & (1u << CS_RES_MEMORY))
               ? sp->c[c].lim.v[CS_RES_MEMORY]
               : INT64_MAX;
}

/* The spec of a pod of revision `revision` with VPA spec `vspec` (0: none,
 * else 1 + index in w->vspecs). O(1). */
static inline const struct cs_podspec *
cs_workload_spec_of(const struct cs_workload *w, uint16_t revision,
                    uint32_t vspec)
{
    if (vspec != 0)
        return &w->vspecs[vspec - 1];
    return revision == w->revision ? &w->spec : &w->old_specs[revision];
}

/* The spec pod p runs with: the one a VPA gave it, else the template of
 * its revision (the current spec or an older one). O(1). */
static inline const struct cs_podspec *
cs_workload_pod_spec(const struct cs_workload *w, const struct cs_pod *p)
{
    return cs_workload_spec_of(w, p->revision, p->vspec);
}

#endif
