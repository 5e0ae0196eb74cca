/* task.c: tasks, frame stacks, the ready queue and the trampoline.
 *
 * Frame stack: frames awaited inside a task are bump-allocated from
 * segments (ac/frame.h pushes inline; this file handles a full segment).
 * A segment is at least 256 bytes and twice the one before; the first frame
 * of a segment is flagged AC_FRAME_SEGSTART so that popping it returns to
 * the previous segment.  One emptied segment is kept as a spare (in the
 * trailer of the current one, which keeps the task small), so a chain
 * that goes back and forth across a segment boundary does not call malloc.
 *
 * Trampoline: run() resumes the task's top frame in a loop.  A
 * frame that finishes makes its caller the top (ac__frame_return), so a
 * chain of any depth completes with constant C stack, and a wake-up resumes
 * the innermost frame directly: no frame is walked.
 */
#include <assert.h>
#include <string.h>

#include "ac/primitive.h"
#include "internal.h"
#include "pool.h"
#include "task.h"

#define SEG_MIN 256u
#define SEG_GROWN 4096u

struct ac__seg {
    ac__seg *prev;    /* the segment below, NULL for the first */
    char *prev_sp;    /* where the stack stopped in `prev` */
    size_t size;      /* bytes of frame space before the trailer */
    ac__seg *spare;   /* the task's spare, held by its current segment only
                         (it moves down on a pop); NULL if none */
    char *bottom;     /* first segment: where its bottom frame is, or the
                         stack pointer while it is empty (an over-aligned
                         frame may sit past SEG_BASE) */
    bool pooled;      /* a block of the pool (ac__pool_free), else ac__malloc's */
};

/* A segment is `size` bytes of frame space (a multiple of 16) followed by
 * its ac__seg, a trailer: the end of the task's stack (head.end) is the
 * trailer of its current segment, so that the task needs no pointer to it.
 * A task without a segment has both ends of its stack on a byte of its own
 * (ac__task_make). */
#define SEG_TRAIL AC__ALIGN(sizeof(ac__seg))
#define SEG_BASE(s) ((char *)(s) - (s)->size)

static ac__seg *seg_of(ac_task *t)
{
    return ac__task_has_segment(t) ? (ac__seg *)(void *)t->head.end : NULL;
}

/* Make s (NULL: none) t's current segment. */
static void seg_set(ac_task *t, ac__seg *s)
{
    t->head.end = s ? (char *)s : (char *)&t->head.finished;
}

static void seg_free(ac__seg *s)
{
    if (s && s->pooled)
        ac__pool_free(SEG_BASE(s));
    else if (s)
        ac__free(SEG_BASE(s));
}

AC__TLS ac__sched ac__sched_now;
AC__TLS uintptr_t ac__climit;
AC__TLS ac__task_done_fn ac__task_done_hook;
#define sched ac__sched_now

/* This thread's scheduler as a plain pointer, for the trampoline's loops.
 * Named, a thread-local variable is reached %fs-relative on x86-64; the
 * ping-pong's round trip took 1.5-2 ns longer (of 15) with the loop's
 * queue accesses in that form than through a pointer taken once.  The
 * empty asm keeps the optimiser from folding the pointer back into the
 * %fs form. */
static inline ac__sched *sched_self(void)
{
    ac__sched *s = &ac__sched_now;
#ifdef __GNUC__
    __asm__("" : "+r"(s));
#endif
    return s;
}

/* ---------------------------------------------------------- tasks */

ac_task *ac__task_new(ac_frame *root)
{
    /* Every thread's first task is made here (a group's children start from
       the queue, and a queue needs a first task): its queue begins empty. */
    if (!sched.tail)
        sched.tail = AC__SCHED_EMPTY(&sched);
    return ac__task_make(root);
}

void ac__task_free_parts(ac_task *t)
{
    if (t->head.noted)
        ac__cancel_unnote(&t->head.noted);
    ac__seg *s;
    while ((s = seg_of(t)) != NULL) {
        seg_set(t, s->prev);
        seg_free(s->spare);
        seg_free(s);
    }
    if (t->head.finished && t->err) /* else the union holds `unwait` */
        ac_error_release(t->err);
    ac__locals_unref(t->locals);
}

/* ---------------------------------------------------------- frame stack */

/* A segment with room for `need` bytes: the spare if it is big enough,
 * else a new one (and a spare too small to matter is dropped).  Either
 * way the task has no spare after. */
