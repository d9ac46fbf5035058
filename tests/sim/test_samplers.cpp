// The fast samplers of sim/samplers.h against their distributions: Kolmogorov-Smirnov
// distance to Boost.Math's CDF below the 0.1 % critical value (1.95 / sqrt(n)), moments
// within 4 standard errors, a chi-square over 100 equiprobable bins below its mean plus 4
// standard deviations, and the normal's tail beyond the ziggurat's base strip at its
// expected frequency within 4 standard errors. Fixed seeds: the outcome is deterministic.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/poisson_distribution.hpp>

#include "sim/samplers.h"

namespace {

double ks_distance(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double F = cdf(x[i]);
    d = std::max({d, F - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - F});
  }
  return d;
}

double chi_square(const std::vector<double>& x, const std::function<double(double)>& cdf, int bins) {
  std::vector<double> count(static_cast<std::size_t>(bins), 0);
  for (double v : x) count[std::min<std::size_t>(static_cast<std::size_t>(cdf(v) * bins), bins - 1)] += 1;
  const double expected = static_cast<double>(x.size()) / bins;
  double c = 0;
  for (double k : count) c += (k - expected) * (k - expected) / expected;
  return c;
}

template <typename Draw>
std::vector<double> sample(std::size_t n, std::uint64_t seed, Draw draw) {
  std::vector<double> x(n);
  const sim::StreamKey key(seed);
  // One stream per draw, as the model uses them (a stream per household and month).
  for (std::size_t i = 0; i < n; ++i) {
    sim::Stream s = key.stream(i);
    x[i] = draw(s);
  }
  return x;
}

void check_fit(const std::vector<double>& x, const std::function<double(double)>& cdf, double mean, double var) {
  const double n = static_cast<double>(x.size());
  CHECK(ks_distance(x, cdf) < 1.95 / std::sqrt(n));
  const double chi = chi_square(x, cdf, 100);
  CHECK(chi < 99 + 4 * std::sqrt(2 * 99.0));
  double m = 0;
  for (double v : x) m += v;
  m /= n;
  double s2 = 0, m4 = 0;
  for (double v : x) {
    s2 += (v - m) * (v - m);
    m4 += std::pow(v - m, 4);
  }
  s2 /= n - 1;
  m4 /= n;
  CHECK(std::abs(m - mean) < 4 * std::sqrt(var / n));
  // The sample variance's standard error from the sample's fourth moment.
  CHECK(std::abs(s2 - var) < 4 * std::sqrt((m4 - s2 * s2) / n));
}

// The counter of a sim::Stream whose next number is `number`: mix64 inverted (each
// xor-shift undone by shifting again, each multiplier by its inverse modulo 2^64).
std::uint64_t counter_giving(std::uint64_t number) {
  auto inverse_multiply = [](std::uint64_t c) {
    std::uint64_t x = c;
    for (int i = 0; i < 6; ++i) x *= 2 - c * x;
    return x;
  };
  std::uint64_t z = number;
  z ^= (z >> 31) ^ (z >> 62);
  z *= inverse_multiply(0x94d049bb133111ebULL);
  z ^= (z >> 27) ^ (z >> 54);
  z *= inverse_multiply(0xbf58476d1ce4e5b9ULL);
  z ^= (z >> 30) ^ (z >> 60);
  return z - 0x9e3779b97f4a7c15ULL;
}

}  // namespace

