/* cm.c: the context-manager protocol (ac/cm.h): ac_cm_enter and ac_cm_exit,
 * which dispatch on the members a class sets, ac_cm_drop, and the built-in
 * managers ac_nullcontext, ac_closing, ac_suppress and ac_suppress_if.
 *
 * Dispatch.  An `_await` member is called directly with the caller's frame,
 * and a plain member is called inline, so entering needs no frame of its
 * own but for a coroutine-constructor member (`aenter`): that coroutine
 * object is created and awaited from a small frame, then freed.  Exiting
 * through an async member always takes a frame: it marks the error in
 * flight as being handled (ac__handle), so that errors thrown inside the
 * exit get it as their context, and it normalises the result (suppression
 * counts only when there was an error to suppress).
 *
 * Ownership of a manager value.  An enter or exit that runs owns the
 * outcome: a failing enter, and every exit, release what the value owns.
 * When the runtime cannot call them at all for lack of memory, it drops the
 * value (ac_cm_drop) instead, so that nothing leaks.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ac/cm.h"
#include "ac/primitive.h"
#include "internal.h"

/* ---------------------------------------------------------- helpers */

int ac__coro_await(ac_frame *f, ac_coro *c, void *ret)
{
    if (!c) {
        ac__throw(f, ac__error_nomem(), __FILE__, __LINE__);
        return AC_DONE;
    }
    c->caller = f;
    c->task = f->task;
    if (ret)
        c->ret = ret;
    return ac__frame_start_fn(c, c->resume);
}

const ac_cm_class *ac__cm_class(const ac_cm *cm)
{
    const ac_cm_class *cls = cm ? cm->cls : NULL;
    if (cls && (cls->aexit_await || cls->aexit || cls->exit))
        return cls;
    return NULL;
}

ac_error *ac__cm_invalid(const ac_cm *cm)
{
    const char *name = cm && cm->cls ? cm->cls->name : NULL;
    if (name)
        return ac_error_new(EINVAL, "not a context manager (class '%s' has no exit)", name);
    return ac_error_new(EINVAL, "not a context manager");
}

/* What the class's members receive as `self`. */
static void *cm_self(ac_cm *cm)
{
    return (cm->cls->flags & AC_CM_WHOLE) ? (void *)cm : cm->self;
}

void ac_cm_release(ac_cm *cm)
{
    if (cm && cm->cls && cm->cls->release)
        cm->cls->release(cm_self(cm));
}

void ac_cm_drop(ac_cm *cm)
{
    if (cm && cm->cls && cm->cls->drop)
        cm->cls->drop(cm_self(cm));
}

/* Throw an error a plain member handed over through `raise` in caller,
 * while `err` (or nothing) is being handled there.  No location: the error
 * was not thrown by a `throw` statement. */
static void throw_raised(ac_frame *caller, ac_error *raise, ac_error *err)
{
    ac__error_chain(raise, err);
    ac__throw(caller, raise, NULL, 0);
}

int ac__cm_raise(ac_frame *caller, ac_error *raise, ac_error *err)
{
    throw_raised(caller, raise, err);
    return AC_DONE;
}

/* ---------------------------------------------------------- enter */

/* Entering through a coroutine-constructor member: await its coroutine. */
typedef struct enter_frame {
    ac_frame hdr;
    ac_cm *cm;
    ac_coro *c;  /* the enter's coroutine object while it runs */
    void *value; /* its result */
} enter_frame;

static int enter_resume(ac_frame *hdr)
{
    enter_frame *f = (enter_frame *)(void *)hdr;
    if (hdr->state == 0) {
        hdr->state = 1;
        f->c = f->cm->cls->aenter(cm_self(f->cm));
        if (!f->c)
            ac_cm_drop(f->cm); /* never entered: discarded */
        if (ac__coro_await(hdr, f->c, &f->value))
            return ac__pending(hdr, enter_resume);
    }
    ac_coro_free(f->c);
    if (!hdr->err && hdr->ret)
        *(void **)hdr->ret = f->value;
    return ac__frame_return(hdr);
}

