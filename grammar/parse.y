/* parse.y: the grammar of one async item of the AC dialect, for lemon.
 *
 * The scanner (generator/unit.c) feeds the tokens of one `async` function
 * definition or declaration, after the classifier (generator/classify.c) has
 * turned identifiers into TYPENAME or dialect keywords where the context says
 * so.  The statement and expression grammar is C11's; types and declarators
 * are kept as token ranges, with only declared names singled out.
 * Every token's minor value is its index in the token array. */

/************** settings ****************************************************/
%name AccParse
%token_prefix TK_
%token_type {int}
%extra_context {Parser *p}
%start_symbol unit

%include {
#include <assert.h>
#include <stdlib.h>
#include "syntax.h"

#define N(kind, tok) ast_node(p->arena, (kind), (tok))

static Node *bin(Parser *p, NodeKind k, Node *a, int op, Node *b)
{
    Node *n = N(k, op);
    n->a = a;
    n->b = b;
    n->op = p->toks[op].kind;
    return n;
}

static Node *un(Parser *p, NodeKind k, int op, Node *a)
{
    Node *n = N(k, op);
    n->a = a;
    n->op = p->toks[op].kind;
    return n;
}

static Node *typed(Parser *p, NodeKind k, int tok, Range t, Node *a)
{
    Node *n = N(k, tok);
    n->first = t.first;
    n->last = t.last;
    n->a = a;
    return n;
}

/* Declarator d gets the array suffix ending at token rb, of size `size`
 * (kept for the check of variable-length arrays). */
static Node *sized(Node *d, Node *size, int rb)
{
    d->last = rb;
    size->next = d->b;
    d->b = size;
    return d;
}

/* Report the next syntax error at once (lemon waits for three tokens
 * shifted after one).  A macro: yyParser is defined after this. */
#define resync(parser) ((parser)->yyerrcnt = -1)

static Range rng(int first, int last)
{
    Range r = {first, last};
    return r;
}
}

%syntax_error {
    (void)yymajor;
    parser_syntax_error(p, yyminor);
}
%parse_failure { p->failed = 1; }
/* Nodes live in the arena: nothing to free when the parser pops them. */
%destructor stmt { (void)p; (void)$$; }
/* Statements nest on the stack without braces (`else if` chains, `if (a)
 * if (b) ...`): about six entries a level, so some 1,600 levels fit. */
%stack_overflow {
    const Token *t = &p->toks[p->at];
    diag_error(p->src, t->off, t->len, "statements nested too deep for the parser (an else-if "
               "chain or unbraced statements over a thousand levels deep)");
    p->failed = 1;
    p->full = 1;
}
%stack_size 10000

/* All terminals, in a fixed order so the codes are stable. */
%token AUTO BREAK CASE CHAR CONST CONTINUE DEFAULT DO DOUBLE ELSE ENUM EXTERN
       FLOAT FOR GOTO IF INLINE INT LONG REGISTER RESTRICT RETURN SHORT SIGNED
       SIZEOF STATIC STRUCT SWITCH TYPEDEF UNION UNSIGNED VOID VOLATILE WHILE
       ALIGNAS ALIGNOF ATOMIC BOOL COMPLEX GENERIC NORETURN STATIC_ASSERT
       THREAD_LOCAL.
%token IDENT TYPENAME NUMBER CHARLIT STRING PPLINE BODY OTHER.
%token ELLIPSIS SHRASSIGN SHLASSIGN ADDASSIGN SUBASSIGN MULASSIGN DIVASSIGN
       MODASSIGN ANDASSIGN XORASSIGN ORASSIGN SHR SHL INC DEC ARROW ANDAND OROR
       LE GE EQ NE SEMI LC RC COMMA COLON ASSIGN LP RP LB RB DOT AMP NOT TILDE
       MINUS PLUS STAR SLASH PERCENT LT GT XOR OR QUEST AT.
/* Words of the dialect: the classifier emits these only in context. */
%token ASYNC AWAIT DEFER ERRDEFER THROW TRY CATCH YIELD WITH SPAWN.
/* `_Pragma (` where a block item starts, and `_Atomic (`, the type
 * specifier rather than the qualifier (C11 6.7.2.4p4): the classifier's. */
%token PRAGMA ATOMIC_SPEC.
/* GNU's `__attribute__((...))` (or `__attribute((...))`) reaches the parser
 * as one ATTR token whose value is the index of its first token
 * (parser_attr_last finds its last); STMT_ATTR is one that a ';' follows
 * at a statement's start, a null statement's (`__attribute__((fallthrough));`),
 * which a declaration could not be (it declares nothing): the classifier's. */
%token ATTR STMT_ATTR.

