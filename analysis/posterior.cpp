#include "analysis/posterior.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "analysis/comparison.h"
#include "analysis/estimates.h"
#include "analysis/format.h"
#include "analysis/outcomes.h"
#include "analysis/results.h"
#include "sim/error.h"
#include "sim/h5.h"
#include "sim/random.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
// Resamples per draw for KUBE's Monte Carlo standard error: the error of an error needs
// fewer than an interval's ends.
constexpr int POSTERIOR_RESAMPLES = 200;

// Quantile q of the values (linear between order statistics, R's type 7); NaN when none.
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NaN;
  std::sort(v.begin(), v.end());
  const double h = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// How good a value is, larger being better, so ranks and comparisons read one way.
double goodness(Better b, double v) {
  switch (b) {
    case Better::Higher: return v;
    case Better::Lower: return -v;
    case Better::NearerZero: return -std::fabs(v);
  }
  return v;
}

double standard_deviation(const std::vector<double>& v) {
  if (v.size() < 2) return NaN;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

bool is_coordinate(const std::string& name, const std::string& case_dim) {
  return name == case_dim || name == "replicate" || name == "month";
}

// KUBE's comparison metrics, with the way each is better.
std::vector<PosteriorMetric> kube_metrics() {
  std::vector<PosteriorMetric> out;
  for (const auto& m : comparison_metrics()) {
    const std::string key = m.key;
    Better b = Better::Higher;
    // A grant shared out is a group that split at disbursement, handed back as one-off cash:
    // less of it is better, as the program's aim is lasting income (MODEL.md section 8).
    if (key.rfind("poverty_change", 0) == 0 || key.rfind("cost_", 0) == 0 || key == "responsiveness" ||
        key == "income_transfer")
      b = Better::Lower;
    if (key == "accountability") b = Better::NearerZero;
    out.push_back({key, m.label, m.unit, b});
  }
  return out;
}

// KUBE: per draw, the comparison's estimates of the scenarios at that draw, with the
// paired bootstrap over the draw's replicates for the Monte Carlo standard error.
void fill_kube(const ResultFile& f, PosteriorInput& in, std::size_t counterfactual, std::uint64_t seed) {
  const std::size_t S = in.scenarios.size(), D = in.draws;
  const auto& metrics = comparison_metrics();
  for (std::size_t d = 0; d < D; ++d) {
    std::vector<Outcomes> os;
    for (std::size_t s = 0; s < S; ++s) os.push_back(outcomes(f, s * D + d));
    if (counterfactual < S) {
      const Outcomes cf = os[counterfactual];
      for (auto& o : os) set_counterfactual(o, cf);
    }
    std::vector<const Outcomes*> ptrs;
    for (const auto& o : os) ptrs.push_back(&o);
    const EstimationPlan plan = estimation_plan(ptrs, sim::combine(seed, d), POSTERIOR_RESAMPLES);
    std::vector<Draws> ds;
    for (const auto& o : os) ds.push_back(draws(o, plan));
    const Draws& base = ds[in.baseline];
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const std::size_t q = metrics[m].quantity;
      for (std::size_t s = 0; s < S; ++s) {
        const Estimate v = level(ds[s], q), e = difference(ds[s], base, q);
        in.value[in.at(m, s, d)] = v.estimable ? v.mean : NaN;
        in.effect[in.at(m, s, d)] = e.estimable ? e.mean : NaN;
        std::vector<double> diff;
        for (std::size_t b = 0; b < ds[s].boot[q].size(); ++b) {
          const double x = ds[s].boot[q][b] - base.boot[q][b];
          if (std::isfinite(x)) diff.push_back(x);
        }
        in.effect_se[in.at(m, s, d)] = s == in.baseline ? 0.0 : standard_deviation(diff);
      }
    }
  }
}

