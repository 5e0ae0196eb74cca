/* rt_helpers.c: a second task for the ping-pong benchmarks.
 *
 * INTERNAL API: there is no public spawn yet (task groups will bring one),
 * so this file includes runtime/src/task.h and does what the runtime's unit
 * tests do (tests/unit/test_loop.c, spawn()): ac__task_new() on a coroutine
 * object, a `done` callback that frees the task and the coroutine, and
 * ac__task_wake() to queue it.  Replace it with the public spawn once it
 * exists. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "task.h" /* runtime/src: internal */

static void spawned_done(ac_task *t)
{
    ac_frame *root = t->root;
    int *finished = t->data;
    if (t->err) {
        ac_error_print(t->err, "bench: spawned task");
        exit(1);
    }
    ac__task_free(t);
    ac_coro_free(root);
    *finished = 1;
}

void bench_spawn(ac_coro *c, int *finished)
{
    ac_task *t = c ? ac__task_new(c) : NULL;
    if (!t) {
        fprintf(stderr, "bench: cannot spawn a task (out of memory)\n");
        exit(1);
    }
    *finished = 0;
    t->done = spawned_done;
    t->data = finished;
    ac__task_wake(t);
}
