#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/sweep.h"

namespace {

using sim::Kind;
using sim::ParamSpec;
using sim::Value;

// A model the engine knows nothing about: every kind of parameter, and a relation.
std::vector<ParamSpec> table() {
  return {
      {"run.months", Kind::Integer, Value(12LL), 1, 600, {}, "months", "", ""},
      {"a.rate", Kind::Real, Value(0.4), 0, 1, {}, "", "", ""},
      {"a.top", Kind::Real, Value(0.9), 0, 1, {}, "", "", ""},    // +25% clamps to 1
      {"a.zero", Kind::Real, Value(0.0), -2, 2, {}, "", "", ""},  // moves by 25% of the range
      {"a.negative", Kind::Real, Value(-4.0), -20, 20, {}, "", "", ""},
      {"b.count", Kind::Integer, Value(10LL), 1, 100, {}, "", "", ""},  // 12.5 -> 13; 7.5 -> 8 breaks the relation
      {"b.one", Kind::Integer, Value(1LL), 0, 100, {}, "", "", ""},     // both sides round back
      {"b.low", Kind::Integer, Value(6LL), 0, 12, {}, "", "", ""},      // 4.5 -> 5; 7.5 -> 8 breaks low <= count - 3
      {"c.flag", Kind::Boolean, Value(true), 0, 1, {}, "", "", ""},
      {"c.pick", Kind::Choice, Value(std::string("b")), 0, 0, {"a", "b", "c"}, "", "", ""},
      {"c.file", Kind::Text, Value(std::string("")), 0, 0, {}, "path", "", ""},
  };
}

double num(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<long long>(&v)) return static_cast<double>(*i);
  return std::nan("");
}

}  // namespace

TEST_CASE("a one-at-a-time screen moves each parameter alone, within its range") {
  const auto t = table();
  sim::Resolved ref;
  ref.name = "ref";
  const auto check = [&](const sim::Resolved& r) {
    if (num(r.get(t, "b.low")) > num(r.get(t, "b.count")) - 3) throw sim::InputError("b.low must stay 3 below b.count");
  };
  const sim::OatScreen s = sim::oat_screen(ref, t, 0.25, check);
  const auto& d = s.design;
  CHECK(d.kind == "oat");
  // Points: the reference, then per parameter in table order.
  struct Want {
    std::string name, text;
    int direction;
  };
  const std::vector<Want> want = {{"a.rate", "0.3", -1},   {"a.rate", "0.5", 1},     {"a.top", "0.675", -1},
                                  {"a.top", "1", 1},       {"a.zero", "-1", -1},     {"a.zero", "1", 1},
                                  {"a.negative", "-3", 1}, {"a.negative", "-5", -1}, {"b.count", "13", 1},
                                  {"b.low", "5", -1},      {"c.flag", "false", 0},   {"c.pick", "a", 0},
                                  {"c.pick", "c", 0}};
  REQUIRE(s.points.size() == want.size() + 1);
  REQUIRE(d.block.size() == want.size() + 1);
  CHECK(d.block[0] == -1);
  CHECK(d.point_text[0].empty());
  CHECK(d.factors ==
        std::vector<std::string>{"a.rate", "a.top", "a.zero", "a.negative", "b.count", "b.low", "c.flag", "c.pick"});
  CHECK(d.scale ==
        std::vector<std::string>{"linear", "linear", "linear", "linear", "linear", "linear", "boolean", "choice"});
  const std::size_t K = d.factors.size();
  for (std::size_t p = 1; p < s.points.size(); ++p) {
    const auto& w = want[p - 1];
    CAPTURE(p);
    CAPTURE(w.name);
    const auto j = static_cast<std::size_t>(d.block[p]);
    CHECK(d.factors[j] == w.name);
    CHECK(d.point_text[p] == w.text);
    CHECK(d.group[p] == w.direction);
    CHECK(sim::format_value(s.points[p].get(t, w.name)) == w.text);
    // Nothing else moved: the other columns equal the reference row (NaN for the choice).
    for (std::size_t c = 0; c < K; ++c)
      if (c != j && d.scale[c] != "choice") CHECK(d.values[p * K + c] == d.values[c]);
    for (std::size_t c = 0; c < K; ++c) CHECK((d.unit[p * K + c] >= 0 && d.unit[p * K + c] <= 1));
  }
  CHECK(d.values[0 * K + 2] == 0.0);
  CHECK(d.unit[0 * K + 2] == doctest::Approx(0.5));
  CHECK(d.reference_text == std::vector<std::string>{"0.4", "0.9", "0", "-4", "10", "6", "true", "b"});
  // Integers stay integers in the scenarios.
  CHECK(std::holds_alternative<long long>(s.points[9].get(t, "b.count")));
  // Every omission has its reason.
  std::string all;
  for (const auto& m : d.skipped) all += m + "\n";
  CHECK(all.find("run.months: run settings") != std::string::npos);
  CHECK(all.find("c.file: text (path), not varied") != std::string::npos);
  CHECK(all.find("a.zero") == std::string::npos);
  CHECK(all.find("b.one -25%: 0.75 rounds back to 1") != std::string::npos);
  CHECK(all.find("b.one +25%: 1.25 rounds back to 1") != std::string::npos);
  CHECK(all.find("b.low +25% = 8: the scenario would be invalid: b.low must stay 3 below b.count") !=
        std::string::npos);
  CHECK(all.find("b.count -25% = 8: the scenario would be invalid") != std::string::npos);
  CHECK(d.skipped.size() == 6);
  CHECK(d.settings.at("points") == 14);
  CHECK(d.real_settings.at("fraction") == 0.25);
  CHECK(s.description[4] == "a.top +25%: 0.9 -> 1");
}

TEST_CASE("a one-at-a-time screen needs a fraction in (0, 1]") {
  const auto t = table();
  sim::Resolved ref;
  const auto none = [](const sim::Resolved&) {};
  for (double f : {0.0, -0.1, 1.5, std::nan("")}) CHECK_THROWS_AS(sim::oat_screen(ref, t, f, none), sim::InputError);
  // At 1 the down side is zero: a parameter switched off.
  const auto s = sim::oat_screen(ref, t, 1.0, none);
  CHECK(s.design.point_text[1] == "0");
}
