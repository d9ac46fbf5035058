#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/oat.h"
#include "analysis/stats.h"
#include "sim/random.h"

namespace {

// Groups of `replicates` runs with integer follow-up and ties, as the model writes them.
void groups(std::size_t replicates, std::uint64_t seed, std::vector<std::vector<double>>& time,
            std::vector<std::vector<int>>& event) {
  sim::Stream s(seed);
  time.assign(replicates, {});
  event.assign(replicates, {});
  for (std::size_t r = 0; r < replicates; ++r) {
    const auto n = 3 + static_cast<int>(s.uniform() * 12);
    for (int i = 0; i < n; ++i) {
      time[r].push_back(std::floor(s.uniform() * 60));
      event[r].push_back(s.uniform() < 0.6 ? 1 : 0);
    }
  }
}

double pooled_km(const std::vector<std::vector<double>>& time, const std::vector<std::vector<int>>& event,
                 const std::vector<double>& weight, double horizon) {
  std::vector<double> t;
  std::vector<int> e;
  double max_t = -1;
  for (std::size_t r = 0; r < time.size(); ++r)
    for (int k = 0; k < static_cast<int>(weight[r]); ++k)
      for (std::size_t i = 0; i < time[r].size(); ++i) {
        t.push_back(time[r][i]);
        e.push_back(event[r][i]);
        max_t = std::max(max_t, time[r][i]);
      }
  return analysis::survival_at(analysis::kaplan_meier(t, e), horizon, max_t);
}

}  // namespace

TEST_CASE("pooled survival equals Kaplan-Meier over the pooled groups, with repeats for weights") {
  std::vector<std::vector<double>> time;
  std::vector<std::vector<int>> event;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    groups(9, seed, time, event);
    for (double h : {0.0, 12.0, 36.0, 59.0}) {
      const analysis::PooledSurvival km(time, event, h);
      const std::vector<double> ones(9, 1.0);
      CHECK(km.at(ones) == doctest::Approx(pooled_km(time, event, ones, h)).epsilon(1e-12));
      // A bootstrap resample's multiplicities, zeros included.
      for (const auto& w : analysis::bootstrap_weights(9, 5, seed)) {
        const double want = pooled_km(time, event, w, h);
        if (std::isnan(want)) CHECK(std::isnan(km.at(w)));
        else CHECK(km.at(w) == doctest::Approx(want).epsilon(1e-12));
      }
    }
  }
  // Past the longest follow-up S is unknown, unless every group has already ended.
  const analysis::PooledSurvival open({{10, 20}}, {{1, 0}}, 36);
  CHECK(std::isnan(open.at({1.0})));
  const analysis::PooledSurvival ended({{10, 20}}, {{1, 1}}, 36);
  CHECK(ended.at({1.0}) == 0.0);
  const analysis::PooledSurvival empty({{}, {}}, {{}, {}}, 36);
  CHECK(std::isnan(empty.at({1.0, 1.0})));
}

TEST_CASE("pooled ratio and bootstrap weights") {
  CHECK(analysis::pooled_ratio({10, 30}, {1, 3}, {1, 1}) == doctest::Approx(10.0));
  CHECK(analysis::pooled_ratio({10, 30}, {1, 1}, {2, 0}) == doctest::Approx(10.0));
  CHECK(std::isnan(analysis::pooled_ratio({10, 30}, {0, 0}, {1, 1})));
  const auto w = analysis::bootstrap_weights(7, 200, 42);
  REQUIRE(w.size() == 200);
  double mean0 = 0;
  for (const auto& row : w) {
    double sum = 0;
    for (double x : row) {
      CHECK(x == std::floor(x));
      sum += x;
    }
    CHECK(sum == 7.0);
    mean0 += row[0] / 200;
  }
  CHECK(mean0 == doctest::Approx(1.0).epsilon(0.25));  // each replicate drawn once per resample on average
  CHECK(analysis::bootstrap_weights(7, 200, 42) == w);  // reproducible from the seed
  CHECK(analysis::bootstrap_weights(7, 200, 43) != w);
}
