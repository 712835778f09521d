/*
 * scenario_load.h - loads and instants in a scenario (scenario_load.c).
 * Internal to the scenario loader.
 */
#ifndef CS_IO_SCENARIO_LOAD_H
#define CS_IO_SCENARIO_LOAD_H

#include "io/scenario_int.h"
#include "model/load.h"

/* Parse the load node n (`what` names it in messages) into a spec tree
 * owned by the scenario. 0, or CS_EINVAL/CS_ENOMEM with l->err set. */
int ld_load(struct ld *l, const struct cs_ynode *n, const char *what,
            const struct cs_load_spec **out);

/* An instant written as a duration from the start ("90s", "2h"), a local
 * time of day ("11:30": its first occurrence at or after the start) or an
 * ISO-8601 date and time; simulated ms into *out. */
int ld_instant(struct ld *l, const struct cs_ynode *v, const char *what,
               cs_time_ms *out);

/* Helpers of the load shapes (scenario_load.c), shared with the trace
 * shape (scenario_trace.c). A missing optional key leaves *out as it is;
 * a missing required one is an error. All return 0 or CS_EINVAL/CS_ENOMEM
 * with l->err set. */
struct cs_load_spec *ld_load_node(struct ld *l, enum cs_load_kind kind);
int ld_load_num(struct ld *l, const struct cs_ynode *n, const char *what,
                const char *key, int required, double min, double max,
                double *out);
int ld_load_dur(struct ld *l, const struct cs_ynode *n, const char *what,
                const char *key, int required, cs_time_ms *out);
int ld_load_instant(struct ld *l, const struct cs_ynode *n, const char *what,
                    const char *key, int required, cs_time_ms *out);

/* The `trace:` shape n into a SOURCE node (scenario_trace.c). */
int ld_load_trace(struct ld *l, const struct cs_ynode *n, const char *what,
                  struct cs_load_spec **out);

#endif
