/* Plain C running total.ac's function: prints 42. */
#include <stdio.h>
#include "total.h"

int main(void)
{
    int r = 0;
    ac_error *e = ac_run(total(), &r);
    int failed = e != NULL;
    ac_error_release(e);
    printf("%d\n", r);
    return failed || r != 42;
}
