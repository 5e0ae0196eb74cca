#!/bin/sh
# Test of the installed package: install, then build and run consumers.
#
# usage: install.sh --build BUILD_DIR --source tests/install --scratch DIR
#                   [--generator CMAKE_GENERATOR] [--cmake CMAKE] [--cc CC]
#                   [--docs docs/build.md]
#
#  1. cmake --install BUILD_DIR --prefix DIR/prefix, and check the layout.
#  2. Configure and build the consumer project (a copy of tests/install: it
#     uses find_package(acc) and ac_target_sources) twice, naming 3.16 and
#     3.20 in its cmake_minimum_required; run its programs: they print 42.
#     The library of lib/, whose .ac is PUBLIC, has its C compiled once (not
#     again into its consumer, user/).  A second build does nothing (with
#     Ninja, `ninja -n` has no work); touching one .ac regenerates its C and
#     that of the .ac files that await its functions (acc read it for their
#     declarations), and no other; touching a header acc read (the installed
#     ac/ac.h) regenerates the C that read it.  Projects that would generate
#     two .ac files as one file, or that do not enable C, must stop at
#     configuration with a message.  Then install the consumer
#     project (lib/'s library, by install(EXPORT)) and build
#     tests/install/downstream/ against it.
#  3. With --docs: build tests/install/pair/ with the Make rule of
#     docs/build.md, taken verbatim from that file (skipped without make).
#  4. Compile tests/install/plain.c with `CC plain.c $(pkg-config --cflags
#     --libs libac)` and run it.
set -u

build= source= scratch= generator= cmake=cmake cc=cc docs=
while [ $# -gt 1 ]; do
	case $1 in
	--build) build=$2 ;;
	--source) source=$2 ;;
	--scratch) scratch=$2 ;;
	--generator) generator=$2 ;;
	--cmake) cmake=$2 ;;
	--cc) cc=$2 ;;
	--docs) docs=$2 ;;
	*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ -n "$build" ] && [ -n "$source" ] && [ -n "$scratch" ] || { sed -n '4,6p' "$0" >&2; exit 2; }

fail() { echo "install.sh: $*" >&2; exit 1; }
step() { echo "== $*"; }

rm -rf "$scratch" && mkdir -p "$scratch" && scratch=$(cd "$scratch" && pwd) || exit 1
prefix=$scratch/prefix

step "install into $prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$scratch/install.log" ||
	{ cat "$scratch/install.log"; fail "cmake --install failed"; }
for f in bin/acc include/ac/ac.h lib/libac.a lib/libac.so lib/pkgconfig/libac.pc \
	lib/cmake/acc/accConfig.cmake lib/cmake/acc/accConfigVersion.cmake \
	lib/cmake/acc/AccFunctions.cmake; do
	[ -e "$prefix/$f" ] || fail "missing $f in the installed prefix"
done
"$prefix/bin/acc" --version || fail "acc --version failed"

cp -R "$source" "$scratch/src" || exit 1

# consumer VERSION: configure and build the consumer with
# cmake_minimum_required(VERSION VERSION) into $scratch/consumer-VERSION.
consumer() {
	dir=$scratch/consumer-$1
	step "consumer project with find_package(acc), cmake_minimum_required $1"
	set -- -S "$scratch/src" -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" -DACC_CONSUMER_CMAKE="$1"
	[ -n "$generator" ] && set -- "$@" -G "$generator"
	"$cmake" "$@" >"$dir.configure.log" 2>&1 ||
		{ cat "$dir.configure.log"; fail "configuring the consumer failed"; }
	"$cmake" --build "$dir" >"$dir.build.log" 2>&1 ||
		{ cat "$dir.build.log"; fail "building the consumer failed"; }
	for p in twice twice_again pair dotted addsub_main mutual user/use_meter; do
		out=$("$dir/$p") || fail "consumer $p failed"
		[ "$out" = 42 ] || fail "consumer $p printed '$out', expected 42"
	done
	if [ -x "$dir/cxx_user" ]; then
		out=$("$dir/cxx_user") || fail "consumer cxx_user failed"
		[ "$out" = 42 ] || fail "consumer cxx_user printed '$out', expected 42"
	fi
	[ -f "$dir/ac_gen/twice.c" ] || fail "no ac_gen/twice.c in the consumer's build"
	for f in proto.v1.c proto.v1.h proto.v2.c proto.v2.h; do
		[ -f "$dir/ac_gen/dotted/$f" ] || fail "no ac_gen/dotted/$f in the consumer's build"
	done
	n=$(grep -c 'Building C object .*ac_gen/meter\.c\.o' "$dir.build.log")
	[ "$n" = 1 ] || { cat "$dir.build.log"; fail "meter.c (PUBLIC in lib/) compiled $n times, expected once"; }
}

