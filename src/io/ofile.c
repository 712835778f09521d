/*
 * ofile.c - atomic output files (see ofile.h and docs/outputs-internals.md).
 *
 * Design. open() creates the temporary with O_CREAT | O_EXCL, so two
 * writers (two simulations in one process, or two processes) never share
 * one: a taken name makes us try the next counter value. The counter is
 * local to the call, so there is no global state. Rows accumulate in a
 * cs_outbuf and go to the descriptor in >= 64 KiB write()s.
 *
 * Commit is two-phase so that a set of files is all-or-nothing:
 *   phase 1 (finish)  flush and close every file; any error aborts all;
 *   phase 2 (rename)  rename each temporary into place; if one rename fails
 *                     the ones before it are unlinked and the rest aborted.
 *
 * Invariants:
 *   1. open  <=> tmp_path != NULL; then final_path != NULL too and the
 *      temporary exists on disk (until finish closes fd and sets it to -1).
 *   2. closed => final_path == tmp_path == NULL, fd == -1, buf empty and
 *      unallocated.
 *   3. err != 0 never goes back to 0 while open.
 */
#define _POSIX_C_SOURCE 200809L

#include "io/ofile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define BUF_CAP (2 * CS_OFILE_FLUSH_AT) /* threshold plus room for rows */
#define MAX_TRIES 1000                  /* temporary names tried per open */

/* Record the first error of f; returns f's sticky error. */
static int set_err(struct cs_ofile *f, int code, int sys)
{
    if (f->err == 0) {
        f->err = code;
        f->sys_errno = sys;
    }
    return f->err;
}

static void set_closed(struct cs_ofile *f)
{
    f->final_path = NULL;
    f->tmp_path = NULL;
    f->fd = -1;
    f->err = 0;
    f->sys_errno = 0;
    f->buf.data = NULL;
    f->buf.len = 0;
    f->buf.cap = 0;
    f->buf.err = 0;
}

/* Free everything f owns and mark it closed; the temporary stays on disk. */
static void release(struct cs_ofile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    free(f->final_path);
    free(f->tmp_path);
    cs_outbuf_fini(&f->buf);
    set_closed(f);
}

/* malloc'd "a" "b" "c"; NULL if out of memory. */
static char *concat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);

    if (s == NULL)
        return NULL;
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc + 1);
    return s;
}

static int create_tmp(struct cs_ofile *f, struct cs_err *err)
{
    size_t cap = strlen(f->final_path) + 64;
    int tries, e;

    f->tmp_path = malloc(cap);
    if (f->tmp_path == NULL)
        return cs_err_set(err, CS_ENOMEM, f->final_path, 0, 0, "out of memory");
    for (tries = 0; tries < MAX_TRIES; tries++) {
        snprintf(f->tmp_path, cap, "%s.tmp-%ld-%d", f->final_path,
                 (long)getpid(), tries);
        do {
            f->fd = open(f->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                         0644);
        } while (f->fd < 0 && errno == EINTR);
        if (f->fd >= 0)
            return 0;
        if (errno != EEXIST)
            break;
    }
    e = tries == MAX_TRIES ? EEXIST : errno;
    return cs_err_set(err, CS_EIO, f->final_path, 0, 0,
                      "cannot create output file: %s", strerror(e));
}

int cs_ofile_open(struct cs_ofile *f, const char *dir, const char *name,
                  struct cs_err *err)
{
    int rc;

