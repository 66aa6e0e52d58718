#pragma once
#include <string>

// Runs `command` through /bin/sh -c and returns what it printed (stdout and stderr).
std::string run_through_shell(const std::string& command, int* status);
