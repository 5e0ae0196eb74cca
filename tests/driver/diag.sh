#!/bin/sh
# Diagnostics test of one malformed input.
#
# usage: diag.sh --acc ACC --scratch DIR [--run "WRAPPER"] tests/diag/NAME.ac
#
# Runs, from the directory of NAME.ac (so that messages say `NAME.ac:L:C:`),
#   ACC NAME.ac -o DIR/NAME.c --header DIR/NAME.h
# (under WRAPPER, e.g. valgrind, when given) and checks that
#   - its stderr is byte for byte NAME.err,
#   - its exit status is 1 (or the number in NAME.status, for warnings),
#   - when it fails, the output files that existed before are left untouched.
set -u

acc= scratch= run=
while [ $# -gt 1 ]; do
	case $1 in
	--acc) acc=$2 ;;
	--scratch) scratch=$2 ;;
	--run) run=$2 ;;
	*) echo "diag.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] && [ -n "$acc" ] && [ -n "$scratch" ] || { sed -n '4p' "$0" >&2; exit 2; }

case $acc in /*) ;; */*) acc=$PWD/$acc ;; esac # it runs from another directory
dir=$(cd "$(dirname "$1")" && pwd)
name=$(basename "$1" .ac)
want_status=1
[ -f "$dir/$name.status" ] && want_status=$(cat "$dir/$name.status")
[ -f "$dir/$name.err" ] || { echo "diag.sh: missing $dir/$name.err" >&2; exit 1; }

rm -rf "$scratch" && mkdir -p "$scratch" && scratch=$(cd "$scratch" && pwd) || exit 1
echo "left untouched" >"$scratch/before"
cp "$scratch/before" "$scratch/$name.c"
cp "$scratch/before" "$scratch/$name.h"

# shellcheck disable=SC2086 # run is a command with its arguments
(cd "$dir" && exec $run "$acc" "$name.ac" -o "$scratch/$name.c" \
	--header "$scratch/$name.h" 2>"$scratch/stderr" >"$scratch/stdout")
status=$?

ok=1
if [ "$status" -ne "$want_status" ]; then
	echo "diag.sh: exit status $status, expected $want_status" >&2
	ok=0
fi
if ! cmp -s "$dir/$name.err" "$scratch/stderr"; then
	echo "diag.sh: stderr differs from $name.err (- expected, + actual):" >&2
	diff -u "$dir/$name.err" "$scratch/stderr" >&2
	ok=0
fi
if [ "$status" -ne 0 ]; then
	for out in "$name.c" "$name.h"; do
		if ! cmp -s "$scratch/before" "$scratch/$out"; then
			echo "diag.sh: acc failed but changed $out" >&2
			ok=0
		fi
	done
	leftovers=$(ls -A "$scratch" | grep -v -x -e before -e stderr -e stdout -e "$name.c" -e "$name.h")
	if [ -n "$leftovers" ]; then
		echo "diag.sh: acc failed but left files behind: $leftovers" >&2
		ok=0
	fi
fi
[ $ok -eq 1 ]
