/* exitstack.c: the exit stack (ac/exitstack.h).
 *
 * Entries form a doubly linked list, newest on top.  Each has a handle: a
 * serial number, unique on its thread, so that ac_exit_stack_remove() finds
 * an entry by searching and never follows a pointer that may be stale.
 *
 * Unwinding pops the newest entry, runs it and frees it, and loops: any
 * number of entries takes constant C stack, and an entry removed while
 * another runs is simply gone when its turn would come.  The unwinder
 * models nested `async with` statements: it keeps the error in flight,
 * hands it to each exit (borrowed), lets an exit suppress it or an error
 * replace it, and marks it as being handled meanwhile, so that errors
 * thrown by entries get it as their context.
 *
 * Registration is synchronous except `enter`, which awaits the manager's
 * enter; its entry is allocated first, so that once the manager has entered
 * registering cannot fail.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ac/exitstack.h"
#include "ac/primitive.h"
#include "internal.h"
#include "pool.h"

enum kind { K_CALLBACK, K_ACALLBACK, K_EXIT, K_AEXIT, K_CM };

typedef union entry_fn {
    ac_callback_fn cb;
    ac_acallback_fn acb;
    ac_exit_fn exit;
    ac_aexit_fn aexit;
} entry_fn;

typedef struct entry entry;
struct entry {
    entry *older, *newer; /* neighbours in the stack */
    ac_exit_handle id;
    unsigned char kind;    /* enum kind */
    unsigned char entered; /* K_CM: entered through the stack (else pushed) */
    bool pooled;           /* from the pool (ac__pool_release) */
    entry_fn fn;
    void *arg;          /* the exit's argument, or the callback's arguments */
    ac_cm cm;           /* K_CM: the manager (its exit receives &cm if WHOLE) */
    max_align_t copy[]; /* the callback's arguments, copied */
};

/* The frame that unwinds a stack.  It lives in the stack itself, so that
 * unwinding needs no memory: registered cleanups run even when memory has
 * run out (BX-09). */
typedef struct unwind_frame {
    ac_frame hdr;
    ac_error *handled;   /* (ac__hframe: it handles errors) */
    ac_exit_stack *st;
    ac_cm *owner;        /* ac_exit_stack_open()'s manager: free st at the end */
    ac_error *received;  /* the error the stack's exit received (borrowed) */
    ac_error *inflight;  /* the error in flight now (owned), or NULL */
    entry *cur;          /* the entry running (unlinked, owned) */
    ac_coro *c;          /* its coroutine object, or NULL */
    bool res;            /* what an exit returned */
    max_align_t scratch[2]; /* result of a callback coroutine without a slot */
} unwind_frame;

struct ac_exit_stack {
    unwind_frame uf; /* in use while `unwinding` */
    entry *top;      /* newest, NULL when empty */
    size_t size;     /* entries */
    bool unwinding;
    bool doomed;     /* freed while unwinding: the unwinder frees it */
    bool pooled;     /* from the pool (ac__pool_release) */
};

static AC__TLS ac_exit_handle serial; /* the last handle given on this thread */

/* ---------------------------------------------------------- entries */

static entry *entry_new(enum kind kind, size_t copy)
{
    if (copy > SIZE_MAX - sizeof(entry))
        return NULL;
    bool pooled;
    entry *e = ac__pool_alloc(sizeof(entry) + copy, &pooled);
    if (e) {
        memset(e, 0, sizeof *e);
        e->kind = (unsigned char)kind;
        e->pooled = pooled;
    }
    return e;
}

/* Free e, which the stack no longer holds.  A manager whose exit will not
 * run is dropped unless the caller takes it over. */
static void entry_free(entry *e, bool drop)
{
    if (drop && e->kind == K_CM)
        ac_cm_drop(&e->cm);
    ac__pool_release(e, e->pooled);
}

static void link_top(ac_exit_stack *st, entry *e)
{
    e->id = ++serial;
    e->older = st->top;
    e->newer = NULL;
    if (st->top)
        st->top->newer = e;
    st->top = e;
    st->size++;
}

static void unlink_entry(ac_exit_stack *st, entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        st->top = e->older;
    if (e->older)
        e->older->newer = e->newer;
    st->size--;
}

static entry *find(const ac_exit_stack *st, ac_exit_handle h)
{
    entry *e = st->top;
    while (e && e->id != h)
        e = e->older;
    return e;
}

/* ---------------------------------------------------------- stacks */

