/*
 * ca_flags.c - the cluster autoscaler's flags: the table of every flag of
 * /work/shared/specs/CLUSTER_AUTOSCALER_SPEC.md section 7 (upstream
 * config/flags/flags.go at f7bb0c36), the defaults derived from it, and
 * the parser of one flag's value.
 *
 * The table is the single source of truth: cs_ca_config_defaults() parses
 * each flag's default text with the same code that parses a user's value,
 * docs/cluster-autoscaler.md lists the same rows (tests/controllers/
 * test_ca_flags.c checks that the page names every flag), and a flag the
 * simulation does not model is still type-checked, so a Deployment's real
 * argument list loads unchanged.
 *
 * Invariants:
 *   1. names are unique and have no leading dashes;
 *   2. every default parses with its type;
 *   3. a stored flag's offset points at a field of the type its kind
 *      implies (BOOL int, INT int32_t, FLOAT double, DURATION cs_time_ms,
 *      RANGE two int64_t, LIST a `const char **` followed by an int count);
 *      the static asserts below pin the layouts RANGE and LIST rely on.
 *
 * Values follow Go's flag package: durations in Go notation (the project's
 * parser, which also takes bare seconds), bools as strconv.ParseBool reads
 * them, list flags repeated or comma-separated (each value appends).
 */
#include "controllers/ca.h"

#include "io/quantity.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define OFF(field) offsetof(struct cs_ca_config, field)

/* Stored and simulated; not stored (accepted, no effect). */
#define F(n, t, d, field)                                                      \
    {                                                                          \
        n, CS_CAF_##t, d, OFF(field), 1                                        \
    }
#define X(n, t, d)                                                             \
    {                                                                          \
        n, CS_CAF_##t, d, SIZE_MAX, 0                                          \
    }

static_assert(OFF(cores_max) == OFF(cores_min) + sizeof(int64_t),
              "cores-total stores min then max");
static_assert(OFF(memory_max) == OFF(memory_min) + sizeof(int64_t),
              "memory-total stores min then max");
static_assert(OFF(nbalancing_ignore_labels) ==
                  OFF(balancing_ignore_labels) + sizeof(const char **),
              "a list is followed by its count");
static_assert(OFF(nbalancing_labels) ==
                  OFF(balancing_labels) + sizeof(const char **),
              "a list is followed by its count");

