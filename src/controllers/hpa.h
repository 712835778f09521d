/*
 * hpa.h - the Kubernetes HorizontalPodAutoscaler (autoscaling/v2), computed
 * the way the upstream controller computes it.
 *
 * The rules are those of /work/shared/specs/HPA_SPEC.md (section numbers
 * below refer to it); docs/hpa.md says where each rule lives. Three layers,
 * each public so that tests and `capsim conformance` can drive one step:
 *
 *   hpa_calc.c       pod classification (groupPods) and the per-metric
 *                    replica calculators                          (§3)
 *   hpa_normalize.c  behavior defaults, legacy and behavior stabilization,
 *                    rate limits, recommendation and scale-event history
 *                                                                 (§5, §6)
 *   hpa_reconcile.c  one reconcile pass: branches, metric combination,
 *                    conditions and events                        (§2, §4, §7)
 *
 * Ownership, once for the whole API: every input (config, spec, metric
 * inputs, pods, strings) is borrowed for the duration of one call and never
 * retained. A struct cs_hpa_state is caller-allocated, set up by
 * cs_hpa_state_init and owns its history arrays until cs_hpa_state_fini. A
 * struct cs_hpa_result is caller-allocated, owns no heap memory and is
 * overwritten by each pass. Every `const char *reason` written by this module
 * points at static text.
 *
 * Cost: a pass is O(metrics x pods + history); it allocates only when a
 * history array has to grow, which stops once old slots start being reused
 * (the windows bound the number of live records).
 *
 * Time is cs_time_ms throughout; replica counts are int32 as upstream;
 * metric quantities are int64 milli-units (Quantity.MilliValue()).
 */
#ifndef CS_CONTROLLERS_HPA_H
#define CS_CONTROLLERS_HPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/time.h"

#define CS_HPA_MAX_METRICS 16 /* metrics per HPA (spec.metrics) */
#define CS_HPA_MAX_POLICIES 8 /* policies per scaling direction */
#define CS_HPA_MAX_EVENTS 24  /* events kept per pass; more are counted */
#define CS_HPA_MSG_MAX 320    /* condition / event / error text */
#define CS_HPA_NAME_MAX 192   /* metric name text (§3.8) */

/* ---------------------------------------------------------------------- */
/* Controller flags (§1)                                                  */
/* ---------------------------------------------------------------------- */

struct cs_hpa_config {
    cs_time_ms sync_period;        /* ms between passes (15 s) */
    double tolerance;              /* ratio band half-width (0.1) */
    cs_time_ms downscale_window;   /* ms, legacy window and default
                                      scaleDown window (300 s) */
    cs_time_ms cpu_init_period;    /* ms (300 s) */
    cs_time_ms readiness_delay;    /* ms, initial readiness delay (30 s) */
    double scale_up_limit_factor;  /* legacy cap factor (2.0) */
    double scale_up_limit_minimum; /* legacy cap floor, replicas (4.0) */
};

/* Fill cfg with kube-controller-manager's defaults (the values above). */
void cs_hpa_config_init_defaults(struct cs_hpa_config *cfg);

/* Fill cfg with the constants of the upstream unit tests (§8): defaults but
 * CPU initialization 120 s, readiness delay 10 s, scale-up factor 8. */
void cs_hpa_config_init_test(struct cs_hpa_config *cfg);

/* ---------------------------------------------------------------------- */
/* HPA spec                                                                */
/* ---------------------------------------------------------------------- */

enum cs_hpa_source {
    CS_HPA_SOURCE_RESOURCE,
    CS_HPA_SOURCE_CONTAINER_RESOURCE,
    CS_HPA_SOURCE_PODS,
    CS_HPA_SOURCE_OBJECT,
    CS_HPA_SOURCE_EXTERNAL,
    CS_HPA_SOURCE_INVALID /* a type the controller does not know */
};

enum cs_hpa_target_type {
    CS_HPA_TARGET_UTILIZATION,   /* target = percent of request */
    CS_HPA_TARGET_AVERAGE_VALUE, /* target = milli-units per pod */
    CS_HPA_TARGET_VALUE          /* target = milli-units in total */
};

