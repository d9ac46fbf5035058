#include "cli/export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/outcomes.h"
#include "analysis/results.h"
#include "cli/calibrate.h"
#include "cli/commands.h"
#include "cli/optimize.h"
#include "sim/error.h"
#include "sim/h5.h"
#include "sim/output.h"

namespace fs = std::filesystem;
// The summary's own order of keys (name first), not the alphabet's.
using json = nlohmann::ordered_json;

namespace cli {

namespace {

// Excel's limit: rows past it are not written, and the table says so.
constexpr std::size_t MAX_ROWS = 1'048'575;

Cell cell_of(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  return std::monostate{};
}

// A JSON value as (path, cell) pairs: objects by key, lists by position (a.b.0.c).
void flatten(const json& v, const std::string& path, std::vector<std::pair<std::string, Cell>>& out) {
  if (v.is_object()) {
    for (const auto& [k, x] : v.items()) flatten(x, path.empty() ? k : path + "." + k, out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) flatten(v[i], path + "." + std::to_string(i), out);
  } else {
    out.emplace_back(path, cell_of(v));
  }
}

bool is_records(const json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const auto& x : v)
    if (!x.is_object()) return false;
  return true;
}

// The unit of an estimate's column (its mean, lo or hi), when a word of its path is a key
// of the summary's units; counts beside it (n, at_risk) have none.
std::string header_of(const std::string& path, const json& units) {
  const std::size_t last = path.rfind('.');
  const std::string leaf = last == std::string::npos ? path : path.substr(last + 1);
  static const char* const ESTIMATE[] = {"mean", "lo", "hi", "value", "median"};
  if (!units.is_object() || std::find(std::begin(ESTIMATE), std::end(ESTIMATE), leaf) == std::end(ESTIMATE))
    return path;
  std::size_t start = 0;
  while (start < path.size()) {
    const std::size_t end = std::min(path.find('.', start), path.size());
    const std::string word = path.substr(start, end - start);
    if (units.contains(word) && units[word].is_string() && !units[word].get<std::string>().empty())
      return path + " (" + units[word].get<std::string>() + ")";
    start = end + 1;
  }
  return path;
}

// A list of records as a table named `name`, one row each, a column per path in them.
Table records_table(const std::string& name, const json& v, const json& units) {
  Table t{name, {}, {}};
  std::map<std::string, std::size_t> column;
  std::vector<std::vector<std::pair<std::string, Cell>>> rows;
  for (const auto& record : v) {
    rows.emplace_back();
    flatten(record, "", rows.back());
    for (const auto& [path, c] : rows.back())
      if (column.emplace(path, column.size()).second) t.header.push_back(header_of(path, units));
  }
  for (auto& r : rows) {
    std::vector<Cell> line(t.header.size());
    for (auto& [path, c] : r) line[column.at(path)] = std::move(c);
    t.rows.push_back(std::move(line));
  }
  return t;
}

// Whether a list of records is somewhere in `v`.
bool holds_records(const json& v) {
  if (is_records(v)) return true;
  if (v.is_object())
    for (const auto& [k, x] : v.items())
      if (holds_records(x)) return true;
  return false;
}

// Every list of records in `v` (at any depth) a table, the rest rows of "about". A list
// alone in its object (the brief's options) takes the object's name.
void collect(const json& v, const std::string& path, const json& units, std::vector<Table>& out, Table& about) {
  if (is_records(v)) {
    out.push_back(records_table(path, v, units));
    return;
  }
  if (v.is_object() && (path.empty() || holds_records(v))) {
    std::size_t lists = 0;
    for (const auto& [k, x] : v.items()) lists += is_records(x);
    for (const auto& [k, x] : v.items()) {
      const std::string here = path.empty() ? k : path + "." + k;
      collect(x, !path.empty() && lists == 1 && is_records(x) ? path : here, units, out, about);
    }
    return;
  }
  std::vector<std::pair<std::string, Cell>> cells;
  flatten(v, path, cells);
  for (auto& [p, c] : cells) about.rows.push_back({p, c});
}

void summary_tables(const std::string& file, std::vector<Table>& out) {
  const json j = json::parse(summarize(file, sim::SummaryFormat::Json));
  const json units = j.contains("units") ? j["units"] : json();
  Table about{"about", {"key", "value"}, {}};
  collect(j, "", units, out, about);
  out.push_back(std::move(about));
}

// The mean of each monthly series over the successful replicates, per case and month.
void series_table(const std::string& file, std::vector<Table>& out) {
  const analysis::ResultFile f(file);
  // The group's [case x replicate x month] datasets, not its dimension scales.
  std::vector<std::string> names;
  for (const auto& n : f.root().open_group("series").children())
    if (f.root().open_group("series").open(n).dims().size() == 3) names.push_back(n);
  const std::string dim = f.attr("case_dimension");
  Table t{"series", {dim.empty() ? "case" : dim, "month"}, {}};
  for (const auto& n : names) {
    const auto d = f.root().open_group("series").open(n);
    t.header.push_back(n + (d.has_attr("units") ? " (" + d.attr_string("units") + ")" : ""));
  }
  const std::size_t months = static_cast<std::size_t>(std::max(0LL, f.months()));
  for (std::size_t c = 0; c < f.cases().size(); ++c) {
    const auto ok = analysis::succeeded_replicates(f, c);
    std::vector<std::vector<Cell>> block(months, std::vector<Cell>(t.header.size()));
    for (std::size_t k = 0; k < months; ++k) {
      block[k][0] = f.cases()[c];
      block[k][1] = static_cast<double>(k + 1);
    }
    for (std::size_t s = 0; s < names.size(); ++s) {
      const auto m = f.matrix("series", names[s], c);
      for (std::size_t k = 0; k < months && k < m.cols; ++k) {
        double sum = 0;
        std::size_t n = 0;
        for (auto r : ok)
          if (std::isfinite(m.at(r, k))) sum += m.at(r, k), ++n;
        if (n) block[k][2 + s] = sum / static_cast<double>(n);
      }
    }
    for (auto& line : block) t.rows.push_back(std::move(line));
  }
  out.push_back(std::move(t));
}

std::string number_text(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "" : (v > 0 ? "inf" : "-inf");
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // the shortest text that reads back as v
  return std::string(buf, r.ptr);
}

std::string csv_of(const Table& t) {
  std::string o;
  for (std::size_t i = 0; i < t.header.size(); ++i) o += (i ? "," : "") + sim::csv_field(t.header[i]);
  o += "\r\n";
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) o += ",";
      if (const auto* d = std::get_if<double>(&row[i])) o += number_text(*d);
      if (const auto* s = std::get_if<std::string>(&row[i])) o += sim::csv_field(*s);
    }
    o += "\r\n";
  }
  return o;
}

