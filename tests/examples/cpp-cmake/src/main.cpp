#include <iostream>

#include "greeting.h"

int main(int argc, char** argv) {
    std::cout << greeting(argc > 1 ? argv[1] : "cmake") << '\n';
    return 0;
}
