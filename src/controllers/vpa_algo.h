/*
 * vpa_algo.h - the Vertical Pod Autoscaler's arithmetic, as pure functions
 * over plain structs (no simulation state): histograms and their decay, the
 * per-container memory peak and OOM bookkeeping, the recommender's
 * estimators, capping, the updater's priority and eviction limits, and
 * proportional limits. Behaviour: /work/shared/specs/VPA_SPEC.md; the
 * upstream unit tests' numbers are in tests/conformance/vpa_*.csv and run
 * by `capsim conformance`. controllers/vpa.c drives these from the
 * simulation.
 *
 * Units: CPU in cores (double) inside histograms and millicores (int64)
 * outside; memory in bytes (double inside, int64 outside). Times are
 * cs_time_ms. Conversions from float to integer truncate toward zero and
 * clamp to [0, CS_VPA_MAX_AMOUNT], as upstream's resourceAmountFromFloat.
 *
 * Ownership: the caller allocates every struct; *_init functions that
 * allocate have a matching *_fini, and a failed init leaves nothing to
 * free.
 */
#ifndef CS_CONTROLLERS_VPA_ALGO_H
#define CS_CONTROLLERS_VPA_ALGO_H

#include "core/time.h"
#include "model/vpa.h"

#include <stdint.h>

#define CS_VPA_MAX_AMOUNT 100000000000000LL /* 1e14 (model/types.go) */
#define CS_VPA_MIN_SAMPLE_WEIGHT 0.1
#define CS_VPA_EPSILON 1e-4 /* 0.001 x minSampleWeight */
#define CS_VPA_MAX_DECAY_EXPONENT 100
#define CS_VPA_MAX_CHECKPOINT_WEIGHT 10000 /* histogram.go */
#define CS_VPA_MAX_BUCKETS 100000          /* sanity bound of the options */

/* ---- histogram options (util/histogram_options.go) -------------------- */

struct cs_vpa_hist_opts {
    int exponential; /* 0: linear buckets of width `first` */
    double first;    /* first bucket size (or the linear bucket size) */
    double ratio;    /* exponential growth ratio (1 + growth) */
    double max;      /* largest value with its own bucket */
    int nbuckets;
    double epsilon; /* minimum weight of a non-empty bucket */
};

/* Linear buckets of width `size` up to `max` (nbuckets = ceil(max/size)
 * + 1). Returns 0, or CS_EINVAL (o untouched) for a non-positive size, max
 * or epsilon, or more than CS_VPA_MAX_BUCKETS buckets. */
int cs_vpa_hist_opts_linear(struct cs_vpa_hist_opts *o, double max, double size,
                            double epsilon);

/* Exponential buckets: bucket 0 = [0, first), bucket n starts at
 * first * (ratio^n - 1) / (ratio - 1). Returns 0 or CS_EINVAL (o
 * untouched: non-positive max, first or epsilon, ratio <= 1, or more than
 * CS_VPA_MAX_BUCKETS buckets). */
int cs_vpa_hist_opts_exponential(struct cs_vpa_hist_opts *o, double max,
                                 double first, double ratio, double epsilon);

/* The defaults of aggregations_config.go: CPU 0.01 core first bucket,
 * 1000 cores max; memory 1e7 bytes, 1e12 bytes max; ratio 1.05; epsilon
 * 1e-4. Both have 176 buckets. */
void cs_vpa_hist_opts_cpu(struct cs_vpa_hist_opts *o);
void cs_vpa_hist_opts_memory(struct cs_vpa_hist_opts *o);

/* Bucket of value v (0 below the first bucket or NaN, the last one above
 * max): upstream's formula (floor(v / size), floor(log_r(v (r - 1) / first
 * + 1))), then moved by one when floating-point rounding put v on the
 * wrong side of a bucket start: a value within 1e-12 (relative) below a
 * start, true or as cs_vpa_hist_bucket_start computes it, is in the
 * bucket it starts (0.01 and 0.0205 core are in buckets 1 and 2; a value
 * equal to a percentile's upper edge falls in the next bucket). */
