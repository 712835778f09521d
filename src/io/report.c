/*
 * report.c - timeline, events and summary CSV files (see report.h).
 *
 * Rows are formatted with the hand-written number formatter of outbuf.c
 * (never printf in the per-sample path) into each file's buffer, which is
 * flushed in 64 KiB writes.
 */
#include "io/report.h"

#include "controllers/autoscale.h"
#include "controllers/metrics.h"
#include "core/sim.h"
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

enum { F_TIMELINE, F_EVENTS, F_SUMMARY, F_COUNT };

static const char *const file_names[F_COUNT] = {"timeline.csv", "events.csv",
                                                "summary.csv"};

struct cs_report {
    struct cs_ofile f[F_COUNT];
    int open[F_COUNT];
    int committed;
    int nwl;
    struct cs_report_stats *st;
};

static const char timeline_header[] =
    "time_s,workload,rps,replicas,ready_replicas,desired_replicas,"
    "pending_pods,cpu_utilization_pct,memory_utilization_pct,"
    "latency_p95_ms,dropped_rps\n";
static const char events_header[] = "time_s,kind,object,reason,message\n";
static const char summary_header[] =
    "workload,peak_replicas,mean_replicas,replica_seconds,"
    "time_over_target_s,requests,dropped_requests,dropped_pct,"
    "latency_p95_ms,latency_max_ms,scale_ups,scale_downs\n";

struct cs_report *cs_report_create(const char *dir, const struct cs_sim *sim,
                                   struct cs_err *err)
{
    struct cs_report *r = calloc(1, sizeof(*r));

    if (r == NULL) {
        cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    r->nwl = sim->nwl;
    r->st = calloc(sim->nwl ? (size_t)sim->nwl : 1, sizeof(*r->st));
    if (r->st == NULL || cs_mkdir_p(dir, err) < 0) {
        if (r->st == NULL)
            cs_err_set(err, CS_ENOMEM, NULL, 0, 0, "out of memory");
        cs_report_destroy(r);
        return NULL;
    }
    for (int i = 0; i < F_COUNT; i++) {
        if (cs_ofile_open(&r->f[i], dir, file_names[i], err) < 0) {
            cs_report_destroy(r);
            return NULL;
        }
        r->open[i] = 1;
    }
    cs_outbuf_puts(cs_ofile_buf(&r->f[F_TIMELINE]), timeline_header);
    cs_outbuf_puts(cs_ofile_buf(&r->f[F_EVENTS]), events_header);
    cs_outbuf_puts(cs_ofile_buf(&r->f[F_SUMMARY]), summary_header);
    return r;
}

static void put_time(struct cs_outbuf *b, cs_time_ms t)
{
    cs_outbuf_fixed(b, (double)t / 1000.0, 3);
}

void cs_report_event(struct cs_report *r, cs_time_ms t, const char *kind,
                     const char *object, const char *reason,
                     const char *message)
{
    struct cs_outbuf *b = cs_ofile_buf(&r->f[F_EVENTS]);

    put_time(b, t);
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

static void record_latency(struct cs_report_stats *st, double ms)
{
    if (st->nlat == st->lat_cap) {
        size_t n = st->lat_cap ? st->lat_cap * 2 : 256;
        double *p = realloc(st->lat, n * sizeof(*p));

        if (p == NULL)
            return;
        st->lat = p;
        st->lat_cap = n;
    }
    st->lat[st->nlat++] = ms;
}

static void sample_workload(struct cs_report *r, struct cs_sim *sim, int w)
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

    cs_sim_service_advance(sim, (uint32_t)w);
    served = cs_service_served_per_pod(&wl->svcs, &wl->svcd, ready);
    cs_metrics_pod_usage(wl, CS_POD_READY, served, &rc, &rm);
    cs_metrics_pod_usage(wl, CS_POD_RUNNING, served, &ic, &im);
    if (running > 0 && req_cpu > 0)
        cpu_pct = ((double)rc * ready + (double)ic * (running - ready)) *
                  100.0 / (req_cpu * running);
    if (running > 0 && req_mem > 0)
        mem_pct = ((double)rm * ready + (double)im * (running - ready)) *
                  100.0 / (req_mem * running);
    lat = cs_service_p95(&wl->svcs, &wl->svc, &wl->svcd, ready) * 1000.0;
    dropped = (wl->svcs.cum_dropped - st->prev_dropped) * 1000.0 /
              (double)(st->samples > 0 ? sim->sample_step : 1);
    if (st->samples == 0)
        dropped = 0;
    st->prev_dropped = wl->svcs.cum_dropped;
    st->samples++;
    if (target > 0 && cpu_pct > target)
        st->over_target++;
    if (isfinite(lat))
        record_latency(st, lat);

    put_time(b, sim->now);
    cs_outbuf_putc(b, ',');
    cs_outbuf_csv_field(b, wl->name);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, wl->svcs.rate, 3);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, cs_workload_replicas(wl));
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
    cs_outbuf_putc(b, '\n');
}

