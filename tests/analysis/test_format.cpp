#include <doctest/doctest.h>

#include <limits>

#include "analysis/format.h"

namespace {
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double INF = std::numeric_limits<double>::infinity();

analysis::Estimate est(double mean, double lo, double hi, int n = 20) {
  analysis::Estimate e;
  e.mean = mean;
  e.lo = lo;
  e.hi = hi;
  e.n = n;
  return e;
}
}  // namespace

using namespace analysis::format;

TEST_CASE("numbers print with their format, and n/a when not finite") {
  CHECK(number(0.12345, "%.2f") == "0.12");
  CHECK(number(NaN, "%.2f") == "n/a");
  CHECK(number(-INF, "%.2f") == "n/a");
  CHECK(end(INF, "%.1f") == "unbounded");
  CHECK(end(-INF, "%.1f") == "unbounded");
  CHECK(end(2.24, "%.1f") == "2.2");
  CHECK(end(NaN, "%.1f") == "n/a");
}

TEST_CASE("whole numbers are grouped by thousands, with a sign when asked") {
  CHECK(grouped(89831064, false) == "89,831,064");
  CHECK(grouped(89831064, true) == "+89,831,064");
  CHECK(grouped(-1234.4, true) == "-1,234");
  CHECK(grouped(999, false) == "999");
  CHECK(grouped(1000, false) == "1,000");
  CHECK(grouped(0, true) == "+0");
  CHECK(grouped(-0.2, false) == "0");  // rounds to zero: no minus sign
  CHECK(grouped(NaN, false) == "n/a");
}

TEST_CASE("an estimate cell in each unit, and the cases said in words") {
  CHECK(estimate_cell(est(0.25, 0.2, 0.3), "%", false) == "25.0 [20.0, 30.0]");
  CHECK(estimate_cell(est(0.0123, -0.01, 0.03), "pp", false) == "+1.23 [-1.00, +3.00]");
  CHECK(estimate_cell(est(1234567, 1000000, 1500000), "Rp", true) == "+1,234,567 [+1,000,000, +1,500,000]");
  CHECK(estimate_cell(est(1.234, 1.1, 1.3), "Rp/Rp", false) == "1.23 [1.10, 1.30]");
  CHECK(estimate_cell(est(2, 1, 3), "groups", false) == "+2.00 [+1.00, +3.00]");
  CHECK(estimate_cell(est(2, 1, 3), "months", true) == "+2.0 [+1.0, +3.0]");
  CHECK(estimate_cell(est(2, 1, INF), "Rp", false) == "2 [1, unbounded]");
  CHECK(estimate_cell(est(0.5, NaN, NaN, 1), "%", false) == "50.0 (one replicate)");
  CHECK(estimate_cell(est(NaN, NaN, NaN), "%", false) == "n/a");
  auto e = est(0.4, 0.3, 0.5);
  e.estimable = false;
  e.at_risk = 7;
  CHECK(estimate_cell(e, "%", false) == "not estimable (7 at risk)");
  CHECK(not_estimable(e) == "not estimable (7 at risk)");
  e.at_risk = NaN;
  CHECK(not_estimable(e) == "not estimable (0 at risk)");
  CHECK(not_estimable(est(1, 0, 2)).empty());
}

TEST_CASE("JSON numbers, strings and estimates are valid JSON") {
  CHECK(json_number(0.1234567) == "0.123457");
  CHECK(json_number(NaN) == "null");
  CHECK(json_number(INF) == "null");
  CHECK(json_string("a \"b\" \\ c\nd\te") == "\"a \\\"b\\\" \\\\ c\\nd e\"");
  CHECK(json_estimate(est(0.5, 0.4, 0.6, 30)) == "{\"mean\": 0.5, \"lo\": 0.4, \"hi\": 0.6, \"n\": 30}");
  CHECK(json_estimate(est(2, 1, INF, 30)) ==
        "{\"mean\": 2, \"lo\": 1, \"hi\": null, \"n\": 30, \"hi_unbounded\": true}");
  auto s = est(0.5, 0.4, 0.6, 30);
  s.at_risk = 120;
  s.reachable = 200;
  CHECK(json_estimate(s) ==
        "{\"mean\": 0.5, \"lo\": 0.4, \"hi\": 0.6, \"n\": 30, \"at_risk\": 120, \"reachable\": 200}");
  s.estimable = false;
  CHECK(json_estimate(s) == "{\"estimable\": false, \"at_risk\": 120, \"reachable\": 200}");
}
