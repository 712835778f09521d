/*
 * evq.h - the event queue: a cancellable priority queue of timed events.
 *
 * Events are ordered by the key (time, seq), where seq is a counter bumped on
 * every push, so two events at the same millisecond run in the order they
 * were pushed and the order never depends on the heap's shape (libuv timers,
 * ns-3 scheduler). The queue is a 4-ary min-heap of small entries that carry
 * the key and a slot index; the slot table holds the payload, the entry's
 * heap position and a generation used to detect stale handles.
 * docs/event-queue.md explains the layout and writes the costs down.
 *
 * Ownership: the caller allocates struct cs_evq, cs_evq_init() gives it two
 * heap arrays and cs_evq_fini() frees them. Fields are visible for sizing
 * and debugging only; touch them through the functions below.
 *
 * Cost: push, pop and cancel are O(log n); no call allocates once the queue
 * has reached its high-water mark (or cs_evq_reserve() was called).
 */
#ifndef CS_CORE_EVQ_H
#define CS_CORE_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "core/time.h"

struct cs_event {
    cs_time_ms time; /* when it fires, ms */
    uint64_t seq;    /* push order; ties at equal time run in push order */
    uint32_t kind;   /* caller-defined event type */
    uint32_t a;      /* caller data, e.g. an object index */
    uint64_t b;      /* caller data, e.g. a generation */
};

/* Names one pushed event for cs_evq_cancel(): low 32 bits are slot + 1, high
 * 32 bits the slot's generation. 0 is never a valid handle. */
typedef uint64_t cs_evq_handle;

/* One heap entry: the key is copied here so that sifting compares
 * neighbouring entries without touching the slot table. */
struct cs_evq_ent {
    cs_time_ms time; /* key, ms */
    uint64_t seq;    /* key tie-breaker */
    uint32_t slot;   /* index into slots[] */
};

/* Payload of one event; also the free-list link while unused. */
struct cs_evq_slot {
    uint64_t b;    /* caller data */
    uint32_t kind; /* caller data */
    uint32_t a;    /* caller data */
    uint32_t pos;  /* heap index while pending; next free slot otherwise */
    uint32_t gen;  /* bumped each time the slot is released */
};

struct cs_evq {
    /* Heap of pending events, ordered by (time, seq). */
    struct cs_evq_ent *heap; /* heap[0] is the earliest */
    uint32_t len;            /* pending events */
    /* Slot table: every slot is either pending or on the free list. */
    struct cs_evq_slot *slots; /* nslots used, cap allocated */
    uint32_t nslots;           /* slots ever handed out (high-water mark) */
    uint32_t free_head;        /* first free slot, CS_EVQ_NIL if none */
    uint32_t cap;              /* capacity of both heap and slots */
    uint64_t next_seq;         /* seq given to the next push */
};

#define CS_EVQ_NIL UINT32_MAX

/* Initialise an empty queue with room for a few hundred events. Returns 0,
 * or CS_ENOMEM with q left safe to pass to cs_evq_fini(). */
int cs_evq_init(struct cs_evq *q);

/* Free the queue's arrays; pending events are dropped. q may be re-inited. */
void cs_evq_fini(struct cs_evq *q);

/* Make room for n pending events so that pushes up to n never allocate.
 * Returns 0, CS_ENOMEM (queue unchanged) or CS_ELIMIT (n too large). */
int cs_evq_reserve(struct cs_evq *q, size_t n);

/* Schedule an event at time t. If h is not NULL it receives a handle for
 * cs_evq_cancel(). Returns 0, or CS_ENOMEM / CS_ELIMIT (more than 2^32 - 2
 * pending events) with the queue unchanged and *h set to 0.
 * Amortised O(log n); no allocation once capacity is reached. */
int cs_evq_push(struct cs_evq *q, cs_time_ms t, uint32_t kind, uint32_t a,
                uint64_t b, cs_evq_handle *h);

/* Remove a pending event. Returns 0, or CS_ENOENT (queue unchanged) if the
 * event already ran, was cancelled, or h is 0 or stale. O(log n). */
int cs_evq_cancel(struct cs_evq *q, cs_evq_handle h);

/* 1 if h names a pending event, else 0. O(1). */
int cs_evq_pending(const struct cs_evq *q, cs_evq_handle h);

/* Pop the earliest event by (time, seq) into *ev; returns 1, or 0 if the
 * queue is empty (then *ev is untouched). O(log n). */
int cs_evq_pop(struct cs_evq *q, struct cs_event *ev);

/* Time of the earliest pending event, or CS_TIME_NEVER if empty. O(1). */
cs_time_ms cs_evq_peek_time(const struct cs_evq *q);

/* Number of pending events. O(1). */
size_t cs_evq_size(const struct cs_evq *q);

/* 1 if the heap property holds and the heap, slot table and free list agree;
 * 0 otherwise. O(n); meant for assert() and tests. */
int cs_evq_check(const struct cs_evq *q);

#endif