int cs_vpa_hist_bucket(const struct cs_vpa_hist_opts *o, double v);

/* Start of bucket b (0 <= b < nbuckets). */
double cs_vpa_hist_bucket_start(const struct cs_vpa_hist_opts *o, int b);

/* ---- histograms (util/histogram.go, decaying_histogram.go) ------------ */

/* Operation log (tests, conformance): called by cs_vpa_hist_add and
 * cs_vpa_hist_subtract with their arguments (subtract 0 or 1; the weight
 * before decay), as upstream's histogram mock records them. */
typedef void (*cs_vpa_hist_log_fn)(void *arg, int subtract, double v,
                                   double weight, cs_time_ms t);

/* A histogram; with half_life > 0 a decaying one: a sample at time t
 * weighs weight * 2^((t - ref) / half_life), and ref moves forward (every
 * bucket rescaled) when t - ref would exceed CS_VPA_MAX_DECAY_EXPONENT
 * half-lives. ref starts at 0 (the simulation's epoch plays upstream's
 * zero time) and is always a multiple of half_life. */
struct cs_vpa_hist {
    const struct cs_vpa_hist_opts *o; /* borrowed; outlives the histogram */
    double *w;                        /* [o->nbuckets] bucket weights */
    double total;                     /* sum of w */
    int min_b, max_b;       /* lowest / highest bucket that may be non-empty */
    cs_time_ms half_life;   /* 0: plain histogram */
    cs_time_ms ref;         /* decay reference time */
    cs_vpa_hist_log_fn log; /* NULL (init); see cs_vpa_hist_log_fn */
    void *log_arg;
};

/* Returns 0, or CS_ENOMEM (nothing to free). */
int cs_vpa_hist_init(struct cs_vpa_hist *h, const struct cs_vpa_hist_opts *o,
                     cs_time_ms half_life);
void cs_vpa_hist_fini(struct cs_vpa_hist *h);

/* Add (subtract) `weight` at value v and time t (t ignored when plain).
 * Negative weights are ignored; a subtraction leaves a bucket at 0 at
 * least, and a bucket below epsilon counts as empty. O(1), O(buckets)
 * when the reference moves. */
void cs_vpa_hist_add(struct cs_vpa_hist *h, double v, double weight,
                     cs_time_ms t);
void cs_vpa_hist_subtract(struct cs_vpa_hist *h, double v, double weight,
                          cs_time_ms t);

/* Merge src into dst (same options and half-life; decaying ones aligned
 * to the later reference: src, left unchanged, is scaled on the fly).
 * O(buckets). */
void cs_vpa_hist_merge(struct cs_vpa_hist *dst, const struct cs_vpa_hist *src);

/* 1 if no bucket holds at least epsilon. */
int cs_vpa_hist_empty(const struct cs_vpa_hist *h);

/* Percentile p (any real; below 0 acts as 0, above 1 as 1): the upper
 * edge (start of the next bucket) of the first bucket where the
 * cumulative weight reaches p x total, or the last bucket's own start;
 * 0.0 when empty. O(buckets). */
double cs_vpa_hist_percentile(const struct cs_vpa_hist *h, double p);

/* Checkpoint (histogram.go SaveToChekpoint / LoadFromCheckpoint): bucket
 * weights scaled so that the largest is 10000, rounded, zeros dropped.
 * save writes up to o->nbuckets pairs (bucket, weight) and returns how
 * many, with the total weight in *total; load replaces h's contents so
 * that the buckets sum to total. */
int cs_vpa_hist_save(const struct cs_vpa_hist *h, int *bucket, uint32_t *weight,
                     double *total);
void cs_vpa_hist_load(struct cs_vpa_hist *h, const int *bucket,
                      const uint32_t *weight, int n, double total);

/* ---- aggregate container state (model/aggregate_container_state.go) ---- */

