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

static void task_done(ac_task *t)
{
    ac_frame *root = t->root;
    ac__task_free(t);
    ac_coro_free(root);
}

static void spawn(ac_frame *root)
{
    assert_non_null(root);
    ac_task *t = ac__task_new(root);
    assert_non_null(t);
    t->done = task_done;
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
    assert_null(e.head);
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
    assert_null(ac_run(ac_sleep(20), NULL));
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
    assert_non_null(e.head);
    ac_task_cancel(t);
    assert_null(e.head); /* withdrawn at once */
    ac__ready_run(1);    /* it finishes with ECANCELED */
    assert_true(t->finished);
    assert_int_equal(ac_error_code(t->err), ECANCELED);
    assert_int_equal(woken, 0);
    ac_event_set(&e);
    ac__task_free(t);
    ac_coro_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_wakes_waiter),
        cmocka_unit_test(test_set_wakes_all),
        cmocka_unit_test(test_cancel_withdraws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
