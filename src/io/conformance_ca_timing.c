/*
 * conformance_ca_timing.c - ca_timing.csv: the derived timing checks of
 * the running cluster autoscaler (CA_VPA_TEST_VECTORS.md A10), each row a
 * whole simulation (see conformance_int.h for the contract and
 * tests/conformance/README.md for the columns).
 *
 * A row describes a small scenario by a few parameters. The evaluator
 * writes its YAML in memory, loads it (cs_scenario_load_buffer), runs it
 * into a fresh temporary directory (mkdtemp under $TMPDIR, else /tmp),
 * reads events.csv back, removes the directory, and compares the times of
 * the events of each reason the row names with the row's list. Two
 * scenario kinds:
 *
 *   scale_down         group `small`: 2 nodes of 2 CPU (min 1), and
 *                      Deployment `api` of 2-CPU pods, so a pod fills a
 *                      node. empty_at_s 0: 1 pod, the other node is empty
 *                      from the start; T > 0: 2 pods, one deleted at T (gone
 *                      by T + 1 s). Group `big` (0 nodes of 4 CPU, min 0)
 *                      alone fits Deployment `batch`, whose one 4-CPU pod
 *                      is created at scale_up_at_s: a scale-up that never
 *                      lands on the empty node.
 *   provision_failure  group `slow`: 1 node of 2 CPU (min 1) whose new
 *                      nodes never register (provisioning takes a year);
 *                      Deployment `api` of 1-CPU pods goes from 2 to 4
 *                      replicas at the start of each pending_s window and
 *                      back to 2 at its end, so one node's worth of pods
 *                      is pending during the window.
 *
 * Pods start and stop at once and every delay is a constant, so a run
 * does not depend on the seed. Nothing of a run outlives the call: the
 * directory is removed whatever happened.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/sim.h"
#include "io/conformance_int.h"
#include "io/csvread.h"
#include "io/outbuf.h"
#include "io/report.h"
#include "io/scenario.h"

#define MAX_WINDOWS 8
#define MAX_REASONS 8

enum { K_SCALE_DOWN = 1, K_PROVISION };

/* A row's scenario; times in seconds, 0 for "the flag's default". */
struct timing {
    int kind;
    int64_t scan_s, unneeded_s, provision_s;
    int64_t empty_at_s;          /* scale_down: 0 empty from the start */
    int64_t up_at_s;             /* scale_down: -1 no scale-up */
    int64_t win[MAX_WINDOWS][2]; /* provision_failure: from, to (-1 open) */
    size_t nwin;
    int64_t duration_s;
};

/* One reason's expected and observed event times. */
struct series {
    const char *reason;
    double want[CS_CONF_MAX_ITEMS];
    size_t n_want;
    char want_text[CS_CONF_TEXT];
    double got[CS_CONF_MAX_ITEMS];
    size_t n_got; /* may exceed CS_CONF_MAX_ITEMS: counted, not kept */
    char got_text[CS_CONF_TEXT];
    size_t got_len;
};

/* ---------------------------------------------------------------------- */
/* The row                                                                */
/* ---------------------------------------------------------------------- */

/* Integer column >= min; empty gives dflt. */
static int secs(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, int64_t dflt, int64_t min, int64_t *v)
{
    bool has;

    *v = dflt;
    if (cs_conf_int_col(c, r, col, v, &has) < 0)
        return CS_EPARSE;
    if (has && *v < min)
        return cs_conf_bad(c, r, "%s: must be at least %lld, got %lld", col,
                           (long long)min, (long long)*v);
    return 0;
}

/* A column the row's kind does not use must be empty: a value there would
 * be silently ignored. */
static int unused(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  const char *col, const char *kind)
{
    if (cs_conf_get(r, col)[0] != '\0')
        return cs_conf_bad(c, r, "%s: not used by kind %s", col, kind);
    return 0;
}

