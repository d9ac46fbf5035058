// A small SVG chart toolkit for the HTML report: line charts with interval bands (straight
// or as steps, for survival curves), dot and bar charts with interval whiskers (forest
// plots), axes with nice ticks and a legend below the plot, so it never covers a line.
// Charts take numbers and words and return markup; they know nothing of berdaya. Every
// chart also renders its numbers as an HTML table, so nothing is shown that cannot be read.
#pragma once
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace analysis::svg {

// How numbers are written: decimal mark, thousands separator, the word for a missing value.
struct NumberStyle {
  std::string decimal = ".", thousands = ",", missing = "n/a";
};

// v rounded to `decimals` places with thousands separators; style.missing when not finite.
std::string format_number(double v, int decimals, const NumberStyle& style);

// Decimals that show every multiple of `step` exactly (at most 4).
int decimals_for(double step);

// Round tick positions (steps of 1, 2 or 5 times a power of ten) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

// Text and attribute escaping for HTML and SVG.
std::string escape(const std::string& text);

// Okabe-Ito, colour-blind safe; the yellow is left out because it cannot be read on white.
// Past the seventh colour the palette repeats and the caller should switch to dashes.
const char* colour(std::size_t i);
inline constexpr std::size_t PALETTE_SIZE = 7;

struct Axis {
  std::string label;  // with its unit
  // Tick label of v, given the distance between ticks (so the label shows just enough digits).
  std::function<std::string(double v, double step)> tick;
  // A value in the data table, with its full precision.
  std::function<std::string(double v)> value;
  double min = std::numeric_limits<double>::quiet_NaN();  // fixed ends; NaN: from the data
  double max = std::numeric_limits<double>::quiet_NaN();
  double step = std::numeric_limits<double>::quiet_NaN();  // fixed tick distance, e.g. 12 months
  bool include_zero = false;
};

struct Series {
  std::string label;
  std::vector<double> x, y;
  std::vector<double> lo, hi;  // the band, empty for none; NaN where it is undefined
  std::size_t colour = 0;      // palette index
  bool dashed = false;
};

struct LineChart {
  std::string id, title;
  Axis x, y;
  std::vector<Series> series;
  bool step = false;              // the value holds until the next x (survival, cumulative incidence)
  std::string band_label;         // legend entry for the shaded bands, e.g. "95% band"; empty: none
  std::string empty_note;         // drawn in the plot when no series has a finite point
  int width = 720, height = 320;  // of the plot and axes; the legend adds rows below
};

struct Interval {
  double mean = std::numeric_limits<double>::quiet_NaN();
  double lo = std::numeric_limits<double>::quiet_NaN();
  double hi = std::numeric_limits<double>::quiet_NaN();
};

struct DotRow {
  std::string label;
  std::vector<Interval> values;  // one per entry of DotChart::series
};

// Rows of estimates on a horizontal value axis: dots with whiskers (a forest plot when a
// reference line is drawn) or bars from zero with whiskers.
struct DotChart {
  std::string id, title;
  Axis x;
  std::vector<std::string> series;  // legend; each row has one value per series
  std::vector<DotRow> rows;
  double reference = std::numeric_limits<double>::quiet_NaN();  // a vertical line, e.g. 0
  std::string reference_label;
  bool bars = false;
  std::string interval_label;  // legend entry for the whiskers, e.g. "95% CI"; empty: none
  std::string empty_note;
  std::string missing = "n/a";  // written in a row whose value is undefined
  int width = 720;
};

// Points on two value axes, each drawn with an area proportional to its weight (the
// particles of a weighted sample): a pairwise plot of two parameters.
struct ScatterChart {
  std::string id, title;
  Axis x, y;
  std::vector<double> xs, ys, weight;  // weight: > 0; the heaviest point gets the largest mark
  std::string label;                   // legend entry of the marks, e.g. "particle (area: weight)"
  std::string weight_label;            // the data table's column of the weights
  std::string note;                    // one line under the plot, e.g. the correlation
  int width = 360, height = 320;
};

// Words of the data tables under the charts.
struct TableWords {
  std::string series, lower, upper;
  NumberStyle numbers;
};

std::string render(const LineChart& chart);
std::string render(const DotChart& chart);
std::string data_table(const LineChart& chart, const TableWords& words);
std::string data_table(const DotChart& chart, const TableWords& words);
std::string render(const ScatterChart& chart);
std::string data_table(const ScatterChart& chart, const TableWords& words);

}  // namespace analysis::svg
