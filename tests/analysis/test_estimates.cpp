#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/estimates.h"
#include "analysis/format.h"
#include "analysis/outcomes.h"
#include "sim/random.h"

using namespace analysis;

namespace {

// An Outcomes of R replicates, all succeeded, with empty totals and no groups.
Outcomes blank(std::size_t R, long long months = 48) {
  Outcomes o;
  for (std::size_t r = 0; r < R; ++r) o.succeeded.push_back(static_cast<std::uint32_t>(r));
  o.life = LifeTables(R, months);
  for (auto& t : o.totals) t.num.assign(R, 0.0), t.den.assign(R, 0.0);
  o.poverty_pool_tail.assign(R, 0.0);
  return o;
}

void set(Outcomes& o, Quantity q, std::vector<double> num, std::vector<double> den) {
  o.totals[q].num = std::move(num);
  o.totals[q].den = std::move(den);
}

}  // namespace

TEST_CASE("ratios are ratios of totals, not means of ratios") {
  Outcomes o = blank(2);
  // Replicate 0: 10 recipient-months gaining 100 in all; replicate 1: 30 gaining 900. The
  // gain per recipient-month is 1000 / 40 = 25; the mean of the replicates' own ratios
  // would be (10 + 30) / 2 = 20.
  set(o, INCOME_GAIN, {100, 900}, {10, 30});
  // Cost per rupiah gained is the inverse ratio of totals, 400 / 1000, not the mean of the
  // reciprocals (10 + 1/3) / 2.
  set(o, COST_PER_RUPIAH, {200, 200}, {100, 900});
  set(o, INCOME_PER_RUPIAH, {100, 900}, {200, 200});
  std::vector<double> v;
  PooledCurve curve;
  evaluate(o, o.succeeded, v, curve);
  CHECK(v[INCOME_GAIN] == doctest::Approx(25));
  CHECK(v[COST_PER_RUPIAH] == doctest::Approx(0.4));
  CHECK(v[INCOME_PER_RUPIAH] * v[COST_PER_RUPIAH] == doctest::Approx(1));
  // Costs and no units: unbounded, so a resample without gain ranks above every other.
  const std::vector<std::uint32_t> first = {0, 0};
  set(o, COST_PER_RUPIAH, {200, 200}, {-5, 900});
  evaluate(o, first, v, curve);
  CHECK(std::isinf(v[COST_PER_RUPIAH]));
  // Nothing at all below the line: undefined (no recipients, no groups).
  CHECK(std::isnan(v[ACTIVE_SHARE_END]));
  CHECK(std::isnan(v[ACTIVE_36]));
}

TEST_CASE("cost per group active at 36 months: total cost / (groups funded x pooled S(36))") {
  Outcomes o = blank(2, 60);
  // 40 groups per replicate: half fail at month 10, the rest are followed 50 months.
  for (std::size_t r = 0; r < 2; ++r)
    for (int i = 0; i < 40; ++i) o.life.add(r, i < 20 ? 10 : 50, i < 20, 50);
  set(o, COST_PER_ACTIVE_36, {1000, 3000}, {40, 40});
  std::vector<double> v;
  PooledCurve curve;
  evaluate(o, o.succeeded, v, curve);
  CHECK(v[ACTIVE_36] == doctest::Approx(0.5));
  CHECK(v[COST_PER_ACTIVE_36] == doctest::Approx(4000.0 / (80 * 0.5)));
  CHECK(curve.at_risk_at(36) == 40);
}

