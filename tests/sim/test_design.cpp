#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/random/sobol.hpp>

#include "sim/design.h"

namespace dz = sim::design;

namespace {

std::vector<double> row_of(const dz::Design& d, std::size_t row) {
  return {d.unit.begin() + static_cast<std::ptrdiff_t>(row * d.k),
          d.unit.begin() + static_cast<std::ptrdiff_t>((row + 1) * d.k)};
}

// The invalid_argument message, or "" when none was thrown.
template <class F>
std::string rejection(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("kind names") {
  CHECK(std::string(dz::kind_name(dz::Kind::Grid)) == "grid");
  CHECK(std::string(dz::kind_name(dz::Kind::LatinHypercube)) == "lhs");
  CHECK(std::string(dz::kind_name(dz::Kind::Saltelli)) == "saltelli");
  CHECK(std::string(dz::kind_name(dz::Kind::Morris)) == "morris");
}

TEST_CASE("grid has one row per level combination, last factor fastest") {
  const auto d = dz::grid({2, 3, 1});
  CHECK(d.kind == dz::Kind::Grid);
  REQUIRE(d.k == 3);
  REQUIRE(d.points == 6);
  REQUIRE(d.unit.size() == 18);
  const std::vector<std::vector<double>> want{{0, 0, 0.5}, {0, 0.5, 0.5}, {0, 1, 0.5},
                                              {1, 0, 0.5}, {1, 0.5, 0.5}, {1, 1, 0.5}};
  for (std::size_t r = 0; r < d.points; ++r) {
    CHECK(row_of(d, r) == want[r]);
    CHECK(d.block[r] == -1);
    CHECK(d.group[r] == r);
  }
  CHECK(d.at(4, 1) == 0.5);
  CHECK(dz::grid({5, 4, 3, 2}).points == 120);
  const auto g = dz::grid({5});
  CHECK(row_of(g, 0) == std::vector<double>{0.0});
  CHECK(g.at(1, 0) == 0.25);
  CHECK(g.at(4, 0) == 1.0);

  CHECK(rejection([] { dz::grid({}); }).find("at least one factor") != std::string::npos);
  CHECK(rejection([] { dz::grid({3, 0}); }).find("factor 1 has 0 levels") != std::string::npos);
}

TEST_CASE("Latin hypercube puts one point in each stratum of every column") {
  const std::size_t k = 4, n = 97;
  const auto d = dz::latin_hypercube(k, n, 11);
  CHECK(d.kind == dz::Kind::LatinHypercube);
  REQUIRE(d.points == n);
  REQUIRE(d.unit.size() == n * k);
  const auto nd = static_cast<double>(n);
  for (std::size_t f = 0; f < k; ++f) {
    std::vector<int> hits(n, 0);
    for (std::size_t r = 0; r < n; ++r) {
      const double x = d.at(r, f);
      REQUIRE(x >= 0.0);
      REQUIRE(x < 1.0);
      ++hits[static_cast<std::size_t>(x * nd)];
    }
    for (std::size_t s = 0; s < n; ++s) CHECK(hits[s] == 1);
  }
  for (std::size_t r = 0; r < n; ++r) {
    CHECK(d.block[r] == -1);
    CHECK(d.group[r] == r);
  }
  // Columns are not all paired the same way: the first two are not in the same order.
  bool same_order = true;
  for (std::size_t r = 0; r < n; ++r)
    same_order = same_order && static_cast<std::size_t>(d.at(r, 0) * nd) == static_cast<std::size_t>(d.at(r, 1) * nd);
  CHECK_FALSE(same_order);
}

TEST_CASE("Latin hypercube is reproducible from its seed") {
  const auto a = dz::latin_hypercube(3, 40, 2024), b = dz::latin_hypercube(3, 40, 2024);
  const auto c = dz::latin_hypercube(3, 40, 2025);
  CHECK(a.unit == b.unit);
  CHECK(a.unit != c.unit);
  // One stream per column: adding a factor keeps the existing columns.
  const auto wider = dz::latin_hypercube(4, 40, 2024);
  for (std::size_t r = 0; r < 40; ++r)
    for (std::size_t f = 0; f < 3; ++f) CHECK(wider.at(r, f) == a.at(r, f));
  const auto one = dz::latin_hypercube(1, 1, 5);
  CHECK(one.at(0, 0) >= 0.0);
  CHECK(one.at(0, 0) < 1.0);

  CHECK(rejection([] { dz::latin_hypercube(0, 10, 1); }).find("k = 0") != std::string::npos);
  CHECK(rejection([] { dz::latin_hypercube(2, 0, 1); }).find("n = 0") != std::string::npos);
}

TEST_CASE("Saltelli rows are A, AB_1..AB_k, B per base row") {
  const std::size_t k = 5, n = 32;
  const auto d = dz::saltelli(k, n);
  CHECK(d.kind == dz::Kind::Saltelli);
  REQUIRE(d.points == n * (k + 2));
  REQUIRE(d.unit.size() == d.points * k);
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t first = j * (k + 2);
    const auto a = row_of(d, first), b = row_of(d, first + k + 1);
    CHECK(d.block[first] == dz::SALTELLI_A);
    CHECK(d.block[first + k + 1] == dz::SALTELLI_B);
    for (std::size_t r = 0; r < k + 2; ++r) CHECK(d.group[first + r] == j);
    for (std::size_t f = 0; f < k; ++f) {
      CHECK(a[f] >= 0.0);
      CHECK(a[f] <= 1.0);
      CHECK(b[f] >= 0.0);
      CHECK(b[f] <= 1.0);
    }
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t row = first + 1 + i;
      CHECK(d.block[row] == 2 + static_cast<int>(i));
      CHECK(d.block[row] == dz::saltelli_ab(i));
      for (std::size_t f = 0; f < k; ++f) CHECK(d.at(row, f) == (f == i ? b[f] : a[f]));
    }
  }
  // Low discrepancy: the skipped zero and the first n - 1 points fill each of the n strata
  // of every column once (n is a power of 2), so A and B hit strata 1..n-1 exactly once.
  const auto nd = static_cast<double>(n);
  for (std::size_t f = 0; f < k; ++f)
    for (const std::size_t offset : {std::size_t{0}, k + 1}) {
      std::set<std::size_t> strata;
      for (std::size_t j = 0; j + 1 < n; ++j)
        strata.insert(static_cast<std::size_t>(d.at(j * (k + 2) + offset, f) * nd));
      CHECK(strata.size() == n - 1);
      CHECK(strata.count(0) == 0);
    }
}

