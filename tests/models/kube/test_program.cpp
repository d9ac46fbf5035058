// models/kube/program.cpp: KUBE as the engine sees it, through sim::Model only.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>

#include "analysis/result_file.h"
#include "helpers.h"
#include "models/kube/params.h"
#include "models/kube/program.h"
#include "sim/error.h"
#include "sim/model.h"

TEST_CASE("KUBE registers once, with the engine's run settings and its own parts") {
  kube::register_program();
  kube::register_program();  // a second call does nothing
  const sim::Model& m = sim::find_model("kube", "test");
  CHECK(m.needs_counterfactual);
  for (const char* name : {"run.months", "run.replicates", "run.seed"})
    CHECK(sim::find_spec(m.parameters(), name) != nullptr);
  CHECK(m.schema().table_name == "groups");
  CHECK(m.summarize);
  CHECK(m.report);
  CHECK(m.serve);
  CHECK(m.parameters_markdown() == kube::parameters_markdown());
}

TEST_CASE("a KUBE instance runs like kube::run, names its village file and reads its labels") {
  kube::register_program();
  const sim::Model& m = sim::find_model("kube", "test");
  const auto dir = test::source_dir() / "scenarios";
  const auto ms = sim::load_model_scenario(dir / "kota-batu.toml");
  REQUIRE(ms.model == &m);
  const auto instance = m.instantiate(ms.resolved, dir);
  const auto p = kube::make_params(ms.resolved, dir);
  // The same numbers as the model's own run, at a short horizon.
  auto short_run = ms.resolved;
  sim::set_from_command_line(short_run, m.parameters(), "run.months", 12LL, "test");
  const auto a = m.instantiate(short_run, dir)->run(7, 1);
  const auto b = kube::run(kube::make_params(short_run, dir), 7, 1);
  // Bit for bit: undefined values are NaN in both.
  auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0;
  };
  CHECK(same(a.series, b.series));
  CHECK(same(a.yearly, b.yearly));
  REQUIRE(a.table.size() == b.table.size());
  for (std::size_t c = 0; c < a.table.size(); ++c) CHECK(same(a.table[c], b.table[c]));
  const auto files = instance->data_files();
  REQUIRE(files.size() == 1);
  CHECK(files[0] == p.base_dir / p.population_village_file);
  const auto labels = instance->labels();
  CHECK(labels.at("causes").front() == "none");
  CHECK(!labels.at("villages").empty());
  // A relation between parameters is an InputError through the interface as well.
  auto broken = ms.resolved;
  sim::set_from_command_line(broken, m.parameters(), "population.village_file", std::string("absent.csv"), "test");
  CHECK_THROWS_AS(static_cast<void>(m.instantiate(broken, dir)->labels()), sim::InputError);
}

TEST_CASE("the KUBE summary of a run file in every format it offers") {
  kube::register_program();
  const sim::Model& m = sim::find_model("kube", "test");
  const auto file = test::write_result_file(test::result_params(), "program");
  CHECK(m.summarize(file, sim::SummaryFormat::Text).find("small") != std::string::npos);
  CHECK(m.summarize(file, sim::SummaryFormat::Json).front() == '{');
  CHECK(m.summarize(file, sim::SummaryFormat::Markdown).empty());  // only sensitivity files have a table
  std::filesystem::remove(file);
}
