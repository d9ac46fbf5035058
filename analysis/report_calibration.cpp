// The report of a calibration file (berdaya calibrate): what was calibrated and how the
// method went, each free parameter's posterior density over its prior, pairwise plots of
// the most correlated parameters, and the posterior predictive check of every target.
// Densities are weighted kernel densities of the last generation's particles; every
// quantile and predictive interval is the one the calibration wrote to /posterior.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/calibration.h"
#include "analysis/calibration_result.h"
#include "analysis/report.h"
#include "analysis/report_page.h"
#include "sim/error.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t GRID = 100;  // density points over the prior's support (and as many over the particles)
constexpr std::size_t PAIRS = 4;   // pairwise plots at most

using report::Section;

std::string esc(const std::string& s) { return svg::escape(s); }

// Decimals that tell values `span` apart in three significant digits.
int decimals_for_span(double span) {
  if (!std::isfinite(span) || span <= 0) return 3;
  return std::clamp(2 - static_cast<int>(std::floor(std::log10(span))), 0, 6);
}

struct Moments {
  double mean = NaN, sd = NaN;
};

Moments weighted_moments(const std::vector<double>& x, const std::vector<double>& w) {
  double sw = 0, m = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sw += w[i], m += w[i] * x[i];
  if (!(sw > 0)) return {};
  m /= sw;
  double v = 0;
  for (std::size_t i = 0; i < x.size(); ++i) v += w[i] * (x[i] - m) * (x[i] - m);
  return {m, std::sqrt(v / sw)};
}

// Weighted Pearson correlation; NaN when either has no spread.
double weighted_correlation(const std::vector<double>& a, const std::vector<double>& b, const std::vector<double>& w) {
  const Moments ma = weighted_moments(a, w), mb = weighted_moments(b, w);
  if (!(ma.sd > 0) || !(mb.sd > 0)) return NaN;
  double sw = 0, c = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sw += w[i], c += w[i] * (a[i] - ma.mean) * (b[i] - mb.mean);
  return c / sw / (ma.sd * mb.sd);
}

// The area under (x, y) by the trapezoid rule (x ascending).
double area(const std::vector<double>& x, const std::vector<double>& y) {
  double a = 0;
  for (std::size_t i = 1; i < x.size(); ++i) a += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
  return a;
}

void normalise(const std::vector<double>& x, std::vector<double>& y) {
  const double a = area(x, y);
  if (a > 0 && std::isfinite(a))
    for (double& v : y) v /= a;
}

struct Density {
  std::vector<double> x, posterior, prior;  // x in the parameter's units, ascending
};

// The prior's density and a weighted Gaussian kernel density of the particles, both taken
// in the sampler's coordinates (log for a log-uniform prior) with the kernel reflected at
// the support's ends, then carried to the parameter's units and scaled to area 1 there.
// Bandwidth: Silverman's rule with the effective sample size for n.
Density density(const sim::FreeParameter& p, const std::vector<double>& values, const std::vector<double>& w,
                double ess) {
  std::vector<double> c(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) c[i] = to_coordinate(p, values[i]);
  double lo = coordinate_low(p), hi = coordinate_high(p);
  if (!std::isfinite(lo)) lo = to_coordinate(p, prior_quantile(p, 0.0005));
  if (!std::isfinite(hi)) hi = to_coordinate(p, prior_quantile(p, 0.9995));
  const Moments m = weighted_moments(c, w);
  double h = 1.06 * m.sd * std::pow(std::max(ess, 1.0), -0.2);
  if (!(h > 0) || !std::isfinite(h)) h = hi > lo ? (hi - lo) / 200 : 1e-9 * std::max(1.0, std::fabs(lo));
  std::vector<double> grid;
  for (std::size_t i = 0; i < GRID; ++i)
    grid.push_back(lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(GRID - 1));
  // As many points again where the particles are, so a narrow posterior is drawn smoothly.
  const auto [cmin, cmax] = std::minmax_element(c.begin(), c.end());
  if (cmin != c.end()) {
    const double a = std::max(lo, *cmin - 3 * h), b = std::min(hi, *cmax + 3 * h);
    for (std::size_t i = 0; i < GRID && b > a; ++i)
      grid.push_back(a + (b - a) * static_cast<double>(i) / static_cast<double>(GRID - 1));
  }
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  double sw = 0;
  for (double x : w) sw += x;
  Density d;
  for (double g : grid) {
    double k = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
      auto kern = [&](double at) { return std::exp(-0.5 * (g - at) * (g - at) / (h * h)); };
      k += w[i] * (kern(c[i]) + kern(2 * lo - c[i]) + kern(2 * hi - c[i]));
    }
    k /= sw * h * std::sqrt(2 * M_PI);
    const double v = to_value(p, g);
    const double jacobian = p.prior.kind == sim::PriorKind::LogUniform ? 1 / v : 1;  // dx/dv
    d.x.push_back(v);
    d.posterior.push_back(k * jacobian);
    const double lp = log_prior(p, g);
    d.prior.push_back(std::isfinite(lp) ? std::exp(lp) * jacobian : 0);
  }
  normalise(d.x, d.posterior);
  normalise(d.x, d.prior);
  return d;
}

