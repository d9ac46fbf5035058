#include "analysis/calibration.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>

#include "analysis/pooled_survival.h"
#include "sim/random.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double INF = std::numeric_limits<double>::infinity();

std::size_t index_of(const std::vector<sim::ColumnSpec>& cols, const std::string& name) {
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (cols[i].name == name) return i;
  throw std::logic_error("calibration: no column " + name);
}

std::size_t slot(const std::vector<std::size_t>& kept, std::size_t index) {
  const auto it = std::find(kept.begin(), kept.end(), index);
  if (it == kept.end()) throw std::logic_error("calibration: column not projected");
  return static_cast<std::size_t>(it - kept.begin());
}

void keep(std::vector<std::size_t>& v, std::size_t i) {
  if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
}

// A value of a table column that stands for "none": negative, non-finite, or the
// column's declared missing value.
bool missing(const sim::ColumnSpec& c, double v) {
  return !std::isfinite(v) || v < 0 || (c.missing && v == *c.missing);
}

// A series value that is not there; unlike a table's months, a series may be negative.
bool absent(const sim::ColumnSpec& c, double v) { return !std::isfinite(v) || (c.missing && v == *c.missing); }

PooledCurve pooled_curve(const sim::Target& t, const sim::Schema& s, const Projection& p,
                         const std::vector<sim::RunRecord>& runs) {
  const std::size_t si = index_of(s.table, t.start), ei = index_of(s.table, t.end);
  const std::size_t a = p.table_slot(s, t.start), b = p.table_slot(s, t.end);
  const long long M = runs.front().months;
  LifeTables life(runs.size(), M);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto& start = runs[r].table[a];
    const auto& end = runs[r].table[b];
    for (std::size_t i = 0; i < start.size(); ++i) {
      if (missing(s.table[si], start[i]) || start[i] > static_cast<double>(M)) continue;
      const auto potential = M - static_cast<long long>(start[i]);
      const bool ended = !missing(s.table[ei], end[i]);
      long long months = ended ? static_cast<long long>(end[i] - start[i]) : potential;
      months = std::clamp(months, 0LL, potential);
      life.add(r, months, ended && months <= potential, potential);
    }
  }
  std::vector<std::uint32_t> all(runs.size());
  std::iota(all.begin(), all.end(), 0U);
  PooledCurve curve;
  life.pool(all, curve);
  return curve;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double u) {
  static const boost::math::normal standard;
  return boost::math::quantile(standard, std::clamp(u, 1e-300, 1 - 1e-16));
}

// The prior's cumulative distribution at the support's ends, for inverse-CDF sampling.
double prior_cdf(const sim::FreeParameter& p, double x) {
  const auto& q = p.prior;
  switch (q.kind) {
    case sim::PriorKind::Uniform:
    case sim::PriorKind::LogUniform:
    case sim::PriorKind::Beta: return 0;  // not used
    case sim::PriorKind::Normal: return normal_cdf((x - q.mean) / q.sd);
  }
  return 0;
}

double log_normal_pdf(double z) { return -0.5 * z * z - 0.5 * std::log(2 * M_PI); }

}  // namespace

sim::RunRecord Projection::apply(const sim::RunRecord& full) const {
  sim::RunRecord r;
  r.months = full.months;
  r.years = full.years;
  r.error = full.error;
  if (!full.error.empty()) return r;
  const auto M = static_cast<std::size_t>(full.months), Y = static_cast<std::size_t>(full.years);
  for (std::size_t i : series)
    r.series.insert(r.series.end(), full.series.begin() + static_cast<std::ptrdiff_t>(i * M),
                    full.series.begin() + static_cast<std::ptrdiff_t>((i + 1) * M));
  for (std::size_t i : yearly)
    r.yearly.insert(r.yearly.end(), full.yearly.begin() + static_cast<std::ptrdiff_t>(i * Y),
                    full.yearly.begin() + static_cast<std::ptrdiff_t>((i + 1) * Y));
  for (std::size_t i : table) r.table.push_back(full.table.at(i));
  return r;
}

