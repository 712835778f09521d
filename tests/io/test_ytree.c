/*
 * test_ytree.c - libyaml into a located tree: documents, locations, aliases,
 * pinned error messages with their line:col, limits, and survival of
 * mangled input (run under valgrind too).
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "io/ytree.h"

struct fixture {
    struct cs_yarena *a;
    struct cs_ynode **docs;
    size_t ndocs;
    struct cs_err err;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    f->a = cs_yarena_create();
    if (f->a == NULL) {
        free(f);
        return -1;
    }
    cs_err_clear(&f->err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    cs_yarena_destroy(f->a);
    free(f);
    return 0;
}

static int load(struct fixture *f, const char *text)
{
    return cs_yaml_load_buffer(f->a, "t.yaml", text, strlen(text), &f->docs,
                               &f->ndocs, &f->err);
}

/* Loads text, expects failure rc and the exact "file:line:col: msg". */
static void expect_error(struct fixture *f, const char *text, int rc,
                         const char *formatted)
{
    char buf[1024];

    f->ndocs = 12345;
    assert_int_equal(load(f, text), rc);
    assert_int_equal(f->ndocs, 12345); /* outputs untouched */
    cs_err_format(&f->err, buf, sizeof(buf));
    assert_string_equal(buf, formatted);
}

static void assert_scalar(const struct cs_ynode *n, const char *s, int line,
                          int col)
{
    assert_non_null(n);
    assert_int_equal(n->kind, CS_Y_SCALAR);
    assert_string_equal(n->str, s);
    assert_int_equal(n->len, strlen(s));
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

static void test_multi_document(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load(f, "a: 1\n---\n- x\n- y\n--- z\n...\n"), 0);
    assert_int_equal(f->ndocs, 3);
    assert_int_equal(f->docs[0]->kind, CS_Y_MAP);
    assert_int_equal(f->docs[0]->n, 1);
    assert_scalar(f->docs[0]->items[0], "a", 1, 1);
    assert_scalar(f->docs[0]->items[1], "1", 1, 4);
    assert_int_equal(f->docs[1]->kind, CS_Y_SEQ);
    assert_int_equal(f->docs[1]->n, 2);
    assert_scalar(f->docs[1]->items[1], "y", 4, 3);
    assert_scalar(f->docs[2], "z", 5, 5);
    assert_string_equal(f->docs[2]->file, "t.yaml");
    assert_null(f->docs[1]->str);
}

static void test_empty_documents_skipped(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(load(f, "---\n---\n# only a comment\n---\na: 1\n---\n"),
                     0);
    assert_int_equal(f->ndocs, 1);
    assert_int_equal(f->docs[0]->kind, CS_Y_MAP);
    assert_int_equal(f->docs[0]->line, 5);

    assert_int_equal(load(f, ""), 0);
    assert_int_equal(f->ndocs, 0);
    assert_null(f->docs);

    /* A quoted empty string is a document, not an empty one. */
    assert_int_equal(load(f, "''\n"), 0);
    assert_int_equal(f->ndocs, 1);
}

static void test_locations(void **state)
{
    struct fixture *f = *state;
    const struct cs_ynode *spec, *list, *flow;

    assert_int_equal(load(f, "name: web\n"
                             "spec:\n"
                             "  replicas: 3\n"
                             "  list:\n"
                             "    - a\n"
                             "    - {k: v, \"q\": 'w'}\n"
                             "    - []\n"),
                     0);
    assert_int_equal(f->ndocs, 1);
    assert_int_equal(f->docs[0]->line, 1);
    assert_int_equal(f->docs[0]->col, 1);
    assert_scalar(f->docs[0]->items[1], "web", 1, 7);
    spec = f->docs[0]->items[3];
    assert_int_equal(spec->kind, CS_Y_MAP);
    assert_int_equal(spec->line, 3);
    assert_int_equal(spec->col, 3);
    assert_scalar(spec->items[1], "3", 3, 13);
    list = spec->items[3];
    assert_int_equal(list->kind, CS_Y_SEQ);
    assert_int_equal(list->n, 3);
    assert_int_equal(list->line, 5);
    assert_int_equal(list->col, 5);
    assert_scalar(list->items[0], "a", 5, 7);
    flow = list->items[1];
    assert_int_equal(flow->kind, CS_Y_MAP);
    assert_int_equal(flow->n, 2);
    assert_int_equal(flow->line, 6);
    assert_int_equal(flow->col, 7);
    assert_scalar(flow->items[0], "k", 6, 8);
    assert_scalar(flow->items[2], "q", 6, 14);
    assert_scalar(flow->items[3], "w", 6, 19);
    assert_int_equal(list->items[2]->n, 0);
    assert_null(list->items[2]->items);
}

