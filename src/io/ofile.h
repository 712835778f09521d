/*
 * ofile.h - output files that are never half-written (STYLE.md point 13).
 *
 * An output is written to DIR/NAME.tmp-<pid>-<n> in the destination
 * directory (so the final rename stays on one file system and is atomic)
 * and renamed to DIR/NAME only when complete. A run that fails, crashes or
 * is interrupted leaves at worst a stray *.tmp-* file, never a truncated
 * NAME that looks complete. cs_ofile_commit_all() extends this to a set of
 * files (summary + time series...): either all of them appear or none.
 *
 * Lifecycle (each arrow names the function that makes the transition):
 *
 *     closed --cs_ofile_open--> open --cs_ofile_commit[_all]--> closed
 *                                  \                            (renamed)
 *                                   \--cs_ofile_abort---------> closed
 *                                                               (unlinked)
 *
 * A failed open, commit or commit_all also leaves the file closed with its
 * temporary unlinked; cs_ofile_abort() on a closed file is a no-op.
 *
 * Ownership: struct cs_ofile is caller-allocated; between open and
 * commit/abort it owns both paths, the descriptor and the buffer.
 * Rows are appended to cs_ofile_buf() and written out in 64 KiB chunks;
 * write errors are sticky in `err` and reported by commit.
 */
#ifndef CS_IO_OFILE_H
#define CS_IO_OFILE_H

#include <stddef.h>

#include "core/err.h"
#include "io/outbuf.h"

/* Buffered bytes at which cs_ofile_flush_if() writes out. */
#define CS_OFILE_FLUSH_AT ((size_t)64 * 1024)

struct cs_ofile {
    char *final_path;     /* owned; DIR/NAME; NULL when closed */
    char *tmp_path;       /* owned; DIR/NAME.tmp-<pid>-<n>; NULL when closed */
    int fd;               /* temporary's descriptor; -1 when closed */
    struct cs_outbuf buf; /* pending bytes, written on flush */
    int err;              /* first CS_E* error, sticky; 0 if none */
    int sys_errno;        /* errno behind err, for the message; 0 if none */
};

/* Create DIR/NAME.tmp-<pid>-<n> with O_EXCL and mode 0644 (less umask),
 * trying n = 0, 1, ... while the name is taken, to be renamed to DIR/NAME on
 * commit. dir may be "" or NULL for the current directory; it must exist
 * (see cs_mkdir_p). Returns 0, or CS_EIO / CS_ENOMEM with err filled and f
 * closed (nothing created). */
int cs_ofile_open(struct cs_ofile *f, const char *dir, const char *name,
                  struct cs_err *err);

/* The buffer to append to; call cs_ofile_flush_if(f) after each row. */
struct cs_outbuf *cs_ofile_buf(struct cs_ofile *f);

/* Write out the buffer if it holds >= CS_OFILE_FLUSH_AT bytes. Returns 0 or
 * the sticky error (CS_EIO, CS_ENOMEM); the file stays open either way and
 * commit reports the error. O(1) when nothing is written. */
int cs_ofile_flush_if(struct cs_ofile *f);

/* Write out the whole buffer now. Returns 0 or the sticky error. */
int cs_ofile_flush(struct cs_ofile *f);

/* Flush and fsync the temporary, for outputs that must survive a power
 * loss (commit alone gives atomicity, not durability). 0 or sticky error. */
int cs_ofile_fsync(struct cs_ofile *f);

/* Flush, close and rename the temporary to final_path (replacing any older
 * file). Returns 0, or CS_EIO / CS_ENOMEM / CS_EINVAL (f not open) with err
 * filled and the temporary unlinked. f is closed afterwards either way. */
int cs_ofile_commit(struct cs_ofile *f, struct cs_err *err);

/* Close f and unlink its temporary. Safe after commit, abort or a failed
 * open. Never fails. */
void cs_ofile_abort(struct cs_ofile *f);

/* Commit files[0..n) together: every file is flushed and closed first, and
 * only if all of that succeeded are they renamed. If a rename fails, the
 * files already renamed in this call are unlinked again, so the set never
 * mixes files of two runs. Returns 0, or the first error with err filled;
 * every file is closed afterwards and no temporary is left behind. */
int cs_ofile_commit_all(struct cs_ofile *files, size_t n, struct cs_err *err);

/* Create dir and its missing parents (mode 0755 less umask), like
 * `mkdir -p`. Returns 0, or CS_EINVAL (empty path) / CS_EIO (with err
 * filled: path and reason) / CS_ENOMEM; directories already created are
 * left in place. */
int cs_mkdir_p(const char *dir, struct cs_err *err);

#endif
