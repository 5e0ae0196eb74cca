/* internal.h: what the runtime's files share and the public headers do not
 * show: the allocator, error internals, and the loop's leaf waits.
 * No POSIX header here: the core includes this file.
 */
#ifndef AC_INTERNAL_H
#define AC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ac/cm.h"
#include "ac/error.h"
#include "ac/frame.h"
#include "ac/sync.h"

/* Thread-local state of the runtime (ac/sched.h says why initial-exec). */
#define AC__TLS AC__TLS_IE

/* A slow path kept out of line, so that the fast path that calls it needs
 * no stack frame of its own. */
#if defined(__GNUC__)
#define AC__SLOW __attribute__((noinline, cold))
#else
#define AC__SLOW
#endif

/* Built with AddressSanitizer: gcc defines the macro, clang answers the
 * feature test.  The pool (pool.h) stands aside then. */
#if defined(__SANITIZE_ADDRESS__)
#define AC__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AC__ASAN 1
#endif
#endif

/* ---------------------------------------------------------- allocator */

/* Every allocation of the runtime goes through these, so that the test hook
 * ac_alloc_fail_at() can fail any of them (alloc.c). */
void *ac__malloc(size_t n);
void *ac__realloc(void *p, size_t n);
void ac__free(void *p);

/* ---------------------------------------------------------- coroutine objects */

/* A coroutine object of the runtime that holds what it consumes when it
 * runs (another coroutine object: ac_coro_await, ac_taskgroup_spawn; a
 * manager value: ac_exit_stack_enter, ac_exit_stack_push) begins with this
 * and is flagged AC_FRAME_DROPS.  Freed before it has started (ac_coro_free
 * by its holder, ac_run or a group that cannot run it, a refused spawn),
 * it disposes of what it holds through `drop`, as running it would have.
 * Its resume function sets a nonzero state before anything else. */
typedef struct ac__dropping {
    ac_frame hdr;
    void (*drop)(ac_frame *f);
} ac__dropping;

/* ---------------------------------------------------------- errors */

/* An ENOMEM error from this thread's preallocated pool: never fails, and
 * allocates only when every error of the pool is held (then one comes from
 * the heap, or failing that one of the pool is shared: error.c).  The
 * caller owns one reference. */
ac_error *ac__error_nomem(void);

/* ---------------------------------------------------------- managers (cm.c) */

/* Await coroutine object c (what an async function's coroutine constructor
 * returned) from frame f: c runs as f's callee on f's task, its result going
 * to ret (NULL: c's own result slot).  A NULL c (its constructor ran out of
 * memory) throws ENOMEM in f.  Returns AC_DONE or AC_PENDING like an await
 * entry; once c has finished (AC_DONE, or when f is resumed) its error is in
 * f->err and the caller frees c with ac_coro_free(). */
int ac__coro_await(ac_frame *f, ac_coro *c, void *ret);

/* The class of *cm if cm is a manager (its class has an exit), else NULL. */
const ac_cm_class *ac__cm_class(const ac_cm *cm);

/* A manager value whose entry throws EINVAL with message `why` (a literal):
 * what a constructor returns for arguments it cannot use. */
ac_cm ac__cm_refused(const char *why);

/* The EINVAL error for a value that is not a manager. */
ac_error *ac__cm_invalid(const ac_cm *cm);

/* An enter of *cm by frame f that is the root of its task (no caller:
 * ac_run of it, or a spawn) refuses a task-bound manager (AC_CM_TASK): the
 * task would end as soon as it had entered, with the manager bound to it.
 * The AC_ESTATE error to throw then, else NULL.  (ac_cm_enter and
 * ac_exit_stack_enter.) */
ac_error *ac__cm_enter_alone(const ac_frame *f, const ac_cm *cm);

/* Attach x at the end of e's context chain by the rules of ac__throw (not
 * if the chain holds x already, ends in a cleared context, or the link
 * would close a cycle); x is retained. */
