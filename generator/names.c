/* names.c: the name table (see names.h).  Open addressing with linear
 * probing; the slots double when half are used, the old array staying in
 * the arena (as mem_grow's do), so no more than the final array is lost. */
#include "names.h"

#include <string.h>

typedef struct Slot {
    const char *name; /* NULL: empty */
    size_t len;
    void *v;
} Slot;

struct Names {
    Arena *a;
    Slot *slot;
    size_t cap, n; /* cap: a power of two */
};

enum { NAMES_FIRST = 8 };

/* FNV-1a. */
static size_t hash(const char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The slot holding the name, or the empty slot where it would go. */
static Slot *find(const Names *t, const char *name, size_t len)
{
    size_t i = hash(name, len) & (t->cap - 1);
    while (t->slot[i].name && (t->slot[i].len != len || memcmp(t->slot[i].name, name, len) != 0))
        i = (i + 1) & (t->cap - 1);
    return &t->slot[i];
}

static void grow(Names *t)
{
    Slot *old = t->slot;
    size_t n = t->cap;
    t->cap *= 2;
    t->slot = mem_alloc(t->a, sizeof *t->slot * t->cap);
    for (size_t i = 0; i < n; i++)
        if (old[i].name)
            *find(t, old[i].name, old[i].len) = old[i];
}

Names *names_new(Arena *a)
{
    Names *t = mem_alloc(a, sizeof *t);
    t->a = a;
    t->cap = NAMES_FIRST;
    t->slot = mem_alloc(a, sizeof *t->slot * t->cap);
    return t;
}

void *names_get(const Names *t, const char *name, size_t len)
{
    return find(t, name, len)->v;
}

void names_put(Names *t, const char *name, size_t len, void *v)
{
    Slot *s = find(t, name, len);
    if (!s->name) {
        if (2 * (t->n + 1) > t->cap) {
            grow(t);
            s = find(t, name, len);
        }
        s->name = name;
        s->len = len;
        t->n++;
    }
    s->v = v;
}