struct cs_hpa_metric_spec {
    enum cs_hpa_source source;
    const char *resource;    /* Resource/ContainerResource: "cpu", ... */
    const char *container;   /* ContainerResource: container name */
    const char *name;        /* Pods/Object/External metric name; INVALID:
                                the unknown type's name (may be NULL) */
    const char *object_kind; /* Object: describedObject kind */
    const char *object_name; /* Object: describedObject name */
    const char *selector;    /* metric label selector text; NULL = none */
    enum cs_hpa_target_type target_type;
    int64_t target; /* percent (Utilization) or milli-units */
};

enum cs_hpa_policy_type { CS_HPA_POLICY_PODS, CS_HPA_POLICY_PERCENT };

enum cs_hpa_select {
    CS_HPA_SELECT_UNSET = 0,
    CS_HPA_SELECT_MAX,
    CS_HPA_SELECT_MIN,
    CS_HPA_SELECT_DISABLED
};

struct cs_hpa_policy {
    enum cs_hpa_policy_type type;
    int32_t value;    /* pods, or percent */
    int32_t period_s; /* seconds */
};

/* One direction of spec.behavior. Zero-initialised = everything unset. */
struct cs_hpa_rules {
    bool has_window;
    int32_t window_s; /* stabilizationWindowSeconds */
    enum cs_hpa_select select;
    size_t n_policies; /* 0 = unset */
    struct cs_hpa_policy policies[CS_HPA_MAX_POLICIES];
    bool has_tolerance;
    double tolerance; /* per-direction tolerance override */
};

/* API defaulting of one direction (§6.1): each unset field is filled on its
 * own; a set policy list is kept whole. scaleUp: window 0, Max, [Pods 4/15s,
 * Percent 100/15s]. scaleDown: Max, [Percent 100/15s], window left unset
 * (the controller substitutes cfg->downscale_window on every pass).
 * Idempotent. */
void cs_hpa_rules_default_up(struct cs_hpa_rules *r);
void cs_hpa_rules_default_down(struct cs_hpa_rules *r);

struct cs_hpa_spec {
    const char *name;        /* HPA name, for messages */
    const char *target_kind; /* scaleTargetRef */
    const char *target_name;
    bool has_min;
    int32_t min_replicas; /* used when has_min; otherwise 1 */
    int32_t max_replicas;
    const struct cs_hpa_metric_spec *metrics; /* n_metrics entries */
    size_t n_metrics;  /* 0 = the API default, cpu Utilization 80% */
    bool has_behavior; /* spec.behavior set: up/down apply (defaulted) */
    struct cs_hpa_rules up;
    struct cs_hpa_rules down;
};

/* Number of metrics a pass evaluates (n_metrics, or 1 for the default), and
 * the i-th of them (i < count). The simulator fetches one input for each. */
size_t cs_hpa_spec_metric_count(const struct cs_hpa_spec *spec);
const struct cs_hpa_metric_spec *
cs_hpa_spec_metric(const struct cs_hpa_spec *spec, size_t i);

/* Write the metric's name as upstream prints it (§3.8), e.g. "cpu resource
 * utilization (percentage of request)". snprintf rules. */
int cs_hpa_metric_write_name(const struct cs_hpa_metric_spec *m, char *buf,
                             size_t n);

/* ---------------------------------------------------------------------- */
/* What the calculator sees of the cluster                                */
/* ---------------------------------------------------------------------- */

enum cs_hpa_phase {
    CS_HPA_POD_RUNNING = 0,
    CS_HPA_POD_PENDING,
    CS_HPA_POD_SUCCEEDED,
    CS_HPA_POD_FAILED
};

enum cs_hpa_ready {
    CS_HPA_READY_TRUE = 0,
    CS_HPA_READY_FALSE,
    CS_HPA_READY_NONE /* no Ready condition */
};

/* One pod matched by the scale selector, as seen for one metric. An entry
 * may stand for `count` identical pods (0 and 1 both mean one): the
 * simulator folds a Deployment's interchangeable pods into one entry, and
 * every count and sum weighs the entry by it, so the result is the same as
 * for the pods listed one by one. */
