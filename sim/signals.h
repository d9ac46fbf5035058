// Ctrl-C and SIGTERM during long work: while a SignalGuard lives, either signal only
// sets a flag, and the work stops at its next safe point (no new run starts; a file
// being written is abandoned and removed), so finished runs are never lost.
#pragma once
#include <csignal>
#include <stdexcept>

namespace sim {

class SignalGuard {
 public:
  SignalGuard();
  ~SignalGuard();
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

// Whether Ctrl-C or SIGTERM came since the outermost guard began.
bool stop_requested();

// Thrown at a safe point after a signal: the command ends with exit code 130.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

inline void throw_if_interrupted() {
  if (stop_requested()) throw Interrupted();
}

}  // namespace sim
