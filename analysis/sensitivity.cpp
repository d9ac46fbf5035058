#include "analysis/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/random/uniform_int_distribution.hpp>

#include "sim/random.h"

namespace analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The indices on the rows `rows` of the Saltelli design (with repeats, for the bootstrap).
void indices_on(const std::vector<double>& f_a, const std::vector<double>& f_b,
                const std::vector<std::vector<double>>& f_ab, const std::vector<std::size_t>& rows,
                std::vector<double>& first, std::vector<double>& total) {
  const double n = static_cast<double>(rows.size());
  // Variance of the pooled f(A) and f(B) outputs, both samples of the same input
  // distribution, with the 1/(2N) denominator.
  double sum = 0;
  for (std::size_t j : rows) sum += f_a[j] + f_b[j];
  const double mean = sum / (2 * n);
  double sq = 0;
  for (std::size_t j : rows) sq += (f_a[j] - mean) * (f_a[j] - mean) + (f_b[j] - mean) * (f_b[j] - mean);
  const double var = sq / (2 * n);
  for (std::size_t i = 0; i < f_ab.size(); ++i) {
    const auto& ab = f_ab[i];
    double v_first = 0, v_total = 0;
    for (std::size_t j : rows) {
      // First order: Saltelli et al. (2010), Table 2, V_i = mean f(B) (f(AB_i) - f(A)).
      v_first += f_b[j] * (ab[j] - f_a[j]);
      // Total order: Jansen (1999), also in Saltelli et al. (2010) Table 2,
      // V_Ti = mean (f(A) - f(AB_i))^2 / 2.
      v_total += (f_a[j] - ab[j]) * (f_a[j] - ab[j]);
    }
    first[i] = var > 0 ? v_first / n / var : nan;
    total[i] = var > 0 ? v_total / (2 * n) / var : nan;
  }
}

// Linear-interpolation quantile of sorted values (Hyndman & Fan 1996, type 7, R's default).
double quantile_sorted(const std::vector<double>& v, double p) {
  if (v.empty()) return nan;
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - std::floor(h)) * (v[hi] - v[lo]);
}

}  // namespace

std::vector<SobolIndices> sobol_indices(const std::vector<double>& f_a, const std::vector<double>& f_b,
                                        const std::vector<std::vector<double>>& f_ab, int resamples, std::uint64_t seed,
                                        double level) {
  const std::size_t N = f_a.size(), k = f_ab.size();
  if (f_b.size() != N) throw std::invalid_argument("sobol_indices: f_a and f_b differ in length");
  for (const auto& ab : f_ab)
    if (ab.size() != N) throw std::invalid_argument("sobol_indices: an f_ab row differs in length from f_a");
  std::vector<std::size_t> rows;
  for (std::size_t j = 0; j < N; ++j) {
    bool ok = std::isfinite(f_a[j]) && std::isfinite(f_b[j]);
    for (const auto& ab : f_ab) ok = ok && std::isfinite(ab[j]);
    if (ok) rows.push_back(j);
  }
  std::vector<SobolIndices> out(k, SobolIndices{{nan, nan, nan}, {nan, nan, nan}});
  if (rows.empty()) return out;

  std::vector<double> first(k), total(k);
  indices_on(f_a, f_b, f_ab, rows, first, total);
  for (std::size_t i = 0; i < k; ++i) {
    out[i].first.value = first[i];
    out[i].total.value = total[i];
  }
  if (resamples < 1) return out;

  // Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) over the rows of the design:
  // a resampled row keeps f(A), f(B) and every f(AB_i) together, as in Archer, Saltelli &
  // Sobol' (1997).
  const auto B = static_cast<std::size_t>(resamples);
  std::vector<std::vector<double>> boot_first(k, std::vector<double>(B)), boot_total(k, std::vector<double>(B));
  sim::Stream rng(sim::mix64(seed));
  boost::random::uniform_int_distribution<std::size_t> pick(0, rows.size() - 1);
  std::vector<std::size_t> sample(rows.size());
  for (std::size_t b = 0; b < B; ++b) {
    for (auto& r : sample) r = rows[pick(rng)];
    indices_on(f_a, f_b, f_ab, sample, first, total);
    for (std::size_t i = 0; i < k; ++i) {
      boot_first[i][b] = first[i];
      boot_total[i][b] = total[i];
    }
  }
  const double tail = (1 - level) / 2;
  for (std::size_t i = 0; i < k; ++i) {
    std::sort(boot_first[i].begin(), boot_first[i].end());
    std::sort(boot_total[i].begin(), boot_total[i].end());
    out[i].first.lo = quantile_sorted(boot_first[i], tail);
    out[i].first.hi = quantile_sorted(boot_first[i], 1 - tail);
    out[i].total.lo = quantile_sorted(boot_total[i], tail);
    out[i].total.hi = quantile_sorted(boot_total[i], 1 - tail);
  }
  return out;
}

std::vector<MorrisEffect> morris_effects(const std::vector<double>& y, const std::vector<std::vector<double>>& x,
                                         const std::vector<int>& trajectory) {
  if (x.size() != y.size() || trajectory.size() != y.size())
    throw std::invalid_argument("morris_effects: y, x and trajectory differ in length");
  if (x.empty()) return {};
  const std::size_t k = x.front().size();
  for (const auto& row : x)
    if (row.size() != k) throw std::invalid_argument("morris_effects: design rows differ in length");
  std::vector<std::vector<double>> ee(k);
  for (std::size_t start = 0; start < y.size();) {
    std::size_t end = start;
    while (end < y.size() && trajectory[end] == trajectory[start]) ++end;
    if (end - start != k + 1)
      throw std::invalid_argument("morris_effects: trajectory " + std::to_string(trajectory[start]) + " has " +
                                  std::to_string(end - start) + " points, expected k + 1 = " + std::to_string(k + 1));
    for (std::size_t p = start + 1; p < end; ++p) {
      std::size_t changed = k;
      for (std::size_t i = 0; i < k; ++i)
        if (x[p][i] != x[p - 1][i]) {
          if (changed != k) throw std::invalid_argument("morris_effects: a step changes more than one factor");
          changed = i;
        }
      if (changed == k) throw std::invalid_argument("morris_effects: a step changes no factor");
      if (!std::isfinite(y[p]) || !std::isfinite(y[p - 1])) continue;
      // Elementary effect, Morris (1991): (y(x + delta e_i) - y(x)) / delta, with delta
      // signed, so a step down the grid gives the same effect as a step up.
      ee[changed].push_back((y[p] - y[p - 1]) / (x[p][changed] - x[p - 1][changed]));
    }
    start = end;
  }
  std::vector<MorrisEffect> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    const auto& e = ee[i];
    auto& m = out[i];
    m.n = static_cast<int>(e.size());
    if (e.empty()) {
      m.mu = m.mu_star = m.sigma = nan;
      continue;
    }
    double sum = 0, abs_sum = 0;
    for (double v : e) {
      sum += v;
      abs_sum += std::abs(v);
    }
    m.mu = sum / m.n;
    // mu*: Campolongo, Cariboni & Saltelli (2007), the mean of |EE|, which effects of
    // opposite sign cannot cancel.
    m.mu_star = abs_sum / m.n;
    double sq = 0;
    for (double v : e) sq += (v - m.mu) * (v - m.mu);
    // sigma: Morris (1991), the sample standard deviation (n - 1 denominator).
    m.sigma = m.n > 1 ? std::sqrt(sq / (m.n - 1)) : nan;
  }
  return out;
}

}  // namespace analysis
