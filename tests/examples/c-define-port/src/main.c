#include <stdlib.h>

#include "server.h"

int main(int argc, char **argv) {
    return serve(argc > 1 ? atoi(argv[1]) : CONFIG_DEFAULT_SERVER_PORT);
}
