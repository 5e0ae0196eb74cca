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
 * `handled` context, no cancellation), and the scheduler is a bare FIFO
 * ready queue (no fds, no timers, no loop turns).  Waiting on an event or
 * yielding is written into the task's own state machine, not as a separate
 * awaited frame; a waiter lives in the waiting frame.  A task whose root
 * awaits nothing (the children of the task-group workloads) is one
 * allocation, task and root frame, without a frame stack; a group is a
 * count of live children and the task waiting for them.
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
    char *base;     /* the frame stack's memory; NULL for a bare task */
    void (*done)(htask *t); /* called when its root finishes (may free t), or NULL */
    void *data;     /* for done */
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
    if (t->done)
        t->done(t);
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

/* An event with ac_event's semantics: setting it wakes every waiter (in
 * the order they came) and it stays set until cleared; a wait on a set
 * event returns at once.  A waiter lives in the waiting frame. */
typedef struct hwaiter hwaiter;
struct hwaiter {
    hwaiter *next;
    htask *task;
};

typedef struct hevent {
    int set;
    hwaiter *head, *tail;
} hevent;

static void hevent_set(hevent *e)
{
    e->set = 1;
    for (hwaiter *w = e->head; w; w = w->next)
        hwake(w->task);
    e->head = e->tail = NULL;
}

/* Queue w for t's wake-up (then block with hsuspend). */
static void hevent_join(hevent *e, hwaiter *w, htask *t)
{
    w->next = NULL;
    w->task = t;
    if (e->tail)
        e->tail->next = w;
    else
        e->head = w;
    e->tail = w;
}

typedef struct pp_frame {
    hframe hdr;
    int64_t *ret;   /* A only: the measured ns */
    hevent *mine;   /* what this task waits on */
    hevent *other;  /* what it sets */
    long n, i;
    int64_t t0;
    hwaiter w;
} pp_frame;

/* A: for n: set(other); wait(mine); clear(mine).  Timed. */
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
        if (!F->mine->set) {
            hevent_join(F->mine, &F->w, f->task);
            return hsuspend(f, 1);
        r1:;
        }
        F->mine->set = 0;
    }
    *F->ret = bench_now_ns() - F->t0;
    return hreturn(f);
}

/* B: for n: wait(mine); clear(mine); set(other). */
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
        if (!F->mine->set) {
            hevent_join(F->mine, &F->w, f->task);
            return hsuspend(f, 1);
        r1:;
        }
        F->mine->set = 0;
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
    hevent a = {0, NULL, NULL}, b = {0, NULL, NULL};
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

/* ---------------------------------------------------------- task groups (issue 4) */

/* A group: the children alive, and the task waiting for them. */
typedef struct hgroup {
    long alive;
    htask *host;
} hgroup;

/* A child's end: free it; the last one wakes the host. */
static void hgroup_child_done(htask *t)
{
    hgroup *g = t->data;
    htask_free(t);
    if (--g->alive == 0 && g->host)
        hwake(g->host);
}

/* A child of g whose root frame (`size` bytes, resumed by fn) awaits
 * nothing: task and frame in one allocation, no frame stack.  Queued; the
 * caller fills in the frame's fields. */
static void *hspawn_bare(hgroup *g, size_t size, hresume_fn fn)
{
    htask *t = malloc(HALIGN(sizeof *t) + size);
    if (!t) {
        fprintf(stderr, "baseline: out of memory\n");
        exit(1);
    }
    hframe *f = (hframe *)(void *)((char *)t + HALIGN(sizeof *t));
    *t = (htask){.top = f, .blocked = 1, .done = hgroup_child_done, .data = g};
    hframe_init(f, NULL, t, fn);
    g->alive++;
    hwake(t);
    return f;
}

/* A child of g with a frame stack of its own (its root may await). */
static void *hspawn(hgroup *g, size_t size, hresume_fn fn)
{
    htask *t = htask_new();
    void *f = hroot(t, size, fn);
    t->blocked = 1;
    t->done = hgroup_child_done;
    t->data = g;
    g->alive++;
    hwake(t);
    return f;
}

