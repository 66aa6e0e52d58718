#include "name.h"

const char *name_or_default(int argc, char **argv) {
    return argc > 1 ? argv[1] : "autotools";
}
