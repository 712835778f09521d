/*
 * err.h - error codes and located error messages.
 *
 * Functions return 0 on success or a negative CS_E* code (libuv style).
 * Loaders also fill a struct cs_err so that a user reads
 *
 *     scenario.yaml:12:5: maxReplicas must be >= minReplicas (got 2 < 3)
 *
 * A struct cs_err is caller-allocated and owns no heap memory; line and col
 * are 1-based, 0 meaning "unknown" (then only "path: message" is printed).
 */
#ifndef CS_CORE_ERR_H
#define CS_CORE_ERR_H

#include <stddef.h>

/* X-macro table: name, value, text. */
#define CS_ERRNO_MAP(X)                                                        \
    X(NOMEM, -1, "out of memory")                                              \
    X(INVAL, -2, "invalid argument")                                           \
    X(IO, -3, "input/output error")                                            \
    X(RANGE, -4, "value out of range")                                         \
    X(NOENT, -5, "no such object")                                             \
    X(PARSE, -6, "parse error")                                                \
    X(LIMIT, -7, "resource limit exceeded")                                    \
    X(METRIC, -8, "metric unavailable")                                        \
    X(INTR, -9, "interrupted")                                                 \
    X(FORBIDDEN, -10, "forbidden")

enum cs_errno {
#define X(name, val, text) CS_E##name = (val),
    CS_ERRNO_MAP(X)
#undef X
};

#define CS_ERR_PATH_MAX 512
#define CS_ERR_MSG_MAX 512

struct cs_err {
    char path[CS_ERR_PATH_MAX]; /* file the error is in; "" if none */
    int line;                   /* 1-based; 0 = unknown */
    int col;                    /* 1-based; 0 = unknown */
    char msg[CS_ERR_MSG_MAX];   /* message without location */
};

/* Text of a CS_E* code; never NULL. */
const char *cs_strerror(int code);

/* Reset to "no error". */
void cs_err_clear(struct cs_err *e);

/* Fill e (path may be NULL) with a printf-style message; returns `code` so a
 * caller can write `return cs_err_set(e, CS_EPARSE, ...)`. Truncates silently
 * to the buffer sizes. */
int cs_err_set(struct cs_err *e, int code, const char *path, int line, int col,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Write "path:line:col: msg" (or "path: msg", or "msg") into buf of size n,
 * NUL-terminated; returns the length it would have had (snprintf rules). */
int cs_err_format(const struct cs_err *e, char *buf, size_t n);

#endif
