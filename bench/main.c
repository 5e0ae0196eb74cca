/* main.c: the benchmark driver (issue 2).  Reported, never asserted: no
 * test runs this program.
 *
 * Each measurement first calibrates its operation count so that one run
 * takes about BENCH_SECONDS (default 0.3 s), then runs BENCH_RUNS times
 * (default 5) and keeps the best ns per operation.  The acc workload and its
 * hand-written baseline alternate run by run, in the same process, so that
 * drift of the machine hits both.  Prints one table: workload, ns/op of the
 * acc version, ns/op of the baseline, ratio.
 *
 *   bench [FILTER]    run only the workloads whose name contains FILTER
 *
 * Environment: BENCH_SECONDS, BENCH_RUNS, and BENCH_N (a fixed operation
 * count per run instead of calibrating: for instruction counts under
 * valgrind --tool=callgrind, where timings mean nothing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifndef BENCH_COMPILER
#define BENCH_COMPILER "unknown"
#endif
#ifndef BENCH_FLAGS
#define BENCH_FLAGS "unknown"
#endif

typedef int64_t (*work_fn)(long n, int arg);

static double seconds = 0.3; /* per run */
static int runs = 5;
static long fixed_n;          /* BENCH_N: operations per run, no calibration */

/* Adapters to one signature. */
static int64_t a_await1(long n, int d) { (void)d; return acc_await_depth1(n); }
static int64_t b_await1(long n, int d) { (void)d; return base_await_depth1(n); }
static int64_t a_await8(long n, int d) { (void)d; return acc_await_depth8(n); }
static int64_t b_await8(long n, int d) { (void)d; return base_await_depth8(n); }
static int64_t a_event(long n, int d) { (void)d; return acc_pingpong_event(n); }
static int64_t b_event(long n, int d) { (void)d; return base_pingpong_event(n); }
static int64_t a_yield(long n, int d) { (void)d; return acc_pingpong_yield(n); }
static int64_t b_yield(long n, int d) { (void)d; return base_pingpong_yield(n); }
static int64_t h_yield(long n, int d) { (void)d; return libac_pingpong_yield(n); }
static int64_t a_wake(long n, int d) { return acc_wake_at_depth(n, d); }
static int64_t a_withc(long n, int d) { (void)d; return acc_with_class(n); }
static int64_t b_withc(long n, int d) { (void)d; return base_with_class(n); }
static int64_t a_witha(long n, int d) { (void)d; return acc_with_async(n); }
static int64_t h_witha(long n, int d) { (void)d; return libac_with_async(n); }
static int64_t a_withg(long n, int d) { (void)d; return acc_with_gen(n); }
static int64_t a_for(long n, int d) { (void)d; return acc_for_items(n); }
static int64_t b_for(long n, int d) { (void)d; return base_for_items(n); }
static int64_t a_xcb(long n, int d) { (void)d; return acc_exit_callbacks(n); }
static int64_t b_xcb(long n, int d) { (void)d; return base_exit_callbacks(n); }

/* Operations for one run of about `seconds`. */
static long calibrate(work_fn fn, int arg)
{
    if (fixed_n)
        return fixed_n;
    long n = 1000;
    for (;;) {
        int64_t ns = fn(n, arg);
        if (ns >= 20000000 || n >= (1L << 40)) {
            double per = (double)ns / (double)n;
            double want = seconds * 1e9 / (per > 0 ? per : 1);
            return want < 1000 ? 1000 : (long)want;
        }
        n *= 4;
    }
}

/* Best ns/op of `runs` runs of fa and of fb, alternating run by run. */
static void measure(work_fn fa, work_fn fb, double *besta, double *bestb)
{
    long na = calibrate(fa, 0);
    long nb = calibrate(fb, 0);
    for (int r = 0; r < runs; r++) {
        double a = (double)fa(na, 0) / (double)na;
        double b = (double)fb(nb, 0) / (double)nb;
        if (r == 0 || a < *besta)
            *besta = a;
        if (r == 0 || b < *bestb)
            *bestb = b;
    }
}