static int enter_coroutine(ac_frame *caller, void *value, ac_cm *cm)
{
    enter_frame *f = AC_FRAME_PUSH(enter_frame, caller, value, enter_resume);
    if (!f) {
        ac_cm_drop(cm); /* ENOMEM is in caller->err */
        return AC_DONE;
    }
    f->cm = cm;
    f->c = NULL;
    f->value = NULL;
    return ac__frame_start_fn(&f->hdr, enter_resume);
}

int ac_cm_enter__await(ac_frame *caller, void *value, ac_cm *cm)
{
    const ac_cm_class *cls = ac__cm_class(cm);
    if (!cls) {
        ac__throw(caller, ac__cm_invalid(cm), __FILE__, __LINE__);
        return AC_DONE;
    }
    void *self = cm_self(cm);
    if (cls->aenter_await)
        return cls->aenter_await(caller, value, self);
    if (cls->aenter)
        return enter_coroutine(caller, value, cm);
    void *v = self; /* no enter: the manager enters as itself */
    if (cls->enter) {
        ac_error *raise = NULL;
        v = cls->enter(self, &raise);
        if (raise) {
            throw_raised(caller, raise, NULL);
            return AC_DONE;
        }
    }
    if (value)
        *(void **)value = v;
    return AC_DONE;
}

/* ---------------------------------------------------------- exit */

typedef struct exit_frame {
    ac_frame hdr;
    ac_error *handled; /* (ac__hframe: it handles errors) */
    ac_cm *cm;
    ac_error *err; /* the error in flight (borrowed), or NULL */
    ac_coro *c;    /* the exit's coroutine object while it runs */
    bool res;      /* what the exit returned */
} exit_frame;

static const ac_cm_class aclosing_class;

static int exit_start(exit_frame *f)
{
    const ac_cm_class *cls = f->cm->cls;
    void *self = cm_self(f->cm);
    if (cls->aexit_await)
        return cls->aexit_await(&f->hdr, &f->res, self, f->err);
    f->c = cls->aexit(self, f->err);
    if (!f->c)
        ac_cm_drop(f->cm); /* its exit cannot run: discarded */
    /* ac_closing's exit is the close itself, whose result (of any type)
       stays in its own slot: the exit's result stays false. */
    return ac__coro_await(&f->hdr, f->c, cls == &aclosing_class ? NULL : &f->res);
}

/* An exit that may suspend is cleanup, shielded (BEHAVIOURS D2) however it
 * is reached: `async with` shields it already, but `await ac_cm_exit(...)`
 * written by hand (a manager entered with ac_cm_enter) would otherwise
 * have the code after a @contextmanager's yield, or a class's async exit,
 * interrupted inside a cancelled scope. */
static int exit_resume(ac_frame *hdr)
{
    exit_frame *f = (exit_frame *)(void *)hdr;
    if (hdr->state == 0) {
        hdr->state = 1;
        ac__handle(hdr, f->err);
        ac__shield_push(hdr);
        if (exit_start(f))
            return ac__pending(hdr, exit_resume);
    }
    ac__shield_pop(hdr);
    ac_coro_free(f->c);
    if (hdr->ret)
        *(bool *)hdr->ret = !hdr->err && f->res && f->err;
    return ac__frame_return(hdr);
}

static int exit_plain(ac_frame *caller, bool *suppress, ac_cm *cm, ac_error *err)
{
    ac_error *raise = NULL;
    bool s = cm->cls->exit(cm_self(cm), err, &raise);
    if (raise) {
        throw_raised(caller, raise, err);
        s = false;
    }
    if (suppress)
        *suppress = s && err;
    return AC_DONE;
}

