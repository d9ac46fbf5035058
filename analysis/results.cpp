#include "analysis/results.h"

#include <algorithm>

#include <cmath>
#include <stdexcept>
#include <tuple>

#include "sim/error.h"
#include "sim/params.h"
#include "sim/writer.h"

namespace analysis {

namespace {

sim::h5::File open_checked(const std::filesystem::path& file) {
  auto f = sim::h5::File::open(file);
  const auto& root = f.root();
  if (!root.has_attr("format") || root.attr_string("format") != sim::FORMAT_NAME)
    throw sim::InputError(file.string() + ": an HDF5 file, but not a berdaya result file (no format='" +
                          std::string(sim::FORMAT_NAME) +
                          "' attribute). Give a file written by 'berdaya run', 'compare' or 'sweep'.");
  const std::string v = root.has_attr("format_version") ? root.attr_string("format_version") : "?";
  const std::string mine = sim::FORMAT_VERSION;
  const std::string major = v.substr(0, v.find('.')), my_major = mine.substr(0, mine.find('.'));
  if (major != my_major) {
    const bool older = !major.empty() && major.find_first_not_of("0123456789") == std::string::npos &&
                       major.size() <= 3 && std::stoi(major) < std::stoi(my_major);
    throw sim::InputError(file.string() + ": format version " + sim::shorten(v, 20) + ", written by " +
                          (older ? "an older" : "another") + " berdaya; this berdaya reads " + my_major +
                          ".x (docs/output-format.md says what changed). " +
                          (older ? "Rerun the experiment with this version of berdaya to rewrite the file."
                                 : "Read it with the berdaya version that wrote it, or rerun the experiment with "
                                   "this version."));
  }
  return f;
}

}  // namespace

ResultFile::ResultFile(const std::filesystem::path& file) : path_(file), file_(open_checked(file)) {
  const auto& r = root();
  for (const char* a : {"kind", "case_dimension", "replicates", "months"})
    if (!r.has_attr(a))
      throw sim::InputError(file.string() + ": the root attribute '" + std::string(a) +
                            "' is missing (damaged or hand-made file?). Rerun the experiment to rewrite it.");
  kind_ = r.attr_string("kind");
  // The model names its entity table (KUBE: groups); files that do not say hold groups.
  table_ = r.has_attr("table") ? r.attr_string("table") : "groups";
  if (!r.exists(table_))
    throw sim::InputError(file.string() + ": the entity table /" + sim::shorten(table_, 40) +
                          " named by the root attribute 'table' is missing (damaged file?)");
  case_dim_ = r.attr_string("case_dimension");
  const long long replicates = r.attr_int("replicates");
  months_ = r.attr_int("months");
  const std::string at = file.string() + ": ";
  if (kind_ != "run" && kind_ != "compare" && kind_ != "sweep")
    throw sim::InputError(at + "the root attribute kind = '" + sim::shorten(kind_, 40) +
                          "' is none of run, compare, sweep (damaged or hand-made file?)");
  if (case_dim_ != (kind_ == "sweep" ? "point" : "scenario"))
    throw sim::InputError(at + "the root attribute case_dimension = '" + sim::shorten(case_dim_, 40) +
                          "' does not fit a " + kind_ + " file (damaged or hand-made file?)");
  if (replicates < 1 || replicates > 100000000 || months_ < 1 || months_ > 100000)
    throw sim::InputError(at + "the root attributes replicates = " + std::to_string(replicates) + " and months = " +
                          std::to_string(months_) + " are out of range (damaged or hand-made file?)");
  replicates_ = static_cast<std::size_t>(replicates);
  cases_ = r.open_group("cases").open("name").read_strings();
  if (cases_.empty() || (r.has_attr("cases") && r.attr_int("cases") != static_cast<long long>(cases_.size())))
    throw sim::InputError(at + "/cases/name holds " + std::to_string(cases_.size()) +
                          " names where the root attribute cases says otherwise (damaged file?)");
  if (!sim::h5::checked_before(path_, "result layout")) {
    validate_layout();
    sim::h5::remember_checked(path_, "result layout");
  }
  const auto runs = r.open_group("runs");
  const auto start = runs.open("row_start").read_i64();
  const auto count = runs.open("row_count").read_i64();
  const hsize_t rows = r.open_group(table_).open(case_dim_).dims().at(0);
  // Runs are stored case by case and replicate by replicate, each run's rows following
  // the previous run's: anything else is a damaged index.
  std::int64_t next = 0;
  for (std::size_t t = 0; t < start.size(); ++t) {
    if (start[t] != next || count[t] < 0)
      throw sim::InputError(at +
                            "/runs/row_start and /runs/row_count do not describe consecutive rows (damaged file?)");
    next += count[t];
  }
  if (static_cast<hsize_t>(next) != rows)
    throw sim::InputError(at + "/runs/row_count adds up to " + std::to_string(next) + " rows, /" + table_ + " holds " +
                          std::to_string(rows) + " (damaged file?)");
  for (std::size_t c = 0; c < cases_.size(); ++c) {
    case_first_row_.push_back(static_cast<hsize_t>(start[c * replicates_]));
    hsize_t n = 0;
    for (std::size_t k = 0; k < replicates_; ++k) n += static_cast<hsize_t>(count[c * replicates_ + k]);
    case_rows_.push_back(n);
  }
}

// Every dataset of the layout (docs/output-format.md) has the shape and type the format
// gives it, checked from the metadata alone before any reader uses one: series and yearly
// indicators [case x replicate x time] numbers, the group table one column length,
// /runs [case x replicate], /cases one entry per case, /meta lists of names, and the
// dimension scales their lengths.
void ResultFile::validate_layout() const {
  const auto& r = root();
  const hsize_t C = cases_.size(), R = replicates_, M = static_cast<hsize_t>(months_), Y = (M + 11) / 12;
  auto fail = [&](const sim::h5::Dataset& d, const std::string& what) {
    throw sim::InputError(d.path() + ": " + what +
                          " (damaged or hand-made file?). Rerun the experiment to rewrite it.");
  };
  auto shape = [](const std::vector<hsize_t>& v) {
    std::string s;
    for (auto x : v) s += (s.empty() ? "" : " x ") + std::to_string(x);
    return s.empty() ? std::string("a scalar") : s;
  };
  auto expect = [&](const sim::h5::Dataset& d, const std::vector<hsize_t>& want, bool text) {
    if (d.dims() != want) fail(d, "shape " + shape(d.dims()) + " where the file's attributes call for " + shape(want));
    if (text ? !d.is_text() : !d.is_numeric()) fail(d, text ? "expected text" : "expected numbers");
  };
  for (const auto& [group, T, time] : {std::tuple{"series", M, "month"}, std::tuple{"yearly", Y, "year"}}) {
    const auto g = r.open_group(group);
    for (const auto& name : g.children()) {
      const auto d = g.open(name);
      if (name == case_dim_)
        expect(d, {C}, true);
      else if (name == "replicate")
        expect(d, {R}, false);
      else if (name == time)
        expect(d, {T}, false);
      else
        expect(d, {C, R, T}, false);
    }
  }
  const auto groups = r.open_group(table_);
  const hsize_t rows = groups.open(case_dim_).dims().empty() ? 0 : groups.open(case_dim_).dims()[0];
  for (const auto& name : groups.children()) expect(groups.open(name), {rows}, false);
  const auto runs = r.open_group("runs");
  for (const auto& name : runs.children()) {
    const auto d = runs.open(name);
    if (name == case_dim_)
      expect(d, {C}, true);
    else if (name == "replicate")
      expect(d, {R}, false);
    else
      expect(d, {C, R}, name == "message");
  }
  for (const char* name : {"row_start", "row_count", "failed", "message"})
    if (!runs.exists(name)) throw sim::InputError(runs.path() + "/" + name + " is missing (damaged file?)");
  const auto cases = r.open_group("cases");
  for (const auto& name : cases.children()) expect(cases.open(name), {C}, true);
  // The case coordinate of every group that has one names the same cases, in order.
  for (const char* group : {"cases", "series", "yearly", "runs"}) {
    const auto g = r.open_group(group);
    if (!g.exists(case_dim_))
      throw sim::InputError(g.path() + ": the " + case_dim_ + " coordinate is missing (damaged or hand-made file?)");
    const auto d = g.open(case_dim_);
    if (d.read_strings() != cases_) fail(d, "names other cases than /cases/name");
  }
  // Codes and their names: every coded column within its labels, the labels the same in
  // /meta, one district per village, one cost series per cost category. (Village codes
  // are not checked against /meta/villages: those are the baseline's villages, and the
  // points of a sweep may have more.)
  for (const auto& name : groups.children()) {
    const auto d = groups.open(name);
    if (!d.has_attr("labels")) continue;
    const auto labels = d.attr_strings("labels");
    // A piece at a time: the table of many runs is long.
    constexpr hsize_t piece = 65536;
    for (hsize_t at = 0; at < rows; at += piece)
      for (double v : d.read_f64_block({at}, {std::min(piece, rows - at)}))
        if (!(v >= 0 && v < static_cast<double>(labels.size())))
          fail(d, "holds the code " + sim::format_number(v) + ", outside its " + std::to_string(labels.size()) +
                      " labels");
  }
  if (r.exists("meta")) {
    const auto meta = r.open_group("meta");
    for (const auto& name : meta.children()) {
      const auto d = meta.open(name);
      if (d.dims().size() != 1 || !d.is_text()) fail(d, "expected a list of names");
    }
    auto list = [&](const char* name) {
      return meta.exists(name) ? meta.open(name).read_strings() : std::vector<std::string>{};
    };
    for (const auto& [column, names] : {std::pair{"cause", "causes"}, std::pair{"business", "business_types"}})
      if (meta.exists(names) && groups.exists(column) && groups.open(column).has_attr("labels") &&
          list(names) != groups.open(column).attr_strings("labels"))
        fail(meta.open(names), "differs from the labels of /" + table_ + "/" + column);
    if (meta.exists("villages")) {
      // Lists of names, checked above: their lengths are their shapes, read without the
      // names (a province's villages are thousands of strings).
      const hsize_t villages = meta.open("villages").dims()[0];
      if (meta.exists("village_districts") && meta.open("village_districts").dims()[0] != villages)
        fail(meta.open("village_districts"), "does not name one district per village");
      if (meta.exists("village_households")) {
        const auto counts = list("village_households");
        if (counts.size() != villages) fail(meta.open("village_households"), "does not give one count per village");
        for (const auto& c : counts)
          if (c.empty() || c.size() > 9 || c.find_first_not_of("0123456789") != std::string::npos)
            fail(meta.open("village_households"), "holds '" + sim::shorten(c, 20) + "', not a count of households");
      }
    }
    const auto series = r.open_group("series");
    for (const auto& c : list("cost_categories"))
      if (!series.exists("cost_" + c))
        fail(meta.open("cost_categories"),
             "names '" + sim::shorten(c, 40) + "', which has no series cost_" + sim::shorten(c, 40));
    std::size_t costs = 0;
    for (const auto& name : series.children()) costs += name.rfind("cost_", 0) == 0 && name != "cost_total";
    if (meta.exists("cost_categories") && costs != list("cost_categories").size())
      fail(meta.open("cost_categories"), "does not list every cost_* series");
  }
  if (kind_ == "sweep") validate_design();
}

// A sweep's design: [point x factor] unit and value tables, one entry per factor for the
// names, ranges and scales, one per point for the block and group, and blocks and groups
// within the design's own bounds (the Sobol' and Morris estimators index by them).
void ResultFile::validate_design() const {
  const auto& r = root();
  if (!r.exists("design")) throw sim::InputError(path_.string() + ": a sweep file without /design (damaged file?)");
  const auto d = r.open_group("design");
  const hsize_t P = cases_.size();
  for (const char* name : {"factor", "unit", "value", "low", "high", "scale", "block", "group", "point"})
    if (!d.exists(name)) throw sim::InputError(d.path() + "/" + name + " is missing (damaged file?)");
  const auto fdims = d.open("factor").dims();
  const hsize_t K = fdims.size() == 1 ? fdims[0] : 0;
  auto fail = [&](const std::string& name, const std::string& what) {
    throw sim::InputError(d.open(name).path() + ": " + what +
                          " (damaged or hand-made file?). Rerun the sweep to rewrite it.");
  };
  auto expect = [&](const char* name, const std::vector<hsize_t>& want, bool text) {
    const auto ds = d.open(name);
    if (ds.dims() != want || (text ? !ds.is_text() : !ds.is_numeric()))
      fail(name, std::string("expected ") + (text ? "text" : "numbers") + " of shape " + std::to_string(want[0]) +
                     (want.size() > 1 ? " x " + std::to_string(want[1]) : std::string()));
  };
  expect("factor", {K}, true);
  expect("scale", {K}, true);
  expect("unit", {P, K}, false);
  expect("value", {P, K}, false);
  expect("low", {K}, false);
  expect("high", {K}, false);
  expect("block", {P}, false);
  expect("group", {P}, false);
  expect("point", {P}, true);
  for (double u : d.open("unit").read_f64())
    if (!(u >= 0 && u <= 1)) fail("unit", "holds " + sim::format_number(u) + ", outside [0, 1]");
  const auto kind = d.attr_string("kind");
  const double kmax = kind == "saltelli" ? static_cast<double>(K) + 1 : static_cast<double>(K) - 1;
  for (double b : d.open("block").read_f64())
    if (!(b >= -1 && b <= kmax) || b != std::floor(b))
      fail("block", "holds " + sim::format_number(b) + ", not a block of this design");
  for (double g : d.open("group").read_f64())
    if (!(g >= -1 && g < static_cast<double>(P)) || g != std::floor(g))
      fail("group", "holds " + sim::format_number(g) + ", not a group of this design");
}

std::string ResultFile::attr(const std::string& name) const {
  if (const auto it = renamed_.find(name); it != renamed_.end()) return it->second;
  return root().has_attr(name) ? root().attr_string(name) : "";
}

Matrix ResultFile::matrix(const std::string& group, const std::string& name, std::size_t c) const {
  return matrix_rows(group, name, c, 0, replicates_);
}

Matrix ResultFile::matrix_rows(const std::string& group, const std::string& name, std::size_t c, std::size_t first,
                               std::size_t count) const {
  const auto d = root().open_group(group).open(name);
  const auto dims = d.dims();
  const std::size_t stored = cases_.size() * pool_, reps = replicates_ / pool_;
  if (dims.size() != 3 || dims[0] != stored || dims[1] != reps)
    throw sim::InputError(d.path() + ": expected a [" + case_dim_ + " x replicate x time] dataset of " +
                          std::to_string(stored) + " x " + std::to_string(reps) + " x ... (damaged file?)");
  if (first + count > replicates_) throw std::invalid_argument("ResultFile::matrix_rows: rows out of range");
  // A pooled case's stored cases are consecutive: its rows run draw by draw, so a slice
  // of rows is a piece of one stored case or several.
  Matrix m{{}, count, dims[2], first};
  m.v.reserve(count * dims[2]);
  for (std::size_t r = first; r < first + count;) {
    const std::size_t draw = r / reps, rep = r % reps, n = std::min(reps - rep, first + count - r);
    const auto part = d.read_f64_block({c * pool_ + draw, rep, 0}, {1, n, dims[2]});
    m.v.insert(m.v.end(), part.begin(), part.end());
    r += n;
  }
  return m;
}

std::vector<double> ResultFile::column(const std::string& name, std::size_t c) const {
  return column(name, c, 0, case_rows_.at(c));
}

std::vector<double> ResultFile::column(const std::string& name, std::size_t c, std::size_t first,
                                       std::size_t count) const {
  if (first + count > case_rows_.at(c)) throw std::out_of_range("ResultFile::column: rows beyond the case's");
  const auto d = root().open_group(table_).open(name);
  const auto dims = d.dims();
  if (dims.size() != 1 || case_first_row_[c] + case_rows_[c] > dims[0])
    throw sim::InputError(d.path() + ": shorter than /runs/row_start and /runs/row_count say (damaged file?)");
  return d.read_f64_block({case_first_row_[c] + first}, {count});
}

std::vector<std::string> ResultFile::column_labels(const std::string& name) const {
  return root().open_group(table_).open(name).attr_strings("labels");
}

std::vector<int> ResultFile::failed() const {
  const auto v = root().open_group("runs").open("failed").read_f64();
  std::vector<int> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i] != 0;
  return out;
}

