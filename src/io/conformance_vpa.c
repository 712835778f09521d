/*
 * conformance_vpa.c - the VPA vectors (tests/conformance/vpa_*.csv, part B
 * of CA_VPA_TEST_VECTORS.md) run through controllers/vpa_algo.h: the
 * helpers of the VPA shapes and the step languages of vpa_histogram.csv
 * (B1-B3) and vpa_estimator.csv (B4, B5, B11). The other VPA shapes are in
 * conformance_vpa2.c; see conformance_int.h for the contract and
 * tests/conformance/README.md for the column languages.
 *
 * A step-language row is a ';'-separated list of steps run in order on
 * fresh state; a check step (pct, bucket, estimate, ...) computes a
 * result that is compared with the next entry of the `expected` column.
 * The row prints one line joining every check, labelled by its step, and
 * passes when all do. Every number reported is computed here by the code
 * under test; the expected column is only read for the comparison.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/vpa_algo.h"
#include "io/conformance_int.h"
#include "io/quantity.h"

/* ---------------------------------------------------------------------- */
/* Shared helpers                                                         */
/* ---------------------------------------------------------------------- */

/* Row times stay within this of t0 (100000 h), so no arithmetic on them
 * overflows. */
#define CS_CONF_VPA_SPAN ((cs_time_ms)100000 * 3600 * 1000)

int cs_conf_vpa_time(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const char *col, const char *s, cs_time_ms *t)
{
    int neg = s[0] == '-';
    cs_time_ms d;

    if (cs_duration_parse(s + neg, &d) < 0)
        return cs_conf_bad(c, r, "%s: '%s' is not a [-]duration", col, s);
    if (d > CS_CONF_VPA_SPAN)
        return cs_conf_bad(c, r, "%s: '%s' is more than 100000 h from t0", col,
                           s);
    *t = CS_CONF_VPA_T0 + (neg ? -d : d);
    return 0;
}

int cs_conf_vctr_init(struct cs_conf_vctr *ct)
{
    cs_vpa_config_defaults(&ct->cfg);
    cs_vpa_hist_opts_cpu(&ct->co);
    cs_vpa_hist_opts_memory(&ct->mo);
    cs_vpa_cstate_init(&ct->s);
    return cs_vpa_agg_init(&ct->a, &ct->co, &ct->mo, &ct->cfg);
}

static void vres_text(struct cs_conf_vres *x, const char *w)
{
    if (x->len < sizeof(x->text))
        x->len += (size_t)snprintf(x->text + x->len, sizeof(x->text) - x->len,
                                   "%s%s", x->len ? " " : "", w);
}

static void vres_push(struct cs_conf_vres *x, const char *w, bool isnum,
                      double v)
{
    vres_text(x, w);
    if (x->n < CS_CONF_VRES_MAX) {
        x->isnum[x->n] = isnum;
        x->num[x->n++] = v;
    }
}

void cs_conf_vres_num(struct cs_conf_vres *x, double v)
{
    char b[40];

    if (isinf(v) || isnan(v)) {
        vres_push(x, isnan(v) ? "nan" : v > 0 ? "inf" : "-inf", false, 0.0);
        return;
    }
    snprintf(b, sizeof(b), "%.10g", v);
    vres_push(x, b, true, v);
}

void cs_conf_vres_int(struct cs_conf_vres *x, int64_t v)
{
    char b[32];

    snprintf(b, sizeof(b), "%lld", (long long)v);
    vres_push(x, b, true, (double)v);
}

void cs_conf_vres_word(struct cs_conf_vres *x, const char *w)
{
    vres_push(x, w, false, 0.0);
}

int cs_conf_vsteps_init(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct cs_conf_vsteps *k)
{
    const char *tol = cs_conf_get(r, "tolerance");

    memset(k, 0, sizeof(*k));
    k->v.ok = true;
    k->tol = -1.0;
    if (tol[0] != '\0' &&
        (cs_conf_num(c, r, "tolerance", tol, &k->tol) < 0 || k->tol < 0.0))
        return cs_conf_bad(c, r, "tolerance: '%s' is not a number >= 0", tol);
    return cs_conf_words(c, r, cs_conf_get(r, "expected"), ';', &k->exp);
}