/* Block f's task until every child of g has ended: returns H_PENDING
 * after hsuspend(f, state), or H_DONE when none is alive. */
static int hjoin(hframe *f, hgroup *g, unsigned state)
{
    if (!g->alive)
        return H_DONE;
    g->host = f->task;
    return hsuspend(f, state);
}

/* Run task t, whose root frame is f, to its end, and free it. */
static void hrun_root(htask *t, hframe *f)
{
    hrun_task(t);
    if (t->top || f->err) {
        fprintf(stderr, "baseline: the root task did not finish (error %d)\n", f->err);
        exit(1);
    }
    htask_free(t);
}

/* spawn + complete + join: the child returns without suspending. */
typedef struct leaf_frame {
    hframe hdr;
    long *sum;
    long x;
} leaf_frame;

static int leaf_resume(hframe *f)
{
    leaf_frame *F = (leaf_frame *)(void *)f;
    *F->sum += F->x;
    return hreturn(f);
}

typedef struct sj_frame {
    hframe hdr;
    int64_t *ret;
    long n, i, sum;
    int64_t t0;
    hgroup g;
} sj_frame;

/* for n: spawn (g) leaf(&sum, i); then join g.  Timed. */
static int spawn_join_resume(hframe *f)
{
    sj_frame *F = (sj_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    }
    F->sum = 0;
    F->g = (hgroup){0, NULL};
    F->t0 = bench_now_ns();
    for (F->i = 0; F->i < F->n; F->i++) {
        leaf_frame *L = hspawn_bare(&F->g, sizeof *L, leaf_resume);
        L->sum = &F->sum;
        L->x = F->i;
    }
    if (hjoin(f, &F->g, 1))
        return H_PENDING;
r1:
    *F->ret = bench_now_ns() - F->t0;
    bench_sink = F->sum;
    return hreturn(f);
}

int64_t base_spawn_join(long n)
{
    int64_t ns = 0;
    htask *t = htask_new();
    sj_frame *F = hroot(t, sizeof *F, spawn_join_resume);
    F->ret = &ns;
    F->n = n;
    hrun_root(t, &F->hdr);
    return ns;
}

/* Tasks waiting on one event: each counts itself, then waits. */
typedef struct sleeper_frame {
    hframe hdr;
    hevent *e;
    long *waiting;
    hwaiter w;
} sleeper_frame;

static int sleeper_resume(hframe *f)
{
    sleeper_frame *F = (sleeper_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    }
    ++*F->waiting;
    if (!F->e->set) {
        hevent_join(F->e, &F->w, f->task);
        return hsuspend(f, 1);
    r1:;
    }
    return hreturn(f);
}

typedef struct wr_frame {
    hframe hdr;
    int64_t *ret; /* the RSS growth while all wait */
    long n, i, waiting;
    int64_t rss0, rss1;
    hevent e;
    hgroup g;
} wr_frame;

/* Spawn n sleepers, yield so that all reach their wait, read the RSS, set
 * the event, join. */
static int waiters_resume(hframe *f)
{
    wr_frame *F = (wr_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    case 2:
        goto r2;
    }
    F->e = (hevent){0, NULL, NULL};
    F->g = (hgroup){0, NULL};
    F->waiting = 0;
    F->rss0 = bench_rss_bytes();
    for (F->i = 0; F->i < F->n; F->i++) {
        sleeper_frame *S = hspawn_bare(&F->g, sizeof *S, sleeper_resume);
        S->e = &F->e;
        S->waiting = &F->waiting;
    }
    hsuspend(f, 1); /* yield: behind every child */
    hwake(f->task);
    return H_PENDING;
r1:
    F->rss1 = bench_rss_bytes();
    if (F->waiting != F->n) {
        fprintf(stderr, "baseline: %ld of %ld tasks waiting\n", F->waiting, F->n);
        exit(1);
    }
    hevent_set(&F->e);
    if (hjoin(f, &F->g, 2))
        return H_PENDING;
r2:
    *F->ret = F->rss1 - F->rss0;
    return hreturn(f);
}

