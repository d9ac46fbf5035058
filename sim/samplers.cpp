#include "sim/samplers.h"

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

double normal_tail(Stream& s, bool negative) noexcept {
  const double r = ZIGGURAT.x[1];
  for (;;) {
    const double x = -std::log(1.0 - s.uniform()) / r;
    const double y = -std::log(1.0 - s.uniform());
    if (2 * y > x * x) return negative ? -(r + x) : r + x;
  }
}

}  // namespace sim::detail
