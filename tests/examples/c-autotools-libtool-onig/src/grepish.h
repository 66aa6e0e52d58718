#ifndef GREPISH_H
#define GREPISH_H

/* The first match of the Ruby-syntax regular expression in text, copied into out (size bytes);
   returns 1 on a match, 0 on none, -1 when the pattern does not compile. */
int grepish_first(const char *pattern, const char *text, char *out, int size);

#endif
