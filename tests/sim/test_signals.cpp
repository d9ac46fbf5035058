#include <doctest/doctest.h>

#include <csignal>

#include "sim/signals.h"

TEST_CASE("under a guard, Ctrl-C and SIGTERM only set the flag, and the next guard starts clear") {
  {
    sim::SignalGuard guard;
    CHECK_FALSE(sim::stop_requested());
    CHECK_NOTHROW(sim::throw_if_interrupted());
    std::raise(SIGINT);  // would end the test program without the guard
    CHECK(sim::stop_requested());
    CHECK_THROWS_AS(sim::throw_if_interrupted(), sim::Interrupted);
  }
  {
    sim::SignalGuard guard;
    CHECK_FALSE(sim::stop_requested());
    std::raise(SIGTERM);
    CHECK(sim::stop_requested());
  }
}

TEST_CASE("a nested guard keeps the outer guard's flag, and the outer handler stays after it ends") {
  sim::SignalGuard outer;
  std::raise(SIGINT);
  {
    sim::SignalGuard inner;
    CHECK(sim::stop_requested());  // only the outermost guard clears the flag
  }
  CHECK(sim::stop_requested());
  // The inner guard restored the outer guard's handler: this still only sets the flag.
  std::raise(SIGTERM);
  CHECK(sim::stop_requested());
}

TEST_CASE("a guard restores the handler that was there before it") {
  static volatile std::sig_atomic_t seen = 0;
  struct sigaction mine {
  }, old{};
  mine.sa_handler = [](int) { seen = 1; };
  sigemptyset(&mine.sa_mask);
  sigaction(SIGINT, &mine, &old);
  { sim::SignalGuard guard; }
  std::raise(SIGINT);
  CHECK(seen == 1);
  sigaction(SIGINT, &old, nullptr);
  CHECK(sim::Interrupted().what() == std::string("interrupted"));
}
