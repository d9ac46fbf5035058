#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include "analysis/outcomes.h"
#include "result_file.h"

TEST_CASE("outcomes: every funded group is followed once, and the pooled survival is that of the groups") {
  const auto p = test::result_params();
  const auto file = test::write_result_file(p, "berdaya-outcomes");
  const analysis::ResultFile f(file);
  const auto o = analysis::outcomes(f, 0);
  CHECK(o.succeeded.size() == 8);
  CHECK(o.groups_funded == 8 * 12);
  CHECK(o.follow_up.size() == static_cast<std::size_t>(o.groups_funded));
  CHECK(o.end_cause.size() == o.follow_up.size());
  CHECK(std::accumulate(o.by_cause.begin(), o.by_cause.end(), 0LL) == o.failures);
  long long ended = 0;
  for (std::size_t i = 0; i < o.follow_up.size(); ++i) {
    CHECK(o.follow_up[i] >= 0);
    CHECK(o.follow_up[i] <= o.max_follow_up);
    ended += o.end_cause[i] > 0;
  }
  CHECK(ended == o.failures);
  std::vector<double> values;
  analysis::PooledCurve curve;
  analysis::evaluate(o, o.succeeded, values, curve);
  REQUIRE(values.size() == analysis::QUANTITY_COUNT);
  CHECK(values[analysis::ACTIVE_12] == doctest::Approx(curve.survival_at(12)));
  CHECK(values[analysis::ACTIVE_36] <= values[analysis::ACTIVE_12]);
  CHECK(curve.reach_at(0) == o.groups_funded);
  std::filesystem::remove(file);
}

TEST_CASE("every quantity has a distinct key, and survival quantities their horizon") {
  std::vector<std::string> keys;
  for (std::size_t q = 0; q < analysis::QUANTITY_COUNT; ++q) {
    const auto& info = analysis::quantity_info(q);
    REQUIRE(info.key != nullptr);
    keys.emplace_back(info.key);
  }
  std::sort(keys.begin(), keys.end());
  CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());
  CHECK(analysis::quantity_info(analysis::ACTIVE_12).horizon == 12);
  CHECK(analysis::quantity_info(analysis::ACTIVE_60).horizon == 60);
  CHECK(analysis::quantity_info(analysis::ACTIVE_36).range == analysis::Range::share);
  CHECK(analysis::quantity_info(analysis::COST_TOTAL).horizon == 0);
}
