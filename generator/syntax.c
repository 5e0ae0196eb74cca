/* syntax.c: drives the lemon parser over one async item, classifying each
 * identifier on the way (the "lexer hack", done on a token array so the
 * classifier can look ahead).
 *
 * acc never reads the system headers, so it cannot know every typedef name.
 * An identifier is a type name when it is known (typedefs of this file and of
 * headers acc reads, `#pragma ac typedef NAME`, common library types, names
 * ending in _t), or when the syntax leaves no other reading:
 *   - it is followed by another identifier            (T x)
 *   - at a statement start or in a parameter list, it is followed by stars
 *     and an identifier and then ; = , [ or )         (T *x = ...)
 *   - it stands alone in parentheses followed by an operand  ((T)x, (T){..})
 *   - it stands in parentheses followed only by stars ((T *)x)
 * The words of the dialect are keywords only where they can be: `await`
 * before an operand, `defer`, `errdefer`, `throw`, `yield` at a statement
 * start, `async with (` at a statement start, `try` before '{', `catch`
 * between '}' and '('.  So is C's `_Pragma (` at a statement start, where
 * the grammar takes it between the items of a block.
 *
 * Names declared inside the item follow C's block scopes: a variable hides
 * a type of the same name until its block ends, a local typedef is a type
 * name from its declarator on, and so are the tags and enumerators of the
 * struct, union and enum bodies met on the way.  Those types and constants
 * are recorded (Parser.locals) with every token that names them, for
 * hoist.c. */
#include "syntax.h"

#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "parse.h"
#include "unit.h"

/* ---- type names -------------------------------------------------------- */

/* A set of names: a name table whose values are the set itself. */
struct TypeSet {
    Names *names;
};

int types_has(const TypeSet *t, const char *name, size_t len)
{
    return names_get(t->names, name, len) != NULL;
}

void types_add(TypeSet *t, Arena *a, const char *name, size_t len)
{
    if (!types_has(t, name, len))
        names_put(t->names, mem_strndup(a, name, len), len, t);
}

TypeSet *types_new_empty(Arena *a)
{
    TypeSet *t = mem_alloc(a, sizeof *t);
    t->names = names_new(a);
    return t;
}

TypeSet *types_new(Arena *a)
{
    static const char *const builtin[] = {
        "bool", "FILE", "va_list", "jmp_buf", "fpos_t", "div_t", "ldiv_t",
        "ac_error", "ac_coro", "ac_frame", "ac_task", "DIR", "fd_set",
        "ac_cm", "ac_cm_class", "ac_exit_stack", "ac_exit_handle", "ac_aiter", "ac_aiter_class",
    };
    TypeSet *t = types_new_empty(a);
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        types_add(t, a, builtin[i], strlen(builtin[i]));
    return t;
}

/* ---- the classifier ---------------------------------------------------- */

/* A name in scope inside the item: a variable, a local typedef or
 * enumerator, or (a name space of its own) a tag. */
enum { NAME_VAR, NAME_TYPE, NAME_CONST, NAME_TAG };

typedef struct Name {
    const char *s;
    int len;
    int kind;          /* NAME_* */
    int local;         /* its entry in Parser.locals, or -1 */
    int depth;         /* scope_depth() where it is declared */
    int tok;
    int pp;            /* Cls.pp.now where it is declared */
    struct Name *next; /* the one of the same spelling it shadows */
} Name;

typedef struct Cls {
    Parser *p;
    Names *names;     /* the names in scope: each spelling's newest Name */
    Name **stack;     /* ... in the order declared, to drop them at '}' */
    int nstack, capstack;
    int braces;       /* brace depth (0: the head) */
    int for_init;     /* the parenthesis depth of an open `for (`, `async
                         with (` or `catch (` head, or 0 */
    int *kinds;       /* the kind fed for each token, from token i on */
    char *tdname;     /* per token from i on: a name a typedef declares */
    int typedef_kw;   /* the `typedef` of the declaration being read */
    int kw_start;     /* the last struct/union/enum keyword began a statement */
    int i, last;   /* current token, last token of the item */
    int prev;      /* kind of the previous token fed */
    int in_head;   /* before the body's '{' */
    int depth;     /* parenthesis depth */
    int ctl[64];   /* depths of open control-statement parentheses */
    int nctl;
    int whead[16]; /* depths of open `async with (` heads: declarations start
                      after their '(' and ',' */
    int nwhead;
    int stmt_start;
    int decl_depth;  /* a declaration's declarators are open: 1 + the
                        parenthesis depth of its list (0: none) ... */
    int decl_braces; /* ... at this brace depth */
    int decl_comma;  /* the ',' that began its latest declarator, or -1 */
    int quest;      /* '?' of conditionals whose ':' has not come yet */
    int cond_colon; /* the previous token is the ':' of a conditional */
    int after_string; /* the previous tokens are a string literal and names */
    PpPath pp;      /* where the token fed stands in the conditionals */
} Cls;

static int kind_at(const Cls *c, int i)
{
    return i <= c->last ? c->p->toks[i].kind : 0;
}

static int word(const Cls *c, int i, const char *w)
{
    return i <= c->last && c->p->toks[i].kind == TK_IDENT && lex_is(c->p->src, &c->p->toks[i], w);
}

/* ---- names in scope, and the locals they stand for ---------------------- */

/* The scope being declared in: blocks by their brace depth, and between
 * them the declarations of a `for (`, `async with (` or `catch (` head,
 * which end with its statement. */
static int scope_depth(const Cls *c)
{
    return 2 * c->braces + (c->for_init != 0);
}

static Name *name_find(const Cls *c, int i, int tag)
{
    const Token *t = &c->p->toks[i];
    const char *w = c->p->src->text + t->off;
    for (Name *n = names_get(c->names, w, (size_t)t->len); n; n = n->next)
        if (n->len == t->len && (n->kind == NAME_TAG) == tag && memcmp(n->s, w, (size_t)t->len) == 0)
            return n;
    return NULL;
}

/* Token i declares a name in the current block. */
static Name *name_add(Cls *c, int i, int kind, int local)
{
    const Token *t = &c->p->toks[i];
    Name *n = mem_alloc(c->p->arena, sizeof *n);
    n->s = c->p->src->text + t->off;
    n->len = t->len;
    n->kind = kind;
    n->local = local;
    n->depth = scope_depth(c);
    n->tok = i;
    n->pp = c->pp.now;
    n->next = names_get(c->names, n->s, (size_t)n->len);
    names_put(c->names, n->s, (size_t)n->len, n);
    c->stack = mem_grow(c->p->arena, c->stack, c->nstack, &c->capstack, sizeof *c->stack);
    c->stack[c->nstack++] = n;
    return n;
}

/* A block ends: its names go out of scope (each is the newest of its
 * spelling, as they leave in the reverse order of their declarations). */
static void names_pop(Cls *c)
{
    while (c->nstack && c->stack[c->nstack - 1]->depth > scope_depth(c)) {
        Name *n = c->stack[--c->nstack];
        names_put(c->names, n->s, (size_t)n->len, n->next);
    }
}

/* A new local declared by token tok; -1 when the parser keeps none. */
static int local_new(Cls *c, int kind, int tok, int kw, int up)
{
    Locals *L = c->p->locals;
    if (!L)
        return -1;
    L->v = mem_grow(c->p->arena, L->v, L->n, &L->cap, sizeof *L->v);
    Local *l = &L->v[L->n];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->tok = tok;
    l->kw = kw;
    l->lc = l->rc = l->hides = -1;
    l->up = up;
    L->of[tok] = L->n;
    return L->n++;
}

/* Token i names the local of n (if n stands for one). */
static void local_use(Cls *c, int i, const Name *n)
{
    if (c->p->locals && n && n->local >= 0)
        c->p->locals->of[i] = n->local;
}

