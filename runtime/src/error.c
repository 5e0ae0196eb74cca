/* error.c: ac_error, reference-counted errors with a context chain.
 *
 * An error and its message (and a group's child array) are one allocation.
 * Contexts and children own a reference, so the errors form a DAG that the
 * rules below keep acyclic; releasing walks it with an explicit worklist
 * threaded through the dying errors, never with C recursion.
 *
 * Out of memory: each thread has a small static pool of ENOMEM errors.
 * Taking one needs no allocation; a pool error whose count drops to zero is
 * reset and reused, never freed.  With all of them held, an ENOMEM comes
 * from the heap if it can, else one of them is shared (ac__error_nomem).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

enum {
    CLEARED = 0x1u, /* context was cleared explicitly: never re-linked */
    POOLED = 0x2u,  /* lives in the thread's ENOMEM pool */
    CLOSE = 0x4u    /* a generator's close (ac__error_close) */
};

struct ac_error {
    unsigned long refs;
    int code;
    int line;               /* of the first throw, 0 until thrown */
    const char *file;       /* of the first throw, NULL until thrown */
    const char *msg;        /* never NULL */
    ac_error *context;      /* owned reference, or NULL */
    ac_error **children;    /* a group's children (owned), in the same block */
    size_t nchildren;
    ac_error *next;         /* worklist link while being released */
    unsigned flags;
};

#define POOL_SIZE 4
static AC__TLS ac_error pool[POOL_SIZE];
static AC__TLS unsigned pool_turn; /* which one to share when all are taken */

static void init(ac_error *e, int code, const char *msg)
{
    memset(e, 0, sizeof *e);
    e->refs = 1;
    e->code = code;
    e->msg = msg;
}

ac_error *ac__error_nomem(void)
{
    for (int i = 0; i < POOL_SIZE; i++) {
        if (pool[i].refs == 0) {
            init(&pool[i], ENOMEM, "out of memory");
            pool[i].flags = POOLED;
            return &pool[i];
        }
    }
    /* All taken.  Each holder may give its error a context of its own
     * (the error it was handling when it threw it), which a shared error
     * would add to every other holder's chain too: so a fresh one from the
     * heap if the failure has passed (an injected one, or a transient
     * shortage), and only failing that, one of the pool shared.  Sharing
     * cannot close a cycle (chain_attach) and loses no error in flight. */
    ac_error *e = ac__malloc(sizeof *e);
    if (e) {
        init(e, ENOMEM, "out of memory");
        return e;
    }
    return ac_error_retain(&pool[pool_turn++ % POOL_SIZE]);
}

static const char *default_message(int code)
{
    switch (code) {
    case AC_EGENERATOR: return "generator protocol error";
    case AC_ESTATE: return "invalid state";
    case AC_EGROUP: return "error group";
    case AC_EGENCLOSE: return "generator closed";
    default: return strerror(code);
    }
}

ac_error *ac_error_newv(int code, const char *fmt, va_list ap)
{
    const char *text = fmt ? NULL : default_message(code);
    int len;
    if (fmt) {
        va_list probe;
        va_copy(probe, ap);
        len = vsnprintf(NULL, 0, fmt, probe);
        va_end(probe);
    } else {
        len = (int)strlen(text);
    }
    if (len < 0)
        len = 0; /* a bad format: keep the error, lose the message */
    ac_error *e = ac__malloc(sizeof *e + (size_t)len + 1);
    if (!e)
        return ac__error_nomem();
    char *m = (char *)(e + 1);
    m[0] = '\0';
    if (fmt && len > 0)
        vsnprintf(m, (size_t)len + 1, fmt, ap);
    else if (text)
        memcpy(m, text, (size_t)len + 1);
    init(e, code, m);
    return e;
}

ac_error *ac_error_new(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ac_error *e = ac_error_newv(code, fmt, ap);
    va_end(ap);
    return e;
}

static void chain_attach(ac_error *e, ac_error *x);

/* Out of memory for a group: keep the first child in the ENOMEM chain (an
 * error in flight must not be lost) and drop the others. */
static ac_error *group_nomem(ac_error **children, size_t n)
{
    ac_error *e = ac__error_nomem();
    int kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (children[i] && !kept) {
            chain_attach(e, children[i]);
            kept = 1;
        }
        ac_error_release(children[i]);
    }
    return e;
}

