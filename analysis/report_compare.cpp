// The report of a comparison or a single run: the sections a planner reads, from the
// headline table to the parameters behind it. A run is a comparison of one scenario with
// no baseline to differ from.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "analysis/comparison.h"
#include "analysis/estimates.h"
#include "analysis/report_page.h"
#include "analysis/summary.h"
#include "sim/params.h"

namespace analysis::report {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::string esc(const std::string& s) { return svg::escape(s); }

// A comparison metric's place in comparison_metrics() and in every row's values.
std::size_t metric_index(const std::string& key) {
  const auto& m = comparison_metrics();
  for (std::size_t i = 0; i < m.size(); ++i)
    if (key == m[i].key) return i;
  throw std::logic_error("report: no comparison metric '" + key + "'");
}

svg::Interval interval_of(const Estimate& e) { return {e.mean, e.lo, e.hi}; }

// Everything the report needs of one case beyond the comparison table.
struct Case {
  std::string name, label;  // label: the name, marked when it is the baseline
  Outcomes outcomes;
  std::size_t colour = 0;
  bool dashed = false;
};

// Per month: the pooled value over the plan's replicates with its 95% percentile bootstrap
// interval over the plan's units (replicates, or batches of them).
struct Trajectory {
  std::vector<double> month, mean, lo, hi;
};

// Each month's sum of value x weight over sum of weight (weight 1 without `weight`: a mean
// over replicates), skipping cells where either is not finite.
Trajectory trajectory(const Matrix& m, const Matrix* weight, const EstimationPlan& plan) {
  Trajectory t;
  const std::size_t n = plan.units.size();
  std::vector<double> num(n), den(n), boot(plan.common.size());
  for (std::size_t col = 0; col < m.cols; ++col) {
    double all_num = 0, all_den = 0;
    for (std::size_t j = 0; j < n; ++j) {
      num[j] = den[j] = 0.0;
      for (auto [r, end] = plan.unit_span(plan.units[j]); r < end; ++r) {
        const double v = m.at(r, col), w = weight ? weight->at(r, col) : 1.0;
        const bool ok = std::isfinite(v) && std::isfinite(w) && w > 0;
        num[j] += ok ? v * w : 0.0;
        den[j] += ok ? w : 0.0;
      }
      all_num += num[j];
      all_den += den[j];
    }
    for (std::size_t b = 0; b < plan.common.size(); ++b) {
      double a = 0, d = 0;
      for (std::uint32_t j : plan.common[b]) a += num[j], d += den[j];
      boot[b] = d > 0 ? a / d : NaN;
    }
    t.month.push_back(static_cast<double>(col + 1));
    const bool any = all_den > 0;
    t.mean.push_back(any ? all_num / all_den : NaN);
    // One replicate has an estimate but no interval to speak of.
    const Bounds band = any && n > 1 ? percentile_interval(boot) : Bounds{NaN, NaN};
    t.lo.push_back(band.lo);
    t.hi.push_back(band.hi);
  }
  return t;
}

std::string pp_word(Lang lang) { return lang == Lang::id ? " poin" : " pp"; }

// The largest magnitude of an estimate, so its mean and interval use the same words.
double reach(const Estimate& e) {
  double r = 0;
  for (double v : {e.mean, e.lo, e.hi})
    if (std::isfinite(v)) r = std::max(r, std::fabs(v));
  return r;
}

std::string not_estimable_text(const Estimate& e, Lang lang) {
  return fill(text(lang, "doc.not_estimable"), {number(std::isfinite(e.at_risk) ? e.at_risk : 0, 0, lang)});
}

// A comparison metric's value in words; differences of shares are percentage points.
std::string metric_text(double v, const std::string& unit, bool difference, Lang lang, double reference = NaN) {
  if (std::isinf(v)) return text(lang, "doc.unbounded");
  if (!std::isfinite(v)) return text(lang, "doc.na");
  std::string s;
  if (unit == "%")
    s = difference ? number(100 * v, 1, lang) + pp_word(lang) : percent(v, 1, lang);
  else if (unit == "pp")
    s = number(100 * v, 2, lang);
  else if (unit == "Rp")
    s = rupiah_short(v, NaN, lang, reference);
  else if (unit == "Rp/Rp")
    s = number(v, 2, lang);
  else
    s = number(v, 1, lang);
  return difference || unit == "pp" || unit == "groups" ? with_sign(v, s) : s;
}

std::string estimate_text(const Estimate& e, const std::string& unit, Lang lang) {
  if (!e.estimable || !std::isfinite(e.mean) || std::isnan(e.lo) || std::isnan(e.hi)) return "";
  auto plain = [&](double v) {
    if (std::isinf(v)) return text(lang, "doc.unbounded");
    if (!std::isfinite(v)) return text(lang, "doc.na");
    if (unit == "%") return number(100 * v, 1, lang);
    if (unit == "pp") return number(100 * v, 2, lang);
    if (unit == "Rp") return rupiah_short(v, NaN, lang, reach(e));
    if (unit == "Rp/Rp") return number(v, 2, lang);
    return number(v, 1, lang);
  };
  return interval(plain(e.lo), plain(e.hi), lang);
}

// The numbers of an estimate as attributes, for programs that read the page (the bounds test).
std::string data_of(const Estimate& e, const char* part) {
  auto num = [](double v) {
    if (std::isnan(v)) return std::string("nan");
    if (std::isinf(v)) return std::string(v > 0 ? "inf" : "-inf");
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf);
  };
  std::string o = std::string(" data-part=\"") + part + "\"";
  if (!e.estimable) return o + " data-estimable=\"false\" data-at-risk=\"" + num(e.at_risk) + "\"";
  return o + " data-mean=\"" + num(e.mean) + "\" data-lo=\"" + num(e.lo) + "\" data-hi=\"" + num(e.hi) + "\"";
}

