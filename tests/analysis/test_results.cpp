#include <doctest/doctest.h>

#include <fstream>

#include "analysis/results.h"
#include "result_file.h"
#include "sim/error.h"

TEST_CASE("a result file hands out each case's blocks as the runs recorded them") {
  const auto p = test::result_params();
  const auto file = test::write_result_file(p, "berdaya-results");
  const analysis::ResultFile f(file);
  CHECK(f.kind() == "run");
  CHECK(f.cases() == std::vector<std::string>{"small"});
  CHECK(f.replicates() == 8);
  CHECK(f.months() == 36);
  CHECK(f.attr("git_commit") == "abc123");
  CHECK(f.attr("no_such_attribute").empty());
  CHECK(f.case_index("small") == 0);
  CHECK_THROWS_AS(f.case_index("other"), sim::InputError);
  CHECK(f.failed() == std::vector<int>(8, 0));
  CHECK(analysis::failed_runs(file) == 0);

  const auto& schema = kube::schema();
  std::size_t groups = 0;
  for (std::size_t rep = 0; rep < 8; ++rep) {
    const auto r = kube::run(p, static_cast<std::uint64_t>(p.run_seed), rep);
    groups += r.table.front().size();
    // The first and last monthly series and a yearly one, value for value.
    for (const std::size_t s : {std::size_t{0}, schema.series.size() - 1}) {
      const auto m = f.matrix("series", schema.series[s].name, 0);
      REQUIRE(m.rows == 8);
      REQUIRE(m.cols == 36);
      for (std::size_t t = 0; t < 36; ++t) CHECK(m.at(rep, t) == doctest::Approx(r.series[s * 36 + t]));
    }
    const auto y = f.matrix("yearly", schema.yearly.front().name, 0);
    REQUIRE(y.cols == 3);
    for (std::size_t t = 0; t < 3; ++t) CHECK(y.at(rep, t) == doctest::Approx(r.yearly[t]));
  }
  // One table row per group of every replicate.
  CHECK(f.column(schema.table.front().name, 0).size() == groups);
  CHECK_THROWS_AS(f.matrix("series", "no_such_series", 0), sim::InputError);
  std::filesystem::remove(file);
}

TEST_CASE("files that are not berdaya results are refused with an input error") {
  const auto dir = std::filesystem::temp_directory_path();
  CHECK_THROWS_AS(analysis::ResultFile{dir / "berdaya-no-such-file.h5"}, sim::InputError);
  const auto text = dir / ("berdaya-not-hdf5-" + std::to_string(::getpid()) + ".h5");
  std::ofstream(text) << "this is not an HDF5 file\n";
  CHECK_THROWS_AS(analysis::ResultFile{text}, sim::InputError);
  std::filesystem::remove(text);
}
