// A C++ program running an async function of half.ac through the generated
// header: it links only if the header gives the functions C linkage.
// Prints 42.
#include <cstdio>

#include "half.h"

int main()
{
    int r = 0;
    ac_error *e = ac_run(half(84), &r);
    int failed = e != nullptr;
    std::printf("%d\n", r);
    ac_error_release(e);
    return failed;
}
