/* test_task.c: the frame stack and the trampoline, driven by hand-written
 * frames shaped like the C that acc generates (ac/frame.h "AWAITING A
 * CALLEE"): a resume switch that jumps to goto labels, awaits through
 * NAME__await, results through hdr.ret, errors through hdr.err. */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, setrlimit */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ac/ac.h"
#include "internal.h"
#include "task.h"

enum { E1 = 101, E2 };

/* ---------------------------------------------------------- frame stack */

static int never_resumed(ac_frame *f)
{
    (void)f;
    fail_msg("resumed a frame that only tests the stack");
    return AC_DONE;
}

typedef struct stack_fixture {
    ac_frame *root;
    ac_task *task;
} stack_fixture;

static int stack_setup(void **state)
{
    static stack_fixture fx;
    fx.root = ac__coro_new(sizeof(ac_frame), 16, never_resumed);
    fx.task = ac__task_new(fx.root);
    *state = &fx;
    return fx.root && fx.task ? 0 : -1;
}

static int stack_teardown(void **state)
{
    stack_fixture *fx = *state;
    ac__task_free(fx->task, fx->root);
    ac_coro_free(fx->root);
    return 0;
}

static ac_frame *push(ac_frame *caller, size_t size)
{
    return ac__frame_push(caller, size, 16, never_resumed, NULL);
}

/* Frames are pushed contiguously and popped LIFO: a popped slot is reused. */
static void test_stack_lifo(void **state)
{
    stack_fixture *fx = *state;
    ac_frame *a = push(fx->root, 60);
    ac_frame *b = push(a, 60);
    assert_non_null(a);
    assert_int_equal(a->flags, 0); /* the first segment's first frame pops inline */
    assert_int_equal(b->flags, 0);
    assert_ptr_equal((char *)b, (char *)a + AC__ALIGN(60));
    assert_ptr_equal(b->caller, a);
    assert_ptr_equal(b->task, fx->task);
    assert_int_equal(ac__frame_return(b), AC_DONE);
    assert_ptr_equal(AC__HEAD(fx->task)->sp, (char *)b);
    ac_frame *c = push(a, 60);
    assert_ptr_equal(c, b);
    ac__frame_return(c);
    ac__frame_return(a);
    assert_ptr_equal(push(fx->root, 60), a); /* the first segment is reused */
    ac__frame_return(a);
}

/* Segments grow geometrically (few allocations for many frames), the first
 * frame of every segment after the first is flagged, and a frame larger than
 * any segment gets one of its own. */
static void test_stack_growth(void **state)
{
    stack_fixture *fx = *state;
    enum { N = 200 };
    ac_frame *f[N + 1];
    f[0] = fx->root;
    ac_alloc_fail_at(0);
    int segstarts = 0;
    for (int i = 1; i <= N; i++) {
        f[i] = push(f[i - 1], 64);
        assert_non_null(f[i]);
        segstarts += (f[i]->flags & AC_FRAME_SEGSTART) != 0;
    }
    unsigned long made = ac_alloc_fail_at(0);
    /* 200 * 64 bytes = 12800: segments of 256, then 4096, 8192 */
    assert_int_equal(made, segstarts + 1);
    assert_true(made <= 4);
    ac_frame *big = push(f[N], 100000);
    assert_non_null(big);
    assert_true(big->flags & AC_FRAME_SEGSTART);
    memset(big + 1, 0xab, 100000 - sizeof *big); /* all of it is ours */
    ac__frame_return(big);
    for (int i = N; i >= 1; i--)
        ac__frame_return(f[i]);
    /* Everything popped: pushing again allocates nothing. */
    ac_alloc_fail_at(0);
    ac_frame *again = push(fx->root, 64);
    assert_non_null(again);
    assert_int_equal(ac_alloc_fail_at(0), 0);
    ac__frame_return(again);
}

/* A chain that overflows the small first segment crosses into a second one
 * on every call; once the stack has emptied, the larger segment takes the
 * first one's place, so the same chain then fits in one segment: no frame
 * of it starts a segment, and nothing is allocated. */