/* An integer token: digits with an optional sign, nothing else. */
static bool integral(const char *s)
{
    s += *s == '-' || *s == '+';
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool token_ok(const struct cs_conf_vsteps *k, const char *e,
                     const struct cs_conf_vres *got, int i, const char *g)
{
    double ev;

    if (!got->isnum[i])
        return strcmp(e, g) == 0;
    if (cs_parse_double(e, &ev) < 0)
        return false;
    if (integral(e))
        return got->num[i] == ev;
    if (k->tol >= 0.0)
        return fabs(got->num[i] - ev) <= k->tol;
    return cs_conf_approx(e, got->num[i]);
}

/* Compare the words of expected entry e with got's tokens. */
static int entry_ok(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const struct cs_conf_vsteps *k, const char *e,
                    const struct cs_conf_vres *got, bool *ok)
{
    struct cs_conf_list ew, gw;
    int rc = cs_conf_words(c, r, e, ' ', &ew);

    if (rc == 0)
        rc = cs_conf_words(c, r, got->text, ' ', &gw);
    else
        memset(&gw, 0, sizeof(gw));
    *ok = rc == 0 && ew.n == gw.n && (int)gw.n == got->n;
    for (size_t i = 0; *ok && i < ew.n; i++)
        *ok = token_ok(k, ew.item[i], got, (int)i, gw.item[i]);
    cs_conf_list_fini(&ew);
    cs_conf_list_fini(&gw);
    return rc;
}

int cs_conf_vsteps_check(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                         struct cs_conf_vsteps *k, const char *label,
                         const struct cs_conf_vres *got)
{
    bool ok;

    if (k->next >= k->exp.n)
        return cs_conf_bad(c, r,
                           "expected: %zu entries, but step '%s' is check "
                           "%zu",
                           k->exp.n, label, k->next + 1);
    if (entry_ok(c, r, k, k->exp.item[k->next], got, &ok) < 0)
        return CS_ENOMEM;
    cs_conf_vadd(&k->v, ok, label, k->exp.item[k->next], got->text);
    k->next++;
    return 0;
}

int cs_conf_vsteps_done(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct cs_conf_vsteps *k)
{
    int rc = 0;

    if (k->next != k->exp.n)
        rc = cs_conf_bad(c, r, "expected: %zu entries for %zu checks", k->exp.n,
                         k->next);
    else
        cs_conf_vreport(c, r, &k->v);
    cs_conf_vsteps_fini(k);
    return rc;
}

void cs_conf_vsteps_fini(struct cs_conf_vsteps *k)
{
    cs_conf_list_fini(&k->exp);
}

/* Argument i of a step (w->item[0] is the step's name), or NULL with the
 * context's error set (the step lacks it). */
static const char *arg_at(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                          const char *col, const struct cs_conf_list *w,
                          size_t i)
{
    if (i < w->n)
        return w->item[i];
    cs_conf_bad(c, r, "%s: step '%s' lacks argument %zu", col, w->item[0], i);
    return NULL;
}

/* Argument i of a step as a number / quantity (base units). */
static int arg_num(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   const char *col, const struct cs_conf_list *w, size_t i,
                   double *v)
{
    const char *s = arg_at(c, r, col, w, i);

    if (s == NULL)
        return CS_EPARSE;
    if (cs_quantity_parse_double(s, v) < 0)
        return cs_conf_bad(c, r, "%s: '%s' is not a number", col, s);
    return 0;
}

/* Argument i as a duration (offset from nothing, >= 0). */
static int arg_dur(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   const char *col, const struct cs_conf_list *w, size_t i,
                   cs_time_ms *d)
{
    const char *s = arg_at(c, r, col, w, i);

    if (s == NULL)
        return CS_EPARSE;
    if (cs_duration_parse(s, d) < 0)
        return cs_conf_bad(c, r, "%s: '%s' is not a duration", col, s);
    return 0;
}

/* Steps of column col, each split into words, run by fn. */
typedef int (*step_fn)(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       void *state, const struct cs_conf_list *w,
                       const char *text);

static int run_steps(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const char *col, step_fn fn, void *state)
{
    struct cs_conf_list steps;
    int rc = cs_conf_words(c, r, cs_conf_get(r, col), ';', &steps);

    if (rc == 0 && steps.n == 0)
        rc = cs_conf_bad(c, r, "%s: no steps", col);
    for (size_t i = 0; rc == 0 && i < steps.n; i++) {
        struct cs_conf_list w;
        char text[CS_CONF_TEXT];

        snprintf(text, sizeof(text), "%s", steps.item[i]);
        rc = cs_conf_words(c, r, steps.item[i], ' ', &w);
        if (rc == 0)
            rc = fn(c, r, state, &w, text);
        cs_conf_list_fini(&w);
    }
    cs_conf_list_fini(&steps);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* vpa_histogram.csv                                                      */
/* ---------------------------------------------------------------------- */

#define NHIST 4

struct hrow {
    struct cs_vpa_hist_opts o;
    cs_time_ms half_life;
    struct cs_vpa_hist h[NHIST];
    char name[NHIST][16];
    int n, cur;
    struct cs_conf_vsteps k;
};

static const char *const hopt_keys[] = {"max",   "size",    "first",
                                        "ratio", "epsilon", NULL};

/* options: cpu | memory | linear|exponential key=value... */
static int hopts(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 struct cs_vpa_hist_opts *o)
{
    double v[5] = {0, 0, 0, 0, CS_VPA_EPSILON};
    struct cs_conf_list w;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "options"), ' ', &w), lin;

    if (rc == 0 && w.n == 1 && strcmp(w.item[0], "cpu") == 0) {
        cs_vpa_hist_opts_cpu(o);
    } else if (rc == 0 && w.n == 1 && strcmp(w.item[0], "memory") == 0) {
        cs_vpa_hist_opts_memory(o);
    } else if (rc == 0 && w.n > 0 &&
               ((lin = strcmp(w.item[0], "linear") == 0) ||
                strcmp(w.item[0], "exponential") == 0)) {
        for (size_t i = 1; rc == 0 && i < w.n; i++) {
            char *key, *val;
            size_t j = 0;

            rc = cs_conf_kv(c, r, "options", w.item[i], hopt_keys, &key, &val);
            while (rc == 0 && strcmp(hopt_keys[j], key) != 0)
                j++;
            if (rc == 0)
                rc = cs_conf_num(c, r, "options", val, &v[j]);
        }
        if (rc == 0 &&
            (lin ? cs_vpa_hist_opts_linear(o, v[0], v[1], v[4])
                 : cs_vpa_hist_opts_exponential(o, v[0], v[2], v[3], v[4])) < 0)
            rc = cs_conf_bad(c, r, "options: invalid histogram options");
    } else if (rc == 0) {
        rc = cs_conf_bad(c, r,
                         "options: '%s' is not cpu, memory, linear or "
                         "exponential",
                         cs_conf_get(r, "options"));
    }
    cs_conf_list_fini(&w);
    return rc;
}

