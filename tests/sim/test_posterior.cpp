// sim/posterior.h: a draw's values over a scenario's, the checks of a calibration against
// the comparison's model, and the seeds.
#include <doctest/doctest.h>

#include "sim/error.h"
#include "sim/posterior.h"

using sim::Kind;
using sim::Value;

namespace {

const std::vector<sim::ParamSpec> TABLE = {
    {"run.seed", Kind::Integer, 1LL, 0, 9007199254740991.0, {}, "1", "seed", "assumption"},
    {"a.rate", Kind::Real, 0.5, 0, 1, {}, "1", "a rate", "assumption"},
    {"a.count", Kind::Integer, 3LL, 1, 10, {}, "1", "a count", "assumption"},
    {"b.rule", Kind::Choice, std::string("x"), 0, 0, {"x", "y"}, "", "a rule", "assumption"},
};

sim::PosteriorDraws draws(std::vector<std::string> names, std::vector<double> values) {
  sim::PosteriorDraws p;
  p.file = "cal.h5";
  p.model = "m";
  p.parameters = std::move(names);
  p.values = std::move(values);
  p.particle.assign(p.values.size() / p.parameters.size(), 0);
  return p;
}

}  // namespace

TEST_CASE("a draw sets the calibrated parameters only, an integer rounded") {
  sim::Resolved r;
  r.name = "s";
  sim::set_from_command_line(r, TABLE, "a.rate", Value(0.9), "s.toml");
  sim::set_from_command_line(r, TABLE, "b.rule", Value(std::string("y")), "s.toml");
  const auto p = draws({"a.count"}, {2.6, 7.4});
  const sim::Resolved d1 = sim::at_draw(r, TABLE, p, 1);
  CHECK(std::get<long long>(d1.get(TABLE, "a.count")) == 7);
  CHECK(std::get<double>(d1.get(TABLE, "a.rate")) == 0.9);  // the scenario's own
  CHECK(std::get<std::string>(d1.get(TABLE, "b.rule")) == "y");
  CHECK(std::get<long long>(sim::at_draw(r, TABLE, p, 0).get(TABLE, "a.count")) == 3);
  CHECK(d1.settings.at("a.count").file == "cal.h5 (posterior draw 1)");
}

TEST_CASE("a calibration of another model, or of parameters the model lacks, is refused with the place") {
  CHECK_NOTHROW(sim::check_posterior(draws({"a.rate", "a.count"}, {0.1, 2}), "m", TABLE, "cmp.toml:9:13"));
  CHECK_THROWS_WITH_AS(sim::check_posterior(draws({"a.rate"}, {0.1}), "other", TABLE, "cmp.toml:9:13"),
                       doctest::Contains("cmp.toml:9:13: 'cal.h5' calibrates model \"m\""), sim::InputError);
  CHECK_THROWS_WITH_AS(sim::check_posterior(draws({"a.none"}, {0.1}), "m", TABLE, "--posterior"),
                       doctest::Contains("--posterior: 'cal.h5' calibrates parameter 'a.none'"), sim::InputError);
  CHECK_THROWS_AS(sim::check_posterior(draws({"run.seed"}, {1}), "m", TABLE, "x"), sim::InputError);
  CHECK_THROWS_AS(sim::check_posterior(draws({"b.rule"}, {1}), "m", TABLE, "x"), sim::InputError);
}

TEST_CASE("a missing calibration file and draws out of range name the place") {
  CHECK_THROWS_WITH_AS(sim::draw_posterior("no/such/cal.h5", 5, 1, "cmp.toml:3:13"),
                       doctest::Contains("cmp.toml:3:13: calibration file 'no/such/cal.h5' not found"),
                       sim::InputError);
}

TEST_CASE("draw seeds: fixed, distinct per draw and comparison seed, within run.seed's range") {
  CHECK(sim::draw_run_seed(7, 0) == sim::draw_run_seed(7, 0));
  CHECK(sim::draw_run_seed(7, 0) != sim::draw_run_seed(7, 1));
  CHECK(sim::draw_run_seed(7, 0) != sim::draw_run_seed(8, 0));
  for (std::size_t d = 0; d < 100; ++d) CHECK(sim::draw_run_seed(20240101, d) < (1ULL << 53));
  CHECK(sim::draw_seed(7) != sim::draw_seed(8));
}
