#include "analysis/summary.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "analysis/format.h"
#include "sim/error.h"
#include "sim/h5.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

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

std::string pct(const Estimate& e) {
  if (!std::isfinite(e.mean)) return "n/a (no follow-up that long)";
  return format::number(100 * e.mean, "%.1f%%") + "  [" + format::number(100 * e.lo, "%.1f") + ", " + format::number(100 * e.hi, "%.1f") + "]";
}

std::string rp(const Estimate& e) {
  if (!std::isfinite(e.mean)) return "n/a";
  return "Rp " + format::number(e.mean, "%.0f") + "  [" + format::number(e.lo, "%.0f") + ", " + format::number(e.hi, "%.0f") + "]";
}

std::string plain(const Estimate& e, const char* f) {
  if (!std::isfinite(e.mean)) return "n/a";
  return format::number(e.mean, f) + "  [" + format::number(e.lo, f) + ", " + format::number(e.hi, f) + "]";
}

}  // namespace

Outcomes outcomes(const ResultFile& f, std::size_t c) {
  Outcomes o;
  const std::size_t R = f.replicates();
  const auto months = static_cast<double>(f.months());
  const auto fail = f.failed();
  for (std::size_t r = 0; r < R; ++r) o.failed_runs += fail[c * R + r];

  // Survival of funded groups, per replicate.
  const auto rep = f.column("replicate", c);
  const auto funded = f.column("funded_month", c);
  const auto failed = f.column("failed_month", c);
  const auto cause = f.column("cause", c);
  o.cause_labels = f.column_labels("cause");
  o.by_cause.assign(o.cause_labels.size(), 0);
  std::vector<std::vector<double>> times(R);
  std::vector<std::vector<int>> events(R);
  for (std::size_t i = 0; i < rep.size(); ++i) {
    if (funded[i] < 0) continue;
    const auto r = static_cast<std::size_t>(rep[i]);
    if (r >= R) throw sim::InputError(f.path().string() + ": /groups/replicate out of range (damaged file?)");
    ++o.groups_funded;
    const bool ev = failed[i] >= 0;
    times[r].push_back(ev ? failed[i] - funded[i] : months - funded[i]);
    events[r].push_back(ev ? 1 : 0);
    o.follow_up.push_back(times[r].back());
    o.end_cause.push_back(ev ? std::max(1, static_cast<int>(cause[i])) : 0);
    o.max_follow_up = std::max(o.max_follow_up, times[r].back());
    if (ev) {
      ++o.failures;
      const auto k = static_cast<std::size_t>(cause[i]);
      if (k < o.by_cause.size()) ++o.by_cause[k];
    }
  }
  for (int horizon : HORIZONS) {
    std::vector<double> v(R, NaN);
    for (std::size_t r = 0; r < R; ++r) {
      if (times[r].empty()) continue;
      double max_t = 0;
      for (double t : times[r]) max_t = std::max(max_t, t);
      v[r] = survival_at(kaplan_meier(times[r], events[r]), horizon, max_t);
    }
    o.active[horizon] = v;
  }

  auto series = [&](const char* name) { return f.matrix("series", name, c); };
  auto yearly = [&](const char* name) { return f.matrix("yearly", name, c); };
  for (const char* name : {"income_members", "income_members_cf", "income_pool", "income_pool_cf", "poverty_members",
                           "poverty_members_cf", "poverty_pool", "poverty_pool_cf"})
    o.tail[name] = tail_mean(series(name), 12);
  {
    const auto a = series("income_members"), b = series("income_members_cf");
    o.income_effect.assign(a.rows, NaN);
    for (std::size_t r = 0; r < a.rows; ++r) {
      double sum = 0;
      int n = 0;
      for (std::size_t k = 0; k < a.cols; ++k)
        if (std::isfinite(a.at(r, k)) && std::isfinite(b.at(r, k))) sum += a.at(r, k) - b.at(r, k), ++n;
      if (n) o.income_effect[r] = sum / n;
    }
  }
  o.cost_total = last_col(series("cost_total"));
  const auto funded_n = last_col(series("groups_funded"));
  const auto active_n = last_col(series("groups_active"));
  const auto office_n = last_col(series("office_active"));
  o.income_per_rupiah = last_col(yearly("income_per_rupiah"));
  o.cost_per_funded.assign(R, NaN);
  o.cost_per_active_end.assign(R, NaN);
  o.cost_per_active_36.assign(R, NaN);
  o.cost_per_rupiah.assign(R, NaN);
  o.overstatement.assign(R, NaN);
  for (std::size_t r = 0; r < R; ++r) {
    if (funded_n[r] > 0) o.cost_per_funded[r] = o.cost_total[r] / funded_n[r];
    if (active_n[r] > 0) o.cost_per_active_end[r] = o.cost_total[r] / active_n[r];
    // Groups expected active 36 months after funding: funded groups times S(36).
    const double s36 = o.active[36][r];
    if (funded_n[r] > 0 && s36 > 0) o.cost_per_active_36[r] = o.cost_total[r] / (funded_n[r] * s36);
    if (o.income_per_rupiah[r] > 0) o.cost_per_rupiah[r] = 1.0 / o.income_per_rupiah[r];
    if (funded_n[r] > 0) o.overstatement[r] = office_n[r] - active_n[r];
  }
  o.active_share_end = last_col(yearly("active_share"));
  o.lifted = row_mean(yearly("lifted_share"));
  o.response_median = row_mean(yearly("response_median"));
  o.response_3m = row_mean(yearly("response_within_3m"));
  o.at_risk_visited = row_mean(yearly("at_risk_visited"));
  o.report_on_time = row_mean(yearly("report_on_time"));
  o.report_error = row_mean(yearly("report_error"));
  return o;
}

