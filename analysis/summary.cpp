#include "analysis/summary.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "sim/error.h"
#include "sim/h5.h"
#include "sim/writer.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

struct Matrix {
  std::vector<double> v;
  std::size_t rows = 0, cols = 0;
  double at(std::size_t r, std::size_t c) const { return v[r * cols + c]; }
};

Matrix read_matrix(const sim::h5::Group& g, const std::string& name) {
  auto d = g.open(name);
  auto dims = d.dims();
  if (dims.size() != 2) throw sim::InputError(d.path() + ": expected a [replicate x time] dataset");
  return {d.read_f64(), dims[0], dims[1]};
}

// Per replicate: mean over the last `window` columns.
std::vector<double> tail_mean(const Matrix& m, std::size_t window) {
  std::vector<double> out(m.rows, NaN);
  for (std::size_t r = 0; r < m.rows; ++r) {
    double s = 0;
    int n = 0;
    for (std::size_t c = m.cols > window ? m.cols - window : 0; c < m.cols; ++c)
      if (std::isfinite(m.at(r, c))) {
        s += m.at(r, c);
        ++n;
      }
    if (n) out[r] = s / n;
  }
  return out;
}

std::vector<double> last_col(const Matrix& m) {
  std::vector<double> out(m.rows, NaN);
  for (std::size_t r = 0; r < m.rows; ++r)
    if (m.cols) out[r] = m.at(r, m.cols - 1);
  return out;
}

// Per replicate: mean over all finite cells of the row.
std::vector<double> row_mean(const Matrix& m) { return tail_mean(m, m.cols); }

std::string num(double v, int digits = 3) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits + 3, v);
  return buf;
}

std::string json_est(const Estimate& e) {
  return "{\"mean\": " + num(e.mean) + ", \"lo\": " + num(e.lo) + ", \"hi\": " + num(e.hi) + ", \"n\": " +
         std::to_string(e.n) + "}";
}

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (c == '\n') o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
    else o += c;
  }
  return o + "\"";
}

std::string fmt(double v, const char* f) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string pct(const Estimate& e) {
  if (!std::isfinite(e.mean)) return "n/a (no follow-up that long)";
  return fmt(100 * e.mean, "%.1f%%") + "  [" + fmt(100 * e.lo, "%.1f") + ", " + fmt(100 * e.hi, "%.1f") + "]";
}

std::string rp(const Estimate& e) {
  if (!std::isfinite(e.mean)) return "n/a";
  return "Rp " + fmt(e.mean, "%.0f") + "  [" + fmt(e.lo, "%.0f") + ", " + fmt(e.hi, "%.0f") + "]";
}

std::string plain(const Estimate& e, const char* f) {
  if (!std::isfinite(e.mean)) return "n/a";
  return fmt(e.mean, f) + "  [" + fmt(e.lo, f) + ", " + fmt(e.hi, f) + "]";
}

void check_format(const sim::h5::File& f, const std::filesystem::path& file) {
  const auto& root = f.root();
  if (!root.has_attr("format") || root.attr_string("format") != sim::FORMAT_NAME)
    throw sim::InputError(file.string() + ": an HDF5 file, but not a berdaya result file (no format='" +
                          std::string(sim::FORMAT_NAME) + "' attribute). Give a file written by 'berdaya run'.");
  const std::string v = root.attr_string("format_version");
  if (v.substr(0, v.find('.')) != std::string(sim::FORMAT_VERSION).substr(0, 1))
    throw sim::InputError(file.string() + ": format version " + v + ", this berdaya reads " + sim::FORMAT_VERSION +
                          ". Use the berdaya version that wrote the file, or rerun the scenario.");
}

}  // namespace

