/*
 * manifest_deploy.c - apps/v1 Deployment into a struct cs_workload.
 *
 * Read: metadata.name/namespace, spec.replicas (default 1),
 * spec.selector.matchLabels, and from the pod template: labels, containers'
 * resources.requests/limits and readinessProbe timing, nodeSelector,
 * tolerations and terminationGracePeriodSeconds (default 30 s), and what
 * the cluster autoscaler reads: the pod's priority (spec.priority or its
 * PriorityClass), the cluster-autoscaler.kubernetes.io/ annotations
 * (safe-to-evict, pod-scale-up-delay, safe-to-evict-local-volumes), local
 * volumes, and the sum of the containers' limits (ResourceQuota); and
 * spec.strategy (type, rollingUpdate.maxSurge/maxUnavailable as an integer
 * or a percentage, defaults 25%/25%), validated as the API server does.
 */
#include "io/quantity.h"
#include "io/scenario_int.h"

#include <string.h>

/* Kubernetes field names accepted (and ignored unless read above). */
static const char *const deploy_keys[] = {"apiVersion", "kind",   "metadata",
                                          "spec",       "status", NULL};
static const char *const meta_keys[] = {"name",
                                        "namespace",
                                        "labels",
                                        "annotations",
                                        "uid",
                                        "generateName",
                                        "resourceVersion",
                                        "generation",
                                        "creationTimestamp",
                                        "ownerReferences",
                                        "finalizers",
                                        "managedFields",
                                        "selfLink",
                                        "deletionTimestamp",
                                        "deletionGracePeriodSeconds",
                                        NULL};
static const char *const dspec_keys[] = {"replicas",
                                         "selector",
                                         "template",
                                         "strategy",
                                         "minReadySeconds",
                                         "revisionHistoryLimit",
                                         "paused",
                                         "progressDeadlineSeconds",
                                         NULL};
static const char *const tmpl_keys[] = {"metadata", "spec", NULL};
static const char *const pspec_keys[] = {"containers",
                                         "initContainers",
                                         "ephemeralContainers",
                                         "volumes",
                                         "restartPolicy",
                                         "terminationGracePeriodSeconds",
                                         "activeDeadlineSeconds",
                                         "dnsPolicy",
                                         "nodeSelector",
                                         "serviceAccountName",
                                         "serviceAccount",
                                         "automountServiceAccountToken",
                                         "nodeName",
                                         "hostNetwork",
                                         "hostPID",
                                         "hostIPC",
                                         "shareProcessNamespace",
                                         "securityContext",
                                         "imagePullSecrets",
                                         "hostname",
                                         "subdomain",
                                         "affinity",
                                         "schedulerName",
                                         "tolerations",
                                         "hostAliases",
                                         "priorityClassName",
                                         "priority",
                                         "dnsConfig",
                                         "readinessGates",
                                         "runtimeClassName",
                                         "enableServiceLinks",
                                         "preemptionPolicy",
                                         "overhead",
                                         "topologySpreadConstraints",
                                         "setHostnameAsFQDN",
                                         "os",
                                         "hostUsers",
                                         "schedulingGates",
                                         "resourceClaims",
                                         "resources",
                                         NULL};
static const char *const ctr_keys[] = {"name",
                                       "image",
                                       "command",
                                       "args",
                                       "workingDir",
                                       "ports",
                                       "envFrom",
                                       "env",
                                       "resources",
                                       "resizePolicy",
                                       "restartPolicy",
                                       "volumeMounts",
                                       "volumeDevices",
                                       "livenessProbe",
                                       "readinessProbe",
                                       "startupProbe",
                                       "lifecycle",
                                       "terminationMessagePath",
                                       "terminationMessagePolicy",
                                       "imagePullPolicy",
                                       "securityContext",
                                       "stdin",
                                       "stdinOnce",
                                       "tty",
                                       NULL};
static const char *const res_keys[] = {"requests", "limits", "claims", NULL};
static const char *const probe_keys[] = {"exec",
                                         "httpGet",
                                         "tcpSocket",
                                         "grpc",
                                         "initialDelaySeconds",
                                         "timeoutSeconds",
                                         "periodSeconds",
                                         "successThreshold",
                                         "failureThreshold",
                                         "terminationGracePeriodSeconds",
                                         NULL};
