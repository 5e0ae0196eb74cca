/* frame.h: the --frame-sizes report.
 *
 * acc does not know the sizes of types it never sees, so the report is an
 * estimate for an LP64 target (pointers and long 8 bytes, int 4): exact for
 * frames of scalars, pointers, the runtime's types and arrays of them.  A
 * field of a type acc cannot size (a struct from a header, an array whose
 * length is a macro) counts as one byte, the least a C object has, at the
 * alignment acc knows of it (what `aligned(N)` or `_Alignas(N)` asks, the
 * element's for an array), and the frame is "at least" its size; fields
 * under `#if` lines all count, and a frame that has them is "at most" its
 * size. */
#ifndef FRAME_H
#define FRAME_H

#include <stdio.h>

#include "check.h"

/* Size in bytes of a field declared as `text` ("int a[3]", "struct s *p"),
 * or -1 if acc cannot tell; *align: its alignment, or the least it can
 * have when its size is unknown. */
long frame_field_size(const char *text, long *align);

/* The layout of a frame struct. */
typedef struct FrameSize {
    long size;       /* bytes: a lower bound when `unknown`, an upper one
                        when `conditional` */
    long align;
    int unknown;     /* fields of a size acc cannot tell */
    int conditional; /* the struct has #if lines: all groups counted */
} FrameSize;

/* Lay out a lowered frame struct, whose definition text starts at `def`
 * ("struct f__frame {" ... "};"); fields it cannot size are reported on
 * `out` (NULL: not reported). */
FrameSize frame_layout(const char *def, FILE *out);

/* Print the lowered frame struct [def, end) without its line directives. */
void frame_print(const char *def, const char *end);

/* Print the layout and estimated size of a lowered frame struct. */
void frame_report(const char *fname, const char *def, int nawaits);

#endif /* FRAME_H */
