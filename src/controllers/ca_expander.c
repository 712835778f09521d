/*
 * ca_expander.c - the cluster autoscaler's expanders (CLUSTER_AUTOSCALER_SPEC
 * §2.5): which scale-up option wins when several node groups could take the
 * pending pods.
 *
 * Design. Every expander is a filter over an array of options that keeps
 * the equally best ones in place, in their original order (upstream's
 * expander.Filter.BestOptions); cs_ca_expander_choose() runs a chain of
 * them like expander/factory/chain.go: each filter sees the previous one's
 * survivors, the chain stops as soon as one option is left, and whatever
 * remains goes to a final random pick. Randomness is a number u in [0, 1)
 * drawn by the caller from its own RNG stream, so a choice is a pure
 * function of (options, configuration, u).
 *
 * Upstream files: expander/random/random.go, mostpods/mostpods.go,
 * leastnodes/leastnodes.go, waste/waste.go, price/price.go and
 * price/preferred.go, priority/priority.go, factory/chain.go.
 *
 * Invariants:
 *   1. A filter never reorders or duplicates options; it returns a count
 *      k <= n and opt[0..k) are the survivors.
 *   2. Ties are exact: two scores are tied only when they compare equal.
 *   3. Only the priority filter allocates (its compiled regexes), and
 *      frees everything it allocated before returning.
 */
#include "controllers/ca_algo.h"

#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

/* Names as upstream spells them (--expander), by enum cs_ca_expander. */
static const char *const names[] = {NULL,          "random",      "most-pods",
                                    "least-nodes", "least-waste", "price",
                                    "priority"};

int cs_ca_expander_parse(const char *name)
{
    if (name == NULL)
        return 0;
    for (int e = CS_EXP_RANDOM; e <= CS_EXP_PRIORITY; e++)
        if (strcmp(name, names[e]) == 0)
            return e;
    return 0;
}

const char *cs_ca_expander_name(int e)
{
    if (e < CS_EXP_RANDOM || e > CS_EXP_PRIORITY)
        return "unknown";
    return names[e];
}

/* ---------------------------------------------------------------------- */
/* Scores                                                                 */
/* ---------------------------------------------------------------------- */

/* Share of `avail` left unrequested; a resource the template lacks counts
 * as fully wasted (upstream would divide by zero). */
static double wasted(int64_t avail, int64_t requested)
{
    if (avail <= 0)
        return 1.0;
    return (double)(avail - requested) / (double)avail;
}

double cs_ca_waste_score(const struct cs_ca_option *o)
{
    int64_t n = o->nodes;

    return wasted(o->cap_cpu * n, o->pod_cpu) +
           wasted(o->cap_mem * n, o->pod_mem);
}

int64_t cs_ca_preferred_cpu(int64_t nodes)
{
    /* price/preferred.go SimplePreferredNodeProvider: cluster size to
     * machine size. */
    if (nodes <= 2)
        return 1000;
    if (nodes <= 6)
        return 2000;
    if (nodes <= 20)
        return 4000;
    if (nodes <= 60)
        return 8000;
    if (nodes <= 200)
        return 16000;
    return 32000;
}

/* Unfitness above which a node is a last resort: upstream's GPU value. */
#define UNFIT_LAST_RESORT 1000.0

double cs_ca_price_score(const struct cs_ca_option *o, int64_t preferred_cpu,
                         double stab_price)
{
    double sub, unfit, sup, score;

    sub = (o->node_price * (double)o->nodes + stab_price) /
          (o->pods_price + stab_price);
    if (o->cap_cpu <= 0 || preferred_cpu <= 0) {
        unfit = UNFIT_LAST_RESORT; /* upstream divides by zero */
    } else {
        double a = (double)preferred_cpu / (double)o->cap_cpu;
        double b = (double)o->cap_cpu / (double)preferred_cpu;

        unfit = a > b ? a : b;
    }
    sup = (unfit - 1.0) * (1.0 - tanh((double)(o->nodes - 1) / 15.0)) + 1.0;
    if (o->gpu)
        sup = UNFIT_LAST_RESORT;
    score = sup * sub;
    if (!o->exists)
        score *= 2.0;
    return score;
}

/* ---------------------------------------------------------------------- */
/* Filters                                                                */
/* ---------------------------------------------------------------------- */

static size_t filter_random(struct cs_ca_option *opt, size_t n, double u)
{
    size_t i;

    if (n == 0)
        return 0;
    i = u > 0.0 ? (size_t)(u * (double)n) : 0;
    if (i >= n)
        i = n - 1;
    opt[0] = opt[i];
    return 1;
}

/* least-nodes ignores options of 0 nodes (leastnodes.go); most-pods keeps
 * the largest pod count. Both by integer comparison. */
static size_t filter_count(struct cs_ca_option *opt, size_t n, int least)
{
    int64_t best = least ? INT64_MAX : -1;
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        int64_t v = least ? opt[i].nodes : opt[i].pods;

        if (least && v <= 0)
            continue;
        if (least ? v < best : v > best)
            best = v;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t v = least ? opt[i].nodes : opt[i].pods;

        if (v == best && (!least || v > 0))
            opt[k++] = opt[i];
    }
    return k;
}

/* least-waste and price: lowest score wins. Scores are recomputed in the
 * second pass rather than stored, so no scratch is needed. A NaN score (a
 * price of 0 / 0) ranks last rather than breaking the comparison. */
