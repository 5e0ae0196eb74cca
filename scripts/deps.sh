# Sourced by demo.sh and test.sh: makes sure the tools acc needs are there
# (Debian 12).  Installs the missing Debian packages when run as root; without
# root, prints the command to run and exits 1.  Does nothing when all is there.

# Prints the Debian packages that are missing, space-separated.
ac_missing_packages() {
	local missing=
	add() { case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac; }
	need_cmd() { command -v "$1" >/dev/null 2>&1 || add "$2"; }
	need_file() { [ -e "$1" ] || add "$2"; }
	need_cmd re2c re2c
	need_cmd lemon lemon
	need_file /usr/share/lemon/lempar.c lemon
	need_cmd cmake cmake
	need_cmd ninja ninja-build
	need_cmd pkg-config pkg-config
	need_cmd cc gcc
	need_cmd gcc gcc
	need_file /usr/include/stdio.h libc6-dev
	need_file /usr/include/cmocka.h libcmocka-dev
	need_cmd valgrind valgrind
	need_cmd clang clang
	# clang's sanitizer runtime, a Recommends of clang that may be left out
	if command -v clang >/dev/null 2>&1; then
		ls "$(clang -print-resource-dir)"/lib/*/libclang_rt.asan* >/dev/null 2>&1 ||
			add libclang-rt-dev
	fi
	echo $missing
}

ac_deps() {
	local pkgs
	pkgs=$(ac_missing_packages)
	[ -z "$pkgs" ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing $pkgs"
		apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y $pkgs ||
			{ echo "deps: apt-get failed" >&2; exit 1; }
	else
		echo "deps: missing Debian packages: $pkgs" >&2
		echo "deps: as root, run: apt-get update && apt-get install -y $pkgs" >&2
		exit 1
	fi
}

# Sourced by bench/run.sh: the C++ compiler of the benchmarks' C++20
# coroutine column (bench/cxx_coro.cpp), which nothing else needs.  Installs
# g++ when missing, as root; without root, prints the command and exits 1,
# like ac_deps.
ac_bench_deps() {
	command -v g++ >/dev/null 2>&1 && return 0
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing g++"
		apt-get update &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y g++ ||
			{ echo "deps: apt-get failed" >&2; exit 1; }
	else
		echo "deps: missing Debian package: g++" >&2
		echo "deps: as root, run: apt-get update && apt-get install -y g++" >&2
		exit 1
	fi
}