ac_exit_stack *ac_exit_stack_new(void)
{
    bool pooled;
    ac_exit_stack *st = ac__pool_alloc(sizeof *st, &pooled);
    if (st) {
        st->top = NULL;
        st->size = 0;
        st->unwinding = false;
        st->doomed = false;
        st->pooled = pooled;
    }
    return st;
}

/* The registrations not run yet are dropped at once.  A stack freed while
 * it unwinds (by one of its own callbacks, say) holds the unwinding frame,
 * which the entry running returns to: the unwinder, finding nothing left
 * to run, frees it as it ends (unwind_end). */
void ac_exit_stack_free(ac_exit_stack *st)
{
    if (!st)
        return;
    while (st->top) {
        entry *e = st->top;
        unlink_entry(st, e);
        entry_free(e, true); /* never exited: drop */
    }
    if (st->unwinding)
        st->doomed = true;
    else
        ac__pool_release(st, st->pooled);
}

size_t ac_exit_stack_size(const ac_exit_stack *st)
{
    return st ? st->size : 0;
}

ac_exit_handle ac_exit_stack_last(const ac_exit_stack *st)
{
    return st && st->top ? st->top->id : 0;
}

int ac_exit_stack_remove(ac_exit_stack *st, ac_exit_handle h)
{
    entry *e = st && h ? find(st, h) : NULL;
    if (!e)
        return EINVAL;
    unlink_entry(st, e);
    entry_free(e, !e->entered); /* an entered manager: the caller's now */
    return 0;
}

/* ---------------------------------------------------------- registration */

static int fail(ac_frame *caller, ac_error *e)
{
    ac__throw(caller, e, __FILE__, __LINE__);
    return AC_DONE;
}

/* Check a registration's stack and argument; if one is missing throw
 * EINVAL, give handle 0 and return true: nothing is registered. */
static bool refused(ac_frame *caller, void *ret, const ac_exit_stack *st, bool ok,
                    const char *what)
{
    if (st && ok)
        return false;
    if (ret)
        *(ac_exit_handle *)ret = 0;
    if (!st)
        fail(caller, ac_error_new(EINVAL, "%s: no exit stack", what));
    else
        fail(caller, ac_error_new(EINVAL, "%s: NULL function", what));
    return true;
}

/* Link e (NULL: out of memory) and give its handle through ret. */
static int registered(ac_frame *caller, void *ret, ac_exit_stack *st, entry *e)
{
    if (e)
        link_top(st, e);
    if (ret)
        *(ac_exit_handle *)ret = e ? e->id : 0;
    if (!e)
        return fail(caller, ac__error_nomem());
    return AC_DONE;
}

/* The entry of an exit function or callback, its arguments copied (size
 * 0: the pointer itself is kept); NULL without memory. */
static entry *fn_entry(enum kind kind, const void *args, size_t size)
{
    entry *e = entry_new(kind, size);
    if (e && size) {
        memcpy(e->copy, args, size);
        e->arg = e->copy;
    } else if (e) {
        e->arg = (void *)(uintptr_t)args;
    }
    return e;
}

int ac_exit_stack_push__await(ac_frame *caller, void *ret, ac_exit_stack *st, ac_cm cm)
{
    if (refused(caller, ret, st, true, "ac_exit_stack_push")) {
        ac_cm_drop(&cm); /* nothing will exit it (a NULL st: ac_exit_stack_new ran out of memory) */
        return AC_DONE;
    }
    if (!ac__cm_class(&cm)) {
        if (ret)
            *(ac_exit_handle *)ret = 0;
        return fail(caller, ac__cm_invalid(&cm));
    }
    entry *e = entry_new(K_CM, 0);
    if (e)
        e->cm = cm;
    else
        ac_cm_drop(&cm); /* it will never be exited */
    return registered(caller, ret, st, e);
}

/* Register exit function or callback fn (ok: its arguments are valid). */
static int register_fn(ac_frame *caller, void *ret, ac_exit_stack *st, enum kind kind, entry_fn fn,
                       bool ok, const void *args, size_t size, const char *what)
{
    if (refused(caller, ret, st, ok, what))
        return AC_DONE;
    entry *e = fn_entry(kind, args, size);
    if (e)
        e->fn = fn;
    return registered(caller, ret, st, e);
}

int ac__exit_stack_push_exit__await(ac_frame *caller, void *ret, ac_exit_stack *st, ac_exit_fn fn,
                                    void *arg)
{
    return register_fn(caller, ret, st, K_EXIT, (entry_fn){.exit = fn}, fn != NULL, arg, 0,
                       "ac_exit_stack_push_exit");
}