static void test_stack_first_segment_grows(void **state)
{
    stack_fixture *fx = *state;
    enum { N = 8 };
    ac_frame *f[N + 1];
    for (int round = 0; round < 3; round++) {
        f[0] = fx->root;
        int segstarts = 0;
        ac_alloc_fail_at(0);
        for (int i = 1; i <= N; i++) {
            f[i] = push(f[i - 1], 80); /* 640 bytes: more than 256 */
            assert_non_null(f[i]);
            segstarts += (f[i]->flags & AC_FRAME_SEGSTART) != 0;
        }
        unsigned long made = ac_alloc_fail_at(0);
        if (round == 0)
            assert_int_equal(segstarts, 1); /* crossed into a second segment */
        else
            assert_int_equal(segstarts, 0); /* one segment holds the chain */
        if (round > 0)
            assert_int_equal(made, 0);
        for (int i = N; i >= 1; i--)
            ac__frame_return(f[i]);
    }
}

/* Going back and forth across a segment boundary reuses the spare segment
 * instead of allocating. */
static void test_stack_spare(void **state)
{
    stack_fixture *fx = *state;
    ac_frame *a = push(fx->root, 200); /* fills most of the first 256 */
    ac_frame *b = push(a, 200);        /* second segment */
    assert_true(b->flags & AC_FRAME_SEGSTART);
    ac__frame_return(b);
    ac_alloc_fail_at(0);
    for (int i = 0; i < 100; i++) {
        ac_frame *c = push(a, 200);
        assert_ptr_equal(c, b);
        ac__frame_return(c);
    }
    assert_int_equal(ac_alloc_fail_at(0), 0);
    ac__frame_return(a);
}

/* An over-aligned bottom frame may start past the base of the first
 * segment.  When the stack overflows that small segment, the flag that lets
 * a larger segment take its place goes on the bottom frame itself, not on
 * the base (where it once landed in the frame's error slot).  Heap blocks
 * held in between move the segment about, so that some tries put the frame
 * 16 bytes past the base. */
static void test_stack_aligned_bottom(void **state)
{
    (void)state;
    void *hold[64];
    for (int i = 0; i < 64; i++) {
        hold[i] = malloc(16 * (size_t)(i % 5 + 1));
        size_t align = (size_t)32 << (i % 3);
        ac_frame *root = ac__coro_new(sizeof(ac_frame), 16, never_resumed);
        ac_task *t = ac__task_new(root);
        assert_non_null(t);
        ac_frame *a = ac__frame_push(root, 64, align, never_resumed, NULL);
        assert_int_equal((uintptr_t)a % align, 0);
        ac_frame *b = push(a, 112);
        ac_frame *c = push(b, 112); /* overflows the first 256 bytes */
        assert_null(a->err);
        assert_true(a->flags & AC_FRAME_SEGSTART);
        ac__frame_return(c);
        ac__frame_return(b);
        ac__frame_return(a); /* the larger segment replaces the first */
        ac_frame *d = ac__frame_push(root, 64, align, never_resumed, NULL);
        assert_int_equal((uintptr_t)d % align, 0);
        assert_int_equal(d->flags & AC_FRAME_SEGSTART, 0);
        ac__frame_return(d);
        ac__task_free(t, root);
        ac_coro_free(root);
    }
    for (int i = 0; i < 64; i++)
        free(hold[i]);
}

/* BX-09: a push that needs a segment when memory runs out returns NULL and
 * leaves ENOMEM in the caller, which keeps the error it was handling. */
static void test_BX_09_push_nomem(void **state)
{
    stack_fixture *fx = *state;
    ac_frame *a = push(fx->root, 250);
    ac_error *x = ac_error_new(E1, "in flight");
    ac__handle(a, x);
    ac_alloc_fail_at(1);
    assert_null(push(a, 100));
    ac_alloc_fail_at(0);
    assert_int_equal(ac_error_code(a->err), ENOMEM);
    assert_ptr_equal(ac_error_context(a->err), x);
    ac_error_release(a->err);
    a->err = NULL;
    ac_error_release(x);
    ac__frame_return(a);
}