struct cs_hpa_pod {
    const char *name; /* for messages; may be NULL */
    uint32_t count;   /* identical pods this entry stands for */
    enum cs_hpa_phase phase;
    bool deleted; /* deletionTimestamp set */
    enum cs_hpa_ready ready;
    cs_time_ms ready_transition; /* Ready lastTransitionTime */
    bool has_start;
    cs_time_ms start; /* status.startTime */
    bool has_request; /* false = "missing request" */
    int64_t request;  /* milli, the metric's resource (container's for
                         ContainerResource) */
    bool has_sample;
    int64_t sample;           /* milli */
    cs_time_ms sample_time;   /* sample timestamp */
    cs_time_ms sample_window; /* ms covered by the sample */
};

/* What the simulator fetched for one metric of one pass. */
struct cs_hpa_metric_input {
    bool fetch_failed;       /* the metrics API call failed */
    const char *fetch_error; /* its text; may be NULL */
    /* Resource, ContainerResource, Pods: the pods and their samples.
     * Object/External Value: the pods, for the ready count only. */
    const struct cs_hpa_pod *pods;
    size_t n_pods;
    const int64_t *extra_samples; /* milli; samples of pods not listed */
    size_t n_extra;
    /* Object: one value; External: one per series, summed (saturating). */
    const int64_t *values; /* milli */
    size_t n_values;
};

/* ---------------------------------------------------------------------- */
/* §3 pod classification and replica calculators (hpa_calc.c)             */
/* ---------------------------------------------------------------------- */

enum cs_hpa_pod_class {
    CS_HPA_CLASS_READY,
    CS_HPA_CLASS_UNREADY,
    CS_HPA_CLASS_MISSING,
    CS_HPA_CLASS_IGNORED
};

struct cs_hpa_groups {
    size_t ready, unready, missing, ignored; /* pod counts */
};

/* Classify one pod (§3.1). `cpu` is true when the metric's resource is cpu
 * (only then are readiness and start time examined). Pure. */
enum cs_hpa_pod_class cs_hpa_pod_classify(const struct cs_hpa_config *cfg,
                                          cs_time_ms now,
                                          const struct cs_hpa_pod *pod,
                                          bool cpu);

/* groupPods: count the classes of n pods into *g; when cls is not NULL also
 * store each pod's class in cls[0..n). O(n). */
void cs_hpa_group_pods(const struct cs_hpa_config *cfg, cs_time_ms now,
                       const struct cs_hpa_pod *pods, size_t n, bool cpu,
                       struct cs_hpa_groups *g, enum cs_hpa_pod_class *cls);

/* Tolerance band: within when (1 - down) <= ratio <= (1 + up) (§3.4). */
struct cs_hpa_tolerances {
    double down;
    double up;
};

bool cs_hpa_tolerances_within(const struct cs_hpa_tolerances *t, double ratio);

/* The HPA's band: behavior per-direction overrides, else cfg->tolerance. */
void cs_hpa_tolerances_get(const struct cs_hpa_config *cfg,
                           const struct cs_hpa_spec *spec,
                           struct cs_hpa_tolerances *t);

/* Shared arguments of the calculators. */
struct cs_hpa_calc_ctx {
    const struct cs_hpa_config *cfg;
    cs_time_ms now;
    struct cs_hpa_tolerances tol;
};

/* One calculator's answer. On failure only `error` is meaningful. */
struct cs_hpa_calc {
    int32_t replicas;           /* proposal */
    bool has_utilization;       /* Utilization targets only */
    int32_t utilization;        /* percent of request, truncated (step 1) */
    int64_t raw;                /* milli: average (per-pod metrics, step 1), or
                                   value / sum (Value), or ceil(sum/status)
                                   (AverageValue of Object/External) */
    char error[CS_HPA_MSG_MAX]; /* calculator error text */
};