std::string prior_words(const CalibrationResult& r, std::size_t k, Lang lang) {
  const int dec = decimals_for_span(r.prior_high[k] - r.prior_low[k]) + 1;
  std::string s = text(lang, "cal.prior." + r.prior[k]) + " " +
                  report::interval(number(r.prior_low[k], dec, lang), number(r.prior_high[k], dec, lang), lang);
  if (r.prior[k] == "normal")
    s += ", " + fill(text(lang, "cal.prior.normal_args"),
                     {number(r.prior_mean[k], dec, lang), number(r.prior_sd[k], dec, lang)});
  if (r.prior[k] == "beta")
    s += ", " +
         fill(text(lang, "cal.prior.beta_args"), {number(r.prior_alpha[k], 2, lang), number(r.prior_beta[k], 2, lang)});
  return s;
}

std::string row(const std::string& head, const std::string& value) {
  return "<tr><th scope=\"row\">" + esc(head) + "</th><td>" + esc(value) + "</td></tr>";
}

std::string num_or(double v, int decimals, Lang lang) {
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  return number(v, decimals, lang);
}

Section overview_section(const CalibrationResult& r, Lang lang) {
  const std::size_t G = r.generations(), K = r.parameters.size(), T = r.targets.size();
  std::string b =
      "<p class=\"lead\">" +
      esc(fill(text(lang, "cal.lead.overview"), {std::to_string(K), r.model, r.scenario, std::to_string(T),
                                                 std::to_string(G), number(static_cast<double>(r.runs), 0, lang)})) +
      "</p>";
  if (!r.description.empty()) b += "<p>" + esc(r.description) + "</p>";
  const double ess = r.ess.back();
  if (r.size > 0 && ess < 0.1 * static_cast<double>(r.size))
    b += "<p class=\"warning\">" +
         esc(fill(text(lang, "cal.ess.low"), {number(ess, 0, lang), std::to_string(r.size)})) + "</p>";
  b += "<table class=\"provenance\"><tbody>";
  b += row(text(lang, "cal.row.model"), r.model);
  b += row(text(lang, "cal.row.scenario"), r.scenario);
  b += row(text(lang, "cal.row.method"), r.method.empty() ? "ABC-SMC" : r.method);
  b += row(text(lang, "cal.row.parameters"), std::to_string(K));
  b += row(text(lang, "cal.row.targets"), std::to_string(T));
  b += row(text(lang, "cal.row.particles"), std::to_string(r.particles));
  b += row(text(lang, "cal.row.replicates"), std::to_string(r.replicates));
  b += row(text(lang, "cal.row.quantile"), number(r.quantile, 2, lang));
  b += row(text(lang, "cal.row.seed"), std::to_string(r.seed));
  b += row(text(lang, "cal.row.generations"), std::to_string(G));
  b += row(text(lang, "cal.row.runs"), number(static_cast<double>(r.runs), 0, lang));
  b += row(text(lang, "cal.row.tolerance"), num_or(r.tolerance.back(), 3, lang));
  b += row(text(lang, "cal.row.acceptance"), percent(r.acceptance_rate.back(), 1, lang));
  b += row(text(lang, "cal.row.ess"), fill(text(lang, "cal.ess.of"), {number(ess, 1, lang), std::to_string(r.size)}));
  b += row(text(lang, "cal.row.stop"), r.stop.empty() ? text(lang, "cal.stop.all") : r.stop);
  b += "</tbody></table>";
  // The method's record, one generation a row.
  std::string t = "<table class=\"data\" id=\"generations\"><thead><tr>";
  for (const char* k : {"cal.gen.generation", "cal.gen.tolerance", "cal.gen.acceptance", "cal.gen.ess",
                        "cal.gen.proposals", "cal.gen.runs"})
    t += "<th scope=\"col\">" + esc(text(lang, k)) + "</th>";
  t += "</tr></thead><tbody>";
  for (std::size_t g = 0; g < G; ++g)
    t += "<tr><td>" + std::to_string(g) + "</td><td>" + esc(num_or(r.tolerance[g], 3, lang)) + "</td><td>" +
         esc(percent(r.acceptance_rate[g], 1, lang)) + "</td><td>" + esc(number(r.ess[g], 1, lang)) + "</td><td>" +
         esc(number(r.proposals[g], 0, lang)) + "</td><td>" + esc(number(r.generation_runs[g], 0, lang)) + "</td></tr>";
  t += "</tbody></table>";
  b += "<h3>" + esc(text(lang, "cal.gen.title")) + "</h3><p>" + esc(text(lang, "cal.gen.lead")) + "</p>" +
       "<div class=\"scroll\">" + t + "</div>";
  return {"calibrated", text(lang, "cal.sec.overview"), b};
}

