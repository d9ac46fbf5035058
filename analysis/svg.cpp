#include "analysis/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace analysis::svg {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr int TICK_FONT = 12, LABEL_FONT = 13, TITLE_FONT = 15, LEGEND_ROW = 20;

// Charts are laid out before the browser measures text, so widths are estimated; the
// factor suits the wide sans-serif fonts (DejaVu Sans) that Debian falls back to.
double text_width(const std::string& s, int font) {
  std::size_t chars = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++chars;
  return 0.6 * font * static_cast<double>(chars);
}

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

bool finite(double v) { return std::isfinite(v); }

struct Range {
  double lo = NaN, hi = NaN;
  void add(double v) {
    if (!finite(v)) return;
    lo = finite(lo) ? std::min(lo, v) : v;
    hi = finite(hi) ? std::max(hi, v) : v;
  }
  bool empty() const { return !finite(lo); }
};

// The axis's ends and ticks: fixed ends keep the ticks inside them, free ends grow to
// the outer ticks so the data never touches the frame.
struct Scale {
  double lo = 0, hi = 1, step = 1;
  std::vector<double> ticks;
};

Scale make_scale(const Axis& axis, Range data) {
  if (axis.include_zero) data.add(0);
  if (finite(axis.min)) data.add(axis.min);
  if (finite(axis.max)) data.add(axis.max);
  if (data.empty()) data = {0, 1};
  if (data.hi - data.lo < 1e-12 * std::max(1.0, std::fabs(data.hi))) {
    const double pad = data.hi == 0 ? 1 : 0.1 * std::fabs(data.hi);
    data.lo -= pad;
    data.hi += pad;
  }
  Scale s;
  if (finite(axis.step) && axis.step > 0 && (data.hi - data.lo) / axis.step <= 40) {
    for (double t = std::floor(data.lo / axis.step) * axis.step; t <= data.hi + 1e-9 * axis.step; t += axis.step)
      s.ticks.push_back(t);
    if (s.ticks.back() < data.hi) s.ticks.push_back(s.ticks.back() + axis.step);
  } else {
    s.ticks = nice_ticks(data.lo, data.hi);
  }
  s.step = s.ticks.size() > 1 ? s.ticks[1] - s.ticks[0] : 1;
  s.lo = finite(axis.min) ? axis.min : std::min(data.lo, s.ticks.front());
  s.hi = finite(axis.max) ? axis.max : std::max(data.hi, s.ticks.back());
  std::erase_if(s.ticks, [&](double t) { return t < s.lo - 1e-9 * s.step || t > s.hi + 1e-9 * s.step; });
  return s;
}

std::string text(double x, double y, const std::string& s, const char* anchor, int font,
                 const std::string& extra = "") {
  return "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
         std::to_string(font) + "\"" + extra + ">" + escape(s) + "</text>";
}

constexpr double TITLE_LINE = 19;

// The title broken into lines that fit the chart's width.
std::vector<std::string> title_lines(const std::string& title, int width) {
  std::vector<std::string> lines(1);
  std::size_t p = 0;
  while (p < title.size()) {
    auto e = title.find(' ', p);
    if (e == std::string::npos) e = title.size();
    const std::string word = title.substr(p, e - p);
    const std::string joined = lines.back().empty() ? word : lines.back() + " " + word;
    if (!lines.back().empty() && text_width(joined, TITLE_FONT) > width - 16)
      lines.push_back(word);
    else
      lines.back() = joined;
    p = e + 1;
  }
  return lines;
}

