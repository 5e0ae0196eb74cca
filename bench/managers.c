/* managers.c: what the manager benchmarks (issue 3) enter and exit, and the
 * hand-written iterator of the async for benchmark (issue 5), kept in a file
 * of their own so that the baseline (baseline.c) cannot inline them. */
#include "bench.h"

/* A manager state: enter counts and hands out the counter; exit counts. */
void *bench_enter(void *self, ac_error **raise)
{
    (void)raise;
    bench_counter *c = self;
    c->entered++;
    return &c->value;
}

bool bench_exit(void *self, ac_error *err, ac_error **raise)
{
    (void)err;
    (void)raise;
    bench_counter *c = self;
    c->exited++;
    return false;
}

const ac_cm_class bench_class = {.name = "bench counter", .enter = bench_enter, .exit = bench_exit};

void bench_callback(void *args, ac_error **raise)
{
    (void)raise;
    ++*(long *)args;
}

bool bench_iter_next(bench_iter *it, long *item)
{
    if (it->i >= it->n)
        return false;
    *item = it->i++;
    return true;
}
