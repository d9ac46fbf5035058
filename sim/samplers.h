// Fast samplers for the loops over every household: the standard normal by the ziggurat
// method and the gamma by Marsaglia and Tsang's squeeze (both [marsaglia-tsang2000], docs/
// sources.md), beta from two gammas. Each draws from a sim::Stream, so a result stays a
// function of (scenario, seed, replicate). Boost.Random's normal and beta serve the rest
// of the model; these are several times faster where millions of draws a month count
// (bench/), and tests/sim/test_samplers.cpp checks them against their distributions.
#pragma once
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include <boost/random/poisson_distribution.hpp>

#include "sim/random.h"

namespace sim {

namespace detail {

// The ziggurat of 256 layers of equal area under exp(-x^2/2): layer i spans heights
// f[i] to f[i+1] and widths up to x[i]; layer 0 is the base strip with the tail beyond
// x[1] = r folded into it (x[0] = area / f(r)); x[256] = 0 is the peak.
struct Ziggurat {
  static constexpr int LAYERS = 256;
  double x[LAYERS + 1];
  double f[LAYERS + 1];
};
extern const Ziggurat ZIGGURAT;

// A draw from the normal tail beyond x[1] (Marsaglia's exponential rejection), signed.
double normal_tail(Stream& s, bool negative) noexcept;

// The same ziggurat for a 23-bit position, as Marsaglia and Tsang wrote it: a draw in layer
// i at position j (of 2^23) lies inside the layer's core, x < x[i + 1], exactly when
// j < k[i]; its value is then j * w[i]. Tables of 32-bit entries, so a loop over many
// draws can look them up in vector registers.
struct Ziggurat32 {
  std::uint32_t k[Ziggurat::LAYERS];
  float w[Ziggurat::LAYERS];
};
extern const Ziggurat32 ZIGGURAT32;

}  // namespace detail

// The standard normal from 32 random bits, in two steps so that a loop over millions of
// households can run the first without branches: bits 0-7 pick the layer, bit 8 the sign,
// bits 9-31 the position. normal32_core is the value when normal32_inside holds (99 % of
// draws); otherwise normal32_rest finishes the ziggurat from the same bits, drawing any
// further numbers it needs from a stream.
inline bool normal32_inside(std::uint32_t bits) noexcept { return (bits >> 9) < detail::ZIGGURAT32.k[bits & 0xffu]; }
inline float normal32_core(std::uint32_t bits) noexcept {
  const float x = static_cast<float>(static_cast<std::int32_t>(bits >> 9)) * detail::ZIGGURAT32.w[bits & 0xffu];
  return std::bit_cast<float>(std::bit_cast<std::uint32_t>(x) ^ ((bits & 0x100u) << 23));
}
float normal32_rest(std::uint32_t bits, Stream& s) noexcept;

namespace detail {}  // namespace detail

// Standard normal. One 64-bit draw on 99 % of calls: its low 8 bits pick the layer, bit 8
// the sign and the top 53 bits the position, so the three are independent.
inline double normal(Stream& s) noexcept {
  const detail::Ziggurat& z = detail::ZIGGURAT;
  for (;;) {
    const std::uint64_t b = s();
    const unsigned i = static_cast<unsigned>(b & 0xff);
    const double x = static_cast<double>(b >> 11) * 0x1.0p-53 * z.x[i];
    // The sign as bit 63 of the result, without a branch a coin flip would mispredict.
    const std::uint64_t sign = (b & 0x100) << 55;
    if (x < z.x[i + 1]) return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) ^ sign);
    if (i == 0) return detail::normal_tail(s, sign != 0);
    if (z.f[i] + s.uniform() * (z.f[i + 1] - z.f[i]) < std::exp(-0.5 * x * x))
      return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) ^ sign);
  }
}

// The constants of Marsaglia and Tsang's method for one shape a >= 1, computed once for a
// loop that draws many gammas of the same shape (gamma(s, a) computes them at every call).
struct GammaShape {
  double a, d, c;
  explicit GammaShape(double shape) noexcept : a(shape), d(shape - 1.0 / 3.0), c(1.0 / std::sqrt(9.0 * d)) {}
};

inline double gamma(Stream& s, double a) noexcept;

