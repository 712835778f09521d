/*
 * kubectl.h - the kubectl commands of a CronJob container, as scheduled
 * actions (model/action.h).
 *
 * Teams pre-scale for known peaks with CronJobs whose container runs
 * kubectl, either directly (`command: [kubectl, scale, deploy/shop,
 * --replicas=6]`) or inside `sh -c SCRIPT`. capsim reads these commands:
 *
 *   kubectl scale deployment NAME... --replicas=N     -> SCALE
 *   kubectl patch hpa NAME -p PATCH [--type=...]      -> PATCH_HPA
 *   kubectl patch vpa NAME -p PATCH --type=merge|json -> PATCH_VPA
 *   kubectl patch deployment NAME
 *           -p '{"spec":{"replicas":N}}'              -> SCALE
 *   kubectl set resources deployment NAME... [-c C]
 *           --requests=cpu=200m,... --limits=...      -> RESOURCES
 *
 * and refuses, with a located message, anything it cannot simulate
 * faithfully: other verbs and kinds, preconditions, shell expansions, other
 * programs. docs/kubectl-commands.md lists the accepted forms and every
 * message.
 *
 * Ownership: whatever outlives a call is in the arena (temporaries are
 * freed). Strings of the actions (targets, containers, resource names) are
 * borrowed from the word nodes or owned by the arena, so the actions stay
 * valid until cs_yarena_destroy().
 *
 * Errors: CS_EPARSE for input that kubectl or sh would reject (unterminated
 * quote, missing --replicas, a malformed number, quantity or patch),
 * CS_EINVAL for valid commands capsim does not model (a StatefulSet, an
 * unsupported verb or flag, $VAR, a pipe, another program), CS_ELIMIT for
 * more actions than the caller's max, CS_ENOMEM. The message starts with
 * the offending command in double quotes (as written in the script, or the
 * words joined by spaces, cut after 100 bytes):
 *
 *   cron.yaml:14:40: "kubectl scale sts/db --replicas=3": capsim models
 *   Deployments only (got sts)
 */
#ifndef CS_IO_KUBECTL_H
#define CS_IO_KUBECTL_H

#include <stddef.h>

#include "core/err.h"
#include "io/ytree.h"
#include "model/action.h"
#include "model/vpa.h"

/* words: the CronJob container's `command` items followed by its `args`
 * items (YAML scalar nodes, for error locations). Appends at most max
 * actions to out, in the order the commands run, and sets *nout.
 *
 * Returns 0, or CS_EPARSE / CS_EINVAL / CS_ELIMIT / CS_ENOMEM with err at
 * FILE:LINE:COL of the offending word (for a shell script, the script
 * node's position; the message quotes the offending command). With no words
 * at all, err has no location. On failure *nout is untouched, out[0..max)
 * may have been written, and the arena may hold unreachable copies.
 * Cost: linear in the total length of the words (plus the patches' YAML
 * loads). */
int cs_kubectl_parse(struct cs_yarena *a, const struct cs_ynode *const *words,
                     size_t nwords, struct cs_action *out, size_t max,
                     size_t *nout, struct cs_err *err);

#endif