/* The four calculators. Each returns 0, or CS_EMETRIC with out->error set
 * (the upstream error text). `replicas` is scale.spec.replicas except for
 * cs_hpa_calc_per_pod, which takes scale.status.replicas (§3.7). The metric
 * spec supplies the resource/metric name and the target. No allocation.
 *
 * Resource/ContainerResource Utilization (§3.5): */
int cs_hpa_calc_utilization(const struct cs_hpa_calc_ctx *c,
                            const struct cs_hpa_metric_spec *m,
                            const struct cs_hpa_metric_input *in,
                            int32_t replicas, struct cs_hpa_calc *out);

/* Pods AverageValue and Resource/ContainerResource AverageValue (§3.6); the
 * CPU readiness rules apply only to a cpu resource metric. */
int cs_hpa_calc_average(const struct cs_hpa_calc_ctx *c,
                        const struct cs_hpa_metric_spec *m,
                        const struct cs_hpa_metric_input *in, int32_t replicas,
                        struct cs_hpa_calc *out);

/* Object Value and External Value (§3.7); replicas 0 ignores tolerance. */
int cs_hpa_calc_value(const struct cs_hpa_calc_ctx *c,
                      const struct cs_hpa_metric_spec *m,
                      const struct cs_hpa_metric_input *in, int32_t replicas,
                      struct cs_hpa_calc *out);

/* Object AverageValue and External AverageValue (§3.7). */
int cs_hpa_calc_per_pod(const struct cs_hpa_calc_ctx *c,
                        const struct cs_hpa_metric_spec *m,
                        const struct cs_hpa_metric_input *in,
                        int32_t status_replicas, struct cs_hpa_calc *out);

/* float64 -> int32 / int64 as the controller converts its ceilings:
 * saturating at the type's limits, NaN -> 0. */
int32_t cs_hpa_ceil_i32(double x);
int64_t cs_hpa_ceil_i64(double x);

/* ---------------------------------------------------------------------- */
/* Per-HPA controller memory                                              */
/* ---------------------------------------------------------------------- */

struct cs_hpa_recommendation {
    cs_time_ms time;
    int32_t replicas; /* the unstabilized (prenormalized) value */
};

struct cs_hpa_scale_event {
    cs_time_ms time;
    int32_t delta; /* replicas added (up list) or removed (down list) */
    bool outdated; /* older than the longest policy period: reusable */
};

struct cs_hpa_scale_events {
    struct cs_hpa_scale_event *v;
    size_t n, cap;
};

enum cs_hpa_cond_type {
    CS_HPA_COND_ABLE_TO_SCALE,
    CS_HPA_COND_SCALING_ACTIVE,
    CS_HPA_COND_SCALING_LIMITED,
    CS_HPA_COND_COUNT
};

enum cs_hpa_cond_status {
    CS_HPA_COND_UNSET = 0, /* the condition is not in the status */
    CS_HPA_COND_TRUE,
    CS_HPA_COND_FALSE,
    CS_HPA_COND_UNKNOWN
};

struct cs_hpa_condition {
    enum cs_hpa_cond_status status;
    const char *reason; /* static text; NULL when unset */
    char message[CS_HPA_MSG_MAX];
    cs_time_ms last_transition; /* when status last changed */
};

/* "AbleToScale", ...; "True", "False", "Unknown", "" (unset). */
const char *cs_hpa_cond_type_name(enum cs_hpa_cond_type t);
const char *cs_hpa_cond_status_name(enum cs_hpa_cond_status s);

struct cs_hpa_state {
    /* recommendation history (§5.1, §6.2) */
    bool seeded; /* history exists (upstream: map entry not nil) */
    struct cs_hpa_recommendation *recs;
    size_t n_recs, cap_recs;
    /* scale events, only kept on the behavior path (§6.4) */
    struct cs_hpa_scale_events up;
    struct cs_hpa_scale_events down;
    /* metric names (§3.8) of the spec metric each was written for: a pass
     * copies the name instead of formatting it again */
    const struct cs_hpa_metric_spec *name_of[CS_HPA_MAX_METRICS];
    char names[CS_HPA_MAX_METRICS][CS_HPA_NAME_MAX];
    /* status */
    struct cs_hpa_condition cond[CS_HPA_COND_COUNT];
    bool has_last_scale;
    cs_time_ms last_scale_time;
};