void ac__error_chain(ac_error *e, ac_error *x);
/* Keep x (retained) reachable from ENOMEM error holder's chain, even past
 * a cleared context (error.c: what a group's ENOMEM does with errors that
 * found no room). */
void ac__error_keep(ac_error *holder, ac_error *x);

/* The error being handled where frame f runs (what ac__throw would give a
 * new error as context), or NULL. */
ac_error *ac__handled(const ac_frame *f);

/* ---------------------------------------------------------- cancellation */

/* Is a scope from s outward cancelled, seen from cleanup nesting `depth`
 * of task t (a shield hides what is outside it)? */
_Bool ac__scope_visible_cancelled(const struct ac__scope *s, ac_task *t, uint32_t depth);
/* A link that is cancelled or has a deadline is counted while it exists
 * (note when it becomes so, unnote when it goes; `flag` remembers whether
 * it is counted): with none counted, nothing is cancelled (cancel.c). */
void ac__cancel_note(unsigned char *flag);
void ac__cancel_unnote(unsigned char *flag);
/* Is the code at the head of t's scope chain inside a cancelled scope?
 * (The count of noted links, ac__noted in ac/sched.h, answers "no" at once
 * for most programs.) */
_Bool ac__task_cancelled_slow(ac_task *t);
static inline _Bool ac__task_cancelled(ac_task *t)
{
    return ac__noted && ac__task_cancelled_slow(t);
}
/* At a suspension point in frame f: 1 after throwing ECANCELED into f if
 * its task is cancelled there (the point then does not suspend), else 0. */
int ac__cancel_point_slow(ac_frame *f);
static inline int ac__cancel_point(ac_frame *f)
{
    return ac__noted ? ac__cancel_point_slow(f) : 0;
}
/* Cancellation may have reached task t: if it is blocked in a wait that can
 * be withdrawn, withdraw it, throw ECANCELED into the blocked frame and
 * wake the task. */
void ac__task_deliver(ac_task *t);
/* Take link s out of task t's chain, if it is there (the innermost link,
 * normally). */
void ac__scope_unlink(ac_task *t, struct ac__scope *s);
/* Task t has ended with managers it entered still in its chain (a function
 * that entered one by hand, ac_cm_enter, and returned without ac_cm_exit),
 * or with groups a generator suspended inside them holds: each leaves the
 * task, which is about to be freed, so that nothing reaches the task through
 * it any more; a later exit throws AC_ESTATE.  A scope is left as if exited
 * (its timer withdrawn), a group is cancelled (its children end, and
 * nothing waits for them; ac__taskgroup_orphan).  Called at the end of a
 * task whose chain is not back at its root link or that hosts groups. */
void ac__task_orphan_scopes(ac_task *t);
/* For ac__task_orphan_scopes: the group of task t whose link is `link`
 * leaves t (cut off from the links outside it, which go with t); false if
 * `link` is no group's.  NULL: every group t still hosts leaves it, with
 * its links as they are (a generator's, detached). */
bool ac__taskgroup_orphan(ac_task *t, struct ac__scope *link);
/* The task that the link of an ac_scope (not a group's: link->group is
 * clear) is bound to: the task whose chain it is in while entered, which
 * its cancellation and deadline reach (NULL: none); and binding it to t.
 * A generator paused at a yield inside scopes of its own hands them from
 * task to task (gen.c). */
ac_task *ac__scope_task(const struct ac__scope *link);
void ac__scope_bind(struct ac__scope *link, ac_task *t);
/* The host of the group whose link is `link` (NULL: not entered, or
 * orphaned). */
ac_task *ac__taskgroup_host(const struct ac__scope *link);
/* The groups among the links from `top` outward (a generator's, detached
 * from any chain) that are hosted by a task other than t move to t: out of
 * their host's list of groups, into the front of t's, in their order.
 * Orphaned ones stay so. */