/* The dangling else binds to the nearest if. */
%nonassoc LOWER_THAN_ELSE.
%nonassoc ELSE.

%type item {AsyncFn *}
%type fn_end {Node *}
%type gen_opt {int}
%type specs {Specs}
%type spec {Specs}
%type storage {Specs}
%type type_spec {Range}
%type struct_spec {Range}
%type sq_list {Range}
%type sq_item {Range}
%type type_name {Range}
%type pointer {Range}
%type ptr_opt {Range}
%type qual_list {Range}
%type abs_decl {Range}
%type dabs_decl {Range}
%type tag {int}
%type gnu_attrs {int}
%type declarator {Node *}
%type adecl {Node *}
%type ddecl {Node *}
%type params {Node *}
%type param_list {Node *}
%type param {Node *}
%type init_decls {Node *}
%type init_decl {Node *}
%type initializer {Node *}
%type init_list {Node *}
%type init_item {Node *}
%type desig {Range}
%type declaration {Node *}
%type stmt {Node *}
%type compound {Node *}
%type items {Node *}
%type item_stmt {Node *}
%type for_init {Node *}
%type with_items {Node *}
%type with_item {Node *}
%type expr {Node *}
%type expr_opt {Node *}
%type assign {Node *}
%type cond {Node *}
%type lor {Node *}
%type land {Node *}
%type bor {Node *}
%type bxor {Node *}
%type band {Node *}
%type equ {Node *}
%type rel {Node *}
%type shift {Node *}
%type add {Node *}
%type mul {Node *}
%type cast {Node *}
%type unary {Node *}
%type postfix {Node *}
%type primary {Node *}
%type strings {Range}
%type args {Node *}
%type type_arg {Node *}
%type assocs {Node *}
%type assoc {Node *}
%type member {int}
%type aop {int}
%type uop {int}

/************** the item ****************************************************/
unit ::= item(I). { p->fn = I; }

item(A) ::= attrs storage(S) ASYNC(F) gen_opt(G) specs(R) ptr_opt(P) IDENT(Nm) LP params(L) RP fn_end(B).
    { A = parser_item(p, S, R, P, Nm, L, B, F, G); }

/* `async yield T g(...)`: g is an async generator of T (how a header
 * declares one; a definition is one if its body yields). */
gen_opt(A) ::= . { A = 0; }
gen_opt(A) ::= YIELD. { A = 1; }

attrs ::= .
attrs ::= attrs AT IDENT(X). { Attr *a = mem_alloc(p->arena, sizeof *a); a->name = X; a->next = p->attrs; p->attrs = a; }
attrs ::= attrs AT IDENT(X) LP expr(E) RP.
    { Attr *a = mem_alloc(p->arena, sizeof *a); a->name = X; a->arg = E; a->next = p->attrs; p->attrs = a; }

storage(A) ::= . { A.first = A.last = -1; A.flags = 0; }
storage(A) ::= STATIC(X). { A.first = A.last = X; A.flags = DS_STATIC; }
storage(A) ::= EXTERN(X). { A.first = A.last = X; A.flags = DS_EXTERN; }

fn_end(A) ::= SEMI. { A = NULL; }
fn_end(A) ::= compound(B). { A = B; }

/************** declarations ************************************************/
specs(A) ::= spec(X). { A = X; }
specs(A) ::= specs(B) spec(X). { A.first = B.first; A.last = X.last; A.flags = B.flags | X.flags; }

spec(A) ::= type_spec(X). { A.first = X.first; A.last = X.last; A.flags = 0; }
spec(A) ::= TYPEDEF(X). { A.first = A.last = X; A.flags = DS_TYPEDEF; }
spec(A) ::= EXTERN(X). { A.first = A.last = X; A.flags = DS_EXTERN; }
spec(A) ::= STATIC(X). { A.first = A.last = X; A.flags = DS_STATIC; }
spec(A) ::= THREAD_LOCAL(X). { A.first = A.last = X; A.flags = DS_STATIC; }
spec(A) ::= AUTO(X). { A.first = A.last = X; A.flags = 0; }
spec(A) ::= REGISTER(X). { A.first = A.last = X; A.flags = DS_REGISTER; }
spec(A) ::= INLINE(X). { A.first = A.last = X; A.flags = 0; }
spec(A) ::= NORETURN(X). { A.first = A.last = X; A.flags = 0; }
spec(A) ::= CONST(X). { A.first = A.last = X; A.flags = 0; }
spec(A) ::= VOLATILE(X). { A.first = A.last = X; A.flags = 0; }
spec(A) ::= RESTRICT(X). { A.first = A.last = X; A.flags = 0; }
spec(A) ::= ATOMIC(X). { A.first = A.last = X; A.flags = 0; }
spec(A) ::= ALIGNAS(X) LP type_name RP(Y). { A.first = X; A.last = Y; A.flags = 0; }
spec(A) ::= ALIGNAS(X) LP cond RP(Y). { A.first = X; A.last = Y; A.flags = 0; }
spec(A) ::= ATTR(X). { A.first = X; A.last = parser_attr_last(p, X); A.flags = 0; }

