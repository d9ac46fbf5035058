// analysis/posterior.h: effects, p_better and rank probabilities over posterior draws,
// from inputs whose answers are known by hand.
#include <doctest/doctest.h>

#include <cmath>

#include "analysis/posterior.h"

using analysis::Better;
using analysis::PosteriorInput;

namespace {

// Three scenarios (baseline first), four draws, one metric; values[s][d].
PosteriorInput input(Better b, const std::vector<std::vector<double>>& values) {
  PosteriorInput in;
  in.scenarios = {"base", "a", "b"};
  in.baseline = 0;
  in.draws = values.front().size();
  in.metrics = {{"m", "a metric", "1", b}};
  for (const auto& row : values)
    for (std::size_t d = 0; d < row.size(); ++d) {
      in.value.push_back(row[d]);
      in.effect.push_back(row[d] - values[0][d]);
      in.effect_se.push_back(0.5);
    }
  return in;
}

}  // namespace

TEST_CASE("p_better counts strict wins over draws, in the metric's direction") {
  const std::vector<std::vector<double>> v = {{1, 1, 1, 1}, {2, 0, 2, 1}, {0, 0, 0, 0}};
  const auto hi = analysis::analyse(input(Better::Higher, v));
  CHECK(std::isnan(hi.cells[0][0].p_better));              // the baseline has none
  CHECK(hi.cells[1][0].p_better == doctest::Approx(0.5));  // 2 of 4 wins, the tie at draw 3 is no win
  CHECK(hi.cells[2][0].p_better == doctest::Approx(0.0));
  const auto lo = analysis::analyse(input(Better::Lower, v));
  CHECK(lo.cells[1][0].p_better == doctest::Approx(0.25));
  CHECK(lo.cells[2][0].p_better == doctest::Approx(1.0));
  const auto nz = analysis::analyse(input(Better::NearerZero, {{-1, 1, -1, 1}, {0.5, -2, 0, 1}, {3, 3, 3, 3}}));
  CHECK(nz.cells[1][0].p_better == doctest::Approx(0.5));
}

TEST_CASE("rank probabilities: rank 1 the best, ties share, sums 1 per scenario and per rank") {
  const auto a = analysis::analyse(input(Better::Higher, {{1, 1, 1, 1}, {2, 0, 2, 1}, {0, 0, 0, 0}}));
  // Draws: a first twice; at draw 1 base first, a and b tied for 2 and 3; at draw 3 base
  // and a tied for 1 and 2.
  CHECK(a.cells[1][0].rank[0] == doctest::Approx((1 + 1 + 0.5) / 4.0));
  CHECK(a.cells[1][0].rank[1] == doctest::Approx((0.5 + 0.5) / 4.0));
  CHECK(a.cells[2][0].rank[2] == doctest::Approx((1 + 0.5 + 1 + 1) / 4.0));
  for (std::size_t s = 0; s < 3; ++s) {
    double sum = 0;
    for (double r : a.cells[s][0].rank) sum += r;
    CHECK(sum == doctest::Approx(1.0));
  }
  for (std::size_t r = 0; r < 3; ++r) {
    double sum = 0;
    for (std::size_t s = 0; s < 3; ++s) sum += a.cells[s][0].rank[r];
    CHECK(sum == doctest::Approx(1.0));
  }
}

TEST_CASE("effects: median and 90% over draws; Monte Carlo apart; draws with a missing value left out") {
  PosteriorInput in = input(Better::Higher, {{0, 0, 0, 0, 0}, {1, 2, 3, 4, 5}, {0, 0, 0, 0, 0}});
  const auto a = analysis::analyse(in);
  CHECK(a.cells[1][0].effect == doctest::Approx(3));
  CHECK(a.cells[1][0].effect_lo == doctest::Approx(1.2));  // type 7: 1 + 0.05 * 4
  CHECK(a.cells[1][0].effect_hi == doctest::Approx(4.8));
  CHECK(a.cells[1][0].mc_se == doctest::Approx(0.5));
  CHECK(a.cells[1][0].draws == 5);
  in.value[in.at(0, 2, 4)] = std::nan("");
  const auto b = analysis::analyse(in);
  CHECK(b.cells[1][0].draws == 4);
  CHECK(b.cells[1][0].effect_hi == doctest::Approx(3.85));  // 1..4: 1 + 0.95 * 3
}

TEST_CASE("a scenario without a value at any draw takes no part in the ranks") {
  const double nan = std::nan("");
  PosteriorInput in = input(Better::Higher, {{1, 1, 1, 1}, {2, 0, 2, 0}, {nan, nan, nan, nan}});
  const auto a = analysis::analyse(in);
  CHECK(a.cells[2][0].draws == 0);
  CHECK(std::isnan(a.cells[2][0].p_better));
  CHECK(a.cells[1][0].draws == 4);
  CHECK(a.cells[1][0].rank[0] == doctest::Approx(0.5));
  CHECK(a.cells[0][0].rank[0] + a.cells[1][0].rank[0] == doctest::Approx(1.0));
  CHECK(std::isnan(a.cells[0][0].rank[2]));  // two take part: no third rank
}
