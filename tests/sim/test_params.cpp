#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "sim/config.h"
#include "sim/error.h"
#include "sim/params.h"

namespace {
using sim::Kind;
using sim::Value;

const std::vector<sim::ParamSpec> TABLE = {
    {"a.rate", Kind::Real, Value(0.5), 0, 1, {}, "1/month", "d", "s"},
    {"a.count", Kind::Integer, Value(3LL), 1, 10, {}, "groups", "d", "s"},
    {"b.flag", Kind::Boolean, Value(true), 0, 1, {}, "-", "d", "s"},
    {"b.rule", Kind::Choice, Value(std::string("x")), 0, 0, {"x", "y"}, "-", "d", "s"},
    {"c.note", Kind::Text, Value(std::string("")), 0, 0, {}, "-", "d", "s"},
    {"c.file", Kind::Text, Value(std::string("")), 0, 0, {}, "path", "d", "s"},
};

std::string error_of(const sim::ParamSpec& spec, const Value& v) {
  try {
    sim::check_value(spec, v, "f.toml:2:3");
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("check_value accepts valid values in canonical form") {
  CHECK(std::get<double>(sim::check_value(TABLE[0], Value(1LL), "")) == 1.0);     // an integer for a real
  CHECK(std::get<double>(sim::check_value(TABLE[0], Value(0.0), "")) == 0.0);     // bounds are inclusive
  CHECK(std::get<long long>(sim::check_value(TABLE[1], Value(10.0), "")) == 10);  // a whole real for an integer
  CHECK(std::get<bool>(sim::check_value(TABLE[2], Value(false), "")) == false);
  CHECK(std::get<std::string>(sim::check_value(TABLE[3], Value(std::string("y")), "")) == "y");
  CHECK(std::get<std::string>(sim::check_value(TABLE[4], Value(std::string("é ok")), "")) == "é ok");
}

TEST_CASE("check_value refuses with the place, the value, the range and a fix") {
  auto msg = error_of(TABLE[0], Value(1.5));
  CHECK(msg == "f.toml:2:3: a.rate = 1.5 is out of range [0, 1] (1/month). Use a value in that range.");
  CHECK(error_of(TABLE[0], Value(std::numeric_limits<double>::quiet_NaN())).find("out of range") != std::string::npos);
  CHECK(error_of(TABLE[0], Value(std::string("0.5"))).find("must be a number, got a string (\"0.5\")") !=
        std::string::npos);
  CHECK(error_of(TABLE[1], Value(2.5)).find("must be a whole number") != std::string::npos);
  CHECK(error_of(TABLE[1], Value(11LL)).find("= 11 is out of range [1, 10]") != std::string::npos);
  CHECK(error_of(TABLE[2], Value(1LL)).find("must be true or false") != std::string::npos);
  CHECK(error_of(TABLE[3], Value(std::string("z"))) ==
        "f.toml:2:3: b.rule = \"z\" is not a valid choice. Use one of \"x\", \"y\".");
  CHECK(error_of(TABLE[3], Value(1.0)).find("must be one of \"x\", \"y\"") != std::string::npos);
  CHECK(error_of(TABLE[4], Value(std::string("a\tb"))).find("control character") != std::string::npos);
  CHECK(error_of(TABLE[4], Value(std::string(5000, 'x'))).find("longer than 4,096") != std::string::npos);
  // A long wrong value is not echoed whole.
  CHECK(error_of(TABLE[0], Value(std::string(1000, 'q'))).size() < 300);
}

TEST_CASE("format_number writes whole numbers without a point and others exactly") {
  CHECK(sim::format_number(3) == "3");
  CHECK(sim::format_number(-20) == "-20");
  CHECK(sim::format_number(0.1) == "0.1");
  CHECK(std::stod(sim::format_number(1.0 / 3)) == 1.0 / 3);
  CHECK(sim::format_number(1e20) == "1e+20");
  CHECK(sim::format_value(Value(true)) == "true");
  CHECK(sim::format_value(Value(7LL)) == "7");
  CHECK(sim::format_value(Value(std::string("s"))) == "s");
  CHECK(sim::kind_name(Kind::Choice) == "choice");
  CHECK(sim::kind_name(Kind::Real) == "number");
}

TEST_CASE("a resolved scenario gives set values over defaults, and an unknown name is a bug") {
  sim::Resolved r;
  sim::set_from_command_line(r, TABLE, "a.count", Value(4LL), "--count");
  CHECK(std::get<long long>(r.get(TABLE, "a.count")) == 4);
  CHECK(std::get<double>(r.get(TABLE, "a.rate")) == 0.5);
  CHECK(r.settings.at("a.count").file == "command line");
  CHECK_THROWS_AS(r.get(TABLE, "a.none"), std::logic_error);
  CHECK(sim::find_spec(TABLE, "b.rule") == &TABLE[3]);
  CHECK(sim::find_spec(TABLE, "b") == nullptr);
  // A flag is named in the message; any other origin by what it is.
  CHECK_THROWS_WITH(sim::set_from_command_line(r, TABLE, "a.count", Value(0LL), "--count"),
                    doctest::Contains("command line option --count: a.count = 0 is out of range"));
  CHECK_THROWS_WITH(sim::set_from_command_line(r, TABLE, "a.count", Value(0LL), "sweep.toml (point 3)"),
                    doctest::Contains("sweep.toml (point 3): a.count"));
  sim::set_from_command_line(r, TABLE, "a.rate", Value(0.25), "sweep.toml (point 3)");
  CHECK(r.settings.at("a.rate").file == "sweep.toml (point 3)");
}

TEST_CASE("the resolved TOML holds every parameter and reads back to the same values") {
  sim::Resolved r;
  r.name = "kota-batu.v2";
  r.description = "says \"why\" \\ and how";
  sim::set_from_command_line(r, TABLE, "a.rate", Value(1LL), "--rate");  // stored as the real 1
  sim::set_from_command_line(r, TABLE, "b.rule", Value(std::string("y")), "--rule");
  sim::set_from_command_line(r, TABLE, "c.note", Value(std::string("a \"note\" \\ é")), "--note");
  const std::string text = sim::resolved_toml(r, TABLE);
  for (const auto& s : TABLE) CHECK(text.find(s.name.substr(s.name.find('.') + 1) + " = ") != std::string::npos);
  const auto back = sim::load_scenario_text(text, "resolved.toml", std::filesystem::temp_directory_path(), TABLE);
  CHECK(back.name == r.name);
  CHECK(back.description == r.description);
  for (const auto& s : TABLE)
    CHECK(sim::format_value(back.get(TABLE, s.name)) == sim::format_value(r.get(TABLE, s.name)));
  CHECK(std::holds_alternative<double>(back.get(TABLE, "a.rate")));
}

TEST_CASE("a path set in a file is stored resolved against that file") {
  sim::Resolved r;
  r.settings["c.file"] = sim::Setting{Value(std::string("../data/v.csv")), "/srv/scen/a.toml", 3, 1};
  const std::string text = sim::resolved_toml(r, TABLE);
  CHECK(text.find("file = \"/srv/data/v.csv\"") != std::string::npos);
  // From the command line it is kept as given.
  sim::set_from_command_line(r, TABLE, "c.file", Value(std::string("rel.csv")), "--file");
  CHECK(sim::resolved_toml(r, TABLE).find("file = \"rel.csv\"") != std::string::npos);
}
