#include "models/kube/mechanisms.h"

#include <algorithm>

namespace kube {

// Capture: the chair diverts part of the capital with a probability that falls with
// bookkeeping and under a deterring visit. Members may discover it (more likely with
// good books); a discovered capture costs cohesion.
void governance(World& w) {
  const Params& p = w.p;
  const auto key = w.streams.key(STREAM_CAPTURE, w.month);
  for (auto& g : w.groups) {
    if (g.stage != Stage::Active) continue;
    sim::Stream s = key.stream(g.id);
    const bool deterred = g.deter_until >= w.month;
    const double prob = p.governance_capture_prob * (1.0 - g.bookkeeping) * (deterred ? 1.0 - p.governance_deterrence : 1.0);
    const double u_capture = s.uniform();
    const double u_detect = s.uniform();
    if (u_capture < prob && g.capital > 0) {
      const double amount = g.capital * p.governance_capture_share;
      g.capital -= amount;
      g.captured += amount;
      w.captured_total += amount;
      g.capture_hidden = true;
    }
    if (g.capture_hidden && u_detect < p.governance_detection_prob * g.bookkeeping) discover_capture(w, g);
  }
}

void discover_capture(World& w, Group& g) {
  g.capture_hidden = false;
  g.cohesion = std::max(0.0f, g.cohesion - static_cast<float>(w.p.cohesion_capture_loss));
}

}  // namespace kube