ac_error *ac_error_group(const char *msg, ac_error **children, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += children[i] != NULL;
    if (!msg)
        msg = default_message(AC_EGROUP);
    size_t len = strlen(msg);
    size_t array = count * sizeof(ac_error *);
    ac_error *e = NULL;
    if (count <= ((size_t)-1 - sizeof *e - len - 1) / sizeof(ac_error *))
        e = ac__malloc(sizeof *e + array + len + 1);
    if (!e)
        return group_nomem(children, n);
    ac_error **kids = (ac_error **)(void *)(e + 1);
    char *m = (char *)kids + array;
    memcpy(m, msg, len + 1);
    init(e, AC_EGROUP, m);
    e->children = kids;
    for (size_t i = 0; i < n; i++)
        if (children[i])
            kids[e->nchildren++] = children[i];
    return e;
}

ac_error *ac__error_close(void)
{
    ac_error *e = ac_error_new(AC_EGENCLOSE, "generator closed");
    if (!(e->flags & POOLED))
        e->flags |= CLOSE;
    return e;
}

bool ac__error_is_close(const ac_error *e)
{
    return e && (e->flags & CLOSE);
}

ac_error *ac__error_group_new(const char *msg, size_t cap)
{
    ac_error *e = NULL;
    if (cap <= ((size_t)-1 - sizeof *e) / sizeof(ac_error *))
        e = ac__malloc(sizeof *e + cap * sizeof(ac_error *));
    if (!e)
        return NULL;
    init(e, AC_EGROUP, msg);
    e->children = (ac_error **)(void *)(e + 1);
    return e;
}

bool ac__error_group_reserve(ac_error **g, size_t cap)
{
    ac_error *e = NULL;
    if (cap <= ((size_t)-1 - sizeof *e) / sizeof(ac_error *))
        e = ac__realloc(*g, sizeof *e + cap * sizeof(ac_error *));
    if (!e)
        return false;
    e->children = (ac_error **)(void *)(e + 1);
    *g = e;
    return true;
}

void ac__error_group_add(ac_error *g, ac_error *e)
{
    g->children[g->nchildren++] = e;
}

static bool pool_in_use(void);

/* The walk of ac__error_pooled: the context chain by a loop, children (as
 * deep as groups nest) by recursion. */
static bool tree_pooled(const ac_error *e)
{
    for (; e; e = e->context) {
        if (e->flags & POOLED)
            return true;
        for (size_t i = 0; i < e->nchildren; i++)
            if (tree_pooled(e->children[i]))
                return true;
    }
    return false;
}

bool ac__error_pooled(const ac_error *e)
{
    return e && pool_in_use() && tree_pooled(e);
}

/* A heap copy of e alone: no context, room for its children. */
static ac_error *copy_one(const ac_error *e)
{
    size_t len = strlen(e->msg);
    size_t array = e->nchildren * sizeof(ac_error *);
    ac_error *c = ac__malloc(sizeof *c + array + len + 1);
    if (!c)
        return NULL;
    ac_error **kids = (ac_error **)(void *)(c + 1);
    char *m = (char *)kids + array;
    memcpy(m, e->msg, len + 1);
    init(c, e->code, m);
    c->file = e->file;
    c->line = e->line;
    c->flags = e->flags & CLOSE;
    c->children = e->nchildren ? kids : NULL;
    return c;
}

/* The context chain is copied by a loop (it may be long); children, which
 * nest only as deep as groups do, by recursion. */
ac_error *ac__error_copy(const ac_error *e)
{
    ac_error *head = NULL, **tail = &head;
    for (; e; e = e->context) {
        ac_error *c = copy_one(e);
        if (!c)
            break;
        *tail = c;
        tail = &c->context;
        for (size_t i = 0; i < e->nchildren; i++) {
            ac_error *kid = ac__error_copy(e->children[i]);
            if (!kid)
                goto fail;
            c->children[c->nchildren++] = kid;
        }
    }
    if (!e)
        return head;
fail:
    ac_error_release(head);
    return NULL;
}

/* A heap copy of preallocated node p that takes over p's context and
 * children (retained), p released; NULL without memory. */
