/* frame.h: the --frame-sizes report.
 *
 * acc does not know the sizes of types it never sees, so the report is an
 * estimate for an LP64 target (pointers and long 8 bytes, int 4): exact for
 * frames of scalars, pointers and arrays of them, and marked "at least" when
 * a field has a type acc cannot size (a struct from a header). */
#ifndef FRAME_H
#define FRAME_H

#include "check.h"

/* Size in bytes (and alignment) of a field declared as `text`; -1 if acc
 * cannot tell. */
long frame_field_size(const char *text, long *align);

/* Print the layout and estimated size of a lowered frame struct, whose
 * definition text starts at `def` ("struct f__frame {" ... "};"). */
void frame_report(const char *fname, const char *def, int nawaits);

#endif /* FRAME_H */
