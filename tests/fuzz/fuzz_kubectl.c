/*
 * fuzz_kubectl.c - libFuzzer target for the CronJob kubectl reader
 * (kubectl.h).
 *
 * Each input is used twice: as the script of ["sh", "-c", SCRIPT], with the
 * three word nodes built by hand, and loaded as YAML, as the words of a
 * container: the first document's items when it is a sequence, its
 * command items then args items when it is a mapping (items are passed as
 * they are, so non-scalar words are fuzzed too). At most FK_MAX actions.
 *
 * Invariants: failure is CS_EPARSE/CS_EINVAL/CS_ELIMIT/CS_ENOMEM with a
 * message and *nout untouched; success gives at most FK_MAX actions, each
 * with a target and only the fields of its kind set, in their ranges: a
 * scale to >= 0 replicas; an HPA patch changing something, min >= 0, max
 * >= 1 and >= min, a utilization in 1..1000000 exactly when it has a
 * metric index; new resources with 1..CS_ACTION_RES_MAX named, non-negative
 * amounts; a VPA patch to one of the modes of enum cs_vpa_mode. No leak:
 * everything is in the arena.
 */
#include "fuzz_util.h"

#include "core/err.h"
#include "io/kubectl.h"
#include "model/vpa.h"

#define FK_MAX 8
#define FK_UNSET ((size_t)-1)
#define FK_MAXW 256

static void fk_qty(const struct cs_action_qty *q, int n)
{
    FUZZ_CHECK(n >= 0 && n <= CS_ACTION_RES_MAX);
    for (int i = 0; i < n; i++)
        FUZZ_CHECK(q[i].name != NULL && q[i].name[0] != '\0' &&
                   q[i].milli >= 0);
}

static void fk_action(const struct cs_action *a)
{
    FUZZ_CHECK(a->target != NULL && a->target[0] != '\0');
    if (a->kind != CS_ACTION_PATCH_HPA)
        FUZZ_CHECK(a->min_replicas == -1 && a->max_replicas == -1 &&
                   a->utilization == -1 && a->metric_index == -1);
    if (a->kind != CS_ACTION_RESOURCES)
        FUZZ_CHECK(a->container == NULL && a->nreq == 0 && a->nlim == 0);
    if (a->kind != CS_ACTION_PATCH_VPA)
        FUZZ_CHECK(a->vpa_mode == -1);
    switch (a->kind) {
    case CS_ACTION_SCALE:
        FUZZ_CHECK(a->replicas >= 0);
        break;
    case CS_ACTION_PATCH_HPA:
        FUZZ_CHECK(a->min_replicas >= -1 && a->max_replicas >= -1 &&
                   a->max_replicas != 0);
        FUZZ_CHECK(a->min_replicas < 0 || a->max_replicas < 0 ||
                   a->min_replicas <= a->max_replicas);
        FUZZ_CHECK((a->utilization < 0) == (a->metric_index < 0));
        FUZZ_CHECK(a->utilization == -1 ||
                   (a->utilization >= 1 && a->utilization <= 1000000));
        FUZZ_CHECK(a->min_replicas >= 0 || a->max_replicas >= 0 ||
                   a->utilization >= 0);
        break;
    case CS_ACTION_RESOURCES:
        FUZZ_CHECK(a->container == NULL || a->container[0] != '\0');
        fk_qty(a->req, a->nreq);
        fk_qty(a->lim, a->nlim);
        FUZZ_CHECK(a->nreq + a->nlim >= 1);
        break;
    case CS_ACTION_PATCH_VPA:
        FUZZ_CHECK(a->vpa_mode >= CS_VPA_OFF && a->vpa_mode <= CS_VPA_IN_PLACE);
        FUZZ_CHECK(a->replicas == 0);
        break;
    default:
        FUZZ_CHECK(0);
    }
}

static void fk_parse(struct cs_yarena *a, const struct cs_ynode *const *w,
                     size_t n)
{
    struct cs_action out[FK_MAX];
    struct cs_err err;
    size_t nout = FK_UNSET;
    int rc;

    cs_err_clear(&err);
    rc = cs_kubectl_parse(a, w, n, out, FK_MAX, &nout, &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == CS_EPARSE || rc == CS_EINVAL || rc == CS_ELIMIT ||
                   rc == CS_ENOMEM);
        FUZZ_CHECK(err.msg[0] != '\0' && nout == FK_UNSET);
        return;
    }
    FUZZ_CHECK(rc == 0 && nout <= FK_MAX);
    for (size_t i = 0; i < nout; i++)
        fk_action(&out[i]);
}

/* The input as the script of sh -c. */
static void fk_script(const uint8_t *data, size_t size)
{
    struct cs_yarena *a = cs_yarena_create();
    char *s = fuzz_strndup(data, size);
    struct cs_ynode sh = {.kind = CS_Y_SCALAR,
                          .file = "fuzz",
                          .line = 1,
                          .col = 2,
                          .str = "sh",
                          .len = 2};
    struct cs_ynode c = {.kind = CS_Y_SCALAR,
                         .file = "fuzz",
                         .line = 1,
                         .col = 6,
                         .str = "-c",
                         .len = 2};
    struct cs_ynode script = {.kind = CS_Y_SCALAR,
                              .file = "fuzz",
                              .line = 1,
                              .col = 10,
                              .quoted = 1,
                              .str = s,
                              .len = size};
    const struct cs_ynode *w[3] = {&sh, &c, &script};

    if (a != NULL && s != NULL)
        fk_parse(a, w, 3);
    free(s);
    cs_yarena_destroy(a);
}

/* The input as a YAML container: a list of words, or command and args. */
static void fk_yaml(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"command", "args"};
    struct cs_yarena *a = cs_yarena_create();
    const struct cs_ynode *w[FK_MAXW];
    struct cs_ynode **docs, *d;
    struct cs_err err;
    size_t nd, n = 0;

    if (a == NULL ||
        cs_yaml_load_buffer(a, "fuzz.yaml", (const char *)data, size, &docs,
                            &nd, &err) < 0 ||
        nd == 0) {
        cs_yarena_destroy(a);
        return;
    }
    d = docs[0];
    for (size_t i = 0; d->kind == CS_Y_SEQ && i < d->n && n < FK_MAXW; i++)
        w[n++] = d->items[i];
    for (size_t k = 0; d->kind == CS_Y_MAP && k < 2; k++)
        for (size_t i = 0; i < d->n; i++) {
            const struct cs_ynode *key = d->items[2 * i];
            const struct cs_ynode *v = d->items[2 * i + 1];

            if (key->kind != CS_Y_SCALAR || strcmp(key->str, keys[k]) != 0 ||
                v->kind != CS_Y_SEQ)
                continue;
            for (size_t j = 0; j < v->n && n < FK_MAXW; j++)
                w[n++] = v->items[j];
        }
    if (d->kind != CS_Y_SCALAR)
        fk_parse(a, w, n);
    cs_yarena_destroy(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fk_script(data, size);
    fk_yaml(data, size);
    return 0;
}
