/* hdecl.c: the file's own type declarations that its generated header
 * repeats.
 *
 * An exported async function may take or return a type that the .ac file
 * itself defines (`struct pt { int x, y; };` then `async struct pt mid(...)`).
 * The header repeats the file's #include lines, which do not bring it; so it
 * also repeats the file-scope declarations its prototypes need: a typedef, a
 * struct, union or enum definition, an object-like or function-like macro,
 * found by name from the prototypes' text and then from what each repeated
 * declaration names in turn, written in the file's order.  Only what is
 * needed: a type private to the file stays private, and cannot clash with a
 * type of the same name in a file that includes the header.
 *
 * A declaration that also defines a variable (`struct pt { int x; } origin;`)
 * gives its type definition alone.  The file's conditional lines (#if ...
 * #endif) come along, so that a declaration is read under its condition,
 * and so do a needed macro's #undef lines. */
#include "hdecl.h"

#include <ctype.h>
#include <string.h>

#include "parse.h"

/* A file-scope declaration acc may repeat. */
typedef struct Decl {
    int first, last;   /* tokens; for a PP line, first == last */
    int body_end;      /* a tag definition: its '}' (the text ends there, with ';') */
    const char **defs; /* names it defines: typedef names, tags as "struct x", macros */
    int ndefs, capdefs;
    int needed;
    int always;        /* a conditional line: kept around what it encloses */
    struct Decl *next;
} Decl;

typedef struct H {
    Unit *u;
    Decl *decls, **tail;
    TypeSet *need; /* names the header needs (a set of words, not only types) */
} H;

static const char *tok_str(H *h, int i)
{
    const Token *t = &h->u->toks[i];
    return mem_strndup(h->u->arena, h->u->src->text + t->off, (size_t)t->len);
}

static int is_tag_kw(int kind)
{
    return kind == TK_STRUCT || kind == TK_UNION || kind == TK_ENUM;
}

static int is_name(int kind)
{
    return kind == TK_IDENT || kind == TK_TYPENAME;
}

/* The identifiers of C text (tags as "struct x"): what a prototype or a
 * macro body names. */
static void names_of_text(H *h, const char *p)
{
    const char *tagkw = NULL;
    size_t taglen = 0;
    while (*p) {
        if (*p == '"' || *p == '\'') { /* skip literals */
            char q = *p++;
            while (*p && *p != q)
                p += (*p == '\\' && p[1]) ? 2 : 1;
            if (*p)
                p++;
            continue;
        }
        if (!lex_name_byte(*p) || isdigit((unsigned char)*p)) {
            if (isdigit((unsigned char)*p))
                while (lex_name_byte(*p) || *p == '.')
                    p++;
            else
                p++;
            continue;
        }
        const char *w = p;
        while (lex_name_byte(*p))
            p++;
        size_t n = (size_t)(p - w);
        if ((n == 6 && !strncmp(w, "struct", 6)) || (n == 5 && !strncmp(w, "union", 5)) ||
            (n == 4 && !strncmp(w, "enum", 4))) {
            tagkw = w;
            taglen = n;
            continue;
        }
        if (tagkw) {
            const char *tag = mem_printf(h->u->arena, "%.*s %.*s", (int)taglen, tagkw, (int)n, w);
            types_add(h->need, h->u->arena, tag, strlen(tag));
        } else {
            types_add(h->need, h->u->arena, w, n);
        }
        tagkw = NULL;
    }
}

static void decl_def(H *h, Decl *d, const char *name)
{
    d->defs = mem_grow(h->u->arena, d->defs, d->ndefs, &d->capdefs, sizeof *d->defs);
    d->defs[d->ndefs++] = name;
}

static Decl *decl_new(H *h, int first, int last)
{
    Decl *d = mem_alloc(h->u->arena, sizeof *d);
    d->first = first;
    d->last = last;
    d->body_end = -1;
    *h->tail = d;
    h->tail = &d->next;
    return d;
}

/* A preprocessor line at file scope: `#define NAME` and `#undef NAME`
 * are declarations of NAME; a conditional (#if ... #endif) is kept
 * always, so that what it encloses is read under the same condition, and
 * the names its condition reads are needed in turn. */
