/*
 * figures.c - summary figures accumulated from samples (see figures.h and
 * docs/figures.md for the definitions).
 */
#include "io/figures.h"

#include "core/err.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void cs_fig_dvec_push(struct cs_fig_dvec *v, double x, int *err)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        double *p = realloc(v->v, cap * sizeof(*p));

        if (p == NULL) {
            *err = CS_ENOMEM;
            return;
        }
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = x;
}

void cs_figures_init(struct cs_figures *f, cs_time_ms flap_window)
{
    memset(f, 0, sizeof(*f));
    f->flap_window = flap_window;
}

void cs_figures_fini(struct cs_figures *f)
{
    free(f->latency_ms.v);
    free(f->pending_s.v);
    free(f->ttc_s.v);
    free(f->ttc_wait_ca_s.v);
    free(f->ttc_provision_s.v);
    free(f->ttc_startup_s.v);
    memset(f, 0, sizeof(*f));
}

static int sgn(int32_t x)
{
    return (x > 0) - (x < 0);
}

/* Account the previous sample over [prev.t, t). */
static void cover(struct cs_figures *f, cs_time_ms t)
{
    const struct cs_fig_sample *p = &f->prev;
    double dt = (double)(t - p->t);
    int32_t s = p->ready, d = p->demand;

    if (dt <= 0)
        return;
    f->covered_ms += dt;
    f->replica_ms += dt * p->replicas;
    if (p->over_slo)
        f->over_slo_ms += dt;
    if (p->over_target)
        f->over_target_ms += dt;
    if (d > 0) {
        if (s < d)
            f->under_acc_ms += dt * (double)(d - s) / d;
        else
            f->over_acc_ms += dt * (double)(s - d) / d;
    }
    if (s < d)
        f->under_ts_ms += dt;
    else if (s > d)
        f->over_ts_ms += dt;
}

void cs_figures_sample(struct cs_figures *f, const struct cs_fig_sample *s)
{
    if (f->have_prev) {
        cover(f, s->t);
        /* instability: supply and demand did not move the same way over
         * [prev.t, s.t) (one moved, the other did not or went opposite) */
        if (sgn(s->ready - f->prev.ready) != sgn(s->demand - f->prev.demand))
            f->unstable_ms += (double)(s->t - f->prev.t);
    }
    if (s->replicas > f->peak_replicas)
        f->peak_replicas = s->replicas;
    f->prev = *s;
    f->have_prev = 1;
}

void cs_figures_latency(struct cs_figures *f, double ms)
{
    cs_fig_dvec_push(&f->latency_ms, ms, &f->err);
}

void cs_figures_pending(struct cs_figures *f, double wait_s)
{
    cs_fig_dvec_push(&f->pending_s, wait_s, &f->err);
}

void cs_figures_pod_ready(struct cs_figures *f, const struct cs_fig_ttc *x)
{
    cs_fig_dvec_push(&f->ttc_s, x->total_s, &f->err);
    cs_fig_dvec_push(&f->ttc_wait_ca_s, x->wait_ca_s, &f->err);
    cs_fig_dvec_push(&f->ttc_provision_s, x->provision_s, &f->err);
    cs_fig_dvec_push(&f->ttc_startup_s, x->startup_s, &f->err);
}

void cs_figures_rescale(struct cs_figures *f, cs_time_ms t, int up)
{
    int dir = up ? 1 : -1;

    if (f->last_dir != 0 && dir != f->last_dir &&
        t - f->last_scale <= f->flap_window)
        f->flaps++;
    if (up)
        f->ups++;
    else
        f->downs++;
    f->last_dir = dir;
    f->last_scale = t;
}

void cs_figures_capacity(struct cs_figures *f, cs_time_ms t, int32_t ready,
                         int32_t demand, int step)
{
    if (step && !f->episode_open) {
        f->load_steps++;
        f->episode_open = 1;
        f->episode_start = t;
    }
    if (f->episode_open && ready >= demand) {
        double s = (double)(t - f->episode_start) / 1000.0;

        f->episode_open = 0;
        f->steps_reached++;
        f->ttc_sum_s += s;
        if (s > f->ttc_max_s)
            f->ttc_max_s = s;
    }
}

