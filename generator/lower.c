/* lower.c: lowering of async functions to C state machines (see lower.h). */
#include "lower.h"

#include <stdio.h>
#include <string.h>

#include "graph.h"
#include "hoist.h"
#include "names.h"
#include "parse.h"

/* A scope of the lowering: where errors go, which cleanups are registered,
 * where break and continue lead. */
enum { L_FN, L_BLOCK, L_TRY, L_CLEANUP, L_LOOP, L_SWITCH };

typedef struct LScope {
    struct LScope *up;
    int kind;
    int id;               /* label base */
    Node *cleanups[64];   /* S_DEFER, S_ERRDEFER, or S_TRY (release of a caught error) */
    const char **conds[64]; /* a defer's: the conditionals open where it
                             stands (NULL-terminated; NULL if none) */
    int n;
    const char *target;   /* L_TRY: handler; L_CLEANUP: where its errors go */
    const char *handled;  /* error being handled inside this scope (C expression) */
    const char *cont;     /* L_LOOP: label for continue, NULL for plain `continue;` */
    Sym *catch_sym;       /* a catch's scope: its parameter */
    unsigned codes;       /* K_* exits that enter its cleanups */
    int line;             /* .ac line where it opens */
    Scope *frame;         /* frame storage for temporaries */
    const char *mgr;      /* an `async with` scope: its manager slot (an ac_cm,
                             or the frame of a @contextmanager entered directly) */
    int gen;              /* ... the latter; an `async for` scope: over a
                             generator started directly (else an ac_aiter) */
    int owns;             /* an `async for` over an iterator it must free */
    const char *mgr2;     /* an `async for` over aenumerate: the index slot */
    /* the state graph (graph.h): */
    Preds chain;          /* flow into its cleanup chain, or a try's handler */
    Preds brk;            /* L_LOOP, L_SWITCH: flow out of it by `break` */
    Preds entry;          /* L_SWITCH: flow into its case labels */
    int head;             /* L_LOOP: its head (a virtual node) */
} LScope;

typedef struct Label {
    int refs;
    int node;             /* a user label's node in the state graph, or 0 */
} Label;

typedef struct L {
    Unit *u;
    FnInfo *fi;
    Emit *e;
    Arena *a;
    LScope *s;
    int nstates;
    int nids;
    int ntemps;
    int xdepth, xmax;     /* nesting of error-mode cleanups: stash slots ac_x0.. */
    int handles;          /* ac__handle was emitted: the frame needs its slot */
    const char *pp[UNIT_PP_KEPT];   /* the preprocessor conditionals open here, each
                             as the directives from its #if to the branch
                             lowered now */
    int npp;              /* how many (those past UNIT_PP_KEPT are counted, not kept) */
    const char **st_pp;   /* per state: the directives that reach it */
    int *st_npp;          /* per state: how many conditionals they open */
    int st_cap;
    const Node *before;   /* the statement lowered last: what a case label
                             follows (fallthrough_mark) */
    Names *labels;        /* name -> Label; a function has one per
                             cleanup and resume point */
    Buf slots;            /* hidden frame fields */
    int dead;             /* the last thing emitted was an unconditional jump */
    const char *fp;       /* "F" */
    const char *ret_fn;   /* what finishes the frame: ac__frame_return, or
                             ac__gencm_return for a @contextmanager */
    Graph *g;             /* the state graph (acc --dot) */
    Preds preds;          /* where control can come from, in that graph */
    Names *late;          /* the tokens warn_late warned at (their index in
                             decimal), or NULL */
    int line_at;          /* px keeps the source's line breaks: the .ac line
                             its output has reached (0: it does not) */
} L;

static const Token *T(const L *l, int i) { return &l->u->toks[i]; }

/* Follow the conditionals of a preprocessor line of the body: a resume
 * point inside one exists only when its branch is compiled, so the case of
 * the resume switch that jumps to it is put under the same directives. */
static void pp_track(L *l, const Token *t)
{
    unit_pp_follow(l->u->src, l->a, l->pp, &l->npp, t);
}

/* A new resume point: its number, with the conditionals it is under. */
static int new_state(L *l)
{
    int st = ++l->nstates;
    if (st >= l->st_cap) {
        int cap = l->st_cap ? 2 * l->st_cap : 16;
        const char **pp = mem_alloc(l->a, (size_t)cap * sizeof *pp);
        int *npp = mem_alloc(l->a, (size_t)cap * sizeof *npp);
        for (int i = 0; i < l->st_cap; i++)
            pp[i] = l->st_pp[i], npp[i] = l->st_npp[i];
        l->st_pp = pp, l->st_npp = npp, l->st_cap = cap;
    }
    int n = l->npp < UNIT_PP_KEPT ? l->npp : UNIT_PP_KEPT;
    const char *open = "";
    for (int i = 0; i < n; i++)
        open = mem_printf(l->a, "%s%s", open, l->pp[i]);
    l->st_pp[st] = open;
    l->st_npp[st] = n;
    return st;
}

/* Frame F handles error x from here on (ac/frame.h): the frame gets the
 * slot that ac__handle writes. */
static void handle_line(L *l, const char *pad, const char *F, const char *x)
{
    emit_line(l->e, "%sac__handle(&%s->hdr, %s);", pad, F, x);
    l->handles = 1;
}

/* Tokens as the generated C spells them (a type moved to file scope has
 * its name there: hoist.h). */
