/*
 * conformance_calc.c - rows of hpa_group_pods.csv (one pod's class) and
 * hpa_replica_calc.csv (one calculator run), see conformance_int.h.
 *
 * A group_pods row is one pod: it is classified with the upstream test
 * constants and its class compared. A replica_calc row builds the pods of
 * the row, picks the calculator from metric_type and compares the proposal,
 * the utilization and the raw value (an empty expected_replicas means the
 * calculation must fail).
 */
#include <stdio.h>
#include <string.h>

#include "io/conformance_int.h"
#include "io/quantity.h"

static const char *const class_names[] = {"ready", "unready", "missing",
                                          "ignored"};

/* ---------------------------------------------------------------------- */
/* hpa_group_pods.csv                                                     */
/* ---------------------------------------------------------------------- */

/* "epoch" = the zero time, else an age in seconds before now. */
static int age_time(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const char *col, cs_time_ms *t)
{
    const char *s = cs_conf_get(r, col);
    int64_t age;

    *t = 0;
    if (s[0] == '\0' || strcmp(s, "epoch") == 0)
        return 0;
    if (cs_conf_int(c, r, col, s, &age) < 0)
        return CS_EPARSE;
    *t = CS_CONF_NOW - age * CS_MS_PER_S;
    return 0;
}

static int group_pod(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     struct cs_hpa_pod *p)
{
    const char *phase = cs_conf_get(r, "phase");
    const char *ready = cs_conf_get(r, "ready_condition");
    const char *start = cs_conf_get(r, "start_age_s");
    int64_t window = 0;
    bool has;

    memset(p, 0, sizeof(*p));
    p->name = cs_conf_get(r, "pod");
    if (strcmp(phase, "Pending") == 0)
        p->phase = CS_HPA_POD_PENDING;
    else if (strcmp(phase, "Succeeded") == 0)
        p->phase = CS_HPA_POD_SUCCEEDED;
    else if (strcmp(phase, "Failed") == 0)
        p->phase = CS_HPA_POD_FAILED;
    else if (phase[0] != '\0' && strcmp(phase, "Running") != 0)
        return cs_conf_bad(c, r, "phase: unknown phase '%s'", phase);
    p->deleted = strcmp(cs_conf_get(r, "deleted"), "1") == 0;
    if (strcmp(ready, "False") == 0)
        p->ready = CS_HPA_READY_FALSE;
    else if (strcmp(ready, "none") == 0 || ready[0] == '\0')
        p->ready = CS_HPA_READY_NONE;
    else if (strcmp(ready, "True") != 0)
        return cs_conf_bad(c, r, "ready_condition: '%s'", ready);
    p->has_start = start[0] != '\0' && strcmp(start, "unset") != 0;
    if ((p->has_start && age_time(c, r, "start_age_s", &p->start) < 0) ||
        age_time(c, r, "ready_transition_age_s", &p->ready_transition) < 0 ||
        age_time(c, r, "metric_sample_age_s", &p->sample_time) < 0 ||
        cs_conf_int_col(c, r, "metric_window_s", &window, &has) < 0)
        return CS_EPARSE;
    p->sample_window = window * CS_MS_PER_S;
    p->has_sample = strcmp(cs_conf_get(r, "metric_present"), "0") != 0;
    return 0;
}

