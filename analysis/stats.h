// Estimators over result files: means with t-based confidence intervals and
// Kaplan-Meier survival with Greenwood variance.
#pragma once
#include <vector>

namespace analysis {

struct Estimate {
  double mean = 0, lo = 0, hi = 0;
  int n = 0;  // finite values used
};

// Mean and two-sided (1 - alpha) t interval of the finite values; NaN when none.
Estimate mean_ci(const std::vector<double>& values, double alpha = 0.05);

struct SurvivalPoint {
  double time;      // event time
  double survival;  // S(t) just after time
  double variance;  // Greenwood variance of S(t)
  int at_risk, events;
};

// Kaplan-Meier estimate from follow-up times and event flags (1 = event, 0 = censored).
std::vector<SurvivalPoint> kaplan_meier(const std::vector<double>& time, const std::vector<int>& event);

// S(t) from a curve; NaN when t lies beyond the longest follow-up.
double survival_at(const std::vector<SurvivalPoint>& curve, double t, double max_follow_up);

}  // namespace analysis
