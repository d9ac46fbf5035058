// Calibration by approximate Bayesian computation with sequential Monte Carlo (ABC-SMC,
// docs/calibration.md): the statistics a calibration's targets read from a model's runs,
// the distance to the observed values, the priors, and the population sampler with its
// adaptive tolerance and perturbation kernel. No file and no thread lives here: the
// command (cli/calibrate.cpp) runs the proposals through the experiment runner and hands
// their records back, so the same numbers come out for any thread count.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/calibration_file.h"
#include "sim/record.h"

namespace analysis {

// The parts of a run that a calibration's targets read. Runs are spooled with only these
// (series, yearly series and table columns in the order of the index lists), which keeps
// the spool of many thousand runs small.
struct Projection {
  std::vector<std::size_t> series, yearly, table;  // indexes into the model's schema
  sim::RunRecord apply(const sim::RunRecord& full) const;
  std::size_t series_slot(const sim::Schema& s, const std::string& name) const;
  std::size_t yearly_slot(const sim::Schema& s, const std::string& name) const;
  std::size_t table_slot(const sim::Schema& s, const std::string& name) const;
};
Projection projection(const sim::Calibration& c);

// A target's statistic from the projected runs of its scenario (one per replicate): NaN
// when it is not defined for these runs (a failed run, nothing to count, a survival
// horizon fewer than 10 rows reach, a zero denominator).
double statistic(const sim::Target& t, const sim::Schema& schema, const Projection& p,
                 const std::vector<sim::RunRecord>& runs);

// A target's value from the runs of every scenario of the calibration (indexed as
// Calibration::scenarios): its statistic in its scenario, or for a contrast that statistic
// minus (or over) the same statistic in its `versus` scenario. NaN when either is.
double target_statistic(const sim::Target& t, const sim::Schema& schema, const Projection& p,
                        const std::vector<std::vector<sim::RunRecord>>& runs);

// Sum over targets of ((simulated - observed) / sd)^2, a bound counting only a simulation
// beyond it; +inf when a statistic is NaN.
double distance(const std::vector<sim::Target>& targets, const std::vector<double>& simulated);

// Priors in the sampler's coordinates: log of the parameter for a log-uniform prior, the
// parameter itself otherwise. Densities are taken in these coordinates, like the kernel's,
// so the importance weights need no Jacobian.
double to_coordinate(const sim::FreeParameter& p, double value);
double to_value(const sim::FreeParameter& p, double x);
double coordinate_low(const sim::FreeParameter& p);
double coordinate_high(const sim::FreeParameter& p);
double log_prior(const sim::FreeParameter& p, double x);       // -inf outside the support
double prior_quantile(const sim::FreeParameter& p, double q);  // in the parameter's own units

// A weighted quantile: the smallest value whose cumulative weight reaches q.
double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q);

// One generation of particles.
struct Population {
  std::size_t parameters = 0, targets = 0;
  std::vector<double> x;         // [particle x parameter], sampler coordinates
  std::vector<double> weight;    // normalised importance weights
  std::vector<double> distance;  // of each particle's accepted simulation
  std::vector<double> stats;     // [particle x target]: its simulated statistics
  double tolerance = std::numeric_limits<double>::infinity();
  std::vector<double> kernel_sd;  // per parameter (empty in generation 0: the prior)
  std::size_t simulated = 0;      // proposals simulated
  std::size_t within = 0;         // of those, within the tolerance
  std::size_t runs = 0;           // model runs of the generation
  std::size_t size() const { return weight.size(); }
  double ess() const;  // effective sample size, 1 / sum w^2
  double acceptance() const { return simulated ? static_cast<double>(within) / static_cast<double>(simulated) : 0.0; }
};

// Proposes particles for one generation: from the prior in generation 0, otherwise by
// picking a particle of the previous generation by weight and moving it with a Gaussian
// kernel of twice the weighted variance per parameter, truncated to the prior's support
// (Beaumont et al. 2009). Every proposal's random numbers come from a stream keyed by
// (seed, generation, particle, attempt), so no proposal depends on another's order.
class Sampler {
 public:
  Sampler(const std::vector<sim::FreeParameter>& params, std::uint64_t seed, std::size_t generation,
          const Population* previous, double quantile);
  double tolerance() const { return tolerance_; }
  const std::vector<double>& kernel_sd() const { return sd_; }
  // Sampler coordinates of the proposal, inside the support.
  std::vector<double> propose(std::size_t particle, std::size_t attempt) const;
  // Normalised importance weights of the accepted particles ([particle x parameter]).
  std::vector<double> weights(const std::vector<double>& x) const;

 private:
  const std::vector<sim::FreeParameter>& params_;
  std::uint64_t seed_;
  std::size_t generation_;
  const Population* prev_;
  double tolerance_ = std::numeric_limits<double>::infinity();
  std::vector<double> sd_, cumulative_;
};

}  // namespace analysis