// The chart's frame and title; what follows is drawn `extra` pixels lower when the title
// takes more than one line, and closed by close_svg.
std::string open_svg(const std::string& id, const std::string& title, int width, double height, double& extra) {
  const auto lines = title_lines(title, width);
  extra = TITLE_LINE * static_cast<double>(lines.size() - 1);
  const std::string tid = "t-" + id;
  std::string o = "<svg class=\"chart\" data-chart=\"" + escape(id) + "\" width=\"" + std::to_string(width) +
                  "\" height=\"" + px(height + extra) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
                  px(height + extra) + "\" role=\"img\" aria-labelledby=\"" + escape(tid) + "\"><title id=\"" +
                  escape(tid) + "\">" + escape(title) + "</title><text class=\"title\" font-size=\"" +
                  std::to_string(TITLE_FONT) + "\" font-weight=\"bold\">";
  for (std::size_t i = 0; i < lines.size(); ++i)
    o += "<tspan x=\"8\" y=\"" + px(20 + TITLE_LINE * static_cast<double>(i)) + "\">" + escape(lines[i]) + "</tspan>";
  return o + "</text><g transform=\"translate(0 " + px(extra) + ")\">";
}

std::string close_svg() { return "</g></svg>"; }

// One legend entry: a swatch (line, dashed line, shaded band, marker or whisker) and a label.
struct LegendEntry {
  enum Kind { LINE, DASHED, BAND, MARKER, BAR, WHISKER, REFERENCE } kind;
  std::size_t colour;
  std::string label;
  int marker = 0;
};

double legend_height(const std::vector<LegendEntry>& entries, double width) {
  if (entries.empty()) return 0;
  double x = 8;
  int rows = 1;
  for (const auto& e : entries) {
    const double w = 30 + text_width(e.label, TICK_FONT) + 16;
    if (x + w > width - 8 && x > 8) {
      ++rows;
      x = 8;
    }
    x += w;
  }
  return rows * LEGEND_ROW + 6;
}

std::string marker(int shape, double x, double y, const char* fill) {
  const std::string f = std::string(" fill=\"") + fill + "\" stroke=\"#fff\" stroke-width=\"0.8\"";
  switch (shape % 4) {
    case 1: return "<rect x=\"" + px(x - 4) + "\" y=\"" + px(y - 4) + "\" width=\"8\" height=\"8\"" + f + "/>";
    case 2:
      return "<path d=\"M" + px(x) + " " + px(y - 5.5) + "L" + px(x + 5.5) + " " + px(y) + "L" + px(x) + " " +
             px(y + 5.5) + "L" + px(x - 5.5) + " " + px(y) + "Z\"" + f + "/>";
    case 3:
      return "<path d=\"M" + px(x) + " " + px(y - 5) + "L" + px(x + 5) + " " + px(y + 4) + "L" + px(x - 5) + " " +
             px(y + 4) + "Z\"" + f + "/>";
    default: return "<circle cx=\"" + px(x) + "\" cy=\"" + px(y) + "\" r=\"4.5\"" + f + "/>";
  }
}

std::string legend(const std::vector<LegendEntry>& entries, double top, double width) {
  if (entries.empty()) return "";
  std::string o = "<g class=\"legend\">";
  double x = 8, y = top + LEGEND_ROW / 2.0 + 2;
  for (const auto& e : entries) {
    const double w = 30 + text_width(e.label, TICK_FONT) + 16;
    if (x + w > width - 8 && x > 8) {
      x = 8;
      y += LEGEND_ROW;
    }
    const char* c = colour(e.colour);
    switch (e.kind) {
      case LegendEntry::LINE:
      case LegendEntry::DASHED:
        o += "<path d=\"M" + px(x) + " " + px(y) + "h24\" stroke=\"" + c + "\" stroke-width=\"2.5\" fill=\"none\"" +
             (e.kind == LegendEntry::DASHED ? " stroke-dasharray=\"6 3\"" : "") + "/>";
        break;
      case LegendEntry::BAND:
        o += "<rect x=\"" + px(x) + "\" y=\"" + px(y - 6) +
             "\" width=\"24\" height=\"12\" fill=\"#777\" fill-opacity=\"0.25\"/>";
        break;
      case LegendEntry::MARKER: o += marker(e.marker, x + 12, y, c); break;
      case LegendEntry::BAR:
        o += "<rect x=\"" + px(x + 2) + "\" y=\"" + px(y - 5) + "\" width=\"20\" height=\"10\" fill=\"" + c +
             "\" fill-opacity=\"0.85\"/>";
        break;
      case LegendEntry::WHISKER:
        o += "<path d=\"M" + px(x + 2) + " " + px(y) + "h20M" + px(x + 2) + " " + px(y - 4) + "v8M" + px(x + 22) + " " +
             px(y - 4) + "v8\" stroke=\"#444\" stroke-width=\"1.5\" fill=\"none\"/>";
        break;
      case LegendEntry::REFERENCE:
        o += "<path d=\"M" + px(x + 12) + " " + px(y - 7) +
             "v14\" stroke=\"#666\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/>";
        break;
    }
    o += text(x + 30, y + 4, e.label, "start", TICK_FONT);
    x += w;
  }
  return o + "</g>";
}