static ac__seg *seg_get(ac_task *t, size_t need)
{
    ac__seg *top = seg_of(t);
    ac__seg *s = top ? top->spare : NULL;
    if (s && s->size >= need) {
        top->spare = NULL;
        return s;
    }
    /* A task's first segment is small (a task waiting at depth 1 needs one
       frame); one that outgrows it gets room for deep chains at once. */
    size_t size = top ? (top->size < SEG_GROWN ? SEG_GROWN : 2 * top->size) : SEG_MIN;
    if (size < need)
        size = need;
    /* A first segment is a block of the pool, as the task and its root
       are: no malloc for a task that awaits, and its frames away from the
       page offsets malloc gives every task's segment alike. */
    bool pooled = false;
    char *base = size + SEG_TRAIL <= AC__POOL_MAX ? ac__pool_alloc(size + SEG_TRAIL, &pooled)
                                                  : ac__malloc(size + SEG_TRAIL);
    if (!base)
        return NULL;
    s = (ac__seg *)(void *)(base + size);
    s->size = size;
    s->pooled = pooled;
    s->spare = NULL;
    if (top && top->spare) {
        seg_free(top->spare);
        top->spare = NULL;
    }
    return s;
}

/* An over-aligned frame that needs padding where the stack is (the inline
 * push leaves those here): NULL if it does not fit in the segment. */
static ac_frame *push_padded(ac_task *t, size_t size, size_t align)
{
    ac__seg *cur = seg_of(t);
    char *p = t->head.sp;
    p += (align - (uintptr_t)p % align) % align;
    if (!cur || p > t->head.end || (size_t)(t->head.end - p) < size)
        return NULL;
    if (!cur->prev && t->head.sp == cur->bottom) /* the first segment is empty */
        cur->bottom = p;
    t->head.sp = p + size;
    return (ac_frame *)(void *)p;
}

void *ac__frame_push_slow(ac_frame *caller, size_t size, size_t align, ac_resume_fn fn, void *ret)
{
    ac_task *t = caller->task;
    size_t pad = align > 16 ? align - 16 : 0; /* SEG_BASE is 16-aligned */
    size = AC__ALIGN(size);
    if (align > 16) {
        ac_frame *f = push_padded(t, size, align);
        if (f) {
            ac__frame_init(f, caller, t, fn, ret, 0);
            return f;
        }
    }
    ac__seg *s = seg_get(t, size + pad);
    if (!s) {
        ac__throw(caller, ac__error_nomem(), __FILE__, __LINE__);
        return NULL;
    }
    /* A small first segment overflowing: flag the frame at its bottom, so
       that when the stack empties the larger segment can take its place
       (ac__frame_pop_slow) and a chain that goes this deep again fits in
       one segment instead of crossing over on every call. */
    ac__seg *first = seg_of(t);
    if (first && !first->prev && first->size < SEG_GROWN && t->head.sp > first->bottom)
        ((ac_frame *)(void *)first->bottom)->flags |= AC_FRAME_SEGSTART;
    s->prev = first;
    s->prev_sp = t->head.sp;
    seg_set(t, s);
    char *p = SEG_BASE(s);
    if (align > 16)
        p += (align - (uintptr_t)p % align) % align;
    ac_frame *f = (ac_frame *)(void *)p;
    if (!s->prev)
        s->bottom = p;
    t->head.sp = p + size;
    /* Popping the first frame of the task's first segment needs nothing
       special (the segment stays): only later segments are flagged. */
    ac__frame_init(f, caller, t, fn, ret, s->prev ? AC_FRAME_SEGSTART : 0);
    return f;
}

/* Keep the larger of empty segment s and the spare as the spare. */
static void seg_keep(ac_task *t, ac__seg *s)
{
    ac__seg *top = seg_of(t);
    if (top->spare && top->spare->size >= s->size) {
        seg_free(s);
        return;
    }
    seg_free(top->spare);
    top->spare = s;
}

void ac__frame_pop_slow(ac_frame *f)
{
    ac_task *t = f->task;
    ac__seg *s = seg_of(t);
    if (!s->prev) {
        /* The stack is empty.  The first segment stays, and the next push
           reuses it inline; but a larger spare (the segment the stack
           overflowed into) replaces a small one. */
        ac__seg *big = s->spare;
        if (big && big->size > s->size) {
            seg_free(s);
            big->prev = NULL;
            seg_set(t, s = big);
        }
        t->head.sp = s->bottom = SEG_BASE(s);
        return;
    }
    seg_set(t, s->prev);
    s->prev->spare = s->spare;
    s->spare = NULL;
    t->head.sp = s->prev_sp;
    seg_keep(t, s);
}

