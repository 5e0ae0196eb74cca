/* hoist.c: the types and constants of async bodies that move to file scope
 * (see hoist.h). */
#include "hoist.h"

#include <ctype.h>
#include <string.h>

#include "names.h"
#include "parse.h"

enum { PP_MAX = 16 };

/* An enum moved to file scope so far (for identical enums and clashes). */
typedef struct Placed {
    int k;              /* its local */
    const char *text;   /* its body as the generated C spells it */
    int path[PP_MAX];   /* the preprocessor branches of its function */
    int npath;
    struct Placed *next;
} Placed;

struct Hoist {
    TypeSet *taken;     /* the names given at file scope to typedefs */
    TypeSet *tags;      /* ... and to tags, a name space of their own */
    TypeSet *idents;    /* the identifiers the file uses */
    Placed *enums, **tail;
    int *work, nwork, capwork; /* locals needed, whose needs are not taken yet */
    Names *file_names;  /* file_names(): NULL until asked for */
};

static Local *at(const Unit *u, int i)
{
    int k = u->locals.of ? u->locals.of[i] : -1;
    return k >= 0 ? &u->locals.v[k] : NULL;
}

static const char *text_of(const Unit *u, int i)
{
    return mem_strndup(u->arena, u->src->text + u->toks[i].off, (size_t)u->toks[i].len);
}

static int is_enum(const Unit *u, const Local *l)
{
    return l->kind == LOCAL_TAG && u->toks[l->kw].kind == TK_ENUM;
}

/* ---- what moves ---------------------------------------------------------- */

static struct Hoist *records(Unit *u);

/* l is needed at file scope: it goes on the work list. */
static void need(Unit *u, Local *l)
{
    if (l->moved)
        return;
    l->moved = 1;
    struct Hoist *h = records(u);
    if (h->nwork == h->capwork) {
        int cap = h->capwork ? 2 * h->capwork : 32;
        int *v = mem_alloc(u->arena, sizeof *v * (size_t)cap);
        if (h->nwork)
            memcpy(v, h->work, sizeof *v * (size_t)h->nwork);
        h->work = v;
        h->capwork = cap;
    }
    h->work[h->nwork++] = (int)(l - u->locals.v);
}

static void need_range(Unit *u, int first, int last)
{
    for (int i = first; i <= last; i++) {
        Local *l = at(u, i);
        if (l)
            need(u, l);
    }
}

/* What is needed takes along its enum, or what its body names, to any
 * depth (a work list: a chain of definitions may be long). */
void hoist_range(Unit *u, int first, int last)
{
    need_range(u, first, last);
    while (u->hoist && u->hoist->nwork) {
        Local *l = &u->locals.v[u->hoist->work[--u->hoist->nwork]];
        if (l->kind == LOCAL_ENUMERATOR)
            need(u, &u->locals.v[l->up]);
        else if (l->lc >= 0)
            need_range(u, l->lc + 1, l->rc - 1);
    }
}

void hoist_sym_type(Unit *u, const Sym *y)
{
    if (y->specs)
        hoist_range(u, y->specs->first, y->specs->last);
    hoist_range(u, y->decl->first, y->decl->last);
}

/* ---- spelling ------------------------------------------------------------ */

void hoist_put(const Unit *u, Buf *b, int i)
{
    const Local *l = at(u, i);
    const Token *t = &u->toks[i];
    if (l && l->cname && i != l->lc) {
        if (l->kind == LOCAL_TAG && i == l->kw) /* an enum given a tag */
            buf_printf(b, "%.*s ", t->len, u->src->text + t->off);
        buf_puts(b, l->cname);
        return;
    }
    buf_put(b, u->src->text + t->off, (size_t)t->len);
}

int hoist_skip(const Unit *u, int i)
{
    const Local *l = at(u, i);
    return l && l->cname && l->kind == LOCAL_TAG && i == l->lc ? l->rc : -1;
}

