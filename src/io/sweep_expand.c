/*
 * sweep_expand.c - the texts of a sweep's values (io/sweep.h, sweep_int.h):
 * YAML values as one line of flow YAML, the override strings of `set:`
 * maps and of each grid axis's values (step 2 of a load, sw_texts), a
 * range's values, and the random points of the sample axes.
 *
 * Flow text. A value becomes VALUE in a `--set PATH=VALUE` argument, which
 * cs_override_parse() reads with libyaml, so the text must read back as the
 * same tree (same kinds, same scalar texts, null where it was null):
 *
 *   - a null scalar is written as it is (~, null, Null, NULL), an empty
 *     one as nothing (`{k: }`, `{? : v}`), or `null` in a list;
 *   - a scalar that is a number, or matches [A-Za-z0-9_./-]+ without a
 *     leading '-' or '.' (which could start a list, `---` or `...`), is
 *     written as is, unless it was quoted and reads as null (a quoted
 *     "null" is a string);
 *   - any other scalar is double-quoted: '"' and '\' are escaped, and every
 *     character libyaml refuses raw or folds as a line break (controls,
 *     U+0085, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF) is written \xNN,
 *     \uNNNN or \UNNNNNNNN;
 *   - [a, b] and {k: v}; a key that is a collection, long or empty is
 *     written `? k: v`, since an implicit flow key must be a short scalar
 *     to libyaml.
 *
 * So the text reads back as the same tree, scalar texts included, but for
 * an empty null in a list, which reads back as `null`; keys always keep
 * their texts, so no two keys become one.
 *
 * Budget. Every byte of value text made counts against lim.max_text, so
 * that YAML aliases (a list of aliases to a large node) cannot make a small
 * file take unbounded memory: past it the load fails at the value.
 *
 * Checks. Each grid value's override string is parsed once with
 * cs_override_parse(); a range's and a sample axis's strings differ only in
 * a number the code wrote, so only the first of each is.
 */
#include "io/sweep_int.h"

#include "io/override.h"
#include "io/quantity.h"
#include "io/yfield.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Implicit flow keys longer than this (bytes of the scalar) are written
 * explicitly; libyaml gives up on simple keys past 1024 characters. */
#define LONG_KEY 200

/* ------------------------------------------------------------------------ */
/* Flow text                                                                */
/* ------------------------------------------------------------------------ */

static int null_word(const char *s)
{
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static int plain_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' ||
           c == '-';
}

/* 1 if scalar n may be written as it is: a number, or a word of
 * [A-Za-z0-9_./-] that starts with none of "-." (a '-' can start a list
 * or `---`, a '.' `...`). */
static int plain_safe(const struct cs_ynode *n)
{
    const char *s = n->str;
    double d;

    if (n->len == 0 || strlen(s) != n->len)
        return 0;
    if (n->quoted && null_word(s))
        return 0;
    if (cs_parse_double(s, &d) == 0)
        return 1;
    if (s[0] == '-' || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n->len; i++)
        if (!plain_char(s[i]))
            return 0;
    return 1;
}

/* Code point of the UTF-8 sequence at s (n > 0 bytes left); returns its
 * length, or 0 when the bytes are not UTF-8. */
static size_t utf8_get(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t k;
    uint32_t c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        k = 2, c = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        k = 3, c = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        k = 4, c = s[0] & 0x07u;
    else
        return 0;
    if (k > n)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    *cp = c;
    return k;
}

/* 1 if libyaml reads code point c raw, as itself, in a one-line
 * double-quoted scalar. */