/* Attributes after a declarator: the value is the last token of the last. */
gnu_attrs(A) ::= ATTR(X). { A = parser_attr_last(p, X); }
gnu_attrs(A) ::= gnu_attrs ATTR(X). { A = parser_attr_last(p, X); }

type_spec(A) ::= VOID(X). { A = rng(X, X); }
type_spec(A) ::= CHAR(X). { A = rng(X, X); }
type_spec(A) ::= SHORT(X). { A = rng(X, X); }
type_spec(A) ::= INT(X). { A = rng(X, X); }
type_spec(A) ::= LONG(X). { A = rng(X, X); }
type_spec(A) ::= FLOAT(X). { A = rng(X, X); }
type_spec(A) ::= DOUBLE(X). { A = rng(X, X); }
type_spec(A) ::= SIGNED(X). { A = rng(X, X); }
type_spec(A) ::= UNSIGNED(X). { A = rng(X, X); }
type_spec(A) ::= BOOL(X). { A = rng(X, X); }
type_spec(A) ::= COMPLEX(X). { A = rng(X, X); }
type_spec(A) ::= TYPENAME(X). { A = rng(X, X); }
type_spec(A) ::= struct_spec(X). { A = X; }
type_spec(A) ::= ATOMIC_SPEC(X) LP type_name RP(Y). { A = rng(X, Y); }

/* A struct, union or enum body reaches the parser as one BODY token whose
 * value is the index of its closing brace. */
struct_spec(A) ::= STRUCT(X) tag(T). { A = rng(X, T); }
struct_spec(A) ::= STRUCT(X) BODY(B). { A = rng(X, B); }
struct_spec(A) ::= STRUCT(X) tag BODY(B). { A = rng(X, B); }
struct_spec(A) ::= UNION(X) tag(T). { A = rng(X, T); }
struct_spec(A) ::= UNION(X) BODY(B). { A = rng(X, B); }
struct_spec(A) ::= UNION(X) tag BODY(B). { A = rng(X, B); }
struct_spec(A) ::= ENUM(X) tag(T). { A = rng(X, T); }
struct_spec(A) ::= ENUM(X) BODY(B). { A = rng(X, B); }
struct_spec(A) ::= ENUM(X) tag BODY(B). { A = rng(X, B); }

tag(A) ::= IDENT(X). { A = X; }
tag(A) ::= TYPENAME(X). { A = X; }

declaration(A) ::= specs(S) SEMI. { A = N(S_DECL, S.first); A->last = S.last; A->op = S.flags; }
declaration(A) ::= specs(S) init_decls(L) SEMI.
    { A = N(S_DECL, S.first); A->last = S.last; A->op = S.flags; A->a = L; }
/* Its expression may name locals that live in the frame: lowered like any. */
declaration(A) ::= STATIC_ASSERT(X) LP cond(E) COMMA strings(M) RP SEMI(Y).
    { A = N(S_STATIC_ASSERT, X); A->last = Y; A->a = E;
      A->b = N(E_STRING, M.first); A->b->last = M.last; }

init_decls(A) ::= init_decl(X). { A = X; }
init_decls(A) ::= init_decls(L) COMMA init_decl(X). { A = ast_list_append(L, X); }

init_decl(A) ::= adecl(D). { A = D; }
init_decl(A) ::= adecl(D) ASSIGN initializer(I). { A = D; A->a = I; }

/* A declarator with the GNU attributes after it, as in a declaration, a
 * parameter, an `async with` item or an `async for` head: the last
 * token of the last attribute is its op (0: none). */
adecl(A) ::= declarator(D). { A = D; }
adecl(A) ::= declarator(D) gnu_attrs(G). { A = D; A->op = G; }

declarator(A) ::= ddecl(D). { A = parser_declarator(p, D, rng(-1, -1)); }
declarator(A) ::= pointer(P) ddecl(D). { A = parser_declarator(p, D, P); }

