#ifndef GREET_H
#define GREET_H
const char *greet_word(void);
#endif