# rebuild: build the consumer again; its log is $dir.build.log
rebuild() {
	"$cmake" --build "$dir" >"$dir.build.log" 2>&1 ||
		{ cat "$dir.build.log"; fail "rebuilding the consumer failed"; }
}
# ran FILE: did the last rebuild run acc on FILE (the command's COMMENT)?
ran() { grep -q "\] acc $1\$" "$dir.build.log"; }

# The policies of the consumer's cmake_minimum_required must not matter: with
# 3.16 (CMP0116 unset) Ninja used to regenerate everything on every build.
for version in 3.16 3.20; do
	consumer $version
	rebuild
	grep -q '\] acc ' "$dir.build.log" && { cat "$dir.build.log"; fail "a second build ran acc again"; }
	if [ "$generator" = Ninja ]; then
		"$cmake" --build "$dir" -- -n -d explain >"$dir.explain.log" 2>&1
		grep -q 'no work to do' "$dir.explain.log" ||
			{ cat "$dir.explain.log"; fail "a third build would do work (ninja -n -d explain)"; }
	fi
	sleep 1 # let mtimes move on coarse file systems
	touch "$scratch/src/pair/app.ac"
	rebuild
	ran pair/app.ac || fail "touching pair/app.ac did not regenerate app.c"
	for other in pair/conn.ac twice.ac; do
		ran $other && { cat "$dir.build.log"; fail "touching pair/app.ac regenerated $other"; }
	done
	# acc reads conn.ac for the declarations of conn.h: app.c depends on it
	sleep 1
	touch "$scratch/src/pair/conn.ac"
	rebuild
	ran pair/conn.ac || fail "touching pair/conn.ac did not regenerate conn.c"
	ran pair/app.ac || fail "touching pair/conn.ac did not regenerate app.c (app.ac awaits conn.ac)"
	ran twice.ac && { cat "$dir.build.log"; fail "touching pair/conn.ac regenerated twice.ac"; }
	sleep 1
	touch "$scratch/src/twice.ac"
	rebuild
	ran twice.ac || fail "touching twice.ac did not regenerate twice.c"
	# ping.ac and pong.ac await each other: once ping.h existed, the depfile
	# of ping.c named it, and the next build stopped on a dependency cycle
	sleep 1
	touch "$scratch/src/mutual/ping.ac"
	rebuild
	ran mutual/ping.ac || fail "touching mutual/ping.ac did not regenerate ping.c"
	rebuild
	"$dir/mutual" >/dev/null || fail "mutual failed after ping.ac was regenerated"
	sleep 1
	touch "$prefix/include/ac/ac.h"
	rebuild
	ran twice.ac || fail "touching ac/ac.h (read by acc) did not regenerate twice.c"
	"$dir/twice" >/dev/null || fail "rebuilt consumer failed"
done

# Two .ac files that would be generated as one file (both outside the source
# directory: ac_gen/a.c) stop the configuration with a message naming both,
# rather than one of them being silently left out.
step "two .ac files generated as one: configuration stops"
clash=$scratch/clash
mkdir -p "$clash/x" "$clash/y" "$clash/p" && cp "$source/twice.ac" "$clash/x/a.ac" &&
	cp "$source/twice.ac" "$clash/y/a.ac" || exit 1
printf '%s\n' 'cmake_minimum_required(VERSION 3.20)' 'project(clash C)' \
	'find_package(acc REQUIRED)' 'add_executable(app)' \
	'ac_target_sources(app PRIVATE ../x/a.ac ../y/a.ac)' >"$clash/p/CMakeLists.txt"
set -- -S "$clash/p" -B "$clash/build" -DCMAKE_PREFIX_PATH="$prefix"
[ -n "$generator" ] && set -- "$@" -G "$generator"
"$cmake" "$@" >"$clash.log" 2>&1 && { cat "$clash.log"; fail "x/a.ac and y/a.ac, both made into ac_gen/a.c, were accepted"; }
tr -s ' \n' '  ' <"$clash.log" | grep -q 'y/a.ac and .*x/a.ac would both be generated as' ||
	{ cat "$clash.log"; fail "no message naming the two .ac files made into one"; }

