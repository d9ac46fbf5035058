// The writer (sim/writer.h) on a tiny schema: a comparison of two cases with two
// replicates, one run failed, written from a spool and read back attribute by attribute
// against docs/output-format.md (format 4): CF names, _FillValue, flags, string coordinates.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "analysis/results.h"
#include "sim/error.h"
#include "sim/experiment.h"
#include "sim/h5.h"
#include "sim/spool.h"
#include "sim/writer.h"

namespace h5 = sim::h5;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

sim::Schema tiny_schema() {
  sim::Schema s;
  s.table_name = "groups";
  s.series = {{"active", "1", "groups active", true, {}, std::nullopt},
              {"income", "Rp", "income of the month", false, {}, std::nullopt},
              {"wait", "month", "months waited, -1 while none waited", false, {}, -1.0}};
  s.yearly = {{"share", "1", "share active at the year's end", false, {}, std::nullopt}};
  s.table = {{"replicate", "1", "replicate index", true, {}, std::nullopt},
             {"business", "1", "business type", true, {"small shop", "farm"}, std::nullopt},
             {"funded_month", "month", "month of funding, -1 if never funded", true, {}, -1.0},
             {"capital", "Rp", "capital at the end", false, {}, std::nullopt}};
  return s;
}

constexpr int MONTHS = 14;  // two simulated years, the second partial

sim::RunRecord record(const sim::Schema& s, double x, std::size_t rows, std::size_t replicate) {
  sim::RunRecord r;
  r.resize(s, MONTHS);
  for (int m = 0; m < MONTHS; ++m) {
    r.at(0, m) = m + x;
    r.at(1, m) = 1000 * x + m;
    r.at(2, m) = m < 3 ? -1 : m - 3;
  }
  r.year_at(0, 0) = x / 10;
  r.year_at(0, 1) = x / 20;
  for (std::size_t i = 0; i < rows; ++i) {
    r.table[0].push_back(static_cast<double>(replicate));
    r.table[1].push_back(static_cast<double>(i % 2));
    r.table[2].push_back(i == 0 ? NaN : static_cast<double>(i + 2));  // undefined: stored as missing
    r.table[3].push_back(x * 100 + static_cast<double>(i));
  }
  return r;
}

struct Written {
  std::filesystem::path path;
  sim::Schema schema;
};

