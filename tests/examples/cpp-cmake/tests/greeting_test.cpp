#include <cstdlib>
#include <iostream>

#include "greeting.h"

int main() {
    if (greeting("x") != "greeter " GREETER_VERSION ": hello, x") {
        std::cerr << "unexpected greeting\n";
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
