/*
 * service.c - M/M/c pods with a fluid overload backlog (see service.h).
 *
 * Sojourn time of M/M/c FCFS: T = W + X, X ~ Exp(mu); W = 0 with probability
 * 1 - Pw, else Exp(theta) with theta = c*mu - lambda and Pw the Erlang C
 * probability. So
 *   P(T > t) = (1 - Pw) e^{-mu t} + Pw * P(Exp(theta) + Exp(mu) > t)
 * and the quantile is found with GSL's Brent solver (closed form for c = 1,
 * where T ~ Exp(mu - lambda)).
 */
#include "model/service.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>

void cs_service_derive(const struct cs_svc_model *m, struct cs_svc_derived *d)
{
    double avail = m->cpu_capacity - m->idle_cpu, whole;
    int c;

    if (!(avail >= 1e-6)) /* NaN too */
        avail = 1e-6;
    /* clamp before converting: a capacity of 2P cores does not fit an int */
    whole = floor(avail);
    c = whole < 1 ? 1 : whole > 256 ? 256 : (int)whole;
    d->c = c;
    /* c servers together deliver `avail` cores of request work. */
    d->mu = avail / ((double)c * (m->cpu_s > 0 ? m->cpu_s : 1e-9));
}

void cs_service_init(struct cs_svc_state *s, struct cs_load *l, cs_time_ms now)
{
    s->last = now;
    s->backlog = 0;
    s->cum_arrived = s->cum_served = s->cum_dropped = 0;
    s->cum_served_pp = 0;
    s->rate = cs_load_rate(l, now);
    s->p95_lambda = -1;
    s->p95_value = 0;
    s->p95_ready = -1;
}

void cs_service_advance(struct cs_svc_state *s, const struct cs_svc_model *m,
                        const struct cs_svc_derived *d, struct cs_load *l,
                        int32_t ready, cs_time_ms now)
{
    double dt, r1, arrived, cap, q, served, qmax;

    if (now <= s->last) {
        s->rate = cs_load_rate(l, now);
        return;
    }
    dt = (double)(now - s->last) / 1000.0;
    /* exact for the linear piece [last, now): a step at `now` counts from
     * now on, not within the interval */
    arrived = 0.5 * (s->rate + cs_load_rate_left(l, now)) * dt;
    r1 = cs_load_rate(l, now);
    s->cum_arrived += arrived;
    if (ready <= 0) {
        s->cum_dropped += arrived + s->backlog;
        s->backlog = 0;
    } else {
        cap = (double)ready * d->c * d->mu;
        q = s->backlog + arrived - cap * dt;
        if (q <= 0) {
            served = s->backlog + arrived;
            q = 0;
        } else {
            served = cap * dt;
            qmax = cap * m->timeout_s;
            if (q > qmax) {
                s->cum_dropped += q - qmax;
                q = qmax;
            }
        }
        s->backlog = q;
        s->cum_served += served;
        s->cum_served_pp += served / ready;
    }
    s->last = now;
    s->rate = r1;
}

double cs_erlang_c(int c, double a)
{
    double b = 1.0;

    if (a <= 0)
        return 0.0;
    if (a >= c)
        return 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return c * b / (c - a * (1.0 - b));
}

struct tail_args {
    double pw, mu, theta, q;
};

static double tail(double t, void *p)
{
    const struct tail_args *a = p;
    double conv;

    if (fabs(a->theta - a->mu) < 1e-12 * a->mu)
        conv = (1.0 + a->mu * t) * exp(-a->mu * t);
    else
        conv = (a->theta * exp(-a->mu * t) - a->mu * exp(-a->theta * t)) /
               (a->theta - a->mu);
    return (1.0 - a->pw) * exp(-a->mu * t) + a->pw * conv - (1.0 - a->q);
}

