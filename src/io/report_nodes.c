/*
 * report_nodes.c - nodes.csv, per-second billing and every pod's time to
 * capacity (see report_int.h for the billing invariants, docs/outputs.md
 * and docs/figures.md for the columns).
 *
 * Billing is an exact integral over event time, not over samples: the
 * simulator calls cs_report_nodes_changing just before a pool's counts
 * change, and the counts held constant since the previous call. A sample
 * adds the partial interval since the last change, so cost_usd_total at a
 * sample is the cost to that instant, to the millisecond.
 *
 * A sample's state counts and requests come from one pass over the nodes
 * (FREE slots skipped); in a debug build they are checked against the
 * pool counts the billing reads.
 */
#include "io/report_int.h"

#include "core/sim.h"
#include "io/outbuf.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_HOUR 3.6e6

/* Pool p's billed nodes now: from the create request to the deletion. */
static int32_t billed(const struct cs_sim *sim, int p)
{
    const struct cs_pool_state *ps;

    if (sim->pool_st == NULL)
        return 0;
    ps = &sim->pool_st[p];
    return ps->count[CS_NODE_PROVISIONING] + ps->count[CS_NODE_NOT_READY] +
           ps->count[CS_NODE_READY];
}

/* The cluster's billed nodes now count towards the peak. O(pools). */
static void observe_peak(struct cs_report *r, const struct cs_sim *sim)
{
    int32_t n = 0;

    for (int p = 0; p < sim->npools; p++)
        n += billed(sim, p);
    if (n > r->nodes.nodes_peak)
        r->nodes.nodes_peak = n;
}

/* Pool p's integral up to t with its current counts. */
static void advance(struct cs_report *r, const struct cs_sim *sim, int p,
                    cs_time_ms t)
{
    struct cs_report_bill *b = &r->bill[p];

    if (t > b->since) {
        b->node_ms += (double)billed(sim, p) * (double)(t - b->since);
        b->since = t;
    }
}

int cs_report_nodes_init(struct cs_report *r, const struct cs_sim *sim)
{
    size_t n = sim->npools > 0 ? (size_t)sim->npools : 1;

    r->bill = calloc(n, sizeof(*r->bill));
    r->scan = calloc(n, sizeof(*r->scan));
    if (r->bill == NULL || r->scan == NULL)
        return CS_ENOMEM;
    for (int p = 0; p < sim->npools; p++) {
        r->bill[p].since = sim->now;
        r->any_autoscaled |= sim->pools[p].autoscaled;
        r->any_spot |= sim->pools[p].capacity_type == CS_CAP_SPOT;
    }
    observe_peak(r, sim);
    return 0;
}

void cs_report_nodes_fini(struct cs_report *r)
{
    free(r->bill);
    free(r->scan);
    r->bill = NULL;
    r->scan = NULL;
}

void cs_report_nodes_changing(struct cs_report *r, const struct cs_sim *sim,
                              int pool)
{
    advance(r, sim, pool, sim->now);
    observe_peak(r, sim);
}

double cs_report_nodes_cost(struct cs_report *r, const struct cs_sim *sim,
                            cs_time_ms t, double *per_hour)
{
    double usd = 0, rate = 0;

    for (int p = 0; p < sim->npools; p++) {
        double price = sim->pools[p].price_per_hour;

        advance(r, sim, p, t);
        usd += r->bill[p].node_ms / MS_PER_HOUR * price;
        rate += (double)billed(sim, p) * price;
    }
    observe_peak(r, sim);
    *per_hour = rate;
    return usd;
}

/* One pass over the nodes into r->scan. */
static void scan_nodes(struct cs_report *r, const struct cs_sim *sim)
{
    memset(r->scan, 0, (size_t)sim->npools * sizeof(*r->scan));
    for (uint32_t i = 0; i < sim->nnodes; i++) {
        const struct cs_node *nd = &sim->nodes[i];
        struct cs_report_pool_scan *s = &r->scan[nd->pool];
        int gpu = sim->pools[nd->pool].gpu_res;
        /* `ready` is state == READY; it also marks the nodes of a sim
         * built without the lifecycle (fixed nodes, state never set) */
        int st = nd->ready ? CS_NODE_READY : nd->state;

        if (st == CS_NODE_FREE || st >= CS_NODE_NSTATES)
            continue;
        s->count[st]++;
        s->draining += nd->draining != 0;
        if (st != CS_NODE_READY)
            continue;
        s->req_cpu += nd->requested.v[CS_RES_CPU];
        s->req_mem += nd->requested.v[CS_RES_MEMORY];
        if (gpu >= 0)
            s->req_gpu += nd->requested.v[gpu];
    }
}

static void put_sep_int(struct cs_outbuf *b, int64_t v)
{
    cs_outbuf_putc(b, ',');
    cs_outbuf_int(b, v);
}

static void put_sep_num(struct cs_outbuf *b, double v, int decimals)
{
    cs_outbuf_putc(b, ',');
    cs_outbuf_fixed(b, v, decimals);
}

static double pct(double part, double whole)
{
    return whole > 0 ? part * 100.0 / whole : NAN;
}