/* Empty state: not seeded, no history, no conditions. Cannot fail. */
void cs_hpa_state_init(struct cs_hpa_state *st);

/* Free the history arrays; st must be init'ed again before reuse. */
void cs_hpa_state_fini(struct cs_hpa_state *st);

/* Check the state's invariants (hpa_normalize.c); for assert(). O(history).
 */
bool cs_hpa_state_check(const struct cs_hpa_state *st);

/* Append one record / one scale event as they are (no reuse, no marking):
 * to preload history in tests and the conformance runner. Also sets
 * st->seeded. Returns 0 or CS_ENOMEM (state unchanged). */
int cs_hpa_state_add_recommendation(struct cs_hpa_state *st, cs_time_ms t,
                                    int32_t replicas);
int cs_hpa_state_add_scale_event(struct cs_hpa_state *st, bool up, cs_time_ms t,
                                 int32_t delta);

/* ---------------------------------------------------------------------- */
/* §5, §6 normalization (hpa_normalize.c)                                 */
/* ---------------------------------------------------------------------- */

/* getReplicasChangePerPeriod: sum of the deltas of events strictly younger
 * than period_s seconds (time > now - period). */
int32_t cs_hpa_scale_events_change(const struct cs_hpa_scale_events *l,
                                   cs_time_ms now, int32_t period_s);

/* storeScaleEvent after a successful rescale prev -> next: mark the events
 * of that direction older than its longest policy period outdated, then
 * reuse the last outdated slot or append. `up`/`down` are the defaulted
 * rules, both NULL when the HPA has no behavior (then nothing is stored).
 * Returns 0 or CS_ENOMEM (event not stored). */
int cs_hpa_state_store_scale(struct cs_hpa_state *st,
                             const struct cs_hpa_rules *up,
                             const struct cs_hpa_rules *down, cs_time_ms now,
                             int32_t prev, int32_t next);

/* Legacy stabilizeRecommendation (§5.1): *out = max(prenormalized, records
 * not older than window). Stores prenormalized (reusing the last record
 * older than the window). Returns 0 or CS_ENOMEM (*out still set). */
int cs_hpa_stabilize_legacy(struct cs_hpa_state *st, cs_time_ms now,
                            cs_time_ms window, int32_t prenormalized,
                            int32_t *out);

/* stabilizeRecommendationWithBehaviors (§6.2): clamp current between the
 * min over the up window and the max over the down window. Stores
 * prenormalized (reusing the last record older than both windows). Returns
 * 0 or CS_ENOMEM (*out still set). */
int cs_hpa_stabilize_behavior(struct cs_hpa_state *st, cs_time_ms now,
                              cs_time_ms up_window, cs_time_ms down_window,
                              int32_t current, int32_t prenormalized,
                              int32_t *out);

/* A clamp's answer: the replicas and the ScalingLimited reason/message. */
struct cs_hpa_limit {
    int32_t replicas;
    const char *reason; /* DesiredWithinRange, TooFewReplicas, ... */
    const char *message;
};

/* convertDesiredReplicasWithRules (§5.2), cap max(factor*current, min). */
void cs_hpa_limit_legacy(const struct cs_hpa_config *cfg, int32_t current,
                         int32_t desired, int32_t min_replicas,
                         int32_t max_replicas, struct cs_hpa_limit *out);

/* calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWith-
 * Behaviors (§6.3) over st's scale events; rules must be defaulted. */
int32_t cs_hpa_scale_up_limit(const struct cs_hpa_state *st,
                              const struct cs_hpa_rules *up, cs_time_ms now,
                              int32_t current);
int32_t cs_hpa_scale_down_limit(const struct cs_hpa_state *st,
                                const struct cs_hpa_rules *down, cs_time_ms now,
                                int32_t current);

