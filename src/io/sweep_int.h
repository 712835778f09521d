/*
 * sweep_int.h - internals of the sweep loader (io/sweep.h), shared by
 * sweep.c (the file, the axes, the runs, the fingerprint) and
 * sweep_expand.c (value texts, ranges, random points). Nothing outside
 * src/io/sweep*.c uses it but the fuzz target, which loads with smaller
 * limits (sw_load_buffer) and checks the flow emitter (sw_flow).
 *
 * Storage. Every string is owned by the sweep's YAML arena, every array by
 * its allocation list; nothing is freed before cs_sweep_destroy(). A value
 * of a grid axis is stored once (struct sw_value); the random points are
 * one block of text, sample s's cell of sample axis a at
 *
 *     cells + s * cell_stride + a->cell_off     "PATH=VALUE\0"
 *
 * whose label (the VALUE part) starts label_off bytes in. A plain value's
 * label is likewise either the scalar as written or the VALUE part of its
 * single override string, never a copy.
 */
#ifndef CS_IO_SWEEP_INT_H
#define CS_IO_SWEEP_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "io/outbuf.h"
#include "io/sweep.h"
#include "io/ytree.h"

/* Bytes of value text (labels, override strings, cells) one sweep may
 * make: bounds what YAML aliases can multiply. */
#define SW_MAX_TEXT ((size_t)512 << 20)
/* Room for one drawn number: "%lld" of |v| <= 2^53 or "%.6g". */
#define SW_NUM_MAX 24
/* Integer sample bounds: exactly representable doubles. */
#define SW_INT_LIMIT INT64_C(9007199254740992)

#define SW_FNV_OFFSET UINT64_C(1469598103934665603)
#define SW_FNV_PRIME UINT64_C(1099511628211)

struct sw_limits {
    size_t max_runs; /* runs; CS_SWEEP_MAX_RUNS */
    size_t max_text; /* bytes of value text; SW_MAX_TEXT */
};

enum sw_kind {
    SW_PLAIN = 1, /* values: YAML values for the axis's set path */
    SW_VARIANTS,  /* values: {label, set} maps */
    SW_RANGE,     /* range: {from, to, step} */
    SW_SAMPLE,    /* sample: {min, max, scale, integer} */
};

/* One value of a grid axis. */
struct sw_value {
    const char *label;
    const char **sets; /* nsets "PATH=VALUE" */
    size_t nsets;
    uint64_t digest; /* FNV-1a of the label and the sets */
};

struct sw_axis {
    enum sw_kind kind;
    const char *name;               /* column */
    const struct cs_ynode *node;    /* the axis's map */
    const struct cs_ynode *name_at; /* name (or set path) node: messages */
    const struct cs_ynode *path_at; /* the `set:` value; NULL: variants */
    const char *epath;              /* set path, '=' escaped for --set */
    const struct cs_ynode *items;   /* plain / variants: `values:` list */
    const struct cs_ynode *spec;    /* range / sample: its map */
    /* grid axes (plain, variants, range) */
    struct sw_value *values;
    size_t nvalues;
    size_t stride;   /* grid points between two consecutive values */
    size_t max_sets; /* largest nsets of a value */
    /* range */
    double from, to, step;
    /* sample */
    double min, max;
    int log, integer;
    size_t sample_index; /* among the sample axes, in file order */
    size_t cell_off;     /* bytes into a sample's cells */
    size_t cell_size;    /* bytes of its cell, NUL included */
    size_t label_off;    /* bytes into a cell where the label starts */
};

struct cs_sweep {
    /* memory */
    struct cs_yarena *arena; /* the file's tree and every string */
    void **allocs;           /* every array, freed at destroy */
    size_t nallocs, allocs_cap;
    /* the file */
    const char *name;
    const char *scenario;  /* resolved against the file's directory */
    uint64_t sample_seed;  /* `seed:` */
    const uint64_t *seeds; /* `seeds:`; NULL when absent */
    size_t nseeds;
    size_t nreps;    /* replications or nseeds */
    size_t nsamples; /* random points; 1 when no axis samples */
    const struct cs_ynode *samples_at;
    struct sw_axis *axes;
    size_t naxes, nsample_axes;
    const char **fixed; /* `set:` overrides */
    size_t nfixed;
    /* random points */
    char *cells;
    size_t cell_stride;    /* bytes of one sample's cells */
    uint64_t *cell_digest; /* [s * nsample_axes + sample_index] */
    /* derived */
    size_t ngrid, nruns;
    size_t max_sets; /* most overrides a run can have */
    uint64_t fingerprint;
};

