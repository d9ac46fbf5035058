#include "analysis/generic.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "analysis/bootstrap.h"
#include "analysis/format.h"
#include "analysis/posterior.h"
#include "analysis/report_page.h"
#include "analysis/results.h"
#include "sim/output.h"
#include "sim/random.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
// Sweeps may have thousands of points: the text shows the first ones, JSON all.
constexpr std::size_t TEXT_CASES = 20;

// The mean of `v` over the replicates and its percentile interval over resamples of them.
Estimate over_replicates(const std::vector<double>& v, const Resamples& rs) {
  Estimate e;
  e.n = static_cast<int>(v.size());
  if (v.empty()) {
    e.mean = e.lo = e.hi = NaN;
    return e;
  }
  double sum = 0;
  for (double x : v) sum += x;
  e.mean = sum / static_cast<double>(v.size());
  if (v.size() < 2) {
    e.lo = e.hi = NaN;
    return e;
  }
  std::vector<double> means(rs.size());
  for (std::size_t b = 0; b < rs.size(); ++b) {
    double s = 0;
    for (auto i : rs[b]) s += v[i];
    means[b] = s / static_cast<double>(v.size());
  }
  const Bounds ci = percentile_interval(std::move(means));
  e.lo = ci.lo;
  e.hi = ci.hi;
  return e;
}

bool is_coordinate(const std::string& name, const std::string& case_dim) {
  return name == case_dim || name == "replicate" || name == "month";
}

std::string cell(const Estimate& e, bool sign) {
  if (!std::isfinite(e.mean)) return "n/a";
  const char* f = sign ? "%+.6g" : "%.6g";
  std::string s = format::number(e.mean, f);
  if (std::isnan(e.lo)) return s + " (one replicate: no interval)";
  return s + "  [" + format::end(e.lo, "%.6g") + ", " + format::end(e.hi, "%.6g") + "]";
}

}  // namespace

GenericSummary generic_summary(const std::filesystem::path& file) {
  const ResultFile f(file);
  GenericSummary s;
  s.file = file.string();
  s.model = f.attr("model");
  s.kind = f.kind();
  s.experiment = f.attr("experiment");
  s.baseline = f.attr("baseline");
  s.cases = f.cases();
  s.replicates = static_cast<long long>(f.replicates());
  s.months = f.months();
  s.seed = f.root().has_attr("seed") ? f.root().attr_int("seed") : 0;
  const std::size_t C = s.cases.size(), R = f.replicates();
  // The replicates every case ran: differences pair them, so each case uses the same ones.
  const auto failed = f.failed();
  std::vector<std::size_t> used;
  for (std::size_t r = 0; r < R; ++r) {
    bool ok = true;
    for (std::size_t c = 0; c < C; ++c) ok = ok && !failed[c * R + r];
    if (ok) used.push_back(r);
  }
  for (int x : failed) s.failed_runs += static_cast<std::size_t>(x);
  s.replicates_used = used.size();
  const Resamples rs(used.size(), BOOTSTRAP_RESAMPLES,
                     sim::combine(static_cast<std::uint64_t>(s.seed), 0x67656e65726963ULL));
  const std::size_t base = s.kind == "compare" && !s.baseline.empty() ? f.case_index(s.baseline) : C;
  const auto series = f.root().open_group("series");
  const std::string case_dim = f.root().attr_string("case_dimension");
  for (const auto& name : series.children()) {
    if (is_coordinate(name, case_dim)) continue;
    const auto d = series.open(name);
    GenericSeries g;
    g.name = name;
    g.unit = d.has_attr("units") ? d.attr_string("units") : "";
    g.long_name = d.has_attr("long_name")     ? d.attr_string("long_name")
                  : d.has_attr("description") ? d.attr_string("description")
                                              : "";
    std::vector<std::vector<double>> last(C);
    for (std::size_t c = 0; c < C; ++c) {
      const Matrix m = f.matrix("series", name, c);
      for (std::size_t r : used) last[c].push_back(m.at(r, m.cols - 1));
      g.last.push_back(over_replicates(last[c], rs));
    }
    if (base < C)
      for (std::size_t c = 0; c < C; ++c) {
        std::vector<double> diff(used.size());
        for (std::size_t k = 0; k < used.size(); ++k) diff[k] = last[c][k] - last[base][k];
        g.difference.push_back(over_replicates(diff, rs));
      }
    s.series.push_back(std::move(g));
  }
  return s;
}

std::string to_text(const GenericSummary& s) {
  std::ostringstream o;
  o << "berdaya " << s.kind << ": " << (s.experiment.empty() ? s.cases.front() : s.experiment) << " (model " << s.model
    << "), " << s.replicates << " replicates, " << s.months << " months, seed " << s.seed << "\n";
  if (s.failed_runs) o << s.failed_runs << " runs FAILED; their messages are in /runs/message.\n";
  o << "Each series in month " << s.months << ": mean over " << s.replicates_used
    << " replicates  [95% percentile bootstrap interval over replicates: simulation (Monte Carlo) precision]\n";
  const std::size_t shown = std::min(s.cases.size(), TEXT_CASES);
  for (const auto& g : s.series) {
    o << "\n"
      << g.name << (g.unit.empty() ? "" : " (" + g.unit + ")") << (g.long_name.empty() ? "" : ": " + g.long_name)
      << "\n";
    for (std::size_t c = 0; c < shown; ++c) {
      o << "  " << s.cases[c] << ": " << cell(g.last[c], false);
      if (!g.difference.empty() && s.cases[c] != s.baseline)
        o << "   vs " << s.baseline << ": " << cell(g.difference[c], true);
      o << "\n";
    }
    if (shown < s.cases.size())
      o << "  ... " << s.cases.size() - shown << " more points in the file (--json lists all)\n";
  }
  return o.str();
}

