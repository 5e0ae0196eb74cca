/* aiter.c: async iterators (ac/aiter.h): dispatch, ac_borrow, and the
 * coroutine objects of ac_aiter_next and ac_aiter_aclose for plain C. */
#include <errno.h>
#include <string.h>

#include "ac/aiter.h"
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

void ac_aiter_free(ac_aiter *it)
{
    if (!it || !it->cls)
        return;
    if (it->cls->free)
        it->cls->free(it->self);
    it->cls = NULL;
    it->self = NULL;
}

/* ---------------------------------------------------------- ac_borrow */

static int borrow_next(ac_frame *caller, void *more, void *self, void *item)
{
    return ac_aiter_next__await(caller, more, self, item);
}

static const ac_aiter_class borrow_class = {.name = "ac_borrow", .next = borrow_next};

ac_aiter ac_borrow(ac_aiter *it)
{
    return AC_AITER(it && it->cls ? &borrow_class : NULL, it);
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
