#include "models/kube/mechanisms.h"

#include <algorithm>

namespace kube {

// Capture: the chair diverts part of the capital with a probability that falls with
// bookkeeping and under a deterring visit. Members may discover it (more likely with
// good books); a discovered capture costs cohesion.
void governance(World& w) {
  const Params& p = w.p;
  const auto key = w.streams.key(STREAM_CAPTURE, w.month);
  // Group by group on the blocks' threads. Each block lists its captures in group order;
  // the total takes them in group order across blocks, as one pass would.
  std::vector<std::vector<std::pair<std::uint32_t, double>>> captures(block_count(w));
  for_groups_by_block(
      w, [](const Group& g) { return g.stage == Stage::Active; },
      [&](Group& g, std::size_t b) {
        sim::Stream s = key.stream(g.id);
        const bool deterred = g.deter_until >= w.month;
        const double prob =
            p.governance_capture_prob * (1.0 - g.bookkeeping) * (deterred ? 1.0 - p.governance_deterrence : 1.0);
        const double u_capture = s.uniform();
        const double u_detect = s.uniform();
        if (u_capture < prob && g.capital > 0) {
          const double amount = g.capital * p.governance_capture_share;
          g.capital -= amount;
          g.captured += amount;
          captures[b].push_back({g.id, amount});
          g.capture_hidden = true;
        }
        if (g.capture_hidden && u_detect < p.governance_detection_prob * g.bookkeeping) discover_capture(w, g);
      });
  std::vector<std::pair<std::uint32_t, double>> all;
  for (const auto& c : captures) all.insert(all.end(), c.begin(), c.end());
  std::sort(all.begin(), all.end());
  for (const auto& [id, amount] : all) w.captured_total += amount;
}

void discover_capture(World& w, Group& g) {
  g.capture_hidden = false;
  g.cohesion = std::max(0.0f, g.cohesion - static_cast<float>(w.p.cohesion_capture_loss));
}

}  // namespace kube
