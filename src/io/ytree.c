/*
 * ytree.c - libyaml events into a tree of located nodes (see ytree.h).
 *
 * Design
 * ------
 * The loader pulls libyaml events and keeps a stack of open collections
 * (struct frame). Children are gathered in a malloc'd vector per frame and
 * copied into the arena when the collection ends, so the arena holds only
 * final, immutable data and every temporary lives in the loader, which
 * frees all of it on every path out of load_events(). Per document:
 *
 *   DOCUMENT-START --> [SCALAR | ALIAS | *-START ... *-END]* --> DOCUMENT-END
 *        root = NULL         add_child() / push_frame() / pop_frame()
 *                                            root kept unless empty, anchors
 *                                            cleared (they are per document)
 *
 * Anchors live in an open-addressing hash table (name -> node, weight). A
 * collection's anchor is registered as "pending" when it starts and gets its
 * node when it ends, so an alias to an enclosing node is reported instead
 * of building a cycle. Each registration has a serial number so that a
 * redefinition inside the collection wins, as the later anchor should.
 *
 * Duplicate keys are found when each key is added: by scanning the earlier
 * keys while a mapping is small, through a per-frame hash set of key
 * indexes once it has KEYSET_MIN keys, so a hostile mapping costs O(n).
 *
 * Invariants
 *  1. L->nodes == nodes created + sum over aliases of the weight of their
 *     target <= lim.max_nodes; a frame's weight is 1 + its children's.
 *  2. L->depth <= lim.max_depth.
 *  3. Nothing reachable from a returned document is ever modified again.
 */
#include "io/ytree.h"

#include <assert.h>
#include <errno.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ------------------------------------------------------------------------ */
/* Arena                                                                    */
/* ------------------------------------------------------------------------ */

#define BLOCK_SIZE ((size_t)64 << 10)
#define ALIGN alignof(max_align_t)

struct block {
    struct block *next;
    size_t used; /* bytes of data[] handed out, a multiple of ALIGN */
    size_t cap;  /* bytes of data[] */
    max_align_t data[];
};

struct cs_yarena {
    struct block *head; /* current block first; big blocks behind it */
    struct cs_ylimits lim;
};

struct cs_yarena *cs_yarena_create(void)
{
    struct cs_yarena *a = calloc(1, sizeof(*a));

    if (a == NULL)
        return NULL;
    a->lim.max_input = CS_YAML_MAX_INPUT;
    a->lim.max_depth = CS_YAML_MAX_DEPTH;
    a->lim.max_nodes = CS_YAML_MAX_NODES;
    return a;
}

