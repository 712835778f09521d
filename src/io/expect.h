/*
 * expect.h - the assertion language of `capsim check`.
 *
 * An assertion is one line of text about a run directory, such as
 *
 *     p95(latency_p95_ms, workload=backend) < 2000
 *     replicas[backend]@8m == 4 and cost_usd < 12.5
 *
 * It is parsed once by a recursive-descent parser into a small tree
 * (cs_expect_parse) and evaluated against the CSV files of a run
 * (cs_expect_eval_dir), which streams each file once for all assertions
 * together. The grammar, every function and the meaning of "undefined" are
 * in docs/expectations.md.
 *
 * Errors point at the offending token as FILE:LINE:COL: the caller says
 * where text[0] is (a YAML string in a scenario's `expect:` list, or
 * `<command line>` line 1 for --expect) and a token at byte offset k on the
 * first line of text is at column col + k (on a later line of a multi-line
 * text, at line + n, column k' + 1 with k' its offset in that line).
 *
 * Ownership: a struct cs_expect owns copies of its text, file name and
 * everything parsed from them; the caller owns the struct through
 * cs_expect_destroy(). Results are caller-allocated and own no heap memory.
 */
#ifndef CS_IO_EXPECT_H
#define CS_IO_EXPECT_H

#include <stddef.h>

#include "core/err.h"

struct cs_expect; /* one parsed assertion; owns its memory */

/* Parse text (an assertion). file/line/col locate text[0] for messages.
 * Returns 0 with *out set, or CS_EPARSE (err filled, *out NULL) or
 * CS_ENOMEM. Everything that can be known without the run's files is
 * checked here: syntax, unknown functions, argument shapes, filter keys,
 * durations, and that the whole assertion is a comparison or a logical
 * combination of comparisons. Cost: linear in the length of text. */
int cs_expect_parse(const char *text, const char *file, int line, int col,
                    struct cs_expect **out, struct cs_err *err);

/* Free e and everything it owns; NULL is a no-op. */
void cs_expect_destroy(struct cs_expect *e);

/* The text e was parsed from (owned by e). */
const char *cs_expect_text(const struct cs_expect *e);

enum cs_expect_outcome { CS_EXPECT_PASS = 0, CS_EXPECT_FAIL, CS_EXPECT_ERROR };

struct cs_expect_result {
    int outcome;       /* enum cs_expect_outcome */
    char actual[512];  /* the values behind the verdict, e.g.
                          "p95(latency_p95_ms, workload=backend) = 512.3";
                          for and/or, each comparison's left side (and its
                          right side when that is not a literal), joined
                          with "; "; "" on CS_EXPECT_ERROR */
    struct cs_err err; /* CS_EXPECT_ERROR: located message */
};

/* Evaluate e[0..n) against the run directory dir, reading each CSV file
 * once: timeline.csv and summary.csv must exist, nodes.csv may be absent,
 * events.csv is read only when an assertion counts events. results[i]
 * belongs to e[i].
 *
 * Returns 0 when every file could be read: then each result says PASS,
 * FAIL (a comparison is false, or has an undefined side) or ERROR (what the
 * assertion names does not exist in the files: an unknown column, listing
 * what exists; a filter on a column the file lacks; an ambiguous '@' over
 * several workloads), located at the offending token of the assertion.
 * Returns a negative CS_E* with err filled when a file cannot be read or is
 * malformed (FILE:LINE:COL from csvread, a row whose field count differs
 * from the header's, or a cell that is not a number); results are then
 * unspecified. Memory: one row of each file, plus the matching values of
 * each quantile aggregate (8 bytes per matching row). */
int cs_expect_eval_dir(struct cs_expect *const *e, size_t n, const char *dir,
                       struct cs_expect_result *results, struct cs_err *err);

/* Evaluate e[0..n) against one row of a table: cols[0..ncols) names the
 * columns and cells[0..ncols) holds the row ("" is undefined). Only bare
 * figures are allowed: NAME reads column NAME, NAME[w] reads column
 * "NAME[w]". Any other reference (an aggregate, count(events), a time with
 * @ or at()) gives a CS_EXPECT_ERROR result located at it: "--where takes
 * figures of results.csv, such as cost_usd or latency_p95_ms[web]"; an
 * unknown column gives a CS_EXPECT_ERROR "unknown figure 'x' (figures:
 * a, b, ...)" (list at most ~12 names then "..."). A cell that is not a
 * number (cs_csv_number) is undefined with why "not a number". Never
 * fails otherwise: returns 0 (CS_ENOMEM only for an assertion of more than
 * 16 references when memory runs out). Cost: O(references x ncols). */
int cs_expect_eval_row(struct cs_expect *const *e, size_t n,
                       const char *const *cols, const char *const *cells,
                       size_t ncols, struct cs_expect_result *results);

#endif
