#!/bin/sh
# Tests of how acc writes its outputs (-o, --header, --depfile): docs/build.md,
# "Outputs".
#
# usage: cli.sh --acc ACC --scratch DIR CASE
#
# CASE is one of the functions below; each works in DIR (emptied first) and
# exits 0 on success, 1 on failure, 77 when it cannot run here (skipped).
set -u

acc= scratch=
while [ $# -gt 1 ]; do
	case $1 in
	--acc) acc=$2 ;;
	--scratch) scratch=$2 ;;
	*) echo "cli.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] && [ -n "$acc" ] && [ -n "$scratch" ] || { sed -n '5p' "$0" >&2; exit 2; }
name=$1

fail() { echo "cli.sh: $name: $*" >&2; exit 1; }
# mode FILE: its permission bits, in octal
mode() { stat -c %a "$1"; }
# run_acc ARGS...: acc on a.ac must succeed
run_acc() { "$acc" a.ac "$@" || fail "acc a.ac $* failed (status $?)"; }

rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1
cat >a.ac <<'EOF'
#include <ac/ac.h>

async int one(void)
{
    await ac_sleep(0);
    return 1;
}
EOF
"$acc" a.ac --no-line -o ref.c --header ref.h || fail "acc a.ac -o ref.c failed"

# -o naming a symbolic link writes the link's target and keeps the link, also
# when the target does not exist yet.
symlink() {
	mkdir real && ln -s real/x.c link.c && ln -s real/new.c dangling.c || exit 1
	echo old >real/x.c
	run_acc --no-line -o link.c
	run_acc --no-line -o dangling.c
	for l in link.c dangling.c; do
		[ -L $l ] || fail "$l is no longer a symbolic link"
	done
	cmp -s real/x.c ref.c || fail "the target of link.c was not written"
	cmp -s real/new.c ref.c || fail "the target of dangling.c was not created"
}

# -o naming a FIFO writes into it (a reader gets the C); it stays a FIFO.
fifo() {
	mkfifo pipe || exit 77
	cat pipe >got &
	reader=$!
	run_acc --no-line -o pipe
	[ -p pipe ] || { kill $reader; fail "the FIFO was replaced"; }
	wait $reader
	cmp -s got ref.c || fail "the reader of the FIFO did not get the C"
}

# -o naming a character device writes into it: a null device made here (as
# root) stays a device, as /dev/null must.
device() {
	mknod null c 1 3 2>/dev/null || { echo "cli.sh: cannot mknod here: skipped"; exit 77; }
	run_acc -o null --header null
	[ -c null ] || fail "the character device was replaced by a regular file"
}

# New files get 0666 less the umask (not mkstemp's 0600); a replaced file
# keeps its mode.
modes() {
	(umask 022 && run_acc -o new.c --header new.h --depfile new.d) || exit 1
	for f in new.c new.h new.d; do
		[ "$(mode $f)" = 644 ] || fail "$f has mode $(mode $f) under umask 022, expected 644"
	done
	(umask 077 && run_acc -o private.c) || exit 1
	[ "$(mode private.c)" = 600 ] || fail "private.c has mode $(mode private.c) under umask 077"
	chmod 640 new.c && chmod 755 new.h
	(umask 022 && run_acc -o new.c --header new.h) || exit 1
	[ "$(mode new.c)" = 640 ] || fail "replaced new.c has mode $(mode new.c), expected 640"
	[ "$(mode new.h)" = 755 ] || fail "replaced new.h has mode $(mode new.h), expected 755"
}

# When one output cannot be written, acc fails and no output changes (the
# others are not replaced), and no temporary is left behind.
all_or_nothing() {
	mkdir isdir
	for bad in "--header nodir/x.h" "--depfile nodir/x.d" "--header isdir"; do
		for f in x.c x.h x.d; do echo old >$f; done
		# shellcheck disable=SC2086 # bad is two words
		"$acc" a.ac -o x.c --header x.h --depfile x.d $bad 2>err
		status=$?
		[ $status -eq 1 ] || fail "with $bad: exit status $status, expected 1"
		grep -q "cannot write" err || fail "with $bad: no 'cannot write' error"
		for f in x.c x.h x.d; do
			[ "$(cat $f)" = old ] || fail "with $bad: $f was replaced"
		done
	done
	for f in *.tmp*; do
		[ -e "$f" ] && fail "a temporary was left behind: $f"
	done
	return 0
}