static ac_error *unpool_node(ac_error *p)
{
    ac_error *c = copy_one(p);
    if (!c)
        return NULL;
    c->flags = p->flags & ~(unsigned)POOLED;
    c->context = p->context ? ac_error_retain(p->context) : NULL;
    for (size_t i = 0; i < p->nchildren; i++)
        c->children[c->nchildren++] = ac_error_retain(p->children[i]);
    ac_error_release(p);
    return c;
}

/* Replace in place every preallocated node of the tree at *slot by its
 * heap copy: the other nodes stay what they are (a user's error in the
 * chain keeps its identity).  False when memory ran out. */
static bool unpool_at(ac_error **slot)
{
    for (; *slot; slot = &(*slot)->context) {
        if ((*slot)->flags & POOLED) {
            ac_error *c = unpool_node(*slot);
            if (!c)
                return false;
            *slot = c;
        }
        ac_error *n = *slot;
        for (size_t i = 0; i < n->nchildren; i++)
            if (!unpool_at(&n->children[i]))
                return false;
    }
    return true;
}

/* Is one of this thread's preallocated errors held?  Mostly not: then no
 * tree needs looking through (which recursion could make deep). */
static bool pool_in_use(void)
{
    for (int i = 0; i < POOL_SIZE; i++)
        if (pool[i].refs)
            return true;
    return false;
}

ac_error *ac__error_unpooled(ac_error *e)
{
    if (ac__error_pooled(e))
        (void)unpool_at(&e);
    return e;
}

int ac_error_code(const ac_error *e) { return e ? e->code : 0; }
const char *ac_error_message(const ac_error *e) { return e ? e->msg : ""; }
const char *ac_error_file(const ac_error *e) { return e ? e->file : NULL; }
int ac_error_line(const ac_error *e) { return e ? e->line : 0; }
const ac_error *ac_error_context(const ac_error *e) { return e ? e->context : NULL; }
size_t ac_error_count(const ac_error *e) { return e ? e->nchildren : 0; }

const ac_error *ac_error_child(const ac_error *e, size_t i)
{
    return e && i < e->nchildren ? e->children[i] : NULL;
}

ac_error *ac_error_retain(ac_error *e)
{
    if (e)
        e->refs++;
    return e;
}

/* Drop one reference; an error that dies joins the worklist. */
static void drop(ac_error *e, ac_error **work)
{
    if (e && --e->refs == 0) {
        e->next = *work;
        *work = e;
    }
}

static void dispose(ac_error *e)
{
    if (e->flags & POOLED)
        e->context = NULL; /* back in the pool: refs is 0 */
    else
        ac__free(e);
}

void ac_error_release(ac_error *e)
{
    ac_error *work = NULL;
    drop(e, &work);
    while (work) {
        ac_error *d = work;
        work = d->next;
        for (size_t i = 0; i < d->nchildren; i++)
            drop(d->children[i], &work);
        drop(d->context, &work);
        dispose(d);
    }
}

static int chain_contains(const ac_error *chain, const ac_error *x)
{
    for (; chain; chain = chain->context)
        if (chain == x)
            return 1;
    return 0;
}

/* Link x (retained) at the end of e's chain, unless the chain contains x
 * already, ends in a cleared context, or the link would close a cycle.
 * A cycle needs x's chain to reach a node of e's chain; that node would
 * then have a second owner besides its predecessor (or, for e, besides the
 * thrower), so when every node of e's chain has one reference, x's chain
 * need not be walked: throwing a fresh error costs O(1) whatever x's chain
 * length (100,000 throwing exits stay linear, BX-08). */
static void chain_attach(ac_error *e, ac_error *x)
{
    ac_error *last = e;
    int shared = 0;
    for (;;) {
        if (last == x)
            return;
        shared |= last->refs > 1;
        if (!last->context)
            break;
        last = last->context;
    }
    if (last->flags & CLEARED)
        return;
    if (shared && chain_contains(x, last))
        return;
    last->context = ac_error_retain(x);
}

void ac__error_chain(ac_error *e, ac_error *x)
{
    if (e && x && e != x)
        chain_attach(e, x);
}

static ac_error *chain_end(ac_error *e)
{
    while (e->context)
        e = e->context;
    return e;
}

