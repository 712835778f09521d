/*
 * scenario_int.h - shared state of the scenario loader (scenario*.c,
 * manifest*.c). Not a public interface.
 */
#ifndef CS_IO_SCENARIO_INT_H
#define CS_IO_SCENARIO_INT_H

#include "io/override.h"
#include "io/scenario.h"
#include "io/yfield.h"
#include "io/ytree.h"

#define CS_MAX_OBJECTS 100000

/* A scheduling.k8s.io/v1 PriorityClass (manifest_policy.c). */
struct ld_pclass {
    const char *name;
    int32_t value;
    int global_default;
};

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
    /* VerticalPodAutoscalers and the VPA's own Deployments (recommender,
     * updater, admission controller), in manifest order (scenario_vpa.c) */
    const struct cs_ynode **vpas;
    size_t nvpas, vpas_cap;
    size_t warnings_cap; /* room in sc->warnings */
    /* PodDisruptionBudgets, ResourceQuotas, DaemonSets, PriorityClasses and
     * the priority expander ConfigMap (manifest_policy.c) */
    const struct cs_ynode **policies;
    size_t npolicies, policies_cap;
    const struct cs_ynode *ca_deploy; /* a cluster-autoscaler Deployment */
    const struct cs_ynode *ca_at;     /* what enabled the CA, for messages */
    struct ld_pclass *pclasses;       /* PriorityClasses, once read */
    size_t npclasses;
    /* --set overrides (override.h): ov_hits[i] counts the objects that
     * override i changed, inline or in a manifest file */
    const struct cs_override *ov;
    size_t nov;
    size_t *ov_hits;
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

/* One `name: quantity` entry of a resource map into v (and its bit in
 * *set when set is not NULL). */
int ld_resource_entry(struct ld *l, const struct cs_ynode *k,
                      const struct cs_ynode *val, const char *what,
                      struct cs_resvec *v, uint32_t *set);

/* A delay distribution (docs/scenario-format.md "Distributions"), checked
 * (scenario_workload.c). */
int ld_dist(struct ld *l, const struct cs_ynode *n, const char *what,
            struct cs_dist *d);

/* cluster: node pools and reclaims (scenario_cluster.c). */
int ld_cluster(struct ld *l, const struct cs_ynode *n);
/* An enabled cluster autoscaler needs an autoscaled pool (after the
 * manifests and the clusterAutoscaler block). */
int ld_check_ca(struct ld *l);

/* One flag of a flag list, for ld_flag_list(): `it` is the item, `name`
 * the flag's name without its dashes (cut to 127 bytes), `value` what
 * follows '=' in it->str (NULL if no '='), `next` the item after it (NULL
 * at the end), `ip` the item's path for messages. Sets *used to 1 when it
 * took its value from next (which is then skipped). 0, or < 0 with l->err
 * set. */
typedef int (*ld_flag_fn)(struct ld *l, void *ctx, const struct cs_ynode *it,
                          const char *name, const char *value,
                          const struct cs_ynode *next, const char *ip,
                          int *used);
/* A command-line list (a sequence of strings, checked) as the binaries'
 * pflag parsers read it: one(ctx, ...) for every "--flag=value", "--flag"
 * or "-flag" item; the binary's path, other words and "--" are skipped
 * (scenario_flags.c). Stops at the first failure (CS_EINVAL, l->err set);
 * the flags set before it stay set. */
int ld_flag_list(struct ld *l, const struct cs_ynode *seq, const char *what,
                 ld_flag_fn one, void *ctx);

/* Cluster-autoscaler flags as a container's argument list (a sequence of
 * "--flag=value", "--flag value" or "--flag" for a bool; items that are
 * not flags, such as the binary's path, are skipped) into sc->ca. */
int ld_ca_args(struct ld *l, const struct cs_ynode *seq, const char *what);
/* The clusterAutoscaler block of the scenario's root map if any (after the
 * manifests, which it overrides), then ld_check_ca() (scenario_flags.c). */
int ld_ca_top(struct ld *l, const struct cs_ynode *root);
/* The priority expander's configuration {priority: [regex, ...]} into
 * sc->ca.priorities (replacing any earlier one); every regex compiles
 * (manifest_policy.c, shared with the ConfigMap). */