// A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique.
std::string sheet_name(std::string name, std::vector<std::string>& used) {
  for (auto& ch : name)
    if (std::string("[]:*?/\\").find(ch) != std::string::npos) ch = '_';
  name = name.substr(0, 28);
  std::string unique = name;
  for (int k = 2; std::find(used.begin(), used.end(), unique) != used.end(); ++k)
    unique = name + "_" + std::to_string(k);
  used.push_back(unique);
  return unique;
}

void write_xlsx(const fs::path& path, const std::vector<Table>& tables) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) throw sim::OutputError(path.string() + ": cannot be created");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  std::vector<std::string> used;
  for (const auto& t : tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(t.name, used).c_str());
    for (std::size_t i = 0; i < t.header.size(); ++i)
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(i), t.header[i].c_str(), bold);
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t r = 0; r < t.rows.size() && r < MAX_ROWS; ++r)
      for (std::size_t i = 0; i < t.rows[r].size(); ++i) {
        const auto row = static_cast<lxw_row_t>(r + 1);
        const auto col = static_cast<lxw_col_t>(i);
        if (const auto* d = std::get_if<double>(&t.rows[r][i])) {
          if (std::isfinite(*d)) worksheet_write_number(ws, row, col, *d, nullptr);
        } else if (const auto* s = std::get_if<std::string>(&t.rows[r][i])) {
          worksheet_write_string(ws, row, col, s->c_str(), nullptr);
        }
      }
  }
  const lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) throw sim::OutputError(path.string() + ": " + lxw_strerror(e));
}

}  // namespace

