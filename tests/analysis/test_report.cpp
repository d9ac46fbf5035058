#include <doctest/doctest.h>
#include <set>

#include <cmath>
#include <limits>
#include <string>

#include "analysis/report_text.h"
#include "analysis/svg.h"
#include "sim/error.h"

using namespace analysis;

TEST_CASE("numbers are written the way each language writes them") {
  CHECK(number(1234567.891, 2, Lang::id) == "1.234.567,89");
  CHECK(number(1234567.891, 2, Lang::en) == "1,234,567.89");
  CHECK(number(-0.004, 2, Lang::en) == "0.00");  // no "-0.00"
  CHECK(number(-1500, 0, Lang::id) == "-1.500");
  CHECK(number(std::numeric_limits<double>::quiet_NaN(), 1, Lang::id) == "t/a");  // tidak ada
  CHECK(number(std::numeric_limits<double>::quiet_NaN(), 1, Lang::en) == "n/a");
  CHECK(percent(0.4521, 1, Lang::id) == "45,2%");
  CHECK(percent(0.4521, 1, Lang::en) == "45.2%");
}

TEST_CASE("rupiah in short words: juta and miliar, million and billion") {
  CHECK(rupiah_short(1'200'000, std::nan(""), Lang::id) == "1,20 jt");
  CHECK(rupiah_short(1'200'000, std::nan(""), Lang::en) == "1.20 M");
  CHECK(rupiah_short(3'500'000'000, std::nan(""), Lang::id) == "3,50 M");
  CHECK(rupiah_short(3'500'000'000, std::nan(""), Lang::en) == "3.50 bn");
  CHECK(rupiah_short(0, 500'000, Lang::id) == "0");
  // Ticks: as many digits as the step needs, the same for every tick.
  CHECK(rupiah_short(-7'500, 2'500, Lang::en) == "-7.5 k");
  CHECK(rupiah_short(-10'000, 2'500, Lang::en) == "-10.0 k");
  // An estimate and its interval in the words of the largest of them.
  CHECK(rupiah_short(400, std::nan(""), Lang::en, 1'040) == "0.40 k");
}

TEST_CASE("nice ticks cover the range in steps of 1, 2, 2.5 or 5 times a power of ten") {
  const auto t = svg::nice_ticks(0.03, 0.87);
  REQUIRE(t.size() >= 2);
  CHECK(t.front() <= 0.03);
  CHECK(t.back() >= 0.87);
  const double step = t[1] - t[0];
  CHECK(step == doctest::Approx(0.2));
  CHECK(svg::decimals_for(0.25) == 2);
  CHECK(svg::decimals_for(12) == 0);
}

TEST_CASE("markup is escaped") { CHECK(svg::escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;"); }

TEST_CASE("every text of the report has both languages") {
  for (const auto& key : text_keys()) {
    CAPTURE(key);
    CHECK(!text(Lang::id, key).empty());
    CHECK(!text(Lang::en, key).empty());
  }
  CHECK_THROWS_AS(language("fr"), sim::InputError);
  CHECK(language("id") == Lang::id);
  CHECK(fill("{1} of {2}, {1}", {"a", "b"}) == "a of b, a");
}

TEST_CASE("every text of the report is translated, not copied") {
  // Words that are the same in both languages: units, names of methods, loan words.
  const std::set<std::string> same = {"unit.share",           "unit.rp",
                                      "unit.Rp/Rp",           "axis.rp",
                                      "prov.format",          "cal.row.model",
                                      "cal.gen.ess",          "cal.col.parameter",
                                      "cal.col.prior",        "oat.col.parameter",
                                      "cal.col.target",       "cal.series.posterior",
                                      "cal.series.prior",     "cal.prior.beta_args",
                                      "cal.series.predicted", "post.chart.median",
                                      "sweep.design.lhs"};
  for (const auto& key : text_keys()) {
    CAPTURE(key);
    if (!same.count(key)) CHECK(text(Lang::id, key) != text(Lang::en, key));
  }
}

TEST_CASE("a chart with no values says so and still has its frame") {
  svg::LineChart c;
  c.id = "empty";
  c.title = "Nothing";
  c.empty_note = "n/a: nothing";
  c.series.push_back({"s", {1, 2}, {std::nan(""), std::nan("")}, {}, {}, 0, false});
  const std::string s = svg::render(c);
  CHECK(s.find("n/a: nothing") != std::string::npos);
  CHECK(s.find("data-chart=\"empty\"") != std::string::npos);
  CHECK(s.find("NaN") == std::string::npos);
  CHECK(s.find("nan") == std::string::npos);
}

TEST_CASE("a weighted scatter draws one mark a finite point, the heaviest the largest, and lists every point") {
  svg::ScatterChart c;
  c.id = "pair";
  c.title = "a and b";
  c.x.label = "a";
  c.y.label = "b";
  c.xs = {0.1, 0.2, std::numeric_limits<double>::quiet_NaN(), 0.4};
  c.ys = {1, 2, 3, 4};
  c.weight = {0.1, 0.4, 0.2, 0.3};
  c.label = "particle";
  c.weight_label = "weight";
  const std::string svg_text = svg::render(c);
  std::size_t marks = 0;
  for (auto p = svg_text.find("<circle"); p != std::string::npos; p = svg_text.find("<circle", p + 1)) ++marks;
  CHECK(marks == 3 + 1);                                   // three points and the legend's marker
  CHECK(svg_text.find("r=\"6.0\"") != std::string::npos);  // the heaviest point
  CHECK(svg_text.find("r=\"3.0\"") != std::string::npos);  // a quarter of its weight: half the radius
  const std::string table = svg::data_table(c, {"series", "lower", "upper", {}});
  std::size_t rows = 0;
  for (auto p = table.find("<tr>"); p != std::string::npos; p = table.find("<tr>", p + 1)) ++rows;
  CHECK(rows == 1 + 4);  // the head and every point, the missing one too
}