/* ---- redeclarations in one block ---------------------------------------- */

/* The earlier declaration in this block of what token i declares (in the
 * tags' name space or the other one), when C sees both: they stand in
 * the same branches of the conditionals, as those of an #if may each
 * declare it.  Only in this file's items, whose C acc writes: there a
 * typedef or a tag may move to file scope under a name of its own, where
 * the C compiler sees no redeclaration at all. */
static Name *same_block(const Cls *c, int i, int tag)
{
    if (!c->p->locals)
        return NULL;
    Name *n = name_find(c, i, tag);
    return n && n->depth == scope_depth(c) && n->pp == c->pp.now ? n : NULL;
}

/* The note on n, declared before; a tag is named with its keyword kw (-1:
 * none), as it was declared. */
static void previous(const Cls *c, const Name *n, int kw)
{
    const Token *t = &c->p->toks[n->tok], *k = &c->p->toks[kw >= 0 ? kw : n->tok];
    const char *s = c->p->src->text;
    diag_note(c->p->src, t->off, t->len, "previous declaration of '%.*s%s%.*s' was here",
              kw >= 0 ? k->len : 0, s + k->off, kw >= 0 ? " " : "", t->len, s + t->off);
}

enum { KEY_WORDS = 16 };

static int base_word(const char *w)
{
    static const char *const base[] = {"void", "char", "short", "int", "long",
                                       "float", "double", "_Bool"};
    for (size_t k = 0; k < sizeof base / sizeof *base; k++)
        if (!strcmp(w, base[k]))
            return 1;
    return 0;
}

static int has_word(const char **w, int n, const char *x)
{
    for (int k = 0; k < n; k++)
        if (w[k] && !strcmp(w[k], x))
            return 1;
    return 0;
}

/* The specifier words w[0..n-1] of a basic type in one spelling (C11
 * 6.7.2p2): `int` dropped beside short, long, signed or unsigned, `signed`
 * dropped except beside char, sorted.  Returns the new count. */
static int normal_words(const char **w, int n)
{
    int sized = has_word(w, n, "short") || has_word(w, n, "long") ||
                has_word(w, n, "signed") || has_word(w, n, "unsigned");
    int m = 0, base = 0;
    for (int k = 0; k < n; k++) {
        if ((sized && !strcmp(w[k], "int")) ||
            (!strcmp(w[k], "signed") && !has_word(w, n, "char")))
            continue;
        base |= base_word(w[k]);
        w[m++] = w[k];
    }
    if (!base && m < KEY_WORDS && !has_word(w, m, "unsigned"))
        w[m++] = "int"; /* `signed`, `const signed` */
    for (int k = 1; k < m; k++) /* insertion sort: a handful of words */
        for (int j = k; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
            const char *t = w[j];
            w[j] = w[j - 1];
            w[j - 1] = t;
        }
    return m;
}

static int basic_word(int k)
{
    switch (k) {
    case TK_VOID: case TK_CHAR: case TK_SHORT: case TK_INT: case TK_LONG: case TK_FLOAT:
    case TK_DOUBLE: case TK_SIGNED: case TK_UNSIGNED: case TK_BOOL: case TK_COMPLEX:
    case TK_CONST: case TK_VOLATILE: case TK_RESTRICT:
        return 1;
    }
    return 0;
}

/* The type that the typedef of keyword kw gives name `name`, as a key that
 * the spellings of one basic type share: its specifier words (normal_words),
 * then the rest of its declarator, the name as '@'.  NULL where the words
 * cannot tell the type: more than one declarator, other type names, tags,
 * array sizes (`[4]` is `[0x4]`), parameters. */
static const char *typedef_key(const Cls *c, int kw, int name)
{
    const Parser *p = c->p;
    int end;
    if (parser_typedef_declarator(p, kw + 1, c->last, &end) != name || p->toks[end].kind != TK_SEMI)
        return NULL;
    const char *w[KEY_WORDS];
    int n = 0, i = kw + 1;
    for (; i < end && basic_word(p->toks[i].kind) && n < KEY_WORDS; i++)
        w[n++] = p->toks[i].kind == TK_COMPLEX ? "_Complex" /* or <complex.h>'s complex */
                                               : lex_text(p->src, p->toks, p->arena, i, i);
    if (!n || (i < end && basic_word(p->toks[i].kind)))
        return NULL;
    n = normal_words(w, n);
    Buf b = {0};
    for (int k = 0; k < n; k++)
        buf_printf(&b, "%s ", w[k]);
    for (; i < end; i++) {
        int k = p->toks[i].kind;
        if ((k == TK_IDENT && i != name) || k == TK_NUMBER ||
            (basic_word(k) && k != TK_VOID && k != TK_CONST && k != TK_VOLATILE &&
             k != TK_RESTRICT)) { /* a parameter's type: `(int)` is `(signed)` */
            buf_free(&b);
            return NULL;
        }
        buf_printf(&b, "%s ", i == name ? "@" : lex_text(p->src, p->toks, p->arena, i, i));
    }
    char *key = mem_strndup(p->arena, b.p, b.len);
    buf_free(&b);
    return key;
}

/* May a typedef of n's name give it again, at token i, the type it has?
 * C11 6.7p3 allows that; acc, which does not know every type, accepts it
 * where it cannot tell the types apart. */
static int same_typedef(const Cls *c, const Name *n, int i)
{
    const Local *l = &c->p->locals->v[n->local];
    const char *was = typedef_key(c, l->kw, n->tok), *now = typedef_key(c, c->typedef_kw, i);
    return !was || !now || !strcmp(was, now);
}

/* Token i declares a name of kind `kind` (NAME_*) that its block declared
 * before: an error (C11 6.7p3) unless it is a typedef of the same type.
 * Two variables are check.c's to judge, as it knows their linkage. */
static void declared_again(Cls *c, int i, int kind)
{
    Name *n = same_block(c, i, 0);
    if (!n || (n->kind == NAME_VAR && kind == NAME_VAR) ||
        (n->kind == NAME_TYPE && kind == NAME_TYPE && same_typedef(c, n, i)))
        return;
    const Token *t = &c->p->toks[i];
    const char *s = c->p->src->text + t->off;
    if (n->kind != kind)
        diag_error(c->p->src, t->off, t->len, "'%.*s' redeclared as a different kind of symbol",
                   t->len, s);
    else
        diag_error(c->p->src, t->off, t->len, "%s '%.*s'",
                   kind == NAME_CONST ? "redeclaration of enumerator" : "conflicting types for",
                   t->len, s);
    previous(c, n, -1);
}

/* A struct, union or enum tag (token name, keyword kw) declared again in
 * its block (C11 6.7.2.3): with the same keyword, declarations without a
 * body and one body are one type; a second body (`body`: this one has
 * one), or another keyword, is an error.  A tag declared by its use
 * (`struct s *p`) may be one of an enclosing scope: acc cannot tell. */
static void tag_again(Cls *c, int kw, int name, int body)
{
    const Name *n = same_block(c, name, 1);
    const Local *l = n && n->local >= 0 ? &c->p->locals->v[n->local] : NULL;
    if (!l || l->implicit)
        return;
    const Token *t = &c->p->toks[name], *k = &c->p->toks[kw];
    const char *s = c->p->src->text;
    if (c->p->toks[l->kw].kind != k->kind)
        diag_error(c->p->src, t->off, t->len, "'%.*s' defined as the wrong kind of tag", t->len,
                   s + t->off);
    else if (body && l->lc >= 0)
        diag_error(c->p->src, t->off, t->len, "redefinition of '%.*s %.*s'", k->len, s + k->off,
                   t->len, s + t->off);
    else
        return;
    previous(c, n, l->kw);
}