ddecl(A) ::= IDENT(X). { A = N(D_VAR, X); }
ddecl(A) ::= LP(L) declarator(D) RP(R). { A = D; A->first = L; A->last = R; }
ddecl(A) ::= ddecl(D) LB RB(R). { A = D; A->last = R; }
ddecl(A) ::= ddecl(D) LB assign(E) RB(R). { A = sized(D, E, R); }
ddecl(A) ::= ddecl(D) LB STAR RB(R). { A = D; A->last = R; }
/* A parameter's [static N], [const N], [restrict]... (C11 6.7.6.3p7): the
 * pointer it is adjusted to is qualified, and N elements at least there. */
ddecl(A) ::= ddecl(D) LB qual_list RB(R). { A = D; A->last = R; }
ddecl(A) ::= ddecl(D) LB qual_list assign(E) RB(R). { A = sized(D, E, R); }
ddecl(A) ::= ddecl(D) LB STATIC assign(E) RB(R). { A = sized(D, E, R); }
ddecl(A) ::= ddecl(D) LB STATIC qual_list assign(E) RB(R). { A = sized(D, E, R); }
ddecl(A) ::= ddecl(D) LB qual_list STATIC assign(E) RB(R). { A = sized(D, E, R); }
ddecl(A) ::= ddecl(D) LP RP(R). { A = D; A->last = R; }
ddecl(A) ::= ddecl(D) LP param_list RP(R). { A = D; A->last = R; }
ddecl(A) ::= ddecl(D) LP param_list COMMA ELLIPSIS RP(R). { A = D; A->last = R; }

ptr_opt(A) ::= . { A = rng(-1, -1); }
ptr_opt(A) ::= pointer(P). { A = P; }
pointer(A) ::= STAR(X). { A = rng(X, X); }
pointer(A) ::= STAR(X) qual_list(Q). { A = rng(X, Q.last); }
pointer(A) ::= STAR(X) pointer(P). { A = rng(X, P.last); }
pointer(A) ::= STAR(X) qual_list pointer(P). { A = rng(X, P.last); }
qual_list(A) ::= CONST(X). { A = rng(X, X); }
qual_list(A) ::= VOLATILE(X). { A = rng(X, X); }
qual_list(A) ::= RESTRICT(X). { A = rng(X, X); }
qual_list(A) ::= qual_list(Q) CONST(X). { A = rng(Q.first, X); }
qual_list(A) ::= qual_list(Q) VOLATILE(X). { A = rng(Q.first, X); }
qual_list(A) ::= qual_list(Q) RESTRICT(X). { A = rng(Q.first, X); }

params(A) ::= . { A = NULL; }
params(A) ::= param_list(L). { A = L; }
params(A) ::= param_list(L) COMMA ELLIPSIS(E). { Node *v = N(D_PARAM, E); v->op = TK_ELLIPSIS; A = ast_list_append(L, v); }
param_list(A) ::= param(X). { A = X; }
param_list(A) ::= param_list(L) COMMA param(X). { A = ast_list_append(L, X); }

param(A) ::= specs(S) adecl(D).
    { A = N(D_PARAM, D->tok); A->first = S.first; A->last = D->last; A->a = D; A->b = D->b; }
param(A) ::= specs(S). { A = N(D_PARAM, -1); A->first = S.first; A->last = S.last; }
param(A) ::= specs(S) abs_decl(D). { A = N(D_PARAM, -1); A->first = S.first; A->last = D.last; }

type_name(A) ::= sq_list(S). { A = S; }
type_name(A) ::= sq_list(S) abs_decl(D). { A = rng(S.first, D.last); }
sq_list(A) ::= sq_item(X). { A = X; }
sq_list(A) ::= sq_list(S) sq_item(X). { A = rng(S.first, X.last); }
sq_item(A) ::= type_spec(X). { A = X; }
sq_item(A) ::= CONST(X). { A = rng(X, X); }
sq_item(A) ::= VOLATILE(X). { A = rng(X, X); }
sq_item(A) ::= RESTRICT(X). { A = rng(X, X); }
sq_item(A) ::= ATOMIC(X). { A = rng(X, X); }

abs_decl(A) ::= pointer(P). { A = P; }
abs_decl(A) ::= dabs_decl(D). { A = D; }
abs_decl(A) ::= pointer(P) dabs_decl(D). { A = rng(P.first, D.last); }
dabs_decl(A) ::= LP(L) abs_decl RP(R). { A = rng(L, R); }
dabs_decl(A) ::= LB(L) RB(R). { A = rng(L, R); }
dabs_decl(A) ::= LB(L) assign RB(R). { A = rng(L, R); }
dabs_decl(A) ::= LB(L) qual_list RB(R). { A = rng(L, R); }
dabs_decl(A) ::= LB(L) qual_list assign RB(R). { A = rng(L, R); }
dabs_decl(A) ::= LB(L) STATIC assign RB(R). { A = rng(L, R); }
dabs_decl(A) ::= LB(L) STATIC qual_list assign RB(R). { A = rng(L, R); }
dabs_decl(A) ::= LB(L) qual_list STATIC assign RB(R). { A = rng(L, R); }
dabs_decl(A) ::= dabs_decl(D) LB RB(R). { A = rng(D.first, R); }
dabs_decl(A) ::= dabs_decl(D) LB assign RB(R). { A = rng(D.first, R); }
dabs_decl(A) ::= LP(L) RP(R). { A = rng(L, R); }
dabs_decl(A) ::= LP(L) param_list RP(R). { A = rng(L, R); }
dabs_decl(A) ::= dabs_decl(D) LP RP(R). { A = rng(D.first, R); }
dabs_decl(A) ::= dabs_decl(D) LP param_list RP(R). { A = rng(D.first, R); }

