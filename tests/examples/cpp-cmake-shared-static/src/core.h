#pragma once
#include <string>

std::string core_name();
