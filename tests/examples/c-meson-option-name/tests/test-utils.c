#include <stdio.h>
#include "names.h"

int main(void) { return namespace_count() == 4 ? 0 : 1; }