/* One window "FROM-TO" or "FROM-" (open: to the end of the run). */
static int window(struct cs_conf_ctx *c, const struct cs_conf_row *r, char *w,
                  int64_t *from, int64_t *to)
{
    char *dash = strchr(w, '-');

    if (dash == NULL || dash == w)
        return cs_conf_bad(c, r, "pending_s: '%s' is not FROM-TO or FROM-", w);
    *dash = '\0';
    *to = -1;
    if (cs_conf_int(c, r, "pending_s", w, from) < 0)
        return CS_EPARSE;
    if (dash[1] != '\0' && cs_conf_int(c, r, "pending_s", dash + 1, to) < 0)
        return CS_EPARSE;
    return 0;
}

/* pending_s: windows in order, not overlapping, only the last open. */
static int windows(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   struct timing *t)
{
    struct cs_conf_list l;
    int rc = cs_conf_words(c, r, cs_conf_get(r, "pending_s"), ';', &l);

    if (rc == 0 && l.n == 0)
        rc = cs_conf_bad(c, r,
                         "pending_s: a provision_failure row needs a "
                         "window");
    if (rc == 0 && l.n > MAX_WINDOWS)
        rc = cs_conf_bad(c, r, "pending_s: more than %d windows", MAX_WINDOWS);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        int64_t *w = t->win[i];
        int64_t prev = i > 0 ? t->win[i - 1][1] : 0;

        rc = window(c, r, l.item[i], &w[0], &w[1]);
        if (rc == 0 && (prev < 0 || w[0] < prev || w[0] <= 0 ||
                        (w[1] >= 0 && w[1] <= w[0])))
            rc = cs_conf_bad(c, r,
                             "pending_s: windows must start after 0, "
                             "end after they start, and follow each "
                             "other");
        t->nwin = i + 1;
    }
    cs_conf_list_fini(&l);
    return rc;
}

static int kind_columns(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct timing *t)
{
    const char *k = cs_conf_get(r, "kind");

    if (strcmp(k, "scale_down") == 0) {
        t->kind = K_SCALE_DOWN;
        if (unused(c, r, "pending_s", k) < 0 ||
            secs(c, r, "empty_at_s", 0, 0, &t->empty_at_s) < 0 ||
            secs(c, r, "scale_up_at_s", -1, 0, &t->up_at_s) < 0)
            return CS_EPARSE;
        return secs(c, r, "unneeded_time_s", 0, 1, &t->unneeded_s);
    }
    if (strcmp(k, "provision_failure") == 0) {
        t->kind = K_PROVISION;
        if (unused(c, r, "empty_at_s", k) < 0 ||
            unused(c, r, "scale_up_at_s", k) < 0 ||
            unused(c, r, "unneeded_time_s", k) < 0)
            return CS_EPARSE;
        return windows(c, r, t);
    }
    return cs_conf_bad(c, r,
                       "kind: '%s' is not scale_down or provision_failure", k);
}

static int timing_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct timing *t)
{
    memset(t, 0, sizeof(*t));
    if (kind_columns(c, r, t) < 0 ||
        secs(c, r, "scan_interval_s", 0, 1, &t->scan_s) < 0 ||
        secs(c, r, "provision_time_s", 0, 1, &t->provision_s) < 0)
        return CS_EPARSE;
    if (cs_conf_get(r, "duration_s")[0] == '\0')
        return cs_conf_bad(c, r, "duration_s: missing");
    return secs(c, r, "duration_s", 0, 1, &t->duration_s);
}

/* expected_event_times_s: "REASON T T ...; REASON ...", "none" or no
 * times for a reason that must not occur. */
static int series_parse(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct cs_conf_list *l, struct cs_conf_list *words,
                        struct series *s, size_t *n)
{
    static const char col[] = "expected_event_times_s";
    int rc = cs_conf_words(c, r, cs_conf_get(r, col), ';', l);

    *n = 0;
    if (rc == 0 && l->n > MAX_REASONS)
        rc = cs_conf_bad(c, r, "%s: more than %d reasons", col, MAX_REASONS);
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        struct series *e = &s[i];
        size_t len = 0;

