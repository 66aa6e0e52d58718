#include "greet.h"

#include "core.h"

std::string greeting(const std::string &who) { return "hello, " + who + " (from greet and " + core_name() + ")"; }