int ac_cm_exit__await(ac_frame *caller, void *suppress, ac_cm *cm, ac_error *err)
{
    const ac_cm_class *cls = ac__cm_class(cm);
    if (suppress)
        *(bool *)suppress = false;
    if (!cls) {
        throw_raised(caller, ac__cm_invalid(cm), err);
        return AC_DONE;
    }
    if (!cls->aexit_await && !cls->aexit)
        return exit_plain(caller, suppress, cm, err);
    exit_frame *f = AC_FRAME_PUSH(exit_frame, caller, suppress, exit_resume);
    if (!f) {
        ac__error_chain(caller->err, err); /* the error in flight stays reachable */
        if (!cls->release) /* else its owner releases it, which does what a drop
                              would (a group, a scope), and once only */
            ac_cm_drop(cm);
        return AC_DONE;
    }
    f->cm = cm;
    f->err = err;
    f->c = NULL;
    f->res = false;
    return ac__frame_start_fn(&f->hdr, exit_resume);
}

/* ---------------------------------------------------------- coroutine objects */

/* ac_cm_enter(cm) and ac_cm_exit(cm, err) await the entries above once.
 * An ac_cm_enter that is the root of its task (no caller: ac_run of it, or
 * a spawn) refuses a task-bound manager (AC_CM_TASK): the task would end
 * as soon as it had entered, with the manager bound to it. */
typedef struct cm_coro {
    ac_frame hdr;
    ac_cm *cm;
    ac_error *err;
    union {
        void *value;
        bool suppress;
    } result;
    bool exiting;
} cm_coro;

ac_error *ac__cm_enter_alone(const ac_frame *f, const ac_cm *cm)
{
    const ac_cm_class *cls = f->caller ? NULL : ac__cm_class(cm);
    if (!cls || !(cls->flags & AC_CM_TASK))
        return NULL;
    /* in the class's own words for entering outside a task */
    return ac_error_new(AC_ESTATE, "%s: no running task", cls->name ? cls->name : "manager");
}

static int cm_coro_resume(ac_frame *hdr)
{
    cm_coro *f = (cm_coro *)(void *)hdr;
    if (hdr->state == 0) {
        hdr->state = 1;
        ac_error *refused = f->exiting ? NULL : ac__cm_enter_alone(hdr, f->cm);
        int r = AC_DONE;
        if (refused)
            throw_raised(hdr, refused, NULL);
        else if (f->exiting)
            r = ac_cm_exit__await(hdr, hdr->ret, f->cm, f->err);
        else
            r = ac_cm_enter__await(hdr, hdr->ret, f->cm);
        if (r)
            return ac__pending(hdr, cm_coro_resume);
    }
    return ac__frame_return(hdr);
}

ac_coro *ac_cm_enter(ac_cm *cm)
{
    cm_coro *f = AC_CORO_NEW_RESULT(cm_coro, cm_coro_resume, result);
    if (f)
        f->cm = cm;
    return (ac_coro *)f;
}

ac_coro *ac_cm_exit(ac_cm *cm, ac_error *err)
{
    cm_coro *f = AC_CORO_NEW_RESULT(cm_coro, cm_coro_resume, result);
    if (f) {
        f->cm = cm;
        f->err = err;
        f->exiting = true;
    }
    return (ac_coro *)f;
}

/* ---------------------------------------------------------- invalid values */

/* What a built-in constructor returns for arguments it cannot use (a NULL
 * function, too many codes): entering or exiting it throws EINVAL with the
 * message kept in data.p[0]. */
static void *invalid_enter(void *self, ac_error **raise)
{
    *raise = ac_error_new(EINVAL, "%s", (const char *)((ac_cm *)self)->data.p[0]);
    return NULL;
}

static bool invalid_exit(void *self, ac_error *err, ac_error **raise)
{
    (void)err;
    invalid_enter(self, raise);
    return false;
}

static const ac_cm_class invalid_class = {
    .name = "invalid manager",
    .enter = invalid_enter,
    .exit = invalid_exit,
    .flags = AC_CM_WHOLE,
};

static ac_cm invalid(const char *why)
{
    ac_cm m = ac_cm_make(&invalid_class, NULL);
    m.data.p[0] = (void *)(uintptr_t)why;
    return m;
}

ac_cm ac__cm_refused(const char *why)
{
    return invalid(why);
}

/* ---------------------------------------------------------- ac_nullcontext */

static bool null_exit(void *self, ac_error *err, ac_error **raise)
{
    (void)self, (void)err, (void)raise;
    return false;
}