std::string headline_table(const ComparisonTable& t, const std::vector<std::size_t>& metrics, bool paired, Lang lang,
                           const std::string& caption) {
  const auto& all = comparison_metrics();
  std::string o = "<div class=\"scroll\"><table class=\"headline\" aria-label=\"" + esc(caption) +
                  "\"><thead><tr><th scope=\"col\">" + esc(text(lang, "doc.scenario")) + "</th>";
  for (auto m : metrics) o += "<th scope=\"col\">" + esc(text(lang, std::string("metric.") + all[m].key)) + "</th>";
  o += "</tr></thead><tbody>";
  for (const auto& r : t.rows) {
    const bool base = r.scenario == t.baseline;
    o += "<tr><th scope=\"row\">" + esc(r.scenario);
    if (base && paired) o += " <span class=\"tag\">" + esc(text(lang, "doc.baseline")) + "</span>";
    if (!r.description.empty()) o += "<div class=\"desc\">" + esc(r.description) + "</div>";
    o += "</th>";
    for (auto m : metrics) {
      const std::string unit = all[m].unit;
      const Estimate& v = r.value[m];
      o += std::string("<td data-metric=\"") + all[m].key + "\"" + data_of(v, "value") + "><div class=\"v\">" +
           esc(v.estimable ? metric_text(v.mean, unit, false, lang, reach(v)) : not_estimable_text(v, lang)) +
           "</div><div class=\"ci\">" + esc(estimate_text(v, unit, lang)) + "</div>";
      if (paired && !base) {
        const Estimate& d = r.diff[m];
        o += "<div class=\"d\"" + data_of(d, "diff") + ">Δ " +
             esc(d.estimable ? metric_text(d.mean, unit, true, lang, reach(d)) : not_estimable_text(d, lang)) + " " +
             esc(estimate_text(d, unit, lang)) + "</div>";
      }
      o += "</td>";
    }
    o += "</tr>";
  }
  return o + "</tbody></table></div>";
}