static const char *const tol_keys[] = {"key",    "operator",          "value",
                                       "effect", "tolerationSeconds", NULL};

static int probe(struct ld *l, const struct cs_ynode *n, const char *what,
                 struct cs_podspec *sp)
{
    char fp[256];
    const struct cs_ynode *v;
    int64_t x;

    if (cs_ymap_check_keys(n, probe_keys, what, l->err) < 0)
        return CS_EINVAL;
    sp->has_probe = 1;
    sp->probe_delay = 0;
    sp->probe_period = 10000;
    sp->probe_success = 1;
    if ((v = cs_ymap_get(n, "initialDelaySeconds")) != NULL) {
        if (cs_yget_int(v,
                        cs_ypath(fp, sizeof(fp), what, "initialDelaySeconds"),
                        0, 86400, &x, l->err) < 0)
            return CS_EINVAL;
        sp->probe_delay = x * 1000;
    }
    if ((v = cs_ymap_get(n, "periodSeconds")) != NULL) {
        if (cs_yget_int(v, cs_ypath(fp, sizeof(fp), what, "periodSeconds"), 1,
                        86400, &x, l->err) < 0)
            return CS_EINVAL;
        sp->probe_period = x * 1000;
    }
    if ((v = cs_ymap_get(n, "successThreshold")) != NULL) {
        if (cs_yget_int(v, cs_ypath(fp, sizeof(fp), what, "successThreshold"),
                        1, 1000, &x, l->err) < 0)
            return CS_EINVAL;
        sp->probe_success = (int32_t)x;
    }
    return 0;
}

static int container(struct ld *l, const struct cs_ynode *n, const char *what,
                     struct cs_podspec *sp, struct cs_container *c)
{
    char fp[256], rp[256];
    const struct cs_ynode *v, *res;

    if (cs_ymap_check_keys(n, ctr_keys, what, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(n, "name", what, l->err);
    if (v == NULL || cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "name"),
                                    &c->name, l->err) < 0)
        return CS_EINVAL;
    if ((res = cs_ymap_get(n, "resources")) != NULL) {
        cs_ypath(rp, sizeof(rp), what, "resources");
        if (cs_ymap_check_keys(res, res_keys, rp, l->err) < 0 ||
            ld_resources(l, cs_ymap_get(res, "requests"),
                         cs_ypath(fp, sizeof(fp), rp, "requests"), &c->req,
                         &c->req_set) < 0 ||
            ld_resources(l, cs_ymap_get(res, "limits"),
                         cs_ypath(fp, sizeof(fp), rp, "limits"), &c->lim,
                         &c->lim_set) < 0)
            return CS_EINVAL;
    }
    /* As the API server does: a limit without a request sets the request. */
    for (int r = 0; r < CS_RES_MAX; r++)
        if ((c->lim_set & (1u << r)) && !(c->req_set & (1u << r))) {
            c->req.v[r] = c->lim.v[r];
            c->req_set |= 1u << r;
        }
    for (int r = 0; r < CS_RES_MAX; r++)
        if ((c->lim_set & (1u << r)) && c->req.v[r] > c->lim.v[r]) {
            const char *rn = l->sc->res.name[r];
            const struct cs_ynode *lim =
                cs_ymap_get(cs_ymap_get(res, "limits"), rn);
            const struct cs_ynode *req =
                cs_ymap_get(cs_ymap_get(res, "requests"), rn);

            /* both were parsed by ld_resources, so both are scalars */
            return ld_fail(l, lim ? lim : res,
                           "%s.resources.limits.%s must not be below its "
                           "request (got %s < %s)",
                           what, rn, lim ? lim->str : "?",
                           req ? req->str : "?");
        }
    if ((v = cs_ymap_get(n, "readinessProbe")) != NULL &&
        probe(l, v, cs_ypath(fp, sizeof(fp), what, "readinessProbe"), sp) < 0)
        return CS_EINVAL;
    return 0;
}

