#include "greeting.h"

std::string greeting(const std::string& name) {
    return "greeter " GREETER_VERSION ": hello, " + name;
}
