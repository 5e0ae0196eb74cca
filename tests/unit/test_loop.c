/* test_loop.c: the loop: timers, ac_sleep, ac_wait_fd, ac_run's own
 * errors, loop-stop callbacks, and withdrawing a leaf wait (the hook that
 * cancellation will use).  Async functions are hand-written frames shaped
 * like generated C; extra tasks are spawned through the internal task API
 * (task groups come later). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ac/ac.h"
#include "internal.h"
#include "task.h"

/* ---------------------------------------------------------- helpers */

static int spawned_live; /* spawned tasks not finished yet */

static void spawned_done(ac_task *t, ac_frame *root)
{
    assert_null(t->err);
    ac__task_free(t, root);
    ac_coro_free(root);
    spawned_live--;
}

/* Start coroutine c as a task of its own (what a task group will do). */
static ac_task *spawn(ac_coro *c)
{
    assert_non_null(c);
    ac_task *t = ac__task_new(c);
    assert_non_null(t);
    c->flags |= AC_FRAME_NOTIFY;
    ac__task_done_hook = spawned_done;
    spawned_live++;
    ac__task_wake(t);
    return t;
}

static char trace[64];
static size_t ntrace;

static void record(char c)
{
    if (ntrace < sizeof trace - 1)
        trace[ntrace++] = c;
    trace[ntrace] = '\0';
}

static void trace_reset(void)
{
    ntrace = 0;
    trace[0] = '\0';
}

/* ---------------------------------------------------------- ac_sleep(0) */

/* async void ticker(char name, int n) {
 *     for (int i = 0; i < n; i++) { record(name); await ac_sleep(0); }
 * } */
typedef struct ticker_frame {
    ac_frame hdr;
    char name;
    int n, i;
} ticker_frame;

static int ticker_resume(ac_frame *f)
{
    ticker_frame *F = (ticker_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    for (F->i = 0; F->i < F->n; F->i++) {
        record(F->name);
        f->state = 1;
        if (ac_sleep__await(f, NULL, 0))
            return AC_PENDING;
    ac_r1:
        if (f->err)
            return ac__frame_return(f);
    }
    return ac__frame_return(f);
}

static ac_coro *ticker(char name, int n)
{
    ticker_frame *F = AC_CORO_NEW(ticker_frame, ticker_resume);
    if (F) {
        F->name = name;
        F->n = n;
    }
    return (ac_coro *)F;
}

static int ticker__await(ac_frame *caller, void *ret, char name, int n)
{
    ticker_frame *F = AC_FRAME_PUSH(ticker_frame, caller, ret, ticker_resume);
    if (!F)
        return AC_DONE;
    F->name = name;
    F->n = n;
    return ac__frame_start(&F->hdr);
}

/* async void two_tickers(void) {
 *     spawn ticker('B', 3);
 *     await ticker('A', 3);
 *     await ac_sleep(0);    -- B, one step behind, finishes first
 * } */
static int two_tickers_resume(ac_frame *f)
{
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    }
    spawn(ticker('B', 3));
    f->state = 1;
    if (ticker__await(f, NULL, 'A', 3))
        return AC_PENDING;
ac_r1:
    f->state = 2;
    if (ac_sleep__await(f, NULL, 0))
        return AC_PENDING;
ac_r2:
    return ac__frame_return(f);
}

/* ac_sleep(0) suspends and resumes on the next turn, after the tasks that
 * were already ready: two tasks that yield alternate. */
static void test_sleep0_alternates(void **state)
{
    (void)state;
    trace_reset();
    assert_null(ac_run((ac_coro *)AC_CORO_NEW(ac_frame, two_tickers_resume), NULL));
    assert_string_equal(trace, "ABABAB");
    assert_int_equal(spawned_live, 0);
}

/* A primitive's coroutine object runs under ac_run like any other. */
static void test_run_primitive_coro(void **state)
{
    (void)state;
    assert_null(ac_run(ac_sleep(0), NULL));
    assert_null(ac_run(ac_sleep(-5), NULL));
}

/* ac_sleep(ms) waits at least ms (to the clock's millisecond). */
static void test_sleep_duration(void **state)
{
    (void)state;
    int64_t t0 = ac_now();
    assert_null(ac_run(ac_sleep(30), NULL));
    int64_t dt = ac_now() - t0;
    assert_true(dt >= 29);
    assert_true(dt < 1000);
}

