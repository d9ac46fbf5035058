// The comparison table of an experiment (berdaya compare, berdaya summary): per scenario,
// survival of groups, the lasting income gain and, beside it, the one-off transfer,
// poverty effects against the counterfactual, costs and the city office's three
// indicators. Each is estimated from all replicates pooled, with a 95% percentile bootstrap
// interval over replicates (Monte Carlo precision), and as a difference to the baseline on
// the same resamples of the same replicates (paired: common random numbers). And the
// summary of a sweep: sensitivity of key outcomes to each factor.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/results.h"
#include "analysis/stats.h"
#include "analysis/summary.h"

namespace analysis {

struct Metric {
  const char* key;
  const char* label;
  const char* unit;   // "%" (shares shown as percent), "Rp", "pp" or a plain unit
  Quantity quantity;  // what is estimated (analysis/outcomes.h)
};

// The comparison's outcomes in table order.
const std::vector<Metric>& comparison_metrics();

struct ComparisonRow {
  std::string scenario, description;
  long long failed_runs = 0;
  std::vector<Estimate> value;          // per metric
  std::vector<Estimate> diff;           // minus the baseline, on the same resamples (paired by replicate)
  std::vector<Estimate> diff_unpaired;  // the same as if the runs were independent (independent resamples)
};

struct ComparisonTable {
  std::string experiment, file, created, git_commit, kind;
  std::string baseline, counterfactual;
  long long replicates = 0, seed = 0, months = 0;
  std::size_t replicates_used = 0;  // succeeded in every case that has a successful run
  std::size_t bootstrap_batch = 1;  // replicates per bootstrap unit
  int resamples = 0;
  std::uint64_t bootstrap_seed = 0;
  std::vector<ComparisonRow> rows;
};

ComparisonTable compare(const std::filesystem::path& file);
// The same from outcomes already read, one per case of `f`.
ComparisonTable compare(const ResultFile& f, const std::vector<Outcomes>& outcomes);
std::string to_text(const ComparisonTable& t);
std::string to_json(const ComparisonTable& t);

// Sweeps: how strongly each factor moves each key outcome (each point's pooled estimate).
struct FactorEffect {
  std::string factor;
  double first = 0, first_lo = 0, first_hi = 0, total = 0, total_lo = 0, total_hi = 0;  // Sobol (saltelli)
  double mu_star = 0, sigma = 0;                                                        // Morris
  double correlation = 0;  // rank correlation of value and outcome (grid, lhs)
};

struct SweepOutcome {
  std::string key, label;
  std::vector<FactorEffect> factors;
};

struct SweepSummary {
  std::string experiment, file, design, created;
  long long points = 0, replicates = 0, seed = 0, months = 0, failed_runs = 0;
  std::vector<std::string> factors;
  std::vector<SweepOutcome> outcomes;
  std::vector<std::string> failures;  // first messages of failed runs
};

SweepSummary sweep_summary(const std::filesystem::path& file);
std::string to_text(const SweepSummary& s);
std::string to_json(const SweepSummary& s);

// What `berdaya summary FILE` prints, for any kind of result file.
std::string summary_text(const std::filesystem::path& file, bool json);

}  // namespace analysis
