/* test_primitive.c: the first worked example of docs/runtime.md ("Writing a
 * primitive in C"), compiled and run: a flag that a task waits on and plain
 * C code sets.  The example uses the public headers only; the tests spawn a
 * second task through the internal task API. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ac/ac.h"
#include "task.h"

/* ---------------------------------------------------------- the example */

/* my_flag.c (which includes my_flag.h) as docs/runtime.md shows it: the
 * docs test checks that the page's copy is this file, which the e2e test
 * primitive_flag also runs from .ac code. */
#include "../e2e/primitive_flag/my_flag.c"

/* ---------------------------------------------------------- tests */

/* async int waits_twice(my_flag *fl) {
 *     int a = await my_flag_wait(fl);   -- blocks unless already set
 *     int b = await my_flag_wait(fl);   -- set by now: no suspension
 *     return a + b;
 * } */
typedef struct twice_frame {
    ac_frame hdr;
    my_flag *fl;
    int a, b;
    int result;
} twice_frame;

static int twice_resume(ac_frame *f)
{
    twice_frame *F = (twice_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    case 2: goto ac_r2;
    }
    f->state = 1;
    if (my_flag_wait__await(f, &F->a, F->fl))
        return AC_PENDING;
ac_r1:
    if (f->err)
        return ac__frame_return(f);
    f->state = 2;
    if (my_flag_wait__await(f, &F->b, F->fl))
        return AC_PENDING;
ac_r2:
    if (f->err)
        return ac__frame_return(f);
    AC_RETURN(f, int, F->a + F->b);
}

static ac_coro *waits_twice(my_flag *fl)
{
    twice_frame *F = AC_CORO_NEW_RESULT(twice_frame, twice_resume, result);
    assert_non_null(F);
    F->fl = fl;
    return &F->hdr;
}

/* async void set_later(my_flag *fl) { await ac_sleep(5); my_flag_set(fl, 21); } */
typedef struct setter_frame {
    ac_frame hdr;
    my_flag *fl;
} setter_frame;

static int setter_resume(ac_frame *f)
{
    setter_frame *F = (setter_frame *)(void *)f;
    switch (f->state) {
    case 0: break;
    case 1: goto ac_r1;
    }
    f->state = 1;
    if (ac_sleep__await(f, NULL, 5))
        return AC_PENDING;
ac_r1:
    my_flag_set(F->fl, 21);
    return ac__frame_return(f);
}

static void setter_done(ac_task *t, ac_frame *root)
{
    ac__task_free(t, root);
    ac_coro_free(root);
}

/* Spawn set_later(fl) as a task of its own (task groups come later). */
static void spawn_setter(my_flag *fl)
{
    setter_frame *F = AC_CORO_NEW(setter_frame, setter_resume);
    assert_non_null(F);
    F->fl = fl;
    ac_task *t = ac__task_new(&F->hdr);
    assert_non_null(t);
    F->hdr.flags |= AC_FRAME_NOTIFY;
    ac__task_done_hook = setter_done;
    ac__task_wake(t);
}

/* The primitive completes without suspending when the flag is set. */
static void test_flag_already_set(void **state)
{
    (void)state;
    my_flag fl = {0, 0, NULL};
    my_flag_set(&fl, 21);
    int r = 0;
    unsigned long before = ac_resume_count();
    assert_null(ac_run(waits_twice(&fl), &r));
    assert_int_equal(r, 42);
    assert_int_equal(ac_resume_count() - before, 1); /* only the root */
}

/* The waiter blocks until another task sets the flag, then goes on. */
static void test_flag_set_later(void **state)
{
    (void)state;
    my_flag fl = {0, 0, NULL};
    spawn_setter(&fl);
    int r = 0;
    assert_null(ac_run(waits_twice(&fl), &r));
    assert_int_equal(r, 42);
    assert_null(fl.waiter);
}

/* A second waiter on a flag that has one gets EBUSY. */
static void test_flag_busy(void **state)
{
    (void)state;
    my_flag fl = {0, 0, NULL};
    spawn_setter(&fl);
    ac_frame blocked; /* stands for a waiter that is already registered */
    fl.waiter = &blocked;
    int r = 0;
    ac_error *e = ac_run(my_flag_wait(&fl), &r);
    assert_int_equal(ac_error_code(e), EBUSY);
    ac_error_release(e);
    fl.waiter = NULL;
    assert_null(ac_run(ac_sleep(10), NULL)); /* let the setter finish */
    assert_true(fl.set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flag_already_set),
        cmocka_unit_test(test_flag_set_later),
        cmocka_unit_test(test_flag_busy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