int ld_ca_priorities(struct ld *l, const struct cs_ynode *n, const char *what);

/* manifests */
int ld_manifests(struct ld *l, const struct cs_ynode *list);
/* The overrides l->ov applied to the scenario document *root (scenario
 * keys and inline objects) before it is read; manifest files get theirs
 * as they are loaded, and ld_manifests() reports an object none named. */
int ld_override_root(struct ld *l, struct cs_ynode **root);
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
/* The metadata keys an HPA or a VPA may have (NULL-terminated;
 * manifest_hpa.c). */
extern const char *const ld_meta_keys[];

/* VerticalPodAutoscalers (manifest_vpa.c, scenario_vpa.c). */
enum ld_vpa_comp {
    LD_VPA_RECOMMENDER = 1, /* an image containing "vpa-recommender" */
    LD_VPA_UPDATER,         /* "vpa-updater" */
    LD_VPA_ADMISSION        /* "vpa-admission-controller" */
};
/* The VPA component a Deployment runs (by its containers' images), or 0:
 * such a Deployment is no workload. */
int ld_vpa_component(const struct cs_ynode *obj);
/* The image name that identifies component comp. */
const char *ld_vpa_image(int comp);
/* The flags in the command and args of a component Deployment's
 * containers into sc->vpa_cfg (the admission controller's are ignored). */
int ld_vpa_deployment(struct ld *l, const struct cs_ynode *obj, int comp);
/* A component's flags as a command-line list ("--flag=value", "--flag
 * value"; other items skipped) into sc->vpa_cfg; comp is
 * LD_VPA_RECOMMENDER or LD_VPA_UPDATER. */
int ld_vpa_args(struct ld *l, int comp, const struct cs_ynode *seq,
                const char *what);
/* One VerticalPodAutoscaler object into *v (zeroed first; its target
 * resolved to a Deployment). Needs the workloads loaded. */
int ld_vpa(struct ld *l, const struct cs_ynode *obj, struct cs_vpa_spec *v);
/* Every VPA of l->vpas into sc->vpas (after the HPAs, for the HPA+VPA
 * warning), the component Deployments' flags, then root's
 * verticalPodAutoscaler block, which overrides them. */
int ld_vpas(struct ld *l, const struct cs_ynode *root);
/* Append "FILE:LINE:COL: message" (located at `at`) to sc->warnings.
 * 0 or CS_ENOMEM (err set). */
int ld_warn(struct ld *l, const struct cs_ynode *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
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

/* Policy objects (manifest_policy.c). ld_policy_object() takes obj if its
 * kind is one of PodDisruptionBudget, ResourceQuota, DaemonSet,
 * PriorityClass, the priority expander ConfigMap or a cluster-autoscaler
 * Deployment (returns 1), else returns 0; < 0 on error. */
int ld_policy_object(struct ld *l, const struct cs_ynode *obj, const char *api,
                     const char *kind, const struct cs_ynode *av,
                     const char *what);
/* PriorityClasses into l->pclasses (before any pod template is read). */
int ld_priority_classes(struct ld *l);
/* The value of PriorityClass `name` (built-in system classes included);
 * 0 or CS_ENOENT. */
int ld_pclass_value(const struct ld *l, const char *name, int32_t *value);
/* The globalDefault PriorityClass's value, or 0. */
int32_t ld_default_priority(const struct ld *l);
/* PDBs (resolved to workloads), ResourceQuotas, DaemonSets, the priority
 * ConfigMap and the cluster-autoscaler Deployment, after every workload. */
int ld_policies(struct ld *l);

/* The string map[key] into *out (a pointer into the tree), with "what.key"
 * as its path in messages. A missing key, a non-scalar or an empty value
 * is < 0 with l->err set and *out untouched (manifest.c). */
int ld_str_field(struct ld *l, const struct cs_ynode *map, const char *key,
                 const char *what, const char **out);

/* Index of the workload named name, or -1. */
int ld_find_workload(const struct ld *l, const char *name);

#endif