# -o - writes the C to standard output, as -o FILE would write it.
stdout() {
	mkdir sub || exit 1
	run_acc --no-line -o - --header sub/ref.h >got
	cmp -s got ref.c || fail "-o - did not write the C to standard output"
	cmp -s sub/ref.h ref.h || fail "--header with -o - did not write the header"
	[ ! -e ./- ] || fail "-o - created a file named '-'"
	for bad in "--header -" "--depfile -" "--depfile x.d" "--dot"; do
		# shellcheck disable=SC2086 # bad is one or two words
		"$acc" a.ac -o - $bad >/dev/null 2>err && fail "-o - $bad was accepted"
		grep -q '^acc: error: ' err || fail "-o - $bad: no error message"
	done
}

# File names that C cannot take as written still give C that compiles: in
# #line strings a quote, a backslash, a newline and the trigraph `??/` are
# escaped (a trigraph counts at -std=c11), and in the banner comments a star
# followed by a slash does not end the comment.
odd_names() {
	command -v cc >/dev/null || { echo "cli.sh: no cc: skipped"; exit 77; }
	dir='d*/t??' in=$(printf 'd*/t??/q"b\\\nn.ac')
	mkdir -p "$dir" && cp a.ac "$in" || exit 1
	"$acc" "$in" -o 'd*/o.c' --header 'd*/o.h' --depfile o.d || fail "acc failed"
	grep -q '^#line 1 "d\*/t?\\?/q\\"b\\\\\\012n.ac"$' 'd*/o.c' ||
		{ grep '^#line' 'd*/o.c'; fail "the #line name is not escaped"; }
	printf '#include "o.h"\n' >'d*/u.c'
	inc=$(tr ' ' '\n' <o.d | sed -n 's|/ac/ac\.h$||p' | head -1)
	for c in 'd*/o.c' 'd*/u.c'; do
		cc -std=c11 -Wall -Werror -fsyntax-only -I "$inc" "$c" || fail "$c does not compile"
	done
}

# A diagnostic quotes its source line whole: a NUL byte in it does not cut
# the line short (the rest of the line was lost) and is shown as <00>, as
# other bytes that are not UTF-8 are, never written raw to the terminal.
# Whatever the message about the NUL, the line must be there.
nul_line() {
	printf 'async int f(void)\n{\n    int x = 1; \000 return x; }\n' >nul.ac
	"$acc" nul.ac -o nul.c 2>err
	[ $? -eq 1 ] || fail "nul.ac: exit status not 1"
	grep -q '^    3 |     int x = 1; <00> return x; }$' err ||
		{ od -c err | head; fail "nul.ac: the source line is not shown whole with <00>"; }
	tr -d '\000' <err | cmp -s - err || fail "nul.ac: a NUL byte was written in a diagnostic"
}

