/* bench_cxx.h: what the C++ column (cxx_coro.cpp) shares with the C parts
 * of the benchmark, in C linkage and without libac's headers (they are C):
 * the clock, the sink, the RSS probe (main.c), and the C++ workloads.
 * bench.h includes it.  cxx_coro.cpp is compiled only when CMake found a C++
 * compiler that takes -std=c++20 -fcoroutines; main.c then sees BENCH_CXX.
 */
#ifndef BENCH_CXX_H
#define BENCH_CXX_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Monotonic clock in nanoseconds. */
int64_t bench_now_ns(void);

/* Results of the workloads land here. */
extern volatile long bench_sink;

/* The process's resident set now, in bytes (/proc/self/statm); -1 if it
 * cannot be read. */
int64_t bench_rss_bytes(void);

/* The C++20 coroutine versions of the workloads of the same names in
 * bench.h (acc_..., base_...): a coroutine type and a FIFO scheduler of
 * the benchmark's own, in cxx_coro.cpp. */
int64_t cxx_spawn_join(long n);
int64_t cxx_waiters_rss(long n, long *frame_bytes);
int64_t cxx_pingpong_event(long n);
int64_t cxx_wake_event(long n, int depth);

#ifdef __cplusplus
}
#endif
#endif /* BENCH_CXX_H */
