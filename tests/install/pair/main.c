/* Plain C including a generated header: its object must be rebuilt when
 * app.h is regenerated (the Make rule of docs/build.md).  Prints 42. */
#include <stdio.h>
#include "app.h"

int main(void)
{
    int r = 0;
    ac_error *e = ac_run(pair_sum(40), &r);
    int failed = e != NULL;
    printf("%d\n", r);
    ac_error_release(e);
    return failed;
}
