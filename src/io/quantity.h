/*
 * quantity.h - Kubernetes quantities, Go durations and checked numbers.
 *
 * These are the value parsers under every typed YAML getter (yfield.h) and
 * every CLI option that takes a number. All of them are pure functions of
 * their input string: no allocation, no global state, no locale beyond the
 * C locale's decimal point. None of them writes its output on failure.
 *
 * Accepted syntax, rounding and limits are described in
 * docs/yaml-and-values.md.
 */
#ifndef CS_IO_QUANTITY_H
#define CS_IO_QUANTITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/time.h"

/* Kubernetes resource.Quantity to milli-units, rounding UP (away from zero)
 * like Quantity.MilliValue(): "250m" -> 250, "1.5" -> 1500, "2" -> 2000,
 * "512Mi" -> 536870912000, "2G" -> 2000000000000, "1e3" -> 1000000,
 * "0.1m" -> 1, "1n" -> 1.
 * Syntax: optional sign, digits with an optional decimal point (at least one
 * digit), then one suffix: n u m "" k M G T P E, Ki Mi Gi Ti Pi Ei, or an
 * exponent e<int> / E<int>. The result is exact for any number of digits.
 * Returns 0, CS_EPARSE (not a quantity) or CS_ERANGE (does not fit int64
 * milli); *milli is left untouched on failure. */
int cs_quantity_parse_milli(const char *s, int64_t *milli);

/* Same syntax, as a double in base units ("250m" -> 0.25, "1Ki" -> 1024).
 * Returns 0, CS_EPARSE or CS_ERANGE (overflows a double); values too small
 * for a double become 0. *out is left untouched on failure. */
int cs_quantity_parse_double(const char *s, double *out);

/* Go time.ParseDuration syntax ("90s", "5m", "1h30m", "500ms", "1.5h",
 * "2h45m30.5s", units ns us µs ms s m h, optional leading sign), plus a bare
 * non-negative number meaning seconds ("30" -> 30000 ms, "0.5" -> 500).
 * Components are summed exactly to the nanosecond, then rounded to ms once
 * (half away from zero). Negative durations are CS_ERANGE ("-0s" is 0), as
 * are durations past INT64_MAX ms. Returns 0, CS_EPARSE or CS_ERANGE; *out
 * is left untouched on failure. */
int cs_duration_parse(const char *s, cs_time_ms *out);

/* Format a duration the way Go prints it: 0 -> "0s", 250 -> "250ms",
 * 1500 -> "1.5s", 90000 -> "1m30s", 600000 -> "10m0s",
 * 5400000 -> "1h30m0s", -1500 -> "-1.5s". Writes at most n bytes including
 * the NUL (buf may be NULL when n is 0); returns the length the full text
 * has (snprintf rules; at most 27). */
int cs_duration_format(cs_time_ms d, char *buf, size_t n);

/* Checked decimal integer: optional sign then digits; the whole string must
 * be consumed, leading/trailing spaces are rejected. Returns 0, CS_EPARSE or
 * CS_ERANGE (outside int64); *out is left untouched on failure. */
int cs_parse_int64(const char *s, int64_t *out);

/* Checked decimal floating-point number ("1", "-2.5", "1e-3", ".5"); hex
 * floats, inf and nan are CS_EPARSE, overflow is CS_ERANGE and underflow
 * gives the nearest representable value (possibly 0). Whole string must be
 * consumed, spaces rejected; *out is left untouched on failure. */
int cs_parse_double(const char *s, double *out);

#endif