static int raw_ok(uint32_t c)
{
    return (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\') ||
           (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029) ||
           (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

static void put_escape(struct cs_outbuf *b, uint32_t c)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[10];
    int w = c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8;

    e[0] = '\\';
    switch (c) {
    case '"':
    case '\\':
        e[1] = (char)c;
        break;
    case '\n':
        e[1] = 'n';
        break;
    case '\t':
        e[1] = 't';
        break;
    case '\r':
        e[1] = 'r';
        break;
    case 0:
        e[1] = '0';
        break;
    default:
        e[1] = w == 2 ? 'x' : w == 4 ? 'u' : 'U';
        for (int j = 0; j < w; j++)
            e[2 + j] = hex[(c >> (4 * (w - 1 - j))) & 0xF];
        cs_outbuf_put(b, e, 2 + (size_t)w);
        return;
    }
    cs_outbuf_put(b, e, 2);
}

static void put_quoted(struct cs_outbuf *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;

    cs_outbuf_putc(b, '"');
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = utf8_get(s + i, len - i, &c);

        if (k == 0) { /* not UTF-8 (libyaml never makes it): a byte */
            c = s[i];
            k = 1;
        } else if (raw_ok(c)) {
            cs_outbuf_put(b, str + i, k);
            i += k;
            continue;
        }
        put_escape(b, c);
        i += k;
    }
    cs_outbuf_putc(b, '"');
}

static int flow_check(const struct cs_outbuf *b, size_t limit)
{
    if (b->err != 0)
        return b->err;
    return b->len > limit ? CS_ELIMIT : 0;
}

/* Where a node is written: an empty null can be left out except as an
 * item of a list, where it would vanish. */
enum flow_at { AT_TOP, AT_KEY, AT_VALUE, AT_ITEM };

static int flow(struct cs_outbuf *b, const struct cs_ynode *n, size_t limit,
                enum flow_at at);

static int flow_map(struct cs_outbuf *b, const struct cs_ynode *n, size_t limit)
{
    int rc = 0;

    cs_outbuf_putc(b, '{');
    for (size_t i = 0; i < n->n && rc == 0; i++) {
        const struct cs_ynode *k = n->items[2 * i];

        if (i > 0)
            cs_outbuf_put(b, ", ", 2);
        if (k->kind != CS_Y_SCALAR || k->len > LONG_KEY ||
            (k->len == 0 && cs_ynode_is_null(k)))
            cs_outbuf_put(b, "? ", 2);
        if ((rc = flow(b, k, limit, AT_KEY)) == 0) {
            cs_outbuf_put(b, ": ", 2);
            rc = flow(b, n->items[2 * i + 1], limit, AT_VALUE);
        }
    }
    cs_outbuf_putc(b, '}');
    return rc < 0 ? rc : flow_check(b, limit);
}

static int flow(struct cs_outbuf *b, const struct cs_ynode *n, size_t limit,
                enum flow_at at)
{
    int rc = 0;

    if (n->kind == CS_Y_MAP)
        return flow_map(b, n, limit);
    if (n->kind == CS_Y_SEQ) {
        cs_outbuf_putc(b, '[');
        for (size_t i = 0; i < n->n && rc == 0; i++) {
            if (i > 0)
                cs_outbuf_put(b, ", ", 2);
            rc = flow(b, n->items[i], limit, AT_ITEM);
        }
        cs_outbuf_putc(b, ']');
        return rc < 0 ? rc : flow_check(b, limit);
    }
    if (cs_ynode_is_null(n) && n->len == 0)
        cs_outbuf_puts(b, at == AT_ITEM ? "null" : "");
    else if (cs_ynode_is_null(n) || plain_safe(n))
        cs_outbuf_put(b, n->str, n->len);
    else
        put_quoted(b, n->str, n->len);
    return flow_check(b, limit);
}

int sw_flow(struct cs_outbuf *b, const struct cs_ynode *n, size_t limit)
{
    return flow(b, n, limit, AT_TOP);
}

/* ------------------------------------------------------------------------ */
/* Override strings                                                         */
/* ------------------------------------------------------------------------ */

static int over_budget(struct sw_ld *l, const struct cs_ynode *at,
                       const char *what)
{
    return sw_fail(l, at,
                   "%s: the sweep's values add up to more than %zu MiB of "
                   "text",
                   what, l->lim.max_text >> 20);
}

/* arg must parse as an override; else its message, located at `at`. */
static int check_set(struct sw_ld *l, const char *arg,
                     const struct cs_ynode *at)
{
    struct cs_override ov;
    struct cs_err e;
    int rc;

    cs_err_clear(&e);
    rc = cs_override_parse(arg, &ov, &e);
    if (rc == CS_ENOMEM)
        return sw_nomem(l);
    if (rc < 0)
        return sw_fail(l, at, "%s", e.msg);
    cs_override_fini(&ov);
    return 0;
}

const char *sw_escape_path(struct sw_ld *l, const char *path)
{
    size_t n = strlen(path), k = 0;
    const char *out;
    char *s = malloc(2 * n + 1);

    if (s == NULL) {
        sw_nomem(l);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (path[i] == '\\' && i + 1 < n) {
            s[k++] = path[i++];
        } else if (path[i] == '=' || path[i] == '\\') {
            s[k++] = '\\';
        }
        s[k++] = path[i];
    }
    out = cs_yarena_strndup(l->sw->arena, s, k);
    free(s);
    if (out == NULL)
        sw_nomem(l);
    return out;
}

int sw_value_set(struct sw_ld *l, const char *epath, const struct cs_ynode *at,
                 const struct cs_ynode *v, const char *what, const char **set,
                 const char **label)
{
    struct cs_outbuf *b = &l->buf;
    size_t plen = strlen(epath), room = l->lim.max_text - l->text;
    char *s;
    int rc;

    cs_outbuf_reset(b);
    cs_outbuf_put(b, epath, plen);
    cs_outbuf_putc(b, '=');
    rc = sw_flow(b, v, room > 0 ? room - 1 : 0);
    if (rc == CS_ELIMIT)
        return over_budget(l, v, what);
    if (rc < 0 ||
        (s = cs_yarena_strndup(l->sw->arena, b->data, b->len)) == NULL)
        return sw_nomem(l);
    l->text += b->len + 1;
    if ((rc = check_set(l, s, at)) < 0)
        return rc;
    *set = s;
    *label = v->kind == CS_Y_SCALAR ? v->str : s + plen + 1;
    return 0;
}

uint64_t sw_value_digest(const struct sw_value *v)
{
    uint64_t h = sw_fnv_str(SW_FNV_OFFSET, v->label);

    h = sw_fnv_u64(h, v->nsets);
    for (size_t i = 0; i < v->nsets; i++)
        h = sw_fnv_str(h, v->sets[i]);
    return h;
}

/* ------------------------------------------------------------------------ */
/* Overrides: `set:` maps                                                   */
/* ------------------------------------------------------------------------ */

/* The PATH: VALUE pairs of map n (absent or null: none) as override
 * strings; what names the map ("set", "axes[0].values[1].set"). */
static int ld_set_map(struct sw_ld *l, const struct cs_ynode *n,
                      const char *what, const char ***out, size_t *nout)
{
    char kw[160], vw[CS_ERR_MSG_MAX / 2];
    const char *key, *epath, *label;
    int rc;

    *out = NULL;
    *nout = 0;
    if (n == NULL || cs_ynode_is_null(n))
        return 0;
    if ((rc = cs_ynode_expect(n, CS_Y_MAP, what, l->err)) < 0)
        return rc;
    if (n->n == 0)
        return 0;
    if ((*out = sw_alloc(l, n->n * sizeof(**out))) == NULL)
        return CS_ENOMEM;
    snprintf(kw, sizeof(kw), "key in %s", what);
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];

        if ((rc = cs_yget_string(k, kw, &key, l->err)) < 0)
            return rc;
        if ((epath = sw_escape_path(l, key)) == NULL)
            return CS_ENOMEM;
        cs_ypath(vw, sizeof(vw), what, key);
        if ((rc = sw_value_set(l, epath, k, v, vw, &(*out)[i], &label)) < 0)
            return rc;
    }
    *nout = n->n;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The texts of the grid axes                                               */
