// One case's outcomes as read from a result file: for every replicate, the totals each
// estimate is built from, and the follow-up of every funded group. Estimates pool the
// replicates, a Kaplan-Meier over all funded groups and ratios of totals, instead of
// averaging one value per replicate: a replicate's own value is undefined where it has
// nothing to measure (no group followed 60 months, no group active, no need raised), and
// leaving those replicates out of a mean biases it, in the direction of the outcome.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/pooled_survival.h"
#include "analysis/results.h"

namespace analysis {

inline constexpr int HORIZONS[] = {12, 36, 60};  // months after funding

// Every quantity estimated for a case. Each is a statistic of a multiset of replicates (all
// usable replicates for the estimate, a resample of them for its interval).
enum Quantity : std::size_t {
  // Pooled Kaplan-Meier S(h) of the funded groups, h in HORIZONS.
  ACTIVE_12,
  ACTIVE_36,
  ACTIVE_60,
  // Total cost / (groups funded x pooled S(36)).
  COST_PER_ACTIVE_36,
  // The rest are ratios of totals, sum of num over sum of den (see outcomes.cpp for each).
  INCOME_GAIN,        // lasting income gain per recipient-month, whole run
  INCOME_TRANSFER,    // one-off transfer (shared-out grant) per recipient-month, whole run
  INCOME_MEMBERS,     // recipients' income per recipient-month, last 12 months
  INCOME_MEMBERS_CF,  // the same without the program
  INCOME_POOL,        // pool households' mean income, last 12 months, mean over replicates
  INCOME_POOL_CF,
  POVERTY_MEMBERS,  // share of recipient-months below the line, last 12 months
  POVERTY_MEMBERS_CF,
  POVERTY_CHANGE_MEMBERS,  // POVERTY_MEMBERS minus POVERTY_MEMBERS_CF
  POVERTY_POOL,            // pool headcount, last 12 months, mean over replicates
  POVERTY_POOL_CF,
  POVERTY_CHANGE,  // pool headcount minus the counterfactual's (in-run, or the counterfactual case)
  COST_TOTAL,      // mean over replicates
  COST_PER_FUNDED,
  COST_PER_ACTIVE_END,
  INCOME_PER_RUPIAH,  // total lasting income gain / total cost
  COST_PER_RUPIAH,    // total cost / total lasting income gain
  ACTIVE_SHARE_END,   // groups active at the end / groups funded
  LIFTED,             // recipient-months above the line only thanks to the program
  RESPONSE_MEDIAN,    // yearly median months from need to answer, over replicate-years with answers
  RESPONSE_3M,        // yearly share answered within 3 months, over replicate-years with needs
  AT_RISK_VISITED,    // yearly share of at-risk flags visited within a month, over replicate-years with flags
  REPORT_ON_TIME,     // replicate-years with the yearly report on time
  REPORT_ERROR,       // reported minus true active groups, over replicate-years
  OVERSTATEMENT,      // office's active count minus the true one at the end, runs that funded a group
  // What a rupiah buys (the brief for the head of the office): groups funded x pooled S(36)
  // per Rp 1 billion of total cost, and recipient households above the poverty line in the
  // last 12 months that would be below it without the program (recipients' headcount
  // change times recipients, net) per Rp 1 billion.
  ACTIVE_36_PER_BILLION,
  LIFTED_PER_BILLION,
  QUANTITY_COUNT
};

// What values a quantity can take: its interval must stay inside.
enum class Range { share, nonnegative, any };

struct QuantityInfo {
  const char* key;
  Range range;
  int horizon;  // months after funding for survival-based quantities; 0 otherwise
};
const QuantityInfo& quantity_info(std::size_t q);

// Per replicate: the numerator and denominator whose sums over the replicates chosen make a
// ratio of totals.
struct Totals {
  std::vector<double> num, den;
};

// The bootstrap's units. Up to MAX_UNITS replicates each replicate is a unit. Above, units
// are batches of `batch_size` consecutive replicates (the last may be shorter), so that
// what an estimate holds per unit, and the time each resample takes, stay those of
// MAX_UNITS replicates however many there are. Pooled estimates are sums over replicates
// and do not depend on the batching; a resample of batches of independent replicates is
// a resample of independent units, as the cluster bootstrap asks (analysis/bootstrap.h).
inline constexpr std::size_t MAX_UNITS = 1000;
// Replicates per unit for a file of `replicates` replicates: 1 up to MAX_UNITS, then the
// fewest that keep the units within MAX_UNITS.
std::size_t batch_size(std::size_t replicates);
// The units of `batch` replicates out of R whose every replicate is in `replicates` (sorted,
// distinct): the replicates themselves when batch is 1.
std::vector<std::uint32_t> complete_units(std::span<const std::uint32_t> replicates, std::size_t R, std::size_t batch);

struct Outcomes {
  long long failed_runs = 0, groups_funded = 0, failures = 0;
  std::size_t replicates = 0;            // of the file (0 for outcomes built by hand: units are then replicates)
  std::vector<std::uint32_t> succeeded;  // replicates whose runs succeeded
  // Replicates per unit: unit u holds replicates u x batch() ..
  std::size_t batch() const { return batch_size(replicates); }
  std::size_t units() const { return (replicates + batch() - 1) / batch(); }
  // The units whose every replicate succeeded (the succeeded replicates when batch() is 1).
  std::vector<std::uint32_t> units_succeeded() const { return complete_units(succeeded, replicates, batch()); }
  std::vector<std::string> cause_labels;
  std::vector<long long> by_cause;
  // Every funded group of every replicate, counted by the months it was followed since
  // funding, t = 0 .. months, and how it ended, e (0 still active, i.e. censored; otherwise
  // its cause code, at least 1): ends[t * end_kinds + e]. A table of the run's length
  // rather than a list of groups, so that memory does not grow with the replicates.
  std::vector<long long> ends;
  std::size_t end_kinds = 0;  // the cause labels, at least 2
  double max_follow_up = 0;
  LifeTables life;                            // the same groups, one life table per unit
  std::array<Totals, QUANTITY_COUNT> totals;  // per quantity and unit (the survival ones leave theirs empty)
  // Per replicate, for a counterfactual case's POVERTY_CHANGE: the pool's headcount over the
  // last months, NaN where the run failed or has none.
  std::vector<double> poverty_pool_tail;
};

Outcomes outcomes(const ResultFile& f, std::size_t case_index);

// The replicates whose runs of case `case_index` succeeded, in order.
std::vector<std::uint32_t> succeeded_replicates(const ResultFile& f, std::size_t case_index);

// POVERTY_CHANGE against a counterfactual case at the same replicates (common random
// numbers) instead of the in-run counterfactual.
void set_counterfactual(Outcomes& o, const Outcomes& counterfactual);

// The value of every quantity on the units `reps` (a unit counts as often as it appears),
// into `out` [QUANTITY_COUNT]; `curve` is the pooled survival curve it used.
// NaN where a ratio has nothing below the line; +inf for a cost per unit when there are
// costs but no units (no group active, no income gained).
void evaluate(const Outcomes& o, std::span<const std::uint32_t> reps, std::vector<double>& out, PooledCurve& curve);

}  // namespace analysis
