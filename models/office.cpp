#include "models/mechanisms.h"

namespace kube {

void observe(World& w, Group& g) {
  g.office_seen = w.month;
  g.office_seen_active = g.stage != Stage::Inactive;
}

// The office knows a group only from its last observation; a funded group it has not
// seen fail is assumed active.
int office_active_count(const World& w) {
  int n = 0;
  for (const auto& g : w.groups)
    if (g.funded >= 0 && !(g.office_seen >= 0 && !g.office_seen_active)) ++n;
  return n;
}

// The report for `year` (0-based) is on time when the office observed enough of the
// funded groups during that year; its error is the office's count of active groups
// minus the true count.
void yearly_report(World& w, int year) {
  int funded = 0, observed = 0, active = 0;
  for (const auto& g : w.groups) {
    if (g.funded < 0) continue;
    ++funded;
    if (g.office_seen >= year * 12) ++observed;
    if (g.stage == Stage::Active) ++active;
  }
  auto& y = w.years[static_cast<std::size_t>(year)];
  y.reports_on_time = funded == 0 || observed >= w.p.office_report_coverage * funded;
  const int reported = office_active_count(w);
  y.report_error = reported - active;
  y.report_error_rel = active > 0 ? static_cast<double>(reported - active) / active : 0.0;
}

}  // namespace kube
