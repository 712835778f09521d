/*
 * yfield.c - typed access to YAML tree nodes with located errors.
 *
 * Every getter is: check the node is a scalar, convert its text with the
 * checked parsers of quantity.h, check the range, and on any failure fill
 * err at the node with one of the fixed messages listed in yfield.h. The
 * `what` strings are built by callers with cs_ypath*(), so a message names
 * the field the way the user wrote it.
 */
#include "io/yfield.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "io/quantity.h"

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail_at(struct cs_err *err, int code, const struct cs_ynode *n, const char *fmt,
        ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cs_err_set(err, code, n->file, n->line, n->col, "%s", msg);
}

static const char *name(const char *what)
{
    return what != NULL ? what : "value";
}

static int missing(const char *what, struct cs_err *err)
{
    return cs_err_set(err, CS_ENOENT, NULL, 0, 0, "%s is missing", name(what));
}

const struct cs_ynode *cs_ymap_get(const struct cs_ynode *map, const char *key)
{
    size_t i, len;

    if (map == NULL || map->kind != CS_Y_MAP || key == NULL)
        return NULL;
    len = strlen(key);
    for (i = 0; i < map->n; i++) {
        const struct cs_ynode *k = map->items[2 * i];
        if (k->kind == CS_Y_SCALAR && k->len == len &&
            memcmp(k->str, key, len) == 0)
            return map->items[2 * i + 1];
    }
    return NULL;
}

int cs_ynode_expect(const struct cs_ynode *node, enum cs_ynode_kind kind,
                    const char *what, struct cs_err *err)
{
    static const char *const kinds[] = {"a scalar", "a list", "a mapping"};

    if (node == NULL)
        return missing(what, err);
    if (node->kind == kind)
        return 0;
    return fail_at(err, CS_EPARSE, node, "%s must be %s", name(what),
                   kinds[kind]);
}

int cs_ymap_check_keys(const struct cs_ynode *map, const char *const *allowed,
                       const char *what, struct cs_err *err)
{
    size_t i, j;
    int rc = cs_ynode_expect(map, CS_Y_MAP, what, err);

    if (rc < 0)
        return rc;
    for (i = 0; i < map->n; i++) {
        const struct cs_ynode *k = map->items[2 * i];
        if (k->kind != CS_Y_SCALAR)
            return fail_at(err, CS_EPARSE, k, "key in %s must be a scalar",
                           name(what));
        for (j = 0; allowed[j] != NULL; j++) {
            if (strlen(allowed[j]) == k->len &&
                memcmp(allowed[j], k->str, k->len) == 0)
                break;
        }
        if (allowed[j] == NULL)
            return fail_at(err, CS_EPARSE, k, "unknown key \"%s\" in %s",
                           k->str, name(what));
    }
    return 0;
}

const struct cs_ynode *cs_ymap_require(const struct cs_ynode *map,
                                       const char *key, const char *what,
                                       struct cs_err *err)
{
    const struct cs_ynode *v;

    if (cs_ynode_expect(map, CS_Y_MAP, what, err) < 0)
        return NULL;
    v = cs_ymap_get(map, key);
    if (v == NULL)
        fail_at(err, CS_ENOENT, map, "%s: missing required key \"%s\"",
                name(what), key);
    return v;
}

int cs_ynode_is_null(const struct cs_ynode *n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    size_t i;

    if (n == NULL || n->kind != CS_Y_SCALAR || n->quoted)
        return 0;
    for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++) {
        if (strcmp(n->str, nulls[i]) == 0 && strlen(nulls[i]) == n->len)
            return 1;
    }
    return 0;
}

/* A "\0" escape inside a scalar would hide the rest of it from the C
 * string parsers; such a scalar is never a valid number. */
static int has_nul(const struct cs_ynode *n)
{
    return strlen(n->str) != n->len;
}

/* 0 if n is a scalar, else the located error. */
static int scalar(const struct cs_ynode *n, const char *what,
                  struct cs_err *err)
{
    return cs_ynode_expect(n, CS_Y_SCALAR, what, err);
}

int cs_yget_int(const struct cs_ynode *n, const char *what, int64_t min,
                int64_t max, int64_t *out, struct cs_err *err)
{
    int64_t v;
    int rc = scalar(n, what, err);

    if (rc < 0)
        return rc;
    rc = has_nul(n) ? CS_EPARSE : cs_parse_int64(n->str, &v);
    if (rc == CS_ERANGE)
        return fail_at(err, CS_ERANGE, n,
                       "%s must be between %lld and %lld, "
                       "got %s",
                       name(what), (long long)min, (long long)max, n->str);
    if (rc < 0)
        return fail_at(err, CS_EPARSE, n, "%s must be an integer, got \"%s\"",
                       name(what), n->str);
    if (v < min || v > max)
        return fail_at(err, CS_ERANGE, n,
                       "%s must be between %lld and %lld, got %lld", name(what),
                       (long long)min, (long long)max, (long long)v);
    *out = v;
    return 0;
}

