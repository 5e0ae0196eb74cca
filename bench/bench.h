/* bench.h: what the benchmark's parts share (issue 2).
 *
 *   bench_acc.ac  the workloads written in AC, compiled by the in-tree acc
 *   baseline.c    the same workloads as hand-written C state machines with a
 *                 minimal hand-written scheduler
 *   event.c       bench_event, an awaitable event written in plain C against
 *                 the frame ABI (ac/frame.h), as a user would write one
 *   rt_helpers.c  bench_spawn: a second task through the runtime's INTERNAL
 *                 task API (runtime/src/task.h), since there is no public
 *                 spawn yet; it goes when task groups arrive
 *   main.c        calibration, best of 5, the table
 *
 * Every workload function runs `n` operations and returns the nanoseconds
 * they took (clock_gettime(CLOCK_MONOTONIC) around the measured loop only);
 * what it computes goes to bench_sink so that nothing is optimised away.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <ac/ac.h>

/* Monotonic clock in nanoseconds. */
int64_t bench_now_ns(void);

/* Results of the workloads land here. */
extern volatile long bench_sink;

/* ---------------------------------------------------------- event (event.c) */

/* A one-waiter event: bench_event_set() wakes the task blocked in
 * bench_event_wait(), or, if none waits, leaves the event set so that the
 * next wait returns at once (and clears it). */
typedef struct bench_event {
    int set;
    ac_frame *waiter; /* the blocked wait frame, or NULL */
} bench_event;

void bench_event_set(bench_event *e);

/*acc: async void bench_event_wait(bench_event *e); */
ac_coro *bench_event_wait(bench_event *e);
int bench_event_wait__await(ac_frame *caller, void *ret, bench_event *e);

/* ---------------------------------------------------------- spawn (rt_helpers.c) */

/* Start coroutine c as a task of its own on this thread's loop (from inside
 * a running task); *finished becomes 1 when its root returns.  The task and
 * the coroutine are freed then.  Uses runtime/src/task.h (internal API). */
void bench_spawn(ac_coro *c, int *finished);

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
 * and waits (an event each). */
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

#endif /* BENCH_H */
