/*
 * plot.c - read a run directory into a plot plan; cs_plot_write() and
 * cs_plot_make() (see plot.h; the script is built in plot_script.c and
 * rendered in plot_render.c).
 *
 * Each CSV file is streamed once (csvread.h), header first, so memory is
 * one row plus the workloads' and pools' names whatever the run's length.
 * Every column but time_s and workload (pool in nodes.csv) is optional: a
 * plan records which exist and which hold at least one value for each
 * workload, and the script leaves out the panels and lines without data.
 *
 * Invariants of a plan after cs_plot_plan_read() succeeds:
 *   1. nwl >= 1, tmin <= tmax, and every workload has a distinct name;
 *   2. sel[0..nsel) are distinct indices into wl, nsel >= 1, and the drawn
 *      workloads' stems are distinct (cs_plot_file_stem plus "-2"...);
 *   3. a drawn workload's name has no comma, double quote or control byte
 *      (gnuplot's strcol() could not match it against timeline.csv).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "io/plot.h"

#include "io/csvread.h"
#include "io/ofile.h"
#include "io/plot_int.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_MAX_LEN 4096
#define LIST_MAX 8 /* workload names listed in an "unknown workload" error */

static const char *const col_names[CS_PLOT_NCOLS] = {
    "rps",
    "ready_replicas",
    "desired_replicas",
    "demand_replicas",
    "pending_pods",
    "cpu_utilization_pct",
    "latency_p95_ms",
    "dropped_rps",
    "pod_cpu_request_m",
    "pod_memory_request_bytes",
    "vpa_cpu_target_m",
    "vpa_memory_target_bytes",
    "oom_kills",
};

void cs_plot_opts_init(struct cs_plot_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->max_workloads = CS_PLOT_MAX_WORKLOADS;
    o->width_px = 1200;
    o->height_px = 1400;
}

size_t cs_plot_file_stem(const char *name, char *buf, size_t n)
{
    static const char prefix[] = "plot-";
    size_t len = 0, i;

    for (i = 0; prefix[i] != '\0'; i++, len++)
        if (len + 1 < n)
            buf[len] = prefix[i];
    for (i = 0; name[i] != '\0' && i < 100; i++, len++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

        if (len + 1 < n)
            buf[len] = ok ? c : '_';
    }
    if (n > 0)
        buf[len < n ? len : n - 1] = '\0';
    return len;
}

/* 1 when gnuplot's strcol() returns name whole from timeline.csv. */
static int plottable(const char *name)
{
    for (const unsigned char *s = (const unsigned char *)name; *s; s++)
        if (*s == ',' || *s == '"' || *s < 0x20 || *s == 0x7f)
            return 0;
    return name[0] != '\0';
}

void cs_plot_plan_free(struct cs_plot_plan *p)
{
    for (size_t i = 0; i < p->nwl; i++)
        free(p->wl[i].name);
    for (size_t i = 0; i < p->npools; i++)
        free(p->pools[i]);
    free(p->wl);
    free(p->pools);
    free(p->sel);
    free(p->title);
    memset(p, 0, sizeof(*p));
}