static const ac_cm_class null_class = {.name = "ac_nullcontext", .exit = null_exit};

ac_cm ac_nullcontext(void *value)
{
    return ac_cm_make(&null_class, value); /* no enter: enters as self */
}

/* ---------------------------------------------------------- ac_closing */

static void *closing_enter(void *self, ac_error **raise)
{
    (void)raise;
    return ((ac_cm *)self)->self;
}

static bool closing_exit(void *self, ac_error *err, ac_error **raise)
{
    (void)err, (void)raise;
    ac_cm *cm = self;
    cm->data.fn(cm->self);
    return false;
}

/* The close coroutine is the exit's (awaited with its own result slot: the
 * exit's result stays false, never suppresses). */
static ac_coro *closing_aexit(void *self, ac_error *err)
{
    (void)err;
    ac_cm *cm = self;
    return cm->data.afn(cm->self);
}

static const ac_cm_class closing_class = {
    .name = "ac_closing",
    .enter = closing_enter,
    .exit = closing_exit,
    .flags = AC_CM_WHOLE,
};

static const ac_cm_class aclosing_class = {
    .name = "ac_closing",
    .enter = closing_enter,
    .aexit = closing_aexit,
    .flags = AC_CM_WHOLE,
};

ac_cm ac__closing(void *obj, void (*close_fn)(void *obj))
{
    if (!close_fn)
        return invalid("ac_closing: NULL close function");
    ac_cm m = ac_cm_make(&closing_class, obj);
    m.data.fn = close_fn;
    return m;
}

ac_cm ac__closing_async(void *obj, ac_coro *(*close_fn)(void *obj))
{
    if (!close_fn)
        return invalid("ac_closing: NULL close function");
    ac_cm m = ac_cm_make(&aclosing_class, obj);
    m.data.afn = close_fn;
    return m;
}

/* ---------------------------------------------------------- ac_suppress */

static bool suppress_exit(void *self, ac_error *err, ac_error **raise);

static void *suppress_enter(void *self, ac_error **raise)
{
    (void)self, (void)raise;
    return NULL;
}

static const ac_cm_class suppress_class = {
    .name = "ac_suppress",
    .enter = suppress_enter,
    .exit = suppress_exit,
    .flags = AC_CM_WHOLE,
};

static const ac_cm_class suppress_if_class = {
    .name = "ac_suppress_if",
    .enter = suppress_enter,
    .exit = suppress_exit,
    .flags = AC_CM_WHOLE,
};

ac_cm ac__suppress(const int *codes, size_t n)
{
    ac_cm m = ac_cm_make(&suppress_class, NULL); /* data zeroed: no codes */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (codes[i] == 0)
            continue; /* not a code */
        if (k == AC_SUPPRESS_MAX)
            return invalid("ac_suppress: more than AC_SUPPRESS_MAX codes");
        m.data.codes[k++] = codes[i];
    }
    return m;
}

ac_cm ac_suppress_if(bool (*pred)(const ac_error *e))
{
    if (!pred)
        return invalid("ac_suppress_if: NULL predicate");
    ac_cm m = ac_cm_make(&suppress_if_class, NULL);
    m.data.pred = pred;
    return m;
}

static bool listed(const ac_cm *cm, int code)
{
    for (size_t i = 0; i < AC_SUPPRESS_MAX && cm->data.codes[i]; i++)
        if (cm->data.codes[i] == code)
            return true;
    return false;
}

/* Whether the manager suppresses e as a whole: a leaf by its code or the
 * predicate; a group only by code (ac_suppress(AC_EGROUP)), the predicate
 * being asked about leaves only. */
static bool hit(const ac_cm *cm, const ac_error *e)
{
    bool group = ac_error_code(e) == AC_EGROUP;
    if (cm->cls == &suppress_if_class)
        return !group && cm->data.pred(e);
    return listed(cm, ac_error_code(e));
}

/* Stripping a group: one level of the walk down its nested groups, with
 * what is left of each child done so far. */
