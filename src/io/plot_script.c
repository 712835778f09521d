/*
 * plot_script.c - plot.gp from the embedded templates (see plot_int.h and
 * plots/README.md for the template syntax).
 *
 * The script is plots/header.gp once, then for each drawn workload
 * figure.gp, the panels that have data (panel-load.gp, panel-cpu.gp,
 * panel-vpa.gp, panel-pending.gp, panel-latency.gp, panel-nodes.gp) and
 * figure-end.gp.
 * Everything the templates need is a template variable; a variable used as
 * a condition (#@if NAME) is true when it is not empty, so a missing HPA
 * target is TARGET = "" and its dashed line disappears from the script.
 *
 * Strings reach gnuplot as single-quoted literals ('it''s'): inside them
 * gnuplot expands neither backslashes, nor @macros, nor `backquotes`, so a
 * workload or scenario name cannot run a command.
 */
#include "io/plot_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 8            /* nesting of #@if */
#define TIME_HOURS_AFTER 10800 /* s: longer runs are shown in hours */
#define NPANELS 6              /* panel templates, in figure order */
#define MIB 1048576.0          /* bytes */

void cs_plot_vars_set(struct cs_plot_vars *v, const char *name, const char *fmt,
                      ...)
{
    va_list ap;
    char *s;
    size_t i;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s == NULL) {
        v->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    for (i = 0; i < v->n && strcmp(v->name[i], name) != 0; i++)
        ;
    if (i == CS_PLOT_VARS_MAX) {
        free(s);
        v->oom = 1; /* a programming error; reported as a failure */
        return;
    }
    if (i == v->n) {
        v->name[v->n++] = name;
    } else {
        free(v->value[i]);
    }
    v->value[i] = s;
}

void cs_plot_vars_fini(struct cs_plot_vars *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->value[i]);
    memset(v, 0, sizeof(*v));
}

static const char *var_get(const struct cs_plot_vars *v, const char *name,
                           size_t len)
{
    for (size_t i = 0; i < v->n; i++)
        if (strlen(v->name[i]) == len && memcmp(v->name[i], name, len) == 0)
            return v->value[i];
    return NULL;
}

/* Template expansion state, for messages. */
struct expand {
    const char *tmpl; /* template name */
    int line;         /* 1-based */
    struct cs_err *err;
};

static int fail(const struct expand *x, const char *what, const char *s,
                size_t n)
{
    char path[64];

    snprintf(path, sizeof(path), "plots/%s", x->tmpl);
    return cs_err_set(x->err, CS_EINVAL, path, x->line, 0, "%s '%.*s'", what,
                      (int)n, s);
}

/* Evaluate "NAME !NAME ..." (all must hold) after "#@if". */
static int condition(const struct expand *x, const char *s, const char *end,
                     const struct cs_plot_vars *v, int *truth)
{
    *truth = 1;
    while (s < end) {
        const char *w, *val;
        int neg = 0;

        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        if (s == end)
            break;
        if (*s == '!') {
            neg = 1;
            s++;
        }
        for (w = s; s < end && *s != ' ' && *s != '\t'; s++)
            ;
        if ((val = var_get(v, w, (size_t)(s - w))) == NULL)
            return fail(x, "unknown variable", w, (size_t)(s - w));
        if ((val[0] != '\0') == neg)
            *truth = 0;
    }
    return 0;
}

/* Remove the ", \" ending the last line of out (the last plot item). */
static int end_plot(const struct expand *x, struct cs_outbuf *out)
{
    static const char tail[] = ", \\\n";
    size_t n = sizeof(tail) - 1;

    if (out->len < n || memcmp(out->data + out->len - n, tail, n) != 0)
        return fail(x, "#@endplot without a plot item before it", "", 0);
    out->len -= n;
    cs_outbuf_putc(out, '\n');
    return 0;
}