static int oom(struct cs_err *err)
{
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* Index of the workload called name, trying `hint` first (rows of
 * different workloads interleave in a fixed order, so the next row is
 * usually the next workload). -1 if absent. */
static long find_wl(const struct cs_plot_plan *p, const char *name, size_t hint)
{
    if (hint < p->nwl && strcmp(p->wl[hint].name, name) == 0)
        return (long)hint;
    for (size_t i = 0; i < p->nwl; i++)
        if (strcmp(p->wl[i].name, name) == 0)
            return (long)i;
    return -1;
}

static long add_wl(struct cs_plot_plan *p, const char *name)
{
    struct cs_plot_wl *w;

    if (p->nwl == p->wl_cap) {
        size_t cap = p->wl_cap ? 2 * p->wl_cap : 16;

        w = realloc(p->wl, cap * sizeof(*w));
        if (w == NULL)
            return -1;
        p->wl = w;
        p->wl_cap = cap;
    }
    w = &p->wl[p->nwl];
    memset(w, 0, sizeof(*w));
    if ((w->name = strdup(name)) == NULL)
        return -1;
    w->target_pct = NAN;
    w->slo_ms = NAN;
    return (long)p->nwl++;
}

/* Open DIR/NAME; *r NULL and 0 when it does not exist and !required. */
static int open_csv(const char *dir, const char *name, int required,
                    struct cs_csv_reader **r, struct cs_err *err)
{
    char path[PATH_MAX_LEN];
    struct stat st;

    *r = NULL;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
        sizeof(path))
        return cs_err_set(err, CS_EINVAL, dir, 0, 0, "path too long");
    if (stat(path, &st) != 0 && errno == ENOENT) {
        if (!required)
            return 0;
        return cs_err_set(err, CS_EINVAL, dir, 0, 0,
                          "no %s here: not a capsim run directory", name);
    }
    *r = cs_csv_open(path, err);
    return *r != NULL ? 0 : CS_EINVAL;
}

/* The header row of r into *row; a file without one is malformed. */
static int read_header(struct cs_csv_reader *r, struct cs_csv_row *row,
                       const char *const *need, struct cs_err *err)
{
    int rc = cs_csv_next(r, row, err);

    if (rc == 0)
        return cs_err_set(err, CS_EINVAL, cs_csv_name(r), 0, 0,
                          "empty file: no header row");
    if (rc < 0)
        return rc == CS_ENOMEM ? rc : CS_EINVAL;
    for (; *need != NULL; need++)
        if (cs_csv_find(row, *need) < 0)
            return cs_err_set(err, CS_EINVAL, cs_csv_name(r), 1, 0,
                              "no '%s' column in the header", *need);
    return 0;
}

/* A field as a number: 1 with *v set, 0 for an empty field, or -1 (with
 * err filled) for anything else. */
static int field_number(struct cs_csv_reader *r, const struct cs_csv_row *row,
                        int col, const char *what, double *v,
                        struct cs_err *err)
{
    if (col < 0 || (size_t)col >= row->nfields || row->field[col][0] == '\0')
        return 0;
    if (cs_csv_number(row->field[col], v) == 0)
        return 1;
    cs_err_set(err, CS_EINVAL, cs_csv_name(r), row->line, 0,
               "%s is not a number: '%.40s'", what, row->field[col]);
    return -1;
}

static int timeline_row(struct cs_plot_plan *p, struct cs_csv_reader *r,
                        const struct cs_csv_row *row, int ct, int cw,
                        size_t *hint, struct cs_err *err)
{
    double t, v;
    long w;
    int rc = field_number(r, row, ct, "time_s", &t, err);

    if (rc < 0)
        return CS_EINVAL;
    if (rc == 0 || (size_t)cw >= row->nfields)
        return cs_err_set(err, CS_EINVAL, cs_csv_name(r), row->line, 0,
                          "a row needs time_s and workload");
    w = find_wl(p, row->field[cw], *hint);
    if (w < 0 && (w = add_wl(p, row->field[cw])) < 0)
        return oom(err);
    *hint = (size_t)w + 1 < p->nwl ? (size_t)w + 1 : 0;
    p->tmin = fmin(p->tmin, t);
    p->tmax = fmax(p->tmax, t);
    for (int c = 0; c < CS_PLOT_NCOLS; c++) {
        rc = field_number(r, row, p->col[c], col_names[c], &v, err);
        if (rc < 0)
            return CS_EINVAL;
        if (rc == 1) {
            struct cs_plot_wl *x = &p->wl[w];

            x->max[c] = x->seen[c] ? fmax(x->max[c], v) : v;
            x->min[c] = x->seen[c] ? fmin(x->min[c], v) : v;
            x->seen[c] = 1;
        }
    }
    return 0;
}

