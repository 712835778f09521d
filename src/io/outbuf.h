/*
 * outbuf.h - a growable output buffer with hand-written number formatting.
 *
 * Every CSV byte capsim writes goes through a struct cs_outbuf: formatting a
 * double with printf costs about as much as simulating a whole event, so
 * integers and fixed-point decimals are formatted here by hand, exactly and
 * identically on every run and platform (STYLE.md point 14).
 *
 * Errors are sticky: the first failure (CS_ENOMEM) is stored in `err`, the
 * contents and memory are dropped (cap = 0), and from then on every append
 * is a no-op. A writer appends a whole file and checks `err` once, like a
 * stdio stream's error flag.
 *
 * Ownership: the caller allocates struct cs_outbuf; the buffer owns `data`,
 * which is NOT NUL-terminated (use cs_outbuf_str() for a C string).
 * Line endings are the caller's choice; capsim writes "\n" (see
 * docs/outputs-internals.md).
 */
#ifndef CS_IO_OUTBUF_H
#define CS_IO_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cs_outbuf {
    char *data; /* owned; len bytes used of cap */
    size_t len; /* bytes */
    size_t cap; /* bytes */
    int err;    /* first CS_E* error, sticky; 0 if none */
};

/* Allocate cap bytes (0 allocates on first append). Returns 0, or CS_ENOMEM
 * with b empty, err set and safe to pass to cs_outbuf_fini(). */
int cs_outbuf_init(struct cs_outbuf *b, size_t cap);

/* Free the data; b may be re-inited. */
void cs_outbuf_fini(struct cs_outbuf *b);

/* Make room for n more bytes. Returns 0, or the sticky error (CS_ENOMEM)
 * after dropping the contents. Amortised O(1) (capacity doubles). */
int cs_outbuf_reserve(struct cs_outbuf *b, size_t n);

/* Append n bytes of s. On failure sets err and appends nothing. */
static inline void cs_outbuf_put(struct cs_outbuf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n && cs_outbuf_reserve(b, n) != 0)
        return;
    if (n > 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
}

/* Append the C string s (without its NUL). */
static inline void cs_outbuf_puts(struct cs_outbuf *b, const char *s)
{
    cs_outbuf_put(b, s, strlen(s));
}

/* Append one byte. */
static inline void cs_outbuf_putc(struct cs_outbuf *b, char c)
{
    if (b->cap == b->len && cs_outbuf_reserve(b, 1) != 0)
        return;
    b->data[b->len++] = c;
}

/* Append v in decimal ("-9223372036854775808" .. "9223372036854775807").
 * Hand-written, no printf. */
void cs_outbuf_int(struct cs_outbuf *b, int64_t v);

/* Append v as a fixed-point decimal without printf: rounded half away from
 * zero to `decimals` digits (clamped to 0..9), trailing zeros and a bare dot
 * stripped, no "-0": 1.50 -> "1.5", 2.0 -> "2", -0.0004 (3) -> "0",
 * 0.125 (2) -> "0.13". Rounding uses the exact binary value of v, so
 * 1.005 (2) -> "1" since the double is 1.00499999999999989...
 * NaN -> "" (an empty field), +-inf -> "inf" / "-inf"; |v| >= 1e15 is
 * written with "%.17g". Byte-identical across runs. */
void cs_outbuf_fixed(struct cs_outbuf *b, double v, int decimals);

/* Append s as one RFC 4180 field: raw unless it contains ',', '"', CR or LF
 * or starts or ends with a space or tab; then quoted with '"' doubled
 * (libcsv's csv_write). */
void cs_outbuf_csv_field(struct cs_outbuf *b, const char *s);

/* NUL-terminate the contents (not counted in len) and return data; "" if
 * the buffer is empty and unallocated or in error. */
const char *cs_outbuf_str(struct cs_outbuf *b);

/* Forget the contents (len = 0); keeps the memory and the sticky error. */
void cs_outbuf_reset(struct cs_outbuf *b);

#endif
