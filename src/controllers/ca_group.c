/*
 * ca_group.c - per-node-group rules of the cluster autoscaler: exponential
 * backoff after failed scale-ups (CLUSTER_AUTOSCALER_SPEC §6.4), splitting a
 * scale-up over similar groups and the similarity test itself (§3).
 *
 * Upstream files: utils/backoff/exponential_backoff.go,
 * processors/nodegroupset/balancing_processor.go (BalanceScaleUpBetweenGroups)
 * and processors/nodegroupset/compare_nodegroups.go, label_nodegroups.go.
 *
 * Backoff entry states (the function that moves it):
 *
 *   absent --fail--> backed off --(now > until)--> expired
 *     ^                 ^  |  fail: d kept            |
 *     |                 |  +--------------------------+ fail: d = min(2d, max)
 *     +--gc (last_failure + reset < now) / remove------+
 *
 * Invariants:
 *   1. An active entry has until == last_failure + duration, and duration
 *      is initial or a doubling of it capped at max.
 *   2. cs_ca_balance never lowers a size, never raises one past its max,
 *      and leaves groups at or above their max untouched.
 */
#include "controllers/ca_algo.h"

#include <string.h>

/* ---------------------------------------------------------------------- */
/* Backoff                                                                */
/* ---------------------------------------------------------------------- */

void cs_ca_backoff_fail(struct cs_ca_backoff_entry *e,
                        const struct cs_ca_backoff_cfg *c, cs_time_ms t)
{
    cs_time_ms d = c->initial;

    if (e->active && e->until < t) {
        /* Expired: this is a new failure, the backoff grows. */
        d = e->duration > c->max / 2 ? c->max : 2 * e->duration;
    } else if (e->active) {
        /* Concurrent failures while backed off do not compound. */
        d = e->duration;
    }
    e->active = 1;
    e->duration = d;
    e->until = t + d;
    e->last_failure = t;
}

int cs_ca_backoff_active(const struct cs_ca_backoff_entry *e, cs_time_ms now)
{
    return e->active && e->until >= now;
}

void cs_ca_backoff_gc(struct cs_ca_backoff_entry *e,
                      const struct cs_ca_backoff_cfg *c, cs_time_ms now)
{
    if (e->active && e->last_failure + c->reset < now)
        cs_ca_backoff_remove(e);
}

void cs_ca_backoff_remove(struct cs_ca_backoff_entry *e)
{
    memset(e, 0, sizeof(*e));
}

/* ---------------------------------------------------------------------- */
/* Balancing                                                              */
/* ---------------------------------------------------------------------- */

/* The group to grow next: smallest new size among those below max; ties
 * go to the smaller current size, then the lower index (upstream sorts by
 * current size and sweeps from the start). -1 when all are full. */
static int next_group(const int32_t *cur, const int32_t *max,
                      const int32_t *out, int n)
{
    int best = -1;

    for (int i = 0; i < n; i++) {
        if (cur[i] >= max[i] || out[i] >= max[i])
            continue;
        if (best < 0 || out[i] < out[best] ||
            (out[i] == out[best] && cur[i] < cur[best]))
            best = i;
    }
    return best;
}

int32_t cs_ca_balance(const int32_t *cur, const int32_t *max, int n,
                      int32_t add, int32_t *out)
{
    int32_t added = 0;

    for (int i = 0; i < n; i++)
        out[i] = cur[i];
    /* One node at a time to the smallest group: O(add * n), and add is at
     * most the sum of the free room (the loop stops when all are full). */
    while (added < add) {
        int g = next_group(cur, max, out, n);

        if (g < 0)
            break;
        out[g]++;
        added++;
    }
    return added;
}

/* ---------------------------------------------------------------------- */
/* Similarity                                                             */
/* ---------------------------------------------------------------------- */

/* Labels no comparison looks at (CreateGenericNodeInfoComparator): the
 * node name and its failure domain, in both spellings, plus two labels
 * whose values vary per group by construction. */
static const char *const ignored_always[] = {
    "kubernetes.io/hostname",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "beta.kubernetes.io/fluentd-ds-ready",
    "kops.k8s.io/instancegroup",
};

static int in_list(const char *s, const char *const *list, int n)
{
    for (int i = 0; i < n; i++)
        if (list[i] != NULL && strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

static int ignored(const char *key, const struct cs_ca_similarity_cfg *cfg)
{
    int nalways = (int)(sizeof(ignored_always) / sizeof(ignored_always[0]));

    return in_list(key, ignored_always, nalways) ||
           in_list(key, cfg->ignore_labels, cfg->nignore);
}

/* Value of label `key` on t, NULL when absent. */
static const char *label(const struct cs_ca_template *t, const char *key)
{
    for (int i = 0; i < t->nlabels; i++)
        if (strcmp(t->label_keys[i], key) == 0)
            return t->label_values[i];
    return NULL;
}

/* Every label of a that is compared exists on b with the same value. */
static int labels_covered(const struct cs_ca_template *a,
                          const struct cs_ca_template *b,
                          const struct cs_ca_similarity_cfg *cfg)
{
    for (int i = 0; i < a->nlabels; i++) {
        const char *v;

        if (ignored(a->label_keys[i], cfg))
            continue;
        v = label(b, a->label_keys[i]);
        if (v == NULL || strcmp(v, a->label_values[i]) != 0)
            return 0;
    }
    return 1;
}

/* --balancing-label (label_nodegroups.go): only these labels, each present
 * on both with equal values; resources are not compared. */
static int only_labels_same(const struct cs_ca_template *a,
                            const struct cs_ca_template *b,
                            const struct cs_ca_similarity_cfg *cfg)
{
    for (int i = 0; i < cfg->nonly; i++) {
        const char *va = label(a, cfg->only_labels[i]);
        const char *vb = label(b, cfg->only_labels[i]);

        if (va == NULL || vb == NULL || strcmp(va, vb) != 0)
            return 0;
    }
    return 1;
}

/* (larger - smaller) <= larger * ratio, in doubles like upstream. */
static int within(int64_t x, int64_t y, double ratio)
{
    double larger = x > y ? (double)x : (double)y;
    double smaller = x > y ? (double)y : (double)x;

    return !(larger - smaller > larger * ratio);
}

static int resources_similar(const struct cs_ca_template *a,
                             const struct cs_ca_template *b, int nres,
                             const struct cs_ca_similarity_cfg *cfg)
{
    uint32_t mask = nres >= 32 ? UINT32_MAX : ((uint32_t)1 << nres) - 1;

    if ((a->present & mask) != (b->present & mask) ||
        a->max_pods != b->max_pods)
        return 0;
    for (int r = 0; r < nres; r++) {
        if (!(a->present & ((uint32_t)1 << r)))
            continue;
        if (r == CS_RES_MEMORY
                ? !within(a->capacity.v[r], b->capacity.v[r], cfg->memory_ratio)
                : a->capacity.v[r] != b->capacity.v[r])
            return 0;
        if (!within(a->allocatable.v[r], b->allocatable.v[r],
                    cfg->allocatable_ratio) ||
            !within(a->free.v[r], b->free.v[r], cfg->free_ratio))
            return 0;
    }
    return 1;
}

int cs_ca_similar(const struct cs_ca_template *a,
                  const struct cs_ca_template *b, int nres,
                  const struct cs_ca_similarity_cfg *cfg)
{
    if (cfg->nonly > 0)
        return only_labels_same(a, b, cfg);
    return resources_similar(a, b, nres, cfg) && labels_covered(a, b, cfg) &&
           labels_covered(b, a, cfg);
}
