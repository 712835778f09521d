/*
 * conformance_vpa2.c - the VPA vectors that are not step languages over a
 * histogram (see conformance_vpa.c for those): vpa_oom.csv (B6, one
 * container's memory window and OOM bumps, checked through the log of
 * histogram operations, as upstream's histogram mock), vpa_priority.csv
 * (B7), vpa_update.csv (B8), vpa_eviction.csv (B9) and vpa_limits.csv
 * (B10). See conformance_int.h for the contract and
 * tests/conformance/README.md for the column languages.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/vpa_algo.h"
#include "io/conformance_int.h"
#include "io/quantity.h"

/* yes/no column compared with a flag, when the column is filled. */
static int vyesno(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  struct cs_conf_verdict *v, const char *col, const char *label,
                  int got)
{
    const char *e = cs_conf_get(r, col);

    if (e[0] == '\0')
        return 0;
    if (strcmp(e, "yes") != 0 && strcmp(e, "no") != 0)
        return cs_conf_bad(c, r, "%s: '%s' is not yes or no", col, e);
    cs_conf_vadd(v, (strcmp(e, "yes") == 0) == (got != 0), label, e,
                 got ? "yes" : "no");
    return 0;
}

/* A quantity column in milli-units; empty gives -1 (unset). */
static int qty_or_unset(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        const char *col, int64_t *v)
{
    const char *s = cs_conf_get(r, col);

    *v = -1;
    return s[0] == '\0' ? 0 : cs_conf_qty(c, r, col, s, v);
}

/* ---------------------------------------------------------------------- */
/* vpa_oom.csv                                                            */
/* ---------------------------------------------------------------------- */

#define LOG_MAX 64

struct log_entry {
    const char *hist; /* "cpu" or "mem" */
    int sub;
    double v, w;
    cs_time_ms t;
};

struct oom_log {
    struct log_entry e[LOG_MAX];
    int n, lost;
};

struct log_tap {
    struct oom_log *log;
    const char *hist;
};

static void tap(void *arg, int subtract, double v, double weight, cs_time_ms t)
{
    struct log_tap *p = arg;

    if (p->log->n == LOG_MAX) {
        p->log->lost = 1;
        return;
    }
    p->log->e[p->log->n++] =
        (struct log_entry){p->hist, subtract, v, weight, t};
}

static void log_text(const struct oom_log *l, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int i = 0; i < l->n && len < size; i++) {
        char d[32];

        cs_duration_format(l->e[i].t - CS_CONF_VPA_T0, d, sizeof(d));
        len += (size_t)snprintf(
            buf + len, size - len, "%s%s %s %.10g %g %s", i ? "; " : "",
            l->e[i].hist, l->e[i].sub ? "sub" : "add", l->e[i].v, l->e[i].w, d);
    }
    if (l->n == 0)
        snprintf(buf, size, "none");
}

/* One expected entry "HIST add|sub VALUE WEIGHT TIME" against e (NULL:
 * only checked for syntax; *ok untouched). */
static int entry_match(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       const char *text, const struct log_entry *e, bool *ok)
{
    struct cs_conf_list w;
    double v, wt;
    cs_time_ms t;
    int rc = cs_conf_words(c, r, text, ' ', &w);

    if (rc == 0 && (w.n != 5 || cs_quantity_parse_double(w.item[2], &v) < 0 ||
                    cs_parse_double(w.item[3], &wt) < 0))
        rc = cs_conf_bad(c, r,
                         "expected_hist_log: '%s' is not HIST add|sub "
                         "VALUE WEIGHT TIME",
                         text);
    if (rc == 0)
        rc = cs_conf_vpa_time(c, r, "expected_hist_log", w.item[4], &t);
    if (rc == 0 && e != NULL)
        *ok = *ok && strcmp(w.item[0], e->hist) == 0 &&
              strcmp(w.item[1], e->sub ? "sub" : "add") == 0 &&
              fabs(v - e->v) <= 1e-9 * fmax(1.0, fabs(v)) &&
              fabs(wt - e->w) <= 1e-12 && t == e->t;
    cs_conf_list_fini(&w);
    return rc;
}

