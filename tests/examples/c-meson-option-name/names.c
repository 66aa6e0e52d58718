#include "names.h"

static const char *const names[] = {"user", "mount", "pid", "net"};

const char *namespace_name(int index) { return names[index]; }
int namespace_count(void) { return (int)(sizeof names / sizeof names[0]); }
