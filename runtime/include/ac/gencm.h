/* ac/gencm.h: the runtime side of `@contextmanager` functions.  Only the C
 * that acc generates uses this header; nothing here is for users.
 *
 * A @contextmanager function G is an async function whose frame begins with
 * `ac_frame hdr; ac_error *ac_handled; ac__gencm ac_gc;`.  Its `yield v` stores v through hdr.ret
 * and returns AC_DONE without finishing the frame: to G's caller that looks
 * like an await that completed, so the caller's `async with` goes on with
 * the body while G's frame stays where it is.  The exit resumes G at its
 * yield, with the body's error (if any) raised there, and G runs to its end.
 *
 * Two ways to hold G's frame:
 * - `async with (x = g(args))` pushes it on the task's frame stack with
 *   g__enter() (no heap allocation): the body's own frames are pushed above
 *   it and popped before the exit resumes it, so the stack stays LIFO;
 * - g(args) anywhere else returns an ac_cm of class ac__gencm_class whose
 *   `self` is a heap frame (a coroutine object), freed when G finishes.
 *
 * The protocol (Python's @asynccontextmanager): no yield is "generator
 * didn't yield"; G finishing after the exit suppresses the body's error; G
 * passing that same error through means "not suppressed"; a second yield is
 * "generator didn't stop" (or "... after throw()"), and G is then closed: the
 * close (AC_EGENCLOSE) is raised at that yield, G's cleanups run, and if
 * the close reaches G's end the protocol error replaces it.
 *
 * Running (a value): from the request that resumes G (the value's enter or
 * its exit) until G yields or finishes.  G may then wait at an await of
 * its body, where another task, or G itself, can reach the value.  A
 * request then fails with AC_ESTATE and changes nothing, since resuming G
 * would take it from the frames waiting for it: an exit while the enter
 * runs is "not entered yet: ...", one while the exit runs "already
 * exiting: ...", an enter "already entered: ..." as after any first entry.
 * Dropping the value then (ac_cm_drop, an exit stack freed or an entry
 * removed from it) does nothing: the request keeps the frame (the exit
 * frees it as G finishes; an enter leaves the value entered, for whoever
 * entered it to exit).  Not running, an exit of a value never entered is
 * "not entered" (and leaves it so: its holder may still enter it, or drop
 * or release it, which frees its frame), and one after G has finished (the
 * value was exited, or its enter failed) "finished: ...".
 *
 * Dropped (a value): dropped while it is entered and paused at its yield,
 * the value is closed: the close (AC_EGENCLOSE) is raised at the yield in a
 * task of its own, and the scopes and groups G entered before its yield
 * move there from the entering task (gencm.c, "dropped values").  The
 * value path records them at its first yield (ac__gencm_value_yielded).
 */
#ifndef AC_GENCM_H
#define AC_GENCM_H

#include <stdbool.h>
#include <string.h>

#include <stdint.h>

#include "ac/cm.h"
#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac__gencm {
    void **out;          /* value path: where enter puts the entered value */
    bool *sup;           /* where exit puts "suppressed" */
    ac_error *thrown;    /* the error exit raised at the yield (not owned) */
    ac_error *close;     /* the close raised after a second yield (owned) */
    ac_error *reason;    /* the protocol error that then replaces it (owned) */
    unsigned char phase; /* 0 before the yield, 1 yielded, 2 resumed by exit */
    unsigned char entered; /* value path: entered once already */
    unsigned char ignored; /* it yielded after the close: the close raised
                              again passes every catch (ac__gencm_close_final) */
    uint32_t serial;     /* value path: its number among the live values of
                            this thread (ac__gencm_value); 0 if none */
} ac__gencm;

/* The start every @contextmanager frame shares. */
typedef struct ac__gencm_frame {
    ac_frame hdr;
    ac_error *handled; /* (ac__hframe) */
    ac__gencm gc;
} ac__gencm_frame;

/* The class of @contextmanager values: the ac_cm holds the frame (self)
 * and its serial number (data.p[0]); the class reaches the frame through
 * this thread's table of live values, so that a copy of a value used after
 * the frame is gone meets AC_ESTATE, not freed memory. */
