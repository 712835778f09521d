/*
 * sweep.h - sweep files: a base scenario and the axes to vary over it.
 *
 * A sweep file (docs/sweeps.md) names a base scenario and axes, each of
 * which changes scenario values through the override paths of `--set`
 * (io/override.h):
 *
 *     sweep: feastflow-sweep
 *     scenario: feastflow-load-test.yaml   # relative to the sweep file
 *     seed: 7                  # sampling seed (default 1)
 *     replications: 2          # or seeds: [1, 2, 3]
 *     samples: 20              # joint random points of the sample axes
 *     set:                     # fixed overrides for every run
 *       duration: 30m
 *     axes:
 *       - name: target
 *         set: hpa/web.spec.metrics[0].resource.target.averageUtilization
 *         values: [50, 60, 70]
 *       - name: window
 *         set: hpa/web.spec.behavior.scaleDown.stabilizationWindowSeconds
 *         range: {from: 0, to: 300, step: 60}
 *       - name: max
 *         set: hpa/web.spec.maxReplicas
 *         sample: {min: 5, max: 50, scale: log, integer: true}
 *       - name: policy            # variants: a label and several values
 *         values:
 *           - label: default
 *           - label: fast
 *             set:
 *               hpa/web.spec.behavior.scaleUp.policies:
 *                 - {type: Percent, value: 100, periodSeconds: 15}
 *
 * Runs. The grid is the cartesian product of the `values` and `range` axes
 * in file order, the first axis varying slowest. Each grid point is crossed
 * with the `samples` random points (1 when no axis samples) and each of
 * those with the replications, which vary fastest:
 *
 *     index = ((grid_point * nsamples) + sample) * nreplications + rep
 *
 * so run number index + 1 always denotes the same combination, on any
 * machine and for any shard. Random points are drawn once, at load, from a
 * GSL mt19937 generator seeded with `seed`: for each sample in order, one
 * gsl_rng_uniform() per sample axis in file order. A uniform axis gives
 * min + u (max - min), a log axis exp(ln min + u (ln max - ln min)); an
 * integer axis takes floor(min + u (max - min + 1)) (uniform) or rounds the
 * log draw to nearest, clamped to [min, max]. A drawn value is written
 * with "%.6g" (integers "%lld"), and that text is both the value applied
 * and the results.csv cell, so a row can be re-run exactly from its cells.
 *
 * Seeds. Replication r (1-based) of a run uses seeds[r-1] when the file
 * lists `seeds:`; otherwise the base scenario's own seed + r - 1 (so with
 * one replication a sweep run equals `capsim run` with the same --set
 * values). The same replication uses the same seed in every combination
 * (common random numbers: differences between rows come from the axes,
 * not from the noise).
 *
 * Values. A value of `set:` or of an axis may be any YAML value; non-scalar
 * values are turned into flow YAML text for the override (a scalar is
 * written as it is when it reads back the same, else double-quoted), and
 * that text is the label of a plain value that is not a scalar (a
 * scalar's label is its text as written). A range value is
 * from + i * step for i = 0, 1, ... while it does not pass `to` by more
 * than 1e-9 of the step, written as an integer when from and step are
 * integers, else with "%.10g" (a value within 1e-9 of the step from 0 is
 * written 0, not a rounding residue).
 *
 * Fingerprint: a 64-bit FNV-1a hash of the sweep name, the column names,
 * and every run's seed (or seed offset), labels and overrides, in run
 * order (each value's strings enter through their own FNV-1a digest, so
 * the pass costs O(runs * naxes) at load). Shards of one sweep share it;
 * `capsim merge` refuses results whose fingerprints differ.
 *
 * Ownership: cs_sweep_load() returns a struct cs_sweep that owns every
 * string in it; cs_sweep_run_get() fills a caller-allocated struct
 * cs_sweep_run whose pointers stay valid until cs_sweep_destroy().
 *
 * Error messages are located at the offending node (FILE:LINE:COL):
 *   "sweep: missing required key \"scenario\""
 *   "the sweep file is empty" / "a sweep file holds one YAML document"
 *   "seeds and replications cannot both be set"
 *   "axes must not be empty" / "axes has 65 items; the limit is 64"
 *   "axes[1] needs exactly one of values, range or sample"
 *   "axes[1].set is required with range"          (and with sample)
 *   "axes[1].set is required with plain values (not label/set variants)"
 *   "axes[1].set cannot be used with variants (each sets its own paths)"
 *   "axes[1] with variants needs a name"
 *   "axes[0].values[2] is a variant (label/set): every value must be one,
 *    or none"                     (or "is not a variant", after variants)
 *   "axes[2].range.step must be positive, got 0"
 *   "axes[2].range.to must not be below from"
 *   "axes[3].sample.min must be positive on a log scale"
 *   "axes[3].sample.max must not be below min"
 *   "axes[3].sample.scale must be uniform or log, got \"exp\""
 *   "axes[3]: sample axes need `samples:` (the number of random points)"
 *   "samples is set but no axis samples"
 *   "axes[1].name \"target\" is used twice"
 *   "axes[0].name \"seed\" is reserved"     (run, replication, seed, error)
 *   "the sweep has N runs; the limit is CS_SWEEP_MAX_RUNS"
 *   "the sweep has more than 18446744073709551614 runs; the limit is ..."
 *   "WHAT: the sweep's values add up to more than 512 MiB of text"
 *                                 (YAML aliases can multiply a small file)
 * plus those of yfield.h and override.h (a set path that cannot be parsed
 * is reported at the node that holds it, with the override's message).
 */