initializer(A) ::= assign(X). { A = X; }
initializer(A) ::= LC(L) RC. { A = N(E_INITLIST, L); }
initializer(A) ::= LC(L) error RC. { A = N(E_INITLIST, L); }
initializer(A) ::= LC(L) init_list(I) RC. { A = N(E_INITLIST, L); A->a = I; }
initializer(A) ::= LC(L) init_list(I) COMMA RC. { A = N(E_INITLIST, L); A->a = I; }
init_list(A) ::= init_item(X). { A = X; }
init_list(A) ::= init_list(L) COMMA init_item(X). { A = ast_list_append(L, X); }
init_item(A) ::= initializer(X). { A = X; }
init_item(A) ::= desig(D) ASSIGN initializer(X). { A = typed(p, E_DESIG, D.first, D, X); }
desig(A) ::= LB(L) cond RB(R). { A = rng(L, R); }
desig(A) ::= DOT(L) member(M). { A = rng(L, M); }
desig(A) ::= desig(D) LB cond RB(R). { A = rng(D.first, R); }
desig(A) ::= desig(D) DOT member(M). { A = rng(D.first, M); }

/************** statements **************************************************/
compound(A) ::= LC(L) RC(R). { A = N(S_BLOCK, L); A->last = R; }
compound(A) ::= LC(L) items(I) RC(R). { A = N(S_BLOCK, L); A->a = I; A->last = R; }
/* Recovery from a syntax error (reported already; the item is dropped):
 * skip to the end of the statement, or of the block, or over the block
 * after a statement's broken head (`while (a { ... }`), so that the braces
 * still pair and the next error is a real one.  An initializer's braces
 * pair by a rule of their own, or its '}' would end the block.  After one
 * of these the next error is reported at once (resync), not only when
 * lemon has shifted three tokens: the parser is at a statement's start. */
compound(A) ::= LC(L) error RC(R). { A = N(S_BLOCK, L); A->last = R; resync(yypParser); }
compound(A) ::= LC(L) items(I) error RC(R).
    { A = N(S_BLOCK, L); A->a = I; A->last = R; resync(yypParser); }
items(A) ::= item_stmt(X). { A = X; }
items(A) ::= items(L) item_stmt(X). { A = X ? ast_list_append(L, X) : L; }
item_stmt(A) ::= declaration(X). { A = X; }
item_stmt(A) ::= stmt(X). { A = X; }
/* (the else of an if whose head or first branch was broken goes with
 * them: not an error of its own) */
item_stmt(A) ::= skipped. [LOWER_THAN_ELSE] { A = NULL; resync(yypParser); }
item_stmt(A) ::= skipped ELSE stmt. { A = NULL; resync(yypParser); }
skipped ::= error SEMI.
skipped ::= error compound.
/* _Pragma("...") is a directive (C11 6.10.9): copied on a line of its own,
 * like a #pragma line between the items of a block. */
item_stmt(A) ::= PRAGMA(X) LP STRING RP(Y). { A = N(S_PP, X); A->last = Y; }

