/* main.c: the acc driver.
 *
 *   acc IN.ac -o OUT.c [--header OUT.h] [-I DIR]... [--no-line]
 *       [--depfile F] [--frame-sizes] [--dot] [-d a]
 *       [--max-errors N] [--max-warnings N] [--version] [--help]
 *
 * Stages: read, lex, scan the file (unit), check each async function, and
 * only if no error was reported, lower and write the outputs, all of them or
 * none (output.h): a failed run never leaves a truncated file or touches an
 * existing one.  `-o -` writes the C to standard output. */
#define _XOPEN_SOURCE 700 /* POSIX 2008 with realpath */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "frame.h"
#include "graph.h"
#include "output.h"

#ifndef AC_VERSION
#define AC_VERSION "0.1.0"
#endif

typedef struct Options {
    const char *in, *out, *header, *depfile;
    const char **incdirs; /* the -I directories, then the runtime's two */
    int nincdirs;
    int no_line, frame_sizes, dump_ast, dot;
    int max_errors, max_warnings; /* shown at most (0: all) */
} Options;

static void usage(FILE *f)
{
    fputs("usage: acc IN.ac -o OUT.c [--header OUT.h] [-I DIR]... [--no-line]\n"
          "           [--depfile FILE] [--frame-sizes] [--dot] [-d a]\n"
          "           [--max-errors N] [--max-warnings N] [--version] [--help]\n"
          "\n"
          "Lowers the async functions of an AC source file to plain C11.\n"
          "  -o OUT.c          the C file to write ('-' for standard output)\n"
          "  --header OUT.h    also write a header declaring the exported async functions\n"
          "  -I DIR            search DIR for headers that declare async functions\n"
          "  --no-line         no #line directives in the output\n"
          "  --depfile FILE    write Make dependencies of OUT.c (needs -o OUT.c)\n"
          "  --frame-sizes     print each async function's frame layout\n"
          "  --dot             print each async function's state graph (Graphviz)\n"
          "  -d a              dump the syntax tree of each async function\n"
          "  --max-errors N    show at most N errors (default 20; 0: all)\n"
          "  --max-warnings N  show at most N warnings (default 20; 0: all)\n",
          f);
}

/* Where a file still to be made will be: its directory's real path and
 * its base name (`./o.c` and `o.c` are one place).  NULL if the directory
 * cannot be resolved. */
static char *where(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path + 1)) : strdup(".");
    char *real = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!real)
        return NULL;
    const char *base = slash ? slash + 1 : path;
    char *full = malloc(strlen(real) + strlen(base) + 2);
    if (full)
        sprintf(full, "%s/%s", real, base);
    free(real);
    return full;
}

/* Do names a and b stand for one regular file (an existing one, or the
 * same name of one still to be made)?  Devices and FIFOs may be named
 * twice (`-o /dev/null --header /dev/null`). */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    if (ea && eb)
        return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea || eb)
        return 0;
    char *pa = where(a), *pb = where(b);
    int same = pa && pb ? !strcmp(pa, pb) : !strcmp(a, b);
    free(pa);
    free(pb);
    return same;
}

/* No output may be the input or another output: acc would replace its own
 * source, or write one output over the other. */
static const char *check_clashes(const Options *o)
{
    static char msg[600];
    const char *what[] = {"the input", "-o", "--header", "--depfile"};
    const char *name[] = {o->in, o->out, o->header, o->depfile};
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++) {
            if (!name[i] || !name[j] || !strcmp(name[i], "-") || !strcmp(name[j], "-"))
                continue;
            if (same_file(name[i], name[j])) {
                snprintf(msg, sizeof msg, "%s and %s name the same file ('%.500s')", what[i],
                         what[j], name[j]);
                return msg;
            }
        }
    return NULL;
}

/* The combinations of outputs that make sense: standard output carries one
 * thing, a depfile names the C file it is about, and no two name one file. */
static int check_outputs(const Options *o)
{
    const char *err = NULL;
    if ((o->header && !strcmp(o->header, "-")) || (o->depfile && !strcmp(o->depfile, "-")))
        err = "standard output ('-') is only for -o";
    else if (o->depfile && (!o->out || !strcmp(o->out, "-")))
        err = "--depfile needs -o naming a file";
    else if (o->out && !strcmp(o->out, "-") && (o->frame_sizes || o->dot))
        err = "-o - cannot be combined with --frame-sizes or --dot (standard output)";
    else
        err = check_clashes(o);
    if (err)
        fprintf(stderr, "acc: error: %s\n", err);
    return err == NULL;
}

/* Has everything printed on standard output reached it?  A full disk or a
 * closed pipe must not pass for success with the text cut short (stdio
 * keeps the error until the buffer is flushed).  Says so if not. */
static int stdout_ok(void)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 1;
    diag_fatal("cannot write '<stdout>': %s", errno ? strerror(errno) : "write error");
    return 0;
}

