/* ac/aiter.h: async iterators.
 *
 * An iterator is a value of type ac_aiter: a class (its next and close) and
 * the object they act on.  An async generator called outside `async for`
 * returns one; plain C implements one by writing a class:
 *
 *     next:  store the next item through `item` and set *more = true, or
 *            set *more = false at the end (an error ends it too);
 *     close: end it now, running its cleanup (may be NULL: nothing to do);
 *     free:  release the object (may be NULL).
 *
 * Both are await entries (ac/frame.h): `int next(ac_frame *caller, void
 * *more, void *self, void *item)` and `int aclose(ac_frame *caller, void
 * *ret, void *self)`.
 *
 * Ownership.  Whoever holds an ac_aiter frees it once with ac_aiter_free()
 * (close it first: a generator value freed paused at a yield is closed by
 * a task of its own, later, ac/gen.h "Freed").  `async for (T v :
 * EXPR)` over an iterator closes it when the loop ends, however it ends;
 * over ac_borrow(it) it does not, and a later loop continues with the next
 * item.  When EXPR is a call (a temporary the program cannot name), the
 * loop also frees it.
 */
#ifndef AC_AITER_H
#define AC_AITER_H

#include <stdbool.h>

#include "ac/cm.h"
#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_aiter_class {
    const char *name;
    int (*next)(ac_frame *caller, void *more, void *self, void *item);
    int (*aclose)(ac_frame *caller, void *ret, void *self); /* NULL: nothing to close */
    void (*free)(void *self);                               /* NULL: nothing to free */
} ac_aiter_class;

typedef struct ac_aiter {
    const ac_aiter_class *cls; /* NULL: not an iterator (EINVAL) */
    void *self;
} ac_aiter;

#define AC_AITER(klass, obj) ((ac_aiter){.cls = (klass), .self = (obj)})

/* The next item of *it, stored through `item` (which must point to an
 * object of the item type; it may be NULL for an async generator of void,
 * which stores none): true, or false at the end.  An async generator
 * asked while it runs (resumed by another request, it waits at an await of
 * its body) throws AC_ESTATE "async generator: already running", changing
 * nothing. */
/*acc: async bool ac_aiter_next(ac_aiter *it, void *item); */
ac_coro *ac_aiter_next(ac_aiter *it, void *item);
int ac_aiter_next__await(ac_frame *caller, void *more, ac_aiter *it, void *item);

/* Close *it now (its cleanup runs; an error it throws propagates).  Closing
 * an ended or closed iterator does nothing; closing a running async
 * generator (or one being closed) throws AC_ESTATE "async generator:
 * already running", changing nothing. */
/*acc: async void ac_aiter_aclose(ac_aiter *it); */
ac_coro *ac_aiter_aclose(ac_aiter *it);
int ac_aiter_aclose__await(ac_frame *caller, void *ret, ac_aiter *it);

/* For ac_closing(it_ptr, ac_aiter_close_fn): close an `ac_aiter *`. */
ac_coro *ac_aiter_close_fn(void *it);

/* What the generated code stores an `async for` iterator with: an ac_aiter
 * or a pointer to one (any other type is a compile-time error). */
static inline void ac__aiter_put(ac_aiter *dst, ac_aiter it)
{
    dst->cls = it.cls;
    dst->self = it.self;
}
static inline void ac__aiter_put_ptr(ac_aiter *dst, const ac_aiter *it)
{
    ac_aiter none = {NULL, NULL}; /* no compound literal: C++ includes this too */
    ac__aiter_put(dst, it ? *it : none);
}
#define ac__aiter_set(dst, x) \
    _Generic((x), ac_aiter *: ac__aiter_put_ptr, const ac_aiter *: ac__aiter_put_ptr, \
             default: ac__aiter_put)((dst), (x))

/* Free *it and return 0.  NULL-safe; *it becomes not an iterator.  It
 * is not closed first, but for an async generator value paused at a
 * yield, whose close then runs in a task of its own (ac/gen.h, "Freed";
 * ac_run waits for it; from outside any task it is done when the call
 * returns).  An async generator value that runs (a request, of another
 * task or of its own code, is waiting for it) is not freed: the call
 * returns AC_ESTATE and leaves *it as it is, to be freed once the request
 * is over.  Free it only once no loop over it goes on either (the loop
 * holds a copy, which nothing can check): the holder sees to that. */
int ac_aiter_free(ac_aiter *it);

/* A view of *it that never closes it: a loop over the view leaves *it open,
 * and a later loop continues with the next item.  Closing the view ends the
 * view (and views borrowed from it) but not *it.  *it must outlive the
 * view.  The view is a small heap object: free it with ac_aiter_free (a
 * loop over `ac_borrow(...)` written in place frees it); without memory,
 * its next throws ENOMEM.  A NULL or non-iterator *it gives a view whose
 * next throws EINVAL. */
ac_aiter ac_borrow(ac_aiter *it);

/* A manager (asyncstdlib's scoped_iter) owning *it for a block: it enters
 * as an `ac_aiter *` view that loops and consumers cannot close (closing it
 * does nothing), and its exit closes *it.  Entering it while it is entered
 * already throws AC_ESTATE "already entered".  Single use. */
ac_cm ac_scoped_iter(ac_aiter *it);

#ifdef __cplusplus
}
#endif
#endif /* AC_AITER_H */