/* Pool p's row; its billing is integrated up to now. */
static void pool_row(struct cs_report *r, const struct cs_sim *sim, int p)
{
    struct cs_outbuf *b = cs_ofile_buf(&r->f[F_NODES]);
    const struct cs_pool *pool = &sim->pools[p];
    const struct cs_report_pool_scan *s = &r->scan[p];
    int32_t ready = s->count[CS_NODE_READY];
    int32_t nodes =
        s->count[CS_NODE_PROVISIONING] + s->count[CS_NODE_NOT_READY] + ready;
    double alloc_cpu = (double)pool->allocatable.v[CS_RES_CPU] * ready;
    double alloc_mem = (double)pool->allocatable.v[CS_RES_MEMORY] * ready;
    double alloc_gpu =
        pool->gpu_res >= 0 ? (double)pool->allocatable.v[pool->gpu_res] : 0;

    assert(sim->pool_st == NULL || nodes == billed(sim, p));
    cs_report_put_time(r, b, sim->now);
    cs_outbuf_putc(b, ',');
    cs_outbuf_csv_field(b, pool->name);
    put_sep_int(b, nodes);
    put_sep_int(b, ready);
    put_sep_int(b, s->count[CS_NODE_NOT_READY]);
    put_sep_int(b, s->count[CS_NODE_PROVISIONING]);
    put_sep_int(b, s->draining);
    put_sep_int(b, s->req_cpu);
    put_sep_int(b, (int64_t)alloc_cpu);
    put_sep_num(b, pct((double)s->req_cpu, alloc_cpu), 1);
    put_sep_num(b, pct((double)s->req_mem, alloc_mem), 1);
    put_sep_num(b, (double)s->req_gpu / 1000.0, 3);
    put_sep_num(b, alloc_gpu * ready / 1000.0, 3);
    put_sep_num(b, (double)nodes * pool->price_per_hour, 6);
    put_sep_num(b, r->bill[p].node_ms / MS_PER_HOUR * pool->price_per_hour, 4);
    cs_outbuf_putc(b, '\n');
}

void cs_report_nodes_sample(struct cs_report *r, const struct cs_sim *sim)
{
    if (!r->files)
        return; /* billing is integrated by cs_report_nodes_cost */
    scan_nodes(r, sim);
    for (int p = 0; p < sim->npools; p++) {
        advance(r, sim, p, sim->now);
        pool_row(r, sim, p);
    }
    cs_ofile_flush_if(&r->f[F_NODES]);
}

void cs_report_nodes_finish(struct cs_report *r, const struct cs_sim *sim)
{
    struct cs_report_node_figs *nf = &r->nodes;

    nf->node_hours = nf->cost_usd = nf->spot_cost_usd = 0;
    for (int p = 0; p < sim->npools; p++) {
        const struct cs_pool *pool = &sim->pools[p];
        double cost;

        advance(r, sim, p, sim->end);
        cost = r->bill[p].node_ms / MS_PER_HOUR * pool->price_per_hour;
        nf->node_hours += r->bill[p].node_ms / MS_PER_HOUR;
        nf->cost_usd += cost;
        if (pool->capacity_type == CS_CAP_SPOT)
            nf->spot_cost_usd += cost;
    }
    observe_peak(r, sim);
}

void cs_report_ttc_split(const struct cs_pod *pod, const struct cs_node *node,
                         cs_time_ms now, struct cs_fig_ttc *out)
{
    cs_time_ms c = pod->created, wait_end, prov_end;

    if (node != NULL && node->created > c && node->ready_since <= now) {
        /* the pod waited for a node that did not exist when it came */
        wait_end = node->created;
        prov_end = node->ready_since;
    } else {
        /* it fitted on an existing node: Pending until bound */
        wait_end = pod->bound;
        if (wait_end < c)
            wait_end = c;
        if (wait_end > now) /* never bound (CS_TIME_NEVER) */
            wait_end = now;
        prov_end = wait_end;
    }
    out->total_s = cs_time_ms_to_s(now - c);
    out->wait_ca_s = cs_time_ms_to_s(wait_end - c);
    out->provision_s = cs_time_ms_to_s(prov_end - wait_end);
    out->startup_s = cs_time_ms_to_s(now - prov_end);
}

void cs_report_pod_ready(struct cs_report *r, const struct cs_sim *sim,
                         uint32_t p)
{
    const struct cs_pod *pod = &sim->pods[p];
    const struct cs_node *node = NULL;
    struct cs_fig_ttc x;

    if (pod->node >= 0 && (uint32_t)pod->node < sim->nnodes)
        node = &sim->nodes[pod->node];
    cs_report_ttc_split(pod, node, sim->now, &x);
    cs_figures_pod_ready(&r->st[pod->workload].fig, &x);
    cs_figures_pod_ready(&r->run, &x);
}

/* "; time to capacity p50 95 s, p95 180 s (waiting for CA 12 s, ...)" */
static void print_ttc(const struct cs_report *r, FILE *fp)
{
    const struct cs_fig_result *x = &r->run_res;

    if (x->ttc_pods == 0)
        return;
    fprintf(fp, "; time to capacity p50 %.0f s, p95 %.0f s", x->ttc_p50_s,
            x->ttc_p95_s);
    if (r->any_autoscaled)
        fprintf(fp,
                " (waiting for CA %.0f s, provisioning %.0f s, start-up "
                "%.0f s)",
                x->ttc_wait_ca_p50_s, x->ttc_provision_p50_s,
                x->ttc_startup_p50_s);
}

void cs_report_nodes_print(const struct cs_report *r, FILE *fp)
{
    const struct cs_report_node_figs *nf = &r->nodes;

    fprintf(fp, "nodes: peak %d, %.2f node-hours, cost $%.2f", nf->nodes_peak,
            nf->node_hours, nf->cost_usd);
    if (r->any_spot)
        fprintf(fp, " (spot $%.2f)", nf->spot_cost_usd);
    print_ttc(r, fp);
    fputc('\n', fp);
}
