/* baseline.c: the workloads of bench_acc.ac written by hand, as a careful C
 * programmer would write resumable state machines without acc: the yardstick
 * of the benchmark.
 *
 * What it keeps of the model, so that the comparison is honest:
 * - every async function is a frame in memory (bump-allocated on its task's
 *   frame stack, with an overflow check) and a resume function that opens
 *   with a switch on the frame's state, exactly like acc's;
 * - arguments go into the callee's frame, results come back through a
 *   pointer into the caller's frame, and the caller checks an error slot
 *   after every await (errors can propagate, none is raised here);
 * - a callee could suspend: an await returns H_PENDING up the chain, and
 *   the scheduler resumes the task's innermost frame directly.
 *
 * What it leaves out because a hand-writer does not need it: a frame
 * records itself as its task's top only when it suspends (not on every
 * start and return), finishing is an inline pop, a callee is started with a
 * direct call to its known resume function, the chains here are of fixed
 * depth (so no direct-call budget), errors are int codes (no ownership, no
 * `handled` context), and the scheduler is a bare FIFO ready queue (no fds,
 * no timers, no loop turns).  Waiting on an event or yielding is written
 * into the task's own state machine, not as a separate awaited frame.
 *
 * Nothing is declared noinline: the compiler treats this code as it treats
 * acc's output, and the frame traffic stays because it goes through memory
 * that outlives the calls (the task's frame stack).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

enum { H_DONE = 0, H_PENDING = 1 };

typedef struct hframe hframe;
typedef struct htask htask;
typedef int (*hresume_fn)(hframe *f);

struct hframe {
    hresume_fn resume; /* continues the frame: what the scheduler calls */
    hframe *caller;    /* the awaiting frame, NULL for a task's root */
    htask *task;       /* the task running it */
    unsigned state;    /* resume point, 0 = not started */
    int err;           /* error code handed up by a callee, 0 if none */
};

struct htask {
    hframe *top;    /* innermost frame, valid while the task is suspended */
    char *sp, *end; /* frame stack: next free byte, end */
    htask *next;    /* ready queue link */
    int blocked;    /* waits for a wake-up */
    int queued;     /* in the ready queue */
    char *base;     /* the frame stack's memory */
};

#define HSTACK 65536
#define HALIGN(n) (((n) + 15u) & ~(size_t)15u)

static htask *htask_new(void)
{
    htask *t = calloc(1, sizeof *t);
    char *base = malloc(HSTACK);
    if (!t || !base) {
        fprintf(stderr, "baseline: out of memory\n");
        exit(1);
    }
    t->base = t->sp = base;
    t->end = base + HSTACK;
    return t;
}

static void htask_free(htask *t)
{
    free(t->base);
    free(t);
}

static void hframe_init(hframe *f, hframe *caller, htask *t, hresume_fn fn)
{
    f->resume = fn;
    f->caller = caller;
    f->task = t;
    f->state = 0;
    f->err = 0;
}

/* Push a callee frame on the caller's task; NULL (with ENOMEM in the
 * caller's err) when the stack is full. */
static inline void *hpush(hframe *caller, size_t size, hresume_fn fn)
{
    htask *t = caller->task;
    size = HALIGN(size);
    if ((size_t)(t->end - t->sp) < size) {
        caller->err = ENOMEM;
        return NULL;
    }
    hframe *f = (hframe *)(void *)t->sp;
    t->sp += size;
    hframe_init(f, caller, t, fn);
    return f;
}

/* A task's root frame, at the bottom of its stack. */
static void *hroot(htask *t, size_t size, hresume_fn fn)
{
    hframe *f = (hframe *)(void *)t->sp;
    t->sp += HALIGN(size);
    hframe_init(f, NULL, t, fn);
    t->top = f;
    return f;
}

/* Finish frame f: hand its error up, pop it (frames are LIFO). */
static inline int hreturn(hframe *f)
{
    if (f->err && f->caller)
        f->caller->err = f->err;
    f->task->sp = (char *)f;
    return H_DONE;
}

/* ---------------------------------------------------------- scheduler */

static struct {
    htask *head, *tail;
} hq;

/* Queue a blocked task (at the back); anything else is ignored. */
static void hwake(htask *t)
{
    if (t->queued || !t->blocked)
        return;
    t->queued = 1;
    t->next = NULL;
    if (hq.tail)
        hq.tail->next = t;
    else
        hq.head = t;
    hq.tail = t;
}

/* Block f's task with f as its innermost frame, to be resumed at `state`. */
static inline int hsuspend(hframe *f, unsigned state)
{
    f->state = state;
    f->task->top = f;
    f->task->blocked = 1;
    return H_PENDING;
}

/* The trampoline: resume t's innermost frame until it blocks or its root
 * finishes.  A finished frame's caller is resumed next. */