// Maps data to pixels on one axis.
struct Map {
  double d0, d1, p0, p1;
  double operator()(double v) const { return p0 + (v - d0) / (d1 - d0) * (p1 - p0); }
};

std::string tick_label(const Axis& a, double v, double step) {
  return a.tick ? a.tick(v, step) : format_number(v, 0, {});
}

std::string value_label(const Axis& a, double v, const NumberStyle& style) {
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";  // an unbounded end of an interval
  if (!finite(v)) return style.missing;
  return a.value ? a.value(v) : format_number(v, 2, style);
}

// The vertices of a series' line (or a band's edge), split where the value is missing.
std::vector<std::vector<std::pair<double, double>>> runs(const std::vector<double>& x, const std::vector<double>& y,
                                                         bool step, const Map& mx, const Map& my) {
  std::vector<std::vector<std::pair<double, double>>> out;
  std::vector<std::pair<double, double>> cur;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (!finite(x[i]) || !finite(y[i])) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    const double px_ = mx(x[i]), py = my(y[i]);
    if (step && !cur.empty()) cur.push_back({px_, cur.back().second});
    cur.push_back({px_, py});
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string path_of(const std::vector<std::pair<double, double>>& v) {
  std::string d;
  for (std::size_t i = 0; i < v.size(); ++i) d += (i ? "L" : "M") + px(v[i].first) + " " + px(v[i].second);
  return d;
}

std::string td(const std::string& s) { return "<td>" + escape(s) + "</td>"; }
// A number's cell: its words, and the number itself with its role (x, value, lo, hi) for
// programs that read the page.
std::string num_td(const std::string& role, const Axis& a, double v, const NumberStyle& style, bool shown = true) {
  char buf[40];
  if (std::isnan(v))
    std::snprintf(buf, sizeof buf, "nan");
  else if (std::isinf(v))
    std::snprintf(buf, sizeof buf, "%s", v > 0 ? "inf" : "-inf");
  else
    std::snprintf(buf, sizeof buf, "%.17g", v);
  return "<td data-role=\"" + role + "\" data-v=\"" + buf + "\">" + (shown ? escape(value_label(a, v, style)) : "") +
         "</td>";
}
std::string th(const std::string& s) { return "<th scope=\"col\">" + escape(s) + "</th>"; }

}  // namespace

std::string format_number(double v, int decimals, const NumberStyle& style) {
  if (!finite(v)) return style.missing;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, decimals), std::fabs(v));
  std::string digits = buf, frac;
  if (const auto dot = digits.find('.'); dot != std::string::npos) {
    frac = digits.substr(dot + 1);
    digits.resize(dot);
  }
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) grouped += style.thousands;
    grouped += digits[i];
  }
  // A value that rounds to zero prints without a sign.
  const bool negative =
      v < 0 && std::any_of(buf, buf + std::char_traits<char>::length(buf), [](char c) { return c >= '1' && c <= '9'; });
  return (negative ? "-" : "") + grouped + (frac.empty() ? "" : style.decimal + frac);
}