/* Histogram `name`, created on first use. NULL (error set) when full. */
static struct cs_vpa_hist *hnamed(struct cs_conf_ctx *c,
                                  const struct cs_conf_row *r, struct hrow *x,
                                  const char *name)
{
    for (int i = 0; i < x->n; i++)
        if (strcmp(x->name[i], name) == 0)
            return &x->h[i];
    if (x->n == NHIST || strlen(name) >= sizeof(x->name[0])) {
        cs_conf_bad(c, r, "hist_ops: too many histograms ('%s')", name);
        return NULL;
    }
    if (cs_vpa_hist_init(&x->h[x->n], &x->o, x->half_life) < 0) {
        cs_conf_nomem(c, r);
        return NULL;
    }
    snprintf(x->name[x->n], sizeof(x->name[0]), "%s", name);
    return &x->h[x->n++];
}

/* Upstream's Equals: same half-life, reference and bucket range, weights
 * within 1e-15. */
static bool hequal(const struct cs_vpa_hist *a, const struct cs_vpa_hist *b)
{
    if (a->half_life != b->half_life || a->ref != b->ref ||
        a->min_b != b->min_b || a->max_b != b->max_b)
        return false;
    for (int i = a->min_b; i <= a->max_b; i++)
        if (fabs(a->w[i] - b->w[i]) > 1e-15)
            return false;
    return true;
}

