/* ast.c: node constructors and the tree dump. */
#include "ast.h"

#include <stdio.h>

Node *ast_node(Arena *a, NodeKind k, int tok)
{
    Node *n = mem_alloc(a, sizeof *n);
    n->kind = k;
    n->tok = tok;
    n->first = n->last = tok;
    return n;
}

/* The parser builds lists by appending to them one by one: the head keeps
 * the last node, so a block of N statements takes N steps, not N*N/2. */
Node *ast_list_append(Node *list, Node *n)
{
    if (!list)
        return n;
    Node *p = list->tail ? list->tail : list;
    while (p->next)
        p = p->next;
    p->next = n;
    list->tail = n;
    return list;
}

const Node *ast_too_deep(Arena *a, const Node *root, int limit)
{
    typedef struct { const Node *n; int depth; } Item;
    int cap = 0, len = 0;
    Item *stack = NULL;
    if (root) {
        stack = mem_grow(a, stack, len, &cap, sizeof *stack);
        stack[len++] = (Item){root, 1};
    }
    while (len) {
        Item it = stack[--len];
        if (it.depth > limit)
            return it.n;
        const Node *kids[] = {it.n->next, it.n->a, it.n->b, it.n->c, it.n->d};
        for (int i = 0; i < 5; i++) {
            if (!kids[i])
                continue;
            stack = mem_grow(a, stack, len, &cap, sizeof *stack);
            stack[len++] = (Item){kids[i], it.depth + (i > 0)};
        }
    }
    return NULL;
}

const char *ast_kind_name(NodeKind k)
{
    static const char *const names[] = {
#define X(k) #k,
        AST_KINDS(X)
#undef X
    };
    return names[k];
}

void ast_dump(const Node *n, const Src *s, const Token *toks, int depth)
{
    for (; n; n = n->next) {
        const Token *t = &toks[n->tok];
        fprintf(stderr, "%*s%s '%.*s' line %d%s\n", depth * 2, "",
                ast_kind_name(n->kind), t->len, s->text + t->off, t->line,
                n->sym && n->sym->in_frame ? " [frame]" : "");
        ast_dump(n->a, s, toks, depth + 1);
        ast_dump(n->b, s, toks, depth + 1);
        ast_dump(n->c, s, toks, depth + 1);
        ast_dump(n->d, s, toks, depth + 1);
    }
}

int ast_first_tok(const Node *e)
{
    switch (e->kind) {
    case E_BINARY: case E_ASSIGN: case E_COMMA: case E_COND: case E_INDEX: case E_CALL:
    case E_MEMBER: case E_POST:
        return ast_first_tok(e->a);
    default:
        return e->first < e->tok ? e->first : e->tok;
    }
}

int ast_has_stmt(const Node *s, NodeKind kind)
{
    if (!s || s->kind < S_BLOCK)
        return 0;
    if (s->kind == kind)
        return 1;
    for (const Node *k = s->a; k; k = k->next)
        if (ast_has_stmt(k, kind))
            return 1;
    return ast_has_stmt(s->b, kind) || ast_has_stmt(s->c, kind) || ast_has_stmt(s->d, kind);
}