// Kaplan-Meier of the funded groups of all the plan's replicates, month by month, with a
// pointwise 95% percentile band from the bootstrap over replicates. The curve stops at the
// last month at least MIN_FOLLOWED groups could be followed to: beyond it, it is not
// estimable.
svg::Series survival_series(const Case& k, const EstimationPlan& plan) {
  svg::Series s;
  s.label = k.label;
  s.colour = k.colour;
  s.dashed = k.dashed;
  const LifeTables& life = k.outcomes.life;
  PooledCurve full, curve;
  life.pool(plan.units, full);
  std::size_t last = 0;
  bool any = false;
  for (std::size_t t = 0; t < full.reach.size(); ++t)
    if (full.reach[t] >= MIN_FOLLOWED) last = t, any = true;
  if (!any) return s;
  std::vector<std::vector<double>> boot(last + 1, std::vector<double>(plan.common.size(), NaN));
  std::vector<std::uint32_t> reps(plan.units.size());
  for (std::size_t b = 0; b < plan.common.size(); ++b) {
    const auto idx = plan.common[b];
    double groups = 0;
    for (std::size_t i = 0; i < idx.size(); ++i) reps[i] = plan.units[idx[i]], groups += life.groups(reps[i]);
    if (groups <= 0) continue;  // a resample without a funded group has no curve
    life.pool(reps, curve);
    for (std::size_t t = 0; t <= last; ++t) boot[t][b] = curve.survival[t];
  }
  // Every group is active when funded; failures in the month of funding drop at 0.
  s.x = {0};
  s.y = {1};
  s.lo = {1};
  s.hi = {1};
  for (std::size_t t = 0; t <= last; ++t) {
    const Bounds band = plan.replicates.size() > 1 ? percentile_interval(boot[t]) : Bounds{NaN, NaN};
    s.x.push_back(static_cast<double>(t));
    s.y.push_back(full.survival[t]);
    s.lo.push_back(band.lo);
    s.hi.push_back(band.hi);
  }
  return s;
}

svg::LineChart incidence_chart(const Case& k, const std::vector<std::string>& cause_labels, double months, Lang lang) {
  svg::LineChart c;
  c.id = "causes-" + slug(k.name);
  c.title = fill(text(lang, "chart.causes"), {k.label});
  c.x = month_axis(text(lang, "axis.months_since_funding"), lang, months);
  c.y = percent_axis(text(lang, "axis.incidence"), lang);
  c.y.include_zero = true;
  c.step = true;
  c.width = 400;
  c.height = 270;
  c.empty_note = text(lang, k.outcomes.groups_funded == 0 ? "empty.no_groups" : "empty.no_failures");
  const int n_causes = static_cast<int>(cause_labels.size()) - 1;
  if (k.outcomes.groups_funded == 0 || n_causes < 1 || k.outcomes.end_kinds != cause_labels.size()) return c;
  const auto cif = cumulative_incidence(k.outcomes.ends, n_causes);
  if (cif.empty()) return c;
  for (int j = 1; j <= n_causes; ++j) {
    svg::Series s;
    s.label =
        text_or(lang, "cause." + cause_labels[static_cast<std::size_t>(j)], cause_labels[static_cast<std::size_t>(j)]);
    s.colour = static_cast<std::size_t>(j);
    s.x = {0};
    s.y = {0};
    for (const auto& p : cif) {
      s.x.push_back(p.time);
      s.y.push_back(p.incidence[static_cast<std::size_t>(j - 1)]);
    }
    s.x.push_back(k.outcomes.max_follow_up);
    s.y.push_back(s.y.back());
    c.series.push_back(std::move(s));
  }
  return c;
}

svg::DotChart metric_chart(const std::string& id, const std::string& title, const svg::Axis& axis,
                           const ComparisonTable& t, std::size_t metric, bool difference, Lang lang) {
  svg::DotChart c;
  c.id = id;
  c.title = title;
  c.x = axis;
  c.series = {text(lang, "series.estimate")};
  c.interval_label = text(lang, "doc.ci");
  c.missing = text(lang, "doc.na");
  c.empty_note = text(lang, "empty.no_values");
  c.width = 560;
  for (const auto& r : t.rows) {
    if (difference && r.scenario == t.baseline) continue;
    c.rows.push_back({r.scenario, {interval_of(difference ? r.diff[metric] : r.value[metric])}});
  }
  return c;
}

using Setting = std::pair<std::string, std::string>;

