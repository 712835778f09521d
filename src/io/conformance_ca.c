/*
 * conformance_ca.c - the cluster autoscaler vectors (tests/conformance/
 * ca_*.csv, CA_VPA_TEST_VECTORS.md part A) run through
 * controllers/ca_algo.h: the word-list helpers shared by those shapes, and
 * the rows of ca_expanders.csv, ca_backoff.csv and ca_balance.csv (the node
 * shapes are in conformance_ca_node.c). See conformance_int.h for the
 * contract and tests/conformance/README.md for the column languages.
 *
 * Every row prints one line. A row may check several things (the options a
 * chain keeps, its choice, the scores); the line then joins them, each
 * labelled, and passes only when all do. The backoff rows are the
 * exception: one line per check step. Expected numbers are exact or
 * rounded to six decimals (the spec's derived scores), so they match
 * within 5e-7, or half a unit of the last decimal when more are written.
 *
 * Small languages: lists are ';'-separated, the words of an entry are
 * space-separated, options of an entry are key=value words. An unknown
 * key is an error, so a typo never silently drops a condition.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/ca_algo.h"
#include "io/conformance_int.h"
#include "io/quantity.h"

/* ---------------------------------------------------------------------- */
/* Shared helpers                                                         */
/* ---------------------------------------------------------------------- */

int cs_conf_nomem(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    return cs_err_set(c->err, CS_ENOMEM, r->path, r->line, 0, "out of memory");
}

/* Split s at sep, dropping empty items (several spaces in a row). */
int cs_conf_words(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  const char *s, char sep, struct cs_conf_list *l)
{
    size_t k = 0;

    if (cs_conf_split(s, sep, l) < 0)
        return cs_conf_nomem(c, r);
    for (size_t i = 0; i < l->n; i++)
        if (l->item[i][0] != '\0')
            l->item[k++] = l->item[i];
    l->n = k;
    return 0;
}

/* A word "key=value" of the allowed keys: *key and *val point into the
 * (mutable) word. Error naming the column when the key is not allowed. */
int cs_conf_kv(struct cs_conf_ctx *c, const struct cs_conf_row *r,
               const char *col, char *word, const char *const *allowed,
               char **key, char **val)
{
    char *eq = strchr(word, '=');

    if (eq == NULL)
        return cs_conf_bad(c, r, "%s: '%s' is not key=value", col, word);
    *eq = '\0';
    *key = word;
    *val = eq + 1;
    for (size_t i = 0; allowed[i] != NULL; i++)
        if (strcmp(word, allowed[i]) == 0)
            return 0;
    return cs_conf_bad(c, r, "%s: unknown key '%s'", col, word);
}

int cs_conf_qty(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, const char *s, int64_t *v)
{
    if (cs_quantity_parse_milli(s, v) < 0)
        return cs_conf_bad(c, r, "%s: '%s' is not a quantity", col, s);
    return 0;
}

int cs_conf_num(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, const char *s, double *v)
{
    if (cs_parse_double(s, v) < 0)
        return cs_conf_bad(c, r, "%s: '%s' is not a number", col, s);
    return 0;
}

static int dur(struct cs_conf_ctx *c, const struct cs_conf_row *r,
               const char *col, const char *s, cs_time_ms *v)
{
    if (cs_duration_parse(s, v) < 0)
        return cs_conf_bad(c, r, "%s: '%s' is not a duration", col, s);
    return 0;
}

/* "CPU/MEM[/GPU]" quantities into v[0..3) (missing ones untouched). */
int cs_conf_triple(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   const char *col, const char *s, int64_t *v)
{
    struct cs_conf_list l;
    int rc = cs_conf_words(c, r, s, '/', &l);

    if (rc == 0 && (l.n < 2 || l.n > 3))
        rc = cs_conf_bad(c, r, "%s: '%s' is not CPU/MEM[/GPU]", col, s);
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        rc = cs_conf_qty(c, r, col, l.item[i], &v[i]);
    cs_conf_list_fini(&l);
    return rc;
}