static int starts_operand(int k)
{
    switch (k) {
    case TK_IDENT: case TK_NUMBER: case TK_STRING: case TK_CHARLIT: case TK_LP:
    case TK_NOT: case TK_TILDE: case TK_MINUS: case TK_PLUS: case TK_STAR:
    case TK_AMP: case TK_INC: case TK_DEC: case TK_SIZEOF:
        return 1;
    }
    return 0;
}

/* Is token k one that only an operand can precede (assignment, member
 * access, increment)? */
static int after_operand_only(int k)
{
    switch (k) {
    case TK_ASSIGN: case TK_DOT: case TK_ARROW: case TK_INC: case TK_DEC:
    case TK_ADDASSIGN: case TK_SUBASSIGN: case TK_MULASSIGN: case TK_DIVASSIGN:
    case TK_MODASSIGN: case TK_ANDASSIGN: case TK_ORASSIGN: case TK_XORASSIGN:
    case TK_SHLASSIGN: case TK_SHRASSIGN:
        return 1;
    }
    return 0;
}

/* Tokens after which a statement-start word must be a plain identifier. */
static int operator_follows(int k)
{
    switch (k) {
    case TK_LB: case TK_SEMI: case TK_COMMA: case TK_RP: case TK_COLON: case TK_EQ:
    case TK_NE: case TK_QUEST:
        return 1;
    }
    return after_operand_only(k);
}

static int is_qual(int k)
{
    return k == TK_STAR || k == TK_CONST || k == TK_VOLATILE || k == TK_RESTRICT;
}

/* Statement-start word i is followed by ++ or -- and then an operand, and
 * no variable of its name is in scope: `defer ++n;`, `yield --*p;` are the
 * dialect's statements (read as a variable, `defer ++ n` is no C at all,
 * and `defer-- * p` an expression whose value is dropped). */
static int prefix_step_follows(const Cls *c, int i)
{
    int next = kind_at(c, i + 1);
    return (next == TK_INC || next == TK_DEC) && starts_operand(kind_at(c, i + 2)) &&
           !name_find(c, i, 0);
}

static int dialect_word(const Cls *c, int i)
{
    const Token *t = &c->p->toks[i];
    const Src *s = c->p->src;
    int next = kind_at(c, i + 1);
    if (lex_is(s, t, "await")) { /* `await;` is an error, unless await is a variable */
        int missing = next == TK_SEMI || next == TK_RP || next == TK_COMMA || next == TK_RB;
        return starts_operand(next) || (missing && c->prev != TK_DOT && c->prev != TK_ARROW &&
                                        !name_find(c, i, 0))
                   ? TK_AWAIT
                   : 0;
    }
    if (lex_is(s, t, "catch"))
        return c->prev == TK_RC && next == TK_LP ? TK_CATCH : 0;
    if (lex_is(s, t, "with"))
        return c->prev == TK_ASYNC && next == TK_LP ? TK_WITH : 0;
    if (!c->stmt_start)
        return 0;
    if (lex_is(s, t, "async"))
        return (word(c, i + 1, "with") || kind_at(c, i + 1) == TK_FOR) && kind_at(c, i + 2) == TK_LP
                   ? TK_ASYNC : 0;
    if (lex_is(s, t, "yield") && next == TK_SEMI)
        return TK_YIELD;
    if (lex_is(s, t, "try"))
        return next == TK_LC ? TK_TRY : 0;
    if (lex_is(s, t, "throw") && next == TK_SEMI)
        return TK_THROW; /* `throw;` is an error check reports, not an identifier */
    if (operator_follows(next) && !prefix_step_follows(c, i))
        return 0;
    if (lex_is(s, t, "defer"))
        return TK_DEFER;
    if (lex_is(s, t, "spawn") && next == TK_LP) {
        /* `spawn (g) f(x);`, not a call `spawn(g);` of a function */
        int after = kind_at(c, parser_closing(c->p->toks, i + 1, c->last) + 1);
        return after == TK_IDENT || after == TK_LP || after == TK_STAR ? TK_SPAWN : 0;
    }
    if (lex_is(s, t, "errdefer"))
        return TK_ERRDEFER;
    if (lex_is(s, t, "throw"))
        return TK_THROW;
    if (lex_is(s, t, "yield"))
        return TK_YIELD;
    return 0;
}

/* T * * x followed by ; = , [ or ) */
static int star_declaration(const Cls *c, int i)
{
    int j = i + 1;
    while (is_qual(kind_at(c, j)))
        j++;
    if (j == i + 1 || kind_at(c, j) != TK_IDENT)
        return 0;
    int k = kind_at(c, j + 1);
    return k == TK_SEMI || k == TK_ASSIGN || k == TK_COMMA || k == TK_LB || k == TK_RP;
}

/* `local`: a local typedef of that name is in scope. */
static int looks_like_type(const Cls *c, int i, int local)
{
    const Token *t = &c->p->toks[i];
    const char *w = c->p->src->text + t->off;
    int next = kind_at(c, i + 1);
    if (after_operand_only(next))
        return 0; /* `pool_t = g;`, `s_t.x`: a variable, whatever its name */
    if (c->prev == TK_LP && next == TK_RP && i >= 2 &&
        (c->p->toks[i - 2].kind == TK_SPAWN || word(c, i - 2, "spawn")))
        return 0; /* the group of `spawn (g) f(x);`, never a cast */
    if (local || types_has(c->p->types, w, (size_t)t->len))
        return 1;
    if (t->len > 2 && w[t->len - 2] == '_' && w[t->len - 1] == 't')
        return 1;
    int past = i + 1, rp;
    while ((rp = parser_gnu_attr(c->p->src, c->p->toks, past, c->last)) >= 0)
        past = rp + 1;
    if (past > i + 1) { /* `T __attribute__((a)) x`, but `int x, y __attribute__((a)) = 1` */
        int k = kind_at(c, past);
        return k == TK_IDENT || is_qual(k);
    }
    if (next == TK_IDENT && !word(c, i + 1, "await"))
        return 1;
    int in_list = c->prev == TK_LP || c->prev == TK_COMMA;
    int in_with = c->nwhead && c->whead[c->nwhead - 1] == c->depth;
    int decl_ctx = c->stmt_start || ((c->in_head || in_with) && in_list);
    if (decl_ctx && next == TK_STAR && star_declaration(c, i))
        return 1;
    if (c->prev == TK_LP && i >= 2 && c->kinds[i - 2 - c->i] == TK_ATOMIC_SPEC)
        return 1; /* `_Atomic(T)` holds a type name */
    if (c->prev == TK_LP && next == TK_RP) {
        int before = i >= 2 ? c->p->toks[i - 2].kind : 0;
        int after = kind_at(c, i + 2);
        int attr = before == TK_IDENT && i >= 3 && c->p->toks[i - 3].kind == TK_AT;
        if (before == TK_IF || before == TK_WHILE || before == TK_SWITCH || before == TK_SIZEOF ||
            in_with || attr)
            return 0; /* a condition, a manager or `@with(m)`'s argument, not a cast */
        return after == TK_IDENT || after == TK_NUMBER || after == TK_STRING ||
               after == TK_CHARLIT || after == TK_LC || after == TK_NOT ||
               after == TK_TILDE || after == TK_SIZEOF;
    }
    if (c->prev == TK_LP && next == TK_STAR) {
        int j = i + 1;
        while (is_qual(kind_at(c, j)))
            j++;
        return kind_at(c, j) == TK_RP;
    }
    return 0;
}

static int is_type_word(int k)
{
    switch (k) {
    case TK_VOID: case TK_CHAR: case TK_SHORT: case TK_INT: case TK_LONG: case TK_FLOAT:
    case TK_DOUBLE: case TK_SIGNED: case TK_UNSIGNED: case TK_BOOL: case TK_COMPLEX:
    case TK_TYPENAME:
        return 1;
    }
    return 0;
}

