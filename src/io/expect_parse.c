/*
 * expect_parse.c - recursive-descent parser of assertions (see expect.h).
 *
 * One function per grammar rule of docs/expectations.md, lowest precedence
 * first:
 *
 *     assertion  = or_expr END
 *     or_expr    = and_expr { "or" and_expr }
 *     and_expr   = not_expr { "and" not_expr }
 *     not_expr   = "not" not_expr | comparison
 *     comparison = sum [ cmp_op sum ]
 *     sum        = term { ("+" | "-") term }
 *     term       = unary { ("*" | "/") unary }
 *     unary      = "-" unary | primary
 *     primary    = number | call | reference | "(" or_expr ")"
 *
 * Each rule returns the index of the node it built, or -1 after filling
 * p->err (the first error wins and ends the parse). Types are checked as
 * nodes are built: logical operators take comparisons, arithmetic and
 * comparisons take numbers, and the assertion as a whole is boolean.
 *
 * Invariants of a successful parse:
 *   1. every node index in node[].a/.b is < nnode and -1 only where unused;
 *   2. node[root] is boolean (EX_CMP, EX_AND, EX_OR or EX_NOT);
 *   3. every leaf has a column, at most one filter per key, and from/to/at
 *      only where the function allows them.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/expect_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const func_names[EX_F_NFUNC] = {
    "max",  "min", "mean", "sum", "count", "first",
    "last", "p50", "p90",  "p95", "p99",   "at"};

static const char *const key_names[] = {"workload", "pool", "kind", "object",
                                        "reason",   "",     "from", "to"};

#define KNOWN_FUNCS                                                            \
    "max, min, mean, sum, count, first, last, p50, p90, p95, p99, at"
#define KNOWN_KEYS "workload, pool, kind, object, reason, from, to"
#define AT_SHAPE "'at' needs a column and a time, e.g. 'at(replicas, 8m)'"
#define NEED_CMP "a comparison is needed here, e.g. 'max(replicas) <= 10'"

struct parser {
    struct ex_lexer lx;
    struct cs_expect *e;
    struct cs_err *err;
    int rc; /* 0, or the first error */
};

const char *ex_func_name(int func)
{
    return func >= 0 && func < EX_F_NFUNC ? func_names[func] : "";
}

const char *ex_key_name(int key)
{
    return key >= 0 && key <= EX_K_TO ? key_names[key] : "";
}

void ex_locate(const struct cs_expect *e, size_t off, int *line, int *col)
{
    size_t bol = 0;
    int l = e->line;

    for (size_t i = 0; i < off && i < e->len; i++)
        if (e->text[i] == '\n') {
            l++;
            bol = i + 1;
        }
    *line = l;
    *col = l == e->line ? e->col + (int)off : (int)(off - bol) + 1;
}

int ex_error(const struct cs_expect *e, struct cs_err *err, int code,
             size_t off, const char *fmt, ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;
    int line, col;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ex_locate(e, off, &line, &col);
    return cs_err_set(err, code, e->file, line, col, "%s", msg);
}

/* ---- building ---------------------------------------------------------- */