void cs_report_sample(struct cs_report *r, struct cs_sim *sim)
{
    for (int w = 0; w < sim->nwl; w++) {
        sample_workload(r, sim, w);
        cs_ofile_flush_if(&r->f[F_TIMELINE]);
    }
}

static double lat_quantile(struct cs_report_stats *st, double q)
{
    if (st->nlat == 0)
        return NAN;
    gsl_sort(st->lat, 1, st->nlat);
    return gsl_stats_quantile_from_sorted_data(st->lat, 1, st->nlat, q);
}

static void summary_row(struct cs_report *r, const struct cs_sim *sim, int w)
{
    const struct cs_workload *wl = &sim->wl[w];
    struct cs_report_stats *st = &r->st[w];
    struct cs_outbuf *b = cs_ofile_buf(&r->f[F_SUMMARY]);
    double secs = (double)sim->end / 1000.0;
    double arrived = wl->svcs.cum_arrived, dropped = wl->svcs.cum_dropped;

    cs_outbuf_csv_field(b, wl->name);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, wl->peak_replicas);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, secs > 0 ? wl->replica_ms / 1000.0 / secs : NAN, 3);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, wl->replica_ms / 1000.0, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(
        b, (double)st->over_target * (double)sim->sample_step / 1000.0, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, arrived, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, dropped, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, arrived > 0 ? dropped * 100.0 / arrived : 0, 3);
    cs_outbuf_putc(b, ',');
    st->p95 = lat_quantile(st, 0.95);
    cs_outbuf_fixed(b, st->p95, 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, lat_quantile(st, 1.0), 1);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, wl->scale_ups);
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, wl->scale_downs);
    cs_outbuf_putc(b, '\n');
}

int cs_report_commit(struct cs_report *r, struct cs_sim *sim,
                     struct cs_err *err)
{
    int rc;

    for (int w = 0; w < sim->nwl; w++)
        summary_row(r, sim, w);
    rc = cs_ofile_commit_all(r->f, F_COUNT, err);
    if (rc == 0)
        r->committed = 1;
    return rc;
}

void cs_report_print_summary(const struct cs_report *r,
                             const struct cs_sim *sim, void *file)
{
    FILE *fp = file;

    fprintf(fp, "%-28s %6s %7s %10s %9s %9s %6s %6s\n", "workload", "peak",
            "mean", "replica-h", "dropped%", "p95 ms", "ups", "downs");
    for (int w = 0; w < sim->nwl; w++) {
        const struct cs_workload *wl = &sim->wl[w];
        const struct cs_report_stats *st = &r->st[w];

        if (w == PRINT_MAX && sim->nwl > PRINT_MAX + 1) {
            fprintf(fp, "... and %d more workloads (see summary.csv)\n",
                    sim->nwl - PRINT_MAX);
            break;
        }
        double secs = (double)sim->end / 1000.0;
        double arrived = wl->svcs.cum_arrived;

        fprintf(
            fp, "%-28s %6d %7.2f %10.2f %9.3f %9.1f %6d %6d\n", wl->name,
            wl->peak_replicas, secs > 0 ? wl->replica_ms / 1000.0 / secs : 0.0,
            wl->replica_ms / 3.6e6,
            arrived > 0 ? wl->svcs.cum_dropped * 100.0 / arrived : 0.0,
            isfinite(st->p95) ? st->p95 : 0.0, wl->scale_ups, wl->scale_downs);
    }
}

void cs_report_destroy(struct cs_report *r)
{
    if (r == NULL)
        return;
    for (int i = 0; i < F_COUNT; i++)
        if (r->open[i])
            cs_ofile_abort(&r->f[i]); /* after a commit: frees only */
    for (int w = 0; w < r->nwl && r->st != NULL; w++)
        free(r->st[w].lat);
    free(r->st);
    free(r);
}
