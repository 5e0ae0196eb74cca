/* ac/exitstack.h: the exit stack, Python's AsyncExitStack and asyncstdlib's
 * async-neutral ExitStack in one.
 *
 *     async with (ac_exit_stack *st = ac_exit_stack_open()) {
 *         for (int i = 0; i < n; i++)
 *             conns[i] = await ac_exit_stack_enter(st, pooled(pool));
 *         ...
 *     }   -- exits every registration, last first
 *
 * Three forms of registration, each sync or async (the function's type
 * decides: a plain function, or an async one named by its coroutine
 * constructor), all in one LIFO order:
 *   enter     enter a manager now; register its exit only if that succeeded;
 *   push      register an exit function (sees the error in flight, returns
 *             true to suppress it), or the exit of a manager value;
 *   callback  register a function with a copy of its arguments (sees no
 *             error and cannot suppress, whatever it returns).
 * Unwinding (the stack's exit, or ac_exit_stack_aclose) gives exactly the
 * outcome of the equivalent nested `async with` statements, contexts
 * included; it is iterative (100,000 entries use constant C stack) and
 * needs no memory of its own, so the plain entries of a stack always run.
 * An async entry given by its coroutine constructor needs memory for its
 * coroutine when it runs: if there is none, it does not run (a manager is
 * dropped) and ENOMEM, with the error in flight in its context chain,
 * goes on in its place.  Unwinding a stack that is unwinding already is
 * AC_ESTATE "already unwinding".
 * Entries are removed as they run.  Every registration returns a handle
 * (never 0, unique on the thread) that ac_exit_stack_remove() takes.
 * A NULL stack, a NULL function or a value that is not a manager is EINVAL
 * and registers nothing; without memory a registration throws ENOMEM and
 * registers nothing.  A manager value given to a registration that refuses
 * it so is dropped (ac_cm_drop): nothing else would ever exit it (a NULL
 * stack is what ac_exit_stack_new gives without memory).
 */
#ifndef AC_EXITSTACK_H
#define AC_EXITSTACK_H

#include <stdbool.h>
#include <stddef.h>

#include "ac/cm.h"
#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_exit_stack ac_exit_stack;
typedef unsigned long long ac_exit_handle; /* 0: none */

/* Exit functions: a plain one throws by storing a new error in *raise. */
typedef bool (*ac_exit_fn)(void *arg, ac_error *err, ac_error **raise);
typedef ac_coro *(*ac_aexit_fn)(void *arg, ac_error *err); /* async bool f(void *, ac_error *) */
/* Callbacks receive their copy of the arguments. */
typedef void (*ac_callback_fn)(void *args, ac_error **raise);
typedef ac_coro *(*ac_acallback_fn)(void *args); /* async (any type) f(void *args) */

/* A manager over a new stack: enters as the `ac_exit_stack *`, exits by
 * unwinding it, then frees it.  Without memory, entering throws ENOMEM.
 * (Named ..._open because `ac_exit_stack` is the type.) */
ac_cm ac_exit_stack_open(void);

/* A stack of one's own (what pop_all returns is one too): NULL without
 * memory.  Free it with ac_exit_stack_free(), which runs no exit and drops
 * the managers it holds (an entered @contextmanager value is closed then:
 * ac/gencm.h, "Dropped"): unwind it first (ac_exit_stack_aclose) if it holds
 * registrations.  Freed while it unwinds (by one of its callbacks, or
 * another task), it drops the registrations that have not run and is
 * freed when the unwinding ends, after the entry running. */
ac_exit_stack *ac_exit_stack_new(void);
void ac_exit_stack_free(ac_exit_stack *st);

/* A manager over an existing stack: enters as st, exits by unwinding it
 * (st stays allocated). */
ac_cm ac_exit_stack_cm(ac_exit_stack *st);

/* Enter *cm (a copy of it is kept) and register its exit; returns the
 * entered value.  The stack owns its copy: once the exit has run it
 * releases it (ac_cm_release), as `async with` over a call does, so query
 * a cancel scope or group entered this way before the stack unwinds.  EINVAL for a value that is not a manager: nothing is
 * entered or registered.  The entry is allocated before entering, so a
 * manager that entered is always registered: without memory it is not
 * entered (it is dropped) and ENOMEM propagates; if its enter throws,
 * nothing is registered (XS-31).  Run as a task of its own (ac_run of the
 * coroutine from plain C, or spawned), it refuses a task-bound manager
 * (AC_CM_TASK: a task group, a cancel scope), which would be bound to a
 * task that ends at once: AC_ESTATE "NAME: no running task", as
 * ac_cm_enter; nothing of the manager is called, nothing is registered,
 * and the value is dropped. */
/*acc: async void *ac_exit_stack_enter(ac_exit_stack *st, ac_cm cm); */
ac_coro *ac_exit_stack_enter(ac_exit_stack *st, ac_cm cm);
int ac_exit_stack_enter__await(ac_frame *caller, void *ret, ac_exit_stack *st, ac_cm cm);

/* The handle of the newest registration of st (0 if none): how to get the
 * handle of an ac_exit_stack_enter. */
ac_exit_handle ac_exit_stack_last(const ac_exit_stack *st);

/* Register the exit of manager value cm (its enter is never called); the
 * stack owns its copy as above. */
