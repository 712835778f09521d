/*
 * test_yfield.c - typed getters: values, and every pinned error message
 * with the line:col a user would see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "io/yfield.h"
#include "io/ytree.h"

static const char doc[] = "spec:\n"                                    /* 1 */
                          "  maxReplicas: ten\n"                       /* 2 */
                          "  big: 99\n"                                /* 3 */
                          "  ratio: abc\n"                             /* 4 */
                          "  frac: 2.5\n"                              /* 5 */
                          "  flag: yes\n"                              /* 6 */
                          "  name: ~\n"                                /* 7 */
                          "  cpu: 1x\n"                                /* 8 */
                          "  mem: -1Gi\n"                              /* 9 */
                          "  wait: 5x\n"                               /* 10 */
                          "  neg: -5s\n"                               /* 11 */
                          "  list: [1]\n"                              /* 12 */
                          "  map: {a: 1}\n"                            /* 13 */
                          "  extra: 1\n"                               /* 14 */
                          "  huge: 99999999999999999999\n"             /* 15 */
                          "  quoted: \"250m\"\n"                       /* 16 */
                          "  plain: 1\n"                               /* 17 */
                          "  empty: \"\"\n"                            /* 18 */
                          "  yes1: True\n"                             /* 19 */
                          "  no1: FALSE\n"                             /* 20 */
                          "  wait2: 1h30m\n"                           /* 21 */
                          "  three: \"3\"\n"                           /* 22 */
                          "  nul: \"1\\0x\"\n"                         /* 23 */
                          "  far: 1e999\n"                             /* 24 */
                          "  bigq: 1E\n"                               /* 25 */
                          "  nulls: [null, Null, NULL, '~', ~, '']\n"; /* 26 */

struct fixture {
    struct cs_yarena *a;
    const struct cs_ynode *spec;
    struct cs_err err;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct cs_ynode **docs;
    size_t ndocs;

