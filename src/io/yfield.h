/*
 * yfield.h - typed access to YAML tree nodes with located errors.
 *
 * Every function that fails returns a negative CS_E* code and fills err
 * with the offending node's file, line and column and a message that names
 * the field by `what`, the dotted path the user sees (`spec.maxReplicas`,
 * `workloads[0].service.cpuPerRequest`; NULL reads as "value"). Outputs are
 * written only on success. Strings returned are owned by the node's arena.
 *
 * Scalars are converted here, never by the tree: `cpu: 1` and `cpu: "1"`
 * both read as a quantity, `replicas: "3"` as an integer. A node argument
 * may be NULL (an absent key): getters then fail with CS_ENOENT and
 * "%s is missing" without a location; use cs_ymap_require() to get the
 * located "missing required key" message instead.
 *
 * Message texts are part of the interface (tests pin them):
 *   "%s must be a mapping" / "%s must be a list" / "%s must be a scalar"
 *   "unknown key \"%s\" in %s"            at the key
 *   "%s: missing required key \"%s\""     at the map
 *   "%s must be an integer, got \"%s\""
 *   "%s must be between %lld and %lld, got %lld"
 *   "%s must be a number, got \"%s\""
 *   "%s must be between %g and %g, got %g"
 *   "%s must be true or false, got \"%s\""
 *   "%s must not be empty"
 *   "%s must be a Kubernetes quantity (e.g. 250m, 1.5, 512Mi), got \"%s\""
 *   "%s must be a duration (e.g. 90s, 5m, 1h30m), got \"%s\""
 *   "%s must not be negative, got \"%s\""
 *   "%s is out of range, got \"%s\""       (too large for the type)
 */
#ifndef CS_IO_YFIELD_H
#define CS_IO_YFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/time.h"
#include "io/ytree.h"

/* Value of key in a MAP, or NULL if absent (also NULL if map is NULL or not
 * a MAP). Only scalar keys match; O(number of pairs). */
const struct cs_ynode *cs_ymap_get(const struct cs_ynode *map, const char *key);

/* 0 if node is of kind; else CS_EPARSE with "%s must be a mapping" /
 * "%s must be a list" / "%s must be a scalar" at the node (CS_ENOENT if
 * node is NULL). */
int cs_ynode_expect(const struct cs_ynode *node, enum cs_ynode_kind kind,
                    const char *what, struct cs_err *err);

/* 0 if map is a MAP whose keys are all scalars listed in allowed
 * (NULL-terminated); else CS_EPARSE at the first bad key:
 * `unknown key "%s" in %s` (a non-scalar key gives "%s must be a scalar"
 * with what "key in <what>"). */
int cs_ymap_check_keys(const struct cs_ynode *map, const char *const *allowed,
                       const char *what, struct cs_err *err);

/* Value of key; NULL with err "%s: missing required key \"%s\"" located at
 * the map (CS_ENOENT) when absent, or "%s must be a mapping" when map is not
 * a MAP. */
const struct cs_ynode *cs_ymap_require(const struct cs_ynode *map,
                                       const char *key, const char *what,
                                       struct cs_err *err);

/* 1 if n is a null scalar: plain ~, null, Null, NULL or empty. */
int cs_ynode_is_null(const struct cs_ynode *n);

/* Decimal integer in [min, max]. CS_EPARSE: "%s must be an integer, got
 * \"%s\""; CS_ERANGE: "%s must be between %lld and %lld, got %lld". */
int cs_yget_int(const struct cs_ynode *n, const char *what, int64_t min,
                int64_t max, int64_t *out, struct cs_err *err);

/* Decimal number in [min, max] (no inf/nan). CS_EPARSE: "%s must be a
 * number, got \"%s\""; CS_ERANGE: "%s must be between %g and %g, got %g". */
int cs_yget_double(const struct cs_ynode *n, const char *what, double min,
                   double max, double *out, struct cs_err *err);

/* true/True/TRUE -> 1, false/False/FALSE -> 0; else CS_EPARSE
 * "%s must be true or false, got \"%s\"". */
int cs_yget_bool(const struct cs_ynode *n, const char *what, int *out,
                 struct cs_err *err);

/* Any scalar as written (arena-owned); a null scalar gives CS_EPARSE
 * "%s must not be empty" (a quoted "" is returned as ""). */
int cs_yget_string(const struct cs_ynode *n, const char *what, const char **out,
                   struct cs_err *err);

/* Non-negative Kubernetes quantity in milli-units (quantity.h rounding).
 * CS_EPARSE: "%s must be a Kubernetes quantity (e.g. 250m, 1.5, 512Mi), got
 * \"%s\""; CS_ERANGE: "%s must not be negative, got \"%s\"" or "%s is out
 * of range, got \"%s\"". */
int cs_yget_quantity_milli(const struct cs_ynode *n, const char *what,
                           int64_t *milli, struct cs_err *err);

/* Non-negative duration (quantity.h syntax: Go or bare seconds) in ms.
 * CS_EPARSE: "%s must be a duration (e.g. 90s, 5m, 1h30m), got \"%s\"";
 * CS_ERANGE: "%s must not be negative, got \"%s\"" or "%s is out of range,
 * got \"%s\"". */
int cs_yget_duration(const struct cs_ynode *n, const char *what,
                     cs_time_ms *out, struct cs_err *err);

/* Build "prefix.key" ("key" if prefix is NULL or empty) / "prefix[i]" into
 * buf of size n > 0, truncating; returns buf. buf must not overlap prefix. */
const char *cs_ypath(char *buf, size_t n, const char *prefix, const char *key);
const char *cs_ypath_index(char *buf, size_t n, const char *prefix, size_t i);

#endif
