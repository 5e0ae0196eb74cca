/* managers.c: what the manager benchmarks (issue 3) enter and exit, kept in
 * a file of its own so that neither side can inline it: the acc version
 * reaches these functions through a manager, the baseline (baseline.c)
 * calls them. */
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
