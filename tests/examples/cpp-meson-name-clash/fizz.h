#pragma once
#include <string>

std::string fizz(int n);
