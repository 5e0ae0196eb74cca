/* main.c: the acc driver.
 *
 *   acc IN.ac -o OUT.c [--header OUT.h] [-I DIR]... [--no-line]
 *       [--depfile F] [--frame-sizes] [--dot] [-d a] [--version] [--help]
 *
 * Stages: read, lex, scan the file (unit), check each async function, and
 * only if no error was reported, lower and write the outputs.  Outputs are
 * written to a temporary file and renamed, so a failed run never leaves a
 * truncated file or touches an existing one. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "emit.h"
#include "frame.h"
#include "graph.h"
#include "lower.h"
#include "unit.h"
#include "parse.h"

#ifndef AC_VERSION
#define AC_VERSION "0.1.0"
#endif

typedef struct Options {
    const char *in, *out, *header, *depfile;
    const char *incdirs[64];
    int nincdirs;
    int no_line, frame_sizes, dump_ast, dot;
} Options;

static void usage(FILE *f)
{
    fputs("usage: acc IN.ac -o OUT.c [--header OUT.h] [-I DIR]... [--no-line]\n"
          "           [--depfile FILE] [--frame-sizes] [--dot] [--version] [--help]\n"
          "\n"
          "Lowers the async functions of an AC source file to plain C11.\n"
          "  -o OUT.c          the C file to write\n"
          "  --header OUT.h    also write a header declaring the exported async functions\n"
          "  -I DIR            search DIR for headers that declare async functions\n"
          "  --no-line         no #line directives in the output\n"
          "  --depfile FILE    write Make dependencies of OUT.c\n"
          "  --frame-sizes     print each async function's frame layout\n"
          "  --dot             print each async function's state graph (Graphviz)\n"
          "  -d a              dump the syntax tree of each async function\n",
          f);
}

static int parse_args(int argc, char **argv, Options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--version")) {
            printf("acc %s\n", AC_VERSION);
            exit(0);
        } else if (!strcmp(a, "-o") && next) {
            o->out = argv[++i];
        } else if (!strcmp(a, "--header") && next) {
            o->header = argv[++i];
        } else if (!strcmp(a, "--depfile") && next) {
            o->depfile = argv[++i];
        } else if (!strcmp(a, "-I") && next) {
            if (o->nincdirs < 60)
                o->incdirs[o->nincdirs++] = argv[++i];
        } else if (!strncmp(a, "-I", 2) && a[2]) {
            if (o->nincdirs < 60)
                o->incdirs[o->nincdirs++] = a + 2;
        } else if (!strcmp(a, "--no-line")) {
            o->no_line = 1;
        } else if (!strcmp(a, "--frame-sizes")) {
            o->frame_sizes = 1;
        } else if (!strcmp(a, "--dot")) {
            o->dot = 1;
        } else if (!strcmp(a, "-d") && next) {
            o->dump_ast = strchr(argv[++i], 'a') != NULL;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "acc: error: unknown option '%s'\n", a);
            return 0;
        } else if (!o->in) {
            o->in = a;
        } else {
            fprintf(stderr, "acc: error: more than one input file ('%s')\n", a);
            return 0;
        }
    }
    if (!o->in || (!o->out && !o->frame_sizes && !o->dump_ast && !o->dot)) {
        usage(stderr);
        return 0;
    }
    return 1;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    Buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        buf_free(&b);
        return NULL;
    }
    buf_put(&b, "", 0);
    *len = b.len;
    return b.p;
}

/* Write data to path through a temporary in the same directory. */
static int write_atomic(const char *path, const char *data, size_t len)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return 0;
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diag_fatal("cannot write '%s'", path);
        free(tmp);
        return 0;
    }
    FILE *f = fdopen(fd, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    ok = (f ? fclose(f) == 0 : 0) && ok;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        remove(tmp);
        diag_fatal("cannot write '%s'", path);
    }
    free(tmp);
    return ok;
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