std::string parameter_label(const CalibrationResult& r, std::size_t k) {
  return r.unit[k].empty() ? r.parameters[k] : r.parameters[k] + " (" + r.unit[k] + ")";
}

std::vector<double> column(const std::vector<double>& m, std::size_t cols, std::size_t k) {
  std::vector<double> v;
  for (std::size_t i = k; i < m.size(); i += cols) v.push_back(m[i]);
  return v;
}

Section marginals_section(const CalibrationResult& r, Lang lang) {
  const std::size_t K = r.parameters.size();
  std::string b = "<p>" + esc(text(lang, "cal.lead.marginals")) + "</p>";
  std::string sentences = "<ul class=\"findings\">", charts = "<div class=\"grid2\">";
  std::string table = "<table class=\"params\" id=\"marginals\"><thead><tr>";
  for (const char* key : {"cal.col.parameter", "cal.col.prior", "cal.col.median", "cal.col.interval",
                          "cal.col.prior_interval", "cal.col.width"})
    table += "<th scope=\"col\">" + esc(text(lang, key)) + "</th>";
  table += "</tr></thead><tbody>";
  for (std::size_t k = 0; k < K; ++k) {
    const sim::FreeParameter p = r.free_parameter(k);
    const Density d = density(p, column(r.last_particles, K, k), r.last_weights, r.ess.back());
    const int dec = decimals_for_span(std::min(r.prior_q95[k] - r.prior_q05[k], r.q95[k] - r.q05[k]) > 0
                                          ? std::min(r.prior_q95[k] - r.prior_q05[k], r.q95[k] - r.q05[k])
                                          : r.prior_q95[k] - r.prior_q05[k]);
    const std::string med = number(r.median[k], dec, lang);
    const std::string post = report::interval(number(r.q05[k], dec, lang), number(r.q95[k], dec, lang), lang);
    const std::string prior =
        report::interval(number(r.prior_q05[k], dec, lang), number(r.prior_q95[k], dec, lang), lang);
    const double ratio = (r.q95[k] - r.q05[k]) / (r.prior_q95[k] - r.prior_q05[k]);
    const std::string width = std::isfinite(ratio) ? percent(ratio, 0, lang) : number(NaN, 0, lang);
    const bool little = !(ratio < 0.8);
    sentences +=
        "<li>" +
        esc(fill(text(lang, little ? "cal.little" : "cal.narrowed"), {r.parameters[k], post, med, width, prior})) +
        "</li>";

    svg::LineChart c;
    c.id = "density-" + report::slug(r.parameters[k]);
    c.title = fill(text(lang, "cal.chart.density"), {r.parameters[k]});
    c.x = report::plain_axis(parameter_label(r, k), lang, dec + 1);
    c.y = report::plain_axis(text(lang, "cal.axis.density"), lang, 4);
    c.y.min = 0;
    c.width = 540;
    c.height = 280;
    double top = 0;
    for (double v : d.posterior) top = std::max(top, v);
    for (double v : d.prior) top = std::max(top, v);
    svg::Series sp{text(lang, "cal.series.posterior"), d.x, d.posterior, {}, {}, 0, false};
    svg::Series sq{text(lang, "cal.series.prior"), d.x, d.prior, {}, {}, 5, true};
    svg::Series si{text(lang, "cal.series.interval"),
                   {r.q05[k], r.q05[k], NaN, r.median[k], r.median[k], NaN, r.q95[k], r.q95[k]},
                   {0, top, NaN, 0, top, NaN, 0, top},
                   {},
                   {},
                   2,
                   false};
    c.series = {sp, sq, si};
    charts += report::figure(c, lang, "density");
    table += "<tr><th scope=\"row\"><code>" + esc(r.parameters[k]) + "</code>" +
             (r.unit[k].empty() ? "" : " <span class=\"desc\">" + esc(r.unit[k]) + "</span>") + "</th><td>" +
             esc(prior_words(r, k, lang)) + "</td><td>" + esc(med) + "</td><td>" + esc(post) + "</td><td>" +
             esc(prior) + "</td><td>" + esc(width) + "</td></tr>";
  }
  table += "</tbody></table>";
  b += sentences + "</ul>" + charts + "</div><div class=\"scroll\">" + table + "</div>";
  return {"marginals", text(lang, "cal.sec.marginals"), b};
}

