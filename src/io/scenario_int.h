/*
 * scenario_int.h - shared state of the scenario loader (scenario*.c,
 * manifest*.c). Not a public interface.
 */
#ifndef CS_IO_SCENARIO_INT_H
#define CS_IO_SCENARIO_INT_H

#include "io/scenario.h"
#include "io/yfield.h"
#include "io/ytree.h"

#define CS_MAX_OBJECTS 100000

struct ld {
    struct cs_scenario *sc;
    struct cs_yarena *arena;
    struct cs_err *err;
    const char *base_dir;
    /* Kubernetes objects gathered from `manifests` */
    const struct cs_ynode **deploys;
    size_t ndeploys, deploys_cap;
    const struct cs_ynode **hpas;
    size_t nhpas, hpas_cap;
};

/* Allocation owned by the scenario (freed by cs_scenario_destroy); zeroed.
 * NULL with err set on failure. */
void *ld_alloc(struct ld *l, size_t n);

/* err helpers: located at node n. Always return CS_EINVAL. */
int ld_fail(struct ld *l, const struct cs_ynode *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Parse a string map {k: v} into an array of cs_kv. */
int ld_kv_map(struct ld *l, const struct cs_ynode *n, const char *what,
              struct cs_kv **out, int *nout);

/* Parse a resource map {cpu: 200m, memory: 1Gi, nvidia.com/gpu: 1}. */
int ld_resources(struct ld *l, const struct cs_ynode *n, const char *what,
                 struct cs_resvec *v, uint32_t *set);

/* manifests */
int ld_manifests(struct ld *l, const struct cs_ynode *list);
int ld_deployment(struct ld *l, const struct cs_ynode *obj,
                  struct cs_workload *w);
int ld_workload_model(struct ld *l, const struct cs_ynode *n, const char *what,
                      struct cs_workload *w);
int ld_hpa(struct ld *l, const struct cs_ynode *obj, struct cs_scenario_hpa *h);
int ld_external_metrics(struct ld *l, const struct cs_ynode *n);

/* Index of the workload named name, or -1. */
int ld_find_workload(const struct ld *l, const char *name);

#endif
