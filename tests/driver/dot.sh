#!/bin/sh
# State-graph test of one input: `acc --dot NAME.ac` must print NAME.dot
# byte for byte (the expected graph is written by hand from the source:
# which resume point can follow which).
#
# usage: dot.sh --acc ACC --scratch DIR [--run "WRAPPER"] tests/dot/NAME.ac
set -u

acc= scratch= run=
while [ $# -gt 1 ]; do
	case $1 in
	--acc) acc=$2 ;;
	--scratch) scratch=$2 ;;
	--run) run=$2 ;;
	*) echo "dot.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] && [ -n "$acc" ] && [ -n "$scratch" ] || { sed -n '6p' "$0" >&2; exit 2; }

src=$1
want=${src%.ac}.dot
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1
$run "$acc" "$src" --dot >"$scratch/got.dot" 2>"$scratch/stderr" || {
	echo "dot.sh: acc failed:" >&2
	cat "$scratch/stderr" >&2
	exit 1
}
diff -u "$want" "$scratch/got.dot" >&2 || exit 1
