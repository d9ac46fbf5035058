// The parts of ABC-SMC (analysis/calibration.h) against answers worked out by hand: the
// statistics on made-up runs, the distance, the priors, the sampler's keyed proposals and
// the importance weights.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "analysis/calibration.h"

namespace {

using analysis::Projection;

// A schema of two series and a table with start, end and a coded cause.
sim::Schema schema() {
  sim::Schema s;
  s.series = {{"a", "", "", false, {}, std::nullopt}, {"b", "", "", false, {}, std::nullopt}};
  s.yearly = {{"y", "", "", false, {}, std::nullopt}};
  s.table = {{"start", "", "", true, {}, std::nullopt},
             {"end", "", "", true, {}, -1.0},
             {"cause", "", "", true, {"none", "x", "z"}, std::nullopt}};
  return s;
}

// One run of 24 months: series a = month, b = 2; yearly y = 10 * year; table as given.
sim::RunRecord run(std::vector<double> start, std::vector<double> end, std::vector<double> cause) {
  sim::RunRecord r;
  r.resize(schema(), 24);
  for (int m = 0; m < 24; ++m) {
    r.at(0, m) = m + 1;
    r.at(1, m) = 2;
  }
  r.year_at(0, 0) = 10;
  r.year_at(0, 1) = 20;
  r.table = {std::move(start), std::move(end), std::move(cause)};
  return r;
}

Projection all() {
  Projection p;
  p.series = {0, 1};
  p.yearly = {0};
  p.table = {0, 1, 2};
  return p;
}

sim::Target target(sim::StatisticKind k) {
  sim::Target t;
  t.kind = k;
  t.start = "start";
  t.end = "end";
  t.column = "cause";
  t.label = "x";
  t.series = "a";
  t.numerator = "a";
  t.denominator = "b";
  return t;
}

sim::FreeParameter param(sim::PriorKind k, double lo, double hi) {
  sim::FreeParameter p;
  p.name = "p.q";
  p.prior.kind = k;
  p.prior.low = lo;
  p.prior.high = hi;
  return p;
}

}  // namespace

TEST_CASE("statistics of made-up runs, by hand") {
  const auto s = schema();
  const auto p = all();
  // 20 rows started at month 1 (two replicates of 10): in each, 4 end at month 7 (6
  // months after start), 2 at month 19 (18 months), the rest never; one row never started.
  std::vector<double> start(11, 1), end(11, -1), cause(11, 0);
  for (int i = 0; i < 4; ++i) end[static_cast<std::size_t>(i)] = 7, cause[static_cast<std::size_t>(i)] = 1;
  for (int i = 4; i < 6; ++i) end[static_cast<std::size_t>(i)] = 19, cause[static_cast<std::size_t>(i)] = 2;
  start[10] = -1;
  const std::vector<sim::RunRecord> runs = {run(start, end, cause), run(start, end, cause)};

  auto t = target(sim::StatisticKind::Survival);
  t.month = 12;
  CHECK(analysis::statistic(t, s, p, runs) == doctest::Approx(0.6));  // 12 of 20 still active
  t.month = 5;
  CHECK(analysis::statistic(t, s, p, runs) == doctest::Approx(1.0));
  t.month = 23;  // every row can be followed 23 months (run of 24, start 1)
  CHECK(analysis::statistic(t, s, p, runs) == doctest::Approx(0.4));
  t.month = 24;  // beyond any follow-up: fewer than 10 rows reach it
  CHECK(std::isnan(analysis::statistic(t, s, p, runs)));

  auto h = target(sim::StatisticKind::Hazard);
  h.year = 1;
  CHECK(analysis::statistic(h, s, p, runs) == doctest::Approx(0.4));
  h.year = 2;
  CHECK(std::isnan(analysis::statistic(h, s, p, runs)));  // 24 months after a start at 1: beyond the run

  auto sh = target(sim::StatisticKind::Share);
  CHECK(analysis::statistic(sh, s, p, runs) == doctest::Approx(4.0 / 6.0));

  auto se = target(sim::StatisticKind::Series);
  se.month = 5;
  CHECK(analysis::statistic(se, s, p, runs) == doctest::Approx(5.0));
  auto y = target(sim::StatisticKind::Yearly);
  y.series = "y";
  y.year = 2;
  CHECK(analysis::statistic(y, s, p, runs) == doctest::Approx(20.0));

  auto ra = target(sim::StatisticKind::Ratio);
  ra.from = 1;
  ra.to = 4;
  CHECK(analysis::statistic(ra, s, p, runs) == doctest::Approx((1 + 2 + 3 + 4) / 8.0));

  // A failed run makes every statistic undefined.
  auto bad = runs;
  bad[1].error = "boom";
  CHECK(std::isnan(analysis::statistic(se, s, p, bad)));
}

