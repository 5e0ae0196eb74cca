/* graph.c: the state graph of an async function (see graph.h). */
#include "graph.h"

#include <string.h>

#include "diag.h"

enum { VIRTUAL_BASE = 1 << 20 }; /* virtual node ids start here */

typedef struct Edge {
    int from, to;
} Edge;

typedef struct Node {
    int line;
    const char *what;
} Node;

struct Graph {
    Arena *a;
    Edge *e;
    int ne, cap;
    Node *nodes; /* states 1..nstates */
    int nstates, ncap;
    int nvirtual;
};

Graph *graph_new(Arena *a)
{
    Graph *g = mem_alloc(a, sizeof *g);
    g->a = a;
    return g;
}

int graph_virtual(Graph *g)
{
    return VIRTUAL_BASE + g->nvirtual++;
}

void graph_state(Graph *g, int state, int line, const char *what)
{
    while (g->nstates < state) {
        g->nodes = mem_grow(g->a, g->nodes, g->nstates, &g->ncap, sizeof *g->nodes);
        g->nodes[g->nstates++] = (Node){0, ""};
    }
    g->nodes[state - 1] = (Node){line, what};
}

void preds_add(Graph *g, Preds *p, int node)
{
    for (int i = 0; i < p->n; i++)
        if (p->v[i] == node)
            return;
    p->v = mem_grow(g->a, p->v, p->n, &p->cap, sizeof *p->v);
    p->v[p->n++] = node;
}

void preds_union(Graph *g, Preds *p, const Preds *q)
{
    for (int i = 0; i < q->n; i++)
        preds_add(g, p, q->v[i]);
}

Preds preds_copy(Graph *g, const Preds *p)
{
    Preds c = {0};
    preds_union(g, &c, p);
    return c;
}

void graph_edges(Graph *g, const Preds *p, int node)
{
    for (int i = 0; i < p->n; i++) {
        g->e = mem_grow(g->a, g->e, g->ne, &g->cap, sizeof *g->e);
        g->e[g->ne++] = (Edge){p->v[i], node};
    }
}

void graph_flow(Graph *g, Preds *p, int node)
{
    graph_edges(g, p, node);
    p->n = 0;
    preds_add(g, p, node);
}

/* The real nodes reachable from `from` through virtual nodes only. */
static void reach(const Graph *g, int from, char *seen, Preds *out, Graph *ga)
{
    for (int i = 0; i < g->ne; i++) {
        if (g->e[i].from != from)
            continue;
        int to = g->e[i].to;
        if (to < VIRTUAL_BASE) {
            preds_add(ga, out, to);
        } else if (!seen[to - VIRTUAL_BASE]) {
            seen[to - VIRTUAL_BASE] = 1;
            reach(g, to, seen, out, ga);
        }
    }
}

/* A node's id: the function's name and the node, so that the graphs of
 * every function can be drawn together. */
static void node_name(const char *fn, int n, Buf *out)
{
    if (n == GRAPH_START)
        buf_printf(out, "\"%s.start\"", fn);
    else if (n == GRAPH_END)
        buf_printf(out, "\"%s.end\"", fn);
    else
        buf_printf(out, "\"%s.s%d\"", fn, n);
}

/* A label with its quotes and backslashes escaped, and each byte that is
 * not UTF-8 (a Latin-1 string in the source) shown as \xNN: Graphviz reads
 * UTF-8, and one bad byte made it read the whole graph as Latin-1. */
static void quoted(const char *s, Buf *out)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        unsigned c;
        int n = diag_utf8_len(p, end, &c);
        if (!n) {
            buf_printf(out, "\\\\x%02x", *p++);
            continue;
        }
        if (*p == '"' || *p == '\\')
            buf_puts(out, "\\");
        buf_put(out, (const char *)p, (size_t)n);
        p += n;
    }
}

void graph_dot_begin(const char *file, Buf *out)
{
    buf_puts(out, "digraph \"");
    quoted(file, out);
    buf_puts(out, "\" {\n    node [shape=box, fontname=monospace];\n");
}

void graph_dot(Graph *g, const char *name, Buf *out)
{
    buf_printf(out, "    subgraph \"cluster_%s\" {\n        label=\"%s\";\n", name, name);
    buf_printf(out, "        \"%s.start\" [label=\"start\", shape=oval];\n", name);
    buf_printf(out, "        \"%s.end\" [label=\"end\", shape=oval];\n", name);
    for (int i = 0; i < g->nstates; i++) {
        buf_puts(out, "        ");
        node_name(name, i + 1, out);
        buf_printf(out, " [label=\"%d: line %d\\n", i + 1, g->nodes[i].line);
        quoted(g->nodes[i].what, out);
        buf_puts(out, "\"];\n");
    }
    char *seen = mem_alloc(g->a, (size_t)g->nvirtual + 1);
    for (int from = GRAPH_END; from <= g->nstates; from++) {
        memset(seen, 0, (size_t)g->nvirtual + 1);
        Preds to = {0};
        reach(g, from, seen, &to, g);
        for (int i = 0; i < to.n; i++) {
            buf_puts(out, "        ");
            node_name(name, from, out);
            buf_puts(out, " -> ");
            node_name(name, to.v[i], out);
            buf_puts(out, ";\n");
        }
    }
    buf_puts(out, "    }\n");
}
