/* admission.c - ResourceQuota admission and PDB evictions (admission.h). */
#include "controllers/admission.h"

#include "core/sim.h"
#include "io/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct quota_use {
    int64_t pods;
    struct cs_resvec req, lim;
};

struct cs_policy {
    int **wl_pdbs; /* per workload: PDB indices, -1 terminated */
    int **wl_quotas;
    struct quota_use *use; /* per quota */
};

/* A -1 terminated list of the indices i < n for which match(i) holds. */
static int *index_list(int n,
                       int (*match)(const struct cs_scenario *, int, int),
                       const struct cs_scenario *sc, int w)
{
    int *l = malloc(((size_t)n + 1) * sizeof(*l)), k = 0;

    if (l == NULL)
        return NULL;
    for (int i = 0; i < n; i++)
        if (match(sc, i, w))
            l[k++] = i;
    l[k] = -1;
    return l;
}

static int pdb_of(const struct cs_scenario *sc, int i, int w)
{
    for (int j = 0; j < sc->pdbs[i].nworkloads; j++)
        if (sc->pdbs[i].workloads[j] == w)
            return 1;
    return 0;
}

static const char *ns_of(const char *ns)
{
    return ns != NULL && ns[0] != '\0' ? ns : "default";
}

static int quota_of(const struct cs_scenario *sc, int i, int w)
{
    return strcmp(ns_of(sc->quotas[i].ns), ns_of(sc->workloads[w].ns)) == 0;
}