int decimals_for(double step) {
  if (!finite(step) || step <= 0) return 0;
  int d = 0;
  for (double x = step; d < 4 && std::fabs(x - std::round(x)) > 1e-6 * std::max(1.0, x); x *= 10) ++d;
  return d;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!finite(lo) || !finite(hi)) return {0, 1};
  if (hi < lo) std::swap(lo, hi);
  if (hi - lo <= 0) hi = lo + 1;
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw * 0.999) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  const double first = std::floor(lo / step + 1e-9) * step, last = std::ceil(hi / step - 1e-9) * step;
  for (double v = first; v <= last + step * 1e-6 && t.size() < 50; v += step)
    t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return t;
}

std::string escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

const char* colour(std::size_t i) {
  static const char* const okabe_ito[PALETTE_SIZE] = {"#000000", "#E69F00", "#0072B2", "#009E73",
                                                      "#D55E00", "#56B4E9", "#CC79A7"};
  return okabe_ito[i % PALETTE_SIZE];
}

namespace {

// The bands of a line chart's series, in the series' colours.
std::string band_paths(const LineChart& c, const Map& mx, const Map& my) {
  std::string o;
  for (const auto& s : c.series) {
    if (s.lo.empty() || s.hi.empty()) continue;
    std::vector<double> x, lo, hi;
    // A band runs only where the value and both ends are defined.
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      const bool ok =
          i < s.y.size() && finite(s.y[i]) && i < s.lo.size() && i < s.hi.size() && finite(s.lo[i]) && finite(s.hi[i]);
      x.push_back(s.x[i]);
      lo.push_back(ok ? s.lo[i] : NaN);
      hi.push_back(ok ? s.hi[i] : NaN);
    }
    const auto up = runs(x, hi, c.step, mx, my), down = runs(x, lo, c.step, mx, my);
    for (std::size_t k = 0; k < up.size() && k < down.size(); ++k) {
      auto poly = up[k];
      poly.insert(poly.end(), down[k].rbegin(), down[k].rend());
      o += "<path d=\"" + path_of(poly) + "Z\" fill=\"" + colour(s.colour) +
           "\" fill-opacity=\"0.13\" stroke=\"none\"/>";
    }
  }
  return o;
}

// A dot chart's series colours: blue, vermillion, green, orange, as in the legend.
constexpr std::size_t DOT_SERIES_COLOUR[] = {2, 4, 3, 1};

// The marks of a defined estimate of series k in a dot chart, centred at height y: its bar
// from zero (bar charts), its whisker, and its marker (dot charts).
std::string estimate_marks(const DotChart& c, const Interval& v, std::size_t k, double y, const Map& mx, double left,
                           double right) {
  std::string o;
  const char* col = colour(DOT_SERIES_COLOUR[k % 4]);
  if (c.bars) {
    const double a = mx(0), b = mx(v.mean);
    o += "<rect x=\"" + px(std::min(a, b)) + "\" y=\"" + px(y - 5) + "\" width=\"" +
         px(std::max(1.0, std::fabs(b - a))) + "\" height=\"10\" fill=\"" + col + "\" fill-opacity=\"0.85\"/>";
  }
  // An unbounded end runs to the edge of the plot.
  const bool lo_ok = finite(v.lo) || (std::isinf(v.lo) && v.lo < 0);
  const bool hi_ok = finite(v.hi) || (std::isinf(v.hi) && v.hi > 0);
  if (lo_ok && hi_ok) {
    const double a = finite(v.lo) ? mx(v.lo) : left, b = finite(v.hi) ? mx(v.hi) : right;
    o += "<path d=\"M" + px(a) + " " + px(y) + "H" + px(b) + "M" + px(a) + " " + px(y - 4) + "v8M" + px(b) + " " +
         px(y - 4) + "v8\" stroke=\"" + (c.bars ? "#222" : col) + "\" stroke-width=\"1.5\" fill=\"none\"/>";
  }
  if (!c.bars) o += marker(static_cast<int>(k), mx(v.mean), y, col);
  return o;
}

}  // namespace