/* Is option a followed by its value (`-o X`)? */
static int takes_value(const char *a)
{
    return !strcmp(a, "-o") || !strcmp(a, "--header") || !strcmp(a, "--depfile") ||
           !strcmp(a, "-I") || !strcmp(a, "-d") || !strcmp(a, "--max-errors") ||
           !strcmp(a, "--max-warnings");
}

/* The value of option argv[*i] (`-o X`), or NULL after saying it is
 * missing. */
static const char *option_value(int argc, char **argv, int *i)
{
    if (*i + 1 < argc)
        return argv[++*i];
    fprintf(stderr, "acc: error: option '%s' needs an argument\n", argv[*i]);
    return NULL;
}

/* The value v of a limit option (a count, 0 or more) in *n; 0 after an
 * error was said. */
static int limit_value(const char *opt, const char *v, int *n)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || x < 0 || x > 1000000000 || errno) {
        fprintf(stderr, "acc: error: '%s' needs a count (0 for no limit), not '%s'\n", opt, v);
        return 0;
    }
    *n = (int)x;
    return 1;
}

/* One option or the input, argv[*i]; 0 after an error was said. */
static int parse_arg(int argc, char **argv, int *i, Options *o)
{
    const char *a = argv[*i];
    const char **value = !strcmp(a, "-o")          ? &o->out
                         : !strcmp(a, "--header")  ? &o->header
                         : !strcmp(a, "--depfile") ? &o->depfile
                                                   : NULL;
    if (takes_value(a)) {
        const char *v = option_value(argc, argv, i);
        if (!v)
            return 0;
        if (value)
            *value = v;
        else if (!strcmp(a, "--max-errors"))
            return limit_value(a, v, &o->max_errors);
        else if (!strcmp(a, "--max-warnings"))
            return limit_value(a, v, &o->max_warnings);
        else if (a[1] == 'I')
            o->incdirs[o->nincdirs++] = v;
        else if (strcmp(v, "a")) {
            fprintf(stderr, "acc: error: unknown dump '-d %s' (there is '-d a')\n", v);
            return 0;
        } else
            o->dump_ast = 1;
    } else if (!strncmp(a, "-I", 2)) {
        o->incdirs[o->nincdirs++] = a + 2;
    } else if (!strcmp(a, "--no-line")) {
        o->no_line = 1;
    } else if (!strcmp(a, "--frame-sizes")) {
        o->frame_sizes = 1;
    } else if (!strcmp(a, "--dot")) {
        o->dot = 1;
    } else if (a[0] == '-' && a[1]) {
        fprintf(stderr, "acc: error: unknown option '%s' (acc --help lists them)\n", a);
        return 0;
    } else if (!o->in) {
        o->in = a;
    } else {
        fprintf(stderr, "acc: error: more than one input file ('%s')\n", a);
        return 0;
    }
    return 1;
}

static int parse_args(int argc, char **argv, Options *o)
{
    for (int i = 1; i < argc; i++) {
        if (takes_value(argv[i])) {
            i++; /* `-o --help` names a file */
            continue;
        }
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            exit(stdout_ok() ? 0 : 1);
        }
        if (!strcmp(argv[i], "--version")) {
            printf("acc %s\n", AC_VERSION);
            exit(stdout_ok() ? 0 : 1);
        }
    }
    /* every -I, and the runtime's two directories (runtime_dirs) */
    o->incdirs = malloc(sizeof *o->incdirs * (size_t)(argc + 2));
    if (!o->incdirs) {
        fputs("acc: out of memory\n", stderr);
        return 0;
    }
    for (int i = 1; i < argc; i++)
        if (!parse_arg(argc, argv, &i, o))
            return 0;
    const char *missing = !o->in ? "no input file"
                          : !o->out && !o->frame_sizes && !o->dump_ast && !o->dot
                              ? "no output: give -o OUT.c ('-' for standard output)"
                              : NULL;
    if (missing) {
        fprintf(stderr, "acc: error: %s\n", missing);
        usage(stderr);
        return 0;
    }
    return check_outputs(o);
}

/* The largest input acc reads.  Offsets into the source are ints, and
 * acc's memory grows with the input: some 26 bytes per byte for a token
 * per byte outside async functions (it was 61, when the token array's old
 * copies stayed in the arena), and some 180 for a statement per byte in
 * one (`;;;...`: a syntax-tree node each, and their C).  A 2.2 GB file of
 * NULs took every gigabyte of a 24 GB machine for seven minutes before it
 * was killed.  At 64 MiB the worst case stays within about 12 GB, ordinary
 * code within 1 to 4; a source file that big is no source file. */
#define MAX_INPUT (64u << 20)