static const char *banner =
    "/* Generated by acc " AC_VERSION " from %s: do not edit.\n"
    " *\n"
    " * Each async function F becomes a frame struct (its parameters and what must\n"
    " * survive a suspension), a resume function, and two entry points: F__await\n"
    " * (push F's frame on the caller's task and start it) and F (a coroutine object\n"
    " * for ac_run).  The resume function opens with a switch on the frame's state\n"
    " * that jumps to the label ac_rN after the await that suspended (protothreads'\n"
    " * trick, with goto so that awaits may sit inside the user's own switch).\n"
    " * Errors jump to ac_u.. labels that run pending cleanups innermost first. */\n";

/* Copy [from, to) of the source; `#pragma ac` lines become comments. */
static void passthrough(Unit *u, Emit *e, int from, int to)
{
    if (to <= from)
        return;
    int line, col;
    diag_loc(u->src, from, &line, &col);
    emit_at(e, line);
    for (int i = 0; i < u->ntok; i++) {
        const Token *t = &u->toks[i];
        if (t->kind != TK_PPLINE || t->off < from || t->off >= to || !unit_is_ac_pragma(u->src, t))
            continue;
        emit_raw(e, u->src->text + from, (size_t)(t->off - from));
        emit_raw(e, "/* ", 3);
        emit_raw(e, u->src->text + t->off, (size_t)t->len);
        emit_raw(e, " */", 3);
        from = t->off + t->len;
    }
    emit_raw(e, u->src->text + from, (size_t)(to - from));
}

static int defined_later(const Item *it, const AsyncFn *f)
{
    for (; it; it = it->next)
        if (it->fn == f)
            return 1;
    return 0;
}

static void gen_c(Unit *u, FnInfo **infos, Emit *e)
{
    int pos = 0, first = 1, i = 0;
    char *b = mem_printf(u->arena, banner, u->src->name);
    emit_raw(e, b, strlen(b));
    for (Item *it = u->items; it; it = it->next, i++) {
        passthrough(u, e, pos, u->toks[it->first].off);
        pos = u->toks[it->last].off + u->toks[it->last].len;
        if (!it->fn)
            continue;
        emit_at(e, u->toks[it->first].line);
        emit_glue(e);
        if (first) {
            emit_line(e, "#include <ac/frame.h>");
            if (u->uses_cm) {
                emit_line(e, "#include <ac/gencm.h>");
                emit_line(e, "#include <ac/gen.h>");
                emit_line(e, "#include <ac/aiter.h>");
            }
            emit_line(e, "#include <string.h>");
            first = 0;
        }
        if (!it->fn->body || infos[i] == NULL) { /* a declaration */
            lower_prototypes(u, it->fn, e, 0);
            continue;
        }
        FnInfo *fi = infos[i];
        lower_prototypes(u, fi->fn, e, 0);
        for (int k = 0; k < fi->nuses; k++)
            if (defined_later(it->next, fi->uses[k]))
                lower_prototypes(u, fi->uses[k], e, 0);
        lower_fn(u, fi, e);
    }
    passthrough(u, e, pos, (int)u->src->len);
}

static void gen_h(Unit *u, const Options *o, Buf *b)
{
    Emit e = {0};
    const char *base = strrchr(o->header, '/') ? strrchr(o->header, '/') + 1 : o->header;
    Buf guard = {0};
    for (const char *p = base; *p; p++) {
        char c = *p;
        c = (c >= 'a' && c <= 'z') ? (char)(c - 32) : ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_';
        buf_put(&guard, &c, 1);
    }
    buf_printf(&e.out, "/* Generated by acc " AC_VERSION " from %s: do not edit. */\n", u->src->name);
    buf_printf(&e.out, "#ifndef ACC_%s\n#define ACC_%s\n\n#include <ac/frame.h>\n", guard.p, guard.p);
    for (int i = 0; i < u->nincludes; i++) {
        const Token *t = &u->toks[u->includes[i]];
        const char *text = u->src->text + t->off;
        char *line = mem_strndup(u->arena, text, (size_t)t->len);
        if (!strstr(line, base))
            buf_printf(&e.out, "%s\n", line);
    }
    for (Item *it = u->items; it; it = it->next)
        if (it->fn && it->fn->body && !it->fn->canon->is_static &&
            (it->fn->is_cm || it->fn->is_generator)) {
            buf_puts(&e.out, "#include <ac/cm.h>\n#include <ac/aiter.h>\n");
            break;
        }
    buf_puts(&e.out, "\n");
    for (Item *it = u->items; it; it = it->next)
        if (it->fn && it->fn->body && !it->fn->canon->is_static)
            lower_prototypes(u, it->fn, &e, 1);
    buf_printf(&e.out, "\n#endif /* ACC_%s */\n", guard.p);
    buf_free(&guard);
    *b = e.out;
}

