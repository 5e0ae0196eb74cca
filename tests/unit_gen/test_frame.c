/* test_frame.c: the --frame-sizes estimate (frame.c) against the sizes the
 * C compiler gives the same declarations, on an LP64 host: field sizes and
 * alignments through declarators and the runtime's types, layouts of
 * frames, and what the report may claim of a field it cannot size. */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <ac/ac.h>
#include <ac/gencm.h>

#include "frame.h"

static int lp64(void)
{
    return sizeof(void *) == 8 && sizeof(long) == 8 && sizeof(int) == 4;
}

#define assert_field(text, type)                                      \
    do {                                                              \
        long align_ = 0;                                              \
        assert_int_equal(frame_field_size(text, &align_), sizeof(type)); \
        assert_int_equal(align_, alignof(type));                      \
    } while (0)

/* Declarators read from the name outward (a pointer to an array is a
 * pointer, an array of function pointers an array), _Complex is two of
 * its real type, the runtime's structs have a pointer's alignment. */
static void test_field_sizes(void **state)
{
    (void)state;
    if (!lp64())
        skip();
    assert_field("ac_cm lock", ac_cm);
    assert_field("ac__gencm ac_gc", ac__gencm);
    assert_field("char (*p)[10]", char (*)[10]);
    assert_field("int (*fps[4])(int)", int (*[4])(int));
    assert_field("double _Complex z", double _Complex);
    assert_field("float _Complex zs[3]", float _Complex[3]);
    assert_field("long double x[2]", long double[2]);
    assert_field("const char *const (*names)", const char *const *);
    assert_field("unsigned char k[3][5]", unsigned char[3][5]);
    assert_field("_Atomic(int) a", _Atomic(int));
    assert_field("struct conn * ac_rv", void *);
    assert_field("size_t n[0x10]", size_t[16]);
    assert_field("unsigned short s[4u]", unsigned short[4]);
}

/* A size acc cannot tell is -1, with the alignment it knows of: what an
 * attribute or _Alignas asks, an array's element's, else 1. */
static void test_unknown_fields(void **state)
{
    (void)state;
    long align = 0;
    assert_int_equal(frame_field_size("struct stat st", &align), -1);
    assert_int_equal(align, 1);
    assert_int_equal(frame_field_size("struct stat big __attribute__((aligned(64)))", &align), -1);
    assert_int_equal(align, 64);
    assert_int_equal(frame_field_size("_Alignas(32) mytype v", &align), -1);
    assert_int_equal(align, 32);
    assert_int_equal(frame_field_size("int buf[N]", &align), -1);
    assert_int_equal(align, 4);
    assert_int_equal(frame_field_size("char m[sizeof(\"]\") / sizeof(\"]\")[0]]", &align), -1);
    assert_int_equal(align, 1);
    assert_int_equal(frame_field_size("int f(int)", &align), -1);
}

struct known_frame {
    ac_frame hdr;
    ac_error *ac_handled;
    ac_cm lock;
    int ac_rv;
    unsigned char ac_k4;
    ac_cm ac_t1;
    _Bool ac_t6;
    union {
        struct {
            char c;
            double d[3];
        };
        struct {
            long double ld;
            char (*pa)[7];
        };
    };
    short tail;
};

static const char known_text[] =
    "struct f__frame {\n"
    "    ac_frame hdr;\n"
    "    ac_error *ac_handled; /* error being handled (ac__hframe) */\n"
    "    ac_cm lock; /* parameter */\n"
    "    int ac_rv; /* return value */\n"
    "    unsigned char ac_k4; /* how the block at line 23 is left */\n"
    "    ac_cm ac_t1;\n"
    "    _Bool ac_t6;\n"
    "    union { /* scopes never live together */\n"
    "        struct {\n"
    "            char c;\n"
    "            double d[3];\n"
    "        };\n"
    "        struct {\n"
    "            long double ld;\n"
    "            char (*pa)[7];\n"
    "        };\n"
    "    };\n"
    "    short tail;\n"
    "};\n";

/* A frame of types acc knows is laid out as the compiler lays it out. */
static void test_known_layout(void **state)
{
    (void)state;
    if (!lp64())
        skip();
    FrameSize r = frame_layout(known_text, NULL);
    assert_int_equal(r.unknown, 0);
    assert_int_equal(r.conditional, 0);
    assert_int_equal(r.size, sizeof(struct known_frame));
    assert_int_equal(r.align, alignof(struct known_frame));
}

struct unknown_frame {
    ac_frame hdr;
    char c;
    struct stat st;
    char d;
    struct stat big __attribute__((aligned(64)));
};

/* With fields it cannot size the size is a lower bound: each counts one
 * byte at the alignment acc knows of it (the 64 asked of `big` makes the
 * frame 64-aligned, 128 bytes at least). */
static void test_unknown_layout_is_a_lower_bound(void **state)
{
    (void)state;
    if (!lp64())
        skip();
    FrameSize r = frame_layout("struct f__frame {\n"
                               "    ac_frame hdr;\n"
                               "    char c;\n"
                               "    struct stat st;\n"
                               "    char d;\n"
                               "    struct stat big __attribute__((aligned(64)));\n"
                               "};\n",
                               NULL);
    assert_int_equal(r.unknown, 2);
    assert_int_equal(r.align, 64);
    assert_int_equal(r.size, 128);
    assert_true((size_t)r.size <= sizeof(struct unknown_frame));
}

/* Fields under #if lines all count: the size is an upper bound. */
static void test_conditional_layout(void **state)
{
    (void)state;
    if (!lp64())
        skip();
    FrameSize r = frame_layout("struct f__frame {\n"
                               "    ac_frame hdr;\n"
                               "#ifdef BIG\n"
                               "    char buf[4096];\n"
                               "#else\n"
                               "    char buf_2[8];\n"
                               "#endif\n"
                               "};\n",
                               NULL);
    assert_int_equal(r.conditional, 1);
    assert_int_equal(r.unknown, 0);
    assert_int_equal(r.size, 48 + 4096 + 8);
}

/* The line directives before fields (to their .ac declarations) are no
 * #if lines, and a field after a declaration's tab counts as any other. */
static void test_line_directives_are_no_conditionals(void **state)
{
    (void)state;
    if (!lp64())
        skip();
    FrameSize r = frame_layout("struct f__frame {\n"
                               "    ac_frame hdr;\n"
                               "#line 3 \"x.ac\"\n"
                               "    int n; /* parameter */\n"
                               "#line 24 \"x.c\"\n"
                               "    int ac_rv; /* return value */\n"
                               "# 5 \"x.ac\"\n"
                               "\tlong a;\n"
                               "};\n",
                               NULL);
    assert_int_equal(r.conditional, 0);
    assert_int_equal(r.unknown, 0);
    assert_int_equal(r.size, 48 + 4 + 4 + 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_sizes),
        cmocka_unit_test(test_unknown_fields),
        cmocka_unit_test(test_known_layout),
        cmocka_unit_test(test_unknown_layout_is_a_lower_bound),
        cmocka_unit_test(test_conditional_layout),
        cmocka_unit_test(test_line_directives_are_no_conditionals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