std::string render(const LineChart& c) {
  Range xr, yr;
  bool any = false;
  for (const auto& s : c.series)
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!finite(s.x[i]) || !finite(s.y[i])) continue;
      any = true;
      xr.add(s.x[i]);
      yr.add(s.y[i]);
      if (i < s.lo.size()) yr.add(s.lo[i]);
      if (i < s.hi.size()) yr.add(s.hi[i]);
    }
  const Scale sx = make_scale(c.x, xr), sy = make_scale(c.y, yr);
  double tick_w = 0;
  for (double t : sy.ticks) tick_w = std::max(tick_w, text_width(tick_label(c.y, t, sy.step), TICK_FONT));
  const double left = 30 + tick_w, right = c.width - 18, top = 38, bottom = c.height - 46;
  const Map mx{sx.lo, sx.hi, left, right}, my{sy.lo, sy.hi, bottom, top};

  std::vector<LegendEntry> entries;
  bool bands = false;
  for (const auto& s : c.series) {
    entries.push_back({s.dashed ? LegendEntry::DASHED : LegendEntry::LINE, s.colour, s.label});
    bands = bands || !s.lo.empty();
  }
  if (bands && !c.band_label.empty()) entries.push_back({LegendEntry::BAND, 0, c.band_label});
  const double total = c.height + legend_height(entries, c.width);

  double extra = 0;
  std::string o = open_svg(c.id, c.title, c.width, total, extra);
  // Grid and axes.
  o += "<g class=\"axes\" stroke=\"#ddd\" stroke-width=\"1\">";
  for (double t : sy.ticks) o += "<path d=\"M" + px(left) + " " + px(my(t)) + "H" + px(right) + "\"/>";
  o += "</g><g class=\"ticks\" fill=\"#333\">";
  for (double t : sy.ticks) o += text(left - 6, my(t) + 4, tick_label(c.y, t, sy.step), "end", TICK_FONT);
  for (double t : sx.ticks) o += text(mx(t), bottom + 17, tick_label(c.x, t, sx.step), "middle", TICK_FONT);
  o += "</g>";
  o += "<path d=\"M" + px(left) + " " + px(top) + "V" + px(bottom) + "H" + px(right) +
       "\" stroke=\"#444\" fill=\"none\"/>";
  for (double t : sx.ticks) o += "<path d=\"M" + px(mx(t)) + " " + px(bottom) + "v4\" stroke=\"#444\"/>";
  o += text((left + right) / 2, bottom + 37, c.x.label, "middle", LABEL_FONT, " class=\"axis-label\"");
  o += "<text transform=\"translate(14 " + px((top + bottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\" font-size=\"" + std::to_string(LABEL_FONT) + "\" class=\"axis-label\">" +
       escape(c.y.label) + "</text>";

  // Bands first, so every line is drawn over every band.
  o += "<g class=\"bands\">" + band_paths(c, mx, my);
  o += "</g><g class=\"lines\" fill=\"none\" stroke-width=\"2.2\" stroke-linejoin=\"round\">";
  for (const auto& s : c.series)
    for (const auto& run : runs(s.x, s.y, c.step, mx, my)) {
      if (run.size() == 1) {
        o += "<circle cx=\"" + px(run[0].first) + "\" cy=\"" + px(run[0].second) + "\" r=\"2.5\" fill=\"" +
             colour(s.colour) + "\"/>";
        continue;
      }
      o += "<path d=\"" + path_of(run) + "\" stroke=\"" + colour(s.colour) + "\"" +
           (s.dashed ? " stroke-dasharray=\"7 4\"" : "") + "/>";
    }
  o += "</g>";
  if (!any && !c.empty_note.empty())
    o += text((left + right) / 2, (top + bottom) / 2, c.empty_note, "middle", LABEL_FONT,
              " fill=\"#555\" font-style=\"italic\" class=\"empty-note\"");
  o += legend(entries, c.height, c.width);
  return o + close_svg();
}

std::string render(const DotChart& c) {
  Range xr;
  bool any = false;
  for (const auto& r : c.rows)
    for (const auto& v : r.values) {
      any = any || finite(v.mean);
      xr.add(v.mean);
      if (finite(v.mean)) {
        xr.add(v.lo);
        xr.add(v.hi);
      }
    }
  xr.add(c.reference);
  Axis axis = c.x;
  axis.include_zero = axis.include_zero || c.bars;
  const Scale sx = make_scale(axis, xr);
  double label_w = 0;
  for (const auto& r : c.rows) label_w = std::max(label_w, text_width(r.label, TICK_FONT));
  const std::size_t per_row = std::max<std::size_t>(1, c.series.size());
  const double row_h = std::max(24.0, 8.0 + 13.0 * static_cast<double>(per_row));
  const double left = std::min(16 + label_w, 0.45 * c.width), right = c.width - 22, top = 38;
  const double bottom = top + row_h * static_cast<double>(std::max<std::size_t>(1, c.rows.size()));
  const double height = bottom + 46;
  const Map mx{sx.lo, sx.hi, left, right};

  std::vector<LegendEntry> entries;
  for (std::size_t k = 0; k < c.series.size(); ++k)
    entries.push_back({c.bars ? LegendEntry::BAR : LegendEntry::MARKER, 0, c.series[k], static_cast<int>(k)});
  if (!c.interval_label.empty()) entries.push_back({LegendEntry::WHISKER, 0, c.interval_label});
  if (finite(c.reference) && !c.reference_label.empty())
    entries.push_back({LegendEntry::REFERENCE, 0, c.reference_label});
  const double total = height + legend_height(entries, c.width);

  for (std::size_t k = 0; k < entries.size() && k < c.series.size(); ++k) entries[k].colour = DOT_SERIES_COLOUR[k % 4];

  double extra = 0;
  std::string o = open_svg(c.id, c.title, c.width, total, extra);
  for (std::size_t r = 0; r < c.rows.size(); ++r)
    if (r % 2 == 0)
      o += "<rect x=\"0\" y=\"" + px(top + row_h * static_cast<double>(r)) + "\" width=\"" + std::to_string(c.width) +
           "\" height=\"" + px(row_h) + "\" fill=\"#f2f2f2\"/>";
  o += "<g class=\"axes\" stroke=\"#ddd\">";
  for (double t : sx.ticks) o += "<path d=\"M" + px(mx(t)) + " " + px(top) + "V" + px(bottom) + "\"/>";
  o += "</g><path d=\"M" + px(left) + " " + px(bottom) + "H" + px(right) + "\" stroke=\"#444\" fill=\"none\"/>";
  o += "<g class=\"ticks\" fill=\"#333\">";
  for (double t : sx.ticks) {
    o += "<path d=\"M" + px(mx(t)) + " " + px(bottom) + "v4\" stroke=\"#444\"/>";
    o += text(mx(t), bottom + 17, tick_label(c.x, t, sx.step), "middle", TICK_FONT);
  }
  o += "</g>";
  o += text((left + right) / 2, bottom + 37, c.x.label, "middle", LABEL_FONT, " class=\"axis-label\"");
  if (finite(c.reference))
    o += "<path d=\"M" + px(mx(c.reference)) + " " + px(top - 4) + "V" + px(bottom) +
         "\" stroke=\"#666\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/>";
  o += "<g class=\"rows\">";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const auto& row = c.rows[r];
    const double y0 = top + row_h * static_cast<double>(r);
    o += text(left - 8, y0 + row_h / 2 + 4, row.label, "end", TICK_FONT);
    for (std::size_t k = 0; k < row.values.size(); ++k) {
      const auto& v = row.values[k];
      const double y = y0 + row_h / 2 + (static_cast<double>(k) - (static_cast<double>(per_row) - 1) / 2) * 13;
      if (!finite(v.mean)) {
        if (!any) continue;  // the chart's note says it once
        o += text(left + 6, y + 4, c.missing, "start", TICK_FONT - 1,
                  " fill=\"#666\" font-style=\"italic\" class=\"missing\"");
        continue;
      }
      o += estimate_marks(c, v, k, y, mx, left, right);
    }
  }
  o += "</g>";
  if (!any && !c.empty_note.empty())
    o += text((left + right) / 2, (top + bottom) / 2 + 4, c.empty_note, "middle", LABEL_FONT,
              " fill=\"#555\" font-style=\"italic\" class=\"empty-note\"");
  o += legend(entries, height, c.width);
  return o + close_svg();
}