static double quantile(struct cs_fig_dvec *v, double q)
{
    if (v->n == 0)
        return NAN;
    return gsl_stats_quantile_from_sorted_data(v->v, 1, v->n, q);
}

static void sort(struct cs_fig_dvec *v)
{
    if (v->n > 0)
        gsl_sort(v->v, 1, v->n);
}

/* The time-to-capacity quantiles (each stage sorted on its own: the
 * stages' p50s need not add up to the total's). */
static void finish_ttc(struct cs_figures *f, struct cs_fig_result *out)
{
    sort(&f->ttc_s);
    sort(&f->ttc_wait_ca_s);
    sort(&f->ttc_provision_s);
    sort(&f->ttc_startup_s);
    out->ttc_pods = (int64_t)f->ttc_s.n;
    out->ttc_p50_s = quantile(&f->ttc_s, 0.5);
    out->ttc_p95_s = quantile(&f->ttc_s, 0.95);
    out->ttc_max_s = quantile(&f->ttc_s, 1.0);
    out->ttc_wait_ca_p50_s = quantile(&f->ttc_wait_ca_s, 0.5);
    out->ttc_wait_ca_p95_s = quantile(&f->ttc_wait_ca_s, 0.95);
    out->ttc_provision_p50_s = quantile(&f->ttc_provision_s, 0.5);
    out->ttc_provision_p95_s = quantile(&f->ttc_provision_s, 0.95);
    out->ttc_startup_p50_s = quantile(&f->ttc_startup_s, 0.5);
    out->ttc_startup_p95_s = quantile(&f->ttc_startup_s, 0.95);
}

static double pct(double part, double whole)
{
    return whole > 0 ? 100.0 * part / whole : NAN;
}

int cs_figures_finish(struct cs_figures *f, cs_time_ms end,
                      struct cs_fig_result *out)
{
    double T;

    memset(out, 0, sizeof(*out));
    if (f->have_prev) {
        cover(f, end);
        f->prev.t = end;
    }
    T = f->covered_ms;
    sort(&f->latency_ms);
    sort(&f->pending_s);
    finish_ttc(f, out);
    out->duration_s = T / 1000.0;
    out->peak_replicas = f->peak_replicas;
    out->mean_replicas = T > 0 ? f->replica_ms / T : NAN;
    out->replica_hours = f->replica_ms / 3.6e6;
    out->time_over_slo_s = f->over_slo_ms / 1000.0;
    out->time_over_target_s = f->over_target_ms / 1000.0;
    out->latency_p95_ms = quantile(&f->latency_ms, 0.95);
    out->latency_max_ms = quantile(&f->latency_ms, 1.0);
    out->pending_pods = (int64_t)f->pending_s.n;
    out->pending_p50_s = quantile(&f->pending_s, 0.5);
    out->pending_p95_s = quantile(&f->pending_s, 0.95);
    out->pending_max_s = quantile(&f->pending_s, 1.0);
    out->load_steps = f->load_steps;
    out->time_to_capacity_s =
        f->load_steps > 0 && f->steps_reached == f->load_steps ? f->ttc_max_s
                                                               : NAN;
    out->time_to_capacity_mean_s =
        f->steps_reached > 0 ? f->ttc_sum_s / f->steps_reached : NAN;
    out->scale_ups = f->ups;
    out->scale_downs = f->downs;
    out->flaps = f->flaps;
    out->under_accuracy_pct = pct(f->under_acc_ms, T);
    out->over_accuracy_pct = pct(f->over_acc_ms, T);
    out->under_timeshare_pct = pct(f->under_ts_ms, T);
    out->over_timeshare_pct = pct(f->over_ts_ms, T);
    out->instability_pct = pct(f->unstable_ms, T);
    return f->err;
}
