/*
 * conformance_ca_node.c - cluster autoscaler vectors about nodes (see
 * conformance_ca.c for the conventions): ca_similarity.csv (two template
 * nodes), ca_utilization.csv and ca_eligibility.csv (one node and its
 * pods), ca_binpacking.csv (one estimate, with or without the fast path).
 *
 * Nodes are written as BuildTestNode builds them: allocatable equals
 * capacity unless given, 100 pod slots; resources are indexed cpu, memory,
 * GPU. Binpacking zones are names, numbered in order of appearance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/ca_algo.h"
#include "io/conformance_int.h"

/* ---------------------------------------------------------------------- */
/* ca_similarity.csv                                                      */
/* ---------------------------------------------------------------------- */

enum { R_CPU = CS_RES_CPU, R_MEM = CS_RES_MEMORY, R_GPU, NRES_SIM };

static const char *const node_keys[] = {
    "cpu",     "mem",     "gpu",     "alloc_cpu", "alloc_mem", "alloc_gpu",
    "req_cpu", "req_mem", "req_gpu", "pods",      NULL};

struct snode {
    struct cs_conf_list w;
    struct cs_ca_template t;
    const char *key[CS_CONF_MAX_ITEMS], *val[CS_CONF_MAX_ITEMS];
    struct cs_resvec req;
    bool has_alloc[NRES_SIM];
};

static int res_of(const char *k)
{
    const char *u = strrchr(k, '_');
    const char *s = u ? u + 1 : k;

    return strcmp(s, "cpu") == 0   ? R_CPU
           : strcmp(s, "mem") == 0 ? R_MEM
                                   : R_GPU;
}

static int snode_word(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      const char *col, char *word, struct snode *n)
{
    char *k, *v;
    int64_t x;
    int res;

    if (strncmp(word, "label:", 6) == 0) {
        char *eq = strchr(word + 6, '=');

        if (eq == NULL || n->t.nlabels == CS_CONF_MAX_ITEMS)
            return cs_conf_bad(c, r, "%s: bad label '%s'", col, word);
        *eq = '\0';
        n->key[n->t.nlabels] = word + 6;
        n->val[n->t.nlabels++] = eq + 1;
        return 0;
    }
    if (cs_conf_kv(c, r, col, word, node_keys, &k, &v) < 0)
        return CS_EPARSE;
    if (strcmp(k, "pods") == 0) {
        if (cs_conf_int(c, r, col, v, &x) < 0)
            return CS_EPARSE;
        n->t.max_pods = (int32_t)x;
        return 0;
    }
    if (cs_conf_qty(c, r, col, v, &x) < 0)
        return CS_EPARSE;
    res = res_of(k);
    if (strncmp(k, "req_", 4) == 0) {
        n->req.v[res] = x;
    } else if (strncmp(k, "alloc_", 6) == 0) {
        n->t.allocatable.v[res] = x;
        n->has_alloc[res] = true;
    } else {
        n->t.capacity.v[res] = x;
        n->t.present |= (uint32_t)1 << res;
    }
    return 0;
}

/* A node of BuildTestNode: 100 pod slots, allocatable = capacity unless
 * given, free = allocatable - requests of its pods. */
static int snode_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       const char *col, struct snode *n)
{
    int rc = cs_conf_words(c, r, cs_conf_get(r, col), ' ', &n->w);

    n->t.max_pods = 100;
    for (size_t i = 0; rc == 0 && i < n->w.n; i++)
        rc = snode_word(c, r, col, n->w.item[i], n);
    for (int res = 0; res < NRES_SIM; res++) {
        if (!n->has_alloc[res])
            n->t.allocatable.v[res] = n->t.capacity.v[res];
        n->t.free.v[res] = n->t.allocatable.v[res] - n->req.v[res];
    }
    n->t.label_keys = n->key;
    n->t.label_values = n->val;
    return rc;
}