/* 0/1 column; empty gives dflt. */
int cs_conf_flag(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 const char *col, int dflt, int *v)
{
    const char *s = cs_conf_get(r, col);

    if (s[0] == '\0')
        *v = dflt;
    else if (strcmp(s, "0") == 0 || strcmp(s, "1") == 0)
        *v = s[0] == '1';
    else
        return cs_conf_bad(c, r, "%s: '%s' is not 0 or 1", col, s);
    return 0;
}

/* got matches the expected text within half a unit of its last decimal. */
bool cs_conf_approx(const char *expected, double got)
{
    const char *dot = strchr(expected, '.');
    double e, tol = 0.5e-6;
    int decimals = 0;

    if (cs_parse_double(expected, &e) < 0)
        return false;
    for (const char *p = dot ? dot + 1 : ""; *p >= '0' && *p <= '9'; p++)
        if (++decimals > 6)
            tol /= 10.0;
    return fabs(got - e) <= tol + 1e-12 * fabs(e);
}

void cs_conf_vadd(struct cs_conf_verdict *v, bool ok, const char *label,
                  const char *e, const char *g)
{
    if (v->ne < sizeof(v->exp))
        v->ne += (size_t)snprintf(v->exp + v->ne, sizeof(v->exp) - v->ne,
                                  "%s%s %s", v->ne ? "; " : "", label, e);
    if (v->ng < sizeof(v->got))
        v->ng += (size_t)snprintf(v->got + v->ng, sizeof(v->got) - v->ng,
                                  "%s%s %s", v->ng ? "; " : "", label, g);
    v->ok = v->ok && ok;
}

void cs_conf_vreport(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     struct cs_conf_verdict *v)
{
    if (v->ne == 0)
        cs_conf_report(c, false, cs_conf_get(r, "case_name"), "a check",
                       "nothing to check");
    else
        cs_conf_report(c, v->ok, cs_conf_get(r, "case_name"), v->exp, v->got);
}

/* Compare an integer column (if filled) with got. */
int cs_conf_vint(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 struct cs_conf_verdict *v, const char *col, const char *label,
                 int64_t got)
{
    int64_t e;
    bool has;
    char g[32];

    if (cs_conf_int_col(c, r, col, &e, &has) < 0)
        return CS_EPARSE;
    if (has) {
        snprintf(g, sizeof(g), "%lld", (long long)got);
        cs_conf_vadd(v, e == got, label, cs_conf_get(r, col), g);
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* ca_expanders.csv                                                       */
/* ---------------------------------------------------------------------- */

static const char *const opt_keys[] = {
    "nodes",      "pods",       "pod_cpu", "pod_mem", "cap_cpu", "cap_mem",
    "node_price", "pods_price", "gpu",     "exists",  NULL};

static int opt_set(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   char *word, struct cs_ca_option *o)
{
    char *k, *s;
    int64_t i = 0;

    if (cs_conf_kv(c, r, "options", word, opt_keys, &k, &s) < 0)
        return CS_EPARSE;
    if (strstr(k, "price") != NULL)
        return cs_conf_num(c, r, "options", s,
                           strcmp(k, "node_price") == 0 ? &o->node_price
                                                        : &o->pods_price);
    if (strncmp(k, "pod_", 4) == 0 || strncmp(k, "cap_", 4) == 0) {
        int64_t *dst = k[0] == 'p' ? (k[4] == 'c' ? &o->pod_cpu : &o->pod_mem)
                                   : (k[4] == 'c' ? &o->cap_cpu : &o->cap_mem);

        return cs_conf_qty(c, r, "options", s, dst);
    }
    if (cs_conf_int(c, r, "options", s, &i) < 0)
        return CS_EPARSE;
    if (strcmp(k, "nodes") == 0)
        o->nodes = (int32_t)i;
    else if (strcmp(k, "pods") == 0)
        o->pods = (int32_t)i;
    else if (strcmp(k, "gpu") == 0)
        o->gpu = i != 0;
    else
        o->exists = i != 0;
    return 0;
}

/* options: "ID key=value ...; ID ...". ids point into words[]. */
static int options_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                         struct cs_conf_list *words, struct cs_ca_option *o,
                         size_t *n)
{
    struct cs_conf_list l;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "options"), ';', &l);

    *n = 0;
    if (rc == 0 && l.n > CS_CONF_MAX_ITEMS)
        rc = cs_conf_bad(c, r, "options: more than %d options",
                         CS_CONF_MAX_ITEMS);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        rc = cs_conf_words(c, r, l.item[i], ' ', &words[i]);
        memset(&o[i], 0, sizeof(o[i]));
        o[i].group = (int)i;
        o[i].id = words[i].n ? words[i].item[0] : "";
        o[i].exists = 1;
        for (size_t w = 1; rc == 0 && w < words[i].n; w++)
            rc = opt_set(c, r, words[i].item[w], &o[i]);
        *n = i + 1;
    }
    cs_conf_list_fini(&l);
    return rc;
}

