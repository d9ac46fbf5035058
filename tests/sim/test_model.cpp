// sim/model.cpp: the registry of program models and how a scenario finds its model.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "sim/error.h"
#include "sim/model.h"

namespace fs = std::filesystem;

namespace {

using sim::Kind;
using sim::Value;

const std::vector<sim::ParamSpec>& table() {
  static const std::vector<sim::ParamSpec> t = {
      {"run.months", Kind::Integer, Value(12LL), 1, 600, {}, "month", "", ""},
      {"run.replicates", Kind::Integer, Value(3LL), 1, 100000, {}, "1", "", ""},
      {"run.seed", Kind::Integer, Value(5LL), 0, 1e15, {}, "1", "", ""},
      {"x.level", Kind::Real, Value(0.5), 0, 1, {}, "1", "", ""},
  };
  return t;
}

struct Level final : sim::Instance {
  double level;
  explicit Level(double l) : level(l) {}
  sim::RunRecord run(std::uint64_t, std::uint64_t) const override { return {}; }
};

sim::Model model(const std::string& name) {
  sim::Model m;
  m.name = name;
  m.title = "registry test";
  m.parameters = table;
  m.schema = []() -> const sim::Schema& {
    static const sim::Schema s;
    return s;
  };
  m.instantiate = [](const sim::Resolved& r, const fs::path&) -> std::unique_ptr<const sim::Instance> {
    return std::make_unique<Level>(std::get<double>(r.get(table(), "x.level")));
  };
  return m;
}

void register_once() {
  static const bool done = [] {
    sim::register_model(model("regtest"));
    sim::register_model(model("regtest2"));
    return true;
  }();
  static_cast<void>(done);
}

fs::path write(const std::string& name, const std::string& text) {
  const auto d = fs::temp_directory_path() / ("berdaya-model-" + std::to_string(::getpid()));
  fs::create_directories(d);
  std::ofstream(d / name) << text;
  return d / name;
}

}  // namespace

TEST_CASE("register_model refuses a model that breaks the contract") {
  register_once();
  CHECK_THROWS_AS(sim::register_model(model("regtest")), std::logic_error);  // the name is taken
  CHECK_THROWS_AS(sim::register_model(model("Not A Word")), std::logic_error);
  sim::Model no_run = model("norun");
  no_run.parameters = []() -> const std::vector<sim::ParamSpec>& {
    static const std::vector<sim::ParamSpec> t = {{"x.level", Kind::Real, Value(0.5), 0, 1, {}, "1", "", ""}};
    return t;
  };
  CHECK_THROWS_WITH_AS(sim::register_model(no_run), doctest::Contains("run.months"), std::logic_error);
  sim::Model no_schema = model("noschema");
  no_schema.schema = nullptr;
  CHECK_THROWS_AS(sim::register_model(no_schema), std::logic_error);
  for (const auto* m : sim::models()) CHECK(m->name != "norun");
}

TEST_CASE("find_model names the registered models and the nearest one") {
  register_once();
  CHECK(&sim::find_model("regtest", "here") == &sim::find_model("regtest", "there"));
  CHECK_THROWS_WITH_AS(sim::find_model("regtset", "file.toml"),
                       doctest::Contains("file.toml: model = \"regtset\" is not a model"), sim::InputError);
  CHECK_THROWS_WITH_AS(sim::find_model("regtset", "f"), doctest::Contains("Did you mean 'regtest'?"), sim::InputError);
}

TEST_CASE("a scenario belongs to the model it or its base names") {
  register_once();
  const auto base = write("base.toml", "name = \"base\"\nmodel = \"regtest2\"\n[x]\nlevel = 0.25\n");
  const auto derived = write("derived.toml", "extends = \"base.toml\"\nname = \"derived\"\n");
  CHECK(sim::peek_model(base) == "regtest2");
  CHECK(sim::peek_model(derived) == "regtest2");
  const auto ms = sim::load_model_scenario(derived);
  CHECK(ms.model->name == "regtest2");
  CHECK(ms.resolved.model == "regtest2");
  CHECK(std::get<double>(ms.resolved.get(table(), "x.level")) == 0.25);
  CHECK(sim::run_months(ms.resolved, *ms.model) == 12);
  CHECK(sim::run_replicates(ms.resolved, *ms.model) == 3);
  CHECK(sim::run_seed(ms.resolved, *ms.model) == 5);
  // The stored scenario names its model, so the file reruns under the same one.
  CHECK(sim::resolved_toml(ms.resolved, table()).find("model = \"regtest2\"") != std::string::npos);
}

TEST_CASE("an extends chain across models, and a model key of the wrong type, are refused with the place") {
  register_once();
  write("other.toml", "name = \"other\"\nmodel = \"regtest\"\n");
  const auto clash = write("clash.toml", "extends = \"other.toml\"\nname = \"clash\"\nmodel = \"regtest2\"\n");
  CHECK_THROWS_WITH_AS(sim::load_model_scenario(clash), doctest::Contains("extends only scenarios of its own model"),
                       sim::InputError);
  const auto typed = write("typed.toml", "name = \"typed\"\nmodel = 3\n");
  CHECK(sim::peek_model(typed).empty());  // left to the loader, which names the place
  CHECK_THROWS_WITH_AS(sim::load_model_scenario(typed), doctest::Contains("typed.toml:2:1: model must be a string"),
                       sim::InputError);
  // Unreadable files are left to the loader too.
  CHECK(sim::peek_model(fs::temp_directory_path() / "berdaya-no-such-file.toml").empty());
}