static int tolerations(struct ld *l, const struct cs_ynode *n, const char *what,
                       struct cs_podspec *sp)
{
    char path[256], fp[256];

    if (cs_ynode_expect(n, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    sp->tolerations = ld_alloc(l, n->n * sizeof(*sp->tolerations));
    if (sp->tolerations == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *t = n->items[i], *v;
        struct cs_toleration *tt = &sp->tolerations[i];
        const char *s;

        cs_ypath_index(path, sizeof(path), what, i);
        if (cs_ymap_check_keys(t, tol_keys, path, l->err) < 0)
            return CS_EINVAL;
        tt->key = tt->value = "";
        tt->op = CS_TOL_EQUAL;
        if ((v = cs_ymap_get(t, "key")) != NULL && !cs_ynode_is_null(v) &&
            cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "key"), &tt->key,
                           l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(t, "value")) != NULL && !cs_ynode_is_null(v) &&
            cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "value"),
                           &tt->value, l->err) < 0)
            return CS_EINVAL;
        if ((v = cs_ymap_get(t, "operator")) != NULL) {
            if (cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "operator"),
                               &s, l->err) < 0)
                return CS_EINVAL;
            if (strcmp(s, "Exists") == 0)
                tt->op = CS_TOL_EXISTS;
            else if (strcmp(s, "Equal") != 0)
                return ld_fail(l, v,
                               "%s.operator must be Equal or Exists, got "
                               "\"%s\"",
                               path, s);
        }
        if ((v = cs_ymap_get(t, "effect")) != NULL && !cs_ynode_is_null(v)) {
            if (cs_yget_string(v, cs_ypath(fp, sizeof(fp), path, "effect"), &s,
                               l->err) < 0)
                return CS_EINVAL;
            tt->effect = s[0] ? cs_taint_effect_parse(s) : 0;
            if (s[0] && tt->effect == 0)
                return ld_fail(l, v,
                               "%s.effect must be NoSchedule, "
                               "PreferNoSchedule or NoExecute, got \"%s\"",
                               path, s);
        }
    }
    sp->ntolerations = (int)n->n;
    return 0;
}

/* spec.priority, or the value of spec.priorityClassName's PriorityClass,
 * or the globalDefault class's value. */
static int pod_priority(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_podspec *sp)
{
    char fp[256];
    const struct cs_ynode *pv = cs_ymap_get(n, "priority");
    const struct cs_ynode *pc = cs_ymap_get(n, "priorityClassName");
    const char *name;
    int64_t x = 0;
    int32_t cls;

    sp->priority = ld_default_priority(l);
    if (pv != NULL) {
        if (cs_yget_int(pv, cs_ypath(fp, sizeof(fp), what, "priority"),
                        INT32_MIN, INT32_MAX, &x, l->err) < 0)
            return CS_EINVAL;
        sp->priority = (int32_t)x;
    }
    if (pc == NULL || cs_ynode_is_null(pc))
        return 0;
    cs_ypath(fp, sizeof(fp), what, "priorityClassName");
    if (cs_yget_string(pc, fp, &name, l->err) < 0)
        return CS_EINVAL;
    if (ld_pclass_value(l, name, &cls) < 0)
        return ld_fail(l, pc,
                       "%s: no PriorityClass named \"%s\" (add a "
                       "scheduling.k8s.io/v1 PriorityClass to manifests)",
                       fp, name);
    /* the Priority admission plugin rejects a pod whose two disagree */
    if (pv != NULL && x != cls)
        return ld_fail(l, pv,
                       "%s.priority is %lld but PriorityClass %s has value "
                       "%d (give priorityClassName alone)",
                       what, (long long)x, name, (int)cls);
    sp->priority = cls;
    return 0;
}

static int pod_spec(struct ld *l, const struct cs_ynode *n, const char *what,
                    struct cs_podspec *sp)
{
    char fp[256], cp[256];
    const struct cs_ynode *ctrs, *v;
    int64_t g;