/* Load state; the sweep is destroyed by the caller on failure. */
struct sw_ld {
    struct cs_sweep *sw;
    struct cs_err *err;
    struct sw_limits lim;
    size_t text;          /* bytes of value text made so far */
    struct cs_outbuf buf; /* scratch for flow texts */
};

/* FNV-1a steps. */
static inline uint64_t sw_fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * SW_FNV_PRIME;
    return h;
}

/* A string with its NUL, so that consecutive strings cannot run together. */
static inline uint64_t sw_fnv_str(uint64_t h, const char *s)
{
    return sw_fnv(h, s, strlen(s) + 1);
}

/* A 64-bit word, little-endian byte order on every host. */
static inline uint64_t sw_fnv_u64(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        h = (h ^ (v & 0xFF)) * SW_FNV_PRIME;
    return h;
}

/* sweep.c */

/* Zeroed memory owned by the sweep; NULL with CS_ENOMEM in l->err. */
void *sw_alloc(struct sw_ld *l, size_t n);
/* CS_EINVAL with the message located at n (at the file when n is NULL). */
int sw_fail(struct sw_ld *l, const struct cs_ynode *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int sw_nomem(struct sw_ld *l);
/* A non-empty string (a quoted "" is empty too); yfield.h's messages. */
int sw_get_text(struct sw_ld *l, const struct cs_ynode *n, const char *what,
                const char **out);

/* cs_sweep_load_buffer() with limits of its own (the fuzz target's). */
int sw_load_buffer(const char *name, const char *buf, size_t len,
                   const struct sw_limits *lim, struct cs_sweep **out,
                   struct cs_err *err);

/* sweep_expand.c */

/* Step 2 of a load: the fixed overrides, every grid value's label and
 * overrides, the random points. */
int sw_texts(struct sw_ld *l, const struct cs_ynode *root);

/* Append n as one line of flow YAML that cs_override_parse() and the YAML
 * loader read back as the same value (sweep_expand.c says how): scalars
 * as they are when that is safe ([A-Za-z0-9_./-]+ not starting with - or .,
 * a number, or a null), else double-quoted with escapes; [a, b]; {k: v}.
 * Returns 0, CS_ENOMEM, or CS_ELIMIT as soon as the text passes limit
 * bytes (b then holds part of it). Cost: linear in the output. */
int sw_flow(struct cs_outbuf *b, const struct cs_ynode *n, size_t limit);

/* path with every unescaped '=' (and a trailing lone '\') escaped, so that
 * "PATH=VALUE" splits where meant; arena-owned, NULL on ENOMEM. */
const char *sw_escape_path(struct sw_ld *l, const char *path);

/* The override string "EPATH=FLOW" for YAML value v (arena-owned, counted
 * against the text budget, checked by cs_override_parse() with failures
 * located at `at`, budget errors naming `what`) and its label: the scalar
 * as written, or the flow text of a collection. 0, or an error code with
 * l->err filled. */
int sw_value_set(struct sw_ld *l, const char *epath, const struct cs_ynode *at,
                 const struct cs_ynode *v, const char *what, const char **set,
                 const char **label);

/* Number of values of a range (>= 1; may be huge or inf). */
double sw_range_count(double from, double to, double step);

/* Fill a range axis's values (nvalues already set; what: "axes[N]"). */
int sw_range_expand(struct sw_ld *l, struct sw_axis *a, const char *what);

/* Draw every sample axis's value of every random point. */
int sw_draw_samples(struct sw_ld *l);

/* FNV-1a digest of a value: its label and override strings. */
uint64_t sw_value_digest(const struct sw_value *v);

#endif
