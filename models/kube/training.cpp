#include "models/kube/mechanisms.h"

#include <cmath>

namespace kube {

// Skill rises with diminishing returns in hours: gain = max_gain * (1 - exp(-hours/scale))
// of the gap to 1. Trained officers also keep better books.
void train(World& w, Group& g) {
  const Params& p = w.p;
  if (p.training_hours <= 0) return;
  const bool officers_only = p.trainees == Trainees::Officers;
  const double gain = p.training_max_gain * (1.0 - std::exp(-p.training_hours / p.training_hour_scale));
  int trainees = 0;
  for_each_member(w, g, [&](std::uint32_t h) {
    const auto role = static_cast<Role>(w.hh.role[h]);
    if (officers_only && role == Role::Member) return;
    w.hh.skill[h] += static_cast<float>(gain * (1.0 - w.hh.skill[h]));
    ++trainees;
  });
  g.bookkeeping += static_cast<float>(gain * (1.0 - g.bookkeeping));
  w.cost[C_TRAINING] += p.training_cost_per_hour * p.training_hours * trainees;
}

}  // namespace kube