# A project that enables only C++ is told to enable C, which acc generates
# (CMake would otherwise leave the generated C uncompiled without a word).
if command -v c++ >/dev/null; then
	step "a project without the C language: configuration stops"
	mkdir -p "$scratch/cxxonly" && cp "$source/cxx/half.ac" "$scratch/cxxonly/" || exit 1
	printf '%s\n' 'cmake_minimum_required(VERSION 3.20)' 'project(cxxonly CXX)' \
		'find_package(acc REQUIRED)' 'add_executable(app)' \
		'ac_target_sources(app PRIVATE half.ac)' >"$scratch/cxxonly/CMakeLists.txt"
	set -- -S "$scratch/cxxonly" -B "$scratch/cxxonly/build" -DCMAKE_PREFIX_PATH="$prefix"
	[ -n "$generator" ] && set -- "$@" -G "$generator"
	"$cmake" "$@" >"$scratch/cxxonly.log" 2>&1 &&
		{ cat "$scratch/cxxonly.log"; fail "a project without C was accepted"; }
	tr -s ' \n' '  ' <"$scratch/cxxonly.log" | grep -q 'the C language is not enabled' ||
		{ cat "$scratch/cxxonly.log"; fail "no message saying C is not enabled"; }
fi

# The meter library, installed by the consumer project with install(EXPORT),
# used by a project of its own.
step "install(EXPORT) of a library with a PUBLIC .ac, and a project using it"
"$cmake" --install "$dir" --prefix "$scratch/meter" >"$scratch/meter.log" 2>&1 ||
	{ cat "$scratch/meter.log"; fail "installing the consumer project failed"; }
set -- -S "$scratch/src/downstream" -B "$scratch/downstream" \
	-DCMAKE_PREFIX_PATH="$prefix;$scratch/meter"
[ -n "$generator" ] && set -- "$@" -G "$generator"
"$cmake" "$@" >"$scratch/downstream.log" 2>&1 && "$cmake" --build "$scratch/downstream" \
	>>"$scratch/downstream.log" 2>&1 ||
	{ cat "$scratch/downstream.log"; fail "building downstream/ against the installed meter failed"; }
out=$("$scratch/downstream/downstream") || fail "downstream failed"
[ "$out" = 42 ] || fail "downstream printed '$out', expected 42"

# The Make rule of docs/build.md, verbatim, on pair/ (app.ac includes the
# header generated from conn.ac, plain main.c includes app.h): a first
# build, a rebuild that does nothing, one after touching conn.ac, and one
# after changing the signature of app.ac's pair_sum, which must compile
# main.c again (a stale main.o would pass an int where a double is read).
if [ -n "$docs" ] && command -v make >/dev/null; then
	step "the Make rule of $docs"
	mk=$scratch/make
	cp -R "$source/pair" "$mk" || exit 1
	awk '/^## Make/ { in_make = 1 } in_make && /^```$/ { exit } in_make && body { print }
		in_make && /^```make$/ { body = 1 }' "$docs" >"$mk/Makefile"
	grep -q 'ACC' "$mk/Makefile" || fail "no Make rule found in $docs"
	PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -C "$mk" ACC="$prefix/bin/acc" ||
		fail "building with the documented Make rule failed"
	out=$("$mk/app") || fail "app built by Make failed"
	[ "$out" = 42 ] || fail "app built by Make printed '$out', expected 42"
	PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -q -C "$mk" ACC="$prefix/bin/acc" ||
		fail "a second make would do work"
	sleep 1
	touch "$mk/conn.ac"
	PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -C "$mk" ACC="$prefix/bin/acc" >"$mk.log" 2>&1 ||
		{ cat "$mk.log"; fail "make after touching conn.ac failed"; }
	grep -q 'acc conn.ac' "$mk.log" || { cat "$mk.log"; fail "touching conn.ac did not regenerate conn.c"; }
	"$mk/app" >/dev/null || fail "app rebuilt by Make failed"
	sleep 1
	sed 's/pair_sum(int x)/pair_sum(double x)/' "$mk/app.ac" >"$mk/app.ac.new" &&
		mv "$mk/app.ac.new" "$mk/app.ac" && grep -q 'pair_sum(double x)' "$mk/app.ac" ||
		fail "could not change pair_sum's signature in app.ac"
	PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -C "$mk" ACC="$prefix/bin/acc" >"$mk.log" 2>&1 ||
		{ cat "$mk.log"; fail "make after changing app.ac failed"; }
	grep -q 'main\.c' "$mk.log" ||
		{ cat "$mk.log"; fail "app.h was regenerated but main.c (which includes it) was not compiled again"; }
	out=$("$mk/app") || fail "app rebuilt by Make after changing app.ac failed"
	[ "$out" = 42 ] || fail "app rebuilt by Make after changing app.ac printed '$out', expected 42"
elif [ -n "$docs" ]; then
	echo "install.sh: make not found: the documented Make rule is not tested"
fi

step "plain C with pkg-config"
PKG_CONFIG_PATH=$prefix/lib/pkgconfig
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs libac) || fail "pkg-config libac failed"
echo "$cc plain.c $flags"
# shellcheck disable=SC2086 # flags is a word list
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$scratch/plain" \
	"$source/plain.c" $flags || fail "compiling plain.c failed"
"$scratch/plain" || fail "plain failed"
echo "install test passed"