int cs_conf_eval_group_pods(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    const char *expected = cs_conf_get(r, "expected_class");
    bool cpu = strcmp(cs_conf_get(r, "resource"), "cpu") == 0;
    struct cs_hpa_config cfg;
    struct cs_hpa_groups g;
    struct cs_hpa_pod pod;
    char name[512], got[128];
    enum cs_hpa_pod_class k;

    cs_hpa_config_init_test(&cfg);
    if (cs_conf_get(r, "pod")[0] == '\0') {
        cs_hpa_group_pods(&cfg, CS_CONF_NOW, NULL, 0, cpu, &g, NULL);
        snprintf(got, sizeof(got),
                 "%zu ready, %zu unready, %zu missing, "
                 "%zu ignored",
                 g.ready, g.unready, g.missing, g.ignored);
        cs_conf_report(c,
                       expected[0] == '\0' &&
                           g.ready + g.unready + g.missing + g.ignored == 0,
                       cs_conf_get(r, "case_name"), "no pods", got);
        return 0;
    }
    if (group_pod(c, r, &pod) < 0)
        return CS_EPARSE;
    k = cs_hpa_pod_classify(&cfg, CS_CONF_NOW, &pod, cpu);
    snprintf(name, sizeof(name), "%s/%s", cs_conf_get(r, "case_name"),
             pod.name);
    cs_conf_report(c, strcmp(expected, class_names[k]) == 0, name, expected,
                   class_names[k]);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* hpa_replica_calc.csv                                                   */
/* ---------------------------------------------------------------------- */

typedef int (*calc_fn)(const struct cs_hpa_calc_ctx *c,
                       const struct cs_hpa_metric_spec *m,
                       const struct cs_hpa_metric_input *in, int32_t replicas,
                       struct cs_hpa_calc *out);

enum pod_count { FROM_REQUESTS, FROM_USAGE, FROM_REPLICAS };

struct metric_type {
    const char *name;
    enum cs_hpa_source source;
    enum cs_hpa_target_type target;
    enum pod_count pods;
    calc_fn calc;
};

static const struct metric_type metric_types[] = {
    {"resource_utilization", CS_HPA_SOURCE_RESOURCE, CS_HPA_TARGET_UTILIZATION,
     FROM_REQUESTS, cs_hpa_calc_utilization},
    {"container_resource_utilization", CS_HPA_SOURCE_CONTAINER_RESOURCE,
     CS_HPA_TARGET_UTILIZATION, FROM_REQUESTS, cs_hpa_calc_utilization},
    {"resource_average_value", CS_HPA_SOURCE_RESOURCE,
     CS_HPA_TARGET_AVERAGE_VALUE, FROM_USAGE, cs_hpa_calc_average},
    {"container_resource_average_value", CS_HPA_SOURCE_CONTAINER_RESOURCE,
     CS_HPA_TARGET_AVERAGE_VALUE, FROM_USAGE, cs_hpa_calc_average},
    {"pods_average_value", CS_HPA_SOURCE_PODS, CS_HPA_TARGET_AVERAGE_VALUE,
     FROM_USAGE, cs_hpa_calc_average},
    {"object_value", CS_HPA_SOURCE_OBJECT, CS_HPA_TARGET_VALUE, FROM_REPLICAS,
     cs_hpa_calc_value},
    {"object_average_value", CS_HPA_SOURCE_OBJECT, CS_HPA_TARGET_AVERAGE_VALUE,
     FROM_REPLICAS, cs_hpa_calc_per_pod},
    {"external_value", CS_HPA_SOURCE_EXTERNAL, CS_HPA_TARGET_VALUE,
     FROM_REPLICAS, cs_hpa_calc_value},
    {"external_average_value", CS_HPA_SOURCE_EXTERNAL,
     CS_HPA_TARGET_AVERAGE_VALUE, FROM_REPLICAS, cs_hpa_calc_per_pod},
};

/* "0.1" = both directions; "a/b" = scale-down a, scale-up b. */
static int tolerance(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     struct cs_hpa_tolerances *t)
{
    char buf[64];
    const char *s = cs_conf_get(r, "tolerance");
    char *slash;

    t->down = t->up = 0.1;
    if (s[0] == '\0')
        return 0;
    snprintf(buf, sizeof(buf), "%s", s);
    slash = strchr(buf, '/');
    if (slash != NULL)
        *slash++ = '\0';
    if (cs_parse_double(buf, &t->down) < 0 ||
        cs_parse_double(slash != NULL ? slash : buf, &t->up) < 0)
        return cs_conf_bad(c, r, "tolerance: '%s' is not t or down/up", s);
    return 0;
}

static size_t pod_count(const struct cs_conf_row *r, enum pod_count how,
                        int64_t replicas)
{
    size_t n = replicas > 0 ? (size_t)replicas : 0;

    /* Listed requests always give the pods (later samples are
     * superfluous); without them a per-pod metric has one pod per sample. */
    if (how == FROM_REQUESTS || cs_conf_list_len(r, "pod_requests") > 0)
        return cs_conf_list_len(r, "pod_requests");
    if (how == FROM_USAGE)
        return cs_conf_list_len(r, "pod_usage");
    if (cs_conf_list_len(r, "pod_ready") > n)
        n = cs_conf_list_len(r, "pod_ready");
    if (cs_conf_list_len(r, "pod_phase") > n)
        n = cs_conf_list_len(r, "pod_phase");
    return n;
}

/* Compare the calculator's answer with the expected columns. */
static void judge(struct cs_conf_ctx *c, const struct cs_conf_row *r, int rc,
                  const struct cs_hpa_calc *res)
{
    const char *cols[3] = {"expected_replicas", "expected_utilization",
                           "expected_raw_value"};
    const char *labels[3] = {"replicas", "utilization", "raw"};
    int64_t got_v[3] = {res->replicas, res->utilization, res->raw};
    char exp[256] = "", got[512] = "";
    size_t ne = 0, ng = 0;
    bool ok = true;

    if (cs_conf_get(r, cols[0])[0] == '\0') {
        if (rc == 0)
            snprintf(got, sizeof(got), "replicas %d", (int)res->replicas);
        else
            snprintf(got, sizeof(got), "error (%s)", res->error);
        cs_conf_report(c, rc < 0, cs_conf_get(r, "case_name"), "an error", got);
        return;
    }
    for (size_t k = 0; k < 3; k++) {
        const char *e = cs_conf_get(r, cols[k]);
        int64_t v;

        if (e[0] == '\0')
            continue;
        ok = ok && rc == 0 && cs_parse_int64(e, &v) == 0 && v == got_v[k];
        ne += (size_t)snprintf(exp + ne, sizeof(exp) - ne, "%s%s %s",
                               ne ? ", " : "", labels[k], e);
        if (rc == 0)
            ng += (size_t)snprintf(got + ng, sizeof(got) - ng, "%s%s %lld",
                                   ng ? ", " : "", labels[k],
                                   (long long)got_v[k]);
    }
    if (rc < 0)
        snprintf(got, sizeof(got), "error (%s)", res->error);
    cs_conf_report(c, ok, cs_conf_get(r, "case_name"), exp, got);
}

int cs_conf_eval_replica_calc(struct cs_conf_ctx *c,
                              const struct cs_conf_row *r)
{
    const char *type = cs_conf_get(r, "metric_type");
    const struct metric_type *mt = NULL;
    struct cs_hpa_metric_spec m = {.resource = "cpu",
                                   .container = "container",
                                   .name = "qps",
                                   .object_kind = "Deployment",
                                   .object_name = "some-deployment"};
    struct cs_hpa_config cfg;
    struct cs_hpa_calc_ctx ctx = {&cfg, CS_CONF_NOW, {0.1, 0.1}};
    struct cs_hpa_metric_input in;
    struct cs_conf_pods pods;
    struct cs_hpa_calc res;
    int64_t replicas, target;
    bool has_r, has_t;
    int rc;

    for (size_t i = 0; i < sizeof(metric_types) / sizeof(*metric_types); i++)
        if (strcmp(type, metric_types[i].name) == 0)
            mt = &metric_types[i];
    if (mt == NULL)
        return cs_conf_bad(c, r, "metric_type: unknown '%s'", type);
    rc = cs_conf_int_col(c, r, "current_replicas", &replicas, &has_r);
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "target_value", &target, &has_t);
    if (rc == 0)
        rc = tolerance(c, r, &ctx.tol);
    if (rc < 0)
        return rc;
    if (!has_r || !has_t)
        return cs_conf_bad(c, r,
                           "current_replicas and target_value are "
                           "required");
    m.source = mt->source;
    m.target_type = mt->target;
    m.target = target;
    cs_hpa_config_init_test(&cfg);
    rc = cs_conf_pods_build(c, r, pod_count(r, mt->pods, replicas), &pods);
    if (rc < 0)
        return rc;
    cs_conf_pods_input(&pods, &in);
    rc = mt->calc(&ctx, &m, &in, (int32_t)replicas, &res);
    judge(c, r, rc, &res);
    cs_conf_pods_fini(&pods);
    return 0;
}