TEST_CASE("the ziggurat normal fits the standard normal, tails included") {
  const boost::math::normal_distribution<double> N(0, 1);
  const auto x = sample(400'000, 11, [](sim::Stream& s) { return sim::normal(s); });
  check_fit(
      x, [&](double v) { return boost::math::cdf(N, v); }, 0, 1);
  // The tail beyond the base strip (drawn by a separate method), both sides.
  const double r = sim::detail::ZIGGURAT.x[1];
  CHECK(r > 3);
  CHECK(r < 4);
  double tail = 0, upper = 0;
  for (double v : x) {
    tail += std::abs(v) > r;
    upper += v > r;
  }
  const double p = 2 * boost::math::cdf(boost::math::complement(N, r));
  const double n = static_cast<double>(x.size());
  CHECK(std::abs(tail - n * p) < 4 * std::sqrt(n * p * (1 - p)));
  CHECK(std::abs(upper - tail / 2) < 4 * std::sqrt(tail / 4));
  // Each layer has the same area: the table is complete.
  const auto& z = sim::detail::ZIGGURAT;
  CHECK(z.x[sim::detail::Ziggurat::LAYERS] == 0);
  for (int i = 1; i < sim::detail::Ziggurat::LAYERS; ++i) {
    CHECK(z.x[i] > z.x[i + 1]);
    CHECK(std::abs(z.x[i] * (z.f[i + 1] - z.f[i]) - z.x[0] * z.f[1]) < 1e-12);
  }
}

TEST_CASE("the 32-bit ziggurat of the household loop fits the standard normal, tails included") {
  const boost::math::normal_distribution<double> N(0, 1);
  // As the household loop draws: the first number's low 32 bits, the rest of the stream
  // for the 1 % outside the layers' cores.
  double outside = 0;
  const auto x = sample(400'000, 12, [&](sim::Stream& s) {
    const auto bits = static_cast<std::uint32_t>(s());
    outside += !sim::normal32_inside(bits);
    return static_cast<double>(sim::normal32_inside(bits) ? sim::normal32_core(bits) : sim::normal32_rest(bits, s));
  });
  check_fit(
      x, [&](double v) { return boost::math::cdf(N, v); }, 0, 1);
  const double r = sim::detail::ZIGGURAT.x[1], n = static_cast<double>(x.size());
  double tail = 0;
  for (double v : x) tail += std::abs(v) > r;
  const double p = 2 * boost::math::cdf(boost::math::complement(N, r));
  CHECK(std::abs(tail - n * p) < 4 * std::sqrt(n * p * (1 - p)));
  // The cores hold about 99 % of the draws, and the integer test agrees with the point's
  // place: a core draw lies below the next layer's edge, the first one outside does not.
  CHECK(outside / n > 0.002);
  CHECK(outside / n < 0.03);
  const auto& z = sim::detail::ZIGGURAT;
  const auto& t = sim::detail::ZIGGURAT32;
  for (int i = 0; i < sim::detail::Ziggurat::LAYERS; ++i) {
    CAPTURE(i);
    if (t.k[i] > 0) CHECK(static_cast<double>(t.k[i] - 1) * 0x1.0p-23 * z.x[i] < z.x[i + 1]);
    if (t.k[i] < (1u << 23)) CHECK_FALSE(static_cast<double>(t.k[i]) * 0x1.0p-23 * z.x[i] < z.x[i + 1]);
  }
  // Same bits, same value: the value of a core draw is its position times the layer's width.
  const std::uint32_t bits = (1000u << 9) | 0x100u | 5u;
  REQUIRE(sim::normal32_inside(bits));
  CHECK(sim::normal32_core(bits) == doctest::Approx(-1000 * 0x1.0p-23 * z.x[5]).epsilon(1e-6));
}

TEST_CASE("the gamma sampler fits Gamma(a, 1) for shapes below and above one") {
  std::uint64_t seed = 20;
  for (double a : {0.4, 1.0, 2.5, 7.0}) {
    CAPTURE(a);
    const boost::math::gamma_distribution<double> G(a, 1);
    const auto x = sample(150'000, ++seed, [a](sim::Stream& s) { return sim::gamma(s, a); });
    check_fit(
        x, [&](double v) { return boost::math::cdf(G, v); }, a, a);
  }
}

TEST_CASE("the beta sampler fits Beta(a, b) for shapes below and above one") {
  std::uint64_t seed = 40;
  for (const auto& shapes : {std::pair{2.0, 2.0}, std::pair{1.8, 4.2}, std::pair{4.8, 1.2}, std::pair{0.6, 0.9}}) {
    const double a = shapes.first, b = shapes.second;
    CAPTURE(a);
    CAPTURE(b);
    const boost::math::beta_distribution<double> B(a, b);
    const auto x = sample(150'000, ++seed, [a, b](sim::Stream& s) { return sim::beta(s, a, b); });
    const double mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1));
    check_fit(
        x, [&](double v) { return boost::math::cdf(B, v); }, mean, var);
  }
}

TEST_CASE("Chance decides as uniform() < p on the same draw") {
  for (double p : {0.0, 1e-12, 0.02, 0.5, 0.999999, 1.0, 0.1 + 0.2}) {
    CAPTURE(p);
    const sim::Chance chance(p);
    int differ = 0;
    for (std::uint64_t i = 0; i < 100'000; ++i) {
      sim::Stream a(i * 7919), b(i * 7919);
      differ += chance(a) != (b.uniform() < p);
    }
    CHECK(differ == 0);
  }
  // The boundary itself: the largest 53-bit value below p * 2^53 is in, the next is out.
  const double p = 0.3;
  const sim::Chance chance(p);
  const auto edge = static_cast<std::uint64_t>(std::ceil(p * 0x1.0p53));
  CHECK(static_cast<double>(edge - 1) * 0x1.0p-53 < p);
  CHECK_FALSE(static_cast<double>(edge) * 0x1.0p-53 < p);
  CHECK(chance.of((edge - 1) << 11 | 0x7ff));
  CHECK_FALSE(chance.of(edge << 11));
  CHECK(sim::Chance(1.0).of(~std::uint64_t{0}));
  CHECK_FALSE(sim::Chance(0.0).of(0));
}

