/* syntax.h: the parser of async functions (lemon, grammar/parse.y), driven
 * by the classifier that decides, token by token, what an identifier is.
 *
 * The file-level scanner (unit.c) hands the parser one async item at a
 * time: the tokens from its first attribute or storage class to its closing
 * brace or semicolon.  The parser returns the item's AsyncFn with its body's
 * syntax tree, or NULL after reporting syntax errors. */
#ifndef SYNTAX_H
#define SYNTAX_H

#include "ast.h"

typedef struct Range {
    int first, last;
} Range;

typedef struct Specs {
    int first, last;
    int flags; /* DS_* storage classes seen */
} Specs;

/* An attribute before an async item: @name or @name(expr). */
typedef struct Attr {
    int name; /* token of the name */
    Node *arg;
    struct Attr *next;
} Attr;

/* Names the classifier knows to be types (typedefs, pragmas, builtins). */
typedef struct TypeSet TypeSet;
int types_has(const TypeSet *t, const char *name, size_t len);
void types_add(TypeSet *t, Arena *a, const char *name, size_t len);
TypeSet *types_new(Arena *a);       /* with the common library types */
TypeSet *types_new_empty(Arena *a);

/* A type or a constant that a declaration inside an async body gives a
 * name: a typedef, a struct, union or enum (with or without a tag), an
 * enumerator.  The classifier records them with the tokens that name them
 * (C's scopes followed block by block); hoist.c moves to file scope those
 * that the frame struct needs. */
enum { LOCAL_TYPEDEF, LOCAL_TAG, LOCAL_ENUMERATOR };

typedef struct Local {
    int kind;      /* LOCAL_* */
    int tok;       /* its name; a tag definition without one: its keyword */
    int kw;        /* its struct, union or enum keyword; a typedef's `typedef` */
    int lc, rc;    /* LOCAL_TAG: its body, or -1 (`struct s;` declares it) */
    int up;        /* the definition whose body holds it (an enumerator's
                      enum), or -1 */
    int hides;     /* LOCAL_ENUMERATOR: a variable or enumerator of an
                      enclosing block that it hides, or -1 */
    int implicit;  /* LOCAL_TAG declared by its first use (`struct s *p`,
                      C11 6.7.2.3p8): a tag of the file or of a header,
                      unless a body of the same block completes it */
    int moved;     /* hoist.c: needed at file scope */
    const char *cname; /* hoist.c: its name there (typedefs and tags) */
    int merged;    /* hoist.c: an identical enum moved before stands for it */
} Local;

typedef struct Locals {
    Local *v;
    int n, cap;
    int *of;       /* per token of the file: the local it declares or
                      names, or -1 */
} Locals;

typedef struct Parser {
    const Src *src;
    const Token *toks;
    Arena *arena;
    TypeSet *types;
    Locals *locals; /* where the locals of the items go (NULL: not kept) */
    TypeSet *tags;  /* tags the file names outside function bodies */
    int complex_h;  /* <complex.h> is included: `complex` is _Complex */
    AsyncFn *fn;  /* the result */
    Attr *attrs;  /* attributes of the item */
    int failed;   /* a syntax error was reported */
    int at;       /* the token being fed to the parser (where a full stack
                     is reported) */
    int full;     /* the parser's stack overflowed: nothing more is fed */
    int end;      /* the item's end, fed after its last token: the token
                     there is the next item's when a '}' is missing */
} Parser;

/* Register the names declared by a file-scope typedef whose specifiers
 * start at token i; returns the index of its ';'. */
int parser_typedef_names(Parser *p, int i, int last);

/* The name of the typedef's declarator that starts at token i (the first
 * one with the specifiers), or -1 if it has none; *end: the ',' or ';'
 * after it, or last if neither comes.  A typedef's names: from *end + 1
 * again while *end is a ',' before last. */
int parser_typedef_declarator(const Parser *p, int i, int last, int *end);

/* The token that closes the '(', '[' or '{' at t[i] (only brackets of that
 * kind count), or `last` if none does up to t[last].  The unit's kind-0
 * token after its last one closes nothing: a scan to the end may pass its
 * index as last. */
int parser_closing(const Token *t, int i, int last);

/* Does t[i] begin a GNU attribute, `__attribute__((...))` or
 * `__attribute((...))`, closed by t[last]?  The index of its last ')',
 * else -1. */
int parser_gnu_attr(const Src *s, const Token *t, int i, int last);

/* The last token of the attribute whose ATTR token is tok (grammar). */
int parser_attr_last(const Parser *p, int tok);

/* Parse tokens [first, last] as one async item. */
AsyncFn *parse_item(Parser *p, int first, int last);

/* Lemon's entry points (generated). */
void *AccParseAlloc(void *(*mallocProc)(size_t), Parser *p);
void AccParse(void *parser, int major, int minor);
void AccParseFree(void *parser, void (*freeProc)(void *));

/* Is token i the word `async` before a type (`async int (*fp)(void)`,
 * in a typedef, a member, a parameter, a local)?  Not C, nor the
 * dialect's: only an async item's head says `async T` (unit.c tells it
 * apart and reports the others). */
int parser_async_in_type(const Src *s, const TypeSet *types, const Token *t, int i);
/* Report such an `async`, with the way to write the type. */
void parser_async_type_error(const Src *s, const Token *async);

/* Used by the grammar's actions. */
void parser_syntax_error(Parser *p, int tok);
Node *parser_declarator(Parser *p, Node *d, Range ptr);
Node *parser_with(Parser *p, int tok, Node *items, Node *body);
AsyncFn *parser_item(Parser *p, Specs storage, Specs ret, Range ptr, int name,
                     Node *params, Node *body, int first, int is_gen);

#endif /* SYNTAX_H */
