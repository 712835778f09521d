/*
 * conformance.c - the conformance runner's reader and shared helpers (see
 * conformance.h for the contract, conformance_int.h for the file split).
 *
 * Design. The file is read whole and fed to libcsv one physical line at a
 * time, so the line counter is exact even if a quoted field spans lines.
 * libcsv calls back once per field and once per record; the record callback
 * takes the first record as the header (which fixes the shape) and hands
 * every later record to the shape's evaluator as a struct cs_conf_row. A
 * record starts on the first non-empty line fed after the previous record
 * ended. The first error stops evaluation and feeding.
 *
 * Invariants:
 *   1. reader.fields holds exactly the fields of the current record; they
 *      are freed when the record ends.
 *   2. After the first error (reader.rc < 0) nothing more is evaluated or
 *      printed.
 */
#include "io/conformance.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "io/conformance_int.h"
#include "io/quantity.h"

typedef int (*eval_fn)(struct cs_conf_ctx *c, const struct cs_conf_row *r);

struct shape {
    const char *key_column; /* a header column only this shape has */
    eval_fn eval;
};

static const struct shape shapes[] = {
    {"expected_class", cs_conf_eval_group_pods},
    {"metric_type", cs_conf_eval_replica_calc},
    {"prenormalized_desired", cs_conf_eval_behavior},
    {"expected_desired_replicas", cs_conf_eval_controller},
    {"expected_kept", cs_conf_eval_expanders},
    {"backoff_steps", cs_conf_eval_backoff},
    {"new_nodes", cs_conf_eval_balance},
    {"expected_similar", cs_conf_eval_similarity},
    {"expected_node_utilization", cs_conf_eval_utilization},
    {"expected_reason", cs_conf_eval_eligibility},
    {"expected_nodes", cs_conf_eval_binpacking},
    {"expected_event_times_s", cs_conf_eval_ca_timing},
    {"hist_ops", cs_conf_eval_vpa_histogram},
    {"estimator_ops", cs_conf_eval_vpa_estimator},
    {"expected_hist_log", cs_conf_eval_vpa_oom},
    {"expected_resource_diff", cs_conf_eval_vpa_priority},
    {"expected_updated", cs_conf_eval_vpa_update},
    {"expected_evictions", cs_conf_eval_vpa_eviction},
    {"expected_limit", cs_conf_eval_vpa_limits},
};

#define N_SHAPES (sizeof(shapes) / sizeof(shapes[0]))

struct reader {
    struct cs_conf_ctx *ctx;
    const char *path;
    int line;     /* physical line being fed */
    int rec_line; /* line where the current record started */
    bool started; /* a record has begun and not yet ended */
    char **fields;
    size_t n, cap;
    char **header;
    size_t n_header;
    eval_fn eval;
    int rc;
};

/* ---------------------------------------------------------------------- */
/* Shared helpers                                                         */
/* ---------------------------------------------------------------------- */

const char *cs_conf_get(const struct cs_conf_row *r, const char *col)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->names[i], col) == 0)
            return r->vals[i];
    return "";
}

void cs_conf_report(struct cs_conf_ctx *c, bool ok, const char *name,
                    const char *expected, const char *got)
{
    fprintf(c->out, "%s %s: expected %s, got %s\n", ok ? "PASS" : "FAIL", name,
            expected, got);
    if (ok)
        c->tot->passed++;
    else
        c->tot->failed++;
}

int cs_conf_bad(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *fmt, ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cs_err_set(c->err, CS_EPARSE, r->path, r->line, 0, "%s", msg);
}

int cs_conf_int(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, const char *s, int64_t *v)
{
    if (cs_parse_int64(s, v) < 0)
        return cs_conf_bad(c, r, "%s: '%s' is not an integer", col, s);
    return 0;
}