const struct cs_ca_flag cs_ca_flags[] = {
    /* 7.1 core flags: main loop and scale-up */
    F("scan-interval", DURATION, "10s", scan_interval),
    F("frequent-loops-enabled", BOOL, "true", frequent_loops),
    F("max-nodes-total", INT, "0", max_nodes_total),
    F("cores-total", RANGE, "0:320000", cores_min),
    F("memory-total", RANGE, "0:6400000", memory_min),
    X("gpu-total", LIST, "[]"),
    X("nodes", LIST, "[]"),
    X("node-group-auto-discovery", LIST, "[]"),
    F("expander", STRING, "least-waste", expander),
    {"estimator", CS_CAF_STRING, "binpacking", SIZE_MAX, 1},
    X("grpc-expander-url", STRING, ""),
    X("grpc-expander-cert", STRING, ""),
    F("new-pod-scale-up-delay", DURATION, "0s", new_pod_scale_up_delay),
    F("max-nodes-per-scaleup", INT, "1000", max_nodes_per_scaleup),
    X("max-nodegroup-binpacking-duration", DURATION, "10s"),
    X("max-binpacking-time", DURATION, "5m"),
    F("fastpath-binpacking-enabled", BOOL, "false", fastpath_binpacking),
    F("balance-similar-node-groups", BOOL, "false", balance_similar),
    F("balancing-ignore-label", LIST, "[]", balancing_ignore_labels),
    F("balancing-label", LIST, "[]", balancing_labels),
    F("memory-difference-ratio", FLOAT, "0.015", memory_difference_ratio),
    F("max-allocatable-difference-ratio", FLOAT, "0.05",
      max_allocatable_difference_ratio),
    F("max-free-difference-ratio", FLOAT, "0.05", max_free_difference_ratio),
    F("max-node-provision-time", DURATION, "15m", max_node_provision_time),
    F("max-node-startup-time", DURATION, "15m", max_node_startup_time),
    F("initial-node-group-backoff-duration", DURATION, "5m", backoff.initial),
    F("max-node-group-backoff-duration", DURATION, "30m", backoff.max),
    F("node-group-backoff-reset-timeout", DURATION, "3h", backoff.reset),
    F("max-total-unready-percentage", INT, "45", max_total_unready_percentage),
    F("ok-total-unready-count", INT, "3", ok_total_unready_count),
    F("scale-up-from-zero", BOOL, "true", scale_up_from_zero),
    F("enforce-node-group-min-size", BOOL, "false",
      enforce_node_group_min_size),
    X("parallel-scale-up", BOOL, "false"),
    X("salvo-scale-up", BOOL, "false"),
    X("salvo-scale-up-budget", DURATION, "1m"),
    F("expendable-pods-priority-cutoff", INT, "-10",
      expendable_pods_priority_cutoff),
    X("bypassed-scheduler-names", LIST, "[]"),
    X("allowed-scheduler-names", LIST, "[]"),
    X("pending-pods-batching-timeout", DURATION, "4m"),
    X("enable-graceful-degradation", BOOL, "false"),
    X("predicate-parallelism", INT, "4"),
    X("force-ds", BOOL, "false"),
    X("scale-from-unschedulable", BOOL, "false"),
    X("startup-taint", LIST, "[]"),
    X("startup-taint-prefix", LIST, "[]"),
    X("status-taint", LIST, "[]"),
    X("ignore-taint", LIST, "[]"),
    /* 7.1 core flags: scale-down */
    F("scale-down-enabled", BOOL, "true", scale_down_enabled),
    F("scale-down-delay-after-add", DURATION, "10m", delay_after_add),
    F("scale-down-delay-after-delete", DURATION, "0s", delay_after_delete),
    F("scale-down-delay-after-failure", DURATION, "3m", delay_after_failure),
    F("scale-down-delay-type-local", BOOL, "false", delay_type_local),
    F("scale-down-unneeded-time", DURATION, "10m", unneeded_time),
    F("scale-down-unready-time", DURATION, "20m", unready_time),
    F("scale-down-unready-enabled", BOOL, "true", unready_enabled),
    F("scale-down-utilization-threshold", FLOAT, "0.5", utilization_threshold),
    F("scale-down-gpu-utilization-threshold", FLOAT, "0.5",
      gpu_utilization_threshold),
    F("ignore-daemonsets-utilization", BOOL, "false",
      ignore_daemonsets_utilization),
    F("ignore-mirror-pods-utilization", BOOL, "false",
      ignore_mirror_pods_utilization),
    F("scale-down-non-empty-candidates-count", INT, "30",
      non_empty_candidates_count),
    F("scale-down-candidates-pool-ratio", FLOAT, "0.1", candidates_pool_ratio),
    F("scale-down-candidates-pool-min-count", INT, "50",
      candidates_pool_min_count),
    X("scale-down-simulation-timeout", DURATION, "30s"),
    F("unremovable-node-recheck-timeout", DURATION, "5m", unremovable_recheck),
    F("max-scale-down-parallelism", INT, "10", max_scale_down_parallelism),
    F("max-drain-parallelism", INT, "1", max_drain_parallelism),
    F("max-graceful-termination-sec", INT, "600", max_graceful_termination_s),
    X("drain-priority-config", STRING, ""),
    F("max-pod-eviction-time", DURATION, "2m", max_pod_eviction_time),
    F("node-delete-delay-after-taint", DURATION, "5s",
      delete_delay_after_taint),
    X("dynamic-node-delete-delay-after-taint-enabled", BOOL, "false"),
    X("node-deletion-delay-timeout", DURATION, "2m"),
    X("node-deletion-batcher-interval", DURATION, "0s"),
    X("node-deletion-candidate-ttl", DURATION, "0s"),
    F("cordon-node-before-terminating", BOOL, "true",
      cordon_before_terminating),
    F("daemonset-eviction-for-empty-nodes", BOOL, "false", ds_eviction_empty),
    F("daemonset-eviction-for-occupied-nodes", BOOL, "true",
      ds_eviction_occupied),
    F("skip-nodes-with-system-pods", BOOL, "true", skip_nodes_with_system_pods),
    F("blocking-system-pod-distruption-timeout", DURATION, "1h",
      blocking_system_pod_timeout),
    F("skip-nodes-with-local-storage", BOOL, "true",
      skip_nodes_with_local_storage),
    F("skip-nodes-with-custom-controller-pods", BOOL, "true",
      skip_nodes_with_custom_controller_pods),
    F("min-replica-count", INT, "0", min_replica_count),
    F("max-bulk-soft-taint-count", INT, "10", max_bulk_soft_taint_count),
    X("max-bulk-soft-taint-time", DURATION, "3s"),
    F("force-delete-unregistered-nodes", BOOL, "false",
      force_delete_unregistered),
    X("force-delete-failed-nodes", BOOL, "false"),
    X("max-inactivity", DURATION, "10m"),
    X("max-failing-time", DURATION, "15m"),
    X("max-startup-time", DURATION, "20m"),
    /* 7.2 infrastructure, auxiliary and experimental flags */
    X("cluster-name", STRING, ""),
    X("address", STRING, ":8085"),
    X("kubernetes", STRING, ""),
    X("kubeconfig", STRING, ""),
    X("kube-api-content-type", STRING, "application/vnd.kubernetes.protobuf"),
    X("kube-client-burst", INT, "10"),
    X("kube-client-qps", FLOAT, "5"),
    X("cloud-config", STRING, ""),
    X("namespace", STRING, "kube-system"),
    X("cloud-provider", STRING, "gce"),
    X("write-status-configmap", BOOL, "true"),
    X("status-config-map-name", STRING, "cluster-autoscaler-status"),
    X("regional", BOOL, "false"),
    X("aws-use-static-instance-list", BOOL, "false"),
    X("scheduler-verbosity", INT, "0"),
    X("gce-concurrent-refreshes", INT, "1"),
    X("gce-mig-instances-min-refresh-wait-time", DURATION, "5s"),
    X("bulk-mig-instances-listing-enabled", BOOL, "false"),
    X("profiling", BOOL, "false"),
    X("clusterapi-cloud-config-authoritative", BOOL, "false"),
    X("user-agent", STRING, "cluster-autoscaler"),
    X("emit-per-nodegroup-metrics", BOOL, "false"),
    X("debugging-snapshot-enabled", BOOL, "false"),
    X("node-info-cache-expire-time", DURATION, "87600h"),
    X("record-duplicated-events", BOOL, "false"),
    X("scheduler-config-file", STRING, ""),
    X("enable-provisioning-requests", BOOL, "false"),
    X("provisioning-request-initial-backoff-time", DURATION, "1m"),
    X("provisioning-request-max-backoff-time", DURATION, "10m"),
    X("provisioning-request-max-backoff-cache-size", INT, "1000"),
    X("async-node-groups", BOOL, "false"),
    X("enable-proactive-scaleup", BOOL, "false"),
    X("pod-injection-limit", INT, "5000"),
    X("check-capacity-batch-processing", BOOL, "false"),
    X("check-capacity-provisioning-request-max-batch-size", INT, "10"),
    X("check-capacity-provisioning-request-batch-timebox", DURATION, "10s"),
    X("check-capacity-processor-instance", STRING, ""),
    X("enable-dynamic-resource-allocation", BOOL, "true"),
    X("enable-csi-node-aware-scheduling", BOOL, "false"),
    X("capacity-buffer-controller-enabled", BOOL, "false"),
    X("capacity-buffer-pod-injection-enabled", BOOL, "false"),
    X("capacity-buffer-pod-dry-run-enabled", BOOL, "true"),
    X("capacity-quotas-enabled", BOOL, "false"),
    X("node-removal-latency-tracking-enabled", BOOL, "false"),
    X("max-node-skip-eval-time-tracker-enabled", BOOL, "false"),
    X("scaleup-simulation-for-skipped-node-groups-enabled", BOOL, "false"),
    X("cluster-snapshot-parallelism", INT, "16"),
    /* leader election (component-base, the FAQ's table) */
    X("leader-elect", BOOL, "true"),
    X("leader-elect-lease-duration", DURATION, "15s"),
    X("leader-elect-renew-deadline", DURATION, "10s"),
    X("leader-elect-retry-period", DURATION, "2s"),
    X("leader-elect-resource-lock", STRING, "leases"),
    X("leader-elect-resource-name", STRING, "cluster-autoscaler"),
    X("leader-elect-resource-namespace", STRING, ""),
};