/* Everything the recommender keeps per (VPA, container name). */
struct cs_vpa_agg {
    struct cs_vpa_hist cpu;  /* cores */
    struct cs_vpa_hist mem;  /* bytes, one peak per container and interval */
    cs_time_ms first_sample; /* FirstSampleStart; CS_TIME_NEVER: none */
    cs_time_ms last_sample;  /* LastSampleStart; INT64_MIN: none */
    int64_t total_samples;   /* TotalSamplesCount (CPU samples) */
};

/* Options borrowed by the histograms; cfg gives the half-lives. Returns 0
 * or CS_ENOMEM. */
int cs_vpa_agg_init(struct cs_vpa_agg *a, const struct cs_vpa_hist_opts *cpu,
                    const struct cs_vpa_hist_opts *mem,
                    const struct cs_vpa_config *cfg);
void cs_vpa_agg_fini(struct cs_vpa_agg *a);

/* n equal CPU samples (n containers reporting the same usage) of `cores`
 * at time t: n x 0.1 x decay into the histogram, the count grows by n,
 * first/last sample times follow t. Upstream drops a sample that is not
 * newer than the same container's previous one; containers are the
 * caller's, so the caller does that check. Returns 1 (0 when n <= 0 or
 * cores < 0: nothing added). */
int cs_vpa_agg_add_cpu(struct cs_vpa_agg *a, double cores, int64_t n,
                       cs_time_ms t);

/* MergeContainerState: src's histograms merged into dst's (see
 * cs_vpa_hist_merge), the earliest first and latest last sample, the
 * counts summed. src is unchanged. */
void cs_vpa_agg_merge(struct cs_vpa_agg *dst, const struct cs_vpa_agg *src);

/* ---- one container's memory peak (model/container.go) ----------------- */

/* The state of one container instance: its aggregation window and the
 * peak stored for it in the aggregate's memory histogram. */
struct cs_vpa_cstate {
    cs_time_ms window_end;  /* CS_TIME_NEVER before the first sample */
    double peak;            /* bytes: the sample stored for this window */
    int peak_oom;           /* the stored sample is an OOM bump */
    double usage_peak;      /* bytes: the window's usage-based peak */
    cs_time_ms last_sample; /* time of the last memory sample */
    cs_time_ms last_cpu;    /* time of the last CPU sample; INT64_MIN */
};

void cs_vpa_cstate_init(struct cs_vpa_cstate *s);

/* A memory sample (working set, bytes) at time t: rolls the window when t
 * is at or past its end (the first sample opens [t, t + interval)), and
 * replaces this container's peak in `mem` when the sample is larger
 * (subtract the old peak, add the new one, weight 1 at window_end; as
 * upstream, a window whose stored peak is 0 keeps it). cfg gives the
 * interval. Returns 1, or 0 (nothing changed) for a negative or NaN value
 * or a sample older than the last one. */
int cs_vpa_cstate_add_memory(struct cs_vpa_cstate *s, struct cs_vpa_hist *mem,
                             double bytes, cs_time_ms t,
                             const struct cs_vpa_config *cfg);

/* A CPU sample of this container at time t into aggregate a (upstream's
 * per-container check): dropped (returns 0) when negative or not after
 * this container's previous CPU sample, else cs_vpa_agg_add_cpu(a, cores,
 * 1, t) and 1. */
int cs_vpa_cstate_add_cpu(struct cs_vpa_cstate *s, struct cs_vpa_agg *a,
                          double cores, cs_time_ms t);

/* RecordOOM: an OOM kill at time t of a container requesting `request`
 * bytes. Returns CS_EINVAL (and changes nothing) when t is before
 * window_end minus one interval (upstream's staleness test: the window
 * ends at most one interval after the last sample, so this is at most the
 * last sample's time; VPA_SPEC §1.4 words it as "the last sample minus
 * 24 h"), else 0 after recording max(used + trunc(min bump),
 * trunc(used x ratio)), used = max(request, the window's usage peak
 * before any roll), as a memory sample flagged OOM at t: it rolls the
 * window like a usage sample (TestRecordOOMInNewWindow) and replaces the
 * window's peak if larger. */