/* Does the ')' fed at j close the type name of `_Atomic(`? */
static int atomic_spec_closed(const Cls *c, int j)
{
    for (int d = 0; j > c->i; j--) {
        int k = c->kinds[j - c->i];
        d += (k == TK_RP) - (k == TK_LP);
        if (!d)
            return c->kinds[j - 1 - c->i] == TK_ATOMIC_SPEC;
    }
    return 0;
}

/* Is identifier i the name in a declarator: after a type word, or after
 * stars and parentheses that follow one (`int x`, `T *p`, `char *const
 * *argv`, `struct s *p`, `struct { ... } *p`, `_Atomic(T) x`, `int
 * (*fp)(int)`), or after the ',' that begins a later declarator of the
 * declaration (`int a, *b, (*fp)(void);`) unless a name or a '*' follows
 * it, as one follows a type name? */
static int declares_name(const Cls *c, int i)
{
    int j = i - 1;
    while (j >= c->i && (is_qual(c->kinds[j - c->i]) || c->kinds[j - c->i] == TK_ATTR ||
                         c->kinds[j - c->i] == TK_LP))
        j--; /* (every token of an attribute is marked TK_ATTR: gnu_attr) */
    if (j < c->i || (c->in_head && c->depth == 0))
        return 0;
    int k = c->kinds[j - c->i];
    if (k == TK_COMMA) { /* not a type name: `size_t i, T v : aenumerate(...)` */
        int next = kind_at(c, i + 1);
        return j == c->decl_comma && next != TK_STAR &&
               (next != TK_IDENT || parser_gnu_attr(c->p->src, c->p->toks, i + 1, c->last) >= 0);
    }
    if (k == TK_RP)
        return atomic_spec_closed(c, j);
    int tag = k == TK_IDENT && j > c->i && (c->kinds[j - 1 - c->i] == TK_STRUCT ||
                                            c->kinds[j - 1 - c->i] == TK_UNION ||
                                            c->kinds[j - 1 - c->i] == TK_ENUM);
    return is_type_word(k) || k == TK_BODY || tag;
}

/* Is identifier i, a declarator's name, inside the parameter list of a
 * declarator (`int (*fp)(int x)`, `int g(int x);`, a cast's `(int
 * (*)(int x))`)?  Such a name has a scope of its own, the list's (C11
 * 6.2.1p4): it hides nothing in the block.  The lists are the
 * parentheses, deeper than the declaration's own list, that follow a
 * name, a ')' or a ']'. */
static int in_parameter_list(const Cls *c, int i)
{
    int list = c->in_head ? 1 : c->decl_depth ? c->decl_depth - 1
                              : c->nwhead ? c->whead[c->nwhead - 1] : 0;
    for (int j = i - 1, d = c->depth, closed = 0; j > c->i && d > list; j--) {
        int k = c->kinds[j - c->i];
        if (k == TK_RP) {
            closed++;
        } else if (k == TK_LP && closed) {
            closed--;
        } else if (k == TK_LP) {
            int before = c->kinds[j - 1 - c->i];
            if (before == TK_IDENT || before == TK_RP || before == TK_RB)
                return 1;
            d--;
        }
    }
    return 0;
}

/* The C11 convenience macros of <stdalign.h>, <stdnoreturn.h>, <assert.h>
 * and <threads.h> stand for keywords. */
static int std_macro_word(const Src *s, const Token *t)
{
    if (lex_is(s, t, "alignas"))
        return TK_ALIGNAS;
    if (lex_is(s, t, "alignof"))
        return TK_ALIGNOF;
    if (lex_is(s, t, "static_assert"))
        return TK_STATIC_ASSERT;
    if (lex_is(s, t, "noreturn"))
        return TK_NORETURN;
    if (lex_is(s, t, "thread_local"))
        return TK_THREAD_LOCAL;
    return 0;
}

/* Is the type name at i called, like a function, where a value is wanted?
 * `x = T(...)`, `return T(...)`, `async with (T(...))`; and, in a body,
 * `f(T(...))` or `f(a, T(...))` unless what follows `T(` starts a
 * declarator (`T (*p)(...)`; a parenthesised name, `T (x)`, is read as a
 * call there).  A macro such as
 * ac_taskgroup() is named like its type. */
static int called_like_a_value(Cls *c, int i)
{
    int prev = c->prev, next = kind_at(c, i + 2);
    if (kind_at(c, i + 1) != TK_LP)
        return 0;
    if (prev == TK_ASSIGN || prev == TK_RETURN || prev == TK_QUEST || c->cond_colon ||
        (prev == TK_LP && c->nwhead && c->whead[c->nwhead - 1] == c->depth))
        return next == TK_RP || !c->in_head;
    return !c->in_head && (prev == TK_LP || prev == TK_COMMA) && next != TK_STAR &&
           next != TK_LP;
}


/* Struct or union tag i, named where no declaration of it is in scope:
 * in C it declares the tag in this block (C11 6.7.2.3p8), so that `typedef
 * struct node node;` and the `struct node { ... }` after it are one type.
 * acc cannot tell a tag of a header it did not read: such a tag stands for
 * one at file scope unless a body of this block completes it, and a tag
 * the file names at file scope is left to the file. */
static Name *tag_implicit(Cls *c, int i)
{
    const Token *t = &c->p->toks[i];
    if (!c->p->locals || (c->p->tags && types_has(c->p->tags, c->p->src->text + t->off,
                                                   (size_t)t->len)))
        return NULL;
    int k = local_new(c, LOCAL_TAG, i, i - 1, -1);
    c->p->locals->v[k].implicit = 1;
    return name_add(c, i, NAME_TAG, k);
}

/* A tag after struct, union or enum.  With a body it is declared with the
 * body (def_body); `struct s;` declares a new tag in this block (C11
 * 6.7.2.3p7); otherwise it names the tag in scope. */
static int tag_name(Cls *c, int i)
{
    int next = kind_at(c, i + 1);
    if (c->in_head || next == TK_LC)
        return TK_IDENT;
    Name *n = name_find(c, i, 1);
    if (next == TK_SEMI && c->kw_start && c->prev != TK_ENUM) {
        tag_again(c, i - 1, i, 0);
        name_add(c, i, NAME_TAG, local_new(c, LOCAL_TAG, i, i - 1, -1));
    } else {
        local_use(c, i, n || c->prev == TK_ENUM ? n : tag_implicit(c, i));
    }
    return TK_IDENT;
}

/* A name the typedef being read declares: a type name from here on. */
static int typedef_name(Cls *c, int i)
{
    declared_again(c, i, NAME_TYPE);
    name_add(c, i, NAME_TYPE, local_new(c, LOCAL_TYPEDEF, i, c->typedef_kw, -1));
    return TK_IDENT;
}

/* `complex` and `imaginary`, <complex.h>'s macros for _Complex and
 * _Imaginary, are type specifiers where no name can stand (`double complex
 * z`, `complex double`), and `complex` anywhere in a file that includes
 * <complex.h>; elsewhere they are names like any (a variable named
 * complex).  C11's own _Imaginary always is one. */
static int complex_word(const Cls *c, int i)
{
    const Src *s = c->p->src;
    const Token *t = &c->p->toks[i];
    if (lex_is(s, t, "_Imaginary") || (c->p->complex_h && lex_is(s, t, "complex")))
        return 1;
    if (!lex_is(s, t, "complex") && !lex_is(s, t, "imaginary"))
        return 0;
    int next = kind_at(c, i + 1);
    if (next == TK_FLOAT || next == TK_DOUBLE || next == TK_LONG)
        return 1;
    return (c->prev == TK_FLOAT || c->prev == TK_DOUBLE || c->prev == TK_LONG) &&
           (next == TK_IDENT || next == TK_STAR);
}