const size_t cs_ca_nflags = sizeof(cs_ca_flags) / sizeof(cs_ca_flags[0]);

/* klog's flags, which every real Deployment passes (--v=4, ...): accepted
 * with any value and ignored; the spec leaves them out of its tables. */
static const char *const log_flags[] = {"v",
                                        "vmodule",
                                        "logtostderr",
                                        "alsologtostderr",
                                        "log_dir",
                                        "log_file",
                                        "log_file_max_size",
                                        "stderrthreshold",
                                        "skip_headers",
                                        "skip_log_headers",
                                        "add_dir_header",
                                        "one_output",
                                        "log_backtrace_at",
                                        "log-flush-frequency",
                                        NULL};

/* ---- expander chain (spec 2.5) ----------------------------------------- */

/* "priority,least-waste" into chain[]: known names, none twice, nothing
 * after random, grpc refused (it needs an external server). */
static int parse_chain(const char *v, int *chain, int *nchain,
                       struct cs_err *err)
{
    int out[CS_CA_EXPANDERS_MAX], n = 0;
    const char *p = v;

    for (;;) {
        size_t len = strcspn(p, ",");
        char name[32] = "";
        int e = 0;

        if (len < sizeof(name)) {
            memcpy(name, p, len);
            name[len] = '\0';
            e = cs_ca_expander_parse(name);
        }
        if (strcmp(name, "grpc") == 0)
            return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                              "--expander: the grpc expander is not "
                              "simulated");
        if (e == 0)
            return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                              "--expander: unknown expander \"%.*s\" (use "
                              "random, most-pods, least-nodes, least-waste, "
                              "price or priority)",
                              (int)len, p);
        for (int i = 0; i < n; i++)
            if (out[i] == e)
                return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                                  "--expander: \"%s\" is named twice",
                                  cs_ca_expander_name(e));
        if (n > 0 && out[n - 1] == CS_EXP_RANDOM)
            return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                              "--expander: nothing may follow \"random\" "
                              "(it always picks one option), got \"%s\" "
                              "after it",
                              cs_ca_expander_name(e));
        out[n++] = e; /* no duplicates, so n <= CS_CA_EXPANDERS_MAX */
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    memcpy(chain, out, (size_t)n * sizeof(*out));
    *nchain = n;
    return 0;
}

