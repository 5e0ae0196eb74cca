/* my_flag.c */
#include <errno.h>
#include "my_flag.h"

typedef struct wait_frame {
    ac_frame hdr; /* first member: the runtime sees an ac_frame */
    my_flag *fl;  /* the parameter */
    int result;   /* the coroutine object's result slot */
} wait_frame;

void my_flag_set(my_flag *fl, int value)
{
    fl->set = 1;
    fl->value = value;
    if (fl->waiter) {
        ac_task *t = fl->waiter->task;
        fl->waiter = NULL;
        ac__task_wake(t); /* runs on a later loop turn, not now */
    }
}

/* Cancellation (ac_task_cancel, a timeout) takes the wait back with this. */
static void wait_unwait(ac_frame *f)
{
    ((wait_frame *)(void *)f)->fl->waiter = NULL;
}

/* state 0: done at once if set, else register and block;
 * state 1: woken by my_flag_set. */
static int wait_resume(ac_frame *f)
{
    wait_frame *w = (wait_frame *)(void *)f;
    if (f->state == 0 && !w->fl->set) {
        if (w->fl->waiter)
            AC_THROW(f, EBUSY, "my_flag_wait: someone waits already");
        w->fl->waiter = f;
        f->state = 1;
        return ac__suspend_unwait(f, wait_unwait);
    }
    AC_RETURN(f, int, w->fl->value);
}

ac_coro *my_flag_wait(my_flag *fl)
{
    wait_frame *w = AC_CORO_NEW_RESULT(wait_frame, wait_resume, result);
    if (w)
        w->fl = fl;
    return (ac_coro *)w;
}

int my_flag_wait__await(ac_frame *caller, void *ret, my_flag *fl)
{
    wait_frame *w = AC_FRAME_PUSH(wait_frame, caller, ret, wait_resume);
    if (!w)
        return AC_DONE; /* ENOMEM is in caller->err */
    w->fl = fl;         /* a pushed frame is not zeroed: set every field read */
    return ac__frame_start_fn(&w->hdr, wait_resume);
}
