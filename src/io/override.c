/*
 * override.c - `--set PATH=VALUE` overrides of a scenario's YAML tree (see
 * override.h for the syntax and the messages).
 *
 * Design
 * ------
 * cs_override_parse() splits the argument once: the first unescaped '='
 * ends PATH; a '/' before the first unescaped '.' or '[' makes the first
 * part KIND/NAME of an object; the rest is a list of parts (struct
 * cs_oseg) whose unescaped texts live in one buffer owned by the override.
 * VALUE is parsed as YAML into a throw-away arena, so a malformed value is
 * refused before any file is read.
 *
 * Applying walks the tree along the parts with set_at(), which returns a
 * new node for every node on the path and the parsed value at its end:
 *
 *     root' = copy(root) with  key0 -> copy(child) with ... -> VALUE
 *
 * Invariants
 *  1. No node reachable from the tree given is written: the nodes on the
 *     path are copied (shallow: a new struct and a new items array), so a
 *     node shared through an alias changes only where the path goes.
 *  2. New nodes are located in the argument (file "--set ARG", line 1),
 *     so validation errors about them point at the command line.
 *  3. VALUE is parsed from a buffer padded with value_col - 1 spaces, so
 *     libyaml's own columns (and its error marks) are columns of ARG.
 */
#include "io/override.h"

#include "io/quantity.h"
#include "io/yfield.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_PREFIX "--set "
#define LABEL_LEN (sizeof(LABEL_PREFIX) - 1)

/* Kinds by kubectl short name, for KIND/NAME (matched in any case). */
static const struct {
    const char *short_name, *kind;
} kinds[] = {
    {"deploy", "Deployment"},
    {"hpa", "HorizontalPodAutoscaler"},
    {"pdb", "PodDisruptionBudget"},
    {"ds", "DaemonSet"},
    {"cj", "CronJob"},
    {"quota", "ResourceQuota"},
    {"pc", "PriorityClass"},
    {"cm", "ConfigMap"},
    {"vpa", "VerticalPodAutoscaler"},
};

/* ASCII case-insensitive equality (Kubernetes kinds are ASCII). */
static int same_icase(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;

        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static const char *canonical_kind(const char *k)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (same_icase(k, kinds[i].short_name) || same_icase(k, kinds[i].kind))
            return kinds[i].kind;
    return k;
}

