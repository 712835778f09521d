/*
 * rollout.c - rolling and recreate rollouts of a new pod template (see
 * rollout.h for the algorithm and its differences from upstream).
 *
 * Counts are taken by one scan of the workload's pods per sync: a rollout
 * is transient and syncs only on pod transitions, so the per-workload
 * counters by state (cs_workload.count) are not split by revision.
 *
 *   idle --cs_rollout_start--> rolling --sync finds it done--> idle
 *
 * Invariant while rolling: every pod of revision < wl->revision is "old"
 * and old_specs[its revision] holds its template; only new pods are
 * created.
 */
#include "controllers/rollout.h"

#include "controllers/replicaset.h"
#include "core/sim.h"
#include "io/scenario.h"

#include <stdio.h>
#include <stdlib.h>

struct counts {
    int32_t new_live, new_ready; /* current revision, not terminating */
    int32_t old_live, old_ready; /* older revisions, not terminating */
    int32_t old_all;             /* older revisions, terminating too */
    int oldest;                  /* lowest old revision live; -1 none */
};

static void count(const struct cs_sim *sim, const struct cs_workload *wl,
                  struct counts *c)
{
    *c = (struct counts){.oldest = -1};
    for (uint32_t i = 0; i < wl->npods; i++) {
        const struct cs_pod *p = &sim->pods[wl->pods[i]];
        int isnew = p->revision == wl->revision;

        if (!isnew)
            c->old_all++;
        if (p->state == CS_POD_TERMINATING)
            continue;
        if (isnew) {
            c->new_live++;
            c->new_ready += p->state == CS_POD_READY;
            continue;
        }
        c->old_live++;
        c->old_ready += p->state == CS_POD_READY;
        if (c->oldest < 0 || p->revision < c->oldest)
            c->oldest = p->revision;
    }
}

static int32_t live_of(const struct cs_sim *sim, const struct cs_workload *wl,
                       int revision)
{
    int32_t n = 0;

    for (uint32_t i = 0; i < wl->npods; i++) {
        const struct cs_pod *p = &sim->pods[wl->pods[i]];

        n += p->revision == revision && p->state != CS_POD_TERMINATING;
    }
    return n;
}

/* The ScalingReplicaSet event of revision rev going from -> to. */
static void log_scale(struct cs_sim *sim, uint32_t w, int rev, int32_t from,
                      int32_t to)
{
    char msg[192];

    snprintf(msg, sizeof(msg), "Scaled %s replica set %s-%d to %d from %d",
             to > from ? "up" : "down", sim->wl[w].name, rev + 1, to, from);
    cs_sim_log(sim, "Deployment", sim->wl[w].name, "ScalingReplicaSet", msg);
}

/* Bring the new revision's live pods to `to` (creating or deleting). */
static void scale_new(struct cs_sim *sim, uint32_t w, int32_t from, int32_t to)
{
    struct cs_workload *wl = &sim->wl[w];

    if (to == from)
        return;
    log_scale(sim, w, wl->revision, from, to);
    if (to < from) {
        cs_replicaset_delete_pods(sim, w, from - to, wl->revision, 0);
        return;
    }
    for (int32_t i = from; i < to; i++) {
        int rc = cs_replicaset_create(sim, w);

        if (rc <= 0) {
            if (rc < 0 && sim->err == 0)
                sim->err = rc;
            return;
        }
        wl->rs_backoff = 0;
    }
}

/* Delete up to k old pods, oldest revision first (unready_only: only pods
 * not Ready). Returns the number deleted. */
static int32_t scale_old(struct cs_sim *sim, uint32_t w, int32_t k,
                         int unready_only)
{
    struct cs_workload *wl = &sim->wl[w];
    int32_t done = 0;

    for (int rev = 0; rev < wl->revision && done < k; rev++) {
        int32_t live = live_of(sim, wl, rev), n;

        if (live == 0)
            continue;
        n = cs_replicaset_delete_pods(sim, w, k - done, rev, unready_only);
        if (n > 0)
            log_scale(sim, w, rev, live, live - n);
        done += n;
    }
    return done;
}

/* maxSurge rounds up, maxUnavailable down; both 0 makes room for one
 * unavailable pod (upstream's ResolveFenceposts). */
static void fenceposts(const struct cs_strategy *s, int32_t d, int32_t *surge,
                       int32_t *unavailable)
{
    *surge = s->surge_pct ? (int32_t)(((int64_t)d * s->max_surge + 99) / 100)
                          : s->max_surge;
    *unavailable = s->unavailable_pct
                       ? (int32_t)((int64_t)d * s->max_unavailable / 100)
                       : s->max_unavailable;
    if (*surge == 0 && *unavailable == 0)
        *unavailable = 1;
}