int cs_conf_eval_similarity(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    const char *exp = cs_conf_get(r, "expected_similar");
    struct snode a, b;
    struct cs_conf_list ign, only;
    struct cs_ca_similarity_cfg cfg = {0.015, 0.05, 0.05, NULL, 0, NULL, 0};
    int rc, sim;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    memset(&ign, 0, sizeof(ign));
    memset(&only, 0, sizeof(only));
    if (strcmp(exp, "yes") != 0 && strcmp(exp, "no") != 0)
        return cs_conf_bad(c, r, "expected_similar: '%s' is not yes or no",
                           exp);
    rc = snode_parse(c, r, "node1", &a);
    if (rc == 0)
        rc = snode_parse(c, r, "node2", &b);
    if (rc == 0)
        rc = cs_conf_words(c, r, cs_conf_get(r, "ignore_labels"), ' ', &ign);
    if (rc == 0)
        rc =
            cs_conf_words(c, r, cs_conf_get(r, "balancing_labels"), ' ', &only);
    if (rc == 0) {
        cfg.ignore_labels = (const char *const *)ign.item;
        cfg.nignore = (int)ign.n;
        cfg.only_labels = (const char *const *)only.item;
        cfg.nonly = (int)only.n;
        sim = cs_ca_similar(&a.t, &b.t, NRES_SIM, &cfg);
        cs_conf_report(c, sim == (exp[0] == 'y'), cs_conf_get(r, "case_name"),
                       exp, sim ? "yes" : "no");
    }
    cs_conf_list_fini(&a.w);
    cs_conf_list_fini(&b.w);
    cs_conf_list_fini(&ign);
    cs_conf_list_fini(&only);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* ca_utilization.csv and ca_eligibility.csv                              */
/* ---------------------------------------------------------------------- */

/* allocatable "cpu=Q mem=Q gpu=Q" (a missing resource is 0). */
static int alloc_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       struct cs_resvec *a)
{
    static const char *const keys[] = {"cpu", "mem", "gpu", NULL};
    struct cs_conf_list l;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "allocatable"), ' ', &l);

    memset(a, 0, sizeof(*a));
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        char *k, *v;

        rc = cs_conf_kv(c, r, "allocatable", l.item[i], keys, &k, &v);
        if (rc == 0)
            rc = cs_conf_qty(c, r, "allocatable", v, &a->v[res_of(k)]);
    }
    cs_conf_list_fini(&l);
    return rc;
}

/* pods "KIND CPU/MEM[/GPU]; ..." with KIND pod, ds, mirror, terminating. */
static int upods_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       struct cs_ca_util_pod *p, size_t *n)
{
    struct cs_conf_list l, w;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "pods"), ';', &l);

    *n = 0;
    if (rc == 0 && l.n > CS_CONF_MAX_ITEMS)
        rc = cs_conf_bad(c, r, "pods: more than %d pods", CS_CONF_MAX_ITEMS);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        const char *kind;

        memset(&p[i], 0, sizeof(p[i]));
        rc = cs_conf_words(c, r, l.item[i], ' ', &w);
        kind = w.n == 2 ? w.item[0] : "";
        p[i].daemonset = strcmp(kind, "ds") == 0;
        p[i].mirror = strcmp(kind, "mirror") == 0;
        p[i].long_terminating = strcmp(kind, "terminating") == 0;
        if (rc == 0 && strcmp(kind, "pod") != 0 && !p[i].daemonset &&
            !p[i].mirror && !p[i].long_terminating)
            rc = cs_conf_bad(c, r, "pods: '%s' is not KIND CPU/MEM[/GPU]",
                             l.item[i]);
        if (rc == 0)
            rc = cs_conf_triple(c, r, "pods", w.item[1], p[i].req.v);
        cs_conf_list_fini(&w);
        *n = i + 1;
    }
    cs_conf_list_fini(&l);
    return rc;
}

struct urow {
    struct cs_resvec alloc;
    struct cs_ca_util_pod pods[CS_CONF_MAX_ITEMS];
    size_t n;
    int gpu_node, skip_ds, skip_mirror, rc;
    struct cs_ca_util u;
};