static int classify_ident(Cls *c, int i)
{
    int prev = c->prev;
    if (c->stmt_start && !c->in_head && kind_at(c, i + 1) == TK_LP &&
        lex_is(c->p->src, &c->p->toks[i], "_Pragma"))
        return TK_PRAGMA;
    if (prev == TK_STRUCT || prev == TK_UNION || prev == TK_ENUM)
        return tag_name(c, i);
    if (prev == TK_DOT || prev == TK_ARROW || prev == TK_GOTO || prev == TK_AT)
        return TK_IDENT;
    if (c->tdname[i - c->i])
        return typedef_name(c, i);
    if (c->in_head) {
        if (c->depth == 0 && lex_is(c->p->src, &c->p->toks[i], "async"))
            return TK_ASYNC;
        if (prev == TK_ASYNC && lex_is(c->p->src, &c->p->toks[i], "yield"))
            return TK_YIELD;
    } else {
        int k = dialect_word(c, i);
        if (k)
            return k;
    }
    if (c->after_string || kind_at(c, i + 1) == TK_STRING)
        return TK_IDENT; /* a macro spelling part of a string: "%" PRId64 SUFFIX */
    const Token *t = &c->p->toks[i];
    int k = std_macro_word(c->p->src, t);
    if (k)
        return k;
    if (complex_word(c, i))
        return TK_COMPLEX;
    Name *n = name_find(c, i, 0);
    if (n && n->kind != NAME_TYPE) {
        if (n->kind == NAME_CONST && declares_name(c, i) && !in_parameter_list(c, i))
            declared_again(c, i, NAME_VAR); /* `enum { K }; int K;` */
        local_use(c, i, n); /* an enumerator; a variable is never a type */
        return TK_IDENT;
    }
    if (called_like_a_value(c, i))
        return TK_IDENT; /* `x = T()`: a call (a macro named like its type,
                            such as ac_taskgroup()), not a type */
    if (declares_name(c, i)) {
        if (!in_parameter_list(c, i)) {
            declared_again(c, i, NAME_VAR);
            name_add(c, i, NAME_VAR, -1);
        }
        return TK_IDENT;
    }
    k = looks_like_type(c, i, n != NULL) ? TK_TYPENAME : TK_IDENT;
    if (k == TK_TYPENAME)
        local_use(c, i, n);
    return k;
}

/* ---- struct, union and enum bodies ------------------------------------ */

enum { BODY_MAX_NESTING = 100 };

static void scan_body(Cls *c, int def, int lc, int rc, int is_enum, int nest);

/* A body [lc, rc] with keyword kw and tag `name` (-1: none), held by the
 * body of local `up` (-1: none).  Its tag is in scope from here on (a body
 * completes the `struct s;` of the same block), then come its members. */
static void def_body(Cls *c, int kw, int name, int lc, int rc, int up, int nest)
{
    int k = -1;
    if (name >= 0)
        tag_again(c, kw, name, 1);
    Name *n = name >= 0 ? name_find(c, name, 1) : NULL;
    if (n && n->depth == scope_depth(c) && n->local >= 0 && c->p->locals->v[n->local].lc < 0) {
        k = n->local; /* completes the tag declared before, and is its place */
        c->p->locals->v[k].implicit = 0;
        c->p->locals->v[k].tok = name;
        c->p->locals->v[k].kw = kw;
        local_use(c, name, n);
    } else if (name >= 0) {
        k = local_new(c, LOCAL_TAG, name, kw, up);
        name_add(c, name, NAME_TAG, k);
    } else {
        k = local_new(c, LOCAL_TAG, kw, kw, up);
    }
    if (k >= 0) {
        c->p->locals->v[k].lc = lc;
        c->p->locals->v[k].rc = rc;
        c->p->locals->of[lc] = k;
    }
    if (nest < BODY_MAX_NESTING)
        scan_body(c, k, lc, rc, c->p->toks[kw].kind == TK_ENUM, nest + 1);
}

/* The struct, union or enum keyword at i inside a body ending at rc:
 * a nested definition, or a tag named.  Returns the last token it took. */
static int body_tag(Cls *c, int def, int i, int rc, int nest)
{
    int name = i + 1 < rc && c->p->toks[i + 1].kind == TK_IDENT ? i + 1 : -1;
    int lc = name >= 0 ? i + 2 : i + 1;
    if (lc < rc && c->p->toks[lc].kind == TK_LC) {
        int end = parser_closing(c->p->toks, lc, rc);
        def_body(c, i, name, lc, end, def, nest);
        return end;
    }
    if (name < 0)
        return i;
    Name *n = name_find(c, name, 1);
    local_use(c, name, n || c->p->toks[i].kind == TK_ENUM ? n : tag_implicit(c, name));
    return name;
}

/* An identifier in a body: it may name a local typedef or an enumerator,
 * unless it is a member's name (`loose`: in brackets, parentheses, a
 * bit-field's width or an enumerator's value, where only uses stand). */
static void body_name(Cls *c, int i, int loose)
{
    Name *n = name_find(c, i, 0);
    if (!n || n->kind == NAME_VAR)
        return;
    int next = kind_at(c, i + 1);
    if (!loose && (next == TK_SEMI || next == TK_COMMA || next == TK_LB || next == TK_COLON ||
                   next == TK_ASSIGN || next == TK_RP))
        return;
    local_use(c, i, n);
}

/* An enumerator: in scope from its name on, in the enclosing block. */
static void enumerator(Cls *c, int def, int i)
{
    Name *old = name_find(c, i, 0);
    int k = local_new(c, LOCAL_ENUMERATOR, i, -1, def);
    if (k >= 0 && old && old->kind != NAME_TYPE && old->depth > 0 && old->depth < scope_depth(c))
        c->p->locals->v[k].hides = old->tok;
    declared_again(c, i, NAME_CONST);
    name_add(c, i, NAME_CONST, k);
}

/* The members of the body [lc, rc] of local `def`: nested definitions,
 * enumerators, and the local names used. */
static void scan_body(Cls *c, int def, int lc, int rc, int is_enum, int nest)
{
    int brackets = 0, parens = 0, value = 0, item = 1;
    for (int i = lc + 1; i < rc; i++) {
        int k = c->p->toks[i].kind, start = item;
        item = 0;
        switch (k) {
        case TK_STRUCT: case TK_UNION: case TK_ENUM: i = body_tag(c, def, i, rc, nest); break;
        case TK_LB: brackets++; break;
        case TK_RB: brackets--; break;
        case TK_LP: parens++; break;
        case TK_RP: parens--; break;
        case TK_COLON: value = !is_enum; break;
        case TK_ASSIGN: value = is_enum; break;
        case TK_SEMI: value = 0; break;
        case TK_COMMA:
            if (!parens && !brackets) {
                value = 0;
                item = 1;
            }
            break;
        case TK_IDENT:
            if (c->p->toks[i - 1].kind == TK_DOT || c->p->toks[i - 1].kind == TK_ARROW)
                break;
            if (is_enum && start && !parens)
                enumerator(c, def, i);
            else
                body_name(c, i, brackets || parens || value);
            break;
        }
    }
}

/* ---- typedefs ----------------------------------------------------------- */

/* The first '(' of a declarator at i, after identifier `name` (-1: none):
 * does the name stand inside it (`(*fp)(int)`, `int (x)`), rather than
 * before it (`f(int)`)? */
static int name_inside(const Parser *p, int i, int last, int name)
{
    return name < 0 ||
           (i + 1 <= last && (p->toks[i + 1].kind == TK_STAR || p->toks[i + 1].kind == TK_LP));
}

int parser_closing(const Token *t, int i, int last)
{
    int open = t[i].kind, close = open == TK_LP ? TK_RP : open == TK_LB ? TK_RB : TK_RC;
    for (int j = i, depth = 0; j <= last; j++) {
        depth += (t[j].kind == open) - (t[j].kind == close);
        if (!depth)
            return j;
    }
    return last;
}

