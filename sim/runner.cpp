#include "sim/runner.h"

#include <unistd.h>

#include <cstdio>
#include <thread>

namespace sim {

unsigned resolve_threads(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? hw : 1;
}

std::uint64_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(size) : 0;
}

Progress::Progress(std::size_t total, std::size_t already_done, std::string what, ProgressCallback callback)
    : total_(total), base_(already_done), what_(std::move(what)), callback_(std::move(callback)),
      tty_(!callback_ && ::isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {
  if (callback_) callback_(already_done, total_);
}

void Progress::tick(std::size_t done) {
  if (callback_) {
    callback_(done, total_);
    return;
  }
  if (!tty_) return;
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double secs = std::chrono::duration<double>(now - start_).count();
  // The rate counts only runs done in this session, so a resumed run does not look fast.
  const double fresh = static_cast<double>(done - std::min(done, base_));
  const double rate = secs > 0 ? fresh / secs : 0.0;
  const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  std::fprintf(stderr, "\r%s: %zu/%zu runs, %.1f runs/s, %.0f s left   ", what_.c_str(), done, total_, rate, left);
  if (done == total_) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace sim
