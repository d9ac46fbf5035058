#include "analysis/brief.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "analysis/format.h"
#include "analysis/report_text.h"
#include "analysis/results.h"
#include "sim/error.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::size_t metric_at(const std::string& key) {
  const auto& m = comparison_metrics();
  for (std::size_t i = 0; i < m.size(); ++i)
    if (key == m[i].key) return i;
  throw std::logic_error("brief: no comparison metric '" + key + "'");
}

BriefFigure from_estimate(const Estimate& e) {
  BriefFigure f;
  if (!e.estimable || !std::isfinite(e.mean)) return f;
  f.value = e.mean;
  f.lo = e.lo;
  f.hi = e.hi;
  return f;
}

// The same figure over the plausible worlds: median, 90 % interval and the chances.
BriefFigure from_posterior(const PosteriorSummary& p, const std::string& scenario, const std::string& key) {
  const PosteriorAnalysis& a = p.analysis;
  BriefFigure f;
  std::size_t s = a.scenarios.size(), m = a.metrics.size();
  for (std::size_t i = 0; i < a.scenarios.size(); ++i)
    if (a.scenarios[i] == scenario) s = i;
  for (std::size_t i = 0; i < a.metrics.size(); ++i)
    if (a.metrics[i].key == key) m = i;
  if (s == a.scenarios.size() || m == a.metrics.size()) return f;
  const PosteriorCell& c = a.cells[s][m];
  if (c.draws == 0 || !std::isfinite(c.value)) return f;
  f.value = c.value;
  f.lo = c.value_lo;
  f.hi = c.value_hi;
  f.p_better = s == a.baseline ? NaN : c.p_better;
  f.p_best = c.rank.empty() ? NaN : c.rank.front();
  return f;
}

std::string plain(double v, const char* f) { return std::isfinite(v) ? format::number(v, f) : "n/a"; }

std::string share(double v) { return std::isfinite(v) ? format::number(100 * v, "%.0f") + "%" : "n/a"; }

std::string range(const BriefFigure& f, const char* fmt, double scale = 1) {
  if (!std::isfinite(f.lo) || !std::isfinite(f.hi)) return "";
  return "[" + plain(scale * f.lo, fmt) + ", " + plain(scale * f.hi, fmt) + "]";
}

}  // namespace

const BriefOption* Brief::find(const std::string& scenario) const {
  for (const auto& o : options)
    if (o.scenario == scenario) return &o;
  return nullptr;
}

const BriefOption* Brief::best(std::size_t buy) const {
  for (const auto& o : options)
    if (o.buys[buy].rank == 1) return &o;
  return nullptr;
}

Brief make_brief(const ComparisonTable& t, const PosteriorSummary* posterior) {
  Brief b;
  b.experiment = t.experiment;
  b.baseline = t.baseline;
  b.counterfactual = t.counterfactual;
  b.file = t.file;
  b.years = static_cast<double>(t.months) / 12.0;
  b.runs_per_option = static_cast<long long>(t.replicates_used);
  b.posterior = posterior != nullptr;
  if (posterior) {
    b.draws = posterior->analysis.draws;
    b.calibration_file = posterior->calibration_file;
  }
  const std::size_t cost = metric_at("cost_total"), gain = metric_at("income_effect"),
                    transfer = metric_at("income_transfer"), a36 = metric_at("active_36");
  for (const auto& r : t.rows) {
    const Estimate& c = r.value[cost];
    if (r.scenario == t.counterfactual || !c.estimable || !(c.mean > 0)) {
      b.not_ranked.push_back(r.scenario);
      continue;
    }
    BriefOption o;
    o.scenario = r.scenario;
    o.description = r.description;
    o.baseline = r.scenario == t.baseline;
    auto figure = [&](std::size_t m) {
      return posterior ? from_posterior(*posterior, r.scenario, comparison_metrics()[m].key)
                       : from_estimate(r.value[m]);
    };
    o.cost_total = figure(cost);
    o.cost_per_year = b.years > 0 ? o.cost_total.value / b.years : NaN;
    for (std::size_t k = 0; k < BRIEF_BUYS.size(); ++k) o.buys[k] = figure(metric_at(BRIEF_BUYS[k]));
    o.income_gain = figure(gain);
    o.transfer = figure(transfer);
    o.active_36 = figure(a36);
    b.options.push_back(std::move(o));
  }
  // Ranks per buy: the most per rupiah first; ties share the better rank.
  for (std::size_t k = 0; k < BRIEF_BUYS.size(); ++k)
    for (auto& o : b.options) {
      if (!std::isfinite(o.buys[k].value)) continue;
      int better = 0;
      for (const auto& other : b.options)
        if (std::isfinite(other.buys[k].value) && other.buys[k].value > o.buys[k].value) ++better;
      o.buys[k].rank = better + 1;
    }
  for (std::size_t k = BRIEF_BUYS.size(); k-- > 0;)
    for (const auto& o : b.options)
      if (o.buys[k].rank) b.ranked_by = k;
  const std::size_t by = b.ranked_by;
  std::stable_sort(b.options.begin(), b.options.end(), [by](const BriefOption& x, const BriefOption& y) {
    const int rx = x.buys[by].rank ? x.buys[by].rank : 1 << 20, ry = y.buys[by].rank ? y.buys[by].rank : 1 << 20;
    return rx < ry;
  });
  return b;
}