Section pairs_section(const CalibrationResult& r, Lang lang) {
  const std::size_t K = r.parameters.size();
  std::string b;
  struct Pair {
    std::size_t a, b;
    double r;
  };
  std::vector<Pair> pairs;
  std::vector<std::vector<double>> coords(K);
  for (std::size_t k = 0; k < K; ++k) {
    const sim::FreeParameter p = r.free_parameter(k);
    for (double v : column(r.last_particles, K, k)) coords[k].push_back(to_coordinate(p, v));
  }
  for (std::size_t a = 0; a < K; ++a)
    for (std::size_t c = a + 1; c < K; ++c) {
      const double rho = weighted_correlation(coords[a], coords[c], r.last_weights);
      if (std::isfinite(rho)) pairs.push_back({a, c, rho});
    }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& x, const Pair& y) { return std::fabs(x.r) > std::fabs(y.r); });
  if (pairs.size() > PAIRS) pairs.resize(PAIRS);
  if (pairs.empty()) {
    b = "<p>" + esc(text(lang, K < 2 ? "cal.pairs.one" : "cal.pairs.none")) + "</p>";
    return {"pairs", text(lang, "cal.sec.pairs"), b};
  }
  b = "<p>" + esc(fill(text(lang, "cal.lead.pairs"), {std::to_string(pairs.size())})) + "</p><ul class=\"findings\">";
  std::string charts = "<div class=\"grid\">";
  for (const auto& p : pairs) {
    const std::string rs = number(p.r, 2, lang);
    const char* key = std::fabs(p.r) < 0.3 ? "cal.pair.weak" : p.r > 0 ? "cal.pair.together" : "cal.pair.tradeoff";
    b += "<li>" + esc(fill(text(lang, key), {r.parameters[p.a], r.parameters[p.b], rs})) + "</li>";
    svg::ScatterChart c;
    c.id = "pair-" + report::slug(r.parameters[p.a]) + "--" + report::slug(r.parameters[p.b]);
    c.title = fill(text(lang, "cal.pair.title"), {r.parameters[p.a], r.parameters[p.b]});
    const auto xs = column(r.last_particles, K, p.a), ys = column(r.last_particles, K, p.b);
    auto span = [](const std::vector<double>& v) {
      const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
      return lo == v.end() ? 0.0 : *hi - *lo;
    };
    c.x = report::plain_axis(parameter_label(r, p.a), lang, decimals_for_span(span(xs)) + 1);
    c.y = report::plain_axis(parameter_label(r, p.b), lang, decimals_for_span(span(ys)) + 1);
    c.xs = xs;
    c.ys = ys;
    c.weight = r.last_weights;
    c.label = text(lang, "cal.pair.points");
    c.weight_label = text(lang, "cal.pair.weight");
    c.note = fill(text(lang, "cal.pair.note"), {rs});
    charts += report::figure(c, lang, "pair");
  }
  b += "</ul>" + charts + "</div>";
  return {"pairs", text(lang, "cal.sec.pairs"), b};
}