/* ------------------------------------------------------------------------ */

static int ld_plain(struct sw_ld *l, struct sw_axis *a, const char *what)
{
    const char **sets = sw_alloc(l, a->nvalues * sizeof(*sets));
    char iw[112];
    int rc;

    if (sets == NULL ||
        (a->values = sw_alloc(l, a->nvalues * sizeof(*a->values))) == NULL)
        return CS_ENOMEM;
    for (size_t j = 0; j < a->nvalues; j++) {
        struct sw_value *v = &a->values[j];

        snprintf(iw, sizeof(iw), "%s.values[%zu]", what, j);
        if ((rc = sw_value_set(l, a->epath, a->path_at, a->items->items[j], iw,
                               &sets[j], &v->label)) < 0)
            return rc;
        v->sets = &sets[j];
        v->nsets = 1;
        v->digest = sw_value_digest(v);
    }
    a->max_sets = 1;
    return 0;
}

static int ld_variants(struct sw_ld *l, struct sw_axis *a, const char *what)
{
    static const char *const keys[] = {"label", "set", NULL};
    char iw[112], fw[128];
    int rc;

    if ((a->values = sw_alloc(l, a->nvalues * sizeof(*a->values))) == NULL)
        return CS_ENOMEM;
    for (size_t j = 0; j < a->nvalues; j++) {
        const struct cs_ynode *it = a->items->items[j];
        struct sw_value *v = &a->values[j];

        snprintf(iw, sizeof(iw), "%s.values[%zu]", what, j);
        if ((rc = cs_ymap_check_keys(it, keys, iw, l->err)) < 0 ||
            (rc = sw_get_text(l, cs_ymap_get(it, "label"),
                              cs_ypath(fw, sizeof(fw), iw, "label"),
                              &v->label)) < 0 ||
            (rc = ld_set_map(l, cs_ymap_get(it, "set"),
                             cs_ypath(fw, sizeof(fw), iw, "set"), &v->sets,
                             &v->nsets)) < 0)
            return rc;
        v->digest = sw_value_digest(v);
        if (v->nsets > a->max_sets)
            a->max_sets = v->nsets;
    }
    return 0;
}

