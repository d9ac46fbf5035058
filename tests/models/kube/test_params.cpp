#include <doctest/doctest.h>

#include <set>
#include <stdexcept>
#include <variant>

#include "helpers.h"
#include "models/kube/params.h"
#include "sim/error.h"

namespace {
// The message make_params gives for a scenario with these extra lines, or "".
std::string error_of(const std::string& extra) {
  try {
    test::scenario("kota-batu", extra);
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("the parameter table: unique names grouped by section, defaults valid") {
  const auto& t = kube::param_table();
  REQUIRE(t.size() > 100);
  std::set<std::string> names, sections_done;
  std::string section;
  for (const auto& s : t) {
    CHECK(names.insert(s.name).second);
    const auto dot = s.name.find('.');
    REQUIRE(dot != std::string::npos);
    const std::string sec = s.name.substr(0, dot);
    if (sec != section) {
      // Each section comes in one block, as docs/parameters.md and resolved files list them.
      CHECK(sections_done.insert(sec).second);
      section = sec;
    }
    // The default passes the same check as any value from a file.
    CHECK_NOTHROW(sim::check_value(s, s.default_value, "default"));
    if (s.kind == sim::Kind::Choice) CHECK(s.options.size() >= 2);
  }
}

TEST_CASE("values set in a scenario reach the parameters; others keep the defaults") {
  const auto p =
      test::scenario("kota-batu", "[program]\ngroup_size = 7\nenabled = false\n[household]\nshock_prob = 0.05\n");
  CHECK(p.program_group_size == 7);
  CHECK_FALSE(p.program_enabled);
  CHECK(p.household_shock_prob == 0.05);
  // From kota-batu.toml itself.
  CHECK(p.population_households_per_village == 150);
  CHECK(p.run_seed == 20240101);
  // A default.
  const auto* spec = sim::find_spec(kube::param_table(), "business.monthly_return");
  REQUIRE(spec != nullptr);
  CHECK(p.business_monthly_return == std::get<double>(spec->default_value));
}

TEST_CASE("a village file resolves against the scenario file that names it") {
  const auto p = test::scenario("kota-batu");
  CHECK(p.population_village_file == "../data/kota-batu-villages.csv");
  CHECK(std::filesystem::exists(p.base_dir / p.population_village_file));
  CHECK(std::filesystem::equivalent(p.base_dir, test::source_dir() / "scenarios"));
}

TEST_CASE("relations between parameters are refused at the place that set them, with the fix") {
  // Lines 1 and 2 of the derived file are extends and name: the extra text starts at line 3.
  auto msg = error_of("[household]\nshock_cost_min = 3\nshock_cost_max = 2\n");
  CHECK(msg.find(":5:") != std::string::npos);
  CHECK(msg.find("household.shock_cost_min (3) is above household.shock_cost_max (2)") != std::string::npos);
  CHECK(msg.find("Make min <= max") != std::string::npos);

  msg = error_of("[business]\niks_share = 0.5\nreinvest_share = 0.6\n");
  CHECK(msg.find("exceeds 1") != std::string::npos);
  CHECK(msg.find(":5:") != std::string::npos);

  msg = error_of("[business]\nmix_livestock = 0\nmix_food = 0\nmix_trade = 0\nmix_services = 0\nmix_crafts = 0\n");
  CHECK(msg.find("all business.mix_* weights are 0") != std::string::npos);

  msg = error_of("[program]\ngroup_size = 5\n[status]\nmin_contributors = 6\n");
  CHECK(msg.find("status.min_contributors exceeds program.group_size") != std::string::npos);

  msg = error_of("[mentors]\nquality_min = 0.9\nquality_max = 0.5\n");
  CHECK(msg.find("mentors.quality_min is above mentors.quality_max") != std::string::npos);

  msg = error_of("[business]\nloss_min = 0.9\nloss_max = 0.3\n");
  CHECK(msg.find("business.loss_min is above business.loss_max") != std::string::npos);

  // A synthetic population too large for the model's indices.
  msg = error_of("[population]\nvillage_file = \"\"\nvillages = 1000000\nhouseholds_per_village = 100000\n");
  CHECK(msg.find("households") != std::string::npos);
  CHECK(msg.find("Lower population.villages") != std::string::npos);

  CHECK(error_of("[household]\nshock_cost_min = 2\nshock_cost_max = 2\n").empty());
}

TEST_CASE("the parameters page lists every parameter under its section") {
  const std::string md = kube::parameters_markdown();
  for (const auto& s : kube::param_table()) {
    const auto dot = s.name.find('.');
    CHECK(md.find("## [" + s.name.substr(0, dot) + "]") != std::string::npos);
    CHECK(md.find("| `" + s.name.substr(dot + 1) + "` | " + sim::kind_name(s.kind) + " |") != std::string::npos);
  }
}

TEST_CASE("choice parameters are resolved once into the enums the mechanisms read") {
  // Every option the table offers maps to its own enum value, and the defaults agree.
  for (const auto& spec : kube::param_table()) {
    if (spec.name == "business.payout_rule") {
      REQUIRE(spec.options.size() == 2);
      CHECK(kube::parse_payout_rule(spec.options[0]) != kube::parse_payout_rule(spec.options[1]));
    } else if (spec.name == "training.who") {
      REQUIRE(spec.options.size() == 2);
      CHECK(kube::parse_trainees(spec.options[0]) != kube::parse_trainees(spec.options[1]));
    }
  }
  const kube::Params defaults;
  CHECK(kube::parse_payout_rule(defaults.business_payout_rule) == defaults.payout_rule);
  CHECK(kube::parse_trainees(defaults.training_who) == defaults.trainees);
  CHECK_THROWS_AS(kube::parse_payout_rule("nobody"), std::invalid_argument);
  const auto p = test::scenario("kota-batu", "[business]\npayout_rule = \"all\"\n[training]\nwho = \"officers\"\n");
  CHECK(p.payout_rule == kube::PayoutRule::All);
  CHECK(p.trainees == kube::Trainees::Officers);
  const auto q = test::scenario("kota-batu");
  CHECK(q.payout_rule == kube::PayoutRule::Contributors);
  CHECK(q.trainees == kube::Trainees::All);
}
