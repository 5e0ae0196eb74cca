/* mem.h: one arena per input.  Everything the generator allocates while
 * processing a file comes from the arena and is freed at once at the end
 * (QBE's pools), so no stage has to track ownership. */
#ifndef MEM_H
#define MEM_H

#include <stdarg.h>
#include <stddef.h>

typedef struct Arena Arena;

Arena *mem_new(void);
void mem_free(Arena *a);
void *mem_alloc(Arena *a, size_t n); /* zeroed; aborts on out of memory */
char *mem_strndup(Arena *a, const char *s, size_t n);
char *mem_strdup(Arena *a, const char *s);
char *mem_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An arena array `old` of n elements of `size` bytes with room for *cap:
 * itself if there is room for one more, else a copy twice as large (16 at
 * first) with *cap updated.  The old copy stays in the arena. */
void *mem_grow(Arena *a, void *old, int n, int *cap, size_t size);
/* realloc(p, n), or exit with "out of memory". */
void *mem_realloc(void *p, size_t n);
/* The arena frees p (from malloc or mem_realloc; NULL is ignored) with the
 * rest: for an array grown on the heap, whose old copies realloc frees
 * where mem_grow's would stay in the arena (the token array: one token per
 * input byte at worst). */
void mem_adopt(Arena *a, void *p);

/* A growable byte buffer (output text, token arrays); lives on the heap and
 * is freed with buf_free. */
typedef struct Buf {
    char *p;
    size_t len, cap;
} Buf;

void buf_put(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_free(Buf *b);

/* Fatal internal error: "acc: internal error at FILE:LINE" and abort(). */
#define die_internal() mem_die(__FILE__, __LINE__)
void mem_die(const char *file, int line) __attribute__((noreturn));

#endif /* MEM_H */
