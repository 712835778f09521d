/*
 * cluster_fixture.h - the scenario fixture shared by test_scenario_cluster.c
 * and test_manifest_policy.c: a Deployment `web`, a node group `g`, and
 * load() / fails() that build a scenario from pools, extra manifests and
 * top-level keys and assert it loads, or fails with an exact message.
 */
#ifndef CS_TESTS_CLUSTER_FIXTURE_H
#define CS_TESTS_CLUSTER_FIXTURE_H

#include "test_util.h"

#define SEC 1000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)

/* A Deployment `web` (labels app: web, 2 replicas) after `manifests:`. */
static const char web[] =
    "  - apiVersion: apps/v1\n"
    "    kind: Deployment\n"
    "    metadata: {name: web}\n"
    "    spec:\n"
    "      replicas: 2\n"
    "      template:\n"
    "        metadata: {labels: {app: web, tier: front}}\n"
    "        spec:\n"
    "          containers:\n"
    "            - {name: c, resources: {requests: {cpu: 100m}}}\n";

/* duration, the pools (list items), web plus `manifests` (more items),
 * then `tail` (top-level keys). */
static char *compose(const char *pools, const char *manifests, const char *tail)
{
    size_t n = strlen(pools) + strlen(manifests) + strlen(tail) + 4096;
    char *yaml = malloc(n);

    assert_non_null(yaml);
    snprintf(yaml, n,
             "duration: 2h\n"
             "cluster:\n"
             "  nodePools:\n%s"
             "manifests:\n%s%s%s",
             pools, web, manifests, tail);
    return yaml;
}

static const char group[] =
    "    - {name: g, minSize: 1, maxSize: 10, capacity: {cpu: 4, memory: "
    "16Gi}}\n";

static struct cs_scenario *load(const char *pools, const char *manifests,
                                const char *tail)
{
    char *yaml = compose(pools, manifests, tail);
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);

    if (sc == NULL)
        fail_msg("%s:%d:%d: %s", err.path, err.line, err.col, err.msg);
    free(yaml);
    return sc;
}

/* The load fails with exactly `want` ("inline.yaml:L:C: message"). */
static void fails(const char *pools, const char *manifests, const char *tail,
                  const char *want)
{
    char *yaml = compose(pools, manifests, tail), got[1200];
    struct cs_err err;
    struct cs_scenario *sc = tu_load_string(yaml, &err);

    if (sc != NULL)
        fail_msg("loaded, but should fail with: %s", want);
    cs_err_format(&err, got, sizeof(got));
    if (strcmp(got, want) != 0)
        fail_msg("\n want: %s\n  got: %s", want, got);
    free(yaml);
}

#endif
