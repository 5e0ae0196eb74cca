/* ac/thread.h: the thread bridge (extraasync's sync_to_async and
 * async_to_sync).
 *
 * `await ac_to_thread(fn, arg)` runs the blocking function fn(arg) on a
 * thread of a process-wide pool and returns what it returns; the awaiting
 * task waits, the other tasks of its loop go on running.  The pool starts
 * a thread whenever a call finds none idle (so calls nested through
 * bridge mode, below, never wait for each other) and reuses idle threads.
 *
 * Bridge mode: while fn runs, ac_run(coro, &result) called from its thread
 * (directly or from functions it calls) runs coro as a task of the loop
 * that awaited ac_to_thread, not on a loop of the pool thread, and blocks
 * the pool thread until that task has finished; its error and result come
 * back as from any ac_run.  So blocking code called from async code can
 * call async code again, to any depth.
 *
 * Cancellation: fn cannot be interrupted, so the wait for it is not a
 * leaf wait that cancellation withdraws.  A task cancelled while fn runs
 * gets fn's result, and meets the cancellation at its next suspension
 * point (level-triggered): arg, which usually points into the awaiting
 * frame, stays valid for as long as fn runs.
 *
 * Dropping values of the loop's tasks from fn: a @contextmanager value
 * (ac_cm_drop) or an async generator value (ac_aiter_free) made on the
 * loop's thread and dropped or freed in fn, and a cancel scope or task
 * group entered by a task there and dropped or released in fn, are handled
 * on that loop, in a task there (as by ac_run above): an entered or paused
 * value is closed there, where the tasks holding its scopes run, as a drop
 * by one of its tasks would close it, and a scope or group leaves its task
 * there.
 *
 * Task-local values (ac/local.h) go along: fn runs with a copy of the
 * awaiting task's, and ac_run from its thread gives its task a copy of the
 * thread's; what fn changes stays on its thread, for the rest of the call.
 *
 * Errors: EAGAIN (or the errno of the failure) when no pool thread can be
 * started and none is idle, or once the process is exiting; ENOMEM
 * without memory; EINVAL for a NULL fn.  An error that comes back from
 * bridge mode is the pool thread's own (a copy, when the loop's error
 * held one of the loop thread's preallocated ENOMEM errors).
 *
 * At process exit (atexit) the idle pool threads end and are joined; a
 * thread still running a function is left running, so that the exit
 * cannot hang on it.
 */
#ifndef AC_THREAD_H
#define AC_THREAD_H

#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A blocking function to run on a pool thread. */
typedef void *(*ac_thread_fn)(void *arg);

/* Run fn(arg) on a pool thread; returns its result. */
/*acc: async void *ac_to_thread(ac_thread_fn fn, void *arg); */
ac_coro *ac_to_thread(ac_thread_fn fn, void *arg);
int ac_to_thread__await(ac_frame *caller, void *ret, ac_thread_fn fn, void *arg);

/* Is this thread a pool thread running a function for ac_to_thread (where
 * ac_run works in bridge mode)? */
int ac_in_thread_bridge(void);

#ifdef __cplusplus
}
#endif
#endif /* AC_THREAD_H */
