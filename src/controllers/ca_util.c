/*
 * ca_util.c - node utilization and scale-down eligibility
 * (CLUSTER_AUTOSCALER_SPEC §5.2): which nodes the cluster autoscaler may
 * consider removing before it simulates moving their pods.
 *
 * Upstream files: simulator/utilization/info.go (Calculate,
 * CalculateUtilizationOfResource), core/scaledown/eligibility/eligibility.go
 * (FilterOutUnremovable, unremovableReasonAndNodeUtilization) and the
 * reason names of simulator/cluster.go (UnremovableReason).
 *
 * Only requests count, never usage. A resource's utilization is
 *
 *     sum of counted pods' requests / (allocatable - skipped requests)
 *
 * where DaemonSet pods (with skip_ds) and mirror pods (with skip_mirror)
 * are "skipped": left out of the numerator and taken off the allocatable.
 * Long-terminating pods are left out of the numerator only. A GPU node's
 * utilization is its GPU utilization alone.
 */
#include "controllers/ca_algo.h"

#include <math.h>
#include <string.h>

/* Utilization of resource r (alloc > 0). A zero denominator (skipped pods
 * request the whole node) gives 0 when nothing else is requested and
 * +inf otherwise, where upstream divides by zero (NaN or +Inf). */
static double util_of(const struct cs_resvec *alloc, int r,
                      const struct cs_ca_util_pod *pods, size_t n, int skip_ds,
                      int skip_mirror)
{
    int64_t req = 0, skipped = 0, denom;

    for (size_t i = 0; i < n; i++) {
        const struct cs_ca_util_pod *p = &pods[i];

        if ((skip_ds && p->daemonset) || (skip_mirror && p->mirror))
            skipped += p->req.v[r];
        else if (!p->long_terminating)
            req += p->req.v[r];
    }
    denom = alloc->v[r] - skipped;
    if (denom == 0)
        return req == 0 ? 0.0 : INFINITY;
    return (double)req / (double)denom;
}

int cs_ca_utilization(const struct cs_resvec *alloc, int gpu_res, int gpu_node,
                      const struct cs_ca_util_pod *pods, size_t n, int skip_ds,
                      int skip_mirror, struct cs_ca_util *out)
{
    memset(out, 0, sizeof(*out));
    if (gpu_node) {
        /* A GPU node is judged by its GPU only; an unready GPU (nothing
         * allocatable yet) reads 0 so the node can still go. */
        out->gpu_node = 1;
        if (gpu_res >= 0 && gpu_res < CS_RES_MAX && alloc->v[gpu_res] > 0)
            out->gpu = util_of(alloc, gpu_res, pods, n, skip_ds, skip_mirror);
        out->value = out->gpu;
        return 0;
    }
    if (alloc->v[CS_RES_CPU] <= 0 || alloc->v[CS_RES_MEMORY] <= 0)
        return -1;
    out->cpu = util_of(alloc, CS_RES_CPU, pods, n, skip_ds, skip_mirror);
    out->mem = util_of(alloc, CS_RES_MEMORY, pods, n, skip_ds, skip_mirror);
    out->value = out->cpu > out->mem ? out->cpu : out->mem;
    return 0;
}

/* By enum cs_ca_unremovable; REMOVABLE is upstream's NoReason. */
static const char *const reason_names[CS_CA_NREASONS] = {
    "NoReason",
    "NotUnderutilized",
    "UnexpectedError",
    "ScaleDownUnreadyDisabled",
    "CurrentlyBeingDeleted",
    "ScaleDownDisabledAnnotation",
    "RecentlyUnremovable",
    "NoPlaceToMovePods",
    "BlockedByPod",
    "NotEnoughPdb",
    "NodeGroupMinSizeReached",
};

const char *cs_ca_unremovable_name(int reason)
{
    if (reason < 0 || reason >= CS_CA_NREASONS)
        return "unknown";
    return reason_names[reason];
}

int cs_ca_eligibility(const struct cs_ca_eligibility_in *in)
{
    /* FilterOutUnremovable checks the recheck cache before anything else,
     * then unremovableReasonAndNodeUtilization in this order. */
    if (in->recently_unremovable)
        return CS_CA_RECENTLY_UNREMOVABLE;
    if (in->being_deleted)
        return CS_CA_BEING_DELETED;
    if (in->disabled_annotation)
        return CS_CA_DISABLED_ANNOTATION;
    if (in->util_error)
        return CS_CA_UNEXPECTED_ERROR;
    if (!in->ready && !in->unready_enabled)
        return CS_CA_UNREADY_DISABLED;
    /* Since 8704d355ab a node at exactly the threshold is a candidate;
     * written as upstream does so that a NaN passes too. */
    if (in->util > in->threshold)
        return CS_CA_NOT_UNDERUTILIZED;
    return CS_CA_REMOVABLE;
}