/* One declarator of a typedef, starting at token i (the first with the
 * specifiers): its name is the first identifier inside its first
 * parentheses when they hold the name (`(*fp)(int)`), else the last
 * identifier before them, outside brackets (`T, *P, A[N], f(int)`).
 * Attributes and alignment specifiers are skipped.  Returns the name's
 * token, or -1 if it has none; *end: the ',' or ';' after it, or last
 * if neither comes (then no name: the declaration is cut short). */
int parser_typedef_declarator(const Parser *p, int i, int last, int *end)
{
    int parens = 0, brackets = 0, name = -1, opened = 0, inside = 0;
    for (; i <= last; i++) {
        int k = p->toks[i].kind;
        if (k == TK_LC) { /* a struct body */
            i = parser_closing(p->toks, i, last);
            continue;
        }
        if ((k == TK_ALIGNAS || parser_gnu_attr(p->src, p->toks, i, last) >= 0) &&
            i + 1 <= last && p->toks[i + 1].kind == TK_LP) {
            i = parser_closing(p->toks, i + 1, last);
            continue;
        }
        if (!parens && !brackets && (k == TK_COMMA || k == TK_SEMI)) {
            *end = i;
            return name;
        }
        if (k == TK_LP && !parens && !opened) {
            opened = 1;
            inside = name_inside(p, i, last, name);
            if (inside)
                name = -1;
        }
        parens += (k == TK_LP) - (k == TK_RP);
        brackets += (k == TK_LB) - (k == TK_RB);
        if (k != TK_IDENT || brackets || (i > 0 && (p->toks[i - 1].kind == TK_STRUCT ||
                                                    p->toks[i - 1].kind == TK_UNION ||
                                                    p->toks[i - 1].kind == TK_ENUM)))
            continue;
        if (!opened)
            name = i;
        else if (inside && parens && name < 0)
            name = i;
    }
    *end = last;
    return -1;
}

int parser_typedef_names(Parser *p, int i, int last)
{
    int end = i - 1;
    do {
        int nm = parser_typedef_declarator(p, end + 1, last, &end);
        if (nm >= 0)
            types_add(p->types, p->arena, p->src->text + p->toks[nm].off,
                      (size_t)p->toks[nm].len);
    } while (end < last && p->toks[end].kind == TK_COMMA);
    return end;
}

/* A typedef in the body, at token i: mark the names it declares, which
 * become type names at their declarators (classify_ident). */
static void typedef_in_body(Cls *c, int i)
{
    c->typedef_kw = i;
    int end = i;
    do {
        int nm = parser_typedef_declarator(c->p, end + 1, c->last, &end);
        if (nm >= 0)
            c->tdname[nm - c->i] = 1;
    } while (end < c->last && c->p->toks[end].kind == TK_COMMA);
}

/* Can token k begin a declaration (a specifier, an attribute)? */
static int starts_declaration(int k)
{
    switch (k) {
    case TK_STRUCT: case TK_UNION: case TK_ENUM: case TK_CONST: case TK_VOLATILE:
    case TK_RESTRICT: case TK_STATIC: case TK_EXTERN: case TK_REGISTER: case TK_AUTO:
    case TK_THREAD_LOCAL: case TK_INLINE: case TK_NORETURN: case TK_ATOMIC:
    case TK_ATOMIC_SPEC: case TK_ALIGNAS: case TK_ATTR: case TK_TYPEDEF:
        return 1;
    }
    return is_type_word(k);
}

/* Follow a declaration in a block or a `for (` through its declarators:
 * a ',' of its list (not one in an initialiser's parentheses or braces)
 * begins the next, whose name declares_name then knows.  (An `async
 * with (` head is no list: a ',' there begins the next item.) */
static void track_declaration(Cls *c, int k, int i)
{
    if (c->stmt_start && !c->in_head && starts_declaration(k)) {
        c->decl_depth = c->depth + 1;
        c->decl_braces = c->braces;
    }
    if (!c->decl_depth || c->depth + 1 != c->decl_depth || c->braces != c->decl_braces)
        return;
    if (k == TK_COMMA)
        c->decl_comma = i;
    if (k == TK_SEMI || k == TK_RP) /* (a ')' there closes a `for (` head) */
        c->decl_depth = 0;
}

/* Feed one token (kind k, index i) and update the classifier's context. */
static void feed(Cls *c, void *lp, int k, int i)
{
    c->p->at = i;
    AccParse(lp, k, i);
    if (k == TK_PPLINE)
        unit_pp_path(&c->pp, c->p->src, &c->p->toks[i]);
    c->kinds[i - c->i] = k;
    track_declaration(c, k, i);
    if (k == TK_LC)
        c->braces++;
    if (k == TK_RC && c->braces > 0) {
        c->braces--;
        names_pop(c);
        if (c->braces < c->decl_braces)
            c->decl_depth = 0;
    }
    if (k == TK_LP) {
        int before = c->prev;
        c->depth++;
        if ((before == TK_FOR || before == TK_WITH || before == TK_CATCH) && !c->for_init)
            c->for_init = c->depth; /* its names end with its statement */
        if ((before == TK_IF || before == TK_WHILE || before == TK_FOR || before == TK_SWITCH ||
             before == TK_WITH || before == TK_PRAGMA) && c->nctl < 64)
            c->ctl[c->nctl++] = c->depth;
        if (before == TK_WITH && c->nwhead < 16)
            c->whead[c->nwhead++] = c->depth;
    }
    int closes_ctl = 0;
    if (k == TK_RP) {
        if (c->for_init == c->depth)
            c->for_init = 0;
        if (c->nwhead && c->whead[c->nwhead - 1] == c->depth)
            c->nwhead--;
        if (c->nctl && c->ctl[c->nctl - 1] == c->depth) {
            c->nctl--;
            closes_ctl = 1;
        }
        c->depth--;
    }
    if (k == TK_SEMI && !c->depth)
        names_pop(c); /* the end of a for's unbraced body: its head's names go */
    if (k == TK_LC && c->in_head && c->depth == 0)
        c->in_head = 0;
    /* A ':' after a '?' is the conditional's, not a label's: what follows
       it is an operand (`x ? f() : T()` calls T), not a statement. */
    c->cond_colon = k == TK_COLON && c->quest > 0;
    c->quest += (k == TK_QUEST) - c->cond_colon;
    if (k == TK_SEMI || k == TK_LC || k == TK_RC)
        c->quest = 0;
    c->stmt_start = (k == TK_ATTR && c->stmt_start) || k == TK_SEMI || k == TK_LC || k == TK_RC || k == TK_PPLINE ||
                    k == TK_ELSE || k == TK_DO || k == TK_DEFER || k == TK_ERRDEFER || closes_ctl ||
                    (k == TK_COLON && c->depth == 0 && !c->cond_colon) ||
                    (k == TK_LP && c->prev == TK_FOR);
    c->after_string = k == TK_STRING || (k == TK_IDENT && c->after_string);
    c->prev = k;
}

int parser_gnu_attr(const Src *s, const Token *t, int i, int last)
{
    if (i + 2 > last || t[i].kind != TK_IDENT || t[i + 1].kind != TK_LP ||
        t[i + 2].kind != TK_LP ||
        (!lex_is(s, &t[i], "__attribute__") && !lex_is(s, &t[i], "__attribute")))
        return -1;
    int rp = parser_closing(t, i + 1, last);
    return t[rp].kind == TK_RP ? rp : -1;
}

int parser_attr_last(const Parser *p, int tok)
{
    return parser_closing(p->toks, tok + 1, p->end);
}