// The text datasets over the targets that the table shows in columns of their own.
bool known_field(const std::string& name) {
  return name == "statistic" || name == "definition" || name == "target_scenario" || name == "evidence" ||
         name == "side";
}

Section predictive_section(const CalibrationResult& r, Lang lang) {
  const std::size_t T = r.targets.size();
  std::vector<std::string> outside;
  for (std::size_t t = 0; t < T; ++t)
    if (!r.covered(t)) outside.push_back(r.targets[t]);
  std::string b = "<p>" + esc(text(lang, "cal.lead.predictive")) + "</p>";
  if (outside.empty()) {
    b += "<p class=\"lead okay\">" + esc(fill(text(lang, "cal.predictive.all"), {std::to_string(T)})) + "</p>";
  } else {
    std::string names;
    for (std::size_t i = 0; i < outside.size(); ++i) names += (i ? ", " : "") + outside[i];
    b += "<p class=\"lead flag\">" +
         esc(fill(text(lang, "cal.predictive.some"), {std::to_string(outside.size()), std::to_string(T), names})) +
         "</p>";
  }
  std::vector<std::string> extra;
  for (const auto& [name, values] : r.target_text)
    if (!known_field(name)) extra.push_back(name);
  std::string charts = "<div class=\"grid\">";
  std::string table = "<table class=\"params\" id=\"predictive\"><thead><tr>";
  auto head = [&](const std::string& s) { table += "<th scope=\"col\">" + esc(s) + "</th>"; };
  head(text(lang, "cal.col.target"));
  head(text(lang, "cal.col.scenario"));
  for (const auto& e : extra) head(text_or(lang, "cal.field." + e, e));
  for (const char* key : {"cal.col.statistic", "cal.col.evidence", "cal.col.observed", "cal.col.pred_median",
                          "cal.col.pred_interval", "cal.col.check"})
    head(text(lang, key));
  table += "</tr></thead><tbody>";
  for (std::size_t t = 0; t < T; ++t) {
    const double obs = r.observed[t], lo = r.predictive_q05[t], hi = r.predictive_q95[t];
    double span = std::max({obs, hi, lo}) - std::min({obs, hi, lo});
    if (!(span > 0)) span = std::fabs(obs);
    const int dec = decimals_for_span(span) + 1;
    const bool both = r.side[t] != "at_most" && r.side[t] != "at_least";
    const std::string observed =
        both ? number(obs, dec, lang) : fill(text(lang, "cal.bound." + r.side[t]), {number(obs, dec, lang)});
    const bool ok = r.covered(t);

    svg::DotChart c;
    c.id = "check-" + report::slug(r.targets[t]);
    c.title = r.targets[t];
    c.x = report::plain_axis(text(lang, "cal.axis.statistic"), lang, dec);
    c.series = {text(lang, both ? "cal.series.observed" : "cal.series.bound"), text(lang, "cal.series.predicted")};
    const double z = 1.6448536269514722 * r.observed_sd[t];
    svg::Interval o{obs, both ? obs - z : NaN, both ? obs + z : NaN};
    c.rows = {
        {ok ? text(lang, "cal.check.inside") : text(lang, "cal.check.outside"), {o, {r.predictive_median[t], lo, hi}}}};
    c.interval_label = text(lang, "cal.chart.whiskers");
    c.reference = obs;
    c.width = 360;
    charts += report::figure(c, lang, ok ? "check" : "check outside");

    table += std::string("<tr") + (ok ? "" : " class=\"outside\"") + "><th scope=\"row\"><code>" + esc(r.targets[t]) +
             "</code></th><td>" + esc(r.target_field("target_scenario", t)) + "</td>";
    for (const auto& e : extra) table += "<td>" + esc(r.target_field(e, t)) + "</td>";
    table += "<td>" +
             esc(r.target_field("definition", t).empty() ? r.target_field("statistic", t)
                                                         : r.target_field("definition", t)) +
             "</td><td>" + esc(r.evidence[t]) + "</td><td>" + esc(observed) + "</td><td>" +
             esc(number(r.predictive_median[t], dec, lang)) + "</td><td>" +
             esc(report::interval(number(lo, dec, lang), number(hi, dec, lang), lang)) + "</td><td class=\"" +
             (ok ? "okay" : "flag") + "\">" + esc(text(lang, ok ? "cal.check.inside" : "cal.check.outside")) +
             "</td></tr>";
  }
  table += "</tbody></table>";
  b += "<div class=\"scroll\">" + table + "</div>" + charts + "</div>";
  return {"predictive", text(lang, "cal.sec.predictive"), b};
}