/* ---- scalar values ------------------------------------------------------ */

/* strconv.ParseBool's spellings. */
static int parse_bool(const char *s, int *out)
{
    static const char *const t[] = {"1", "t", "T", "true", "TRUE", "True"};
    static const char *const f[] = {"0", "f", "F", "false", "FALSE", "False"};

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (strcmp(s, t[i]) == 0 || strcmp(s, f[i]) == 0) {
            *out = strcmp(s, t[i]) == 0;
            return 0;
        }
    }
    return CS_EPARSE;
}

/* "min:max" of two non-negative integers with min <= max. */
static int parse_range(const char *s, int64_t out[2])
{
    char buf[64];
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : 0;
    int64_t lo, hi;

    if (colon == NULL || n >= sizeof(buf))
        return CS_EPARSE;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (cs_parse_int64(buf, &lo) < 0 || cs_parse_int64(colon + 1, &hi) < 0 ||
        lo < 0 || hi < lo)
        return CS_EPARSE;
    out[0] = lo;
    out[1] = hi;
    return 0;
}

/* Append the comma-separated items of v to the list at *list / *n. */
static int list_append(const char ***list, int *n, const char *v,
                       void *(*alloc)(void *ctx, size_t n), void *ctx,
                       struct cs_err *err)
{
    size_t add = 1, k = 0;
    const char **nl;
    const char *p;

