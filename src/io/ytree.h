/*
 * ytree.h - YAML documents as a read-only tree of located nodes.
 *
 * libyaml's event stream is turned into struct cs_ynode trees whose nodes
 * remember file, line and column, so that every later error (yfield.h) can
 * point at the input as "file:line:col: message".
 *
 * Ownership: a struct cs_yarena owns every node, string, tag, file name and
 * document array made by the loads into it; they all stay valid, unchanged,
 * until cs_yarena_destroy(). Nodes are never freed one by one.
 *
 * The tree is YAML's representation graph with no type resolution: every
 * scalar is text (`cpu: 1` and `cpu: "1"` give the same str, only `quoted`
 * differs); typed getters in yfield.h convert. Aliases are resolved to the
 * anchored node itself (the pointer is shared, nothing is copied), so the
 * tree is a DAG; it never has cycles. Duplicate keys, merge keys (<<),
 * undefined and recursive aliases are load errors.
 *
 * Limits (cs_yarena_set_limits) bound the memory and time any input can
 * cost: bytes of input, nesting depth, and nodes, where an alias counts as
 * the full size of the node it names, so a walk over the tree that follows
 * aliases visits at most max_nodes nodes ("billion laughs" is refused).
 */
#ifndef CS_IO_YTREE_H
#define CS_IO_YTREE_H

#include <stddef.h>

#include "core/err.h"

enum cs_ynode_kind { CS_Y_SCALAR, CS_Y_SEQ, CS_Y_MAP };

struct cs_ynode {
    enum cs_ynode_kind kind;
    const char *file; /* path of the document (owned by the arena) */
    int line, col;    /* 1-based position of the node's start (col in chars) */
    const char *tag;  /* explicit tag or NULL ("!!str" is "tag:yaml.org,...") */
    int quoted;       /* scalar written quoted or block ('...', "...", | >) */
    const char *str;  /* scalar text, NUL-terminated (NULL for SEQ/MAP) */
    size_t len;       /* scalar length in bytes (may contain "\0" escapes) */
    size_t n;         /* SEQ: number of items; MAP: number of pairs */
    struct cs_ynode **items; /* SEQ: items[i]; MAP: key = items[2*i],
                                value = items[2*i+1]; NULL if n == 0 */
};

/* Limits applied to each load; 0 in a field means "keep the current one". */
struct cs_ylimits {
    size_t max_input; /* bytes of one file or buffer */
    size_t max_depth; /* nesting of sequences and mappings */
    size_t max_nodes; /* nodes of one load, aliases counted expanded */
};

#define CS_YAML_MAX_INPUT ((size_t)64 << 20)
#define CS_YAML_MAX_DEPTH ((size_t)256)
#define CS_YAML_MAX_NODES ((size_t)10000000)

struct cs_yarena; /* owns every node, string and document */

/* New empty arena with the default limits (CS_YAML_MAX_*); NULL on ENOMEM. */
struct cs_yarena *cs_yarena_create(void);

/* Frees the arena and everything loaded into it; NULL is a no-op. */
void cs_yarena_destroy(struct cs_yarena *a);

/* Replaces the limits used by later loads (fields that are 0 are kept). */
void cs_yarena_set_limits(struct cs_yarena *a, const struct cs_ylimits *lim);

/* An arena-owned copy of s[0..n) with a NUL after it (s may hold NULs and
 * need not be NUL-terminated; it may be NULL when n is 0). The copy lives
 * until cs_yarena_destroy(). NULL on ENOMEM. */
char *cs_yarena_strndup(struct cs_yarena *a, const char *s, size_t n);

/* Parse all documents of a multi-document YAML file. On success returns 0
 * and *docs points to an arena-owned array of *ndocs roots (documents that
 * are empty or only comments are skipped; *docs is NULL when *ndocs is 0).
 * On failure returns
 *   CS_EIO     cannot read: "cannot open FILE: strerror" (no line/col),
 *   CS_EPARSE  YAML syntax error (libyaml's problem and context text, at the
 *              problem mark) or a tree error (duplicate key "x", alias...),
 *   CS_ELIMIT  a limit was exceeded (the message names it),
 *   CS_ENOMEM
 * with err filled with path/line/col/message; *docs and *ndocs are left
 * untouched, and the arena may hold unreachable nodes until destroyed.
 * Cost: linear in the input size. */
int cs_yaml_load_file(struct cs_yarena *a, const char *path,
                      struct cs_ynode ***docs, size_t *ndocs,
                      struct cs_err *err);

/* Same for a buffer of len bytes (need not be NUL-terminated, may contain
 * NULs, which libyaml rejects); name is used as the file of every node and
 * error and is copied into the arena. */
int cs_yaml_load_buffer(struct cs_yarena *a, const char *name, const char *buf,
                        size_t len, struct cs_ynode ***docs, size_t *ndocs,
                        struct cs_err *err);

#endif