static double score_of(int e, const struct cs_ca_option *o, int64_t pref,
                       double stab)
{
    double s = e == CS_EXP_LEAST_WASTE ? cs_ca_waste_score(o)
                                       : cs_ca_price_score(o, pref, stab);

    return isnan(s) ? INFINITY : s;
}

static size_t filter_score(int e, struct cs_ca_option *opt, size_t n,
                           int64_t pref, double stab)
{
    double best = 0.0;
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        double s = score_of(e, &opt[i], pref, stab);

        if (i == 0 || s < best)
            best = s;
    }
    for (size_t i = 0; i < n; i++)
        if (score_of(e, &opt[i], pref, stab) == best)
            opt[k++] = opt[i];
    return k;
}

/* Compiled priority table: re[j] belongs to priority prio[j]. */
struct prio_re {
    regex_t *re;
    int32_t *prio;
    size_t n;
};

static void prio_free(struct prio_re *p, size_t compiled)
{
    for (size_t j = 0; j < compiled; j++)
        regfree(&p->re[j]);
    free(p->re);
    free(p->prio);
}

/* Compile every regex of the table; 0, or -1 (nothing left allocated). */
static int prio_compile(const struct cs_ca_priority *prio, int nprio,
                        struct prio_re *p)
{
    size_t total = 0, j = 0;

    for (int i = 0; i < nprio; i++)
        total += prio[i].nregex > 0 ? (size_t)prio[i].nregex : 0;
    memset(p, 0, sizeof(*p));
    if (total == 0)
        return -1;
    p->re = malloc(total * sizeof(*p->re));
    p->prio = malloc(total * sizeof(*p->prio));
    if (p->re == NULL || p->prio == NULL) {
        prio_free(p, 0);
        return -1;
    }
    for (int i = 0; i < nprio; i++)
        for (int r = 0; r < prio[i].nregex; r++) {
            const char *src = prio[i].regex ? prio[i].regex[r] : NULL;

            if (src == NULL ||
                regcomp(&p->re[j], src, REG_EXTENDED | REG_NOSUB) != 0) {
                prio_free(p, j);
                return -1;
            }
            p->prio[j++] = prio[i].priority;
        }
    p->n = total;
    return 0;
}

/* Highest priority whose regex matches id anywhere (Go's MatchString is
 * unanchored, like regexec); INT64_MIN when none does. */
static int64_t prio_of(const struct prio_re *p, const char *id)
{
    int64_t best = INT64_MIN;

    for (size_t j = 0; id != NULL && j < p->n; j++)
        if (p->prio[j] > best && regexec(&p->re[j], id, 0, NULL, 0) == 0)
            best = p->prio[j];
    return best;
}

static size_t filter_priority(struct cs_ca_option *opt, size_t n,
                              const struct cs_ca_priority *prio, int nprio)
{
    struct prio_re p;
    int64_t best = INT64_MIN;
    size_t k = 0;

    if (prio == NULL || nprio <= 0 || prio_compile(prio, nprio, &p) < 0)
        return n;
    for (size_t i = 0; i < n; i++) {
        int64_t v = prio_of(&p, opt[i].id);

        if (v > best)
            best = v;
    }
    for (size_t i = 0; best != INT64_MIN && i < n; i++)
        if (prio_of(&p, opt[i].id) == best)
            opt[k++] = opt[i];
    prio_free(&p, p.n);
    return best == INT64_MIN ? n : k; /* nothing matched: unchanged */
}

size_t cs_ca_expander_filter(int e, struct cs_ca_option *opt, size_t n,
                             int64_t preferred_cpu, double stab_price,
                             const struct cs_ca_priority *prio, int nprio,
                             double u)
{
    switch (e) {
    case CS_EXP_RANDOM:
        return filter_random(opt, n, u);
    case CS_EXP_MOST_PODS:
        return filter_count(opt, n, 0);
    case CS_EXP_LEAST_NODES:
        return filter_count(opt, n, 1);
    case CS_EXP_LEAST_WASTE:
    case CS_EXP_PRICE:
        return filter_score(e, opt, n, preferred_cpu, stab_price);
    case CS_EXP_PRIORITY:
        return filter_priority(opt, n, prio, nprio);
    default:
        return n;
    }
}

int cs_ca_expander_choose(const int *chain, int nchain,
                          const struct cs_ca_option *opt, size_t n,
                          struct cs_ca_option *scratch, int64_t preferred_cpu,
                          double stab_price, const struct cs_ca_priority *prio,
                          int nprio, double u)
{
    size_t k = n;

    if (n == 0)
        return -1;
    /* The copies carry their original index in `group`, which no filter
     * reads, so the survivor maps back to opt[]. */
    for (size_t i = 0; i < n; i++) {
        scratch[i] = opt[i];
        scratch[i].group = (int)i;
    }
    /* chain.go: every filter runs on the previous survivors until one is
     * left (the first runs even on a single option, as upstream does). */
    for (int c = 0; c < nchain; c++) {
        k = cs_ca_expander_filter(chain[c], scratch, k, preferred_cpu,
                                  stab_price, prio, nprio, u);
        if (k == 1)
            break;
    }
    k = filter_random(scratch, k, u);
    return k == 0 ? -1 : scratch[0].group;
}