int cs_vpa_cstate_record_oom(struct cs_vpa_cstate *s, struct cs_vpa_hist *mem,
                             double request, cs_time_ms t,
                             const struct cs_vpa_config *cfg);

/* ---- estimation (logic/estimator.go, recommender.go) ------------------ */

/* Bounds of one resource (millicores or bytes). */
struct cs_vpa_bounds {
    int64_t lower, target, upper;
    int64_t uncapped_target;
};

/* Confidence in days: min((last - first) / interval, samples /
 * minutes(interval)); 0 with no sample. */
double cs_vpa_confidence(const struct cs_vpa_agg *a, cs_time_ms interval);

/* (1 + multiplier / confidence)^exponent as upstream's math.Pow computes
 * it (an integral exponent by repeated squaring, a negative one as the
 * reciprocal): +inf for confidence 0 and a positive exponent, 0 for a
 * negative one. */
double cs_vpa_confidence_factor(double multiplier, double exponent,
                                double confidence);

/* trunc(x x (1 + multiplier / confidence)^exponent), clamped to
 * [0, CS_VPA_MAX_AMOUNT]; confidence 0 gives the limit of the formula
 * (CS_VPA_MAX_AMOUNT for a positive exponent, 0 for a negative one; 0 when
 * x is 0). */
int64_t cs_vpa_confidence_scale(int64_t x, double multiplier, double exponent,
                                double confidence);

/* x + trunc(x x margin), x an amount in [0, CS_VPA_MAX_AMOUNT]. */
int64_t cs_vpa_margin(int64_t x, double margin);

/* The per-container share of the per-pod minimums (cfg pod_min_*) over
 * ncontainers (< 1 counts as 1): trunc(min x (1 / n)), as upstream. */
void cs_vpa_pod_min(const struct cs_vpa_config *cfg, int ncontainers,
                    int64_t *cpu_m, int64_t *mem_bytes);

/* The resources a policy controls: bits CS_RES_CPU / CS_RES_MEMORY of
 * p->controlled (p NULL: both; mode Off: none). */
uint32_t cs_vpa_policy_controlled(const struct cs_vpa_policy *p);

/* The recommender's pipeline for one container of a VPA with `ncontainers`
 * containers that get a recommendation: percentiles, safety margin,
 * confidence multipliers (lower, upper), then the per-pod minimum split
 * evenly. uncapped_target = target (capping comes after). */
void cs_vpa_estimate(const struct cs_vpa_agg *a,
                     const struct cs_vpa_config *cfg, int ncontainers,
                     struct cs_vpa_bounds *cpu_m,
                     struct cs_vpa_bounds *mem_bytes);

/* Cap the three bounds of resource r (CS_RES_CPU in millicores,
 * CS_RES_MEMORY in bytes) with policy p (may be NULL) and the global
 * maxima of cfg: raise to minAllowed, then lower to maxAllowed (max wins).
 * A maxAllowed the policy does not give is the global one; a zero bound
 * is none. The policy's milli-bytes are rounded up to bytes
 * (Quantity.Value()). uncapped_target is left alone. */
void cs_vpa_cap(struct cs_vpa_bounds *b, int r, const struct cs_vpa_policy *p,
                const struct cs_vpa_config *cfg);

/* ---- limits (pkg/utils/vpa/limit_and_request_scaling.go) -------------- */

/* GetProportionalLimit, in milli-units. orig_limit / orig_request /
 * default_limit < 0 mean unset. Returns 1 with *limit set, or 0 for "no
 * limit"; *capped is set to 1 when the result was capped at INT64_MAX
 * milli-units (an annotation upstream), else 0. */
int cs_vpa_proportional_limit(int64_t orig_limit, int64_t orig_request,
                              int64_t rec_request, int64_t default_limit,
                              int64_t *limit, int *capped);

