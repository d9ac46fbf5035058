#include "sim/signals.h"

#include <atomic>

namespace sim {

namespace {
std::atomic<bool> g_stop{false};
std::atomic<int> g_depth{0};
extern "C" void on_signal(int) { g_stop.store(true); }
}  // namespace

SignalGuard::SignalGuard() {
  // Guards nest (the writer runs inside a command that may already hold one): only the
  // outermost clears the flag.
  if (g_depth++ == 0) g_stop.store(false);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

SignalGuard::~SignalGuard() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  --g_depth;
}

bool stop_requested() { return g_stop.load(); }

}  // namespace sim