static void hsave(const struct cs_vpa_hist *h, struct cs_conf_vres *g)
{
    int *bucket = malloc((size_t)h->o->nbuckets * sizeof(*bucket));
    uint32_t *weight = malloc((size_t)h->o->nbuckets * sizeof(*weight));
    double total;
    int n;

    if (bucket == NULL || weight == NULL) {
        cs_conf_vres_word(g, "out-of-memory");
    } else {
        n = cs_vpa_hist_save(h, bucket, weight, &total);
        cs_conf_vres_num(g, total);
        for (int i = 0; i < n; i++) {
            char b[32];

            snprintf(b, sizeof(b), "%d:%u", bucket[i], weight[i]);
            cs_conf_vres_word(g, b);
        }
    }
    free(bucket);
    free(weight);
}

/* load TOTAL B:W... */
static int hload(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 struct cs_vpa_hist *h, const struct cs_conf_list *w)
{
    int bucket[CS_CONF_MAX_ITEMS];
    uint32_t weight[CS_CONF_MAX_ITEMS];
    double total;
    int n = 0;

    if (arg_num(c, r, "hist_ops", w, 1, &total) < 0)
        return CS_EPARSE;
    for (size_t i = 2; i < w->n; i++) {
        int64_t b, v;
        char *colon = strchr(w->item[i], ':');

        if (colon == NULL || n == CS_CONF_MAX_ITEMS)
            return cs_conf_bad(c, r, "hist_ops: '%s' is not BUCKET:WEIGHT",
                               w->item[i]);
        *colon = '\0';
        if (cs_conf_int(c, r, "hist_ops", w->item[i], &b) < 0 ||
            cs_conf_int(c, r, "hist_ops", colon + 1, &v) < 0)
            return CS_EPARSE;
        if (b < 0 || b >= h->o->nbuckets || v < 0 || v > UINT32_MAX)
            return cs_conf_bad(c, r, "hist_ops: bucket %lld:%lld out of range",
                               (long long)b, (long long)v);
        bucket[n] = (int)b;
        weight[n++] = (uint32_t)v;
    }
    cs_vpa_hist_load(h, bucket, weight, n, total);
    return 0;
}

/* The histogram checks; *done 0 when w is not one. */
static int hcheck(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  struct hrow *x, const struct cs_conf_list *w,
                  struct cs_conf_vres *g, int *done)
{
    struct cs_vpa_hist *h = &x->h[x->cur];
    const char *op = w->item[0];
    double v = 0.0;

