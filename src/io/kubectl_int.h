/*
 * kubectl_int.h - internals shared by the files of the kubectl reader:
 * kubectl.c (messages, the kubectl command line and its verbs, the entry
 * point), kubectl_sh.c (sh -c scripts) and kubectl_patch.c (the body of
 * kubectl patch).
 *
 * A command is a list of struct word wherever it came from (the
 * container's argv, or a script's words), and every message quotes the
 * command being read, kp->cmd.
 */
#ifndef CS_IO_KUBECTL_INT_H
#define CS_IO_KUBECTL_INT_H

#include <stdarg.h>
#include <stddef.h>

#include "io/kubectl.h"

struct word {
    const char *s;             /* NUL-terminated text, quotes removed */
    const struct cs_ynode *at; /* where a message about it points */
    const char *exp;           /* its first expansion as written, or NULL */
};

struct cmd {
    const struct word *w;
    size_t n;
    const char *src; /* the command as written in a script; NULL: argv */
    size_t srclen;
};

struct kp {
    struct cs_yarena *a;
    struct cs_err *err;
    const struct cmd *cmd; /* the command being read, quoted in messages */
    struct cs_action *out;
    size_t max, n;   /* n <= max actions appended so far */
    size_t nkubectl; /* kubectl commands run */
};

/* Fills kp->err with "\"COMMAND\": message" at `at` (no location if NULL);
 * returns code. */
int cs_kubectl_vfail(struct kp *kp, int code, const struct cs_ynode *at,
                     const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 0)))
#endif
    ;

/* "out of memory", no location; returns CS_ENOMEM. */
int cs_kubectl_nomem(struct kp *kp);

/* The last component of a path ("kubectl" for "/usr/bin/kubectl"). */
const char *cs_kubectl_base(const char *path);

/* One kubectl command, w[0] being kubectl: its actions appended to kp. */
int cs_kubectl_command(struct kp *kp, const struct word *w, size_t n);

/* w[i] is a shell (sh, bash...): its options up to -c, then the script,
 * whose commands are run. */
int cs_kubectl_shell(struct kp *kp, const struct word *w, size_t n, size_t i);

/* The object a patch is applied to. */
enum cs_kubectl_object {
    CS_KUBECTL_DEPLOYMENT, /* spec.replicas only: a SCALE */
    CS_KUBECTL_HPA,        /* min/max replicas, a metric's utilization */
    CS_KUBECTL_VPA         /* spec.updatePolicy.updateMode only */
};

/* kubectl patch --type. */
enum cs_kubectl_patch_type {
    CS_KUBECTL_STRATEGIC, /* the default; same as merge for these fields
                             (refused for a VPA, a custom resource) */
    CS_KUBECTL_MERGE,     /* {"spec": {...}} */
    CS_KUBECTL_JSON       /* [{"op": "replace", "path": ..., "value": ...}] */
};

/* The body of `kubectl patch` (JSON, or YAML as kubectl also takes) given
 * as patch[0..len), loaded into the arena as a document named name. On
 * success *out is a fresh action (cs_action_init) of kind SCALE for a
 * Deployment, PATCH_HPA for an HPA or PATCH_VPA for a VPA, target NULL for
 * the caller to set.
 * Returns 0, CS_EPARSE (not JSON/YAML, a value of the wrong type or out of
 * range), CS_EINVAL (a field capsim does not patch), CS_ELIMIT or
 * CS_ENOMEM, with err located in the patch text (line 0 when the patch is
 * empty) and *out untouched. A VPA takes merge and json patches only (the
 * caller refuses strategic ones, as the API server does for custom
 * resources); a strategic patch is read as merge. */
int cs_kubectl_patch_parse(struct cs_yarena *a, const char *name,
                           const char *patch, size_t len,
                           enum cs_kubectl_object obj,
                           enum cs_kubectl_patch_type type,
                           struct cs_action *out, struct cs_err *err);

#endif
