/* sync.c: events (ac/sync.h).
 *
 * A waiter lives in the frame of its wait; the event keeps a doubly linked
 * list of them, so that a wait withdrawn by cancellation (or a task woken
 * by a set) leaves the list in O(1).
 */
#include "ac/primitive.h"
#include "ac/sync.h"
#include "internal.h"

struct ac__waiter {
    ac__waiter *prev, *next;
    ac_event *ev;
    ac_task *task;
};

typedef struct wait_frame {
    ac_frame hdr;
    ac_event *ev;
    ac__waiter w;
} wait_frame;

static void unlink_waiter(ac__waiter *w)
{
    ac_event *e = w->ev;
    if (w->prev)
        w->prev->next = w->next;
    else
        e->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        e->tail = w->prev;
    w->ev = NULL;
}

void ac_event_set(ac_event *e)
{
    e->set = true;
    while (e->head) {
        ac__waiter *w = e->head;
        unlink_waiter(w);
        ac__task_wake(w->task);
    }
}

void ac_event_clear(ac_event *e)
{
    e->set = false;
}

bool ac_event_is_set(const ac_event *e)
{
    return e->set;
}

/* Cancellation withdraws the wait. */
static void wait_unwait(ac_frame *f)
{
    wait_frame *w = (wait_frame *)(void *)f;
    if (w->w.ev)
        unlink_waiter(&w->w);
}

/* state 0: done at once if set, else join the waiters and block;
 * state 1: woken by a set (or by cancellation, with the error in err). */
static int wait_resume(ac_frame *f)
{
    wait_frame *w = (wait_frame *)(void *)f;
    if (f->state || ac__cancel_point(f) || w->ev->set)
        return ac__frame_return(f);
    f->state = 1;
    ac_event *e = w->ev;
    w->w = (ac__waiter){e->tail, NULL, e, f->task};
    if (e->tail)
        e->tail->next = &w->w;
    else
        e->head = &w->w;
    e->tail = &w->w;
    return ac__suspend_unwait(f, wait_unwait);
}

ac_coro *ac_event_wait(ac_event *e)
{
    wait_frame *w = AC_CORO_NEW(wait_frame, wait_resume);
    if (w)
        w->ev = e;
    return (ac_coro *)w;
}

int ac_event_wait__await(ac_frame *caller, void *ret, ac_event *e)
{
    if (e->set && !ac__task_cancelled(caller->task))
        return AC_DONE; /* set already: no frame needed */
    wait_frame *w = AC_FRAME_PUSH(wait_frame, caller, ret, wait_resume);
    if (!w)
        return AC_DONE;
    w->ev = e;
    return ac__frame_start_fn(&w->hdr, wait_resume);
}