// "section.key = value" lines of a resolved scenario, in file order. The writer emits
// one setting a line; an array may run over lines until its brackets close.
std::vector<Setting> settings_of(const std::string& toml) {
  std::vector<Setting> out;
  std::string section;
  std::size_t pos = 0;
  auto trim = [](std::string s) {
    const auto a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
  };
  auto depth = [](const std::string& s) {
    int d = 0;
    bool quoted = false;
    for (char ch : s) {
      if (ch == '"')
        quoted = !quoted;
      else if (!quoted && ch == '[')
        ++d;
      else if (!quoted && ch == ']')
        --d;
    }
    return d;
  };
  while (pos <= toml.size()) {
    auto end = toml.find('\n', pos);
    if (end == std::string::npos) end = toml.size();
    std::string line = trim(toml.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      section = trim(line.substr(line.find_first_not_of('['), line.find(']') - line.find_first_not_of('[')));
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string value = trim(line.substr(eq + 1));
    while (depth(value) > 0 && pos < toml.size()) {
      end = toml.find('\n', pos);
      if (end == std::string::npos) end = toml.size();
      value += " " + trim(toml.substr(pos, end - pos));
      pos = end + 1;
    }
    const std::string key = trim(line.substr(0, eq));
    out.push_back({section.empty() ? key : section + "." + key, value});
  }
  return out;
}

// Rows of the parameter table for one scenario: each setting that differs from the
// baseline, the scenario's name and description spanning them.
std::string parameter_rows(const std::string& name, const std::string& description, const std::string& base_toml,
                           const std::string& toml, Lang lang) {
  const auto base = settings_of(base_toml), mine = settings_of(toml);
  std::map<std::string, std::string> b(base.begin(), base.end()), m(mine.begin(), mine.end());
  std::vector<std::string> keys;
  for (const auto& [k, v] : mine) keys.push_back(k);
  for (const auto& [k, v] : base)
    if (!m.count(k)) keys.push_back(k);
  std::vector<std::string> cells;
  for (const auto& k : keys) {
    // The row's heading says them.
    if (k == "name" || k == "description" || k.rfind("title.", 0) == 0 || k.rfind("description.", 0) == 0) continue;
    const auto bi = b.find(k), mi = m.find(k);
    const std::string bv = bi == b.end() ? text(lang, "params.absent") : bi->second;
    const std::string mv = mi == m.end() ? text(lang, "params.absent") : mi->second;
    if (bv == mv) continue;
    cells.push_back("<td><code>" + esc(k) + "</code></td><td><code>" + esc(bv) + "</code></td><td><code>" + esc(mv) +
                    "</code></td>");
  }
  if (cells.empty()) cells.push_back("<td colspan=\"3\">" + esc(text(lang, "params.same")) + "</td>");
  std::string o;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    o += i ? "<tr>" : "<tr class=\"first\">";
    if (i == 0)
      o += "<th scope=\"row\" rowspan=\"" + std::to_string(cells.size()) + "\">" + esc(name) +
           (description.empty() ? "" : "<div class=\"desc\">" + esc(description) + "</div>") + "</th>";
    o += cells[i] + "</tr>";
  }
  return o;
}

std::string paragraph(const std::string& s) { return "<p>" + esc(s) + "</p>"; }

// What every section reads: the comparison table, the replicates and resamples behind it
// (for the charts' bands too), and each case's outcomes.
struct Report {
  const ResultFile& f;
  Lang lang;
  ComparisonTable t;
  EstimationPlan plan;
  bool paired = false;  // a comparison with a baseline to differ from, not a single run
  double months = 0;
  std::size_t base = 0;  // the baseline's case index
  std::vector<Case> cases;
  std::map<std::string, std::string> titles;  // scenario -> its title in the report's language
  ComparisonTable shown;  // t as the reader sees it: titles for names, descriptions in the report's language
};

// A scenario as the reader sees it: its title in the report's language where the file has
// one, else its name.
std::string display_name(const Report& r, const std::string& scenario) {
  const auto it = r.titles.find(scenario);
  return it == r.titles.end() || it->second.empty() ? scenario : it->second;
}

