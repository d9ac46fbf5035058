// Thread counts and progress lines for long work.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace sim {

// 0 means one thread per core.
unsigned resolve_threads(unsigned requested);

// Bytes of physical memory of this machine (0 when the system does not say).
std::uint64_t physical_memory();

// Progress on stderr when it is a terminal (done/total, runs per second, time left);
// quiet otherwise, so logs and pipes stay clean.
class Progress {
 public:
  Progress(std::size_t total, std::size_t already_done, std::string what);
  void tick(std::size_t done);

 private:
  std::size_t total_, base_;
  std::string what_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_{};
  std::mutex mutex_;
};

}  // namespace sim
