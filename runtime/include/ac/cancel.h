/* ac/cancel.h: cancellation, cancel scopes, timeouts and shields.
 *
 * The model (BEHAVIOURS D1, D2): cancellation is level-triggered and goes
 * by scopes.  A task runs inside a chain of cancel scopes: its root scope
 * (ac_task_cancel), and the scopes its `async with` blocks enter.  Once a
 * scope is cancelled (by hand, or because its deadline has passed), every
 * suspension point inside it fails with ECANCELED until control leaves the
 * scope; catching the error does not un-cancel.  A leaf wait (timer, fd) is
 * withdrawn when cancellation reaches a task blocked in it.
 *
 * A shielded scope hides the cancellation of the scopes outside it (not of
 * those inside, nor its own).  Cleanup (defer, errdefer, the exits of
 * `async with`, the close of an `async for`) runs shielded automatically;
 * scopes opened inside cleanup work.
 *
 * When ECANCELED leaves a cancelled scope and no enclosing scope visible
 * from it (up to a shield) is cancelled, the scope absorbs it (the
 * outermost cancelled scope absorbs): ac_move_on_after and a plain scope end
 * silently, ac_timeout throws ETIMEDOUT with the ECANCELED as context, the
 * root scope ends the task with it.  A timeout that would have absorbed but
 * sees another error inserts an ETIMEDOUT in front of the first ECANCELED
 * of that error's chain (BEHAVIOURS TO-28).
 *
 *     async with (ac_scope *t = ac_timeout(100)) {
 *         await slow();          -- ETIMEDOUT out of the block after 100 ms
 *     }
 *
 * A scope value is a heap object: `async with` over a call (as above)
 * releases it at the end of the statement; a value kept in a variable (to
 * query it afterwards) is released with ac_cm_release() after the block
 * (not inside it: the block's exit would find it freed, ac/cm.h).  The
 * entered `ac_scope *` is valid as long as the value.
 *
 * A scope scopes the rest of the task that enters it.  A task that ends
 * inside a scope it entered by hand (ac_cm_enter, and no ac_cm_exit) leaves
 * it as if exited without an error (its state: finished, or expired), but
 * a later exit throws AC_ESTATE "cancel scope: not exited before its task
 * ended"; its deadline no longer reaches anything.
 */
#ifndef AC_CANCEL_H
#define AC_CANCEL_H

#include <stdbool.h>
#include <stdint.h>

#include "ac/cm.h"
#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_scope ac_scope;

/* A delay or deadline meaning "never". */
#define AC_FOREVER INT64_MAX

/* Managers entering a cancel scope; the entered value is the ac_scope *.
 * Without memory, entering throws ENOMEM. */
ac_cm ac_timeout(int64_t ms);         /* ETIMEDOUT when the deadline passes */
ac_cm ac_timeout_at(int64_t when);    /* the same, deadline on ac_now()'s clock */
ac_cm ac_move_on_after(int64_t ms);   /* the body ends silently at the deadline */
ac_cm ac_move_on_at(int64_t when);
ac_cm ac_cancel_scope(void);          /* cancelled only by hand (ac_scope_cancel) */
ac_cm ac_shield(void);                /* a shielded scope */

/* The scope of a manager value made by the calls above (to query it after
 * its block), or NULL for another value. */
ac_scope *ac_scope_of(const ac_cm *cm);

/* Cancel scope s by hand (also before it is entered: it is then cancelled
 * from entry).  Cancelling twice is cancelling once. */
void ac_scope_cancel(ac_scope *s);

/* Switch s's shield, live or not yet entered.  Unshielding a live scope
 * lets an outer cancellation reach its task at once. */
void ac_scope_set_shield(ac_scope *s, bool on);

bool ac_scope_cancel_called(const ac_scope *s);    /* cancelled, by hand or deadline */
bool ac_scope_cancelled_caught(const ac_scope *s); /* it absorbed a cancellation (a
                                                      timeout that turned it into
                                                      ETIMEDOUT too) */
int64_t ac_scope_deadline(const ac_scope *s);      /* AC_FOREVER: none */

