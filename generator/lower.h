/* lower.h: lowering of one checked async function to C.
 *
 * The output keeps the shape of the source (blocks, ifs, loops stay C
 * statements) and adds:
 *   - a resume point per await: the state is saved, the callee started, and
 *     a label `ac_rN:` marks where the resume switch jumps back in;
 *   - awaits inside expressions hoisted into temporaries in evaluation order
 *     (&&, || and ?: keep short-circuiting);
 *   - cleanups (defer, errdefer, the release of a caught error) emitted once
 *     per block as a chain of labels at its end, newest first: every way out
 *     (falling off, return, break, continue, an error) enters the chain, which
 *     then goes on where that exit was going (F->ac_k<scope> says which;
 *     an error in flight is F->hdr.err);
 *   - variables that live across a suspension point read as F->name;
 *   - the types of the body that the frame needs defined before it, under
 *     their file-scope names (hoist.h).
 * Writes the frame struct, the resume function and the entry points. */
#ifndef LOWER_H
#define LOWER_H

#include "check.h"
#include "emit.h"

void lower_fn(Unit *u, FnInfo *fi, Emit *out);

/* For check: mark (Sym.live) every variable that the lowering of full
 * expression e reads after one of e's awaits, though it stands to the
 * left of it (an operand whose type acc cannot see, the place an
 * assignment stores to).  Needs e's symbols and await counts. */
void lower_late_reads(Unit *u, Node *e);
/* As lower_late_reads, for the argument list of a call that afor_direct
 * evaluates before `later_awaits` more awaits (aenumerate's START) run. */
void lower_late_args(Unit *u, Node *args, int later_awaits);

/* Does the manager expression e of an `async with` make the value it
 * yields (a call, or a conditional both of whose branches make it), so
 * that the statement releases it? */
int lower_makes_value(const Node *e);

/* C prototypes of an async function's entry points (for the .c and the .h). */
void lower_prototypes(Unit *u, AsyncFn *f, Emit *out, int for_header);

#endif /* LOWER_H */
