#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "analysis/estimates.h"
#include "analysis/oat.h"
#include "analysis/outcomes.h"
#include "sim/random.h"

using namespace analysis;

namespace {

constexpr std::size_t R = 20;
constexpr long long MONTHS = 48;

// R replicates of `groups` funded groups each, funded `potential` months before the end of a
// 48-month run, each failing at a random month with probability `fail`; and a lasting income
// gain of `gain` per recipient-month plus noise that differs a lot between replicates. The
// same seed gives the same draws (common random numbers): with a higher `fail` the same
// groups fail and more; the income noise is the same.
Outcomes screen_point(std::uint64_t seed, int groups, long long potential, double fail, double gain) {
  Outcomes o;
  o.life = LifeTables(R, MONTHS);
  for (auto& t : o.totals) t.num.assign(R, 0.0), t.den.assign(R, 0.0);
  o.poverty_pool_tail.assign(R, 0.0);
  sim::Stream fate(sim::combine(seed, 1)), income(sim::combine(seed, 2));
  for (std::size_t r = 0; r < R; ++r) {
    o.succeeded.push_back(static_cast<std::uint32_t>(r));
    for (int g = 0; g < groups; ++g) {
      const double u = fate.uniform(), when = fate.uniform();
      const bool failed = u < fail;
      const auto months = failed ? static_cast<long long>(when * static_cast<double>(potential)) : potential;
      o.life.add(r, months, failed, potential);
    }
    const double recipient_months = 100 + 50 * income.uniform();
    o.totals[INCOME_GAIN].num[r] = (gain + 500 * income.uniform()) * recipient_months;
    o.totals[INCOME_GAIN].den[r] = recipient_months;
  }
  return o;
}

void same(const Estimate& a, const Estimate& b) {
  CHECK(a.estimable == b.estimable);
  if (!a.estimable) return;
  CHECK(a.mean == b.mean);
  CHECK(a.lo == b.lo);
  CHECK(a.hi == b.hi);
  CHECK(a.n == b.n);
}

}  // namespace

TEST_CASE("a screen's change is the paired difference of berdaya compare") {
  const Outcomes reference = screen_point(1, 4, 40, 0.5, 1000);
  // The same households and shocks (the same seed), more groups failing, a smaller gain.
  const Outcomes point = screen_point(1, 4, 40, 0.7, 800);
  const EstimationPlan plan = estimation_plan({&reference, &point}, 20240101);
  const Draws ref = draws(reference, plan), pt = draws(point, plan);
  const OatChange c = oat_change(pt, ref);
  same(c.active_36, difference(pt, ref, ACTIVE_36));
  same(c.income_gain, difference(pt, ref, INCOME_GAIN));
  CHECK(c.active_36.mean < 0);
  CHECK(c.active_36.hi < 0);
  CHECK(c.income_gain.mean < 0);
  CHECK(c.income_gain.hi < 0);
  CHECK(c.active_36.lo <= c.active_36.mean);
  CHECK(c.active_36.mean <= c.active_36.hi);
  CHECK(c.active_36.n == static_cast<int>(R));
  // On independent resamples the interval would be wider: the pairing narrows it.
  const Estimate unpaired = difference(pt, draws(reference, plan, true), INCOME_GAIN);
  CHECK(c.income_gain.hi - c.income_gain.lo < unpaired.hi - unpaired.lo);

  // The reference against itself, and a point that changes nothing: exactly zero.
  for (const OatChange& zero :
       {oat_change(ref, ref), oat_change(draws(screen_point(1, 4, 40, 0.5, 1000), plan), ref)}) {
    for (const Estimate& e : {zero.active_36, zero.income_gain}) {
      CHECK(e.estimable);
      CHECK(e.mean == 0);
      CHECK(e.lo == 0);
      CHECK(e.hi == 0);
    }
  }
}

TEST_CASE("a screen's survival change is not estimable where fewer than 10 groups could be followed 36 months") {
  const Outcomes reference = screen_point(2, 4, 40, 0.5, 1000);
  // Funded too late to be followed 36 months, though followed 30: survival at 36 has no estimate.
  const Outcomes late = screen_point(2, 4, 30, 0.5, 1000);
  // No group funded at all (the program switched off).
  const Outcomes none = screen_point(2, 0, 40, 0.5, 0);
  const EstimationPlan plan = estimation_plan({&reference, &late, &none}, 7);
  const Draws ref = draws(reference, plan);
  for (const Outcomes* o : {&late, &none}) {
    const OatChange c = oat_change(draws(*o, plan), ref);
    CHECK_FALSE(c.active_36.estimable);
    CHECK(std::isnan(c.active_36.mean));
    CHECK(c.active_36.reachable == 0);
    // The income change does not depend on survival.
    CHECK(c.income_gain.estimable);
    CHECK(std::isfinite(c.income_gain.mean));
  }
  // Nine groups that could be followed 36 months are too few even though they were followed;
  // ten are enough.
  Outcomes nine = screen_point(3, 0, 40, 0, 1000), ten = nine;
  for (std::size_t r = 0; r < 9; ++r) nine.life.add(r, 40, false, 40);
  for (std::size_t r = 0; r < 10; ++r) ten.life.add(r, 40, false, 40);
  const EstimationPlan p2 = estimation_plan({&reference, &nine, &ten}, 7);
  const Draws ref2 = draws(reference, p2);
  CHECK_FALSE(oat_change(draws(nine, p2), ref2).active_36.estimable);
  const OatChange enough = oat_change(draws(ten, p2), ref2);
  CHECK(enough.active_36.estimable);
  CHECK(enough.active_36.mean == doctest::Approx(1.0 - level(ref2, ACTIVE_36).mean));
}

TEST_CASE("rows sort by the largest absolute survival change, then income; not estimable last") {
  auto change = [](double v, bool estimable = true) {
    Estimate e;
    e.mean = e.lo = e.hi = v;
    e.estimable = estimable;
    if (!estimable) e.mean = e.lo = e.hi = std::numeric_limits<double>::quiet_NaN();
    return e;
  };
  std::vector<OatRow> rows(5);
  const std::vector<std::pair<Estimate, Estimate>> values = {{change(0.01), change(5)},
                                                             {change(0, false), change(900)},
                                                             {change(-0.05), change(-10)},
                                                             {change(0.01), change(-50)},
                                                             {change(0.02), change(0)}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].point = i + 1;
    rows[i].active_36 = values[i].first;
    rows[i].income_gain = values[i].second;
  }
  sort_rows(rows);
  std::vector<std::size_t> order;
  for (const auto& r : rows) order.push_back(r.point);
  CHECK(order == std::vector<std::size_t>{3, 5, 4, 1, 2});
}
