/*
 * kubectl_patch.c - the body of `kubectl patch` as an action
 * (kubectl_int.h).
 *
 * The patch is loaded with the YAML loader into the caller's arena (JSON is
 * a YAML flow document, and kubectl takes YAML patches too), then read with
 * the typed getters of yfield.h, so type errors carry the same texts as in
 * manifests and point at the patch's own line and column.
 *
 * Strategic and merge patches are the same here: the fields capsim patches
 * are scalars, where both replace the value. A merge of spec.metrics would
 * replace the whole list (strategic merge has no merge key for it either),
 * which is never what a pre-scaling job means, so it is refused with a
 * pointer to the JSON patch path that changes one target.
 *
 * A JSON patch is applied operation by operation; a later operation on the
 * same field wins, as it would on the API server. All operations must
 * touch the same metric, since an action holds one utilization target.
 *
 * A VerticalPodAutoscaler patch may change spec.updatePolicy.updateMode
 * only (the "Off for a week, then Auto" runbook). kubectl reads a YAML
 * patch as YAML 1.1, where a plain Off is the boolean false, so only a
 * quoted "Off" is taken.
 */
#include "io/kubectl_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "io/yfield.h"
#include "model/vpa.h"

#define UTIL_MAX 1000000 /* as manifest_hpa.c: averageUtilization percent */

#define HPA_FIELDS "spec.minReplicas and spec.maxReplicas"
#define HPA_PATHS                                                              \
    "/spec/minReplicas, /spec/maxReplicas and "                                \
    "/spec/metrics/N/resource/target/averageUtilization"
#define METRIC_PREFIX "/spec/metrics/"
#define METRIC_SUFFIX "/resource/target/averageUtilization"
#define VPA_FIELD "spec.updatePolicy.updateMode of a VerticalPodAutoscaler"
#define VPA_PATH "/spec/updatePolicy/updateMode"

/* What one patch sets; -1 = untouched. Nodes locate the min/max check. */
struct patched {
    int64_t min, max, util, index, replicas, mode;
    const struct cs_ynode *min_at, *max_at;
};

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(struct cs_err *err, int code, const struct cs_ynode *n, const char *fmt,
     ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cs_err_set(err, code, n->file, n->line, n->col, "%s", msg);
}

/* Reads an integer value into *dst (and remembers its node in *at). */
static int int_value(const struct cs_ynode *v, const char *what, int64_t min,
                     int64_t max, int64_t *dst, const struct cs_ynode **at,
                     struct cs_err *err)
{
    int64_t x;
    int rc = cs_yget_int(v, what, min, max, &x, err);

    if (rc < 0)
        return rc;
    *dst = x;
    if (at != NULL)
        *at = v;
    return 0;
}

/* An updateMode value v into *dst. */
static int mode_value(const struct cs_ynode *v, const char *what, int64_t *dst,
                      struct cs_err *err)
{
    const char *s;
    int rc = cs_yget_string(v, what, &s, err), m;

    if (rc < 0)
        return rc;
    if ((m = cs_vpa_mode_parse(s)) < 0)
        return fail(err, CS_EPARSE, v,
                    "%s must be " CS_VPA_MODES ", got \"%s\"", what, s);
    if (m == CS_VPA_OFF && !v->quoted)
        return fail(err, CS_EPARSE, v,
                    "%s: kubectl reads a plain Off as false; write \"Off\"",
                    what);
    *dst = m;
    return 0;
}

/* spec: {updatePolicy: {updateMode: MODE}} of a VPA merge patch. */
static int vpa_spec(const struct cs_ynode *spec, struct patched *p,
                    struct cs_err *err)
{
    int rc = cs_ynode_expect(spec, CS_Y_MAP, "spec", err);

    for (size_t i = 0; rc == 0 && i < spec->n; i++) {
        const struct cs_ynode *k = spec->items[2 * i];
        const struct cs_ynode *pol = spec->items[2 * i + 1];

        if ((rc = cs_ynode_expect(k, CS_Y_SCALAR, "key in spec", err)) < 0)
            break;
        if (strcmp(k->str, "updatePolicy") != 0)
            return fail(err, CS_EINVAL, k,
                        "cannot patch spec.%s (capsim patches " VPA_FIELD ")",
                        k->str);
        rc = cs_ynode_expect(pol, CS_Y_MAP, "spec.updatePolicy", err);
        for (size_t j = 0; rc == 0 && j < pol->n; j++) {
            k = pol->items[2 * j];
            if ((rc = cs_ynode_expect(k, CS_Y_SCALAR,
                                      "key in spec.updatePolicy", err)) < 0)
                break;
            if (strcmp(k->str, "updateMode") != 0)
                return fail(err, CS_EINVAL, k,
                            "cannot patch spec.updatePolicy.%s (capsim "
                            "patches " VPA_FIELD ")",
                            k->str);
            rc = mode_value(pol->items[2 * j + 1],
                            "spec.updatePolicy.updateMode", &p->mode, err);
        }
    }
    return rc;
}

/* spec: {...} of a merge or strategic patch. */
static int merge_spec(const struct cs_ynode *spec, enum cs_kubectl_object obj,
                      struct patched *p, struct cs_err *err)
{
    int rc;

