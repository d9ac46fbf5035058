#include "analysis/report_page.h"

#include <cmath>

namespace analysis::report {

namespace {

svg::TableWords table_words(Lang lang) {
  return {text(lang, "doc.series"), text(lang, "doc.lower"), text(lang, "doc.upper"), number_style(lang)};
}

template <class Chart>
std::string figure_of(const Chart& chart, Lang lang, const std::string& css_class, const svg::TableWords& words) {
  return "<figure class=\"" + std::string(css_class.empty() ? "chart" : "chart " + css_class) + "\" id=\"fig-" +
         svg::escape(chart.id) + "\">" + svg::render(chart) +
         details(text(lang, "doc.numbers"), "<div class=\"scroll\">" + svg::data_table(chart, words) + "</div>",
                 "numbers") +
         "</figure>";
}

template <class Chart>
std::string figure_of(const Chart& chart, Lang lang, const std::string& css_class) {
  return figure_of(chart, lang, css_class, table_words(lang));
}

}  // namespace

std::string figure(const svg::LineChart& chart, Lang lang, const std::string& css_class) {
  return figure_of(chart, lang, css_class);
}

std::string figure(const svg::DotChart& chart, Lang lang, const std::string& css_class) {
  return figure_of(chart, lang, css_class);
}

std::string figure(const svg::DotChart& chart, Lang lang, const std::string& css_class, const std::string& lower,
                   const std::string& upper) {
  svg::TableWords words = table_words(lang);
  words.lower = lower;
  words.upper = upper;
  return figure_of(chart, lang, css_class, words);
}

std::string figure(const svg::ScatterChart& chart, Lang lang, const std::string& css_class) {
  return figure_of(chart, lang, css_class);
}

svg::Axis percent_axis(const std::string& label, Lang lang) {
  svg::Axis a;
  a.label = label;
  a.tick = [lang](double v, double step) { return number(100 * v, svg::decimals_for(100 * step), lang) + "%"; };
  a.value = [lang](double v) { return percent(v, 2, lang); };
  return a;
}

svg::Axis points_axis(const std::string& label, Lang lang) {
  svg::Axis a;
  a.label = label;
  a.tick = [lang](double v, double step) { return number(100 * v, svg::decimals_for(100 * step), lang); };
  a.value = [lang](double v) { return number(100 * v, 3, lang); };
  return a;
}

svg::Axis rupiah_axis(const std::string& label, Lang lang) {
  svg::Axis a;
  a.label = label;
  a.tick = [lang](double v, double step) { return rupiah_short(v, step, lang); };
  a.value = [lang](double v) { return number(v, std::fabs(v) >= 100 ? 0 : 3, lang); };
  return a;
}

svg::Axis plain_axis(const std::string& label, Lang lang, int decimals) {
  svg::Axis a;
  a.label = label;
  a.tick = [lang](double v, double step) { return number(v, svg::decimals_for(step), lang); };
  a.value = [lang, decimals](double v) { return number(v, decimals, lang); };
  return a;
}

svg::Axis month_axis(const std::string& label, Lang lang, double months) {
  svg::Axis a = plain_axis(label, lang, 0);
  a.min = 0;
  a.max = months;
  // Years are what planners count in; long runs get fewer ticks.
  a.step = months <= 120 ? 12 : 12 * std::ceil(months / 120);
  return a;
}

std::string interval(const std::string& lo, const std::string& hi, Lang lang) {
  return "[" + lo + (lang == Lang::id ? "; " : ", ") + hi + "]";
}

std::string interval_method(std::size_t used, int resamples, std::size_t batch, Lang lang) {
  auto p = [](const std::string& s) { return "<p>" + svg::escape(s) + "</p>"; };
  if (used < 2) return p(text(lang, "doc.interval.one"));
  const std::string units =
      batch > 1 ? fill(text(lang, "doc.interval.batch"), {std::to_string(batch)}) : text(lang, "doc.interval.whole");
  std::string out = p(fill(text(lang, "doc.interval"),
                           {std::to_string(used), std::to_string(resamples), number(MIN_FOLLOWED, 0, lang), units}));
  if (batch > 1) out += p(text(lang, "doc.interval.batched"));
  return out;
}

std::string with_sign(double v, const std::string& formatted) {
  return std::isfinite(v) && v > 0 && !formatted.empty() && formatted[0] != '-' ? "+" + formatted : formatted;
}

std::string slug(const std::string& name) {
  std::string o;
  for (unsigned char c : name) {
    if (std::isalnum(c))
      o += static_cast<char>(std::tolower(c));
    else if (!o.empty() && o.back() != '-')
      o += '-';
  }
  while (!o.empty() && o.back() == '-') o.pop_back();
  return o.empty() ? "x" : o;
}

std::string details(const std::string& summary, const std::string& body, const std::string& css_class) {
  return "<details" + (css_class.empty() ? std::string() : " class=\"" + css_class + "\"") + "><summary>" +
         svg::escape(summary) + "</summary>" + body + "</details>";
}

std::string pre(const std::string& text) { return "<pre>" + svg::escape(text) + "</pre>"; }

Section provenance(const ResultFile& f, Lang lang) {
  const auto& root = f.root();
  auto row = [&](const char* key, const std::string& value, bool code = false) {
    return "<tr><th scope=\"row\">" + svg::escape(text(lang, key)) + "</th><td>" +
           (code ? "<code>" + svg::escape(value) + "</code>" : svg::escape(value)) + "</td></tr>";
  };
  long long failed = 0;
  for (int x : f.failed()) failed += x;
  std::string b = "<p>" + svg::escape(text(lang, "lead.provenance")) + "</p><table class=\"provenance\"><tbody>";
  b += row("prov.file", f.path().filename().string(), true);
  b += row("prov.format", f.attr("format") + " " + f.attr("format_version"));
  b += row("prov.kind", text_or(lang, "kind." + f.kind(), f.kind()));
  b += row("prov.experiment", f.attr("experiment"));
  b += row("prov.engine", f.attr("engine_version"));
  b += row("prov.commit", f.attr("git_commit"), true);
  b += row("prov.created", f.attr("created"));
  b += row("prov.command", f.attr("command_line"), true);
  b += row("prov.seed", root.has_attr("seed") ? std::to_string(root.attr_int("seed")) : "");
  b += row("prov.replicates", std::to_string(f.replicates()));
  b += row("prov.months", std::to_string(f.months()));
  b += row("prov.cases", std::to_string(f.cases().size()));
  b += row("prov.failed", std::to_string(failed));
  b += row("prov.hdf5", f.attr("hdf5_version"));
  b += "</tbody></table>";
  if (!f.attr("experiment_toml").empty()) b += details(text(lang, "params.experiment"), pre(f.attr("experiment_toml")));
  return {"provenance", text(lang, "sec.provenance"), b};
}

}  // namespace analysis::report
