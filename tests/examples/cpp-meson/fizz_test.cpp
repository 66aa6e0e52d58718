#include "fizz.h"

int main() { return fizz(15) == "FizzBuzz" && fizz(4) == "4" ? 0 : 1; }
