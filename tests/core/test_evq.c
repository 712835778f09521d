/*
 * test_evq.c - the event queue against a sorted reference.
 *
 * The reference keeps pending events in an array sorted by (time, seq); the
 * queue must pop exactly what the reference pops, cancel exactly what the
 * reference still holds, and keep cs_evq_check() true throughout.
 * Randomness comes from a local splitmix64 with a fixed seed (no rand()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/evq.h"

static uint64_t sm_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* ---- sorted reference ---------------------------------------------- */

struct ref_ev {
    cs_time_ms time;
    uint64_t seq;
    uint32_t kind, a;
    uint64_t b;
};

struct ref {
    struct ref_ev *ev; /* pending, sorted by (time, seq) */
    size_t len, cap;
};

static int ref_less(const struct ref_ev *x, cs_time_ms t, uint64_t seq)
{
    return x->time < t || (x->time == t && x->seq < seq);
}

static size_t ref_lower(const struct ref *r, cs_time_ms t, uint64_t seq)
{
    size_t lo = 0, hi = r->len;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref_less(&r->ev[mid], t, seq))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void ref_insert(struct ref *r, const struct ref_ev *e)
{
    size_t i = ref_lower(r, e->time, e->seq);

    if (r->len == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->ev = realloc(r->ev, r->cap * sizeof(*r->ev));
        assert_non_null(r->ev);
    }
    memmove(&r->ev[i + 1], &r->ev[i], (r->len - i) * sizeof(*r->ev));
    r->ev[i] = *e;
    r->len++;
}

/* Remove (t, seq) if present; returns 1 if it was. */
static int ref_remove(struct ref *r, cs_time_ms t, uint64_t seq)
{
    size_t i = ref_lower(r, t, seq);

    if (i == r->len || r->ev[i].time != t || r->ev[i].seq != seq)
        return 0;
    memmove(&r->ev[i], &r->ev[i + 1], (r->len - i - 1) * sizeof(*r->ev));
    r->len--;
    return 1;
}

/* Every push ever made, so cancels can target run/cancelled events too. */
struct pushed {
    cs_evq_handle h;
    cs_time_ms time;
    uint64_t seq;
};

static void random_ops(size_t nops, int check_each)
{
    struct cs_evq q;
    struct ref r = {NULL, 0, 0};
    struct pushed *log = calloc(nops, sizeof(*log));
    size_t npushed = 0, i, npops = 0, ncancels = 0;
    uint64_t s = 12345;
    cs_time_ms now = 0;
    struct cs_event ev;

    assert_non_null(log);
    assert_int_equal(cs_evq_init(&q), 0);
    for (i = 0; i < nops; i++) {
        uint64_t x = sm_next(&s);
        unsigned op = (unsigned)(x % 100);
        if (op < 45) {
            struct ref_ev e;
            uint64_t y = sm_next(&s);
            /* Mostly near "now" with many ties; sometimes far or past. */
            e.time = (y % 10 == 0) ? (cs_time_ms)(y >> 8) % 100000 - 500
                                   : now + (cs_time_ms)((y >> 8) % 32);
            e.seq = npushed;
            e.kind = (uint32_t)(y >> 40);
            e.a = (uint32_t)i;
            e.b = y;
            assert_int_equal(
                cs_evq_push(&q, e.time, e.kind, e.a, e.b, &log[npushed].h), 0);
            assert_true(log[npushed].h != 0);
            log[npushed].time = e.time;
            log[npushed].seq = e.seq;
            npushed++;
            ref_insert(&r, &e);
        } else if (op < 80) {
            int got = cs_evq_pop(&q, &ev);
            assert_int_equal(got, r.len > 0);
            if (got) {
                assert_int_equal(ev.time, r.ev[0].time);
                assert_int_equal(ev.seq, r.ev[0].seq);
                assert_int_equal(ev.kind, r.ev[0].kind);
                assert_int_equal(ev.a, r.ev[0].a);
                assert_int_equal(ev.b, r.ev[0].b);
                ref_remove(&r, ev.time, ev.seq);
                now = ev.time;
                npops++;
            }
        } else if (npushed > 0) {
            struct pushed *p = &log[sm_next(&s) % npushed];
            int live = ref_remove(&r, p->time, p->seq);
            assert_int_equal(cs_evq_pending(&q, p->h), live);
            assert_int_equal(cs_evq_cancel(&q, p->h), live ? 0 : CS_ENOENT);
            assert_int_equal(cs_evq_pending(&q, p->h), 0);
            ncancels += (size_t)live;
        }
        assert_int_equal(cs_evq_size(&q), r.len);
        assert_int_equal(cs_evq_peek_time(&q),
                         r.len ? r.ev[0].time : CS_TIME_NEVER);
        if (check_each)
            assert_true(cs_evq_check(&q));
    }
    assert_true(cs_evq_check(&q));
    /* Drain: the rest comes out in reference order. */
    for (i = 0; i < r.len; i++) {
        assert_int_equal(cs_evq_pop(&q, &ev), 1);
        assert_int_equal(ev.seq, r.ev[i].seq);
    }
    assert_int_equal(cs_evq_pop(&q, &ev), 0);
    assert_true(npops > nops / 10 && ncancels > nops / 100);
    cs_evq_fini(&q);
    free(r.ev);
    free(log);
}