static int urow_eval(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const char *skip_ds_col, struct urow *u)
{
    if (alloc_parse(c, r, &u->alloc) < 0 ||
        upods_parse(c, r, u->pods, &u->n) < 0 ||
        cs_conf_flag(c, r, "gpu_node", 0, &u->gpu_node) < 0 ||
        cs_conf_flag(c, r, skip_ds_col, 0, &u->skip_ds) < 0 ||
        cs_conf_flag(c, r, "skip_mirror", 0, &u->skip_mirror) < 0)
        return CS_EPARSE;
    u->rc = cs_ca_utilization(&u->alloc, u->gpu_node ? R_GPU : -1, u->gpu_node,
                              u->pods, u->n, u->skip_ds, u->skip_mirror, &u->u);
    return 0;
}

/* Check a utilization column ("error" or a number) against u. */
static void vutil(const struct cs_conf_row *r, struct cs_conf_verdict *v,
                  const char *col, const char *label, int rc, double got)
{
    const char *e = cs_conf_get(r, col);
    char g[64];

    if (e[0] == '\0')
        return;
    if (rc < 0)
        snprintf(g, sizeof(g), "error");
    else
        snprintf(g, sizeof(g), "%.6f", got);
    cs_conf_vadd(
        v, strcmp(e, "error") == 0 ? rc < 0 : rc == 0 && cs_conf_approx(e, got),
        label, e, g);
}

int cs_conf_eval_utilization(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct urow u;
    struct cs_conf_verdict v = {.ok = true};

    memset(&u, 0, sizeof(u));
    if (urow_eval(c, r, "skip_ds", &u) < 0)
        return CS_EPARSE;
    vutil(r, &v, "expected_node_utilization", "utilization", u.rc, u.u.value);
    vutil(r, &v, "expected_cpu", "cpu", u.rc, u.u.cpu);
    cs_conf_vreport(c, r, &v);
    return 0;
}