# Two headers of the same name from different directories (net/conn.ac,
# db/conn.ac) have different include guards, so a C file that includes
# both sees the declarations of both (both guards were ACC_CONN_H, and the
# second header was skipped: conn_query undeclared).  The same input gives
# the same guard on every run and whatever directory acc runs in.
same_name_headers() {
	mkdir net db || exit 1
	for d in net db; do
		f=open
		[ $d = db ] && f=query
		printf '#include <ac/ac.h>\n\nasync int conn_%s(int x)\n{\n    await ac_sleep(0);\n    return x;\n}\n' $f >$d/conn.ac
		"$acc" $d/conn.ac -o $d/conn.c --header $d/conn.h --depfile $d/conn.d || fail "$d/conn.ac: acc failed"
	done
	g1=$(sed -n 's/^#ifndef //p' net/conn.h) g2=$(sed -n 's/^#ifndef //p' db/conn.h)
	[ -n "$g1" ] && [ "$g1" != "$g2" ] || fail "net/conn.h and db/conn.h share the guard '$g1'"
	mkdir again && (cd net && "$acc" conn.ac -o ../again/conn.c --header ../again/conn.h) ||
		fail "net/conn.ac from net/: acc failed"
	[ "$(sed -n 's/^#ifndef //p' again/conn.h)" = "$g1" ] || fail "net/conn.h's guard changed between runs"
	printf '#include "net/conn.h"\n#include "db/conn.h"\nint main(void) { return conn_open != 0 && conn_query != 0 ? 0 : 1; }\n' >both.c
	command -v cc >/dev/null || return 0
	inc=$(tr ' ' '\n' <net/conn.d | sed -n 's|/ac/ac\.h$||p' | head -1)
	cc -std=c11 -Werror=implicit-function-declaration -fsyntax-only -I "$inc" -I . both.c ||
		fail "both.c, which includes net/conn.h and db/conn.h, does not compile"
}

# A static async function that nothing uses gets its coroutine constructor
# so that the C compiler's "defined but not used" names it, as for a plain
# static function: at its .ac line (it named a line of the generated C).
unused_static() {
	command -v cc >/dev/null || { echo "cli.sh: no cc: skipped"; exit 77; }
	printf '#include <ac/ac.h>\n\nstatic async int idle(void)\n{\n    return 1;\n}\n\nint g(void) { return 2; }\n' >u.ac
	"$acc" u.ac -o u.c --depfile u.d || fail "u.ac: acc failed"
	inc=$(tr ' ' '\n' <u.d | sed -n 's|/ac/ac\.h$||p' | head -1)
	cc -std=c11 -Wall -c -o u.o -I "$inc" u.c 2>err
	grep -q "^u.ac:3:[0-9]*: warning: .idle. defined but not used" err ||
		{ cat err; fail "u.ac: the unused static async function is not reported at u.ac:3"; }
	[ "$(grep -c 'warning' err)" -eq 1 ] || { cat err; fail "u.ac: other warnings"; }
}

# The memory acc takes for a token per byte (4 MB of ';' outside async
# functions): some 26 bytes a byte, 103 MB; 189 MB before, when every old
# copy of the token array stayed in the arena as it doubled.  Skipped
# where GNU time is missing and in the sanitizer build (whose allocator
# takes more).
token_memory() {
	[ -x /usr/bin/time ] || { echo "cli.sh: no /usr/bin/time: skipped"; exit 77; }
	if nm -D "$acc" 2>/dev/null | grep -q __asan_init; then
		echo "cli.sh: a sanitizer build: skipped"
		exit 77
	fi
	head -c 4000000 /dev/zero | tr '\000' ';' >semis.ac
	/usr/bin/time -f %M -o kb "$acc" semis.ac -o semis.c || fail "semis.ac: acc failed"
	[ "$(cat kb)" -lt 160000 ] || fail "semis.ac: $(cat kb) KB at the peak, more than 160000"
}

# An input over 64 MiB is refused at once, as a file (by its size, sparse
# here: nothing is written to disk) and through a pipe (once the limit is
# passed), instead of taking all the memory of the machine (a 2.2 GB file
# of NULs: 24 GB, killed after seven minutes).
too_large() {
	truncate -s 65M big.ac 2>/dev/null || { echo "cli.sh: no truncate: skipped"; exit 77; }
	"$acc" big.ac -o big.c 2>err
	[ $? -eq 1 ] || fail "big.ac: exit status not 1"
	grep -q "^acc: error: cannot read 'big.ac': larger than 64 MiB" err || { cat err; fail "big.ac: no error"; }
	cat big.ac | "$acc" /dev/stdin -o big.c 2>err
	[ $? -eq 1 ] || fail "big.ac through a pipe: exit status not 1"
	grep -q "^acc: error: cannot read '/dev/stdin': larger than 64 MiB" err || { cat err; fail "big.ac through a pipe: no error"; }
	[ ! -e big.c ] || fail "big.c was written"
	rm -f big.ac
}