std::string data_table(const LineChart& c, const TableWords& w) {
  std::ostringstream o;
  o << "<table class=\"data\" data-for=\"" << escape(c.id) << "\">";
  const bool shared_x =
      std::all_of(c.series.begin(), c.series.end(), [&](const Series& s) { return s.x == c.series.front().x; });
  auto val = [&](const char* role, const std::vector<double>& v, std::size_t i) {
    return num_td(role, c.y, i < v.size() ? v[i] : NaN, w.numbers);
  };
  if (shared_x && !c.series.empty()) {
    o << "<thead><tr>" << th(c.x.label);
    for (const auto& s : c.series) {
      o << th(s.label);
      if (!s.lo.empty()) o << th(w.lower) << th(w.upper);
    }
    o << "</tr></thead><tbody>";
    for (std::size_t i = 0; i < c.series.front().x.size(); ++i) {
      o << "<tr>" << num_td("x", c.x, c.series.front().x[i], w.numbers);
      for (const auto& s : c.series) {
        o << val("value", s.y, i);
        if (!s.lo.empty()) o << val("lo", s.lo, i) << val("hi", s.hi, i);
      }
      o << "</tr>";
    }
  } else {
    o << "<thead><tr>" << th(w.series) << th(c.x.label) << th(c.y.label) << th(w.lower) << th(w.upper)
      << "</tr></thead><tbody>";
    for (const auto& s : c.series)
      for (std::size_t i = 0; i < s.x.size(); ++i)
        o << "<tr>" << td(s.label) << num_td("x", c.x, s.x[i], w.numbers) << val("value", s.y, i) << val("lo", s.lo, i)
          << val("hi", s.hi, i) << "</tr>";
  }
  o << "</tbody></table>";
  return o.str();
}

