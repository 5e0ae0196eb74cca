/* lower.h: lowering of one checked async function to C.
 *
 * The output keeps the shape of the source (blocks, ifs, loops stay C
 * statements) and adds:
 *   - a resume point per await: the state is saved, the callee started, and
 *     a label `ac_rN:` marks where the resume switch jumps back in;
 *   - awaits inside expressions hoisted into temporaries in evaluation order
 *     (&&, || and ?: keep short-circuiting);
 *   - cleanups (defer, errdefer, the release of a caught error) inlined at
 *     every normal way out of their block, and for errors a chain of labels
 *     at the end of the block that runs them innermost first and goes on to
 *     the enclosing handler;
 *   - variables that live across a suspension point read as F->name.
 * Writes the frame struct, the resume function and the entry points. */
#ifndef LOWER_H
#define LOWER_H

#include "check.h"
#include "emit.h"

void lower_fn(Unit *u, FnInfo *fi, Emit *out);

/* C prototypes of an async function's entry points (for the .c and the .h). */
void lower_prototypes(Unit *u, AsyncFn *f, Emit *out, int for_header);

#endif /* LOWER_H */
