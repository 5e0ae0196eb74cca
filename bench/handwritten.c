/* handwritten.c: the task-switch workload as hand-written C state machines
 * on libac itself (issue 2).
 *
 * baseline.c measures acc against a bare hand-written scheduler: that ratio
 * is mostly the cost of libac's scheduler (ready queue, loop turns that also
 * serve fds and timers).  This file isolates what acc's generated code costs
 * on top of the same scheduler: the same two yielding tasks written by hand
 * against the frame ABI (ac/frame.h), as a careful C programmer would write
 * them, with the same ac_sleep(0) and the same task group. */
#include <ac/primitive.h>

#include "bench.h"

/* async void yielder(long n) { for (i = 0; i < n; i++) await ac_sleep(0); } */
typedef struct yielder_frame {
    ac_frame hdr;
    long n, i;
} yielder_frame;

static int yielder_resume(ac_frame *f)
{
    yielder_frame *F = (yielder_frame *)(void *)f;
    if (f->state == 1)
        goto resumed;
    for (F->i = 0; F->i < F->n; F->i++) {
        f->state = 1;
        if (ac_sleep__await(f, NULL, 0))
            return AC_PENDING;
    resumed:
        if (f->err)
            break;
    }
    return ac__frame_return(f);
}

/* The measuring task:
 *
 *   async with (ac_taskgroup *tg = ac_taskgroup()) {
 *       spawn (tg) yielder(n);
 *       for (i = 0; i < n; i++) await ac_sleep(0);      -- timed
 *   }
 *
 * through the public API (ac_cm_enter, ac_taskgroup_spawn, ac_cm_exit); its
 * result is the ns of the n yields.  An error of the body goes to the
 * group's exit, as `async with` does.  It runs as a coroutine object, whose
 * resume function is set from the start: stopping is a plain AC_PENDING. */
typedef struct main_frame {
    ac_frame hdr;
    long n, i;
    ac_cm cm;
    ac_taskgroup *tg;
    ac_error *pending; /* the body's error, set aside for the exit */
    bool sup;
    int64_t t0, ns;
} main_frame;

static int main_resume(ac_frame *f)
{
    main_frame *F = (main_frame *)(void *)f;
    switch (f->state) {
    case 1: goto r1;
    case 2: goto r2;
    case 3: goto r3;
    case 4: goto r4;
    default: break;
    }
    F->cm = ac_taskgroup();
    f->state = 1;
    if (ac_cm_enter__await(f, &F->tg, &F->cm))
        return AC_PENDING;
r1:
    if (f->err) {
        ac_cm_release(&F->cm);
        return ac__frame_return(f);
    }
    {
        yielder_frame *y = AC_CORO_NEW(yielder_frame, yielder_resume);
        if (y)
            y->n = F->n;
        f->state = 2;
        if (ac_taskgroup_spawn__await(f, NULL, F->tg, (ac_coro *)y, NULL))
            return AC_PENDING;
    }
r2:
    if (f->err)
        goto leave;
    F->t0 = bench_now_ns();
    for (F->i = 0; F->i < F->n; F->i++) {
        f->state = 3;
        if (ac_sleep__await(f, NULL, 0))
            return AC_PENDING;
    r3:
        if (f->err)
            goto leave;
    }
    F->ns = bench_now_ns() - F->t0;
leave:
    F->pending = f->err; /* f->err is NULL when an await starts */
    f->err = NULL;
    f->state = 4;
    if (ac_cm_exit__await(f, &F->sup, &F->cm, F->pending))
        return AC_PENDING;
r4:
    if (F->pending) { /* *sup means something only then */
        if (f->err || F->sup)
            ac_error_release(F->pending); /* replaced, or suppressed */
        else
            f->err = F->pending;
    }
    ac_cm_release(&F->cm);
    *(int64_t *)f->ret = F->ns;
    return ac__frame_return(f);
}

int64_t libac_pingpong_yield(long n)
{
    main_frame *m = AC_CORO_NEW_RESULT(main_frame, main_resume, ns);
    if (!m)
        return -1;
    m->n = n;
    int64_t ns = 0;
    ac_error *e = ac_run((ac_coro *)m, &ns);
    if (e) {
        ac_error_print(e, "bench");
        ac_error_release(e);
        return -1;
    }
    return ns;
}

/* ---------------------------------------------------------- managers (issue 3) */

/* for (i = 0; i < n; i++) { v = await bm_enter(&c); s += *v + i;
 *                           await bm_exit(&c, NULL); }
 * what a careful C programmer writes without a manager: the same enter
 * and exit, awaited directly, with every state a real suspension needs. */
typedef struct with_frame {
    ac_frame hdr;
    long n, i, s;
    long *v;
    bool sup;
    bench_counter c;
    int64_t t0;
} with_frame;

static int with_resume(ac_frame *f)
{
    with_frame *F = (with_frame *)(void *)f;
    switch (f->state) {
    case 1: goto r1;
    case 2: goto r2;
    default: break;
    }
    F->t0 = bench_now_ns();
    for (F->i = 0; F->i < F->n; F->i++) {
        f->state = 1;
        if (bm_enter__await(f, &F->v, &F->c))
            return ac__pending(f, with_resume);
    r1:
        if (f->err)
            return ac__frame_return(f);
        F->s += *F->v + F->i;
        f->state = 2;
        if (bm_exit__await(f, &F->sup, &F->c, NULL))
            return ac__pending(f, with_resume);
    r2:
        if (f->err)
            return ac__frame_return(f);
    }
    *(int64_t *)f->ret = bench_now_ns() - F->t0;
    bench_sink = F->s + F->c.exited;
    return ac__frame_return(f);
}

int64_t libac_with_async(long n)
{
    with_frame *w = AC_CORO_NEW(with_frame, with_resume);
    if (w)
        w->n = n;
    int64_t ns = 0;
    ac_error *e = ac_run((ac_coro *)w, &ns);
    ac_error_release(e);
    return ns;
}
