/*
 * action.h - a scheduled change to the cluster, as a runbook or a CronJob
 * running kubectl would make it.
 *
 * An action names its target by the object's name (a Deployment for SCALE
 * and RESOURCES, a HorizontalPodAutoscaler for PATCH_HPA, a
 * VerticalPodAutoscaler for PATCH_VPA); the scenario loader resolves names
 * to indices when it builds a schedule. Every string
 * is borrowed from whoever built the action (the scenario's YAML arena).
 */
#ifndef CS_MODEL_ACTION_H
#define CS_MODEL_ACTION_H

#include <stdint.h>

#define CS_ACTION_RES_MAX 8

enum cs_action_kind {
    CS_ACTION_SCALE,     /* kubectl scale deployment NAME --replicas=N */
    CS_ACTION_PATCH_HPA, /* kubectl patch hpa NAME -p '{"spec":{...}}' */
    CS_ACTION_RESOURCES, /* kubectl set resources deployment NAME ... */
    CS_ACTION_PATCH_VPA  /* kubectl patch vpa NAME --type=merge -p
                            '{"spec":{"updatePolicy":{...}}}' */
};

/* One resource amount by name ("cpu", "memory", "nvidia.com/gpu"). */
struct cs_action_qty {
    const char *name;
    int64_t milli; /* milli-units, as cs_quantity_parse_milli gives */
};

struct cs_action {
    enum cs_action_kind kind;
    const char *target; /* Deployment, HPA or VPA name */

    /* SCALE */
    int32_t replicas; /* >= 0 */

    /* PATCH_HPA: -1 means "left as it is" */
    int32_t min_replicas; /* >= 0 */
    int32_t max_replicas; /* >= 1 */
    int32_t utilization;  /* a new averageUtilization target, percent */
    int32_t metric_index; /* of spec.metrics it applies to; -1: the cpu
                             Resource metric */

    /* RESOURCES: a rolling restart with new requests / limits */
    const char *container; /* -c NAME; NULL: every container */
    struct cs_action_qty req[CS_ACTION_RES_MAX];
    int nreq;
    struct cs_action_qty lim[CS_ACTION_RES_MAX];
    int nlim;

    /* PATCH_VPA: spec.updatePolicy.updateMode */
    int32_t vpa_mode; /* enum cs_vpa_mode (model/vpa.h); -1: left as it is */
};

/* An action with every optional field "unchanged". */
static inline void cs_action_init(struct cs_action *a, enum cs_action_kind kind)
{
    *a = (struct cs_action){.kind = kind,
                            .min_replicas = -1,
                            .max_replicas = -1,
                            .utilization = -1,
                            .metric_index = -1,
                            .vpa_mode = -1};
}

#endif