    if (cs_ymap_check_keys(n, pspec_keys, what, l->err) < 0)
        return CS_EINVAL;
    cs_ypath(cp, sizeof(cp), what, "containers");
    ctrs = cs_ymap_require(n, "containers", what, l->err);
    if (ctrs == NULL || cs_ynode_expect(ctrs, CS_Y_SEQ, cp, l->err) < 0)
        return CS_EINVAL;
    if (ctrs->n == 0 || ctrs->n > CS_CONTAINERS_MAX)
        return ld_fail(l, ctrs, "%s must hold 1 to %d containers", cp,
                       CS_CONTAINERS_MAX);
    for (size_t i = 0; i < ctrs->n; i++) {
        if (container(l, ctrs->items[i], cs_ypath_index(fp, sizeof(fp), cp, i),
                      sp, &sp->c[i]) < 0)
            return CS_EINVAL;
        cs_resvec_add(&sp->requests, &sp->c[i].req, CS_RES_MAX);
        /* kube-scheduler's non-zero defaults, per container */
        sp->nz_cpu += (sp->c[i].req_set & (1u << CS_RES_CPU))
                          ? sp->c[i].req.v[CS_RES_CPU]
                          : 100;
        sp->nz_mem += (sp->c[i].req_set & (1u << CS_RES_MEMORY))
                          ? sp->c[i].req.v[CS_RES_MEMORY]
                          : 200LL * 1024 * 1024 * 1000;
    }
    for (size_t i = 0; i < ctrs->n; i++)
        cs_resvec_add(&sp->limits, &sp->c[i].lim, CS_RES_MAX);
    sp->ncontainers = (int)ctrs->n;
    if (pod_priority(l, n, what, sp) < 0)
        return CS_EINVAL;
    sp->grace = 30000;
    if ((v = cs_ymap_get(n, "terminationGracePeriodSeconds")) != NULL) {
        if (cs_yget_int(
                v,
                cs_ypath(fp, sizeof(fp), what, "terminationGracePeriodSeconds"),
                0, 86400 * 7, &g, l->err) < 0)
            return CS_EINVAL;
        sp->grace = g * 1000;
    }
    if (ld_kv_map(l, cs_ymap_get(n, "nodeSelector"),
                  cs_ypath(fp, sizeof(fp), what, "nodeSelector"),
                  &sp->node_selector, &sp->nnode_selector) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(n, "tolerations")) != NULL &&
        tolerations(l, v, cs_ypath(fp, sizeof(fp), what, "tolerations"), sp) <
            0)
        return CS_EINVAL;
    return 0;
}

/* capsim's defaults for a workload no `workloads` entry describes. */
static void model_defaults(struct ld *l, struct cs_workload *w)
{
    const struct cs_container *c = &w->spec.c[0];
    double biggest = 0;

    for (int i = 0; i < l->sc->npools; i++)
        if (l->sc->pools[i].allocatable.v[CS_RES_CPU] / 1000.0 > biggest)
            biggest = l->sc->pools[i].allocatable.v[CS_RES_CPU] / 1000.0;
    w->serving_container = 0;
    w->svc.cpu_s = 0.001;
    w->svc.idle_cpu = 0;
    w->svc.cpu_capacity = (c->lim_set & (1u << CS_RES_CPU))
                              ? c->lim.v[CS_RES_CPU] / 1000.0
                              : biggest;
    w->svc.mem_base = 0;
    w->svc.mem_per_inflight = 0;
    w->svc.base_latency_s = 0;
    w->svc.timeout_s = 30;
    w->startup.schedule.kind = CS_DIST_CONST;
    w->startup.schedule.a = 1;
    w->startup.pull.kind = CS_DIST_CONST;
    w->startup.pull.a = 2;
    w->startup.start.kind = CS_DIST_CONST;
    w->startup.start.a = 1;
    w->startup.warmup.kind = CS_DIST_CONST;
    w->startup.warmup.a = 0;
    w->startup.shutdown.kind = CS_DIST_CONST;
    w->startup.shutdown.a = 1;
}

static int metadata(struct ld *l, const struct cs_ynode *obj, const char *what,
                    struct cs_workload *w)
{
    char fp[256];
    const struct cs_ynode *md, *v;