static const char *tok_str(const L *l, int i)
{
    Buf b = {0};
    hoist_put(l->u, &b, i);
    const char *r = mem_strndup(l->a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

static const char *range_str(const L *l, int first, int last)
{
    return hoist_text(l->u, first, last);
}

/* A declarator as written, with the GNU attributes after it (D_VAR.op). */
static const char *declarator_str(const L *l, const Node *d)
{
    return range_str(l, d->first, d->op ? d->op : d->last);
}

/* ---- labels: emitted only when something jumps to them ---------------- */

static Label *label_get(L *l, const char *name)
{
    if (!l->labels)
        l->labels = names_new(l->a);
    Label *b = names_get(l->labels, name, strlen(name));
    if (!b) {
        b = mem_alloc(l->a, sizeof *b);
        names_put(l->labels, name, strlen(name), b);
    }
    return b;
}

static const char *ref(L *l, const char *name)
{
    label_get(l, name)->refs++;
    return name;
}

static int referenced(L *l, const char *name)
{
    return label_get(l, name)->refs > 0;
}

static void put_label(L *l, const char *name)
{
    if (referenced(l, name)) {
        emit_label(l->e, "%s:;", name);
        l->dead = 0;
    }
}

/* An unconditional jump: what follows is unreachable until a label. */
static void jump_to(L *l, const char *fmt, const char *target)
{
    emit_line(l->e, fmt, target);
    l->dead = 1;
}

/* ---- scopes ------------------------------------------------------------ */

/* Is the statement being lowered inside a switch of the source (a label
 * there must not be reached by falling into it: gcc's
 * -Wimplicit-fallthrough would take it for a case's)? */
static int in_switch(const L *l)
{
    for (const LScope *s = l->s; s; s = s->up)
        if (s->kind == L_SWITCH)
            return 1;
    return 0;
}

static LScope *push(L *l, int kind)
{
    LScope *s = mem_alloc(l->a, sizeof *s);
    s->line = l->e->want;
    s->up = l->s;
    s->kind = kind;
    s->id = ++l->nids;
    s->handled = l->s ? l->s->handled : "NULL";
    s->frame = l->s ? l->s->frame : l->fi->root;
    l->s = s;
    return s;
}

static void pop(L *l)
{
    l->s = l->s->up;
}

static const char *chain_label(L *l, LScope *s, int k)
{
    return mem_printf(l->a, "ac_u%d_%d", s->id, k);
}

/* Where an error raised now must go: the newest registered cleanup of the
 * innermost scope that has one, a try's handler, or the function's exit.
 * Only names the label; `ref` marks it used when a jump is emitted. */
static const char *target_name(L *l, LScope *s)
{
    for (; s; s = s->up) {
        if (s->kind == L_CLEANUP || s->kind == L_TRY)
            return s->target;
        if (s->n)
            return chain_label(l, s, s->n);
        if (s->kind == L_FN)
            return "ac_fail";
    }
    return "ac_fail";
}

static const char *target_from(L *l, LScope *s)
{
    return ref(l, target_name(l, s));
}

static const char *err_target(L *l)
{
    return target_from(l, l->s);
}

/* ---- the state graph: the flow between resume points (graph.h) --------- */

/* The scope whose chain or handler an error raised in s goes to; NULL: the
 * function's end (as target_name). */
static LScope *err_scope(LScope *s)
{
    for (; s; s = s->up) {
        if (s->kind == L_CLEANUP || s->kind == L_TRY || s->n)
            return s;
        if (s->kind == L_FN)
            return NULL;
    }
    return NULL;
}

/* Flow p goes where an error raised in scope s goes. */
static void flow_error(L *l, LScope *s, const Preds *p)
{
    LScope *t = err_scope(s);
    if (t)
        preds_union(l->g, &t->chain, p);
    else
        graph_edges(l->g, p, GRAPH_END);
}

/* A new resume point: control flows to it, and from it, on an error, to the
 * error's target. */
static void flow_state(L *l, int st, int line, const char *what)
{
    graph_state(l->g, st, line, what);
    graph_flow(l->g, &l->preds, st);
    flow_error(l, l->s, &l->preds);
}

/* After an unconditional jump nothing flows on. */
static void flow_stop(L *l)
{
    l->preds.n = 0;
}

/* Flow into the code after a conditional part: what skipped it too. */
static void flow_join(L *l, const Preds *skipped)
{
    preds_union(l->g, &l->preds, skipped);
}

static int label_node(L *l, const char *name)
{
    Label *b = label_get(l, name);
    if (!b->node)
        b->node = graph_virtual(l->g);
    return b->node;
}

/* ---- expressions without awaits ---------------------------------------- */

static void px(L *l, const Node *e, Buf *b, int raw);
static const char *literal_in_frame(L *l, const Node *e, const char *init);

static void px_list(L *l, const Node *n, Buf *b, int raw)
{
    for (; n; n = n->next) {
        px(l, n, b, raw);
        if (n->next)
            buf_puts(b, ", ");
    }
}

static void px_var(L *l, const Node *e, Buf *b, int raw)
{
    Sym *y = e->sym;
    if (y && y->in_frame && !raw)
        buf_printf(b, "%s->%s", l->fp, y->cname);
    else if (!y && !raw && lex_is(l->u->src, T(l, e->tok), "__func__"))
        buf_printf(b, "\"%s\"", l->fi->fn->name); /* not the resume function's */
    else
        buf_puts(b, tok_str(l, e->tok));
}

/* Before a token of .ac line `line`, printed while the source's line
 * breaks are kept: the newlines that bring the output to that line. */
static void px_line(L *l, int line, Buf *b, int raw)
{
    if (!l->line_at || raw || line <= l->line_at)
        return;
    while (b->len && b->p[b->len - 1] == ' ')
        b->len--;
    for (; l->line_at < line; l->line_at++)
        buf_puts(b, "\n");
    for (int i = 0; i <= l->e->indent; i++)
        buf_puts(b, "    ");
}

/* Keep the line breaks of an expression that no await rewrites in the C
 * line emitted next, which emit_stmt maps to the statement's first line:
 * a later line of a statement that spans several is then that line for
 * the C compiler's messages, a debugger and __LINE__.  Off again with
 * lines_off, once the line is emitted. */
static void lines_on(L *l, int awaits)
{
    l->line_at = awaits ? 0 : l->e->want;
}

static void lines_off(L *l)
{
    l->line_at = 0;
}

/* Print expression e as C; `raw` prints source names (for comments). */
static void px(L *l, const Node *e, Buf *b, int raw)
{
    switch (e->kind) {
    case E_IDENT: px_line(l, T(l, e->tok)->line, b, raw); px_var(l, e, b, raw); break;
    case E_CONST: px_line(l, T(l, e->tok)->line, b, raw); buf_puts(b, tok_str(l, e->tok)); break;
    case E_STRING:
        px_line(l, T(l, e->first)->line, b, raw);
        buf_puts(b, range_str(l, e->first, e->last));
        break;
    case E_PAREN: buf_puts(b, "("); px(l, e->a, b, raw); buf_puts(b, ")"); break;
    case E_CALL:
        px(l, e->a, b, raw);
        buf_puts(b, "(");
        px_list(l, e->b, b, raw);
        buf_puts(b, ")");
        break;
    case E_INDEX: px(l, e->a, b, raw); buf_puts(b, "["); px(l, e->b, b, raw); buf_puts(b, "]"); break;
    case E_MEMBER:
        px(l, e->a, b, raw);
        buf_puts(b, e->op == TK_DOT ? "." : "->");
        buf_puts(b, tok_str(l, e->tok));
        break;
    case E_POST: px(l, e->a, b, raw); buf_puts(b, tok_str(l, e->tok)); break;
    case E_PRE: {
        const char *op = tok_str(l, e->tok);
        buf_puts(b, op);
        if (e->a->kind == E_PRE && (size_t)T(l, e->a->tok)->off < l->u->src->len &&
            l->u->src->text[T(l, e->a->tok)->off] == op[0])
            buf_puts(b, " "); /* - -x, not --x */
        px(l, e->a, b, raw);
        break;
    }
    case E_SIZEOF: buf_puts(b, "sizeof "); px(l, e->a, b, raw); break;
    case E_SIZEOF_T:
        buf_printf(b, "%s(%s)", e->op == TK_SIZEOF ? "sizeof" : "_Alignof",
                   range_str(l, e->first, e->last));
        break;
    case E_TYPEARG: buf_puts(b, range_str(l, e->first, e->last)); break;
    case E_CAST: buf_printf(b, "(%s)", range_str(l, e->first, e->last)); px(l, e->a, b, raw); break;
    case E_COMPLIT:
        if (e->op == COMPLIT_IN_FRAME && !raw) {
            Buf init = {0};
            px(l, e->a, &init, 0);
            buf_puts(b, literal_in_frame(l, e, mem_strndup(l->a, init.p ? init.p : "", init.len)));
            buf_free(&init);
            break;
        }
        buf_printf(b, "(%s)", range_str(l, e->first, e->last));
        px(l, e->a, b, raw);
        break;
    case E_BINARY: case E_ASSIGN:
        px(l, e->a, b, raw);
        buf_printf(b, " %s ", tok_str(l, e->tok));
        px(l, e->b, b, raw);
        break;
    case E_COND:
        px(l, e->a, b, raw); buf_puts(b, " ? "); px(l, e->b, b, raw);
        buf_puts(b, " : "); px(l, e->c, b, raw);
        break;
    case E_COMMA: px(l, e->a, b, raw); buf_puts(b, ", "); px(l, e->b, b, raw); break;
    case E_AWAIT: buf_puts(b, "await "); px(l, e->a, b, raw); break;
    case E_INITLIST: buf_puts(b, "{"); px_list(l, e->a, b, raw); buf_puts(b, "}"); break;
    case E_DESIG: buf_printf(b, "%s = ", range_str(l, e->first, e->last)); px(l, e->a, b, raw); break;
    case E_GENERIC:
        buf_puts(b, "_Generic(");
        px(l, e->a, b, raw);
        buf_puts(b, ", ");
        px_list(l, e->b, b, raw);
        buf_puts(b, ")");
        break;
    case E_ASSOC: buf_printf(b, "%s: ", range_str(l, e->first, e->last)); px(l, e->a, b, raw); break;
    default: die_internal();
    }
}

static const char *pstr(L *l, const Node *e, int raw)
{
    Buf b = {0};
    px(l, e, &b, raw);
    const char *r = mem_strndup(l->a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

/* Source text for a comment: no comment terminator inside. */
static const char *comment_text(L *l, const Node *e)
{
    char *s = mem_strdup(l->a, pstr(l, e, 1));
    for (char *p = s; (p = strstr(p, "*/")); )
        p[1] = ' ';
    if (strlen(s) > 60)
        strcpy(s + 57, "...");
    return s;
}

/* ---- temporaries -------------------------------------------------------- */

/* A frame temporary declared `before name after` (after: an array
 * suffix, or ""). */
static const char *temp_decl(L *l, const char *before, const char *after)
{
    const char *name = mem_printf(l->a, "ac_t%d", ++l->ntemps);
    Field *f = mem_alloc(l->a, sizeof *f);
    f->text = mem_printf(l->a, "%s %s%s", before, name, after);
    *l->s->frame->fields_tail = f;
    l->s->frame->fields_tail = &f->next;
    return mem_printf(l->a, "%s->%s", l->fp, name);
}

static const char *temp(L *l, const char *type)
{
    return temp_decl(l, type, "");
}

/* Is the type name of literal e a character array that its one string
 * initialises ((char[]){"hi"}: not one item but the string's length)? */
static int string_array(L *l, const Node *e)
{
    const Node *item = e->a->a;
    if (!item || item->next || item->kind != E_STRING)
        return 0;
    for (int i = e->first; i <= e->last; i++)
        if (T(l, i)->kind == TK_CHAR || lex_is(l->u->src, T(l, i), "wchar_t") ||
            lex_is(l->u->src, T(l, i), "char16_t") || lex_is(l->u->src, T(l, i), "char32_t"))
            return 1;
    return 0;
}

/* A compound literal that must outlive a suspension (COMPLIT_IN_FRAME): a
 * frame temporary of its type (without qualifiers, so that it can be
 * filled; an unsized array gets its initialiser's length), filled from the
 * literal where the literal stands, so that it is evaluated when and only
 * when the literal would be (a branch of ?:, sizeof).  Returns the
 * expression that designates the temporary. */
static const char *literal_in_frame(L *l, const Node *e, const char *init)
{
    Buf before = {0}, after = {0};
    for (int i = e->first; i <= e->last; i++) {
        const Token *t = T(l, i);
        if (t->kind == TK_CONST || t->kind == TK_VOLATILE)
            continue;
        if (hoist_skip(l->u, i) >= 0) { /* a body now defined at file scope */
            i = hoist_skip(l->u, i);
            continue;
        }
        Buf *b = after.len || t->kind == TK_LB ? &after : &before;
        if (b == &before && before.len)
            buf_puts(b, " ");
        hoist_put(l->u, b, i);
        if (t->kind != TK_LB || i + 1 > e->last || T(l, i + 1)->kind != TK_RB)
            continue;
        if (string_array(l, e)) {
            const char *s = range_str(l, e->a->a->first, e->a->a->last);
            buf_printf(b, "sizeof(%s) / sizeof(%s)[0]", s, s);
        } else {
            buf_printf(b, "%d", check_init_count(e->a));
        }
    }
    const char *v = temp_decl(l, before.p ? before.p : "int", after.p ? after.p : "");
    buf_free(&before);
    buf_free(&after);
    return mem_printf(l->a, "(*(memcpy((void *)&%s, (const void *)&(%s)%s, sizeof %s), &%s))", v,
                      range_str(l, e->first, e->last), init, v, v);
}

/* The C type of a frame variable read as a value, when acc can tell. */
static const char *var_type(L *l, const Sym *y)
{
    const Node *d = y->decl;
    if (y->pointer_param)
        return NULL; /* `int (*)` is no type for a temporary's declaration */
    for (int i = d->first; i <= d->last; i++)
        if (T(l, i)->kind == TK_LB || T(l, i)->kind == TK_LP)
            return NULL; /* arrays and functions: leave them */
    return check_type_name(l->u, y);
}

/* An array variable: its name is an address that no await changes. */
static int is_array(const L *l, const Sym *y)
{
    return check_is_array(l->u, y);
}

/* ---- expressions with awaits -------------------------------------------- */

static const char *lx(L *l, Node *e);

static const char *await_call(L *l, Node *e);

static int place_stable(const L *l, const Node *e);

/* The variable e names, under parentheses; NULL if e is not a local. */
static const Sym *local_var(const Node *e)
{
    while (e->kind == E_PAREN)
        e = e->a;
    return e->kind == E_IDENT ? e->sym : NULL;
}

/* Is local y an array of arrays (`int m[2][3]`), whose elements are
 * arrays: addresses, not values? */
static int array_rows(const L *l, const Sym *y)
{
    int brackets = 0;
    for (int i = y->decl->first; i <= y->decl->last; i++) {
        if (T(l, i)->kind == TK_LP)
            return 0;
        brackets += T(l, i)->kind == TK_LB;
    }
    return brackets > 1 && !y->is_param;
}

/* Does e read nothing that an await could change and change nothing?
 * Memory that e reads through an address (a[i], *p, p->m) is never
 * stable: the await may write it, whatever names the address. */
static int is_stable(const L *l, const Node *e)
{
    if (!e)
        return 1;
    switch (e->kind) {
    case E_CALL: case E_ASSIGN: case E_POST: case E_AWAIT:
        return 0;
    case E_INDEX: /* a row of a local array of arrays is an address */
        return local_var(e->a) && array_rows(l, local_var(e->a)) && is_stable(l, e->b);
    case E_IDENT: /* globals and enumerators are read late */
        return e->sym == NULL || is_array(l, e->sym);
    case E_MEMBER:
        if (e->op == TK_ARROW)
            return 0;
        break;
    case E_PRE:
        if (e->op == TK_INC || e->op == TK_DEC || e->op == TK_STAR)
            return 0;
        if (e->op == TK_AMP)
            return place_stable(l, e->a);
        break;
    case E_SIZEOF: case E_SIZEOF_T: case E_TYPEARG:
        return 1;
    default:
        break;
    }
    for (const Node *k = e->kind == E_CALL ? NULL : e->a; k; k = k->next)
        if (!is_stable(l, k))
            return 0;
    return is_stable(l, e->b) && is_stable(l, e->c);
}

/* Is the address of place e one that no await changes?  A variable's
 * address is fixed (a frame field does not move); an element's or a
 * member's is, when the index and the pointer are. */
static int place_stable(const L *l, const Node *e)
{
    switch (e->kind) {
    case E_IDENT: return 1;
    case E_PAREN: return place_stable(l, e->a);
    case E_INDEX: return is_stable(l, e->a) && is_stable(l, e->b);
    case E_MEMBER: return e->op == TK_ARROW ? is_stable(l, e->a) : place_stable(l, e->a);
    case E_PRE:
        if (e->op == TK_STAR)
            return is_stable(l, e->a);
        break;
    default:
        break;
    }
    return is_stable(l, e);
}

/* Is word w (of length n) a type qualifier? */
static int is_qualifier(const char *w, size_t n)
{
    static const char *const q[] = {"const", "volatile", "restrict", "_Atomic"};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (strlen(q[i]) == n && !memcmp(q[i], w, n))
            return 1;
    return 0;
}

/* Type name s without its qualifiers of the top level (the trailing ones
 * after the last `*`; all of them when there is no `*`): a temporary of
 * the result can be assigned.  `_Atomic ( T )` alone is T, as its value
 * is (lvalue conversion drops the atomic). */
static const char *unqualified(L *l, const char *s)
{
    Buf b = {0};
    size_t sn = strlen(s);
    if (!strncmp(s, "_Atomic (", 9) && sn > 11 && !strcmp(s + sn - 2, " )") &&
        !memchr(s + 9, ')', sn - 11))
        return unqualified(l, mem_strndup(l->a, s + 10, sn - 12));
    int star = strchr(s, '*') != NULL;
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, " *");
        int tail = !strchr(p + n, '*');
        if (n && is_qualifier(p, n) && (!star || tail) && strncmp(p + n, " (", 2) != 0) {
            p += n + strspn(p + n, " ");
            continue;
        }
        buf_printf(&b, "%.*s", (int)(n ? n : 1), p);
        p += n ? n : 1;
    }
    while (b.len && b.p[b.len - 1] == ' ')
        b.len--;
    const char *r = mem_strndup(l->a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

/* The type of what local y's value designates (`y[i]`, `*y`): an element
 * of an array declared with one `[]`, the pointee of a pointer declared
 * with a `*`; NULL when the declaration does not say it plainly (a
 * typedef, a pointer to a function or to an array, an array parameter,
 * a type whose values cannot be assigned). */
static const char *target_type(L *l, const Sym *y)
{
    const Node *d = y->decl;
    int brackets = 0, stars = 0;
    for (int i = d->first; i <= d->last; i++) {
        if (T(l, i)->kind == TK_LP)
            return NULL;
        brackets += T(l, i)->kind == TK_LB;
        stars += T(l, i)->kind == TK_STAR;
    }
    if (brackets > 1 || (brackets && y->is_param) || (!brackets && !stars) ||
        check_specs_need_copy(l->u, y))
        return NULL;
    char *s = mem_strdup(l->a, check_type_name(l->u, y));
    char *cut = strrchr(s, brackets ? '[' : '*');
    if (!cut || (!brackets && strchr(cut, '[')))
        return NULL;
    *cut = 0;
    const char *r = unqualified(l, s);
    return *r && strcmp(r, "void") != 0 ? r : NULL;
}

/* Is t an integer type of int's rank or above, spelled as the standard
 * spells it (a typedef of the user's may be narrower)?  Arithmetic on it
 * promotes nothing: int and t give t, t and t give t. */
static int wide_int(const char *t)
{
    static const char *const w[] = {
        "int", "unsigned", "unsigned int", "long", "long int", "unsigned long",
        "unsigned long int", "long long", "long long int", "unsigned long long",
        "unsigned long long int", "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t",
        "intmax_t", "uintmax_t", "int32_t", "uint32_t", "int64_t", "uint64_t"};
    for (size_t i = 0; t && i < sizeof w / sizeof w[0]; i++)
        if (!strcmp(t, w[i]))
            return 1;
    return 0;
}

/* An int constant: a character literal, or a decimal without a suffix
 * small enough for any int. */
static int int_const(L *l, const Node *e)
{
    const Token *t = T(l, e->tok);
    const char *p = l->u->src->text + t->off;
    if (*p == '\'')
        return 1;
    if (t->len > 4)
        return 0;
    for (int i = 0; i < t->len; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

static const char *infer_type(L *l, const Node *e);

/* The type of arithmetic a op b, when the usual conversions leave one of
 * wide_int's types: the same on both sides, or one side an int. */
static const char *arith_type(L *l, const Node *e)
{
    const char *a = infer_type(l, e->a);
    if (e->op == TK_SHL || e->op == TK_SHR) /* the promoted left operand's */
        return wide_int(a) ? a : NULL;
    const char *b = infer_type(l, e->b);
    if (!wide_int(a) || !wide_int(b))
        return NULL;
    return !strcmp(a, b) || !strcmp(b, "int") ? a : !strcmp(a, "int") ? b : NULL;
}

/* The C type of e's value, when acc can see it; NULL otherwise. */
static const char *infer_type(L *l, const Node *e)
{
    switch (e->kind) {
    case E_CONST:
        return int_const(l, e) ? "int" : NULL;
    case E_COND: { /* both branches of one type */
        const char *b = infer_type(l, e->b), *c = b ? infer_type(l, e->c) : NULL;
        return c && !strcmp(b, c) ? b : NULL;
    }
    case E_IDENT:
        return e->sym ? var_type(l, e->sym) : NULL;
    case E_PAREN:
        return infer_type(l, e->a);
    case E_CAST:
        return range_str(l, e->first, e->last);
    case E_STRING:
        return "const char *";
    case E_AWAIT: /* its callee's result type, as language.md says */
        return e->fn && !e->fn->is_void ? e->fn->ret : NULL;
    case E_CALL: {
        if (e->a->kind != E_IDENT || e->a->sym)
            return NULL;
        const Token *t = T(l, e->a->tok);
        const PlainFn *f = unit_find_plain(l->u, l->u->src->text + t->off, (size_t)t->len);
        return f && strcmp(f->ret, "void") != 0 ? f->ret : NULL;
    }
    case E_BINARY:
        switch (e->op) {
        case TK_LT: case TK_GT: case TK_LE: case TK_GE: case TK_EQ: case TK_NE:
        case TK_ANDAND: case TK_OROR:
            return "int";
        case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_PERCENT:
        case TK_AMP: case TK_OR: case TK_XOR: case TK_SHL: case TK_SHR:
            return arith_type(l, e);
        }
        return NULL;
    case E_INDEX: /* a[i] of a local array or pointer */
        return local_var(e->a) ? target_type(l, local_var(e->a)) : NULL;
    case E_PRE:
        if (e->op == TK_NOT)
            return "int";
        if (e->op == TK_MINUS || e->op == TK_PLUS || e->op == TK_TILDE) {
            const char *t = infer_type(l, e->a);
            return wide_int(t) ? t : NULL;
        }
        if (e->op == TK_STAR)
            return local_var(e->a) ? target_type(l, local_var(e->a)) : NULL;
        if (e->op == TK_INC || e->op == TK_DEC)
            return infer_type(l, e->a);
        return NULL;
    case E_POST: case E_ASSIGN: /* the value of the place */
        return infer_type(l, e->a);
    default:
        return NULL;
    }
}

/* Was warn_late said at the token tok? */
static int warned_at(L *l, int tok, char key[16], size_t *len)
{
    *len = (size_t)snprintf(key, 16, "%d", tok);
    return l->late && names_get(l->late, key, *len) != NULL;
}

/* The documented fallback: e is evaluated where its text is used, after
 * the awaits to its right.  Said once per operand: the parts of a postfix
 * operand start where it starts (n.next is read late, then n.next->v),
 * and each may be read late; so may those of a parenthesised or prefixed
 * one ((*row)[2] reads row, then *row, then the element), which start
 * further right: a part already warned at stands for the whole. */
static void warn_late(L *l, const Node *e)
{
    int tok = ast_first_tok(e);
    char key[16];
    size_t len;
    for (const Node *k = e; k; k = k->kind == E_PAREN || k->kind == E_PRE || k->kind == E_INDEX ||
                                        k->kind == E_MEMBER ? k->a : NULL)
        if (warned_at(l, ast_first_tok(k), key, &len))
            return;
    len = (size_t)snprintf(key, sizeof key, "%d", tok);
    if (!l->late)
        l->late = names_new(l->a);
    names_put(l->late, mem_strndup(l->a, key, len), len, (void *)e);
    diag_warning(l->u->src, T(l, tok)->off, T(l, tok)->len,
                 "acc cannot see the type of this operand, so it is evaluated after the "
                 "'await' to its right; assign it to a variable first to keep the order");
}

/* Is lx(e)'s text a temporary that holds e's value (an await's result; a
 * &&, || or ?: that lx_logical or lx_cond computed)?  It keeps. */
static int lowers_to_temp(const Node *e)
{
    while (e->kind == E_PAREN)
        e = e->a;
    if (!e->awaits)
        return 0;
    return e->kind == E_AWAIT || (e->kind == E_COND && (e->b->awaits || e->c->awaits)) ||
           (e->kind == E_BINARY && (e->op == TK_ANDAND || e->op == TK_OROR));
}

static const char *spill(L *l, Node *e, int later_awaits);
static const char *spill_list(L *l, Node *args, int later_awaits);

/* The place e designates, its index and pointer evaluated now (spilled):
 * what is stored to or read from it later is where it was when the
 * evaluation reached it. */
static const char *spill_place(L *l, Node *e)
{
    switch (e->kind) {
    case E_IDENT: return pstr(l, e, 0);
    case E_PAREN: return mem_printf(l->a, "(%s)", spill_place(l, e->a));
    case E_INDEX: {
        const char *a = spill(l, e->a, 1);
        return mem_printf(l->a, "%s[%s]", a, spill(l, e->b, 1));
    }
    case E_MEMBER:
        if (e->op == TK_ARROW)
            return mem_printf(l->a, "%s->%s", spill(l, e->a, 1), tok_str(l, e->tok));
        return mem_printf(l->a, "%s.%s", spill_place(l, e->a), tok_str(l, e->tok));
    case E_PRE:
        if (e->op == TK_STAR)
            return mem_printf(l->a, "*%s", spill(l, e->a, 1));
        break;
    default:
        break;
    }
    if (!place_stable(l, e))
        warn_late(l, e);
    return lx(l, e);
}

/* e, whose type acc cannot see, with every part that has a side effect or
 * a changing value evaluated now: e is rebuilt from them.  A read through
 * an address (a[i], *p, p->m) whose type acc cannot see happens late, with
 * the documented warning; so does anything else it cannot split. */
static const char *spill_parts(L *l, Node *e)
{
    const char *a;
    switch (e->kind) {
    case E_PAREN: return mem_printf(l->a, "(%s)", spill(l, e->a, 1));
    case E_BINARY: /* && and || have a type: int */
        a = spill(l, e->a, 1);
        return mem_printf(l->a, "%s %s %s", a, tok_str(l, e->tok), spill(l, e->b, 1));
    case E_COMMA:
        emit_stmt(l->e, "(void)(%s);", lx(l, e->a));
        return spill(l, e->b, 1);
    case E_COND:
        a = spill(l, e->a, 1);
        if (!is_stable(l, e->b) || !is_stable(l, e->c))
            warn_late(l, e->b);
        return mem_printf(l->a, "%s ? %s : %s", a, pstr(l, e->b, 0), pstr(l, e->c, 0));
    case E_INDEX:
        a = spill(l, e->a, 1);
        a = mem_printf(l->a, "%s[%s]", a, spill(l, e->b, 1));
        warn_late(l, e);
        return a;
    case E_MEMBER: /* the member may be an array: its address, not a copy's */
        if (e->op == TK_DOT && lowers_to_temp(e->a))
            return mem_printf(l->a, "%s.%s", lx(l, e->a), tok_str(l, e->tok));
        a = e->op == TK_DOT ? spill_place(l, e->a) : spill(l, e->a, 1);
        warn_late(l, e);
        return mem_printf(l->a, "%s%s%s", a, e->op == TK_DOT ? "." : "->", tok_str(l, e->tok));
    case E_DESIG: /* the designator is a constant: only the value runs */
        return mem_printf(l->a, "%s = %s", range_str(l, e->first, e->last), spill(l, e->a, 1));
    case E_INITLIST: /* a nested initialiser list: its items in order */
        return mem_printf(l->a, "{%s}", spill_list(l, e->a, 1));
    case E_PRE:
        if (e->op == TK_AMP)
            return mem_printf(l->a, "&%s", spill_place(l, e->a));
        if (e->op == TK_INC || e->op == TK_DEC)
            break;
        a = mem_printf(l->a, "%s(%s)", tok_str(l, e->tok), spill(l, e->a, 1));
        if (e->op == TK_STAR)
            warn_late(l, e);
        return a;
    default:
        break;
    }
    warn_late(l, e);
    return lx(l, e);
}

/* Evaluate e now, before the awaits to its right (`later_awaits`), unless
 * nothing an await does could change its value.  An e that awaits itself
 * is no exception: what it reads after its own await must be read before
 * the later ones. */
static const char *spill(L *l, Node *e, int later_awaits)
{
    if (!later_awaits || lowers_to_temp(e))
        return lx(l, e);
    if (is_stable(l, e))
        return pstr(l, e, 0);
    const char *type = infer_type(l, e);
    if (!type)
        return spill_parts(l, e);
    const char *v = lx(l, e);
    const char *t = temp(l, type);
    emit_stmt(l->e, "%s = %s;", t, v);
    return t;
}

/* a && b that awaits:  t = (a) != 0;  if (t) { ...; t = (b) != 0; }  (for
 * a || b: if (!t)), so that b, and its awaits, run only when they must. */
static const char *lx_logical(L *l, Node *e)
{
    int is_and = e->op == TK_ANDAND;
    const char *t = temp(l, "int");
    const char *a = lx(l, e->a);
    emit_stmt(l->e, "%s = (%s) != 0;", t, a);
    emit_line(l->e, is_and ? "if (%s) {" : "if (!%s) {", t);
    l->e->indent++;
    Preds skip = preds_copy(l->g, &l->preds);
    const char *b = lx(l, e->b);
    flow_join(l, &skip);
    emit_stmt(l->e, "%s = (%s) != 0;", t, b);
    emit_close(l->e);
    return t;
}

/* The type of a '?:' that awaits, for its temporary: an arm that is an
 * await gives it (its callee's type); else both arms must have one type
 * that acc can see, through parentheses and nested '?:'. */
static const char *cond_type(L *l, const Node *e)
{
    while (e->kind == E_PAREN)
        e = e->a;
    if (e->kind != E_COND)
        return e->kind == E_AWAIT ? (e->fn->is_void ? NULL : e->fn->ret) : infer_type(l, e);
    const Node *b = e->b, *c = e->c;
    if (b->kind == E_AWAIT || c->kind == E_AWAIT)
        return cond_type(l, b->kind == E_AWAIT ? b : c);
    const char *tb = cond_type(l, b), *tc = tb ? cond_type(l, c) : NULL;
    return tc && !strcmp(tb, tc) ? tb : NULL;
}

/* Is e (through parentheses) an await of an async function returning void,
 * or a '?:' with such an arm?  Such a '?:' is void (C wants the other arm
 * void too), and check.c has made sure that its value is discarded. */
static int void_await(const Node *e)
{
    for (;;) {
        while (e->kind == E_PAREN)
            e = e->a;
        if (e->kind != E_COND)
            return e->kind == E_AWAIT && e->fn && e->fn->is_void;
        if (void_await(e->b))
            return 1;
        e = e->c;
    }
}

static const char *lx_cond(L *l, Node *e)
{
    if (!e->b->awaits && !e->c->awaits) {
        const char *c = lx(l, e->a);
        return mem_printf(l->a, "%s ? %s : %s", c, pstr(l, e->b, 0), pstr(l, e->c, 0));
    }
    const char *type = cond_type(l, e);
    if (!type && (void_await(e->b) || void_await(e->c)))
        type = "void"; /* `c ? await v() : (void)0;`: no temporary */
    if (!type) {
        diag_error(l->u->src, T(l, e->tok)->off, 1,
                   "acc cannot tell the type of this '?:'; put the 'await' in its own statement");
        return "0";
    }
    int is_void = !strcmp(type, "void");
    const char *t = is_void ? "(void)0" : temp(l, type);
    const char *c = lx(l, e->a);
    emit_stmt(l->e, "if (%s) {", c);
    l->e->indent++;
    Preds before = preds_copy(l->g, &l->preds);
    emit_stmt(l->e, is_void ? "(void)(%s%s);" : "%s = %s;", is_void ? "" : t, lx(l, e->b));
    Preds then = preds_copy(l->g, &l->preds);
    l->preds = before;
    l->e->indent--;
    emit_line(l->e, "} else {");
    l->e->indent++;
    emit_stmt(l->e, is_void ? "(void)(%s%s);" : "%s = %s;", is_void ? "" : t, lx(l, e->c));
    flow_join(l, &then);
    emit_close(l->e);
    return t;
}

/* Arguments of a call, left to right, each evaluated before awaits to its
 * right. */
static const char *lx_args(L *l, Node *args)
{
    return spill_list(l, args, 0);
}

/* The items of an argument or initialiser list, each evaluated before the
 * awaits to its right: those of the later items, and `later_awaits` more
 * that follow the whole list. */
static const char *spill_list(L *l, Node *args, int later_awaits)
{
    Buf b = {0};
    for (Node *a = args; a; a = a->next) {
        int later = later_awaits;
        for (Node *r = a->next; r; r = r->next)
            later += r->awaits;
        buf_puts(&b, spill(l, a, later));
        if (a->next)
            buf_puts(&b, ", ");
    }
    const char *r = mem_strndup(l->a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return r;
}

/* Does expression e write variable y (=, op=, ++, --)? */
static int writes_var(const Node *e, const Sym *y)
{
    for (; e; e = e->next) {
        const Node *t = e->a;
        while (t && t->kind == E_PAREN)
            t = t->a;
        int inc = (e->kind == E_PRE && (e->op == TK_INC || e->op == TK_DEC)) || e->kind == E_POST;
        if ((e->kind == E_ASSIGN || inc) && t && t->kind == E_IDENT && t->sym == y)
            return 1;
        if (writes_var(e->a, y) || writes_var(e->b, y) || writes_var(e->c, y))
            return 1;
    }
    return 0;
}

/* Is e a variable that only its function's own statements can change (a
 * local, not static, not an array, not volatile, its address never taken)
 * and that `rest` does not write?  Then the awaits of rest leave it as it
 * is: `n += await f()` may read n after f, as C does. */
static int private_var(L *l, const Node *e, const Node *rest)
{
    const Sym *y = local_var(e);
    return y && !y->is_static && !y->addr_taken && !is_array(l, y) &&
           !strstr(check_type_name(l->u, y), "volatile") && !writes_var(rest, y);
}

/* Is place e an atomic object, as far as acc sees (the variable it names
 * or points into is declared with _Atomic)?  Then `e op= v` is one
 * read-modify-write (C11 6.5.16.2p3), which reads e when it writes it. */
static int atomic_place(L *l, const Node *e)
{
    while (e->kind == E_PAREN)
        e = e->a;
    if (e->kind == E_INDEX || (e->kind == E_PRE && e->op == TK_STAR))
        e = e->a;
    const Sym *y = local_var(e);
    return y && strstr(check_type_name(l->u, y), "_Atomic") != NULL;
}

/* place = value, place op= value.  When the value awaits, the place is
 * found before (spill_place), left to right, and a compound assignment
 * reads the place's old value there too: x += await f() adds f's result
 * to x as it was before f ran (or, when acc cannot see x's type, as it is
 * after, with the documented warning); a private_var needs no old value,
 * and an atomic_place is read and written at once, after the awaits. */
static const char *lx_assign(L *l, Node *e)
{
    if (!e->b->awaits || (e->op != TK_ASSIGN && private_var(l, e->a, e->b)))
        return mem_printf(l->a, "%s %s %s", lx(l, e->a), tok_str(l, e->tok), lx(l, e->b));
    const char *a = spill_place(l, e->a);
    const char *op = tok_str(l, e->tok);
    int rmw = e->op != TK_ASSIGN && atomic_place(l, e->a);
    const char *type = e->op == TK_ASSIGN || rmw ? NULL : infer_type(l, e->a);
    if (e->op != TK_ASSIGN && !type && !rmw)
        warn_late(l, e->a);
    if (!type)
        return mem_printf(l->a, "%s %s %s", a, op, lx(l, e->b));
    const char *old = temp(l, type);
    emit_stmt(l->e, "%s = %s;", old, a);
    const char *b = lx(l, e->b);
    return mem_printf(l->a, "%s = %s %.*s (%s)", a, old, (int)strlen(op) - 1, op, b);
}

static const char *lx(L *l, Node *e)
{
    if (!e)
        return "";
    if (!e->awaits)
        return pstr(l, e, 0);
    switch (e->kind) {
    case E_AWAIT: return await_call(l, e);
    case E_PAREN: return mem_printf(l->a, "(%s)", lx(l, e->a));
    case E_BINARY:
        if (e->op == TK_ANDAND || e->op == TK_OROR)
            return lx_logical(l, e);
        /* fall through */
    case E_INDEX: {
        const char *a = spill(l, e->a, e->b->awaits);
        const char *b = lx(l, e->b);
        if (e->kind == E_INDEX)
            return mem_printf(l->a, "%s[%s]", a, b);
        return mem_printf(l->a, "%s %s %s", a, tok_str(l, e->tok), b);
    }
    case E_ASSIGN: return lx_assign(l, e);
    case E_COMMA:
        /* the left operand runs first, as a statement; the value keeps a
           comma, or `(a, n) <= n` would read as a self-comparison (gcc's
           -Wtautological-compare) */
        emit_stmt(l->e, "(void)(%s);", lx(l, e->a));
        return mem_printf(l->a, "((void)0, %s)", lx(l, e->b));
    case E_COND: return lx_cond(l, e);
    case E_INITLIST: return mem_printf(l->a, "{%s}", lx_args(l, e->a));
    case E_DESIG: return mem_printf(l->a, "%s = %s", range_str(l, e->first, e->last), lx(l, e->a));
    case E_CALL: {
        const char *f = lx(l, e->a);
        return mem_printf(l->a, "%s(%s)", f, lx_args(l, e->b));
    }
    case E_MEMBER:
        return mem_printf(l->a, "%s%s%s", lx(l, e->a), e->op == TK_DOT ? "." : "->", tok_str(l, e->tok));
    case E_POST: return mem_printf(l->a, "%s%s", lx(l, e->a), tok_str(l, e->tok));
    case E_PRE: return mem_printf(l->a, "%s(%s)", tok_str(l, e->tok), lx(l, e->a));
    case E_CAST: return mem_printf(l->a, "(%s)(%s)", range_str(l, e->first, e->last), lx(l, e->a));
    case E_COMPLIT:
        if (e->op == COMPLIT_IN_FRAME)
            return literal_in_frame(l, e, lx(l, e->a));
        return mem_printf(l->a, "(%s)%s", range_str(l, e->first, e->last), lx(l, e->a));
    default:
        diag_error(l->u->src, T(l, e->tok)->off, T(l, e->tok)->len,
                   "'await' is not supported inside this kind of expression");
        return "0";
    }
}

/* The return of a frame at an await that did not finish: it goes on at
 * resume point st.  A plain async function's frames hold their resume
 * function from when they are made (see ac__pending_state); a generator's
 * and a @contextmanager's are set again, as they also come and go at
 * their yields. */
static void pending(L *l, int st)
{
    AsyncFn *f = l->fi->fn;
    if (f->is_generator || f->is_cm)
        emit_line(l->e, "    return ac__pending_at(&%s->hdr, %d, %s__resume);", l->fp, st, f->name);
    else
        emit_line(l->e, "    return ac__pending_state(&%s->hdr, %d);", l->fp, st);
}

/* await f(args): save the state, start the callee, and mark the resume point.
 * Returns the temporary holding the result ("(void)0" for void). */
static const char *await_call(L *l, Node *e)
{
    AsyncFn *f = e->fn;
    const char *args = lx_args(l, e->a->b);
    const char *res = f->is_void ? NULL : temp(l, f->ret);
    int st = new_state(l);
    const char *what = comment_text(l, e);
    flow_state(l, st, T(l, e->tok)->line, mem_printf(l->a, "await %s", comment_text(l, e->a)));
    emit_stmt(l->e, "if (%s__await(&%s->hdr, %s%s%s%s))", f->name, l->fp,
              res ? "&" : "NULL", res ? res : "", *args ? ", " : "", args);
    pending(l, st);
    emit_label(l->e, "ac_r%d:; /* state %d, line %d: %s */", st, st, T(l, e->tok)->line, what);
    l->dead = 0;
    emit_line(l->e, "if (%s->hdr.err)", l->fp);
    emit_line(l->e, "    goto %s;", err_target(l));
    return res ? res : "(void)0";
}

/* ---- late reads: what the code above evaluates after an await ----------- */

/* lx evaluates most operands where they stand, but some parts of an
 * expression are only printed into its text and so run after the awaits
 * to their right: an operand whose type acc cannot see (spill_parts), the
 * place an assignment stores to, a called function pointer.  A variable
 * such a part reads must be in the frame, however soon it dies.  The
 * functions below walk an expression exactly as lx, spill and lx_args
 * lower it; `later` counts the awaits that run between the evaluation of
 * a part and the use of its text.  Keep them in step with those three. */

/* Every variable e reads (sizeof's operand is not evaluated). */
static void late_all(const Node *e)
{
    if (!e || e->kind == E_SIZEOF || e->kind == E_SIZEOF_T || e->kind == E_TYPEARG)
        return;
    if (e->kind == E_IDENT && e->sym)
        e->sym->live = 1;
    for (const Node *k = e->a; k; k = k->next)
        late_all(k);
    for (const Node *k = e->b; k; k = k->next)
        late_all(k);
    for (const Node *k = e->c; k; k = k->next)
        late_all(k);
}

static void late_lx(L *l, const Node *e, int later);
static void late_spill(L *l, const Node *e, int later_awaits, int later);

static void late_place(L *l, const Node *e);
static void late_list(L *l, const Node *args, int later_awaits, int later);

/* As spill_parts: the parts are spilled, whatever is left is read late. */
static void late_spill_parts(L *l, const Node *e)
{
    switch (e->kind) {
    case E_PAREN:
        late_spill(l, e->a, 1, 0);
        return;
    case E_MEMBER:
        if (e->op == TK_ARROW)
            late_spill(l, e->a, 1, 0);
        else if (lowers_to_temp(e->a))
            late_lx(l, e->a, 1);
        else
            late_place(l, e->a);
        return;
    case E_BINARY: case E_INDEX:
        late_spill(l, e->a, 1, 0);
        late_spill(l, e->b, 1, 0);
        return;
    case E_COMMA:
        late_lx(l, e->a, 0);
        late_spill(l, e->b, 1, 0);
        return;
    case E_COND:
        late_spill(l, e->a, 1, 0);
        late_all(e->b);
        late_all(e->c);
        return;
    case E_DESIG:
        late_spill(l, e->a, 1, 0);
        return;
    case E_INITLIST:
        late_list(l, e->a, 1, 0);
        return;
    case E_PRE:
        if (e->op == TK_AMP)
            late_place(l, e->a);
        else if (e->op != TK_INC && e->op != TK_DEC)
            late_spill(l, e->a, 1, 0);
        else
            break;
        return;
    default:
        break;
    }
    late_lx(l, e, 1);
}

/* As spill_place. */
static void late_place(L *l, const Node *e)
{
    switch (e->kind) {
    case E_IDENT:
        late_all(e);
        return;
    case E_PAREN:
        late_place(l, e->a);
        return;
    case E_INDEX:
        late_spill(l, e->a, 1, 0);
        late_spill(l, e->b, 1, 0);
        return;
    case E_MEMBER:
        if (e->op == TK_ARROW)
            late_spill(l, e->a, 1, 0);
        else
            late_place(l, e->a);
        return;
    case E_PRE:
        if (e->op != TK_STAR)
            break;
        late_spill(l, e->a, 1, 0);
        return;
    default:
        break;
    }
    late_lx(l, e, 1);
}

/* A temporary of e's type (infer_type) holds it: a frame field, whose
 * type the locals it names must be defined for at file scope (hoist.h). */
static void late_temp(L *l, const Node *e)
{
    while (e->kind == E_PAREN)
        e = e->a;
    if (e->kind == E_CAST)
        hoist_range(l->u, e->first, e->last);
    else if (e->kind == E_IDENT && e->sym)
        hoist_sym_type(l->u, e->sym);
    else if (e->kind == E_INDEX || (e->kind == E_PRE && e->op == TK_STAR))
        late_temp(l, e->a); /* its element's or pointee's type */
    else if (e->kind == E_POST || e->kind == E_PRE || e->kind == E_ASSIGN)
        late_temp(l, e->a);
}

/* As spill(e, later_awaits), whose text is used `later` awaits after that. */
static void late_spill(L *l, const Node *e, int later_awaits, int later)
{
    if (!later_awaits || lowers_to_temp(e))
        late_lx(l, e, later_awaits + later);
    else if (is_stable(l, e))
        late_all(e); /* arrays and globals: read late, by design */
    else if (!infer_type(l, e))
        late_spill_parts(l, e);
    else {
        late_lx(l, e, 0); /* its text goes to the temporary at once */
        late_temp(l, e);
    }
}

/* As spill_list. */
static void late_list(L *l, const Node *args, int later_awaits, int later)
{
    for (const Node *a = args; a; a = a->next) {
        int right = later_awaits;
        for (const Node *r = a->next; r; r = r->next)
            right += r->awaits;
        late_spill(l, a, right, later);
    }
}

/* As lx_args. */
static void late_args(L *l, const Node *args, int later)
{
    late_list(l, args, 0, later);
}

/* As lx(e), whose text is used `later` awaits after it returns. */
static void late_lx(L *l, const Node *e, int later)
{
    if (!e)
        return;
    if (!e->awaits) {
        if (later)
            late_all(e);
        return;
    }
    int args = 0;
    switch (e->kind) {
    case E_AWAIT: late_args(l, e->a->b, 0); break;
    case E_PAREN: case E_MEMBER: case E_POST: case E_PRE: case E_CAST: case E_DESIG:
    case E_COMPLIT: /* its initialiser list, as lx */
        late_lx(l, e->a, later);
        break;
    case E_BINARY:
        if (e->op == TK_ANDAND || e->op == TK_OROR) { /* lx_logical: used at once */
            late_lx(l, e->a, 0);
            late_lx(l, e->b, 0);
            break;
        }
        /* fall through */
    case E_INDEX:
        late_spill(l, e->a, e->b->awaits, later);
        late_lx(l, e->b, later);
        break;
    case E_ASSIGN: /* lx_assign */
        if (!e->b->awaits || (e->op != TK_ASSIGN && private_var(l, e->a, e->b)))
            late_lx(l, e->a, later);
        else if (e->op != TK_ASSIGN && !atomic_place(l, e->a) && infer_type(l, e->a))
            late_temp(l, e->a); /* the old value's temporary */
        if (e->b->awaits)
            late_place(l, e->a);
        late_lx(l, e->b, later);
        break;
    case E_COMMA:
        late_lx(l, e->a, 0);
        late_lx(l, e->b, later);
        break;
    case E_COND: { /* lx_cond: a ?: whose branches await is computed at once */
        int keep = !e->b->awaits && !e->c->awaits ? later : 0;
        late_lx(l, e->a, keep);
        late_lx(l, e->b, keep);
        late_lx(l, e->c, keep);
        break;
    }
    case E_INITLIST: late_args(l, e->a, later); break;
    case E_CALL:
        for (const Node *a = e->b; a; a = a->next)
            args += a->awaits;
        late_lx(l, e->a, later + args);
        late_args(l, e->b, later);
        break;
    default:
        break;
    }
}

void lower_late_reads(Unit *u, Node *e)
{
    L l = {0};
    l.u = u;
    l.a = u->arena;
    late_lx(&l, e, 0);
}

void lower_late_args(Unit *u, Node *args, int later_awaits)
{
    L l = {0};
    l.u = u;
    l.a = u->arena;
    late_list(&l, args, later_awaits, 0);
}

/* ---- cleanups ----------------------------------------------------------- */

static void stmt(L *l, Node *s);

/* How a block with cleanups is left, besides falling off its end and errors
 * (an error is in flight exactly when F->hdr.err is set).  The code is kept
 * in F->ac_k<scope> while the block's cleanups run, and says where to go on
 * after them. */
enum { K_FALL, K_RETURN, K_BREAK, K_CONTINUE };

static void release_caught(L *l, LScope *s)
{
    emit_line(l->e, "ac_error_release(%s->ac_c%d);", l->fp, s->id);
    emit_line(l->e, "%s->ac_c%d = NULL;", l->fp, s->id);
    handle_line(l, "", l->fp, s->up->handled);
}

/* Can statement s suspend (an await, or a statement that awaits)? */
static int suspends(const Node *s)
{
    if (!s)
        return 0;
    if (s->kind < S_BLOCK)
        return s->awaits > 0;
    if (s->kind == S_WITH || s->kind == S_AFOR || s->kind == S_YIELD || s->awaits)
        return 1;
    for (const Node *k = s->a; k; k = k->next)
        if (suspends(k))
            return 1;
    return suspends(s->b) || suspends(s->c) || suspends(s->d);
}

/* Cleanup runs shielded from cancellation (BEHAVIOURS D2): inside a
 * shield record in the frame slot of its nesting level `j`. */
static void shield_push(L *l)
{
    emit_line(l->e, "ac__shield_push(&%s->hdr); /* cleanup: shielded */", l->fp);
}

static void shield_pop(L *l)
{
    emit_line(l->e, "ac__shield_pop(&%s->hdr);", l->fp);
}

/* The start of an exit or a close (a cleanup that awaits a runtime call
 * with the error in flight): set that error aside in the stash slot of
 * this nesting level, make it the error being handled, shield.  Returns
 * the slot; stash_close ends it. */
static const char *stash_open(L *l, const char *what, int line)
{
    int j = l->xdepth++;
    if (l->xdepth > l->xmax)
        l->xmax = l->xdepth;
    const char *x = mem_printf(l->a, "%s->ac_x%d", l->fp, j), *F = l->fp;
    emit_glue(l->e); /* acc's code: compiler messages point into the .c */
    emit_line(l->e, "/* %s at line %d */", what, line);
    emit_line(l->e, "if ((%s = %s->hdr.err)) { /* the error in flight waits */", x, F);
    emit_line(l->e, "    %s->hdr.err = NULL;", F);
    handle_line(l, "    ", F, x);
    emit_line(l->e, "}");
    shield_push(l);
    return x;
}

static void stash_close(L *l)
{
    shield_pop(l);
    l->xdepth--;
}

/* Cleanup k of scope s, emitted once: a defer runs on every way out, an
 * errdefer only while an error is in flight.  The error in flight (if any)
 * is set aside in a stash slot while the cleanup runs, and is its `handled`
 * error; an error from the cleanup replaces it and has it as context. */
static void with_exit(L *l, LScope *s);
static void afor_close(L *l, LScope *s);

static void cleanup_at(L *l, LScope *s, int k);

/* The conditional lines of text (each ends with a newline), one by one. */
static void emit_conds(L *l, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        emit_cond(l->e, text, (size_t)(nl - text));
        text = nl + 1;
    }
}

/* A defer or errdefer inside preprocessor conditionals of the body runs
 * only where they let it be: its code is emitted at the block's end inside
 * the same conditionals (those of the block's end that it shares stay as
 * they are), and resume points inside it are under them too. */
static void cleanup(L *l, LScope *s, int k)
{
    const char **conds = s->conds[k - 1];
    int keep = 0, n = 0;
    while (conds && conds[n])
        n++;
    while (keep < n && keep < l->npp && keep < UNIT_PP_KEPT && conds[keep] == l->pp[keep])
        keep++;
    if (keep == n) {
        cleanup_at(l, s, k);
        return;
    }
    const char *outer[UNIT_PP_KEPT];
    int npp = l->npp;
    memcpy(outer, l->pp, sizeof outer);
    for (int i = keep; i < n; i++)
        emit_conds(l, conds[i]);
    for (int i = 0; i < n; i++)
        l->pp[i] = conds[i];
    l->npp = n;
    cleanup_at(l, s, k);
    memcpy(l->pp, outer, sizeof outer);
    l->npp = npp;
    for (int i = keep; i < n; i++)
        emit_cond(l->e, "#endif", 6);
}

static void cleanup_at(L *l, LScope *s, int k)
{
    Node *c = s->cleanups[k - 1];
    if (c->kind == S_WITH) {
        with_exit(l, s);
        return;
    }
    if (c->kind == S_AFOR) {
        afor_close(l, s);
        return;
    }
    if (c->kind == S_TRY) {
        emit_line(l->e, "/* release the error caught at line %d */", T(l, c->tok)->line);
        release_caught(l, s);
        return;
    }
    int is_err = c->kind == S_ERRDEFER;
    int j = l->xdepth++;
    if (l->xdepth > l->xmax)
        l->xmax = l->xdepth;
    const char *x = mem_printf(l->a, "%s->ac_x%d", l->fp, j);
    int id = ++l->nids;
    const char *fail = mem_printf(l->a, "ac_f%d", id), *done = mem_printf(l->a, "ac_d%d", id);
    emit_line(l->e, "/* %s (line %d) */", is_err ? "errdefer" : "defer", T(l, c->tok)->line);
    if (is_err) {
        emit_line(l->e, "if (%s->hdr.err) {", l->fp);
        l->e->indent++;
    }
    emit_line(l->e, "%s = %s->hdr.err; /* the error in flight waits */", x, l->fp);
    emit_line(l->e, "%s->hdr.err = NULL;", l->fp);
    int shielded = suspends(c->a); /* a cleanup that cannot suspend needs none */
    if (shielded)
        shield_push(l);
    if (is_err)
        handle_line(l, "", l->fp, x);
    else
    {
        emit_line(l->e, "if (%s)", x);
        handle_line(l, "    ", l->fp, x);
    }
    LScope *cs = push(l, L_CLEANUP);
    cs->target = fail;
    cs->handled = x;
    l->dead = 0;
    Preds skip = preds_copy(l->g, &l->preds); /* an errdefer without an error */
    stmt(l, c->a);
    pop(l);
    flow_join(l, &cs->chain); /* its errors go on after it, with the error */
    if (is_err)
        flow_join(l, &skip);
    emit_line(l->e, "%s->hdr.err = %s;", l->fp, x);
    handle_line(l, "", l->fp, s->handled);
    if (referenced(l, fail)) {
        jump_to(l, "goto %s;", ref(l, done));
        put_label(l, fail);
        emit_line(l->e, "ac_error_release(%s); /* now the context of the new error */", x);
        handle_line(l, "", l->fp, s->handled);
        put_label(l, done);
    }
    if (shielded)
        shield_pop(l);
    if (is_err)
        emit_close(l->e);
    l->dead = 0;
    l->xdepth--;
}

/* The innermost loop (or, for break, switch) enclosing scope s. */
static LScope *jump_target(LScope *s, int code)
{
    for (; s; s = s->up)
        if (s->kind == L_LOOP || (s->kind == L_SWITCH && code == K_BREAK))
            return s;
    return NULL;
}

/* Leave toward `stop` (the loop or switch of a break or continue; NULL for
 * a return) from scope `from`: the first scope on the way that has cleanups
 * runs them and goes on from there; with none, jump straight there. */
static void exit_via(L *l, LScope *from, LScope *stop, int code)
{
    for (LScope *s = from; s && s != stop; s = s->up) {
        if (s->kind == L_BLOCK && s->n) {
            preds_union(l->g, &s->chain, &l->preds);
            s->codes |= 1u << code;
            emit_line(l->e, "%s->ac_k%d = %d; /* %s */", l->fp, s->id, code,
                      code == K_RETURN ? "return" : code == K_BREAK ? "break" : "continue");
            jump_to(l, "goto %s;", ref(l, chain_label(l, s, s->n)));
            return;
        }
    }
    if (code == K_RETURN)
        graph_edges(l->g, &l->preds, GRAPH_END);
    else if (code == K_CONTINUE && stop)
        graph_edges(l->g, &l->preds, stop->head);
    else if (stop)
        preds_union(l->g, &stop->brk, &l->preds);
    if (code == K_RETURN)
        jump_to(l, "goto %s;", ref(l, "ac_done"));
    else if (code == K_CONTINUE && stop && stop->cont)
        jump_to(l, "goto %s;", ref(l, stop->cont));
    else
        jump_to(l, "%s", code == K_BREAK ? "break;" : "continue;");
}

/* The end of a block's scope s: falling off the end runs its cleanups, then
 * come the cleanups themselves (labels ac_u<s>_<k>, newest first), and the
 * dispatch that goes on after them: outward with an error, on with a return,
 * break or continue, or past the block. */
static void block_end(L *l, LScope *s)
{
    if (!s->n)
        return;
    int fell = !l->dead;
    int cont = fell || s->mgr; /* an exit that suppresses goes on after the block */
    int entered = fell;
    for (int k = 1; k <= s->n; k++)
        entered |= referenced(l, chain_label(l, s, k));
    if (!entered)
        return;
    if (fell && s->codes)
        emit_line(l->e, "%s->ac_k%d = 0; /* fall off the end */", l->fp, s->id);
    flow_join(l, &s->chain);
    for (int k = s->n; k > 0; k--) {
        put_label(l, chain_label(l, s, k));
        cleanup(l, s, k);
    }
    emit_line(l->e, "if (%s->hdr.err)", l->fp);
    emit_line(l->e, "    goto %s;", target_from(l, s->up));
    flow_error(l, s->up, &l->preds);
    int last = 0; /* without a fall off the end, the last exit needs no test */
    for (int code = K_RETURN; code <= K_CONTINUE; code++)
        if (s->codes & (1u << code))
            last = code;
    for (int code = K_RETURN; code <= K_CONTINUE; code++) {
        if (!(s->codes & (1u << code)))
            continue;
        LScope *stop = code == K_RETURN ? NULL : jump_target(s->up, code);
        if (!cont && code == last) {
            exit_via(l, s->up, stop, code);
            break;
        }
        emit_line(l->e, "if (%s->ac_k%d == %d) {", l->fp, s->id, code);
        l->e->indent++;
        exit_via(l, s->up, stop, code);
        emit_close(l->e);
    }
    if (s->codes)
        buf_printf(&l->slots, "    unsigned char ac_k%d; /* how the block at line %d is left */\n",
                   s->id, s->line);
    l->dead = !cont;
    if (!cont)
        flow_stop(l);
}

/* Does expression e hold an await (so that lowering it emits statements
 * before the one that uses its value)? */
static int awaits_in(const Node *e)
{
    for (; e; e = e->next) {
        if (e->kind == E_AWAIT)
            return 1;
        if (e->kind < S_BLOCK &&
            (awaits_in(e->a) || awaits_in(e->b) || awaits_in(e->c) || awaits_in(e->d)))
            return 1;
    }
    return 0;
}

static void body(L *l, Node *s)
{
    if (s && s->kind == S_BLOCK) {
        stmt(l, s);
        return;
    }
    emit_open(l->e);
    stmt(l, s);
    emit_close(l->e);
}

/* A C block with a scope: its statements, its cleanups on the way out, and
 * its error chain. */
static void leading_comments(L *l, int tok);

/* `close`: the token of the block's '}' (its comments are kept), or -1. */
static void block_items(L *l, Node *first, Scope *frame, int close)
{
    LScope *s = push(l, L_BLOCK);
    if (frame)
        s->frame = frame;
    emit_open(l->e);
    for (Node *i = first; i; i = i->next)
        stmt(l, i);
    if (close >= 0)
        leading_comments(l, close);
    block_end(l, s);
    emit_close(l->e);
    pop(l);
}

/* The text of a declaration that stays as written (static, extern, typedef,
 * or one that only declares a tag). */
static const char *decl_text(L *l, Node *s)
{
    Buf b = {0};
    buf_puts(&b, range_str(l, s->first, s->last));
    for (Node *d = s->a; d; d = d->next) {
        buf_printf(&b, "%s %s", d == s->a ? "" : ",", declarator_str(l, d));
        if (d->a)
            buf_printf(&b, " = %s", pstr(l, d->a, 1));
    }
    const char *r = mem_strndup(l->a, b.p, b.len);
    buf_free(&b);
    return r;
}

/* A declaration that goes to file scope: where its text ends in the
 * source, and the text. */
typedef struct Hoisted {
    int end;
    int line;
    const char *text;
} Hoisted;

/* The local typedefs, in the order of the source. */
static void typedefs(L *l, const Node *s, Hoisted *v, int *n, int cap)
{
    for (; s; s = s->next) {
        if (s->kind == S_DECL && (s->op & DS_TYPEDEF)) {
            const Node *d = s->a;
            while (d && d->next)
                d = d->next;
            if (*n < cap)
                v[(*n)++] = (Hoisted){d ? d->last : s->last, T(l, s->first)->line,
                                      decl_text(l, (Node *)s)};
            continue;
        }
        if (s->kind >= S_BLOCK) {
            typedefs(l, s->a, v, n, cap);
            typedefs(l, s->b, v, n, cap);
            typedefs(l, s->c, v, n, cap);
            typedefs(l, s->d, v, n, cap);
        }
    }
}

/* Local typedefs and the definitions that move to file scope (hoist.h) go
 * before the frame struct, whose fields may use them, in the order they
 * end in the source: each after what it names (a definition inside a
 * typedef or a struct body comes before it).  They are not emitted in
 * the body. */
static void hoist_decls(L *l, Emit *out)
{
    const AsyncFn *f = l->fi->fn;
    int cap = f->nlocal, nt = 0, nd = 0;
    if (!cap)
        return;
    Hoisted *t = mem_alloc(l->a, sizeof *t * (size_t)cap);
    Hoisted *d = mem_alloc(l->a, sizeof *d * (size_t)cap);
    typedefs(l, f->body, t, &nt, cap);
    for (int k = f->local0; k < f->local0 + f->nlocal; k++) {
        const char *text = hoist_definition(l->u, k);
        if (!text)
            continue;
        const Local *def = &l->u->locals.v[k];
        int i = nd++;
        for (; i > 0 && d[i - 1].end > def->rc; i--) /* nested bodies end first */
            d[i] = d[i - 1];
        d[i] = (Hoisted){def->rc, T(l, def->kw)->line, text};
    }
    for (int i = 0, j = 0; i < nt || j < nd;) {
        const Hoisted *h = j == nd || (i < nt && t[i].end < d[j].end) ? &t[i++] : &d[j++];
        emit_line(out, "%s; /* line %d, hoisted for the frame */", h->text, h->line);
    }
}

static void decl(L *l, Node *s)
{
    if (s->op & DS_TYPEDEF)
        return; /* hoisted */
    if (!s->a && hoist_declares_moved(l->u, s->first, s->last))
        return; /* a tag defined at file scope now (here it would be a new one) */
    if (s->op & (DS_STATIC | DS_EXTERN) || !s->a) {
        emit_stmt(l->e, "%s;", decl_text(l, s));
        return;
    }
    const char *specs = range_str(l, s->first, s->last);
    if (check_specs_define(l->u, s) && !s->a->sym->in_frame) {
        /* C locals that share the type their declaration defines: one
           declaration, as written */
        Buf b = {0};
        int awaits = 0;
        for (Node *d = s->a; d; d = d->next)
            awaits += d->awaits;
        lines_on(l, awaits);
        for (Node *d = s->a; d; d = d->next)
            buf_printf(&b, "%s %s%s%s", d == s->a ? "" : ",", declarator_str(l, d),
                       d->a ? " = " : "", d->a ? lx(l, d->a) : "");
        emit_stmt(l->e, "%s%.*s;", specs, (int)b.len, b.p ? b.p : "");
        lines_off(l);
        buf_free(&b);
        return;
    }
    for (Node *d = s->a; d; d = d->next) {
        Sym *y = d->sym;
        lines_on(l, d->a ? d->a->awaits : 1);
        const char *init = d->a ? lx(l, d->a) : NULL;
        if (!y->in_frame) {
            emit_stmt(l->e, "%s %s%s%s;", specs, declarator_str(l, d),
                      init ? " = " : "", init ? init : "");
        } else if (init && d->a->kind == E_INITLIST) {
            const char *type = check_type_name(l->u, y);
            /* The literal copied in gets a block of its own, so that it
               ends with the copy: gcc's -Wdangling-pointer otherwise sees
               it live across the resume labels of the enclosing block. */
            if (strchr(type, '[') || strchr(type, '{') || check_needs_copy(l->u, y) ||
                check_is_array(l->u, y))
                emit_stmt(l->e, "{ memcpy((void *)&%s->%s, (const void *)&(%s)%s, sizeof %s->%s); }",
                          l->fp, y->cname, type, init, l->fp, y->cname); /* (void *): volatile */
            else
                emit_stmt(l->e, "%s->%s = (%s)%s;", l->fp, y->cname, type, init);
        } else if (init && d->a->kind == E_STRING &&
                   (strchr(range_str(l, d->first, d->last), '[') || check_is_array(l->u, y))) {
            emit_stmt(l->e, "{ memcpy((void *)%s->%s, (const void *)(%s){%s}, sizeof %s->%s); }",
                      l->fp, y->cname, check_type_name(l->u, y), init, l->fp, y->cname);
        } else if (init && check_needs_copy(l->u, y)) { /* const inside: no assignment */
            emit_stmt(l->e, "{ %s ac_v = %s; memcpy((void *)&%s->%s, &ac_v, sizeof ac_v); }",
                      check_type_name(l->u, y), init, l->fp, y->cname);
        } else if (init) {
            emit_stmt(l->e, "%s->%s = %s;", l->fp, y->cname, init);
        }
        lines_off(l);
    }
}

/* A loop: its scope, and its head in the state graph, where the body's end
 * and `continue` flow back to. */
static LScope *loop_open(L *l, const char *cont)
{
    LScope *s = push(l, L_LOOP);
    s->cont = cont;
    s->head = graph_virtual(l->g);
    graph_flow(l->g, &l->preds, s->head);
    return s;
}

/* How a loop is left besides `break`: by the test at its head (while,
 * for), by its test at the end (do), or only by `break` (the generated
 * `for (;;)` whose test breaks). */
enum { EXIT_HEAD, EXIT_END, EXIT_BREAK };

static void loop_close(L *l, int how)
{
    LScope *s = l->s;
    graph_edges(l->g, &l->preds, s->head);
    if (how != EXIT_END)
        l->preds.n = 0;
    if (how == EXIT_HEAD)
        preds_add(l->g, &l->preds, s->head);
    flow_join(l, &s->brk);
    pop(l);
}

/* The test of a loop, or a for's increment, lowered apart from the line
 * that opens its statement: it maps to its own .ac line. */
static const char *loop_part(L *l, Node *e)
{
    emit_at(l->e, T(l, ast_first_tok(e))->line);
    return lx(l, e);
}

static void while_stmt(L *l, Node *s)
{
    if (!s->awaits) {
        lines_on(l, 0);
        emit_stmt(l->e, "while (%s)", pstr(l, s->a, 0));
        lines_off(l);
        loop_open(l, NULL);
        body(l, s->b);
        loop_close(l, EXIT_HEAD);
        return;
    }
    emit_unmapped(l->e, "for (;;) {");
    l->e->indent++;
    LScope *lp = loop_open(l, NULL);
    const char *test = loop_part(l, s->a);
    emit_stmt(l->e, "if (!(%s))", test);
    emit_line(l->e, "    break;");
    preds_union(l->g, &lp->brk, &l->preds);
    body(l, s->b);
    loop_close(l, EXIT_BREAK);
    emit_close(l->e);
}

static void do_stmt(L *l, Node *s)
{
    if (!s->awaits) {
        emit_line(l->e, "do");
        loop_open(l, NULL);
        body(l, s->b);
        loop_close(l, EXIT_END);
        emit_stmt(l->e, "while (%s);", loop_part(l, s->a));
        return;
    }
    const char *cont = mem_printf(l->a, "ac_c%d", ++l->nids);
    emit_line(l->e, "for (;;) {");
    l->e->indent++;
    loop_open(l, cont);
    body(l, s->b);
    put_label(l, cont);
    const char *test = loop_part(l, s->a);
    emit_stmt(l->e, "if (!(%s))", test);
    emit_line(l->e, "    break;");
    loop_close(l, EXIT_END);
    emit_close(l->e);
}

static void for_stmt(L *l, Node *s)
{
    LScope *sc = push(l, L_BLOCK);
    sc->frame = s->scope;
    emit_open(l->e);
    if (s->d)
        stmt(l, s->d);
    if (!s->awaits) {
        lines_on(l, 0);
        const char *test = s->a ? pstr(l, s->a, 0) : "";
        emit_stmt(l->e, "for (; %s; %s)", test, s->c ? pstr(l, s->c, 0) : "");
        lines_off(l);
        loop_open(l, NULL);
        body(l, s->b);
        loop_close(l, s->a ? EXIT_HEAD : EXIT_BREAK);
    } else {
        const char *cont = mem_printf(l->a, "ac_c%d", ++l->nids);
        emit_unmapped(l->e, "for (;;) {");
        l->e->indent++;
        LScope *lp = loop_open(l, cont);
        if (s->a) {
            const char *test = loop_part(l, s->a);
            emit_stmt(l->e, "if (!(%s))", test);
            emit_line(l->e, "    break;");
            preds_union(l->g, &lp->brk, &l->preds);
        }
        body(l, s->b);
        put_label(l, cont);
        if (s->c) {
            const char *step = loop_part(l, s->c);
            emit_stmt(l->e, "(void)(%s);", step);
        }
        loop_close(l, EXIT_BREAK);
        emit_close(l->e);
    }
    block_end(l, sc);
    emit_close(l->e);
    pop(l);
}

static void jump(L *l, Node *s)
{
    int code = s->kind == S_CONTINUE ? K_CONTINUE : K_BREAK;
    exit_via(l, l->s, jump_target(l->s, code), code);
    flow_stop(l);
}

/* Does leaving toward `stop` from scope `from` run any cleanup? */
static int cleanups_on_the_way(LScope *from, LScope *stop)
{
    for (LScope *s = from; s && s != stop; s = s->up)
        if (s->kind == L_BLOCK && s->n)
            return 1;
    return 0;
}

/* return with nothing to clean up finishes the frame on the spot; otherwise
 * the value waits in ac_rv while the cleanups run. */
static void return_stmt(L *l, Node *s)
{
    if (!cleanups_on_the_way(l->s, NULL)) {
        AsyncFn *f = l->fi->fn;
        if (s->a && !f->is_void && !f->is_cm && !f->is_generator) {
            /* The result is stored before the frame is finished: finishing
               then reads the header once more (a store through ret may alias
               it), which costs less than keeping the value in a register
               that must survive the call of the slow path. */
            lines_on(l, s->a->awaits);
            const char *v = lx(l, s->a);
            lines_off(l);
            emit_unmapped(l->e, "{");
            l->e->indent++;
            emit_line(l->e, "%s *ac_ret = %s->hdr.ret;", f->ret, l->fp);
            emit_stmt(l->e, "*ac_ret = %s;", v);
            emit_line(l->e, "return %s(&%s->hdr);", l->ret_fn, l->fp);
            emit_close(l->e);
        } else {
            if (s->a)
                emit_stmt(l->e, "(void)(%s);", lx(l, s->a));
            if (s->a)
                emit_line(l->e, "return %s(&%s->hdr);", l->ret_fn, l->fp);
            else
                emit_stmt(l->e, "return %s(&%s->hdr);", l->ret_fn, l->fp);
        }
        l->dead = 1;
        graph_edges(l->g, &l->preds, GRAPH_END);
        flow_stop(l);
        return;
    }
    if (s->a) {
        lines_on(l, s->a->awaits);
        const char *v = lx(l, s->a);
        lines_off(l);
        if (l->fi->fn->is_void || l->fi->fn->is_cm || l->fi->fn->is_generator)
            emit_stmt(l->e, "(void)(%s);", v);
        else
            emit_stmt(l->e, "%s->ac_rv = %s;", l->fp, v);
    }
    exit_via(l, l->s, NULL, K_RETURN);
    flow_stop(l);
}

static void throw_stmt(L *l, Node *s)
{
    const char *v = lx(l, s->a), *file; /* where __FILE__ and __LINE__ would say */
    int line = emit_map(l->e, T(l, s->tok)->line, &file);
    emit_stmt(l->e, "ac__throw(&%s->hdr, %s, \"%s\", %d);", l->fp, v, file, line);
    /* `throw e;` of a catch's own parameter hands the catch's reference
       over: the catch no longer releases it.  Any other throw takes a
       reference of its own (throw ac_error_retain(e)). */
    for (LScope *c = l->s; c; c = c->up)
        if (c->catch_sym && s->a->kind == E_IDENT && s->a->sym == c->catch_sym)
            emit_line(l->e, "if (%s->hdr.err == %s->ac_c%d) %s->ac_c%d = NULL;", l->fp, l->fp,
                      c->id, l->fp, c->id);
    jump_to(l, "goto %s;", err_target(l));
    flow_error(l, l->s, &l->preds);
    flow_stop(l);
}

static void try_stmt(L *l, Node *s)
{
    LScope *t = push(l, L_TRY);
    t->target = mem_printf(l->a, "ac_h%d", t->id);
    stmt(l, s->a);
    pop(l);
    if (!referenced(l, t->target))
        return; /* nothing in the try body can fail */
    Preds body_end = preds_copy(l->g, &l->preds);
    l->preds = preds_copy(l->g, &t->chain);
    const char *end = mem_printf(l->a, "ac_e%d", t->id);
    if (!l->dead)
        jump_to(l, "goto %s;", ref(l, end));
    put_label(l, t->target);
    if (l->fi->fn->is_cm || l->fi->fn->is_generator) { /* D5 */
        emit_line(l->e, "if (%s(&%s->hdr)) /* a close it ignored: no catch takes it */",
                  l->fi->fn->is_cm ? "ac__gencm_close_final" : "ac__gen_close_final", l->fp);
        emit_line(l->e, "    goto %s;", ref(l, err_target(l)));
    }
    LScope *c = push(l, L_BLOCK);
    c->frame = s->scope;
    buf_printf(&l->slots, "    ac_error *ac_c%d; /* error caught at line %d */\n", c->id,
               T(l, s->tok)->line);
    const char *slot = mem_printf(l->a, "%s->ac_c%d", l->fp, c->id);
    c->handled = slot;
    emit_open(l->e);
    emit_line(l->e, "%s = %s->hdr.err;", slot, l->fp);
    emit_line(l->e, "%s->hdr.err = NULL;", l->fp);
    handle_line(l, "", l->fp, slot);
    c->cleanups[c->n++] = s;
    Sym *y = s->b->a ? s->b->a->sym : NULL;
    c->catch_sym = y;
    if (y && y->in_frame)
        emit_line(l->e, "%s->%s = %s;", l->fp, y->cname, slot);
    else if (y) {
        emit_at(l->e, T(l, s->b->first)->line);
        emit_stmt(l->e, "%s %s = %s;", range_str(l, s->b->first, s->b->a->first - 1),
                  range_str(l, s->b->a->first, s->b->a->last), slot);
        emit_line(l->e, "(void)%s; /* the catch may not use it */", y->name);
    }
    stmt(l, s->c);
    block_end(l, c);
    emit_close(l->e);
    pop(l);
    if (in_switch(l) && !l->dead) /* not into the label: gcc warns of a fall-through */
        emit_line(l->e, "goto %s;", ref(l, end));
    put_label(l, end);
    flow_join(l, &body_end);
}

/* The conditionals open here (pp_track), to wrap code emitted elsewhere
 * that belongs here: NULL-terminated, or NULL if there are none. */
static const char **pp_save(L *l)
{
    int n = l->npp < UNIT_PP_KEPT ? l->npp : UNIT_PP_KEPT;
    if (!n)
        return NULL;
    const char **v = mem_alloc(l->a, sizeof *v * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        v[i] = l->pp[i];
    v[n] = NULL;
    return v;
}

static void register_cleanup(L *l, Node *s)
{
    LScope *b = l->s;
    while (b->kind != L_BLOCK && b->kind != L_FN)
        b = b->up;
    if (b->n < 64) {
        b->conds[b->n] = pp_save(l);
        b->cleanups[b->n++] = s;
    } else
        diag_error(l->u->src, T(l, s->tok)->off, T(l, s->tok)->len, "too many cleanups in one block");
    emit_line(l->e, "/* %s registered (line %d) */", s->kind == S_DEFER ? "defer" : "errdefer",
              T(l, s->tok)->line);
}

/* ---- async with and yield ---------------------------------------------- */

/* Start an await whose call text is `call` (for the state graph: `what`,
 * at .ac line `line`); returns its state.  A call that carries arguments
 * from the source (`user`) maps to the statement's line. */
static int await_start(L *l, const char *call, int user, int line, const char *what)
{
    int st = new_state(l);
    flow_state(l, st, line, what);
    if (user)
        emit_stmt(l->e, "if (%s)", call);
    else
        emit_line(l->e, "if (%s)", call);
    pending(l, st);
    return st;
}

/* The resume point `st` of an await, then: `first` (a statement, or NULL),
 * and the jump to the error target if the await failed. */
static void await_end_with(L *l, int st, int line, const char *what, const char *first)
{
    emit_label(l->e, "ac_r%d:; /* state %d, line %d: %s */", st, st, line, what);
    l->dead = 0;
    if (first)
        emit_line(l->e, "%s", first);
    emit_line(l->e, "if (%s->hdr.err)", l->fp);
    emit_line(l->e, "    goto %s;", err_target(l));
}

static void await_end(L *l, int st, int line, const char *what)
{
    await_end_with(l, st, line, what, NULL);
}

/* The variable that declaration `it` of async with or async for declares
 * takes val: a frame field, or a C local declared here (with a (void) if
 * nothing reads it). */
static void bind_var(L *l, Node *it, const char *val)
{
    Node *d = it->a;
    Sym *y = d->sym;
    if (y->in_frame)
        emit_stmt(l->e, "%s->%s = %s;", l->fp, y->cname, val);
    else {
        emit_stmt(l->e, "%s %s = %s;", range_str(l, it->first, it->last),
                  range_str(l, d->first, d->last), val);
        if (!y->used)
            emit_line(l->e, "(void)%s; /* unused */", y->name);
    }
}

/* A call, such as ac_taskgroup() or a constructor of a manager, makes the
 * value for this statement alone; a conditional does when both of its
 * branches do (`x ? ac_taskgroup_extra() : ac_taskgroup()`).  check.c warns
 * of a conditional that mixes. */
int lower_makes_value(const Node *e)
{
    while (e->kind == E_PAREN)
        e = e->a;
    if (e->kind == E_COND)
        return lower_makes_value(e->b) && lower_makes_value(e->c);
    return e->kind == E_CALL;
}

/* async with (ITEM) BODY, for a manager value m:
 *     ac__cm_set(&F->ac_tM, m);              -- an ac_cm, or a pointer to one
 *     v = await ac_cm_enter(&F->ac_tM)       -- if it fails, nothing is exited
 * or for a call of a @contextmanager function g (its frame stays on the
 * task's frame stack, above this one, until the exit resumes it):
 *     v = await g__enter(&F->ac_tG, args)    -- F->ac_tG: g's frame
 * then BODY in a scope whose one cleanup is the exit (with_exit). */
static void with_stmt(L *l, Node *s)
{
    LScope *w = push(l, L_BLOCK);
    w->frame = s->scope;
    emit_open(l->e);
    emit_line(l->e, "/* async with (line %d) */", T(l, s->tok)->line);
    Node *it = s->a, *d = it->kind == S_DECL ? it->a : NULL, *e = d ? d->a : it->a;
    const char *val, *call;
    int user_args = 0; /* the enter call carries arguments from the source */
    if (s->fn) {
        while (e->kind == E_PAREN)
            e = e->a;
        const char *args = lx_args(l, e->b);
        user_args = *args != 0;
        val = s->fn->is_void ? NULL : temp(l, s->fn->ret);
        w->mgr = temp(l, "ac_frame *");
        w->gen = 1;
        call = mem_printf(l->a, "%s__enter(&%s->hdr, %s%s, &%s%s%s)", s->fn->name, l->fp,
                          val ? "&" : "NULL", val ? val : "", w->mgr, *args ? ", " : "", args);
    } else {
        const char *m = lx(l, e);
        w->mgr = temp(l, "ac_cm");
        w->owns = lower_makes_value(e);
        emit_stmt(l->e, "ac__cm_set(&%s, %s);", w->mgr, m);
        val = temp(l, "void *");
        call = mem_printf(l->a, "ac__cm_enter(&%s->hdr, &%s, &%s)", l->fp, val, w->mgr);
    }
    const char *what = mem_printf(l->a, "enter %s", comment_text(l, e));
    int st = await_start(l, call, user_args, T(l, s->tok)->line, what);
    if (w->owns) { /* entering failed: release the manager made for it */
        emit_label(l->e, "ac_r%d:; /* state %d, line %d: %s */", st, st, T(l, s->tok)->line, what);
        l->dead = 0;
        emit_line(l->e, "if (%s->hdr.err) {", l->fp);
        emit_line(l->e, "    ac__cm_release(&%s);", w->mgr);
        emit_line(l->e, "    goto %s;", err_target(l));
        emit_line(l->e, "}");
    } else {
        await_end(l, st, T(l, s->tok)->line, what);
    }
    if (d)
        bind_var(l, it, val);
    w->cleanups[w->n++] = s;
    stmt(l, s->b);
    block_end(l, w);
    emit_close(l->e);
    pop(l);
}

/* The exit of `async with` scope s: like a defer, with the error in flight
 * set aside; the exit receives it, and then
 *   - throws: its error replaces the one in flight (which is its context);
 *   - suppresses it: control goes on after the statement;
 *   - else the error (or none) goes on as it was. */
static void with_exit(L *l, LScope *s)
{
    Node *c = s->cleanups[0];
    const char *sup = temp(l, "_Bool"), *F = l->fp;
    const char *x = stash_open(l, "exit of the async with", T(l, c->tok)->line);
    const char *call = s->gen
        ? mem_printf(l->a, "ac__gencm_exit(&%s->hdr, &%s, %s, %s)", F, sup, s->mgr, x)
        : mem_printf(l->a, "ac__cm_exit(&%s->hdr, &%s, &%s, %s)", F, sup, s->mgr, x);
    int st = await_start(l, call, 0, T(l, c->tok)->line, "exit of async with");
    emit_label(l->e, "ac_r%d:; /* state %d, line %d: exit */", st, st, T(l, c->tok)->line);
    l->dead = 0;
    emit_line(l->e, "if (%s) {", x);
    l->e->indent++;
    handle_line(l, "", F, s->handled);
    emit_line(l->e, "if (%s->hdr.err) {", F);
    emit_line(l->e, "    ac_error_release(%s); /* replaced: the new error's context */", x);
    if (l->fi->fn->is_generator) /* D5: the close of this generator is never suppressed */
        emit_line(l->e, "} else if (%s && !ac__gen_is_close(&%s->hdr, %s)) {", sup, F, x);
    else
        emit_line(l->e, "} else if (%s) {", sup);
    emit_line(l->e, "    ac_error_release(%s); /* suppressed: go on after the statement */", x);
    if (s->codes)
        emit_line(l->e, "    %s->ac_k%d = 0;", F, s->id);
    emit_line(l->e, "} else {");
    emit_line(l->e, "    %s->hdr.err = %s;", F, x);
    emit_line(l->e, "}");
    emit_close(l->e);
    stash_close(l);
    if (s->owns)
        emit_line(l->e, "ac__cm_release(&%s); /* a manager made for this statement */", s->mgr);
}

/* spawn (G) LV = f(args);  ->  a child task of group G runs f(args) and
 * stores its result in LV (whose type the conditional checks against f's,
 * unevaluated):
 *     (void)sizeof(1 ? &(LV) : (T *)0);
 *     ac_taskgroup_spawn__await(&F->hdr, NULL, G, f(args), &(LV));
 *     if (F->hdr.err) goto <error target>;   -- refused: the group is done */
static void spawn_stmt(L *l, Node *s)
{
    Node *e = s->b, *lv = e->kind == E_ASSIGN && e->op == TK_ASSIGN ? e->a : NULL;
    Node *call = lv ? e->b : e;
    if (lv) { /* the place, named once (`out[i++]`), has the result's type: the C
                 compiler says so if not */
        emit_unmapped(l->e, "{");
        l->e->indent++;
        emit_stmt(l->e, "%s *ac_dst = &(%s);", s->fn->ret, pstr(l, lv, 0));
    }
    emit_stmt(l->e, "ac_taskgroup_spawn__await(&%s->hdr, NULL, %s, %s, %s);", l->fp,
              pstr(l, s->a, 0), pstr(l, call, 0), lv ? "ac_dst" : "NULL");
    if (lv)
        emit_close(l->e);
    emit_line(l->e, "if (%s->hdr.err)", l->fp);
    emit_line(l->e, "    goto %s;", err_target(l));
    flow_error(l, l->s, &l->preds);
}

/* How the value path of a @contextmanager sees its value (ac/gencm.h). */
static const char *yield_as_ptr(L *l)
{
    AsyncFn *f = l->fi->fn;
    if (f->is_void)
        return "NULL";
    if (strchr(f->ret, '*') && !strchr(f->ret, '('))
        return mem_printf(l->a, "(void *)*(%s *)%s->hdr.ret", f->ret, l->fp);
    return mem_printf(l->a, "%s->hdr.ret", l->fp);
}

/* yield v; in a @contextmanager: store v for the `async with` and return
 * to it with the frame kept; the exit resumes here, maybe with an error.
 * In an async generator: store v in the consumer's item and return to the
 * `async for`; the next iteration resumes here, or its close. */
static void yield_stmt(L *l, Node *s)
{
    const char *F = l->fp;
    int gen = l->fi->fn->is_generator;
    if (s->a)
        emit_stmt(l->e, "*(%s *)%s->hdr.ret = %s;", l->fi->fn->ret, F, lx(l, s->a));
    else
        emit_stmt(l->e, "/* yield */");
    Node *body = l->fi->fn->body;
    /* Entering a cancel scope or a task group takes an await (`async with`,
       ac_cm_enter or an exit stack's enter by hand, or a function that
       does so), so only a generator that suspends at its yields alone
       cannot have one of its own open here (ac__gen_yield detaches them). */
    int plain = gen && l->fi->fn->canon->yields_only;
    /* Without a `catch`, nothing can stop the close and reach a yield again:
       a plain generator's yield needs no check at all. */
    if (!plain || ast_has_stmt(body, S_TRY)) {
        if (plain)
            emit_line(l->e, "if (ac__gen_yield_plain(&%s->hdr)) /* closing: no more yields */", F);
        else
            emit_line(l->e, gen ? "if (ac__gen_yield(&%s->hdr)) /* closing, or in a scope */"
                                : "if (ac__gencm_yield(&%s->hdr)) /* a second yield, or closing */",
                      F);
        emit_line(l->e, "    goto %s;", err_target(l));
        flow_error(l, l->s, &l->preds);
    }
    int st = new_state(l);
    flow_state(l, st, T(l, s->tok)->line, "yield");
    emit_line(l->e, "%s->hdr.state = %d;", F, st);
    if (gen)
        emit_line(l->e, "return ac__gen_suspend(&%s->hdr);", F);
    else
        emit_line(l->e, "return ac__gencm_suspend(&%s->hdr, %s__resume, %s);", F, l->fi->fn->name,
                  yield_as_ptr(l));
    /* a generator's scopes come back first (ac__gen_yield detached them) */
    await_end_with(l, st, T(l, s->tok)->line, "yield",
                   gen && !plain ? mem_printf(l->a, "ac__gen_resumed(&%s->hdr);", F) : NULL);
}

/* The loop's variables at the top of each iteration: the index of
 * aenumerate (counting from START, moving on per item), and the item. */
static void afor_var(L *l, Node *s, const char *item)
{
    if (s->d)
        bind_var(l, s->d, mem_printf(l->a, "%s++", l->s->up->mgr2));
    bind_var(l, s->a, item);
}

/* aenumerate's counter, before the loop. */
static void afor_index(L *l, Node *s, LScope *w)
{
    if (!s->d)
        return;
    w->mgr2 = temp(l, check_type_name(l->u, s->d->a->sym));
    Node *start = s->d->a->a;
    emit_stmt(l->e, "%s = %s; /* aenumerate's next index */", w->mgr2, start ? lx(l, start) : "0");
}

/* The item slot of `async for` s: a temporary of the generator's type when
 * the loop calls one (it stores a whole item there, and the variable is then
 * initialised from it, as `T v = item;` converts: `long v` over a generator
 * of int), else of the variable's type (an iterator value writes an item of
 * the type the loop asks for; its class cannot say which). */
static const char *afor_item(L *l, Node *s)
{
    if (s->fn)
        return temp(l, s->fn->ret);
    return temp(l, check_type_name(l->u, s->a->a->sym));
}

/* async for (T v : it) BODY, it an iterator value (ac_aiter):
 *     ac__aiter_set(&F->ac_tI, it);
 *     for (;;) { more = await ac_aiter_next(&F->ac_tI, &item);
 *                if (!more) break;  T v = item; BODY }
 * in a scope whose cleanup closes the iterator (and frees it when `it` is a
 * call, a temporary no one else can free). */
static void afor_value(L *l, Node *s, LScope *w, Node *e)
{
    w->mgr = temp(l, "ac_aiter");
    w->owns = e->kind == E_CALL;
    emit_stmt(l->e, "ac__aiter_set(&%s, %s);", w->mgr, lx(l, s->c));
    afor_index(l, s, w); /* START after the iterable, left to right */
    const char *item = afor_item(l, s), *more = temp(l, "_Bool");
    w->cleanups[w->n++] = s;
    emit_line(l->e, "for (;;) {");
    l->e->indent++;
    LScope *loop = loop_open(l, NULL);
    const char *what = mem_printf(l->a, "next of %s", comment_text(l, e));
    int st = await_start(l, mem_printf(l->a, "ac_aiter_next__await(&%s->hdr, &%s, &%s, &%s)",
                                       l->fp, more, w->mgr, item), 0, T(l, s->tok)->line, what);
    await_end(l, st, T(l, s->tok)->line, what);
    emit_line(l->e, "if (!%s)", more);
    emit_line(l->e, "    break;");
    preds_union(l->g, &loop->brk, &l->preds);
    emit_open(l->e);
    afor_var(l, s, item);
    stmt(l, s->b);
    emit_close(l->e);
    loop_close(l, EXIT_BREAK);
    emit_close(l->e);
}

/* async for (T v : g(args)) BODY, g an async generator, started directly:
 *     await g__start(&item, &F->ac_tG, args)  -- runs g to its first yield
 *     while (F->ac_tG) {                        -- cleared when g has ended
 *         T v = item; BODY
 *       next: await ac__gen_next(&item, F->ac_tG)
 *     }
 * in a scope whose cleanup closes g if it is still suspended (afor_close):
 * `break`, `return`, errors and a normal end all leave through it. */
static void afor_direct(L *l, Node *s, LScope *w, Node *e)
{
    const char *item = afor_item(l, s);
    w->mgr = temp(l, "ac_frame *");
    w->gen = 1;
    /* the arguments, then START (left to right), then the generator runs */
    Node *start = s->d ? s->d->a->a : NULL;
    int later = !start ? 0 : start->awaits ? start->awaits : !is_stable(l, start);
    const char *args = spill_list(l, e->b, later);
    afor_index(l, s, w);
    const char *what = mem_printf(l->a, "start %s", comment_text(l, e));
    int st = await_start(l, mem_printf(l->a, "%s__start(&%s->hdr, &%s, &%s%s%s)", s->fn->name,
                                       l->fp, item, w->mgr, *args ? ", " : "", args),
                         *args != 0, T(l, s->tok)->line, what);
    await_end(l, st, T(l, s->tok)->line, what);
    w->cleanups[w->n++] = s;
    emit_line(l->e, "while (%s) {", w->mgr);
    l->e->indent++;
    const char *next = mem_printf(l->a, "ac_n%d", ++l->nids);
    loop_open(l, next);
    emit_open(l->e);
    afor_var(l, s, item);
    stmt(l, s->b);
    emit_close(l->e);
    put_label(l, next);
    /* its resume function, when it is in this file: a direct call, which
       needs no C-stack check when the generator only suspends at yields */
    const char *resume = s->fn->yields_only ? "ac__gen_step" : "ac__gen_resume";
    st = await_start(l, mem_printf(l->a, "%s(%s, %s%s)", resume, w->mgr,
                                   s->fn->defined ? s->fn->name : "NULL",
                                   s->fn->defined ? "__resume" : ""),
                     0, T(l, s->tok)->line, "next item");
    await_end(l, st, T(l, s->tok)->line, "next item");
    loop_close(l, EXIT_HEAD);
    emit_close(l->e);
}

static void afor_stmt(L *l, Node *s)
{
    LScope *w = push(l, L_BLOCK);
    w->frame = s->scope;
    emit_open(l->e);
    emit_line(l->e, "/* async for (line %d) */", T(l, s->tok)->line);
    Node *e = s->c;
    while (e->kind == E_PAREN)
        e = e->a;
    if (s->fn)
        afor_direct(l, s, w, e);
    else
        afor_value(l, s, w, e);
    block_end(l, w);
    emit_close(l->e);
    pop(l);
}

/* The cleanup of `async for` scope s: close its generator if it has not
 * ended; an error its cleanup throws replaces the one in flight. */
static void afor_close(L *l, LScope *s)
{
    Node *c = s->cleanups[0];
    int line = T(l, c->tok)->line;
    const char *F = l->fp;
    const char *x = stash_open(l, "close the generator of the async for", line);
    if (s->gen) {
        emit_line(l->e, "if (%s) {", s->mgr);
        l->e->indent++;
        Preds skip = preds_copy(l->g, &l->preds); /* the generator has ended */
        int st = await_start(l, mem_printf(l->a, "ac__gen_close(&%s->hdr, %s, %s)", F, s->mgr, x),
                             0, line, "close the generator");
        emit_label(l->e, "ac_r%d:; /* state %d, line %d: close */", st, st, T(l, c->tok)->line);
        emit_close(l->e);
        flow_join(l, &skip);
    } else {
        int st = await_start(l, mem_printf(l->a, "ac_aiter_aclose__await(&%s->hdr, NULL, &%s)", F,
                                           s->mgr), 0, line, "close the iterator");
        emit_label(l->e, "ac_r%d:; /* state %d, line %d: close */", st, st, T(l, c->tok)->line);
        if (s->owns)
            emit_line(l->e, "ac_aiter_free(&%s);", s->mgr);
    }
    l->dead = 0;
    emit_line(l->e, "if (%s) {", x);
    handle_line(l, "    ", F, s->handled);
    emit_line(l->e, "    if (%s->hdr.err)", F);
    emit_line(l->e, "        ac_error_release(%s); /* replaced: the new error's context */", x);
    emit_line(l->e, "    else");
    emit_line(l->e, "        %s->hdr.err = %s;", F, x);
    emit_line(l->e, "}");
    stash_close(l);
}

/* The first `a` followed by `b` in [p, end), or NULL (searching no further:
 * strstr would read the rest of the file from every statement). */
static const char *find_pair(const char *p, const char *end, char a, char b)
{
    for (; p + 1 < end; p++)
        if (p[0] == a && p[1] == b)
            return p;
    return NULL;
}

/* The newline that ends the `//` comment at c: a backslash before a
 * newline splices the next line into the comment, as in C. */
static const char *line_comment_end(const char *c)
{
    const char *nl = strchr(c, '\n');
    while (nl && nl > c && (nl[-1] == '\\' || (nl[-1] == '\r' && nl - 1 > c && nl[-2] == '\\')))
        nl = strchr(nl + 1, '\n');
    return nl;
}

/* The comments before token tok, copied; each maps to its own .ac line,
 * so that none needs a #line between it and the statement below it (gcc
 * sees a fall-through comment only right before the case label).  The
 * #line asked for the statement stays pending for it. */
static void leading_comments(L *l, int tok)
{
    const Token *t = T(l, tok);
    const char *p = l->u->src->text + t->ws, *end = l->u->src->text + t->off;
    int want = l->e->want, pending = l->e->pending;
    while (p < end) {
        const char *c = find_pair(p, end, '/', '*');
        const char *c2 = find_pair(p, end, '/', '/');
        if (c2 && (!c || c2 < c))
            c = c2;
        if (!c)
            break;
        const char *e = c[1] == '*' ? find_pair(c + 2, end, '*', '/') : line_comment_end(c);
        if (!e || e > end)
            e = end;
        else if (c[1] == '*')
            e += 2;
        int line = t->line; /* the comment's: count the newlines after it */
        for (const char *q = c; q < end; q++)
            line -= *q == '\n';
        emit_at(l->e, line);
        emit_line(l->e, "%.*s", (int)(e - c), c);
        p = e;
    }
    l->e->want = want;
    l->e->pending = pending;
}

/* A case label: control comes from the switch, and from the case above. */
static void flow_case(L *l)
{
    for (LScope *s = l->s; s; s = s->up)
        if (s->kind == L_SWITCH) {
            flow_join(l, &s->entry);
            return;
        }
}

/* Can statement s, as written, complete normally by C's reading (what a C
 * compiler's -Wimplicit-fallthrough goes by)?  A jump cannot; a block
 * ends as its last statement; an if/else or a try/catch falls only if a
 * branch does; an async with as its body. */
static int src_falls(const Node *s)
{
    if (!s)
        return 1;
    switch (s->kind) {
    case S_RETURN: case S_BREAK: case S_CONTINUE: case S_GOTO: case S_THROW:
        return 0;
    case S_BLOCK: {
        const Node *last = NULL;
        for (const Node *i = s->a; i; i = i->next)
            if (i->kind != S_PP)
                last = i;
        return src_falls(last);
    }
    case S_IF: return !s->c || src_falls(s->b) || src_falls(s->c);
    case S_TRY: return src_falls(s->a) || src_falls(s->c);
    case S_WITH: case S_CASE: case S_DEFAULT: case S_LABEL: return src_falls(s->b);
    default: return 1;
    }
}

/* Does acc write s as other C than its source (so that the C may have
 * paths the source does not)?  Plain C statements pass through as they
 * are. */
static int rewritten(const Node *s)
{
    return s->awaits || ast_has_stmt(s, S_WITH) || ast_has_stmt(s, S_TRY) ||
           ast_has_stmt(s, S_AFOR) || ast_has_stmt(s, S_DEFER) || ast_has_stmt(s, S_ERRDEFER);
}

/* Before a case label that the statement above reaches in the generated C
 * although it cannot complete as written (`case 1: async with (m) { return
 * 1; }`, whose exit may suppress an error and go on): say so, for the C
 * compiler's -Wimplicit-fallthrough, which sees a path the source does not
 * show.  A fall-through the source writes is left to warn, as in C. */
static void fallthrough_mark(L *l, const Node *before)
{
    if (before && !l->dead && !src_falls(before) && rewritten(before))
        emit_line(l->e, "AC__FALLTHROUGH; /* a path of acc's: the source does not fall through */");
}

static void stmt_kind(L *l, Node *s, const Node *before);

/* The empty statement after a case label, which lets a declaration follow
 * it in C11; not between stacked labels (`case 0: case 1:`), where clang's
 * -Wimplicit-fallthrough would take it for a fall-through. */
static const char *label_semi(const Node *s)
{
    return s->b && (s->b->kind == S_CASE || s->b->kind == S_DEFAULT) ? "" : ";";
}

/* Lower statement s, then note it as the one a case label would follow. */
static void stmt(L *l, Node *s)
{
    if (!s)
        return;
    const Node *before = l->before;
    l->before = NULL;
    stmt_kind(l, s, before);
    l->before = s;
}

/* before: the statement lowered just before s, if any. */
static void stmt_kind(L *l, Node *s, const Node *before)
{
    if (s->tok >= 0) {
        emit_at(l->e, T(l, s->tok)->line);
        leading_comments(l, s->tok);
    }
    switch (s->kind) {
    case S_BLOCK: block_items(l, s->a, s->scope, s->last); break;
    case S_DECL: decl(l, s); break;
    case S_EXPR:
        if (s->a->kind == E_AWAIT)
            await_call(l, s->a);
        else {
            lines_on(l, s->a->awaits);
            emit_stmt(l->e, "%s;", lx(l, s->a));
            lines_off(l);
        }
        break;
    case S_IF: {
        lines_on(l, s->a->awaits);
        emit_stmt(l->e, "if (%s)", lx(l, s->a));
        lines_off(l);
        Preds skip = preds_copy(l->g, &l->preds);
        body(l, s->b);
        if (s->c) {
            Preds then = l->preds;
            l->preds = skip;
            emit_line(l->e, "else");
            if (s->c->kind == S_IF && !awaits_in(s->c->a))
                stmt(l, s->c); /* `else if`: no block, so that a long chain
                                  does not nest braces (clang allows 256) */
            else
                body(l, s->c);
            skip = then;
        }
        flow_join(l, &skip);
        break;
    }
    case S_WHILE: while_stmt(l, s); break;
    case S_DO: do_stmt(l, s); break;
    case S_FOR: for_stmt(l, s); break;
    case S_SWITCH: {
        lines_on(l, s->a->awaits);
        emit_stmt(l->e, "switch (%s)", lx(l, s->a));
        lines_off(l);
        LScope *sw = push(l, L_SWITCH);
        sw->entry = preds_copy(l->g, &l->preds); /* to its case labels */
        flow_stop(l);
        body(l, s->b);
        pop(l);
        flow_join(l, &sw->brk);
        flow_join(l, &sw->entry); /* without a default, past it all */
        break;
    }
    case S_CASE:
        fallthrough_mark(l, before);
        l->dead = 0;
        flow_case(l);
        emit_label(l->e, "case %s:%s", pstr(l, s->a, 0), label_semi(s));
        stmt(l, s->b);
        break;
    case S_DEFAULT:
        fallthrough_mark(l, before);
        l->dead = 0;
        flow_case(l);
        emit_label(l->e, "default:%s", label_semi(s));
        stmt(l, s->b);
        break;
    case S_LABEL:
        l->dead = 0;
        graph_flow(l->g, &l->preds, label_node(l, tok_str(l, s->tok)));
        emit_label(l->e, "%s:;", tok_str(l, s->tok));
        stmt(l, s->b);
        break;
    case S_GOTO:
        graph_edges(l->g, &l->preds, label_node(l, tok_str(l, s->first)));
        flow_stop(l);
        jump_to(l, "goto %s;", tok_str(l, s->first));
        break;
    case S_BREAK: case S_CONTINUE: jump(l, s); break;
    case S_RETURN: return_stmt(l, s); break;
    case S_THROW: throw_stmt(l, s); break;
    case S_TRY: try_stmt(l, s); break;
    case S_DEFER: case S_ERRDEFER: register_cleanup(l, s); break;
    case S_WITH: with_stmt(l, s); break;
    case S_YIELD: yield_stmt(l, s); break;
    case S_AFOR: afor_stmt(l, s); break;
    case S_SPAWN: spawn_stmt(l, s); break;
    case S_EMPTY: emit_stmt(l->e, "%s", range_str(l, s->first, s->last)); break;
    case S_PP: {
        const Token *t = T(l, s->tok);
        const char *text = l->u->src->text + t->off;
        if (t->kind != TK_PPLINE) { /* _Pragma(...) */
            emit_stmt(l->e, "%s", range_str(l, s->tok, s->last));
        } else if (unit_is_ac_pragma(l->u->src, t)) {
            emit_raw(l->e, "/* ", 3);
            emit_raw(l->e, text, (size_t)t->len);
            emit_raw(l->e, " */\n", 4);
        } else if (unit_pp_cond(l->u->src, t) != LEX_PP_NONE) {
            emit_cond(l->e, text, (size_t)t->len);
            pp_track(l, t);
        } else {
            emit_raw(l->e, text, (size_t)t->len);
            emit_raw(l->e, "\n", 1);
        }
        break;
    }
    case S_STATIC_ASSERT: /* `sizeof F->buf` is a constant expression too */
        emit_stmt(l->e, "%s(%s, %s);", tok_str(l, s->tok), pstr(l, s->a, 0), pstr(l, s->b, 0));
        break;
    default: die_internal();
    }
    switch (s->kind) { /* control can reach what follows these */
    case S_IF: case S_WHILE: case S_DO: case S_FOR: case S_SWITCH: case S_TRY:
        l->dead = 0;
        break;
    default:
        break;
    }
}

/* ---- the frame struct and entry points ---------------------------------- */

static int scope_empty(const Scope *s)
{
    if (s->fields)
        return 0;
    for (const Scope *k = s->kids; k; k = k->next)
        if (!scope_empty(k))
            return 0;
    return 1;
}

/* Does scope s hold a field that is not under a conditional? */
static int scope_sure(const Scope *s)
{
    for (const Field *f = s->fields; f; f = f->next)
        if (!f->cond)
            return 1;
    for (const Scope *k = s->kids; k; k = k->next)
        if (scope_sure(k))
            return 1;
    return 0;
}

/* The blanks that begin the .ac line of token i, when only blanks stand
 * before it there; else NULL. */
static const char *leading_blanks(const L *l, int i)
{
    const Src *s = l->u->src;
    const char *text = diag_src_text(s);
    int from = s->lines[T(l, i)->line - 1];
    for (int k = from; k < T(l, i)->off; k++)
        if (text[k] != ' ' && text[k] != '\t')
            return NULL;
    return mem_strndup(l->u->arena, text + from, (size_t)(T(l, i)->off - from));
}

/* The field of a parameter or a variable (y) with text `text`: at the .ac
 * line of its declaration, so that the C compiler's errors about its type
 * (`struct nope x;`, an incomplete type) point there, and, when the
 * declaration begins its line, after the same blanks, so that their
 * columns do too (where the field is spelled as the declaration is); a
 * field of no variable is glue. */
static void put_field(L *l, const Sym *y, const char *text, int ind, const char *note)
{
    Emit *e = l->e;
    const char *blanks = y && y->specs ? leading_blanks(l, y->specs->first) : NULL;
    if (y)
        emit_at(e, T(l, y->decl->tok)->line);
    else
        emit_glue(e);
    if (blanks)
        emit_stmt(e, "%s%s;%s", blanks, text, note);
    else
        emit_stmt(e, "%*s%s;%s", ind * 4, "", text, note);
}

/* A scope's fields, then its child scopes overlapped in a union. */
static void print_scope(L *l, const Scope *s, int ind, int *nones)
{
    Emit *e = l->e;
    for (const Field *f = s->fields; f; f = f->next) {
        if (f->cond) /* its lines end with '\n', as emit_cond's own do */
            emit_cond(e, f->cond, strlen(f->cond) - 1);
        put_field(l, f->sym, f->text, ind, "");
        for (int i = 0; i < f->ncond; i++)
            emit_cond(e, "#endif", 6);
    }
    int n = 0;
    for (const Scope *k = s->kids; k; k = k->next)
        n += !scope_empty(k);
    if (n == 1) {
        for (const Scope *k = s->kids; k; k = k->next)
            if (!scope_empty(k))
                print_scope(l, k, ind, nones);
        return;
    }
    if (!n)
        return;
    emit_glue(e);
    emit_line(e, "%*sunion { /* scopes never live together */", ind * 4, "");
    for (const Scope *k = s->kids; k; k = k->next) {
        if (scope_empty(k))
            continue;
        emit_glue(e);
        emit_line(e, "%*sstruct {", ind * 4 + 4, "");
        if (!scope_sure(k)) /* C wants a member, whatever the conditionals */
            emit_line(e, "%*schar ac_none%d;", ind * 4 + 8, "", ++*nones);
        print_scope(l, k, ind + 2, nones);
        emit_glue(e);
        emit_line(e, "%*s};", ind * 4 + 4, "");
    }
    emit_glue(e);
    emit_line(e, "%*s};", ind * 4, "");
}

static const char *params_text(Unit *u, AsyncFn *f)
{
    Node *p = f->params_list;
    if (!p)
        return "void";
    Node *last = p;
    while (last->next)
        last = last->next;
    return lex_text(u->src, u->toks, u->arena, p->first, last->last);
}

static int no_params(const FnInfo *fi)
{
    return fi->params == NULL;
}

/* The name of f's await entry: f__await for an async function, f__enter
 * for a @contextmanager, f__start for an async generator (these two also
 * take `home`, where the caller keeps the frame: ac/gencm.h, ac/gen.h). */
static const char *entry_suffix(const AsyncFn *c)
{
    return c->is_cm ? "enter" : c->is_generator ? "start" : "await";
}

/* Does f (canonical) get its coroutine constructor?  A static one gets it
 * when it is called or named as a value; also when it is not used at all,
 * so that the C compiler's "defined but not used" names it, at its .ac
 * line, as for a plain static function (its resume function would
 * otherwise be the one left unused, a name of the generated C). */
static int value_entry_used(const AsyncFn *c)
{
    return !c->is_static || c->called || !c->awaited;
}

/* The prototypes of f's entries (see entry_points); in a header, after the
 * marker that tells acc, reading the header, what f is. */
void lower_prototypes(Unit *u, AsyncFn *f, Emit *out, int for_header)
{
    const char *params = f->params ? f->params : params_text(u, f);
    int none = strcmp(params, "void") == 0;
    AsyncFn *c = f->canon ? f->canon : f;
    int cm = c->is_cm, gen = c->is_generator;
    if (for_header)
        emit_line(out, "/*acc: %sasync %s%s %s(%s); */", cm ? "@contextmanager " : "",
                  gen ? "yield " : "", f->ret, f->name, params);
    if (value_entry_used(c) || for_header)
        emit_line(out, "%s%s%s(%s);", c->is_static ? "static " : "",
                  cm ? "ac_cm " : gen ? "ac_aiter " : "ac_coro *", f->name, params);
    if (!c->is_static || c->awaited || for_header)
        emit_line(out, "%sint %s__%s(ac_frame *ac_caller, void *ac_ret%s%s%s);",
                  c->is_static ? "static inline " : "", f->name, entry_suffix(c),
                  cm || gen ? ", ac_frame **ac_home" : "", none ? "" : ", ", none ? "" : params);
    if (gen && c->defined && c->awaited && !for_header) /* async for calls it directly */
        emit_line(out, "static int %s__resume(ac_frame *ac_self);", f->name);
}

static void frame_struct(L *l, Buf *body)
{
    AsyncFn *f = l->fi->fn;
    Emit *e = l->e;
    emit_line(e, "struct %s__frame {", f->name);
    emit_line(e, "    ac_frame hdr;");
    if (l->handles || f->is_cm || f->is_generator)
        emit_line(e, "    ac_error *ac_handled; /* error being handled (ac__hframe) */");
    if (f->is_cm)
        emit_line(e, "    ac__gencm ac_gc; /* the @contextmanager protocol (ac/gencm.h) */");
    if (f->is_generator)
        emit_line(e, "    ac__gen ac_gen; /* the async generator protocol (ac/gen.h) */");
    for (Sym *p = l->fi->params; p; p = p->next)
        put_field(l, p, check_field_text(l->u, p), 1, " /* parameter */");
    emit_glue(e);
    if (!f->is_void)
        emit_line(e, "    %s ac_rv; /* return value */", f->ret);
    for (int j = 0; j < l->xmax; j++)
        emit_line(e, "    ac_error *ac_x%d; /* error set aside while cleanup runs */", j);
    if (l->slots.len)
        emit_raw(e, l->slots.p, l->slots.len);
    int nones = 0;
    print_scope(l, l->fi->root, 1, &nones);
    emit_glue(e);
    emit_line(e, "};");
    emit_line(e, "%s", "");
    (void)body;
}

static void store_params(L *l)
{
    for (Sym *p = l->fi->params; p; p = p->next)
        if (check_needs_copy(l->u, p)) /* const inside: no assignment */
            emit_line(l->e, "memcpy((void *)&%s->%s, &%s, sizeof %s->%s);", l->fp, p->cname,
                      p->name, l->fp, p->cname);
        else
            emit_line(l->e, "%s->%s = %s;", l->fp, p->cname, p->name);
}

/* The push of f__await, "struct f__frame *F = PUSH(ac_caller, sizeof *F,
 * _Alignof(struct f__frame), REST);", and the test of F that the caller
 * completes. */
static void await_push(L *l, const char *push, const char *rest)
{
    AsyncFn *f = l->fi->fn;
    Emit *e = l->e;
    const char *F = l->fp;
    emit_line(e, "struct %s__frame *%s = %s(ac_caller, sizeof *%s,", f->name, F, push, F);
    emit_line(e, "    _Alignof(struct %s__frame), %s);", f->name, rest);
    emit_line(e, "if (!%s)", F);
}

/* The end of f__await: the arguments into the frame, and the start. */
static void entry_fill(L *l)
{
    AsyncFn *f = l->fi->fn;
    if (f->is_cm) {
        emit_line(l->e, "ac__gencm_init(&%s->ac_gc);", l->fp);
        emit_line(l->e, "*ac_home = &%s->hdr;", l->fp);
    }
    store_params(l);
    /* A function that never suspends awaits nothing, so its start adds one
       C call to the caller's, never a chain of them: it needs no check of
       the C stack that direct starts may use. */
    if (!f->is_cm && !f->is_generator && !f->canon->suspends)
        emit_line(l->e, "return %s__resume(&%s->hdr);", f->name, l->fp);
    else
        emit_line(l->e, "return ac__frame_start_fn(&%s->hdr, %s__resume);", l->fp, f->name);
}

/* The arguments of f's push after the alignment (the runtime's push of
 * f's kind is ac__frame_push, ac__gencm_push or ac__gen_push). */
static void push_rest(L *l, Buf *rest)
{
    AsyncFn *f = l->fi->fn;
    if (f->is_generator)
        buf_printf(rest, "ac_ret, ac_home, %s__resume", f->name);
    else if (f->is_cm)
        buf_puts(rest, "ac_ret");
    else
        buf_printf(rest, "%s__resume, ac_ret", f->name);
}

/* The head of f's await entry, f__await (f__enter for a @contextmanager,
 * f__start for a generator), or of its out-of-line part (slow). */
static void await_head(L *l, const char *params, int none, int slow)
{
    AsyncFn *f = l->fi->fn;
    const char *home = f->is_cm || f->is_generator ? ", ac_frame **ac_home" : "";
    if (slow)
        emit_line(l->e, "static AC__OUT_OF_LINE int %s__%s_slow(ac_frame *ac_caller, void *ac_ret%s, %s)",
                  f->name, entry_suffix(f), home, params);
    else
        emit_line(l->e, "%sint %s__%s(ac_frame *ac_caller, void *ac_ret%s%s%s)",
                  f->canon->is_static ? "static inline " : "", f->name, entry_suffix(f), home,
                  none ? "" : ", ", none ? "" : params);
}

/* f__await_slow: f__await when the push needs the runtime (a full
 * segment, an over-aligned frame, a generator's frame held on the heap).
 * Out of line, so that f__await, inlined into its callers,
 * keeps no argument across that call: else each caller saves and restores
 * callee-saved registers for them on every resume. */
static void await_slow_entry(L *l, const char *params, const char *push, const char *rest)
{
    AsyncFn *f = l->fi->fn;
    emit_line(l->e, "/* %s__%s when the push needs the runtime (see ac__frame_push_fast) */",
              f->name, entry_suffix(f));
    await_head(l, params, 0, 1);
    emit_open(l->e);
    await_push(l, push, rest);
    emit_line(l->e, "    return AC_DONE; /* ENOMEM is in ac_caller->err */");
    entry_fill(l);
    emit_close(l->e);
    emit_line(l->e, "%s", "");
}

/* "return f__await_slow(...);" in f__await, with its own arguments. */
static void slow_call(L *l)
{
    AsyncFn *f = l->fi->fn;
    Buf b = {0};
    buf_printf(&b, "    return %s__%s_slow(ac_caller, ac_ret%s", f->name, entry_suffix(f),
               f->is_cm || f->is_generator ? ", ac_home" : "");
    for (Sym *p = l->fi->params; p; p = p->next)
        buf_printf(&b, ", %s", p->name);
    buf_puts(&b, ");");
    emit_line(l->e, "%s", b.p);
    buf_free(&b);
}

/* f__await(caller, ret, params) pushes f's frame on the caller's task and
 * starts it.  Static: inline, as it is small and called from this file
 * only, so that compilers may inline the callee's start.  With parameters,
 * it pushes inline only (ac__frame_push_fast and its kin) and leaves the
 * rest to f__await_slow; without, it has no argument to keep across the
 * runtime's push and calls it itself. */
static void await_entry(L *l, const char *params, int none)
{
    AsyncFn *f = l->fi->fn;
    const char *push = f->is_cm ? "ac__gencm_push" : f->is_generator ? "ac__gen_push" : "ac__frame_push";
    Buf rest = {0};
    push_rest(l, &rest);
    if (!none)
        await_slow_entry(l, params, push, rest.p);
    await_head(l, params, none, 0);
    emit_open(l->e);
    if (!none) {
        await_push(l, mem_printf(l->a, "%s_fast", push), rest.p);
        slow_call(l);
    } else {
        await_push(l, push, rest.p);
        emit_line(l->e, "    return AC_DONE; /* ENOMEM is in ac_caller->err */");
    }
    buf_free(&rest);
    entry_fill(l);
    emit_close(l->e);
    emit_line(l->e, "%s", "");
}

/* f(params) makes a coroutine object: a heap frame holding the arguments;
 * for a @contextmanager, a manager value holding one (NULL without memory:
 * entering it throws ENOMEM).  Kept out of line (AC__NOINLINE in
 * ac/frame.h) so that its allocation does not cost its callers' resumes. */
static void value_entry(L *l, const char *params, int none)
{
    AsyncFn *f = l->fi->fn;
    Emit *e = l->e;
    const char *F = l->fp;
    int cm = f->is_cm;
    int gen = f->is_generator;
    if (f->canon->is_static && !f->canon->called && !f->canon->awaited)
        emit_at(e, T(l, f->name_tok)->line); /* made for -Wunused-function to name */
    emit_line(e, "%sAC__NOINLINE %s%s(%s)", f->canon->is_static ? "static " : "",
              cm ? "ac_cm " : gen ? "ac_aiter " : "ac_coro *", f->name, none ? "void" : params);
    emit_open(e);
    emit_line(e, "struct %s__frame *%s = ac__coro_new(sizeof *%s, _Alignof(struct %s__frame), %s__resume);",
              f->name, F, F, f->name, f->name);
    emit_line(e, cm || gen ? "if (%s) {" : "if (!%s)", F);
    if (cm || gen)
        e->indent++;
    else
        emit_line(e, "    return NULL;");
    if (gen)
        emit_line(e, "ac__gen_value(&%s->hdr);", F);
    else if (!f->is_void)
        emit_line(e, "%s->hdr.ret = &%s->ac_rv;", F, F);
    store_params(l);
    if (cm) {
        emit_close(e);
        emit_line(e, "return ac__gencm_value(%s); /* NULL: entering throws ENOMEM */", F);
    } else if (gen) {
        emit_close(e);
        emit_line(e, "return AC_AITER(&ac__gen_class, %s); /* NULL: next throws ENOMEM */", F);
    } else {
        emit_line(e, "return &%s->hdr;", F);
    }
    emit_close(e);
    emit_line(e, "%s", "");
}

static void entry_points(L *l)
{
    AsyncFn *f = l->fi->fn, *c = f->canon ? f->canon : f;
    const char *params = params_text(l->u, f);
    int none = no_params(l->fi);
    if (!c->is_static || c->awaited)
        await_entry(l, params, none);
    if (value_entry_used(c))
        value_entry(l, params, none);
}

void lower_fn(Unit *u, FnInfo *fi, Emit *out)
{
    AsyncFn *f = fi->fn;
    Emit body = *out;
    body.out = (Buf){0};
    body.indent = 1;
    body.cur = body.want = 0; /* spliced in later: its first line gets a #line */
    body.oline = 0;           /* and its #line to the .c are moved then */
    body.in_ac = 0;
    L l = {0};
    l.u = u;
    l.fi = fi;
    l.e = &body;
    l.a = u->arena;
    l.fp = fi->fp;
    l.ret_fn = f->is_cm ? "ac__gencm_return" : f->is_generator ? "ac__gen_return" : "ac__frame_return";
    l.g = graph_new(u->arena);
    preds_add(l.g, &l.preds, GRAPH_START);
    LScope *top = push(&l, L_FN);
    top->frame = fi->root;
    stmt(&l, f->body);
    graph_edges(l.g, &l.preds, GRAPH_END);
    fi->graph = l.g;
    emit_glue(&body); /* the function's end is acc's: it maps to the .c */
    if (!l.dead) /* falling off the end */
        jump_to(&l, "goto %s;", ref(&l, "ac_done"));
    put_label(&l, "ac_done");
    if (!f->is_void && !f->is_cm && !f->is_generator && referenced(&l, "ac_done"))
        emit_line(&body, "*(%s *)%s->hdr.ret = %s->ac_rv;", f->ret, l.fp, l.fp);
    put_label(&l, "ac_fail");
    emit_line(&body, "return %s(&%s->hdr);", l.ret_fn, l.fp);

    l.e = out;
    emit_glue(out);
    emit_line(out, "/* ---- async %s %s(%s), line %d: %d resume point%s ---- */", f->ret, f->name,
              params_text(u, f), T(&l, f->name_tok)->line, l.nstates, l.nstates == 1 ? "" : "s");
    hoist_decls(&l, out);
    frame_struct(&l, &body.out);
    /* A generator's resume function is called directly at each item of an
       `async for` over a call of it: `inline` lets the compiler put a small
       one into the loop. */
    emit_line(out, "static %sint %s__resume(ac_frame *ac_self)",
              f->is_generator && !f->is_cm ? "inline " : "", f->name);
    emit_open(out);
    emit_line(out, "struct %s__frame *%s = (struct %s__frame *)(void *)ac_self;", f->name, l.fp, f->name);
    if (l.nstates) { /* without resume points it only ever starts */
        emit_line(out, "switch (%s->hdr.state) {", l.fp);
        emit_line(out, "case 0:");
        emit_line(out, "    break;");
        for (int i = 1; i <= l.nstates; i++) {
            emit_raw(out, l.st_pp[i], strlen(l.st_pp[i])); /* its #if branch */
            emit_line(out, "case %d:", i);
            emit_line(out, "    goto ac_r%d;", i);
            for (int k = 0; k < l.st_npp[i]; k++)
                emit_raw(out, "#endif\n", 7);
        }
        emit_line(out, "default:");
        emit_line(out, "    AC__NO_STATE(%s(&%s->hdr)); /* not reached */", l.ret_fn, l.fp);
        emit_line(out, "}");
    }
    out->indent--;
    emit_splice(out, &body);
    emit_line(out, "}");
    emit_glue(out);
    emit_line(out, "%s", "");
    entry_points(&l);
    buf_free(&body.out);
    buf_free(&l.slots);
}
