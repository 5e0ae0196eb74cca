/* gencm.c: the runtime side of @contextmanager functions (ac/gencm.h). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ac/gencm.h"
#include "internal.h"

static ac__gencm *gc_of(ac_frame *f)
{
    return &((ac__gencm_frame *)(void *)f)->gc;
}

static void live_remove(uint32_t serial);

int ac__gencm_yield_slow(ac_frame *f)
{
    ac__gencm *gc = gc_of(f);
    if (gc->close) { /* closing: every yield raises the close again */
        f->err = ac_error_retain(gc->close);
        gc->ignored = 1;
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
    if (coro) {
        live_remove(gc->serial); /* a value's frame: its number goes too */
        ac_coro_free(f);
    }
    return r;
}

/* ---------------------------------------------------------- values */

/* This thread's live @contextmanager values: serial number -> frame, open
 * addressing with linear probing (a power-of-two table, at most half
 * full; removal shifts the entries after it back).  A value's ac_cm may be
 * copied freely, and every copy holds the serial: a copy used after its
 * frame was freed finds nothing, whatever the frame's memory holds now. */
typedef struct live_slot {
    uint32_t serial; /* 0: empty */
    ac_frame *frame;
} live_slot;

static AC__TLS live_slot *live;
static AC__TLS size_t live_cap, live_count;
static AC__TLS uint32_t live_next;

static size_t live_home(uint32_t serial)
{
    return (serial * 2654435761u) & (live_cap - 1);
}

static ac_frame *live_find(uint32_t serial)
{
    if (!serial || !live_cap)
        return NULL;
    for (size_t i = live_home(serial);; i = (i + 1) & (live_cap - 1)) {
        if (live[i].serial == serial)
            return live[i].frame;
        if (!live[i].serial)
            return NULL;
    }
}

static void live_put(live_slot *t, size_t cap, uint32_t serial, ac_frame *f)
{
    size_t i = (serial * 2654435761u) & (cap - 1);
    while (t[i].serial)
        i = (i + 1) & (cap - 1);
    t[i].serial = serial;
    t[i].frame = f;
}

/* Room for one more; false without memory. */
static bool live_reserve(void)
{
    if (2 * (live_count + 1) <= live_cap)
        return true;
    size_t cap = live_cap ? 2 * live_cap : 16;
    live_slot *t = ac__malloc(cap * sizeof *t);
    if (!t)
        return false;
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < live_cap; i++)
        if (live[i].serial)
            live_put(t, cap, live[i].serial, live[i].frame);
    ac__free(live);
    live = t;
    live_cap = cap;
    return true;
}

static void live_remove(uint32_t serial)
{
    if (!serial || !live_cap)
        return;
    size_t mask = live_cap - 1, i = live_home(serial);
    while (live[i].serial != serial) {
        if (!live[i].serial)
            return; /* not registered */
        i = (i + 1) & mask;
    }
    live[i].serial = 0;
    for (size_t j = (i + 1) & mask; live[j].serial; j = (j + 1) & mask) {
        size_t h = live_home(live[j].serial);
        /* move j back to i unless its home lies cyclically in (i, j] */
        if (((j - h) & mask) >= ((j - i) & mask)) {
            live[i] = live[j];
            live[j].serial = 0;
            i = j;
        }
    }
    if (--live_count == 0) { /* no value left: no table either */
        ac__free(live);
        live = NULL;
        live_cap = 0;
    }
}

ac_cm ac__gencm_value(void *f)
{
    ac_cm m = ac_cm_make(&ac__gencm_class, NULL);
    if (!f || !live_reserve()) {
        ac_coro_free(f);
        return m; /* no frame: entering throws ENOMEM */
    }
    uint32_t serial = ++live_next ? live_next : ++live_next; /* never 0 */
    live_put(live, live_cap, serial, f);
    live_count++;
    gc_of(f)->serial = serial;
    m.self = f;
    m.data.p[0] = (void *)(uintptr_t)serial;
    return m;
}

/* The frame of value m, or NULL if it is gone (or never was). */
static ac_frame *value_frame(const ac_cm *m)
{
    return live_find((uint32_t)(uintptr_t)m->data.p[0]);
}

/* Free a value's frame (a coroutine object), and forget its number. */
static void value_free(ac_frame *g)
{
    live_remove(gc_of(g)->serial);
    ac_coro_free(g);
}

static int fail(ac_frame *caller, ac_error *e)
{
    ac__throw(caller, e, __FILE__, __LINE__);
    return AC_DONE;
}

static int value_enter(ac_frame *caller, void *value, void *self)
{
    const ac_cm *m = self; /* AC_CM_WHOLE */
    ac_frame *g = value_frame(m);
    if (!g && !m->self)
        return fail(caller, ac__error_nomem());
    if (!g || gc_of(g)->entered)
        return fail(caller, ac_error_new(AC_ESTATE, "already entered: a @contextmanager value "
                                                    "is single use"));
    ac__gencm *gc = gc_of(g);
    gc->entered = 1;
    gc->out = value;
    g->caller = caller;
    g->task = caller->task;
    return ac__frame_start_fn(g, g->resume);
}

/* Is the generator of value frame g running: resumed by the value's enter
 * or exit, and neither paused at its yield nor finished?  It may wait at
 * an await meanwhile, where another task, or its own code, can reach the
 * value (gencm.h, "Running"). */
static bool running(ac_frame *g)
{
    const ac__gencm *gc = gc_of(g);
    return gc->entered && gc->phase != 1;
}

/* Why the exit of value m, whose frame is g (NULL: gone), is refused.  A
 * running one stays as it is: its frame belongs to the request running it.
 * A value that had a frame and has none any more was used up: its
 * generator finished (exited, or its enter failed), or a refused exit
 * consumed it; a value made without memory never had one. */
static ac_error *exit_refused(const ac_cm *m, ac_frame *g)
{
    if (!g && m->self)
        return ac_error_new(AC_ESTATE, "finished: a @contextmanager value is single use");
    if (g && running(g))
        return ac_error_new(AC_ESTATE, gc_of(g)->phase == 0
                                           ? "not entered yet: its @contextmanager enter is "
                                             "still running"
                                           : "already exiting: its @contextmanager exit is "
                                             "still running");
    if (g)
        value_free(g); /* a value pushed without entering: consumed */
    return ac_error_new(AC_ESTATE, "not entered");
}

static int value_exit(ac_frame *caller, void *sup, void *self, ac_error *err)
{
    ac_frame *g = value_frame(self);
    *(bool *)sup = false;
    if (!g || gc_of(g)->phase != 1)
        return fail(caller, exit_refused(self, g));
    return ac__gencm_exit(caller, sup, g, err);
}

/* A running value is left to the request running it: its exit frees the
 * frame when the generator finishes, and an enter that yields leaves the
 * value entered, for whoever entered it to exit (freeing the frame under
 * it would make the frames waiting for it resume freed memory). */
static void value_drop(void *self)
{
    ac_frame *g = value_frame(self);
    if (g && !running(g))
        value_free(g);
}

const ac_cm_class ac__gencm_class = {
    .name = "@contextmanager",
    .flags = AC_CM_ONCE | AC_CM_WHOLE,
    .aenter_await = value_enter,
    .aexit_await = value_exit,
    .drop = value_drop,
};

/* acc --frame-sizes assumes these LP64 sizes (generator/frame.c). */
_Static_assert(sizeof(void *) != 8 || sizeof(ac__gencm) == 48, "frame.c: ac__gencm size");
_Static_assert(sizeof(void *) != 8 || sizeof(ac_cm) == 32, "frame.c: ac_cm size");