stmt(A) ::= compound(X). { A = X; }
stmt(A) ::= PPLINE(X). { A = N(S_PP, X); }
stmt(A) ::= SEMI(X). { A = N(S_EMPTY, X); }
stmt(A) ::= STMT_ATTR(X) SEMI(Y). { A = N(S_EMPTY, Y); A->first = X; A->last = Y; }
stmt(A) ::= expr(E) SEMI. { A = N(S_EXPR, ast_first_tok(E)); A->a = E; }
stmt(A) ::= IDENT(X) COLON stmt(S). { A = N(S_LABEL, X); A->b = S; }
stmt(A) ::= CASE(X) cond(E) COLON stmt(S). { A = N(S_CASE, X); A->a = E; A->b = S; }
stmt(A) ::= DEFAULT(X) COLON stmt(S). { A = N(S_DEFAULT, X); A->b = S; }
stmt(A) ::= IF(X) LP expr(E) RP stmt(S). [LOWER_THAN_ELSE] { A = N(S_IF, X); A->a = E; A->b = S; }
stmt(A) ::= IF(X) LP expr(E) RP stmt(S) ELSE stmt(T). { A = N(S_IF, X); A->a = E; A->b = S; A->c = T; }
stmt(A) ::= SWITCH(X) LP expr(E) RP stmt(S). { A = N(S_SWITCH, X); A->a = E; A->b = S; }
stmt(A) ::= WHILE(X) LP expr(E) RP stmt(S). { A = N(S_WHILE, X); A->a = E; A->b = S; }
stmt(A) ::= DO(X) stmt(S) WHILE LP expr(E) RP SEMI. { A = N(S_DO, X); A->a = E; A->b = S; }
stmt(A) ::= FOR(X) LP for_init(I) expr_opt(C) SEMI expr_opt(St) RP stmt(S).
    { A = N(S_FOR, X); A->d = I; A->a = C; A->c = St; A->b = S; }
stmt(A) ::= GOTO(X) IDENT(L) SEMI. { A = N(S_GOTO, X); A->first = L; }
stmt(A) ::= CONTINUE(X) SEMI. { A = N(S_CONTINUE, X); }
stmt(A) ::= BREAK(X) SEMI. { A = N(S_BREAK, X); }
stmt(A) ::= RETURN(X) SEMI. { A = N(S_RETURN, X); }
stmt(A) ::= RETURN(X) expr(E) SEMI. { A = N(S_RETURN, X); A->a = E; }
stmt(A) ::= THROW(X) expr(E) SEMI. { A = N(S_THROW, X); A->a = E; }
stmt(A) ::= THROW(X) SEMI. { A = N(S_THROW, X); /* rejected by check */ }
/* A try without catch is reported by check, which names the next token. */
stmt(A) ::= TRY(X) compound(B). { A = N(S_TRY, X); A->a = B; }
stmt(A) ::= TRY(X) compound(B) CATCH LP param(P) RP compound(C).
    { A = N(S_TRY, X); A->a = B; A->b = P; A->c = C; }
stmt(A) ::= DEFER(X) stmt(S). { A = N(S_DEFER, X); A->a = S; }
/* async with (ITEM, ...) S: the items nest left to right (parser_with). */
stmt(A) ::= ASYNC(X) WITH LP with_items(L) RP stmt(S). { A = parser_with(p, X, L, S); }
/* async for (T v : EXPR) S */
stmt(A) ::= ASYNC(X) FOR LP specs(S) adecl(D) COLON expr(E) RP stmt(B).
    { Node *d = N(S_DECL, S.first); d->last = S.last; d->op = S.flags; d->a = D;
      A = N(S_AFOR, X); A->a = d; A->b = B; A->c = E; }
/* async for (size_t i, T v : aenumerate(EXPR [, START])) S */
stmt(A) ::= ASYNC(X) FOR LP specs(S1) adecl(D1) COMMA specs(S) adecl(D) COLON expr(E) RP stmt(B).
    { Node *i = N(S_DECL, S1.first); i->last = S1.last; i->op = S1.flags; i->a = D1;
      Node *d = N(S_DECL, S.first); d->last = S.last; d->op = S.flags; d->a = D;
      A = N(S_AFOR, X); A->a = d; A->b = B; A->c = E; A->d = i; }
/* spawn (GROUP) LVALUE = CALL;  or  spawn (GROUP) CALL; */
stmt(A) ::= SPAWN(X) LP expr(G) RP expr(E) SEMI. { A = N(S_SPAWN, X); A->a = G; A->b = E; }
stmt(A) ::= YIELD(X) expr(E) SEMI. { A = N(S_YIELD, X); A->a = E; }
stmt(A) ::= YIELD(X) SEMI. { A = N(S_YIELD, X); }
stmt(A) ::= ERRDEFER(X) stmt(S). { A = N(S_ERRDEFER, X); A->a = S; }

for_init(A) ::= SEMI. { A = NULL; }
for_init(A) ::= expr(E) SEMI. { A = N(S_EXPR, ast_first_tok(E)); A->a = E; }
for_init(A) ::= declaration(D). { A = D; }

with_items(A) ::= with_item(X). { A = X; }
with_items(A) ::= with_items(L) COMMA with_item(X). { A = ast_list_append(L, X); }
/* An item declares one variable, or is a bare manager expression. */
with_item(A) ::= specs(S) adecl(D) ASSIGN assign(E).
    { A = N(S_DECL, S.first); A->last = S.last; A->op = S.flags; D->a = E; A->a = D; }
