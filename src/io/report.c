/*
 * report.c - timeline, events and summary CSV files (see report.h;
 * nodes.csv, billing and time to capacity are in report_nodes.c).
 *
 * Rows are formatted with the hand-written number formatter of outbuf.c
 * (never printf in the per-sample path) into each file's buffer, which is
 * flushed in 64 KiB writes.
 */
#include "io/report.h"
#include "io/report_int.h"

#include "controllers/autoscale.h"
#include "controllers/metrics.h"
#include "core/sim.h"
#include "io/figures.h"
#include "io/ofile.h"
#include "io/outbuf.h"
#include "io/scenario.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRINT_MAX 20 /* workloads printed at the end of a run */

static const char *const file_names[F_MAX] = {
    "timeline.csv", "events.csv",          "nodes.csv",
    "summary.csv",  "recommendations.csv", "vpa.csv"};

static const char timeline_header[] =
    "workload,rps,replicas,ready_replicas,desired_replicas,"
    "pending_pods,cpu_utilization_pct,memory_utilization_pct,"
    "latency_p95_ms,dropped_rps,demand_replicas,";
static const char timeline_vpa[] =
    "pod_cpu_request_m,pod_memory_request_bytes,vpa_cpu_target_m,"
    "vpa_memory_target_bytes,oom_kills,vpa_evictions,";
static const char timeline_cost[] =
    "cluster_cost_usd_per_hour,cluster_cost_usd_total\n";
static const char recs_header[] =
    "workload,vpa,container,resource,lower_bound,target,upper_bound,"
    "uncapped_target\n";
static const char events_header[] = "kind,object,reason,message\n";
static const char nodes_header[] =
    "pool,nodes,nodes_ready,nodes_not_ready,nodes_provisioning,"
    "nodes_draining,cpu_requested_m,cpu_allocatable_m,cpu_requested_pct,"
    "memory_requested_pct,gpu_requested,gpu_allocatable,cost_usd_per_hour,"
    "cost_usd_total\n";
static const char summary_header[] =
    "workload,slo_ms,cpu_target_pct,peak_replicas,mean_replicas,"
    "replica_hours,nodes_peak,node_hours,cost_usd,spot_cost_usd,requests,"
    "dropped_requests,dropped_pct,latency_p95_ms,latency_max_ms,"
    "time_over_slo_s,time_over_target_s,pod_starts,pending_p50_s,"
    "pending_p95_s,pending_max_s,ttc_pods,ttc_p50_s,ttc_p95_s,ttc_max_s,"
    "ttc_wait_ca_p50_s,ttc_wait_ca_p95_s,ttc_provision_p50_s,"
    "ttc_provision_p95_s,ttc_startup_p50_s,ttc_startup_p95_s,load_steps,"
    "time_to_capacity_s,time_to_capacity_mean_s,scale_ups,scale_downs,flaps,"
    "under_accuracy_pct,over_accuracy_pct,under_timeshare_pct,"
    "over_timeshare_pct,instability_pct,oom_kills,vpa_evictions\n";

/* "time_s,[clock,]" and the rest of a header. */
static void time_header(struct cs_report *r, int f, const char *rest)
{
    struct cs_outbuf *b = cs_ofile_buf(&r->f[f]);

    cs_outbuf_puts(b, r->clock ? "time_s,clock," : "time_s,");
    cs_outbuf_puts(b, rest);
}

struct cs_report *cs_report_create(const char *dir, const struct cs_sim *sim,
                                   struct cs_err *err)
{
    struct cs_report *r = calloc(1, sizeof(*r));
    cs_time_ms flap = sim->sc->flap_window;

