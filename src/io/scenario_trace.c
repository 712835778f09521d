/*
 * scenario_trace.c - a `trace:` load shape (docs/load.md, docs/traces.md):
 * its options into a struct cs_trace_spec, the file resolved against the
 * scenario's directory and read through once now (cs_trace_check), so a
 * bad row is an error before the run, and a SOURCE node that streams it.
 */
#include "io/scenario_load.h"
#include "io/trace.h"

#include <stdio.h>
#include <string.h>

static int trace_seconds(struct ld *l, const struct cs_ynode *n,
                         const char *what, const char *key, double *out)
{
    cs_time_ms ms;

    if (cs_ymap_get(n, key) == NULL)
        return 0;
    if (ld_load_dur(l, n, what, key, 1, &ms) < 0)
        return CS_EINVAL;
    *out = (double)ms / 1000.0;
    return 0;
}

static int trace_interp(struct ld *l, const struct cs_ynode *n,
                        const char *what, struct cs_trace_spec *t)
{
    static const char *const names[] = {"linear", "step", "spline"};
    const struct cs_ynode *v = cs_ymap_get(n, "interpolation");
    char fp[256];
    const char *s;

    if (v == NULL)
        return 0;
    cs_ypath(fp, sizeof(fp), what, "interpolation");
    if (cs_yget_string(v, fp, &s, l->err) < 0)
        return CS_EINVAL;
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            t->interp = (enum cs_trace_interp)i;
            return 0;
        }
    return ld_fail(l, v, "%s must be step, linear or spline; got \"%s\"", fp,
                   s);
}

int ld_load_trace(struct ld *l, const struct cs_ynode *n, const char *what,
                  struct cs_load_spec **out)
{
    static const char *const keys[] = {
        "file",   "time",          "column", "arrivals",  "bucket", "window",
        "offset", "interpolation", "loop",   "timeScale", NULL};
    static const char *const wkeys[] = {"start", "end", NULL};
    struct cs_load_spec *s = ld_load_node(l, CS_LOAD_SOURCE);
    struct cs_trace_spec *t = ld_alloc(l, sizeof(*t));
    const struct cs_ynode *v, *file;
    char fp[256], wp[256];
    const char *rel;
    char *path;
    size_t len;

    if (s == NULL || t == NULL)
        return CS_ENOMEM;
    cs_trace_spec_init(t);
    if (cs_ymap_check_keys(n, keys, what, l->err) < 0)
        return CS_EINVAL;
    file = cs_ymap_require(n, "file", what, l->err);
    if (file == NULL ||
        cs_yget_string(file, cs_ypath(fp, sizeof(fp), what, "file"), &rel,
                       l->err) < 0)
        return CS_EINVAL;
    len = strlen(l->base_dir) + strlen(rel) + 2;
    if ((path = ld_alloc(l, len)) == NULL)
        return CS_ENOMEM;
    if (rel[0] == '/')
        snprintf(path, len, "%s", rel);
    else
        snprintf(path, len, "%s/%s", l->base_dir, rel);
    t->path = path;
    if (((v = cs_ymap_get(n, "time")) != NULL &&
         cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "time"),
                        &t->time_column, l->err) < 0) ||
        ((v = cs_ymap_get(n, "column")) != NULL &&
         cs_yget_string(v, cs_ypath(fp, sizeof(fp), what, "column"),
                        &t->value_column, l->err) < 0) ||
        ((v = cs_ymap_get(n, "arrivals")) != NULL &&
         cs_yget_bool(v, cs_ypath(fp, sizeof(fp), what, "arrivals"),
                      &t->arrivals, l->err) < 0) ||
        ((v = cs_ymap_get(n, "loop")) != NULL &&
         cs_yget_bool(v, cs_ypath(fp, sizeof(fp), what, "loop"), &t->loop,
                      l->err) < 0) ||
        trace_seconds(l, n, what, "bucket", &t->bucket_s) < 0 ||
        ld_load_num(l, n, what, "timeScale", 0, 1e-6, 1e6, &t->time_scale) <
            0 ||
        ld_load_instant(l, n, what, "offset", 0, &t->offset) < 0 ||
        trace_interp(l, n, what, t) < 0)
        return CS_EINVAL;
    /* arrivals are counted per bucket: a step function unless told */
    if (t->arrivals && cs_ymap_get(n, "interpolation") == NULL)
        t->interp = CS_TRACE_STEP;
    if ((v = cs_ymap_get(n, "window")) != NULL) {
        cs_ypath(wp, sizeof(wp), what, "window");
        if (cs_ymap_check_keys(v, wkeys, wp, l->err) < 0 ||
            trace_seconds(l, v, wp, "start", &t->window_start_s) < 0 ||
            trace_seconds(l, v, wp, "end", &t->window_end_s) < 0)
            return CS_EINVAL;
    }
    if (cs_trace_check(t, l->err) < 0) {
        /* a file that cannot be opened is the scenario's error */
        if (l->err->line == 0 && strstr(l->err->msg, "cannot open") != NULL)
            return ld_fail(l, file, "%s.file: cannot open %s: %s", what, path,
                           strrchr(l->err->msg, ':') != NULL
                               ? strrchr(l->err->msg, ':') + 2
                               : l->err->msg);
        return CS_EINVAL;
    }
    s->ops = &cs_trace_source;
    s->source = t;
    *out = s;
    return 0;
}