int cs_conf_int_col(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const char *col, int64_t *v, bool *present)
{
    const char *s = cs_conf_get(r, col);

    *present = s[0] != '\0';
    return *present ? cs_conf_int(c, r, col, s, v) : 0;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ')
        s++;
    e = s + strlen(s);
    while (e > s && e[-1] == ' ')
        *--e = '\0';
    return s;
}

int cs_conf_split(const char *s, char sep, struct cs_conf_list *l)
{
    size_t len = strlen(s), n = 1;
    char *p;

    memset(l, 0, sizeof(*l));
    if (len == 0)
        return 0;
    for (const char *q = s; *q; q++)
        n += *q == sep;
    l->buf = malloc(len + 1);
    l->item = malloc(n * sizeof(*l->item));
    if (l->buf == NULL || l->item == NULL) {
        cs_conf_list_fini(l);
        return CS_ENOMEM;
    }
    memcpy(l->buf, s, len + 1);
    p = l->buf;
    for (;;) {
        char *end = strchr(p, sep);

        if (end != NULL)
            *end = '\0';
        l->item[l->n++] = trim(p);
        if (end == NULL)
            break;
        p = end + 1;
    }
    return 0;
}

void cs_conf_list_fini(struct cs_conf_list *l)
{
    free(l->buf);
    free(l->item);
    memset(l, 0, sizeof(*l));
}

size_t cs_conf_list_len(const struct cs_conf_row *r, const char *col)
{
    const char *s = cs_conf_get(r, col);
    size_t n = 1;

    if (s[0] == '\0')
        return 0;
    for (; *s; s++)
        n += *s == ';';
    return n;
}

/* Split "a:b" into two integers. */
static int pair(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, char *item, int64_t *a, int64_t *b)
{
    char *colon = strchr(item, ':');
    int rc;

    if (colon == NULL)
        return cs_conf_bad(c, r, "%s: '%s' is not age:value", col, item);
    *colon = '\0';
    rc = cs_conf_int(c, r, col, item, a);
    return rc < 0 ? rc : cs_conf_int(c, r, col, colon + 1, b);
}

int cs_conf_history(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const char *col, int up, struct cs_hpa_state *st)
{
    struct cs_conf_list l;
    int rc = cs_conf_split(cs_conf_get(r, col), ';', &l);

    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        int64_t age, v;
        cs_time_ms t;

        rc = pair(c, r, col, l.item[i], &age, &v);
        if (rc < 0)
            break;
        t = CS_CONF_NOW - age * CS_MS_PER_S;
        if (up < 0)
            rc = cs_hpa_state_add_recommendation(st, t, (int32_t)v);
        else
            rc = cs_hpa_state_add_scale_event(st, up == 1, t, (int32_t)v);
    }
    cs_conf_list_fini(&l);
    if (rc == CS_ENOMEM)
        return cs_err_set(c->err, rc, r->path, r->line, 0, "out of memory");
    return rc;
}

int cs_conf_policies(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const char *col, const char *text,
                     struct cs_hpa_rules *rules)
{
    struct cs_conf_list l;
    int rc = cs_conf_split(text, ';', &l);

    rules->n_policies = 0;
    if (l.n > CS_HPA_MAX_POLICIES)
        rc = cs_conf_bad(c, r, "%s: more than %d policies", col,
                         CS_HPA_MAX_POLICIES);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        struct cs_hpa_policy *p = &rules->policies[i];
        char *type = l.item[i], *rest = strchr(type, ':');
        int64_t value, period;

        if (rest == NULL) {
            rc = cs_conf_bad(c, r, "%s: '%s' is not Type:value:period", col,
                             type);
            break;
        }
        *rest++ = '\0';
        if (strcmp(type, "Pods") == 0)
            p->type = CS_HPA_POLICY_PODS;
        else if (strcmp(type, "Percent") == 0)
            p->type = CS_HPA_POLICY_PERCENT;
        else
            rc = cs_conf_bad(c, r, "%s: unknown policy type '%s'", col, type);
        if (rc == 0)
            rc = pair(c, r, col, rest, &value, &period);
        if (rc == 0) {
            p->value = (int32_t)value;
            p->period_s = (int32_t)period;
            rules->n_policies++;
        }
    }
    cs_conf_list_fini(&l);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* Pods of replica_calc and controller rows                               */