std::string to_json(const GenericSummary& s) {
  using format::json_estimate;
  using format::json_string;
  std::ostringstream o;
  o << "{\"file\": " << json_string(s.file) << ", \"model\": " << json_string(s.model)
    << ", \"kind\": " << json_string(s.kind) << ", \"experiment\": " << json_string(s.experiment)
    << ", \"replicates\": " << s.replicates << ", \"replicates_used\": " << s.replicates_used
    << ", \"months\": " << s.months << ", \"seed\": " << s.seed << ", \"failed_runs\": " << s.failed_runs
    << ", \"baseline\": " << json_string(s.baseline)
    << ", \"interval\": \"95% percentile bootstrap over replicates: simulation (Monte Carlo) precision\", \"cases\": [";
  for (std::size_t c = 0; c < s.cases.size(); ++c) o << (c ? ", " : "") << json_string(s.cases[c]);
  o << "], \"series\": [";
  for (std::size_t i = 0; i < s.series.size(); ++i) {
    const auto& g = s.series[i];
    o << (i ? ", " : "") << "{\"name\": " << json_string(g.name) << ", \"units\": " << json_string(g.unit)
      << ", \"last_month\": [";
    for (std::size_t c = 0; c < g.last.size(); ++c) o << (c ? ", " : "") << json_estimate(g.last[c]);
    o << "], \"difference\": [";
    for (std::size_t c = 0; c < g.difference.size(); ++c) o << (c ? ", " : "") << json_estimate(g.difference[c]);
    o << "]}";
  }
  o << "]}";
  return o.str();
}

std::string generic_summary(const std::filesystem::path& file, sim::SummaryFormat format) {
  switch (format) {
    case sim::SummaryFormat::Text: return to_text(generic_summary(file));
    case sim::SummaryFormat::Json: return to_json(generic_summary(file)) + "\n";
    case sim::SummaryFormat::Markdown: return "";
  }
  return "";
}

namespace {

std::string html(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

}  // namespace

std::string generic_report_html(const std::filesystem::path& file) {
  const GenericSummary s = generic_summary(file);
  const std::string title = "berdaya " + s.kind + ": " + (s.experiment.empty() ? s.cases.front() : s.experiment);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << html(title)
    << "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse;"
       "margin-bottom:1.5em}td,th{border:1px solid #999;padding:.2em .6em;text-align:right}th:first-child,"
       "td:first-child{text-align:left}</style></head><body>\n<h1>"
    << html(title) << "</h1>\n<p>Model <b>" << html(s.model) << "</b>, " << s.replicates << " replicates ("
    << s.replicates_used << " used), " << s.months << " months, seed " << s.seed << ". File: " << html(s.file)
    << ".</p>\n";
  if (s.failed_runs) o << "<p><b>" << s.failed_runs << " runs failed</b>: their messages are in /runs/message.</p>\n";
  // Over a posterior, the answers with their uncertainty come first.
  if (is_posterior_file(file)) {
    const report::Section p = report::posterior_section(posterior_summary(file), Lang::en);
    o << "<section id=\"" << p.id << "\"><h2>" << html(p.title) << "</h2>\n" << p.body << "\n</section>\n";
  }
  o << "<p>Each value is a series in month " << s.months
    << ", the mean over replicates; in brackets its 95% percentile bootstrap interval over replicates, which "
       "measures simulation (Monte Carlo) precision only, not what is unknown about the parameters.</p>\n";
  for (const auto& g : s.series) {
    o << "<h2>" << html(g.name) << (g.unit.empty() ? "" : " (" + html(g.unit) + ")") << "</h2>\n";
    if (!g.long_name.empty()) o << "<p>" << html(g.long_name) << "</p>\n";
    o << "<table><tr><th>" << (s.kind == "sweep" ? "point" : "scenario") << "</th><th>mean [95% interval]</th>";
    if (!g.difference.empty()) o << "<th>minus " << html(s.baseline) << "</th>";
    o << "</tr>\n";
    for (std::size_t c = 0; c < s.cases.size(); ++c) {
      o << "<tr><td>" << html(s.cases[c]) << "</td><td>" << html(cell(g.last[c], false)) << "</td>";
      if (!g.difference.empty())
        o << "<td>" << (s.cases[c] == s.baseline ? "" : html(cell(g.difference[c], true))) << "</td>";
      o << "</tr>\n";
    }
    o << "</table>\n";
  }
  o << "</body></html>\n";
  return o.str();
}

void write_generic_report(const std::filesystem::path& file, const std::filesystem::path& out, bool replace) {
  sim::check_output_path(out, "report.html", {file}, replace);
  sim::write_text_atomically(out, generic_report_html(file));
}

}  // namespace analysis
