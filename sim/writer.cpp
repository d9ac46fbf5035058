#include "sim/writer.h"

#include <unistd.h>

#include <algorithm>
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

// An int32 dimension scale first, first + 1, ... (replicates, months, years, rows),
// written a chunk at a time: the row scale of many runs is as long as their table, and
// neither it nor its chunks are held whole.
h5::Dataset index_scale(h5::Group& g, const std::string& name, long long first, std::size_t n, const std::string& unit,
                        const std::string& long_name) {
  constexpr std::size_t piece = 8192;
  auto d = g.create(name, h5::Type::I32, {n}, 0.0, {std::clamp<hsize_t>(n, 1, piece)});
  std::vector<std::int32_t> v(std::min(n, piece));
  for (std::size_t at = 0; at < n; at += piece) {
    const std::size_t m = std::min(piece, n - at);
    for (std::size_t i = 0; i < m; ++i) v[i] = static_cast<std::int32_t>(first + static_cast<long long>(at + i));
    d.write_block({at}, {m}, v.data());
  }
  d.make_scale(name);
  d.set_attr("units", unit);
  d.set_attr("long_name", long_name);
  return d;
}

// The case dimension's scale holds the case names, so xarray, netCDF tools and R show
// scenario names (or a sweep's point names) as the coordinate without any help. Text has
// no units in CF.
h5::Dataset case_scale(h5::Group& g, const Plan& plan) {
  auto d = g.write(plan.case_dim, plan.cases);
  d.make_scale(plan.case_dim);
  d.set_attr("long_name", plan.case_dim + " name, one per case (described in /cases)");
  return d;
}

// The value of a column's unwritten cells (a failed run) and of undefined values: its
// declared missing value, else NaN for floats and -1 for integers.
double fill_of(const ColumnSpec& c) { return c.missing ? *c.missing : c.integer ? -1.0 : NaN; }

std::vector<std::int32_t> to_int(const std::vector<double>& v, double fill) {
  const auto undefined = static_cast<std::int32_t>(fill);
  std::vector<std::int32_t> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = std::isfinite(v[i]) ? static_cast<std::int32_t>(v[i]) : undefined;
  return out;
}

// CF flags: the codes 0 ... n-1 and their names as blank-separated words (a name's own
// blanks become underscores; the exact names stay in `labels`).
void set_flags(h5::Dataset& d, const std::vector<std::string>& names) {
  std::vector<std::int32_t> codes(names.size());
  std::string meanings;
  for (std::size_t k = 0; k < names.size(); ++k) {
    codes[k] = static_cast<std::int32_t>(k);
    std::string word = names[k].empty() ? "unnamed" : names[k];
    for (char& ch : word)
      if (ch == ' ' || ch == '\t' || ch == '\n') ch = '_';
    meanings += (k ? " " : "") + word;
  }
  d.set_attr("flag_values", codes);
  d.set_attr("flag_meanings", meanings);
}

h5::Type stored_type(const ColumnSpec& c) { return c.integer ? h5::Type::I32 : h5::Type::F64; }

void describe(h5::Dataset& d, const ColumnSpec& c) {
  // A code column has no unit: its labels say what the numbers stand for.
  if (!c.unit.empty()) d.set_attr("units", c.unit);
  d.set_attr("long_name", c.description);
  if (!c.labels.empty()) {
    d.set_attr("labels", c.labels);
    set_flags(d, c.labels);
  }
  if (c.missing) d.set_attr("_FillValue", *c.missing, stored_type(c));
}

// ---- the steps of a file ----

void write_root_attributes(h5::Group& root, const Provenance& prov, const Plan& plan, const Schema& schema) {
  root.set_attr("Conventions", std::string(CONVENTIONS));
  root.set_attr("format", std::string(FORMAT_NAME));
  root.set_attr("format_version", std::string(FORMAT_VERSION));
  if (!prov.model.empty()) root.set_attr("model", prov.model);
  root.set_attr("kind", plan.kind);
  root.set_attr("case_dimension", plan.case_dim);
  root.set_attr("table", schema.table_name);
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
  root.set_attr("cases", static_cast<long long>(plan.cases.size()));
  root.set_attr("replicates", static_cast<long long>(plan.replicates));
  root.set_attr("months", static_cast<long long>(plan.months));
  root.set_attr("hdf5_version", h5::library_version());
}

