#include "models/kube/mechanisms.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>

#include "models/kube/population.h"
#include "sim/parallel.h"

namespace kube {

void remove_member(World& w, Group& g, std::uint32_t h) {
  // Atomic (relaxed: a plain store on common hardware) because update_membership runs
  // blocks of villages on several threads, and a household's ties to other villages are
  // read there while its own block's thread may be removing it.
  std::atomic_ref(w.hh.group[h]).store(-1, std::memory_order_relaxed);
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
  // on the run's threads. A group reads only its own members' state and its members'
  // ties' group ids, so the result is the one of a single pass in group order.
  std::vector<std::vector<std::uint32_t>> by_block(block_count(w));
  for (const auto& g : w.groups)
    if (g.stage == Stage::Active && g.funded != w.month) by_block[block_of_village(w, g.village)].push_back(g.id);
  sim::parallel_blocks(by_block.size(), [&](std::size_t b) {
    std::array<float, 32> next{};
    for (const auto id : by_block[b]) {
      Group& g = w.groups[id];
      const auto gid = static_cast<std::int32_t>(g.id);
      const bool long_unmet = g.need_since >= 0 && w.month - g.need_since > p.needs_unmet_months;
      // Two passes so the order of members does not matter.
      for (auto i = g.member_begin; i < g.member_end; ++i) {
        const auto h = w.members[i];
        float m = w.hh.motivation[h];
        if (w.hh.group[h] == gid) {
          // What the group pays a member who works is the signal every member reads, so a
          // free rider whose group pays well can take up the work again.
          const double expected = w.hh.expectation[h];
          const double got = g.payout_per_member;
          double dm = p.membership_motivation_rate * std::tanh((got - expected) / p.membership_payout_scale);
          w.hh.expectation[h] = static_cast<float>(expected + p.membership_expectation_rate * (got - expected));
          double peer = 0, weight = 0;
          for_each_tie(w, h, [&](std::uint32_t nb, float strength) {
            if (std::atomic_ref(w.hh.group[nb]).load(std::memory_order_relaxed) == gid) {
              peer += strength * w.hh.motivation[nb];
              weight += strength;
            }
          });
          if (weight > 0) dm += p.membership_peer_rate * (peer / weight - m);
          if (long_unmet) dm -= p.membership_unmet_penalty;
          m = static_cast<float>(std::clamp(m + dm, 0.0, 1.0));
        }
        next[(i - g.member_begin) % next.size()] = m;
      }
      for (auto i = g.member_begin; i < g.member_end; ++i) {
        const auto h = w.members[i];
        if (w.hh.group[h] != gid) continue;
        w.hh.motivation[h] = next[(i - g.member_begin) % next.size()];
        sim::Stream s = key.stream(h);
        const double low = 1.0 - w.hh.motivation[h];
        if (s.uniform() < p.membership_exit_rate * low * low) remove_member(w, g, h);
      }
    }
  });
}

}  // namespace kube