int ac__frame_return_slow(ac_frame *f)
{
    ac_task *t = f->task;
    ac_frame *caller = f->caller;
    if (caller)
        caller->err = f->err;
    else
        t->err = f->err;
    f->err = NULL;
    if (!(f->flags & AC_FRAME_CORO)) {
        if (f->flags & AC_FRAME_SEGSTART)
            ac__frame_pop_slow(f);
        else
            t->head.sp = (char *)f; /* LIFO: f was the last push */
    }
    return AC_DONE;
}

/* ---------------------------------------------------------- coroutines */

/* Over-aligned coroutine objects keep the malloc'd block's address in the
 * word before the frame.  The header is set here, the rest of the frame is
 * left to the caller (ac__coro_new zeroes it inline, where its size is a
 * constant). */
void *ac__coro_alloc(size_t size, size_t align, ac_resume_fn fn)
{
    if (size < sizeof(ac_frame))
        size = sizeof(ac_frame);
    ac_frame *f;
    uint32_t flags;
    if (align > 16) {
        char *block = ac__malloc(size + align + sizeof(void *));
        if (!block)
            return NULL;
        char *p = block + sizeof(void *);
        p += (align - (uintptr_t)p % align) % align;
        memcpy(p - sizeof(void *), &block, sizeof block);
        f = (ac_frame *)(void *)p;
        flags = AC_FRAME_CORO | AC_FRAME_OVERALIGNED;
    } else {
        bool pooled;
        f = ac__pool_alloc(size, &pooled);
        if (!f)
            return NULL;
        flags = AC_FRAME_CORO | (pooled ? AC_FRAME_POOLED : 0);
    }
    ac__frame_init(f, NULL, NULL, NULL, NULL, flags);
    f->resume = fn;
    return f;
}

void *ac__frame_push_heap(ac_frame *caller, size_t size, size_t align, void *ret)
{
    ac_frame *f = ac__coro_new(size, align, NULL);
    if (!f) {
        ac__throw(caller, ac__error_nomem(), __FILE__, __LINE__);
        return NULL;
    }
    f->caller = caller;
    f->task = caller->task;
    f->ret = ret;
    return f;
}

/* The rare cases of ac_coro_free: an over-aligned block, and a coroutine
 * object that holds what it consumes (ac__dropping), freed unstarted. */
static AC__SLOW void coro_free_unusual(ac_coro *c)
{
    if ((c->flags & AC_FRAME_DROPS) && !c->state)
        ((ac__dropping *)(void *)c)->drop(c);
    if (c->flags & AC_FRAME_OVERALIGNED) {
        char *block;
        memcpy(&block, (char *)c - sizeof block, sizeof block);
        ac__free(block);
        return;
    }
    ac__pool_release(c, c->flags & AC_FRAME_POOLED);
}

void ac_coro_free(ac_coro *c)
{
    if (!c)
        return;
    if (c->err)
        ac_error_release(c->err);
    if (c->flags & (AC_FRAME_OVERALIGNED | AC_FRAME_DROPS)) { /* one test, as before */
        coro_free_unusual(c);
        return;
    }
    ac__pool_release(c, c->flags & AC_FRAME_POOLED);
}

/* ac_coro_await: a frame that awaits the coroutine object c (through
 * ac__coro_await, which makes c's frame a callee of this one, writing its
 * result straight through hdr.ret) and frees it when it has finished. */
typedef struct coro_await_frame {
    ac_frame hdr;
    void (*drop)(ac_frame *f); /* (ac__dropping: the coroutine object's) */
    ac_coro *c;
} coro_await_frame;

/* Freed unstarted, the object frees the coroutine it would consume. */
static void coro_await_drop(ac_frame *hdr)
{
    ac_coro_free(((coro_await_frame *)(void *)hdr)->c);
}

static int coro_await_resume(ac_frame *hdr)
{
    coro_await_frame *f = (coro_await_frame *)(void *)hdr;
    if (hdr->state == 0) {
        hdr->state = 1;
        if (ac__coro_await(hdr, f->c, hdr->ret))
            return AC_PENDING;
    }
    ac_coro_free(f->c); /* its error, if any, has moved to hdr->err */
    return ac__frame_return(hdr);
}