typedef struct level {
    struct level *up;
    const ac_error *g; /* the group */
    size_t i;          /* children done */
    bool changed;      /* some child was removed or rebuilt */
    ac_error *kids[];  /* what is left of each child (owned; NULL: nothing) */
} level;

static level *level_new(level *up, const ac_error *g)
{
    size_t n = ac_error_count(g);
    if (n > (SIZE_MAX - sizeof(level)) / sizeof(ac_error *))
        return NULL;
    level *l = ac__malloc(sizeof *l + n * sizeof(ac_error *));
    if (l) {
        l->up = up;
        l->g = g;
        l->i = 0;
        l->changed = false;
    }
    return l;
}

static void level_free(level *l)
{
    for (size_t i = 0; i < l->i; i++)
        ac_error_release(l->kids[i]);
    ac__free(l);
}

static void level_add(level *l, ac_error *rest)
{
    l->changed |= rest != ac_error_child(l->g, l->i);
    l->kids[l->i++] = rest;
}

/* What is left of l's group once its children are done: the group itself
 * if nothing changed, NULL if nothing is left, else a new group with the
 * same message holding the rest (a nested one keeps the original's context,
 * as Python's derive() does).  Returns 0, or ENOMEM. */
static int level_rest(level *l, ac_error **rest)
{
    ac_error *g = (ac_error *)(uintptr_t)l->g; /* errors are never really const */
    size_t left = 0;
    for (size_t i = 0; i < l->i; i++)
        left += l->kids[i] != NULL;
    if (!l->changed || left == 0) {
        *rest = l->changed ? NULL : ac_error_retain(g);
        return 0; /* level_free releases the kids */
    }
    ac_error *ng = ac_error_group(ac_error_message(g), l->kids, l->i);
    l->i = 0; /* the kids are the new group's now (or released) */
    if (ac_error_code(ng) != AC_EGROUP) {
        ac_error_release(ng); /* ENOMEM, holding a kid: the caller makes its own */
        return ENOMEM;
    }
    const ac_error *ctx = ac_error_context(g);
    if (l->up && ctx)
        ac_error_set_context(ng, (ac_error *)(uintptr_t)ctx);
    *rest = ng;
    return 0;
}

/* Strip from group top the leaves the manager suppresses, at any depth
 * (CL-15).  *rest is then top itself (retained) if nothing matched, NULL if
 * everything did, else a new group.  Iterative: nesting costs heap, not C
 * stack.  Returns 0, or ENOMEM with nothing left allocated. */
static int strip(const ac_cm *cm, const ac_error *top, ac_error **rest)
{
    level *l = level_new(NULL, top);
    if (!l)
        return ENOMEM;
    for (;;) {
        if (l->i == ac_error_count(l->g)) {
            ac_error *r;
            if (level_rest(l, &r))
                break;
            level *up = l->up;
            level_free(l);
            l = up;
            if (!l) {
                *rest = r;
                return 0;
            }
            level_add(l, r);
            continue;
        }
        const ac_error *c = ac_error_child(l->g, l->i);
        if (ac_error_code(c) == AC_EGROUP && !hit(cm, c)) {
            level *down = level_new(l, c);
            if (!down)
                break;
            l = down;
            continue;
        }
        level_add(l, hit(cm, c) ? NULL : ac_error_retain((ac_error *)(uintptr_t)c));
    }
    while (l) {
        level *up = l->up;
        level_free(l);
        l = up;
    }
    return ENOMEM;
}

/* Suppress err if it matches; from a group, strip the matching members and
 * throw what is left as a new group (its context becomes err when the
 * caller throws it). */
static bool suppress_exit(void *self, ac_error *err, ac_error **raise)
{
    const ac_cm *cm = self;
    if (!err)
        return false;
    if (hit(cm, err))
        return true;
    if (ac_error_code(err) != AC_EGROUP)
        return false;
    ac_error *rest;
    if (strip(cm, err, &rest)) {
        *raise = ac__error_nomem(); /* err joins its chain when thrown */
        return false;
    }
    if (!rest)
        return true;
    if (rest == err)
        ac_error_release(rest); /* nothing matched: err goes on */
    else
        *raise = rest;
    return false;
}
