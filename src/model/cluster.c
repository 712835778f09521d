/* cluster.c - taints, tolerations and label matching (see cluster.h). */
#include "model/cluster.h"

#include <string.h>

int cs_taint_effect_parse(const char *s)
{
    if (strcmp(s, "NoSchedule") == 0)
        return CS_TAINT_NO_SCHEDULE;
    if (strcmp(s, "PreferNoSchedule") == 0)
        return CS_TAINT_PREFER_NO_SCHEDULE;
    if (strcmp(s, "NoExecute") == 0)
        return CS_TAINT_NO_EXECUTE;
    return 0;
}

/* v1 Toleration.ToleratesTaint: effect matches (or is empty), key matches
 * (or is empty with Exists), and Exists ignores the value. */
static int tolerates_one(const struct cs_toleration *t,
                         const struct cs_taint *taint)
{
    if (t->effect != 0 && t->effect != taint->effect)
        return 0;
    if (t->key[0] != '\0' && strcmp(t->key, taint->key) != 0)
        return 0;
    if (t->op == CS_TOL_EXISTS)
        return 1;
    return strcmp(t->value, taint->value) == 0;
}

int cs_tolerates(const struct cs_toleration *tol, int ntol,
                 const struct cs_taint *taints, int ntaints)
{
    for (int i = 0; i < ntaints; i++) {
        int ok = 0;

        /* PreferNoSchedule only lowers a score; it never filters. */
        if (taints[i].effect == CS_TAINT_PREFER_NO_SCHEDULE)
            continue;
        for (int j = 0; j < ntol && !ok; j++)
            ok = tolerates_one(&tol[j], &taints[i]);
        if (!ok)
            return 0;
    }
    return 1;
}

/* 1 if host is "<pool>-<i>" with i a node index of the pool. */
static int pool_has_host(const struct cs_pool *pool, const char *host)
{
    size_t n = strlen(pool->name);
    long i = 0;
    const char *d;

    if (strncmp(host, pool->name, n) != 0 || host[n] != '-' ||
        host[n + 1] == '\0')
        return 0;
    for (d = host + n + 1; *d != '\0'; d++) {
        if (*d < '0' || *d > '9' || i > 100000000)
            return 0;
        i = i * 10 + (*d - '0');
    }
    return (d - host - (long)n - 1 == 1 || host[n + 1] != '0') &&
           i < pool->nodes;
}

int cs_labels_match(const struct cs_kv *selector, int nsel,
                    const struct cs_pool *pool, const char *hostname)
{
    for (int i = 0; i < nsel; i++) {
        int ok = 0;

        if (strcmp(selector[i].key, "kubernetes.io/hostname") == 0) {
            ok = hostname ? strcmp(selector[i].value, hostname) == 0
                          : pool_has_host(pool, selector[i].value);
        } else {
            for (int j = 0; j < pool->nlabels && !ok; j++)
                ok = strcmp(pool->labels[j].key, selector[i].key) == 0 &&
                     strcmp(pool->labels[j].value, selector[i].value) == 0;
        }
        if (!ok)
            return 0;
    }
    return 1;
}