void write_cases(h5::Group& root, const Plan& plan, const CaseTable& cases) {
  const std::size_t C = plan.cases.size();
  h5::Group cg = root.create_group("cases");
  cg.set_attr("description", std::string("What each case is: a scenario compared, or a design point of a sweep"));
  auto c_scale = case_scale(cg, plan);
  auto names = cg.write("name", plan.cases);
  names.set_attr("long_name", std::string("name of the case"));
  names.attach_scale(c_scale, 0);
  if (cases.description.size() == C) {
    auto d = cg.write("description", cases.description);
    d.set_attr("long_name", std::string("what the case changes"));
    d.attach_scale(c_scale, 0);
  }
  if (cases.toml.size() == C) {
    auto d = cg.write("scenario_toml", cases.toml);
    d.set_attr("long_name", std::string("the full resolved scenario of the case"));
    d.attach_scale(c_scale, 0);
  }
}

void write_design(h5::Group& root, const DesignTable& d, const Plan& plan) {
  h5::Group g = root.create_group("design");
  g.set_attr("description", std::string("The sweep's design: one row per point, one column per factor"));
  g.set_attr("kind", d.kind);
  for (const auto& [k, v] : d.settings) g.set_attr(k, v);
  for (const auto& [k, v] : d.real_settings) g.set_attr(k, v);
  const std::size_t P = plan.cases.size(), K = d.factors.size();
  auto pt = case_scale(g, plan);
  auto fac = g.write("factor", d.factors);
  fac.make_scale("factor");
  fac.set_attr("long_name", std::string("dotted parameter name of each factor"));
  auto put = [&](const std::string& name, const std::vector<double>& v, const std::string& desc) {
    auto ds = g.write(name, v, {P, K});
    ds.set_attr("long_name", desc);
    ds.attach_scale(pt, 0);
    ds.attach_scale(fac, 1);
  };
  put("unit", d.unit, "point in the unit hypercube [0, 1]^k");
  put("value", d.values, "parameter value run at the point");
  auto lo = g.write("low", d.low, {K});
  lo.set_attr("long_name", std::string("lower end of each factor's range"));
  lo.attach_scale(fac, 0);
  auto hi = g.write("high", d.high, {K});
  hi.set_attr("long_name", std::string("upper end of each factor's range"));
  hi.attach_scale(fac, 0);
  auto sc = g.write("scale", d.scale);
  sc.set_attr("long_name", std::string("how the unit interval maps to the range: linear or log"));
  sc.attach_scale(fac, 0);
  std::vector<std::int32_t> block(d.block.begin(), d.block.end());
  auto b = g.write("block", block, {P});
  b.set_attr("long_name", std::string(d.kind == "saltelli" ? "matrix of the row: 0 = A, 1 = B, 2 + i = AB_i"
                                      : d.kind == "morris" ? "factor changed from the previous point, -1 first"
                                      : d.kind == "oat"    ? "factor changed from the reference point, -1 the reference"
                                                           : "unused (-1)"));
  b.attach_scale(pt, 0);
  auto gr = g.write("group", std::vector<std::int64_t>(d.group.begin(), d.group.end()), {P});
  gr.set_attr(
      "long_name",
      std::string(d.kind == "saltelli" ? "base row of the Saltelli matrices"
                  : d.kind == "morris" ? "trajectory"
                  : d.kind == "oat"    ? "direction of the change: -1 down, +1 up, 0 another option or the reference"
                                       : "point index"));
  gr.attach_scale(pt, 0);
  if (d.point_text.size() == P) {
    auto t = g.write("point_text", d.point_text, {P});
    t.set_attr("long_name", std::string("value of the changed factor at the point, as text; empty at the reference"));
    t.attach_scale(pt, 0);
  }
  if (d.reference_text.size() == K) {
    auto t = g.write("reference_text", d.reference_text, {K});
    t.set_attr("long_name", std::string("value of each factor at the reference point, as text"));
    t.attach_scale(fac, 0);
  }
  if (!d.skipped.empty()) {
    auto t = g.write("skipped", d.skipped);
    t.set_attr("long_name", std::string("parameters or changes left out of the design, each with the reason"));
  }
}