Summary summarize(const std::filesystem::path& file) {
  const auto f = sim::h5::File::open(file);
  check_format(f, file);
  const auto& root = f.root();
  Summary s;
  s.file = file.string();
  s.scenario = root.attr_string("scenario");
  s.created = root.attr_string("created");
  s.git_commit = root.attr_string("git_commit");
  s.replicates = root.attr_int("replicates");
  s.seed = root.attr_int("seed");
  s.months = root.attr_int("months");
  const auto runs = root.open_group("runs");
  for (double x : runs.open("failed").read_f64()) s.failed_runs += x != 0;

  // Survival of funded groups, per replicate, then across replicates.
  const auto groups = root.open_group("groups");
  const auto rep = groups.open("replicate").read_f64();
  const auto funded = groups.open("funded_month").read_f64();
  const auto failed = groups.open("failed_month").read_f64();
  const auto cause = groups.open("cause").read_f64();
  const auto cause_labels = groups.open("cause").attr_strings("labels");
  const auto R = static_cast<std::size_t>(s.replicates);
  std::vector<std::vector<double>> times(R);
  std::vector<std::vector<int>> events(R);
  std::vector<long long> by_cause(cause_labels.size());
  for (std::size_t i = 0; i < rep.size(); ++i) {
    if (funded[i] < 0) continue;
    const auto r = static_cast<std::size_t>(rep[i]);
    if (r >= R) throw sim::InputError(groups.path() + ": replicate index out of range (damaged file?)");
    ++s.groups_funded;
    const bool ev = failed[i] >= 0;
    times[r].push_back(ev ? failed[i] - funded[i] : static_cast<double>(s.months) - funded[i]);
    events[r].push_back(ev ? 1 : 0);
    if (ev) {
      ++s.failures;
      const auto c = static_cast<std::size_t>(cause[i]);
      if (c < by_cause.size()) ++by_cause[c];
    }
  }
  for (int horizon : {12, 36, 60}) {
    std::vector<double> v(R, NaN);
    for (std::size_t r = 0; r < R; ++r) {
      if (times[r].empty()) continue;
      double max_t = 0;
      for (double t : times[r]) max_t = std::max(max_t, t);
      v[r] = survival_at(kaplan_meier(times[r], events[r]), horizon, max_t);
    }
    s.active_share[horizon] = mean_ci(v);
  }
  for (std::size_t c = 1; c < cause_labels.size(); ++c)
    s.failure_causes.push_back({cause_labels[c], s.failures ? static_cast<double>(by_cause[c]) / static_cast<double>(s.failures) : 0.0});

  const auto series = root.open_group("series");
  auto est_tail = [&](const char* name) { return mean_ci(tail_mean(read_matrix(series, name), 12)); };
  s.income_members = est_tail("income_members");
  s.income_members_cf = est_tail("income_members_cf");
  s.income_pool = est_tail("income_pool");
  s.income_pool_cf = est_tail("income_pool_cf");
  s.poverty_members = est_tail("poverty_members");
  s.poverty_members_cf = est_tail("poverty_members_cf");
  s.poverty_pool = est_tail("poverty_pool");
  s.poverty_pool_cf = est_tail("poverty_pool_cf");
  {
    const auto a = read_matrix(series, "income_members"), b = read_matrix(series, "income_members_cf");
    std::vector<double> gain(a.rows, NaN);
    for (std::size_t r = 0; r < a.rows; ++r) {
      double sum = 0;
      int n = 0;
      for (std::size_t c = 0; c < a.cols; ++c)
        if (std::isfinite(a.at(r, c)) && std::isfinite(b.at(r, c))) sum += a.at(r, c) - b.at(r, c), ++n;
      if (n) gain[r] = sum / n;
    }
    s.income_gain = mean_ci(gain);
  }
  const auto cost = last_col(read_matrix(series, "cost_total"));
  const auto funded_n = last_col(read_matrix(series, "groups_funded"));
  const auto active_n = last_col(read_matrix(series, "groups_active"));
  const auto office_n = last_col(read_matrix(series, "office_active"));
  s.cost_total = mean_ci(cost);
  std::vector<double> per_funded(R, NaN), per_active(R, NaN), over(R, NaN);
  for (std::size_t r = 0; r < R; ++r) {
    if (funded_n[r] > 0) per_funded[r] = cost[r] / funded_n[r];
    if (active_n[r] > 0) per_active[r] = cost[r] / active_n[r];
    if (funded_n[r] > 0) over[r] = office_n[r] - active_n[r];
  }
  s.cost_per_funded_group = mean_ci(per_funded);
  s.cost_per_active_group = mean_ci(per_active);
  s.office_overstatement = mean_ci(over);

  const auto yearly = root.open_group("yearly");
  s.effectiveness_active_share = mean_ci(last_col(read_matrix(yearly, "active_share")));
  s.effectiveness_lifted = mean_ci(row_mean(read_matrix(yearly, "lifted_share")));
  s.responsiveness_median = mean_ci(row_mean(read_matrix(yearly, "response_median")));
  s.responsiveness_3m = mean_ci(row_mean(read_matrix(yearly, "response_within_3m")));
  s.responsiveness_at_risk = mean_ci(row_mean(read_matrix(yearly, "at_risk_visited")));
  s.accountability_on_time = mean_ci(row_mean(read_matrix(yearly, "report_on_time")));
  s.accountability_error = mean_ci(row_mean(read_matrix(yearly, "report_error")));
  s.productivity = mean_ci(last_col(read_matrix(yearly, "income_per_rupiah")));
  return s;
}

