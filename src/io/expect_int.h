/*
 * expect_int.h - what the lexer, parser and evaluator of expect.h share.
 *
 * A parsed assertion is two flat arrays owned by struct cs_expect:
 *
 *   node[]  the expression tree; children are indices into node[], the
 *           root is node[root]. Boolean nodes (EX_CMP, EX_AND, EX_OR,
 *           EX_NOT) and numeric nodes never mix: the parser checks types.
 *   leaf[]  the data references (an aggregate, a value at a time, a summary
 *           figure); an EX_LEAF node names one by index.
 *
 * Every node and leaf keeps the span of text it was parsed from, so the
 * evaluator can quote the user's own words ("max(replicas) = 4") and locate
 * errors at the right token with ex_locate().
 */
#ifndef CS_IO_EXPECT_INT_H
#define CS_IO_EXPECT_INT_H

#include <stddef.h>

#include "core/err.h"
#include "io/expect.h"

/* ---- lexer ------------------------------------------------------------ */

enum ex_tok {
    T_END,
    T_ERR, /* lexer error: see ex_lexer.msg */
    T_NUM,
    T_IDENT,
    T_WORD, /* bare filter value: only from ex_lex_value() */
    T_STR,  /* "quoted string"; only valid as a filter value */
    T_LP,
    T_RP,
    T_LB,
    T_RB,
    T_COMMA,
    T_ASSIGN, /* = */
    T_AT,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_EQ,
    T_NE,
    T_AND,
    T_OR,
    T_NOT
};

enum ex_unit { EX_U_PLAIN, EX_U_DURATION, EX_U_PERCENT };

struct ex_lexer {
    const char *s; /* the text; not owned */
    size_t len;    /* bytes */
    size_t pos;    /* next byte to lex */
    int tok;       /* enum ex_tok of the current token */
    size_t start;  /* current token's bytes: s[start..end) */
    size_t end;
    double num;    /* T_NUM: value (durations in seconds) */
    int unit;      /* T_NUM: enum ex_unit */
    char msg[160]; /* T_ERR: message; the error is at `start` */
};

void ex_lex_init(struct ex_lexer *lx, const char *s, size_t len);
/* Advance to the next token of the expression grammar. */
void ex_lex_next(struct ex_lexer *lx);
/* Advance to a filter value: a bare word (letters, digits, _ - . / :) as
 * T_WORD or a "quoted string" as T_STR; anything else is lexed as by
 * ex_lex_next(). */
void ex_lex_value(struct ex_lexer *lx);
/* The first non-blank byte at or after pos, or '\0'. */
char ex_lex_peek(const struct ex_lexer *lx);
/* A short quotation of the current token for messages ("the end of the
 * assertion" at T_END). */
void ex_lex_describe(const struct ex_lexer *lx, char *buf, size_t n);

/* ---- tree -------------------------------------------------------------- */

enum ex_kind {
    EX_NUM, /* literal */
    EX_LEAF,
    EX_NEG,
    EX_ADD,
    EX_SUB,
    EX_MUL,
    EX_DIV,
    EX_CMP, /* op: enum ex_cmp */
    EX_AND,
    EX_OR,
    EX_NOT
};

enum ex_cmp { EX_LT, EX_LE, EX_GT, EX_GE, EX_EQ, EX_NE };

enum ex_func {
    EX_F_MAX,
    EX_F_MIN,
    EX_F_MEAN,
    EX_F_SUM,
    EX_F_COUNT,
    EX_F_FIRST,
    EX_F_LAST,
    EX_F_P50,
    EX_F_P90,
    EX_F_P95,
    EX_F_P99,
    EX_F_AT,
    EX_F_NFUNC,           /* functions a user can call end here */
    EX_F_REF = EX_F_NFUNC /* a bare summary figure: cost_usd, x[web] */
};

/* Filter keys: string columns, then the time window. */
enum ex_key {
    EX_K_WORKLOAD,
    EX_K_POOL,
    EX_K_KIND,
    EX_K_OBJECT,
    EX_K_REASON,
    EX_K_NSTRING,
    EX_K_ROW = EX_K_NSTRING, /* name[v]: the file's key column */
    EX_K_FROM,
    EX_K_TO
};

#define EX_MAX_FILTERS 8

struct ex_span {
    size_t off, end; /* text[off..end) */
};

struct ex_filter {
    int key;             /* enum ex_key, a string key or EX_K_ROW */
    char *value;         /* owned; unescaped */
    struct ex_span span; /* key=value, or the value inside [ ] */
};

struct ex_leaf {
    int func;                /* enum ex_func */
    int at_form;             /* '@' (1) or at() (2); 0 for others */
    char *column;            /* owned */
    struct ex_span col_span; /* the column's token */
    struct ex_span span;     /* the whole reference */
    struct ex_filter filt[EX_MAX_FILTERS]; /* string filters */
    size_t nfilt;
    int has_from, has_to;
    double from_s, to_s; /* window on time_s, inclusive */
    struct ex_span from_span, to_span;
    double at_s;            /* EX_F_AT: the time */
    struct ex_span at_span; /* its token */
};