static int chain_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       int *chain, int *nchain)
{
    struct cs_conf_list l;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "expander"), ',', &l);

    *nchain = 0;
    if (rc == 0 && l.n > CS_CA_EXPANDERS_MAX)
        rc = cs_conf_bad(c, r, "expander: more than %d expanders",
                         CS_CA_EXPANDERS_MAX);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        chain[i] = cs_ca_expander_parse(l.item[i]);
        if (chain[i] == 0)
            rc =
                cs_conf_bad(c, r, "expander: unknown expander '%s'", l.item[i]);
        *nchain = (int)i + 1;
    }
    cs_conf_list_fini(&l);
    return rc;
}

/* Ids of opt[0..n) joined by spaces, or "none". */
static void ids(const struct cs_ca_option *opt, size_t n, char *buf,
                size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "",
                                opt[i].id);
    if (n == 0)
        snprintf(buf, size, "none");
}

struct xrow {
    int chain[CS_CA_EXPANDERS_MAX], nchain;
    int64_t pref;
    double stab, u;
};

/* The survivors of the chain's filters before its final random pick. */
static void kept(const struct xrow *x, struct cs_ca_option *o, size_t *n)
{
    for (int i = 0; i < x->nchain; i++) {
        *n = cs_ca_expander_filter(x->chain[i], o, *n, x->pref, x->stab, NULL,
                                   0, x->u);
        if (*n == 1)
            break;
    }
}

/* expected_scores "ID=score;...": the chain's first scoring expander. */
static int scores(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  const struct xrow *x, const struct cs_ca_option *o, size_t n,
                  struct cs_conf_verdict *v)
{
    struct cs_conf_list l;
    int e = 0, rc;

    for (int i = x->nchain - 1; i >= 0; i--)
        if (x->chain[i] == CS_EXP_LEAST_WASTE || x->chain[i] == CS_EXP_PRICE)
            e = x->chain[i];
    if (e == 0)
        return cs_conf_bad(c, r,
                           "expected_scores: the chain has no "
                           "least-waste or price expander");
    rc = cs_conf_words(c, r, cs_conf_get(r, "expected_scores"), ';', &l);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        char *eq = strchr(l.item[i], '='), g[64];
        size_t k = 0;
        double s;

        if (eq != NULL)
            *eq++ = '\0';
        while (k < n && strcmp(o[k].id, l.item[i]) != 0)
            k++;
        if (eq == NULL || k == n) {
            rc = cs_conf_bad(c, r,
                             "expected_scores: '%s' is not ID=score "
                             "of an option",
                             l.item[i]);
            break;
        }
        s = e == CS_EXP_PRICE ? cs_ca_price_score(&o[k], x->pref, x->stab)
                              : cs_ca_waste_score(&o[k]);
        snprintf(g, sizeof(g), "%.6f", s);
        cs_conf_vadd(v, cs_conf_approx(eq, s), l.item[i], eq, g);
    }
    cs_conf_list_fini(&l);
    return rc;
}

static int xrow_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct xrow *x)
{
    const char *pref = cs_conf_get(r, "preferred_cpu");
    const char *stab = cs_conf_get(r, "stab_price");
    const char *u = cs_conf_get(r, "u");
    int64_t nodes = 0;
    bool has_nodes;

    memset(x, 0, sizeof(*x));
    if (chain_parse(c, r, x->chain, &x->nchain) < 0 ||
        cs_conf_int_col(c, r, "cluster_nodes", &nodes, &has_nodes) < 0 ||
        (pref[0] && cs_conf_qty(c, r, "preferred_cpu", pref, &x->pref) < 0) ||
        (stab[0] && cs_conf_num(c, r, "stab_price", stab, &x->stab) < 0) ||
        (u[0] && cs_conf_num(c, r, "u", u, &x->u) < 0))
        return CS_EPARSE;
    if (!pref[0])
        x->pref = cs_ca_preferred_cpu(has_nodes ? nodes : 0);
    return 0;
}