void cs_yarena_destroy(struct cs_yarena *a)
{
    struct block *b, *next;

    if (a == NULL)
        return;
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void cs_yarena_set_limits(struct cs_yarena *a, const struct cs_ylimits *lim)
{
    if (lim->max_input != 0)
        a->lim.max_input = lim->max_input;
    if (lim->max_depth != 0)
        a->lim.max_depth = lim->max_depth;
    if (lim->max_nodes != 0)
        a->lim.max_nodes = lim->max_nodes;
}

/* size (> 0) bytes aligned for any type; NULL on ENOMEM. */
static void *arena_alloc(struct cs_yarena *a, size_t size)
{
    struct block *b = a->head, **link = &a->head;
    size_t need, cap;

    if (size == 0 || size > SIZE_MAX / 2)
        return NULL;
    need = (size + ALIGN - 1) / ALIGN * ALIGN;
    if (b == NULL || b->cap - b->used < need) {
        /* A big object gets a block of its own, linked behind the current
         * one so that the current block's free space is not lost. */
        cap = need > BLOCK_SIZE / 4 ? need : BLOCK_SIZE;
        if (cap == need && b != NULL)
            link = &b->next;
        b = malloc(sizeof(*b) + cap);
        if (b == NULL)
            return NULL;
        b->next = *link;
        b->used = 0;
        b->cap = cap;
        *link = b;
    }
    b->used += need;
    return (char *)b->data + b->used - need;
}

static char *arena_strndup(struct cs_yarena *a, const char *s, size_t len)
{
    char *d = arena_alloc(a, len + 1);

    if (d == NULL)
        return NULL;
    if (len > 0)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *cs_yarena_strndup(struct cs_yarena *a, const char *s, size_t n)
{
    return n < SIZE_MAX ? arena_strndup(a, s, n) : NULL;
}

/* ------------------------------------------------------------------------ */
/* Loader state                                                             */
/* ------------------------------------------------------------------------ */

#define KEYSET_MIN 8 /* mappings with more keys use a hash set */

struct frame {
    struct cs_ynode *node; /* the SEQ or MAP being filled */
    struct cs_ynode **kids;
    size_t nkids, cap;
    size_t weight;        /* 1 + expanded weight of the kids so far */
    const char *anchor;   /* arena copy, or NULL */
    unsigned long serial; /* of the anchor's registration */
    size_t *keyset;       /* MAP only: 1 + pair index, 0 = free slot */
    size_t keycap;        /* slots in keyset, a power of two */
};

struct anchor {
    const char *name;      /* arena copy; NULL = free slot */
    struct cs_ynode *node; /* NULL while its collection is open */
    size_t weight;
    unsigned long serial;
};

struct loader {
    struct cs_yarena *a;
    const char *file; /* arena copy of the name */
    const char *buf;
    size_t len;
    struct cs_err *err;
    yaml_parser_t parser;
    struct frame *stack;
    size_t depth, stack_cap;
    struct anchor *anchors;
    size_t anchor_cap, anchor_count;
    unsigned long serial;
    struct cs_ynode *root; /* of the current document */
    struct cs_ynode **docs;
    size_t ndocs, docs_cap;
    size_t nodes; /* invariant 1 */
};

/* 0-based libyaml mark to our 1-based int, saturated. */
static int mark_int(size_t v)
{
    return v < INT32_MAX ? (int)v + 1 : INT32_MAX;
}

static int nomem(struct loader *L)
{
    return cs_err_set(L->err, CS_ENOMEM, L->file, 0, 0, "out of memory");
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail_at(struct loader *L, int code, const struct cs_ynode *n, const char *fmt,
        ...)
{
    char msg[CS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cs_err_set(L->err, code, L->file, n->line, n->col, "%s", msg);
}

/* Grows *v (elements of size sz) to hold at least want; 0 or CS_ENOMEM. */
static int vec_reserve(void **v, size_t *cap, size_t want, size_t sz)
{
    size_t ncap = *cap ? *cap : 8;
    void *p;

    if (want <= *cap)
        return 0;
    while (ncap < want) {
        if (ncap > SIZE_MAX / 2 / sz)
            return CS_ENOMEM;
        ncap *= 2;
    }
    p = realloc(*v, ncap * sz);
    if (p == NULL)
        return CS_ENOMEM;
    *v = p;
    *cap = ncap;
    return 0;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h ^ (h >> 32); /* fold the better-mixed high bits in */
}

/* ------------------------------------------------------------------------ */
/* Anchors                                                                  */
/* ------------------------------------------------------------------------ */

static struct anchor *anchor_slot(struct anchor *t, size_t cap,
                                  const char *name)
{
    size_t mask = cap - 1, i = hash_bytes(name, strlen(name)) & mask;

    while (t[i].name != NULL && strcmp(t[i].name, name) != 0)
        i = (i + 1) & mask;
    return &t[i];
}

static int anchors_grow(struct loader *L)
{
    size_t ncap = L->anchor_cap ? L->anchor_cap * 2 : 64, i;
    struct anchor *t;

    if (ncap > SIZE_MAX / sizeof(*t))
        return nomem(L);
    t = calloc(ncap, sizeof(*t));
    if (t == NULL)
        return nomem(L);
    for (i = 0; i < L->anchor_cap; i++) {
        if (L->anchors[i].name != NULL)
            *anchor_slot(t, ncap, L->anchors[i].name) = L->anchors[i];
    }
    free(L->anchors);
    L->anchors = t;
    L->anchor_cap = ncap;
    return 0;
}

/* Registers name -> node (NULL: pending); returns the serial via *serial. */
static int anchor_define(struct loader *L, const char *name,
                         struct cs_ynode *node, unsigned long *serial)
{
    struct anchor *s;

    if ((L->anchor_count + 1) * 2 > L->anchor_cap && anchors_grow(L) < 0)
        return CS_ENOMEM;
    s = anchor_slot(L->anchors, L->anchor_cap, name);
    if (s->name == NULL) {
        s->name = name;
        L->anchor_count++;
    }
    s->node = node;
    s->weight = 1;
    s->serial = ++L->serial;
    *serial = s->serial;
    return 0;
}

static struct anchor *anchor_find(struct loader *L, const char *name)
{
    struct anchor *s;

    if (L->anchor_cap == 0)
        return NULL;
    s = anchor_slot(L->anchors, L->anchor_cap, name);
    return s->name != NULL ? s : NULL;
}

static void anchors_clear(struct loader *L)
{
    if (L->anchor_cap > 0)
        memset(L->anchors, 0, L->anchor_cap * sizeof(*L->anchors));
    L->anchor_count = 0;
}

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

static int same_scalar(const struct cs_ynode *x, const struct cs_ynode *y)
{
    return x->kind == CS_Y_SCALAR && y->kind == CS_Y_SCALAR &&
           x->len == y->len && memcmp(x->str, y->str, x->len) == 0;
}

/* Inserts pair index p of f into its key set; returns the index of an
 * earlier equal key, or SIZE_MAX. */
static size_t keyset_insert(struct frame *f, size_t p)
{
    const struct cs_ynode *k = f->kids[2 * p];
    size_t mask = f->keycap - 1, i = hash_bytes(k->str, k->len) & mask;

    for (; f->keyset[i] != 0; i = (i + 1) & mask) {
        if (same_scalar(f->kids[2 * (f->keyset[i] - 1)], k))
            return f->keyset[i] - 1;
    }
    f->keyset[i] = p + 1;
    return SIZE_MAX;
}

static int keyset_grow(struct frame *f)
{
    size_t ncap = f->keycap ? f->keycap * 2 : 4 * KEYSET_MIN, p;

    if (ncap > SIZE_MAX / sizeof(size_t))
        return CS_ENOMEM;
    free(f->keyset);
    f->keyset = calloc(ncap, sizeof(size_t));
    if (f->keyset == NULL) {
        f->keycap = 0;
        return CS_ENOMEM;
    }
    f->keycap = ncap;
    /* Earlier keys are distinct scalars or non-scalars (not in the set). */
    for (p = 0; p < f->nkids / 2; p++) {
        if (f->kids[2 * p]->kind == CS_Y_SCALAR)
            keyset_insert(f, p);
    }
    return 0;
}

/* Checks the key just appended to mapping frame f. */
static int check_key(struct loader *L, struct frame *f)
{
    size_t p = f->nkids / 2, q;
    const struct cs_ynode *k = f->kids[f->nkids - 1];

    if (k->kind != CS_Y_SCALAR)
        return 0;
    if (!k->quoted && k->tag == NULL && k->len == 2 &&
        memcmp(k->str, "<<", 2) == 0)
        return fail_at(L, CS_EPARSE, k, "%s",
                       "merge keys (<<) are not supported; "
                       "write the keys out");
    if (p < KEYSET_MIN) {
        for (q = 0; q < p; q++) {
            if (same_scalar(f->kids[2 * q], k))
                return fail_at(L, CS_EPARSE, k, "duplicate key \"%s\"", k->str);
        }
        return 0;
    }
    if ((p + 1) * 2 > f->keycap && keyset_grow(f) < 0)
        return nomem(L);
    if (keyset_insert(f, p) != SIZE_MAX)
        return fail_at(L, CS_EPARSE, k, "duplicate key \"%s\"", k->str);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Nodes and frames                                                         */
/* ------------------------------------------------------------------------ */

static int count_nodes(struct loader *L, size_t w, const struct cs_ynode *at)
{
    if (w <= L->a->lim.max_nodes - L->nodes) {
        L->nodes += w;
        return 0;
    }
    return fail_at(L, CS_ELIMIT, at,
                   "more than %zu nodes (an alias counts as the nodes it "
                   "repeats)",
                   L->a->lim.max_nodes);
}

static struct cs_ynode *new_node(struct loader *L, enum cs_ynode_kind kind,
                                 const yaml_event_t *ev, const char *tag)
{
    struct cs_ynode *n = arena_alloc(L->a, sizeof(*n));

    if (n == NULL)
        return NULL;
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->file = L->file;
    n->line = mark_int(ev->start_mark.line);
    n->col = mark_int(ev->start_mark.column);
    if (tag != NULL) {
        n->tag = arena_strndup(L->a, tag, strlen(tag));
        if (n->tag == NULL)
            return NULL;
    }
    return n;
}

/* Appends a finished node (or an alias target) of weight w to the open
 * collection, or makes it the document root. */
static int add_child(struct loader *L, struct cs_ynode *n, size_t w)
{
    struct frame *f;

    if (L->depth == 0) {
        L->root = n;
        return 0;
    }
    f = &L->stack[L->depth - 1];
    if (vec_reserve((void **)&f->kids, &f->cap, f->nkids + 1,
                    sizeof(*f->kids)) < 0)
        return nomem(L);
    f->kids[f->nkids++] = n;
    f->weight += w;
    if (f->node->kind == CS_Y_MAP && f->nkids % 2 == 1)
        return check_key(L, f);
    return 0;
}

static const char *copy_anchor(struct loader *L, const yaml_char_t *anchor)
{
    const char *s = (const char *)anchor;

    return arena_strndup(L->a, s, strlen(s));
}

static int push_frame(struct loader *L, const yaml_event_t *ev,
                      enum cs_ynode_kind kind, const yaml_char_t *anchor,
                      const yaml_char_t *tag)
{
    struct cs_ynode *n = new_node(L, kind, ev, (const char *)tag);
    struct frame *f;
    int rc;

    if (n == NULL)
        return nomem(L);
    if (L->depth >= L->a->lim.max_depth)
        return fail_at(L, CS_ELIMIT, n, "nesting is deeper than %zu levels",
                       L->a->lim.max_depth);
    rc = count_nodes(L, 1, n);
    if (rc < 0)
        return rc;
    if (vec_reserve((void **)&L->stack, &L->stack_cap, L->depth + 1,
                    sizeof(*L->stack)) < 0)
        return nomem(L);
    f = &L->stack[L->depth++];
    memset(f, 0, sizeof(*f));
    f->node = n;
    f->weight = 1;
    if (anchor != NULL) {
        f->anchor = copy_anchor(L, anchor);
        if (f->anchor == NULL ||
            anchor_define(L, f->anchor, NULL, &f->serial) < 0)
            return nomem(L);
    }
    return 0;
}

static int pop_frame(struct loader *L)
{
    struct frame *f = &L->stack[L->depth - 1];
    struct cs_ynode *n = f->node;
    size_t w = f->weight;
    struct anchor *s;

    assert(n->kind != CS_Y_MAP || f->nkids % 2 == 0);
    if (f->nkids > 0) {
        n->items = arena_alloc(L->a, f->nkids * sizeof(*n->items));
        if (n->items == NULL)
            return nomem(L);
        memcpy(n->items, f->kids, f->nkids * sizeof(*n->items));
    }
    n->n = n->kind == CS_Y_MAP ? f->nkids / 2 : f->nkids;
    if (f->anchor != NULL) {
        s = anchor_find(L, f->anchor);
        if (s != NULL && s->serial == f->serial) {
            s->node = n;
            s->weight = w;
        }
    }
    free(f->kids);
    free(f->keyset);
    L->depth--;
    return add_child(L, n, w);
}

static int on_scalar(struct loader *L, const yaml_event_t *ev)
{
    struct cs_ynode *n =
        new_node(L, CS_Y_SCALAR, ev, (const char *)ev->data.scalar.tag);
    unsigned long serial;
    int rc;

    if (n == NULL)
        return nomem(L);
    rc = count_nodes(L, 1, n);
    if (rc < 0)
        return rc;
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    n->len = ev->data.scalar.length;
    n->str = arena_strndup(L->a, (const char *)ev->data.scalar.value, n->len);
    if (n->str == NULL)
        return nomem(L);
    if (ev->data.scalar.anchor != NULL) {
        const char *name = copy_anchor(L, ev->data.scalar.anchor);
        if (name == NULL || anchor_define(L, name, n, &serial) < 0)
            return nomem(L);
    }
    return add_child(L, n, 1);
}

static int on_alias(struct loader *L, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    struct anchor *s = anchor_find(L, name);
    struct cs_ynode at = {0};
    int rc;

    at.line = mark_int(ev->start_mark.line);
    at.col = mark_int(ev->start_mark.column);
    if (s == NULL)
        return fail_at(L, CS_EPARSE, &at, "undefined alias \"%s\"", name);
    if (s->node == NULL)
        return fail_at(L, CS_EPARSE, &at,
                       "alias \"%s\" refers to a node that contains it", name);
    rc = count_nodes(L, s->weight, &at);
    if (rc < 0)
        return rc;
    return add_child(L, s->node, s->weight);
}

static int is_empty_document(const struct cs_ynode *root)
{
    return root == NULL || (root->kind == CS_Y_SCALAR && !root->quoted &&
                            root->tag == NULL && root->len == 0);
}

static int on_document_end(struct loader *L)
{
    anchors_clear(L);
    if (is_empty_document(L->root))
        return 0;
    if (vec_reserve((void **)&L->docs, &L->docs_cap, L->ndocs + 1,
                    sizeof(*L->docs)) < 0)
        return nomem(L);
    L->docs[L->ndocs++] = L->root;
    L->root = NULL;
    return 0;
}

static int on_event(struct loader *L, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        L->root = NULL;
        return 0;
    case YAML_DOCUMENT_END_EVENT:
        return on_document_end(L);
    case YAML_ALIAS_EVENT:
        return on_alias(L, ev);
    case YAML_SCALAR_EVENT:
        return on_scalar(L, ev);
    case YAML_SEQUENCE_START_EVENT:
        return push_frame(L, ev, CS_Y_SEQ, ev->data.sequence_start.anchor,
                          ev->data.sequence_start.tag);
    case YAML_MAPPING_START_EVENT:
        return push_frame(L, ev, CS_Y_MAP, ev->data.mapping_start.anchor,
                          ev->data.mapping_start.tag);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return L->depth > 0 ? pop_frame(L) : 0;
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------ */
/* libyaml errors                                                           */
/* ------------------------------------------------------------------------ */

/* 1-based line and column (in characters) of byte offset off. */
static void offset_location(const char *buf, size_t len, size_t off, int *line,
                            int *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < off && i < len && *line < INT32_MAX; i++) {
        if (buf[i] == '\n' ||
            (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n'))) {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80 && *col < INT32_MAX) {
            (*col)++;
        }
    }
}

static int parser_error(struct loader *L)
{
    const yaml_parser_t *p = &L->parser;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    int line, col;

    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return nomem(L);
    case YAML_READER_ERROR:
        offset_location(L->buf, L->len, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            return cs_err_set(L->err, CS_EPARSE, L->file, line, col, "%s: #%X",
                              problem, (unsigned)p->problem_value);
        return cs_err_set(L->err, CS_EPARSE, L->file, line, col, "%s", problem);
    default:
        line = mark_int(p->problem_mark.line);
        col = mark_int(p->problem_mark.column);
        if (p->context != NULL)
            return cs_err_set(L->err, CS_EPARSE, L->file, line, col,
                              "%s (%s at line %d, column %d)", problem,
                              p->context, mark_int(p->context_mark.line),
                              mark_int(p->context_mark.column));
        return cs_err_set(L->err, CS_EPARSE, L->file, line, col, "%s", problem);
    }
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */
/* ------------------------------------------------------------------------ */

static int load_events(struct loader *L)
{
    yaml_event_t ev;
    int rc, done = 0;

    while (!done) {
        if (!yaml_parser_parse(&L->parser, &ev))
            return parser_error(L);
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(L, &ev);
        yaml_event_delete(&ev);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void loader_fini(struct loader *L)
{
    size_t i;

    for (i = 0; i < L->depth; i++) {
        free(L->stack[i].kids);
        free(L->stack[i].keyset);
    }
    free(L->stack);
    free(L->anchors);
    free(L->docs);
    yaml_parser_delete(&L->parser);
}

/* Loads buf into a under the arena-owned name `file`. */
static int load(struct cs_yarena *a, const char *file, const char *buf,
                size_t len, struct cs_ynode ***docs, size_t *ndocs,
                struct cs_err *err)
{
    struct loader L;
    struct cs_ynode **out = NULL;
    int rc;

    memset(&L, 0, sizeof(L));
    L.a = a;
    L.file = file;
    L.buf = buf;
    L.len = len;
    L.err = err;
    if (len > a->lim.max_input)
        return cs_err_set(err, CS_ELIMIT, file, 0, 0,
                          "input is larger than the limit of %zu bytes",
                          a->lim.max_input);
    if (!yaml_parser_initialize(&L.parser))
        return cs_err_set(err, CS_ENOMEM, file, 0, 0, "out of memory");
    yaml_parser_set_input_string(&L.parser, (const unsigned char *)buf, len);
    rc = load_events(&L);
    if (rc == 0 && L.ndocs > 0) {
        out = arena_alloc(a, L.ndocs * sizeof(*out));
        if (out == NULL)
            rc = nomem(&L);
        else
            memcpy(out, L.docs, L.ndocs * sizeof(*out));
    }
    if (rc == 0) {
        *docs = out;
        *ndocs = L.ndocs;
    }
    loader_fini(&L);
    return rc;
}

int cs_yaml_load_buffer(struct cs_yarena *a, const char *name, const char *buf,
                        size_t len, struct cs_ynode ***docs, size_t *ndocs,
                        struct cs_err *err)
{
    const char *file;

    if (name == NULL)
        name = "<buffer>";
    file = arena_strndup(a, name, strlen(name));
    if (file == NULL)
        return cs_err_set(err, CS_ENOMEM, name, 0, 0, "out of memory");
    return load(a, file, buf != NULL ? buf : "", buf != NULL ? len : 0, docs,
                ndocs, err);
}

/* Reads all of fp into a malloc'd buffer of at most max bytes. */
static int read_all(FILE *fp, size_t max, char **out, size_t *len)
{
    size_t cap = 0, n = 0, got;
    char *buf = NULL;

    for (;;) {
        if (n == cap) {
            if (n > max) {
                free(buf);
                return CS_ELIMIT;
            }
            if (vec_reserve((void **)&buf, &cap, n + 65536, 1) < 0) {
                free(buf);
                return CS_ENOMEM;
            }
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        free(buf);
        return CS_EIO;
    }
    if (n > max) {
        free(buf);
        return CS_ELIMIT;
    }
    *out = buf;
    *len = n;
    return 0;
}

int cs_yaml_load_file(struct cs_yarena *a, const char *path,
                      struct cs_ynode ***docs, size_t *ndocs,
                      struct cs_err *err)
{
    const char *file;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp;
    int rc;

    file = arena_strndup(a, path, strlen(path));
    if (file == NULL)
        return cs_err_set(err, CS_ENOMEM, path, 0, 0, "out of memory");
    fp = fopen(path, "rb");
    if (fp == NULL)
        return cs_err_set(err, CS_EIO, path, 0, 0, "cannot open %s: %s", path,
                          strerror(errno));
    errno = 0;
    rc = read_all(fp, a->lim.max_input, &buf, &len);
    if (rc == CS_EIO)
        cs_err_set(err, rc, path, 0, 0, "cannot read %s: %s", path,
                   strerror(errno ? errno : EIO));
    fclose(fp);
    if (rc == CS_ELIMIT)
        return cs_err_set(err, rc, path, 0, 0,
                          "input is larger than the limit of %zu bytes",
                          a->lim.max_input);
    if (rc == CS_ENOMEM)
        return cs_err_set(err, rc, path, 0, 0, "out of memory");
    if (rc < 0)
        return rc;
    rc = load(a, file, buf, len, docs, ndocs, err);
    free(buf);
    return rc;
}
