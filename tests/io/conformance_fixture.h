/*
 * conformance_fixture.h - what the conformance-runner tests share: write a
 * vector file's text to a temporary CSV, run it through
 * cs_conformance_run_file() and capture its report, totals, error and
 * return code in a struct run. The temporary file is removed afterwards;
 * its name stays in run.path so that tests can pin `path:line:col` messages.
 *
 * A test file may define CONF_FIXTURE_TMP (a mkstemp() template) before
 * including this header to name its temporary files differently.
 */
#ifndef CS_TESTS_CONFORMANCE_FIXTURE_H
#define CS_TESTS_CONFORMANCE_FIXTURE_H

#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "io/conformance.h"

#ifndef CONF_FIXTURE_TMP
#define CONF_FIXTURE_TMP "/tmp/capsim_conf_XXXXXX"
#endif

struct run {
    char path[64];
    char out[4096]; /* the report, NUL-terminated (cut if longer) */
    struct cs_conformance_totals tot;
    struct cs_err err;
    int rc; /* what cs_conformance_run_file() returned */
};

/* Write text to a temporary CSV named from the mkstemp() template tmpl, run
 * it, capture the report in *r. Fails the test if the file cannot be
 * written; removes it in every other case. */
static inline void run_text_in(const char *tmpl, const char *text,
                               struct run *r)
{
    FILE *out = tmpfile();
    int fd;
    size_t n;

    memset(r, 0, sizeof(*r));
    snprintf(r->path, sizeof(r->path), "%s", tmpl);
    fd = mkstemp(r->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_non_null(out);
    cs_err_clear(&r->err);
    r->rc = cs_conformance_run_file(r->path, out, &r->tot, &r->err);
    rewind(out);
    n = fread(r->out, 1, sizeof(r->out) - 1, out);
    r->out[n] = '\0';
    fclose(out);
    unlink(r->path);
}

/* run_text_in() with this file's template, CONF_FIXTURE_TMP. */
static inline void run_text(const char *text, struct run *r)
{
    run_text_in(CONF_FIXTURE_TMP, text, r);
}

#endif