# An output whose name is near the file system's limit (255 bytes) is
# written: its temporary's name, the output's with ".tmpXXXXXX" added, is
# cut to fit (it was "File name too long", and nothing written).
long_names() {
	long=$(awk 'BEGIN { while (n++ < 250) printf "n" }')
	run_acc -o "$long.c" --header "$long.h" --depfile "$long.d"
	for x in c h d; do
		[ -s "$long.$x" ] || fail "the output $x with a 252-byte name was not written"
	done
	for f in *.tmp*; do
		[ -e "$f" ] && fail "a temporary was left behind: $f"
	done
	return 0
}

# a.ac and b.ac await each other (each includes the other's header), and
# a.ac includes its own: acc never reads a.h, its own output, nor a.ac again
# under another name ("./a.ac", "/abs/a.ac").  The depfile named a.h once it
# existed, and Ninja then stopped every build with "dependency cycle:
# ac_gen/a.h -> ac_gen/a.h".  Run as CMake runs it (absolute paths, the
# headers in a directory of their own) and as the Make rule does.
own_header() {
	mkdir own own/gen && cd own || exit 1
	printf '#include <ac/ac.h>\n#include "b.h"\n#include "a.h"\n%s\n' \
		'async int fa(int n) { if (n <= 0) return 0; return 1 + await fb(n - 1); }' >a.ac
	printf '#include <ac/ac.h>\n#include "a.h"\n%s\n' \
		'async int fb(int n) { if (n <= 0) return 0; return 1 + await fa(n - 1); }' >b.ac
	here=$(pwd)
	for f in a b; do
		"$acc" "$here/$f.ac" -o "$here/gen/$f.c" --header "$here/gen/$f.h" -I "$here" -I "$here/gen" ||
			fail "acc $f.ac failed"
	done
	"$acc" "$here/a.ac" -o "$here/gen/a.c" --header "$here/gen/a.h" --depfile a.d \
		-I "$here" -I "$here/gen" || fail "acc a.ac (absolute) failed"
	"$acc" a.ac -o a.c --header a.h --depfile a2.d -I . || fail "acc a.ac (relative) failed"
	"$acc" a.ac -o a.c --header a.h --depfile a2.d -I . || fail "acc a.ac (relative, again) failed"
	for d in a.d a2.d; do
		grep -q 'a\.h' $d && { cat $d; fail "$d names a.h, acc's own output"; }
		[ "$(grep -c 'a\.ac' $d)" = 1 ] || { cat $d; fail "$d names a.ac more than once"; }
		grep -q 'b\.ac' $d || { cat $d; fail "$d does not name b.ac"; }
	done
}

# What acc prints on standard output (--dot, --frame-sizes, --version,
# --help, -o -) that cannot be written (a full disk: /dev/full) is an error,
# exit status 1, not a success with the text lost; and -o x.c beside --dot
# is then not written either (all or none).
stdout_full() {
	[ -w /dev/full ] || { echo "cli.sh: no /dev/full: skipped"; exit 77; }
	for args in "a.ac --dot" "a.ac --frame-sizes" "--version" "--help" "a.ac -o -" \
		"a.ac --dot -o x.c"; do
		# shellcheck disable=SC2086 # args is several words
		"$acc" $args >/dev/full 2>err
		status=$?
		[ $status -eq 1 ] || fail "acc $args >/dev/full: exit status $status, not 1"
		grep -q "^acc: error: cannot write '<stdout>'" err || { cat err; fail "acc $args >/dev/full: no error"; }
	done
	[ ! -e x.c ] || fail "acc a.ac --dot -o x.c >/dev/full wrote x.c"
}

