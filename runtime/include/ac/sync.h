/* ac/sync.h: synchronisation between tasks of one thread.
 *
 * ac_event: a flag that tasks wait for.  Setting it wakes every waiter (in
 * the order they began to wait) and it stays set until cleared; waiting on
 * a set event returns at once.  A wait is a suspension point: cancellation
 * reaches a waiting task at once, and its wait is withdrawn (ac/cancel.h).
 *
 *     static ac_event ready = AC_EVENT_INIT;
 *     ...  await ac_event_wait(&ready);     -- in one task
 *     ...  ac_event_set(&ready);            -- in another, or a callback
 *
 * (Locks, semaphores and queues come with task groups.)
 */
#ifndef AC_SYNC_H
#define AC_SYNC_H

#include <stdbool.h>

#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac__waiter ac__waiter;

typedef struct ac_event {
    bool set;
    ac__waiter *head, *tail; /* waiters, in arrival order */
} ac_event;

#define AC_EVENT_INIT {false, NULL, NULL}

void ac_event_set(ac_event *e);     /* wake every waiter; stays set */
void ac_event_clear(ac_event *e);
bool ac_event_is_set(const ac_event *e);

/* Wait until e is set (at once if it is).  Throws ECANCELED when
 * cancellation reaches the task meanwhile. */
/*acc: async void ac_event_wait(ac_event *e); */
ac_coro *ac_event_wait(ac_event *e);
int ac_event_wait__await(ac_frame *caller, void *ret, ac_event *e);

#ifdef __cplusplus
}
#endif
#endif /* AC_SYNC_H */
