/*
 * conformance_int.h - pieces shared by the conformance runner's files
 * (internal to src/io/conformance*.c; see conformance.h for the contract).
 *
 *   conformance.c             CSV reading (libcsv), shape detection, row
 *                             access, reporting, lists, pods
 *   conformance_calc.c        hpa_group_pods.csv and hpa_replica_calc.csv
 *   conformance_behavior.c    hpa_behavior.csv
 *   conformance_controller.c  hpa_controller.csv
 *   conformance_ca.c          word-list helpers of the cluster autoscaler
 *                             shapes; ca_expanders.csv, ca_backoff.csv,
 *                             ca_balance.csv
 *   conformance_ca_node.c     ca_similarity.csv, ca_utilization.csv,
 *                             ca_eligibility.csv, ca_binpacking.csv
 *   conformance_ca_timing.c   ca_timing.csv (whole simulations)
 *   conformance_vpa.c         helpers of the VPA shapes (controllers/
 *                             vpa_algo.h); vpa_histogram.csv,
 *                             vpa_estimator.csv
 *   conformance_vpa2.c        vpa_oom.csv, vpa_priority.csv,
 *                             vpa_update.csv, vpa_eviction.csv,
 *                             vpa_limits.csv
 *
 * Every evaluator returns 0 after reporting its row (pass or fail), or
 * CS_EPARSE / CS_ENOMEM with the context's error set (ca_timing rows also
 * CS_EIO, or the failed simulation's code, with "simulation: ..."); nothing
 * it allocates outlives the call.
 */
#ifndef CS_IO_CONFORMANCE_INT_H
#define CS_IO_CONFORMANCE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "controllers/hpa.h"
#include "controllers/vpa_algo.h"
#include "core/err.h"
#include "io/conformance.h"

/* "now" of every row: ages in the vectors are seconds before it. */
#define CS_CONF_NOW ((cs_time_ms)1000000 * CS_MS_PER_S)

/* One data row: values by header name. */
struct cs_conf_row {
    const char *path;
    int line;           /* 1-based line where the record starts */
    char *const *names; /* header */
    char *const *vals;  /* this row, same length */
    size_t n;
};

struct cs_conf_ctx {
    FILE *out;
    struct cs_conformance_totals *tot;
    struct cs_err *err;
};

/* Value of column `col` ("" when the header lacks it). */
const char *cs_conf_get(const struct cs_conf_row *r, const char *col);

/* Report one row or run: prints "PASS|FAIL name: expected X, got Y". */
void cs_conf_report(struct cs_conf_ctx *c, bool ok, const char *name,
                    const char *expected, const char *got);