    if (r == NULL) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    r->nwl = sim->nwl;
    r->npools = sim->npools;
    r->st = calloc(sim->nwl ? (size_t)sim->nwl : 1, sizeof(*r->st));
    cs_figures_init(&r->run, flap);
    for (int w = 0; r->st != NULL && w < sim->nwl; w++) {
        cs_figures_init(&r->st[w].fig, flap);
        r->st[w].demand_rate = -1;
    }
    if (r->st == NULL || cs_report_nodes_init(r, sim) < 0) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        cs_report_destroy(r);
        return NULL;
    }
    r->files = dir != NULL;
    r->vpa = sim->sc->nvpas > 0;
    r->nfiles = r->vpa ? F_MAX : F_COUNT;
    if (r->files && cs_mkdir_p(dir, err) < 0) {
        cs_report_destroy(r);
        return NULL;
    }
    for (int i = 0; r->files && i < r->nfiles; i++) {
        if (cs_ofile_open(&r->f[i], dir, file_names[i], err) < 0) {
            cs_report_destroy(r);
            return NULL;
        }
        r->open[i] = 1;
    }
    r->clock = sim->sc->has_start;
    r->start_ms = sim->sc->start_utc_ms;
    r->tz = sim->sc->tz;
    cs_tz_cache_init(&r->tzc);
    r->clock_t = -1;
    if (r->files) {
        time_header(r, F_TIMELINE, timeline_header);
        if (r->vpa)
            cs_outbuf_puts(cs_ofile_buf(&r->f[F_TIMELINE]), timeline_vpa);
        cs_outbuf_puts(cs_ofile_buf(&r->f[F_TIMELINE]), timeline_cost);
        if (r->vpa)
            time_header(r, F_RECS, recs_header);
        time_header(r, F_EVENTS, events_header);
        time_header(r, F_NODES, nodes_header);
    }
    return r;
}

/* time_s, and the wall-clock time as ISO-8601 with the zone's offset when
 * the scenario has a start (formatted once per instant). */
void cs_report_put_time(struct cs_report *r, struct cs_outbuf *b, cs_time_ms t)
{
    cs_outbuf_fixed(b, (double)t / 1000.0, 3);
    if (!r->clock)
        return;
    if (t != r->clock_t) {
        int64_t ms = r->start_ms + t;
        int64_t s = cs_floor_div(ms, 1000);
        int32_t off = r->tz ? cs_tz_offset_cached(r->tz, &r->tzc, s) : 0;

        cs_clock_format_iso(r->clock_text, sizeof(r->clock_text), ms, off);
        r->clock_t = t;
    }
    cs_outbuf_putc(b, ',');
    cs_outbuf_puts(b, r->clock_text);
}

void cs_report_event(struct cs_report *r, cs_time_ms t, const char *kind,
                     const char *object, const char *reason,
                     const char *message)
{
    struct cs_outbuf *b = cs_ofile_buf(&r->f[F_EVENTS]);

    if (!r->files)
        return;
    cs_report_put_time(r, b, t);
    cs_outbuf_putc(b, ',');
    cs_outbuf_csv_field(b, kind);
    cs_outbuf_putc(b, ',');
    cs_outbuf_csv_field(b, object);
    cs_outbuf_putc(b, ',');
    cs_outbuf_csv_field(b, reason);
    cs_outbuf_putc(b, ',');
    cs_outbuf_csv_field(b, message);
    cs_outbuf_putc(b, '\n');
    cs_ofile_flush_if(&r->f[F_EVENTS]);
}

/* Pods workload w's load needs at its current rate (cached per rate). */
static int32_t demand_now(struct cs_report_stats *st,
                          const struct cs_workload *wl)
{
    if (wl->svcs.rate != st->demand_rate) {
        st->demand_rate = wl->svcs.rate;
        st->demand =
            cs_service_demand(&wl->svc, &wl->svcd, wl->svcs.rate, wl->slo_s);
    }
    return st->demand;
}

void cs_report_pod_bound(struct cs_report *r, int w, double wait_s)
{
    cs_figures_pending(&r->st[w].fig, wait_s);
    cs_figures_pending(&r->run, wait_s);
}

void cs_report_rescale(struct cs_report *r, int w, cs_time_ms t, int up)
{
    cs_figures_rescale(&r->st[w].fig, t, up);
}