std::size_t Projection::series_slot(const sim::Schema& s, const std::string& name) const {
  return slot(series, index_of(s.series, name));
}
std::size_t Projection::yearly_slot(const sim::Schema& s, const std::string& name) const {
  return slot(yearly, index_of(s.yearly, name));
}
std::size_t Projection::table_slot(const sim::Schema& s, const std::string& name) const {
  return slot(table, index_of(s.table, name));
}

Projection projection(const sim::Calibration& c) {
  const sim::Schema& s = c.model->schema();
  Projection p;
  for (const auto& t : c.targets) switch (t.kind) {
      case sim::StatisticKind::Series: keep(p.series, index_of(s.series, t.series)); break;
      case sim::StatisticKind::Yearly: keep(p.yearly, index_of(s.yearly, t.series)); break;
      case sim::StatisticKind::Survival:
      case sim::StatisticKind::Hazard:
        keep(p.table, index_of(s.table, t.start));
        keep(p.table, index_of(s.table, t.end));
        break;
      case sim::StatisticKind::Share: keep(p.table, index_of(s.table, t.column)); break;
      case sim::StatisticKind::Ratio:
        keep(p.series, index_of(s.series, t.numerator));
        keep(p.series, index_of(s.series, t.denominator));
        break;
    }
  return p;
}

double statistic(const sim::Target& t, const sim::Schema& s, const Projection& p,
                 const std::vector<sim::RunRecord>& runs) {
  if (runs.empty()) return NaN;
  for (const auto& r : runs)
    if (!r.error.empty()) return NaN;
  const auto M = static_cast<std::size_t>(runs.front().months), Y = static_cast<std::size_t>(runs.front().years);
  double sum = 0, num = 0, den = 0;
  switch (t.kind) {
    // The mean over the replicates where the value is there (a yearly median with no
    // answers that year, a report not yet due): NaN where it is in none.
    case sim::StatisticKind::Series: {
      const std::size_t k = p.series_slot(s, t.series);
      const sim::ColumnSpec& c = s.series[index_of(s.series, t.series)];
      for (const auto& r : runs) {
        const double v = r.series.at(k * M + static_cast<std::size_t>(t.month - 1));
        if (absent(c, v)) continue;
        sum += v;
        den += 1;
      }
      return den > 0 ? sum / den : NaN;
    }
    case sim::StatisticKind::Yearly: {
      const std::size_t k = p.yearly_slot(s, t.series);
      const sim::ColumnSpec& c = s.yearly[index_of(s.yearly, t.series)];
      for (const auto& r : runs) {
        const double v = r.yearly.at(k * Y + static_cast<std::size_t>(t.year - 1));
        if (absent(c, v)) continue;
        sum += v;
        den += 1;
      }
      return den > 0 ? sum / den : NaN;
    }
    case sim::StatisticKind::Survival: {
      const PooledCurve c = pooled_curve(t, s, p, runs);
      const auto h = static_cast<double>(t.month);
      return c.estimable_at(h) ? c.survival_at(h) : NaN;
    }
    case sim::StatisticKind::Hazard: {
      const PooledCurve c = pooled_curve(t, s, p, runs);
      const auto h0 = static_cast<double>(12 * (t.year - 1)), h1 = static_cast<double>(12 * t.year);
      if (!c.estimable_at(h1)) return NaN;
      const double s0 = c.survival_at(h0), s1 = c.survival_at(h1);
      return s0 > 0 ? 1 - s1 / s0 : NaN;
    }
    case sim::StatisticKind::Share: {
      const std::size_t ci = index_of(s.table, t.column), k = p.table_slot(s, t.column);
      const auto& labels = s.table[ci].labels;
      const auto code = static_cast<double>(std::find(labels.begin(), labels.end(), t.label) - labels.begin());
      for (const auto& r : runs)
        for (double v : r.table.at(k)) {
          if (missing(s.table[ci], v) || v == 0) continue;
          den += 1;
          num += v == code;
        }
      return den > 0 ? num / den : NaN;
    }
    case sim::StatisticKind::Ratio: {
      const std::size_t a = p.series_slot(s, t.numerator), b = p.series_slot(s, t.denominator);
      for (const auto& r : runs)
        for (auto m = static_cast<std::size_t>(t.from - 1); m < static_cast<std::size_t>(t.to); ++m) {
          num += r.series.at(a * M + m);
          den += r.series.at(b * M + m);
        }
      return den != 0 ? num / den : NaN;
    }
  }
  return NaN;
}

