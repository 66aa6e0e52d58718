#include "core.h"

std::string core_name() { return "core"; }
