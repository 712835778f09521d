/*
 * evq.c - the event queue (see evq.h and docs/event-queue.md).
 *
 * Design. Two parallel arrays of the same capacity:
 *
 *   heap[0..len)      4-ary min-heap of {time, seq, slot}, ordered by
 *                     (time, seq). Children of i are 4i+1 .. 4i+4.
 *   slots[0..nslots)  payload (kind, a, b), the entry's heap position and a
 *                     generation. Unused slots form a LIFO free list linked
 *                     through `pos`, so a freed slot is reused while still
 *                     in cache.
 *
 * A handle is (gen << 32) | (slot + 1). Releasing a slot (pop or cancel)
 * bumps its generation, which turns every handle issued for it stale.
 *
 * Invariants (checked by cs_evq_check):
 *   1. For 0 < i < len: key(heap[(i-1)/4]) < key(heap[i]) (keys are unique
 *      because seq is).
 *   2. For 0 <= i < len: slots[heap[i].slot].pos == i.
 *   3. Every slot < nslots is either in the heap (invariant 2) or on the
 *      free list, never both; the free list has nslots - len entries.
 *   4. len <= nslots <= cap, and every seq in the heap is < next_seq.
 *
 * Lifecycle of a slot:
 *
 *      free --cs_evq_push--> pending --cs_evq_pop----> free (gen + 1)
 *                                   \--cs_evq_cancel-> free (gen + 1)
 */
#include "core/evq.h"

#include <stdlib.h>

#include "core/err.h"

#define ARITY 4
#define INITIAL_CAP 256
#define MAX_CAP (UINT32_MAX - 1) /* slot + 1 must fit the low handle word */

