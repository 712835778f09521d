/*
 * sweep.c - loading a sweep file (io/sweep.h, docs/sweeps.md) and
 * describing its runs. The texts of the values (overrides, ranges, random
 * points) are made in sweep_expand.c; the structures are in sweep_int.h.
 *
 * A load goes in three steps; any of them may fail with a located message,
 * and the half-built sweep is then destroyed whole:
 *
 *   1. shape: the top-level keys, then each axis's kind, name, set path
 *      and number of values (a range's is computed, not expanded), the
 *      names, `samples:`, and the run count, checked against the limit
 *      before anything is expanded;
 *   2. texts: the fixed overrides, each grid value's label and override
 *      strings, the random points; override strings are checked by
 *      cs_override_parse() as they are made;
 *   3. the fingerprint, over every run in order.
 *
 * Runs. index = ((g * nsamples) + s) * nreps + r, where grid point g is a
 * mixed-radix number whose digits are the grid axes' value indexes, the
 * first axis most significant: axis a's value is (g / a.stride) % a.nvalues.
 * cs_sweep_run_get() is that arithmetic and pointer copies: O(naxes +
 * nsets), no allocation, and only reads the sweep.
 *
 * Fingerprint. FNV-1a 64 over the name, the column names and the fixed
 * overrides, then, for each run in order, its seed_given flag, its seed
 * (or seed offset) and, per axis in file order, its value's digest: the
 * FNV-1a of the value's label and override strings, made once per value.
 * Every string reaches the hash, NUL-terminated so that no two splits of
 * the same bytes agree, while the pass over the runs costs O(runs * naxes)
 * however long the texts are.
 *
 * Invariants (sweep_check(), asserted after a load):
 *  1. nruns = ngrid * nsamples * nreps <= the limit, each factor >= 1;
 *  2. a grid axis's stride is the product of the later grid axes' sizes,
 *     and ngrid that of all of them;
 *  3. max_sets = nfixed + the grid axes' max_sets + nsample_axes.
 */
#include "io/sweep_int.h"

#include "io/yfield.h"

#include <assert.h>
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Column names the results table uses itself. */
static const char *const reserved[] = {"run", "replication", "seed", "error",
                                       NULL};

void *sw_alloc(struct sw_ld *l, size_t n)
{
    struct cs_sweep *sw = l->sw;
    void *p;

    if (sw->nallocs == sw->allocs_cap) {
        size_t cap = sw->allocs_cap ? sw->allocs_cap * 2 : 16;
        void **a = realloc(sw->allocs, cap * sizeof(*a));

        if (a == NULL)
            goto fail;
        sw->allocs = a;
        sw->allocs_cap = cap;
    }
    if ((p = calloc(1, n ? n : 1)) == NULL)
        goto fail;
    sw->allocs[sw->nallocs++] = p;
    return p;
fail:
    sw_nomem(l);
    return NULL;
}

int sw_fail(struct sw_ld *l, const struct cs_ynode *n, const char *fmt, ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n == NULL)
        return cs_err_set(l->err, CS_EINVAL, NULL, 0, 0, "%s", msg);
    return cs_err_set(l->err, CS_EINVAL, n->file, n->line, n->col, "%s", msg);
}