/* ---------------------------------------------------------- timers */

static int fired[256];
static int nfired;

static void on_fire(ac__timer *t)
{
    fired[nfired++] = (int)(intptr_t)t->data;
}

typedef struct timers_frame {
    ac_frame hdr;
    ac__timer t[200];
    int n;            /* timers in use */
    const int64_t *offsets;
    const int *removed; /* indexes removed before any fires, -1 ends */
} timers_frame;

/* async void timers(void) { add the timers; remove some; await ac_sleep(long enough); } */
static int timers_resume(ac_frame *f)
{
    timers_frame *F = (timers_frame *)(void *)f;
    if (f->state)
        return ac__frame_return(f);
    int64_t base = ac_now();
    int64_t last = 0;
    for (int i = 0; i < F->n; i++) {
        F->t[i].fn = on_fire;
        F->t[i].data = (void *)(intptr_t)i;
        assert_int_equal(ac__timer_add(&F->t[i], base + F->offsets[i]), 0);
        if (F->offsets[i] > last)
            last = F->offsets[i];
    }
    for (const int *r = F->removed; *r >= 0; r++)
        ac__timer_remove(&F->t[*r]);
    f->state = 1;
    if (ac_sleep__await(f, NULL, (long)last + 5))
        return AC_PENDING;
    return ac__frame_return(f);
}

static void run_timers(int n, const int64_t *offsets, const int *removed)
{
    timers_frame *F = AC_CORO_NEW(timers_frame, timers_resume);
    assert_non_null(F);
    F->n = n;
    F->offsets = offsets;
    F->removed = removed;
    nfired = 0;
    assert_null(ac_run(&F->hdr, NULL));
}

/* Timers fire by deadline; equal deadlines fire in the order added. */
static void test_timers_order(void **state)
{
    (void)state;
    static const int64_t off[] = {30, 10, 20, 10, 10};
    static const int none[] = {-1};
    run_timers(5, off, none);
    int expect[] = {1, 3, 4, 2, 0};
    assert_int_equal(nfired, 5);
    assert_memory_equal(fired, expect, sizeof expect);
}

/* The heap stays ordered and stable through many insertions and removals
 * (deadlines in the past: all fire on the first turn). */
static void test_timers_heap(void **state)
{
    (void)state;
    static int64_t off[200];
    static int removed[41];
    int gone[200] = {0};
    srand(7);
    for (int i = 0; i < 200; i++)
        off[i] = -(rand() % 20);
    for (int i = 0; i < 40; i++) {
        removed[i] = (i * 37 + 11) % 200;
        gone[removed[i]] = 1;
    }
    removed[40] = -1;
    run_timers(200, off, removed);
    int nlive = 0;
    for (int i = 0; i < 200; i++)
        nlive += !gone[i];
    assert_int_equal(nfired, nlive);
    for (int k = 1; k < nfired; k++) {
        int a = fired[k - 1], b = fired[k];
        assert_false(gone[b]);
        assert_true(off[a] < off[b] || (off[a] == off[b] && a < b));
    }
}

/* ---------------------------------------------------------- ac_wait_fd */

/* async void write_later(int fd, long ms) { await ac_sleep(ms); write(fd, "x", 1); } */
typedef struct write_later_frame {
    ac_frame hdr;
    int fd;
    long ms;
} write_later_frame;

