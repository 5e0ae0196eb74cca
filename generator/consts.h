/* consts.h: the values of the simplest integer constant expressions.
 *
 * acc does not evaluate C's constant expressions (macros, enumerators and
 * sizeof are the C compiler's), but a case label that is a literal it can
 * read: check.c compares the case labels of a switch with it, and reports
 * a duplicate where the C compiler, reading the generated code, would
 * point at the wrong column. */
#ifndef CONSTS_H
#define CONSTS_H

#include "ast.h"

/* The mathematical value of e in *v: an integer literal, a character
 * literal of one ASCII character, parenthesised, with a '+' or a '-' in
 * front where the literal is signed.  Returns 0 (and leaves *v) for any
 * other expression, or where the value depends on the types C gives it
 * (`-1u`, `'\xff'`). */
int consts_value(const Src *s, const Token *toks, const Node *e, long long *v);

#endif /* CONSTS_H */
