/* main.c: the benchmark driver (issues 2 to 5).  Reported, never asserted:
 * no test runs this program.
 *
 * Each timed measurement first calibrates its operation count so that one
 * run takes about BENCH_SECONDS (default 0.3 s), unless the row fixes the
 * count (spawn and join: 1,000,000 tasks), then runs BENCH_RUNS times
 * (default 5) and keeps the best ns per operation.  The acc workload, its
 * hand-written baseline and, where there is one, its C++20 coroutine
 * version alternate run by run, so that drift of the machine hits all of
 * them.  Each row runs in a process of its own, started from a fresh
 * heap (measure_fresh()), and a run of the 1M-task rows is a forked
 * process of its own again, that warms up and then times (isolated()).
 * Prints one table: workload, ns/op of each version, acc/baseline and
 * acc/C++; then the memory of 1,000,000 tasks waiting on one event,
 * measured once per version.
 *
 *   bench [FILTER]    run only the workloads whose name contains FILTER
 *
 * Environment: BENCH_SECONDS, BENCH_RUNS, and BENCH_N (a fixed operation
 * count per run instead of calibrating, and the task count of the 1M-task
 * rows: for instruction counts under valgrind --tool=callgrind, where
 * timings mean nothing); BENCH_ONLY=acc, base or cxx runs that column
 * alone (the others print "-"), so that a profile holds one version.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, sysconf under -std=c11 */
#include <fcntl.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim, mallopt */
#endif

#ifndef BENCH_COMPILER
#define BENCH_COMPILER "unknown"
#endif
#ifndef BENCH_FLAGS
#define BENCH_FLAGS "unknown"
#endif

/* The C++ column exists only when CMake found a C++ compiler that takes
 * -std=c++20 -fcoroutines; otherwise its cells say "n/a". */
#ifdef BENCH_CXX
#define CXX(fn) (fn)
#else
#define CXX(fn) NULL
#endif

