/* check.h: semantic checks of an async function, and the facts the
 * lowering needs.
 *
 * check_fn resolves every identifier to the parameter or local it names,
 * decides which variables live across a suspension point (those go in the
 * frame; the rest stay C locals) and so which types of the body move to
 * file scope with the frame (hoist.h), gives frame variables unique field names,
 * lays out the frame's scopes, counts the awaits under every node, and
 * rejects what the dialect forbids (await of a non-async call or in sizeof,
 * jumps out of deferred statements, goto across cleanups, VLAs, alloca,
 * setjmp/longjmp, variadic async functions). */
#ifndef CHECK_H
#define CHECK_H

#include "unit.h"

typedef struct FnInfo {
    AsyncFn *fn;
    Sym *params;      /* in order */
    Scope *root;      /* the body's frame storage */
    const char *fp;   /* name of the frame pointer in generated code */
    int nawaits;
    AsyncFn *uses[64]; /* async functions it awaits or calls (first 64) */
    int nuses;
    struct Graph *graph; /* its state graph, once lowered (graph.h) */
} FnInfo;

/* Returns NULL if the function has errors (reported through diag). */
FnInfo *check_fn(Unit *u, AsyncFn *fn);

/* Field text for a variable: its type with name `cname`, qualifiers that
 * would forbid assignment removed.  (Also used by lower for temps.) */
const char *check_field_text(Unit *u, Sym *s);

/* The same type as a type name, for a cast or a compound literal: no
 * variable name, no alignment specifier. */
const char *check_type_name(Unit *u, const Sym *s);

/* Do the specifiers of a declaration (S_DECL) define a struct, union or
 * enum body?  Its declarators then share a type that a second copy of the
 * specifiers would not give (an anonymous struct) or would define twice
 * (a tag, enumerators): they are declared together, all in the frame or
 * all C locals. */
int check_specs_define(const Unit *u, const Node *specs);

/* The items of brace initialiser `init` (E_INITLIST), or -1 if it has a
 * designator. */
int check_init_count(const Node *init);

/* Is variable s an array, declared so or by an array typedef? */
int check_is_array(const Unit *u, const Sym *s);

/* Can a frame field of s's type not be assigned, though acc removed the
 * qualifiers it sees (a typedef of a const type, a struct with a const
 * member, as declared in this unit)?  Then it is initialised by copy. */
int check_needs_copy(const Unit *u, const Sym *s);

/* The same for the type s's specifiers name alone (what a pointer to it
 * points to, an element of it): a temporary of that type cannot be
 * assigned. */
int check_specs_need_copy(const Unit *u, const Sym *s);

#endif /* CHECK_H */