double target_statistic(const sim::Target& t, const sim::Schema& schema, const Projection& p,
                        const std::vector<std::vector<sim::RunRecord>>& runs) {
  const double here = statistic(t, schema, p, runs.at(t.scenario));
  if (t.versus == sim::Target::NO_VERSUS) return here;
  const double there = statistic(t, schema, p, runs.at(t.versus));
  if (t.contrast == sim::Target::Contrast::Difference) return here - there;
  return there != 0 ? here / there : NaN;
}

double distance(const std::vector<sim::Target>& targets, const std::vector<double>& simulated) {
  double d = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!std::isfinite(simulated[i])) return INF;
    double gap = simulated[i] - targets[i].observed;
    // A bound is met by any value on its side.
    if (targets[i].side == sim::Target::Side::AtMost) gap = std::max(gap, 0.0);
    if (targets[i].side == sim::Target::Side::AtLeast) gap = std::min(gap, 0.0);
    const double z = gap / targets[i].sd;
    d += z * z;
  }
  return d;
}

double to_coordinate(const sim::FreeParameter& p, double value) {
  return p.prior.kind == sim::PriorKind::LogUniform ? std::log(value) : value;
}
double to_value(const sim::FreeParameter& p, double x) {
  const double v = p.prior.kind == sim::PriorKind::LogUniform ? std::exp(x) : x;
  return std::clamp(v, p.prior.low, p.prior.high);
}
double coordinate_low(const sim::FreeParameter& p) { return to_coordinate(p, p.prior.low); }
double coordinate_high(const sim::FreeParameter& p) { return to_coordinate(p, p.prior.high); }

double log_prior(const sim::FreeParameter& p, double x) {
  const double lo = coordinate_low(p), hi = coordinate_high(p);
  if (!(x >= lo && x <= hi)) return -INF;
  const auto& q = p.prior;
  switch (q.kind) {
    case sim::PriorKind::Uniform:
    case sim::PriorKind::LogUniform: return -std::log(hi - lo);
    case sim::PriorKind::Normal:
      return log_normal_pdf((x - q.mean) / q.sd) - std::log(q.sd) - std::log(prior_cdf(p, hi) - prior_cdf(p, lo));
    case sim::PriorKind::Beta: {
      const double u = std::clamp((x - lo) / (hi - lo), 1e-12, 1 - 1e-12);
      return (q.alpha - 1) * std::log(u) + (q.beta - 1) * std::log1p(-u) - std::lgamma(q.alpha) - std::lgamma(q.beta) +
             std::lgamma(q.alpha + q.beta) - std::log(hi - lo);
    }
  }
  return -INF;
}

// The prior's quantile in the sampler's coordinates.
static double prior_x_quantile(const sim::FreeParameter& p, double u) {
  const double lo = coordinate_low(p), hi = coordinate_high(p);
  const auto& q = p.prior;
  switch (q.kind) {
    case sim::PriorKind::Uniform:
    case sim::PriorKind::LogUniform: return lo + u * (hi - lo);
    case sim::PriorKind::Normal: {
      const double a = prior_cdf(p, lo), b = prior_cdf(p, hi);
      return std::clamp(q.mean + q.sd * normal_quantile(a + u * (b - a)), lo, hi);
    }
    case sim::PriorKind::Beta: {
      const boost::math::beta_distribution<double> d(q.alpha, q.beta);
      return lo + (hi - lo) * boost::math::quantile(d, std::clamp(u, 0.0, 1.0));
    }
  }
  return lo;
}

double prior_quantile(const sim::FreeParameter& p, double q) { return to_value(p, prior_x_quantile(p, q)); }

double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cum = 0;
  for (std::size_t i : order) {
    cum += weights[i];
    if (cum >= q * total * (1 - 1e-12)) return values[i];
  }
  return order.empty() ? NaN : values[order.back()];
}

