/*
 * kubectl.c - the kubectl commands of a CronJob container into actions
 * (see kubectl.h): the container's words, the kubectl command line and its
 * verbs. Scripts are read by kubectl_sh.c, patch bodies by
 * kubectl_patch.c.
 *
 * Design
 * ------
 * Every command becomes a list of struct word (text without quotes, the
 * node an error about it points at, its first expansion) and goes through
 * the same interpreter, whatever it came from:
 *
 *   words[0] = kubectl -------------------------------> cs_kubectl_command()
 *   words[0] = sh -c SCRIPT --> cs_kubectl_shell() --/   (or an ignored
 *                               (kubectl_sh.c)             program: echo...)
 *
 * kubectl's own parsing is cobra's: flags may come before and after the
 * verb, as `--flag=value`, `--flag value`, `-f value`, `-fvalue` or
 * `-f=value`; before the verb only the global flags exist. Every flag
 * capsim knows takes a value, so any other word is positional: the verb
 * (and `resources` after `set`), then TYPE NAME... or TYPE/NAME....
 * Kubernetes expands $(VAR) in command and args from the container's
 * environment, which capsim does not know, so such a word is an
 * expansion too.
 *
 * Invariants
 *  1. Only the arena allocates what outlives a call; word lists and the
 *     positional index are malloc'd and freed on every path.
 *  2. kp.n <= kp.max; actions are appended in the order commands run.
 *  3. Every failure fills err with the command being read (kp.cmd) quoted.
 */
#include "io/kubectl_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/quantity.h"

#define QUOTE_MAX 100 /* bytes of a command quoted in a message */
#define SHOW(n) ((int)((n) < 200 ? (n) : 200)) /* for %.*s */
#define SUPPORTED                                                              \
    "capsim reads kubectl scale, kubectl patch and kubectl set resources"
#define NAME_HINT "write deployment/NAME or deployment NAME"

/* ------------------------------------------------------------------------ */
/* Messages                                                                 */
/* ------------------------------------------------------------------------ */

static void put_quoted(char *q, size_t *n, int *cut, const char *s, size_t len)
{
    for (size_t i = 0; i < len && !*cut; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\\' && i + 1 < len && s[i + 1] == '\n') {
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            c = ' ';
        if (c == ' ' && (*n == 0 || q[*n - 1] == ' '))
            continue; /* leading and repeated blanks */
        if (*n == QUOTE_MAX)
            *cut = 1;
        else
            q[(*n)++] = (char)c;
    }
}

/* The command as written (or its words joined by spaces) on one line:
 * backslash-newlines removed, control characters as spaces, runs of blanks
 * as one, trimmed, cut at QUOTE_MAX bytes on a UTF-8 boundary. */
static void quote(const struct cmd *c, char q[QUOTE_MAX + 4])
{
    size_t n = 0, j, need;
    int cut = 0;

    if (c->src != NULL)
        put_quoted(q, &n, &cut, c->src, c->srclen);
    for (size_t i = 0; c->src == NULL && i < c->n; i++) {
        if (i > 0)
            put_quoted(q, &n, &cut, " ", 1);
        put_quoted(q, &n, &cut, c->w[i].s, strlen(c->w[i].s));
    }
    if (cut && n > 0) {
        for (j = n - 1; j > 0 && ((unsigned char)q[j] & 0xC0) == 0x80; j--)
            ;
        need = (unsigned char)q[j] >= 0xF0   ? 4
               : (unsigned char)q[j] >= 0xE0 ? 3
               : (unsigned char)q[j] >= 0xC0 ? 2
                                             : 1;
        if (j + need > n)
            n = j;
        memcpy(q + n, "...", 3);
        n += 3;
    }
    while (!cut && n > 0 && q[n - 1] == ' ')
        n--;
    q[n] = '\0';
}

