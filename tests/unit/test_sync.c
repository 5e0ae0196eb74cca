/* test_sync.c: ac_event across tasks.  The second task is started through
 * the internal task API (task groups come later), as test_primitive does. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ac/ac.h"
#include "task.h"

/* async void setter(ac_event *e) { await ac_sleep(5); ac_event_set(e); } */
typedef struct setter_frame {
    ac_frame hdr;
    ac_event *ev;
} setter_frame;

static int setter_resume(ac_frame *f)
{
    setter_frame *F = (setter_frame *)(void *)f;
    if (f->state == 0) {
        f->state = 1;
        if (ac_sleep__await(f, NULL, 5))
            return ac__pending(f, setter_resume);
    }
    ac_event_set(F->ev);
    return ac__frame_return(f);
}

/* async void waiter(ac_event *e, int *woken) { await ac_event_wait(e); ++*woken; } */
typedef struct waiter_frame {
    ac_frame hdr;
    ac_event *ev;
    int *woken;
} waiter_frame;

static int waiter_resume(ac_frame *f)
{
    waiter_frame *F = (waiter_frame *)(void *)f;
    if (f->state == 0) {
        f->state = 1;
        if (ac_event_wait__await(f, NULL, F->ev))
            return ac__pending(f, waiter_resume);
    }
    if (!f->err)
        ++*F->woken;
    return ac__frame_return(f);
}

static void task_done(ac_task *t, ac_frame *root)
{
    ac__task_free(t, root);
    ac_coro_free(root);
}

static void spawn(ac_frame *root)
{
    assert_non_null(root);
    ac_task *t = ac__task_new(root);
    assert_non_null(t);
    root->flags |= AC_FRAME_NOTIFY;
    ac__task_done_hook = task_done;
    ac__task_wake(t);
}

static ac_frame *setter(ac_event *e)
{
    setter_frame *F = AC_CORO_NEW(setter_frame, setter_resume);
    if (F)
        F->ev = e;
    return &F->hdr;
}

static ac_frame *waiter(ac_event *e, int *woken)
{
    waiter_frame *F = AC_CORO_NEW(waiter_frame, waiter_resume);
    if (F) {
        F->ev = e;
        F->woken = woken;
    }
    return &F->hdr;
}

/* A task waiting on an event is woken when another task sets it. */
static void test_set_wakes_waiter(void **state)
{
    (void)state;
    ac_event e = AC_EVENT_INIT;
    spawn(setter(&e));
    assert_null(ac_run(ac_event_wait(&e), NULL));
    assert_true(ac_event_is_set(&e));
    assert_true(ac__waitq_empty(&e.q));
}

/* A set wakes every waiter, and the event stays set. */
static void test_set_wakes_all(void **state)
{
    (void)state;
    ac_event e = AC_EVENT_INIT;
    int woken = 0;
    spawn(waiter(&e, &woken));
    spawn(waiter(&e, &woken));
    spawn(setter(&e));
    /* 250 ms, not 20: the setter's 5 ms and the wakes end first despite a stall */
    assert_null(ac_run(ac_sleep(250), NULL));
    assert_int_equal(woken, 2);
    assert_true(ac_event_is_set(&e));
}

/* Cancelling a waiting task withdraws its wait: it ends with ECANCELED,
 * the event's list is empty, and a later set wakes nobody. */
static void test_cancel_withdraws(void **state)
{
    (void)state;
    ac_event e = AC_EVENT_INIT;
    int woken = 0;
    ac_frame *w = waiter(&e, &woken);
    ac_task *t = ac__task_new(w);
    assert_non_null(t);
    ac__task_wake(t);
    ac__ready_run(1); /* it blocks on the event */
    assert_false(ac__waitq_empty(&e.q));
    ac_task_cancel(t);
    assert_true(ac__waitq_empty(&e.q)); /* withdrawn at once */
    ac__ready_run(1);    /* it finishes with ECANCELED */
    assert_true(t->head.finished);
    assert_int_equal(ac_error_code(t->err), ECANCELED);
    assert_int_equal(woken, 0);
    ac_event_set(&e);
    ac__task_free(t, w);
    ac_coro_free(w);
}

/* A worker: acquire the lock, note 'in', yield (others run), note 'out',
 * release; twice. */
