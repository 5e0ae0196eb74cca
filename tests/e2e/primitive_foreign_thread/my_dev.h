/* my_dev.h */
#ifndef MY_DEV_H
#define MY_DEV_H
#include <ac/ac.h>

/* A device that completes requests on a thread of its own: its completion
 * callback writes the result into a pipe, which the loop watches. */
typedef struct my_dev {
    int pipe[2]; /* [0]: read on the loop's thread, [1]: written by the device */
} my_dev;

int my_dev_open(my_dev *d); /* 0 or an errno value */
void my_dev_close(my_dev *d);
void my_dev_complete(my_dev *d, int result); /* from any thread */

/*acc: async int my_dev_wait(my_dev *d); */
ac_coro *my_dev_wait(my_dev *d);
int my_dev_wait__await(ac_frame *caller, void *ret, my_dev *d);
#endif