static void scan_ppline(H *h, int i)
{
    if (unit_pp_cond(h->u->src, &h->u->toks[i]) != LEX_PP_NONE) {
        decl_new(h, i, i)->always = 1;
        return;
    }
    const char *dir, *name;
    size_t ndir, nname;
    unit_pp_words(h->u->src, &h->u->toks[i], &dir, &ndir, &name, &nname);
    int macro = (ndir == 6 && !strncmp(dir, "define", 6)) || (ndir == 5 && !strncmp(dir, "undef", 5));
    if (macro && nname)
        decl_def(h, decl_new(h, i, i), mem_strndup(h->u->arena, name, nname));
}

/* The names a declaration [first, last] (ending at ';') defines: the tag of
 * a tag declaration (`struct s;`) or of a definition it holds at its top,
 * the enumerators of an enum body, and for a typedef the declarator names
 * (an identifier followed by ',', ';', '[', ')' or '='). */
static void scan_decl(H *h, int first, int last)
{
    Token *tk = h->u->toks;
    int is_typedef = tk[first].kind == TK_TYPEDEF;
    Decl *d = NULL;
    if (is_tag_kw(tk[first].kind) && first + 2 == last && is_name(tk[first + 1].kind)) {
        /* `struct s;` declares the tag: a prototype's `struct s *` needs
           it before it, or the tag is local to that prototype */
        d = decl_new(h, first, last);
        decl_def(h, d, mem_printf(h->u->arena, "%s %s", tok_str(h, first), tok_str(h, first + 1)));
        return;
    }
    for (int i = first; i < last; i++) {
        int k = tk[i].kind;
        if (is_tag_kw(k) && i + 2 <= last && is_name(tk[i + 1].kind) && tk[i + 2].kind == TK_LC) {
            d = d ? d : decl_new(h, first, last);
            decl_def(h, d, mem_printf(h->u->arena, "%s %s", tok_str(h, i), tok_str(h, i + 1)));
        }
        if (k == TK_LC) {
            int close = parser_closing(tk, i, h->u->ntok);
            if (close > last)
                return;
            if (i > first && tk[i - 1].kind != TK_ASSIGN) {
                d = d ? d : decl_new(h, first, last);
                if (!is_typedef && d->body_end < 0)
                    d->body_end = close;
                int is_enum = tk[i - 1].kind == TK_ENUM || (i >= first + 2 && tk[i - 2].kind == TK_ENUM);
                for (int j = i + 1; is_enum && j < close; j++)
                    if (is_name(tk[j].kind) && (tk[j - 1].kind == TK_LC || tk[j - 1].kind == TK_COMMA))
                        decl_def(h, d, tok_str(h, j));
            }
            i = close;
            continue;
        }
        if (is_typedef && is_name(k)) {
            int n = tk[i + 1].kind;
            if (n == TK_COMMA || n == TK_SEMI || n == TK_LB || n == TK_RP || n == TK_ASSIGN) {
                d = d ? d : decl_new(h, first, last);
                decl_def(h, d, tok_str(h, i));
            }
        }
    }
}

/* Every file-scope declaration outside the async items. */
static void scan_file(H *h)
{
    Token *tk = h->u->toks;
    int start = -1;
    const Item *it = h->u->items; /* the next async item, in file order */
    for (int i = 0; i < h->u->ntok && tk[i].kind; i++) {
        while (it && it->last < i)
            it = it->next;
        if (it && i >= it->first) { /* inside an item: not a declaration here */
            i = it->last;
            start = -1;
            continue;
        }
        int k = tk[i].kind;
        if (k == TK_PPLINE) {
            scan_ppline(h, i);
            continue;
        }
        if (start < 0)
            start = i;
        if (k == TK_LC) {
            int close = parser_closing(tk, i, h->u->ntok);
            if (close == h->u->ntok)
                return;
            if (i > start && tk[i - 1].kind == TK_RP) { /* a function body */
                i = close;
                start = -1;
                continue;
            }
            i = close;
        } else if (k == TK_LP) {
            int close = parser_closing(tk, i, h->u->ntok);
            if (close == h->u->ntok)
                return;
            i = close;
        } else if (k == TK_SEMI) {
            scan_decl(h, start, i);
            start = -1;
        }
    }
}

/* Mark what the needed names reach, to a fixed point. */
static void mark(H *h)
{
    for (Decl *d = h->decls; d; d = d->next)
        if (d->always)
            names_of_text(h, lex_text(h->u->src, h->u->toks, h->u->arena, d->first, d->last));
    int changed = 1;
    while (changed) {
        changed = 0;
        for (Decl *d = h->decls; d; d = d->next) {
            if (d->needed)
                continue;
            for (int j = 0; j < d->ndefs && !d->needed; j++)
                d->needed = types_has(h->need, d->defs[j], strlen(d->defs[j]));
            if (!d->needed)
                continue;
            changed = 1;
            int last = d->body_end >= 0 ? d->body_end : d->last;
            names_of_text(h, lex_text(h->u->src, h->u->toks, h->u->arena, d->first, last));
        }
    }
}

