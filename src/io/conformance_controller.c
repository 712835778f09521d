/*
 * conformance_controller.c - rows of hpa_controller.csv: one whole
 * reconcile pass each (see conformance_int.h and the README's "small
 * languages" section).
 *
 * A row is turned into a spec (metrics and behavior languages), a state
 * (recommendations_history: "seeded:current" or empty = first sight,
 * "empty" = an existing empty history, else age:replicas records), the
 * scale (spec/status replicas) and one input per metric built from the pod
 * columns; all metrics of a row see the same pods and the same values. A
 * row "each of A/B/... failing" is one run per source type, and its
 * expected_conditions "<x|y|...>" gives run k the k-th alternative.
 *
 * The vectors have no column for the target's scale subresource, so the
 * harness reads it from the upstream test name: "FailedUpdateScale" and
 * "FailedGetScale" make the write / read fail, "InvalidSelectorMissing" and
 * "InvalidSelectorUnparsable" give no / a bad selector, "AmbiguousSelector"
 * (not "NoAmbiguousSelector") a selector shared with another HPA.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/conformance_int.h"
#include "io/quantity.h"

#define TEXT 768
#define MAX_RUNS 8

struct run {
    struct cs_hpa_metric_spec m[CS_HPA_MAX_METRICS];
    bool api_error[CS_HPA_MAX_METRICS];
    size_t n;
    const char *label; /* "" or the source type of an "each of" run */
};

/* ---------------------------------------------------------------------- */
/* The metrics language                                                   */
/* ---------------------------------------------------------------------- */

static int target(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  char **tok, size_t n, struct cs_hpa_metric_spec *m)
{
    if (n != 2)
        return cs_conf_bad(c, r, "metrics: expected '<target type> <value>'");
    if (strcmp(tok[0], "Utilization") == 0) {
        m->target_type = CS_HPA_TARGET_UTILIZATION;
        return cs_conf_int(c, r, "metrics", tok[1], &m->target);
    }
    if (strcmp(tok[0], "AverageValue") == 0)
        m->target_type = CS_HPA_TARGET_AVERAGE_VALUE;
    else if (strcmp(tok[0], "Value") == 0)
        m->target_type = CS_HPA_TARGET_VALUE;
    else
        return cs_conf_bad(c, r, "metrics: unknown target type '%s'", tok[0]);
    if (cs_quantity_parse_milli(tok[1], &m->target) < 0)
        return cs_conf_bad(c, r, "metrics: '%s' is not a quantity", tok[1]);
    return 0;
}

/* "invalid type ['Name']" and "invalid type only". */
static void invalid_type(char **tok, size_t n, struct cs_hpa_metric_spec *m)
{
    m->source = CS_HPA_SOURCE_INVALID;
    m->name = NULL;
    if (n == 3 && strcmp(tok[2], "only") != 0) {
        char *name = tok[2];
        size_t len = strlen(name);

        if (len >= 2 && (name[0] == '\'' || name[0] == '"')) {
            name[len - 1] = '\0';
            name++;
        }
        m->name = name;
    }
}

/* Object [<Kind>/<name>] <metric> ...: returns the tokens consumed. */
static size_t object_ref(char **tok, size_t n, struct cs_hpa_metric_spec *m)
{
    char *slash = n > 3 ? strchr(tok[1], '/') : NULL;

    m->object_kind = "Deployment";
    m->object_name = "some-deployment";
    if (slash == NULL)
        return 1;
    *slash = '\0';
    m->object_kind = tok[1];
    m->object_name = slash + 1;
    return 2;
}

