#!/usr/bin/env bash
# Runs every test: installs what is missing, builds build/ and runs its whole
# suite, then builds build-asan/ (ASan+UBSan) and runs its suite but for the
# valgrind and install tests, then builds build-tsan/ (ThreadSanitizer) and
# runs the unit tests and the programs that start threads (label "thread").
# Ends with one line "N passed, N failed" (the three runs added up) and exits
# non-zero on any failure.  Incremental: a second run rebuilds only what
# changed.
set -u
cd "$(dirname "$0")/.." || exit 1
. scripts/deps.sh
ac_deps

passed=0 failed=0

# configure DIR ARGS...: configures DIR with Ninja the first time, as it is after.
configure() {
	local dir=$1; shift
	if [ -f "$dir/CMakeCache.txt" ]; then
		cmake -S . -B "$dir" "$@"
	else
		cmake -S . -B "$dir" -G Ninja "$@"
	fi
}

# suite DIR CTEST_ARGS...: builds DIR and runs its ctest, adding up the counts.
suite() {
	local dir=$1; shift
	echo "=== $dir: build"
	if ! cmake --build "$dir"; then
		echo "=== $dir: build failed"
		failed=$((failed + 1))
		return
	fi
	echo "=== $dir: ctest"
	ctest --test-dir "$dir" --output-on-failure -j2 "$@" 2>&1 | tee "$dir/ctest.log"
	# "100% tests passed, 0 tests failed out of 57"
	local line
	line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$dir/ctest.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "=== $dir: ctest gave no summary"
		failed=$((failed + 1))
		return
	fi
	local f t
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
	t=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
	passed=$((passed + t - f))
	failed=$((failed + f))
}

if configure build -DCMAKE_BUILD_TYPE=RelWithDebInfo; then
	suite build
else
	failed=$((failed + 1))
fi

if configure build-asan -DCMAKE_BUILD_TYPE=Debug -DAC_SANITIZE=ON; then
	suite build-asan -LE 'valgrind|install'
else
	failed=$((failed + 1))
fi

if configure build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAC_TSAN=ON; then
	suite build-tsan -L 'unit|thread'
else
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