static int log_check(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const struct oom_log *l, struct cs_conf_verdict *v)
{
    const char *exp = cs_conf_get(r, "expected_hist_log");
    struct cs_conf_list el;
    char got[CS_CONF_TEXT];
    bool ok = !l->lost;
    int rc;

    if (strcmp(exp, "none") == 0)
        exp = "";
    rc = cs_conf_words(c, r, exp, ';', &el);
    if (rc == 0 && (int)el.n != l->n)
        ok = false;
    for (size_t i = 0; rc == 0 && i < el.n; i++)
        rc =
            entry_match(c, r, el.item[i], (int)i < l->n ? &l->e[i] : NULL, &ok);
    log_text(l, got, sizeof(got));
    if (rc == 0)
        cs_conf_vadd(v, ok, "log", cs_conf_get(r, "expected_hist_log"), got);
    cs_conf_list_fini(&el);
    return rc;
}

struct orow {
    struct cs_conf_vctr ct; /* the one container */
    struct oom_log log;
    struct log_tap tcpu, tmem;
    char ret[CS_CONF_TEXT];
    size_t nret;
};

/* mem V T | cpu V T | oom REQUEST T; the result word into x->ret. */
static int ostep(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 struct orow *x, const char *text)
{
    struct cs_conf_list w;
    const char *res = "ok";
    double v = 0.0;
    cs_time_ms t = 0;
    int rc = cs_conf_words(c, r, text, ' ', &w);

    if (rc == 0 && (w.n != 3 || cs_quantity_parse_double(w.item[1], &v) < 0))
        rc =
            cs_conf_bad(c, r, "container_ops: '%s' is not OP VALUE TIME", text);
    if (rc == 0)
        rc = cs_conf_vpa_time(c, r, "container_ops", w.item[2], &t);
    if (rc == 0 && strcmp(w.item[0], "mem") == 0)
        res = cs_vpa_cstate_add_memory(&x->ct.s, &x->ct.a.mem, v, t, &x->ct.cfg)
                  ? "ok"
                  : "dropped";
    else if (rc == 0 && strcmp(w.item[0], "cpu") == 0)
        res =
            cs_vpa_cstate_add_cpu(&x->ct.s, &x->ct.a, v, t) ? "ok" : "dropped";
    else if (rc == 0 && strcmp(w.item[0], "oom") == 0)
        res = cs_vpa_cstate_record_oom(&x->ct.s, &x->ct.a.mem, v, t,
                                       &x->ct.cfg) < 0
                  ? "error"
                  : "ok";
    else if (rc == 0)
        rc = cs_conf_bad(c, r, "container_ops: unknown step '%s'", w.item[0]);
    if (rc == 0 && x->nret < sizeof(x->ret))
        x->nret += (size_t)snprintf(x->ret + x->nret, sizeof(x->ret) - x->nret,
                                    "%s%s", x->nret ? "; " : "", res);
    cs_conf_list_fini(&w);
    return rc;
}

/* expected: the results joined by "; " (spaces around ';' ignored). */
static bool same_list(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a == '\0' || *b == '\0')
            return *a == *b;
        if (*a++ != *b++)
            return false;
    }
}

static int orun(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                struct orow *x)
{
    struct cs_conf_verdict v = {.ok = true};
    struct cs_conf_list steps;
    const char *exp = cs_conf_get(r, "expected");
    int rc = cs_conf_words(c, r, cs_conf_get(r, "container_ops"), ';', &steps);

    if (rc == 0 && steps.n == 0)
        rc = cs_conf_bad(c, r, "container_ops: no steps");
    for (size_t i = 0; rc == 0 && i < steps.n; i++)
        rc = ostep(c, r, x, steps.item[i]);
    cs_conf_list_fini(&steps);
    if (rc == 0 && exp[0] != '\0')
        cs_conf_vadd(&v, same_list(exp, x->ret), "returns", exp, x->ret);
    if (rc == 0)
        rc = log_check(c, r, &x->log, &v);
    if (rc == 0)
        cs_conf_vreport(c, r, &v);
    return rc;
}

int cs_conf_eval_vpa_oom(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct orow *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL || cs_conf_vctr_init(&x->ct) < 0) {
        free(x);
        return cs_conf_nomem(c, r);
    }
    x->tcpu = (struct log_tap){&x->log, "cpu"};
    x->tmem = (struct log_tap){&x->log, "mem"};
    x->ct.a.cpu.log = x->ct.a.mem.log = tap;
    x->ct.a.cpu.log_arg = &x->tcpu;
    x->ct.a.mem.log_arg = &x->tmem;
    rc = orun(c, r, x);
    cs_vpa_agg_fini(&x->ct.a);
    free(x);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* vpa_priority.csv                                                       */