int cs_kubectl_vfail(struct kp *kp, int code, const struct cs_ynode *at,
                     const char *fmt, va_list ap)
{
    char msg[CS_ERR_MSG_MAX], q[QUOTE_MAX + 4];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    quote(kp->cmd, q);
    return cs_err_set(kp->err, code, at != NULL ? at->file : NULL,
                      at != NULL ? at->line : 0, at != NULL ? at->col : 0,
                      "\"%s\": %s", q, msg);
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail(struct kp *kp, int code, const struct cs_ynode *at, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cs_kubectl_vfail(kp, code, at, fmt, ap);
    va_end(ap);
    return rc;
}

int cs_kubectl_nomem(struct kp *kp)
{
    return cs_err_set(kp->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

static int emit(struct kp *kp, const struct cs_ynode *at,
                const struct cs_action *act)
{
    if (kp->n == kp->max)
        return fail(kp, CS_ELIMIT, at, "more than %zu actions in one CronJob",
                    kp->max);
    kp->out[kp->n++] = *act;
    return 0;
}

const char *cs_kubectl_base(const char *path)
{
    const char *s = strrchr(path, '/');

    return s != NULL ? s + 1 : path;
}

/* ------------------------------------------------------------------------ */
/* Objects: TYPE NAME... or TYPE/NAME...                                    */
/* ------------------------------------------------------------------------ */

struct obj {
    const char *type; /* as written, type[0..tlen) */
    size_t tlen;
    const char *name; /* NUL-terminated, borrowed from the word */
    const struct cs_ynode *tat, *at; /* the type's word, the name's */
};

static const char *const deploy_names[] = {"deploy", "deployment",
                                           "deployments", NULL};
static const char *const deploy_groups[] = {"", ".apps", ".v1.apps", NULL};
static const char *const hpa_names[] = {"hpa", "horizontalpodautoscaler",
                                        "horizontalpodautoscalers", NULL};
static const char *const hpa_groups[] = {"", ".autoscaling", ".v1.autoscaling",
                                         ".v2.autoscaling", NULL};
static const char *const vpa_names[] = {"vpa", "verticalpodautoscaler",
                                        "verticalpodautoscalers", NULL};
static const char *const vpa_groups[] = {"", ".autoscaling.k8s.io",
                                         ".v1.autoscaling.k8s.io", NULL};

static int same_ci(const char *s, const char *lower, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];

        if (c != lower[i])
            return 0;
    }
    return 1;
}

/* type[0..len) is one of names followed by one of groups, in any case. */
static int kind_is(const char *type, size_t len, const char *const *names,
                   const char *const *groups)
{
    for (; *names != NULL; names++) {
        size_t nl = strlen(*names);

        if (len < nl || !same_ci(type, *names, nl))
            continue;
        for (const char *const *g = groups; *g != NULL; g++)
            if (strlen(*g) == len - nl && same_ci(type + nl, *g, len - nl))
                return 1;
    }
    return 0;
}

/* Objects named by the positionals pos[first..np). */
static size_t nobjects(const struct word *w, const size_t *pos, size_t np,
                       size_t first)
{
    if (first >= np)
        return 0;
    return strchr(w[pos[first]].s, '/') != NULL ? np - first : np - first - 1;
}

/* The k-th of them. */
static int object(struct kp *kp, const struct word *w, const size_t *pos,
                  size_t first, size_t k, struct obj *o)
{
    const struct word *t = &w[pos[first]], *nm;
    const char *sl = strchr(t->s, '/');

    if (sl != NULL) {
        t = &w[pos[first + k]];
        sl = strchr(t->s, '/');
        if (sl == NULL || sl == t->s || sl[1] == '\0' || strchr(sl + 1, '/'))
            return fail(kp, CS_EPARSE, t->at, "expected TYPE/NAME, got \"%s\"",
                        t->s);
        *o = (struct obj){t->s, (size_t)(sl - t->s), sl + 1, t->at, t->at};
        return 0;
    }
    nm = &w[pos[first + 1 + k]];
    if (nm->s[0] == '\0' || strchr(nm->s, '/') != NULL)
        return fail(kp, CS_EPARSE, nm->at, "expected a name, got \"%s\"",
                    nm->s);
    *o = (struct obj){t->s, strlen(t->s), nm->s, t->at, nm->at};
    return 0;
}

/* The Deployments named by pos[first..np), checked; *n of them. */
static int deployments(struct kp *kp, const struct word *w, const size_t *pos,
                       size_t np, size_t first, size_t *n)
{
    struct obj o;
    int rc;

    *n = nobjects(w, pos, np, first);
    if (*n == 0)
        return fail(kp, CS_EPARSE, w[pos[first - 1]].at,
                    "no Deployment named (" NAME_HINT ")");
    for (size_t k = 0; k < *n; k++) {
        if ((rc = object(kp, w, pos, first, k, &o)) < 0)
            return rc;
        if (!kind_is(o.type, o.tlen, deploy_names, deploy_groups))
            return fail(kp, CS_EINVAL, o.tat,
                        "capsim models Deployments only (got %.*s)",
                        SHOW(o.tlen), o.type);
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* kubectl flags                                                            */
/* ------------------------------------------------------------------------ */

enum verb { V_NONE, V_SCALE, V_PATCH, V_SET, V_SETRES };

enum fid {
    F_IGNORED,
    F_REPLICAS,
    F_CURRENT,
    F_RESVER,
    F_PATCH,
    F_TYPE,
    F_CONTAINERS,
    F_REQUESTS,
    F_LIMITS,
    F_COUNT
};

/* Every flag capsim knows takes a value. */
struct flagdef {
    const char *name;
    char shrt;
    enum fid id;
};

static const struct flagdef global_flags[] = {
    {"namespace", 'n', F_IGNORED}, {"context", 0, F_IGNORED},
    {"kubeconfig", 0, F_IGNORED},  {"request-timeout", 0, F_IGNORED},
    {"v", 'v', F_IGNORED},         {NULL, 0, F_IGNORED}};
static const struct flagdef scale_flags[] = {{"replicas", 0, F_REPLICAS},
                                             {"current-replicas", 0, F_CURRENT},
                                             {"resource-version", 0, F_RESVER},
                                             {NULL, 0, F_IGNORED}};
static const struct flagdef patch_flags[] = {
    {"patch", 'p', F_PATCH}, {"type", 0, F_TYPE}, {NULL, 0, F_IGNORED}};
static const struct flagdef setres_flags[] = {{"containers", 'c', F_CONTAINERS},
                                              {"requests", 0, F_REQUESTS},
                                              {"limits", 0, F_LIMITS},
                                              {NULL, 0, F_IGNORED}};

struct val {
    const char *s; /* NULL: not given */
    const struct cs_ynode *at;
};

struct opts {
    enum verb verb;
    struct val v[F_COUNT]; /* the last value of each flag */
};

/* The flag named name[0..len) (long) or shrt, for this verb, or NULL. */
static const struct flagdef *find_flag(enum verb verb, const char *name,
                                       size_t len, char shrt)
{
    const struct flagdef *tables[2] = {global_flags, NULL};

    tables[1] = verb == V_SCALE    ? scale_flags
                : verb == V_PATCH  ? patch_flags
                : verb == V_SETRES ? setres_flags
                                   : NULL;
    for (int t = 0; t < 2 && tables[t] != NULL; t++)
        for (const struct flagdef *d = tables[t]; d->name != NULL; d++)
            if (name != NULL
                    ? strlen(d->name) == len && memcmp(d->name, name, len) == 0
                    : d->shrt == shrt)
                return d;
    return NULL;
}

/* The flag at w[*i] and its value (w[*i + 1] when not attached). */
static int flag(struct kp *kp, const struct word *w, size_t n, size_t *i,
                struct opts *o)
{
    const char *s = w[*i].s, *val = NULL, *eq;
    const struct flagdef *d;
    int flen = 2;

    if (s[1] == '-') {
        eq = strchr(s + 2, '=');
        flen = SHOW(eq != NULL ? (size_t)(eq - s) : strlen(s));
        val = eq != NULL ? eq + 1 : NULL;
        d = find_flag(o->verb, s + 2, (size_t)(flen - 2), 0);
    } else {
        val = s[2] == '=' ? s + 3 : s[2] != '\0' ? s + 2 : NULL;
        d = find_flag(o->verb, NULL, 0, s[1]);
    }
    if (d == NULL)
        return fail(kp, CS_EINVAL, w[*i].at, "unknown or unsupported flag %.*s",
                    flen, s);
    if (val == NULL && *i + 1 >= n)
        return fail(kp, CS_EPARSE, w[*i].at, "%.*s needs a value", flen, s);
    if (val == NULL)
        val = w[++*i].s;
    o->v[d->id] = (struct val){val, w[*i].at};
    return 0;
}

/* The positional w[i], the np-th: the verb or the subcommand of set. */
static int verb(struct kp *kp, const struct word *w, size_t n, size_t i,
                size_t np, struct opts *o)
{
    const char *s = w[i].s, *sub = "";

    if (np == 1 && strcmp(s, "scale") == 0)
        o->verb = V_SCALE;
    else if (np == 1 && strcmp(s, "patch") == 0)
        o->verb = V_PATCH;
    else if (np == 1 && strcmp(s, "set") == 0)
        o->verb = V_SET;
    else if (np == 2 && o->verb == V_SET && strcmp(s, "resources") == 0)
        o->verb = V_SETRES;
    else if (np == 2 && o->verb == V_SET)
        return fail(kp, CS_EINVAL, w[i].at,
                    "kubectl set %s is not supported; " SUPPORTED, s);
    else if (np == 1) {
        if (strcmp(s, "rollout") == 0 && i + 1 < n && w[i + 1].s[0] != '-')
            sub = w[i + 1].s;
        return fail(kp, CS_EINVAL, w[i].at,
                    "kubectl %s%s%s is not supported; " SUPPORTED, s,
                    sub[0] != '\0' ? " " : "", sub);
    }
    return 0;
}

/* Sorts w[1..n) into flags (o) and positionals (pos, *np). */
static int scan(struct kp *kp, const struct word *w, size_t n, struct opts *o,
                size_t *pos, size_t *np)
{
    int dashdash = 0, rc = 0;

    *o = (struct opts){V_NONE, {{NULL, NULL}}};
    for (size_t i = 1; i < n && rc == 0; i++) {
        const char *s = w[i].s;

        if (dashdash || s[0] != '-' || s[1] == '\0') {
            pos[(*np)++] = i;
            rc = verb(kp, w, n, i, *np, o);
        } else if (strcmp(s, "--") == 0) {
            dashdash = 1;
        } else {
            rc = flag(kp, w, n, &i, o);
        }
    }
    if (rc == 0 && o->verb == V_NONE)
        rc = fail(kp, CS_EINVAL, w[0].at, "no kubectl command; " SUPPORTED);
    if (rc == 0 && o->verb == V_SET)
        rc = fail(kp, CS_EINVAL, w[pos[0]].at,
                  "kubectl set needs a subcommand; " SUPPORTED);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Verbs                                                                    */
/* ------------------------------------------------------------------------ */

static int scale(struct kp *kp, const struct word *w, const size_t *pos,
                 size_t np, const struct opts *o)
{
    const struct val *r = &o->v[F_REPLICAS];
    struct cs_action act;
    struct obj ob;
    size_t nobj;
    int64_t x;
    int rc;

    for (int f = F_CURRENT; f <= F_RESVER; f++)
        if (o->v[f].s != NULL)
            return fail(kp, CS_EINVAL, o->v[f].at,
                        "%s is not supported (capsim scales unconditionally)",
                        f == F_CURRENT ? "--current-replicas"
                                       : "--resource-version");
    if ((rc = deployments(kp, w, pos, np, 1, &nobj)) < 0)
        return rc;
    if (r->s == NULL)
        return fail(kp, CS_EPARSE, w[pos[0]].at, "--replicas is required");
    rc = cs_parse_int64(r->s, &x);
    if (rc == CS_EPARSE)
        return fail(kp, CS_EPARSE, r->at,
                    "--replicas must be an integer, got \"%s\"", r->s);
    if (rc == 0 && x < 0)
        return fail(kp, CS_EPARSE, r->at,
                    "--replicas must not be negative, got \"%s\"", r->s);
    if (rc < 0 || x > INT32_MAX)
        return fail(kp, CS_EPARSE, r->at,
                    "--replicas is out of range, got \"%s\"", r->s);
    for (size_t k = 0; k < nobj; k++) {
        object(kp, w, pos, 1, k, &ob); /* checked by deployments() */
        cs_action_init(&act, CS_ACTION_SCALE);
        act.target = ob.name;
        act.replicas = (int32_t)x;
        if ((rc = emit(kp, ob.at, &act)) < 0)
            return rc;
    }
    return 0;
}

/* --type: *type, or a message at the flag (or at the verb, for the default
 * on a VPA). */
static int patch_type(struct kp *kp, const struct word *w, const size_t *pos,
                      const struct val *t, enum cs_kubectl_object kind,
                      enum cs_kubectl_patch_type *type)
{
    *type = CS_KUBECTL_STRATEGIC;
    if (t->s != NULL && strcmp(t->s, "merge") == 0)
        *type = CS_KUBECTL_MERGE;
    else if (t->s != NULL && strcmp(t->s, "json") == 0)
        *type = CS_KUBECTL_JSON;
    else if (t->s != NULL && strcmp(t->s, "strategic") != 0)
        return fail(kp, CS_EPARSE, t->at,
                    "--type must be strategic, merge or json, got \"%s\"",
                    t->s);
    if (kind != CS_KUBECTL_VPA || *type != CS_KUBECTL_STRATEGIC)
        return 0;
    if (t->s != NULL)
        return fail(kp, CS_EPARSE, t->at,
                    "--type must be merge or json for a "
                    "VerticalPodAutoscaler: it is a custom resource, and the "
                    "API server refuses strategic merge patches");
    return fail(kp, CS_EPARSE, w[pos[0]].at,
                "a VerticalPodAutoscaler needs --type=merge or --type=json: "
                "it is a custom resource, and the API server refuses the "
                "strategic merge patch kubectl sends by default");
}

/* A patch error (located in the patch text) relocated to the -p word. */
static int patch_error(struct kp *kp, int rc, const struct cs_ynode *at,
                       const struct cs_err *e)
{
    if (rc == CS_ENOMEM)
        return cs_kubectl_nomem(kp);
    if (e->line == 1)
        return fail(kp, rc, at, "--patch (column %d): %s", e->col, e->msg);
    if (e->line > 1)
        return fail(kp, rc, at, "--patch (line %d, column %d): %s", e->line,
                    e->col, e->msg);
    return fail(kp, rc, at, "--patch: %s", e->msg);
}

static int patch(struct kp *kp, const struct word *w, const size_t *pos,
                 size_t np, const struct opts *o)
{
    const struct val *p = &o->v[F_PATCH];
    enum cs_kubectl_patch_type type;
    enum cs_kubectl_object kind = CS_KUBECTL_HPA;
    size_t nobj = nobjects(w, pos, np, 1);
    struct cs_action act;
    struct cs_err e;
    struct obj ob;
    int rc;

    if (nobj != 1)
        return fail(kp, CS_EPARSE, w[pos[0]].at,
                    "kubectl patch needs exactly one object (hpa NAME, "
                    "vpa NAME or deployment NAME), got %zu",
                    nobj);
    if ((rc = object(kp, w, pos, 1, 0, &ob)) < 0)
        return rc;
    if (kind_is(ob.type, ob.tlen, deploy_names, deploy_groups))
        kind = CS_KUBECTL_DEPLOYMENT;
    else if (kind_is(ob.type, ob.tlen, vpa_names, vpa_groups))
        kind = CS_KUBECTL_VPA;
    else if (!kind_is(ob.type, ob.tlen, hpa_names, hpa_groups))
        return fail(kp, CS_EINVAL, ob.tat,
                    "capsim patches HorizontalPodAutoscalers, "
                    "VerticalPodAutoscalers and Deployments only (got %.*s)",
                    SHOW(ob.tlen), ob.type);
    if (p->s == NULL)
        return fail(kp, CS_EPARSE, w[pos[0]].at, "--patch (-p) is required");
    if ((rc = patch_type(kp, w, pos, &o->v[F_TYPE], kind, &type)) < 0)
        return rc;
    cs_err_clear(&e);
    rc = cs_kubectl_patch_parse(kp->a, "--patch", p->s, strlen(p->s), kind,
                                type, &act, &e);
    if (rc < 0)
        return patch_error(kp, rc, p->at, &e);
    act.target = ob.name;
    return emit(kp, ob.at, &act);
}

/* --requests / --limits: NAME=QUANTITY[,...] into q[0..*nq). */
static int res_list(struct kp *kp, const struct val *v, const char *flag,
                    struct cs_action_qty *q, int *nq)
{
    const char *p = v->s, *end, *eq;
    char *name, *qty;
    size_t len;
    int64_t m;
    int rc;

    for (; p != NULL; p = end != NULL ? end + 1 : NULL) {
        end = strchr(p, ',');
        len = end != NULL ? (size_t)(end - p) : strlen(p);
        eq = memchr(p, '=', len);
        if (eq == NULL || eq == p)
            return fail(kp, CS_EPARSE, v->at,
                        "%s: expected NAME=QUANTITY, got \"%.*s\"", flag,
                        SHOW(len), p);
        if (*nq == CS_ACTION_RES_MAX)
            return fail(kp, CS_EINVAL, v->at, "%s sets more than %d resources",
                        flag, CS_ACTION_RES_MAX);
        name = cs_yarena_strndup(kp->a, p, (size_t)(eq - p));
        qty = cs_yarena_strndup(kp->a, eq + 1, len - (size_t)(eq - p) - 1);
        if (name == NULL || qty == NULL)
            return cs_kubectl_nomem(kp);
        for (int j = 0; j < *nq; j++)
            if (strcmp(q[j].name, name) == 0)
                return fail(kp, CS_EPARSE, v->at, "%s sets %s twice", flag,
                            name);
        rc = cs_quantity_parse_milli(qty, &m);
        if (rc == CS_EPARSE)
            return fail(kp, CS_EPARSE, v->at,
                        "%s: %s must be a Kubernetes quantity (e.g. 250m, "
                        "1.5, 512Mi), got \"%s\"",
                        flag, name, qty);
        if (rc < 0 || m < 0)
            return fail(
                kp, CS_EPARSE, v->at, "%s: %s %s, got \"%s\"", flag, name,
                rc < 0 ? "is out of range" : "must not be negative", qty);
        q[(*nq)++] = (struct cs_action_qty){name, m};
    }
    return 0;
}

static int set_resources(struct kp *kp, const struct word *w, const size_t *pos,
                         size_t np, const struct opts *o)
{
    const struct val *c = &o->v[F_CONTAINERS];
    struct cs_action act;
    struct obj ob;
    size_t nobj;
    int rc;

    if ((rc = deployments(kp, w, pos, np, 2, &nobj)) < 0)
        return rc;
    if (o->v[F_REQUESTS].s == NULL && o->v[F_LIMITS].s == NULL)
        return fail(kp, CS_EPARSE, w[pos[1]].at,
                    "--requests or --limits is required");
    cs_action_init(&act, CS_ACTION_RESOURCES);
    if (c->s != NULL && c->s[0] == '\0')
        return fail(kp, CS_EPARSE, c->at, "--containers must not be empty");
    if (c->s != NULL && strcmp(c->s, "*") != 0 && strpbrk(c->s, "*?[") != NULL)
        return fail(kp, CS_EINVAL, c->at,
                    "capsim matches containers by name or *, got \"%s\"", c->s);
    if (c->s != NULL && strcmp(c->s, "*") != 0)
        act.container = c->s;
    if ((rc = res_list(kp, &o->v[F_REQUESTS], "--requests", act.req,
                       &act.nreq)) < 0 ||
        (rc = res_list(kp, &o->v[F_LIMITS], "--limits", act.lim, &act.nlim)) <
            0)
        return rc;
    for (size_t k = 0; k < nobj; k++) {
        object(kp, w, pos, 2, k, &ob); /* checked by deployments() */
        act.target = ob.name;
        if ((rc = emit(kp, ob.at, &act)) < 0)
            return rc;
    }
    return 0;
}

/* One kubectl command, w[0] being kubectl. */
int cs_kubectl_command(struct kp *kp, const struct word *w, size_t n)
{
    struct opts o;
    size_t *pos, np = 0;
    int rc;

    for (size_t i = 1; i < n; i++)
        if (w[i].exp != NULL)
            return fail(kp, CS_EINVAL, w[i].at, "capsim cannot expand %s",
                        w[i].exp);
    kp->nkubectl++;
    if ((pos = malloc(n * sizeof(*pos))) == NULL)
        return cs_kubectl_nomem(kp);
    rc = scan(kp, w, n, &o, pos, &np);
    if (rc == 0 && o.verb == V_SCALE)
        rc = scale(kp, w, pos, np, &o);
    else if (rc == 0 && o.verb == V_PATCH)
        rc = patch(kp, w, pos, np, &o);
    else if (rc == 0)
        rc = set_resources(kp, w, pos, np, &o);
    free(pos);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The container's words                                                    */
/* ------------------------------------------------------------------------ */
/* The words of the container as they are, with Kubernetes' own $(VAR)
 * references noted as expansions. */
static int argv_words(struct kp *kp, const struct cs_ynode *const *words,
                      size_t n, struct word *w)
{
    for (size_t i = 0; i < n; i++) {
        const struct cs_ynode *at = words[i];
        const char *e;
        size_t end;

        if (at->kind != CS_Y_SCALAR)
            return cs_err_set(kp->err, CS_EPARSE, at->file, at->line, at->col,
                              "command and args items must be strings");
        if (strlen(at->str) != at->len)
            return cs_err_set(kp->err, CS_EPARSE, at->file, at->line, at->col,
                              "command and args items must not contain NUL");
        w[i] = (struct word){at->str, at, NULL};
        if ((e = strstr(at->str, "$(")) != NULL) {
            end = strcspn(e, ")");
            w[i].exp = cs_yarena_strndup(kp->a, e, end + (e[end] == ')'));
            if (w[i].exp == NULL)
                return cs_kubectl_nomem(kp);
        }
    }
    return 0;
}

static int start(struct kp *kp, const struct word *w, size_t n)
{
    static const char *const shells[] = {"sh", "bash", "dash", "ash", NULL};
    size_t i = 0;
    const char *prog = cs_kubectl_base(w[0].s);

    if (strcmp(prog, "env") == 0 && n > 1)
        prog = cs_kubectl_base(w[i = 1].s);
    if (strcmp(prog, "kubectl") == 0)
        return cs_kubectl_command(kp, w + i, n - i);
    for (const char *const *s = shells; *s != NULL; s++)
        if (strcmp(prog, *s) == 0)
            return cs_kubectl_shell(kp, w, n, i);
    return fail(kp, CS_EINVAL, w[i].at,
                "capsim reads kubectl commands, run directly or with sh -c, "
                "got \"%s\"",
                w[i].s);
}

int cs_kubectl_parse(struct cs_yarena *a, const struct cs_ynode *const *words,
                     size_t nwords, struct cs_action *out, size_t max,
                     size_t *nout, struct cs_err *err)
{
    struct kp kp = {a, err, NULL, out, max, 0, 0};
    struct word *w;
    struct cmd c;
    int rc;

    if (nwords == 0)
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "the container has no command or args; capsim "
                          "needs the kubectl command it runs");
    if ((w = malloc(nwords * sizeof(*w))) == NULL)
        return cs_kubectl_nomem(&kp);
    c = (struct cmd){w, nwords, NULL, 0};
    kp.cmd = &c;
    rc = argv_words(&kp, words, nwords, w);
    if (rc == 0)
        rc = start(&kp, w, nwords);
    free(w);
    if (rc == 0)
        *nout = kp.n;
    return rc;
}