/* Append line s[0..n) (without its '\n') with @NAME@ replaced. */
static int subst(const struct expand *x, struct cs_outbuf *out, const char *s,
                 size_t n, const struct cs_plot_vars *v)
{
    const char *end = s + n;

    while (s < end) {
        const char *at = memchr(s, '@', (size_t)(end - s)), *close, *val;

        if (at == NULL) {
            cs_outbuf_put(out, s, (size_t)(end - s));
            break;
        }
        cs_outbuf_put(out, s, (size_t)(at - s));
        close = memchr(at + 1, '@', (size_t)(end - at - 1));
        if (close == NULL)
            return fail(x, "unmatched", "@", 1);
        if (close == at + 1) {
            cs_outbuf_putc(out, '@'); /* "@@" */
        } else if ((val = var_get(v, at + 1, (size_t)(close - at - 1))) ==
                   NULL) {
            return fail(x, "unknown variable", at + 1,
                        (size_t)(close - at - 1));
        } else {
            cs_outbuf_puts(out, val);
        }
        s = close + 1;
    }
    cs_outbuf_putc(out, '\n');
    return 0;
}

static const struct cs_plot_tmpl *tmpl_find(const char *name)
{
    for (const struct cs_plot_tmpl *t = cs_plot_tmpls; t->name != NULL; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

/* Apply directive s[0..n) ("if ...", "endif"...) to the #@if stack. */
static int directive(struct expand *x, struct cs_outbuf *out, const char *s,
                     size_t n, const struct cs_plot_vars *v, int *on,
                     int *depth)
{
    int truth;

    if (n >= 3 && memcmp(s, "if ", 3) == 0) {
        if (*depth == DEPTH_MAX)
            return fail(x, "#@if nested too deeply", "", 0);
        if (condition(x, s + 3, s + n, v, &truth) < 0)
            return CS_EINVAL;
        on[*depth + 1] = on[*depth] && truth;
        (*depth)++;
    } else if (n == 4 && memcmp(s, "else", 4) == 0) {
        if (*depth == 0)
            return fail(x, "#@else without #@if", "", 0);
        on[*depth] = on[*depth - 1] && !on[*depth];
    } else if (n == 5 && memcmp(s, "endif", 5) == 0) {
        if (*depth == 0)
            return fail(x, "#@endif without #@if", "", 0);
        (*depth)--;
    } else if (n == 7 && memcmp(s, "endplot", 7) == 0) {
        if (on[*depth])
            return end_plot(x, out);
    } else {
        return fail(x, "unknown directive", s, n);
    }
    return 0;
}

int cs_plot_expand(struct cs_outbuf *out, const char *name,
                   const struct cs_plot_vars *v, struct cs_err *err)
{
    const struct cs_plot_tmpl *t = tmpl_find(name);
    struct expand x = {name, 0, err};
    int on[DEPTH_MAX + 1] = {1}, depth = 0;
    const char *s, *end;

    if (t == NULL)
        return fail(&x, "no such template", name, strlen(name));
    if (v->oom)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    for (s = t->text, end = t->text + t->len; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s)), *d = s;
        size_t n = (size_t)((nl ? nl : end) - s);
        int rc = 0;

        x.line++;
        while (d < s + n && (*d == ' ' || *d == '\t'))
            d++;
        if ((size_t)(s + n - d) >= 2 && d[0] == '#' && d[1] == '@')
            rc = directive(&x, out, d + 2, (size_t)(s + n - d - 2), v, on,
                           &depth);
        else if (on[depth])
            rc = subst(&x, out, s, n, v);
        if (rc < 0)
            return rc;
        s += n + 1;
    }
    if (depth != 0)
        return fail(&x, "#@if without #@endif", "", 0);
    if (out->err)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

/* name as a gnuplot single-quoted string literal; control bytes (only in
 * a title) become spaces. */
static void set_literal(struct cs_plot_vars *v, const char *var, const char *a,
                        const char *sep, const char *b)
{
    struct cs_outbuf q;
    const char *parts[3] = {a, sep, b};

    cs_outbuf_init(&q, 64);
    cs_outbuf_putc(&q, '\'');
    for (int i = 0; i < 3; i++)
        for (const char *s = parts[i]; s != NULL && *s; s++) {
            if (*s == '\'')
                cs_outbuf_putc(&q, '\'');
            cs_outbuf_putc(&q, (unsigned char)*s < 0x20 ? ' ' : *s);
        }
    cs_outbuf_putc(&q, '\'');
    if (q.err)
        v->oom = 1;
    else
        cs_plot_vars_set(v, var, "%s", cs_outbuf_str(&q));
    cs_outbuf_fini(&q);
}

/* Axis of whole numbers up to max: a tic step of 1, 2 or 5 x 10^k giving
 * at most 6 intervals, and a top one step above the largest multiple of
 * the step <= max, so the highest line is never drawn on the border. */
static void count_axis(struct cs_plot_vars *v, const char *ymax,
                       const char *step, int seen, double max)
{
    double s = 1;

    if (!seen || !(max > 0))
        max = 0;
    for (double k = 1; max / s > 6; k *= 10)
        s = max / k <= 6 ? k : max / (2 * k) <= 6 ? 2 * k : 5 * k;
    cs_plot_vars_set(v, ymax, "%.15g", (floor(max / s) + 1) * s);
    cs_plot_vars_set(v, step, "%.15g", s);
}

/* Upper end of a continuous axis whose data reach max: the first "round"
 * number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k) at least 10% above
 * it, so the highest value, an HPA target or an SLO never lies on the
 * border; 1 when the data are all 0 (an empty range draws a warning). */
static double round_top(int seen, double max)
{
    static const double steps[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
    double want, p;
    size_t i;

    if (!seen || !(max > 0) || !isfinite(max))
        return 1;
    want = max * 1.1;
    p = pow(10, floor(log10(want)));
    for (i = 0; i + 1 < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] * p >= want * (1 - 1e-12))
            break;
    return steps[i] * p;
}

static void cont_axis(struct cs_plot_vars *v, const char *ymax, int seen,
                      double max)
{
    cs_plot_vars_set(v, ymax, "%.6g", round_top(seen, max));
}

/* A column's presence as a condition: in the file and valued for w. */
static int has(const struct cs_plot_plan *p, const struct cs_plot_wl *w,
               enum cs_plot_col c)
{
    return p->col[c] >= 0 && w->seen[c];
}

/* Whether w's figure has the VPA panel: a VPA target for CPU or memory. */
static int has_vpa(const struct cs_plot_plan *p, const struct cs_plot_wl *w)
{
    return has(p, w, CS_PLOT_VPA_CPU) || has(p, w, CS_PLOT_VPA_MEM);
}

static void flag(struct cs_plot_vars *v, const char *name, int on)
{
    cs_plot_vars_set(v, name, "%s", on ? "1" : "");
}

static void header_vars(struct cs_plot_vars *v, const struct cs_plot_plan *p)
{
    int hours = p->tmax - p->tmin > TIME_HOURS_AFTER;
    struct cs_outbuf pools;
    size_t i;

    cs_plot_vars_set(v, "VERSION", "%s", CAPSIM_VERSION);
    cs_plot_vars_set(v, "TSCALE", "%d", hours ? 3600 : 60);
    cs_plot_vars_set(v, "TUNIT", "%s", hours ? "h" : "min");
    cs_plot_vars_set(v, "TUNIT_NAME", "%s", hours ? "hours" : "minutes");
    cs_plot_vars_set(v, "TMIN", "%.15g", p->tmin);
    /* one sample: an empty time range would only draw a warning */
    cs_plot_vars_set(v, "TMAX", "%.15g",
                     p->tmax > p->tmin ? p->tmax : p->tmin + 60);
    cs_plot_vars_set(v, "WIDTH", "%d", p->width_px);
    cs_plot_vars_set(v, "HEIGHT", "%d", p->height_px);
    cs_plot_vars_set(v, "NODES", "%s", p->has_nodes ? "1" : "");
    for (i = 0; i < p->nsel && !has_vpa(p, &p->wl[p->sel[i]]); i++)
        ;
    flag(v, "VPA", i < p->nsel); /* a figure has the VPA panel */
    cs_plot_vars_set(v, "NPOOLS", "%zu", p->npools);
    cs_outbuf_init(&pools, 64);
    for (i = 0; i < p->npools; i++) {
        struct cs_plot_vars one = {0};

        set_literal(&one, "P", p->pools[i], NULL, NULL);
        if (one.oom)
            v->oom = 1;
        else
            cs_outbuf_puts(&pools, i ? ", " : "");
        if (!one.oom)
            cs_outbuf_puts(&pools, one.value[0]);
        cs_plot_vars_fini(&one);
    }
    if (pools.err)
        v->oom = 1;
    cs_plot_vars_set(v, "POOLS", "%s", cs_outbuf_str(&pools));
    cs_outbuf_fini(&pools);
}

/* x in gnuplot syntax, or "" when unknown (NaN). */
static void number_or_empty(struct cs_plot_vars *v, const char *name, double x)
{
    if (isnan(x))
        cs_plot_vars_set(v, name, "%s", "");
    else
        cs_plot_vars_set(v, name, "%.6g", x);
}

/* The VPA panel's: shown when the workload has a VPA target for CPU or
 * memory (vpa_cpu_target_m, vpa_memory_target_bytes: empty without one);
 * each resource with a target gets its target and the pods' mean request
 * (a request no VPA sets is of no interest here). CPU is on the left axis
 * and memory on the right, or on the left when it is alone. OOM kills are
 * marked when oom_kills grew. Returns whether the panel is drawn. */
static int vpa_vars(struct cs_plot_vars *v, const struct cs_plot_plan *p,
                    const struct cs_plot_wl *w)
{
    int cpu = has(p, w, CS_PLOT_VPA_CPU), mem = has(p, w, CS_PLOT_VPA_MEM);
    int oom = has_vpa(p, w) && has(p, w, CS_PLOT_OOM) &&
              w->max[CS_PLOT_OOM] > w->min[CS_PLOT_OOM];
    int cpu_req = cpu && has(p, w, CS_PLOT_CPU_REQUEST);
    int mem_req = mem && has(p, w, CS_PLOT_MEM_REQUEST);
    double cpu_max = fmax(cpu ? w->max[CS_PLOT_VPA_CPU] : 0,
                          cpu_req ? w->max[CS_PLOT_CPU_REQUEST] : 0);
    double mem_max = fmax(mem ? w->max[CS_PLOT_VPA_MEM] : 0,
                          mem_req ? w->max[CS_PLOT_MEM_REQUEST] : 0) /
                     MIB;

    flag(v, "VPA_CPU", cpu);
    flag(v, "VPA_MEM", mem);
    flag(v, "CPU_REQUEST", cpu_req);
    flag(v, "MEM_REQUEST", mem_req);
    flag(v, "OOM", oom);
    /* kills counted at the first sample are not the run's to mark */
    cs_plot_vars_set(v, "OOM_FROM", "%.15g", oom ? w->min[CS_PLOT_OOM] : 0);
    cs_plot_vars_set(v, "OOM_TOTAL", "%.15g",
                     oom ? w->max[CS_PLOT_OOM] - w->min[CS_PLOT_OOM] : 0);
    cont_axis(v, "VPA_CPU_YMAX", 1, cpu_max);
    cont_axis(v, "VPA_MEM_YMAX", 1, mem_max);
    cs_plot_vars_set(v, "MEM_AXES", "%s", cpu ? "x1y2" : "x1y1");
    /* OOM kills reach the top of the left axis */
    cs_plot_vars_set(v, "OOM_TOP", "%.6g",
                     round_top(1, cpu ? cpu_max : mem_max));
    return cpu || mem;
}

/* Variables of one figure; *panels gets which panels it has. */
static void figure_vars(struct cs_plot_vars *v, const struct cs_plot_plan *p,
                        const struct cs_plot_wl *w, int panels[NPANELS])
{
    static const enum cs_plot_col repl[] = {CS_PLOT_READY, CS_PLOT_DESIRED,
                                            CS_PLOT_DEMAND};
    double rmax = 0;
    int rseen = 0, n = 0;

    set_literal(v, "WL", w->name, NULL, NULL);
    cs_plot_vars_set(v, "WL_COMMENT", "%s", w->name);
    set_literal(v, "OUT", w->stem, NULL, NULL);
    set_literal(v, "TITLE", p->title, p->title[0] ? ": " : "", w->name);
    flag(v, "RPS", has(p, w, CS_PLOT_RPS));
    flag(v, "READY", has(p, w, CS_PLOT_READY));
    flag(v, "DESIRED", has(p, w, CS_PLOT_DESIRED));
    flag(v, "DEMAND", has(p, w, CS_PLOT_DEMAND));
    flag(v, "LATENCY", has(p, w, CS_PLOT_LATENCY));
    flag(v, "DROPPED", has(p, w, CS_PLOT_DROPPED));
    for (size_t i = 0; i < sizeof(repl) / sizeof(repl[0]); i++)
        if (has(p, w, repl[i])) {
            rmax = rseen ? fmax(rmax, w->max[repl[i]]) : w->max[repl[i]];
            rseen = 1;
        }
    count_axis(v, "REPL_YMAX", "REPL_STEP", rseen, rmax);
    cont_axis(v, "RPS_YMAX", 1, w->max[CS_PLOT_RPS]);
    cont_axis(
        v, "CPU_YMAX", 1,
        fmax(w->max[CS_PLOT_CPU], isnan(w->target_pct) ? 0 : w->target_pct));
    count_axis(v, "PEND_YMAX", "PEND_STEP", 1, w->max[CS_PLOT_PENDING]);
    cont_axis(v, "LAT_YMAX", 1,
              fmax(has(p, w, CS_PLOT_LATENCY) ? w->max[CS_PLOT_LATENCY] : 0,
                   isnan(w->slo_ms) ? 0 : w->slo_ms));
    cont_axis(v, "DROP_YMAX", 1, w->max[CS_PLOT_DROPPED]);
    number_or_empty(v, "TARGET", w->target_pct);
    number_or_empty(v, "SLO", w->slo_ms);
    count_axis(v, "NODES_YMAX", "NODES_STEP", p->nodes_seen, p->nodes_max);
    cont_axis(v, "COST_YMAX", p->cost_seen, p->cost_max);
    flag(v, "NODE_COUNTS", p->nodes_seen);
    flag(v, "COST", p->cost_seen);

    panels[0] = rseen || has(p, w, CS_PLOT_RPS);
    panels[1] = has(p, w, CS_PLOT_CPU);
    panels[2] = vpa_vars(v, p, w);
    panels[3] = has(p, w, CS_PLOT_PENDING);
    panels[4] = has(p, w, CS_PLOT_LATENCY) || has(p, w, CS_PLOT_DROPPED);
    panels[5] = p->has_nodes;
    for (int i = 0; i < NPANELS; i++)
        n += panels[i];
    cs_plot_vars_set(v, "NPANELS", "%d", n > 0 ? n : 1);
}

int cs_plot_script(struct cs_outbuf *out, const struct cs_plot_plan *p,
                   struct cs_err *err)
{
    static const char *const panel_tmpl[NPANELS] = {
        "panel-load.gp",    "panel-cpu.gp",     "panel-vpa.gp",
        "panel-pending.gp", "panel-latency.gp", "panel-nodes.gp"};
    struct cs_plot_vars v = {0};
    int rc;

    header_vars(&v, p);
    rc = cs_plot_expand(out, "header.gp", &v, err);
    for (size_t i = 0; rc == 0 && i < p->nsel; i++) {
        int panels[NPANELS];

        figure_vars(&v, p, &p->wl[p->sel[i]], panels);
        rc = cs_plot_expand(out, "figure.gp", &v, err);
        for (int k = 0; rc == 0 && k < NPANELS; k++)
            if (panels[k])
                rc = cs_plot_expand(out, panel_tmpl[k], &v, err);
        if (rc == 0)
            rc = cs_plot_expand(out, "figure-end.gp", &v, err);
    }
    cs_plot_vars_fini(&v);
    return rc;
}