static void xchecks(const struct cs_conf_row *r, const struct xrow *x,
                    const struct cs_ca_option *o, size_t n,
                    struct cs_ca_option *tmp, struct cs_conf_verdict *v)
{
    const char *ek = cs_conf_get(r, "expected_kept");
    const char *ec = cs_conf_get(r, "expected_choice");
    char got[CS_CONF_TEXT];
    size_t k = n;

    if (ek[0]) {
        memcpy(tmp, o, n * sizeof(*o));
        kept(x, tmp, &k);
        ids(tmp, k, got, sizeof(got));
        cs_conf_vadd(v, strcmp(got, ek) == 0, "kept", ek, got);
    }
    if (ec[0]) {
        int i = cs_ca_expander_choose(x->chain, x->nchain, o, n, tmp, x->pref,
                                      x->stab, NULL, 0, x->u);

        snprintf(got, sizeof(got), "%s", i < 0 ? "none" : o[i].id);
        cs_conf_vadd(v, strcmp(got, ec) == 0, "choice", ec, got);
    }
}

int cs_conf_eval_expanders(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct cs_conf_list words[CS_CONF_MAX_ITEMS];
    struct cs_ca_option o[CS_CONF_MAX_ITEMS], tmp[CS_CONF_MAX_ITEMS];
    struct cs_conf_verdict v = {.ok = true};
    struct xrow x;
    size_t n = 0;
    int64_t ep;
    bool has_ep;
    int rc;

    memset(words, 0, sizeof(words));
    rc = xrow_parse(c, r, &x);
    if (rc == 0)
        rc = options_parse(c, r, words, o, &n);
    if (rc == 0)
        xchecks(r, &x, o, n, tmp, &v);
    if (rc == 0 && cs_conf_get(r, "expected_scores")[0])
        rc = scores(c, r, &x, o, n, &v);
    if (rc == 0 && cs_conf_get(r, "expected_preferred_cpu")[0]) {
        char g[32];

        rc = cs_conf_qty(c, r, "expected_preferred_cpu",
                         cs_conf_get(r, "expected_preferred_cpu"), &ep);
        has_ep = rc == 0;
        snprintf(g, sizeof(g), "%lldm", (long long)x.pref);
        if (has_ep)
            cs_conf_vadd(&v, ep == x.pref, "preferred cpu",
                         cs_conf_get(r, "expected_preferred_cpu"), g);
    }
    if (rc == 0)
        cs_conf_vreport(c, r, &v);
    for (size_t i = 0; i < CS_CONF_MAX_ITEMS; i++)
        cs_conf_list_fini(&words[i]);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* ca_backoff.csv                                                         */
/* ---------------------------------------------------------------------- */

#define MAX_KEYS 8

struct bkeys {
    const char *name[MAX_KEYS];
    struct cs_ca_backoff_entry e[MAX_KEYS];
    int n;
};

static struct cs_ca_backoff_entry *bkey(struct bkeys *k, const char *name)
{
    for (int i = 0; i < k->n; i++)
        if (strcmp(k->name[i], name) == 0)
            return &k->e[i];
    if (k->n == MAX_KEYS)
        return NULL;
    k->name[k->n] = name;
    memset(&k->e[k->n], 0, sizeof(k->e[0]));
    return &k->e[k->n++];
}

/* One step: fail K T | remove K | backed-off K T | free K T | entries T N.
 * Checks report a line each; *checks counts them. */
static int bstep(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 const struct cs_ca_backoff_cfg *cfg, struct bkeys *k,
                 struct cs_conf_list *w, const char *text, int *checks)
{
    const char *verb = w->item[0];
    struct cs_ca_backoff_entry *e = NULL;
    size_t want = strcmp(verb, "remove") == 0 ? 2 : 3;
    cs_time_ms t = 0;
    char name[CS_CONF_TEXT], got[64];

    if (w->n != want ||
        (strcmp(verb, "entries") != 0 && (e = bkey(k, w->item[1])) == NULL))
        return cs_conf_bad(c, r, "backoff_steps: bad step '%s'", text);
    if (want == 3 && dur(c, r, "backoff_steps",
                         w->item[strcmp(verb, "entries") ? 2 : 1], &t) < 0)
        return CS_EPARSE;
    snprintf(name, sizeof(name), "%.200s: %.200s", cs_conf_get(r, "case_name"),
             text);
    if (strcmp(verb, "fail") == 0) {
        cs_ca_backoff_fail(e, cfg, t);
    } else if (strcmp(verb, "remove") == 0) {
        cs_ca_backoff_remove(e);
    } else if (strcmp(verb, "backed-off") == 0 || strcmp(verb, "free") == 0) {
        int on = cs_ca_backoff_active(e, t), want_on = verb[0] == 'b';

        cs_conf_report(c, on == want_on, name, want_on ? "backed off" : "free",
                       on ? "backed off" : "free");
        (*checks)++;
    } else if (strcmp(verb, "entries") == 0) {
        int64_t n, live = 0;

        if (cs_conf_int(c, r, "backoff_steps", w->item[2], &n) < 0)
            return CS_EPARSE;
        for (int i = 0; i < k->n; i++) {
            cs_ca_backoff_gc(&k->e[i], cfg, t);
            live += k->e[i].active;
        }
        snprintf(got, sizeof(got), "%lld", (long long)live);
        cs_conf_report(c, live == n, name, w->item[2], got);
        (*checks)++;
    } else {
        return cs_conf_bad(c, r, "backoff_steps: unknown step '%s'", verb);
    }
    return 0;
}

int cs_conf_eval_backoff(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct cs_ca_backoff_cfg cfg;
    struct cs_conf_list steps, w[CS_CONF_MAX_ITEMS];
    struct bkeys k = {.n = 0};
    int rc, checks = 0;

    memset(w, 0, sizeof(w));
    if (dur(c, r, "initial", cs_conf_get(r, "initial"), &cfg.initial) < 0 ||
        dur(c, r, "max", cs_conf_get(r, "max"), &cfg.max) < 0 ||
        dur(c, r, "reset", cs_conf_get(r, "reset"), &cfg.reset) < 0)
        return CS_EPARSE;
    rc = cs_conf_words(c, r, cs_conf_get(r, "backoff_steps"), ';', &steps);
    if (rc == 0 && steps.n > CS_CONF_MAX_ITEMS)
        rc = cs_conf_bad(c, r, "backoff_steps: more than %d steps",
                         CS_CONF_MAX_ITEMS);
    /* All steps are split first: key names point into their words. */
    for (size_t i = 0; rc == 0 && i < steps.n; i++)
        rc = cs_conf_words(c, r, steps.item[i], ' ', &w[i]);
    for (size_t i = 0; rc == 0 && i < steps.n; i++) {
        char text[CS_CONF_TEXT];

        snprintf(text, sizeof(text), "%s", steps.item[i]);
        rc = bstep(c, r, &cfg, &k, &w[i], text, &checks);
    }
    if (rc == 0 && checks == 0)
        rc = cs_conf_bad(c, r,
                         "backoff_steps: no check step (backed-off, "
                         "free or entries)");
    for (size_t i = 0; i < CS_CONF_MAX_ITEMS; i++)
        cs_conf_list_fini(&w[i]);
    cs_conf_list_fini(&steps);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* ca_balance.csv                                                         */
/* ---------------------------------------------------------------------- */

struct bal {
    struct cs_conf_list w[CS_CONF_MAX_ITEMS];
    const char *name[CS_CONF_MAX_ITEMS];
    int32_t cur[CS_CONF_MAX_ITEMS], max[CS_CONF_MAX_ITEMS],
        out[CS_CONF_MAX_ITEMS];
    int n;
};

static int bal_find(const struct bal *b, const char *name, size_t len)
{
    for (int i = 0; i < b->n; i++)
        if (strlen(b->name[i]) == len && strncmp(b->name[i], name, len) == 0)
            return i;
    return -1;
}

/* groups: "NAME MIN MAX CURRENT; ..." */
static int bal_groups(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      struct bal *b)
{
    struct cs_conf_list l;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "groups"), ';', &l);

    b->n = 0;
    if (rc == 0 && l.n > CS_CONF_MAX_ITEMS)
        rc =
            cs_conf_bad(c, r, "groups: more than %d groups", CS_CONF_MAX_ITEMS);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        int64_t v[3];

        rc = cs_conf_words(c, r, l.item[i], ' ', &b->w[i]);
        if (rc == 0 && b->w[i].n != 4)
            rc = cs_conf_bad(c, r, "groups: '%s' is not NAME MIN MAX CURRENT",
                             l.item[i]);
        for (int k = 0; rc == 0 && k < 3; k++)
            rc = cs_conf_int(c, r, "groups", b->w[i].item[k + 1], &v[k]);
        if (rc < 0)
            break;
        b->name[i] = b->w[i].item[0];
        b->max[i] = (int32_t)v[1];
        b->cur[i] = (int32_t)v[2];
        b->n = (int)i + 1;
    }
    cs_conf_list_fini(&l);
    return rc;
}