/* One metric, tokens in tok[0..n) (modified in place: names point in). */
static int metric(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  char **tok, size_t n, struct cs_hpa_metric_spec *m,
                  bool *api_error)
{
    const char *src = n > 0 ? tok[0] : "";
    size_t k;

    memset(m, 0, sizeof(*m));
    if (n == 0)
        return cs_conf_bad(c, r, "metrics: empty metric spec");
    *api_error = n >= 2 && strcmp(tok[n - 2], "(API") == 0 &&
                 strcmp(tok[n - 1], "error)") == 0;
    if (*api_error)
        n -= 2;
    if (n >= 2 && strcmp(src, "invalid") == 0 && strcmp(tok[1], "type") == 0) {
        invalid_type(tok, n, m);
        return 0;
    }
    if (strcmp(src, "Resource") == 0 && n == 4) {
        m->source = CS_HPA_SOURCE_RESOURCE;
        m->resource = tok[1];
        return target(c, r, tok + 2, 2, m);
    }
    if (strcmp(src, "ContainerResource") == 0 && n == 5) {
        m->source = CS_HPA_SOURCE_CONTAINER_RESOURCE;
        m->resource = tok[1];
        m->container = tok[2];
        return target(c, r, tok + 3, 2, m);
    }
    if ((strcmp(src, "Pods") == 0 || strcmp(src, "External") == 0) && n == 4) {
        m->source = src[0] == 'P' ? CS_HPA_SOURCE_PODS : CS_HPA_SOURCE_EXTERNAL;
        m->name = tok[1];
        return target(c, r, tok + 2, 2, m);
    }
    if (strcmp(src, "Object") == 0 && (n == 4 || n == 5)) {
        m->source = CS_HPA_SOURCE_OBJECT;
        k = object_ref(tok, n, m);
        m->name = tok[k];
        return target(c, r, tok + k + 1, n - k - 1, m);
    }
    return cs_conf_bad(c, r, "metrics: cannot read '%s' metric spec", src);
}

/* Tokens of one " + " piece, empty ones dropped. */
static size_t tokens(struct cs_conf_list *l, char **tok, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < l->n && n < max; i++)
        if (l->item[i][0] != '\0')
            tok[n++] = l->item[i];
    return n;
}

/* The metric of each source type in an "each of ... failing" run. */
static const struct {
    const char *type;
    struct cs_hpa_metric_spec m;
} failing[] = {
    {"Resource",
     {.source = CS_HPA_SOURCE_RESOURCE,
      .resource = "cpu",
      .target_type = CS_HPA_TARGET_UTILIZATION,
      .target = 50}},
    {"ContainerResource",
     {.source = CS_HPA_SOURCE_CONTAINER_RESOURCE,
      .resource = "cpu",
      .container = "container1",
      .target_type = CS_HPA_TARGET_UTILIZATION,
      .target = 50}},
    {"Pods",
     {.source = CS_HPA_SOURCE_PODS,
      .name = "qps",
      .target_type = CS_HPA_TARGET_AVERAGE_VALUE,
      .target = 15000}},
    {"Object",
     {.source = CS_HPA_SOURCE_OBJECT,
      .name = "qps",
      .object_kind = "Deployment",
      .object_name = "some-deployment",
      .target_type = CS_HPA_TARGET_VALUE,
      .target = 15000}},
    {"External",
     {.source = CS_HPA_SOURCE_EXTERNAL,
      .name = "qps",
      .target_type = CS_HPA_TARGET_VALUE,
      .target = 15000}},
};

/* "each of Resource/Pods/... failing": one run per source type. */
static int each_of(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   char *types, struct run *runs, size_t *n_runs)
{
    size_t n_failing = sizeof(failing) / sizeof(failing[0]);
    struct cs_conf_list l;
    int rc = cs_conf_split(types, '/', &l);

    if (rc == 0 && l.n > MAX_RUNS)
        rc = cs_conf_bad(c, r, "metrics: more than %d runs", MAX_RUNS);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        struct run *run = &runs[(*n_runs)++];
        size_t t = 0;

        while (t < n_failing && strcmp(failing[t].type, l.item[i]) != 0)
            t++;
        if (t == n_failing) {
            rc = cs_conf_bad(c, r, "metrics: unknown source '%s'", l.item[i]);
            break;
        }
        run->label = failing[t].type;
        run->n = 1;
        run->m[0] = failing[t].m;
        run->api_error[0] = true;
    }
    cs_conf_list_fini(&l);
    return rc;
}

/* Parse the metrics column into runs. Names point into `pieces`' tokens,
 * which the caller keeps until the runs are done. */
static int parse_metrics(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                         struct cs_conf_list *pieces, struct cs_conf_list *toks,
                         struct run *runs, size_t *n_runs)
{
    const char *text = cs_conf_get(r, "metrics");
    int rc = cs_conf_split(text, '+', pieces);

