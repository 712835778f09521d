/*
 * conformance.h - run the upstream HPA test vectors (tests/conformance/,
 * /work/shared/conformance/README.md) through the project's HPA code.
 *
 * Four CSV shapes are recognised by their header row: hpa_group_pods,
 * hpa_replica_calc, hpa_behavior and hpa_controller. Each row (each run, for
 * rows that stand for several runs) prints one line
 *
 *     PASS <case_name>: expected <x>, got <y>
 *     FAIL <case_name>: expected <x>, got <y>
 *
 * Harness constants (docs/hpa.md): now = 1,000,000 s; CPU initialization
 * 120 s, initial readiness delay 10 s and legacy scale-up factor 8, except
 * for rows whose case name starts with "DERIVED" (production factor 2).
 */
#ifndef CS_IO_CONFORMANCE_H
#define CS_IO_CONFORMANCE_H

#include <stdio.h>

#include "core/err.h"

struct cs_conformance_totals {
    int passed; /* rows (runs) that matched */
    int failed; /* rows (runs) that did not */
};

/* Evaluate every row of the CSV file at `path`, writing one line per row
 * (run) to `out` and adding to *tot. Returns 0 when the file was read and
 * every row could be evaluated (whether or not it passed), else CS_EIO
 * (unreadable) or CS_EPARSE (malformed: unknown header, bad number, bad
 * list...) with *err set to path, line and message; rows before the bad
 * one have been reported and counted. */
int cs_conformance_run_file(const char *path, FILE *out,
                            struct cs_conformance_totals *tot,
                            struct cs_err *err);

#endif
