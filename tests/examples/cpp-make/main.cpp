#include <iostream>

#include "counter.h"

int main(int argc, char** argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty()) {
        words = {"make", "builds", "make", "targets"};
    }
    for (const auto& [word, count] : count_words(words)) {
        std::cout << word << ": " << count << '\n';
    }
    return 0;
}