ac_coro *ac_coro_await(ac_coro *c, void *result)
{
    coro_await_frame *f = AC_CORO_NEW(coro_await_frame, coro_await_resume);
    if (!f) {
        ac_coro_free(c); /* consumed, as documented */
        return NULL;
    }
    f->c = c;
    f->hdr.ret = result;
    f->drop = coro_await_drop;
    f->hdr.flags |= AC_FRAME_DROPS;
    return &f->hdr;
}

int ac_coro_await__await(ac_frame *caller, void *ret, ac_coro *c, void *result)
{
    (void)ret; /* (a void function) */
    coro_await_frame *f = AC_FRAME_PUSH(coro_await_frame, caller, result, coro_await_resume);
    if (!f) {
        ac_coro_free(c); /* consumed; ENOMEM is in caller->err */
        return AC_DONE;
    }
    f->c = c;
    return ac__frame_start_fn(&f->hdr, coro_await_resume);
}

/* ---------------------------------------------------------- scheduling */

int ac__suspend_unwait(ac_frame *f, ac_unwait_fn unwait)
{
    ac__task_block(f, unwait);
    if (ac__noted) /* a cancelled point: the wait is withdrawn at once */
        ac__task_deliver(f->task);
    return AC_PENDING;
}

void ac__task_wake(ac_task *t)
{
    ac__task_enqueue(t, AC__WOKEN_HARD);
}

void ac__task_wake_soft(ac_task *t)
{
    ac__task_enqueue(t, AC__WOKEN_SOFT);
}

void ac__task_unwait(ac_task *t)
{
    ac_unwait_fn fn = t->unwait;
    t->unwait = NULL;
    if (fn)
        fn(t->head.top);
}

/* The C-stack limit of direct starts for tasks run from here. */
static uintptr_t stack_limit(const char *here)
{
    uintptr_t base = (uintptr_t)here;
    return base > AC_DIRECT_STACK ? base - AC_DIRECT_STACK : 0;
}

/* The root of t, f, has finished: the group of a child or the thread
 * bridge hears of it, and may free t. */
static inline void task_notify(ac_task *t, ac_frame *f)
{
    if (f->flags & AC_FRAME_CHILD)
        ac__taskgroup_child_done(t, f);
    else if (f->flags & AC_FRAME_BRIDGED)
        ac__bridge_run_done(t, f);
    else if (f->flags & AC_FRAME_MAIN)
        sched.busy = 1; /* the loop has what it waited for */
    else if (f->flags & AC_FRAME_CLOSER)
        ac__closer_done(f);
    else
        ac__task_done_hook(t, f);
}

/* t ends inside managers it entered and never exited: they leave it
 * first. */
static AC__SLOW void task_done_inside(ac_task *t, ac_frame *f)
{
    ac__task_orphan_scopes(t);
    task_notify(t, f);
}

/* The end of t, whose root is f, outside the trampoline's loop.  (Two
 * functions, so that the common case saves no register for the call to
 * ac__task_orphan_scopes.) */
static AC__SLOW void task_done(ac_task *t, ac_frame *f)
{
    if (t->head.scope != &t->root_link || t->groups)
        task_done_inside(t, f);
    else
        task_notify(t, f);
}

/* t's root f has returned.  May free t: nothing touches it after. */
static inline void task_end(ac__sched *s, ac_task *t, ac_frame *f)
{
    t->head.top = NULL;
    s->running = NULL;
    t->head.finished = 1;
    if (f->flags & (AC_FRAME_CHILD | AC_FRAME_BRIDGED | AC_FRAME_NOTIFY | AC_FRAME_MAIN |
                    AC_FRAME_CLOSER))
        task_done(t, f);
}

/* Run t (sched.running is t) from f, its top frame, until it stops or its
 * root finishes.  A frame stops by blocking, or when a start bounces (then
 * t is at the front of the ready queue, to go on at once).  t may be freed
 * when it finished. */
static inline void run(ac__sched *s, ac_task *t, ac_frame *f)
{
    ac__taskhead *h = &t->head;
    assert(f == h->top && "a queued task's top changed (ac/sched.h)");
    h->queued = 0;
    h->blocked = 0;
    for (;;) {
        ac_frame *caller = f->caller; /* read first: f may be freed by its end */
        s->resumes++;
        if (f->resume(f) != AC_DONE)
            return;
        if (!caller)
            break;
        h->top = f = caller; /* f finished: its caller goes on */
    }
    task_end(s, t, f);
}

