#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/stats.h"
#include "sim/random.h"

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
  // When the last subject fails, S is 0 from then on, also beyond the follow-up.
  const auto all = analysis::kaplan_meier({1, 2, 3}, {1, 1, 1});
  CHECK(analysis::survival_at(all, 36, 3) == 0.0);
  CHECK(analysis::survival_at(all, 2.5, 3) == doctest::Approx(1.0 / 3));
}

TEST_CASE("mean and t interval") {
  const auto e = analysis::mean_ci({1, 2, 3, 4, std::nan("")});
  CHECK(e.n == 4);
  CHECK(e.mean == doctest::Approx(2.5));
  // sd = 1.290994, se = 0.645497, t(3, 0.975) = 3.182446.
  CHECK(e.hi - e.mean == doctest::Approx(3.182446 * 0.645497).epsilon(1e-5));
  CHECK(std::isnan(analysis::mean_ci({}).mean));
}

TEST_CASE("paired difference matches R's t.test(paired = TRUE)") {
  // Rscript -e 'a <- c(4.1, 5.3, 6.0, 5.5, 4.8, 7.2, 5.9); b <- c(3.9, 5.0, 6.4, 4.7, 4.1, 6.5, 5.2);
  //   r <- t.test(a, b, paired=TRUE); sprintf("%.10f", c(r$estimate, r$conf.int))'
  // gives 0.4285714286 0.0300130343 0.8271298229. A pair with a NaN on either side is dropped.
  const double nan = std::nan("");
  const std::vector<double> a = {4.1, 5.3, 6.0, 5.5, 4.8, 7.2, 5.9, nan, 3.0};
  const std::vector<double> b = {3.9, 5.0, 6.4, 4.7, 4.1, 6.5, 5.2, 1.0, nan};
  const auto e = analysis::paired_diff(a, b);
  CHECK(e.n == 7);
  CHECK(e.mean == doctest::Approx(0.4285714286).epsilon(1e-9));
  CHECK(e.lo == doctest::Approx(0.0300130343).epsilon(1e-8));
  CHECK(e.hi == doctest::Approx(0.8271298229).epsilon(1e-9));
  CHECK_THROWS_AS(analysis::paired_diff({1, 2}, {1}), std::invalid_argument);
}

TEST_CASE("Welch difference matches R's t.test (var.equal = FALSE)") {
  // Rscript -e 'x <- c(12.1, 14.3, 9.8, 11.5, 13.0, 10.2); y <- c(8.4, 15.9, 6.1, 12.7, 3.3, 10.8, 9.9, 14.2);
  //   w <- t.test(x, y); sprintf("%.10f", c(mean(x)-mean(y), w$conf.int, w$parameter));
  //   sprintf("%.10f", t.test(x, y, conf.level=0.9)$conf.int)'
  // gives 1.6541666667 -2.0024151852 5.3107485186 (df 9.7498831063) and, at 90%,
  // -1.3176448919 4.6259782252. Non-finite values are dropped from each side.
  const std::vector<double> x = {12.1, 14.3, 9.8, 11.5, 13.0, 10.2, std::nan("")};
  const std::vector<double> y = {8.4, 15.9, 6.1, 12.7, 3.3, 10.8, 9.9, 14.2, HUGE_VAL};
  const auto e = analysis::unpaired_diff(x, y);
  CHECK(e.n == 14);
  CHECK(e.mean == doctest::Approx(1.6541666667).epsilon(1e-9));
  CHECK(e.lo == doctest::Approx(-2.0024151852).epsilon(1e-9));
  CHECK(e.hi == doctest::Approx(5.3107485186).epsilon(1e-9));
  const auto e90 = analysis::unpaired_diff(x, y, 0.10);
  CHECK(e90.lo == doctest::Approx(-1.3176448919).epsilon(1e-9));
  CHECK(e90.hi == doctest::Approx(4.6259782252).epsilon(1e-9));
  CHECK(std::isnan(analysis::unpaired_diff({1.0}, y).mean));
}