    cs_ypath(fp, sizeof(fp), what, "metadata");
    md = cs_ymap_require(obj, "metadata", what, l->err);
    if (md == NULL || cs_ymap_check_keys(md, meta_keys, fp, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(md, "name", fp, l->err);
    if (v == NULL || cs_yget_string(v, "metadata.name", &w->name, l->err) < 0)
        return CS_EINVAL;
    w->ns = "default";
    if ((v = cs_ymap_get(md, "namespace")) != NULL &&
        cs_yget_string(v, "metadata.namespace", &w->ns, l->err) < 0)
        return CS_EINVAL;
    return 0;
}

/* An IntOrString bound of rollingUpdate: "25%" or 1 (a quoted number
 * without % is a string that is not a percentage, as upstream rejects). */
static int int_or_pct(struct ld *l, const struct cs_ynode *v, const char *what,
                      int32_t *out, uint8_t *pct)
{
    char num[32];
    int64_t x;

    if (cs_ynode_expect(v, CS_Y_SCALAR, what, l->err) < 0)
        return CS_EINVAL;
    *pct = v->len > 0 && v->str[v->len - 1] == '%';
    if (v->len >= sizeof(num) || (v->quoted && !*pct))
        goto bad;
    memcpy(num, v->str, v->len - *pct);
    num[v->len - *pct] = '\0';
    if (cs_parse_int64(num, &x) < 0 || num[0] == '+')
        goto bad;
    if (x < 0)
        return ld_fail(l, v, "%s must not be negative, got \"%s\"", what,
                       v->str);
    if (x > 1000000)
        return ld_fail(l, v, "%s is out of range, got \"%s\"", what, v->str);
    *out = (int32_t)x;
    return 0;
bad:
    return ld_fail(l, v,
                   "%s must be an integer or a percentage (e.g. 1 or 25%%), "
                   "got \"%s\"",
                   what, v->str);
}

static int rolling_update(struct ld *l, const struct cs_ynode *ru,
                          const char *what, struct cs_strategy *st)
{
    static const char *const keys[] = {"maxSurge", "maxUnavailable", NULL};
    const struct cs_ynode *v;
    char fp[384];

    if (cs_ymap_check_keys(ru, keys, what, l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(ru, "maxSurge")) != NULL &&
        int_or_pct(l, v, cs_ypath(fp, sizeof(fp), what, "maxSurge"),
                   &st->max_surge, &st->surge_pct) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(ru, "maxUnavailable")) != NULL) {
        cs_ypath(fp, sizeof(fp), what, "maxUnavailable");
        if (int_or_pct(l, v, fp, &st->max_unavailable, &st->unavailable_pct) <
            0)
            return CS_EINVAL;
        if (st->unavailable_pct && st->max_unavailable > 100)
            return ld_fail(l, v,
                           "%s must not be greater than 100%%, got \"%s\"", fp,
                           v->str);
    }
    if (st->max_surge == 0 && st->max_unavailable == 0)
        return ld_fail(
            l, ru, "%s: maxSurge and maxUnavailable must not both be 0", what);
    return 0;
}

/* spec.strategy; st keeps upstream's defaults where nothing is given. */
static int strategy(struct ld *l, const struct cs_ynode *n, const char *what,
                    struct cs_strategy *st)
{
    static const char *const keys[] = {"type", "rollingUpdate", NULL};
    const struct cs_ynode *v, *ru;
    const char *type = "RollingUpdate";
    char fp[384];