int ac__exit_stack_push_aexit__await(ac_frame *caller, void *ret, ac_exit_stack *st,
                                     ac_aexit_fn fn, void *arg)
{
    return register_fn(caller, ret, st, K_AEXIT, (entry_fn){.aexit = fn}, fn != NULL, arg, 0,
                       "ac_exit_stack_push_exit");
}

int ac__exit_stack_callback__await(ac_frame *caller, void *ret, ac_exit_stack *st,
                                   ac_callback_fn fn, const void *args, size_t size)
{
    return register_fn(caller, ret, st, K_CALLBACK, (entry_fn){.cb = fn}, fn && (args || !size),
                       args, size, "ac_exit_stack_callback");
}

int ac__exit_stack_acallback__await(ac_frame *caller, void *ret, ac_exit_stack *st,
                                    ac_acallback_fn fn, const void *args, size_t size)
{
    return register_fn(caller, ret, st, K_ACALLBACK, (entry_fn){.acb = fn},
                       fn && (args || !size), args, size, "ac_exit_stack_callback");
}

int ac_exit_stack_pop_all__await(ac_frame *caller, void *ret, ac_exit_stack *st)
{
    if (ret)
        *(ac_exit_stack **)ret = NULL;
    if (!st)
        return fail(caller, ac_error_new(EINVAL, "ac_exit_stack_pop_all: no exit stack"));
    ac_exit_stack *n = ac_exit_stack_new();
    if (!n)
        return fail(caller, ac__error_nomem()); /* nothing moved */
    n->top = st->top; /* the entries (and so their handles) follow */
    n->size = st->size;
    st->top = NULL;
    st->size = 0;
    if (ret)
        *(ac_exit_stack **)ret = n;
    else
        ac_exit_stack_free(n); /* nobody will unwind them: dropped */
    return AC_DONE;
}

/* ---------------------------------------------------------- enter */

typedef struct enter_frame {
    ac_frame hdr;
    ac_exit_stack *st;
    entry *e;    /* allocated before entering; linked once entered */
    void *value; /* the entered value */
} enter_frame;

static int enter_resume(ac_frame *hdr)
{
    enter_frame *f = (enter_frame *)(void *)hdr;
    if (hdr->state == 0) {
        hdr->state = 1;
        if (ac_cm_enter__await(hdr, &f->value, &f->e->cm))
            return ac__pending(hdr, enter_resume);
    }
    if (hdr->err) {
        entry_free(f->e, false); /* not entered: nothing to exit (XS-31) */
        return ac__frame_return(hdr);
    }
    f->e->entered = 1;
    link_top(f->st, f->e);
    if (hdr->ret)
        *(void **)hdr->ret = f->value;
    return ac__frame_return(hdr);
}

int ac_exit_stack_enter__await(ac_frame *caller, void *ret, ac_exit_stack *st, ac_cm cm)
{
    if (!st) {
        ac_cm_drop(&cm); /* never entered (see ac_exit_stack_push) */
        return fail(caller, ac_error_new(EINVAL, "ac_exit_stack_enter: no exit stack"));
    }
    if (!ac__cm_class(&cm))
        return fail(caller, ac__cm_invalid(&cm)); /* nothing called (XS-08) */
    entry *e = entry_new(K_CM, 0);
    if (!e) {
        ac_cm_drop(&cm); /* never entered */
        return fail(caller, ac__error_nomem());
    }
    e->cm = cm;
    enter_frame *f = AC_FRAME_PUSH(enter_frame, caller, ret, enter_resume);
    if (!f) {
        entry_free(e, true); /* ENOMEM is in caller->err */
        return AC_DONE;
    }
    f->st = st;
    f->e = e;
    f->value = NULL;
    return ac__frame_start_fn(&f->hdr, enter_resume);
}

/* ---------------------------------------------------------- unwinding */


/* Run entry f->cur with the error in flight; its outcome is in f->hdr.err
 * and f->res when it has finished. */
