/* ast.h: the syntax tree of one async function, built by the parser's
 * actions, annotated by check (symbols, suspension facts) and read by lower.
 *
 * One node type serves expressions, statements and declarators; the kind
 * says which children mean what (see the table beside each kind).  Types and
 * declarators are not analysed: they are token ranges [first, last] that the
 * emitter copies, with only the declared name singled out. */
#ifndef AST_H
#define AST_H

#include "lex.h"
#include "mem.h"

#define AST_KINDS(X)                                                          \
    /* expressions */                                                         \
    X(E_IDENT)    /* tok: the name; sym: the local it names, if any */        \
    X(E_CONST)    /* tok: number or character literal */                      \
    X(E_STRING)   /* first..last: adjacent string literals */                 \
    X(E_PAREN)    /* (a) */                                                   \
    X(E_CALL)     /* a(b, b->next, ...) */                                    \
    X(E_INDEX)    /* a[b] */                                                  \
    X(E_MEMBER)   /* a.tok or a->tok (op: TK_DOT / TK_ARROW) */               \
    X(E_POST)     /* a++ / a-- (op) */                                        \
    X(E_PRE)      /* op a: ++ -- & * + - ~ ! */                               \
    X(E_SIZEOF)   /* sizeof a */                                              \
    X(E_SIZEOF_T) /* sizeof (first..last) ; op: TK_SIZEOF or TK_ALIGNOF */    \
    X(E_TYPEARG)  /* a type name (first..last) as a macro's argument: offsetof(T, m) */ \
    X(E_CAST)     /* (first..last) a */                                       \
    X(E_COMPLIT)  /* (first..last){ a } : a is an E_INITLIST */               \
    X(E_BINARY)   /* a op b, including && and || */                           \
    X(E_COND)     /* a ? b : c */                                             \
    X(E_ASSIGN)   /* a op b, op one of = += -= ... */                         \
    X(E_COMMA)    /* a, b */                                                  \
    X(E_AWAIT)    /* await a (a is an E_CALL); fn: the callee */              \
    X(E_INITLIST) /* { a, a->next, ... } */                                   \
    X(E_DESIG)    /* first..last = a : a designated initialiser */            \
    X(E_GENERIC)  /* _Generic(a, b...) ; b: E_ASSOC list */                   \
    X(E_ASSOC)    /* first..last: a   (a type name or 'default') */           \
    /* declarations */                                                        \
    X(D_VAR)      /* first..last: declarator; tok: name; a: initialiser;      \
                     op: the last token of GNU attributes after it, or 0 */  \
    X(D_PARAM)    /* first..last: whole parameter; tok: name (0: none) */     \
    /* statements */                                                          \
    X(S_BLOCK)    /* { a a->next ... } */                                     \
    X(S_DECL)     /* first..last: specifiers; a: D_VAR list */                \
    X(S_EXPR)     /* a; */                                                    \
    X(S_IF)       /* if (a) b else c */                                       \
    X(S_WHILE)    /* while (a) b */                                           \
    X(S_DO)       /* do b while (a); */                                       \
    X(S_FOR)      /* for (d; a; c) b ; d: S_DECL or S_EXPR or NULL */         \
    X(S_SWITCH)   /* switch (a) b */                                          \
    X(S_CASE)     /* case a: b */                                             \
    X(S_DEFAULT)  /* default: b */                                            \
    X(S_LABEL)    /* tok: b */                                                \
    X(S_GOTO)     /* goto tok; */                                             \
    X(S_BREAK)                                                                \
    X(S_CONTINUE)                                                             \
    X(S_RETURN)   /* return a; */                                             \
    X(S_EMPTY)    /* ; or, first..last, `__attribute__((fallthrough));` */    \
    X(S_PP)       /* tok: a preprocessor line, or _Pragma(...) to last */     \
    X(S_STATIC_ASSERT) /* _Static_assert(a, b); b: its message (E_STRING) */  \
    X(S_THROW)    /* throw a; */                                              \
    X(S_TRY)      /* try a catch (b) c ; b: D_PARAM */                        \
    X(S_DEFER)    /* defer a */                                               \
    X(S_ERRDEFER) /* errdefer a */                                            \
    X(S_WITH)     /* async with (a) b ; a: S_DECL (one D_VAR) or S_EXPR */    \
    X(S_YIELD)    /* yield a; (a may be NULL) */                           \
    X(S_SPAWN)    /* spawn (a) b ; b: CALL or LVALUE = CALL */              \
    X(S_AFOR)     /* async for (d, a : c) b ; a, d: S_DECL (one D_VAR);       \
                     d: the index of aenumerate (or NULL), its D_VAR's a:    \
                     the start (or NULL) */

typedef enum NodeKind {
#define X(k) k,
    AST_KINDS(X)
#undef X
} NodeKind;

typedef struct Node Node;
typedef struct Sym Sym;
typedef struct AsyncFn AsyncFn;

/* An E_COMPLIT whose storage must outlive a suspension (check): lowered to
 * a frame field filled where the literal stands. */
#define COMPLIT_IN_FRAME 1

