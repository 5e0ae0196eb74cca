/* sync.c: events, semaphores (and locks), bounded queues (ac/sync.h).
 *
 * Every primitive is a condition and a queue of waiters (ac__waitq, in
 * ac/sched.h): each task has one waiter, and the queue is a circular doubly
 * linked list, so that a wait withdrawn by cancellation leaves it in O(1)
 * without knowing which queue it is in.  A wait is one
 * frame kind for all: it tests its condition, and if it does not hold,
 * joins the queue and blocks.  A queue's waiter, when woken, tests again
 * (another task may have taken what woke it), so a give needs to wake only
 * the first waiter; a semaphore's release hands its unit to the first
 * waiter instead, which then has it (ac_semaphore_release).
 */
#include <errno.h>
#include <string.h>

#include "ac/primitive.h"
#include "ac/sync.h"
#include "internal.h"
#include "task.h"

/* Wake the first waiter, if any (a unit or an item may be for it). */
static void wake_first(ac__waitq *q)
{
    ac__waiter *w = q->s.next;
    if (w) {
        ac__waitq_leave(w);
        ac__task_enqueue(ac__waiter_task(w), AC__WOKEN_HARD);
    }
}

/* ---------------------------------------------------------- the wait */

enum op { OP_EVENT, OP_ACQUIRE, OP_PUT, OP_GET };

typedef struct wait_frame {
    ac_frame hdr;
    enum op op;
    void *obj;        /* the event, semaphore or queue */
    void *item;       /* a queue's item */
    bool granted;     /* a semaphore's release handed it its unit */
} wait_frame;

static void queue_put(ac_queue *q, const void *item)
{
    size_t tail = (q->head + q->count) % q->capacity;
    memcpy(q->buf + tail * q->size, item, q->size);
    q->count++;
    wake_first(&q->getters);
}

static void queue_get(ac_queue *q, void *item)
{
    memcpy(item, q->buf + q->head * q->size, q->size);
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    wake_first(&q->putters);
}

/* Try the operation: true if done, else the queue to wait in (*q). */
static bool attempt(wait_frame *f, ac__waitq **q)
{
    switch (f->op) {
    case OP_EVENT: {
        ac_event *e = f->obj;
        *q = &e->q;
        return e->set;
    }
    case OP_ACQUIRE: {
        ac_semaphore *s = f->obj;
        *q = &s->q;
        if (s->count <= 0)
            return false;
        s->count--;
        return true;
    }
    case OP_PUT: {
        ac_queue *qu = f->obj;
        *q = &qu->putters;
        if (qu->count == qu->capacity)
            return false;
        queue_put(qu, f->item);
        return true;
    }
    default: {
        ac_queue *qu = f->obj;
        *q = &qu->getters;
        if (!qu->count)
            return false;
        queue_get(qu, f->item);
        return true;
    }
    }
}

/* Cancellation withdraws the wait. */
static void wait_unwait(ac_frame *f)
{
    ac__waitq_leave(&((ac_task *)f->task)->waiter);
}

/* A waiter of a queue that was woken because the queue could serve it, but
 * fails with ECANCELED before it tried, passes the wake-up on to the next
 * waiter, so that none is left waiting beside an available slot or item.
 * (An event stays set: its other waiters were all woken; a semaphore's
 * waiter was handed its unit, which it gives back: see wait_resume.) */
static void pass_on(wait_frame *w)
{
    if (w->op == OP_PUT) {
        ac_queue *q = w->obj;
        if (q->count < q->capacity)
            wake_first(&q->putters);
    } else if (w->op == OP_GET) {
        ac_queue *q = w->obj;
        if (q->count)
            wake_first(&q->getters);
    }
}

/* Each time: a cancelled point fails; else try; else wait in the queue
 * and try again when woken. */
static int wait_resume(ac_frame *f)
{
    wait_frame *w = (wait_frame *)(void *)f;
    ac__waitq *q;
    if (f->err)
        return ac__frame_return(f);
    if (ac__cancel_point(f)) {
        if (w->granted) /* cancelled before it ran: the unit goes on */
            ac_semaphore_release(w->obj);
        else if (f->state)
            pass_on(w);
        return ac__frame_return(f);
    }
    if (w->granted)
        return ac__frame_return(f);
    /* Only a set wakes an event's waiter, and a set is what the wait was
       for: it is done, even if the event was cleared before the waiter ran
       (as the inline wait of ac/sync.h, and asyncio's Event.wait, return). */
    if (w->op == OP_EVENT && f->state)
        return ac__frame_return(f);
    /* (Checked once: a queue of capacity 0 is never waited on.) */
    if (!f->state && (w->op == OP_PUT || w->op == OP_GET) && !((ac_queue *)w->obj)->capacity) {
        ac__throw(f, ac_error_new(EINVAL, "ac_queue: capacity 0"), __FILE__, __LINE__);
        return ac__frame_return(f);
    }
    if (attempt(w, &q))
        return ac__frame_return(f);
    f->state = 1;
    ac__waitq_join(q, f->task);
    return ac__task_block(f, wait_unwait);
}

