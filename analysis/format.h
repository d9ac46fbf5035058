// Numbers and strings as the text and JSON summaries print them.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

#include "analysis/stats.h"

namespace analysis::format {

// printf-style, or "n/a" for NaN and infinities.
inline std::string number(double v, const char* printf_format) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, printf_format, v);
  return buf;
}

// "not estimable (12 at risk)" for an estimate that is not, else "".
inline std::string not_estimable(const Estimate& e) {
  if (e.estimable) return "";
  return "not estimable (" + number(std::isfinite(e.at_risk) ? e.at_risk : 0, "%.0f") + " at risk)";
}

// An interval end: printf-style, "unbounded" for an infinite end.
inline std::string end(double v, const char* printf_format) {
  return std::isinf(v) ? "unbounded" : number(v, printf_format);
}

// A whole number with thousands separators, 89,831,064, led by "+" when positive and `sign`
// is set; "n/a" when not finite.
inline std::string grouped(double v, bool sign) {
  if (!std::isfinite(v)) return "n/a";
  const long long n = std::llround(std::fabs(v));
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 && n != 0 ? "-" : sign ? "+" : "") + out;
}

// An estimate with its interval as the text tables print it, in the unit of its column:
// "%" a share shown in percent (a difference of shares in percentage points), "pp" a change of
// shares in percentage points with two decimals, "Rp" whole rupiah with separators, "Rp/Rp"
// two decimals, anything else one. `sign` leads positive values with "+". Not estimable,
// undefined, a single replicate and unbounded ends say so in words.
inline std::string estimate_cell(const Estimate& e, const std::string& unit, bool sign) {
  if (!e.estimable) return not_estimable(e);
  if (!std::isfinite(e.mean)) return "n/a";
  const double scale = unit == "%" || unit == "pp" ? 100.0 : 1.0;
  const char* f = unit == "Rp"                       ? (sign ? "%+.0f" : "%.0f")
                  : unit == "Rp/Rp"                  ? (sign ? "%+.2f" : "%.2f")
                  : unit == "groups" || unit == "pp" ? "%+.2f"
                  : sign                             ? "%+.1f"
                                                     : "%.1f";
  auto at = [&](double v) {
    if (std::isinf(v)) return std::string("unbounded");
    if (unit == "Rp") return grouped(v, sign);
    return number(scale * v, f);
  };
  if (std::isnan(e.lo) || std::isnan(e.hi)) return at(e.mean) + " (one replicate)";
  return at(e.mean) + " [" + at(e.lo) + ", " + at(e.hi) + "]";
}

// A JSON number with 6 significant digits; null when not finite.
inline std::string json_number(double v) { return std::isfinite(v) ? number(v, "%.6g") : "null"; }

inline std::string json_string(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      o += '\\', o += c;
    else if (c == '\n')
      o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20)
      o += ' ';
    else
      o += c;
  }
  return o + "\"";
}

// {"mean", "lo", "hi", "n"}, with "at_risk" and "reachable" for survival-based estimates.
// Not estimable: {"estimable": false, "at_risk": n, "reachable": m}, no number. An unbounded end of an interval (a cost
// per unit when some resamples have no units) is null with "hi_unbounded": true.
inline std::string json_estimate(const Estimate& e) {
  const std::string at_risk = std::isfinite(e.at_risk) ? number(e.at_risk, "%.0f") : "";
  const std::string reachable = std::isfinite(e.reachable) ? ", \"reachable\": " + number(e.reachable, "%.0f") : "";
  if (!e.estimable) return "{\"estimable\": false, \"at_risk\": " + (at_risk.empty() ? "0" : at_risk) + reachable + "}";
  std::string o = "{\"mean\": " + json_number(e.mean) + ", \"lo\": " + json_number(e.lo) +
                  ", \"hi\": " + json_number(e.hi) + ", \"n\": " + std::to_string(e.n);
  if (std::isinf(e.mean) && e.mean > 0) o += ", \"mean_unbounded\": true";
  if (std::isinf(e.lo) && e.lo < 0) o += ", \"lo_unbounded\": true";
  if (std::isinf(e.hi) && e.hi > 0) o += ", \"hi_unbounded\": true";
  if (!at_risk.empty()) o += ", \"at_risk\": " + at_risk + reachable;
  return o + "}";
}

}  // namespace analysis::format