char *hoist_text(const Unit *u, int first, int last)
{
    Buf b = {0};
    int skipped = 0; /* a body was left out: a word after it needs a blank */
    for (int i = first; i <= last; i++) {
        int end = hoist_skip(u, i);
        if (end >= 0) {
            i = end;
            skipped = 1;
            continue;
        }
        const char *w = u->src->text + u->toks[i].off;
        if (i > first && (u->toks[i].ws < u->toks[i].off ||
                          (skipped && lex_name_byte(*w))))
            buf_puts(&b, " ");
        skipped = 0;
        hoist_put(u, &b, i);
    }
    char *r = mem_strndup(u->arena, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

int hoist_declares_moved(const Unit *u, int first, int last)
{
    for (int i = first; i <= last; i++) {
        const Local *l = at(u, i);
        if (l && l->kind == LOCAL_TAG && l->cname && (i == l->lc || i == last))
            return 1; /* its body, or `struct s;` */
    }
    return 0;
}

const char *hoist_definition(const Unit *u, int k)
{
    const Local *l = &u->locals.v[k];
    if (l->kind != LOCAL_TAG || !l->cname || l->lc < 0 || l->merged)
        return NULL;
    return mem_printf(u->arena, "%s %s { %s }", text_of(u, l->kw), l->cname,
                      hoist_text(u, l->lc + 1, l->rc - 1));
}

/* ---- names --------------------------------------------------------------- */

/* What the file keeps, made when first needed. */
static struct Hoist *records(Unit *u)
{
    if (!u->hoist) {
        struct Hoist *h = mem_alloc(u->arena, sizeof *h);
        h->taken = types_new_empty(u->arena);
        h->tags = types_new_empty(u->arena);
        h->idents = types_new_empty(u->arena);
        for (int i = 0; i < u->ntok; i++)
            if (u->toks[i].kind == TK_IDENT)
                types_add(h->idents, u->arena, u->src->text + u->toks[i].off,
                          (size_t)u->toks[i].len);
        h->tail = &h->enums;
        u->hoist = h;
    }
    return u->hoist;
}

/* ac_<fn>__<name> for local l, or with _2, _3... when the file has it
 * already (in the name space of l). */
static const char *fresh(Unit *u, const AsyncFn *fn, const Local *l, const char *name)
{
    struct Hoist *h = records(u);
    TypeSet *taken = l->kind == LOCAL_TAG ? h->tags : h->taken;
    const char *base = mem_printf(u->arena, "ac_%s__%s", fn->name, name), *r = base;
    for (int k = 2; types_has(taken, r, strlen(r)) || types_has(h->idents, r, strlen(r)); k++)
        r = mem_printf(u->arena, "%s_%d", base, k);
    types_add(taken, u->arena, r, strlen(r));
    return r;
}

/* ---- enumerators --------------------------------------------------------- */

/* The branches of the preprocessor conditionals open at token tok: the
 * token of the #if, #elif or #else line of each, outermost first. */
static int pp_path(const Unit *u, int tok, int *path)
{
    int n = 0;
    for (int i = 0; i < tok; i++) {
        const Token *t = &u->toks[i];
        if (t->kind != TK_PPLINE)
            continue;
        int how = unit_pp_cond(u->src, t);
        if (how == LEX_PP_OPEN) {
            if (n < PP_MAX)
                path[n] = i;
            n++;
        } else if (how == LEX_PP_BRANCH && n > 0) {
            if (n <= PP_MAX)
                path[n - 1] = i;
        } else if (how == LEX_PP_CLOSE && n > 0) {
            n--;
        }
    }
    return n < PP_MAX ? n : PP_MAX;
}

/* Is path a (n entries) a prefix of b: whenever code under b is compiled,
 * code under a is? */
static int covers(const int *a, int n, const int *b, int m)
{
    if (n > m)
        return 0;
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int same_name(const Unit *u, int i, int j)
{
    return u->toks[i].len == u->toks[j].len &&
           !memcmp(u->src->text + u->toks[i].off, u->src->text + u->toks[j].off,
                   (size_t)u->toks[i].len);
}

/* The enumerator named like token name in the enum p moved before, or -1. */
static int placed_enumerator(const Unit *u, const Placed *p, int name)
{
    const Local *e = &u->locals.v[p->k];
    for (int j = p->k + 1; j < u->locals.n && u->locals.v[j].tok < e->rc; j++)
        if (u->locals.v[j].up == p->k && u->locals.v[j].kind == LOCAL_ENUMERATOR &&
            same_name(u, u->locals.v[j].tok, name))
            return u->locals.v[j].tok;
    return -1;
}

/* The names at file scope in the plain code of the file (declarations,
 * file-scope enumerators), each to the first token that declares it: one
 * walk of the file, the first time an enumerator is moved.  (A walk per
 * enumerator took 3.9 s for an enum of 20,000 in a file of as many
 * declarations.) */
static Names *file_names(Unit *u)
{
    struct Hoist *h = records(u);
    if (h->file_names)
        return h->file_names;
    h->file_names = names_new(u->arena);
    const Item *it = u->items;
    int braces = 0, parens = 0, in_enum = 0;
    for (int i = 0; i < u->ntok; i++) {
        while (it && it->last < i)
            it = it->next;
        if (it && i >= it->first) {
            i = it->last;
            continue;
        }
        int k = u->toks[i].kind, prev = i > 0 ? u->toks[i - 1].kind : 0;
        if (k == TK_LC && !braces)
            in_enum = prev == TK_ENUM || (prev == TK_IDENT && i > 1 && u->toks[i - 2].kind == TK_ENUM);
        braces += (k == TK_LC) - (k == TK_RC);
        parens += braces ? 0 : (k == TK_LP) - (k == TK_RP);
        if (k != TK_IDENT || prev == TK_DOT || prev == TK_ARROW || prev == TK_STRUCT ||
            prev == TK_UNION || prev == TK_ENUM)
            continue;
        const char *w = u->src->text + u->toks[i].off;
        if (((!braces && !parens) || (braces == 1 && in_enum)) &&
            !names_get(h->file_names, w, (size_t)u->toks[i].len))
            names_put(h->file_names, w, (size_t)u->toks[i].len, (void *)&u->toks[i]);
    }
    return h->file_names;
}

/* A name at file scope in the plain code of the file, spelled like token
 * name: its first token, or -1. */
static int file_scope_name(Unit *u, int name)
{
    const Token *t = names_get(file_names(u), u->src->text + u->toks[name].off,
                               (size_t)u->toks[name].len);
    return t ? (int)(t - u->toks) : -1;
}

#define MOVED "acc moves its enum to file scope, where the frame struct needs it"

/* The enumerators of enum k (of fn), now at file scope: each must hide
 * nothing of an enclosing block (its uses in the body would find that
 * instead) and, unless the enum is one moved before (`merged`), be new at
 * file scope. */
static void check_enumerators(Unit *u, const AsyncFn *fn, int k, const Placed *me, int merged)
{
    for (int j = k + 1; j < fn->local0 + fn->nlocal; j++) {
        const Local *e = &u->locals.v[j];
        const Token *t = &u->toks[e->tok];
        const char *w = u->src->text + t->off;
        if (e->up != k || e->kind != LOCAL_ENUMERATOR)
            continue;
        if (e->hides >= 0) {
            diag_error(u->src, t->off, t->len, "enumerator '%.*s' hides the '%.*s' of line %d: "
                       MOVED ", and there it would hide it no longer; rename one of them",
                       t->len, w, t->len, w, u->toks[e->hides].line);
            continue;
        }
        if (merged)
            continue;
        for (const Placed *p = u->hoist->enums; p; p = p->next) {
            int other = covers(p->path, p->npath, me->path, me->npath) ||
                                covers(me->path, me->npath, p->path, p->npath)
                            ? placed_enumerator(u, p, e->tok) : -1;
            if (other >= 0) {
                diag_error(u->src, t->off, t->len, "enumerator '%.*s' is also defined by the "
                           "enum of line %d: acc moves both enums to file scope, where the "
                           "frame structs need them, and shares only identical ones; rename "
                           "one of them", t->len, w, u->toks[other].line);
                diag_note(u->src, u->toks[other].off, u->toks[other].len,
                          "the other '%.*s'", t->len, w);
                break;
            }
        }
        int file = file_scope_name(u, e->tok);
        if (file >= 0)
            diag_error(u->src, t->off, t->len, "enumerator '%.*s' clashes with the '%.*s' of "
                       "line %d at file scope: " MOVED "; rename one of them", t->len, w,
                       t->len, w, u->toks[file].line);
        else if (unit_find(u, w, (size_t)t->len))
            diag_error(u->src, t->off, t->len, "enumerator '%.*s' clashes with the async "
                       "function '%.*s': " MOVED "; rename one of them", t->len, w, t->len, w);
    }
}

/* Does a #define or #undef between tokens a and b change a name that the
 * enum text `text` reads (`enum { A = N }` twice, N redefined between:
 * the same text, not the same enum)? */
static int macro_changes(const Unit *u, int a, int b, const char *text)
{
    for (int i = a + 1; i < b; i++) {
        if (u->toks[i].kind != TK_PPLINE)
            continue;
        const char *dir, *w;
        size_t ndir, n;
        unit_pp_words(u->src, &u->toks[i], &dir, &ndir, &w, &n);
        if (!n || !((ndir == 6 && !strncmp(dir, "define", 6)) || (ndir == 5 && !strncmp(dir, "undef", 5))))
            continue;
        for (const char *q = text; *q; q++) /* w as a word of text */
            if ((q == text || !lex_name_byte(q[-1])) && !strncmp(q, w, n) &&
                !lex_name_byte(q[n]))
                return 1;
    }
    return 0;
}

/* Enum k of fn moves: one identical to an enum moved before, whose code is
 * compiled whenever this one is and whose macros mean the same, is that
 * enum; else it gets a tag of its own and its enumerators are checked. */
static void place_enum(Unit *u, const AsyncFn *fn, int k)
{
    Local *l = &u->locals.v[k];
    struct Hoist *h = records(u);
    Placed *me = mem_alloc(u->arena, sizeof *me);
    me->k = k;
    me->text = hoist_text(u, l->lc + 1, l->rc - 1);
    me->npath = pp_path(u, fn->first, me->path);
    for (const Placed *p = h->enums; p && !l->merged; p = p->next)
        if (!strcmp(p->text, me->text) && covers(p->path, p->npath, me->path, me->npath) &&
            !macro_changes(u, u->locals.v[p->k].lc, l->lc, me->text)) {
            l->merged = 1;
            l->cname = u->locals.v[p->k].cname;
        }
    check_enumerators(u, fn, k, me, l->merged);
    if (l->merged)
        return;
    l->cname = fresh(u, fn, l, l->tok != l->kw ? text_of(u, l->tok) : "enum");
    *h->tail = me;
    h->tail = &me->next;
}

void hoist_finish(Unit *u, const AsyncFn *fn)
{
    for (int k = fn->local0; k < fn->local0 + fn->nlocal; k++) {
        Local *l = &u->locals.v[k];
        if (!l->moved)
            continue;
        if (is_enum(u, l) && l->lc >= 0)
            place_enum(u, fn, k);
        else if (l->kind == LOCAL_TYPEDEF || (l->kind == LOCAL_TAG && l->tok != l->kw &&
                                              !l->implicit))
            l->cname = fresh(u, fn, l, text_of(u, l->tok));
    }
}