        rc = cs_conf_words(c, r, l->item[i], ' ', &words[i]);
        *n = i + 1;
        if (rc < 0)
            break;
        e->reason = words[i].item[0];
        if (words[i].n - 1 > CS_CONF_MAX_ITEMS)
            rc = cs_conf_bad(c, r, "%s: more than %d times for %s", col,
                             CS_CONF_MAX_ITEMS, e->reason);
        for (size_t w = 1; rc == 0 && w < words[i].n; w++) {
            const char *x = words[i].item[w];

            if (strcmp(x, "none") == 0 && words[i].n == 2)
                continue;
            rc = cs_conf_num(c, r, col, x, &e->want[e->n_want++]);
            len += (size_t)snprintf(
                e->want_text + len,
                len < sizeof(e->want_text) ? sizeof(e->want_text) - len : 0,
                "%s%s", len ? " " : "", x);
            if (len >= sizeof(e->want_text))
                len = sizeof(e->want_text);
        }
        if (e->n_want == 0)
            snprintf(e->want_text, sizeof(e->want_text), "none");
    }
    return rc;
}

/* ---------------------------------------------------------------------- */
/* The scenario                                                           */
/* ---------------------------------------------------------------------- */

static void put_s(struct cs_outbuf *b, const char *pre, int64_t s,
                  const char *post)
{
    cs_outbuf_puts(b, pre);
    cs_outbuf_int(b, s);
    cs_outbuf_puts(b, post);
}

/* Deployment `name` of `replicas` pods of `cpu` CPUs. */
static void deployment(struct cs_outbuf *b, const char *name, int64_t replicas,
                       int cpu)
{
    cs_outbuf_puts(b, "  - apiVersion: apps/v1\n    kind: Deployment\n"
                      "    metadata: {name: ");
    cs_outbuf_puts(b, name);
    put_s(b, "}\n    spec:\n      replicas: ", replicas, "\n");
    cs_outbuf_puts(b, "      selector: {matchLabels: {app: ");
    cs_outbuf_puts(b, name);
    cs_outbuf_puts(b, "}}\n      template:\n        metadata: {labels: {app: ");
    cs_outbuf_puts(b, name);
    cs_outbuf_puts(b, "}}\n        spec:\n"
                      "          terminationGracePeriodSeconds: 5\n"
                      "          containers:\n");
    put_s(b, "            - {name: c, resources: {requests: {cpu: \"", cpu,
          "\", memory: 1Gi}}}\n");
}

static void instant(struct cs_outbuf *b, const char *name)
{
    cs_outbuf_puts(b, "  ");
    cs_outbuf_puts(b, name);
    cs_outbuf_puts(b, ": {startup: {schedule: 0s, imagePull: 0s, "
                      "containerStart: 0s, warmup: 0s, shutdown: 1s}}\n");
}

/* Scale Deployment `wl` to `replicas` at `at` seconds. */
static void scale(struct cs_outbuf *b, int *k, int64_t at, const char *wl,
                  int64_t replicas)
{
    put_s(b, "  - {name: s", (*k)++, ", at: ");
    put_s(b, "", at, "s, scale: {deployment: ");
    cs_outbuf_puts(b, wl);
    put_s(b, ", replicas: ", replicas, "}}\n");
}

/* The clusterAutoscaler block: only the flags the row sets. */
static void ca_block(struct cs_outbuf *b, const struct timing *t)
{
    const char *sep = "";

    cs_outbuf_puts(b, "clusterAutoscaler: {");
    if (t->scan_s > 0) {
        put_s(b, "scan-interval: ", t->scan_s, "s");
        sep = ", ";
    }
    if (t->unneeded_s > 0) {
        cs_outbuf_puts(b, sep);
        put_s(b, "scale-down-unneeded-time: ", t->unneeded_s, "s");
        sep = ", ";
    }
    if (t->provision_s > 0) {
        cs_outbuf_puts(b, sep);
        put_s(b, "max-node-provision-time: ", t->provision_s, "s");
    }
    cs_outbuf_puts(b, "}\n");
}