with_item(A) ::= assign(E). { A = N(S_EXPR, ast_first_tok(E)); A->a = E; }

expr_opt(A) ::= . { A = NULL; }
expr_opt(A) ::= expr(E). { A = E; }

/************** expressions *************************************************/
expr(A) ::= assign(X). { A = X; }
expr(A) ::= expr(L) COMMA(O) assign(R). { A = bin(p, E_COMMA, L, O, R); }

assign(A) ::= cond(X). { A = X; }
assign(A) ::= unary(L) aop(O) assign(R). { A = bin(p, E_ASSIGN, L, O, R); }
aop(A) ::= ASSIGN(X). { A = X; }
aop(A) ::= MULASSIGN(X). { A = X; }
aop(A) ::= DIVASSIGN(X). { A = X; }
aop(A) ::= MODASSIGN(X). { A = X; }
aop(A) ::= ADDASSIGN(X). { A = X; }
aop(A) ::= SUBASSIGN(X). { A = X; }
aop(A) ::= SHLASSIGN(X). { A = X; }
aop(A) ::= SHRASSIGN(X). { A = X; }
aop(A) ::= ANDASSIGN(X). { A = X; }
aop(A) ::= XORASSIGN(X). { A = X; }
aop(A) ::= ORASSIGN(X). { A = X; }

cond(A) ::= lor(X). { A = X; }
cond(A) ::= lor(C) QUEST(Q) expr(T) COLON cond(F). { A = N(E_COND, Q); A->a = C; A->b = T; A->c = F; }
lor(A) ::= land(X). { A = X; }
lor(A) ::= lor(L) OROR(O) land(R). { A = bin(p, E_BINARY, L, O, R); }
land(A) ::= bor(X). { A = X; }
land(A) ::= land(L) ANDAND(O) bor(R). { A = bin(p, E_BINARY, L, O, R); }
bor(A) ::= bxor(X). { A = X; }
bor(A) ::= bor(L) OR(O) bxor(R). { A = bin(p, E_BINARY, L, O, R); }
bxor(A) ::= band(X). { A = X; }
bxor(A) ::= bxor(L) XOR(O) band(R). { A = bin(p, E_BINARY, L, O, R); }
band(A) ::= equ(X). { A = X; }
band(A) ::= band(L) AMP(O) equ(R). { A = bin(p, E_BINARY, L, O, R); }
equ(A) ::= rel(X). { A = X; }
equ(A) ::= equ(L) EQ(O) rel(R). { A = bin(p, E_BINARY, L, O, R); }
equ(A) ::= equ(L) NE(O) rel(R). { A = bin(p, E_BINARY, L, O, R); }
rel(A) ::= shift(X). { A = X; }
rel(A) ::= rel(L) LT(O) shift(R). { A = bin(p, E_BINARY, L, O, R); }
rel(A) ::= rel(L) GT(O) shift(R). { A = bin(p, E_BINARY, L, O, R); }
rel(A) ::= rel(L) LE(O) shift(R). { A = bin(p, E_BINARY, L, O, R); }
rel(A) ::= rel(L) GE(O) shift(R). { A = bin(p, E_BINARY, L, O, R); }
shift(A) ::= add(X). { A = X; }
shift(A) ::= shift(L) SHL(O) add(R). { A = bin(p, E_BINARY, L, O, R); }
shift(A) ::= shift(L) SHR(O) add(R). { A = bin(p, E_BINARY, L, O, R); }
add(A) ::= mul(X). { A = X; }
add(A) ::= add(L) PLUS(O) mul(R). { A = bin(p, E_BINARY, L, O, R); }
add(A) ::= add(L) MINUS(O) mul(R). { A = bin(p, E_BINARY, L, O, R); }
mul(A) ::= cast(X). { A = X; }
mul(A) ::= mul(L) STAR(O) cast(R). { A = bin(p, E_BINARY, L, O, R); }
mul(A) ::= mul(L) SLASH(O) cast(R). { A = bin(p, E_BINARY, L, O, R); }
mul(A) ::= mul(L) PERCENT(O) cast(R). { A = bin(p, E_BINARY, L, O, R); }

cast(A) ::= unary(X). { A = X; }
cast(A) ::= LP(L) type_name(T) RP cast(X). { A = typed(p, E_CAST, L, T, X); }