TEST_CASE("a contrast of two scenarios: difference and ratio of the same statistic") {
  const auto s = schema();
  const auto p = all();
  std::vector<double> start(10, 1), end(10, -1), cause(10, 0);
  std::vector<double> end2 = end;
  for (std::size_t i = 0; i < 4; ++i) end[i] = 7;   // scenario 0: 6 of 10 left at month 12
  for (std::size_t i = 0; i < 2; ++i) end2[i] = 7;  // scenario 1: 8 of 10
  const std::vector<std::vector<sim::RunRecord>> runs = {{run(start, end, cause)}, {run(start, end2, cause)}};
  auto t = target(sim::StatisticKind::Survival);
  t.month = 12;
  CHECK(analysis::target_statistic(t, s, p, runs) == doctest::Approx(0.6));  // no versus: its own scenario
  t.scenario = 1;
  t.versus = 0;
  CHECK(analysis::target_statistic(t, s, p, runs) == doctest::Approx(0.2));  // 0.8 - 0.6
  t.contrast = sim::Target::Contrast::Ratio;
  CHECK(analysis::target_statistic(t, s, p, runs) == doctest::Approx(0.8 / 0.6));
  // A ratio over zero, or an undefined side, is undefined.
  auto se = target(sim::StatisticKind::Series);
  se.series = "a";
  se.month = 1;
  se.versus = 1;
  CHECK(analysis::target_statistic(se, s, p, runs) == doctest::Approx(0.0));
  auto bad = runs;
  bad[1][0].error = "boom";
  CHECK(std::isnan(analysis::target_statistic(se, s, p, bad)));
}

TEST_CASE("a series or yearly value missing in some replicates: the mean over the others") {
  const auto s = schema();
  const auto p = all();
  std::vector<sim::RunRecord> runs = {run({1}, {-1}, {0}), run({1}, {-1}, {0}), run({1}, {-1}, {0})};
  runs[0].year_at(0, 1) = std::nan("");  // e.g. a yearly median with nothing to take it of
  runs[2].year_at(0, 1) = 50;
  auto y = target(sim::StatisticKind::Yearly);
  y.series = "y";
  y.year = 2;
  CHECK(analysis::statistic(y, s, p, runs) == doctest::Approx((20.0 + 50.0) / 2));
  runs[1].year_at(0, 1) = std::nan("");
  runs[2].year_at(0, 1) = std::nan("");
  CHECK(std::isnan(analysis::statistic(y, s, p, runs)));
  // A series may be negative: that is a value, not a gap.
  auto se = target(sim::StatisticKind::Series);
  se.month = 1;
  runs[0].at(0, 0) = -3;
  CHECK(analysis::statistic(se, s, p, runs) == doctest::Approx((-3.0 + 1 + 1) / 3));
}

TEST_CASE("the projection keeps only what the targets read, in their order") {
  Projection p;
  p.series = {1};
  p.table = {2, 0};
  const auto full = run({1, 2}, {-1, 5}, {0, 1});
  const auto r = p.apply(full);
  REQUIRE(r.series.size() == 24);
  CHECK(r.series[0] == 2);
  REQUIRE(r.table.size() == 2);
  CHECK(r.table[0] == std::vector<double>{0, 1});
  CHECK(r.table[1] == std::vector<double>{1, 2});
  CHECK(p.table_slot(schema(), "start") == 1);
}

TEST_CASE("distance: squared standardised discrepancies; bounds count only beyond; undefined is infinite") {
  std::vector<sim::Target> t(2);
  t[0].observed = 1, t[0].sd = 0.5;
  t[1].observed = 10, t[1].sd = 2;
  CHECK(analysis::distance(t, {2, 6}) == doctest::Approx(4 + 4));
  t[1].side = sim::Target::Side::AtMost;
  CHECK(analysis::distance(t, {2, 6}) == doctest::Approx(4));
  CHECK(analysis::distance(t, {2, 14}) == doctest::Approx(8));
  t[1].side = sim::Target::Side::AtLeast;
  CHECK(analysis::distance(t, {1, 14}) == doctest::Approx(0));
  CHECK(std::isinf(analysis::distance(t, {1, std::nan("")})));
}

