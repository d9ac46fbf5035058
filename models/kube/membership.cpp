#include "models/kube/mechanisms.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "models/kube/population.h"

namespace kube {

void remove_member(World& w, Group& g, std::uint32_t h) {
  w.hh.group[h] = -1;
  w.hh.role[h] = static_cast<std::uint8_t>(Role::None);
  if (g.members > 0) --g.members;
}

// Motivation follows payouts against what the member expects and the motivation of tied
// fellow members. Expectations start high for a member who sees the grant as a hand-out
// and move each month toward what the group actually pays (adaptive expectations), so a
// disappointed member either leaves or settles: motivation has an equilibrium wherever
// the group keeps paying. Members leave with a hazard growing as motivation falls.
void update_membership(World& w) {
  const Params& p = w.p;
  const auto key = w.streams.key(STREAM_MEMBERSHIP, w.month);
  // Groups by block of villages (a group's members live in its village): the blocks run
  // on the run's threads. A group reads only its own members' state and its own ties
  // (World::group_ties), so the result is the one of a single pass in group order.
  for_groups_by_block(
      w, [&](const Group& g) { return g.stage == Stage::Active && g.funded != w.month; },
      [&](Group& g, std::size_t) {
        // A group has at most 20 members (program.group_size).
        constexpr std::size_t MAX = 32;
        std::array<float, MAX> next{}, motivation{}, expectation{};
        std::array<bool, MAX> current{};
        std::array<double, MAX> peer{}, weight{};
        const auto gid = static_cast<std::int32_t>(g.id);
        const bool long_unmet = g.need_since >= 0 && w.month - g.need_since > p.needs_unmet_months;
        const std::uint32_t n = g.member_end - g.member_begin;
        for (std::uint32_t k = 0; k < n; ++k) {
          const auto h = w.members[g.member_begin + k];
          // Every member's numbers are read here, before any work on them, so that the
          // loads (far apart in memory) are under way together.
          current[k] = w.hh.group[h] == gid;
          motivation[k] = w.hh.motivation[h];
          expectation[k] = w.hh.expectation[h];
          peer[k] = weight[k] = 0;
        }
        // The pull of tied fellow members still in the group, from the group's own ties.
        for (auto t = g.tie_begin; t < g.tie_end; ++t) {
          const GroupTie& tie = w.group_ties[t];
          if (!current[tie.to]) continue;
          const float strength = (tie.strength.strength + 1) / 256.0f;
          peer[tie.from] += strength * motivation[tie.to];
          weight[tie.from] += strength;
        }
        // Two passes so the order of members does not matter.
        for (std::uint32_t k = 0; k < n; ++k) {
          float m = motivation[k];
          if (current[k]) {
            const auto h = w.members[g.member_begin + k];
            // What the group pays a member who works is the signal every member reads, so a
            // free rider whose group pays well can take up the work again.
            const double expected = expectation[k];
            const double got = g.payout_per_member;
            double dm = p.membership_motivation_rate * std::tanh((got - expected) / p.membership_payout_scale);
            w.hh.expectation[h] = static_cast<float>(expected + p.membership_expectation_rate * (got - expected));
            if (weight[k] > 0) dm += p.membership_peer_rate * (peer[k] / weight[k] - m);
            if (long_unmet) dm -= p.membership_unmet_penalty;
            m = static_cast<float>(std::clamp(m + dm, 0.0, 1.0));
          }
          next[k] = m;
        }
        for (std::uint32_t k = 0; k < n; ++k) {
          if (!current[k]) continue;
          const auto h = w.members[g.member_begin + k];
          w.hh.motivation[h] = next[k];
          sim::Stream s = key.stream(h);
          const double low = 1.0 - w.hh.motivation[h];
          if (s.uniform() < p.membership_exit_rate * low * low) remove_member(w, g, h);
        }
      });
}

}  // namespace kube
