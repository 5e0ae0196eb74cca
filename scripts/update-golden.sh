#!/usr/bin/env bash
# Regenerates tests/golden/NAME.c.golden and NAME.h.golden from the current
# acc, for review with `git diff tests/golden`.  Builds acc in BUILD_DIR
# (default build/) first.  With NAME arguments, only those tests.
#
# usage: scripts/update-golden.sh [--build BUILD_DIR] [NAME...]
set -eu
cd "$(dirname "$0")/.."
build=build
if [ "${1:-}" = --build ]; then
	build=$2
	shift 2
fi
cmake --build "$build" --target acc
acc=$(cd "$build" && pwd)/bin/acc

if [ $# -eq 0 ]; then
	set -- $(ls tests/golden/*.ac 2>/dev/null | sed 's,.*/,,; s,\.ac$,,')
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "$@"; do
	sh tests/driver/golden.sh --acc "$acc" --scratch "$tmp/$name" \
		--update "tests/golden/$name.ac"
	echo "updated tests/golden/$name.c.golden, $name.h.golden"
done
git diff --stat -- tests/golden 2>/dev/null || true
