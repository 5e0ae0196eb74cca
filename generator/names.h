/* names.h: a hash table from names to pointers, kept in the arena.
 *
 * The checker's blocks, the field names of a frame, the unit's registries,
 * the parser's names in scope and its type sets (syntax.c) look names up
 * in it: walking a list per lookup, or fixed buckets, made inputs with
 * thousands of names quadratic.  Nothing walks the table itself, so
 * no output depends on the order hashing gives. */
#ifndef NAMES_H
#define NAMES_H

#include <stddef.h>

#include "mem.h"

typedef struct Names Names;

Names *names_new(Arena *a);

/* The value of the name of `len` bytes at `name` (no NUL needed), or NULL
 * if it has none. */
void *names_get(const Names *t, const char *name, size_t len);

/* Gives the name the value `v` (NULL: as if it had none).  The table keeps
 * the pointer `name`, which must live as long as the arena. */
void names_put(Names *t, const char *name, size_t len, void *v);

#endif /* NAMES_H */