/* ---------------------------------------------------------------------- */

/* Item i of a list or "" past its end. */
static const char *item(const struct cs_conf_list *l, size_t i)
{
    return i < l->n ? l->item[i] : "";
}

/* Pod i's status columns: phase, readiness, start. */
static int pod_status(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                      const char *phase, const char *ready, const char *age,
                      struct cs_hpa_pod *p)
{
    int64_t a = 86400; /* empty age = long ago: a day */

    if (phase[0] == '\0' || strcmp(phase, "Running") == 0)
        p->phase = CS_HPA_POD_RUNNING;
    else if (strcmp(phase, "Deleted") == 0)
        p->deleted = true;
    else if (strcmp(phase, "Pending") == 0)
        p->phase = CS_HPA_POD_PENDING;
    else if (strcmp(phase, "Succeeded") == 0)
        p->phase = CS_HPA_POD_SUCCEEDED;
    else if (strcmp(phase, "Failed") == 0)
        p->phase = CS_HPA_POD_FAILED;
    else
        return cs_conf_bad(c, r, "pod_phase: unknown phase '%s'", phase);
    if (strcmp(ready, "0") == 0)
        p->ready = CS_HPA_READY_FALSE;
    else if (ready[0] != '\0' && strcmp(ready, "1") != 0)
        return cs_conf_bad(c, r, "pod_ready: '%s' is not 0 or 1", ready);
    if (age[0] != '\0' && cs_conf_int(c, r, "pod_start_age_s", age, &a) < 0)
        return CS_EPARSE;
    /* The fixtures leave the Ready transition and the sample time at the
     * zero time and sample a one-minute window, so a pod younger than the
     * CPU initialization period is unready for CPU, an older one iff
     * Ready=False (README.md). */
    p->has_start = true;
    p->start = CS_CONF_NOW - a * CS_MS_PER_S;
    p->ready_transition = 0;
    p->sample_time = 0;
    p->sample_window = 60 * CS_MS_PER_S;
    return 0;
}

static int pods_alloc(struct cs_conf_pods *p, size_t n, size_t n_usage)
{
    p->pods = calloc(n ? n : 1, sizeof(*p->pods));
    p->extra = calloc(n_usage ? n_usage : 1, sizeof(*p->extra));
    p->values = calloc(n_usage ? n_usage : 1, sizeof(*p->values));
    return p->pods && p->extra && p->values ? 0 : CS_ENOMEM;
}

/* Usage entry i: a value, or "-" (no sample) when allowed. */
static int usage(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 const char *s, bool *has, int64_t *v)
{
    *has = strcmp(s, "-") != 0;
    return *has ? cs_conf_int(c, r, "pod_usage", s, v) : 0;
}

static int pods_fill(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const struct cs_conf_list *l, struct cs_conf_pods *p)
{
    const struct cs_conf_list *req = &l[0], *use = &l[1];
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        struct cs_hpa_pod *pod = &p->pods[i];

        rc = pod_status(c, r, item(&l[3], i), item(&l[2], i), item(&l[4], i),
                        pod);
        pod->has_request = i < req->n && req->item[i][0] != '\0';
        if (rc == 0 && pod->has_request)
            rc = cs_conf_int(c, r, "pod_requests", req->item[i], &pod->request);
        if (rc == 0 && i < use->n)
            rc = usage(c, r, use->item[i], &pod->has_sample, &pod->sample);
    }
    for (size_t i = 0; rc == 0 && i < use->n; i++) {
        bool has;
        int64_t v = 0;

        rc = usage(c, r, use->item[i], &has, &v);
        if (has)
            p->values[p->n_values++] = v;
        if (rc == 0 && i >= p->n && has)
            p->extra[p->n_extra++] = v;
    }
    return rc;
}

