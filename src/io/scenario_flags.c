/*
 * scenario_flags.c - command-line flag lists in a scenario (a container's
 * `args`, clusterAutoscaler.args, verticalPodAutoscaler.recommender) and
 * the clusterAutoscaler block. ld_flag_list() walks a list the way the
 * binaries' pflag parsers do: "--flag=value", "--flag value" (the value is
 * the next item), "--flag" alone; the binary's path, stray words and "--"
 * are skipped. What a flag means is left to a callback per component.
 *
 * Every error is located at the offending item (FILE:LINE:COL); the values
 * set before it stay in the scenario being built, which the loader
 * destroys on failure.
 */
#include "io/scenario_int.h"

#include <string.h>

/* ---- flag lists --------------------------------------------------------- */

int ld_flag_list(struct ld *l, const struct cs_ynode *seq, const char *what,
                 ld_flag_fn one, void *ctx)
{
    char ip[300], name[128];

    if (cs_ynode_expect(seq, CS_Y_SEQ, what, l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < seq->n; i++) {
        const struct cs_ynode *it = seq->items[i];
        const char *s, *eq;
        size_t n;
        int used = 0;

        cs_ypath_index(ip, sizeof(ip), what, i);
        if (cs_yget_string(it, ip, &s, l->err) < 0)
            return CS_EINVAL;
        /* the binary's path, a stray word, or "--" ending the flags */
        if (s[0] != '-' || s[1] == '\0' || strcmp(s, "--") == 0)
            continue;
        s += s[1] == '-' ? 2 : 1;
        eq = strchr(s, '=');
        n = eq ? (size_t)(eq - s) : strlen(s);
        if (n >= sizeof(name))
            n = sizeof(name) - 1;
        memcpy(name, s, n);
        name[n] = '\0';
        if (one(l, ctx, it, name, eq ? eq + 1 : NULL,
                i + 1 < seq->n ? seq->items[i + 1] : NULL, ip, &used) < 0)
            return CS_EINVAL;
        i += (size_t)used;
    }
    return 0;
}

/* ---- clusterAutoscaler -------------------------------------------------- */

static void *ca_alloc(void *ctx, size_t n)
{
    return ld_alloc(ctx, n);
}

/* Set one flag; a bad name or value is reported at node `at`. */
static int ca_set(struct ld *l, const struct cs_ynode *at, const char *what,
                  const char *name, const char *value)
{
    struct cs_err e;
    int rc;

    cs_err_clear(&e);
    rc = cs_ca_config_set(&l->sc->ca, name, value, ca_alloc, l, &e);
    if (rc == CS_ENOMEM)
        return cs_err_set(l->err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc < 0)
        return ld_fail(l, at, "%s: %s", what, e.msg);
    return 0;
}

static int ca_flag_type(const char *name)
{
    for (size_t i = 0; i < cs_ca_nflags; i++)
        if (strcmp(cs_ca_flags[i].name, name) == 0)
            return cs_ca_flags[i].type;
    return 0;
}

/* One cluster-autoscaler flag of an argument list (an ld_flag_fn). */
static int ca_arg(struct ld *l, void *ctx, const struct cs_ynode *it,
                  const char *name, const char *value,
                  const struct cs_ynode *next, const char *ip, int *used)
{
    int type;

    (void)ctx;
    if (value != NULL)
        return ca_set(l, it, ip, name, value);
    type = ca_flag_type(name);
    /* pflag: a bool alone is true; any other flag takes the next item */
    if (type == 0 || type == CS_CAF_BOOL)
        return ca_set(l, it, ip, name, "true");
    if (next == NULL || next->kind != CS_Y_SCALAR)
        return ld_fail(l, it, "%s: --%s needs a value (--%s=VALUE)", ip, name,
                       name);
    *used = 1;
    return ca_set(l, next, ip, name, next->str);
}

int ld_ca_args(struct ld *l, const struct cs_ynode *seq, const char *what)
{
    return ld_flag_list(l, seq, what, ca_arg, NULL);
}

/* One `flag: value` (or `flag: [values]` for a list flag) of the block. */
static int ca_entry(struct ld *l, const struct cs_ynode *k,
                    const struct cs_ynode *v)
{
    const char *name = k->str;
    char fp[256], ip[300];

    while (name[0] == '-')
        name++;
    if (ca_flag_type(name) == 0)
        return ca_set(l, k, "clusterAutoscaler", name, "");
    if (v->kind == CS_Y_SEQ && ca_flag_type(name) == CS_CAF_LIST) {
        cs_ypath(fp, sizeof(fp), "clusterAutoscaler", name);
        for (size_t j = 0; j < v->n; j++) {
            if (cs_ynode_expect(v->items[j], CS_Y_SCALAR,
                                cs_ypath_index(ip, sizeof(ip), fp, j),
                                l->err) < 0 ||
                ca_set(l, v->items[j], "clusterAutoscaler", name,
                       v->items[j]->str) < 0)
                return CS_EINVAL;
        }
        return 0;
    }
    if (cs_ynode_expect(v, CS_Y_SCALAR,
                        cs_ypath(ip, sizeof(ip), "clusterAutoscaler", name),
                        l->err) < 0)
        return CS_EINVAL;
    return ca_set(l, v, "clusterAutoscaler", name, v->str);
}

/* clusterAutoscaler: flags by name, `args:` and `priorities:`, in order;
 * it overrides what a cluster-autoscaler Deployment in manifests gave. */
static int ld_ca_block(struct ld *l, const struct cs_ynode *key,
                       const struct cs_ynode *n)
{
    l->sc->ca.enabled = 1;
    l->ca_at = key;
    if (cs_ynode_is_null(n))
        return 0;
    if (cs_ynode_expect(n, CS_Y_MAP, "clusterAutoscaler", l->err) < 0)
        return CS_EINVAL;
    for (size_t i = 0; i < n->n; i++) {
        const struct cs_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
        int rc;

        if (cs_ynode_expect(k, CS_Y_SCALAR, "key in clusterAutoscaler",
                            l->err) < 0)
            return CS_EINVAL;
        if (strcmp(k->str, "args") == 0)
            rc = ld_ca_args(l, v, "clusterAutoscaler.args");
        else if (strcmp(k->str, "priorities") == 0)
            rc = ld_ca_priorities(l, v, "clusterAutoscaler.priorities");
        else
            rc = ca_entry(l, k, v);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The clusterAutoscaler block if any (after the manifests, which it
 * overrides), then the check that the CA has a node group to resize. */
int ld_ca_top(struct ld *l, const struct cs_ynode *root)
{
    for (size_t i = 0; i < root->n; i++) {
        const struct cs_ynode *k = root->items[2 * i];

        if (strcmp(k->str, "clusterAutoscaler") == 0 &&
            ld_ca_block(l, k, root->items[2 * i + 1]) < 0)
            return CS_EINVAL;
    }
    return ld_check_ca(l);
}
