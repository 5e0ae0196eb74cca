/* ac/cm.h: context managers, the protocol behind `async with`.
 *
 * A manager is a value of type ac_cm: a class (a table of functions) and
 * the object they act on.  `async with (T v = EXPR) BODY`, with EXPR an
 * ac_cm (or a pointer to one), does what Python's `async with` does:
 *
 *     v = await ac_cm_enter(&m);          -- if it fails, nothing is exited
 *     BODY
 *     on every way out: suppress = await ac_cm_exit(&m, err_in_flight);
 *
 * An exit receives the error in flight (NULL if none; it does not own it)
 * and returns true to suppress it; execution then continues after the
 * statement.  An error thrown by an exit replaces the one in flight, which
 * becomes its context.  The same protocol drives the exit stack (ac/exitstack.h).
 *
 * CLASS-STYLE MANAGERS.  A class names its enter and exit; each may be
 * asynchronous or plain.  An async one is given as an async function of the
 * shapes below (its name, in C, is its coroutine constructor):
 *
 *     async void *db_enter(void *self);             -- entered value
 *     async bool db_exit(void *self, ac_error *err); -- true: suppress
 *     static const ac_cm_class db_class = {
 *         .name = "db", .aenter = db_enter, .aexit = db_exit };
 *     ...
 *     async with (struct db *d = AC_CM(&db_class, &my_db)) { ... }
 *
 * Plain ones take `ac_error **raise` instead and throw by storing a new
 * error there.  A class without an enter enters as `self` (the manager
 * itself); a class without an exit is not a manager (EINVAL).  The `_await`
 * members take the await entry of an async function instead
 * (AC_AWAIT_FN(db_enter)): no allocation per call, for hot paths.  (In an
 * .ac file acc gives a static async function the entry points the file
 * uses, and AC_AWAIT_FN(db_enter), or db_enter__await written out, is a use
 * of its await entry.)
 *
 * `@contextmanager` functions called outside `async with` return an ac_cm
 * too (single use: it can be entered once, then exited once).
 *
 * OWNERSHIP.  A value that owns memory (a @contextmanager value owns its
 * frame) hands it to its members: an enter that fails, and every exit that
 * is not refused, release what the value owns (a refused one changes
 * nothing: the holder drops or releases the value).  When the runtime
 * cannot call them at all because memory ran out, it calls the class's
 * `drop` instead and throws ENOMEM (an error in flight stays in the ENOMEM
 * error's context chain).
 */
#ifndef AC_CM_H
#define AC_CM_H

#include <stdbool.h>
#include <stddef.h>

#include "ac/error.h"
#include "ac/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_cm ac_cm;

/* The await entry of an async function NAME (see ac/frame.h). */
#define AC_AWAIT_FN(name) name##__await

typedef ac_coro *(*ac_cm_aenter_fn)(void *self);
typedef ac_coro *(*ac_cm_aexit_fn)(void *self, ac_error *err);
typedef int (*ac_cm_aenter_await_fn)(ac_frame *caller, void *value, void *self);
typedef int (*ac_cm_aexit_await_fn)(ac_frame *caller, void *suppress, void *self, ac_error *err);
typedef void *(*ac_cm_enter_fn)(void *self, ac_error **raise);
typedef bool (*ac_cm_exit_fn)(void *self, ac_error *err, ac_error **raise);

/* A manager class.  At most one enter member and exactly one exit member
 * are set; the runtime tries them in the order listed. */
typedef struct ac_cm_class {
    const char *name;                  /* for messages; may be NULL */
    ac_cm_aenter_await_fn aenter_await; /* async enter, await entry (value: void **) */
    ac_cm_aenter_fn aenter;            /* async enter, coroutine constructor */
    ac_cm_enter_fn enter;              /* plain enter */
    ac_cm_aexit_await_fn aexit_await;  /* async exit, await entry (suppress: bool *) */
    ac_cm_aexit_fn aexit;              /* async exit, coroutine constructor */
    ac_cm_exit_fn exit;                /* plain exit */
    void (*drop)(void *self);          /* frees what a manager value owns if it is
                                          discarded without being exited; may be NULL */
    unsigned flags;                    /* AC_CM_WHOLE, AC_CM_ONCE, AC_CM_TASK */
    void (*release)(void *self);       /* frees what a value owns that outlives its
                                          exit (a cancel scope); may be NULL */
} ac_cm_class;

/* Class flag: enter and exit receive the ac_cm itself (an `ac_cm *`) as
 * `self`, to reach its `data` (the runtime's built-in managers). */
