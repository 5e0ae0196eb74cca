#ifndef MAT_H
#define MAT_H
typedef double mat2[2][2], scalar;
#endif