int sw_texts(struct sw_ld *l, const struct cs_ynode *root)
{
    struct cs_sweep *sw = l->sw;
    char what[32];
    int rc;

    if ((rc = ld_set_map(l, cs_ymap_get(root, "set"), "set", &sw->fixed,
                         &sw->nfixed)) < 0)
        return rc;
    sw->max_sets = sw->nfixed + sw->nsample_axes;
    for (size_t i = 0; i < sw->naxes; i++) {
        struct sw_axis *a = &sw->axes[i];

        cs_ypath_index(what, sizeof(what), "axes", i);
        rc = a->kind == SW_PLAIN      ? ld_plain(l, a, what)
             : a->kind == SW_VARIANTS ? ld_variants(l, a, what)
             : a->kind == SW_RANGE    ? sw_range_expand(l, a, what)
                                      : 0;
        if (rc < 0)
            return rc;
        sw->max_sets += a->max_sets;
    }
    return sw_draw_samples(l);
}

/* ------------------------------------------------------------------------ */
/* Ranges                                                                   */
/* ------------------------------------------------------------------------ */

double sw_range_count(double from, double to, double step)
{
    return floor((to - from) / step + 1e-9) + 1;
}

/* 1 when every value of the range is an integer that a double holds
 * exactly, so that "%lld" writes it. */
static int range_integral(const struct sw_axis *a)
{
    const double lim = (double)SW_INT_LIMIT;

    return a->from == floor(a->from) && a->step == floor(a->step) &&
           fabs(a->from) <= lim && fabs(a->to) + a->step <= lim;
}

int sw_range_expand(struct sw_ld *l, struct sw_axis *a, const char *what)
{
    size_t plen = strlen(a->epath), slot = plen + SW_NUM_MAX + 2;
    size_t n = a->nvalues;
    int ints = range_integral(a);
    const char **sets;
    char *block;

    if (slot > (l->lim.max_text - l->text) / n)
        return over_budget(l, a->spec, what);
    if ((block = sw_alloc(l, n * slot)) == NULL ||
        (sets = sw_alloc(l, n * sizeof(*sets))) == NULL ||
        (a->values = sw_alloc(l, n * sizeof(*a->values))) == NULL)
        return CS_ENOMEM;
    l->text += n * slot;
    for (size_t i = 0; i < n; i++) {
        char *s = block + i * slot;
        double v = a->from + (double)i * a->step;

        if (fabs(v) < 1e-9 * a->step) /* 0, not a rounding residue */
            v = 0;
        memcpy(s, a->epath, plen);
        s[plen] = '=';
        if (ints)
            snprintf(s + plen + 1, SW_NUM_MAX + 1, "%lld", (long long)v);
        else
            snprintf(s + plen + 1, SW_NUM_MAX + 1, "%.10g", v);
        sets[i] = s;
        a->values[i].label = s + plen + 1;
        a->values[i].sets = &sets[i];
        a->values[i].nsets = 1;
        a->values[i].digest = sw_value_digest(&a->values[i]);
    }
    a->max_sets = 1;
    return check_set(l, sets[0], a->path_at);
}