/*acc: async ac_exit_handle ac_exit_stack_push(ac_exit_stack *st, ac_cm cm); */
ac_coro *ac_exit_stack_push(ac_exit_stack *st, ac_cm cm);
int ac_exit_stack_push__await(ac_frame *caller, void *ret, ac_exit_stack *st, ac_cm cm);

/* Register exit function fn(arg, err): plain (ac_exit_fn) or async
 * (ac_aexit_fn).  NULL fn: EINVAL, nothing registered. */
/*acc: async ac_exit_handle ac_exit_stack_push_exit(ac_exit_stack *st, ac_exit_fn fn, void *arg); */
#define ac_exit_stack_push_exit(st, fn, arg) \
    _Generic((fn), ac_aexit_fn: ac__exit_stack_push_aexit, default: ac__exit_stack_push_exit)((st), (fn), (arg))
#define ac_exit_stack_push_exit__await(caller, ret, st, fn, arg)                                   \
    _Generic((fn), ac_aexit_fn: ac__exit_stack_push_aexit__await,                                \
             default: ac__exit_stack_push_exit__await)((caller), (ret), (st), (fn), (arg))
ac_coro *ac__exit_stack_push_exit(ac_exit_stack *st, ac_exit_fn fn, void *arg);
ac_coro *ac__exit_stack_push_aexit(ac_exit_stack *st, ac_aexit_fn fn, void *arg);
int ac__exit_stack_push_exit__await(ac_frame *caller, void *ret, ac_exit_stack *st, ac_exit_fn fn,
                                    void *arg);
int ac__exit_stack_push_aexit__await(ac_frame *caller, void *ret, ac_exit_stack *st,
                                     ac_aexit_fn fn, void *arg);

/* Register callback fn with a copy of the `size` bytes at `args` (size 0:
 * fn receives `args` itself): plain (ac_callback_fn) or async
 * (ac_acallback_fn).  NULL fn: EINVAL, nothing registered.  (The coroutine
 * object copies the arguments when it runs, not when it is made.) */
/*acc: async ac_exit_handle ac_exit_stack_callback(ac_exit_stack *st, ac_callback_fn fn, const void *args, size_t size); */
#define ac_exit_stack_callback(st, fn, args, size)                                             \
    _Generic((fn), ac_acallback_fn: ac__exit_stack_acallback,                                  \
             default: ac__exit_stack_callback)((st), (fn), (args), (size))
#define ac_exit_stack_callback__await(caller, ret, st, fn, args, size)                         \
    _Generic((fn), ac_acallback_fn: ac__exit_stack_acallback__await,                           \
             default: ac__exit_stack_callback__await)((caller), (ret), (st), (fn), (args), (size))
ac_coro *ac__exit_stack_callback(ac_exit_stack *st, ac_callback_fn fn, const void *args, size_t size);
ac_coro *ac__exit_stack_acallback(ac_exit_stack *st, ac_acallback_fn fn, const void *args,
                                  size_t size);
int ac__exit_stack_callback__await(ac_frame *caller, void *ret, ac_exit_stack *st,
                                   ac_callback_fn fn, const void *args, size_t size);
int ac__exit_stack_acallback__await(ac_frame *caller, void *ret, ac_exit_stack *st,
                                    ac_acallback_fn fn, const void *args, size_t size);

/* Move every registration of st, in order, to a new stack and return it
 * (st is left empty; handles follow their entries).  ENOMEM: nothing moves.
 * The new stack is the caller's, to unwind (ac_exit_stack_aclose) and free
 * (ac_exit_stack_free) like any from ac_exit_stack_new.  In .ac code a
 * discarded `await ac_exit_stack_pop_all(st);` still receives it (acc
 * stores every result, used or not): write ac_exit_stack_free(await
 * ac_exit_stack_pop_all(st)) to drop the registrations, or it leaks.  Only
 * a NULL result pointer (ac_run(ac_exit_stack_pop_all(st), NULL) from C)
 * frees it at once: its registrations never run. */
/*acc: async ac_exit_stack *ac_exit_stack_pop_all(ac_exit_stack *st); */
ac_coro *ac_exit_stack_pop_all(ac_exit_stack *st);
int ac_exit_stack_pop_all__await(ac_frame *caller, void *ret, ac_exit_stack *st);

/* Unwind st now, as leaving `async with` without an error would; the
 * final error, if any, propagates.  st stays usable (and empty).  Errors
 * thrown by plain exits and callbacks (through *raise) get their context
 * like thrown ones, but no source location.  The registrations run as
 * cleanup, shielded (BEHAVIOURS D2), as at the stack's exit: a cancelled
 * scope around the call does not interrupt them. */
/*acc: async void ac_exit_stack_aclose(ac_exit_stack *st); */
ac_coro *ac_exit_stack_aclose(ac_exit_stack *st);
int ac_exit_stack_aclose__await(ac_frame *caller, void *ret, ac_exit_stack *st);

/* Remove the registration `h` without running it (an entered manager is
 * not exited: the caller takes it over; a pushed manager value is dropped)
 * and free its entry.  Returns 0, or EINVAL if st does not hold h (removed,
 * already run, moved away, another stack's).  Safe from inside a running
 * exit or callback: the entry removed then never runs. */
int ac_exit_stack_remove(ac_exit_stack *st, ac_exit_handle h);

/* Registrations st holds. */
size_t ac_exit_stack_size(const ac_exit_stack *st);

#ifdef __cplusplus
}
#endif
#endif /* AC_EXITSTACK_H */