// Two cases x two replicates; task 3 (lever, replicate 1) failed.
Written write_tiny(const std::string& name, const std::string& model) {
  const auto dir = std::filesystem::temp_directory_path() / ("berdaya-writer-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Written w{dir / name, tiny_schema()};
  sim::Plan plan;
  plan.kind = "compare";
  plan.case_dim = "scenario";
  plan.cases = {"base", "lever"};
  plan.replicates = 2;
  plan.months = MONTHS;
  plan.fingerprint = "tiny/" + name;
  {
    auto spool = sim::Spool::create(sim::spool_path(w.path), plan.fingerprint);
    spool.append(0, record(w.schema, 1, 3, 0));
    spool.append(1, record(w.schema, 2, 2, 1));
    spool.append(2, record(w.schema, 3, 1, 0));
    sim::RunRecord failed;
    failed.error = "lever: boom";
    spool.append(3, failed);
  }
  sim::Provenance prov;
  prov.model = model;
  prov.engine_version = "test";
  prov.git_commit = "abc";
  prov.created = sim::utc_now();
  prov.command_line = "berdaya compare tiny.toml";
  prov.seed = 5;
  prov.experiment = "tiny";
  prov.scenario = prov.baseline = "base";
  prov.counterfactual = "lever";
  const sim::Labels labels{{"villages", {"Sumber", "Tlekung", "Oro-oro Ombo"}},
                           {"village_districts", {"Bumiaji", "Junrejo", "Batu"}},
                           {"business_types", {"small shop", "farm"}}};
  const sim::CaseTable cases{{"the baseline", "one lever"}, {"name = \"base\"\n", "name = \"lever\"\n"}};
  sim::write_results(w.path, prov, plan, w.schema, labels, cases, nullptr);
  return w;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("root attributes: CF Conventions, format 4.0 and the program model") {
  const auto w = write_tiny("root.h5", "kube");
  CHECK_FALSE(std::filesystem::exists(sim::spool_path(w.path)));  // the spool goes once the file is complete
  const auto f = h5::File::open(w.path);
  const auto& root = f.root();
  CHECK(root.attr_string("Conventions") == "CF-1.10");
  CHECK(root.attr_string("Conventions") == sim::CONVENTIONS);
  CHECK(root.attr_string("format") == "berdaya-results");
  CHECK(root.attr_string("format_version") == "4.2");
  CHECK(root.attr_string("model") == "kube");
  CHECK(root.attr_string("kind") == "compare");
  CHECK(root.attr_string("case_dimension") == "scenario");
  CHECK(root.attr_int("cases") == 2);
  CHECK(root.attr_int("replicates") == 2);
  CHECK(root.attr_int("months") == MONTHS);
  CHECK(root.attr_int("seed") == 5);
  CHECK(root.attr_string("counterfactual") == "lever");

  const auto unnamed = write_tiny("no-model.h5", "");
  CHECK_FALSE(h5::File::open(unnamed.path).root().has_attr("model"));
}

TEST_CASE("every variable has a long_name and no description attribute; units where numeric") {
  const auto w = write_tiny("names.h5", "kube");
  const auto f = h5::File::open(w.path);
  for (const char* group : {"cases", "series", "yearly", "groups", "runs", "meta"}) {
    const auto g = f.root().open_group(group);
    CHECK_MESSAGE(g.has_attr("description"), group);  // groups keep a description: CF names none for them
    for (const auto& name : g.children()) {
      const auto d = g.open(name);
      CHECK_MESSAGE(d.has_attr("long_name"), d.path());
      CHECK_MESSAGE(!d.attr_string("long_name").empty(), d.path());
      CHECK_MESSAGE(!d.has_attr("description"), d.path());
      if (d.is_text())
        CHECK_MESSAGE(!d.has_attr("units"), d.path());
      else if (std::string(group) != "meta")
        CHECK_MESSAGE(d.has_attr("units"), d.path());
    }
  }
  const auto series = f.root().open_group("series");
  CHECK(series.open("income").attr_string("long_name") == "income of the month");
  CHECK(series.open("income").attr_string("units") == "Rp");
}

TEST_CASE("the case dimension is a string coordinate of the case names in every group that has it") {
  const auto w = write_tiny("coords.h5", "kube");
  const auto f = h5::File::open(w.path);
  for (const char* group : {"cases", "series", "yearly", "runs"}) {
    const auto g = f.root().open_group(group);
    const auto c = g.open("scenario");
    CHECK_MESSAGE(c.is_text(), group);
    CHECK_MESSAGE(c.is_scale(), group);
    CHECK(c.scale_name() == "scenario");
    CHECK(c.read_strings() == std::vector<std::string>{"base", "lever"});
  }
  const auto series = f.root().open_group("series");
  const auto scenario = series.open("scenario"), replicate = series.open("replicate"), month = series.open("month");
  for (const char* name : {"active", "income", "wait"}) {
    const auto d = series.open(name);
    CHECK(d.dims() == std::vector<hsize_t>{2, 2, MONTHS});
    CHECK(d.has_scale(scenario, 0));
    CHECK(d.has_scale(replicate, 1));
    CHECK(d.has_scale(month, 2));
  }
  CHECK(replicate.read_i64() == std::vector<std::int64_t>{0, 1});
  CHECK(month.read_i64().front() == 1);
  CHECK(month.read_i64().back() == MONTHS);
  const auto yearly = f.root().open_group("yearly");
  CHECK(yearly.open("year").read_i64() == std::vector<std::int64_t>{1, 2});
  CHECK(yearly.open("share").has_scale(yearly.open("scenario"), 0));
  const auto runs = f.root().open_group("runs");
  CHECK(runs.open("failed").has_scale(runs.open("scenario"), 0));
  CHECK(runs.open("message").has_scale(runs.open("replicate"), 1));
  const auto cases = f.root().open_group("cases");
  CHECK(cases.open("name").has_scale(cases.open("scenario"), 0));
  CHECK(cases.open("description").read_strings() == std::vector<std::string>{"the baseline", "one lever"});
}

TEST_CASE("_FillValue: every matrix has one in its own type, table columns where the schema names it") {
  const auto w = write_tiny("fill.h5", "kube");
  const auto f = h5::File::open(w.path);
  const auto series = f.root().open_group("series");
  const auto active = series.open("active"), income = series.open("income"), wait = series.open("wait");
  CHECK(active.attr_type("_FillValue") == h5::Type::I32);
  CHECK(active.attr_int("_FillValue") == -1);
  CHECK(active.fill_value() == -1);
  CHECK(income.attr_type("_FillValue") == h5::Type::F64);
  CHECK(std::isnan(income.attr_double("_FillValue")));
  CHECK(wait.attr_type("_FillValue") == h5::Type::F64);
  CHECK(wait.attr_double("_FillValue") == -1);
  CHECK(wait.fill_value() == -1);  // the HDF5 fill value and _FillValue agree, as netCDF-4 wants
  // The failed run (lever, replicate 1) holds the fill value; the others their numbers.
  const auto a = active.read_f64_block({1, 1, 0}, {1, 1, MONTHS});
  for (double v : a) CHECK(v == -1);
  const auto inc = income.read_f64_block({1, 1, 0}, {1, 1, MONTHS});
  for (double v : inc) CHECK(std::isnan(v));
  for (double v : wait.read_f64_block({1, 1, 0}, {1, 1, MONTHS})) CHECK(v == -1);
  CHECK(active.read_f64_block({0, 1, 0}, {1, 1, 2}) == std::vector<double>{2, 3});
  CHECK(income.read_f64_block({1, 0, 13}, {1, 1, 1}) == std::vector<double>{3013});
  // A stored -1 keeps its documented meaning in a successful run: none waited yet.
  CHECK(wait.read_f64_block({0, 0, 0}, {1, 1, 4}) == std::vector<double>{-1, -1, -1, 0});
  CHECK(std::isnan(f.root().open_group("yearly").open("share").read_f64_block({1, 1, 0}, {1, 1, 1})[0]));

  const auto groups = f.root().open_group("groups");
  const auto funded = groups.open("funded_month");
  CHECK(funded.attr_type("_FillValue") == h5::Type::I32);
  CHECK(funded.attr_int("_FillValue") == -1);
  CHECK(funded.fill_value() == -1);
  CHECK(funded.read_i64() == std::vector<std::int64_t>{-1, 3, 4, -1, 3, -1});  // undefined values became -1
  CHECK_FALSE(groups.open("capital").has_attr("_FillValue"));
  CHECK_FALSE(groups.open("business").has_attr("_FillValue"));
}

TEST_CASE("code columns carry CF flags and their labels; the table's case column names the cases") {
  const auto w = write_tiny("flags.h5", "kube");
  const auto f = h5::File::open(w.path);
  const auto groups = f.root().open_group("groups");
  const auto business = groups.open("business");
  CHECK(business.attr_strings("labels") == std::vector<std::string>{"small shop", "farm"});
  CHECK(business.attr_ints("flag_values") == std::vector<std::int64_t>{0, 1});
  CHECK(business.attr_type("flag_values") == h5::Type::I32);  // the type of the variable
  CHECK(business.attr_string("flag_meanings") == "small_shop farm");
  const auto scenario = groups.open("scenario");
  CHECK(scenario.read_i64() == std::vector<std::int64_t>{0, 0, 0, 0, 0, 1});
  CHECK(scenario.attr_ints("flag_values") == std::vector<std::int64_t>{0, 1});
  CHECK(scenario.attr_string("flag_meanings") == "base lever");
  CHECK(groups.open("row").read_i64() == std::vector<std::int64_t>{0, 1, 2, 3, 4, 5});
  CHECK(groups.open("capital").has_scale(groups.open("row"), 0));
  const auto failed = f.root().open_group("runs").open("failed");
  CHECK(failed.read_i64() == std::vector<std::int64_t>{0, 0, 0, 1});
  CHECK(failed.attr_string("flag_meanings") == "ok failed");
  CHECK(f.root().open_group("runs").open("message").read_strings() ==
        std::vector<std::string>{"", "", "", "lever: boom"});
  CHECK(f.root().open_group("runs").open("row_count").read_i64() == std::vector<std::int64_t>{3, 2, 1, 0});
}

TEST_CASE("/meta: label lists are string coordinates; a per-entry list lies along its list") {
  const auto w = write_tiny("meta.h5", "kube");
  const auto f = h5::File::open(w.path);
  const auto meta = f.root().open_group("meta");
  const auto villages = meta.open("villages"), districts = meta.open("village_districts");
  CHECK(villages.is_scale());
  CHECK(villages.scale_name() == "villages");
  CHECK(villages.read_strings() == std::vector<std::string>{"Sumber", "Tlekung", "Oro-oro Ombo"});
  CHECK_FALSE(districts.is_scale());
  CHECK(districts.has_scale(villages, 0));
  CHECK(districts.read_strings() == std::vector<std::string>{"Bumiaji", "Junrejo", "Batu"});
  CHECK(meta.open("business_types").is_scale());
  CHECK(meta.open("business_types").attr_string("long_name") == "names of the business types");
}

TEST_CASE("the reader takes a 4.x file and refuses a 3.x one with the fix") {
  const auto w = write_tiny("reader.h5", "kube");
  {
    const analysis::ResultFile r(w.path);
    CHECK(r.cases() == std::vector<std::string>{"base", "lever"});
    CHECK(r.replicates() == 2);
    CHECK(r.failed() == std::vector<int>{0, 0, 0, 1});
    CHECK(r.column("capital", 1) == std::vector<double>{300});
  }
  auto set_version = [&](const std::string& v) {
    {
      auto f = h5::File::open_for_edit(w.path);
      f.root().set_attr("format_version", v);
      f.close();
    }
    h5::seal(w.path);
  };
  set_version("4.3");  // a later minor version reads
  CHECK_NOTHROW(analysis::ResultFile{w.path});
  set_version("3.0");
  std::string msg;
  try {
    const analysis::ResultFile r(w.path);
  } catch (const sim::InputError& e) {
    msg = e.what();
  }
  CHECK(contains(msg, w.path.string()));
  CHECK(contains(msg, "format version 3.0"));
  CHECK(contains(msg, "reads 4.x"));
  CHECK(contains(msg, "Rerun the experiment with this version of berdaya"));
  set_version("5.0");
  CHECK_THROWS_AS(analysis::ResultFile{w.path}, sim::InputError);
}
