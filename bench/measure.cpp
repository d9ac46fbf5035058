// berdaya_measure COMMAND [ARG ...]: runs the command and prints, on stderr, its wall
// seconds, CPU seconds (user + system) and peak resident bytes, as
//   berdaya_measure: wall W cpu C peak P
// and exits with the command's status. A process started straight from Python counts the
// interpreter's own memory in its peak (the child is a copy of the interpreter until it
// executes the command, and Linux keeps that copy's peak); started from this small
// program, the command's peak is its own. bench/scale.py measures through it.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: berdaya_measure COMMAND [ARG ...]\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = fork();
  if (child < 0) {
    std::perror("berdaya_measure: fork");
    return 2;
  }
  if (child == 0) {
    execvp(argv[1], argv + 1);
    std::perror("berdaya_measure: exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(child, &status, 0, &usage) != child) {
    std::perror("berdaya_measure: wait4");
    return 2;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  std::fprintf(stderr, "berdaya_measure: wall %.6f cpu %.6f peak %lld\n", wall, cpu,
               static_cast<long long>(usage.ru_maxrss) * 1024);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