int cs_yget_double(const struct cs_ynode *n, const char *what, double min,
                   double max, double *out, struct cs_err *err)
{
    double v;
    int rc = scalar(n, what, err);

    if (rc < 0)
        return rc;
    rc = has_nul(n) ? CS_EPARSE : cs_parse_double(n->str, &v);
    if (rc == CS_ERANGE)
        return fail_at(err, CS_ERANGE, n,
                       "%s must be between %g and %g, "
                       "got %s",
                       name(what), min, max, n->str);
    if (rc < 0)
        return fail_at(err, CS_EPARSE, n, "%s must be a number, got \"%s\"",
                       name(what), n->str);
    if (!(v >= min && v <= max))
        return fail_at(err, CS_ERANGE, n,
                       "%s must be between %g and %g, got %g", name(what), min,
                       max, v);
    *out = v;
    return 0;
}

int cs_yget_bool(const struct cs_ynode *n, const char *what, int *out,
                 struct cs_err *err)
{
    static const char *const yes[] = {"true", "True", "TRUE"};
    static const char *const no[] = {"false", "False", "FALSE"};
    size_t i;
    int rc = scalar(n, what, err);

    if (rc < 0)
        return rc;
    for (i = 0; i < 3 && !has_nul(n); i++) {
        if (strcmp(n->str, yes[i]) == 0 || strcmp(n->str, no[i]) == 0) {
            *out = strcmp(n->str, yes[i]) == 0;
            return 0;
        }
    }
    return fail_at(err, CS_EPARSE, n, "%s must be true or false, got \"%s\"",
                   name(what), n->str);
}

int cs_yget_string(const struct cs_ynode *n, const char *what, const char **out,
                   struct cs_err *err)
{
    int rc = scalar(n, what, err);

    if (rc < 0)
        return rc;
    if (cs_ynode_is_null(n))
        return fail_at(err, CS_EPARSE, n, "%s must not be empty", name(what));
    *out = n->str;
    return 0;
}

/* Shared tail of the quantity and duration getters. */
static int value_error(const struct cs_ynode *n, const char *what, int rc,
                       const char *syntax, struct cs_err *err)
{
    if (rc == CS_ERANGE && n->str[0] == '-')
        return fail_at(err, CS_ERANGE, n, "%s must not be negative, got \"%s\"",
                       name(what), n->str);
    if (rc == CS_ERANGE)
        return fail_at(err, CS_ERANGE, n, "%s is out of range, got \"%s\"",
                       name(what), n->str);
    return fail_at(err, CS_EPARSE, n, "%s must be %s, got \"%s\"", name(what),
                   syntax, n->str);
}

int cs_yget_quantity_milli(const struct cs_ynode *n, const char *what,
                           int64_t *milli, struct cs_err *err)
{
    int64_t v;
    int rc = scalar(n, what, err);

    if (rc < 0)
        return rc;
    rc = has_nul(n) ? CS_EPARSE : cs_quantity_parse_milli(n->str, &v);
    if (rc == 0 && v < 0)
        rc = CS_ERANGE;
    if (rc < 0)
        return value_error(
            n, what, rc, "a Kubernetes quantity (e.g. 250m, 1.5, 512Mi)", err);
    *milli = v;
    return 0;
}

int cs_yget_duration(const struct cs_ynode *n, const char *what,
                     cs_time_ms *out, struct cs_err *err)
{
    cs_time_ms v;
    int rc = scalar(n, what, err);

    if (rc < 0)
        return rc;
    rc = has_nul(n) ? CS_EPARSE : cs_duration_parse(n->str, &v);
    if (rc < 0)
        return value_error(n, what, rc, "a duration (e.g. 90s, 5m, 1h30m)",
                           err);
    *out = v;
    return 0;
}

const char *cs_ypath(char *buf, size_t n, const char *prefix, const char *key)
{
    if (prefix == NULL || prefix[0] == '\0')
        snprintf(buf, n, "%s", key);
    else
        snprintf(buf, n, "%s.%s", prefix, key);
    return buf;
}

const char *cs_ypath_index(char *buf, size_t n, const char *prefix, size_t i)
{
    snprintf(buf, n, "%s[%zu]", prefix != NULL ? prefix : "", i);
    return buf;
}
