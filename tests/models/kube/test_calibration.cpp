// Statistical tests of the defaults against the validation targets (docs/ODD.md,
// "Validation"; the targets and their sources in docs/sources.md), with fixed seeds and
// stated tolerances. Survival is Kaplan-Meier pooled over the replicates' funded groups;
// its 95% intervals come from a bootstrap over replicates (the independent units), so
// they measure simulation (Monte Carlo) precision only.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "analysis/stats.h"
#include "helpers.h"
#include "pooled.h"

namespace {

using test::Outcome;
using test::Replicate;
using test::survival;

struct Interval {
  double value, lo, hi;
};

// A statistic of a set of replicates, with its 95% percentile bootstrap interval over
// replicates (400 resamples, fixed seed).
template <typename F>
Interval bootstrap(const Outcome& o, F&& stat) {
  const std::size_t R = o.reps.size();
  std::vector<std::size_t> all(R);
  for (std::size_t i = 0; i < R; ++i) all[i] = i;
  Interval out{stat(all), 0, 0};
  boost::random::mt19937 rng(20240101u);
  boost::random::uniform_int_distribution<std::size_t> pick(0, R - 1);
  std::vector<double> v;
  std::vector<std::size_t> idx(R);
  for (int b = 0; b < 400; ++b) {
    for (auto& i : idx) i = pick(rng);
    v.push_back(stat(idx));
  }
  std::sort(v.begin(), v.end());
  out.lo = v[10];   // 2.5% of 400
  out.hi = v[389];  // 97.5%
  return out;
}

Interval survival_at(const Outcome& o, double t) {
  return bootstrap(o, [&](const std::vector<std::size_t>& idx) { return survival(o, idx, t); });
}

// Hazard in year y (1-based) since funding: 1 - S(12 y) / S(12 (y - 1)).
Interval yearly_hazard(const Outcome& o, int y) {
  return bootstrap(o, [&](const std::vector<std::size_t>& idx) {
    const double before = y == 1 ? 1.0 : survival(o, idx, 12.0 * (y - 1));
    return 1.0 - survival(o, idx, 12.0 * y) / before;
  });
}

template <typename F>
Interval ratio(const Outcome& o, F&& num_den) {
  return bootstrap(o, [&](const std::vector<std::size_t>& idx) {
    double n = 0, d = 0;
    for (auto i : idx) {
      const auto [a, b] = num_den(o.reps[i]);
      n += a, d += b;
    }
    return n / d;
  });
}

std::string show(const Interval& e) {
  return std::to_string(e.value) + " [" + std::to_string(e.lo) + ", " + std::to_string(e.hi) + "]";
}

// The standard scenarios, each simulated once for all tests.
const Outcome& outcome(const std::string& name, const std::string& extra = "", int replicates = 200) {
  static std::map<std::string, Outcome> cache;
  const std::string key = name + "|" + extra + "|" + std::to_string(replicates);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, test::simulate(test::scenario(name, extra), replicates)).first;
  return it->second;
}

}  // namespace

TEST_CASE("target 1: weak support loses over half the groups in year one; 10-25% remain at 36 months") {
  const auto& o = outcome("weak-support");
  const auto s12 = survival_at(o, 12), s36 = survival_at(o, 36);
  MESSAGE("weak support S(12) " << show(s12) << ", S(36) " << show(s36));
  CHECK(s12.hi < 0.50);   // whole 95% interval: more than half inactive within 12 months
  CHECK(s36.lo >= 0.10);  // Sitepu: 7 of 61 (11.5%) active after about 3 years
  CHECK(s36.hi <= 0.25);
}

TEST_CASE(
    "target 2: the Kota Batu baseline loses 15-35% of its groups in each of years 1-5, 20-30% a year over three") {
  const auto& o = outcome("kota-batu");
  for (int y = 1; y <= 5; ++y) {
    const auto h = yearly_hazard(o, y);
    MESSAGE("baseline hazard in year " << y << ": " << show(h));
    CHECK(h.lo >= 0.15);  // whole 95% interval inside the band, every year
    CHECK(h.hi <= 0.35);
  }
  const auto s36 = survival_at(o, 36), s60 = survival_at(o, 60);
  // Three-year annual hazard 1 - S(36)^(1/3) within 20-30%: S(36) within [0.343, 0.512].
  MESSAGE("baseline S(36) " << show(s36) << ", S(60) " << show(s60));
  CHECK(s36.lo >= std::pow(0.70, 3));
  CHECK(s36.hi <= std::pow(0.80, 3));
  // About 17-33% still active 5 years after funding (Kecamatan Batu: 21 of 42).
  CHECK(s60.lo >= 0.17);
  CHECK(s60.hi <= 0.33);
}

TEST_CASE("target 3: every failure cause occurs in the baseline and none exceeds 60% of failures") {
  const auto& o = outcome("kota-batu");
  std::array<long, kube::N_CAUSES + 1> causes{};
  long failures = 0;
  for (const auto& r : o.reps)
    for (std::size_t g = 0; g < r.event.size(); ++g)
      if (r.event[g]) ++failures, ++causes[static_cast<std::size_t>(r.cause[g])];
  REQUIRE(failures > 1000);
  for (int c = 1; c <= kube::N_CAUSES; ++c) {
    const double share = static_cast<double>(causes[static_cast<std::size_t>(c)]) / static_cast<double>(failures);
    MESSAGE(std::string(kube::cause_name(static_cast<kube::Cause>(c))) << ": " << share);
    CHECK(share >= 0.02);  // each cause a visible part of the story
    CHECK(share <= 0.60);
  }
}

