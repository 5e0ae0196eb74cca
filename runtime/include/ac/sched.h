/* ac/sched.h: the scheduler's inline side.  Internal (ac__ names, no
 * stability promised): what the inline waits and wake-ups of ac/sync.h
 * touch, so that an event's set and wait compile into the caller's code
 * instead of two calls per task switch.
 *
 * A task begins with AC__TASK_FIELDS (struct ac_task in the runtime's
 * task.h declares them first, in this order), so inline code reaches them
 * through ac__taskpub.  The ready queue and the count of cancelled or timed
 * scope links are per thread.
 */
#ifndef AC_SCHED_H
#define AC_SCHED_H

#include <stddef.h>

#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac__waiter ac__waiter;

/* A task waiting in a queue: each task has one (a task waits for one
 * thing at a time).  The queue is a circular doubly linked list through a
 * sentinel waiter, so that a wait withdrawn by cancellation leaves it in
 * O(1) without knowing which queue it is in. */
struct ac__waiter {
    ac__waiter *prev, *next;
};

/* Tasks waiting for something, in arrival order: s.next is the first,
 * s.prev the last.  An empty queue is all zeroes ({NULL, NULL}, never the
 * sentinel linked to itself), so that a zeroed queue is empty and an empty
 * one may be copied. */
typedef struct ac__waitq {
    ac__waiter s;
} ac__waitq;

static inline int ac__waitq_empty(const ac__waitq *q)
{
    return q->s.next == NULL;
}

/* The first fields of every task, in order. */
#define AC__TASK_FIELDS                                                           \
    ac__taskhead head;    /* first: inline frame code reaches it (AC__HEAD) */   \
    union {               /* never both: a task waits only before it finishes */  \
        ac_unwait_fn unwait; /* withdraws the leaf wait (set by every block,     \
                                read only while blocked and not queued): what  \
                                cancellation calls; NULL if none */            \
        ac_error *err;    /* the root's outcome once finished (owned) */          \
    };                                                                            \
    union {               /* never both: a task leaves the queue it waited in     \
                             before it is made ready */                          \
        ac__waiter waiter; /* in the queue of what it waits for */               \
        ac_frame *next;   /* ready queue: the next entry's link (over           \
                             waiter.prev) */                                     \
    }

typedef struct ac__taskpub {
    AC__TASK_FIELDS;
} ac__taskpub;

/* ac/frame.h reaches `unwait` as the word after the head (AC__UNWAIT). */
#ifdef __cplusplus
static_assert(offsetof(ac__taskpub, unwait) == sizeof(ac__taskhead), "unwait follows the head");
#else
_Static_assert(offsetof(ac__taskpub, unwait) == sizeof(ac__taskhead), "unwait follows the head");
#endif

#define AC__TASKPUB(t) ((ac__taskpub *)(void *)(t))

/* The ready queue of this thread: a FIFO of tasks, whose links (the head,
 * and the `next` of each entry) are the frames the tasks go on from, their
 * tops, not the tasks: the trampoline starts loading a task's code from
 * the head at once, and reaches the task (f->task) beside it.  A task's top
 * does not change while it is queued.  A link may also be a tagged root
 * frame of a group's child that has no task yet (the runtime's task.h,
 * "pending children"): code that appends a task after the tail, as the
 * inline wake-ups do, needs not know.  The tail is the last entry; when
 * the queue is empty it is the queue itself, seen as an entry whose `next`
 * is the head (AC__SCHED_EMPTY), so that appending is two stores and no
 * branch.  (It is NULL only before the thread's first task is made.) */
typedef struct ac__sched {
    ac_frame *head;         /* the link to the first entry, or NULL */
    ac_task *tail;          /* the last entry, or AC__SCHED_EMPTY(s) */
    ac_task *running;       /* the task being run, or NULL */
    unsigned long resumes;  /* frames resumed by the trampoline */
    unsigned char busy;     /* the loop has an fd wait or a timer (set when
                               one is armed, recomputed between turns) */
} ac__sched;
extern AC__TLS_IE ac__sched ac__sched_now;