static void test_columns_count_characters(void **state)
{
    struct fixture *f = *state;

    /* "é" is two bytes but one column. */
    assert_int_equal(load(f, "\xc3\xa9: x\n"), 0);
    assert_scalar(f->docs[0]->items[1], "x", 1, 4);
}

static void test_scalar_styles_and_tags(void **state)
{
    struct fixture *f = *state;
    const struct cs_ynode *m;

    assert_int_equal(load(f, "plain: 1\n"
                             "single: '1'\n"
                             "double: \"a\\tb\\0c\"\n"
                             "literal: |\n  x\n  y\n"
                             "folded: >\n  x\n  y\n"
                             "tagged: !!str 5\n"
                             "custom: !foo bar\n"
                             "null: ~\n"),
                     0);
    m = f->docs[0];
    assert_int_equal(m->n, 8);
    assert_false(m->items[1]->quoted);
    assert_null(m->items[1]->tag);
    assert_true(m->items[3]->quoted);
    assert_true(m->items[5]->quoted);
    assert_int_equal(m->items[5]->len, 5); /* "a\tb\0c": NUL kept */
    assert_memory_equal(m->items[5]->str, "a\tb\0c", 6);
    assert_true(m->items[7]->quoted);
    assert_string_equal(m->items[7]->str, "x\ny\n");
    assert_true(m->items[9]->quoted);
    assert_string_equal(m->items[9]->str, "x y\n");
    assert_string_equal(m->items[11]->tag, "tag:yaml.org,2002:str");
    assert_string_equal(m->items[11]->str, "5");
    assert_string_equal(m->items[13]->tag, "!foo");
    assert_string_equal(m->items[15]->str, "~");
}

static void test_alias_shares_node(void **state)
{
    struct fixture *f = *state;
    const struct cs_ynode *m;

    assert_int_equal(load(f, "base: &b {cpu: 1}\n"
                             "other: *b\n"
                             "s: &s hello\n"
                             "t: *s\n"
                             "base2: &b [x]\n"
                             "again: *b\n"),
                     0);
    m = f->docs[0];
    assert_ptr_equal(m->items[1], m->items[3]);
    assert_int_equal(m->items[3]->kind, CS_Y_MAP);
    assert_ptr_equal(m->items[5], m->items[7]);
    /* A redefined anchor names the newer node. */
    assert_ptr_equal(m->items[9], m->items[11]);
    assert_int_equal(m->items[11]->kind, CS_Y_SEQ);
}

static void test_alias_errors(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "a: 1\nb: *nope\n", CS_EPARSE,
                 "t.yaml:2:4: undefined alias \"nope\"");
    expect_error(f, "a: &x [1, *x]\n", CS_EPARSE,
                 "t.yaml:1:11: alias \"x\" refers to a node that contains it");
    /* Anchors do not cross documents. */
    expect_error(f, "a: &x 1\n---\nb: *x\n", CS_EPARSE,
                 "t.yaml:3:4: undefined alias \"x\"");
}

