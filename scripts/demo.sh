#!/usr/bin/env bash
# The quick start: installs what is missing, builds acc and libac in build/,
# runs acc on examples/hello.ac, shows the generated C, compiles it against
# the built libac and runs it.  A second run only rebuilds what changed.
set -eu
cd "$(dirname "$0")/.."
. scripts/deps.sh
ac_deps

if [ -f build/CMakeCache.txt ]; then
	cmake -S . -B build >/dev/null
else
	cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build --target acc ac_static

out=build/demo
mkdir -p "$out"
echo
echo "\$ build/bin/acc examples/hello.ac -o $out/hello.c --header $out/hello.h"
build/bin/acc examples/hello.ac -o "$out/hello.c" --header "$out/hello.h"

echo
echo "The generated C is in $out/hello.c (and its header in $out/hello.h)."
echo "An excerpt, around the resume switch:"
echo "----------------------------------------------------------------------"
first=$(grep -n 'switch (' "$out/hello.c" | head -n 1 | cut -d: -f1)
start=$(( ${first:-12} > 12 ? ${first:-12} - 12 : 1 ))
sed -n "${start},$((start + 30))p" "$out/hello.c"
echo "----------------------------------------------------------------------"

echo
cc_cmd=(cc -std=c11 -Wall -Wextra -Wpedantic -Werror -I runtime/include -I "$out"
	-o "$out/hello" "$out/hello.c" build/lib/libac.a -pthread)
echo "\$ ${cc_cmd[*]}"
"${cc_cmd[@]}"
echo "\$ $out/hello"
"$out/hello"
