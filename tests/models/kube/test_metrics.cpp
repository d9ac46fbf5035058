#include <doctest/doctest.h>
#include <udunits2.h>

#include <fstream>
#include <sstream>

#include "helpers.h"
#include "models/kube/metrics.h"
#include "models/kube/population.h"
#include "sim/experiment.h"
#include "sim/h5.h"
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
  const auto out = sim::execute(
      plan, [&](std::size_t, std::size_t rep) { return kube::run(p, seed, rep); }, path, eo);
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
      if (!g.open(name).is_text()) out[std::string(grp) + "/" + name] = g.open(name).read_f64();
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
  for (const auto& entry : one) CHECK_MESSAGE(test::same_bits(entry.second, two.at(entry.first)), entry.first);
  p.run_seed += 1;
  const auto other = read_all(run_and_write(p, 2, "berdaya-t3.h5"));
  CHECK_FALSE(test::same_bits(other.at("series/income_pool"), one.at("series/income_pool")));
}

TEST_CASE("a large run gives identical datasets on 1, 2 and 3 threads within it and in replicate pools") {
  // 1,200 villages of 118 households: 141,600 households in blocks of at least 16,384, so
  // the households' loops run on several threads within one run (sim/parallel.h); 240
  // groups and 24 mentors, whose visits go in two shares of 16 mentors or fewer.
  auto p = test::scenario("jawa-timur",
                          "[run]\nreplicates = 1\nmonths = 30\n[population]\nvillages = 1200\n"
                          "[program]\ngroups_per_cohort = 60\n");
  kube::World w(p, 1, 0);
  kube::build_villages(w);
  REQUIRE(kube::block_count(w) >= 2);
  // One run: all the threads go to it.
  const auto one = read_all(run_and_write(p, 1, "berdaya-w1.h5"));
  for (unsigned threads : {2u, 3u}) {
    CAPTURE(threads);
    const auto other = read_all(run_and_write(p, threads, "berdaya-w" + std::to_string(threads) + ".h5"));
    REQUIRE(one.size() == other.size());
    for (const auto& entry : one) CHECK_MESSAGE(test::same_bits(entry.second, other.at(entry.first)), entry.first);
  }
  // Two replicates on 1 thread, and on 3 and 4 (two workers, one or two threads each).
  p.run_replicates = 2;
  const auto pool1 = read_all(run_and_write(p, 1, "berdaya-p1.h5"));
  for (unsigned threads : {3u, 4u}) {
    CAPTURE(threads);
    const auto other = read_all(run_and_write(p, threads, "berdaya-p" + std::to_string(threads) + ".h5"));
    for (const auto& entry : pool1) CHECK_MESSAGE(test::same_bits(entry.second, other.at(entry.first)), entry.first);
  }
  // The lone replicate is the first of the two.
  CHECK(one.at("series/income_pool").size() * 2 == pool1.at("series/income_pool").size());
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
  CHECK(root.open_group("series").open("groups_active").attr_string("units") == "1");
  CHECK(root.open_group("series").open("capital").attr_string("units") == "IDR");
  // A code column carries labels and no unit.
  CHECK_FALSE(root.open_group("groups").open("cause").has_attr("units"));
  CHECK(root.open_group("groups").open("cause").has_attr("labels"));
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
    CHECK(s.series[kube::M_COST_GRANTS + static_cast<std::size_t>(c)].name ==
          std::string("cost_") + kube::cost_name(c));
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

TEST_CASE("every unit of the output schema is a UDUNITS-2 unit") {
  ut_set_error_message_handler(ut_ignore);
  ut_system* sys = ut_read_xml(nullptr);
  REQUIRE_MESSAGE(sys != nullptr, "libudunits2 could not read its unit database (UDUNITS2_XML_PATH)");
  ut_unit* second = ut_parse(sys, "s", UT_ASCII);
  REQUIRE(second != nullptr);
  ut_unit* one = ut_get_dimensionless_unit_one(sys);
  // The one unit UDUNITS does not define is the currency (ISO 4217 IDR): read as a plain
  // number, so "IDR month-1" must still parse as a rate per month.
  auto parse = [&](std::string u) {
    for (auto at = u.find("IDR"); at != std::string::npos; at = u.find("IDR", at + 1)) u.replace(at, 3, "1");
    return ut_parse(sys, u.c_str(), UT_ASCII);
  };
  // A string that is not a unit must fail, or the check below would prove nothing.
  CHECK(parse("groups") == nullptr);
  CHECK(parse("Rp/household/month") == nullptr);
  const auto& s = kube::output_schema();
  int checked = 0;
  for (const auto* part : {&s.series, &s.yearly, &s.table})
    for (const auto& c : *part) {
      if (!c.labels.empty()) {
        CHECK_MESSAGE(c.unit.empty(), (c.name + ": a code column has no unit, its labels say what it holds"));
        continue;
      }
      REQUIRE_MESSAGE(!c.unit.empty(), (c.name + ": no unit"));
      ut_unit* u = parse(c.unit);
      CHECK_MESSAGE(u != nullptr, (c.name + ": '" + c.unit + "' is not a UDUNITS-2 unit"));
      if (u != nullptr) {
        // Months are time; a mean income is money per month; everything else is a count, a
        // share or money (dimensionless to UDUNITS). ut_are_convertible also accepts a
        // reciprocal, so each is tested as a product that must come out dimensionless.
        const bool time = c.unit == "month", rate = c.unit.find("month-1") != std::string::npos;
        ut_unit* scaled = time ? ut_divide(u, second) : rate ? ut_multiply(u, second) : ut_clone(u);
        CHECK_MESSAGE(ut_are_convertible(scaled, one) != 0, (c.name + ": '" + c.unit + "'"));
        if (!time && !rate)
          CHECK_MESSAGE(ut_are_convertible(u, second) == 0, (c.name + ": '" + c.unit + "' is a time"));
        ut_free(scaled);
        ++checked;
      }
      ut_free(u);
    }
  CHECK(checked > 60);
  ut_free(second);
  ut_free(one);
  ut_free_system(sys);
}

TEST_CASE("columns where -1 stands for missing say so") {
  const auto& s = kube::output_schema();
  CHECK(s.table[kube::G_FUNDED_MONTH].missing == -1.0);
  CHECK(s.table[kube::G_FAILED_MONTH].missing == -1.0);
  CHECK(s.yearly[kube::Y_REPORT_ON_TIME].missing == -1.0);
  CHECK(s.table[kube::G_MENTOR].missing == -1.0);
  CHECK_FALSE(s.table[kube::G_FORMED_MONTH].missing.has_value());  // every group is formed
  // A missing value is declared on integer columns only: in real columns NaN is missing.
  for (const auto* part : {&s.series, &s.yearly, &s.table})
    for (const auto& c : *part)
      if (c.missing) CHECK_MESSAGE(c.integer, c.name);
}