Report read_report(const ResultFile& f, Lang lang) {
  std::vector<Outcomes> all;
  for (std::size_t c = 0; c < f.cases().size(); ++c) all.push_back(outcomes(f, c));
  Report r{f, lang, compare(f, all), {}, false, 0, 0, {}, {}, {}};
  std::vector<const Outcomes*> pointers;
  for (const auto& o : all) pointers.push_back(&o);
  r.plan = estimation_plan(pointers, static_cast<std::uint64_t>(r.t.seed));
  r.paired = f.kind() == "compare" && r.t.rows.size() > 1;
  r.months = static_cast<double>(f.months());
  r.base = f.case_index(r.t.baseline);
  // Titles and descriptions in the report's language, from each case's resolved scenario.
  const std::vector<std::string> tomls = f.case_strings("scenario_toml");
  r.shown = r.t;
  for (std::size_t c = 0; c < tomls.size() && c < r.t.rows.size(); ++c) {
    const sim::ScenarioWording w = sim::scenario_wording(tomls[c]);
    const std::string& name = r.t.rows[c].scenario;
    if (!w.title.empty()) r.titles[name] = w.title.in(code(lang));
    if (!w.about.empty()) r.shown.rows[c].description = w.about.in(code(lang));
  }
  for (auto& row : r.shown.rows) row.scenario = display_name(r, row.scenario);
  r.shown.baseline = display_name(r, r.t.baseline);
  for (std::size_t c = 0; c < f.cases().size(); ++c) {
    r.cases.push_back({f.cases()[c], "", std::move(all[c])});
    auto& k = r.cases.back();
    const std::string shown = display_name(r, k.name);
    k.label = r.paired && c == r.base ? shown + " (" + text(lang, "doc.baseline") + ")" : shown;
    k.colour = c % svg::PALETTE_SIZE;
    k.dashed = c >= svg::PALETTE_SIZE;
  }
  return r;
}

// The headline tables' columns, by metric key.
constexpr std::array<const char*, 4> GROUP_COLUMNS = {"active_12", "active_36", "active_60", "effectiveness"};
// The lasting gain and, beside it and apart from it, the one-off transfer.
constexpr std::array<const char*, 4> INCOME_COLUMNS = {"income_effect", "income_transfer", "poverty_change_members",
                                                       "poverty_change"};
constexpr std::array<const char*, 4> COST_COLUMNS = {"cost_per_active_36", "cost_per_rupiah", "responsiveness",
                                                     "accountability"};

// "headline": what the estimates are and what their intervals measure, then the three
// headline tables (groups, income and poverty, costs and the office's indicators).
Section headline_section(const Report& r) {
  const Lang lang = r.lang;
  std::string b = paragraph(text(lang, r.paired ? "lead.headline" : "lead.headline.run"));
  if (r.f.pooled_draws() > 1) b += paragraph(text(lang, "lead.pooled.short"));
  auto table = [&](const char* title, const std::array<const char*, 4>& keys) {
    std::vector<std::size_t> columns;
    for (const char* k : keys) columns.push_back(metric_index(k));
    return "<h3>" + esc(text(lang, title)) + "</h3>" +
           headline_table(r.shown, columns, r.paired, lang, text(lang, title));
  };
  b += table("table.groups", GROUP_COLUMNS);
  b += table("table.income", INCOME_COLUMNS);
  b += table("table.costs", COST_COLUMNS);
  return {"headline", text(lang, "sec.headline"), b};
}

// "survival": one chart of every case's Kaplan-Meier curve with its band.
Section survival_section(const Report& r) {
  const Lang lang = r.lang;
  svg::LineChart c;
  c.id = "survival";
  c.title = text(lang, "chart.survival");
  c.x = month_axis(text(lang, "axis.months_since_funding"), lang, r.months);
  c.y = percent_axis(text(lang, "axis.active"), lang);
  c.y.min = 0;
  c.y.max = 1;
  c.step = true;
  c.width = 900;
  c.height = 420;
  c.band_label = text(lang, "doc.band");
  c.empty_note = text(lang, "empty.no_groups");
  for (const auto& k : r.cases)
    if (k.outcomes.groups_funded > 0) {
      auto series = survival_series(k, r.plan);
      if (!series.x.empty()) c.series.push_back(std::move(series));
    }
  return {"survival", text(lang, "sec.survival"), paragraph(text(lang, "lead.survival")) + figure(c, lang)};
}