# The depfile quotes names as gcc -MD does (space, '#', '$'); Make reads
# them back: touching the included header makes the C out of date.
depfile_quoting() {
	mkdir 'in c#1$' || exit 1
	echo 'typedef int myint;' >'in c#1$/my h.h'
	printf '#include "my h.h"\n' >'s p.ac'
	cat a.ac >>'s p.ac'
	"$acc" 's p.ac' -I 'in c#1$' -o 'o u#t$.c' --depfile 'd.d' || fail "acc failed"
	first=$(head -n 1 d.d)
	[ "$first" = 'o\ u\#t$$.c: s\ p.ac \' ] || fail "depfile starts '$first'"
	grep -q '^  in\\ c\\#1\$\$/my\\ h\.h' d.d ||
		{ cat d.d; fail "the header's name is not quoted in the depfile"; }
	command -v make >/dev/null || return 0
	printf 'o\\ u\\#t$$.c:\n\t@echo remake\ninclude d.d\n' >Makefile
	make -q 'o u#t$.c' || { make -d | tail; fail "make finds the C out of date at once"; }
	sleep 1
	touch 'in c#1$/my h.h'
	make -q 'o u#t$.c' && fail "make does not see the header in the depfile"
	return 0
}

# A header that has been deleted since the depfile was written does not stop
# Make: each header has an empty rule of its own (gcc -MP), so the C is
# remade instead of "No rule to make target".
depfile_deleted_header() {
	command -v make >/dev/null || { echo "cli.sh: no make: skipped"; exit 77; }
	echo 'typedef int myint;' >gone.h
	printf '#include "gone.h"\n' >b.ac
	cat a.ac >>b.ac
	"$acc" b.ac -I . -o b.c --depfile b.d || fail "acc failed"
	grep -q '^[^ ]*gone\.h:$' b.d || { cat b.d; fail "the header has no rule of its own"; }
	printf 'b.c: b.ac\n\t@echo remade >remade\ninclude b.d\n' >Makefile
	sleep 1
	rm gone.h && touch b.ac
	make b.c >out 2>&1 || { cat out; fail "make stops on the deleted header"; }
	[ -e remade ] || fail "make did not remake b.c"
}

# No output may be the input or another output (acc would replace its own
# source): refused, and nothing is written.  A device may be named twice.
clashes() {
	cp a.ac keep.ac && ln -s a.ac link.c || exit 1
	for bad in "-o a.ac" "-o ./a.ac" "-o link.c" "-o x.c --header x.c" "-o x.c --header ./x.c" \
		"-o x.c --depfile a.ac" "-o x.c --header y.h --depfile y.h" "-o x.c --header y.h --depfile ./y.h"; do
		# shellcheck disable=SC2086 # bad is several words
		"$acc" a.ac $bad 2>err && fail "acc a.ac $bad was accepted"
		grep -q "^acc: error: .* name the same file" err || { cat err; fail "$bad: no error message"; }
		cmp -s a.ac keep.ac || fail "$bad: the input was changed"
		[ ! -e x.c ] && [ ! -e y.h ] || fail "$bad: an output was written"
	done
}

# A bad command line: exit status 1, nothing written, and one line that says
# what is wrong (ARGS|MESSAGE pairs, the message a grep pattern); and a
# value that looks like an option is taken as the value.
usage_errors() {
	mkdir dir || exit 1
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086 # args is several words
		"$acc" $args >out 2>err
		status=$?
		[ $status -eq 1 ] || fail "acc $args: exit status $status, not 1"
		grep -q "^acc: error: $want" err || { cat err; fail "acc $args: no line '$want'"; }
		[ ! -s out ] && [ ! -e x.c ] || fail "acc $args: wrote an output"
	done <<-'EOF'
	a.ac -o|option '-o' needs an argument
	a.ac -o x.c --header|option '--header' needs an argument
	a.ac -o x.c --depfile|option '--depfile' needs an argument
	a.ac -o x.c -I|option '-I' needs an argument
	a.ac -o x.c -d b|unknown dump '-d b'
	a.ac -o x.c --max-errors|option '--max-errors' needs an argument
	a.ac -o x.c --max-warnings x|'--max-warnings' needs a count (0 for no limit), not 'x'
	a.ac -o x.c --max-errors -1|'--max-errors' needs a count (0 for no limit), not '-1'
	a.ac -o x.c --max-warnings 3z|'--max-warnings' needs a count (0 for no limit), not '3z'
	a.ac -o x.c --frob|unknown option '--frob'
	a.ac|no output: give -o OUT.c
	-o x.c|no input file
	a.ac b.ac -o x.c|more than one input file ('b.ac')
	nosuch.ac -o x.c|cannot read 'nosuch.ac': No such file or directory
	dir -o x.c|cannot read 'dir': Is a directory
	EOF
	# an option's value is not an option: -o --help names a file
	"$acc" a.ac -o --help >out 2>err || fail "acc a.ac -o --help failed"
	[ -s ./--help ] || fail "acc a.ac -o --help did not write ./--help"
	[ ! -s out ] || fail "acc a.ac -o --help printed the usage"
}

# The header repeats the .ac's #include lines but the one of itself: an
# include whose name merely contains the header's ("data.h" for a.h) is
# repeated too, so that a.h declares `get` with the type data.h defines.
# An include under a conditional is repeated under it (both branches of
# `#ifdef _WIN32 ... #else ... #endif` repeated bare broke every file
# including the header); conditionals that hold no include are left out.
header_includes() {
	mkdir h && cd h || exit 1
	echo 'typedef struct { int v; } item;' >data.h
	cat >a.ac <<-'EOF'
	#include <ac/ac.h>
	#include "data.h"
	#include "a.h"
	#ifdef _WIN32
	#include <windows.h>
	#elif defined(__unix__)
	# define ON_UNIX 1
	#else
	#include "other.h"
	#endif
	#ifdef DEBUG
	#define TRACE 1
	#endif
	async int get(item *it)
	{
	    await ac_sleep(0);
	    return it->v;
	}
	EOF
	run_acc -o a.c --header a.h
	cat >want <<-'EOF'
	#include <ac/frame.h>
	#include <ac/ac.h>
	#include "data.h"
	#ifdef _WIN32
	#include <windows.h>
	#elif defined(__unix__)
	#else
	#include "other.h"
	#endif
	EOF
	sed -n '/^#include <ac\/frame.h>$/,/^$/p' a.h | sed '$d' >got
	cmp -s want got || { diff want got; fail "a.h does not repeat the includes as expected"; }
}

# Inputs too big to keep in the tree, made here: a chain of 150,000 `+ 1`
# (a tree that deep overflowed the stack of a recursive walk) is a located
# error, not a crash; a body of 60,000 awaiting statements is lowered
# (in minutes, before: two passes read the rest of the text per statement;
# the test's timeout is the check).  Then the dimensions the checker and
# lowering were quadratic in (minutes each, before): 20,000 locals of one
# block living across an await, of a typedef's type; 10,000 sibling
# blocks declaring the same names (fields v, v_2, ... v_10000), with a
# defer each, as the cases of one switch; 10,000 async functions in a file,
# each awaiting the one before, with a typedef parameter and a goto.
# These three are cases of their own (huge_locals, huge_blocks,
# huge_functions), each with the whole timeout: together in the ASan
# build, beside other tests, they took 27 s of one case's 30.
huge_inputs() {
	{
		echo 'async int f(void)'
		echo '{'
		echo '    int x = 0;'
		echo '    x = x'
		awk 'BEGIN { for (i = 0; i < 150000; i++) print "      + 1" }'
		echo '    ;'
		echo '    return x;'
		echo '}'
	} >deep.ac
	"$acc" deep.ac -o deep.c 2>err
	status=$?
	[ $status -eq 1 ] || fail "deep.ac: exit status $status, not 1"
	grep -q '^deep.ac:[0-9]*:[0-9]*: error: expression too deeply nested$' err ||
		{ head -3 err; fail "deep.ac: no located 'too deeply nested' error"; }
	[ ! -e deep.c ] || fail "deep.ac: wrote an output"
	{
		echo '#include <ac/ac.h>'
		echo 'async int f(void)'
		echo '{'
		echo '    int x = 0;'
		awk 'BEGIN { for (i = 0; i < 60000; i++) print "    x += (await ac_sleep(0), 1); /* one */" }'
		echo '    return x;'
		echo '}'
	} >long.ac
	"$acc" long.ac -o long.c || fail "long.ac: acc failed"
	[ "$(grep -c '^    case [0-9]*:$' long.c)" -eq 60001 ] || fail "long.ac: not 60000 resume points (and the start)"
}

# cc_check FILE.c: compiles (only locals.c: cc takes half a minute on
# blocks.c, 13 MB, and 4 s on fns.c, too much of the case's timeout under
# ASan), against the runtime headers acc read (its
# depfile names them); skipped where there is no cc.
cc_check() {
	command -v cc >/dev/null || return 0
	inc=$(tr ' ' '\n' <"${1%.c}.d" | sed -n 's|/ac/ac\.h$||p' | head -1)
	[ -n "$inc" ] || fail "${1%.c}.d: no ac/ac.h"
	cc -std=c11 -fsyntax-only -I "$inc" "$1" || fail "$1 does not compile"
}

huge_locals() {
	{
		echo '#include <ac/ac.h>'
		echo 'typedef unsigned count;'
		echo 'async unsigned f(void)'
		echo '{'
		awk 'BEGIN { for (i = 0; i < 20000; i++) print "    count v" i " = " i ";" }'
		echo '    await ac_sleep(0);'
		echo '    unsigned s = 0;'
		awk 'BEGIN { for (i = 0; i < 20000; i++) print "    s += v" i ";" }'
		echo '    return s;'
		echo '}'
	} >locals.ac
	"$acc" locals.ac -o locals.c --depfile locals.d || fail "locals.ac: acc failed"
	[ "$(grep -c '^    count v[0-9]*;$' locals.c)" -eq 20000 ] || fail "locals.ac: not 20000 frame fields"
	cc_check locals.c
}

huge_blocks() {
	{
		echo '#include <ac/ac.h>'
		echo 'async int f(int k)'
		echo '{'
		echo '    int s = 0;'
		echo '    switch (k) {'
		awk 'BEGIN { for (i = 0; i < 10000; i++)
			print "    case " i ": { int v = " i "; defer s++; await ac_sleep(0); s += v; break; }" }'
		echo '    }'
		echo '    return s;'
		echo '}'
	} >blocks.ac
	"$acc" blocks.ac -o blocks.c || fail "blocks.ac: acc failed"
	[ "$(grep -c '^            int v\(_[0-9]*\)\{0,1\};$' blocks.c)" -eq 10000 ] &&
		grep -q '^            int v_10000;$' blocks.c || fail "blocks.ac: not fields v, v_2, ... v_10000"
	[ "$(grep -c '^    case [0-9]*:$' blocks.c)" -eq 10001 ] || fail "blocks.ac: not 10000 resume points (and the start)"
}

