// Kaplan-Meier over the funded groups of several replicates together. Each replicate keeps
// a life table (events and censorings at each whole month since funding), so the pooled
// curve of any multiset of replicates, such as a bootstrap resample where a replicate may
// appear twice, comes from summed counts without going back to the groups.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "analysis/stats.h"

namespace analysis {

// A survival horizon h is not estimable when fewer than MIN_FOLLOWED funded groups, all
// replicates together, could be followed that long: funded at least h months before the
// end of the run. The count depends on when groups were funded and how long the run is,
// not on how the groups fared, so a scenario whose groups all fail early still has its
// (low) survival estimated, and a horizon beyond the longest follow-up has none. Groups
// are censored only by the end of the run, so of those that could be followed to h each
// has either failed before h or is still at risk at h.
inline constexpr double MIN_FOLLOWED = 10;

// The pooled curve at each whole month t = 0 .. max_time since funding.
struct PooledCurve {
  std::vector<double> survival;  // S(t): the share still active just after t months
  std::vector<double> at_risk;   // groups followed at least t months (still at risk at t)
  std::vector<double> events;    // groups that failed t months after funding
  std::vector<double> reach;     // groups funded at least t months before the end (could be followed to t)
  // S(h), carried forward from the last month when h lies beyond max_time, as R's
  // summary.survfit(extend = TRUE); 1 for h < 0.
  double survival_at(double h) const;
  // Groups at risk at h: followed at least h months; 0 beyond max_time.
  double at_risk_at(double h) const;
  // Groups that could be followed h months; 0 beyond max_time.
  double reach_at(double h) const;
  // Whether S(h) is estimable: reach_at(h) >= MIN_FOLLOWED.
  bool estimable_at(double h) const { return reach_at(h) >= MIN_FOLLOWED; }
};

class LifeTables {
 public:
  LifeTables() = default;
  // Follow-up times are whole months in 0 .. max_time.
  LifeTables(std::size_t replicates, long long max_time);
  // One funded group of `replicate`: followed `months` months, ending in failure (event)
  // or still active (censored), funded `potential` months before the end of the run
  // (at least `months`; equal to it when censored). std::invalid_argument outside the table.
  void add(std::size_t replicate, long long months, bool event, long long potential);

  std::size_t replicates() const { return replicates_; }
  long long max_time() const { return max_time_; }
  double groups(std::size_t replicate) const { return groups_[replicate]; }

  // Kaplan-Meier of the groups of `reps`, a replicate counting as often as it appears.
  void pool(std::span<const std::uint32_t> reps, PooledCurve& out) const;
  // The same curve at its event times only, as kaplan_meier returns it (for checks).
  std::vector<SurvivalPoint> event_points(std::span<const std::uint32_t> reps) const;

 private:
  std::size_t replicates_ = 0;
  long long max_time_ = 0;
  std::size_t width_ = 0;  // max_time + 1
  // [replicate x month]: events at t, groups followed at least t months, and groups that
  // could be followed t months.
  std::vector<double> events_, at_risk_, reach_;
  std::vector<double> groups_;
};

}  // namespace analysis