namespace {

Brief brief_of(const std::filesystem::path& file, const ComparisonTable* table, const PosteriorSummary* known) {
  ResultFile f(file);
  if (f.kind() != "compare")
    throw sim::InputError(file.string() +
                          ": a brief ranks the scenarios of a comparison (berdaya compare); this is a " + f.kind() +
                          " file.");
  const bool over_posterior = is_posterior_file(file);
  if (table && !over_posterior) return make_brief(*table, nullptr);
  // Over a posterior the table pools the draws.
  f.pool_posterior_draws();
  std::vector<Outcomes> all;
  for (std::size_t c = 0; c < f.cases().size(); ++c) all.push_back(outcomes(f, c));
  const ComparisonTable t = compare(f, all);
  if (!over_posterior) return make_brief(t, nullptr);
  if (known) return make_brief(t, known);
  const PosteriorSummary p = posterior_summary(file);
  return make_brief(t, &p);
}

}  // namespace

Brief brief(const std::filesystem::path& file) { return brief_of(file, nullptr, nullptr); }

std::string to_text(const Brief& b) {
  std::ostringstream o;
  o << "BRIEF for the head of the office: what each option buys per rupiah\n";
  if (b.options.empty()) {
    o << "  No option has a cost: nothing to rank.\n";
    return o.str();
  }
  o << (b.posterior ? "  Medians over " + std::to_string(b.draws) +
                          " plausible worlds of the calibration, 90% of them in [brackets]."
                    : std::string("  Pooled estimates; [brackets]: 95% simulation (Monte Carlo) precision only, not "
                                  "uncertainty about the parameters."))
    << "\n  Ranked by "
    << (b.ranked_by == 0   ? "groups still active 3 years after funding per Rp 1 billion"
        : b.ranked_by == 1 ? "lasting income per rupiah (groups at 3 years not estimable)"
                           : "households out of poverty per Rp 1 billion (groups at 3 years not estimable)")
    << ".\n\n";
  std::size_t w = 8;
  for (const auto& op : b.options) w = std::max(w, op.scenario.size());
  char line[512];
  std::snprintf(line, sizeof line, "  %-4s %-*s  %-22s %-18s %-26s %-26s %s\n", "rank", static_cast<int>(w), "option",
                "total cost (Rp)", "a year (Rp)", "groups active 3y / Rp 1bn", "lasting income / Rp 1,000",
                "households out of poverty / Rp 1bn");
  o << line;
  for (const auto& op : b.options) {
    const std::string g = plain(op.buys[0].value, "%.1f") + " " + range(op.buys[0], "%.1f");
    const std::string i = plain(1000 * op.buys[1].value, "%.0f") + " " + range(op.buys[1], "%.0f", 1000);
    const std::string l = plain(op.buys[2].value, "%.2f") + " " + range(op.buys[2], "%.2f");
    std::snprintf(line, sizeof line, "  %-4s %-*s  %-22s %-18s %-26s %-26s %s\n",
                  op.buys[b.ranked_by].rank ? std::to_string(op.buys[b.ranked_by].rank).c_str() : "-",
                  static_cast<int>(w), op.scenario.c_str(), rupiah_words(op.cost_total.value, Lang::en).c_str(),
                  rupiah_words(op.cost_per_year, Lang::en).c_str(), g.c_str(), i.c_str(), l.c_str());
    o << line;
  }
  const BriefOption* base = b.find(b.baseline);
  // Over a posterior, how often the winner is the best; one option is not ranked.
  auto chance = [&](const BriefOption* op, std::size_t k) {
    return b.posterior && std::isfinite(op->buys[k].p_best)
               ? " (the best in " + share(op->buys[k].p_best) + " of plausible worlds)"
               : std::string();
  };
  const bool one = b.options.size() == 1;
  if (const BriefOption* g = b.best(0)) {
    o << "\n  " << (one ? "" : "Per rupiah, '" + g->scenario + "' keeps the most groups running: ")
      << "Rp 1 billion keeps " << plain(g->buys[0].value, "%.1f") << " groups active 3 years after funding";
    if (!one && base && base != g && std::isfinite(base->buys[0].value))
      o << ", against " << plain(base->buys[0].value, "%.1f") << " with '" << b.baseline << "'";
    o << (one ? "" : chance(g, 0)) << ".\n";
  } else {
    o << "\n  Groups active 3 years after funding are not estimable: too few groups could be followed that long.\n";
  }
  if (const BriefOption* inc = b.best(1))
    o << "  " << (one ? "E" : "For lasting income, '" + inc->scenario + "' does best: e")
      << "very Rp 1,000 spent adds Rp " << plain(1000 * inc->buys[1].value, "%.0f")
      << " of income that members keep earning" << (one ? "" : chance(inc, 1)) << ".\n";
  if (const BriefOption* pov = b.best(2))
    o << "  "
      << (one ? "Rp 1 billion lifts "
              : "For poverty, '" + pov->scenario + "' lifts the most member households above the line: ")
      << plain(pov->buys[2].value, "%.2f") << (one ? " member households above the line" : " per Rp 1 billion")
      << " (last 12 months)" << (one ? "" : chance(pov, 2)) << ".\n";
  const BriefOption* top = b.best(b.ranked_by);
  if (b.posterior && !one && top && base && base != top)
    o << "  How sure: across " << b.draws << " plausible worlds, '" << top->scenario << "' beats '" << b.baseline
      << "' per rupiah in " << share(top->buys[b.ranked_by].p_better) << " of them and is the best option in "
      << share(top->buys[b.ranked_by].p_best) << ".\n";
  else if (!b.posterior)
    o << "  How sure: the figures rest on the model's assumed parameters; run the comparison over a calibration's "
         "posterior (compare --posterior) for how sure the ranking is.\n";
  o << "  Lasting income is what the groups' businesses add to members' income month after month; the one-off "
       "transfer (a grant shared out) is cash received once and is never counted as a gain.\n\n";
  return o.str();
}

