#include "sim/samplers.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>

namespace sim::detail {

namespace {

double f(double x) { return std::exp(-0.5 * x * x); }
// The area under f beyond r.
double tail_area(double r) { return std::sqrt(std::numbers::pi / 2) * std::erfc(r / std::sqrt(2.0)); }

// The layers for a base-strip edge r: each of area v = r f(r) + tail(r). Returns how far
// the top layer overshoots the peak f(0) = 1 (positive: r too small).
double fill(Ziggurat& z, double r) {
  const double v = r * f(r) + tail_area(r);
  z.x[0] = v / f(r);
  z.x[1] = r;
  z.f[0] = 0;  // not used: layer 0 draws its height only through the tail
  z.f[1] = f(r);
  for (int i = 1; i < Ziggurat::LAYERS; ++i) {
    const double next = v / z.x[i] + z.f[i];  // the height at which layer i's area is v
    if (i == Ziggurat::LAYERS - 1 || next >= 1) return next - 1 + (Ziggurat::LAYERS - 1 - i);
    z.f[i + 1] = next;
    z.x[i + 1] = std::sqrt(-2 * std::log(next));
  }
  return 0;
}

// r solved by bisection so that the 256th layer ends exactly at the peak.
Ziggurat make() {
  Ziggurat z{};
  double lo = 2, hi = 5;
  for (int k = 0; k < 200; ++k) {
    const double mid = 0.5 * (lo + hi);
    (fill(z, mid) > 0 ? lo : hi) = mid;
  }
  fill(z, hi);
  z.x[Ziggurat::LAYERS] = 0;
  z.f[Ziggurat::LAYERS] = 1;
  return z;
}

}  // namespace

const Ziggurat ZIGGURAT = make();

namespace {

Ziggurat32 make32() {
  Ziggurat32 t{};
  constexpr double SCALE = 0x1.0p-23;
  for (int i = 0; i < Ziggurat::LAYERS; ++i) {
    // The first position whose point reaches x[i + 1]: a guess from the ratio, corrected
    // against the very test the scalar ziggurat makes.
    const double xi = ZIGGURAT.x[i], next = ZIGGURAT.x[i + 1];
    auto inside = [&](std::int64_t j) { return static_cast<double>(j) * SCALE * xi < next; };
    std::int64_t j = std::clamp<std::int64_t>(static_cast<std::int64_t>(next / xi / SCALE), 0, std::int64_t{1} << 23);
    while (j > 0 && !inside(j - 1)) --j;
    while (j < (std::int64_t{1} << 23) && inside(j)) ++j;
    t.k[i] = static_cast<std::uint32_t>(j);
    t.w[i] = static_cast<float>(xi * SCALE);
  }
  return t;
}

}  // namespace

const Ziggurat32 ZIGGURAT32 = make32();

double normal_tail(Stream& s, bool negative) noexcept {
  const double r = ZIGGURAT.x[1];
  for (;;) {
    const double x = -std::log(1.0 - s.uniform()) / r;
    const double y = -std::log(1.0 - s.uniform());
    if (2 * y > x * x) return negative ? -(r + x) : r + x;
  }
}

}  // namespace sim::detail

namespace sim {

float normal32_rest(std::uint32_t bits, Stream& s) noexcept {
  const detail::Ziggurat& z = detail::ZIGGURAT;
  const unsigned i = bits & 0xffu;
  const bool negative = (bits & 0x100u) != 0;
  if (normal32_inside(bits)) return normal32_core(bits);
  if (i == 0) return static_cast<float>(detail::normal_tail(s, negative));
  const double x = static_cast<double>(bits >> 9) * 0x1.0p-23 * z.x[i];
  if (z.f[i] + s.uniform() * (z.f[i + 1] - z.f[i]) < std::exp(-0.5 * x * x))
    return static_cast<float>(negative ? -x : x);
  // Outside the curve: the ziggurat starts over with fresh numbers.
  return static_cast<float>(normal(s));
}

}  // namespace sim

namespace sim {

CappedPoisson::CappedPoisson(double mean, int cap)
    : mean_(mean),
      cap_(std::max(cap, 0)),
      terms_(std::min(cap_, TERMS)),
      table_(mean < 10),
      term_{},
      threshold_{},
      boost_(mean) {
  if (!table_) return;
  // Boost's terms: p = exp(-mean), then p = mean * p / x for x = 1, 2, ...
  double p = std::exp(-mean_);
  for (int x = 0; x < terms_; ++x) {
    term_[x] = p;
    p = mean_ * p / (x + 1);
  }
  // Non-negative doubles order as their bits: bisect the bits of [0, 1) for the least u
  // that gets past term x (infinity where none below 1 does).
  const std::uint64_t one = std::bit_cast<std::uint64_t>(1.0);
  for (int x = 0; x < terms_; ++x) {
    if (steps_passed(std::bit_cast<double>(one - 1), x + 1, nullptr) <= x) {
      threshold_[x] = std::numeric_limits<double>::infinity();
      continue;
    }
    std::uint64_t lo = 0, hi = one - 1;  // lo does not get past x (or is 0), hi does
    if (steps_passed(0.0, x + 1, nullptr) > x) hi = 0;
    while (hi - lo > 1) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      (steps_passed(std::bit_cast<double>(mid), x + 1, nullptr) > x ? hi : lo) = mid;
    }
    threshold_[x] = std::bit_cast<double>(hi);
  }
}

int CappedPoisson::steps_passed(double u, int steps, double* left) const noexcept {
  int x = 0;
  while (x < steps && u > term_[x]) u -= term_[x++];
  if (left) *left = u;
  return x;
}

int CappedPoisson::beyond(double u) const noexcept {
  int x = steps_passed(u, terms_, &u);  // terms_, as the thresholds said
  double p = mean_ * term_[x - 1] / x;
  while (x < cap_ && u > p) {
    u -= p;
    ++x;
    p = mean_ * p / x;
  }
  return x;
}

}  // namespace sim