#ifndef CS_IO_SWEEP_H
#define CS_IO_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define CS_SWEEP_MAX_RUNS ((size_t)10000000)
#define CS_SWEEP_MAX_AXES 64

struct cs_sweep; /* opaque; owns its strings */

/* One run of a sweep. Caller-allocated; cs_sweep_run_init() allocates its
 * arrays for a sweep, cs_sweep_run_get() fills it (as often as wanted),
 * cs_sweep_run_fini() frees the arrays. The strings it points to are the
 * sweep's and live until cs_sweep_destroy(). */
struct cs_sweep_run {
    size_t index;         /* 0-based; the run number is index + 1 */
    size_t replication;   /* 1-based */
    int seed_given;       /* 1: seed is the run's seed; 0: the base
                             scenario's seed + seed_offset */
    uint64_t seed;        /* seed_given */
    uint64_t seed_offset; /* !seed_given: replication - 1 */
    const char **labels;  /* naxes cells, one per axis, in file order */
    const char **sets;    /* nsets "PATH=VALUE" override arguments: the
                             fixed `set:` ones, then each axis's, in file
                             order */
    size_t nsets;
};

/* Load and check a sweep file; nothing is run or read besides it (the
 * base scenario is only named). Returns 0 with *out set, or a negative
 * CS_E* code with err filled (FILE:LINE:COL) and *out NULL. */
int cs_sweep_load(const char *path, struct cs_sweep **out, struct cs_err *err);

/* As cs_sweep_load(), from buf[0..len); name is used in messages and its
 * directory is the base of the scenario path. */
int cs_sweep_load_buffer(const char *name, const char *buf, size_t len,
                         struct cs_sweep **out, struct cs_err *err);

void cs_sweep_destroy(struct cs_sweep *sw);

const char *cs_sweep_name(const struct cs_sweep *sw);
/* The base scenario's path, resolved against the sweep file's directory. */
const char *cs_sweep_scenario(const struct cs_sweep *sw);
size_t cs_sweep_nruns(const struct cs_sweep *sw);
size_t cs_sweep_naxes(const struct cs_sweep *sw);
/* Axis i's column name (its `name:`, or its set path when unnamed). */
const char *cs_sweep_axis_name(const struct cs_sweep *sw, size_t i);
uint64_t cs_sweep_fingerprint(const struct cs_sweep *sw);

/* Allocate run's arrays for sw. 0 or CS_ENOMEM (run left empty, safe to
 * fini). */
int cs_sweep_run_init(const struct cs_sweep *sw, struct cs_sweep_run *run);

/* Describe run `index` (< cs_sweep_nruns) into *run (initialised for sw).
 * Only reads sw, so threads may share one sweep with a run struct each.
 * O(naxes + nsets). */
void cs_sweep_run_get(const struct cs_sweep *sw, size_t index,
                      struct cs_sweep_run *run);

void cs_sweep_run_fini(struct cs_sweep_run *run);

#endif
