#include "trainer/sessions.h"

#include <algorithm>
#include <array>
#include <random>
#include <string_view>

namespace trainer {

namespace {

using Clock = std::chrono::steady_clock;

// 128 bits from the system's random source: an id nobody can guess, so one browser cannot
// take over another's run by naming it.
std::string new_id() {
  std::random_device rd;
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t r = rd();
    for (int k = 0; k < 8; ++k) id += hex[(r >> (4 * k)) & 0xF];
  }
  return id;
}

bool is_id(std::string_view s) {
  return s.size() == 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

SessionPool::SessionPool(sim::Resolved scenario, std::filesystem::path base_dir, std::uint64_t seed,
                         SessionLimits limits)
    : scenario_(std::move(scenario)),
      base_dir_(std::move(base_dir)),
      seed_(seed),
      limits_(limits),
      shared_(std::make_shared<Slot>(scenario_, base_dir_, seed_)) {}

std::shared_ptr<SessionPool::Slot> SessionPool::find(const std::string& id) {
  if (!is_id(id)) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return nullptr;
  it->second.last_used = Clock::now();
  return it->second.slot;
}

void SessionPool::make_room_locked() {
  if (entries_.size() + pending_ < limits_.max_sessions) return;
  auto oldest = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (oldest == entries_.end() || it->second.last_used < oldest->second.last_used) oldest = it;
  const auto now = Clock::now();
  if (oldest != entries_.end() && now - oldest->second.last_used >= limits_.idle_evict) {
    // A request still running on it keeps its slot alive until it is answered.
    entries_.erase(oldest);
    return;
  }
  std::string when;
  if (oldest != entries_.end()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::minutes>(limits_.idle_evict - (now - oldest->second.last_used)) +
        std::chrono::minutes(1);
    when = " The longest-idle one closes in about " + std::to_string(left.count()) + " min.";
  }
  throw SessionsFull("the server already runs " + std::to_string(limits_.max_sessions) +
                     " trainer sessions, one per browser, each used in the last " +
                     std::to_string(limits_.idle_evict.count()) +
                     " minutes. Close the page in a browser that no longer needs it, or use a browser that "
                     "already has a session." +
                     when);
}

std::pair<std::string, std::shared_ptr<SessionPool::Slot>> SessionPool::create() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    make_room_locked();
    ++pending_;
  }
  // Building the worlds takes a while; other sessions are served meanwhile.
  std::shared_ptr<Slot> slot;
  try {
    slot = std::make_shared<Slot>(scenario_, base_dir_, seed_);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    --pending_;
    throw;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  --pending_;
  std::string id = new_id();
  while (entries_.count(id)) id = new_id();
  entries_[id] = Entry{slot, Clock::now()};
  return {id, slot};
}

std::size_t SessionPool::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

std::optional<std::string> session_id_from_cookies(const std::string& header) {
  std::string_view rest(header);
  const std::string_view name(SESSION_COOKIE);
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    return std::string(pair.substr(eq + 1, 64));
  }
  return std::nullopt;
}

}  // namespace trainer
