/* task.h: tasks, their frame stacks, the ready queue and the trampoline
 * (task.c).  A task runs one chain of frames; the scheduler state (ready
 * queue, running task, resume counter) is per thread.
 */
#ifndef AC_TASK_H
#define AC_TASK_H

#include <stddef.h>

#include "ac/cancel.h"
#include "ac/error.h"
#include "ac/frame.h"
#include "ac/sched.h"
#include "internal.h"

typedef struct ac__seg ac__seg;


struct ac_task {
    AC__TASK_FIELDS;       /* ac/sched.h: what inline waits reach */
    ac__seg *seg;          /* current frame-stack segment, NULL if none */
    ac__scope root_link;   /* its root scope (ac_task_cancel): the end of its
                              scope chain, or, for a child of a task group,
                              the link into the group's scope */
    ac_task *sib_prev, *sib_next; /* among its group's live children */
    struct ac_taskgroup *groups;  /* the groups it hosts, innermost first:
                                     where its cancellation may go on */
};

/* Called at the end of a task whose root is flagged AC_FRAME_NOTIFY: how
 * the runtime's unit tests hear of tasks they make with ac__task_new.  May
 * free the task. */
typedef void (*ac__task_done_fn)(ac_task *t, ac_frame *root);
extern AC__TLS ac__task_done_fn ac__task_done_hook;

/* A task whose root is `root` (a coroutine object, which it does not own):
 * blocked, not queued; ac__task_wake() starts it.  NULL without memory. */
ac_task *ac__task_new(ac_frame *root);

/* Free task t, whose root is `root` (its frames popped): its segments, its
 * error, and the task itself, unless it lives in root's block (which
 * ac_coro_free(root) frees). */
void ac__task_free(ac_task *t, ac_frame *root);

/* Withdraw t's leaf wait (cancellation): calls and clears t->unwait. */
void ac__task_unwait(ac_task *t);

/* The task whose frames are running on this thread, or NULL. */
ac_task *ac__task_current(void);

/* Is a task of this thread ready to run? */
static inline _Bool ac__ready_any(void)
{
    return ac__sched_now.head != NULL;
}

/* Run up to n tasks from the front of the ready queue. */
void ac__ready_run(size_t n);
/* Run turns of ready tasks: each turn, the tasks that are ready when it
 * begins (not those they make ready); another turn follows at once while
 * tasks are ready and ac__sched_now.busy is 0: the loop sets it before the
 * call, and it is set when a timer or an fd wait is armed or the task of
 * ac_run (AC_FRAME_MAIN) ends, which ends the run of turns at the end of
 * the turn. */
void ac__ready_run_turns(void);

#endif /* AC_TASK_H */
