// The report of a one-at-a-time screen (berdaya sensitivity): what was moved and how, the
// reference point, and the changes of survival and lasting income, largest first, with
// their simulation-precision intervals.
#include <algorithm>
#include <cmath>

#include "analysis/oat.h"
#include "analysis/report_page.h"

namespace analysis::report {

namespace {

constexpr std::size_t CHART_ROWS = 25;

std::string esc(const std::string& s) { return svg::escape(s); }
std::string paragraph(const std::string& s) { return "<p>" + esc(s) + "</p>"; }

std::string row_label(const OatRow& r) { return r.parameter + " " + r.change + " (" + r.value + ")"; }

svg::DotChart change_chart(const OatSummary& s, bool survival, Lang lang) {
  std::vector<const OatRow*> rows;
  for (const auto& r : s.rows) rows.push_back(&r);
  auto size = [&](const OatRow* r) {
    const Estimate& e = survival ? r->active_36 : r->income_gain;
    return e.estimable && std::isfinite(e.mean) ? std::fabs(e.mean) : -1.0;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const OatRow* a, const OatRow* b) { return size(a) > size(b); });
  if (rows.size() > CHART_ROWS) rows.resize(CHART_ROWS);
  svg::DotChart c;
  c.id = survival ? "oat-active-36" : "oat-income";
  c.title = fill(text(lang, survival ? "oat.chart.active" : "oat.chart.income"), {std::to_string(rows.size())});
  c.x = survival ? points_axis(text(lang, "oat.axis.active"), lang) : rupiah_axis(text(lang, "oat.axis.income"), lang);
  c.series = {text(lang, "oat.series")};
  c.interval_label = text(lang, "oat.mc");
  c.reference = 0;
  c.reference_label = text(lang, "oat.reference_line");
  c.missing = text(lang, "doc.na");
  c.empty_note = text(lang, "sweep.undefined");
  c.width = 720;
  for (const auto* r : rows) {
    const Estimate& v = survival ? r->active_36 : r->income_gain;
    c.rows.push_back({row_label(*r), {{v.mean, v.lo, v.hi}}});
  }
  return c;
}

std::string cell(const Estimate& e, bool survival, Lang lang) {
  if (!e.estimable)
    return fill(text(lang, "doc.not_estimable"), {number(std::isfinite(e.at_risk) ? e.at_risk : 0, 0, lang)});
  if (!std::isfinite(e.mean)) return text(lang, "doc.na");
  auto f = [&](double v) { return with_sign(v, survival ? number(100 * v, 1, lang) : number(v, 0, lang)); };
  if (std::isnan(e.lo) || std::isnan(e.hi)) return f(e.mean);
  return f(e.mean) + " " + interval(f(e.lo), f(e.hi), lang);
}

}  // namespace

std::vector<Section> oat_sections(const ResultFile& f, Lang lang) {
  const OatSummary s = oat_summary(f.path());
  std::vector<Section> out;
  {
    std::string b = paragraph(
        fill(text(lang, "oat.lead"),
             {f.attr("scenario"), std::to_string(s.points), std::to_string(s.rows.size()), std::to_string(s.parameters),
              number(100 * s.fraction, 100 * s.fraction == std::round(100 * s.fraction) ? 0 : 2, lang),
              std::to_string(s.replicates), std::to_string(s.months), std::to_string(s.seed)}));
    b += paragraph(fill(
        text(lang, "oat.reference"),
        {percent(s.reference_active_36.mean, 1, lang),
         interval(percent(s.reference_active_36.lo, 1, lang), percent(s.reference_active_36.hi, 1, lang), lang),
         number(s.reference_income_gain.mean, 0, lang),
         interval(number(s.reference_income_gain.lo, 0, lang), number(s.reference_income_gain.hi, 0, lang), lang)}));
    if (!s.skipped.empty()) {
      std::string list = "<ul>";
      for (const auto& m : s.skipped) list += "<li><code>" + esc(m) + "</code></li>";
      b += details(fill(text(lang, "oat.skipped"), {std::to_string(s.skipped.size())}), list + "</ul>");
    }
    b += details(fill(text(lang, "oat.base"), {f.attr("scenario")}), pre(f.attr("scenario_toml")));
    out.push_back({"design", text(lang, "sec.design"), b});
  }
  {
    std::string b = paragraph(text(lang, "oat.lead.changes"));
    b += interval_method(s.replicates_used, s.resamples, s.bootstrap_batch, lang);
    b += "<div class=\"grid2\">" + figure(change_chart(s, true, lang), lang) +
         figure(change_chart(s, false, lang), lang) + "</div>";
    std::string t = "<div class=\"scroll\"><table class=\"data\"><thead><tr>";
    for (const char* h : {"oat.col.parameter", "oat.col.change", "oat.col.value", "oat.col.reference", "oat.col.active",
                          "oat.col.income"})
      t += "<th scope=\"col\">" + esc(text(lang, h)) + "</th>";
    t += "</tr></thead><tbody>";
    for (const auto& r : s.rows)
      t += "<tr><th scope=\"row\"><code>" + esc(r.parameter) + "</code></th><td>" + esc(r.change) + "</td><td>" +
           esc(r.value) + "</td><td>" + esc(r.reference) + "</td><td>" + esc(cell(r.active_36, true, lang)) +
           "</td><td>" + esc(cell(r.income_gain, false, lang)) + "</td></tr>";
    t += "</tbody></table></div>";
    b += details(fill(text(lang, "oat.table"), {std::to_string(s.rows.size())}), t);
    out.push_back({"sensitivity", text(lang, "sec.sensitivity"), b});
  }
  return out;
}

}  // namespace analysis::report