// The entity table (KUBE's groups: one row per funded group per run): the run's case by
// name, then every column, coded columns (flag_values, flag_meanings) in words, fill values
// empty. At most
// Excel's rows; a longer table is cut there and says so in its last row.
void entity_table(const std::string& file, std::vector<Table>& out) {
  const analysis::ResultFile f(file);
  const auto& root = f.root();
  const std::string name = root.has_attr("table") ? root.attr_string("table") : "groups";
  const std::string dim = f.attr("case_dimension").empty() ? "case" : f.attr("case_dimension");
  if (!root.exists(name)) return;
  const auto g = root.open_group(name);
  if (!g.exists(dim)) return;
  std::vector<std::string> columns;
  for (const auto& n : g.children())
    if (n != dim && n != "row" && g.open(n).is_numeric() && g.open(n).dims().size() == 1) columns.push_back(n);
  const auto cases = g.open(dim).read_i64();
  const std::size_t n = std::min<std::size_t>(cases.size(), MAX_ROWS - 1);
  Table t{name, {dim}, {}};
  std::vector<std::vector<double>> values;
  std::vector<std::map<long long, std::string>> words(columns.size());
  std::vector<double> fill(columns.size(),
                           std::nan(""));  // _FillValue: not applicable (an active group's failed_month)
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const auto d = g.open(columns[k]);
    t.header.push_back(
        columns[k] + (d.has_attr("units") && d.attr_string("units") != "1" ? " (" + d.attr_string("units") + ")" : ""));
    values.push_back(d.read_f64());
    if (d.has_attr("_FillValue")) fill[k] = d.attr_double("_FillValue");
    if (d.has_attr("flag_values") && d.has_attr("flag_meanings")) {
      const auto codes = d.attr_ints("flag_values");
      std::istringstream meanings(d.attr_string("flag_meanings"));
      std::string w;
      for (std::size_t i = 0; i < codes.size() && meanings >> w; ++i) words[k][codes[i]] = w;
    }
  }
  t.rows.reserve(n + 1);
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<Cell> line(t.header.size());
    const auto c = static_cast<std::size_t>(cases[r]);
    line[0] = c < f.cases().size() ? Cell(f.cases()[c]) : Cell(static_cast<double>(cases[r]));
    for (std::size_t k = 0; k < columns.size(); ++k) {
      double v = r < values[k].size() ? values[k][r] : std::nan("");
      if (v == fill[k]) v = std::nan("");  // an empty cell
      const auto word = std::isfinite(v) ? words[k].find(static_cast<long long>(v)) : words[k].end();
      if (word != words[k].end())
        line[k + 1] = word->second;
      else if (std::isfinite(v))
        line[k + 1] = v;
    }
    t.rows.push_back(std::move(line));
  }
  if (n < cases.size()) {
    std::vector<Cell> line(t.header.size());
    line[0] = "the table has " + std::to_string(cases.size()) + " rows; a sheet holds " + std::to_string(n) +
              ": read the rest from the HDF5 file";
    t.rows.push_back(std::move(line));
  }
  out.push_back(std::move(t));
}

std::vector<Table> export_tables(const std::string& file) {
  if (!fs::exists(file)) throw sim::InputError(file + ": no such file. Give a result file of berdaya (.h5).");
  std::vector<Table> tables;
  summary_tables(file, tables);
  // Files of runs have monthly series; calibration and optimization files have their own
  // records, all in the summary.
  if (!is_calibration_file(file) && !is_optimization_file(file)) {
    series_table(file, tables);
    entity_table(file, tables);
  }
  return tables;
}

int export_file(const ExportOptions& o) {
  const fs::path out(o.output);
  const std::string ext = out.extension().string();
  if (ext != ".xlsx" && ext != ".csv")
    throw sim::InputError("-o " + o.output + ": write .xlsx (every table, a sheet each) or .csv (one table).");
  if (fs::exists(out) && !o.force)
    throw sim::InputError(o.output + " exists. Pass --force to replace it, or choose another name.");
  const auto tables = export_tables(o.file);
  fs::path tmp = out;
  tmp += ".tmp-" + std::to_string(::getpid());
  try {
    if (ext == ".xlsx") {
      if (!o.table.empty())
        throw sim::InputError("--table picks the one table of a .csv; a .xlsx holds them all. Leave it out.");
      write_xlsx(tmp, tables);
    } else {
      std::string names;
      const Table* pick = o.table.empty() ? &tables.front() : nullptr;
      for (const auto& t : tables) {
        names += (names.empty() ? "" : ", ") + t.name;
        if (t.name == o.table) pick = &t;
      }
      if (!pick)
        throw sim::InputError("--table " + o.table + ": not a table of " + o.file + ". Its tables: " + names + ".");
      sim::write_text_atomically(tmp, csv_of(*pick));
    }
    fs::rename(tmp, out);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  std::cout << out.string() << "\n";
  return 0;
}

}  // namespace cli
