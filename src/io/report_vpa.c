/*
 * report_vpa.c - what the Vertical Pod Autoscaler did, in the run's
 * outputs (docs/outputs.md, docs/vpa.md):
 *
 *   recommendations.csv  one row per VPA, container and controlled resource
 *                        at every recommender loop: lower bound, target,
 *                        upper bound and uncapped target (CPU in
 *                        millicores, memory in bytes);
 *   vpa.csv              the last recommendation beside the template's
 *                        request, the table `kubectl describe vpa` shows;
 *   timeline.csv         per workload: mean pod requests, the VPA's pod
 *                        target, OOM kills and VPA evictions so far.
 */
#include "io/report_int.h"

#include "controllers/vpa.h"
#include "core/sim.h"
#include "io/scenario.h"

#include <math.h>
#include <stdio.h>

static const char vpa_header[] =
    "vpa,workload,mode,container,resource,lower_bound,target,upper_bound,"
    "uncapped_target,request\n";

void cs_report_pods_scan(const struct cs_sim *sim, int w,
                         struct cs_report_pods *o)
{
    const struct cs_workload *wl = &sim->wl[w];
    const struct cs_resvec *t = &wl->spec.requests;
    int alike = wl->nvspecs == 0 && wl->old_specs == NULL;
    double run_cpu = 0, run_mem = 0, live_cpu = 0, live_mem = 0, up_ms = 0;
    int64_t nrun = 0, nlive = 0;

    o->leaked = 0;
    o->run_cpu = o->live_cpu = (double)t->v[CS_RES_CPU];
    o->run_mem = o->live_mem = (double)t->v[CS_RES_MEMORY];
    if (alike && wl->svc.mem_growth <= 0)
        return; /* every pod has the template's requests: O(1) */
    for (uint32_t i = 0; i < wl->npods; i++) {
        const struct cs_pod *p = &sim->pods[wl->pods[i]];
        const struct cs_resvec *r = &cs_workload_pod_spec(wl, p)->requests;
        int running = p->state == CS_POD_RUNNING || p->state == CS_POD_READY;

        if (p->state == CS_POD_TERMINATING)
            continue;
        live_cpu += (double)r->v[CS_RES_CPU];
        live_mem += (double)r->v[CS_RES_MEMORY];
        nlive++;
        if (!running)
            continue;
        run_cpu += (double)r->v[CS_RES_CPU];
        run_mem += (double)r->v[CS_RES_MEMORY];
        nrun++;
        if (p->container_start <= sim->now)
            up_ms += (double)(sim->now - p->container_start);
    }
    if (wl->svc.mem_growth > 0)
        o->leaked = wl->svc.mem_growth * up_ms; /* bytes/s x ms = milli-B */
    if (alike)
        return;
    if (nrun > 0) {
        o->run_cpu = run_cpu / (double)nrun;
        o->run_mem = run_mem / (double)nrun;
    }
    if (nlive > 0) {
        o->live_cpu = live_cpu / (double)nlive;
        o->live_mem = live_mem / (double)nlive;
    }
}

void cs_report_vpa_columns(struct cs_outbuf *b, const struct cs_sim *sim, int w,
                           const struct cs_report_pods *ps)
{
    const struct cs_workload *wl = &sim->wl[w];

    cs_outbuf_fixed(b, ps->live_cpu, 0);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, ps->live_mem / 1000.0, 0);
    cs_outbuf_putc(b, ',');
    if (wl->vpa >= 0) {
        int64_t tc, tm;

        cs_vpa_pod_target(sim, wl->vpa, &tc, &tm);
        if (tc > 0)
            cs_outbuf_int(b, tc);
        cs_outbuf_putc(b, ',');
        if (tm > 0)
            cs_outbuf_int(b, tm);
    } else {
        cs_outbuf_putc(b, ',');
    }
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, wl->oom_kills);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, wl->vpa_evictions);
    cs_outbuf_putc(b, ',');
}

static void bounds(struct cs_outbuf *b, const struct cs_vpa_bounds *x)
{
    cs_outbuf_int(b, x->lower);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, x->target);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, x->upper);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, x->uncapped_target);
}

void cs_report_vpa_recommendation(struct cs_report *r, const struct cs_sim *sim,
                                  int v)
{
    const struct cs_vpa_spec *spec = &sim->sc->vpas[v];
    const struct cs_vpa_rec *recs;
    struct cs_outbuf *b;
    int n;

    if (!r->files || !cs_vpa_status(sim, v, &recs, &n))
        return;
    b = cs_ofile_buf(&r->f[F_RECS]);
    for (int c = 0; c < n; c++)
        for (int res = CS_RES_CPU; res <= CS_RES_MEMORY; res++) {
            if (!recs[c].recommended || !(recs[c].controlled & (1u << res)))
                continue;
            cs_report_put_time(r, b, sim->now);
            cs_outbuf_putc(b, ',');
            cs_outbuf_csv_field(b, sim->wl[spec->workload].name);
            cs_outbuf_putc(b, ',');
            cs_outbuf_csv_field(b, spec->name);
            cs_outbuf_putc(b, ',');
            cs_outbuf_csv_field(b, recs[c].container);
            cs_outbuf_puts(b, res == CS_RES_CPU ? ",cpu," : ",memory,");
            bounds(b, res == CS_RES_CPU ? &recs[c].cpu : &recs[c].mem);
            cs_outbuf_putc(b, '\n');
        }
    cs_ofile_flush_if(&r->f[F_RECS]);
}