void cs_report_capacity(struct cs_report *r, struct cs_sim *sim, int w,
                        int load_point)
{
    struct cs_report_stats *st = &r->st[w];
    const struct cs_workload *wl = &sim->wl[w];
    int32_t before = st->demand, d = demand_now(st, wl);

    cs_figures_capacity(&st->fig, sim->now, wl->count[CS_POD_READY], d,
                        load_point && d > before);
}

/* The cluster's cost at a sample, the same on each of its timeline rows. */
struct cluster_cost {
    double per_hour, total;
};

static void sample_workload(struct cs_report *r, struct cs_sim *sim, int w,
                            const struct cluster_cost *cc,
                            struct cs_fig_sample *tot)
{
    struct cs_workload *wl = &sim->wl[w];
    struct cs_report_stats *st = &r->st[w];
    struct cs_outbuf *b = cs_ofile_buf(&r->f[F_TIMELINE]);
    int32_t ready = wl->count[CS_POD_READY];
    int32_t running = ready + wl->count[CS_POD_RUNNING];
    double served, cpu_pct = NAN, mem_pct = NAN, lat, dropped;
    double req_cpu = (double)wl->spec.requests.v[CS_RES_CPU];
    double req_mem = (double)wl->spec.requests.v[CS_RES_MEMORY];
    int64_t rc, rm, ic, im;
    int target = cs_autoscale_cpu_target(sim, w);
    struct cs_fig_sample fs;
    struct cs_report_pods ps;

    cs_report_pods_scan(sim, w, &ps);
    if (wl->nvspecs > 0) { /* a VPA gave pods their own requests */
        req_cpu = ps.run_cpu;
        req_mem = ps.run_mem;
    }
    cs_sim_service_advance(sim, (uint32_t)w);
    served = cs_service_served_per_pod(&wl->svcs, &wl->svcd, ready);
    cs_metrics_pod_usage(wl, CS_POD_READY, served, &rc, &rm);
    cs_metrics_pod_usage(wl, CS_POD_RUNNING, served, &ic, &im);
    if (running > 0 && req_cpu > 0)
        cpu_pct = ((double)rc * ready + (double)ic * (running - ready)) *
                  100.0 / (req_cpu * running);
    if (running > 0 && req_mem > 0)
        mem_pct =
            ((double)rm * ready + (double)im * (running - ready) + ps.leaked) *
            100.0 / (req_mem * running);
    lat = cs_service_p95(&wl->svcs, &wl->svc, &wl->svcd, ready) * 1000.0;
    /* per second over the last step; nothing before the first sample */
    dropped = st->fig.have_prev ? (wl->svcs.cum_dropped - st->prev_dropped) *
                                      1000.0 / (double)sim->sample_step
                                : 0;
    st->prev_dropped = wl->svcs.cum_dropped;

    fs.t = sim->now;
    fs.replicas = cs_workload_replicas(wl);
    fs.ready = ready;
    fs.demand = demand_now(st, wl);
    fs.over_slo = wl->slo_s > 0 && (isfinite(lat) ? lat > wl->slo_s * 1000.0
                                                  : wl->svcs.rate > 0);
    fs.over_target = target > 0 && cpu_pct > target;
    cs_figures_sample(&st->fig, &fs);
    cs_figures_capacity(&st->fig, sim->now, ready, fs.demand, 0);
    if (isfinite(lat)) {
        cs_figures_latency(&st->fig, lat);
        cs_figures_latency(&r->run, lat);
    }
    tot->replicas += fs.replicas;
    tot->ready += fs.ready;
    tot->demand += fs.demand;
    tot->over_slo |= fs.over_slo;
    tot->over_target |= fs.over_target;
    if (!r->files)
        return;

