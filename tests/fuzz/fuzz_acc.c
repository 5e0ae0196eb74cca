/* fuzz_acc.c: the fuzz target of the generator: one input, compiled in
 * process as acc would compile a file of that content (C file, header and
 * depfile made in memory, never written), with the runtime's headers on the
 * include path.  Whatever the input, it must not crash, hang, leak or
 * touch memory it does not own (AC.md 6); diagnostics are its normal
 * output for malformed input.
 *
 * Built two ways: with mutate.c, a deterministic mutation driver that any
 * compiler can build and ctest runs (fuzz.acc), and, with clang, as a
 * libFuzzer target for long runs (-DAC_LIBFUZZER=ON; docs/build.md). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    Src src = {0};
    src.name = "fuzz.ac";
    src.text = text;
    src.len = size;
    diag_init_src(&src);
    static const char *incdirs[] = {AC_RUNTIME_INCLUDE_DIR};
    CompileOpts o = {"fuzz.c", "fuzz.h", "fuzz.d", incdirs, 1, 0, 0};
    Arena *a = mem_new();
    Compiled c;
    compile_src(&o, a, &src, &c);
    compiled_free(&c);
    mem_free(a);
    diag_free_src(&src);
    diag_reset();
    free(text);
    return 0;
}
