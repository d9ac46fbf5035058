#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/error.h"
#include "sim/experiment_file.h"
#include "sim/model.h"

namespace fs = std::filesystem;

namespace {
using sim::Kind;
using sim::Value;

const std::vector<sim::ParamSpec> TABLE = {
    {"run.months", Kind::Integer, Value(72LL), 1, 600, {}, "months", "", ""},
    {"run.replicates", Kind::Integer, Value(100LL), 1, 100000, {}, "runs", "", ""},
    {"run.seed", Kind::Integer, Value(1LL), 0, 9007199254740991.0, {}, "-", "", ""},
    {"a.rate", Kind::Real, Value(0.5), 0, 1, {}, "-", "", ""},
    {"a.count", Kind::Integer, Value(3LL), 1, 10, {}, "-", "", ""},
    {"b.rule", Kind::Choice, Value(std::string("x")), 0, 0, {"x", "y"}, "-", "", ""},
};

// Two test models on TABLE: one whose comparisons need a counterfactual, one whose do not.
struct NoRun final : sim::Instance {
  sim::RunRecord run(std::uint64_t, std::uint64_t) const override { return {}; }
};
void register_models() {
  static const bool done = [] {
    for (const char* name : {"abtest", "abfree"}) {
      sim::Model m;
      m.name = name;
      m.title = "experiment-file test";
      m.parameters = []() -> const std::vector<sim::ParamSpec>& { return TABLE; };
      m.schema = []() -> const sim::Schema& {
        static const sim::Schema s;
        return s;
      };
      m.instantiate = [](const sim::Resolved&, const fs::path&) -> std::unique_ptr<const sim::Instance> {
        return std::make_unique<NoRun>();
      };
      m.needs_counterfactual = std::string(name) == "abtest";
      sim::register_model(std::move(m));
    }
    return true;
  }();
  static_cast<void>(done);
}

fs::path dir() {
  register_models();
  static const fs::path d = [] {
    const auto p = fs::temp_directory_path() / ("berdaya-experiment-file-" + std::to_string(::getpid()));
    fs::create_directories(p / "scen");
    std::ofstream(p / "scen" / "base.toml") << "name = \"base\"\nmodel = \"abtest\"\n[a]\nrate = 0.2\n";
    std::ofstream(p / "scen" / "more.toml") << "extends = \"base.toml\"\nname = \"more\"\n[a]\ncount = 5\n";
    std::ofstream(p / "scen" / "none.toml") << "name = \"none\"\nmodel = \"abtest\"\n[a]\nrate = 0\n";
    std::ofstream(p / "scen" / "dup.toml") << "name = \"base\"\nmodel = \"abtest\"\n";
    std::ofstream(p / "scen" / "free.toml") << "name = \"free\"\nmodel = \"abfree\"\n";
    std::ofstream(p / "scen" / "free2.toml") << "extends = \"free.toml\"\nname = \"free2\"\n[a]\ncount = 4\n";
    return p;
  }();
  return d;
}

fs::path write(const std::string& name, const std::string& text) {
  std::ofstream(dir() / name) << text;
  return dir() / name;
}

const std::string COMPARISON =
    "name = \"levers\"\nscenarios = [\"scen/base.toml\", \"scen/more.toml\", \"scen/none.toml\"]\n"
    "baseline = \"base\"\ncounterfactual = \"none\"\nreplicates = 8\nseed = 42\n";
const std::string SWEEP =
    "scenario = \"scen/base.toml\"\ndesign = \"lhs\"\nsamples = 10\nreplicates = 4\nseed = 9\n"
    "[[factor]]\nname = \"a.rate\"\nlow = 0.1\nhigh = 0.9\n"
    "[[factor]]\nname = \"a.count\"\nlow = 1\nhigh = 10\n";

std::string comparison_error(const std::string& text) {
  try {
    sim::load_comparison(write("bad-comparison.toml", text));
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}
std::string sweep_error(const std::string& text) {
  try {
    sim::load_sweep(write("bad-sweep.toml", text));
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a comparison lists its scenarios in order, with the baseline and the counterfactual") {
  const auto file = write("levers.toml", COMPARISON + "months = 24\ndescription = \"three\"\n");
  const auto c = sim::load_comparison(file);
  CHECK(c.name == "levers");
  CHECK(c.description == "three");
  REQUIRE(c.scenarios.size() == 3);
  CHECK(c.scenarios[1].name == "more");
  CHECK(std::get<long long>(c.scenarios[1].get(TABLE, "a.count")) == 5);
  CHECK(std::get<double>(c.scenarios[1].get(TABLE, "a.rate")) == 0.2);  // from the base it extends
  CHECK(c.scenario_files[2] == dir() / "scen/none.toml");
  CHECK(c.baseline == 0);
  CHECK(c.counterfactual == 2);
  CHECK(c.run.replicates == 8);
  CHECK(c.run.seed == 42);
  CHECK(c.run.months == 24);
  CHECK(c.text.find("baseline = \"base\"") != std::string::npos);
  // The run settings go to every scenario.
  auto r = c.scenarios[0];
  sim::apply_run_settings(r, c.run, TABLE, c.file);
  CHECK(std::get<long long>(r.get(TABLE, "run.replicates")) == 8);
  CHECK(std::get<long long>(r.get(TABLE, "run.months")) == 24);
  // Without months the scenario keeps its own.
  const auto d = sim::load_comparison(write("no-months.toml", COMPARISON));
  auto q = d.scenarios[0];
  sim::apply_run_settings(q, d.run, TABLE, d.file);
  CHECK(std::get<long long>(q.get(TABLE, "run.months")) == 72);
  CHECK(d.name == "levers");
  CHECK(sim::load_comparison(write("unnamed.toml", COMPARISON.substr(COMPARISON.find('\n') + 1))).name ==
        "unnamed");
}

TEST_CASE("bad comparison files are refused with the place and the fix") {
  CHECK(comparison_error(COMPARISON + "replicate = 3\n")
            .find("unknown key 'replicate' in a comparison file. Did you "
                  "mean 'replicates'?") != std::string::npos);
  CHECK(comparison_error(COMPARISON + "[oops\n").find("malformed TOML") != std::string::npos);
  CHECK(comparison_error("scenarios = []\nbaseline = \"a\"\ncounterfactual = \"b\"\nreplicates = 1\nseed = 1\n")
            .find("'scenarios' must list the scenario files") != std::string::npos);
  auto msg = comparison_error(
      "scenarios = [\"scen/base.toml\", \"scen/gone.toml\"]\nbaseline = \"base\"\n"
      "counterfactual = \"base\"\nreplicates = 1\nseed = 1\n");
  CHECK(msg.find("bad-comparison.toml:1:") != std::string::npos);
  CHECK(msg.find("scenario file 'scen/gone.toml' not found") != std::string::npos);
  CHECK(comparison_error("scenarios = [\"scen/base.toml\", \"scen/dup.toml\"]\nbaseline = \"base\"\n"
                         "counterfactual = \"base\"\nreplicates = 1\nseed = 1\n")
            .find("two scenarios are named 'base'") != std::string::npos);
  msg = comparison_error(
      "scenarios = [\"scen/base.toml\"]\nbaseline = \"other\"\ncounterfactual = \"base\"\n"
      "replicates = 1\nseed = 1\n");
  CHECK(msg.find("bad-comparison.toml:2:") != std::string::npos);
  CHECK(msg.find("baseline = \"other\" is not one of the scenarios (base)") != std::string::npos);
  CHECK(comparison_error("scenarios = [\"scen/base.toml\"]\nbaseline = \"base\"\nreplicates = 1\nseed = 1\n")
            .find("'counterfactual' is missing") != std::string::npos);
  CHECK(comparison_error("scenarios = [\"scen/base.toml\"]\nbaseline = \"base\"\ncounterfactual = \"base\"\nseed = 1\n")
            .find("'replicates' is missing") != std::string::npos);
  CHECK(comparison_error("scenarios = [\"scen/base.toml\"]\nbaseline = \"base\"\ncounterfactual = \"base\"\n"
                         "replicates = 0\nseed = 1\n")
            .find("replicates = 0 is out of range [1, 100000]") != std::string::npos);
  CHECK(comparison_error("scenarios = [\"scen/base.toml\"]\nbaseline = \"base\"\ncounterfactual = \"base\"\n"
                         "replicates = 2\nseed = 1\nmonths = \"36\"\n")
            .find("months must be a whole number") != std::string::npos);
  CHECK_THROWS_WITH_AS(sim::load_comparison(dir() / "absent.toml"),
                       doctest::Contains("comparison file not found"), sim::InputError);
}

TEST_CASE("a sweep reads its base scenario, design and factors") {
  const auto s = sim::load_sweep(write("sweep.toml", SWEEP));
  CHECK(s.name == "sweep");
  CHECK(s.design == "lhs");
  CHECK(s.samples == 10);
  CHECK(s.design_seed == 9);  // the run seed unless set
  CHECK(s.levels == 4);
  CHECK(s.base.name == "base");
  REQUIRE(s.factors.size() == 2);
  CHECK(s.factors[0].name == "a.rate");
  CHECK(s.factors[0].low == 0.1);
  CHECK(s.factors[0].high == 0.9);
  CHECK_FALSE(s.factors[0].log);
  const auto grid = sim::load_sweep(write("grid.toml",
                                          "scenario = \"scen/base.toml\"\ndesign = \"grid\"\nreplicates = 2\n"
                                          "seed = 1\ndesign_seed = 5\n[[factor]]\nname = \"b.rule\"\n"
                                          "values = [\"x\", \"y\"]\n[[factor]]\nname = \"a.rate\"\n"
                                          "low = 0.01\nhigh = 1\nscale = \"log\"\nlevels = 3\n"));
  CHECK(grid.design_seed == 5);
  REQUIRE(grid.factors.size() == 2);
  CHECK(grid.factors[0].values.size() == 2);
  CHECK(grid.factors[1].log);
  CHECK(grid.factors[1].levels == 3);
}

TEST_CASE("bad sweep files are refused with the place and the fix") {
  const std::string head = "scenario = \"scen/base.toml\"\nreplicates = 2\nseed = 1\n";
  const std::string rate = "[[factor]]\nname = \"a.rate\"\nlow = 0.1\nhigh = 0.9\n";
  CHECK(sweep_error(head + "design = \"sobol\"\n" + rate).find("design = \"sobol\" is not known") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\n" + rate).find("needs samples = N") != std::string::npos);
  CHECK(sweep_error(head + "design = \"morris\"\n" + rate).find("needs trajectories = r") != std::string::npos);
  CHECK(
      sweep_error(head + "design = \"morris\"\ntrajectories = 2\nlevels = 3\n" + rate).find("even number of levels") !=
      std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n").find("no factors") != std::string::npos);
  auto msg = sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"a.rat\"\nlow = 0\nhigh = 1\n");
  CHECK(msg.find("bad-sweep.toml:7:") != std::string::npos);
  CHECK(msg.find("unknown parameter 'a.rat'. Did you mean 'a.rate'?") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"run.months\"\nlow = 1\nhigh = 9\n")
            .find("cannot be swept") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n" + rate + rate).find("listed twice") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"a.rate\"\nlow = 0.1\nhigh = 2\n")
            .find("2 is outside the valid range of a.rate [0, 1]") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"a.rate\"\nlow = 0.5\nhigh = 0.5\n")
            .find("low must be below high") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"a.rate\"\nlow = 0\nhigh = 1\n"
                           "scale = \"log\"\n")
            .find("a log scale needs low > 0") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"b.rule\"\nlow = 0\nhigh = 1\n")
            .find("b.rule is a choice; sweep it with design = \"grid\"") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"b.rule\"\nvalues = [\"x\"]\n")
            .find("explicit values only work with design = \"grid\"") != std::string::npos);
  CHECK(sweep_error(head + "design = \"grid\"\n[[factor]]\nname = \"b.rule\"\nvalues = [\"z\"]\n")
            .find("\"z\" is not a valid choice") != std::string::npos);
  CHECK(sweep_error(head + "design = \"grid\"\n" + rate).find("levels = n") != std::string::npos);
  CHECK(sweep_error("scenario = \"scen/gone.toml\"\nreplicates = 2\nseed = 1\ndesign = \"grid\"\n" + rate)
            .find("scenario file 'scen/gone.toml' not found") != std::string::npos);
  CHECK(sweep_error(head + "design = \"lhs\"\nsamples = 4\n[[factor]]\nname = \"a.rate\"\nlow = 0.1\nhigh = 0.9\n"
                           "step = 2\n")
            .find("unknown key 'step' in a [[factor]]") != std::string::npos);
}

TEST_CASE("the counterfactual is required only where the scenarios' model needs one; models are not mixed") {
  const auto c = sim::load_comparison(
      write("free.toml", "scenarios = [\"scen/free.toml\", \"scen/free2.toml\"]\nbaseline = \"free\"\nreplicates = 2\nseed = 1\n"));
  CHECK(c.model->name == "abfree");
  CHECK_FALSE(c.counterfactual.has_value());
  CHECK(std::get<long long>(c.scenarios[1].get(TABLE, "a.count")) == 4);
  CHECK(comparison_error("scenarios = [\"scen/base.toml\", \"scen/free.toml\"]\nbaseline = \"base\"\ncounterfactual = "
                         "\"base\"\nreplicates = 1\nseed = 1\n")
            .find("compares scenarios of one model") != std::string::npos);
}
