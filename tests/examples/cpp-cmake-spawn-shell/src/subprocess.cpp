#include "subprocess.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

extern char** environ;

std::string run_through_shell(const std::string& command, int* status) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  const char* args[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid;
  int err = posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char**>(args), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (err != 0) {
    close(fds[0]);
    throw std::runtime_error(std::string("posix_spawn /bin/sh: ") + std::strerror(err));
  }
  std::string output;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) output.append(buf, n);
  close(fds[0]);
  waitpid(pid, status, 0);
  return output;
}