    set_closed(f);
    if (dir == NULL || dir[0] == '\0')
        f->final_path = concat3("", "", name);
    else
        f->final_path =
            concat3(dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    if (f->final_path == NULL)
        return cs_err_set(err, CS_ENOMEM, name, 0, 0, "out of memory");
    rc = create_tmp(f, err);
    if (rc == 0 && cs_outbuf_init(&f->buf, BUF_CAP) != 0) {
        unlink(f->tmp_path);
        rc = cs_err_set(err, CS_ENOMEM, f->final_path, 0, 0, "out of memory");
    }
    if (rc != 0)
        release(f);
    return rc;
}

struct cs_outbuf *cs_ofile_buf(struct cs_ofile *f)
{
    return &f->buf;
}

int cs_ofile_flush(struct cs_ofile *f)
{
    const char *p = f->buf.data;
    size_t left = f->buf.len;

    if (f->buf.err != 0)
        set_err(f, f->buf.err, 0);
    if (f->err != 0)
        return f->err;
    if (f->fd < 0)
        return set_err(f, CS_EINVAL, EBADF);
    while (left > 0) {
        ssize_t n = write(f->fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return set_err(f, CS_EIO, n < 0 ? errno : EIO);
        p += n;
        left -= (size_t)n;
    }
    cs_outbuf_reset(&f->buf);
    return 0;
}

int cs_ofile_flush_if(struct cs_ofile *f)
{
    if (f->buf.len >= CS_OFILE_FLUSH_AT || f->buf.err != 0)
        return cs_ofile_flush(f);
    return f->err;
}

int cs_ofile_fsync(struct cs_ofile *f)
{
    int rc = cs_ofile_flush(f);

    if (rc == 0 && fsync(f->fd) != 0)
        rc = set_err(f, CS_EIO, errno);
    return rc;
}

/* Phase 1: flush and close. On failure fills err (if not yet filled). */
static int finish(struct cs_ofile *f, struct cs_err *err, int first)
{
    int rc;

    if (f->tmp_path == NULL) {
        if (first)
            cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                       "output file committed twice or never opened");
        return CS_EINVAL;
    }
    rc = cs_ofile_flush(f);
    if (f->fd >= 0) {
        if (close(f->fd) != 0 && rc == 0)
            rc = set_err(f, CS_EIO, errno);
        f->fd = -1;
    }
    if (rc != 0 && first)
        cs_err_set(err, rc, f->final_path, 0, 0, "cannot write output: %s",
                   f->sys_errno ? strerror(f->sys_errno) : cs_strerror(rc));
    return rc;
}

void cs_ofile_abort(struct cs_ofile *f)
{
    if (f->tmp_path == NULL)
        return;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    unlink(f->tmp_path);
    release(f);
}

int cs_ofile_commit_all(struct cs_ofile *files, size_t n, struct cs_err *err)
{
    int rc = 0, r;
    size_t i, j;

    for (i = 0; i < n; i++) {
        r = finish(&files[i], err, rc == 0);
        if (rc == 0)
            rc = r;
    }
    for (i = 0; rc == 0 && i < n; i++) {
        if (rename(files[i].tmp_path, files[i].final_path) == 0)
            continue;
        rc = cs_err_set(err, CS_EIO, files[i].final_path, 0, 0,
                        "cannot rename output into place: %s", strerror(errno));
        for (j = 0; j < i; j++) /* undo: never leave half a set */
            unlink(files[j].final_path);
    }
    for (j = 0; j < n; j++) {
        if (rc != 0)
            cs_ofile_abort(&files[j]); /* renamed ones: unlink fails, ok */
        else
            release(&files[j]);
    }
    return rc;
}

int cs_ofile_commit(struct cs_ofile *f, struct cs_err *err)
{
    return cs_ofile_commit_all(f, 1, err);
}

/* mkdir one path prefix; EEXIST is fine if it is a directory. */
static int mkdir_one(const char *path, struct cs_err *err)
{
    struct stat st;

    if (mkdir(path, 0755) == 0)
        return 0;
    if (errno == EEXIST) {
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        return cs_err_set(err, CS_EIO, path, 0, 0,
                          "cannot create directory: not a directory");
    }
    return cs_err_set(err, CS_EIO, path, 0, 0, "cannot create directory: %s",
                      strerror(errno));
}

int cs_mkdir_p(const char *dir, struct cs_err *err)
{
    char *p, *s;
    int rc = 0;

    if (dir == NULL || dir[0] == '\0')
        return cs_err_set(err, CS_EINVAL, NULL, 0, 0,
                          "empty output directory name");
    s = concat3(dir, "", "");
    if (s == NULL)
        return cs_err_set(err, CS_ENOMEM, dir, 0, 0, "out of memory");
    for (p = s + 1; *p != '\0' && rc == 0; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        rc = mkdir_one(s, err);
        *p = '/';
    }
    if (rc == 0)
        rc = mkdir_one(s, err);
    free(s);
    return rc;
}
