// `berdaya serve`: the trainer's page and its JSON API over HTTP, for one machine.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace trainer {

struct ServeOptions {
  std::filesystem::path scenario;
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port (the chosen one is printed)
  bool allow_remote = false;
  std::optional<std::uint64_t> seed;
  // One simulation per browser (a session cookie), at most this many at once; when full,
  // the longest-idle session is closed once it has been idle for idle_evict, and until
  // then a new browser is refused with 503.
  std::size_t max_sessions = 16;
  std::chrono::minutes idle_evict{30};
};

// True for addresses that only this machine can reach.
bool is_loopback(const std::string& address);

// Loads the scenario, then serves until the process is stopped. Throws sim::InputError
// for a bad scenario, a non-loopback address without allow_remote, or a port in use.
int serve(const ServeOptions& options);

}  // namespace trainer