static int read_timeline(struct cs_plot_plan *p, const char *dir,
                         struct cs_err *err)
{
    static const char *const need[] = {"time_s", "workload", NULL};
    struct cs_csv_reader *r;
    struct cs_csv_row row;
    size_t hint = 0;
    int rc = open_csv(dir, "timeline.csv", 1, &r, err), ct, cw;

    if (rc == 0)
        rc = read_header(r, &row, need, err);
    if (rc < 0) {
        cs_csv_close(r);
        return rc;
    }
    ct = cs_csv_find(&row, "time_s");
    cw = cs_csv_find(&row, "workload");
    for (int c = 0; c < CS_PLOT_NCOLS; c++)
        p->col[c] = cs_csv_find(&row, col_names[c]);
    p->tmin = INFINITY;
    p->tmax = -INFINITY;
    while ((rc = cs_csv_next(r, &row, err)) == 1)
        if ((rc = timeline_row(p, r, &row, ct, cw, &hint, err)) < 0)
            break;
    if (rc == 0 && p->nwl == 0)
        rc = cs_err_set(err, CS_EINVAL, cs_csv_name(r), 0, 0,
                        "no rows: the run has nothing to plot");
    cs_csv_close(r);
    return rc < 0 && rc != CS_ENOMEM ? CS_EINVAL : rc;
}

/* HPA CPU targets and SLOs from summary.csv (optional, like its columns). */
static int read_summary(struct cs_plot_plan *p, const char *dir,
                        struct cs_err *err)
{
    static const char *const need[] = {"workload", NULL};
    struct cs_csv_reader *r;
    struct cs_csv_row row;
    int rc = open_csv(dir, "summary.csv", 0, &r, err), cw, ctg, cslo;

    if (rc < 0 || r == NULL)
        return rc;
    if ((rc = read_header(r, &row, need, err)) < 0) {
        cs_csv_close(r);
        return rc;
    }
    cw = cs_csv_find(&row, "workload");
    ctg = cs_csv_find(&row, "cpu_target_pct");
    cslo = cs_csv_find(&row, "slo_ms");
    while ((rc = cs_csv_next(r, &row, err)) == 1) {
        long w = (size_t)cw < row.nfields ? find_wl(p, row.field[cw], 0) : -1;
        double v;

        if (w < 0)
            continue; /* the "(all)" row, or a workload without rows */
        if ((rc = field_number(r, &row, ctg, "cpu_target_pct", &v, err)) < 0)
            break;
        if (rc == 1)
            p->wl[w].target_pct = v;
        if ((rc = field_number(r, &row, cslo, "slo_ms", &v, err)) < 0)
            break;
        if (rc == 1)
            p->wl[w].slo_ms = v;
    }
    cs_csv_close(r);
    return rc < 0 && rc != CS_ENOMEM ? CS_EINVAL : rc;
}

static int add_pool(struct cs_plot_plan *p, const char *name)
{
    for (size_t i = 0; i < p->npools; i++)
        if (strcmp(p->pools[i], name) == 0)
            return 0;
    if (p->npools == p->pools_cap) {
        size_t cap = p->pools_cap ? 2 * p->pools_cap : 8;
        char **a = realloc(p->pools, cap * sizeof(*a));

        if (a == NULL)
            return CS_ENOMEM;
        p->pools = a;
        p->pools_cap = cap;
    }
    if ((p->pools[p->npools] = strdup(name)) == NULL)
        return CS_ENOMEM;
    p->npools++;
    return 0;
}

/* One nodes.csv row; *t_prev and *cost_sum add up the pools' cost over
 * the rows of one sample time. */
