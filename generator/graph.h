/* graph.h: the state graph of an async function, for `acc --dot`.
 *
 * The lowering records, as it emits the state machine, which resume points
 * control can reach from which: the nodes are the function's start, its
 * resume points (states 1..N) and its end; an edge u -> v says that after
 * resuming at u (or starting), the function can next stop at v (or end)
 * without stopping anywhere else in between.  Error paths count: an error
 * out of an await goes through the cleanups to the end.
 *
 * Control that joins (loop heads, labels, cleanup chains) goes through
 * virtual nodes, contracted away when the graph is printed.  The flow is a
 * set of current predecessors (Preds) that the lowering carries along. */
#ifndef GRAPH_H
#define GRAPH_H

#include "mem.h"

typedef struct Graph Graph;

typedef struct Preds {
    int *v;
    int n, cap;
} Preds;

enum { GRAPH_START = 0, GRAPH_END = -1 };

Graph *graph_new(Arena *a);
int graph_virtual(Graph *g);
void graph_state(Graph *g, int state, int line, const char *what);

void preds_add(Graph *g, Preds *p, int node);
void preds_union(Graph *g, Preds *p, const Preds *q);
Preds preds_copy(Graph *g, const Preds *p);

/* Edges from every node of p to `node`. */
void graph_edges(Graph *g, const Preds *p, int node);
/* Edges p -> node, then p = {node}. */
void graph_flow(Graph *g, Preds *p, int node);

/* Print the graph of function `name` in Graphviz's language: a cluster
 * subgraph, for the digraph of its file. */
void graph_dot(Graph *g, const char *name, Buf *out);
/* The digraph of a file opens with this; "}\n" closes it. */
void graph_dot_begin(const char *file, Buf *out);

#endif /* GRAPH_H */
