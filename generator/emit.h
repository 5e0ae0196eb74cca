/* emit.h: output text with indentation and #line directives.
 *
 * The lowering writes C through these calls; the emitter indents, keeps
 * track of the line the C compiler believes it is on, and inserts
 * `#line N "file.ac"` only where that belief would be wrong, so compiler
 * messages and debuggers point at the .ac source. */
#ifndef EMIT_H
#define EMIT_H

#include "mem.h"

/* A line directive of the .ac (`#line N "name"`, or GNU's `# N "name"`):
 * to the C compiler, the line after .ac line `at` is line N of `file`. */
typedef struct LineMark {
    int at;
    int line;
    const char *file; /* as the body of a C string literal */
} LineMark;

typedef struct Emit {
    Buf out;
    int indent;
    int lines;         /* emit #line directives */
    const char *file;  /* .ac name for #line, as a C string literal body */
    const char *cfile; /* output name, for glue code (NULL: keep the .ac) */
    int oline;         /* output lines written so far */
    int cur;           /* line the compiler assigns to the next output line (0: unknown) */
    int want;          /* .ac line of what is emitted next (0: glue) */
    int in_ac;         /* the compiler's idea of the file is the .ac */
    const char *cur_file; /* ... which the .ac's own #line may have renamed */
    const LineMark *marks; /* the .ac's line directives, in line order */
    int nmarks;
    int pending;       /* emit_at was called and no line followed yet */
} Emit;

void emit_at(Emit *e, int srcline);      /* what follows comes from this .ac line */
/* The line and file (*file) that the C compiler gives .ac line `srcline`
 * after the .ac's own line directives: what a #line of acc's says. */
int emit_map(const Emit *e, int srcline, const char **file);
void emit_glue(Emit *e);                 /* what follows is generated: map it to the .c */
void emit_splice(Emit *e, Emit *part);   /* append text generated separately */
/* A line of glue code: it gets a #line only right after emit_at. */
void emit_line(Emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The line that carries a statement of the source: it always maps to the
 * statement's .ac line, even after glue such as an await's resume point. */
void emit_stmt(Emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void emit_label(Emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A line of glue that opens the code of a statement ("{", "for (;;) {"):
 * it takes no #line itself; one that emit_at asked for goes to the code,
 * where a C compiler reports its errors. */
void emit_unmapped(Emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Verbatim, no indentation.  A line directive in s (the source's own)
 * leaves the compiler's line unknown: the next .ac line gets a #line. */
void emit_raw(Emit *e, const char *s, size_t n);
/* A conditional directive line (#if ... #endif), verbatim: no #line before
 * it (it would be skipped with a group the condition leaves out), and one
 * before the next line of .ac code, whichever group the compiler took. */
void emit_cond(Emit *e, const char *s, size_t n);
void emit_open(Emit *e);  /* "{" and indent */
void emit_close(Emit *e); /* dedent and "}" */
/* Escape a path for use inside a C string literal (a #line directive). */
char *emit_cstring(Arena *a, const char *s);

#endif /* EMIT_H */
