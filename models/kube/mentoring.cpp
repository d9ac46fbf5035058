#include "models/kube/mechanisms.h"

#include <algorithm>

namespace kube {

namespace {

// What a share of the mentors' visits leave for the world's tallies, kept apart so that the
// shares can visit on the run's threads: each group has one mentor, and a visit touches
// only its group and the group's members.
struct VisitTally {
  long long visits = 0;
  int flags = 0;
  std::vector<int> flags_visited_1m;  // by the year of the flag
  std::vector<Proposal> forwarded;    // in visiting order
};

void visit(World& w, const Mentor& m, Group& g, VisitTally& t) {
  ++t.visits;
  if (g.flagged_at >= 0) {
    if (w.month - g.flagged_at <= 1) ++t.flags_visited_1m[static_cast<std::size_t>(g.flagged_at / 12)];
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
    forward_need(w, g, t.forwarded);
    const bool falling = g.capital < (1.0 - p.mentors_risk_capital_fall) * g.capital_prev;
    const bool weak = g.cohesion < p.mentors_risk_cohesion || g.contributors < p.mentors_risk_contributors * g.members;
    if (falling || weak) {
      g.flagged_at = w.month;
      ++t.flags;
    }
    g.capital_prev = g.capital;
  }
}

// One mentor's month: the groups due a visit, most urgent first, up to the mentor's capacity.
void visit_groups(World& w, const Mentor& m, std::vector<std::pair<long long, std::uint32_t>>& order, VisitTally& t) {
  const long long interval = w.p.monitoring_interval;
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
  for (std::size_t i = 0; i < n; ++i) visit(w, m, w.groups[order[i].second], t);
}

}  // namespace

void mentor_visits(World& w) {
  // The mentors in shares of consecutive mentors, each share on one of the run's threads;
  // the shares' tallies are then taken in mentor order, as one pass would take them.
  constexpr std::size_t per_share = 16;
  const std::size_t shares = (w.mentors.size() + per_share - 1) / per_share;
  std::vector<VisitTally> tally(shares);
  sim::parallel_blocks(shares, [&](std::size_t k) {
    VisitTally& t = tally[k];
    t.flags_visited_1m.assign(w.years.size(), 0);
    std::vector<std::pair<long long, std::uint32_t>> order;  // (priority key, group)
    const std::size_t end = std::min(w.mentors.size(), (k + 1) * per_share);
    for (std::size_t i = k * per_share; i < end; ++i) visit_groups(w, w.mentors[i], order, t);
  });
  for (const auto& t : tally) {
    w.visits_this_month += static_cast<int>(t.visits);
    add_each(w.cost[C_VISITS], w.p.monitoring_cost_per_visit, t.visits);
    w.year().flags += t.flags;
    for (std::size_t y = 0; y < t.flags_visited_1m.size(); ++y) w.years[y].flags_visited_1m += t.flags_visited_1m[y];
    w.province_queue.insert(w.province_queue.end(), t.forwarded.begin(), t.forwarded.end());
  }
  w.cost[C_MENTORS] += w.p.mentors_cost_per_month * static_cast<double>(w.mentors.size());
}

}  // namespace kube
