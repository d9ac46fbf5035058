// Comparisons over a calibration's posterior (berdaya compare --posterior): each scenario
// ran at D posterior draws x R replicates. Per scenario and headline metric: the effect
// against the baseline with an interval over the plausible worlds (the draws), the
// Monte Carlo part apart, the probability that the scenario beats the baseline, and the
// probability of each rank among the scenarios. KUBE's headline metrics are its
// comparison table's; any other model's, each monthly series in the last month.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/model.h"

namespace analysis {

// Which way a metric is better.
enum class Better { Higher, Lower, NearerZero };
std::string better_name(Better b);  // "higher", "lower", "nearer zero"

struct PosteriorMetric {
  std::string key, label, unit;
  Better better = Better::Higher;
};

// What the analysis reads: per metric, scenario and draw the draw's estimate (pooled over
// its replicates), its difference from the baseline at the same draw (paired by
// replicate), and that difference's Monte Carlo standard error (over its replicates).
// NaN where not estimable.
struct PosteriorInput {
  std::vector<std::string> scenarios;
  std::size_t baseline = 0, draws = 0;
  std::vector<PosteriorMetric> metrics;
  std::vector<double> value, effect, effect_se;  // [metric][scenario][draw]
  std::size_t at(std::size_t m, std::size_t s, std::size_t d) const { return (m * scenarios.size() + s) * draws + d; }
};

// The interval level over draws: 90 %, as the calibration's posterior intervals.
inline constexpr double POSTERIOR_LOW = 0.05, POSTERIOR_HIGH = 0.95;
// The Monte Carlo half-width of the same level: 1.645 standard errors.
inline constexpr double POSTERIOR_Z = 1.6448536269514722;

struct PosteriorCell {
  double value = 0, value_lo = 0, value_hi = 0;     // the level: median and 90 % over draws
  double effect = 0, effect_lo = 0, effect_hi = 0;  // minus the baseline: median and 90 % over draws
  double mc_se = 0;                                 // mean over draws of the effect's Monte Carlo standard error
  double p_better = 0;       // share of draws where the scenario beats the baseline (NaN: the baseline)
  std::vector<double> rank;  // [rank - 1]: share of draws at that rank (ties share)
  std::size_t draws = 0;     // draws used: every scenario taking part has a value there (0: this one takes none)
};

struct PosteriorAnalysis {
  std::vector<std::string> scenarios;
  std::size_t baseline = 0, draws = 0;
  std::vector<PosteriorMetric> metrics;
  std::vector<std::vector<PosteriorCell>> cells;  // [scenario][metric]
};

PosteriorAnalysis analyse(const PosteriorInput& in);

// A result file of berdaya compare --posterior (it has /posterior).
bool is_posterior_file(const std::filesystem::path& file);

struct PosteriorSummary {
  std::string file, model, experiment, created, git_commit;
  std::string calibration_file, calibration_fingerprint, counterfactual;
  long long replicates = 0, seed = 0, months = 0, failed_runs = 0, generation = 0;
  std::vector<std::string> parameters;
  std::vector<double> values;  // [draw x parameter]
  std::string mc_method;       // how the Monte Carlo standard error is made
  PosteriorAnalysis analysis;
};

PosteriorSummary posterior_summary(const std::filesystem::path& file);
std::string to_text(const PosteriorSummary& s);
std::string to_json(const PosteriorSummary& s);
// The summary in `format`; "" for Markdown, which it does not offer.
std::string posterior_summary(const std::filesystem::path& file, sim::SummaryFormat format);

}  // namespace analysis