// Any other model: each monthly series in the last month, the mean over the draw's
// replicates that every scenario ran, and the standard error of the paired difference.
void fill_generic(const ResultFile& f, PosteriorInput& in, const std::vector<std::string>& series) {
  const std::size_t S = in.scenarios.size(), D = in.draws, R = f.replicates();
  const auto failed = f.failed();
  for (std::size_t m = 0; m < series.size(); ++m) {
    std::vector<Matrix> mx;
    for (std::size_t c = 0; c < S * D; ++c) mx.push_back(f.matrix("series", series[m], c));
    for (std::size_t d = 0; d < D; ++d) {
      std::vector<std::size_t> used;
      for (std::size_t r = 0; r < R; ++r) {
        bool ok = true;
        for (std::size_t s = 0; s < S; ++s) ok = ok && !failed[(s * D + d) * R + r];
        if (ok) used.push_back(r);
      }
      auto last = [&](std::size_t s, std::size_t r) {
        const Matrix& x = mx[s * D + d];
        return x.at(r, x.cols - 1);
      };
      for (std::size_t s = 0; s < S; ++s) {
        std::vector<double> diff;
        double sum = 0;
        for (std::size_t r : used) {
          sum += last(s, r);
          diff.push_back(last(s, r) - last(in.baseline, r));
        }
        const double n = static_cast<double>(used.size());
        double dsum = 0;
        for (double x : diff) dsum += x;
        in.value[in.at(m, s, d)] = used.empty() ? NaN : sum / n;
        in.effect[in.at(m, s, d)] = used.empty() ? NaN : dsum / n;
        in.effect_se[in.at(m, s, d)] = s == in.baseline ? 0.0 : standard_deviation(diff) / std::sqrt(n);
      }
    }
  }
}

std::string percent(double share) {
  if (!std::isfinite(share)) return "n/a";
  return format::number(100 * share, "%.0f") + " %";
}

// A value of the metric as the comparison table prints it.
std::string shown(const PosteriorMetric& m, double v, bool sign) {
  Estimate e;
  e.mean = v;
  e.lo = e.hi = NaN;
  std::string s = format::estimate_cell(e, m.unit, sign);
  const std::string tail = " (one replicate)";
  if (s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0)
    s.resize(s.size() - tail.size());
  return s;
}

std::string unsigned_shown(const PosteriorMetric& m, double v) {
  std::string s = shown(m, v, false);
  if (!s.empty() && s.front() == '+') s.erase(0, 1);
  return s;
}

std::string unit_words(const std::string& unit) {
  return unit == "%" ? "percent" : unit == "pp" ? "percentage points" : unit;
}

}  // namespace

std::string better_name(Better b) {
  switch (b) {
    case Better::Higher: return "higher";
    case Better::Lower: return "lower";
    case Better::NearerZero: return "nearer zero";
  }
  return "";
}

