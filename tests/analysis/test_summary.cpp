#include <doctest/doctest.h>

#include <cmath>

#include "analysis/summary.h"
#include "result_file.h"
#include "sim/error.h"

TEST_CASE("the summary of a file: counts add up and every interval holds its estimate within its range") {
  const auto p = test::result_params();
  const auto file = test::write_result_file(p, "berdaya-summary");
  const auto s = analysis::summarize(file);
  CHECK(s.scenario == "small");
  CHECK(s.replicates == 8);
  CHECK(s.months == 36);
  CHECK(s.failed_runs == 0);
  CHECK(s.replicates_used == 8);
  CHECK(s.groups_funded == 8 * 12);
  CHECK(s.failures <= s.groups_funded);
  double shares = 0;
  for (const auto& [cause, share] : s.failure_causes) shares += share;
  if (s.failures > 0) CHECK(shares == doctest::Approx(1.0));
  for (std::size_t q = 0; q < analysis::QUANTITY_COUNT; ++q) {
    const auto& e = s.estimate[q];
    const auto& info = analysis::quantity_info(q);
    if (!e.estimable || !std::isfinite(e.mean) || std::isnan(e.lo) || std::isnan(e.hi)) continue;
    CHECK_MESSAGE(e.lo <= e.mean + 1e-12, info.key);
    CHECK_MESSAGE(e.mean <= e.hi + 1e-12, info.key);
    if (info.range == analysis::Range::share) {
      CHECK_MESSAGE(e.lo >= 0.0, info.key);
      CHECK_MESSAGE(e.hi <= 1.0, info.key);
    }
    if (info.range == analysis::Range::nonnegative) CHECK_MESSAGE(e.lo >= 0.0, info.key);
  }
  // 96 groups followed 12 months: survival at 12 months is estimable; at 60 it is not.
  CHECK(s[analysis::ACTIVE_12].estimable);
  CHECK_FALSE(s[analysis::ACTIVE_60].estimable);
  CHECK(analysis::to_text(s).find("small") != std::string::npos);
  const std::string json = analysis::to_json(s);
  CHECK(json.front() == '{');
  CHECK(json.find("\"scenario\": \"small\"") != std::string::npos);
  CHECK(analysis::describe_file(file).find("small") != std::string::npos);
  std::filesystem::remove(file);
}

TEST_CASE("summarize refuses a case the file does not hold") {
  const auto p = test::result_params();
  const auto file = test::write_result_file(p, "berdaya-summary-case");
  CHECK_THROWS_WITH_AS(analysis::summarize(file, 3), doctest::Contains("no case 3"), sim::InputError);
  std::filesystem::remove(file);
}