Section provenance_section(const CalibrationResult& r, Lang lang) {
  auto prow = [&](const char* key, const std::string& value, bool code = false) {
    return "<tr><th scope=\"row\">" + esc(text(lang, key)) + "</th><td>" +
           (code ? "<code>" + esc(value) + "</code>" : esc(value)) + "</td></tr>";
  };
  std::string b = "<p>" + esc(text(lang, "lead.provenance")) + "</p><table class=\"provenance\"><tbody>";
  b += prow("prov.file", std::filesystem::path(r.file).filename().string(), true);
  b += prow("prov.format", r.format + " " + r.format_version);
  b += prow("prov.kind", text(lang, "kind.calibration"));
  b += prow("prov.experiment", r.name);
  b += prow("prov.engine", r.engine_version);
  b += prow("prov.commit", r.git_commit, true);
  b += prow("prov.created", r.created);
  b += prow("prov.command", r.command_line, true);
  b += prow("prov.seed", std::to_string(r.seed));
  b += prow("prov.hdf5", r.hdf5_version);
  b += "</tbody></table>";
  if (!r.toml.empty()) b += report::details(text(lang, "cal.toml"), report::pre(r.toml));
  return {"provenance", text(lang, "sec.provenance"), b};
}

}  // namespace

std::string calibration_report_html(const std::filesystem::path& file, Lang lang) {
  try {
    const CalibrationResult r = read_calibration(file);
    const std::vector<Section> sections{overview_section(r, lang), marginals_section(r, lang), pairs_section(r, lang),
                                        predictive_section(r, lang), provenance_section(r, lang)};
    return report::document(lang, fill(text(lang, "doc.title.calibration"), {r.name}),
                            fill(text(lang, "doc.source"), {file.filename().string(), r.created}), r.engine_version, "",
                            sections);
  } catch (const sim::InputError& e) {
    const std::string what = e.what();
    if (what.find(file.string()) != std::string::npos) throw;
    throw sim::InputError(file.string() + ": " + what);
  }
}

}  // namespace analysis