/* The whole file at path, NUL-terminated, or NULL with errno set (EFBIG:
 * more than MAX_INPUT bytes, found before reading a regular file, or when
 * reading a pipe or device passes the limit). */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > (off_t)MAX_INPUT) {
        fclose(f);
        errno = EFBIG;
        return NULL;
    }
    Buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len + n <= MAX_INPUT)
        buf_put(&b, chunk, n);
    int bad = ferror(f) ? errno : n > 0 ? EFBIG : 0;
    fclose(f);
    if (bad) {
        buf_free(&b);
        errno = bad; /* for the caller's message */
        return NULL;
    }
    buf_put(&b, "", 0);
    *len = b.len;
    return b.p;
}

/* The runtime's headers: in the source tree while building, ../include
 * beside the installed binary. */
static void runtime_dirs(Options *o, Arena *a, const char *argv0)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    const char *exe = argv0;
    if (n > 0) {
        self[n] = 0;
        exe = self;
    }
    const char *slash = strrchr(exe, '/');
    if (slash)
        o->incdirs[o->nincdirs++] = mem_printf(a, "%.*s/../include", (int)(slash - exe), exe);
#ifdef AC_RUNTIME_INCLUDE_DIR
    o->incdirs[o->nincdirs++] = AC_RUNTIME_INCLUDE_DIR;
#endif
}

/* --frame-sizes: the layout of each frame as generated, and its size. */
static void frame_sizes(FnInfo **infos, Unit *u, const char *out)
{
    int i = 0;
    for (Item *it = u->items; it; it = it->next, i++) {
        if (!infos[i])
            continue;
        const char *name = mem_printf(u->arena, "struct %s__frame {", it->fn->name);
        const char *s = strstr(out, name);
        const char *end = s ? strstr(s, "\n};") : NULL;
        if (s && end) {
            frame_print(s, end + 1);
            printf("};\n");
            frame_report(it->fn->name, s, infos[i]->nawaits);
        }
    }
}

/* --dot: the state graph of each async function, a cluster each in one
 * digraph (dot -Tsvg draws them all in one picture). */
static void state_graphs(FnInfo **infos, Unit *u, const char *file)
{
    Buf b = {0};
    graph_dot_begin(file, &b);
    int i = 0;
    for (Item *it = u->items; it; it = it->next, i++) {
        if (!infos[i] || !infos[i]->graph)
            continue;
        graph_dot(infos[i]->graph, it->fn->name, &b);
    }
    buf_puts(&b, "}\n");
    fwrite(b.p, 1, b.len, stdout);
    buf_free(&b);
}

static int run(Options *o, Arena *a, Src *src)
{
    CompileOpts co = {o->out, o->header, o->depfile, o->incdirs, o->nincdirs, o->no_line,
                      o->dump_ast};
    Compiled c;
    int rc = compile_src(&co, a, src, &c);
    if (rc == 0 && o->frame_sizes)
        frame_sizes(c.infos, &c.unit, c.c.p);
    if (rc == 0 && o->dot)
        state_graphs(c.infos, &c.unit,
                     strrchr(src->name, '/') ? strrchr(src->name, '/') + 1 : src->name);
    if (rc == 0 && (o->frame_sizes || o->dot) && !stdout_ok())
        rc = 1; /* and no output file is written: all or none */
    if (rc == 0) {
        OutFile files[3];
        int nfiles = 0;
        if (o->out)
            files[nfiles++] = (OutFile){o->out, c.c.p, c.c.len};
        if (o->header)
            files[nfiles++] = (OutFile){o->header, c.h.p, c.h.len};
        if (o->depfile)
            files[nfiles++] = (OutFile){o->depfile, c.d.p, c.d.len};
        rc = out_write_all(a, files, nfiles) ? 0 : 1;
    }
    compiled_free(&c);
    return rc;
}

/* Read o->in, compile it and write the outputs: the exit status. */
static int compile_file(Options *o, const char *argv0)
{
    Src src = {0};
    src.name = o->in;
    char *text = read_all(o->in, &src.len);
    if (!text) {
        if (errno == EFBIG)
            diag_fatal("cannot read '%s': larger than %u MiB, the most acc reads", o->in,
                       MAX_INPUT >> 20);
        else
            diag_fatal("cannot read '%s': %s", o->in, strerror(errno));
        return 1;
    }
    src.text = text;
    diag_set_limits(o->max_errors, o->max_warnings);
    Arena *a = mem_new();
    runtime_dirs(o, a, argv0);
    diag_init_src(&src);
    int rc = run(o, a, &src);
    diag_free_src(&src);
    free(text);
    mem_free(a);
    return rc;
}

int main(int argc, char **argv)
{
    Options o = {0};
    o.max_errors = DIAG_MAX_ERRORS;
    o.max_warnings = DIAG_MAX_WARNINGS;
    int rc = parse_args(argc, argv, &o) ? compile_file(&o, argv[0]) : 1;
    free(o.incdirs);
    return rc;
}