huge_functions() {
	{
		echo '#include <ac/ac.h>'
		echo 'typedef int vec[4];'
		echo 'async int f0(vec x) { await ac_sleep(0); return x[0]; }'
		awk 'BEGIN { for (i = 1; i < 10000; i++)
			print "async int f" i "(vec x) { if (!x[1]) goto out; x[0] += await f" i - 1 "(x); out: return x[0]; }" }'
	} >fns.ac
	"$acc" fns.ac -o fns.c 2>err || fail "fns.ac: acc failed"
	[ "$(grep -c '^struct f[0-9]*__frame {$' fns.c)" -eq 10000 ] || fail "fns.ac: not 10000 frames"
	# each function warns once (x[0] is evaluated after the await): 20 are
	# shown, then a count of the others, not 9,999 warnings (30,000 lines)
	[ "$(grep -c ': warning: ' err)" -eq 20 ] || fail "fns.ac: not 20 warnings shown"
	[ "$(sed -n '$p' err)" = "fns.ac: note: 9979 more warnings not shown (--max-warnings N shows N, 0 all)" ] ||
		{ tail -2 err; fail "fns.ac: no count of the warnings not shown at the end"; }
	[ "$(wc -l <err)" -eq 61 ] || fail "fns.ac: $(wc -l <err) lines of diagnostics, not 61"
}