TEST_CASE("a horizon fewer than 10 groups could be followed to is not estimable, and says so") {
  Outcomes o = blank(4, 40);
  // 12 groups per replicate in a 40-month run. Two per replicate were funded 38 months
  // before the end: 8 could be followed to 36 months in all, too few. The others were
  // funded 20 months before the end; a third of all fail in month 5.
  for (std::size_t r = 0; r < 4; ++r)
    for (int i = 0; i < 12; ++i) {
      const long long potential = i < 2 ? 38 : 20;
      const bool fails = i % 3 == 0;
      o.life.add(r, fails ? 5 : potential, fails, potential);
    }
  const EstimationPlan plan = estimation_plan({&o}, 5, 199);
  const Draws d = draws(o, plan);
  const Estimate at12 = level(d, ACTIVE_12), at36 = level(d, ACTIVE_36), cost36 = level(d, COST_PER_ACTIVE_36);
  CHECK(at12.estimable);
  CHECK(at12.at_risk == 32);
  CHECK(at12.reachable == 48);
  CHECK(at12.mean == doctest::Approx(2.0 / 3));
  CHECK(!at36.estimable);
  CHECK(at36.at_risk == 4);  // groups 1 of each replicate; group 0 failed
  CHECK(at36.reachable == 8);
  CHECK(std::isnan(at36.mean));
  CHECK(!cost36.estimable);
  CHECK(format::json_estimate(at36) == "{\"estimable\": false, \"at_risk\": 4, \"reachable\": 8}");
  CHECK(format::not_estimable(at36) == "not estimable (4 at risk)");
  CHECK(!difference(d, d, ACTIVE_36).estimable);
  CHECK(format::json_estimate(at12).find("\"at_risk\": 32, \"reachable\": 48") != std::string::npos);
}

TEST_CASE("a horizon every group reached is estimable even when none survived to it") {
  // 10 groups per replicate followed long enough, all failed by month 20: S(36) = 0 is
  // known, not missing, although no group is at risk at 36 months.
  Outcomes o = blank(3, 48);
  for (std::size_t r = 0; r < 3; ++r)
    for (int i = 0; i < 10; ++i) o.life.add(r, 5 + i, true, 40);
  const EstimationPlan plan = estimation_plan({&o}, 5, 199);
  const Estimate at36 = level(draws(o, plan), ACTIVE_36);
  CHECK(at36.estimable);
  CHECK(at36.at_risk == 0);
  CHECK(at36.mean == 0);
  CHECK(at36.lo == 0);
  CHECK(at36.hi == 0);
}

TEST_CASE("bootstrap intervals of shares stay in [0, 1] where t intervals do not") {
  // Three replicates' shares of at-risk groups visited within a month, each from 20 flags:
  // the t interval of the replicate means runs past 1 (the issue: [0.976, 1.002]).
  const std::vector<double> share = {1.0, 1.0, 0.95};
  CHECK(mean_ci(share).hi > 1);
  Outcomes o = blank(3);
  set(o, AT_RISK_VISITED, {20, 20, 19}, {20, 20, 20});
  const EstimationPlan plan = estimation_plan({&o}, 11);
  const Estimate e = level(draws(o, plan), AT_RISK_VISITED);
  CHECK(e.mean == doctest::Approx(59.0 / 60));
  CHECK(e.lo >= 0.95);
  CHECK(e.hi <= 1.0);
  CHECK(e.lo <= e.mean);
  CHECK(e.mean <= e.hi);
  CHECK(e.n == 3);
}

TEST_CASE("paired differences resample the same replicates for both cases") {
  // Two cases that share replicate-level noise (common random numbers) and differ by 2
  // recipient-month units of gain; replicates differ a lot from each other.
  const std::size_t R = 30;
  Outcomes a = blank(R), b = blank(R);
  sim::Stream rng(3);
  for (std::size_t r = 0; r < R; ++r) {
    const double shared = 100 * rng.uniform(), own = rng.uniform();
    a.totals[INCOME_GAIN].num[r] = (shared + 2 + own) * 10;
    b.totals[INCOME_GAIN].num[r] = (shared + rng.uniform()) * 10;
    a.totals[INCOME_GAIN].den[r] = b.totals[INCOME_GAIN].den[r] = 10;
  }
  const EstimationPlan plan = estimation_plan({&a, &b}, 99);
  const Draws da = draws(a, plan), db = draws(b, plan), db_independent = draws(b, plan, true);
  const Estimate paired = difference(da, db, INCOME_GAIN), unpaired = difference(da, db_independent, INCOME_GAIN);
  CHECK(paired.mean == doctest::Approx(unpaired.mean));
  CHECK(paired.lo > 1.5);
  CHECK(paired.hi < 3.5);
  CHECK(paired.hi - paired.lo < 0.2 * (unpaired.hi - unpaired.lo));
  // A case minus itself on the same resamples is exactly zero.
  const Estimate zero = difference(da, da, INCOME_GAIN);
  CHECK(zero.mean == 0);
  CHECK(zero.lo == 0);
  CHECK(zero.hi == 0);
  // Reproducible: the same file seed, the same interval.
  const EstimationPlan again = estimation_plan({&a, &b}, 99);
  const Estimate repeat = difference(draws(a, again), draws(b, again), INCOME_GAIN);
  CHECK(repeat.lo == paired.lo);
  CHECK(repeat.hi == paired.hi);
}

