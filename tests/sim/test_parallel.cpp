// Loops within a run (sim/parallel.h): every block once whatever the threads, on helper
// threads kept from loop to loop; an exception reaches the caller; a loop inside a loop
// and a forked child's loops run rather than wait; the CPU time in loops is counted.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/parallel.h"

TEST_CASE("parallel_blocks calls every block once, on at most the threads set, loop after loop") {
  for (unsigned threads : {1u, 2u, 3u, 4u}) {
    CAPTURE(threads);
    const sim::ThreadsWithinRun within(threads);
    std::set<std::thread::id> seen;
    std::mutex m;
    for (int loop = 0; loop < 300; ++loop) {
      const std::size_t blocks = 1 + static_cast<std::size_t>(loop % 23);
      std::vector<std::atomic<int>> calls(blocks);
      sim::parallel_blocks(blocks, [&](std::size_t b) {
        calls[b].fetch_add(1);
        std::lock_guard lock(m);
        seen.insert(std::this_thread::get_id());
      });
      for (const auto& c : calls) REQUIRE(c.load() == 1);
    }
    CHECK(seen.size() <= threads);
    CHECK(seen.count(std::this_thread::get_id()) == 1);
  }
}

TEST_CASE("an exception from a block reaches the caller, and the next loop runs as usual") {
  const sim::ThreadsWithinRun within(3);
  std::atomic<int> done{0};
  CHECK_THROWS_WITH_AS(sim::parallel_blocks(40,
                                            [&](std::size_t b) {
                                              if (b == 7) throw std::runtime_error("block 7");
                                              done.fetch_add(1);
                                            }),
                       "block 7", std::runtime_error);
  CHECK(done.load() < 40);
  std::atomic<int> after{0};
  sim::parallel_blocks(40, [&](std::size_t) { after.fetch_add(1); });
  CHECK(after.load() == 40);
}

TEST_CASE("a loop inside a loop runs on the thread that calls it") {
  const sim::ThreadsWithinRun within(2);
  std::atomic<int> inner{0};
  sim::parallel_blocks(4, [&](std::size_t) {
    const auto id = std::this_thread::get_id();
    sim::parallel_blocks(5, [&](std::size_t) {
      CHECK(std::this_thread::get_id() == id);
      inner.fetch_add(1);
    });
  });
  CHECK(inner.load() == 20);
}

// ThreadSanitizer does not follow a child forked from a process with threads.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BERDAYA_UNDER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define BERDAYA_UNDER_TSAN 1
#endif
#ifndef BERDAYA_UNDER_TSAN
TEST_CASE("a forked child, without its parent's helper threads, runs its loops") {
  const sim::ThreadsWithinRun within(2);
  std::atomic<int> parent{0};
  sim::parallel_blocks(8, [&](std::size_t) { parent.fetch_add(1); });  // the helpers exist now
  REQUIRE(parent.load() == 8);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::atomic<int> n{0};
    sim::parallel_blocks(8, [&](std::size_t) { n.fetch_add(1); });
    _exit(n.load() == 8 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
#endif

namespace {
double thread_cpu() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
void busy(double seconds) {
  const double until = thread_cpu() + seconds;
  while (thread_cpu() < until) {
  }
}
}  // namespace

TEST_CASE("loop_cpu_seconds counts this thread's time in its loops, a loop inside a loop once") {
  const sim::ThreadsWithinRun within(1);
  const double before = sim::loop_cpu_seconds();
  busy(0.02);  // outside any loop: not counted
  CHECK(sim::loop_cpu_seconds() - before < 0.005);
  const double a = sim::loop_cpu_seconds();
  sim::parallel_blocks(2, [](std::size_t) { busy(0.01); });
  const double in_loop = sim::loop_cpu_seconds() - a;
  CHECK(in_loop >= 0.02);
  CHECK(in_loop < 0.03);
  const double b = sim::loop_cpu_seconds();
  sim::parallel_blocks(1, [](std::size_t) { sim::parallel_blocks(2, [](std::size_t) { busy(0.01); }); });
  const double nested = sim::loop_cpu_seconds() - b;
  CHECK(nested >= 0.02);
  CHECK(nested < 0.03);  // counted twice it would be 0.04
}