void write_posterior(h5::Group& root, const PosteriorTable& t, const Plan& plan) {
  const PosteriorDraws& p = *t.draws;
  h5::Group g = root.create_group("posterior");
  g.set_attr("description",
             std::string("The posterior draws the scenarios ran at: case c is scenario c / draws at draw "
                         "c % draws, with the draw's calibrated parameter values"));
  g.set_attr("calibration_file", p.file);
  g.set_attr("calibration_fingerprint", p.fingerprint);
  g.set_attr("calibration_experiment", p.experiment);
  g.set_attr("calibration_scenario", p.scenario);
  g.set_attr("calibration_generation", p.generation);
  g.set_attr("draws", static_cast<long long>(p.draws()));
  g.set_attr("draw_seed", std::to_string(p.seed));
  g.set_attr("resampling", std::string("systematic, by weight, from the final generation"));
  g.set_attr("baseline", t.baseline);
  g.set_attr("counterfactual", t.counterfactual);
  g.set_attr("scenarios", t.scenarios);
  const std::size_t C = plan.cases.size(), D = p.draws(), K = p.parameters.size();
  auto c_scale = case_scale(g, plan);
  std::vector<std::int32_t> idx(D);
  for (std::size_t d = 0; d < D; ++d) idx[d] = static_cast<std::int32_t>(d);
  auto draw = g.write("draw", idx, {D});
  draw.make_scale("draw");
  draw.set_attr("long_name", std::string("posterior draw, 0-based"));
  draw.set_attr("units", std::string("1"));
  auto par = g.write("parameter", p.parameters);
  par.make_scale("parameter");
  par.set_attr("long_name", std::string("dotted name of each calibrated parameter"));
  auto v = g.write("value", p.values, {D, K});
  v.set_attr("long_name", std::string("the draw's value of each calibrated parameter, in the parameter's units (an "
                                      "integer parameter is run rounded)"));
  v.attach_scale(draw, 0);
  v.attach_scale(par, 1);
  std::vector<std::int64_t> particle(p.particle.begin(), p.particle.end());
  auto pt = g.write("particle", particle, {D});
  pt.set_attr("long_name", std::string("particle of the calibration's final generation the draw took"));
  pt.set_attr("units", std::string("1"));
  pt.attach_scale(draw, 0);
  std::vector<std::string> case_scenario(C);
  std::vector<std::int32_t> case_draw(C);
  for (std::size_t c = 0; c < C; ++c) {
    case_scenario[c] = t.scenarios.at(c / D);
    case_draw[c] = static_cast<std::int32_t>(c % D);
  }
  auto cs = g.write("case_scenario", case_scenario, {C});
  cs.set_attr("long_name", std::string("the scenario each case runs"));
  cs.attach_scale(c_scale, 0);
  auto cd = g.write("case_draw", case_draw, {C});
  cd.set_attr("long_name", std::string("the posterior draw each case runs at"));
  cd.set_attr("units", std::string("1"));
  cd.attach_scale(c_scale, 0);
}

// A group of [case x replicate x time] datasets, one per column, every cell at the
// column's fill value until its run is copied in (a failed run keeps it).
struct Matrices {
  const std::vector<ColumnSpec>* specs = nullptr;
  std::size_t T = 0;
  std::vector<h5::Dataset> data;

  void write_run(const std::vector<double>& values, hsize_t c, hsize_t r) {
    if (values.size() != specs->size() * T) return;  // a failed run: the fill value stays
    for (std::size_t s = 0; s < specs->size(); ++s) {
      const std::vector<double> row(values.begin() + static_cast<std::ptrdiff_t>(s * T),
                                    values.begin() + static_cast<std::ptrdiff_t>((s + 1) * T));
      const ColumnSpec& spec = (*specs)[s];
      if (spec.integer)
        data[s].write_block({c, r, 0}, {1, 1, T}, to_int(row, fill_of(spec)).data());
      else
        data[s].write_block({c, r, 0}, {1, 1, T}, row.data());
    }
  }
};