    if (obj == CS_KUBECTL_VPA)
        return vpa_spec(spec, p, err);
    rc = cs_ynode_expect(spec, CS_Y_MAP, "spec", err);
    for (size_t i = 0; rc == 0 && i < spec->n; i++) {
        const struct cs_ynode *k = spec->items[2 * i];
        const struct cs_ynode *v = spec->items[2 * i + 1];

        if ((rc = cs_ynode_expect(k, CS_Y_SCALAR, "key in spec", err)) < 0)
            break;
        if (obj == CS_KUBECTL_DEPLOYMENT && strcmp(k->str, "replicas") == 0)
            rc = int_value(v, "spec.replicas", 0, INT32_MAX, &p->replicas, NULL,
                           err);
        else if (obj == CS_KUBECTL_DEPLOYMENT)
            rc = fail(err, CS_EINVAL, k,
                      "cannot patch spec.%s (capsim patches spec.replicas of "
                      "a Deployment)",
                      k->str);
        else if (strcmp(k->str, "minReplicas") == 0)
            rc = int_value(v, "spec.minReplicas", 0, INT32_MAX, &p->min,
                           &p->min_at, err);
        else if (strcmp(k->str, "maxReplicas") == 0)
            rc = int_value(v, "spec.maxReplicas", 1, INT32_MAX, &p->max,
                           &p->max_at, err);
        else if (strcmp(k->str, "metrics") == 0)
            rc = fail(err, CS_EINVAL, k,
                      "patching spec.metrics replaces the whole list; use "
                      "--type=json with " METRIC_PREFIX "N" METRIC_SUFFIX);
        else
            rc = fail(err, CS_EINVAL, k,
                      "cannot patch spec.%s (capsim patches " HPA_FIELDS ")",
                      k->str);
    }
    return rc;
}

static int merge_patch(const struct cs_ynode *root, enum cs_kubectl_object obj,
                       struct patched *p, struct cs_err *err)
{
    if (root->kind == CS_Y_SEQ)
        return fail(err, CS_EPARSE, root,
                    "a list of operations needs --type=json");
    if (root->kind != CS_Y_MAP)
        return fail(err, CS_EPARSE, root, "the patch must be a JSON object");
    for (size_t i = 0; i < root->n; i++) {
        const struct cs_ynode *k = root->items[2 * i];
        int rc = cs_ynode_expect(k, CS_Y_SCALAR, "key in the patch", err);

        if (rc < 0)
            return rc;
        if (strcmp(k->str, "spec") != 0)
            return fail(err, CS_EINVAL, k,
                        "cannot patch %s (capsim patches %s)", k->str,
                        obj == CS_KUBECTL_HPA   ? HPA_FIELDS
                        : obj == CS_KUBECTL_VPA ? VPA_FIELD
                                                : "spec.replicas of a "
                                                  "Deployment");
        if ((rc = merge_spec(root->items[2 * i + 1], obj, p, err)) < 0)
            return rc;
    }
    return 0;
}

/* N of /spec/metrics/N/resource/target/averageUtilization, or -1. A JSON
 * Pointer array index: digits without a leading zero. */
static int64_t metric_path(const char *path)
{
    size_t np = strlen(METRIC_PREFIX), nd = 0;
    int64_t n = 0;

    if (strncmp(path, METRIC_PREFIX, np) != 0)
        return -1;
    path += np;
    while (path[nd] >= '0' && path[nd] <= '9' && nd < 9)
        n = n * 10 + (path[nd++] - '0');
    if (nd == 0 || (nd > 1 && path[0] == '0') ||
        strcmp(path + nd, METRIC_SUFFIX) != 0)
        return -1;
    return n;
}

/* One {op, path, value} of a JSON patch; what is "patch[i]". */
static int json_op(const struct cs_ynode *op, const char *what,
                   enum cs_kubectl_object obj, struct patched *p,
                   struct cs_err *err)
{
    static const char *const keys[] = {"op", "path", "value", NULL};
    char fp[64], vp[64];
    const struct cs_ynode *v = cs_ymap_require(op, "op", what, err);
    const char *s, *path;
    int64_t n;