static int write_later_resume(ac_frame *f)
{
    write_later_frame *F = (write_later_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    f->state = 1;
    if (ac_sleep__await(f, NULL, F->ms))
        return AC_PENDING;
ac_r1:
    assert_int_equal(write(F->fd, "x", 1), 1);
    return ac__frame_return(f);
}

static ac_coro *write_later(int fd, long ms)
{
    write_later_frame *F = AC_CORO_NEW(write_later_frame, write_later_resume);
    F->fd = fd;
    F->ms = ms;
    return &F->hdr;
}

/* What pipe_waits saw (the coroutine is gone when ac_run returns). */
typedef struct pipe_seen {
    int ev[3];
    int64_t waited;
} pipe_seen;

/* async void pipe_waits(int r, int w, pipe_seen *out) */
typedef struct pipe_frame {
    ac_frame hdr;
    int r, w;
    pipe_seen *out;
    int64_t t0;
} pipe_frame;

static int pipe_resume(ac_frame *f)
{
    pipe_frame *F = (pipe_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    case 3: goto ac_r3;
    }
    f->state = 1; /* an empty pipe is writable at once */
    if (ac_wait_fd__await(f, &F->out->ev[0], F->w, AC_WRITABLE))
        return AC_PENDING;
ac_r1:
    if (f->err)
        return ac__frame_return(f);
    spawn(write_later(F->w, 20));
    F->t0 = ac_now();
    f->state = 2; /* the read end becomes readable when the writer writes */
    if (ac_wait_fd__await(f, &F->out->ev[1], F->r, AC_READABLE | AC_WRITABLE))
        return AC_PENDING;
ac_r2:
    if (f->err)
        return ac__frame_return(f);
    F->out->waited = ac_now() - F->t0;
    close(F->w); /* hang-up on top of the unread byte */
    f->state = 3;
    if (ac_wait_fd__await(f, &F->out->ev[2], F->r, AC_READABLE))
        return AC_PENDING;
ac_r3:
    return ac__frame_return(f);
}

/* ac_wait_fd returns the ready events: at once for a writable pipe, after
 * the writer's delay for the read end (only AC_READABLE of the two asked). */
static void test_wait_fd_pipe(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(ac_fd_set_nonblock(p[0]), 0);
    assert_int_equal(ac_fd_set_nonblock(p[1]), 0);
    pipe_frame *F = AC_CORO_NEW(pipe_frame, pipe_resume);
    F->r = p[0];
    F->w = p[1];
    pipe_seen seen;
    F->out = &seen;
    assert_null(ac_run(&F->hdr, NULL));
    assert_int_equal(seen.ev[0], AC_WRITABLE);
    assert_int_equal(seen.ev[1], AC_READABLE);
    assert_int_equal(seen.ev[2], AC_READABLE);
    assert_true(seen.waited >= 19);
    assert_int_equal(spawned_live, 0);
    close(p[0]);
}

/* Two tasks wait on one socket, one to read and one to write: the writer
 * wakes at once, the reader only when data arrives (per-fd waiter list). */
typedef struct rw_frame {
    ac_frame hdr;
    int fd, events;
    int got;
} rw_frame;

static int rw_resume(ac_frame *f)
{
    rw_frame *F = (rw_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    f->state = 1;
    if (ac_wait_fd__await(f, &F->got, F->fd, F->events))
        return AC_PENDING;
ac_r1:
    record(F->events == AC_READABLE ? 'R' : 'W');
    return ac__frame_return(f);
}

static ac_coro *rw(int fd, int events)
{
    rw_frame *F = AC_CORO_NEW(rw_frame, rw_resume);
    F->fd = fd;
    F->events = events;
    return &F->hdr;
}

typedef struct two_waiters_frame {
    ac_frame hdr;
    int s0, s1;
} two_waiters_frame;

static int two_waiters_resume(ac_frame *f)
{
    two_waiters_frame *F = (two_waiters_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    spawn(rw(F->s0, AC_READABLE));
    spawn(rw(F->s0, AC_WRITABLE));
    spawn(write_later(F->s1, 20));
    f->state = 1;
    /* 250 ms, not 60: the 20 ms write and the wakes come first despite a stall */
    if (ac_sleep__await(f, NULL, 250))
        return AC_PENDING;
ac_r1:
    return ac__frame_return(f);
}

static void test_wait_fd_two_waiters(void **state)
{
    (void)state;
    int s[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s), 0);
    two_waiters_frame *F = AC_CORO_NEW(two_waiters_frame, two_waiters_resume);
    F->s0 = s[0];
    F->s1 = s[1];
    trace_reset();
    assert_null(ac_run(&F->hdr, NULL));
    assert_string_equal(trace, "WR");
    assert_int_equal(spawned_live, 0);
    close(s[0]);
    close(s[1]);
}

/* Bad arguments are thrown: EINVAL for events, EBADF for a negative fd. */
static void test_wait_fd_bad_args(void **state)
{
    (void)state;
    int ev;
    ac_error *e = ac_run(ac_wait_fd(0, 0), &ev);
    assert_int_equal(ac_error_code(e), EINVAL);
    ac_error_release(e);
    e = ac_run(ac_wait_fd(0, 0x10), &ev);
    assert_int_equal(ac_error_code(e), EINVAL);
    ac_error_release(e);
    e = ac_run(ac_wait_fd(-1, AC_READABLE), &ev);
    assert_int_equal(ac_error_code(e), EBADF);
    assert_non_null(ac_error_file(e));
    ac_error_release(e);
}

/* ---------------------------------------------------------- withdrawing a wait */

typedef struct unwait_frame {
    ac_frame hdr;
    ac_task *victim;
    int done;
} unwait_frame;

/* Spawn a task blocked in a long sleep (or fd wait), let it block, then
 * withdraw its wait and wake it, as cancellation will. */
static int unwait_resume(ac_frame *f)
{
    unwait_frame *F = (unwait_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    }
    f->state = 1;
    if (ac_sleep__await(f, NULL, 0)) /* the victim runs and blocks */
        return AC_PENDING;
ac_r1:
    assert_non_null(F->victim->unwait);
    ac__task_unwait(F->victim);
    assert_null(F->victim->unwait);
    ac__task_wake(F->victim);
    f->state = 2;
    if (ac_sleep__await(f, NULL, 0)) /* the victim finishes */
        return AC_PENDING;
ac_r2:
    return ac__frame_return(f);
}

/* The unwait hook takes a timer or an fd wait back: the loop no longer
 * waits for them, and the woken task simply continues. */
static void test_unwait_hook(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    for (int kind = 0; kind < 2; kind++) {
        unwait_frame *F = AC_CORO_NEW(unwait_frame, unwait_resume);
        F->victim = spawn(kind ? ac_wait_fd(p[0], AC_READABLE) : ac_sleep(100000));
        int64_t t0 = ac_now();
        assert_null(ac_run(&F->hdr, NULL));
        assert_true(ac_now() - t0 < 5000);
        assert_int_equal(spawned_live, 0);
    }
    close(p[0]);
    close(p[1]);
}

/* ---------------------------------------------------------- ac_run */

typedef struct nested_frame {
    ac_frame hdr;
} nested_frame;

static int nested_resume(ac_frame *f)
{
    ac__throw(f, ac_run(ac_sleep(0), NULL), __FILE__, __LINE__);
    return ac__frame_return(f);
}

/* ac_run from a running task fails with AC_ESTATE (and frees the coroutine);
 * the loop is not disturbed. */
static void test_run_nested(void **state)
{
    (void)state;
    ac_error *e = ac_run((ac_coro *)AC_CORO_NEW(nested_frame, nested_resume), NULL);
    assert_non_null(e);
    assert_int_equal(ac_error_code(e), AC_ESTATE);
    assert_string_equal(ac_error_message(e), "ac_run called from a running task");
    ac_error_release(e);
    assert_null(ac_run(ac_sleep(0), NULL));
}

/* ac_run(NULL), what a failed coroutine constructor leads to, is ENOMEM. */
static void test_run_null(void **state)
{
    (void)state;
    ac_error *e = ac_run(NULL, NULL);
    assert_int_equal(ac_error_code(e), ENOMEM);
    ac_error_release(e);
}

/* ---------------------------------------------------------- stop callbacks */

static char order[16];
static size_t norder;
static unsigned long handle_to_remove;

static void note(void *arg)
{
    order[norder++] = *(const char *)arg;
    order[norder] = '\0';
}

static void note_and_register(void *arg)
{
    note(arg);
    static const char late = 'L';
    assert_int_not_equal(ac_loop_on_stop(note, (void *)&late), 0);
}

static void note_and_remove(void *arg)
{
    note(arg);
    assert_int_equal(ac_loop_on_stop_remove(handle_to_remove), 0);
}

static const char c1 = '1', c2 = '2', c3 = '3', c4 = '4';

/* Stop callbacks run once, in registration order, when ac_run's task has
 * finished; a removed one never runs; removing twice is EINVAL. */
static void test_stop_callbacks_order(void **state)
{
    (void)state;
    norder = 0;
    order[0] = '\0';
    unsigned long h1 = ac_loop_on_stop(note, (void *)&c1);
    unsigned long h2 = ac_loop_on_stop(note, (void *)&c2);
    unsigned long h3 = ac_loop_on_stop(note, (void *)&c3);
    assert_true(h1 && h2 && h3 && h1 != h2 && h2 != h3);
    assert_int_equal(ac_loop_on_stop_remove(h2), 0);
    assert_int_equal(ac_loop_on_stop_remove(h2), EINVAL);
    assert_int_equal(ac_loop_on_stop_remove(0), EINVAL);
    assert_int_equal(ac_loop_on_stop(NULL, NULL), 0);
    assert_null(ac_run(ac_sleep(1), NULL));
    assert_string_equal(order, "13");
    assert_int_equal(ac_loop_on_stop_remove(h1), EINVAL); /* already run */
    assert_null(ac_run(ac_sleep(0), NULL));
    assert_string_equal(order, "13"); /* once only */
}

/* A callback may remove one that has not run yet, and one registered by a
 * callback runs at the next stop. */
static void test_stop_callbacks_from_callbacks(void **state)
{
    (void)state;
    norder = 0;
    order[0] = '\0';
    ac_loop_on_stop(note_and_remove, (void *)&c1);
    ac_loop_on_stop(note_and_register, (void *)&c2);
    handle_to_remove = ac_loop_on_stop(note, (void *)&c3);
    ac_loop_on_stop(note, (void *)&c4);
    assert_null(ac_run(ac_sleep(0), NULL));
    assert_string_equal(order, "124");
    assert_null(ac_run(ac_sleep(0), NULL));
    assert_string_equal(order, "124L");
}

static int cleanup_count;

static void count_cleanup(void *arg)
{
    (void)arg;
    cleanup_count++;
}

/* async void registers(void) { ac_loop_on_stop(count_cleanup); await ac_sleep(0); } */
static int registers_resume(ac_frame *f)
{
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    assert_int_not_equal(ac_loop_on_stop(count_cleanup, NULL), 0);
    f->state = 1;
    if (ac_sleep__await(f, NULL, 0))
        return AC_PENDING;
ac_r1:
    assert_int_equal(cleanup_count, 0); /* not before the loop stops */
    return ac__frame_return(f);
}

/* A callback registered by a running task runs when that ac_run stops. */
static void test_stop_callback_from_task(void **state)
{
    (void)state;
    cleanup_count = 0;
    assert_null(ac_run((ac_coro *)AC_CORO_NEW(ac_frame, registers_resume), NULL));
    assert_int_equal(cleanup_count, 1);
}

/* A thread whose ac_run returns ENOMEM made without memory (the coroutine
 * object and then the error's own allocation fail): the error goes to the
 * joining thread. */
static void *run_out_of_memory(void *arg)
{
    (void)arg;
    ac_alloc_fail_at(1);
    ac_coro *c = ac_sleep(0);
    ac_alloc_fail_at(1);
    ac_error *e = ac_run(c, NULL);
    ac_alloc_fail_at(0);
    return e;
}

/* The error ac_run returns may be handed to another thread, even one made
 * of the thread's preallocated ENOMEM errors: it is copied out of them, so
 * it outlives its thread, and the next thread (which gets the same
 * thread-local storage back) does not hand out the same object again. */
static void test_run_nomem_error_leaves_thread(void **state)
{
    (void)state;
    ac_error *e[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, run_out_of_memory, NULL), 0);
        assert_int_equal(pthread_join(th, (void **)&e[i]), 0);
        assert_non_null(e[i]);
        assert_int_equal(ac_error_code(e[i]), ENOMEM);
    }
    assert_ptr_not_equal(e[0], e[1]);
    assert_false(ac__error_pooled(e[0]));
    assert_string_equal(ac_error_message(e[0]), ac_error_message(e[1]));
    ac_error_release(e[0]);
    ac_error_release(e[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sleep0_alternates),
        cmocka_unit_test(test_run_primitive_coro),
        cmocka_unit_test(test_sleep_duration),
        cmocka_unit_test(test_timers_order),
        cmocka_unit_test(test_timers_heap),
        cmocka_unit_test(test_wait_fd_pipe),
        cmocka_unit_test(test_wait_fd_two_waiters),
        cmocka_unit_test(test_wait_fd_bad_args),
        cmocka_unit_test(test_unwait_hook),
        cmocka_unit_test(test_run_nested),
        cmocka_unit_test(test_run_null),
        cmocka_unit_test(test_stop_callbacks_order),
        cmocka_unit_test(test_stop_callbacks_from_callbacks),
        cmocka_unit_test(test_stop_callback_from_task),
        cmocka_unit_test(test_run_nomem_error_leaves_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