int ac__frame_bounce(ac_frame *f, ac_resume_fn fn)
{
    ac_task *t = f->task;
    f->resume = fn;
    t->head.top = f;
    t->head.blocked = 1;
    t->head.queued = AC__WOKEN_BOUNCE;
    t->unwait = NULL;
    t->next = sched.head;
    sched.head = f;
    if (sched.tail == AC__SCHED_EMPTY(&sched))
        sched.tail = t;
    return AC_PENDING;
}

/* The front of the ready queue is `link`, a pending child: take it out and
 * give it its task (ac__taskgroup_child_start).  Returns the task, to be
 * run now as if it had been dequeued, or NULL if it could not be made (the
 * child failed with ENOMEM before it began, and is gone). */
static AC__SLOW ac_task *start_pending(ac_frame *link)
{
    ac_frame *f = ac__pending_frame(link);
    if (ac__pending_entry(f) == sched.tail) {
        sched.head = NULL;
        sched.tail = AC__SCHED_EMPTY(&sched);
    } else {
        /* The link to the next entry, stored as a task's `next` over the
           frame's `caller`: read as bytes, whatever type wrote them. */
        memcpy(&sched.head, &f->caller, sizeof sched.head);
    }
    return ac__taskgroup_child_start(f); /* may queue the group's host */
}

ac_task *ac__task_current(void)
{
    return sched.running;
}

/* Take the task at the front of the ready queue (a pending child gets its
 * task) and make it the running one; NULL if the queue is empty. */
static inline ac_task *dequeue(ac__sched *s)
{
    ac_frame *link;
    while ((link = s->head) != NULL) {
        ac_task *t;
        if (ac__is_pending(link)) {
            t = start_pending(link);
            if (!t)
                continue;
        } else if ((t = link->task) == s->tail) { /* the last: `next` is stale */
            s->head = NULL;
            s->tail = AC__SCHED_EMPTY(s);
        } else {
            s->head = t->next;
        }
        s->running = t;
        return t;
    }
    return NULL;
}

void ac__ready_run(size_t n)
{
    char here = 0; /* direct starts may use AC_DIRECT_STACK below this point */
    ac__sched *s = sched_self();
    uintptr_t outer_climit = ac__climit;
    ac__climit = stack_limit(&here);
    ac_task *outer = s->running;
    ac_task *t;
    while (n-- && (t = dequeue(s)) != NULL)
        run(s, t, t->head.top);
    s->running = outer;
    ac__climit = outer_climit;
}

/* A turn ends after the task that was last in the queue when it began:
 * `last`, compared before that task runs (it may be freed by its run).  A
 * queued task is never freed or taken out of the queue but here, so `last`
 * is reached.  `last` is in the queue, so the task at its tail ends a turn
 * too: two tasks taking turns (each one wakes the other and waits) end a
 * turn at every switch, which this loop makes its shortest path.  A link of
 * the queue is the frame its task goes on from, so the frame's code is
 * loaded straight from the queue's head, the task beside it. */
void ac__ready_run_turns(void)
{
    char here = 0;
    ac__sched *s = sched_self();
    uintptr_t outer_climit = ac__climit;
    ac__climit = stack_limit(&here);
    ac_task *outer = s->running;
    ac_task *last = s->tail;
    ac_frame *f;
    while ((f = s->head) != NULL) {
        ac_task *t;
        if (ac__is_pending(f)) {
            bool ends_turn = ac__pending_entry(ac__pending_frame(f)) == last;
            t = start_pending(f);
            if (t) {
                s->running = t;
                run(s, t, t->head.top);
            }
            if (ends_turn) {
                if (s->busy)
                    break;
                last = s->tail;
            }
            continue;
        }
        t = f->task;
        if (t == s->tail) { /* the shortest path */
            s->head = NULL;
            s->tail = AC__SCHED_EMPTY(s);
            s->running = t;
            run(s, t, f);
            if (s->busy)
                break;
            last = s->tail;
            continue;
        }
        s->head = t->next;
        if (t != last) { /* the turn goes on */
            s->running = t;
            run(s, t, f);
            continue;
        }
        s->running = t;
        run(s, t, f);
        if (s->busy)
            break;
        last = s->tail;
    }
    s->running = outer;
    ac__climit = outer_climit;
}

unsigned long ac_resume_count(void)
{
    return sched.resumes;
}
