/* bench.h: what the benchmark's parts share (issues 2 to 5).
 *
 *   bench_acc.ac  the workloads written in AC, compiled by the in-tree acc
 *   baseline.c    the same workloads as hand-written C state machines with a
 *                 minimal hand-written scheduler
 *   handwritten.c hand-written frames on libac itself (yields, async with)
 *   cxx_coro.cpp  the task-group and event workloads (issue 4) in C++20
 *                 coroutines, when a C++ compiler takes -std=c++20
 *                 -fcoroutines (bench_cxx.h; main.c then sees BENCH_CXX)
 *   main.c        calibration, best of 5, the table; the clock, the sink and
 *                 the RSS probe
 *
 * Every timed workload function runs `n` operations and returns the
 * nanoseconds they took (clock_gettime(CLOCK_MONOTONIC) around the measured
 * loop only); what it computes goes to bench_sink so that nothing is
 * optimised away.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <ac/ac.h>

#include "bench_cxx.h" /* bench_now_ns, bench_sink, bench_rss_bytes */

/* ---------------------------------------------------------- workloads */

/* The yield ping-pong as hand-written frames on libac (handwritten.c). */
int64_t libac_pingpong_yield(long n);

/* ns for n awaits of an async function that returns at once (depth 1). */
int64_t acc_await_depth1(long n);
int64_t base_await_depth1(long n);

/* ns for n awaits of a chain of 8 nested async functions whose innermost
 * returns at once: each operation is 8 awaits. */
int64_t acc_await_depth8(long n);
int64_t base_await_depth8(long n);

/* ns for n round trips between two tasks: A wakes B and waits, B wakes A
 * and waits (an event each, set, waited for, cleared). */
int64_t acc_pingpong_event(long n);
int64_t base_pingpong_event(long n);

/* ns for n round trips of two tasks that both yield (await ac_sleep(0)):
 * each round trip is one yield of each task. */
int64_t acc_pingpong_yield(long n);
int64_t base_pingpong_yield(long n);

/* ---------------------------------------------------------- managers (issue 3) */

/* The state behind the benchmark's manager (managers.c). */
typedef struct bench_counter {
    long value;
    long entered, exited;
} bench_counter;

/* Plain enter and exit of bench_class: count, hand out &value. */
void *bench_enter(void *self, ac_error **raise);
bool bench_exit(void *self, ac_error *err, ac_error **raise);
extern const ac_cm_class bench_class;

/* Async enter and exit that do not suspend (bench_mgr.ac), and their class
 * (through their await entries). */
/*acc: async void *bm_enter(void *self); */
ac_coro *bm_enter(void *self);
int bm_enter__await(ac_frame *caller, void *ret, void *self);
/*acc: async bool bm_exit(void *self, ac_error *err); */
ac_coro *bm_exit(void *self, ac_error *err);
int bm_exit__await(ac_frame *caller, void *ret, void *self, ac_error *err);
extern const ac_cm_class bench_aclass;

/* ns for n `async with` blocks on bench_aclass, against a hand-written
 * state machine awaiting bm_enter and bm_exit directly (handwritten.c). */
int64_t acc_with_async(long n);
int64_t libac_with_async(long n);

/* A plain exit-stack callback: increments the long at args. */
void bench_callback(void *args, ac_error **raise);

/* ns for n `async with` blocks on a class-style manager with plain enter
 * and exit (bench_class), against calling bench_enter and bench_exit. */
int64_t acc_with_class(long n);
int64_t base_with_class(long n);

/* ns for n `async with` blocks on a @contextmanager that calls bench_enter
 * before its yield and bench_exit after it (no suspension). */
int64_t acc_with_gen(long n);

/* ns per exit-stack callback: n registrations, then one unwind; against a
 * hand-written growable array of callbacks run last first. */
int64_t acc_exit_callbacks(long n);
int64_t base_exit_callbacks(long n);

/* ---------------------------------------------------------- async for (issue 5) */

/* ns per item: `async for` over a generator yielding 0..n-1 without
 * suspending, against a hand-written iterator (a struct and a next
 * function, in another file) looped over in C. */
int64_t acc_for_items(long n);
int64_t base_for_items(long n);

/* The hand-written iterator of base_for_items (managers.c). */
typedef struct bench_iter {
    long i, n;
} bench_iter;
bool bench_iter_next(bench_iter *it, long *item);

/* BX-10: ns for n wake-ups of a task whose innermost frame, at await depth
 * `depth`, yields with ac_sleep(0). */
int64_t acc_wake_at_depth(long n, int depth);

/* ---------------------------------------------------------- task groups (issue 4) */

/* ns for spawning n children that return without suspending into a task
 * group and joining them (the group's creation and exit included). */
int64_t acc_spawn_join(long n);
int64_t base_spawn_join(long n);

/* Spawns n children that each wait on one event and returns the growth of
 * the resident set, in bytes, once all of them wait; *frame_bytes is the
 * size of one child's own frame. */
int64_t acc_waiters_rss(long n, long *frame_bytes);
int64_t base_waiters_rss(long n, long *frame_bytes);

/* ns for n round trips between two tasks whose waits sit at await depth
 * `depth` (each round trip wakes each task once through an event). */
int64_t acc_wake_event(long n, int depth);
int64_t base_wake_event(long n, int depth);

#endif /* BENCH_H */