TEST_CASE("Saltelli A and B are the Sobol sequence without its all-zeros point") {
  // The documented start of the 2-dimensional sequence: (0.5, 0.5), (0.75, 0.25), (0.25, 0.75).
  const auto one = dz::saltelli(1, 3);
  REQUIRE(one.points == 9);
  const std::vector<std::vector<double>> ab{{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}};
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(one.at(3 * j, 0) == ab[j][0]);      // A
    CHECK(one.at(3 * j + 1, 0) == ab[j][1]);  // AB_1 = B for one factor
    CHECK(one.at(3 * j + 2, 0) == ab[j][1]);  // B
  }

  const std::size_t k = 4, n = 20;
  const auto d = dz::saltelli(k, n);
  boost::random::sobol qrng(2 * k);
  const double scale = 1.0 / (static_cast<double>(boost::random::sobol::max()) + 1.0);
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<double> point(2 * k);
    for (auto& x : point) x = static_cast<double>(qrng()) * scale;
    if (j == 0)
      for (double x : point) CHECK(x == 0.5);
    const std::size_t first = j * (k + 2);
    for (std::size_t f = 0; f < k; ++f) {
      CHECK(d.at(first, f) == point[f]);              // A: first k coordinates
      CHECK(d.at(first + k + 1, f) == point[k + f]);  // B: last k coordinates
    }
  }

  CHECK(dz::SALTELLI_MAX_FACTORS == 1833);
  CHECK(dz::saltelli(dz::SALTELLI_MAX_FACTORS, 1).points == dz::SALTELLI_MAX_FACTORS + 2);
  const auto too_many = rejection([] { dz::saltelli(dz::SALTELLI_MAX_FACTORS + 1, 4); });
  CHECK(too_many.find("at most 3667 dimensions") != std::string::npos);
  CHECK(rejection([] { dz::saltelli(0, 4); }).find("k = 0") != std::string::npos);
  CHECK(rejection([] { dz::saltelli(3, 0); }).find("n_base = 0") != std::string::npos);
}

