#include <doctest/doctest.h>

#include <string>

#include "sim/error.h"

TEST_CASE("located writes file:line:column: what, leaving out what is not known") {
  CHECK(sim::located("a.toml", 3, 7, "bad value") == "a.toml:3:7: bad value");
  CHECK(sim::located("a.toml", 3, 0, "bad value") == "a.toml:3: bad value");
  CHECK(sim::located("a.toml", 0, 5, "bad value") == "a.toml: bad value");
  CHECK(sim::located("a.toml", 2, 1, "") == "a.toml:2:1: ");
}

TEST_CASE("nearest finds a close name, by the whole or the last component, and nothing far") {
  const std::vector<std::string> valid = {"household.shock_prob", "household.savings_rate", "run.months"};
  CHECK(sim::nearest("household.shock_pro", valid) == "household.shock_prob");
  CHECK(sim::nearest("shock_prob", valid) == "household.shock_prob");
  CHECK(sim::nearest("savings_rat", valid) == "household.savings_rate");
  CHECK(sim::nearest("run.month", valid) == "run.months");
  CHECK(sim::nearest("zzzzzzzzzzzzzzzzzz", valid).empty());
  CHECK(sim::nearest("x", {}).empty());
  // Too long to be a misspelling: no suggestion at all.
  CHECK(sim::nearest(std::string(65, 'r') + "un.months", valid).empty());
}

TEST_CASE("shorten keeps short text and cuts long text on a character boundary, giving the length") {
  CHECK(sim::shorten("short", 80) == "short");
  const std::string exact(80, 'a');
  CHECK(sim::shorten(exact, 80) == exact);
  const std::string s = sim::shorten(std::string(200, 'b'), 10);
  CHECK(s == std::string(10, 'b') + "... (200 bytes)");
  // "é" is two bytes: a cut inside it moves back before it.
  const std::string accents = "aaaa\xc3\xa9\xc3\xa9\xc3\xa9";
  const std::string cut = sim::shorten(accents, 5);
  CHECK(cut == "aaaa... (10 bytes)");
}

TEST_CASE("errors carry their message and the exit codes are distinct") {
  const sim::InputError in("input");
  const sim::OutputError out("output");
  CHECK(std::string(in.what()) == "input");
  CHECK(std::string(out.what()) == "output");
  CHECK(sim::EXIT_BAD_INPUT == 2);
  CHECK(sim::EXIT_OUTPUT_FAILED == 4);
}