/* One expectation word: NAME=V, NAME=V|W or A+B=SUM. 1 if it holds. */
static int bal_word(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const struct bal *b, char *word, bool *seen, bool *ok)
{
    char *eq = strchr(word, '='), *plus;
    int64_t v, sum = 0;
    bool any = false;

    if (eq == NULL)
        return cs_conf_bad(c, r, "expected_sizes: '%s' is not NAME=SIZE", word);
    *eq++ = '\0';
    for (char *p = word;; p = plus + 1) {
        int g;

        plus = strchr(p, '+');
        g = bal_find(b, p, plus ? (size_t)(plus - p) : strlen(p));
        if (g < 0)
            return cs_conf_bad(c, r, "expected_sizes: no group '%s'", p);
        seen[g] = true;
        sum += b->out[g];
        if (plus == NULL)
            break;
    }
    for (char *alt = eq; alt != NULL;) {
        char *bar = strchr(alt, '|');

        if (bar != NULL)
            *bar = '\0';
        if (cs_conf_int(c, r, "expected_sizes", alt, &v) < 0)
            return CS_EPARSE;
        any = any || v == sum;
        alt = bar ? bar + 1 : NULL;
    }
    *ok = *ok && any;
    return 0;
}

int cs_conf_eval_balance(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct bal b;
    struct cs_conf_list l;
    const char *exp = cs_conf_get(r, "expected_sizes");
    bool seen[CS_CONF_MAX_ITEMS] = {false}, ok = true;
    char got[CS_CONF_TEXT];
    size_t len = 0;
    int64_t add;
    int rc;

    memset(&b, 0, sizeof(b));
    memset(&l, 0, sizeof(l));
    rc = bal_groups(c, r, &b);
    if (rc == 0)
        rc = cs_conf_int(c, r, "new_nodes", cs_conf_get(r, "new_nodes"), &add);
    if (rc == 0) {
        cs_ca_balance(b.cur, b.max, b.n, (int32_t)add, b.out);
        rc = cs_conf_words(c, r, strcmp(exp, "none") == 0 ? "" : exp, ' ', &l);
    }
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        rc = bal_word(c, r, &b, l.item[i], seen, &ok);
    for (int i = 0; rc == 0 && i < b.n; i++) {
        ok = ok && (seen[i] || b.out[i] == b.cur[i]);
        if (b.out[i] != b.cur[i] && len < sizeof(got))
            len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s=%d",
                                    len ? " " : "", b.name[i], (int)b.out[i]);
    }
    if (rc == 0)
        cs_conf_report(c, ok, cs_conf_get(r, "case_name"), exp,
                       len ? got : "none");
    cs_conf_list_fini(&l);
    for (int i = 0; i < CS_CONF_MAX_ITEMS; i++)
        cs_conf_list_fini(&b.w[i]);
    return rc;
}
