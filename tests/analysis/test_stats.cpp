#include <doctest/doctest.h>

#include <cmath>

#include "analysis/stats.h"

TEST_CASE("Kaplan-Meier and Greenwood on a hand-worked example") {
  // Times 1,2,2,3+,4,5+ (+ censored). At t=1: 6 at risk, 1 event: S=5/6.
  // t=2: 5 at risk, 2 events: S=5/6*3/5=1/2. t=4: 2 at risk, 1 event: S=1/4.
  const std::vector<double> t = {1, 2, 2, 3, 4, 5};
  const std::vector<int> e = {1, 1, 1, 0, 1, 0};
  const auto km = analysis::kaplan_meier(t, e);
  REQUIRE(km.size() == 3);
  CHECK(km[0].survival == doctest::Approx(5.0 / 6));
  CHECK(km[1].survival == doctest::Approx(0.5));
  CHECK(km[2].survival == doctest::Approx(0.25));
  // Greenwood: S^2 * sum d/(n(n-d)) = 1/16 * (1/30 + 2/15 + 1/2).
  CHECK(km[2].variance == doctest::Approx(1.0 / 16 * (1.0 / 30 + 2.0 / 15 + 0.5)));
  CHECK(km[2].at_risk == 2);
  CHECK(analysis::survival_at(km, 3, 5) == doctest::Approx(0.5));
  CHECK(std::isnan(analysis::survival_at(km, 6, 5)));
}

TEST_CASE("mean and t interval") {
  const auto e = analysis::mean_ci({1, 2, 3, 4, std::nan("")});
  CHECK(e.n == 4);
  CHECK(e.mean == doctest::Approx(2.5));
  // sd = 1.290994, se = 0.645497, t(3, 0.975) = 3.182446.
  CHECK(e.hi - e.mean == doctest::Approx(3.182446 * 0.645497).epsilon(1e-5));
  CHECK(std::isnan(analysis::mean_ci({}).mean));
}
