#include <cstdio>
#include <exception>

#include "subprocess.h"

// Runs each argument as a shell command, the way a build tool runs its rules' commands.
int main(int argc, char** argv) {
  int failed = 0;
  for (int i = 1; i < argc; ++i) {
    try {
      int status = 0;
      std::fputs(run_through_shell(argv[i], &status).c_str(), stdout);
      failed |= status != 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "runner: %s\n", e.what());
      return 2;
    }
  }
  return failed;
}
