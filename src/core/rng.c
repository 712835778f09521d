/*
 * rng.c - random number streams (see rng.h).
 *
 * Design. Stream i of master seed S is gsl_rng_mt19937 seeded with
 * fold32(splitmix64 output number i + 1 from state S). splitmix64 is a
 * bijective mixer, so nearby master seeds and nearby stream indices give
 * unrelated generator states; the derivation depends on (S, i) only, which
 * is what keeps streams independent of each other's existence.
 *
 * Invariant: after cs_rng_init() succeeds every streams[i] is non-NULL;
 * after it fails or after cs_rng_fini() every streams[i] is NULL.
 */
#include "core/rng.h"

#include <stddef.h>

#include "core/err.h"

#define SPLITMIX_GAMMA UINT64_C(0x9E3779B97F4A7C15)

uint64_t cs_rng_derive_seed(uint64_t seed, uint64_t index)
{
    uint64_t z = seed + (index + 1) * SPLITMIX_GAMMA;

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

gsl_rng *cs_rng_stream_alloc(uint64_t seed, uint64_t index)
{
    uint64_t d = cs_rng_derive_seed(seed, index);
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);

    if (g == NULL)
        return NULL;
    /* mt19937 keeps only the low 32 bits of its seed; fold so that all 64
     * derived bits matter. */
    gsl_rng_set(g, (unsigned long)((d ^ (d >> 32)) & 0xFFFFFFFFu));
    return g;
}

int cs_rng_init(struct cs_rng *r, uint64_t seed)
{
    size_t i;

    r->seed = seed;
    for (i = 0; i < CS_RNG_NSTREAMS; i++)
        r->streams[i] = NULL;
    for (i = 0; i < CS_RNG_NSTREAMS; i++) {
        r->streams[i] = cs_rng_stream_alloc(seed, i);
        if (r->streams[i] == NULL) {
            cs_rng_fini(r);
            return CS_ENOMEM;
        }
    }
    return 0;
}

void cs_rng_fini(struct cs_rng *r)
{
    size_t i;

    for (i = 0; i < CS_RNG_NSTREAMS; i++) {
        if (r->streams[i] != NULL)
            gsl_rng_free(r->streams[i]);
        r->streams[i] = NULL;
    }
}

gsl_rng *cs_rng_get(struct cs_rng *r, enum cs_rng_stream s)
{
    return r->streams[s];
}