#define AC_CM_WHOLE 0x1u
/* Class flag: a value of the class is single use (it owns what its exit
 * frees: a @contextmanager value).  The class itself refuses an entry
 * through any copy after the first (AC_ESTATE, gencm.h); `async with`
 * given a pointer to such a value leaves the value as it is. */
#define AC_CM_ONCE 0x2u
/* Class flag: a value of the class binds to the task that enters it and
 * scopes the rest of that task's body (a task group, a cancel scope).
 * ac_cm_enter's coroutine run as a task of its own (ac_run(ac_cm_enter(&m))
 * from plain C, or spawned) would leave no body to scope, the task ending
 * once it has entered: there it throws AC_ESTATE "NAME: no running task", as
 * entering outside any task does, and calls nothing of the class: the
 * value stays not entered.  Awaited from a task (ac_coro_await), it enters
 * for the rest of the awaiting task's body.  ac_exit_stack_enter's
 * coroutine refuses it the same way (exitstack.h). */
#define AC_CM_TASK 0x4u

/* A manager value.  Plain data: copy it freely (a @contextmanager value is
 * still single-use).  A zeroed ac_cm is not a manager. */
struct ac_cm {
    const ac_cm_class *cls;
    void *self;
    union {
        void *p[2];
        int codes[4];
        bool (*pred)(const ac_error *e);
        void (*fn)(void *obj);
        ac_coro *(*afn)(void *obj);
    } data; /* the built-in managers' state */
};

/* A manager of class `cls` acting on `self`. */
#define AC_CM(klass, obj) ((ac_cm){.cls = (klass), .self = (obj)})
static inline ac_cm ac_cm_make(const ac_cm_class *cls, void *self)
{
    ac_cm m = {cls, self, {{NULL, NULL}}}; /* every member: C++ -Wextra too */
    return m;
}

/* Enter manager *cm: returns its entered value.  Throws EINVAL ("not a
 * context manager") when cm is NULL or its class is NULL or has no exit;
 * then nothing is called.  Errors of enter propagate.  A task-bound
 * manager (AC_CM_TASK) refuses to be entered by this coroutine run as a
 * task of its own (AC_ESTATE). */
/*acc: async void *ac_cm_enter(ac_cm *cm); */
ac_coro *ac_cm_enter(ac_cm *cm);
int ac_cm_enter__await(ac_frame *caller, void *value, ac_cm *cm);

/* Exit manager *cm with the error in flight `err` (NULL: none; not owned):
 * returns true when the manager suppresses err (never when err is NULL).
 * An error the exit throws propagates (with err as its context).  The exit
 * is cleanup, shielded as in `async with` (BEHAVIOURS D2): a cancelled
 * scope around the call does not interrupt it; scopes it opens work. */
/*acc: async bool ac_cm_exit(ac_cm *cm, ac_error *err); */
ac_coro *ac_cm_exit(ac_cm *cm, ac_error *err);
int ac_cm_exit__await(ac_frame *caller, void *suppress, ac_cm *cm, ac_error *err);

/* What the C that acc generates for `async with` calls: ac_cm_enter__await
 * and ac_cm_exit__await with the usual class members (await entries, plain
 * functions) called inline.  The generated code has marked err as being
 * handled (ac__handle) and reads *sup only when err is set and the exit
 * threw nothing, as it would after ac_cm_exit__await. */
int ac__cm_raise(ac_frame *caller, ac_error *raise, ac_error *err);

static inline int ac__cm_enter(ac_frame *caller, void *value, ac_cm *cm)
{
    const ac_cm_class *c = cm->cls;
    if (c && !(c->flags & AC_CM_WHOLE) && (c->aexit_await || c->exit)) {
        if (c->aenter_await)
            return c->aenter_await(caller, value, cm->self);
        if (!c->aenter && c->enter) {
            ac_error *raise = NULL;
            void *v = c->enter(cm->self, &raise);
            if (raise)
                return ac__cm_raise(caller, raise, NULL);
            *(void **)value = v;
            return AC_DONE;
        }
    }
    return ac_cm_enter__await(caller, value, cm);
}

static inline int ac__cm_exit(ac_frame *caller, bool *sup, ac_cm *cm, ac_error *err)
{
    const ac_cm_class *c = cm->cls;
    if (c && !(c->flags & AC_CM_WHOLE)) {
        if (c->aexit_await)
            return c->aexit_await(caller, sup, cm->self, err);
        if (!c->aexit && c->exit) {
            ac_error *raise = NULL;
            *sup = c->exit(cm->self, err, &raise);
            return raise ? ac__cm_raise(caller, raise, err) : AC_DONE;
        }
    }
    return ac_cm_exit__await(caller, sup, cm, err);
}

