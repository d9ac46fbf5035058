#include "sim/writer.h"

#include <unistd.h>

#include <cmath>
#include <ctime>
#include <limits>

#include "sim/error.h"
#include "sim/h5.h"
#include "sim/signals.h"
#include "sim/spool.h"

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

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

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

// Integer columns store -1 where a value is undefined.
std::vector<std::int32_t> to_int(const std::vector<double>& v) {
  std::vector<std::int32_t> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = std::isfinite(v[i]) ? static_cast<std::int32_t>(v[i]) : -1;
  return out;
}

void describe(h5::Dataset& d, const ColumnSpec& c) {
  // A code column has no unit: its labels say what the numbers stand for.
  if (!c.unit.empty()) d.set_attr("units", c.unit);
  d.set_attr("description", c.description);
  if (!c.labels.empty()) d.set_attr("labels", c.labels);
}

// The three leading scales of a [case x replicate x time] group.
struct Axes {
  h5::Dataset cases, reps, time;
};

Axes axes(h5::Group& g, const Plan& plan, const std::string& time_name, std::size_t T, const std::string& time_desc) {
  return {scale(g, plan.case_dim, 0, plan.cases.size(), "1", plan.case_dim + " index: see /cases"),
          scale(g, "replicate", 0, plan.replicates, "1", "replicate index"),
          scale(g, time_name, 1, T, time_name, time_desc)};
}

std::vector<h5::Dataset> matrices(h5::Group& g, const std::vector<ColumnSpec>& specs, const Plan& plan, std::size_t T,
                                  const Axes& ax) {
  std::vector<h5::Dataset> out;
  const std::vector<hsize_t> dims{plan.cases.size(), plan.replicates, T};
  // Chunks of a few whole runs: the cache the writer fills holds the same few runs
  // however many there are, and a reader gets one run's series in one chunk.
  const std::vector<hsize_t> chunk{1, std::min<hsize_t>(std::max<std::size_t>(plan.replicates, 1), 32),
                                   std::max<hsize_t>(T, 1)};
  for (const auto& c : specs) {
    auto d = g.create(c.name, c.integer ? h5::Type::I32 : h5::Type::F64, dims, c.integer ? -1.0 : NaN, chunk);
    describe(d, c);
    d.attach_scale(ax.cases, 0);
    d.attach_scale(ax.reps, 1);
    d.attach_scale(ax.time, 2);
    out.push_back(std::move(d));
  }
  return out;
}

void write_rows(std::vector<h5::Dataset>& ds, const std::vector<ColumnSpec>& specs, const std::vector<double>& values,
                std::size_t T, hsize_t c, hsize_t r) {
  if (values.size() != specs.size() * T) return;  // a failed run: the fill value stays
  for (std::size_t s = 0; s < specs.size(); ++s) {
    const std::vector<double> row(values.begin() + static_cast<std::ptrdiff_t>(s * T),
                                  values.begin() + static_cast<std::ptrdiff_t>((s + 1) * T));
    if (specs[s].integer)
      ds[s].write_block({c, r, 0}, {1, 1, T}, to_int(row).data());
    else
      ds[s].write_block({c, r, 0}, {1, 1, T}, row.data());
  }
}

