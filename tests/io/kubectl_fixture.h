/*
 * kubectl_fixture.h - what the kubectl tests share (test_kubectl.c,
 * test_kubectl_vpa.c): run() loads the words of a small YAML document (a
 * sequence of words, or a container mapping with command and args) from
 * c.yaml, so locations are real, and parses them with cs_kubectl_parse();
 * describe() prints an action in one line; check_ok() and check_errors()
 * run a table of documents and the actions, or the exact error, each gives.
 */
#ifndef CS_TESTS_KUBECTL_FIXTURE_H
#define CS_TESTS_KUBECTL_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "io/kubectl.h"
#include "model/vpa.h"

#define MAXA 16
#define MAXW 64
#define NOUT_UNSET ((size_t)777)

struct run {
    struct cs_yarena *a;
    struct cs_action out[MAXA];
    size_t n;
    int rc;
    char msg[1024];
};

/* The words of doc: a sequence's items, or a container's command items
 * followed by its args items. */
static inline size_t words_of(const struct cs_ynode *doc,
                              const struct cs_ynode *w[MAXW])
{
    static const char *const keys[] = {"command", "args"};
    size_t n = 0;

    if (doc->kind == CS_Y_SEQ) {
        assert_true(doc->n <= MAXW);
        for (size_t i = 0; i < doc->n; i++)
            w[n++] = doc->items[i];
        return n;
    }
    assert_int_equal(doc->kind, CS_Y_MAP);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < doc->n; i++) {
            const struct cs_ynode *v = doc->items[2 * i + 1];

            if (strcmp(doc->items[2 * i]->str, keys[k]) != 0)
                continue;
            assert_true(v->kind == CS_Y_SEQ && n + v->n <= MAXW);
            for (size_t j = 0; j < v->n; j++)
                w[n++] = v->items[j];
        }
    return n;
}

/* Parses the words of yaml into r (at most max actions); r->msg is the
 * formatted error, "" on success. Free with done(). */
static inline void run(struct run *r, const char *yaml, size_t max)
{
    const struct cs_ynode *w[MAXW];
    struct cs_ynode **docs;
    struct cs_err err;
    size_t nd;

    memset(r, 0, sizeof(*r));
    r->a = cs_yarena_create();
    assert_non_null(r->a);
    assert_int_equal(cs_yaml_load_buffer(r->a, "c.yaml", yaml, strlen(yaml),
                                         &docs, &nd, &err),
                     0);
    assert_int_equal(nd, 1);
    r->n = NOUT_UNSET;
    cs_err_clear(&err);
    r->rc = cs_kubectl_parse(r->a, w, words_of(docs[0], w), r->out, max, &r->n,
                             &err);
    cs_err_format(&err, r->msg, sizeof(r->msg));
}

static inline void done(struct run *r)
{
    cs_yarena_destroy(r->a);
}

#define ADD(...) (o += (size_t)snprintf(buf + o, n - o, __VA_ARGS__))

static inline void describe_qty(char *buf, size_t n, size_t o, const char *what,
                                const struct cs_action_qty *q, int nq)
{
    for (int i = 0; i < nq && o < n; i++)
        ADD("%s%s=%lld", i == 0 ? what : ",", q[i].name, (long long)q[i].milli);
}

/* "scale NAME N", "hpa NAME [min=N] [max=N] [util=U@METRIC]",
 * "resources NAME CONTAINER|* [req:NAME=MILLI,...] [lim:...]" or "vpa NAME
 * MODE"; checks that the fields a kind does not use are left at
 * cs_action_init's values. */
static inline void describe(const struct cs_action *a, char *buf, size_t n)
{
    size_t o = 0;

    assert_non_null(a->target);
    if (a->kind != CS_ACTION_PATCH_VPA)
        assert_int_equal(a->vpa_mode, -1);
    if (a->kind != CS_ACTION_PATCH_HPA)
        assert_true(a->min_replicas == -1 && a->max_replicas == -1 &&
                    a->utilization == -1 && a->metric_index == -1);
    if (a->kind != CS_ACTION_RESOURCES)
        assert_true(a->container == NULL && a->nreq == 0 && a->nlim == 0);
    if (a->kind != CS_ACTION_SCALE)
        assert_int_equal(a->replicas, 0);
    if (a->kind == CS_ACTION_SCALE) {
        ADD("scale %s %d", a->target, (int)a->replicas);
    } else if (a->kind == CS_ACTION_PATCH_HPA) {
        ADD("hpa %s", a->target);
        if (a->min_replicas >= 0)
            ADD(" min=%d", (int)a->min_replicas);
        if (a->max_replicas >= 0)
            ADD(" max=%d", (int)a->max_replicas);
        assert_int_equal(a->utilization < 0, a->metric_index < 0);
        if (a->utilization >= 0)
            ADD(" util=%d@%d", (int)a->utilization, (int)a->metric_index);
    } else if (a->kind == CS_ACTION_PATCH_VPA) {
        assert_true(a->vpa_mode >= 0 && a->vpa_mode < 6);
        ADD("vpa %s %s", a->target, cs_vpa_mode_name(a->vpa_mode));
    } else {
        assert_int_equal(a->kind, CS_ACTION_RESOURCES);
        ADD("resources %s %s", a->target,
            a->container != NULL ? a->container : "*");
        describe_qty(buf, n, o, " req:", a->req, a->nreq);
        o = strlen(buf);
        describe_qty(buf, n, o, " lim:", a->lim, a->nlim);
    }
}

struct ok_case {
    const char *yaml;
    const char *actions; /* describe() of each, joined by "; " */
};

struct err_case {
    const char *yaml;
    int code;
    const char *msg; /* after "c.yaml:" */
};

static inline void check_ok(const struct ok_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char got[1024] = "";
        struct run r;

        run(&r, c[i].yaml, MAXA);
        if (r.rc != 0)
            fail_msg("%s\n  -> %s", c[i].yaml, r.msg);
        for (size_t k = 0; k < r.n; k++) {
            size_t len = strlen(got);

            if (k > 0)
                len += (size_t)snprintf(got + len, sizeof(got) - len, "; ");
            describe(&r.out[k], got + len, sizeof(got) - len);
        }
        if (strcmp(got, c[i].actions) != 0)
            fail_msg("%s\n  want %s\n  got  %s", c[i].yaml, c[i].actions, got);
        done(&r);
    }
}

static inline void check_errors(const struct err_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char want[1024];
        struct run r;

        snprintf(want, sizeof(want), "c.yaml:%s", c[i].msg);
        run(&r, c[i].yaml, MAXA);
        if (r.rc != c[i].code || strcmp(r.msg, want) != 0)
            fail_msg("%s\n  want %d %s\n  got  %d %s", c[i].yaml, c[i].code,
                     want, r.rc, r.msg);
        assert_int_equal(r.n, NOUT_UNSET); /* untouched on failure */
        done(&r);
    }
}

#define CHECK(f, t) f(t, sizeof(t) / sizeof(t[0]))

#endif
