/* check.c: semantic checks and frame layout (see check.h). */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "consts.h"
#include "frame.h"
#include "hoist.h"
#include "lower.h"
#include "names.h"
#include "parse.h"

/* A reference from a deferred statement: it runs when its block is left,
 * after any suspension point that came after the defer. */
typedef struct DRef {
    Sym *y;
    int pos; /* suspension count when the defer was registered */
    struct DRef *next;
} DRef;

/* A loop being walked: a variable declared before it and used in it lives
 * across the loop's suspension points (the next iteration reads it). */
typedef struct LoopCtx {
    int susp0, seq0;
    Sym **refs;
    int n, cap;
    struct LoopCtx *up;
} LoopCtx;

/* The variables of one name declared in a block: more than one only in
 * branches of a conditional (twice_in_frame); linked by Sym.same. */
typedef struct Named {
    Sym *first, *last;
} Named;

/* A lexical scope during the walk. */
typedef struct CScope {
    struct CScope *up;
    Sym *syms, **tail; /* in order of declaration */
    Names *names;   /* name -> Named; NULL until it declares one */
    DRef *drefs;    /* references from its deferred statements */
    Scope *frame;   /* frame storage this scope adds fields to */
    int cleanups;   /* defers registered so far (a catch counts one) */
    int id;
} CScope;

/* A label or a goto, with the cleanup context where it stands. */
typedef struct Jump {
    int tok;            /* name token */
    int is_label;
    int ctx_ids[64], ctx_n[64], depth;
    int in_defer;       /* defer nesting id where it stands */
    struct Jump *next;
    struct Jump *same;  /* a label: the next of its name (check_jumps) */
} Jump;

/* The labels of one name, in the order of Checker.jumps: more than one
 * only in branches of a conditional. */
typedef struct Labels {
    Jump *first, **tail;
} Labels;

/* The labels of the switch being walked: acc reports a duplicate, which
 * the C compiler would report at the column of the generated code. */
typedef struct Cases {
    Names *values;   /* the decimal value of a case label -> its CaseAt */
    int deflt;       /* the token of its default label, or -1 */
} Cases;

typedef struct CaseAt {
    int tok;         /* the last case label of a value */
} CaseAt;

/* The conditionals open after a conditional line of the body (conds_at). */
typedef struct Conds {
    int tok;          /* the line's token */
    const char *text; /* from each #if to its branch, or NULL */
    int n;            /* how many */
    int path;         /* PpPath.now after the line */
} Conds;

typedef struct Checker {
    Unit *u;
    FnInfo *info;
    CScope *scope;
    int susp;           /* suspension points seen so far */
    int nyields;        /* of them, yields */
    int next_scope_id;
    int in_sizeof;
    int cleanup_at;     /* the last `cleanup` attribute reported (the
                           specifiers of a declaration hold one for all
                           its variables) */
    Node *awaited_call; /* the call directly under the await being checked */
    Node *callee;       /* the callee of the call being checked */
    int depth;          /* of expr() calls: 0 at a full expression */
    int discard;        /* the full expression being checked is evaluated
                           for its effects alone (an expression statement,
                           a for's step): its value may be void */
    int defer_id;       /* innermost deferred statement, 0 if none */
    int next_defer_id;
    int loops_in_defer; /* loops/switches opened inside the innermost defer */
    Jump *jumps;
    Jump *sw;            /* where the innermost switch stands: its case
                            labels are jumps from there */
    Cases *cases;        /* the labels of the innermost switch */
    LoopCtx *loops;      /* innermost loop being walked */
    CScope *params;      /* the scope of the parameters; the body's block
                            is the one inside it */
    CScope *defer_owner; /* scope of the deferred statement being walked */
    int defer_pos;
    int nseq;            /* declarations so far */
    int has_goto;        /* gotos defeat the textual liveness: be conservative */
    Names *fields;       /* field names used -> Taken */
    Conds *conds;        /* conds_at: the body's conditional lines, in order */
    int nconds, cap_conds;
} Checker;

static const Src *S(const Checker *c) { return c->u->src; }
static const Token *T(const Checker *c, int i) { return &c->u->toks[i]; }

static void err_at(Checker *c, int tok, const char *msg)
{
    diag_error(S(c), T(c, tok)->off, T(c, tok)->len, "%s", msg);
}

/* ---- names ------------------------------------------------------------- */

/* A field name in use, and the suffix where the search for a free variant
 * of it goes on: names are never given back, so when n_k was given, n,
 * n_2, ... n_k stay taken, and 10,000 variables named n cost no more than
 * 10,000 different names. */
typedef struct Taken {
    int next;
} Taken;

/* n, or the first of n_2, n_3, ... that no field of the function has. */
static const char *unique_name(Checker *c, const char *n)
{
    const char *r = n;
    Taken *t = names_get(c->fields, n, strlen(n));
    while (t && names_get(c->fields, r, strlen(r)))
        r = mem_printf(c->u->arena, "%s_%d", n, t->next++);
    Taken *mine = mem_alloc(c->u->arena, sizeof *mine);
    mine->next = 2;
    names_put(c->fields, r, strlen(r), mine);
    return r;
}

/* The variable token t names: the innermost block's, and there the first
 * declared. */
static Sym *lookup(const Checker *c, const Token *t)
{
    for (const CScope *s = c->scope; s; s = s->up) {
        const Named *k = s->names ? names_get(s->names, S(c)->text + t->off, (size_t)t->len) : NULL;
        if (k)
            return k->first;
    }
    return NULL;
}

/* The type or enumerator declared in an async body that token i names. */
static const Local *local_at(const Unit *u, int i)
{
    return u->locals.of && u->locals.of[i] >= 0 ? &u->locals.v[u->locals.of[i]] : NULL;
}

static int names_local(const Checker *c, int i)
{
    return local_at(c->u, i) != NULL;
}

/* ---- frame layout ------------------------------------------------------ */

static Scope *new_frame_scope(Checker *c, Scope *parent)
{
    Scope *s = mem_alloc(c->u->arena, sizeof *s);
    s->fields_tail = &s->fields;
    s->kids_tail = &s->kids;
    if (parent) {
        *parent->kids_tail = s;
        parent->kids_tail = &s->next;
    }
    return s;
}

/* How many conditional lines of the body (#if, #else, #endif...) come
 * before token `at`. */