int cs_conf_eval_eligibility(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    const char *exp = cs_conf_get(r, "expected_reason");
    const char *th = cs_conf_get(r, "threshold");
    struct cs_ca_eligibility_in in;
    struct cs_conf_verdict v = {.ok = true};
    struct urow u;
    const char *got;
    int reason;

    memset(&u, 0, sizeof(u));
    memset(&in, 0, sizeof(in));
    in.threshold = 0.5;
    if (urow_eval(c, r, "ignore_ds", &u) < 0 ||
        (th[0] && cs_conf_num(c, r, "threshold", th, &in.threshold) < 0) ||
        cs_conf_flag(c, r, "ready", 1, &in.ready) < 0 ||
        cs_conf_flag(c, r, "unready_enabled", 1, &in.unready_enabled) < 0 ||
        cs_conf_flag(c, r, "being_deleted", 0, &in.being_deleted) < 0 ||
        cs_conf_flag(c, r, "disabled_annotation", 0, &in.disabled_annotation) <
            0 ||
        cs_conf_flag(c, r, "recently_unremovable", 0,
                     &in.recently_unremovable) < 0)
        return CS_EPARSE;
    in.util_error = u.rc < 0;
    in.util = u.u.value;
    reason = cs_ca_eligibility(&in);
    got =
        reason == CS_CA_REMOVABLE ? "unneeded" : cs_ca_unremovable_name(reason);
    cs_conf_vadd(&v, strcmp(got, exp) == 0, "reason", exp, got);
    vutil(r, &v, "derived_utilization", "utilization", u.rc, u.u.value);
    cs_conf_vreport(c, r, &v);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* ca_binpacking.csv                                                      */
/* ---------------------------------------------------------------------- */

struct brow {
    struct cs_conf_list lists[2], tw, w[2 * CS_CONF_MAX_ITEMS];
    const char *zone[CS_CONF_MAX_ITEMS];
    int nzone;
    struct cs_ca_est_input in;
    struct cs_ca_est_domain d[CS_CONF_MAX_ITEMS];
    struct cs_ca_pod_group g[CS_CONF_MAX_ITEMS];
    int ng;
};

static int zone_of(struct brow *b, const char *name)
{
    for (int i = 0; i < b->nzone; i++)
        if (strcmp(b->zone[i], name) == 0)
            return i;
    b->zone[b->nzone] = name;
    return b->nzone++;
}

/* Node words "cpu=Q mem=Q pods=N zone=Z" (from word `from`). */
static int bnode(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 const char *col, struct cs_conf_list *w, size_t from,
                 struct brow *b, struct cs_resvec *res, int32_t *pods,
                 int *zone)
{
    static const char *const keys[] = {"cpu", "mem", "pods", "zone", NULL};

    for (size_t i = from; i < w->n; i++) {
        char *k, *v;
        int64_t x;

        if (cs_conf_kv(c, r, col, w->item[i], keys, &k, &v) < 0)
            return CS_EPARSE;
        if (strcmp(k, "zone") == 0) {
            *zone = zone_of(b, v);
        } else if (strcmp(k, "pods") == 0) {
            if (cs_conf_int(c, r, col, v, &x) < 0)
                return CS_EPARSE;
            *pods = (int32_t)x;
        } else if (cs_conf_qty(c, r, col, v, &res->v[res_of(k)]) < 0) {
            return CS_EPARSE;
        }
    }
    return 0;
}

/* Group words "COUNTxCPU/MEM port=N spread=hostname|zone skew=N
 * min_domains=N". */
static int bgroup(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  struct cs_conf_list *w, struct cs_ca_pod_group *g)
{
    static const char *const keys[] = {"port", "spread", "skew", "min_domains",
                                       NULL};
    char *x = w->n ? strchr(w->item[0], 'x') : NULL;
    int64_t v;

    memset(g, 0, sizeof(*g));
    g->fits_template = 1;
    if (x == NULL)
        return cs_conf_bad(c, r, "pod_groups: '%s' is not COUNTxCPU/MEM",
                           w->n ? w->item[0] : "");
    *x = '\0';
    if (cs_conf_int(c, r, "pod_groups", w->item[0], &v) < 0 ||
        cs_conf_triple(c, r, "pod_groups", x + 1, g->req.v) < 0)
        return CS_EPARSE;
    g->count = (int32_t)v;
    for (size_t i = 1; i < w->n; i++) {
        char *k, *s;

        if (cs_conf_kv(c, r, "pod_groups", w->item[i], keys, &k, &s) < 0)
            return CS_EPARSE;
        if (strcmp(k, "spread") == 0) {
            g->spread = strcmp(s, "hostname") == 0 ? CS_SPREAD_HOSTNAME
                        : strcmp(s, "zone") == 0   ? CS_SPREAD_ZONE
                                                   : -1;
            if (g->spread < 0)
                return cs_conf_bad(c, r, "pod_groups: unknown spread '%s'", s);
            continue;
        }
        if (cs_conf_int(c, r, "pod_groups", s, &v) < 0)
            return CS_EPARSE;
        if (k[0] == 'p')
            g->host_port = (int32_t)v;
        else if (k[0] == 's')
            g->max_skew = (int32_t)v;
        else
            g->min_domains = (int32_t)v;
    }
    return 0;
}

/* existing "NAME cpu=Q ...; ..." and pod_groups "...; ..." */
static int brow_lists(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct brow *b)
{
    static const char *const cols[2] = {"existing", "pod_groups"};
    int rc = 0;

    for (int k = 0; rc == 0 && k < 2; k++) {
        struct cs_conf_list *l = &b->lists[k];

        rc = cs_conf_words(c, r, cs_conf_get(r, cols[k]), ';', l);
        if (rc == 0 && l->n > CS_CONF_MAX_ITEMS)
            rc = cs_conf_bad(c, r, "%s: more than %d entries", cols[k],
                             CS_CONF_MAX_ITEMS);
        for (size_t i = 0; rc == 0 && i < l->n; i++) {
            struct cs_conf_list *w = &b->w[k * CS_CONF_MAX_ITEMS + (int)i];

            rc = cs_conf_words(c, r, l->item[i], ' ', w);
            if (rc == 0 && k == 0)
                rc = bnode(c, r, cols[0], w, 1, b, &b->d[i].free,
                           &b->d[i].free_pods, &b->d[i].zone);
            else if (rc == 0)
                rc = bgroup(c, r, w, &b->g[i]);
        }
    }
    b->in.existing = b->d;
    b->in.nexisting = (int)b->lists[0].n;
    b->ng = (int)b->lists[1].n;
    return rc;
}

static int brow_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct brow *b)
{
    int64_t max = 0;
    bool has;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "template"), ' ', &b->tw);

    b->in.nres = NRES_SIM;
    b->in.template_zone = zone_of(b, "");
    if (rc == 0)
        rc = bnode(c, r, "template", &b->tw, 0, b, &b->in.alloc,
                   &b->in.max_pods, &b->in.template_zone);
    if (rc == 0)
        rc = brow_lists(c, r, b);
    if (rc == 0)
        rc = cs_conf_int_col(c, r, "max_nodes", &max, &has);
    b->in.max_nodes = (int32_t)max;
    return rc;
}

