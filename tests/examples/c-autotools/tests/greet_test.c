#include <string.h>

#include "../src/name.h"

int main(void) {
    char *argv[] = {"greet", "x"};
    return strcmp(name_or_default(2, argv), "x") == 0 ? 0 : 1;
}