/* The same for resource r, as upstream computes each: CPU (and any r but
 * memory) exactly as cs_vpa_proportional_limit, in milli-units; memory in
 * whole bytes (each input rounded up to bytes, as Quantity.Value(), the
 * quotient floored: limit 200, request 150, recommendation 100 gives 133
 * bytes, not 133.333), returned in milli-bytes. A result past INT64_MAX
 * (bytes upstream; here also past INT64_MAX milli-bytes) is INT64_MAX
 * milli-units with *capped = 1. */
int cs_vpa_proportional_limit_res(int r, int64_t orig_limit,
                                  int64_t orig_request, int64_t rec_request,
                                  int64_t default_limit, int64_t *limit,
                                  int *capped);

/* ---- updater priority (updater/priority/) ----------------------------- */

/* One container as the priority calculation sees it: its requests
 * (milli-units; req_set bit r when given) and the capped recommendation of
 * each recommended resource (rec_set bit r), in the same milli-units. */
struct cs_vpa_pod_container {
    int64_t req[2];
    uint32_t req_set;
    int64_t lower[2], target[2], upper[2];
    uint32_t rec_set;
};

struct cs_vpa_priority {
    int outside;          /* OutsideRecommendedRange */
    int scale_up;         /* ScaleUp */
    double resource_diff; /* sum over resources of |R - T| / R */
};

/* The priority of a pod of n containers (CS_RES_CPU and CS_RES_MEMORY). */
void cs_vpa_priority_of(const struct cs_vpa_pod_container *c, int n,
                        struct cs_vpa_priority *out);

/* 1 if the updater accepts the pod: outside the range; or quick_oom and
 * diff > 0; or age >= lifetime threshold and diff >= the update threshold
 * (age < 0: no start time). As upstream, a quick-OOMed pod whose diff is
 * 0 is refused even when outside the range. */
int cs_vpa_accept(const struct cs_vpa_priority *p, cs_time_ms age,
                  int quick_oom, const struct cs_vpa_config *cfg);

/* 1 if a goes after b: b scales up and a does not, or the same ScaleUp
 * and a's diff is smaller (upstream's Less). */
int cs_vpa_priority_less(const struct cs_vpa_priority *a,
                         const struct cs_vpa_priority *b);

/* The scaling-direction admission (scaling_direction_pod_eviction_
 * admission.go): 1 if the pod of n containers may be updated under the
 * requirements r[0..nr): no requirement; or some container (with a
 * recommendation) lacks a CPU or memory request; or some container has,
 * for every requirement, at least one of its resources whose target
 * (0 when not recommended) is above (TargetHigherThanRequests) or below
 * (TargetLowerThanRequests) its request. */
int cs_vpa_eviction_admit(const struct cs_vpa_pod_container *c, int n,
                          const struct cs_vpa_evreq *r, int nr);

/* ---- eviction restriction (updater/restriction/) ---------------------- */

struct cs_vpa_evict_group {
    int skip;           /* fewer live pods than min-replicas */
    int32_t configured; /* the controller's desired replicas */
    int32_t running;    /* live pods that are not Pending */
    int32_t tolerance;  /* trunc(configured x eviction tolerance) */
    int32_t evicted;    /* evictions so far in this loop */
};

/* A group of `live` pods (running of them not Pending) of a controller
 * that wants `configured`. The group is skipped (no pod of it may be
 * evicted, Pending or not) when live < min_replicas or configured <= 0
 * (upstream: "no replicas config"). */
void cs_vpa_evict_group_init(struct cs_vpa_evict_group *g, int32_t configured,
                             int32_t live, int32_t running,
                             int32_t min_replicas, double tolerance);

/* 1 if a pod of the group may be evicted now (pending: the pod is
 * Pending). */
int cs_vpa_can_evict(const struct cs_vpa_evict_group *g, int pending);

/* Count an eviction (of a non-pending pod). */
void cs_vpa_evict_done(struct cs_vpa_evict_group *g, int pending);

#endif