    *done = 1;
    if (strcmp(op, "pct") == 0 || strcmp(op, "bucket") == 0 ||
        strcmp(op, "edge") == 0 || strcmp(op, "weight") == 0 ||
        strcmp(op, "start") == 0) {
        if (arg_num(c, r, "hist_ops", w, 1, &v) < 0)
            return CS_EPARSE;
    }
    if (strcmp(op, "pct") == 0) {
        cs_conf_vres_num(g, cs_vpa_hist_percentile(h, v));
    } else if (strcmp(op, "bucket") == 0) {
        cs_conf_vres_int(g, cs_vpa_hist_bucket(&x->o, v));
    } else if (strcmp(op, "edge") == 0) {
        int b = cs_vpa_hist_bucket(&x->o, v);

        cs_conf_vres_num(g, cs_vpa_hist_bucket_start(
                                &x->o, b + 1 < x->o.nbuckets ? b + 1 : b));
    } else if (strcmp(op, "start") == 0) {
        if (v != floor(v) || v < 0 || v >= x->o.nbuckets)
            return cs_conf_bad(c, r, "hist_ops: no bucket %g", v);
        cs_conf_vres_num(g, cs_vpa_hist_bucket_start(&x->o, (int)v));
    } else if (strcmp(op, "weight") == 0) {
        cs_conf_vres_num(g, h->w[cs_vpa_hist_bucket(&x->o, v)]);
    } else if (strcmp(op, "nbuckets") == 0) {
        cs_conf_vres_int(g, x->o.nbuckets);
    } else if (strcmp(op, "empty") == 0) {
        cs_conf_vres_word(g, cs_vpa_hist_empty(h) ? "yes" : "no");
    } else if (strcmp(op, "total") == 0) {
        cs_conf_vres_num(g, h->total);
    } else if (strcmp(op, "save") == 0) {
        hsave(h, g);
    } else {
        *done = 0;
    }
    return 0;
}

static int hstep(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 void *state, const struct cs_conf_list *w, const char *text)
{
    struct hrow *x = state;
    struct cs_conf_vres g = {.len = 0};
    const char *op = w->item[0];
    struct cs_vpa_hist *o;
    double v, wt;
    cs_time_ms t = CS_CONF_VPA_T0;
    int done, rc = hcheck(c, r, x, w, &g, &done);

    if (rc < 0 || done)
        return rc < 0 ? rc : cs_conf_vsteps_check(c, r, &x->k, text, &g);
    if (strcmp(op, "add") == 0 || strcmp(op, "sub") == 0) {
        if (arg_num(c, r, "hist_ops", w, 1, &v) < 0 ||
            arg_num(c, r, "hist_ops", w, 2, &wt) < 0 ||
            (w->n > 3 && cs_conf_vpa_time(c, r, "hist_ops", w->item[3], &t)))
            return CS_EPARSE;
        (op[0] == 'a' ? cs_vpa_hist_add : cs_vpa_hist_subtract)(&x->h[x->cur],
                                                                v, wt, t);
        return 0;
    }
    if (strcmp(op, "load") == 0)
        return hload(c, r, &x->h[x->cur], w);
    if ((strcmp(op, "use") == 0 || strcmp(op, "merge") == 0 ||
         strcmp(op, "equals") == 0) &&
        w->n == 2) {
        if ((o = hnamed(c, r, x, w->item[1])) == NULL)
            return CS_EPARSE;
        if (op[0] == 'u')
            x->cur = (int)(o - x->h);
        else if (op[0] == 'm')
            cs_vpa_hist_merge(&x->h[x->cur], o);
        else
            cs_conf_vres_word(&g, hequal(&x->h[x->cur], o) ? "yes" : "no");
        return op[0] == 'e' ? cs_conf_vsteps_check(c, r, &x->k, text, &g) : 0;
    }
    return cs_conf_bad(c, r, "hist_ops: unknown step '%s'", text);
}

