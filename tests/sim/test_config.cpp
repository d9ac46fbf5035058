#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "sim/config.h"
#include "sim/error.h"

namespace {
const std::vector<sim::ParamSpec> TABLE = {
    {"household.shock_prob", sim::Kind::Real, 0.02, 0, 1, {}, "1/month", "d", "s"},
    {"run.months", sim::Kind::Integer, 72LL, 1, 600, {}, "months", "d", "s"},
    {"business.payout_rule",
     sim::Kind::Choice,
     std::string("contributors"),
     0,
     0,
     {"contributors", "all"},
     "-",
     "d",
     "s"},
    {"program.enabled", sim::Kind::Boolean, true, 0, 1, {}, "-", "d", "s"},
};

std::filesystem::path write(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "berdaya-tests-config";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

std::string error_of(const std::string& text) {
  try {
    sim::load_scenario(write("bad.toml", text), TABLE);
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("extends merges a base with the differences of a derived file") {
  write("base.toml", "name = \"base\"\n[household]\nshock_prob = 0.05\n[run]\nmonths = 24\n");
  const auto r = sim::load_scenario(write("derived.toml", "extends = \"base.toml\"\n[run]\nmonths = 36\n"), TABLE);
  CHECK(r.name == "derived");  // the base's name does not leak
  CHECK(std::get<double>(r.get(TABLE, "household.shock_prob")) == doctest::Approx(0.05));
  CHECK(std::get<long long>(r.get(TABLE, "run.months")) == 36);
  CHECK(std::get<std::string>(r.get(TABLE, "business.payout_rule")) == "contributors");
  CHECK(r.files.size() == 2);
  const std::string text = sim::resolved_toml(r, TABLE);
  CHECK(text.find("months = 36") != std::string::npos);
  CHECK(text.find("shock_prob = 0.05") != std::string::npos);
}

TEST_CASE("bad values are reported with place, value, range and a fix") {
  const auto unknown = error_of("[household]\nshock_prb = 0.1\n");
  CHECK(unknown.find("bad.toml:2") != std::string::npos);
  CHECK(unknown.find("household.shock_prob") != std::string::npos);
  const auto range = error_of("[household]\n\nshock_prob = 1.5\n");
  CHECK(range.find("bad.toml:3") != std::string::npos);
  CHECK(range.find("1.5") != std::string::npos);
  CHECK(range.find("[0, 1]") != std::string::npos);
  CHECK(error_of("[run]\nmonths = 12.5\n").find("whole number") != std::string::npos);
  CHECK(error_of("[run]\nmonths = \"12\"\n").find("got a string") != std::string::npos);
  CHECK(error_of("[business]\npayout_rule = \"nobody\"\n").find("\"contributors\", \"all\"") != std::string::npos);
  CHECK(error_of("[run\nmonths = 1\n").find("malformed TOML") != std::string::npos);
  CHECK(error_of("months = 3\n").find("Did you mean 'run.months'") != std::string::npos);
  // An integer is accepted for a real parameter.
  CHECK(error_of("[household]\nshock_prob = 0\n").empty());
}

TEST_CASE("extends cycles and missing bases are errors") {
  write("a.toml", "extends = \"b.toml\"\n");
  write("b.toml", "extends = \"a.toml\"\n");
  std::string msg;
  try {
    sim::load_scenario(std::filesystem::temp_directory_path() / "berdaya-tests-config" / "a.toml", TABLE);
  } catch (const sim::InputError& e) {
    msg = e.what();
  }
  CHECK(msg.find("cycle") != std::string::npos);
  CHECK(error_of("extends = \"nowhere.toml\"\n").find("not found") != std::string::npos);
}

TEST_CASE("nearest suggests close names only") {
  CHECK(sim::nearest("shock_prb", {"household.shock_prob", "run.months"}) == "household.shock_prob");
  CHECK(sim::nearest("zzzzzzzzzzzzzz", {"run.months"}).empty());
}