TEST_CASE("Kaplan-Meier bands match R's survfit for each conf.type") {
  // Rscript -e 'library(survival); t <- c(1,2,2,3,4,5,5); e <- c(1,1,1,0,1,0,1);
  //   for (ct in c("log","log-log","plain")) { f <- survfit(Surv(t,e)~1, conf.type=ct);
  //   i <- f$n.event>0; print(sprintf("%.10f", c(f$lower[i], f$upper[i]))) }'
  // (survival 3.5-3). The wider checks of reference/km_vs_r_survival compare to 1e-9.
  const std::vector<double> t = {1, 2, 2, 3, 4, 5, 5};
  const std::vector<int> e = {1, 1, 1, 0, 1, 0, 1};
  const auto km = analysis::kaplan_meier(t, e);
  REQUIRE(km.size() == 4);
  struct Expected {
    analysis::BandType type;
    double lo[4], hi[4];
  };
  const Expected expected[] = {
      {analysis::BandType::log, {0.6334465290, 0.3008436464, 0.1366042032, 0.0339679212}, {1, 1, 1, 1}},
      {analysis::BandType::log_log,
       {0.3340538793, 0.1718660155, 0.0612311742, 0.0091846306},
       {0.9785610585, 0.8370827803, 0.7164419926, 0.5564008199}},
      {analysis::BandType::plain, {0.5979179926, 0.2048292523, 0, 0}, {1, 0.9380278906, 0.7716520634, 0.5188782128}},
  };
  for (const auto& x : expected) {
    const auto band = analysis::survival_band(km, 0.95, x.type);
    REQUIRE(band.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(band[i].lo == doctest::Approx(x.lo[i]).epsilon(1e-8));
      CHECK(band[i].hi == doctest::Approx(x.hi[i]).epsilon(1e-8));
    }
  }
  // The default is R's default, log.
  const auto def = analysis::survival_band(km);
  CHECK(def[1].lo == analysis::survival_band(km, 0.95, analysis::BandType::log)[1].lo);
  // std.err in survfit is se(log S): at t = 1, sqrt(1 / (7 * 6)).
  CHECK(analysis::log_survival_se(km[0]) == doctest::Approx(std::sqrt(1.0 / 42)));
  // Once everyone has had the event S = 0, and R gives no band.
  const auto all = analysis::kaplan_meier({1, 2}, {1, 1});
  CHECK(std::isinf(analysis::log_survival_se(all[1])));
  CHECK(std::isnan(analysis::survival_band(all)[1].lo));
  CHECK(std::isnan(analysis::survival_band(all, 0.95, analysis::BandType::plain)[1].hi));
}

TEST_CASE("cumulative incidence on a hand-worked example") {
  // Times 1,2,2,3+,4,5+,5 with causes 1,2,1,-,2,-,1.
  // t=1: n=7, one cause 1: CIF1 = 1/7, S = 6/7.
  // t=2: n=6, one of each: CIF1 = 1/7 + 6/7 * 1/6 = 2/7, CIF2 = 1/7, S = 4/7.
  // t=4: n=3 (one censored at 3), cause 2: CIF2 = 1/7 + 4/7 * 1/3 = 1/3, S = 8/21.
  // t=5: n=2, cause 1 (and one censored at 5, at risk at 5): CIF1 = 2/7 + 8/21 * 1/2 = 10/21,
  // S = 4/21.
  const std::vector<double> t = {1, 2, 2, 3, 4, 5, 5};
  const std::vector<int> c = {1, 2, 1, 0, 2, 0, 1};
  const auto ci = analysis::cumulative_incidence(t, c, 2);
  REQUIRE(ci.size() == 4);
  const double cif1[] = {1.0 / 7, 2.0 / 7, 2.0 / 7, 10.0 / 21}, cif2[] = {0, 1.0 / 7, 1.0 / 3, 1.0 / 3};
  const double surv[] = {6.0 / 7, 4.0 / 7, 8.0 / 21, 4.0 / 21};
  const int at_risk[] = {7, 6, 3, 2};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(ci[i].incidence[0] == doctest::Approx(cif1[i]));
    CHECK(ci[i].incidence[1] == doctest::Approx(cif2[i]));
    CHECK(ci[i].survival == doctest::Approx(surv[i]));
    CHECK(ci[i].at_risk == at_risk[i]);
  }
  CHECK(ci[1].events == std::vector<int>{1, 1});
  CHECK_THROWS_AS(analysis::cumulative_incidence(t, c, 1), std::invalid_argument);
}