int cs_conf_eval_vpa_histogram(struct cs_conf_ctx *c,
                               const struct cs_conf_row *r)
{
    const char *hl = cs_conf_get(r, "half_life");
    struct hrow x;
    int rc;

    memset(&x, 0, sizeof(x));
    rc = hopts(c, r, &x.o);
    if (rc == 0 && hl[0] != '\0' &&
        (cs_duration_parse(hl, &x.half_life) < 0 || x.half_life <= 0 ||
         x.half_life > CS_CONF_VPA_SPAN))
        rc = cs_conf_bad(c, r,
                         "half_life: '%s' is not a positive duration up to "
                         "100000 h",
                         hl);
    if (rc == 0 && hnamed(c, r, &x, "a") == NULL)
        rc = CS_EPARSE;
    if (rc == 0)
        rc = cs_conf_vsteps_init(c, r, &x.k);
    else
        memset(&x.k, 0, sizeof(x.k));
    if (rc == 0)
        rc = run_steps(c, r, "hist_ops", hstep, &x);
    if (rc == 0)
        rc = cs_conf_vsteps_done(c, r, &x.k);
    cs_conf_vsteps_fini(&x.k);
    for (int i = 0; i < x.n; i++)
        cs_vpa_hist_fini(&x.h[i]);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* vpa_estimator.csv                                                      */
/* ---------------------------------------------------------------------- */

struct erow {
    struct cs_conf_vctr ct; /* the one container */
    int started;            /* a sample step ran (plain must come first) */
    struct cs_conf_vsteps k;
};

/* cpu|mem V [xN] [every D] [from T]: N samples D apart from t0 + T. */
static int esamples(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    struct erow *x, const struct cs_conf_list *w)
{
    int64_t n = 1;
    cs_time_ms every = 60 * CS_MS_PER_S, t = CS_CONF_VPA_T0;
    double v;

    if (arg_num(c, r, "estimator_ops", w, 1, &v) < 0)
        return CS_EPARSE;
    for (size_t i = 2; i < w->n; i++) {
        const char *s = w->item[i];

        if (s[0] == 'x' && cs_parse_int64(s + 1, &n) == 0 && n >= 0 &&
            n <= 1000000)
            continue;
        if (strcmp(s, "every") == 0 &&
            arg_dur(c, r, "estimator_ops", w, ++i, &every) == 0)
            continue;
        if (strcmp(s, "from") == 0 && i + 1 < w->n &&
            cs_conf_vpa_time(c, r, "estimator_ops", w->item[++i], &t) == 0)
            continue;
        return cs_conf_bad(c, r, "estimator_ops: bad sample option '%s'", s);
    }
    if ((double)n * (double)every > (double)CS_CONF_VPA_SPAN)
        return cs_conf_bad(c, r,
                           "estimator_ops: samples span more than 100000 h");
    for (int64_t i = 0; i < n; i++, t += every)
        if (w->item[0][0] == 'c')
            cs_vpa_agg_add_cpu(&x->ct.a, v, 1, t);
        else
            cs_vpa_cstate_add_memory(&x->ct.s, &x->ct.a.mem, v, t, &x->ct.cfg);
    x->started = 1;
    return 0;
}

/* Words of a controlled-resources mask. */
static void controlled_words(uint32_t m, struct cs_conf_vres *g)
{
    if (m & (1u << CS_RES_CPU))
        cs_conf_vres_word(g, "cpu");
    if (m & (1u << CS_RES_MEMORY))
        cs_conf_vres_word(g, "memory");
    if (m == 0)
        cs_conf_vres_word(g, "none");
}

/* controlled default|off|cpu,memory... */
static int econtrolled(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       const struct cs_conf_list *w, struct cs_conf_vres *g)
{
    struct cs_vpa_policy p;
    struct cs_conf_list l;
    int rc = 0;

    if (w->n != 2)
        return cs_conf_bad(c, r, "estimator_ops: controlled takes one list");
    memset(&p, 0, sizeof(p));
    if (strcmp(w->item[1], "default") == 0) {
        controlled_words(cs_vpa_policy_controlled(NULL), g);
        return 0;
    }
    p.off = strcmp(w->item[1], "off") == 0;
    p.controlled = p.off ? 3u : 0u;
    rc = p.off ? 0 : cs_conf_words(c, r, w->item[1], ',', &l);
    for (size_t i = 0; !p.off && rc == 0 && i < l.n; i++) {
        if (strcmp(l.item[i], "cpu") == 0)
            p.controlled |= 1u << CS_RES_CPU;
        else if (strcmp(l.item[i], "memory") == 0)
            p.controlled |= 1u << CS_RES_MEMORY;
        else
            rc = cs_conf_bad(c, r, "estimator_ops: unknown resource '%s'",
                             l.item[i]);
    }
    if (!p.off)
        cs_conf_list_fini(&l);
    if (rc == 0)
        controlled_words(cs_vpa_policy_controlled(&p), g);
    return rc;
}

/* Integer argument i (an amount, or a container count). */
static int arg_int(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   const struct cs_conf_list *w, size_t i, int64_t *v)
{
    const char *s = arg_at(c, r, "estimator_ops", w, i);

    return s == NULL ? CS_EPARSE : cs_conf_int(c, r, "estimator_ops", s, v);
}

/* scale X M E D | factor M E D: the confidence multiplier. */
static int escale(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  struct erow *x, const struct cs_conf_list *w,
                  struct cs_conf_vres *g)
{
    int s = strcmp(w->item[0], "scale") == 0;
    int64_t base = 0;
    double m, e;
    cs_time_ms iv;

    if ((s && arg_int(c, r, w, 1, &base) < 0) ||
        arg_num(c, r, "estimator_ops", w, 1 + s, &m) < 0 ||
        arg_num(c, r, "estimator_ops", w, 2 + s, &e) < 0 ||
        arg_dur(c, r, "estimator_ops", w, 3 + s, &iv) < 0)
        return CS_EPARSE;
    if (s)
        cs_conf_vres_int(g, cs_vpa_confidence_scale(
                                base, m, e, cs_vpa_confidence(&x->ct.a, iv)));
    else
        cs_conf_vres_num(
            g, cs_vpa_confidence_factor(m, e, cs_vpa_confidence(&x->ct.a, iv)));
    return 0;
}

static void bounds_words(const struct cs_vpa_bounds *b, struct cs_conf_vres *g)
{
    cs_conf_vres_int(g, b->target);
    cs_conf_vres_int(g, b->lower);
    cs_conf_vres_int(g, b->upper);
}

/* The checks; *done 0 when w is not one. */
static int echeck(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  struct erow *x, const struct cs_conf_list *w,
                  struct cs_conf_vres *g, int *done)
{
    const char *op = w->item[0];
    int64_t a = 0, b = 0, n = 1;
    double v;
    cs_time_ms iv;

    *done = 1;
    if (strcmp(op, "pct") == 0 && w->n == 3 &&
        (strcmp(w->item[1], "cpu") == 0 || strcmp(w->item[1], "mem") == 0)) {
        int cpu = w->item[1][0] == 'c';

        if (arg_num(c, r, "estimator_ops", w, 2, &v) < 0)
            return CS_EPARSE;
        v = cs_vpa_hist_percentile(cpu ? &x->ct.a.cpu : &x->ct.a.mem, v);
        /* CPUAmountFromCores / MemoryAmountFromBytes: truncated */
        v = fmin(cpu ? v * 1000.0 : v, (double)CS_VPA_MAX_AMOUNT);
        cs_conf_vres_int(g, v > 0.0 ? (int64_t)v : 0);
    } else if (strcmp(op, "confidence") == 0) {
        if (arg_dur(c, r, "estimator_ops", w, 1, &iv) < 0)
            return CS_EPARSE;
        cs_conf_vres_num(g, cs_vpa_confidence(&x->ct.a, iv));
    } else if (strcmp(op, "scale") == 0 || strcmp(op, "factor") == 0) {
        return escale(c, r, x, w, g);
    } else if (strcmp(op, "margin") == 0) {
        if (arg_int(c, r, w, 1, &a) < 0 ||
            arg_num(c, r, "estimator_ops", w, 2, &v) < 0)
            return CS_EPARSE;
        if (a < 0 || a > CS_VPA_MAX_AMOUNT)
            return cs_conf_bad(c, r,
                               "estimator_ops: margin of %lld, not an "
                               "amount in [0, 1e14]",
                               (long long)a);
        cs_conf_vres_int(g, cs_vpa_margin(a, v));
    } else if (strcmp(op, "atleast") == 0) {
        if (arg_int(c, r, w, 1, &a) < 0 || arg_int(c, r, w, 2, &b) < 0)
            return CS_EPARSE;
        cs_conf_vres_int(g, a > b ? a : b);
    } else if (strcmp(op, "podmin") == 0 || strcmp(op, "podfloor") == 0) {
        int f = op[3] == 'f';

        if (arg_int(c, r, w, 1, &n) < 0 ||
            (f && (arg_int(c, r, w, 2, &a) < 0 || arg_int(c, r, w, 3, &b))))
            return CS_EPARSE;
        cs_vpa_pod_min(&x->ct.cfg, (int)(n > 0 && n < 1000 ? n : 1), &iv, &n);
        cs_conf_vres_int(g, f && a > iv ? a : iv);
        cs_conf_vres_int(g, f && b > n ? b : n);
    } else if (strcmp(op, "estimate") == 0) {
        struct cs_vpa_bounds cb, mb;

        if (w->n > 1 && arg_int(c, r, w, 1, &n) < 0)
            return CS_EPARSE;
        cs_vpa_estimate(&x->ct.a, &x->ct.cfg, (int)(n > 0 && n < 1000 ? n : 1),
                        &cb, &mb);
        bounds_words(&cb, g);
        bounds_words(&mb, g);
    } else if (strcmp(op, "controlled") == 0) {
        return econtrolled(c, r, w, g);
    } else {
        *done = 0;
    }
    return 0;
}

/* plain: the aggregate's histograms without decay (must come first). */
static int eplain(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  struct erow *x)
{
    if (x->started)
        return cs_conf_bad(c, r, "estimator_ops: 'plain' must come first");
    cs_vpa_agg_fini(&x->ct.a);
    x->ct.cfg.cpu_half_life = x->ct.cfg.mem_half_life = 0;
    if (cs_vpa_agg_init(&x->ct.a, &x->ct.co, &x->ct.mo, &x->ct.cfg) < 0)
        return cs_conf_nomem(c, r);
    x->started = 1;
    return 0;
}

static int estep(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 void *state, const struct cs_conf_list *w, const char *text)
{
    struct erow *x = state;
    struct cs_conf_vres g = {.len = 0};
    const char *op = w->item[0];
    double v, wt;
    int done, rc = echeck(c, r, x, w, &g, &done);

    if (rc < 0 || done)
        return rc < 0 ? rc : cs_conf_vsteps_check(c, r, &x->k, text, &g);
    if (strcmp(op, "plain") == 0)
        return eplain(c, r, x);
    if (strcmp(op, "cpu") == 0 || strcmp(op, "mem") == 0)
        return esamples(c, r, x, w);
    if (strcmp(op, "hcpu") == 0 || strcmp(op, "hmem") == 0) {
        if (arg_num(c, r, "estimator_ops", w, 1, &v) < 0 ||
            arg_num(c, r, "estimator_ops", w, 2, &wt) < 0)
            return CS_EPARSE;
        cs_vpa_hist_add(op[1] == 'c' ? &x->ct.a.cpu : &x->ct.a.mem, v, wt,
                        CS_CONF_VPA_T0);
        x->started = 1;
        return 0;
    }
    return cs_conf_bad(c, r, "estimator_ops: unknown step '%s'", text);
}

int cs_conf_eval_vpa_estimator(struct cs_conf_ctx *c,
                               const struct cs_conf_row *r)
{
    struct erow *x = calloc(1, sizeof(*x));
    int rc;

    if (x == NULL || cs_conf_vctr_init(&x->ct) < 0) {
        free(x);
        return cs_conf_nomem(c, r);
    }
    rc = cs_conf_vsteps_init(c, r, &x->k);
    if (rc == 0)
        rc = run_steps(c, r, "estimator_ops", estep, x);
    if (rc == 0)
        rc = cs_conf_vsteps_done(c, r, &x->k);
    cs_conf_vsteps_fini(&x->k);
    cs_vpa_agg_fini(&x->ct.a);
    free(x);
    return rc;
}
