#include "analysis/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>

namespace analysis {

Estimate mean_ci(const std::vector<double>& values, double alpha) {
  Estimate e;
  double sum = 0, sq = 0;
  for (double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++e.n;
    }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (e.n == 0) return {nan, nan, nan, 0};
  e.mean = sum / e.n;
  if (e.n == 1) {
    e.lo = e.hi = e.mean;
    return e;
  }
  for (double v : values)
    if (std::isfinite(v)) sq += (v - e.mean) * (v - e.mean);
  const double se = std::sqrt(sq / (e.n - 1) / e.n);
  const boost::math::students_t dist(e.n - 1);
  const double t = boost::math::quantile(boost::math::complement(dist, alpha / 2));
  e.lo = e.mean - t * se;
  e.hi = e.mean + t * se;
  return e;
}

std::vector<SurvivalPoint> kaplan_meier(const std::vector<double>& time, const std::vector<int>& event) {
  std::vector<std::size_t> idx(time.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  std::vector<SurvivalPoint> out;
  double s = 1.0, greenwood = 0.0;
  int at_risk = static_cast<int>(time.size());
  for (std::size_t i = 0; i < idx.size();) {
    const double t = time[idx[i]];
    int d = 0, c = 0;
    for (; i < idx.size() && time[idx[i]] == t; ++i) (event[idx[i]] ? d : c)++;
    if (d > 0) {
      s *= 1.0 - static_cast<double>(d) / at_risk;
      if (at_risk > d) greenwood += static_cast<double>(d) / (static_cast<double>(at_risk) * (at_risk - d));
      out.push_back({t, s, s * s * greenwood, at_risk, d});
    }
    at_risk -= d + c;
  }
  return out;
}

double survival_at(const std::vector<SurvivalPoint>& curve, double t, double max_follow_up) {
  if (t > max_follow_up) return std::numeric_limits<double>::quiet_NaN();
  double s = 1.0;
  for (const auto& p : curve) {
    if (p.time > t) break;
    s = p.survival;
  }
  return s;
}

}  // namespace analysis
