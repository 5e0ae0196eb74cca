/* event.c: bench_event, an awaitable event written in plain C against the
 * frame ABI (docs/runtime.md section 5: the same shape as its my_flag
 * example), plus the benchmark's clock and sink.  The runtime has no event
 * primitive yet; when it gets one, the ping-pong should use it instead. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <errno.h>
#include <time.h>

#include <ac/primitive.h>

#include "bench.h"

volatile long bench_sink;

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

typedef struct wait_frame {
    ac_frame hdr;
    bench_event *e;
} wait_frame;

void bench_event_set(bench_event *e)
{
    ac_frame *w = e->waiter;
    if (w) {
        e->waiter = NULL;
        ac__task_wake(w->task); /* runs on a later loop turn */
    } else {
        e->set = 1;
    }
}

static void wait_unwait(ac_frame *f)
{
    ((wait_frame *)(void *)f)->e->waiter = NULL;
}

/* state 0: done at once if set (clearing it), else register and block;
 * state 1: woken by bench_event_set. */
static int wait_resume(ac_frame *f)
{
    wait_frame *w = (wait_frame *)(void *)f;
    if (f->state == 0) {
        if (!w->e->set) {
            if (w->e->waiter)
                AC_THROW(f, EBUSY, "bench_event_wait: someone waits already");
            w->e->waiter = f;
            f->state = 1;
            return ac__suspend_unwait(f, wait_unwait);
        }
        w->e->set = 0;
    }
    return ac__frame_return(f);
}

ac_coro *bench_event_wait(bench_event *e)
{
    wait_frame *w = AC_CORO_NEW(wait_frame, wait_resume);
    if (w)
        w->e = e;
    return (ac_coro *)w;
}

int bench_event_wait__await(ac_frame *caller, void *ret, bench_event *e)
{
    if (!e->waiter && !e->set) {
        /* Nothing to do after the wake-up: block the caller itself, as
           ac_sleep(0) does, instead of a frame of our own. */
        e->waiter = caller;
        return ac__suspend(caller);
    }
    wait_frame *w = AC_FRAME_PUSH(wait_frame, caller, ret, wait_resume);
    if (!w)
        return AC_DONE; /* ENOMEM is in caller->err */
    w->e = e;
    return ac__frame_start_fn(&w->hdr, wait_resume);
}
