/* gen.c: the runtime side of async generators (ac/gen.h). */
#include <errno.h>

#include "ac/aiter.h"
#include "ac/cancel.h"
#include "ac/gen.h"
#include "internal.h"

/* A yield while closing raises the close again.  A yield inside cancel
 * scopes (or task groups) the generator entered takes them out of the
 * task's chain while it is suspended, so that they do not reach its
 * consumer: the segment from the chain's head down to `base` is detached
 * (its outermost link's `up` set to NULL) and kept in g->top/bottom until
 * ac__gen_attach puts it back on top of whatever chain resumes it.  While
 * detached, the children of such a group see only the generator's scopes.
 *
 * Binding.  Whatever task resumes the generator, its scopes and groups are
 * then bound to that task, as if entered there: a scope's cancellation and
 * deadline reach that task, a group's exit waits in it.  At the yield, the
 * scopes inside the innermost group the task hosts (all of them, without
 * one) leave the task: nothing but the paused generator is inside them.
 * The others stay bound to it, so that their cancellation reaches the
 * group's children through the task; if the task ends first, the group is
 * orphaned and they leave it then (ac__taskgroup_orphan).  Nothing the
 * generator holds is left pointing at a task that has ended. */
int ac__gen_yield_slow(ac_frame *f)
{
    ac__gen *g = AC__GEN(f);
    if (g->close) {
        f->err = ac_error_retain(g->close);
        g->ignored = true;
        return 1;
    }
    ac__taskhead *h = AC__HEAD(f->task);
    ac__scope *s = h->scope;
    while (s->up != g->base)
        s = s->up;
    g->top = h->scope;
    g->bottom = s;
    s->up = NULL;
    h->scope = g->base;
    for (s = g->top; s && !(s->group && ac__taskgroup_host(s)); s = s->up)
        if (!s->group)
            ac__scope_bind(s, NULL);
    return 0;
}

/* Is a link of t's chain the link of a group among g's scopes (t is a
 * child of it, or of a task inside it)?  Resumed there, the generator's
 * chain would lead back into itself. */
static bool inside_own_group(const ac__taskhead *h, const ac__gen *g)
{
    for (const ac__scope *c = h->scope; c; c = c->up)
        if (c->group)
            for (const ac__scope *s = g->top; s; s = s->up)
                if (s == c)
                    return true;
    return false;
}

int ac__gen_attach_slow(ac__taskhead *h, ac__gen *g)
{
    if (inside_own_group(h, g))
        return 1;
    ac_task *t = (ac_task *)h;
    for (ac__scope *s = g->top; s; s = s->up)
        if (!s->group)
            ac__scope_bind(s, t);
    ac__taskgroup_rehost(g->top, t);
    ac__scope *outer = h->scope;
    g->base = outer;
    g->bottom->up = outer;
    h->scope = g->top;
    g->top = g->bottom = NULL;
    /* A cancellation that came while they were detached reaches the
       children of its groups now. */
    if (ac__scope_visible_cancelled(outer, t, 0))
        ac__deliver_tree(t);
    return 0;
}

int ac__gen_refuse(ac_frame *caller, ac__gen *g)
{
    if (g->more)
        *g->more = false;
    ac__throw(caller,
              ac_error_new(AC_ESTATE, "async generator: resumed by a task of its own task group"),
              __FILE__, __LINE__);
    return AC_DONE;
}

int ac__gen_close(ac_frame *caller, ac_frame *g, ac_error *why)
{
    ac__gen *gen = AC__GEN(g);
    if (ac__gen_attach(caller->task, gen))
        return ac__gen_refuse(caller, gen);
    return ac__gen_close_attached(caller, g, why);
}

int ac__gen_close_attached(ac_frame *caller, ac_frame *g, ac_error *why)
{
    ac__gen *gen = AC__GEN(g);
    ac_error *c = ac__error_close();
    ac__error_chain(c, why ? why : ac__handled(caller));
    gen->close = c;
    gen->running = true;
    g->caller = caller;
    g->task = caller->task;
    g->err = ac_error_retain(c);
    return ac__frame_start_fn(g, g->resume);
}

int ac__gen_return(ac_frame *f)
{
    ac__gen *gen = AC__GEN(f);
    *gen->home = NULL;
    gen->running = false;
    if (gen->more)
        *gen->more = false;
    if (gen->close) {
        if (f->err == gen->close) { /* the close reached the end: stop it */
            ac_error_release(f->err);
            f->err = NULL;
        }
        ac_error_release(gen->close);
        gen->close = NULL;
    }
    int heap = (f->flags & AC_FRAME_CORO) && !gen->value; /* a value's owner frees it */
    int r = ac__frame_return(f);
    if (heap)
        ac_coro_free(f);
    return r;
}

/* ---------------------------------------------------------- values */

static int fail(ac_frame *caller, ac_error *e)
{
    ac__throw(caller, e, __FILE__, __LINE__);
    return AC_DONE;
}

/* A request for a running generator (ac/gen.h, "Running"): its consumer's
 * slots and its frame's links stay as they are. */
static int refuse_running(ac_frame *caller)
{
    return fail(caller, ac_error_new(AC_ESTATE, "async generator: already running"));
}

static int value_next(ac_frame *caller, void *more, void *self, void *item)
{
    ac_frame *g = self;
    *(bool *)more = false;
    if (!g)
        return fail(caller, ac__error_nomem()); /* its constructor ran out of memory */
    ac__gen *gen = AC__GEN(g);
    if (!gen->me)
        return AC_DONE; /* ended: no more items */
    if (gen->running) /* closing too */
        return refuse_running(caller);
    if (!gen->closer) { /* its first start: what closes it if it is freed */
        gen->closer = ac__closer_new();
        if (!gen->closer)
            return fail(caller, ac__error_nomem()); /* not started */
    }
    gen->more = more;
    *(bool *)more = true; /* unless it ends instead of yielding */
    return ac__gen_next(caller, item, g);
}

/* Closing a generator that has not started ends it without running any of
 * its code; closing an ended one does nothing. */
static int value_aclose(ac_frame *caller, void *ret, void *self)
{
    (void)ret;
    ac_frame *g = self;
    if (!g || !AC__GEN(g)->me)
        return AC_DONE;
    ac__gen *gen = AC__GEN(g);
    if (gen->running) /* before the state: one that has not suspended yet reads 0 */
        return refuse_running(caller);
    if (g->state == 0) {
        gen->me = NULL;
        return AC_DONE;
    }
    gen->more = NULL;
    return ac__gen_close(caller, g, NULL);
}

/* A value paused at a yield is closed (ac/gen.h, "Freed"): its closer
 * frees it then.  (ac_aiter_free refuses a running one.)  Freed on a pool
 * thread of the thread bridge, it is closed on the loop that started the
 * thread, as a dropped @contextmanager value (gencm.c, value_drop). */
static void value_free(void *self)
{
    ac_frame *g = self;
    ac__gen *gen = g ? AC__GEN(g) : NULL;
    if (gen && gen->closer && gen->me && g->state != 0 && ac__bridge_call(value_free, self))
        return;
    if (gen && gen->closer) {
        ac__closer *c = gen->closer;
        gen->closer = NULL;
        if (gen->me && g->state != 0) {
            gen->more = NULL; /* the last asker's slot may be gone */
            ac__closer_gen(c, g);
            return;
        }
        ac__closer_free(c);
    }
    ac_coro_free(self);
}

const ac_aiter_class ac__gen_class = {
    .name = "async generator",
    .next = value_next,
    .aclose = value_aclose,
    .free = value_free,
};
