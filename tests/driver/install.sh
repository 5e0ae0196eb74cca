#!/bin/sh
# Test of the installed package: install, then build and run consumers.
#
# usage: install.sh --build BUILD_DIR --source tests/install --scratch DIR
#                   [--generator CMAKE_GENERATOR] [--cmake CMAKE] [--cc CC]
#
#  1. cmake --install BUILD_DIR --prefix DIR/prefix, and check the layout.
#  2. Configure and build the consumer project (a copy of tests/install: it
#     uses find_package(acc) and ac_target_sources), run it: it prints 42.
#     A second build does nothing; touching its .ac, or a header acc read
#     for it (the installed ac/ac.h), regenerates its C.
#  3. Compile tests/install/plain.c with `CC plain.c $(pkg-config --cflags
#     --libs libac)` and run it.
set -u

build= source= scratch= generator= cmake=cmake cc=cc
while [ $# -gt 1 ]; do
	case $1 in
	--build) build=$2 ;;
	--source) source=$2 ;;
	--scratch) scratch=$2 ;;
	--generator) generator=$2 ;;
	--cmake) cmake=$2 ;;
	--cc) cc=$2 ;;
	*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ -n "$build" ] && [ -n "$source" ] && [ -n "$scratch" ] || { sed -n '4,5p' "$0" >&2; exit 2; }

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

step "consumer project with find_package(acc)"
cp -R "$source" "$scratch/src" || exit 1
set -- -S "$scratch/src" -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$prefix"
[ -n "$generator" ] && set -- "$@" -G "$generator"
"$cmake" "$@" >"$scratch/configure.log" ||
	{ cat "$scratch/configure.log"; fail "configuring the consumer failed"; }
"$cmake" --build "$scratch/consumer" || fail "building the consumer failed"
out=$("$scratch/consumer/twice") || fail "consumer failed"
[ "$out" = 42 ] || fail "consumer printed '$out', expected 42"

[ -f "$scratch/consumer/ac_gen/twice.c" ] || fail "no ac_gen/twice.c in the consumer's build"
rebuilt() { # did a build run acc on twice.ac (the command's COMMENT)?
	"$cmake" --build "$scratch/consumer" >"$scratch/build.log" ||
		{ cat "$scratch/build.log"; fail "rebuilding the consumer failed"; }
	grep -q 'acc twice\.ac' "$scratch/build.log"
}

rebuilt && fail "a second build ran acc again"
sleep 1 # let mtimes move on coarse file systems
touch "$scratch/src/twice.ac"
rebuilt || fail "touching twice.ac did not regenerate twice.c"
sleep 1
touch "$prefix/include/ac/ac.h"
rebuilt || fail "touching ac/ac.h (read by acc) did not regenerate twice.c"
"$scratch/consumer/twice" >/dev/null || fail "rebuilt consumer failed"

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
