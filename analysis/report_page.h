// What the report's sections share (internal to the report): the page and its sections,
// figures (a chart and its numbers), axes that speak the report's language, and the
// sections each kind of result file gets.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "analysis/brief.h"
#include "analysis/posterior.h"
#include "analysis/report_text.h"
#include "analysis/results.h"
#include "analysis/svg.h"

namespace analysis::report {

struct Section {
  std::string id, title, body;  // body: HTML
  bool appendix = false;        // after the main sections, lettered A, B, ...
};

// A chart with its title above nothing else: the SVG, then its numbers in a closed
// <details>, so the page stays short and the numbers are one click away.
std::string figure(const svg::LineChart& chart, Lang lang, const std::string& css_class = "");
std::string figure(const svg::DotChart& chart, Lang lang, const std::string& css_class = "");
// The same with the numbers' interval columns named `lower` and `upper` (an interval that
// is not the usual 95 % of simulation precision).
std::string figure(const svg::DotChart& chart, Lang lang, const std::string& css_class, const std::string& lower,
                   const std::string& upper);
std::string figure(const svg::ScatterChart& chart, Lang lang, const std::string& css_class = "");

// Axes: ticks with just enough digits, values in the tables with their full precision.
svg::Axis percent_axis(const std::string& label, Lang lang);  // data are shares in [0, 1]
svg::Axis points_axis(const std::string& label, Lang lang);   // shares shown as percentage points
svg::Axis rupiah_axis(const std::string& label, Lang lang);
svg::Axis plain_axis(const std::string& label, Lang lang, int decimals);
svg::Axis month_axis(const std::string& label, Lang lang, double months);

// "[lo, hi]" in English, "[lo; hi]" in Indonesian, where the comma is the decimal mark.
std::string interval(const std::string& lo, const std::string& hi, Lang lang);
// The paragraphs that say what the intervals measure and how they are made, over `used`
// replicates with `resamples` resamples of units of `batch` replicates (EstimationPlan).
std::string interval_method(std::size_t used, int resamples, std::size_t batch, Lang lang);
// A value with a leading "+" when positive.
std::string with_sign(double v, const std::string& formatted);
// A safe element id from any name.
std::string slug(const std::string& name);
std::string details(const std::string& summary, const std::string& body, const std::string& css_class = "");
std::string pre(const std::string& text);

Section provenance(const ResultFile& f, Lang lang);
// The sections of a comparison or run report; over a posterior, `posterior` is its summary
// (the brief's figures and chances then come from the plausible worlds). The brief comes
// first, then the posterior's answers, the results, and an appendix of method and detail.
std::vector<Section> comparison_sections(const ResultFile& f, Lang lang, const PosteriorSummary* posterior = nullptr);
// The brief for the head of the office; `name_of` gives a scenario's name as the reader sees it.
Section brief_section(const Brief& b, Lang lang, const std::function<std::string(const std::string&)>& name_of);
std::vector<Section> sweep_sections(const ResultFile& f, Lang lang);
std::vector<Section> oat_sections(const ResultFile& f, Lang lang);  // a one-at-a-time screen
// The lead of a comparison over a posterior (berdaya compare --posterior): per headline
// metric, each scenario's effect with its interval over plausible worlds, the Monte Carlo
// part apart, the chance to beat the baseline and of each rank.
Section posterior_section(const PosteriorSummary& s, Lang lang,
                          const std::function<std::string(const std::string&)>& name_of = {});

// The whole page around its sections: title, the line naming the source, an optional
// warning, the contents and the sections numbered in order (the appendix's lettered).
std::string document(Lang lang, const std::string& title, const std::string& source, const std::string& generator,
                     const std::string& warning, const std::vector<Section>& sections);

}  // namespace analysis::report