/* Feed the GNU attribute [i, rp] as one token: STMT_ATTR when it is a null
 * statement's (a ';' follows it at a statement's start), else ATTR.  Its
 * tokens are all marked, so that a declarator after it finds the type
 * words before it (declares_name). */
static void gnu_attr(Cls *c, void *lp, int i, int rp)
{
    int stmt = c->stmt_start && !c->in_head && kind_at(c, rp + 1) == TK_SEMI;
    feed(c, lp, stmt ? TK_STMT_ATTR : TK_ATTR, i);
    for (int j = i; j <= rp; j++)
        c->kinds[j - c->i] = TK_ATTR;
}

enum { PARSE_MAX_NESTING = 200 };

AsyncFn *parse_item(Parser *p, int first, int last)
{
    void *lp = AccParseAlloc(malloc, p);
    if (!lp)
        die_internal();
    Cls c = {0};
    c.p = p;
    c.names = names_new(p->arena);
    c.kinds = mem_alloc(p->arena, sizeof *c.kinds * (size_t)(last - first + 2));
    c.tdname = mem_alloc(p->arena, (size_t)(last - first + 2));
    c.i = first;
    c.last = last;
    c.in_head = 1;
    c.decl_comma = -1;
    p->fn = NULL;
    p->end = last + 1; /* (parser_attr_last scans up to it) */
    p->attrs = NULL;
    p->failed = 0;
    p->full = 0;
    int braces = 0, nested_too_deep = 0;
    for (int i = first; i <= last; i++) {
        int k = p->toks[i].kind;
        braces += (k == TK_LC) - (k == TK_RC);
        if (c.depth > PARSE_MAX_NESTING || braces > PARSE_MAX_NESTING) {
            /* the later stages recurse over the tree: bound its depth */
            diag_error(p->src, p->toks[i].off, p->toks[i].len, "nesting too deep (more than %d levels)",
                       PARSE_MAX_NESTING);
            p->failed = 1;
            nested_too_deep = 1;
            break;
        }
        int rp = k == TK_IDENT && (!c.in_head || c.depth > 0)
                     ? parser_gnu_attr(p->src, p->toks, i, last) : -1;
        if (rp >= 0) { /* not in the head's return type: acc writes that in many places */
            gnu_attr(&c, lp, i, rp);
            i = rp;
            continue;
        }
        if (k == TK_IDENT)
            k = classify_ident(&c, i);
        if (k == TK_ATOMIC && kind_at(&c, i + 1) == TK_LP)
            k = TK_ATOMIC_SPEC;
        if (k == TK_TYPEDEF && !c.in_head)
            typedef_in_body(&c, i);
        if (k == TK_STRUCT || k == TK_UNION || k == TK_ENUM)
            c.kw_start = c.stmt_start;
        if (k == TK_LC && (c.prev == TK_STRUCT || c.prev == TK_UNION || c.prev == TK_ENUM ||
                           (c.prev == TK_IDENT && i >= 2 &&
                            (p->toks[i - 2].kind == TK_STRUCT || p->toks[i - 2].kind == TK_UNION ||
                             p->toks[i - 2].kind == TK_ENUM)))) {
            int rc = parser_closing(p->toks, i, last), named = c.prev == TK_IDENT;
            if (!c.in_head)
                def_body(&c, i - 1 - named, named ? i - 1 : -1, i, rc, -1, 0);
            feed(&c, lp, TK_BODY, rc);
            braces--; /* its '}' is not counted: the body is one token */
            i = rc;
            continue;
        }
        feed(&c, lp, k, i);
        if (p->full)
            break; /* the rest would only give follow-on syntax errors */
    }
    p->end = last + 1;
    if (!nested_too_deep && !p->full)
        AccParse(lp, 0, last + 1);
    AccParseFree(lp, free);
    return p->failed ? NULL : p->fn;
}

/* ---- helpers for the grammar's actions --------------------------------- */

static Node *N_WITH(Parser *p, int tok)
{
    return ast_node(p->arena, S_WITH, tok);
}

int parser_async_in_type(const Src *s, const TypeSet *types, const Token *t, int i)
{
    if (t[i].kind != TK_IDENT || !lex_is(s, &t[i], "async"))
        return 0;
    int k = t[i + 1].kind;
    if (is_type_word(k) || k == TK_STRUCT || k == TK_UNION || k == TK_ENUM)
        return 1;
    const char *w = s->text + t[i + 1].off;
    int n = t[i + 1].len;
    return k == TK_IDENT && (types_has(types, w, (size_t)n) ||
                             (n > 2 && w[n - 2] == '_' && w[n - 1] == 't'));
}

/* Does the `async` at t head a function whose declarator returns a
 * pointer to a function or an array, `async int (*f(void))(int)`: a '('
 * after the return type, then `* name (`? */
static int returns_declarator(const Token *t)
{
    int i = 1;
    while (t[i].kind && t[i].kind != TK_LP && t[i].kind != TK_SEMI && t[i].kind != TK_LC)
        i++;
    return t[i].kind == TK_LP && t[i + 1].kind == TK_STAR && t[i + 2].kind == TK_IDENT &&
           t[i + 3].kind == TK_LP;
}

void parser_async_type_error(const Src *s, const Token *async)
{
    if (returns_declarator(async)) {
        diag_error(s, async->off, async->len,
                   "an async function returning a pointer to a function or an array needs a "
                   "typedef of that type: 'typedef int (*fn_t)(int); async fn_t f(void)'");
        return;
    }
    diag_error(s, async->off, async->len,
               "'async' cannot qualify a type: a pointer to an async function 'T f(P)' has the "
               "type of its coroutine constructor, 'ac_coro *(*)(P)'");
}

/* Does the '(' at tok open `(*name)` after `async T` at the head of the
 * item, as in `async int (*fp)(void);`?  Then the index of the `async`. */
static int async_pointer_head(const Parser *p, int tok)
{
    const Token *t = p->toks;
    if (t[tok].kind != TK_LP || t[tok + 1].kind != TK_STAR)
        return -1;
    int i = tok - 1; /* back over the return type: words and stars */
    while (i >= 0 && !lex_is(p->src, &t[i], "async") &&
           (is_qual(t[i].kind) || is_type_word(t[i].kind) || t[i].kind == TK_IDENT ||
            t[i].kind == TK_STRUCT || t[i].kind == TK_UNION || t[i].kind == TK_ENUM))
        i--;
    return i >= 0 && t[i].kind == TK_IDENT && lex_is(p->src, &t[i], "async") ? i : -1;
}

void parser_syntax_error(Parser *p, int tok)
{
    const Token *t = &p->toks[tok];
    if (tok == p->end && t->kind) { /* unit.c cut the body before the next item */
        diag_error(p->src, t->off, t->len, "expected '}' before '%.*s': a '}' of the "
                   "function above is missing", t->len, p->src->text + t->off);
        p->failed = 1;
        return;
    }
    /* unit.c reports `async` in a type once, with the way to write it */
    if (parser_async_in_type(p->src, p->types, p->toks, tok) ||
        (tok > 0 && parser_async_in_type(p->src, p->types, p->toks, tok - 1))) {
        p->failed = 1;
        return;
    }
    int head = async_pointer_head(p, tok);
    if (head >= 0)
        parser_async_type_error(p->src, &p->toks[head]);
    else if (t->kind == 0 && tok > 0) /* point just past the last token */
        diag_error(p->src, p->toks[tok - 1].off + p->toks[tok - 1].len, 1, "unexpected end of input");
    else if (t->kind == 0)
        diag_error(p->src, t->off, 1, "unexpected end of input");
    else if (lex_is(p->src, t, "_Pragma") && tok > 0 && p->toks[tok - 1].kind != TK_DOT &&
             p->toks[tok - 1].kind != TK_ARROW)
        diag_error(p->src, t->off, t->len, "'_Pragma' can stand only between the statements of "
                   "a block in an async function: put braces around this statement");
    else if (t->kind == TK_PPLINE) /* acc copies such lines between statements */
        diag_error(p->src, t->off, t->len, "preprocessor line inside a statement: in an async "
                   "function, directives stand between statements (a conditional encloses "
                   "whole statements)");
    else
        diag_error(p->src, t->off, t->len, "syntax error before '%.*s'", t->len,
                   p->src->text + t->off);
    p->failed = 1;
}