PosteriorAnalysis analyse(const PosteriorInput& in) {
  PosteriorAnalysis a;
  a.scenarios = in.scenarios;
  a.baseline = in.baseline;
  a.draws = in.draws;
  a.metrics = in.metrics;
  const std::size_t S = in.scenarios.size(), D = in.draws, M = in.metrics.size();
  a.cells.assign(S, std::vector<PosteriorCell>(M));
  for (std::size_t m = 0; m < M; ++m) {
    const Better b = in.metrics[m].better;
    // A scenario the metric has no value for at any draw (KUBE's survival without a
    // program) takes no part; the others are ranked at the draws where each has a value.
    // A baseline without a value (a cost per rupiah of a baseline that costs nothing)
    // leaves no effect to measure, but the others still have levels and ranks.
    auto has_value = [&](std::size_t s, std::size_t d) { return std::isfinite(in.value[in.at(m, s, d)]); };
    bool base_part = false;
    for (std::size_t d = 0; d < D; ++d) base_part = base_part || has_value(in.baseline, d);
    auto finite = [&](std::size_t s, std::size_t d) {
      return has_value(s, d) && (!base_part || std::isfinite(in.effect[in.at(m, s, d)]));
    };
    std::vector<bool> part(S, false);
    for (std::size_t s = 0; s < S; ++s)
      for (std::size_t d = 0; d < D; ++d) part[s] = part[s] || finite(s, d);
    std::vector<std::size_t> used;
    for (std::size_t d = 0; d < D; ++d) {
      bool ok = true;
      for (std::size_t s = 0; s < S; ++s) ok = ok && (!part[s] || finite(s, d));
      if (ok) used.push_back(d);
    }
    const double n = static_cast<double>(used.size());
    for (std::size_t s = 0; s < S; ++s) {
      PosteriorCell& c = a.cells[s][m];
      c.rank.assign(S, NaN);
      if (!part[s] || used.empty()) {
        c.value = c.value_lo = c.value_hi = c.effect = c.effect_lo = c.effect_hi = c.mc_se = c.p_better = NaN;
        continue;
      }
      c.draws = used.size();
      std::fill(c.rank.begin(), c.rank.end(), 0.0);
      std::vector<double> values, effects, se;
      double better = 0;
      for (std::size_t d : used) {
        values.push_back(in.value[in.at(m, s, d)]);
        effects.push_back(in.effect[in.at(m, s, d)]);
        const double e = in.effect_se[in.at(m, s, d)];
        if (std::isfinite(e)) se.push_back(e);
        // Beats the baseline: strictly better at the same draw (a tie is not better).
        if (base_part && goodness(b, in.value[in.at(m, s, d)]) > goodness(b, in.value[in.at(m, in.baseline, d)]))
          better += 1;
        // Rank 1 is the best; scenarios tied at a draw share the ranks they span equally.
        const double g = goodness(b, in.value[in.at(m, s, d)]);
        std::size_t above = 0, tied = 0;
        for (std::size_t t = 0; t < S; ++t) {
          if (!part[t]) continue;
          const double h = goodness(b, in.value[in.at(m, t, d)]);
          if (h > g) ++above;
          if (h == g) ++tied;
        }
        for (std::size_t r = above; r < above + tied; ++r) c.rank[r] += 1.0 / static_cast<double>(tied);
      }
      for (auto& r : c.rank) r /= n;
      // Ranks no participant can hold (more scenarios than take part) stay empty.
      std::size_t parts = 0;
      for (bool x : part) parts += x ? 1 : 0;
      for (std::size_t r = parts; r < S; ++r) c.rank[r] = NaN;
      c.value = quantile(values, 0.5);
      c.value_lo = quantile(values, POSTERIOR_LOW);
      c.value_hi = quantile(values, POSTERIOR_HIGH);
      c.effect = base_part ? quantile(effects, 0.5) : NaN;
      c.effect_lo = base_part ? quantile(effects, POSTERIOR_LOW) : NaN;
      c.effect_hi = base_part ? quantile(effects, POSTERIOR_HIGH) : NaN;
      double sum = 0;
      for (double x : se) sum += x;
      c.mc_se = se.empty() || !base_part ? NaN : sum / static_cast<double>(se.size());
      c.p_better = s == in.baseline || !base_part ? NaN : better / n;
    }
  }
  return a;
}

bool is_posterior_file(const std::filesystem::path& file) {
  const auto f = sim::h5::File::open(file);
  return f.root().has_attr("kind") && f.root().attr_string("kind") == "compare" && f.root().exists("posterior");
}

