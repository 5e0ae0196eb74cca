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
#include "internal.h"

typedef struct ac__seg ac__seg;

/* Called when task t's root frame `root` has finished; may free the task. */
typedef void (*ac__task_done_fn)(ac_task *t, ac_frame *root);

struct ac_task {
    ac__taskhead head;     /* first: inline frame code reaches it (AC__HEAD) */
    ac_task *next;         /* link in the ready queue */
    union {                /* never both: a task waits only before it finishes */
        ac_unwait_fn unwait; /* withdraws the leaf wait while blocked (set by
                              ac__suspend_unwait, cleared on wake): what
                              cancellation will call; NULL if none */
        ac_error *err;     /* the root's outcome once finished (owned) */
    };
    ac__task_done_fn done; /* called when the root finishes, or NULL; a
                              group's child reaches its group through
                              root_link.up */
    ac__seg *seg;          /* current frame-stack segment, NULL if none */
    ac__seg *spare;        /* one cached empty segment, NULL if none */
    unsigned char queued;  /* in the ready queue: 0, or how it was woken
                              (AC__WOKEN_HARD, AC__WOKEN_SOFT) */
    unsigned char noted;   /* its root link is cancelled (ac__cancel_note) */
    unsigned char finished;/* the root frame has returned */
    unsigned char inside;  /* lives in its root's block (AC_FRAME_TASKROOM):
                              freed with the root, not by ac__task_free */
    ac__scope root_link;   /* its root scope (ac_task_cancel): the end of its
                              scope chain, or, for a child of a task group,
                              the link into the group's scope */
    ac_task *sib_prev, *sib_next; /* among its group's live children */
    struct ac_taskgroup *groups;  /* the groups it hosts, innermost first:
                                     where its cancellation may go on */
    ac__waiter waiter;     /* in the queue of what it waits for (a task waits
                              for one thing at a time) */
};

/* Scheduler state of this thread (task.c), reached by the inline
 * functions below. */
typedef struct ac__sched {
    ac_task *head, *tail;   /* ready queue (FIFO through ac_task.next) */
    ac_task *running;       /* the task being run, or NULL */
    unsigned long resumes;  /* frames resumed by the trampoline */
} ac__sched;
extern AC__TLS ac__sched ac__sched_now;

/* How a queued task was woken (ac_task.queued).  A soft wake-up carries
 * nothing (ac__task_wake_soft): a cancellation that arrives before the task
 * runs replaces it, and makes it hard. */
#define AC__WOKEN_HARD 1u
#define AC__WOKEN_SOFT 2u

/* ac__task_wake (how: AC__WOKEN_HARD) and ac__task_wake_soft
 * (AC__WOKEN_SOFT) for the runtime's own waits. */
static inline void ac__task_enqueue(ac_task *t, unsigned char how)
{
    if (t->queued || !t->head.blocked)
        return;
    ac__sched *s = &ac__sched_now;
    t->unwait = NULL;
    t->queued = how;
    t->next = NULL;
    if (s->tail)
        s->tail->next = t;
    else
        s->head = t;
    s->tail = t;
}

/* ac__suspend_unwait for the runtime's own waits, which have just passed
 * ac__cancel_point: nothing can have cancelled the task since, so there is
 * nothing to deliver. */
static inline int ac__task_block(ac_frame *f, ac_unwait_fn unwait)
{
    ac_task *t = f->task;
    t->head.top = f;
    t->unwait = unwait;
    t->head.blocked = 1;
    return AC_PENDING;
}

/* A task whose root is `root` (a coroutine object, which it does not own):
 * blocked, not queued; ac__task_wake() starts it.  NULL without memory. */
ac_task *ac__task_new(ac_frame *root);

/* Free a task: its segments and its error.  Its frames must be popped. */
void ac__task_free(ac_task *t);

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
 * *done is 0, tasks are ready and the loop has nothing to poll or fire in
 * between (*nwaits and *ntimers are 0: read at the end of every turn, so
 * that a timer or an fd wait armed meanwhile ends the run of turns). */
void ac__ready_run_turns(const unsigned char *done, const size_t *nwaits, const size_t *ntimers);

#endif /* AC_TASK_H */