static void hrun(htask *t)
{
    t->blocked = 0;
    while (t->top) {
        hframe *f = t->top;
        hframe *caller = f->caller;
        int r = f->resume(f);
        if (r == H_DONE)
            t->top = caller;
        else if (t->blocked)
            return;
    }
}

/* Run the ready tasks until none is left. */
static void hschedule(void)
{
    while (hq.head) {
        htask *t = hq.head;
        hq.head = t->next;
        if (!hq.head)
            hq.tail = NULL;
        t->queued = 0;
        hrun(t);
    }
}

/* Run root frame's task to completion. */
static void hrun_task(htask *t)
{
    t->blocked = 1;
    hwake(t);
    hschedule();
}

/* ---------------------------------------------------------- await, no suspension */

/* async long cK(long x): one frame type serves the whole chain. */
typedef struct c_frame {
    hframe hdr;
    long *ret; /* the caller's result slot */
    long x;    /* parameter */
    long t;    /* the awaited callee's result */
} c_frame;

/* c1: returns x + 1 without suspending (no resume point, so no switch). */
static int c1_resume(hframe *f)
{
    c_frame *F = (c_frame *)(void *)f;
    *F->ret = F->x + 1;
    return hreturn(f);
}

/* cK: return await c(K-1)(x) + 1. */
#define CHAIN(name, callee)                                            \
    static int name(hframe *f)                                         \
    {                                                                  \
        c_frame *F = (c_frame *)(void *)f;                             \
        switch (f->state) {                                            \
        case 0:                                                        \
            break;                                                     \
        case 1:                                                        \
            goto r1;                                                   \
        }                                                              \
        {                                                              \
            c_frame *G = hpush(f, sizeof *G, callee);                  \
            if (!G)                                                    \
                return hreturn(f);                                     \
            G->ret = &F->t;                                            \
            G->x = F->x;                                               \
            f->state = 1;                                              \
            if (callee(&G->hdr))                                       \
                return H_PENDING;                                      \
        }                                                              \
    r1:                                                                \
        if (f->err)                                                    \
            return hreturn(f);                                         \
        *F->ret = F->t + 1;                                            \
        return hreturn(f);                                             \
    }

CHAIN(c2_resume, c1_resume)
CHAIN(c3_resume, c2_resume)
CHAIN(c4_resume, c3_resume)
CHAIN(c5_resume, c4_resume)
CHAIN(c6_resume, c5_resume)
CHAIN(c7_resume, c6_resume)
CHAIN(c8_resume, c7_resume)

/* The measuring loop: s += await callee(i), n times. */
typedef struct loop_frame {
    hframe hdr;
    int64_t *ret;
    long n, i, s, t;
    int64_t t0;
} loop_frame;

#define LOOP(name, callee)                                             \
    static int name(hframe *f)                                         \
    {                                                                  \
        loop_frame *F = (loop_frame *)(void *)f;                       \
        switch (f->state) {                                            \
        case 0:                                                        \
            break;                                                     \
        case 1:                                                        \
            goto r1;                                                   \
        }                                                              \
        F->s = 0;                                                      \
        F->t0 = bench_now_ns();                                        \
        for (F->i = 0; F->i < F->n; F->i++) {                          \
            {                                                          \
                c_frame *G = hpush(f, sizeof *G, callee);              \
                if (!G)                                                \
                    return hreturn(f);                                 \
                G->ret = &F->t;                                        \
                G->x = F->i;                                           \
                f->state = 1;                                          \
                if (callee(&G->hdr))                                   \
                    return H_PENDING;                                  \
            }                                                          \
        r1:                                                            \
            if (f->err)                                                \
                return hreturn(f);                                     \
            F->s += F->t;                                              \
        }                                                              \
        *F->ret = bench_now_ns() - F->t0;                              \
        bench_sink = F->s;                                             \
        return hreturn(f);                                             \
    }

LOOP(loop1_resume, c1_resume)
LOOP(loop8_resume, c8_resume)

static int64_t run_loop(long n, hresume_fn fn)
{
    int64_t ns = 0;
    htask *t = htask_new();
    loop_frame *F = hroot(t, sizeof *F, fn);
    F->ret = &ns;
    F->n = n;
    hrun_task(t);
    if (F->hdr.err) {
        fprintf(stderr, "baseline: error %d\n", F->hdr.err);
        exit(1);
    }
    htask_free(t);
    return ns;
}

int64_t base_await_depth1(long n) { return run_loop(n, loop1_resume); }
int64_t base_await_depth8(long n) { return run_loop(n, loop8_resume); }

/* ---------------------------------------------------------- two tasks */

/* A one-waiter event, as bench_event. */
typedef struct hevent {
    int set;
    htask *waiter;
} hevent;

