/* ac/frame.h: the frame ABI, shared by the C that acc generates and by
 * awaitable primitives written by hand in plain C.
 *
 * THE MODEL
 * Every async function F has a frame: a struct whose first member is an
 * ac_frame, followed by F's parameters and whatever else must survive a
 * suspension.  A frame is continued by its resume function, a `switch` on
 * f->state that jumps to the point where F last stopped (protothreads' trick,
 * with goto labels so that resume points may sit inside user switches).
 *
 * A task runs a chain of frames: the root frame at the bottom, the frame it
 * awaits above it, and so on.  Frames awaited inside a task are allocated from
 * the task's frame stack (a bump allocator in segments, LIFO like a call
 * stack), so an `await` never calls malloc.  The task remembers its innermost
 * frame (`top`): waking a task resumes `top` directly, whatever the depth.
 *
 * AWAITING A CALLEE (what generated code does for `x = await g(a);`):
 *
 *     if (g__await(&F->hdr, &F->tmp, a))
 *         return ac__pending_at(&F->hdr, 3, f__resume); -- come back at 3
 *   ac_r3:;                                           -- resume point 3
 *     if (F->hdr.err) goto unwind;                    -- g failed
 *     F->x = F->tmp;
 *
 * g__await() pushes g's frame on the task's frame stack and starts it at once
 * with a direct C call (ac__frame_start).  If g finishes without suspending it
 * returns AC_DONE and F continues inline: the fast path.  Otherwise it returns
 * AC_PENDING, F returns AC_PENDING to its own caller, and so on down to the
 * scheduler's trampoline.  When g later finishes, the trampoline resumes F at
 * state 3.  Direct starts may use AC_DIRECT_STACK bytes of C stack; past that
 * ac__frame_start returns AC_PENDING without running the callee and the
 * trampoline starts it, so a chain of any depth uses bounded C stack.
 *
 * FINISHING: a frame stores its result through f->ret (the caller's slot),
 * leaves its error (or NULL) in f->err, and returns ac__frame_return(f),
 * which hands the error to the caller's err and pops the frame.  The
 * trampoline, which remembered the caller of the frame it resumed, makes the
 * caller the task's top; a frame started directly returns to its caller's C
 * code.  So `top` is written only when a task stops, never per await.
 *
 * INVARIANTS
 * - f->err is NULL whenever f starts an await; a callee that fails sets it.
 * - Frames of one task are pushed and popped in LIFO order.
 * - A resume function returns AC_DONE only through ac__frame_return.
 */
#ifndef AC_FRAME_H
#define AC_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ac/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ac_frame ac_frame;
typedef struct ac_task ac_task;

/* A coroutine object: what calling an async function without `await`
 * returns.  It owns a heap-allocated frame holding the arguments; run it with
 * ac_run(), spawn it, or free it with ac_coro_free(). */
typedef struct ac_frame ac_coro;

/* Values returned by a resume function. */
enum {
    AC_DONE = 0,   /* the frame finished (through ac__frame_return) */
    AC_PENDING = 1 /* the frame stopped; the task's top says who goes on */
};

typedef int (*ac_resume_fn)(ac_frame *f);

/* Frame flags (ac_frame.flags). */
#define AC_FRAME_CORO 0x1u     /* heap-allocated coroutine object, not on a frame stack */
#define AC_FRAME_SEGSTART 0x2u /* first frame of a frame-stack segment */
#define AC_FRAME_OVERALIGNED 0x4u /* coroutine object aligned beyond malloc's */
#define AC_FRAME_HANDLING 0x8u   /* `handled` has been set (see ac__handle) */
#define AC_FRAME_TASKPOOL 0x10u  /* root whose task is a block of the runtime's pool */
#define AC_FRAME_POOLED 0x20u    /* coroutine object in a block of the runtime's pool */
#define AC_FRAME_CHILD 0x40u     /* root of a task group's child: the group hears of its end */
#define AC_FRAME_BRIDGED 0x80u   /* root of an ac_run from the thread bridge: likewise */
#define AC_FRAME_NOTIFY 0x100u   /* root of a task made by hand (the runtime's tests) */
#define AC_FRAME_MAIN 0x200u     /* root of ac_run's task: its end stops the turns */
#define AC_FRAME_DROPS 0x400u    /* a runtime's coroutine object holding what it
                                    consumes: freed unstarted, it drops that */
