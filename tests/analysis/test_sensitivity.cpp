#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>
#include <vector>

#include "analysis/sensitivity.h"
#include "sim/random.h"

namespace {

// Ishigami & Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x uniform on [-pi, pi]^3.
constexpr double ishigami_a = 7, ishigami_b = 0.1;

double ishigami(const double (&x)[3]) {
  const double s2 = std::sin(x[1]);
  return std::sin(x[0]) + ishigami_a * s2 * s2 + ishigami_b * std::pow(x[2], 4) * std::sin(x[0]);
}

}  // namespace

TEST_CASE("Sobol indices of the Ishigami function") {
  // Analytic partial variances (Ishigami & Homma 1990; Sobol' & Levitan 1999):
  // V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0,
  // V13 = b^2 pi^8 (1/18 - 1/50), and no other interaction. S_i = V_i / V, ST1 = (V1 + V13) / V,
  // ST2 = V2 / V, ST3 = V13 / V: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
  const double a = ishigami_a, b = ishigami_b, pi = std::numbers::pi;
  const double pi4 = std::pow(pi, 4), pi8 = std::pow(pi, 8);
  const double V = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double V1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), V2 = a * a / 8,
               V13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  const double first[3] = {V1 / V, V2 / V, 0}, total[3] = {(V1 + V13) / V, V2 / V, V13 / V};
  CHECK(first[0] == doctest::Approx(0.3139).epsilon(1e-3));
  CHECK(total[2] == doctest::Approx(0.2437).epsilon(1e-3));

  // Plain Monte Carlo A and B from a fixed seed; the Saltelli design adds AB_i (A with
  // column i from B): N (k + 2) = 100000 evaluations.
  constexpr std::size_t N = 20000;
  sim::Stream rng(0x15819a);
  std::vector<double> fa(N), fb(N);
  std::vector<std::vector<double>> fab(3, std::vector<double>(N));
  for (std::size_t j = 0; j < N; ++j) {
    double xa[3], xb[3];
    for (double& v : xa) v = -pi + 2 * pi * rng.uniform();
    for (double& v : xb) v = -pi + 2 * pi * rng.uniform();
    fa[j] = ishigami(xa);
    fb[j] = ishigami(xb);
    for (std::size_t i = 0; i < 3; ++i) {
      double xab[3] = {xa[0], xa[1], xa[2]};
      xab[i] = xb[i];
      fab[i][j] = ishigami(xab);
    }
  }
  const auto s = analysis::sobol_indices(fa, fb, fab, 1000, 7);
  REQUIRE(s.size() == 3);

  // Criterion 1: every point estimate within 0.03 of the analytic value. The bootstrap
  // standard errors at N = 20000 are about 0.01 for the first-order and 0.003-0.01 for the
  // total-order indices, so 0.03 is three or more of them.
  // Criterion 2: the 95% bootstrap intervals cover the analytic value for at least 5 of the
  // 6 indices. At nominal coverage all six cover only about 74% of the time (if independent),
  // at least five about 97%; a miss on two or more would point to intervals too narrow.
  // Criterion 3: every interval contains its own point estimate and is narrower than 0.1.
  // The seed is fixed, so the outcome is deterministic; over seeds 1-40 instead, at least five
  // intervals covered in 38 of 40 runs and the largest error was 0.031.
  int covered = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    const std::pair<analysis::IndexEstimate, double> checks[] = {{s[i].first, first[i]}, {s[i].total, total[i]}};
    for (const auto& check : checks) {
      const analysis::IndexEstimate& est = check.first;
      const double truth = check.second;
      CAPTURE(i);
      CAPTURE(est.value);
      CAPTURE(est.lo);
      CAPTURE(est.hi);
      CAPTURE(truth);
      CHECK(std::abs(est.value - truth) < 0.03);
      CHECK(est.lo <= est.value);
      CHECK(est.value <= est.hi);
      CHECK(est.hi - est.lo < 0.1);
      covered += est.lo <= truth && truth <= est.hi;
    }
  }
  CHECK(covered >= 5);

  // Same seed, same intervals.
  const auto again = analysis::sobol_indices(fa, fb, fab, 1000, 7);
  CHECK(again[1].total.lo == s[1].total.lo);
  // A failed run (NaN output) drops its row instead of poisoning every index.
  fab[2][17] = std::nan("");
  const auto dropped = analysis::sobol_indices(fa, fb, fab, 0);
  CHECK(std::isfinite(dropped[0].first.value));
  CHECK(std::isnan(dropped[0].first.lo));  // no resamples, no interval
}

