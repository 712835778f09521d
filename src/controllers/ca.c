/*
 * ca.c - the cluster autoscaler's loop and cluster-state registry.
 *
 * One iteration (spec 1, RunOnce), in order:
 *   1. registry: drop stale backoff, close fulfilled scale-up requests,
 *      time out requests older than max-node-provision-time (event
 *      ScaleUpTimedOut, backoff, the unregistered nodes removed and the
 *      target lowered), readiness classes;
 *   2. health gate: with more unready nodes than ok-total-unready-count
 *      and max-total-unready-percentage allow, forget the unneeded state
 *      and stop (event ClusterUnhealthy);
 *   3. enforce-node-group-min-size;
 *   4. scale-up (ca_scaleup.c);
 *   5. scale-down planning and actuation (ca_scaledown.c).
 * Frequent loops: the next loop is scan-interval later, or at once after a
 * productive loop, or when the scheduler marks a pod unschedulable (at most
 * one extra loop per simulated instant).
 */
#include "controllers/ca_int.h"

#include "controllers/nodes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_ca_log(struct cs_sim *sim, const char *object, const char *reason,
               const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (sim->report == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cs_sim_log(sim, "ClusterAutoscaler", object, reason, msg);
}

cs_time_ms cs_ca_ng_time(cs_time_ms ng, cs_time_ms global)
{
    return ng >= 0 ? ng : global;
}

double cs_ca_ng_ratio(double ng, double global)
{
    return ng >= 0 ? ng : global;
}

int32_t cs_ca_upcoming(const struct cs_sim *sim, const struct cs_ca *ca, int p)
{
    int32_t up = sim->pool_st[p].target - cs_ca_registered(sim, p);

    if (up <= 0 || ca->g[p].req_increase <= 0 ||
        cs_ca_backoff_active(&ca->g[p].backoff, sim->now))
        return 0;
    return up;
}

int cs_ca_scratch(struct cs_sim *sim, struct cs_ca *ca)
{
    uint32_t n = sim->nodes_cap ? sim->nodes_cap : 1;

    if (ca->scratch_nodes >= n)
        return 0;
    free(ca->free);
    free(ca->free_pods);
    free(ca->free_stamp);
    ca->free = calloc(n, sizeof(*ca->free));
    ca->free_pods = calloc(n, sizeof(*ca->free_pods));
    ca->free_stamp = calloc(n, sizeof(*ca->free_stamp));
    ca->scratch_nodes = n;
    ca->stamp = 0;
    if (ca->free == NULL || ca->free_pods == NULL || ca->free_stamp == NULL) {
        ca->scratch_nodes = 0;
        return CS_ENOMEM;
    }
    return 0;
}

int cs_ca_fits_template(const struct cs_sim *sim, uint32_t w, int p)
{
    const struct cs_podspec *sp = &sim->wl[w].spec;
    const struct cs_pool *pool = &sim->pools[p];
    const struct cs_pool_state *ps = &sim->pool_st[p];

    if (ps->ds_pods + 1 > pool->max_pods)
        return 0;
    if (!cs_resvec_fits(&ps->ds_req, &sp->requests, &pool->allocatable,
                        sim->nres))
        return 0;
    if (!cs_tolerates(sp->tolerations, sp->ntolerations, pool->taints,
                      pool->ntaints))
        return 0;
    /* a template has no hostname of an existing node */
    for (int i = 0; i < sp->nnode_selector; i++)
        if (strcmp(sp->node_selector[i].key, "kubernetes.io/hostname") == 0)
            return 0;
    return cs_labels_match(sp->node_selector, sp->nnode_selector, pool, NULL);
}