/* 1-based column in characters of byte offset off of s. */
static int char_col(const char *s, size_t off)
{
    int col = 1;

    for (size_t i = 0; i < off; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && col < INT_MAX)
            col++;
    return col;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(const struct cs_override *ov, struct cs_err *err, const char *fmt, ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cs_err_set(err, CS_EINVAL, ov->label, 0, 0, "%s", msg);
}

static int nomem(struct cs_err *err)
{
    return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ------------------------------------------------------------------------ */
/* Parsing the argument                                                     */
/* ------------------------------------------------------------------------ */

struct pstate {
    struct cs_override *ov;
    const char *s; /* the argument */
    size_t end;    /* offset of the '=' ending PATH */
    size_t p;      /* current offset */
    char *out;     /* next free byte of ov->buf */
    size_t cap;    /* room in ov->segs */
    struct cs_err *err;
};

/* Offset of the first unescaped '=' of s, or SIZE_MAX. */
static size_t find_eq(const char *s)
{
    for (size_t i = 0; s[i] != '\0'; i++) {
        if (s[i] == '\\' && s[i + 1] != '\0')
            i++;
        else if (s[i] == '=')
            return i;
    }
    return SIZE_MAX;
}

/* Copies s[p..) up to an unescaped byte of stop (or PATH's end) into the
 * buffer, unescaped and NUL-terminated; returns the copy. */
static const char *take_text(struct pstate *ps, const char *stop)
{
    const char *text = ps->out;

    while (ps->p < ps->end && strchr(stop, ps->s[ps->p]) == NULL) {
        if (ps->s[ps->p] == '\\' && ps->p + 1 < ps->end)
            ps->p++;
        *ps->out++ = ps->s[ps->p++];
    }
    *ps->out++ = '\0';
    return text;
}

static int add_seg(struct pstate *ps, enum cs_oseg_kind kind, const char *text,
                   size_t start)
{
    struct cs_override *ov = ps->ov;
    struct cs_oseg *sg;

    if (ov->nsegs == CS_OVERRIDE_MAX_PARTS)
        return fail(ov, ps->err, "the path has more than %d parts",
                    CS_OVERRIDE_MAX_PARTS);
    if (ov->nsegs == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 8;
        struct cs_oseg *a = realloc(ov->segs, cap * sizeof(*a));

        if (a == NULL)
            return nomem(ps->err);
        ov->segs = a;
        ps->cap = cap;
    }
    sg = &ov->segs[ov->nsegs++];
    sg->kind = kind;
    sg->text = text;
    sg->index = 0;
    sg->start = start;
    sg->col = char_col(ps->s, start);
    return 0;
}

/* One [SELECTOR] at ps->p (on the '['). */
static int take_selector(struct pstate *ps)
{
    size_t start = ps->p++, i;
    const char *t = take_text(ps, "]");
    int64_t v;
    int rc;

    if (ps->p >= ps->end)
        return fail(ps->ov, ps->err, "\"[\" without \"]\" in the path");
    ps->p++;
    if (t[0] == '\0')
        return fail(ps->ov, ps->err, "empty [] in the path");
    for (i = 0; t[i] >= '0' && t[i] <= '9'; i++)
        ;
    if (t[i] != '\0')
        return add_seg(ps, CS_OSEG_NAME, t, start);
    rc = add_seg(ps, CS_OSEG_INDEX, t, start);
    if (rc < 0)
        return rc;
    /* too many digits for any list: out of range when applied */
    ps->ov->segs[ps->ov->nsegs - 1].index =
        cs_parse_int64(t, &v) == 0 ? (size_t)v : SIZE_MAX;
    return 0;
}

/* key([sel])* ('.' key([sel])*)* from ps->p to PATH's end. */
static int parse_path(struct pstate *ps)
{
    const char *s = ps->s;

    if (ps->p < ps->end && s[ps->p] == '[')
        return fail(ps->ov, ps->err, "the path must start with a key");
    for (;;) {
        size_t start = ps->p;
        const char *key = take_text(ps, ".[");

        int rc;

        if (key[0] == '\0')
            return fail(ps->ov, ps->err, "empty key in the path");
        if ((rc = add_seg(ps, CS_OSEG_KEY, key, start)) < 0)
            return rc;
        while (ps->p < ps->end && s[ps->p] == '[')
            if ((rc = take_selector(ps)) < 0)
                return rc;
        if (ps->p == ps->end)
            return 0;
        if (s[ps->p] != '.')
            return fail(ps->ov, ps->err,
                        "expected \".\" or \"[\" after \"]\" in the path");
        ps->p++;
    }
}

/* KIND/NAME. when the first part holds an unescaped '/' (then ps->p is
 * left after the '.'), else nothing. */
static int parse_target(struct pstate *ps)
{
    struct cs_override *ov = ps->ov;
    const char *s = ps->s;
    size_t i, slash = SIZE_MAX;

    for (i = 0; i < ps->end && s[i] != '.' && s[i] != '['; i++) {
        if (s[i] == '\\' && i + 1 < ps->end)
            i++;
        else if (s[i] == '/' && slash == SIZE_MAX)
            slash = i;
    }
    if (slash == SIZE_MAX)
        return 0;
    ov->kind = take_text(ps, "/");
    if (ov->kind[0] == '\0')
        return fail(ov, ps->err, "no object kind before \"/\"");
    ov->kind = canonical_kind(ov->kind);
    ps->p++;
    ov->name = take_text(ps, ".");
    if (ov->name[0] == '\0')
        return fail(ov, ps->err, "no object name after \"%.*s\"",
                    (int)(slash + 1), s);
    if (ps->p == ps->end)
        return fail(ov, ps->err,
                    "the path names an object; add the field to set "
                    "(%.*s.spec...)",
                    (int)ps->p, s);
    ps->p++;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The value                                                                */
/* ------------------------------------------------------------------------ */

/* VALUE parsed into arena a: *out is its root, or NULL for an empty value
 * (null). Errors are located in the argument. */
static int parse_value(const struct cs_override *ov, struct cs_yarena *a,
                       struct cs_ynode **out, struct cs_err *err)
{
    size_t pad = (size_t)ov->value_col - 1, len = strlen(ov->value);
    char *buf = malloc(pad + len + 1);
    struct cs_ynode **docs = NULL;
    size_t ndocs = 0;
    const char *v = ov->value + strspn(ov->value, " \t");
    int rc;

    if (buf == NULL)
        return nomem(err);
    memset(buf, ' ', pad);
    memcpy(buf + pad, ov->value, len);
    rc = cs_yaml_load_buffer(a, ov->label, buf, pad + len, &docs, &ndocs, err);
    free(buf);
    /* libyaml puts the end of a one-line input on line 2 */
    if (rc < 0 && err->line > 1 && strpbrk(ov->value, "\r\n") == NULL) {
        err->line = 1;
        err->col = char_col(ov->arg, strlen(ov->arg));
    }
    if (rc < 0)
        return rc;
    if (ndocs > 1 || (ndocs == 1 && docs[0]->kind != CS_Y_SCALAR &&
                      v[0] != '[' && v[0] != '{'))
        return fail(ov, err, "the value must be a scalar, a [list] or a {map}");
    *out = ndocs == 1 ? docs[0] : NULL;
    return 0;
}

static int check_value(const struct cs_override *ov, struct cs_err *err)
{
    struct cs_yarena *a = cs_yarena_create();
    struct cs_ynode *root;
    int rc;

    if (a == NULL)
        return nomem(err);
    rc = parse_value(ov, a, &root, err);
    cs_yarena_destroy(a);
    return rc;
}

int cs_override_parse(const char *arg, struct cs_override *ov,
                      struct cs_err *err)
{
    size_t eq = find_eq(arg), len = strlen(arg);
    struct pstate ps;
    int rc;

    memset(ov, 0, sizeof(*ov));
    if (eq == SIZE_MAX)
        return cs_err_set(err, CS_EINVAL, "--set", 0, 0,
                          "expected PATH=VALUE, got \"%s\"", arg);
    /* label, then at most len + 1 bytes of texts and a NUL per part */
    ov->buf = malloc(LABEL_LEN + 3 * len + 8);
    if (ov->buf == NULL)
        return nomem(err);
    memcpy(ov->buf, LABEL_PREFIX, LABEL_LEN);
    memcpy(ov->buf + LABEL_LEN, arg, len + 1);
    ov->label = ov->buf;
    ov->arg = ov->buf + LABEL_LEN;
    ov->value = ov->arg + eq + 1;
    ov->value_off = eq + 1;
    ov->value_col = char_col(ov->arg, eq + 1);
    memset(&ps, 0, sizeof(ps));
    ps.ov = ov;
    ps.s = ov->arg;
    ps.end = eq;
    ps.out = ov->buf + LABEL_LEN + len + 1;
    ps.err = err;
    if (eq == 0)
        rc = fail(ov, err, "the path is empty");
    else if ((rc = parse_target(&ps)) == 0)
        rc = parse_path(&ps);
    if (rc == 0)
        rc = check_value(ov, err);
    if (rc < 0)
        cs_override_fini(ov);
    return rc;
}

void cs_override_fini(struct cs_override *ov)
{
    free(ov->segs);
    free(ov->buf);
    memset(ov, 0, sizeof(*ov));
}

/* ------------------------------------------------------------------------ */
/* Walking and copying                                                      */
/* ------------------------------------------------------------------------ */

struct walk {
    const struct cs_override *ov;
    const struct cs_override_mem *mem;
    struct cs_err *err;
    const char *label;      /* arena copy of ov->label */
    struct cs_ynode *value; /* grafted at the end of the path */
    int rc;                 /* code of the failure, once err is filled */
};

/* Fills err with "--set ARG: message"; returns NULL. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static struct cs_ynode *
wfail(struct walk *w, const char *fmt, ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    w->rc = fail(w->ov, w->err, "%s", msg);
    return NULL;
}

static void *walloc(struct walk *w, size_t n)
{
    void *p = w->mem->alloc(w->mem->ctx, n);

    if (p == NULL)
        w->rc = nomem(w->err);
    return p;
}

static struct cs_ynode *new_node(struct walk *w, enum cs_ynode_kind kind,
                                 int col)
{
    struct cs_ynode *n = walloc(w, sizeof(*n));

    if (n == NULL)
        return NULL;
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->file = w->label;
    n->line = 1;
    n->col = col;
    return n;
}

/* A new scalar holding text, at column col of the argument. */
static struct cs_ynode *new_scalar(struct walk *w, const char *text, int col)
{
    struct cs_ynode *n = new_node(w, CS_Y_SCALAR, col);

    if (n == NULL)
        return NULL;
    n->len = strlen(text);
    n->str = cs_yarena_strndup(w->mem->arena, text, n->len);
    if (n->str == NULL) {
        w->rc = nomem(w->err);
        return NULL;
    }
    return n;
}

/* A shallow copy of c with room for `extra` more items (pairs for a map);
 * n is unchanged. */
static struct cs_ynode *copy_node(struct walk *w, const struct cs_ynode *c,
                                  size_t extra)
{
    size_t per = c->kind == CS_Y_MAP ? 2 : 1, want = (c->n + extra) * per;
    struct cs_ynode *n = new_node(w, c->kind, c->col);

    if (n == NULL)
        return NULL;
    *n = *c;
    n->items = walloc(w, (want ? want : 1) * sizeof(*n->items));
    if (n->items == NULL)
        return NULL;
    if (c->n > 0)
        memcpy(n->items, c->items, c->n * per * sizeof(*n->items));
    return n;
}

/* The path as written before part i ("KIND/NAME" before the first part of
 * an object override): its length in ov->arg. */
static int prefix_len(const struct cs_override *ov, size_t i)
{
    size_t n = ov->segs[i].start;

    if (n > 0 && ov->arg[n - 1] == '.')
        n--;
    return n > INT_MAX ? INT_MAX : (int)n;
}

/* The `name` (or metadata.name) of a list item, or NULL. */
static const char *item_name(const struct cs_ynode *it)
{
    const struct cs_ynode *nm = cs_ymap_get(it, "name");

    if (nm == NULL)
        nm = cs_ymap_get(cs_ymap_get(it, "metadata"), "name");
    return nm != NULL && nm->kind == CS_Y_SCALAR ? nm->str : NULL;
}

static void no_such_name(struct walk *w, const struct cs_ynode *seq, size_t i)
{
    char names[320];
    size_t used = 0;

    names[0] = '\0';
    for (size_t k = 0; k < seq->n && used < sizeof(names); k++) {
        const char *nm = item_name(seq->items[k]);
        int m;

        if (nm == NULL)
            continue;
        m = snprintf(names + used, sizeof(names) - used, "%s%s",
                     used ? ", " : "", nm);
        used = m < 0 ? sizeof(names) : used + (size_t)m;
    }
    wfail(w, "%.*s has no item named \"%s\" (%s%s)", prefix_len(w->ov, i),
          w->ov->arg, w->ov->segs[i].text,
          names[0] ? "names: " : "its items have no name", names);
}

/* Index of the item part i selects in seq, or -1 with err filled. */
static long find_item(struct walk *w, const struct cs_ynode *seq, size_t i)
{
    const struct cs_oseg *sg = &w->ov->segs[i];

    if (sg->kind == CS_OSEG_INDEX) {
        if (sg->index < seq->n && seq->n <= LONG_MAX)
            return (long)sg->index;
        wfail(w, "index %s is out of range: %.*s has %zu item%s", sg->text,
              prefix_len(w->ov, i), w->ov->arg, seq->n, seq->n == 1 ? "" : "s");
        return -1;
    }
    for (size_t k = 0; k < seq->n && k <= LONG_MAX; k++) {
        const char *nm = item_name(seq->items[k]);

        if (nm != NULL && strcmp(nm, sg->text) == 0)
            return (long)k;
    }
    no_such_name(w, seq, i);
    return -1;
}

static struct cs_ynode *set_at(struct walk *w, struct cs_ynode *node, size_t i);

/* Part i is a key of map: the copy of map with that key set. */
static struct cs_ynode *set_in_map(struct walk *w, struct cs_ynode *map,
                                   size_t i)
{
    const struct cs_oseg *sg = &w->ov->segs[i];
    size_t k, tlen = strlen(sg->text);
    struct cs_ynode *child, *copy;

    for (k = 0; k < map->n; k++) {
        const struct cs_ynode *key = map->items[2 * k];

        if (key->kind == CS_Y_SCALAR && key->len == tlen &&
            memcmp(key->str, sg->text, tlen) == 0)
            break;
    }
    child = set_at(w, k < map->n ? map->items[2 * k + 1] : NULL, i + 1);
    copy = child != NULL ? copy_node(w, map, k < map->n ? 0 : 1) : NULL;
    if (copy == NULL)
        return NULL;
    if (k == map->n) {
        copy->items[2 * k] = new_scalar(w, sg->text, sg->col);
        if (copy->items[2 * k] == NULL)
            return NULL;
        copy->n++;
    }
    copy->items[2 * k + 1] = child;
    return copy;
}

/* Part i selects an item of seq: the copy of seq with that item set. */
static struct cs_ynode *set_in_seq(struct walk *w, struct cs_ynode *seq,
                                   size_t i)
{
    long k = find_item(w, seq, i);
    struct cs_ynode *child, *copy;

    if (k < 0)
        return NULL;
    child = set_at(w, seq->items[k], i + 1);
    copy = child != NULL ? copy_node(w, seq, 0) : NULL;
    if (copy == NULL)
        return NULL;
    copy->items[k] = child;
    return copy;
}

/* The copy of node (NULL: absent) with the path from part i set to the
 * value; NULL with w->err and w->rc filled. */
static struct cs_ynode *set_at(struct walk *w, struct cs_ynode *node, size_t i)
{
    const struct cs_override *ov = w->ov;
    const struct cs_oseg *sg;
    struct cs_ynode *map;
    int plen;

    if (i == ov->nsegs)
        return w->value;
    sg = &ov->segs[i];
    plen = prefix_len(ov, i);
    if (sg->kind != CS_OSEG_KEY) {
        if (node == NULL || cs_ynode_is_null(node))
            return wfail(w, "%.*s is not set, so it has no item [%s]", plen,
                         ov->arg, sg->text);
        if (node->kind == CS_Y_SEQ)
            return set_in_seq(w, node, i);
        return wfail(w, "%.*s is a %s, not a list", plen, ov->arg,
                     node->kind == CS_Y_MAP ? "map" : "scalar");
    }
    if (node != NULL && node->kind == CS_Y_MAP)
        return set_in_map(w, node, i);
    if (node != NULL && node->kind == CS_Y_SEQ)
        return wfail(w, "%.*s is a list: select an item with [INDEX] or [NAME]",
                     plen, ov->arg);
    if (node != NULL && !cs_ynode_is_null(node))
        return wfail(w, "%.*s is a scalar, not a map", plen, ov->arg);
    /* absent or null: an empty map, where the null was if there was one */
    map = new_node(w, CS_Y_MAP, sg->col);
    if (map == NULL)
        return NULL;
    if (node != NULL) {
        map->file = node->file;
        map->line = node->line;
        map->col = node->col;
    }
    return set_in_map(w, map, i);
}

/* ------------------------------------------------------------------------ */
/* Applying                                                                 */
/* ------------------------------------------------------------------------ */

/* Ready w for ov: the label in the arena and the value parsed. */
static int walk_init(struct walk *w, const struct cs_override *ov,
                     const struct cs_override_mem *mem, struct cs_err *err)
{
    int rc;

    memset(w, 0, sizeof(*w));
    w->ov = ov;
    w->mem = mem;
    w->err = err;
    w->label = cs_yarena_strndup(mem->arena, ov->label, strlen(ov->label));
    if (w->label == NULL)
        return nomem(err);
    rc = parse_value(ov, mem->arena, &w->value, err);
    if (rc < 0)
        return rc;
    if (w->value == NULL)
        w->value = new_scalar(w, "", ov->value_col);
    return w->value != NULL ? 0 : w->rc;
}

/* ov targets obj: obj is a map of ov's kind (in any case) and name. */
static int targets(const struct cs_override *ov, const struct cs_ynode *obj)
{
    const struct cs_ynode *k = cs_ymap_get(obj, "kind");
    const struct cs_ynode *md = cs_ymap_get(obj, "metadata");
    const struct cs_ynode *nm = cs_ymap_get(md, "name");

    return k != NULL && k->kind == CS_Y_SCALAR && nm != NULL &&
           nm->kind == CS_Y_SCALAR && same_icase(k->str, ov->kind) &&
           strcmp(nm->str, ov->name) == 0;
}

/* Applies the object override of w to the objects of *list (a SEQ),
 * replacing *list by a copy when one matched. */
static int apply_to_list(struct walk *w, struct cs_ynode **list, size_t *hits)
{
    struct cs_ynode *copy = NULL, *obj;

    for (size_t k = 0; k < (*list)->n; k++) {
        if (!targets(w->ov, (*list)->items[k]))
            continue;
        obj = set_at(w, (*list)->items[k], 0);
        if (obj == NULL ||
            (copy == NULL && (copy = copy_node(w, *list, 0)) == NULL))
            return w->rc;
        copy->items[k] = obj;
        (*hits)++;
    }
    if (copy != NULL)
        *list = copy;
    return 0;
}

/* Index of the value of key in map, or SIZE_MAX. */
static size_t value_index(const struct cs_ynode *map, const char *key)
{
    for (size_t k = 0; map->kind == CS_Y_MAP && k < map->n; k++) {
        const struct cs_ynode *kn = map->items[2 * k];

        if (kn->kind == CS_Y_SCALAR && strcmp(kn->str, key) == 0)
            return 2 * k + 1;
    }
    return SIZE_MAX;
}

/* Applies the object override of w to the SEQ at index vi of *map and
 * replaces *map by a copy holding the edited list, if one matched. */
static int apply_in(struct walk *w, struct cs_ynode **map, size_t vi,
                    size_t *hits)
{
    struct cs_ynode *list = (*map)->items[vi], *copy;
    int rc = apply_to_list(w, &list, hits);

    if (rc < 0 || list == (*map)->items[vi])
        return rc;
    copy = copy_node(w, *map, 0);
    if (copy == NULL)
        return w->rc;
    copy->items[vi] = list;
    *map = copy;
    return 0;
}

int cs_override_apply_scenario(const struct cs_override *ov, size_t n,
                               struct cs_ynode **root, size_t *hits,
                               const struct cs_override_mem *mem,
                               struct cs_err *err)
{
    for (size_t i = 0; i < n; i++) {
        struct walk w;
        struct cs_ynode *r = *root;
        size_t vi;
        int rc;

        if (r == NULL || r->kind != CS_Y_MAP)
            return 0;
        rc = walk_init(&w, &ov[i], mem, err);
        if (rc < 0)
            return rc;
        if (ov[i].kind == NULL) {
            r = set_at(&w, r, 0);
            if (r == NULL)
                return w.rc;
            *root = r;
            continue;
        }
        vi = value_index(r, "manifests");
        if (vi != SIZE_MAX && r->items[vi]->kind == CS_Y_SEQ &&
            (rc = apply_in(&w, root, vi, &hits[i])) < 0)
            return rc;
    }
    return 0;
}

/* A document `kind: List` with `items:` (as manifest.c unpacks it):
 * the index of its items' value, else SIZE_MAX. */
static size_t list_items(const struct cs_ynode *doc)
{
    const struct cs_ynode *k = cs_ymap_get(doc, "kind");
    size_t vi = value_index(doc, "items");

    if (k == NULL || k->kind != CS_Y_SCALAR || strcmp(k->str, "List") != 0 ||
        vi == SIZE_MAX || doc->items[vi]->kind != CS_Y_SEQ)
        return SIZE_MAX;
    return vi;
}

/* The object override of w on one document of a manifest file. */
static int apply_doc(struct walk *w, struct cs_ynode **doc, size_t *hits)
{
    size_t vi = list_items(*doc);
    struct cs_ynode *d;

    if (vi != SIZE_MAX)
        return apply_in(w, doc, vi, hits);
    d = set_at(w, *doc, 0);
    if (d == NULL)
        return w->rc;
    *doc = d;
    (*hits)++;
    return 0;
}

int cs_override_apply_manifest(const struct cs_override *ov, size_t n,
                               struct cs_ynode **docs, size_t ndocs,
                               size_t *hits, const struct cs_override_mem *mem,
                               struct cs_err *err)
{
    for (size_t i = 0; i < n; i++) {
        struct walk w;
        int rc = 1; /* 1: w not ready yet */

        for (size_t d = 0; ov[i].kind != NULL && d < ndocs; d++) {
            if (list_items(docs[d]) == SIZE_MAX && !targets(&ov[i], docs[d]))
                continue;
            if (rc > 0 && (rc = walk_init(&w, &ov[i], mem, err)) < 0)
                return rc;
            if ((rc = apply_doc(&w, &docs[d], &hits[i])) < 0)
                return rc;
        }
    }
    return 0;
}

int cs_override_check_found(const struct cs_override *ov, size_t n,
                            const size_t *hits, struct cs_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (ov[i].kind != NULL && hits[i] == 0)
            return cs_err_set(err, CS_ENOENT, ov[i].label, 0, 0,
                              "no %s named \"%s\" in the manifests", ov[i].kind,
                              ov[i].name);
    return 0;
}