/* Release a manager value that owns something beyond its exit (a cancel
 * scope, which can be queried after its block), once it is no longer used.
 * `async with` over a call releases the value it made; NULL-safe.  A value
 * that is still to be exited must not be released: an `async with` over a
 * variable exits it at the end of the block, so release it after the
 * block (released inside it, the exit would read freed memory).  Inside
 * its block, release (or drop) only a value that nothing will exit, one
 * entered by hand with ac_cm_enter whose ac_cm_exit will never come. */
void ac_cm_release(ac_cm *cm);
/* ac_cm_release for generated code: the test inline (most classes have no
 * release), the call only when there is one. */
static inline void ac__cm_release(ac_cm *cm)
{
    if (cm->cls && cm->cls->release)
        ac_cm_release(cm);
}

/* Discard a manager value that will not be exited (frees what it owns,
 * e.g. the frame of a @contextmanager value).  NULL-safe.  A
 * @contextmanager value whose enter or exit is running (waiting at an
 * await of its generator) is left to that request: dropping it then does
 * nothing (ac/gencm.h, "Running"); one entered and paused at its yield is
 * closed (ac/gencm.h, "Dropped"). */
void ac_cm_drop(ac_cm *cm);

/* `async with (ac_cm_of(x))` accepts an ac_cm or a pointer to one; any
 * other type is a compile-time error. */
static inline ac_cm ac__cm_copy(ac_cm m) { return m; }
static inline ac_cm ac__cm_deref(const ac_cm *m)
{
    ac_cm z = {NULL, NULL, {{NULL, NULL}}};
    return m ? *m : z;
}
#define ac_cm_of(x) \
    _Generic((x), ac_cm *: ac__cm_deref, const ac_cm *: ac__cm_deref, default: ac__cm_copy)(x)

/* What the generated code stores an `async with` manager with: ac_cm_of,
 * member by member (a whole-struct copy of a freshly built value makes
 * compilers reload it in wider pieces than they stored it: a stall that
 * cost more than the rest of entering and exiting). */
static inline void ac__cm_put(ac_cm *dst, ac_cm m)
{
    dst->cls = m.cls;
    dst->self = m.self;
    dst->data.p[0] = m.data.p[0];
    dst->data.p[1] = m.data.p[1];
}
static inline void ac__cm_put_ptr(ac_cm *dst, const ac_cm *m)
{
    ac__cm_put(dst, ac__cm_deref(m));
}
/* A pointer's value is copied and left as it is, a single-use one too: its
 * class refuses a second entry through any copy, and an entry it refuses
 * (the value is entered elsewhere) must leave the value usable there. */
#define ac__cm_set(dst, x) \
    _Generic((x), ac_cm *: ac__cm_put_ptr, const ac_cm *: ac__cm_put_ptr, default: ac__cm_put)((dst), (x))

/* ---------------------------------------------------------- built-ins */

/* Enters as `value`; exits doing nothing; never suppresses. */
ac_cm ac_nullcontext(void *value);

/* Enters as `obj`; at exit calls close_fn(obj): a plain `void f(void *)`
 * or an async function `async T f(void *)` (any T), awaited.  Never
 * suppresses.  A NULL close_fn gives a value whose enter throws EINVAL. */
#define ac_closing(obj, close_fn) \
    _Generic((close_fn), ac_coro *(*)(void *): ac__closing_async, default: ac__closing)((obj), (close_fn))
ac_cm ac__closing(void *obj, void (*close_fn)(void *obj));
ac_cm ac__closing_async(void *obj, ac_coro *(*close_fn)(void *obj));

/* Enters as NULL; suppresses an error whose code is one of the given codes
 * (at most AC_SUPPRESS_MAX; 0 is not a code).  An error group loses its
 * matching members, at any depth (groups left empty are dropped): if none
 * is left the group is suppressed, else a new group with the same message,
 * holding the rest, is thrown with the original as context.  The value
 * holds no state: one may be used in several blocks, nested too.  A group
 * matches as a whole only by its own code (ac_suppress(AC_EGROUP)).  With
 * more than AC_SUPPRESS_MAX codes, entering (or exiting) throws EINVAL. */
#define AC_SUPPRESS_MAX 4
#define ac_suppress(...) \
    ac__suppress((const int[]){0, __VA_ARGS__} + 1, sizeof((const int[]){0, __VA_ARGS__}) / sizeof(int) - 1)
ac_cm ac__suppress(const int *codes, size_t n);

/* As ac_suppress, with a predicate deciding which errors match (it is
 * called once for each leaf error considered, never with a group).  A NULL
 * predicate gives a value whose enter throws EINVAL. */
ac_cm ac_suppress_if(bool (*pred)(const ac_error *e));

#ifdef __cplusplus
}
#endif
#endif /* AC_CM_H */