void write_design(h5::Group& root, const DesignTable& d, const Plan& plan) {
  h5::Group g = root.create_group("design");
  g.set_attr("description", std::string("The sweep's design: one row per point, one column per factor"));
  g.set_attr("kind", d.kind);
  for (const auto& [k, v] : d.settings) g.set_attr(k, v);
  for (const auto& [k, v] : d.real_settings) g.set_attr(k, v);
  const std::size_t P = plan.cases.size(), K = d.factors.size();
  auto pt = scale(g, "point", 0, P, "1", "design point index");
  auto fac = g.write("factor", d.factors);
  fac.make_scale("factor");
  fac.set_attr("description", std::string("dotted parameter name of each factor"));
  auto put = [&](const std::string& name, const std::vector<double>& v, const std::string& desc) {
    auto ds = g.write(name, v, {P, K});
    ds.set_attr("description", desc);
    ds.attach_scale(pt, 0);
    ds.attach_scale(fac, 1);
  };
  put("unit", d.unit, "point in the unit hypercube [0, 1]^k");
  put("value", d.values, "parameter value run at the point");
  auto lo = g.write("low", d.low, {K});
  lo.set_attr("description", std::string("lower end of each factor's range"));
  lo.attach_scale(fac, 0);
  auto hi = g.write("high", d.high, {K});
  hi.set_attr("description", std::string("upper end of each factor's range"));
  hi.attach_scale(fac, 0);
  auto sc = g.write("scale", d.scale);
  sc.set_attr("description", std::string("how the unit interval maps to the range: linear or log"));
  sc.attach_scale(fac, 0);
  std::vector<std::int32_t> block(d.block.begin(), d.block.end());
  auto b = g.write("block", block, {P});
  b.set_attr("description", std::string(d.kind == "saltelli" ? "matrix of the row: 0 = A, 1 = B, 2 + i = AB_i"
                                        : d.kind == "morris"  ? "factor changed from the previous point, -1 first"
                                        : d.kind == "oat"     ? "factor changed from the reference point, -1 the reference"
                                                              : "unused (-1)"));
  b.attach_scale(pt, 0);
  auto gr = g.write("group", std::vector<std::int64_t>(d.group.begin(), d.group.end()), {P});
  gr.set_attr("description",
              std::string(d.kind == "saltelli" ? "base row of the Saltelli matrices"
                          : d.kind == "morris" ? "trajectory"
                          : d.kind == "oat"    ? "direction of the change: -1 down, +1 up, 0 another option or the reference"
                                               : "point index"));
  gr.attach_scale(pt, 0);
  if (d.point_text.size() == P) {
    auto t = g.write("point_text", d.point_text, {P});
    t.set_attr("description", std::string("value of the changed factor at the point, as text; empty at the reference"));
    t.attach_scale(pt, 0);
  }
  if (d.reference_text.size() == K) {
    auto t = g.write("reference_text", d.reference_text, {K});
    t.set_attr("description", std::string("value of each factor at the reference point, as text"));
    t.attach_scale(fac, 0);
  }
  if (!d.skipped.empty()) {
    auto t = g.write("skipped", d.skipped);
    t.set_attr("description", std::string("parameters or changes left out of the design, each with the reason"));
  }
}