volatile long bench_sink;

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Read without stdio, so that the probe itself allocates nothing. */
int64_t bench_rss_bytes(void)
{
    char buf[128];
    int fd = open("/proc/self/statm", O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t len = read(fd, buf, sizeof buf - 1);
    close(fd);
    long size, resident;
    if (len <= 0)
        return -1;
    buf[len] = '\0';
    if (sscanf(buf, "%ld %ld", &size, &resident) != 2)
        return -1;
    return (int64_t)resident * sysconf(_SC_PAGESIZE);
}

typedef int64_t (*work_fn)(long n, int arg);
typedef int64_t (*rss_fn)(long n, long *frame_bytes);

static double seconds = 0.3; /* per run */
static int runs = 5;
static long fixed_n;          /* BENCH_N: operations per run, no calibration */
static int only = -1;         /* BENCH_ONLY: the one version to run, or -1 */

enum { MILLION = 1000000 };

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
static int64_t a_spawn(long n, int d) { (void)d; return acc_spawn_join(n); }
static int64_t b_spawn(long n, int d) { (void)d; return base_spawn_join(n); }
/* n round trips wake each task once: per wake-up, half of it */
static int64_t a_wakev(long n, int d) { return acc_wake_event(n, d) / 2; }
static int64_t b_wakev(long n, int d) { return base_wake_event(n, d) / 2; }
#ifdef BENCH_CXX
static int64_t c_event(long n, int d) { (void)d; return cxx_pingpong_event(n); }
static int64_t c_spawn(long n, int d) { (void)d; return cxx_spawn_join(n); }
static int64_t c_wakev(long n, int d) { return cxx_wake_event(n, d) / 2; }
#endif

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

enum { NV = 3 }; /* versions: acc, baseline, C++ */

/* What one isolated run does: n operations to warm up (the allocator's
 * lists and pages as in a long run), then n timed. */
static int64_t isolated_body(work_fn fn, int arg, long n)
{
    fn(n, arg);
    return fn(n, arg);
}

/* Run body(ctx, out) in a child process and read the `size` bytes it left
 * in `out` back here.  False if the child could not run or report. */
static bool in_child(void (*body)(void *ctx, void *out), void *ctx, void *out, size_t size)
{
    int fd[2];
    if (pipe(fd) != 0)
        return false;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        body(ctx, out);
        _exit(write(fd[1], out, size) == (ssize_t)size ? 0 : 1);
    }
    close(fd[1]);
    bool ok = pid >= 0 && read(fd[0], out, size) == (ssize_t)size;
    close(fd[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return ok;
}

struct run_args {
    work_fn fn;
    int arg;
    long n;
};

/* The warm-up is wasted if malloc gives its pages back when the
 * warm-up's million frees consolidate at the top of its heap: glibc trims
 * that top, and the timed pass of a version whose objects come from malloc
 * (the baseline's tasks) then faults every page in again, 400 ns per task
 * of page faults instead of the work.  Whether it happens depends on what
 * else lies at the top of the heap (the C++ version escaped it), so trimming
 * is off here for every version: acc's pool keeps its slabs anyway. */
static void keep_heap(void)
{
#ifdef __GLIBC__
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

static void isolated_child(void *ctx, void *out)
{
    struct run_args *a = ctx;
    keep_heap();
    *(int64_t *)out = isolated_body(a->fn, a->arg, a->n);
}

/* isolated_body in a child process, so that one version's heap (the
 * pages and free lists its allocator keeps) is not the next version's
 * starting point: each version runs on a heap of its own.  -1 if the child
 * failed.  With BENCH_N (callgrind) it runs here, without the warm-up. */
static int64_t isolated(work_fn fn, int arg, long n)
{
    if (fixed_n)
        return fn(n, arg);
    struct run_args a = {fn, arg, n};
    int64_t r;
    return in_child(isolated_child, &a, &r, sizeof r) ? r : -1;
}

/* Best ns/op of `runs` runs of each version present (fn[v] not NULL),
 * alternating run by run.  `count`: a fixed operation count (the 1M-task
 * rows: each run is then a process of its own, see isolated()), or 0
 * (calibrated, every run in the row's process: a fork per run would only
 * add noise to these rows, whose work allocates nothing per operation). */
static void measure(work_fn fn[NV], int arg, long count, double best[NV])
{
    long n[NV];
    for (int v = 0; v < NV; v++) {
        n[v] = !fn[v] ? 0 : count ? (fixed_n ? fixed_n : count) : calibrate(fn[v], arg);
        best[v] = -1; /* none yet */
    }
    for (int r = 0; r < runs; r++) {
        for (int v = 0; v < NV; v++) {
            if (!fn[v] || n[v] <= 0)
                continue;
            int64_t ns = count ? isolated(fn[v], arg, n[v]) : fn[v](n[v], arg);
            double x = (double)ns / (double)n[v];
            if (ns >= 0 && (best[v] < 0 || x < best[v]))
                best[v] = x;
        }
    }
}

struct row_args {
    work_fn *fn;
    int arg;
    long count;
};

static void measure_child(void *ctx, void *out)
{
    struct row_args *a = ctx;
    measure(a->fn, a->arg, a->count, out);
}

/* measure() in a process of its own: each row starts from the heap of a
 * program that has done nothing yet, not from where the rows before it
 * left the pool's slabs and malloc's chunks.  Where a row's objects fall in
 * their pages depends on that history, and so, through 4K aliasing (a load
 * waits for an older store to another object whose address has the same
 * low 12 bits), does its time: the wake-up at depth 1 measured 0.89x of
 * C++ alone and 1.08x after the other rows, with the main task's frame
 * over the child's task at the same page offset.  Under BENCH_N
 * (callgrind) it runs here. */
static void measure_fresh(work_fn fn[NV], int arg, long count, double best[NV])
{
    struct row_args a = {fn, arg, count};
    if (fixed_n)
        measure(fn, arg, count, best);
    else if (!in_child(measure_child, &a, best, NV * sizeof *best))
        for (int v = 0; v < NV; v++)
            best[v] = -1; /* its process failed: "-" */
}

/* A cell: the value, or "-" (no such version) or "n/a" (no C++ compiler). */
static void cell(double x, bool present, bool missing, const char *fmt)
{
    if (present)
        printf(fmt, x);
    else
        printf(" %10s", missing ? "n/a" : "-");
}

static void ratio(double a, double b, bool present)
{
    if (present && b > 0)
        printf(" %8.2fx", a / b);
    else
        printf(" %9s", "-");
}

/* One line of the table; cxx_row: the row has a C++ version (which may be
 * missing from this build). */
static void row(const char *name, const double v[NV], const bool present[NV], bool cxx_row,
                const char *fmt, const char *note)
{
    printf("%-50s", name);
    cell(v[0], present[0], false, fmt);
    cell(v[1], present[1], false, fmt);
    cell(v[2], present[2], cxx_row && !present[2], fmt);
    ratio(v[0], v[1], present[0] && present[1]);
    ratio(v[0], v[2], present[0] && present[2]);
    printf("%s\n", note);
    fflush(stdout);
}

static int wanted(const char *filter, const char *name)
{
    return !filter || strstr(name, filter);
}

/* The rows of acc against the baseline (and C++). */
static void timed_rows(const char *filter)
{
    static const struct {
        const char *name;
        work_fn fn[NV];    /* acc, baseline, C++ (NULL: none) */
        bool cxx;          /* has a C++ version */
        int arg;
        long count;        /* a fixed operation count, 0: calibrate */
        double goal;       /* the ratio to the baseline the issues ask for; 0: none */
    } rows[] = {
        {"await, depth 1 (callee returns at once)", {a_await1, b_await1, NULL}, false, 0, 0, 1.3},
        {"await, depth 8 (per chain of 8 awaits)", {a_await8, b_await8, NULL}, false, 0, 0, 1.3},
        {"task switch: event ping-pong (per round trip)", {a_event, b_event, CXX(c_event)}, true,
         0, 0, 0},
        {"task switch: ac_sleep(0) yields (per round trip)", {a_yield, b_yield, NULL}, false, 0,
         0, 0},
        /* the same yields against hand-written frames on libac's own
           scheduler: what the generated code adds to a task switch */
        {"task switch: yields, vs hand-written on libac", {a_yield, h_yield, NULL}, false, 0, 0,
         1.3},
        /* issue 3: the baseline awaits (or calls) the same enter and exit
           directly, by hand */
        {"async with, async enter/exit that do not suspend", {a_witha, h_witha, NULL}, false, 0,
         0, 1.5},
        {"async with, plain enter/exit (vs two calls)", {a_withc, b_withc, NULL}, false, 0, 0, 0},
        {"async with, @contextmanager (vs two calls)", {a_withg, b_withc, NULL}, false, 0, 0, 0},
        {"exit stack: callback push + unwind", {a_xcb, b_xcb, NULL}, false, 0, 0, 0},
        /* issue 5: per item, against a hand-written iterator */
        {"async for over a generator (per item)", {a_for, b_for, NULL}, false, 0, 0, 2.0},
        /* issue 4: task groups and events */
        {"spawn + complete + join, 1M tasks (per task)", {a_spawn, b_spawn, CXX(c_spawn)}, true,
         0, MILLION, 0},
        {"event wake-up at await depth 1 (per wake-up)", {a_wakev, b_wakev, CXX(c_wakev)}, true,
         1, 0, 0},
        {"event wake-up at await depth 8 (per wake-up)", {a_wakev, b_wakev, CXX(c_wakev)}, true,
         8, 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!wanted(filter, rows[i].name))
            continue;
        double v[NV] = {0, 0, 0};
        bool present[NV];
        work_fn fn[NV];
        for (int k = 0; k < NV; k++) {
            fn[k] = only < 0 || only == k ? rows[i].fn[k] : NULL;
            present[k] = fn[k] != NULL;
        }
        measure_fresh(fn, rows[i].arg, rows[i].count, v);
        for (int k = 0; k < NV; k++)
            present[k] = present[k] && v[k] >= 0; /* its process failed: "-" */
        char note[40] = "";
        if (rows[i].goal)
            snprintf(note, sizeof note, "  goal <= %.1fx: %s", rows[i].goal,
                     v[0] / v[1] <= rows[i].goal ? "met" : "MISSED");
        row(rows[i].name, v, present, rows[i].cxx, " %10.2f", note);
    }
}

/* BX-10: the baseline column is the same wake-up at depth 1, the ratio is
 * to depth 1; flat ratios pass.  The depths alternate run by run, like the
 * rows above, so that drift of the machine hits all of them. */
static void bx10_rows(const char *filter)
{
    static const int depths[] = {1, 10, 100, 1000, 10000};
    enum { ND = sizeof depths / sizeof depths[0] };
    char names[ND][80];
    long counts[ND];
    double best[ND];
    int any = 0;
    for (int i = 0; i < ND; i++) {
        snprintf(names[i], sizeof names[i], "BX-10 wake-up at await depth %d (base: d = 1)", depths[i]);
        counts[i] = wanted(filter, names[i]) ? calibrate(a_wake, depths[i]) : 0;
        best[i] = -1;
        any |= counts[i] > 0;
    }
    for (int r = 0; any && r < runs; r++) {
        for (int i = 0; i < ND; i++) {
            if (counts[i] <= 0)
                continue;
            int64_t ns = a_wake(counts[i], depths[i]);
            double a = (double)ns / (double)counts[i];
            if (ns >= 0 && (best[i] < 0 || a < best[i]))
                best[i] = a;
        }
    }
    for (int i = 0; i < ND; i++) {
        if (counts[i] <= 0 || best[i] < 0)
            continue;
        double v[NV] = {best[i], counts[0] > 0 ? best[0] : 0, 0};
        bool present[NV] = {true, counts[0] > 0 && best[0] >= 0, false};
        row(names[i], v, present, false, " %10.2f", "");
    }
}

/* Give the heap's free memory back to the system, so that the next
 * workload's growth of the resident set is its own (earlier rows freed
 * millions of chunks that malloc would otherwise reuse, resident). */
static void trim_heap(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* n tasks waiting on one event, once per version: the growth of the
 * resident set per task, the task's own frame, and what lies beyond it. */
static void memory_rows(const char *filter)
{
    static const char *names[] = {
        "1M tasks waiting on one event: RSS per task (B)",
        "  the task's own frame (bytes)",
        "  per task beyond its frame (bytes)",
    };
    if (!wanted(filter, names[0]))
        return;
    if (bench_rss_bytes() < 0) {
        printf("\n%s: n/a (cannot read /proc/self/statm)\n", names[0]);
        return;
    }
    rss_fn fn[NV] = {acc_waiters_rss, base_waiters_rss, CXX(cxx_waiters_rss)};
    long n = fixed_n ? fixed_n : MILLION;
    double per[NV] = {0, 0, 0}, frame[NV] = {0, 0, 0}, beyond[NV] = {0, 0, 0};
    bool present[NV];
    for (int v = 0; v < NV; v++) {
        present[v] = fn[v] != NULL && (only < 0 || only == v);
        if (!present[v])
            continue;
        long fb = 0;
        trim_heap();
        int64_t grown = fn[v](n, &fb);
        per[v] = (double)grown / (double)n;
        frame[v] = (double)fb;
        beyond[v] = per[v] - frame[v];
    }
    char note[48];
    snprintf(note, sizeof note, "  goal < 200 B (acc): %s", beyond[0] < 200 ? "met" : "MISSED");
    printf("\n%-50s %10s %10s %10s %9s %9s\n", "memory (bytes per task)", "acc", "base", "C++",
           "acc/base", "acc/C++");
    row(names[0], per, present, true, " %10.0f", "");
    row(names[1], frame, present, true, " %10.0f", "");
    row(names[2], beyond, present, true, " %10.0f", present[0] ? note : "");
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
    s = getenv("BENCH_ONLY");
    for (int v = 0; s && v < NV; v++)
        if (!strcmp(s, (const char *[]){"acc", "base", "cxx"}[v]))
            only = v;

    printf("acc benchmarks (issues 2 to 5): best of %d runs of ~%.2f s each\n", runs, seconds);
    printf("compiler: %s; flags: %s\n", BENCH_COMPILER, BENCH_FLAGS);
#ifdef BENCH_CXX
    printf("C++ column: %s; flags: %s\n", BENCH_CXX_COMPILER, BENCH_CXX_FLAGS);
#else
    printf("C++ column: n/a (no C++ compiler taking -std=c++20 -fcoroutines)\n");
#endif
    printf("\n%-50s %10s %10s %10s %9s %9s\n", "workload (ns per operation)", "acc", "base", "C++",
           "acc/base", "acc/C++");
    timed_rows(filter);
    bx10_rows(filter);
    memory_rows(filter);
    return 0;
}