struct Node {
    NodeKind kind;
    int tok;         /* principal token: name, operator or keyword */
    int op;          /* operator token kind (E_*), storage flags (S_DECL),
                        COMPLIT_IN_FRAME (E_COMPLIT) */
    int first, last; /* token range, where the kind says so */
    int awaits;      /* set by check: suspension points inside (0: none) */
    /* (the ints first, the pointers after: no padding, 96 bytes, as a
     * node per token is the parser's largest use of memory) */
    Node *a, *b, *c, *d;
    Node *next;  /* next in a list */
    Sym *sym;    /* E_IDENT, D_VAR, D_PARAM: the variable */
    AsyncFn *fn; /* E_AWAIT: the callee; E_CALL: an async callee */
    struct Scope *scope; /* S_BLOCK, S_FOR, S_TRY (catch): frame storage */
    Node *tail;  /* the head of a list being parsed: its last node */
};

/* Frame storage of one C scope: the fields it adds to the frame, and the
 * scopes nested in it.  Sibling scopes are never live together, so the
 * emitter overlaps them in a union. */
typedef struct Field {
    const char *text; /* "int x[4]"; NULL until check_fn ends for a variable's */
    const char *cond; /* the body's conditional lines around its declaration
                         (from each #if to the branch it is in), or NULL */
    int ncond;        /* how many conditionals those lines open */
    struct Sym *sym;  /* the variable it holds (the first of a declaration
                         whose declarators share it), or NULL */
    struct Field *next;
} Field;

typedef struct Scope {
    Field *fields, **fields_tail;
    struct Scope *kids, **kids_tail, *next;
} Scope;

/* A variable of an async function: parameter, local or hidden slot. */
struct Sym {
    const char *name;  /* as written */
    const char *cname; /* field name in the frame (unique in the function) */
    Node *decl;        /* D_VAR or D_PARAM */
    Node *specs;       /* S_DECL holding the specifiers (NULL for params) */
    int in_frame;      /* lives across a suspension point */
    int is_static;     /* static or extern local: never in the frame */
    int used;          /* read or written somewhere after its declaration */
    int is_param;      /* an array parameter is a pointer in the frame */
    int pointer_param; /* a parameter declared as an array or a function
                          (also by a typedef of the file): C adjusts it to
                          a pointer (C11 6.7.6.3p7-8), as its field is */
    const char *ptype; /* check: the type of such a parameter declared by a
                          typedef, as a type name (`int (*)[3]`), or NULL */
    int ptype_at;      /* where in ptype its field's name goes */
    int live;          /* read or written after a suspension point (check) */
    int addr_taken;    /* &x seen: a pointer may outlive a suspension */
    int decl_seq;      /* order of declaration in the function */
    int decl_pos;      /* suspension count when it came into scope */
    int redeclared;    /* check: an error, declared again in its block */
    Sym *next;         /* next variable of the same scope */
    Sym *same;         /* next of the same name in that scope (check) */
};

/* Storage class flags of S_DECL (Node.op). */
enum { DS_STATIC = 1, DS_EXTERN = 2, DS_TYPEDEF = 4, DS_REGISTER = 8 };

/* An async function: defined in this file, declared in it, or read from a
 * header.  For declarations read from headers only the signature is known. */
struct AsyncFn {
    const char *name;
    const char *ret;    /* return type as C text ("void" for none) */
    int is_void;
    int is_static;
    int is_generator;   /* `async yield T` or contains yield (later issues) */
    int is_cm;          /* @contextmanager: yields once, used by `async with` */
    int defined;        /* defined in this file (on the canonical entry) */
    const AsyncFn *def; /* the first definition in this file (ditto) */
    const char *params; /* parameter list as C text, "void" for none */
    Node *params_list;  /* D_PARAM list (its nodes index the tokens of the
                           file that declares it) */
    int arity;          /* 1 + the number of parameters; 0: unknown (an
                           item that did not parse) */
    Node *body;         /* S_BLOCK; NULL for a declaration */
    int name_tok;       /* token of the name (this file only) */
    int own;            /* declared or defined in this file (not a header) */
    int first, last;    /* tokens of the whole item (this file only) */
    int local0, nlocal; /* its types and constants (Unit.locals, this file) */
    int awaited;        /* some await calls it (check; on the canonical entry) */
    int yields_only;    /* a generator whose body suspends only at its yields,
                           in every definition (check; ditto): a step of it
                           starts no frame */
    int suspends_more;  /* a definition of it suspends elsewhere too (check) */
    int suspends;       /* a definition of it has a suspension point (check;
                           on the canonical entry): without one, an await
                           of it starts it with no C-stack check */
    int called;         /* some plain call makes a coroutine object (ditto) */
    AsyncFn *canon;     /* the entry of this name in the unit's registry */
    int item_end;       /* 1 + the index of the last item of the file that
                           holds it, 0 if none (compile) */
};

Node *ast_node(Arena *a, NodeKind k, int tok);
Node *ast_list_append(Node *list, Node *n); /* returns the list head */
/* A node of `root` (following a, b, c, d; lists count as one level) more
 * than `limit` levels down, or NULL.  Iterative: later stages recurse on
 * trees that have passed it. */
const Node *ast_too_deep(Arena *a, const Node *root, int limit);
const char *ast_kind_name(NodeKind k);
int ast_first_tok(const Node *e); /* first token of an expression */
/* Is there a statement of `kind` (S_YIELD, S_WITH...) anywhere in s? */
int ast_has_stmt(const Node *s, NodeKind kind);
/* Print the tree (acc -d a): one node a line, indented. */
void ast_dump(const Node *n, const Src *s, const Token *toks, int depth);

#endif /* AST_H */
