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
  CHECK(std::accumulate(o.by_cause.begin(), o.by_cause.end(), 0LL) == o.failures);
  // The table of ends: a row a month of follow-up, a column for the censored and each cause.
  REQUIRE(o.end_kinds == o.cause_labels.size());
  REQUIRE(o.ends.size() == (static_cast<std::size_t>(f.months()) + 1) * o.end_kinds);
  long long ended = 0, followed = 0;
  for (std::size_t t = 0; t * o.end_kinds < o.ends.size(); ++t)
    for (std::size_t e = 0; e < o.end_kinds; ++e) {
      const long long n = o.ends[t * o.end_kinds + e];
      CHECK(n >= 0);
      if (n > 0) CHECK(static_cast<double>(t) <= o.max_follow_up);
      followed += n;
      if (e > 0) ended += n;
      if (e > 0 && e < o.by_cause.size()) CHECK(n <= o.by_cause[e]);
    }
  CHECK(followed == o.groups_funded);
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