TEST_CASE("one replicate gives an estimate but no interval") {
  Outcomes o = blank(1);
  set(o, ACTIVE_SHARE_END, {3}, {4});
  const Estimate e = level(draws(o, estimation_plan({&o}, 1, 99)), ACTIVE_SHARE_END);
  CHECK(e.mean == doctest::Approx(0.75));
  CHECK(std::isnan(e.lo));
  CHECK(std::isnan(e.hi));
}

TEST_CASE("levels and differences rest on the replicates that succeeded in every case") {
  Outcomes a = blank(5), b = blank(5), broken = blank(5);
  a.succeeded = {0, 1, 2, 4};
  b.succeeded = {0, 2, 3, 4};
  broken.succeeded = {};  // every run failed: nothing to estimate, and no reason to drop the others
  const EstimationPlan plan = estimation_plan({&a, &broken, &b}, 1, 99);
  CHECK(plan.replicates == std::vector<std::uint32_t>{0, 2, 4});
  CHECK(plan.common.units() == 3);
  CHECK(plan.common.size() == 99);
}

TEST_CASE("above MAX_UNITS replicates the bootstrap resamples batches, and a failed run drops its batch") {
  CHECK(batch_size(MAX_UNITS) == 1);
  CHECK(batch_size(MAX_UNITS + 1) == 2);
  CHECK(batch_size(10 * MAX_UNITS) == 10);
  CHECK(batch_size(10 * MAX_UNITS + 1) == 11);
  // 2,500 replicates: batches of 3, the last of one (replicate 2,499).
  const std::size_t R = 2500, B = batch_size(R);
  REQUIRE(B == 3);
  std::vector<std::uint32_t> all;
  for (std::size_t r = 0; r < R; ++r) all.push_back(static_cast<std::uint32_t>(r));
  CHECK(complete_units(all, R, B).size() == 834);
  std::vector<std::uint32_t> some;
  for (std::uint32_t r : all)
    if (r != 7 && r != 2499) some.push_back(r);
  const auto units = complete_units(some, R, B);
  CHECK(units.size() == 832);  // unit 2 (replicates 6-8) and unit 833 (replicate 2,499) are out
  CHECK(std::find(units.begin(), units.end(), 2u) == units.end());
  CHECK(std::find(units.begin(), units.end(), 833u) == units.end());

  // Two cases of R replicates: a's unit u gains u + 1 over 10 recipient-months, b nothing.
  auto batched = [&](const std::vector<std::uint32_t>& ok, double gain) {
    Outcomes o;
    o.replicates = R;
    o.succeeded = ok;
    const std::size_t U = (R + B - 1) / B;
    o.life = LifeTables(U, 48);
    for (auto& t : o.totals) t.num.assign(U, 0.0), t.den.assign(U, 0.0);
    for (std::size_t u = 0; u < U; ++u) o.totals[INCOME_GAIN].num[u] = gain * static_cast<double>(u + 1);
    for (std::size_t u = 0; u < U; ++u) o.totals[INCOME_GAIN].den[u] = 10;
    o.poverty_pool_tail.assign(R, 0.0);
    return o;
  };
  const Outcomes a = batched(all, 1.0), b = batched(some, 0.0);
  const EstimationPlan plan = estimation_plan({&a, &b}, 3, 199);
  CHECK(plan.batch() == 3);
  CHECK(plan.units == units);
  CHECK(plan.replicates.size() == 832 * 3);
  CHECK(plan.common.units() == 832);
  const Draws da = draws(a, plan);
  double num = 0;
  for (std::uint32_t u : units) num += u + 1;
  CHECK(da.full[INCOME_GAIN] == doctest::Approx(num / (10.0 * 832)));
  CHECK(da.replicates == 832 * 3);
  const Estimate e = level(da, INCOME_GAIN);
  CHECK(e.lo < e.mean);
  CHECK(e.mean < e.hi);
  // Outcomes whose units are not the plan's are refused.
  CHECK_THROWS_AS((void)draws(blank(R), plan), std::invalid_argument);
  CHECK(interval_note(plan.replicates.size(), 199, plan.batch()).find("batches of 3 consecutive replicates") !=
        std::string::npos);
}