    if (v == NULL ||
        cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "op"), &s, err) < 0)
        return CS_EPARSE;
    if (strcmp(s, "replace") != 0 && strcmp(s, "add") != 0)
        return fail(err, CS_EINVAL, v,
                    "%s: capsim applies only replace and add, got \"%s\"", fp,
                    s);
    if (cs_ymap_check_keys(op, keys, what, err) < 0)
        return CS_EPARSE;
    v = cs_ymap_require(op, "path", what, err);
    if (v == NULL || cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "path"),
                                    &path, err) < 0)
        return CS_EPARSE;
    cs_ypath(vp, sizeof(vp), what, "value");
    if (obj == CS_KUBECTL_VPA) {
        if (strcmp(path, VPA_PATH) != 0)
            return fail(err, CS_EINVAL, v,
                        "cannot patch %s (capsim patches " VPA_PATH
                        " of a VerticalPodAutoscaler)",
                        path);
        v = cs_ymap_require(op, "value", what, err);
        return v == NULL ? CS_EPARSE : mode_value(v, vp, &p->mode, err);
    }
    if (obj == CS_KUBECTL_DEPLOYMENT) {
        if (strcmp(path, "/spec/replicas") != 0)
            return fail(err, CS_EINVAL, v,
                        "cannot patch %s (capsim patches /spec/replicas of a "
                        "Deployment)",
                        path);
        v = cs_ymap_require(op, "value", what, err);
        return v == NULL
                   ? CS_EPARSE
                   : int_value(v, vp, 0, INT32_MAX, &p->replicas, NULL, err);
    }
    if (strcmp(path, "/spec/minReplicas") == 0) {
        v = cs_ymap_require(op, "value", what, err);
        return v == NULL
                   ? CS_EPARSE
                   : int_value(v, vp, 0, INT32_MAX, &p->min, &p->min_at, err);
    }
    if (strcmp(path, "/spec/maxReplicas") == 0) {
        v = cs_ymap_require(op, "value", what, err);
        return v == NULL
                   ? CS_EPARSE
                   : int_value(v, vp, 1, INT32_MAX, &p->max, &p->max_at, err);
    }
    if ((n = metric_path(path)) < 0)
        return fail(err, CS_EINVAL, v, "cannot patch %s (capsim patches %s)",
                    path, HPA_PATHS);
    if (p->index >= 0 && p->index != n)
        return fail(err, CS_EINVAL, v,
                    "%s: one patch may change the target of one metric only "
                    "(got metrics %lld and %lld)",
                    fp, (long long)p->index, (long long)n);
    p->index = n;
    v = cs_ymap_require(op, "value", what, err);
    return v == NULL ? CS_EPARSE
                     : int_value(v, vp, 1, UTIL_MAX, &p->util, NULL, err);
}

static int json_patch(const struct cs_ynode *root, enum cs_kubectl_object obj,
                      struct patched *p, struct cs_err *err)
{
    char what[32];

    if (root->kind != CS_Y_SEQ)
        return fail(err, CS_EPARSE, root,
                    "a JSON patch (--type=json) must be a list of operations");
    for (size_t i = 0; i < root->n; i++) {
        int rc = json_op(root->items[i],
                         cs_ypath_index(what, sizeof(what), "patch", i), obj, p,
                         err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The patched fields as an action, after the checks a whole patch needs. */
static int to_action(const struct cs_ynode *root, enum cs_kubectl_object obj,
                     const struct patched *p, struct cs_action *out,
                     struct cs_err *err)
{
    if (obj == CS_KUBECTL_DEPLOYMENT) {
        if (p->replicas < 0)
            return fail(err, CS_EINVAL, root, "the patch changes nothing");
        cs_action_init(out, CS_ACTION_SCALE);
        out->replicas = (int32_t)p->replicas;
        return 0;
    }
    if (obj == CS_KUBECTL_VPA) {
        if (p->mode < 0)
            return fail(err, CS_EINVAL, root, "the patch changes nothing");
        cs_action_init(out, CS_ACTION_PATCH_VPA);
        out->vpa_mode = (int32_t)p->mode;
        return 0;
    }
    if (p->min < 0 && p->max < 0 && p->util < 0)
        return fail(err, CS_EINVAL, root, "the patch changes nothing");
    if (p->min >= 0 && p->max >= 0 && p->max < p->min)
        return fail(err, CS_EINVAL, p->max_at,
                    "spec.maxReplicas must be >= spec.minReplicas (got %lld "
                    "< %lld)",
                    (long long)p->max, (long long)p->min);
    cs_action_init(out, CS_ACTION_PATCH_HPA);
    out->min_replicas = (int32_t)p->min;
    out->max_replicas = (int32_t)p->max;
    if (p->util >= 0) {
        out->utilization = (int32_t)p->util;
        out->metric_index = (int32_t)p->index;
    }
    return 0;
}

int cs_kubectl_patch_parse(struct cs_yarena *a, const char *name,
                           const char *patch, size_t len,
                           enum cs_kubectl_object obj,
                           enum cs_kubectl_patch_type type,
                           struct cs_action *out, struct cs_err *err)
{
    struct patched p = {-1, -1, -1, -1, -1, -1, NULL, NULL};
    struct cs_ynode **docs;
    size_t ndocs;
    int rc = cs_yaml_load_buffer(a, name, patch, len, &docs, &ndocs, err);

    if (rc < 0)
        return rc;
    if (ndocs == 0)
        return cs_err_set(err, CS_EPARSE, name, 0, 0, "the patch is empty");
    if (ndocs > 1)
        return fail(err, CS_EPARSE, docs[1],
                    "the patch has more than one document");
    if (type == CS_KUBECTL_JSON)
        rc = json_patch(docs[0], obj, &p, err);
    else
        rc = merge_patch(docs[0], obj, &p, err);
    if (rc == 0)
        rc = to_action(docs[0], obj, &p, out, err);
    return rc == CS_ERANGE || rc == CS_ENOENT ? CS_EPARSE : rc;
}
