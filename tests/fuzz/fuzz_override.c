/*
 * fuzz_override.c - libFuzzer target for `--set PATH=VALUE` (override.h).
 *
 * The input's first line is the argument, the rest a YAML stream. The
 * argument goes to cs_override_parse(); a parsed override is applied to the
 * first document as a scenario (cs_override_apply_scenario) and to all of
 * them as a manifest file (cs_override_apply_manifest), then the whole
 * input is loaded as a scenario with the override
 * (cs_scenario_load_buffer_with, manifests resolved in scenarios/).
 * Invariants: a refused argument has a message and leaves the override
 * empty; a parsed one has 1..CS_OVERRIDE_MAX_PARTS parts with their texts
 * and columns, and its value inside the argument; applying never changes
 * the original tree (its checksum is the same after), leaves a well-formed
 * tree, fills the error exactly on failure, and nothing leaks.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_util.h"

#include "core/err.h"
#include "io/override.h"
#include "io/scenario.h"
#include "io/ytree.h"

#define FO_BUDGET 100000

/* Every allocation of the apply calls, freed at the end of the input. */
struct fo_mem {
    void **p;
    size_t n, cap;
};

static void *fo_alloc(void *ctx, size_t n)
{
    struct fo_mem *m = ctx;
    void *p;

    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        void **a = realloc(m->p, cap * sizeof(*a));

        if (a == NULL)
            return NULL;
        m->p = a;
        m->cap = cap;
    }
    p = calloc(1, n);
    if (p != NULL)
        m->p[m->n++] = p;
    return p;
}

/* FNV-1a over the tree's shape and texts, aliases followed, with a budget;
 * also checks each node is well formed. */
static uint64_t fo_sum(const struct cs_ynode *n, uint64_t h, size_t *budget)
{
    if (*budget == 0)
        return h;
    (*budget)--;
    FUZZ_CHECK(n != NULL && n->file != NULL && n->line >= 1 && n->col >= 1);
    h = (h ^ (uint64_t)n->kind) * 1099511628211u;
    h = (h ^ (uint64_t)n->n) * 1099511628211u;
    if (n->kind == CS_Y_SCALAR) {
        FUZZ_CHECK(n->str != NULL && n->str[n->len] == '\0' && n->n == 0);
        for (size_t i = 0; i < n->len; i++)
            h = (h ^ (unsigned char)n->str[i]) * 1099511628211u;
        return h;
    }
    FUZZ_CHECK(n->kind == CS_Y_SEQ || n->kind == CS_Y_MAP);
    FUZZ_CHECK((n->n == 0) == (n->items == NULL));
    for (size_t i = 0; i < (n->kind == CS_Y_MAP ? 2 * n->n : n->n); i++)
        h = fo_sum(n->items[i], h, budget);
    return h;
}

static uint64_t fo_sums(struct cs_ynode *const *docs, size_t n)
{
    size_t budget = FO_BUDGET;
    uint64_t h = 1469598103934665603u;

    for (size_t i = 0; i < n; i++)
        h = fo_sum(docs[i], h, &budget);
    return h;
}

static void fo_check_parsed(const struct cs_override *ov, const char *arg)
{
    FUZZ_CHECK(strcmp(ov->arg, arg) == 0);
    FUZZ_CHECK(strncmp(ov->label, "--set ", 6) == 0);
    FUZZ_CHECK(ov->nsegs >= 1 && ov->nsegs <= CS_OVERRIDE_MAX_PARTS);
    FUZZ_CHECK(ov->value == ov->arg + ov->value_off && ov->value_off >= 2);
    FUZZ_CHECK(ov->arg[ov->value_off - 1] == '=' && ov->value_col >= 2);
    FUZZ_CHECK((ov->kind == NULL) == (ov->name == NULL));
    FUZZ_CHECK(ov->kind == NULL || (ov->kind[0] && ov->name[0]));
    for (size_t i = 0; i < ov->nsegs; i++) {
        const struct cs_oseg *s = &ov->segs[i];

        FUZZ_CHECK(s->text != NULL && s->text[0] != '\0');
        FUZZ_CHECK(s->start < ov->value_off && s->col >= 1);
        FUZZ_CHECK(i == 0 || s->start > ov->segs[i - 1].start);
        FUZZ_CHECK(s->kind != CS_OSEG_KEY || ov->arg[s->start] != '[');
        FUZZ_CHECK(s->kind == CS_OSEG_KEY || ov->arg[s->start] == '[');
    }
    FUZZ_CHECK(ov->segs[0].kind == CS_OSEG_KEY);
}

/* Apply ov to the YAML in text, as a scenario and as a manifest file. */
static void fo_apply(const struct cs_override *ov, const char *text, size_t len)
{
    struct cs_yarena *a = cs_yarena_create();
    struct fo_mem m = {NULL, 0, 0};
    struct cs_override_mem mem;
    struct cs_ynode **docs, **orig = NULL, *root;
    size_t ndocs = 0, hits = 0;
    struct cs_err err;
    uint64_t before;
    int rc;

    cs_err_clear(&err);
    if (a == NULL ||
        cs_yaml_load_buffer(a, "fuzz.yaml", text, len, &docs, &ndocs, &err) <
            0 ||
        ndocs == 0 || (orig = malloc(ndocs * sizeof(*orig))) == NULL)
        goto done;
    memcpy(orig, docs, ndocs * sizeof(*orig));
    before = fo_sums(orig, ndocs);
    mem = (struct cs_override_mem){a, fo_alloc, &m};
    root = docs[0];
    rc = cs_override_apply_scenario(ov, 1, &root, &hits, &mem, &err);
    FUZZ_CHECK((rc == 0) == (err.msg[0] == '\0'));
    fo_sums(&root, 1);
    cs_err_clear(&err);
    rc = cs_override_apply_manifest(ov, 1, docs, ndocs, &hits, &mem, &err);
    FUZZ_CHECK((rc == 0) == (err.msg[0] == '\0'));
    FUZZ_CHECK(rc < 0 || ov->kind != NULL || hits == 0);
    fo_sums(docs, ndocs);
    FUZZ_CHECK(fo_sums(orig, ndocs) == before);
    rc = cs_override_check_found(ov, 1, &hits, &err);
    FUZZ_CHECK(rc == 0 || rc == CS_ENOENT);
done:
    for (size_t i = 0; i < m.n; i++)
        free(m.p[i]);
    free(m.p);
    free(orig);
    cs_yarena_destroy(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t alen = nl ? (size_t)(nl - data) : size;
    const char *rest = nl ? (const char *)nl + 1 : "";
    size_t rlen = nl ? size - alen - 1 : 0;
    char *arg = fuzz_strndup(data, alen);
    struct cs_override ov;
    struct cs_scenario *sc;
    struct cs_err err;

    if (arg == NULL)
        return 0;
    cs_err_clear(&err);
    if (cs_override_parse(arg, &ov, &err) < 0) {
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(ov.segs == NULL && ov.buf == NULL && ov.nsegs == 0);
        free(arg);
        return 0;
    }
    FUZZ_CHECK(err.msg[0] == '\0');
    fo_check_parsed(&ov, arg);
    fo_apply(&ov, rest, rlen);
    sc = cs_scenario_load_buffer_with("fuzz.yaml", rest, rlen,
                                      fuzz_scenarios_dir(), &ov, 1, &err);
    FUZZ_CHECK((sc == NULL) == (err.msg[0] != '\0'));
    cs_scenario_destroy(sc);
    cs_override_fini(&ov);
    free(arg);
    return 0;
}
