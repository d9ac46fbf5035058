// analysis/generic.cpp: the summary any model's file gets, on a small KUBE run file.
#include <doctest/doctest.h>

#include <cmath>

#include "analysis/generic.h"
#include "analysis/result_file.h"
#include "analysis/results.h"

TEST_CASE("the generic summary averages each series' last month over replicates, inside its interval") {
  const auto p = test::result_params();
  const auto file = test::write_result_file(p, "generic");
  const auto s = analysis::generic_summary(file);
  const analysis::ResultFile f(file);
  CHECK(s.kind == "run");
  CHECK(s.cases == f.cases());
  CHECK(s.replicates_used == 8);
  for (const auto& g : s.series) CHECK(g.difference.empty());  // not a comparison
  bool saw_members = false;
  for (const auto& g : s.series) {
    CHECK(g.name != "month");
    CHECK(g.name != "replicate");
    const auto m = f.matrix("series", g.name, 0);
    double sum = 0;
    for (std::size_t r = 0; r < m.rows; ++r) sum += m.at(r, m.cols - 1);
    const auto& e = g.last.at(0);
    CHECK(e.mean == doctest::Approx(sum / static_cast<double>(m.rows)));
    CHECK(e.n == 8);
    CHECK(e.lo <= e.mean);
    CHECK(e.mean <= e.hi);
    if (g.name == "members") saw_members = true;
  }
  CHECK(saw_members);
  const std::string text = analysis::to_text(s);
  CHECK(text.find("simulation (Monte Carlo) precision") != std::string::npos);
  CHECK(analysis::to_json(s).find("\"series\": [{\"name\": ") != std::string::npos);
  CHECK(analysis::generic_summary(file, sim::SummaryFormat::Markdown).empty());
  const std::string page = analysis::generic_report_html(file);
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<h2>members") != std::string::npos);
  std::filesystem::remove(file);
}