TEST_CASE("cumulative incidence: causes and all-cause survival add up to one") {
  // 500 subjects, three causes and censoring, times on a coarse grid so that events of
  // different causes and censorings tie.
  sim::Stream rng(20240611);
  std::vector<double> t(500);
  std::vector<int> c(500), any(500);
  for (std::size_t i = 0; i < t.size(); ++i) {
    t[i] = std::floor(rng.uniform() * 40);
    c[i] = static_cast<int>(rng.uniform() * 4);  // 0 (censored) .. 3
    any[i] = c[i] > 0;
  }
  const auto ci = analysis::cumulative_incidence(t, c, 3);
  const auto km = analysis::kaplan_meier(t, any);
  REQUIRE(ci.size() == km.size());
  for (std::size_t i = 0; i < ci.size(); ++i) {
    CHECK(ci[i].time == km[i].time);
    CHECK(ci[i].survival == doctest::Approx(km[i].survival).epsilon(1e-12));
    double total = km[i].survival;
    for (double f : ci[i].incidence) total += f;
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
  }

  // With a single cause the incidence is 1 - KM.
  const auto one = analysis::cumulative_incidence(t, any, 1);
  REQUIRE(one.size() == km.size());
  for (std::size_t i = 0; i < one.size(); ++i)
    CHECK(one[i].incidence[0] == doctest::Approx(1 - km[i].survival).epsilon(1e-12));
}

TEST_CASE("cumulative incidence from a table of whole-month ends is that of the list, bit for bit") {
  sim::Stream rng(20261206);
  const std::size_t months = 40, kinds = 4;  // censored and 3 causes
  std::vector<double> t(700);
  std::vector<int> c(700);
  std::vector<long long> table((months + 1) * kinds, 0);
  for (std::size_t i = 0; i < t.size(); ++i) {
    // Some months are nobody's, some only the censored's.
    t[i] = std::floor(rng.uniform() * static_cast<double>(months + 1));
    if (t[i] == 7 || t[i] == 8) t[i] = 9;
    c[i] = t[i] == 12 ? 0 : static_cast<int>(rng.uniform() * kinds);
    ++table[static_cast<std::size_t>(t[i]) * kinds + static_cast<std::size_t>(c[i])];
  }
  const auto from_list = analysis::cumulative_incidence(t, c, 3);
  const auto from_table = analysis::cumulative_incidence(table, 3);
  REQUIRE(from_list.size() == from_table.size());
  REQUIRE(!from_list.empty());
  for (std::size_t i = 0; i < from_list.size(); ++i) {
    CHECK(from_table[i].time == from_list[i].time);
    CHECK(from_table[i].survival == from_list[i].survival);  // the same operations in the same order
    CHECK(from_table[i].incidence == from_list[i].incidence);
    CHECK(from_table[i].at_risk == from_list[i].at_risk);
    CHECK(from_table[i].events == from_list[i].events);
  }
  CHECK_THROWS_AS(analysis::cumulative_incidence(std::vector<long long>(10, 1), 3), std::invalid_argument);
  CHECK_THROWS_AS(analysis::cumulative_incidence(std::vector<long long>{1, -1, 0, 0}, 3), std::invalid_argument);
  CHECK(analysis::cumulative_incidence(std::vector<long long>(8, 0), 3).empty());
}