/* ---------------------------------------------------------------------- */

static const char *const ctr_keys[] = {"cpu",        "mem",       "target_cpu",
                                       "target_mem", "lower_cpu", "lower_mem",
                                       "upper_cpu",  "upper_mem", NULL};

/* One container "cpu=Q mem=Q target_cpu=Q ... ". */
static int ctr_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const char *text, struct cs_vpa_pod_container *pc)
{
    struct cs_conf_list w;
    uint32_t lo = 0, hi = 0;
    int rc = cs_conf_words(c, r, text, ' ', &w);

    memset(pc, 0, sizeof(*pc));
    for (size_t i = 0; rc == 0 && i < w.n; i++) {
        char *k, *s;
        int res;
        int64_t q;

        rc = cs_conf_kv(c, r, "containers", w.item[i], ctr_keys, &k, &s);
        if (rc == 0)
            rc = cs_conf_qty(c, r, "containers", s, &q);
        if (rc < 0)
            break;
        res = strstr(k, "cpu") != NULL ? CS_RES_CPU : CS_RES_MEMORY;
        if (k[0] == 'c' || k[0] == 'm') {
            pc->req[res] = q;
            pc->req_set |= 1u << res;
        } else if (k[0] == 't') {
            pc->target[res] = q;
            pc->rec_set |= 1u << res;
        } else if (k[0] == 'l') {
            pc->lower[res] = q;
            lo |= 1u << res;
        } else {
            pc->upper[res] = q;
            hi |= 1u << res;
        }
    }
    for (int res = CS_RES_CPU; rc == 0 && res <= CS_RES_MEMORY; res++)
        if (!(hi & (1u << res)))
            pc->upper[res] = INT64_MAX; /* no upper bound given */
    if (rc == 0 && ((lo | hi) & ~pc->rec_set))
        rc = cs_conf_bad(c, r, "containers: a bound without its target in '%s'",
                         text);
    cs_conf_list_fini(&w);
    return rc;
}

int cs_conf_eval_vpa_priority(struct cs_conf_ctx *c,
                              const struct cs_conf_row *r)
{
    struct cs_vpa_pod_container pc[CS_CONF_MAX_ITEMS];
    struct cs_conf_verdict v = {.ok = true};
    struct cs_vpa_priority p;
    struct cs_conf_list l;
    const char *ed = cs_conf_get(r, "expected_resource_diff");
    const char *tol = cs_conf_get(r, "tolerance");
    double t = -1.0, e;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "containers"), ';', &l);

    if (rc == 0 && (l.n == 0 || l.n > CS_CONF_MAX_ITEMS))
        rc = cs_conf_bad(c, r, "containers: 1 to %d containers",
                         CS_CONF_MAX_ITEMS);
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        rc = ctr_parse(c, r, l.item[i], &pc[i]);
    if (rc == 0 && tol[0] != '\0')
        rc = cs_conf_num(c, r, "tolerance", tol, &t);
    if (rc == 0) {
        cs_vpa_priority_of(pc, (int)l.n, &p);
        rc = vyesno(c, r, &v, "expected_outside", "outside", p.outside);
    }
    if (rc == 0)
        rc = vyesno(c, r, &v, "expected_scale_up", "scale up", p.scale_up);
    if (rc == 0 && ed[0] != '\0' &&
        cs_conf_num(c, r, "expected_resource_diff", ed, &e) == 0) {
        char g[40];

        snprintf(g, sizeof(g), "%.10g", p.resource_diff);
        cs_conf_vadd(&v,
                     t >= 0.0 ? fabs(p.resource_diff - e) <= t
                              : cs_conf_approx(ed, p.resource_diff),
                     "diff", ed, g);
    } else if (rc == 0 && ed[0] != '\0') {
        rc = CS_EPARSE;
    }
    if (rc == 0)
        cs_conf_vreport(c, r, &v);
    cs_conf_list_fini(&l);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* vpa_update.csv                                                         */
/* ---------------------------------------------------------------------- */

struct upod {
    const char *id;
    struct cs_vpa_priority p;
    cs_time_ms age; /* -1: no start time */
    cs_time_ms ran; /* before the last OOM kill; -1: none */
};

static const char *const upod_keys[] = {"diff", "outside",   "scale_up",
                                        "age",  "oom_after", NULL};

