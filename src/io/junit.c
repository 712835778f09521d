/*
 * junit.c - JUnit XML writer (see junit.h).
 *
 * The whole document is built in the output file's buffer and committed
 * with one rename, so a CI server never reads half a report. Every string
 * goes through put_escaped(), which decodes UTF-8 strictly and writes only
 * characters XML 1.0 allows: the result is well-formed whatever bytes the
 * names and messages hold.
 */
#include "io/junit.h"

#include "io/expect.h"
#include "io/ofile.h"
#include "io/outbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Length of the valid UTF-8 sequence at s[0..n) (n >= 1), or 0. Rejects
 * overlong forms, surrogates, code points past U+10FFFF and the
 * non-characters U+FFFE / U+FFFF, which XML 1.0 does not allow. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned cp;
    size_t len;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4;
    else
        return 0; /* a continuation byte, 0xc0/0xc1 or past 0xf4 */
    cp = s[0] & (0x7fu >> len);
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
        cp == 0xffff)
        return 0;
    return len;
}

/* Append s XML-escaped; in an attribute, tab and newline as references. */
static void put_escaped(struct cs_outbuf *b, const char *str, int attr)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s);

    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len;

        switch (c) {
        case '&':
            cs_outbuf_puts(b, "&amp;");
            break;
        case '<':
            cs_outbuf_puts(b, "&lt;");
            break;
        case '>':
            cs_outbuf_puts(b, "&gt;");
            break;
        case '"':
            cs_outbuf_puts(b, "&quot;");
            break;
        case '\'':
            cs_outbuf_puts(b, "&apos;");
            break;
        case '\t':
            cs_outbuf_puts(b, attr ? "&#9;" : "\t");
            break;
        case '\n':
            cs_outbuf_puts(b, attr ? "&#10;" : "\n");
            break;
        default:
            if (c < 0x20)
                break; /* not an XML 1.0 character: dropped */
            len = utf8_len(s + i, n - i);
            if (len == 0) {
                cs_outbuf_puts(b, REPLACEMENT);
                len = 1; /* resynchronise on the next byte */
            } else {
                cs_outbuf_put(b, (const char *)s + i, len);
            }
            i += len;
            continue;
        }
        i++;
    }
}

static void put_attr(struct cs_outbuf *b, const char *name, const char *v)
{
    cs_outbuf_putc(b, ' ');
    cs_outbuf_puts(b, name);
    cs_outbuf_puts(b, "=\"");
    put_escaped(b, v, 1);
    cs_outbuf_putc(b, '"');
}

static void put_count(struct cs_outbuf *b, const char *name, size_t v)
{
    cs_outbuf_putc(b, ' ');
    cs_outbuf_puts(b, name);
    cs_outbuf_puts(b, "=\"");
    cs_outbuf_int(b, (int64_t)v);
    cs_outbuf_putc(b, '"');
}

static void put_time(struct cs_outbuf *b, double t)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.3f", isfinite(t) && t > 0 ? t : 0.0);
    cs_outbuf_puts(b, " time=\"");
    cs_outbuf_puts(b, buf);
    cs_outbuf_putc(b, '"');
}

static void put_counts(struct cs_outbuf *b, size_t tests, size_t failures,
                       size_t errors, double time_s)
{
    put_count(b, "tests", tests);
    put_count(b, "failures", failures);
    put_count(b, "errors", errors);
    put_count(b, "skipped", 0);
    put_time(b, time_s);
}

static void count(const struct cs_junit_suite *s, size_t *fail, size_t *error)
{
    *fail = *error = 0;
    for (size_t i = 0; i < s->ncases; i++) {
        *fail += s->cases[i].outcome == CS_EXPECT_FAIL;
        *error += s->cases[i].outcome == CS_EXPECT_ERROR;
    }
}

static void put_case(struct cs_outbuf *b, const struct cs_junit_suite *s,
                     const struct cs_junit_case *c)
{
    const char *el = c->outcome == CS_EXPECT_FAIL    ? "failure"
                     : c->outcome == CS_EXPECT_ERROR ? "error"
                                                     : NULL;
    const char *msg = c->message ? c->message : "";
    const char *nl = strchr(msg, '\n');
    char *first = NULL;

    cs_outbuf_puts(b, "    <testcase");
    put_attr(b, "name", c->name);
    put_attr(b, "classname", c->classname ? c->classname : s->name);
    put_time(b, c->time_s);
    if (el == NULL) {
        cs_outbuf_puts(b, "/>\n");
        return;
    }
    cs_outbuf_puts(b, ">\n      <");
    cs_outbuf_puts(b, el);
    if (nl != NULL && (first = malloc((size_t)(nl - msg) + 1)) != NULL) {
        memcpy(first, msg, (size_t)(nl - msg));
        first[nl - msg] = '\0';
    }
    put_attr(b, "message", first ? first : msg);
    free(first);
    cs_outbuf_putc(b, '>');
    put_escaped(b, msg, 0);
    cs_outbuf_puts(b, "</");
    cs_outbuf_puts(b, el);
    cs_outbuf_puts(b, ">\n    </testcase>\n");
}

static void put_document(struct cs_outbuf *b,
                         const struct cs_junit_suite *suites, size_t n)
{
    size_t tests = 0, fail = 0, error = 0, f, e;
    double time_s = 0;

    for (size_t i = 0; i < n; i++) {
        count(&suites[i], &f, &e);
        tests += suites[i].ncases;
        fail += f;
        error += e;
        if (isfinite(suites[i].time_s) && suites[i].time_s > 0)
            time_s += suites[i].time_s;
    }
    cs_outbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testsuites");
    put_counts(b, tests, fail, error, time_s);
    cs_outbuf_puts(b, ">\n");
    for (size_t i = 0; i < n; i++) {
        const struct cs_junit_suite *s = &suites[i];

        count(s, &f, &e);
        cs_outbuf_puts(b, "  <testsuite");
        put_attr(b, "name", s->name);
        put_counts(b, s->ncases, f, e, s->time_s);
        cs_outbuf_puts(b, ">\n");
        for (size_t k = 0; k < s->ncases; k++)
            put_case(b, s, &s->cases[k]);
        cs_outbuf_puts(b, "  </testsuite>\n");
    }
    cs_outbuf_puts(b, "</testsuites>\n");
}

int cs_junit_write(const char *path, const struct cs_junit_suite *suites,
                   size_t nsuites, struct cs_err *err)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    struct cs_ofile f;
    char *dir;
    int rc;

    if (name[0] == '\0')
        return cs_err_set(err, CS_EINVAL, path, 0, 0,
                          "not a file name (ends with '/')");
    dir = malloc(dlen + 2);
    if (dir == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(dir, path, dlen);
    if (slash == path)
        dir[dlen++] = '/'; /* "/report.xml": the root directory */
    dir[dlen] = '\0';
    rc = cs_ofile_open(&f, dir, name, err);
    free(dir);
    if (rc < 0)
        return rc;
    put_document(cs_ofile_buf(&f), suites, nsuites);
    return cs_ofile_commit(&f, err);
}
