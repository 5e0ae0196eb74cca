/* my_flag.h */
#include <ac/ac.h>

typedef struct my_flag {
    int set;          /* my_flag_set() was called */
    int value;        /* what it was given */
    ac_frame *waiter; /* the blocked waiter's frame, or NULL */
} my_flag;

void my_flag_set(my_flag *fl, int value);

/*acc: async int my_flag_wait(my_flag *fl); */
ac_coro *my_flag_wait(my_flag *fl);
int my_flag_wait__await(ac_frame *caller, void *ret, my_flag *fl);
