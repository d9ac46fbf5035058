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

// A JSON number with 6 significant digits; null when not finite.
inline std::string json_number(double v) {
  return std::isfinite(v) ? number(v, "%.6g") : "null";
}

inline std::string json_string(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (c == '\n') o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) o += ' ';
    else o += c;
  }
  return o + "\"";
}

inline std::string json_estimate(const Estimate& e) {
  return "{\"mean\": " + json_number(e.mean) + ", \"lo\": " + json_number(e.lo) + ", \"hi\": " + json_number(e.hi) +
         ", \"n\": " + std::to_string(e.n) + "}";
}

}  // namespace analysis::format
