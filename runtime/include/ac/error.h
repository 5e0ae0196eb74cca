/* ac/error.h: errors, the exceptions of the AC dialect.
 *
 * An ac_error is a reference-counted object: a code (an errno value such as
 * ECANCELED or ENOMEM, or a user code), a message, the source location of the
 * `throw` that first raised it, and a context: the error that was being
 * handled when this one was thrown (Python's __context__).  An error group
 * (code AC_EGROUP) also holds a list of child errors.
 *
 * Ownership: every function that returns an `ac_error *` to the caller gives
 * it one reference; ac_error_release() drops it.  Releasing never recurses,
 * however long the context chain.  Out of memory never fails an error
 * constructor: it returns a preallocated ENOMEM error instead.
 */
#ifndef AC_ERROR_H
#define AC_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Runtime error codes that are not errno values.  User codes should be
 * positive and below AC_ECODE_BASE; errno values are used as they are. */
#define AC_ECODE_BASE 0x4100
#define AC_EGENERATOR (AC_ECODE_BASE + 1) /* a generator broke the manager protocol */
#define AC_ESTATE (AC_ECODE_BASE + 2)     /* an object used in a state that forbids it */
#define AC_EGROUP (AC_ECODE_BASE + 3)     /* an error group */
#define AC_EGENCLOSE (AC_ECODE_BASE + 4)  /* the close delivered to a closing generator */

typedef struct ac_error ac_error;

/* A new error with `code` and a printf-style message.  With fmt == NULL the
 * message is a default text for the code (strerror's for errno values).
 * Never returns NULL: without memory it returns an ENOMEM error. */
ac_error *ac_error_new(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
ac_error *ac_error_newv(int code, const char *fmt, va_list ap);

/* A new error group holding `n` children (NULL entries are skipped); takes
 * over the caller's reference to each child; msg may be NULL.  Never returns
 * NULL: without memory it returns an ENOMEM error whose context chain holds
 * the first child, and releases the others. */
ac_error *ac_error_group(const char *msg, ac_error **children, size_t n);

int ac_error_code(const ac_error *e);
const char *ac_error_message(const ac_error *e); /* never NULL */
const char *ac_error_file(const ac_error *e);    /* NULL until thrown */
int ac_error_line(const ac_error *e);            /* 0 until thrown */
const ac_error *ac_error_context(const ac_error *e);

/* Children of a group (0 and NULL for other errors). */
size_t ac_error_count(const ac_error *e);
const ac_error *ac_error_child(const ac_error *e, size_t i);

/* Set or clear (ctx == NULL) the context explicitly.  A context cleared this
 * way stays cleared: no later throw re-links it (BEHAVIOURS BX-02).  ctx is
 * retained (the caller keeps its own reference).  A ctx whose chain already
 * contains e would close a cycle: that call changes nothing. */
void ac_error_set_context(ac_error *e, ac_error *ctx);

ac_error *ac_error_retain(ac_error *e); /* returns e; NULL-safe */
void ac_error_release(ac_error *e);     /* NULL-safe; iterative */

/* Prints e to stderr, a line per error: first "PREFIX: file:line: message
 * (code N)" (no "PREFIX: " when prefix is NULL, no location before a
 * throw), then its context chain ("context: ...", indented; 64 links at
 * most) and a group's children ("child: ...", nested groups to a depth of
 * 4).  Nothing for a NULL e. */
void ac_error_print(const ac_error *e, const char *prefix);

/* Test hook: make the n-th allocation from now on fail (n >= 1); 0 turns
 * the hook off.  Returns how many allocations were made since the last call
 * (so a test can step n through a scenario until no failure is injected).
 * Counts and the hook are per thread: they see the calling thread's
 * allocations only, so a test stays deterministic. */
unsigned long ac_alloc_fail_at(unsigned long n);

#ifdef __cplusplus
}
#endif
#endif /* AC_ERROR_H */
