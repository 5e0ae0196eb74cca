/* loop.c: the per-thread loop: timers, fd waits, loop turns, ac_run(),
 * loop-stop callbacks, and the leaf primitives ac_sleep and ac_wait_fd.
 *
 * The OS is reached only through os.h.  Timers and fd waits live in the
 * frames of the primitives that wait on them; the loop keeps pointers (a
 * binary heap of timers, a table of waiter lists indexed by fd), so a wait
 * allocates nothing once those arrays have grown.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ac/io.h"
#include "ac/loop.h"
#include "ac/primitive.h"
#include "ac/thread.h"
#include "internal.h"
#include "os.h"
#include "task.h"

#define EVENTS_PER_POLL 64

typedef struct fdslot {
    ac__fdwait *head;   /* waiters, in arrival order */
    int armed;          /* events the poller is armed for */
    int known;          /* armed since last disarmed (ac__os_arm's hint) */
    int nonblock;       /* made non-blocking by ac__fd_nonblock */
} fdslot;

typedef struct stopcb {
    struct stopcb *next;
    ac_loop_stop_fn fn;
    void *arg;
    unsigned long id;
} stopcb;

struct ac__loop {
    ac__os *os;
    ac__timer **heap;      /* binary min-heap on (due, seq) */
    size_t nheap, capheap;
    uint64_t seq;          /* next timer's insertion number */
    fdslot *fds;           /* indexed by fd */
    size_t nfds;
    size_t nwaits;         /* registered fd waits */
    stopcb *stops;         /* registered stop callbacks, in order */
    stopcb **stops_tail;
    struct stopbatch *batch; /* the callbacks of the stops now running,
                                innermost first (a callback may call ac_run) */
    unsigned long stop_ids;
    struct ac__bridge *bridge; /* the thread bridge's inbox, or NULL */
};

static AC__TLS ac__loop *cur;

/* ---------------------------------------------------------- the loop */

static void loop_free(void *arg)
{
    ac__loop *l = arg;
    if (!l) /* freed by loop_at_exit */
        return;
    for (stopcb *c = l->stops, *next; c; c = next) {
        next = c->next;
        ac__free(c);
    }
    ac__bridge_free(l->bridge);
    ac__os_close(l->os);
    ac__free(l->heap);
    ac__free(l->fds);
    ac__free(l);
    if (cur == l)
        cur = NULL;
}

/* At the process's exit, the loop of the thread that calls exit (the main
 * thread's, whose thread-exit calls never run) is freed, with the thread's
 * task-local values, so that a leak checker finds nothing left: unless
 * exit was called from a task or a stop callback, or with a task, a timer
 * or an fd wait still on the loop (then its memory is in use).  The pool's
 * heap stays: AC_POOL=check counts what it holds after this, and valgrind
 * and LeakSanitizer, which would see it, run without the pool. */
static bool exit_registered; /* under ac__os_lock */

static void loop_at_exit(void)
{
    ac__os_lock();
    exit_registered = false; /* a loop made later (by an atexit handler) registers again */
    ac__os_unlock();
    ac__loop *l = cur;
    if (!l || ac__task_current() || ac__ready_any() || l->nheap || l->nwaits || l->batch)
        return;
    (void)ac__os_at_thread_exit(loop_free, NULL); /* freed here, not again */
    loop_free(l);
    ac__locals_unref(ac__locals_swap_outside(NULL));
}

ac__loop *ac__loop_get(void)
{
    if (cur)
        return cur;
    ac__loop *l = ac__malloc(sizeof *l);
    if (!l)
        return NULL;
    memset(l, 0, sizeof *l);
    l->stops_tail = &l->stops;
    if (ac__os_open(&l->os)) {
        ac__free(l);
        return NULL;
    }
    /* Registration can fail only for lack of memory; the loop then lives
     * until the process ends, which is harmless. */
    (void)ac__os_at_thread_exit(loop_free, l);
    ac__os_lock();
    if (!exit_registered)
        exit_registered = atexit(loop_at_exit) == 0;
    ac__os_unlock();
    cur = l;
    return l;
}

int64_t ac_now(void)
{
    return ac__os_now();
}

/* ---------------------------------------------------------- timer heap */

