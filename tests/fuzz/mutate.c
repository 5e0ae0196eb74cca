/* mutate.c: a deterministic mutation driver for fuzz_acc.c, for any
 * compiler (libFuzzer needs clang): each file named on the command line is
 * compiled as it is, then in N mutated versions made by a seeded PRNG, so
 * that a failure can be replayed exactly.  Mutations: flip a byte, delete,
 * duplicate or swap a span, insert a word of the dialect or a piece of C
 * punctuation, cut the tail.  A crash or a sanitizer report ends the
 * process with a non-zero status (the test fails); a hang is caught by the
 * test's timeout.
 *
 *   fuzz_acc_mutate [-n N] [-seed S] [-v] FILE...
 *
 * Diagnostics, the normal output for malformed input, are silenced unless
 * -v is given.  The last line tells how many inputs were compiled. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void) /* xorshift64 */
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t pick(size_t n) /* 0..n-1; n > 0 */
{
    return (size_t)(next() % n);
}

static const char *const words[] = {
    "async ", "await ", "yield ", "defer ", "errdefer ", "try ", "catch (ac_error *e) ",
    "throw ", "async with (", "async for (", "@contextmanager ", "@with(", "spawn (tg) ",
    "aenumerate(", "static ", "return ", "goto l; l: ", "switch (x) { case 1: ", "break; ",
    "continue; ", "{", "}", "(", ")", "[", "]", ";", ",", ":", "?", "\"", "'", "/*", "*/",
    "//", "#", "\\\n", "\n", "#pragma ac typedef T\n", "int x = ", "ac_sleep(0)",
    "sizeof(", "_Alignas(16) ", "struct s ", "typedef ", "0x", "1e", "L'",
    "<:", ":>", "<%", "%>", "%:", "\\u00e9", "\\U0001F600", "\xc3\xa9", "\xe2\x80\x94",
    "\xff", "_Pragma(\"x\") ", "_Atomic(",
};

/* Mutate buf (len bytes, room for cap) in place; returns the new length. */
static size_t mutate(char *buf, size_t len, size_t cap)
{
    size_t at = len ? pick(len) : 0;
    size_t span = len - at ? 1 + pick(len - at < 64 ? len - at : 64) : 0;
    switch (pick(6)) {
    case 0: /* flip a byte */
        if (len)
            buf[at] = (char)(buf[at] ^ (1u << pick(8)));
        break;
    case 1: /* delete a span */
        memmove(buf + at, buf + at + span, len - at - span);
        len -= span;
        break;
    case 2: /* duplicate a span */
        if (len + span <= cap) {
            memmove(buf + at + span, buf + at, len - at);
            len += span;
        }
        break;
    case 3: { /* insert a word */
        const char *w = words[pick(sizeof words / sizeof *words)];
        size_t n = strlen(w);
        if (len + n <= cap) {
            memmove(buf + at + n, buf + at, len - at);
            memcpy(buf + at, w, n);
            len += n;
        }
        break;
    }
    case 4: { /* swap a byte with another */
        size_t other = len ? pick(len) : 0;
        if (len) {
            char t = buf[at];
            buf[at] = buf[other];
            buf[other] = t;
        }
        break;
    }
    default: /* cut the tail */
        len = at;
        break;
    }
    return len;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *p = NULL;
    size_t n = 0, cap = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            char *q = realloc(p, cap);
            if (!q) {
                free(p);
                fclose(f);
                return NULL;
            }
            p = q;
        }
        p[n++] = (char)c;
    }
    fclose(f);
    *len = n;
    return p ? p : calloc(1, 1);
}

int main(int argc, char **argv)
{
    long rounds = 8;
    int verbose = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            rounds = atol(argv[++i]);
        else if (!strcmp(argv[i], "-seed") && i + 1 < argc)
            rng = strtoull(argv[++i], NULL, 10) * 2654435761u + 1;
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else
            break;
    }
    if (i == argc) {
        fputs("usage: fuzz_acc_mutate [-n N] [-seed S] [-v] FILE...\n", stderr);
        return 2;
    }
    if (!verbose && !freopen("/dev/null", "w", stderr))
        return 2;
    long inputs = 0;
    for (; i < argc; i++) {
        size_t len;
        char *orig = read_file(argv[i], &len);
        if (!orig) {
            fprintf(stdout, "fuzz_acc_mutate: cannot read %s\n", argv[i]);
            return 2;
        }
        size_t cap = 2 * len + 256;
        char *buf = malloc(cap);
        if (!buf)
            return 2;
        LLVMFuzzerTestOneInput((const uint8_t *)orig, len);
        inputs++;
        for (long r = 0; r < rounds; r++) {
            memcpy(buf, orig, len);
            size_t n = len;
            for (size_t k = 1 + pick(4); k > 0; k--) /* 1 to 4 mutations */
                n = mutate(buf, n, cap);
            LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
            inputs++;
        }
        free(buf);
        free(orig);
    }
    printf("fuzz_acc_mutate: %ld inputs compiled, none crashed\n", inputs);
    return 0;
}