// The cases whose failure causes are shown: the baseline, and the best and worst of the
// others by groups active at 36 months.
std::vector<std::size_t> cause_cases(const Report& r) {
  const auto& rows = r.t.rows;
  std::vector<std::size_t> shown = {r.base};
  const std::size_t a36 = metric_index("active_36");
  std::vector<std::size_t> others;
  for (std::size_t c = 0; c < rows.size(); ++c)
    if (c != r.base && std::isfinite(rows[c].value[a36].mean)) others.push_back(c);
  std::sort(others.begin(), others.end(),
            [&](std::size_t a, std::size_t b) { return rows[a].value[a36].mean > rows[b].value[a36].mean; });
  if (!others.empty()) shown.push_back(others.front());
  if (others.size() > 1) shown.push_back(others.back());
  return shown;
}

// "causes": cumulative incidence of each failure cause for the cases of cause_cases, one
// small panel each on a shared vertical scale.
Section causes_section(const Report& r) {
  const Lang lang = r.lang;
  const auto labels = r.f.column_labels("cause");
  std::string b = paragraph(text(lang, r.paired ? "lead.causes" : "lead.causes.run")) + "<div class=\"grid\">";
  std::vector<svg::LineChart> charts;
  double top = 0;
  for (auto c : cause_cases(r)) {
    charts.push_back(incidence_chart(r.cases[c], labels, r.months, lang));
    for (const auto& series : charts.back().series)
      for (double y : series.y) top = std::max(top, std::isfinite(y) ? y : 0.0);
  }
  // One vertical scale, so the panels compare at a glance.
  const auto ticks = svg::nice_ticks(0, std::max(top, 0.01));
  for (auto& chart : charts) {
    chart.y.min = 0;
    chart.y.max = ticks.back();
    b += figure(chart, lang, "small");
  }
  return {"causes", text(lang, "sec.causes"), b + "</div>"};
}

// "effects": the lasting income gain, the one-off transfer and the pool's poverty change
// against the counterfactual, and (in a comparison) their differences to the baseline.
Section effects_section(const Report& r) {
  const Lang lang = r.lang;
  const std::size_t inc = metric_index("income_effect"), transfer = metric_index("income_transfer"),
                    pov = metric_index("poverty_change");
  auto income = rupiah_axis(text(lang, "axis.income"), lang);
  auto points = points_axis(text(lang, "axis.pp"), lang);
  auto effect = [&](const char* id, const char* title, const svg::Axis& axis, std::size_t m, bool diff) {
    auto c = metric_chart(id, text(lang, title), axis, r.shown, m, diff, lang);
    c.reference = 0;
    c.reference_label = text(lang, "ref.zero");
    return figure(c, lang);
  };
  std::string b = paragraph(text(lang, "lead.effects")) + "<div class=\"grid2\">";
  // The lasting gain and the one-off transfer side by side, never added together.
  b += effect("effect-income", "chart.effect_income", income, inc, false);
  b += effect("effect-transfer", "chart.effect_transfer", income, transfer, false);
  if (r.paired) {
    b += effect("diff-income", "chart.diff_income", income, inc, true);
    b += effect("diff-transfer", "chart.diff_transfer", income, transfer, true);
  }
  b += effect("effect-poverty", "chart.effect_poverty", points, pov, false);
  if (r.paired) b += effect("diff-poverty", "chart.diff_poverty", points, pov, true);
  return {"effects", text(lang, "sec.effects"), b + "</div>"};
}

