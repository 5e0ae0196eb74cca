/* ac/gen.h: the runtime side of async generators.  Only the C that acc
 * generates uses this header; nothing here is for users.
 *
 * An async generator G (an async function with `yield` that is not a
 * @contextmanager) has a frame that begins with `ac_frame hdr; ac_error
 * *ac_handled; ac__gen ac_gen;`.  `yield v` stores v through hdr.ret (the consumer's item slot)
 * and returns AC_DONE without finishing the frame, so that to the consumer
 * it looks like an await that completed: `async for` runs its body, then
 * resumes G for the next item (ac__gen_next).  G's frame is pushed on the
 * task's frame stack above the consumer's, which the loop outlives: the
 * stack stays LIFO.  When G ends, the consumer's slot for it (`home`) is
 * cleared: that is how the loop learns that there are no more items.
 *
 * Closing (BEHAVIOURS, "Closing a generator", D4 and D5): leaving the loop
 * early resumes G at its yield with a close error (AC_EGENCLOSE) that the
 * runtime creates and recognises by identity.  G unwinds through its
 * cleanups; managers in G cannot suppress the close (ac__gen_is_close); a
 * yield while closing raises the close again, which no catch of G takes
 * any more (ac__gen_close_final); when the close reaches G's
 * end, G is ended and the close stops there without error.  Another error
 * thrown meanwhile replaces the close and goes on to the consumer.
 *
 * Running: from the request that resumes G (for an item, or to close it)
 * until G yields or ends.  G may then wait at an await of its body, where
 * another task, or G itself, can reach it if it is a value (ac__gen_class):
 * a request for it fails with AC_ESTATE "async generator: already running"
 * and changes nothing, since resuming G would take it from the frames
 * waiting for it (Python refuses anext() and aclose() alike); so does
 * ac_aiter_free of the value, which returns AC_ESTATE.  Nothing can
 * ask a generator that `async for` runs over a call of it: it has no value.
 *
 * Freed (a value): ac_aiter_free of a value paused at a yield closes it, as
 * Python closes an unfinished async generator: in a task of its own, made
 * when the value is first asked for an item (ENOMEM then without it), the
 * close is raised at its yield and its scopes and groups go there with it
 * (gencm.c, "dropped values").
 */
#ifndef AC_GEN_H
#define AC_GEN_H

#include <stdbool.h>
#include <string.h>

#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac__gen {
    ac_frame **home;     /* the consumer's slot holding this frame */
    ac_error *close;     /* the close being delivered (owned), or NULL */
    bool ignored;        /* it yielded while closing: the close it raised
                            again passes every catch (ac__gen_close_final) */
    bool running;        /* resumed for an item or closed, and not yet
                            yielded or ended: a request now is refused */
    bool *more;          /* value path: "an item came", set before each next
                            and cleared when the generator ends; or NULL */
    ac_frame *me;        /* value path: the home (NULL once ended) */
    bool value;          /* a generator value (ac_aiter): freed by its owner */
    struct ac__scope *base; /* the task's cancel scope when it was resumed */
    struct ac__scope *top, *bottom; /* while suspended at a yield inside
                               scopes of its own: those scopes, detached
                               from the task's chain (ac__gen_yield_slow) */
    struct ac__closer *closer; /* value path, once started: what closes it
                               if it is freed paused at a yield (gen.c) */
} ac__gen;

/* The start every generator frame shares. */
typedef struct ac__gen_frame {
    ac_frame hdr;
    ac_error *handled; /* (ac__hframe) */
    ac__gen gen;
} ac__gen_frame;

#define AC__GEN(f) (&((ac__gen_frame *)(void *)(f))->gen)

/* Generator frame f (NULL: none), just pushed by `caller`, gets its
 * resume function fn, its protocol state and its home. */
static inline void *ac__gen_setup(ac_frame *f, ac_frame *caller, ac_frame **home, ac_resume_fn fn)
{
    if (f) {
        f->resume = fn;
        memset(AC__GEN(f), 0, sizeof(ac__gen));
        AC__GEN(f)->base = AC__HEAD(caller->task)->scope;
        AC__GEN(f)->home = home;
        *home = f;
    }
    return f;
}

/* The frame of a generator started by `caller` (ac__frame_push_held),
 * resumed by fn.  Sets *home.  NULL without memory (ENOMEM
 * in caller->err). */
static inline void *ac__gen_push(ac_frame *caller, size_t size, size_t align, void *ret,
                                 ac_frame **home, ac_resume_fn fn)
{
    return ac__gen_setup((ac_frame *)ac__frame_push_held(caller, size, align, ret), caller, home, fn);
}

/* ac__gen_push without calling the runtime: NULL where it would (see
 * ac__frame_push_fast). */
static inline void *ac__gen_push_fast(ac_frame *caller, size_t size, size_t align, void *ret,
                                      ac_frame **home, ac_resume_fn fn)
{
    return ac__gen_setup((ac_frame *)ac__frame_push_held_fast(caller, size, align, ret), caller,
                         home, fn);
}

/* Resuming generator g in task t: its chain goes on from t's, and the
 * scopes it left open at its yield are put back on top, bound to t (gen.c,
 * "Binding").  Nonzero, with nothing changed, if t is inside a group of
 * those scopes: it may not resume g (ac__gen_refuse). */
int ac__gen_attach_slow(ac__taskhead *h, ac__gen *g);
static inline int ac__gen_attach(ac_task *t, ac__gen *g)
{
    if (g->top)
        return ac__gen_attach_slow(AC__HEAD(t), g);
    g->base = AC__HEAD(t)->scope;
    return 0;
}

