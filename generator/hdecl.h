/* hdecl.h: the file's own type declarations that its generated header
 * repeats (the typedefs, struct, union and enum definitions and macros that
 * the exported prototypes need, found by name). */
#ifndef HDECL_H
#define HDECL_H

#include "mem.h"
#include "unit.h"

/* The exported prototypes of one async function: their C text, the token
 * where the function starts, and whether a conditional (#if ... #endif)
 * of the file is open there. */
typedef struct HProto {
    const char *text;
    int at;
    int cond;
} HProto;

/* Write to out, in the file's order, the file-scope declarations of u that
 * the C text of the prototypes names, directly or through one another, and
 * the prototypes under a conditional, each at its place among them, so
 * that the file's conditional lines are replayed once around both.  The
 * caller writes the other prototypes after. */
void hdecl_emit(Unit *u, const HProto *protos, int nprotos, Buf *out);

#endif /* HDECL_H */