Node *parser_declarator(Parser *p, Node *d, Range ptr)
{
    (void)p;
    if (ptr.first >= 0)
        d->first = ptr.first;
    return d;
}

/* `async with (I1, I2, ...) S` is `async with (I1) async with (I2) ... S`. */
Node *parser_with(Parser *p, int tok, Node *items, Node *body)
{
    if (!items)
        return body;
    Node *rest = items->next;
    items->next = NULL;
    Node *w = N_WITH(p, tok);
    w->a = items;
    w->b = parser_with(p, tok, rest, body);
    return w;
}

/* @with(EXPR) wraps the body in `{ async with (EXPR) BODY }`; several nest
 * in the order written (the first outermost). */
static Node *wrap_with(Parser *p, const Attr *a, Node *body)
{
    Node *item = ast_node(p->arena, S_EXPR, ast_first_tok(a->arg));
    item->a = a->arg;
    Node *w = N_WITH(p, a->name);
    w->a = item;
    w->b = body;
    Node *blk = ast_node(p->arena, S_BLOCK, a->name);
    blk->a = w;
    blk->last = body->last;
    return blk;
}

static void attr_error(Parser *p, const Attr *a, const char *msg)
{
    const Token *at = &p->toks[a->name - 1], *t = &p->toks[a->name];
    diag_error(p->src, at->off, t->off + t->len - at->off, "%s", msg);
    p->failed = 1;
}

static void apply_attrs(Parser *p, AsyncFn *f)
{
    for (const Attr *a = p->attrs; a; a = a->next) { /* newest (innermost) first */
        const Token *t = &p->toks[a->name];
        if (lex_is(p->src, t, "contextmanager")) {
            if (a->arg)
                attr_error(p, a, "'@contextmanager' takes no argument");
            f->is_cm = 1;
        } else if (lex_is(p->src, t, "with")) {
            if (!a->arg)
                attr_error(p, a, "'@with' needs a manager: @with(EXPR)");
            else if (f->body)
                f->body = wrap_with(p, a, f->body);
        } else {
            attr_error(p, a, mem_printf(p->arena, "unknown attribute '@%.*s' (known: "
                                        "@contextmanager, @with(EXPR))", t->len,
                                        p->src->text + t->off));
        }
    }
}

/* What C allows in a function's head but acc cannot generate: main as
 * an async function (C fixes its type), and a struct, union or enum body
 * in the return type (the generated C writes the type in several places,
 * and C would read a new type, or the same one redefined, in each). */
static void ret_type_errors(Parser *p, const AsyncFn *f, Specs ret)
{
    const Token *t = p->toks;
    if (!strcmp(f->name, "main")) {
        diag_error(p->src, t[f->name_tok].off, t[f->name_tok].len,
                   "'main' cannot be an async function: define 'int main(void)' and run an async "
                   "function from it with ac_run()");
        p->failed = 1;
    }
    for (int i = ret.first + 1; i <= ret.last; i++)
        if (t[i].kind == TK_LC) {
            int kw = t[i - 1].kind == TK_IDENT ? i - 2 : i - 1;
            diag_error(p->src, t[kw].off, t[i].off + t[i].len - t[kw].off,
                       "the return type of async function '%s' defines %s: define it before "
                       "the function, and name it there", f->name,
                       t[kw].kind == TK_ENUM ? "an enum" : t[kw].kind == TK_UNION ? "a union" : "a struct");
            p->failed = 1;
            return;
        }
}

/* A storage class or function specifier among the words of the return
 * type (`async static int f`): C takes specifiers in any order, but acc
 * types the frame's return field and the prototypes with those words. */
static void specifier_in_return_type(Parser *p, const AsyncFn *f, Specs ret)
{
    for (int i = ret.first; i <= ret.last; i++) {
        const Token *t = &p->toks[i];
        int k = t->kind;
        if (k == TK_STATIC || k == TK_EXTERN)
            diag_error(p->src, t->off, t->len, "'%.*s' goes before 'async' (%.*s async T f(...))",
                       t->len, p->src->text + t->off, t->len, p->src->text + t->off);
        else if (k == TK_TYPEDEF || k == TK_REGISTER || k == TK_AUTO || k == TK_INLINE ||
                 k == TK_NORETURN || k == TK_THREAD_LOCAL)
            diag_error(p->src, t->off, t->len, "'%.*s' cannot qualify async function '%s'",
                       t->len, p->src->text + t->off, f->name);
        else
            continue;
        p->failed = 1;
        return;
    }
}

/* Is token i a qualifier of the type as a whole (`const int`, `char *const`)?
 * ptr: the declarator's pointer part, -1 if none; then those come after its
 * last `*`, else among the specifiers (not inside `_Atomic(...)` or a
 * struct's braces, which `depth` counts). */
static int top_qualifier(const Token *t, int i, int last_star, int depth)
{
    int k = t[i].kind;
    if (depth || i < last_star)
        return 0;
    return k == TK_CONST || k == TK_VOLATILE || k == TK_RESTRICT ||
           (k == TK_ATOMIC && t[i + 1].kind != TK_LP);
}

/* The return type as C text without its top-level qualifiers: C ignores
 * them on a function's value (C17 6.7.6.3), and acc stores the value
 * through a pointer of that type and declares its temporaries with it,
 * which a `const` would make read-only. */
static char *return_type_text(const Parser *p, Specs ret, Range ptr)
{
    const Token *t = p->toks;
    int last = ptr.first >= 0 ? ptr.last : ret.last, last_star = -1, depth = 0, any = 0;
    for (int i = ptr.first; i >= 0 && i <= ptr.last; i++)
        if (t[i].kind == TK_STAR)
            last_star = i;
    Buf b = {0};
    for (int i = ret.first; i <= last; i++) {
        int k = t[i].kind;
        depth += (k == TK_LP || k == TK_LC) - (k == TK_RP || k == TK_RC);
        if (top_qualifier(t, i, last_star, depth))
            continue;
        if (any && t[i].ws < t[i].off)
            buf_puts(&b, " ");
        buf_put(&b, p->src->text + t[i].off, (size_t)t[i].len);
        any = 1;
    }
    char *r = mem_strndup(p->arena, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

AsyncFn *parser_item(Parser *p, Specs storage, Specs ret, Range ptr, int name,
                     Node *params, Node *body, int first, int is_gen)
{
    AsyncFn *f = mem_alloc(p->arena, sizeof *f);
    const Token *t = p->toks;
    (void)first;
    f->name = mem_strndup(p->arena, p->src->text + t[name].off, (size_t)t[name].len);
    f->name_tok = name;
    f->ret = return_type_text(p, ret, ptr);
    f->is_void = ptr.first < 0 && ret.first == ret.last && t[ret.first].kind == TK_VOID;
    f->is_static = (storage.flags & DS_STATIC) != 0;
    f->params_list = params;
    int n = 0;
    for (const Node *q = params; q; q = q->next)
        n++;
    if (n == 1 && !params->a && params->first == params->last && t[params->first].kind == TK_VOID)
        n = 0; /* (void) */
    f->arity = n + 1;
    f->body = body;
    ret_type_errors(p, f, ret);
    specifier_in_return_type(p, f, ret);
    apply_attrs(p, f);
    f->is_generator = is_gen || (!f->is_cm && ast_has_stmt(body, S_YIELD));
    return f;
}
