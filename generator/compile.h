/* compile.h: one .ac source to its outputs, in memory (compile.c). */
#ifndef COMPILE_H
#define COMPILE_H

#include "check.h"
#include "mem.h"
#include "unit.h"

typedef struct CompileOpts {
    const char *out;     /* the C file's name: the target of the depfile and
                            of #line for generated lines; "-": stdout; NULL */
    const char *header;  /* make a header, named so (its include guard) */
    const char *depfile; /* make a depfile (needs out) */
    const char **incdirs; /* where headers with async declarations are */
    int nincdirs;
    int no_line;         /* no #line directives */
    int dump_ast;        /* print each async function's tree (-d a) */
} CompileOpts;

typedef struct Compiled {
    Unit unit;           /* the scanned file (its memory is the arena's) */
    FnInfo **infos;      /* per item of unit: the checked function, or NULL */
    Buf c, h, d;         /* the C file, header and depfile (empty unless asked) */
} Compiled;

/* Lex, scan, check and lower src (its lines set by diag_init_src) into
 * *out.  Returns 0, or 1 when errors were reported (diag.h): then nothing
 * of *out but its buffers (for compiled_free) is meaningful. */
int compile_src(const CompileOpts *o, Arena *a, Src *src, Compiled *out);
void compiled_free(Compiled *c);

#endif /* COMPILE_H */