static char trace[32];
static int ntrace;

typedef struct worker_frame {
    ac_frame hdr;
    ac_lock *l;
    char name;
    int round;
} worker_frame;

static int worker_resume(ac_frame *f)
{
    worker_frame *F = (worker_frame *)(void *)f;
    switch (f->state) {
    case 1: goto r1;
    case 2: goto r2;
    default: break;
    }
    for (F->round = 0; F->round < 2; F->round++) {
        f->state = 1;
        if (ac_lock_acquire__await(f, NULL, F->l))
            return ac__pending(f, worker_resume);
    r1:
        if (f->err)
            return ac__frame_return(f);
        trace[ntrace++] = F->name;
        f->state = 2;
        if (ac_sleep__await(f, NULL, 0))
            return ac__pending(f, worker_resume);
    r2:
        trace[ntrace++] = F->name;
        ac_lock_release(F->l);
    }
    return ac__frame_return(f);
}

static ac_frame *worker(ac_lock *l, char name)
{
    worker_frame *F = AC_CORO_NEW(worker_frame, worker_resume);
    if (F) {
        F->l = l;
        F->name = name;
    }
    return &F->hdr;
}

/* A lock keeps two tasks out of each other's critical sections: each
 * section's two notes are adjacent, although each yields inside it. */
static void test_lock_excludes(void **state)
{
    (void)state;
    ac_lock l = AC_LOCK_INIT;
    ntrace = 0;
    spawn(worker(&l, 'a'));
    spawn(worker(&l, 'b'));
    /* 250 ms, not 20: the workers' turns end before it despite a stall */
    assert_null(ac_run(ac_sleep(250), NULL));
    trace[ntrace] = 0;
    assert_int_equal(ntrace, 8);
    for (int i = 0; i < 8; i += 2)
        assert_int_equal(trace[i], trace[i + 1]);
    assert_false(ac_lock_locked(&l));
}

/* A producer puts 0..9 into a queue of 2; the consumer gets them all, in
 * order, each side waiting for the other. */
typedef struct producer_frame {
    ac_frame hdr;
    ac_queue *q;
    int i;
} producer_frame;

static int producer_resume(ac_frame *f)
{
    producer_frame *F = (producer_frame *)(void *)f;
    if (f->state == 1)
        goto r1;
    for (F->i = 0; F->i < 10; F->i++) {
        f->state = 1;
        if (ac_queue_put__await(f, NULL, F->q, &F->i))
            return ac__pending(f, producer_resume);
    r1:
        if (f->err)
            break;
    }
    return ac__frame_return(f);
}

typedef struct consumer_frame {
    ac_frame hdr;
    ac_queue *q;
    int i, item, sum, in_order;
} consumer_frame;

static int consumer_resume(ac_frame *f)
{
    consumer_frame *F = (consumer_frame *)(void *)f;
    if (f->state == 1)
        goto r1;
    F->in_order = 1;
    for (F->i = 0; F->i < 10; F->i++) {
        f->state = 1;
        if (ac_queue_get__await(f, NULL, F->q, &F->item))
            return ac__pending(f, consumer_resume);
    r1:
        if (f->err)
            break;
        F->in_order &= F->item == F->i;
        F->sum += F->item;
    }
    *(int *)f->ret = F->in_order ? F->sum : -1;
    return ac__frame_return(f);
}

static void test_queue_producer_consumer(void **state)
{
    (void)state;
    int buf[2];
    ac_queue q;
    ac_queue_init(&q, buf, sizeof buf[0], 2);
    producer_frame *p = AC_CORO_NEW(producer_frame, producer_resume);
    assert_non_null(p);
    p->q = &q;
    spawn(&p->hdr);
    consumer_frame *c = AC_CORO_NEW_RESULT(consumer_frame, consumer_resume, sum);
    assert_non_null(c);
    c->q = &q;
    int r = 0;
    assert_null(ac_run(&c->hdr, &r));
    assert_int_equal(r, 45);
    assert_int_equal(ac_queue_count(&q), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lock_excludes),
        cmocka_unit_test(test_queue_producer_consumer),
        cmocka_unit_test(test_set_wakes_waiter),
        cmocka_unit_test(test_set_wakes_all),
        cmocka_unit_test(test_cancel_withdraws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
