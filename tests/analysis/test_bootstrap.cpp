#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "analysis/bootstrap.h"
#include "analysis/pooled_survival.h"
#include "analysis/stats.h"
#include "sim/random.h"

using namespace analysis;

TEST_CASE("resamples are reproducible, in range and uniform over units") {
  const Resamples a(10, 2000, 42), b(10, 2000, 42), c(10, 2000, 43);
  REQUIRE(a.size() == 2000);
  REQUIRE(a.units() == 10);
  std::vector<long> count(10, 0);
  bool same = true, differs = false;
  for (std::size_t k = 0; k < a.size(); ++k)
    for (std::size_t i = 0; i < a.units(); ++i) {
      REQUIRE(a[k][i] < 10);
      ++count[a[k][i]];
      same = same && a[k][i] == b[k][i];
      differs = differs || a[k][i] != c[k][i];
    }
  CHECK(same);
  CHECK(differs);
  // Each unit is drawn 2000 times in expectation, binomial sd sqrt(20000 * 0.1 * 0.9) = 42.4:
  // a fixed seed, 5 sd of tolerance.
  for (long n : count) CHECK(std::abs(n - 2000) < 5 * 42.4);
  CHECK(Resamples(0, 10, 1).size() == 10);
}

TEST_CASE("percentile interval as R's boot.ci(type = \"perc\")") {
  // Rscript -e 'library(boot); x <- (1:60)^2/100; boot:::norm.inter(x, c(0.05, 0.95)); boot:::norm.inter(x,
  //   c(0.025, 0.975)); boot:::norm.inter(1:100, c(0.025, 0.975))' gives 0.093908937314081 33.575781744125806,
  // 0.027867574630708 35.291252872981907 and 2.566901739306191 98.433098260693811 (interpolated on the
  // normal quantile scale: (B + 1) alpha is not whole in any of them).
  std::vector<double> x(60);
  for (int i = 0; i < 60; ++i) x[static_cast<std::size_t>(i)] = (i + 1.0) * (i + 1.0) / 100;
  std::reverse(x.begin(), x.end());  // order does not matter
  auto b = percentile_interval(x, 0.90);
  CHECK(b.lo == doctest::Approx(0.093908937314081).epsilon(1e-13));
  CHECK(b.hi == doctest::Approx(33.575781744125806).epsilon(1e-13));
  b = percentile_interval(x, 0.95);
  CHECK(b.lo == doctest::Approx(0.027867574630708).epsilon(1e-13));
  CHECK(b.hi == doctest::Approx(35.291252872981907).epsilon(1e-13));
  std::vector<double> y(100);
  std::iota(y.begin(), y.end(), 1.0);
  b = percentile_interval(y);
  CHECK(b.lo == doctest::Approx(2.566901739306191).epsilon(1e-13));
  CHECK(b.hi == doctest::Approx(98.433098260693811).epsilon(1e-13));
  // 1999 values: (B + 1) 0.025 = 50, so the ends are the 50th and 1950th values (up to the
  // rounding of (1 - 0.95) / 2, in R too).
  std::vector<double> z(1999);
  std::iota(z.begin(), z.end(), 1.0);
  b = percentile_interval(z);
  CHECK(b.lo == doctest::Approx(50).epsilon(1e-12));
  CHECK(b.hi == doctest::Approx(1950).epsilon(1e-12));
  // NaN (undefined on a resample) is left out; an infinite value keeps its place, so an
  // unbounded end shows.
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  y.push_back(nan);
  b = percentile_interval(y);
  CHECK(b.lo == doctest::Approx(2.566901739306191).epsilon(1e-13));
  for (int i = 0; i < 5; ++i) y[static_cast<std::size_t>(95 + i)] = inf;
  CHECK(std::isinf(percentile_interval(y).hi));
  CHECK(std::isnan(percentile_interval({nan, nan}).lo));
  CHECK(bootstrap_se({0.31, 0.12, 0.55, 0.47, 0.29, 0.61, 0.38, 0.44, 0.19, 0.52, 0.27, 0.35}) ==
        doctest::Approx(0.148477117918737).epsilon(1e-12));  // R: sd(x)
}

