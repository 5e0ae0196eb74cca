/* output.h: writing acc's output files, all of them or none.
 *
 * Each output is written in full before any existing file is replaced:
 *
 *   - a regular file, or a name not taken yet, goes to a temporary beside it
 *     (beside the target when the name is a symbolic link, which is kept),
 *     renamed over it only once every output has been written;
 *   - "-" is standard output, and anything else that exists but is not a
 *     regular file (a FIFO, a device such as /dev/null) is written in place,
 *     after the temporaries, since renaming over it would replace it.
 *
 * A new file gets the mode open(2) would give it (0666 less the umask); a
 * replaced one keeps its mode.  When an output cannot be written, every
 * temporary is removed and the files that existed are left untouched. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>

#include "mem.h"

typedef struct OutFile {
    const char *path; /* as given on the command line; "-" for stdout */
    const char *data;
    size_t len;
} OutFile;

/* Writes the n outputs; 1 on success, else 0 after reporting each failure
 * through diag_fatal.  Names allocated on the way live in the arena. */
int out_write_all(Arena *a, const OutFile *files, int n);

#endif /* OUTPUT_H */