static int nodes_row(struct cs_plot_plan *p, struct cs_csv_reader *r,
                     const struct cs_csv_row *row, const int col[4],
                     double *t_prev, double *cost_sum, struct cs_err *err)
{
    double t, v;
    int rc = field_number(r, row, col[0], "time_s", &t, err);

    if (rc < 0)
        return CS_EINVAL;
    if (rc == 0 || (size_t)col[1] >= row->nfields)
        return cs_err_set(err, CS_EINVAL, cs_csv_name(r), row->line, 0,
                          "a row needs time_s and pool");
    if (!plottable(row->field[col[1]]))
        return cs_err_set(err, CS_EINVAL, cs_csv_name(r), row->line, 0,
                          "pool name '%.60s' has a comma, quote or control "
                          "character, which gnuplot cannot match",
                          row->field[col[1]]);
    if (add_pool(p, row->field[col[1]]) < 0)
        return oom(err);
    if ((rc = field_number(r, row, col[2], "nodes", &v, err)) < 0)
        return CS_EINVAL;
    if (rc == 1) {
        p->nodes_max = p->nodes_seen ? fmax(p->nodes_max, v) : v;
        p->nodes_seen = 1;
    }
    if ((rc = field_number(r, row, col[3], "cost_usd_total", &v, err)) < 0)
        return CS_EINVAL;
    if (rc == 1) {
        *cost_sum = (p->cost_seen && t == *t_prev) ? *cost_sum + v : v;
        *t_prev = t;
        p->cost_max = p->cost_seen ? fmax(p->cost_max, *cost_sum) : *cost_sum;
        p->cost_seen = 1;
    }
    return 0;
}

static int read_nodes(struct cs_plot_plan *p, const char *dir,
                      struct cs_err *err)
{
    static const char *const need[] = {"time_s", "pool", NULL};
    static const char *const names[4] = {"time_s", "pool", "nodes",
                                         "cost_usd_total"};
    struct cs_csv_reader *r;
    struct cs_csv_row row;
    double t_prev = 0, cost_sum = 0;
    int rc = open_csv(dir, "nodes.csv", 0, &r, err), col[4];

    if (rc < 0 || r == NULL)
        return rc;
    if ((rc = read_header(r, &row, need, err)) < 0) {
        cs_csv_close(r);
        return rc;
    }
    for (int i = 0; i < 4; i++)
        col[i] = cs_csv_find(&row, names[i]);
    while ((rc = cs_csv_next(r, &row, err)) == 1)
        if ((rc = nodes_row(p, r, &row, col, &t_prev, &cost_sum, err)) < 0)
            break;
    cs_csv_close(r);
    p->has_nodes = rc == 0 && p->npools > 0 && (p->nodes_seen || p->cost_seen);
    return rc < 0 && rc != CS_ENOMEM ? CS_EINVAL : rc;
}

/* Give p->wl[w] a file stem no drawn workload has yet. */
static void assign_stem(struct cs_plot_plan *p, size_t w)
{
    struct cs_plot_wl *x = &p->wl[w];
    char base[CS_PLOT_STEM_MAX - 8];

    cs_plot_file_stem(x->name, base, sizeof(base));
    for (unsigned k = 1;; k++) {
        size_t i;

        if (k == 1)
            snprintf(x->stem, sizeof(x->stem), "%s", base);
        else
            snprintf(x->stem, sizeof(x->stem), "%s-%u", base, k);
        for (i = 0; i < p->nsel; i++)
            if (strcmp(p->wl[p->sel[i]].stem, x->stem) == 0)
                break;
        if (i == p->nsel)
            return;
    }
}

static int unknown_wl(const struct cs_plot_plan *p, const char *dir,
                      const char *name, struct cs_err *err)
{
    char list[CS_ERR_MSG_MAX / 2];
    size_t len = 0;

    list[0] = '\0';
    for (size_t i = 0; i < p->nwl && i < LIST_MAX && len < sizeof(list); i++)
        len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                                i ? ", " : "", p->wl[i].name);
    return cs_err_set(err, CS_EINVAL, dir, 0, 0,
                      "no workload '%s' in timeline.csv (it has: %s%s)", name,
                      list, p->nwl > LIST_MAX ? ", ..." : "");
}