static int entry_start(unwind_frame *f)
{
    entry *e = f->cur;
    ac_frame *hdr = &f->hdr;
    ac_error *raise = NULL;
    f->res = false;
    f->c = NULL;
    switch (e->kind) {
    case K_CALLBACK:
        e->fn.cb(e->arg, &raise);
        break;
    case K_EXIT:
        f->res = e->fn.exit(e->arg, f->inflight, &raise);
        break;
    case K_ACALLBACK:
        f->c = e->fn.acb(e->arg);
        if (f->c && !f->c->ret)
            f->c->ret = f->scratch;
        return ac__coro_await(hdr, f->c, NULL);
    case K_AEXIT:
        f->c = e->fn.aexit(e->arg, f->inflight);
        return ac__coro_await(hdr, f->c, &f->res);
    default:
        return ac_cm_exit__await(hdr, &f->res, &e->cm, f->inflight);
    }
    if (raise)
        ac__throw(hdr, raise, NULL, 0); /* its context: what this frame handles */
    return AC_DONE;
}

/* The entry has finished: free it, and apply its outcome.  A thrown error
 * replaces the one in flight (its context already); an exit returning true
 * suppresses the one in flight; callbacks never suppress. */
static void entry_finish(unwind_frame *f)
{
    ac_frame *hdr = &f->hdr;
    bool is_exit = f->cur->kind == K_EXIT || f->cur->kind == K_AEXIT || f->cur->kind == K_CM;
    ac_coro_free(f->c);
    f->c = NULL;
    if (f->cur->kind == K_CM) /* the stack's copy, released as `async with`
                                 over a call releases its value */
        ac__cm_release(&f->cur->cm);
    entry_free(f->cur, false); /* its exit ran (or ac_cm_exit dropped it) */
    f->cur = NULL;
    if (hdr->err) {
        ac_error_release(f->inflight);
        f->inflight = hdr->err;
        hdr->err = NULL;
    } else if (is_exit && f->res && f->inflight) {
        ac_error_release(f->inflight);
        f->inflight = NULL;
    }
}

/* The stack's exit reports "suppressed" only when it received an error and
 * nothing is in flight at the end (XS-30); an error other than the one it
 * received propagates with the chain the unwinding built. */
static int unwind_end(unwind_frame *f)
{
    ac_frame *hdr = &f->hdr;
    ac_exit_stack *st = f->st;
    bool suppressed = f->received && !f->inflight;
    if (f->inflight == f->received)
        ac_error_release(f->inflight); /* none, or the received one going on */
    else
        hdr->err = f->inflight;
    f->inflight = NULL;
    if (hdr->ret)
        *(bool *)hdr->ret = suppressed;
    ac_cm *owner = f->owner;
    bool doomed = st->doomed;
    st->unwinding = false;
    ac__shield_pop(hdr);
    int r = ac__frame_return(hdr); /* a coroutine-style frame: not popped */
    if (owner || doomed) /* the frame lives in the stack: free it only now */
        ac_exit_stack_free(st);
    if (owner)
        owner->data.p[0] = NULL;
    return r;
}

static int unwind_resume(ac_frame *hdr)
{
    unwind_frame *f = (unwind_frame *)(void *)hdr;
    if (hdr->state == 1)
        goto resumed;
    hdr->state = 1;
    while ((f->cur = f->st->top) != NULL) {
        unlink_entry(f->st, f->cur); /* removed as it runs (XS-32) */
        /* Errors thrown by the entry get the error in flight as context.
           After a suppression there is none, and the error the stack
           received, which its callers still handle, must not be it
           either (XS-15). */
        ac__handle(hdr, f->inflight ? f->inflight : f->received ? AC__NO_CONTEXT : NULL);
        if (entry_start(f))
            return ac__pending(hdr, unwind_resume);
    resumed:
        entry_finish(f);
    }
    return unwind_end(f);
}

/* Unwind st with `received` in flight; the result (bool: suppressed) goes
 * through ret if not NULL. */
static int unwind(ac_frame *caller, void *ret, ac_exit_stack *st, ac_cm *owner,
                  ac_error *received)
{
    if (ret)
        *(bool *)ret = false;
    if (st->unwinding)
        return fail(caller, ac_error_new(AC_ESTATE, "ac_exit_stack: already unwinding"));
    st->unwinding = true;
    unwind_frame *f = &st->uf;
    /* Flagged as a coroutine object: finishing it does not pop the task's
       frame stack, which it is not on. */
    ac__frame_init(&f->hdr, caller, caller->task, unwind_resume, ret, AC_FRAME_CORO);
    f->st = st;
    f->owner = owner;
    f->received = received;
    f->inflight = ac_error_retain(received);
    f->cur = NULL;
    f->c = NULL;
    f->res = false;
    /* The registrations are cleanup, shielded (BEHAVIOURS D2) however the
       unwinding is reached: the stack's exit in `async with` is shielded
       already, an `await ac_exit_stack_aclose(st)` written by hand is not. */
    ac__shield_push(&f->hdr);
    return ac__frame_start_fn(&f->hdr, unwind_resume);
}

