#include "sim/error.h"

#include <algorithm>

namespace sim {

std::string located(const std::string& file, long line, long column, const std::string& what) {
  std::string out = file;
  if (line > 0) {
    out.append(":").append(std::to_string(line));
    if (column > 0) out.append(":").append(std::to_string(column));
  }
  return out.append(": ").append(what);
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string nearest(const std::string& given, const std::vector<std::string>& valid) {
  std::string best;
  if (given.size() > 64) return best;
  std::size_t best_d = std::string::npos;
  for (const auto& v : valid) {
    // Compare with the last component too, so "shock_prob" finds "household.shock_prob".
    std::size_t d = edit_distance(given, v);
    const auto dot = v.rfind('.');
    if (dot != std::string::npos && given.find('.') == std::string::npos)
      d = std::min(d, edit_distance(given, v.substr(dot + 1)));
    if (d < best_d) {
      best_d = d;
      best = v;
    }
  }
  const std::size_t limit = std::max<std::size_t>(3, given.size() / 2);
  return best_d <= limit ? best : std::string();
}

std::string shorten(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return s.substr(0, cut) + "... (" + std::to_string(s.size()) + " bytes)";
}

}  // namespace sim