static int select_wl(struct cs_plot_plan *p, const char *dir,
                     const struct cs_plot_opts *o, struct cs_err *err)
{
    size_t want = o->workloads ? o->nworkloads : p->nwl;
    size_t cap = o->max_workloads ? o->max_workloads : CS_PLOT_MAX_WORKLOADS;

    if ((p->sel = malloc((want ? want : 1) * sizeof(*p->sel))) == NULL)
        return oom(err);
    for (size_t i = 0; i < want; i++) {
        long w = o->workloads ? find_wl(p, o->workloads[i], 0) : (long)i;
        size_t j;

        if (w < 0)
            return unknown_wl(p, dir, o->workloads[i], err);
        if (!plottable(p->wl[w].name)) {
            if (o->workloads)
                return cs_err_set(
                    err, CS_EINVAL, dir, 0, 0,
                    "workload '%s' has a comma, quote or control character "
                    "in its name, which gnuplot cannot match in timeline.csv",
                    p->wl[w].name);
            p->unplottable++;
            continue;
        }
        for (j = 0; j < p->nsel && p->sel[j] != (size_t)w; j++)
            ;
        if (j < p->nsel)
            continue; /* named twice */
        if (!o->workloads && p->nsel == cap) {
            p->omitted++;
            continue;
        }
        assign_stem(p, (size_t)w);
        p->sel[p->nsel++] = (size_t)w;
    }
    if (p->nsel == 0)
        return cs_err_set(err, CS_EINVAL, dir, 0, 0,
                          "no workload in timeline.csv has a name gnuplot "
                          "can match (a comma, quote or control character)");
    return 0;
}

/* Title: o->title, or the run directory's last component. */
static int set_title(struct cs_plot_plan *p, const char *dir,
                     const struct cs_plot_opts *o)
{
    char *real;
    const char *t, *base;
    size_t len;

    if (o->title != NULL) {
        p->title = strdup(o->title);
        return p->title ? 0 : CS_ENOMEM;
    }
    real = realpath(dir, NULL);
    t = real ? real : dir;
    len = strlen(t);
    while (len > 1 && t[len - 1] == '/')
        len--;
    for (base = t + len; base > t && base[-1] != '/'; base--)
        ;
    p->title = strndup(base, (size_t)(t + len - base));
    free(real);
    return p->title ? 0 : CS_ENOMEM;
}

#ifndef NDEBUG
/* The invariants in this file's top comment; for assert(). */
static int plan_check(const struct cs_plot_plan *p)
{
    if (p->nwl == 0 || !(p->tmin <= p->tmax) || p->nsel == 0)
        return 0;
    for (size_t i = 0; i < p->nsel; i++) {
        const struct cs_plot_wl *w = &p->wl[p->sel[i]];

        if (p->sel[i] >= p->nwl || !plottable(w->name))
            return 0;
        for (size_t j = 0; j < i; j++)
            if (p->sel[j] == p->sel[i] ||
                strcmp(p->wl[p->sel[j]].stem, w->stem) == 0)
                return 0;
    }
    return 1;
}
#endif