static inline int ent_less(const struct cs_evq_ent *x,
                           const struct cs_evq_ent *y)
{
    return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static inline cs_evq_handle make_handle(uint32_t slot, uint32_t gen)
{
    return ((uint64_t)gen << 32) | ((uint64_t)slot + 1);
}

/* Slot a handle names if it is pending, else CS_EVQ_NIL. */
static uint32_t handle_slot(const struct cs_evq *q, cs_evq_handle h)
{
    uint32_t lo = (uint32_t)h;
    uint32_t slot;
    const struct cs_evq_slot *s;

    if (lo == 0 || lo > q->nslots)
        return CS_EVQ_NIL;
    slot = lo - 1;
    s = &q->slots[slot];
    if (s->gen != (uint32_t)(h >> 32))
        return CS_EVQ_NIL;
    /* A free slot's pos is a free-list link; only a pending slot is found
     * at its own heap position. */
    if (s->pos >= q->len || q->heap[s->pos].slot != slot)
        return CS_EVQ_NIL;
    return slot;
}

/* The entry being placed travels as scalars rather than a struct copy:
 * building a struct on the stack and reloading it stalled store forwarding
 * and cost about 10% of a push + pop. */
static inline int key_less(cs_time_ms t1, uint64_t s1, cs_time_ms t2,
                           uint64_t s2)
{
    return t1 < t2 || (t1 == t2 && s1 < s2);
}

/* Put (t, seq, slot) into the hole at i, moving it towards the root. */
static void sift_up(struct cs_evq *q, uint32_t i, cs_time_ms t, uint64_t seq,
                    uint32_t slot)
{
    struct cs_evq_ent *heap = q->heap;

    while (i > 0) {
        uint32_t p = (i - 1) / ARITY;
        if (!key_less(t, seq, heap[p].time, heap[p].seq))
            break;
        heap[i] = heap[p];
        q->slots[heap[i].slot].pos = i;
        i = p;
    }
    heap[i].time = t;
    heap[i].seq = seq;
    heap[i].slot = slot;
    q->slots[slot].pos = i;
}

/* Put (t, seq, slot) into the hole at i, moving it towards the leaves. */
static void sift_down(struct cs_evq *q, uint32_t i, cs_time_ms t, uint64_t seq,
                      uint32_t slot)
{
    struct cs_evq_ent *heap = q->heap;
    uint32_t n = q->len;

    for (;;) {
        uint32_t c = i * ARITY + 1, end, m, k;
        if (c >= n || c < i) /* c < i: index arithmetic overflowed */
            break;
        end = n - c < ARITY ? n : c + ARITY;
        m = c;
        for (k = c + 1; k < end; k++)
            if (ent_less(&heap[k], &heap[m]))
                m = k;
        if (!key_less(heap[m].time, heap[m].seq, t, seq))
            break;
        heap[i] = heap[m];
        q->slots[heap[i].slot].pos = i;
        i = m;
    }
    heap[i].time = t;
    heap[i].seq = seq;
    heap[i].slot = slot;
    q->slots[slot].pos = i;
}

/* Remove the entry at heap index i and release its slot. */
static void remove_at(struct cs_evq *q, uint32_t i)
{
    uint32_t slot = q->heap[i].slot;
    struct cs_evq_slot *s = &q->slots[slot];

    q->len--;
    if (i != q->len) {
        const struct cs_evq_ent *last = &q->heap[q->len];
        cs_time_ms t = last->time;
        uint64_t seq = last->seq;
        uint32_t ls = last->slot;
        if (i > 0 && key_less(t, seq, q->heap[(i - 1) / ARITY].time,
                              q->heap[(i - 1) / ARITY].seq))
            sift_up(q, i, t, seq, ls);
        else
            sift_down(q, i, t, seq, ls);
    }
    s->gen++;
    s->pos = q->free_head;
    q->free_head = slot;
}

static int grow(struct cs_evq *q, size_t want)
{
    size_t cap = q->cap ? q->cap : INITIAL_CAP;
    struct cs_evq_ent *heap;
    struct cs_evq_slot *slots;

    if (want > MAX_CAP)
        return CS_ELIMIT;
    while (cap < want)
        cap = cap > MAX_CAP / 2 ? MAX_CAP : cap * 2;
    /* Grow both arrays before publishing the new capacity, so a failure in
     * the second realloc leaves a consistent (merely roomier) queue. */
    heap = realloc(q->heap, cap * sizeof(*heap));
    if (heap == NULL)
        return CS_ENOMEM;
    q->heap = heap;
    slots = realloc(q->slots, cap * sizeof(*slots));
    if (slots == NULL)
        return CS_ENOMEM;
    q->slots = slots;
    q->cap = (uint32_t)cap;
    return 0;
}

int cs_evq_init(struct cs_evq *q)
{
    q->heap = NULL;
    q->slots = NULL;
    q->len = 0;
    q->nslots = 0;
    q->free_head = CS_EVQ_NIL;
    q->cap = 0;
    q->next_seq = 0;
    return grow(q, INITIAL_CAP);
}

void cs_evq_fini(struct cs_evq *q)
{
    free(q->heap);
    free(q->slots);
    q->heap = NULL;
    q->slots = NULL;
    q->len = 0;
    q->nslots = 0;
    q->free_head = CS_EVQ_NIL;
    q->cap = 0;
}

int cs_evq_reserve(struct cs_evq *q, size_t n)
{
    if (n <= q->cap)
        return 0;
    return grow(q, n);
}

int cs_evq_push(struct cs_evq *q, cs_time_ms t, uint32_t kind, uint32_t a,
                uint64_t b, cs_evq_handle *h)
{
    uint32_t slot;
    struct cs_evq_slot *s;

    if (q->free_head != CS_EVQ_NIL) {
        slot = q->free_head;
        q->free_head = q->slots[slot].pos;
    } else {
        if (q->nslots == q->cap) {
            int rc = grow(q, (size_t)q->cap + 1);
            if (rc != 0) {
                if (h != NULL)
                    *h = 0;
                return rc;
            }
        }
        slot = q->nslots++;
        q->slots[slot].gen = 0;
    }
    s = &q->slots[slot];
    s->kind = kind;
    s->a = a;
    s->b = b;
    q->len++;
    sift_up(q, q->len - 1, t, q->next_seq++, slot);
    if (h != NULL)
        *h = make_handle(slot, s->gen);
    return 0;
}

int cs_evq_cancel(struct cs_evq *q, cs_evq_handle h)
{
    uint32_t slot = handle_slot(q, h);

    if (slot == CS_EVQ_NIL)
        return CS_ENOENT;
    remove_at(q, q->slots[slot].pos);
    return 0;
}

int cs_evq_pending(const struct cs_evq *q, cs_evq_handle h)
{
    return handle_slot(q, h) != CS_EVQ_NIL;
}

int cs_evq_pop(struct cs_evq *q, struct cs_event *ev)
{
    const struct cs_evq_slot *s;

    if (q->len == 0)
        return 0;
    s = &q->slots[q->heap[0].slot];
    ev->time = q->heap[0].time;
    ev->seq = q->heap[0].seq;
    ev->kind = s->kind;
    ev->a = s->a;
    ev->b = s->b;
    remove_at(q, 0);
    return 1;
}

cs_time_ms cs_evq_peek_time(const struct cs_evq *q)
{
    return q->len ? q->heap[0].time : CS_TIME_NEVER;
}

size_t cs_evq_size(const struct cs_evq *q)
{
    return q->len;
}

int cs_evq_check(const struct cs_evq *q)
{
    uint32_t i, slot, nfree = 0;

    if (q->len > q->nslots || q->nslots > q->cap)
        return 0;
    for (i = 0; i < q->len; i++) {
        const struct cs_evq_ent *e = &q->heap[i];
        if (e->slot >= q->nslots || q->slots[e->slot].pos != i)
            return 0; /* invariant 2 */
        if (e->seq >= q->next_seq)
            return 0; /* invariant 4 */
        if (i > 0 && !ent_less(&q->heap[(i - 1) / ARITY], e))
            return 0; /* invariant 1 */
    }
    /* Invariant 3: walk the free list; a cycle shows up as too many entries,
     * a pending slot as one found at its own heap position. */
    for (slot = q->free_head; slot != CS_EVQ_NIL; slot = q->slots[slot].pos) {
        const struct cs_evq_slot *s;
        if (slot >= q->nslots || ++nfree > q->nslots - q->len)
            return 0;
        s = &q->slots[slot];
        /* Heap slots are distinct (each has one pos), so a free slot that is
         * also in the heap sits at heap[s->pos]. */
        if (s->pos < q->len && q->heap[s->pos].slot == slot)
            return 0;
    }
    return nfree == q->nslots - q->len;
}
