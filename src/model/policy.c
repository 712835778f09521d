/*
 * policy.c - PodDisruptionBudget arithmetic (see policy.h), as upstream's
 * disruption controller computes status.disruptionsAllowed
 * (pkg/controller/disruption/disruption.go, getExpectedPodCount and
 * updatePdbStatus).
 */
#include "model/policy.h"

/* GetScaledValueFromIntOrPercent(roundUp = true): ceil(pct * total / 100). */
static int64_t scaled_up(int64_t pct, int64_t total)
{
    return (pct * total + 99) / 100;
}

int32_t cs_pdb_allowed(const struct cs_pdb *pdb, int32_t healthy,
                       int32_t expected)
{
    int64_t desired, allowed;

    if (expected < 0)
        expected = 0;
    if (pdb->kind == CS_PDB_MAX_UNAVAILABLE) {
        int64_t max = pdb->percent ? scaled_up(pdb->value, expected)
                                   : (int64_t)pdb->value;

        desired = (int64_t)expected - max;
        if (desired < 0)
            desired = 0;
    } else {
        desired = pdb->percent ? scaled_up(pdb->value, expected)
                               : (int64_t)pdb->value;
    }
    allowed = (int64_t)healthy - desired;
    if (expected <= 0 || allowed <= 0)
        return 0;
    return (int32_t)allowed;
}