std::string to_text(const Summary& s) {
  std::ostringstream o;
  o << "berdaya: scenario '" << s.scenario << "', " << s.replicates << " replicates, seed " << s.seed << ", "
    << s.months << " months";
  if (s.failed_runs) o << "  (" << s.failed_runs << " runs FAILED: see /runs/message)";
  o << "\nresults: " << s.file << "\n\n";
  o << "Groups still active after funding (Kaplan-Meier, mean over replicates, 95% CI)\n";
  for (const auto& [h, e] : s.active_share) o << "  " << (h < 10 ? " " : "") << h << " months: " << pct(e) << "\n";
  o << "\nFailure causes (" << s.failures << " of " << s.groups_funded << " funded groups, all replicates)\n";
  for (const auto& [name, share] : s.failure_causes) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  %-18s %5.1f%%\n", name.c_str(), 100 * share);
    o << buf;
  }
  o << "\nIncomes, last 12 months (Rp per household per month; with program / without)\n";
  o << "  recipients:  " << rp(s.income_members) << "  /  " << rp(s.income_members_cf) << "\n";
  o << "  whole pool:  " << rp(s.income_pool) << "  /  " << rp(s.income_pool_cf) << "\n";
  o << "  recipients' mean gain over the run: " << rp(s.income_gain) << "\n";
  o << "Poverty headcount, last 12 months (with program / without)\n";
  o << "  recipients:  " << pct(s.poverty_members) << "  /  " << pct(s.poverty_members_cf) << "\n";
  o << "  whole pool:  " << pct(s.poverty_pool) << "  /  " << pct(s.poverty_pool_cf) << "\n";
  o << "\nCosts (Rp, whole run)\n";
  o << "  total:                     " << plain(s.cost_total, "%.0f") << "\n";
  o << "  per funded group:          " << plain(s.cost_per_funded_group, "%.0f") << "\n";
  o << "  per group active at end:   " << plain(s.cost_per_active_group, "%.0f") << "\n";
  o << "  income gained per rupiah:  " << plain(s.productivity, "%.3f") << "\n";
  o << "\nCity office indicators\n";
  o << "  Effectiveness:   funded groups active at the end " << pct(s.effectiveness_active_share)
    << "; recipients lifted above the line " << pct(s.effectiveness_lifted) << "\n";
  o << "  Responsiveness:  median months from need to answer " << plain(s.responsiveness_median, "%.1f")
    << "; answered within 3 months " << pct(s.responsiveness_3m) << "; at-risk groups visited within a month "
    << pct(s.responsiveness_at_risk) << "\n";
  o << "  Accountability:  yearly reports on time " << pct(s.accountability_on_time)
    << "; report error (reported - true active groups) " << plain(s.accountability_error, "%+.1f") << "\n";
  return o.str();
}

