#include <math.h>
#include <stdio.h>

#include "name.h"

int main(int argc, char **argv) {
    printf("%s %s: hello, %s (sqrt(2) = %.3f)\n", PACKAGE_NAME, PACKAGE_VERSION, name_or_default(argc, argv), sqrt(2.0));
    return 0;
}
