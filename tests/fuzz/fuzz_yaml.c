/*
 * fuzz_yaml.c - libFuzzer target for the YAML tree loader (ytree.h).
 *
 * Raw bytes go to cs_yaml_load_buffer() with the default limits. On success
 * the tree is walked (aliases followed, so the walk is bounded by a budget
 * as the node limit bounds it) and its shape checked: scalars have text
 * NUL-terminated at len, maps have an even item count, positions are
 * 1-based, and the error stays empty. On failure the code is one of the
 * documented ones and the message is not empty.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_util.h"

#include "core/err.h"
#include "io/ytree.h"

#define FY_WALK_BUDGET 200000

static void fy_walk(const struct cs_ynode *n, size_t depth, size_t *budget)
{
    if (*budget == 0)
        return;
    (*budget)--;
    FUZZ_CHECK(n != NULL && depth <= CS_YAML_MAX_DEPTH + 1);
    FUZZ_CHECK(n->file != NULL && n->line >= 1 && n->col >= 1);
    switch (n->kind) {
    case CS_Y_SCALAR:
        FUZZ_CHECK(n->str != NULL && n->str[n->len] == '\0');
        FUZZ_CHECK(n->n == 0);
        return;
    case CS_Y_SEQ:
    case CS_Y_MAP:
        FUZZ_CHECK(n->str == NULL);
        FUZZ_CHECK((n->n == 0) == (n->items == NULL));
        break;
    default:
        FUZZ_CHECK(!"unknown node kind");
    }
    for (size_t i = 0; i < (n->kind == CS_Y_MAP ? 2 * n->n : n->n); i++)
        fy_walk(n->items[i], depth + 1, budget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cs_yarena *a = cs_yarena_create();
    struct cs_ynode **docs = NULL;
    size_t ndocs = 12345, budget = FY_WALK_BUDGET;
    struct cs_err err;
    int rc;

    if (a == NULL)
        return 0;
    cs_err_clear(&err);
    rc = cs_yaml_load_buffer(a, "fuzz.yaml", (const char *)data, size, &docs,
                             &ndocs, &err);
    if (rc == 0) {
        FUZZ_CHECK(err.msg[0] == '\0');
        FUZZ_CHECK((ndocs == 0) == (docs == NULL));
        for (size_t i = 0; i < ndocs; i++)
            fy_walk(docs[i], 1, &budget);
    } else {
        FUZZ_CHECK(rc == CS_EPARSE || rc == CS_ELIMIT || rc == CS_ENOMEM);
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(ndocs == 12345);
    }
    cs_yarena_destroy(a);
    return 0;
}
