#!/bin/sh
# Golden test of the generated C for one input.
#
# usage: golden.sh --acc ACC --scratch DIR [--run "WRAPPER"] [--update] tests/golden/NAME.ac
#
# Copies NAME.ac and the headers beside it into DIR and runs there, with
# relative names so that #line paths are stable:
#   ACC NAME.ac -o NAME.c --header NAME.h
# (default options: #line directives on).  NAME.c must be byte for byte
# NAME.c.golden, and NAME.h NAME.h.golden when that file exists.  A second
# run must give the same bytes.  With --update, the outputs are copied over
# NAME.c.golden and NAME.h.golden instead (scripts/update-golden.sh).
set -u

acc= scratch= run= update=0
while [ $# -gt 1 ]; do
	case $1 in
	--acc) acc=$2 ;;
	--scratch) scratch=$2 ;;
	--run) run=$2 ;;
	--update) update=1; shift; continue ;;
	*) echo "golden.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] && [ -n "$acc" ] && [ -n "$scratch" ] || { sed -n '4p' "$0" >&2; exit 2; }

case $acc in /*) ;; */*) acc=$PWD/$acc ;; esac # it runs from another directory
dir=$(cd "$(dirname "$1")" && pwd)
name=$(basename "$1" .ac)

rm -rf "$scratch" && mkdir -p "$scratch" && scratch=$(cd "$scratch" && pwd) || exit 1
cp "$dir/$name.ac" "$scratch/" || exit 1
for h in "$dir"/*.h; do
	[ -f "$h" ] && cp "$h" "$scratch/"
done

generate() {
	# shellcheck disable=SC2086 # run is a command with its arguments
	(cd "$scratch" && exec $run "$acc" "$name.ac" -o "$name.c" --header "$name.h") ||
		{ echo "golden.sh: acc failed on $name.ac" >&2; exit 1; }
}

generate
mv "$scratch/$name.c" "$scratch/first.c" && mv "$scratch/$name.h" "$scratch/first.h" || exit 1
generate

ok=1
for ext in c h; do
	if ! cmp -s "$scratch/first.$ext" "$scratch/$name.$ext"; then
		echo "golden.sh: two runs gave different $name.$ext:" >&2
		diff -u "$scratch/first.$ext" "$scratch/$name.$ext" >&2
		ok=0
	fi
done
[ $ok -eq 1 ] || exit 1

if [ $update -eq 1 ]; then
	cp "$scratch/$name.c" "$dir/$name.c.golden" &&
		cp "$scratch/$name.h" "$dir/$name.h.golden" || exit 1
	exit 0
fi

for ext in c h; do
	golden=$dir/$name.$ext.golden
	if [ ! -f "$golden" ]; then
		[ "$ext" = h ] && continue
		echo "golden.sh: missing $golden: run scripts/update-golden.sh $name" >&2
		ok=0
		continue
	fi
	if ! cmp -s "$golden" "$scratch/$name.$ext"; then
		echo "golden.sh: $name.$ext differs from $name.$ext.golden (- golden, + actual);" >&2
		echo "golden.sh: if the change is intended, run scripts/update-golden.sh and review" >&2
		diff -u "$golden" "$scratch/$name.$ext" >&2
		ok=0
	fi
done
[ $ok -eq 1 ]
