/* hdecl.h: the file's own type declarations that its generated header
 * repeats (the typedefs, struct, union and enum definitions and macros that
 * the exported prototypes need, found by name). */
#ifndef HDECL_H
#define HDECL_H

#include "mem.h"
#include "unit.h"

/* Write to out, in the file's order, the file-scope declarations of u that
 * the C text of the prototypes names, directly or through one another. */
void hdecl_emit(Unit *u, const char **protos, int nprotos, Buf *out);

#endif /* HDECL_H */
