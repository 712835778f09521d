/*
 * podspec.c - editing a pod template's resources, as `kubectl set
 * resources` does (see workload.h).
 *
 * The edit works on a copy: the template is written back only when every
 * container stays valid (no request above its limit), so a refused edit
 * leaves the template as it was. A limit given without a request sets the
 * request where the container had none, as the API server's defaulting
 * does for a new object.
 */
#include "model/workload.h"

#include "core/err.h"

#include <stdio.h>
#include <string.h>

/* Set one list of quantities on container c; CS_ENOENT names an unknown
 * resource in why. */
static int set_list(struct cs_container *c, const struct cs_action_qty *q,
                    int nq, int lim, const struct cs_resnames *rn, char *why,
                    size_t n)
{
    for (int i = 0; i < nq; i++) {
        int r = cs_resnames_find(rn, q[i].name);

        if (r < 0) {
            snprintf(why, n, "resource \"%s\" is not registered", q[i].name);
            return CS_ENOENT;
        }
        if (lim) {
            c->lim.v[r] = q[i].milli;
            c->lim_set |= 1u << r;
        } else {
            c->req.v[r] = q[i].milli;
            c->req_set |= 1u << r;
        }
    }
    return 0;
}

void cs_podspec_resum(struct cs_podspec *sp)
{
    memset(&sp->requests, 0, sizeof(sp->requests));
    memset(&sp->limits, 0, sizeof(sp->limits));
    sp->nz_cpu = sp->nz_mem = 0;
    for (int i = 0; i < sp->ncontainers; i++) {
        const struct cs_container *c = &sp->c[i];

        cs_resvec_add(&sp->requests, &c->req, CS_RES_MAX);
        cs_resvec_add(&sp->limits, &c->lim, CS_RES_MAX);
        sp->nz_cpu +=
            (c->req_set & (1u << CS_RES_CPU)) ? c->req.v[CS_RES_CPU] : 100;
        sp->nz_mem += (c->req_set & (1u << CS_RES_MEMORY))
                          ? c->req.v[CS_RES_MEMORY]
                          : 200LL * 1024 * 1024 * 1000;
    }
}

static int edit_container(struct cs_container *c, const struct cs_action *a,
                          const struct cs_resnames *rn, char *why, size_t n)
{
    uint32_t had_req = c->req_set;

    if (set_list(c, a->req, a->nreq, 0, rn, why, n) < 0 ||
        set_list(c, a->lim, a->nlim, 1, rn, why, n) < 0)
        return CS_ENOENT;
    for (int r = 0; r < CS_RES_MAX; r++) {
        if ((c->lim_set & (1u << r)) && !(had_req & (1u << r)) &&
            !(c->req_set & (1u << r))) {
            c->req.v[r] = c->lim.v[r];
            c->req_set |= 1u << r;
        }
        if ((c->lim_set & (1u << r)) && c->req.v[r] > c->lim.v[r]) {
            snprintf(why, n,
                     "container %s: the %s request would be above its limit",
                     c->name, rn->name[r]);
            return CS_EINVAL;
        }
    }
    return 0;
}

int cs_podspec_set_resources(struct cs_podspec *sp, const struct cs_action *a,
                             const struct cs_resnames *rn, char *why, size_t n)
{
    struct cs_podspec t = *sp;
    int matched = 0, rc;

    for (int i = 0; i < t.ncontainers; i++) {
        if (a->container != NULL && strcmp(a->container, t.c[i].name) != 0)
            continue;
        matched = 1;
        if ((rc = edit_container(&t.c[i], a, rn, why, n)) < 0)
            return rc;
    }
    if (!matched) {
        snprintf(why, n, "unable to find container named \"%s\"", a->container);
        return CS_ENOENT;
    }
    cs_podspec_resum(&t);
    if (memcmp(t.c, sp->c, sizeof(t.c)) == 0)
        return 0;
    *sp = t;
    return 1;
}