/* Out of memory, the ENOMEM error `holder` keeps errors that found no room
 * elsewhere (a group's, BX-09) in its chain: x at its end, as
 * chain_attach.  A chain that ends in a cleared context takes nothing
 * after it (BX-02): then x goes first, the old chain after x's.  Only when
 * x's chain ends in a cleared context as well must one of the two give
 * way, and keeping the error (AC.md 3.4: out of memory never loses one)
 * wins over keeping that context cleared.  (x is left out only if its
 * chain merges into holder's, whose end it then shares.) */
void ac__error_keep(ac_error *holder, ac_error *x)
{
    if (!holder || !x || chain_contains(holder, x))
        return;
    ac_error *end = chain_end(holder), *xend = chain_end(x);
    if (end == xend)
        return; /* a shared tail: linking either end would close a cycle */
    if (end->flags & CLEARED && !(xend->flags & CLEARED)) {
        xend->context = holder->context; /* (holder's reference moves) */
        holder->context = ac_error_retain(x);
        return;
    }
    end->flags &= ~(unsigned)CLEARED;
    end->context = ac_error_retain(x);
}

void ac_error_set_context(ac_error *e, ac_error *ctx)
{
    if (!e || (ctx && chain_contains(ctx, e)))
        return;
    ac_error *old = e->context;
    e->context = ac_error_retain(ctx);
    if (ctx)
        e->flags &= ~(unsigned)CLEARED;
    else
        e->flags |= CLEARED;
    ac_error_release(old);
}

const int ac__no_context_tag;

/* The error being handled where f runs: the nearest `handled` down the
 * chain of callers (AC__NO_CONTEXT stops the search: none). */
static ac_error *handled_error(const ac_frame *f)
{
    for (; f; f = f->caller)
        if ((f->flags & AC_FRAME_HANDLING) && AC__HANDLED(f))
            return AC__HANDLED(f) == AC__NO_CONTEXT ? NULL : AC__HANDLED(f);
    return NULL;
}

void ac__error_insert_before_code(ac_error *e, int code, int ins)
{
    for (; e && e->context; e = e->context) {
        if (e->context->code != code)
            continue;
        ac_error *t = ac_error_new(ins, NULL);
        t->context = e->context; /* takes over e's reference */
        e->context = t;
        return;
    }
}

ac_error *ac__handled(const ac_frame *f)
{
    return handled_error(f);
}

void ac__throw(ac_frame *f, ac_error *e, const char *file, int line)
{
    if (!e)
        e = ac_error_new(EINVAL, "throw of a null error");
    if (!e->file) {
        e->file = file;
        e->line = line;
    }
    ac_error *x = handled_error(f);
    if (x && x != e)
        chain_attach(e, x);
    if (f->err) {
        /* Breaks the invariant (err is NULL at a throw); never lose it. */
        if (f->err != e)
            chain_attach(e, f->err);
        ac_error_release(f->err);
    }
    f->err = e;
}

/* ---------------------------------------------------------- printing */

#define PRINT_LINKS 64  /* context links printed per chain */
#define PRINT_NEST 4    /* levels of nested groups printed */

static void print_one(const ac_error *e, int indent, const char *label)
{
    fprintf(stderr, "%*s%s", indent, "", label);
    if (e->file)
        fprintf(stderr, "%s:%d: ", e->file, e->line);
    fprintf(stderr, "%s (code %d)\n", e->msg, e->code);
}

/* Recursion only for nested groups, and at most PRINT_NEST deep. */
static void print_chain(const ac_error *e, int indent, int nest, const char *label)
{
    for (int links = 0; e; e = e->context, links++) {
        int ind = links ? indent + 2 : indent;
        if (links == PRINT_LINKS) {
            fprintf(stderr, "%*s...\n", ind, "");
            return;
        }
        print_one(e, ind, links ? "context: " : label);
        for (size_t i = 0; i < e->nchildren && nest < PRINT_NEST; i++)
            print_chain(e->children[i], ind + 4, nest + 1, "child: ");
    }
}

void ac_error_print(const ac_error *e, const char *prefix)
{
    if (!e)
        return;
    if (prefix)
        fprintf(stderr, "%s: ", prefix);
    print_chain(e, 0, 0, "");
    fflush(stderr);
}