    if (f == NULL)
        return -1;
    f->a = cs_yarena_create();
    if (f->a == NULL || cs_yaml_load_buffer(f->a, "y.yaml", doc, strlen(doc),
                                            &docs, &ndocs, &f->err) != 0) {
        cs_yarena_destroy(f->a);
        free(f);
        return -1;
    }
    f->spec = cs_ymap_get(docs[0], "spec");
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

static const struct cs_ynode *get(struct fixture *f, const char *key)
{
    const struct cs_ynode *n = cs_ymap_get(f->spec, key);

    assert_non_null(n);
    return n;
}

static void assert_err(struct fixture *f, int rc, int want_rc,
                       const char *formatted)
{
    char buf[1024];

    assert_int_equal(rc, want_rc);
    cs_err_format(&f->err, buf, sizeof(buf));
    assert_string_equal(buf, formatted);
}

static void test_map_get(void **state)
{
    struct fixture *f = *state;

    assert_string_equal(get(f, "big")->str, "99");
    assert_null(cs_ymap_get(f->spec, "absent"));
    assert_null(cs_ymap_get(NULL, "big"));
    assert_null(cs_ymap_get(get(f, "list"), "big"));
    assert_null(cs_ymap_get(get(f, "big"), "big"));
}

static void test_expect_kind(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(cs_ynode_expect(f->spec, CS_Y_MAP, "spec", &f->err), 0);
    assert_err(f,
               cs_ynode_expect(get(f, "list"), CS_Y_MAP, "spec.list", &f->err),
               CS_EPARSE, "y.yaml:12:9: spec.list must be a mapping");
    assert_err(f, cs_ynode_expect(get(f, "map"), CS_Y_SEQ, "spec.map", &f->err),
               CS_EPARSE, "y.yaml:13:8: spec.map must be a list");
    assert_err(f,
               cs_ynode_expect(get(f, "map"), CS_Y_SCALAR, "spec.map", &f->err),
               CS_EPARSE, "y.yaml:13:8: spec.map must be a scalar");
    assert_err(f, cs_ynode_expect(NULL, CS_Y_MAP, "spec.x", &f->err), CS_ENOENT,
               "spec.x is missing");
}

static void test_check_keys(void **state)
{
    struct fixture *f = *state;
    static const char *const some[] = {"maxReplicas", "big", NULL};
    static const char *const map_keys[] = {"a", NULL};

    assert_int_equal(
        cs_ymap_check_keys(get(f, "map"), map_keys, "spec.map", &f->err), 0);
    assert_err(f, cs_ymap_check_keys(f->spec, some, "spec", &f->err), CS_EPARSE,
               "y.yaml:4:3: unknown key \"ratio\" in spec");
    assert_err(f,
               cs_ymap_check_keys(get(f, "list"), some, "spec.list", &f->err),
               CS_EPARSE, "y.yaml:12:9: spec.list must be a mapping");
}

static void test_require(void **state)
{
    struct fixture *f = *state;

    assert_ptr_equal(cs_ymap_require(f->spec, "big", "spec", &f->err),
                     get(f, "big"));
    assert_null(cs_ymap_require(f->spec, "minReplicas", "spec", &f->err));
    assert_err(f, CS_ENOENT, CS_ENOENT,
               "y.yaml:2:3: spec: missing required key \"minReplicas\"");
    assert_null(cs_ymap_require(get(f, "big"), "x", "spec.big", &f->err));
    assert_err(f, CS_EPARSE, CS_EPARSE,
               "y.yaml:3:8: spec.big must be a mapping");
}

static void test_int(void **state)
{
    struct fixture *f = *state;
    int64_t v = -1;

    assert_int_equal(
        cs_yget_int(get(f, "plain"), "spec.plain", 0, 10, &v, &f->err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(
        cs_yget_int(get(f, "three"), "spec.three", 0, 10, &v, &f->err), 0);
    assert_int_equal(v, 3);
    v = -1;
    assert_err(f,
               cs_yget_int(get(f, "maxReplicas"), "spec.maxReplicas", 1, 10, &v,
                           &f->err),
               CS_EPARSE,
               "y.yaml:2:16: spec.maxReplicas must be an integer, got \"ten\"");
    assert_int_equal(v, -1);
    assert_err(f, cs_yget_int(get(f, "big"), "spec.big", 1, 10, &v, &f->err),
               CS_ERANGE,
               "y.yaml:3:8: spec.big must be between 1 and 10, got 99");
    assert_err(f, cs_yget_int(get(f, "huge"), "spec.huge", 1, 10, &v, &f->err),
               CS_ERANGE,
               "y.yaml:15:9: spec.huge must be between 1 and 10, got "
               "99999999999999999999");
    assert_err(f, cs_yget_int(get(f, "frac"), "spec.frac", 1, 10, &v, &f->err),
               CS_EPARSE,
               "y.yaml:5:9: spec.frac must be an integer, got \"2.5\"");
    assert_err(f, cs_yget_int(get(f, "nul"), "spec.nul", 0, 10, &v, &f->err),
               CS_EPARSE,
               "y.yaml:23:8: spec.nul must be an integer, got \"1\"");
    assert_err(f, cs_yget_int(get(f, "list"), "spec.list", 0, 1, &v, &f->err),
               CS_EPARSE, "y.yaml:12:9: spec.list must be a scalar");
    assert_int_equal(v, -1);
}

static void test_double(void **state)
{
    struct fixture *f = *state;
    double v = -1.0;

    assert_int_equal(
        cs_yget_double(get(f, "frac"), "spec.frac", 0, 10, &v, &f->err), 0);
    assert_true(v == 2.5);
    assert_err(
        f, cs_yget_double(get(f, "ratio"), "spec.ratio", 0, 1, &v, &f->err),
        CS_EPARSE, "y.yaml:4:10: spec.ratio must be a number, got \"abc\"");
    assert_err(
        f, cs_yget_double(get(f, "frac"), "spec.frac", 0, 1, &v, &f->err),
        CS_ERANGE, "y.yaml:5:9: spec.frac must be between 0 and 1, got 2.5");
    assert_err(f, cs_yget_double(get(f, "far"), "spec.far", 0, 1, &v, &f->err),
               CS_ERANGE,
               "y.yaml:24:8: spec.far must be between 0 and 1, got 1e999");
    assert_err(f, cs_yget_double(get(f, "map"), "spec.map", 0, 1, &v, &f->err),
               CS_EPARSE, "y.yaml:13:8: spec.map must be a scalar");
    assert_true(v == 2.5);
}

static void test_bool(void **state)
{
    struct fixture *f = *state;
    int v = -1;

    assert_int_equal(cs_yget_bool(get(f, "yes1"), "spec.yes1", &v, &f->err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(cs_yget_bool(get(f, "no1"), "spec.no1", &v, &f->err), 0);
    assert_int_equal(v, 0);
    assert_err(f, cs_yget_bool(get(f, "flag"), "spec.flag", &v, &f->err),
               CS_EPARSE,
               "y.yaml:6:9: spec.flag must be true or false, got \"yes\"");
    assert_int_equal(v, 0);
}

static void test_string(void **state)
{
    struct fixture *f = *state;
    const char *s = NULL;
    const struct cs_ynode *nulls = get(f, "nulls");
    size_t i;

    assert_int_equal(cs_yget_string(get(f, "ratio"), "spec.ratio", &s, &f->err),
                     0);
    assert_string_equal(s, "abc");
    assert_int_equal(cs_yget_string(get(f, "empty"), "spec.empty", &s, &f->err),
                     0);
    assert_string_equal(s, "");
    assert_err(f, cs_yget_string(get(f, "name"), "spec.name", &s, &f->err),
               CS_EPARSE, "y.yaml:7:9: spec.name must not be empty");
    assert_err(f, cs_yget_string(get(f, "map"), "spec.map", &s, &f->err),
               CS_EPARSE, "y.yaml:13:8: spec.map must be a scalar");
    for (i = 0; i < nulls->n; i++)
        assert_int_equal(cs_ynode_is_null(nulls->items[i]), i < 3 || i == 4);
}

static void test_quantity(void **state)
{
    struct fixture *f = *state;
    int64_t v = -1;

    assert_int_equal(
        cs_yget_quantity_milli(get(f, "quoted"), "spec.quoted", &v, &f->err),
        0);
    assert_int_equal(v, 250);
    assert_int_equal(
        cs_yget_quantity_milli(get(f, "plain"), "spec.plain", &v, &f->err), 0);
    assert_int_equal(v, 1000);
    v = -1;
    assert_err(f,
               cs_yget_quantity_milli(get(f, "cpu"), "spec.cpu", &v, &f->err),
               CS_EPARSE,
               "y.yaml:8:8: spec.cpu must be a Kubernetes quantity (e.g. "
               "250m, 1.5, 512Mi), got \"1x\"");
    assert_err(
        f, cs_yget_quantity_milli(get(f, "mem"), "spec.mem", &v, &f->err),
        CS_ERANGE, "y.yaml:9:8: spec.mem must not be negative, got \"-1Gi\"");
    assert_err(f,
               cs_yget_quantity_milli(get(f, "bigq"), "spec.bigq", &v, &f->err),
               CS_ERANGE, "y.yaml:25:9: spec.bigq is out of range, got \"1E\"");
    assert_err(f,
               cs_yget_quantity_milli(get(f, "name"), "spec.name", &v, &f->err),
               CS_EPARSE,
               "y.yaml:7:9: spec.name must be a Kubernetes quantity (e.g. "
               "250m, 1.5, 512Mi), got \"~\"");
    assert_int_equal(v, -1);
}

static void test_duration(void **state)
{
    struct fixture *f = *state;
    cs_time_ms v = -1;

    assert_int_equal(
        cs_yget_duration(get(f, "wait2"), "spec.wait2", &v, &f->err), 0);
    assert_int_equal(v, 5400000);
    assert_int_equal(cs_yget_duration(get(f, "big"), "spec.big", &v, &f->err),
                     0);
    assert_int_equal(v, 99000);
    v = -1;
    assert_err(f, cs_yget_duration(get(f, "wait"), "spec.wait", &v, &f->err),
               CS_EPARSE,
               "y.yaml:10:9: spec.wait must be a duration (e.g. 90s, 5m, "
               "1h30m), got \"5x\"");
    assert_err(f, cs_yget_duration(get(f, "neg"), "spec.neg", &v, &f->err),
               CS_ERANGE,
               "y.yaml:11:8: spec.neg must not be negative, got \"-5s\"");
    assert_err(f, cs_yget_duration(get(f, "huge"), "spec.huge", &v, &f->err),
               CS_ERANGE,
               "y.yaml:15:9: spec.huge is out of range, got "
               "\"99999999999999999999\"");
    assert_err(f, cs_yget_duration(get(f, "list"), "spec.list", &v, &f->err),
               CS_EPARSE, "y.yaml:12:9: spec.list must be a scalar");
    assert_int_equal(v, -1);
}

static void test_path(void **state)
{
    char a[64], b[64], c[64], small[8];

    (void)state;
    assert_string_equal(cs_ypath(a, sizeof(a), "spec", "maxReplicas"),
                        "spec.maxReplicas");
    assert_string_equal(cs_ypath(a, sizeof(a), NULL, "spec"), "spec");
    assert_string_equal(cs_ypath(a, sizeof(a), "", "spec"), "spec");
    cs_ypath_index(a, sizeof(a), "workloads", 0);
    cs_ypath(b, sizeof(b), a, "service");
    assert_string_equal(cs_ypath(c, sizeof(c), b, "cpuPerRequest"),
                        "workloads[0].service.cpuPerRequest");
    assert_string_equal(cs_ypath_index(a, sizeof(a), "x.y", 12), "x.y[12]");
    assert_string_equal(cs_ypath(small, sizeof(small), "spec", "maxReplicas"),
                        "spec.ma");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_map_get),  T(test_expect_kind), T(test_check_keys),
        T(test_require),  T(test_int),         T(test_double),
        T(test_bool),     T(test_string),      T(test_quantity),
        T(test_duration), T(test_path),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
