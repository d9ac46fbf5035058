// One-at-a-time sensitivity (berdaya sensitivity): for every point of an "oat" sweep,
// the change against the reference point of two key results, paired by replicate (every
// point shares the reference's households and shocks):
//   - groups active 36 months after funding (ACTIVE_36), Kaplan-Meier pooled over the
//     funded groups of all replicates;
//   - recipients' lasting income gain per recipient-month (INCOME_GAIN): the sum over months
//     of (income_members - income_members_cf) x recipients over the sum of recipients (the
//     one-off shared-out grant, transfer_members, is not income and is not counted).
// Both are estimated exactly as berdaya compare estimates a scenario and its paired
// difference to the baseline (analysis/estimates.h): one estimation plan for the whole file
// (the replicates that succeeded at every point, the same bootstrap resamples of them), each
// point's draws on those resamples, a change the difference of the point's and the
// reference's draws. The intervals measure simulation (Monte Carlo) precision, not
// uncertainty about the parameters; a survival horizon too few groups could be followed to
// is not estimable.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/estimates.h"
#include "analysis/stats.h"

namespace analysis {

// A point's changes against the reference: difference(point, reference) of both outcomes.
struct OatChange {
  Estimate active_36, income_gain;
};
OatChange oat_change(const Draws& point, const Draws& reference);

struct OatRow {
  std::size_t point = 0;
  std::string parameter, change, value, reference;  // change: "-25%", "+25% of range", "other option", "flipped"
  long long failed_runs = 0;
  Estimate active_36, income_gain;  // minus the reference point, paired by replicate
};

// Largest absolute change in survival first, then in income; changes that are not
// estimable or undefined last. Stable.
void sort_rows(std::vector<OatRow>& rows);

struct OatSummary {
  std::string experiment, scenario, file, created, git_commit;
  double fraction = 0;
  long long points = 0, parameters = 0, replicates = 0, seed = 0, months = 0, failed_runs = 0;
  std::size_t replicates_used = 0;  // succeeded at every point that has a successful run
  std::size_t bootstrap_batch = 1;  // replicates per bootstrap unit
  int resamples = 0;
  std::uint64_t bootstrap_seed = 0;
  Estimate reference_active_36, reference_income_gain;  // the reference point's own values
  // The reference against itself through the same pairing: exactly zero, a check.
  Estimate reference_change_active_36, reference_change_income_gain;
  std::vector<OatRow> rows;          // sorted by sort_rows
  std::vector<std::string> skipped;  // parameters or changes left out, with the reason
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
