/* Plain C against the installed meter library: prints 42. */
#include <stdio.h>
#include "meter.h"

int main(void)
{
    int r = 0;
    ac_error *e = ac_run(meter_read(40), &r);
    int failed = e != NULL;
    ac_error_release(e);
    printf("%d\n", r);
    return failed || r != 42;
}
