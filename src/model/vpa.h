/*
 * vpa.h - a VerticalPodAutoscaler object (autoscaling.k8s.io/v1) and the
 * flags of the VPA components, as the scenario loader leaves them.
 *
 * Units: every amount is a resource's milli-units (res.h): CPU in
 * millicores, memory in milli-bytes, as the rest of the model. The
 * algorithms (controllers/vpa_algo.h) work in millicores and bytes; the
 * runtime converts (bytes = milli-bytes / 1000).
 */
#ifndef CS_MODEL_VPA_H
#define CS_MODEL_VPA_H

#include "core/time.h"
#include "model/res.h"

#include <stdint.h>

/* spec.updatePolicy.updateMode. Unset is Recreate (GetUpdateMode); Auto is
 * deprecated and behaves as Recreate. */
enum cs_vpa_mode {
    CS_VPA_OFF = 0,
    CS_VPA_INITIAL,
    CS_VPA_RECREATE,
    CS_VPA_AUTO,
    CS_VPA_IN_PLACE_OR_RECREATE,
    CS_VPA_IN_PLACE
};

/* containerPolicies[].controlledValues */
enum cs_vpa_values {
    CS_VPA_REQUESTS_AND_LIMITS = 0, /* default */
    CS_VPA_REQUESTS_ONLY
};

/* resourcePolicy.containerPolicies[i]; containerName "*" is the default
 * policy of containers no other entry names. */
struct cs_vpa_policy {
    const char *container; /* containerName */
    int off;               /* mode: Off (no recommendation) */
    uint32_t controlled;   /* bit CS_RES_CPU / CS_RES_MEMORY; default both */
    int values;            /* enum cs_vpa_values */
    struct cs_resvec min_allowed, max_allowed; /* milli-units */
    uint32_t min_set, max_set; /* bit r: min/maxAllowed gives resource r */
};

/* updatePolicy.evictionRequirements[i]: a pod may be updated only when,
 * for some container with a recommendation, every requirement holds for at
 * least one of its resources (KEP-4831). */
struct cs_vpa_evreq {
    uint32_t resources; /* bit CS_RES_CPU / CS_RES_MEMORY */
    int higher;         /* 1: TargetHigherThanRequests, 0: ...LowerThan... */
};

struct cs_vpa_spec {
    const char *name;
    const char *ns;
    int workload;         /* spec.targetRef: a Deployment's index */
    int mode;             /* enum cs_vpa_mode */
    int32_t min_replicas; /* updatePolicy.minReplicas; 0: the updater flag */
    struct cs_vpa_evreq *evreqs; /* updatePolicy.evictionRequirements */
    int nevreqs;
    struct cs_vpa_policy *policies;
    int npolicies;
    const char *recommender; /* spec.recommenders[0].name; NULL: default.
                                A VPA naming another recommender gets no
                                recommendation from the default one. */
    int line, col;           /* where it was declared */
};

/* Flags of the recommender, updater and admission controller (upstream
 * names in comments; defaults in cs_vpa_config_defaults). */
struct cs_vpa_config {
    /* recommender */
    cs_time_ms recommender_interval; /* --recommender-interval 1m */
    double margin_fraction;          /* --recommendation-margin-fraction */
    double target_cpu_pct, target_mem_pct; /* 0.9 / 0.9 */
    double lower_cpu_pct, lower_mem_pct;   /* 0.5 / 0.5 */
    double upper_cpu_pct, upper_mem_pct;   /* 0.95 / 0.95 */
    cs_time_ms conf_interval_cpu;          /* --confidence-interval-cpu 24h */
    cs_time_ms conf_interval_mem;  /* --confidence-interval-memory 24h */
    int64_t pod_min_cpu_m;         /* --pod-recommendation-min-cpu-
                                      millicores 25 */
    int64_t pod_min_mem_bytes;     /* --pod-recommendation-min-memory-mb
                                      250 (MiB, here in bytes) */
    cs_time_ms cpu_half_life;      /* --cpu-histogram-decay-half-life */
    cs_time_ms mem_half_life;      /* --memory-histogram-decay-half-
                                      life 24h */
    cs_time_ms mem_agg_interval;   /* --memory-aggregation-interval */
    int32_t mem_agg_count;         /* --memory-aggregation-interval-
                                      count 8 */
    double oom_bump_ratio;         /* --oom-bump-up-ratio 1.2 */
    int64_t oom_min_bump_bytes;    /* --oom-min-bump-up-bytes 100Mi */
    int64_t max_allowed_cpu_m;     /* --container-recommendation-max-
                                      allowed-cpu; 0: none */
    int64_t max_allowed_mem_bytes; /* ...-memory; 0: none */
    /* updater */
    cs_time_ms updater_interval;   /* --updater-interval 1m */
    int32_t min_replicas;          /* --min-replicas 2 */
    double eviction_tolerance;     /* --eviction-tolerance 0.5 */
    double pod_update_threshold;   /* --pod-update-threshold 0.1 */
    cs_time_ms lifetime_threshold; /* --in-recommendation-bounds-
                                      eviction-lifetime-threshold 12h */
    cs_time_ms evict_after_oom;    /* --evict-after-oom-threshold 10m */
};

/* Fill c with the upstream defaults (VPA_SPEC.md §1.6, §5.5). */
void cs_vpa_config_defaults(struct cs_vpa_config *c);

/* Mode name as the API spells it ("Off", "Recreate", ...); "Unknown" for
 * a value that is no enum cs_vpa_mode. */
const char *cs_vpa_mode_name(int mode);
/* The enum cs_vpa_mode of spec.updatePolicy.updateMode as the API spells
 * it (case-sensitive, as cs_vpa_mode_name() gives it), or -1 for anything
 * else. O(modes). */
int cs_vpa_mode_parse(const char *name);
/* The accepted modes, for messages ("... must be " CS_VPA_MODES). */
#define CS_VPA_MODES                                                           \
    "Off, Initial, Recreate, Auto, InPlaceOrRecreate or InPlace"

/* The policy that applies to container `name`: the entry naming it, else
 * the "*" entry, else NULL (the defaults). O(policies). */
const struct cs_vpa_policy *cs_vpa_policy_for(const struct cs_vpa_spec *v,
                                              const char *name);

/* 1 if the VPA's admission controller sets requests at pod creation
 * (every mode but Off), 1 if the updater acts on running pods (Recreate,
 * Auto, InPlaceOrRecreate, InPlace). */
static inline int cs_vpa_mode_admits(int mode)
{
    return mode != CS_VPA_OFF;
}
static inline int cs_vpa_mode_updates(int mode)
{
    return mode == CS_VPA_RECREATE || mode == CS_VPA_AUTO ||
           mode == CS_VPA_IN_PLACE_OR_RECREATE || mode == CS_VPA_IN_PLACE;
}

#endif
