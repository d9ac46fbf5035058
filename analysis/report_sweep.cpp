// The report of a sweep: what was varied and how, and how strongly each factor moves the
// key outcomes (Sobol' indices, Morris screening or rank correlations, by design).
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/comparison.h"
#include "analysis/report_page.h"
#include "sim/params.h"

namespace analysis::report {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::string esc(const std::string& s) { return svg::escape(s); }
std::string paragraph(const std::string& s) { return "<p>" + esc(s) + "</p>"; }

// The axis of an outcome's own units (Morris effects are in them).
svg::Axis outcome_axis(const std::string& key, const std::string& label, Lang lang) {
  if (key == "active_36") return percent_axis(label, lang);
  if (key == "poverty_change") return points_axis(label, lang);
  return rupiah_axis(label, lang);
}

std::string outcome_unit(const std::string& key, Lang lang) {
  if (key == "active_36") return text(lang, "unit.share");
  if (key == "poverty_change") return text(lang, "unit.pp");
  return text(lang, "unit.rp");
}

svg::DotChart sensitivity_chart(const SweepSummary& s, const SweepOutcome& out, Lang lang) {
  svg::DotChart c;
  c.id = "sensitivity-" + slug(out.key);
  c.title = fill(text(lang, "chart.sensitivity"), {text_or(lang, "outcome." + out.key, out.label)});
  c.bars = true;
  c.missing = text(lang, "doc.na");
  c.empty_note = text(lang, "sweep.undefined");
  c.width = 640;
  if (s.design == "saltelli") {
    c.x = plain_axis(text(lang, "axis.sobol"), lang, 3);
    c.series = {text(lang, "series.first"), text(lang, "series.total")};
    c.interval_label = text(lang, "doc.ci");
    for (const auto& e : out.factors)
      c.rows.push_back({e.factor, {{e.first, e.first_lo, e.first_hi}, {e.total, e.total_lo, e.total_hi}}});
  } else if (s.design == "morris") {
    c.x = outcome_axis(out.key, fill(text(lang, "axis.morris"), {outcome_unit(out.key, lang)}), lang);
    c.series = {text(lang, "series.mu_star"), text(lang, "series.sigma")};
    for (const auto& e : out.factors) c.rows.push_back({e.factor, {{e.mu_star, NaN, NaN}, {e.sigma, NaN, NaN}}});
  } else {
    c.x = plain_axis(text(lang, "axis.correlation"), lang, 3);
    c.x.min = -1;
    c.x.max = 1;
    c.series = {text(lang, "series.correlation")};
    c.reference = 0;
    c.reference_label = text(lang, "ref.zero");
    for (const auto& e : out.factors) c.rows.push_back({e.factor, {{e.correlation, NaN, NaN}}});
  }
  return c;
}

}  // namespace

std::vector<Section> sweep_sections(const ResultFile& f, Lang lang) {
  if (f.root().open_group("design").attr_string("kind") == "oat") return oat_sections(f, lang);
  const SweepSummary s = sweep_summary(f.path());
  const auto d = f.root().open_group("design");
  const auto low = d.open("low").read_f64(), high = d.open("high").read_f64();
  const auto scale = d.open("scale").read_strings();
  const auto values = d.open("value").read_f64();
  const std::size_t K = s.factors.size();
  std::vector<Section> out;

  // The design and its factors.
  {
    std::string b = paragraph(fill(text(lang, "sweep.lead"),
                                   {text_or(lang, "sweep.design." + s.design, s.design), std::to_string(s.points),
                                    std::to_string(s.replicates), std::to_string(s.months), std::to_string(s.seed)}));
    // The sweep file's own description, when it has one, says what the sweep is for (in the
    // report's language where the file gives both).
    const sim::Wording about = sim::scenario_wording(f.attr("experiment_toml")).about;
    if (!about.empty()) b += paragraph(about.in(code(lang)));
    b += "<h3>" + esc(text(lang, "sweep.factor")) + "</h3><table class=\"factors\"><thead><tr>";
    for (const char* h : {"sweep.factor", "sweep.low", "sweep.high", "sweep.scale", "sweep.run_range"})
      b += "<th scope=\"col\">" + esc(text(lang, h)) + "</th>";
    b += "</tr></thead><tbody>";
    // Four significant digits, no trailing zeros: ranges read as they were written.
    auto num = [&](double v) {
      if (!std::isfinite(v) || v == std::round(v)) return number(v, 0, lang);
      const int digits = std::clamp(3 - static_cast<int>(std::floor(std::log10(std::fabs(v)))), 0, 6);
      std::string n = number(v, digits, lang);
      while (digits > 0 && n.back() == '0') n.pop_back();
      if (n.back() == number_style(lang).decimal.back()) n.pop_back();
      return n;
    };
    for (std::size_t j = 0; j < K; ++j) {
      double lo = NaN, hi = NaN;
      for (std::size_t p = 0; p * K + j < values.size(); ++p) {
        const double v = values[p * K + j];
        if (!std::isfinite(v)) continue;
        lo = std::isfinite(lo) ? std::min(lo, v) : v;
        hi = std::isfinite(hi) ? std::max(hi, v) : v;
      }
      b += "<tr><td><code>" + esc(s.factors[j]) + "</code></td><td>" + esc(j < low.size() ? num(low[j]) : "") +
           "</td><td>" + esc(j < high.size() ? num(high[j]) : "") + "</td><td>" +
           esc(j < scale.size() ? scale[j] : "") + "</td><td>" + esc(num(lo) + " – " + num(hi)) + "</td></tr>";
    }
    b += "</tbody></table>";
    b += "<h3>" + esc(text(lang, "sweep.settings")) + "</h3><table class=\"provenance\"><tbody>";
    for (const auto& name : d.attr_names()) {
      if (name == "description" || name == "kind" || name == "CLASS" || name == "NAME") continue;
      b += "<tr><th scope=\"row\"><code>" + esc(name) + "</code></th><td>" + std::to_string(d.attr_int(name)) +
           "</td></tr>";
    }
    b += "</tbody></table>";
    if (!s.failures.empty()) {
      std::string list = "<ul>";
      for (const auto& m : s.failures) list += "<li><code>" + esc(m) + "</code></li>";
      b += details(text(lang, "sweep.failures"), list + "</ul>");
    }
    b += details(fill(text(lang, "sweep.base"), {f.attr("scenario")}), pre(f.attr("scenario_toml")));
    out.push_back({"design", text(lang, "sec.design"), b});
  }

  // Sensitivity of each key outcome.
  {
    const char* lead = s.design == "saltelli" ? "sweep.lead.saltelli"
                       : s.design == "morris" ? "sweep.lead.morris"
                                              : "sweep.lead.rank";
    std::string b = paragraph(text(lang, lead)) + "<div class=\"grid2\">";
    for (const auto& o : s.outcomes) b += figure(sensitivity_chart(s, o, lang), lang);
    out.push_back({"sensitivity", text(lang, "sec.sensitivity"), b + "</div>"});
  }
  return out;
}

}  // namespace analysis::report