PosteriorSummary posterior_summary(const std::filesystem::path& file) {
  const ResultFile f(file);
  const auto g = f.root().open_group("posterior");
  PosteriorSummary s;
  s.file = file.string();
  s.model = f.attr("model");
  s.experiment = f.attr("experiment");
  s.created = f.attr("created");
  s.git_commit = f.attr("git_commit");
  s.replicates = static_cast<long long>(f.replicates());
  s.seed = f.root().attr_int("seed");
  s.months = f.months();
  s.calibration_file = g.attr_string("calibration_file");
  s.calibration_fingerprint = g.attr_string("calibration_fingerprint");
  s.generation = g.attr_int("calibration_generation");
  s.counterfactual = g.attr_string("counterfactual");
  s.parameters = g.open("parameter").read_strings();
  s.values = g.open("value").read_f64();
  for (int x : f.failed()) s.failed_runs += x;
  PosteriorInput in;
  in.scenarios = g.attr_strings("scenarios");
  in.draws = static_cast<std::size_t>(g.attr_int("draws"));
  const std::size_t S = in.scenarios.size(), D = in.draws;
  if (S == 0 || D == 0 || f.cases().size() != S * D || s.values.size() != D * s.parameters.size())
    throw sim::InputError(s.file + ": /posterior does not match the file's cases (damaged file?).");
  const std::string base = g.attr_string("baseline");
  in.baseline = S;
  std::size_t cf = S;
  for (std::size_t i = 0; i < S; ++i) {
    if (in.scenarios[i] == base) in.baseline = i;
    if (in.scenarios[i] == s.counterfactual) cf = i;
  }
  if (in.baseline == S)
    throw sim::InputError(s.file + ": /posterior names baseline '" + base + "', no scenario of it.");
  std::vector<std::string> series;
  if (s.model == "kube") {
    in.metrics = kube_metrics();
    s.mc_method = "the standard deviation of the paired difference over " + std::to_string(POSTERIOR_RESAMPLES) +
                  " bootstrap resamples of the draw's replicates";
  } else {
    const auto sg = f.root().open_group("series");
    const std::string case_dim = f.root().attr_string("case_dimension");
    for (const auto& name : sg.children()) {
      if (is_coordinate(name, case_dim)) continue;
      const auto ds = sg.open(name);
      series.push_back(name);
      in.metrics.push_back(
          {name,
           (ds.has_attr("long_name") ? ds.attr_string("long_name") : name) + ", month " + std::to_string(s.months),
           ds.has_attr("units") ? ds.attr_string("units") : "", Better::Higher});
    }
    s.mc_method = "the standard error of the mean paired difference over the draw's replicates";
  }
  const std::size_t N = in.metrics.size() * S * D;
  in.value.assign(N, NaN);
  in.effect.assign(N, NaN);
  in.effect_se.assign(N, NaN);
  if (s.model == "kube")
    fill_kube(f, in, cf, static_cast<std::uint64_t>(s.seed));
  else
    fill_generic(f, in, series);
  s.analysis = analyse(in);
  return s;
}