static ac_coro *wait_coro(enum op op, void *obj, void *item)
{
    wait_frame *w = AC_CORO_NEW(wait_frame, wait_resume);
    if (w) {
        w->op = op;
        w->obj = obj;
        w->item = item;
    }
    return (ac_coro *)w;
}

static int wait_await(ac_frame *caller, void *ret, enum op op, void *obj, void *item)
{
    wait_frame *w = AC_FRAME_PUSH(wait_frame, caller, ret, wait_resume);
    if (!w)
        return AC_DONE;
    w->op = op;
    w->obj = obj;
    w->item = item;
    w->granted = false;
    return ac__frame_start_fn(&w->hdr, wait_resume);
}

/* ---------------------------------------------------------- events */

void ac_event_init(ac_event *e)
{
    memset(e, 0, sizeof *e);
}

/* The functions behind the macros of ac/sync.h, for their addresses; the
 * parenthesised names are not expanded.  Every waiter of a set event gets
 * a soft wake-up (the event carries nothing), so that a cancellation
 * before it runs still reaches it. */
void(ac_event_set)(ac_event *e)
{
    ac__event_set(e);
}

/* The waiters of a set event after the first, from w to the sentinel s
 * (ac__event_set has emptied the queue). */
void ac__event_wake_rest(ac__waiter *w, ac__waiter *s)
{
    do {
        ac__waiter *next = w->next;
        ac__task_ready(ac__waiter_task(w), AC__WOKEN_SOFT);
        w = next;
    } while (w != s);
}

void(ac_event_clear)(ac_event *e)
{
    e->set = false;
}

bool ac_event_is_set(const ac_event *e)
{
    return e->set;
}

ac_coro *ac_event_wait(ac_event *e)
{
    return wait_coro(OP_EVENT, e, NULL);
}

void ac__event_unwait(ac_frame *f)
{
    ac__waitq_leave(&AC__TASKPUB(f->task)->waiter);
}

/* The wait when some scope is cancelled or has a deadline: a call, kept out
 * of the common path. */
int ac__event_wait_noted(ac_frame *caller, ac_event *e)
{
    if (ac__cancel_point_slow(caller) || e->set)
        return AC_DONE;
    ac__waitq_join(&e->q, caller->task);
    return ac__task_block(caller, ac__event_unwait);
}

int(ac_event_wait__await)(ac_frame *caller, void *ret, ac_event *e)
{
    return ac_event_wait__await(caller, ret, e);
}

/* ---------------------------------------------------------- semaphores */

void ac_semaphore_init(ac_semaphore *s, long count)
{
    memset(s, 0, sizeof *s);
    s->count = count;
}

ac_coro *ac_semaphore_acquire(ac_semaphore *s)
{
    return wait_coro(OP_ACQUIRE, s, NULL);
}

int ac_semaphore_acquire__await(ac_frame *caller, void *ret, ac_semaphore *s)
{
    return wait_await(caller, ret, OP_ACQUIRE, s, NULL);
}

/* With waiters, the unit goes to the first one (its wait is done, whatever
 * comes before it runs), so no task that acquires later can take it first:
 * the count stays 0 while tasks wait, as asyncio's lock serves its waiters
 * in order.  A waiter is blocked in its wait frame, the top of its task. */
void ac_semaphore_release(ac_semaphore *s)
{
    if (ac__waitq_empty(&s->q)) {
        s->count++;
        return;
    }
    ((wait_frame *)(void *)AC__HEAD(ac__waiter_task(s->q.s.next))->top)->granted = true;
    wake_first(&s->q);
}

static int sem_enter(ac_frame *caller, void *value, void *self)
{
    if (value)
        *(void **)value = self;
    return ac_semaphore_acquire__await(caller, NULL, self);
}

static bool sem_exit(void *self, ac_error *err, ac_error **raise)
{
    (void)err;
    (void)raise;
    ac_semaphore_release(self);
    return false;
}

static const ac_cm_class sem_class = {
    .name = "ac_semaphore", .aenter_await = sem_enter, .exit = sem_exit};

ac_cm ac_semaphore_cm(ac_semaphore *s)
{
    return AC_CM(s ? &sem_class : NULL, s);
}

/* ---------------------------------------------------------- queues */

void ac_queue_init(ac_queue *q, void *buf, size_t size, size_t capacity)
{
    memset(q, 0, sizeof *q);
    q->buf = buf;
    q->size = size;
    q->capacity = capacity; /* 0: put and get refuse (EINVAL) */
}

size_t ac_queue_count(const ac_queue *q)
{
    return q->count;
}

ac_coro *ac_queue_put(ac_queue *q, const void *item)
{
    return wait_coro(OP_PUT, q, (void *)(uintptr_t)item);
}

int ac_queue_put__await(ac_frame *caller, void *ret, ac_queue *q, const void *item)
{
    return wait_await(caller, ret, OP_PUT, q, (void *)(uintptr_t)item);
}

ac_coro *ac_queue_get(ac_queue *q, void *item)
{
    return wait_coro(OP_GET, q, item);
}

int ac_queue_get__await(ac_frame *caller, void *ret, ac_queue *q, void *item)
{
    return wait_await(caller, ret, OP_GET, q, item);
}