    cs_report_put_time(r, b, sim->now);
    cs_outbuf_putc(b, ',');
    cs_outbuf_csv_field(b, wl->name);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, wl->svcs.rate, 3);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, fs.replicas);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, ready);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, wl->spec_replicas);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, wl->count[CS_POD_PENDING]);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, cpu_pct, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, mem_pct, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, isfinite(lat) ? lat : NAN, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, dropped, 3);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, fs.demand);
    cs_outbuf_putc(b, ',');
    if (r->vpa)
        cs_report_vpa_columns(b, sim, w, &ps);
    cs_outbuf_fixed(b, cc->per_hour, 6);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, cc->total, 4);
    cs_outbuf_putc(b, '\n');
}

void cs_report_sample(struct cs_report *r, struct cs_sim *sim)
{
    struct cs_fig_sample tot;
    struct cluster_cost cc;

    memset(&tot, 0, sizeof(tot));
    tot.t = sim->now;
    cc.total = cs_report_nodes_cost(r, sim, sim->now, &cc.per_hour);
    for (int w = 0; w < sim->nwl; w++) {
        sample_workload(r, sim, w, &cc, &tot);
        if (r->files)
            cs_ofile_flush_if(&r->f[F_TIMELINE]);
    }
    cs_figures_sample(&r->run, &tot);
    cs_report_nodes_sample(r, sim);
}

/* Figures of workload w (or the run, w < 0), finished at the run's end. */
static void finish_workload(struct cs_report *r, const struct cs_sim *sim,
                            int w)
{
    const struct cs_workload *wl = &sim->wl[w];
    struct cs_report_stats *st = &r->st[w];

    /* pods still pending at the end have waited this long so far */
    for (uint32_t i = 0; i < wl->npods; i++) {
        const struct cs_pod *p = &sim->pods[wl->pods[i]];

        if (p->state == CS_POD_PENDING)
            cs_report_pod_bound(r, w, (double)(sim->end - p->created) / 1e3);
    }
    if (cs_figures_finish(&st->fig, sim->end, &st->res) < 0)
        r->oom = 1;
    /* the event-exact integral, rather than the sampled one */
    st->res.replica_hours = wl->replica_ms / 3.6e6;
    st->res.mean_replicas =
        sim->end > 0 ? wl->replica_ms / (double)sim->end : NAN;
    st->res.peak_replicas = wl->peak_replicas;
}

static void finish_run(struct cs_report *r, const struct cs_sim *sim)
{
    struct cs_fig_result *res = &r->run_res;
    double replica_ms = 0, ttc_sum = 0;
    int32_t reached = 0, unreached = 0;

    if (cs_figures_finish(&r->run, sim->end, res) < 0)
        r->oom = 1;
    res->load_steps = res->scale_ups = res->scale_downs = res->flaps = 0;
    res->time_to_capacity_s = NAN;
    for (int w = 0; w < sim->nwl; w++) {
        const struct cs_fig_result *x = &r->st[w].res;
        const struct cs_figures *f = &r->st[w].fig;

        replica_ms += sim->wl[w].replica_ms;
        res->load_steps += x->load_steps;
        res->scale_ups += x->scale_ups;
        res->scale_downs += x->scale_downs;
        res->flaps += x->flaps;
        reached += f->steps_reached;
        unreached += f->load_steps - f->steps_reached;
        ttc_sum += f->ttc_sum_s;
        if (f->steps_reached > 0 && !(f->ttc_max_s <= res->time_to_capacity_s))
            res->time_to_capacity_s = f->ttc_max_s;
    }
    if (unreached > 0 || reached == 0)
        res->time_to_capacity_s = NAN;
    res->time_to_capacity_mean_s = reached > 0 ? ttc_sum / reached : NAN;
    res->replica_hours = replica_ms / 3.6e6;
    res->mean_replicas = sim->end > 0 ? replica_ms / (double)sim->end : NAN;
}

static void put_num(struct cs_outbuf *b, double v, int decimals)
{
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, v, decimals);
}

static void put_int(struct cs_outbuf *b, int64_t v)
{
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, v);
}

