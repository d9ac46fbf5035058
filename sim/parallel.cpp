#include "sim/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace sim {

namespace {
thread_local unsigned current_threads = 1;
}

unsigned threads_within_run() noexcept { return current_threads; }

ThreadsWithinRun::ThreadsWithinRun(unsigned threads) noexcept : previous_(current_threads) {
  current_threads = std::max(1u, threads);
}
ThreadsWithinRun::~ThreadsWithinRun() { current_threads = previous_; }

void parallel_blocks(std::size_t blocks, const std::function<void(std::size_t)>& body) {
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(current_threads, blocks));
  if (threads <= 1) {
    for (std::size_t b = 0; b < blocks; ++b) body(b);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (;;) {
      const std::size_t b = next.fetch_add(1);
      if (b >= blocks || failed.load()) return;
      try {
        body(b);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed.store(true);
      }
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  try {
    for (unsigned k = 1; k < threads; ++k) helpers.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads to be had (a process limit): the ones started and this one do it.
  }
  work();
  for (auto& t : helpers) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace sim
