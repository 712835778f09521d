/*
 * conformance.h - run the upstream test vectors (tests/conformance/,
 * /work/shared/conformance/README.md, CA_VPA_TEST_VECTORS.md part A)
 * through the project's HPA and cluster autoscaler code.
 *
 * A CSV shape is recognised by a header column only it has:
 *
 *   HPA (conformance_calc.c, _behavior.c, _controller.c): hpa_group_pods
 *   (expected_class), hpa_replica_calc (metric_type), hpa_behavior
 *   (prenormalized_desired), hpa_controller (expected_desired_replicas);
 *
 *   cluster autoscaler, controllers/ca_algo.h (conformance_ca.c,
 *   conformance_ca_node.c): ca_expanders (expected_kept), ca_backoff
 *   (backoff_steps), ca_balance (new_nodes), ca_similarity
 *   (expected_similar), ca_utilization (expected_node_utilization),
 *   ca_eligibility (expected_reason), ca_binpacking (expected_nodes);
 *
 *   the running cluster autoscaler (conformance_ca_timing.c): ca_timing
 *   (expected_event_times_s), A10's derived timing checks, each row a
 *   whole simulation run in a temporary directory under $TMPDIR (else
 *   /tmp) that is removed afterwards;
 *
 *   the VPA, controllers/vpa_algo.h (CA_VPA_TEST_VECTORS.md part B;
 *   conformance_vpa.c, conformance_vpa2.c): vpa_histogram (hist_ops),
 *   vpa_estimator (estimator_ops), vpa_oom (expected_hist_log),
 *   vpa_priority (expected_resource_diff), vpa_update (expected_updated),
 *   vpa_eviction (expected_evictions), vpa_limits (expected_limit).
 *
 * Each row (each run or check step, for rows that stand for several)
 * prints one line
 *
 *     PASS <case_name>: expected <x>, got <y>
 *     FAIL <case_name>: expected <x>, got <y>
 *
 * HPA harness constants (docs/hpa.md): now = 1,000,000 s; CPU
 * initialization 120 s, initial readiness delay 10 s and legacy scale-up
 * factor 8, except for rows whose case name starts with "DERIVED"
 * (production factor 2). The CA rows of part A and the VPA rows of part
 * B are pure function calls (VPA times are offsets from t0 = 1234567890 s);
 * the column languages are in tests/conformance/README.md.
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
 * (unreadable, or no temporary directory for a ca_timing run), CS_EPARSE
 * (malformed: unknown header, bad number, bad list...) or the code of a
 * ca_timing run that failed ("simulation: ...") with *err set to path,
 * line and message; rows before the bad one have been reported and
 * counted. */
int cs_conformance_run_file(const char *path, FILE *out,
                            struct cs_conformance_totals *tot,
                            struct cs_err *err);

#endif
