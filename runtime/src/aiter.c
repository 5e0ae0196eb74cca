/* aiter.c: async iterators (ac/aiter.h): dispatch, ac_borrow, and the
 * coroutine objects of ac_aiter_next and ac_aiter_aclose for plain C. */
#include <errno.h>
#include <string.h>

#include "ac/aiter.h"
#include "ac/gen.h"
#include "ac/primitive.h"
#include "internal.h"

static int fail(ac_frame *caller, ac_error *e)
{
    ac__throw(caller, e, __FILE__, __LINE__);
    return AC_DONE;
}

int ac_aiter_next__await(ac_frame *caller, void *more, ac_aiter *it, void *item)
{
    *(bool *)more = false;
    if (!it || !it->cls || !it->cls->next)
        return fail(caller, ac_error_new(EINVAL, "not an async iterator"));
    return it->cls->next(caller, more, it->self, item);
}

int ac_aiter_aclose__await(ac_frame *caller, void *ret, ac_aiter *it)
{
    (void)ret;
    if (!it || !it->cls)
        return fail(caller, ac_error_new(EINVAL, "not an async iterator"));
    return it->cls->aclose ? it->cls->aclose(caller, NULL, it->self) : AC_DONE;
}

/* A generator value that runs (resumed for an item or closed, and not yet
 * paused at a yield or ended) belongs to the request running it: its frame
 * is on that request's task, which resumes it later.  Freeing it then would
 * make that task resume freed memory, so the free is refused. */
static bool running_gen(const ac_aiter *it)
{
    return it->cls == &ac__gen_class && it->self && AC__GEN((ac_frame *)it->self)->running;
}

int ac_aiter_free(ac_aiter *it)
{
    if (!it || !it->cls)
        return 0;
    if (running_gen(it))
        return AC_ESTATE; /* *it is left as it is */
    if (it->cls->free)
        it->cls->free(it->self);
    it->cls = NULL;
    it->self = NULL;
    return 0;
}

/* ---------------------------------------------------------- views */

/* A view forwards next to its source until it is closed (borrow) or its
 * scope has ended (scoped_iter); closing a scoped view does nothing. */
typedef struct view {
    ac_aiter *src;
    ac_aiter it;   /* scoped_iter: the view it enters as */
    bool ended;    /* closed (borrow) or its scope ended (scoped_iter) */
    bool entered;  /* scoped_iter: entered now */
} view;

static int view_next(ac_frame *caller, void *more, void *self, void *item)
{
    view *v = self;
    if (!v)
        return fail(caller, ac__error_nomem());
    if (v->ended)
        return AC_DONE; /* *more is false */
    return ac_aiter_next__await(caller, more, v->src, item);
}

static int borrow_aclose(ac_frame *caller, void *ret, void *self)
{
    (void)caller;
    (void)ret;
    if (self)
        ((view *)self)->ended = true;
    return AC_DONE;
}

static void view_free(void *self)
{
    ac__free(self);
}

static const ac_aiter_class borrow_class = {
    .name = "ac_borrow", .next = view_next, .aclose = borrow_aclose, .free = view_free};

static view *view_new(ac_aiter *src)
{
    view *v = ac__malloc(sizeof *v);
    if (v) {
        memset(v, 0, sizeof *v);
        v->src = src;
    }
    return v;
}

ac_aiter ac_borrow(ac_aiter *it)
{
    return AC_AITER(&borrow_class, view_new(it));
}

/* ---------------------------------------------------------- ac_scoped_iter */

static const ac_aiter_class scoped_view_class = {.name = "scoped view", .next = view_next};

static void *scoped_enter(void *self, ac_error **raise)
{
    view *v = self;
    if (!v) {
        *raise = ac__error_nomem();
        return NULL;
    }
    if (v->entered || v->ended) {
        *raise = ac_error_new(AC_ESTATE, "ac_scoped_iter: already entered");
        return NULL;
    }
    v->entered = true;
    v->it = AC_AITER(&scoped_view_class, v);
    return &v->it;
}

/* The exit closes the source; the view ends with the scope. */
typedef struct scoped_frame {
    ac_frame hdr;
    view *v;
} scoped_frame;

static int scoped_resume(ac_frame *f)
{
    scoped_frame *s = (scoped_frame *)(void *)f;
    if (f->state == 0) {
        f->state = 1;
        if (ac_aiter_aclose__await(f, NULL, s->v->src))
            return ac__pending(f, scoped_resume);
    }
    ac__free(s->v);
    return ac__frame_return(f);
}

static int scoped_exit(ac_frame *caller, void *sup, void *self, ac_error *err)
{
    (void)err;
    view *v = self;
    *(bool *)sup = false;
    v->ended = true;
    scoped_frame *s = AC_FRAME_PUSH(scoped_frame, caller, NULL, scoped_resume);
    if (!s) {
        ac__free(v);
        return AC_DONE; /* ENOMEM is in caller->err */
    }
    s->v = v;
    return ac__frame_start_fn(&s->hdr, scoped_resume);
}

static void scoped_drop(void *self)
{
    ac__free(self);
}

static const ac_cm_class scoped_class = {
    .name = "ac_scoped_iter",
    .enter = scoped_enter,
    .aexit_await = scoped_exit,
    .drop = scoped_drop,
};

ac_cm ac_scoped_iter(ac_aiter *it)
{
    return AC_CM(&scoped_class, view_new(it));
}

/* ---------------------------------------------------------- coroutine objects */

typedef struct op_frame {
    ac_frame hdr;
    ac_aiter *it;
    void *item;   /* next: where the item goes */
    bool more;    /* next: the result slot of the coroutine object */
    bool closing; /* aclose rather than next */
} op_frame;

static int op_resume(ac_frame *f)
{
    op_frame *o = (op_frame *)(void *)f;
    if (f->state == 0) {
        f->state = 1;
        int r = o->closing ? ac_aiter_aclose__await(f, NULL, o->it)
                           : ac_aiter_next__await(f, f->ret, o->it, o->item);
        if (r)
            return ac__pending(f, op_resume);
    }
    return ac__frame_return(f);
}

ac_coro *ac_aiter_next(ac_aiter *it, void *item)
{
    op_frame *o = AC_CORO_NEW_RESULT(op_frame, op_resume, more);
    if (o) {
        o->it = it;
        o->item = item;
    }
    return (ac_coro *)o;
}

ac_coro *ac_aiter_aclose(ac_aiter *it)
{
    op_frame *o = AC_CORO_NEW(op_frame, op_resume);
    if (o) {
        o->it = it;
        o->closing = true;
    }
    return (ac_coro *)o;
}

ac_coro *ac_aiter_close_fn(void *it)
{
    return ac_aiter_aclose(it);
}