/* convertDesiredReplicasWithBehaviorRate (§6.3); rules must be defaulted. */
void cs_hpa_limit_behavior(const struct cs_hpa_state *st,
                           const struct cs_hpa_rules *up,
                           const struct cs_hpa_rules *down, cs_time_ms now,
                           int32_t current, int32_t desired,
                           int32_t min_replicas, int32_t max_replicas,
                           struct cs_hpa_limit *out);

/* The AbleToScale reason (status True) and message that a stabilization
 * from prenormalized to stabilized implies: ReadyForNewScale when equal,
 * else ScaleDownStabilized on the legacy path, Scale{Up,Down}Stabilized on
 * the behavior path (up when prenormalized >= current). */
void cs_hpa_stabilized_reason(bool behavior, int32_t current,
                              int32_t prenormalized, int32_t stabilized,
                              const char **reason, const char **message);

/* A whole normalization: stabilization then limit, with the AbleToScale
 * reason it implies (always status True) and the ScalingLimited verdict. */
struct cs_hpa_normalized {
    int32_t stabilized;
    int32_t desired;
    const char *able_reason; /* ReadyForNewScale / Scale{Up,Down}Stabilized */
    const char *able_message;
    bool limited; /* ScalingLimited True: desired != stabilized */
    struct cs_hpa_limit limit;
};

/* normalizeDesiredReplicas (no behavior, §5). Returns 0 or CS_ENOMEM (the
 * result is still computed; only the history record is lost). */
int cs_hpa_normalize_legacy(const struct cs_hpa_config *cfg,
                            struct cs_hpa_state *st, cs_time_ms now,
                            int32_t current, int32_t prenormalized,
                            int32_t min_replicas, int32_t max_replicas,
                            struct cs_hpa_normalized *out);

/* normalizeDesiredReplicasWithBehaviors (§6). up/down must be defaulted; an
 * unset down window means cfg->downscale_window. Returns as above. */
int cs_hpa_normalize_behavior(const struct cs_hpa_config *cfg,
                              struct cs_hpa_state *st,
                              const struct cs_hpa_rules *up,
                              const struct cs_hpa_rules *down, cs_time_ms now,
                              int32_t current, int32_t prenormalized,
                              int32_t min_replicas, int32_t max_replicas,
                              struct cs_hpa_normalized *out);

/* ---------------------------------------------------------------------- */
/* §2, §4 one reconcile pass (hpa_reconcile.c)                            */
/* ---------------------------------------------------------------------- */

enum cs_hpa_selector_state {
    CS_HPA_SELECTOR_OK = 0,
    CS_HPA_SELECTOR_MISSING,  /* scale.status.selector empty */
    CS_HPA_SELECTOR_INVALID,  /* it does not parse */
    CS_HPA_SELECTOR_AMBIGUOUS /* its pods are selected by another HPA too */
};

/* The target's scale subresource as read in this pass, and what happens
 * when the controller writes it. Zero-initialised plus the two replica
 * counts = the usual case. */
struct cs_hpa_scale {
    int32_t spec_replicas;   /* scale.spec.replicas = currentReplicas */
    int32_t status_replicas; /* scale.status.replicas */
    enum cs_hpa_selector_state selector_state;
    const char *selector;      /* selector text, for messages; may be NULL */
    const char *selector_hpas; /* AMBIGUOUS: e.g. "[ns/a ns/b]" */
    const char *get_error;     /* non-NULL: reading the scale fails; the
                                  pass only sets AbleToScale and an event */
    const char *update_error;  /* non-NULL: writing the scale fails */
};

enum cs_hpa_event_type { CS_HPA_EVENT_NORMAL, CS_HPA_EVENT_WARNING };

struct cs_hpa_event {
    enum cs_hpa_event_type type;
    const char *reason; /* static text, e.g. "SuccessfulRescale" */
    char message[CS_HPA_MSG_MAX];
};

/* One metric's outcome in a pass (status.currentMetrics and diagnostics). */
struct cs_hpa_metric_status {
    int rc;                     /* 0, or CS_EMETRIC: the metric failed */
    const char *fail_reason;    /* FailedGet...Metric / InvalidMetricSource-
                                   Type when rc != 0 */
    char name[CS_HPA_NAME_MAX]; /* §3.8 name */
    struct cs_hpa_calc calc;    /* proposal and current values; on failure
                                   calc.error holds the wrapped error text */
};

