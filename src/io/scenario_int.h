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
    const struct cs_ynode **cronjobs;
    size_t ncronjobs, cronjobs_cap;
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

/* An error e found inside scalar v by a parser that reports the column
 * within the text (e->col, 1-based; 0: unknown): located at that
 * character of the file, as "what: message". Returns CS_EINVAL. */
int ld_fail_in(struct ld *l, const struct cs_ynode *v, const struct cs_err *e,
               const char *what);

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
/* A pod template ({metadata: {labels}, spec}) into w->spec, with capsim's
 * default model of the workload. */
int ld_pod_template(struct ld *l, const struct cs_ynode *tmpl, const char *what,
                    struct cs_workload *w);
/* CronJobs that run no kubectl: batch workloads appended to sc->workloads
 * (count them first to size the array). */
size_t ld_count_batch(struct ld *l);
int ld_batch_cronjobs(struct ld *l);
int ld_workload_model(struct ld *l, const struct cs_ynode *n, const char *what,
                      struct cs_workload *w);
int ld_hpa(struct ld *l, const struct cs_ynode *obj, struct cs_scenario_hpa *h);
int ld_external_metrics(struct ld *l, const struct cs_ynode *n);
/* schedule: items and CronJob manifests (after workloads and HPAs) */
int ld_schedule(struct ld *l, const struct cs_ynode *list);
int ld_cronjobs(struct ld *l);
/* Resolve the names s's actions give (targets[]); a failure is reported at
 * node `at`. */
int ld_sched_resolve(struct ld *l, struct cs_sched *s,
                     const struct cs_ynode *at);
/* The cron line in scalar v into s (has_cron set); errors point into the
 * line. */
int ld_cron(struct ld *l, const struct cs_ynode *v, const char *what,
            struct cs_sched *s);
/* Room for `more` entries after sc->scheds[0..nscheds). */
int ld_sched_grow(struct ld *l, size_t more);
/* Load the time zone named by scalar v into sc->tzs. */
int ld_zone(struct ld *l, const struct cs_ynode *v, const char *what,
            const struct cs_tz **out);

/* Index of the workload named name, or -1. */
int ld_find_workload(const struct ld *l, const char *name);

#endif
