#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "analysis/pooled_survival.h"

namespace {
// Two replicates, follow-up to 6 months. Replicate 0: failures at 1 and 3, one censored at
// 4 (funded 4 months before the end). Replicate 1: a failure at 3, one censored at 6.
analysis::LifeTables tables() {
  analysis::LifeTables t(2, 6);
  t.add(0, 1, true, 6);
  t.add(0, 3, true, 5);
  t.add(0, 4, false, 4);
  t.add(1, 3, true, 6);
  t.add(1, 6, false, 6);
  return t;
}
}  // namespace

TEST_CASE("the pooled curve by hand: events, groups at risk, reach and S(t)") {
  const auto t = tables();
  CHECK(t.groups(0) == 3);
  CHECK(t.groups(1) == 2);
  const std::vector<std::uint32_t> both = {0, 1};
  analysis::PooledCurve c;
  t.pool(both, c);
  REQUIRE(c.survival.size() == 7);
  CHECK(c.events == std::vector<double>{0, 1, 0, 2, 0, 0, 0});
  CHECK(c.at_risk == std::vector<double>{5, 5, 4, 4, 2, 1, 1});
  CHECK(c.reach == std::vector<double>{5, 5, 5, 5, 5, 4, 3});
  // S(1) = 4/5; S(3) = 4/5 x (1 - 2/4) = 2/5.
  CHECK(c.survival[0] == 1.0);
  CHECK(c.survival[1] == doctest::Approx(0.8));
  CHECK(c.survival[2] == doctest::Approx(0.8));
  CHECK(c.survival[3] == doctest::Approx(0.4));
  CHECK(c.survival[6] == doctest::Approx(0.4));
  // The same at the event times, with Greenwood's variance.
  const auto pts = t.event_points(both);
  REQUIRE(pts.size() == 2);
  CHECK(pts[0].time == 1);
  CHECK(pts[1].time == 3);
  CHECK(pts[1].survival == doctest::Approx(0.4));
  CHECK(pts[1].variance == doctest::Approx(0.16 * (1.0 / (5 * 4) + 2.0 / (4 * 2))));
}

TEST_CASE("a replicate drawn twice counts twice: the same curve, twice the counts") {
  const auto t = tables();
  const std::vector<std::uint32_t> once = {0}, twice = {0, 0};
  analysis::PooledCurve a, b;
  t.pool(once, a);
  t.pool(twice, b);
  for (std::size_t m = 0; m < a.survival.size(); ++m) {
    CHECK(b.survival[m] == doctest::Approx(a.survival[m]));
    CHECK(b.at_risk[m] == 2 * a.at_risk[m]);
    CHECK(b.reach[m] == 2 * a.reach[m]);
  }
  analysis::PooledCurve none;
  t.pool({}, none);
  for (double s : none.survival) CHECK(s == 1.0);
}

TEST_CASE("reading the curve between and beyond whole months") {
  const auto t = tables();
  const std::vector<std::uint32_t> both = {0, 1};
  analysis::PooledCurve c;
  t.pool(both, c);
  CHECK(c.survival_at(-1) == 1.0);
  CHECK(c.survival_at(2.9) == doctest::Approx(0.8));  // S is a step function, right-continuous
  CHECK(c.survival_at(3) == doctest::Approx(0.4));
  CHECK(c.survival_at(60) == doctest::Approx(0.4));  // carried forward beyond the last month
  CHECK(c.at_risk_at(3.5) == 2);                     // followed at least 3.5 months: at month 4
  CHECK(c.at_risk_at(0) == 5);
  CHECK(c.at_risk_at(7) == 0);
  CHECK(c.reach_at(5) == 4);
  CHECK(c.reach_at(60) == 0);
  CHECK_FALSE(c.estimable_at(0));  // 5 groups, fewer than MIN_FOLLOWED
  CHECK(analysis::PooledCurve{}.survival_at(3) == 1.0);
}

TEST_CASE("a survival horizon is estimable when at least 10 groups could be followed to it") {
  analysis::LifeTables t(1, 12);
  for (int i = 0; i < 10; ++i) t.add(0, 2, true, 12);  // all fail early, but could have been followed
  t.add(0, 8, false, 8);
  const std::vector<std::uint32_t> one = {0};
  analysis::PooledCurve c;
  t.pool(one, c);
  CHECK(c.estimable_at(12));
  CHECK(c.survival_at(12) == doctest::Approx(1.0 / 11));  // low, and still estimated
  CHECK(c.reach_at(12) == 10);
  CHECK(c.at_risk_at(12) == 0);
  analysis::LifeTables u(1, 12);
  for (int i = 0; i < 9; ++i) u.add(0, 12, false, 12);
  u.pool(one, c);
  CHECK_FALSE(c.estimable_at(12));
}

TEST_CASE("groups outside the table are refused") {
  analysis::LifeTables t(2, 6);
  CHECK_THROWS_AS(t.add(2, 1, true, 3), std::invalid_argument);   // no such replicate
  CHECK_THROWS_AS(t.add(0, -1, true, 3), std::invalid_argument);  // negative follow-up
  CHECK_THROWS_AS(t.add(0, 4, true, 3), std::invalid_argument);   // followed longer than possible
  CHECK_THROWS_AS(t.add(0, 3, true, 7), std::invalid_argument);   // beyond the table
  CHECK_THROWS_AS(t.add(0, 3, false, 5), std::invalid_argument);  // censored before the end of the run
  CHECK_THROWS_AS(analysis::LifeTables(1, -1), std::invalid_argument);
  CHECK(t.groups(0) == 0);
}
