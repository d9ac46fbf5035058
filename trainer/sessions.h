// The trainer's sessions: one simulation per browser, so a second trainer's browser never
// resets the first one's run. A browser is named by a random id in a cookie the page sets;
// requests without the cookie (curl, scripts) share one further session. The number of
// browser sessions is capped, so a server left open at a workshop cannot be made to hold
// an unbounded number of worlds.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "sim/params.h"
#include "trainer/session.h"

namespace trainer {

struct SessionLimits {
  std::size_t max_sessions = 16;        // browser sessions at once (the shared one aside)
  std::chrono::minutes idle_evict{30};  // a full server closes the longest-idle session past this
};

// The name of the cookie that carries a browser's session id.
inline constexpr const char* SESSION_COOKIE = "berdaya_session";

// Every session is full and none has been idle long enough to close.
class SessionsFull : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SessionPool {
 public:
  // A session and the lock that serialises the requests on it.
  struct Slot {
    Slot(const sim::Resolved& scenario, const std::filesystem::path& base_dir, std::uint64_t seed)
        : session(scenario, base_dir, seed) {}
    std::mutex mutex;
    Session session;
  };

  SessionPool(sim::Resolved scenario, std::filesystem::path base_dir, std::uint64_t seed, SessionLimits limits);

  // The session of requests that carry no session cookie.
  std::shared_ptr<Slot> shared() const { return shared_; }
  // The session with this id, marked as used now; null for an unknown (or closed) id.
  std::shared_ptr<Slot> find(const std::string& id);
  // A new session at month 0 with the scenario's levers, and its id. When max_sessions are
  // open, the longest-idle one is closed if it has been idle for idle_evict; otherwise
  // throws SessionsFull with a message naming the cap and when to try again.
  std::pair<std::string, std::shared_ptr<Slot>> create();

  std::size_t size() const;
  const SessionLimits& limits() const { return limits_; }
  const Session& any_session() const { return shared_->session; }  // for the scenario's name and seed

 private:
  struct Entry {
    std::shared_ptr<Slot> slot;
    std::chrono::steady_clock::time_point last_used;
  };
  void make_room_locked();

  const sim::Resolved scenario_;
  const std::filesystem::path base_dir_;
  const std::uint64_t seed_;
  const SessionLimits limits_;
  std::shared_ptr<Slot> shared_;
  mutable std::mutex mutex_;  // guards entries_ and pending_
  std::unordered_map<std::string, Entry> entries_;
  std::size_t pending_ = 0;  // sessions being built outside the lock
};

// The value of the session cookie in a Cookie header value, or nothing when the header
// does not name it. (A value that is not an id the server issued is returned as well: it
// names no session, and the request is told so.)
std::optional<std::string> session_id_from_cookies(const std::string& cookie_header);

}  // namespace trainer
