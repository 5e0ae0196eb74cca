/* ac/taskgroup.h: task groups (structured concurrency).
 *
 *     async with (ac_taskgroup *tg = ac_taskgroup()) {
 *         for (int i = 0; i < n; i++)
 *             await ac_taskgroup_spawn(tg, fetch(i), &out[i]);
 *     }   -- waits for every child
 *
 * A group is a cancel scope around its body and every child; the children
 * also sit inside every scope that encloses the group, so cancelling any of
 * those reaches them.  Leaving the block waits for every child to finish
 * (its cleanup included).
 *
 * ac_taskgroup() is asyncio's TaskGroup: the first child that fails with an
 * error other than ECANCELED (or the body leaving with one) cancels the
 * group's scope: the body and every sibling.  The block then throws an
 * error group (AC_EGROUP, message "task group") of every such error: the children's in the order
 * they finished, then the body's; ECANCELED is never a member.  A failing
 * group refuses new children.
 *
 * ac_taskgroup_extra() is extraasync's ExtraTaskGroup, the no-cancel
 * policy: a failure cancels neither the siblings nor the body; exit waits
 * for every child; all errors come back as one group; spawning stays
 * possible after a failure.  Cancellation of a scope around the group (a
 * timeout, ac_task_cancel of the host, an outer group) still reaches its
 * children, as for the default group.  The errors of failed children are
 * kept until exit, so a long-lived group holds them in memory.
 *
 * A child that ends because it alone was cancelled (ac_task_cancel) is not
 * an error.  When nothing failed but a scope around the group was
 * cancelled, ECANCELED goes on outward from the block.  A group value is
 * single use; it outlives its block (a spawn into it is then refused,
 * "finished") until its value is released: `async with` over a call does
 * it, a value kept in a variable is released with ac_cm_release() after
 * the block (ac/cm.h: an `async with` over the variable exits it, which
 * must not find it freed); one released while its exit waits for the
 * children is freed as the exit ends.  Dropping the value
 * (ac_cm_drop, or an exit stack freed without unwinding) is releasing it:
 * inside its block, which nothing will exit then (a group entered by hand,
 * or through that exit stack), the group leaves its host's chain and is
 * cancelled, since nothing will wait for its children, and it is freed
 * when the last of them ends.
 *
 * A task that ends inside a group it entered by hand (ac_cm_enter, and no
 * ac_cm_exit) leaves it unexited: nothing will wait for its children, so
 * the group is cancelled and they end at their next suspension point.
 * Nothing waits for that either: ac_run returns when its own task ends,
 * and such children run on (their cancellation, their cleanup) during the
 * thread's next ac_run; with none, they never finish.  A
 * spawn into it is refused ("finished"), a later exit throws AC_ESTATE
 * "task group: not exited before its task ended"; a value released while
 * children still run is freed when the last of them ends.
 * A group exited by another task than the one that entered it (ac_cm_exit,
 * or through a @contextmanager value) becomes that task's, as if entered
 * there: the exit waits in it, its scopes and its end reach the children.
 * A task inside the group may not exit it (AC_ESTATE "task group: exited
 * by a task of its own group").
 */
#ifndef AC_TASKGROUP_H
#define AC_TASKGROUP_H

#include <stddef.h>

#include "ac/cm.h"
#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_taskgroup ac_taskgroup;

ac_cm ac_taskgroup_open(void);   /* cancelling policy */
ac_cm ac_taskgroup_extra(void);  /* no-cancel policy */

/* The policy as a flag: ac_taskgroup_new(0) is ac_taskgroup_open(),
 * ac_taskgroup_new(AC_TG_NO_CANCEL) is ac_taskgroup_extra().  Unknown flags
 * make a manager whose entry throws EINVAL. */
#define AC_TG_NO_CANCEL 0x1u
ac_cm ac_taskgroup_new(unsigned flags);

/* `ac_taskgroup()` names the manager (ac_taskgroup(AC_TG_NO_CANCEL): the
 * no-cancel one), `ac_taskgroup` (without parentheses) the type. */
#define ac_taskgroup(...) ac_taskgroup_new(__VA_ARGS__ + 0u)

/* Start coroutine object `coro` (a call of an async function without
 * await) as a child of tg; when it finishes, its result is stored through
 * `result` (NULL: dropped), which must stay valid until the group's block is
 * left.  Throws AC_ESTATE when tg takes no children ("not entered" yet,
 * "finished", or "shutting down" after a failure), EINVAL for a NULL tg,
 * and ENOMEM (coro NULL); the coroutine is then disposed of.  The child is queued to run and gets its task when its turn
 * comes; without memory for the task then, it fails with ENOMEM without
 * running, an error of the group like any child's. */
/*acc: async void ac_taskgroup_spawn(ac_taskgroup *tg, ac_coro *coro, void *result); */
ac_coro *ac_taskgroup_spawn(ac_taskgroup *tg, ac_coro *coro, void *result);
int ac_taskgroup_spawn__await(ac_frame *caller, void *ret, ac_taskgroup *tg, ac_coro *coro,
                              void *result);

size_t ac_taskgroup_count(const ac_taskgroup *tg);  /* live children */
/* Cancel tg's scope by hand: its body and every child.  Valid until tg's
 * value is released: before the group is entered (it is cancelled from
 * entry), and once its block is over (nothing is left to cancel), too. */
void ac_taskgroup_cancel(ac_taskgroup *tg);

#ifdef __cplusplus
}
#endif
#endif /* AC_TASKGROUP_H */
