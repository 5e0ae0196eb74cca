#!/bin/sh
# Runs a built program and checks its stdout and exit status.
#
# usage: run.sh [--expect FILE] [--status N] PROGRAM
#
# Without --expect the output is not checked; the expected status is 0.
set -u

expect= want_status=0
while [ $# -gt 1 ]; do
	case $1 in
	--expect) expect=$2 ;;
	--status) want_status=$2 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] || { sed -n '4p' "$0" >&2; exit 2; }

out=${TMPDIR:-/tmp}/run.$$.out
trap 'rm -f "$out"' EXIT
"$1" </dev/null >"$out"
status=$?
cat "$out"

ok=1
if [ "$status" -ne "$want_status" ]; then
	echo "run.sh: exit status $status, expected $want_status" >&2
	ok=0
fi
if [ -n "$expect" ] && ! cmp -s "$expect" "$out"; then
	echo "run.sh: stdout differs from $expect (- expected, + actual):" >&2
	diff -u "$expect" "$out" >&2
	ok=0
fi
[ $ok -eq 1 ]
