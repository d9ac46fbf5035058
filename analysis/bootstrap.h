// The bootstrap over replicates. In a simulation experiment the replicates are the
// independent units: the groups of one replicate share households, villages and shocks, so
// they are not independent of each other. An interval for a pooled estimate therefore comes
// from resampling whole replicates with replacement and recomputing the estimate on each
// resample (Davison & Hinkley 1997, sec. 3.8, the cluster bootstrap). The interval measures
// Monte Carlo precision only: how much the estimate would move with other replicates of
// the same model, not what is unknown about the model's parameters.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace analysis {

// (B + 1) * 0.025 is a whole number, so the ends of a 95% percentile interval are order
// statistics of the resamples, without interpolation.
inline constexpr int BOOTSTRAP_RESAMPLES = 1999;
inline constexpr double INTERVAL_LEVEL = 0.95;

// `count` resamples of `units` units: each is `units` indices into 0 .. units-1 drawn
// uniformly with replacement (Boost.Random on a sim::Stream keyed by `seed`), so the same
// seed gives the same resamples on every machine.
class Resamples {
 public:
  Resamples() = default;
  Resamples(std::size_t units, int count, std::uint64_t seed);
  std::size_t size() const { return count_; }
  std::size_t units() const { return units_; }
  // The units drawn (with replacement) for resample b, drawn again from where resample b
  // starts in the stream: memory stays one number a resample, not units x resamples
  // (2,000 resamples of 10,000 replicates would hold 80 MB).
  std::vector<std::uint32_t> operator[](std::size_t b) const;

 private:
  std::size_t units_ = 0, count_ = 0;
  std::vector<std::uint64_t> start_;  // the stream's counter where each resample begins
};

struct Bounds {
  double lo, hi;
};

// The percentile interval of bootstrap values at `level`, as R's boot.ci(type = "perc")
// computes it (boot's norm.inter): with B values, the ends are the order statistics
// (B + 1) alpha/2 and (B + 1)(1 - alpha/2), interpolated on the normal quantile scale when
// these are not whole. NaN values (a resample on which the statistic is undefined) are left
// out; infinities are kept in their place in the order (boot drops them, which would hide
// an unbounded end). NaN when no value is left.
Bounds percentile_interval(std::vector<double> values, double level = INTERVAL_LEVEL);

// The standard deviation of the finite values, n - 1 denominator: the bootstrap standard
// error (R: sd(b$t)). NaN with fewer than two.
double bootstrap_se(const std::vector<double>& values);

}  // namespace analysis
