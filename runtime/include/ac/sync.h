/* ac/sync.h: synchronisation between tasks of one thread.
 *
 * ac_event: a flag that tasks wait for.  Setting it wakes every waiter (in
 * the order they began to wait) and it stays set until cleared; waiting on
 * a set event returns at once.  A woken waiter returns even if the event
 * was cleared before it ran.  A wait is a suspension point: cancellation
 * reaches a waiting task at once, and its wait is withdrawn (ac/cancel.h).
 *
 *     static ac_event ready = AC_EVENT_INIT;
 *     ...  await ac_event_wait(&ready);     -- in one task
 *     ...  ac_event_set(&ready);            -- in another, or a callback
 *
 * ac_lock and ac_semaphore: taking one waits while it is held (or the count
 * is 0); giving it back hands it to the first waiter, so waiters are
 * served in order and a later acquire waits behind them.
 * Both are also managers (`async with (ac_lock_cm(&l)) { ... }`).
 *
 * ac_queue: a bounded FIFO of fixed-size items in a buffer the caller
 * provides; put waits while it is full, get while it is empty.
 *
 * The objects here are not checked for NULL: a NULL one crashes, as a NULL
 * FILE * does in stdio.
 *
 * Every wait here is a cancellable suspension point, checked first: in a
 * cancelled scope it throws ECANCELED even when it need not wait (a set
 * event, a free unit, room or an item in the queue), as a trio checkpoint.
 */
#ifndef AC_SYNC_H
#define AC_SYNC_H

#include <stdbool.h>

#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

#include <stddef.h>

#include "ac/cm.h"
#include "ac/sched.h"

typedef struct ac_event {
    bool set;
    ac__waitq q;
} ac_event;

/* AC_EVENT_INIT initialises a declaration (a static, a global); inside an
 * async function, whose variables acc moves into the frame, use
 * ac_event_init() (acc does not see what a macro expands to). */
#define AC_EVENT_INIT {false, {{NULL, NULL}}}
void ac_event_init(ac_event *e);

void ac_event_set(ac_event *e);     /* wake every waiter; stays set */
void ac_event_clear(ac_event *e);
bool ac_event_is_set(const ac_event *e);

/* Wait until e is set (at once if it is).  Throws ECANCELED when
 * cancellation reaches the task meanwhile. */
/*acc: async void ac_event_wait(ac_event *e); */
ac_coro *ac_event_wait(ac_event *e);
int ac_event_wait__await(ac_frame *caller, void *ret, ac_event *e);

/* The inline side of events: a task switch through an event is a set and a
 * wait, compiled into the caller by these macros (the functions above
 * exist too, for their addresses).  The cancelled path and the withdrawal
 * of a wait stay in the runtime. */
int ac__event_wait_noted(ac_frame *caller, ac_event *e);
void ac__event_unwait(ac_frame *f);

void ac__event_wake_rest(ac__waiter *w, ac__waiter *s);

/* Inline: the first waiter, the one of a task switch through an event; the
 * others in ac__event_wake_rest. */
static inline void ac__event_set(ac_event *e)
{
    ac__waiter *s = &e->q.s, *w = s->next;
    e->set = true;
    if (!w)
        return;
    s->prev = s->next = NULL; /* they all leave, before they are enqueued */
    ac__waiter *next = w->next; /* (enqueueing reuses the waiter) */
    ac__task_ready(ac__waiter_task(w), AC__WOKEN_SOFT); /* blocked, not queued */
    if (AC__UNLIKELY(next != s))
        ac__event_wake_rest(next, s);
}

/* The await of an event needs no frame: the caller waits itself, with its
 * task's waiter in the event's queue, and is resumed at its resume point
 * when the event is set (or with ECANCELED). */
static inline int ac__event_wait__await(ac_frame *caller, ac_event *e)
{
    if (ac__noted) /* some scope is cancelled or timed: the slow path */
        return ac__event_wait_noted(caller, e);
    if (e->set)
        return AC_DONE;
    ac__waitq_join(&e->q, caller->task);
    return ac__task_block(caller, ac__event_unwait);
}

#define ac_event_set(e) ac__event_set(e)
#define ac_event_clear(e) ((void)((e)->set = false))
#define ac_event_wait__await(caller, ret, e) ((void)(ret), ac__event_wait__await((caller), (e)))

/* ---------------------------------------------------------- locks, semaphores */

typedef struct ac_semaphore {
    long count; /* a lock is a semaphore of 1 */
    ac__waitq q;
} ac_semaphore;

typedef ac_semaphore ac_lock;

#define AC_SEMAPHORE_INIT(n) {(n), {{NULL, NULL}}}
#define AC_LOCK_INIT AC_SEMAPHORE_INIT(1)
void ac_semaphore_init(ac_semaphore *s, long count); /* (see AC_EVENT_INIT) */
#define ac_lock_init(l) ac_semaphore_init((l), 1)

/* Take one unit (wait while the count is 0). */
/*acc: async void ac_semaphore_acquire(ac_semaphore *s); */
ac_coro *ac_semaphore_acquire(ac_semaphore *s);
int ac_semaphore_acquire__await(ac_frame *caller, void *ret, ac_semaphore *s);
/* Give one unit back: to the first waiter if there is one (a waiter
 * cancelled before it runs gives it on).  Not checked: releasing a lock
 * that is not held lets two tasks hold it. */
void ac_semaphore_release(ac_semaphore *s);
/* A manager: enter acquires (entered value: s), exit releases. */
ac_cm ac_semaphore_cm(ac_semaphore *s);

/*acc: async void ac_lock_acquire(ac_lock *l); */
#define ac_lock_acquire ac_semaphore_acquire
#define ac_lock_acquire__await ac_semaphore_acquire__await
#define ac_lock_release ac_semaphore_release
#define ac_lock_cm ac_semaphore_cm
#define ac_lock_locked(l) ((l)->count <= 0)

/* ---------------------------------------------------------- queues */

typedef struct ac_queue {
    char *buf;          /* capacity items of size bytes (the caller's) */
    size_t size, capacity, head, count;
    ac__waitq getters, putters;
} ac_queue;

/* A queue over `buf`, room for `capacity` items of `size` bytes.  A queue
 * of capacity 0 holds nothing: put and get on it throw EINVAL. */
void ac_queue_init(ac_queue *q, void *buf, size_t size, size_t capacity);
size_t ac_queue_count(const ac_queue *q);

/* Copy *item in (wait while full). */
/*acc: async void ac_queue_put(ac_queue *q, const void *item); */
ac_coro *ac_queue_put(ac_queue *q, const void *item);
int ac_queue_put__await(ac_frame *caller, void *ret, ac_queue *q, const void *item);
/* Copy the oldest item out to *item (wait while empty). */
/*acc: async void ac_queue_get(ac_queue *q, void *item); */
ac_coro *ac_queue_get(ac_queue *q, void *item);
int ac_queue_get__await(ac_frame *caller, void *ret, ac_queue *q, void *item);

#ifdef __cplusplus
}
#endif
#endif /* AC_SYNC_H */