std::string to_text(const PosteriorSummary& s) {
  const PosteriorAnalysis& a = s.analysis;
  const std::string& base = a.scenarios[a.baseline];
  std::ostringstream o;
  o << "berdaya: comparison '" << s.experiment << "' over a posterior, " << a.scenarios.size() << " scenarios x "
    << a.draws << " draws x " << s.replicates << " replicates, seed " << s.seed << ", " << s.months << " months\n";
  o << "results: " << s.file << "\n";
  o << "posterior: " << s.calibration_file << " (generation " << s.generation << ", fingerprint "
    << s.calibration_fingerprint << "), calibrated:";
  for (const auto& p : s.parameters) o << " " << p;
  o << "\nEach draw is one plausible world: a parameter vector drawn by weight from the calibration's final "
       "generation. Effects are differences to the baseline '"
    << base
    << "' at the same draw, paired by replicate (common random numbers).\n"
       "Intervals: 90% of the per-draw effects (parameter uncertainty, and each draw's own simulation noise). "
       "Monte Carlo: the mean over draws of "
    << s.mc_method
    << ", shown as +- 1.645 of it (the part of a 90% interval that more replicates would shrink).\n"
       "\"Better in X % of plausible worlds\": the share of draws where the scenario beats the baseline (ties are "
       "not better).\n";
  if (s.failed_runs) o << "WARNING: " << s.failed_runs << " runs FAILED; their messages are in /runs/message.\n";
  std::size_t w = 10;
  for (const auto& n : a.scenarios) w = std::max(w, n.size());
  for (std::size_t m = 0; m < a.metrics.size(); ++m) {
    const PosteriorMetric& pm = a.metrics[m];
    o << "\n"
      << pm.label << " (" << (pm.unit.empty() ? "" : unit_words(pm.unit) + "; ") << better_name(pm.better)
      << " is better)\n";
    // The lead: who is best, and how sure.
    std::size_t best = a.baseline;
    for (std::size_t i = 0; i < a.scenarios.size(); ++i)
      if (a.cells[i][m].draws > 0 && a.cells[i][m].rank.front() > a.cells[best][m].rank.front()) best = i;
    if (a.cells[best][m].draws == 0) {
      o << "  not estimable at any draw\n";
      continue;
    }
    o << "  " << a.scenarios[best] << " is the best in " << percent(a.cells[best][m].rank.front())
      << " of plausible worlds (" << a.cells[best][m].draws << " draws).\n";
    for (std::size_t i = 0; i < a.scenarios.size(); ++i) {
      const PosteriorCell& c = a.cells[i][m];
      char line[1024];
      if (c.draws == 0) {
        o << "  " << a.scenarios[i] << std::string(w - std::min(w, a.scenarios[i].size()), ' ')
          << "  not estimable (takes no part in the ranks)\n";
        continue;
      }
      if (i == a.baseline) {
        std::snprintf(line, sizeof line, "  %-*s  %s [%s, %s]  (baseline)\n", static_cast<int>(w),
                      a.scenarios[i].c_str(), shown(pm, c.value, false).c_str(), shown(pm, c.value_lo, false).c_str(),
                      shown(pm, c.value_hi, false).c_str());
      } else {
        std::snprintf(line, sizeof line,
                      "  %-*s  %s [%s, %s]; minus %s %s [%s, %s], Monte Carlo +-%s; better than the baseline in %s "
                      "of plausible worlds\n",
                      static_cast<int>(w), a.scenarios[i].c_str(), shown(pm, c.value, false).c_str(),
                      shown(pm, c.value_lo, false).c_str(), shown(pm, c.value_hi, false).c_str(), base.c_str(),
                      shown(pm, c.effect, true).c_str(), shown(pm, c.effect_lo, true).c_str(),
                      shown(pm, c.effect_hi, true).c_str(), unsigned_shown(pm, POSTERIOR_Z * c.mc_se).c_str(),
                      percent(c.p_better).c_str());
      }
      o << line;
      o << "  " << std::string(w, ' ') << "  rank:";
      for (std::size_t r = 0; r < c.rank.size() && std::isfinite(c.rank[r]); ++r)
        o << (r ? ", " : " ") << r + 1 << " in " << percent(c.rank[r]);
      o << "\n";
    }
  }
  return o.str();
}