/* One estimate with the fast path on or off, reported as one line. */
static int brun(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                struct brow *b, int fast, const char *suffix)
{
    int32_t placed[CS_CONF_MAX_ITEMS];
    struct cs_ca_est_result res = {.placed = placed};
    struct cs_conf_verdict v = {.ok = true};
    const char *ep = cs_conf_get(r, "expected_placed");
    char got[CS_CONF_TEXT], name[CS_CONF_TEXT];
    size_t len = 0;

    b->in.fastpath = fast;
    if (cs_ca_estimate(&b->in, b->g, b->ng, &res) < 0)
        return cs_conf_nomem(c, r);
    if (cs_conf_vint(c, r, &v, "expected_nodes", "nodes", res.nodes) < 0 ||
        cs_conf_vint(c, r, &v, "expected_pods", "pods", res.pods) < 0)
        return CS_EPARSE;
    got[0] = '\0';
    for (int i = 0; i < b->ng && len < sizeof(got); i++)
        len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%d",
                                i ? " " : "", (int)placed[i]);
    if (ep[0])
        cs_conf_vadd(&v, strcmp(ep, got) == 0, "placed", ep, got);
    snprintf(name, sizeof(name), "%s%s", cs_conf_get(r, "case_name"), suffix);
    cs_conf_report(c, v.ok, name, v.exp, v.got);
    return 0;
}

int cs_conf_eval_binpacking(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    const char *fp = cs_conf_get(r, "fastpath");
    struct brow *b = calloc(1, sizeof(*b));
    int rc;

    if (b == NULL)
        return cs_conf_nomem(c, r);
    rc = brow_parse(c, r, b);
    if (rc == 0 && strcmp(fp, "both") != 0 && strcmp(fp, "1") != 0 &&
        strcmp(fp, "0") != 0 && fp[0] != '\0')
        rc = cs_conf_bad(c, r, "fastpath: '%s' is not 0, 1 or both", fp);
    if (rc == 0 && fp[0] != '1')
        rc = brun(c, r, b, 0, "");
    if (rc == 0 && (fp[0] == '1' || fp[0] == 'b'))
        rc = brun(c, r, b, 1, " [fastpath]");
    cs_conf_list_fini(&b->tw);
    for (int k = 0; k < 2; k++)
        cs_conf_list_fini(&b->lists[k]);
    for (int i = 0; i < 2 * CS_CONF_MAX_ITEMS; i++)
        cs_conf_list_fini(&b->w[i]);
    free(b);
    return rc;
}
