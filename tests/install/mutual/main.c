/* Forty-two awaits between ping.ac and pong.ac.  Prints 42. */
#include <stdio.h>

#include "ping.h"

int main(void)
{
    int r = 0;
    ac_error *e = ac_run(ping(42), &r);
    int failed = e != NULL;
    printf("%d\n", r);
    ac_error_release(e);
    return failed;
}