void write_file(const std::filesystem::path& path, const Provenance& prov, const Plan& plan, const Schema& schema,
                const Spool& spool, const Labels& labels, const CaseTable& cases, const DesignTable* design) {
  h5::File f = h5::File::create(path);
  h5::Group& root = f.root();
  const auto T = static_cast<std::size_t>(plan.months);
  const auto Y = static_cast<std::size_t>((plan.months + 11) / 12);
  const std::size_t C = plan.cases.size(), R = plan.replicates;
  root.set_attr("format", std::string(FORMAT_NAME));
  root.set_attr("format_version", std::string(FORMAT_VERSION));
  root.set_attr("kind", plan.kind);
  root.set_attr("case_dimension", plan.case_dim);
  root.set_attr("engine_version", prov.engine_version);
  root.set_attr("git_commit", prov.git_commit);
  root.set_attr("created", prov.created);
  root.set_attr("command_line", prov.command_line);
  root.set_attr("seed", prov.seed);
  root.set_attr("experiment", prov.experiment);
  root.set_attr("experiment_toml", prov.experiment_toml);
  root.set_attr("scenario", prov.scenario);
  root.set_attr("scenario_toml", prov.scenario_toml);
  root.set_attr("scenario_files", prov.scenario_files);
  root.set_attr("baseline", prov.baseline);
  root.set_attr("counterfactual", prov.counterfactual);
  root.set_attr("cases", static_cast<long long>(C));
  root.set_attr("replicates", static_cast<long long>(R));
  root.set_attr("months", static_cast<long long>(plan.months));
  root.set_attr("hdf5_version", h5::library_version());

  h5::Group cg = root.create_group("cases");
  cg.set_attr("description", std::string("What each case is: a scenario compared, or a design point of a sweep"));
  auto c_scale = scale(cg, plan.case_dim, 0, C, "1", plan.case_dim + " index");
  auto names = cg.write("name", plan.cases);
  names.set_attr("description", std::string("name of the case"));
  names.attach_scale(c_scale, 0);
  if (cases.description.size() == C) {
    auto d = cg.write("description", cases.description);
    d.set_attr("description", std::string("what the case changes"));
    d.attach_scale(c_scale, 0);
  }
  if (cases.toml.size() == C) {
    auto d = cg.write("scenario_toml", cases.toml);
    d.set_attr("description", std::string("the full resolved scenario of the case"));
    d.attach_scale(c_scale, 0);
  }
  if (design) write_design(root, *design, plan);

  h5::Group series = root.create_group("series");
  series.set_attr("description", std::string("Monthly series, [case x replicate x month]"));
  const Axes sa = axes(series, plan, "month", T, "simulated month, 1-based");
  auto series_ds = matrices(series, schema.series, plan, T, sa);

  h5::Group yearly = root.create_group("yearly");
  yearly.set_attr("description", std::string("Yearly indicators, [case x replicate x year]"));
  const Axes ya = axes(yearly, plan, "year", Y, "simulated year, 1-based");
  auto yearly_ds = matrices(yearly, schema.yearly, plan, Y, ya);

  h5::Group table = root.create_group(schema.table_name);
  table.set_attr("description", std::string("One row per entity per run, runs in case-then-replicate order"));
  h5::Dataset case_col = table.create_growing(plan.case_dim, h5::Type::I32);
  case_col.set_attr("units", std::string("1"));
  case_col.set_attr("description", plan.case_dim + " index of the row's run");
  std::vector<h5::Dataset> cols;
  for (const auto& c : schema.table) {
    cols.push_back(table.create_growing(c.name, c.integer ? h5::Type::I32 : h5::Type::F64));
    describe(cols.back(), c);
  }

  std::vector<std::int32_t> failed(C * R, 1);
  std::vector<std::string> messages(C * R, "not run");
  std::vector<std::int64_t> row_start(C * R, 0);
  std::vector<std::int32_t> row_count(C * R, 0);
  std::int64_t rows = 0;
  for (std::uint64_t t = 0; t < plan.tasks(); ++t) {
    throw_if_interrupted();  // Ctrl-C while writing: the file is abandoned, the spool kept
    row_start[t] = rows;
    if (!spool.has(t)) continue;
    const RunRecord r = spool.read(t);
    failed[t] = r.error.empty() ? 0 : 1;
    messages[t] = r.error;
    const hsize_t c = plan.case_of(t), rep = plan.replicate_of(t);
    write_rows(series_ds, schema.series, r.series, T, c, rep);
    write_rows(yearly_ds, schema.yearly, r.yearly, Y, c, rep);
    if (r.table.size() != schema.table.size()) continue;
    const std::size_t n = r.table.empty() ? 0 : r.table[0].size();
    case_col.append(std::vector<std::int32_t>(n, static_cast<std::int32_t>(c)));
    for (std::size_t k = 0; k < cols.size(); ++k) {
      if (schema.table[k].integer)
        cols[k].append(to_int(r.table[k]));
      else
        cols[k].append(r.table[k]);
    }
    row_count[t] = static_cast<std::int32_t>(n);
    rows += static_cast<std::int64_t>(n);
  }
  auto row = scale(table, "row", 0, static_cast<std::size_t>(rows), "1", "row index");
  case_col.attach_scale(row, 0);
  for (auto& d : cols) d.attach_scale(row, 0);

  h5::Group runs_g = root.create_group("runs");
  runs_g.set_attr("description", std::string("Status of each run, [case x replicate]: failed runs keep their message"));
  auto rc = scale(runs_g, plan.case_dim, 0, C, "1", plan.case_dim + " index");
  auto rr = scale(runs_g, "replicate", 0, R, "1", "replicate index");
  auto put2 = [&](h5::Dataset d, const std::string& unit, const std::string& desc) {
    if (!unit.empty()) d.set_attr("units", unit);
    d.set_attr("description", desc);
    d.attach_scale(rc, 0);
    d.attach_scale(rr, 1);
  };
  put2(runs_g.write("failed", failed, {C, R}), "0/1", "1 when the run threw an error or was not run");
  put2(runs_g.write("message", messages, {C, R}), "", "error message of a failed run, empty otherwise");
  put2(runs_g.write("row_start", row_start, {C, R}), "1", "first row of the run in the entity table");
  put2(runs_g.write("row_count", row_count, {C, R}), "1", "rows of the run in the entity table");

  h5::Group meta = root.create_group("meta");
  for (const auto& [name, values] : labels) meta.write(name, values).make_scale(name);
  f.close();
}

}  // namespace

void write_results(const std::filesystem::path& path, const Provenance& prov, const Plan& plan, const Schema& schema,
                   const Labels& labels, const CaseTable& cases, const DesignTable* design) {
  const SignalGuard guard;
  const Spool spool = Spool::resume(spool_path(path), plan.fingerprint);
  // Same folder as the target so the rename is atomic. Only a file that closed cleanly
  // is renamed into place, and only then is the spool removed.
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  try {
    write_file(tmp, prov, plan, schema, spool, labels, cases, design);
    h5::seal(tmp);
    throw_if_interrupted();
    std::filesystem::rename(tmp, path);
  } catch (const std::filesystem::filesystem_error& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw OutputError(path.string() + ": the finished file cannot be moved into place (" + e.code().message() +
                             "); every run is kept in " + spool.path().string() + ", so --resume writes it again");
  } catch (const std::runtime_error& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    if (dynamic_cast<const Interrupted*>(&e) || dynamic_cast<const InputError*>(&e)) throw;
    throw OutputError(path.string() + ": cannot be written: " + e.what() + ". Every run is kept in " +
                             spool.path().string() + "; free some space and continue with --resume");
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
  std::error_code ec;
  std::filesystem::remove(spool.path(), ec);
}

}  // namespace sim
