/* ac/loop.h: running coroutines from synchronous code, time, and the leaf
 * waits of the POSIX loop (sleep, fd readiness).
 *
 * Each thread has one loop, created by its first ac_run() and reused by the
 * later ones; it is freed when the thread exits.  A loop runs in turns: a
 * turn runs the tasks that were ready when it began (in FIFO order), then
 * polls the fds (without blocking if a task is ready), then fires the
 * expired timers.
 */
#ifndef AC_LOOP_H
#define AC_LOOP_H

#include <stdint.h>

#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Run `coro` to completion as the root frame of a new task on this thread's
 * loop.  If result != NULL the callee writes its result through it (it must
 * point to an object of the function's return type).  Always consumes
 * `coro`.  Returns the task's error (the caller owns it) or NULL.  Errors of
 * its own: ENOMEM when coro == NULL (a coroutine constructor that ran out of
 * memory returns NULL) or the loop or task cannot be created; AC_ESTATE
 * "ac_run called from a running task" when a task of this thread is running
 * (a synchronous function called from a task must not block the loop). */
ac_error *ac_run(ac_coro *coro, void *result);

/* Monotonic clock in milliseconds (arbitrary origin). */
int64_t ac_now(void);

/* Readiness events for ac_wait_fd(). */
#define AC_READABLE 0x1
#define AC_WRITABLE 0x2

/* Suspend the task until ac_now() has advanced by at least `ms`.  The clock
 * counts whole milliseconds, so the real time slept may be up to 1 ms less
 * (sleep ms + 1 to be sure of ms).  ms <= 0 suspends too:
 * the task goes to the back of the ready queue and resumes on the next loop
 * turn, after the tasks that were already ready (a yield).  Throws ENOMEM if
 * the timer cannot be registered. */
/*acc: async void ac_sleep(long ms); */
ac_coro *ac_sleep(long ms);
int ac_sleep__await(ac_frame *caller, void *ret, long ms);

/* Wait until fd is ready for any of `events` (AC_READABLE | AC_WRITABLE) and
 * return the ready ones.  An error or hang-up condition on the fd counts as
 * ready for every requested event (the next read or write reports it).
 * Throws EINVAL for a bad `events`, EBADF for a negative fd, and the
 * backend's errno (EPERM for a regular file under epoll, ENOMEM...) if the
 * fd cannot be watched.  Close a watched fd with ac_close, which wakes its
 * waiters with EBADF: a plain close(2) leaves them waiting (as epoll does). */
/*acc: async int ac_wait_fd(int fd, int events); */
ac_coro *ac_wait_fd(int fd, int events);
int ac_wait_fd__await(ac_frame *caller, void *ret, int fd, int events);

/* A loop-stop callback. */
typedef void (*ac_loop_stop_fn)(void *arg);

/* Register fn(arg) to run once when this thread's loop next stops: at the end
 * of the current ac_run(), or of the next one if none is running.  The loop
 * stops when the root task of ac_run() has finished and its coroutine has
 * been freed; the callbacks registered at that moment then run in
 * registration order, with no task running, before ac_run() returns.  Each
 * runs once and its registration ends.  A callback registered by a callback
 * runs at the following stop.  Returns a handle (never 0), or 0 when fn is
 * NULL, memory runs out, or the caller is a pool thread of the thread
 * bridge running its function (ac/thread.h): such a thread has no loop
 * that stops (its ac_run runs on the loop that started it), so a callback
 * registered there would never run. */
unsigned long ac_loop_on_stop(ac_loop_stop_fn fn, void *arg);

/* Remove a registration that has not run yet (also from inside another
 * stop callback).  Returns 0, or EINVAL if this thread's loop holds no such
 * registration (already run, removed, or made on another thread). */
int ac_loop_on_stop_remove(unsigned long handle);

/* Coroutine objects (a spawned task and its frame are one of them) and the
 * runtime's small manager values (exit stacks and their entries, cancel
 * scopes, task groups) come from a pool of 64 KiB slabs per thread, not
 * from malloc for each.  A slab whose
 * objects have all been freed stays with its thread for the next ones, as
 * malloc keeps freed small blocks (a slab serves one size class: a thread
 * keeps, per class, the most it had in use at once): memory is not given
 * back to the system until the thread exits, memory runs out, or the thread
 * calls ac_pool_trim(), which releases this thread's empty slabs.  The pool
 * is off under AddressSanitizer and valgrind
 * (so that they check every object) and when the environment has AC_POOL=0;
 * AC_POOL=1 turns it on even there.  AC_POOL=check makes a process whose
 * exiting thread still holds such an object that was never freed say so
 * on stderr and exit with status 3. */
void ac_pool_trim(void);

#ifdef __cplusplus
}
#endif
#endif /* AC_LOOP_H */