static int upod_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct cs_conf_list *w, struct upod *u)
{
    int rc = 0;

    memset(u, 0, sizeof(*u));
    u->id = w->item[0];
    u->age = (cs_time_ms)24 * 3600 * CS_MS_PER_S;
    u->ran = -1;
    for (size_t i = 1; rc == 0 && i < w->n; i++) {
        char *k, *s;
        int64_t b = 0;

        rc = cs_conf_kv(c, r, "pods", w->item[i], upod_keys, &k, &s);
        if (rc < 0)
            break;
        if (strcmp(k, "diff") == 0)
            rc = cs_conf_num(c, r, "pods", s, &u->p.resource_diff);
        else if (strcmp(k, "age") == 0 && strcmp(s, "none") == 0)
            u->age = -1;
        else if (strcmp(k, "age") == 0 || strcmp(k, "oom_after") == 0)
            rc = cs_duration_parse(s, k[0] == 'a' ? &u->age : &u->ran) < 0
                     ? cs_conf_bad(c, r, "pods: '%s' is not a duration", s)
                     : 0;
        else if ((rc = cs_conf_int(c, r, "pods", s, &b)) == 0)
            *(k[0] == 's' ? &u->p.scale_up : &u->p.outside) = b != 0;
    }
    return rc;
}

/* Accepted pods, highest priority first (a stable insertion sort). */
static size_t usort(const struct cs_vpa_config *cfg, const struct upod *u,
                    size_t n, const struct upod **out)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        size_t j = k;
        int quick = u[i].ran >= 0 && u[i].ran < cfg->evict_after_oom;

        if (!cs_vpa_accept(&u[i].p, u[i].age, quick, cfg))
            continue;
        while (j > 0 && cs_vpa_priority_less(&out[j - 1]->p, &u[i].p)) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = &u[i];
        k++;
    }
    return k;
}

static void uchecks(const struct cs_conf_row *r,
                    const struct cs_vpa_config *cfg, const struct upod *u,
                    size_t n, struct cs_conf_verdict *v)
{
    const struct upod *sorted[CS_CONF_MAX_ITEMS];
    const char *eu = cs_conf_get(r, "expected_updated");
    char got[CS_CONF_TEXT];
    size_t k = usort(cfg, u, n, sorted), len = 0;

    got[0] = '\0';
    for (size_t i = 0; i < k && len < sizeof(got); i++)
        len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
                                i ? " " : "", sorted[i]->id);
    if (k == 0)
        snprintf(got, sizeof(got), "none");
    if (eu[0] != '\0')
        cs_conf_vadd(v, same_list(eu, got), "updated", eu, got);
}

int cs_conf_eval_vpa_update(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct cs_conf_list words[CS_CONF_MAX_ITEMS], l;
    struct upod u[CS_CONF_MAX_ITEMS];
    struct cs_conf_verdict v = {.ok = true};
    struct cs_vpa_config cfg;
    const char *mc = cs_conf_get(r, "min_change");
    const char *el = cs_conf_get(r, "expected_less");
    int rc = cs_conf_words(c, r, cs_conf_get(r, "pods"), ';', &l);

    memset(words, 0, sizeof(words));
    cs_vpa_config_defaults(&cfg);
    if (rc == 0 && (l.n == 0 || l.n > CS_CONF_MAX_ITEMS))
        rc = cs_conf_bad(c, r, "pods: 1 to %d pods", CS_CONF_MAX_ITEMS);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        rc = cs_conf_words(c, r, l.item[i], ' ', &words[i]);
        if (rc == 0 && words[i].n == 0)
            rc = cs_conf_bad(c, r, "pods: empty pod");
        if (rc == 0)
            rc = upod_parse(c, r, &words[i], &u[i]);
    }
    if (rc == 0 && mc[0] != '\0')
        rc = cs_conf_num(c, r, "min_change", mc, &cfg.pod_update_threshold);
    if (rc == 0 && el[0] != '\0' && l.n < 2)
        rc = cs_conf_bad(c, r, "expected_less: needs two pods");
    if (rc == 0) {
        uchecks(r, &cfg, u, l.n, &v);
        if (el[0] != '\0')
            rc = vyesno(c, r, &v, "expected_less", "less",
                        cs_vpa_priority_less(&u[0].p, &u[1].p));
    }
    if (rc == 0)
        cs_conf_vreport(c, r, &v);
    for (size_t i = 0; i < CS_CONF_MAX_ITEMS; i++)
        cs_conf_list_fini(&words[i]);
    cs_conf_list_fini(&l);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* vpa_eviction.csv                                                       */