#define AC_FRAME_CLOSER 0x800u   /* root of the task closing a dropped generator
                                    (the runtime's gencm.c): freed at its end */

struct ac_frame {
    /* The fields written by every push alternate with fields written with
       constants, so that compilers do not merge two of them into one 16-byte
       store that later 8-byte loads of either half would wait for. */
    ac_frame *caller;    /* the frame awaiting this one; NULL for a task's root */
    ac_error *err;       /* error in flight in this frame (owned), NULL if none */
    ac_task *task;       /* the task running this frame */
    uint32_t state;      /* resume point; 0 = not started */
    uint32_t flags;      /* AC_FRAME_* */
    void *ret;           /* where the result goes (caller's slot); may be NULL for void */
    ac_resume_fn resume; /* continues this frame (set when it stops) */
};

/* The frame of a function that handles errors begins with this: only such
 * frames have room for the error they handle, and only they set
 * AC_FRAME_HANDLING (ac__handle).  Generated frames whose function has a
 * catch, a finally, a defer or a manager's exit do, and so do those of
 * generators and @contextmanager functions (ac/gen.h, ac/gencm.h). */
typedef struct ac__hframe {
    ac_frame hdr;
    ac_error *handled;   /* error this frame is handling now (not owned): the
                            context of errors thrown meanwhile (ac__throw);
                            valid only with AC_FRAME_HANDLING */
} ac__hframe;

#define AC__HANDLED(f) (((ac__hframe *)(void *)(f))->handled)

/* How much C stack a chain of direct starts may use before the next start
 * bounces through the trampoline.  Bounds the C stack used by a chain that
 * never suspends (tasks run fine on 256 KiB thread stacks).  The stack is
 * assumed to grow down, as on every platform the runtime targets. */
#ifndef AC_DIRECT_STACK
#define AC_DIRECT_STACK (64u * 1024u)
#endif

/* Thread-local state of the runtime, some of it read by inline code.  The
 * initial-exec model makes each access one instruction instead of a call
 * to __tls_get_addr in position-independent code; it suits a libac loaded
 * with the program (a libac.so opened late with dlopen may find no room
 * for it).  Code linked into an executable together with the static libac
 * may define AC_TLS_LOCAL_EXEC (ac_target_sources does, for an executable
 * linked with acc::ac_static): its inline code then reaches the runtime's
 * thread-local variables at offsets the linker fixes, one instruction
 * where initial-exec needs two (the offset's load, then the access).
 * Never in code that goes into a shared library: the link would fail. */
#if defined(AC_TLS_LOCAL_EXEC) && defined(__GNUC__) && defined(__ELF__)
#define AC__TLS_MODEL "local-exec"
#else
#define AC__TLS_MODEL "initial-exec"
#endif
#if defined(__GNUC__) && !defined(__cplusplus)
#define AC__TLS_IE _Thread_local __attribute__((tls_model(AC__TLS_MODEL)))
#elif defined(__GNUC__)
#define AC__TLS_IE thread_local __attribute__((tls_model(AC__TLS_MODEL)))
#else
#define AC__TLS_IE _Thread_local
#endif

/* Direct starts stop when the C stack reaches this address: set by the
 * trampoline of this thread from where it runs (0: no limit, outside it). */
extern AC__TLS_IE uintptr_t ac__climit;

/* The part of a task that inline frame functions touch.  The runtime's task
 * struct begins with it; nothing else about tasks is public here.  The four
 * bytes after `cleanup` are the scheduler's and the runtime's (ac/sched.h,
 * the runtime's task.h): they fill what would be padding. */
typedef struct ac__taskhead {
    ac_frame *top;     /* the frame the trampoline runs next: set when the task
                          stops (ac__suspend, or a start that bounces) */
    char *sp;          /* frame stack: next free byte of the current segment */
    char *end;         /* end of the current segment */
    struct ac__scope *scope; /* innermost cancel scope entered (ac/cancel.h) */
    uint32_t cleanup;  /* nesting of cleanup code running: it hides the cancel
                          scopes entered outside it (ac__shield_push) */
    unsigned char blocked;  /* set by ac__suspend: the task waits for a wake-up */
    unsigned char queued;   /* in the ready queue: 0, or how it was woken
                               (AC__WOKEN_*, ac/sched.h) */
    unsigned char noted;    /* its root link is counted in ac__noted */
    unsigned char finished; /* its root frame has returned */
} ac__taskhead;

#define AC__HEAD(t) ((ac__taskhead *)(void *)(t))

/* Generated code marks a fall-through that only acc's code makes possible
 * (an `async with` whose body ends in a jump, before a case label). */
#if defined(__has_attribute)
#if __has_attribute(fallthrough) && !defined(__cplusplus)
#define AC__FALLTHROUGH __attribute__((fallthrough))
#endif
#endif
#ifndef AC__FALLTHROUGH
#define AC__FALLTHROUGH ((void)0)
#endif

/* The default of a resume function's switch on its state: a state no
 * resume point has, never reached (a state is written only with the number
 * of a resume point of the frame's own function).  Under GNU C the compiler
 * is told so, and the switch of a frame with one resume point becomes one
 * test, on every resume (UBSan's -fsanitize=unreachable reports it if it
 * ever is reached); elsewhere the frame finishes with `ret`. */
#if defined(__GNUC__)
#define AC__NO_STATE(ret) __builtin_unreachable()
#else
#define AC__NO_STATE(ret) return (ret)
#endif
#define AC__ALIGN(n) (((n) + 15u) & ~(size_t)15u)

/* A test that hot code passes one way almost always (AC__LIKELY) or almost
 * never (AC__UNLIKELY).  Beyond the layout, the hint keeps gcc from turning
 * a test that chooses where to store into a select of the address, which
 * makes the store wait for the loads the test reads (ac__waitq_join). */
#if defined(__GNUC__)
#define AC__LIKELY(x) __builtin_expect(!!(x), 1)
#define AC__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define AC__LIKELY(x) (x)
#define AC__UNLIKELY(x) (x)
#endif

/* Slow paths, in the runtime.  Marked cold where the compiler knows the
 * word, so that the inline fast paths around them stay small enough for
 * the compiler to inline one frame's resume function into its caller's. */
#if defined(__GNUC__)
#define AC__COLD __attribute__((cold))
#define AC__OUT_OF_LINE __attribute__((noinline, cold)) /* a slow path in generated code */
#else
#define AC__COLD
#define AC__OUT_OF_LINE
#endif

/* A generated function that makes a coroutine object (`f(args)` used as a
 * value: spawned, entered, iterated) stays out of line.  Inlined into the
 * resume function that calls it, its allocation call would keep the
 * arguments live in callee-saved registers, and that resume function
 * would save and restore them on every resume, also on the ones that never
 * reach the call: in the event ping-pong, 12 instructions of each of the
 * spawner's resumes for a spawn that runs once. */
#if defined(__GNUC__)
#define AC__NOINLINE __attribute__((noinline))
#else
#define AC__NOINLINE
#endif
AC__COLD void *ac__frame_push_slow(ac_frame *caller, size_t size, size_t align, ac_resume_fn fn,
                                   void *ret);
AC__COLD void ac__frame_pop_slow(ac_frame *f);
/* Start f with fn from the trampoline instead of the C stack: its task goes
 * to the front of the ready queue.  Returns AC_PENDING. */
AC__COLD int ac__frame_bounce(ac_frame *f, ac_resume_fn fn);

static inline void ac__frame_init(ac_frame *f, ac_frame *caller, ac_task *t,
                                  ac_resume_fn fn, void *ret, uint32_t flags)
{
    if (fn) /* NULL: set at the frame's first stop (ac__pending) */
        f->resume = fn;
    f->caller = caller;
    f->task = t;
    f->ret = ret;
    f->err = NULL;
    f->state = 0; /* AC_FRAME_HANDLING is clear: `handled` is not read */
    f->flags = flags;
}

/* The inline part of ac__frame_push: the frame, or NULL where the push
 * needs the runtime (the segment is full, or an over-aligned frame needs
 * padding), without calling it.  Generated NAME__await functions push with
 * this and call an out-of-line twin for the rest, so that no argument of
 * theirs is kept across a call in the caller they are inlined into (which
 * would cost the caller callee-saved registers, saved and restored on
 * every resume). */
static inline void *ac__frame_push_fast(ac_frame *caller, size_t size, size_t align,
                                        ac_resume_fn fn, void *ret)
{
    ac__taskhead *h = AC__HEAD(caller->task);
    char *p = h->sp;
    size = AC__ALIGN(size);
    if ((align > 16 && (uintptr_t)p % align) || (size_t)(h->end - p) < size)
        return NULL;
    ac_frame *f = (ac_frame *)(void *)p;
    h->sp = p + size;
    ac__frame_init(f, caller, caller->task, fn, ret, 0);
    return f;
}

/* Push a frame of `size` bytes and alignment `align` (sizeof and _Alignof
 * the callee's frame struct) on the caller's task's frame stack, with
 * resume function fn (NULL: set it later with ac__pending).  Returns
 * NULL when memory runs out, after putting an ENOMEM error in caller->err:
 * the caller then just checks err.  Frames are 16-byte aligned; a larger
 * `align` (a local declared _Alignas(64)) that needs padding where the
 * stack is goes out of line (the runtime keeps track of where a task's
 * bottom frame is); in generated code `align` is a constant, so the test
 * costs nothing. */
static inline void *ac__frame_push(ac_frame *caller, size_t size, size_t align, ac_resume_fn fn,
                                   void *ret)
{
    void *f = ac__frame_push_fast(caller, size, align, fn, ret);
    return f ? f : ac__frame_push_slow(caller, AC__ALIGN(size), align, fn, ret);
}

/* Where the C stack is now, roughly.  Read from the stack pointer where
 * the compiler lets us: the address of a local would give every resume
 * function that starts a frame a stack frame of its own, two instructions
 * on each of its resumes. */
static inline uintptr_t ac__stack_here(void)
{
#if defined(__GNUC__) && defined(__x86_64__)
    uintptr_t sp;
    __asm__("mov %%rsp, %0" : "=r"(sp));
    return sp;
#elif defined(__GNUC__) && defined(__aarch64__)
    uintptr_t sp;
    __asm__("mov %0, sp" : "=r"(sp));
    return sp;
#else
    char probe;
    return (uintptr_t)&probe; /* portable, and costs the stack frame */
#endif
}

/* Start a freshly pushed frame with resume function fn (known to the
 * caller, so the compiler may call or even inline it directly): run it now,
 * unless the C stack used by direct starts is spent, in which case the
 * trampoline starts it.  Returns AC_DONE if it finished (its error is in
 * caller->err), else AC_PENDING. */
static inline int ac__frame_start_fn(ac_frame *f, ac_resume_fn fn)
{
    if (ac__stack_here() < ac__climit)
        return ac__frame_bounce(f, fn);
    return fn(f);
}

/* Stop frame f, to be continued later by the trampoline with fn: what a
 * frame returns when an await it started did not finish.  Frames pushed
 * with a NULL resume function (a generator's and a @contextmanager's,
 * which set it at every stop, theirs or their yields') get it here, or
 * when their start bounces, the only two ways a frame comes to be resumed
 * by the trampoline. */
static inline int ac__pending(ac_frame *f, ac_resume_fn fn)
{
    f->resume = fn;
    return AC_PENDING;
}

/* ac__pending for an await that did not finish: f goes on at resume point
 * `state` (written only now: an await that finishes at once leaves the
 * state alone, since nothing reads it before the next suspension). */
static inline int ac__pending_at(ac_frame *f, uint32_t state, ac_resume_fn fn)
{
    f->state = state;
    f->resume = fn;
    return AC_PENDING;
}

/* ac__pending_at for a frame whose resume function was stored when the
 * frame was made, and never changes: what a plain async function's frames
 * are (its await entry pushes them with it, its coroutine objects are made
 * with it).  Stored there once rather than here on every suspension: a
 * frame suspends at least as often as it is made, whenever it suspends at
 * all, as frames in a chain waiting for an event or a timer do. */
static inline int ac__pending_state(ac_frame *f, uint32_t state)
{
    f->state = state;
    return AC_PENDING;
}

static inline int ac__frame_start(ac_frame *f)
{
    return ac__frame_start_fn(f, f->resume);
}

AC__COLD int ac__frame_return_slow(ac_frame *f);

/* Finish frame f with f->err as its outcome: hand the error (or NULL) to the
 * caller and pop the frame.  The result must already be stored through
 * f->ret.  Returns AC_DONE.  The common case (a frame awaited inside its
 * segment) is inline; roots, coroutine objects and the first frame of a
 * segment take the slow path. */
static inline int ac__frame_return(ac_frame *f)
{
    /* A frame without a caller is a task's root, always a coroutine object:
       the flags alone choose the path, and the caller is read only to hand
       it an error. */
    if (f->flags & (AC_FRAME_CORO | AC_FRAME_SEGSTART))
        return ac__frame_return_slow(f);
    if (f->err) {
        f->caller->err = f->err;
        f->err = NULL;
    }
    AC__HEAD(f->task)->sp = (char *)(void *)f; /* LIFO: f was the last push */
    return AC_DONE;
}

/* What a frame handles when errors thrown meanwhile must get no context at
 * all, not even what its callers handle (an exit stack after a suppression,
 * BEHAVIOURS XS-15).  Never dereferenced. */
extern const int ac__no_context_tag;
#define AC__NO_CONTEXT ((ac_error *)(uintptr_t)&ac__no_context_tag)

/* Cleanup code (defer, errdefer, the exits of `async with`, the close of
 * an `async for`) that can suspend runs between these: the cancel scopes
 * entered before it are hidden from it, so that cancellation does not
 * interrupt it (BEHAVIOURS D2); scopes it enters itself work. */
static inline void ac__shield_push(ac_frame *f)
{
    AC__HEAD(f->task)->cleanup++;
}

static inline void ac__shield_pop(ac_frame *f)
{
    AC__HEAD(f->task)->cleanup--;
}

/* Frame f is handling error e from now on: errors thrown in f, or in frames
 * it awaits, get e as their context (ac__throw).  NULL: f handles nothing,
 * and what its callers handle applies; AC__NO_CONTEXT: nothing applies. */
static inline void ac__handle(ac_frame *f, ac_error *e)
{
    AC__HANDLED(f) = e;
    f->flags |= AC_FRAME_HANDLING;
}

/* How a blocking primitive takes back its leaf wait (a timer, an fd
 * registration) when the task must stop waiting without the wake-up
 * (cancellation).  Called with the blocked frame, the task's top. */
typedef void (*ac_unwait_fn)(ac_frame *f);

/* A task's leaf-wait slot, which follows its head (AC__TASK_FIELDS in
 * ac/sched.h, which checks the layout): set by every block, read by
 * cancellation only while the task is blocked and not queued. */
#define AC__UNWAIT(t) (*(ac_unwait_fn *)(void *)(AC__HEAD(t) + 1))

/* Block: the task waits for ac__task_wake().  The primitive must have saved
 * its state and arranged the wake-up first.  Returns AC_PENDING. */
static inline int ac__suspend(ac_frame *f)
{
    AC__HEAD(f->task)->top = f;
    AC__UNWAIT(f->task) = NULL; /* nothing to withdraw */
    AC__HEAD(f->task)->blocked = 1;
    return AC_PENDING;
}

/* ac__suspend() for a primitive whose wait can be withdrawn: also records
 * `unwait` in the task until the wake-up clears it.  Returns AC_PENDING. */
int ac__suspend_unwait(ac_frame *f, ac_unwait_fn unwait);

/* Make a blocked task runnable again (from a timer, fd or event callback on
 * the loop's thread): it goes to the back of the ready queue.  Waking a task
 * that is not blocked, or is already queued, does nothing. */
void ac__task_wake(ac_task *t);

/* ac__task_wake() for a wait whose completion carries nothing that would be
 * lost if the task never saw it (a timer, fd readiness, a yield): if the
 * task is cancelled before it runs, it resumes with ECANCELED instead, as
 * if it were still blocked (asyncio cancels a task whose wait has completed
 * but which has not run yet).  A wake-up that hands something over (a lock,
 * an item) must use ac__task_wake(). */
void ac__task_wake_soft(ac_task *t);

/* A coroutine object of `size` bytes aligned to `align` (at least 16): a
 * heap frame whose header is set (resume function fn, flagged
 * AC_FRAME_CORO, everything else NULL or 0) and whose other bytes are not.
 * NULL without memory.  Use ac__coro_new. */
void *ac__coro_alloc(size_t size, size_t align, ac_resume_fn fn);

/* A coroutine object zeroed but for its header (ac__coro_alloc).  Inline
 * so that the zeroing, of a size that is a constant where generated code
 * and AC_CORO_NEW call it, is a few stores instead of a call.  NULL without
 * memory (ac_run(NULL, ...) then reports ENOMEM). */
static inline void *ac__coro_new(size_t size, size_t align, ac_resume_fn fn)
{
    ac_frame *f = (ac_frame *)ac__coro_alloc(size, align, fn);
    if (f && size > sizeof(ac_frame))
        memset(f + 1, 0, size - sizeof(ac_frame));
    return f;
}

/* A frame for `caller` on the heap instead of the task's frame stack (a
 * coroutine object whose caller, task and ret are set), for a frame that
 * must outlive the LIFO order of the stack; freed by whoever finishes it.
 * NULL without memory, after putting ENOMEM in caller->err. */
void *ac__frame_push_heap(ac_frame *caller, size_t size, size_t align, void *ret);

/* The frame of a callee that outlives the await that started it (a
 * @contextmanager entered by `async with`, a generator started by `async
 * for`): on the task's frame stack, which stays LIFO because the caller's
 * statement outlives the callee; but a caller that is itself a coroutine
 * object run by another frame (a generator value suspended at its yield,
 * whose consumer's frames come and go) gets a heap frame, which whoever
 * finishes it frees.  NULL without memory (ENOMEM in caller->err). */
static inline void *ac__frame_push_held(ac_frame *caller, size_t size, size_t align, void *ret)
{
    if ((caller->flags & AC_FRAME_CORO) && caller->caller)
        return ac__frame_push_heap(caller, size, align, ret);
    return ac__frame_push(caller, size, align, NULL, ret);
}

/* The inline part of ac__frame_push_held (see ac__frame_push_fast): NULL
 * where it would call the runtime. */
static inline void *ac__frame_push_held_fast(ac_frame *caller, size_t size, size_t align,
                                             void *ret)
{
    if ((caller->flags & AC_FRAME_CORO) && caller->caller)
        return NULL;
    return ac__frame_push_fast(caller, size, align, NULL, ret);
}

/* Free a coroutine object that was never run (dropping it).  NULL-safe.
 * One of the runtime's that holds what it would consume (AC_FRAME_DROPS:
 * ac_coro_await's and ac_taskgroup_spawn's coroutine, ac_exit_stack_enter's
 * and ac_exit_stack_push's manager value) disposes of that too. */
void ac_coro_free(ac_coro *c);

/* Await the coroutine object c (made by calling an async function without
 * await, as through a function pointer: `ac_coro *(*fn)(int) = work;`):
 * `await ac_coro_await(fn(3), &result);` runs it as part of the awaiting
 * task, writes its result through `result` (NULL: discarded; it must point
 * at a variable of the function's result type, which is not checked) and
 * passes its error on.  c is consumed: freed when it finishes, fails or is
 * cancelled.  A NULL c (its function ran out of memory) throws ENOMEM.
 * (The coroutine object of ac_coro_await itself, if it is dropped unrun,
 * leaves c to its owner, as any coroutine object holding a pointer.) */
/*acc: async void ac_coro_await(ac_coro *c, void *result); */
ac_coro *ac_coro_await(ac_coro *c, void *result);
int ac_coro_await__await(ac_frame *caller, void *ret, ac_coro *c, void *result);

/* Raise error e in frame f: record the throw's location if e has none yet,
 * give e the error being handled (the nearest non-NULL `handled` from f down
 * its callers) as context by the rules of BEHAVIOURS.md "Context" (attached
 * at the end of e's chain, unless already in it or the chain was cleared),
 * and make e f's error in flight (f->err must be NULL).  Takes over the
 * caller's reference to e.  A NULL e becomes an EINVAL error. */
void ac__throw(ac_frame *f, ac_error *e, const char *file, int line);

/* Debug counter: how many times the trampoline resumed a frame on this
 * thread (BEHAVIOURS BX-10).  Direct starts are not counted. */
unsigned long ac_resume_count(void);

#ifdef __cplusplus
}
#endif
#endif /* AC_FRAME_H */
