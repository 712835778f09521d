/*
 * rng.h - random number streams: one GSL generator per source of randomness.
 *
 * Each source of randomness in the model (start-up delays, service times,
 * load, node provisioning, scheduling ties...) draws from a stream of its
 * own, seeded from the master seed and the stream's index alone. Adding a
 * stream, or drawing more from one, therefore never shifts another stream's
 * draws (STYLE.md point 5). New streams are appended just before
 * CS_RNG_NSTREAMS; existing values must never be renumbered.
 *
 * Ownership: struct cs_rng is caller-allocated; cs_rng_init() allocates the
 * generators and cs_rng_fini() frees them. A gsl_rng returned by
 * cs_rng_get() is borrowed and lives until cs_rng_fini().
 */
#ifndef CS_CORE_RNG_H
#define CS_CORE_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

enum cs_rng_stream {
    CS_RNG_STARTUP,   /* pod start-up / readiness delays */
    CS_RNG_SERVICE,   /* request service times */
    CS_RNG_LOAD,      /* arrivals and load noise */
    CS_RNG_NODES,     /* node provisioning and interruptions */
    CS_RNG_SCHEDULER, /* scheduler tie-breaking */
    CS_RNG_MISC,      /* anything else */
    CS_RNG_JOBS,      /* batch pods' run times and failures */
    CS_RNG_CA,        /* the cluster autoscaler's random expander */
    CS_RNG_SPOT,      /* spot interruptions and reclaim choices */
    CS_RNG_NSTREAMS   /* append new streams above this line only */
};

/* Streams allocated one by one past the fixed ones (cs_rng_stream_alloc):
 * the load shapes of workload w use CS_LOAD_STREAM_BASE + 256 * w + node,
 * external metrics' shapes CS_EXT_STREAM_BASE + 256 * i + node. */
#define CS_LOAD_STREAM_BASE UINT64_C(1000)
#define CS_EXT_STREAM_BASE (UINT64_C(1) << 32)

struct cs_rng {
    gsl_rng *streams[CS_RNG_NSTREAMS]; /* owned, gsl_rng_mt19937 */
    uint64_t seed;                     /* master seed */
};

/* Seed of child `index` of `seed`: the (index + 1)-th output of splitmix64
 * started at `seed`. Pure; used for streams here and for sweep runs. */
uint64_t cs_rng_derive_seed(uint64_t seed, uint64_t index);

/* Allocate a gsl_rng_mt19937 seeded exactly as stream `index` of master seed
 * `seed` is (mt19937 takes 32 bits: the derived seed's halves are xored).
 * Returns NULL if out of memory. The caller frees it with gsl_rng_free(). */
gsl_rng *cs_rng_stream_alloc(uint64_t seed, uint64_t index);

/* Allocate and seed every stream. Returns 0, or CS_ENOMEM with nothing
 * allocated (r is then safe to pass to cs_rng_fini()). */
int cs_rng_init(struct cs_rng *r, uint64_t seed);

/* Free every stream; safe to call twice. */
void cs_rng_fini(struct cs_rng *r);

/* Borrow stream s (s < CS_RNG_NSTREAMS). O(1). */
gsl_rng *cs_rng_get(struct cs_rng *r, enum cs_rng_stream s);

#endif