std::string to_json(const Brief& b) {
  auto fig = [](const BriefFigure& f) {
    return "{\"value\": " + format::json_number(f.value) + ", \"lo\": " + format::json_number(f.lo) +
           ", \"hi\": " + format::json_number(f.hi) + ", \"p_better\": " + format::json_number(f.p_better) +
           ", \"p_best\": " + format::json_number(f.p_best) + ", \"rank\": " + std::to_string(f.rank) + "}";
  };
  std::ostringstream o;
  o << "{\"ranked_by\": \"" << BRIEF_BUYS[b.ranked_by] << "\", \"years\": " << format::json_number(b.years)
    << ", \"interval\": "
    << format::json_string(b.posterior ? "90% over the posterior's plausible worlds (value: the median)"
                                       : "95% Monte Carlo precision (value: the pooled estimate)")
    << ", \"options\": [";
  for (std::size_t i = 0; i < b.options.size(); ++i) {
    const auto& op = b.options[i];
    o << (i ? ", " : "") << "{\"scenario\": " << format::json_string(op.scenario)
      << ", \"baseline\": " << (op.baseline ? "true" : "false")
      << ", \"cost_total\": {\"value\": " << format::json_number(op.cost_total.value)
      << ", \"lo\": " << format::json_number(op.cost_total.lo) << ", \"hi\": " << format::json_number(op.cost_total.hi)
      << "}, \"cost_per_year\": " << format::json_number(op.cost_per_year);
    for (std::size_t k = 0; k < BRIEF_BUYS.size(); ++k) o << ", \"" << BRIEF_BUYS[k] << "\": " << fig(op.buys[k]);
    o << "}";
  }
  o << "], \"not_ranked\": [";
  for (std::size_t i = 0; i < b.not_ranked.size(); ++i) o << (i ? ", " : "") << format::json_string(b.not_ranked[i]);
  o << "]}";
  return o.str();
}

std::string with_brief(const std::filesystem::path& file, sim::SummaryFormat format, std::string summary,
                       const ComparisonTable* table, const PosteriorSummary* posterior) {
  if (format == sim::SummaryFormat::Markdown || ResultFile(file).kind() != "compare") return summary;
  const Brief b = brief_of(file, table, posterior);
  if (format == sim::SummaryFormat::Text) return to_text(b) + summary;
  const auto end = summary.rfind('}');
  if (end == std::string::npos) return summary;
  return summary.substr(0, end) + ", \"brief\": " + to_json(b) + summary.substr(end);
}

}  // namespace analysis