static void test_random_vs_reference(void **state)
{
    (void)state;
    random_ops(100000, 0);
}

static void test_check_after_every_op(void **state)
{
    (void)state;
    random_ops(3000, 1);
}

static void test_empty(void **state)
{
    struct cs_evq q;
    struct cs_event ev = {7, 7, 7, 7, 7};

    (void)state;
    assert_int_equal(cs_evq_init(&q), 0);
    assert_int_equal(cs_evq_size(&q), 0);
    assert_int_equal(cs_evq_peek_time(&q), CS_TIME_NEVER);
    assert_int_equal(cs_evq_pop(&q, &ev), 0);
    assert_int_equal(ev.time, 7); /* untouched */
    assert_int_equal(cs_evq_cancel(&q, 0), CS_ENOENT);
    assert_true(cs_evq_check(&q));
    cs_evq_fini(&q);
    cs_evq_fini(&q); /* twice is harmless */
}

static void test_ties_run_in_push_order(void **state)
{
    struct cs_evq q;
    struct cs_event ev;
    uint32_t i;

    (void)state;
    assert_int_equal(cs_evq_init(&q), 0);
    /* 300 events at t=5 interleaved with events at t=9 and t=1. */
    for (i = 0; i < 300; i++) {
        assert_int_equal(cs_evq_push(&q, 5, 0, i, 0, NULL), 0);
        if (i % 3 == 0)
            assert_int_equal(cs_evq_push(&q, 9, 1, i, 0, NULL), 0);
        if (i % 7 == 0)
            assert_int_equal(cs_evq_push(&q, 1, 2, i, 0, NULL), 0);
    }
    for (i = 0; i < 300; i += 7) {
        assert_int_equal(cs_evq_pop(&q, &ev), 1);
        assert_int_equal(ev.time, 1);
        assert_int_equal(ev.a, i);
    }
    for (i = 0; i < 300; i++) {
        assert_int_equal(cs_evq_pop(&q, &ev), 1);
        assert_int_equal(ev.time, 5);
        assert_int_equal(ev.a, i);
    }
    for (i = 0; i < 300; i += 3) {
        assert_int_equal(cs_evq_pop(&q, &ev), 1);
        assert_int_equal(ev.time, 9);
        assert_int_equal(ev.a, i);
    }
    assert_int_equal(cs_evq_size(&q), 0);
    cs_evq_fini(&q);
}

/* Pop everything and return the `a` fields in order. */
static size_t drain(struct cs_evq *q, uint32_t *out, size_t max)
{
    struct cs_event ev;
    size_t n = 0;

    while (n < max && cs_evq_pop(q, &ev))
        out[n++] = ev.a;
    return n;
}

static void test_cancel_cases(void **state)
{
    struct cs_evq q;
    cs_evq_handle h[10], h2;
    struct cs_event ev;
    uint32_t out[10];
    uint32_t i;

    (void)state;
    assert_int_equal(cs_evq_init(&q), 0);
    for (i = 0; i < 10; i++) /* a = i at time 10 * i */
        assert_int_equal(cs_evq_push(&q, 10 * i, 0, i, 0, &h[i]), 0);

    assert_int_equal(cs_evq_cancel(&q, h[0]), 0); /* head */
    assert_int_equal(cs_evq_peek_time(&q), 10);
    assert_int_equal(cs_evq_cancel(&q, h[5]), 0); /* middle */
    assert_int_equal(cs_evq_cancel(&q, h[9]), 0); /* last */
    assert_true(cs_evq_check(&q));
    assert_int_equal(cs_evq_cancel(&q, h[5]), CS_ENOENT); /* cancelled */

    assert_int_equal(cs_evq_pop(&q, &ev), 1);
    assert_int_equal(ev.a, 1);
    assert_int_equal(cs_evq_cancel(&q, h[1]), CS_ENOENT); /* already ran */

    /* h[1]'s slot is reused by the next push: the old handle is stale. */
    assert_int_equal(cs_evq_push(&q, 15, 0, 100, 0, &h2), 0);
    assert_true(h2 != h[1]);
    assert_int_equal(cs_evq_cancel(&q, h[1]), CS_ENOENT);
    assert_int_equal(cs_evq_cancel(&q, h[0]), CS_ENOENT);
    assert_true(cs_evq_pending(&q, h2));

    /* Handles that never existed. */
    assert_int_equal(cs_evq_cancel(&q, 0), CS_ENOENT);
    assert_int_equal(cs_evq_cancel(&q, UINT64_C(0xFFFFFFFF)), CS_ENOENT);
    assert_int_equal(cs_evq_cancel(&q, h2 + (UINT64_C(1) << 32)), CS_ENOENT);
    assert_true(cs_evq_check(&q));

    assert_int_equal(drain(&q, out, 10), 7);
    assert_int_equal(out[0], 100);
    assert_int_equal(out[1], 2);
    assert_int_equal(out[2], 3);
    assert_int_equal(out[3], 4);
    assert_int_equal(out[4], 6);
    assert_int_equal(out[5], 7);
    assert_int_equal(out[6], 8);
    cs_evq_fini(&q);
}

