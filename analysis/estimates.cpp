#include "analysis/estimates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/format.h"
#include "sim/random.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// Survival-based quantities carry the pooled groups at risk at their horizon.
bool at_horizon(std::size_t q) { return quantity_info(q).horizon > 0; }

Estimate estimate(double mean, const std::vector<double>& values, std::size_t n) {
  Estimate e;
  e.n = static_cast<int>(n);
  e.mean = mean;
  // One replicate says nothing about how another would differ: no interval.
  if (std::isnan(mean) || n < 2) {
    e.lo = e.hi = NaN;
    return e;
  }
  const Bounds b = percentile_interval(values);
  e.lo = b.lo;
  e.hi = b.hi;
  return e;
}

}  // namespace

EstimationPlan estimation_plan(const std::vector<const Outcomes*>& cases, std::uint64_t file_seed, int resamples) {
  std::vector<std::vector<std::uint32_t>> succeeded;
  const std::size_t R = cases.empty() ? 0 : cases.front()->replicates;
  for (const auto* o : cases) {
    if (o->replicates != R) throw std::invalid_argument("estimation_plan: cases of different replicate counts");
    succeeded.push_back(o->succeeded);
  }
  return estimation_plan_from_succeeded(succeeded, R, file_seed, resamples);
}

EstimationPlan estimation_plan_from_succeeded(const std::vector<std::vector<std::uint32_t>>& succeeded,
                                              std::size_t replicates, std::uint64_t file_seed, int resamples) {
  EstimationPlan p;
  p.file_replicates = replicates;
  p.seed = sim::combine(0x62657374696d6174ULL, file_seed);
  p.resamples = resamples;
  std::vector<std::uint32_t> keep;
  bool first = true;
  for (const auto& s : succeeded) {
    if (s.empty()) continue;  // a case whose every run failed has nothing to estimate
    if (first) {
      keep = s;
      first = false;
      continue;
    }
    std::vector<std::uint32_t> both;
    std::set_intersection(keep.begin(), keep.end(), s.begin(), s.end(), std::back_inserter(both));
    keep = std::move(both);
  }
  p.units = complete_units(keep, replicates, p.batch());
  if (p.batch() == 1) {
    p.replicates = std::move(keep);
  } else {
    for (std::uint32_t u : p.units)
      for (auto [r, end] = p.unit_span(u); r < end; ++r) p.replicates.push_back(static_cast<std::uint32_t>(r));
  }
  p.common = Resamples(p.units.size(), resamples, sim::combine(p.seed, 0));
  p.independent = Resamples(p.units.size(), resamples, sim::combine(p.seed, 1));
  return p;
}

Draws draws(const Outcomes& o, const EstimationPlan& plan, bool independent) {
  if (o.batch() != plan.batch()) throw std::invalid_argument("draws: the outcomes' units are not the plan's");
  Draws d;
  d.replicates = plan.replicates.size();
  PooledCurve curve;
  evaluate(o, plan.units, d.full, curve);
  d.at_risk.assign(QUANTITY_COUNT, NaN);
  d.reach.assign(QUANTITY_COUNT, NaN);
  for (std::size_t q = 0; q < QUANTITY_COUNT; ++q)
    if (at_horizon(q)) {
      d.at_risk[q] = curve.at_risk_at(quantity_info(q).horizon);
      d.reach[q] = curve.reach_at(quantity_info(q).horizon);
    }
  const Resamples& rs = independent ? plan.independent : plan.common;
  d.boot.assign(QUANTITY_COUNT, std::vector<double>(rs.size(), NaN));
  std::vector<std::uint32_t> reps(rs.units());
  std::vector<double> values;
  for (std::size_t b = 0; b < rs.size(); ++b) {
    const auto idx = rs[b];
    for (std::size_t i = 0; i < idx.size(); ++i) reps[i] = plan.units[idx[i]];
    evaluate(o, reps, values, curve);
    for (std::size_t q = 0; q < QUANTITY_COUNT; ++q) d.boot[q][b] = values[q];
  }
  return d;
}

Estimate level(const Draws& d, std::size_t q) {
  Estimate e = estimate(d.full[q], d.boot[q], d.replicates);
  e.at_risk = d.at_risk[q];
  e.reachable = d.reach[q];
  if (at_horizon(q) && !(d.reach[q] >= MIN_FOLLOWED)) {
    e.estimable = false;
    e.mean = e.lo = e.hi = NaN;
    if (std::isnan(e.at_risk)) e.at_risk = 0;
    if (std::isnan(e.reachable)) e.reachable = 0;
  }
  return e;
}

Estimate difference(const Draws& a, const Draws& b, std::size_t q) {
  std::vector<double> diff(a.boot[q].size());
  for (std::size_t i = 0; i < diff.size(); ++i) diff[i] = a.boot[q][i] - b.boot[q][i];
  Estimate e = estimate(a.full[q] - b.full[q], diff, std::min(a.replicates, b.replicates));
  if (at_horizon(q)) {
    const double ra = std::isnan(a.at_risk[q]) ? 0 : a.at_risk[q], rb = std::isnan(b.at_risk[q]) ? 0 : b.at_risk[q];
    const double pa = std::isnan(a.reach[q]) ? 0 : a.reach[q], pb = std::isnan(b.reach[q]) ? 0 : b.reach[q];
    e.at_risk = std::min(ra, rb);
    e.reachable = std::min(pa, pb);
    if (!(pa >= MIN_FOLLOWED && pb >= MIN_FOLLOWED)) {
      // The counts of the side that is not estimable.
      e.at_risk = pa < MIN_FOLLOWED ? ra : rb;
      e.reachable = pa < MIN_FOLLOWED ? pa : pb;
      e.estimable = false;
      e.mean = e.lo = e.hi = NaN;
    }
  }
  return e;
}

namespace {

// What the bootstrap resamples, in words.
std::string units_resampled(std::size_t batch) {
  return batch <= 1 ? "whole replicates"
                    : "batches of " + std::to_string(batch) +
                          " consecutive replicates, so that memory and time stay "
                          "those of " +
                          std::to_string(MAX_UNITS) + " units";
}

}  // namespace

std::string interval_note(std::size_t replicates, int resamples, std::size_t batch) {
  if (replicates < 2)
    return "No intervals: one replicate cannot say how much another would differ (simulation precision needs at "
           "least two).";
  return "95% intervals: simulation (Monte Carlo) precision over the " + std::to_string(replicates) +
         " replicates (percentile bootstrap of " + units_resampled(batch) + ", " + std::to_string(resamples) +
         " resamples), not uncertainty about the model's parameters.";
}

std::string interval_json(std::size_t replicates, int resamples, std::uint64_t seed, std::size_t batch) {
  return "{\"level\": 0.95, \"measures\": \"simulation (Monte Carlo) precision over replicates, not parameter "
         "uncertainty\", \"method\": \"percentile bootstrap over replicates (boot.ci perc), pooled estimates\", "
         "\"replicates\": " +
         std::to_string(replicates) + ", \"resamples\": " + std::to_string(resamples) +
         ", \"bootstrap_seed\": " + std::to_string(seed) + ", \"replicates_per_unit\": " + std::to_string(batch) +
         ", \"min_groups_followed\": " + format::json_number(MIN_FOLLOWED) +
         ", \"not_estimable\": " + format::json_string(not_estimable_rule()) + "}";
}

std::string not_estimable_rule() {
  return "fewer than " + format::number(MIN_FOLLOWED, "%.0f") +
         " funded groups, all replicates together, could be followed to the horizon (funded at least that many months "
         "before the end of the run)";
}

}  // namespace analysis