Matrices create_matrices(h5::Group& root, const std::string& name, const std::string& description,
                         const std::vector<ColumnSpec>& specs, const Plan& plan, const std::string& time_name,
                         std::size_t T, const std::string& time_long_name) {
  h5::Group g = root.create_group(name);
  g.set_attr("description", description);
  const auto cases = case_scale(g, plan);
  const auto reps = index_scale(g, "replicate", 0, plan.replicates, "1", "replicate index");
  const auto time = index_scale(g, time_name, 1, T, time_name, time_long_name);
  const std::vector<hsize_t> dims{plan.cases.size(), plan.replicates, T};
  // Chunks of a few whole runs: the cache the writer fills holds the same few runs
  // however many there are, and a reader gets one run's series in one chunk.
  const std::vector<hsize_t> chunk{1, std::min<hsize_t>(std::max<std::size_t>(plan.replicates, 1), 32),
                                   std::max<hsize_t>(T, 1)};
  Matrices m{&specs, T, {}};
  for (const auto& c : specs) {
    auto d = g.create(c.name, stored_type(c), dims, fill_of(c), chunk);
    describe(d, c);
    // Every cell of a failed run is missing, so every matrix has a _FillValue.
    if (!c.missing) d.set_attr("_FillValue", fill_of(c), stored_type(c));
    m.data.push_back(std::move(d));
  }
  h5::attach_scales(m.data, {&cases, &reps, &time});
  return m;
}

// The entity table: a row per entity per run, grown run by run.
struct Table {
  h5::Group group;
  const std::vector<ColumnSpec>* specs;
  h5::Dataset case_col;
  std::vector<h5::Dataset> cols;
  std::int64_t rows = 0;

  // Appends a run's rows; returns how many (0 when the run left no table).
  std::int32_t append(const RunRecord& r, std::int32_t c) {
    if (r.table.size() != specs->size()) return 0;
    const std::size_t n = r.table.empty() ? 0 : r.table[0].size();
    case_col.append(std::vector<std::int32_t>(n, c));
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const ColumnSpec& spec = (*specs)[k];
      if (spec.integer)
        cols[k].append(to_int(r.table[k], fill_of(spec)));
      else
        cols[k].append(r.table[k]);
    }
    rows += static_cast<std::int64_t>(n);
    return static_cast<std::int32_t>(n);
  }

  // The row scale, once the length is known.
  void finish() {
    auto row = index_scale(group, "row", 0, static_cast<std::size_t>(rows), "1", "row index");
    // The case column first, then the others: the order attaching one by one gave. The
    // table is complete: its datasets are not used after this.
    std::vector<h5::Dataset> all;
    all.push_back(std::move(case_col));
    for (auto& d : cols) all.push_back(std::move(d));
    h5::attach_scales(all, {&row});
  }
};

Table create_table(h5::Group& root, const Schema& schema, const Plan& plan) {
  h5::Group g = root.create_group(schema.table_name);
  g.set_attr("description", std::string("One row per entity per run, runs in case-then-replicate order"));
  h5::Dataset case_col = g.create_growing(plan.case_dim, h5::Type::I32);
  case_col.set_attr("units", std::string("1"));
  case_col.set_attr("long_name", plan.case_dim + " index of the row's run (see /cases/name)");
  set_flags(case_col, plan.cases);
  std::vector<h5::Dataset> cols;
  for (const auto& c : schema.table) {
    cols.push_back(g.create_growing(c.name, stored_type(c), c.missing ? *c.missing : 0.0));
    describe(cols.back(), c);
  }
  return Table{std::move(g), &schema.table, std::move(case_col), std::move(cols), 0};
}

// What became of each run, [case x replicate] in task order.
struct RunStatus {
  std::vector<std::int32_t> failed;
  std::vector<std::string> messages;
  std::vector<std::int64_t> row_start;
  std::vector<std::int32_t> row_count;
};

// Copies every run of the spool into the file, in task order.
RunStatus copy_runs(const Spool& spool, const Plan& plan, Matrices& series, Matrices& yearly, Table& table) {
  const std::size_t n = plan.tasks();
  RunStatus s{std::vector<std::int32_t>(n, 1), std::vector<std::string>(n, "not run"), std::vector<std::int64_t>(n, 0),
              std::vector<std::int32_t>(n, 0)};
  for (std::uint64_t t = 0; t < plan.tasks(); ++t) {
    throw_if_interrupted();  // Ctrl-C while writing: the file is abandoned, the spool kept
    s.row_start[t] = table.rows;
    if (!spool.has(t)) continue;
    const RunRecord r = spool.read(t);
    s.failed[t] = r.error.empty() ? 0 : 1;
    s.messages[t] = r.error;
    const hsize_t c = plan.case_of(t), rep = plan.replicate_of(t);
    series.write_run(r.series, c, rep);
    yearly.write_run(r.yearly, c, rep);
    s.row_count[t] = table.append(r, static_cast<std::int32_t>(c));
  }
  return s;
}

