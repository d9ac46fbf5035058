#include "sim/writer.h"

#include <unistd.h>

#include <cmath>
#include <ctime>
#include <limits>

#include "sim/h5.h"

namespace sim {

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

h5::Dataset scale(h5::Group& g, const std::string& name, long long first, std::size_t n, const std::string& unit,
                  const std::string& description) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(first + static_cast<long long>(i));
  auto d = g.write(name, v, {n});
  d.make_scale(name);
  d.set_attr("units", unit);
  d.set_attr("description", description);
  return d;
}

// Integer columns store -1 where a value is undefined (a failed run's rows).
std::vector<std::int32_t> to_int(const std::vector<double>& v) {
  std::vector<std::int32_t> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = std::isfinite(v[i]) ? static_cast<std::int32_t>(v[i]) : -1;
  return out;
}

void describe(h5::Dataset& d, const ColumnSpec& c) {
  d.set_attr("units", c.unit);
  d.set_attr("description", c.description);
  if (!c.labels.empty()) d.set_attr("labels", c.labels);
}

// Writes one [replicate x time] block per column of `specs`.
void write_matrix(h5::Group& g, const std::vector<ColumnSpec>& specs, const std::vector<RunRecord>& runs,
                  bool yearly, const h5::Dataset& rep_scale, const h5::Dataset& time_scale) {
  const std::size_t R = runs.size();
  const std::size_t T = R ? static_cast<std::size_t>(yearly ? runs[0].years : runs[0].months) : 0;
  std::vector<double> buf(R * T);
  for (std::size_t s = 0; s < specs.size(); ++s) {
    for (std::size_t r = 0; r < R; ++r) {
      const auto& src = yearly ? runs[r].yearly : runs[r].series;
      for (std::size_t t = 0; t < T; ++t)
        buf[r * T + t] = src.empty() ? std::numeric_limits<double>::quiet_NaN() : src[s * T + t];
    }
    h5::Dataset d = specs[s].integer ? g.write(specs[s].name, to_int(buf), {R, T}) : g.write(specs[s].name, buf, {R, T});
    describe(d, specs[s]);
    d.attach_scale(rep_scale, 0);
    d.attach_scale(time_scale, 1);
  }
}

void write_file(const std::filesystem::path& path, const Provenance& prov, const Schema& schema,
                const std::vector<RunRecord>& runs, const Labels& labels) {
  h5::File f = h5::File::create(path);
  h5::Group& root = f.root();
  const int months = runs.empty() ? 0 : runs[0].months;
  const int years = runs.empty() ? 0 : runs[0].years;
  root.set_attr("format", std::string(FORMAT_NAME));
  root.set_attr("format_version", std::string(FORMAT_VERSION));
  root.set_attr("engine_version", prov.engine_version);
  root.set_attr("git_commit", prov.git_commit);
  root.set_attr("created", prov.created);
  root.set_attr("command_line", prov.command_line);
  root.set_attr("seed", prov.seed);
  root.set_attr("scenario", prov.scenario);
  root.set_attr("scenario_toml", prov.scenario_toml);
  root.set_attr("scenario_files", prov.scenario_files);
  root.set_attr("replicates", static_cast<long long>(runs.size()));
  root.set_attr("months", static_cast<long long>(months));
  root.set_attr("hdf5_version", h5::library_version());

  std::vector<std::int32_t> failed(runs.size());
  std::vector<std::string> messages(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r) {
    failed[r] = runs[r].error.empty() ? 0 : 1;
    messages[r] = runs[r].error;
  }

  h5::Group series = root.create_group("series");
  series.set_attr("description", std::string("Monthly series, one row per replicate"));
  auto rep = scale(series, "replicate", 0, runs.size(), "1", "replicate index");
  auto mon = scale(series, "month", 1, static_cast<std::size_t>(months), "month", "simulated month, 1-based");
  write_matrix(series, schema.series, runs, false, rep, mon);

  h5::Group yearly = root.create_group("yearly");
  yearly.set_attr("description", std::string("Yearly indicators, one row per replicate"));
  auto rep_y = scale(yearly, "replicate", 0, runs.size(), "1", "replicate index");
  auto yr = scale(yearly, "year", 1, static_cast<std::size_t>(years), "year", "simulated year, 1-based");
  write_matrix(yearly, schema.yearly, runs, true, rep_y, yr);

  h5::Group table = root.create_group(schema.table_name);
  table.set_attr("description", std::string("One row per entity per replicate"));
  std::size_t rows = 0;
  for (const auto& r : runs) rows += r.table.empty() ? 0 : r.table[0].size();
  auto row = scale(table, "row", 0, rows, "1", "row index");
  for (std::size_t c = 0; c < schema.table.size(); ++c) {
    std::vector<double> col;
    col.reserve(rows);
    for (const auto& r : runs)
      if (c < r.table.size()) col.insert(col.end(), r.table[c].begin(), r.table[c].end());
    h5::Dataset d = schema.table[c].integer ? table.write(schema.table[c].name, to_int(col), {rows})
                                            : table.write(schema.table[c].name, col, {rows});
    describe(d, schema.table[c]);
    d.attach_scale(row, 0);
  }

  h5::Group runs_g = root.create_group("runs");
  runs_g.set_attr("description", std::string("Status of each replicate: failed runs keep their message"));
  auto rep_r = scale(runs_g, "replicate", 0, runs.size(), "1", "replicate index");
  auto fd = runs_g.write("failed", failed, {runs.size()});
  fd.set_attr("units", std::string("1"));
  fd.set_attr("description", std::string("1 when the run threw an error"));
  fd.attach_scale(rep_r, 0);
  auto md = runs_g.write("message", messages);
  md.set_attr("description", std::string("Error message of a failed run, empty otherwise"));
  md.attach_scale(rep_r, 0);

  h5::Group meta = root.create_group("meta");
  for (const auto& [name, values] : labels) meta.write(name, values).make_scale(name);
  f.close();
}

}  // namespace

void write_results(const std::filesystem::path& path, const Provenance& prov, const Schema& schema,
                   const std::vector<RunRecord>& runs, const Labels& labels) {
  // Same folder as the target so the rename is atomic.
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  try {
    write_file(tmp, prov, schema, runs, labels);
    std::filesystem::rename(tmp, path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

}  // namespace sim