// Gamma(a), the same draws and value as gamma(s, a).
inline double gamma(Stream& s, const GammaShape& g) noexcept {
  if (g.a < 1) return gamma(s, g.a);
  const double d = g.d, c = g.c;
  for (;;) {
    double x, v;
    do {
      x = normal(s);
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = s.uniform(), x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;  // the squeeze: most draws stop here
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

// Gamma with shape a > 0 and scale 1. For a < 1, Gamma(a + 1) x U^(1/a).
inline double gamma(Stream& s, double a) noexcept {
  if (a < 1) return gamma(s, a + 1) * std::pow(1.0 - s.uniform(), 1.0 / a);
  return gamma(s, GammaShape(a));
}

// Beta(a, b), a, b > 0, as X / (X + Y) of two gammas.
inline double beta(Stream& s, double a, double b) noexcept {
  const double x = gamma(s, a), y = gamma(s, b);
  return x / (x + y);
}

// The same draws and value as beta(s, a, b), from shapes computed once.
inline double beta(Stream& s, const GammaShape& a, const GammaShape& b) noexcept {
  const double x = gamma(s, a), y = gamma(s, b);
  return x / (x + y);
}

// min(X, cap) for X drawn by Boost.Random's poisson_distribution<int, double>(mean): the same
// draws and the same value (a cap of INT_MAX for none). Under a mean of 10 Boost inverts the
// distribution function term by term: from its uniform u it subtracts P(X = 0), P(X = 1), ...
// (each term computed from the one before) for as long as what is left exceeds the next
// term. Each rounded subtraction is monotone in u, so whether the loop gets past term x is
// too: it does exactly for u at or above a threshold, found once here by bisection over the
// doubles. A draw then counts the thresholds at or below its uniform, without subtracting
// or dividing, and goes on with Boost's recurrence only past the tabulated terms. From a mean
// of 10 on it is Boost's own draw.
class CappedPoisson {
 public:
  static constexpr int TERMS = 24;
  CappedPoisson(double mean, int cap);
  int operator()(Stream& s) const noexcept {
    if (!table_) return std::min(boost_(s), cap_);
    // Boost's uniform_01 on a 64-bit engine: the number times 2^-64, drawn again when it
    // rounds to 1.
    double u;
    do u = static_cast<double>(s()) * 0x1p-64;
    while (!(u < 1.0));
    int x = 0;
    if (terms_ <= 16) {
      // A short table (a cap such as a household's size): every threshold, without a branch.
      for (int k = 0; k < terms_; ++k) x += u >= threshold_[k] ? 1 : 0;
    } else {
      while (x < terms_ && u >= threshold_[x]) ++x;
    }
    return x < terms_ || x >= cap_ ? x : beyond(u);
  }

 private:
  // Boost's loop from its start: how many terms u gets past, and what is left of it after
  // the first `steps` (for the thresholds and for draws past the table).
  int steps_passed(double u, int steps, double* left) const noexcept;
  int beyond(double u) const noexcept;
  double mean_;
  int cap_, terms_;
  bool table_;
  double term_[TERMS];       // P(X = x) as Boost computes it, for x < terms_
  double threshold_[TERMS];  // the least uniform that gets past terms 0 .. x
  boost::random::poisson_distribution<int, double> boost_;
};

// A Bernoulli event of probability p as an integer comparison of the top 53 bits of a
// draw: the same outcome as uniform() < p for the same draw, without the conversion.
class Chance {
 public:
  explicit Chance(double p) noexcept
      : threshold_(p <= 0   ? 0
                   : p >= 1 ? (std::uint64_t{1} << 53)
                            : static_cast<std::uint64_t>(std::ceil(p * 0x1.0p53))) {}
  bool operator()(Stream& s) const noexcept { return of(s()); }
  // The outcome for one 64-bit draw.
  bool of(std::uint64_t bits) const noexcept { return (bits >> 11) < threshold_; }

 private:
  std::uint64_t threshold_;
};

// The same for 32 random bits (the household loop's shock): true when they fall below
// p 2^32.
class Chance32 {
 public:
  explicit Chance32(double p) noexcept
      : threshold_(p <= 0   ? 0
                   : p >= 1 ? (std::uint64_t{1} << 32)
                            : static_cast<std::uint64_t>(std::ceil(p * 0x1.0p32))) {}
  bool of(std::uint32_t bits) const noexcept { return bits < threshold_; }

 private:
  std::uint64_t threshold_;
};

}  // namespace sim
