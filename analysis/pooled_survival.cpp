#include "analysis/pooled_survival.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace analysis {

double PooledCurve::survival_at(double h) const {
  if (h < 0 || survival.empty()) return 1.0;
  const auto t = static_cast<std::size_t>(std::floor(h));
  return survival[std::min(t, survival.size() - 1)];
}

namespace {

// The count at whole month ceil(h): groups followed (or that could be followed) at least h months.
double count_at(const std::vector<double>& v, double h) {
  if (v.empty()) return 0.0;
  if (h <= 0) return v.front();
  const auto t = static_cast<std::size_t>(std::ceil(h));
  return t < v.size() ? v[t] : 0.0;
}

}  // namespace

double PooledCurve::at_risk_at(double h) const { return count_at(at_risk, h); }

double PooledCurve::reach_at(double h) const { return count_at(reach, h); }

LifeTables::LifeTables(std::size_t replicates, long long max_time)
    : replicates_(replicates),
      max_time_(max_time),
      width_(static_cast<std::size_t>(max_time < 0 ? 0 : max_time) + 1),
      events_(replicates * width_, 0.0),
      at_risk_(replicates * width_, 0.0),
      reach_(replicates * width_, 0.0),
      groups_(replicates, 0.0) {
  if (max_time < 0) throw std::invalid_argument("LifeTables: negative max_time");
}

void LifeTables::add(std::size_t replicate, long long months, bool event, long long potential) {
  if (replicate >= replicates_ || months < 0 || potential < months || potential > max_time_ ||
      (!event && potential != months))
    throw std::invalid_argument("LifeTables::add: replicate " + std::to_string(replicate) + ", " +
                                std::to_string(months) + " months of " + std::to_string(potential) +
                                (event ? " (failed)" : " (censored)") + " outside the table");
  const auto t = static_cast<std::size_t>(months);
  double* n = &at_risk_[replicate * width_];
  for (std::size_t s = 0; s <= t; ++s) n[s] += 1;
  double* reach = &reach_[replicate * width_];
  for (std::size_t s = 0; s <= static_cast<std::size_t>(potential); ++s) reach[s] += 1;
  if (event) events_[replicate * width_ + t] += 1;
  groups_[replicate] += 1;
}

void LifeTables::pool(std::span<const std::uint32_t> reps, PooledCurve& out) const {
  out.survival.assign(width_, 1.0);
  out.at_risk.assign(width_, 0.0);
  out.events.assign(width_, 0.0);
  out.reach.assign(width_, 0.0);
  auto& d = out.events;
  for (std::uint32_t r : reps) {
    const double* e = &events_[r * width_];
    const double* n = &at_risk_[r * width_];
    const double* p = &reach_[r * width_];
    for (std::size_t t = 0; t < width_; ++t) {
      d[t] += e[t];
      out.at_risk[t] += n[t];
      out.reach[t] += p[t];
    }
  }
  // Kaplan & Meier (1958): S(t) = prod over months s <= t with events of (1 - d_s / n_s).
  double s = 1.0;
  for (std::size_t t = 0; t < width_; ++t) {
    if (d[t] > 0) s *= 1.0 - d[t] / out.at_risk[t];
    out.survival[t] = s;
  }
}

std::vector<SurvivalPoint> LifeTables::event_points(std::span<const std::uint32_t> reps) const {
  std::vector<double> d(width_, 0.0), n(width_, 0.0);
  for (std::uint32_t r : reps)
    for (std::size_t t = 0; t < width_; ++t) {
      d[t] += events_[r * width_ + t];
      n[t] += at_risk_[r * width_ + t];
    }
  std::vector<SurvivalPoint> out;
  double s = 1.0, greenwood = 0.0;
  for (std::size_t t = 0; t < width_; ++t) {
    if (d[t] <= 0) continue;
    s *= 1.0 - d[t] / n[t];
    if (n[t] > d[t]) greenwood += d[t] / (n[t] * (n[t] - d[t]));
    out.push_back({static_cast<double>(t), s, s * s * greenwood, static_cast<int>(n[t]), static_cast<int>(d[t])});
  }
  return out;
}

}  // namespace analysis