# The limits on diagnostics: --max-warnings N shows the first N warnings
# in source order (as 0 does all of them), --max-errors N the first N
# errors, each followed by one line that counts the others; the notes of a
# hidden error are hidden with it, and the exit status is the same.
diag_limits() {
	awk 'BEGIN { print "#include <ac/ac.h>"; print "async int g(void);"
		for (i = 0; i < 30; i++) print "async int w" i "(void) { g(); return 0; }" }' >w.ac
	"$acc" w.ac -o w.c --max-warnings 5 2>err || fail "w.ac: acc failed"
	[ "$(grep -c ': warning: ' err)" -eq 5 ] && grep -q '^w.ac:7:' err && ! grep -q '^w.ac:8:' err ||
		{ cat err; fail "w.ac --max-warnings 5: not the warnings of lines 3 to 7"; }
	[ "$(sed -n '$p' err)" = "w.ac: note: 25 more warnings not shown (--max-warnings N shows N, 0 all)" ] ||
		fail "w.ac --max-warnings 5: no count of 25 hidden"
	"$acc" w.ac -o w.c --max-warnings 0 2>err || fail "w.ac: acc failed"
	[ "$(grep -c ': warning: ' err)" -eq 30 ] && ! grep -q 'not shown' err ||
		fail "w.ac --max-warnings 0: not all 30 warnings"
	"$acc" w.ac -o w.c 2>err || fail "w.ac: acc failed"
	[ "$(grep -c ': warning: ' err)" -eq 20 ] && grep -q '^w.ac: note: 10 more warnings not shown' err ||
		fail "w.ac: not 20 warnings and 10 more by default"
	awk 'BEGIN { for (i = 0; i < 30; i++) print "async int e" i "(void) { await; }" }' >e.ac
	"$acc" e.ac -o e.c --max-errors 3 2>err
	[ $? -eq 1 ] || fail "e.ac: exit status not 1"
	[ "$(grep -c ': error: ' err)" -eq 3 ] && grep -q '^e.ac:3:' err ||
		{ cat err; fail "e.ac --max-errors 3: not the errors of lines 1 to 3"; }
	[ "$(sed -n '$p' err)" = "e.ac: note: 27 more errors not shown (--max-errors N shows N, 0 all)" ] ||
		fail "e.ac --max-errors 3: no count of 27 hidden"
	"$acc" e.ac -o e.c --max-errors 0 2>err
	[ "$(grep -c ': error: ' err)" -eq 30 ] || fail "e.ac --max-errors 0: not all 30 errors"
	[ ! -e e.c ] || fail "e.ac: wrote an output"
	printf '#include "missing.h"\n' >n.ac
	for f in a b c; do echo "async int $f(void) { return await nosuch(); }" >>n.ac; done
	"$acc" n.ac -o n.c --max-errors 2 2>err
	[ "$(grep -c ': error: ' err)" -eq 2 ] && [ "$(grep -c '^n.ac:1:1: note: ' err)" -eq 2 ] &&
		[ "$(sed -n '$p' err)" = "n.ac: note: 1 more error not shown (--max-errors N shows N, 0 all)" ] ||
		{ cat err; fail "n.ac --max-errors 2: not two errors with their notes, and one hidden"; }
}

case $name in
symlink | fifo | device | modes | all_or_nothing | stdout | depfile_quoting | \
	depfile_deleted_header | clashes | usage_errors | huge_inputs | huge_locals | \
	huge_blocks | huge_functions | header_includes | stdout_full | odd_names | \
	nul_line | too_large | long_names | own_header | token_memory | same_name_headers | \
	diag_limits | unused_static) $name ;;
*) echo "cli.sh: unknown case $name" >&2; exit 2 ;;
esac
echo "cli.sh: $name passed"