static int conds_before(Checker *c, int at)
{
    if (!c->conds) { /* once per function: after each conditional line */
        const char *open[UNIT_PP_KEPT];
        int depth = 0;
        PpPath path = {0};
        for (int i = c->info->fn->body->first; i <= c->info->fn->body->last; i++) {
            const Token *t = T(c, i);
            if (t->kind != TK_PPLINE || unit_pp_cond(S(c), t) == LEX_PP_NONE)
                continue;
            unit_pp_follow(S(c), c->u->arena, open, &depth, t);
            unit_pp_path(&path, S(c), t);
            c->conds = mem_grow(c->u->arena, c->conds, c->nconds, &c->cap_conds, sizeof *c->conds);
            Conds *k = &c->conds[c->nconds++];
            k->tok = i;
            k->n = depth < UNIT_PP_KEPT ? depth : UNIT_PP_KEPT;
            k->text = NULL;
            k->path = path.now;
            for (int j = 0; j < k->n; j++)
                k->text = mem_printf(c->u->arena, "%s%s", k->text ? k->text : "", open[j]);
        }
        if (!c->conds)
            c->conds = mem_alloc(c->u->arena, sizeof *c->conds); /* none: looked */
    }
    int lo = 0, hi = c->nconds; /* the first conditional line after `at` */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (c->conds[mid].tok < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Where token `at` stands in the conditionals of the body (PpPath): two
 * tokens with the same number are both seen by C or neither. */
static int pp_path(Checker *c, int at)
{
    int lo = conds_before(c, at);
    return lo ? c->conds[lo - 1].path : 0;
}

/* The conditionals of the body open at token `at`, as their lines from
 * each #if to the branch `at` is in (*n: how many); NULL if none.  A field
 * declared there is under them in the frame too: its type may exist only
 * when they hold (`#ifdef HAVE_SSL SSL *ssl; #endif`). */
static const char *conds_at(Checker *c, int at, int *n)
{
    int lo = conds_before(c, at);
    *n = lo ? c->conds[lo - 1].n : 0;
    return lo ? c->conds[lo - 1].text : NULL;
}

/* `T a[] = {...}` moved to the frame gets the length acc counts, one per
 * item.  With braces left out around elements (`int a[][2] = {1, 2, 3}`,
 * `struct pt p[] = {1, 2, 3, 4}`) C counts otherwise, and acc, which does
 * not know the sizes of element types, cannot: an error, not a wrong
 * length.  Elements that are arrays show it by any item that is neither a
 * brace list nor a string; structs (not pointers to them) by an item that
 * is a number.  Designated items are left alone. */
static void check_elided_braces(Checker *c, const Sym *y)
{
    const Node *d = y->decl, *init = d->a;
    if (!init || init->kind != E_INITLIST || !y->specs)
        return;
    int lb = -1, ptr = 0, agg = 0;
    for (int i = d->first; i < d->last; i++) {
        ptr |= T(c, i)->kind == TK_STAR;
        if (lb < 0 && T(c, i)->kind == TK_LB && T(c, i + 1)->kind == TK_RB)
            lb = i;
    }
    if (lb < 0)
        return;
    int rows = lb + 2 <= d->last && T(c, lb + 2)->kind == TK_LB;
    for (int i = y->specs->first; i <= y->specs->last; i++)
        agg |= T(c, i)->kind == TK_STRUCT || T(c, i)->kind == TK_UNION;
    for (const Node *v = init->a; v; v = v->next) {
        if (v->kind == E_INITLIST || v->kind == E_DESIG) /* [1].x = 2 is no elision */
            continue;
        if ((rows && v->kind != E_STRING) || (!rows && agg && !ptr && v->kind == E_CONST)) {
            diag_error(S(c), T(c, d->tok)->off, T(c, d->tok)->len,
                       "the initialiser of '%s' leaves out the braces around its elements: acc "
                       "cannot count them for the frame; brace each element or give the length",
                       y->name);
            return;
        }
    }
}

/* The field of variable y (and of those declared with it, when their
 * declaration defines a type): its text is made when check_fn ends, once
 * the types moved to file scope have their names (hoist.h). */
static void add_field(Checker *c, Scope *s, Sym *y)
{
    check_elided_braces(c, y);
    Field *f = mem_alloc(c->u->arena, sizeof *f);
    f->sym = y;
    if (!y->is_param)
        f->cond = conds_at(c, y->decl->tok, &f->ncond);
    *s->fields_tail = f;
    s->fields_tail = &f->next;
    hoist_sym_type(c->u, y);
    if (check_specs_define(c->u, y->specs)) /* the rest of its declaration */
        for (Sym *z = y->next; z && z->specs == y->specs; z = z->next)
            hoist_sym_type(c->u, z);
}

/* The index a designator `[N]` names, N an integer literal; -1 if it is
 * anything else (a member, a constant expression). */
static long desig_index(const Unit *u, const Node *d)
{
    const Token *lb = &u->toks[d->first];
    if (lb->kind != TK_LB || lb[1].kind != TK_NUMBER || lb[2].kind != TK_RB)
        return -1;
    const char *p = u->src->text + lb[1].off, *end = p + lb[1].len;
    char *stop;
    long v = strtol(p, &stop, 0);
    while (stop < end && strchr("uUlL", *stop))
        stop++;
    return stop == end && v >= 0 ? v : -1;
}

/* The length of T a[] given by its brace initialiser: one per item, a
 * designator [N] moving the position to N (C 6.7.9p22).  -1 when a
 * designator is not an integer literal (acc cannot count). */
static int init_count_u(const Unit *u, const Node *init)
{
    long pos = 0, len = 0;
    for (const Node *i = init->a; i; i = i->next) {
        if (i->kind == E_DESIG && (pos = u ? desig_index(u, i) : -1) < 0)
            return -1;
        if (++pos > len)
            len = pos;
    }
    return len > 1000000000L ? -1 : (int)len;
}

static int init_count(const Node *init)
{
    return init_count_u(NULL, init);
}

/* Is init a string, or a brace list holding one string (char s[] =
 * {"abc"})?  The string's node, else NULL. */
static const Node *init_string(const Node *init)
{
    if (init->kind == E_STRING)
        return init;
    if (init->kind == E_INITLIST && init->a && !init->a->next && init->a->kind == E_STRING)
        return init->a;
    return NULL;
}

/* ---- parameters adjusted to pointers (C11 6.7.6.3p7-8) ----------------- */

/* How many parentheses hold declarator d's name alone (`int (f)(int)`)? */
static int name_parens(const Unit *u, const Node *d)
{
    int w = 0;
    while (d->tok - w - 1 >= d->first && d->tok + w + 1 <= d->last &&
           u->toks[d->tok - w - 1].kind == TK_LP && u->toks[d->tok + w + 1].kind == TK_RP)
        w++;
    return w;
}

/* Is s a parameter declared as an array (`T a[N]`) or a function (`T
 * f(P)`), whose type C adjusts to a pointer?  The '[' or '(' after its
 * name, else -1. */
static int param_suffix(const Unit *u, const Sym *s)
{
    const Node *d = s->decl;
    int i = d->tok + name_parens(u, d) + 1;
    if (!s->is_param || i > d->last)
        return -1;
    return u->toks[i].kind == TK_LB || u->toks[i].kind == TK_LP ? i : -1;
}

/* The qualifiers in the array suffix of a parameter at lb (`[restrict]`,
 * `[static volatile 4]`) qualify the pointer it becomes: each is appended
 * to b with a blank after it, but const (the frame field is assigned). */
static void suffix_quals(const Unit *u, Buf *b, int lb)
{
    for (int i = lb + 1;; i++) {
        int k = u->toks[i].kind;
        if (k == TK_RESTRICT || k == TK_VOLATILE) {
            hoist_put(u, b, i);
            buf_puts(b, " ");
        } else if (k != TK_CONST && k != TK_STATIC) {
            return;
        }
    }
}

/* The first token of the declarator whose name is token nm: the stars,
 * their qualifiers and the parentheses before the name. */
static int declarator_first(const Unit *u, int nm)
{
    int i = nm;
    for (;; i--) {
        int k = u->toks[i - 1].kind;
        if (k != TK_LP && k != TK_STAR && k != TK_CONST && k != TK_VOLATILE && k != TK_RESTRICT)
            break;
    }
    while (i < nm && u->toks[i].kind != TK_LP && u->toks[i].kind != TK_STAR)
        i++; /* qualifiers before any star are the specifiers' */
    return i;
}

/* The last token of the declarator whose name is token nm, before the ','
 * or ';' that ends it. */
static int declarator_last(const Unit *u, int nm)
{
    int i = nm, depth = 0;
    for (; u->toks[i + 1].kind; i++) {
        int k = u->toks[i + 1].kind;
        if (!depth && (k == TK_COMMA || k == TK_SEMI))
            break;
        depth += (k == TK_LP || k == TK_LB) - (k == TK_RP || k == TK_RB);
    }
    return i;
}

/* ---- the file's typedefs and tags by name ------------------------------ */

/* Where the file declares a name, for what check and lower ask of each
 * variable's type (is it an array typedef, does it hold a const member):
 * each answer was a walk over the whole file, so 20,000 variables of a
 * typedef's type read a large file 20,000 times.  Made once per unit;
 * each table maps a name to the token a walk from the file's start would
 * have stopped at first. */
typedef struct Index {
    Names *typedef_at;   /* -> `typedef` whose declaration spells the name
                            (typedef_at_needs_copy) */
    Names *file_typedef; /* -> file-scope `typedef` declaring it (file_typedef) */
    Names *array;        /* -> a name before `[` in a typedef (typedef_is_array) */
    Names *tag;          /* -> the tag of `struct|union TAG {` (tag_needs_copy) */
} Index;

static const char *spelling(const Unit *u, int i) { return u->src->text + u->toks[i].off; }

/* Names t maps name (token i's spelling) to token at, unless it has one. */
static void index_first(const Unit *u, Names *t, int i, int at)
{
    size_t len = (size_t)u->toks[i].len;
    if (!names_get(t, spelling(u, i), len))
        names_put(t, spelling(u, i), len, (void *)&u->toks[at]);
}

/* The token where a name of t points, or -1. */
static int index_get(const Unit *u, const Names *t, int name)
{
    const Token *at = names_get(t, spelling(u, name), (size_t)u->toks[name].len);
    return at ? (int)(at - u->toks) : -1;
}

/* Walking a typedef from token `end` to its `;`: the next token, a struct
 * or union body as one; -1 at a brace that opens none (an initialiser:
 * malformed, not a typedef read here). */
static int typedef_step(const Unit *u, int end)
{
    end++;
    return u->toks[end].kind == TK_LC ? unit_tag_body(u, end) : end;
}

static void index_typedef_at(const Unit *u, Names *t)
{
    for (int i = 0; i < u->ntok; i++) {
        if (u->toks[i].kind != TK_TYPEDEF)
            continue;
        int end = i;
        while (end >= 0 && end + 1 < u->ntok && u->toks[end + 1].kind != TK_SEMI)
            end = typedef_step(u, end);
        for (int j = i; end >= 0 && j < end;) { /* no name of a malformed one */
            j = typedef_step(u, j);
            if (u->toks[j].kind == TK_IDENT)
                index_first(u, t, j, i);
        }
    }
}

static void index_file_typedefs(const Unit *u, Names *t)
{
    Parser p = {0};
    p.src = u->src;
    p.toks = u->toks;
    for (int i = 0, depth = 0; i < u->ntok; i++) {
        int k = u->toks[i].kind;
        depth += (k == TK_LC) - (k == TK_RC);
        if (k != TK_TYPEDEF || depth)
            continue;
        int end = i;
        do {
            int nm = parser_typedef_declarator(&p, end + 1, u->ntok - 1, &end);
            if (nm >= 0)
                index_first(u, t, nm, i);
        } while (end < u->ntok - 1 && u->toks[end].kind == TK_COMMA);
        i = end;
    }
}

/* A token before `[` with a `typedef` before it in its declaration (back to
 * the last `;`, `{` or `}`), not a member's. */
static void index_arrays(const Unit *u, Names *t)
{
    int in_typedef = u->ntok > 0 && u->toks[0].kind == TK_TYPEDEF;
    for (int i = 1; i + 1 < u->ntok; i++) {
        int k = u->toks[i].kind;
        if (in_typedef && u->toks[i + 1].kind == TK_LB)
            index_first(u, t, i, i);
        if (k == TK_SEMI || k == TK_RC || k == TK_LC)
            in_typedef = 0;
        else if (k == TK_TYPEDEF)
            in_typedef = 1;
    }
}

static void index_tags(const Unit *u, Names *t)
{
    for (int i = 1; i + 1 < u->ntok; i++)
        if (u->toks[i].kind == TK_IDENT && u->toks[i + 1].kind == TK_LC &&
            (u->toks[i - 1].kind == TK_STRUCT || u->toks[i - 1].kind == TK_UNION))
            index_first(u, t, i, i);
}

/* The unit's index, made when first asked for: it only caches what the
 * unit's tokens say, so a const unit may have it made. */
static const Index *index_of(const Unit *u)
{
    if (!u->index) {
        Index *x = mem_alloc(u->arena, sizeof *x);
        x->typedef_at = names_new(u->arena);
        x->file_typedef = names_new(u->arena);
        x->array = names_new(u->arena);
        x->tag = names_new(u->arena);
        index_typedef_at(u, x->typedef_at);
        index_file_typedefs(u, x->file_typedef);
        index_arrays(u, x->array);
        index_tags(u, x->tag);
        ((Unit *)u)->index = x;
    }
    return u->index;
}

/* The typedef at file scope that declares the name of token tok: the token
 * of the name there, or -1.  *specs: its specifiers. */
static int file_typedef(const Unit *u, int tok, Range *specs)
{
    int i = index_get(u, index_of(u)->file_typedef, tok);
    if (i < 0)
        return -1;
    Parser p = {0};
    p.src = u->src;
    p.toks = u->toks;
    int end = i, first = -1;
    do {
        int nm = parser_typedef_declarator(&p, end + 1, u->ntok - 1, &end);
        if (nm < 0)
            continue;
        if (first < 0)
            first = nm;
        if (u->toks[nm].len == u->toks[tok].len &&
            !memcmp(spelling(u, nm), spelling(u, tok), (size_t)u->toks[tok].len)) {
            specs->first = i + 1;
            specs->last = declarator_first(u, first) - 1;
            return nm;
        }
    } while (end < u->ntok - 1 && u->toks[end].kind == TK_COMMA);
    die_internal(); /* the index said this typedef declares it */
}

/* Specifiers spread over token ranges: a parameter's, with the name of a
 * typedef replaced by the typedef's specifiers. */
enum { SPEC_RANGES = 16, TYPEDEF_DEPTH = 8 };
typedef struct SpecList {
    Range r[SPEC_RANGES];
    int n;
} SpecList;

/* Do specifiers sl name a typedef of the file for an array or a function
 * type (through other typedefs, too)?  Such a parameter is a pointer to
 * the element or to the function.  The name of that typedef in its
 * declaration, with sl holding the typedef's specifiers instead of the
 * name; else -1. */
static int typedef_adjusts(const Unit *u, SpecList *sl, int depth)
{
    for (int j = 0; j < sl->n; j++)
        for (int t = sl->r[j].first; t <= sl->r[j].last; t++) {
            int k = u->toks[t].kind, prev = u->toks[t - 1].kind;
            if (k == TK_LC && unit_tag_body(u, t) >= 0)
                t = unit_tag_body(u, t);
            if (k != TK_IDENT || prev == TK_STRUCT || prev == TK_UNION || prev == TK_ENUM)
                continue;
            Range specs;
            int nm = file_typedef(u, t, &specs);
            if (nm < 0)
                continue; /* not a typedef acc sees */
            if (sl->n + 2 > SPEC_RANGES)
                return -1;
            memmove(&sl->r[j + 3], &sl->r[j + 1], sizeof *sl->r * (size_t)(sl->n - j - 1));
            sl->r[j + 2] = (Range){t + 1, sl->r[j].last};
            sl->r[j + 1] = specs;
            sl->r[j].last = t - 1;
            sl->n += 2;
            int next = u->toks[nm + 1].kind;
            if (declarator_first(u, nm) == nm && declarator_last(u, nm) == nm)
                return depth < TYPEDEF_DEPTH ? typedef_adjusts(u, sl, depth + 1) : -1;
            return next == TK_LB || next == TK_LP ? nm : -1;
        }
    return -1;
}

/* A parameter declared with an array or function typedef of the file
 * (`vec3 v`, `handler h`, also `vec3 (v)`): typedef_adjusts on its
 * specifiers, or -1. */
static int param_typedef(const Unit *u, const Sym *s, SpecList *sl)
{
    const Node *d = s->decl;
    int parens = name_parens(u, d);
    if (!s->is_param || !s->specs || d->first != d->tok - parens || d->last != d->tok + parens)
        return -1;
    sl->r[0] = (Range){s->specs->first, s->specs->last};
    sl->n = 1;
    return typedef_adjusts(u, sl, 0);
}

/* The type of such a parameter as a type name: the specifiers, a struct,
 * union or enum body named by its tag, then the typedef's declarator of nm
 * with a pointer in place of the array or function (`int (*)`, `int
 * (*)(int)`); *at: where in it a declared name goes, after the `(*`.
 * NULL when a body has no tag: acc cannot name the element type. */
static const char *typedef_param_text(Unit *u, const SpecList *sl, int nm, int *at)
{
    Buf b = {0};
    for (int j = 0; j < sl->n; j++)
        for (int i = sl->r[j].first; i <= sl->r[j].last; i++) {
            int k = u->toks[i].kind;
            if (k == TK_LC) {
                if (u->toks[i - 1].kind != TK_IDENT || unit_tag_body(u, i) < 0) {
                    buf_free(&b);
                    return NULL;
                }
                i = unit_tag_body(u, i);
                continue;
            }
            if (k == TK_REGISTER || k == TK_AUTO)
                continue;
            if (b.len)
                buf_puts(&b, " ");
            hoist_put(u, &b, i);
        }
    for (int i = declarator_first(u, nm), first = i; i <= declarator_last(u, nm); i++) {
        if (b.len && (i == first || u->toks[i].ws < u->toks[i].off))
            buf_puts(&b, " ");
        if (i != nm) {
            hoist_put(u, &b, i);
            continue;
        }
        buf_puts(&b, "(*");
        *at = (int)b.len;
        buf_puts(&b, ")");
        if (u->toks[nm + 1].kind == TK_LB)
            i = parser_closing(u->toks, nm + 1, u->ntok);
    }
    char *r = mem_strndup(u->arena, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

/* ---- GNU attributes of variables ---------------------------------------- */

/* The items of the attribute [i, rp], `__attribute__((a, b(1)))`, stand
 * from i + 3 to rp - 2: the last token of the one beginning at j. */
static int attr_item_last(const Unit *u, int j, int rp)
{
    for (int depth = 0; j < rp - 2; j++) {
        int k = u->toks[j + 1].kind;
        if (!depth && k == TK_COMMA)
            return j;
        depth += (k == TK_LP) - (k == TK_RP);
    }
    return rp - 2;
}

/* Is the item at token j the attribute `name`, spelled either way
 * (`aligned`, `__aligned__`)? */
static int attr_is(const Unit *u, int j, const char *name)
{
    const Token *t = &u->toks[j];
    const char *w = u->src->text + t->off;
    size_t n = (size_t)t->len, len = strlen(name);
    if (t->kind != TK_IDENT)
        return 0;
    if (n == len + 4 && !memcmp(w, "__", 2) && !memcmp(w + n - 2, "__", 2))
        w += 2, n -= 4;
    return n == len && !memcmp(w, name, n);
}

/* Attributes of a C object's storage, which a frame field has not (gcc
 * and clang refuse them on a member): a variable moved to the frame goes
 * without them.  Every other attribute stays (aligned, unused, vector_size
 * and the like make sense on a member, or change the type). */
static int attr_of_storage(const Unit *u, int j)
{
    static const char *const storage[] = {
        "uninitialized", "common", "nocommon", "section", "used", "retain", "weak",
        "no_reorder", "noinit", "persistent", "visibility", "alias", "tls_model",
    };
    for (size_t i = 0; i < sizeof storage / sizeof *storage; i++)
        if (attr_is(u, j, storage[i]))
            return 1;
    return 0;
}

/* Write the attribute [i, rp] for a frame field: without its items of
 * storage, nothing if none is left. */
static void put_field_attr(const Unit *u, Buf *b, int i, int rp)
{
    Buf items = {0};
    for (int j = i + 3; j <= rp - 2; j++) {
        int last = attr_item_last(u, j, rp);
        if (!attr_of_storage(u, j)) {
            if (items.len)
                buf_puts(&items, ", ");
            for (int k = j; k <= last; k++) {
                if (k > j && u->toks[k].ws < u->toks[k].off)
                    buf_puts(&items, " ");
                hoist_put(u, &items, k);
            }
        }
        j = last + 1; /* its ',' */
    }
    if (items.len)
        buf_printf(b, "%s__attribute__((%.*s))", b->len ? " " : "", (int)items.len, items.p);
    buf_free(&items);
}

/* The item `name` of the attributes among tokens [first, last] (the
 * specifiers of a declaration, or what follows a declarator), or -1. */
static int attr_find(const Unit *u, int first, int last, const char *name)
{
    for (int i = first; i <= last; i++) {
        int rp = parser_gnu_attr(u->src, u->toks, i, last);
        for (int j = i + 3; rp >= 0 && j <= rp - 2; j = attr_item_last(u, j, rp) + 2)
            if (attr_is(u, j, name))
                return j;
        if (rp >= 0)
            i = rp;
    }
    return -1;
}

/* Is token i an alignment specifier, as _Alignas or as <stdalign.h>'s
 * macro `alignas` (a name to the lexer)? */
static int is_alignas(const Unit *u, int i)
{
    const Token *t = &u->toks[i];
    return t->kind == TK_ALIGNAS || (t->kind == TK_IDENT && lex_is(u->src, t, "alignas"));
}

/* s's type as C text, declaring `cname` (a frame field), or without a name
 * and without alignment specifiers (a type name: C11 6.7.5 allows _Alignas
 * only in a declaration, and clang rejects it in a compound literal). */
static const char *type_text(Unit *u, const Sym *s, int type_name)
{
    const Node *d = s->decl;
    if (s->ptype) /* params() spelled it */
        return type_name ? s->ptype
                         : mem_printf(u->arena, "%.*s%s%s", s->ptype_at, s->ptype, s->cname,
                                      s->ptype + s->ptype_at);
    Buf b = {0};
    int adjust = param_suffix(u, s), parens = name_parens(u, d);
    int has_star = adjust >= 0; /* a const before it qualifies what the pointer points to */
    for (int i = d->first; i <= d->last; i++)
        has_star |= u->toks[i].kind == TK_STAR;
    if (s->specs) {
        for (int i = s->specs->first; i <= s->specs->last; i++) {
            int k = u->toks[i].kind;
            int align = is_alignas(u, i), rp = parser_gnu_attr(u->src, u->toks, i, s->specs->last);
            if (rp >= 0) { /* a type name has no attributes */
                if (!type_name)
                    put_field_attr(u, &b, i, rp);
                i = rp;
                continue;
            }
            if (align && type_name && u->toks[i + 1].kind == TK_LP)
                i = parser_closing(u->toks, i + 1, u->ntok);
            if (hoist_skip(u, i) >= 0) { /* a body now defined at file scope */
                i = hoist_skip(u, i);
                continue;
            }
            if (k == TK_REGISTER || k == TK_AUTO || (k == TK_CONST && !has_star) ||
                (type_name && (align || k == TK_STATIC || k == TK_EXTERN ||
                               k == TK_THREAD_LOCAL)))
                continue; /* a type name has no storage class (a temporary's type) */
            if (b.len)
                buf_puts(&b, " ");
            hoist_put(u, &b, i);
        }
    }
    int first = d->first, lead = 1; /* before the declarator's first token: a blank */
    for (int i = first; i <= d->last; i++) {
        const Token *t = &u->toks[i];
        if (t->kind == TK_CONST && i > first && u->toks[i - 1].kind == TK_STAR &&
            i + 1 == d->tok - parens && adjust < 0)
            continue; /* T *const p: the frame field is assigned later */
        if (adjust >= 0 && i != d->tok && i >= d->tok - parens && i <= d->tok + parens)
            continue; /* (a)[N]: the parentheses around the name alone */
        if (b.len && (lead || t->ws < t->off))
            buf_puts(&b, " ");
        lead = 0;
        if (i == d->tok && adjust >= 0) {
            /* T a[N] as a parameter is T *a, T f(P) is T (*f)(P): the frame
               holds the pointer, qualified as [restrict N] says */
            buf_puts(&b, "(*");
            if (u->toks[adjust].kind == TK_LB)
                suffix_quals(u, &b, adjust);
            buf_puts(&b, type_name ? "" : s->cname);
            while (type_name && b.p[b.len - 1] == ' ')
                b.len--;
            buf_puts(&b, ")");
            i = u->toks[adjust].kind == TK_LB ? parser_closing(u->toks, adjust, u->ntok)
                                              : adjust - 1;
        } else if (i == d->tok)
            buf_puts(&b, type_name ? "" : s->cname);
        else if (t->kind == TK_LB && i + 1 <= d->last && u->toks[i + 1].kind == TK_RB && d->a) {
            /* T a[] = init: give the field the initialiser's length */
            const Node *str = init_string(d->a);
            if (str) { /* its elements: L"ab" has 3 wchar_t */
                const char *lit = lex_text(u->src, u->toks, u->arena, str->first, str->last);
                buf_printf(&b, "[sizeof(%s) / sizeof(%s)[0]]", lit, lit);
            } else if (d->a->kind == E_INITLIST && init_count_u(u, d->a) >= 0)
                buf_printf(&b, "[%d]", init_count_u(u, d->a));
            else
                buf_puts(&b, "[]");
            i++;
        } else if (hoist_skip(u, i) >= 0)
            i = hoist_skip(u, i);
        else
            hoist_put(u, &b, i);
    }
    for (int i = d->last + 1; d->kind == D_VAR && !type_name && i <= d->op; i++) {
        int rp = parser_gnu_attr(u->src, u->toks, i, d->op);
        if (rp < 0)
            break;
        put_field_attr(u, &b, i, rp);
        i = rp;
    }
    while (type_name && b.len && b.p[b.len - 1] == ' ')
        b.len--; /* where the name was */
    const char *r = mem_strndup(u->arena, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

/* ---- types that cannot be assigned ------------------------------------ */

static int tag_needs_copy(const Unit *u, int tag, int depth);
static int typedef_needs_copy(const Unit *u, int name, int depth);

/* Is the declaration in tokens [first, last] const at its top level: a
 * `const` that no `*` follows (`const int x`, `char *const p`, but not
 * `const char *p`)? */
static int decl_is_const(const Unit *u, int first, int last)
{
    int c = 0;
    for (int i = first; i <= last; i++) {
        if (u->toks[i].kind == TK_CONST)
            c = 1;
        else if (u->toks[i].kind == TK_STAR)
            c = 0;
    }
    return c;
}

/* Do the specifiers in [first, last] name a type that cannot be assigned:
 * a struct or union with a const member, or such a typedef? */
static int specs_need_copy(const Unit *u, int first, int last, int depth)
{
    if (depth > 8)
        return 0;
    for (int i = first; i <= last; i++) {
        int k = u->toks[i].kind, rp = parser_gnu_attr(u->src, u->toks, i, last);
        if (rp >= 0) { /* its words name no type */
            i = rp;
            continue;
        }
        if ((k == TK_STRUCT || k == TK_UNION) && i < last && u->toks[i + 1].kind == TK_IDENT &&
            tag_needs_copy(u, i + 1, depth + 1))
            return 1;
        if (k == TK_IDENT && typedef_needs_copy(u, i, depth + 1))
            return 1;
    }
    return 0;
}

/* Does the struct or union body opening at token lc have a const member
 * (at any depth), or a member of such a type? */
static int body_needs_copy(const Unit *u, int lc, int depth)
{
    int rc = unit_tag_body(u, lc);
    for (int i = lc + 1, start = lc + 1; i < rc; i++) {
        int k = u->toks[i].kind;
        if (k == TK_LC || k == TK_RC || k == TK_SEMI) {
            if (k == TK_SEMI && (decl_is_const(u, start, i - 1) ||
                                 specs_need_copy(u, start, i - 1, depth)))
                return 1;
            start = i + 1;
        }
    }
    return 0;
}

/* Is the body of the struct or union whose tag is token `tag` (declared in
 * this unit) one with a const member? */
static int tag_needs_copy(const Unit *u, int tag, int depth)
{
    const Local *l = local_at(u, tag);
    if (l && l->kind == LOCAL_TAG && l->lc >= 0) /* the body's tag in scope */
        return body_needs_copy(u, l->lc, depth);
    int i = index_get(u, index_of(u)->tag, tag);
    return i >= 0 ? body_needs_copy(u, i + 1, depth) : 0;
}

/* The last specifier of the typedef at token i, which declares a name at
 * token at: before its first declarator.  Not the names of the declarators
 * before at: they are this typedef's own (`typedef T a, b;`), and reading
 * them as specifiers made each one's type read again those before it, at
 * every depth (a typedef of 40 names took 40 s). */
static int typedef_specs_last(const Unit *u, int i, int at)
{
    Parser p = {0};
    p.src = u->src;
    p.toks = u->toks;
    int end, nm = parser_typedef_declarator(&p, i + 1, u->ntok - 1, &end);
    return nm >= 0 && nm <= at ? declarator_first(u, nm) - 1 : at - 1;
}

/* The typedef at token i, if it declares token `name`'s name: is that a
 * const type, or a struct or union with a const member?  -1 if it does not
 * declare it. */
static int typedef_at_needs_copy(const Unit *u, int i, int name, int depth)
{
    const Token *n = &u->toks[name];
    int end = i, at = 0; /* `at`: the name where this typedef declares it */
    while (end + 1 < u->ntok && u->toks[end + 1].kind != TK_SEMI) {
        end = typedef_step(u, end);
        if (end < 0)
            return -1;
        if (u->toks[end].kind == TK_IDENT && u->toks[end].len == n->len &&
            !memcmp(spelling(u, end), u->src->text + n->off, (size_t)n->len))
            at = end;
    }
    if (!at)
        return -1;
    if (decl_is_const(u, i + 1, end))
        return 1;
    for (int j = i + 1; j <= end; j++)
        if (u->toks[j].kind == TK_LC)
            return body_needs_copy(u, j, depth);
    return specs_need_copy(u, i + 1, typedef_specs_last(u, i, at), depth);
}

/* Is token `name` a typedef of this unit for a const type, or for a
 * struct or union with a const member?  A local typedef is the one in
 * scope; otherwise the first of the file by that name. */
static int typedef_needs_copy(const Unit *u, int name, int depth)
{
    const Local *l = local_at(u, name);
    if (l)
        return l->kind == LOCAL_TYPEDEF && typedef_at_needs_copy(u, l->kw, name, depth) > 0;
    int i = index_get(u, index_of(u)->typedef_at, name);
    return i >= 0 ? typedef_at_needs_copy(u, i, name, depth) : 0;
}

int check_needs_copy(const Unit *u, const Sym *s)
{
    const Node *d = s->decl;
    if (s->pointer_param)
        return 0; /* a pointer is assigned */
    for (int i = d->first; i <= d->last; i++)
        if (u->toks[i].kind == TK_STAR || u->toks[i].kind == TK_LB || u->toks[i].kind == TK_LP)
            return 0; /* pointers are assigned; arrays are copied anyway */
    return check_specs_need_copy(u, s);
}

int check_specs_need_copy(const Unit *u, const Sym *s)
{
    if (s->specs)
        return specs_need_copy(u, s->specs->first, s->specs->last, 0);
    return specs_need_copy(u, s->decl->first, s->decl->tok - 1, 0);
}

const char *check_field_text(Unit *u, Sym *s)
{
    return type_text(u, s, 0);
}

const char *check_type_name(Unit *u, const Sym *s)
{
    return type_text(u, s, 1);
}

int check_init_count(const Node *init)
{
    return init_count(init);
}

int check_specs_define(const Unit *u, const Node *specs)
{
    if (specs)
        for (int i = specs->first; i <= specs->last; i++)
            if (u->toks[i].kind == TK_LC)
                return 1;
    return 0;
}

/* The frame's field for y and the variables declared after it in the same
 * declaration (y->specs): one field with all their declarators. */
static const char *shared_field_text(Unit *u, Sym *y)
{
    Buf b = {0};
    buf_puts(&b, check_field_text(u, y));
    for (Sym *z = y->next; z && z->specs == y->specs; z = z->next) {
        Sym bare = *z;
        bare.specs = NULL; /* its declarator alone */
        buf_printf(&b, ", %s", type_text(u, &bare, 0));
    }
    char *r = mem_strndup(u->arena, b.p, b.len);
    buf_free(&b);
    return r;
}

/* ---- scopes ------------------------------------------------------------ */

static void push_scope(Checker *c, Node *owner)
{
    CScope *s = mem_alloc(c->u->arena, sizeof *s);
    s->up = c->scope;
    s->id = ++c->next_scope_id;
    s->tail = &s->syms;
    s->frame = new_frame_scope(c, c->scope ? c->scope->frame : NULL);
    if (owner)
        owner->scope = s->frame;
    if (!c->info->root)
        c->info->root = s->frame;
    c->scope = s;
}

/* Can acc follow every use of y?  Scalars and pointers yes; arrays,
 * structs and types it cannot see may hand out addresses of their parts
 * (b.data decays to a pointer), so those stay in the frame whenever a
 * suspension point comes after them. */
static int precise(const Checker *c, const Sym *y)
{
    const Node *d = y->decl;
    int star = 0;
    for (int i = d->first; i <= d->last; i++) {
        int k = T(c, i)->kind;
        if (k == TK_LB)
            return 0;
        star |= k == TK_STAR;
    }
    if (star)
        return 1;
    for (int i = y->specs->first; i <= y->specs->last; i++) {
        int rp = parser_gnu_attr(S(c), c->u->toks, i, y->specs->last);
        if (rp >= 0) { /* an attribute keeps no address */
            i = rp;
            continue;
        }
        switch (T(c, i)->kind) {
        case TK_VOID: case TK_CHAR: case TK_SHORT: case TK_INT: case TK_LONG: case TK_FLOAT:
        case TK_DOUBLE: case TK_SIGNED: case TK_UNSIGNED: case TK_BOOL: case TK_CONST:
        case TK_VOLATILE: case TK_REGISTER: case TK_AUTO:
            break;
        case TK_TYPENAME:
            if (frame_field_size(lex_text(S(c), c->u->toks, c->u->arena, i, i), &(long){0}) > 0)
                break; /* size_t, int32_t, ...: scalars */
            return 0;
        default:
            return 0;
        }
    }
    return 1;
}

/* One block that declares a name twice is C only in two branches of a
 * preprocessor conditional (`#ifdef BIG char buf[4096]; #else char
 * buf[8]; #endif`).  Moved to the frame, such a variable would be two
 * fields, and acc cannot tell which one the code after them means. */
static void twice_in_frame(Checker *c)
{
    for (Sym *y = c->scope->syms; y; y = y->next) {
        if (!y->same || ((Named *)names_get(c->scope->names, y->name, strlen(y->name)))->first != y)
            continue; /* once per name, from its first declaration */
        int frame = y->in_frame;
        for (Sym *z = y->same; z; z = z->same) {
            if ((frame || z->in_frame) && !z->redeclared)
                diag_error(S(c), T(c, z->decl->tok)->off, T(c, z->decl->tok)->len,
                           "'%s' is declared twice in this block and lives across an await: "
                           "acc cannot tell which declaration the code means; declare it once "
                           "(a conditional can choose its type with a typedef)",
                           z->name);
            frame |= z->in_frame;
        }
    }
}

/* The declarators of a declaration that defines a type go together, all in
 * the frame or none: they share its specifiers and stand in a row. */
static void frame_together(Checker *c)
{
    for (Sym *y = c->scope->syms, *end; y; y = end) {
        int frame = 0;
        for (end = y; end && end->specs == y->specs; end = end->next)
            frame |= end->in_frame;
        if (frame && check_specs_define(c->u, y->specs))
            for (Sym *z = y; z != end; z = z->next)
                z->in_frame = 1;
    }
}

/* A `cleanup(fn)` attribute on y, which a suspension point follows in its
 * scope, or a parameter: the C scope that holds y in the generated code
 * is left at every suspension (and y's field outlives it), so C would run
 * fn then, and again after each resumption.  Refused, with what works. */
static void cleanup_error(Checker *c, const Sym *y)
{
    const Node *d = y->decl;
    int at = attr_find(c->u, y->specs->first, y->specs->last, "cleanup");
    if (at < 0 && d->op)
        at = attr_find(c->u, d->last + 1, d->op, "cleanup");
    if (at < 0 || at == c->cleanup_at)
        return;
    c->cleanup_at = at;
    const Token *fn = T(c, at + 2);
    int named = T(c, at + 1)->kind == TK_LP && fn->kind == TK_IDENT && T(c, at + 3)->kind == TK_RP;
    diag_error(S(c), T(c, at)->off, T(c, at)->len,
               "'cleanup' attribute on '%s', which lives across a suspension point: C would "
               "run it each time the function suspends; use 'defer %.*s(&%s);' %s instead",
               y->name, named ? fn->len : 2, named ? S(c)->text + fn->off : "fn", y->name,
               y->is_param ? "at the start of the body" : "after the declaration");
}

/* Leaving a scope: a variable goes in the frame if it is used after a
 * suspension point that came after its declaration (textually, or through
 * a loop, a deferred statement or its address); the others stay C locals. */
static void pop_scope(Checker *c)
{
    for (DRef *r = c->scope->drefs; r; r = r->next)
        if (c->susp > r->pos)
            r->y->live = 1;
    for (Sym *y = c->scope->syms; y; y = y->next) {
        if (y->is_static || y->decl->kind != D_VAR || c->susp <= y->decl_pos)
            continue;
        cleanup_error(c, y);
        if (c->has_goto || y->live || y->addr_taken || !precise(c, y))
            y->in_frame = 1;
    }
    frame_together(c);
    twice_in_frame(c);
    const Node *done = NULL; /* the last declaration given a shared field */
    for (Sym *y = c->scope->syms; y; y = y->next) {
        if (!y->in_frame)
            continue;
        if (check_specs_define(c->u, y->specs)) {
            if (y->specs == done)
                continue;
            done = y->specs;
        }
        add_field(c, c->scope->frame, y);
    }
    c->scope = c->scope->up;
}

static void note_ref(Checker *c, Sym *y)
{
    y->used = 1;
    if (c->susp > y->decl_pos)
        y->live = 1;
    for (LoopCtx *l = c->loops; l; l = l->up) {
        if (y->decl_seq > l->seq0)
            break; /* declared inside this loop: fresh each iteration */
        l->refs = mem_grow(c->u->arena, l->refs, l->n, &l->cap, sizeof *l->refs);
        l->refs[l->n++] = y;
    }
    if (c->defer_owner) {
        DRef *r = mem_alloc(c->u->arena, sizeof *r);
        r->y = y;
        r->pos = c->defer_pos;
        r->next = c->defer_owner->drefs;
        c->defer_owner->drefs = r;
    }
}

static void loop_enter(Checker *c, LoopCtx *l)
{
    l->susp0 = c->susp;
    l->seq0 = c->nseq;
    l->up = c->loops;
    c->loops = l;
}

static void loop_exit(Checker *c)
{
    LoopCtx *l = c->loops;
    if (c->susp > l->susp0)
        for (int i = 0; i < l->n; i++)
            l->refs[i]->live = 1;
    c->loops = l->up;
}

/* Does declarator d declare a function: its name, in as many parentheses
 * as it likes (`int (f)(void)`), then a parameter list?  A `*` inside the
 * parentheses makes it a pointer (`int (*p)(void)`), an object. */
static int declares_function(const Checker *c, const Node *d)
{
    int k = 0; /* parentheses around the name */
    while (d->tok - 1 - k >= 0 && T(c, d->tok - 1 - k)->kind == TK_LP)
        k++;
    for (int i = 1; i <= k; i++)
        if (T(c, d->tok + i)->kind != TK_RP)
            return 0;
    return T(c, d->tok + 1 + k)->kind == TK_LP;
}

/* An object or a function declared by d with specifiers specs: extern,
 * or a function (C11 6.2.2p5), as a parameter never is. */
static int has_linkage(const Checker *c, const Node *d, const Node *specs)
{
    return specs && ((specs->op & DS_EXTERN) || declares_function(c, d));
}

/* y declares again in its block the name of x: C11 6.7p3 allows it only
 * when both have linkage (`extern int g;` twice; the C compiler checks
 * their types).  Not when they stand in different branches of the
 * conditionals (pp_path), which may each declare it (twice_in_frame). */
static void redefinition(Checker *c, Sym *x, Sym *y)
{
    if ((has_linkage(c, x->decl, x->specs) && has_linkage(c, y->decl, y->specs)) ||
        pp_path(c, x->decl->tok) != pp_path(c, y->decl->tok))
        return;
    y->redeclared = 1;
    const Token *t = T(c, y->decl->tok), *was = T(c, x->decl->tok);
    diag_error(S(c), t->off, t->len, "redefinition of '%s'", y->name);
    diag_note(S(c), was->off, was->len, "previous declaration of '%s' was here", x->name);
}

static Sym *declare(Checker *c, Node *d, Node *specs)
{
    Sym *y = mem_alloc(c->u->arena, sizeof *y);
    y->name = mem_strndup(c->u->arena, S(c)->text + T(c, d->tok)->off, (size_t)T(c, d->tok)->len);
    y->cname = unique_name(c, y->name);
    y->decl = d;
    y->specs = specs;
    y->decl_pos = c->susp;
    y->decl_seq = ++c->nseq;
    y->is_static = specs && (specs->op & (DS_STATIC | DS_EXTERN));
    if (declares_function(c, d)) /* int helper(int): a function */
        y->is_static = 1;
    *c->scope->tail = y; /* in order, for the layout */
    c->scope->tail = &y->next;
    if (c->params && c->scope->up == c->params && c->params->names &&
        names_get(c->params->names, y->name, strlen(y->name)))
        /* C11 6.2.1p4: the parameters' scope is the body's block; acc
           keeps them apart, and the C compiler saw one variable hide the
           other */
        diag_error(S(c), T(c, d->tok)->off, T(c, d->tok)->len,
                   "'%s' is declared again in the body: it is a parameter", y->name);
    if (!c->scope->names)
        c->scope->names = names_new(c->u->arena);
    Named *k = names_get(c->scope->names, y->name, strlen(y->name));
    if (k && c->scope == c->params)
        diag_error(S(c), T(c, d->tok)->off, T(c, d->tok)->len,
                   "redefinition of parameter '%s'", y->name);
    else if (k)
        redefinition(c, k->last, y);
    if (k) {
        k->last->same = y;
        k->last = y;
    } else {
        k = mem_alloc(c->u->arena, sizeof *k);
        k->first = k->last = y;
        names_put(c->scope->names, y->name, strlen(y->name), k);
    }
    d->sym = y;
    return y;
}

/* ---- expressions ------------------------------------------------------- */

static int expr(Checker *c, Node *e);

static int is_forbidden_call(const Checker *c, const Node *callee)
{
    static const char *const bad[] = {"setjmp", "_setjmp", "sigsetjmp", "longjmp",
                                      "_longjmp", "siglongjmp", "alloca", "__builtin_alloca"};
    if (callee->kind != E_IDENT)
        return 0;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (lex_is(S(c), T(c, callee->tok), bad[i]))
            return 1;
    return 0;
}

static AsyncFn *async_callee(const Checker *c, const Node *call)
{
    if (call->kind != E_CALL || call->a->kind != E_IDENT || call->a->sym)
        return NULL;
    const Token *t = T(c, call->a->tok);
    return unit_find(c->u, S(c)->text + t->off, (size_t)t->len);
}

static void note_use(Checker *c, AsyncFn *f)
{
    for (int i = 0; i < c->info->nuses; i++)
        if (c->info->uses[i] == f)
            return;
    if (c->info->nuses < 64)
        c->info->uses[c->info->nuses++] = f;
}

/* An async function named as a value stands for its coroutine constructor
 * (what `.aexit = my_exit` in a manager class needs). */
static void ident_value(Checker *c, Node *e)
{
    const Token *t = T(c, e->tok);
    AsyncFn *f = unit_await_entry_use(c->u, c->u, e->tok);
    if (f) { /* AC_AWAIT_FN(f), f__await: f's await entry */
        f->awaited = 1;
        note_use(c, f);
        return;
    }
    f = unit_find(c->u, S(c)->text + t->off, (size_t)t->len);
    if (f) {
        f->called = 1;
        note_use(c, f);
    }
}

#define LITERAL_UNKEPT                                                                    \
    "compound literal passed by address to an awaited or spawned call, of a type acc " \
    "cannot give a frame field (a '(' in it, or an unsized array with designators); "   \
    "declare a variable for it"

/* Does the typedef that token tok names declare an array (`typedef int
 * I3[3];`)?  A local typedef is the one in scope; otherwise a typedef of
 * the file of that name (not a member's), or of a header acc reads. */
static int typedef_is_array(const Unit *u, int tok)
{
    const Local *l = local_at(u, tok);
    if (l)
        return l->kind == LOCAL_TYPEDEF && u->toks[l->tok + 1].kind == TK_LB;
    return index_get(u, index_of(u)->array, tok) >= 0 ||
           types_has(u->header_arrays, spelling(u, tok), (size_t)u->toks[tok].len);
}

/* Is the type name in tokens [first, last] an array typedef? */
static int array_typedef(const Checker *c, int first, int last)
{
    return first == last && typedef_is_array(c->u, first);
}

int check_is_array(const Unit *u, const Sym *y)
{
    const Node *d = y->decl;
    if (d->tok + 1 <= d->last && u->toks[d->tok + 1].kind == TK_LB)
        return 1;
    for (int i = d->first; i <= d->last; i++)
        if (u->toks[i].kind == TK_STAR || u->toks[i].kind == TK_LP)
            return 0; /* a pointer (to an array), a function */
    for (int i = y->specs ? y->specs->first : 0; y->specs && i <= y->specs->last; i++) {
        int prev = i > 0 ? u->toks[i - 1].kind : 0;
        if (u->toks[i].kind == TK_IDENT && prev != TK_STRUCT && prev != TK_UNION &&
            prev != TK_ENUM && typedef_is_array(u, i))
            return 1;
    }
    return 0;
}

/* Is literal e an array, which decays to a pointer?  Its type name ends in
 * `]` without a parenthesised declarator (`int (*)[2]` points to an array),
 * or is an array typedef (of the file or of the body). */
static int array_literal(const Checker *c, const Node *e)
{
    for (int i = e->first; i <= e->last; i++)
        if (T(c, i)->kind == TK_LP)
            return 0;
    return T(c, e->last)->kind == TK_RB || array_typedef(c, e->first, e->last);
}

/* Can compound literal e live in a frame field?  Its type name has no '('
 * (a declarator acc would have to take apart), and its array suffixes have
 * sizes but for the first, which may be counted from a list without
 * designators. */
static int literal_fits_frame(const Checker *c, const Node *e)
{
    int lb = 0;
    for (int i = e->first; i <= e->last; i++) {
        int k = T(c, i)->kind;
        if (k == TK_LP || (k == TK_LB && lb && T(c, i + 1)->kind == TK_RB))
            return 0; /* a declarator in parentheses, an inner [] */
        if (k == TK_LB && !lb)
            lb = i;
    }
    if (!lb || T(c, lb + 1)->kind != TK_RB)
        return 1;
    return init_count(e->a) > 0;
}

/* The compound literals in the arguments of an awaited call whose storage
 * the callee may keep (or in a value stored by an initialiser or an
 * assignment, which a later statement may read after a suspension): one whose address is taken (`&(T){...}`, also
 * through a member), an array literal that decays to a pointer, and the
 * literals kept by those.  C gives them the lifetime of the enclosing
 * block, but generated code evaluates expressions in the resume function,
 * whose C stack a suspension leaves: they go into the frame
 * (COMPLIT_IN_FRAME).  Returns the first that cannot, or NULL.  Mode: 0 a
 * value, 1 its address escapes, 2 indexed (an array's element is read). */
static const Node *keep_literals(const Checker *c, Node *e, int mode)
{
    const Node *bad = NULL, *k = NULL;
    for (; e; e = e->next) {
        switch (e->kind) {
        case E_AWAIT: /* its own arguments are checked on their own */
        case E_SIZEOF: case E_SIZEOF_T: case E_TYPEARG: /* not evaluated */
            break;
        case E_COMPLIT:
            if (mode == 1 || (mode != 2 && array_literal(c, e))) {
                if (literal_fits_frame(c, e)) {
                    e->op = COMPLIT_IN_FRAME; /* a frame field of its type */
                    hoist_range(c->u, e->first, e->last);
                } else if (!bad) {
                    bad = e;
                }
            }
            k = keep_literals(c, e->a->a, 0); /* its items, as values */
            break;
        case E_PRE:
            k = keep_literals(c, e->a, e->op == TK_AMP ? 1 : 0);
            break;
        case E_PAREN:
            k = keep_literals(c, e->a, mode);
            break;
        case E_MEMBER:
            k = keep_literals(c, e->a, e->op == TK_DOT ? mode : 0);
            break;
        case E_INDEX:
            k = keep_literals(c, e->a, mode == 1 ? 1 : 2);
            if (!k)
                k = keep_literals(c, e->b, 0);
            break;
        default:
            k = keep_literals(c, e->a, 0);
            if (!k)
                k = keep_literals(c, e->b, 0);
            if (!k)
                k = keep_literals(c, e->c, 0);
            break;
        }
        if (k && !bad)
            bad = k;
        if (mode) /* only lists continue through `next` */
            break;
    }
    return bad;
}

/* The literals that the arguments of call e (if it is one) hand to a
 * callee that runs on after the statement's suspension points. */
static void keep_call_literals(Checker *c, Node *e)
{
    const Node *lit = e->kind == E_CALL ? keep_literals(c, e->b, 0) : NULL;
    if (lit)
        err_at(c, lit->tok, LITERAL_UNKEPT);
}

/* `await f(...)` where f is not a declared async function: say so, and
 * what may be meant. */
static void unknown_callee(Checker *c, const Token *t)
{
    const char *name = S(c)->text + t->off;
    diag_error(S(c), t->off, t->len, "'%.*s' is not a declared async function", t->len, name);
    if (lookup(c, t)) {
        diag_note(S(c), t->off, t->len,
                  "to await the coroutine object of a pointer to an async function, write "
                  "'await ac_coro_await(%.*s(...), &result)'",
                  t->len, name);
    } else if (c->u->unfound) {
        const Token *inc = &c->u->toks[c->u->unfound - 1];
        diag_note(S(c), inc->off, inc->len,
                  "acc did not find this header (it reads headers for async declarations: "
                  "-I DIR)");
    }
}

/* The C compiler would say it too, but of the generated F__await. */
static void check_arity(Checker *c, const Node *call, const AsyncFn *f)
{
    int want = unit_param_count(f), got = 0;
    for (const Node *a = call->b; a; a = a->next)
        got++;
    if (want >= 0 && got != want)
        diag_error(S(c), T(c, call->a->tok)->off, T(c, call->a->tok)->len,
                   "async function '%s' takes %d argument%s, not %d", f->name, want,
                   want == 1 ? "" : "s", got);
}

static int await_expr(Checker *c, Node *e)
{
    Node *call = e->a;
    while (call->kind == E_PAREN)
        call = call->a;
    c->awaited_call = call;
    int n = expr(c, call);
    if (c->in_sizeof)
        err_at(c, e->tok, "'await' inside 'sizeof' or '_Alignof'");
    if (call->kind != E_CALL) {
        err_at(c, e->tok, "'await' needs a call of an async function");
        return n;
    }
    AsyncFn *f = async_callee(c, call);
    if (!f) {
        const Token *t = T(c, call->a->tok);
        if (call->a->kind == E_IDENT)
            unknown_callee(c, t);
        else
            err_at(c, e->tok, "'await' needs a call of an async function");
        return n;
    }
    if (f->is_cm || f->is_generator)
        diag_error(S(c), T(c, call->a->tok)->off, T(c, call->a->tok)->len,
                   f->is_cm ? "'%s' is a @contextmanager function: enter it with 'async with', "
                              "not 'await'"
                            : "'%s' is an async generator: iterate it with 'async for', not "
                              "'await'",
                   f->name);
    check_arity(c, call, f);
    keep_call_literals(c, call);
    e->a = call;
    e->fn = f;
    f->awaited = 1;
    note_use(c, f);
    c->susp++;
    c->info->nawaits++;
    return n + 1;
}

static int list(Checker *c, Node *n)
{
    int sum = 0;
    for (; n; n = n->next)
        sum += expr(c, n);
    return sum;
}

/* Is e a member designator (m, m.n, m[2])? */
static int designator(const Node *e)
{
    while (e->kind == E_INDEX || (e->kind == E_MEMBER && e->op == TK_DOT))
        e = e->a;
    return e->kind == E_IDENT;
}

/* The subscripts of designator e, which are expressions like any. */
static int designator_indexes(Checker *c, Node *e)
{
    int sum = 0;
    for (; e->kind != E_IDENT; e = e->a)
        if (e->kind == E_INDEX)
            sum += expr(c, e->b);
    return sum;
}

/* The arguments of a call.  Right after a type name (a macro's:
 * offsetof(struct s, len), container_of(p, struct s, len)) a designator
 * names a member, not a variable: its names are left as written, whatever
 * local shares them, but its subscripts (offsetof(struct s, a[i])) and the
 * arguments after it are checked as usual. */
static int call_args(Checker *c, Node *n)
{
    int sum = 0, after_type = 0;
    for (; n; n = n->next) {
        if (after_type && designator(n))
            sum += designator_indexes(c, n);
        else
            sum += expr(c, n);
        after_type = n->kind == E_TYPEARG;
    }
    return sum;
}

/* A type name is copied as text: it may not await, nor name a local (that
 * would be a variably modified type, which a frame cannot hold).  The
 * awaits of a struct body in it are the unit scan's; its member names are
 * no locals. */
static void type_range(Checker *c, int first, int last)
{
    for (int i = first; i <= last; i++) {
        const Token *t = T(c, i);
        int rb = unit_tag_body(c->u, i);
        if (rb >= 0) {
            i = rb;
            continue;
        }
        if (t->kind != TK_IDENT || (i > first && (T(c, i - 1)->kind == TK_DOT ||
                                                  T(c, i - 1)->kind == TK_ARROW)))
            continue;
        if (lex_is(S(c), t, "await"))
            err_at(c, i, "'await' inside a type name");
        else if (!names_local(c, i) && lookup(c, t))
            diag_error(S(c), t->off, t->len, "local variable '%.*s' in a type name (a variably "
                       "modified type) in an async function", t->len, S(c)->text + t->off);
    }
}

/* How deep a body's tree may be (ast_too_deep, counted from the body):
 * check_fn refuses a deeper one before any walk.  An expression's depth
 * in expr() is below its depth in the tree, so expr() needs no limit. */
enum { CHECK_MAX_DEPTH = 5000 };

static int expr_node(Checker *c, Node *e);

/* The address of place p (x, x.f, x[i]) is taken: x may be reached through
 * it after a suspension point. */
static void address_escapes(const Node *p)
{
    while (p->kind == E_PAREN || p->kind == E_INDEX || (p->kind == E_MEMBER && p->op == TK_DOT))
        p = p->a;
    if (p->kind == E_IDENT && p->sym)
        p->sym->addr_taken = 1;
}

/* Is e a cast to void, `(void)x`? */
static int void_cast(const Checker *c, const Node *e)
{
    return e->kind == E_CAST && e->first == e->last && T(c, e->first)->kind == TK_VOID;
}

/* The awaits of async functions returning void in e, whose value is used
 * (`used`: e's own value is): C allows a void expression only where its
 * value is discarded (an expression statement, a cast to void, the left of
 * a comma, the branches of a ?: that is itself discarded), and acc would
 * otherwise leave `int r = await v();` to the C compiler's "void value not
 * ignored", at the line of the generated code. */
static void void_values(Checker *c, const Node *e, int used)
{
    while (e && e->awaits) {
        switch (e->kind) {
        case E_PAREN:
            e = e->a;
            continue;
        case E_CAST:
            used = !void_cast(c, e);
            e = e->a;
            continue;
        case E_COMMA:
            void_values(c, e->a, 0);
            e = e->b;
            continue;
        case E_COND:
            void_values(c, e->a, 1);
            void_values(c, e->b, used);
            e = e->c;
            continue;
        case E_AWAIT:
            if (used && e->fn && e->fn->is_void)
                diag_error(S(c), T(c, e->tok)->off, T(c, e->tok)->len,
                           "'%s' returns void: the value of this 'await' cannot be used",
                           e->fn->name);
            e = e->a; /* the call: its arguments are values */
            used = 1;
            continue;
        case E_SIZEOF: case E_SIZEOF_T: case E_GENERIC:
            return; /* an await there is an error already */
        default:
            for (const Node *k = e->a; k; k = k->next)
                void_values(c, k, 1);
            for (const Node *k = e->b; k; k = k->next)
                void_values(c, k, 1);
            e = e->c;
            used = 1;
            continue;
        }
    }
}

static int expr(Checker *c, Node *e)
{
    if (!e)
        return 0;
    c->depth++;
    int n = expr_node(c, e);
    c->depth--;
    /* a full expression that awaits: what its lowering reads after an
       await lives across it, wherever it stands in the text */
    if (n && !c->depth) {
        lower_late_reads(c->u, e);
        void_values(c, e, !c->discard);
    }
    return n;
}

/* expr() of a full expression whose value is discarded. */
static int expr_discarded(Checker *c, Node *e)
{
    c->discard = 1;
    int n = expr(c, e);
    c->discard = 0;
    return n;
}

/* Is e the value of an await, or a member of one (`(await f()).x`)?  C
 * makes no lvalue of a function's result, but acc lowers it to a frame
 * field: `&await f()` and `await f() = 1` would compile, taking the
 * address of (or assigning) acc's temporary. */
static int await_value(const Node *e)
{
    while (e && (e->kind == E_PAREN || (e->kind == E_MEMBER && e->op == TK_DOT)))
        e = e->a;
    return e && e->kind == E_AWAIT;
}

/* The variable (local or parameter) whose own storage place e designates
 * (x, (x), x.m, a[i] of an array a declared so), or NULL: not through a
 * pointer, whose target is another object. */
static const Sym *place_var(const Checker *c, const Node *e)
{
    int index = 0;
    for (;; e = e->a) {
        if (e->kind == E_INDEX)
            index = 1;
        else if (e->kind != E_PAREN && !(e->kind == E_MEMBER && e->op == TK_DOT))
            break;
    }
    const Sym *y = e->kind == E_IDENT ? e->sym : NULL;
    if (!y || !y->decl)
        return NULL;
    if (index && (y->pointer_param || y->decl->tok >= y->decl->last ||
                  T(c, y->decl->tok + 1)->kind != TK_LB))
        return NULL;
    return y;
}

/* `return &x;` (or an array x, or &x.m, &a[i]) of a local or a parameter:
 * gcc warns of it in a plain function, but acc stores the value where the
 * caller reads it, so it did not see it, and the frame that held x is
 * freed as the function returns (a C local, with the C stack). */
static void returns_local_address(Checker *c, const Node *e)
{
    while (e->kind == E_PAREN || e->kind == E_CAST)
        e = e->a;
    const Sym *y = e->kind == E_PRE && e->op == TK_AMP ? place_var(c, e->a)
                 : e->kind == E_IDENT && e->sym && !e->sym->pointer_param &&
                           check_is_array(c->u, e->sym) ? e->sym : NULL;
    if (y && !y->is_static)
        diag_warning(S(c), T(c, ast_first_tok(e))->off, T(c, ast_first_tok(e))->len,
                     "async function '%s' returns the address of %s '%s', which ends with "
                     "the call", c->info->fn->name, y->is_param ? "parameter" : "local variable",
                     y->name);
}

/* Do y's specifiers hold the keyword `kind` (outside a struct body or
 * parentheses among them)? */
static int specs_have(const Checker *c, const Sym *y, int kind)
{
    int depth = 0;
    for (int i = y->specs ? y->specs->first : 0; y->specs && i <= y->specs->last; i++) {
        int k = T(c, i)->kind;
        depth += (k == TK_LC || k == TK_LP) - (k == TK_RC || k == TK_RP);
        if (k == kind && !depth)
            return 1;
    }
    return 0;
}

/* The variable that place e modifies when it is assigned (place_var), if
 * that variable (an array's elements) is declared const at its top level
 * (`const int n`, `char *const p`: a const before the name that no `*`
 * follows; not `const char *p`, nor a const member of a struct body among
 * the specifiers).  acc moves a variable that lives across an await into
 * the frame, in a field without the qualifier (it is filled once), where
 * the C compiler would not see such an assignment. */
static const Sym *const_var(const Checker *c, const Node *e)
{
    const Sym *y = place_var(c, e);
    if (!y)
        return NULL;
    int is_const = specs_have(c, y, TK_CONST);
    for (int i = y->decl->first; i < y->decl->tok; i++) {
        if (T(c, i)->kind == TK_CONST)
            is_const = 1;
        else if (T(c, i)->kind == TK_STAR)
            is_const = 0;
    }
    return is_const ? y : NULL;
}

/* The operator of e (&, ++, --, an assignment) needs an lvalue in e->a. */
static void lvalue_operand(Checker *c, const Node *e)
{
    const Sym *y;
    if (await_value(e->a))
        err_at(c, e->tok, e->op == TK_AMP
                              ? "the value of 'await' is no lvalue: its address cannot be taken "
                                "(store it in a variable first)"
                              : "the value of 'await' is no lvalue: it cannot be assigned or "
                                "incremented (store it in a variable first)");
    else if (e->op != TK_AMP && (y = const_var(c, e->a)))
        diag_error(S(c), T(c, e->tok)->off, T(c, e->tok)->len,
                   "'%s' is const: it cannot be assigned or incremented", y->name);
}

static int expr_node(Checker *c, Node *e)
{
    int n = 0;
    switch (e->kind) {
    case E_IDENT:
        /* an enumerator of the body is no variable, whatever it hides */
        e->sym = names_local(c, e->tok) ? NULL : lookup(c, T(c, e->tok));
        if (e->sym)
            note_ref(c, e->sym);
        else if (e != c->callee)
            ident_value(c, e);
        break;
    case E_AWAIT:
        n = await_expr(c, e);
        break;
    case E_PRE:
        n = expr(c, e->a);
        if (e->op == TK_AMP) /* &x, &x.f, &x[i]: x's address escapes */
            address_escapes(e->a);
        const Sym *y;
        if (e->op == TK_AMP && (y = place_var(c, e->a)) && specs_have(c, y, TK_REGISTER))
            /* C11 6.5.3.2p1; in the frame, the field has no storage class */
            diag_error(S(c), T(c, e->tok)->off, T(c, e->tok)->len,
                       "the address of register variable '%s' cannot be taken", y->name);
        if (e->op == TK_AMP || e->op == TK_INC || e->op == TK_DEC)
            lvalue_operand(c, e);
        break;
    case E_POST:
        n = expr(c, e->a);
        lvalue_operand(c, e);
        break;
    case E_CAST: case E_SIZEOF_T: case E_COMPLIT: case E_ASSOC: case E_TYPEARG:
        type_range(c, e->first, e->last);
        n = expr(c, e->a);
        break;
    case E_SIZEOF:
        c->in_sizeof++;
        n = expr(c, e->a);
        c->in_sizeof--;
        break;
    case E_CALL: {
        int under_await = e == c->awaited_call;
        c->callee = e->a;
        n = expr(c, e->a) + call_args(c, e->b);
        if (is_forbidden_call(c, e->a))
            diag_error(S(c), T(c, e->a->tok)->off, T(c, e->a->tok)->len,
                       "'%.*s' cannot be used in an async function", T(c, e->a->tok)->len,
                       S(c)->text + T(c, e->a->tok)->off);
        if ((e->fn = async_callee(c, e)) && !under_await) {
            e->fn->called = 1;
            note_use(c, e->fn);
        }
        break;
    }
    case E_ASSIGN:
        n = expr(c, e->a) + expr(c, e->b) + expr(c, e->c);
        lvalue_operand(c, e);
        if (e->op == TK_ASSIGN) /* p = (int[]){...}: p may be read after an await */
            keep_literals(c, e->b, 0);
        break;
    case E_INITLIST: /* its items are the list e->a: each checked once */
        n = list(c, e->a);
        break;
    case E_GENERIC: /* the controlling expression, then the associations */
        n = expr(c, e->a) + list(c, e->b);
        break;
    default:
        n = expr(c, e->a) + expr(c, e->b) + expr(c, e->c);
        break;
    }
    e->awaits = n;
    return n;
}

/* ---- jumps ------------------------------------------------------------- */

static Jump *context(Checker *c, int tok, int is_label)
{
    Jump *j = mem_alloc(c->u->arena, sizeof *j);
    j->tok = tok;
    j->is_label = is_label;
    j->in_defer = c->defer_id;
    CScope *chain[64];
    int n = 0;
    for (CScope *s = c->scope; s && n < 64; s = s->up)
        chain[n++] = s;
    for (int i = 0; i < n; i++) {
        j->ctx_ids[i] = chain[n - 1 - i]->id;
        j->ctx_n[i] = chain[n - 1 - i]->cleanups;
    }
    j->depth = n;
    return j;
}

/* A jump from g to l is allowed when it runs no cleanup and skips none:
 * the scopes they share have the same cleanups registered, and the scopes
 * only one of them is in have none. */
static int same_cleanups(const Jump *g, const Jump *l)
{
    int i = 0;
    while (i < g->depth && i < l->depth && g->ctx_ids[i] == l->ctx_ids[i]) {
        if (g->ctx_n[i] != l->ctx_n[i])
            return 0;
        i++;
    }
    for (int k = i; k < g->depth; k++)
        if (g->ctx_n[k])
            return 0;
    for (int k = i; k < l->depth; k++)
        if (l->ctx_n[k])
            return 0;
    return 1;
}

/* The labels of the function by name, so that each goto meets only its
 * own: 10,000 gotos to 10,000 labels are not 10^8 comparisons. */
static Names *labels_by_name(Checker *c)
{
    Names *t = names_new(c->u->arena);
    for (Jump *l = c->jumps; l; l = l->next) {
        if (!l->is_label)
            continue;
        const Token *n = T(c, l->tok);
        Labels *k = names_get(t, S(c)->text + n->off, (size_t)n->len);
        if (!k) {
            k = mem_alloc(c->u->arena, sizeof *k);
            k->tail = &k->first;
            names_put(t, S(c)->text + n->off, (size_t)n->len, k);
        }
        *k->tail = l;
        k->tail = &l->same;
    }
    return t;
}

/* A label defined twice in the function (C11 6.8.1p3), both in the same
 * branches of the conditionals (those of an #if may each define it):
 * reported at the later one.  c->jumps runs from the last label to the
 * first, and so does each list of labels_by_name. */
static void duplicate_labels(Checker *c)
{
    for (const Jump *l = c->jumps; l; l = l->next) {
        if (!l->is_label || !l->same || pp_path(c, l->tok) != pp_path(c, l->same->tok))
            continue;
        const Token *t = T(c, l->tok), *was = T(c, l->same->tok);
        diag_error(S(c), t->off, t->len, "duplicate label '%.*s'", t->len, S(c)->text + t->off);
        diag_note(S(c), was->off, was->len, "previous definition of '%.*s' was here", was->len,
                  S(c)->text + was->off);
    }
}

static void check_jumps(Checker *c)
{
    Names *labels = labels_by_name(c);
    duplicate_labels(c);
    for (Jump *g = c->jumps; g; g = g->next) {
        if (g->is_label)
            continue;
        const Labels *k = names_get(labels, S(c)->text + T(c, g->tok)->off, (size_t)T(c, g->tok)->len);
        if (!k) /* C11 6.8.6.1p1; the C compiler said it at the wrong column */
            diag_error(S(c), T(c, g->tok)->off, T(c, g->tok)->len,
                       "label '%.*s' used but not defined", T(c, g->tok)->len,
                       S(c)->text + T(c, g->tok)->off);
        for (Jump *l = k ? k->first : NULL; l; l = l->same) {
            if (g->in_defer != l->in_defer)
                err_at(c, g->tok, "'goto' out of or into a deferred statement");
            else if (!same_cleanups(g, l))
                err_at(c, g->tok, "'goto' jumps into or out of a scope with pending cleanups");
        }
    }
}

/* ---- statements -------------------------------------------------------- */

static void stmt(Checker *c, Node *s);

/* Does expression e read a local variable? */
static int reads_local(const Node *e)
{
    if (!e)
        return 0;
    if (e->kind == E_IDENT && e->sym)
        return 1;
    for (const Node *k = e->a; k; k = k->next)
        if (reads_local(k))
            return 1;
    return reads_local(e->b) || reads_local(e->c);
}

/* A typedef or an enumerator that declaration s names like a parameter,
 * in the body's outermost block: the parameters' block too (C11 6.2.1p4),
 * where C has them apart only in the generated code (the typedef moves to
 * file scope). */
static void param_redeclared(Checker *c, const Node *s)
{
    if (!c->params || c->scope->up != c->params || !c->params->names)
        return;
    int last = s->last; /* the specifiers' last token, then the declarators' */
    for (const Node *d = s->a; d; d = d->next)
        last = d->last > last ? d->last : last;
    for (int i = s->first; i <= last; i++) {
        const Local *l = local_at(c->u, i);
        const Token *t = T(c, i);
        const Named *k = l && l->tok == i && l->kind != LOCAL_TAG
                             ? names_get(c->params->names, S(c)->text + t->off, (size_t)t->len)
                             : NULL;
        if (!k)
            continue;
        const Token *was = T(c, k->first->decl->tok);
        diag_error(S(c), t->off, t->len, "'%s' redeclared as a different kind of symbol",
                   k->first->name);
        diag_note(S(c), was->off, was->len, "previous declaration of '%s' was here",
                  k->first->name);
    }
}

static void decl(Checker *c, Node *s)
{
    param_redeclared(c, s);
    if (s->op & DS_TYPEDEF) { /* moves to file scope, with what it names */
        hoist_range(c->u, s->first, s->last);
        type_range(c, s->first, s->last); /* typedef int row[n]: no local */
        for (Node *d = s->a; d; d = d->next) {
            hoist_range(c->u, d->first, d->last);
            type_range(c, d->first, d->last);
        }
        return;
    }
    for (Node *d = s->a; d; d = d->next) {
        for (Node *sz = d->b; sz; sz = sz->next) {
            if (expr(c, sz))
                err_at(c, d->tok, "'await' in an array size (a variable-length array) in an "
                                  "async function");
            else if (reads_local(sz))
                err_at(c, d->tok, "variable-length array in an async function");
        }
        /* the variable is in scope in its own initialiser (C 6.2.1), but
           lives from the end of it */
        Sym *y = declare(c, d, s);
        if (!d->a && !y->is_static && d->tok + 2 <= d->last && T(c, d->tok + 1)->kind == TK_LB &&
            T(c, d->tok + 2)->kind == TK_RB)
            /* C11 6.7p7 wants a complete type; in the frame, `int x[];` as
               the last field is a flexible array member that compiles, and
               x[0] is past the frame */
            diag_error(S(c), T(c, d->tok)->off, T(c, d->tok)->len,
                       "array '%s' has no size and no initialiser", y->name);
        int n = expr(c, d->a);
        if (!(s->op & DS_STATIC)) /* int *p = (int[]){...}: kept like p */
            keep_literals(c, d->a, 0);
        y->decl_pos = c->susp;
        if (n && (s->op & DS_STATIC))
            err_at(c, d->tok, "'await' in the initialiser of a static variable");
        d->awaits = n;
    }
}

/* The label `tok` of the innermost switch repeats the label `was` (C11
 * 6.8.4.2p3), both in the same branches of the conditionals (those of an
 * #if may each have it). */
static void case_repeated(Checker *c, int tok, int was)
{
    if (pp_path(c, was) != pp_path(c, tok))
        return;
    const Token *t = T(c, tok), *w = T(c, was);
    if (t->kind == TK_DEFAULT) {
        diag_error(S(c), t->off, t->len, "multiple default labels in one switch");
        diag_note(S(c), w->off, w->len, "this is the first default label");
    } else {
        diag_error(S(c), t->off, t->len, "duplicate case value");
        diag_note(S(c), w->off, w->len, "previously used here");
    }
}

/* A case or default label s of the innermost switch: its value against
 * those before it, where acc can read it (consts.h). */
static void case_again(Checker *c, const Node *s)
{
    Cases *k = c->cases;
    long long v;
    if (s->kind == S_DEFAULT) {
        if (k->deflt >= 0)
            case_repeated(c, s->tok, k->deflt);
        k->deflt = s->tok;
        return;
    }
    if (!consts_value(S(c), c->u->toks, s->a, &v))
        return;
    const char *key = mem_printf(c->u->arena, "%lld", v);
    CaseAt *at = names_get(k->values, key, strlen(key));
    if (at)
        case_repeated(c, s->tok, at->tok);
    else
        names_put(k->values, key, strlen(key), at = mem_alloc(c->u->arena, sizeof *at));
    at->tok = s->tok;
}

static void defer_body(Checker *c, Node *s)
{
    int saved = c->defer_id, saved_loops = c->loops_in_defer, saved_pos = c->defer_pos;
    CScope *saved_owner = c->defer_owner;
    c->defer_id = ++c->next_defer_id;
    c->loops_in_defer = 0;
    c->defer_owner = c->scope;
    c->defer_pos = c->susp;
    stmt(c, s->a);
    c->defer_id = saved;
    c->loops_in_defer = saved_loops;
    c->defer_owner = saved_owner;
    c->defer_pos = saved_pos;
    c->scope->cleanups++;
}

static void loop_body(Checker *c, Node *body)
{
    c->loops_in_defer++;
    stmt(c, body);
    c->loops_in_defer--;
}

static void block(Checker *c, Node *s)
{
    push_scope(c, s);
    for (Node *i = s->a; i; i = i->next)
        stmt(c, i);
    pop_scope(c);
}

/* catch (ac_error *e): the parameter's type, as written. */
static int is_error_param(const Checker *c, const Node *p)
{
    int stars = 0;
    for (int i = p->a->first; i <= p->a->last; i++)
        stars += T(c, i)->kind == TK_STAR;
    return p->a->first - 1 == p->first && lex_is(S(c), T(c, p->first), "ac_error") && stars == 1;
}

static void try_stmt(Checker *c, Node *s)
{
    stmt(c, s->a);
    if (!s->b) {
        const Token *next = T(c, s->a->last + 1);
        if (next->kind)
            diag_error(S(c), next->off, next->len, "expected 'catch' before '%.*s'", next->len,
                       S(c)->text + next->off);
        else
            diag_error(S(c), next->off, 1, "expected 'catch' before end of input");
        return;
    }
    push_scope(c, s);
    c->scope->cleanups++; /* the caught error is released on every way out */
    Node *p = s->b;
    if (p->tok < 0) {
        err_at(c, p->first, "'catch' needs a named parameter: catch (ac_error *e)");
    } else if (!is_error_param(c, p)) {
        err_at(c, p->first, "the parameter of 'catch' must be an 'ac_error *'");
    } else {
        Node *specs = ast_node(c->u->arena, S_DECL, p->first);
        specs->last = p->a ? p->a->first - 1 : p->last;
        if (p->a)
            declare(c, p->a, specs);
    }
    stmt(c, s->c);
    pop_scope(c);
}

/* `async with (x ? f() : m)`: the statement releases a manager it made
 * only when every branch makes one (lower_makes_value); one made by a
 * branch beside a variable's would leak. */
static void warn_mixed_manager(Checker *c, const Node *e)
{
    if (e->kind != E_COND || lower_makes_value(e) ||
        (!lower_makes_value(e->b) && !lower_makes_value(e->c)))
        return;
    const Token *t = T(c, e->tok);
    diag_warning(S(c), t->off, t->len,
                 "a manager made by only one branch of this conditional is not released at the "
                 "exit: write two 'async with' statements");
}

/* The manager of `async with` or the iterable of `async for` (`stmt`) is a
 * call of an async function of the wrong kind: a plain async function's
 * call makes a coroutine object, a @contextmanager's a manager, a
 * generator's an iterator.  Said at the callee, rather than by the C
 * compiler about the runtime's ac__cm_put or ac__aiter_put. */
static void wrong_callee_kind(Checker *c, const Node *call, const AsyncFn *f, const char *stmt)
{
    const Token *t = T(c, call->a->tok);
    if (f->is_cm)
        diag_error(S(c), t->off, t->len, "'%s' is a @contextmanager function: enter it with "
                   "'async with', not '%s'", f->name, stmt);
    else if (f->is_generator)
        diag_error(S(c), t->off, t->len, "'%s' is an async generator: iterate it with "
                   "'async for', not '%s'", f->name, stmt);
    else
        diag_error(S(c), t->off, t->len, "'%s' is neither a @contextmanager function nor an "
                   "async generator: its call makes a coroutine object, which '%s' cannot take",
                   f->name, stmt);
}

/* async with (ITEM) BODY: entering is a suspension point before the body,
 * exiting one after it, and the exit is a pending cleanup of the body's
 * scope.  A call of a @contextmanager function as the manager is entered
 * directly (its frame goes on the task's frame stack): s->fn names it. */
static void with_stmt(Checker *c, Node *s)
{
    c->u->uses_cm = 1;
    push_scope(c, s);
    Node *it = s->a;
    Node *d = it->kind == S_DECL ? it->a : NULL;
    Node *e = d ? d->a : it->a;
    while (e->kind == E_PAREN)
        e = e->a;
    warn_mixed_manager(c, e);
    keep_call_literals(c, e); /* the manager holds them until its exit */
    AsyncFn *cm = async_callee(c, e);
    if (cm && cm->is_cm) {
        check_arity(c, e, cm);
        c->awaited_call = e;
        cm->awaited = 1;
        note_use(c, cm);
        s->fn = cm;
        if (d && cm->is_void)
            err_at(c, d->tok, "this @contextmanager function yields no value (its type is void)");
    } else if (cm) {
        wrong_callee_kind(c, e, cm, "async with");
    }
    it->awaits = expr(c, d ? d->a : it->a);
    if (d && it->op & (DS_STATIC | DS_EXTERN | DS_TYPEDEF))
        err_at(c, d->tok, "an 'async with' item cannot be static, extern or a typedef");
    c->susp++;
    c->info->nawaits += 2;
    if (d)
        declare(c, d, it);
    c->scope->cleanups++;
    stmt(c, s->b);
    c->susp++;
    pop_scope(c);
}

/* async for (T v : g(args)) BODY: starting the generator, each next item
 * and closing it are suspension points; the body repeats, like a loop's.
 * s->fn names the generator. */
/* async for (size_t i, T v : aenumerate(X [, START])): iterate X, with
 * START (default 0) on the index's declarator. */
static void aenumerate_form(Checker *c, Node *s)
{
    Node *e = s->c;
    while (e->kind == E_PAREN)
        e = e->a;
    int n = 0;
    for (Node *a = e->kind == E_CALL ? e->b : NULL; a; a = a->next)
        n++;
    if (e->kind != E_CALL || e->a->kind != E_IDENT || !lex_is(S(c), T(c, e->a->tok), "aenumerate") ||
        n < 1 || n > 2) {
        err_at(c, ast_first_tok(s->c), "an 'async for' with two variables needs "
                                       "aenumerate(ITERABLE) or aenumerate(ITERABLE, START)");
        return;
    }
    s->c = e->b;
    s->d->a->a = e->b->next;
    e->b->next = NULL;
}

/* The loop variable d of an async for over generator g of void, which
 * yields no value for d to hold (the loop would read its item slot as d's
 * type).  The loop has no form without a variable: ac_aiter_next takes a
 * NULL item, which such a generator never writes. */
static void void_items_error(Checker *c, const Node *d, const Node *call, const AsyncFn *g)
{
    const Token *v = T(c, d->tok), *at = T(c, call->a->tok);
    diag_error(S(c), v->off, v->len, "async generator '%s' yields no value (its type is void) "
               "for '%.*s' to hold, and 'async for' has no form without a variable",
               g->name, v->len, S(c)->text + v->off);
    diag_note(S(c), at->off, at->len, "loop over it by hand: 'ac_aiter it = %s(...);', then "
              "'while (await ac_aiter_next(&it, NULL))' and 'ac_aiter_free(&it);'", g->name);
}

static void afor_stmt(Checker *c, Node *s)
{
    push_scope(c, s);
    if (s->d)
        aenumerate_form(c, s);
    Node *e = s->c;
    while (e->kind == E_PAREN)
        e = e->a;
    keep_call_literals(c, e); /* the iterator holds them until the loop ends */
    AsyncFn *g = async_callee(c, e);
    if (g && g->is_generator) { /* else an iterator value (ac_aiter) */
        check_arity(c, e, g);
        c->awaited_call = e;
        g->awaited = 1;
        note_use(c, g);
        s->fn = g;
    } else if (g) {
        wrong_callee_kind(c, e, g, "async for");
    }
    Node *d = s->a->a;
    if (s->fn && s->fn->is_void)
        void_items_error(c, d, e, s->fn);
    s->awaits = expr(c, s->c);
    c->u->uses_cm = 1;
    c->susp++;
    c->info->nawaits += 3;
    LoopCtx lc = {0};
    loop_enter(c, &lc);
    if (s->a->op & (DS_STATIC | DS_EXTERN | DS_TYPEDEF))
        err_at(c, d->tok, "the variable of 'async for' cannot be static, extern or a typedef");
    if (s->d) {
        /* START runs after the generator's arguments (lower.c, afor_direct):
           what they read late must outlive its awaits */
        if (expr(c, s->d->a->a) && s->fn)
            lower_late_args(c->u, e->b, s->d->a->a->awaits);
        hoist_sym_type(c->u, declare(c, s->d->a, s->d)); /* its slot is a frame field */
    }
    hoist_sym_type(c->u, declare(c, d, s->a));
    c->scope->cleanups++;
    loop_body(c, s->b);
    c->susp++;
    loop_exit(c);
    pop_scope(c);
}

/* spawn (G) LV = f(args);  or  spawn (G) f(args);  f an async function
 * (a coroutine object is made); no await inside. */
static void spawn_stmt(Checker *c, Node *s)
{
    Node *call = s->b;
    if (call->kind == E_ASSIGN && call->op == TK_ASSIGN)
        call = call->b;
    while (call->kind == E_PAREN)
        call = call->a;
    AsyncFn *f = async_callee(c, call);
    if (!f && call->kind == E_CAST)
        err_at(c, ast_first_tok(call), "'spawn' stores the child's result as it is: no cast "
                                       "(give the variable the function's result type)");
    else if (!f || f->is_cm || f->is_generator)
        err_at(c, ast_first_tok(call), "'spawn' needs a call of an async function (not a "
                                       "@contextmanager or a generator)");
    else if (s->b->kind == E_ASSIGN && f->is_void)
        err_at(c, ast_first_tok(s->b), "this async function returns void: 'spawn' has no "
                                       "result to store");
    else
        check_arity(c, call, f);
    int n = expr(c, s->a) + expr(c, s->b);
    if (n)
        err_at(c, s->tok, "'await' inside 'spawn'");
    keep_call_literals(c, call); /* the child reads them when it runs */
    if (s->b->kind == E_ASSIGN && s->b->op == TK_ASSIGN)
        address_escapes(s->b->a); /* the child task stores its result there, later */
    s->fn = f;
}

/* yield VALUE; in a @contextmanager: a suspension point. */
static void yield_stmt(Checker *c, Node *s)
{
    AsyncFn *f = c->info->fn;
    if (!f->is_cm && !f->is_generator) {
        err_at(c, s->tok, "'yield' outside a @contextmanager function or an async generator");
        return;
    }
    if (c->defer_id)
        err_at(c, s->tok, "'yield' inside a deferred statement");
    else if (s->a && f->is_void)
        err_at(c, s->tok, "'yield' with a value in a function that yields void");
    else if (!s->a && !f->is_void)
        err_at(c, s->tok, "'yield' needs a value: the function yields its declared type");
    s->awaits = expr(c, s->a);
    c->susp++;
    c->nyields++;
    c->info->nawaits++;
}

/* Yields that follow one another on every path: the generator could not
 * stop after the first ("generator didn't stop").  Only plain blocks and
 * `async with` bodies are followed; branches and loops are left to the
 * runtime check. */
static int straight_yields(Checker *c, Node *s, int seen)
{
    for (; s; s = s->next) {
        if (s->kind == S_YIELD) {
            if (seen++)
                err_at(c, s->tok, "a second 'yield' after the first in straight-line code: "
                                  "a @contextmanager yields once");
        } else if (s->kind == S_BLOCK) {
            seen = straight_yields(c, s->a, seen);
        } else if (s->kind == S_WITH) {
            seen = straight_yields(c, s->b->kind == S_BLOCK ? s->b->a : s->b, seen);
        } else if (s->kind == S_LABEL) {
            seen = straight_yields(c, s->b, seen);
        }
    }
    return seen;
}

static void jump_stmt(Checker *c, Node *s)
{
    if (s->kind == S_RETURN && s->a && (c->info->fn->is_cm || c->info->fn->is_generator))
        err_at(c, s->tok, c->info->fn->is_cm ? "'return' with a value in a @contextmanager "
                                               "function (it yields its value)"
                                             : "'return' with a value in an async generator "
                                               "(it yields its values)");
    const AsyncFn *f = c->info->fn;
    if (s->kind == S_RETURN && !f->is_cm && !f->is_generator &&
        (s->a ? f->is_void : !f->is_void))
        /* C11 6.8.6.4p1; acc would drop the value, or leave the result unset */
        err_at(c, s->tok, f->is_void ? "'return' with a value in an async function returning void"
                                     : "'return' without a value in an async function that "
                                       "returns one");
    if (c->defer_id && (s->kind == S_RETURN || ((s->kind == S_BREAK || s->kind == S_CONTINUE) &&
                                                !c->loops_in_defer)))
        err_at(c, s->tok, s->kind == S_RETURN ? "'return' out of a deferred statement"
                          : s->kind == S_BREAK ? "'break' out of a deferred statement"
                                               : "'continue' out of a deferred statement");
    else if ((s->kind == S_BREAK && !c->loops && !c->sw) || (s->kind == S_CONTINUE && !c->loops))
        /* C11 6.8.6.2-3; lowered, it could end up inside a loop of acc's
           (an async with's cleanup chain), or be C's error at a line of
           the generated code */
        err_at(c, s->tok, s->kind == S_BREAK ? "'break' not within a loop or a switch"
                                             : "'continue' not within a loop");
    /* a value returned from a void function is an error above already */
    s->awaits = f->is_void ? expr_discarded(c, s->a) : expr(c, s->a);
    if (s->kind == S_RETURN && s->a)
        returns_local_address(c, s->a);
}

/* `f(x);` or `(void)f(x);` as a statement: the coroutine object of async
 * function f is made and dropped (it leaks): most likely a missing await. */
static void dropped_call(Checker *c, const Node *e)
{
    int cast = void_cast(c, e);
    if (cast)
        e = e->a;
    if (e->kind != E_CALL || !e->fn)
        return;
    const Token *t = T(c, e->a->tok);
    diag_warning(S(c), t->off, t->len,
                 cast ? "coroutine object of '%s' is dropped (a cast to void does not free it); "
                        "did you forget 'await'?"
                      : "coroutine object of '%s' is dropped; did you forget 'await'?",
                 e->fn->name);
}

static void stmt(Checker *c, Node *s)
{
    if (!s)
        return;
    switch (s->kind) {
    case S_BLOCK: block(c, s); break;
    case S_DECL: decl(c, s); break;
    case S_EXPR:
        s->awaits = expr_discarded(c, s->a);
        dropped_call(c, s->a);
        break;
    case S_IF:
        s->awaits = expr(c, s->a);
        stmt(c, s->b);
        stmt(c, s->c);
        break;
    case S_SWITCH: {
        s->awaits = expr(c, s->a);
        Jump *outer = c->sw;
        Cases *outer_cases = c->cases, cases = {names_new(c->u->arena), -1};
        c->sw = context(c, s->tok, 0);
        c->cases = &cases;
        loop_body(c, s->b);
        c->sw = outer;
        c->cases = outer_cases;
        break;
    }
    case S_WHILE: case S_DO: {
        LoopCtx lc = {0};
        loop_enter(c, &lc);
        if (s->kind == S_WHILE)
            s->awaits = expr(c, s->a);
        loop_body(c, s->b);
        if (s->kind == S_DO)
            s->awaits = expr(c, s->a);
        loop_exit(c);
        break;
    }
    case S_FOR: {
        LoopCtx lc = {0};
        push_scope(c, s);
        stmt(c, s->d);
        loop_enter(c, &lc);
        s->awaits = expr(c, s->a) + expr_discarded(c, s->c);
        loop_body(c, s->b);
        loop_exit(c);
        pop_scope(c);
        break;
    }
    case S_CASE: case S_DEFAULT: {
        if (expr(c, s->a)) /* a case label is a constant, never evaluated */
            err_at(c, s->tok, "'await' in a case label");
        if (!c->sw) /* C11 6.8.1p2; the C compiler said it at the wrong column */
            err_at(c, s->tok, s->kind == S_CASE ? "'case' label not within a switch"
                                                : "'default' label not within a switch");
        else if (c->scope->cleanups)
            err_at(c, s->tok, "case label after a deferred statement in the same block");
        else if (c->sw && (c->sw->in_defer != c->defer_id ||
                           !same_cleanups(c->sw, context(c, s->tok, 1))))
            err_at(c, s->tok, "case label inside a scope with pending cleanups (an 'async with', "
                              "an 'async for', or a block after a deferred statement)");
        if (c->sw)
            case_again(c, s);
        stmt(c, s->b);
        break;
    }
    case S_LABEL: {
        Jump *j = context(c, s->tok, 1);
        j->next = c->jumps;
        c->jumps = j;
        stmt(c, s->b);
        break;
    }
    case S_GOTO: {
        Jump *j = context(c, s->first, 0);
        j->next = c->jumps;
        c->jumps = j;
        break;
    }
    case S_RETURN: case S_BREAK: case S_CONTINUE: jump_stmt(c, s); break;
    case S_THROW:
        if (!s->a)
            err_at(c, s->tok, "'throw' needs an expression (re-throw with 'throw e;')");
        s->awaits = expr(c, s->a);
        break;
    case S_STATIC_ASSERT:
        if (expr(c, s->a)) /* a constant expression, never evaluated */
            err_at(c, s->tok, "'await' in a static assertion");
        break;
    case S_TRY: try_stmt(c, s); break;
    case S_DEFER: case S_ERRDEFER: defer_body(c, s); break;
    case S_WITH: with_stmt(c, s); break;
    case S_YIELD: yield_stmt(c, s); break;
    case S_AFOR: afor_stmt(c, s); break;
    case S_SPAWN: spawn_stmt(c, s); break;
    default: break;
    }
}

static void params(Checker *c, AsyncFn *fn)
{
    Node *p = fn->params_list;
    if (p && !p->next && p->tok < 0 && c->u->toks[p->first].kind == TK_VOID && p->first == p->last)
        return; /* (void) */
    for (; p; p = p->next) {
        if (p->op == TK_ELLIPSIS) {
            err_at(c, p->tok, "an async function cannot be variadic");
            continue;
        }
        if (p->tok < 0 || !p->a) {
            err_at(c, p->first, "parameter name omitted in an async function");
            continue;
        }
        Node *specs = ast_node(c->u->arena, S_DECL, p->first);
        specs->last = p->a->first - 1;
        Sym *y = declare(c, p->a, specs);
        y->in_frame = 1;
        y->is_param = 1;
        y->decl_pos = -1;
        cleanup_error(c, y);
        SpecList sl;
        int nm = param_typedef(c->u, y, &sl);
        y->pointer_param = param_suffix(c->u, y) >= 0 || nm >= 0;
        if (nm >= 0)
            y->ptype = typedef_param_text(c->u, &sl, nm, &y->ptype_at);
        if (nm >= 0 && !y->ptype)
            diag_error(S(c), T(c, p->a->tok)->off, T(c, p->a->tok)->len,
                       "acc cannot spell the pointer that parameter '%s' is: its typedef "
                       "defines a struct, union or enum without a tag (give that type a tag)",
                       y->name);
    }
    c->info->params = c->scope->syms;
}

/* The texts of the variables' fields, now that their types are spelled. */
static void field_texts(Unit *u, Scope *s)
{
    for (Field *f = s->fields; f; f = f->next)
        if (!f->text)
            f->text = check_specs_define(u, f->sym->specs) ? shared_field_text(u, f->sym)
                                                            : check_field_text(u, f->sym);
    for (Scope *k = s->kids; k; k = k->next)
        field_texts(u, k);
}

/* The frame pointer is F, unless the unit names an F itself (in a body,
 * or at file scope, where F would shadow it for -Wshadow).  Looked for once
 * per unit: per function, 10,000 functions read the file 10,000 times. */
static const char *frame_pointer(Unit *u)
{
    if (!u->fp) {
        u->fp = "F";
        for (int i = 0; i < u->ntok; i++)
            if (u->toks[i].kind == TK_IDENT && lex_is(u->src, &u->toks[i], "F")) {
                u->fp = "ac_F";
                break;
            }
    }
    return u->fp;
}

/* ---- the end of a function that returns a value ------------------------ */

/* Does s, the body of a loop or a switch, hold a statement of `kind` of
 * its own: a `break` (the loops and switches inside keep theirs), or a
 * `default:` (the switches inside keep theirs, the loops do not)?  No
 * break leaves a deferred statement. */
static int holds_own(const Node *s, NodeKind kind)
{
    if (!s || s->kind == kind)
        return s != NULL;
    switch (s->kind) {
    case S_BLOCK:
        for (const Node *i = s->a; i; i = i->next)
            if (holds_own(i, kind))
                return 1;
        return 0;
    case S_IF:
        return holds_own(s->b, kind) || holds_own(s->c, kind);
    case S_TRY:
        return holds_own(s->a, kind) || holds_own(s->c, kind);
    case S_WHILE: case S_DO: case S_FOR: case S_AFOR:
        return kind == S_DEFAULT && holds_own(s->b, kind);
    case S_LABEL: case S_CASE: case S_DEFAULT: case S_WITH:
        return holds_own(s->b, kind);
    default:
        return 0;
    }
}

/* Is e a condition that is always true (1, true)? */
static int always_true(const Checker *c, const Node *e)
{
    if (!e)
        return 1; /* for (;;) */
    while (e->kind == E_PAREN)
        e = e->a;
    const Token *t = T(c, e->tok);
    return (e->kind == E_CONST && t->kind == TK_NUMBER && strspn(S(c)->text + t->off, "0") == 0) ||
           (e->kind == E_IDENT && lex_is(S(c), t, "true"));
}

/* Is the statement s a call of a function that does not return? */
static int noreturn_call(const Checker *c, const Node *s)
{
    static const char *const names[] = {"abort", "exit", "_Exit", "quick_exit", "longjmp",
                                        "siglongjmp", "thrd_exit", "pthread_exit",
                                        "__builtin_unreachable", "__builtin_trap", "err", "errx"};
    const Node *e = s->a;
    if (!e || e->kind != E_CALL || e->a->kind != E_IDENT)
        return 0;
    if (lex_is(S(c), T(c, e->a->tok), "assert")) { /* assert(0), assert(false) */
        const Node *a = e->b;
        return a && !a->next &&
               ((a->kind == E_CONST && lex_is(S(c), T(c, a->tok), "0")) ||
                (a->kind == E_IDENT && lex_is(S(c), T(c, a->tok), "false")));
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (lex_is(S(c), T(c, e->a->tok), names[i]))
            return 1;
    return 0;
}

/* May control reach the end of statement s?  As gcc's -Wreturn-type sees
 * it, and on the side of silence where acc cannot tell: a block with
 * preprocessor lines (conditionals may hold the returns), an `async with`
 * whose manager might suppress an error (taken as its body). */
static int falls_through(const Checker *c, const Node *s)
{
    if (!s)
        return 1;
    switch (s->kind) {
    case S_RETURN: case S_THROW: case S_GOTO: case S_BREAK: case S_CONTINUE:
        return 0;
    case S_BLOCK: {
        int reach = 1;
        for (const Node *i = s->a; i; i = i->next) {
            if (i->kind == S_PP)
                return 0;
            if (i->kind == S_LABEL || i->kind == S_CASE || i->kind == S_DEFAULT)
                reach = 1; /* a jump may land there */
            if (reach)
                reach = falls_through(c, i);
        }
        return reach;
    }
    case S_IF:
        return !s->c || falls_through(c, s->b) || falls_through(c, s->c);
    case S_WHILE: case S_FOR: case S_DO:
        return !always_true(c, s->a) || holds_own(s->b, S_BREAK);
    case S_SWITCH:
        return !holds_own(s->b, S_DEFAULT) || holds_own(s->b, S_BREAK) || falls_through(c, s->b);
    case S_LABEL: case S_CASE: case S_DEFAULT: case S_WITH:
        return falls_through(c, s->b);
    case S_TRY:
        return falls_through(c, s->a) || (s->c && falls_through(c, s->c));
    case S_EXPR:
        return !noreturn_call(c, s);
    default:
        return 1;
    }
}

/* An async function that returns a value, and whose end control may
 * reach: its caller reads a result never set (the generated resume
 * function returns on every path, so the C compiler cannot see it). */
static void check_end(Checker *c, const AsyncFn *fn)
{
    if (fn->is_void || fn->is_cm || fn->is_generator || !falls_through(c, fn->body))
        return;
    const Token *t = T(c, fn->body->last);
    diag_warning(S(c), t->off, t->len, "control reaches the end of async function '%s', which "
                 "returns '%s', without a return", fn->name, fn->ret);
}

FnInfo *check_fn(Unit *u, AsyncFn *fn)
{
    int errs = diag_count();
    Checker c = {0};
    c.u = u;
    /* A chain of 150,000 `+ 1` is one tree that deep: the walks below
       recurse, so it stops here, before any of them. */
    const Node *deep = ast_too_deep(u->arena, fn->body, CHECK_MAX_DEPTH);
    if (deep) {
        err_at(&c, deep->tok, ast_kind_name(deep->kind)[0] == 'E' ? "expression too deeply nested"
                                                                  : "statements too deeply nested");
        return NULL;
    }
    c.info = mem_alloc(u->arena, sizeof *c.info);
    c.info->fn = fn;
    c.fields = names_new(u->arena);
    unique_name(&c, "hdr"); /* the frame header's member name */
    for (int i = fn->first; i <= fn->last; i++)
        c.has_goto |= u->toks[i].kind == TK_GOTO;
    push_scope(&c, NULL); /* parameters */
    c.params = c.scope;
    params(&c, fn);
    /* the parameter scope's syms are the params; keep them out of pop_scope */
    CScope *pscope = c.scope;
    stmt(&c, fn->body);
    c.scope = pscope;
    if (fn->is_generator)
        u->uses_cm = 1;
    if (c.susp) /* every definition acc sees counts (see below) */
        fn->canon->suspends = 1;
    if (fn->is_generator && !fn->is_cm) {
        /* every definition acc sees counts: under #if/#else the C compiler
           may keep a different one than the last */
        if (c.susp != c.nyields)
            fn->canon->suspends_more = 1;
        fn->canon->yields_only = !fn->canon->suspends_more;
    }
    if (fn->is_cm) {
        u->uses_cm = 1;
        straight_yields(&c, fn->body->a, 0);
        if (!ast_has_stmt(fn->body, S_YIELD))
            diag_warning(S(&c), T(&c, fn->name_tok)->off, T(&c, fn->name_tok)->len,
                         "@contextmanager function '%s' never yields: entering it always "
                         "fails (\"generator didn't yield\")", fn->name);
    }
    check_jumps(&c);
    if (diag_count() == errs)
        check_end(&c, fn);
    hoist_finish(u, fn);
    field_texts(u, c.info->root);
    c.info->fp = frame_pointer(u);
    return diag_count() > errs ? NULL : c.info;
}