/* ---------------------------------------------------------------------- */

int cs_conf_eval_vpa_eviction(struct cs_conf_ctx *c,
                              const struct cs_conf_row *r)
{
    static const char *const cols[4] = {"configured", "live", "running",
                                        "min_replicas"};
    struct cs_conf_verdict v = {.ok = true};
    struct cs_vpa_evict_group g;
    int64_t n[4], done = 0;
    double tol;
    bool has;
    int rc = 0;

    for (int i = 0; i < 4 && rc == 0; i++) {
        rc = cs_conf_int_col(c, r, cols[i], &n[i], &has);
        if (rc == 0 && (!has || n[i] < 0 || n[i] > 100000))
            rc = cs_conf_bad(c, r, "%s: a count from 0 to 100000 is required",
                             cols[i]);
    }
    if (rc == 0)
        rc = cs_conf_num(c, r, "eviction_tolerance",
                         cs_conf_get(r, "eviction_tolerance"), &tol);
    if (rc < 0)
        return rc;
    cs_vpa_evict_group_init(&g, (int32_t)n[0], (int32_t)n[1], (int32_t)n[2],
                            (int32_t)n[3], tol);
    rc = vyesno(c, r, &v, "expected_can_evict", "can evict",
                cs_vpa_can_evict(&g, 0));
    if (rc == 0)
        rc = vyesno(c, r, &v, "expected_can_evict_pending", "pending",
                    cs_vpa_can_evict(&g, 1));
    /* Evict every running pod in turn, as the upstream tests loop. */
    for (int64_t i = 0; i < n[2]; i++)
        if (cs_vpa_can_evict(&g, 0)) {
            cs_vpa_evict_done(&g, 0);
            done++;
        }
    if (rc == 0)
        rc = cs_conf_vint(c, r, &v, "expected_evictions", "evictions", done);
    if (rc == 0)
        cs_conf_vreport(c, r, &v);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* vpa_limits.csv                                                         */
/* ---------------------------------------------------------------------- */

static void limit_text(int has, int64_t lim, int capped, char *g, size_t n)
{
    if (!has)
        snprintf(g, n, "none");
    else if (capped || lim == INT64_MAX)
        snprintf(g, n, "max");
    else if (lim % 1000 == 0)
        snprintf(g, n, "%lld", (long long)(lim / 1000));
    else
        snprintf(g, n, "%lldm", (long long)lim);
}

int cs_conf_eval_vpa_limits(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct cs_conf_verdict v = {.ok = true};
    const char *res = cs_conf_get(r, "resource");
    const char *el = cs_conf_get(r, "expected_limit");
    int64_t lim = 0, req = 0, rec = 0, dflt = 0, got = 0, e = 0;
    int capped = 0, has, rc;
    char g[40];

    if (strcmp(res, "cpu") != 0 && strcmp(res, "memory") != 0)
        return cs_conf_bad(c, r, "resource: '%s' is not cpu or memory", res);
    rc = qty_or_unset(c, r, "limit", &lim);
    if (rc == 0)
        rc = qty_or_unset(c, r, "request", &req);
    if (rc == 0)
        rc = qty_or_unset(c, r, "recommended", &rec);
    if (rc == 0)
        rc = qty_or_unset(c, r, "default_limit", &dflt);
    if (rc == 0 && strcmp(el, "none") != 0 && strcmp(el, "max") != 0)
        rc = cs_conf_qty(c, r, "expected_limit", el, &e);
    if (rc < 0)
        return rc;
    has = cs_vpa_proportional_limit_res(res[0] == 'c' ? CS_RES_CPU
                                                      : CS_RES_MEMORY,
                                        lim, req, rec, dflt, &got, &capped);
    limit_text(has, got, capped, g, sizeof(g));
    if (strcmp(el, "none") == 0 || strcmp(el, "max") == 0)
        cs_conf_vadd(&v, strcmp(el, g) == 0, "limit", el, g);
    else
        cs_conf_vadd(&v, has && !capped && got == e, "limit", el, g);
    rc = vyesno(c, r, &v, "expected_annotation", "annotation", !has || capped);
    if (rc == 0)
        cs_conf_vreport(c, r, &v);
    return rc;
}