    *st = (struct cs_strategy){.max_surge = 25,
                               .max_unavailable = 25,
                               .surge_pct = 1,
                               .unavailable_pct = 1};
    if (n == NULL)
        return 0;
    if (cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    cs_ypath(fp, sizeof(fp), what, "type");
    if ((v = cs_ymap_get(n, "type")) != NULL &&
        cs_yget_string(v, fp, &type, l->err) < 0)
        return CS_EINVAL;
    if (strcmp(type, "Recreate") != 0 && strcmp(type, "RollingUpdate") != 0)
        return ld_fail(l, v, "%s must be RollingUpdate or Recreate, got \"%s\"",
                       fp, type);
    st->recreate = strcmp(type, "Recreate") == 0;
    ru = cs_ymap_get(n, "rollingUpdate");
    if (ru == NULL || cs_ynode_is_null(ru))
        return 0;
    cs_ypath(fp, sizeof(fp), what, "rollingUpdate");
    if (st->recreate)
        return ld_fail(l, ru, "%s must not be given when type is Recreate", fp);
    return rolling_update(l, ru, fp, st);
}

int ld_deployment(struct ld *l, const struct cs_ynode *obj,
                  struct cs_workload *w)
{
    char what[300], fp[320], sp[320];
    const struct cs_ynode *spec, *v, *tmpl, *sel;
    int64_t replicas = 1;

    snprintf(what, sizeof(what), "Deployment");
    if (cs_ymap_check_keys(obj, deploy_keys, what, l->err) < 0 ||
        metadata(l, obj, what, w) < 0)
        return CS_EINVAL;
    snprintf(what, sizeof(what), "Deployment %s", w->name);
    spec = cs_ymap_require(obj, "spec", what, l->err);
    cs_ypath(sp, sizeof(sp), what, "spec");
    if (spec == NULL || cs_ymap_check_keys(spec, dspec_keys, sp, l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(spec, "replicas")) != NULL &&
        cs_yget_int(v, cs_ypath(fp, sizeof(fp), sp, "replicas"), 0, 1000000,
                    &replicas, l->err) < 0)
        return CS_EINVAL;
    w->spec_replicas = (int32_t)replicas;
    if (strategy(l, cs_ymap_get(spec, "strategy"),
                 cs_ypath(fp, sizeof(fp), sp, "strategy"), &w->strategy) < 0)
        return CS_EINVAL;
    sel = cs_ymap_get(spec, "selector");
    if (sel != NULL &&
        ld_kv_map(l, cs_ymap_get(sel, "matchLabels"),
                  cs_ypath(fp, sizeof(fp), sp, "selector.matchLabels"),
                  (struct cs_kv **)&w->selector, &w->nselector) < 0)
        return CS_EINVAL;
    tmpl = cs_ymap_require(spec, "template", sp, l->err);
    if (tmpl == NULL ||
        ld_pod_template(l, tmpl, cs_ypath(fp, sizeof(fp), sp, "template"), w) <
            0)
        return CS_EINVAL;
    return 0;
}

#define CA_ANNOTATION "cluster-autoscaler.kubernetes.io/"

/* The cluster autoscaler's pod annotations; *local_ok is the
 * safe-to-evict-local-volumes list ("" if none). */
static int pod_annotations(struct ld *l, const struct cs_ynode *md,
                           const char *what, struct cs_podspec *sp,
                           const char **local_ok)
{
    char ap[320], fp[400];
    const struct cs_ynode *ann = cs_ymap_get(md, "annotations"), *v;
    const char *s;

    sp->safe_to_evict = CS_STE_UNSET;
    sp->scale_up_delay = -1;
    *local_ok = "";
    if (ann == NULL || cs_ynode_is_null(ann))
        return 0;
    cs_ypath(ap, sizeof(ap), what, "metadata.annotations");
    if (cs_ynode_expect(ann, CS_Y_MAP, ap, l->err) < 0)
        return CS_EINVAL;
    if ((v = cs_ymap_get(ann, CA_ANNOTATION "safe-to-evict")) != NULL) {
        cs_ypath(fp, sizeof(fp), ap, CA_ANNOTATION "safe-to-evict");
        if (cs_yget_string(v, fp, &s, l->err) < 0)
            return CS_EINVAL;
        if (strcmp(s, "true") == 0)
            sp->safe_to_evict = CS_STE_TRUE;
        else if (strcmp(s, "false") == 0)
            sp->safe_to_evict = CS_STE_FALSE;
        else if (strcmp(s, "on-completion") == 0)
            sp->safe_to_evict = CS_STE_ON_COMPLETION;
        else
            return ld_fail(l, v,
                           "%s must be \"true\", \"false\" or "
                           "\"on-completion\", got \"%s\"",
                           fp, s);
    }
    if ((v = cs_ymap_get(ann, CA_ANNOTATION "pod-scale-up-delay")) != NULL &&
        cs_yget_duration(
            v, cs_ypath(fp, sizeof(fp), ap, CA_ANNOTATION "pod-scale-up-delay"),
            &sp->scale_up_delay, l->err) < 0)
        return CS_EINVAL;
    v = cs_ymap_get(ann, CA_ANNOTATION "safe-to-evict-local-volumes");
    if (v != NULL && !cs_ynode_is_null(v) &&
        cs_yget_string(v,
                       cs_ypath(fp, sizeof(fp), ap,
                                CA_ANNOTATION "safe-to-evict-local-volumes"),
                       local_ok, l->err) < 0)
        return CS_EINVAL;
    return 0;
}

/* 1 if name is an item of the comma-separated list (split as upstream's
 * strings.Split, no trimming). */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = list;;) {
        size_t len = strcspn(p, ",");

        if (len == n && memcmp(p, name, n) == 0)
            return 1;
        if (p[len] == '\0')
            return 0;
        p += len + 1;
    }
}

