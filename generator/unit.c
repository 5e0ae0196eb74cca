/* unit.c: the file-level scan (see unit.h). */
#define _POSIX_C_SOURCE 200809L /* stat */
#include "unit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "names.h"
#include "parse.h"

AsyncFn *unit_find(const Unit *u, const char *name, size_t len)
{
    return u->fns ? names_get(u->fns, name, len) : NULL;
}

/* Is there a conditional directive (#if..., #else, #elif, #endif) among
 * the tokens [i, j)?  Two definitions with one between may well be
 * alternatives. */
static int conditional_between(const Unit *u, int i, int j)
{
    for (; i < j; i++)
        if (u->toks[i].kind == TK_PPLINE && unit_pp_cond(u->src, &u->toks[i]) != LEX_PP_NONE)
            return 1;
    return 0;
}

/* A second definition of the async function of canon, which C would
 * report on the generated code, in names the user never wrote. */
static void redefinition(Unit *u, const AsyncFn *canon, const AsyncFn *f)
{
    const AsyncFn *d = canon->def;
    if (conditional_between(u, d->first, f->first))
        return;
    const Token *t = &u->toks[f->name_tok], *dt = &u->toks[d->name_tok];
    diag_error(u->src, t->off, t->len, "redefinition of async function '%s'", f->name);
    diag_note(u->src, dt->off, dt->len, "its first definition is here");
}

/* The return type t (C text) in a canonical spelling, if it is made of
 * C's arithmetic types, void, qualifiers and stars only: `long int const *`
 * and `const long *` give one spelling.  NULL for one that names a
 * typedef, a tag or anything else (acc cannot tell what that is).  (The
 * qualifiers of the value itself are not in t: syntax.c drops them.) */
