/*
 * expect_verdict.c - from leaf values to PASS/FAIL and the "actual" text.
 *
 * Numbers: arithmetic on an undefined operand is undefined and keeps the
 * operand's reason; x / 0 and overflow are undefined too.
 *
 * Truth: three values (true, false, unknown). A comparison with an
 * undefined side is unknown, which behaves as false except under `not`,
 * where it stays unknown: `not (min(ready_replicas) < 2)` must not pass
 * because the workload name was misspelt. An assertion passes only when it
 * is true.
 *
 * The actual text lists every comparison in source order as
 * "<left side> = <value>" (and the right side too unless it is a literal),
 * quoting the user's own text, so a report reads
 * "p95(latency_p95_ms, workload=backend) = 512.3".
 */
#include "io/expect_int.h"

#include "io/quantity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { T_FALSE = 0, T_TRUE = 1, T_UNKNOWN = -1 };

struct num {
    int def;
    double v;
    const char *why;             /* undefined: the reason (not owned) */
    const struct ex_value *leaf; /* a lone leaf: its sample time */
};

struct text {
    char *buf;
    size_t cap, len;
    int full; /* truncated: further appends are dropped */
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->full)
        return;
    if (t->len + n + 4 > t->cap) { /* keep room for "..." */
        n = t->cap > t->len + 4 ? t->cap - t->len - 4 : 0;
        t->full = 1;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    if (t->full) {
        memcpy(t->buf + t->len, "...", 3);
        t->len += 3;
    }
    t->buf[t->len] = '\0';
}

static void puts_(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

static struct num eval_num(const struct cs_expect *e,
                           const struct ex_value *vals, int i)
{
    const struct ex_node *n = &e->node[i];
    struct num a, b, r = {1, 0, NULL, NULL};

    switch (n->kind) {
    case EX_NUM:
        r.v = n->num;
        return r;
    case EX_LEAF:
        r.def = vals[n->leaf].def;
        r.v = vals[n->leaf].v;
        r.why = vals[n->leaf].why;
        r.leaf = &vals[n->leaf];
        return r;
    case EX_NEG:
        a = eval_num(e, vals, n->a);
        a.v = -a.v;
        a.leaf = NULL;
        return a;
    default:
        break;
    }
    a = eval_num(e, vals, n->a);
    b = eval_num(e, vals, n->b);
    if (!a.def || !b.def)
        return !a.def ? a : b;
    switch (n->kind) {
    case EX_ADD:
        r.v = a.v + b.v;
        break;
    case EX_SUB:
        r.v = a.v - b.v;
        break;
    case EX_MUL:
        r.v = a.v * b.v;
        break;
    default:
        if (b.v == 0) {
            r.def = 0;
            r.why = "division by zero";
            return r;
        }
        r.v = a.v / b.v;
        break;
    }
    if (!isfinite(r.v)) {
        r.def = 0;
        r.why = "the result overflows";
    }
    return r;
}

static int is_literal(const struct cs_expect *e, int i)
{
    const struct ex_node *n = &e->node[i];

    return n->kind == EX_NUM || (n->kind == EX_NEG && is_literal(e, n->a));
}

/* "<text> = <value>" for one side of a comparison. */
static void describe(const struct cs_expect *e, int i, const struct num *v,
                     struct text *t)
{
    const struct ex_span *s = &e->node[i].span;
    char buf[320];
    int n;

    put(t, e->text + s->off, s->end - s->off);
    if (!v->def) {
        n = snprintf(buf, sizeof(buf), " = undefined (%s)",
                     v->why ? v->why : "no value");
    } else {
        n = snprintf(buf, sizeof(buf), " = %.6g", v->v == 0 ? 0.0 : v->v);
        if (v->leaf != NULL && v->leaf->sampled) {
            char d[32];

            cs_duration_format((cs_time_ms)llround(v->leaf->sample_s * 1000), d,
                               sizeof(d));
            n += snprintf(buf + n, sizeof(buf) - (size_t)n, " (sample at %s)",
                          d);
        }
    }
    put(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static int compare(int op, double a, double b)
{
    int eq = a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));

    switch (op) {
    case EX_LT:
        return a < b && !eq;
    case EX_LE:
        return a < b || eq;
    case EX_GT:
        return a > b && !eq;
    case EX_GE:
        return a > b || eq;
    case EX_EQ:
        return eq;
    default:
        return !eq;
    }
}

static int eval_bool(const struct cs_expect *e, const struct ex_value *vals,
                     int i, struct text *t)
{
    const struct ex_node *n = &e->node[i];
    struct num a, b;
    int x, y;

    switch (n->kind) {
    case EX_NOT:
        x = eval_bool(e, vals, n->a, t);
        return x == T_UNKNOWN ? T_UNKNOWN : !x;
    case EX_AND:
    case EX_OR:
        x = eval_bool(e, vals, n->a, t);
        y = eval_bool(e, vals, n->b, t);
        if (n->kind == EX_AND)
            return x == T_FALSE || y == T_FALSE       ? T_FALSE
                   : x == T_UNKNOWN || y == T_UNKNOWN ? T_UNKNOWN
                                                      : T_TRUE;
        return x == T_TRUE || y == T_TRUE         ? T_TRUE
               : x == T_UNKNOWN || y == T_UNKNOWN ? T_UNKNOWN
                                                  : T_FALSE;
    default:
        break;
    }
    a = eval_num(e, vals, n->a);
    b = eval_num(e, vals, n->b);
    if (t->len > 0)
        puts_(t, "; ");
    describe(e, n->a, &a, t);
    if (!is_literal(e, n->b)) {
        puts_(t, "; ");
        describe(e, n->b, &b, t);
    }
    if (!a.def || !b.def)
        return T_UNKNOWN;
    return compare(n->op, a.v, b.v);
}

void ex_verdict(const struct cs_expect *e, const struct ex_value *vals,
                struct cs_expect_result *r)
{
    struct text t = {r->actual, sizeof(r->actual), 0, 0};

    r->actual[0] = '\0';
    r->outcome = eval_bool(e, vals, e->root, &t) == T_TRUE ? CS_EXPECT_PASS
                                                           : CS_EXPECT_FAIL;
}