static void row(const char *name, double acc, double base, const char *note)
{
    printf("%-50s %10.2f %10.2f %7.2fx%s\n", name, acc, base, acc / base, note);
    fflush(stdout);
}

static int wanted(const char *filter, const char *name)
{
    return !filter || strstr(name, filter);
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    const char *s = getenv("BENCH_SECONDS");
    if (s && atof(s) > 0)
        seconds = atof(s);
    s = getenv("BENCH_RUNS");
    if (s && atoi(s) > 0)
        runs = atoi(s);
    s = getenv("BENCH_N");
    if (s && atol(s) > 0)
        fixed_n = atol(s);

    printf("acc benchmarks (issues 2, 3 and 5): best of %d runs of ~%.2f s each\n", runs, seconds);
    printf("compiler: %s; flags: %s\n", BENCH_COMPILER, BENCH_FLAGS);
    printf("\n%-50s %10s %10s %8s\n", "workload", "acc ns/op", "base ns/op", "ratio");

    static const struct {
        const char *name;
        work_fn acc, base;
        double goal; /* the ratio the issues ask for; 0: none */
    } pairs[] = {
        {"await, depth 1 (callee returns at once)", a_await1, b_await1, 1.3},
        {"await, depth 8 (per chain of 8 awaits)", a_await8, b_await8, 1.3},
        {"task switch: event ping-pong (per round trip)", a_event, b_event, 0},
        {"task switch: ac_sleep(0) yields (per round trip)", a_yield, b_yield, 0},
        /* the same yields against hand-written frames on libac's own
           scheduler: what the generated code adds to a task switch */
        {"task switch: yields, vs hand-written on libac", a_yield, h_yield, 1.3},
        /* issue 3: the baseline awaits (or calls) the same enter and exit
           directly, by hand */
        {"async with, async enter/exit that do not suspend", a_witha, h_witha, 1.5},
        {"async with, plain enter/exit (vs two calls)", a_withc, b_withc, 0},
        {"async with, @contextmanager (vs two calls)", a_withg, b_withc, 0},
        {"exit stack: callback push + unwind", a_xcb, b_xcb, 0},
        /* issue 5: per item, against a hand-written iterator */
        {"async for over a generator (per item)", a_for, b_for, 2.0},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (!wanted(filter, pairs[i].name))
            continue;
        double a = 0, b = 0;
        measure(pairs[i].acc, pairs[i].base, &a, &b);
        char note[40] = "";
        if (pairs[i].goal)
            snprintf(note, sizeof note, "  goal <= %.1fx: %s", pairs[i].goal,
                     a / b <= pairs[i].goal ? "met" : "MISSED");
        row(pairs[i].name, a, b, note);
    }

    /* BX-10: the baseline column is the same wake-up at depth 1, the ratio
     * is to depth 1; flat ratios pass.  The depths alternate run by run, like
     * the pairs above, so that drift of the machine hits all of them. */
    static const int depths[] = {1, 10, 100, 1000, 10000};
    enum { ND = sizeof depths / sizeof depths[0] };
    char names[ND][80];
    long counts[ND];
    double best[ND];
    int any = 0;
    for (int i = 0; i < ND; i++) {
        snprintf(names[i], sizeof names[i], "BX-10 wake-up at await depth %d (base: d = 1)", depths[i]);
        counts[i] = wanted(filter, names[i]) ? calibrate(a_wake, depths[i]) : 0;
        best[i] = 0;
        any |= counts[i] != 0;
    }
    for (int r = 0; any && r < runs; r++) {
        for (int i = 0; i < ND; i++) {
            if (!counts[i])
                continue;
            double a = (double)a_wake(counts[i], depths[i]) / (double)counts[i];
            if (r == 0 || a < best[i])
                best[i] = a;
        }
    }
    for (int i = 0; i < ND; i++) {
        if (!counts[i])
            continue;
        if (counts[0])
            row(names[i], best[i], best[0], "");
        else
            printf("%-50s %10.2f %10s %8s\n", names[i], best[i], "-", "-");
    }
    return 0;
}