/* Move the deadline of scope s (ac_now()'s clock; AC_FOREVER: none): any
 * kind of scope (a plain scope gets one).
 * Returns NULL, or an error (the caller's): a timeout refuses with
 * AC_ESTATE, message "not entered", "expiring" (its deadline passed and the
 * block is not left yet), "expired" or "finished".  A deadline that has
 * passed has cancelled the scope: moving it later does not un-cancel it. */
ac_error *ac_timeout_reschedule(ac_scope *s, int64_t when);

/* A timeout's state; the same for any scope with a deadline (ac_move_on_after,
 * ac_move_on_at, a scope given one by ac_timeout_reschedule).  A scope
 * without one is only ever created, active or finished. */
typedef enum ac_timeout_state {
    AC_TIMEOUT_CREATED,  /* not entered */
    AC_TIMEOUT_ACTIVE,   /* entered, deadline not passed */
    AC_TIMEOUT_EXPIRING, /* deadline passed, the block not left yet */
    AC_TIMEOUT_EXPIRED,  /* left after its deadline passed */
    AC_TIMEOUT_FINISHED  /* left before its deadline */
} ac_timeout_state;
ac_timeout_state ac_timeout_state_of(const ac_scope *s);
bool ac_timeout_expired(const ac_scope *s); /* expired, or expiring (inside its
                                               block after its deadline) */

/* The task running on this thread now (NULL outside tasks), and cancelling
 * a task: its root scope is cancelled (see above).
 *
 * LIFETIME.  An ac_task * (from ac_task_current(), or a frame's `task` in
 * a primitive) names its task until the task ends, when its root coroutine
 * returns: for ac_run's task, before ac_run returns; for a group's child,
 * as soon as its function returns.  Then the task's memory is freed and
 * reused for later tasks at once (nothing counts the pointers kept to it):
 * the pointer must not be used any more.  Cancelling it may cancel an
 * unrelated task, or corrupt memory; a build of libac without NDEBUG
 * aborts when it sees that the task has finished (as long as its memory
 * has not been reused).  Cancelling a task that has not ended, from code
 * on its thread, is always fine.  To cancel work that may have finished,
 * either
 *   - have the task forget itself before it ends, with a `defer` at the top
 *     of its function:  `me = ac_task_current(); defer { me = NULL; }`,
 *     and cancel only a non-NULL `me`; or
 *   - cancel a scope instead: a scope value kept in a variable
 *     (`ac_cm sc = ac_cancel_scope();`, entered in the task) may be
 *     cancelled with ac_scope_cancel() until the value is released, whether
 *     its block is running or over (over, it does nothing); or, for a
 *     group's children, ac_taskgroup_cancel() until the group's value is
 *     released. */
ac_task *ac_task_current(void);
void ac_task_cancel(ac_task *t);

/* Test hook: the task that reaches the n-th suspension point from now on
 * (n >= 1; a leaf wait or a yield, by any task of this thread, counted as
 * it is reached, before its cancellation check; a wait on a lock,
 * semaphore or queue counts again when it is woken and tries again) is
 * cancelled there with ac_task_cancel(), as if another task had done it
 * just before.  0 turns the hook off.  Points are counted while the hook is
 * on (from a call with n >= 1 to the next call with 0, whether or not the
 * cancellation was injected); the call returns how many were counted since
 * the last call, so that a test can step n through a scenario until it
 * completes with no cancellation injected.  Per thread, like
 * ac_alloc_fail_at(). */
unsigned long ac_cancel_inject_at(unsigned long n);

/* A scope's place in its task's chain (the runtime's; see ac/frame.h). */
typedef struct ac__scope ac__scope;
struct ac__scope {
    ac__scope *up;       /* the enclosing scope, NULL: the task's root */
    uint32_t depth;      /* the task's cleanup nesting when it was entered */
    unsigned char shield;
    unsigned char cancelled;
    unsigned char dead;  /* its deadline has passed (set by its timer) */
    unsigned char timed : 1; /* it has a deadline (in the ac_scope around
                                this link, of which it is the first member) */
    unsigned char group : 1; /* it is a task group's link (else, but for a
                                task's root link, an ac_scope's) */
};

#ifdef __cplusplus
}
#endif
#endif /* AC_CANCEL_H */