int cs_ca_init(struct cs_sim *sim, struct cs_err *err)
{
    const struct cs_scenario *sc = sim->sc;
    struct cs_ca *ca;

    if (!sc->ca.enabled)
        return 0;
    ca = calloc(1, sizeof(*ca));
    if (ca == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    sim->ca = ca;
    ca->cfg = &sc->ca;
    ca->g = calloc((size_t)sc->npools + 1, sizeof(*ca->g));
    ca->pg = calloc((size_t)sim->nwl + 1, sizeof(*ca->pg));
    ca->wl_slot = malloc(((size_t)sim->nwl + 1) * sizeof(*ca->wl_slot));
    ca->pool_tmp = calloc((size_t)sc->npools + 1, sizeof(*ca->pool_tmp));
    ca->wl_notrigger =
        malloc(((size_t)sim->nwl + 1) * sizeof(*ca->wl_notrigger));
    if (ca->g == NULL || ca->pg == NULL || ca->wl_slot == NULL ||
        ca->pool_tmp == NULL || ca->wl_notrigger == NULL)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    for (int w = 0; w < sim->nwl; w++) {
        ca->wl_slot[w] = -1;
        ca->wl_notrigger[w] = CS_TIME_NEVER;
    }
    for (int p = 0; p < sc->npools; p++) {
        struct cs_ca_group *g = &ca->g[p];

        g->last_up = g->last_delete = g->last_fail = -CS_TIME_NEVER;
        g->last_fail_logged = -1;
    }
    ca->last_loop = -1;
    /* "never": far enough in the past that no delay is active */
    ca->last_scale_up = ca->last_sd_delete = ca->last_sd_fail = -CS_TIME_NEVER;
    return 0;
}

void cs_ca_destroy(struct cs_sim *sim)
{
    struct cs_ca *ca = sim->ca;

    if (ca == NULL)
        return;
    free(ca->g);
    free(ca->pg);
    free(ca->wl_slot);
    free(ca->pool_tmp);
    free(ca->wl_notrigger);
    free(ca->free);
    free(ca->free_pods);
    free(ca->free_stamp);
    free(ca);
    sim->ca = NULL;
}

static void queue_loop(struct cs_sim *sim, struct cs_ca *ca, cs_time_ms at)
{
    if (ca->loop_ev != 0) {
        if (ca->loop_at <= at)
            return;
        cs_evq_cancel(&sim->q, ca->loop_ev);
        ca->loop_ev = 0;
    }
    if (at > sim->end)
        return;
    ca->loop_at = at;
    if (cs_evq_push(&sim->q, at, CS_EV_CA, 0, 0, &ca->loop_ev) < 0 &&
        sim->err == 0)
        sim->err = CS_ENOMEM;
}

int cs_ca_start(struct cs_sim *sim)
{
    if (sim->ca != NULL)
        queue_loop(sim, sim->ca, 0);
    return sim->err;
}

void cs_ca_pod_unschedulable(struct cs_sim *sim)
{
    struct cs_ca *ca = sim->ca;

    if (ca == NULL || !ca->cfg->frequent_loops || ca->last_loop == sim->now)
        return;
    queue_loop(sim, ca, sim->now);
}

/* Spec 6.3: close fulfilled requests, time out the others. */
static void update_requests(struct cs_sim *sim, struct cs_ca *ca)
{
    for (int p = 0; p < sim->npools; p++) {
        struct cs_ca_group *g = &ca->g[p];
        int32_t up = sim->pool_st[p].target - cs_ca_registered(sim, p);

        cs_ca_backoff_gc(&g->backoff, &ca->cfg->backoff, sim->now);
        if (g->req_increase <= 0)
            continue;
        if (up <= 0) {
            g->req_increase = 0;
            continue;
        }
        if (sim->now <= g->req_expected)
            continue;
        cs_ca_log(sim, sim->pools[p].name, "ScaleUpTimedOut",
                  "group %s: %d node(s) not registered within %lld s; "
                  "reverting the target and backing off",
                  sim->pools[p].name, up,
                  (long long)(cs_ca_ng_time(sim->pools[p].ng.provision_time,
                                            ca->cfg->max_node_provision_time) /
                              1000));
        cs_ca_backoff_fail(&g->backoff, &ca->cfg->backoff, sim->now);
        for (uint32_t n = 0; n < sim->nnodes && up > 0; n++)
            if (sim->nodes[n].pool == (uint32_t)p &&
                sim->nodes[n].state == CS_NODE_PROVISIONING) {
                cs_node_remove(sim, n, 1, NULL);
                up--;
            }
        g->req_increase = 0;
    }
}

/* Spec 6.1: 1 if the cluster is healthy. */
static int healthy(struct cs_sim *sim, const struct cs_ca *ca)
{
    int32_t unready = 0, registered = 0;

    for (uint32_t n = 0; n < sim->nnodes; n++) {
        const struct cs_node *nd = &sim->nodes[n];
        cs_time_ms startup;

        if (nd->state != CS_NODE_NOT_READY && nd->state != CS_NODE_READY)
            continue;
        registered++;
        startup = cs_ca_ng_time(sim->pools[nd->pool].ng.startup_time,
                                ca->cfg->max_node_startup_time);
        if (nd->state == CS_NODE_NOT_READY && sim->now - nd->created >= startup)
            unready++;
    }
    if (unready > ca->cfg->ok_total_unready_count &&
        (int64_t)unready * 100 >
            (int64_t)ca->cfg->max_total_unready_percentage * registered) {
        cs_ca_log(sim, "cluster", "ClusterUnhealthy",
                  "%d of %d nodes unready: no scaling this loop", unready,
                  registered);
        return 0;
    }
    return 1;
}

static void enforce_min(struct cs_sim *sim, struct cs_ca *ca)
{
    for (int p = 0; p < sim->npools; p++) {
        const struct cs_pool *pool = &sim->pools[p];
        int32_t add = pool->min_size - sim->pool_st[p].target;

        if (!pool->autoscaled || add <= 0)
            continue;
        cs_ca_log(sim, pool->name, "ScaledUpGroup",
                  "group %s below its min size: +%d", pool->name, add);
        for (int32_t i = 0; i < add; i++)
            cs_node_create(sim, p, 1);
        ca->g[p].req_increase += add;
        ca->g[p].req_expected =
            sim->now + cs_ca_ng_time(pool->ng.provision_time,
                                     ca->cfg->max_node_provision_time);
    }
}

static void loop(struct cs_sim *sim, struct cs_ca *ca)
{
    ca->last_loop = sim->now;
    ca->loops++;
    ca->productive = 0;
    ca->sd_disabled = 0;
    if (cs_ca_scratch(sim, ca) < 0) {
        sim->err = CS_ENOMEM;
        return;
    }
    update_requests(sim, ca);
    if (!healthy(sim, ca)) {
        for (uint32_t n = 0; n < sim->nnodes; n++)
            sim->nodes[n].unneeded_since = CS_TIME_NEVER;
        return;
    }
    if (ca->cfg->enforce_node_group_min_size)
        enforce_min(sim, ca);
    if (cs_ca_scale_up(sim, ca))
        ca->productive = 1;
    /* the scale-up may have added node slots */
    if (ca->cfg->scale_down_enabled && cs_ca_scratch(sim, ca) == 0)
        cs_ca_scale_down(sim, ca);
}

void cs_ca_event(struct cs_sim *sim, uint32_t a, uint32_t b)
{
    struct cs_ca *ca = sim->ca;

    (void)a;
    (void)b;
    if (ca == NULL)
        return;
    ca->loop_ev = 0;
    loop(sim, ca);
    queue_loop(sim, ca,
               ca->productive && ca->cfg->frequent_loops
                   ? sim->now
                   : sim->now + ca->cfg->scan_interval);
}

void cs_ca_create_failed(struct cs_sim *sim, uint32_t n)
{
    struct cs_ca *ca = sim->ca;
    int p = (int)sim->nodes[n].pool;

    cs_node_remove(sim, n, 1, NULL);
    if (ca == NULL)
        return;
    if (ca->g[p].last_fail_logged != sim->now)
        cs_ca_log(sim, sim->pools[p].name, "ScaleUpFailed",
                  "group %s: instance creation failed (out of capacity); "
                  "backing off",
                  sim->pools[p].name);
    ca->g[p].last_fail_logged = sim->now;
    if (ca->g[p].req_increase > 0)
        ca->g[p].req_increase--;
    cs_ca_backoff_fail(&ca->g[p].backoff, &ca->cfg->backoff, sim->now);
}
