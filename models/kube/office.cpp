#include "models/kube/mechanisms.h"

#include <algorithm>

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

// The report for `year` (0-based) is on time when the office has recent observations
// (within the last report_window months of the year) of enough of the groups it must
// report on: funded groups not already known, before the year began, to be gone. Its
// error is the office's count of active groups minus the true count.
void yearly_report(World& w, int year) {
  int to_report = 0, observed = 0, active = 0;
  const int start = year * 12;
  const int recent = std::min(w.month, start + 11) - static_cast<int>(w.p.office_report_window) + 1;
  for (const auto& g : w.groups) {
    if (g.funded < 0) continue;
    if (g.stage == Stage::Active) ++active;
    const bool known_gone = g.office_seen >= 0 && g.office_seen < start && !g.office_seen_active;
    if (known_gone) continue;
    ++to_report;
    if (g.office_seen >= std::max(start, recent)) ++observed;
  }
  auto& y = w.years[static_cast<std::size_t>(year)];
  y.reports_on_time = to_report == 0 || observed >= w.p.office_report_coverage * to_report;
  const int reported = office_active_count(w);
  y.report_error = reported - active;
  y.report_error_rel = active > 0 ? static_cast<double>(reported - active) / active : 0.0;
}

}  // namespace kube
