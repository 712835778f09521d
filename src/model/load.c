/* load.c - piecewise-linear request rates (see load.h). */
#include "model/load.h"

size_t cs_load_next_point(const struct cs_load *l, cs_time_ms t)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (l->pts[mid].at <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double cs_load_rate(const struct cs_load *l, cs_time_ms t)
{
    size_t i;
    const struct cs_load_point *a, *b;
    double f;

    if (l->n == 0)
        return 0.0;
    i = cs_load_next_point(l, t);
    if (i == 0)
        return l->pts[0].rps * l->scale;
    a = &l->pts[i - 1];
    if (i == l->n || !l->pts[i].ramp)
        return a->rps * l->scale;
    b = &l->pts[i];
    f = (double)(t - a->at) / (double)(b->at - a->at);
    return (a->rps + (b->rps - a->rps) * f) * l->scale;
}

double cs_load_rate_left(const struct cs_load *l, cs_time_ms t)
{
    size_t i = cs_load_next_point(l, t);

    /* pts[i-1] is the last point at or before t. Only a step exactly at t
     * makes the left limit differ: the segment before it is constant at
     * the previous point's value. */
    if (i >= 2 && l->pts[i - 1].at == t && !l->pts[i - 1].ramp)
        return l->pts[i - 2].rps * l->scale;
    return cs_load_rate(l, t);
}
