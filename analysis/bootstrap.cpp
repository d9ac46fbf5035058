#include "analysis/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "sim/random.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

Resamples::Resamples(std::size_t units, int count, std::uint64_t seed)
    : units_(units), count_(count > 0 ? static_cast<std::size_t>(count) : 0) {
  if (units > std::numeric_limits<std::uint32_t>::max()) throw std::invalid_argument("Resamples: too many units");
  if (units_ == 0) return;
  // One stream for all resamples in turn, as when they were all kept: a pass records
  // where each begins (a draw may take more than one number of the stream).
  sim::Stream rng(sim::combine(0x626f6f7473747270ULL, seed));
  boost::random::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(units_ - 1));
  start_.resize(count_);
  for (std::size_t b = 0; b < count_; ++b) {
    start_[b] = rng.counter();
    for (std::size_t i = 0; i < units_; ++i) static_cast<void>(pick(rng));
  }
}

std::vector<std::uint32_t> Resamples::operator[](std::size_t b) const {
  if (units_ == 0) return {};
  sim::Stream rng(start_.at(b));
  boost::random::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(units_ - 1));
  std::vector<std::uint32_t> out(units_);
  for (auto& i : out) i = pick(rng);
  return out;
}

Bounds percentile_interval(std::vector<double> values, double level) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  const std::size_t n = values.size();
  if (n == 0) return {NaN, NaN};
  std::sort(values.begin(), values.end());
  const boost::math::normal normal;
  auto end = [&](double alpha) {
    // boot:::norm.inter: rk = (R + 1) alpha; k = trunc(rk); a whole rk is the k-th order
    // statistic; k = 0 and k = R take the extremes; otherwise interpolate between the k-th
    // and (k+1)-th on the scale of qnorm(k / (R + 1)).
    const double rk = (static_cast<double>(n) + 1) * alpha;
    const auto k = static_cast<std::size_t>(std::trunc(rk));
    if (k == 0) return values.front();
    if (k >= n) return values.back();
    const double tk = values[k - 1], tk1 = values[k];
    if (static_cast<double>(k) == rk || tk == tk1) return tk;
    // Between a finite value and an infinite one the interpolation is that infinity.
    if (std::isinf(tk)) return tk;
    if (std::isinf(tk1)) return tk1;
    const double n1 = static_cast<double>(n) + 1;
    const double z = boost::math::quantile(normal, alpha);
    const double zk = boost::math::quantile(normal, static_cast<double>(k) / n1);
    const double zk1 = boost::math::quantile(normal, static_cast<double>(k + 1) / n1);
    return tk + (z - zk) / (zk1 - zk) * (tk1 - tk);
  };
  const double alpha = (1 - level) / 2;
  return {end(alpha), end(1 - alpha)};
}

double bootstrap_se(const std::vector<double>& values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values)
    if (std::isfinite(v)) sum += v, ++n;
  if (n < 2) return NaN;
  const double mean = sum / static_cast<double>(n);
  double sq = 0;
  for (double v : values)
    if (std::isfinite(v)) sq += (v - mean) * (v - mean);
  return std::sqrt(sq / static_cast<double>(n - 1));
}

}  // namespace analysis
