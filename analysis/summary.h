// The summary of a result file: survival of funded groups, failure causes, incomes and
// poverty, costs, and the city office's three indicators. Reads only the file. Every
// estimate pools the replicates (analysis/outcomes.h) and carries a percentile bootstrap
// interval over replicates (analysis/estimates.h).
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/outcomes.h"
#include "analysis/results.h"
#include "analysis/stats.h"

namespace analysis {

struct Summary {
  std::string scenario, created, git_commit, file;
  long long replicates = 0, seed = 0, months = 0, failed_runs = 0;
  long long groups_funded = 0;  // all replicates
  long long failures = 0;
  double max_follow_up = 0;  // months, the longest any funded group was followed
  std::size_t replicates_used = 0;
  std::size_t bootstrap_batch = 1;  // replicates per bootstrap unit
  int resamples = 0;
  std::uint64_t bootstrap_seed = 0;
  std::vector<std::pair<std::string, double>> failure_causes;  // share of failures
  std::array<Estimate, QUANTITY_COUNT> estimate;               // by Quantity
  const Estimate& operator[](Quantity q) const { return estimate[q]; }
};

// InputError for files that are not berdaya results or miss a dataset.
Summary summarize(const std::filesystem::path& file, std::size_t case_index = 0);

std::string to_text(const Summary& s);
std::string to_json(const Summary& s);

// A plain-words description of any berdaya result file (berdaya inspect).
std::string describe_file(const std::filesystem::path& file);

}  // namespace analysis