TEST_CASE("gammas and betas from shapes computed once are the per-call ones, draw for draw") {
  for (double a : {1.0, 2.4, 4.8, 5.6, 0.4}) {
    const sim::GammaShape shape(a);
    for (std::uint64_t k = 0; k < 20'000; ++k) {
      sim::Stream s1(k * 977 + 3), s2(k * 977 + 3);
      CHECK_EQ(sim::gamma(s1, shape), sim::gamma(s2, a));
      CHECK_EQ(s1.counter(), s2.counter());
    }
  }
  const sim::GammaShape a(2.4), b(5.6);
  for (std::uint64_t k = 0; k < 20'000; ++k) {
    sim::Stream s1(k), s2(k);
    CHECK_EQ(sim::beta(s1, a, b), sim::beta(s2, 2.4, 5.6));
    CHECK_EQ(s1.counter(), s2.counter());
  }
}

TEST_CASE("CappedPoisson gives Boost's Poisson draws, cut at the cap, and uses the same numbers") {
  const int none = std::numeric_limits<int>::max();
  // Means on both sides of Boost's switch from inversion (under 10) to its rejection method;
  // caps of zero, inside the first terms, at the households' default and none.
  for (double mean : {1e-9, 0.3, 0.5, 2.9, 9.99, 10.0, 25.0}) {
    for (int cap : {0, 1, 14, 70, none}) {
      const sim::CappedPoisson capped(mean, cap);
      const boost::random::poisson_distribution<int, double> boost(mean);
      for (std::uint64_t k = 0; k < 20'000; ++k) {
        sim::Stream s1(k * 131 + 7), s2(k * 131 + 7);
        CHECK_EQ(capped(s1), std::min(boost(s2), cap));
        CHECK_EQ(s1.counter(), s2.counter());
      }
    }
  }
  // The mean of 9.99 goes past the 24 tabulated terms about once in 7,000 draws, where Boost's
  // recurrence takes over: enough draws to take that way a few dozen times.
  const sim::CappedPoisson high(9.99, none);
  const boost::random::poisson_distribution<int, double> boost_high(9.99);
  int beyond = 0;
  for (std::uint64_t k = 0; k < 300'000; ++k) {
    sim::Stream s1(k), s2(k);
    const int x = high(s1);
    CHECK_EQ(x, boost_high(s2));
    beyond += x >= sim::CappedPoisson::TERMS;
  }
  CHECK(beyond > 10);
  // A first number that rounds to 1 as a uniform is drawn again, as Boost does: the stream's
  // counter is chosen so that its first number is 2^64 - 1.
  const std::uint64_t state = counter_giving(~std::uint64_t{0});
  REQUIRE(sim::Stream(state)() == ~std::uint64_t{0});
  const sim::CappedPoisson low(0.5, 14);
  const boost::random::poisson_distribution<int, double> boost_low(0.5);
  sim::Stream s1(state), s2(state);
  CHECK_EQ(low(s1), std::min(boost_low(s2), 14));
  CHECK_EQ(s1.counter(), s2.counter());
  CHECK_EQ(s1.counter(), state + 2 * 0x9e3779b97f4a7c15ULL);  // two numbers drawn
  // Uniforms on either side of where Boost's loop gets past each term (near the running
  // sums of the terms), where a threshold found by bisection would show an error.
  int near = 0;
  for (double mean : {0.3, 2.9, 9.99}) {
    const sim::CappedPoisson edge(mean, none);
    const boost::random::poisson_distribution<int, double> boost_edge(mean);
    double sum = 0, term = std::exp(-mean);
    for (int x = 0; x < sim::CappedPoisson::TERMS; ++x) {
      sum += term;
      term = mean * term / (x + 1);
      double u = sum;
      for (int j = 0; j < 4; ++j) u = std::nextafter(u, 0.0);
      for (int j = 0; j < 8; ++j, u = std::nextafter(u, 1.0)) {
        if (!(u < 1.0)) break;
        const auto number = static_cast<std::uint64_t>(std::ldexp(u, 64));
        if (static_cast<double>(number) * 0x1p-64 != u) continue;  // not a uniform Boost can draw
        sim::Stream mine(counter_giving(number)), theirs(counter_giving(number));
        CHECK_EQ(edge(mine), boost_edge(theirs));
        ++near;
      }
    }
  }
  CHECK(near > 300);
}
