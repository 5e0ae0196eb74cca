/* mem.c: the arena and the growable buffer. */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The arena is a list of blocks; a request larger than a block gets a block
 * of its own. */
typedef struct Block {
    struct Block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} Block;

/* A heap block the arena frees (mem_adopt). */
typedef struct Adopted {
    struct Adopted *next;
    void *p;
} Adopted;

struct Arena {
    Block *head;
    Adopted *adopted;
};

enum { BLOCK_SIZE = 64 * 1024 };

void mem_die(const char *file, int line)
{
    fprintf(stderr, "acc: internal error at %s:%d\n", file, line);
    abort();
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("acc: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

Arena *mem_new(void)
{
    Arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    a->adopted = NULL;
    return a;
}

void mem_free(Arena *a)
{
    if (!a)
        return;
    for (Adopted *d = a->adopted; d; d = d->next)
        free(d->p);
    for (Block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *mem_alloc(Arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    Block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        b = xmalloc(sizeof *b + size);
        b->used = 0;
        b->size = size;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *mem_strndup(Arena *a, const char *s, size_t n)
{
    char *p = mem_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *mem_strdup(Arena *a, const char *s)
{
    return mem_strndup(a, s, strlen(s));
}

void *mem_grow(Arena *a, void *old, int n, int *cap, size_t size)
{
    if (n < *cap)
        return old;
    int c = *cap ? 2 * *cap : 16;
    void *v = mem_alloc(a, size * (size_t)c);
    if (n)
        memcpy(v, old, size * (size_t)n);
    *cap = c;
    return v;
}

void *mem_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("acc: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

void mem_adopt(Arena *a, void *p)
{
    if (!p)
        return;
    Adopted *d = mem_alloc(a, sizeof *d);
    d->p = p;
    d->next = a->adopted;
    a->adopted = d;
}

char *mem_printf(Arena *a, const char *fmt, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *p = mem_strndup(a, b.p ? b.p : "", b.len);
    buf_free(&b);
    return p;
}

static void buf_grow(Buf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fputs("acc: out of memory\n", stderr);
        exit(1);
    }
    b->p = p;
    b->cap = cap;
}

void buf_put(Buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void buf_puts(Buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        die_internal();
    buf_grow(b, (size_t)n);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_free(Buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
