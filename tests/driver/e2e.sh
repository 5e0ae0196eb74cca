#!/bin/sh
# End-to-end test of one program: generate, compile, run, compare.
#
# usage: e2e.sh --acc ACC --cc CC --include RUNTIME_INCLUDE_DIR --lib LIBAC_A
#               --scratch DIR [--cflags "FLAGS"] [--run "WRAPPER"] TEST
#
# TEST is either tests/e2e/NAME.ac (expected output NAME.out, optional exit
# status NAME.status beside it) or a directory tests/e2e/NAME/ whose .ac files
# (and plain .c files, if any) make one program (expected output
# NAME/expected.out, optional NAME/expected.status).  Expected status: 0.
#
# Each .ac is generated with `ACC F.ac -o DIR/F.c --header DIR/F.h -I TESTDIR
# -I DIR` (in name order; acc reads b.ac for an #include "b.h" not yet made).
# Everything is then compiled with `CC -std=c11 -Wall -Wextra -Wpedantic
# -Werror FLAGS -I TESTDIR -I RUNTIME_INCLUDE_DIR -I DIR`, linked with LIBAC_A
# and -pthread, and run (under WRAPPER, e.g. valgrind, when given) in DIR with
# stdin from /dev/null.  Its stdout must equal the expected output byte for
# byte and its exit status the expected status.
set -u

acc= cc= inc= lib= scratch= cflags= run=
while [ $# -gt 1 ]; do
	case $1 in
	--acc) acc=$2 ;;
	--cc) cc=$2 ;;
	--include) inc=$2 ;;
	--lib) lib=$2 ;;
	--scratch) scratch=$2 ;;
	--cflags) cflags=$2 ;;
	--run) run=$2 ;;
	*) echo "e2e.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] && [ -n "$acc" ] && [ -n "$cc" ] && [ -n "$inc" ] && [ -n "$lib" ] &&
	[ -n "$scratch" ] || { sed -n '4,5p' "$0" >&2; exit 2; }
test=$1

if [ -d "$test" ]; then
	dir=$(cd "$test" && pwd)
	acs=$(ls "$dir"/*.ac)
	cs=$(ls "$dir"/*.c 2>/dev/null)
	expected=$dir/expected.out
	status_file=$dir/expected.status
else
	dir=$(cd "$(dirname "$test")" && pwd)
	base=$(basename "$test" .ac)
	acs=$dir/$base.ac
	cs=
	expected=$dir/$base.out
	status_file=$dir/$base.status
fi
want_status=0
[ -f "$status_file" ] && want_status=$(cat "$status_file")
[ -f "$expected" ] || { echo "e2e.sh: missing $expected" >&2; exit 1; }

rm -rf "$scratch" && mkdir -p "$scratch" && scratch=$(cd "$scratch" && pwd) || exit 1

gens=
for f in $acs; do
	n=$(basename "$f" .ac)
	"$acc" "$f" -o "$scratch/$n.c" --header "$scratch/$n.h" -I "$dir" -I "$scratch" ||
		{ echo "e2e.sh: acc failed on $f" >&2; exit 1; }
	gens="$gens $scratch/$n.c"
done
# shellcheck disable=SC2086 # cflags and file lists are word lists
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror $cflags \
	-I "$dir" -I "$inc" -I "$scratch" -o "$scratch/prog" $gens $cs "$lib" -pthread -lm ||
	{ echo "e2e.sh: $cc failed" >&2; exit 1; }

# shellcheck disable=SC2086 # run is a command with its arguments
(cd "$scratch" && exec $run ./prog </dev/null >"$scratch/stdout")
status=$?

ok=1
if [ "$status" -ne "$want_status" ]; then
	echo "e2e.sh: exit status $status, expected $want_status" >&2
	ok=0
fi
if ! cmp -s "$expected" "$scratch/stdout"; then
	echo "e2e.sh: stdout differs from $expected (- expected, + actual):" >&2
	diff -u "$expected" "$scratch/stdout" >&2
	ok=0
fi
[ $ok -eq 1 ]
