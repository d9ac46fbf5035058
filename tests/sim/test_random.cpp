#include <doctest/doctest.h>

#include <cmath>

#include "sim/random.h"

TEST_CASE("streams are derived from their key alone") {
  const sim::Streams a(7, 3), b(7, 3), c(8, 3), d(7, 4);
  auto s1 = a.get(1, 42, 5), s2 = b.get(1, 42, 5);
  for (int i = 0; i < 100; ++i) CHECK(s1() == s2());
  CHECK(a.get(1, 42, 5)() != c.get(1, 42, 5)());   // another seed
  CHECK(a.get(1, 42, 5)() != d.get(1, 42, 5)());   // another replicate
  CHECK(a.get(1, 42, 5)() != a.get(2, 42, 5)());   // another purpose
  CHECK(a.get(1, 42, 5)() != a.get(1, 43, 5)());   // another entity
  CHECK(a.get(1, 42, 5)() != a.get(1, 42, 6)());   // another month
  // The split key gives the same stream as the one-call form.
  CHECK(sim::Streams::entity(a.key(1, 5), 42)() == a.get(1, 42, 5)());
}

TEST_CASE("uniform draws have mean 1/2 and variance 1/12 (4 standard errors, fixed seed)") {
  const sim::Streams st(20240101, 0);
  const int n = 200000;
  double sum = 0, sq = 0;
  const auto key = st.key(9, 0);
  for (int i = 0; i < n; ++i) {
    auto s = sim::Streams::entity(key, static_cast<std::uint64_t>(i));  // one draw per entity
    const double u = s.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sq += u * u;
  }
  const double mean = sum / n, var = sq / n - mean * mean;
  CHECK(std::fabs(mean - 0.5) < 4 * std::sqrt(1.0 / 12 / n));
  CHECK(std::fabs(var - 1.0 / 12) < 4 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
}