unary(A) ::= postfix(X). { A = X; }
unary(A) ::= INC(O) unary(X). { A = un(p, E_PRE, O, X); }
unary(A) ::= DEC(O) unary(X). { A = un(p, E_PRE, O, X); }
unary(A) ::= uop(O) cast(X). { A = un(p, E_PRE, O, X); }
unary(A) ::= SIZEOF(O) unary(X). { A = un(p, E_SIZEOF, O, X); }
unary(A) ::= SIZEOF(O) LP type_name(T) RP. { A = typed(p, E_SIZEOF_T, O, T, NULL); A->op = TK_SIZEOF; }
unary(A) ::= ALIGNOF(O) LP type_name(T) RP. { A = typed(p, E_SIZEOF_T, O, T, NULL); A->op = TK_ALIGNOF; }
unary(A) ::= AWAIT(O) unary(X). { A = un(p, E_AWAIT, O, X); }
uop(A) ::= AMP(X). { A = X; }
uop(A) ::= STAR(X). { A = X; }
uop(A) ::= PLUS(X). { A = X; }
uop(A) ::= MINUS(X). { A = X; }
uop(A) ::= TILDE(X). { A = X; }
uop(A) ::= NOT(X). { A = X; }

postfix(A) ::= primary(X). { A = X; }
postfix(A) ::= postfix(F) LB(O) expr(I) RB. { A = bin(p, E_INDEX, F, O, I); }
postfix(A) ::= postfix(F) LP(O) RP. { A = bin(p, E_CALL, F, O, NULL); }
postfix(A) ::= postfix(F) LP(O) args(L) RP. { A = bin(p, E_CALL, F, O, L); }
postfix(A) ::= postfix(F) DOT member(M). { A = N(E_MEMBER, M); A->a = F; A->op = TK_DOT; }
postfix(A) ::= postfix(F) ARROW member(M). { A = N(E_MEMBER, M); A->a = F; A->op = TK_ARROW; }
postfix(A) ::= postfix(F) INC(O). { A = un(p, E_POST, O, F); }
postfix(A) ::= postfix(F) DEC(O). { A = un(p, E_POST, O, F); }
postfix(A) ::= LP(L) type_name(T) RP LC init_list(I) RC.
    { Node *l = N(E_INITLIST, L); l->a = I; A = typed(p, E_COMPLIT, L, T, l); }
postfix(A) ::= LP(L) type_name(T) RP LC init_list(I) COMMA RC.
    { Node *l = N(E_INITLIST, L); l->a = I; A = typed(p, E_COMPLIT, L, T, l); }
/* (recovery: the braces of a broken compound literal pair, see compound) */
postfix(A) ::= LP(L) type_name(T) RP LC error RC.
    { Node *l = N(E_INITLIST, L); A = typed(p, E_COMPLIT, L, T, l); }
member(A) ::= IDENT(X). { A = X; }
member(A) ::= TYPENAME(X). { A = X; }

args(A) ::= assign(X). { A = X; }
args(A) ::= args(L) COMMA assign(X). { A = ast_list_append(L, X); }
/* A type name is no expression, but macros take them: offsetof(struct s, m),
   va_arg(ap, int), container_of(p, struct s, m). */
args(A) ::= type_arg(X). { A = X; }
args(A) ::= args(L) COMMA type_arg(X). { A = ast_list_append(L, X); }
type_arg(A) ::= type_name(T). { A = typed(p, E_TYPEARG, T.first, T, NULL); }

primary(A) ::= IDENT(X). { A = N(E_IDENT, X); }
primary(A) ::= NUMBER(X). { A = N(E_CONST, X); }
primary(A) ::= CHARLIT(X). { A = N(E_CONST, X); }
primary(A) ::= strings(S). { A = N(E_STRING, S.first); A->last = S.last; }
primary(A) ::= LP(L) expr(X) RP. { A = un(p, E_PAREN, L, X); }
primary(A) ::= GENERIC(G) LP assign(X) COMMA assocs(L) RP(R).
    { A = N(E_GENERIC, G); A->a = X; A->b = L; A->last = R; }
/* A name beside a string literal is a macro that expands to one, as
 * <inttypes.h>'s are ("%" PRId64 "\n"): nothing else may stand there. */
strings(A) ::= STRING(X). { A = rng(X, X); }
strings(A) ::= IDENT(X) STRING(Y). { A = rng(X, Y); }
strings(A) ::= strings(S) STRING(X). { A = rng(S.first, X); }
strings(A) ::= strings(S) IDENT(X). { A = rng(S.first, X); }
assocs(A) ::= assoc(X). { A = X; }
assocs(A) ::= assocs(L) COMMA assoc(X). { A = ast_list_append(L, X); }
assoc(A) ::= type_name(T) COLON assign(X). { A = typed(p, E_ASSOC, T.first, T, X); }
assoc(A) ::= DEFAULT(D) COLON assign(X). { A = typed(p, E_ASSOC, D, rng(D, D), X); }
