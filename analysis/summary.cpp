#include "analysis/summary.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "analysis/estimates.h"
#include "analysis/format.h"
#include "sim/error.h"
#include "sim/h5.h"

namespace analysis {

namespace {

// "v  [lo, hi]" at `scale` (100 for percent) and printf format; "not estimable (n at
// risk)" or "n/a" where there is no number.
std::string shown(const Estimate& e, double scale, const char* f, const char* unit = "") {
  if (!e.estimable) return format::not_estimable(e);
  if (!std::isfinite(e.mean)) return std::isinf(e.mean) ? "unbounded (nothing to divide by)" : "n/a";
  if (std::isnan(e.lo) || std::isnan(e.hi))
    return format::number(scale * e.mean, f) + unit + "  (no interval: one replicate)";
  return format::number(scale * e.mean, f) + unit + "  [" + format::end(scale * e.lo, f) + ", " +
         format::end(scale * e.hi, f) + "]";
}

std::string pct(const Estimate& e) { return shown(e, 100, "%.1f", "%"); }
std::string rp(const Estimate& e) { return std::isfinite(e.mean) ? "Rp " + shown(e, 1, "%.0f") : shown(e, 1, "%.0f"); }
std::string plain(const Estimate& e, const char* f) { return shown(e, 1, f); }

std::string at_risk(const Estimate& e) {
  return e.estimable && std::isfinite(e.at_risk) ? "  (" + format::number(e.at_risk, "%.0f") + " at risk)" : "";
}

}  // namespace

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
  s.max_follow_up = o.max_follow_up;
  for (std::size_t k = 1; k < o.cause_labels.size(); ++k)
    s.failure_causes.push_back(
        {o.cause_labels[k], o.failures ? static_cast<double>(o.by_cause[k]) / static_cast<double>(o.failures) : 0.0});
  const EstimationPlan plan = estimation_plan({&o}, static_cast<std::uint64_t>(s.seed));
  const Draws d = draws(o, plan);
  for (std::size_t q = 0; q < QUANTITY_COUNT; ++q) s.estimate[q] = level(d, q);
  s.replicates_used = plan.replicates.size();
  s.bootstrap_batch = plan.batch();
  s.resamples = plan.resamples;
  s.bootstrap_seed = plan.seed;
  return s;
}

std::string to_text(const Summary& s) {
  std::ostringstream o;
  o << "berdaya: scenario '" << s.scenario << "', " << s.replicates << " replicates, seed " << s.seed << ", "
    << s.months << " months";
  if (s.failed_runs) o << "  (" << s.failed_runs << " runs FAILED: see /runs/message)";
  o << "\nresults: " << s.file << "\n";
  o << interval_note(s.replicates_used, s.resamples, s.bootstrap_batch) << "\n\n";
  o << "Groups still active after funding (Kaplan-Meier over the funded groups of all replicates, 95% interval)\n";
  for (std::size_t q : {ACTIVE_12, ACTIVE_36, ACTIVE_60}) {
    const int h = quantity_info(q).horizon;
    o << "  " << (h < 10 ? " " : "") << h << " months: " << pct(s.estimate[q]) << at_risk(s.estimate[q]) << "\n";
  }
  o << "  (Not estimable: " << not_estimable_rule() << "; the longest follow-up is "
    << format::number(s.max_follow_up, "%.0f") << " months.)\n";
  o << "\nFailure causes (" << s.failures << " of " << s.groups_funded << " funded groups, all replicates)\n";
  for (const auto& [name, share] : s.failure_causes) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  %-18s %5.1f%%\n", name.c_str(), 100 * share);
    o << buf;
  }
  o << "\nRecipients' income against their own without the program (Rp per recipient household per month, whole run)\n";
  o << "  lasting income gain:              " << rp(s[INCOME_GAIN]) << "\n";
  o << "  one-off transfer (grant shared out): " << rp(s[INCOME_TRANSFER])
    << "  (cash handed back once, not income; not in the gain)\n";
  o << "Incomes, last 12 months (Rp per household per month; with program / without)\n";
  o << "  recipients:  " << rp(s[INCOME_MEMBERS]) << "  /  " << rp(s[INCOME_MEMBERS_CF]) << "\n";
  o << "  whole pool:  " << rp(s[INCOME_POOL]) << "  /  " << rp(s[INCOME_POOL_CF]) << "\n";
  o << "Poverty headcount, last 12 months (with program / without)\n";
  o << "  recipients:  " << pct(s[POVERTY_MEMBERS]) << "  /  " << pct(s[POVERTY_MEMBERS_CF]) << "\n";
  o << "  whole pool:  " << pct(s[POVERTY_POOL]) << "  /  " << pct(s[POVERTY_POOL_CF]) << "\n";
  o << "\nCosts (Rp, whole run; ratios of totals over all replicates)\n";
  o << "  total (mean per replicate):           " << plain(s[COST_TOTAL], "%.0f") << "\n";
  o << "  per funded group:                     " << plain(s[COST_PER_FUNDED], "%.0f") << "\n";
  o << "  per group active at the end:          " << plain(s[COST_PER_ACTIVE_END], "%.0f") << "\n";
  o << "  per group active 36 months after funding: " << plain(s[COST_PER_ACTIVE_36], "%.0f") << "\n";
  o << "  lasting income gained per rupiah:     " << plain(s[INCOME_PER_RUPIAH], "%.3f") << "\n";
  o << "  cost per rupiah of lasting income:    " << plain(s[COST_PER_RUPIAH], "%.2f") << "\n";
  o << "\nCity office indicators\n";
  o << "  Effectiveness:   funded groups active at the end " << pct(s[ACTIVE_SHARE_END])
    << "; recipients lifted above the line " << pct(s[LIFTED]) << "\n";
  o << "  Responsiveness:  median months from need to answer " << plain(s[RESPONSE_MEDIAN], "%.1f")
    << "; answered within 3 months " << pct(s[RESPONSE_3M]) << "; at-risk groups visited within a month "
    << pct(s[AT_RISK_VISITED]) << "\n";
  o << "  Accountability:  yearly reports on time " << pct(s[REPORT_ON_TIME])
    << "; report error (reported - true active groups) " << shown(s[REPORT_ERROR], 1, "%+.2f") << "\n";
  return o.str();
}