int ac_exit_stack_aclose__await(ac_frame *caller, void *ret, ac_exit_stack *st)
{
    (void)ret; /* void */
    if (!st)
        return fail(caller, ac_error_new(EINVAL, "ac_exit_stack_aclose: no exit stack"));
    return unwind(caller, NULL, st, NULL, NULL);
}

/* ---------------------------------------------------------- the stack as a manager */

/* ac_exit_stack_open() and ac_exit_stack_cm(st) keep the stack in data.p[0]
 * (their members receive the ac_cm itself). */
static const ac_cm_class owned_class, borrowed_class;

static void *stack_enter(void *self, ac_error **raise)
{
    ac_cm *cm = self;
    if (cm->cls == &owned_class) {
        if (cm->data.p[0]) {
            *raise = ac_error_new(AC_ESTATE, "ac_exit_stack: already entered");
            return NULL;
        }
        cm->data.p[0] = ac_exit_stack_new();
        if (!cm->data.p[0])
            *raise = ac__error_nomem();
    }
    return cm->data.p[0];
}

static int stack_exit__await(ac_frame *caller, void *suppress, void *self, ac_error *err)
{
    ac_cm *cm = self;
    ac_exit_stack *st = cm->data.p[0];
    if (!st) {
        if (suppress)
            *(bool *)suppress = false;
        return fail(caller, ac_error_new(AC_ESTATE, "ac_exit_stack: not entered"));
    }
    return unwind(caller, suppress, st, cm->cls == &owned_class ? cm : NULL, err);
}

/* ac_exit_stack_open()'s value discarded without its exit: free the stack it
 * made, dropping what it holds. */
static void stack_drop(void *self)
{
    ac_cm *cm = self;
    ac_exit_stack_free(cm->data.p[0]);
    cm->data.p[0] = NULL;
}

static const ac_cm_class owned_class = {
    .name = "ac_exit_stack",
    .enter = stack_enter,
    .aexit_await = stack_exit__await,
    .drop = stack_drop,
    .flags = AC_CM_WHOLE,
};

static const ac_cm_class borrowed_class = {
    .name = "ac_exit_stack_cm",
    .enter = stack_enter,
    .aexit_await = stack_exit__await,
    .flags = AC_CM_WHOLE,
};

ac_cm ac_exit_stack_open(void)
{
    return ac_cm_make(&owned_class, NULL); /* the stack is made by enter */
}

ac_cm ac_exit_stack_cm(ac_exit_stack *st)
{
    ac_cm m = ac_cm_make(st ? &borrowed_class : NULL, NULL); /* NULL: not a manager */
    m.data.p[0] = st;
    return m;
}

/* ---------------------------------------------------------- coroutine objects */

/* Every coroutine object of this file awaits its await entry once: `op`
 * says which, with the arguments kept here.  The arguments of a callback
 * are copied when the coroutine runs. */
enum op { OP_ENTER, OP_PUSH, OP_PUSH_EXIT, OP_PUSH_AEXIT, OP_CALLBACK, OP_ACALLBACK, OP_POP_ALL,
          OP_ACLOSE };

typedef struct call_frame {
    ac_frame hdr;
    void (*drop)(ac_frame *f); /* (ac__dropping: an enter's or a push's) */
    enum op op;
    ac_exit_stack *st;
    ac_cm cm;
    entry_fn fn;
    const void *args;
    size_t size;
    union {
        void *value;
        ac_exit_handle h;
        ac_exit_stack *st;
    } result;
} call_frame;

/* An enter run as a task of its own (ac_run of it, or a spawn) refuses a
 * task-bound manager, as ac_cm_enter does: the task would end as soon as
 * it had entered, with the manager bound to it.  Nothing is registered and
 * the value, which the stack was given, is dropped. */
static int enter_alone(call_frame *f)
{
    ac_frame *h = &f->hdr;
    ac_error *refused = f->st ? ac__cm_enter_alone(h, &f->cm) : NULL;
    if (!refused)
        return ac_exit_stack_enter__await(h, h->ret, f->st, f->cm);
    ac_cm_drop(&f->cm);
    return fail(h, refused);
}

