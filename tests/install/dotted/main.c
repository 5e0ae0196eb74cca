/* Includes the headers generated from proto.v1.ac and proto.v2.ac, which
 * must be two files.  Prints 42. */
#include <stdio.h>
#include "proto.v1.h"
#include "proto.v2.h"

int main(void)
{
    int r = 0, one = 0;
    ac_error *e = ac_run(proto_v2(20), &r);
    ac_error *e1 = ac_run(proto_v1(-1), &one);
    int failed = e != NULL || e1 != NULL || one != 0;
    printf("%d\n", r);
    ac_error_release(e);
    ac_error_release(e1);
    return failed;
}