/* The pods' time to capacity: count, total quantiles, stage quantiles. */
static void put_ttc(struct cs_outbuf *b, const struct cs_fig_result *x)
{
    put_int(b, x->ttc_pods);
    put_num(b, x->ttc_p50_s, 3);
    put_num(b, x->ttc_p95_s, 3);
    put_num(b, x->ttc_max_s, 3);
    put_num(b, x->ttc_wait_ca_p50_s, 3);
    put_num(b, x->ttc_wait_ca_p95_s, 3);
    put_num(b, x->ttc_provision_p50_s, 3);
    put_num(b, x->ttc_provision_p95_s, 3);
    put_num(b, x->ttc_startup_p50_s, 3);
    put_num(b, x->ttc_startup_p95_s, 3);
}

/* One summary.csv row; nf NULL (a workload's row): the node figures are
 * empty, nodes being shared. */
static void summary_row(struct cs_outbuf *b, const char *name, double slo_ms,
                        int target, const struct cs_fig_result *x,
                        const struct cs_report_node_figs *nf, double arrived,
                        double dropped, const int32_t kills[2])
{
    cs_outbuf_csv_field(b, name);
    put_num(b, slo_ms > 0 ? slo_ms : NAN, 1);
    put_num(b, target > 0 ? target : NAN, 0);
    put_int(b, x->peak_replicas);
    put_num(b, x->mean_replicas, 3);
    put_num(b, x->replica_hours, 4);
    if (nf != NULL)
        put_int(b, nf->nodes_peak);
    else
        cs_outbuf_putc(b, ',');
    put_num(b, nf ? nf->node_hours : NAN, 4);
    put_num(b, nf ? nf->cost_usd : NAN, 4);
    put_num(b, nf ? nf->spot_cost_usd : NAN, 4);
    put_num(b, arrived, 1);
    put_num(b, dropped, 1);
    put_num(b, arrived > 0 ? dropped * 100.0 / arrived : 0, 3);
    put_num(b, x->latency_p95_ms, 1);
    put_num(b, x->latency_max_ms, 1);
    put_num(b, x->time_over_slo_s, 1);
    put_num(b, x->time_over_target_s, 1);
    put_int(b, x->pending_pods);
    put_num(b, x->pending_p50_s, 3);
    put_num(b, x->pending_p95_s, 3);
    put_num(b, x->pending_max_s, 3);
    put_ttc(b, x);
    put_int(b, x->load_steps);
    put_num(b, x->time_to_capacity_s, 3);
    put_num(b, x->time_to_capacity_mean_s, 3);
    put_int(b, x->scale_ups);
    put_int(b, x->scale_downs);
    put_int(b, x->flaps);
    put_num(b, x->under_accuracy_pct, 3);
    put_num(b, x->over_accuracy_pct, 3);
    put_num(b, x->under_timeshare_pct, 3);
    put_num(b, x->over_timeshare_pct, 3);
    put_num(b, x->instability_pct, 3);
    put_int(b, kills[0]);
    put_int(b, kills[1]);
    cs_outbuf_putc(b, '\n');
}

int cs_report_commit(struct cs_report *r, struct cs_sim *sim,
                     struct cs_err *err)
{
    struct cs_outbuf *b = &r->summary;
    double arrived = 0, dropped = 0;
    int32_t kills[2] = {0, 0}; /* OOM kills, VPA evictions */
    int rc = 0;