/* spec.volumes: a hostPath, or an emptyDir not in memory, that local_ok
 * does not list makes the pod block a node's scale-down (upstream's
 * HasBlockingLocalStorage). Other volume kinds are accepted. */
static int pod_volumes(struct ld *l, const struct cs_ynode *n, const char *what,
                       const char *local_ok, struct cs_podspec *sp)
{
    char vp[320], ip[340], fp[360];
    const struct cs_ynode *vols = cs_ymap_get(n, "volumes");

    if (vols == NULL || cs_ynode_is_null(vols))
        return 0;
    cs_ypath(vp, sizeof(vp), what, "volumes");
    if (cs_ynode_expect(vols, CS_Y_SEQ, vp, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < vols->n; i++) {
        const struct cs_ynode *vol = vols->items[i], *v, *ed;
        const char *name;
        int local;

        cs_ypath_index(ip, sizeof(ip), vp, i);
        if (cs_ynode_expect(vol, CS_Y_MAP, ip, l->err) < 0)
            return CS_EINVAL;
        v = cs_ymap_require(vol, "name", ip, l->err);
        if (v == NULL || cs_yget_string(v, cs_ypath(fp, sizeof(fp), ip, "name"),
                                        &name, l->err) < 0)
            return CS_EINVAL;
        ed = cs_ymap_get(vol, "emptyDir");
        v = cs_ymap_get(ed, "medium");
        local = cs_ymap_get(vol, "hostPath") != NULL ||
                (ed != NULL && !(v != NULL && v->kind == CS_Y_SCALAR &&
                                 strcmp(v->str, "Memory") == 0));
        if (local && !listed(local_ok, name))
            sp->local_storage = 1;
    }
    return 0;
}

int ld_pod_template(struct ld *l, const struct cs_ynode *tmpl, const char *what,
                    struct cs_workload *w)
{
    const struct cs_ynode *v;
    const char *local_ok;
    char sp[320];

    if (cs_ymap_check_keys(tmpl, tmpl_keys, what, l->err) < 0)
        return CS_EINVAL;
    if (ld_kv_map(l, cs_ymap_get(cs_ymap_get(tmpl, "metadata"), "labels"),
                  "template.metadata.labels", &w->spec.labels,
                  &w->spec.nlabels) < 0)
        return CS_EINVAL;
    if (pod_annotations(l, cs_ymap_get(tmpl, "metadata"), what, &w->spec,
                        &local_ok) < 0)
        return CS_EINVAL;
    v = cs_ymap_require(tmpl, "spec", what, l->err);
    cs_ypath(sp, sizeof(sp), what, "spec");
    if (v == NULL || pod_spec(l, v, sp, &w->spec) < 0 ||
        pod_volumes(l, v, sp, local_ok, &w->spec) < 0)
        return CS_EINVAL;
    model_defaults(l, w);
    return 0;
}