/* Refuse to resume g from caller (ac__gen_attach failed): AC_ESTATE thrown
 * in caller, g left suspended as it was.  Returns AC_DONE. */
int ac__gen_refuse(ac_frame *caller, ac__gen *g);

/* Generator f, resumed at a yield, puts back the scopes it left open there
 * (what acc emits after the yields of a generator that suspends elsewhere
 * too, and so may have entered managers; the value path and the close have
 * done it already).  Its consumer, in
 * the same task, is never inside its groups. */
static inline void ac__gen_resumed(ac_frame *f)
{
    ac__gen *g = AC__GEN(f);
    if (g->top)
        (void)ac__gen_attach_slow(AC__HEAD(f->task), g);
}

/* At a `yield`: 0 to go on and yield, or 1 after making f->err the close
 * again (the generator is closing: it may not yield). */
int ac__gen_yield_slow(ac_frame *f);
static inline int ac__gen_yield(ac_frame *f)
{
    ac__gen *g = AC__GEN(f);
    if (!g->close && AC__HEAD(f->task)->scope == g->base)
        return 0;
    return ac__gen_yield_slow(f);
}

/* ac__gen_yield for a generator whose body suspends only at its yields
 * (acc knows), so that no cancel scope of its own can be open: entering
 * one, with `async with` or by hand (ac_cm_enter), is an await. */
static inline int ac__gen_yield_plain(ac_frame *f)
{
    ac__gen *g = AC__GEN(f);
    if (!g->close)
        return 0;
    f->err = ac_error_retain(g->close);
    g->ignored = true;
    return 1;
}

/* Yield: the item is stored through f->ret already.  Returns AC_DONE: the
 * consumer goes on with it.  (A generator's resume function is set when
 * its frame is made, and never changes.)  Paused at its yield, it may be
 * asked again. */
static inline int ac__gen_suspend(ac_frame *f)
{
    AC__GEN(f)->running = false;
    return AC_DONE;
}

/* Resume generator g (suspended at a yield, not running) for its next
 * item, stored through `item`.  AC_DONE when it has yielded or ended
 * (*home is then NULL), else AC_PENDING. */
static inline int ac__gen_next(ac_frame *caller, void *item, ac_frame *g)
{
    if (ac__gen_attach(caller->task, AC__GEN(g)))
        return ac__gen_refuse(caller, AC__GEN(g));
    AC__GEN(g)->running = true;
    g->caller = caller;
    g->task = caller->task;
    g->ret = item;
    return ac__frame_start_fn(g, g->resume);
}

/* ac__gen_next for `async for` over a call of the generator: the item slot
 * and the caller were set when it started and stay the same; fn is its
 * resume function when the caller knows it (a direct call, which compilers
 * may inline), else NULL. */
static inline int ac__gen_resume(ac_frame *g, ac_resume_fn fn)
{
    /* `base` stays: the loop resumes it from the same scope each time; a
       generator that may have left scopes open puts them back itself
       (ac__gen_resumed) */
    return ac__frame_start_fn(g, fn ? fn : g->resume);
}

/* ac__gen_resume for a generator whose body suspends only at its yields
 * (acc knows): a step of it starts no frame, so it adds one C frame at most
 * (none where the compiler inlines fn) and needs no check of the C stack. */
static inline int ac__gen_step(ac_frame *g, ac_resume_fn fn)
{
    return fn(g);
}

/* Close generator g (suspended at a yield, not running): raise the close
 * at its yield, with `why` (the error leaving the loop, or NULL) as the
 * close's context.
 * AC_DONE when g has ended, else AC_PENDING; an error its cleanup threw is
 * then in caller->err. */
int ac__gen_close(ac_frame *caller, ac_frame *g, ac_error *why);
/* ac__gen_close of a generator whose scopes caller's task holds already
 * (ac__gen_attach has succeeded there). */
int ac__gen_close_attached(ac_frame *caller, ac_frame *g, ac_error *why);

/* Is f's error in flight the close, raised again at a yield because the
 * generator caught it and yielded?  Then no catch of the generator catches
 * it any more, so that a generator that catches everything in a loop
 * still ends (its cleanups run); generated catches test this first. */
static inline int ac__gen_close_final(const ac_frame *f)
{
    const ac__gen *g = &((const ac__gen_frame *)(const void *)f)->gen; /* (-Wcast-qual) */
    return g->ignored && f->err == g->close;
}

/* Is e the close being delivered to generator frame f?  (No manager may
 * suppress it.) */
static inline int ac__gen_is_close(ac_frame *f, const ac_error *e)
{
    return e && e == AC__GEN(f)->close;
}

/* Finish generator f (instead of ac__frame_return): clear the consumer's
 * slot, let a close that reached the end stop here, free a heap frame. */
int ac__gen_return(ac_frame *f);

/* The class of generator values (self: the generator's heap frame, made
 * by its `g(args)` entry with ac__gen_value). */
extern const struct ac_aiter_class ac__gen_class;

/* Make heap frame f (a coroutine object of generator g) a generator value. */
static inline void ac__gen_value(ac_frame *f)
{
    ac__gen *g = AC__GEN(f);
    memset(g, 0, sizeof *g);
    g->value = true;
    g->me = f;
    g->home = &g->me;
}

#ifdef __cplusplus
}
#endif
#endif /* AC_GEN_H */