TEST_CASE("target 4: the lasting income gain is small for all recipients and modest in surviving groups") {
  const auto& o = outcome("kota-batu");
  const auto p = test::scenario("kota-batu");
  const double line = p.population_poverty_line * p.population_household_size;
  const auto gain = ratio(o, [](const Replicate& r) { return std::pair{r.gain, r.recipient_months}; });
  // Payouts per member-month of a group, over its active months.
  const auto paid = ratio(o, [&](const Replicate& r) {
    return std::pair{r.payouts, r.active_months * static_cast<double>(p.program_group_size)};
  });
  MESSAGE("lasting gain per recipient-month " << show(gain) << " Rp; payouts per member-month of active groups "
                                              << show(paid));
  CHECK(gain.lo > 0);
  CHECK(gain.hi < 0.05 * line);  // below 5% of the household poverty line
  CHECK(paid.lo >= 0);
  CHECK(paid.hi <= 150000);  // Lombok layer KUBE: Rp 0-150k per member per month
}

TEST_CASE("target 5: without monitoring the office's count of active groups overstates the truth") {
  // Monitoring visits only once in ten years: the office learns almost nothing.
  const auto& loose = outcome("kota-batu", "[monitoring]\ninterval = 120\n", 100);
  const auto& tight = outcome("kota-batu", "[monitoring]\ninterval = 1\n[mentors]\ngroups_per_mentor = 3\n", 100);
  auto mean = [](const Outcome& o) {
    std::vector<double> v;
    for (const auto& r : o.reps) v.push_back(r.overstatement);
    return analysis::mean_ci(v);
  };
  const auto e = mean(loose);
  const double se = (e.hi - e.mean) / 1.984;  // t(99) quantile
  MESSAGE("overstatement " << e.mean << " groups, se " << se);
  CHECK(e.mean - 4 * se > 0);  // 4 standard errors above zero
  CHECK(mean(tight).mean < e.mean);
}

TEST_CASE("target 6: even the full package keeps no more groups alive than ordinary microenterprises") {
  const auto& o = outcome("combined");
  // McKenzie and Paffhausen (2017): about 92%, 75% and 58% at 1, 3 and 5 years.
  const std::pair<double, double> points[] = {{12, 0.92}, {36, 0.75}, {60, 0.58}};
  for (const auto& [t, firms] : points) {
    const auto s = survival_at(o, t);
    MESSAGE("combined S(" << t << ") " << show(s) << " against " << firms);
    CHECK(s.hi <= firms);
  }
  // And it does better than the baseline, by far more than the simulation's noise.
  CHECK(survival_at(o, 36).lo > survival_at(outcome("kota-batu"), 36).hi);
}

TEST_CASE("target 7: 24 hours of training for all members raise profit 5-10% and survival only a little") {
  const auto& base = outcome("kota-batu");
  const auto& trained = outcome("training");
  // Profit paid out per active group-month (a fixed share of positive profit), trained
  // against untrained; the same replicates share households and shocks.
  auto per_month = [](const Outcome& o, const std::vector<std::size_t>& idx) {
    double paid = 0, months = 0;
    for (auto i : idx) paid += o.reps[i].payouts, months += o.reps[i].active_months;
    return paid / months;
  };
  const auto lift = bootstrap(
      base, [&](const std::vector<std::size_t>& idx) { return per_month(trained, idx) / per_month(base, idx) - 1.0; });
  const auto ds36 = bootstrap(
      base, [&](const std::vector<std::size_t>& idx) { return survival(trained, idx, 36) - survival(base, idx, 36); });
  MESSAGE("training: profit " << show(lift) << ", S(36) change " << show(ds36));
  CHECK(lift.value >= 0.05);
  CHECK(lift.value <= 0.10);
  CHECK(lift.lo > 0);
  CHECK(std::fabs(ds36.value) < 0.05);  // a few points at most
}

TEST_CASE("target 8: effectiveness not yet good, responsiveness and accountability fairly good") {
  const auto& o = outcome("kota-batu");
  const auto& weak = outcome("weak-support");
  const auto active = ratio(o, [](const Replicate& r) { return std::pair{r.active_end, r.funded}; });
  const auto on_time = ratio(o, [](const Replicate& r) { return std::pair{r.on_time, r.years}; });
  const auto weak_on_time = ratio(weak, [](const Replicate& r) { return std::pair{r.on_time, r.years}; });
  const auto median = ratio(o, [](const Replicate& r) { return std::pair{r.response_median, r.response_years}; });
  MESSAGE("active at the end " << show(active) << "; reports on time " << show(on_time) << " (weak support "
                               << show(weak_on_time) << "); median months from need to answer " << show(median));
  // Effectiveness: fewer than half the funded groups still active at the end.
  CHECK(active.hi < 0.5);
  // Responsiveness: most needs answered within half a year (two provincial delays).
  CHECK(median.hi <= 6.0);
  // Accountability: the report is on time in most years but not in every one, and it is
  // late more often when the office sees fewer groups.
  CHECK(on_time.lo >= 0.6);
  CHECK(on_time.hi < 1.0);
  CHECK(weak_on_time.hi < on_time.lo);
}

TEST_CASE("weak support keeps fewer groups alive than the baseline at 12 and 36 months") {
  const auto& base = outcome("kota-batu");
  const auto& weak = outcome("weak-support");
  for (double t : {12.0, 36.0}) {
    const auto d = bootstrap(
        base, [&](const std::vector<std::size_t>& idx) { return survival(base, idx, t) - survival(weak, idx, t); });
    MESSAGE("baseline minus weak support at " << t << " months: " << show(d));
    CHECK(d.lo > 0);
  }
}