static void test_duplicate_key(void **state)
{
    struct fixture *f = *state;
    char *big;
    size_t i, n = 0, cap = 100 * 16 + 64;

    expect_error(f, "a: 1\nb: 2\na: 3\n", CS_EPARSE,
                 "t.yaml:3:1: duplicate key \"a\"");
    expect_error(f, "top:\n  x: 1\n  'x': 2\n", CS_EPARSE,
                 "t.yaml:3:3: duplicate key \"x\"");
    expect_error(f, "{a: 1, b: 2, a: 3}\n", CS_EPARSE,
                 "t.yaml:1:14: duplicate key \"a\"");
    /* The earlier error in the text wins, even in an enclosing map. */
    expect_error(f, "a: 1\na: {b: 1, b: 2}\n", CS_EPARSE,
                 "t.yaml:2:1: duplicate key \"a\"");

    /* A big mapping goes through the hash set. */
    big = malloc(cap);
    assert_non_null(big);
    for (i = 0; i < 100; i++)
        n += (size_t)snprintf(big + n, cap - n, "k%zu: %zu\n", i, i);
    assert_int_equal(load(f, big), 0);
    assert_int_equal(f->docs[0]->n, 100);
    snprintf(big + n, cap - n, "k42: again\n");
    expect_error(f, big, CS_EPARSE, "t.yaml:101:1: duplicate key \"k42\"");
    free(big);

    /* Equal values under different keys and equal keys in sibling maps are
     * fine. */
    assert_int_equal(load(f, "a: {x: 1}\nb: {x: 1}\nc: 1\nd: 1\n"), 0);
}

static void test_merge_key_rejected(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "base: &b {x: 1}\nd:\n  <<: *b\n", CS_EPARSE,
                 "t.yaml:3:3: merge keys (<<) are not supported; write the "
                 "keys out");
    /* A quoted "<<" is an ordinary key. */
    assert_int_equal(load(f, "'<<': 1\n"), 0);
}

static void test_syntax_errors(void **state)
{
    struct fixture *f = *state;

    expect_error(f, "a: b: c\n", CS_EPARSE,
                 "t.yaml:1:5: mapping values are not allowed in this context");
    expect_error(f, "a: [1, 2\nb: 3\n", CS_EPARSE,
                 "t.yaml:2:2: did not find expected ',' or ']' (while parsing "
                 "a flow sequence at line 1, column 4)");
    expect_error(f, "key: \"unterminated\n", CS_EPARSE,
                 "t.yaml:2:1: found unexpected end of stream (while scanning "
                 "a quoted scalar at line 1, column 6)");
    expect_error(f, "ok: 1\nbad: \xff\n", CS_EPARSE,
                 "t.yaml:2:6: invalid leading UTF-8 octet: #FF");
    expect_error(f, "a: \x01\n", CS_EPARSE,
                 "t.yaml:1:4: control characters are not allowed: #1");
}

static char *nested(size_t depth)
{
    char *s = malloc(2 * depth + 2);
    size_t i;

    assert_non_null(s);
    for (i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth + i] = ']';
    }
    s[2 * depth] = '\n';
    s[2 * depth + 1] = '\0';
    return s;
}

static void test_depth_limit(void **state)
{
    struct fixture *f = *state;
    char *ok = nested(CS_YAML_MAX_DEPTH), *deep = nested(100000);

    assert_int_equal(load(f, ok), 0);
    expect_error(f, deep, CS_ELIMIT,
                 "t.yaml:1:257: nesting is deeper than 256 levels");
    free(ok);
    free(deep);
}

static void test_node_limit(void **state)
{
    struct fixture *f = *state;
    struct cs_ylimits lim = {0, 0, 1000};

    cs_yarena_set_limits(f->a, &lim);
    /* "Billion laughs": 10 aliases of 10 aliases of ... */
    expect_error(f,
                 "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                 "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                 "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
                 CS_ELIMIT,
                 "t.yaml:3:36: more than 1000 nodes (an alias counts as the "
                 "nodes it repeats)");
    assert_int_equal(load(f, "a: &a [x, x, x]\nb: [*a, *a]\n"), 0);
}

static void test_input_limit(void **state)
{
    struct fixture *f = *state;
    struct cs_ylimits lim = {8, 0, 0};

    cs_yarena_set_limits(f->a, &lim);
    assert_int_equal(load(f, "a: 1234\n"), 0);
    expect_error(f, "a: 12345\n", CS_ELIMIT,
                 "t.yaml: input is larger than the limit of 8 bytes");
}