std::string data_table(const DotChart& c, const TableWords& w) {
  std::ostringstream o;
  o << "<table class=\"data\" data-for=\"" << escape(c.id) << "\"><thead><tr>" << th("");
  for (const auto& s : c.series) o << th(s) << th(w.lower) << th(w.upper);
  o << "</tr></thead><tbody>";
  for (const auto& r : c.rows) {
    o << "<tr><th scope=\"row\">" << escape(r.label) << "</th>";
    for (std::size_t k = 0; k < c.series.size(); ++k) {
      const Interval v = k < r.values.size() ? r.values[k] : Interval{};
      o << num_td("value", c.x, v.mean, w.numbers) << num_td("lo", c.x, v.lo, w.numbers, finite(v.mean))
        << num_td("hi", c.x, v.hi, w.numbers, finite(v.mean));
    }
    o << "</tr>";
  }
  o << "</tbody></table>";
  return o.str();
}

std::string render(const ScatterChart& c) {
  Range xr, yr;
  double wmax = 0;
  for (std::size_t i = 0; i < c.xs.size() && i < c.ys.size(); ++i) {
    if (!finite(c.xs[i]) || !finite(c.ys[i])) continue;
    xr.add(c.xs[i]);
    yr.add(c.ys[i]);
    if (i < c.weight.size() && finite(c.weight[i])) wmax = std::max(wmax, c.weight[i]);
  }
  const Scale sx = make_scale(c.x, xr), sy = make_scale(c.y, yr);
  double tick_w = 0;
  for (double t : sy.ticks) tick_w = std::max(tick_w, text_width(tick_label(c.y, t, sy.step), TICK_FONT));
  const double left = 30 + tick_w, right = c.width - 14, top = 38, bottom = c.height - 46;
  const Map mx{sx.lo, sx.hi, left, right}, my{sy.lo, sy.hi, bottom, top};
  std::vector<LegendEntry> entries;
  if (!c.label.empty()) entries.push_back({LegendEntry::MARKER, 0, c.label});
  const double note_h = c.note.empty() ? 0 : LEGEND_ROW;
  const double total = c.height + note_h + legend_height(entries, c.width);
  double extra = 0;
  std::string o = open_svg(c.id, c.title, c.width, total, extra);
  o += "<g class=\"axes\" stroke=\"#ddd\" stroke-width=\"1\">";
  for (double t : sy.ticks) o += "<path d=\"M" + px(left) + " " + px(my(t)) + "H" + px(right) + "\"/>";
  for (double t : sx.ticks) o += "<path d=\"M" + px(mx(t)) + " " + px(top) + "V" + px(bottom) + "\"/>";
  o += "</g><g class=\"ticks\" fill=\"#333\">";
  for (double t : sy.ticks) o += text(left - 6, my(t) + 4, tick_label(c.y, t, sy.step), "end", TICK_FONT);
  for (double t : sx.ticks) o += text(mx(t), bottom + 17, tick_label(c.x, t, sx.step), "middle", TICK_FONT);
  o += "</g><path d=\"M" + px(left) + " " + px(top) + "V" + px(bottom) + "H" + px(right) +
       "\" stroke=\"#444\" fill=\"none\"/>";
  o += text((left + right) / 2, bottom + 37, c.x.label, "middle", LABEL_FONT, " class=\"axis-label\"");
  o += "<text transform=\"translate(14 " + px((top + bottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\" font-size=\"" + std::to_string(LABEL_FONT) + "\" class=\"axis-label\">" +
       escape(c.y.label) + "</text>";
  // Area proportional to weight: the heaviest point a radius of 6 pixels, none below 1.
  o += std::string("<g class=\"points\" fill=\"") + colour(0) + "\" fill-opacity=\"0.45\" stroke=\"" + colour(0) +
       "\" stroke-opacity=\"0.8\" stroke-width=\"0.6\">";
  for (std::size_t i = 0; i < c.xs.size() && i < c.ys.size(); ++i) {
    if (!finite(c.xs[i]) || !finite(c.ys[i])) continue;
    const double w = i < c.weight.size() && finite(c.weight[i]) && wmax > 0 ? c.weight[i] / wmax : 1;
    o += "<circle cx=\"" + px(mx(c.xs[i])) + "\" cy=\"" + px(my(c.ys[i])) + "\" r=\"" +
         px(std::max(1.0, 6 * std::sqrt(std::max(0.0, w)))) + "\"/>";
  }
  o += "</g>";
  if (!c.note.empty()) o += text(8, c.height + 14, c.note, "start", TICK_FONT, " class=\"note\"");
  o += legend(entries, c.height + note_h, c.width);
  return o + close_svg();
}

std::string data_table(const ScatterChart& c, const TableWords& w) {
  std::ostringstream o;
  o << "<table class=\"data\" data-for=\"" << escape(c.id) << "\"><thead><tr>" << th(c.x.label) << th(c.y.label)
    << th(c.weight_label) << "</tr></thead><tbody>";
  Axis plain;
  plain.value = [&w](double v) { return format_number(v, 4, w.numbers); };
  for (std::size_t i = 0; i < c.xs.size() && i < c.ys.size(); ++i)
    o << "<tr>" << num_td("x", c.x, c.xs[i], w.numbers) << num_td("value", c.y, c.ys[i], w.numbers)
      << num_td("weight", plain, i < c.weight.size() ? c.weight[i] : NaN, w.numbers) << "</tr>";
  o << "</tbody></table>";
  return o.str();
}

}  // namespace analysis::svg