    *n_runs = 0;
    memset(runs, 0, MAX_RUNS * sizeof(*runs));
    for (size_t k = 0; k < MAX_RUNS; k++)
        runs[k].label = "";
    if (rc == 0 && strncmp(text, "each of ", 8) == 0) {
        char *types = pieces->item[0] + 8, *sp = strchr(types, ' ');

        if (sp != NULL)
            *sp = '\0';
        return each_of(c, r, types, runs, n_runs);
    }
    *n_runs = 1;
    if (rc < 0 || strcmp(text, "default cpu") == 0)
        return rc;
    if (pieces->n > CS_HPA_MAX_METRICS)
        return cs_conf_bad(c, r, "metrics: more than %d", CS_HPA_MAX_METRICS);
    for (size_t i = 0; rc == 0 && i < pieces->n; i++) {
        char *tok[16];

        rc = cs_conf_split(pieces->item[i], ' ', &toks[i]);
        if (rc == 0)
            rc = metric(c, r, tok, tokens(&toks[i], tok, 16), &runs[0].m[i],
                        &runs[0].api_error[i]);
        runs[0].n++;
    }
    return rc;
}

/* ---------------------------------------------------------------------- */
/* The behavior language                                                  */
/* ---------------------------------------------------------------------- */

static int behavior_token(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                          char **tok, size_t n, size_t *i,
                          struct cs_hpa_rules *dir)
{
    const char *t = tok[*i];
    int64_t v;

    if (strcmp(t, "defaulted") == 0)
        return 0;
    if (strchr(t, ':') != NULL)
        return cs_conf_policies(c, r, "behavior", t, dir);
    if (*i + 1 >= n)
        return cs_conf_bad(c, r, "behavior: '%s' needs a value", t);
    t = tok[++*i];
    if (strcmp(tok[*i - 1], "window") == 0) {
        dir->has_window = true;
        if (cs_conf_int(c, r, "behavior", t, &v) < 0)
            return CS_EPARSE;
        dir->window_s = (int32_t)v;
        return 0;
    }
    if (strcmp(tok[*i - 1], "select") != 0)
        return cs_conf_bad(c, r, "behavior: unknown word '%s'", tok[*i - 1]);
    if (strcmp(t, "Max") == 0)
        dir->select = CS_HPA_SELECT_MAX;
    else if (strcmp(t, "Min") == 0)
        dir->select = CS_HPA_SELECT_MIN;
    else if (strcmp(t, "Disabled") == 0)
        dir->select = CS_HPA_SELECT_DISABLED;
    else
        return cs_conf_bad(c, r, "behavior: unknown select '%s'", t);
    return 0;
}

static int parse_behavior(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                          struct cs_hpa_spec *spec)
{
    struct cs_conf_list l;
    struct cs_hpa_rules *dir = NULL;
    char *tok[64];
    size_t n;
    int rc = cs_conf_split(cs_conf_get(r, "behavior"), ' ', &l);

    spec->has_behavior = l.n > 0;
    n = tokens(&l, tok, 64);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(tok[i]);

        if (len > 0 && tok[i][len - 1] == ';') /* part separator "; " */
            tok[i][len - 1] = '\0';
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (strcmp(tok[i], "scaleUp") == 0)
            dir = &spec->up;
        else if (strcmp(tok[i], "scaleDown") == 0)
            dir = &spec->down;
        else if (dir == NULL)
            rc = cs_conf_bad(c, r,
                             "behavior: starts with '%s', not scaleUp "
                             "or scaleDown",
                             tok[i]);
        else
            rc = behavior_token(c, r, tok, n, &i, dir);
    }
    cs_conf_list_fini(&l);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Conditions                                                             */
/* ---------------------------------------------------------------------- */

/* Pick alternative k of every "<a|b|...>" group of s into buf. */
static void alternative(const char *s, size_t k, char *buf, size_t n)
{
    size_t o = 0;

    while (*s != '\0' && o + 1 < n) {
        const char *end = *s == '<' ? strchr(s, '>') : NULL;

        if (end == NULL) {
            buf[o++] = *s++;
            continue;
        }
        s++;
        for (size_t i = 0; i < k && s < end; i++) {
            const char *bar = memchr(s, '|', (size_t)(end - s));

            s = bar != NULL ? bar + 1 : end;
        }
        while (s < end && *s != '|' && o + 1 < n)
            buf[o++] = *s++;
        s = end + 1;
    }
    buf[o] = '\0';
}

static void conditions_text(const struct cs_hpa_result *res, char *buf,
                            size_t n)
{
    size_t o = 0;

    buf[0] = '\0';
    for (int t = 0; t < CS_HPA_COND_COUNT && o < n; t++) {
        const struct cs_hpa_condition *cd = &res->conditions[t];

        if (cd->status == CS_HPA_COND_UNSET)
            continue;
        o += (size_t)snprintf(buf + o, n - o, "%s%s=%s:%s", o ? ";" : "",
                              cs_hpa_cond_type_name(t),
                              cs_hpa_cond_status_name(cd->status), cd->reason);
    }
}

