#include <iostream>

#include "fizz.h"

int main() {
    for (int n = 13; n <= 15; ++n) std::cout << fizz(n) << "\n";
    return 0;
}
