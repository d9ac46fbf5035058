// One-at-a-time sensitivity (berdaya sensitivity): for every point of an "oat" sweep,
// the change against the reference point of two key results, paired by replicate (every
// point shares the reference's households and shocks):
//   - groups active 36 months after funding, Kaplan-Meier pooled over the funded groups
//     of all replicates;
//   - recipients' lasting income gain per recipient-month: the sum over months of
//     (income_members - income_members_cf) x recipients over the sum of recipients (the
//     one-off shared-out grant, transfer_members, is not income and is not counted).
// Intervals are percentile bootstraps over replicates that draw the same replicate
// indices for the point and the reference: they measure simulation (Monte Carlo)
// precision, not uncertainty about the parameters.
#pragma once
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace analysis {

inline constexpr double OAT_HORIZON = 36;  // months after funding
inline constexpr int OAT_RESAMPLES = 1000;

// Kaplan-Meier S(horizon) over the groups of several replicates pooled, each replicate
// counted `weight[r]` times (1 for the estimate, a resample's multiplicities in the
// bootstrap). Equal to kaplan_meier + survival_at over the pooled groups: NaN when the
// horizon lies beyond the longest follow-up, unless S has reached 0.
class PooledSurvival {
 public:
  // time[r], event[r]: the follow-up and end (1 ended, 0 still active) of replicate r's groups.
  PooledSurvival(const std::vector<std::vector<double>>& time, const std::vector<std::vector<int>>& event,
                 double horizon);
  double at(const std::vector<double>& weight) const;
  std::size_t replicates() const { return max_follow_up_.size(); }

 private:
  double horizon_;
  std::size_t times_ = 0;                  // distinct event times up to the horizon
  std::vector<double> events_, at_risk_;   // [replicate x event time]
  std::vector<double> max_follow_up_;      // per replicate; -inf without groups
};

// sum_r w_r num_r / sum_r w_r den_r; NaN when the denominator is 0.
double pooled_ratio(const std::vector<double>& num, const std::vector<double>& den, const std::vector<double>& weight);

struct Change {
  double value = std::numeric_limits<double>::quiet_NaN();
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();
};

// B resamples of R replicate indices drawn with replacement, as multiplicities per
// replicate ([B][R]), from a stream keyed by `seed`: the same for every point.
std::vector<std::vector<double>> bootstrap_weights(std::size_t replicates, int resamples, std::uint64_t seed);

struct OatRow {
  std::size_t point = 0;
  std::string parameter, change, value, reference;  // change: "-25%", "+25% of range", "other option", "flipped"
  long long failed_runs = 0;
  Change active_36, income_gain;  // minus the reference point, paired by replicate
};

struct OatSummary {
  std::string experiment, scenario, file, created, git_commit;
  double fraction = 0;
  long long points = 0, parameters = 0, replicates = 0, seed = 0, months = 0, failed_runs = 0;
  int resamples = OAT_RESAMPLES;
  Change reference_active_36, reference_income_gain;  // the reference point's own values
  // The reference against itself through the same pairing: exactly zero, a check.
  Change reference_change_active_36, reference_change_income_gain;
  std::vector<OatRow> rows;           // by the largest absolute change in survival first
  std::vector<std::string> skipped;   // parameters or changes left out, with the reason
};

// Whether a result file is a one-at-a-time screen.
bool is_oat(const std::filesystem::path& file);
// InputError for a file that is not one.
OatSummary oat_summary(const std::filesystem::path& file);
std::string to_text(const OatSummary& s);
std::string to_json(const OatSummary& s);
// A Markdown table with a short lead, for docs/.
std::string to_markdown(const OatSummary& s);

}  // namespace analysis
