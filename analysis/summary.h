// The summary of a result file: survival of funded groups, failure causes, incomes and
// poverty, costs, and the city office's three indicators. Reads only the file.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analysis/results.h"
#include "analysis/stats.h"

namespace analysis {

struct Summary {
  std::string scenario, created, git_commit, file;
  long long replicates = 0, seed = 0, months = 0, failed_runs = 0;
  long long groups_funded = 0;  // all replicates
  std::map<int, Estimate> active_share;            // months after funding -> KM estimate
  std::vector<std::pair<std::string, double>> failure_causes;  // share of failures
  long long failures = 0;
  Estimate income_members, income_members_cf, income_gain, income_pool, income_pool_cf;
  Estimate poverty_members, poverty_members_cf, poverty_pool, poverty_pool_cf;
  Estimate cost_total, cost_per_funded_group, cost_per_active_group;
  // Indicators.
  Estimate effectiveness_active_share, effectiveness_lifted, responsiveness_median, responsiveness_3m,
      responsiveness_at_risk, accountability_on_time, accountability_error, office_overstatement, productivity;
};

inline constexpr int HORIZONS[] = {12, 36, 60};  // months after funding

// One case's outcomes, one value per replicate (NaN where undefined, e.g. no groups).
struct Outcomes {
  long long failed_runs = 0, groups_funded = 0, failures = 0;
  std::vector<std::string> cause_labels;
  std::vector<long long> by_cause;
  std::map<int, std::vector<double>> active;  // Kaplan-Meier S(h) for h in HORIZONS
  // Every funded group of every replicate: months followed since funding, and how it
  // ended (0 still active, i.e. censored; otherwise its cause code, at least 1).
  std::vector<double> follow_up;
  std::vector<int> end_cause;
  double max_follow_up = 0;
  std::map<std::string, std::vector<double>> tail;  // series averaged over the last 12 months
  std::vector<double> income_effect;  // recipients' monthly income minus their own without the program, run mean
  std::vector<double> cost_total, cost_per_funded, cost_per_active_end, cost_per_active_36, cost_per_rupiah,
      income_per_rupiah, overstatement;
  std::vector<double> active_share_end, lifted, response_median, response_3m, at_risk_visited, report_on_time,
      report_error;
};

Outcomes outcomes(const ResultFile& f, std::size_t case_index);

// InputError for files that are not berdaya results or miss a dataset.
Summary summarize(const std::filesystem::path& file, std::size_t case_index = 0);

std::string to_text(const Summary& s);
std::string to_json(const Summary& s);

// A plain-words description of any berdaya result file (berdaya inspect).
std::string describe_file(const std::filesystem::path& file);

}  // namespace analysis
