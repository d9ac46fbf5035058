// The lead section of a comparison over a posterior (berdaya compare --posterior): for
// each headline metric, the scenario most often best and, per scenario, the effect
// against the baseline over the plausible worlds with its Monte Carlo part apart, the
// chance of beating the baseline and of each rank. Every number is analysis/posterior's
// (posterior_summary), as `berdaya summary --json` prints it.
#include <cmath>
#include <cstdio>

#include "analysis/posterior.h"
#include "analysis/report_page.h"

namespace analysis::report {

namespace {

std::string esc(const std::string& s) { return svg::escape(s); }

// A value of the metric in the report's words; `difference`: a change, so shares are points.
std::string shown(const PosteriorMetric& m, double v, bool difference, Lang lang, bool unit = true) {
  if (!std::isfinite(v)) return text(lang, "post.na");
  std::string s;
  if (m.unit == "%" && !difference) return percent(v, 1, lang);
  if (m.unit == "%" || m.unit == "pp")
    s = number(100 * v, 1, lang) + (unit ? " " + text(lang, "unit.pp") : "");
  else if (m.unit == "Rp")
    s = (unit ? "Rp " : "") + rupiah_short(v, std::numeric_limits<double>::quiet_NaN(), lang);
  else if (m.unit == "Rp/Rp")
    s = number(v, 2, lang);
  else
    s = number(v, 1, lang) + (m.unit.empty() || !unit ? "" : " " + text_or(lang, "unit." + m.unit, m.unit));
  return difference ? with_sign(v, s) : s;
}

std::string exact(double v) {
  if (!std::isfinite(v)) return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The measures the section shows, each with its table and chart: the groups that last, the
// lasting income and poverty, and what a rupiah buys. Every other measure's numbers are in
// `berdaya summary`.
bool shown_here(const std::string& key) {
  for (const char* k : {"active_36", "income_effect", "poverty_change_members", "poverty_change",
                        "active_36_per_billion", "income_per_rupiah", "lifted_per_billion"})
    if (key == k) return true;
  return false;
}

}  // namespace

Section posterior_section(const PosteriorSummary& s, Lang lang,
                          const std::function<std::string(const std::string&)>& name_of) {
  PosteriorAnalysis a = s.analysis;
  // The scenarios as the reader sees them.
  if (name_of)
    for (auto& n : a.scenarios) n = name_of(n);
  const std::size_t S = a.scenarios.size();
  const std::string& base = a.scenarios[a.baseline];
  std::string params;
  for (std::size_t k = 0; k < s.parameters.size(); ++k) params += (k ? ", " : "") + s.parameters[k];
  std::string b = "<p class=\"lead\">" +
                  esc(fill(text(lang, "post.lead"), {std::to_string(a.draws), s.calibration_file,
                                                     std::to_string(s.generation), std::to_string(s.replicates)})) +
                  "</p><p>" + esc(fill(text(lang, "post.calibrated"), {params})) + "</p>";
  std::string findings = "<ul class=\"findings\" id=\"posterior-findings\">", tables;
  for (std::size_t m = 0; m < a.metrics.size(); ++m) {
    const PosteriorMetric& pm = a.metrics[m];
    // KUBE's measures: the section's selection; any other model's: all.
    if (s.model.empty() || s.model == "kube") {
      if (!shown_here(pm.key)) continue;
    }
    const std::string label = text_or(lang, "metric." + pm.key, pm.label);
    tables += "<h3 id=\"posterior-" + slug(pm.key) + "\">" + esc(label) + " <span class=\"tag\">" +
              esc(text(lang, "post.better." + better_name(pm.better))) + "</span></h3>";
    // The lead: who is best, and how sure (as the text summary picks it).
    std::size_t best = a.baseline;
    for (std::size_t i = 0; i < S; ++i)
      if (a.cells[i][m].draws > 0 && a.cells[i][m].rank.front() > a.cells[best][m].rank.front()) best = i;
    if (a.cells[best][m].draws == 0) {
      tables += "<p>" + esc(text(lang, "post.none")) + "</p>";
      continue;
    }
    const PosteriorCell& bc = a.cells[best][m];
    std::string sentence = fill(text(lang, "post.best"), {percent(bc.rank.front(), 0, lang), a.scenarios[best]});
    if (best != a.baseline)
      sentence += " " + fill(text(lang, "post.best.beats"),
                             {percent(bc.p_better, 0, lang), shown(pm, bc.effect, true, lang), base});
    tables += "<p class=\"lead\">" + esc(sentence) + "</p>";
    findings += "<li><strong>" + esc(label) + ":</strong> " + esc(sentence) + "</li>";
    std::string t = "<div class=\"scroll\"><table class=\"headline posterior\" data-metric=\"" + esc(pm.key) +
                    "\"><thead><tr><th scope=\"col\">" + esc(text(lang, "post.col.scenario")) + "</th>";
    for (const char* k : {"post.col.value", "post.col.effect", "post.col.mc", "post.col.p_better"})
      t += "<th scope=\"col\">" + esc(text(lang, k)) + "</th>";
    // Ranks among the scenarios taking part (a counterfactual without estimates takes none).
    std::size_t ranks_shown = 0;
    for (std::size_t i = 0; i < S; ++i)
      if (a.cells[i][m].draws > 0) ++ranks_shown;
    for (std::size_t r = 0; r < ranks_shown; ++r)
      t += "<th scope=\"col\">" + esc(fill(text(lang, "post.col.rank"), {std::to_string(r + 1)})) + "</th>";
    t += "</tr></thead><tbody>";
    for (std::size_t i = 0; i < S; ++i) {
      const PosteriorCell& c = a.cells[i][m];
      std::string ranks;
      for (std::size_t r = 0; r < c.rank.size(); ++r) ranks += (r ? " " : "") + exact(c.rank[r]);
      t += "<tr data-scenario=\"" + esc(s.analysis.scenarios[i]) + "\" data-p-better=\"" + exact(c.p_better) +
           "\" data-rank=\"" + ranks + "\"><th scope=\"row\">" + esc(a.scenarios[i]) +
           (i == a.baseline ? " <span class=\"desc\">" + esc(text(lang, "post.baseline")) + "</span>" : "") + "</th>";
      if (c.draws == 0) {
        t += "<td style=\"text-align: left\" colspan=\"" + std::to_string(4 + ranks_shown) + "\">" +
             esc(text(lang, "post.no_part")) + "</td></tr>";
        continue;
      }
      t += "<td><span class=\"v\">" + esc(shown(pm, c.value, false, lang)) + "</span> <span class=\"ci\">" +
           esc(interval(shown(pm, c.value_lo, false, lang), shown(pm, c.value_hi, false, lang), lang)) + "</span></td>";
      if (i == a.baseline) {
        t += "<td></td><td></td><td></td>";
      } else {
        std::string mc = shown(pm, POSTERIOR_Z * c.mc_se, true, lang);
        if (!mc.empty() && mc.front() == '+') mc.erase(0, 1);
        t += "<td><span class=\"v\">" + esc(shown(pm, c.effect, true, lang)) + "</span> <span class=\"ci\">" +
             esc(interval(shown(pm, c.effect_lo, true, lang, false), shown(pm, c.effect_hi, true, lang, false), lang)) +
             "</span></td><td class=\"ci\">± " + esc(mc) + "</td><td class=\"v\">" + esc(percent(c.p_better, 0, lang)) +
             "</td>";
      }
      for (std::size_t r = 0; r < ranks_shown; ++r)
        t += "<td>" + esc(r < c.rank.size() && std::isfinite(c.rank[r]) ? percent(c.rank[r], 0, lang) : "") + "</td>";
      t += "</tr>";
    }
    tables += t + "</tbody></table></div>";
    // The effects as a forest plot: the whiskers are the 90 % over plausible worlds.
    svg::DotChart c;
    c.id = "posterior-effect-" + slug(pm.key);
    c.title = fill(text(lang, "post.chart.effect"), {label, base});
    c.x = pm.unit == "%" || pm.unit == "pp" ? points_axis(text(lang, "unit.pp"), lang)
          : pm.unit == "Rp"                 ? rupiah_axis("Rp", lang)
                                            : plain_axis(text_or(lang, "unit." + pm.unit, pm.unit), lang, 2);
    c.series = {text(lang, "post.chart.median")};
    for (std::size_t i = 0; i < S; ++i)
      if (i != a.baseline && a.cells[i][m].draws > 0)
        c.rows.push_back({a.scenarios[i], {{a.cells[i][m].effect, a.cells[i][m].effect_lo, a.cells[i][m].effect_hi}}});
    c.reference = 0;
    c.reference_label = fill(text(lang, "post.chart.reference"), {base});
    c.interval_label = text(lang, "post.chart.interval");
    c.missing = text(lang, "post.na");
    if (!c.rows.empty()) tables += figure(c, lang, "posterior-effect");
  }
  b += findings + "</ul>" + tables + "<p class=\"sub\">" + esc(text(lang, "post.ranks")) + " " +
       esc(text(lang, "post.others")) + " <code>berdaya summary</code>.</p>";
  return {"posterior", text(lang, "post.sec"), b};
}

}  // namespace analysis::report