void ac__taskgroup_rehost(struct ac__scope *top, ac_task *t);
/* A scope of task t was cancelled (or unshielded, or its deadline moved):
 * ac__task_deliver to t and to every task that may see that scope, the
 * children of the groups t hosts and theirs (taskgroup.c).  Tasks that do
 * not see it are left as they are by ac__task_deliver's own test. */
void ac__deliver_tree(ac_task *t);
/* The close that the runtime raises in a generator (AC_EGENCLOSE, marked
 * so that it is told from an error user code throws with that code), and
 * the test for it.  Without memory: an ENOMEM error, not marked. */
ac_error *ac__error_close(void);
bool ac__error_is_close(const ac_error *e);

/* A group error that can take members without memory, for a holder that
 * collects them over time (a task group): made with room for `cap` members
 * and none in it, grown with ac__error_group_reserve (which may move it;
 * false without memory, *g unchanged) while no one else holds it, filled
 * with ac__error_group_add (taking over e; there must be room).  msg must
 * outlive it (a literal).  ac__error_group_new returns NULL without memory. */
ac_error *ac__error_group_new(const char *msg, size_t cap);
bool ac__error_group_reserve(ac_error **g, size_t cap);
void ac__error_group_add(ac_error *g, ac_error *e);

/* ECANCELED in e's chain: put an error of code `ins` in front of the first
 * one (its context becomes that ECANCELED). */
void ac__error_insert_before_code(ac_error *e, int code, int ins);

/* ---------------------------------------------------------- closers (gencm.c) */

/* Dropped @contextmanager values and freed async generator values, paused
 * at a yield, are closed by tasks of their own, closers (gencm.c, "dropped
 * values"): ac__gencm_idle is 1 while none runs.  A closer's task is freed
 * as it ends, by ac__closer_done (task.c, flag AC_FRAME_CLOSER), however
 * the loop is driven.  ac_run waits for them.  A closer (and its task)
 * is made in advance, with ac__closer_new (NULL without memory), so that
 * closing needs no memory; ac__closer_free frees one never started;
 * ac__closer_gen(c, g) closes generator value g (paused at a yield, not
 * running) with c, which then frees g and itself. */
extern AC__TLS unsigned char ac__gencm_idle;
typedef struct ac__closer ac__closer;
ac__closer *ac__closer_new(void);
void ac__closer_free(ac__closer *c);
void ac__closer_done(ac_frame *root);
void ac__closer_gen(ac__closer *c, ac_frame *g);

/* ---------------------------------------------------------- loop (loop.c) */

/* Run this thread's loop until *done is set (nothing if there is no loop). */
void ac__loop_until(const unsigned char *done);

typedef struct ac__loop ac__loop;

/* A timer: fires `fn` once, from the loop, when ac_now() >= due.  Timers
 * with equal deadlines fire in the order they were added.  Lives in the
 * frame of the primitive that waits on it: adding one does not allocate
 * unless the heap must grow. */
typedef struct ac__timer {
    int64_t due;                      /* deadline, ac_now() milliseconds */
    uint64_t seq;                     /* insertion order, breaks ties */
    size_t idx;                       /* position in the heap */
    void (*fn)(struct ac__timer *t);  /* called when it fires */
    void *data;                       /* for fn */
} ac__timer;

/* A wait for readiness of one fd; fires `fn` once with `ready` set to the
 * ready events among `events`. */
typedef struct ac__fdwait {
    struct ac__fdwait *next, *prev;   /* the fd's waiters */
    int fd;
    int events;                       /* AC_READABLE | AC_WRITABLE */
    int ready;                        /* set before fn is called */
    void (*fn)(struct ac__fdwait *w);
    void *data;                       /* for fn */
} ac__fdwait;

/* This thread's loop, created on first use; NULL without memory. */
ac__loop *ac__loop_get(void);

/* Register t to fire at `due`.  Returns 0 or ENOMEM. */
int ac__timer_add(ac__timer *t, int64_t due);
/* Withdraw a timer that has not fired. */
void ac__timer_remove(ac__timer *t);