    for (p = v; *p; p++)
        add += *p == ',';
    if (alloc == NULL)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0, "no allocator");
    nl = alloc(ctx, ((size_t)*n + add) * sizeof(*nl));
    if (nl == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    for (int i = 0; i < *n; i++)
        nl[k++] = (*list)[i];
    for (p = v;;) {
        size_t len = strcspn(p, ",");
        char *s;

        if (len > 0) {
            if ((s = alloc(ctx, len + 1)) == NULL)
                return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
            memcpy(s, p, len);
            s[len] = '\0';
            nl[k++] = s;
        }
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    *list = nl;
    *n = (int)k;
    return 0;
}

/* What a value of each type must be, for messages. */
static const char *const type_rule[] = {
    [CS_CAF_BOOL] = "must be true or false",
    [CS_CAF_INT] = "must be an integer",
    [CS_CAF_FLOAT] = "must be a non-negative number",
    [CS_CAF_DURATION] = "must be a duration (e.g. 10s, 1m30s)",
    [CS_CAF_RANGE] = "must be min:max with 0 <= min <= max (e.g. 0:320000)",
};

/* Parse v as flag f's type into the field (if stored). */
static int set_typed(struct cs_ca_config *cfg, const struct cs_ca_flag *f,
                     const char *v, void *(*alloc)(void *ctx, size_t n),
                     void *ctx, struct cs_err *err)
{
    char *field = f->offset == SIZE_MAX ? NULL : (char *)cfg + f->offset;
    int64_t i64, range[2];
    int32_t i32;
    cs_time_ms ms;
    double d;
    int b, rc = 0;

    switch (f->type) {
    case CS_CAF_BOOL:
        if ((rc = parse_bool(v, &b)) == 0 && field)
            memcpy(field, &b, sizeof(b));
        break;
    case CS_CAF_INT:
        if (cs_parse_int64(v, &i64) < 0 || i64 < INT32_MIN || i64 > INT32_MAX) {
            rc = CS_EPARSE;
        } else if (field) {
            i32 = (int32_t)i64;
            memcpy(field, &i32, sizeof(i32));
        }
        break;
    case CS_CAF_FLOAT:
        if (cs_parse_double(v, &d) < 0 || d < 0)
            rc = CS_EPARSE;
        else if (field)
            memcpy(field, &d, sizeof(d));
        break;
    case CS_CAF_DURATION:
        if ((rc = cs_duration_parse(v, &ms)) == 0 && field)
            memcpy(field, &ms, sizeof(ms));
        break;
    case CS_CAF_RANGE:
        if ((rc = parse_range(v, range)) == 0 && field)
            memcpy(field, range, sizeof(range));
        break;
    case CS_CAF_LIST:
        if (field == NULL)
            return 0;
        return list_append((const char ***)(void *)field,
                           (int *)(void *)(field + sizeof(const char **)), v,
                           alloc, ctx, err);
    default: /* CS_CAF_STRING: only the special ones are read */
        return 0;
    }
    if (rc < 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0, "--%s %s, got \"%s\"",
                          f->name, type_rule[f->type], v);
    return 0;
}

/* The flags whose value needs more than its type. */
static int set_special(struct cs_ca_config *cfg, const struct cs_ca_flag *f,
                       const char *v, struct cs_err *err)
{
    if (strcmp(f->name, "expander") == 0)
        return parse_chain(v, cfg->expander, &cfg->nexpander, err);
    if (strcmp(f->name, "estimator") == 0 && strcmp(v, "binpacking") != 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "--estimator must be binpacking (the only "
                          "estimator), got \"%s\"",
                          v);
    if (strcmp(f->name, "scan-interval") == 0 && cfg->scan_interval <= 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "--scan-interval must be positive, got \"%s\"", v);
    return 0;
}

static const struct cs_ca_flag *find_flag(const char *name)
{
    for (size_t i = 0; i < cs_ca_nflags; i++)
        if (strcmp(cs_ca_flags[i].name, name) == 0)
            return &cs_ca_flags[i];
    return NULL;
}

/* Levenshtein distance of a and b, capped: names longer than 63 bytes are
 * never close to a flag. */
static size_t distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b), row[64];

    if (na >= 64 || nb >= 64)
        return SIZE_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

static int unknown_flag(const char *name, struct cs_err *err)
{
    const char *best = NULL;
    size_t bd = SIZE_MAX;

    if (strcmp(name, "max-empty-bulk-delete") == 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "cluster-autoscaler flag \"--%s\" was removed "
                          "upstream (use --max-scale-down-parallelism)",
                          name);
    for (size_t i = 0; i < cs_ca_nflags; i++) {
        size_t d = distance(name, cs_ca_flags[i].name);

        if (d < bd) {
            bd = d;
            best = cs_ca_flags[i].name;
        }
    }
    if (best != NULL && bd <= 2)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "unknown cluster-autoscaler flag \"--%s\" (did you "
                          "mean \"--%s\"?)",
                          name, best);
    return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                      "unknown cluster-autoscaler flag \"--%s\"", name);
}

int cs_ca_config_set(struct cs_ca_config *cfg, const char *name,
                     const char *value, void *(*alloc)(void *ctx, size_t n),
                     void *ctx, struct cs_err *err)
{
    const struct cs_ca_flag *f = find_flag(name);
    int rc;

    if (f == NULL) {
        for (size_t i = 0; log_flags[i] != NULL; i++)
            if (strcmp(log_flags[i], name) == 0)
                return 0;
        return unknown_flag(name, err);
    }
    rc = set_typed(cfg, f, value, alloc, ctx, err);
    return rc < 0 ? rc : set_special(cfg, f, value, err);
}

void cs_ca_config_defaults(struct cs_ca_config *cfg)
{
    struct cs_err err;

    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < cs_ca_nflags; i++) {
        const struct cs_ca_flag *f = &cs_ca_flags[i];
        int rc;

        /* lists start empty: nothing to parse or allocate */
        if (f->type == CS_CAF_LIST)
            continue;
        rc = set_typed(cfg, f, f->dflt, NULL, NULL, &err);
        if (rc == 0)
            rc = set_special(cfg, f, f->dflt, &err);
        assert(rc == 0 && "every default of cs_ca_flags[] parses");
        (void)rc;
    }
}
