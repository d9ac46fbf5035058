#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "helpers.h"
#include "models/kube/metrics.h"
#include "sim/h5.h"
#include "sim/experiment.h"
#include "sim/writer.h"

namespace {
// The whole pipeline of 'berdaya run': plan, runner with `threads`, spool, writer.
std::filesystem::path run_and_write(const kube::Params& p, unsigned threads, const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove(sim::spool_path(path));  // left by an interrupted earlier test run
  sim::Plan plan;
  plan.kind = "run";
  plan.case_dim = "scenario";
  plan.cases = {"kota-batu"};
  plan.replicates = static_cast<std::size_t>(p.run_replicates);
  plan.months = static_cast<int>(p.run_months);
  plan.fingerprint = "test/" + std::to_string(p.run_seed);
  sim::ExecOptions eo;
  eo.threads = threads;
  const auto seed = static_cast<std::uint64_t>(p.run_seed);
  const auto out = sim::execute(plan, [&](std::size_t, std::size_t rep) { return kube::run(p, seed, rep); }, path, eo);
  REQUIRE(out.failed == 0);
  REQUIRE(out.ran == plan.tasks());
  sim::Provenance prov;
  prov.engine_version = "test";
  prov.git_commit = "abc123";
  prov.created = sim::utc_now();
  prov.command_line = "berdaya test";
  prov.seed = p.run_seed;
  prov.experiment = prov.scenario = "kota-batu";
  prov.scenario_toml = "name = \"kota-batu\"\n";
  sim::write_results(path, prov, plan, kube::schema(), kube::labels(p), sim::CaseTable{{"d"}, {"t"}}, nullptr);
  return path;
}

// Every dataset of a group, read back as numbers.
std::map<std::string, std::vector<double>> read_all(const std::filesystem::path& file) {
  std::map<std::string, std::vector<double>> out;
  const auto f = sim::h5::File::open(file);
  for (const char* grp : {"series", "yearly", "groups", "runs"}) {
    const auto g = f.root().open_group(grp);
    for (const auto& name : g.children())
      if (name != "message") out[std::string(grp) + "/" + name] = g.open(name).read_f64();
  }
  return out;
}
}  // namespace

TEST_CASE("1 and 2 threads give identical datasets; another seed differs") {
  auto p = test::scenario("kota-batu", "[run]\nreplicates = 6\nmonths = 36\n");
  const auto one = read_all(run_and_write(p, 1, "berdaya-t1.h5"));
  const auto two = read_all(run_and_write(p, 2, "berdaya-t2.h5"));
  CHECK(one.size() > 60);
  REQUIRE(one.size() == two.size());
  for (const auto& [name, values] : one) CHECK_MESSAGE(test::same_bits(values, two.at(name)), name);
  p.run_seed += 1;
  const auto other = read_all(run_and_write(p, 2, "berdaya-t3.h5"));
  CHECK_FALSE(test::same_bits(other.at("series/income_pool"), one.at("series/income_pool")));
}

TEST_CASE("the file root carries its provenance") {
  const auto p = test::scenario("kota-batu", "[run]\nreplicates = 2\nmonths = 12\n");
  const auto path = run_and_write(p, 1, "berdaya-prov.h5");
  const auto f = sim::h5::File::open(path);
  const auto& root = f.root();
  CHECK(root.attr_string("format") == "berdaya-results");
  CHECK(root.attr_string("format_version") == sim::FORMAT_VERSION);
  CHECK(root.attr_string("engine_version") == "test");
  CHECK(root.attr_string("git_commit") == "abc123");
  CHECK(root.attr_string("command_line") == "berdaya test");
  CHECK(root.attr_string("scenario_toml") == "name = \"kota-batu\"\n");
  CHECK(root.attr_string("created").size() == 20);
  CHECK(root.attr_int("seed") == p.run_seed);
  CHECK(root.attr_int("replicates") == 2);
  CHECK(root.attr_string("kind") == "run");
  CHECK(root.open_group("cases").open("name").read_strings() == std::vector<std::string>{"kota-batu"});
  CHECK(root.open_group("series").open("groups_active").attr_string("units") == "groups");
  // No temporary file is left beside it.
  for (const auto& e : std::filesystem::directory_iterator(path.parent_path()))
    CHECK(e.path().filename().string().find("berdaya-prov.h5.") == std::string::npos);
}

TEST_CASE("docs/parameters.md is generated from the parameter table and not stale") {
  std::ifstream in(test::source_dir() / "docs" / "parameters.md");
  std::stringstream buf;
  buf << in.rdbuf();
  CHECK_MESSAGE(buf.str() == kube::parameters_markdown(),
                "docs/parameters.md is stale: regenerate it with 'berdaya params --markdown > docs/parameters.md'");
}

TEST_CASE("every parameter has a unit, a description and a source") {
  for (const auto& s : kube::param_table()) {
    CHECK_MESSAGE(!s.unit.empty(), s.name);
    CHECK_MESSAGE(!s.description.empty(), s.name);
    CHECK_MESSAGE(!s.source.empty(), s.name);
  }
}

TEST_CASE("the schema is generated in the order of the recorder's enums") {
  const auto& s = kube::output_schema();
  REQUIRE(s.series.size() == kube::M_COUNT);
  REQUIRE(s.yearly.size() == kube::Y_COUNT);
  REQUIRE(s.table.size() == kube::G_COUNT);
  CHECK(s.series[kube::M_ACTIVE].name == "groups_active");
  CHECK(s.series[kube::M_INCOME_MEMBERS_CF].name == "income_members_cf");
  CHECK(s.series[kube::M_COST_TOTAL].name == "cost_total");
  CHECK(s.yearly[kube::Y_ACTIVE_SHARE].name == "active_share");
  CHECK(s.yearly[kube::Y_INCOME_PER_RUPIAH].name == "income_per_rupiah");
  CHECK(s.table[kube::G_FAILED_MONTH].name == "failed_month");
  CHECK(s.table[kube::G_MENTOR].name == "mentor");
  for (int c = 1; c <= kube::N_CAUSES; ++c)
    CHECK(s.series[kube::M_FAIL_SPLIT + static_cast<std::size_t>(c - 1)].name ==
          std::string("failures_") + kube::cause_name(static_cast<kube::Cause>(c)));
  for (int c = 0; c < kube::N_COSTS; ++c)
    CHECK(s.series[kube::M_COST_GRANTS + static_cast<std::size_t>(c)].name == std::string("cost_") + kube::cost_name(c));
  CHECK(s.table[kube::G_CAUSE].labels.size() == static_cast<std::size_t>(kube::N_CAUSES + 1));
  CHECK(s.table[kube::G_BUSINESS].labels.size() == static_cast<std::size_t>(kube::N_BUSINESS));
  // Every column of a run's table holds one value per group, at the group's own row.
  const auto p = test::scenario("kota-batu", "[run]\nreplicates = 1\nmonths = 24\n");
  const auto r = kube::run(p, static_cast<std::uint64_t>(p.run_seed), 3);
  REQUIRE(r.table.size() == kube::G_COUNT);
  const auto rows = r.table[kube::G_GROUP].size();
  CHECK(rows > 0);
  for (const auto& col : r.table) CHECK(col.size() == rows);
  for (std::size_t i = 0; i < rows; ++i) {
    CHECK(r.table[kube::G_REPLICATE][i] == 3);
    CHECK(r.table[kube::G_GROUP][i] == static_cast<double>(i));
    CHECK(r.table[kube::G_SIZE_FORMED][i] >= static_cast<double>(p.status_min_members));
  }
}