extern const ac_cm_class ac__gencm_class;

/* The manager value of frame f (a coroutine object, NULL without memory:
 * entering the value then throws ENOMEM); f is freed if it cannot be
 * registered. */
ac_cm ac__gencm_value(void *f);

/* The protocol state of a @contextmanager frame pushed on a frame stack
 * (not zeroed, unlike a coroutine object), before it starts. */
static inline void ac__gencm_init(ac__gencm *gc)
{
    memset(gc, 0, sizeof *gc);
}

/* The frame of a @contextmanager entered directly by `caller` (see
 * ac__frame_push_held). */
static inline void *ac__gencm_push(ac_frame *caller, size_t size, size_t align, void *ret)
{
    return ac__frame_push_held(caller, size, align, ret);
}

/* ac__gencm_push without calling the runtime: NULL where it would (see
 * ac__frame_push_fast). */
static inline void *ac__gencm_push_fast(ac_frame *caller, size_t size, size_t align, void *ret)
{
    return ac__frame_push_held_fast(caller, size, align, ret);
}

/* Is f's error in flight the close, raised again at a yield because the
 * generator caught it and yielded?  Then no catch of the generator catches
 * it any more, so that a generator that catches everything in a loop
 * still ends (its cleanups run); generated catches test this first. */
static inline int ac__gencm_close_final(const ac_frame *f)
{
    const ac__gencm *gc = &((const ac__gencm_frame *)(const void *)f)->gc;
    return gc->ignored && f->err == gc->close;
}

/* At a `yield`: returns 0 to go on and yield, or 1 after making f->hdr.err
 * the error to raise at the yield instead (a second yield, or any yield
 * while the generator is being closed). */
int ac__gencm_yield_slow(ac_frame *f);
static inline int ac__gencm_yield(ac_frame *f)
{
    ac__gencm *gc = &((ac__gencm_frame *)(void *)f)->gc;
    return gc->phase < 2 && !gc->close ? 0 : ac__gencm_yield_slow(f);
}

/* A value's frame f yields: note the scopes it is inside (see "Dropped"). */
void ac__gencm_value_yielded(ac_frame *f);

/* Yield: the value is stored through f->ret already; `as_ptr` is how the
 * value path sees it (the value if it is a pointer, else its address).
 * Returns AC_DONE: the caller goes on. */
static inline int ac__gencm_suspend(ac_frame *f, ac_resume_fn fn, void *as_ptr)
{
    ac__gencm *gc = &((ac__gencm_frame *)(void *)f)->gc;
    if (gc->out) { /* the value path */
        *gc->out = as_ptr;
        ac__gencm_value_yielded(f);
    }
    gc->phase = 1;
    f->resume = fn;
    return AC_DONE;
}

/* Finish G (instead of ac__frame_return): applies the protocol rules above,
 * reports suppression, and frees a coroutine-object frame. */
int ac__gencm_return_slow(ac_frame *f);
static inline int ac__gencm_return(ac_frame *f)
{
    ac__gencm *gc = &((ac__gencm_frame *)(void *)f)->gc;
    if (gc->phase == 2 && !f->err && !gc->thrown && !gc->close && !(f->flags & AC_FRAME_CORO))
        return ac__frame_return(f); /* the common end: a normal exit */
    return ac__gencm_return_slow(f);
}

/* The exit of `async with (x = g(args))`: resume G (frame g) at its yield
 * with err raised there (NULL: none; not owned); *sup says afterwards
 * whether err was suppressed.  Returns AC_DONE when G has finished, else
 * AC_PENDING (the caller is resumed when it has). */
static inline int ac__gencm_exit(ac_frame *caller, bool *sup, ac_frame *g, ac_error *err)
{
    ac__gencm *gc = &((ac__gencm_frame *)(void *)g)->gc;
    *sup = false;
    gc->sup = sup;
    gc->thrown = err;
    gc->phase = 2;
    g->caller = caller;
    g->task = caller->task;
    g->err = err ? ac_error_retain(err) : NULL;
    return ac__frame_start_fn(g, g->resume);
}

#ifdef __cplusplus
}
#endif
#endif /* AC_GENCM_H */