static void yaml_scale_down(struct cs_outbuf *b, const struct timing *t)
{
    int k = 0;

    cs_outbuf_puts(b, "cluster:\n  nodePools:\n"
                      "    - {name: small, nodes: 2, minSize: 1, maxSize: 5, "
                      "capacity: {cpu: 2, memory: 8Gi}, provisioning: 60s, "
                      "boot: 10s}\n"
                      "    - {name: big, nodes: 0, minSize: 0, maxSize: 5, "
                      "capacity: {cpu: 4, memory: 16Gi}, provisioning: 60s, "
                      "boot: 10s}\n");
    ca_block(b, t);
    cs_outbuf_puts(b, "manifests:\n");
    deployment(b, "api", t->empty_at_s > 0 ? 2 : 1, 2);
    deployment(b, "batch", 0, 4);
    cs_outbuf_puts(b, "workloads:\n");
    instant(b, "api");
    instant(b, "batch");
    if (t->empty_at_s > 0 || t->up_at_s >= 0)
        cs_outbuf_puts(b, "schedule:\n");
    if (t->empty_at_s > 0)
        scale(b, &k, t->empty_at_s, "api", 1);
    if (t->up_at_s >= 0)
        scale(b, &k, t->up_at_s, "batch", 1);
}

static void yaml_provision(struct cs_outbuf *b, const struct timing *t)
{
    int k = 0;

    cs_outbuf_puts(b, "cluster:\n  nodePools:\n"
                      "    - {name: slow, nodes: 1, minSize: 1, maxSize: 5, "
                      "capacity: {cpu: 2, memory: 8Gi}, provisioning: 8760h, "
                      "boot: 10s}\n");
    ca_block(b, t);
    cs_outbuf_puts(b, "manifests:\n");
    deployment(b, "api", 2, 1);
    cs_outbuf_puts(b, "workloads:\n");
    instant(b, "api");
    cs_outbuf_puts(b, "schedule:\n");
    for (size_t i = 0; i < t->nwin; i++) {
        scale(b, &k, t->win[i][0], "api", 4);
        if (t->win[i][1] >= 0)
            scale(b, &k, t->win[i][1], "api", 2);
    }
}

static void yaml_build(struct cs_outbuf *b, const struct timing *t)
{
    put_s(b, "duration: ", t->duration_s, "s\nsampleStep: 1m\n");
    if (t->kind == K_SCALE_DOWN)
        yaml_scale_down(b, t);
    else
        yaml_provision(b, t);
}

/* ---------------------------------------------------------------------- */
/* Running it                                                             */
/* ---------------------------------------------------------------------- */

/* Remove dir and the (flat) files in it; best effort. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[CS_ERR_PATH_MAX + 300];

    if (d != NULL) {
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Simulate sc with its outputs in dir; err (code returned) on failure. */
static int simulate(const struct cs_scenario *sc, const char *dir,
                    struct cs_err *err)
{
    struct cs_sim *sim = cs_sim_create(sc, sc->seed, err);
    struct cs_report *rep;
    int rc;

    if (sim == NULL)
        return CS_ENOMEM;
    rep = cs_report_create(dir, sim, err);
    if (rep == NULL) {
        cs_sim_destroy(sim);
        return CS_EIO;
    }
    sim->report = rep;
    rc = cs_sim_run(sim);
    if (rc < 0)
        *err = sim->errinfo;
    else
        rc = cs_report_commit(rep, sim, err);
    cs_report_destroy(rep);
    cs_sim_destroy(sim);
    return rc;
}

static void series_add(struct series *s, const char *text)
{
    double v = NAN;
    size_t cap = sizeof(s->got_text);

    if (s->n_got < CS_CONF_MAX_ITEMS && cs_csv_number(text, &v) == 0)
        s->got[s->n_got] = v;
    s->n_got++;
    if (s->got_len < cap)
        s->got_len +=
            (size_t)snprintf(s->got_text + s->got_len, cap - s->got_len, "%s%s",
                             s->got_len ? " " : "", text);
}

/* The times of every events.csv row whose reason a series names. */
static int read_events(const char *dir, struct series *s, size_t n,
                       struct cs_err *err)
{
    char path[CS_ERR_PATH_MAX];
    struct cs_csv_reader *rd;
    struct cs_csv_row row;
    int ct = -1, cr = -1, rc;