static void test_cancel_only_pending_left(void **state)
{
    struct cs_evq q;
    cs_evq_handle h;
    struct cs_event ev;

    (void)state;
    assert_int_equal(cs_evq_init(&q), 0);
    assert_int_equal(cs_evq_push(&q, 3, 1, 2, 3, &h), 0);
    assert_int_equal(cs_evq_cancel(&q, h), 0);
    assert_int_equal(cs_evq_size(&q), 0);
    assert_int_equal(cs_evq_pop(&q, &ev), 0);
    assert_true(cs_evq_check(&q));
    cs_evq_fini(&q);
}

static void test_growth_and_reserve(void **state)
{
    struct cs_evq q;
    struct cs_event ev;
    uint32_t i;
    uint32_t cap;

    (void)state;
    assert_int_equal(cs_evq_init(&q), 0);
    assert_int_equal(cs_evq_reserve(&q, 5000), 0);
    cap = q.cap;
    assert_true(cap >= 5000);
    for (i = 0; i < 5000; i++) /* descending times: every push sifts up */
        assert_int_equal(cs_evq_push(&q, 100000 - i, 0, i, 0, NULL), 0);
    assert_int_equal(q.cap, cap); /* no growth after reserve */
    for (i = 5000; i < 20000; i++)
        assert_int_equal(cs_evq_push(&q, 100000 - i, 0, i, 0, NULL), 0);
    assert_true(cs_evq_check(&q));
    for (i = 20000; i-- > 0;) {
        assert_int_equal(cs_evq_pop(&q, &ev), 1);
        assert_int_equal(ev.a, i);
    }
    assert_int_equal(cs_evq_pop(&q, &ev), 0);
    cs_evq_fini(&q);
}

static void test_extreme_times(void **state)
{
    struct cs_evq q;
    struct cs_event ev;

    (void)state;
    assert_int_equal(cs_evq_init(&q), 0);
    assert_int_equal(cs_evq_push(&q, CS_TIME_NEVER, 0, 1, 0, NULL), 0);
    assert_int_equal(cs_evq_push(&q, INT64_MIN, 0, 2, 0, NULL), 0);
    assert_int_equal(cs_evq_push(&q, 0, 0, 3, 0, NULL), 0);
    assert_int_equal(cs_evq_pop(&q, &ev), 1);
    assert_int_equal(ev.a, 2);
    assert_int_equal(cs_evq_pop(&q, &ev), 1);
    assert_int_equal(ev.a, 3);
    assert_int_equal(cs_evq_pop(&q, &ev), 1);
    assert_int_equal(ev.a, 1);
    cs_evq_fini(&q);
}

static void test_check_detects_corruption(void **state)
{
    struct cs_evq q;
    struct cs_evq_ent tmp;
    uint32_t i;

    (void)state;
    assert_int_equal(cs_evq_init(&q), 0);
    for (i = 0; i < 50; i++)
        assert_int_equal(cs_evq_push(&q, i, 0, i, 0, NULL), 0);
    assert_true(cs_evq_check(&q));
    q.heap[10].time = -1; /* heap property broken */
    assert_false(cs_evq_check(&q));
    q.heap[10].time = 10;
    assert_true(cs_evq_check(&q));
    tmp = q.heap[3]; /* positions no longer match the slot table */
    q.heap[3] = q.heap[4];
    q.heap[4] = tmp;
    assert_false(cs_evq_check(&q));
    cs_evq_fini(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_ties_run_in_push_order),
        cmocka_unit_test(test_cancel_cases),
        cmocka_unit_test(test_cancel_only_pending_left),
        cmocka_unit_test(test_growth_and_reserve),
        cmocka_unit_test(test_extreme_times),
        cmocka_unit_test(test_check_detects_corruption),
        cmocka_unit_test(test_check_after_every_op),
        cmocka_unit_test(test_random_vs_reference),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
