/*
 * schedule.c - firing scheduled actions (see schedule.h): each logs a
 * Schedule/CronJob event (Scale, PatchHPA, PatchVPA, SetResources), then
 * hands the change to the controller that owns the object.
 */
#include "controllers/schedule.h"
#include "controllers/autoscale.h"
#include "controllers/job.h"
#include "controllers/replicaset.h"
#include "controllers/rollout.h"
#include "controllers/vpa.h"
#include "core/sim.h"
#include "io/scenario.h"
#include "model/res.h"

#include <assert.h>
#include <stdio.h>

/* The first firing of s strictly after simulated time t (t < 0: at or
 * after the start), or CS_TIME_NEVER. */
static cs_time_ms next_fire(const struct cs_sim *sim, const struct cs_sched *s,
                            cs_time_ms t)
{
    int64_t start = sim->sc->start_utc_ms, after_s, utc_s;
    cs_i128 at;

    if (s->suspend)
        return CS_TIME_NEVER;
    if (!s->has_cron)
        return s->at > t ? s->at : CS_TIME_NEVER;
    /* cron fires on whole seconds: strictly after the second holding t,
     * or for the first firing at or after the start */
    if (t < 0)
        after_s = cs_floor_div(start + 999, 1000) - 1;
    else
        after_s = cs_floor_div(start + t, 1000);
    utc_s = cs_cron_next(&s->cron, s->tz, after_s);
    /* in 128 bits: a far firing or a start before 1970 (negative) would
     * overflow int64 */
    at = (cs_i128)utc_s * 1000 - start;
    if (utc_s == INT64_MAX || at > INT64_MAX)
        return CS_TIME_NEVER;
    return (cs_time_ms)at;
}

static int push_next(struct cs_sim *sim, uint32_t i, cs_time_ms after)
{
    cs_time_ms at = next_fire(sim, &sim->sc->scheds[i], after);

    if (at == CS_TIME_NEVER || at > sim->end)
        return 0;
    return cs_evq_push(&sim->q, at < 0 ? 0 : at, CS_EV_CRON, i, 0, NULL);
}

int cs_schedule_start(struct cs_sim *sim)
{
    for (int i = 0; i < sim->sc->nscheds; i++) {
        const struct cs_sched *s = &sim->sc->scheds[i];

        /* a suspended entry fires once at 0 only to say so (the report is
         * attached after this runs, so it cannot log now) */
        if ((s->suspend
                 ? cs_evq_push(&sim->q, 0, CS_EV_CRON, (uint32_t)i, 0, NULL)
                 : push_next(sim, (uint32_t)i, -1)) < 0)
            return CS_ENOMEM;
    }
    return 0;
}

static void scale(struct cs_sim *sim, const struct cs_sched *s,
                  const struct cs_action *a, int w)
{
    char msg[256];

    snprintf(msg, sizeof(msg), "kubectl scale deployment/%s --replicas=%d",
             sim->wl[w].name, a->replicas);
    cs_sim_log(sim, s->kind, s->name, "Scale", msg);
    cs_replicaset_scale(sim, (uint32_t)w, a->replicas);
}

static void patch(struct cs_sim *sim, const struct cs_sched *s,
                  const struct cs_action *a, int h)
{
    char msg[256];
    int n = 0;

    n += snprintf(msg + n, sizeof(msg) - (size_t)n,
                  "patched HPA %s:", sim->sc->hpas[h].spec.name);
    if (a->min_replicas >= 0)
        n += snprintf(msg + n, sizeof(msg) - (size_t)n, " minReplicas=%d",
                      a->min_replicas);
    if (a->max_replicas >= 0)
        n += snprintf(msg + n, sizeof(msg) - (size_t)n, " maxReplicas=%d",
                      a->max_replicas);
    if (a->utilization >= 0)
        snprintf(msg + n, sizeof(msg) - (size_t)n, " averageUtilization=%d%%",
                 a->utilization);
    cs_sim_log(sim, s->kind, s->name, "PatchHPA", msg);
    cs_autoscale_patch(sim, h, a);
}

/* `kubectl patch vpa`: VPA v's updateMode; the VPA logs ModeChanged when
 * the mode is a new one. The loader resolved v, so the runtime exists. */
static void patch_vpa(struct cs_sim *sim, const struct cs_sched *s,
                      const struct cs_action *a, int v)
{
    char msg[256];

    assert(sim->vpa != NULL && v >= 0 && v < sim->sc->nvpas);
    snprintf(msg, sizeof(msg), "patched VPA %s: updateMode=%s",
             sim->sc->vpas[v].name, cs_vpa_mode_name(a->vpa_mode));
    cs_sim_log(sim, s->kind, s->name, "PatchVPA", msg);
    cs_vpa_set_mode(sim, v, a->vpa_mode);
}

/* `kubectl set resources`: log the command as written, then roll out. */
static void set_resources(struct cs_sim *sim, const struct cs_sched *s,
                          const struct cs_action *a, int w)
{
    char msg[512];
    int n;

    n = snprintf(msg, sizeof(msg), "kubectl set resources deployment/%s",
                 sim->wl[w].name);
    if (a->container != NULL)
        n += snprintf(msg + n, sizeof(msg) - (size_t)n, " -c %s", a->container);
    for (int k = 0; k < 2; k++) {
        const struct cs_action_qty *q = k ? a->lim : a->req;
        int nq = k ? a->nlim : a->nreq;

        /* whole units plainly, the rest in milli-units: both are
         * quantities kubectl accepts */
        for (int i = 0; i < nq && (size_t)n < sizeof(msg); i++)
            n += snprintf(msg + n, sizeof(msg) - (size_t)n,
                          q[i].milli % 1000 ? "%s%s=%lldm" : "%s%s=%lld",
                          i ? "," : (k ? " --limits=" : " --requests="),
                          q[i].name,
                          (long long)(q[i].milli % 1000 ? q[i].milli
                                                        : q[i].milli / 1000));
    }
    cs_sim_log(sim, s->kind, s->name, "SetResources", msg);
    cs_rollout_start(sim, (uint32_t)w, a);
}

void cs_schedule_fire(struct cs_sim *sim, uint32_t i)
{
    const struct cs_sched *s = &sim->sc->scheds[i];

    if (s->suspend) {
        cs_sim_log(sim, s->kind, s->name, "Suspended",
                   "the schedule is suspended and will not fire");
        return;
    }
    if (s->job >= 0)
        cs_job_fire(sim, (uint32_t)s->job);
    for (int k = 0; k < s->nactions && sim->err == 0; k++) {
        const struct cs_action *a = &s->actions[k];

        if (a->kind == CS_ACTION_SCALE)
            scale(sim, s, a, s->targets[k]);
        else if (a->kind == CS_ACTION_PATCH_HPA)
            patch(sim, s, a, s->targets[k]);
        else if (a->kind == CS_ACTION_RESOURCES)
            set_resources(sim, s, a, s->targets[k]);
        else if (a->kind == CS_ACTION_PATCH_VPA)
            patch_vpa(sim, s, a, s->targets[k]);
    }
    if (sim->err == 0 && push_next(sim, i, sim->now) < 0)
        sim->err =
            cs_err_set(&sim->errinfo, CS_ENOMEM, NULL, 0, 0, "out of memory");
}
