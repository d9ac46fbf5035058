#include "models/kube/mechanisms.h"

namespace kube {

void raise_needs(World& w) {
  const auto key = w.streams.key(STREAM_NEEDS, w.month);
  // Group by group on the blocks' threads; each block counts its own needs (integers: the
  // sum is the same in any order).
  std::vector<int> raised(block_count(w), 0);
  for_groups_by_block(
      w, [](const Group& g) { return g.stage == Stage::Active && g.need_since < 0; },
      [&](Group& g, std::size_t b) {
        sim::Stream s = key.stream(g.id);
        if (s.uniform() < w.p.needs_prob) {
          g.need_since = w.month;
          g.need_forwarded = false;
          ++raised[b];
        }
      });
  for (const int n : raised) w.year().needs_raised += n;
}

void forward_need(const World& w, Group& g, std::vector<Proposal>& forwarded) {
  if (g.need_since < 0 || g.need_forwarded) return;
  g.need_forwarded = true;
  forwarded.push_back({g.id, g.need_since, w.month});
}

// Decisions go in forwarding order within the year's capacity; the answer returns to the
// group through the city office in the month of the decision.
void provincial_queue(World& w) {
  if (w.month % 12 == 0) w.province_decided_this_year = 0;
  const auto key = w.streams.key(STREAM_PROVINCE, w.month);
  while (!w.province_queue.empty() && w.province_decided_this_year < w.p.province_capacity) {
    const Proposal pr = w.province_queue.front();
    if (w.month - pr.forwarded_month < w.p.province_delay) break;
    w.province_queue.pop_front();
    ++w.province_decided_this_year;
    Group& g = w.groups[pr.group];
    sim::Stream s = key.stream(pr.group);
    const bool approved = s.uniform() < w.p.province_approval;
    const int months = w.month - pr.need_month;
    auto& y = w.year();
    y.response_months.push_back(months);
    // Counted against the year the need arose in.
    if (months <= w.p.office_response_target) ++w.years[static_cast<std::size_t>(pr.need_month / 12)].answered_within_3;
    if (approved && g.stage == Stage::Active) {
      g.capital += w.p.province_equipment_value;
      g.equipment_in += w.p.province_equipment_value;
      w.cost[C_EQUIPMENT] += w.p.province_equipment_value;
    }
    g.need_since = -1;
    g.need_forwarded = false;
  }
}

}  // namespace kube