std::vector<std::string> ResultFile::messages() const {
  return root().open_group("runs").open("message").read_strings();
}

std::size_t ResultFile::case_index(const std::string& name) const {
  for (std::size_t i = 0; i < cases_.size(); ++i)
    if (cases_[i] == name) return i;
  throw sim::InputError(path_.string() + ": no " + case_dim_ + " named '" + name + "' in the file.");
}

std::vector<std::string> ResultFile::case_strings(const std::string& name) const {
  const auto cg = root().open_group("cases");
  if (!cg.exists(name)) return {};
  const auto all = cg.open(name).read_strings();
  if (all.size() != cases_.size() * pool_)
    throw sim::InputError(path_.string() + ": /cases/" + name + " holds " + std::to_string(all.size()) +
                          " entries for " + std::to_string(cases_.size() * pool_) + " cases (damaged file?)");
  std::vector<std::string> out;
  for (std::size_t c = 0; c < cases_.size(); ++c) out.push_back(all[c * pool_]);
  if (pool_ > 1 && name == "description")
    for (auto& d : out) {
      const auto at = d.rfind("(posterior draw 0)");
      if (at != std::string::npos) d = d.substr(0, at > 0 && d[at - 1] == ' ' ? at - 1 : at);
    }
  return out;
}

bool ResultFile::pool_posterior_draws() {
  if (pool_ != 1 || kind_ != "compare" || !root().exists("posterior")) return false;
  const auto pg = root().open_group("posterior");
  if (!pg.exists("case_scenario") || !pg.exists("draw")) return false;
  const auto of_case = pg.open("case_scenario").read_strings();
  std::vector<std::string> names;  // in the order of the file
  for (const auto& n : of_case)
    if (names.empty() || names.back() != n) names.push_back(n);
  const std::size_t D = pg.open("draw").dims().at(0), S = names.size();
  if (D == 0 || of_case.size() != cases_.size() || S * D != cases_.size())
    throw sim::InputError(path_.string() + ": /posterior does not describe " + std::to_string(cases_.size()) +
                          " cases as scenarios x draws (damaged file?)");
  // Cases are stored scenario by scenario, each scenario's draws in order.
  for (std::size_t c = 0; c < of_case.size(); ++c)
    if (of_case[c] != names[c / D])
      throw sim::InputError(path_.string() + ": /posterior/case_scenario is not scenario by scenario (damaged file?)");
  std::vector<hsize_t> first, rows;
  for (std::size_t s = 0; s < S; ++s) {
    first.push_back(case_first_row_[s * D]);
    hsize_t n = 0;
    for (std::size_t d = 0; d < D; ++d) n += case_rows_[s * D + d];
    rows.push_back(n);
  }
  // The baseline and counterfactual name a draw's case ("kota-batu@0"): read as their scenario.
  for (const char* a : {"baseline", "counterfactual"}) {
    const auto it = std::find(cases_.begin(), cases_.end(), attr(a));
    if (it != cases_.end()) renamed_[a] = of_case[static_cast<std::size_t>(it - cases_.begin())];
  }
  cases_ = names;
  case_first_row_ = std::move(first);
  case_rows_ = std::move(rows);
  replicates_ *= D;
  pool_ = D;
  return true;
}

std::size_t failed_runs(const std::filesystem::path& file) {
  std::size_t n = 0;
  for (int f : ResultFile(file).failed()) n += static_cast<std::size_t>(f);
  return n;
}

}  // namespace analysis