/* ------------------------------------------------------------------------ */
/* Random points                                                            */
/* ------------------------------------------------------------------------ */

/* Axis a's value for uniform draw u in [0, 1) (sweep.h). */
static double draw(const struct sw_axis *a, double u)
{
    double v, w;

    if (a->log) {
        v = exp(log(a->min) + u * (log(a->max) - log(a->min)));
        if (a->integer)
            v = floor(v + 0.5);
    } else if (a->integer) {
        v = floor(a->min + u * (a->max - a->min + 1));
    } else {
        w = a->max - a->min;
        /* the same value, without overflow when the span passes DBL_MAX */
        v = isfinite(w) ? a->min + u * w : a->min * (1 - u) + a->max * u;
    }
    return v < a->min ? a->min : v > a->max ? a->max : v;
}

/* Lay out the cells: each sample axis's offset, size and label offset. */
static void cell_layout(struct cs_sweep *sw)
{
    size_t off = 0;

    for (size_t i = 0; i < sw->naxes; i++) {
        struct sw_axis *a = &sw->axes[i];

        if (a->kind != SW_SAMPLE)
            continue;
        a->label_off = strlen(a->epath) + 1;
        a->cell_size = a->label_off + SW_NUM_MAX + 1;
        a->cell_off = off;
        off += a->cell_size;
    }
    sw->cell_stride = off;
}

/* Write the cells of sample s with generator g. */
static void draw_point(struct cs_sweep *sw, size_t s, gsl_rng *g)
{
    char *base = sw->cells + s * sw->cell_stride;

    for (size_t i = 0; i < sw->naxes; i++) {
        const struct sw_axis *a = &sw->axes[i];
        char *c = base + a->cell_off;
        double v;

        if (a->kind != SW_SAMPLE)
            continue;
        v = draw(a, gsl_rng_uniform(g));
        memcpy(c, a->epath, a->label_off - 1);
        c[a->label_off - 1] = '=';
        if (a->integer)
            snprintf(c + a->label_off, SW_NUM_MAX + 1, "%lld", (long long)v);
        else
            snprintf(c + a->label_off, SW_NUM_MAX + 1, "%.6g", v);
        sw->cell_digest[s * sw->nsample_axes + a->sample_index] =
            sw_fnv_str(SW_FNV_OFFSET, c);
    }
}

int sw_draw_samples(struct sw_ld *l)
{
    struct cs_sweep *sw = l->sw;
    size_t n = sw->nsamples;
    gsl_rng *g;

    if (sw->nsample_axes == 0)
        return 0;
    cell_layout(sw);
    if (sw->cell_stride > (l->lim.max_text - l->text) / n)
        return over_budget(l, sw->samples_at, "samples");
    if ((sw->cells = sw_alloc(l, n * sw->cell_stride)) == NULL ||
        (sw->cell_digest = sw_alloc(l, n * sw->nsample_axes *
                                           sizeof(*sw->cell_digest))) == NULL)
        return CS_ENOMEM;
    l->text += n * sw->cell_stride;
    if ((g = gsl_rng_alloc(gsl_rng_mt19937)) == NULL)
        return sw_nomem(l);
    gsl_rng_set(g, (unsigned long)sw->sample_seed);
    for (size_t s = 0; s < n; s++)
        draw_point(sw, s, g);
    gsl_rng_free(g);
    for (size_t i = 0; i < sw->naxes; i++) {
        const struct sw_axis *a = &sw->axes[i];
        int rc;

        if (a->kind == SW_SAMPLE &&
            (rc = check_set(l, sw->cells + a->cell_off, a->path_at)) < 0)
            return rc;
    }
    return 0;
}