struct cs_hpa_result {
    int32_t current_replicas; /* scale.spec.replicas read */
    int32_t prenormalized;    /* metric proposal (§4); -1 if none */
    int32_t desired_replicas; /* status.desiredReplicas after the pass */
    bool rescale; /* the caller must set spec.replicas = desired_replicas */
    char reason[CS_HPA_MSG_MAX]; /* rescale reason, "" if none */
    size_t n_metrics;
    struct cs_hpa_metric_status metrics[CS_HPA_MAX_METRICS];
    struct cs_hpa_condition conditions[CS_HPA_COND_COUNT]; /* = st->cond */
    size_t n_events;
    size_t n_events_dropped; /* beyond CS_HPA_MAX_EVENTS */
    struct cs_hpa_event events[CS_HPA_MAX_EVENTS];
};

/* One reconcileAutoscaler pass at time `now` (§2): seed the history,
 * disabled / above-max / below-min branches, computeReplicasForMetrics
 * (max over metrics; a failing metric blocks a scale-down), legacy or
 * behavior normalization, conditions, events, and on a rescale the
 * scale-event bookkeeping and lastScaleTime. inputs[i] belongs to
 * cs_hpa_spec_metric(spec, i). The caller applies out->desired_replicas
 * when out->rescale is set (the write is assumed to succeed unless
 * scale->update_error says otherwise).
 *
 * Returns 0 (metric failures are reported through conditions and events),
 * CS_EINVAL (more than CS_HPA_MAX_METRICS metrics; nothing changed) or
 * CS_ENOMEM (a history record could not be stored; out is complete, the
 * history lacks that record). */
int cs_hpa_reconcile_scale(const struct cs_hpa_config *cfg,
                           const struct cs_hpa_spec *spec,
                           struct cs_hpa_state *st, cs_time_ms now,
                           const struct cs_hpa_scale *scale,
                           const struct cs_hpa_metric_input *inputs,
                           struct cs_hpa_result *out);

/* The same pass for the usual case: selector valid, scale read and written
 * without error. */
int cs_hpa_reconcile(const struct cs_hpa_config *cfg,
                     const struct cs_hpa_spec *spec, struct cs_hpa_state *st,
                     cs_time_ms now, int32_t spec_replicas,
                     int32_t status_replicas,
                     const struct cs_hpa_metric_input *inputs,
                     struct cs_hpa_result *out);

/* ---------------------------------------------------------------------- */
/* A pass in plain words (hpa_explain.c), for runbook tables              */
/* ---------------------------------------------------------------------- */

enum cs_hpa_action {
    CS_HPA_ACT_NONE,    /* nothing to do */
    CS_HPA_ACT_UP,      /* rescaled up */
    CS_HPA_ACT_DOWN,    /* rescaled down */
    CS_HPA_ACT_HELD,    /* a change held back by a stabilization window */
    CS_HPA_ACT_LIMITED, /* a change blocked by limits or policies */
    CS_HPA_ACT_FAILED   /* no usable metric, or scaling disabled */
};

/* Describe pass r of spec ("Scale up to 3 replicas", "No action (within
 * tolerance of the target)", "Scale-down to 2 held by the stabilization
 * window") into buf (snprintf rules) and classify it. */
enum cs_hpa_action cs_hpa_explain(const struct cs_hpa_config *cfg,
                                  const struct cs_hpa_spec *spec,
                                  const struct cs_hpa_result *r, char *buf,
                                  size_t n);

/* The first metric's current value as the pass saw it ("87%", "12.5", or
 * "unknown"), and a column header for it ("CPU Usage", or the metric's
 * name). snprintf rules. */
int cs_hpa_explain_usage(const struct cs_hpa_spec *spec,
                         const struct cs_hpa_result *r, char *buf, size_t n);
int cs_hpa_explain_header(const struct cs_hpa_spec *spec, char *buf, size_t n);

#endif