static char *canonical_type(Arena *a, const char *t)
{
    static const char *const words[] = {"const", "volatile", "restrict", "_Atomic", "unsigned",
                                        "signed", "_Complex", "void", "_Bool", "char", "short",
                                        "int", "float", "double", "long"};
    enum { UNSIGNED = 4, SIGNED, CHAR = 9, SHORT, INT, LONG = 14, NWORDS };
    _Static_assert(sizeof words / sizeof *words == NWORDS, "a name for each word's place");
    int n[NWORDS] = {0};
    Buf b = {0};
    for (const char *p = t;; ) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " *");
        if (!*p || *p == '*') { /* one level: qualifiers, then the type */
            if (n[INT] && (n[SHORT] || n[LONG] || !n[CHAR])) /* short int, long int, int */
                n[INT] = 0;
            if (n[SIGNED] && !n[CHAR]) /* signed T is T, but signed char */
                n[SIGNED] = 0;
            if ((n[UNSIGNED] || n[SIGNED]) && !n[CHAR] && !n[SHORT] && !n[LONG])
                n[INT] = 1; /* unsigned is unsigned int */
            for (int w = 0; w < NWORDS; w++)
                for (; n[w]; n[w]--)
                    buf_printf(&b, "%s ", words[w]);
            if (!*p)
                break;
            buf_puts(&b, "* ");
            p++;
            continue;
        }
        int w = 0;
        while (w < NWORDS && (strlen(words[w]) != len || strncmp(p, words[w], len)))
            w++;
        if (w == NWORDS) {
            buf_free(&b);
            return NULL;
        }
        n[w]++;
        p += len;
    }
    char *r = mem_strndup(a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

/* An async function of this file declared again with another return
 * type: C would refuse it, but the generated C spells the type in the
 * frame of the callee only, so a caller that read the first declaration
 * gives it a slot of the wrong size (`long` written into an `int`). */
static void check_return_type(Unit *u, const AsyncFn *old, const AsyncFn *f)
{
    char *a = canonical_type(u->arena, old->ret), *b = canonical_type(u->arena, f->ret);
    if (!a || !b || !strcmp(a, b))
        return;
    const Token *t = &u->toks[f->name_tok];
    diag_error(u->src, t->off, t->len, "async function '%s' returns '%s' here but '%s' where it "
               "was declared before", f->name, f->ret, old->ret);
    if (old->own)
        diag_note(u->src, u->toks[old->name_tok].off, u->toks[old->name_tok].len,
                  "declared here");
}

int unit_param_count(const AsyncFn *f)
{
    return f->arity - 1; /* counted by the parser, in the file that declares f */
}

/* The type of parameter p (a D_PARAM of this file) in canonical_type's
 * spelling without the qualifiers of the parameter itself, which C ignores
 * when it compares two declarations (`const int n` and `int n`); NULL where
 * canonical_type cannot tell (a typedef, a tag, an array, a function). */
static char *param_type(Unit *u, const Node *p)
{
    Buf b = {0};
    for (int i = p->first; i <= p->last; i++)
        if (i != p->tok)
            buf_printf(&b, "%.*s ", u->toks[i].len, u->src->text + u->toks[i].off);
    char *t = canonical_type(u->arena, b.p ? b.p : "");
    buf_free(&b);
    if (!t)
        return NULL;
    char *top = strrchr(t, '*'); /* the parameter's own level follows */
    top = top ? top + 1 : t;
    static const char *const quals[] = {"const ", "volatile ", "restrict "};
    for (size_t q = 0; q < sizeof quals / sizeof *quals; q++)
        for (char *w; (w = strstr(top, quals[q])) && (w == top || w[-1] == ' ');)
            memmove(w, w + strlen(quals[q]), strlen(w + strlen(quals[q])) + 1);
    return t;
}

/* An async function of this file declared again with other parameters:
 * C would refuse it at the prototypes of the generated code (the coroutine
 * constructor, F__await), in names the user never wrote.  The types are
 * compared where acc can spell them (arithmetic types, void, pointers).
 * Declarations with a conditional line between them may be alternatives. */
static void check_params(Unit *u, const AsyncFn *old, const AsyncFn *f)
{
    int n = unit_param_count(old), m = unit_param_count(f), bad = n != m;
    const Token *t = &u->toks[f->name_tok];
    if (n < 0 || m < 0 || conditional_between(u, old->first, f->first))
        return; /* (#ifdef X ... #else ...: alternatives) */
    if (bad)
        diag_error(u->src, t->off, t->len, "async function '%s' takes %d parameter%s here but "
                   "%d where it was declared before", f->name, m, m == 1 ? "" : "s", n);
    const Node *p = old->params_list, *q = f->params_list;
    for (int i = 1; !bad && i <= n; i++, p = p->next, q = q->next) {
        char *a = param_type(u, p), *c = param_type(u, q);
        if (!a || !c || !strcmp(a, c))
            continue;
        diag_error(u->src, t->off, t->len, "parameter %d of async function '%s' is '%s' here "
                   "but '%s' where it was declared before", i, f->name,
                   lex_text(u->src, u->toks, u->arena, q->first, q->last),
                   lex_text(u->src, u->toks, u->arena, p->first, p->last));
        bad = 1;
    }
    if (bad)
        diag_note(u->src, u->toks[old->name_tok].off, u->toks[old->name_tok].len,
                  "declared here");
}

/* The registry keeps the first entry of each name; later declarations and
 * the definition point to it (`canon`), so facts about a function (awaited,
 * called, static) are shared by all of them. */
static void add_fn(Unit *u, AsyncFn *f)
{
    AsyncFn *old = unit_find(u, f->name, strlen(f->name));
    if (f->body) { /* (only this file's definitions keep their bodies) */
        AsyncFn *c = old ? old : f;
        if (c->def)
            redefinition(u, c, f);
        else
            c->def = f;
        c->defined = 1;
    }
    if (old && f->own)
        check_return_type(u, old, f);
    if (old && f->own && old->own)
        check_params(u, old, f);
    if (old) {
        f->canon = old;
        old->is_static |= f->is_static;
        old->is_cm |= f->is_cm;
        f->is_cm = old->is_cm;
        old->is_generator |= f->is_generator;
        f->is_generator = old->is_generator;
        return;
    }
    f->canon = f;
    names_put(u->fns, f->name, strlen(f->name), f);
}

const PlainFn *unit_find_plain(const Unit *u, const char *name, size_t len)
{
    return u->plain ? names_get(u->plain, name, len) : NULL;
}

/* A file-scope declaration `T name(...)` at token i: remember name's return
 * type.  Storage classes and `inline` are not part of it. */
static void plain_fn_at(Unit *u, const Unit *v, int i)
{
    const Token *t = v->toks;
    int start = i;
    while (i < v->ntok && (t[i].kind == TK_STATIC || t[i].kind == TK_EXTERN ||
                           t[i].kind == TK_INLINE || t[i].kind == TK_NORETURN))
        start = ++i;
    for (; i < v->ntok; i++) {
        int k = t[i].kind;
        if (k == TK_SEMI || k == TK_LC || k == TK_ASSIGN || k == TK_TYPEDEF || k == TK_PPLINE ||
            k == TK_LB || k == 0)
            return;
        if (k == TK_LP)
            break;
    }
    if (i >= v->ntok || i - 1 <= start || t[i - 1].kind != TK_IDENT)
        return;
    PlainFn *f = mem_alloc(u->arena, sizeof *f);
    f->name = mem_strndup(u->arena, v->src->text + t[i - 1].off, (size_t)t[i - 1].len);
    f->ret = lex_text(v->src, t, u->arena, start, i - 2);
    names_put(u->plain, f->name, strlen(f->name), f); /* the last declaration counts */
}

AsyncFn *unit_await_entry_use(const Unit *u, const Unit *v, int i)
{
    static const char macro[] = "AC_AWAIT_FN", suffix[] = "__await";
    const Token *t = v->toks;
    const char *name = v->src->text + t[i].off;
    size_t len = (size_t)t[i].len;
    if (t[i].kind != TK_IDENT)
        return NULL;
    if (i >= 2 && i + 1 < v->ntok && t[i - 1].kind == TK_LP && t[i + 1].kind == TK_RP &&
        t[i - 2].kind == TK_IDENT && (size_t)t[i - 2].len == sizeof macro - 1 &&
        !memcmp(v->src->text + t[i - 2].off, macro, sizeof macro - 1))
        return unit_find(u, name, len);
    if (len > sizeof suffix - 1 &&
        !memcmp(name + len - (sizeof suffix - 1), suffix, sizeof suffix - 1))
        return unit_find(u, name, len - (sizeof suffix - 1));
    return NULL;
}

/* Calls of async functions from plain code: a static one called only there
 * still needs its coroutine constructor; one whose await entry is named
 * there needs that entry. */
static void note_plain_use(Unit *u, const Unit *v, int i)
{
    const Token *t = v->toks;
    if (t[i].kind != TK_IDENT || (i > 0 && (t[i - 1].kind == TK_DOT || t[i - 1].kind == TK_ARROW)))
        return;
    AsyncFn *entry = unit_await_entry_use(u, v, i);
    if (entry) {
        entry->awaited = 1;
        return;
    }
    int prev = i > 0 ? t[i - 1].kind : 0;
    if (!(i + 1 < v->ntok && t[i + 1].kind == TK_LP) && prev != TK_AMP && prev != TK_ASSIGN &&
        prev != TK_COMMA && prev != TK_LP && prev != TK_LC && prev != TK_QUEST &&
        prev != TK_COLON && prev != TK_RETURN && prev != TK_RP)
        return; /* a member or variable of the same name, not a use; a value
                   (`.aexit = f`, `{ f, g }`, `c ? f : g`, `return f;`,
                   `(fn_t)f`) is the coroutine constructor */
    AsyncFn *f = unit_find(u, v->src->text + t[i].off, (size_t)t[i].len);
    if (f)
        f->called = 1;
}

static int is_tag(int k)
{
    return k == TK_STRUCT || k == TK_UNION || k == TK_ENUM;
}

int unit_tag_body(const Unit *u, int i)
{
    const Token *t = u->toks;
    if (t[i].kind != TK_LC || i < 1 ||
        !(is_tag(t[i - 1].kind) || (i >= 2 && t[i - 1].kind == TK_IDENT && is_tag(t[i - 2].kind))))
        return -1;
    return parser_closing(t, i, u->ntok - 1);
}

/* `await f(` or `await (`: a member named await is no await. */
static int await_word(const Unit *u, int i)
{
    const Token *t = u->toks;
    return t[i].kind == TK_IDENT && lex_is(u->src, &t[i], "await") &&
           (t[i + 1].kind == TK_IDENT || t[i + 1].kind == TK_LP) && t[i - 1].kind != TK_DOT &&
           t[i - 1].kind != TK_ARROW;
}

enum { BODY_MAX_NESTING = 200 }; /* the recursion's bound */

/* The awaits of the struct, union or enum body [lb, rb] and of the bodies
 * nested in it, in the order of the text.  acc copies these bodies as text,
 * in async functions too: the C compiler would see an unknown name. */
static void body_awaits(const Unit *u, int lb, int rb, int nesting)
{
    const Token *t = u->toks;
    int is_enum = t[lb - 1].kind == TK_ENUM || (lb >= 2 && t[lb - 2].kind == TK_ENUM);
    int depth = 0, width = 0; /* of ( and [; after a member's ':' */
    for (int i = lb + 1; i < rb; i++) {
        int k = t[i].kind, inner = unit_tag_body(u, i);
        if (inner >= 0) {
            if (nesting < BODY_MAX_NESTING)
                body_awaits(u, i, inner, nesting + 1);
            i = inner;
            continue;
        }
        depth += (k == TK_LP || k == TK_LB) - (k == TK_RP || k == TK_RB);
        if (!depth && (k == TK_SEMI || k == TK_COMMA))
            width = 0;
        width |= !depth && k == TK_COLON;
        if (await_word(u, i))
            diag_error(u->src, t[i].off, t[i].len, "%s",
                       is_enum ? "'await' in an enumerator value"
                       : width ? "'await' in a bit-field width"
                               : "'await' in a struct or union member");
    }
}

/* Does the ')' at rp close the condition of an if, while, for or switch
 * (and not a call, a cast or a function-like macro)? */
static int closes_condition(const Unit *u, int rp)
{
    const Token *t = u->toks;
    int d = 0;
    for (int i = rp; i > 0; i--) {
        d += (t[i].kind == TK_RP) - (t[i].kind == TK_LP);
        if (!d) {
            int k = t[i - 1].kind;
            return k == TK_IF || k == TK_WHILE || k == TK_FOR || k == TK_SWITCH;
        }
    }
    return 0;
}

/* Does the ':' at colon end a `case X:` label?  Walking back to `case`, each
 * '?' pairs with a ':' to its right; a '?' left without one owns this ':'
 * (`x = c ? a : f();`). */
static int case_colon(const Unit *u, int colon)
{
    const Token *t = u->toks;
    int unpaired = 0; /* conditional operators' ':' between */
    for (int i = colon - 1; i >= 0; i--) {
        int k = t[i].kind;
        if (k == TK_CASE)
            return unpaired == 0;
        if (k == TK_SEMI || k == TK_LC || k == TK_RC)
            return 0;
        unpaired += (k == TK_COLON) - (k == TK_QUEST);
        if (unpaired < 0)
            return 0;
    }
    return 0;
}

/* Is the ';' at semi in parentheses, that is in a for header? */
static int in_parens(const Unit *u, int semi)
{
    const Token *t = u->toks;
    int d = 0; /* ')' less '(' walking back */
    for (int i = semi - 1; i >= 0; i--) {
        int k = t[i].kind;
        d += (k == TK_RP) - (k == TK_LP);
        if (d < 0)
            return 1;
        if (d == 0 && (k == TK_SEMI || k == TK_LC || k == TK_RC))
            return 0;
    }
    return 0;
}

/* Does token i of a body start a statement?  It does after a ';' outside
 * parentheses, '{', '}', a preprocessor line, 'else', 'do', the ')' of a
 * condition (the unbraced body of if, while, for, switch) and a label. */
static int starts_stmt(const Unit *u, int i)
{
    const Token *t = u->toks;
    while (i >= 2) {
        int prev = t[i - 1].kind;
        if (prev == TK_SEMI)
            return !in_parens(u, i - 1);
        if (prev == TK_LC || prev == TK_RC || prev == TK_PPLINE || prev == TK_ELSE ||
            prev == TK_DO)
            return 1;
        if (prev == TK_RP)
            return closes_condition(u, i - 1);
        if (prev != TK_COLON)
            return 0;
        if (t[i - 2].kind == TK_DEFAULT || case_colon(u, i - 1))
            return 1;
        if (t[i - 2].kind != TK_IDENT)
            return 0;
        i -= 2; /* `name:` is a label if name starts a statement */
    }
    return 0;
}

/* A statement of a plain function that only calls an async function,
 * `f(x);` or `(void)f(x);` (tokens from i, in a body): the coroutine object
 * it makes is dropped and leaks.  A warning, as for the same statement in an
 * async function (check.c). */
static void warn_dropped_plain(Unit *u, int i, int end)
{
    const Token *t = u->toks;
    int cast = i + 3 < end && t[i].kind == TK_LP && t[i + 1].kind == TK_VOID &&
               t[i + 2].kind == TK_RP;
    int name = cast ? i + 3 : i;
    if (name + 1 >= end || t[name].kind != TK_IDENT || t[name + 1].kind != TK_LP)
        return;
    AsyncFn *f = unit_find(u, u->src->text + t[name].off, (size_t)t[name].len);
    if (!f || f->is_cm || f->is_generator)
        return;
    int rp = parser_closing(t, name + 1, end - 1);
    if (rp + 1 < end && t[rp + 1].kind == TK_SEMI && starts_stmt(u, i))
        diag_warning(u->src, t[name].off, t[name].len,
                     "coroutine object of '%s' is dropped and leaks: run it with ac_run(), or "
                     "free it with ac_coro_free()", f->name);
}

/* If a declaration starting at token i is an async item, return the index
 * of the `async` word, else -1.  Items may open with @attributes and a
 * storage class. */
static int async_at(const Unit *u, int i)
{
    const Token *t = u->toks;
    while (i < u->ntok && t[i].kind == TK_AT && i + 1 < u->ntok && t[i + 1].kind == TK_IDENT) {
        i += 2;
        if (i < u->ntok && t[i].kind == TK_LP)
            i = parser_closing(t, i, u->ntok - 1) + 1;
    }
    if (i < u->ntok && (t[i].kind == TK_STATIC || t[i].kind == TK_EXTERN))
        i++;
    if (i < u->ntok && t[i].kind == TK_IDENT && lex_is(u->src, &t[i], "async"))
        return i;
    return -1;
}

/* Does the '{' at t[i] open the body of a struct, union or enum? */
static int tag_body_at(const Token *t, int i)
{
    int k = i > 0 ? t[i - 1].kind : 0;
    if (k == TK_IDENT && i > 1)
        k = t[i - 2].kind;
    return k == TK_STRUCT || k == TK_UNION || k == TK_ENUM;
}

/* Does an async item (not an `async with` or `async for` statement) start
 * at token j, at the very start of its line, as items are written? */
static int item_at_margin(const Unit *u, int j)
{
    const Token *t = u->toks;
    int k = async_at(u, j);
    if (k < 0 || (t[j].off > 0 && u->src->text[t[j].off - 1] != '\n'))
        return 0;
    return k + 1 >= u->ntok || !(lex_is(u->src, &t[k + 1], "with") || lex_is(u->src, &t[k + 1], "for"));
}

/* The last token of the body whose '{' is t[i]: its '}', or when it has
 * none (a '}' missing inside it), the token before the next async item
 * that starts at the margin, so that the error is this item's alone and
 * the items after it are read as items. */
static int body_end(const Unit *u, int i)
{
    const Token *t = u->toks;
    int cut = -1;
    for (int j = i, depth = 0; j < u->ntok; j++) {
        depth += (t[j].kind == TK_LC) - (t[j].kind == TK_RC);
        if (!depth)
            return j;
        if (cut < 0 && j > i && item_at_margin(u, j))
            cut = j - 1;
    }
    return cut >= 0 ? cut : u->ntok - 1;
}

/* End of an item: the '}' closing its body or the ';' ending a declaration. */
static int item_end(const Unit *u, int i)
{
    const Token *t = u->toks;
    int paren = 0;
    for (; i < u->ntok; i++) {
        paren += t[i].kind == TK_LP;
        paren -= t[i].kind == TK_RP;
        if (paren)
            continue;
        if (t[i].kind == TK_SEMI)
            return i;
        if (t[i].kind == TK_LC && tag_body_at(t, i)) {
            i = parser_closing(t, i, u->ntok - 1); /* in the return type: */
            continue;                              /* parser_item refuses it */
        }
        if (t[i].kind == TK_LC)
            return body_end(u, i);
    }
    return u->ntok - 1;
}

static Parser parser_for(Unit *u, Src *s, Token *toks)
{
    Parser p = {0};
    p.src = s;
    p.toks = toks;
    p.arena = u->arena;
    p.types = u->types;
    p.complex_h = u->complex_h;
    return p;
}

/* ---- headers ----------------------------------------------------------- */

static char *read_file(Arena *a, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    Buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    char *r = mem_strndup(a, b.p ? b.p : "", b.len);
    *len = b.len;
    buf_free(&b);
    return r;
}

/* Do paths a and b name one file?  The same file is reached by several
 * names: "./b.ac" through a quoted include, "/abs/b.ac" through -I, and
 * the input "a.ac" as "./a.ac" from a file it includes. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (strcmp(a, b) == 0)
        return 1;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Has path been read (or is it the input itself)?  Each file is read and
 * named in the depfile once, whatever names reach it. */
static int already_read(const Unit *u, const char *path)
{
    if (same_file(path, u->src->name))
        return 1;
    for (int i = 0; i < u->ndeps; i++)
        if (same_file(u->deps[i], path))
            return 1;
    return 0;
}

static void add_dep(Unit *u, const char *path)
{
    const char **d = mem_alloc(u->arena, sizeof *d * (size_t)(u->ndeps + 1));
    if (u->ndeps)
        memcpy(d, u->deps, sizeof *d * (size_t)u->ndeps);
    d[u->ndeps++] = mem_strdup(u->arena, path);
    u->deps = d;
}

static const char *dir_of(Arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? mem_strndup(a, path, (size_t)(slash - path)) : ".";
}

static int exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* Find `name` in the current file's directory (quoted includes only), then
 * the -I and runtime directories.  Returns NULL if not found. */
static const char *find_header(Unit *u, const char *from_dir, const char *name, int quoted)
{
    if (quoted) {
        const char *p = mem_printf(u->arena, "%s/%s", from_dir, name);
        if (exists(p))
            return p;
    }
    for (int i = 0; i < u->nincdirs; i++) {
        const char *p = mem_printf(u->arena, "%s/%s", u->incdirs[i], name);
        if (exists(p))
            return p;
    }
    return NULL;
}

static void scan_file(Unit *u, const char *path, int depth);

/* Parse the `acc:` markers of a header: comments holding an async
 * declaration, written by acc into generated headers and by hand into the
 * runtime's headers. */
static void scan_markers(Unit *u, const char *path, const char *text)
{
    for (const char *m = strstr(text, "/*acc:"); m; m = strstr(m + 1, "/*acc:")) {
        const char *end = strstr(m, "*/");
        if (!end)
            return;
        Src *s = mem_alloc(u->arena, sizeof *s);
        s->name = path;
        s->text = mem_strndup(u->arena, m + 6, (size_t)(end - m - 6));
        s->len = strlen(s->text);
        diag_init_src(s);
        int n;
        Token *toks = lex_file(s, u->arena, &n);
        Parser p = parser_for(u, s, toks);
        AsyncFn *f = n > 0 ? parse_item(&p, 0, n - 1) : NULL;
        diag_free_src(s);
        if (f) {
            f->body = NULL; /* declarations only */
            add_fn(u, f);
        }
    }
}

/* Follow the #include lines and the typedefs of a token array. */
/* Track the brace depth at token i.  The braces of `extern "C" { ... }`
 * (a C++ guard in headers, which acc reads whatever the #ifdef) do not
 * count: what they hold is at file scope. */
static void brace_step(const Token *toks, int i, int *brace, int *ext)
{
    int k = toks[i].kind;
    if (k == TK_LC && i >= 2 && toks[i - 1].kind == TK_STRING && toks[i - 2].kind == TK_EXTERN)
        ++*ext;
    else if (k == TK_RC && *brace == 0 && *ext > 0)
        --*ext;
    else
        *brace += (k == TK_LC) - (k == TK_RC);
}

/* The names of a header's typedef (specifiers from token i) that declare
 * arrays: a local of such a type is initialised by copy, since C cannot
 * assign an array (check.c, typedef_is_array). */
static void note_array_typedefs(Unit *u, const Parser *p, int i, int last)
{
    int end = i - 1;
    do {
        int nm = parser_typedef_declarator(p, end + 1, last, &end);
        if (nm >= 0 && p->toks[nm + 1].kind == TK_LB)
            types_add(u->header_arrays, u->arena, p->src->text + p->toks[nm].off,
                      (size_t)p->toks[nm].len);
    } while (end < last && p->toks[end].kind == TK_COMMA);
}

static void scan_includes_and_typedefs(Unit *u, Src *s, Token *toks, int n, int depth,
                                       int record)
{
    Parser p = parser_for(u, s, toks);
    int brace = 0, ext = 0;
    for (int i = 0; i < n; i++) {
        const Token *t = &toks[i];
        brace_step(toks, i, &brace, &ext);
        if (t->kind == TK_TYPEDEF && brace == 0) {
            if (!record) /* the file's own are indexed by check.c */
                note_array_typedefs(u, &p, i + 1, n - 1);
            i = parser_typedef_names(&p, i + 1, n - 1);
            continue;
        }
        if (t->kind != TK_PPLINE)
            continue;
        const char *l = unit_pp_text(s, t);
        while (*l == ' ' || *l == '\t')
            l++;
        if (strncmp(l, "include", 7) != 0)
            continue;
        l += 7;
        while (*l == ' ' || *l == '\t')
            l++;
        char close = *l == '"' ? '"' : *l == '<' ? '>' : 0;
        const char *e = close ? strchr(l + 1, close) : NULL;
        if (!e || e > s->text + t->off + t->len)
            continue;
        if (record) {
            int *inc = mem_alloc(u->arena, sizeof *inc * (size_t)(u->nincludes + 1));
            if (u->nincludes)
                memcpy(inc, u->includes, sizeof *inc * (size_t)u->nincludes);
            inc[u->nincludes++] = i;
            u->includes = inc;
        }
        const char *name = mem_strndup(u->arena, l + 1, (size_t)(e - l - 1));
        if (!strcmp(name, "complex.h") || !strcmp(name, "tgmath.h"))
            u->complex_h = 1; /* its macro complex stands for _Complex */
        const char *dir = dir_of(u->arena, s->name);
        const char *dot = strrchr(name, '.');
        if (dot && strcmp(dot, ".h") == 0) { /* prefer the .ac source of a header */
            const char *ac = mem_printf(u->arena, "%.*s.ac", (int)(dot - name), name);
            const char *acp = find_header(u, dir, ac, close == '"');
            if (acp) { /* the input's own header: its declarations are the input's */
                if (!same_file(acp, u->src->name))
                    scan_file(u, acp, depth + 1);
                continue;
            }
        }
        const char *hp = find_header(u, dir, name, close == '"');
        if (hp)
            scan_file(u, hp, depth + 1);
        else if (record && close == '"' && !u->unfound)
            u->unfound = i + 1; /* for a note when a callee is unknown */
    }
}

static void scan_ac_items(Unit *u, Src *s, Token *toks, int n, int own);

static void scan_file(Unit *u, const char *path, int depth)
{
    if (depth > 32 || already_read(u, path))
        return;
    add_dep(u, path);
    size_t len;
    char *text = read_file(u->arena, path, &len);
    if (!text)
        return;
    Src *s = mem_alloc(u->arena, sizeof *s);
    s->name = path;
    s->text = text;
    s->len = len;
    diag_init_src(s);
    int n;
    Token *toks = lex_file(s, u->arena, &n);
    scan_includes_and_typedefs(u, s, toks, n, depth, 0);
    size_t plen = strlen(path);
    if (plen > 3 && strcmp(path + plen - 3, ".ac") == 0)
        scan_ac_items(u, s, toks, n, 0);
    else
        scan_markers(u, path, text);
    diag_free_src(s);
}

/* ---- this file --------------------------------------------------------- */

const char *unit_pp_text(const Src *s, const Token *t)
{
    const char *l = s->text + t->off;
    return l + (*l == '%' ? 2 : 1);
}

int unit_is_ac_pragma(const Src *s, const Token *t)
{
    const char *l = unit_pp_text(s, t);
    while (*l == ' ' || *l == '\t')
        l++;
    if (strncmp(l, "pragma", 6) != 0)
        return 0;
    l += 6;
    while (*l == ' ' || *l == '\t')
        l++;
    return strncmp(l, "ac", 2) == 0 && (l[2] == ' ' || l[2] == '\t' || l[2] == '\n' || !l[2]);
}

void unit_pp_words(const Src *s, const Token *t, const char **dir, size_t *ndir,
                   const char **name, size_t *nname)
{
    const char *p = unit_pp_text(s, t), *end = s->text + t->off + t->len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    *dir = p;
    while (p < end && isalpha((unsigned char)*p))
        p++;
    *ndir = (size_t)(p - *dir);
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    *name = p;
    while (p < end && lex_name_byte(*p))
        p++;
    *nname = (size_t)(p - *name);
}

int unit_pp_cond(const Src *s, const Token *t)
{
    const char *d, *name;
    size_t n, nname;
    unit_pp_words(s, t, &d, &n, &name, &nname);
    return lex_pp_kind(d, n);
}

void unit_pp_follow(const Src *s, Arena *a, const char *open[UNIT_PP_KEPT], int *n,
                    const Token *t)
{
    const char *text = s->text + t->off;
    int how = unit_pp_cond(s, t);
    if (how == LEX_PP_OPEN) {
        if (*n < UNIT_PP_KEPT)
            open[*n] = mem_printf(a, "%.*s\n", t->len, text);
        ++*n;
    } else if (how == LEX_PP_BRANCH && *n > 0 && *n <= UNIT_PP_KEPT) {
        open[*n - 1] = mem_printf(a, "%s%.*s\n", open[*n - 1], t->len, text);
    } else if (how == LEX_PP_CLOSE && *n > 0) {
        --*n;
    }
}

void unit_pp_path(PpPath *p, const Src *s, const Token *t)
{
    int how = unit_pp_cond(s, t);
    if (how == LEX_PP_CLOSE && p->depth > 0 && --p->depth < UNIT_PP_KEPT) {
        p->now = p->open[p->depth]; /* back in the branches around the #if */
    } else if (how != LEX_PP_NONE) {
        if (how == LEX_PP_OPEN && p->depth < UNIT_PP_KEPT)
            p->open[p->depth] = p->now;
        p->depth += how == LEX_PP_OPEN;
        p->now = ++p->next;
    }
}

static void check_pragma(Unit *u, const Token *t)
{
    const char *l = unit_pp_text(u->src, t);
    const char *end = u->src->text + t->off + t->len;
    while (*l == ' ' || *l == '\t')
        l++;
    if (strncmp(l, "pragma", 6) != 0)
        return;
    l += 6;
    while (*l == ' ' || *l == '\t')
        l++;
    if (strncmp(l, "ac", 2) != 0 || (l[2] != ' ' && l[2] != '\t'))
        return;
    l += 2;
    while (*l == ' ' || *l == '\t')
        l++;
    if (strncmp(l, "typedef", 7) == 0 && (l + 7 >= end || !lex_name_byte(l[7]))) {
        l += 7;
        int names = 0;
        for (;; names++) { /* names, with blanks, commas and line splices between */
            while (l < end && (*l == ' ' || *l == '\t' || *l == ',' || *l == '\\' ||
                               *l == '\r' || *l == '\n' || *l == '/')) {
                if (l[0] == '/' && l + 1 < end && l[1] == '/')
                    l = end;
                else if (l[0] == '/' && l + 1 < end && l[1] == '*') {
                    const char *c = strstr(l + 2, "*/");
                    l = c && c < end ? c + 2 : end;
                } else if (*l == '/')
                    break;
                else
                    l++;
            }
            const char *w = l;
            while (l < end && lex_name_byte(*l))
                l++;
            if (l == w)
                break;
            types_add(u->types, u->arena, w, (size_t)(l - w));
        }
        if (l < end)
            diag_error(u->src, (int)(l - u->src->text), 1,
                       "'#pragma ac typedef' takes names of types, separated by blanks or commas");
        else if (!names)
            diag_error(u->src, t->off, t->len, "'#pragma ac typedef' needs the names of types");
        return;
    }
    const char *w = l;
    while (l < end && *l != ' ' && *l != '\t' && *l != '\n')
        l++;
    if (l == w)
        diag_error(u->src, t->off, t->len, "'#pragma ac' needs a directive (typedef)");
    else
        diag_error(u->src, (int)(w - u->src->text), (int)(l - w), "unknown '#pragma ac' directive '%.*s'",
                   (int)(l - w), w);
}

/* `await f(` or `async with (` inside a plain function body. */
static void check_plain_await(Unit *u, int i)
{
    const Token *t = u->toks;
    if (t[i].kind != TK_IDENT || i + 2 >= u->ntok || t[i + 2].kind != TK_LP)
        return;
    if (lex_is(u->src, &t[i], "await") && t[i + 1].kind == TK_IDENT)
        diag_error(u->src, t[i].off, t[i].len, "'await' outside an async function");
    if (lex_is(u->src, &t[i], "async") && lex_is(u->src, &t[i + 1], "with"))
        diag_error(u->src, t[i].off, t[i].len, "'async with' outside an async function");
    if (lex_is(u->src, &t[i], "async") && t[i + 1].kind == TK_FOR)
        diag_error(u->src, t[i].off, t[i].len, "'async for' outside an async function");
}

/* An item that did not parse still declares its name as async, so that
 * awaits of it do not each report an error of their own. */
static void placeholder(Unit *u, const Unit *v, int i, int end)
{
    const Token *t = v->toks;
    for (; i < end; i++) {
        if (t[i].kind == TK_IDENT && t[i + 1].kind == TK_LP) {
            AsyncFn *f = mem_alloc(u->arena, sizeof *f);
            f->name = mem_strndup(u->arena, v->src->text + t[i].off, (size_t)t[i].len);
            f->ret = "int";
            f->params = "void";
            add_fn(u, f);
            return;
        }
    }
}

/* Does token i close a `_Pragma("...")`, a directive after which a
 * declaration starts as after a #pragma line? */
static int pragma_ends(const Unit *u, int i)
{
    const Token *t = u->toks;
    return i >= 3 && t[i].kind == TK_RP && t[i - 1].kind == TK_STRING && t[i - 2].kind == TK_LP &&
           t[i - 3].kind == TK_IDENT && lex_is(u->src, &t[i - 3], "_Pragma");
}

/* Does an async item start at token i, on a line of its own, where the
 * declaration before it has not ended?  Then its ';' is missing
 * (`int x = 1` on the line before): 2, to be said, or 1 when the line
 * before ends in a literal left open, which the lexer reported.  Either
 * way the item is read as one, not as an `async` inside a type with every
 * await of its body "outside an async function". */
static int unended_before_async(const Unit *view, int i)
{
    const Token *t = view->toks;
    if (i == 0 || t[i - 1].line >= t[i].line || async_at(view, i) < 0)
        return 0;
    int k = t[i - 1].kind;
    char c = view->src->text[t[i - 1].off];
    if (k == TK_OTHER && (c == '\'' || c == '"'))
        return 1;
    return k == TK_IDENT || k == TK_NUMBER || k == TK_STRING || k == TK_CHARLIT ||
           k == TK_RP || k == TK_RB ? 2 : 0;
}

static void scan_ac_items(Unit *u, Src *s, Token *toks, int n, int own)
{
    Unit view = *u;
    Item **tail = &u->items;
    while (*tail)
        tail = &(*tail)->next;
    view.src = s;
    view.toks = toks;
    view.ntok = n;
    int brace = 0, ext = 0, decl_start = 1, body_end = -1;
    for (int i = 0; i < n; i++) {
        int k = toks[i].kind;
        if (own && k == TK_PPLINE)
            check_pragma(u, &toks[i]);
        int unended = brace == 0 && !decl_start ? unended_before_async(&view, i) : 0;
        if (unended) {
            if (own && unended == 2)
                diag_error(s, toks[i].off, toks[i].len, "expected ';' before '%.*s'",
                           toks[i].len, s->text + toks[i].off);
            decl_start = 1;
        }
        if (brace == 0 && decl_start && k != TK_PPLINE && async_at(&view, i) >= 0) {
            int end = item_end(&view, i);
            Parser p = parser_for(u, s, toks);
            int local0 = u->locals.n;
            if (own) {
                p.locals = &u->locals;
                p.tags = u->tags;
            }
            AsyncFn *f = parse_item(&p, i, end);
            if (!f)
                placeholder(u, &view, i, end); /* no cascade of "not async" errors */
            if (f) {
                f->own = own;
                f->first = i;
                f->last = end;
                f->local0 = local0;
                f->nlocal = u->locals.n - local0;
                if (!own)
                    f->body = NULL;
                add_fn(u, f);
            }
            if (own) {
                Item *it = mem_alloc(u->arena, sizeof *it);
                it->first = i;
                it->last = end;
                it->fn = f;
                it->attrs = p.attrs;
                *tail = it;
                tail = &it->next;
            }
            i = end;
            decl_start = 1;
            continue;
        }
        if (own && brace == 0 && decl_start && k == TK_AT)
            diag_error(s, toks[i].off, toks[i].len,
                       "an attribute ('@') must stand before an async function");
        if (own && i > body_end) {
            body_end = unit_tag_body(u, i); /* its awaits: tag_bodies() */
            check_plain_await(u, i);
        }
        if (own && brace == 0 && decl_start && k != TK_PPLINE)
            plain_fn_at(u, &view, i);
        brace_step(toks, i, &brace, &ext);
        if (brace < 0)
            brace = 0;
        decl_start = brace == 0 && (k == TK_SEMI || k == TK_RC || k == TK_PPLINE ||
                                    pragma_ends(&view, i));
    }
}

/* `async` before a type anywhere but at the head of an async item: C has
 * no async qualifier, and a pointer to an async function is a pointer to
 * its coroutine constructor (language.md, "Function pointers").  Said here,
 * where plain code and the struct bodies that the parser takes whole are
 * seen too; the parser keeps quiet about these tokens. */
static void check_async_types(Unit *u)
{
    const Item *it = u->items;
    for (int i = 0; i < u->ntok; i++) {
        while (it && it->last < i)
            it = it->next;
        if (it && i >= it->first && i == async_at(u, it->first))
            continue; /* the item's own `async T name(` */
        if (parser_async_in_type(u->src, u->types, u->toks, i))
            parser_async_type_error(u->src, &u->toks[i]);
    }
}

/* The struct, union and enum bodies of the whole file, async items
 * included: neither the parser nor the plain-code scan looks into them. */
static void tag_bodies(const Unit *u)
{
    for (int i = 0; i < u->ntok; i++) {
        int rb = unit_tag_body(u, i);
        if (rb >= 0) {
            body_awaits(u, i, rb, 0);
            i = rb;
        }
    }
}

/* The struct and union tags the file names outside function bodies: a tag
 * an async body names without declaring it may be one of them (or of a
 * header's), not a tag of the body (syntax.c). */
static TypeSet *file_tags(Unit *u)
{
    TypeSet *set = types_new_empty(u->arena);
    const Token *t = u->toks;
    for (int i = 0, brace = 0; i < u->ntok; i++) {
        if (t[i].kind == TK_LC && !brace && i > 0 && t[i - 1].kind == TK_RP) {
            i = parser_closing(t, i, u->ntok); /* a function's body */
            continue;
        }
        brace += (t[i].kind == TK_LC) - (t[i].kind == TK_RC);
        if ((t[i].kind == TK_STRUCT || t[i].kind == TK_UNION) && t[i + 1].kind == TK_IDENT)
            types_add(set, u->arena, u->src->text + t[i + 1].off, (size_t)t[i + 1].len);
    }
    return set;
}

void unit_scan(Unit *u)
{
    u->types = types_new(u->arena);
    u->header_arrays = types_new_empty(u->arena);
    u->fns = names_new(u->arena);
    u->plain = names_new(u->arena);
    u->locals.of = mem_alloc(u->arena, sizeof *u->locals.of * (size_t)(u->ntok + 1));
    for (int i = 0; i <= u->ntok; i++)
        u->locals.of[i] = -1;
    u->tags = file_tags(u);
    scan_includes_and_typedefs(u, u->src, u->toks, u->ntok, 0, 1);
    scan_ac_items(u, u->src, u->toks, u->ntok, 1);
    check_async_types(u);
    tag_bodies(u);
    /* plain code outside the async items */
    int i = 0, brace = 0;
    for (Item *it = u->items; ; it = it->next) {
        int end = it ? it->first : u->ntok;
        for (; i < end; i++) {
            note_plain_use(u, u, i);
            if (brace > 0)
                warn_dropped_plain(u, i, end);
            brace += (u->toks[i].kind == TK_LC) - (u->toks[i].kind == TK_RC);
        }
        if (!it)
            break;
        i = it->last + 1;
    }
}
