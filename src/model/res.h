/*
 * res.h - resource vectors.
 *
 * Every resource amount in the model is an int64 count of milli-units, the
 * unit of Kubernetes Quantity.MilliValue(): CPU in millicores, memory in
 * milli-bytes, GPUs in milli-GPUs. One fixed-size vector holds every resource
 * a scenario names; index 0 is cpu and index 1 memory, extended resources
 * (nvidia.com/gpu, ephemeral-storage, ...) are registered by name per scenario
 * in a struct cs_resnames.
 */
#ifndef CS_MODEL_RES_H
#define CS_MODEL_RES_H

#include <stdint.h>

#define CS_RES_MAX 8
#define CS_RES_CPU 0
#define CS_RES_MEMORY 1
#define CS_RES_NAME_MAX 64

/* Products of milli-unit amounts (a memory in milli-bytes times 100, a
 * limit times a request) can pass int64: such arithmetic is done in 128
 * bits (a gcc/clang extension). */
__extension__ typedef __int128 cs_i128;

struct cs_resvec {
    int64_t v[CS_RES_MAX]; /* milli-units, indexed by resource */
};

struct cs_resnames {
    int n;                                  /* registered names, >= 2 */
    char name[CS_RES_MAX][CS_RES_NAME_MAX]; /* "cpu", "memory", ... */
};

void cs_resnames_init(struct cs_resnames *rn);

/* Index of name, registering it if new. Returns the index, or CS_ELIMIT when
 * CS_RES_MAX names are already registered. */
int cs_resnames_intern(struct cs_resnames *rn, const char *name);

/* Index of name, or -1 if never registered. */
int cs_resnames_find(const struct cs_resnames *rn, const char *name);

/* 1 if a[i] + b[i] <= cap[i] for every i < n. */
static inline int cs_resvec_fits(const struct cs_resvec *a,
                                 const struct cs_resvec *b,
                                 const struct cs_resvec *cap, int n)
{
    for (int i = 0; i < n; i++)
        if (a->v[i] + b->v[i] > cap->v[i])
            return 0;
    return 1;
}

static inline void cs_resvec_add(struct cs_resvec *a, const struct cs_resvec *b,
                                 int n)
{
    for (int i = 0; i < n; i++)
        a->v[i] += b->v[i];
}

static inline void cs_resvec_sub(struct cs_resvec *a, const struct cs_resvec *b,
                                 int n)
{
    for (int i = 0; i < n; i++)
        a->v[i] -= b->v[i];
}

#endif