/* Write the prototypes under a conditional that stand before token `at`
 * (all the rest when at < 0), from *next on. */
static void conditional_protos(const HProto *protos, int nprotos, int *next, int at, Buf *out)
{
    for (; *next < nprotos && (at < 0 || protos[*next].at < at); ++*next)
        if (protos[*next].cond)
            buf_puts(out, protos[*next].text);
}

/* The declarations and prototypes, before drop_empty_groups. */
static void types_emit(Unit *u, const HProto *protos, int nprotos, Buf *out)
{
    H h = {u, NULL, NULL, types_new_empty(u->arena)};
    h.tail = &h.decls;
    scan_file(&h);
    int conds = 0, next = 0;
    for (int i = 0; i < nprotos; i++) {
        names_of_text(&h, protos[i].text);
        conds |= protos[i].cond;
    }
    if (!h.decls)
        return;
    mark(&h);
    int any = 0;
    for (Decl *d = h.decls; d; d = d->next)
        any |= d->needed && !d->always;
    if (!any && !conds) /* no type: no conditional lines either */
        return;
    if (any)
        buf_puts(out, "\n/* Types of the file that its exported functions use. */\n");
    else
        buf_puts(out, "\n");
    for (Decl *d = h.decls; d; d = d->next) {
        if (!d->needed && !d->always)
            continue;
        conditional_protos(protos, nprotos, &next, d->first, out);
        const Token *a = &u->toks[d->first];
        if (d->first == d->last && a->kind == TK_PPLINE) {
            buf_printf(out, "%.*s\n", a->len, u->src->text + a->off);
            continue;
        }
        lex_copy(u->src, u->toks, d->first, d->body_end >= 0 ? d->body_end : d->last, out);
        buf_puts(out, d->body_end >= 0 ? ";\n" : "\n");
    }
    conditional_protos(protos, nprotos, &next, -1, out);
}

/* How the line at p acts on conditional groups: LEX_PP_OPEN, _BRANCH,
 * _CLOSE, or LEX_PP_NONE for any other line. */
static int cond_kind(const char *p)
{
    p += strspn(p, " \t");
    if (*p != '#')
        return LEX_PP_NONE;
    p += 1 + strspn(p + 1, " \t");
    return lex_pp_kind(p, strspn(p, "abcdefghijklmnopqrstuvwxyz"));
}

/* Append text to out without its conditional groups that hold nothing but
 * their own #else and #elif lines (and such groups): the file's
 * conditionals around declarations the header does not need
 * (`#ifdef X` `#define Y` `#endif`) are replayed with their contents left
 * out, and an empty group says nothing.  A line continued with a
 * backslash goes with the next. */
static void drop_empty_groups(const char *text, size_t len, Buf *out)
{
    enum { DEPTH = 64 };
    size_t start[DEPTH];
    int full[DEPTH], depth = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = p;
        while ((nl = memchr(nl, '\n', (size_t)(end - nl))) && nl > p && nl[-1] == '\\')
            nl++;
        size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
        int kind = cond_kind(p);
        if (kind == LEX_PP_OPEN && depth < DEPTH) {
            start[depth] = out->len;
            full[depth++] = 0;
        } else if (kind == LEX_PP_CLOSE && depth > 0 && depth <= DEPTH && !full[depth - 1]) {
            out->len = start[--depth]; /* the group goes, its #endif with it */
            p += n;
            continue;
        } else if (kind == LEX_PP_CLOSE && depth > 0) {
            depth--;
            if (depth > 0 && depth <= DEPTH)
                full[depth - 1] = 1;
        } else if (kind == LEX_PP_NONE && depth > 0 && depth <= DEPTH &&
                   strspn(p, " \t\n") < n) {
            full[depth - 1] = 1;
        } else if (kind == LEX_PP_OPEN) {
            depth++; /* too deep to follow: kept as it is */
        }
        buf_put(out, p, n);
        p += n;
    }
}

void hdecl_emit(Unit *u, const HProto *protos, int nprotos, Buf *out)
{
    Buf all = {0};
    types_emit(u, protos, nprotos, &all);
    drop_empty_groups(all.p ? all.p : "", all.len, out);
    buf_free(&all);
}
