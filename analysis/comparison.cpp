#include "analysis/comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "analysis/brief.h"
#include "analysis/estimates.h"
#include "analysis/format.h"
#include "analysis/oat.h"
#include "analysis/results.h"
#include "analysis/sensitivity.h"
#include "analysis/summary.h"
#include "sim/error.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// Spearman rank correlation of the finite pairs.
double rank_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) keep.push_back(i);
  if (keep.size() < 3) return NaN;
  auto ranks = [&](const std::vector<double>& v) {
    std::vector<std::size_t> idx(keep.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[keep[a]] < v[keep[b]]; });
    std::vector<double> r(keep.size());
    for (std::size_t i = 0; i < idx.size();) {  // ties share their mean rank
      std::size_t j = i;
      while (j + 1 < idx.size() && v[keep[idx[j + 1]]] == v[keep[idx[i]]]) ++j;
      for (std::size_t m = i; m <= j; ++m) r[idx[m]] = 0.5 * static_cast<double>(i + j);
      i = j + 1;
    }
    return r;
  };
  const auto rx = ranks(x), ry = ranks(y);
  const double n = static_cast<double>(keep.size());
  const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n, my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < rx.size(); ++i) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) * (rx[i] - mx);
    syy += (ry[i] - my) * (ry[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : NaN;
}

}  // namespace

const std::vector<Metric>& comparison_metrics() {
  static const std::vector<Metric> m = {
      {"active_12", "Groups active 12 months after funding (Kaplan-Meier over the funded groups of all replicates)",
       "%", ACTIVE_12},
      {"active_36", "Groups active 36 months after funding", "%", ACTIVE_36},
      {"active_60", "Groups active 60 months after funding", "%", ACTIVE_60},
      {"income_effect", "Recipients' lasting income gain against the counterfactual, per recipient-month", "Rp",
       INCOME_GAIN},
      {"income_transfer",
       "One-off transfer (grant shared out) per recipient-month: cash handed back once, not income, not in the gain",
       "Rp", INCOME_TRANSFER},
      {"poverty_change_members",
       "Recipients' poverty headcount change against their own counterfactual, last 12 months", "pp",
       POVERTY_CHANGE_MEMBERS},
      {"poverty_change", "Poverty headcount change against the counterfactual run, whole pool, last 12 months", "pp",
       POVERTY_CHANGE},
      {"cost_per_active_36", "Cost per group still active at 36 months: total cost / (groups funded x S(36))", "Rp",
       COST_PER_ACTIVE_36},
      {"cost_per_rupiah", "Cost per rupiah of recipients' lasting income gained: total cost / total gain", "Rp/Rp",
       COST_PER_RUPIAH},
      {"effectiveness", "Effectiveness: funded groups active at the end", "%", ACTIVE_SHARE_END},
      {"responsiveness", "Responsiveness: median months from a group's need to the office's answer", "months",
       RESPONSE_MEDIAN},
      {"accountability", "Accountability: report error, reported minus true active groups", "groups", REPORT_ERROR},
      // What a rupiah buys: the brief for the head of the office ranks the options by these.
      {"cost_total", "Total program cost over the run, mean over replicates", "Rp", COST_TOTAL},
      {"active_36_per_billion",
       "Groups still active 36 months after funding per Rp 1 billion of total cost: groups funded x S(36) / cost",
       "groups/Rp 1 bn", ACTIVE_36_PER_BILLION},
      {"income_per_rupiah", "Recipients' lasting income gained per rupiah of total cost: total gain / total cost",
       "Rp/Rp", INCOME_PER_RUPIAH},
      {"lifted_per_billion",
       "Recipient households above the poverty line only thanks to the program (last 12 months, net) per Rp 1 "
       "billion of total cost",
       "households/Rp 1 bn", LIFTED_PER_BILLION},
  };
  return m;
}

ComparisonTable compare(const std::filesystem::path& file) {
  const ResultFile f(file);
  std::vector<Outcomes> all;
  for (std::size_t c = 0; c < f.cases().size(); ++c) all.push_back(outcomes(f, c));
  return compare(f, all);
}

