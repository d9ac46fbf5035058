// Thread counts and progress lines for long work.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace sim {

// 0 means one thread per core.
unsigned resolve_threads(unsigned requested);

// Bytes of physical memory of this machine (0 when the system does not say).
std::uint64_t physical_memory();

// Called with (runs done, runs in all), on the thread that writes the results.
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

// Progress on stderr when it is a terminal (done/total, runs per second, time left);
// quiet otherwise, so logs and pipes stay clean. With a callback (a notebook's progress
// bar) every tick goes to it instead, the first one at the start.
class Progress {
 public:
  Progress(std::size_t total, std::size_t already_done, std::string what, ProgressCallback callback = {});
  void tick(std::size_t done);

 private:
  std::size_t total_, base_;
  std::string what_;
  ProgressCallback callback_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_{};
  std::mutex mutex_;
};

}  // namespace sim