static void test_big_values(void **state)
{
    struct fixture *f = *state;
    size_t big = 100000, i, n = 0, cap = 6 * 5000 + big + 64;
    char *text = malloc(cap);

    /* A long scalar and a long list take arena blocks of their own. */
    assert_non_null(text);
    n += (size_t)snprintf(text, cap, "s: ");
    memset(text + n, 'x', big);
    n += big;
    n += (size_t)snprintf(text + n, cap - n, "\nl: [");
    for (i = 0; i < 5000; i++)
        n += (size_t)snprintf(text + n, cap - n, "%zu,", i % 10);
    snprintf(text + n, cap - n, "]\n");
    assert_int_equal(load(f, text), 0);
    free(text);
    assert_int_equal(f->docs[0]->items[1]->len, big);
    assert_int_equal(f->docs[0]->items[3]->n, 5000);
    assert_string_equal(f->docs[0]->items[3]->items[4999]->str, "9");
    assert_int_equal(f->docs[0]->items[3]->items[4999]->col, 5 + 2 * 4999);
}

static void test_load_file(void **state)
{
    struct fixture *f = *state;
    char path[] = "/tmp/capsim-ytree-XXXXXX", buf[1024];
    const char *text = "x: 1\ny: [2]\n";
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(
        cs_yaml_load_file(f->a, path, &f->docs, &f->ndocs, &f->err), 0);
    unlink(path);
    assert_int_equal(f->ndocs, 1);
    assert_string_equal(f->docs[0]->items[3]->file, path);
    assert_int_equal(f->docs[0]->items[3]->line, 2);

    assert_int_equal(cs_yaml_load_file(f->a, "/nonexistent/s.yaml", &f->docs,
                                       &f->ndocs, &f->err),
                     CS_EIO);
    cs_err_format(&f->err, buf, sizeof(buf));
    assert_string_equal(buf, "/nonexistent/s.yaml: cannot open "
                             "/nonexistent/s.yaml: No such file or "
                             "directory");
    assert_int_equal(f->err.line, 0);
}

/* Deterministic LCG, so the mangled inputs are the same on every run. */
static uint32_t next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void test_mangled_input_never_crashes(void **state)
{
    static const char sample[] =
        "%YAML 1.1\n---\nname: &n web\nspec: {a: [1, 2, *n], 'b': \"c\\x41\"}\n"
        "list:\n  - |\n    text\n  - ? complex\n    : key\n  - !!map {}\n"
        "...\n--- >\n folded\n";
    static const char junk[] = "[]{}:,-?&*!|>'\"%@`#\n\t \\\xff\xc3\x01";
    char buf[sizeof(sample)];
    uint32_t seed = 12345;
    size_t len, i;
    int k, rc;

    (void)state;
    for (len = 0; len < sizeof(sample); len++) {
        struct fixture *f = *state;
        rc = cs_yaml_load_buffer(f->a, "t", sample, len, &f->docs, &f->ndocs,
                                 &f->err);
        assert_true(rc == 0 || rc == CS_EPARSE);
    }
    for (k = 0; k < 3000; k++) {
        struct cs_yarena *a = cs_yarena_create();
        struct cs_ynode **docs;
        size_t ndocs;
        struct cs_err err;

        assert_non_null(a);
        memcpy(buf, sample, sizeof(sample));
        for (i = 0; i < 1 + next(&seed) % 4; i++)
            buf[next(&seed) % (sizeof(sample) - 1)] =
                junk[next(&seed) % (sizeof(junk) - 1)];
        rc = cs_yaml_load_buffer(a, "t", buf, next(&seed) % sizeof(sample),
                                 &docs, &ndocs, &err);
        assert_true(rc == 0 || rc == CS_EPARSE);
        if (rc < 0)
            assert_true(err.msg[0] != '\0');
        cs_yarena_destroy(a);
    }
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_multi_document),
        T(test_empty_documents_skipped),
        T(test_locations),
        T(test_columns_count_characters),
        T(test_scalar_styles_and_tags),
        T(test_alias_shares_node),
        T(test_alias_errors),
        T(test_duplicate_key),
        T(test_merge_key_rejected),
        T(test_syntax_errors),
        T(test_depth_limit),
        T(test_node_limit),
        T(test_input_limit),
        T(test_big_values),
        T(test_load_file),
        T(test_mangled_input_never_crashes),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
