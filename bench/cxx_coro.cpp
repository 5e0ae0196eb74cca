/* cxx_coro.cpp: the C++ column of the benchmark (issue 4): the workloads of
 * bench_acc.ac's task-group and event section written with C++20 coroutines
 * (g++ -std=c++20 -fcoroutines -O2), on a coroutine type and a scheduler
 * written for the benchmark, as small as the work allows:
 *
 * - `co` is a lazy coroutine that returns nothing.  It starts when awaited
 *   (symmetric transfer into it, and back into the awaiting coroutine when
 *   it ends) or when spawned as a task's root.  Its frame is the
 *   compiler's, from operator new: one malloc per coroutine call (g++
 *   elides none of them here).
 * - A task is its root coroutine: the promise holds the scheduler's fields
 *   (ready-queue link, the innermost coroutine to resume, the group), so a
 *   spawn allocates the one frame.  A wake-up resumes the innermost
 *   coroutine directly, whatever the depth; a root frees itself at its end.
 * - The scheduler is a FIFO of tasks run until it is empty.  An event is a
 *   flag and a list of waiters that live in the waiting coroutines' frames
 *   (the awaiter object); setting it wakes them all and it stays set until
 *   cleared, as ac_event.  A group counts its live children and wakes its
 *   host when the last one ends.
 *
 * Like baseline.c it leaves out what the benchmark does not exercise:
 * cancellation, errors (an exception aborts), timers, fds.  Results go out
 * through pointers, so a root needs no result slot.
 */
#include <coroutine>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <utility>

#include "bench_cxx.h"

namespace {

struct group;

/* Every coroutine's promise; the last three fields serve a task's root. */
struct promise_base {
    std::coroutine_handle<> cont; /* the awaiting coroutine; null for a root */
    promise_base *task = nullptr; /* the root of the task it runs in */
    promise_base *next = nullptr; /* ready-queue link */
    std::coroutine_handle<> top;  /* innermost coroutine: what a wake-up resumes */
    group *grp = nullptr;         /* the group of a spawned task, or null */
};

/* Tasks ready to run, first in first out. */
struct scheduler {
    promise_base *head = nullptr, *tail = nullptr;

    void wake(promise_base *t) noexcept
    {
        t->next = nullptr;
        if (tail)
            tail->next = t;
        else
            head = t;
        tail = t;
    }

    void run() noexcept
    {
        while (head) {
            promise_base *t = head;
            head = t->next;
            if (!head)
                tail = nullptr;
            t->top.resume(); /* t may end (and be freed) in there */
        }
    }
};

scheduler sched;

/* Children alive, and the task waiting for them in join. */
struct group {
    long alive = 0;
    promise_base *host = nullptr;
};

/* The size of the last coroutine frame allocated (promise included). */
std::size_t last_frame_bytes;

/* The end of a coroutine: back into the one that awaited it (whose `co`
 * then frees this frame), or, for a root, free the frame and tell the
 * group. */
struct final_step {
    bool await_ready() const noexcept { return false; }

    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) const noexcept
    {
        promise_base &p = h.promise();
        if (p.cont)
            return p.cont;
        group *g = p.grp;
        h.destroy();
        if (g && --g->alive == 0 && g->host)
            sched.wake(g->host);
        return std::noop_coroutine();
    }

    void await_resume() const noexcept {}
};

class co {
public:
    struct promise_type : promise_base {
        co get_return_object() noexcept { return co(handle::from_promise(*this)); }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        final_step final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        [[noreturn]] void unhandled_exception() const noexcept { std::abort(); }

        static void *operator new(std::size_t n)
        {
            last_frame_bytes = n;
            return ::operator new(n);
        }
        static void operator delete(void *p) noexcept { ::operator delete(p); }
    };
    using handle = std::coroutine_handle<promise_type>;

    explicit co(handle h) noexcept : h_(h) {}
    co(co &&o) noexcept : h_(std::exchange(o.h_, {})) {}
    co(const co &) = delete;
    co &operator=(const co &) = delete;
    ~co()
    {
        if (h_)
            h_.destroy();
    }

    /* co_await: run it now, in the awaiting coroutine's task. */
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(handle caller) const noexcept
    {
        promise_type &p = h_.promise();
        p.cont = caller;
        p.task = caller.promise().task;
        return h_;
    }
    void await_resume() const noexcept {}

    /* Hand the frame over to a task (which frees it at its end). */
    handle release() noexcept { return std::exchange(h_, {}); }

private:
    handle h_;
};

/* Block the task of h, to be resumed at h. */
promise_base *block(co::handle h) noexcept
{
    promise_base *t = h.promise().task;
    t->top = h;
    return t;
}

/* Start c as a task of its own (a child of g, unless null). */
void spawn(co c, group *g) noexcept
{
    co::handle h = c.release();
    promise_base &p = h.promise();
    p.task = &p;
    p.top = h;
    p.grp = g;
    if (g)
        g->alive++;
    sched.wake(&p);
}