int cs_conf_pods_build(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       size_t n, struct cs_conf_pods *p)
{
    static const char *const cols[5] = {"pod_requests", "pod_usage",
                                        "pod_ready", "pod_phase",
                                        "pod_start_age_s"};
    struct cs_conf_list l[5];
    int rc = 0;

    memset(p, 0, sizeof(*p));
    memset(l, 0, sizeof(l));
    for (size_t k = 0; rc == 0 && k < 5; k++)
        rc = cs_conf_split(cs_conf_get(r, cols[k]), ';', &l[k]);
    if (rc == 0)
        rc = pods_alloc(p, n, l[1].n);
    if (rc == 0) {
        p->n = n;
        rc = pods_fill(c, r, l, p);
    }
    for (size_t k = 0; k < 5; k++)
        cs_conf_list_fini(&l[k]);
    if (rc == CS_ENOMEM)
        cs_err_set(c->err, rc, r->path, r->line, 0, "out of memory");
    if (rc < 0)
        cs_conf_pods_fini(p);
    return rc;
}

void cs_conf_pods_fini(struct cs_conf_pods *p)
{
    free(p->pods);
    free(p->extra);
    free(p->values);
    memset(p, 0, sizeof(*p));
}

void cs_conf_pods_input(const struct cs_conf_pods *p,
                        struct cs_hpa_metric_input *in)
{
    memset(in, 0, sizeof(*in));
    in->pods = p->pods;
    in->n_pods = p->n;
    in->extra_samples = p->extra;
    in->n_extra = p->n_extra;
    in->values = p->values;
    in->n_values = p->n_values;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                */
/* ---------------------------------------------------------------------- */

static void free_fields(struct reader *rd)
{
    for (size_t i = 0; i < rd->n; i++)
        free(rd->fields[i]);
    rd->n = 0;
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *rd = data;
    char *f;

    if (rd->rc < 0)
        return;
    if (rd->n == rd->cap) {
        size_t ncap = rd->cap ? rd->cap * 2 : 32;
        char **p = realloc(rd->fields, ncap * sizeof(*p));

        if (p == NULL) {
            rd->rc = cs_err_set(rd->ctx->err, CS_ENOMEM, rd->path, rd->line, 0,
                                "out of memory");
            return;
        }
        rd->fields = p;
        rd->cap = ncap;
    }
    f = malloc(len + 1);
    if (f == NULL) {
        rd->rc = cs_err_set(rd->ctx->err, CS_ENOMEM, rd->path, rd->line, 0,
                            "out of memory");
        return;
    }
    if (len > 0)
        memcpy(f, s, len);
    f[len] = '\0';
    rd->fields[rd->n++] = f;
}

/* The unknown-header error, naming every shape's key column. */
static void unknown_header(struct reader *rd)
{
    char cols[CS_ERR_MSG_MAX];
    size_t len = 0;

    cols[0] = '\0';
    for (size_t s = 0; s < N_SHAPES && len < sizeof(cols); s++)
        len += (size_t)snprintf(cols + len, sizeof(cols) - len, "%s%s",
                                s ? ", " : "", shapes[s].key_column);
    rd->rc = cs_err_set(rd->ctx->err, CS_EPARSE, rd->path, rd->rec_line, 0,
                        "unrecognised header: a vector file has one of the "
                        "key columns %s",
                        cols);
}

/* The header fixes the shape. Takes ownership of the fields. */
static void take_header(struct reader *rd)
{
    for (size_t s = 0; s < N_SHAPES; s++)
        for (size_t i = 0; i < rd->n; i++)
            if (strcmp(rd->fields[i], shapes[s].key_column) == 0)
                rd->eval = shapes[s].eval;
    if (rd->eval == NULL) {
        unknown_header(rd);
        return;
    }
    rd->header = rd->fields;
    rd->n_header = rd->n;
    rd->fields = NULL;
    rd->n = rd->cap = 0;
}

static void on_record(int term, void *data)
{
    struct reader *rd = data;
    struct cs_conf_row row;

    (void)term;
    if (rd->rc == 0 && rd->header == NULL) {
        take_header(rd);
    } else if (rd->rc == 0 && rd->n != rd->n_header) {
        rd->rc =
            cs_err_set(rd->ctx->err, CS_EPARSE, rd->path, rd->rec_line, 0,
                       "expected %zu fields, got %zu", rd->n_header, rd->n);
    } else if (rd->rc == 0) {
        row = (struct cs_conf_row){rd->path, rd->rec_line, rd->header,
                                   rd->fields, rd->n};
        rd->rc = rd->eval(rd->ctx, &row);
    }
    free_fields(rd);
    rd->started = false;
}

static int read_all(const char *path, char **buf, size_t *len,
                    struct cs_err *err)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 65536, n = 0, got;
    char *b;