// "costs": bars of the cost per group active at 36 months and per rupiah of lasting gain.
Section costs_section(const Report& r) {
  const Lang lang = r.lang;
  auto bars = [&](const char* id, const char* title, const svg::Axis& axis, const char* metric) {
    auto c = metric_chart(id, text(lang, title), axis, r.shown, metric_index(metric), false, lang);
    c.bars = true;
    return figure(c, lang);
  };
  std::string b = paragraph(text(lang, "lead.costs")) + "<div class=\"grid2\">";
  b += bars("cost-per-active-36", "chart.cost_active", rupiah_axis(text(lang, "axis.rp"), lang), "cost_per_active_36");
  b += bars("cost-per-rupiah", "chart.cost_rupiah", plain_axis(text(lang, "axis.rp_per_rp"), lang, 3),
            "cost_per_rupiah");
  return {"costs", text(lang, "sec.costs"), b + "</div>"};
}

// "indicators": bars of the city office's three indicators (effectiveness,
// responsiveness, accountability).
Section indicators_section(const Report& r) {
  const Lang lang = r.lang;
  auto bars = [&](const char* id, const char* title, const svg::Axis& axis, const char* metric, bool reference) {
    auto c = metric_chart(id, text(lang, title), axis, r.shown, metric_index(metric), false, lang);
    c.bars = true;
    if (reference) {
      c.reference = 0;
      c.reference_label = text(lang, "ref.zero");
    }
    return figure(c, lang);
  };
  auto share = percent_axis(text(lang, "axis.percent"), lang);
  share.min = 0;
  share.max = 1;
  std::string b = paragraph(text(lang, "lead.indicators")) + "<div class=\"grid2\">";
  b += bars("indicator-effectiveness", "chart.effectiveness", share, "effectiveness", false);
  b += bars("indicator-responsiveness", "chart.responsiveness", plain_axis(text(lang, "axis.delay_months"), lang, 1),
            "responsiveness", false);
  b += bars("indicator-accountability", "chart.accountability", plain_axis(text(lang, "axis.groups"), lang, 2),
            "accountability", true);
  return {"indicators", text(lang, "sec.indicators"), b + "</div>"};
}

// "parameters": in a comparison, each case's settings that differ from the baseline's and
// the baseline's full scenario; in a run, the scenario in full.
Section parameters_section(const Report& r) {
  const Lang lang = r.lang;
  const auto& cases = r.cases;
  const auto& t = r.t;
  std::vector<std::string> tomls = r.f.case_strings("scenario_toml");
  if (tomls.size() != cases.size()) tomls.assign(cases.size(), r.f.attr("scenario_toml"));
  std::string b;
  if (r.paired) {
    b += paragraph(fill(text(lang, "lead.parameters"), {display_name(r, t.baseline)}));
    b += "<table class=\"params\"><thead><tr><th scope=\"col\">" + esc(text(lang, "doc.scenario")) +
         "</th><th scope=\"col\">" + esc(text(lang, "params.setting")) + "</th><th scope=\"col\">" +
         esc(text(lang, "params.baseline")) + "</th><th scope=\"col\">" + esc(text(lang, "params.this")) +
         "</th></tr></thead><tbody>";
    for (std::size_t c = 0; c < cases.size(); ++c)
      if (c != r.base)
        b += parameter_rows(display_name(r, cases[c].name), r.shown.rows[c].description, tomls[r.base], tomls[c], lang);
    b += "</tbody></table>";
    b += details(fill(text(lang, "params.full"), {display_name(r, t.baseline)}), pre(tomls[r.base]));
  } else {
    b += paragraph(text(lang, "lead.parameters.run"));
    b += details(fill(text(lang, "params.full.run"), {cases[r.base].name}), pre(tomls[r.base]));
  }
  return {"parameters", text(lang, "sec.parameters"), b};
}