std::string to_json(const Summary& s) {
  std::ostringstream o;
  auto est = [&](std::size_t q) { return format::json_estimate(s.estimate[q]); };
  o << "{\"scenario\": " << format::json_string(s.scenario) << ", \"replicates\": " << s.replicates
    << ", \"seed\": " << s.seed << ", \"months\": " << s.months << ", \"failed_runs\": " << s.failed_runs
    << ", \"file\": " << format::json_string(s.file) << ", \"git_commit\": " << format::json_string(s.git_commit)
    << ", \"interval\": " << interval_json(s.replicates_used, s.resamples, s.bootstrap_seed, s.bootstrap_batch)
    << ", \"groups_funded\": " << s.groups_funded << ", \"failures\": " << s.failures
    << ", \"max_follow_up\": " << format::json_number(s.max_follow_up) << ", \"active_share\": {";
  bool first = true;
  for (std::size_t q : {ACTIVE_12, ACTIVE_36, ACTIVE_60}) {
    o << (first ? "" : ", ") << "\"" << quantity_info(q).horizon << "\": " << est(q);
    first = false;
  }
  o << "}, \"failure_causes\": {";
  first = true;
  for (const auto& [name, share] : s.failure_causes) {
    o << (first ? "" : ", ") << format::json_string(name) << ": " << format::json_number(share);
    first = false;
  }
  o << "}, \"income\": {\"members\": " << est(INCOME_MEMBERS) << ", \"members_cf\": " << est(INCOME_MEMBERS_CF)
    << ", \"members_gain\": " << est(INCOME_GAIN) << ", \"members_transfer\": " << est(INCOME_TRANSFER)
    << ", \"pool\": " << est(INCOME_POOL) << ", \"pool_cf\": " << est(INCOME_POOL_CF) << "}";
  o << ", \"poverty\": {\"members\": " << est(POVERTY_MEMBERS) << ", \"members_cf\": " << est(POVERTY_MEMBERS_CF)
    << ", \"members_change\": " << est(POVERTY_CHANGE_MEMBERS) << ", \"pool\": " << est(POVERTY_POOL)
    << ", \"pool_cf\": " << est(POVERTY_POOL_CF) << "}";
  o << ", \"cost\": {\"total\": " << est(COST_TOTAL) << ", \"per_funded_group\": " << est(COST_PER_FUNDED)
    << ", \"per_active_group\": " << est(COST_PER_ACTIVE_END)
    << ", \"per_active_group_36\": " << est(COST_PER_ACTIVE_36) << ", \"income_per_rupiah\": " << est(INCOME_PER_RUPIAH)
    << ", \"cost_per_rupiah\": " << est(COST_PER_RUPIAH) << "}";
  o << ", \"indicators\": {\"effectiveness\": {\"active_share\": " << est(ACTIVE_SHARE_END)
    << ", \"lifted_share\": " << est(LIFTED) << "}, \"responsiveness\": {\"median_months\": " << est(RESPONSE_MEDIAN)
    << ", \"within_3_months\": " << est(RESPONSE_3M) << ", \"at_risk_visited_1m\": " << est(AT_RISK_VISITED)
    << "}, \"accountability\": {\"reports_on_time\": " << est(REPORT_ON_TIME)
    << ", \"report_error\": " << est(REPORT_ERROR) << ", \"office_overstatement_end\": " << est(OVERSTATEMENT) << "}}}";
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
  if (root.has_attr("model")) o << "  model: " << root.attr_string("model") << "\n";
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
      if (d.has_attr("long_name")) o << ": " << d.attr_string("long_name");
      o << "\n";
    }
  }
  o << "\nThe resolved scenario is in the root attribute 'scenario_toml'; 'berdaya inspect --scenario FILE' prints "
       "it.\n";
  return o.str();
}

}  // namespace analysis