    if (f == NULL)
        return cs_err_set(err, CS_EIO, path, 0, 0, "cannot open: %s",
                          strerror(errno));
    b = malloc(cap);
    if (b == NULL) {
        fclose(f);
        return cs_err_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
    }
    while ((got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(b, cap * 2);

            if (nb == NULL) {
                free(b);
                fclose(f);
                return cs_err_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
            }
            b = nb;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        free(b);
        fclose(f);
        return cs_err_set(err, CS_EIO, path, 0, 0, "read error");
    }
    fclose(f);
    *buf = b;
    *len = n;
    return 0;
}

static void feed(struct reader *rd, struct csv_parser *p, const char *buf,
                 size_t len)
{
    size_t off = 0;

    while (off < len && rd->rc == 0) {
        const char *nl = memchr(buf + off, '\n', len - off);
        size_t chunk = nl ? (size_t)(nl - (buf + off)) + 1 : len - off;

        rd->line++;
        /* libcsv skips empty lines; any other line outside a record (a
         * quoted field may span lines) starts the next one. */
        if (!rd->started && strspn(buf + off, "\r\n") < chunk) {
            rd->started = true;
            rd->rec_line = rd->line;
        }
        if (csv_parse(p, buf + off, chunk, on_field, on_record, rd) != chunk)
            rd->rc = cs_err_set(rd->ctx->err, CS_EPARSE, rd->path, rd->line, 0,
                                "CSV syntax: %s", csv_strerror(csv_error(p)));
        off += chunk;
    }
    if (rd->rc == 0 && csv_fini(p, on_field, on_record, rd) != 0)
        rd->rc = cs_err_set(rd->ctx->err, CS_EPARSE, rd->path, rd->line, 0,
                            "CSV syntax: %s", csv_strerror(csv_error(p)));
}

int cs_conformance_run_file(const char *path, FILE *out,
                            struct cs_conformance_totals *tot,
                            struct cs_err *err)
{
    struct cs_conf_ctx ctx = {out, tot, err};
    struct reader rd = {.ctx = &ctx, .path = path};
    struct csv_parser p;
    char *buf = NULL;
    size_t len = 0;
    int rc = read_all(path, &buf, &len, err);

    if (rc < 0)
        return rc;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        free(buf);
        return cs_err_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
    }
    feed(&rd, &p, buf, len);
    csv_free(&p);
    free(buf);
    free_fields(&rd);
    free(rd.fields);
    for (size_t i = 0; i < rd.n_header; i++)
        free(rd.header[i]);
    free(rd.header);
    if (rd.rc == 0 && rd.eval == NULL)
        rd.rc = cs_err_set(err, CS_EPARSE, path, 1, 0, "empty file");
    return rd.rc;
}
