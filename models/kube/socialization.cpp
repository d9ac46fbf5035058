#include "models/kube/mechanisms.h"

namespace kube {

namespace {
// Counts the session in `held`; its cost is booked once the month's sessions are known.
void session(World& w, Group& g, long long& held) {
  ++held;
  // Sessions held in the same month draw attendance independently: the session index is
  // a key field.
  const auto key = w.streams.key(STREAM_SOCIALIZATION, w.month, g.id, g.sessions_done);
  const float uptake = static_cast<float>(w.p.socialization_uptake);
  for_each_member(w, g, [&](std::uint32_t h) {
    sim::Stream s = key.stream(h);
    if (s.uniform() < w.p.socialization_attendance) w.hh.understanding[h] += uptake * (1.0f - w.hh.understanding[h]);
  });
}
}  // namespace

// Sessions run one a month during preparation; any left when the money arrives are held
// in the month of disbursement. Refreshers follow at the set interval once active.
void socialize(World& w) {
  const Params& p = w.p;
  auto due = [&](const Group& g) {
    if (g.stage == Stage::Preparing) return g.sessions_done < p.socialization_sessions;
    return g.stage == Stage::Active && p.socialization_refresher_interval > 0 && w.month > g.funded &&
           (w.month - g.funded) % p.socialization_refresher_interval == 0;
  };
  // Group by group on the blocks' threads (a session reaches only the group's members).
  std::vector<long long> held(block_count(w), 0);
  for_groups_by_block(w, due, [&](Group& g, std::size_t b) {
    if (g.stage == Stage::Preparing) {
      const bool last = w.month + 1 >= g.disburse_at;
      while (g.sessions_done < p.socialization_sessions) {
        session(w, g, held[b]);
        ++g.sessions_done;
        if (!last) break;
      }
    } else {
      session(w, g, held[b]);
    }
  });
  for (const long long n : held) add_each(w.cost[C_SOCIALIZATION], p.socialization_cost_per_session, n);
}

}  // namespace kube