int64_t base_waiters_rss(long n, long *frame_bytes)
{
    int64_t rss = 0;
    htask *t = htask_new();
    wr_frame *F = hroot(t, sizeof *F, waiters_resume);
    F->ret = &rss;
    F->n = n;
    hrun_root(t, &F->hdr);
    *frame_bytes = (long)sizeof(sleeper_frame);
    return rss;
}

/* One side of the ping-pong at await depth `depth`: side(d) awaits
 * side(d - 1) ... side(1), which runs the loop; the timed side (ns not
 * NULL) sets first. */
typedef struct side_frame {
    hframe hdr;
    hevent *mine, *other;
    int64_t *ns;
    long n, i;
    int depth;
    int64_t t0;
    hwaiter w;
} side_frame;

static void side_args(side_frame *G, const side_frame *F, int depth)
{
    G->mine = F->mine;
    G->other = F->other;
    G->ns = F->ns;
    G->n = F->n;
    G->depth = depth;
}

static int side_resume(hframe *f)
{
    side_frame *F = (side_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    case 2:
        goto r2;
    }
    if (F->depth > 1) {
        side_frame *G = hpush(f, sizeof *G, side_resume);
        if (!G)
            return hreturn(f);
        side_args(G, F, F->depth - 1);
        f->state = 1;
        if (side_resume(&G->hdr))
            return H_PENDING;
    r1:
        return hreturn(f); /* an error goes on to the caller */
    }
    F->t0 = bench_now_ns();
    for (F->i = 0; F->i < F->n; F->i++) {
        if (F->ns)
            hevent_set(F->other);
        if (!F->mine->set) {
            hevent_join(F->mine, &F->w, f->task);
            return hsuspend(f, 2);
        r2:;
        }
        F->mine->set = 0;
        if (!F->ns)
            hevent_set(F->other);
    }
    if (F->ns)
        *F->ns = bench_now_ns() - F->t0;
    return hreturn(f);
}

typedef struct dp_frame {
    hframe hdr;
    int64_t *ret;
    long n;
    int depth;
    hevent a, b;
    hgroup g;
} dp_frame;

/* spawn (g) side(depth, &b, &a, n, NULL); await side(depth, &a, &b, n,
 * ret); join g. */
static int depth_pair_resume(hframe *f)
{
    dp_frame *F = (dp_frame *)(void *)f;
    switch (f->state) {
    case 0:
        break;
    case 1:
        goto r1;
    case 2:
        goto r2;
    }
    F->a = F->b = (hevent){0, NULL, NULL};
    F->g = (hgroup){0, NULL};
    {
        side_frame *B = hspawn(&F->g, sizeof *B, side_resume);
        B->mine = &F->b;
        B->other = &F->a;
        B->ns = NULL;
        B->n = F->n;
        B->depth = F->depth;
    }
    {
        side_frame *A = hpush(f, sizeof *A, side_resume);
        if (!A)
            return hreturn(f);
        A->mine = &F->a;
        A->other = &F->b;
        A->ns = F->ret;
        A->n = F->n;
        A->depth = F->depth;
        f->state = 1;
        if (side_resume(&A->hdr))
            return H_PENDING;
    }
r1:
    if (f->err)
        return hreturn(f);
    if (hjoin(f, &F->g, 2))
        return H_PENDING;
r2:
    return hreturn(f);
}

int64_t base_wake_event(long n, int depth)
{
    int64_t ns = 0;
    htask *t = htask_new();
    dp_frame *F = hroot(t, sizeof *F, depth_pair_resume);
    F->ret = &ns;
    F->n = n;
    F->depth = depth;
    hrun_root(t, &F->hdr);
    return ns;
}

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
