// Runs of a scenario reduced to what the calibration and regression tests compare:
// each replicate's funded groups (time since funding, event, cause) and run totals,
// and Kaplan-Meier survival pooled over replicates.
#pragma once
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/stats.h"
#include "models/kube/metrics.h"
#include "models/kube/model.h"

namespace test {

inline std::size_t column(const std::string& name) {
  const auto& t = kube::schema().table;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].name == name) return i;
  throw std::invalid_argument("no table column " + name);
}

inline std::size_t series(const std::string& name) {
  const auto& s = kube::schema().series;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i].name == name) return i;
  throw std::invalid_argument("no series " + name);
}

inline std::size_t yearly(const std::string& name) {
  const auto& s = kube::schema().yearly;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i].name == name) return i;
  throw std::invalid_argument("no yearly series " + name);
}

// One replicate's funded groups and run totals.
struct Replicate {
  std::vector<double> time;  // months since funding, to failure or the end of the run
  std::vector<int> event, cause;
  double payouts = 0, active_months = 0;  // for payouts per active group-month
  double gain = 0, recipient_months = 0;  // lasting income gain, all recipient-months
  double transfer = 0;                    // one-off transfers (shared-out grants), all recipient-months
  double cost = 0;                        // program cost over the run
  double overstatement = 0;               // office's count minus the true count at the end
  double on_time = 0, years = 0, response_median = 0, response_years = 0, active_end = 0, funded = 0;
  double within_target = 0, within_years = 0, report_error = 0;
};

struct Outcome {
  std::vector<Replicate> reps;
  int months = 0;
};

inline Outcome simulate(const kube::Params& p, int replicates) {
  Outcome o;
  o.months = static_cast<int>(p.run_months);
  const int M = o.months;
  const auto funded = column("funded_month"), failed = column("failed_month"), cause = column("cause"),
             payouts = column("payouts");
  const auto office = series("office_active"), active = series("groups_active"), inc = series("income_members"),
             cf = series("income_members_cf"), rec = series("recipients"), transfer = series("transfer_members"),
             cost = series("cost_total");
  const auto on_time = yearly("report_on_time"), median = yearly("response_median"),
             within = yearly("response_within_3m"), error = yearly("report_error");
  for (int r = 0; r < replicates; ++r) {
    const auto run = kube::run(p, p.run_seed, static_cast<std::uint64_t>(r));
    Replicate x;
    for (std::size_t g = 0; g < run.table[funded].size(); ++g) {
      const double f = run.table[funded][g], e = run.table[failed][g];
      if (f < 0) continue;
      x.time.push_back(e >= 0 ? e - f : M - f);
      x.event.push_back(e >= 0);
      x.cause.push_back(static_cast<int>(run.table[cause][g]));
      x.payouts += run.table[payouts][g];
      x.active_months += x.time.back();
      ++x.funded;
      x.active_end += e < 0;
    }
    for (int m = 0; m < M; ++m) {
      const double d = run.series[inc * M + m] - run.series[cf * M + m];
      if (std::isfinite(d)) x.gain += d * run.series[rec * M + m];
      x.recipient_months += run.series[rec * M + m];
      const double t = run.series[transfer * M + m];
      if (std::isfinite(t)) x.transfer += t * run.series[rec * M + m];
    }
    x.cost = run.series[cost * M + M - 1];
    x.overstatement = run.series[office * M + M - 1] - run.series[active * M + M - 1];
    for (int y = 0; y < run.years; ++y) {
      x.on_time += run.yearly[on_time * run.years + y];
      ++x.years;
      const double md = run.yearly[median * run.years + y];
      if (std::isfinite(md)) x.response_median += md, ++x.response_years;
      const double wt = run.yearly[within * run.years + y];
      if (std::isfinite(wt)) x.within_target += wt, ++x.within_years;
      x.report_error += run.yearly[error * run.years + y];
    }
    o.reps.push_back(std::move(x));
  }
  return o;
}

// Pooled Kaplan-Meier S(t) over the given replicates (indices may repeat).
inline double survival(const Outcome& o, const std::vector<std::size_t>& idx, double t) {
  std::vector<double> time;
  std::vector<int> event;
  for (auto i : idx) {
    time.insert(time.end(), o.reps[i].time.begin(), o.reps[i].time.end());
    event.insert(event.end(), o.reps[i].event.begin(), o.reps[i].event.end());
  }
  double s = 1.0;
  for (const auto& pt : analysis::kaplan_meier(time, event))
    if (pt.time <= t) s = pt.survival;
  return s;
}

}  // namespace test