/* Register w (fd, events, fn set).  Returns 0 or an errno value. */
int ac__fdwait_add(ac__fdwait *w);
/* Withdraw a wait that has not fired. */
void ac__fdwait_remove(ac__fdwait *w);
/* fd is about to be closed (ac_close): its waiters fire with `ready` set
 * to AC__FD_CLOSED, and the poller forgets it. */
#define AC__FD_CLOSED 0x100
void ac__fd_closing(int fd);
/* Make fd non-blocking before io.c's helpers first try it (they would
 * block the thread on a blocking fd): the loop's fd table remembers the
 * fd number as done until ac__fd_closing, so that each helper call costs
 * no system call.  Returns 0 or an errno value. */
int ac__fd_nonblock(int fd);

/* Does e's tree (its context chain, its children's) hold one of this
 * thread's preallocated ENOMEM errors, which must not go to another thread?
 * O(1) while none of them is in use, as mostly. */
bool ac__error_pooled(const ac_error *e);
/* A copy of e's tree on the heap, sharing nothing with e; NULL without
 * memory. */
ac_error *ac__error_copy(const ac_error *e);
/* e (owned), made fit to leave the thread: each preallocated error in its
 * tree replaced by a heap copy (the other errors stay, with their
 * identity); without the memory for that, some may remain. */
ac_error *ac__error_unpooled(ac_error *e);

/* The task t of a task group's child, whose root is `root`
 * (AC_FRAME_CHILD), has finished: the group records its outcome and frees
 * both (taskgroup.c). */
void ac__taskgroup_child_done(ac_task *t, ac_frame *root);

/* A child spawned into a group waits for its turn without a task (task.h,
 * "pending children"); when it comes out at the front of the ready queue,
 * this gives it its task: the task, adopted by the group, or NULL if there
 * was no memory for it (the child then fails with ENOMEM without running,
 * and its root is freed). */
ac_task *ac__taskgroup_child_start(ac_frame *root);

/* ---------------------------------------------------------- task-local values */

/* A set of bindings of task-local variables (local.c), shared by reference
 * count; NULL is the empty set.  Thread-safe. */
typedef struct ac__locals ac__locals;
ac__locals *ac__locals_ref(ac__locals *l); /* another reference to l */
void ac__locals_unref(ac__locals *l);
/* The bindings of this thread's code outside tasks (not a new reference),
 * and replacing them: the reference to l passes to the thread, the one to
 * the old bindings, returned, to the caller. */
ac__locals *ac__locals_outside(void);
ac__locals *ac__locals_swap_outside(ac__locals *l);

/* ---------------------------------------------------------- thread bridge */

/* A loop thread's inbox for the thread bridge (bridge.c): made on first
 * use and freed with the loop (loop.c keeps it). */
struct ac__bridge;
struct ac__bridge *ac__bridge_new(void);
void ac__bridge_free(struct ac__bridge *b);
/* This thread's inbox, made on first use; NULL without memory or a pipe
 * (errno says which). */
struct ac__bridge *ac__bridge_get(void);
/* ac_run on a pool thread running a job (ac_in_thread_bridge): runs coro
 * on the job's loop and waits for it there. */
ac_error *ac__bridge_run(ac_coro *coro, void *result);
/* The task of such a run, whose root is `root` (AC_FRAME_BRIDGED), has
 * finished: frees both and hands the outcome back. */
void ac__bridge_run_done(ac_task *t, ac_frame *root);
/* On a pool thread running a job: call fn(arg) in a task of the job's loop
 * (as ac__bridge_run) and return true once it has returned.  False
 * elsewhere, or without memory for it (the caller does it itself then).
 * For what must touch that loop's tasks: the close of a value dropped on
 * the pool thread (gencm.c, gen.c), a scope or group dropped or released
 * inside its block there (cancel.c, taskgroup.c). */
bool ac__bridge_call(void (*fn)(void *), void *arg);

#endif /* AC_INTERNAL_H */
