#ifndef TINY_H
#define TINY_H
int tiny_twice(int x);
#endif