int cs_admission_init(struct cs_sim *sim, struct cs_err *err)
{
    const struct cs_scenario *sc = sim->sc;
    struct cs_policy *pol;

    if (sc->npdbs == 0 && sc->nquotas == 0)
        return 0;
    pol = calloc(1, sizeof(*pol));
    if (pol == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    sim->policy = pol;
    pol->wl_pdbs = calloc((size_t)sim->nwl + 1, sizeof(*pol->wl_pdbs));
    pol->wl_quotas = calloc((size_t)sim->nwl + 1, sizeof(*pol->wl_quotas));
    pol->use = calloc((size_t)sc->nquotas + 1, sizeof(*pol->use));
    if (pol->wl_pdbs == NULL || pol->wl_quotas == NULL || pol->use == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    for (int w = 0; w < sim->nwl; w++) {
        pol->wl_pdbs[w] = index_list(sc->npdbs, pdb_of, sc, w);
        pol->wl_quotas[w] = index_list(sc->nquotas, quota_of, sc, w);
        if (pol->wl_pdbs[w] == NULL || pol->wl_quotas[w] == NULL)
            return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return 0;
}

void cs_admission_destroy(struct cs_sim *sim)
{
    struct cs_policy *pol = sim->policy;

    if (pol == NULL)
        return;
    for (int w = 0; w < sim->nwl; w++) {
        if (pol->wl_pdbs != NULL)
            free(pol->wl_pdbs[w]);
        if (pol->wl_quotas != NULL)
            free(pol->wl_quotas[w]);
    }
    free(pol->wl_pdbs);
    free(pol->wl_quotas);
    free(pol->use);
    free(pol);
    sim->policy = NULL;
}

/* A quantity in milli-units as kubectl prints it: "500m", "4", memory in
 * whole bytes or Mi/Gi when exact. */
static void fmt_q(char *buf, size_t n, int64_t milli, int memory)
{
    if (memory && milli % 1000 == 0) {
        int64_t b = milli / 1000;

        if (b != 0 && b % (1024LL * 1024 * 1024) == 0)
            snprintf(buf, n, "%lldGi", (long long)(b >> 30));
        else if (b != 0 && b % (1024LL * 1024) == 0)
            snprintf(buf, n, "%lldMi", (long long)(b >> 20));
        else
            snprintf(buf, n, "%lld", (long long)b);
    } else if (milli % 1000 == 0) {
        snprintf(buf, n, "%lld", (long long)(milli / 1000));
    } else {
        snprintf(buf, n, "%lldm", (long long)milli);
    }
}

/* The first limit pod of workload w would break in quota q, as the
 * message's "requested/used/limited" triple; 0 if none. */
static int exceeded(const struct cs_sim *sim, int q,
                    const struct cs_podspec *sp, char *what, size_t n)
{
    const struct cs_quota *qt = &sim->sc->quotas[q];
    const struct quota_use *u = &sim->policy->use[q];
    char a[48], b[48], c[48];

    if (qt->pods >= 0 && u->pods + 1 > qt->pods) {
        snprintf(what, n,
                 "requested: pods=1, used: pods=%lld, limited: pods=%lld",
                 (long long)u->pods, (long long)qt->pods);
        return 1;
    }
    for (int pass = 0; pass < 2; pass++) {
        uint32_t set = pass ? qt->lim_set : qt->req_set;
        const struct cs_resvec *hard = pass ? &qt->limits : &qt->requests;
        const struct cs_resvec *used = pass ? &u->lim : &u->req;
        const struct cs_resvec *want = pass ? &sp->limits : &sp->requests;

        for (int r = 0; r < sim->nres; r++) {
            const char *rn = sim->sc->res.name[r];
            int mem = r == CS_RES_MEMORY;

            if (!(set & (1u << r)) || used->v[r] + want->v[r] <= hard->v[r])
                continue;
            fmt_q(a, sizeof(a), want->v[r], mem);
            fmt_q(b, sizeof(b), used->v[r], mem);
            fmt_q(c, sizeof(c), hard->v[r], mem);
            snprintf(what, n,
                     "requested: %s.%s=%s, used: %s.%s=%s, limited: %s.%s=%s",
                     pass ? "limits" : "requests", rn, a,
                     pass ? "limits" : "requests", rn, b,
                     pass ? "limits" : "requests", rn, c);
            return 1;
        }
    }
    return 0;
}

int cs_admission_pod_create(struct cs_sim *sim, uint32_t w,
                            const struct cs_podspec *sp, char *msg, size_t n)
{
    struct cs_policy *pol = sim->policy;
    const int *ql;
    char what[320];

    if (pol == NULL)
        return 0;
    ql = pol->wl_quotas[w];
    for (int i = 0; ql[i] >= 0; i++)
        if (exceeded(sim, ql[i], sp, what, sizeof(what))) {
            snprintf(msg, n,
                     "pods \"%s-%llu\" is forbidden: exceeded quota: %s, %s",
                     sim->wl[w].name, (unsigned long long)sim->next_uid,
                     sim->sc->quotas[ql[i]].name, what);
            return CS_EFORBIDDEN;
        }
    for (int i = 0; ql[i] >= 0; i++) {
        struct quota_use *u = &pol->use[ql[i]];

        u->pods++;
        cs_resvec_add(&u->req, &sp->requests, sim->nres);
        cs_resvec_add(&u->lim, &sp->limits, sim->nres);
    }
    return 0;
}

void cs_admission_pod_gone(struct cs_sim *sim, uint32_t p)
{
    struct cs_policy *pol = sim->policy;
    uint32_t w = sim->pods[p].workload;
    const struct cs_podspec *sp =
        cs_workload_pod_spec(&sim->wl[w], &sim->pods[p]);

    if (pol == NULL)
        return;
    for (const int *ql = pol->wl_quotas[w]; *ql >= 0; ql++) {
        struct quota_use *u = &pol->use[*ql];

        u->pods--;
        cs_resvec_sub(&u->req, &sp->requests, sim->nres);
        cs_resvec_sub(&u->lim, &sp->limits, sim->nres);
    }
}

void cs_admission_pod_resized(struct cs_sim *sim, uint32_t p,
                              const struct cs_podspec *from,
                              const struct cs_podspec *to)
{
    struct cs_policy *pol = sim->policy;
    uint32_t w = sim->pods[p].workload;

    if (pol == NULL)
        return;
    for (const int *ql = pol->wl_quotas[w]; *ql >= 0; ql++) {
        struct quota_use *u = &pol->use[*ql];

        cs_resvec_sub(&u->req, &from->requests, sim->nres);
        cs_resvec_sub(&u->lim, &from->limits, sim->nres);
        cs_resvec_add(&u->req, &to->requests, sim->nres);
        cs_resvec_add(&u->lim, &to->limits, sim->nres);
    }
}

/* Ready pods and wanted pods of the PDB's workloads now. */
static void pdb_counts(const struct cs_sim *sim, int i, int32_t *healthy,
                       int32_t *expected)
{
    const struct cs_pdb *pdb = &sim->sc->pdbs[i];

    *healthy = *expected = 0;
    for (int j = 0; j < pdb->nworkloads; j++) {
        const struct cs_workload *wl = &sim->wl[pdb->workloads[j]];

        *healthy += wl->count[CS_POD_READY];
        *expected += wl->is_job ? cs_workload_replicas(wl) : wl->spec_replicas;
    }
}

int32_t cs_admission_pdb_allowed(const struct cs_sim *sim, int i)
{
    int32_t healthy, expected;

    pdb_counts(sim, i, &healthy, &expected);
    return cs_pdb_allowed(&sim->sc->pdbs[i], healthy, expected);
}

const int *cs_admission_workload_pdbs(const struct cs_sim *sim, uint32_t w)
{
    static const int none[1] = {-1};

    return sim->policy != NULL ? sim->policy->wl_pdbs[w] : none;
}

int cs_admission_eviction_allowed(const struct cs_sim *sim, uint32_t p)
{
    const struct cs_pod *pod = &sim->pods[p];
    const int *pl = cs_admission_workload_pdbs(sim, pod->workload);

    for (int i = 0; pl[i] >= 0; i++) {
        int32_t allowed = cs_admission_pdb_allowed(sim, pl[i]);

        if (pod->state != CS_POD_READY) {
            /* not healthy: evictable while the budget is not below its
             * desired count (allowed >= 0 always; the test is healthy >=
             * desired, which cs_pdb_allowed folds into allowed >= 0) */
            int32_t healthy, expected;

            pdb_counts(sim, pl[i], &healthy, &expected);
            if (allowed == 0 && cs_pdb_allowed(&sim->sc->pdbs[pl[i]],
                                               healthy + 1, expected) == 0)
                return 0;
            continue;
        }
        if (allowed < 1)
            return 0;
    }
    return 1;
}