Summary summarize(const std::filesystem::path& file, std::size_t case_index) {
  const ResultFile f(file);
  if (case_index >= f.cases().size())
    throw sim::InputError(file.string() + ": no case " + std::to_string(case_index) + " in the file.");
  const Outcomes o = outcomes(f, case_index);
  Summary s;
  s.file = file.string();
  s.scenario = f.cases()[case_index];
  s.created = f.attr("created");
  s.git_commit = f.attr("git_commit");
  s.replicates = static_cast<long long>(f.replicates());
  s.seed = f.root().attr_int("seed");
  s.months = f.months();
  s.failed_runs = o.failed_runs;
  s.groups_funded = o.groups_funded;
  s.failures = o.failures;
  for (const auto& [h, v] : o.active) s.active_share[h] = mean_ci(v);
  for (std::size_t k = 1; k < o.cause_labels.size(); ++k)
    s.failure_causes.push_back(
        {o.cause_labels[k], o.failures ? static_cast<double>(o.by_cause[k]) / static_cast<double>(o.failures) : 0.0});
  s.income_members = mean_ci(o.tail.at("income_members"));
  s.income_members_cf = mean_ci(o.tail.at("income_members_cf"));
  s.income_pool = mean_ci(o.tail.at("income_pool"));
  s.income_pool_cf = mean_ci(o.tail.at("income_pool_cf"));
  s.poverty_members = mean_ci(o.tail.at("poverty_members"));
  s.poverty_members_cf = mean_ci(o.tail.at("poverty_members_cf"));
  s.poverty_pool = mean_ci(o.tail.at("poverty_pool"));
  s.poverty_pool_cf = mean_ci(o.tail.at("poverty_pool_cf"));
  s.income_gain = mean_ci(o.income_effect);
  s.cost_total = mean_ci(o.cost_total);
  s.cost_per_funded_group = mean_ci(o.cost_per_funded);
  s.cost_per_active_group = mean_ci(o.cost_per_active_end);
  s.office_overstatement = mean_ci(o.overstatement);
  s.effectiveness_active_share = mean_ci(o.active_share_end);
  s.effectiveness_lifted = mean_ci(o.lifted);
  s.responsiveness_median = mean_ci(o.response_median);
  s.responsiveness_3m = mean_ci(o.response_3m);
  s.responsiveness_at_risk = mean_ci(o.at_risk_visited);
  s.accountability_on_time = mean_ci(o.report_on_time);
  s.accountability_error = mean_ci(o.report_error);
  s.productivity = mean_ci(o.income_per_rupiah);
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
  o << "{\"scenario\": " << format::json_string(s.scenario) << ", \"replicates\": " << s.replicates << ", \"seed\": " << s.seed
    << ", \"months\": " << s.months << ", \"failed_runs\": " << s.failed_runs << ", \"file\": " << format::json_string(s.file)
    << ", \"git_commit\": " << format::json_string(s.git_commit) << ", \"groups_funded\": " << s.groups_funded
    << ", \"failures\": " << s.failures << ", \"active_share\": {";
  bool first = true;
  for (const auto& [h, e] : s.active_share) {
    o << (first ? "" : ", ") << "\"" << h << "\": " << format::json_estimate(e);
    first = false;
  }
  o << "}, \"failure_causes\": {";
  first = true;
  for (const auto& [name, share] : s.failure_causes) {
    o << (first ? "" : ", ") << format::json_string(name) << ": " << format::json_number(share);
    first = false;
  }
  o << "}, \"income\": {\"members\": " << format::json_estimate(s.income_members) << ", \"members_cf\": "
    << format::json_estimate(s.income_members_cf) << ", \"members_gain\": " << format::json_estimate(s.income_gain)
    << ", \"pool\": " << format::json_estimate(s.income_pool) << ", \"pool_cf\": " << format::json_estimate(s.income_pool_cf) << "}";
  o << ", \"poverty\": {\"members\": " << format::json_estimate(s.poverty_members) << ", \"members_cf\": "
    << format::json_estimate(s.poverty_members_cf) << ", \"pool\": " << format::json_estimate(s.poverty_pool)
    << ", \"pool_cf\": " << format::json_estimate(s.poverty_pool_cf) << "}";
  o << ", \"cost\": {\"total\": " << format::json_estimate(s.cost_total) << ", \"per_funded_group\": "
    << format::json_estimate(s.cost_per_funded_group) << ", \"per_active_group\": " << format::json_estimate(s.cost_per_active_group)
    << ", \"income_per_rupiah\": " << format::json_estimate(s.productivity) << "}";
  o << ", \"indicators\": {\"effectiveness\": {\"active_share\": " << format::json_estimate(s.effectiveness_active_share)
    << ", \"lifted_share\": " << format::json_estimate(s.effectiveness_lifted) << "}, \"responsiveness\": {\"median_months\": "
    << format::json_estimate(s.responsiveness_median) << ", \"within_3_months\": " << format::json_estimate(s.responsiveness_3m)
    << ", \"at_risk_visited_1m\": " << format::json_estimate(s.responsiveness_at_risk)
    << "}, \"accountability\": {\"reports_on_time\": " << format::json_estimate(s.accountability_on_time)
    << ", \"report_error\": " << format::json_estimate(s.accountability_error) << ", \"office_overstatement_end\": "
    << format::json_estimate(s.office_overstatement) << "}}}";
  return o.str();
}

std::string describe_file(const std::filesystem::path& file) {
  const ResultFile f(file);
  const auto& root = f.root();
  std::ostringstream o;
  o << file.string() << ": berdaya results, format " << root.attr_string("format_version") << "\n";
  o << "  " << f.kind() << " '" << root.attr_string("experiment") << "': " << f.cases().size() << " "
    << root.attr_string("case_dimension") << (f.cases().size() == 1 ? "" : "s") << " x " << f.replicates()
    << " replicates of " << f.months() << " months, seed " << root.attr_int("seed") << "\n";
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