static void gen_depfile(Unit *u, const Options *o, Buf *b)
{
    buf_printf(b, "%s:", o->out);
    buf_printf(b, " %s", u->src->name);
    for (int i = 0; i < u->ndeps; i++)
        buf_printf(b, " \\\n  %s", u->deps[i]);
    buf_puts(b, "\n");
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
            printf("%.*s\n};\n", (int)(end - s), s);
            frame_report(it->fn->name, s, infos[i]->nawaits);
        }
    }
}

/* --dot: the state graph of each async function, one digraph each. */
static void state_graphs(FnInfo **infos, Unit *u)
{
    int i = 0;
    for (Item *it = u->items; it; it = it->next, i++) {
        if (!infos[i] || !infos[i]->graph)
            continue;
        Buf b = {0};
        graph_dot(infos[i]->graph, it->fn->name, &b);
        fwrite(b.p, 1, b.len, stdout);
        buf_free(&b);
    }
}

static int run(Options *o, Arena *a, Src *src)
{
    Unit u = {0};
    u.src = src;
    u.arena = a;
    u.toks = lex_file(src, a, &u.ntok);
    u.incdirs = o->incdirs;
    u.nincdirs = o->nincdirs;
    unit_scan(&u);
    int n = 0;
    for (Item *it = u.items; it; it = it->next)
        n++;
    FnInfo **infos = mem_alloc(a, sizeof *infos * (size_t)(n + 1));
    int i = 0;
    for (Item *it = u.items; it; it = it->next, i++)
        if (it->fn && it->fn->body && diag_errors() == 0 + diag_errors())
            infos[i] = check_fn(&u, it->fn);
    if (o->dump_ast)
        for (Item *it = u.items; it; it = it->next)
            if (it->fn && it->fn->body)
                ast_dump(it->fn->body, src, u.toks, 0);
    if (diag_errors())
        return 1;
    Emit e = {0};
    e.lines = !o->no_line;
    e.file = emit_cstring(a, src->name);
    e.cfile = o->out ? emit_cstring(a, o->out) : NULL;
    gen_c(&u, infos, &e);
    if (diag_errors()) {
        buf_free(&e.out);
        return 1;
    }
    if (o->frame_sizes)
        frame_sizes(infos, &u, e.out.p);
    if (o->dot)
        state_graphs(infos, &u);
    int ok = 1;
    if (o->out)
        ok = write_atomic(o->out, e.out.p, e.out.len);
    buf_free(&e.out);
    if (ok && o->header) {
        Buf h = {0};
        gen_h(&u, o, &h);
        ok = write_atomic(o->header, h.p, h.len);
        buf_free(&h);
    }
    if (ok && o->depfile) {
        Buf d = {0};
        gen_depfile(&u, o, &d);
        ok = write_atomic(o->depfile, d.p, d.len);
        buf_free(&d);
    }
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    Options o = {0};
    if (!parse_args(argc, argv, &o))
        return 1;
    Arena *a = mem_new();
    runtime_dirs(&o, a, argv[0]);
    Src src = {0};
    src.name = o.in;
    char *text = read_all(o.in, &src.len);
    if (!text) {
        diag_fatal("cannot read '%s'", o.in);
        mem_free(a);
        return 1;
    }
    src.text = text;
    src.len = strlen(text) < src.len ? src.len : src.len;
    diag_init_src(&src);
    int rc = run(&o, a, &src);
    diag_free_src(&src);
    free(text);
    mem_free(a);
    return rc;
}