TEST_CASE("priors: quantiles and densities") {
  const auto u = param(sim::PriorKind::Uniform, 2, 6);
  CHECK(analysis::prior_quantile(u, 0.5) == doctest::Approx(4));
  CHECK(analysis::prior_quantile(u, 0.05) == doctest::Approx(2.2));
  const auto lu = param(sim::PriorKind::LogUniform, 1, 100);
  CHECK(analysis::prior_quantile(lu, 0.5) == doctest::Approx(10));
  auto n = param(sim::PriorKind::Normal, 0, 10);
  n.prior.mean = 5, n.prior.sd = 1;
  CHECK(analysis::prior_quantile(n, 0.5) == doctest::Approx(5));
  CHECK(analysis::prior_quantile(n, 0.95) == doctest::Approx(5 + 1.6449).epsilon(1e-3));
  auto b = param(sim::PriorKind::Beta, 0, 2);
  b.prior.alpha = 2, b.prior.beta = 2;
  CHECK(analysis::prior_quantile(b, 0.5) == doctest::Approx(1));
  // Each density integrates to 1 over its support (midpoint rule, 1e-3 tolerance).
  auto truncated = param(sim::PriorKind::Normal, 0, 1);
  truncated.prior.mean = 0.9, truncated.prior.sd = 0.3;
  for (const auto& p : {u, lu, truncated, b}) {
    const double lo = analysis::coordinate_low(p), hi = analysis::coordinate_high(p);
    double sum = 0;
    const int n_steps = 20000;
    for (int i = 0; i < n_steps; ++i)
      sum += std::exp(analysis::log_prior(p, lo + (i + 0.5) * (hi - lo) / n_steps)) * (hi - lo) / n_steps;
    CHECK(sum == doctest::Approx(1).epsilon(1e-3));
    CHECK(std::isinf(analysis::log_prior(p, hi + 1)));
  }
}

TEST_CASE("the sampler's proposals depend only on (seed, generation, particle, attempt)") {
  const std::vector<sim::FreeParameter> ps = {param(sim::PriorKind::Uniform, 0, 1),
                                              param(sim::PriorKind::LogUniform, 1, 100)};
  const analysis::Sampler a(ps, 7, 0, nullptr, 0.5), b(ps, 7, 0, nullptr, 0.5), c(ps, 8, 0, nullptr, 0.5);
  CHECK(a.propose(3, 2) == b.propose(3, 2));
  CHECK(a.propose(3, 2) != a.propose(3, 1));
  CHECK(a.propose(3, 2) != a.propose(2, 2));
  CHECK(a.propose(3, 2) != c.propose(3, 2));
  // Generation 0 draws from the prior: the mean of 20,000 draws within 0.01 of 0.5.
  double sum = 0;
  for (std::size_t i = 0; i < 20000; ++i) {
    const auto x = a.propose(i, 0);
    CHECK((x[0] >= 0 && x[0] <= 1 && x[1] >= 0 && x[1] <= std::log(100.0)));
    sum += x[0];
  }
  CHECK(sum / 20000 == doctest::Approx(0.5).epsilon(0.02));
  CHECK(a.weights({0.2, 1.0, 0.7, 2.0}) == std::vector<double>{0.5, 0.5});
}

TEST_CASE("importance weights: prior over the truncated kernel mixture, by hand") {
  const std::vector<sim::FreeParameter> ps = {param(sim::PriorKind::Uniform, 0, 1)};
  analysis::Population prev;
  prev.parameters = 1;
  prev.x = {0.3, 0.5};
  prev.weight = {0.25, 0.75};
  prev.distance = {1, 3};
  const analysis::Sampler s(ps, 1, 1, &prev, 0.5);
  // The tolerance: the weighted median of the distances (0.25 at 1, then 0.75 at 3).
  CHECK(s.tolerance() == 3);
  // The kernel: sd = sqrt(2 * weighted variance) = sqrt(2 * 0.25 * 0.75 * 0.2^2).
  const double sd = std::sqrt(2 * 0.25 * 0.75 * 0.04);
  REQUIRE(s.kernel_sd().size() == 1);
  CHECK(s.kernel_sd()[0] == doctest::Approx(sd));
  auto Phi = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  auto K = [&](double x, double mu) {
    const double z = (x - mu) / sd;
    return std::exp(-0.5 * z * z) / (sd * std::sqrt(2 * M_PI)) / (Phi((1 - mu) / sd) - Phi((0 - mu) / sd));
  };
  const std::vector<double> x = {0.1, 0.45, 0.9};
  std::vector<double> want;
  for (double v : x) want.push_back(1.0 / (0.25 * K(v, 0.3) + 0.75 * K(v, 0.5)));
  const double total = std::accumulate(want.begin(), want.end(), 0.0);
  const auto got = s.weights(x);
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(got[i] == doctest::Approx(want[i] / total));
  // Perturbed proposals stay inside the support.
  for (std::size_t i = 0; i < 2000; ++i) {
    const double v = s.propose(i, 0)[0];
    CHECK((v >= 0 && v <= 1));
  }
}

TEST_CASE("weighted quantiles") {
  CHECK(analysis::weighted_quantile({3, 1, 2}, {1, 1, 1}, 0.5) == 2);
  CHECK(analysis::weighted_quantile({3, 1, 2}, {0.1, 0.1, 0.8}, 0.5) == 2);
  CHECK(analysis::weighted_quantile({3, 1, 2}, {0.8, 0.1, 0.1}, 0.5) == 3);
  CHECK(analysis::weighted_quantile({3, 1, 2}, {1, 1, 1}, 0.0) == 1);
}
