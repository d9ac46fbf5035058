// The summary any model's result file has, whatever the model: for each case and each
// monthly series, the value in the last month, averaged over the replicates, with a 95%
// percentile bootstrap interval over replicates (simulation, Monte Carlo, precision). In a
// comparison, each scenario's paired difference from the baseline: the same replicate
// shares its random numbers, so the difference is taken replicate by replicate. Models
// with an analysis of their own (KUBE: survival, incomes, costs) hand it to the engine in
// their sim::Model; this one serves the others.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/stats.h"
#include "sim/model.h"

namespace analysis {

struct GenericSeries {
  std::string name, unit, long_name;
  std::vector<Estimate> last;        // per case: the value in the last month
  std::vector<Estimate> difference;  // comparisons, per case: minus the baseline (the baseline's own: 0)
};

struct GenericSummary {
  std::string file, model, kind, experiment, baseline;
  std::vector<std::string> cases;
  long long replicates = 0, months = 0, seed = 0;
  std::size_t replicates_used = 0, failed_runs = 0;
  std::vector<GenericSeries> series;
};

GenericSummary generic_summary(const std::filesystem::path& file);
std::string to_text(const GenericSummary& s);
std::string to_json(const GenericSummary& s);
// The summary in `format`; "" for Markdown, which it does not offer.
std::string generic_summary(const std::filesystem::path& file, sim::SummaryFormat format);

// A self-contained HTML page of the same summary: a table per series, provenance and what
// the intervals measure. English only: the generic summary has no translated labels.
std::string generic_report_html(const std::filesystem::path& file);
void write_generic_report(const std::filesystem::path& file, const std::filesystem::path& out, bool replace);

}  // namespace analysis
