#include "models/kube/mechanisms.h"

namespace kube {

namespace {
bool production(BusinessType t) {
  return t == BusinessType::Food || t == BusinessType::Crafts || t == BusinessType::Livestock;
}
}  // namespace

// Quotas reset at the start of each year; labels go to active production groups and
// permits to active food groups, in group-id order (the office's list).
void grant_labels_and_permits(World& w) {
  if (w.month % 12 == 0) w.labels_this_year = w.permits_this_year = 0;
  for (auto& g : w.groups) {
    if (g.stage != Stage::Active) continue;
    if (!g.label && production(g.type) && w.labels_this_year < w.p.labels_per_year) {
      g.label = true;
      ++w.labels_this_year;
      w.cost[C_LABELS] += w.p.labels_cost;
    }
    if (!g.permit && g.type == BusinessType::Food && w.permits_this_year < w.p.permits_per_year) {
      g.permit = true;
      ++w.permits_this_year;
    }
    g.market_access = static_cast<float>(1.0 + (g.label ? w.p.business_label_premium : 0.0) +
                                         (g.permit ? w.p.business_permit_premium : 0.0));
  }
}

}  // namespace kube