/* Steps 1 and 3 of rollout.h: grow the new revision within the surge. */
static void surge_new(struct cs_sim *sim, uint32_t w, int32_t surge)
{
    const struct cs_workload *wl = &sim->wl[w];
    int32_t d = wl->spec_replicas, want;
    struct counts c;

    count(sim, wl, &c);
    if (c.new_live > d) {
        scale_new(sim, w, c.new_live, d);
        return;
    }
    want = c.new_live + (d + surge - (c.new_live + c.old_live));
    if (want > d)
        want = d;
    if (want > c.new_live)
        scale_new(sim, w, c.new_live, want);
}

static void rolling(struct cs_sim *sim, uint32_t w)
{
    const struct cs_workload *wl = &sim->wl[w];
    int32_t d = wl->spec_replicas, surge, unavailable, min_avail, room, k;
    struct counts c;

    fenceposts(&wl->strategy, d, &surge, &unavailable);
    min_avail = d - unavailable;
    surge_new(sim, w, surge);
    if (sim->err != 0)
        return;
    count(sim, wl, &c);
    /* upstream's maxScaledDown: never below minAvailable counting the new
     * pods that are not available yet */
    room = c.new_live + c.old_live - min_avail - (c.new_live - c.new_ready);
    if (room <= 0 || c.old_live == 0)
        return;
    k = scale_old(
        sim, w,
        room < c.old_live - c.old_ready ? room : c.old_live - c.old_ready, 1);
    count(sim, wl, &c);
    room = c.old_ready + c.new_ready - min_avail;
    if (room > c.old_live)
        room = c.old_live;
    if (room > 0)
        k += scale_old(sim, w, room, 0);
    if (k > 0)
        surge_new(sim, w, surge);
}

static void recreate(struct cs_sim *sim, uint32_t w)
{
    const struct cs_workload *wl = &sim->wl[w];
    struct counts c;

    count(sim, wl, &c);
    if (c.old_live > 0)
        scale_old(sim, w, c.old_live, 0);
    count(sim, wl, &c);
    if (c.old_all > 0)
        return; /* the new pods wait until every old one is gone */
    if (c.new_live != wl->spec_replicas)
        scale_new(sim, w, c.new_live, wl->spec_replicas);
}

void cs_rollout_sync(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];
    struct counts c;
    char obj[160], msg[256];

    if (!wl->rolling || sim->err != 0)
        return;
    if (wl->strategy.recreate)
        recreate(sim, w);
    else
        rolling(sim, w);
    count(sim, wl, &c);
    if (c.old_live > 0 || c.new_live != wl->spec_replicas ||
        c.new_ready != wl->spec_replicas)
        return;
    wl->rolling = 0;
    snprintf(obj, sizeof(obj), "%s", wl->name);
    snprintf(msg, sizeof(msg),
             "ReplicaSet \"%s-%d\" has successfully progressed: rollout "
             "complete",
             wl->name, wl->revision + 1);
    cs_sim_log(sim, "Deployment", obj, "NewReplicaSetAvailable", msg);
}

void cs_rollout_start(struct cs_sim *sim, uint32_t w, const struct cs_action *a)
{
    struct cs_workload *wl = &sim->wl[w];
    struct cs_podspec next = wl->spec, *olds;
    char why[192], msg[320];
    int rc;

    rc = cs_podspec_set_resources(&next, a, &sim->sc->res, why, sizeof(why));
    if (rc < 0) {
        snprintf(msg, sizeof(msg), "set resources refused: %s", why);
        cs_sim_log(sim, "Deployment", wl->name, "FailedUpdate", msg);
        return;
    }
    if (rc == 0)
        return; /* same template: no new revision, as upstream */
    if (wl->revision == UINT16_MAX) {
        sim->err = cs_err_set(&sim->errinfo, CS_ELIMIT, NULL, 0, 0,
                              "Deployment %s: more than %d template "
                              "revisions",
                              wl->name, UINT16_MAX);
        return;
    }
    olds = realloc(wl->old_specs, ((size_t)wl->revision + 1) * sizeof(*olds));
    if (olds == NULL) {
        sim->err =
            cs_err_set(&sim->errinfo, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return;
    }
    wl->old_specs = olds;
    olds[wl->revision] = wl->spec;
    wl->spec = next;
    wl->revision++;
    wl->rolling = 1;
    cs_rollout_sync(sim, w);
}
