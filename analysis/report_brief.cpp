// The report's first page, for the head of the office: the options ranked by what a
// rupiah buys, their costs, how sure the answer is, and what the two kinds of income mean,
// in sentences first and one table and one chart after (analysis/brief.h makes the numbers).
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/report_page.h"

namespace analysis::report {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

std::string esc(const std::string& s) { return svg::escape(s); }

std::string num(double v, int decimals, Lang lang, double scale = 1) {
  return std::isfinite(v) ? number(scale * v, decimals, lang) : text(lang, "doc.na");
}

// The figure and, in small type under it, its range.
std::string cell(const BriefFigure& f, int decimals, Lang lang, double scale = 1) {
  std::string o = "<td><div class=\"v\">" + esc(num(f.value, decimals, lang, scale)) + "</div>";
  if (std::isfinite(f.lo) && std::isfinite(f.hi))
    o += "<div class=\"ci\">" +
         esc(interval(num(f.lo, decimals, lang, scale), num(f.hi, decimals, lang, scale), lang)) + "</div>";
  return o + "</td>";
}

}  // namespace

Section brief_section(const Brief& b, Lang lang, const std::function<std::string(const std::string&)>& name_of) {
  auto quoted = [&](const std::string& scenario) { return name_of(scenario); };
  std::string o;
  if (b.options.empty())
    return {"brief", text(lang, "brief.sec"), "<p class=\"lead\">" + esc(text(lang, "brief.none")) + "</p>"};
  const std::string runs = number(static_cast<double>(b.runs_per_option), 0, lang);
  o += "<p class=\"lead\">" +
       esc(b.posterior ? fill(text(lang, "brief.lead.post"), {number(static_cast<double>(b.draws), 0, lang), runs})
                       : fill(text(lang, "brief.lead.mc"), {runs})) +
       "</p>";
  // The answers in sentences.
  const BriefOption* base = b.find(b.baseline);
  std::vector<std::string> sentences;
  const char* buy_keys[] = {"brief.best.groups", "brief.best.income", "brief.best.lifted"};
  const int decimals[] = {1, 0, 2};
  const double scales[] = {1, 1000, 1};
  const bool one = b.options.size() == 1;
  const char* one_keys[] = {"brief.one.groups", "brief.one.income", "brief.one.lifted"};
  for (std::size_t k = 0; k < BRIEF_BUYS.size(); ++k) {
    const BriefOption* best = b.best(k);
    if (!best) {
      if (k == 0) sentences.push_back(text(lang, "brief.best.groups.none"));
      continue;
    }
    const std::string v = num(best->buys[k].value, decimals[k], lang, scales[k]);
    // One option is not ranked against anything: what it buys, no more.
    if (one) {
      sentences.push_back(fill(text(lang, one_keys[k]), {quoted(best->scenario), v}));
      continue;
    }
    std::string sentence;
    if (base == best)
      sentence = fill(text(lang, std::string(buy_keys[k]) + ".base"), {quoted(best->scenario), v});
    else if (!base || !std::isfinite(base->buys[k].value))
      sentence = fill(text(lang, std::string(buy_keys[k]) + ".alone"), {quoted(best->scenario), v});
    else
      sentence =
          fill(text(lang, buy_keys[k]),
               {quoted(best->scenario), v, num(base->buys[k].value, decimals[k], lang, scales[k]), quoted(b.baseline)});
    // How sure of the winner: over a posterior, how often it is the best; otherwise, a
    // runner-up whose range overlaps it is named.
    if (b.posterior && std::isfinite(best->buys[k].p_best)) {
      sentence += " " + fill(text(lang, "brief.chance"), {percent(best->buys[k].p_best, 0, lang)});
    } else if (!b.posterior) {
      const BriefOption* second = nullptr;
      for (const auto& op : b.options)
        if (&op != best && std::isfinite(op.buys[k].value) && (!second || op.buys[k].value > second->buys[k].value))
          second = &op;
      if (second && std::isfinite(second->buys[k].hi) && std::isfinite(best->buys[k].lo) &&
          second->buys[k].hi >= best->buys[k].lo)
        sentence += " " + fill(text(lang, "brief.close"), {quoted(second->scenario)});
    }
    sentences.push_back(sentence);
  }
  // Costs: the cheapest and the dearest option.
  const auto [cheap, dear] = std::minmax_element(b.options.begin(), b.options.end(), [](const auto& x, const auto& y) {
    return x.cost_total.value < y.cost_total.value;
  });
  const std::string years = number(b.years, b.years == std::floor(b.years) ? 0 : 1, lang);
  if (b.options.size() == 1)
    sentences.push_back(fill(text(lang, "brief.cost.one"), {rupiah_words(cheap->cost_total.value, lang), years,
                                                            rupiah_words(cheap->cost_per_year, lang)}));
  else
    sentences.push_back(fill(text(lang, "brief.cost"),
                             {rupiah_words(cheap->cost_total.value, lang), quoted(cheap->scenario),
                              rupiah_words(dear->cost_total.value, lang), quoted(dear->scenario), years,
                              rupiah_words(cheap->cost_per_year, lang), rupiah_words(dear->cost_per_year, lang)}));
  const std::size_t by = b.ranked_by;
  const BriefOption* top = b.best(by);
  if (!b.posterior)
    sentences.push_back(text(lang, one ? "brief.sure.mc.one" : "brief.sure.mc"));
  else if (!one && top && top == base)
    sentences.push_back(fill(text(lang, "brief.sure.post.base"),
                             {number(static_cast<double>(b.draws), 0, lang), percent(top->buys[by].p_best, 0, lang)}));
  else if (!one && top && !base)  // a baseline that costs nothing is not an option to beat per rupiah
    sentences.push_back(
        fill(text(lang, "brief.sure.post.free"), {number(static_cast<double>(b.draws), 0, lang), quoted(top->scenario),
                                                  percent(top->buys[by].p_best, 0, lang)}));
  else if (!one && top)
    sentences.push_back(fill(text(lang, by == 0 ? "brief.sure.post" : "brief.sure.post.other"),
                             {number(static_cast<double>(b.draws), 0, lang), quoted(top->scenario), quoted(b.baseline),
                              percent(top->buys[by].p_better, 0, lang), percent(top->buys[by].p_best, 0, lang)}));
  const BriefOption& about = base ? *base : top ? *top : b.options.front();
  sentences.push_back(fill(
      text(lang, "brief.meaning"),
      {quoted(about.scenario), rupiah_words(about.income_gain.value, lang), rupiah_words(about.transfer.value, lang)}));
  o += "<ul class=\"brief\" id=\"brief-findings\">";
  for (const auto& s : sentences) o += "<li>" + esc(s) + "</li>";
  o += "</ul>";

  // The table, ranked.
  o += "<p>" +
       esc(text(lang, by == 0   ? "brief.ranked"
                      : by == 1 ? "brief.ranked.income"
                                : "brief.ranked.lifted")) +
       "</p><div class=\"scroll\"><table class=\"headline brief\" id=\"brief-table\"><thead><tr>";
  std::vector<std::string> heads = {
      text(lang, "brief.col.rank"),  text(lang, "brief.col.option"), fill(text(lang, "brief.col.cost"), {years}),
      text(lang, "brief.col.year"),  text(lang, "brief.col.groups"), text(lang, "brief.col.income"),
      text(lang, "brief.col.lifted")};
  if (b.posterior)
    heads.push_back(fill(text(lang, by == 0 ? "brief.col.sure" : "brief.col.sure.other"), {quoted(b.baseline)}));
  for (const auto& h : heads) o += "<th scope=\"col\">" + esc(h) + "</th>";
  o += "</tr></thead><tbody>";
  for (const auto& op : b.options) {
    o += "<tr data-scenario=\"" + esc(op.scenario) + "\" data-rank=\"" + std::to_string(op.buys[by].rank) +
         "\" data-cost-total=\"" + (std::isfinite(op.cost_total.value) ? std::to_string(op.cost_total.value) : "nan") +
         "\"><td class=\"v\">" + (op.buys[by].rank ? std::to_string(op.buys[by].rank) : "") +
         "</td><th scope=\"row\">" + esc(quoted(op.scenario));
    if (&op == base) o += " <span class=\"tag\">" + esc(text(lang, "brief.current")) + "</span>";
    o += "</th><td><div class=\"v\">" + esc(rupiah_short(op.cost_total.value, NaN, lang)) + "</div></td><td>" +
         esc(rupiah_short(op.cost_per_year, NaN, lang)) + "</td>";
    o += cell(op.buys[0], 1, lang) + cell(op.buys[1], 0, lang, 1000) + cell(op.buys[2], 2, lang);
    if (b.posterior) o += "<td class=\"v\">" + esc(&op == base ? "" : percent(op.buys[by].p_better, 0, lang)) + "</td>";
    o += "</tr>";
  }
  o += "</tbody></table></div>";
  if (!b.not_ranked.empty()) {
    std::string names;
    for (std::size_t i = 0; i < b.not_ranked.size(); ++i) names += (i ? ", " : "") + quoted(b.not_ranked[i]);
    o += "<p class=\"sub\">" + esc(fill(text(lang, "brief.not_ranked"), {names})) + "</p>";
  }

  // One chart: what a rupiah buys in groups that last, with its range (where estimable).
  if (by != 0)
    return {"brief", text(lang, "brief.sec"), o + "<p class=\"sub\">" + esc(text(lang, "brief.rest")) + "</p>"};
  svg::DotChart c;
  c.id = "brief-groups";
  c.title = text(lang, "brief.chart");
  c.x = plain_axis(text(lang, "brief.axis"), lang, 1);
  c.x.include_zero = true;
  c.series = {text(lang, b.posterior ? "post.chart.median" : "series.estimate")};
  c.interval_label = text(lang, b.posterior ? "brief.interval.post" : "brief.interval.mc");
  c.missing = text(lang, "doc.na");
  c.empty_note = text(lang, "empty.no_values");
  c.width = 760;
  c.bars = true;
  for (const auto& op : b.options)
    c.rows.push_back({quoted(op.scenario), {{op.buys[0].value, op.buys[0].lo, op.buys[0].hi}}});
  o += b.posterior ? figure(c, lang, "brief-chart", text(lang, "brief.lower.post"), text(lang, "brief.upper.post"))
                   : figure(c, lang, "brief-chart");
  o += "<p class=\"sub\">" + esc(text(lang, "brief.rest")) + "</p>";
  return {"brief", text(lang, "brief.sec"), o};
}

}  // namespace analysis::report
