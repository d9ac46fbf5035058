#include <doctest/doctest.h>

#include <cmath>

#include "sim/random.h"

TEST_CASE("streams are derived from their key alone") {
  const sim::Streams a(7, 3), b(7, 3), c(8, 3), d(7, 4);
  auto s1 = a.get(1, 5, 42), s2 = b.get(1, 5, 42);
  for (int i = 0; i < 100; ++i) CHECK(s1() == s2());
  CHECK(a.get(1, 5, 42)() != c.get(1, 5, 42)());   // another seed
  CHECK(a.get(1, 5, 42)() != d.get(1, 5, 42)());   // another replicate
  CHECK(a.get(1, 5, 42)() != a.get(2, 5, 42)());   // another stream
  CHECK(a.get(1, 5, 42)() != a.get(1, 5, 43)());   // another entity
  CHECK(a.get(1, 5, 42)() != a.get(1, 6, 42)());   // another month
  CHECK(a.get(1, 5, 42)() != a.get(1, 42, 5)());   // fields in another order
  CHECK(a.get(1, 5, 42)() != a.get(1, 5, 42, 0)());  // one field more
  // A key extended field by field gives the same stream as the one-call form.
  CHECK(a.key(1, 5).stream(42)() == a.get(1, 5, 42)());
  CHECK(a.key(1).with(5).stream(42)() == a.get(1, 5, 42)());
  // Field types do not matter, only values: an int month and a size_t entity.
  CHECK(a.get(1, 5, std::size_t{42})() == a.get(1, 5LL, 42U)());
}

TEST_CASE("keys packed by arithmetic collide; keys with separate fields do not") {
  // The old way of telling cohort slots apart (cohort * 1000003 + slot) maps (0, 1000003)
  // and (1, 0) to one stream; as two fields they are two streams.
  const sim::Streams st(20240101, 0);
  CHECK(st.get(5, 0ULL * 1000003ULL + 1000003ULL)() == st.get(5, 1ULL * 1000003ULL + 0ULL)());
  CHECK(st.get(5, 0, 1000003)() != st.get(5, 1, 0)());
}

TEST_CASE("uniform draws have mean 1/2 and variance 1/12 (4 standard errors, fixed seed)") {
  const sim::Streams st(20240101, 0);
  const int n = 200000;
  double sum = 0, sq = 0;
  const auto key = st.key(9, 0);
  for (int i = 0; i < n; ++i) {
    auto s = key.stream(i);  // one draw per entity
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