static int call_start(call_frame *f)
{
    ac_frame *h = &f->hdr;
    switch (f->op) {
    case OP_ENTER: return enter_alone(f);
    case OP_PUSH: return ac_exit_stack_push__await(h, h->ret, f->st, f->cm);
    case OP_PUSH_EXIT:
        return ac__exit_stack_push_exit__await(h, h->ret, f->st, f->fn.exit,
                                               (void *)(uintptr_t)f->args);
    case OP_PUSH_AEXIT:
        return ac__exit_stack_push_aexit__await(h, h->ret, f->st, f->fn.aexit,
                                                (void *)(uintptr_t)f->args);
    case OP_CALLBACK:
        return ac__exit_stack_callback__await(h, h->ret, f->st, f->fn.cb, f->args, f->size);
    case OP_ACALLBACK:
        return ac__exit_stack_acallback__await(h, h->ret, f->st, f->fn.acb, f->args, f->size);
    case OP_POP_ALL: return ac_exit_stack_pop_all__await(h, h->ret, f->st);
    case OP_ACLOSE: break;
    }
    return ac_exit_stack_aclose__await(h, NULL, f->st);
}

static int call_resume(ac_frame *hdr)
{
    if (hdr->state == 0) {
        hdr->state = 1;
        if (call_start((call_frame *)(void *)hdr))
            return ac__pending(hdr, call_resume);
    }
    return ac__frame_return(hdr);
}

static call_frame *call_new(enum op op, ac_exit_stack *st)
{
    call_frame *f = AC_CORO_NEW_RESULT(call_frame, call_resume, result);
    if (f) {
        f->op = op;
        f->st = st;
    }
    return f;
}

/* Freed unstarted, an enter's or a push's object drops its manager. */
static void call_drop(ac_frame *hdr)
{
    ac_cm_drop(&((call_frame *)(void *)hdr)->cm);
}

/* The coroutine object of an enter or a push holds the manager value;
 * without memory for it, the value is dropped, as a registration that runs
 * out of memory drops it (and as ac_taskgroup_spawn disposes of its
 * coroutine): no one will ever exit it.  So is it if the object is freed
 * without being run (ac__dropping). */
static ac_coro *call_with_cm(enum op op, ac_exit_stack *st, ac_cm cm)
{
    call_frame *f = call_new(op, st);
    if (!f) {
        ac_cm_drop(&cm);
        return NULL;
    }
    f->cm = cm;
    f->drop = call_drop;
    f->hdr.flags |= AC_FRAME_DROPS;
    return (ac_coro *)f;
}

ac_coro *ac_exit_stack_enter(ac_exit_stack *st, ac_cm cm)
{
    return call_with_cm(OP_ENTER, st, cm);
}

ac_coro *ac_exit_stack_push(ac_exit_stack *st, ac_cm cm)
{
    return call_with_cm(OP_PUSH, st, cm);
}

ac_coro *ac__exit_stack_push_exit(ac_exit_stack *st, ac_exit_fn fn, void *arg)
{
    call_frame *f = call_new(OP_PUSH_EXIT, st);
    if (f) {
        f->fn.exit = fn;
        f->args = arg;
    }
    return (ac_coro *)f;
}

ac_coro *ac__exit_stack_push_aexit(ac_exit_stack *st, ac_aexit_fn fn, void *arg)
{
    call_frame *f = call_new(OP_PUSH_AEXIT, st);
    if (f) {
        f->fn.aexit = fn;
        f->args = arg;
    }
    return (ac_coro *)f;
}

ac_coro *ac__exit_stack_callback(ac_exit_stack *st, ac_callback_fn fn, const void *args, size_t size)
{
    call_frame *f = call_new(OP_CALLBACK, st);
    if (f) {
        f->fn.cb = fn;
        f->args = args;
        f->size = size;
    }
    return (ac_coro *)f;
}

ac_coro *ac__exit_stack_acallback(ac_exit_stack *st, ac_acallback_fn fn, const void *args,
                                  size_t size)
{
    call_frame *f = call_new(OP_ACALLBACK, st);
    if (f) {
        f->fn.acb = fn;
        f->args = args;
        f->size = size;
    }
    return (ac_coro *)f;
}

ac_coro *ac_exit_stack_pop_all(ac_exit_stack *st)
{
    return (ac_coro *)call_new(OP_POP_ALL, st);
}

ac_coro *ac_exit_stack_aclose(ac_exit_stack *st)
{
    return (ac_coro *)call_new(OP_ACLOSE, st);
}
