/* replicaset.c - replica count and victim selection (see replicaset.h). */
#include "controllers/replicaset.h"

#include "controllers/job.h"
#include "controllers/rollout.h"
#include "core/sim.h"
#include "io/report.h"

#include <stdio.h>
#include <stdlib.h>

/* Phase order: Pending (incl. containers starting) before Running. */
static int phase_rank(const struct cs_pod *p)
{
    return p->state == CS_POD_PENDING || p->state == CS_POD_STARTING ? 0 : 1;
}

static int log2_bucket(cs_time_ms d)
{
    int b = 0;
    int64_t s = d / 1000;

    while (s > 0) {
        s >>= 1;
        b++;
    }
    return b;
}

int cs_replicaset_victim_cmp(const struct cs_sim *sim, uint32_t a,
                             int32_t rank_a, uint32_t b, int32_t rank_b)
{
    const struct cs_pod *pa = &sim->pods[a], *pb = &sim->pods[b];
    int ra, rb;

    if ((pa->node < 0) != (pb->node < 0))
        return pa->node < 0 ? -1 : 1;
    if (phase_rank(pa) != phase_rank(pb))
        return phase_rank(pa) - phase_rank(pb);
    ra = pa->state == CS_POD_READY;
    rb = pb->state == CS_POD_READY;
    if (ra != rb)
        return ra - rb;
    if (rank_a != rank_b)
        return rank_a > rank_b ? -1 : 1;
    if (ra && rb) {
        int ba = log2_bucket(sim->now - pa->ready_transition);
        int bb = log2_bucket(sim->now - pb->ready_transition);

        if (ba != bb)
            return ba - bb;
    }
    {
        int ba = log2_bucket(sim->now - pa->created);
        int bb = log2_bucket(sim->now - pb->created);

        if (ba != bb)
            return ba - bb;
    }
    return pa->uid > pb->uid ? -1 : (pa->uid < pb->uid ? 1 : 0);
}

/* Pod p may be picked by a deletion limited to `revision` (-1: any) and,
 * when unready_only, to pods not Ready. */
static int eligible(const struct cs_pod *p, int revision, int unready_only)
{
    return p->state != CS_POD_TERMINATING &&
           (revision < 0 || p->revision == revision) &&
           (!unready_only || p->state != CS_POD_READY);
}

/* Repeatedly pick the first victim in ranked order. The rank (pods of this
 * workload per node) is counted once into the sim's node scratch array and
 * kept exact as victims go. O(k * pods + nodes touched). */
int32_t cs_replicaset_delete_pods(struct cs_sim *sim, uint32_t w, int32_t k,
                                  int revision, int unready_only)
{
    struct cs_workload *wl = &sim->wl[w];
    int32_t *cnt = sim->node_scratch, done = 0;

    for (uint32_t i = 0; i < wl->npods; i++) {
        const struct cs_pod *q = &sim->pods[wl->pods[i]];

        if (q->node >= 0 && q->state != CS_POD_TERMINATING)
            cnt[q->node]++;
    }
    while (k-- > 0) {
        int64_t best = -1;
        int32_t best_rank = 0;

        for (uint32_t i = 0; i < wl->npods; i++) {
            uint32_t p = wl->pods[i];
            int32_t rank;

            if (!eligible(&sim->pods[p], revision, unready_only))
                continue;
            rank = sim->pods[p].node >= 0 ? cnt[sim->pods[p].node] : 0;
            if (best < 0 || cs_replicaset_victim_cmp(
                                sim, p, rank, (uint32_t)best, best_rank) < 0) {
                best = p;
                best_rank = rank;
            }
        }
        if (best < 0)
            break;
        if (sim->pods[best].node >= 0)
            cnt[sim->pods[best].node]--;
        cs_sim_pod_delete(sim, (uint32_t)best);
        done++;
    }
    for (uint32_t i = 0; i < wl->npods; i++) {
        const struct cs_pod *q = &sim->pods[wl->pods[i]];

        if (q->node >= 0)
            cnt[q->node] = 0;
    }
    return done;
}

/* The controller's workqueue rate limiter: per key 5 ms doubling to
 * 1000 s (client-go DefaultControllerRateLimiter's exponential part). */
#define RS_BACKOFF_MIN_MS 5
#define RS_BACKOFF_MAX_MS 1000000

void cs_replicaset_retry_later(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];

    wl->rs_backoff =
        wl->rs_backoff == 0 ? RS_BACKOFF_MIN_MS : wl->rs_backoff * 2;
    if (wl->rs_backoff > RS_BACKOFF_MAX_MS)
        wl->rs_backoff = RS_BACKOFF_MAX_MS;
    if (wl->rs_retry_pending)
        return;
    wl->rs_retry_pending = 1;
    if (cs_evq_push(&sim->q, sim->now + wl->rs_backoff, CS_EV_RS_RETRY, w, 0,
                    NULL) < 0 &&
        sim->err == 0)
        sim->err = CS_ENOMEM;
}

int cs_replicaset_create(struct cs_sim *sim, uint32_t w)
{
    int rc = cs_sim_pod_create(sim, w);

    if (rc == CS_EFORBIDDEN) {
        cs_replicaset_retry_later(sim, w);
        return 0;
    }
    return rc < 0 ? rc : 1;
}

int cs_replicaset_sync(struct cs_sim *sim, uint32_t w)
{
    struct cs_workload *wl = &sim->wl[w];
    int32_t have = cs_workload_replicas(wl);

    if (wl->rolling) { /* the rollout owns the replica count meanwhile */
        cs_rollout_sync(sim, w);
        return 0;
    }
    while (have < wl->spec_replicas) {
        int rc = cs_replicaset_create(sim, w);

        if (rc <= 0)
            return rc;
        wl->rs_backoff = 0;
        have++;
    }
    if (have > wl->spec_replicas)
        cs_replicaset_delete_pods(sim, w, have - wl->spec_replicas, -1, 0);
    return 0;
}

void cs_replicaset_scale(struct cs_sim *sim, uint32_t w, int32_t replicas)
{
    struct cs_workload *wl = &sim->wl[w];
    int32_t old = wl->spec_replicas;
    char msg[192];
    int rc;

    if (replicas == old)
        return;
    wl->spec_replicas = replicas;
    if (replicas > old)
        wl->scale_ups++;
    else
        wl->scale_downs++;
    if (sim->report != NULL)
        cs_report_rescale(sim->report, (int)w, sim->now, replicas > old);
    snprintf(msg, sizeof(msg), "Scaled %s replica set %s to %d from %d",
             replicas > old ? "up" : "down", wl->name, replicas, old);
    cs_sim_log(sim, "Deployment", wl->name, "ScalingReplicaSet", msg);
    rc = cs_replicaset_sync(sim, w);
    if (rc < 0 && sim->err == 0)
        sim->err = rc;
}

void cs_replicaset_resync(struct cs_sim *sim, uint32_t w)
{
    int rc;

    if (sim->wl[w].is_job)
        cs_job_resync(sim, w);
    else if ((rc = cs_replicaset_sync(sim, w)) < 0 && sim->err == 0)
        sim->err = rc;
}
