#include "models/kube/mechanisms.h"

namespace kube {

namespace {
void session(World& w, Group& g) {
  w.cost[C_SOCIALIZATION] += w.p.socialization_cost_per_session;
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
  for (auto& g : w.groups) {
    if (g.stage == Stage::Preparing) {
      const bool last = w.month + 1 >= g.disburse_at;
      while (g.sessions_done < p.socialization_sessions) {
        session(w, g);
        ++g.sessions_done;
        if (!last) break;
      }
    } else if (g.stage == Stage::Active && p.socialization_refresher_interval > 0 && w.month > g.funded &&
               (w.month - g.funded) % p.socialization_refresher_interval == 0) {
      session(w, g);
    }
  }
}

}  // namespace kube