/* Same set of "Type=Status:Reason" items, in any order. */
static bool same_conditions(const char *want, const char *got)
{
    struct cs_conf_list a, b;
    bool ok;

    if (cs_conf_split(want, ';', &a) < 0)
        return false;
    if (cs_conf_split(got, ';', &b) < 0) {
        cs_conf_list_fini(&a);
        return false;
    }
    ok = a.n == b.n;
    for (size_t i = 0; ok && i < a.n; i++) {
        bool found = false;

        for (size_t j = 0; j < b.n && !found; j++)
            found = strcmp(a.item[i], b.item[j]) == 0;
        ok = found;
    }
    cs_conf_list_fini(&a);
    cs_conf_list_fini(&b);
    return ok;
}

/* ---------------------------------------------------------------------- */
/* Runs                                                                   */
/* ---------------------------------------------------------------------- */

static bool has_source(const struct run *run, enum cs_hpa_source s,
                       bool average_only)
{
    for (size_t i = 0; i < run->n; i++)
        if (run->m[i].source == s &&
            (!average_only ||
             run->m[i].target_type == CS_HPA_TARGET_AVERAGE_VALUE))
            return true;
    return false;
}

/* How many pods a run lists (README conventions). */
static size_t pod_count(const struct cs_conf_row *r, const struct run *run,
                        int64_t spec_replicas)
{
    size_t n = spec_replicas > 0 ? (size_t)spec_replicas : 0;

    if (cs_conf_list_len(r, "pod_requests") > 0)
        return cs_conf_list_len(r, "pod_requests");
    if (has_source(run, CS_HPA_SOURCE_PODS, false) ||
        has_source(run, CS_HPA_SOURCE_RESOURCE, true) ||
        has_source(run, CS_HPA_SOURCE_CONTAINER_RESOURCE, true))
        return cs_conf_list_len(r, "pod_usage");
    if (has_source(run, CS_HPA_SOURCE_RESOURCE, false) ||
        has_source(run, CS_HPA_SOURCE_CONTAINER_RESOURCE, false))
        return 0; /* the fixture lists no pods */
    if (cs_conf_list_len(r, "pod_ready") > n)
        n = cs_conf_list_len(r, "pod_ready");
    if (cs_conf_list_len(r, "pod_phase") > n)
        n = cs_conf_list_len(r, "pod_phase");
    return n;
}

static void scale_from_name(const char *name, struct cs_hpa_scale *s)
{
    s->selector = "app=test";
    if (strstr(name, "FailedUpdateScale") != NULL)
        s->update_error = "the scale update was refused";
    if (strstr(name, "FailedGetScale") != NULL)
        s->get_error = "the scale could not be read";
    if (strstr(name, "InvalidSelectorMissing") != NULL)
        s->selector_state = CS_HPA_SELECTOR_MISSING;
    if (strstr(name, "InvalidSelectorUnparsable") != NULL)
        s->selector_state = CS_HPA_SELECTOR_INVALID;
    if (strstr(name, "AmbiguousSelector") != NULL &&
        strstr(name, "NoAmbiguousSelector") == NULL) {
        s->selector_state = CS_HPA_SELECTOR_AMBIGUOUS;
        s->selector_hpas = "[default/test-hpa default/test-hpa-2]";
    }
}

static int load_history(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct cs_hpa_state *st)
{
    const char *h = cs_conf_get(r, "recommendations_history");

    if (h[0] == '\0' || strcmp(h, "seeded:current") == 0)
        return 0;
    if (strcmp(h, "empty") == 0) {
        st->seeded = true;
        return 0;
    }
    return cs_conf_history(c, r, "recommendations_history", -1, st);
}

/* Fill the spec of a row (metrics from the run). */
static int row_spec(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const struct run *run, struct cs_hpa_spec *spec)
{
    int64_t v = 0;
    bool has;
    int rc;

    memset(spec, 0, sizeof(*spec));
    spec->name = "test-hpa";
    spec->target_kind = "Deployment";
    spec->target_name = "test-deployment";
    spec->metrics = run->m;
    spec->n_metrics = run->n;
    rc = cs_conf_int_col(c, r, "min_replicas", &v, &has);
    spec->has_min = has;
    spec->min_replicas = (int32_t)v;
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "max_replicas", &v, &has);
    if (rc == 0 && !has)
        rc = cs_conf_bad(c, r, "max_replicas is required");
    spec->max_replicas = (int32_t)v;
    return rc < 0 ? rc : parse_behavior(c, r, spec);
}