    b->len = 0;
    cs_outbuf_puts(b, summary_header);
    cs_report_nodes_finish(r, sim); /* the billing up to the end */
    for (int w = 0; w < sim->nwl; w++) {
        const struct cs_workload *wl = &sim->wl[w];

        finish_workload(r, sim, w);
        const int32_t k[2] = {wl->oom_kills, wl->vpa_evictions};

        summary_row(b, wl->name, wl->slo_s * 1000.0,
                    cs_autoscale_cpu_target(sim, w), &r->st[w].res, NULL,
                    wl->svcs.cum_arrived, wl->svcs.cum_dropped, k);
        kills[0] += k[0];
        kills[1] += k[1];
        arrived += wl->svcs.cum_arrived;
        dropped += wl->svcs.cum_dropped;
    }
    finish_run(r, sim);
    summary_row(b, CS_REPORT_RUN_ROW, NAN, -1, &r->run_res, &r->nodes, arrived,
                dropped, kills);
    if (r->oom || b->err)
        return cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
    if (r->files) {
        cs_outbuf_put(cs_ofile_buf(&r->f[F_SUMMARY]), b->data, b->len);
        if (r->vpa)
            cs_report_vpa_final(r, sim);
        rc = cs_ofile_commit_all(r->f, (size_t)r->nfiles, err);
    }
    if (rc == 0)
        r->committed = 1;
    return rc;
}

const char *cs_report_summary_header(void)
{
    return summary_header;
}

const char *cs_report_summary_text(const struct cs_report *r, size_t *len)
{
    if (!r->committed)
        return NULL;
    *len = r->summary.len;
    return r->summary.data;
}

static void print_row(FILE *fp, const char *name, const struct cs_fig_result *x,
                      double arrived, double dropped)
{
    char ttc[32];

    if (x->load_steps == 0)
        snprintf(ttc, sizeof(ttc), "-");
    else if (isnan(x->time_to_capacity_s))
        snprintf(ttc, sizeof(ttc), "never");
    else
        snprintf(ttc, sizeof(ttc), "%.0f", x->time_to_capacity_s);
    fprintf(fp, "%-24s %5d %9.2f %8.1f %8.0f %8.3f %8.1f %6s %4d %5d %5d\n",
            name, x->peak_replicas, x->replica_hours,
            isfinite(x->latency_p95_ms) ? x->latency_p95_ms : 0.0,
            x->time_over_slo_s, arrived > 0 ? dropped * 100.0 / arrived : 0.0,
            isfinite(x->pending_p95_s) ? x->pending_p95_s : 0.0, ttc,
            x->scale_ups, x->scale_downs, x->flaps);
}

void cs_report_print_summary(const struct cs_report *r,
                             const struct cs_sim *sim, void *file)
{
    FILE *fp = file;
    double arrived = 0, dropped = 0;

    fprintf(fp, "%-24s %5s %9s %8s %8s %8s %8s %6s %4s %5s %5s\n", "workload",
            "peak", "replica-h", "p95 ms", ">SLO s", "drop%", "pend95 s",
            "ttc s", "ups", "downs", "flaps");
    for (int w = 0; w < sim->nwl; w++) {
        const struct cs_workload *wl = &sim->wl[w];

        arrived += wl->svcs.cum_arrived;
        dropped += wl->svcs.cum_dropped;
        if (w == PRINT_MAX && sim->nwl > PRINT_MAX + 1) {
            fprintf(fp, "... and %d more workloads (see summary.csv)\n",
                    sim->nwl - PRINT_MAX);
            continue;
        }
        if (w > PRINT_MAX && sim->nwl > PRINT_MAX + 1)
            continue;
        print_row(fp, wl->name, &r->st[w].res, wl->svcs.cum_arrived,
                  wl->svcs.cum_dropped);
    }
    if (sim->nwl > 1)
        print_row(fp, CS_REPORT_RUN_ROW, &r->run_res, arrived, dropped);
    cs_report_nodes_print(r, fp);
}

void cs_report_destroy(struct cs_report *r)
{
    if (r == NULL)
        return;
    for (int i = 0; i < F_MAX; i++)
        if (r->open[i])
            cs_ofile_abort(&r->f[i]); /* after a commit: frees only */
    for (int w = 0; w < r->nwl && r->st != NULL; w++)
        cs_figures_fini(&r->st[w].fig);
    cs_figures_fini(&r->run);
    cs_outbuf_fini(&r->summary);
    free(r->st);
    cs_report_nodes_fini(r);
    free(r);
}
