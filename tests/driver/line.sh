#!/bin/sh
# #line test of one input: C compiler errors point at the .ac lines.
#
# usage: line.sh --acc ACC --cc CC --include RUNTIME_INCLUDE_DIR --scratch DIR tests/line/NAME.ac
#
# NAME.ac is valid for acc but not for a C compiler: each line that holds a
# deliberate error (an undeclared identifier) ends with the comment
# `/* error */`.  From the directory of NAME.ac (so that #line says NAME.ac):
#   ACC NAME.ac -o DIR/NAME.c --header DIR/NAME.h
#   CC -std=c11 -fsyntax-only -I RUNTIME_INCLUDE_DIR -I DIR DIR/NAME.c
# acc must succeed, CC must fail, and the places of CC's errors (FILE:LINE,
# each once) must be exactly NAME.ac at the marked lines: none in the
# generated C, none a line away.
set -u

acc= cc= inc= scratch=
while [ $# -gt 1 ]; do
	case $1 in
	--acc) acc=$2 ;;
	--cc) cc=$2 ;;
	--include) inc=$2 ;;
	--scratch) scratch=$2 ;;
	*) echo "line.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] && [ -n "$acc" ] && [ -n "$cc" ] && [ -n "$inc" ] && [ -n "$scratch" ] ||
	{ sed -n '4p' "$0" >&2; exit 2; }

case $acc in /*) ;; */*) acc=$PWD/$acc ;; esac # it runs from another directory
dir=$(cd "$(dirname "$1")" && pwd)
name=$(basename "$1" .ac)
rm -rf "$scratch" && mkdir -p "$scratch" && scratch=$(cd "$scratch" && pwd) || exit 1

(cd "$dir" && exec "$acc" "$name.ac" -o "$scratch/$name.c" --header "$scratch/$name.h") ||
	{ echo "line.sh: acc failed on $name.ac" >&2; exit 1; }
if "$cc" -std=c11 -fsyntax-only -I "$inc" -I "$scratch" "$scratch/$name.c" \
	2>"$scratch/stderr"; then
	echo "line.sh: $cc accepted the generated C" >&2
	exit 1
fi

grep -n '/\* error \*/' "$dir/$name.ac" | sed "s/:.*//; s/^/$name.ac:/" >"$scratch/expected"
sed -n 's/^\([^:]*\):\([0-9]*\):[0-9]*: error: .*/\1:\2/p' "$scratch/stderr" |
	sed 's,^.*/,,' | sort -t: -k1,1 -k2,2n -u >"$scratch/actual"
if ! cmp -s "$scratch/expected" "$scratch/actual"; then
	echo "line.sh: error places differ (- expected, + $cc):" >&2
	diff -u "$scratch/expected" "$scratch/actual" >&2
	cat "$scratch/stderr" >&2
	exit 1
fi