struct ex_node {
    int kind;            /* enum ex_kind */
    int op;              /* EX_CMP: enum ex_cmp */
    int a, b;            /* children (node indices) or -1 */
    int leaf;            /* EX_LEAF: leaf index */
    double num;          /* EX_NUM: value */
    struct ex_span span; /* text of the whole subexpression */
};

struct cs_expect {
    char *text; /* owned, NUL-terminated */
    size_t len;
    char *file; /* owned */
    int line, col;
    struct ex_node *node; /* owned */
    size_t nnode, capnode;
    struct ex_leaf *leaf; /* owned */
    size_t nleaf, capleaf;
    int root; /* index into node */
};

/* ---- evaluation -------------------------------------------------------- */

/* The value of one leaf after the files were read. */
struct ex_value {
    int def;         /* 1: v holds the value; 0: undefined, see why */
    double v;        /* the value */
    char why[200];   /* undefined: the reason, e.g. "no rows match
                        workload=bakend" */
    int sampled;     /* EX_F_AT: the sample used is not at the time asked */
    double sample_s; /* its time_s */
};

/* Fill r->outcome (PASS or FAIL) and r->actual from the values of e's
 * leaves (vals[i] belongs to e->leaf[i]). A comparison with an undefined
 * side is unknown; unknown propagates through not/and/or as in SQL (false
 * and unknown is false, true or unknown is true) and an assertion that is
 * not true fails. */
void ex_verdict(const struct cs_expect *e, const struct ex_value *vals,
                struct cs_expect_result *r);

/* ---- evaluation internals (expect_eval.c, expect_resolve.c) ------------- */

struct cs_csv_reader;

/* The files of a run directory, in the order names are looked up. */
enum { TB_TIMELINE, TB_NODES, TB_SUMMARY, TB_EVENTS, TB_COUNT };

extern const char *const ex_tb_name[TB_COUNT];      /* "timeline.csv" */
extern const char *const ex_tb_key[TB_COUNT];       /* x[v] selects on */
extern const char *const ex_tb_keys_word[TB_COUNT]; /* "workloads" */

/* One file: its header, and the probes fed by its rows. */
struct ex_table {
    int present;
    struct cs_csv_reader *r;
    char **col; /* owned header names */
    size_t ncol;
    int time_col, key_col;   /* -1 if absent */
    double *cache;           /* per column: parsed value of this row */
    signed char *cached;     /* per column: -1 not parsed, 0 empty, 1 value */
    size_t nrows;            /* data rows read */
    struct ex_probe **probe; /* owned array; probes are the eval's */
    size_t nprobe;
};

/* One leaf of one assertion, bound to a file and column, with the
 * accumulator its function needs. */
struct ex_probe {
    size_t ei; /* assertion index */
    const struct cs_expect *e;
    const struct ex_leaf *lf;
    int table; /* TB_*, -1 before resolve */
    int col;   /* value column; -1: count rows (count(events)) */
    int fcol[EX_MAX_FILTERS];
    int all;       /* summary: 1 only the "(all)" row, -1 all but it */
    int need_time; /* '@' or a window */
    int track_key; /* '@' without a filter on the key column */
    /* accumulators */
    size_t matched; /* rows through the filters */
    size_t n;       /* of them with a defined value */
    double sum, min, max, first, last;
    double *q; /* quantiles: the values; owned */
    size_t cap;
    int found; /* '@': a sample at or before at_s; ref: a row */
    double at_t, at_v;
    int at_def;
    char *key[2]; /* '@': the first two distinct key values; owned */
    int more_keys;
};

/* One cs_expect_eval_dir() call. */
struct ex_eval {
    const char *dir;
    struct ex_table t[TB_COUNT];
    struct ex_probe *pr; /* all probes, owned */
    size_t npr;
    struct cs_expect_result *res;
    struct cs_err *err;
};

/* 1 if name is a column of names (workload, pool, kind, object, reason,
 * message), never numbers. */
int ex_is_string_col(const char *name);

/* Index of column name in t's header, or -1 (also when t is absent). */
int ex_find_col(const struct ex_table *t, const char *name);

/* Make p's assertion an ERROR located at text offset off, unless it is one
 * already (the first error is reported). Returns -1. */
int ex_refuse(struct ex_eval *ev, struct ex_probe *p, size_t off,
              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Bind p to a file, column and filter columns (p->table, p->col, p->fcol,
 * p->all, p->need_time, p->track_key) from the headers in ev->t. Returns
 * 0, or -1 after ex_refuse() with a message naming what exists. */
int ex_resolve(struct ex_eval *ev, struct ex_probe *p);

/* Line and column of text[off] (see expect.h). */
void ex_locate(const struct cs_expect *e, size_t off, int *line, int *col);

/* Fill err with msg located at text[off]; returns code. */
int ex_error(const struct cs_expect *e, struct cs_err *err, int code,
             size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Name of a function ("p95") and of a filter key ("workload"). */
const char *ex_func_name(int func);
const char *ex_key_name(int key);

#endif
