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
#include "pool.h"

typedef struct ac__seg ac__seg;


struct ac_task {
    AC__TASK_FIELDS;       /* ac/sched.h: what inline waits reach */
    ac__scope root_link;   /* its root scope (ac_task_cancel): the end of its
                              scope chain, or, for a child of a task group,
                              the link into the group's scope */
    ac_task *sib_prev, *sib_next; /* among its group's live children */
    struct ac_taskgroup *groups;  /* the groups it hosts, innermost first:
                                     where its cancellation may go on */
    ac__locals *locals;    /* its task-local values (owned; NULL: none) */
};

/* Called at the end of a task whose root is flagged AC_FRAME_NOTIFY: how
 * the runtime's unit tests hear of tasks they make with ac__task_new.  May
 * free the task. */
typedef void (*ac__task_done_fn)(ac_task *t, ac_frame *root);
extern AC__TLS ac__task_done_fn ac__task_done_hook;

/* A task whose root is `root` (a coroutine object, which it does not own):
 * blocked, not queued; ac__task_wake() starts it.  NULL without memory.
 * The task is a block of the pool (AC_FRAME_TASKPOOL in root's flags says
 * so, for ac__task_free).  Inline for the start of a group's child; other
 * callers use ac__task_new. */
static inline ac_task *ac__task_make(ac_frame *root)
{
    bool pooled;
    ac_task *t = (ac_task *)ac__pool_alloc(sizeof *t, &pooled);
    if (!t)
        return NULL;
    root->flags = (root->flags & ~AC_FRAME_TASKPOOL) | (pooled ? AC_FRAME_TASKPOOL : 0);
    /* Field by field, not memset: a spawn makes one task per call, and
       compilers turn a memset of this size into `rep stos`, whose start-up
       costs more than the stores. */
    t->head.top = root;
    /* Empty stack: both ends at one byte of the task, so that the inline
     * push compares pointers into one object. */
    t->head.sp = t->head.end = (char *)&t->head.finished;
    t->head.scope = &t->root_link;
    t->head.cleanup = 0;
    t->head.blocked = 1; /* waiting to be started by ac__task_wake */
    t->head.queued = t->head.noted = t->head.finished = 0;
    t->unwait = NULL;
    t->waiter = (ac__waiter){NULL, NULL};
    t->root_link = (ac__scope){NULL, 0, 0, 0, 0, 0, 0};
    t->sib_prev = t->sib_next = NULL;
    t->groups = NULL;
    t->locals = NULL;
    root->caller = NULL; /* roots are coroutine objects (AC_FRAME_CORO): the
                            inline ac__frame_return relies on it */
    root->task = t;
    return t;
}

ac_task *ac__task_new(ac_frame *root);

/* Free task t, whose root is `root` (its frames popped): its segments, its
 * error, and the task itself.  Inline for the end of a group's child, which
 * has none of the parts. */
void ac__task_free_parts(ac_task *t);

/* Has t a frame-stack segment?  Without one, both ends of its stack are on
 * a byte of the task (ac__task_make); with one, the end is the trailer of
 * the current segment (task.c). */
static inline bool ac__task_has_segment(const ac_task *t)
{
    return t->head.end != (const char *)&t->head.finished;
}

static inline void ac__task_free(ac_task *t, ac_frame *root)
{
    if (!t)
        return;
    /* (`err` shares its word with `unwait`, which a finished task no
       longer needs.) */
    if (ac__task_has_segment(t) || t->head.noted || (t->head.finished && t->err) || t->locals)
        ac__task_free_parts(t);
    ac__pool_release(t, root->flags & AC_FRAME_TASKPOOL);
}

/* ac_coro_free(c), inline where c is most often a pooled block without an
 * error: the root of a group's child that has ended. */
static inline void ac__coro_release(ac_coro *c)
{
    if (!c->err && (c->flags & AC_FRAME_POOLED))
        ac__pool_free(c);
    else
        ac_coro_free(c);
}

/* ---------------------------------------------------------- pending children
 *
 * A child spawned into a task group waits in the ready queue as its bare
 * root frame, and is given its task only when it comes out at the front
 * (ac__taskgroup_child_start): a burst of spawns then holds 64-byte frames
 * rather than frames and tasks (176 bytes for the smallest child), and the
 * task of a child that ends at once is reused, hot, by the next one.
 *
 * The queue's entries are tasks, its links their top frames (ac/sched.h).
 * A pending frame's entry is the address that puts the entry's `next` on
 * the frame's `caller`, which a root leaves unused until it starts
 * (nothing else of the entry is ever read); the link to it (the queue's
 * head, or the `next` of the entry before) is the frame itself, tagged
 * with AC__PENDING, which only the front of the queue is tested for.  The
 * queue's tail holds entries, so that queueing a task after a pending
 * frame, inline and unaware, writes that frame's `caller`. */
#define AC__PENDING ((uintptr_t)1)

/* The inline wake-ups of ac/sched.h append through ac__taskpub. */
_Static_assert(offsetof(ac_task, next) == offsetof(ac__taskpub, next), "one link");

static inline ac_task *ac__pending_entry(ac_frame *f)
{
    return (ac_task *)(uintptr_t)((uintptr_t)&f->caller - offsetof(ac_task, next));
}

/* The frame of a tagged link. */
static inline ac_frame *ac__pending_frame(ac_frame *link)
{
    return (ac_frame *)((uintptr_t)link & ~AC__PENDING);
}

static inline bool ac__is_pending(const ac_frame *link)
{
    return (uintptr_t)link & AC__PENDING;
}

/* Queue the root of a group's child at the back, without a task. */
static inline void ac__ready_pending(ac_frame *root)
{
    ac__sched *s = &ac__sched_now;
    ac_frame *link = (ac_frame *)((uintptr_t)root | AC__PENDING);
    memcpy(&s->tail->next, &link, sizeof link); /* as ac__task_ready */
    s->tail = ac__pending_entry(root);
}

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
