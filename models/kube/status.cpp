#include "models/kube/mechanisms.h"

#include <cmath>

namespace kube {

void end_group(World& w, Group& g, Cause cause, FailureTally& failures) {
  g.stage = Stage::Inactive;
  g.cause = cause;
  g.failed = w.month;
  ++failures[static_cast<std::size_t>(cause)];
  for_each_member(w, g, [&](std::uint32_t h) {
    w.hh.group[h] = -1;
    w.hh.role[h] = static_cast<std::uint8_t>(Role::None);
  });
  g.members = 0;
}

// The first condition met gives the cause: catastrophic loss; sharing out the capital
// in a crisis; capital below the viability floor for floor_months (business losses);
// too few members, or too few contributors for floor_months (member withdrawal);
// cohesion below its floor (conflict).
void update_status(World& w) {
  const Params& p = w.p;
  // Each block counts its own failures (integers: the sum is the same in any order).
  std::vector<FailureTally> tally(block_count(w), FailureTally{});
  for_groups_by_block(
      w, [&](const Group& g) { return g.stage == Stage::Active && g.funded != w.month; },
      [&](Group& g, std::size_t b) {
        FailureTally& failures = tally[b];
        if (g.catastrophe) {
          end_group(w, g, Cause::Catastrophe, failures);
          return;
        }
        sim::Stream s = w.streams.get(STREAM_SPLIT_CRISIS, w.month, g.id);
        // Soon after funding the grant is still cash and easy to share out; once it is tied
        // up in goats, stock or tools, splitting takes more.
        const double liquid = p.split_liquid_floor +
                              (1.0 - p.split_liquid_floor) * std::exp(-(w.month - g.funded) / p.split_liquidity_months);
        if (s.uniform() < p.split_crisis_scale * liquid * split_probability(w, g)) {
          split_group(w, g, failures);
          return;
        }
        g.low_capital_months = g.capital < p.status_viability_floor * g.grant_in ? g.low_capital_months + 1 : 0;
        if (g.low_capital_months >= p.status_floor_months) {
          end_group(w, g, Cause::BusinessLosses, failures);
          return;
        }
        g.low_contrib_months = g.contributors < p.status_min_contributors ? g.low_contrib_months + 1 : 0;
        if (g.members < p.status_min_members || g.low_contrib_months >= p.status_floor_months) {
          end_group(w, g, Cause::MemberWithdrawal, failures);
          return;
        }
        if (g.cohesion < p.status_cohesion_floor) end_group(w, g, Cause::Conflict, failures);
      });
  for (const auto& t : tally)
    for (std::size_t c = 0; c < t.size(); ++c) w.failures[c] += t[c];
}

}  // namespace kube
