#!/bin/sh
# Code shown in the documentation is what the project has:
#   readme_listing    README's "exactly what acc writes" for examples/hello.ac
#                     is what acc writes today (greet's frame and resume
#                     function, with --no-line);
#   runtime_examples  docs/runtime.md's worked examples are the code that
#                     tests/e2e/primitive_flag/ (the first) and
#                     tests/e2e/primitive_foreign_thread/ (the second) compile
#                     and run.
#
# usage: docs.sh --acc ACC --scratch DIR SOURCE_DIR CASE
set -u

acc= scratch=
while [ $# -gt 2 ]; do
	case $1 in
	--acc) acc=$2 ;;
	--scratch) scratch=$2 ;;
	*) echo "docs.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 2 ] && [ -n "$acc" ] && [ -n "$scratch" ] || { sed -n '9p' "$0" >&2; exit 2; }
src=$1
rm -rf "$scratch" && mkdir -p "$scratch" || exit 1

# same DOC_BLOCK FILE: the block must be FILE's text
same() {
	[ -s "$1" ] || { echo "docs.sh: no block for $2 in the documentation" >&2; exit 1; }
	diff -u "$1" "$2" >&2 || { echo "docs.sh: the documentation's copy of $2 differs (- doc, + file)" >&2; exit 1; }
}

if [ "$2" = runtime_examples ]; then
	for f in primitive_flag/my_flag.h primitive_flag/my_flag.c \
		primitive_foreign_thread/my_dev.h primitive_foreign_thread/my_dev.c; do
		b=$(basename "$f")
		# the ```c block whose first line is /* b */
		awk -v first="/* $b */" 'p && /^```$/ { exit } p { print } /^```c$/ { getline l; if (l == first) { p = 1; print l } }' \
			"$src/docs/runtime.md" >"$scratch/$b"
		same "$scratch/$b" "$src/tests/e2e/$f"
	done
	echo "docs.sh: runtime.md's examples are the tested code"
	exit 0
fi

# the first ```c block after the line that says "Exactly what acc writes"
awk '/Exactly what acc writes/ { f = 1 } f && /^```c$/ { p = 1; next } p && /^```$/ { exit } p' \
	"$src/README.md" >"$scratch/readme.c"
# from greet's frame to the end of greet__resume
"$acc" "$src/examples/hello.ac" --no-line -o - |
	awk '/^struct greet__frame \{/ { p = 1 } p { print } p && /^}$/ { exit }' >"$scratch/acc.c"
[ -s "$scratch/readme.c" ] || { echo "docs.sh: no listing found in README.md" >&2; exit 1; }
diff -u "$scratch/readme.c" "$scratch/acc.c" >&2 || {
	echo "docs.sh: README.md's listing differs from what acc writes (- README, + acc)" >&2
	exit 1
}
echo "docs.sh: the listing is what acc writes"
