#include "models/kube/mechanisms.h"

#include <algorithm>

namespace kube {

namespace {

void visit(World& w, Mentor& m, Group& g) {
  ++w.visits_this_month;
  w.cost[C_VISITS] += w.p.monitoring_cost_per_visit;
  if (g.flagged_at >= 0) {
    if (w.month - g.flagged_at <= 1) ++w.years[static_cast<std::size_t>(g.flagged_at / 12)].flags_visited_1m;
    g.flagged_at = -1;
  }
  g.last_visit = w.month;
  observe(w, g);
  if (g.stage == Stage::Inactive) return;
  const double q = m.quality;
  const Params& p = w.p;
  g.bookkeeping += static_cast<float>(q * p.mentors_bookkeeping_gain * (1.0 - g.bookkeeping));
  g.cohesion = std::min(1.0f, g.cohesion + static_cast<float>(q * p.cohesion_mediation));
  for_each_member(w, g, [&](std::uint32_t h) {
    w.hh.motivation[h] = std::min(1.0f, w.hh.motivation[h] + static_cast<float>(q * p.mentors_motivation_boost));
  });
  g.deter_until = w.month + static_cast<std::int32_t>(p.mentors_deterrence_months);
  if (g.capture_hidden) {
    sim::Stream s = w.streams.get(STREAM_VISIT_DISCOVERY, w.month, g.id);
    if (s.uniform() < q) discover_capture(w, g);
  }
  if (g.stage == Stage::Active) {
    forward_need(w, g);
    const bool falling = g.capital < (1.0 - p.mentors_risk_capital_fall) * g.capital_prev;
    const bool weak = g.cohesion < p.mentors_risk_cohesion || g.contributors < p.mentors_risk_contributors * g.members;
    if (falling || weak) {
      g.flagged_at = w.month;
      ++w.year().flags;
    }
    g.capital_prev = g.capital;
  }
}

}  // namespace

void mentor_visits(World& w) {
  const long long interval = w.p.monitoring_interval;
  std::vector<std::pair<long long, std::uint32_t>> order;  // (priority key, group)
  for (auto& m : w.mentors) {
    order.clear();
    for (auto gid : m.groups) {
      const Group& g = w.groups[gid];
      // The mentor works from the office's books: a group known inactive is not visited.
      if (g.office_seen >= 0 && !g.office_seen_active) continue;
      if (g.last_visit == w.month) continue;
      if (g.stage == Stage::Preparing) {
        // Mentors attend to the groups whose money comes soonest, unless a visit already
        // covers the disbursement.
        if (g.deter_until < g.disburse_at) order.push_back({g.disburse_at, gid});
      } else if (g.flagged_at >= 0) {
        order.push_back({1'000'000 + g.flagged_at, gid});
      } else if (w.month - g.last_visit >= interval) {
        order.push_back({2'000'000 + g.last_visit, gid});
      }
    }
    std::sort(order.begin(), order.end());
    const auto n = std::min<std::size_t>(order.size(), static_cast<std::size_t>(w.p.mentors_visits_per_month));
    for (std::size_t i = 0; i < n; ++i) visit(w, m, w.groups[order[i].second]);
  }
  w.cost[C_MENTORS] += w.p.mentors_cost_per_month * static_cast<double>(w.mentors.size());
}

}  // namespace kube
