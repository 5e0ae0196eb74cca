/* hoist.h: the types and constants of async bodies that move to file scope.
 *
 * A frame struct stands at file scope, before its function's resume
 * function, so the types of its fields must be known there.  The classifier
 * records what a body declares (Unit.locals: typedefs, struct, union and
 * enum definitions, enumerators) and which tokens name each.  Text that the
 * generated C puts at file scope (a frame field, a local typedef, a frame
 * temporary's type) takes the locals it names along (hoist_range), and the
 * definitions those name in turn.  At file scope:
 *   - a typedef or a tag is renamed ac_<function>__<name> (ac_f__s, with
 *     _2, _3 when taken), everywhere the function names it, so that two
 *     functions or two blocks never clash;
 *   - a struct or union with a tag, and any enum, is defined on its own
 *     before the frame struct (an enum without a tag gets one); where it
 *     stood only its name remains, and a declaration that only declared it
 *     goes away.  A struct or union without a tag stays where it is (in the
 *     frame field or the typedef that holds it);
 *   - enumerators keep their names: an enum identical to one moved before
 *     (after renaming) is that one; a different enum with an enumerator of
 *     the same name, an enumerator named like something of the file scope
 *     (that acc sees), or one that would no longer hide a name of an
 *     enclosing block is an error (hoist_finish).
 * Local typedefs always move (they did before; now they are renamed). */
#ifndef HOIST_H
#define HOIST_H

#include "emit.h"
#include "unit.h"

/* Tokens [first, last] are file-scope text: what they name moves too. */
void hoist_range(Unit *u, int first, int last);

/* The type of variable y is written at file scope (a frame field or a
 * frame temporary of its type). */
void hoist_sym_type(Unit *u, const Sym *y);

/* Name what fn moves and check the enumerators; errors are reported.
 * After it, the spellings below are final. */
void hoist_finish(Unit *u, const AsyncFn *fn);

/* Append token i as the generated C spells it. */
void hoist_put(const Unit *u, Buf *b, int i);

/* If token i opens the body of a definition moved on its own, the index of
 * its '}' (the body is left out where it stood); else -1. */
int hoist_skip(const Unit *u, int i);

/* The text of tokens [first, last] as the generated C spells them, each
 * run of blanks folded into one space (as lex_text). */
char *hoist_text(const Unit *u, int first, int last);

/* Does the declaration whose specifiers are [first, last], and which has no
 * declarator, only declare a tag that moved (it is then left out)? */
int hoist_declares_moved(const Unit *u, int first, int last);

/* Local k of fn is a definition written on its own at file scope: its
 * text ("struct ac_f__s { int v; }"); else NULL.  Such definitions come in
 * the order their bodies end. */
const char *hoist_definition(const Unit *u, int k);

#endif /* HOIST_H */
