// Estimates of every quantity of a case with their intervals: the point estimate from all
// usable replicates pooled, the 95% interval a percentile bootstrap over replicates
// (analysis/bootstrap.h), and differences between cases on the same resamples (paired, for
// cases that share households and shocks replicate by replicate) or on independent ones.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "analysis/bootstrap.h"
#include "analysis/outcomes.h"
#include "analysis/stats.h"

namespace analysis {

// The replicates and resamples every case of a file is estimated on. Replicates are those
// whose runs succeeded in every case that has any successful run, so that levels and paired
// differences rest on the same replicates. The resamples draw units (analysis/outcomes.h,
// MAX_UNITS): the replicates themselves, or above MAX_UNITS replicates batches of them, of
// which those whose every replicate is usable.
struct EstimationPlan {
  std::vector<std::uint32_t> replicates;  // the replicates of the units, in order
  std::size_t file_replicates = 0;        // the file's replicates (0 when built by hand: units are then replicates)
  std::vector<std::uint32_t> units;       // unit u holds replicates u x batch() .. (the replicates when batch() is 1)
  std::size_t batch() const { return batch_size(file_replicates); }
  // The replicates first .. end - 1 of unit u.
  std::pair<std::size_t, std::size_t> unit_span(std::size_t u) const {
    const std::size_t b = batch(), first = u * b;
    return {first, b == 1 ? first + 1 : std::min(file_replicates, first + b)};
  }
  std::uint64_t seed = 0;  // of the bootstrap, derived from the file's seed
  int resamples = BOOTSTRAP_RESAMPLES;
  Resamples common;       // for levels and paired differences
  Resamples independent;  // for a second case in an unpaired difference
};
EstimationPlan estimation_plan(const std::vector<const Outcomes*>& cases, std::uint64_t file_seed,
                               int resamples = BOOTSTRAP_RESAMPLES);
// The same from each case's succeeded replicates (Outcomes::succeeded, in order) out of the
// file's `replicates`, for callers that read one case at a time.
EstimationPlan estimation_plan_from_succeeded(const std::vector<std::vector<std::uint32_t>>& succeeded,
                                              std::size_t replicates, std::uint64_t file_seed,
                                              int resamples = BOOTSTRAP_RESAMPLES);

// Every quantity of one case: on all replicates of the plan, and on each resample.
struct Draws {
  std::vector<double> full;               // [quantity]
  std::vector<double> at_risk;            // [quantity]: pooled groups at risk at the horizon; NaN if none
  std::vector<double> reach;              // [quantity]: pooled groups that could be followed to the horizon
  std::vector<std::vector<double>> boot;  // [quantity][resample]
  std::size_t replicates = 0;
};
// On the plan's common resamples, or on its independent ones. std::invalid_argument when the
// outcomes' units are not the plan's.
Draws draws(const Outcomes& o, const EstimationPlan& plan, bool independent = false);

// The estimate of quantity q with its percentile interval (none from a single replicate).
// Not estimable (estimable =
// false, at_risk set) for a survival horizon fewer than MIN_FOLLOWED groups could be
// followed to (analysis/pooled_survival.h).
Estimate level(const Draws& d, std::size_t q);
// a minus b: the difference of the point estimates, with the percentile interval of the
// resampled differences (paired when both were drawn on the same resamples).
Estimate difference(const Draws& a, const Draws& b, std::size_t q);

// One line saying what the intervals measure and how they are made, for the text outputs.
// `batch`: replicates per bootstrap unit (EstimationPlan::batch).
std::string interval_note(std::size_t replicates, int resamples, std::size_t batch = 1);
// The same as a JSON object: "interval": {...}.
std::string interval_json(std::size_t replicates, int resamples, std::uint64_t seed, std::size_t batch = 1);
// When a survival horizon (and a cost per group active there) is not estimable, in words.
std::string not_estimable_rule();

}  // namespace analysis