static void judge(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  const struct run *run, size_t k,
                  const struct cs_hpa_result *res)
{
    const char *want_d = cs_conf_get(r, "expected_desired_replicas");
    char want_c[TEXT / 2], got_c[TEXT / 2], exp[TEXT], got[TEXT];
    char name[TEXT];
    int64_t d = 0;
    bool ok = want_d[0] == '\0' ||
              (cs_parse_int64(want_d, &d) == 0 && d == res->desired_replicas);

    alternative(cs_conf_get(r, "expected_conditions"), k, want_c,
                sizeof(want_c));
    conditions_text(res, got_c, sizeof(got_c));
    if (want_c[0] != '\0')
        ok = ok && same_conditions(want_c, got_c);
    snprintf(exp, sizeof(exp), "desired %s [%s]", want_d[0] ? want_d : "-",
             want_c);
    snprintf(got, sizeof(got), "desired %d (prenormalized %d) [%s]",
             (int)res->desired_replicas, (int)res->prenormalized, got_c);
    if (run->label[0] != '\0')
        snprintf(name, sizeof(name), "%s [%s]", cs_conf_get(r, "case_name"),
                 run->label);
    else
        snprintf(name, sizeof(name), "%s", cs_conf_get(r, "case_name"));
    cs_conf_report(c, ok, name, exp, got);
}

static int one_run(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   const struct run *run, size_t k, struct cs_hpa_result *res)
{
    struct cs_hpa_metric_input in[CS_HPA_MAX_METRICS];
    struct cs_hpa_scale scale = {0};
    struct cs_hpa_config cfg;
    struct cs_hpa_state st;
    struct cs_hpa_spec spec;
    struct cs_conf_pods pods;
    int64_t v = 0;
    bool has;
    int rc;

    cs_hpa_config_init_test(&cfg);
    cs_hpa_state_init(&st);
    scale_from_name(cs_conf_get(r, "case_name"), &scale);
    rc = row_spec(c, r, run, &spec);
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "spec_replicas", &v, &has);
    if (rc == 0 && !has)
        rc = cs_conf_bad(c, r, "spec_replicas is required");
    scale.spec_replicas = (int32_t)v;
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "status_replicas", &v, &has);
    scale.status_replicas = has ? (int32_t)v : scale.spec_replicas;
    if (rc == 0)
        rc = load_history(c, r, &st);
    if (rc == 0)
        rc = cs_conf_pods_build(c, r, pod_count(r, run, scale.spec_replicas),
                                &pods);
    if (rc == 0) {
        for (size_t i = 0; i < cs_hpa_spec_metric_count(&spec); i++) {
            cs_conf_pods_input(&pods, &in[i]);
            in[i].fetch_failed = i < run->n && run->api_error[i];
            in[i].fetch_error = "the server could not find the metric";
        }
        rc = cs_hpa_reconcile_scale(&cfg, &spec, &st, CS_CONF_NOW, &scale, in,
                                    res);
        if (rc == 0)
            judge(c, r, run, k, res);
        else
            cs_err_set(c->err, rc, r->path, r->line, 0, "reconcile: %s",
                       cs_strerror(rc));
        cs_conf_pods_fini(&pods);
    }
    cs_hpa_state_fini(&st);
    return rc;
}

int cs_conf_eval_controller(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct cs_conf_list pieces, toks[CS_HPA_MAX_METRICS];
    struct run runs[MAX_RUNS];
    struct cs_hpa_result *res = malloc(sizeof(*res));
    size_t n_runs = 0;
    int rc;

    memset(toks, 0, sizeof(toks));
    if (res == NULL)
        return cs_err_set(c->err, CS_ENOMEM, r->path, r->line, 0,
                          "out of memory");
    rc = parse_metrics(c, r, &pieces, toks, runs, &n_runs);
    for (size_t k = 0; rc == 0 && k < n_runs; k++)
        rc = one_run(c, r, &runs[k], k, res);
    for (size_t i = 0; i < CS_HPA_MAX_METRICS; i++)
        cs_conf_list_fini(&toks[i]);
    cs_conf_list_fini(&pieces);
    free(res);
    return rc;
}