std::string to_json(const PosteriorSummary& s) {
  using format::json_number;
  using format::json_string;
  const PosteriorAnalysis& a = s.analysis;
  std::ostringstream o;
  o << "{\"kind\": \"compare\", \"posterior\": true, \"experiment\": " << json_string(s.experiment)
    << ", \"file\": " << json_string(s.file) << ", \"model\": " << json_string(s.model)
    << ", \"replicates\": " << s.replicates << ", \"draws\": " << a.draws << ", \"seed\": " << s.seed
    << ", \"months\": " << s.months << ", \"failed_runs\": " << s.failed_runs
    << ", \"baseline\": " << json_string(a.scenarios[a.baseline])
    << ", \"counterfactual\": " << json_string(s.counterfactual) << ", \"git_commit\": " << json_string(s.git_commit)
    << ", \"calibration\": {\"file\": " << json_string(s.calibration_file)
    << ", \"fingerprint\": " << json_string(s.calibration_fingerprint) << ", \"generation\": " << s.generation
    << ", \"parameters\": [";
  for (std::size_t k = 0; k < s.parameters.size(); ++k) o << (k ? ", " : "") << json_string(s.parameters[k]);
  o << "]}, \"interval\": {\"level\": 0.9, \"measures\": \"the per-draw effects: parameter uncertainty and each "
       "draw's simulation noise\", \"monte_carlo\": "
    << json_string("mc_se: the mean over draws of " + s.mc_method)
    << "}, \"p_better\": \"share of draws where the scenario is strictly better than the baseline at the same draw\", "
       "\"rank_probability\": \"per rank, rank 1 first (the best): share of draws at that rank; ties share\", "
       "\"better\": {";
  for (std::size_t m = 0; m < a.metrics.size(); ++m)
    o << (m ? ", " : "") << json_string(a.metrics[m].key) << ": " << json_string(better_name(a.metrics[m].better));
  o << "}, \"units\": {";
  for (std::size_t m = 0; m < a.metrics.size(); ++m) {
    const std::string& u = a.metrics[m].unit;
    o << (m ? ", " : "") << json_string(a.metrics[m].key) << ": " << json_string(u == "%" || u == "pp" ? "share" : u);
  }
  o << "}, \"scenarios\": [";
  for (std::size_t i = 0; i < a.scenarios.size(); ++i) {
    o << (i ? ", " : "") << "{\"name\": " << json_string(a.scenarios[i]) << ", \"p_better\": {";
    for (std::size_t m = 0; m < a.metrics.size(); ++m)
      o << (m ? ", " : "") << json_string(a.metrics[m].key) << ": " << json_number(a.cells[i][m].p_better);
    o << "}, \"rank_probability\": {";
    for (std::size_t m = 0; m < a.metrics.size(); ++m) {
      o << (m ? ", " : "") << json_string(a.metrics[m].key) << ": [";
      const auto& r = a.cells[i][m].rank;
      for (std::size_t k = 0; k < r.size(); ++k) o << (k ? ", " : "") << json_number(r[k]);
      o << "]";
    }
    o << "}, \"value\": {";
    for (std::size_t m = 0; m < a.metrics.size(); ++m) {
      const auto& c = a.cells[i][m];
      o << (m ? ", " : "") << json_string(a.metrics[m].key) << ": {\"median\": " << json_number(c.value)
        << ", \"lo\": " << json_number(c.value_lo) << ", \"hi\": " << json_number(c.value_hi) << "}";
    }
    o << "}, \"effect\": {";
    for (std::size_t m = 0; m < a.metrics.size(); ++m) {
      const auto& c = a.cells[i][m];
      o << (m ? ", " : "") << json_string(a.metrics[m].key) << ": {\"median\": " << json_number(c.effect)
        << ", \"lo\": " << json_number(c.effect_lo) << ", \"hi\": " << json_number(c.effect_hi)
        << ", \"mc_se\": " << json_number(c.mc_se) << ", \"draws\": " << c.draws << "}";
    }
    o << "}}";
  }
  o << "], \"draw_values\": [";
  const std::size_t K = s.parameters.size();
  for (std::size_t d = 0; d < a.draws; ++d) {
    o << (d ? ", " : "") << "[";
    for (std::size_t k = 0; k < K; ++k) o << (k ? ", " : "") << json_number(s.values[d * K + k]);
    o << "]";
  }
  o << "]}";
  return o.str();
}

std::string posterior_summary(const std::filesystem::path& file, sim::SummaryFormat format) {
  switch (format) {
    case sim::SummaryFormat::Text: return to_text(posterior_summary(file));
    case sim::SummaryFormat::Json: return to_json(posterior_summary(file)) + "\n";
    case sim::SummaryFormat::Markdown: return "";
  }
  return "";
}

}  // namespace analysis