/* Run c as a root task until no task is left. */
void run(co c) noexcept
{
    spawn(std::move(c), nullptr);
    sched.run();
}

/* co_await join{&g}: wait until every child of g has ended. */
struct join {
    group *g;
    bool await_ready() const noexcept { return g->alive == 0; }
    void await_suspend(co::handle h) const noexcept { g->host = block(h); }
    void await_resume() const noexcept {}
};

/* co_await yield_now{}: go to the back of the ready queue. */
struct yield_now {
    bool await_ready() const noexcept { return false; }
    void await_suspend(co::handle h) const noexcept { sched.wake(block(h)); }
    void await_resume() const noexcept {}
};

struct event {
    struct waiter {
        waiter *next;
        promise_base *task;
    };
    bool set = false;
    waiter *head = nullptr, *tail = nullptr;

    /* Set it and wake every waiter, in the order they came. */
    void fire() noexcept
    {
        set = true;
        for (waiter *w = head; w; w = w->next)
            sched.wake(w->task);
        head = tail = nullptr;
    }

    void clear() noexcept { set = false; }

    /* co_await e.wait(): at once if set; the waiter lives in the frame. */
    struct wait_op {
        event *e;
        waiter w;
        bool await_ready() const noexcept { return e->set; }
        void await_suspend(co::handle h) noexcept
        {
            w.next = nullptr;
            w.task = block(h);
            if (e->tail)
                e->tail->next = &w;
            else
                e->head = &w;
            e->tail = &w;
        }
        void await_resume() const noexcept {}
    };
    wait_op wait() noexcept { return {this, {nullptr, nullptr}}; }
};

/* ---------------------------------------------------------- spawn and join */

/* The child: returns without suspending. */
co leaf(long *sum, long x)
{
    *sum += x;
    co_return;
}

co spawn_join(long n, int64_t *ns)
{
    long sum = 0;
    group g;
    int64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        spawn(leaf(&sum, i), &g);
    co_await join{&g};
    *ns = bench_now_ns() - t0;
    bench_sink = sum;
}

/* ---------------------------------------------------------- tasks waiting on one event */

co sleeper(event *e, long *waiting)
{
    ++*waiting;
    co_await e->wait();
}

co waiters(long n, int64_t *rss, long *frame_bytes)
{
    event e;
    group g;
    long waiting = 0;
    int64_t rss0 = bench_rss_bytes();
    for (long i = 0; i < n; i++)
        spawn(sleeper(&e, &waiting), &g);
    *frame_bytes = (long)last_frame_bytes;
    co_await yield_now{}; /* every child runs to its wait */
    int64_t rss1 = bench_rss_bytes();
    if (waiting != n) {
        std::fprintf(stderr, "cxx_coro: %ld of %ld tasks waiting\n", waiting, n);
        std::exit(1);
    }
    e.fire();
    co_await join{&g};
    *rss = rss1 - rss0;
}

/* ---------------------------------------------------------- ping-pong */

co pong(event *mine, event *other, long n)
{
    for (long i = 0; i < n; i++) {
        co_await mine->wait();
        mine->clear();
        other->fire();
    }
}

co ping(long n, int64_t *ns)
{
    event a, b;
    group g;
    spawn(pong(&b, &a, n), &g);
    int64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        b.fire();
        co_await a.wait();
        a.clear();
    }
    *ns = bench_now_ns() - t0;
    co_await join{&g};
}

/* ---------------------------------------------------------- wake-up at depth */

/* One side of the ping-pong, its loop at await depth `depth`; the timed
 * side (ns not null) sets first. */
co side(int depth, event *mine, event *other, long n, int64_t *ns)
{
    if (depth > 1) {
        co_await side(depth - 1, mine, other, n, ns);
        co_return;
    }
    int64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++) {
        if (ns)
            other->fire();
        co_await mine->wait();
        mine->clear();
        if (!ns)
            other->fire();
    }
    if (ns)
        *ns = bench_now_ns() - t0;
}

co depth_pair(int depth, long n, int64_t *ns)
{
    event a, b;
    group g;
    spawn(side(depth, &b, &a, n, nullptr), &g);
    co_await side(depth, &a, &b, n, ns);
    co_await join{&g};
}

} /* namespace */

/* ---------------------------------------------------------- entry points (C) */

int64_t cxx_spawn_join(long n)
{
    int64_t ns = 0;
    run(spawn_join(n, &ns));
    return ns;
}

int64_t cxx_waiters_rss(long n, long *frame_bytes)
{
    int64_t rss = 0;
    run(waiters(n, &rss, frame_bytes));
    return rss;
}

int64_t cxx_pingpong_event(long n)
{
    int64_t ns = 0;
    run(ping(n, &ns));
    return ns;
}

int64_t cxx_wake_event(long n, int depth)
{
    int64_t ns = 0;
    run(depth_pair(depth, n, &ns));
    return ns;
}