static int fail(struct parser *p, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(struct parser *p, size_t off, const char *fmt, ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    if (p->rc != 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    p->rc = ex_error(p->e, p->err, CS_EPARSE, off, "%s", msg);
    return -1;
}

static int oom(struct parser *p)
{
    if (p->rc == 0)
        p->rc = cs_err_set(p->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    return -1;
}

/* Fail with the lexer's message if the current token is an error. */
static int lex_failed(struct parser *p)
{
    if (p->lx.tok != T_ERR)
        return 0;
    fail(p, p->lx.start, "%s", p->lx.msg);
    return 1;
}

static void next(struct parser *p)
{
    ex_lex_next(&p->lx);
}

static int new_node(struct parser *p, int kind, int a, int b, size_t off,
                    size_t end)
{
    struct cs_expect *e = p->e;
    struct ex_node *n;

    if (e->nnode == e->capnode) {
        size_t cap = e->capnode ? e->capnode * 2 : 16;
        struct ex_node *v = realloc(e->node, cap * sizeof(*v));

        if (v == NULL)
            return oom(p);
        e->node = v;
        e->capnode = cap;
    }
    n = &e->node[e->nnode];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->a = a;
    n->b = b;
    n->leaf = -1;
    n->span.off = off;
    n->span.end = end;
    return (int)e->nnode++;
}

static struct ex_leaf *new_leaf(struct parser *p)
{
    struct cs_expect *e = p->e;

    if (e->nleaf == e->capleaf) {
        size_t cap = e->capleaf ? e->capleaf * 2 : 4;
        struct ex_leaf *v = realloc(e->leaf, cap * sizeof(*v));

        if (v == NULL) {
            oom(p);
            return NULL;
        }
        e->leaf = v;
        e->capleaf = cap;
    }
    memset(&e->leaf[e->nleaf], 0, sizeof(e->leaf[0]));
    return &e->leaf[e->nleaf++];
}

static int is_bool(const struct parser *p, int n)
{
    int k = p->e->node[n].kind;

    return k == EX_CMP || k == EX_AND || k == EX_OR || k == EX_NOT;
}

static int need_bool(struct parser *p, int n)
{
    if (n >= 0 && !is_bool(p, n))
        return fail(p, p->e->node[n].span.off, NEED_CMP);
    return n;
}

static int need_num(struct parser *p, int n)
{
    if (n >= 0 && is_bool(p, n))
        return fail(p, p->e->node[n].span.off,
                    "a number is needed here, not a comparison");
    return n;
}

/* Copy of the current token's text; a T_STR loses its quotes and escapes. */
static char *token_text(struct parser *p)
{
    const char *s = p->lx.s + p->lx.start;
    size_t n = p->lx.end - p->lx.start, j = 0;
    char *out;

    if (p->lx.tok == T_STR) {
        s++;
        n -= 2;
    }
    out = malloc(n + 1);
    if (out == NULL) {
        oom(p);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (p->lx.tok == T_STR && s[i] == '\\' && i + 1 < n)
            i++;
        out[j++] = s[i];
    }
    out[j] = '\0';
    return out;
}

/* ---- references and calls --------------------------------------------- */

static int find_name(const char *const *names, size_t n, const char *s,
                     size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return (int)i;
    return -1;
}

static int is_time(const struct parser *p)
{
    return p->lx.tok == T_NUM && p->lx.unit != EX_U_PERCENT;
}

/* One `key=value` argument; the current token is the key. */
static int parse_filter(struct parser *p, struct ex_leaf *lf)
{
    size_t off = p->lx.start, klen = p->lx.end - p->lx.start;
    char what[64];
    int key;

    ex_lex_describe(&p->lx, what, sizeof(what));
    if (p->lx.tok != T_IDENT)
        return fail(p, off, "expected a filter such as workload=web, got %s",
                    what);
    next(p);
    if (p->lx.tok == T_EQ)
        return fail(p, p->lx.start,
                    "a filter takes one '=', e.g. "
                    "workload=web");
    if (p->lx.tok != T_ASSIGN)
        return fail(p, off, "expected a filter such as workload=web, got %s",
                    what);
    key = find_name(key_names, sizeof(key_names) / sizeof(key_names[0]),
                    p->lx.s + off, klen);
    if (key < 0 || key == EX_K_ROW)
        return fail(p, off, "unknown filter '%.*s' (known: " KNOWN_KEYS ")",
                    (int)klen, p->lx.s + off);
    if (lf->func == EX_F_AT && key >= EX_K_FROM)
        return fail(p, off,
                    "at() takes no from= or to=; its second "
                    "argument is the time");
    for (size_t i = 0; i < lf->nfilt; i++)
        if (lf->filt[i].key == key)
            return fail(p, off, "filter '%s' is given twice", key_names[key]);
    if ((key == EX_K_FROM && lf->has_from) || (key == EX_K_TO && lf->has_to))
        return fail(p, off, "filter '%s' is given twice", key_names[key]);
    if (key >= EX_K_FROM) {
        next(p);
        if (lex_failed(p))
            return -1;
        if (!is_time(p))
            return fail(p, p->lx.start, "%s= needs a time, e.g. %s=5m",
                        key_names[key], key_names[key]);
        if (key == EX_K_FROM) {
            lf->has_from = 1;
            lf->from_s = p->lx.num;
            lf->from_span = (struct ex_span){off, p->lx.end};
        } else {
            lf->has_to = 1;
            lf->to_s = p->lx.num;
            lf->to_span = (struct ex_span){off, p->lx.end};
        }
    } else {
        struct ex_filter *f = &lf->filt[lf->nfilt];

        ex_lex_value(&p->lx);
        if (lex_failed(p))
            return -1;
        if (p->lx.tok != T_WORD && p->lx.tok != T_STR)
            return fail(p, p->lx.start,
                        "expected a value after '%s=', e.g. %s=web",
                        key_names[key], key_names[key]);
        f->key = key;
        f->span = (struct ex_span){off, p->lx.end};
        if ((f->value = token_text(p)) == NULL)
            return -1;
        lf->nfilt++;
    }
    next(p);
    return 0;
}

/* name "(" column ["," time] {"," filter} ")"; current token is name. */
static int parse_call(struct parser *p, int func)
{
    size_t off = p->lx.start;
    const char *fn = func_names[func];
    struct ex_leaf *lf;
    int n;

    next(p); /* ( */
    next(p);
    if (lex_failed(p))
        return -1;
    if (func == EX_F_AT && (p->lx.tok == T_RP || p->lx.tok == T_END))
        return fail(p, p->lx.start, AT_SHAPE);
    if (p->lx.tok == T_RP)
        return fail(p, p->lx.start, "'%s' needs a column, e.g. '%s(replicas)'",
                    fn, fn);
    if (p->lx.tok != T_IDENT)
        return fail(p, p->lx.start,
                    "expected a column name as the first argument of '%s'", fn);
    if ((lf = new_leaf(p)) == NULL)
        return -1;
    lf->func = func;
    lf->at_form = func == EX_F_AT ? 2 : 0;
    lf->col_span = (struct ex_span){p->lx.start, p->lx.end};
    if ((lf->column = token_text(p)) == NULL)
        return -1;
    if (strcmp(lf->column, "events") == 0 && func != EX_F_COUNT)
        return fail(p, p->lx.start,
                    "only count() takes 'events', e.g. "
                    "'count(events, reason=SuccessfulRescale)'");
    next(p);
    if (func == EX_F_AT) {
        if (p->lx.tok != T_COMMA)
            return fail(p, p->lx.start, AT_SHAPE);
        next(p);
        if (lex_failed(p))
            return -1;
        if (!is_time(p))
            return fail(p, p->lx.start,
                        "expected a time as the second argument of 'at', "
                        "e.g. 'at(replicas, 8m)'");
        lf->at_s = p->lx.num;
        lf->at_span = (struct ex_span){p->lx.start, p->lx.end};
        next(p);
    }
    while (p->lx.tok == T_COMMA) {
        next(p);
        if (lex_failed(p) || parse_filter(p, lf) < 0)
            return -1;
    }
    if (lex_failed(p))
        return -1;
    if (p->lx.tok != T_RP)
        return fail(p, p->lx.start, "expected ')' after the arguments of '%s'",
                    fn);
    lf->span = (struct ex_span){off, p->lx.end};
    n = new_node(p, EX_LEAF, -1, -1, off, p->lx.end);
    if (n >= 0)
        p->e->node[n].leaf = (int)(p->e->nleaf - 1);
    next(p);
    return n;
}

/* column ["[" value "]"] ["@" time]; current token is the column. */
static int parse_reference(struct parser *p)
{
    size_t off = p->lx.start, end = p->lx.end;
    struct ex_leaf *lf;
    int n;

    if ((lf = new_leaf(p)) == NULL)
        return -1;
    lf->func = EX_F_REF;
    lf->col_span = (struct ex_span){off, end};
    if ((lf->column = token_text(p)) == NULL)
        return -1;
    if (strcmp(lf->column, "events") == 0)
        return fail(p, off,
                    "only count() takes 'events', e.g. "
                    "'count(events, reason=SuccessfulRescale)'");
    next(p);
    if (p->lx.tok == T_LB) {
        struct ex_filter *f = &lf->filt[lf->nfilt];

        ex_lex_value(&p->lx);
        if (lex_failed(p))
            return -1;
        if (p->lx.tok != T_WORD && p->lx.tok != T_STR)
            return fail(p, p->lx.start,
                        "expected a workload or pool name inside '[ ]'");
        f->key = EX_K_ROW;
        f->span = (struct ex_span){p->lx.start, p->lx.end};
        if ((f->value = token_text(p)) == NULL)
            return -1;
        lf->nfilt++;
        next(p);
        if (lex_failed(p))
            return -1;
        if (p->lx.tok != T_RB)
            return fail(p, p->lx.start, "expected ']' after '%s'", f->value);
        end = p->lx.end;
        next(p);
    }
    if (p->lx.tok == T_AT) {
        next(p);
        if (lex_failed(p))
            return -1;
        if (!is_time(p))
            return fail(p, p->lx.start,
                        "expected a time after '@', e.g. 'replicas@8m'");
        lf->func = EX_F_AT;
        lf->at_form = 1;
        lf->at_s = p->lx.num;
        lf->at_span = (struct ex_span){p->lx.start, p->lx.end};
        end = p->lx.end;
        next(p);
    }
    lf->span = (struct ex_span){off, end};
    n = new_node(p, EX_LEAF, -1, -1, off, end);
    if (n >= 0)
        p->e->node[n].leaf = (int)(p->e->nleaf - 1);
    return n;
}

/* ---- expressions -------------------------------------------------------- */

static int parse_or(struct parser *p);

static int parse_primary(struct parser *p)
{
    size_t off = p->lx.start, len = p->lx.end - p->lx.start;
    char what[64];
    int n, f;

    if (lex_failed(p))
        return -1;
    switch (p->lx.tok) {
    case T_NUM:
        n = new_node(p, EX_NUM, -1, -1, off, p->lx.end);
        if (n >= 0)
            p->e->node[n].num = p->lx.num;
        next(p);
        return n;
    case T_LP:
        next(p);
        n = parse_or(p);
        if (n < 0 || lex_failed(p))
            return -1;
        if (p->lx.tok != T_RP) {
            int line, col;

            ex_locate(p->e, off, &line, &col);
            return fail(p, p->lx.start,
                        "expected ')' to close the '(' at column %d", col);
        }
        p->e->node[n].span = (struct ex_span){off, p->lx.end};
        next(p);
        return n;
    case T_IDENT:
        f = find_name(func_names, EX_F_NFUNC, p->lx.s + off, len);
        if (ex_lex_peek(&p->lx) == '(') {
            if (f < 0)
                return fail(p, off,
                            "unknown function '%.*s' (known: " KNOWN_FUNCS ")",
                            (int)len, p->lx.s + off);
            return parse_call(p, f);
        }
        if (f >= 0)
            return fail(p, off, "'%s' is a function: write %s(COLUMN, ...)",
                        func_names[f], func_names[f]);
        return parse_reference(p);
    case T_STR:
        return fail(p, off,
                    "a quoted string can only be a filter value, "
                    "e.g. workload=\"web\"");
    default:
        ex_lex_describe(&p->lx, what, sizeof(what));
        return fail(p, off, "expected a number, a column or a function, got %s",
                    what);
    }
}

static int parse_unary(struct parser *p)
{
    size_t off = p->lx.start;
    int a;

    if (p->lx.tok != T_MINUS)
        return parse_primary(p);
    next(p);
    a = need_num(p, parse_unary(p));
    if (a < 0)
        return -1;
    return new_node(p, EX_NEG, a, -1, off, p->e->node[a].span.end);
}

/* Left-associative binary levels: term (* /) and sum (+ -). */
static int parse_binary(struct parser *p, int level)
{
    int a = level ? parse_binary(p, 0) : parse_unary(p);

    while (a >= 0) {
        int t = p->lx.tok, kind, b;

        if (level == 0 && (t == T_STAR || t == T_SLASH))
            kind = t == T_STAR ? EX_MUL : EX_DIV;
        else if (level == 1 && (t == T_PLUS || t == T_MINUS))
            kind = t == T_PLUS ? EX_ADD : EX_SUB;
        else
            break;
        if (need_num(p, a) < 0)
            return -1;
        next(p);
        b = need_num(p, level ? parse_binary(p, 0) : parse_unary(p));
        if (b < 0)
            return -1;
        a = new_node(p, kind, a, b, p->e->node[a].span.off,
                     p->e->node[b].span.end);
    }
    return a;
}

static int cmp_op(int tok)
{
    switch (tok) {
    case T_LT:
        return EX_LT;
    case T_LE:
        return EX_LE;
    case T_GT:
        return EX_GT;
    case T_GE:
        return EX_GE;
    case T_EQ:
        return EX_EQ;
    case T_NE:
        return EX_NE;
    default:
        return -1;
    }
}

static int parse_comparison(struct parser *p)
{
    int a = parse_binary(p, 1), b, op, n;

    if (a < 0 || lex_failed(p))
        return -1;
    if (p->lx.tok == T_ASSIGN)
        return fail(p, p->lx.start, "'=' is not a comparison; use '=='");
    op = cmp_op(p->lx.tok);
    if (op < 0)
        return a;
    if (need_num(p, a) < 0)
        return -1;
    next(p);
    b = need_num(p, parse_binary(p, 1));
    if (b < 0 || lex_failed(p))
        return -1;
    if (cmp_op(p->lx.tok) >= 0)
        return fail(p, p->lx.start,
                    "comparisons cannot be chained; join them with 'and', "
                    "e.g. 'a < b and b < c'");
    if (p->lx.tok == T_ASSIGN)
        return fail(p, p->lx.start, "'=' is not a comparison; use '=='");
    n = new_node(p, EX_CMP, a, b, p->e->node[a].span.off,
                 p->e->node[b].span.end);
    if (n >= 0)
        p->e->node[n].op = op;
    return n;
}

static int parse_not(struct parser *p)
{
    size_t off = p->lx.start;
    int a;

    if (p->lx.tok != T_NOT)
        return parse_comparison(p);
    next(p);
    a = need_bool(p, parse_not(p));
    if (a < 0)
        return -1;
    return new_node(p, EX_NOT, a, -1, off, p->e->node[a].span.end);
}

/* Left-associative logical levels: and (level 0) and or (level 1). */
static int parse_logic(struct parser *p, int level)
{
    int a = level ? parse_logic(p, 0) : parse_not(p);
    int tok = level ? T_OR : T_AND;

    while (a >= 0 && p->lx.tok == tok) {
        int b;

        if (need_bool(p, a) < 0)
            return -1;
        next(p);
        b = need_bool(p, level ? parse_logic(p, 0) : parse_not(p));
        if (b < 0)
            return -1;
        a = new_node(p, level ? EX_OR : EX_AND, a, b, p->e->node[a].span.off,
                     p->e->node[b].span.end);
    }
    return a;
}

static int parse_or(struct parser *p)
{
    return parse_logic(p, 1);
}

static int parse_assertion(struct parser *p)
{
    char what[64];
    int root;

    next(p);
    if (p->lx.tok == T_END)
        return fail(p, 0,
                    "empty assertion; write e.g. "
                    "'max(replicas) <= 10'");
    root = parse_or(p);
    if (root < 0 || lex_failed(p))
        return -1;
    if (p->lx.tok != T_END) {
        ex_lex_describe(&p->lx, what, sizeof(what));
        if (!is_bool(p, root))
            return fail(
                p, p->lx.start,
                "expected a comparison (< <= > >= == !=) after "
                "'%.*s', got %s",
                (int)(p->e->node[root].span.end - p->e->node[root].span.off),
                p->e->text + p->e->node[root].span.off, what);
        return fail(p, p->lx.start,
                    "expected 'and', 'or' or the end of the assertion, "
                    "got %s",
                    what);
    }
    return need_bool(p, root);
}

/* ---- public ------------------------------------------------------------ */

int cs_expect_parse(const char *text, const char *file, int line, int col,
                    struct cs_expect **out, struct cs_err *err)
{
    struct cs_expect *e = calloc(1, sizeof(*e));
    struct parser p;

    *out = NULL;
    if (e == NULL || (e->text = strdup(text)) == NULL ||
        (e->file = strdup(file ? file : "")) == NULL) {
        cs_expect_destroy(e);
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    e->len = strlen(text);
    e->line = line;
    e->col = col;
    memset(&p, 0, sizeof(p));
    p.e = e;
    p.err = err;
    ex_lex_init(&p.lx, e->text, e->len);
    e->root = parse_assertion(&p);
    if (p.rc != 0 || e->root < 0) {
        int rc = p.rc ? p.rc : CS_EPARSE;

        cs_expect_destroy(e);
        return rc;
    }
    *out = e;
    return 0;
}

void cs_expect_destroy(struct cs_expect *e)
{
    if (e == NULL)
        return;
    for (size_t i = 0; i < e->nleaf; i++) {
        free(e->leaf[i].column);
        for (size_t j = 0; j < e->leaf[i].nfilt; j++)
            free(e->leaf[i].filt[j].value);
    }
    free(e->leaf);
    free(e->node);
    free(e->text);
    free(e->file);
    free(e);
}

const char *cs_expect_text(const struct cs_expect *e)
{
    return e->text;
}
