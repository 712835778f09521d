/* err.c - error codes and located messages (see err.h). */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *cs_strerror(int code)
{
    switch (code) {
    case 0:
        return "success";
#define X(name, val, text)                                                     \
    case CS_E##name:                                                           \
        return text;
        CS_ERRNO_MAP(X)
#undef X
    default:
        return "unknown error";
    }
}

void cs_err_clear(struct cs_err *e)
{
    e->path[0] = '\0';
    e->line = 0;
    e->col = 0;
    e->msg[0] = '\0';
}

int cs_err_set(struct cs_err *e, int code, const char *path, int line, int col,
               const char *fmt, ...)
{
    va_list ap;

    if (e == NULL)
        return code;
    snprintf(e->path, sizeof(e->path), "%s", path ? path : "");
    e->line = line;
    e->col = col;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

int cs_err_format(const struct cs_err *e, char *buf, size_t n)
{
    if (e->path[0] != '\0' && e->line > 0)
        return snprintf(buf, n, "%s:%d:%d: %s", e->path, e->line,
                        e->col > 0 ? e->col : 1, e->msg);
    if (e->path[0] != '\0')
        return snprintf(buf, n, "%s: %s", e->path, e->msg);
    return snprintf(buf, n, "%s", e->msg);
}
