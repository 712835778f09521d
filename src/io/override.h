/*
 * override.h - `--set PATH=VALUE`: change any value of a scenario, or of a
 * Kubernetes object in its manifests, from the command line.
 *
 * An override edits the parsed YAML tree before the scenario is validated,
 * so the new value goes through exactly the checks and messages it would
 * meet written in the file (docs/scenario-format.md, "Overrides: --set").
 *
 * PATH is either a scenario path, keys separated by '.', list items chosen
 * by index `[2]` or by name `[gpu]`:
 *
 *     cluster.nodePools[gpu].maxSize=8      duration=2h
 *
 * or KIND/NAME of an object of the manifests (inline or in a file),
 * followed by a path inside the object:
 *
 *     hpa/backend.spec.maxReplicas=20       deployment/web.spec.replicas=3
 *
 * KIND is the object's kind in any case (`horizontalpodautoscaler`) or a
 * kubectl short name (hpa, deploy, pdb, ds, cj, quota, pc, cm). A '\'
 * makes the next character literal (`labels.app\.kubernetes\.io/name=x`).
 * VALUE is one YAML value: a scalar, or a flow list `[a, b]` or map
 * `{k: v}`; empty is null.
 *
 * Editing never writes to a node of the original tree: the nodes on the
 * path are copied (path copying), so a node shared through a YAML alias
 * keeps its value everywhere else. Nodes the override makes are located
 * in the argument: file "--set PATH=VALUE", line 1, column = character of
 * the argument where the key or value starts, so a value that fails
 * validation reads `--set hpa/web.spec.maxReplicas=0:1:26: ...`.
 *
 * Error messages (tests pin them; ARG is the argument as given):
 *   --set: expected PATH=VALUE, got "ARG"
 *   --set ARG: the path is empty | empty key in the path |
 *     "[" without "]" in the path | empty [] in the path |
 *     expected "." or "[" after "]" in the path |
 *     the path must start with a key | the path has more than 256 parts |
 *     no object kind before "/" | no object name after "KIND/" |
 *     the path names an object; add the field to set (KIND/NAME.spec...)
 *   --set ARG:1:COL: <libyaml's message>        (VALUE is not valid YAML)
 *   --set ARG: the value must be a scalar, a [list] or a {map}
 *   --set ARG: no KIND named "NAME" in the manifests
 *   --set ARG: index I is out of range: P has N items
 *   --set ARG: P has no item named "X" (names: a, b)
 *   --set ARG: P is not set, so it has no item [S]
 *   --set ARG: P is a scalar, not a map | P is a scalar, not a list |
 *     P is a map, not a list |
 *     P is a list: select an item with [INDEX] or [NAME]
 * where P is the path as written up to the offending part.
 */
#ifndef CS_IO_OVERRIDE_H
#define CS_IO_OVERRIDE_H

#include <stddef.h>

#include "core/err.h"
#include "io/ytree.h"

#define CS_OVERRIDE_MAX_PARTS 256

enum cs_oseg_kind {
    CS_OSEG_KEY = 1, /* .key */
    CS_OSEG_INDEX,   /* [2] */
    CS_OSEG_NAME,    /* [gpu]: the item whose `name` (or metadata.name) is */
};

/* One part of the path. */
struct cs_oseg {
    enum cs_oseg_kind kind;
    const char *text; /* key, name or index as written, unescaped */
    size_t index;     /* INDEX */
    size_t start;     /* byte offset of the part in arg ('[' for a selector) */
    int col;          /* 1-based character column of the part in arg */
};

/* A parsed --set argument. Caller-allocated; cs_override_parse() fills it
 * and owns what it points to until cs_override_fini(). */
struct cs_override {
    const char *label;    /* "--set ARG": the file of errors and new nodes */
    const char *arg;      /* the argument as given (label + 6) */
    const char *kind;     /* object target: Kubernetes kind (canonical when
                             known, else as written); NULL: scenario path */
    const char *name;     /* object target: metadata.name */
    struct cs_oseg *segs; /* the path (inside the object for a target) */
    size_t nsegs;         /* >= 1 */
    const char *value;    /* VALUE text, in arg (may be "") */
    size_t value_off;     /* byte offset of VALUE in arg */
    int value_col;        /* 1-based character column of VALUE in arg */
    char *buf;            /* owned storage of kind, name and the texts */
};

/* Memory for the nodes an override makes: strings go to the arena of the
 * tree; node structs and item arrays come from alloc (zeroed, NULL when
 * out of memory), which must keep them as long as the arena lives. */
struct cs_override_mem {
    struct cs_yarena *arena;
    void *(*alloc)(void *ctx, size_t n);
    void *ctx;
};

/* Parse arg ("PATH=VALUE") into *ov; VALUE is also checked to be valid
 * YAML of the allowed shape. Returns 0, or CS_EINVAL (CS_ENOMEM) with err
 * filled (messages above) and *ov left empty (cs_override_fini is then a
 * no-op, as it is on a zeroed struct). Cost: linear in strlen(arg). */
int cs_override_parse(const char *arg, struct cs_override *ov,
                      struct cs_err *err);

/* Frees what cs_override_parse() allocated and zeroes *ov. */
void cs_override_fini(struct cs_override *ov);

/* Apply ov[0..n) in order to a scenario document: scenario paths to *root,
 * object overrides to the objects written inline in its `manifests:` list.
 * *root is replaced by the edited copy (left as it is when no override
 * applies, or when it is not a mapping: validation reports that). hits[i]
 * is incremented for each object override i applies to. Returns 0 or a
 * negative CS_E* code with err filled; *root may then hold part of the
 * edits. */
int cs_override_apply_scenario(const struct cs_override *ov, size_t n,
                               struct cs_ynode **root, size_t *hits,
                               const struct cs_override_mem *mem,
                               struct cs_err *err);

/* Apply the object overrides of ov[0..n) to the documents of a manifest
 * file, docs[0..ndocs) (an object per document, or the `items` of a `kind:
 * List` document); edited documents are replaced in docs. hits as above.
 * Returns 0 or a negative CS_E* code with err filled. */
int cs_override_apply_manifest(const struct cs_override *ov, size_t n,
                               struct cs_ynode **docs, size_t ndocs,
                               size_t *hits, const struct cs_override_mem *mem,
                               struct cs_err *err);

/* After every manifest was seen: CS_ENOENT with "--set ARG: no KIND named
 * \"NAME\" in the manifests" for the first object override whose hits is
 * 0, else 0. */
int cs_override_check_found(const struct cs_override *ov, size_t n,
                            const size_t *hits, struct cs_err *err);

#endif