static void hevent_set(hevent *e)
{
    htask *t = e->waiter;
    if (t) {
        e->waiter = NULL;
        hwake(t);
    } else {
        e->set = 1;
    }
}

typedef struct pp_frame {
    hframe hdr;
    int64_t *ret;   /* A only: the measured ns */
    hevent *mine;   /* what this task waits on */
    hevent *other;  /* what it sets */
    long n, i;
    int64_t t0;
} pp_frame;

/* A: for n: set(other); wait(mine).  Timed. */
static int ping_resume(hframe *f)
{
    pp_frame *F = (pp_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    }
    F->t0 = bench_now_ns();
    for (F->i = 0; F->i < F->n; F->i++) {
        hevent_set(F->other);
        if (F->mine->set) {
            F->mine->set = 0;
        } else {
            F->mine->waiter = f->task;
            return hsuspend(f, 1);
        r1:;
        }
    }
    *F->ret = bench_now_ns() - F->t0;
    return hreturn(f);
}

/* B: for n: wait(mine); set(other). */
static int pong_resume(hframe *f)
{
    pp_frame *F = (pp_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    }
    for (F->i = 0; F->i < F->n; F->i++) {
        if (F->mine->set) {
            F->mine->set = 0;
        } else {
            F->mine->waiter = f->task;
            return hsuspend(f, 1);
        r1:;
        }
        hevent_set(F->other);
    }
    return hreturn(f);
}

/* A (timed, ret != NULL) or B: yield n times. */
static int yield_resume(hframe *f)
{
    pp_frame *F = (pp_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    }
    if (F->ret)
        F->t0 = bench_now_ns();
    for (F->i = 0; F->i < F->n; F->i++) {
        hsuspend(f, 1);
        hwake(f->task); /* to the back of the ready queue */
        return H_PENDING;
    r1:;
    }
    if (F->ret)
        *F->ret = bench_now_ns() - F->t0;
    return hreturn(f);
}

/* Two tasks running fa (A, timed) and fb (B); A is queued first. */
static int64_t run_pair(long n, hresume_fn fa, hresume_fn fb)
{
    int64_t ns = 0;
    hevent a = {0, NULL}, b = {0, NULL};
    htask *ta = htask_new(), *tb = htask_new();
    pp_frame *A = hroot(ta, sizeof *A, fa);
    pp_frame *B = hroot(tb, sizeof *B, fb);
    A->ret = &ns;
    A->mine = &a;
    A->other = &b;
    A->n = n;
    B->ret = NULL;
    B->mine = &b;
    B->other = &a;
    B->n = n;
    ta->blocked = tb->blocked = 1;
    hwake(ta);
    hwake(tb);
    hschedule();
    if (ta->top || tb->top) {
        fprintf(stderr, "baseline: a task did not finish\n");
        exit(1);
    }
    htask_free(ta);
    htask_free(tb);
    return ns;
}

int64_t base_pingpong_event(long n) { return run_pair(n, ping_resume, pong_resume); }
int64_t base_pingpong_yield(long n) { return run_pair(n, yield_resume, yield_resume); }

/* ---------------------------------------------------------- managers (issue 3) */

/* The hand-written exit stack: a growable array of callbacks, run LIFO. */
typedef struct entry {
    void (*fn)(void *args, ac_error **raise);
    void *args;
} entry;

int64_t base_exit_callbacks(long n)
{
    long hits = 0;
    entry *v = NULL;
    long cap = 0, len = 0;
    int64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        if (len == cap) {
            cap = cap ? 2 * cap : 16;
            entry *w = realloc(v, (size_t)cap * sizeof *w);
            if (!w)
                abort();
            v = w;
        }
        v[len].fn = bench_callback;
        v[len].args = &hits;
        len++;
    }
    while (len) {
        ac_error *raise = NULL;
        len--;
        v[len].fn(v[len].args, &raise);
    }
    int64_t t1 = bench_now_ns();
    free(v);
    bench_sink = hits;
    return t1 - t0;
}

int64_t base_with_class(long n)
{
    bench_counter c = {0};
    long s = 0;
    int64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        ac_error *raise = NULL;
        long *v = bench_enter(&c, &raise);
        s += *v + i;
        bench_exit(&c, NULL, &raise);
    }
    int64_t t1 = bench_now_ns();
    bench_sink = s + c.exited;
    return t1 - t0;
}

/* ---------------------------------------------------------- async for (issue 5) */

int64_t base_for_items(long n)
{
    bench_iter it = {0, n};
    long s = 0, v;
    int64_t t0 = bench_now_ns();
    while (bench_iter_next(&it, &v))
        s += v;
    int64_t t1 = bench_now_ns();
    bench_sink = s;
    return t1 - t0;
}
