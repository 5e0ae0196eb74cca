/* gencm.c: the runtime side of @contextmanager functions (ac/gencm.h). */
#include <errno.h>

#include "ac/gencm.h"
#include "internal.h"

static ac__gencm *gc_of(ac_frame *f)
{
    return &((ac__gencm_frame *)(void *)f)->gc;
}

int ac__gencm_yield_slow(ac_frame *f)
{
    ac__gencm *gc = gc_of(f);
    if (gc->close) { /* closing: every yield raises the close again */
        f->err = ac_error_retain(gc->close);
        return 1;
    }
    if (gc->phase < 2)
        return 0;
    /* Python's words (AC.md 3.7) */
    const char *msg = gc->thrown ? "generator didn't stop after throw()" : "generator didn't stop";
    ac_error *why = ac_error_new(AC_EGENERATOR, "%s", msg);
    if (gc->thrown)
        ac__error_chain(why, gc->thrown);
    gc->reason = why;
    gc->close = ac_error_new(AC_EGENCLOSE, NULL);
    f->err = ac_error_retain(gc->close);
    return 1;
}

/* After a second yield: the protocol error is the outcome, whether the
 * close reached G's end or G caught it and finished (a close cannot be
 * suppressed); only another error thrown by G's cleanup meanwhile wins. */
static void end_close(ac_frame *f, ac__gencm *gc)
{
    if (!f->err || f->err == gc->close) {
        ac_error_release(f->err);
        f->err = gc->reason;
        gc->reason = NULL;
    }
    ac_error_release(gc->close);
    ac_error_release(gc->reason);
    gc->close = gc->reason = NULL;
}

int ac__gencm_return_slow(ac_frame *f)
{
    ac__gencm *gc = gc_of(f);
    if (gc->phase == 0 && !f->err)
        ac__throw(f, ac_error_new(AC_EGENERATOR, "generator didn't yield"), NULL, 0);
    if (gc->close)
        end_close(f, gc);
    if (gc->thrown && f->err == gc->thrown) {
        /* The body's error came back unchanged: not suppressed, and the
           exit does not throw it itself (its owner still holds it). */
        ac_error_release(f->err);
        f->err = NULL;
    } else if (gc->sup && !f->err && gc->thrown) {
        *gc->sup = true;
    }
    int coro = (f->flags & AC_FRAME_CORO) != 0;
    int r = ac__frame_return(f);
    if (coro)
        ac_coro_free(f);
    return r;
}

/* ---------------------------------------------------------- values */

static int fail(ac_frame *caller, ac_error *e)
{
    ac__throw(caller, e, __FILE__, __LINE__);
    return AC_DONE;
}

static int value_enter(ac_frame *caller, void *value, void *self)
{
    ac_frame *g = self;
    if (!g)
        return fail(caller, ac__error_nomem());
    ac__gencm *gc = gc_of(g);
    if (gc->entered)
        return fail(caller, ac_error_new(AC_ESTATE, "already entered"));
    gc->entered = 1;
    gc->out = value;
    g->caller = caller;
    g->task = caller->task;
    return ac__frame_start_fn(g, g->resume);
}

static int value_exit(ac_frame *caller, void *sup, void *self, ac_error *err)
{
    ac_frame *g = self;
    *(bool *)sup = false;
    if (!g || !gc_of(g)->entered || gc_of(g)->phase != 1) {
        if (g && !gc_of(g)->entered)
            ac_coro_free(g); /* a value pushed without entering: consumed */
        return fail(caller, ac_error_new(AC_ESTATE, "not entered"));
    }
    return ac__gencm_exit(caller, sup, g, err);
}

static void value_drop(void *self)
{
    ac_coro_free(self);
}

const ac_cm_class ac__gencm_class = {
    .name = "@contextmanager",
    .flags = AC_CM_ONCE,
    .aenter_await = value_enter,
    .aexit_await = value_exit,
    .drop = value_drop,
};

/* acc --frame-sizes assumes these LP64 sizes (generator/frame.c). */
_Static_assert(sizeof(void *) != 8 || sizeof(ac__gencm) == 48, "frame.c: ac__gencm size");
_Static_assert(sizeof(void *) != 8 || sizeof(ac_cm) == 32, "frame.c: ac_cm size");