double cs_mmc_sojourn_quantile(int c, double mu, double lambda, double q)
{
    struct tail_args args;
    gsl_function f;
    gsl_root_fsolver *s;
    double lo = 0, hi, x = 0;
    int status, iter = 0;

    if (lambda >= c * mu)
        return INFINITY;
    if (c == 1)
        return -log(1.0 - q) / (mu - lambda);
    args.pw = cs_erlang_c(c, lambda / mu);
    args.mu = mu;
    args.theta = c * mu - lambda;
    args.q = q;
    /* The tail is below that of Exp(min(mu,theta)) convolved twice, so this
     * bracket always holds the root. */
    hi = 2.0 * (-log(1.0 - q) + 2.0) / fmin(mu, args.theta);
    f.function = tail;
    f.params = &args;
    s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s == NULL)
        return NAN;
    if (gsl_root_fsolver_set(s, &f, lo, hi) != GSL_SUCCESS) {
        gsl_root_fsolver_free(s);
        return NAN;
    }
    do {
        status = gsl_root_fsolver_iterate(s);
        if (status != GSL_SUCCESS)
            break;
        x = gsl_root_fsolver_root(s);
        status =
            gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                   gsl_root_fsolver_x_upper(s), 1e-9, 1e-7);
    } while (status == GSL_CONTINUE && ++iter < 100);
    gsl_root_fsolver_free(s);
    return x;
}

double cs_service_p95(struct cs_svc_state *s, const struct cs_svc_model *m,
                      const struct cs_svc_derived *d, int32_t ready)
{
    double lp, wait, v;

    if (ready <= 0)
        return INFINITY;
    if (s->p95_ready == ready && s->p95_lambda == s->rate && s->backlog == 0)
        return s->p95_value;
    lp = s->rate / ready;
    if (s->backlog > 0 || lp >= 0.999 * d->c * d->mu) {
        /* Saturated: the backlog's drain time plus a full-load service. */
        wait = s->backlog / ((double)ready * d->c * d->mu);
        v = m->base_latency_s + wait + -log(0.05) / d->mu;
        if (v > m->timeout_s + m->base_latency_s)
            v = m->timeout_s + m->base_latency_s;
        return v;
    }
    v = m->base_latency_s + cs_mmc_sojourn_quantile(d->c, d->mu, lp, 0.95);
    s->p95_ready = ready;
    s->p95_lambda = s->rate;
    s->p95_value = v;
    return v;
}

double cs_service_inflight_per_pod(const struct cs_svc_state *s,
                                   const struct cs_svc_model *m,
                                   const struct cs_svc_derived *d,
                                   int32_t ready)
{
    double lp, busy;

    if (ready <= 0)
        return 0;
    lp = s->rate / ready;
    if (lp > d->c * d->mu)
        lp = d->c * d->mu;
    /* Little's law with the mean service plus base latency (the waiting
     * share is carried by the backlog term). */
    busy = lp * (1.0 / d->mu + m->base_latency_s);
    return busy + s->backlog / ready;
}

double cs_service_served_per_pod(const struct cs_svc_state *s,
                                 const struct cs_svc_derived *d, int32_t ready)
{
    double cap = d->c * d->mu;

    if (ready <= 0)
        return 0;
    if (s->backlog > 0)
        return cap;
    return fmin(s->rate / ready, cap);
}

int32_t cs_service_demand(const struct cs_svc_model *m,
                          const struct cs_svc_derived *d, double rate,
                          double slo_s)
{
    double cap = d->c * d->mu; /* requests/s one pod can serve */
    double n0;
    int32_t n, limit;

    if (rate <= 0)
        return 0;
    n0 = floor(rate / (0.999 * cap)) + 1; /* the pods' saturation bound */
    if (n0 > (double)CS_SVC_DEMAND_MAX)
        return CS_SVC_DEMAND_MAX;
    n = (int32_t)n0;
    /* p95 falls as pods are added, towards base + the service time's p95;
     * an objective below that floor cannot be met by more pods */
    if (slo_s <= 0 || slo_s < m->base_latency_s + -log(0.05) / d->mu)
        return n;
    limit = n > CS_SVC_DEMAND_MAX / 4 ? CS_SVC_DEMAND_MAX : 4 * n + 64;
    while (n < limit && m->base_latency_s + cs_mmc_sojourn_quantile(
                                                d->c, d->mu, rate / n, 0.95) >
                            slo_s)
        n++;
    return n;
}