static int started;

static int mark_started(ac_frame *f)
{
    started = 1;
    return ac__frame_return(f);
}

/* Once direct starts have used AC_DIRECT_STACK of C stack, a start does not
 * run the callee: it becomes the task's top for the trampoline, and the task
 * goes to the front of the ready queue. */
static void test_direct_depth_limit(void **state)
{
    stack_fixture *fx = *state;
    ac_frame *a = ac__frame_push(fx->root, sizeof(ac_frame), 16, mark_started, NULL);
    ac__climit = UINTPTR_MAX; /* as if the stack were spent */
    started = 0;
    assert_int_equal(ac__frame_start(a), AC_PENDING);
    assert_false(started);
    assert_ptr_equal(AC__HEAD(fx->task)->top, a);
    assert_ptr_equal(ac__sched_now.head, a); /* the queue links frames */
    assert_int_equal(AC__HEAD(fx->task)->queued, AC__WOKEN_BOUNCE);
    ac__task_wake(fx->task); /* a bounced task is not waiting: no effect */
    assert_ptr_equal(ac__sched_now.tail, fx->task);
    ac__climit = 0;
    /* The trampoline starts it: a runs, returns to the root, which is
       resumed next (it only tests the stack: set it aside first). */
    a->caller = NULL;
    AC__HEAD(fx->task)->top = a;
    ac__ready_run(1);
    assert_true(started);
    assert_null(ac__sched_now.head);
}

/* ---------------------------------------------------------- hand-written async functions */

/* async int add1(int x) { return x + 1; }   -- never suspends */
typedef struct add1_frame {
    ac_frame hdr;
    int x;
} add1_frame;

static int add1_resume(ac_frame *f)
{
    add1_frame *F = (add1_frame *)(void *)f;
    AC_RETURN(f, int, F->x + 1);
}

static int add1__await(ac_frame *caller, void *ret, int x)
{
    add1_frame *F = AC_FRAME_PUSH(add1_frame, caller, ret, add1_resume);
    if (!F)
        return AC_DONE;
    F->x = x;
    return ac__frame_start(&F->hdr);
}

/* async int sum3(void) { int s = 0; for (i = 0; i < 3; i++) s += await add1(i); return s; } */
typedef struct sum3_frame {
    ac_frame hdr;
    int i, s, tmp;
    int result;
} sum3_frame;

static int sum3_resume(ac_frame *f)
{
    sum3_frame *F = (sum3_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    F->s = 0;
    for (F->i = 0; F->i < 3; F->i++) {
        f->state = 1;
        if (add1__await(f, &F->tmp, F->i))
            return AC_PENDING;
    ac_r1:
        if (f->err)
            return ac__frame_return(f);
        F->s += F->tmp;
    }
    AC_RETURN(f, int, F->s);
}

static ac_coro *sum3(void)
{
    return (ac_coro *)AC_CORO_NEW_RESULT(sum3_frame, sum3_resume, result);
}

/* Awaiting callees that finish without suspending runs them inline: the
 * trampoline resumes only the root, once. */
static void test_await_no_suspend(void **state)
{
    (void)state;
    int result = 0;
    unsigned long before = ac_resume_count();
    assert_null(ac_run(sum3(), &result));
    assert_int_equal(result, 1 + 2 + 3);
    assert_int_equal(ac_resume_count() - before, 1);
}

/* async int rec(int n, int suspend) {
 *     if (n == 0) { if (suspend) await ac_sleep(0); return 0; }
 *     return await rec(n - 1, suspend) + 1;
 * } */
typedef struct rec_frame {
    ac_frame hdr;
    int n, suspend;
    int tmp;
    int result;
} rec_frame;

static int rec_resume(ac_frame *f);

static int rec__await(ac_frame *caller, void *ret, int n, int suspend)
{
    rec_frame *F = AC_FRAME_PUSH(rec_frame, caller, ret, rec_resume);
    if (!F)
        return AC_DONE;
    F->n = n;
    F->suspend = suspend;
    return ac__frame_start(&F->hdr);
}

static ac_coro *rec(int n, int suspend)
{
    rec_frame *F = AC_CORO_NEW_RESULT(rec_frame, rec_resume, result);
    if (F) {
        F->n = n;
        F->suspend = suspend;
    }
    return (ac_coro *)F;
}

static int rec_resume(ac_frame *f)
{
    rec_frame *F = (rec_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    }
    if (F->n == 0) {
        if (F->suspend) {
            f->state = 1;
            if (ac_sleep__await(f, NULL, 0))
                return AC_PENDING;
        ac_r1:
            if (f->err)
                return ac__frame_return(f);
        }
        AC_RETURN(f, int, 0);
    }
    f->state = 2;
    if (rec__await(f, &F->tmp, F->n - 1, F->suspend))
        return AC_PENDING;
ac_r2:
    if (f->err)
        return ac__frame_return(f);
    AC_RETURN(f, int, F->tmp + 1);
}

#define DEEP 10000

static void *run_deep(void *arg)
{
    int suspend = *(int *)arg;
    int result = -1;
    ac_error *e = ac_run(rec(DEEP, suspend), &result);
    ac_error_release(e);
    return (void *)(intptr_t)(e ? -1 : result);
}

static intptr_t on_small_stack(void *(*fn)(void *), void *arg)
{
    pthread_attr_t a;
    pthread_t th;
    void *r = NULL;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 * 1024);
    assert_int_equal(pthread_create(&th, &a, fn, arg), 0);
    pthread_join(th, &r);
    pthread_attr_destroy(&a);
    return (intptr_t)r;
}