/* The tail of an empty ready queue s: the entry whose `next` is s->head.
 * The entry is not a task: what stores through an entry's `next` stores
 * bytes (memcpy). */
#define AC__SCHED_EMPTY(s) \
    ((ac_task *)(uintptr_t)((uintptr_t)&(s)->head - offsetof(ac__taskpub, next)))

/* Links of this thread that are cancelled or have a deadline: while there
 * are none, a suspension point has nothing to check. */
extern AC__TLS_IE size_t ac__noted;

/* How a queued task was woken (ac__taskhead.queued).  A soft wake-up carries
 * nothing (ac__task_wake_soft): a cancellation that arrives before the task
 * runs replaces it, and makes it hard. */
#define AC__WOKEN_HARD 1u
#define AC__WOKEN_SOFT 2u
#define AC__WOKEN_BOUNCE 3u /* a start bounced (ac__frame_bounce): nothing to replace */

/* Queue task t, blocked and not queued, at the back of the ready queue,
 * woken `how`.  Its `next` is left as it is: the queue ends at the tail,
 * not at a NULL link. */
static inline void ac__task_ready(ac_task *t, unsigned char how)
{
    ac__sched *s = &ac__sched_now;
    ac_frame *link = AC__TASKPUB(t)->head.top;
    AC__TASKPUB(t)->head.queued = how;
    /* The tail's `next`, or the queue's head if it is empty: stored as
       bytes, so that no compiler takes it for a store to a task only. */
    memcpy(&AC__TASKPUB(s->tail)->next, &link, sizeof link);
    s->tail = t;
}

/* Queue task t at the back of the ready queue, woken `how`, if it is
 * blocked and not queued yet (else nothing). */
static inline void ac__task_enqueue(ac_task *t, unsigned char how)
{
    ac__taskpub *p = AC__TASKPUB(t);
    if (p->head.queued || !p->head.blocked)
        return;
    ac__task_ready(t, how);
}

/* Block f's task, f on top, with `unwait` to withdraw its wait: what the
 * runtime's own waits do once they have passed the cancellation point
 * (nothing can have cancelled the task since).  Returns AC_PENDING. */
static inline int ac__task_block(ac_frame *f, ac_unwait_fn unwait)
{
    ac__taskpub *p = AC__TASKPUB(f->task);
    p->head.top = f;
    p->unwait = unwait;
    p->head.blocked = 1;
    return AC_PENDING;
}

/* Task t joins queue q, at its end.  A branch, not a select of the waiter
 * to link from: the address of that store would wait for the load of
 * s->prev, and the next wake-up's load of s->next for that store (an event
 * ping-pong round trip took 0.5 ns longer, of 10). */
static inline void ac__waitq_join(ac__waitq *q, ac_task *t)
{
    ac__waiter *w = &AC__TASKPUB(t)->waiter;
    ac__waiter *s = &q->s;
    ac__waiter *last = s->prev;
    w->next = s;
    if (AC__LIKELY(last == NULL)) { /* the queue was empty */
        w->prev = s;
        s->next = w;
    } else {
        w->prev = last;
        last->next = w;
    }
    s->prev = w;
}

/* Waiter w leaves the queue it is in.  Its neighbours are equal only when
 * both are the sentinel: the queue becomes empty (all zeroes). */
static inline void ac__waitq_leave(ac__waiter *w)
{
    ac__waiter *p = w->prev, *n = w->next;
    if (p == n) {
        p->prev = p->next = NULL;
    } else {
        p->next = n;
        n->prev = p;
    }
}

/* The task whose waiter w is. */
static inline ac_task *ac__waiter_task(ac__waiter *w)
{
    return (ac_task *)(void *)((char *)w - offsetof(ac__taskpub, waiter));
}

#ifdef __cplusplus
}
#endif
#endif /* AC_SCHED_H */
