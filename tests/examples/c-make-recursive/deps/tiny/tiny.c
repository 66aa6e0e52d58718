#include "tiny.h"

int tiny_twice(int x) { return 2 * x; }
