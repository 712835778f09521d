/*
 * table.h - the expected-behaviour table of a runbook, from a run.
 *
 * A struct cs_table records every pass of one HPA (as the simulator calls
 * cs_table_hook) as a row: time, the first metric's value as the HPA saw
 * it, the current replicas, and the decision in plain words
 * (cs_hpa_explain). cs_table_write then prints either the rows where the
 * decision changed (the default: "at every decision") or the state at
 * given times, as a Markdown table or CSV:
 *
 *   | Time | CPU Usage | Replicas | HPA Action |
 *   |------|-----------|----------|------------|
 *   | 0s   | 30%       | 2        | No action (below target) |
 *   | 30s  | 86%       | 2        | Scale up to 3 replicas |
 *
 * Ownership: cs_table_init/fini; the table owns its rows and borrows the
 * scenario, which must outlive it. Memory: one row (about 200 bytes) per
 * HPA pass, i.e. 5760 rows per simulated day at the default 15 s period.
 */
#ifndef CS_IO_TABLE_H
#define CS_IO_TABLE_H

#include "core/time.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cs_scenario;
struct cs_sim;
struct cs_hpa_result;

enum cs_table_format { CS_TABLE_MARKDOWN, CS_TABLE_CSV };

struct cs_table_row {
    cs_time_ms t;
    int32_t replicas; /* scale.spec.replicas the pass read */
    int action;       /* enum cs_hpa_action */
    char usage[24];
    char text[160];
};

struct cs_table {
    const struct cs_scenario *sc;
    int hpa;         /* index of the HPA recorded */
    char header[64]; /* the usage column's title */
    struct cs_table_row *rows;
    size_t n, cap;
    int err; /* sticky CS_ENOMEM */
};

/* Record HPA `hpa` of sc. */
void cs_table_init(struct cs_table *t, const struct cs_scenario *sc, int hpa);
void cs_table_fini(struct cs_table *t);

/* sim->on_hpa_pass callback; ctx is the struct cs_table. */
void cs_table_hook(void *ctx, const struct cs_sim *sim, int hpa,
                   const struct cs_hpa_result *r);

/* Print the table to fp: at the times at[0..nat) (the last pass at or
 * before each), or, with nat == 0, the first pass and every pass whose
 * decision differs from the row before. Returns 0 or CS_ENOMEM / CS_EIO. */
int cs_table_write(const struct cs_table *t, const cs_time_ms *at, size_t nat,
                   enum cs_table_format format, FILE *fp);

#endif
