/* gencm.c: the runtime side of @contextmanager functions (ac/gencm.h). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ac/cancel.h"
#include "ac/gen.h"
#include "ac/gencm.h"
#include "ac/primitive.h"
#include "internal.h"
#include "task.h"

static ac__gencm *gc_of(ac_frame *f)
{
    return &((ac__gencm_frame *)(void *)f)->gc;
}

static void live_remove(uint32_t serial);
static void closer_forget(uint32_t serial);

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
        closer_forget(gc->serial); /* a value's frame: its closer, */
        live_remove(gc->serial);   /* and its number go too */
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
    ac__closer *close; /* entered: what closes it if it is dropped (below) */
} live_slot;

static AC__TLS live_slot *live;
static AC__TLS size_t live_cap, live_count;
static AC__TLS uint32_t live_next;

static size_t live_home(uint32_t serial)
{
    return (serial * 2654435761u) & (live_cap - 1);
}

static live_slot *live_slot_of(uint32_t serial)
{
    if (!serial || !live_cap)
        return NULL;
    for (size_t i = live_home(serial);; i = (i + 1) & (live_cap - 1)) {
        if (live[i].serial == serial)
            return &live[i];
        if (!live[i].serial)
            return NULL;
    }
}

static ac_frame *live_find(uint32_t serial)
{
    live_slot *sl = live_slot_of(serial);
    return sl ? sl->frame : NULL;
}

