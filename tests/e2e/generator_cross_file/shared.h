#ifndef SHARED_H
#define SHARED_H
struct point {
    int x, y;
};
#endif
