/* Runs third.ac's function, which the subdirectory added to this program.
 * Prints 42. */
#include <stdio.h>

#include "third.h"

int main(void)
{
    int r = 0;
    ac_error *e = ac_run(third(126), &r);
    int failed = e != NULL;
    printf("%d\n", r);
    ac_error_release(e);
    return failed;
}