static int timer_before(const ac__timer *a, const ac__timer *b)
{
    return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_set(ac__loop *l, size_t i, ac__timer *t)
{
    l->heap[i] = t;
    t->idx = i;
}

static void sift_up(ac__loop *l, size_t i)
{
    ac__timer *t = l->heap[i];
    while (i > 0 && timer_before(t, l->heap[(i - 1) / 2])) {
        heap_set(l, i, l->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(l, i, t);
}

static void sift_down(ac__loop *l, size_t i)
{
    ac__timer *t = l->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= l->nheap)
            break;
        if (c + 1 < l->nheap && timer_before(l->heap[c + 1], l->heap[c]))
            c++;
        if (!timer_before(l->heap[c], t))
            break;
        heap_set(l, i, l->heap[c]);
        i = c;
    }
    heap_set(l, i, t);
}

int ac__timer_add(ac__timer *t, int64_t due)
{
    ac__loop *l = ac__loop_get();
    if (!l)
        return ENOMEM;
    if (l->nheap == l->capheap) {
        size_t cap = l->capheap ? 2 * l->capheap : 16;
        ac__timer **v = ac__realloc(l->heap, cap * sizeof *v);
        if (!v)
            return ENOMEM;
        l->heap = v;
        l->capheap = cap;
    }
    t->due = due;
    t->seq = l->seq++;
    l->heap[l->nheap] = t;
    sift_up(l, l->nheap++);
    ac__sched_now.busy = 1; /* the turns stop for the timer (ac__ready_run_turns) */
    return 0;
}

void ac__timer_remove(ac__timer *t)
{
    ac__loop *l = cur;
    size_t i = t->idx;
    ac__timer *last = l->heap[--l->nheap];
    if (last == t)
        return;
    heap_set(l, i, last);
    if (i > 0 && timer_before(last, l->heap[(i - 1) / 2]))
        sift_up(l, i);
    else
        sift_down(l, i);
}

/* Fire the timers due by `now`, but not those added meanwhile (a timer
 * callback that re-arms at once must not keep the loop here). */
static void timers_fire(ac__loop *l, int64_t now)
{
    uint64_t limit = l->seq;
    while (l->nheap && l->heap[0]->due <= now && l->heap[0]->seq < limit) {
        ac__timer *t = l->heap[0];
        ac__timer_remove(t);
        t->fn(t);
    }
}

/* Poll timeout: 0 if a task is ready, until the next timer, or forever. */
static int poll_timeout(ac__loop *l)
{
    if (ac__ready_any())
        return 0;
    if (!l->nheap)
        return -1;
    int64_t wait = l->heap[0]->due - ac_now();
    if (wait < 0)
        return 0;
    return wait > 0x7fffffff ? 0x7fffffff : (int)wait;
}

/* ---------------------------------------------------------- fd waits */

static int fds_grow(ac__loop *l, int fd)
{
    if ((size_t)fd < l->nfds)
        return 0;
    size_t n = l->nfds ? l->nfds : 64;
    while (n <= (size_t)fd)
        n *= 2;
    fdslot *v = ac__realloc(l->fds, n * sizeof *v);
    if (!v)
        return ENOMEM;
    memset(v + l->nfds, 0, (n - l->nfds) * sizeof *v);
    l->fds = v;
    l->nfds = n;
    return 0;
}

static int slot_mask(const fdslot *s)
{
    int mask = 0;
    for (const ac__fdwait *w = s->head; w; w = w->next)
        mask |= w->events;
    return mask;
}

/* Arm the poller for what the waiters of fd want now. */
static int slot_arm(ac__loop *l, int fd, int mask)
{
    fdslot *s = &l->fds[fd];
    if (mask == s->armed)
        return 0;
    int err = ac__os_arm(l->os, fd, mask, s->known);
    if (err)
        return err;
    s->armed = mask;
    s->known = mask != 0;
    return 0;
}

static void slot_unlink(fdslot *s, ac__fdwait *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        s->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
}

int ac__fdwait_add(ac__fdwait *w)
{
    ac__loop *l = ac__loop_get();
    if (!l)
        return ENOMEM;
    if (w->fd < 0)
        return EBADF;
    /* Past the table, a closed fd number must not grow it (a huge one
       would zero a table of that size before the poller refused it). */
    int bad = (size_t)w->fd < l->nfds ? 0 : ac__os_fd_check(w->fd);
    if (bad)
        return bad;
    if (fds_grow(l, w->fd))
        return ENOMEM;
    fdslot *s = &l->fds[w->fd];
    int err = slot_arm(l, w->fd, slot_mask(s) | w->events);
    if (err)
        return err;
    w->ready = 0;
    w->next = NULL;
    w->prev = NULL;
    ac__fdwait **p = &s->head;
    while (*p) {
        w->prev = *p;
        p = &(*p)->next;
    }
    *p = w;
    l->nwaits++;
    ac__sched_now.busy = 1; /* the turns stop for the poll (ac__ready_run_turns) */
    return 0;
}

void ac__fdwait_remove(ac__fdwait *w)
{
    ac__loop *l = cur;
    fdslot *s = &l->fds[w->fd];
    slot_unlink(s, w);
    l->nwaits--;
    (void)slot_arm(l, w->fd, slot_mask(s)); /* a failure leaves extra reports */
}

void ac__fd_closing(int fd)
{
    ac__loop *l = cur;
    if (!l || fd < 0 || (size_t)fd >= l->nfds)
        return;
    fdslot *s = &l->fds[fd];
    while (s->head) {
        ac__fdwait *w = s->head;
        slot_unlink(s, w);
        l->nwaits--;
        w->ready = AC__FD_CLOSED;
        w->fn(w);
    }
    (void)slot_arm(l, fd, 0); /* before the close, while fd is still valid */
    s->known = 0;             /* a new fd with this number is not known */
    s->nonblock = 0;
}

int ac__fd_nonblock(int fd)
{
    ac__loop *l = cur;
    if (l && fd >= 0 && (size_t)fd < l->nfds && l->fds[fd].nonblock)
        return 0;
    int err = ac_fd_set_nonblock(fd);
    if (err)
        return err;
    l = ac__loop_get(); /* fd is open: the table may grow to it */
    if (l && !fds_grow(l, fd))
        l->fds[fd].nonblock = 1; /* else: checked again next time */
    return 0;
}

/* The poller reported fd: fire the waiters it satisfies, re-arm for the
 * others. */
static void fd_ready(ac__loop *l, int fd, int events)
{
    if ((size_t)fd >= l->nfds)
        return;
    fdslot *s = &l->fds[fd];
    s->armed = 0; /* reports are one-shot */
    for (ac__fdwait *w = s->head, *next; w; w = next) {
        next = w->next;
        if (!(w->events & events))
            continue;
        slot_unlink(s, w);
        l->nwaits--;
        w->ready = w->events & events;
        w->fn(w);
    }
    if (slot_arm(l, fd, slot_mask(s)) == 0)
        return;
    /* Cannot re-arm: wake the rest, whose next system call tells them. */
    while (s->head) {
        ac__fdwait *w = s->head;
        slot_unlink(s, w);
        l->nwaits--;
        w->ready = w->events;
        w->fn(w);
    }
}

static void fds_poll(ac__loop *l, int timeout)
{
    ac__os_event ev[EVENTS_PER_POLL];
    if (timeout == 0 && l->nwaits == 0)
        return; /* nothing to learn, and no time to spend */
    int n = ac__os_poll(l->os, timeout, ev, EVENTS_PER_POLL);
    for (int i = 0; i < n; i++)
        fd_ready(l, ev[i].fd, ev[i].events);
}

/* ---------------------------------------------------------- running */

/* One turn: the tasks ready now (and the turns after it, while there is
 * nothing to poll or fire), then (unless that finished the run) fds, then
 * timers. */
static void loop_turn(ac__loop *l, const unsigned char *done)
{
    ac__sched_now.busy = l->nwaits || l->nheap;
    ac__ready_run_turns();
    if (*done)
        return;
    int timeout = poll_timeout(l);
    if (timeout != 0 || l->nwaits) /* else there is nothing to learn from the OS */
        fds_poll(l, timeout);
    if (l->nheap) /* the clock is read only when a timer could be due */
        timers_fire(l, ac_now());
}

/* The callbacks of a stop that have not run yet; a callback that calls
 * ac_run makes a stop inside this one, whose callbacks may still remove
 * ours (ac_loop_on_stop_remove searches every batch). */
typedef struct stopbatch {
    stopcb *head;
    struct stopbatch *outer;
} stopbatch;

static void run_stop_callbacks(ac__loop *l)
{
    stopbatch b = {l->stops, l->batch};
    l->batch = &b;
    l->stops = NULL;
    l->stops_tail = &l->stops;
    while (b.head) {
        stopcb *c = b.head;
        b.head = c->next;
        c->fn(c->arg);
        ac__free(c);
    }
    l->batch = b.outer;
}

struct ac__bridge *ac__bridge_get(void)
{
    ac__loop *l = ac__loop_get();
    if (l && !l->bridge)
        l->bridge = ac__bridge_new();
    return l ? l->bridge : NULL;
}

/* ac_run but for the error's preallocated parts (see there). */
static ac_error *run_root(ac_coro *coro, void *result)
{
    if (!coro)
        return ac_error_new(ENOMEM, "ac_run: no coroutine (out of memory)");
    if (ac_in_thread_bridge())
        return ac__bridge_run(coro, result);
    if (ac__task_current()) {
        ac_coro_free(coro);
        return ac_error_new(AC_ESTATE, "ac_run called from a running task");
    }
    ac__loop *l = ac__loop_get();
    ac_task *t = l ? ac__task_new(coro) : NULL;
    if (!t) {
        ac_coro_free(coro);
        return ac__error_nomem();
    }
    if (result)
        coro->ret = result;
    coro->flags |= AC_FRAME_MAIN;
    t->locals = ac__locals_ref(ac__locals_outside());
    ac__task_wake(t);
    while (!t->head.finished)
        loop_turn(l, &t->head.finished);
    ac_error *e = t->err;
    t->err = NULL;
    ac__task_free(t, coro);
    ac_coro_free(coro);
    /* Dropped @contextmanager values and freed generator values still
       being closed (gencm.c, closers) finish first: nothing of the run is
       left running when it returns. */
    while (!ac__gencm_idle)
        loop_turn(l, &ac__gencm_idle);
    run_stop_callbacks(l);
    return e;
}

void ac__loop_until(const unsigned char *done)
{
    ac__loop *l = ac__loop_get();
    while (l && !*done)
        loop_turn(l, done);
}

/* The caller may hand the error to another thread: none of this thread's
 * preallocated ENOMEM errors goes with it (they die with the thread, and
 * the thread reuses a slot once it is released), unless even a copy could
 * not be made. */
ac_error *ac_run(ac_coro *coro, void *result)
{
    return ac__error_unpooled(run_root(coro, result));
}

/* ---------------------------------------------------------- stop callbacks */

/* A pool thread of the bridge, running its function, is refused: its ac_run
 * runs on the loop of the thread that started it, so a loop of its own (made
 * here) would never stop, and the callback never run. */
unsigned long ac_loop_on_stop(ac_loop_stop_fn fn, void *arg)
{
    ac__loop *l = fn && !ac_in_thread_bridge() ? ac__loop_get() : NULL;
    stopcb *c = l ? ac__malloc(sizeof *c) : NULL;
    if (!c)
        return 0;
    c->next = NULL;
    c->fn = fn;
    c->arg = arg;
    c->id = ++l->stop_ids;
    *l->stops_tail = c;
    l->stops_tail = &c->next;
    return c->id;
}

/* Unlink the callback with `id` from the list at *p; 1 if found. */
static int stop_unlink(stopcb **p, unsigned long id, stopcb ***tail)
{
    for (; *p; p = &(*p)->next) {
        stopcb *c = *p;
        if (c->id != id)
            continue;
        *p = c->next;
        if (tail && *tail == &c->next)
            *tail = p;
        ac__free(c);
        return 1;
    }
    return 0;
}

int ac_loop_on_stop_remove(unsigned long handle)
{
    ac__loop *l = cur;
    if (!l || !handle)
        return EINVAL;
    if (stop_unlink(&l->stops, handle, &l->stops_tail))
        return 0;
    for (stopbatch *b = l->batch; b; b = b->outer)
        if (stop_unlink(&b->head, handle, NULL))
            return 0;
    return EINVAL;
}

/* ---------------------------------------------------------- ac_sleep */

typedef struct sleep_frame {
    ac_frame hdr;
    long ms;
    ac__timer timer;
} sleep_frame;

static void sleep_fire(ac__timer *t)
{
    ac__task_wake_soft(t->data);
}

static void sleep_unwait(ac_frame *f)
{
    ac__timer_remove(&((sleep_frame *)(void *)f)->timer);
}

/* state 0: arm the timer (or yield) and block; state 1: woken, done. */
static int sleep_resume(ac_frame *f)
{
    sleep_frame *s = (sleep_frame *)(void *)f;
    if (f->state || ac__cancel_point(f))
        return ac__frame_return(f);
    f->state = 1;
    if (s->ms <= 0) {
        ac__suspend(f);
        ac__task_wake_soft(f->task); /* queued behind the tasks ready now */
        return AC_PENDING;
    }
    int64_t now = ac_now();
    int64_t due = s->ms < INT64_MAX - now ? now + s->ms : INT64_MAX;
    s->timer.fn = sleep_fire;
    s->timer.data = f->task;
    int err = ac__timer_add(&s->timer, due);
    if (err)
        AC_THROW(f, err, "ac_sleep: cannot add a timer");
    return ac__task_block(f, sleep_unwait);
}

ac_coro *ac_sleep(long ms)
{
    sleep_frame *s = AC_CORO_NEW(sleep_frame, sleep_resume);
    if (s)
        s->ms = ms;
    return (ac_coro *)s;
}

int ac_sleep__await(ac_frame *caller, void *ret, long ms)
{
    if (ms <= 0) {
        /* A yield needs no frame of its own: the caller itself waits for the
           next loop turn and is resumed directly at its resume point. */
        (void)ret;
        if (ac__cancel_point(caller))
            return AC_DONE;
        ac__suspend(caller);
        ac__task_wake_soft(caller->task); /* queued behind the tasks ready now */
        return AC_PENDING;
    }
    sleep_frame *s = AC_FRAME_PUSH(sleep_frame, caller, ret, sleep_resume);
    if (!s)
        return AC_DONE;
    s->ms = ms;
    return ac__frame_start_fn(&s->hdr, sleep_resume);
}

/* ---------------------------------------------------------- ac_wait_fd */

typedef struct waitfd_frame {
    ac_frame hdr;
    ac__fdwait w;
    int result; /* the coroutine object's result slot */
} waitfd_frame;

static void waitfd_fire(ac__fdwait *w)
{
    ac__task_wake_soft(w->data);
}

static void waitfd_unwait(ac_frame *f)
{
    ac__fdwait_remove(&((waitfd_frame *)(void *)f)->w);
}

/* state 0: register and block; state 1: ready, return the events. */
static int waitfd_resume(ac_frame *f)
{
    waitfd_frame *s = (waitfd_frame *)(void *)f;
    if (f->state && s->w.ready == AC__FD_CLOSED)
        AC_THROW(f, EBADF, "ac_wait_fd(%d): closed by ac_close", s->w.fd);
    if (f->state || ac__cancel_point(f))
        AC_RETURN(f, int, s->w.ready);
    f->state = 1;
    if (!s->w.events || (s->w.events & ~(AC_READABLE | AC_WRITABLE)))
        AC_THROW(f, EINVAL, "ac_wait_fd: bad events 0x%x", (unsigned)s->w.events);
    s->w.fn = waitfd_fire;
    s->w.data = f->task;
    int err = ac__fdwait_add(&s->w);
    if (err)
        AC_THROW(f, err, "ac_wait_fd(%d): %s", s->w.fd, strerror(err));
    return ac__task_block(f, waitfd_unwait);
}

ac_coro *ac_wait_fd(int fd, int events)
{
    waitfd_frame *s = AC_CORO_NEW_RESULT(waitfd_frame, waitfd_resume, result);
    if (s) {
        s->w.fd = fd;
        s->w.events = events;
    }
    return (ac_coro *)s;
}

int ac_wait_fd__await(ac_frame *caller, void *ret, int fd, int events)
{
    waitfd_frame *s = AC_FRAME_PUSH(waitfd_frame, caller, ret, waitfd_resume);
    if (!s)
        return AC_DONE;
    s->w.fd = fd;
    s->w.events = events;
    return ac__frame_start_fn(&s->hdr, waitfd_resume);
}