int cs_plot_plan_read(struct cs_plot_plan *p, const char *run_dir,
                      const struct cs_plot_opts *o, struct cs_err *err)
{
    struct stat st;
    int rc;

    memset(p, 0, sizeof(*p));
    p->width_px = o->width_px > 0 ? o->width_px : 1200;
    p->height_px = o->height_px > 0 ? o->height_px : 1400;
    if (stat(run_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cs_err_set(err, CS_EINVAL, run_dir, 0, 0,
                          "no such run directory");
    rc = read_timeline(p, run_dir, err);
    if (rc == 0)
        rc = read_summary(p, run_dir, err);
    if (rc == 0)
        rc = read_nodes(p, run_dir, err);
    if (rc == 0)
        rc = select_wl(p, run_dir, o, err);
    if (rc == 0 && set_title(p, run_dir, o) < 0)
        rc = oom(err);
    if (rc < 0)
        cs_plot_plan_free(p);
    else
        assert(plan_check(p));
    return rc;
}

static int write_plan(const struct cs_plot_plan *p, const char *run_dir,
                      struct cs_err *err)
{
    struct cs_ofile f;
    int rc = cs_ofile_open(&f, run_dir, CS_PLOT_SCRIPT, err);

    if (rc < 0)
        return rc;
    rc = cs_plot_script(cs_ofile_buf(&f), p, err);
    if (rc < 0) {
        cs_ofile_abort(&f);
        return rc;
    }
    return cs_ofile_commit(&f, err);
}

int cs_plot_write(const char *run_dir, const struct cs_plot_opts *o,
                  struct cs_err *err)
{
    struct cs_plot_opts def;
    struct cs_plot_plan p;
    int rc;

    if (o == NULL) {
        cs_plot_opts_init(&def);
        o = &def;
    }
    if ((rc = cs_plot_plan_read(&p, run_dir, o, err)) < 0)
        return rc;
    rc = write_plan(&p, run_dir, err);
    cs_plot_plan_free(&p);
    return rc;
}

/* s quoted for a POSIX shell: 'it'\''s'. */
static void put_shell_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    fputc('\'', f);
}

static void print_outputs(const struct cs_plot_plan *p, const char *dir,
                          int rendered, FILE *out)
{
    const char *sep = dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/";

    if (rendered) {
        fputs("plots:", out);
        for (size_t i = 0; i < p->nsel; i++) {
            const char *s = p->wl[p->sel[i]].stem;

            fprintf(out, " %s%s%s.png %s%s%s.svg", dir, sep, s, dir, sep, s);
        }
        fprintf(out, "\nplot script: %s%s%s\n", dir, sep, CS_PLOT_SCRIPT);
        return;
    }
    fprintf(out, "plot script: %s%s%s (draw it with: cd ", dir, sep,
            CS_PLOT_SCRIPT);
    put_shell_quoted(out, dir);
    fprintf(out, " && gnuplot %s)\n", CS_PLOT_SCRIPT);
}

static void print_notes(const struct cs_plot_plan *p, const char *dir)
{
    if (p->omitted > 0) {
        fprintf(stderr,
                "capsim: note: drawing the first %zu of %zu workloads; "
                "choose with: capsim plot ",
                p->nsel, p->nsel + p->omitted + p->unplottable);
        put_shell_quoted(stderr, dir);
        fputs(" --workload NAME...\n", stderr);
    }
    if (p->unplottable > 0)
        fprintf(stderr,
                "capsim: note: %zu workload(s) not drawn: a comma, quote or "
                "control character in the name, which gnuplot cannot "
                "match\n",
                p->unplottable);
}

int cs_plot_make(const char *run_dir, const struct cs_plot_opts *o, FILE *out,
                 struct cs_err *err)
{
    struct cs_plot_opts def;
    struct cs_plot_plan p;
    int rc, rendered = 0;

    if (o == NULL) {
        cs_plot_opts_init(&def);
        o = &def;
    }
    if ((rc = cs_plot_plan_read(&p, run_dir, o, err)) < 0)
        return rc;
    print_notes(&p, run_dir);
    rc = write_plan(&p, run_dir, err);
    if (rc == 0 && !o->no_render) {
        rc = cs_plot_render(run_dir, o, err);
        rendered = rc == 0;
        if (rc == CS_PLOT_NO_GNUPLOT) {
            char buf[CS_ERR_PATH_MAX + CS_ERR_MSG_MAX + 32];

            cs_err_format(err, buf, sizeof(buf));
            fprintf(stderr, "capsim: warning: %s\n", buf);
            cs_err_clear(err);
            rc = 0;
        }
    }
    if (rc == 0 && out != NULL)
        print_outputs(&p, run_dir, rendered, out);
    cs_plot_plan_free(&p);
    return rc;
}