/* Set the context's error at the row's line; returns CS_EPARSE. */
int cs_conf_bad(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Checked integer from text `s` (column `col` named in the message). */
int cs_conf_int(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, const char *s, int64_t *v);

/* Integer column: *present false (and *v untouched) when empty. */
int cs_conf_int_col(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const char *col, int64_t *v, bool *present);

/* A `sep`-separated list, items trimmed of spaces; "" gives 0 items. */
struct cs_conf_list {
    size_t n;
    char **item;
    char *buf;
};

int cs_conf_split(const char *s, char sep, struct cs_conf_list *l);
void cs_conf_list_fini(struct cs_conf_list *l);

/* Parse "age_s:value;..." into recommendations (up < 0) or scale events of
 * one direction (up = 0 down, 1 up) of st, at now - age. */
int cs_conf_history(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                    const char *col, int up, struct cs_hpa_state *st);

/* Policies "Type:value:period;..." into rules (n_policies 0 when ""). */
int cs_conf_policies(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const char *col, const char *text,
                     struct cs_hpa_rules *rules);

/* The pods of a replica_calc / controller row, from the columns
 * pod_requests, pod_usage, pod_ready, pod_phase, pod_start_age_s. */
struct cs_conf_pods {
    struct cs_hpa_pod *pods;
    size_t n;
    int64_t *extra; /* usage entries past the last pod */
    size_t n_extra;
    int64_t *values; /* every usage entry, for Object/External rows */
    size_t n_values;
};

/* Number of entries of list column `col`. */
size_t cs_conf_list_len(const struct cs_conf_row *r, const char *col);

/* Build n pods: entry i of pod_usage is pod i's sample ("-" = none), the
 * entries past n are superfluous samples, and every entry is also a metric
 * value for Object/External metrics. */
int cs_conf_pods_build(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                       size_t n, struct cs_conf_pods *p);
void cs_conf_pods_fini(struct cs_conf_pods *p);

/* One metric input over built pods. */
void cs_conf_pods_input(const struct cs_conf_pods *p,
                        struct cs_hpa_metric_input *in);

/* ---- helpers of the cluster autoscaler shapes (conformance_ca.c) ---- */

#define CS_CONF_TEXT 512     /* one report's expected or got text */
#define CS_CONF_MAX_ITEMS 64 /* entries of one list column */

/* CS_ENOMEM with the context's error set at the row. */
int cs_conf_nomem(struct cs_conf_ctx *c, const struct cs_conf_row *r);

/* cs_conf_split without empty items (runs of separators). */
int cs_conf_words(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                  const char *s, char sep, struct cs_conf_list *l);

/* Split the mutable word "key=value" in place; the key must be one of the
 * NULL-terminated `allowed` (else "COL: unknown key 'k'"). */
int cs_conf_kv(struct cs_conf_ctx *c, const struct cs_conf_row *r,
               const char *col, char *word, const char *const *allowed,
               char **key, char **val);

/* Checked quantity (milli-units) / number; errors name the column. */
int cs_conf_qty(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, const char *s, int64_t *v);
int cs_conf_num(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                const char *col, const char *s, double *v);

/* "CPU/MEM[/GPU]" quantities into v[0..3). */
int cs_conf_triple(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                   const char *col, const char *s, int64_t *v);

/* A 0/1 column; empty gives dflt. */
int cs_conf_flag(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 const char *col, int dflt, int *v);

/* got matches the expected decimal text within 5e-7 (values exact or
 * rounded to six decimals: "0.2", "2.416790"), or half a unit of the last
 * decimal when more than six are written. */
bool cs_conf_approx(const char *expected, double got);

/* The checks of one row joined into one report line. */
struct cs_conf_verdict {
    char exp[CS_CONF_TEXT], got[CS_CONF_TEXT];
    size_t ne, ng;
    bool ok; /* start true */
};

void cs_conf_vadd(struct cs_conf_verdict *v, bool ok, const char *label,
                  const char *e, const char *g);
/* Report the row ("nothing to check" fails). */
void cs_conf_vreport(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     struct cs_conf_verdict *v);
/* Add the check "integer column col == got" when col is filled. */
int cs_conf_vint(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                 struct cs_conf_verdict *v, const char *col, const char *label,
                 int64_t got);

/* ---- helpers of the VPA shapes (conformance_vpa.c) ---- */

/* t0 of every VPA row: upstream's decaying_histogram_test startTime
 * (time.Unix(1234567890, 0)); row times are offsets from it. */
#define CS_CONF_VPA_T0 ((cs_time_ms)1234567890 * CS_MS_PER_S)
#define CS_CONF_VRES_MAX 16 /* numbers in one result */

/* "[-]DURATION" (Go syntax, "0" allowed) as t0 + offset into *t. */
int cs_conf_vpa_time(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                     const char *col, const char *s, cs_time_ms *t);

/* One container's VPA state under the default configuration and
 * histogram options (vpa_estimator, vpa_oom rows). a points at co, mo and
 * cfg: the struct must not move once initialised. */
struct cs_conf_vctr {
    struct cs_vpa_config cfg;
    struct cs_vpa_hist_opts co, mo; /* CPU, memory histogram options */
    struct cs_vpa_agg a;
    struct cs_vpa_cstate s; /* the memory peak window */
};

/* Initialise *ct; 0, or CS_ENOMEM with nothing left to free. Release
 * with cs_vpa_agg_fini(&ct->a). */
int cs_conf_vctr_init(struct cs_conf_vctr *ct);

/* One computed result: space-separated tokens; numbers also kept at full
 * precision for the comparison (the text shows ten digits). */
struct cs_conf_vres {
    char text[CS_CONF_TEXT];
    size_t len;
    double num[CS_CONF_VRES_MAX];
    bool isnum[CS_CONF_VRES_MAX];
    int n;
};

void cs_conf_vres_num(struct cs_conf_vres *x, double v); /* inf: word */
void cs_conf_vres_int(struct cs_conf_vres *x, int64_t v);
void cs_conf_vres_word(struct cs_conf_vres *x, const char *w);

/* The checks of a step-language row (vpa_histogram, vpa_estimator): each
 * check step takes the next entry of the ';'-separated `expected` column.
 * Tokens compare as words, or as numbers: an integer expected token
 * exactly, any other within the row's `tolerance` (absolute; empty:
 * cs_conf_approx). */
struct cs_conf_vsteps {
    struct cs_conf_list exp;
    size_t next;
    double tol; /* < 0: cs_conf_approx */
    struct cs_conf_verdict v;
};

int cs_conf_vsteps_init(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct cs_conf_vsteps *k);
/* Compare the next expected entry with got (labelled by the step). */
int cs_conf_vsteps_check(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                         struct cs_conf_vsteps *k, const char *label,
                         const struct cs_conf_vres *got);
/* All entries used: report the row; else CS_EPARSE. Frees k either way. */
int cs_conf_vsteps_done(struct cs_conf_ctx *c, const struct cs_conf_row *r,
                        struct cs_conf_vsteps *k);
void cs_conf_vsteps_fini(struct cs_conf_vsteps *k);

/* Shape evaluators. */
int cs_conf_eval_group_pods(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_replica_calc(struct cs_conf_ctx *c,
                              const struct cs_conf_row *r);
int cs_conf_eval_behavior(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_controller(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_expanders(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_backoff(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_balance(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_similarity(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_utilization(struct cs_conf_ctx *c,
                             const struct cs_conf_row *r);
int cs_conf_eval_eligibility(struct cs_conf_ctx *c,
                             const struct cs_conf_row *r);
int cs_conf_eval_binpacking(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_ca_timing(struct cs_conf_ctx *c, const struct cs_conf_row *r);
/* conformance_vpa.c */
int cs_conf_eval_vpa_histogram(struct cs_conf_ctx *c,
                               const struct cs_conf_row *r);
int cs_conf_eval_vpa_estimator(struct cs_conf_ctx *c,
                               const struct cs_conf_row *r);
/* conformance_vpa2.c */
int cs_conf_eval_vpa_oom(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_vpa_priority(struct cs_conf_ctx *c,
                              const struct cs_conf_row *r);
int cs_conf_eval_vpa_update(struct cs_conf_ctx *c, const struct cs_conf_row *r);
int cs_conf_eval_vpa_eviction(struct cs_conf_ctx *c,
                              const struct cs_conf_row *r);
int cs_conf_eval_vpa_limits(struct cs_conf_ctx *c, const struct cs_conf_row *r);

#endif