void write_runs(h5::Group& root, const Plan& plan, const RunStatus& s) {
  const std::size_t C = plan.cases.size(), R = plan.replicates;
  h5::Group g = root.create_group("runs");
  g.set_attr("description", std::string("Status of each run, [case x replicate]: failed runs keep their message"));
  auto rc = case_scale(g, plan);
  auto rr = index_scale(g, "replicate", 0, R, "1", "replicate index");
  auto put = [&](h5::Dataset d, const std::string& unit, const std::string& long_name) {
    if (!unit.empty()) d.set_attr("units", unit);
    d.set_attr("long_name", long_name);
    d.attach_scale(rc, 0);
    d.attach_scale(rr, 1);
    return d;
  };
  auto failed = put(g.write("failed", s.failed, {C, R}), "1", "1 when the run threw an error or was not run");
  set_flags(failed, {"ok", "failed"});
  put(g.write("message", s.messages, {C, R}), "", "error message of a failed run, empty otherwise");
  put(g.write("row_start", s.row_start, {C, R}), "1", "first row of the run in the entity table");
  put(g.write("row_count", s.row_count, {C, R}), "1", "rows of the run in the entity table");
}

// Label lists. Each is a string dimension scale of its own (causes, business_types,
// villages, ...), except a list `<stem>_<what>` as long as a list `<stem>s`: that one
// describes the entries of `<stem>s` (village_districts: the district of each village) and
// is a variable along its dimension.
void write_meta(h5::Group& root, const Labels& labels) {
  h5::Group meta = root.create_group("meta");
  meta.set_attr("description", std::string("Names of codes and indices"));
  auto words = [](std::string s) {
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
  };
  auto parent_of = [&](const std::string& name) -> std::string {
    for (const auto& [other, values] : labels) {
      if (other.size() < 2 || other.back() != 's' || other == name) continue;
      const std::string stem = other.substr(0, other.size() - 1) + "_";
      if (name.rfind(stem, 0) == 0 && name.size() > stem.size() && values.size() == labels.at(name).size())
        return other;
    }
    return {};
  };
  std::map<std::string, h5::Dataset> scales;
  for (const auto& [name, values] : labels) {
    if (!parent_of(name).empty()) continue;
    auto d = meta.write(name, values);
    d.make_scale(name);
    d.set_attr("long_name", "names of the " + words(name));
    scales.emplace(name, std::move(d));
  }
  for (const auto& [name, values] : labels) {
    const std::string parent = parent_of(name);
    if (parent.empty()) continue;
    auto d = meta.write(name, values);
    d.set_attr("long_name", words(name.substr(parent.size())) + " of each entry of /meta/" + parent);
    d.attach_scale(scales.at(parent), 0);
  }
}

void write_file(const std::filesystem::path& path, const Provenance& prov, const Plan& plan, const Schema& schema,
                const Spool& spool, const Labels& labels, const CaseTable& cases, const DesignTable* design,
                const PosteriorTable* posterior) {
  h5::File f = h5::File::create(path);
  h5::Group& root = f.root();
  const auto T = static_cast<std::size_t>(plan.months);
  const auto Y = static_cast<std::size_t>((plan.months + 11) / 12);
  write_root_attributes(root, prov, plan, schema);
  write_cases(root, plan, cases);
  if (design) write_design(root, *design, plan);
  if (posterior) write_posterior(root, *posterior, plan);
  Matrices series = create_matrices(root, "series", "Monthly series, [case x replicate x month]", schema.series, plan,
                                    "month", T, "simulated month, 1-based");
  Matrices yearly = create_matrices(root, "yearly", "Yearly indicators, [case x replicate x year]", schema.yearly, plan,
                                    "year", Y, "simulated year, 1-based");
  Table table = create_table(root, schema, plan);
  const RunStatus status = copy_runs(spool, plan, series, yearly, table);
  table.finish();
  write_runs(root, plan, status);
  write_meta(root, labels);
  f.close();
}

}  // namespace

void write_results(const std::filesystem::path& path, const Provenance& prov, const Plan& plan, const Schema& schema,
                   const Labels& labels, const CaseTable& cases, const DesignTable* design,
                   const PosteriorTable* posterior) {
  const SignalGuard guard;
  const Spool spool = Spool::resume(spool_path(path), plan.fingerprint);
  // Same folder as the target so the rename is atomic. Only a file that closed cleanly
  // is renamed into place, and only then is the spool removed.
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  try {
    write_file(tmp, prov, plan, schema, spool, labels, cases, design, posterior);
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