TEST_CASE("Morris screening ranks factors of a function with known effects") {
  // y = 10 x1 + 5 x2 + x3 + 0 x4 + x1 x2 on [0,1]^4. Elementary effects: x1: 10 + x2,
  // x2: 5 + x1, x3: exactly 1, x4: exactly 0.
  const auto f = [](const std::vector<double>& x) { return 10 * x[0] + 5 * x[1] + x[2] + x[0] * x[1]; };
  // Morris (1991) trajectories on a p = 4 level grid, delta = p / (2 (p - 1)) = 2/3: a random
  // base point, then each factor in random order moved once by +delta, or by -delta where
  // +delta would leave the grid. Levels are held as integers so the steps are exact.
  constexpr int k = 4, p = 4, r = 30, step = p / 2;  // delta in grid levels: 2 of 3
  sim::Stream rng(2007);
  std::vector<double> y;
  std::vector<std::vector<double>> x;
  std::vector<int> trajectory;
  for (int t = 0; t < r; ++t) {
    int level[k];
    for (int& l : level) l = static_cast<int>(rng.uniform() * p);
    int order[k] = {0, 1, 2, 3};
    for (int i = k - 1; i > 0; --i) std::swap(order[i], order[static_cast<int>(rng.uniform() * (i + 1))]);
    auto push = [&] {
      std::vector<double> row(k);
      for (int i = 0; i < k; ++i) row[static_cast<std::size_t>(i)] = level[i] / double(p - 1);
      y.push_back(f(row));
      x.push_back(std::move(row));
      trajectory.push_back(t);
    };
    push();
    for (int i : order) {
      level[i] += level[i] + step <= p - 1 ? step : -step;
      push();
    }
  }
  const auto m = analysis::morris_effects(y, x, trajectory);
  REQUIRE(m.size() == 4);
  for (const auto& e : m) CHECK(e.n == r);
  CHECK(m[0].mu_star > m[1].mu_star);
  CHECK(m[1].mu_star > m[2].mu_star);
  CHECK(m[2].mu_star > m[3].mu_star);
  // x4 does not enter f, so both outputs of its step are the same bits: exactly 0.
  CHECK(m[3].mu_star == 0);
  CHECK(m[3].sigma == 0);
  // x3 enters linearly: every effect is 1 up to rounding in (y1 - y0) / (x1 - x0), so sigma
  // is 0 up to a few ulps of y rather than exactly.
  CHECK(m[2].mu == doctest::Approx(1).epsilon(1e-12));
  CHECK(m[2].sigma < 1e-12);
  // x1 and x2 interact, so their effects vary with the other factor.
  CHECK(m[0].sigma > 0.1);
  CHECK(m[1].sigma > 0.1);
  CHECK(m[0].mu_star >= 10);
  CHECK(m[0].mu_star <= 11);
  CHECK(m[0].mu == m[0].mu_star);  // all effects positive

  // A malformed design is an error, not a silent wrong answer.
  auto bad = x;
  bad[1] = x[0];  // the first step of trajectory 0 now moves two factors
  bad[1][0] += 0.25;
  bad[1][1] += 0.25;
  CHECK_THROWS_AS(analysis::morris_effects(y, bad, trajectory), std::invalid_argument);
  auto short_traj = trajectory;
  short_traj[4] = 99;  // trajectory 0 now has 4 points, not k + 1 = 5
  CHECK_THROWS_AS(analysis::morris_effects(y, x, short_traj), std::invalid_argument);
}