int sw_nomem(struct sw_ld *l)
{
    return cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

int sw_get_text(struct sw_ld *l, const struct cs_ynode *n, const char *what,
                const char **out)
{
    int rc = cs_yget_string(n, what, out, l->err);

    if (rc == 0 && (*out)[0] == '\0')
        return sw_fail(l, n, "%s must not be empty", what);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Step 1: the shape of each axis                                           */
/* ------------------------------------------------------------------------ */

static int is_variant(const struct cs_ynode *n)
{
    return n->kind == CS_Y_MAP && cs_ymap_get(n, "label") != NULL;
}

static int ax_values(struct sw_ld *l, struct sw_axis *a, const char *what,
                     const struct cs_ynode *v)
{
    char vw[96], iw[112];
    int first, rc;

    cs_ypath(vw, sizeof(vw), what, "values");
    if ((rc = cs_ynode_expect(v, CS_Y_SEQ, vw, l->err)) < 0)
        return rc;
    if (v->n == 0)
        return sw_fail(l, v, "%s must not be empty", vw);
    first = is_variant(v->items[0]);
    for (size_t j = 1; j < v->n; j++)
        if (is_variant(v->items[j]) != first)
            return sw_fail(l, v->items[j],
                           "%s is %sa variant (label/set): every value must "
                           "be one, or none",
                           cs_ypath_index(iw, sizeof(iw), vw, j),
                           first ? "not " : "");
    a->kind = first ? SW_VARIANTS : SW_PLAIN;
    a->items = v;
    a->nvalues = v->n;
    if (a->kind == SW_PLAIN && a->path_at == NULL)
        return sw_fail(l, a->node,
                       "%s.set is required with plain values (not "
                       "label/set variants)",
                       what);
    if (a->kind == SW_VARIANTS && a->path_at != NULL)
        return sw_fail(l, a->path_at,
                       "%s.set cannot be used with variants (each sets "
                       "its own paths)",
                       what);
    if (a->kind == SW_VARIANTS && a->name == NULL)
        return sw_fail(l, a->node, "%s with variants needs a name", what);
    return 0;
}

static int ax_range(struct sw_ld *l, struct sw_axis *a, const char *what,
                    const struct cs_ynode *r)
{
    static const char *const keys[] = {"from", "to", "step", NULL};
    const struct cs_ynode *f, *t, *s;
    char rw[96], fw[112];
    double c;
    int rc;

    cs_ypath(rw, sizeof(rw), what, "range");
    if (a->path_at == NULL)
        return sw_fail(l, a->node, "%s.set is required with range", what);
    if ((rc = cs_ymap_check_keys(r, keys, rw, l->err)) < 0)
        return rc;
    if ((f = cs_ymap_require(r, "from", rw, l->err)) == NULL ||
        (t = cs_ymap_require(r, "to", rw, l->err)) == NULL ||
        (s = cs_ymap_require(r, "step", rw, l->err)) == NULL)
        return CS_EINVAL;
    if ((rc = cs_yget_double(f, cs_ypath(fw, sizeof(fw), rw, "from"), -DBL_MAX,
                             DBL_MAX, &a->from, l->err)) < 0 ||
        (rc = cs_yget_double(t, cs_ypath(fw, sizeof(fw), rw, "to"), -DBL_MAX,
                             DBL_MAX, &a->to, l->err)) < 0 ||
        (rc = cs_yget_double(s, cs_ypath(fw, sizeof(fw), rw, "step"), -DBL_MAX,
                             DBL_MAX, &a->step, l->err)) < 0)
        return rc;
    if (a->step <= 0)
        return sw_fail(l, s, "%s.step must be positive, got %g", rw, a->step);
    if (a->to < a->from)
        return sw_fail(l, t, "%s.to must not be below from", rw);
    c = sw_range_count(a->from, a->to, a->step);
    a->nvalues = c >= (double)SIZE_MAX ? SIZE_MAX : (size_t)c;
    a->kind = SW_RANGE;
    a->spec = r;
    return 0;
}

/* min or max of a sample axis: an integer within +-2^53 on an integer
 * axis, else any number. */
static int sample_bound(struct sw_ld *l, const struct sw_axis *a,
                        const struct cs_ynode *n, const char *what, double *out)
{
    int64_t i;
    int rc;

    if (!a->integer)
        return cs_yget_double(n, what, -DBL_MAX, DBL_MAX, out, l->err);
    if ((rc = cs_yget_int(n, what, -SW_INT_LIMIT, SW_INT_LIMIT, &i, l->err)) <
        0)
        return rc;
    *out = (double)i;
    return 0;
}

static int ax_sample(struct sw_ld *l, struct sw_axis *a, const char *what,
                     const struct cs_ynode *m)
{
    static const char *const keys[] = {"min", "max", "scale", "integer", NULL};
    const struct cs_ynode *lo, *hi, *v;
    const char *scale;
    char mw[96], fw[112];
    int rc;

    cs_ypath(mw, sizeof(mw), what, "sample");
    if (a->path_at == NULL)
        return sw_fail(l, a->node, "%s.set is required with sample", what);
    if ((rc = cs_ymap_check_keys(m, keys, mw, l->err)) < 0)
        return rc;
    if ((v = cs_ymap_get(m, "integer")) != NULL &&
        (rc = cs_yget_bool(v, cs_ypath(fw, sizeof(fw), mw, "integer"),
                           &a->integer, l->err)) < 0)
        return rc;
    if ((v = cs_ymap_get(m, "scale")) != NULL) {
        cs_ypath(fw, sizeof(fw), mw, "scale");
        if ((rc = cs_yget_string(v, fw, &scale, l->err)) < 0)
            return rc;
        if (strcmp(scale, "log") != 0 && strcmp(scale, "uniform") != 0)
            return sw_fail(l, v, "%s must be uniform or log, got \"%s\"", fw,
                           scale);
        a->log = strcmp(scale, "log") == 0;
    }
    if ((lo = cs_ymap_require(m, "min", mw, l->err)) == NULL ||
        (hi = cs_ymap_require(m, "max", mw, l->err)) == NULL)
        return CS_EINVAL;
    if ((rc = sample_bound(l, a, lo, cs_ypath(fw, sizeof(fw), mw, "min"),
                           &a->min)) < 0 ||
        (rc = sample_bound(l, a, hi, cs_ypath(fw, sizeof(fw), mw, "max"),
                           &a->max)) < 0)
        return rc;
    if (a->log && a->min <= 0)
        return sw_fail(l, lo, "%s.min must be positive on a log scale", mw);
    if (a->max < a->min)
        return sw_fail(l, hi, "%s.max must not be below min", mw);
    a->kind = SW_SAMPLE;
    a->spec = m;
    return 0;
}

/* Axis i: its kind, name, set path and number of values. */
static int ld_axis(struct sw_ld *l, size_t i, const struct cs_ynode *n)
{
    static const char *const keys[] = {"name",  "set",    "values",
                                       "range", "sample", NULL};
    struct sw_axis *a = &l->sw->axes[i];
    const struct cs_ynode *vals, *range, *sample, *v;
    const char *path = NULL;
    char what[32], fw[64];
    int rc;

    cs_ypath_index(what, sizeof(what), "axes", i);
    if ((rc = cs_ymap_check_keys(n, keys, what, l->err)) < 0)
        return rc;
    a->node = n;
    vals = cs_ymap_get(n, "values");
    range = cs_ymap_get(n, "range");
    sample = cs_ymap_get(n, "sample");
    if ((vals != NULL) + (range != NULL) + (sample != NULL) != 1)
        return sw_fail(l, n, "%s needs exactly one of values, range or sample",
                       what);
    if ((v = cs_ymap_get(n, "name")) != NULL) {
        if ((rc = sw_get_text(l, v, cs_ypath(fw, sizeof(fw), what, "name"),
                              &a->name)) < 0)
            return rc;
        a->name_at = v;
    }
    if ((v = cs_ymap_get(n, "set")) != NULL) {
        if ((rc = sw_get_text(l, v, cs_ypath(fw, sizeof(fw), what, "set"),
                              &path)) < 0)
            return rc;
        if ((a->epath = sw_escape_path(l, path)) == NULL)
            return CS_ENOMEM;
        a->path_at = v;
    }
    rc = vals != NULL    ? ax_values(l, a, what, vals)
         : range != NULL ? ax_range(l, a, what, range)
                         : ax_sample(l, a, what, sample);
    if (rc == 0 && a->name == NULL) {
        a->name = path;
        a->name_at = a->path_at;
    }
    return rc;
}

/* Names: unique, and none of the results table's own columns. */
static int check_names(struct sw_ld *l)
{
    const struct cs_sweep *sw = l->sw;
    char what[32];

    for (size_t i = 0; i < sw->naxes; i++) {
        const struct sw_axis *a = &sw->axes[i];

        cs_ypath_index(what, sizeof(what), "axes", i);
        for (size_t r = 0; reserved[r] != NULL; r++)
            if (strcmp(a->name, reserved[r]) == 0)
                return sw_fail(l, a->name_at, "%s.name \"%s\" is reserved",
                               what, a->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->name, sw->axes[j].name) == 0)
                return sw_fail(l, a->name_at, "%s.name \"%s\" is used twice",
                               what, a->name);
    }
    return 0;
}

static int ld_axes(struct sw_ld *l, const struct cs_ynode *axes)
{
    struct cs_sweep *sw = l->sw;
    const struct sw_axis *first_sample = NULL;
    int rc;

    if ((rc = cs_ynode_expect(axes, CS_Y_SEQ, "axes", l->err)) < 0)
        return rc;
    if (axes->n == 0)
        return sw_fail(l, axes, "axes must not be empty");
    if (axes->n > CS_SWEEP_MAX_AXES)
        return sw_fail(l, axes, "axes has %zu items; the limit is %d", axes->n,
                       CS_SWEEP_MAX_AXES);
    if ((sw->axes = sw_alloc(l, axes->n * sizeof(*sw->axes))) == NULL)
        return CS_ENOMEM;
    sw->naxes = axes->n;
    for (size_t i = 0; i < axes->n; i++) {
        struct sw_axis *a = &sw->axes[i];

        if ((rc = ld_axis(l, i, axes->items[i])) < 0)
            return rc;
        if (a->kind == SW_SAMPLE) {
            a->sample_index = sw->nsample_axes++;
            if (first_sample == NULL)
                first_sample = a;
        }
    }
    if ((rc = check_names(l)) < 0)
        return rc;
    if (first_sample != NULL && sw->samples_at == NULL)
        return sw_fail(l, first_sample->node,
                       "axes[%zu]: sample axes need `samples:` (the number "
                       "of random points)",
                       (size_t)(first_sample - sw->axes));
    if (first_sample == NULL && sw->samples_at != NULL)
        return sw_fail(l, sw->samples_at, "samples is set but no axis samples");
    return 0;
}

/* a * b, or UINT64_MAX when that does not fit. */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* The run count and the strides, refusing more runs than the limit. */
static int ld_count(struct sw_ld *l, const struct cs_ynode *root)
{
    struct cs_sweep *sw = l->sw;
    uint64_t n = 1;

    for (size_t i = sw->naxes; i-- > 0;) {
        struct sw_axis *a = &sw->axes[i];

        if (a->kind == SW_SAMPLE)
            continue;
        a->stride = (size_t)n;
        n = mul_sat(n, a->nvalues);
    }
    sw->ngrid = (size_t)n;
    n = mul_sat(mul_sat(n, sw->nsamples), sw->nreps);
    if (n == UINT64_MAX)
        return sw_fail(l, root,
                       "the sweep has more than %llu runs; the limit is %zu",
                       (unsigned long long)(UINT64_MAX - 1), l->lim.max_runs);
    if (n > l->lim.max_runs)
        return sw_fail(l, root, "the sweep has %llu runs; the limit is %zu",
                       (unsigned long long)n, l->lim.max_runs);
    sw->nruns = (size_t)n;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Step 3: the fingerprint                                                  */
/* ------------------------------------------------------------------------ */

static uint64_t fingerprint(const struct cs_sweep *sw)
{
    uint64_t dig[CS_SWEEP_MAX_AXES], h = sw_fnv_str(SW_FNV_OFFSET, sw->name);

    h = sw_fnv_u64(h, sw->naxes);
    for (size_t i = 0; i < sw->naxes; i++)
        h = sw_fnv_str(h, sw->axes[i].name);
    h = sw_fnv_u64(h, sw->nfixed);
    for (size_t i = 0; i < sw->nfixed; i++)
        h = sw_fnv_str(h, sw->fixed[i]);
    for (size_t g = 0; g < sw->ngrid; g++) {
        for (size_t s = 0; s < sw->nsamples; s++) {
            for (size_t i = 0; i < sw->naxes; i++) {
                const struct sw_axis *a = &sw->axes[i];

                dig[i] = a->kind == SW_SAMPLE
                             ? sw->cell_digest[s * sw->nsample_axes +
                                               a->sample_index]
                             : a->values[(g / a->stride) % a->nvalues].digest;
            }
            for (size_t r = 0; r < sw->nreps; r++) {
                h = sw_fnv(h, sw->seeds != NULL ? "\1" : "\0", 1);
                h = sw_fnv_u64(h, sw->seeds != NULL ? sw->seeds[r] : r);
                for (size_t i = 0; i < sw->naxes; i++)
                    h = sw_fnv_u64(h, dig[i]);
            }
        }
    }
    return h;
}

#ifndef NDEBUG
static int sweep_check(const struct cs_sweep *sw)
{
    size_t grid = 1, sets = sw->nfixed + sw->nsample_axes;

    for (size_t i = sw->naxes; i-- > 0;) {
        const struct sw_axis *a = &sw->axes[i];

        if (a->kind == SW_SAMPLE)
            continue;
        if (a->stride != grid || a->nvalues == 0)
            return 0;
        grid *= a->nvalues;
        sets += a->max_sets;
    }
    return grid == sw->ngrid && sets == sw->max_sets && sw->nsamples >= 1 &&
           sw->nreps >= 1 && sw->nruns == grid * sw->nsamples * sw->nreps;
}
#endif

/* ------------------------------------------------------------------------ */
/* The file                                                                 */
/* ------------------------------------------------------------------------ */

/* rel resolved against the directory of file (rel if absolute, or if file
 * names no directory). */
static const char *resolve(struct sw_ld *l, const char *file, const char *rel)
{
    const char *slash = strrchr(file, '/');
    size_t dn, rn = strlen(rel);
    char *p;

    if (rel[0] == '/' || slash == NULL)
        return rel;
    dn = (size_t)(slash - file) + 1;
    if ((p = sw_alloc(l, dn + rn + 1)) == NULL)
        return NULL;
    memcpy(p, file, dn);
    memcpy(p + dn, rel, rn + 1);
    return p;
}

static int ld_seeds(struct sw_ld *l, const struct cs_ynode *n)
{
    struct cs_sweep *sw = l->sw;
    uint64_t *seeds;
    char what[32];
    int64_t v;
    int rc;

    if ((rc = cs_ynode_expect(n, CS_Y_SEQ, "seeds", l->err)) < 0)
        return rc;
    if (n->n == 0)
        return sw_fail(l, n, "seeds must not be empty");
    if ((seeds = sw_alloc(l, n->n * sizeof(*seeds))) == NULL)
        return CS_ENOMEM;
    for (size_t i = 0; i < n->n; i++) {
        cs_ypath_index(what, sizeof(what), "seeds", i);
        if ((rc = cs_yget_int(n->items[i], what, 0, INT64_MAX, &v, l->err)) < 0)
            return rc;
        seeds[i] = (uint64_t)v;
    }
    sw->seeds = seeds;
    sw->nseeds = sw->nreps = n->n;
    return 0;
}

/* sweep, scenario, seed, replications or seeds, samples. */
static int ld_top(struct sw_ld *l, const struct cs_ynode *root,
                  const char *file)
{
    struct cs_sweep *sw = l->sw;
    const struct cs_ynode *v, *reps, *seeds;
    const char *rel;
    int64_t i;
    int rc;

    if ((v = cs_ymap_require(root, "sweep", "sweep", l->err)) == NULL)
        return CS_EINVAL;
    if ((rc = sw_get_text(l, v, "sweep", &sw->name)) < 0)
        return rc;
    if ((v = cs_ymap_require(root, "scenario", "sweep", l->err)) == NULL)
        return CS_EINVAL;
    if ((rc = sw_get_text(l, v, "scenario", &rel)) < 0)
        return rc;
    if ((sw->scenario = resolve(l, file, rel)) == NULL)
        return CS_ENOMEM;
    sw->sample_seed = 1;
    if ((v = cs_ymap_get(root, "seed")) != NULL) {
        if ((rc = cs_yget_int(v, "seed", 0, INT64_MAX, &i, l->err)) < 0)
            return rc;
        sw->sample_seed = (uint64_t)i;
    }
    reps = cs_ymap_get(root, "replications");
    seeds = cs_ymap_get(root, "seeds");
    sw->nreps = 1;
    if (reps != NULL && seeds != NULL)
        return sw_fail(l, seeds, "seeds and replications cannot both be set");
    if (reps != NULL) {
        if ((rc = cs_yget_int(reps, "replications", 1, INT64_MAX, &i, l->err)) <
            0)
            return rc;
        sw->nreps = (size_t)i;
    } else if (seeds != NULL && (rc = ld_seeds(l, seeds)) < 0) {
        return rc;
    }
    sw->nsamples = 1;
    if ((v = cs_ymap_get(root, "samples")) != NULL) {
        if ((rc = cs_yget_int(v, "samples", 1, INT64_MAX, &i, l->err)) < 0)
            return rc;
        sw->nsamples = (size_t)i;
        sw->samples_at = v;
    }
    return 0;
}

static int ld_sweep(struct sw_ld *l, const struct cs_ynode *root,
                    const char *file)
{
    static const char *const keys[] = {"sweep",        "scenario", "seed",
                                       "replications", "seeds",    "samples",
                                       "set",          "axes",     NULL};
    const struct cs_ynode *axes;
    int rc;

    if ((rc = cs_ynode_expect(root, CS_Y_MAP, "sweep", l->err)) < 0 ||
        (rc = cs_ymap_check_keys(root, keys, "sweep", l->err)) < 0 ||
        (rc = ld_top(l, root, file)) < 0)
        return rc;
    if ((axes = cs_ymap_require(root, "axes", "sweep", l->err)) == NULL)
        return CS_EINVAL;
    if ((rc = ld_axes(l, axes)) < 0 || (rc = ld_count(l, root)) < 0 ||
        (rc = sw_texts(l, root)) < 0)
        return rc;
    l->sw->fingerprint = fingerprint(l->sw);
    assert(sweep_check(l->sw));
    return 0;
}

int sw_load_buffer(const char *name, const char *buf, size_t len,
                   const struct sw_limits *lim, struct cs_sweep **out,
                   struct cs_err *err)
{
    struct cs_sweep *sw = calloc(1, sizeof(*sw));
    struct cs_ynode **docs = NULL;
    size_t ndocs = 0;
    struct sw_ld l;
    int rc;

    *out = NULL;
    cs_err_clear(err);
    memset(&l, 0, sizeof(l));
    if (sw == NULL || (sw->arena = cs_yarena_create()) == NULL) {
        free(sw);
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    l.sw = sw;
    l.err = err;
    l.lim = *lim;
    if (buf != NULL)
        rc = cs_yaml_load_buffer(sw->arena, name, buf, len, &docs, &ndocs, err);
    else
        rc = cs_yaml_load_file(sw->arena, name, &docs, &ndocs, err);
    if (rc == 0 && ndocs != 1)
        rc = cs_err_set(err, CS_EPARSE, name, ndocs ? docs[1]->line : 0,
                        ndocs ? docs[1]->col : 0,
                        ndocs ? "a sweep file holds one YAML document"
                              : "the sweep file is empty");
    if (rc == 0)
        rc = ld_sweep(&l, docs[0], name);
    cs_outbuf_fini(&l.buf);
    if (rc < 0) {
        cs_sweep_destroy(sw);
        return rc;
    }
    *out = sw;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                               */
/* ------------------------------------------------------------------------ */

static const struct sw_limits default_limits = {CS_SWEEP_MAX_RUNS, SW_MAX_TEXT};

int cs_sweep_load(const char *path, struct cs_sweep **out, struct cs_err *err)
{
    return sw_load_buffer(path, NULL, 0, &default_limits, out, err);
}

int cs_sweep_load_buffer(const char *name, const char *buf, size_t len,
                         struct cs_sweep **out, struct cs_err *err)
{
    return sw_load_buffer(name, buf != NULL ? buf : "", len, &default_limits,
                          out, err);
}

void cs_sweep_destroy(struct cs_sweep *sw)
{
    if (sw == NULL)
        return;
    for (size_t i = 0; i < sw->nallocs; i++)
        free(sw->allocs[i]);
    free(sw->allocs);
    cs_yarena_destroy(sw->arena);
    free(sw);
}

const char *cs_sweep_name(const struct cs_sweep *sw)
{
    return sw->name;
}

const char *cs_sweep_scenario(const struct cs_sweep *sw)
{
    return sw->scenario;
}

size_t cs_sweep_nruns(const struct cs_sweep *sw)
{
    return sw->nruns;
}

size_t cs_sweep_naxes(const struct cs_sweep *sw)
{
    return sw->naxes;
}

const char *cs_sweep_axis_name(const struct cs_sweep *sw, size_t i)
{
    assert(i < sw->naxes);
    return sw->axes[i].name;
}

uint64_t cs_sweep_fingerprint(const struct cs_sweep *sw)
{
    return sw->fingerprint;
}

int cs_sweep_run_init(const struct cs_sweep *sw, struct cs_sweep_run *run)
{
    memset(run, 0, sizeof(*run));
    run->labels = calloc(sw->naxes ? sw->naxes : 1, sizeof(*run->labels));
    run->sets = calloc(sw->max_sets ? sw->max_sets : 1, sizeof(*run->sets));
    if (run->labels == NULL || run->sets == NULL) {
        cs_sweep_run_fini(run);
        return CS_ENOMEM;
    }
    return 0;
}

void cs_sweep_run_get(const struct cs_sweep *sw, size_t index,
                      struct cs_sweep_run *run)
{
    size_t r = index % sw->nreps, t = index / sw->nreps;
    size_t s = t % sw->nsamples, g = t / sw->nsamples, k;

    assert(index < sw->nruns);
    run->index = index;
    run->replication = r + 1;
    run->seed_given = sw->seeds != NULL;
    run->seed = sw->seeds != NULL ? sw->seeds[r] : 0;
    run->seed_offset = sw->seeds != NULL ? 0 : r;
    for (k = 0; k < sw->nfixed; k++)
        run->sets[k] = sw->fixed[k];
    for (size_t i = 0; i < sw->naxes; i++) {
        const struct sw_axis *a = &sw->axes[i];
        const struct sw_value *v;
        const char *cell;

        if (a->kind == SW_SAMPLE) {
            cell = sw->cells + s * sw->cell_stride + a->cell_off;
            run->labels[i] = cell + a->label_off;
            run->sets[k++] = cell;
            continue;
        }
        v = &a->values[(g / a->stride) % a->nvalues];
        run->labels[i] = v->label;
        for (size_t j = 0; j < v->nsets; j++)
            run->sets[k++] = v->sets[j];
    }
    run->nsets = k;
}

void cs_sweep_run_fini(struct cs_sweep_run *run)
{
    free(run->labels);
    free(run->sets);
    memset(run, 0, sizeof(*run));
}