ComparisonTable compare(const ResultFile& f, const std::vector<Outcomes>& given) {
  ComparisonTable t;
  t.file = f.path().string();
  t.kind = f.kind();
  t.experiment = f.attr("experiment");
  t.created = f.attr("created");
  t.git_commit = f.attr("git_commit");
  t.replicates = static_cast<long long>(f.replicates());
  t.seed = f.root().attr_int("seed");
  t.months = f.months();
  t.baseline = f.attr("baseline").empty() ? f.cases().front() : f.attr("baseline");
  t.counterfactual = f.attr("counterfactual");
  const std::size_t base = f.case_index(t.baseline);
  // The pool's poverty change against the counterfactual run at the same replicate; without
  // one, against each case's own in-run counterfactual.
  std::vector<Outcomes> all = given;
  if (!t.counterfactual.empty()) {
    const Outcomes cf = all[f.case_index(t.counterfactual)];
    for (auto& o : all) set_counterfactual(o, cf);
  }
  std::vector<const Outcomes*> cases;
  for (const auto& o : all) cases.push_back(&o);
  const EstimationPlan plan = estimation_plan(cases, static_cast<std::uint64_t>(t.seed));
  t.replicates_used = plan.replicates.size();
  t.bootstrap_batch = plan.batch();
  t.resamples = plan.resamples;
  t.bootstrap_seed = plan.seed;
  const std::vector<std::string> desc = f.case_strings("description");
  const Draws base_draws = draws(all[base], plan);
  const Draws base_independent = draws(all[base], plan, true);
  const auto& metrics = comparison_metrics();
  for (std::size_t c = 0; c < all.size(); ++c) {
    ComparisonRow row;
    row.scenario = f.cases()[c];
    if (c < desc.size()) row.description = desc[c];
    row.failed_runs = all[c].failed_runs;
    const Draws d = c == base ? base_draws : draws(all[c], plan);
    for (const auto& m : metrics) {
      row.value.push_back(level(d, m.quantity));
      row.diff.push_back(difference(d, base_draws, m.quantity));
      row.diff_unpaired.push_back(difference(d, base_independent, m.quantity));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string to_text(const ComparisonTable& t) {
  std::ostringstream o;
  o << "berdaya: comparison '" << t.experiment << "', " << t.rows.size() << " scenarios x " << t.replicates
    << " replicates, seed " << t.seed << ", " << t.months << " months\n";
  o << "results: " << t.file << "\n";
  o << "Every value pools the replicates (Kaplan-Meier over all funded groups, ratios of totals).\n"
    << interval_note(t.replicates_used, t.resamples, t.bootstrap_batch) << "\nDifferences to the baseline '"
    << t.baseline
    << "' are paired by replicate: the scenarios share households and shocks (common random numbers), and each "
       "resample takes the same replicates for both.";
  if (!t.counterfactual.empty()) o << " Counterfactual: '" << t.counterfactual << "'.";
  o << "\nNot estimable: " << not_estimable_rule() << ".\n";
  long long failed = 0;
  for (const auto& r : t.rows) failed += r.failed_runs;
  if (failed) o << "WARNING: " << failed << " runs FAILED; their messages are in /runs/message.\n";
  std::size_t w = 10;
  for (const auto& r : t.rows) w = std::max(w, r.scenario.size());
  const auto& metrics = comparison_metrics();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const std::string unit = metrics[m].unit;
    o << "\n"
      << metrics[m].label << " ("
      << (unit == "%"    ? "percent"
          : unit == "pp" ? "percentage points"
          : unit == "Rp" ? "Rp"
                         : unit)
      << ")\n";
    char head[256];
    std::snprintf(head, sizeof head, "  %-*s  %-36s  %s\n", static_cast<int>(w), "scenario", "value [95% interval]",
                  ("minus " + t.baseline + " [95% interval]").c_str());
    o << head;
    for (const auto& r : t.rows) {
      char line[512];
      const bool is_base = r.scenario == t.baseline;
      std::snprintf(line, sizeof line, "  %-*s  %-36s  %s\n", static_cast<int>(w), r.scenario.c_str(),
                    format::estimate_cell(r.value[m], unit, unit == "pp" || unit == "groups").c_str(),
                    is_base ? "(baseline)" : format::estimate_cell(r.diff[m], unit, true).c_str());
      o << line;
    }
  }
  return o.str();
}

std::string to_json(const ComparisonTable& t) {
  std::ostringstream o;
  o << "{\"kind\": \"compare\", \"experiment\": " << format::json_string(t.experiment)
    << ", \"file\": " << format::json_string(t.file) << ", \"replicates\": " << t.replicates << ", \"seed\": " << t.seed
    << ", \"months\": " << t.months << ", \"baseline\": " << format::json_string(t.baseline)
    << ", \"counterfactual\": " << format::json_string(t.counterfactual)
    << ", \"git_commit\": " << format::json_string(t.git_commit)
    << ", \"interval\": " << interval_json(t.replicates_used, t.resamples, t.bootstrap_seed, t.bootstrap_batch)
    << ", \"diff_unpaired\": \"the difference as if the scenarios' runs were independent: each on its own resamples\""
    << ", \"units\": {";
  const auto& metrics = comparison_metrics();
  for (std::size_t m = 0; m < metrics.size(); ++m)
    o << (m ? ", " : "") << format::json_string(metrics[m].key) << ": "
      << format::json_string(std::string(metrics[m].unit) == "%"    ? "share"
                             : std::string(metrics[m].unit) == "pp" ? "share"
                                                                    : metrics[m].unit);
  o << "}, \"scenarios\": [";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const auto& r = t.rows[i];
    o << (i ? ", " : "") << "{\"name\": " << format::json_string(r.scenario)
      << ", \"description\": " << format::json_string(r.description) << ", \"failed_runs\": " << r.failed_runs;
    for (const char* part : {"value", "diff", "diff_unpaired"}) {
      const auto& v = std::string(part) == "value" ? r.value : std::string(part) == "diff" ? r.diff : r.diff_unpaired;
      o << ", \"" << part << "\": {";
      for (std::size_t m = 0; m < metrics.size(); ++m)
        o << (m ? ", " : "") << format::json_string(metrics[m].key) << ": " << format::json_estimate(v[m]);
      o << "}";
    }
    o << "}";
  }
  o << "]}";
  return o.str();
}

namespace {

// The outcomes a sweep summary ranks factors by: the quantity each reads at a point, and
// whether it needs the 36-month horizon (a horizon too few groups reach has no estimate at
// that point).
struct KeyOutcome {
  const char* key;
  const char* label;
  Quantity quantity;
  bool at_36;
};
constexpr KeyOutcome SWEEP_OUTCOMES[] = {
    {"active_36", "groups active 36 months after funding", ACTIVE_36, true},
    {"income_effect", "recipients' lasting income gain per month", INCOME_GAIN, false},
    {"poverty_change", "poverty headcount change, whole pool", POVERTY_CHANGE, false},
    {"cost_per_active_36", "cost per group active at 36 months", COST_PER_ACTIVE_36, true},
};

// The sweep's design: per point and factor the value on the unit scale, and per point its
// block and group (Saltelli: A, B or A with column j from B, and the base row; Morris:
// the trajectory).
struct SweepDesign {
  std::vector<double> unit, block, group;
};

// The file's header, its design's kind and factors, and the first failures; throws if the
// file is not a sweep.
SweepSummary sweep_header(const ResultFile& f, const std::filesystem::path& file, SweepDesign& design) {
  SweepSummary s;
  s.file = file.string();
  s.experiment = f.attr("experiment");
  s.created = f.attr("created");
  s.points = static_cast<long long>(f.cases().size());
  s.replicates = static_cast<long long>(f.replicates());
  s.seed = f.root().attr_int("seed");
  s.months = f.months();
  if (f.kind() != "sweep" || !f.root().exists("design"))
    throw sim::InputError(file.string() + ": not a sweep (kind '" + f.kind() +
                          "'); 'berdaya summary' prints its table.");
  const auto d = f.root().open_group("design");
  s.design = d.attr_string("kind");
  s.factors = d.open("factor").read_strings();
  design.unit = d.open("unit").read_f64();
  static_cast<void>(d.open("value").read_f64());  // not used here, but part of a whole design
  design.block = d.open("block").read_f64();
  design.group = d.open("group").read_f64();
  const auto failed = f.failed();
  const auto messages = f.messages();
  for (std::size_t i = 0; i < failed.size(); ++i)
    if (failed[i]) {
      ++s.failed_runs;
      if (s.failures.size() < 5)
        s.failures.push_back("point " + std::to_string(i / f.replicates()) + ": " + messages[i]);
    }
  return s;
}

// Per SWEEP_OUTCOMES entry, its pooled estimate at each point (NaN where not estimable).
std::vector<std::vector<double>> key_outcome_values(const ResultFile& f) {
  const std::size_t P = f.cases().size();
  std::vector<std::vector<double>> y(std::size(SWEEP_OUTCOMES), std::vector<double>(P, NaN));
  std::vector<double> at_point;
  PooledCurve curve;
  for (std::size_t p = 0; p < P; ++p) {
    const Outcomes o = outcomes(f, p);
    evaluate(o, o.units_succeeded(), at_point, curve);
    const bool reached = curve.estimable_at(36);
    for (std::size_t k = 0; k < std::size(SWEEP_OUTCOMES); ++k) {
      const KeyOutcome& key = SWEEP_OUTCOMES[k];
      const double v = at_point[key.quantity];
      y[k][p] = (key.at_36 && !reached) || !std::isfinite(v) ? NaN : v;
    }
  }
  return y;
}

// Sobol' first and total order indices of one outcome over a Saltelli design.
void add_sobol_indices(SweepOutcome& out, const std::vector<double>& y, const SweepDesign& d, std::uint64_t seed) {
  const std::size_t P = y.size(), K = out.factors.size();
  std::size_t n = 0;
  for (std::size_t p = 0; p < P; ++p) n = std::max(n, static_cast<std::size_t>(d.group[p]) + 1);
  std::vector<double> fa(n), fb(n);
  std::vector<std::vector<double>> fab(K, std::vector<double>(n));
  for (std::size_t p = 0; p < P; ++p) {
    const auto b = static_cast<int>(d.block[p]);
    const auto g = static_cast<std::size_t>(d.group[p]);
    if (b == 0)
      fa[g] = y[p];
    else if (b == 1)
      fb[g] = y[p];
    else
      fab[static_cast<std::size_t>(b - 2)][g] = y[p];
  }
  const auto idx = sobol_indices(fa, fb, fab, 1000, seed);
  for (std::size_t j = 0; j < K; ++j) {
    auto& e = out.factors[j];
    e.first = idx[j].first.value, e.first_lo = idx[j].first.lo, e.first_hi = idx[j].first.hi;
    e.total = idx[j].total.value, e.total_lo = idx[j].total.lo, e.total_hi = idx[j].total.hi;
  }
}

// Morris elementary effects (mu*, sigma) of one outcome over a Morris design.
void add_morris_effects(SweepOutcome& out, const std::vector<double>& y, const SweepDesign& d) {
  const std::size_t P = y.size(), K = out.factors.size();
  std::vector<std::vector<double>> x(P, std::vector<double>(K));
  std::vector<int> traj(P);
  for (std::size_t p = 0; p < P; ++p) {
    for (std::size_t j = 0; j < K; ++j) x[p][j] = d.unit[p * K + j];
    traj[p] = static_cast<int>(d.group[p]);
  }
  const auto eff = morris_effects(y, x, traj);
  for (std::size_t j = 0; j < K; ++j) out.factors[j].mu_star = eff[j].mu_star, out.factors[j].sigma = eff[j].sigma;
}

// One outcome's sensitivity to each factor: the rank correlation always, and the
// design's own indices where the outcome is estimable at every point.
SweepOutcome sweep_outcome(const KeyOutcome& key, const std::vector<double>& y, const SweepSummary& s,
                           const SweepDesign& d) {
  const std::size_t P = y.size(), K = s.factors.size();
  SweepOutcome out;
  out.key = key.key;
  out.label = key.label;
  out.factors.resize(K);
  for (std::size_t j = 0; j < K; ++j) {
    out.factors[j].factor = s.factors[j];
    out.factors[j].first = out.factors[j].total = out.factors[j].mu_star = out.factors[j].sigma = NaN;
    out.factors[j].first_lo = out.factors[j].first_hi = out.factors[j].total_lo = out.factors[j].total_hi = NaN;
    std::vector<double> x(P);
    for (std::size_t p = 0; p < P; ++p) x[p] = d.unit[p * K + j];
    out.factors[j].correlation = rank_correlation(x, y);
  }
  const bool finite = std::all_of(y.begin(), y.end(), [](double v) { return std::isfinite(v); });
  if (s.design == "saltelli" && finite)
    add_sobol_indices(out, y, d, static_cast<std::uint64_t>(s.seed));
  else if (s.design == "morris" && finite)
    add_morris_effects(out, y, d);
  return out;
}

}  // namespace

SweepSummary sweep_summary(const std::filesystem::path& file) {
  const ResultFile f(file);
  SweepDesign design;
  SweepSummary s = sweep_header(f, file, design);
  const auto y = key_outcome_values(f);
  for (std::size_t k = 0; k < std::size(SWEEP_OUTCOMES); ++k)
    s.outcomes.push_back(sweep_outcome(SWEEP_OUTCOMES[k], y[k], s, design));
  return s;
}

std::string to_text(const SweepSummary& s) {
  std::ostringstream o;
  o << "berdaya: sweep '" << s.experiment << "', " << s.design << " design, " << s.points << " points x "
    << s.replicates << " replicates, seed " << s.seed << ", " << s.months << " months\n";
  o << "results: " << s.file << "\n";
  if (s.failed_runs) {
    o << "WARNING: " << s.failed_runs << " runs FAILED (all messages in /runs/message), e.g.\n";
    for (const auto& m : s.failures) o << "  " << m << "\n";
  }
  std::size_t w = 8;
  for (const auto& f : s.factors) w = std::max(w, f.size());
  for (const auto& out : s.outcomes) {
    o << "\nSensitivity of " << out.label << " (pooled estimate per point)\n";
    char line[512];
    if (s.design == "saltelli") {
      std::snprintf(line, sizeof line, "  %-*s  %-24s  %s\n", static_cast<int>(w), "factor", "first order [95% CI]",
                    "total order [95% CI]");
      o << line;
      for (const auto& e : out.factors) {
        std::snprintf(line, sizeof line, "  %-*s  %-24s  %s\n", static_cast<int>(w), e.factor.c_str(),
                      (format::number(e.first, "%.3f") + " [" + format::number(e.first_lo, "%.3f") + ", " +
                       format::number(e.first_hi, "%.3f") + "]")
                          .c_str(),
                      (format::number(e.total, "%.3f") + " [" + format::number(e.total_lo, "%.3f") + ", " +
                       format::number(e.total_hi, "%.3f") + "]")
                          .c_str());
        o << line;
      }
    } else if (s.design == "morris") {
      std::snprintf(line, sizeof line, "  %-*s  %14s  %14s\n", static_cast<int>(w), "factor", "mu*", "sigma");
      o << line;
      for (const auto& e : out.factors) {
        std::snprintf(line, sizeof line, "  %-*s  %14s  %14s\n", static_cast<int>(w), e.factor.c_str(),
                      format::number(e.mu_star, "%.4g").c_str(), format::number(e.sigma, "%.4g").c_str());
        o << line;
      }
    } else {
      std::snprintf(line, sizeof line, "  %-*s  %s\n", static_cast<int>(w), "factor", "rank correlation");
      o << line;
      for (const auto& e : out.factors) {
        std::snprintf(line, sizeof line, "  %-*s  %s\n", static_cast<int>(w), e.factor.c_str(),
                      format::number(e.correlation, "%+.3f").c_str());
        o << line;
      }
    }
  }
  return o.str();
}

std::string to_json(const SweepSummary& s) {
  std::ostringstream o;
  o << "{\"kind\": \"sweep\", \"experiment\": " << format::json_string(s.experiment)
    << ", \"file\": " << format::json_string(s.file) << ", \"design\": " << format::json_string(s.design)
    << ", \"points\": " << s.points << ", \"replicates\": " << s.replicates << ", \"seed\": " << s.seed
    << ", \"months\": " << s.months << ", \"failed_runs\": " << s.failed_runs << ", \"outcomes\": {";
  for (std::size_t k = 0; k < s.outcomes.size(); ++k) {
    const auto& out = s.outcomes[k];
    o << (k ? ", " : "") << format::json_string(out.key) << ": {";
    for (std::size_t j = 0; j < out.factors.size(); ++j) {
      const auto& e = out.factors[j];
      o << (j ? ", " : "") << format::json_string(e.factor) << ": {\"first\": " << format::json_number(e.first)
        << ", \"first_lo\": " << format::json_number(e.first_lo)
        << ", \"first_hi\": " << format::json_number(e.first_hi) << ", \"total\": " << format::json_number(e.total)
        << ", \"total_lo\": " << format::json_number(e.total_lo)
        << ", \"total_hi\": " << format::json_number(e.total_hi) << ", \"mu_star\": " << format::json_number(e.mu_star)
        << ", \"sigma\": " << format::json_number(e.sigma)
        << ", \"rank_correlation\": " << format::json_number(e.correlation) << "}";
    }
    o << "}";
  }
  o << "}}";
  return o.str();
}

std::string summary_text(const std::filesystem::path& file, bool json) {
  const std::string kind = ResultFile(file).kind();
  if (kind == "compare") {
    const auto t = compare(file);
    return with_brief(file, json ? sim::SummaryFormat::Json : sim::SummaryFormat::Text,
                      json ? to_json(t) + "\n" : to_text(t), &t);
  }
  if (kind == "sweep" && is_oat(file)) {
    const auto s = oat_summary(file);
    return json ? to_json(s) + "\n" : to_text(s);
  }
  if (kind == "sweep") {
    const auto s = sweep_summary(file);
    return json ? to_json(s) + "\n" : to_text(s);
  }
  const auto s = summarize(file);
  return json ? to_json(s) + "\n" : to_text(s);
}

}  // namespace analysis
