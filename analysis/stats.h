// Estimators over result files: means and differences of means with t-based confidence
// intervals, Kaplan-Meier survival with Greenwood variance and pointwise bands, and
// cumulative incidence under competing risks.
#pragma once
#include <limits>
#include <vector>

namespace analysis {

struct Estimate {
  double mean = 0, lo = 0, hi = 0;
  int n = 0;  // finite values used (replicates, for the pooled estimates)
  // A survival horizon too few groups could be followed to is not estimable
  // (analysis/pooled_survival.h); mean, lo and hi are then NaN. Survival-based estimates
  // say how many groups were at risk at the horizon and how many could be followed to it.
  bool estimable = true;
  double at_risk = std::numeric_limits<double>::quiet_NaN();
  double reachable = std::numeric_limits<double>::quiet_NaN();
};

// Mean and two-sided (1 - alpha) t interval of the finite values; NaN when none.
Estimate mean_ci(const std::vector<double>& values, double alpha = 0.05);

// Mean of a[i] - b[i] over the pairs where both are finite, with its t interval; n counts
// those pairs. a and b must have the same length (matched replicates, common random numbers).
Estimate paired_diff(const std::vector<double>& a, const std::vector<double>& b, double alpha = 0.05);

// Welch difference of means, mean(a) - mean(b), over the finite values of each, with a t
// interval on Welch-Satterthwaite degrees of freedom; n counts the values used from both.
// NaN when either side has fewer than two finite values.
Estimate unpaired_diff(const std::vector<double>& a, const std::vector<double>& b, double alpha = 0.05);

struct SurvivalPoint {
  double time;      // event time
  double survival;  // S(t) just after time
  double variance;  // Greenwood variance of S(t)
  int at_risk, events;
};

// Kaplan-Meier estimate from follow-up times and event flags (1 = event, 0 = censored).
std::vector<SurvivalPoint> kaplan_meier(const std::vector<double>& time, const std::vector<int>& event);

// S(t) from a curve; NaN when t lies beyond the longest follow-up, unless S has already
// reached 0 there.
double survival_at(const std::vector<SurvivalPoint>& curve, double t, double max_follow_up);

// Standard error of log S(t) from Greenwood's formula, sqrt(sum d / (n (n - d))); what R's
// survfit reports as std.err. Infinite once S reaches 0.
double log_survival_se(const SurvivalPoint& p);

// How a pointwise band is built from the Greenwood variance (the names of R survfit's
// conf.type). The default is log, as in R's survfit.
enum class BandType {
  plain,    // S +- z se(S), clipped to [0, 1]
  log,      // exp(log S +- z se(log S)), upper clipped at 1
  log_log,  // on log(-log S), which keeps the band inside (0, 1)
};

struct Band {
  double lo, hi;
};

// Pointwise two-sided band of S(t) at each curve point, at the given level. NaN where S is 0
// (and, for log_log, where S is 1), as in R's survfit.
std::vector<Band> survival_band(const std::vector<SurvivalPoint>& curve, double level = 0.95,
                                BandType type = BandType::log);

struct CumulativeIncidence {
  double time;                    // a time with at least one event of any cause
  double survival;                // all-cause Kaplan-Meier S(t) just after time
  std::vector<double> incidence;  // incidence[k - 1]: CIF of cause k at time
  int at_risk;
  std::vector<int> events;  // events[k - 1]: events of cause k at time
};

// Aalen-Johansen cumulative incidence by cause (cause 0 = censored, 1..n_causes = the cause
// of the event), one row per distinct event time. The incidences and the survival sum to 1.
std::vector<CumulativeIncidence> cumulative_incidence(const std::vector<double>& time, const std::vector<int>& cause,
                                                      int n_causes);
// The same from whole-month times counted in a table: ends[t * (n_causes + 1) + e] subjects
// followed t months (t = 0, 1, ..) that ended with e (0 censored). The same numbers, bit for
// bit, as from the list of those subjects; the table's size does not grow with them.
std::vector<CumulativeIncidence> cumulative_incidence(const std::vector<long long>& ends, int n_causes);

}  // namespace analysis