static void live_put(live_slot *t, size_t cap, const live_slot *from)
{
    size_t i = (from->serial * 2654435761u) & (cap - 1);
    while (t[i].serial)
        i = (i + 1) & (cap - 1);
    t[i] = *from;
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
            live_put(t, cap, &live[i]);
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
    live_slot sl = {serial, f, NULL};
    live_put(live, live_cap, &sl);
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

/* ---------------------------------------------------------- dropped values
 *
 * A value dropped while it is entered and paused at its yield (ac_cm_drop,
 * an exit stack freed or a drop for lack of memory) is closed, as Python
 * closes an async generator that is collected unfinished: the close
 * (AC_EGENCLOSE) is raised at the yield and the code after it runs, with
 * its cleanups shielded as in an exit, in a task of its own (the closer),
 * since a drop cannot wait.  The scopes and groups the generator entered
 * before its yield move from the entering task's chain to the closer's,
 * so that none of them is left in a task that no longer runs inside them
 * (their deadlines and cancellation no longer reach it), and its groups'
 * exits wait in the closer.  What the close ends with has nowhere to go
 * and is released.  ac_run does not return while closers run (loop.c);
 * closed from outside any task, the value is closed before the call
 * returns.  The closer and its task are made when the value is entered
 * (entering throws ENOMEM without them), so that a drop needs no memory;
 * they are freed with the generator's frame when it finishes otherwise,
 * and by the end of the closer's task when it has closed it (task.c).
 * An async generator value freed while paused at a yield (gen.c) is closed
 * by a closer in the same way. */
struct ac__closer {
    ac_frame hdr;
    ac_frame *g;                /* the generator's frame */
    bool gen;                   /* an async generator's (else a @contextmanager's) */
    bool sup;                   /* where the exit says "suppressed" (unread) */
    uint32_t depth;             /* the cleanup nesting that hides its links */
    ac__scope *base;            /* @contextmanager: the entering task's chain
                                   at the enter */
    ac__scope *top, *bottom;    /* @contextmanager: the links it entered
                                   before its yield, innermost and outermost
                                   (NULL: none) */
    ac_error *close;            /* raised at the yield (owned) */
};

static AC__TLS size_t closing;        /* closers started and not ended */
AC__TLS unsigned char ac__gencm_idle = 1; /* closing == 0 (internal.h) */

static int closer_resume(ac_frame *hdr);

ac__closer *ac__closer_new(void)
{
    ac__closer *c = AC_CORO_NEW(ac__closer, closer_resume);
    if (!c)
        return NULL;
    c->hdr.flags |= AC_FRAME_CLOSER; /* its task's end frees it */
    if (!ac__task_new(&c->hdr)) {
        ac_coro_free(&c->hdr);
        return NULL;
    }
    return c;
}

void ac__closer_free(ac__closer *c)
{
    if (!c)
        return;
    ac__task_free(c->hdr.task, &c->hdr);
    ac_coro_free(&c->hdr);
}

/* The value whose number is `serial` has finished (its frame goes): its
 * closer, unused, goes too. */
static void closer_forget(uint32_t serial)
{
    live_slot *sl = live_slot_of(serial);
    if (sl && sl->close) {
        ac__closer_free(sl->close);
        sl->close = NULL;
    }
}

void ac__gencm_value_yielded(ac_frame *f)
{
    live_slot *sl = live_slot_of(gc_of(f)->serial);
    ac__closer *c = sl ? sl->close : NULL;
    if (!c)
        return;
    ac__scope *s = AC__HEAD(f->task)->scope;
    c->top = c->bottom = NULL;
    if (s == c->base)
        return; /* no scope of its own is open */
    for (ac__scope *b = s; b; b = b->up)
        if (b->up == c->base) {
            c->top = s;
            c->bottom = b;
            return;
        }
}

/* The cleanup nesting that hides links from `top` outward. */
static uint32_t depth_above(const ac__scope *top)
{
    uint32_t d = 0;
    for (; top; top = top->up)
        if (top->depth >= d)
            d = top->depth + 1;
    return d;
}

/* The task that the generator's links were entered in, if it is still
 * inside them (a task that ended inside them orphaned them: cancel.c). */
static ac_task *links_task(const ac__scope *top)
{
    return top->group ? ac__taskgroup_host(top) : ac__scope_task(top);
}

/* Move a @contextmanager's links from the chain of the task that entered
 * them to the top of the closer's chain (as a generator resumed elsewhere
 * takes its scopes along: gen.c). */
static void hand_over(ac__closer *c)
{
    ac__scope *top = c->top, *bottom = c->bottom;
    ac_task *from = links_task(top);
    if (!from)
        return;
    ac__scope **pp = &AC__HEAD(from)->scope;
    while (*pp && *pp != top)
        pp = &(*pp)->up;
    if (!*pp)
        return; /* not in its chain any more: left as it is */
    *pp = bottom->up;
    bottom->up = NULL;
    c->depth = depth_above(top);
    ac__gen tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.top = top;
    tmp.bottom = bottom;
    (void)ac__gen_attach_slow(AC__HEAD(c->hdr.task), &tmp); /* its chain: no group of theirs */
}

/* A closer's task has ended (task.c): free it there and then, so that a
 * long run that drops many values does not keep them until it returns. */
void ac__closer_done(ac_frame *root)
{
    ac__closer_free((ac__closer *)(void *)root);
}

static int closer_resume(ac_frame *hdr)
{
    ac__closer *c = (ac__closer *)(void *)hdr;
    if (hdr->state == 0) {
        hdr->state = 1;
        AC__HEAD(hdr->task)->cleanup = c->depth; /* the close is cleanup */
        int r;
        if (c->gen) {
            r = ac__gen_close_attached(hdr, c->g, NULL);
        } else {
            c->close = ac__error_close();
            r = ac__gencm_exit(hdr, &c->sup, c->g, c->close);
        }
        if (r != AC_DONE)
            return AC_PENDING;
    }
    /* The generator has finished: a @contextmanager's frame is gone, an
       async generator value's is the closer's to free. */
    if (c->gen)
        ac_coro_free(c->g);
    ac_error_release(hdr->err);
    hdr->err = NULL;
    ac_error_release(c->close);
    c->close = NULL;
    AC__HEAD(hdr->task)->cleanup = 0;
    if (--closing == 0)
        ac__gencm_idle = 1;
    return ac__frame_return(hdr);
}

/* Start closer c: it runs when the loop next runs tasks, at once from
 * outside any task. */
static void closer_start(ac__closer *c)
{
    closing++;
    ac__gencm_idle = 0;
    ac__task_wake(c->hdr.task);
    if (!ac__task_current()) { /* nothing else would run it */
        ac__loop_until(&ac__gencm_idle);
    }
}

void ac__closer_gen(ac__closer *c, ac_frame *g)
{
    c->g = g;
    c->gen = true;
    c->depth = depth_above(AC__GEN(g)->top);
    /* Its scopes and groups move to the closer now, before the task that
       holds its groups may end and orphan them: the closer's chain holds no
       group of theirs, so this cannot be refused. */
    (void)ac__gen_attach(c->hdr.task, AC__GEN(g));
    closer_start(c);
}

/* Close dropped value g, entered and paused at its yield (see above). */
static void close_dropped(ac_frame *g)
{
    live_slot *sl = live_slot_of(gc_of(g)->serial);
    ac__closer *c = sl->close;
    sl->close = NULL;
    c->g = g;
    if (c->top)
        hand_over(c);
    closer_start(c);
}

/* Free a value's frame (a coroutine object), and forget its number. */
static void value_free(ac_frame *g)
{
    closer_forget(gc_of(g)->serial);
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
    live_slot *sl = live_slot_of(gc_of(g)->serial);
    sl->close = ac__closer_new();
    if (!sl->close) { /* an enter that fails consumes the value */
        value_free(g);
        return fail(caller, ac__error_nomem());
    }
    sl->close->base = AC__HEAD(caller->task)->scope;
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
 * refusal changes nothing.  A running one stays as it is: its frame belongs
 * to the request running it.  A value that had a frame and has none any
 * more was used up: its generator finished (exited, or its enter failed);
 * a value made without memory never had one.  One never entered stays
 * so, for its holder to enter or drop (an exit stack that was given it
 * releases it after its exit: value_release). */
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
 * it would make the frames waiting for it resume freed memory).  One that
 * is entered and paused at its yield is closed; one never entered is
 * freed.  A value made on the loop thread and dropped on a pool thread of the
 * thread bridge (inside ac_to_thread's function), whose table of values
 * does not hold it, is dropped on that loop, in a task there: an entered
 * one is closed there, where the tasks that hold its scopes run (a closer
 * started on the pool thread would never run: it has no loop). */
static void value_drop(void *self)
{
    ac_frame *g = value_frame(self);
    if (!g) {
        (void)ac__bridge_call(value_drop, self); /* (false: made nowhere) */
        return;
    }
    if (running(g))
        return;
    if (gc_of(g)->entered)
        close_dropped(g);
    else
        value_free(g);
}

/* Released once no longer used (an exit stack's copy after its exit, or
 * the value `async with` over a call made): a value never entered is
 * freed, as by a drop (its exit was refused and left it so); one entered
 * is left to its exit, which frees it when the generator finishes (it has
 * then nothing here).  On a pool thread of the thread bridge, as a drop. */
static void value_release(void *self)
{
    ac_frame *g = value_frame(self);
    if (!g) {
        (void)ac__bridge_call(value_release, self);
        return;
    }
    if (!gc_of(g)->entered)
        value_free(g);
}

const ac_cm_class ac__gencm_class = {
    .name = "@contextmanager",
    .flags = AC_CM_ONCE | AC_CM_WHOLE,
    .aenter_await = value_enter,
    .aexit_await = value_exit,
    .drop = value_drop,
    .release = value_release,
};

/* acc --frame-sizes assumes these LP64 sizes (generator/frame.c). */
_Static_assert(sizeof(void *) != 8 || sizeof(ac__gencm) == 48, "frame.c: ac__gencm size");
_Static_assert(sizeof(void *) != 8 || sizeof(ac_cm) == 32, "frame.c: ac_cm size");