// "method" (appendix): how every figure is estimated and what its interval measures.
Section method_section(const Report& r) {
  const auto& t = r.t;
  const Lang lang = r.lang;
  const std::string used = std::to_string(t.replicates_used);
  std::string b;
  if (r.f.pooled_draws() > 1) {
    const std::size_t D = r.f.pooled_draws(), R = r.f.replicates() / D;
    b += "<p class=\"warning\">" +
         esc(fill(text(lang, "lead.pooled"), {std::to_string(D), std::to_string(R), std::to_string(D * R)})) + "</p>";
  }
  b += paragraph(r.paired ? fill(text(lang, "doc.intro.compare"), {used, display_name(r, t.baseline)})
                          : fill(text(lang, "doc.intro.run"), {used}));
  b += interval_method(t.replicates_used, t.resamples, t.bootstrap_batch, lang);
  b +=
      paragraph(t.counterfactual.empty() ? text(lang, "doc.counterfactual_inrun")
                                         : fill(text(lang, "doc.counterfactual"), {display_name(r, t.counterfactual)}));
  b += paragraph(text(lang, "method.survival"));
  b += paragraph(text(lang, "method.buys"));
  return {"method", text(lang, "sec.method"), b};
}

// Each month's effect: value minus its counterfactual, per case, on one chart.
Trajectory effect_trajectory(const Matrix& with, const Matrix& without, const Matrix* weight,
                             const EstimationPlan& plan) {
  Matrix d = with;
  for (std::size_t i = 0; i < d.v.size(); ++i) d.v[i] = with.v[i] - without.v[i];
  return trajectory(d, weight, plan);
}

// "over-time": the lasting income gain and the pool's poverty change month by month, one
// line per scenario with its band, on two large charts: effects, not levels, so the
// axis starts where the effect does and small differences are not blown up.
Section effects_over_time_section(const Report& r) {
  const Lang lang = r.lang;
  const std::size_t cf = r.t.counterfactual.empty() ? r.cases.size() : r.f.case_index(r.t.counterfactual);
  svg::LineChart income, poverty;
  income.id = "over-time-income";
  income.title = text(lang, "chart.over_time_income");
  income.y = rupiah_axis(text(lang, "axis.income_gain"), lang);
  poverty.id = "over-time-poverty";
  poverty.title = text(lang, "chart.over_time_poverty");
  poverty.y = points_axis(text(lang, "axis.pp"), lang);
  for (auto* c : {&income, &poverty}) {
    c->x = month_axis(text(lang, "axis.month"), lang, r.months);
    c->y.include_zero = true;
    c->width = 900;
    c->height = 380;
    c->band_label = text(lang, "doc.band");
    c->empty_note = text(lang, "empty.no_values");
  }
  for (std::size_t c = 0; c < r.cases.size(); ++c) {
    if (c == cf) continue;  // no program: nothing to differ
    const Case& k = r.cases[c];
    const Matrix recipients = r.f.matrix("series", "recipients", c);
    const Trajectory inc = effect_trajectory(r.f.matrix("series", "income_members", c),
                                             r.f.matrix("series", "income_members_cf", c), &recipients, r.plan);
    Trajectory pov = effect_trajectory(r.f.matrix("series", "poverty_pool", c),
                                       r.f.matrix("series", "poverty_pool_cf", c), nullptr, r.plan);
    income.series.push_back({k.label, inc.month, inc.mean, inc.lo, inc.hi, k.colour, k.dashed});
    poverty.series.push_back({k.label, pov.month, pov.mean, pov.lo, pov.hi, k.colour, k.dashed});
  }
  std::string b = paragraph(text(lang, "lead.over_time"));
  b += figure(income, lang) + figure(poverty, lang);
  return {"over-time", text(lang, "sec.over_time"), b};
}

}  // namespace

std::vector<Section> comparison_sections(const ResultFile& f, Lang lang, const PosteriorSummary* posterior) {
  const Report r = read_report(f, lang);
  std::vector<Section> out;
  const auto name_of = [&](const std::string& scenario) { return display_name(r, scenario); };
  if (f.kind() == "compare") out.push_back(brief_section(make_brief(r.t, posterior), lang, name_of));
  if (posterior) out.push_back(posterior_section(*posterior, lang, name_of));
  for (auto s : {headline_section(r), survival_section(r), effects_over_time_section(r), effects_section(r),
                 costs_section(r), indicators_section(r)})
    out.push_back(std::move(s));
  for (auto s : {method_section(r), causes_section(r), parameters_section(r)}) {
    s.appendix = true;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace analysis::report
