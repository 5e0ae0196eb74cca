#!/bin/sh
# bench/run.sh: build the benchmarks in Release with -O2 and run them.
#
#   bench/run.sh [FILTER]      FILTER: run only workloads whose name contains it
#
# Environment: BUILD (build directory, default build-bench/, which .gitignore
# covers), CC and CXX (compilers), BENCH_SECONDS (per run, default 0.3),
# BENCH_RUNS (default 5), BENCH_CPU (CPU to pin to with taskset; default:
# the last one; "none" to not pin).  Reported, never asserted: the exit
# status says only whether it built and ran.
#
# The C++20 coroutine column needs g++: installed here when missing
# (scripts/deps.sh, ac_bench_deps: as root, else it says what to run).
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-build-bench}
. scripts/deps.sh
ac_bench_deps

# Release with -O2 (CMake's Release default is -O3) for C and C++, every
# time: the flags are re-applied to an existing build directory.  CC and CXX
# count only when the directory is first configured.
gen=""
[ -f "$build/CMakeCache.txt" ] || ! command -v ninja >/dev/null 2>&1 || gen="-G Ninja"
cmake -S . -B "$build" $gen -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
	-DAC_SANITIZE=OFF -DAC_VALGRIND=OFF >/dev/null
cmake --build "$build" --target bench >/dev/null

cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
echo "compiler: $cc: $("$cc" --version | head -n 1)"
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
if grep -q '^BENCH_CXX_COROUTINES:INTERNAL=1' "$build/CMakeCache.txt"; then
	echo "C++ column: $cxx: $("$cxx" --version | head -n 1), -std=c++20 -fcoroutines $(sed -n 's/^CMAKE_CXX_FLAGS_RELEASE:[A-Z]*=//p' "$build/CMakeCache.txt")"
else
	echo "C++ column: n/a (no C++ compiler taking -std=c++20 -fcoroutines)"
fi
echo "libac and generated code: CMAKE_BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt"), CMAKE_C_FLAGS_RELEASE=$(sed -n 's/^CMAKE_C_FLAGS_RELEASE:[A-Z]*=//p' "$build/CMakeCache.txt")"
echo "machine: $(uname -srm), $(grep -c ^processor /proc/cpuinfo 2>/dev/null || echo '?') CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"

pin=""
cpu=${BENCH_CPU:-}
if [ "$cpu" != none ] && command -v taskset >/dev/null 2>&1; then
	[ -n "$cpu" ] || cpu=$(($(grep -c ^processor /proc/cpuinfo) - 1))
	pin="taskset -c $cpu"
	echo "pinned to CPU $cpu"
fi
echo
exec $pin "$build/bench/bench" "$@"