std::string to_json(const Summary& s) {
  std::ostringstream o;
  o << "{\"scenario\": " << json_str(s.scenario) << ", \"replicates\": " << s.replicates << ", \"seed\": " << s.seed
    << ", \"months\": " << s.months << ", \"failed_runs\": " << s.failed_runs << ", \"file\": " << json_str(s.file)
    << ", \"git_commit\": " << json_str(s.git_commit) << ", \"groups_funded\": " << s.groups_funded
    << ", \"failures\": " << s.failures << ", \"active_share\": {";
  bool first = true;
  for (const auto& [h, e] : s.active_share) {
    o << (first ? "" : ", ") << "\"" << h << "\": " << json_est(e);
    first = false;
  }
  o << "}, \"failure_causes\": {";
  first = true;
  for (const auto& [name, share] : s.failure_causes) {
    o << (first ? "" : ", ") << json_str(name) << ": " << num(share);
    first = false;
  }
  o << "}, \"income\": {\"members\": " << json_est(s.income_members) << ", \"members_cf\": "
    << json_est(s.income_members_cf) << ", \"members_gain\": " << json_est(s.income_gain)
    << ", \"pool\": " << json_est(s.income_pool) << ", \"pool_cf\": " << json_est(s.income_pool_cf) << "}";
  o << ", \"poverty\": {\"members\": " << json_est(s.poverty_members) << ", \"members_cf\": "
    << json_est(s.poverty_members_cf) << ", \"pool\": " << json_est(s.poverty_pool)
    << ", \"pool_cf\": " << json_est(s.poverty_pool_cf) << "}";
  o << ", \"cost\": {\"total\": " << json_est(s.cost_total) << ", \"per_funded_group\": "
    << json_est(s.cost_per_funded_group) << ", \"per_active_group\": " << json_est(s.cost_per_active_group)
    << ", \"income_per_rupiah\": " << json_est(s.productivity) << "}";
  o << ", \"indicators\": {\"effectiveness\": {\"active_share\": " << json_est(s.effectiveness_active_share)
    << ", \"lifted_share\": " << json_est(s.effectiveness_lifted) << "}, \"responsiveness\": {\"median_months\": "
    << json_est(s.responsiveness_median) << ", \"within_3_months\": " << json_est(s.responsiveness_3m)
    << ", \"at_risk_visited_1m\": " << json_est(s.responsiveness_at_risk)
    << "}, \"accountability\": {\"reports_on_time\": " << json_est(s.accountability_on_time)
    << ", \"report_error\": " << json_est(s.accountability_error) << ", \"office_overstatement_end\": "
    << json_est(s.office_overstatement) << "}}}";
  return o.str();
}

std::string describe_file(const std::filesystem::path& file) {
  const auto f = sim::h5::File::open(file);
  check_format(f, file);
  const auto& root = f.root();
  std::ostringstream o;
  o << file.string() << ": berdaya results, format " << root.attr_string("format_version") << "\n";
  o << "  scenario '" << root.attr_string("scenario") << "', " << root.attr_int("replicates") << " replicates of "
    << root.attr_int("months") << " months, seed " << root.attr_int("seed") << "\n";
  o << "  written " << root.attr_string("created") << " by berdaya " << root.attr_string("engine_version")
    << " (commit " << root.attr_string("git_commit") << ", HDF5 " << root.attr_string("hdf5_version") << ")\n";
  o << "  command: " << root.attr_string("command_line") << "\n";
  for (const auto& name : root.children()) {
    if (!root.is_group(name)) continue;
    const auto g = root.open_group(name);
    o << "\n/" << name;
    if (g.has_attr("description")) o << ": " << g.attr_string("description");
    o << "\n";
    for (const auto& ds : g.children()) {
      const auto d = g.open(ds);
      const auto dims = d.dims();
      std::string shape;
      for (auto x : dims) shape += (shape.empty() ? "" : " x ") + std::to_string(x);
      o << "  " << ds << " [" << shape << "]";
      if (d.has_attr("units")) o << " (" << d.attr_string("units") << ")";
      if (d.has_attr("description")) o << ": " << d.attr_string("description");
      o << "\n";
    }
  }
  o << "\nThe resolved scenario is in the root attribute 'scenario_toml'; 'berdaya inspect --scenario FILE' prints it.\n";
  return o.str();
}

}  // namespace analysis