namespace {

struct Groups {
  std::vector<std::size_t> replicate;
  std::vector<long long> time, potential;
  std::vector<int> event;
};

// Four replicates of 30 groups: yearly cohorts, failures geometric with a replicate-level
// hazard, censored at month 48; whole months, so times tie.
Groups make_groups() {
  Groups g;
  sim::Stream rng(7);
  for (std::size_t r = 0; r < 4; ++r) {
    const double hazard = 0.02 + 0.01 * static_cast<double>(r);
    for (int i = 0; i < 30; ++i) {
      const long long funded = 1 + 12 * (i % 4);
      long long t = 0;
      while (t < 48 - funded && !rng.bernoulli(hazard)) ++t;
      g.replicate.push_back(r);
      g.time.push_back(t);
      g.potential.push_back(48 - funded);
      g.event.push_back(t < 48 - funded ? 1 : 0);
    }
  }
  return g;
}

}  // namespace

TEST_CASE("pooled Kaplan-Meier from life tables is the Kaplan-Meier of the pooled groups") {
  const Groups g = make_groups();
  LifeTables life(4, 48);
  for (std::size_t i = 0; i < g.time.size(); ++i) life.add(g.replicate[i], g.time[i], g.event[i] != 0, g.potential[i]);
  // A resample with replicate 2 twice and replicate 0 left out is the KM of those groups,
  // replicate 2's groups counted twice.
  for (const std::vector<std::uint32_t>& reps :
       {std::vector<std::uint32_t>{0, 1, 2, 3}, std::vector<std::uint32_t>{2, 1, 2, 3}}) {
    std::vector<double> t, potential;
    std::vector<int> e;
    for (std::uint32_t r : reps)
      for (std::size_t i = 0; i < g.time.size(); ++i)
        if (g.replicate[i] == r) {
          t.push_back(static_cast<double>(g.time[i]));
          e.push_back(g.event[i]);
          potential.push_back(static_cast<double>(g.potential[i]));
        }
    const auto ref = kaplan_meier(t, e);
    const auto got = life.event_points(reps);
    REQUIRE(got.size() == ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
      CHECK(got[i].time == ref[i].time);
      CHECK(got[i].at_risk == ref[i].at_risk);
      CHECK(got[i].events == ref[i].events);
      CHECK(got[i].survival == doctest::Approx(ref[i].survival).epsilon(1e-14));
      CHECK(got[i].variance == doctest::Approx(ref[i].variance).epsilon(1e-12));
    }
    PooledCurve curve;
    life.pool(reps, curve);
    const double longest = *std::max_element(t.begin(), t.end());
    for (double h : {0.0, 5.0, 12.0, 30.0, 36.0}) {
      CAPTURE(h);
      CHECK(curve.survival_at(h) == doctest::Approx(survival_at(ref, h, longest)).epsilon(1e-14));
      const auto reached = std::count_if(t.begin(), t.end(), [&](double x) { return x >= h; });
      CHECK(curve.at_risk_at(h) == static_cast<double>(reached));
      const auto could = std::count_if(potential.begin(), potential.end(), [&](double x) { return x >= h; });
      CHECK(curve.reach_at(h) == static_cast<double>(could));
      CHECK(curve.estimable_at(h) == (could >= 10));
    }
    // Beyond the longest follow-up: nobody at risk, S carried forward (summary.survfit(extend = TRUE)).
    CHECK(curve.at_risk_at(60) == 0);
    CHECK(!curve.estimable_at(60));
    CHECK(curve.survival_at(60) == curve.survival.back());
  }
  CHECK_THROWS_AS(life.add(4, 1, true, 1), std::invalid_argument);
  CHECK_THROWS_AS(life.add(0, 49, true, 49), std::invalid_argument);
  CHECK_THROWS_AS(life.add(0, 10, true, 9), std::invalid_argument);    // failed after the run's end
  CHECK_THROWS_AS(life.add(0, 10, false, 20), std::invalid_argument);  // censored before it
}