/* BX-08: a 10,000-deep await chain that suspends at the bottom
 * (ac_sleep(0)) and then completes runs on a 256 KiB stack: the trampoline
 * bounds the C stack on the way down and up. */
static void test_BX_08_deep_chain_suspends(void **state)
{
    (void)state;
    int suspend = 1;
    assert_int_equal(on_small_stack(run_deep, &suspend), DEEP);
}

/* The same chain without any suspension: direct starts are bounded by
 * AC_DIRECT_DEPTH and bounce through the trampoline. */
static void test_deep_chain_no_suspend(void **state)
{
    (void)state;
    int suspend = 0;
    assert_int_equal(on_small_stack(run_deep, &suspend), DEEP);
}

/* ---------------------------------------------------------- errors */

static int unwound; /* frames that left by an error, like a defer that counts */

/* async int thrower(int n) {
 *     defer if (error) unwound++;
 *     if (n == 0) throw ac_error_new(E1, "bottom");
 *     return await thrower(n - 1);
 * } */
typedef struct thrower_frame {
    ac_frame hdr;
    int n;
    int result;
} thrower_frame;

static int thrower_resume(ac_frame *f);

static int thrower__await(ac_frame *caller, void *ret, int n)
{
    thrower_frame *F = AC_FRAME_PUSH(thrower_frame, caller, ret, thrower_resume);
    if (!F)
        return AC_DONE;
    F->n = n;
    return ac__frame_start(&F->hdr);
}

