#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "sim/error.h"
#include "sim/sweep.h"

namespace {
using sim::Kind;
using sim::Value;

const std::vector<sim::ParamSpec> TABLE = {
    {"run.months", Kind::Integer, Value(72LL), 1, 600, {}, "months", "", ""},
    {"a.rate", Kind::Real, Value(0.5), 0, 1, {}, "-", "", ""},
    {"a.count", Kind::Integer, Value(3LL), 1, 10, {}, "-", "", ""},
    {"b.rule", Kind::Choice, Value(std::string("x")), 0, 0, {"x", "y", "z"}, "-", "", ""},
};

sim::Factor range(const std::string& name, double low, double high, int levels = 0, bool log = false) {
  sim::Factor f;
  f.name = name;
  f.low = low;
  f.high = high;
  f.levels = levels;
  f.log = log;
  return f;
}

sim::Sweep sweep(const std::string& design, std::vector<sim::Factor> factors) {
  sim::Sweep s;
  s.name = "s";
  s.file = "s.toml";
  s.design = design;
  s.samples = 8;
  s.trajectories = 3;
  s.levels = 4;
  s.design_seed = 17;
  s.base.name = "base";
  s.factors = std::move(factors);
  return s;
}
}  // namespace

TEST_CASE("a grid crosses every factor's levels and lists' values, mapped onto their ranges") {
  sim::Factor rule;
  rule.name = "b.rule";
  rule.values = {Value(std::string("x")), Value(std::string("z"))};
  const auto s = sweep("grid", {range("a.rate", 0.2, 0.8, 3), range("a.count", 1, 10, 4), rule});
  const auto t = sim::expand(s, TABLE);
  CHECK(t.kind == "grid");
  CHECK(t.factors == std::vector<std::string>{"a.rate", "a.count", "b.rule"});
  CHECK(t.scale == std::vector<std::string>{"linear", "linear", "values"});
  const std::size_t points = t.values.size() / 3;
  CHECK(points == 3 * 4 * 2);
  CHECK(t.settings.at("points") == 24);
  std::set<double> rates, counts;
  for (std::size_t p = 0; p < points; ++p) {
    rates.insert(t.values[p * 3]);
    counts.insert(t.values[p * 3 + 1]);
    CHECK(std::isnan(t.values[p * 3 + 2]));  // a choice has no number: its index is in the unit column
  }
  CHECK(rates == std::set<double>{0.2, 0.5, 0.8});
  CHECK(counts == std::set<double>{1, 4, 7, 10});  // integers rounded
  // Each point's scenario carries its values.
  std::set<std::string> rules;
  for (std::size_t p = 0; p < points; ++p) {
    const auto r = sim::point_scenario(s, t, p, TABLE);
    CHECK(r.name == "s/" + std::to_string(p));
    CHECK(std::get<double>(r.get(TABLE, "a.rate")) == doctest::Approx(t.values[p * 3]));
    CHECK(static_cast<double>(std::get<long long>(r.get(TABLE, "a.count"))) == t.values[p * 3 + 1]);
    rules.insert(std::get<std::string>(r.get(TABLE, "b.rule")));
  }
  CHECK(rules == std::set<std::string>{"x", "z"});
}

TEST_CASE("a log factor is spread evenly in the log of its range") {
  const auto s = sweep("grid", {range("a.rate", 0.001, 0.1, 3, true)});
  const auto t = sim::expand(s, TABLE);
  REQUIRE(t.values.size() == 3);
  CHECK(t.scale[0] == "log");
  CHECK(t.values[0] == doctest::Approx(0.001));
  CHECK(t.values[1] == doctest::Approx(0.01));
  CHECK(t.values[2] == doctest::Approx(0.1));
}

TEST_CASE("LHS, Saltelli and Morris points stay within the factors' ranges, with their settings") {
  const std::vector<sim::Factor> f = {range("a.rate", 0.1, 0.3), range("a.count", 2, 6)};
  for (const std::string design : {"lhs", "saltelli", "morris"}) {
    const auto t = sim::expand(sweep(design, f), TABLE);
    const std::size_t points = t.values.size() / 2;
    CHECK(t.settings.at("points") == static_cast<long long>(points));
    if (design == "lhs") CHECK(points == 8);
    if (design == "saltelli") CHECK(points == 8 * (2 + 2));
    if (design == "morris") CHECK(points == 3 * (2 + 1));
    CHECK(t.unit.size() == t.values.size());
    for (std::size_t p = 0; p < points; ++p) {
      CHECK(t.values[p * 2] >= 0.1 - 1e-12);
      CHECK(t.values[p * 2] <= 0.3 + 1e-12);
      CHECK(t.values[p * 2 + 1] == std::round(t.values[p * 2 + 1]));
      CHECK(t.values[p * 2 + 1] >= 2);
      CHECK(t.values[p * 2 + 1] <= 6);
    }
    CHECK((design == "saltelli") == (t.settings.count("design_seed") == 0));
  }
}

TEST_CASE("a design that cannot be built is an input error naming the sweep file") {
  // Morris needs an even number of levels, at least 2.
  auto s = sweep("morris", {range("a.rate", 0.1, 0.3)});
  s.levels = 1;
  CHECK_THROWS_WITH_AS(sim::expand(s, TABLE), doctest::Contains("s.toml: the morris design cannot be built"),
                       sim::InputError);
}