void cs_report_vpa_final(struct cs_report *r, const struct cs_sim *sim)
{
    struct cs_outbuf *b = cs_ofile_buf(&r->f[F_VPA]);

    cs_outbuf_puts(b, vpa_header);
    for (int v = 0; v < sim->sc->nvpas; v++) {
        const struct cs_vpa_spec *spec = &sim->sc->vpas[v];
        const struct cs_workload *wl = &sim->wl[spec->workload];
        const struct cs_vpa_rec *recs;
        int n, has = cs_vpa_status(sim, v, &recs, &n);

        for (int c = 0; c < n; c++)
            for (int res = CS_RES_CPU; res <= CS_RES_MEMORY; res++) {
                const struct cs_container *ct = &wl->spec.c[c];

                if (!recs[c].recommended || !(recs[c].controlled & (1u << res)))
                    continue;
                cs_outbuf_csv_field(b, spec->name);
                cs_outbuf_putc(b, ',');
                cs_outbuf_csv_field(b, wl->name);
                cs_outbuf_putc(b, ',');
                cs_outbuf_puts(b, cs_vpa_mode_name(cs_vpa_mode(sim, v)));
                cs_outbuf_putc(b, ',');
                cs_outbuf_csv_field(b, recs[c].container);
                cs_outbuf_puts(b, res == CS_RES_CPU ? ",cpu," : ",memory,");
                if (has)
                    bounds(b, res == CS_RES_CPU ? &recs[c].cpu : &recs[c].mem);
                else
                    cs_outbuf_puts(b, ",,,");
                cs_outbuf_putc(b, ',');
                if (ct->req_set & (1u << res))
                    cs_outbuf_int(b, res == CS_RES_CPU ? ct->req.v[res]
                                                       : ct->req.v[res] / 1000);
                cs_outbuf_putc(b, '\n');
            }
    }
}

/* "587m" / "362.6Mi" as the describe table shows them. */
static void fmt(char *buf, size_t n, int64_t v, int res)
{
    if (res == CS_RES_CPU)
        snprintf(buf, n, "%lldm", (long long)v);
    else if (v >= CS_VPA_MAX_AMOUNT)
        snprintf(buf, n, "%s", "1e14");
    else
        snprintf(buf, n, "%.1fMi", (double)v / 1048576.0);
}

void cs_report_print_vpa(const struct cs_report *r, const struct cs_sim *sim,
                         void *file)
{
    FILE *fp = file;

    (void)r;
    for (int v = 0; v < sim->sc->nvpas; v++) {
        const struct cs_vpa_spec *spec = &sim->sc->vpas[v];
        const struct cs_workload *wl = &sim->wl[spec->workload];
        const struct cs_vpa_rec *recs;
        int n, has = cs_vpa_status(sim, v, &recs, &n);

        fprintf(fp, "\nVerticalPodAutoscaler %s (Deployment %s, mode %s)",
                spec->name, wl->name, cs_vpa_mode_name(cs_vpa_mode(sim, v)));
        if (!has) {
            fprintf(fp, ": no recommendation yet\n");
            continue;
        }
        fprintf(fp, "\n  %-16s %-8s %10s %10s %10s %10s %10s\n", "container",
                "resource", "lower", "target", "upper", "uncapped", "request");
        for (int c = 0; c < n; c++)
            for (int res = CS_RES_CPU; res <= CS_RES_MEMORY; res++) {
                const struct cs_vpa_bounds *x =
                    res == CS_RES_CPU ? &recs[c].cpu : &recs[c].mem;
                const struct cs_container *ct = &wl->spec.c[c];
                char lo[32], ta[32], up[32], un[32], rq[32] = "-";

                if (!recs[c].recommended || !(recs[c].controlled & (1u << res)))
                    continue;
                fmt(lo, sizeof(lo), x->lower, res);
                fmt(ta, sizeof(ta), x->target, res);
                fmt(up, sizeof(up), x->upper, res);
                fmt(un, sizeof(un), x->uncapped_target, res);
                if (ct->req_set & (1u << res))
                    fmt(rq, sizeof(rq),
                        res == CS_RES_CPU ? ct->req.v[res]
                                          : ct->req.v[res] / 1000,
                        res);
                fprintf(fp, "  %-16s %-8s %10s %10s %10s %10s %10s\n",
                        recs[c].container, res == CS_RES_CPU ? "cpu" : "memory",
                        lo, ta, up, un, rq);
            }
    }
}