static int thrower_resume(ac_frame *f)
{
    thrower_frame *F = (thrower_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    if (F->n == 0) {
        ac__throw(f, ac_error_new(E1, "bottom"), "thrower.ac", 3);
        goto unwind;
    }
    f->state = 1;
    if (thrower__await(f, f->ret, F->n - 1))
        return AC_PENDING;
ac_r1:
    if (f->err)
        goto unwind;
    return ac__frame_return(f);
unwind:
    unwound++;
    return ac__frame_return(f);
}

/* async int catcher(void) {
 *     try { throw X; } catch (ac_error *x) { await thrower(200); }
 * }   -- the callee's error gets X, being handled, as its context */
typedef struct catcher_frame {
    ac_frame hdr;
    ac_error *handled; /* a frame that handles errors has room for one */
    int tmp;
} catcher_frame;

static int catcher_resume(ac_frame *f)
{
    catcher_frame *F = (catcher_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    ac__handle(f, ac_error_new(E2, "being handled"));
    f->state = 1;
    if (thrower__await(f, &F->tmp, 200))
        return AC_PENDING;
ac_r1:
    ac_error_release(F->handled); /* end of the catch block */
    F->handled = NULL;
    return ac__frame_return(f);
}

/* An error thrown at depth 200 unwinds every frame, reaches ac_run's caller
 * with its throw location, and has the error being handled below it as its
 * context. */
static void test_error_propagation(void **state)
{
    (void)state;
    unwound = 0;
    ac_error *e = ac_run((ac_coro *)AC_CORO_NEW(catcher_frame, catcher_resume), NULL);
    assert_non_null(e);
    assert_int_equal(ac_error_code(e), E1);
    assert_string_equal(ac_error_file(e), "thrower.ac");
    assert_int_equal(ac_error_line(e), 3);
    assert_int_equal(unwound, 201);
    assert_non_null(ac_error_context(e));
    assert_int_equal(ac_error_code(ac_error_context(e)), E2);
    ac_error_release(e);
}

/* ---------------------------------------------------------- BX-10 */

#define WAKES 20
static unsigned long wake_cost[WAKES];
static unsigned long wake_allocs; /* allocations after the first wake-up */

/* async void spin(int depth) {
 *     if (depth > 1) { await spin(depth - 1); return; }
 *     for (int i = 0; i < WAKES; i++) {
 *         unsigned long c = ac_resume_count();
 *         await ac_sleep(0);
 *         wake_cost[i] = ac_resume_count() - c;
 *     }
 * } */
typedef struct spin_frame {
    ac_frame hdr;
    int depth, i;
    unsigned long c;
} spin_frame;

static int spin_resume(ac_frame *f);

static int spin__await(ac_frame *caller, void *ret, int depth)
{
    spin_frame *F = AC_FRAME_PUSH(spin_frame, caller, ret, spin_resume);
    if (!F)
        return AC_DONE;
    F->depth = depth;
    return ac__frame_start(&F->hdr);
}

static int spin_resume(ac_frame *f)
{
    spin_frame *F = (spin_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    }
    if (F->depth > 1) {
        f->state = 1;
        if (spin__await(f, NULL, F->depth - 1))
            return AC_PENDING;
    ac_r1:
        return ac__frame_return(f);
    }
    for (F->i = 0; F->i < WAKES; F->i++) {
        if (F->i == 1)
            ac_alloc_fail_at(0); /* start counting: the stack is warm */
        F->c = ac_resume_count();
        f->state = 2;
        if (ac_sleep__await(f, NULL, 0))
            return AC_PENDING;
    ac_r2:
        if (f->err)
            return ac__frame_return(f);
        wake_cost[F->i] = ac_resume_count() - F->c;
    }
    wake_allocs = ac_alloc_fail_at(0);
    return ac__frame_return(f);
}

static unsigned long cost_at_depth(int depth)
{
    spin_frame *F = AC_CORO_NEW(spin_frame, spin_resume);
    assert_non_null(F);
    F->depth = depth;
    memset(wake_cost, 0, sizeof wake_cost);
    assert_null(ac_run(&F->hdr, NULL));
    for (int i = 1; i < WAKES; i++)
        assert_int_equal(wake_cost[i], wake_cost[0]);
    assert_int_equal(wake_allocs, 0); /* no allocation per await or wake-up */
    return wake_cost[0];
}

/* BX-10: one wake-up resumes the same number of frames at depth 1, 1000
 * and 10,000 (ac_sleep(0) blocks the frame that yields, which is all a
 * wake-up resumes), and a warm task awaits and wakes without allocating. */
static void test_BX_10_wake_cost_flat(void **state)
{
    (void)state;
    unsigned long d1 = cost_at_depth(1);
    assert_int_equal(d1, 1);
    assert_int_equal(cost_at_depth(1000), d1);
    assert_int_equal(cost_at_depth(10000), d1);
}

/* ---------------------------------------------------------- coroutines */

/* A coroutine object that is never run is freed with ac_coro_free. */
static void test_coro_free_unrun(void **state)
{
    (void)state;
    ac_coro *c = rec(3, 0);
    assert_non_null(c);
    assert_true(c->flags & AC_FRAME_CORO);
    assert_ptr_equal(c->ret, &((rec_frame *)(void *)c)->result);
    ac_coro_free(c);
    ac_coro_free(NULL);
}

/* Without a result pointer the result goes to the coroutine's own slot. */
static void test_run_without_result(void **state)
{
    (void)state;
    assert_null(ac_run(rec(5, 1), NULL));
}

/* ---------------------------------------------------------- BX-09 */

static void *oom_scenario(void *arg)
{
    unsigned long n = *(unsigned long *)arg;
    int result = -1;
    ac_alloc_fail_at(n); /* counts from here, on this thread */
    ac_error *e = ac_run(rec(300, 1), &result);
    unsigned long made = ac_alloc_fail_at(0);
    intptr_t r;
    if (made < n) {
        r = e == NULL && result == 300 ? 1 : -1; /* no failure injected */
    } else {
        r = e && ac_error_code(e) == ENOMEM ? 0 : -1;
    }
    ac_error_release(e);
    return (void *)r;
}

/* BX-09: failing the N-th allocation of a whole ac_run (loop creation,
 * task, frame-stack segments, timer heap) for N = 1, 2, ... gives ENOMEM
 * from ac_run, or the normal result once no failure is injected; each run
 * on a fresh thread, so the loop is created each time; no leaks. */
static void test_BX_09_oom_run(void **state)
{
    (void)state;
    for (unsigned long n = 1;; n++) {
        intptr_t r = on_small_stack(oom_scenario, &n);
        assert_true(r >= 0);
        if (r == 1)
            break;
        assert_true(n < 100);
    }
}

/* ---------------------------------------------------------- stale handles */

static int return_at_once(ac_frame *f)
{
    return ac__frame_return(f);
}

/* ac_task_cancel of a task that has ended (a stale ac_task *, ac/cancel.h
 * LIFETIME) aborts in a build without NDEBUG, and does nothing with it.
 * The task has finished but is not freed here, so that the test may read
 * it; the call runs in a child process. */
static void test_cancel_finished_task(void **state)
{
    (void)state;
    ac_frame *root = ac__coro_new(sizeof(ac_frame), 16, return_at_once);
    ac_task *t = root ? ac__task_new(root) : NULL;
    assert_non_null(t);
    ac__task_wake(t);
    ac__ready_run(1);
    assert_true(AC__HEAD(t)->finished);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);     /* no core file */
        if (!freopen("/dev/null", "w", stderr)) /* nor the assertion's message */
            _exit(2);
        size_t noted = ac__noted;
        ac_task_cancel(t);
        _exit(t->root_link.cancelled || ac__noted != noted ? 3 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
#ifdef NDEBUG
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
#else
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
#endif
    ac__task_free(t, root);
    ac_coro_free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stack_lifo, stack_setup, stack_teardown),
        cmocka_unit_test_setup_teardown(test_stack_growth, stack_setup, stack_teardown),
        cmocka_unit_test_setup_teardown(test_stack_first_segment_grows, stack_setup, stack_teardown),
        cmocka_unit_test_setup_teardown(test_stack_spare, stack_setup, stack_teardown),
        cmocka_unit_test(test_stack_aligned_bottom),
        cmocka_unit_test_setup_teardown(test_BX_09_push_nomem, stack_setup, stack_teardown),
        cmocka_unit_test_setup_teardown(test_direct_depth_limit, stack_setup, stack_teardown),
        cmocka_unit_test(test_await_no_suspend),
        cmocka_unit_test(test_BX_08_deep_chain_suspends),
        cmocka_unit_test(test_deep_chain_no_suspend),
        cmocka_unit_test(test_error_propagation),
        cmocka_unit_test(test_BX_10_wake_cost_flat),
        cmocka_unit_test(test_coro_free_unrun),
        cmocka_unit_test(test_run_without_result),
        cmocka_unit_test(test_BX_09_oom_run),
        cmocka_unit_test(test_cancel_finished_task),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