TEST_CASE("Morris trajectories change each factor once by plus or minus delta on the grid") {
  for (const int p : {2, 4, 6}) {
    CAPTURE(p);
    const std::size_t k = 6, r = 40;
    const auto d = dz::morris(k, r, p, 99);
    CHECK(d.kind == dz::Kind::Morris);
    REQUIRE(d.points == r * (k + 1));
    REQUIRE(d.unit.size() == d.points * k);
    const double delta = dz::morris_delta(p);
    CHECK(delta == doctest::Approx(p / (2.0 * (p - 1))));
    std::set<long> levels_seen;
    int ups = 0, downs = 0;
    for (double x : d.unit) {
      REQUIRE(x >= 0.0);
      REQUIRE(x <= 1.0);
      const double scaled = x * (p - 1);
      CHECK(std::fabs(scaled - std::round(scaled)) < 1e-9);
      levels_seen.insert(std::lround(scaled));
    }
    CHECK(levels_seen.size() == static_cast<std::size_t>(p));  // every level used
    for (std::size_t t = 0; t < r; ++t) {
      const std::size_t first = t * (k + 1);
      CHECK(d.block[first] == -1);
      std::vector<int> changed(k, 0);
      for (std::size_t i = 0; i <= k; ++i) CHECK(d.group[first + i] == t);
      for (std::size_t i = 1; i <= k; ++i) {
        const std::size_t row = first + i;
        REQUIRE(d.block[row] >= 0);
        REQUIRE(d.block[row] < static_cast<int>(k));
        const auto f = static_cast<std::size_t>(d.block[row]);
        ++changed[f];
        int differing = 0;
        for (std::size_t g = 0; g < k; ++g)
          if (d.at(row, g) != d.at(row - 1, g)) ++differing;
        CHECK(differing == 1);
        const double step = d.at(row, f) - d.at(row - 1, f);
        CHECK(std::fabs(std::fabs(step) - delta) < 1e-12);
        (step > 0 ? ups : downs)++;
      }
      for (std::size_t f = 0; f < k; ++f) CHECK(changed[f] == 1);
    }
    CHECK(ups > 0);
    CHECK(downs > 0);
  }
}

TEST_CASE("Morris is reproducible from its seed") {
  const auto a = dz::morris(4, 10, 4, 7), b = dz::morris(4, 10, 4, 7), c = dz::morris(4, 10, 4, 8);
  CHECK(a.unit == b.unit);
  CHECK(a.block == b.block);
  CHECK(a.unit != c.unit);
  CHECK(dz::morris(4, 10, 7).unit == a.unit);  // four levels by default
  // One stream per trajectory: more trajectories keep the first ones.
  const auto more = dz::morris(4, 15, 4, 7);
  for (std::size_t i = 0; i < a.unit.size(); ++i) CHECK(more.unit[i] == a.unit[i]);
  // Trajectories are drawn independently: their start points are not all the same.
  std::set<std::vector<double>> starts;
  for (std::size_t t = 0; t < 10; ++t) starts.insert(row_of(a, t * 5));
  CHECK(starts.size() > 1);
  // The factor order is random, not always 0, 1, .., k-1.
  bool all_in_order = true;
  for (std::size_t t = 0; t < 10; ++t)
    for (std::size_t i = 1; i <= 4; ++i) all_in_order = all_in_order && a.block[t * 5 + i] == static_cast<int>(i - 1);
  CHECK_FALSE(all_in_order);

  CHECK(rejection([] { dz::morris(0, 10, 4, 1); }).find("k = 0") != std::string::npos);
  CHECK(rejection([] { dz::morris(3, 0, 4, 1); }).find("trajectories = 0") != std::string::npos);
  CHECK(rejection([] { dz::morris(3, 10, 5, 1); }).find("even") != std::string::npos);
  CHECK(rejection([] { dz::morris(3, 10, 0, 1); }).find("even") != std::string::npos);
  CHECK_FALSE(rejection([] { dz::morris(3, 10, -2, 1); }).empty());
}