    if (snprintf(path, sizeof(path), "%.480s/events.csv", dir) >=
        (int)sizeof(path))
        return cs_err_set(err, CS_EIO, NULL, 0, 0, "temporary path too long");
    rd = cs_csv_open(path, err);
    if (rd == NULL)
        return CS_EIO;
    while ((rc = cs_csv_next(rd, &row, err)) > 0) {
        if (ct < 0) {
            ct = cs_csv_find(&row, "time_s");
            cr = cs_csv_find(&row, "reason");
            if (ct < 0 || cr < 0) {
                rc = cs_err_set(err, CS_EPARSE, path, row.line, 0,
                                "no time_s or reason column");
                break;
            }
            continue;
        }
        for (size_t i = 0; i < n && (size_t)cr < row.nfields; i++)
            if (strcmp(row.field[cr], s[i].reason) == 0)
                series_add(&s[i], row.field[ct]);
    }
    cs_csv_close(rd);
    return rc;
}

/* Run the row's scenario and collect the series' event times. */
static int run_row(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   const struct cs_scenario *sc, struct series *s, size_t n)
{
    const char *base = getenv("TMPDIR");
    char dir[CS_ERR_PATH_MAX];
    struct cs_err e;
    int rc;

    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    snprintf(dir, sizeof(dir), "%s/capsim-conformance-XXXXXX", base);
    if (mkdtemp(dir) == NULL)
        return cs_err_set(c->err, CS_EIO, r->path, r->line, 0,
                          "cannot create a temporary directory in %s: %s", base,
                          strerror(errno));
    cs_err_clear(&e);
    rc = simulate(sc, dir, &e);
    if (rc == 0)
        rc = read_events(dir, s, n, &e);
    remove_dir(dir);
    if (rc < 0)
        return cs_err_set(c->err, rc, r->path, r->line, 0, "simulation: %s",
                          e.msg);
    return 0;
}

static bool series_match(const struct series *s)
{
    if (s->n_got != s->n_want)
        return false;
    for (size_t i = 0; i < s->n_want; i++)
        if (!(fabs(s->got[i] - s->want[i]) < 1e-9))
            return false;
    return true;
}

/* Load the generated YAML and run it; the verdict into v. */
static int load_and_run(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct cs_outbuf *b, struct series *s, size_t n,
                        struct cs_conf_verdict *v)
{
    struct cs_scenario *sc;
    struct cs_err e;
    int rc;

    cs_err_clear(&e);
    sc = cs_scenario_load_buffer("generated scenario", cs_outbuf_str(b), b->len,
                                 ".", &e);
    if (sc == NULL)
        return cs_conf_bad(c, r, "generated scenario:%d:%d: %s", e.line, e.col,
                           e.msg);
    rc = run_row(c, r, sc, s, n);
    cs_scenario_destroy(sc);
    for (size_t i = 0; rc == 0 && i < n; i++)
        cs_conf_vadd(v, series_match(&s[i]), s[i].reason, s[i].want_text,
                     s[i].n_got ? s[i].got_text : "none");
    return rc;
}

int cs_conf_eval_ca_timing(struct cs_conf_ctx *c, const struct cs_conf_row *r)
{
    struct cs_conf_list l, words[MAX_REASONS];
    struct series *s = calloc(MAX_REASONS, sizeof(*s));
    struct cs_conf_verdict v = {.ok = true};
    struct cs_outbuf b;
    struct timing t;
    size_t n = 0;
    int rc;

    memset(words, 0, sizeof(words));
    memset(&l, 0, sizeof(l));
    cs_outbuf_init(&b, 4096);
    if (s == NULL)
        rc = cs_conf_nomem(c, r);
    else
        rc = timing_parse(c, r, &t);
    if (rc == 0)
        rc = series_parse(c, r, &l, words, s, &n);
    if (rc == 0) {
        yaml_build(&b, &t);
        rc = b.err < 0 ? cs_conf_nomem(c, r) : 0;
    }
    if (rc == 0 && n > 0)
        rc = load_and_run(c, r, &b, s, n, &v);
    if (rc == 0)
        cs_conf_vreport(c, r, &v);
    for (size_t i = 0; i < MAX_REASONS; i++)
        cs_conf_list_fini(&words[i]);
    cs_conf_list_fini(&l);
    cs_outbuf_fini(&b);
    free(s);
    return rc;
}