double Population::ess() const {
  double s = 0;
  for (double w : weight) s += w * w;
  return s > 0 ? 1 / s : 0;
}

Sampler::Sampler(const std::vector<sim::FreeParameter>& params, std::uint64_t seed, std::size_t generation,
                 const Population* previous, double quantile)
    : params_(params), seed_(seed), generation_(generation), prev_(generation == 0 ? nullptr : previous) {
  if (!prev_) return;
  const std::size_t N = prev_->size(), K = params.size();
  tolerance_ = weighted_quantile(prev_->distance, prev_->weight, quantile);
  sd_.assign(K, 0);
  for (std::size_t k = 0; k < K; ++k) {
    double mean = 0;
    for (std::size_t i = 0; i < N; ++i) mean += prev_->weight[i] * prev_->x[i * K + k];
    double var = 0;
    for (std::size_t i = 0; i < N; ++i) var += prev_->weight[i] * std::pow(prev_->x[i * K + k] - mean, 2);
    // A population collapsed onto one value still moves a little, so it can spread again.
    const double width = coordinate_high(params[k]) - coordinate_low(params[k]);
    sd_[k] = std::max(std::sqrt(2 * var), 1e-9 * width);
  }
  cumulative_.resize(N);
  std::partial_sum(prev_->weight.begin(), prev_->weight.end(), cumulative_.begin());
}

std::vector<double> Sampler::propose(std::size_t particle, std::size_t attempt) const {
  sim::Stream s(sim::combine(
      sim::combine(sim::combine(sim::combine(0x6162632d736d6321ULL, seed_), generation_), particle), attempt));
  const std::size_t K = params_.size();
  std::vector<double> x(K);
  if (!prev_) {
    for (std::size_t k = 0; k < K; ++k) x[k] = prior_x_quantile(params_[k], s.uniform());
    return x;
  }
  const double u = s.uniform() * cumulative_.back();
  const std::size_t j = std::min<std::size_t>(
      static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin()),
      cumulative_.size() - 1);
  for (std::size_t k = 0; k < K; ++k) {
    const double mu = prev_->x[j * K + k], lo = coordinate_low(params_[k]), hi = coordinate_high(params_[k]);
    const double a = normal_cdf((lo - mu) / sd_[k]), b = normal_cdf((hi - mu) / sd_[k]);
    x[k] = std::clamp(mu + sd_[k] * normal_quantile(a + s.uniform() * (b - a)), lo, hi);
  }
  return x;
}

std::vector<double> Sampler::weights(const std::vector<double>& x) const {
  const std::size_t K = params_.size(), N = x.size() / K;
  std::vector<double> logw(N);
  for (std::size_t i = 0; i < N; ++i) {
    double lp = 0;
    for (std::size_t k = 0; k < K; ++k) lp += log_prior(params_[k], x[i * K + k]);
    if (!prev_) {
      logw[i] = 0;  // drawn from the prior itself
      continue;
    }
    // log sum_j W_j K(x_i | x_j), each kernel normalised over the truncated support.
    const std::size_t M = prev_->size();
    std::vector<double> terms(M);
    double top = -INF;
    for (std::size_t j = 0; j < M; ++j) {
      double lk = std::log(prev_->weight[j]);
      for (std::size_t k = 0; k < K; ++k) {
        const double mu = prev_->x[j * K + k], sd = sd_[k];
        const double lo = coordinate_low(params_[k]), hi = coordinate_high(params_[k]);
        lk += log_normal_pdf((x[i * K + k] - mu) / sd) - std::log(sd) -
              std::log(normal_cdf((hi - mu) / sd) - normal_cdf((lo - mu) / sd));
      }
      terms[j] = lk;
      top = std::max(top, lk);
    }
    double sum = 0;
    for (double t : terms) sum += std::exp(t - top);
    logw[i] = lp - (top + std::log(sum));
  }
  const double top = *std::max_element(logw.begin(), logw.end());
  std::vector<double> w(N);
  double total = 0;
  for (std::size_t i = 0; i < N; ++i) total += w[i] = std::isfinite(logw[i]) ? std::exp(logw[i] - top) : 0;
  for (double& v : w) v /= total;
  return w;
}

}  // namespace analysis
