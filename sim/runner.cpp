#include "sim/runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace sim {

unsigned resolve_threads(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? hw : 1;
}

namespace {
class Progress {
 public:
  Progress(std::size_t total, std::string what)
      : total_(total), what_(std::move(what)), tty_(::isatty(STDERR_FILENO) == 1),
        start_(std::chrono::steady_clock::now()) {}
  void tick(std::size_t done) {
    if (!tty_) return;
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (done < total_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
    const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
    std::fprintf(stderr, "\r%s: %zu/%zu runs, %.1f runs/s, %.0f s left   ", what_.c_str(), done, total_, rate, left);
    if (done == total_) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  std::size_t total_;
  std::string what_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_{};
  std::mutex mutex_;
};
}  // namespace

void run_tasks(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& task,
               const std::function<void(std::size_t, const std::string&)>& on_error, const std::string& what) {
  Progress progress(n, what);
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex error_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        task(i);
      } catch (const std::exception& e) {
        std::lock_guard lock(error_mutex);
        on_error(i, e.what());
      }
      progress.tick(++done);
    }
  };
  const unsigned t = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), std::max<std::size_t>(n, 1)));
  if (t <= 1) {
    worker();
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < t; ++k) pool.emplace_back(worker);
  for (auto& th : pool) th.join();
}

}  // namespace sim
