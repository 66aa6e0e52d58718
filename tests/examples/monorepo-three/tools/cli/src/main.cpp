// The command-line tool of the monorepo example.
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    std::cout << "cli: " << (words.empty() ? std::string("no arguments") : words.front()) << '\n';
    return 0;
}
