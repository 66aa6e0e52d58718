#ifndef NAMES_H
#define NAMES_H
const char *namespace_name(int index);
int namespace_count(void);
#endif
