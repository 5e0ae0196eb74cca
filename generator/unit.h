/* unit.h: the file-level scan of an .ac file.
 *
 * Outside async functions an .ac file is plain C that passes through
 * untouched.  The scan finds the async items (definitions and declarations)
 * and parses each; learns type names (file typedefs, `#pragma ac typedef`);
 * follows #include lines to headers it can find, to learn the async functions
 * they declare (the generated headers' `acc:` markers, or the .ac file beside
 * a header) and their typedefs; and rejects `await` in plain functions. */
#ifndef UNIT_H
#define UNIT_H

#include "syntax.h"

typedef struct Item {
    int first, last; /* tokens of the item */
    AsyncFn *fn;     /* NULL if it did not parse */
    Attr *attrs;
    struct Item *next;
} Item;

/* A plain C function declared in the file: acc needs its return type to
 * evaluate a call of it before an await to its right. */
typedef struct PlainFn {
    const char *name;
    const char *ret; /* "int", "const char *"; "void" */
} PlainFn;

typedef struct Unit {
    Src *src;
    Token *toks;
    int ntok;
    Arena *arena;
    TypeSet *types;
    TypeSet *header_arrays; /* array typedefs of the headers acc reads
                               (`typedef int vec[3];`), by name */
    Item *items;       /* async items of this file, in order */
    struct Names *fns; /* every async function known, this file's and
                          headers', by name: the first of each name */
    const char **deps; /* files read besides the input (for --depfile) */
    int ndeps;
    const char **incdirs; /* -I directories, then the runtime's */
    int nincdirs;
    int *includes;     /* token indices of this file's #include lines */
    int nincludes;
    int unfound;       /* 1 + the token index of this file's first quoted
                          #include that acc did not find; 0 if none */
    struct Names *plain; /* plain functions declared at file scope, by
                            name: the last of each name */
    Locals locals;     /* types and constants declared in async bodies */
    TypeSet *tags;     /* struct and union tags named outside function bodies */
    struct Hoist *hoist; /* hoist.c's records for the whole file */
    int uses_cm;       /* async with or @contextmanager: needs <ac/gencm.h> */
    const struct Index *index; /* check: the file's typedefs and tags by
                                  name, once asked for (NULL before) */
    const char *fp;    /* check: the frame pointer's name in generated code,
                          once looked for (NULL before) */
    int complex_h;     /* the file, or a header acc reads, includes <complex.h>
                          or <tgmath.h>: `complex` is a type specifier */
} Unit;

/* Scan and parse the unit; reports errors through diag. */
void unit_scan(Unit *u);

AsyncFn *unit_find(const Unit *u, const char *name, size_t len);
/* How many parameters async function f takes (declared in this file or
 * in a header acc read), or -1 where acc cannot tell (an item that did
 * not parse). */
int unit_param_count(const AsyncFn *f);
/* The async function (of u) whose await entry token i of v names, or NULL:
 * `f` in `AC_AWAIT_FN(f)` (ac/cm.h), or `f__await` written out.  A static
 * function named so needs its await entry even if no await calls it. */
AsyncFn *unit_await_entry_use(const Unit *u, const Unit *v, int i);
/* The text of preprocessor line t after the '#' (or the digraph '%:') that
 * opens it. */
const char *unit_pp_text(const Src *s, const Token *t);
/* Is the preprocessor line t a `#pragma ac` line (for acc, not the C
 * compiler, which would warn about an unknown pragma)? */
int unit_is_ac_pragma(const Src *s, const Token *t);
/* The words of preprocessor line t: its directive (`define`, `ifdef`, ...)
 * and the identifier after it (the macro of #define and #undef); a length
 * of 0 where there is none. */
void unit_pp_words(const Src *s, const Token *t, const char **dir, size_t *ndir,
                   const char **name, size_t *nname);
/* What preprocessor line t does to conditionals (lex_pp_kind: LEX_PP_OPEN,
 * _BRANCH, _CLOSE or _NONE). */
int unit_pp_cond(const Src *s, const Token *t);
/* The conditionals open at a point of a body, each as its directive lines
 * from the #if to the branch that point is in: open[0..*n-1] (*n counts
 * past UNIT_PP_KEPT, those are not kept).  Preprocessor line t moves the
 * point past it. */
enum { UNIT_PP_KEPT = 16 };
void unit_pp_follow(const Src *s, Arena *a, const char *open[UNIT_PP_KEPT], int *n,
                    const Token *t);
/* Where a point of a body stands in its conditionals, as one number,
 * `now`, that two points share when no conditional line between them
 * leaves the branches they are in: C sees either both or neither (a whole
 * #if ... #endif between them leaves the branches as they were).  Points
 * in different branches, or under more than UNIT_PP_KEPT conditionals,
 * have different numbers.  Zero-initialised, it is at the body's start;
 * preprocessor line t moves it past t. */
typedef struct PpPath {
    int open[UNIT_PP_KEPT]; /* `now` before each conditional open */
    int depth, next, now;
} PpPath;
void unit_pp_path(PpPath *p, const Src *s, const Token *t);
const PlainFn *unit_find_plain(const Unit *u, const char *name, size_t len);

/* The '}' closing a struct, union or enum body that opens at token i of
 * this file, or -1 if none opens there.  The unit scan reports the awaits
 * in such bodies, wherever they stand. */
int unit_tag_body(const Unit *u, int i);

#endif /* UNIT_H */
