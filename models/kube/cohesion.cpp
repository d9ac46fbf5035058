#include "models/kube/mechanisms.h"

#include <algorithm>

namespace kube {

// Cohesion rises with fair payouts and falls with free riding seen, unfair payouts and
// long-unmet needs. Conflict comes with a probability growing as cohesion falls; it
// costs cohesion and may drive members out.
void update_cohesion(World& w) {
  const Params& p = w.p;
  const auto key = w.streams.key(STREAM_COHESION, w.month);
  const bool all = p.payout_rule == PayoutRule::All;
  // Group by group, each on its own: blocks of villages on the run's threads.
  for_groups_by_block(
      w, [&](const Group& g) { return g.stage == Stage::Active && g.funded != w.month; },
      [&](Group& g, std::size_t) {
        const double free_riding = g.members > 0 ? 1.0 - static_cast<double>(g.contributors) / g.members : 0.0;
        double c = g.cohesion;
        if (g.payout_per_member > 0) c += (all && free_riding > 0) ? -p.cohesion_unfair_loss : p.cohesion_fair_gain;
        c -= p.cohesion_freeride_loss * free_riding;
        if (g.need_since >= 0 && w.month - g.need_since > p.needs_unmet_months) c -= p.cohesion_unmet_loss;
        sim::Stream s = key.stream(g.id);
        const double broken = 1.0 - std::clamp(c, 0.0, 1.0);
        if (s.uniform() < p.cohesion_conflict_rate * broken * broken) {
          c -= p.cohesion_conflict_cost;
          for_each_member(w, g, [&](std::uint32_t h) {
            if (s.uniform() < p.cohesion_conflict_exit) remove_member(w, g, h);
          });
        }
        g.cohesion = static_cast<float>(std::clamp(c, 0.0, 1.0));
      });
}

}  // namespace kube
