#include "counter.h"

int main() {
    auto counts = count_words({"a", "b", "a"});
    return counts["a"] == 2 && counts["b"] == 1 ? 0 : 1;
}
